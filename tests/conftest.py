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
