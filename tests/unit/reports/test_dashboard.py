"""The cluster dashboard's table on the multi-province fixture, against numbers computed by hand.

Fixture (tests/fixtures/figures_multi.csv), cluster III, census 2019 populations from
data/reference/provinces.csv: Thái Bình 1 860 447, Hưng Yên 1 252 731, Nam Định 1 780 393.

- Thái Bình: members 486 203 (exact, 31/12/2023, the latest of five years);
  per 100 inhabitants 486 203 / 1 860 447 × 100 = 26.1336…;
  fund 2023 ≥ 29 282 000 000 over the year, members matched at 31/12/2023 (gap 0 days):
  ≥ 29 282 000 000 / 486 203 = ≥ 60 225.87… đồng per member;
  learning-family rate achieved 85 % (H1 2022).
- Hưng Yên: members ≥ 330 000 (31/12/2023, later than the exact 300 000 of 2021);
  per 100: ≥ 330 000 / 1 252 731 × 100 = ≥ 26.3424…; no fund → no data.
- Nam Định: two articles state 510 000 and 498 000 for 31/12/2022 → the range 498 000–510 000,
  marked conflict, both linked; per 100: 27.9713…–28.6453….
- Vĩnh Phúc states only a *registered* family rate → achieved rate: no data.
- Bắc Ninh: only its district Gia Bình has members (25 000) → the province reads no data.
- Hà Nội, Hà Nam, Ninh Bình: nothing at all.
"""

from pathlib import Path

import pytest

from analysis.reports.dashboard import INDICATORS, cluster_dashboard, coverage_grid, trend_points
from analysis.stats.load import cluster_provinces, load_figures, load_reference

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "figures_multi.csv"


@pytest.fixture(scope="module")
def df():
    return load_figures(FIXTURE, articles=FIXTURE.parent / "articles_multi.csv")


@pytest.fixture(scope="module")
def dash(df):
    population = load_reference()[0].set_index("province")["population_2019"].to_dict()
    return cluster_dashboard(df, cluster_provinces("Cụm III"), population)


def cell(dash, province, indicator):
    row = dash[(dash["province"] == province) & (dash["indicator"] == indicator)]
    assert len(row) == 1
    return row.iloc[0]


def test_one_row_per_province_and_indicator(dash):
    assert list(dash["province"].unique()) == ["Hà Nội", "Vĩnh Phúc", "Bắc Ninh", "Hưng Yên", "Thái Bình",
                                               "Hà Nam", "Nam Định", "Ninh Bình"]
    assert len(dash) == 8 * len(INDICATORS)


def test_thai_binh(dash):
    m = cell(dash, "Thái Bình", "members")
    assert (m["value"].value, m["value"].bound, m["period_end"]) == (486203, "exact", "2023-12-31")
    assert [k[0] for k in m["keys"]] == ["fx-thai-binh-2023"]
    per100 = cell(dash, "Thái Bình", "members_per_100")["value"]
    assert per100.bound == "exact" and per100.value == pytest.approx(26.1336, abs=1e-4)
    fund = cell(dash, "Thái Bình", "fund_per_member_vnd")
    assert fund["value"].bound == "at_least" and fund["value"].value == pytest.approx(60225.87, abs=0.01)
    assert (fund["period_start"], fund["period_end"]) == ("2023-01-01", "2023-12-31")
    assert sorted(k[3] for k in fund["keys"]) == ["fund_raised", "members"]
    rate = cell(dash, "Thái Bình", "learning_families_rate")
    assert (rate["value"].value, rate["period_end"]) == (85, "2022-06-30")


def test_hung_yen_lower_bound_carried(dash):
    m = cell(dash, "Hưng Yên", "members")
    assert (m["value"].value, m["value"].bound) == (330000, "at_least")
    per100 = cell(dash, "Hưng Yên", "members_per_100")["value"]
    assert per100.bound == "at_least" and per100.value == pytest.approx(26.3424, abs=1e-4)
    assert cell(dash, "Hưng Yên", "fund_per_member_vnd")["note"] == "no data"


def test_nam_dinh_conflict_is_a_range_with_both_sources(dash):
    m = cell(dash, "Nam Định", "members")
    assert (m["value"].value, m["value"].value_max, m["value"].bound) == (498000, 510000, "range")
    assert m["note"] == "conflict" and sorted(k[0] for k in m["keys"]) == ["fx-nam-dinh-a", "fx-nam-dinh-b"]
    per100 = cell(dash, "Nam Định", "members_per_100")["value"]
    assert per100.value == pytest.approx(27.9713, abs=1e-4) and per100.value_max == pytest.approx(28.6453, abs=1e-4)


def test_no_data_is_stated(dash):
    assert cell(dash, "Vĩnh Phúc", "learning_families_rate")["value"] is None  # registered is not achieved
    assert cell(dash, "Bắc Ninh", "members")["value"] is None  # a district does not stand in
    for prov in ("Hà Nội", "Hà Nam", "Ninh Bình"):
        rows = dash[dash["province"] == prov]
        assert rows["value"].isna().all() and set(rows["note"]) == {"no data"}


def test_coverage_grid(df):
    grid = coverage_grid(df, cluster_provinces("Cụm III"))
    assert list(grid.columns) == ["2019", "2020", "2021", "2022", "2023"]
    assert grid.loc["Thái Bình"].tolist() == [5, 5, 5, 6, 5]
    assert grid.loc["Bắc Ninh"].tolist() == [0, 0, 0, 1, 4]
    assert grid.loc["Hưng Yên"].tolist() == [0, 0, 1, 0, 1]
    assert grid.loc["Nam Định"].tolist() == [0, 0, 0, 2, 0]
    assert grid.loc["Hà Nội"].sum() == 0


def test_trend_points_one_period_kind(df):
    members = trend_points(df, cluster_provinces("Cụm III"), "members")
    assert sorted(members["panel"].unique()) == ["Hưng Yên", "Nam Định", "Thái Bình"]
    assert len(members[members["panel"] == "Nam Định"]) == 2  # a point per source, not averaged
    funds = trend_points(df, cluster_provinces("Cụm III"), "fund_raised", flow_months=12)
    assert funds["y"].tolist() == [20e9, 22e9, 24.2e9, 26.62e9, 29.282e9]
