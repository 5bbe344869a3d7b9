"""The analysis functions on hand-written tables, against hand-computed values."""

from pathlib import Path

import pandas as pd
import pytest

from analysis.reports.labels import format_number, label
from analysis.reports.params import (
    ParameterError,
    check_cluster,
    check_entity,
    check_metrics,
    check_province,
)
from analysis.stats.attainment import (
    conversion,
    distance_to_targets,
    families_per_household,
    rates_by_province,
)
from analysis.stats.intensity import format_table, fund_intensity
from analysis.stats.load import cluster_provinces, load_figures
from analysis.stats.quality import conflicts, coverage, sources_of
from analysis.stats.trends import (
    changes,
    comparable_groups,
    entities_with_comparable_points,
    fit_trend,
    series,
)

FIXTURES = Path(__file__).resolve().parents[3] / "tests" / "fixtures"
SEEDS_GOLD = Path(__file__).resolve().parents[3] / "tests" / "golden" / "seeds_gold.csv"


@pytest.fixture(scope="module")
def multi():
    return load_figures(FIXTURES / "figures_multi.csv", articles=FIXTURES / "articles_multi.csv")


@pytest.fixture(scope="module")
def seeds(tmp_path_factory):
    """The hand-read gold table of the seeds, as a figures table (columns of the contract)."""
    gold = pd.read_csv(SEEDS_GOLD, dtype=str, keep_default_na=False).drop(columns=["optional"])
    path = tmp_path_factory.mktemp("seeds") / "figures.csv"
    gold.to_csv(path, index=False)
    return load_figures(path)


def test_seed_fund_per_member(seeds):
    t = fund_intensity(seeds).set_index("entity")
    que_vo = t.loc["Quế Võ", "fund_per_member_vnd"]
    assert que_vo.bound == "approx" and que_vo.value == pytest.approx(347222, abs=1)
    bac_kan = t[t["period"] == "2022-01-01 → 2022-12-31"].loc["Bắc Kạn", "fund_per_member_vnd"]
    assert bac_kan.bound == "at_least" and round(bac_kan.value) == 69258
    assert "≥ 69,258 đ" in format_table(t.reset_index()).to_string()


def test_seed_awards_share_and_per_recipient(seeds):
    t = fund_intensity(seeds)
    bk = t[(t["entity"] == "Bắc Kạn") & (t["period"] == "2022-01-01 → 2022-12-31")].iloc[0]
    assert bk["awards_share_of_fund_pct"].value == pytest.approx(100 * 481 / 768, rel=1e-6)
    assert bk["awards_share_of_fund_pct"].bound == "approx"  # ≥ / ≥


def test_members_matched_within_window_only(multi):
    t = fund_intensity(multi, ["Thái Bình"], window_days=0)
    assert (t["gap_days"] == 0).all() and len(t) == 5
    first = t.iloc[0]
    assert first["fund_per_member_vnd"].value == pytest.approx(20e9 / 400000)
    assert first["fund_per_member_vnd"].bound == "at_least"
    assert first["vnd_per_recipient"].value == pytest.approx(12e9 / 4000)
    none = fund_intensity(multi, ["Thái Bình"], window_days=0)
    assert none["members"].notna().all()


def test_every_cluster_province_is_listed(multi):
    table = rates_by_province(multi, "Cụm III", "families", 2022)
    assert set(table["province"]) == set(cluster_provinces("III")) and len(cluster_provinces("III")) == 8
    assert (table.set_index("province").loc["Hà Nam", "status"]) == "no data"
    stages = table.dropna(subset=["value"]).set_index("province")["stage"].to_dict()
    assert stages == {"Vĩnh Phúc": "registered", "Thái Bình": "achieved"}  # Bắc Ninh: models, not families
    models = rates_by_province(multi, "Cụm III", "models", 2022)
    assert models.set_index("province").loc["Bắc Ninh", "value"] == 92


def test_conversion_and_targets(multi):
    c = conversion(multi)
    assert len(c) == 1
    assert c.iloc[0]["conversion_pct"].value == pytest.approx(90) and c.iloc[0]["conversion_pct"].bound == "at_least"
    d = distance_to_targets(multi)
    assert d.iloc[0]["status"] == "no outcome reported yet"


def test_families_per_household(multi):
    f = families_per_household(multi)
    first = f[f["period_end"] == "2019-12-31"].iloc[0]
    assert first["families_per_household_pct"].value == pytest.approx(100 * 400000 / 606947)


def test_trend_fit_and_too_few_points(multi):
    ((_, g),) = list(comparable_groups(series(multi, "Thái Bình", "members")))
    fit = fit_trend(g)
    assert fit.fitted and fit.n == 5
    assert fit.annual_growth_pct == pytest.approx(5, abs=0.1)
    assert fit.ci_low_pct <= fit.annual_growth_pct <= fit.ci_high_pct
    ((_, hy),) = list(comparable_groups(series(multi, "Hưng Yên", "members")))
    few = fit_trend(hy)
    assert not few.fitted and "too few" in few.message
    ch = changes(hy)
    assert ch.iloc[0]["annualised_growth_pct"] == pytest.approx(100 * ((330000 / 300000) ** (1 / (730 / 365.25)) - 1))
    assert bool(ch.iloc[0]["approximate"])


def test_stages_never_share_a_series(multi):
    keys = [k for k, _ in comparable_groups(series(multi, "Gia Bình", "learning_families"))]
    assert {k[0] for k in keys} == {"registered", "achieved"} and len(keys) == 2


def test_conflicts_keep_both_sources(multi):
    c = conflicts(multi)
    assert set(c["source_id"]) == {"fx-nam-dinh-a", "fx-nam-dinh-b"}
    assert set(c["value"]) == {510000, 498000}


def test_coverage_and_sources(multi):
    cov = coverage(multi)
    assert cov.loc[("Thái Bình", "members"), "2021"] == 1
    assert cov.loc[("Hưng Yên", "members"), "2022"] == 0
    src = sources_of(multi[multi["entity"] == "Hưng Yên"])
    assert list(src["source_id"]) == ["fx-hung-yen-2021", "fx-hung-yen-2023"]
    assert "Thái Bình" in entities_with_comparable_points(multi)


def test_labels_and_numbers():
    assert label("members", "vi") == "hội viên"
    assert format_number(1245300, "vi") == "1.245.300" and format_number(99.81, "vi") == "99,81"
    with pytest.raises(ValueError, match="en, vi"):
        label("members", "fr")


def test_parameters_list_valid_choices(multi):
    with pytest.raises(ParameterError, match="Valid choices: .*Thái Bình"):
        check_entity(multi, "Atlantis")
    with pytest.raises(ParameterError, match="fund_raised"):
        check_metrics(["volunteers"])
    with pytest.raises(ParameterError, match="Cụm III"):
        check_cluster("Cụm XX")
    with pytest.raises(ParameterError, match="Bắc Ninh"):
        check_province("Bac Ninh")
    assert check_cluster("3") == "Cụm III"
