"""Reading what people actually hold — saved web pages, Word reports, PDFs, plain text — as
article text plus whatever metadata the file itself carries.

One reader per format; each returns a :class:`Found` (text NFC-normalised by
:func:`analysis.extraction.textio.normalise_text`, title, outlet, date, URL where the file
states them) or raises :class:`IntakeError` naming what is wrong. Nothing here writes files:
:mod:`analysis.extraction.add` does that.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from analysis.extraction.textio import ArticleError, decode_bytes, normalise_text, read_article

FORMATS = (".txt", ".html", ".htm", ".docx", ".pdf")


class IntakeError(ValueError):
    """A file that cannot be taken in; the message says why (the caller adds the file name)."""


@dataclass
class Found:
    """An article as read from one file: the text and the metadata the file itself states."""

    text: str
    kind: str  # txt | html | docx | pdf
    title: str = ""
    outlet: str = ""
    published: date | None = None
    url: str = ""
    encoding: str = ""


def read_document(path: str | Path) -> Found:
    """Read one file of any supported format; raises :class:`IntakeError`."""
    path = Path(path)
    reader = _READERS.get(path.suffix.lower())
    if reader is None:
        raise IntakeError(f"unsupported file type {path.suffix or '(no extension)'!r}: "
                          f"use one of {', '.join(FORMATS)}")
    if not path.is_file():
        raise IntakeError("no such file")
    found = reader(path)
    try:
        found.text = _finish(found.text)
    except ArticleError as exc:
        raise IntakeError(str(exc)) from None
    found.title = _one_line(found.title)
    found.outlet = _one_line(found.outlet)
    return found


def _finish(text: str) -> str:
    text = normalise_text(text)
    text = re.sub(r"[ ]+\n", "\n", text).strip("\n ")
    if not text:
        raise ArticleError("no text")
    return text + "\n"


def _one_line(text: str | None) -> str:
    return " ".join((text or "").split())[:300]


# -- plain text --------------------------------------------------------------------------

def read_txt(path: Path) -> Found:
    """A ``.txt`` file in any encoding :mod:`textio` knows; the title is its first line if
    that line reads like a headline (short, no full stop)."""
    try:
        decoded = read_article(path)
    except ArticleError as exc:
        raise IntakeError(str(exc)) from None
    return Found(decoded.text, "txt", title=_headline(decoded.text), encoding=decoded.encoding)


def _headline(text: str) -> str:
    for line in text.splitlines():
        line = line.strip()
        if line:
            return line if len(line) <= 200 and not line.endswith((".", ":", ";")) else ""
    return ""


# -- a web page saved from a browser -----------------------------------------------------

MIN_BODY_CHARS = 80  # less main text than this is a page without an article (menus, footers)


def read_html(path: Path) -> Found:
    """A saved web page: main text, title, site name, date and URL with ``trafilatura``.

    The date is taken from the page's metadata only (``<meta>``, JSON-LD, the URL), never
    guessed from the body; the extractor infers it from the text later if it is missing.
    The title heads the text, as in a ``.txt`` article.
    """
    import trafilatura

    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
    logging.getLogger("htmldate").setLevel(logging.CRITICAL)
    data = path.read_bytes()
    try:
        markup = decode_bytes(data).text
    except ArticleError as exc:
        raise IntakeError(str(exc)) from None
    doc = trafilatura.bare_extraction(markup, with_metadata=True, include_comments=False,
                                      include_tables=True, favor_precision=True,
                                      date_extraction_params={"extensive_search": False,
                                                              "original_date": True})
    body = (getattr(doc, "text", None) or "").strip() if doc is not None else ""
    if len(body) < MIN_BODY_CHARS:
        raise IntakeError(f"no article body found in the page ({len(body)} characters of main text)")
    title = _one_line(getattr(doc, "title", "") or "")
    text = f"{title}\n\n{body}" if title and not body.startswith(title) else body
    return Found(text, "html", title=title, outlet=getattr(doc, "sitename", "") or "",
                 published=_iso_date(getattr(doc, "date", None)), url=getattr(doc, "url", "") or "")


def _iso_date(text: str | None) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(str(text)[:10])
    except ValueError:
        return None


# -- a Word report -----------------------------------------------------------------------

def read_docx(path: Path) -> Found:
    """A ``.docx`` report: paragraphs and tables in document order, a table row per line
    (cells separated by `` | ``); the title from the document properties or its first
    Title/Heading paragraph."""
    import docx
    from docx.table import Table

    try:
        document = docx.Document(str(path))
        blocks = list(document.iter_inner_content())
    except Exception as exc:  # noqa: BLE001 — python-docx raises zip, XML and key errors alike
        raise IntakeError(f"not a readable Word document ({type(exc).__name__}: {exc})") from None
    lines, heading = [], ""
    for block in blocks:
        if isinstance(block, Table):
            lines += _table_lines(block)
            continue
        text = block.text.strip()
        style = (block.style.name if block.style is not None else "") or ""
        if text and not heading and style.lower().startswith(("title", "heading")):
            heading = text
        lines.append(text)
    title = (document.core_properties.title or "").strip() or heading
    return Found("\n".join(lines), "docx", title=title)


def _table_lines(table) -> list[str]:
    out = []
    for row in table.rows:
        cells: list[str] = []
        for cell in row.cells:  # a merged cell repeats: keep it once
            text = " ".join(cell.text.split())
            if text and (not cells or cells[-1] != text):
                cells.append(text)
        if cells:
            out.append(" | ".join(cells))
    return out


# -- a PDF with a text layer -------------------------------------------------------------

def read_pdf(path: Path) -> Found:
    """A PDF's text layer with ``pdfplumber``, page by page; lines broken inside a sentence
    are joined again. A scan (no text) is refused: run OCR first."""
    import pdfplumber

    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    try:
        with pdfplumber.open(str(path)) as pdf:
            pages = [page.extract_text() or "" for page in pdf.pages]
            info = pdf.metadata or {}
    except Exception as exc:  # noqa: BLE001 — pdfminer raises many kinds of syntax errors
        raise IntakeError(f"not a readable PDF ({type(exc).__name__}: {exc})") from None
    text = "\n\n".join(_unwrap(p) for p in pages if p.strip())
    if not any(ch.isalpha() for ch in text):
        raise IntakeError("no text layer: run OCR first")
    title = info.get("Title", "")
    if isinstance(title, bytes):
        title = title.decode("utf-8", errors="replace")
    return Found(text, "pdf", title=str(title or "").strip() or _headline(text))


_SENTENCE_END = (".", "!", "?", ":", ";", "…")


def _unwrap(page: str) -> str:
    """Join a line to the previous one when the previous does not end a sentence and the
    line starts in lower case, with a number or a quotation mark (a line wrapped by the
    layout, not a new paragraph or list item)."""
    out: list[str] = []
    for line in page.splitlines():
        line = line.strip()
        if out and out[-1] and line and not out[-1].endswith(_SENTENCE_END) and _continues(line):
            out[-1] += " " + line
        else:
            out.append(line)
    return "\n".join(out)


_LIST_ITEM = re.compile(r"^(?:\d{1,2}|[IVXivx]{1,4}|[a-zđ])[.)]\s")


def _continues(line: str) -> bool:
    """A line that goes on with the sentence above: lower case, a number (not a list item's
    ``1.``, ``a)``), or a quotation opening inside it."""
    if _LIST_ITEM.match(line):
        return False
    return line[0].islower() or line[0].isdigit() or (line[0] in "\"“‘'(" and len(line) > 1)


_READERS: dict[str, Callable[[Path], Found]] = {
    ".txt": read_txt, ".html": read_html, ".htm": read_html, ".docx": read_docx, ".pdf": read_pdf,
}
