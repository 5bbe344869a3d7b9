"""Headline series, changes, annualised rates and the log-linear fit."""

import math

import pandas as pd
import pytest

from analysis.stats.bounds import Bounded
from analysis.stats.trends import (
    areas_named,
    changes,
    comparable_groups,
    describe,
    entities_with_comparable_points,
    fit_trend,
    headline_series,
    subgroup_table,
)

TB = ("Thái Bình", "province", "Thái Bình")


def _only_group(s):
    ((key, g),) = list(comparable_groups(s))
    return key, g


def test_log_linear_fit_golden(stats_figures):
    """Thái Bình members 400 000, 418 000, 441 000, 460 000, 486 000 at 2019-12-31 … 2023-12-31;
    t = 0, 366, 731, 1096, 1461 days / 365.25. By hand, slope = Σ(t−t̄)(y−ȳ)/Σ(t−t̄)² on y = ln
    value = 0.048529; statsmodels OLS gives the same slope, 95 % CI [0.044920, 0.052138] and a
    t-test p = 2.81e-05. Annual growth e^0.048529 − 1 = +4.973 % (CI +4.594 % to +5.352 %).
    Tolerance 1e-4 on the slope, 1e-3 percentage points on growth."""
    key, g = _only_group(headline_series(stats_figures, TB, "members"))
    assert key == ("actual", "total", "stock")
    fit = fit_trend(g)
    assert fit.fitted and fit.n == 5
    assert fit.slope == pytest.approx(0.048529, abs=1e-4)
    assert fit.annual_growth_pct == pytest.approx(4.9726, abs=1e-3)
    assert fit.ci_low_pct == pytest.approx(4.5945, abs=1e-3) and fit.ci_high_pct == pytest.approx(5.3522, abs=1e-3)
    assert fit.slope_p_value == pytest.approx(2.8085e-05, rel=1e-3)
    assert "Log-linear fit on 5 points" in fit.message and "differs from zero" in fit.message


def test_two_points_give_changes_and_an_annualised_rate(stats_figures):
    """Nam Định: 512 345 (2019-12-31) → 560 000 (2023-12-31), 1461 days = 4.0 years (the 2021
    repeat is not a point): change 47 655; (560 000 / 512 345)^(1/4) − 1 = +2.2484 % a year."""
    _, g = _only_group(headline_series(stats_figures, ("Nam Định", "province", "Nam Định"), "members"))
    assert list(g["value"]) == [512345, 560000]
    ch = changes(g)
    assert len(ch) == 1 and ch.iloc[0]["change"] == Bounded(47655) and ch.iloc[0]["years"] == 4.0
    assert ch.iloc[0]["annualised_growth"].value == pytest.approx(2.24837, abs=1e-4)
    assert not fit_trend(g).fitted and "too few to fit" in fit_trend(g).message
    assert "annualised" in describe(g)


def test_no_growth_rate_under_a_year(stats_figures):
    """Hà Nội members 1 200 000 (2023-06-30) and 1 210 000 (2023-10-09): 101 days → a change of
    10 000, no annualised rate."""
    _, g = _only_group(headline_series(stats_figures, ("Hà Nội", "province", "Hà Nội"), "members"))
    ch = changes(g).iloc[0]
    assert ch["change"] == Bounded(10000) and ch["annualised_growth"] is None
    assert math.isnan(ch["annualised_growth_pct"]) and ch["note"].startswith("101 days apart")


