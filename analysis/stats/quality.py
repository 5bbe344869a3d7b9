"""Data quality and provenance: conflicts between articles, coverage, the sources of every
number a report shows."""

from __future__ import annotations

import pandas as pd

CONFLICT_KEY = ["entity", "metric", "stage", "period_start", "period_end", "subgroup"]


def conflicts(df: pd.DataFrame, tolerance: float = 0.005) -> pd.DataFrame:
    """Same entity, metric, stage, period and subgroup stated differently by two articles."""
    rows = []
    for key, g in df.groupby(CONFLICT_KEY, sort=True):
        if g["source_id"].nunique() < 2:
            continue
        lo, hi = g["value"].min(), g["value"].max()
        if hi - lo <= tolerance * max(abs(hi), 1e-9):
            continue
        for _, r in g.iterrows():
            rows.append({**dict(zip(CONFLICT_KEY, key, strict=True)), "value": r["value"], "bound": r["bound"],
                         "source_id": r["source_id"], "quote": r["quote"]})
    return pd.DataFrame(rows, columns=[*CONFLICT_KEY, "value", "bound", "source_id", "quote"])


def coverage(df: pd.DataFrame) -> pd.DataFrame:
    """Entity × metric × year: how many figures are known (0 where none)."""
    if df.empty:
        return pd.DataFrame()
    table = df.pivot_table(index=["entity", "metric"], columns="year", values="value", aggfunc="count", fill_value=0)
    table.columns = [str(c) for c in table.columns]
    return table


def sources_of(*frames: pd.DataFrame) -> pd.DataFrame:
    """The articles behind the rows shown: id, title, outlet, date, link, and each quote used."""
    frames = [f for f in frames if f is not None and not f.empty and "source_id" in f]
    used = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    if used.empty:
        return pd.DataFrame(columns=["source_id", "title", "outlet", "published", "url", "quote"])
    cols = [c for c in ["source_id", "title", "outlet", "published", "url", "quote"] if c in used]
    return used[cols].drop_duplicates().sort_values(cols[:2]).reset_index(drop=True)


def figures_in(df: pd.DataFrame, source_list: pd.Series | list[str]) -> pd.DataFrame:
    """The figure rows of the given sources (for sources tables of derived numbers)."""
    ids: set[str] = set()
    for s in source_list:
        for part in str(s).replace(" (sum of parts)", "").split(";"):
            ids |= {x.strip() for x in part.split(",") if x.strip()}
    return df[df["source_id"].isin(ids)]
