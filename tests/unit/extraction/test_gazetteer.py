"""The place gazetteer: every pre-July-2025 unit from vietnamadminunits, found with its prefix or bare."""

from analysis.extraction.adminunits import NameMatcher, admin_units
from analysis.extraction.knowledge import fold
from analysis.extraction.places import find_mentions, gazetteer


def places(text):
    gz = gazetteer()
    return [(m.place.name, m.place.level, m.place.province) if m.place else ("<" + m.prefix + ">", m.body)
            for m in find_mentions(text, fold(text), gz)]


def test_units_of_every_level_with_types_and_codes():
    units = admin_units()
    assert len(units.provinces) == 63
    assert sum(len(v) for v in units.districts.values()) > 650
    assert sum(len(v) for v in units.communes.values()) > 10000
    tien_du = units.district(fold("Tiên Du"))
    assert (tien_du.province, tien_du.kind) == ("Bắc Ninh", "huyện") and tien_du.code


def test_a_district_shared_by_provinces_is_placed_by_the_context():
    units = admin_units()
    assert units.district(fold("Châu Thành")) is None  # many provinces have one
    assert units.district(fold("Châu Thành"), "Long An").province == "Long An"


def test_prefixed_names_resolve_at_their_level():
    assert places("Hội Khuyến học huyện Hải Hậu") == [("Hải Hậu", "district", "Nam Định")]
    assert places("thành phố Nam Định") == [("Nam Định", "district", "Nam Định")]
    assert places("thành phố Hà Nội") == [("Hà Nội", "province", "Hà Nội")]
    assert places("thị xã Quế Võ") == [("Quế Võ", "district", "Bắc Ninh")]


def test_bare_names_are_provinces_or_districts_never_communes():
    assert places("Bắc Ninh và Vĩnh Tường") == [("Bắc Ninh", "province", "Bắc Ninh"),
                                               ("Vĩnh Tường", "district", "Vĩnh Phúc")]
    assert places("Canh Tân") == []  # a commune name needs its prefix word
    assert places("xã Canh Tân")[0][1] == "commune"


def test_longest_name_wins():
    found = NameMatcher({"ha nam": 1, "nam": 2, "ha": 3}).find("tinh ha nam")
    assert [(a, b, k) for a, b, k, _ in found] == [(5, 11, "ha nam")]


def test_names_inside_a_persons_or_an_institutions_name_are_not_places():
    assert places("Ông Phạm Kim Sơn phát biểu") == []
    assert places("Trường THPT Ngô Quyền") == []
    assert places("Quỹ của Thành đoàn Hà Nội") == []


def test_words_not_all_capitalised_are_not_a_bare_name():
    assert places("Thống nhất các mục tiêu") == []


def test_the_association_of_a_level_is_not_a_place():
    assert places("tỉnh Hội đã chỉ đạo") == [("<province>", True)]
    assert places("huyện Hội tặng giấy khen") == [("<district>", True)]
    assert places("Trung ương Hội tặng Bằng khen") == [("<national>", True)]


def test_a_ward_number_is_not_read_from_a_decimal():
    assert places("phường 2 có 500 hội viên")[0][0] == "2"
    assert places("các xã, thị trấn 2,96 tỉ đồng") == []


def test_province_aliases_come_from_the_table():
    assert places("TP.HCM")[0][:2] == ("Hồ Chí Minh", "province")
    assert places("tỉnh Thừa Thiên Huế")[0][0] == "Huế"


def test_a_name_running_on_into_a_longer_proper_name_is_not_a_place():
    assert places("thời Hà Nam Ninh") == []  # the old province, not Hà Nam
    assert places("theo tư tưởng, đạo đức, phong cách Hồ Chí Minh") == []
    assert places("thành phố Hồ Chí Minh")[0][:2] == ("Hồ Chí Minh", "province")
    assert [p[0] for p in places("Nam Định Hà Nam")] == ["Nam Định", "Hà Nam"]


def test_a_commune_asked_for_in_a_province_is_never_one_of_another_province():
    units = admin_units()
    # a commune name the gazetteer holds once, in one province
    key, (only,) = next((k, us) for k, us in sorted(units.communes.items()) if len(us) == 1)
    other = next(p for p in ("Nam Định", "Thái Bình") if p != only.province)
    assert units.commune(key) == only and units.commune(key, only.province) == only
    assert units.commune(key, other) is None
    assert units.commune(key, other, "Hải Hậu") is None


def test_a_name_the_tables_do_not_hold_is_kept_whole():
    gz = gazetteer()
    assert gz.is_known("Vĩnh Hòa", "commune") and not gz.is_known("Vĩnh Hòa Đông", "commune")
    assert gz.longest_known("Vĩnh Hòa Đông", "commune") == "Vĩnh Hòa Đông"
    assert gz.longest_known("Vĩnh Hòa Lạc", "commune") == "Vĩnh Hòa Lạc"
    # cut only before a person's name or another place
    assert gz.longest_known("Hà Nội Nguyễn", "province") == "Hà Nội"
    assert gz.longest_known("Kim Bảng Hà Nam", "district") == "Kim Bảng"
    assert places("Hội Khuyến học xã Vĩnh Hòa Đông")[0][0] == "Vĩnh Hòa Đông"
