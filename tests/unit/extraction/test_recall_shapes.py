"""The shapes real reports state figures in (label-and-value lines, tallies, lists, named funds…)."""

from datetime import date

import pytest

from analysis.extraction.extract import SourceMeta, extract_article

META = SourceMeta("s", title="Hội Khuyến học xã Liêm Tiết tổng kết năm 2023", outlet="Cổng thông tin huyện Thanh Liêm",
                  published=date(2023, 12, 21))


@pytest.mark.parametrize("text,want", [
    ("Số gia đình đăng ký: 4.512 gia đình", [("learning_families", 4512, "registered", "")]),
    ("Số gia đình đăng ký “Gia đình học tập”: 1.942 gia đình; số gia đình đạt danh hiệu: 1.716 gia đình, "
     "tỷ lệ: 88,4 %", [("learning_families", 1942, "registered", ""), ("learning_families", 1716, "achieved", ""),
                       ("learning_families_rate", 88.4, "achieved", "")]),
    ("Tổng số hội viên toàn xã hiện là 8.214", [("members", 8214, "actual", "")]),
    ("Số chi hội khuyến học thôn, xóm: 11", [("branches", 11, "actual", "")]),
    ("Kết quả xếp loại: 05 đơn vị cấp xã xếp loại tốt.", [("associations", 5, "actual", "xếp loại tốt")]),
    ("Năm 2023, Hội đã tặng 1.250 lượt bằng khen, giấy khen.", [("award_recipients", 1250, "actual", "bằng khen")]),
    ("Dịp này, Hội tặng giấy khen cho 312 tập thể, 270 cá nhân.",
     [("award_recipients", 312, "actual", "tập thể"), ("award_recipients", 270, "actual", "cá nhân")]),
    ("Chương trình nhận được sự ủng hộ của 14 nhà tài trợ.", [("donors", 14, "actual", "")]),
    ("Quỹ học bổng “Nâng bước em tới trường” của Hội hiện có 1,2 tỷ đồng.",
     [("fund_raised", 1.2e9, "actual", "số dư quỹ")]),
    ("Toàn xã có 38 Ban khuyến học dòng họ.", [("promoting_clans", 38, "actual", "")]),
    ("Năm 2024 phấn đấu xây dựng quỹ khuyến học từ 25 tỷ trở lên.", [("fund_raised", 25e9, "target", "")]),
    ("Toàn xã có 1.206 gia đình, 14 dòng họ và 9 thôn được công nhận danh hiệu học tập.",
     [("learning_families", 1206, "achieved", ""), ("learning_clans", 14, "achieved", ""),
      ("learning_communities", 9, "achieved", "")]),
    ("Phấn đấu 85% gia đình, 70% dòng họ, 65% thôn đạt các danh hiệu học tập.",
     [("learning_families_rate", 85, "target", ""), ("learning_clans_rate", 70, "target", ""),
      ("learning_communities_rate", 65, "target", "")]),
    ("Tổng số tiền thưởng kèm theo là 32 triệu 750 ngàn đồng.", [("awards_paid", 32.75e6, "actual", "")]),
    ("Hội khen thưởng 64 học sinh với số tiền 28 triêu đồng.",
     [("award_recipients", 64, "actual", "học sinh"), ("awards_paid", 28e6, "actual", "")]),
])
def test_shape(text, want):
    got = [(f.metric, f.value, f.stage, f.subgroup) for f in extract_article(text, META).figures]
    assert got == [(m, float(v), st, sg) for m, v, st, sg in want]


def test_entity_of_a_commune_article_from_its_headline_and_outlet():
    f = extract_article("Tổng số hội viên toàn xã hiện là 8.214", META).figures[0]
    assert (f.entity, f.level, f.province) == ("Liêm Tiết", "commune", "Hà Nam")


