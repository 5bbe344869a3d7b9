"""Reviewers' corrections, kept in ``data/curated/`` and applied after every extraction.

- ``corrections.csv`` — ``source_id, start, metric, action, field, value, reason``:
  ``fix`` sets one field of the extracted figure keyed by (source_id, start, metric);
  ``drop`` removes it (a false figure). Offsets are those of the normalised article, which
  never changes (raw files are immutable), so the key survives re-extraction.
- ``additions.csv`` — the contract's columns plus ``reason``: figures the extractor missed.

Both are read as tables and checked row by row; every row ends in the log with a status:

- ``applied``;
- ``unmatched`` — a correction that matches no figure (any more), or an addition the extractor
  now finds itself;
- ``invalid`` — the row cannot be used: wrong number of fields (an unquoted comma, a truncated
  row), a start that is not a whole number, an unknown field or action, an addition for an
  article not in the batch or past the end of its text, or a result that breaks the contract;
- ``duplicate`` — the same correction or addition a second time: applied once;
- ``conflict`` — two different corrections of one key (two values for a field, or a fix and a
  drop): none of them is applied, each names the other.

A file that cannot be read as a table at all (not UTF-8/UTF-16 text, unknown or missing
columns) is refused whole, with one ``invalid`` log line for the file (line 1).
Nothing here raises on bad input: the caller reports every status other than ``applied``.
"""

from __future__ import annotations

import codecs
import csv
from dataclasses import dataclass
from pathlib import Path

from analysis.table.schema import COLUMNS, FIELDS

CORRECTION_COLUMNS = ["source_id", "start", "metric", "action", "field", "value", "reason"]
ADDITION_COLUMNS = [*COLUMNS, "reason"]
_EDITABLE = {f.name for f in FIELDS} - {"source_id"}
_NUMERIC = {f.name: f.dtype for f in FIELDS if f.dtype in ("int", "float")}


@dataclass
class LogEntry:
    """One line of `curation_log.csv`: a curated row and what became of it."""

    file: str
    line: int
    source_id: str
    start: str
    metric: str
    action: str
    status: str  # applied | unmatched | invalid | duplicate | conflict
    detail: str

    def row(self) -> dict:
        """The entry as a CSV row."""
        return self.__dict__.copy()


LOG_COLUMNS = ["file", "line", "source_id", "start", "metric", "action", "status", "detail"]


# -- reading a curated table ----------------------------------------------------------------

class CuratedFileError(ValueError):
    """A curated file that cannot be read as a table; the message says why."""


def _decode(data: bytes) -> str:
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16")
    sample = data[:2000]
    if len(sample) >= 4 and sample[1::2].count(0) > len(sample) // 4:
        return data.decode("utf-16-le")
    if len(sample) >= 4 and sample[0::2].count(0) > len(sample) // 4:
        return data.decode("utf-16-be")
    return data.decode("utf-8")


