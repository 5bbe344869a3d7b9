"""Conflicts (between and within articles, keyed with level), coverage, sources."""

import pandas as pd

from analysis.stats.quality import (
    conflicts,
    coverage,
    fallback_figures,
    figures_in,
    source_ids,
    sources_of,
)


def test_conflicts_keep_both_sources(multi_figures):
    """Nam Định 2022-12-31: 510 000 (fx-nam-dinh-a) vs 498 000 (fx-nam-dinh-b), between articles."""
    c = conflicts(multi_figures)
    assert set(c["source_id"]) == {"fx-nam-dinh-a", "fx-nam-dinh-b"}
    assert set(c["value"]) == {510000, 498000} and set(c["within"]) == {"between articles"}


def test_conflict_key_has_level_and_base(stats_figures):
    """Bắc Kạn province (20 000) and Bắc Kạn city (5 000) on 2022-12-31 are two areas: no conflict.
    Thái Bình's 85 % (all villages) and 95 % (registered villages) are two bases: no conflict.
    Hưng Yên's 320 000 and 325 000 in one article are a conflict 'one article'."""
    c = conflicts(stats_figures)
    assert "Bắc Kạn" not in set(c["entity"]) and "Thái Bình" not in set(c["entity"])
    hy = c[c["entity"] == "Hưng Yên"]
    assert sorted(hy["value"]) == [320000, 325000] and set(hy["within"]) == {"one article"}


def test_undated_rows_never_conflict(stats_figures):
    """Vĩnh Phúc's undated 999 and 888 are not 'the same period'."""
    assert "Vĩnh Phúc" not in set(conflicts(stats_figures)["entity"])


def test_coverage_and_sources(multi_figures):
    """Coverage counts per entity × metric × year; sources list each article once per quote."""
    cov = coverage(multi_figures)
    assert cov.loc[("Thái Bình", "members"), "2021"] == 1
    assert cov.loc[("Hưng Yên", "members"), "2022"] == 0
    src = sources_of(multi_figures[multi_figures["entity"] == "Hưng Yên"])
    assert list(src["source_id"]) == ["fx-hung-yen-2021", "fx-hung-yen-2023"]


def test_source_ids_travel_as_lists(multi_figures):
    """A column of lists (or single ids) gives the rows of those sources; no text is parsed back."""
    assert source_ids([["a", "b"], "c", [], ""]) == {"a", "b", "c"}
    rows = figures_in(multi_figures, [["fx-hung-yen-2021"], ["fx-nam-dinh-a", "fx-nam-dinh-b"]])
    assert set(rows["source_id"]) == {"fx-hung-yen-2021", "fx-nam-dinh-a", "fx-nam-dinh-b"}


# -- figures placed by a fallback (the overview lists them first) --
FIGS = pd.DataFrame([
    {"source_id": "a", "start": 10, "metric": "members", "entity": "Xã Đông Hà", "value": 1200.0},
    {"source_id": "a", "start": 55, "metric": "fund_raised", "entity": "Xã Đông Hà", "value": 3e8},
    {"source_id": "b", "start": 7, "metric": "members", "entity": "Huyện Tây Sơn", "value": 9000.0},
])
TRACE = pd.DataFrame([  # read from CSV: every cell a string
    {"source_id": "a", "start": "10", "metric": "members", "entity_how": "subject", "entity_words": "",
     "period_how": "document as-of date", "period_words": "", "fallback": "period"},
    {"source_id": "a", "start": "55", "metric": "fund_raised", "entity_how": "own phrase", "entity_words": "xã Đông Hà",
     "period_how": "own phrase", "period_words": "năm 2023", "fallback": ""},
    {"source_id": "b", "start": "7", "metric": "members", "entity_how": "no subject found", "entity_words": "",
     "period_how": "report period fallback", "period_words": "", "fallback": "entity period"},
])


def test_only_fallback_rows_are_listed_entity_fallbacks_first():
    out = fallback_figures(FIGS, TRACE)
    assert list(zip(out["source_id"], out["start"], out["fallback"], strict=True)) == [
        ("b", 7, "entity period"), ("a", 10, "period")]
    assert list(out["entity"]) == ["Huyện Tây Sơn", "Xã Đông Hà"] and out["value"].tolist() == [9000.0, 1200.0]


def test_no_trace_lists_nothing():
    assert fallback_figures(FIGS, pd.DataFrame()).empty
    assert fallback_figures(FIGS, TRACE.assign(fallback="")).empty
