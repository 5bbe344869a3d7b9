"""``data/raw/sources.csv``, read through one reader with an explicit schema.

Every problem is reported with the file and row (line) it is on, never as a traceback:
wrong encoding, unknown or missing columns, rows with the wrong number of fields, empty or
badly formed or repeated ``source_id``, dates that do not exist or lie in the future. A
usable row is used even when one of its fields is not (a bad date is inferred from the
text instead); a row that cannot be attributed (no ``source_id``, too many fields, a
repeated id) is left out and said so.

:func:`source_gaps` names the articles without a row and the rows without an article.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from analysis.extraction.extract import SourceMeta
from analysis.extraction.textio import ArticleError, decode_bytes


@dataclass(frozen=True)
class SourceField:
    """One column of `sources.csv`: its name, whether it is owed, and what it means."""

    name: str
    required: bool
    meaning: str


SOURCE_FIELDS: tuple[SourceField, ...] = (
    SourceField("source_id", True, "the article: file stem in data/raw/articles (lowercase ASCII, digits, '-')"),
    SourceField("title", False, "the headline as published"),
    SourceField("outlet", False, "the newspaper, site or organisation that published it"),
    SourceField("published", False, "publication date, YYYY-MM-DD (empty: inferred from the text)"),
    SourceField("url", False, "where it was published"),
)
SOURCE_COLUMNS = [f.name for f in SOURCE_FIELDS]
SOURCE_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

NO_ROW = "no row in sources.csv"
NO_FILE = "no article file"


@dataclass
class Sources:
    """The usable rows (by ``source_id``), their line numbers, and every problem found."""

    metas: dict[str, SourceMeta] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


def read_sources_table(path: Path | str | None, today: date | None = None) -> Sources:
    """Read and check ``sources.csv``; a missing path gives an empty table and no problem."""
    out = Sources()
    if path is None or not Path(path).exists():
        return out
    path = Path(path)
    text = _decode(path, out.problems)
    if text is None:
        return out
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    columns = _check_header(path, header, out.problems)
    if columns is None:
        return out
    today = today or date.today()
    line = reader.line_num
    for cells in reader:
        start, line = line + 1, reader.line_num
        if cells and any(c.strip() for c in cells):
            _take_row(path, start, cells, columns, today, out)
    return out


def read_sources(path: Path | str | None) -> tuple[dict[str, SourceMeta], list[str]]:
    """``sources.csv`` → metadata per source id, and the problems found in it."""
    table = read_sources_table(path)
    return table.metas, table.problems


def _decode(path: Path, problems: list[str]) -> str | None:
    data = path.read_bytes()
    if not data.strip():
        problems.append(f"{path}: the file is empty (expected the header {','.join(SOURCE_COLUMNS)})")
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        bad = exc.start
        where = data[:bad].count(b"\n") + 1
        try:
            decoded = decode_bytes(data)
        except ArticleError as err:
            problems.append(f"{path}:{where}: not UTF-8 text ({err}); save it as UTF-8")
            return None
        problems.append(f"{path}:{where}: not UTF-8 (byte 0x{data[bad]:02x}); read as {decoded.encoding} — "
                        "save it as UTF-8")
        return decoded.text


def _check_header(path: Path, header: list[str] | None, problems: list[str]) -> list[str] | None:
    columns = [c.strip() for c in header or []]
    if "source_id" not in columns:
        problems.append(f"{path}:1: no source_id column (the header must be {','.join(SOURCE_COLUMNS)})")
        return None
    unknown = [c for c in columns if c not in SOURCE_COLUMNS]
    if unknown:
        problems.append(f"{path}:1: unknown column(s) {', '.join(map(repr, unknown))} are ignored "
                        f"(known: {', '.join(SOURCE_COLUMNS)})")
    missing = [c for c in SOURCE_COLUMNS if c not in columns]
    if missing:
        problems.append(f"{path}:1: column(s) {', '.join(missing)} missing: treated as empty")
    repeated = sorted({c for c in columns if columns.count(c) > 1})
    if repeated:
        problems.append(f"{path}:1: column(s) {', '.join(repeated)} appear more than once; the first is used")
    return columns


def _take_row(path: Path, n: int, cells: list[str], columns: list[str], today: date, out: Sources) -> None:
    where = f"{path}:{n}"
    if len(cells) > len(columns):
        out.problems.append(f"{where}: {len(cells)} fields but the header has {len(columns)} "
                            "(an unquoted comma?): row left out")
        return
    if len(cells) < len(columns):
        out.problems.append(f"{where}: {len(cells)} fields but the header has {len(columns)}: "
                            "the missing ones are treated as empty")
    row: dict[str, str] = {}
    for name, value in zip(columns, cells, strict=False):
        row.setdefault(name, value.strip())
    sid = row.get("source_id", "")
    if not sid:
        out.problems.append(f"{where}: empty source_id: row left out")
        return
    if sid in out.metas:
        out.problems.append(f"{where}: source_id {sid!r} repeats row {out.lines[sid]}: "
                            "the first row is used")
        return
    if not SOURCE_ID.match(sid):
        out.problems.append(f"{where}: source_id {sid!r} is not lowercase ASCII letters, digits and '-'")
    published = _published(where, row.get("published", ""), today, out.problems)
    out.metas[sid] = SourceMeta(sid, row.get("title", ""), row.get("outlet", ""), published, row.get("url", ""))
    out.lines[sid] = n


def _published(where: str, text: str, today: date, problems: list[str]) -> date | None:
    if not text:
        return None
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        problems.append(f"{where}: published {text!r} is not an ISO date (YYYY-MM-DD); "
                        "the date is inferred from the text instead")
        return None
    try:
        value = date.fromisoformat(text)
    except ValueError:
        problems.append(f"{where}: published {text!r} is not a date that exists; "
                        "the date is inferred from the text instead")
        return None
    if value > today:
        problems.append(f"{where}: published {text} lies in the future; the date is inferred from the text instead")
        return None
    return value


def source_gaps(metas: dict[str, SourceMeta], article_ids: set[str]) -> dict[str, str]:
    """``source_id → gap`` for articles without a row (:data:`NO_ROW`) and rows without an
    article (:data:`NO_FILE`)."""
    gaps = {sid: NO_ROW for sid in article_ids - set(metas)}
    gaps.update({sid: NO_FILE for sid in set(metas) - set(article_ids)})
    return dict(sorted(gaps.items()))
