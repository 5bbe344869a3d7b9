import os
import unicodedata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
os.environ.setdefault("KHUYENHOC_ROOT", str(ROOT))


FIGURE_ROW = {"source_id": "a", "entity": "Quế Võ", "level": "district", "province": "Bắc Ninh", "period_start": "",
       "period_end": "2023-08-04", "metric": "members", "stage": "actual", "value": 72000, "value_max": None,
       "unit": "count", "bound": "at_least", "subgroup": "", "quote": "trên 72.000 hội viên", "start": 10, "end": 30}


@pytest.fixture
def figure_row():
    """One valid row of the figures contract (a fresh copy per test)."""
    return dict(FIGURE_ROW)


TONE_MARKS = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def to_cp1258(text: str) -> bytes:
    """Windows-1258 as Vietnamese Windows writes it: base letters precomposed, tones combining."""
    out = []
    for ch in text:
        parts = unicodedata.normalize("NFD", ch)
        tones = "".join(c for c in parts if c in TONE_MARKS)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in TONE_MARKS))
        out.append(base + tones)
    return "".join(out).encode("cp1258")


def _encode(text: str, encoding: str) -> bytes:
    return to_cp1258(text) if encoding == "cp1258" else text.encode(encoding)


@pytest.fixture
def encode_as():
    """Encode text as a given codec writes it (cp1258 the way Vietnamese Windows does)."""
    return _encode


# -- documents people bring (khuyenhoc add): built here, never downloaded ----------------------

BYO_TITLE = "Hội Khuyến học huyện Đông Sơn tổng kết công tác năm 2023"
BYO_BEFORE = ["Sáng ngày 12/1/2024, Hội Khuyến học huyện Đông Sơn tổ chức hội nghị tổng kết công tác "
              "khuyến học năm 2023.",
              "Năm 2023, toàn huyện có 15.230 hội viên, sinh hoạt tại 182 chi hội."]
BYO_TABLE = [("Chỉ tiêu", "Kết quả"), ("Gia đình học tập", "8.450"), ("Dòng họ học tập", "96")]
BYO_AFTER = ["Quỹ khuyến học huyện đã vận động được trên 3,5 tỷ đồng, trao thưởng cho 1.240 học sinh "
             "với số tiền 620 triệu đồng.",
             "Có 8.450 gia đình đạt danh hiệu \"Gia đình học tập\", 96 dòng họ đạt danh hiệu \"Dòng họ học tập\"."]
BYO_URL = "https://khuyenhoc-dongson.example.vn/tin/tong-ket-2023.html"


def _byo_html(body: str) -> str:
    return f"""<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8">
<title>{BYO_TITLE} - Khuyến học Đông Sơn</title>
<meta property="og:title" content="{BYO_TITLE}">
<meta property="og:site_name" content="Khuyến học Đông Sơn">
<meta property="article:published_time" content="2024-01-13T08:30:00+07:00">
<link rel="canonical" href="{BYO_URL}">
</head><body>
<header><nav><ul><li><a href="/">Trang chủ</a></li><li><a href="/tin">Tin tức</a></li>
<li><a href="/lien-he">Liên hệ: 0237.3456.789</a></li></ul></nav></header>
<main>{body}</main>
<aside><h3>Tin liên quan</h3><ul><li><a href="/a">Trao 500 suất học bổng năm 2022</a></li>
<li><a href="/b">Đại hội nhiệm kỳ 2021 – 2026</a></li></ul></aside>
<footer><p>Bản quyền © 2024 Khuyến học Đông Sơn. Số lượt truy cập: 1.234.567.</p></footer>
</body></html>"""


def _byo_pdf(path, lines, title=""):
    import textwrap

    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt
    from matplotlib.backends.backend_pdf import PdfPages

    with matplotlib.rc_context({"pdf.fonttype": 42}), PdfPages(path, metadata={"Title": title} if title else {}) as pdf:
        fig = plt.figure(figsize=(8.27, 11.69))
        y = 0.95
        for line in lines:
            for part in textwrap.wrap(line, 80) or [""]:  # long lines wrap, as a layout does
                fig.text(0.06, y, part, fontsize=9, family="DejaVu Sans")
                y -= 0.022
        pdf.savefig(fig)
        plt.close(fig)


