"""Conflicts (between and within articles, keyed with level), coverage, sources."""

from analysis.stats.quality import conflicts, coverage, figures_in, source_ids, sources_of


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
