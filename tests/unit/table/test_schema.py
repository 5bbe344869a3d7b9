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


def test_row_problems_name_each_bad_row_and_its_rules(figure_row):
    from analysis.table.schema import row_problems

    rows = [figure_row, {**figure_row, "value": "nhiều"}, {**figure_row, "period_start": "2023-09-01"},
            {**figure_row, "period_end": "2023-02-30"}, {**figure_row, "metric": "volunteers"},
            {**figure_row, "start": "x1"}, {**figure_row, "value": -5}, figure_row]
    rows = [{**r, "start": r["start"] if r["start"] == "x1" else 10 + i} for i, r in enumerate(rows)]
    rows[-1]["start"] = 10  # the same key as row 0
    found = row_problems(pd.DataFrame(rows, columns=COLUMNS))
    assert found == {
        1: ["value 'nhiều' is not a number"],
        2: ["period_start after period_end"],
        3: ["period_end must be a date that exists (got '2023-02-30')"],
        4: ["metric 'volunteers' is not in the contract's vocabulary"],
        5: ["start 'x1' is not a whole number"],
        6: ["value must not be negative (got -5.0)"],
        0: ["another row has the same source_id, start, metric, stage (the table's key)"],
        7: ["another row has the same source_id, start, metric, stage (the table's key)"],
    }


def test_row_problems_refuse_a_table_with_the_wrong_columns(figure_row):
    from analysis.table.schema import row_problems

    with pytest.raises(FiguresSchemaError, match="not the contract's"):
        row_problems(pd.DataFrame([figure_row]).drop(columns=["quote"]))


def test_an_impossible_calendar_date_is_named(figure_row):
    with pytest.raises(FiguresSchemaError, match="must be a date that exists"):
        validate(frame(figure_row, period_end="2023-02-30"))
