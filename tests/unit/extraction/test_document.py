"""The article read as a document: subject, genre, report period and dates, decided once."""

from datetime import date

import pytest

from analysis.extraction.extract import SourceMeta, extract_article


def read(body, title="", outlet="", published=None):
    text = f"{title}\n\n{body}" if title else body
    return extract_article(text, SourceMeta("d", title=title, outlet=outlet, published=published))


def only(res, metric):
    found = [f for f in res.figures if f.metric == metric]
    assert len(found) == 1, [(f.metric, f.value) for f in res.figures]
    return found[0]


@pytest.mark.parametrize("title,outlet,body,subject,how", [
    ("Hội Khuyến học huyện Thanh Miện tổng kết năm 2023", "", "Toàn huyện có 21.300 hội viên.",
     ("Thanh Miện", "district", "Hải Dương"), "headline"),
    ("Kiến Xương: Sơ kết công tác khuyến học 6 tháng đầu năm", "", "Toàn huyện có 30.400 hội viên.",
     ("Kiến Xương", "district", "Thái Bình"), "headline dateline"),
    ("Thái Bình: Nhiều kết quả nổi bật", "",
     "Hội Khuyến học huyện Quỳnh Phụ vừa tổ chức hội nghị. Toàn huyện có 40.100 hội viên.",
     ("Quỳnh Phụ", "district", "Thái Bình"), "headline dateline, unit from the lede"),
    ("Nhiều kết quả nổi bật trong năm 2023", "Cổng thông tin điện tử huyện Yên Mô",
     "Các cấp hội có 18.250 hội viên.", ("Yên Mô", "district", "Ninh Bình"), "outlet"),
    ("Nhiều kết quả nổi bật trong năm 2023", "Báo Hưng Yên",
     "Hội Khuyến học huyện Ân Thi tổng kết năm 2023. Các cấp hội có 26.100 hội viên.",
     ("Ân Thi", "district", "Hưng Yên"), "lede"),
])
def test_subject(title, outlet, body, subject, how):
    res = read(body, title, outlet, date(2023, 12, 20))
    f = only(res, "members")
    assert (f.entity, f.level, f.province) == subject
    assert res.subject_how.startswith(how)


def test_a_commune_in_the_headline_is_placed_by_the_outlets_district():
    res = read("Hội Khuyến học xã hiện có 2.140 hội viên.", "Xã Hải Minh công khai quỹ khuyến học năm 2023",
               "Cổng thông tin điện tử huyện Hải Hậu", date(2024, 1, 10))
    f = only(res, "members")
    assert (f.entity, f.level, f.province) == ("Hải Minh", "commune", "Nam Định")


def test_undated_review_takes_the_event_day_with_the_report_year():
    res = read("Ngày 18-12, Hội Khuyến học huyện Tứ Kỳ tổng kết công tác năm 2023. Hiện toàn huyện có 27.900 "
               "hội viên. Trong năm, các cấp hội vận động được 4,2 tỷ đồng.",
               "Hội Khuyến học huyện Tứ Kỳ tổng kết năm 2023")
    assert res.published == date(2023, 12, 18) and res.published_how == "event date and report year"
    assert only(res, "members").period_end == "2023-12-18"
    fund = only(res, "fund_raised")
    assert (fund.period_start, fund.period_end) == ("2023-01-01", "2023-12-31")


def test_an_event_in_january_after_a_year_review_falls_in_the_next_year():
    res = read("Ngày 9-1, Hội Khuyến học huyện Gia Lộc tổng kết công tác năm 2023. Hiện huyện có 31.000 hội viên.",
               "Hội Khuyến học huyện Gia Lộc tổng kết năm 2023")
    assert res.published == date(2024, 1, 9)


def test_undated_congress_reviews_the_term_it_closes():
    res = read("Nhiệm kỳ qua, các cấp hội đã vận động được 96 tỷ đồng. Đến nay toàn huyện có 41.500 hội viên. "
               "Mục tiêu nhiệm kỳ mới: mỗi năm vận động từ 20 tỷ đồng trở lên.",
               "Đại hội Hội Khuyến học huyện Kim Thành lần thứ V, nhiệm kỳ 2022 – 2027")
    fund = [f for f in res.figures if f.metric == "fund_raised" and f.stage == "actual"][0]
    assert (fund.period_start, fund.period_end) == ("2017-01-01", "2022-12-31")
    assert only(res, "members").period_end == "2022-12-31"
    target = [f for f in res.figures if f.stage == "target"][0]
    assert (target.period_start, target.period_end) == ("2022-01-01", "2027-12-31")


