"""The overview's reviewer sections: unknown subgroup words and rejected rows, escaped and in words."""

import pandas as pd

from analysis.reports import pages

HOSTILE = "<script>alert(1)</script>"


def test_unknown_subgroup_words_are_listed_escaped_in_both_languages():
    unknown = pd.DataFrame({"word": [f"em {HOSTILE}"], "rows": [3], "metrics": ["award_recipients"],
                            "sources": [["x-2023", "y-2024"]]})
    vi = str(pages.unknown_subgroups_view(unknown, "vi"))
    assert "&lt;script&gt;" in vi and "<script>" not in vi and "x-2023, y-2024" in vi and ">3<" in vi
    assert ">word<" in str(pages.unknown_subgroups_view(unknown, "en"))
    assert "Mọi từ" in str(pages.unknown_subgroups_view(unknown.iloc[0:0], "vi"))


def test_rejected_rows_show_rule_article_and_quote():
    rejected = pd.DataFrame([{"source_id": "z-2024", "entity": "Xã Bình An", "metric": "members", "stage": "actual",
                              "value": "1200", "period_start": "2024-06-30", "period_end": "2024-01-01",
                              "rule": "period_start after period_end", "quote": f"từ đầu năm đến nay {HOSTILE}"}])
    html = str(pages.rejected_view(rejected, "vi"))
    assert "period_start after period_end" in html and "z-2024" in html and "hội viên" in html
    assert "2024-06-30 → 2024-01-01" in html and "<script>" not in html
    assert "No row was rejected." in str(pages.rejected_view(pd.DataFrame(), "en"))


def test_rate_bases_read_in_the_page_language(stats_figures):
    """Thái Bình's learning-community rates on two bases: the base column says what each is a
    share of in Vietnamese on a vi page (no 'all villages' left), unchanged in English."""
    from analysis.reports.evidence import Evidence
    from analysis.stats.attainment import rates_by_province

    found = rates_by_province(stats_figures, "Cụm III", "communities")
    vi = str(pages.rates_table(found, stats_figures, Evidence(stats_figures, "vi"), "vi"))
    assert "tổng số thôn, tổ dân phố" in vi and "số thôn, tổ dân phố đã đăng ký" in vi
    assert "all villages" not in vi and "registered villages" not in vi
    en = str(pages.rates_table(found, stats_figures, Evidence(stats_figures, "en"), "en"))
    assert "all villages" in en and "registered villages" in en


def test_base_label_keeps_unknown_words():
    from analysis.reports.panels import base_label

    assert base_label("all households", "vi") == "tổng số hộ"
    assert base_label("registered communes", "vi") == "số xã, phường đã đăng ký"
    assert base_label("all models", "en") == "all models"
    assert base_label("some odd base", "vi") == "some odd base"


def test_residue_reasons_read_in_the_page_language():
    """The extractor's reasons are English phrases: on a vi page they read in Vietnamese, the
    article words inside them (after 'share of', in brackets) as written, escaped."""
    residue = pd.DataFrame({"source_id": ["a-2023"] * 4, "text": ["2023", "15", "40", "7"],
                            "reason": ["year", "share of chi hội, not a metric of the vocabulary",
                                       f"not in the vocabulary (xã {HOSTILE})", "a reason nobody wrote a label for"],
                            "quote": ["năm 2023", "15% chi hội", "40 xã", "7 gì đó"]})
    vi = str(pages.residue_view(residue, "vi"))
    assert ">năm<" in vi and "tỉ lệ của chi hội, không phải chỉ tiêu trong danh mục" in vi
    assert "không thuộc danh mục chỉ tiêu (xã &lt;script&gt;" in vi and "<script>" not in vi
    assert "a reason nobody wrote a label for" in vi  # unknown: kept as written, not dropped
    assert "not a metric of the vocabulary" not in vi
    assert "share of chi hội, not a metric of the vocabulary" in str(pages.residue_view(residue, "en"))


def test_article_warnings_and_curation_log_in_the_page_language():
    articles = pd.DataFrame({"source_id": ["a-2023"], "title": ["Hội Khuyến học xã An Lạc"], "outlet": [""],
                             "published": ["2023-06-30"], "figures": ["3"], "residue": ["1"],
                             "warnings": ["published date inferred from event date and report year: 2023-06-30; "
                                          "no reporting area found in title, outlet or text"]})
    vi = str(pages.articles_table(articles, "vi"))
    assert "ngày đăng suy ra từ ngày sự kiện và năm báo cáo: 2023-06-30" in vi
    assert "không tìm thấy địa bàn" in vi and "inferred" not in vi
    assert "published date inferred from event date" in str(pages.articles_table(articles, "en"))
    log = pd.DataFrame({"file": ["corrections.csv"], "line": [2], "source_id": ["a-2023"], "start": [10],
                        "metric": ["fund_raised"], "action": ["fix"], "status": ["unmatched"], "detail": ["ghi chú"]})
    vi = str(pages.curation_view(log, "vi"))
    assert ">quỹ khuyến học<" in vi and ">sửa<" in vi and ">không còn khớp<" in vi and "fund_raised" not in vi
    en = str(pages.curation_view(log, "en"))
    assert ">fix<" in en and ">unmatched<" in en
