"""The extractor's knowledge of the language, read from ``knowledge/cues.csv``.

Cue words are data: one row a cue (``kind, cue, value``), with an optional example sentence
and what it should yield (checked by ``tests/unit/test_knowledge.py``). Code never spells a
cue word itself; it asks this module for the matches of a kind in a stretch of text.

Each kind's cues compile into one trie regex; for a whole article, one Aho–Corasick automaton
over every kind's cues finds the same matches in one pass (:class:`CueIndex`).

Matching runs on :func:`fold`-ed text, which has exactly the length of the original, so a
match's offsets are offsets in the normalised article.
"""

from __future__ import annotations

import bisect
import csv
import re
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path
from typing import NamedTuple

from analysis.extraction.spans import Spans
from analysis.paths import KNOWLEDGE_DIR

CUES_PATH = KNOWLEDGE_DIR / "cues.csv"

# y and i are interchangeable in Vietnamese spelling (kỳ/kì, tỷ/tỉ, quỹ/quĩ, ký/kí).
_Y_TO_I = str.maketrans("yýỳỷỹỵ", "iíìỉĩị")
_Y_PAIRS = tuple(zip("yýỳỷỹỵ", "iíìỉĩị", strict=True))
# Old-style tone placement (hoà, uỷ, thoả) vs new-style (hòa, ủy, thỏa): both fold to one form.
_TONES = {
    "a": "àáảãạ", "e": "èéẻẽẹ", "i": "ìíỉĩị",
}
_O_TONED = "òóỏõọ"
_U_TONED = "ùúủũụ"
_OLD_STYLE = {}
for _base, _toned in _TONES.items():
    for _k, _ch in enumerate(_toned):
        if _base in "ae":
            _OLD_STYLE["o" + _ch] = _O_TONED[_k] + _base
        else:
            _OLD_STYLE["u" + _ch] = _U_TONED[_k] + _base
_OLD_STYLE_RE = re.compile("|".join(map(re.escape, _OLD_STYLE)))


def fold(text: str) -> str:
    """Lower-case, y→i, one tone placement; same length as ``text`` (offsets carry over)."""
    low = text.lower()
    if len(low) != len(text):  # a character whose lower case is longer: keep 1:1 mapping
        low = "".join(ch.lower() if len(ch.lower()) == 1 else ch for ch in text)
    for y, i in _Y_PAIRS:  # six replaces in C beat one translate through a dict
        if y in low:
            low = low.replace(y, i)
    return _OLD_STYLE_RE.sub(lambda m: _OLD_STYLE[m.group(0)], low)