def read_table(path: Path, columns: list[str], required: list[str]) -> list[tuple[int, dict]]:
    """Rows of a curated CSV as ``(line number, {column: value})``; rows whose field count
    differs from the header come back as ``(line, {"__fields__": n})`` for the caller to refuse.

    Raises :class:`CuratedFileError` for a file that is not a table of these columns.
    """
    try:
        text = _decode(path.read_bytes())
    except OSError as exc:
        raise CuratedFileError(f"cannot be read: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise CuratedFileError(f"is not UTF-8 or UTF-16 text (byte {exc.start}): save it as UTF-8 CSV") from exc
    if "\x00" in text:
        raise CuratedFileError("contains NUL characters: not a text table")
    reader = csv.reader(text.splitlines(), strict=False)
    try:
        header = [h.strip() for h in next(reader, [])]
        unknown = [h for h in header if h not in columns]
        missing = [c for c in required if c not in header]
        if not header or unknown or missing:
            say = [f"unknown column(s) {', '.join(map(repr, unknown))}"] if unknown else []
            say += [f"missing column(s) {', '.join(missing)}"] if missing else []
            raise CuratedFileError("; ".join(say or ["no header row"]) + f" (expected {', '.join(columns)})")
        rows = []
        for fields in reader:
            line = reader.line_num
            if not any(f.strip() for f in fields):
                continue
            if len(fields) != len(header):
                rows.append((line, {"__fields__": len(fields), "__header__": len(header),
                                    **dict(zip(header, fields, strict=False))}))
            else:
                rows.append((line, dict(zip(header, fields, strict=True))))
        return rows
    except csv.Error as exc:
        raise CuratedFileError(f"line {reader.line_num}: not valid CSV ({exc})") from exc


def _field_count_problem(row: dict) -> str:
    n, expected = row["__fields__"], row["__header__"]
    if n > expected:
        return f"{n} fields where the header has {expected}: an unquoted comma? (quote values that contain commas)"
    return f"{n} fields where the header has {expected}: the row is truncated"


def _whole(text: str) -> int | None:
    try:
        return int(str(text).strip())
    except ValueError:
        return None


def _number_problem(name: str, value: str) -> str:
    """Why ``value`` cannot go into numeric field ``name`` ('' if it can)."""
    value = str(value).strip()
    if _NUMERIC.get(name) == "int":
        return "" if _whole(value) is not None else f"{name} {value!r} is not a whole number"
    if _NUMERIC.get(name) == "float":
        if value == "" and name == "value_max":
            return ""
        try:
            v = float(value)
        except ValueError:
            return f"{name} {value!r} is not a number (write it in base units, e.g. 72000 or 99.81)"
        return "" if v == v and v not in (float("inf"), float("-inf")) else f"{name} {value!r} is not a finite number"
    return ""


# -- applying them -------------------------------------------------------------------------

def _entry(path: Path, line: int, row: dict, action: str) -> LogEntry:
    return LogEntry(path.name, line, row.get("source_id", "") or "", row.get("start", "") or "",
                    row.get("metric", "") or "", action, "applied", row.get("reason", "") or "")


def _refuse_file(path: Path, exc: Exception, action: str) -> LogEntry:
    return LogEntry(path.name, 1, "", "", "", action, "invalid", f"file refused: {exc}")


def _read_corrections(path: Path, log: list[LogEntry]) -> list[tuple[LogEntry, tuple, dict]]:
    """Well-formed corrections as ``(log entry, key, row)``; the others logged ``invalid``."""
    if not path.exists():
        return []
    try:
        table = read_table(path, CORRECTION_COLUMNS, ["source_id", "start", "metric", "action"])
    except CuratedFileError as exc:
        log.append(_refuse_file(path, exc, "fix"))
        return []
    out = []
    for line, c in table:
        action = (c.get("action") or "").strip()
        entry = _entry(path, line, c, action)
        log.append(entry)
        problem = ""
        if "__fields__" in c:
            problem = _field_count_problem(c)
        elif _whole(c.get("start", "")) is None:
            problem = f"start {c.get('start', '')!r} is not a whole number"
        elif not (c.get("source_id") or "").strip() or not (c.get("metric") or "").strip():
            problem = "source_id and metric are needed"
        elif action not in ("fix", "drop"):
            problem = f"action {action!r} is not fix or drop"
        elif action == "fix":
            field = (c.get("field") or "").strip()
            if field not in _EDITABLE:
                problem = f"field {field!r} cannot be fixed"
            else:
                problem = _number_problem(field, c.get("value", ""))
        if problem:
            entry.status, entry.detail = "invalid", problem
            continue
        key = (c["source_id"].strip(), int(c["start"]), c["metric"].strip())
        out.append((entry, key, c))
    return out


def _what(c: dict) -> tuple:
    if (c.get("action") or "").strip() == "drop":
        return ("drop",)
    return ("fix", (c.get("field") or "").strip(), (c.get("value") or "").strip())


def _settle(items: list[tuple[LogEntry, tuple, dict]]) -> list[tuple[LogEntry, tuple, dict]]:
    """Duplicates count once; conflicting corrections of one key are all refused."""
    by_key: dict[tuple, list[tuple[LogEntry, tuple, dict]]] = {}
    for item in items:
        by_key.setdefault(item[1], []).append(item)
    keep = []
    for group in by_key.values():
        first: dict[tuple, LogEntry] = {}
        unique = []
        for entry, key, c in group:
            what = _what(c)
            if what in first:
                entry.status, entry.detail = "duplicate", f"same correction as line {first[what].line}: applied once"
                continue
            first[what] = entry
            unique.append((entry, key, c))
        drops = [u for u in unique if _what(u[2])[0] == "drop"]
        fields: dict[str, list] = {}
        for u in unique:
            if _what(u[2])[0] == "fix":
                fields.setdefault(_what(u[2])[1], []).append(u)
        clash = [u for f in fields.values() if len(f) > 1 for u in f]
        if drops and len(unique) > 1:
            clash = unique
        for u in clash:
            others = ", ".join(str(o[0].line) for o in clash if o is not u)
            u[0].status, u[0].detail = "conflict", f"conflicts with line(s) {others} for the same figure: none applied"
        keep += [u for u in unique if u not in clash]
    return keep


def _apply_corrections(rows: list[dict], path: Path, log: list[LogEntry]) -> list[dict]:
    index: dict[tuple[str, int, str], int] = {}
    for i, r in enumerate(rows):
        index.setdefault((str(r["source_id"]), int(r["start"]), str(r["metric"])), i)
    dropped: set[int] = set()
    fixes: dict[int, list[tuple[LogEntry, dict]]] = {}
    for entry, key, c in _settle(_read_corrections(path, log)):
        i = index.get(key)
        if i is None:
            entry.status = "unmatched"
            entry.detail = "no extracted figure has this source_id, start and metric any more"
        elif c["action"].strip() == "drop":
            dropped.add(i)
        else:
            fixes.setdefault(i, []).append((entry, c))
    for i, group in _blame(rows, fixes).items():
        for _, c in group:
            rows[i][c["field"].strip()] = c.get("value", "")
    return [r for i, r in enumerate(rows) if i not in dropped]


def _fixed(rows: list[dict], items: list[tuple[int, list]]) -> dict[int, list[str]]:
    """Contract problems of row ``i`` after fixes ``group``, for each ``(i, group)`` (by list position)."""
    import pandas as pd

    from analysis.table.schema import row_problems

    if not items:
        return {}
    candidates = []
    for i, group in items:
        row = dict(rows[i])
        for _, c in group:
            row[c["field"].strip()] = c.get("value", "")
        candidates.append(row)
    return row_problems(pd.DataFrame(candidates, columns=COLUMNS), key=False)


def _refuse(entry: LogEntry, why: str, problems: list[str]) -> None:
    entry.status, entry.detail = "invalid", why + "; ".join(problems)


def _blame(rows: list[dict], fixes: dict[int, list[tuple[LogEntry, dict]]]) -> dict[int, list]:
    """The fixes that keep their row within the contract; the others are logged ``invalid``.

    Each row's fixes are checked together; where that fails, each fix alone, so the fix that
    breaks the row is the one refused; if the rest still fail together, all are refused.
    """
    together = list(fixes.items())
    problems = _fixed(rows, together)
    good = {i: g for k, (i, g) in enumerate(together) if k not in problems}
    singles = [(i, [item]) for k, (i, g) in enumerate(together) if k in problems for item in g]
    alone = _fixed(rows, singles)
    retry: dict[int, list] = {}
    for k, (i, [item]) in enumerate(singles):
        if k in alone:
            _refuse(item[0], "the fixed figure would break the contract: ", alone[k])
        else:
            retry.setdefault(i, []).append(item)
    again = _fixed(rows, list(retry.items()))
    for k, (i, group) in enumerate(retry.items()):
        if k in again:
            for entry, _ in group:
                _refuse(entry, "with the other fixes of this figure it would break the contract: ", again[k])
        else:
            good[i] = group
    return good


def _apply_additions(rows: list[dict], path: Path, log: list[LogEntry],
                     articles: dict[str, int] | None) -> list[dict]:
    from analysis.table.schema import row_problems

    if not path.exists():
        return rows
    try:
        table = read_table(path, ADDITION_COLUMNS, COLUMNS)
    except CuratedFileError as exc:
        log.append(_refuse_file(path, exc, "add"))
        return rows
    present = {(str(r["source_id"]), int(r["start"]), str(r["metric"])) for r in rows}
    seen: dict[tuple, tuple[LogEntry, tuple]] = {}
    accepted: list[tuple[LogEntry, dict]] = []
    for line, a in table:
        entry = _entry(path, line, a, "add")
        log.append(entry)
        problem = _addition_problem(a, articles)
        if problem:
            entry.status, entry.detail = "invalid", problem
            continue
        key = (a["source_id"].strip(), int(a["start"]), a["metric"].strip())
        content = tuple((a.get(col) or "").strip() for col in COLUMNS)
        if key in seen:
            first, first_content = seen[key]
            if first.status == "conflict":
                entry.status, entry.detail = "conflict", f"conflicts with line {first.line} for the same figure: none added"
            elif first_content == content:
                entry.status, entry.detail = "duplicate", f"same addition as line {first.line}: added once"
            else:
                entry.status, entry.detail = "conflict", f"conflicts with line {first.line} for the same figure: neither added"
                first.status, first.detail = "conflict", f"conflicts with line {line} for the same figure: neither added"
            continue
        seen[key] = (entry, content)
        if key in present:
            entry.status, entry.detail = "unmatched", "the extractor now finds this figure itself"
            continue
        accepted.append((entry, {col: (a.get(col) or "").strip() for col in COLUMNS}))
    accepted = [(e, r) for e, r in accepted if e.status == "applied"]
    if accepted:
        import pandas as pd

        problems = row_problems(pd.DataFrame([r for _, r in accepted], columns=COLUMNS))
        for i, (entry, row) in enumerate(accepted):
            if i in problems:
                entry.status, entry.detail = "invalid", "breaks the contract: " + "; ".join(problems[i])
            else:
                rows.append(row)
    return rows


def _addition_problem(a: dict, articles: dict[str, int] | None) -> str:
    if "__fields__" in a:
        return _field_count_problem(a)
    for name in ("start", "end"):
        if _whole(a.get(name, "")) is None:
            return f"{name} {a.get(name, '')!r} is not a whole number"
    sid = (a.get("source_id") or "").strip()
    if articles is not None:
        if sid not in articles:
            return f"no article {sid!r} was read in this batch"
        chars = articles[sid]
        if not 0 <= int(a["start"]) < int(a["end"]) <= chars:
            return f"start {a['start']}, end {a['end']} lie outside the article's text ({chars} characters)"
    return ""


def apply_curation(rows: list[dict], curated_dir: Path,
                   articles: dict[str, int] | None = None) -> tuple[list[dict], list[LogEntry]]:
    """Apply corrections and additions to extracted rows (dicts in contract columns).

    ``articles`` (source id → length of its normalised text), when given, lets additions be
    checked against the batch. Returns the new rows and one log entry per curated row.
    """
    log: list[LogEntry] = []
    rows = [dict(r) for r in rows]
    curated_dir = Path(curated_dir)
    rows = _apply_corrections(rows, curated_dir / "corrections.csv", log)
    rows = _apply_additions(rows, curated_dir / "additions.csv", log, articles)
    return rows, log
