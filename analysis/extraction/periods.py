"""Dates and periods in article text.

- :func:`find_dates` claims every date, time, year and year range so that they are never read
  as figures (they go to the residue with their reason).
- :func:`find_period_phrases` reads the phrases that say which period a figure covers:
  ``6 tháng đầu năm 2023`` (H1), ``năm 2022`` (a year), ``tính đến 30/6/2017`` (as of),
  ``đến nay`` / ``hiện có`` (as of publication), ``nhiệm kỳ 2019–2024`` (a term).
- :func:`infer_published` finds the article's date when ``sources.csv`` has none.

All functions take folded text (lower case, see :func:`analysis.extraction.knowledge.fold`).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, replace
from datetime import date

from analysis.extraction.knowledge import fold, fold_re
from analysis.extraction.spans import Spans

YEAR = r"(?:19[4-9]\d|20[0-4]\d)"
_D = ""  # the "not inside a number" check is done where the patterns are tried
PLACEHOLDER_YEAR = 2000  # the dates of a phrase written without a year, until the article gives one


@dataclass(frozen=True)
class DateSpan:
    """A date, month, time, year or year range found in folded text, with its position."""
    start: int
    end: int
    kind: str  # date | month | day_month | time | year | year_range
    value: date | None = None
    year: int | None = None


_FULL = fold_re(_D + r"(\d{1,2})([/.-])(\d{1,2})\2(" + YEAR + r")(?!\d)")
_MONTH_YEAR = fold_re(_D + r"(\d{1,2})/(" + YEAR + r")(?![\d/])")
_DAY_MONTH = fold_re(_D + r"(\d{1,2})/(\d{1,2})(?![\d/])")
_TIME = fold_re(_D + r"(\d{1,2})(?::|h)(\d{2})(?!\d)")
_YEAR_RANGE = fold_re(_D + r"(" + YEAR + r")\s*[-–—]\s*(" + YEAR + r")(?![\d.,]\d)")
_YEAR = fold_re(_D + r"(" + YEAR + r")(?![\d]|[.,]\d)")
_YEAR_LEAD = fold_re(r"(?:năm|kì|khóa|đoạn)\s*$")
_DATE_LEAD = fold_re(r"(?:ngày|sáng|chiều|tối|trưa|đêm|hôm|từ|đến|tới|thứ \w+|\()\s*$")


def _valid(d: int, m: int, y: int = 2000) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def month_end(year: int, month: int) -> date:
    """The last day of a month."""
    return date(year, month, calendar.monthrange(year, month)[1])


_DIGIT_RUN = re.compile(r"\d+")


def find_dates(folded: str, counted_noun: re.Pattern[str] | None = None) -> list[DateSpan]:
    """Every date-like span, earliest first and non-overlapping.

    ``counted_noun`` (a pattern of the nouns figures count) keeps ``12/12 xã`` and
    ``2000 hội viên`` from being read as a date or a year.
    """
    # patterns are tried only where a digit run starts (not inside 11.089 or 30/6)
    starts = [m.start() for m in _DIGIT_RUN.finditer(folded)
              if m.start() == 0 or folded[m.start() - 1] not in "/.,"]
    spans: list[DateSpan] = []
    taken = _TakenList()

    def free(a: int, b: int) -> bool:
        return not taken.set.overlaps(a, b)

    def followed_by_noun(end: int) -> bool:
        return bool(counted_noun and counted_noun.match(folded, _skip(folded, end)))

    def matches(pattern: re.Pattern[str]):
        for pos in starts:
            m = pattern.match(folded, pos)
            if m:
                yield m

    _full_and_ranges(matches, free, spans, taken)
    _months_and_times(matches, free, spans, taken)
    _counted_dates(folded, matches, free, followed_by_noun, spans, taken)
    spans.sort(key=lambda s: s.start)
    return spans


def _full_and_ranges(matches, free, spans: list[DateSpan], taken: _TakenList) -> None:
    """Add full dates (``30/6/2023``) and year ranges (``2018-2023``) to ``spans``."""
    for m in matches(_FULL):
        d = _valid(int(m.group(1)), int(m.group(3)), int(m.group(4)))
        if d:
            spans.append(DateSpan(m.start(), m.end(), "date", d, d.year))
            taken.append((m.start(), m.end()))
    for m in matches(_YEAR_RANGE):
        if free(m.start(), m.end()):
            spans.append(DateSpan(m.start(), m.end(), "year_range", None, int(m.group(1))))
            taken.append((m.start(), m.end()))


def _months_and_times(matches, free, spans: list[DateSpan], taken: _TakenList) -> None:
    """Add months (``6/2023``) and times of day (``8h30``) to ``spans``."""
    for m in matches(_MONTH_YEAR):
        month = int(m.group(1))
        if 1 <= month <= 12 and free(m.start(), m.end()):
            year = int(m.group(2))
            spans.append(DateSpan(m.start(), m.end(), "month", month_end(year, month), year))
            taken.append((m.start(), m.end()))
    for m in matches(_TIME):
        if int(m.group(1)) <= 23 and int(m.group(2)) <= 59 and free(m.start(), m.end()):
            spans.append(DateSpan(m.start(), m.end(), "time"))
            taken.append((m.start(), m.end()))


def _counted_dates(folded: str, matches, free, followed_by_noun, spans: list[DateSpan],
                   taken: _TakenList) -> None:
    """Add days of a month (``30/6``) and years, unless a counted noun makes them a count."""
    for m in matches(_DAY_MONTH):
        d, mo = int(m.group(1)), int(m.group(2))
        if not _valid(d, mo) or not free(m.start(), m.end()):
            continue
        lead = folded[max(0, m.start() - 12):m.start()]
        if followed_by_noun(m.end()) and not _DATE_LEAD.search(lead):
            continue  # 12/12 xã: a fraction, not 12 December
        spans.append(DateSpan(m.start(), m.end(), "day_month", None, None))
        taken.append((m.start(), m.end()))
    for m in matches(_YEAR):
        if not free(m.start(), m.end()):
            continue
        lead = folded[max(0, m.start() - 25):m.start()]
        if followed_by_noun(m.end()) and not _YEAR_LEAD.search(lead):
            continue  # 2000 hội viên is a count
        spans.append(DateSpan(m.start(), m.end(), "year", None, int(m.group(1))))
        taken.append((m.start(), m.end()))


class _TakenList:
    """``taken.append((a, b))`` as before, answered by an interval set (no quadratic rescans)."""

    def __init__(self):
        self.set = Spans()

    def append(self, span: tuple[int, int]) -> None:
        self.set.add(*span)


def _skip(s: str, i: int) -> int:
    while i < len(s) and s[i] in " “\"'":
        i += 1
    return i


# -- period phrases ------------------------------------------------------------------

@dataclass(frozen=True)
class Period:
    """A period phrase: a flow (start and end), a stock (as of ``end``) or a term."""

    start: int  # offsets of the phrase in the text
    end: int
    kind: str  # h1 | h2 | q | m9 | year | ytd | since | asof | asof_pub | term | term_start | school_year
    period_start: date | None
    period_end: date | None
    year: int | None  # the year written, None when it must come from the article
    plan: bool = False  # under "phương hướng, nhiệm vụ, kế hoạch…": the article's plans

    @property
    def yearless(self) -> bool:
        """Whether the phrase names no year and needs the report year to be dated."""
        return self.year is None and self.kind not in ("asof_pub", "term_start")

    def resolve(self, report_year: int | None, published: date | None) -> Period:
        """Fill the dates of a phrase that names no year (``6 tháng đầu năm``, ``trong năm``)."""
        if self.kind == "asof_pub":
            return replace(self, period_end=published)
        if self.kind == "term_start":
            return self  # dated by the term the article closes (the period reader knows it)
        if self.kind == "q" and self.year is None and self.period_start is not None and report_year is not None:
            first = self.period_start.month  # "quý III" of the report year
            return replace(self, period_start=date(report_year, first, 1), period_end=month_end(report_year, first + 2))
        if self.year is not None or report_year is None:
            return self
        return _make(self.kind, self.start, self.end, report_year, self.plan, self._month, explicit=False)

    @property
    def _month(self) -> int | None:
        return self.period_end.month if self.kind == "asof" and self.period_end else None


_PLAN = fold_re(r"(?:phương hướng|nhiệm vụ|kế hoạch|triển khai|phấn đấu|mục tiêu|chỉ tiêu)[^.;\n]{0,25}$")
_Y = r"(?:\s+(?:năm\s+)?(" + YEAR + r"))?"
_PHRASES: list[tuple[str, re.Pattern[str]]] = [
    ("term", fold_re(r"(?:nhiệm kì|giai đoạn|khóa)\s+(?:[ivx\d]+\s*[,(]?\s*)?(" + YEAR + r")\s*[-–—]\s*(" + YEAR + r")")),
    ("school_year", fold_re(r"năm học\s+(?:mới\s+)?(" + YEAR + r")\s*[-–—]\s*(" + YEAR + r")")),
    ("day", fold_re(r"(?:ngày|sáng|chiều|tối|trưa)\s+(?:ngày\s+)?(\d{1,2})[/.-](\d{1,2})[/.-](" + YEAR + r")(?!\d)")),
    ("h1", fold_re(r"(?:6|sáu) tháng đầu năm" + _Y)),
    ("h2", fold_re(r"(?:6|sáu) tháng cuối năm" + _Y)),
    ("m9", fold_re(r"(?:9|chín) tháng(?: đầu năm)?" + _Y)),
    ("q", fold_re(r"quí\s+(iv|i{1,3}|[1-4])(?!\w)(?:\s*[/,]?\s*(?:năm\s+)?(" + YEAR + r"))?")),
    ("asof", fold_re(r"(?:đến|tới)\s+(?:hết\s+|cuối\s+)?(?:thời điểm\s+)?(?:ngày\s+)?(\d{1,2})[/.-](\d{1,2})[/.-](" + YEAR + ")")),
    ("asof", fold_re(r"(?:đến|tới)\s+(?:hết\s+|cuối\s+)?(?:thời điểm\s+)?tháng\s+(\d{1,2})\s*(?:/|năm)\s*(" + YEAR + ")")),
    ("asof", fold_re(r"(?:đến|tới)\s+(?:hết\s+|cuối\s+)năm\s+(" + YEAR + ")")),
    ("horizon", fold_re(r"(?:đến|tới)\s+năm\s+(" + YEAR + ")")),
    ("ytd", fold_re(r"từ đầu năm(?:\s+(" + YEAR + r"))?(?:\s+(?:đến|tới) nay)?")),
    ("since", fold_re(r"từ năm\s+(" + YEAR + r")(?!\s*(?:[-–—]|(?:đến|tới)\s+(?:năm|hết|cuối|\d)))"
                      r"(?:\s*(?:đến|tới)\s+nay)?")),
    ("term_start", fold_re(r"đầu nhiệm kì(?!\s*(?:\d|[ivx]+\b|khóa))")),
    ("asof_pub", fold_re(r"(?:đến|tới) nay|hiện nay|hiện có|hiện tại|đến thời điểm này|tới thời điểm này")),
    ("year", fold_re(r"năm\s+(" + YEAR + r")(?![\d\s]*[-–—]\s*" + YEAR + ")")),
    ("year", fold_re(r"trong năm(?!\s+(?:\d|học|qua|tới|sau))()")),
    # "năm qua" is last year; "5 năm qua", "những năm qua" are several: not a year's phrase
    ("year", fold_re(r"(?<!\d )(?<!\d)(?<!những )(?<!nhiều )(?<!các )(?<!mấy )(?<!vài )năm qua()")),
]
# words one of which a phrase of each pattern must contain (a cheap test before the regex)
_PHRASE_KEYS = [("nhiệm kì", "giai đoạn", "khóa"), ("năm học",), ("ngày", "sáng", "chiều", "tối", "trưa"), ("tháng đầu",), ("tháng cuối",), ("tháng",),
                ("quí",), ("đến", "tới"), ("đến", "tới"), ("đến", "tới"), ("đến", "tới"), ("từ đầu năm",),
                ("từ năm",), ("đầu nhiệm kì",), ("nay", "hiện"), ("năm",), ("trong năm",), ("năm qua",)]
_PHRASE_KEYS = [tuple(fold(k) for k in keys) for keys in _PHRASE_KEYS]
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}


def _make(kind: str, a: int, b: int, year: int, plan: bool, month: int | None = None,
          explicit: bool = True) -> Period:
    y = year if explicit else None
    if kind == "h1":
        return Period(a, b, kind, date(year, 1, 1), date(year, 6, 30), y, plan)
    if kind == "h2":
        return Period(a, b, kind, date(year, 7, 1), date(year, 12, 31), y, plan)
    if kind == "m9":
        return Period(a, b, kind, date(year, 1, 1), date(year, 9, 30), y, plan)
    if kind == "ytd":
        return Period(a, b, kind, date(year, 1, 1), None, y, plan)
    if kind == "asof":
        return Period(a, b, kind, None, month_end(year, month or 12), y, plan)
    return Period(a, b, "year", date(year, 1, 1), date(year, 12, 31), y, plan)


def find_period_phrases(folded: str) -> list[Period]:
    """Every period phrase in folded text (``6 tháng đầu năm``, ``năm 2023``…), not overlapping."""
    out: list[Period] = []
    taken = _TakenList()
    for (kind, pat), keys in zip(_PHRASES, _PHRASE_KEYS, strict=True):  # keys: a cheap test first
        if not any(k in folded for k in keys):
            continue
        for m in pat.finditer(folded):
            if taken.set.overlaps(m.start(), m.end()):
                continue
            plan = bool(_PLAN.search(folded[max(0, m.start() - 60):m.start()]))
            p = _phrase(kind, m, plan)
            if p:
                out.append(p)
                taken.append((m.start(), m.end()))
    out.sort(key=lambda p: p.start)
    return out


_SIMPLE = {  # kinds whose period follows from the words alone
    # "đến năm 2020": the deadline of a programme, not a period of figures
    "horizon": lambda a, b, g, plan: Period(a, b, "horizon", None, date(int(g[0]), 12, 31), int(g[0]), True),
    # "từ năm 2016 (đến nay)": cumulative from that year to the article's date
    "since": lambda a, b, g, plan: Period(a, b, "since", date(int(g[0]), 1, 1), None, int(g[0]), plan),
    # "đầu nhiệm kỳ": the start of the term the article reports on (dated by the period reader)
    "term_start": lambda a, b, g, plan: Period(a, b, "term_start", None, None, None, plan),
}


def _phrase(kind: str, m: re.Match[str], plan: bool) -> Period | None:
    a, b = m.start(), m.end()
    g = m.groups()
    if kind in ("term", "school_year"):
        y1, y2 = int(g[0]), int(g[1])
        if kind == "school_year":
            return Period(a, b, kind, date(y1, 9, 1), date(y2, 8, 31), y1, plan)
        return Period(a, b, kind, date(y1, 1, 1), date(y2, 12, 31), y1, plan)
    if kind in ("asof_pub", "day"):
        return _day_or_now(kind, a, b, g, plan)
    simple = _SIMPLE.get(kind)
    if simple is not None:
        return simple(a, b, g, plan)
    if kind == "asof":
        if len(g) == 3:
            d = _valid(int(g[0]), int(g[1]), int(g[2]))
            return Period(a, b, kind, None, d, d.year, plan) if d else None
        if len(g) == 2:
            month, year = int(g[0]), int(g[1])
            if not 1 <= month <= 12:
                return None
            return Period(a, b, kind, None, month_end(year, month), year, plan)
        return Period(a, b, kind, None, date(int(g[0]), 12, 31), int(g[0]), plan)
    if kind == "q":
        q = _ROMAN.get(g[0]) or int(g[0])
        if not g[1]:  # its months kept on the placeholder year; the year comes from the article
            return Period(a, b, kind, date(PLACEHOLDER_YEAR, 3 * q - 2, 1), month_end(PLACEHOLDER_YEAR, 3 * q), None, plan)
        year = int(g[1])
        return Period(a, b, kind, date(year, 3 * q - 2, 1), month_end(year, 3 * q), year, plan)
    year_text = g[-1] if g else None
    if year_text:
        return _make(kind, a, b, int(year_text), plan)
    # no year written: a placeholder, resolved against the article's report year
    placeholder = _make(kind, a, b, PLACEHOLDER_YEAR, plan)
    return replace(placeholder, year=None)


def _day_or_now(kind: str, a: int, b: int, g: tuple, plan: bool) -> Period | None:
    """``đến nay`` (resolved later to the article's date) or one full day (``ngày 18/2/2024``)."""
    if kind == "asof_pub":
        return Period(a, b, kind, None, None, None, plan)
    d = _valid(int(g[0]), int(g[1]), int(g[2]))
    return Period(a, b, kind, d, d, d.year, plan) if d else None


# -- the article's date --------------------------------------------------------------

_STAMP = [
    fold_re(r"(\d{1,2})/(\d{1,2})/(" + YEAR + r")\s*[-|,]?\s*\d{1,2}:\d{2}"),
    fold_re(r"\d{1,2}:\d{2}(?:\s*(?:am|pm))?\s*[-|,]?\s*(?:\w+,\s*)?(\d{1,2})/(\d{1,2})/(" + YEAR + ")"),
    fold_re(r"(?m)^\s*(?:\w+,\s*)?(?:ngày\s+)?(\d{1,2})/(\d{1,2})/(" + YEAR + r")\s*$"),
]
_EVENT_FULL = fold_re(r"(?:sáng|chiều|tối|trưa|ngày|hôm)\s+(?:ngày\s+)?(\d{1,2})[/.-](\d{1,2})[/.-](" + YEAR + ")")
_EVENT = fold_re(r"(?:sáng|chiều|tối|trưa|ngày|hôm)\s+(?:ngày\s+)?(?:nay\s+)?\(?(\d{1,2})/(\d{1,2})(?![\d/])")


@dataclass(frozen=True)
class Dating:
    """The article's date and report year, and how they were found."""
    published: date | None
    how: str  # sources.csv | text timestamp | event date | report period | unknown
    report_year: int | None


def infer_dating(folded: str, phrases: list[Period], published: date | None) -> Dating:
    """The article's date and report year, and how they were found."""
    report_year = _report_year(phrases)
    if published:
        return Dating(published, "sources.csv", report_year or published.year)
    head = folded[:600]
    for pat in _STAMP:
        m = pat.search(head)
        if m:
            d = _valid(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            if d:
                return Dating(d, "text timestamp", report_year or d.year)
    m = _EVENT_FULL.search(folded[:1500])
    if m:
        d = _valid(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        if d:
            return Dating(d, "event date in the text", report_year or d.year)
    m = _EVENT.search(folded)
    if m and report_year:
        d = _valid(int(m.group(1)), int(m.group(2)), report_year)
        if d:
            return Dating(d, "event date and report year", report_year)
    for p in phrases:
        if p.plan or p.kind in ("term", "school_year", "asof_pub", "horizon") or p.year is None:
            continue
        if p.period_end:
            return Dating(p.period_end, "end of the report period", report_year)
    return Dating(None, "unknown", report_year)


_NOT_REVIEWED = ("term", "school_year", "horizon", "since")  # spans and deadlines, not the year reviewed


def _report_year(phrases: list[Period]) -> int | None:
    for p in phrases:
        if p.year is not None and not p.plan and p.kind not in _NOT_REVIEWED:
            return p.year
    for p in phrases:
        if p.year is not None and p.kind not in _NOT_REVIEWED:
            return p.year
    return None
