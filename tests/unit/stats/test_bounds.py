"""Bounded arithmetic and formatting, against values computed by hand."""

import math

import pytest

from analysis.stats.bounds import (
    Bounded,
    BoundsError,
    census_base,
    estimate_direction,
    format_bounded,
)


@pytest.mark.parametrize("a,b,value,bound", [
    (Bounded(768e6, "at_least"), Bounded(11089), 69257.82, "at_least"),   # Bắc Kạn 2022
    (Bounded(25e9, "at_least"), Bounded(72000, "at_least"), 347222.2, "unbounded"),  # Quế Võ to June 2023
    (Bounded(12), Bounded(300, "at_least"), 0.04, "at_most"),
    (Bounded(30, "at_most"), Bounded(10), 3, "at_most"),
    (Bounded(30, "at_least"), Bounded(10, "at_most"), 3, "at_least"),
    (Bounded(100), Bounded(50), 2, "exact"),
    (Bounded(80, "range", 90), Bounded(10), 8, "range"),
    (Bounded(80, "approx"), Bounded(10), 8, "approx"),
    (Bounded(80, "approx"), Bounded(10, "at_least"), 8, "unbounded"),
])
def test_division_keeps_bounds_honest(a, b, value, bound):
    """[768e6, ∞) / 11 089 = [69 257.82, ∞); [25e9, ∞) / [72 000, ∞) = [0, ∞): nothing guaranteed;
    12 / [300, ∞) = [0, 0.04]; ≈80 / 10 stays ≈ 8 (khoảng); ≈80 / ≥10 guarantees nothing."""
    r = a / b
    assert r.bound == bound
    assert r.value == pytest.approx(value, rel=1e-4)


def test_division_by_zero_is_undefined():
    """x / 0 has no value: ``undefined``, shown as such, never "exact inf"."""
    r = Bounded(5) / Bounded(0)
    assert r.bound == "undefined" and not r.defined
    assert format_bounded(r) == "undefined"
    assert (Bounded(5) / 0).bound == "undefined"
    assert (r + Bounded(1)).bound == "undefined"


def test_negatives_turn_bounds_around():
    """[5, ∞) × −1 = (−∞, −5]: an upper bound ≤ −5, not "≥ −5"; 10 − [4, 6] = [4, 6]."""
    r = Bounded(5, "at_least") * -1
    assert (r.bound, r.value) == ("at_most", -5) and r.interval() == (-math.inf, -5)
    assert format_bounded(r) == "≤ -5"
    d = Bounded(10) - Bounded(4, "range", 6)
    assert (d.bound, d.value, d.value_max) == ("range", 4, 6)
    assert (Bounded(3) - Bounded(5)).value == -2


def test_ranges_are_validated():
    """A range whose maximum is below its minimum, or without a maximum, is refused with a message."""
    with pytest.raises(BoundsError, match="below the minimum"):
        Bounded(90, "range", 80)
    with pytest.raises(BoundsError, match="no value_max"):
        Bounded.of({"value": 80, "bound": "range", "value_max": None, "source_id": "x"})


def test_lower_bounds_round_down_upper_bounds_up():
    """≥ 69 257.8 is shown ≥ 69 257 (not 69 258); ≤ 0.041 with one decimal is ≤ 0.1; a range
    80.04–89.96 with no decimals is 80–90; an exact 69 257.8 rounds half-up to 69 258."""
    assert format_bounded(Bounded(69257.8, "at_least")) == "≥ 69,257"
    assert format_bounded(Bounded(0.041, "at_most"), decimals=1) == "≤ 0.1"
    assert format_bounded(Bounded(80.04, "range", 89.96), decimals=0) == "80–90"
    assert format_bounded(Bounded(69257.8)) == "69,258"
    assert format_bounded(Bounded(2e9, "at_least"), unit="vnd") == "≥ 2,000,000,000 đ"


def test_approx_and_unbounded_are_distinct():
    """``khoảng`` reads ≈; what the arithmetic cannot bound reads ~, never ≈."""
    assert format_bounded(Bounded(347222.2, "approx"), "en", "vnd") == "≈ 347,222 đ"
    assert format_bounded(Bounded(347222.2, "unbounded"), "en", "vnd") == "~ 347,222 đ"


def test_census_base_carries_error_and_year():
    """District 12 254 households ±2 %: [12 008.92, 12 499.08] in 2019; after 2019 at least
    12 008.92 (so a share on it is an upper estimate); before 2019 at most 12 499.08 (a lower
    estimate). A province's census count has no stated error: exact in 2019."""
    assert census_base(12254, "district", 2019) == Bounded(12254 * 0.98, "range", 12254 * 1.02)
    after = census_base(12254, "district", 2022)
    assert (after.bound, after.value) == ("at_least", pytest.approx(12008.92))
    before = census_base(12254, "district", 2017)
    assert (before.bound, before.value) == ("at_most", pytest.approx(12499.08))
    assert census_base(82835, "province", 2019) == Bounded(82835)
    share_after = (Bounded(10000) / after).scale(100)
    share_before = (Bounded(10000) / before).scale(100)
    assert estimate_direction(share_after) == "upper estimate" and share_after.value == pytest.approx(83.27, abs=0.01)
    assert estimate_direction(share_before) == "lower estimate" and share_before.value == pytest.approx(80.01, abs=0.01)


def test_sum_of_parts():
    """[30e6, ∞) + [124e6, ∞) = [154e6, ∞); anything + ≈ is ≈."""
    s = Bounded(30e6, "at_least") + Bounded(124e6, "at_least")
    assert (s.value, s.bound) == (154e6, "at_least")
    assert (Bounded(1) + Bounded(2, "approx")).bound == "approx"


def test_formatting_in_both_languages():
    """The language's separators; NaN is a dash."""
    assert format_bounded(Bounded(72000, "at_least"), "en") == "≥ 72,000"
    assert format_bounded(Bounded(72000, "at_least"), "vi") == "≥ 72.000"
    assert format_bounded(Bounded(80, "range", 90), "vi", "percent") == "80–90%"
    assert format_bounded(Bounded(99.81), "vi", "percent") == "99,81%"
    assert format_bounded(Bounded(math.nan)) == "–"
