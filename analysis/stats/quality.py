"""Data quality and provenance: conflicts (between articles and inside one), coverage, the
sources of every number a report shows. Source ids travel as lists; they become text only
for display (:func:`analysis.stats.matching.format_sources`)."""

from __future__ import annotations

import pandas as pd

from analysis.stats.wholes import headlines, prepare

CONFLICT_KEY = ["entity", "level", "province", "metric", "stage", "period_start", "period_end", "subgroup", "measure"]
CONFLICT_COLUMNS = [*CONFLICT_KEY, "value", "bound", "source_id", "quote", "within", "rule"]


def conflicts(df: pd.DataFrame, tolerance: float = 0.005) -> pd.DataFrame:
    """Same area ``(entity, level, province)``, metric, stage, period and subgroup stated with
    different values — by two articles (``within`` = ``between articles``) or twice in one
    (``within`` = ``one article``) — plus wholes exceeded by their disjoint parts. Undated rows
    are never the same period. Every statement is kept, none averaged."""
    if df.empty:
        return pd.DataFrame(columns=CONFLICT_COLUMNS)
    dated = prepare(df)
    dated = dated[dated["period_end"] != ""]
    key = dated[CONFLICT_KEY].astype(str).agg("\x1f".join, axis=1)
    grouped = dated["value"].groupby(key)
    lo, hi = grouped.transform("min"), grouped.transform("max")
    clash = dated[(hi - lo) > tolerance * hi.abs().clip(lower=1e-9)]
    n_sources = clash["source_id"].groupby(key[clash.index]).transform("nunique")
    clash = clash.assign(within=["between articles" if n > 1 else "one article" for n in n_sources],
                         rule="same figure stated with different values")
    rows = clash.sort_values([*CONFLICT_KEY, "source_id"], kind="stable")[CONFLICT_COLUMNS].to_dict("records")
    rows += _parts_exceed_whole(df)
    return pd.DataFrame(rows, columns=CONFLICT_COLUMNS)


def _parts_exceed_whole(df: pd.DataFrame) -> list[dict]:
    heads, marked = headlines(df)
    out = []
    for _, h in heads[heads["flag"] == "parts exceed the whole"].iterrows():
        for i in h["rows"]:
            r = marked.loc[i]
            out.append({**{k: r[k] for k in CONFLICT_KEY}, "value": r["value"], "bound": r["bound"],
                        "source_id": r["source_id"], "quote": r["quote"],
                        "within": "between articles" if len(h["sources"]) > 1 else "one article",
                        "rule": h["rule"]})
    return out


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


def source_ids(source_lists) -> set[str]:
    """Every source id in a column of lists (or of single ids)."""
    ids: set[str] = set()
    for s in source_lists:
        if isinstance(s, list | tuple | set):
            ids |= {str(x) for x in s if x}
        elif isinstance(s, str) and s:
            ids.add(s)
    return ids


def figures_in(df: pd.DataFrame, source_list: pd.Series | list) -> pd.DataFrame:
    """The figure rows of the given sources (a column of source-id lists, or of single ids)."""
    return df[df["source_id"].isin(source_ids(source_list))]


TRACE_KEY = ["source_id", "start", "metric"]


def fallback_figures(df: pd.DataFrame, trace: pd.DataFrame) -> pd.DataFrame:
    """The figures whose entity or period came from a fallback (``trace['fallback']`` not empty),
    each with its trace (how the entity and the period were decided), entity fallbacks first:
    what a reviewer checks first. Figures without a trace row are not listed."""
    cols = ["fallback", "entity_how", "entity_words", "period_how", "period_words"]
    if trace.empty or "fallback" not in trace:
        return df.iloc[0:0].assign(**{c: pd.Series(dtype=str) for c in cols})
    marked = trace[trace["fallback"].fillna("").astype(str).str.strip() != ""].copy()
    marked["start"] = marked["start"].astype(int)
    marked = marked.drop_duplicates(TRACE_KEY)
    keyed = df.assign(start=df["start"].astype(int))
    out = keyed.merge(marked[TRACE_KEY + cols], on=TRACE_KEY, how="inner")
    out["_entity_first"] = ~out["fallback"].str.contains("entity")
    return out.sort_values(["_entity_first", "source_id", "start"], kind="stable").drop(columns="_entity_first") \
        .reset_index(drop=True)