def test_a_ceremony_dates_its_awards_to_its_day():
    res = read("Sáng 24/8, Hội Khuyến học huyện Cẩm Giàng trao 120 suất học bổng cho học sinh nghèo vượt khó.",
               "Cẩm Giàng trao học bổng cho học sinh vượt khó", published=date(2024, 8, 25))
    f = only(res, "award_recipients")
    assert (f.period_start, f.period_end) == ("2024-08-24", "2024-08-24")


# issue 15: the as-of date is never earlier than a year the text places in the present
@pytest.mark.parametrize("body,year", [
    ("Năm học 2022-2023, Hội trao 400 suất học bổng. Từ đầu năm 2024 đến nay, Hội đã vận động được 1,5 tỷ "
     "đồng; hiện toàn xã có 2.300 hội viên.", 2024),
    ("Hiện nay (2025) Hội Khuyến học xã có 1.980 hội viên.", 2025),
])
def test_inferred_date_not_before_a_year_placed_in_the_present(body, year):
    res = read(body)
    assert res.published.year == year
    for f in res.figures:
        assert not f.period_start or f.period_start <= f.period_end, f


def test_a_later_plan_year_does_not_move_an_undated_review():
    res = read("Ngày 20-12, Hội Khuyến học huyện Nam Sách tổng kết năm 2023. Hiện có 22.400 hội viên. "
               "Năm 2024, Hội phấn đấu vận động quỹ đạt 5 tỷ đồng.", "Hội Khuyến học huyện Nam Sách tổng kết năm 2023")
    assert res.published == date(2023, 12, 20)
    assert only(res, "members").period_end == "2023-12-20"


def test_the_reviewed_year_beats_a_published_date_early_the_next_year():
    res = read("Kết quả năm 2023, toàn tỉnh có 88,2% gia đình đạt danh hiệu “Gia đình học tập”.",
               "Hội Khuyến học tỉnh Hải Dương tổng kết năm 2023", published=date(2024, 1, 6))
    f = only(res, "learning_families_rate")
    assert f.period_end == "2023-12-31"


def test_a_provincial_newspaper_places_an_article_that_names_no_unit():
    res = read("Các cấp hội có 412.000 hội viên.", "Nhiều kết quả nổi bật", "Báo Vĩnh Phúc", date(2023, 12, 20))
    f = only(res, "members")
    assert (f.entity, f.level) == ("Vĩnh Phúc", "province") and res.subject_how.startswith("outlet")


def test_a_documents_date_is_not_the_event():
    res = read("Thực hiện Quyết định số 281 ngày 20-2-2021 của Thủ tướng, ngày 14-12 Hội Khuyến học huyện "
               "Thanh Hà tổng kết năm 2023. Hiện huyện có 23.900 hội viên.",
               "Hội Khuyến học huyện Thanh Hà tổng kết năm 2023")
    assert res.published == date(2023, 12, 14)


def test_the_ledes_first_unit_beats_a_provincial_outlet():
    res = read("Ngày 15/12, huyện Kim Bảng tổ chức hội nghị tổng kết công tác khuyến học. Các cấp hội có "
               "24.600 hội viên.", "Nhiều kết quả nổi bật", "Báo Hà Nam", date(2023, 12, 16))
    f = only(res, "members")
    assert (f.entity, f.level, f.province) == ("Kim Bảng", "district", "Hà Nam")


def test_a_term_named_in_passing_does_not_date_the_event():
    """A cluster meeting on "Ngày 22/7" that reviews the first half of 2021 and names, in passing,
    the term of the cluster's chair (2020–2025): the meeting is in July 2021, not in 2026 after
    the term's end."""
    body = ("Ngày 22/7, Hội Khuyến học các tỉnh cụm III họp giao ban tại thành phố Hưng Yên. "
            "Hội Khuyến học tỉnh Hưng Yên là cụm trưởng nhiệm kỳ 2020 - 2025.\n\n"
            "Trong 6 tháng đầu năm 2021, các tỉnh trong cụm đã kết nạp 12.400 hội viên mới.")
    res = read(body, "Giao ban công tác khuyến học cụm III")
    assert res.published == date(2021, 7, 22) and res.published_how == "event date and report year"