def fold_re(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """Compile a pattern written in plain Vietnamese for use on folded text (ngày → ngài)."""
    return re.compile(fold(pattern), flags)


@dataclass(frozen=True)
class Cue:
    """One row of cues.csv: a cue of a kind, its value, and an example with what it should give."""
    kind: str
    cue: str
    value: str
    example: str
    expect: str


class Match(NamedTuple):
    """A cue found in folded text: its span, the table's value and the cue as matched (a named
    tuple: made for every match of every kind, it is the cheapest immutable record)."""

    start: int
    end: int
    value: str
    cue: str


def _trie_regex(cues: list[str]) -> str:
    """One regex for many phrases, factored as a trie: fast, and longest match first.

    A space in a cue matches any run of whitespace; a cue that ends in a letter or digit must
    not run on into a word (``chi`` does not match inside ``chinh``).
    """
    trie: dict = {}
    for cue in cues:
        node = trie
        for token in re.findall(r"\s+|.", cue, flags=re.S):
            node = node.setdefault(" " if token.isspace() else token, {})
        node[""] = cue[-1].isalnum()  # terminal: whether a word boundary must follow

    def build(node: dict) -> str:
        branches = []
        for token, child in sorted((k, v) for k, v in node.items() if k != ""):
            piece = r"\s+" if token == " " else re.escape(token)
            branches.append(piece + build(child))
        if "" in node:
            branches.append(r"(?!\w)" if node[""] else "")
        if len(branches) == 1:
            return branches[0]
        return "(?:" + "|".join(branches) + ")"

    return build(trie)


def _boundary_pattern(cues: list[str]) -> re.Pattern[str]:
    """The trie of a kind's cues. A match must not start inside a word (``150.000đ`` is fine):
    :func:`_scan` checks that, which is twice as fast as a look-behind in the pattern."""
    return re.compile(_trie_regex(sorted(set(cues))))


def _starts_word(text: str, i: int) -> bool:
    return i == 0 or not text[i].isalnum() or not (text[i - 1].isalpha() or text[i - 1] == "_")


def _scan(pattern: re.Pattern[str], text: str, start: int, end: int):
    pos = start
    while True:
        m = pattern.search(text, pos, end)
        if m is None:
            return
        if _starts_word(text, m.start()):
            yield m
            pos = m.end() if m.end() > m.start() else m.start() + 1
        else:
            pos = m.start() + 1


class _Lookups:
    """Position look-ups shared by :class:`Knowledge` and :class:`CueIndex` (both define ``find``)."""

    def find(self, kind: str, folded: str, start: int = 0, end: int | None = None) -> list[Match]:
        raise NotImplementedError

    def last(self, kind: str, folded: str, start: int, end: int) -> Match | None:
        found = self.find(kind, folded, start, end)
        return found[-1] if found else None

    def first(self, kind: str, folded: str, start: int, end: int) -> Match | None:
        found = self.find(kind, folded, start, end)
        return found[0] if found else None

    def ends_with(self, kind: str, folded: str, start: int, end: int) -> Match | None:
        """The match of the kind that ends exactly at ``end`` (whitespace allowed after it)."""
        for m in reversed(self.find(kind, folded, start, end)):
            if not folded[m.end:end].strip(" \t\n:"):  # "Điện thoại: 0220…", "Số lượt xem: 422"
                return m
            break
        return None


class Knowledge(_Lookups):
    """All cues, grouped by kind, each kind compiled once into one folded regex."""

    def __init__(self, rows: list[Cue]):
        self.rows = rows
        self._by_kind: dict[str, dict[str, str]] = {}
        for row in rows:
            self._by_kind.setdefault(row.kind, {})[fold(row.cue)] = row.value
        self._patterns = {k: _boundary_pattern(list(v)) for k, v in self._by_kind.items()}
        # cues already written with single spaces: a match equal to one needs no re-spacing
        self._plain = {k: frozenset(c for c in v if " ".join(c.split()) == c) for k, v in self._by_kind.items()}

    def kinds(self) -> list[str]:
        """The kinds of cue, sorted."""
        return sorted(self._by_kind)

    @cached_property
    def _automaton(self):
        """One Aho–Corasick automaton over the cues of every kind whose cues are plain words
        (single spaces), built once per process: folded cue → the kinds it belongs to."""
        import ahocorasick

        auto = ahocorasick.Automaton()
        kinds_of: dict[str, list[str]] = {}
        for kind, table in self._by_kind.items():
            if kind.removeprefix("not_") not in AUTOMATON_KINDS:
                continue  # asked about only in windows, or used only as grammar: its regex serves
            if all(c in self._plain[kind] and c == c.strip() and c for c in table):
                for cue in table:
                    kinds_of.setdefault(cue, []).append(kind)
        for cue, kinds in kinds_of.items():  # what the scan needs of a cue, worked out once
            auto.add_word(cue, (cue, tuple(kinds), len(cue), cue[-1].isalnum()))
        auto.make_automaton()
        return auto, frozenset(k for ks in kinds_of.values() for k in ks)

    def scan_all(self, folded: str) -> _AllMatches:
        """Every kind's whole-text matches at once (one automaton pass): ``.find(kind)`` gives
        exactly what :meth:`find` over the whole of ``folded`` gives, or None for a kind whose
        cues are not plain words (left to its regex)."""
        auto, served = self._automaton
        return _AllMatches(self, folded, auto, served)

    def values(self, kind: str) -> dict[str, str]:
        """Folded cue → value for one kind."""
        return self._by_kind.get(kind, {})

    def pattern(self, kind: str) -> re.Pattern[str]:
        """The compiled pattern matching the cues of a kind."""
        return self._patterns[kind]

    def words(self, kind: str) -> str:
        """The cues of a kind as one regex group (folded, longest first) for building grammar:
        ``kn.words("gave")`` → ``(?:ủng\\s+hộ|…)``. Raises KeyError for a kind with no rows."""
        cues = sorted(self._by_kind[kind], key=len, reverse=True)
        return "(?:" + "|".join(r"\s+".join(map(re.escape, c.split())) for c in cues) + ")"

    def find(self, kind: str, folded: str, start: int = 0, end: int | None = None) -> list[Match]:
        """Non-overlapping, longest-first matches of a kind within ``folded[start:end]``."""
        pat = self._patterns.get(kind)
        if pat is None:
            return []
        end = len(folded) if end is None else end
        table, plain = self._by_kind[kind], self._plain[kind]
        out = []
        search, pos = pat.search, start
        while True:  # _scan, inlined: this loop runs for every cue of every article
            m = search(folded, pos, end)
            if m is None:
                break
            a, b = m.span()
            if a == 0 or not folded[a].isalnum() or not (folded[a - 1].isalpha() or folded[a - 1] == "_"):
                key = m.group()
                if key not in plain:
                    key = " ".join(key.split())
                out.append(Match(a, b, table.get(key, ""), key))
                pos = b if b > a else a + 1
            else:
                pos = a + 1
        exceptions = self._patterns.get("not_" + kind)
        if out and exceptions is not None:  # "đạt chỉ tiêu" is not a target, "tăng cường" no change
            lo, hi = max(0, start - 20), min(len(folded), end + 20)
            spans = Spans((x.start(), x.end()) for x in _scan(exceptions, folded, lo, hi))
            out = [m for m in out if not spans.covers(m.start)]
        return out

    def at(self, kind: str, folded: str, pos: int, end: int | None = None) -> Match | None:
        """A match of the kind starting exactly at ``pos``."""
        pat = self._patterns.get(kind)
        if pat is None:
            return None
        m = pat.match(folded, pos, len(folded) if end is None else end)
        if not m or not _starts_word(folded, pos):
            return None
        key = m.group()
        if key not in self._plain[kind]:
            key = " ".join(key.split())
        return Match(m.start(), m.end(), self._by_kind[kind].get(key, ""), key)


# The kinds an article's cue index asks for over the whole text (their exceptions, not_<kind>,
# come along). A kind left out is still found, by its own regex; the list only decides which
# kinds share the one automaton pass, so short grammar words (có, là, một, %) do not crowd it.
AUTOMATON_KINDS = frozenset({"association_level", "balance", "bound", "bound_after", "change", "context", "model",
                             "national", "not_figure_before", "noun", "ordinal", "per_unit", "plan", "prefix",
                             "stage", "target", "vague"})

_WS_TO_COLLAPSE = re.compile(r"\s{2,}|[^\S ]")  # whitespace that is not already one plain space


class _AllMatches:
    """The whole-text matches of every kind of one folded text, from one automaton pass.

    A cue's regex matches any run of whitespace where the cue has one space: the automaton runs
    on the text with each such run made one space, and offsets are mapped back. At each start
    the longest cue whose end boundary holds wins (what the trie regex picks); then, as
    :func:`_scan` does, starts inside a word are skipped and matches do not overlap.
    """

    def __init__(self, kn: Knowledge, folded: str, auto, served: frozenset[str]):
        self.kn, self.folded, self.served = kn, folded, served
        cpos: list[int] = []
        cum: list[int] = [0]
        shrink = 0
        for m in _WS_TO_COLLAPSE.finditer(folded):
            a, b = m.span()
            cpos.append(a - shrink)
            shrink += b - a - 1
            cum.append(shrink)
        text = _WS_TO_COLLAPSE.sub(" ", folded) if cpos else folded
        n = len(text)
        best: dict[str, dict[int, tuple[int, str]]] = {}
        for last, (cue, kinds, size, word_end) in auto.iter(text):
            end = last + 1
            if word_end and end < n and (text[end].isalnum() or text[end] == "_"):
                continue  # (?!\w): the cue runs on into a word
            start = end - size
            for kind in kinds:
                at = best.get(kind)
                if at is None:
                    best[kind] = {start: (end, cue)}
                    continue
                old = at.get(start)
                if old is None or old[0] < end:
                    at[start] = (end, cue)
        self._best, self._cpos, self._cum = best, cpos, cum
        self._done: dict[str, list[Match]] = {}

    def _orig(self, p: int) -> int:
        return p + self._cum[bisect.bisect_left(self._cpos, p)]

    def _scan(self, kind: str) -> list[tuple[int, int, str]]:
        folded, out, pos = self.folded, [], 0
        for start in sorted(self._best.get(kind, ())):
            if start < pos:
                continue
            end, cue = self._best[kind][start]
            a = self._orig(start)
            if a == 0 or not folded[a].isalnum() or not (folded[a - 1].isalpha() or folded[a - 1] == "_"):
                out.append((a, self._orig(end - 1) + 1, cue))
                pos = end
        return out

    def find(self, kind: str) -> list[Match] | None:
        """Like ``kn.find(kind, folded)``; None when the kind is not served by the automaton."""
        got = self._done.get(kind)
        if got is not None:
            return got
        exc_kind = "not_" + kind
        if kind not in self.served or (exc_kind in self.kn._by_kind and exc_kind not in self.served):
            return None
        table = self.kn._by_kind[kind]
        out = [Match(a, b, table.get(cue, ""), cue) for a, b, cue in self._scan(kind)]
        if out and exc_kind in self.kn._by_kind:
            spans = Spans((a, b) for a, b, _ in self._scan(exc_kind))
            out = [m for m in out if not spans.covers(m.start)]
        self._done[kind] = out
        return out


def read_cues(path: Path = CUES_PATH) -> list[Cue]:
    """Read the cues table; raises ValueError on a row with an empty cue."""
    with open(path, newline="", encoding="utf-8") as f:
        rows = [Cue(r["kind"], r["cue"].strip(), r["value"].strip(), r.get("example") or "",
                    r.get("expect") or "") for r in csv.DictReader(f)]
    for row in rows:
        if not row.cue:
            raise ValueError(f"{path}: a row of kind {row.kind!r} has an empty cue")
    return rows


@cache
def knowledge() -> Knowledge:
    """The cues from analysis/knowledge/cues.csv."""
    return Knowledge(read_cues())


class CueIndex(_Lookups):
    """All matches of each kind in one article, found once and looked up by position.

    Has the lookup methods of :class:`Knowledge`; a call on the indexed text is answered from
    the index, a call on any other string is passed to the knowledge itself.
    """

    def __init__(self, kn: Knowledge, folded: str):
        self.kn, self.folded = kn, folded
        self._matches: dict[str, tuple[list[Match], list[int]]] = {}
        self._all: _AllMatches | None = None  # every kind's matches, from one automaton pass
        self.at, self.pattern, self.values, self.words = kn.at, kn.pattern, kn.values, kn.words

    def __getattr__(self, name):
        return getattr(self.kn, name)

    def _of(self, kind: str) -> tuple[list[Match], list[int]]:
        got = self._matches.get(kind)
        if got is None:
            if self._all is None:
                self._all = self.kn.scan_all(self.folded)
            found = self._all.find(kind)
            if found is None:
                found = self.kn.find(kind, self.folded)
            got = self._matches[kind] = (found, [m.start for m in found])
        return got

    # kinds asked about only in small windows (around a place, a phrase, a figure): searched
    # there directly rather than indexed over the whole article
    WINDOWED = frozenset({"org_lead", "name_lead", "giving", "comparison", "baseline", "plan", "at_event",
                          "person_title", "occasion"})

    def _range(self, kind: str, folded: str, start: int, end: int | None):
        """``(found, lo, hi)``: the indexed matches ``found[lo:hi]`` are those of ``folded[start:end]``
        (matches never overlap, so only the last can run past ``end``); None when not indexed."""
        if folded is not self.folded or (kind in self.WINDOWED and end is not None and end - start < 400):
            return None
        got = self._matches.get(kind)
        found, starts = got if got is not None else self._of(kind)
        end = len(folded) if end is None else end
        lo = bisect.bisect_left(starts, start)
        hi = bisect.bisect_left(starts, end, lo)
        if hi > lo and found[hi - 1].end > end:
            hi -= 1
        return found, lo, hi

    def find(self, kind: str, folded: str, start: int = 0, end: int | None = None) -> list[Match]:
        """The matches of a kind between ``start`` and ``end``, from the index when it covers the text."""
        r = self._range(kind, folded, start, end)
        if r is None:
            return self.kn.find(kind, folded, start, end)
        found, lo, hi = r
        return found[lo:hi]

    def last(self, kind: str, folded: str, start: int, end: int) -> Match | None:
        """The last match of a kind between ``start`` and ``end``, or None (one bisection: this
        runs a few hundred times per article)."""
        if folded is not self.folded or (end - start < 400 and kind in self.WINDOWED):
            return self.kn.last(kind, folded, start, end)
        got = self._matches.get(kind)
        found, starts = got if got is not None else self._of(kind)
        hi = bisect.bisect_left(starts, end)
        while hi:
            m = found[hi - 1]
            if m.start < start:
                return None
            if m.end <= end:
                return m
            hi -= 1  # only the last can run past ``end``: matches never overlap
        return None

    def first(self, kind: str, folded: str, start: int, end: int) -> Match | None:
        """The first match of a kind between ``start`` and ``end``, or None."""
        if folded is not self.folded or (end - start < 400 and kind in self.WINDOWED):
            return self.kn.first(kind, folded, start, end)
        got = self._matches.get(kind)
        found, starts = got if got is not None else self._of(kind)
        lo = bisect.bisect_left(starts, start)
        if lo < len(found):
            m = found[lo]
            if m.start < end and m.end <= end:
                return m
        return None

    def ends_with(self, kind: str, folded: str, start: int, end: int) -> Match | None:
        """The last match of a kind if only spaces and colons follow it before ``end``, else None."""
        m = self.last(kind, folded, start, end)
        if m is not None and not folded[m.end:end].strip(" \t\n:"):
            return m
        return None
