"""Reviewers' corrections, kept in ``data/curated/`` and applied after every extraction.

- ``corrections.csv`` — ``source_id, start, metric, action, field, value, reason``:
  ``fix`` sets one field of the extracted figure keyed by (source_id, start, metric);
  ``drop`` removes it (a false figure). Offsets are those of the normalised article, which
  never changes (raw files are immutable), so the key survives re-extraction.
- ``additions.csv`` — the contract's columns plus ``reason``: figures the extractor missed.

A correction that matches no figure is reported (``unmatched``), never silently ignored.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from analysis.table.schema import COLUMNS, FIELDS

CORRECTION_COLUMNS = ["source_id", "start", "metric", "action", "field", "value", "reason"]
_EDITABLE = {f.name for f in FIELDS} - {"source_id"}


@dataclass
class LogEntry:
    file: str
    line: int
    source_id: str
    start: str
    metric: str
    action: str
    status: str  # applied | unmatched | invalid
    detail: str

    def row(self) -> dict:
        return self.__dict__.copy()


LOG_COLUMNS = ["file", "line", "source_id", "start", "metric", "action", "status", "detail"]


def _read(path: Path) -> list[dict]:
    if not path.exists():
        return []
    with open(path, newline="", encoding="utf-8-sig") as f:
        return list(csv.DictReader(f))


def apply_curation(rows: list[dict], curated_dir: Path) -> tuple[list[dict], list[LogEntry]]:
    """Apply corrections and additions to extracted rows (dicts in contract columns)."""
    log: list[LogEntry] = []
    rows = [dict(r) for r in rows]
    index: dict[tuple[str, int, str], dict] = {}
    for r in rows:
        index.setdefault((r["source_id"], int(r["start"]), r["metric"]), r)
    dropped: set[int] = set()
    path = curated_dir / "corrections.csv"
    for n, c in enumerate(_read(path), start=2):
        action = (c.get("action") or "").strip()
        entry = LogEntry(path.name, n, c.get("source_id", ""), c.get("start", ""), c.get("metric", ""),
                         action, "applied", c.get("reason", ""))
        log.append(entry)
        try:
            key = (c["source_id"].strip(), int(c["start"]), c["metric"].strip())
        except (KeyError, ValueError, AttributeError):
            entry.status, entry.detail = "invalid", "source_id, start (a whole number) and metric are needed"
            continue
        target = index.get(key)
        if target is None or id(target) in dropped:
            entry.status = "unmatched"
            entry.detail = "no extracted figure has this source_id, start and metric any more"
            continue
        if action == "drop":
            dropped.add(id(target))
        elif action == "fix":
            field = (c.get("field") or "").strip()
            if field not in _EDITABLE:
                entry.status, entry.detail = "invalid", f"field {field!r} cannot be fixed"
                continue
            target[field] = c.get("value", "")
        else:
            entry.status, entry.detail = "invalid", f"action {action!r} is not fix or drop"
    rows = [r for r in rows if id(r) not in dropped]
    path = curated_dir / "additions.csv"
    for n, a in enumerate(_read(path), start=2):
        missing = [col for col in COLUMNS if col not in a]
        entry = LogEntry(path.name, n, a.get("source_id", ""), a.get("start", ""), a.get("metric", ""),
                         "add", "applied", a.get("reason", ""))
        log.append(entry)
        if missing:
            entry.status, entry.detail = "invalid", f"missing columns: {', '.join(missing)}"
            continue
        if (a["source_id"], int(a["start"]), a["metric"]) in index and \
                id(index[(a["source_id"], int(a["start"]), a["metric"])]) not in dropped:
            entry.status, entry.detail = "unmatched", "the extractor now finds this figure itself"
            continue
        rows.append({col: a[col] for col in COLUMNS})
    return rows, log
