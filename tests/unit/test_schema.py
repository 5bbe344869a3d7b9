import pandas as pd
import pytest

from analysis.table.schema import COLUMNS, FiguresSchemaError, validate
from tests.unit.test_curation import ROW


def frame(**changes):
    return pd.DataFrame([{**ROW, **changes}], columns=COLUMNS)


def test_a_good_row_passes():
    out = validate(frame())
    assert out["value"].iloc[0] == 72000


@pytest.mark.parametrize("changes,message", [
    ({"metric": "volunteers"}, "metric must be one of"),
    ({"stage": "done"}, "stage must be one of"),
    ({"unit": "vnd"}, "measured in count"),
    ({"metric": "learning_families", "stage": "actual"}, "stage 'actual'"),
    ({"metric": "learning_families_rate", "unit": "percent", "stage": "achieved", "value": 140}, "0–100"),
    ({"value_max": 10, "bound": "range"}, "below value"),
    ({"period_end": "30/6/2017"}, "ISO date"),
])
def test_violations_name_the_row(changes, message):
    with pytest.raises(FiguresSchemaError, match=message) as info:
        validate(frame(**changes))
    assert "a at 10" in str(info.value) or "row 0" in str(info.value)


def test_unknown_column_is_refused():
    bad = frame()
    bad["colour"] = "red"
    with pytest.raises(FiguresSchemaError):
        validate(bad)


def test_offsets_must_stand_in_the_quote():
    from analysis.table.checks import offset_problems

    text = "Toàn tỉnh có 5.000 hội viên."
    good = {**ROW, "start": 13, "end": 27, "quote": text}
    assert offset_problems([good], text) == []
    assert "not inside the quote" in offset_problems([{**good, "quote": "khác"}], text)[0]
