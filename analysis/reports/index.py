"""The index as a reviewer's desk, one per language (``index.html`` in Vietnamese, the landing
page; ``index.<lang>.html`` for the others), and the header of every page.

Per report: its status (failed and refused first), when it was rendered, from which figures (the
table's hash and how many rows the report reads), and how many of those figures had their area
or period inferred by a fallback rule (from ``figures_trace.csv`` beside the figures table, when
the extractor wrote one: its ``fallback`` column, or rules starting "fallback"). Below: the areas that have no trends page, and why. Every string comes
from the label table, in both languages.
"""

from __future__ import annotations

import csv
import html
import json
from collections import defaultdict
from collections.abc import Iterable, Mapping
from pathlib import Path

from analysis.reports.labels import label
from analysis.reports.state import write_atomic

TRACE_FILE = "figures_trace.csv"
TRACE_FALLBACK_COLUMN = "fallback"  # the extractor's: "entity", "period" or both when a default decided
TRACE_RULE_COLUMNS = ("entity_rule", "period_rule")  # otherwise: a rule starting "fallback" marks it
TRACE_KEY_COLUMNS = ("source_id", "start", "metric")  # how a trace row names its figure (metric optional)
FALLBACK_PREFIX = "fallback"
STATUS_ORDER = {"failed": 0, "refused": 1, "missing": 2, "ok": 3, "skipped": 3}


def page_file(page: str) -> str:
    """``overview`` → ``overview.html``."""
    return f"{page}.html"


def index_file(lang: str, landing: str) -> str:
    """``index.html`` for the landing language, ``index.<lang>.html`` for the others."""
    return "index.html" if lang == landing else f"index.{lang}.html"


# -- the fallback trace -----------------------------------------------------------------------

def _is_fallback(row: Mapping, columns: set[str]) -> bool:
    if TRACE_FALLBACK_COLUMN in columns:
        return bool((row.get(TRACE_FALLBACK_COLUMN) or "").strip())
    return any((row.get(c) or "").startswith(FALLBACK_PREFIX) for c in TRACE_RULE_COLUMNS if c in columns)


def read_trace(figures_csv: Path) -> dict | None:
    """Figures whose area or period came from a fallback, or None when there is no trace file.

    Returns ``{"keys": set of key tuples or None, "key_columns": tuple, "total": int}``; ``keys``
    is None when the trace does not name its figures, and then only the table's total is shown.
    """
    path = Path(figures_csv).parent / TRACE_FILE
    if not path.is_file():
        return None
    try:
        with open(path, newline="", encoding="utf-8") as f:
            reader = csv.DictReader(f)
            columns = set(reader.fieldnames or [])
            flagged = [r for r in reader if _is_fallback(r, columns)]
    except (OSError, UnicodeDecodeError, csv.Error):
        return None
    key_columns = tuple(c for c in TRACE_KEY_COLUMNS if c in columns)
    keyed = set(TRACE_KEY_COLUMNS[:2]) <= set(key_columns)
    keys = {tuple(r[c] for c in key_columns) for r in flagged} if keyed else None
    return {"keys": keys, "key_columns": key_columns, "total": len(flagged)}


def fallback_count(trace: dict | None, rows: Iterable[Mapping]) -> int | None:
    """How many of ``rows`` have a fallback area or period (None: unknown)."""
    if trace is None:
        return None
    if trace["keys"] is None:
        return trace["total"]
    return sum(tuple(r.get(c, "") for c in trace["key_columns"]) in trace["keys"] for r in rows)


# -- areas without a trends page --------------------------------------------------------------

def areas_without_trends(rows: Iterable[Mapping], with_page: Iterable[str]) -> list[tuple[str, str]]:
    """(area, label key of the reason) for every area of the table that has no trends page."""
    have = set(with_page)
    dated: dict[str, set] = defaultdict(set)
    seen: set[str] = set()
    for r in rows:
        if not r.get("entity") or r["entity"] in have:
            continue
        seen.add(r["entity"])
        if r.get("period_end"):
            dated[r["entity"]].add(r["period_end"])
    out = []
    for area in sorted(seen):
        n = len(dated.get(area, ()))
        reason = "index_no_trends_undated" if n == 0 else "index_no_trends_one" if n == 1 else "index_no_trends_mixed"
        out.append((area, reason))
    return out


# -- the header of a page ---------------------------------------------------------------------

def _lang_switch(links: Mapping[str, str], lang: str) -> str:
    others = [f'<a href="{html.escape(href)}" lang="{html.escape(code)}" hreflang="{html.escape(code)}">'
              f"{html.escape(label('lang_' + code, lang))}</a>" for code, href in links.items() if code != lang]
    return f'<nav class="langs">{" · ".join(others)}</nav>' if others else ""


