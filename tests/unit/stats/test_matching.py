"""Matching on (entity, level, province), the as-of tie rule, undated rows."""

import pytest

from analysis.stats.bounds import Bounded
from analysis.stats.matching import format_sources, headline, nearest_stock, period_label


def _members(df):
    return df[(df["metric"] == "members") & (df["stage"] == "actual")]


def test_province_and_same_named_city_are_two_areas(stats_figures):
    """Bắc Kạn province has 20 000 members, Bắc Kạn city 5 000 (both 2022-12-31): each fund
    is divided by its own area's members."""
    m = _members(stats_figures)
    prov = nearest_stock(m, ("Bắc Kạn", "province", "Bắc Kạn"), "2022-12-31", 120)
    city = nearest_stock(m, ("Bắc Kạn", "district", "Bắc Kạn"), "2022-12-31", 120)
    assert prov["value_bounded"] == Bounded(20000) and city["value_bounded"] == Bounded(5000)
    with pytest.raises(TypeError, match="entity, level, province"):
        nearest_stock(m, "Bắc Kạn", "2022-12-31", 120)


def test_tie_goes_to_the_latest_as_of_not_after_the_end(stats_figures):
    """Hưng Yên fund to 2023-06-30; members 300 000 as of 2023-05-31 (30 days before) and
    310 000 as of 2023-07-30 (30 days after; first in the file). The tie goes to 2023-05-31;
    the founding count of 2003 is outside the window."""
    s = nearest_stock(_members(stats_figures), ("Hưng Yên", "province", "Hưng Yên"), "2023-06-30", 120)
    assert s["period_end"] == "2023-05-31" and s["value_bounded"] == Bounded(300000) and s["gap_days"] == 30
    assert nearest_stock(_members(stats_figures), ("Hưng Yên", "province", "Hưng Yên"), "2004-06-30", 120) is None


def test_undated_stock_never_matches(stats_figures):
    """Vĩnh Phúc's undated 999 and 888 members match no fund period; only the dated ≥ 280 000 does."""
    m = _members(stats_figures)
    undated_only = m[m["source_id"] == "st-vinh-phuc-2022"]
    assert nearest_stock(undated_only, ("Vĩnh Phúc", "province", "Vĩnh Phúc"), "2022-12-31", 10_000) is None
    s = nearest_stock(m, ("Vĩnh Phúc", "province", "Vĩnh Phúc"), "2022-12-31", 0)
    assert s["value_bounded"] == Bounded(280000, "at_least")


def test_conflicting_stocks_match_nothing_at_their_date(stats_figures):
    """Hưng Yên 2023-12-31 has 320 000 and 325 000: a fund ending that day is matched to the
    nearest resolved stock instead (2023-07-30, 154 days) or to nothing within 120 days."""
    m = _members(stats_figures)
    assert nearest_stock(m, ("Hưng Yên", "province", "Hưng Yên"), "2023-12-31", 120) is None
    assert nearest_stock(m, ("Hưng Yên", "province", "Hưng Yên"), "2023-12-31", 200)["period_end"] == "2023-07-30"


def test_headline_returns_source_lists(stats_figures):
    """One quantity → (value, [source ids], rule); parts that may not be summed → None."""
    nb = stats_figures[(stats_figures["entity"] == "Ninh Bình") & (stats_figures["metric"] == "fund_raised")
                       & (stats_figures["period_start"] != "")]
    value, sources, rule = headline(nb)
    assert value == Bounded(10e9) and sources == ["st-ninh-binh-2022"] and rule.startswith("stated whole")
    part = stats_figures[stats_figures["source_id"] == "st-ha-nam-2021"]
    assert headline(part) is None


def test_labels_and_display_of_sources():
    """Period labels and the one place source lists become text."""
    assert period_label({"period_start": "2022-01-01", "period_end": "2022-12-31"}) == "2022-01-01 → 2022-12-31"
    assert period_label({"period_start": "", "period_end": "2023-06-30"}) == "as of 2023-06-30"
    assert period_label({"period_start": "", "period_end": ""}) == "undated"
    assert format_sources(["b", "a", "b"]) == "a; b"
