import pytest

from analysis.extraction.curation import apply_curation


def write(tmp_path, name, text):
    (tmp_path / name).write_text(text, encoding="utf-8")


def test_fix_drop_add_and_unmatched(tmp_path, figure_row):
    other = {**figure_row, "metric": "branches", "value": 111, "start": 40, "end": 51}
    write(tmp_path, "corrections.csv",
          "source_id,start,metric,action,field,value,reason\n"
          "a,10,members,fix,bound,exact,the article rounds\n"
          "a,40,branches,drop,,,false figure\n"
          "a,99,members,fix,value,1,stale key\n")
    header = ",".join(figure_row) + ",reason\n"
    write(tmp_path, "additions.csv", header + "a,Quế Võ,district,Bắc Ninh,,2023-08-04,donors,actual,5,,count,"
                                              "exact,,5 doanh nghiệp,60,75,missed\n")
    rows, log = apply_curation([figure_row, other], tmp_path)
    assert [(r["metric"], r["bound"]) for r in rows] == [("members", "exact"), ("donors", "exact")]
    assert [e.status for e in log] == ["applied", "applied", "unmatched", "applied"]


def test_invalid_field_is_reported(tmp_path, figure_row):
    write(tmp_path, "corrections.csv", "source_id,start,metric,action,field,value,reason\n"
                                       "a,10,members,fix,colour,red,?\n")
    rows, log = apply_curation([figure_row], tmp_path)
    assert rows[0]["value"] == 72000 and log[0].status == "invalid"


# -- curated tables read as tables, row by row (issue 13) -----------------------------------

HEAD = "source_id,start,metric,action,field,value,reason\n"


def _log(log):
    return [(e.line, e.status, e.detail) for e in log]


@pytest.mark.parametrize("line,status,detail", [
    ("a,10,members,fix,value,nhiều,x\n", "invalid", "value 'nhiều' is not a number"),
    ("a,mười,members,fix,value,5,x\n", "invalid", "start 'mười' is not a whole number"),
    ("a,10,members,fix,subgroup,thôn, khu,reason\n", "invalid", "8 fields where the header has 7: an unquoted comma"),
    ("a,10,members,fix\n", "invalid", "4 fields where the header has 7: the row is truncated"),
    ("a,10,members,fix,colour,red,x\n", "invalid", "field 'colour' cannot be fixed"),
    ("a,10,members,merge,,,x\n", "invalid", "action 'merge' is not fix or drop"),
    ("a,10,members,fix,period_end,2023-02-30,x\n", "invalid", "period_end must be a date that exists"),
    ("a,10,members,fix,unit,percent,x\n", "invalid", "measured in count"),
])
def test_bad_correction_rows_are_named_and_refused(tmp_path, figure_row, line, status, detail):
    write(tmp_path, "corrections.csv", HEAD + "a,10,members,fix,bound,exact,ok\n" + line)
    rows, log = apply_curation([figure_row], tmp_path)
    assert log[0].status == "applied" and rows[0]["bound"] == "exact"
    assert log[1].line == 3 and log[1].status == status and detail in log[1].detail
    assert rows[0]["value"] == 72000 and rows[0]["unit"] == "count"


def test_two_conflicting_fixes_of_one_key_are_both_refused(tmp_path, figure_row):
    write(tmp_path, "corrections.csv", HEAD + "a,10,members,fix,value,71000,one\n"
                                              "a,10,members,fix,value,73000,two\n")
    rows, log = apply_curation([figure_row], tmp_path)
    assert [e.status for e in log] == ["conflict", "conflict"]
    assert "line(s) 3" in log[0].detail and "line(s) 2" in log[1].detail
    assert rows[0]["value"] == 72000


def test_fix_and_drop_of_one_key_conflict(tmp_path, figure_row):
    write(tmp_path, "corrections.csv", HEAD + "a,10,members,drop,,,false\na,10,members,fix,bound,exact,x\n")
    rows, log = apply_curation([figure_row], tmp_path)
    assert [e.status for e in log] == ["conflict", "conflict"] and len(rows) == 1


def test_the_same_correction_twice_counts_once(tmp_path, figure_row):
    write(tmp_path, "corrections.csv", HEAD + "a,10,members,fix,value,71000,x\na,10,members,fix,value,71000,x\n")
    rows, log = apply_curation([figure_row], tmp_path)
    assert [e.status for e in log] == ["applied", "duplicate"] and "line 2" in log[1].detail
    assert rows[0]["value"] == "71000"


@pytest.mark.parametrize("encoding", ["utf-16", "utf-8-sig", "utf-16-be"])
def test_utf16_and_bom_files_are_read(tmp_path, figure_row, encoding):
    (tmp_path / "corrections.csv").write_bytes((HEAD + "a,10,members,fix,subgroup,thôn,x\n").encode(encoding))
    rows, log = apply_curation([figure_row], tmp_path)
    assert log[0].status == "applied" and rows[0]["subgroup"] == "thôn"


def test_a_file_in_another_encoding_is_refused_whole(tmp_path, figure_row):
    (tmp_path / "corrections.csv").write_bytes((HEAD + "a,10,members,fix,subgroup,thôn,x\n").encode("cp1258"))
    rows, log = apply_curation([figure_row], tmp_path)
    assert [(e.line, e.status) for e in log] == [(1, "invalid")]
    assert "not UTF-8 or UTF-16" in log[0].detail and rows[0]["subgroup"] == ""


def test_unknown_columns_refuse_the_file(tmp_path, figure_row):
    write(tmp_path, "corrections.csv", "source_id,start,metric,action,field,valeu,reason\na,10,members,drop,,,x\n")
    rows, log = apply_curation([figure_row], tmp_path)
    assert log[0].status == "invalid" and "unknown column(s) 'valeu'" in log[0].detail and len(rows) == 1


def _addition(figure_row, **change):
    row = {**figure_row, "metric": "donors", "value": 5, "quote": "5 doanh nghiệp", "start": 60, "end": 75,
           "bound": "exact", **change}
    return ",".join("" if v is None else str(v) for v in row.values()) + ",missed\n"


def test_additions_checked_against_the_batch(tmp_path, figure_row):
    header = ",".join(figure_row) + ",reason\n"
    write(tmp_path, "additions.csv", header + _addition(figure_row) + _addition(figure_row)
          + _addition(figure_row, source_id="ghost")
          + _addition(figure_row, start=900, end=950, metric="awards_paid", unit="vnd")
          + _addition(figure_row, start=80, end=85, value="-3")
          + _addition(figure_row, start=86, end=88)[:20] + "\n")
    rows, log = apply_curation([figure_row], tmp_path, {"a": 200})
    assert _log(log) == [
        (2, "applied", "missed"), (3, "duplicate", "same addition as line 2: added once"),
        (4, "invalid", "no article 'ghost' was read in this batch"),
        (5, "invalid", "start 900, end 950 lie outside the article's text (200 characters)"),
        (6, "invalid", "breaks the contract: value must not be negative (got -3.0)"),
        (7, "invalid", log[5].detail),
    ]
    assert "truncated" in log[5].detail
    assert sorted(r["metric"] for r in rows) == ["donors", "members"]


def test_two_different_additions_of_one_key_conflict(tmp_path, figure_row):
    header = ",".join(figure_row) + ",reason\n"
    write(tmp_path, "additions.csv", header + _addition(figure_row) + _addition(figure_row, value=6))
    rows, log = apply_curation([figure_row], tmp_path, {"a": 200})
    assert [e.status for e in log] == ["conflict", "conflict"] and len(rows) == 1
