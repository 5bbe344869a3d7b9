"""Numbers, money, percentages, dates and periods written for a reader, in Vietnamese or English.

Digits go through ``babel`` (CLDR data, maintained upstream) so grouping and decimal marks
follow each locale: vi ``1.234.567`` / ``88,4%`` / ``30/06/2023``, en ``1,234,567`` /
``88.4%`` / ``2023-06-30`` (ISO dates for the English pages: the readers are Vietnamese
reviewers reading an English copy, so a day-month order that differs from theirs is avoided).
``babel`` was chosen over ``great_tables`` because the pages need formatted *text* in cells,
chart ticks, titles and alt text alike, and our own HTML tables (escaping, evidence links,
collapsed columns) — one formatter for all of them.

Bounds are prefixes (``≥``, ``≤``, ``≈``); a lower bound is rounded down and an upper bound up,
so the shown text never claims more than the figure. Missing values are :data:`MISSING` (the
table helper adds the footnote that explains it). Scientific notation never appears.
"""

from __future__ import annotations

import math
from datetime import date
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal

from babel.dates import format_date
from babel.numbers import format_decimal

from analysis.reports.labels import check_lang, label

MISSING = "—"
PREFIX = {"exact": "", "at_least": "≥ ", "at_most": "≤ ", "approx": "≈ ", "range": "", "unbounded": "~ ", "undefined": ""}
_LOCALE = {"vi": "vi", "en": "en"}
_SCALES = {  # money: (threshold, divisor, label key)
    "vi": [(1e9, 1e9, "money_bn"), (1e6, 1e6, "money_mn")],
    "en": [(1e9, 1e9, "money_bn"), (1e6, 1e6, "money_mn")],
}


def is_missing(x) -> bool:
    """None, NaN, NaT, pandas NA and empty strings are missing."""
    if x is None:
        return True
    if isinstance(x, str):
        return x.strip() == ""
    try:
        return bool(x != x)  # NaN, NaT
    except (TypeError, ValueError):  # pandas NA refuses a truth value
        return True


def _round(x: float, decimals: int, bound: str) -> Decimal:
    mode = {"at_least": ROUND_FLOOR, "at_most": ROUND_CEILING}.get(bound, ROUND_HALF_UP)
    return Decimal(repr(float(x))).quantize(Decimal(1).scaleb(-decimals), rounding=mode)


def number(x, lang: str = "vi", decimals: int | None = None, bound: str = "exact") -> str:
    """``1234567`` → ``1.234.567`` (vi) / ``1,234,567`` (en); at most ``decimals`` decimals
    (default: none at 100 and above, else two), trailing zeros dropped."""
    check_lang(lang)
    if is_missing(x):
        return MISSING
    x = float(x)
    if math.isinf(x):
        return "∞"
    if decimals is None:
        decimals = 0 if abs(x) >= 100 or x.is_integer() else 2
    value = _round(x, decimals, bound)
    pattern = "#,##0" + ("." + "#" * decimals if decimals else "")
    return format_decimal(value, format=pattern, locale=_LOCALE[lang], decimal_quantization=False)


def percent(x, lang: str = "vi", decimals: int = 2, bound: str = "exact") -> str:
    """``88.4`` (already in percent) → ``88,4%`` / ``88.4%``."""
    if is_missing(x):
        return MISSING
    return f"{number(x, lang, decimals, bound)}%"


def money(x, lang: str = "vi", bound: str = "exact") -> str:
    """đồng: ``25e9`` → ``25 tỷ đồng`` / ``25 bn VND``; ``768e6`` → ``768 triệu đồng`` /
    ``768 million VND``; below a million in full (``69.258 đồng``)."""
    if is_missing(x):
        return MISSING
    x = float(x)
    for threshold, divisor, key in _SCALES[check_lang(lang)]:
        if abs(x) >= threshold:
            return f"{number(x / divisor, lang, 2, bound)} {label(key, lang)}"
    return f"{number(x, lang, 0, bound)} {label('money_unit', lang)}"


def count(x, lang: str = "vi", bound: str = "exact") -> str:
    """A count: whole numbers grouped; fractional results (per-100 ratios) keep two decimals."""
    return number(x, lang, None, bound)


def value(x, unit: str = "count", lang: str = "vi", bound: str = "exact", value_max=None) -> str:
    """A figure with its bound prefix: ``≥ 72.000``, ``≈ 25 tỷ đồng``, ``80–90%`` (a range
    widens outwards when rounded)."""
    if is_missing(x) or bound == "undefined":
        return MISSING
    one = {"vnd": money, "percent": percent}.get(unit, count)
    if bound == "range" and not is_missing(value_max):
        if unit == "percent":  # 80–90%
            return f"{number(x, lang, 2, 'at_least')}–{percent(value_max, lang, 2, 'at_most')}"
        return f"{one(x, lang, bound='at_least')}–{one(value_max, lang, bound='at_most')}"
    return PREFIX.get(bound, "") + one(x, lang, bound=bound)


def bounded(b, unit: str = "count", lang: str = "vi") -> str:
    """A :class:`~analysis.stats.bounds.Bounded` (or ``None``) as text."""
    if b is None or is_missing(getattr(b, "value", None)):
        return MISSING
    return value(b.value, unit, lang, b.bound, getattr(b, "value_max", None))


def day(iso, lang: str = "vi") -> str:
    """``2023-06-30`` → ``30/06/2023`` (vi) / ``2023-06-30`` (en)."""
    if is_missing(iso):
        return MISSING
    d = iso if isinstance(iso, date) else date.fromisoformat(str(iso)[:10])
    pattern = "dd/MM/yyyy" if check_lang(lang) == "vi" else "yyyy-MM-dd"
    return format_date(d, pattern, locale=_LOCALE[lang])


def period(start, end, lang: str = "vi") -> str:
    """A figure's period in words: a calendar year ``2023`` (vi ``năm 2023``), the first half
    ``H1 2023`` (vi ``6 tháng đầu năm 2023``), a stock ``as of 2023-06-30`` (vi ``tính đến
    30/06/2023``), any other span ``start – end``; no date at all is ``undated``."""
    if is_missing(end):
        return label("undated", lang)
    end_d = date.fromisoformat(str(end)[:10])
    if is_missing(start):
        return label("as_of", lang).format(date=day(end_d, lang))
    start_d = date.fromisoformat(str(start)[:10])
    if (start_d.month, start_d.day) == (1, 1) and start_d.year == end_d.year:
        if (end_d.month, end_d.day) == (12, 31):
            return label("period_year", lang).format(year=end_d.year)
        if (end_d.month, end_d.day) == (6, 30):
            return label("period_h1", lang).format(year=end_d.year)
    return f"{day(start_d, lang)} – {day(end_d, lang)}"
