"""Figures are points with a bound. Arithmetic on them keeps the bound honest.

A :class:`Bounded` value is read as an interval: ``exact`` [v, v], ``at_least`` [v, ∞),
``at_most`` [floor, v] (floor 0 for a reported figure, −∞ after arithmetic on negatives),
``range`` [v, value_max]. ``approx`` is ≈ v as the article said it (``khoảng``): no guaranteed
interval. ``unbounded`` is what the arithmetic cannot guarantee (``≥ a / ≥ b``): the point is
kept as an estimate, never written with ``≈``. ``undefined`` is a division by zero.
Dividing two intervals gives an interval, and the result's bound is what that interval says:

- ``≥ 768 triệu / 11 089`` = [69 257.82, ∞) → ``at_least`` (shown rounded *down*: ≥ 69,257);
- ``≥ 25 tỷ / ≥ 72 000`` = [0, ∞) → nothing is guaranteed: ``unbounded`` (~ 347,222);
- ``12 / ≥ 300`` = [0, 0.04] → ``at_most`` (shown rounded *up*);
- ``5 / 0`` → ``undefined``; ``≥ 5 × −1`` = (−∞, −5] → ``at_most`` −5.

Census denominators (:func:`census_base`) carry their stated error (±2 % on districts) and
their year: for a figure after the 1 April 2019 census the true denominator is at least the
census one (households and population grew), so a share computed on it is an upper
estimate (``≤``); before 2019 it is a lower estimate (``≥``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from analysis.numfmt import format_number

INF = math.inf
SYMBOL = {"exact": "", "at_least": "≥ ", "at_most": "≤ ", "approx": "≈ ", "range": "", "unbounded": "~ ",
          "undefined": ""}
KINDS = ("exact", "at_least", "at_most", "approx", "range", "unbounded", "undefined")
CENSUS_YEAR = 2019
CENSUS_ERROR = {"province": 0.0, "district": 0.02}  # data/reference/README.md: districts about ±2 %


class BoundsError(ValueError):
    """A bounded value that contradicts itself (a range whose max is below its min)."""


@dataclass(frozen=True)
class Bounded:
    """A figure or a derived number with what is guaranteed about it."""

    value: float
    bound: str = "exact"
    value_max: float | None = None
    floor: float = 0.0  # lower end of an ``at_most`` interval

    def __post_init__(self):
        if self.bound not in KINDS:
            raise BoundsError(f"unknown bound {self.bound!r}; one of {', '.join(KINDS)}")
        if self.bound == "range":
            if self.value_max is None or (isinstance(self.value_max, float) and math.isnan(self.value_max)):
                raise BoundsError(f"range starting at {self.value} has no upper end")
            if self.value_max < self.value:
                raise BoundsError(f"range {self.value}–{self.value_max}: the maximum is below the minimum")

    @classmethod
    def of(cls, row) -> Bounded:
        """From a figures row (a mapping with value, bound, value_max); a bad range raises BoundsError."""
        vmax = row.get("value_max")
        vmax = None if vmax is None or (isinstance(vmax, float) and math.isnan(vmax)) else float(vmax)
        bound = str(row.get("bound") or "exact")
        if bound == "range" and vmax is None:
            raise BoundsError(f"row of {row.get('source_id', '?')}: range {row['value']} has no value_max")
        return cls(float(row["value"]), bound, vmax if bound == "range" else None)

    def __str__(self) -> str:
        return format_bounded(self)

    @property
    def defined(self) -> bool:
        """False for a division by zero (or a NaN)."""
        return self.bound != "undefined" and not math.isnan(self.value)

    def interval(self) -> tuple[float, float] | None:
        """The guaranteed interval; ``None`` when nothing is guaranteed (approx, unbounded, undefined)."""
        if self.bound == "exact":
            return self.value, self.value
        if self.bound == "at_least":
            return self.value, INF
        if self.bound == "at_most":
            return (self.floor if self.floor <= self.value else -INF), self.value
        if self.bound == "range":
            return self.value, self.value_max
        return None

    def _combine(self, other: Bounded | float, point: float, op) -> Bounded:
        other = _as_bounded(other)
        if not (self.defined and other.defined):
            return UNDEFINED
        a, b = self.interval(), other.interval()
        if a is None or b is None:
            return _estimate(point, self, other)
        return _from_interval(point, *op(a, b))

    def __truediv__(self, other: Bounded | float) -> Bounded:
        other = _as_bounded(other)
        if other.value == 0 and other.bound in ("exact", "approx", "unbounded") or not other.defined:
            return UNDEFINED
        b = other.interval()
        if b is not None and b[0] < 0 <= b[1]:  # a denominator that may be negative or zero
            return _estimate(self.value / other.value if other.value else math.nan, self, Bounded(1, "unbounded"))
        return self._combine(other, self.value / other.value, _div_interval)

    def __mul__(self, other: Bounded | float) -> Bounded:
        other = _as_bounded(other)
        return self._combine(other, self.value * other.value, _mul_interval)

    def __add__(self, other: Bounded | float) -> Bounded:
        other = _as_bounded(other)
        return self._combine(other, self.value + other.value, lambda a, b: (a[0] + b[0], a[1] + b[1]))

    def __neg__(self) -> Bounded:
        return self.scale(-1)

    def __sub__(self, other: Bounded | float) -> Bounded:
        return self + (-_as_bounded(other))

    def scale(self, k: float) -> Bounded:
        """Multiply by an exact number (a negative one turns a lower bound into an upper bound)."""
        return self * Bounded(float(k))

    def contains(self, x: float) -> bool:
        """Whether ``x`` lies in the guaranteed interval (approx/unbounded: never guaranteed)."""
        iv = self.interval()
        return iv is not None and iv[0] <= x <= iv[1]


UNDEFINED = Bounded(math.nan, "undefined")


def _as_bounded(x: Bounded | float) -> Bounded:
    return x if isinstance(x, Bounded) else Bounded(float(x))


def _estimate(point: float, a: Bounded, b: Bounded) -> Bounded:
    """``khoảng`` stays ``≈`` only against exact numbers; anything else guarantees nothing."""
    kinds = {a.bound, b.bound}
    if kinds <= {"approx", "exact"}:
        return Bounded(point, "approx")
    return Bounded(point, "unbounded")


def _safe(x: float, y: float, op) -> float:
    try:
        r = op(x, y)
    except ZeroDivisionError:
        return INF if x >= 0 else -INF
    return 0.0 if math.isnan(r) else r  # 0 × ∞ on an interval end is 0


def _mul_interval(a, b):
    ends = [_safe(x, y, lambda p, q: p * q) for x in a for y in b]
    return min(ends), max(ends)


def _div_interval(a, b):
    recip = (1 / b[1] if b[1] != INF else 0.0, 1 / b[0] if b[0] else INF)
    return _mul_interval(a, recip)


def _from_interval(point: float, lo: float, hi: float) -> Bounded:
    if lo == hi:
        return Bounded(lo, "exact")
    if lo > -INF and lo != 0 and hi == INF:  # [0, ∞) guarantees nothing
        return Bounded(lo, "at_least")
    if hi < INF and lo in (0, -INF):
        return Bounded(hi, "at_most", floor=lo)
    if lo > -INF and hi < INF:
        return Bounded(lo, "range", hi)
    return Bounded(point, "unbounded")


def total(values: list[Bounded]) -> Bounded:
    """The sum of several bounded values (the caller decides that they may be summed)."""
    out = values[0]
    for v in values[1:]:
        out = out + v
    return out


def census_base(count: float, level: str, figure_year: int | None) -> Bounded:
    """A 2019 census denominator as an interval for a figure of ``figure_year``.

    The stated error (±2 % on districts, none on provinces) widens it; the census year sets
    its direction: after 2019 the true count is at least the census one, before 2019 at most.
    An unknown year gives the error range only.
    """
    err = CENSUS_ERROR.get(level, 0.02)
    lo, hi = count * (1 - err), count * (1 + err)
    if figure_year is not None and figure_year > CENSUS_YEAR:
        return Bounded(lo, "at_least")
    if figure_year is not None and figure_year < CENSUS_YEAR:
        return Bounded(hi, "at_most")
    return Bounded(count) if lo == hi else Bounded(lo, "range", hi)


def estimate_direction(share: Bounded) -> str:
    """How a share on a census base reads: an upper estimate (≤), a lower one (≥), or within a range."""
    return {"at_most": "upper estimate", "at_least": "lower estimate", "range": "within the census error",
            "exact": "exact"}.get(share.bound, "estimate")


def _round_dir(x: float, decimals: int, direction: str) -> float:
    k = 10 ** decimals
    eps = 1e-12 * max(1.0, abs(x) * k)  # float noise (69 258.0000000001) is not a digit
    if direction == "down":
        return math.floor(x * k + eps) / k
    if direction == "up":
        return math.ceil(x * k - eps) / k
    return x


def format_bounded(b: Bounded, lang: str = "en", unit: str = "", decimals: int | None = None) -> str:
    """``≥ 72,000`` / ``≥ 72.000``, ``≈ 347,222 đ``, ``80–90%``; a lower bound is rounded down and
    an upper bound up, so the text never claims more than the interval."""
    if b.bound == "undefined" or b.value is None or (isinstance(b.value, float) and math.isnan(b.value)):
        return "undefined" if b.bound == "undefined" else "–"
    d = decimals
    if d is None:  # the same default as format_number: whole numbers from 100 up, else 2 decimals
        d = 0 if abs(b.value) >= 100 or float(b.value).is_integer() else 2
    lo_dir = {"at_least": "down", "range": "down", "at_most": "up"}.get(b.bound, "")
    text = format_number(_round_dir(b.value, d, lo_dir), lang, d)
    if b.bound == "range" and b.value_max is not None:
        text = f"{text}–{format_number(_round_dir(b.value_max, d, 'up'), lang, d)}"
    suffix = {"percent": "%", "vnd": " đ"}.get(unit, "")
    return f"{SYMBOL.get(b.bound, '')}{text}{suffix}"
