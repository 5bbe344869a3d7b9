"""Clause-scoped roles: which place is a figure's entity, which time is its period."""

from datetime import date

import pytest

from analysis.extraction.extract import SourceMeta, extract_article

PROVINCE = SourceMeta("r", title="Hội Khuyến học tỉnh Nam Định tổng kết năm 2023", published=date(2023, 12, 22))
DISTRICT = SourceMeta("r", title="Hội Khuyến học huyện Trực Ninh tổng kết năm 2023", published=date(2023, 12, 22))


def rows(text, meta):
    return {(f.metric, f.value): f for f in extract_article(text, meta).figures}


@pytest.mark.parametrize("text,meta,metric,value,entity", [
    # sub-units the sentence reports on
    ("Huyện Hải Hậu đạt 93,2% gia đình học tập, huyện Giao Thủy 91,7%.", PROVINCE,
     "learning_families_rate", 91.7, "Giao Thủy"),
    ("Tỷ lệ gia đình học tập cao nhất là 95,1% (Nghĩa Hưng), thấp nhất 84,3% (Xuân Trường).", PROVINCE,
     "learning_families_rate", 84.3, "Xuân Trường"),
    ("Huyện Ý Yên và huyện Vụ Bản lần lượt vận động được 6,1 tỷ đồng và 4,8 tỷ đồng.", PROVINCE,
     "fund_raised", 4.8e9, "Vụ Bản"),
    ("Có 18/20 dòng họ đăng ký ở xã Trực Hùng đã được công nhận “Dòng họ học tập”.", DISTRICT,
     "learning_clans", 18, "Trực Hùng"),
    # not reporting units: examples, awarding bodies, the association of a level, a parent
    ("Nhiều xã như Trực Đại, Trực Thái, Trực Cường đã vận động tốt, toàn huyện huy động được 5,3 tỷ đồng.",
     DISTRICT, "fund_raised", 5.3e9, "Trực Ninh"),
    ("Hội Khuyến học tỉnh Nam Định tặng Giấy khen cho 14 tập thể.", DISTRICT, "award_recipients", 14, "Trực Ninh"),
    ("Trung ương Hội tặng Bằng khen cho 6 cá nhân.", PROVINCE, "award_recipients", 6, "Nam Định"),
    ("tỉnh Hội tặng Giấy khen cho 31 tập thể.", PROVINCE, "award_recipients", 31, "Nam Định"),
    ("huyện Hội hiện có 26.700 hội viên.", DISTRICT, "members", 26700, "Trực Ninh"),
    ("Hội Khuyến học xã Trực Thanh (huyện Trực Ninh) có 1.840 hội viên.", DISTRICT, "members", 1840, "Trực Thanh"),
    # a counted kind of unit is not a level word
    ("Hiện tỉnh Hội có 10 Hội Khuyến học huyện, thành phố với 512.000 hội viên.", PROVINCE,
     "members", 512000, "Nam Định"),
])
def test_entity_roles(text, meta, metric, value, entity):
    found = rows(text, meta)
    assert (metric, value) in found, sorted(found)
    assert found[(metric, value)].entity == entity


def test_a_sub_unit_does_not_carry_into_the_next_sentence():
    found = rows("Huyện Xuân Trường vận động được 7,2 tỷ đồng. Các cấp hội đã khen thưởng 8.400 học sinh.", PROVINCE)
    assert found[("fund_raised", 7.2e9)].entity == "Xuân Trường"
    assert found[("award_recipients", 8400)].entity == "Nam Định"


@pytest.mark.parametrize("text,metric,value,period", [
    ("Năm 2023, các cấp hội vận động được 9,6 tỷ đồng, tăng 1,2 tỷ đồng so với năm 2022.",
     "fund_raised", 9.6e9, ("2023-01-01", "2023-12-31")),
    ("Toàn huyện có 26.300 hội viên, tăng 540 hội viên so với năm 2021.", "members", 26300, ("", "2023-12-22")),
    ("Khi mới thành lập năm 2002, Hội chỉ có 1.900 hội viên.", "members", 1900, ("", "2002-12-31")),
    ("Tính đến 30/6/2023, toàn huyện có 25.800 hội viên.", "members", 25800, ("", "2023-06-30")),
    ("Năm 2024, Hội phấn đấu vận động quỹ đạt 6 tỷ đồng.", "fund_raised", 6e9, ("2024-01-01", "2024-12-31")),
    ("Phấn đấu đến năm 2025 có 90% gia đình đạt danh hiệu “Gia đình học tập”.", "learning_families_rate", 90,
     ("", "2025-12-31")),
])
def test_time_roles(text, metric, value, period):
    f = rows(text, DISTRICT)[(metric, value)]
    assert (f.period_start, f.period_end) == period


