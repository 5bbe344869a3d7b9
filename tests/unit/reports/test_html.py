"""The exporter's sanitiser on hostile HTML: nothing runs, nothing is fetched, text survives."""

import re

import pytest

from analysis.reports.html import CSP, clean_stylesheet, page, sanitise

PNG = "data:image/png;base64,iVBORw0KGgo="


@pytest.mark.parametrize("hostile", [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    '<script type="text/javascript">fetch("https://evil.example")</script>',
    "<iframe src=https://evil.example></iframe>",
    '<object data="x.swf"></object><embed src="x">',
    '<svg onload=alert(2)><script>alert(3)</script></svg>',
    '<math><mtext><script>alert(4)</script></mtext></math>',
    '<template><img src=x onerror=alert(5)></template>',
    '<noscript><img src=x onerror=alert(6)></noscript>',
])
def test_script_bearing_elements_go_with_their_content(hostile):
    out = sanitise(f"<p>before</p>{hostile}<p>after</p>")
    assert out == "<p>before</p><p>after</p>"


@pytest.mark.parametrize("hostile,kept", [
    ('<img src=x onerror=alert(4)>', ""),
    ('<img src="x" alt="chart" ONERROR="alert(1)">', ""),
    (f'<img src="{PNG}" alt="chart" ONERROR="alert(1)">', f'<img src="{PNG}" alt="chart">'),
    ('<div onclick="alert(1)" onmouseover=alert(2) class="c">t</div>', '<div class="c">t</div>'),
    ('<a href="javascript:alert(1)">x</a>', "<a>x</a>"),
    ('<a href=" JaVaScRiPt:alert(1)">x</a>', "<a>x</a>"),
    ('<a href="java&#x09;script:alert(1)">x</a>', "<a>x</a>"),
    ('<a href="data:text/html,<script>alert(1)</script>">x</a>', "<a>x</a>"),
    ('<a href="vbscript:msgbox(1)">x</a>', "<a>x</a>"),
    ('<img src="https://evil.example/pixel.png" alt="p">', ""),
    ('<img src="//evil.example/p.png">', ""),
    ('<img src="data:image/svg+xml;base64,PHN2Zz4=">', ""),
    ('<img srcset="https://evil.example/a.png 1x" src="' + PNG + '">', f'<img src="{PNG}">'),
    ('<form action="https://evil.example"><input name=q><button>go</button></form>', "go"),
    ('<link rel=stylesheet href=https://evil.example/x.css><meta http-equiv=refresh content="0;url=x">', ""),
    ('<base href="https://evil.example/">', ""),
])
def test_attributes_and_urls(hostile, kept):
    assert sanitise(hostile) == kept


def test_safe_links_and_images_are_kept():
    html = (f'<a href="#src-3">3</a> <a href="trends-thai-binh.en.html#x">t</a> '
            f'<a href="#Overview:-what-the-articles-say,-and-how-sure">o</a> <img src="{PNG}" alt="Members over time">')
    out = sanitise(html)
    assert 'href="#src-3"' in out and 'href="trends-thai-binh.en.html#x"' in out
    assert 'href="#Overview:-what-the-articles-say,-and-how-sure"' in out
    assert f'src="{PNG}"' in out and 'alt="Members over time"' in out


def test_accessible_scroll_boxes_survive():
    box = '<div class="kh-table" role="region" aria-label="Bảng" tabindex="0"><table><tr><td>1</td></tr></table></div>'
    assert sanitise(box) == box
    assert sanitise('<div tabindex="5">x</div>') == "<div>x</div>"
    assert sanitise('<ol start="3"><li value="3" id="src-3">q</li></ol>') == '<ol start="3"><li value="3" id="src-3">q</li></ol>'


def test_web_links_navigate_only():
    out = sanitise('<a href="https://baomoi.example/bai-1">bài</a>')
    assert 'rel="noopener noreferrer nofollow"' in out


@pytest.mark.parametrize("css", [
    "background:url(https://evil.example/x.png)",
    "background: URL( 'x' )",
    "background:u\\72l(x)",
    "width:expression(alert(1))",
    "behavior:url(x.htc)",
    "background-image:image-set('x.png' 1x)",
])
def test_css_that_fetches_or_runs_is_dropped(css):
    out = sanitise(f'<p style="color:red;{css}">t</p><style>p{{color:red;{css}}}</style>')
    assert "url" not in out.lower() and "expression" not in out and "image-set" not in out and "\\" not in out
    assert "color:red" in out


def test_stylesheet_at_rules_dropped():
    css = '@import url("https://evil.example/x.css"); @font-face{font-family:x;src:url(x.woff)} td{padding:1px}'
    out = clean_stylesheet(css)
    assert "@import" not in out and "@font-face" not in out and "url" not in out and "td{padding:1px}" in out


def test_text_is_escaped_again():
    out = sanitise("<p>&lt;script&gt;alert(1)&lt;/script&gt; 1 &amp; 2</p>")
    assert out == "<p>&lt;script&gt;alert(1)&lt;/script&gt; 1 &amp; 2</p>"
    assert "<script" not in sanitise('<style>td{}</style><p title="&quot;><script>x</script>">t</p>')


def test_attribute_breakout_is_escaped():
    out = sanitise('<p title=\'"><script>alert(1)</script>\'>t</p>')
    assert re.fullmatch(r'<p title="&quot;&gt;&lt;script&gt;alert\(1\)&lt;/script&gt;">t</p>', out)


def test_page_carries_a_strict_csp():
    doc = page("t", "<header></header>", "<p>x</p>", "vi")
    assert '<html lang="vi">' in doc and f'content="{CSP}"' in doc
    assert "default-src 'none'" in CSP and "img-src data:" in CSP and "<script" not in doc
