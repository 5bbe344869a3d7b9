"""The extractor's "how" strings (figures_trace.csv) read in Vietnamese on vi pages: the split
into fixed phrase, article words and qualifier; every fixed phrase the extractor writes on the
seeds and the paragraph corpus has a ``how:`` label; English pages get the strings unchanged."""

import csv
import re
from functools import cache
from pathlib import Path

import pandas as pd
import pytest

from analysis.extraction.extract import SourceMeta, extract_article, extract_file
from analysis.extraction.knowledge import fold
from analysis.extraction.sources import read_sources
from analysis.reports import pages
from analysis.reports.evidence import Evidence
from analysis.reports.labels import HOW_PREFIX, how_kept, how_text, split_how
from analysis.stats.quality import fallback_figures
from tests.unit.extraction import paragraph_corpus as pc

ROOT = Path(__file__).resolve().parents[3]
HOW_COLUMNS = ("metric_how", "stage_how", "entity_how", "period_how")
_NON_ASCII_LETTER = re.compile(r"[^\x00-\x7f]")


# -- the split ------------------------------------------------------------------------------

@pytest.mark.parametrize("text, parts", [
    ("label before the number: hội viên", ("label before the number", ": ", "hội viên", "")),
    ("document as-of date (event date)", ("document as-of date", " (", "event date", ")")),
    ("'now' in the sentence: document as-of date (event date)",
     ("'now' in the sentence", ": ", "document as-of date (event date)", "")),
    # a ": " inside the brackets is not the top-level one
    ("document as-of date (end of the report period, moved to 2024: the text reports on 2024 as done or present)",
     ("document as-of date", " (", "end of the report period, moved to 2024: the text reports on 2024 as done "
      "or present", ")")),
    ("money raised from them (từ/của N …)", ("money raised from them", " (", "từ/của N …", ")")),
    ("a (b (c)) (d (e))", ("a (b (c))", " (", "d (e)", ")")),
    ("subject", None),
    ("unbalanced (", None),
    ("no space before(x)", None),
    ("(all in brackets)", None),
    ("", None),
])
def test_split_how_gives_phrase_words_and_qualifier(text, parts):
    assert split_how(text) == parts
    if parts:
        assert "".join(parts) == text


def test_how_text_translates_phrases_keeps_article_words_and_unknowns():
    assert how_text("subject", "vi") == "đơn vị chủ thể của bài"
    assert how_text("document report period", "vi") == "kỳ báo cáo của bài"
    assert how_text("stage word after it: được công nhận", "vi") == "từ chỉ giai đoạn đứng sau con số: được công nhận"
    assert how_text("'now' in the sentence: document as-of date (event date)", "vi") == \
        "từ “hiện nay / đến nay” trong câu: thời điểm số liệu của bài (ngày diễn ra sự kiện)"
    assert how_text("units graded (xếp loại)", "vi") == "số đơn vị được phân loại (xếp loại)"
    assert how_text("label names giáo viên given an award", "vi") == "nhãn nêu giáo viên được khen thưởng"
    moved = "document as-of date (event date and report year, moved to 2024: the text reports on 2024 as done or present)"
    assert how_text(moved, "vi") == ("thời điểm số liệu của bài (ngày sự kiện và năm báo cáo, chuyển sang năm 2024: "
                                     "bài nói về năm 2024 như việc đã làm hoặc hiện tại)")
    # a phrase the table does not know stays as written, around known ones too
    assert how_text("a rule added tomorrow", "vi") == "a rule added tomorrow"
    assert how_text("a rule added tomorrow: hội viên (event date)", "vi") == \
        "a rule added tomorrow: hội viên (ngày diễn ra sự kiện)"
    assert how_kept("a rule added tomorrow: hội viên (event date)") == ["a rule added tomorrow", "hội viên"]


@pytest.mark.parametrize("odd", [None, float("nan"), "", "(", ")", ": ", " (", "x: ", ": (", "a (b", "((()))", "{how}"])
def test_how_text_never_fails(odd):
    for lang in ("en", "vi"):
        out = how_text(odd, lang)
        assert isinstance(out, str)
        if isinstance(odd, str):
            assert out == odd or lang == "vi"


def test_how_rows_of_the_table_name_their_phrase_in_english():
    with open(ROOT / "analysis" / "knowledge" / "labels.csv", newline="", encoding="utf-8") as f:
        how = [r for r in csv.DictReader(f) if r["key"].startswith(HOW_PREFIX)]
    assert len(how) > 50
    for r in how:
        assert r["en"] == r["key"][len(HOW_PREFIX):], r["key"]
        assert r["vi"] != r["en"] and _NON_ASCII_LETTER.search(r["vi"]), f"{r['key']}: not Vietnamese"


# -- coverage: every fixed phrase the extractor writes has a vi label -----------------------

@cache
def _traces() -> tuple[tuple[dict, str], ...]:
    """Every trace row of the seeds and of the paragraph corpus, with its article's text."""
    out = []
    metas, _ = read_sources(ROOT / "data" / "raw" / "sources.csv")
    for path in sorted((ROOT / "data" / "raw" / "articles").glob("*.txt")):
        result = extract_file(path, metas.get(path.stem) or SourceMeta(path.stem))
        text = path.read_text(encoding="utf-8")
        out += [(t.row(), text) for t in result.trace]
    for p in pc.load():
        result = extract_article(p.text, SourceMeta(p.source_id, title=p.title, outlet=p.outlet, published=p.published))
        out += [(t.row(), p.text) for t in result.trace]
    return tuple(out)


