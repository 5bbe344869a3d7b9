"""Evidence one click away: every figure a page shows links to its entry in the page's Sources
section, which gives the article's title, outlet, date and address, and the whole quote with
the number highlighted.

A notebook makes one :class:`Evidence` for the figures table, asks it for links while it builds
tables and charts (:meth:`Evidence.links`), and shows :meth:`Evidence.section` at the end: the
section lists exactly the figures that were linked, numbered in the order they were first shown.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import pandas as pd

from analysis.reports import fmt
from analysis.reports.labels import label
from analysis.reports.safe import Markup, escape, link_or_text, mark_spans, plain

_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


def figure_key(row) -> tuple:
    """What identifies one figure: its article, the offsets of its number, metric and stage."""
    return (str(row["source_id"]), int(row["start"]), int(row["end"]), str(row["metric"]), str(row["stage"]))


def _read_vi(token: str) -> float | None:
    """A number as written in Vietnamese text (``.`` groups, ``,`` decimals), or the other way."""
    vi = token.replace(".", "").replace(",", ".")
    if token.count(",") > 1 or (token.count(".") == 1 and len(token.split(".")[1]) != 3):
        vi = token.replace(",", "")
    try:
        return float(vi)
    except ValueError:
        return None


def number_spans(quote, value, value_max=None) -> list[tuple[int, int]]:
    """Where the figure's number stands in its quote: every number in the text that equals the
    value (or its upper end) as written, or in tỷ/triệu/nghìn (within 0.5 %). A trailing ``%``
    is included. No match, no highlight (the quote is still shown whole)."""
    text = plain(quote)
    targets = [float(v) for v in (value, value_max) if not fmt.is_missing(v)]
    wanted = {t / k for t in targets for k in (1, 1e3, 1e6, 1e9) if t / k >= 1 or k == 1}
    spans = []
    for m in _NUMBER.finditer(text):
        read = _read_vi(m.group())
        if read is None:
            continue
        if any(abs(read - w) <= 0.005 * max(abs(w), 1e-9) for w in wanted):
            end = m.end() + (1 if text[m.end():m.end() + 1] == "%" else 0)
            spans.append((m.start(), end))
    return spans


class Evidence:
    """The figures a page has shown, numbered, and their Sources section."""

    def __init__(self, figures: pd.DataFrame, lang: str = "vi", prefix: str = "ev"):
        self.lang = lang
        self.prefix = prefix
        self._rows: dict[tuple, pd.Series] = {}
        for _, r in figures.iterrows():
            self._rows.setdefault(figure_key(r), r)
        self._order: dict[tuple, int] = {}

    def anchor(self, key: tuple) -> str:
        """The element id of a figure's Sources entry (registering it if new)."""
        if key not in self._rows:
            raise KeyError(f"figure {key} is not in this page's figures table")
        n = self._order.setdefault(key, len(self._order) + 1)
        return f"{self.prefix}-{n}"

    def links(self, rows: pd.DataFrame | Iterable) -> Markup:
        """``[3] [4]``: a link per figure (rows of the figures table, or figure keys)."""
        keys = self._keys(rows)
        parts = []
        for key in dict.fromkeys(keys):
            a = self.anchor(key)
            n = a.rsplit("-", 1)[1]
            parts.append(f'<a class="ev" href="#{a}" aria-label="{escape(label("source", self.lang))} {n}">[{n}]</a>')
        return Markup(" ".join(parts))

    @staticmethod
    def _keys(rows) -> list[tuple]:
        if isinstance(rows, pd.DataFrame):
            return [figure_key(r) for _, r in rows.iterrows()]
        if isinstance(rows, pd.Series):
            return [figure_key(rows)]
        return [k if isinstance(k, tuple) else figure_key(k) for k in rows]

    @property
    def shown(self) -> int:
        """How many figures this page has linked so far."""
        return len(self._order)

    def section(self) -> Markup:
        """The Sources section: per article (in order of first use) its title, outlet, date and
        address, then each figure used from it: what was read, and the whole quote with the
        number marked."""
        lang = self.lang
        if not self._order:
            return Markup(f'<p class="kh-note">{escape(label("no_sources", lang))}</p>')
        out, current = ['<div class="kh-sources">'], None
        for key in sorted(self._order, key=self._order.get):
            if key[0] != current:  # a new article: its head, then a list continuing the numbering
                if current is not None:
                    out.append("</ol>")
                current = key[0]
                out.append(self._article_head(current, self._rows[key]))
                out.append(f'<ol start="{self._order[key]}">')
            out.append(self._entry(key))
        out.append("</ol></div>")
        return Markup("".join(out))

    def _article_head(self, source_id: str, row) -> str:
        lang = self.lang
        title = plain(row.get("title")) or source_id
        bits = [escape(plain(row.get("outlet")) or label("outlet_unknown", lang)),
                escape(fmt.day(row.get("published"), lang)) if not fmt.is_missing(row.get("published"))
                else escape(label("date_unknown", lang))]
        url = link_or_text(row.get("url")) or escape(label("url_unknown", lang))
        return (f'<p class="kh-art"><strong>{escape(title)}</strong><br>'
                f'<span class="kh-note">{" · ".join(bits)} · {url} · id <code>{escape(source_id)}</code></span></p>')

    def _entry(self, key: tuple) -> str:
        lang = self.lang
        r = self._rows[key]
        n = self._order[key]
        read = fmt.value(r["value"], r.get("unit", "count"), lang, r.get("bound", "exact"), r.get("value_max"))
        what = f"{label(r['metric'], lang)} ({label(r['stage'], lang)})"
        if plain(r.get("subgroup")):
            what += f" · {plain(r['subgroup'])}"
        where = f"{plain(r['entity'])} · {fmt.period(r.get('period_start'), r.get('period_end'), lang)}"
        quote = mark_spans(r["quote"], number_spans(r["quote"], r["value"], r.get("value_max")))
        return (f'<li id="{self.prefix}-{n}" value="{n}"><span class="kh-read">{escape(what)}: '
                f'<strong>{escape(read)}</strong> — {escape(where)}</span>'
                f"<blockquote>{quote}</blockquote></li>")
