import math

import pytest

from analysis.stats.bounds import Bounded, format_bounded


@pytest.mark.parametrize("a,b,value,bound", [
    (Bounded(768e6, "at_least"), Bounded(11089), 69258.27, "at_least"),   # Bắc Kạn 2022
    (Bounded(25e9, "at_least"), Bounded(72000, "at_least"), 347222.2, "approx"),  # Quế Võ to June 2023
    (Bounded(12), Bounded(300, "at_least"), 0.04, "at_most"),
    (Bounded(30, "at_most"), Bounded(10), 3, "at_most"),
    (Bounded(30, "at_least"), Bounded(10, "at_most"), 3, "at_least"),
    (Bounded(100), Bounded(50), 2, "exact"),
    (Bounded(80, "range", 90), Bounded(10), 8, "range"),
    (Bounded(80, "approx"), Bounded(10), 8, "approx"),
])
def test_division_keeps_bounds_honest(a, b, value, bound):
    r = a / b
    assert r.bound == bound
    assert r.value == pytest.approx(value, rel=1e-4)


def test_sum_of_parts():
    s = Bounded(30e6, "at_least") + Bounded(124e6, "at_least")
    assert (s.value, s.bound) == (154e6, "at_least")
    assert (Bounded(1) + Bounded(2, "approx")).bound == "approx"


def test_formatting_in_both_languages():
    assert format_bounded(Bounded(72000, "at_least"), "en") == "≥ 72,000"
    assert format_bounded(Bounded(72000, "at_least"), "vi") == "≥ 72.000"
    assert format_bounded(Bounded(347222.2, "approx"), "en", "vnd") == "≈ 347,222 đ"
    assert format_bounded(Bounded(80, "range", 90), "vi", "percent") == "80–90%"
    assert format_bounded(Bounded(99.81), "vi", "percent") == "99,81%"
    assert format_bounded(Bounded(math.nan)) == "–"
