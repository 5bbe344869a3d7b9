"""The render cache: content hashes of every input a page depends on, and the state file that
records, page by page, what was rendered from which inputs (saved after each report, so a re-run
after a kill does not redo finished pages). One atomic writer for every file the renderer makes.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
from pathlib import Path

from analysis import paths
from analysis.table.outputs import file_sha256, sha256_bytes

STATE_FILE = ".state.json"


class DiskFull(OSError):
    """Writing an output failed for lack of space; the message names the file."""


def write_atomic(path: Path, text: str) -> None:
    """Write to a temporary file beside ``path`` and rename it over; on any error remove the
    temporary file (a full disk leaves no ``.tmp``) and raise — ``DiskFull`` for lack of space."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "w", encoding="utf-8") as f:
            _write(f, text)
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            raise DiskFull(exc.errno, f"no space left on the device while writing {path}") from None
        raise
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _write(f, text: str) -> None:
    f.write(text)
    f.flush()


def package_fingerprint() -> str:
    """Hash of the package's source and knowledge tables."""
    h = hashlib.sha256()
    for p in sorted(paths.PACKAGE_DIR.rglob("*")):
        if p.suffix in (".py", ".csv") and "__pycache__" not in p.parts:
            h.update(p.relative_to(paths.PACKAGE_DIR).as_posix().encode())
            h.update(p.read_bytes())
    return h.hexdigest()


def shared_inputs(figures_csv: Path, reference_dir: Path, lock: Path | None = None) -> dict[str, str]:
    """Hashes of the inputs every page shares: figures, articles, reference tables, package, lock."""
    figures_csv = Path(figures_csv)
    reference = hashlib.sha256()
    for p in sorted(Path(reference_dir).glob("*.csv")):
        reference.update(p.name.encode() + b"\0" + p.read_bytes())
    lock = Path(lock or paths.ROOT / "requirements.lock")
    return {"figures": file_sha256(figures_csv), "articles": file_sha256(figures_csv.parent / "articles.csv"),
            "reference": reference.hexdigest(), "package": package_fingerprint(), "lock": file_sha256(lock)}


def report_key(notebook_bytes: bytes, parameters: dict, shared: dict[str, str]) -> str:
    """The cache key of one page: its notebook, its parameters and the shared inputs."""
    params = json.dumps(parameters, sort_keys=True, ensure_ascii=False)
    inputs = json.dumps(shared, sort_keys=True)
    return sha256_bytes(b"\0".join([notebook_bytes, params.encode(), inputs.encode()]))


class State:
    """``<out>/.state.json``: page name → key, status, render time, figures and error."""

    def __init__(self, out_dir: Path):
        """Read the state of ``out_dir`` (empty when absent or unreadable)."""
        self.path = Path(out_dir) / STATE_FILE
        try:
            self.pages = json.loads(self.path.read_text(encoding="utf-8")) if self.path.exists() else {}
        except (OSError, ValueError):
            self.pages = {}  # unreadable state: render everything again
        if not isinstance(self.pages, dict):
            self.pages = {}

    def fresh(self, page: str, key: str, out_dir: Path) -> bool:
        """The page exists and was rendered successfully from exactly these inputs."""
        entry = self.pages.get(page, {})
        return entry.get("key") == key and entry.get("status") == "ok" and (Path(out_dir) / f"{page}.html").exists()

    def record(self, page: str, entry: dict) -> None:
        """Record one page and save the whole state at once (atomic)."""
        previous = self.pages.get(page, {})
        if entry.get("status") == "failed" and previous.get("status") == "ok":
            entry = {**entry, "last_good": previous.get("rendered_at", "")}
        self.pages[page] = entry
        self.save()

    def save(self) -> None:
        """Write the state file atomically."""
        write_atomic(self.path, json.dumps(self.pages, indent=2, sort_keys=True, ensure_ascii=False) + "\n")
