"""`khuyenhoc add` end to end: each format into data/raw in one step, the same figures as its
text added as .txt, duplicates refused, bad files named with nothing half-written, and the
README's "Add an article" path (manifest, extract, gaps in articles.csv and the overview)."""

import csv
import json
import os
import shutil
from pathlib import Path

import papermill as pm
import pytest

from analysis.cli import main
from analysis.extraction import add as add_module
from analysis.extraction.manifest import check_manifest, read_manifest, update_manifest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.integration
URL = "https://khuyenhoc-dongson.example.vn/tin/tong-ket-2023.html"


@pytest.fixture
def raw(tmp_path):
    """A copy of the project's data/raw (seed articles, sources.csv, manifest)."""
    folder = tmp_path / "raw"
    shutil.copytree(ROOT / "data" / "raw", folder)
    return folder


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def rows(path: Path) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def extract(raw: Path, out: Path, capsys=None) -> int:
    return main(["extract", "--articles", str(raw / "articles"), "--sources", str(raw / "sources.csv"),
                 "--out", str(out / "figures.csv"), "--curated", "none"])


def figures_of(out: Path, source_id: str) -> list[tuple]:
    keep = ("entity", "level", "period_start", "period_end", "metric", "stage", "value", "value_max", "unit", "bound")
    return sorted(tuple(r[k] for k in keep) for r in rows(out / "figures.csv") if r["source_id"] == source_id)


@pytest.mark.parametrize("kind,twin", [("html", "txt"), ("docx", "txt_of_docx"), ("pdf", "txt")])
def test_each_format_gives_the_figures_of_its_text_added_as_txt(byo_documents, tmp_path, capsys, kind, twin):
    found = {}
    for name, key in (("as-file", kind), ("as-txt", twin)):
        raw = tmp_path / name / "raw"
        shutil.copytree(ROOT / "data" / "raw", raw)
        assert main(["add", "--raw", str(raw), "--published", "2024-01-13", str(byo_documents[key])]) == 0
        added = rows(raw / "sources.csv")[-1]
        assert extract(raw, tmp_path / name / "out") == 0
        found[name] = figures_of(tmp_path / name / "out", added["source_id"])
        assert check_manifest(raw) == []
    assert len(found["as-txt"]) >= 7
    assert found["as-file"] == found["as-txt"]


def test_add_writes_text_original_row_and_manifest(byo_documents, raw, capsys):
    before = snapshot(raw)
    assert main(["add", "--raw", str(raw), str(byo_documents["html"]), str(byo_documents["docx"])]) == 0
    out = capsys.readouterr().out
    new = rows(raw / "sources.csv")[-2:]
    html_row, docx_row = new
    assert html_row == {"source_id": "2024-01-13-hoi-khuyen-hoc-huyen-dong-son-tong-ket-cong-tac",
                        "title": "Hội Khuyến học huyện Đông Sơn tổng kết công tác năm 2023",
                        "outlet": "Khuyến học Đông Sơn", "published": "2024-01-13", "url": URL}
    assert docx_row["source_id"] == "2024-01-12-hoi-khuyen-hoc-huyen-dong-son-tong-ket-cong-tac"  # date from the text
    assert docx_row["published"] == "" and docx_row["outlet"] == "" and docx_row["url"] == ""
    assert f"{byo_documents['docx']}: added as {docx_row['source_id']} (docx)" in out
    assert "still empty in sources.csv: outlet, published, url" in out
    for r, ext in ((html_row, ".html"), (docx_row, ".docx")):
        sid = r["source_id"]
        assert (raw / "originals" / f"{sid}{ext}").read_bytes() == byo_documents[ext[1:]].read_bytes()
        assert "15.230 hội viên" in (raw / "articles" / f"{sid}.txt").read_text(encoding="utf-8")
        listed = read_manifest(raw)
        assert f"articles/{sid}.txt" in listed and f"originals/{sid}{ext}" in listed
    assert check_manifest(raw) == []
    after = snapshot(raw)
    assert {k: v for k, v in after.items() if k in before and k not in ("sources.csv", "MANIFEST.sha256")} == \
        {k: v for k, v in before.items() if k not in ("sources.csv", "MANIFEST.sha256")}
    assert after["sources.csv"].startswith(before["sources.csv"])  # appended, never rewritten


def test_duplicates_are_refused_naming_the_earlier_source(byo_documents, raw, capsys):
    assert main(["add", "--raw", str(raw), str(byo_documents["html"])]) == 0
    sid = rows(raw / "sources.csv")[-1]["source_id"]
    before = snapshot(raw)
    assert main(["add", "--raw", str(raw), str(byo_documents["txt"])]) == 1  # the same text as plain text
    assert main(["add", "--raw", str(raw), "--url", URL + "/", str(byo_documents["txt_of_docx"])]) == 1
    err = capsys.readouterr().err
    assert f"{byo_documents['txt']}: already added as {sid} (same text)" in err
    assert f"{byo_documents['txt_of_docx']}: already added as {sid} (same URL {URL}/)" in err
    assert snapshot(raw) == before
    seed = ROOT / "data/raw/articles/2023-que-vo-so-ket-6-thang.txt"
    assert main(["add", "--raw", str(raw), str(seed)]) == 1
    assert "already added as 2023-que-vo-so-ket-6-thang (same text)" in capsys.readouterr().err