def _article_words(piece: str, text: str) -> bool:
    """A piece left as written must be the article's (Vietnamese) words, never an English phrase."""
    return bool(_NON_ASCII_LETTER.search(piece)) or fold(piece) in fold(text)


def test_every_how_phrase_of_the_extractor_has_a_vi_label():
    traces = _traces()
    seen: dict[str, set[str]] = {c: set() for c in HOW_COLUMNS}
    missing = set()
    for row, text in traces:
        for col in HOW_COLUMNS:
            how = row[col]
            seen[col].add(how)
            missing |= {(col, how, piece) for piece in how_kept(how) if not _article_words(piece, text)}
            assert how_text(how, "en") == how
    assert not missing, "how-phrases without a vi row (how:<phrase>) in labels.csv:\n" + \
        "\n".join(f"{c}: {h!r} → {p!r}" for c, h, p in sorted(missing))
    # not vacuous: many rows, and each column with its variety of phrases
    assert len(traces) > 500
    assert {c: len(v) >= 5 for c, v in seen.items()} == dict.fromkeys(HOW_COLUMNS, True), \
        {c: len(v) for c, v in seen.items()}
    assert {"subject", "document report period"} <= seen["entity_how"] | seen["period_how"]


def test_the_fallback_column_values_have_labels():
    values = {w for row, _ in _traces() for w in row["fallback"].split()}
    assert values and values <= {"entity", "period"}
    for w in values:
        assert pages.label(f"fallback_{w}", "vi") != f"fallback_{w}"


# -- the overview's table -------------------------------------------------------------------

def test_fallback_table_shows_how_in_the_page_language(stats_figures):
    df = stats_figures.head(2)
    trace = pd.DataFrame({
        "source_id": df["source_id"], "start": df["start"].astype(int), "metric": df["metric"],
        "fallback": ["entity", "period"], "entity_how": ["subject", "level named with the figure"],
        "entity_words": ["", "<b>huyện</b>"],
        "period_how": ["document report period", "'now' in the sentence: document as-of date (event date)"],
        "period_words": ["", "hiện nay"]})
    rows = fallback_figures(df, trace)
    assert len(rows) == 2
    vi = str(pages.fallback_view(rows, Evidence(df, "vi"), "vi"))
    assert "đơn vị chủ thể của bài" in vi and "kỳ báo cáo của bài" in vi
    assert "từ “hiện nay / đến nay” trong câu: thời điểm số liệu của bài (ngày diễn ra sự kiện) (hiện nay)" in vi
    assert "cách xác định địa bàn" in vi and "&lt;b&gt;huyện&lt;/b&gt;" in vi and "<b>huyện" not in vi
    assert "document report period" not in vi and "subject" not in vi
    en = str(pages.fallback_view(rows, Evidence(df, "en"), "en"))
    assert "document report period" in en and "'now' in the sentence: document as-of date (event date)" in \
        en.replace("&#x27;", "'").replace("&#39;", "'")


def _undated(warning: str) -> str:
    """A warning without the date it ends with (the page keeps that as written)."""
    return re.sub(r": \d{4}-\d{2}-\d{2}$", "", warning)


@cache
def _reasons_and_warnings() -> tuple[tuple[str, str], ...]:
    """Every residue reason and article warning the extractor writes on the seeds, the held-out
    sets and the paragraph corpus, with its article's text."""
    out = []
    metas, _ = read_sources(ROOT / "data" / "raw" / "sources.csv")
    paths = sorted((ROOT / "data" / "raw" / "articles").glob("*.txt"))
    for path in paths + sorted((ROOT / "tests" / "heldout").glob("*/articles/*.txt")):
        result = extract_file(path, metas.get(path.stem) or SourceMeta(path.stem))
        text = path.read_text(encoding="utf-8")
        out += [(r.reason, text) for r in result.residue] + [(_undated(w), text) for w in result.warnings]
    for p in pc.load():
        result = extract_article(p.text, SourceMeta(p.source_id, title=p.title, outlet=p.outlet, published=p.published))
        out += [(r.reason, p.text) for r in result.residue] + [(_undated(w), p.text) for w in result.warnings]
    return tuple(out)


def test_every_residue_reason_and_warning_of_the_extractor_reads_in_vi():
    """The overview shows why each number was passed over and each article's warnings: on a vi
    page no English phrase is left, only the article's own words (a date is kept as written)."""
    found = _reasons_and_warnings()
    missing = {(text, piece) for text, article in found for piece in how_kept(text)
               if not _article_words(piece, article)}
    assert not missing, "reasons/warnings without a vi row (how:<phrase>) in labels.csv:\n" + \
        "\n".join(f"{t!r} → {p!r}" for t, p in sorted(missing))
    kinds = {t for t, _ in found}
    assert len(found) > 100 and {"year", "part of a period phrase"} <= kinds, len(found)
