"""Figures are points with a bound. Arithmetic on them keeps the bound honest.

A :class:`Bounded` value is read as an interval: ``exact`` [v, v], ``at_least`` [v, ∞),
``at_most`` [0, v], ``range`` [v, value_max], ``approx`` ≈ v (no guaranteed interval).
Dividing two intervals gives an interval, and the result's bound is what that interval says:

- ``≥ 768 triệu / 11 089`` = [69 258, ∞) → ``at_least``;
- ``≥ 25 tỷ / ≥ 72 000`` = [0, ∞) → nothing is guaranteed, so only ``approx`` (≈ 347 222);
- ``12 / ≥ 300`` = [0, 0.04] → ``at_most``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

INF = math.inf
SYMBOL = {"exact": "", "at_least": "≥ ", "at_most": "≤ ", "approx": "≈ ", "range": ""}


@dataclass(frozen=True)
class Bounded:
    value: float
    bound: str = "exact"
    value_max: float | None = None

    @classmethod
    def of(cls, row) -> Bounded:
        """From a figures row (a mapping with value, bound, value_max)."""
        vmax = row.get("value_max")
        vmax = None if vmax is None or (isinstance(vmax, float) and math.isnan(vmax)) else float(vmax)
        return cls(float(row["value"]), str(row.get("bound") or "exact"), vmax)

    def __str__(self) -> str:
        return format_bounded(self)

    def interval(self) -> tuple[float, float] | None:
        if self.bound == "exact":
            return self.value, self.value
        if self.bound == "at_least":
            return self.value, INF
        if self.bound == "at_most":
            return 0.0, self.value
        if self.bound == "range" and self.value_max is not None:
            return self.value, self.value_max
        return None  # approx: no guaranteed interval

    def __truediv__(self, other: Bounded | float) -> Bounded:
        other = other if isinstance(other, Bounded) else Bounded(float(other))
        point = self.value / other.value if other.value else math.nan
        a, b = self.interval(), other.interval()
        if a is None or b is None:
            return Bounded(point, "approx")
        lo = a[0] / b[1] if b[1] not in (0, INF) else (0.0 if b[1] == INF else INF)
        hi = a[1] / b[0] if b[0] > 0 else INF
        return _from_interval(point, lo, hi)

    def __mul__(self, other: Bounded | float) -> Bounded:
        other = other if isinstance(other, Bounded) else Bounded(float(other))
        point = self.value * other.value
        a, b = self.interval(), other.interval()
        if a is None or b is None:
            return Bounded(point, "approx")
        return _from_interval(point, a[0] * b[0], a[1] * b[1])

    def __add__(self, other: Bounded) -> Bounded:
        point = self.value + other.value
        a, b = self.interval(), other.interval()
        if a is None or b is None:
            return Bounded(point, "approx")
        return _from_interval(point, a[0] + b[0], a[1] + b[1])

    def scale(self, k: float) -> Bounded:
        return Bounded(self.value * k, self.bound, None if self.value_max is None else self.value_max * k)


def _from_interval(point: float, lo: float, hi: float) -> Bounded:
    if lo == hi:
        return Bounded(lo, "exact")
    if lo > 0 and hi == INF:
        return Bounded(lo, "at_least")
    if lo == 0 and hi < INF:
        return Bounded(hi, "at_most")
    if lo > 0 and hi < INF:
        return Bounded(lo, "range", hi)
    return Bounded(point, "approx")


def total(values: list[Bounded]) -> Bounded:
    out = values[0]
    for v in values[1:]:
        out = out + v
    return out


def format_bounded(b: Bounded, lang: str = "en", unit: str = "", decimals: int | None = None) -> str:
    """``≥ 72,000`` / ``≥ 72.000``, ``≈ 347,222 đ``, ``80–90%``."""
    from analysis.reports.labels import format_number

    if b.value is None or (isinstance(b.value, float) and math.isnan(b.value)):
        return "–"
    text = format_number(b.value, lang, decimals)
    if b.bound == "range" and b.value_max is not None:
        text = f"{text}–{format_number(b.value_max, lang, decimals)}"
    suffix = {"percent": "%", "vnd": " đ"}.get(unit, "")
    return f"{SYMBOL.get(b.bound, '')}{text}{suffix}"
