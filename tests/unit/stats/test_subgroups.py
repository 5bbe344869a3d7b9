"""Subgroup words → classes, from analysis/knowledge/subgroups.csv (its examples are tests)."""

import csv

import pandas as pd
import pytest

from analysis.stats.subgroups import TABLE, apply_classes, classify, disjoint, unknown_subgroups

with open(TABLE, encoding="utf-8", newline="") as fh:
    EXAMPLES = [(r["example"], r["expect"]) for r in csv.DictReader(fh)]


@pytest.mark.parametrize("text,expect", EXAMPLES)
def test_every_table_example_reads_as_stated(text, expect):
    """Each row's example subgroup reads as the classes its ``expect`` column lists, with no unknown word."""
    read = classify(text)
    assert read.classes == tuple(sorted(expect.split(","))) and not read.unknown


def test_kinds_and_qualifier():
    """An empty subgroup is the whole; ``tổng quỹ`` states the whole; ``số dư`` a balance; ``lượt``
    occurrences; ``bình quân mỗi năm`` an average; the bracketed honour is kept as a qualifier."""
    assert classify("").kind == "whole"
    assert classify("tổng quỹ").kind == "whole"
    assert classify("số dư").kind == "balance"
    assert classify("lượt").kind == "occurrences"
    assert classify("bình quân mỗi năm").kind == "average"
    c = classify("cá nhân (Giấy khen tỉnh Hội)")
    assert (c.classes, c.kind, c.qualifier) == (("individuals",), "part", "Giấy khen tỉnh Hội")
    assert classify("học sinh giỏi, giáo viên dạy giỏi").classes == ("pupils", "teachers")


def test_unknown_words_are_reported_not_guessed():
    """A word the table lacks stays unknown (no class guessed) and is listed with its rows."""
    df = pd.DataFrame({"subgroup": ["học sinh", "người cao tuổi", "người cao tuổi", ""],
                       "metric": ["award_recipients"] * 4, "source_id": ["a", "b", "c", "a"]})
    out = apply_classes(df)
    assert list(out["subgroup_class"]) == ["pupils", "", "", ""]
    assert list(out["subgroup"]) == list(df["subgroup"])  # raw subgroup kept
    unk = unknown_subgroups(out)
    assert unk.to_dict("records") == [{"word": "người cao tuổi", "rows": 2, "metrics": "award_recipients",
                                       "sources": ["b", "c"]}]


def test_disjointness():
    """Pupils and teachers are disjoint; pupils and 'pupils, teachers' are not; two honours of
    individuals (different qualifiers) are; an unknown word never is."""
    assert disjoint(classify("học sinh"), classify("giáo viên"))
    assert not disjoint(classify("học sinh"), classify("học sinh giỏi, giáo viên"))
    assert not disjoint(classify("học sinh giỏi cấp thành phố"), classify("học sinh giỏi quốc gia"))
    assert disjoint(classify("cá nhân (Bằng khen)"), classify("cá nhân (Giấy khen)"))
    assert not disjoint(classify("học sinh"), classify("người cao tuổi"))


def test_parts_along_two_dimensions_overlap():
    """600 pupils and 200 scholarships may be the same pupils: pupils (who) and scholarships
    (award) are never disjoint; districts and communes (level) are; clans and a named fund are not."""
    assert not disjoint(classify("học sinh"), classify("suất học bổng"))
    assert disjoint(classify("huyện, thành phố"), classify("xã, phường, thị trấn"))
    assert not disjoint(classify("dòng họ"), classify("Quỹ khuyến học Lê Văn Tám"))
    assert classify("suất học bổng").dimensions == ("award",)


def test_every_subgroup_class_has_a_label_in_both_languages():
    """A class shown on a page is named in the page's language (no English left on vi pages)."""
    import csv

    from analysis.paths import KNOWLEDGE_DIR
    from analysis.reports.labels import label

    with open(KNOWLEDGE_DIR / "subgroups.csv", encoding="utf-8") as f:
        classes = {r["class"] for r in csv.DictReader(f)}
    missing = [c for c in sorted(classes) if label(f"sgc_{c}", "vi") == f"sgc_{c}"]
    assert not missing, missing
