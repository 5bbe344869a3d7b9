"""raw → extracted → curated → processed: the ``khuyenhoc extract`` step, in three steps.

1. :func:`read_batch` — read every ``*.txt`` under the articles folder, one article at a time
   (so any ``concurrent.futures`` executor can spread them); an article that cannot be read
   (unreadable, a directory, too large, undecodable) is an error *of that article*. Where an
   article is extracted (a worker) its residue, trace and figure rows are already turned into
   CSV lines and its articles.csv cells computed (:class:`Extracted`): none of them depends on
   another article (a figure's line is used only if curation leaves the row as it was). The
   main process takes each article as it arrives, in order, while the workers go on, and keeps
   only that (never the whole :class:`ArticleResult`).
2. :func:`process` — apply the reviewers' corrections and additions, then validate *per row*:
   an extractor row that breaks the contract goes to ``rejected.csv`` with the rule it breaks
   and every other row is kept (issue 15); a curated row that would break it is refused and
   logged (a person wrote it: they are told which row).
3. :func:`save` — check the table's key once more and write, deterministically, as one set
   swapped in together (:mod:`analysis.table.outputs`: temp folder, one atomic pointer swap, a lock):

- ``figures.csv`` — the contract table;
- ``residue.csv`` — every number that did not become a figure, with the reason;
- ``articles.csv`` — one row per article: date used and how it was found, counts, warnings,
  invisible characters normalising removed, rows rejected;
- ``rejected.csv`` — extractor rows that break the contract: the row and the rule;
- ``curation_log.csv`` — each correction and addition and what became of it;
- ``datapackage.json`` — the three tables as a Frictionless data package (schema, keys, checksums);
- ``figures.meta.json`` — package version, input and output checksums, row counts.

Text cells that begin like a spreadsheet formula (``=``, ``+``, ``-``, ``@``) are written with a
leading ``'`` so a spreadsheet shows them instead of evaluating them; numbers stay numbers.
"""

from __future__ import annotations

import csv
import io
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path

from analysis import __version__
from analysis.extraction.curation import LOG_COLUMNS, apply_curation
from analysis.extraction.extract import RESIDUE_FIELDS, ArticleResult, SourceMeta, extract_file
from analysis.extraction.sources import NO_FILE, read_sources, source_gaps  # noqa: F401  (read_sources re-exported)
from analysis.extraction.textio import ArticleError, describe_removed
from analysis.extraction.trace import TRACE_COLUMNS, TRACE_PATH_NAME, trace_key
from analysis.table.outputs import file_sha256
from analysis.table.schema import COLUMNS

ARTICLE_COLUMNS = ["source_id", "title", "outlet", "url", "published", "published_how", "subject_how", "encoding",
                   "chars", "figures", "residue", "rejected", "normalised_chars", "warnings", "source_gap"]
REJECTED_COLUMNS = [*COLUMNS, "rule"]
NUMERIC_COLUMNS = {"value", "value_max", "start", "end", "chars", "figures", "residue", "rejected",
                   "normalised_chars", "line"}


@dataclass
class Extracted:
    """One article's extraction as the batch needs it, made where the article was extracted.

    Figures stay rows (curation and validation look at the whole table), each with its line of
    figures.csv ready for when it is kept as it is; residue and trace are already this article's
    lines of residue.csv and figures_trace.csv (no header), the trace's sorted by ``(start,
    metric)``; ``article`` holds the articles.csv cells the text decides.
    """
    figures: list[dict]
    figure_lines: list[bytes]  # each figure's line of figures.csv, should it be kept unchanged
    residue_csv: bytes
    residue: int
    trace_csv: bytes
    article: dict
    chars: int = 0
    sha256: str = ""


@dataclass
class Outcome:
    """The result of extracting one article, or the error that stopped it."""
    source_id: str
    result: Extracted | None = None
    error: str = ""


@dataclass
class RunSummary:
    """What an extraction run did: outcomes, problems, counts and the folder written."""
    outcomes: list[Outcome] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # sources.csv and curation problems
    figures: int = 0
    residue: int = 0
    rejected: int = 0
    folder: Path | None = None  # the set written

    @property
    def failed(self) -> list[Outcome]:
        """The articles that could not be extracted."""
        return [o for o in self.outcomes if o.error]


