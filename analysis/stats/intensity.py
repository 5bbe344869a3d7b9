"""Fund intensity: đồng per member, per inhabitant, awards as a share of the fund, đồng per
award recipient — per entity and period, with bounds carried honestly.

Fund figures are flows (a year, a half-year) or cumulative totals to a date; members are a
stock. A fund figure is divided by the members stock of the same entity nearest the fund's
period end, within ``window_days``; the gap is reported. Awards and fund compare only on the
same period.
"""

from __future__ import annotations

import pandas as pd

from analysis.stats.bounds import Bounded, format_bounded
from analysis.stats.matching import PERIOD_KEY, headline, nearest_stock, period_label

COLUMNS = ["entity", "level", "province", "period", "period_kind", "fund_vnd", "members", "members_as_of",
           "gap_days", "fund_per_member_vnd", "fund_per_inhabitant_vnd", "awards_share_of_fund_pct",
           "vnd_per_recipient", "sources"]


def fund_intensity(df: pd.DataFrame, entities: list[str] | None = None, window_days: int = 120) -> pd.DataFrame:
    """One row per entity × fund period; cells are :class:`Bounded` (``None`` when unknown)."""
    actual = df[df["stage"] == "actual"]
    if entities:
        actual = actual[actual["entity"].isin(entities)]
    funds = actual[actual["metric"] == "fund_raised"]
    members = actual[actual["metric"] == "members"]
    awards = actual[actual["metric"] == "awards_paid"]
    recipients = actual[actual["metric"] == "award_recipients"]
    rows = []
    for key, group in funds.groupby(PERIOD_KEY, sort=True):
        entity = key[0]
        fund, fund_src = headline(group)
        first = group.iloc[0]
        stock = nearest_stock(members, entity, first["period_end"], window_days)
        m = Bounded.of(stock) if stock is not None else None
        pop = first.get("population_2019")
        same = (awards[PERIOD_KEY] == pd.Series(key, index=PERIOD_KEY)).all(axis=1)
        aw = headline(awards[same])
        same_r = (recipients[PERIOD_KEY] == pd.Series(key, index=PERIOD_KEY)).all(axis=1)
        rec = recipients[same_r]
        rec_total = None
        if not rec.empty:
            from analysis.stats.bounds import total

            rec_total = total([Bounded.of(r) for _, r in rec.iterrows()])
        sources = {fund_src}
        if stock is not None:
            sources.add(str(stock["source_id"]))
        if aw:
            sources.add(aw[1])
        rows.append({
            "entity": entity, "level": key[1], "province": key[2], "period": period_label(first),
            "period_kind": first["period_kind"], "fund_vnd": fund,
            "members": m, "members_as_of": stock["period_end"] if stock is not None else "",
            "gap_days": stock["gap_days"] if stock is not None else None,
            "fund_per_member_vnd": fund / m if m else None,
            "fund_per_inhabitant_vnd": fund / float(pop) if pop == pop and pop else None,
            "awards_share_of_fund_pct": (aw[0] / fund).scale(100) if aw else None,
            "vnd_per_recipient": aw[0] / rec_total if aw and rec_total else None,
            "sources": "; ".join(sorted(sources)),
        })
    return pd.DataFrame(rows, columns=COLUMNS)


def format_table(table: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """Bounded cells → text in the language's convention (``≥ 69,258 đ``)."""
    from analysis.reports.labels import label

    units = {"fund_vnd": "vnd", "fund_per_member_vnd": "vnd", "fund_per_inhabitant_vnd": "vnd",
             "vnd_per_recipient": "vnd", "awards_share_of_fund_pct": "percent", "members": ""}
    out = table.copy()
    for col, unit in units.items():
        if col in out:
            out[col] = [format_bounded(v, lang, unit, 1 if unit == "percent" else 0) if isinstance(v, Bounded) else label("no_data", lang)
                        for v in out[col]]
    return out.rename(columns={c: label(c, lang) for c in out.columns})


def point_values(table: pd.DataFrame, column: str) -> pd.Series:
    """The point values of a Bounded column (for charts), NaN where unknown."""
    return pd.Series([v.value if isinstance(v, Bounded) else float("nan") for v in table[column]], index=table.index)
