"""Rates with their base, conversions, families per household, targets."""

import pytest

from analysis.stats.attainment import (
    conversion,
    distance_to_targets,
    families_per_household,
    rates,
    rates_by_province,
)
from analysis.stats.bounds import Bounded
from analysis.stats.load import cluster_provinces
from analysis.stats.wholes import rate_base

CLUSTER = ["Hà Nội", "Vĩnh Phúc", "Bắc Ninh", "Hưng Yên", "Thái Bình", "Hà Nam", "Nam Định", "Ninh Bình"]


def test_every_cluster_province_is_listed(multi_figures):
    """All 8 provinces of cluster III; Hà Nam 'no data'; families: Vĩnh Phúc registered, Thái Bình achieved."""
    table = rates_by_province(multi_figures, "Cụm III", "families", 2022)
    assert set(table["province"]) == set(cluster_provinces("III")) == set(CLUSTER)
    assert table.set_index("province").loc["Hà Nam", "status"] == "no data"
    stages = table.dropna(subset=["value"]).set_index("province")["stage"].to_dict()
    assert stages == {"Vĩnh Phúc": "registered", "Thái Bình": "achieved"}
    models = rates(multi_figures, CLUSTER, "models", 2022)  # the pure form: members passed in
    assert models.set_index("province").loc["Bắc Ninh", "value"] == 92


def test_rates_carry_their_base(stats_figures):
    """Thái Bình 2022 communities: '85% thôn' is a share of all villages; 'đạt 95% so với số thôn
    đăng ký' a share of registered villages — two rows, two bases, never one bar."""
    t = rates(stats_figures, CLUSTER, "communities", 2022)
    tb = t[(t["province"] == "Thái Bình") & (t["stage"] == "achieved")].set_index("base")["value"].to_dict()
    assert tb == {"all villages": 85, "registered villages": 95}
    assert rate_base({"metric": "learning_communities_rate", "subgroup_class": "communes", "quote": ""}) == "all communes"
    assert rate_base({"metric": "learning_families_rate", "subgroup_kind": "base", "quote": ""}) == "registered households"


def test_target_compared_on_the_same_base_and_year(stats_figures):
    """Target 90 % of all villages (2022) vs the outcome on the same base, 85 % → gap −5 points;
    the 95 % of registered villages is not used."""
    d = distance_to_targets(stats_figures)
    row = d[d["entity"] == "Thái Bình"].iloc[0]
    assert row["base"] == "all villages" and row["latest_outcome"] == Bounded(85) and row["gap_to_target"] == Bounded(-5)


def test_target_without_an_outcome_of_its_year(multi_figures):
    """Gia Bình's 2023 target rate has no outcome rate on the same base and year."""
    d = distance_to_targets(multi_figures)
    assert d.iloc[0]["status"] == "no outcome on the same base and year"


def test_conversion_excludes_registered_out_of_all(stats_figures):
    """Vũ Thư '45.000/52.000 hộ đăng ký' (registered out of all households) is no conversion; Kiến
    Xương 91 achieved of 74 registered = 122.97 %, flagged 'achieved exceeds registered'."""
    c = conversion(stats_figures)
    assert list(c["entity"]) == ["Kiến Xương"]
    assert c.iloc[0]["conversion_pct"].value == pytest.approx(100 * 91 / 74)
    assert c.iloc[0]["flag"] == "achieved exceeds registered"
    assert c.iloc[0]["source_ids"] == ["st-thai-binh-2023"]


def test_conversion_on_the_multi_fixture(multi_figures):
    """Gia Bình 2023: ≥ 18 000 achieved / 20 000 registered = ≥ 90 %."""
    c = conversion(multi_figures)
    assert len(c) == 1 and c.iloc[0]["conversion_pct"] == Bounded(90, "at_least")


def test_share_over_100_percent_is_flagged(stats_figures):
    """Bắc Kạn city 2022: 13 000 families / ≥ 12 254 × 0.98 households (census 2019 −2 %, the
    households grew since) = ≤ 108.25 %: an upper estimate whose point exceeds 100 % → flagged."""
    f = families_per_household(stats_figures).iloc[0]
    share = f["families_per_household_pct"]
    assert share.bound == "at_most" and share.value == pytest.approx(100 * 13000 / (12254 * 0.98))
    assert f["estimate"] == "upper estimate" and f["flag"].startswith("over 100 %")


def test_families_per_household_before_the_census(multi_figures):
    """Thái Bình 2019 (census year, province: exact): 400 000 / 606 947 = 65.90 %, exact."""
    f = families_per_household(multi_figures)
    first = f[f["period_end"] == "2019-12-31"].iloc[0]
    assert first["families_per_household_pct"].value == pytest.approx(100 * 400000 / 606947)
    assert first["estimate"] == "exact"
