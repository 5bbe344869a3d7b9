"""JupyterLab saves a project notebook the way git stores it, so ``git status`` stays clean.

The nbstripout git filter already turns what JupyterLab writes (outputs, execution counts and
timing, the kernel's language details, fresh cell ids) back into the committed notebook,
so ``git diff`` is empty; but git takes a file whose size changed as modified without running
the filter, and ``git status`` would list it. :func:`pre_save` is a Jupyter server pre-save
hook (``make setup`` enables it for the ``.venv``'s JupyterLab) that passes a notebook through
that same filter before it is written — only a notebook git would filter (``git check-attr``),
with the command git would run (``filter.nbstripout.clean``, with the keys ``make setup``
configured). The open notebook keeps its outputs on screen; the file on disk is the clean one.
If anything goes wrong the notebook is saved as it is.
"""

from __future__ import annotations

import json
import logging
import subprocess
from pathlib import Path

log = logging.getLogger(__name__)


def _git(folder: Path, *args: str) -> str:
    out = subprocess.run(["git", *args], cwd=folder, capture_output=True, text=True, timeout=30)
    return out.stdout.strip() if out.returncode == 0 else ""


def clean_command(os_path: Path) -> str:
    """The clean command git would run on this file ('' if git would not filter it)."""
    folder = os_path.parent
    if not folder.is_dir() or not _git(folder, "rev-parse", "--is-inside-work-tree"):
        return ""
    attr = _git(folder, "check-attr", "filter", "--", os_path.name)
    if not attr.endswith(": filter: nbstripout"):
        return ""
    return _git(folder, "config", "--get", "filter.nbstripout.clean")


def strip_like_git(notebook: dict, os_path: Path) -> dict:
    """``notebook`` after the repository's nbstripout clean filter (unchanged if there is none)."""
    command = clean_command(os_path)
    if not command:
        return notebook
    out = subprocess.run(command, shell=True, cwd=os_path.parent, input=json.dumps(notebook, ensure_ascii=False),
                         capture_output=True, text=True, timeout=120, check=True)
    return json.loads(out.stdout)


def pre_save(model: dict, path: str, contents_manager, **kwargs) -> None:
    """Jupyter server pre-save hook: a notebook git filters is saved already filtered."""
    if model.get("type") != "notebook" or not isinstance(model.get("content"), dict):
        return
    try:
        os_path = Path(contents_manager._get_os_path(path))
        model["content"] = strip_like_git(model["content"], os_path)
    except Exception as exc:  # noqa: BLE001 — never lose a save over a clean-up
        log.warning("khuyenhoc: %s saved without stripping: %s", path, exc)
