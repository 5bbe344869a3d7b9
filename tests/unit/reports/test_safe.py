"""Nothing from the data runs: escaping for HTML and Markdown, URLs, quotes, tables, Sources."""

import pandas as pd
import pytest

from analysis.reports.evidence import Evidence, figure_key, number_spans
from analysis.reports.safe import Markup, escape, link_or_text, mark_spans, safe_url
from analysis.reports.tables import table

HOSTILE = [
    "<script>alert(1)</script>",
    "111 Chi hội khuyến học <img src=x onerror=alert(4)>",
    '" onmouseover="alert(2)',
    "[click](javascript:alert(3))",
    "![x](http://evil.example/x.png)",
    "<div style=\"background:url(http://evil.example/a)\">x</div>",
    "**bold** _it_ `code` # heading",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_html_escape_leaves_no_markup(text):
    out = escape(text)
    assert "<" not in out and ">" not in out and '"' not in out


@pytest.mark.parametrize("text", HOSTILE)
def test_markdown_escape_leaves_no_markup_or_links(text):
    import markdown_it  # the renderer family Jupyter uses for Markdown

    rendered = markdown_it.MarkdownIt("commonmark").render(f"**{escape(text, 'md')}** — 1 point")
    assert "<img" not in rendered and "<script" not in rendered and "<a " not in rendered
    assert rendered.count("<strong>") == 1  # only the wrapper's own emphasis


def test_missing_and_invisible_characters():
    assert escape(None) == "" and escape(float("nan")) == "" and escape(pd.NA) == ""
    assert escape("2\u200f1 Hội") == "21 Hội"  # a bidi mark does not hide inside shown text


def test_urls_live_only_when_http():
    assert safe_url("https://baobacninh.example/a?b=1") == "https://baobacninh.example/a?b=1"
    for bad in ("javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,<b>", "http://x y", 'http://a"b', ""):
        assert safe_url(bad) is None
    assert link_or_text("javascript:alert(1)") == "<code>javascript:alert(1)</code>"
    assert 'href="https://a.example/?q=&lt;x&gt;"' not in link_or_text("https://a.example/?q=<x>")  # refused: '<'


def test_mark_spans_escapes_around_the_mark():
    assert mark_spans("<b>có 25.000 hội viên</b>", [(6, 12)]) == "&lt;b&gt;có <mark>25.000</mark> hội viên&lt;/b&gt;"


def test_number_spans_find_the_number_as_written():
    q = "Năm 2023 quỹ đạt trên 25 tỷ đồng, có 11.089 hội viên, tỉ lệ 99,81%."
    assert [q[a:b] for a, b in number_spans(q, 25e9)] == ["25"]
    assert [q[a:b] for a, b in number_spans(q, 11089)] == ["11.089"]
    assert [q[a:b] for a, b in number_spans(q, 99.81)] == ["99,81%"]
    assert number_spans(q, 777) == []


def test_table_escapes_cells_and_refuses_raw_numbers():
    df = pd.DataFrame({"entity": ["<img src=x onerror=alert(1)>"], "value": ["≥ 72.000"], "evidence": [Markup('<a href="#ev-1">[1]</a>')]})
    html = str(table(df, ["entity", "value", "evidence"], "vi"))
    assert "<img" not in html and "&lt;img" in html and '<a href="#ev-1">[1]</a>' in html
    assert html.count("<th ") == 3  # the three columns asked for, no index column
    with pytest.raises(TypeError, match="format"):
        table(pd.DataFrame({"value": [1.2e7]}), ["value"], "vi")


def test_table_collapses_columns_and_marks_missing():
    df = pd.DataFrame({f"c{i}": [f"v{i}"] for i in range(10)}).assign(c3=[None])
    html = str(table(df, list(df.columns), "en"))
    visible, details = html.split("<details", 1)
    assert "v7" not in visible and "v8" in details and "—" in visible
    assert "not stated in any article" in html and "nan" not in html.lower().replace("kh-", "")


def _figures():
    return pd.DataFrame([{
        "source_id": "bai-1", "entity": "Xã <b>Yên</b>", "level": "commune", "province": "Bắc Ninh", "period_start": "",
        "period_end": "2023-08-04", "metric": "members", "stage": "actual", "value": 1200.0, "value_max": float("nan"),
        "unit": "count", "bound": "at_least", "subgroup": "", "start": 30, "end": 35,
        "quote": "Hội có trên 1.200 hội viên <script>alert(1)</script>, tăng so với năm trước.",
        "title": "Tiêu đề <img src=x onerror=alert(5)>", "outlet": "Báo \"Thử\"", "published": "2023-08-05",
        "url": "javascript:alert(6)"}])


def test_sources_section_whole_quote_marked_and_escaped():
    figs = _figures()
    ev = Evidence(figs, "vi")
    link = str(ev.links(figs))
    assert link.startswith('<a class="ev" href="#ev-1"')
    html = str(ev.section())
    assert 'id="ev-1"' in html
    assert "<mark>1.200</mark>" in html
    assert "tăng so với năm trước." in html  # the whole quote, not cut
    assert "<script" not in html and "<img" not in html and 'href="javascript' not in html
    assert "&lt;script&gt;" in html and "04/08/2023" in html and "05/08/2023" in html


def test_evidence_refuses_figures_not_on_the_page():
    ev = Evidence(_figures(), "en")
    with pytest.raises(KeyError):
        ev.links([("other", 1, 2, "members", "actual")])
    assert ev.links([figure_key(_figures().iloc[0])]).count("href") == 1
