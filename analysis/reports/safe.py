"""The one way data text reaches a page: escaped, never interpreted.

Every text that comes from articles, ``sources.csv``, curation or the figures table (titles,
entities, subgroups, quotes, URLs, outlets) passes through :func:`escape` before it becomes
HTML or Markdown. Markdown is escaped twice over: HTML special characters become entities
(Markdown lets raw HTML through) and Markdown punctuation gets a backslash, so ``**``, links
``[x](javascript:…)`` and images ``![](x)`` stay text. URLs become live links only when they
are ``http``/``https``; anything else is shown as text.
"""

from __future__ import annotations

import html
import re
import unicodedata

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~>:])")
# bidi overrides/isolates and other invisible format characters: shown text must read as stored
_FORMAT = {c for c in map(chr, range(0x2000, 0x2070)) if unicodedata.category(c) == "Cf"} | {"\u202e", "\ufeff"}


def plain(x) -> str:
    """Data text as shown: ``None``/NaN/NA become ``""``; invisible format and bidi characters go."""
    if x is None:
        return ""
    try:
        if x != x:  # NaN, NaT
            return ""
    except (TypeError, ValueError):  # pandas NA
        return ""
    text = str(x)
    return "".join(c for c in text if c not in _FORMAT)


def escape(x, to: str = "html") -> str:
    """Data text made inert for ``to`` = ``"html"`` (also safe inside attribute values) or
    ``"md"`` (Markdown rendered with raw HTML allowed). ``None``/NaN become ``""``."""
    text = html.escape(plain(x), quote=True)
    if to == "html":
        return text
    if to == "md":
        text = _MD_SPECIAL.sub(r"\\\1", text)
        return text.replace("\n", " ")
    raise ValueError(f"escape: unknown target {to!r} (html or md)")


def safe_url(url) -> str | None:
    """The URL if it is a plain ``http(s)://`` address without spaces or quotes, else ``None``."""
    text = plain(url).strip()
    if re.fullmatch(r"https?://[^\s\"'<>`\\]+", text, flags=re.IGNORECASE):
        return text
    return None


def link_or_text(url, text=None) -> str:
    """An ``<a>`` for an http(s) URL (opening nothing but that address), otherwise the URL as
    escaped text. ``text`` defaults to the URL itself."""
    shown = escape(url if text is None else text)
    ok = safe_url(url)
    if ok is None:
        return f"<code>{shown}</code>" if shown else ""
    return f'<a href="{escape(ok)}" rel="noopener noreferrer nofollow">{shown}</a>'


class Markup(str):
    """HTML built by this package from escaped parts: table cells holding one are not escaped
    again, and a notebook cell displays it as HTML."""

    def _repr_html_(self) -> str:
        return str(self)


def mark_spans(text, spans: list[tuple[int, int]]) -> str:
    """``text`` escaped, with each ``(start, end)`` span wrapped in ``<mark>``."""
    raw = plain(text)
    out, pos = [], 0
    for start, end in sorted(s for s in spans if 0 <= s[0] < s[1] <= len(raw)):
        if start < pos:
            continue
        out += [html.escape(raw[pos:start], quote=True), "<mark>", html.escape(raw[start:end], quote=True), "</mark>"]
        pos = end
    out.append(html.escape(raw[pos:], quote=True))
    return "".join(out)
