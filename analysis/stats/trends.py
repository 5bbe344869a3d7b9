"""Trends: one series per entity × metric × stage (registered and achieved never joined),
change and annualised growth between comparable points, and — only with enough points — a
log-linear trend fitted with statsmodels, with its confidence interval and n.

Points are comparable when they share entity, metric, stage, subgroup and period kind (a
flow of the same length, or a stock); mixing a half-year with a year is refused, not averaged.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from analysis.table.shapes import period_shape

MIN_POINTS_FOR_FIT = 4


def series(df: pd.DataFrame, entity: str, metric: str, stage: str | None = None) -> pd.DataFrame:
    """The points of one entity and metric, one series per stage, subgroup and period shape."""
    s = df[(df["entity"] == entity) & (df["metric"] == metric)]
    if stage:
        s = s[s["stage"] == stage]
    s = s.copy()
    s["shape"] = s.apply(period_shape, axis=1) if not s.empty else pd.Series(dtype=str)
    s["when"] = pd.to_datetime(s["period_end"].replace("", None))
    return s.sort_values(["stage", "subgroup", "shape", "when"])


def comparable_groups(s: pd.DataFrame):
    """Groups of comparable points: (stage, subgroup, shape) → rows sorted by date."""
    for key, g in s.groupby(["stage", "subgroup", "shape"], sort=True):
        yield key, g.sort_values("when")


def changes(g: pd.DataFrame) -> pd.DataFrame:
    """Change and annualised growth between consecutive comparable points."""
    rows = []
    pts = g.dropna(subset=["when"]).drop_duplicates(subset=["when"], keep="first")
    for (_, a), (_, b) in zip(pts.iloc[:-1].iterrows(), pts.iloc[1:].iterrows(), strict=True):
        years = (b["when"] - a["when"]).days / 365.25
        growth = (b["value"] / a["value"]) ** (1 / years) - 1 if years > 0 and a["value"] > 0 else math.nan
        rows.append({"from": a["period_end"], "to": b["period_end"], "value_from": a["value"], "value_to": b["value"],
                     "change": b["value"] - a["value"], "annualised_growth_pct": 100 * growth,
                     "approximate": a["bound"] != "exact" or b["bound"] != "exact",
                     "sources": f"{a['source_id']}; {b['source_id']}"})
    return pd.DataFrame(rows)


@dataclass
class TrendFit:
    n: int
    fitted: bool
    message: str
    annual_growth_pct: float = math.nan
    ci_low_pct: float = math.nan
    ci_high_pct: float = math.nan


def fit_trend(g: pd.DataFrame, min_points: int = MIN_POINTS_FOR_FIT, alpha: float = 0.05) -> TrendFit:
    """Log-linear OLS of value on time; with fewer than ``min_points`` points, a sentence instead."""
    pts = g.dropna(subset=["when"])
    pts = pts[pts["value"] > 0].drop_duplicates(subset=["when"])
    n = len(pts)
    if n < min_points:
        return TrendFit(n, False, f"Only {n} comparable point{'s' if n != 1 else ''}: too few to fit a trend "
                                  f"(at least {min_points} are needed); the changes between points are shown instead.")
    import numpy as np
    import statsmodels.api as sm

    t = (pts["when"] - pts["when"].min()).dt.days.to_numpy() / 365.25
    y = np.log(pts["value"].to_numpy(dtype=float))
    model = sm.OLS(y, sm.add_constant(t)).fit()
    slope = model.params[1]
    lo, hi = model.conf_int(alpha)[1]
    pct = lambda b: 100 * (math.exp(b) - 1)  # noqa: E731
    return TrendFit(n, True, f"Log-linear fit on {n} points: {pct(slope):+.1f}% a year "
                             f"({int(100 * (1 - alpha))}% CI {pct(lo):+.1f}% to {pct(hi):+.1f}%).",
                    pct(slope), pct(lo), pct(hi))


def entities_with_comparable_points(df: pd.DataFrame, min_points: int = 2) -> list[str]:
    """Entities having at least one series with ``min_points`` comparable dated points."""
    from analysis.table.shapes import comparable_entities

    return comparable_entities(df.to_dict("records"), min_points)
