"""The cluster dashboard's numbers, as pure functions of the figures table (no drawing, no HTML).

For each province of a cluster, the latest stated figure of each key indicator, on the
province itself (``level == "province"``; a district's figures never stand in for its
province) and on the whole (rows without a subgroup; a part is not the total):

- ``members``: the latest members stock;
- ``members_per_100``: that stock per 100 inhabitants of the 2019 census;
- ``fund_per_member_vnd``: the latest fund raised over a period (a flow), divided by the members
  stock matched to the period's end (:func:`analysis.stats.matching.nearest_stock`, within
  ``window_days``);
- ``learning_{families,clans,communities,units}_rate``: the latest *achieved* rate.

"Latest" is the greatest ``period_end``; undated rows never count. When articles state
different values for that same date, the cell is the range they span, marked ``conflict``,
and links to every one of them — never one picked by row order.
"""

from __future__ import annotations

import pandas as pd

from analysis.reports.evidence import figure_key
from analysis.stats.bounds import Bounded
from analysis.stats.matching import nearest_stock

RATES = ["learning_families_rate", "learning_clans_rate", "learning_communities_rate", "learning_units_rate"]
INDICATORS = ["members", "members_per_100", "fund_per_member_vnd", *RATES]
UNITS = {"members": "count", "members_per_100": "count", "fund_per_member_vnd": "vnd",
         **{r: "percent" for r in RATES}}
COLUMNS = ["province", "indicator", "value", "unit", "period_start", "period_end", "note", "keys"]
TOLERANCE = 0.005


def _whole(df: pd.DataFrame, province: str, metric: str, stage: str) -> pd.DataFrame:
    sel = df[(df["entity"] == province) & (df["level"] == "province") & (df["metric"] == metric)
             & (df["stage"] == stage) & (df["subgroup"].fillna("") == "") & (df["period_end"].astype(str) != "")]
    return sel


def latest(rows: pd.DataFrame) -> tuple[Bounded | None, pd.DataFrame, str]:
    """(value, the rows it rests on, note) for the latest date among ``rows``."""
    if rows.empty:
        return None, rows, "no data"
    top = rows[rows["period_end"] == rows["period_end"].max()].sort_values(["source_id", "start"])
    values = top["value"].astype(float)
    lo, hi = values.min(), values.max()
    if hi - lo <= TOLERANCE * max(abs(hi), 1e-9):
        bounds = set(top["bound"])
        first = top.iloc[0]
        return (Bounded.of(first) if len(bounds) == 1 else Bounded(float(first["value"]), "approx")), top, ""
    return Bounded(float(lo), "range", float(hi)), top, "conflict"


def _row(province: str, indicator: str, value, rows: pd.DataFrame, note: str, start: str = "", end: str = "") -> dict:
    keys = [figure_key(r) for _, r in rows.iterrows()]
    if not rows.empty and not end:
        start, end = str(rows.iloc[0]["period_start"]), str(rows.iloc[0]["period_end"])
    return {"province": province, "indicator": indicator, "value": value, "unit": UNITS[indicator],
            "period_start": start, "period_end": end, "note": note if value is not None else "no data",
            "keys": keys}


def _fund_per_member(df: pd.DataFrame, province: str, window_days: int) -> dict:
    funds = _whole(df, province, "fund_raised", "actual")
    funds = funds[funds["period_start"].astype(str) != ""]  # a flow: raised over a stated period
    members = _whole(df, province, "members", "actual")
    for end in sorted(set(funds["period_end"]), reverse=True):
        fund, frows, note = latest(funds[funds["period_end"] == end])
        stock = nearest_stock(members, (province, "province", province), end, window_days)
        if fund is None or stock is None:
            continue
        mrows = members[members["period_end"] == stock["period_end"]]
        m, mrows, mnote = latest(mrows)
        first = frows.iloc[0]
        return _row(province, "fund_per_member_vnd", fund / m, pd.concat([frows, mrows]),
                    note or mnote, str(first["period_start"]), str(first["period_end"]))
    return _row(province, "fund_per_member_vnd", None, funds.iloc[0:0], "no data")


def cluster_dashboard(df: pd.DataFrame, provinces: list[str], population: dict[str, float],
                      window_days: int = 120) -> pd.DataFrame:
    """Long table: one row per province × indicator (:data:`INDICATORS`), in the given order.

    ``value`` is a :class:`Bounded` or ``None`` (no data); ``keys`` are the figures it rests on
    (:func:`analysis.reports.evidence.figure_key`)."""
    out = []
    for prov in provinces:
        members, mrows, note = latest(_whole(df, prov, "members", "actual"))
        out.append(_row(prov, "members", members, mrows, note))
        pop = population.get(prov)
        per100 = (members / float(pop)).scale(100) if members is not None and pop else None
        out.append(_row(prov, "members_per_100", per100, mrows if per100 is not None else mrows.iloc[0:0], note))
        out.append(_fund_per_member(df, prov, window_days))
        for rate in RATES:
            value, rows, rnote = latest(_whole(df, prov, rate, "achieved"))
            out.append(_row(prov, rate, value, rows, rnote))
    return pd.DataFrame(out, columns=COLUMNS)


def coverage_grid(df: pd.DataFrame, provinces: list[str]) -> pd.DataFrame:
    """Province × year: how many dated figures (any level inside the province) each year has;
    every province is a row and every year between the first and the last a column."""
    inside = df[df["province"].isin(provinces) & df["year"].notna()]
    if inside.empty:
        return pd.DataFrame(index=pd.Index(provinces, name="province"))
    years = range(int(inside["year"].min()), int(inside["year"].max()) + 1)
    counts = inside.assign(year=inside["year"].astype(int), n=1).pivot_table(
        index="province", columns="year", values="n", aggfunc="sum", fill_value=0)
    grid = counts.reindex(index=provinces, columns=list(years), fill_value=0)
    grid.columns = [str(c) for c in grid.columns]
    grid.index.name = "province"
    return grid.astype(int)


def trend_points(df: pd.DataFrame, provinces: list[str], metric: str, stage: str = "actual",
                 flow_months: int | None = None) -> pd.DataFrame:
    """Every dated whole figure of ``metric`` for the cluster's provinces, one period kind only:
    stocks (``flow_months`` None) or flows of that many months. Columns: panel (province), x
    (:func:`analysis.reports.viz.time_x`), y, y_max, bound, key (the figure), plus the figure's own."""
    from analysis.reports.viz import time_x
    from analysis.table.shapes import period_shape

    rows = pd.concat([_whole(df, p, metric, stage) for p in provinces]) if provinces else df.iloc[0:0]
    if rows.empty:
        return rows.assign(panel=[], x=[], y=[], y_max=[], key=[])
    shapes = rows.apply(period_shape, axis=1)
    want = "stock" if flow_months is None else f"flow-{flow_months}m"
    rows = rows[shapes == want].copy()
    rows["panel"] = rows["entity"]
    rows["x"] = [time_x(a, b) for a, b in zip(rows["period_start"], rows["period_end"], strict=True)]
    rows["y"] = rows["value"].astype(float)
    rows["y_max"] = pd.to_numeric(rows["value_max"], errors="coerce")
    rows["key"] = [figure_key(r) for _, r in rows.iterrows()]
    return rows.sort_values(["panel", "x", "source_id"])
