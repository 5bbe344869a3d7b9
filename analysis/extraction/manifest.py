"""Raw data is immutable: ``data/raw/MANIFEST.sha256`` lists a checksum for every raw file.

``check_manifest`` reports files that changed, vanished or are not listed; ``update_manifest``
only ever adds lines for new files (an edited raw file must be restored, not re-hashed).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from analysis.paths import RAW_DIR


def _files(raw: Path) -> list[Path]:
    return sorted(p for p in raw.rglob("*") if p.is_file() and p.name != "MANIFEST.sha256")


def read_manifest(raw: Path = RAW_DIR) -> dict[str, str]:
    path = raw / "MANIFEST.sha256"
    out = {}
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                digest, name = line.split(None, 1)
                out[name.strip()] = digest
    return out


def _digest(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


def check_manifest(raw: Path = RAW_DIR) -> list[str]:
    listed = read_manifest(raw)
    problems = []
    present = {p.relative_to(raw).as_posix(): p for p in _files(raw)}
    for name, digest in listed.items():
        if name not in present:
            problems.append(f"data/raw/{name}: listed in MANIFEST.sha256 but missing")
        elif _digest(present[name]) != digest:
            problems.append(f"data/raw/{name}: changed since it was added (raw files are immutable; "
                            "restore it with git and put corrections in data/curated/)")
    for name in sorted(set(present) - set(listed)):
        problems.append(f"data/raw/{name}: not in MANIFEST.sha256 (run 'make manifest' after adding it)")
    return problems


def update_manifest(raw: Path = RAW_DIR) -> list[str]:
    listed = read_manifest(raw)
    added = []
    for p in _files(raw):
        name = p.relative_to(raw).as_posix()
        if name not in listed:
            listed[name] = _digest(p)
            added.append(name)
    lines = [f"{d}  {n}" for n, d in sorted(listed.items())]
    (raw / "MANIFEST.sha256").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return added
