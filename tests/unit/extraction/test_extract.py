"""Sentences in wordings the seed articles do not use, each with the rows it must give."""

from datetime import date

import pytest

from analysis.extraction.extract import SourceMeta, extract_article

META = SourceMeta("t", title="Hội Khuyến học huyện Gia Bình tổng kết năm 2023", published=date(2024, 1, 10))


def figures(sentence, meta=META):
    return extract_article(sentence, meta).figures


def residue(sentence, meta=META):
    return extract_article(sentence, meta).residue


def one(sentence, meta=META, **expected):
    found = figures(sentence, meta)
    assert found, f"no figure in {sentence!r}"
    for f in found:
        if all(getattr(f, k) == v for k, v in expected.items()):
            return f
    got = [{k: getattr(f, k) for k in expected} for f in found]
    raise AssertionError(f"{sentence!r}: wanted {expected}, got {got}")


CASES = [
    # money
    ("Năm 2023, Hội đã vận động quỹ khuyến học được 1,2 tỷ đồng.",
     dict(metric="fund_raised", value=1_200_000_000, unit="vnd", stage="actual")),
    ("Hội trao 350 suất học bổng trị giá 420 triệu đồng cho học sinh nghèo.",
     dict(metric="award_recipients", value=350, unit="count")),
    ("Hội trao 350 suất học bổng trị giá 420 triệu đồng cho học sinh nghèo.",
     dict(metric="awards_paid", value=420_000_000, unit="vnd")),
    ("Quỹ khuyến học các cấp hiện có trên 3 tỷ 500 triệu đồng.",
     dict(metric="fund_raised", value=3_500_000_000, bound="at_least", subgroup="số dư quỹ")),
    ("Các doanh nghiệp đã ủng hộ quỹ 150.000.000đ.", dict(metric="fund_raised", value=150_000_000)),
    ("Hội đã chi khen thưởng với tổng số tiền khoảng 2,5 triệu đồng.",
     dict(metric="awards_paid", value=2_500_000, bound="approx")),
    ("Hội khuyến học tỉnh huy động được từ 1 đến 2 tỷ đồng mỗi năm.",
     dict(metric="fund_raised", value=1_000_000_000, value_max=2_000_000_000, bound="range")),
    # percentages
    ("Năm 2023, có 85% số hộ đạt danh hiệu gia đình học tập.",
     dict(metric="learning_families_rate", value=85, stage="achieved", unit="percent")),
    ("Tỷ lệ gia đình đăng ký gia đình học tập đạt 92,5%.",
     dict(metric="learning_families_rate", value=92.5, stage="registered")),
    ("Toàn huyện có 12.222/18.734 hộ (65,2%) được công nhận gia đình học tập.",
     dict(metric="learning_families", value=12222, stage="achieved")),
    ("Năm 2024 phấn đấu 90% dòng họ đạt danh hiệu dòng họ học tập.",
     dict(metric="learning_clans_rate", value=90, stage="target")),
    # members and organisation
    ("Toàn tỉnh có hơn 3.500 hội viên.", dict(metric="members", value=3500, bound="at_least")),
    ("Hội Khuyến học tỉnh hiện có 1.245.300 hội viên, chiếm 26% dân số.",
     dict(metric="members", value=1_245_300)),
    ("Toàn huyện có 25 Hội khuyến học xã, thị trấn và 412 chi hội.",
     dict(metric="associations", value=25)),
    ("Toàn huyện có 25 Hội khuyến học xã, thị trấn và 412 chi hội.", dict(metric="branches", value=412)),
    ("Thị trấn có ba chi hội khuyến học ở các trường.", dict(metric="branches", value=3)),
    ("100% trường học có ban khuyến học; toàn huyện có 96 ban khuyến học.",
     dict(metric="branches", value=96)),
    ("Toàn tỉnh có 1.020 dòng họ khuyến học.", dict(metric="promoting_clans", value=1020)),
    ("Tỉnh có 133 trung tâm học tập cộng đồng.", dict(metric="learning_centres", value=133)),
    # learning models
    ("Năm 2023 có 45.120 gia đình được công nhận gia đình học tập.",
     dict(metric="learning_families", value=45120, stage="achieved")),
    ("Có 1.530 hộ đăng ký xây dựng gia đình học tập.",
     dict(metric="learning_families", value=1530, stage="registered")),
    ("Có 21/22 dòng họ đã đăng ký được công nhận dòng họ học tập.",
     dict(metric="learning_clans", value=21, stage="achieved")),
    ("Có 21/22 dòng họ đã đăng ký được công nhận dòng họ học tập.",
     dict(metric="learning_clans", value=22, stage="registered")),
    ("Toàn huyện có 98 thôn, làng đạt danh hiệu cộng đồng học tập.",
     dict(metric="learning_communities", value=98, stage="achieved")),
    ("Có 64 cơ quan, đơn vị đạt đơn vị học tập.", dict(metric="learning_units", value=64)),
    ("Năm 2023 có 3.400 công dân học tập.", dict(metric="learning_citizens", value=3400)),
    ("Có 950 gia đình hiếu học và 12 dòng họ hiếu học được tuyên dương.",
     dict(metric="learning_families", value=950)),
    # awards
    ("Hội đã khen thưởng 1.250 học sinh giỏi và 85 giáo viên.",
     dict(metric="award_recipients", value=85, subgroup="giáo viên")),
    ("Hội tặng giấy khen cho 12 tập thể và 30 cá nhân.", dict(metric="award_recipients", value=30)),
    # donors
    ("Hội tiếp nhận sự ủng hộ của 42 doanh nghiệp, nhà hảo tâm.", dict(metric="donors", value=42)),
    # two entities in one sentence
    ("Tỷ lệ gia đình học tập ở huyện Thanh Miện đạt 95%, huyện Ninh Giang đạt 93%.",
     dict(metric="learning_families_rate", value=95, entity="Thanh Miện", level="district")),
    ("Tỷ lệ gia đình học tập ở huyện Thanh Miện đạt 95%, huyện Ninh Giang đạt 93%.",
     dict(metric="learning_families_rate", value=93, entity="Ninh Giang")),
    ("Thái Bình có 320.000 hội viên, Nam Định có 410.000 hội viên.",
     dict(metric="members", value=410_000, entity="Nam Định", level="province", province="Nam Định")),
    # bounds
    ("Toàn huyện có gần 9.000 hội viên.", dict(bound="at_most", value=9000)),
    ("Toàn huyện có khoảng 9.000 hội viên.", dict(bound="approx", value=9000)),
    ("Cả nước có hơn 27 triệu hội viên.",
     dict(metric="members", value=27_000_000, entity="Việt Nam", level="national")),
]


