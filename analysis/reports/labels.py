"""Labels (metric names, units, headings) in English and Vietnamese, from one table
(``knowledge/labels.csv``), and numbers written in each language's convention.

The extractor's trace (``figures_trace.csv``) says in English how each field of a figure was
decided (``"subject"``, ``"'now' in the sentence: document as-of date (event date)"``,
``"label before the number: hội viên"``). :func:`how_text` shows such a string in the page's
language: each fixed phrase has a ``how:<phrase>`` row in the table; the article words after a
``": "`` and unknown ``(…)`` qualifiers stay as they are written."""

from __future__ import annotations

import csv
import re
from functools import cache

from analysis.numfmt import format_number
from analysis.paths import KNOWLEDGE_DIR
from analysis.reports.params import LANGS, check_lang

__all__ = ["HOW_PREFIX", "LANGS", "check_lang", "format_number", "how_kept", "how_text", "label", "split_how"]
_PATH = KNOWLEDGE_DIR / "labels.csv"
HOW_PREFIX = "how:"  # the table's rows for the fixed phrases of the extractor's trace


@cache
def _table() -> dict[str, dict[str, str]]:
    with open(_PATH, newline="", encoding="utf-8") as f:
        return {r["key"]: r for r in csv.DictReader(f)}


def label(key: str, lang: str = "en") -> str:
    """The label of ``key`` in ``lang`` (the key itself when the table has no row for it)."""
    row = _table().get(key)
    return row[check_lang(lang)] if row else key


# -- the extractor's "how" strings ----------------------------------------------------------

def _template(phrase: str) -> re.Pattern:
    """``label names {words} given an award`` → a pattern with one group per placeholder (a
    placeholder used twice must hold the same text both times)."""
    parts, seen = re.split(r"\{(\w+)\}", phrase), set()
    out = []
    for i, part in enumerate(parts):
        if i % 2 == 0:
            out.append(re.escape(part))
        else:
            out.append(f"(?P={part})" if part in seen else f"(?P<{part}>.+?)")
            seen.add(part)
    return re.compile("".join(out), re.S)


@cache
def _how_templates() -> tuple[tuple[re.Pattern, str], ...]:
    return tuple((_template(k[len(HOW_PREFIX):]), k) for k in _table() if k.startswith(HOW_PREFIX) and "{" in k)


def split_how(text: str) -> tuple[str, str, str, str] | None:
    """One level of a how-string: ``(phrase, ": ", rest, "")`` at its first ``": "`` outside
    brackets, else ``(phrase, " (", qualifier, ")")`` when it ends with a bracketed qualifier,
    else None. Joining the four parts gives the text back."""
    depth = 0
    for i, ch in enumerate(text):
        depth += (ch == "(") - (ch == ")")
        if depth == 0 and text.startswith(": ", i):
            return text[:i], ": ", text[i + 2:], ""
    if not text.endswith(")"):
        return None
    depth = 0
    for i in range(len(text) - 1, -1, -1):
        depth += (text[i] == ")") - (text[i] == "(")
        if depth == 0:
            return (text[:i - 1], " (", text[i + 1:-1], ")") if i > 0 and text[i - 1] == " " else None
    return None


def _render(text: str, lang: str, kept: list[str]) -> str:
    row = _table().get(HOW_PREFIX + text)
    if row is not None:
        return row[lang]
    for pattern, key in _how_templates():
        m = pattern.fullmatch(text)
        if m:
            return _table()[key][lang].format(**{k: _render(v, lang, kept) for k, v in m.groupdict().items()})
    parts = split_how(text)
    if parts is None:
        kept.append(text)
        return text
    head, sep, tail, close = parts
    return _render(head, lang, kept) + sep + _render(tail, lang, kept) + close


def how_text(how, lang: str = "en") -> str:
    """A trace string of the extractor (``metric_how``, ``stage_how``, ``entity_how``,
    ``period_how``) in ``lang``: its fixed phrases and qualifiers from the label table, the
    article words after ``": "`` as written; a phrase the table does not know stays as written.
    English pages get the string unchanged."""
    text = "" if how is None or how != how else str(how)  # None and NaN: empty
    if check_lang(lang) == "en" or not text:
        return text
    return _render(text, lang, [])


def how_kept(how: str, lang: str = "vi") -> list[str]:
    """The pieces of a how-string :func:`how_text` leaves as written in ``lang`` (article words,
    or phrases the table lacks): what a coverage check looks at."""
    kept: list[str] = []
    if how:
        _render(str(how), check_lang(lang), kept)
    return kept
