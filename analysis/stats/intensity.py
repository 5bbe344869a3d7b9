"""Fund intensity: đồng per member, per inhabitant, awards as a share of the fund, đồng per
award recipient — per area and period, with bounds carried honestly.

Fund figures are flows (a year, a half-year, a term), cumulative totals to a date, or
balances (a stock); members are a stock. One value per area × period × measure is chosen by
:mod:`analysis.stats.wholes` (a stated whole wins; disjoint parts of one article summed and
marked; otherwise nothing). It is divided by the members stock of the same area ``(entity,
level, province)`` nearest the fund's period end within ``window_days`` (ties: the latest
as-of not after the end); the gap is reported. A flow longer than a year is also given per
member *per year*. Awards and recipients compare only on the same area and period; awards
above the fund are flagged. Inhabitants are the 2019 census with its error and year
(:func:`analysis.stats.bounds.census_base`).

:func:`province_rows` gives one row per province of a list (cluster III): the provincial
figure, else the districts' figures summed only when every district is covered, else
``partial`` with the share covered.
"""

from __future__ import annotations

import pandas as pd

from analysis.stats.bounds import Bounded, census_base, total
from analysis.stats.matching import (
    AREA_KEY,
    nearest_resolved,
    period_label,
    resolved_stocks,
)
from analysis.stats.wholes import headlines

COLUMNS = ["entity", "level", "province", "period", "period_kind", "measure", "fund_vnd", "fund_rule", "members",
           "members_as_of", "gap_days", "fund_per_member_vnd", "fund_per_member_per_year_vnd",
           "fund_per_inhabitant_vnd", "awards_share_of_fund_pct", "vnd_per_recipient", "flags", "sources"]
PROVINCE_COLUMNS = ["province", "period", "status", "fund_vnd", "districts_covered", "share_covered", "members",
                    "fund_per_member_vnd", "fund_per_inhabitant_vnd", "rule", "sources"]
MULTI_YEAR = 1.1  # a flow longer than this many years is a multi-year total


def _usable(heads: pd.DataFrame) -> pd.DataFrame:
    return heads[heads["status"].isin(["whole", "summed"])]


_QKEY = [*AREA_KEY, "period_start", "period_end"]


def _by_period(heads: pd.DataFrame) -> dict[tuple, list[dict]]:
    """Usable total quantities by (area, period)."""
    out: dict[tuple, list[dict]] = {}
    for h in _usable(heads[heads["measure"] == "total"]).to_dict("records"):
        out.setdefault(tuple(h[k] for k in _QKEY), []).append(h)
    return out


def _years(h) -> float | None:
    if not h["period_start"] or not h["period_end"]:
        return None
    return (pd.Timestamp(h["period_end"]) - pd.Timestamp(h["period_start"])).days / 365.25


def _fund_row(h, members: dict, awards: dict, recipients: dict, census: dict, window_days: int) -> dict:
    fund: Bounded = h["value"]
    area = (h["entity"], h["level"], h["province"])
    stock = nearest_resolved(members, area, h["period_end"], window_days)
    m = stock["value_bounded"] if stock is not None else None
    aw = awards.get(tuple(h[k] for k in _QKEY), [])
    rec = recipients.get(tuple(h[k] for k in _QKEY), [])
    aw_v = aw[0]["value"] if len(aw) == 1 else None
    rec_v = rec[0]["value"] if len(rec) == 1 else None
    years = _years(h)
    pop = census.get(area)
    year = int(h["period_end"][:4]) if h["period_end"] else None
    share = (aw_v / fund).scale(100) if aw_v is not None else None
    flags = []
    if share is not None and share.interval() and share.interval()[0] > 100:
        flags.append("awards above the fund")
    elif share is not None and share.value > 100:
        flags.append("awards above the fund (point value)")
    sources = set(h["sources"]) | (set(stock["sources"]) if stock is not None else set())
    for extra in (aw, rec):
        if len(extra) == 1:
            sources |= set(extra[0]["sources"])
    per_member = fund / m if m is not None else None
    return {
        "entity": h["entity"], "level": h["level"], "province": h["province"], "period": period_label(h),
        "period_kind": "flow" if h["period_start"] else ("stock" if h["measure"] == "balance" else "cumulative"),
        "measure": h["measure"], "fund_vnd": fund, "fund_rule": h["rule"], "members": m,
        "members_as_of": stock["period_end"] if stock is not None else "",
        "gap_days": stock["gap_days"] if stock is not None else None,
        "fund_per_member_vnd": per_member,
        "fund_per_member_per_year_vnd": per_member.scale(1 / years) if per_member is not None and years and years > MULTI_YEAR else None,
        "fund_per_inhabitant_vnd": fund / census_base(pop, h["level"], year) if pop else None,
        "awards_share_of_fund_pct": share,
        "vnd_per_recipient": aw_v / rec_v if aw_v is not None and rec_v is not None else None,
        "flags": flags, "sources": sorted(sources),
    }


def _census(df: pd.DataFrame) -> dict:
    if "population_2019" not in df:
        return {}
    known = df.dropna(subset=["population_2019"])
    return {(r["entity"], r["level"], r["province"]): float(r["population_2019"])
            for _, r in known.drop_duplicates(AREA_KEY).iterrows()}