def test_bad_files_are_named_and_the_others_added(byo_documents, raw, capsys):
    bad = ["scan_pdf", "corrupt_docx", "bodiless_html", "corrupt_pdf"]
    files = [byo_documents["pdf"], *(byo_documents[k] for k in bad), raw.parent / "missing.docx",
             byo_documents["docx"]]
    assert main(["add", "--raw", str(raw), *map(str, files)]) == 1
    captured = capsys.readouterr()
    err = captured.err
    assert f"{byo_documents['scan_pdf']}: no text layer: run OCR first" in err
    assert f"{byo_documents['corrupt_docx']}: not a readable Word document" in err
    assert f"{byo_documents['bodiless_html']}: no article body found" in err
    assert f"{byo_documents['corrupt_pdf']}: not a readable PDF" in err
    assert f"{raw.parent / 'missing.docx'}: no such file" in err
    assert "2 of 7 file(s) added; 5 not" in captured.out
    kinds = sorted(p.suffix for p in (raw / "originals").iterdir())
    assert kinds == [".docx", ".pdf"]
    assert len(list((raw / "articles").glob("*.txt"))) == 7
    assert check_manifest(raw) == []
    assert not [p for p in raw.rglob("*") if p.name.endswith(".tmp")]


def test_a_failed_write_leaves_nothing_behind(byo_documents, raw, monkeypatch, capsys):
    before = snapshot(raw)
    real_replace = os.replace
    calls = []

    def failing_replace(src, dst):
        calls.append(dst)
        if len(calls) == 3:  # article and original moved, then sources.csv fails
            raise OSError(28, "No space left on device", str(dst))
        return real_replace(src, dst)

    monkeypatch.setattr(add_module.os, "replace", failing_replace)
    assert main(["add", "--raw", str(raw), str(byo_documents["html"])]) == 1
    err = capsys.readouterr().err
    assert f"{byo_documents['html']}: could not write" in err and "No space left on device" in err
    assert "nothing was changed" in err
    assert snapshot(raw) == before
    assert not list(raw.rglob("*.tmp"))


def test_bad_arguments_exit_2(byo_documents, raw):
    assert main(["add", "--raw", str(raw), "--published", "2024-02-30", str(byo_documents["txt"])]) == 2
    assert main(["add", "--raw", str(raw), "--published", "2999-01-01", str(byo_documents["txt"])]) == 2
    assert main(["add", "--raw", str(raw), "--url", URL, str(byo_documents["txt"]), str(byo_documents["pdf"])]) == 2
    assert main(["add", "--raw", str(raw)]) == 2


def test_sources_csv_is_an_append_only_ledger(byo_documents, raw, capsys):
    # README, by hand: save the text, append its row, `make manifest`.
    (raw / "articles" / "2024-tam-dao-so-ket.txt").write_text(
        "Hội Khuyến học huyện Tam Đảo sơ kết 6 tháng đầu năm 2024: toàn huyện có 9.120 hội viên.\n", encoding="utf-8")
    with open(raw / "sources.csv", "a", encoding="utf-8") as f:
        f.write("2024-tam-dao-so-ket,Tam Đảo sơ kết 6 tháng,Báo Vĩnh Phúc,2024-07-10,\n")
    assert check_manifest(raw) == ["data/raw/articles/2024-tam-dao-so-ket.txt: not in MANIFEST.sha256 "
                                   "(run 'make manifest' after adding it)"]
    assert update_manifest(raw) == ["articles/2024-tam-dao-so-ket.txt", "sources.csv (new rows)"]
    assert check_manifest(raw) == []
    # an edited row is an error, and `add` refuses to go on until it is restored
    text = (raw / "sources.csv").read_text(encoding="utf-8")
    (raw / "sources.csv").write_text(text.replace("GD&TĐ", "GD&TD"), encoding="utf-8")
    assert any("sources.csv: a recorded row was edited or removed" in p for p in check_manifest(raw))
    assert update_manifest(raw) == [] and check_manifest(raw) != []
    assert main(["add", "--raw", str(raw), str(byo_documents["html"])]) == 1
    assert "append-only" in capsys.readouterr().err
    (raw / "sources.csv").write_text(text, encoding="utf-8")
    lines = text.splitlines(True)
    (raw / "sources.csv").write_text("".join(lines[:-2] + lines[-1:]), encoding="utf-8")  # a row removed
    assert any("a recorded row was edited or removed" in p for p in check_manifest(raw))


@pytest.mark.notebooks
def test_gaps_are_warned_listed_in_articles_csv_and_in_the_overview(byo_documents, raw, tmp_path, capsys):
    assert main(["add", "--raw", str(raw), str(byo_documents["pdf"])]) == 0
    shutil.copy(byo_documents["txt_of_docx"], raw / "articles" / "2024-khong-co-dong.txt")  # no row
    with open(raw / "sources.csv", "a", encoding="utf-8") as f:
        f.write("2024-chua-co-bai,Bài chưa lưu,Báo X,2024-03-01,\n")  # no file
    out = tmp_path / "out"
    capsys.readouterr()
    assert extract(raw, out) == 1
    err = capsys.readouterr().err
    assert "2024-khong-co-dong.txt: no row in sources.csv" in err
    assert "source '2024-chua-co-bai' has no article file" in err
    gaps = {r["source_id"]: r["source_gap"] for r in rows(out / "articles.csv") if r["source_gap"]}
    assert gaps == {"2024-khong-co-dong": "no row in sources.csv", "2024-chua-co-bai": "no article file"}
    book = tmp_path / "overview.ipynb"
    pm.execute_notebook(str(ROOT / "notebooks/overview.ipynb"), str(book), cwd=str(ROOT / "notebooks"),
                        parameters={"figures_path": str(out / "figures.csv")}, progress_bar=False,
                        kernel_name="python3")
    shown = json.dumps(json.loads(book.read_text(encoding="utf-8"))["cells"][-1]["outputs"], ensure_ascii=False)
    assert "2024-khong-co-dong" in shown and "2024-chua-co-bai" in shown and "no article file" in shown
