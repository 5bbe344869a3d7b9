"""read → process → save: per-row validation (issue 15), formula prefixes, a full disk."""

import csv
import errno
import json

import pytest

from analysis.extraction import pipeline
from analysis.table import outputs

ARTICLE = ("Hội Khuyến học huyện Tam Dương sơ kết 6 tháng đầu năm 2024\n"
           "Tính đến tháng 6/2024, toàn huyện có {n} chi hội khuyến học với hơn 9.800 hội viên. "
           "Quỹ khuyến học vận động được 1,2 tỷ đồng.\n")


def corpus(tmp_path, names=("a", "b", "c")):
    arts = tmp_path / "articles"
    arts.mkdir()
    for i, name in enumerate(names):
        (arts / f"{name}.txt").write_text(ARTICLE.format(n=130 + i), encoding="utf-8")
    return arts


def rows(path):
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture
def impossible_b(monkeypatch):
    """A test double of the extractor: article b's first figure gets its period backwards."""
    real = pipeline.extract_file

    def double(path, meta=None, max_bytes=None):
        res = real(path, meta, max_bytes)
        if meta.source_id == "b":
            res.figures[0].period_start = "2024-12-31"
        return res

    monkeypatch.setattr(pipeline, "extract_file", double)


def test_one_impossible_row_is_quarantined_and_the_rest_written(tmp_path, impossible_b):
    arts = corpus(tmp_path)
    warned = []
    out = tmp_path / "processed" / "figures.csv"
    summary = pipeline.run_extract(arts, None, out, None, echo=lambda s: None, warn=warned.append)
    figures = rows(out)
    assert summary.rejected == 1 and len(figures) == 8
    assert {r["source_id"] for r in figures} == {"a", "b", "c"}
    [bad] = rows(out.parent / "rejected.csv")
    assert (bad["source_id"], bad["metric"], bad["rule"]) == ("b", "branches", "period_start after period_end")
    assert "131 chi hội" in bad["quote"]
    assert any("b.txt: row at" in w and "rejected: period_start after period_end" in w for w in warned)
    arts_rows = {r["source_id"]: r for r in rows(out.parent / "articles.csv")}
    assert arts_rows["b"]["rejected"] == "1" and arts_rows["b"]["figures"] == "2" and arts_rows["a"]["rejected"] == "0"
    meta = json.loads((out.parent / "figures.meta.json").read_text())
    assert meta["rows"]["rejected"] == 1
    from analysis.stats.load import load_rejected

    assert load_rejected(out.parent)["rule"].tolist() == ["period_start after period_end"]


def test_cli_exits_1_and_counts_rejected_rows(tmp_path, impossible_b, capsys):
    from analysis.cli import main

    arts = corpus(tmp_path)
    out = tmp_path / "processed" / "figures.csv"
    code = main(["extract", "--articles", str(arts), "--out", str(out), "--curated", "none",
                 "--sources", str(tmp_path / "sources.csv")])
    err = capsys.readouterr()
    assert code == 1
    assert "3 of 3 articles read: 8 figures" in err.out and "1 rejected" in err.out
    assert "b.txt: row at" in err.err and "Traceback" not in err.err


def test_curated_addition_that_breaks_the_contract_is_refused_with_its_row(tmp_path):
    arts = corpus(tmp_path)
    cur = tmp_path / "curated"
    cur.mkdir()
    header = "source_id,entity,level,province,period_start,period_end,metric,stage,value,value_max,unit,bound," \
             "subgroup,quote,start,end,reason\n"
    (cur / "additions.csv").write_text(
        header + "a,Tam Dương,district,Vĩnh Phúc,,2024-06-30,donors,actual,5,,percent,exact,,5 doanh nghiệp,5,10,x\n"
        "a,=HYPERLINK(\"http://x\"),district,Vĩnh Phúc,,2024-06-30,donors,actual,7,,count,exact,@SUM(1),"
        "-7 doanh nghiệp,11,20,y\n", encoding="utf-8")
    warned = []
    out = tmp_path / "processed" / "figures.csv"
    pipeline.run_extract(arts, None, out, cur, echo=lambda s: None, warn=warned.append)
    assert any("additions.csv:2: invalid: breaks the contract: unit 'percent' but donors is measured in count" in w
               for w in warned)
    donors = [r for r in rows(out) if r["metric"] == "donors"]
    assert len(donors) == 1
    assert donors[0]["entity"] == "'=HYPERLINK(\"http://x\")" and donors[0]["subgroup"] == "'@SUM(1)"
    assert donors[0]["quote"] == "'-7 doanh nghiệp" and donors[0]["value"] == "7" and donors[0]["start"] == "11"


def test_safe_cell_keeps_numbers_numeric():
    assert pipeline._cell(-5.0, True) == "-5" and pipeline._cell("-5", False) == "'-5"
    assert pipeline.safe_cell("=1+1") == "'=1+1" and pipeline.safe_cell("Hội") == "Hội"


