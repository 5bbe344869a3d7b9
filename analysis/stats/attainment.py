"""Learning-model attainment: rates across a cluster's provinces (every member shown, missing
ones marked), registered → achieved on the same area and period, achieved families per
census household, and the distance to targets stated in the articles.

Every rate carries its **base**: what it is a share of (``all`` or the ``registered`` ones)
and of which unit (households, villages, communes, clans, units, citizens). Rates are
compared only on the same base and year. A share over 100 % is flagged, never shown as a
share. ``X/Y hộ đăng ký`` (X registered out of Y households) is not a registered → achieved
conversion. All functions take frames; the cluster's members are passed in (or read at the
edge by the compatibility wrapper).
"""

from __future__ import annotations

import re

import pandas as pd

from analysis.stats.bounds import Bounded, census_base, estimate_direction
from analysis.stats.matching import AREA_KEY, format_sources
from analysis.stats.wholes import headlines, rate_base
from analysis.table.schema import MODEL_CHOICES

_FRACTION_REGISTERED = re.compile(r"\d[\d.]*\s*/\s*\d[\d.]*\s+[^\d.;]{0,30}?đăng k[ýí]", re.I)


def check_model(model: str) -> str:
    """The model name, or a ValueError listing the valid ones."""
    if model not in MODEL_CHOICES:
        raise ValueError(f"model {model!r} is not known; choose one of: {', '.join(MODEL_CHOICES)}")
    return model


def rate_metrics(model: str) -> list[str]:
    """The rate metric of a model; ``models`` is the share across all models together (never mixed)."""
    check_model(model)
    return [f"learning_{model}_rate"]


def _rate_flag(b: Bounded) -> str:
    """A share that cannot be one: surely over 100 %, or over 100 % at its point or upper end."""
    iv = b.interval()
    if (iv[0] if iv else b.value) > 100:
        return "over 100 %: not a share"
    if b.value > 100:
        return "over 100 % at its point value: check the figure and its base"
    return "over 100 % at its upper end" if b.bound == "range" and b.value_max and b.value_max > 100 else ""


def rates(df: pd.DataFrame, members: list[str], model: str = "models", year: int | None = None) -> pd.DataFrame:
    """One row per member province × stage × base found; a province with none reads 'no data'."""
    found = df[(df["level"] == "province") & df["metric"].isin(rate_metrics(model))]
    if year is not None:
        found = found[found["year"] == year]
    rows = []
    for prov in members:
        here = found[found["entity"] == prov]
        if here.empty:
            rows.append({"province": prov, "metric": "", "stage": "", "base": "", "value": float("nan"), "bound": "",
                         "period_end": "", "status": "no data", "flag": "", "source_id": ""})
            continue
        for _, r in here.sort_values(["stage", "period_end", "source_id"], kind="stable").iterrows():
            rows.append({"province": prov, "metric": r["metric"], "stage": r["stage"], "base": rate_base(r),
                         "value": r["value"], "bound": r["bound"], "period_end": r["period_end"],
                         "status": "reported", "flag": _rate_flag(Bounded.of(r)), "source_id": r["source_id"]})
    return pd.DataFrame(rows)


def rates_by_province(df: pd.DataFrame, cluster: str, model: str = "models", year: int | None = None,
                      members: list[str] | None = None) -> pd.DataFrame:
    """:func:`rates` for a cluster's provinces (read from the reference table when not given)."""
    if members is None:
        from analysis.stats.load import cluster_provinces

        members = cluster_provinces(cluster)
    return rates(df, members, model, year)


def _fraction_of_all(reg, ach) -> bool:
    """Both read from one ``X/Y … đăng ký`` fraction: registered out of all, not a conversion."""
    return reg["source_id"] == ach["source_id"] and reg["quote"] == ach["quote"] and \
        bool(_FRACTION_REGISTERED.search(str(reg["quote"])))


