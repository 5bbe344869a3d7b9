import pandas as pd
import pytest

from analysis.table.schema import COLUMNS, FiguresSchemaError, validate


def frame(row, **changes):
    return pd.DataFrame([{**row, **changes}], columns=COLUMNS)


def test_a_good_row_passes(figure_row):
    out = validate(frame(figure_row))
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
def test_violations_name_the_row(changes, message, figure_row):
    with pytest.raises(FiguresSchemaError, match=message) as info:
        validate(frame(figure_row, **changes))
    assert "a at 10" in str(info.value) or "row 0" in str(info.value)


def test_unknown_column_is_refused(figure_row):
    bad = frame(figure_row)
    bad["colour"] = "red"
    with pytest.raises(FiguresSchemaError):
        validate(bad)


def test_offsets_must_stand_in_the_quote(figure_row):
    from analysis.table.checks import offset_problems

    text = "Toàn tỉnh có 5.000 hội viên."
    good = {**figure_row, "start": 13, "end": 27, "quote": text}
    assert offset_problems([good], text) == []
    assert "not inside the quote" in offset_problems([{**good, "quote": "khác"}], text)[0]
