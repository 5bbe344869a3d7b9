"""Formatting in both languages on hand-written values, bounds and missing values."""

import math

import pandas as pd
import pytest

from analysis.reports import fmt
from analysis.stats.bounds import Bounded


@pytest.mark.parametrize("x,vi,en", [
    (1234567, "1.234.567", "1,234,567"),
    (11089.0, "11.089", "11,089"),
    (99.81, "99,81", "99.81"),
    (0.5, "0,5", "0.5"),
    (8660, "8.660", "8,660"),
    (12345.0, "12.345", "12,345"),
    (-2500, "-2.500", "-2,500"),
])
def test_numbers(x, vi, en):
    assert fmt.number(x, "vi") == vi
    assert fmt.number(x, "en") == en


@pytest.mark.parametrize("x,vi,en", [
    (25e9, "25 tỷ đồng", "25 bn VND"),
    (1.5e9, "1,5 tỷ đồng", "1.5 bn VND"),
    (768e6, "768 triệu đồng", "768 million VND"),
    (69258.4, "69.258 đồng", "69,258 VND"),
])
def test_money(x, vi, en):
    assert fmt.money(x, "vi") == vi
    assert fmt.money(x, "en") == en


def test_percent_and_dates():
    assert fmt.percent(88.4, "vi") == "88,4%" and fmt.percent(88.4, "en") == "88.4%"
    assert fmt.day("2023-06-30", "vi") == "30/06/2023" and fmt.day("2023-06-30", "en") == "2023-06-30"


def test_periods_in_words():
    assert fmt.period("2023-01-01", "2023-12-31", "vi") == "năm 2023"
    assert fmt.period("2023-01-01", "2023-12-31", "en") == "2023"
    assert fmt.period("2023-01-01", "2023-06-30", "vi") == "6 tháng đầu năm 2023"
    assert fmt.period("2023-01-01", "2023-06-30", "en") == "H1 2023"
    assert fmt.period("", "2017-06-30", "vi") == "tính đến 30/06/2017"
    assert fmt.period("", "2017-06-30", "en") == "as of 2017-06-30"
    assert fmt.period("2019-01-01", "2024-12-31", "vi") == "01/01/2019 – 31/12/2024"
    assert fmt.period("", "", "en") == "undated"


def test_bounds_are_prefixes_rounded_the_safe_way():
    # a lower bound rounds down, an upper bound up: the text never claims more than the figure
    assert fmt.value(69257.8, "count", "vi", "at_least") == "≥ 69.257"
    assert fmt.value(69257.2, "count", "vi", "at_most") == "≤ 69.258"
    assert fmt.value(25e9, "vnd", "vi", "at_least") == "≥ 25 tỷ đồng"
    assert fmt.value(25e9, "vnd", "en", "approx") == "≈ 25 bn VND"
    assert fmt.value(80, "percent", "vi", "range", 90) == "80–90%"
    assert fmt.value(27.97135, "count", "vi", "range", 28.64536) == "27,97–28,65"
    assert fmt.bounded(Bounded(72000, "at_least"), "count", "en") == "≥ 72,000"
    assert fmt.bounded(Bounded(347222.2, "approx"), "vnd", "vi") == "≈ 347.222 đồng"


@pytest.mark.parametrize("missing", [None, float("nan"), math.nan, pd.NA, pd.NaT, ""])
def test_missing_is_a_dash_never_nan(missing):
    for lang in ("vi", "en"):
        assert fmt.number(missing, lang) == fmt.MISSING == "—"
        assert fmt.value(missing, "vnd", lang) == "—"
        assert fmt.day(missing, lang) == "—"
    assert fmt.bounded(None) == "—"


def test_no_scientific_notation():
    for x in (8.66e3, 1.2345e4, 1e8, 3.2e15, 1e-7):
        for lang in ("vi", "en"):
            text = fmt.number(x, lang)
            assert "e" not in text.lower(), text


def test_unknown_language_refused():
    with pytest.raises(ValueError, match="choose one of"):
        fmt.number(1, "fr")
