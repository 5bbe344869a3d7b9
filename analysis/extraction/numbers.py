"""Vietnamese numbers: ``11.089`` (dot groups thousands), ``99,81`` (comma is the decimal mark),
scale words (``1,5 tỷ``, ``61 triệu 600 nghìn``), ranges (``80-90%``, ``từ 1 đến 2 tỷ``),
money and percent units, and small counts written in words (``ba chi hội``).

Works on folded text (see :mod:`analysis.extraction.knowledge`), whose offsets equal the article's.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from analysis.extraction.knowledge import Knowledge, knowledge

NUMERAL = re.compile(
    r"(?<![\w.,/])"
    r"(?:(?P<grouped>\d{1,3}(?:\.\d{3})+)|(?P<plain>\d+)(?:\.(?P<endec>\d{1,2})(?![\d.]))?)"
    r"(?:,(?P<frac>\d+))?"
    r"(?![\d]|\.\d|,\d)"  # "12,5,6": not a number (the residue says why)
)
_SPACES = re.compile(" +")
_DENOMINATOR = re.compile(r"(?:\d{1,3}(?:\.\d{3})+|\d+)(?![\d]|\.\d|,\d)")
MAX_DIGITS = 15  # a whole part longer than this is no figure of the genre (and would lose precision)
_RANGE_WORDS = re.compile(r"\s*(?:đến|tới|-|–|—)\s*")


def parse_numeral(text: str) -> float:
    """``11.089`` → 11089, ``99,81`` → 99.81, ``09`` → 9, ``1,5`` → 1.5."""
    text = text.strip()
    if "," in text:
        whole, frac = text.split(",", 1)
    else:
        whole, frac = text, ""
    if "." in whole:
        head, *groups = whole.split(".")
        if all(len(g) == 3 for g in groups):
            whole = head + "".join(groups)
        elif len(groups) == 1 and not frac:  # English-style decimal, only where a unit vouches
            whole, frac = head, groups[0]
        else:
            raise ValueError(f"not a Vietnamese number: {text!r}")
    if len(whole.lstrip("0")) > MAX_DIGITS:
        raise ValueError(f"more than {MAX_DIGITS} digits: not a figure: {text[:40]!r}")
    value = float(int(whole)) if whole else 0.0
    if frac:
        value += int(frac[:12]) / 10 ** len(frac[:12])
    return value


@dataclass
class Amount:
    """A number (or range) as written, with its scale and unit, in folded-text offsets."""

    start: int
    end: int  # end of the number, its scale words and its unit (đồng, %)
    value: float
    value_max: float | None
    unit: str  # count | vnd | percent
    in_words: bool = False
    denominator: tuple[int, int, float] | None = None  # X/Y: Y's span and value

    @property
    def is_range(self) -> bool:
        """Whether the amount is a range (it has a maximum)."""
        return self.value_max is not None


class NumberScanner:
    """Finds amounts in folded text, skipping spans already claimed (dates, times…)."""

    def __init__(self, kn: Knowledge | None = None):
        self.kn = kn or knowledge()
        self.scales = {k: float(v) for k, v in self.kn.values("scale").items()}
        self.words = {k: float(v) for k, v in self.kn.values("number_word").items()}
        self._scale = self.kn.pattern("scale")
        self._money = self.kn.pattern("money")
        self._percent = self.kn.pattern("percent")
        self._word_patterns: dict[re.Pattern[str], re.Pattern[str]] = {}

    # -- pieces ---------------------------------------------------------------------
    def _skip_ws(self, s: str, i: int) -> int:
        if 0 <= i < len(s) and s[i] == " ":
            return _SPACES.match(s, i).end()
        while i < len(s) and s[i] == " ":  # i out of the text: as it always did
            i += 1
        return i

    def _scaled(self, s: str, m: re.Match[str]) -> tuple[float, int, bool] | None:
        """Value and end of a numeral with its scale words (``61 triệu 600 nghìn``)."""
        try:
            value = parse_numeral(m.group(0))
        except ValueError:
            return None
        english_decimal = m.group("endec") is not None
        end = m.end()
        j = self._skip_ws(s, end)
        sm = self._scale.match(s, j)
        if not sm:
            return value, end, english_decimal
        scale = self.scales[" ".join(sm.group(0).split())]
        total = value * scale
        if total > 10 ** (MAX_DIGITS + 3):  # "9999999999 tỷ": nothing this genre reports
            return None
        end = sm.end()
        if end - sm.start() > 1 and s[end - 1] == "đ":  # "2.946 trđ": the currency glued on is read as such
            return total, end - 1, False
        # compound: "61 triệu 600 nghìn", "1 tỷ 250 triệu"
        while True:
            j = self._skip_ws(s, end)
            nm = NUMERAL.match(s, j)
            if not nm:
                break
            k = self._skip_ws(s, nm.end())
            sm2 = self._scale.match(s, k)
            if not sm2:
                break
            scale2 = self.scales[" ".join(sm2.group(0).split())]
            if scale2 >= scale:
                break
            try:
                total += parse_numeral(nm.group(0)) * scale2
            except ValueError:
                break
            scale, end = scale2, sm2.end()
        return total, end, False

    def _unit(self, s: str, end: int) -> tuple[str, int]:
        j = self._skip_ws(s, end)
        pm = self._percent.match(s, j)
        if pm:
            return "percent", pm.end()
        mm = self._money.match(s, j)
        if mm and not re.match(r"\w", s[mm.end():mm.end() + 1]):
            return "vnd", mm.end()
        return "count", end

    def _range(self, s: str, m: re.Match[str], value: float, end: int,
               taken: _SpanSet) -> tuple[float, float | None, int]:
        """The upper end of a range after the numeral ``m`` ("80-90%", "từ 1 đến 2 tỷ đồng"), if any:
        (value, value_max or None, end)."""
        value_max = None
        rm = _RANGE_WORDS.match(s, end)
        if rm and (rm.group(0).strip() in "-–—" or s[max(0, m.start() - 4):m.start()].strip().endswith("từ")):
            nm = NUMERAL.match(s, rm.end())
            if nm and not taken.overlaps(nm.start(), nm.end()):
                second = self._scaled(s, nm)
                if second is not None:
                    v2, end2, _ = second
                    # "1 đến 2 tỷ": the scale of the upper end applies to both
                    if end == m.end() and end2 != nm.end() and value < v2:
                        value = value * (v2 / parse_numeral(nm.group(0)))
                    if v2 > value:
                        value_max, end = v2, end2
        return value, value_max, end

    def _denominator(self, s: str, end: int, taken: _SpanSet, unit: str,
                     uend: int) -> tuple[str, int, tuple[int, int, float] | None]:
        """A ``/N`` denominator after a count at ``end``: (unit, end of the amount, denominator or None)."""
        denominator = None
        dm = _DENOMINATOR.match(s, end + 1)
        if dm and not taken.overlaps(dm.start(), dm.end()):
            try:
                denominator = (dm.start(), dm.end(), parse_numeral(dm.group(0)))
            except ValueError:
                denominator = None
            if denominator:
                uend = dm.end()
                unit, uend2 = self._unit(s, uend)
                uend = uend2
        return unit, uend, denominator

    # -- the scan -------------------------------------------------------------------
    def scan(self, s: str, claimed: list[tuple[int, int]] | None = None) -> list[Amount]:
        """Every amount in folded text, in order, skipping numerals inside the ``claimed`` spans."""
        claimed = sorted(claimed or [])
        taken = _SpanSet(claimed)
        out: list[Amount] = []
        pos = 0
        for m in NUMERAL.finditer(s):
            if m.start() < pos or taken.overlaps(m.start(), m.end()):
                continue
            first = self._scaled(s, m)
            if first is None:
                continue
            value, end, english = first
            value, value_max, end = self._range(s, m, value, end, taken)
            unit, uend = self._unit(s, end)
            if english and unit == "count" and end == m.end():
                continue  # "4.8" with nothing to vouch for a decimal: not a number we read
            denominator = None
            if unit == "count" and value_max is None and s.startswith("/", end):
                unit, uend, denominator = self._denominator(s, end, taken, unit, uend)
            out.append(Amount(m.start(), uend, value, value_max, unit, False, denominator))
            pos = uend
        return out

    def scan_words(self, s: str, noun_pattern: re.Pattern[str],
                   claimed: list[tuple[int, int]]) -> list[Amount]:
        """Small counts in words, only where a counted noun follows (``ba chi hội``)."""
        taken = _SpanSet(sorted(claimed))
        pat = self._word_patterns.get(noun_pattern)
        if pat is None:  # built once per process and noun pattern, not once per article
            words = sorted(self.words, key=len, reverse=True)
            tens = "|".join(map(re.escape, words))
            pat = self._word_patterns[noun_pattern] = re.compile(
                rf"(?<!\w)(?:(?P<t>{tens})\s+mươi(?:\s+(?P<u>{tens}))?|mười(?:\s+(?P<u2>{tens}))?|(?P<w>{tens}))\s+"
                r"(?=[“\"']?\s*(?:" + noun_pattern.pattern + "))"
            )
        out = []
        for m in pat.finditer(s):
            if taken.overlaps(m.start(), m.end()):
                continue
            if m.group("t"):
                value = self.words[m.group("t")] * 10 + (self.words[m.group("u")] if m.group("u") else 0)
            elif m.group("w"):
                value = self.words[m.group("w")]
            else:
                value = 10 + (self.words[m.group("u2")] if m.group("u2") else 0)
            end = m.start() + len(m.group(0).rstrip())
            out.append(Amount(m.start(), end, value, None, "count", True))
        return out


class _SpanSet:
    def __init__(self, spans: list[tuple[int, int]]):
        self.spans = spans
        self._starts = [a for a, _ in spans]

    def overlaps(self, start: int, end: int) -> bool:
        """Whether ``start``–``end`` overlaps one of the spans next to where it would sort."""
        spans = self.spans
        i = bisect.bisect_right(self._starts, start) - 1
        for j in range(max(0, i - 1), min(len(spans), i + 2)):
            a, b = spans[j]
            if a < end and start < b:
                return True
        return False


# -- accounting for every digit -----------------------------------------------------------

_DIGITS = re.compile(r"\d+")
_TOKEN_CHAR = re.compile(r"[\w.,]")


def _token(text: str, a: int, b: int, reach: int = 64) -> tuple[int, int]:
    """The written token around a digit run: letters, digits and inner ``.``/``,`` (``1.2.3.4``,
    ``H2O``), at most ``reach`` characters either side."""
    lo = a
    while lo > max(0, a - reach) and _TOKEN_CHAR.match(text, lo - 1) and \
            (text[lo - 1] not in ".," or (lo >= 2 and text[lo - 2].isalnum())):
        lo -= 1
    hi = b
    while hi < min(len(text), b + reach) and _TOKEN_CHAR.match(text, hi) and \
            (text[hi] not in ".," or (hi + 1 < len(text) and text[hi + 1].isalnum())):
        hi += 1
    return lo, hi


_MANY_DOTS = re.compile(r"\d+(?:\.\d+){2,}")
_BAD_GROUPS = re.compile(r"\d+(?:\.\d+)+(?:,\d+)?")
_ENGLISH_DECIMAL = re.compile(r"\d+\.\d{1,2}")
_MANY_COMMAS = re.compile(r"\d+(?:,\d+){2,}")


def malformed_reason(token: str) -> str:
    """Why a written number was not read (for the residue)."""
    if len(re.sub(r"\D", "", token.split(",")[0]).lstrip("0")) > MAX_DIGITS:
        return f"implausible number: more than {MAX_DIGITS} digits"
    if any(ch.isalpha() for ch in token):
        return "malformed number: digits glued to letters"
    if _ENGLISH_DECIMAL.fullmatch(token):
        return "ambiguous number: a decimal point with no unit to vouch for it (Vietnamese writes 4,8)"
    if _MANY_DOTS.fullmatch(token) and not re.fullmatch(r"\d{1,3}(?:\.\d{3})+", token):
        return "malformed number: '.' must group thousands in threes (1.000.000)"
    if _BAD_GROUPS.fullmatch(token):
        return "malformed number: '.' must group thousands in threes (1.000.000)"
    if _MANY_COMMAS.fullmatch(token):
        return "malformed number: more than one decimal comma"
    return "number not read: no unit or counted noun the reader knows"


def unaccounted_numbers(text: str, covered: list[tuple[int, int]]) -> list[tuple[int, int, str]]:
    """Digit runs of ``text`` outside every ``covered`` span, as ``(start, end, reason)``: one per
    written token (``5.5.5`` is one), or per digit run where part of the token is covered.
    Linear in the text: the covered spans are merged once and walked alongside the digits."""
    merged: list[list[int]] = []
    for a, b in sorted(covered):
        if merged and a <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    starts = [m[0] for m in merged]

    def inside(a: int, b: int) -> bool:
        i = bisect.bisect_right(starts, a) - 1
        return i >= 0 and merged[i][0] <= a and b <= merged[i][1]

    def touches(a: int, b: int) -> bool:
        i = bisect.bisect_right(starts, b) - 1
        return any(merged[j][0] < b and a < merged[j][1] for j in range(max(0, i - 1), i + 1) if j >= 0)

    out: list[tuple[int, int, str]] = []
    done = -1
    for m in _DIGITS.finditer(text):
        a, b = m.span()
        if b <= done or inside(a, b):
            continue
        lo, hi = _token(text, a, b)
        reason = malformed_reason(text[lo:hi])
        if touches(lo, hi):
            out.append((a, b, reason))
        else:
            out.append((lo, hi, reason))
            done = hi
    return out