def conversion(df: pd.DataFrame) -> pd.DataFrame:
    """Achieved / registered (%) where both are stated (as wholes) for the same area, model and period."""
    counts = df[df["metric"].str.match(r"^learning_[a-z]+$") & df["stage"].isin(["registered", "achieved"])]
    key = [*AREA_KEY, "metric", "period_start", "period_end"]
    columns = [*key, "registered", "achieved", "conversion_pct", "flag", "note", "source_ids", "sources"]
    if counts.empty:
        return pd.DataFrame(columns=columns)
    heads, marked = headlines(counts)
    heads = heads[(heads["measure"] == "total") & heads["status"].isin(["whole", "summed"]) & (heads["period_end"] != "")]
    rows = []
    for k, g in heads.groupby(key, sort=True):
        reg, ach = g[g["stage"] == "registered"], g[g["stage"] == "achieved"]
        if len(reg) != 1 or len(ach) != 1:
            continue
        reg, ach = reg.iloc[0], ach.iloc[0]
        r_row, a_row = marked.loc[reg["rows"][0]], marked.loc[ach["rows"][0]]
        ids = sorted(set(reg["sources"]) | set(ach["sources"]))
        if _fraction_of_all(r_row, a_row):
            continue
        ratio = (ach["value"] / reg["value"]).scale(100)
        flag = "achieved exceeds registered" if ratio.defined and (ratio.interval() or (ratio.value,))[0] > 100 else ""
        rows.append({**dict(zip(key, k, strict=True)), "registered": reg["value"], "achieved": ach["value"],
                     "conversion_pct": ratio, "flag": flag, "note": "", "source_ids": ids,
                     "sources": format_sources(ids)})
    return pd.DataFrame(rows, columns=columns)


def families_per_household(df: pd.DataFrame) -> pd.DataFrame:
    """Achieved learning families as a share of the area's 2019 census households, with the
    census error and the direction the census year gives (an upper estimate after 2019)."""
    fam = df[(df["metric"] == "learning_families") & (df["stage"] == "achieved")]
    columns = ["entity", "level", "province", "period_end", "families", "households_2019", "households_base",
               "families_per_household_pct", "estimate", "flag", "source_id"]
    rows = []
    for _, r in fam.iterrows():
        hh = r.get("households_2019")
        if not (hh == hh and hh):
            continue
        year = int(r["period_end"][:4]) if r["period_end"] else None
        base = census_base(float(hh), r["level"], year)
        share = (Bounded.of(r) / base).scale(100)
        rows.append({"entity": r["entity"], "level": r["level"], "province": r["province"],
                     "period_end": r["period_end"], "families": Bounded.of(r), "households_2019": int(hh),
                     "households_base": base, "families_per_household_pct": share,
                     "estimate": estimate_direction(share), "flag": _rate_flag(share), "source_id": r["source_id"]})
    return pd.DataFrame(rows, columns=columns)


def _outcome_for(t, outcomes: pd.DataFrame):
    year = str(t["period_end"])[:4]
    same = outcomes[(outcomes[AREA_KEY] == pd.Series({k: t[k] for k in AREA_KEY})).all(axis=1)
                    & (outcomes["metric"] == t["metric"]) & (outcomes["period_end"].str[:4] == year)]
    if str(t["metric"]).endswith("_rate"):
        same = same[[rate_base(r) == rate_base(t) for _, r in same.iterrows()]]
    if same.empty:
        return None
    return same.sort_values(["period_end", "source_id"], kind="stable").iloc[-1]


def distance_to_targets(df: pd.DataFrame) -> pd.DataFrame:
    """Each stated target beside the outcome of the same area, metric, base and year, if any."""
    targets = df[df["stage"] == "target"]
    outcomes = df[df["stage"].isin(["achieved", "actual"]) & (df["period_end"].fillna("") != "")]
    rows = []
    for _, t in targets.iterrows():
        latest = _outcome_for(t, outcomes)
        tgt = Bounded.of(t)
        ids = [t["source_id"]] + ([latest["source_id"]] if latest is not None else [])
        rows.append({"entity": t["entity"], "level": t["level"], "province": t["province"], "metric": t["metric"],
                     "base": rate_base(t) if str(t["metric"]).endswith("_rate") else "",
                     "target": tgt, "target_period": f"{t['period_start']} → {t['period_end']}",
                     "latest_outcome": Bounded.of(latest) if latest is not None else None,
                     "outcome_as_of": latest["period_end"] if latest is not None else "",
                     "gap_to_target": (Bounded.of(latest) - tgt) if latest is not None else None,
                     "status": "no outcome on the same base and year" if latest is None else "compared",
                     "source_ids": sorted(set(ids)), "sources": format_sources(ids)})
    return pd.DataFrame(rows)
