"""Provinces compared: the points of each cluster province for members per 100 inhabitants,
fund per member and each learning-model rate (one per base), the cluster median and the
national figure where known, and a rank table that treats bounds as intervals.

Every function returns point-level rows (one row per drawn point); charts never aggregate.

- **Members per 100 inhabitants**: the headline members stock (latest as-of in each year) over
  the 2019 census population. The census base is the same year for every province, so the
  figure's own bound is what ranks it; ``census_note`` says that after 2019 the share is an
  upper estimate (the population grew) for all alike.
- **Fund per member**: yearly fund flows of the province (:func:`analysis.stats.intensity.fund_intensity`).
- **Rates**: one indicator per metric, stage and base (``share of all households`` and
  ``share of registered households`` are two indicators, never mixed).
- **Cluster median** per indicator and year over the provinces with a point: the median of the
  intervals' lower ends and of their upper ends bound it (the median is monotone).
- **Conflicts**: where statements of one quantity disagree, one point per source is drawn
  (status ``conflict``), never used for medians or ranks.
- **Ranks**: highest first; a province's best rank counts the provinces surely above it, its
  worst rank those possibly above it; provinces whose intervals overlap are shown as ties.
"""

from __future__ import annotations

import statistics

import pandas as pd

from analysis.stats.bounds import INF, Bounded, format_bounded
from analysis.stats.intensity import fund_intensity
from analysis.stats.wholes import headlines
from analysis.table.shapes import period_shape

POINT_COLUMNS = ["area", "level", "indicator", "year", "period_end", "bounded", "value", "lo", "hi", "bound",
                 "status", "census_note", "sources"]
MEMBERS = "members per 100 inhabitants"
FUND = "fund per member (đồng)"


def _interval(b: Bounded) -> tuple[float, float]:
    if b.bound == "approx":
        return b.value, b.value  # ≈ as stated: ranked at its value, shown with ≈
    iv = b.interval()
    return iv if iv is not None else (-INF, INF)


def _point(area: str, level: str, indicator: str, period_end: str, b: Bounded, status: str, sources, note="") -> dict:
    lo, hi = _interval(b)
    return {"area": area, "level": level, "indicator": indicator, "year": int(period_end[:4]), "period_end": period_end,
            "bounded": b, "value": b.value, "lo": lo, "hi": hi, "bound": b.bound, "status": status,
            "census_note": note, "sources": list(sources)}


def _latest_in_year(heads: pd.DataFrame) -> pd.DataFrame:
    heads = heads[heads["period_end"] != ""].sort_values("period_end", kind="stable")
    return heads.groupby([heads["entity"], heads["period_end"].str[:4]], sort=False).tail(1)


def _conflicts(heads: pd.DataFrame, marked: pd.DataFrame) -> list[tuple[dict, Bounded, str]]:
    """(quantity, value, source) for each statement of a conflicting dated quantity: drawn, never ranked."""
    out = []
    for h in heads[(heads["status"] == "conflict") & (heads["period_end"] != "")].to_dict("records"):
        for i in h["rows"]:
            r = marked.loc[i]
            if r["role"] == "conflict":
                out.append((h, Bounded.of(r), r["source_id"]))
    return out


def _census_note(year: int) -> str:
    return ("2019 census base: an upper estimate (the population grew)" if year > 2019 else
            "2019 census base: a lower estimate" if year < 2019 else "")


def _members_points(rows: pd.DataFrame, populations: dict[str, float]) -> list[dict]:
    heads, marked = headlines(rows[(rows["metric"] == "members") & (rows["stage"] == "actual")])
    heads = heads[heads["measure"] == "total"]
    out = []
    for _, h in _latest_in_year(heads[heads["status"].isin(["whole", "summed"])]).iterrows():
        pop = populations.get(h["entity"])
        if pop:
            out.append(_point(h["entity"], h["level"], MEMBERS, h["period_end"], (h["value"] / pop).scale(100),
                              h["status"], h["sources"], _census_note(int(h["period_end"][:4]))))
    for h, b, src in _conflicts(heads, marked):
        pop = populations.get(h["entity"])
        if pop:
            out.append(_point(h["entity"], h["level"], MEMBERS, h["period_end"], (b / pop).scale(100), "conflict",
                              [src], _census_note(int(h["period_end"][:4]))))
    return out


def _fund_points(rows: pd.DataFrame, window_days: int) -> list[dict]:
    table = fund_intensity(rows, None, window_days)
    table = table[(table["period_kind"] == "flow") & (table["measure"] == "total")]
    out = []
    for _, r in table.iterrows():
        start, end = r["period"].split(" → ")
        if not (start.endswith("-01-01") and end.endswith("-12-31") and start[:4] == end[:4]):
            continue  # yearly flows only: a half-year or a term is another kind of point
        if isinstance(r["fund_per_member_vnd"], Bounded) and r["fund_per_member_vnd"].defined:
            out.append(_point(r["entity"], r["level"], FUND, end, r["fund_per_member_vnd"], "derived", r["sources"]))
    return out


