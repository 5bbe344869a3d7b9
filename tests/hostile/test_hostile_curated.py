"""Hostile curated files through the real CLI: each bad row is named (file:line and why) on
stderr and in curation_log.csv, the run exits 1, no traceback, and the set is complete."""

import csv
import io

import pytest

GOOD = ("Hội Khuyến học huyện Tam Dương sơ kết 6 tháng đầu năm 2024\n"
        "Tính đến tháng 6/2024, toàn huyện có 132 chi hội khuyến học với hơn 9.800 hội viên. "
        "Quỹ khuyến học vận động được 1,2 tỷ đồng.\n")
FIX_HEAD = "source_id,start,metric,action,field,value,reason\n"
ADD_HEAD = ("source_id,entity,level,province,period_start,period_end,metric,stage,value,value_max,unit,bound,"
            "subgroup,quote,start,end,reason\n")
ADD = "good,Tam Dương,district,Vĩnh Phúc,,2024-06-30,donors,actual,{v},,count,exact,,quỹ khuyến học,{s},{e},missed\n"


def _rows(data: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"))))


def _run(tmp_path, khuyenhoc, corrections: bytes | None = None, additions: bytes | None = None):
    arts = tmp_path / "articles"
    arts.mkdir()
    (arts / "good.txt").write_text(GOOD, encoding="utf-8")
    cur = tmp_path / "curated"
    cur.mkdir()
    if corrections is not None:
        (cur / "corrections.csv").write_bytes(corrections)
    if additions is not None:
        (cur / "additions.csv").write_bytes(additions)
    out = tmp_path / "processed" / "figures.csv"
    run = khuyenhoc("extract", "--articles", arts, "--out", out, "--curated", cur, "--sources", tmp_path / "sources.csv")
    assert "Traceback" not in run.stderr
    return run, out


CASES = {
    "non-numeric value": (FIX_HEAD + "good,96,branches,fix,value,một trăm,x\n", None,
                          "corrections.csv:2: invalid: value 'một trăm' is not a number"),
    "non-numeric start": (FIX_HEAD + "good,9x6,branches,fix,value,100,x\n", None,
                          "corrections.csv:2: invalid: start '9x6' is not a whole number"),
    "unquoted comma": (FIX_HEAD + "good,96,branches,fix,subgroup,thôn, xóm,x\n", None,
                       "corrections.csv:2: invalid: 8 fields where the header has 7: an unquoted comma"),
    "truncated": (FIX_HEAD + "good,96,bran\n", None, "corrections.csv:2: invalid: 3 fields where the header has 7"),
    "unknown column": ("source_id,start,metric,action,field,value,reason,note\n", None,
                       "corrections.csv:1: invalid: file refused: unknown column(s) 'note'"),
    "cp1258": ((FIX_HEAD + "good,96,branches,fix,subgroup,thôn xóm,x\n"), None,
               "corrections.csv:1: invalid: file refused: is not UTF-8 or UTF-16 text"),
    "conflict": (FIX_HEAD + "good,96,branches,fix,value,100,a\ngood,96,branches,fix,value,120,b\n", None,
                 "corrections.csv:3: conflict: conflicts with line(s) 2"),
    "duplicate addition": (None, ADD_HEAD + ADD.format(v=5, s=150, e=160) + ADD.format(v=5, s=150, e=160),
                           "additions.csv:3: duplicate: same addition as line 2: added once"),
    "unknown article": (None, ADD_HEAD + ADD.format(v=5, s=150, e=160).replace("good,", "ghost,", 1),
                        "additions.csv:2: invalid: no article 'ghost' was read in this batch"),
    "past the end": (None, ADD_HEAD + ADD.format(v=5, s=150, e=99999),
                     "additions.csv:2: invalid: start 150, end 99999 lie outside the article's text"),
    "breaks the contract": (None, ADD_HEAD + ADD.format(v=-5, s=150, e=160),
                            "additions.csv:2: invalid: breaks the contract: value must not be negative"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_curated_rows_are_named_and_the_set_written(tmp_path, khuyenhoc, processed_set, case):
    corrections, additions, message = CASES[case]
    enc = "cp1258" if case == "cp1258" else "utf-8"
    run, out = _run(tmp_path, khuyenhoc, corrections and corrections.encode(enc), additions and additions.encode())
    assert run.returncode == 1, run.stderr
    assert message in run.stderr
    got = processed_set(out.parent)
    figures = _rows(got["figures.csv"])
    assert {r["metric"] for r in figures} >= {"branches", "members", "fund_raised"}
    assert [r["value"] for r in figures if r["metric"] == "branches"] == ["132"]
    log = _rows(got["curation_log.csv"])
    assert any(r["status"] != "applied" for r in log)
    assert sum(r["metric"] == "donors" for r in figures) == (1 if case == "duplicate addition" else 0)


def test_utf16_corrections_are_applied(tmp_path, khuyenhoc, processed_set):
    run, out = _run(tmp_path, khuyenhoc, (FIX_HEAD + "good,96,branches,fix,subgroup,thôn xóm,x\n").encode("utf-16"))
    assert run.returncode == 0, run.stderr
    [row] = [r for r in _rows(processed_set(out.parent)["figures.csv"]) if r["metric"] == "branches"]
    assert row["subgroup"] == "thôn xóm"
