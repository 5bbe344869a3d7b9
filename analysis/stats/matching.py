"""Which figures may be compared: same entity, metric, stage and period, or a flow matched to
the stock nearest its end within a window the caller sets."""

from __future__ import annotations

import pandas as pd

from analysis.stats.bounds import Bounded, total

PERIOD_KEY = ["entity", "level", "province", "period_start", "period_end"]


def period_label(row) -> str:
    start, end = row.get("period_start") or "", row.get("period_end") or ""
    if start:
        return f"{start} → {end}"
    return f"as of {end}" if end else "undated"


def headline(rows: pd.DataFrame) -> tuple[Bounded, str] | None:
    """One value for a group of rows that describe the same quantity.

    Prefers a row with no subgroup (the whole); otherwise sums the parts and says so.
    """
    if rows.empty:
        return None
    whole = rows[rows["subgroup"].fillna("") == ""]
    if not whole.empty:
        r = whole.iloc[0]
        return Bounded.of(r), str(r["source_id"])
    parts = [Bounded.of(r) for _, r in rows.iterrows()]
    return total(parts), ", ".join(sorted(set(rows["source_id"]))) + " (sum of parts)"


def nearest_stock(stocks: pd.DataFrame, entity: str, when: str, window_days: int) -> pd.Series | None:
    """The stock row of ``entity`` whose as-of date is nearest ``when`` within the window."""
    cand = stocks[(stocks["entity"] == entity) & (stocks["period_end"] != "")]
    if cand.empty or not when:
        return None
    target = pd.Timestamp(when)
    gaps = (pd.to_datetime(cand["period_end"]) - target).abs().dt.days
    best = gaps.idxmin()
    if gaps[best] > window_days:
        return None
    row = cand.loc[best].copy()
    row["gap_days"] = int(gaps[best])
    return row
