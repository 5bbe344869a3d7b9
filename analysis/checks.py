"""Semantic checks of the figures table, in one place.

Each check returns messages that name the row (article and offset) and say what broke, so a
failure points at what changed upstream (a cue table edit, a curation, a new article).
"""

from __future__ import annotations

from analysis.schema import MODEL_METRICS, UNIT_OF_METRIC


def _where(row) -> str:
    return f"{row['source_id']} at {row['start']} ({row['metric']} {row['value']})"


def semantic_problems(df) -> list[str]:
    problems: list[str] = []
    for _, row in df.iterrows():
        metric, stage, unit = row["metric"], row["stage"], row["unit"]
        expected = UNIT_OF_METRIC.get(metric)
        if expected and unit != expected:
            problems.append(f"{_where(row)}: unit {unit!r} but {metric} is measured in {expected}")
        if metric in MODEL_METRICS and stage == "actual":
            problems.append(f"{_where(row)}: learning-model figure with stage 'actual' "
                            "(must be registered, achieved or target)")
        if metric not in MODEL_METRICS and stage in ("registered", "achieved"):
            problems.append(f"{_where(row)}: stage {stage!r} only suits learning-model metrics")
        if unit == "percent" and not 0 <= row["value"] <= 100:
            problems.append(f"{_where(row)}: percent outside 0–100")
        vmax = row["value_max"]
        if vmax == vmax and vmax is not None:
            if vmax < row["value"]:
                problems.append(f"{_where(row)}: value_max {vmax} below value")
            if row["bound"] != "range":
                problems.append(f"{_where(row)}: value_max given but bound is {row['bound']!r}")
        elif row["bound"] == "range":
            problems.append(f"{_where(row)}: bound 'range' without value_max")
        if row["end"] <= row["start"]:
            problems.append(f"{_where(row)}: end offset not after start")
        ps, pe = row["period_start"], row["period_end"]
        if isinstance(ps, str) and isinstance(pe, str) and ps and pe and ps > pe:
            problems.append(f"{_where(row)}: period_start after period_end")
    return problems


def offset_problems(df, texts: dict[str, str]) -> list[str]:
    """``text[start:end]`` must stand inside ``quote`` (texts: source_id → normalised text)."""
    problems = []
    for _, row in df.iterrows():
        text = texts.get(row["source_id"])
        if text is None:
            continue
        span = text[int(row["start"]):int(row["end"])]
        if span not in row["quote"]:
            problems.append(f"{_where(row)}: text[start:end] = {span!r} is not inside the quote")
    return problems
