"""The figures table as the grid sees it, in plain Python: each row checked against the contract's
field table, malformed rows set aside with their line named, and each report's scope (which rows
it reads) — so one hand-edited row fails only the reports that read it, before any kernel starts.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

from analysis.table.clusters import cluster_number
from analysis.table.schema import FIELDS

_ISO = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class BadRow:
    """A row of figures.csv that breaks the contract: its line, its cells and what is wrong."""

    line: int
    row: dict
    problem: str

    def describe(self, path: Path | str = "figures.csv") -> str:
        """``figures.csv line 7 (article-3 at 120): period_end '2023-02-30' is not a date``."""
        return (f"{Path(path).name} line {self.line} ({self.row.get('source_id', '?')} at "
                f"{self.row.get('start', '?')}): {self.problem}")


def _cell_problem(f, value: str) -> str:
    if value == "":
        return f"{f.name} is empty" if f.required else ""
    if f.allowed and value not in f.allowed:
        return f"{f.name} {value!r} is not one of {', '.join(f.allowed)}"
    if f.dtype == "date":
        try:
            if not _ISO.fullmatch(value):
                raise ValueError
            date.fromisoformat(value)
        except ValueError:
            return f"{f.name} {value!r} is not a date (YYYY-MM-DD that exists)"
    elif f.dtype in ("float", "int"):
        try:
            number = float(value) if f.dtype == "float" else int(value)
        except ValueError:
            return f"{f.name} {value!r} is not a number"
        if number != number or (f.name == "value" and number < 0):
            return f"{f.name} {value!r} is not a non-negative number"
    return ""


def row_problem(row: Mapping) -> str:
    """What is wrong with one row (empty when it keeps the contract's field rules)."""
    for f in FIELDS:
        problem = _cell_problem(f, row.get(f.name) or "")
        if problem:
            return problem
    if row.get("period_start") and row.get("period_end") and row["period_start"] > row["period_end"]:
        return f"period_start {row['period_start']} is after period_end {row['period_end']}"
    return ""


def read_rows(figures_csv: Path) -> tuple[list[dict], list[BadRow]]:
    """The good rows and the malformed ones (line numbers as a text editor counts them)."""
    figures_csv = Path(figures_csv)
    if not figures_csv.exists():
        return [], []
    good, bad = [], []
    with open(figures_csv, newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        missing = [c.name for c in FIELDS if c.name not in (reader.fieldnames or [])]
        if missing:
            raise ValueError(f"{figures_csv}: columns missing: {', '.join(missing)}")
        for row in reader:
            if None in row or any(v is None for v in row.values()):
                bad.append(BadRow(reader.line_num, row, "wrong number of cells"))
                continue
            problem = row_problem(row)
            (bad.append(BadRow(reader.line_num, row, problem)) if problem else good.append(row))
    return good, bad


@cache
def _provinces_cached(path: str, mtime: float) -> tuple[dict, ...]:
    with open(path, newline="", encoding="utf-8") as f:
        return tuple(csv.DictReader(f))


def reference_provinces(reference_dir: Path) -> list[dict]:
    """The rows of ``provinces.csv`` (read once per file version)."""
    path = Path(reference_dir) / "provinces.csv"
    return [dict(r) for r in _provinces_cached(str(path), path.stat().st_mtime)]


def scope(parameters: Mapping, provinces: Iterable[Mapping]):
    """A predicate: does a report with these parameters read this row? (all rows when unscoped)."""
    if parameters.get("entity"):
        entity = parameters["entity"]
        return lambda r: r.get("entity") == entity
    if parameters.get("entities"):
        chosen = set(parameters["entities"])
        return lambda r: r.get("entity") in chosen
    if parameters.get("province"):
        province = parameters["province"]
        return lambda r: r.get("province") == province or r.get("entity") == province
    if parameters.get("cluster"):
        number = cluster_number(parameters["cluster"])
        members = {p["province"] for p in provinces if p.get("cluster") == number}
        return lambda r: r.get("province") in members or r.get("entity") in members
    return lambda r: True


def write_clean_copy(figures_csv: Path, good: list[dict], folder: Path) -> Path:
    """figures.csv without its malformed rows, beside links to its sibling tables (articles, residue…)."""
    from analysis.reports.state import write_atomic

    figures_csv = Path(figures_csv)
    folder.mkdir(parents=True, exist_ok=True)
    for sibling in figures_csv.parent.iterdir():
        target = folder / sibling.name
        if sibling.name in (figures_csv.name, "figures.meta.json") or not sibling.is_file():
            continue
        if target.is_symlink() or target.exists():
            target.unlink()
        target.symlink_to(sibling.resolve())
    out = folder / figures_csv.name
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=[c.name for c in FIELDS], extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(good)
    write_atomic(out, buffer.getvalue())
    return out
