"""Period kinds and shapes of figures rows (plain Python, used by the report grid too)."""

from analysis.table.shapes import comparable_entities, period_kind, period_shape


def test_period_kinds():
    """A start makes a flow; a stock metric or a fund balance without a start is a stock; any
    other figure to a date is cumulative."""
    assert period_kind({"metric": "fund_raised", "period_start": "2022-01-01", "subgroup": ""}) == "flow"
    assert period_kind({"metric": "members", "period_start": "", "subgroup": ""}) == "stock"
    assert period_kind({"metric": "fund_raised", "period_start": "", "subgroup": "số dư"}) == "stock"
    assert period_kind({"metric": "fund_raised", "period_start": "", "subgroup": "Tồn quỹ cuối năm"}) == "stock"
    assert period_kind({"metric": "fund_raised", "period_start": "", "subgroup": ""}) == "cumulative"


def test_period_shapes():
    """A year is flow-12m, a half-year flow-6m, a twenty-year total flow-240m (never a yearly flow)."""
    row = {"metric": "fund_raised", "subgroup": ""}
    assert period_shape({**row, "period_start": "2022-01-01", "period_end": "2022-12-31"}) == "flow-12m"
    assert period_shape({**row, "period_start": "2023-01-01", "period_end": "2023-06-30"}) == "flow-6m"
    assert period_shape({**row, "period_start": "2004-01-01", "period_end": "2023-12-31"}) == "flow-240m"


def test_comparable_entities():
    """An entity with two dated points of one series is listed; one point is not enough."""
    rows = [{"entity": "A", "metric": "members", "stage": "actual", "period_start": "", "period_end": d}
            for d in ("2021-12-31", "2022-12-31")]
    rows.append({"entity": "B", "metric": "members", "stage": "actual", "period_start": "", "period_end": "2022-12-31"})
    assert comparable_entities(rows) == ["A"]
