"""Fund intensity per area and period, and the province rows of a cluster."""

import pytest

from analysis.stats.bounds import Bounded, format_bounded
from analysis.stats.intensity import fund_intensity, point_values, province_rows
from analysis.stats.load import cluster_provinces, province_districts


def test_seed_fund_per_member(seeds):
    """Quế Võ: ≥ 25 tỷ / ≥ 72 000 = [0, ∞): unbounded ~ 347 222; Bắc Kạn city 2022: ≥ 768 triệu /
    11 089 = ≥ 69 257.82, shown ≥ 69,257 (a lower bound is rounded down, never up to 69 258)."""
    t = fund_intensity(seeds).set_index("entity")
    que_vo = t.loc["Quế Võ", "fund_per_member_vnd"]
    assert que_vo.bound == "unbounded" and que_vo.value == pytest.approx(347222, abs=1)
    bac_kan = t[t["period"] == "2022-01-01 → 2022-12-31"].loc["Bắc Kạn", "fund_per_member_vnd"]
    assert bac_kan.bound == "at_least" and bac_kan.value == pytest.approx(69257.82, abs=0.01)
    assert format_bounded(bac_kan, "en", "vnd", 0) == "≥ 69,257 đ"


def test_seed_awards_share(seeds):
    """Bắc Kạn 2022: awards ≥ 481 triệu / fund ≥ 768 triệu guarantees nothing: ~ 62.6 %."""
    t = fund_intensity(seeds)
    bk = t[(t["entity"] == "Bắc Kạn") & (t["period"] == "2022-01-01 → 2022-12-31")].iloc[0]
    assert bk["awards_share_of_fund_pct"].value == pytest.approx(100 * 481 / 768, rel=1e-6)
    assert bk["awards_share_of_fund_pct"].bound == "unbounded"


def test_fund_divided_by_its_own_area(stats_figures):
    """Bắc Kạn province ≥ 2 tỷ / 20 000 = ≥ 100 000 đ; Bắc Kạn city 400 triệu / 5 000 = 80 000 đ.
    City per inhabitant after 2019: 400e6 / ≥ 45 036 × 0.98 → ≤ 9 063.4 (upper estimate)."""
    t = fund_intensity(stats_figures, ["Bắc Kạn"]).set_index("level")
    assert t.loc["province", "fund_per_member_vnd"] == Bounded(100000, "at_least")
    assert t.loc["district", "fund_per_member_vnd"] == Bounded(80000)
    per_inh = t.loc["district", "fund_per_inhabitant_vnd"]
    assert per_inh.bound == "at_most" and per_inh.value == pytest.approx(400e6 / (45036 * 0.98))


def test_awards_above_the_fund_are_flagged(stats_figures):
    """Hà Nam 2022: awards 1,2 tỷ / fund 1 tỷ = 120 % → flagged; 1,2 tỷ / 815 recipients = 1 472 392.6 đ."""
    r = fund_intensity(stats_figures, ["Hà Nam"]).iloc[0]
    assert r["awards_share_of_fund_pct"].bound == "exact"
    assert r["awards_share_of_fund_pct"].value == pytest.approx(120)
    assert r["flags"] == ["awards above the fund"]
    assert r["vnd_per_recipient"].value == pytest.approx(1.2e9 / 815)


def test_fund_matched_by_the_tie_rule(stats_figures):
    """Hưng Yên H1 2023: 6 tỷ / 300 000 (as of 2023-05-31, the tie's earlier side) = 20 000 đ."""
    r = fund_intensity(stats_figures, ["Hưng Yên"]).iloc[0]
    assert r["members_as_of"] == "2023-05-31" and r["fund_per_member_vnd"] == Bounded(20000)


def test_balance_is_its_own_row(stats_figures):
    """Ninh Bình 2022: the 10 tỷ flow and the 3 tỷ balance are two rows (flow, stock)."""
    t = fund_intensity(stats_figures, ["Ninh Bình"])
    assert sorted(zip(t["period_kind"], point_values(t, "fund_vnd"), strict=True)) == [("flow", 10e9), ("stock", 3e9)]


def test_members_matched_within_window_only(multi_figures):
    """Thái Bình (figures_multi): five yearly funds, each with a same-day members count."""
    t = fund_intensity(multi_figures, ["Thái Bình"], window_days=0)
    assert (t["gap_days"] == 0).all() and len(t) == 5
    first = t.iloc[0]
    assert first["fund_per_member_vnd"].bound == "at_least"
    assert first["fund_per_member_vnd"].value == pytest.approx(20e9 / 400000)
    assert first["vnd_per_recipient"].value == pytest.approx(12e9 / 4000)


def test_province_rows_for_every_cluster_province(stats_figures):
    """Cluster III: a row for each of the 8 provinces. Bắc Ninh 2023: no provincial figure, all
    8 districts → 100+200+…+800 triệu = 3,6 tỷ summed; 2022: 2 of 8 districts → partial,
    share 0.25, no value; Hà Nội and Nam Định: no data; Thái Bình: provincial figures."""
    provinces = cluster_provinces("III")
    rows = province_rows(stats_figures, provinces, {p: province_districts(p) for p in provinces})
    assert set(rows["province"]) == set(provinces)
    bn = rows[rows["province"] == "Bắc Ninh"].set_index("period")
    full = bn.loc["2023-01-01 → 2023-12-31"]
    assert full["status"] == "sum of every district" and full["fund_vnd"] == Bounded(3.6e9)
    part = bn.loc["2022-01-01 → 2022-12-31"]
    assert part["status"] == "partial" and part["share_covered"] == 0.25 and part["fund_vnd"] is None
    assert part["districts_covered"] == "2/8"
    assert set(rows.loc[rows["province"].isin(["Hà Nội", "Nam Định"]), "status"]) == {"no data"}
    tb = rows[rows["province"] == "Thái Bình"]
    assert set(tb["status"]) == {"provincial figure"} and len(tb) == 4
    first = tb.iloc[0]["fund_per_member_vnd"]
    assert first.bound == "at_least" and first.value == pytest.approx(20e9 / 418000)
