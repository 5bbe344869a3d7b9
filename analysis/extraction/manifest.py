"""Raw data is immutable: ``data/raw/MANIFEST.sha256`` lists a checksum for every raw file.

``check_manifest`` reports files that changed, vanished or are not listed; ``update_manifest``
only ever adds lines for new files (an edited raw file must be restored, not re-hashed).

``sources.csv`` is an append-only ledger: its recorded checksum must match the file up to
some line end (rows added after the recorded ones are fine and recorded by the next
``update_manifest``); an edited or removed row is reported like any changed raw file.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from analysis.paths import RAW_DIR

MANIFEST = "MANIFEST.sha256"
LEDGERS = frozenset({"sources.csv"})


def _files(raw: Path) -> list[Path]:
    return sorted(p for p in raw.rglob("*") if p.is_file() and p.name != MANIFEST
                  and not p.name.endswith(".tmp"))


def read_manifest(raw: Path = RAW_DIR) -> dict[str, str]:
    """``name → sha256`` for every line of the manifest (names relative to ``raw``)."""
    path = raw / MANIFEST
    out = {}
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                digest, name = line.split(None, 1)
                out[name.strip()] = digest
    return out


def manifest_text(listed: dict[str, str]) -> str:
    """The manifest file's content for ``listed`` (sorted, one ``digest  name`` a line)."""
    return "".join(f"{d}  {n}\n" for n, d in sorted(listed.items()))


def digest_bytes(data: bytes) -> str:
    """SHA-256 of ``data``, hex."""
    return hashlib.sha256(data).hexdigest()


def _digest(p: Path) -> str:
    return digest_bytes(p.read_bytes())


def ledger_prefix_ok(data: bytes, recorded: str) -> bool:
    """Whether ``data`` starts with the bytes whose checksum is ``recorded``, cut at a line end
    (before or after the line break): the recorded rows are intact, others may follow."""
    if recorded in (digest_bytes(data), digest_bytes(b"")):
        return True
    h = hashlib.sha256()
    done = 0
    nl = data.find(b"\n")
    while nl != -1:
        cut = nl - 1 if nl > 0 and data[nl - 1:nl] == b"\r" else nl
        for end in (cut, nl + 1):  # the recorded file may or may not have ended with its line break
            if end < done:
                continue
            h.update(data[done:end])
            done = end
            if h.hexdigest() == recorded:
                return True
        nl = data.find(b"\n", nl + 1)
    return False


def _state(name: str, path: Path, digest: str) -> str:
    """``same``, ``grown`` (a ledger with rows added) or ``changed``."""
    data = path.read_bytes()
    if digest_bytes(data) == digest:
        return "same"
    if name in LEDGERS and ledger_prefix_ok(data, digest):
        return "grown"
    return "changed"


def check_manifest(raw: Path = RAW_DIR) -> list[str]:
    """Problems: listed files changed or missing, files not listed (rows added to a ledger are fine)."""
    listed = read_manifest(raw)
    problems = []
    present = {p.relative_to(raw).as_posix(): p for p in _files(raw)}
    for name, digest in listed.items():
        if name not in present:
            problems.append(f"data/raw/{name}: listed in {MANIFEST} but missing")
        elif _state(name, present[name], digest) == "changed":
            what = ("a recorded row was edited or removed (it is an append-only ledger: add rows "
                    "at the end, never change one; restore it with git)" if name in LEDGERS else
                    "changed since it was added (raw files are immutable; "
                    "restore it with git and put corrections in data/curated/)")
            problems.append(f"data/raw/{name}: {what}")
    for name in sorted(set(present) - set(listed)):
        problems.append(f"data/raw/{name}: not in {MANIFEST} (run 'make manifest' after adding it)")
    return problems


def update_manifest(raw: Path = RAW_DIR) -> list[str]:
    """Add files not yet listed, and record new rows of a ledger; never re-hash a changed file."""
    listed = read_manifest(raw)
    added = []
    for p in _files(raw):
        name = p.relative_to(raw).as_posix()
        if name not in listed:
            listed[name] = _digest(p)
            added.append(name)
        elif name in LEDGERS and _state(name, p, listed[name]) == "grown":
            listed[name] = _digest(p)
            added.append(f"{name} (new rows)")
    (raw / MANIFEST).write_text(manifest_text(listed), encoding="utf-8")
    return added