def _rate_indicator(h) -> str:
    """metric · stage · base, and the period kind when it is not a year (one kind per chart)."""
    shape = period_shape({**h, "subgroup": ""})
    return f"{h['metric']} · {h['stage']} · {h['measure']}" + ("" if shape == "flow-12m" else f" · {shape}")


def _rate_points(rows: pd.DataFrame) -> list[dict]:
    rates = rows[rows["metric"].str.endswith("_rate") & (rows["stage"] != "target")]
    if rates.empty:
        return []
    heads, marked = headlines(rates)
    usable = heads[heads["status"].isin(["whole", "summed"]) & (heads["period_end"] != "")]
    out = [_point(h["entity"], h["level"], _rate_indicator(h), h["period_end"], h["value"], h["status"],
                  h["sources"]) for h in usable.to_dict("records")]
    out += [_point(h["entity"], h["level"], _rate_indicator(h), h["period_end"], b, "conflict", [src])
            for h, b, src in _conflicts(heads, marked)]
    return out


def province_points(df: pd.DataFrame, provinces: list[str], populations: dict[str, float],
                    window_days: int = 120) -> pd.DataFrame:
    """Point-level rows for the provinces (province-level figures only) and the national figure.

    ``populations`` maps an area (province, or ``Việt Nam``) to its 2019 census population.
    """
    rows = df[((df["level"] == "province") & df["entity"].isin(provinces)) | (df["level"] == "national")]
    if rows.empty:
        return pd.DataFrame(columns=POINT_COLUMNS)
    points = _members_points(rows, populations) + _fund_points(rows, window_days) + _rate_points(rows)
    out = pd.DataFrame(points, columns=POINT_COLUMNS)
    return out.sort_values(["indicator", "area", "period_end"], kind="stable").reset_index(drop=True)


def cluster_medians(points: pd.DataFrame) -> pd.DataFrame:
    """Per indicator and year, over the provinces with a point (the latest in the year each):
    n, the median of the points and the interval [median of lower ends, median of upper ends]."""
    prov = points[(points["level"] == "province") & (points["status"] != "conflict")]
    rows = []
    for (ind, year), g in prov.groupby(["indicator", "year"], sort=True):
        g = g.sort_values("period_end", kind="stable").groupby("area").tail(1)
        rows.append({"indicator": ind, "year": year, "n": len(g), "median": statistics.median(g["value"]),
                     "median_lo": statistics.median(g["lo"]), "median_hi": statistics.median(g["hi"]),
                     "areas": sorted(g["area"])})
    return pd.DataFrame(rows, columns=["indicator", "year", "n", "median", "median_lo", "median_hi", "areas"])


def rank_year(points: pd.DataFrame, indicator: str) -> int | None:
    """The year with the most provinces for an indicator (the latest such year)."""
    prov = points[(points["indicator"] == indicator) & (points["level"] == "province") & (points["status"] != "conflict")]
    if prov.empty:
        return None
    counts = prov.groupby("year")["area"].nunique()
    return int(max(counts.index, key=lambda y: (counts[y], y)))


def rank_table(points: pd.DataFrame, indicator: str, year: int, lang: str = "en") -> pd.DataFrame:
    """Provinces ranked (highest first) on one indicator and year, bounds as intervals, ties shown."""
    g = points[(points["indicator"] == indicator) & (points["year"] == year) & (points["level"] == "province")
               & (points["status"] != "conflict")]
    g = g.sort_values("period_end", kind="stable").groupby("area").tail(1)
    rows = []
    for _, r in g.iterrows():
        others = g[g["area"] != r["area"]]
        best = 1 + int((others["lo"] > r["hi"]).sum())
        worst = 1 + int((others["hi"] > r["lo"]).sum())
        ties = sorted(others.loc[(others["lo"] <= r["hi"]) & (others["hi"] >= r["lo"]), "area"])
        rank = str(best) if best == worst else f"{best}–{worst}"
        rows.append({"area": r["area"], "value": format_bounded(r["bounded"], lang), "lo": r["lo"], "hi": r["hi"],
                     "rank_best": best, "rank_worst": worst, "rank": rank + ("=" if ties and best == worst else ""),
                     "tied_with": ties, "period_end": r["period_end"], "sources": r["sources"]})
    out = pd.DataFrame(rows, columns=["area", "value", "lo", "hi", "rank_best", "rank_worst", "rank", "tied_with",
                                      "period_end", "sources"])
    return out.sort_values(["rank_best", "rank_worst", "area"], kind="stable").reset_index(drop=True)