def test_a_year_in_a_previous_sentence_is_not_carried():
    found = rows("Năm 2019, Hội có 21.000 hội viên. Các cấp hội đã vận động được 8,1 tỷ đồng.", DISTRICT)
    assert found[("members", 21000)].period_end == "2019-12-31"
    f = found[("fund_raised", 8.1e9)]
    assert (f.period_start, f.period_end) == ("2023-01-01", "2023-12-31")  # the report period


def test_an_as_of_date_in_another_clause_does_not_make_a_flow_cumulative():
    f = rows("Tính đến 30/6/2023, toàn huyện có 25.800 hội viên; quỹ khuyến học huy động trong kỳ đạt 2,1 tỷ đồng.",
             DISTRICT)[("fund_raised", 2.1e9)]
    assert f.period_start == "2023-01-01"


def test_targets_without_a_horizon_take_the_next_year_of_a_review():
    f = rows("Hội đề ra chỉ tiêu vận động quỹ từ 6 tỷ đồng trở lên.", DISTRICT)[("fund_raised", 6e9)]
    assert (f.stage, f.period_start, f.period_end) == ("target", "2024-01-01", "2024-12-31")


def test_items_of_a_target_list_are_targets_of_its_header_year():
    text = ("Ngày 12/1, Hội Khuyến học huyện Trực Ninh triển khai nhiệm vụ năm 2024. Các chỉ tiêu chủ yếu năm 2024:\n"
            "- Tỷ lệ gia đình đạt danh hiệu “Gia đình học tập”: 91%.\n"
            "- Vận động quỹ khuyến học các cấp: từ 7 tỷ đồng trở lên.\n")
    found = rows(text, DISTRICT)
    for key in (("learning_families_rate", 91), ("fund_raised", 7e9)):
        f = found[key]
        assert (f.stage, f.period_start, f.period_end) == ("target", "2024-01-01", "2024-12-31")


def test_an_occasion_is_not_a_period():
    meta = SourceMeta("r", title="Trực Ninh trao học bổng cho học sinh vượt khó", published=date(2024, 9, 3))
    f = rows("Ngày 2/9, Hội Khuyến học huyện Trực Ninh trao 160 suất học bổng nhân dịp năm học mới 2024 – 2025.",
             meta)[("award_recipients", 160)]
    assert (f.period_start, f.period_end) == ("2024-09-02", "2024-09-02")


def test_units_money_was_raised_from_are_donors():
    found = rows("Thu trong năm: 3 tỷ đồng (trong đó vận động từ 41 doanh nghiệp: 1,2 tỷ đồng).", DISTRICT)
    assert ("donors", 41) in found


def test_the_district_of_a_commune_report_is_found_for_a_district_level_word():
    meta = SourceMeta("r", title="Hội Khuyến học xã Trực Hùng tổng kết năm 2023", published=date(2023, 12, 22))
    found = rows("Xã có 2.310 hội viên; toàn huyện có 27.400 hội viên.", meta)
    assert found[("members", 2310)].entity == "Trực Hùng"
    assert (found[("members", 27400)].entity, found[("members", 27400)].level) == ("Trực Ninh", "district")


@pytest.mark.parametrize("text,kept", [
    # units listed as the sentence's subject share one value: not the subject's, not one unit's
    ("Xã Trực Hùng, xã Trực Thái là hai đơn vị dẫn đầu với tỷ lệ gia đình học tập đạt trên 96%.", []),
    ("Các xã Trực Đại, xã Trực Cường và xã Trực Thuận có tỷ lệ dòng họ học tập đạt 100%.", []),
    # one unit opening the sentence is that unit's figure; a list after the figure changes nothing
    ("Xã Trực Hùng có tỷ lệ gia đình học tập đạt 96,4%.", [("Trực Hùng", 96.4)]),
    ("Toàn huyện có 92,1% gia đình đạt danh hiệu, cao nhất là xã Trực Thái, xã Trực Hùng.",
     [("Trực Ninh", 92.1)]),
])
def test_a_value_shared_by_listed_units_goes_to_the_residue(text, kept):
    res = extract_article(text, DISTRICT)
    assert [(f.entity, f.value) for f in res.figures] == kept
    if not kept:
        assert any("shared by the units listed" in r.reason for r in res.residue)