def page_header(task: Mapping, when: str, failed: bool) -> str:
    """The header of one report page: back to the index, language switch, parameters, provenance."""
    lang, prov = task["lang"], task["provenance"]
    rows = "".join(f"<tr><td>{html.escape(str(k))}</td><td>{html.escape(json.dumps(v, ensure_ascii=False))}</td></tr>"
                   for k, v in task["parameters"].items() if k != "figures_path")
    state = f' <span class="status-failed">{html.escape(label("index_status_failed", lang))}</span>' if failed else ""
    data = label("index_data_line", lang).format(sha=html.escape(prov["figures_sha256"][:16]), count=prov["figures"],
                                                  version=html.escape(prov["package_version"]))
    return (f'<header class="report">{_lang_switch(task["lang_links"], lang)}'
            f'<p><a href="{html.escape(task["index"])}">{html.escape(label("index_all_reports", lang))}</a></p>'
            f"<h1>{html.escape(task['name'])} — {html.escape(task['notebook'])}{state}</h1>"
            f'<div class="scroll" role="region" tabindex="0" aria-label="{html.escape(label("index_col_parameters", lang))}">'
            f'<table class="meta"><tbody>{rows}'
            f"<tr><td>{html.escape(label('index_rendered_at', lang))}</td><td>{html.escape(when)}</td></tr>"
            f"<tr><td>{html.escape(label('index_data', lang))}</td><td>{data}</td></tr>"
            f"</tbody></table></div></header>")


# -- the index ----------------------------------------------------------------------------------

def _links(entry: Mapping, out_dir: Path, lang: str) -> str:
    name, page = entry["name"], entry["page"]
    links = []
    if entry["status"] in ("failed", "refused") and (out_dir / f"{page}.error.html").exists():
        links.append(f'<a href="{html.escape(page)}.error.html">{html.escape(label("index_link_error", lang))}</a>')
    if (out_dir / page_file(page)).exists():
        text = name if entry["status"] in ("ok", "skipped") else label("index_link_last_good", lang)
        links.append(f'<a href="{html.escape(page_file(page))}">{html.escape(text)}</a>')
    return f"<strong>{html.escape(name)}</strong><br>" + " · ".join(links)


def _row(entry: Mapping, out_dir: Path, lang: str) -> str:
    params = ", ".join(f"{k} = {json.dumps(v, ensure_ascii=False)}" for k, v in entry["parameters"].items()
                       if k not in ("figures_path", "lang"))
    status = entry["status"]
    note = f"<br><small>{html.escape(entry['error'])}</small>" if entry.get("error") else ""
    sha = entry.get("figures_sha256", "")
    figures = f"{entry['figures']} ({html.escape(sha[:12])}…)" if sha else "—"
    fallbacks = entry.get("fallbacks")
    fallback = html.escape(label("index_no_trace", lang)) if fallbacks is None else str(fallbacks)
    return (f"<tr><td>{_links(entry, out_dir, lang)}</td><td>{html.escape(params)}</td>"
            f'<td class="status-{html.escape(status)}">{html.escape(label("index_status_" + status, lang))}{note}</td>'
            f"<td>{html.escape(entry.get('rendered_at', ''))}</td><td>{figures}</td><td>{fallback}</td></tr>")


def _no_trends(areas: list[tuple[str, str]], lang: str) -> str:
    if not areas:
        return ""
    items = "".join(f"<li>{html.escape(a)}: {html.escape(label(reason, lang))}</li>" for a, reason in areas)
    return f"<h2>{html.escape(label('index_no_trends_title', lang))}</h2><ul>{items}</ul>"


def index_page(entries: list[Mapping], out_dir: Path, lang: str, lang_links: Mapping[str, str],
               no_trends: list[tuple[str, str]]) -> str:
    """The index in one language: failed and refused reports first, then the rest in grid order."""
    from analysis.reports.html import page

    ordered = sorted(entries, key=lambda e: STATUS_ORDER.get(e["status"], 9))
    failed = sum(e["status"] in ("failed", "refused") for e in entries)
    heads = "".join(f'<th scope="col">{html.escape(label(k, lang))}</th>' for k in (
        "index_col_report", "index_col_parameters", "index_col_status", "index_col_rendered", "index_col_figures",
        "index_col_fallback"))
    body = (f"<p>{html.escape(label('index_summary', lang).format(n=len(entries), failed=failed))}</p>"
            f'<div class="scroll" role="region" tabindex="0" aria-label="{html.escape(label("index_title", lang))}">'
            f"<table><thead><tr>{heads}</tr></thead><tbody>"
            f"{''.join(_row(e, out_dir, lang) for e in ordered)}</tbody></table></div>{_no_trends(no_trends, lang)}")
    header = (f'<header class="report">{_lang_switch(lang_links, lang)}'
              f"<h1>{html.escape(label('index_title', lang))}</h1></header>")
    return page(label("index_title", lang), header, body, lang)


def write_indexes(out_dir: Path, by_lang: Mapping[str, list[Mapping]], langs: tuple[str, ...],
                  no_trends: list[tuple[str, str]]) -> list[Path]:
    """Write one index per language; returns their paths (the landing one first)."""
    links = {lang: index_file(lang, langs[0]) for lang in langs}
    written = []
    for lang in langs:
        path = Path(out_dir) / links[lang]
        write_atomic(path, index_page(by_lang.get(lang, []), Path(out_dir), lang, links, no_trends))
        written.append(path)
    return written
