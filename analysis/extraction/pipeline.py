"""raw → extracted → curated → processed: the ``khuyenhoc extract`` step.

Reads every ``*.txt`` under the articles folder (one article at a time, so any
``concurrent.futures`` executor can spread them), applies the reviewers' corrections,
validates the table against the schema and writes, deterministically:

- ``figures.csv`` — the contract table;
- ``residue.csv`` — every number that did not become a figure, with the reason;
- ``articles.csv`` — one row per article: date used and how it was found, counts, warnings;
- ``curation_log.csv`` — each correction and whether it still applies;
- ``datapackage.json`` — the three tables as a Frictionless data package (schema, keys, checksums);
- ``figures.meta.json`` — package version, input checksums, row counts.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import sys
from collections.abc import Callable, Iterable
from concurrent.futures import Executor
from dataclasses import dataclass, field
from pathlib import Path

from analysis import __version__
from analysis.extraction.curation import LOG_COLUMNS, apply_curation
from analysis.extraction.extract import RESIDUE_FIELDS, ArticleResult, SourceMeta, extract_file
from analysis.extraction.sources import NO_FILE, read_sources, source_gaps  # noqa: F401  (read_sources re-exported)
from analysis.extraction.textio import ArticleError
from analysis.table.schema import COLUMNS

ARTICLE_COLUMNS = ["source_id", "title", "outlet", "url", "published", "published_how", "encoding",
                   "chars", "figures", "residue", "warnings", "source_gap"]


@dataclass
class Outcome:
    source_id: str
    result: ArticleResult | None = None
    error: str = ""


@dataclass
class RunSummary:
    outcomes: list[Outcome] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # sources.csv and curation problems
    figures: int = 0
    residue: int = 0

    @property
    def failed(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.error]


def _extract_one(args: tuple[str, SourceMeta]) -> Outcome:
    path, meta = args
    try:
        return Outcome(meta.source_id, extract_file(Path(path), meta))
    except ArticleError as exc:
        return Outcome(meta.source_id, error=str(exc))


def extract_all(paths: list[Path], metas: dict[str, SourceMeta],
                executor: Executor | None = None) -> list[Outcome]:
    """Extract each article; with an executor, articles are spread over its workers."""
    work = [(str(p), metas.get(p.stem) or SourceMeta(p.stem)) for p in paths]
    if executor is None:
        return [_extract_one(w) for w in work]
    chunk = max(1, len(work) // (8 * (os.cpu_count() or 1)))
    return list(executor.map(_extract_one, work, chunksize=chunk))


def format_number(value) -> str:
    if value is None or value == "" or (isinstance(value, float) and value != value):
        return ""
    v = float(value)
    if v.is_integer():
        return str(int(v))
    return f"{v:.6f}".rstrip("0").rstrip(".")


def _csv_bytes(rows: Iterable[dict], columns: list[str]) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(columns)
    numeric = [k in ("value", "value_max") for k in columns]
    for r in rows:
        w.writerow([format_number(r.get(k)) if num else ("" if r.get(k) is None else r.get(k))
                    for k, num in zip(columns, numeric, strict=True)])
    return buf.getvalue().encode("utf-8")


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def run_extract(articles_dir: Path, sources_csv: Path | None, out_csv: Path, curated_dir: Path | None,
                executor: Executor | None = None, echo: Callable[[str], None] | None = None,
                warn: Callable[[str], None] | None = None) -> RunSummary:
    from analysis.table.schema import FiguresSchemaError, validate

    echo = echo or (lambda s: print(s))
    warn = warn or (lambda s: print(s, file=sys.stderr))
    summary = RunSummary()
    metas, problems = read_sources(sources_csv)
    summary.problems += problems
    paths = sorted(Path(articles_dir).glob("*.txt"))
    gaps = source_gaps(metas, {p.stem for p in paths}) if sources_csv is not None else {}
    for sid, gap in gaps.items():
        if gap == NO_FILE:
            summary.problems.append(f"{sources_csv}: source {sid!r} has no article file in {articles_dir}")
        else:
            warn(f"{articles_dir}/{sid}.txt: {gap}: its title, outlet and url are unknown")
    summary.outcomes = extract_all(paths, metas, executor)

    rows: list[dict] = []
    residue: list[dict] = []
    articles: list[dict] = []
    for o in summary.outcomes:
        meta = metas.get(o.source_id) or SourceMeta(o.source_id)
        if o.error:
            warn(f"{articles_dir}/{o.source_id}.txt: {o.error}")
            articles.append({"source_id": o.source_id, "title": meta.title, "outlet": meta.outlet,
                             "url": meta.url, "warnings": f"ERROR: {o.error}", "source_gap": gaps.get(o.source_id, "")})
            continue
        r = o.result
        rows += [f.row() for f in r.figures]
        residue += [x.row() for x in r.residue]
        note = f" ({'; '.join(r.warnings)})" if r.warnings else ""
        echo(f"{o.source_id}: {len(r.figures)} figures, {len(r.residue)} other numbers{note}")
        articles.append({"source_id": o.source_id, "title": meta.title, "outlet": meta.outlet, "url": meta.url,
                         "published": r.published.isoformat() if r.published else "",
                         "published_how": r.published_how, "encoding": r.encoding, "chars": r.chars,
                         "figures": len(r.figures), "residue": len(r.residue), "warnings": "; ".join(r.warnings),
                         "source_gap": gaps.get(o.source_id, "")})
    articles += [{"source_id": sid, "title": metas[sid].title, "outlet": metas[sid].outlet, "url": metas[sid].url,
                  "source_gap": gap} for sid, gap in gaps.items() if gap == NO_FILE]
    log = []
    if curated_dir is not None:
        rows, log = apply_curation(rows, Path(curated_dir))
        for e in log:
            if e.status != "applied":
                summary.problems.append(f"{curated_dir}/{e.file}:{e.line}: {e.status}: {e.detail}")
    rows.sort(key=lambda r: (r["source_id"], int(r["start"]), r["metric"], float(r["value"] or 0)))
    for p in summary.problems:
        warn(p)

    import pandas as pd

    frame = pd.DataFrame(rows, columns=COLUMNS)
    try:
        validate(frame, where=str(out_csv))
    except FiguresSchemaError as exc:
        summary.problems.append(str(exc))
        warn(str(exc))
        raise
    out_csv = Path(out_csv)
    folder = out_csv.parent
    _write(out_csv, _csv_bytes(rows, COLUMNS))
    _write(folder / "residue.csv", _csv_bytes(residue, RESIDUE_FIELDS))
    _write(folder / "articles.csv", _csv_bytes(articles, ARTICLE_COLUMNS))
    _write(folder / "curation_log.csv", _csv_bytes([e.row() for e in log], LOG_COLUMNS))
    inputs = {f"articles/{p.name}": sha256(p) for p in paths}
    for extra in filter(None, [sources_csv] + ([Path(curated_dir) / "corrections.csv",
                                                Path(curated_dir) / "additions.csv"] if curated_dir else [])):
        if Path(extra).exists():
            inputs[Path(extra).name] = sha256(Path(extra))
    from analysis.extraction.knowledge import CUES_PATH

    inputs["knowledge/cues.csv"] = sha256(CUES_PATH)
    from analysis.table.datapackage import write_datapackage

    write_datapackage(folder)  # types, keys, checksums of the three tables; the sidecar keeps provenance
    meta = {
        "package": "khuyenhoc",
        "package_version": __version__,
        "inputs_sha256": dict(sorted(inputs.items())),
        "rows": {"figures": len(rows), "residue": len(residue), "articles": len(articles),
                 "articles_failed": len(summary.failed),
                 "corrections_applied": sum(e.status == "applied" for e in log),
                 "corrections_unmatched": sum(e.status != "applied" for e in log)},
    }
    _write(folder / "figures.meta.json", (json.dumps(meta, ensure_ascii=False, indent=2) + "\n").encode("utf-8"))
    summary.figures, summary.residue = len(rows), len(residue)
    return summary
