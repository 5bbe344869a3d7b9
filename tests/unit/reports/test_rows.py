"""Figures rows as the grid sees them: malformed rows set aside with their line; report scopes."""

import csv

import pytest

from analysis.reports.rows import read_rows, row_problem, scope, write_clean_copy
from analysis.table.schema import COLUMNS

PROVINCES = [{"province": "Thái Bình", "cluster": "3"}, {"province": "Bắc Kạn", "cluster": "1"}]


def _write(path, rows):
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=COLUMNS)
        w.writeheader()
        w.writerows(rows)


@pytest.mark.parametrize("change,problem", [
    ({"period_end": "2023-02-30"}, "period_end '2023-02-30' is not a date"),
    ({"period_end": "30/06/2023"}, "is not a date"),
    ({"metric": "volunteers"}, "metric 'volunteers' is not one of"),
    ({"value": "mười"}, "value 'mười' is not a number"),
    ({"value": "-5"}, "not a non-negative number"),
    ({"value": "nan"}, "not a non-negative number"),
    ({"start": "4.5"}, "start '4.5' is not a number"),
    ({"source_id": ""}, "source_id is empty"),
    ({"period_start": "2024-01-01", "period_end": "2023-12-31"}, "period_start 2024-01-01 is after period_end"),
])
def test_row_problems(figure_row, change, problem):
    row = {k: "" if v is None else str(v) for k, v in figure_row.items()}
    assert row_problem(row) == ""
    assert problem in row_problem({**row, **change})


def test_read_rows_names_the_line(tmp_path, figure_row):
    row = {k: "" if v is None else str(v) for k, v in figure_row.items()}
    path = tmp_path / "figures.csv"
    _write(path, [row, {**row, "period_end": "2023-02-30"}, row])
    with open(path, "a", encoding="utf-8") as f:
        f.write("a,b,c\n")
    good, bad = read_rows(path)
    assert len(good) == 2
    assert [(b.line, b.problem.split(" ")[0]) for b in bad] == [(3, "period_end"), (5, "wrong")]
    assert bad[0].describe(path).startswith("figures.csv line 3 (a at 10): period_end")


def test_missing_columns_refused(tmp_path):
    path = tmp_path / "figures.csv"
    path.write_text("source_id,value\na,1\n", encoding="utf-8")
    with pytest.raises(ValueError, match="columns missing: entity"):
        read_rows(path)


def test_scopes():
    tb = {"entity": "Thái Bình", "province": "Thái Bình"}
    district = {"entity": "Đông Hưng", "province": "Thái Bình"}
    bk = {"entity": "Bắc Kạn", "province": "Bắc Kạn"}
    rows = [tb, district, bk]
    assert [r for r in rows if scope({"entity": "Thái Bình"}, PROVINCES)(r)] == [tb]
    assert [r for r in rows if scope({"province": "Thái Bình"}, PROVINCES)(r)] == [tb, district]
    assert [r for r in rows if scope({"cluster": "Cụm III"}, PROVINCES)(r)] == [tb, district]
    assert [r for r in rows if scope({"entities": ["Bắc Kạn"], "cluster": "Cụm III"}, PROVINCES)(r)] == [bk]
    assert [r for r in rows if scope({"lang": "vi"}, PROVINCES)(r)] == rows


def test_clean_copy_keeps_siblings(tmp_path, figure_row):
    row = {k: "" if v is None else str(v) for k, v in figure_row.items()}
    src = tmp_path / "processed"
    src.mkdir()
    _write(src / "figures.csv", [row, {**row, "metric": "x"}])
    (src / "articles.csv").write_text("source_id\na\n", encoding="utf-8")
    good, _ = read_rows(src / "figures.csv")
    clean = write_clean_copy(src / "figures.csv", good, tmp_path / "work")
    assert read_rows(clean) == (good, [])
    assert (tmp_path / "work" / "articles.csv").read_text(encoding="utf-8") == "source_id\na\n"