def fund_intensity(df: pd.DataFrame, entities: list[str] | None = None, window_days: int = 120) -> pd.DataFrame:
    """One row per area × fund period × measure; cells are :class:`Bounded` (``None`` when unknown)."""
    actual = df[df["stage"] == "actual"]
    if entities:
        actual = actual[actual["entity"].isin(entities)]
    by_metric = {m: actual[actual["metric"] == m] for m in ("fund_raised", "members", "awards_paid", "award_recipients")}
    if by_metric["fund_raised"].empty:
        return pd.DataFrame(columns=COLUMNS)
    funds, _ = headlines(by_metric["fund_raised"])
    funds = _usable(funds[funds["measure"].isin(["total", "balance"])])
    awards = _by_period(headlines(by_metric["awards_paid"])[0])
    recipients = _by_period(headlines(by_metric["award_recipients"])[0])
    members = resolved_stocks(by_metric["members"])
    census = _census(df)
    ordered = funds.sort_values([*AREA_KEY, "period_end", "period_start", "measure"], kind="stable")
    rows = [_fund_row(h, members, awards, recipients, census, window_days) for h in ordered.to_dict("records")]
    return pd.DataFrame(rows, columns=COLUMNS)


def _province_fund(p: str, period: tuple[str, str], funds: pd.DataFrame, districts: list[str]) -> dict:
    start, end = period
    here = funds[(funds["province"] == p) & (funds["period_start"] == start) & (funds["period_end"] == end)]
    prov = here[here["level"] == "province"]
    base = {"province": p, "period": period_label({"period_start": start, "period_end": end})}
    if len(prov) == 1:
        h = prov.iloc[0]
        return {**base, "status": "provincial figure", "fund_vnd": h["value"], "districts_covered": "",
                "share_covered": 1.0, "rule": h["rule"], "sources": list(h["sources"])}
    dist = here[(here["level"] == "district") & here["entity"].isin(districts)]
    covered = sorted(set(dist["entity"]))
    n, k = len(districts), len(covered)
    summary = {**base, "districts_covered": f"{k}/{n}", "share_covered": k / n if n else 0.0,
               "sources": sorted({s for lst in dist["sources"] for s in lst})}
    if n and k == n and len(dist) == n:
        return {**summary, "status": "sum of every district", "fund_vnd": total(list(dist["value"])),
                "rule": f"no provincial figure; the {n} districts' figures summed"}
    missing = ", ".join(d for d in districts if d not in covered)
    return {**summary, "status": "partial", "fund_vnd": None,
            "rule": f"no provincial figure; {k} of {n} districts reported (missing: {missing}): not summed"}


def province_rows(df: pd.DataFrame, provinces: list[str], district_lists: dict[str, list[str]],
                  window_days: int = 120) -> pd.DataFrame:
    """One row per province × fund period (flows and cumulative totals), and ``no data`` for a
    province with none. ``district_lists`` maps each province to all its districts."""
    actual = df[(df["stage"] == "actual") & df["province"].isin(provinces)]
    funds = headlines(actual[actual["metric"] == "fund_raised"])[0] if not actual.empty else pd.DataFrame()
    funds = _usable(funds[funds["measure"] == "total"]) if not funds.empty else funds
    members = resolved_stocks(actual[actual["metric"] == "members"])
    census = _census(df)
    rows = []
    for p in provinces:
        periods = sorted({(r["period_start"], r["period_end"]) for _, r in funds.iterrows()
                          if r["province"] == p and r["period_end"]}) if not funds.empty else []
        if not periods:
            rows.append({"province": p, "period": "", "status": "no data", "fund_vnd": None, "districts_covered": "",
                         "share_covered": 0.0, "rule": "no fund figure for the province or its districts",
                         "sources": []})
            continue
        for period in periods:
            rows.append(_with_members(_province_fund(p, period, funds, district_lists.get(p, [])), members,
                                      census, window_days))
    return pd.DataFrame(rows, columns=PROVINCE_COLUMNS)


def _with_members(row: dict, members: dict, census: dict, window_days: int) -> dict:
    fund = row.get("fund_vnd")
    end = row["period"].split("→")[-1].replace("as of", "").strip()
    stock = nearest_resolved(members, (row["province"], "province", row["province"]), end, window_days)
    m = stock["value_bounded"] if stock is not None else None
    pop = census.get((row["province"], "province", row["province"]))
    year = int(end[:4]) if end[:4].isdigit() else None
    if stock is not None:
        row["sources"] = sorted(set(row["sources"]) | set(stock["sources"]))
    return {**row, "members": m, "fund_per_member_vnd": fund / m if fund is not None and m is not None else None,
            "fund_per_inhabitant_vnd": fund / census_base(pop, "province", year) if fund is not None and pop else None}


def point_values(table: pd.DataFrame, column: str) -> pd.Series:
    """The point values of a Bounded column (for charts), NaN where unknown or undefined."""
    return pd.Series([v.value if isinstance(v, Bounded) and v.defined else float("nan") for v in table[column]],
                     index=table.index)
