"""Loading: the schema, the reference joins, the subgroup classes, cached readers."""

import pytest

from analysis.stats.load import cluster_provinces, load_figures, load_reference, province_districts


def test_subgroup_classes_applied_at_load(stats_figures):
    """The raw subgroup is kept beside its class and kind."""
    nb = stats_figures[stats_figures["subgroup"] == "dòng họ"].iloc[0]
    assert (nb["subgroup_class"], nb["subgroup_kind"]) == ("clans", "part")
    assert set(stats_figures.loc[stats_figures["subgroup"] == "", "subgroup_kind"]) == {"whole"}


def test_census_joined_on_level(stats_figures):
    """Bắc Kạn province gets the province census (313 905), Bắc Kạn city the district's (45 036)."""
    pop = stats_figures.drop_duplicates(["entity", "level"]).set_index(["entity", "level"])["population_2019"]
    assert pop[("Bắc Kạn", "province")] == 313905 and pop[("Bắc Kạn", "district")] == 45036


def test_reference_read_once_and_copied():
    """Two reads give equal frames that are not the same object (a caller may modify its copy)."""
    a, _ = load_reference()
    b, _ = load_reference()
    assert a.equals(b) and a is not b
    assert cluster_provinces("Cụm III", provinces=a) == cluster_provinces("3")


def test_districts_of_a_province():
    """Bắc Ninh had 8 districts before 1 July 2025 (the list "every district covered" is checked against)."""
    assert province_districts("Bắc Ninh") == ["Bắc Ninh", "Gia Bình", "Lương Tài", "Quế Võ", "Thuận Thành",
                                               "Tiên Du", "Từ Sơn", "Yên Phong"]


def test_missing_file_named(tmp_path):
    """A missing figures table is named with the command that makes it."""
    with pytest.raises(FileNotFoundError, match="make figures"):
        load_figures(tmp_path / "figures.csv")