@pytest.mark.parametrize(("sentence", "expected"), CASES, ids=[f"{i:02d}" for i in range(len(CASES))])
def test_sentence_gives_row(sentence, expected):
    one(sentence, **expected)


@pytest.mark.parametrize("sentence,reason", [
    ("Năm 2023 Hội phát triển thêm 3.500 hội viên mới.", "change"),
    ("Số hội viên tăng 1.200 người so với năm 2022.", "change"),
    ("Hội kết nạp mới 400 hội viên.", "change"),
    ("Hội nghị có 120 đại biểu dự.", "attendees"),
    ("Cụm gồm 8 tỉnh, thành phố.", "provinces"),
    ("Kỷ niệm 15 năm thành lập Hội.", "anniversary"),
    ("Số lượt xem: 422", "page counter"),
    ("Toàn huyện có 100% chi hội hoạt động tốt.", "share of"),
    ("Hội viên chiếm 26% dân số.", "outside the vocabulary"),
])
def test_not_a_figure(sentence, reason):
    assert not figures(sentence), figures(sentence)
    reasons = [r.reason for r in residue(sentence)]
    assert any(reason in r for r in reasons), reasons


def test_denominator_is_residue_not_figure():
    res = extract_article("Toàn huyện có 12.222/18.734 hộ được công nhận gia đình học tập.", META)
    assert [f.value for f in res.figures] == [12222]
    assert any(r.text == "18.734" and "denominator" in r.reason for r in res.residue)


def test_every_number_is_accounted_for():
    text = ("Hội Khuyến học huyện Gia Bình tổng kết năm 2023\n"
            "Chiều 28/12/2023, Hội tổ chức hội nghị. Toàn huyện có 14.500 hội viên, 96 chi hội. "
            "Hội nghị có 150 đại biểu.")
    res = extract_article(text, META)
    import re

    numbers = {m.start() for m in re.finditer(r"(?<![\d.,/])\d", text)}
    covered = {n for n in numbers for x in [*res.figures, *res.residue] if x.start <= n < x.end}
    assert numbers == covered


def test_entity_from_title_and_period_from_text():
    f = one("Năm 2023, toàn huyện có 14.500 hội viên.", metric="members")
    assert (f.entity, f.level, f.province) == ("Gia Bình", "district", "Bắc Ninh")  # from the gazetteer
    assert f.period_end == "2023-12-31" and f.period_start == ""


def test_stock_as_of_and_h1_flow():
    meta = SourceMeta("t", title="Hội Khuyến học tỉnh Hưng Yên sơ kết 6 tháng đầu năm 2024",
                      published=date(2024, 7, 20))
    members = one("Tính đến 30/6/2024, toàn tỉnh có 420.000 hội viên.", meta, metric="members")
    assert (members.entity, members.period_start, members.period_end) == ("Hưng Yên", "", "2024-06-30")
    fund = one("Trong 6 tháng đầu năm, các cấp hội vận động được 12 tỷ đồng.", meta, metric="fund_raised")
    assert (fund.period_start, fund.period_end) == ("2024-01-01", "2024-06-30")


def test_target_within_a_term():
    meta = SourceMeta("t", title="Đại hội Hội Khuyến học quận Ba Đình", published=date(2021, 10, 2))
    f = one("Nhiệm kỳ 2021-2026, phấn đấu 95% gia đình đạt gia đình học tập.", meta,
            metric="learning_families_rate")
    assert (f.stage, f.period_start, f.period_end, f.entity) == ("target", "2021-01-01", "2026-12-31", "Ba Đình")


def test_numbers_in_words_need_a_counted_noun():
    assert not figures("Một số chi hội hoạt động chưa hiệu quả.")
    assert one("Xã có hai dòng họ đạt dòng họ học tập.", metric="learning_clans").value == 2


def test_quote_holds_the_span():
    text = "Toàn tỉnh có trên 1.200 chi hội. Quỹ khuyến học đạt 4,5 tỷ đồng."
    for f in extract_article(text, META).figures:
        assert text[f.start:f.end] in f.quote
