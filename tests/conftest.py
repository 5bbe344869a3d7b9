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
