"""Hostile articles through the real CLI: every case checks the exit status, a message naming
the file, no traceback, and a complete output set (the good articles still written)."""

import csv
import io
import os
import re

import pytest

GOOD = ("Hội Khuyến học huyện Tam Dương sơ kết 6 tháng đầu năm 2024\n"
        "Tính đến tháng 6/2024, toàn huyện có 132 chi hội khuyến học với hơn 9.800 hội viên. "
        "Quỹ khuyến học vận động được 1,2 tỷ đồng.\n")

HOSTILE = {
    # invisible format and bidi characters inside and around numbers
    "bidi": "Hội Khuyến học xã Đồng Tâm\nXã có 2\u200f1 Hội Khuyến học thôn và \u202e111\u202c Chi hội, "
            "với 4\u200b.\u200b560 hội viên\u2060; quỹ đạt 35\u00ad0 triệu đồng.\u2066\u2069\n",
    # numbers written wrong, glued to letters, odd groupings
    "malformed": "Hội Khuyến học huyện Kim Sơn\nNăm 2023 huyện có 1000.000 hội viên, 5.5.5 chi hội, mã 1.2.3.4, "
                 "phòng A12B, 4.8 triệu người, 12,5,6 dòng họ và 3000 hội viên mới; 1.23.456 đồng.\n",
    # spreadsheet formula at the start of a quoted sentence
    "formula": "Hội Khuyến học huyện Yên Mô\n=HYPERLINK(\"http://x\";\"a\") có 120 chi hội.\n"
               "+cmd|' /C calc'!A0 có 15 dòng họ khuyến học.\n",
    # numbers too long to be figures, with scale words and decimals
    "huge": "Hội Khuyến học huyện Nho Quan\nQuỹ đạt " + "9" * 400 + " tỷ đồng; có 1" + "0" * 5000 + " hội viên, "
            "tỷ lệ 12," + "5" * 300 + "% và 1 tỷ " + "7" * 40 + " triệu đồng; 1." + "000." * 100 + "000 người.\n",
    # control characters, odd spaces, line separators
    "controls": "Hội Khuyến học huyện Gia Viễn\x1b[31m\nToàn\u3000huyện\u2003có\u00a0140 chi hội\u2028và 7.000 hội viên.\x07\n",
}


