"""Tables a person reads: HTML with headers in words, no index, no internal flags, at most
:data:`MAX_VISIBLE` columns in view (the rest in a collapsed ``<details>``), long tables folded
after :data:`MAX_ROWS` rows, missing cells as ``—`` with a footnote, every cell escaped, and a box
that scrolls by itself — never the page — on a narrow screen.

Cells are shown as given: format them first (:mod:`analysis.reports.fmt`). A cell holding
:class:`~analysis.reports.safe.Markup` (evidence links built by :mod:`analysis.reports.evidence`)
is inserted as is; every other value is escaped.
"""

from __future__ import annotations

import re

import pandas as pd

from analysis.reports import fmt
from analysis.reports.labels import label
from analysis.reports.safe import Markup, escape

MAX_VISIBLE = 7
MAX_ROWS = 40
_NUMERIC = re.compile(r"^[≥≤≈~]?\s?-?\d[\d.,]*(–\d[\d.,]*)?%?(\s(tỷ đồng|triệu đồng|đồng|bn VND|million VND|VND))?$")

CSS = """
.kh-table{overflow-x:auto;max-width:100%;margin:.4rem 0 1rem}
.kh-table table{border-collapse:collapse;font-size:.85rem;margin:0}
.kh-table th,.kh-table td{border:1px solid #d0d4dc;padding:.3rem .55rem;text-align:left;vertical-align:top;
overflow-wrap:break-word}
.kh-table thead th{background:#eef1f6;font-weight:600}
.kh-table td.num{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}
.kh-table td.txt{min-width:6rem;max-width:28rem}
.kh-table caption{text-align:left;font-weight:600;padding:.2rem 0}
details.kh-more{margin:.2rem 0 1rem}details.kh-more summary{cursor:pointer;color:#1f4e9c}
.kh-note{font-size:.82rem;color:#4a4a4a}
figure.kh-chart{margin:.8rem 0 1.2rem;max-width:100%}
figure.kh-chart img{max-width:100%;height:auto;display:block}
figure.kh-chart figcaption{font-size:.8rem;color:#4a4a4a;overflow-wrap:anywhere}
.kh-sources ol{padding-left:1.6rem}.kh-sources li{margin:.3rem 0 .7rem}
.kh-sources blockquote{margin:.25rem 0;padding:.3rem .6rem;border-left:3px solid #4c72b0;background:#f7f8fb;
overflow-wrap:anywhere}
.kh-sources code,.kh-art code{overflow-wrap:anywhere;white-space:normal}
.kh-art{margin:1rem 0 .2rem}
mark{background:#ffe066;color:#1d1d1f;padding:0 .1em}
a.ev{white-space:nowrap;font-size:.8rem}
.jp-RenderedHTMLCommon,.jp-OutputArea-output{max-width:100%;overflow-wrap:anywhere}
main{overflow-wrap:anywhere}
"""


def style() -> Markup:
    """The page's one style block (tables, charts, Sources); shown once by the first cell."""
    return Markup(f"<style>{CSS}</style>")


def _cell(value) -> tuple[str, bool]:
    """(HTML, is_missing) for one cell."""
    if isinstance(value, Markup):
        return str(value), False
    if fmt.is_missing(value):
        return fmt.MISSING, True
    if isinstance(value, int | float):  # an unformatted number would print as 1.2e+07
        raise TypeError(f"format {value!r} with analysis.reports.fmt before it goes into a table")
    return escape(value), False


def _kind(column: pd.Series) -> str:
    texts = [str(v) for v in column if not fmt.is_missing(v) and not isinstance(v, Markup)]
    if texts and all(_NUMERIC.match(t) for t in texts):
        return "num"
    return "txt"


def _table_html(df: pd.DataFrame, columns: list[str], lang: str, caption: str = "") -> tuple[str, bool]:
    kinds = {c: _kind(df[c]) for c in columns}
    head = "".join(f'<th scope="col">{escape(label(c, lang))}</th>' for c in columns)
    body, missing = [], False
    for _, row in df.iterrows():
        cells = []
        for c in columns:
            text, gone = _cell(row[c])
            missing |= gone
            cells.append(f'<td class="{kinds[c]}">{text}</td>')
        body.append(f"<tr>{''.join(cells)}</tr>")
    cap = f"<caption>{escape(caption)}</caption>" if caption else ""
    return f"<table>{cap}<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>", missing


def _box(inner: str, name: str) -> str:
    return f'<div class="kh-table" role="region" aria-label="{escape(name)}" tabindex="0">{inner}</div>'


def table(df: pd.DataFrame, columns: list[str], lang: str = "vi", *, caption: str = "", keep: int = 1,
          max_visible: int = MAX_VISIBLE, max_rows: int = MAX_ROWS, note: str = "") -> Markup:
    """``df[columns]`` as a readable table. Columns past ``max_visible`` go to a collapsed
    section that repeats the first ``keep`` columns (the row's name); rows past ``max_rows``
    go to a collapsed continuation. Column keys are labels (:mod:`analysis.reports.labels`)."""
    if df.empty:
        return Markup(f'<p class="kh-note">{escape(label("no_data", lang))}.</p>')
    df = df.reset_index(drop=True)
    shown, extra = columns[:max_visible], columns[max_visible:]
    name = caption or label("table", lang)
    parts, missing = [], False
    head, rest = df.iloc[:max_rows], df.iloc[max_rows:]
    html, gone = _table_html(head, shown, lang, caption)
    parts.append(_box(html, name))
    missing |= gone
    if not rest.empty:
        html, gone = _table_html(rest, shown, lang)
        missing |= gone
        summary = label("more_rows", lang).format(n=len(rest))
        parts.append(f'<details class="kh-more"><summary>{escape(summary)}</summary>{_box(html, name)}</details>')
    if extra:
        html, gone = _table_html(df, columns[:keep] + extra, lang)
        missing |= gone
        summary = label("more_columns", lang).format(names=", ".join(label(c, lang) for c in extra))
        parts.append(f'<details class="kh-more"><summary>{escape(summary)}</summary>{_box(html, name)}</details>')
    notes = [note] if note else []
    if missing:
        notes.append(label("missing_note", lang))
    if notes:
        parts.append(f'<p class="kh-note">{" ".join(escape(n) for n in notes)}</p>')
    return Markup("".join(parts))


class Page:
    """What a notebook cell displays: HTML built here from escaped parts."""

    def __init__(self, html: str):
        self.html = str(html)

    def _repr_html_(self) -> str:
        return self.html


def show(*parts) -> Page:
    """Join HTML parts (Markup, :class:`Page`, charts) into one display object; plain strings
    are escaped and set as a paragraph."""
    out = []
    for p in parts:
        if isinstance(p, Page):
            out.append(p.html)
        elif isinstance(p, Markup):
            out.append(str(p))
        elif hasattr(p, "_repr_html_"):  # a chart
            out.append(p._repr_html_())
        else:
            out.append(f"<p>{escape(p)}</p>")
    return Page("".join(out))