@pytest.mark.parametrize("text,kept", [
    ("Toàn xã có 91,2% gia đình đạt danh hiệu; vẫn còn 2 thôn có tỷ lệ dưới 70%.", [91.2]),
    ("Hội phấn đấu 100% thôn có quỹ khuyến học từ 50 triệu đồng trở lên.", []),
])
def test_a_threshold_describing_a_subset_is_not_a_figure(text, kept):
    res = extract_article(text, META)
    assert [f.value for f in res.figures if f.unit != "count"] == kept
    assert any("threshold" in r.reason for r in res.residue)


@pytest.mark.parametrize("text,want", [
    # a balance of the whole fund, then the part one holder manages: the part is named
    ("Tổng quỹ khuyến học toàn xã đạt 940 triệu đồng, trong đó quỹ do Hội Khuyến học xã quản lý là 215 triệu đồng.",
     [(940e6, "số dư quỹ"), (215e6, "Hội Khuyến học xã quản lý")]),
    # the clans' own funds summed: a part, not the association's balance
    ("Quỹ khuyến học của Hội hiện có 380 triệu đồng; 12 dòng họ trong xã có quỹ khuyến học với tổng số dư "
     "khoảng 760 triệu đồng.", [(380e6, "số dư quỹ"), (760e6, "dòng họ")]),
])
def test_a_part_of_a_fund_names_the_part(text, want):
    got = [(f.value, f.subgroup) for f in extract_article(text, META).figures if f.metric == "fund_raised"]
    assert got == [(float(v), sg) for v, sg in want]


@pytest.mark.parametrize("text,want", [
    # "đã có Hội Khuyến học": associations; the adverb is not part of the units' noun phrase
    ("Đến nay, 12/12 thôn, xóm đã có Hội Khuyến học.", [("associations", 12, "thôn, xóm")]),
    ("Toàn huyện hiện có 27 trường học đều có chi hội khuyến học.", [("branches", 27, "trường học")]),
])
def test_units_that_have_an_association(text, want):
    got = [(f.metric, f.value, f.subgroup) for f in extract_article(text, META).figures]
    assert got == [(m, float(v), sg) for m, v, sg in want]


def test_a_semicolon_ends_the_registered_scope_when_the_next_clause_names_its_own_model():
    text = "Năm 2023, toàn xã có 1.480 hộ đăng ký gia đình học tập; tỷ lệ dòng họ học tập đạt 64,5%."
    got = [(f.metric, f.stage) for f in extract_article(text, META).figures]
    assert got == [("learning_families", "registered"), ("learning_clans_rate", "achieved")]


def test_givers_named_after_an_award_in_the_same_sentence_are_donors():
    text = "Năm 2023, Hội trao 64 suất học bổng; 17 doanh nghiệp đóng góp 310 triệu đồng cho quỹ."
    got = [(f.metric, f.value) for f in extract_article(text, META).figures if f.unit == "count"]
    assert got == [("award_recipients", 64.0), ("donors", 17.0)]


def test_a_share_of_the_registered_ones_is_achieved():
    text = "Có 41 thôn đạt danh hiệu “Cộng đồng học tập”, bằng 87% số thôn đăng ký."
    got = [(f.metric, f.stage) for f in extract_article(text, META).figures]
    assert got == [("learning_communities", "achieved"), ("learning_communities_rate", "achieved")]


def test_a_balance_carried_into_a_year_closes_the_year_before():
    meta = SourceMeta("s", title="Xã Liêm Tiết công khai quỹ khuyến học năm 2023", published=date(2024, 1, 9))
    f = extract_article("Số dư chuyển sang năm 2024: 156 triệu đồng.", meta).figures[0]
    assert (f.period_start, f.period_end) == ("", "2023-12-31")


def test_an_elliptical_fund_item_is_read_like_the_one_before():
    meta = SourceMeta("s", title="Giao ban cụm thi đua số III năm 2024", published=date(2024, 12, 12))
    text = "Quỹ khuyến học của Hội Khuyến học tỉnh Nam Định đạt 38 tỷ đồng, của tỉnh Thái Bình hơn 52 tỷ đồng."
    got = [(f.entity, f.subgroup, f.period_start) for f in extract_article(text, meta).figures]
    assert got == [("Nam Định", "số dư quỹ", ""), ("Thái Bình", "số dư quỹ", "")]
