"""Provinces compared: points, cluster medians, rank intervals with ties."""

import pandas as pd
import pytest

from analysis.stats.bounds import Bounded
from analysis.stats.compare import (
    FUND,
    MEMBERS,
    cluster_medians,
    province_points,
    rank_table,
    rank_year,
)
from analysis.stats.load import cluster_provinces, load_reference


@pytest.fixture(scope="module")
def points(stats_figures):
    provinces, _ = load_reference()
    pops = dict(zip(provinces["province"], provinces["population_2019"].astype(float), strict=True))
    pops["Việt Nam"] = float(provinces["population_2019"].sum())
    return province_points(stats_figures, cluster_provinces("III"), pops)


def test_members_per_100_inhabitants(points):
    """2022, members / 2019 population × 100: Ninh Bình 250 000 / 982 487 = 25.4456; Thái Bình
    460 000 / 1 860 447 = 24.7252; Vĩnh Phúc ≥ 280 000 / 1 151 154 = ≥ 24.3234; Hà Nam 200 000 /
    852 800 = 23.4522. National ≥ 22 000 000 / 96 208 984 = ≥ 22.8669 (a reference, not ranked)."""
    p = points[(points["indicator"] == MEMBERS) & (points["year"] == 2022)].set_index("area")["bounded"]
    assert p["Ninh Bình"].value == pytest.approx(25.4456, abs=1e-4)
    assert p["Thái Bình"].value == pytest.approx(24.7252, abs=1e-4)
    assert p["Vĩnh Phúc"].bound == "at_least" and p["Vĩnh Phúc"].value == pytest.approx(24.3234, abs=1e-4)
    assert p["Hà Nam"].value == pytest.approx(23.4522, abs=1e-4)
    assert p["Việt Nam"].value == pytest.approx(22.8669, abs=1e-4)


def test_rank_intervals_and_ties(points):
    """Ranks 2022 (highest first). Vĩnh Phúc [24.32, ∞): surely above it none → best 1; possibly
    above: Ninh Bình, Thái Bình → worst 3: '1–3'. Ninh Bình 25.45: surely above none, possibly Vĩnh
    Phúc → '1–2'. Thái Bình 24.73: surely above Ninh Bình, possibly also Vĩnh Phúc → '2–3'.
    Hà Nam 23.45: all three surely above → '4'. Vĩnh Phúc is tied with Ninh Bình and Thái Bình.
    The default year is the one most provinces report, the latest on a tie (2022 and 2023: 4 each)."""
    assert rank_year(points, MEMBERS) == 2023  # 4 provinces in 2022 and in 2023: the latest
    r = rank_table(points, MEMBERS, 2022).set_index("area")
    assert r.loc["Vĩnh Phúc", "rank"] == "1–3" and r.loc["Ninh Bình", "rank"] == "1–2"
    assert r.loc["Thái Bình", "rank"] == "2–3" and r.loc["Hà Nam", "rank"] == "4"
    assert r.loc["Vĩnh Phúc", "tied_with"] == ["Ninh Bình", "Thái Bình"]
    assert "Việt Nam" not in r.index


def test_equal_exact_values_are_a_tie():
    """Two provinces at exactly 40 share rank 1 ('1='), the third is 3."""
    pts = pd.DataFrame({"area": ["A", "B", "C"], "level": "province", "indicator": "x", "year": 2022,
                        "period_end": "2022-12-31", "bounded": [Bounded(40), Bounded(40), Bounded(10)],
                        "value": [40, 40, 10], "lo": [40, 40, 10], "hi": [40, 40, 10], "status": "whole",
                        "sources": [["a"]] * 3})
    r = rank_table(pts, "x", 2022).set_index("area")
    assert list(r["rank"]) == ["1=", "1=", "3"] and r.loc["A", "tied_with"] == ["B"]


def test_cluster_median_bounds(points):
    """Fund per member 2022: Ninh Bình 40 000, Hà Nam 5 000, Thái Bình ≥ 52 173.9 (≥ 24 tỷ / 460 000),
    Vĩnh Phúc ≤ 10 714.3 (3 tỷ / ≥ 280 000 → [0, 10 714.3]). Point median of 4 = (10 714.3 + 40 000)/2
    = 25 357.1; lower ends 0, 5 000, 40 000, 52 173.9 → 22 500; upper ends 5 000, 10 714.3, 40 000, ∞
    → 25 357.1."""
    m = cluster_medians(points).set_index(["indicator", "year"]).loc[(FUND, 2022)]
    assert m["n"] == 4
    assert m["median"] == pytest.approx((3e9 / 280000 + 40000) / 2)
    assert m["median_lo"] == pytest.approx(22500) and m["median_hi"] == pytest.approx((3e9 / 280000 + 40000) / 2)


def test_rates_split_by_base(points):
    """Thái Bình's 85 % (all villages) and 95 % (registered villages) are two indicators."""
    inds = set(points.loc[points["indicator"].str.startswith("learning_communities_rate"), "indicator"])
    assert inds == {"learning_communities_rate · achieved · share of all villages",
                    "learning_communities_rate · achieved · share of registered villages"}


def test_conflicting_statements_drawn_not_ranked(points):
    """Hưng Yên 2023-12-31: 320 000 and 325 000 members (one article) → two conflict points,
    320 000 / 1 252 731 × 100 = 25.5442 and 325 000 / 1 252 731 × 100 = 25.9433; the 2023 rank
    uses the resolved 2023-07-30 count (310 000 → 24.7459) instead."""
    hy = points[(points["area"] == "Hưng Yên") & (points["indicator"] == MEMBERS) & (points["year"] == 2023)]
    conflict = hy[hy["status"] == "conflict"]
    assert sorted(round(v, 4) for v in conflict["value"]) == [25.5442, 25.9433]
    r = rank_table(points, MEMBERS, 2023).set_index("area")
    assert r.loc["Hưng Yên", "period_end"] == "2023-07-30"
