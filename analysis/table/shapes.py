"""Period shapes of figures rows, in plain Python (no pandas), shared by the analysis and by
the report grid, which must stay light enough for a no-op render to take about a second."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import date

from analysis.table.vocabulary import STOCK_METRICS

BALANCE_WORDS = ("số dư", "tồn quỹ")  # a fund balance is a stock (subgroups.csv: kind ``balance``)


def is_balance(row: Mapping) -> bool:
    """A fund figure whose subgroup says it is the balance (``số dư``, ``số dư quỹ``, ``tồn quỹ``)."""
    sub = str(row.get("subgroup") or "").lower()
    return row.get("metric") == "fund_raised" and any(w in sub for w in BALANCE_WORDS)


def period_kind(row: Mapping) -> str:
    """``flow`` (start and end), ``stock`` (a level as of a date) or ``cumulative`` (to a date)."""
    if isinstance(row.get("period_start"), str) and row["period_start"]:
        return "flow"
    if row["metric"] in STOCK_METRICS or is_balance(row):
        return "stock"
    return "cumulative"


def period_shape(row: Mapping) -> str:
    """The kind and, for a flow, its length in months: points compare only within a shape."""
    kind = period_kind(row)
    if kind != "flow" or not row.get("period_end"):
        return kind
    start, end = date.fromisoformat(row["period_start"]), date.fromisoformat(row["period_end"])
    return f"flow-{round((end - start).days / 30.44)}m"


def comparable_entities(rows: Iterable[Mapping], min_points: int = 2) -> list[str]:
    """Entities with a series (metric × stage × subgroup × shape) of ``min_points`` dated points."""
    dates: dict[tuple, set] = defaultdict(set)
    for r in rows:
        if r.get("entity") and r.get("period_end"):
            key = (r["entity"], r["metric"], r["stage"], r.get("subgroup") or "", period_shape(r))
            dates[key].add(r["period_end"])
    return sorted({k[0] for k, v in dates.items() if len(v) >= min_points})
