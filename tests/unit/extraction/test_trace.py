"""The trace beside the figures table says how each figure's metric, stage, entity and period were set."""

import csv

from analysis.extraction.pipeline import run_extract
from analysis.extraction.trace import TRACE_COLUMNS


def test_trace_has_one_row_per_extracted_figure_keyed_like_curation(tmp_path):
    arts = tmp_path / "articles"
    arts.mkdir()
    (arts / "a-2023.txt").write_text(
        "Hội Khuyến học huyện Bình Giang tổng kết năm 2023\n\nNgày 19-12, Hội Khuyến học huyện Bình Giang tổng "
        "kết năm 2023. Toàn huyện có 19.800 hội viên. Xã Thái Học vận động được 410 triệu đồng. Năm 2024, "
        "Hội phấn đấu có 90% gia đình đạt danh hiệu “Gia đình học tập”.\n", encoding="utf-8")
    out = tmp_path / "out" / "figures.csv"
    run_extract(arts, None, out, None, echo=lambda s: None, warn=lambda s: None)
    with open(out, encoding="utf-8") as f:
        figures = list(csv.DictReader(f))
    with open(out.parent / "figures_trace.csv", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        assert reader.fieldnames == TRACE_COLUMNS
        trace = list(reader)
    assert {(r["source_id"], r["start"], r["metric"]) for r in trace} == \
        {(r["source_id"], r["start"], r["metric"]) for r in figures}
    by_metric = {r["metric"]: r for r in trace}
    assert (by_metric["members"]["entity_how"], by_metric["members"]["entity_words"]) == \
        ("level named with the figure", "huyện")
    assert by_metric["members"]["period_how"].startswith("document as-of date")
    assert by_metric["fund_raised"]["entity_how"] == "sub-unit named in the sentence"
    assert by_metric["fund_raised"]["entity_words"] == "Xã Thái Học"
    assert by_metric["learning_families_rate"]["stage_how"].startswith("target word")
    assert by_metric["learning_families_rate"]["period_words"] == "Năm 2024"
    assert by_metric["members"]["fallback"] == ""  # the event day dates it
    assert by_metric["learning_families_rate"]["fallback"] == ""
    with open(out.parent / "articles.csv", encoding="utf-8") as f:
        art = next(csv.DictReader(f))
    assert art["subject_how"] == "headline: huyện Bình Giang"
    assert art["published_how"] == "event date and report year"


def test_fallbacks_are_named():
    from analysis.extraction.extract import SourceMeta, extract_article

    res = extract_article("Các cấp hội có 3.100 hội viên.", SourceMeta("f"))
    assert [t.fallback for t in res.trace] == ["entity period"]
