"""Pages: the executed notebook exported to HTML, sanitised, wrapped in a self-contained page.

The sanitiser is the exporter's second line of defence (the first: notebooks escape every text
that came from data, see ``analysis.reports.safe``). It rebuilds the HTML from an allow-list:
no ``<script>``, ``<iframe>``, ``<object>``, ``<svg>``, forms or ``<meta>``/``<link>``/``<base>``;
no ``on*`` attribute; links only to anchors, sibling pages or http(s) (navigation, never a fetch);
images only as embedded ``data:image/…`` (never ``svg``); CSS without ``url()``, ``@import``,
``expression()`` or escapes. Every page also carries a Content-Security-Policy that forbids any
fetch but embedded images and inline styles.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"

ALLOWED_TAGS = frozenset(["a", "abbr", "article", "aside", "b", "blockquote", "br", "caption", "cite", "code", "col", "colgroup", "dd", "del", "details", "dfn", "div", "dl", "dt", "em", "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "i", "img", "ins", "kbd", "li", "main", "mark", "nav", "ol", "p", "pre", "q", "s", "samp", "section", "small", "span", "strong", "style", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr", "u", "ul", "var", "wbr"])
DROP_WITH_CONTENT = frozenset(["script", "iframe", "frameset", "object", "applet", "noscript", "noembed", "noframes", "template", "svg", "math", "textarea", "select", "title", "head", "xmp", "plaintext", "canvas", "audio", "video"])
VOID = frozenset(["br", "col", "hr", "img", "wbr"])
GLOBAL_ATTRS = frozenset(["class", "id", "title", "lang", "dir", "role", "style", "tabindex"])
TAG_ATTRS = {
    "a": {"href", "name"}, "img": {"src", "alt", "width", "height"}, "td": {"colspan", "rowspan", "headers"},
    "th": {"colspan", "rowspan", "headers", "scope"}, "col": {"span"}, "colgroup": {"span"},
    "ol": {"start", "reversed", "type"}, "li": {"value"}, "details": {"open"}, "time": {"datetime"}, "table": {"summary"},
}
_DATA_IMAGE = re.compile(r"data:image/(png|jpeg|gif|webp);base64,[A-Za-z0-9+/=\s]*", re.I)
_LOCAL_HREF = re.compile(r"(#[^\s\"'<>\\]*|[A-Za-z0-9][\w.-]*\.html(#[^\s\"'<>\\]*)?)")
_EMPTY_ANCHOR = re.compile(r'<a class="anchor-link" href="[^"]*">\s*</a>')
_WEB_HREF = re.compile(r"https?://[^\s\"'<>\\]+", re.I)
_CSS_BAD = re.compile(r"url\s*\(|expression\s*\(|image-set\s*\(|@import|@font-face|@namespace|behavior\s*:|"
                      r"-moz-binding|javascript:|vbscript:|\\|<", re.I)
_CSS_COMMENT = re.compile(r"/\*.*?\*/", re.S)


def _clean_css_declarations(text: str) -> str:
    text = _CSS_COMMENT.sub("", text)
    return ";".join(d for d in text.split(";") if d.strip() and not _CSS_BAD.search(d))


def clean_stylesheet(text: str) -> str:
    """A ``<style>`` block without any declaration or at-rule that could fetch or escape."""
    text = _CSS_COMMENT.sub("", text)
    text = re.sub(r"@(import|namespace)[^;{}]*;?", "", text, flags=re.I)
    text = re.sub(r"@font-face\s*\{[^}]*\}", "", text, flags=re.I)
    out = []
    for rule in re.split(r"(\{[^{}]*\})", text):
        if rule.startswith("{"):
            out.append("{" + _clean_css_declarations(rule[1:-1]) + "}")
        else:
            out.append(rule.replace("<", "").replace("\\", ""))
    return "".join(out)


def _clean_url(tag: str, name: str, value: str) -> str | None:
    value = value.strip()
    if tag == "img" and name == "src":
        return value if _DATA_IMAGE.fullmatch(value) else None
    if tag == "a" and name == "href" and (_LOCAL_HREF.fullmatch(value) or _WEB_HREF.fullmatch(value)):
        return value
    return None


def _clean_attrs(tag: str, attrs: list[tuple[str, str | None]]) -> list[tuple[str, str]]:
    kept = []
    for name, value in attrs:
        name = name.lower()
        value = value or ""
        allowed = name in GLOBAL_ATTRS or name in TAG_ATTRS.get(tag, ()) or name.startswith(("aria-", "data-"))
        if not allowed or name.startswith("on"):
            continue
        if name in ("href", "src"):
            value = _clean_url(tag, name, value)
            if value is None:
                continue
        elif name == "style":
            value = _clean_css_declarations(value)
        elif name == "tabindex" and value not in ("0", "-1"):
            continue
        kept.append((name, value))
    if tag == "a" and any(n == "href" and _WEB_HREF.fullmatch(v) for n, v in kept):
        kept.append(("rel", "noopener noreferrer nofollow"))
    return kept


class _Sanitiser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.dropping: list[str] = []  # open elements whose content is dropped
        self.in_style = False

    def handle_starttag(self, tag, attrs):
        if self.dropping:
            if tag in DROP_WITH_CONTENT and tag not in VOID:
                self.dropping.append(tag)
            return
        if tag in DROP_WITH_CONTENT:
            self.dropping.append(tag)
            return
        if tag not in ALLOWED_TAGS:
            return
        attrs = _clean_attrs(tag, attrs)
        if tag == "img" and not any(n == "src" for n, _ in attrs):
            return  # an image that would fetch (or nothing): dropped rather than shown broken
        self.in_style = tag == "style"
        kept = "".join(f' {n}="{html.escape(v, quote=True)}"' for n, v in attrs)
        self.out.append(f"<{tag}{kept}>")

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag == "style" and not self.dropping:
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if self.dropping:
            if tag == self.dropping[-1]:
                self.dropping.pop()
            return
        if tag in ALLOWED_TAGS and tag not in VOID:
            self.in_style = False if tag == "style" else self.in_style
            self.out.append(f"</{tag}>")

    def handle_data(self, data):
        if self.dropping:
            return
        self.out.append(clean_stylesheet(data) if self.in_style else html.escape(data, quote=False))


def sanitise(fragment: str) -> str:
    """The fragment rebuilt from the allow-list (see the module's docstring); text re-escaped."""
    parser = _Sanitiser()
    parser.feed(fragment)
    parser.close()
    return "".join(parser.out)


# -- the page ------------------------------------------------------------------------------

CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;max-width:1100px;margin:0 auto;
padding:1rem 1.5rem;color:#1d1d1f;line-height:1.45}
header.report{border-bottom:2px solid #4c72b0;margin-bottom:1rem;padding-bottom:.5rem}
header.report h1{font-size:1.1rem;margin:.2rem 0}
.scroll{overflow-x:auto;max-width:100%}
table{border-collapse:collapse;margin:.5rem 0 1rem;font-size:.85rem}
th,td{border:1px solid #d0d4dc;padding:.25rem .5rem;text-align:left;vertical-align:top}
thead th{background:#eef1f6}
img{max-width:100%;height:auto}
main>table{display:block;overflow-x:auto;max-width:100%}
.meta td:first-child{font-weight:600;white-space:nowrap}
pre{white-space:pre-wrap;overflow-wrap:anywhere;background:#f6f8fa;padding:.5rem;font-size:.8rem}
.jp-OutputArea-output pre, .output_stderr{background:#fff4f4}
.status-ok{color:#176c2c}.status-failed{color:#b00020;font-weight:600}.status-skipped{color:#555}
nav.langs{float:right}
"""


def page(title: str, header: str, body: str, lang: str = "vi") -> str:
    """A whole self-contained page: CSP, viewport, inline CSS, header and (already clean) body."""
    return (f'<!DOCTYPE html>\n<html lang="{html.escape(lang)}">\n<head>\n<meta charset="utf-8">\n'
            f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{html.escape(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n"
            f"{header}\n<main>\n{body}\n</main>\n</body>\n</html>\n")


def export(notebook_path, hide_code: bool) -> str:
    """The executed notebook as a sanitised HTML fragment (code hidden on good pages)."""
    import nbformat
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(template_name="basic")
    exporter.exclude_input = hide_code
    exporter.exclude_input_prompt = True
    exporter.exclude_output_prompt = True
    exporter.anchor_link_text = ""
    book = nbformat.read(str(notebook_path), as_version=4)
    if hide_code:  # papermill's injected-parameters cell and empty code cells show nothing
        book.cells = [c for c in book.cells if c.cell_type == "markdown" or c.get("outputs")]
    body, _ = exporter.from_notebook_node(book)
    return sanitise(_EMPTY_ANCHOR.sub("", body))  # heading anchors without text: links without a name
