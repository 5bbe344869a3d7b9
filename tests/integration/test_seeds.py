"""The seed articles, end to end through ``khuyenhoc extract``, scored against the gold table."""

import csv
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from analysis.cli import main
from analysis.dev import scoring
from analysis.extraction.extract import SourceMeta, extract_file
from analysis.extraction.manifest import check_manifest

ROOT = Path(__file__).resolve().parents[2]
GOLD = ROOT / "tests" / "golden" / "seeds_gold.csv"
SCORER = ROOT / "tests" / "golden" / "score_figures.py"
ARTICLES = ROOT / "data" / "raw" / "articles"
SOURCES = ROOT / "data" / "raw" / "sources.csv"
sys.path.insert(0, str(SCORER.parent))
import score_figures  # noqa: E402  (the scorer shipped beside the gold table)

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def figures_csv(tmp_path_factory):
    out = tmp_path_factory.mktemp("processed") / "figures.csv"
    code = main(["extract", "--articles", str(ARTICLES), "--sources", str(SOURCES), "--out", str(out),
                 "--curated", "none"])
    assert code == 0
    return out


def score(gold_path, pred_path):
    s = scoring.score(score_figures.read(gold_path), score_figures.read(pred_path), score_figures.VOCAB)
    return s.f1, s.agreement


def test_seeds_score_against_gold(figures_csv):
    f1, agreement = score(GOLD, figures_csv)
    assert f1 >= 0.97
    assert all(v >= 0.95 for v in agreement.values()), agreement


def test_shipped_scorer_agrees(figures_csv):
    out = subprocess.run([sys.executable, str(SCORER), "--gold", str(GOLD), "--pred", str(figures_csv),
                          "--min-f1", "0.97"], capture_output=True, text=True)
    assert out.returncode == 0, out.stdout


def test_output_is_deterministic(figures_csv, tmp_path):
    again = tmp_path / "figures.csv"
    assert main(["extract", "--articles", str(ARTICLES), "--sources", str(SOURCES), "--out", str(again),
                 "--curated", "none", "--jobs", "1"]) == 0
    assert again.read_bytes() == figures_csv.read_bytes()
    assert (again.parent / "residue.csv").read_bytes() == (figures_csv.parent / "residue.csv").read_bytes()


def test_sidecar_and_residue(figures_csv):
    import json

    meta = json.loads((figures_csv.parent / "figures.meta.json").read_text())
    assert meta["rows"]["figures"] == len(figures_csv.read_text(encoding="utf-8").splitlines()) - 1
    assert len(meta["inputs_sha256"]) >= 6
    with open(figures_csv.parent / "residue.csv", encoding="utf-8") as f:
        reasons = {r["reason"] for r in csv.DictReader(f)}
    assert {"year", "date", "page counter"} <= reasons


@pytest.mark.parametrize("variant", ["utf-8-sig", "utf-16", "cp1258", "nfd", "crlf", "nbsp"])
def test_same_article_in_every_state_gives_same_figures(tmp_path, variant, encode_as):
    src = ARTICLES / "2023-que-vo-so-ket-6-thang.txt"
    text = src.read_text(encoding="utf-8")
    meta = SourceMeta(src.stem, published=__import__("datetime").date(2023, 8, 4))
    base = [(f.metric, f.value, f.stage, f.bound, f.entity) for f in extract_file(src, meta).figures]
    p = tmp_path / src.name
    if variant in ("utf-8-sig", "utf-16", "cp1258"):
        p.write_bytes(encode_as(text, variant))
    elif variant == "nfd":
        p.write_text(unicodedata.normalize("NFD", text), encoding="utf-8")
    elif variant == "crlf":
        p.write_bytes(text.replace("\n", "\r\n").encode("utf-8"))
    else:
        p.write_text(text.replace(" hội viên", "\u00a0hội viên"), encoding="utf-8")
    got = [(f.metric, f.value, f.stage, f.bound, f.entity) for f in extract_file(p, meta).figures]
    assert got == base


def test_bad_files_are_named_and_the_batch_goes_on(tmp_path, capsys):
    folder = tmp_path / "articles"
    folder.mkdir()
    for p in ARTICLES.glob("*.txt"):
        shutil.copy(p, folder / p.name)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 8)
    out = tmp_path / "figures.csv"
    code = main(["extract", "--articles", str(folder), "--sources", str(SOURCES), "--out", str(out),
                 "--curated", "none"])
    err = capsys.readouterr().err
    assert code == 1
    assert "empty.txt: the file is empty" in err
    assert "binary.txt: binary content" in err
    with open(out, encoding="utf-8") as f:
        assert {r["source_id"] for r in csv.DictReader(f)} == {p.stem for p in ARTICLES.glob("*.txt")}


def test_bad_arguments_exit_2(tmp_path):
    assert main(["extract", "--articles", str(tmp_path / "nope")]) == 2
    assert main(["extract", "--no-such-flag"]) == 2


def test_raw_files_match_their_manifest():
    assert check_manifest() == []