def test_a_part_followed_by_a_whole_is_not_growth(stats_figures):
    """Hà Nam recipients: 500 pupils (2021, a part) then 815 (2022, the whole) would read as +63 %;
    the headline has no 2021 point (the part is in the subgroup table), 815 (2022) and 680 (2023,
    summed). 815 → 680 over 365 days (0.99932 years of 365.25 days): change −135, growth
    (680 / 815)^(365.25/365) − 1 = −16.575 %."""
    s = headline_series(stats_figures, ("Hà Nam", "province", "Hà Nam"), "award_recipients")
    assert list(zip(s["period_end"], s["value"], s["status"], strict=True)) == [
        ("2022-12-31", 815, "whole"), ("2023-12-31", 680, "summed")]
    ch = changes(s).iloc[0]
    assert ch["change"] == Bounded(-135) and ch["annualised_growth"].value == pytest.approx(-16.5748, abs=1e-3)
    parts = subgroup_table(stats_figures, ("Hà Nam", "province", "Hà Nam"), "award_recipients")
    assert set(parts.loc[parts["period_end"] == "2021-12-31", "role"]) == {"part"}


def test_multi_year_total_is_not_a_yearly_flow(stats_figures):
    """Hà Nội: 1,5 triệu lượt over 2004–2023 (a 240-month flow of occurrences) and 80 000 in 2023
    (a 12-month flow) are two series, never one line."""
    s = headline_series(stats_figures, ("Hà Nội", "province", "Hà Nội"), "award_recipients")
    keys = [k for k, _ in comparable_groups(s)]
    assert keys == [("actual", "occurrences", "flow-240m"), ("actual", "total", "flow-12m")]


def test_conflicting_points_are_shown_per_source_not_used(stats_figures):
    """Hưng Yên 2023-12-31: 320 000 and 325 000 → two points marked conflict, left out of changes."""
    _, g = _only_group(headline_series(stats_figures, ("Hưng Yên", "province", "Hưng Yên"), "members"))
    conflict = g[g["status"] == "conflict"]
    assert sorted(conflict["value"]) == [320000, 325000]
    assert "2023-12-31" not in set(changes(g)["to"])


def test_bounds_carried_into_changes(multi_figures):
    """Hưng Yên (multi): 300 000 (2021) → ≥ 330 000 (2023), 730 days: change ≥ 30 000; growth
    ≥ (1.1)^(365.25/730) − 1 = ≥ 4.8877 %."""
    _, g = _only_group(headline_series(multi_figures, "Hưng Yên", "members"))
    ch = changes(g).iloc[0]
    assert ch["change"] == Bounded(30000, "at_least")
    assert ch["annualised_growth"].bound == "at_least"
    assert ch["annualised_growth"].value == pytest.approx(100 * (1.1 ** (365.25 / 730) - 1))
    assert bool(ch["approximate"])


def test_one_point_is_a_value_with_its_date(stats_figures):
    """Ninh Bình members: one point → '250,000 (2022-12-31, st-ninh-binh-2022)'."""
    _, g = _only_group(headline_series(stats_figures, ("Ninh Bình", "province", "Ninh Bình"), "members"))
    assert describe(g) == "One point: 250,000 (2022-12-31, st-ninh-binh-2022)."


def test_same_named_areas_are_separate(stats_figures):
    """'Bắc Kạn' names a province and a city: two areas, and a bare name is refused for a series."""
    assert areas_named(stats_figures, "Bắc Kạn") == [("Bắc Kạn", "district", "Bắc Kạn"),
                                                     ("Bắc Kạn", "province", "Bắc Kạn")]
    with pytest.raises(ValueError, match="names 2 areas"):
        headline_series(stats_figures, "Bắc Kạn", "members")


def test_fit_refuses_mixed_kinds_and_same_year_points():
    """Points of two shapes are never fitted together; four stocks inside two years are 2 annual points."""
    when = pd.to_datetime(["2020-03-31", "2020-12-31", "2021-06-30", "2021-12-31"])
    g = pd.DataFrame({"when": when, "value": [1.0, 2, 3, 4], "bound": "exact", "status": "whole",
                      "shape": ["stock", "stock", "flow-12m", "stock"]})
    assert "different kinds" in fit_trend(g).message
    assert fit_trend(g.assign(shape="stock")).n == 2


def test_entities_with_comparable_points(multi_figures):
    """Thái Bình has ≥ 2 comparable dated points."""
    assert "Thái Bình" in entities_with_comparable_points(multi_figures)
