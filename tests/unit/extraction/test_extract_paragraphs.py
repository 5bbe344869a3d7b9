"""Whole paragraphs in the genre's usual shapes (written for these tests, not from the seeds)."""

from datetime import date

import pytest

from analysis.extraction.extract import SourceMeta, extract_article

HA_NAM = ("Hội Khuyến học tỉnh Hà Nam tổng kết công tác năm 2023", """Năm 2023, Hội Khuyến học tỉnh Hà Nam đã vận \
động xây dựng Quỹ khuyến học được trên 45 tỷ đồng; trao 12.500 suất học bổng, khen thưởng với tổng trị giá gần 20 tỷ đồng. \
Toàn tỉnh có 312.000 hội viên, đạt 37% dân số. Có 185.246/225.000 hộ gia đình (đạt 82,3%) được công nhận danh hiệu Gia \
đình học tập; 2.145 dòng họ được công nhận Dòng họ học tập; 1.056/1.180 thôn, tổ dân phố đạt Cộng đồng học tập; 3.215 \
đơn vị học tập. Hội Khuyến học tỉnh đã tặng Bằng khen cho 45 tập thể và 60 cá nhân có thành tích xuất sắc.""")

HAI_HAU = ("Nam Định: Hội Khuyến học huyện Hải Hậu đại hội nhiệm kỳ 2021-2026", """Nhiệm kỳ 2016-2021, Hội Khuyến \
học huyện Hải Hậu có 35 hội cơ sở, 1.250 chi hội, ban khuyến học với 68.500 hội viên, chiếm 25,8% dân số. Quỹ khuyến \
học các cấp đạt 35,6 tỷ đồng, tăng 12 tỷ đồng so với nhiệm kỳ trước. Các cấp hội đã khen thưởng, trao học bổng cho \
125.000 lượt học sinh, sinh viên với tổng số tiền 28 tỷ đồng. Toàn huyện có 45.320 gia đình học tập, 512 dòng họ học \
tập, 280 cộng đồng học tập. Mục tiêu nhiệm kỳ 2021-2026: phấn đấu 85% số hộ gia đình đạt danh hiệu gia đình học tập, \
100% thôn, xóm đạt cộng đồng học tập.""")

THAI_BINH = ("Thái Bình sơ kết 6 tháng đầu năm 2024", """Trong 6 tháng đầu năm 2024, các cấp hội trong tỉnh đã huy \
động được 18,5 tỷ đồng cho quỹ khuyến học. Hội Khuyến học huyện Đông Hưng dẫn đầu với 3,2 tỷ đồng, huyện Vũ Thư 2,8 tỷ \
đồng. Có 1.245 học sinh đạt giải học sinh giỏi cấp tỉnh được khen thưởng. Tỷ lệ đăng ký gia đình học tập đạt 96,5%, \
dòng họ học tập 98%, cộng đồng học tập 100%.""")


def rows(article):
    title, body = article
    res = extract_article(f"{title}\n\n{body}", SourceMeta("p", title=title, published=date(2024, 7, 10)))
    return {(f.metric, f.value): f for f in res.figures}, res


@pytest.mark.parametrize("article,metric,value,fields", [
    (HA_NAM, "fund_raised", 45e9, {"bound": "at_least", "entity": "Hà Nam", "period_end": "2023-12-31"}),
    (HA_NAM, "awards_paid", 20e9, {"bound": "at_most"}),
    (HA_NAM, "award_recipients", 12500, {"subgroup": "suất học bổng"}),
    (HA_NAM, "members", 312000, {"level": "province"}),
    (HA_NAM, "learning_families", 185246, {"stage": "achieved"}),
    (HA_NAM, "learning_families_rate", 82.3, {"stage": "achieved"}),
    (HA_NAM, "learning_communities", 1056, {"stage": "achieved"}),
    (HA_NAM, "award_recipients", 60, {"subgroup": "cá nhân"}),
    (HAI_HAU, "associations", 35, {"entity": "Hải Hậu", "level": "district"}),
    (HAI_HAU, "fund_raised", 35.6e9, {"subgroup": "số dư quỹ", "period_start": ""}),
    (HAI_HAU, "award_recipients", 125000, {}),
    (HAI_HAU, "learning_clans", 512, {"stage": "achieved"}),
    (HAI_HAU, "learning_families_rate", 85, {"stage": "target", "period_start": "2021-01-01"}),
    (THAI_BINH, "fund_raised", 18.5e9, {"entity": "Thái Bình", "period_start": "2024-01-01", "period_end": "2024-06-30"}),
    (THAI_BINH, "fund_raised", 3.2e9, {"entity": "Đông Hưng", "level": "district"}),
    (THAI_BINH, "fund_raised", 2.8e9, {"entity": "Vũ Thư"}),
    (THAI_BINH, "award_recipients", 1245, {}),
    (THAI_BINH, "learning_families_rate", 96.5, {"stage": "registered"}),
    (THAI_BINH, "learning_clans_rate", 98, {"stage": "registered"}),
    (THAI_BINH, "learning_communities_rate", 100, {"stage": "registered"}),
])
def test_paragraph_figure(article, metric, value, fields):
    found, _ = rows(article)
    assert (metric, value) in found, sorted(found)
    f = found[(metric, value)]
    assert {k: getattr(f, k) for k in fields} == fields


@pytest.mark.parametrize("article,text,reason", [
    (HA_NAM, "37%", "outside the vocabulary"), (HA_NAM, "225.000", "denominator"),
    (HAI_HAU, "12 tỷ đồng", "change"), (HAI_HAU, "25,8%", "outside the vocabulary"),
])
def test_paragraph_residue(article, text, reason):
    found, res = rows(article)
    assert any(r.text == text and reason in r.reason for r in res.residue), [(r.text, r.reason) for r in res.residue]