def _rows(data: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"))))


@pytest.fixture
def corpus(tmp_path):
    arts = tmp_path / "articles"
    arts.mkdir()
    (arts / "good.txt").write_text(GOOD, encoding="utf-8")
    for name, text in HOSTILE.items():
        (arts / f"{name}.txt").write_text(text, encoding="utf-8")
    return arts


def _extract(khuyenhoc, arts, out, *extra, env=None):
    return khuyenhoc("extract", "--articles", arts, "--out", out, "--curated", "none",
                     "--sources", arts.parent / "sources.csv", *extra, env=env)


def test_hostile_text_is_read_and_every_digit_accounted_for(tmp_path, corpus, khuyenhoc, processed_set):
    out = tmp_path / "processed" / "figures.csv"
    run = _extract(khuyenhoc, corpus, out)
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr
    got = processed_set(out.parent)
    figures, residue = _rows(got["figures.csv"]), _rows(got["residue.csv"])
    bidi = {(r["metric"], float(r["value"])) for r in figures if r["source_id"] == "bidi"}
    assert {("associations", 21.0), ("branches", 111.0), ("members", 4560.0)} <= bidi
    # every digit run of every hostile article is inside a figure or a residue row
    from analysis.extraction.textio import read_article

    for name in HOSTILE:
        text = read_article(corpus / f"{name}.txt").text
        spans = [(int(r["start"]), int(r["end"])) for r in figures + residue if r["source_id"] == name]
        for m in re.finditer(r"\d+", text):
            assert any(a <= m.start() and m.end() <= b for a, b in spans), f"{name}: {m.group()!r} lost"
    reasons = {r["text"]: r["reason"] for r in residue if r["source_id"] == "malformed"}
    assert "in threes" in reasons["1000.000"] and "in threes" in reasons["5.5.5"]
    assert "in threes" in reasons["1.2.3.4"] and "glued to letters" in reasons["A12B"]
    assert "decimal comma" in reasons["12,5,6"] and "in threes" in reasons["1.23.456"]


def test_articles_csv_says_what_normalising_removed(tmp_path, corpus, khuyenhoc, processed_set):
    out = tmp_path / "processed" / "figures.csv"
    run = _extract(khuyenhoc, corpus, out)
    assert run.returncode == 0 and "Traceback" not in run.stderr
    arts = {r["source_id"]: r for r in _rows(processed_set(out.parent)["articles.csv"])}
    assert int(arts["bidi"]["normalised_chars"]) == 9 and "9 invisible format/bidi" in arts["bidi"]["warnings"]
    assert "control" in arts["controls"]["warnings"] and arts["good"]["normalised_chars"] == "0"


def test_formula_prefixes_are_neutralised_in_every_csv(tmp_path, corpus, khuyenhoc, processed_set):
    out = tmp_path / "processed" / "figures.csv"
    run = _extract(khuyenhoc, corpus, out)
    assert run.returncode == 0 and "Traceback" not in run.stderr
    got = processed_set(out.parent)
    for name in ("figures.csv", "residue.csv", "articles.csv"):
        for row in _rows(got[name]):
            for col, cell in row.items():
                assert not cell.startswith(("=", "+", "@")), f"{name} {col}: {cell!r}"
                if cell.startswith("-"):
                    float(cell)  # only numbers may start with a minus
    quotes = [r["quote"] for r in _rows(got["figures.csv"]) if r["source_id"] == "formula"]
    assert any(q.startswith("'=HYPERLINK") for q in quotes)


@pytest.mark.parametrize("make,message", [
    (lambda p: p.mkdir(), "cannot be read: it is a directory"),
    (lambda p: os.symlink(p.name, p), "cannot be read: a broken or looping link"),
    (lambda p: p.write_bytes(bytes(range(256)) * 20), "binary content"),
    (lambda p: p.write_bytes("Hội viên 12 ".encode() + bytes(range(128, 256)) * 5), "not decodable"),
    (lambda p: p.write_bytes(b""), "the file is empty"),
    (lambda p: p.write_bytes(b"1 2 3 4 5"), "no letters"),
    (lambda p: p.write_bytes(("Hội viên " * 300_000).encode()), "is 3,600,000 bytes, over the per-article limit of 1,000,000"),
    (lambda p: p.write_bytes("Hội viên. Không có con số nào.".encode()), "no numbers in the text"),
])
def test_an_article_that_cannot_be_used_is_named_and_the_rest_written(tmp_path, corpus, khuyenhoc,
                                                                        processed_set, make, message):
    make(corpus / "zz-bad.txt")
    out = tmp_path / "processed" / "figures.csv"
    run = _extract(khuyenhoc, corpus, out, "--max-article-bytes", "1000000")
    assert run.returncode == 1
    assert "Traceback" not in run.stderr
    assert f"zz-bad.txt: {message}" in run.stderr
    got = processed_set(out.parent)
    assert {r["source_id"] for r in _rows(got["figures.csv"])} >= {"good", "bidi"}
    assert f"{len(HOSTILE) + 1} of {len(HOSTILE) + 2} articles read" in run.stdout
    [bad] = [r for r in _rows(got["articles.csv"]) if r["source_id"] == "zz-bad"]
    assert bad["warnings"].startswith("ERROR: ")


def test_the_size_limit_comes_from_the_environment(tmp_path, corpus, khuyenhoc, processed_set):
    out = tmp_path / "processed" / "figures.csv"
    run = _extract(khuyenhoc, corpus, out, env={"KHUYENHOC_MAX_ARTICLE_BYTES": "150"})
    assert run.returncode == 1 and "Traceback" not in run.stderr
    assert "bidi.txt: is " in run.stderr and "over the per-article limit of 150" in run.stderr
    processed_set(out.parent)


def test_one_line_of_50000_numbers_keeps_quotes_short(tmp_path, khuyenhoc, processed_set):
    arts = tmp_path / "articles"
    arts.mkdir()
    line = " ".join(f"{i % 997} hội viên" if i % 2 else f"{i}" for i in range(50_000))
    (arts / "long.txt").write_text("Hội Khuyến học huyện Ý Yên\n" + line + "\n", encoding="utf-8")
    out = tmp_path / "processed" / "figures.csv"
    run = _extract(khuyenhoc, arts, out, "--max-article-bytes", "0")
    assert run.returncode == 0, run.stderr[-2000:]
    got = processed_set(out.parent)
    figures, residue = _rows(got["figures.csv"]), _rows(got["residue.csv"])
    assert len(figures) + len(residue) >= 50_000
    assert max(len(r["quote"]) for r in figures + residue) <= 300
    assert len(got["residue.csv"]) < 50_000 * 400


def test_a_one_megabyte_article_extracts(tmp_path, khuyenhoc, processed_set):
    arts = tmp_path / "articles"
    arts.mkdir()
    para = ("Năm 2023, Hội Khuyến học xã có {n} chi hội với hơn 1.{m:03d} hội viên; quỹ khuyến học "
            "vận động được {n} triệu đồng. Hội nghị đánh giá cao kết quả công tác khuyến học.\n")
    text = "Hội Khuyến học huyện Hải Hậu tổng kết năm 2023\n" + "".join(
        para.format(n=10 + i % 90, m=i % 1000) for i in range(6000))
    assert len(text.encode()) > 1_000_000
    (arts / "big.txt").write_text(text, encoding="utf-8")
    out = tmp_path / "processed" / "figures.csv"
    run = _extract(khuyenhoc, arts, out, "--max-article-bytes", "2000000")
    assert run.returncode == 0, run.stderr[-2000:]
    assert len(_rows(processed_set(out.parent)["figures.csv"])) >= 6000


@pytest.mark.parametrize("data", [bytes(range(256)) * 4, b"source_id,title\ngood,H\xe9i\x00\x81\n"])
def test_an_unreadable_sources_csv_is_named_and_the_articles_still_read(tmp_path, corpus, khuyenhoc,
                                                                         processed_set, data):
    sources = tmp_path / "my-sources.csv"
    sources.write_bytes(data)
    out = tmp_path / "processed" / "figures.csv"
    run = khuyenhoc("extract", "--articles", corpus, "--out", out, "--curated", "none", "--sources", sources)
    assert run.returncode == 1 and "Traceback" not in run.stderr
    assert f"{sources}:" in run.stderr  # named (with its line, if any), whoever reads the ledger
    assert {r["source_id"] for r in _rows(processed_set(out.parent)["figures.csv"])} >= {"good", "bidi"}
