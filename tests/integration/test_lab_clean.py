"""Opening and running a notebook in JupyterLab leaves `git status` clean: the nbstripout git
filter, configured as `make setup` configures it, turns what JupyterLab saves back into the
committed file, and the server's pre-save hook (also set up by `make setup`) saves it that way."""

import json
import re
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "fixtures" / "figures_multi.csv"
pytestmark = pytest.mark.notebooks


def extra_keys() -> str:
    """The keys `make setup` gives the filter (read from the Makefile, the one place they live)."""
    m = re.search(r"^NB_EXTRA_KEYS := (.+)$", (ROOT / "Makefile").read_text(encoding="utf-8"), re.MULTILINE)
    assert m, "NB_EXTRA_KEYS is not defined in the Makefile"
    return m.group(1).strip()


def saved_by_jupyterlab(name: str, root: Path) -> str:
    """The committed notebook run top to bottom on a kernel, then saved the way JupyterLab saves:
    outputs, execution counts and timing, the kernel's full language_info and kernelspec, fresh
    cell ids, widget state, JSON in insertion order with one-space indent."""
    from jupyter_client.kernelspec import KernelSpecManager

    nb = nbformat.read(ROOT / "notebooks" / f"{name}.ipynb", as_version=4)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("KHUYENHOC_ROOT", str(root))  # the kernel reads the fixture tables as data/processed
        NotebookClient(nb, kernel_name="python3", timeout=300, record_timing=True,
                       resources={"metadata": {"path": str(ROOT / "notebooks")}}).execute()
    spec = KernelSpecManager().get_kernel_spec("python3")
    nb.metadata.kernelspec = {"display_name": spec.display_name, "language": spec.language, "name": "python3"}
    nb.metadata.widgets = {"application/vnd.jupyter.widget-state+json": {"state": {}, "version_major": 2,
                                                                           "version_minor": 0}}
    for cell in nb.cells:
        cell.id = uuid.uuid4().hex[:8] + "-" + uuid.uuid4().hex[:4]
        if cell.cell_type == "code":
            cell.metadata["trusted"] = True
            cell.metadata["scrolled"] = True
    assert any(c.get("outputs") for c in nb.cells) and "version" in nb.metadata.language_info
    return json.dumps(nb, indent=1, ensure_ascii=False) + "\n"


@pytest.fixture(scope="module")
def lab_saved(tmp_path_factory) -> str:
    """overview.ipynb as JupyterLab saves it after running it (on the multi-year fixture)."""
    root = tmp_path_factory.mktemp("root")
    processed = root / "data" / "processed"
    processed.mkdir(parents=True)
    shutil.copy(FIXTURE, processed / "figures.csv")
    shutil.copy(FIXTURE.parent / "articles_multi.csv", processed / "articles.csv")
    shutil.copytree(ROOT / "data" / "reference", root / "data" / "reference")
    return saved_by_jupyterlab("overview", root)


def git(repo: Path, *args: str) -> str:
    out = subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", *args], cwd=repo,
                         capture_output=True, text=True, check=True)
    return out.stdout


def test_the_filter_turns_a_lab_saved_notebook_into_the_committed_one(lab_saved, tmp_path):
    committed = (ROOT / "notebooks" / "overview.ipynb").read_text(encoding="utf-8")
    saved = lab_saved
    assert saved != committed
    clean = subprocess.run([sys.executable, "-m", "nbstripout", "--extra-keys", extra_keys()], input=saved,
                           capture_output=True, text=True, cwd=tmp_path, check=True).stdout
    assert clean == committed
    default_only = subprocess.run([sys.executable, "-m", "nbstripout"], input=saved, capture_output=True,
                                  text=True, cwd=tmp_path, check=True).stdout
    assert default_only != committed  # nbstripout's defaults alone leave JupyterLab's language_info


def lab_hook() -> str:
    """The pre-save hook `make setup` configures for the .venv's Jupyter server."""
    m = re.search(r"^LAB_SETUP = .*echo '(\{.*\})' >", (ROOT / "Makefile").read_text(encoding="utf-8"), re.MULTILINE)
    assert m, "LAB_SETUP is not defined in the Makefile"
    return json.loads(m.group(1))["ContentsManager"]["pre_save_hook"]


def repo_like_make_setup(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    (repo / "notebooks").mkdir(parents=True)
    shutil.copy(ROOT / ".gitattributes", repo / ".gitattributes")
    shutil.copy(ROOT / ".gitignore", repo / ".gitignore")
    shutil.copy(ROOT / "notebooks" / "overview.ipynb", repo / "notebooks" / "overview.ipynb")
    git(repo, "init", "-q")
    git(repo, "config", "filter.nbstripout.clean", f"'{sys.executable}' -m nbstripout")  # as `nbstripout --install`
    git(repo, "config", "filter.nbstripout.smudge", "cat")
    git(repo, "config", "filter.nbstripout.required", "true")
    git(repo, "config", "filter.nbstripout.extrakeys", extra_keys())  # as `make setup`
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "notebooks")
    return repo


def test_git_sees_no_change_after_a_lab_session(lab_saved, tmp_path):
    repo = repo_like_make_setup(tmp_path)
    (repo / "notebooks" / "overview.ipynb").write_text(lab_saved, encoding="utf-8")
    assert git(repo, "diff", "--stat") == ""  # the filter alone: no change to commit
    git(repo, "add", "-A")
    assert git(repo, "status", "--porcelain") == ""


def test_git_status_stays_clean_when_the_lab_server_saves(lab_saved, tmp_path):
    from jupyter_server.services.contents.filemanager import FileContentsManager

    repo = repo_like_make_setup(tmp_path)
    saved = json.loads(lab_saved)
    manager = FileContentsManager(root_dir=str(repo), pre_save_hook=lab_hook())
    manager.save({"type": "notebook", "format": "json", "content": saved}, "notebooks/overview.ipynb")
    assert git(repo, "status", "--porcelain") == ""
    assert (repo / "notebooks" / "overview.ipynb").read_bytes() == (ROOT / "notebooks" / "overview.ipynb").read_bytes()
    scratch = saved  # a notebook git does not filter is saved as it is
    (repo / "scratch").mkdir()
    (repo / "scratch" / ".gitattributes").write_text("*.ipynb -filter\n", encoding="utf-8")
    manager.save({"type": "notebook", "format": "json", "content": scratch}, "scratch/mine.ipynb")
    kept = json.loads((repo / "scratch" / "mine.ipynb").read_text(encoding="utf-8"))
    assert [bool(c.get("outputs")) for c in kept["cells"]] == [bool(c.get("outputs")) for c in saved["cells"]]
    assert any(c.get("outputs") for c in kept["cells"]) and kept["metadata"]["language_info"].get("version")
