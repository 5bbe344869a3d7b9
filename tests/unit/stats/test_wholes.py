"""Wholes, parts and repeats on tests/fixtures/figures_stats.csv, against hand-read answers."""

import pandas as pd
import pytest

from analysis.stats.bounds import Bounded
from analysis.stats.wholes import headlines


def _heads(df, entity, metric, **where):
    h, marked = headlines(df[(df["entity"] == entity) & (df["metric"] == metric)])
    for k, v in where.items():
        h = h[h[k] == v]
    return h, marked


def test_stated_whole_wins_over_its_parts(stats_figures):
    """Ninh Bình 2022: 'tổng quỹ … 10 tỷ', 'dòng họ quản lý 4 tỷ', 'Quỹ … Lê Văn Tám 1 tỷ'.
    The headline is the stated 10 tỷ (rule: stated whole); 4 tỷ and 1 tỷ are parts, not the whole."""
    h, marked = _heads(stats_figures, "Ninh Bình", "fund_raised", measure="total")
    assert len(h) == 1
    row = h.iloc[0]
    assert row["status"] == "whole" and row["value"] == Bounded(10e9)
    assert row["rule"].startswith("stated whole (st-ninh-binh-2022)")
    roles = marked.set_index("subgroup")["role"]
    assert roles["dòng họ"] == "part" and roles["Quỹ khuyến học Lê Văn Tám"] == "part"


def test_two_statements_of_one_balance_are_not_summed(stats_figures):
    """Ninh Bình 2022: 10 tỷ raised during the year and a 3 tỷ balance at year end are two
    quantities (measure total vs balance), never 13 tỷ of 'parts'."""
    h, _ = _heads(stats_figures, "Ninh Bình", "fund_raised")
    assert set(zip(h["measure"], [v.value for v in h["value"]], strict=True)) == {("total", 10e9), ("balance", 3e9)}


def test_disjoint_parts_of_one_article_are_summed_and_marked(stats_figures):
    """Hà Nam 2023, no whole stated: 600 pupils + 50 teachers + 30 collectives = 680, status
    'summed', the rule naming the classes; a single part (500 pupils, 2021) is not a whole."""
    h, _ = _heads(stats_figures, "Hà Nam", "award_recipients")
    by_year = h.set_index("period_end")
    assert by_year.loc["2023-12-31", "status"] == "summed" and by_year.loc["2023-12-31", "value"] == Bounded(680)
    assert "pupils + teachers + collectives" in by_year.loc["2023-12-31", "rule"]
    assert by_year.loc["2021-12-31", "status"] == "parts only" and by_year.loc["2021-12-31", "value"] is None
    assert "single part" in by_year.loc["2021-12-31", "rule"]


def test_parts_from_two_articles_or_overlapping_are_not_summed():
    """Pupils 600 (article a) + teachers 50 (article b): different articles → not summed.
    Pupils 600 + 'pupils, teachers' 700 in one article: overlapping classes → not summed."""
    base = {"entity": "X", "level": "province", "province": "X", "metric": "award_recipients", "stage": "actual",
            "period_start": "2023-01-01", "period_end": "2023-12-31", "bound": "exact", "value_max": None,
            "quote": "q", "start": 0}
    two = pd.DataFrame([{**base, "source_id": "a", "subgroup": "học sinh", "value": 600},
                        {**base, "source_id": "b", "subgroup": "giáo viên", "value": 50}])
    h, _ = headlines(two)
    assert h.iloc[0]["status"] == "parts only" and "different articles" in h.iloc[0]["rule"]
    overlap = pd.DataFrame([{**base, "source_id": "a", "subgroup": "học sinh", "value": 600},
                            {**base, "source_id": "a", "subgroup": "học sinh, giáo viên", "value": 700}])
    h, _ = headlines(overlap)
    assert h.iloc[0]["status"] == "parts only" and "overlap" in h.iloc[0]["rule"]


def test_parts_exceeding_the_whole_are_a_conflict():
    """Whole 100; disjoint parts 80 pupils + 40 teachers = 120 > 100: the whole still stands, flagged."""
    base = {"entity": "X", "level": "province", "province": "X", "metric": "award_recipients", "stage": "actual",
            "period_start": "2023-01-01", "period_end": "2023-12-31", "bound": "exact", "value_max": None,
            "quote": "q", "start": 0, "source_id": "a"}
    rows = pd.DataFrame([{**base, "subgroup": "", "value": 100}, {**base, "subgroup": "học sinh", "value": 80},
                         {**base, "subgroup": "giáo viên", "value": 40}])
    h, _ = headlines(rows)
    assert h.iloc[0]["status"] == "whole" and h.iloc[0]["flag"] == "parts exceed the whole"


def test_two_disagreeing_wholes_are_a_conflict(stats_figures):
    """Hưng Yên 2023-12-31: 320 000 and 325 000 in one article → conflict, no value chosen."""
    h, marked = _heads(stats_figures, "Hưng Yên", "members", period_end="2023-12-31")
    assert h.iloc[0]["status"] == "conflict" and h.iloc[0]["value"] is None
    assert set(marked.loc[marked["period_end"] == "2023-12-31", "role"]) == {"conflict"}


def test_repeat_of_an_earlier_article_is_not_a_new_point(stats_figures):
    """Nam Định: 512 345 members (2019 congress) stated again by a 2021 article dated 2021-06-30 →
    a repeat of st-nam-dinh-2019, so the 2021 'point' (0 % growth) does not exist."""
    h, marked = _heads(stats_figures, "Nam Định", "members")
    assert list(h["period_end"]) == ["2019-12-31", "2023-12-31"]
    rep = marked[marked["source_id"] == "st-nam-dinh-2021"].iloc[0]
    assert rep["role"] == "repeat" and "st-nam-dinh-2019" in rep["role_rule"]


def test_same_statement_twice_is_one_statement():
    """The same 72 000 in a headline and the body of one article (or two articles, same period) is one
    whole, the later copy a repeat — the order is by publication date, never by row order."""
    base = {"entity": "X", "level": "district", "province": "Y", "metric": "members", "stage": "actual",
            "period_start": "", "period_end": "2023-08-04", "bound": "at_least", "value_max": None, "quote": "q",
            "subgroup": "", "value": 72000}
    rows = pd.DataFrame([{**base, "source_id": "late", "published": "2023-09-01", "start": 5},
                         {**base, "source_id": "early", "published": "2023-08-05", "start": 9}])
    h, marked = headlines(rows)
    assert h.iloc[0]["status"] == "whole" and h.iloc[0]["rule"].startswith("stated whole (early)")
    assert marked.set_index("source_id").loc["late", "role"] == "repeat"


def test_undated_rows_are_quantities_of_their_own(stats_figures):
    """Vĩnh Phúc: 999 and 888 members, both undated → two separate quantities, never a conflict."""
    h, _ = _heads(stats_figures, "Vĩnh Phúc", "members", period_end="")
    assert len(h) == 2 and set(h["status"]) == {"whole"}


@pytest.mark.parametrize("measure", ["occurrences", "total"])
def test_lượt_total_is_its_own_measure(stats_figures, measure):
    """Hà Nội: 1,5 triệu lượt over 2004–2023 and 80 000 recipients in 2023 are two measures."""
    h, _ = _heads(stats_figures, "Hà Nội", "award_recipients", measure=measure)
    assert len(h) == 1
