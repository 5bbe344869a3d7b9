import os
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