def test_disk_full_leaves_the_previous_set(tmp_path, monkeypatch, capsys):
    from analysis.cli import main

    arts = corpus(tmp_path)
    out = tmp_path / "processed" / "figures.csv"
    args = ["extract", "--articles", str(arts), "--out", str(out), "--curated", "none",
            "--sources", str(tmp_path / "sources.csv")]
    assert main(args) == 0
    before = {p.name: p.read_bytes() for p in out.parent.iterdir() if p.is_file()}
    (arts / "d.txt").write_text(ARTICLE.format(n=150), encoding="utf-8")

    def full(path, data):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(outputs, "write_bytes", full)
    capsys.readouterr()
    assert main(args) == 74
    err = capsys.readouterr().err
    assert "cannot write figures.csv: the disk is full; the previous outputs are unchanged" in err
    assert "Traceback" not in err
    assert {p.name: p.read_bytes() for p in out.parent.iterdir() if p.is_file()} == before
    assert not list((out.parent / ".sets").glob(".tmp-*"))


def test_an_extractor_fault_on_one_article_is_that_articles_error(tmp_path, monkeypatch):
    arts = corpus(tmp_path)
    real = pipeline.extract_file

    def faulty(path, meta=None, max_bytes=None):
        if meta.source_id == "c":
            raise IndexError("list index out of range")
        return real(path, meta, max_bytes)

    monkeypatch.setattr(pipeline, "extract_file", faulty)
    warned = []
    out = tmp_path / "processed" / "figures.csv"
    summary = pipeline.run_extract(arts, None, out, None, echo=lambda s: None, warn=warned.append)
    assert [o.source_id for o in summary.failed] == ["c"]
    assert any(w.endswith("c.txt: the extractor failed on this article (IndexError: list index out of range); "
                          "the other articles are written — please report it") for w in warned)
    assert {r["source_id"] for r in rows(out)} == {"a", "b"}


def test_rows_quarantine_keeps_pass_the_whole_table_schema(figure_row):
    """save() no longer runs the schema a second time: what quarantine keeps must pass it."""
    import pandas as pd

    from analysis.table.schema import COLUMNS, validate

    rows = [{**figure_row, "start": 10 + i, "end": 40 + i} for i in range(8)]
    rows[1]["value"] = "nhiều"
    rows[2]["period_start"] = "2099-01-01"
    rows[3]["metric"] = "volunteers"
    rows[4]["start"] = "x1"
    rows[5]["start"] = "10"  # the same key as row 0, written as text
    rows[6]["value_max"] = 1.0  # below value, and bound is not a range
    rows += [{**figure_row, "start": 30.0, "end": 50}, {**figure_row, "start": 31, "end": 50, "stage": "target"},
             {**figure_row, "start": 31, "end": 50}]
    kept, bad = pipeline.quarantine(rows)
    assert len(kept) + len(bad) == len(rows) and len(bad) == 7
    assert {r["start"] for r in kept} == {17, 30.0, 31} and len(kept) == 4
    validate(pd.DataFrame(kept, columns=COLUMNS))  # raises if the second pass would have refused the table
    pipeline._check_keys(kept, "figures.csv")
    with pytest.raises(Exception, match="the table's key"):
        pipeline._check_keys([*kept, dict(kept[0])], "figures.csv")


def test_trace_and_residue_written_per_article_equal_the_whole_table(tmp_path):
    """Each article's trace is sorted where it is extracted; joined by source_id it is the global order."""
    from analysis.extraction.extract import RESIDUE_FIELDS, SourceMeta, extract_file
    from analysis.extraction.trace import TRACE_COLUMNS, TRACE_PATH_NAME, trace_rows

    arts = corpus(tmp_path, names=("a", "a-b", "a b", "=b"))
    out = tmp_path / "out" / "figures.csv"
    pipeline.run_extract(arts, None, out, None, echo=lambda s: None, warn=lambda s: None)
    results = [extract_file(p, SourceMeta(p.stem)) for p in sorted(arts.glob("*.txt"))]
    trace = pipeline._csv_bytes(trace_rows(results), TRACE_COLUMNS)
    residue = pipeline._csv_bytes([x.row() for r in results for x in r.residue], RESIDUE_FIELDS)
    assert (out.parent / TRACE_PATH_NAME).read_bytes() == trace
    assert (out.parent / "residue.csv").read_bytes() == residue
    # articles.csv and residue.csv follow the files' order, the trace the ids' order ("a" before "a b")
    assert [r["source_id"] for r in rows(out.parent / "articles.csv")] == ["'=b", "a b", "a-b", "a"]
    assert [r["source_id"] for r in rows(out.parent / TRACE_PATH_NAME)][::3] == ["'=b", "a", "a b", "a-b"]
