"""Trends: a headline series per area and metric, the changes between its points, and — only
with enough annual points — a log-linear trend fitted with statsmodels.

The **headline series** of an area ``(entity, level, province)`` and metric has one point per
period: the quantity chosen by :mod:`analysis.stats.wholes` (a stated whole, or disjoint
parts of one article summed and marked ``summed``); where two statements disagree, one point
per source, marked ``conflict``; repeats of an earlier statement are not points. Subgroup
rows go to :func:`subgroup_table`, never to separate lines.

Points compare only within one stage, measure (total, balance, per-year average, ``lượt``)
and period shape (a stock; a cumulative total; a flow of a given length in months — a
multi-year total is never a yearly flow). What the data allows (:func:`describe`):
1 point → the value and its date; 2–3 → the changes and the annualised rate with bounds,
never over less than a year; ≥ 4 points in distinct years → the log-linear fit with its CI, n
and the test of a zero slope. No band is drawn over points of different kinds.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from analysis.stats.bounds import Bounded, format_bounded
from analysis.stats.matching import AREA_KEY, area_mask
from analysis.stats.wholes import headlines
from analysis.table.shapes import period_shape

MIN_POINTS_FOR_FIT = 4
MIN_DAYS_FOR_RATE = 365  # no growth rate over less than a year
GROUP_KEY = ["stage", "measure", "shape"]
POINT_COLUMNS = [*AREA_KEY, "metric", "stage", "measure", "shape", "period_start", "period_end", "when", "value",
                 "bounded", "bound", "status", "rule", "sources"]


def areas_named(df: pd.DataFrame, entity: str) -> list[tuple[str, str, str]]:
    """Every area ``(entity, level, province)`` with this name (a province and its same-named city are two)."""
    found = df[df["entity"] == entity][AREA_KEY].fillna("").drop_duplicates()
    return sorted(tuple(r) for r in found.itertuples(index=False))


def _area(df: pd.DataFrame, area) -> tuple[str, str, str]:
    if isinstance(area, tuple):
        return area
    named = areas_named(df, area)
    if len(named) != 1:
        raise ValueError(f"{area!r} names {len(named)} areas ({named}); pass (entity, level, province)")
    return named[0]


def _shape(h) -> str:
    if h["measure"] == "balance":
        return "stock"
    return period_shape({"period_start": h["period_start"], "period_end": h["period_end"], "metric": h["metric"],
                         "subgroup": ""})


def headline_series(df: pd.DataFrame, area, metric: str, stage: str | None = None) -> pd.DataFrame:
    """The headline points of one area and metric (one row per point, nothing aggregated)."""
    area = _area(df, area)
    rows = df[area_mask(df, area) & (df["metric"] == metric)]
    if stage:
        rows = rows[rows["stage"] == stage]
    if rows.empty:
        return pd.DataFrame(columns=POINT_COLUMNS)
    heads, marked = headlines(rows)
    points = []
    for _, h in heads.iterrows():
        base = {k: h[k] for k in [*AREA_KEY, "metric", "stage", "measure", "period_start", "period_end"]}
        base.update(shape=_shape(h), rule=h["rule"])
        if h["status"] in ("whole", "summed"):
            points.append({**base, "bounded": h["value"], "status": h["status"], "sources": list(h["sources"])})
        elif h["status"] == "conflict":
            for i in h["rows"]:
                r = marked.loc[i]
                if r["role"] == "conflict":
                    points.append({**base, "bounded": Bounded.of(r), "status": "conflict", "sources": [r["source_id"]]})
    out = pd.DataFrame(points, columns=[c for c in POINT_COLUMNS if c not in ("when", "value", "bound")])
    out["when"] = pd.to_datetime(out["period_end"].replace("", None))
    out["value"] = [b.value for b in out["bounded"]]
    out["bound"] = [b.bound for b in out["bounded"]]
    return out[POINT_COLUMNS].sort_values([*GROUP_KEY, "when"], kind="stable").reset_index(drop=True)


def subgroup_table(df: pd.DataFrame, area, metric: str) -> pd.DataFrame:
    """The subgroup rows of an area and metric with their class and role (for a collapsed table)."""
    area = _area(df, area)
    rows = df[area_mask(df, area) & (df["metric"] == metric)]
    if rows.empty:
        return pd.DataFrame()
    _, marked = headlines(rows)
    cols = ["stage", "period_start", "period_end", "subgroup", "subgroup_class", "subgroup_qualifier", "value",
            "bound", "role", "role_rule", "source_id"]
    parts = marked[(marked["subgroup"] != "") | (marked["role"] == "repeat")]
    return parts[cols].sort_values(["stage", "period_end", "subgroup_class"], kind="stable").reset_index(drop=True)


def comparable_groups(s: pd.DataFrame):
    """Groups of comparable points: (stage, measure, shape) → rows sorted by date."""
    if s.empty:
        return
    for key, g in s.groupby(GROUP_KEY, sort=True):
        yield key, g.sort_values("when", kind="stable")


def _dated(g: pd.DataFrame) -> pd.DataFrame:
    """Dated, non-conflicting points (a conflicting date is shown, never used as a point)."""
    pts = g.dropna(subset=["when"])
    return pts[pts["status"] != "conflict"]


def _annualise(ratio: Bounded, years: float) -> Bounded | None:
    """(ratio)^(1/years) − 1 in %, keeping the interval (monotonic in the ratio)."""
    if not ratio.defined or ratio.value <= 0:
        return None
    f = lambda x: 100 * (x ** (1 / years) - 1) if x > 0 else -100.0  # noqa: E731
    iv = ratio.interval()
    if iv is None:
        return Bounded(f(ratio.value), ratio.bound)
    lo, hi = f(iv[0]), (math.inf if iv[1] == math.inf else f(iv[1]))
    if lo == hi:
        return Bounded(lo)
    if hi == math.inf:
        return Bounded(lo, "at_least")
    if iv[0] <= 0:
        return Bounded(hi, "at_most", floor=-100.0)
    return Bounded(lo, "range", hi)


def changes(g: pd.DataFrame) -> pd.DataFrame:
    """Change and annualised growth (with bounds) between consecutive dated points; no growth
    rate between points less than a year apart."""
    pts = _dated(g).sort_values("when", kind="stable")
    rows = []
    for (_, a), (_, b) in zip(pts.iloc[:-1].iterrows(), pts.iloc[1:].iterrows(), strict=True):
        days = (b["when"] - a["when"]).days
        years = days / 365.25
        change = b["bounded"] - a["bounded"]
        growth = _annualise(b["bounded"] / a["bounded"], years) if days >= MIN_DAYS_FOR_RATE else None
        note = "" if days >= MIN_DAYS_FOR_RATE else f"{days} days apart: no growth rate under a year"
        rows.append({"from": a["period_end"], "to": b["period_end"], "years": round(years, 2),
                     "value_from": a["bounded"], "value_to": b["bounded"], "change": change,
                     "annualised_growth": growth,
                     "annualised_growth_pct": growth.value if growth is not None else math.nan,
                     "approximate": a["bound"] != "exact" or b["bound"] != "exact", "note": note,
                     "sources": sorted(set(a["sources"]) | set(b["sources"]))})
    return pd.DataFrame(rows, columns=["from", "to", "years", "value_from", "value_to", "change", "annualised_growth",
                                       "annualised_growth_pct", "approximate", "note", "sources"])


@dataclass
class TrendFit:
    """A log-linear fit, or the sentence saying why there is none."""

    n: int
    fitted: bool
    message: str
    annual_growth_pct: float = math.nan
    ci_low_pct: float = math.nan
    ci_high_pct: float = math.nan
    slope: float = math.nan
    slope_p_value: float = math.nan


def _annual(g: pd.DataFrame) -> pd.DataFrame:
    """One point per year (the latest as-of in the year), positive values only."""
    pts = _dated(g)
    pts = pts[pts["value"] > 0].sort_values("when", kind="stable")
    return pts.groupby(pts["when"].dt.year, sort=True).tail(1)


def fit_trend(g: pd.DataFrame, min_points: int = MIN_POINTS_FOR_FIT, alpha: float = 0.05) -> TrendFit:
    """Log-linear OLS of value on time (years) over points of one kind in distinct years, with
    the CI of the annual growth and the t-test of a zero slope; with fewer points, a sentence."""
    if "shape" in g and len(set(g["shape"])) > 1:
        return TrendFit(len(g), False, "Points of different kinds: no trend is fitted across them.")
    pts = _annual(g)
    n = len(pts)
    if n < min_points:
        return TrendFit(n, False, f"Only {n} comparable point{'s' if n != 1 else ''} in distinct years: too few to "
                                  f"fit a trend (at least {min_points} are needed); the changes between points "
                                  "are shown instead.")
    import numpy as np
    import statsmodels.api as sm

    t = (pts["when"] - pts["when"].min()).dt.days.to_numpy() / 365.25
    y = np.log(pts["value"].to_numpy(dtype=float))
    model = sm.OLS(y, sm.add_constant(t)).fit()
    slope, p = float(model.params[1]), float(model.pvalues[1])
    lo, hi = model.conf_int(alpha)[1]
    pct = lambda b: 100 * (math.exp(b) - 1)  # noqa: E731
    level = int(round(100 * (1 - alpha)))
    verdict = "differs from zero" if p < alpha else "is not distinguishable from zero"
    mixed = (pts["bound"] != "exact").sum()
    caveat = f" {mixed} of the {n} points are bounds, fitted at their stated value." if mixed else ""
    return TrendFit(n, True, f"Log-linear fit on {n} points: {pct(slope):+.1f}% a year ({level}% CI {pct(lo):+.1f}% "
                             f"to {pct(hi):+.1f}%); the trend {verdict} (t-test of the slope, p = {p:.3g}).{caveat}",
                    pct(slope), pct(lo), pct(hi), slope, p)


def describe(g: pd.DataFrame, lang: str = "en") -> str:
    """What the data allows, said plainly: one value, the changes, or the fit."""
    pts = _dated(g)
    conflicts = g[g["status"] == "conflict"]["period_end"].nunique()
    note = f" {conflicts} date(s) where sources disagree are shown, not used." if conflicts else ""
    if pts.empty:
        return "No dated point." + note
    if len(pts) == 1:
        r = pts.iloc[0]
        return f"One point: {format_bounded(r['bounded'], lang)} ({r['period_end']}, {', '.join(r['sources'])})." + note
    fit = fit_trend(g)
    if fit.fitted:
        return fit.message + note
    ch = changes(g)
    first, last = pts.iloc[0], pts.iloc[-1]
    days = (last["when"] - first["when"]).days
    overall = _annualise(last["bounded"] / first["bounded"], days / 365.25) if days >= MIN_DAYS_FOR_RATE else None
    rate = (f"annualised {format_bounded(overall, lang, 'percent', 1)} a year from {first['period_end']} to "
            f"{last['period_end']}") if overall is not None else "less than a year apart: no growth rate"
    return (f"{len(pts)} points, too few to fit a trend (at least {MIN_POINTS_FOR_FIT} in distinct years are "
            f"needed): {len(ch)} change(s) shown; {rate}." + note)


def entities_with_comparable_points(df: pd.DataFrame, min_points: int = 2) -> list[str]:
    """Entities having at least one series with ``min_points`` comparable dated points."""
    from analysis.table.shapes import comparable_entities

    return comparable_entities(df.to_dict("records"), min_points)


def overall_growth(g: pd.DataFrame) -> tuple[pd.Series, pd.Series, Bounded | None] | None:
    """(first, last, annualised growth in % with its bounds) over the dated, non-conflicting
    points of one group; growth is ``None`` when they are less than a year apart; ``None``
    with fewer than two points."""
    pts = _dated(g).sort_values("when", kind="stable")
    if len(pts) < 2:
        return None
    first, last = pts.iloc[0], pts.iloc[-1]
    days = (last["when"] - first["when"]).days
    growth = _annualise(last["bounded"] / first["bounded"], days / 365.25) if days >= MIN_DAYS_FOR_RATE else None
    return first, last, growth
