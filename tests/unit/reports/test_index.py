"""The indexes: both languages from the label table, failed first, fallbacks from the trace."""

import csv
import re

from analysis.reports.index import (
    TRACE_FILE,
    areas_without_trends,
    fallback_count,
    read_trace,
    write_indexes,
)
from analysis.reports.labels import _table

ROWS = [{"source_id": "a", "start": "1", "entity": "Thái Bình"}, {"source_id": "a", "start": "9", "entity": "Hà Nam"},
        {"source_id": "b", "start": "3", "entity": "Hà Nam"}]


def _trace(tmp_path, header, rows):
    with open(tmp_path / TRACE_FILE, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)
    return tmp_path / "figures.csv"


def test_no_trace_file_degrades(tmp_path):
    assert read_trace(tmp_path / "figures.csv") is None
    assert fallback_count(None, ROWS) is None


def test_trace_counts_fallbacks_in_scope(tmp_path):
    figures = _trace(tmp_path, ["source_id", "start", "entity_rule", "period_rule"],
                     [["a", "1", "fallback:dateline", "explicit"], ["a", "9", "explicit", "fallback-publication"],
                      ["b", "3", "explicit", "explicit"]])
    trace = read_trace(figures)
    assert trace["total"] == 2
    assert fallback_count(trace, ROWS) == 2
    assert fallback_count(trace, [r for r in ROWS if r["entity"] == "Hà Nam"]) == 1


def test_the_extractors_trace_format(tmp_path):
    rows = [{**r, "metric": "members"} for r in ROWS]
    figures = _trace(tmp_path, ["source_id", "start", "metric", "entity_how", "period_how", "fallback"],
                     [["a", "1", "members", "no subject found", "own phrase", "entity"],
                      ["a", "9", "members", "subject", "fallback: publication year", "period"],
                      ["a", "9", "fund_raised", "subject", "document", "entity period"],
                      ["b", "3", "members", "subject", "own phrase", ""]])
    trace = read_trace(figures)
    assert trace["total"] == 3
    assert fallback_count(trace, rows) == 2  # keyed by source_id, start and metric


def test_trace_without_keys_gives_the_total(tmp_path):
    figures = _trace(tmp_path, ["figure", "entity_rule"], [["1", "fallback"], ["2", "title"]])
    assert fallback_count(read_trace(figures), ROWS) == 1


def test_areas_without_trends():
    rows = [{"entity": "A", "period_end": "2020-12-31"}, {"entity": "A", "period_end": "2020-12-31"},
            {"entity": "B", "period_end": ""}, {"entity": "C", "period_end": "2020-12-31"},
            {"entity": "C", "period_end": "2021-12-31"}, {"entity": "D", "period_end": "2021-12-31"},
            {"entity": "D", "period_end": "2022-06-30"}]
    assert areas_without_trends(rows, ["D"]) == [("A", "index_no_trends_one"), ("B", "index_no_trends_undated"),
                                                 ("C", "index_no_trends_mixed")]


def test_index_labels_exist_in_both_languages():
    table = _table()
    keys = [k for k in table if k.startswith(("index_", "lang_"))]
    assert len(keys) > 20
    for k in keys:
        assert table[k]["en"].strip() and table[k]["vi"].strip(), k


def test_indexes_in_both_languages(tmp_path):
    (tmp_path / "ok.html").write_text("x", encoding="utf-8")
    (tmp_path / "ok.en.html").write_text("x", encoding="utf-8")
    (tmp_path / "bad.error.html").write_text("x", encoding="utf-8")
    ok = {"name": "ok", "status": "ok", "parameters": {"entity": "<b>Thái Bình</b>"}, "figures_sha256": "ab" * 32,
          "figures": 7, "fallbacks": 2, "rendered_at": "2026-01-01 00:00:00 UTC"}
    bad = {"name": "bad", "status": "failed", "parameters": {}, "error": "The notebook stopped in cell 3 with X: y"}
    by_lang = {"vi": [{**ok, "page": "ok"}, {**bad, "page": "bad"}],
               "en": [{**ok, "page": "ok.en"}, {**bad, "page": "bad.en"}]}
    vi, en = write_indexes(tmp_path, by_lang, ("vi", "en"), [("Hà Nam", "index_no_trends_one")])
    assert (vi.name, en.name) == ("index.html", "index.en.html")
    vi_text, en_text = vi.read_text(encoding="utf-8"), en.read_text(encoding="utf-8")
    assert '<html lang="vi">' in vi_text and '<html lang="en">' in en_text
    assert 'href="index.en.html"' in vi_text and 'href="index.html"' in en_text
    assert vi_text.index("bad") < vi_text.index('href="ok.html"')  # failed first
    assert 'href="bad.error.html"' in vi_text and "lỗi" in vi_text and "failed" in en_text
    assert "&lt;b&gt;Thái Bình&lt;/b&gt;" in vi_text and "<b>Thái" not in vi_text
    assert re.search(r"<td>7 \(abababababab…\)</td><td>2</td>", vi_text)
    assert "Địa bàn chưa có trang xu hướng" in vi_text and "Areas without a trends page" in en_text
    assert "<script" not in vi_text + en_text