def _article_cells(r: ArticleResult) -> dict:
    """The articles.csv cells of one extracted article that its text decides."""
    warnings = list(r.warnings)
    hidden = {k: n for k, n in r.removed.items() if k in ("format", "control")}
    if hidden:
        warnings.append(f"normalising removed {describe_removed(hidden)} character(s)")
    return {"published": r.published.isoformat() if r.published else "",
            "published_how": r.published_how, "subject_how": r.subject_how, "encoding": r.encoding, "chars": r.chars,
            "figures": len(r.figures), "residue": len(r.residue), "rejected": 0,
            "normalised_chars": sum(r.removed.values()), "warnings": "; ".join(warnings)}


def extracted(r: ArticleResult) -> Extracted:
    """What the batch keeps of one article: figure rows, residue and trace as CSV lines, its cells."""
    trace = sorted((t.row() for t in r.trace), key=trace_key)
    figures = [f.row() for f in r.figures]
    return Extracted(figures, _row_lines(figures, COLUMNS), _csv_lines([x.row() for x in r.residue], RESIDUE_FIELDS),
                     len(r.residue), _csv_lines(trace, TRACE_COLUMNS), _article_cells(r), r.chars, r.sha256)


def _extract_one(args: tuple[str, SourceMeta, int | None]) -> Outcome:
    path, meta, max_bytes = args
    try:
        return Outcome(meta.source_id, extracted(extract_file(Path(path), meta, max_bytes)))
    except ArticleError as exc:
        return Outcome(meta.source_id, error=str(exc))
    except Exception as exc:  # noqa: BLE001 — a fault on one article must not sink the batch
        return Outcome(meta.source_id, error=f"the extractor failed on this article ({type(exc).__name__}: "
                                             f"{str(exc)[:200]}); the other articles are written — please report it")


