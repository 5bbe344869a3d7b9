"""The trends pages' words and tables on the multi-year fixture (tests/fixtures/figures_multi.csv).

By hand: Thái Bình's members are stated for five year-ends (400 000 … 486 203) → the
log-linear fit; Hưng Yên's are 300 000 (31/12/2021) and ≥ 330 000 (31/12/2023) → two points,
a ratio ≥ 1.1 over 730 days (1.9986 years) → ≥ 1.1^(1/1.9986) − 1 = ≥ 4.884…% a year, shown
rounded down as ≥ 4,88%; Thái Bình's last point alone → one value with its date.
"""

import re

import pandas as pd

from analysis.reports import pages, trend_pages
from analysis.reports.evidence import Evidence
from analysis.stats.trends import headline_series


def _group(df, area):
    return headline_series(df, area, "members")


def test_signed_percent_and_p_value_never_scientific():
    assert trend_pages.signed_pct(5.0, "vi") == "+5%" and trend_pages.signed_pct(-1.25, "en") == "-1.3%"
    assert trend_pages.p_value(0.00001, "en") == "< 0.001" and trend_pages.p_value(0.0412, "vi") == "0,041"


def test_five_annual_points_give_the_fit_in_both_languages(multi_figures):
    g = _group(multi_figures, ("Thái Bình", "province", "Thái Bình"))
    assert "Log-linear fit on 5 points" in str(trend_pages.describe(g, "count", "en"))
    vi = str(trend_pages.describe(g, "count", "vi"))
    assert "Hồi quy log-tuyến tính trên 5 điểm" in vi and not re.search(r"\de[+-]?\d", vi)


def test_two_points_give_the_annualised_rate_with_its_bound(multi_figures):
    g = _group(multi_figures, ("Hưng Yên", "province", "Hưng Yên"))
    text = str(trend_pages.describe(g, "count", "vi"))
    assert "quá ít để ước lượng xu hướng" in text and "≥ 4,88%" in text and "≥ 330.000" in text


def test_one_point_is_its_value_with_its_date(multi_figures):
    g = _group(multi_figures, ("Thái Bình", "province", "Thái Bình")).tail(1)
    assert "Một điểm: 486.203 (tính đến 31/12/2023)" in str(trend_pages.describe(g, "count", "vi"))
    assert "One point: 486,203" in str(trend_pages.describe(g, "count", "en"))


def test_series_view_links_every_point_to_the_sources_section(multi_figures):
    ev = Evidence(multi_figures, "en")
    parts = trend_pages.series_view(multi_figures, ("Thái Bình", "province", "Thái Bình"), "members", "en", ev)
    html = "".join(p._repr_html_() if hasattr(p, "_repr_html_") else str(p) for p in parts)
    section = str(ev.section())
    links = set(re.findall(r'href="#(ev-\d+)"', html))
    assert len(links) == 5 and all(f'id="{a}"' in section for a in links)
    text = re.sub(r"data:image/png;base64,[A-Za-z0-9+/=]+", "", html)
    assert 'alt="members · actual' in text and not re.search(r"\b(NaN|nan|None|NaT)\b", text)


def test_province_rows_say_partial_with_the_share_covered(multi_figures):
    rows = pd.DataFrame([{"province": "Hà Nam", "period": "2022-01-01 → 2022-12-31", "status": "partial",
                          "fund_vnd": None, "districts_covered": "3/8", "share_covered": 0.375, "members": None,
                          "fund_per_member_vnd": None, "fund_per_inhabitant_vnd": None, "rule": "", "sources": []}])
    html = str(pages.province_intensity_table(rows, multi_figures, Evidence(multi_figures, "vi"), "vi"))
    assert "chưa đủ: 3/8 huyện (38%), không cộng" in html and "năm 2022" in html


def test_points_table_names_every_status_in_words(multi_figures):
    """Every point of the cluster panels has its status in words (a derived fund per member
    included), in both languages: no label key such as ``role_derived`` on the page."""
    from analysis.reports.panels import indicator_label
    from analysis.stats.compare import province_points
    from analysis.stats.load import cluster_provinces, load_reference

    provinces, _ = load_reference()
    pops = dict(zip(provinces["province"], provinces["population_2019"].astype(float), strict=True))
    points = province_points(multi_figures, cluster_provinces("III"), pops)
    assert "derived" in set(points["status"])
    words = {"vi": "suy ra từ các số liệu khác", "en": "derived from other figures"}
    for lang, word in words.items():
        html = str(trend_pages.points_table(points, multi_figures, lang, Evidence(multi_figures, lang), indicator_label))
        assert "role_" not in html and word in html, lang
