"""Which figures may be compared. Every match is on ``(entity, level, province)``: a province
and the same-named city (Bắc Kạn province, Bắc Kạn city) are two areas.

A flow is matched to the stock of the same area whose as-of date is nearest the flow's end
within a window the caller sets; a tie is broken by the rule "latest as-of not after the
flow's end", never by row order; an undated stock never matches. Several stocks stated for
the same date are first resolved by :mod:`analysis.stats.wholes` (a stated whole wins; two
that disagree are a conflict and match nothing).
"""

from __future__ import annotations

import pandas as pd

from analysis.stats.bounds import Bounded
from analysis.stats.wholes import headlines

AREA_KEY = ["entity", "level", "province"]
PERIOD_KEY = [*AREA_KEY, "period_start", "period_end"]


def period_label(row) -> str:
    """``2022-01-01 → 2022-12-31``, ``as of 2023-06-30`` or ``undated``."""
    start, end = row.get("period_start") or "", row.get("period_end") or ""
    if start:
        return f"{start} → {end}"
    return f"as of {end}" if end else "undated"


def format_sources(sources) -> str:
    """Source ids (a list) as display text; the only place they become a string."""
    if isinstance(sources, str):
        return sources
    return "; ".join(sorted({str(s) for s in sources if s}))


def area_mask(df: pd.DataFrame, area: tuple[str, str, str]) -> pd.Series:
    """Rows of one (entity, level, province)."""
    entity, level, province = area
    return (df["entity"] == entity) & (df["level"] == level) & (df["province"].fillna("") == (province or ""))


def headline(rows: pd.DataFrame) -> tuple[Bounded, list[str], str] | None:
    """One value for rows that describe one quantity: (value, source ids, rule), or ``None``.

    Delegates to :func:`analysis.stats.wholes.headlines`; ``None`` when the rows are parts that
    may not be summed or wholes that disagree (the rule says which, via :func:`headline_rule`).
    """
    if rows.empty:
        return None
    heads, _ = headlines(rows)
    heads = heads[heads["measure"] == "total"] if (heads["measure"] == "total").any() else heads
    usable = heads[heads["status"].isin(["whole", "summed"])]
    if len(usable) != 1 or len(heads) != 1:
        return None
    h = usable.iloc[0]
    return h["value"], list(h["sources"]), h["rule"]


def resolved_stocks(stocks: pd.DataFrame) -> dict[tuple[str, str, str], list[dict]]:
    """Dated stocks resolved once (a stated whole, or summed disjoint parts), by area."""
    dated = stocks[stocks["period_end"].fillna("") != ""]
    if dated.empty:
        return {}
    heads, _ = headlines(dated)
    heads = heads[(heads["measure"] == "total") & heads["status"].isin(["whole", "summed"])]
    by_area: dict[tuple[str, str, str], list[dict]] = {}
    for h in heads.to_dict("records"):
        by_area.setdefault((h["entity"], h["level"], h["province"] or ""), []).append(h)
    return by_area


def nearest_resolved(by_area: dict, area: tuple[str, str, str], when: str, window_days: int) -> dict | None:
    """The resolved stock of ``area`` nearest ``when`` within the window; a tie goes to the
    latest as-of not after ``when``. Adds ``gap_days`` and ``value_bounded``."""
    if not when:
        return None
    target = pd.Timestamp(when)
    best, best_key = None, None
    for h in by_area.get((area[0], area[1], area[2] or ""), []):
        asof = pd.Timestamp(h["period_end"])
        gap = abs((asof - target).days)
        if gap > window_days:
            continue
        key = (gap, asof > target, -asof.value)
        if best_key is None or key < best_key:
            best, best_key = h, key
    if best is None:
        return None
    return {**best, "gap_days": best_key[0], "value_bounded": best["value"]}


def nearest_stock(stocks: pd.DataFrame, area: tuple[str, str, str] | str, when: str,
                  window_days: int) -> pd.Series | None:
    """The resolved stock of ``area`` nearest ``when`` within the window (ties: latest as-of not
    after ``when``), with ``gap_days``, ``value_bounded``, ``sources`` and ``rule``; else ``None``.

    ``area`` is ``(entity, level, province)``; a bare entity name is refused.
    """
    if isinstance(area, str):
        raise TypeError("nearest_stock needs (entity, level, province): a name alone mixes a province "
                        "with the same-named city")
    if not when or stocks.empty:
        return None
    found = nearest_resolved(resolved_stocks(stocks[area_mask(stocks, area)]), area, when, window_days)
    return pd.Series(found) if found is not None else None