def iter_extract(paths: list[Path], metas: dict[str, SourceMeta],
                 executor: Executor | None = None, max_bytes: int | None = None) -> Iterator[Outcome]:
    """Extract each article, yielding the outcomes in the order of ``paths`` as they are done;
    with an executor, articles are spread over its workers (all submitted at once)."""
    work = [(str(p), metas.get(p.stem) or SourceMeta(p.stem), max_bytes) for p in paths]
    if executor is None:
        return map(_extract_one, work)
    # small chunks: the workers finish together (a 600-article chunk left to one worker at the end
    # idles the other for a second); 32 articles are ~60 ms of work, far above a chunk's overhead
    chunk = max(1, min(32, len(work) // (8 * (os.cpu_count() or 1))))
    return iter(executor.map(_extract_one, work, chunksize=chunk))


def extract_all(paths: list[Path], metas: dict[str, SourceMeta],
                executor: Executor | None = None, max_bytes: int | None = None) -> list[Outcome]:
    """Extract each article; with an executor, articles are spread over its workers."""
    return list(iter_extract(paths, metas, executor, max_bytes))


def csv_number(value) -> str:
    """A number as the CSV writes it: integers without ``.0``, at most six decimals."""
    if value is None or value == "" or (isinstance(value, float) and value != value):
        return ""
    v = float(value)
    if v.is_integer():
        return str(int(v))
    return f"{v:.6f}".rstrip("0").rstrip(".")


_FORMULA = ("=", "+", "-", "@", "\t", "\r")
_FORMULA_START = frozenset(_FORMULA)


def safe_cell(value) -> str:
    """A text cell a spreadsheet will not evaluate: a leading ``=``, ``+``, ``-`` or ``@`` gets ``'``."""
    if value is None:
        return ""
    text = str(value)
    return "'" + text if text.startswith(_FORMULA) else text


def _cell(value, numeric: bool) -> str:
    if numeric and value not in (None, ""):
        try:
            return csv_number(value) if not isinstance(value, int) else str(value)
        except (TypeError, ValueError):
            return safe_cell(value)
    return safe_cell(value)


def _column(values: list, numeric: bool) -> list[str]:
    """One column's cells as written: :func:`_cell` of each, with the common cases inlined."""
    formula, cell = _FORMULA_START, _cell
    if numeric:
        return [str(v) if v.__class__ is int else cell(v, True) for v in values]
    return [("'" + v if v[:1] in formula else v) if v.__class__ is str else cell(v, False) for v in values]


class _Lines(list):
    write = list.append  # the CSV writer writes each row with one call


def _row_lines(rows: list[dict], columns: list[str]) -> list[bytes]:
    """Each row's CSV line (no header), one bytes object per row, written column by column: the
    cells of :func:`_cell`."""
    if not rows:
        return []
    cells = [_column([r.get(k) for r in rows], k in NUMERIC_COLUMNS) for k in columns]
    lines = _Lines()
    csv.writer(lines, lineterminator="\n").writerows(zip(*cells, strict=True))
    return [line.encode("utf-8") for line in lines]


def _csv_lines(rows: list[dict], columns: list[str]) -> bytes:
    """Rows as CSV lines (no header)."""
    return b"".join(_row_lines(rows, columns))


def _header(columns: list[str]) -> bytes:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerow(columns)
    return buf.getvalue().encode("utf-8")


def _csv_bytes(rows: Iterable[dict], columns: list[str]) -> bytes:
    """A whole CSV table: the header, then the rows."""
    return _header(columns) + _csv_lines(list(rows), columns)


def _typed(row: dict) -> tuple:
    """A row's cells with their types (``1``, ``1.0`` and ``True`` are equal but not written alike)."""
    values = [row.get(k) for k in COLUMNS]
    return (*values, *map(type, values))


def _figures_csv(rows: list[dict], batch: Batch) -> bytes:
    """figures.csv: each row's line as its worker wrote it when the row is an extractor row as
    taken (or a curated copy equal to one, types included), else written here."""
    known, by_value = batch.figure_lines, None
    out = [_header(COLUMNS)]
    for r in rows:
        line = known.get(id(r))
        if line is None:
            if by_value is None:  # curation copied the rows: find each one's original by value
                by_value = {_typed(o): known[id(o)] for o in batch.figures if id(o) in known}
            line = by_value.get(_typed(r)) or _csv_lines([r], COLUMNS)
        out.append(line)
    return b"".join(out)


def _joined(columns: list[str], parts: Iterable[bytes]) -> bytes:
    """A CSV table from parts already written as lines (the CSV writer keeps no state across rows)."""
    return b"".join([_header(columns), *parts])


# -- 1. read ----------------------------------------------------------------------------------

@dataclass
class Batch:
    """What was read: the articles' outcomes and the sources' metadata, and what the batch keeps
    of each article (taken in as it arrives, by :meth:`take`)."""

    articles_dir: Path
    sources_csv: Path | None
    paths: list[Path]
    metas: dict[str, SourceMeta]
    outcomes: list[Outcome]
    problems: list[str]
    gaps: dict[str, str] = field(default_factory=dict)  # source_id → NO_ROW | NO_FILE
    articles: list[dict] = field(default_factory=list)  # articles.csv rows, in the articles' order
    figures: list[dict] = field(default_factory=list)  # extractor rows, in the articles' order
    residue: list[bytes] = field(default_factory=list)  # residue.csv lines, article by article
    trace: list[tuple[str, bytes]] = field(default_factory=list)  # (source_id, its figures_trace.csv lines)
    errors: list[str] = field(default_factory=list)  # the articles that could not be extracted
    figure_lines: dict[int, bytes] = field(default_factory=dict)  # id of an extractor row (kept as taken) → its line
    chars: dict[str, int] = field(default_factory=dict)  # source_id → normalised length
    sha256: dict[str, str] = field(default_factory=dict)  # source_id → checksum of the raw file

    def take(self, o: Outcome, echo: Callable[[str], None]) -> None:
        """Keep one article's outcome: its articles.csv row, figure rows, residue and trace lines."""
        self.outcomes.append(o)
        meta = self.metas.get(o.source_id) or SourceMeta(o.source_id)
        row = {"source_id": o.source_id, "title": meta.title, "outlet": meta.outlet, "url": meta.url,
               "source_gap": self.gaps.get(o.source_id, "")}
        self.articles.append(row)
        if o.error:
            row["warnings"] = f"ERROR: {o.error}"
            self.errors.append(f"{self.articles_dir}/{o.source_id}.txt: {o.error}")
            return
        e = o.result
        row.update(e.article)
        self.figures += e.figures
        self.figure_lines.update(zip(map(id, e.figures), e.figure_lines, strict=True))
        self.residue.append(e.residue_csv)
        self.trace.append((o.source_id, e.trace_csv))
        self.chars[o.source_id] = e.chars
        if e.sha256:
            self.sha256[o.source_id] = e.sha256
        echo(f"{o.source_id}: {len(e.figures)} figures, {e.residue} other numbers"
             + (f" ({row['warnings']})" if row["warnings"] else ""))


def read_batch(articles_dir: Path, sources_csv: Path | None, executor: Executor | None = None,
               max_bytes: int | None = None, warn: Callable[[str], None] | None = None,
               echo: Callable[[str], None] | None = None) -> Batch:
    """Read sources.csv and extract every ``*.txt`` of the folder (step 1), taking each article
    in as it is done (``echo`` gets a line for each)."""
    try:
        metas, problems = read_sources(sources_csv)
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        metas, problems = {}, [f"{sources_csv}: cannot be read as a UTF-8 CSV table ({exc}); "
                               "every article is read without its sources.csv row"]
    paths = sorted(Path(articles_dir).glob("*.txt"))
    gaps = source_gaps(metas, {p.stem for p in paths}) if sources_csv is not None else {}
    for sid, gap in gaps.items():
        if gap == NO_FILE:
            problems.append(f"{sources_csv}: source {sid!r} has no article file in {articles_dir}")
        elif warn:
            warn(f"{articles_dir}/{sid}.txt: {gap}: its title, outlet and url are unknown")
    batch = Batch(Path(articles_dir), sources_csv, paths, metas, [], problems, gaps)
    echo = echo or (lambda s: None)
    outcomes = iter_extract(paths, metas, executor, max_bytes)  # with an executor: all submitted now
    if executor is not None and paths:
        _warm_up()  # while the first articles are being extracted
    for o in outcomes:
        batch.take(o, echo)
    return batch


def _warm_up() -> None:
    """Import pandas and pandera and build the schema :func:`quarantine` uses."""
    from analysis.table.schema import schema

    schema(key=False)


# -- 2. process -------------------------------------------------------------------------------

@dataclass
class Tables:
    """The set to write, as rows (residue and trace as the articles' CSV lines); and the problems to report."""

    figures: list[dict] = field(default_factory=list)
    residue: int = 0  # rows of residue.csv
    residue_csv: list[bytes] = field(default_factory=list)
    trace_csv: list[bytes] = field(default_factory=list)  # in the trace's key order
    articles: list[dict] = field(default_factory=list)
    rejected: list[dict] = field(default_factory=list)
    log: list = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def quarantine(rows: list[dict]) -> tuple[list[dict], list[dict]]:
    """Split rows into those that keep the contract and those that break it (with ``rule``)."""
    import pandas as pd

    from analysis.table.schema import row_problems

    if not rows:
        return rows, []
    problems = row_problems(pd.DataFrame(rows, columns=COLUMNS))
    keep = [r for i, r in enumerate(rows) if i not in problems]
    bad = [{**r, "rule": "; ".join(problems[i])} for i, r in enumerate(rows) if i in problems]
    return keep, bad


def process(batch: Batch, curated_dir: Path | None) -> Tables:
    """Curate and validate per row (step 2)."""
    t = Tables(figures=batch.figures, problems=[*batch.problems, *batch.errors], articles=list(batch.articles),
               residue_csv=batch.residue, residue=sum(o.result.residue for o in batch.outcomes if o.result),
               trace_csv=[lines for _, lines in sorted(batch.trace, key=itemgetter(0))])
    by_article = {row["source_id"]: row for row in batch.articles}
    t.articles += [{"source_id": sid, "title": batch.metas[sid].title, "outlet": batch.metas[sid].outlet,
                    "url": batch.metas[sid].url, "source_gap": gap} for sid, gap in batch.gaps.items() if gap == NO_FILE]
    if curated_dir is not None:
        t.figures, t.log = apply_curation(t.figures, Path(curated_dir), batch.chars)
        for e in t.log:
            if e.status != "applied":
                t.problems.append(f"{curated_dir}/{e.file}:{e.line}: {e.status}: {e.detail}")
    t.figures, t.rejected = quarantine(t.figures)
    for r in t.rejected:
        t.problems.append(f"{batch.articles_dir}/{r['source_id']}.txt: row at {r['start']} ({r['metric']} "
                          f"{r['value']}) rejected: {r['rule']} — quote: {str(r['quote'])[:120]!r}")
        if r["source_id"] in by_article:
            art = by_article[r["source_id"]]
            art["rejected"] = int(art.get("rejected") or 0) + 1
            art["figures"] = max(0, int(art.get("figures") or 0) - 1)
    t.figures.sort(key=lambda r: (r["source_id"], int(r["start"]), r["metric"], float(r["value"] or 0)))
    t.rejected.sort(key=lambda r: (str(r["source_id"]), str(r["start"]), str(r["metric"])))
    return t


# -- 3. save ----------------------------------------------------------------------------------

def _inputs(batch: Batch, curated_dir: Path | None) -> dict[str, str]:
    inputs = {f"articles/{sid}.txt": sha for sid, sha in batch.sha256.items()}
    extras = [batch.sources_csv] + ([Path(curated_dir) / "corrections.csv", Path(curated_dir) / "additions.csv"]
                                    if curated_dir else [])
    for extra in filter(None, extras):
        try:
            inputs[Path(extra).name] = file_sha256(Path(extra))
        except OSError:
            continue  # absent or unreadable: already reported where it was read
    from analysis.extraction.knowledge import CUES_PATH

    inputs["knowledge/cues.csv"] = file_sha256(CUES_PATH)
    return dict(sorted(inputs.items()))


def _check_keys(rows: list[dict], where: str) -> None:
    """The table's key is unique (a cheap second look; raises :class:`FiguresSchemaError`).

    The rows come from :func:`quarantine`, whose :func:`row_problems` ran the schema's column
    and semantic checks on each of them: those checks are per row, so the table of the rows
    kept passes them too, and running the schema again on it (as this step once did) repeated
    the same work. Only uniqueness is a property of the whole table; it is checked here again,
    on the values as the schema coerces them.
    """
    from analysis.table.schema import PRIMARY_KEY, FiguresSchemaError

    seen: dict[tuple, int] = {}
    for i, r in enumerate(rows):
        key = (str(r["source_id"]), int(r["start"]), str(r["metric"]), str(r["stage"]))
        if key in seen:
            raise FiguresSchemaError(f"{where}: rows {seen[key]} and {i} have the same {', '.join(PRIMARY_KEY)} "
                                     f"({key}), the table's key")
        seen[key] = i


def save(t: Tables, batch: Batch, out_csv: Path, curated_dir: Path | None) -> Path:
    """Check the table's key once more and publish the set (step 3; hold the folder's lock)."""
    from analysis.table import outputs

    out_csv = Path(out_csv)
    _check_keys(t.figures, str(out_csv))  # second line of defence
    files = {
        out_csv.name: _figures_csv(t.figures, batch),
        "residue.csv": _joined(RESIDUE_FIELDS, t.residue_csv),
        "articles.csv": _csv_bytes(t.articles, ARTICLE_COLUMNS),
        "rejected.csv": _csv_bytes(t.rejected, REJECTED_COLUMNS),
        "curation_log.csv": _csv_bytes([e.row() for e in t.log], LOG_COLUMNS),
        TRACE_PATH_NAME: _joined(TRACE_COLUMNS, t.trace_csv),
    }
    meta = {
        "package": "khuyenhoc",
        "package_version": __version__,
        "inputs_sha256": _inputs(batch, curated_dir),
        "rows": {"figures": len(t.figures), "residue": t.residue, "articles": len(t.articles),
                 "articles_failed": sum(bool(o.error) for o in batch.outcomes),
                 "rejected": len(t.rejected),
                 "corrections_applied": sum(e.status == "applied" for e in t.log),
                 "corrections_unmatched": sum(e.status != "applied" for e in t.log)},
    }
    return outputs.publish(out_csv.parent, files, meta, derive=_datapackage)


def _datapackage(folder: Path) -> dict[str, bytes]:
    """``datapackage.json`` of the tables just written into the new set's folder."""
    import json

    from analysis.table.datapackage import descriptor

    return {"datapackage.json": (json.dumps(descriptor(folder), ensure_ascii=False, indent=2) + "\n").encode("utf-8")}


def run_extract(articles_dir: Path, sources_csv: Path | None, out_csv: Path, curated_dir: Path | None,
                executor: Executor | None = None, echo: Callable[[str], None] | None = None,
                warn: Callable[[str], None] | None = None, max_bytes: int | None = None,
                lock_timeout: float = 60.0) -> RunSummary:
    """read → process → save, holding the output folder's lock throughout (a second run waits
    up to ``lock_timeout`` seconds); problems are reported through ``warn`` and kept in the summary.

    Raises :class:`~analysis.table.schema.FiguresSchemaError` only for a table-level break,
    :class:`~analysis.table.outputs.OutputError` when the set cannot be written and
    :class:`~analysis.table.outputs.LockBusy` when another run holds the folder.
    """
    from analysis.table import outputs

    echo = echo or (lambda s: print(s))
    warn = warn or (lambda s: print(s, file=sys.stderr))
    with outputs.locked(Path(out_csv).parent, lock_timeout, warn):
        batch = read_batch(articles_dir, sources_csv, executor, max_bytes, warn, echo)
        tables = process(batch, curated_dir)
        for p in tables.problems:
            warn(p)
        summary = RunSummary(outcomes=batch.outcomes, problems=tables.problems)
        summary.folder = save(tables, batch, out_csv, curated_dir)
    summary.figures, summary.residue, summary.rejected = len(tables.figures), tables.residue, len(tables.rejected)
    return summary
