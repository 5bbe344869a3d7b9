"""Learning-model attainment: rates across a cluster's provinces (every member shown, missing
ones marked), registered → achieved on the same entity and period, achieved families per
census household, and the distance to targets stated in the articles."""

from __future__ import annotations

import pandas as pd

from analysis.stats.bounds import Bounded
from analysis.stats.load import cluster_provinces
from analysis.table.schema import MODEL_CHOICES


def check_model(model: str) -> str:
    if model not in MODEL_CHOICES:
        raise ValueError(f"model {model!r} is not known; choose one of: {', '.join(MODEL_CHOICES)}")
    return model


def rate_metrics(model: str) -> list[str]:
    """The rate metric of a model; ``models`` is the share across all models together (never mixed)."""
    check_model(model)
    return [f"learning_{model}_rate"]


def rates_by_province(df: pd.DataFrame, cluster: str, model: str = "models", year: int | None = None) -> pd.DataFrame:
    """One row per member province × stage found; a province with none reads 'no data'."""
    members = cluster_provinces(cluster)
    rates = df[(df["level"] == "province") & df["metric"].isin(rate_metrics(model))]
    if year is not None:
        rates = rates[rates["year"] == year]
    rows = []
    for prov in members:
        found = rates[rates["entity"] == prov]
        if found.empty:
            rows.append({"province": prov, "metric": "", "stage": "", "value": float("nan"), "bound": "",
                         "period_end": "", "status": "no data", "source_id": ""})
            continue
        for _, r in found.sort_values(["stage", "period_end"]).iterrows():
            rows.append({"province": prov, "metric": r["metric"], "stage": r["stage"], "value": r["value"],
                         "bound": r["bound"], "period_end": r["period_end"], "status": "reported",
                         "source_id": r["source_id"]})
    return pd.DataFrame(rows)


def conversion(df: pd.DataFrame) -> pd.DataFrame:
    """Achieved / registered (%) where both are stated for the same entity, model and period."""
    counts = df[df["metric"].str.match(r"^learning_[a-z]+$") & df["stage"].isin(["registered", "achieved"])]
    key = ["entity", "metric", "period_start", "period_end"]
    rows = []
    for k, g in counts.groupby(key):
        reg, ach = g[g["stage"] == "registered"], g[g["stage"] == "achieved"]
        if reg.empty or ach.empty:
            continue
        ratio = (Bounded.of(ach.iloc[0]) / Bounded.of(reg.iloc[0])).scale(100)
        rows.append({**dict(zip(key, k, strict=True)), "registered": Bounded.of(reg.iloc[0]),
                     "achieved": Bounded.of(ach.iloc[0]), "conversion_pct": ratio,
                     "sources": "; ".join(sorted(set(g["source_id"])))})
    return pd.DataFrame(rows, columns=[*key, "registered", "achieved", "conversion_pct", "sources"])


def families_per_household(df: pd.DataFrame) -> pd.DataFrame:
    """Achieved learning families as a share of the entity's 2019 census households."""
    fam = df[(df["metric"] == "learning_families") & (df["stage"] == "achieved")]
    rows = []
    for _, r in fam.iterrows():
        hh = r.get("households_2019")
        if not (hh == hh and hh):
            continue
        rows.append({"entity": r["entity"], "level": r["level"], "period_end": r["period_end"],
                     "families": Bounded.of(r), "households_2019": int(hh),
                     "families_per_household_pct": (Bounded.of(r) / float(hh)).scale(100),
                     "source_id": r["source_id"]})
    return pd.DataFrame(rows, columns=["entity", "level", "period_end", "families", "households_2019",
                                       "families_per_household_pct", "source_id"])


def distance_to_targets(df: pd.DataFrame) -> pd.DataFrame:
    """Each stated target beside the latest outcome of the same entity and metric, if any."""
    targets = df[df["stage"] == "target"]
    outcomes = df[df["stage"].isin(["achieved", "actual"])]
    rows = []
    for _, t in targets.iterrows():
        same = outcomes[(outcomes["entity"] == t["entity"]) & (outcomes["metric"] == t["metric"])]
        latest = same.sort_values("period_end").iloc[-1] if not same.empty else None
        tgt = Bounded.of(t)
        gap = None
        if latest is not None:
            gap = Bounded.of(latest).value - tgt.value
        rows.append({"entity": t["entity"], "metric": t["metric"], "target": tgt,
                     "target_period": f"{t['period_start']} → {t['period_end']}",
                     "latest_outcome": Bounded.of(latest) if latest is not None else None,
                     "outcome_as_of": latest["period_end"] if latest is not None else "",
                     "gap_to_target_lower_end": gap,
                     "status": "no outcome reported yet" if latest is None else "compared",
                     "sources": t["source_id"] + (f"; {latest['source_id']}" if latest is not None else "")})
    return pd.DataFrame(rows)
