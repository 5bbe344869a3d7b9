"""Hostile grids and a killed render: refused before any kernel with the line named (exit 2, no
traceback); after a SIGKILL no worker keeps writing, and a re-run finishes only what is missing."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from analysis.cli import main
from analysis.reports.render import render_grid

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "fixtures" / "figures_multi.csv"


def _args(grid, out, notebooks=ROOT / "notebooks"):
    return ["render", "--grid", str(grid), "--out", str(out), "--figures", str(FIXTURE), "--notebooks", str(notebooks)]


@pytest.mark.parametrize("text,said", [
    ('[[reprot]]\nname = "a"\nnotebook = "overview"\n', "line 1: unknown table or key 'reprot'"),
    ('[[report]]\nname = "a"\nnotebook = "trends"\nparametres = { entity = "Thái Bình" }\n',
     "line 4: [[report]] #1: unknown key 'parametres'"),
    ('[[report]]\nnotebook = "overview"\n', "line 1: [[report]] #1 has no 'name'"),
    ('[[report]]\nname = 5\nnotebook = "overview"\n', "line 2: name must be text, got 5"),
    ('[[report]]\nname = "../escaped"\nnotebook = "overview"\n', "line 2: report name '../escaped' must be a slug"),
    ('[[report]]\nname = "a"\nnotebook = "../../../somewhere/evil"\n', "line 3: notebook '../../../somewhere/evil'"),
    ('[[each]]\nover = "comparable_entities"\nname = "trends-{slg}"\nnotebook = "trends"\n',
     "line 3: name 'trends-{slg}' uses unknown field {slg}"),
    ('[[report]]\nname = "a"\nnotebook = "trends"\nparameters = { entity = "<script>" }\n',
     "entity = '<script>' is not known"),
    ('[[report]]\nname = "a"\nnotebook = "missing"\n', "does not exist"),
    ('[[report]\nname = "a"\n', "reports.toml"),
])
def test_hostile_grid_refused_before_any_kernel(tmp_path, capsys, text, said):
    grid = tmp_path / "reports.toml"
    grid.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    assert main(_args(grid, out)) == 2
    err = capsys.readouterr().err
    assert said in err and "Traceback" not in err
    assert not out.exists() or not any(out.rglob("*.html"))
    assert not (tmp_path / "escaped.html").exists()


def test_a_table_that_disagrees_with_its_sidecar_is_refused_once(tmp_path, capsys):
    import shutil

    processed = tmp_path / "processed"
    processed.mkdir()
    shutil.copy(FIXTURE, processed / "figures.csv")
    (processed / "figures.meta.json").write_text(json.dumps({"outputs_sha256": {"figures.csv": "0" * 64}}),
                                                 encoding="utf-8")
    grid = tmp_path / "reports.toml"
    grid.write_text('[[report]]\nname = "a"\nnotebook = "overview"\n', encoding="utf-8")
    args = _args(grid, tmp_path / "out")
    args[args.index(str(FIXTURE))] = str(processed / "figures.csv")
    assert main(args) == 2
    err = capsys.readouterr().err
    assert "does not match the checksum" in err and "Traceback" not in err


def test_notebook_linked_from_outside_refused(tmp_path, capsys):
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    evil = tmp_path / "somewhere" / "evil.ipynb"
    evil.parent.mkdir()
    evil.write_text((ROOT / "notebooks" / "overview.ipynb").read_text(encoding="utf-8"), encoding="utf-8")
    (notebooks / "evil.ipynb").symlink_to(evil)
    grid = tmp_path / "reports.toml"
    grid.write_text('[[report]]\nname = "a"\nnotebook = "evil"\n', encoding="utf-8")
    assert main(_args(grid, tmp_path / "out", notebooks)) == 2
    assert "does not resolve inside" in capsys.readouterr().err


def test_refusal_in_a_fresh_process_has_no_traceback(tmp_path):
    grid = tmp_path / "reports.toml"
    grid.write_text('[[report]]\nname = 5\nnotebook = "overview"\n', encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "analysis", *_args(grid, tmp_path / "out")],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert proc.returncode == 2
    assert "line 2: name must be text, got 5" in proc.stderr and "Traceback" not in proc.stderr


def test_a_second_render_on_the_same_folder_stops_with_a_message(tmp_path, capsys):
    import fcntl

    grid = tmp_path / "reports.toml"
    grid.write_text('[[report]]\nname = "a"\nnotebook = "overview"\n', encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    with open(out / ".render.lock", "a") as held:  # as a running render holds it
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        assert main(_args(grid, out)) == 1
    err = capsys.readouterr().err
    assert f"another render is writing to {out}" in err and "Traceback" not in err
    assert not list(out.glob("*.html"))


def test_an_output_folder_that_cannot_be_made(tmp_path, capsys):
    grid = tmp_path / "reports.toml"
    grid.write_text('[[report]]\nname = "a"\nnotebook = "overview"\n', encoding="utf-8")
    blocker = tmp_path / "out"
    blocker.write_text("a file where the folder should be", encoding="utf-8")
    assert main(_args(grid, blocker / "reports")) == 1
    err = capsys.readouterr().err
    assert "khuyenhoc render:" in err and str(blocker) in err and "Traceback" not in err


# -- kill and re-run -------------------------------------------------------------------------

def _notebook(seconds):
    cells = [{"cell_type": "code", "id": "p", "metadata": {"tags": ["parameters"]}, "execution_count": None,
              "outputs": [], "source": 'lang = "vi"\nfigures_path = ""'},
             {"cell_type": "code", "id": "s", "metadata": {}, "execution_count": None, "outputs": [],
              "source": f"import time\ntime.sleep({seconds})\nprint('slept {seconds}')"}]
    return json.dumps({"cells": cells, "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3",
                                                                     "language": "python"}},
                       "nbformat": 4, "nbformat_minor": 5})


def _render_processes(out: Path) -> list[int]:
    """Processes whose command line names this output folder (the CLI and its pool workers)."""
    found = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                cmd = (proc / "cmdline").read_bytes().decode(errors="replace")
            except OSError:
                continue
            if str(out) in cmd and int(proc.name) != os.getpid():
                found.append(int(proc.name))
    return found


def _pages(out: Path) -> dict[str, float]:
    return {p.name: p.stat().st_mtime for p in out.glob("*.html")}


def _slow_grid(tmp_path):
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    (notebooks / "quick.ipynb").write_text(_notebook(0), encoding="utf-8")
    (notebooks / "slow.ipynb").write_text(_notebook(15), encoding="utf-8")
    grid = tmp_path / "reports.toml"
    grid.write_text('[grid]\nlangs = ["vi"]\n' + "".join(
        f'[[report]]\nname = "{name}"\nnotebook = "{nb}"\n\n'
        for name, nb in [("a", "quick"), ("b", "quick"), ("c", "slow"), ("d", "slow")]), encoding="utf-8")
    return grid, notebooks


def _start_and_wait(grid, out, notebooks):
    """Start the CLI; return it once pages a and b are recorded as rendered (c and d still running)."""
    proc = subprocess.Popen([sys.executable, "-m", "analysis", *_args(grid, out, notebooks), "--jobs", "2"],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    state = out / ".state.json"
    deadline = time.monotonic() + 240
    done = set()
    while time.monotonic() < deadline and proc.poll() is None:
        if state.exists():
            done = {k for k, v in json.loads(state.read_text(encoding="utf-8")).items() if v["status"] == "ok"}
            if {"a", "b"} <= done:
                break
        time.sleep(0.2)
    assert {"a", "b"} <= done, proc.communicate()
    assert proc.poll() is None, "the render finished before it could be stopped"
    return proc


@pytest.mark.notebooks
def test_kill_then_rerun_finishes_only_the_missing(tmp_path):
    grid, notebooks = _slow_grid(tmp_path)
    out = tmp_path / "out"
    proc = _start_and_wait(grid, out, notebooks)
    proc.send_signal(signal.SIGKILL)
    proc.communicate()
    time.sleep(2)
    before = _pages(out)
    time.sleep(18)  # longer than a slow report: a surviving worker would have written its page
    assert _render_processes(out) == [], "pool workers outlived the killed render"
    assert _pages(out) == before
    assert not (out / "c.html").exists() and not (out / "d.html").exists()

    results = {r.name: r.status for r in render_grid(grid, out, figures_csv=FIXTURE, notebooks_dir=notebooks,
                                                     jobs=2, progress=lambda r: None)}
    assert results == {"a": "skipped", "b": "skipped", "c": "ok", "d": "ok"}
    assert (out / "c.html").exists() and "slept 15" in (out / "d.html").read_text(encoding="utf-8")


@pytest.mark.notebooks
def test_sigterm_stops_workers_and_says_so(tmp_path):
    grid, notebooks = _slow_grid(tmp_path)
    out = tmp_path / "out"
    proc = _start_and_wait(grid, out, notebooks)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130
    assert "stopped by SIGTERM; finished pages are kept, run again to finish" in err and "Traceback" not in err
    time.sleep(1)
    assert _render_processes(out) == []
    index = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="a.html"' in index and "chưa tạo" in index  # c and d: not rendered yet
