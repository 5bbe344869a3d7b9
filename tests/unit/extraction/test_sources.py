"""sources.csv through its one reader: every problem named with its row, never a traceback."""

from datetime import date

from analysis.extraction.sources import (
    NO_FILE,
    NO_ROW,
    SOURCE_COLUMNS,
    read_sources_table,
    source_gaps,
)

HEADER = ",".join(SOURCE_COLUMNS) + "\n"
TODAY = date(2026, 1, 1)


def read(tmp_path, body: str | bytes, header: str = HEADER):
    p = tmp_path / "sources.csv"
    p.write_bytes(body if isinstance(body, bytes) else (header + body).encode("utf-8"))
    return p, read_sources_table(p, today=TODAY)


def test_a_clean_file_has_no_problems(tmp_path):
    _, t = read(tmp_path, "2023-dong-son,Tổng kết năm,Báo X,2023-08-04,https://x.example/a\n"
                          "2022-thanh-mien,\"Sơ kết, 6 tháng\",,,\n")
    assert t.problems == []
    assert t.metas["2023-dong-son"].published == date(2023, 8, 4)
    assert t.metas["2022-thanh-mien"].title == "Sơ kết, 6 tháng"
    assert t.lines == {"2023-dong-son": 2, "2022-thanh-mien": 3}


def test_duplicate_id_names_both_rows_and_keeps_the_first(tmp_path):
    p, t = read(tmp_path, "a-1,Một,,,\n\na-1,Hai,,,\n")
    assert t.problems == [f"{p}:4: source_id 'a-1' repeats row 2: the first row is used"]
    assert t.metas["a-1"].title == "Một"


def test_dates_that_do_not_exist_or_lie_ahead(tmp_path):
    p, t = read(tmp_path, "a,,,2023-02-30,\nb,,,2027-05-01,\nc,,,04/08/2023,\n")
    assert len(t.problems) == 3
    assert f"{p}:2: published '2023-02-30' is not a date that exists" in t.problems[0]
    assert f"{p}:3: published 2027-05-01 lies in the future" in t.problems[1]
    assert f"{p}:4: published '04/08/2023' is not an ISO date" in t.problems[2]
    assert all(t.metas[s].published is None for s in "abc")


def test_bad_id_pattern_unknown_column_and_field_counts(tmp_path):
    p, t = read(tmp_path, "Bài Một,x,,,,note\nok-2,y\nok-3,a,b,c,d,e,f\n",
                header="source_id,title,outlet,published,url,notes\n")
    text = "\n".join(t.problems)
    assert f"{p}:1: unknown column(s) 'notes' are ignored" in text
    assert f"{p}:2: source_id 'Bài Một' is not lowercase ASCII" in text
    assert f"{p}:3: 2 fields but the header has 6: the missing ones are treated as empty" in text
    assert f"{p}:4: 7 fields but the header has 6 (an unquoted comma?): row left out" in text
    assert set(t.metas) == {"Bài Một", "ok-2"}


def test_wrong_encoding_is_read_and_named(tmp_path):
    body = (HEADER + "a,Đông Sơn,,,\n").encode("cp1258")
    p, t = read(tmp_path, body)
    assert len(t.problems) == 1 and t.problems[0].startswith(f"{p}:2: not UTF-8")
    assert t.metas["a"].title == "Đông Sơn"


def test_no_source_id_column_or_binary_is_a_message(tmp_path):
    p, t = read(tmp_path, "id,title\na,b\n", header="")
    assert t.problems == [f"{p}:1: no source_id column (the header must be {','.join(SOURCE_COLUMNS)})"]
    p, t = read(tmp_path, bytes(range(256)) * 4)
    assert t.metas == {} and len(t.problems) == 1 and "not UTF-8" in t.problems[0]


def test_gaps_both_ways(tmp_path):
    _, t = read(tmp_path, "a,,,,\nb,,,,\n")
    assert source_gaps(t.metas, {"b", "c"}) == {"a": NO_FILE, "c": NO_ROW}