@pytest.fixture(scope="session")
def byo_documents(tmp_path_factory):
    """One invented report in every format ``khuyenhoc add`` takes, its plain-text twins, and bad files.

    Keys: ``txt``, ``html``, ``docx``, ``pdf``; ``txt_of_docx`` (the docx's text, table rows as
    ``a | b``); ``scan_pdf`` (an image only), ``corrupt_docx``, ``bodiless_html``, ``corrupt_pdf``.
    """
    import docx
    import numpy as np

    folder = tmp_path_factory.mktemp("byo")
    paragraphs = BYO_BEFORE + BYO_AFTER
    files = {"txt": folder / "dong-son.txt", "html": folder / "dong-son.html", "docx": folder / "dong-son.docx",
             "pdf": folder / "dong-son.pdf", "txt_of_docx": folder / "dong-son-docx.txt",
             "scan_pdf": folder / "scan.pdf", "corrupt_docx": folder / "corrupt.docx",
             "bodiless_html": folder / "menu.html", "corrupt_pdf": folder / "corrupt.pdf"}
    files["txt"].write_text("\n\n".join([BYO_TITLE, *paragraphs]) + "\n", encoding="utf-8")
    article = "".join(f"<p>{p}</p>\n" for p in paragraphs)
    files["html"].write_text(_byo_html(f"<article><h1>{BYO_TITLE}</h1>\n{article}</article>"), encoding="utf-8")
    files["bodiless_html"].write_text(_byo_html(""), encoding="utf-8")
    document = docx.Document()
    document.add_heading(BYO_TITLE, level=1)
    for p in BYO_BEFORE:
        document.add_paragraph(p)
    table = document.add_table(rows=len(BYO_TABLE), cols=2)
    for i, (a, b) in enumerate(BYO_TABLE):
        table.cell(i, 0).text, table.cell(i, 1).text = a, b
    for p in BYO_AFTER:
        document.add_paragraph(p)
    document.save(files["docx"])
    files["txt_of_docx"].write_text("\n".join([BYO_TITLE, *BYO_BEFORE, *(f"{a} | {b}" for a, b in BYO_TABLE),
                                               *BYO_AFTER]) + "\n", encoding="utf-8")
    _byo_pdf(files["pdf"], [BYO_TITLE, "", *paragraphs], title=BYO_TITLE)
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    fig = plt.figure(figsize=(4, 4))
    fig.figimage(np.random.default_rng(1).random((120, 120)))  # a "scan": pixels, no text layer
    fig.savefig(files["scan_pdf"], format="pdf")
    plt.close(fig)
    files["corrupt_docx"].write_bytes(b"PK\x03\x04" + b"\x00" * 64 + b"not a zip archive")
    files["corrupt_pdf"].write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >>\n%%EOF garbage")
    return files


STATS_FIXTURES = ROOT / "tests" / "fixtures"


@pytest.fixture(scope="session")
def stats_figures():
    """``tests/fixtures/figures_stats.csv`` loaded as every notebook loads figures (hand-written
    cases for the statistics: wholes and parts, repeats, ties, bases, bounds; see its README)."""
    from analysis.stats.load import load_figures

    return load_figures(STATS_FIXTURES / "figures_stats.csv", articles=STATS_FIXTURES / "articles_stats.csv")


@pytest.fixture(scope="session")
def multi_figures():
    """``tests/fixtures/figures_multi.csv`` loaded (the multi-year fixture of the notebooks)."""
    from analysis.stats.load import load_figures

    return load_figures(STATS_FIXTURES / "figures_multi.csv", articles=STATS_FIXTURES / "articles_multi.csv")


@pytest.fixture(scope="session")
def seeds(tmp_path_factory):
    """The hand-read gold table of the seeds, loaded as a figures table (columns of the contract)."""
    import pandas as pd

    from analysis.stats.load import load_figures

    gold = pd.read_csv(ROOT / "tests" / "golden" / "seeds_gold.csv", dtype=str, keep_default_na=False)
    path = tmp_path_factory.mktemp("seeds") / "figures.csv"
    gold.drop(columns=["optional"]).to_csv(path, index=False)
    return load_figures(path)


def _run_cli(*args, timeout=600, env=None):
    import subprocess
    import sys

    full_env = {**os.environ, "PYTHONHASHSEED": "0", **(env or {})}
    return subprocess.run([sys.executable, "-m", "analysis", *map(str, args)], capture_output=True, text=True,
                          timeout=timeout, env=full_env, cwd=ROOT)


@pytest.fixture
def khuyenhoc():
    """Run ``khuyenhoc`` in a subprocess: ``khuyenhoc("extract", "--out", p)`` → CompletedProcess."""
    return _run_cli


def _complete_set(folder):
    """Assert the processed set in ``folder`` is complete and consistent (every file matches the
    sidecar of its set); return ``{name: bytes}`` of what a reader sees."""
    import hashlib
    import json

    from analysis.table.outputs import META_NAME

    folder = Path(folder)
    meta = json.loads((folder / META_NAME).read_text(encoding="utf-8"))
    seen = {}
    for name, digest in meta["outputs_sha256"].items():
        data = (folder / name).read_bytes()
        assert hashlib.sha256(data).hexdigest() == digest, f"{folder / name} is not from the same set as its sidecar"
        seen[name] = data
    import csv
    import io

    figures = seen[meta.get("figures_name", "figures.csv")].decode("utf-8")
    assert len(list(csv.DictReader(io.StringIO(figures)))) == meta["rows"]["figures"]
    return seen


@pytest.fixture
def processed_set():
    """``processed_set(folder)`` → ``{name: bytes}`` after asserting the set is complete."""
    return _complete_set
