"""Checks of notebook parameters: a value that names nothing known stops the notebook at its
first cell with the list of valid choices (papermill alone would only warn)."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from analysis.table.schema import METRICS


class ParameterError(ValueError):
    pass


def _choose(name: str, value, choices: Iterable[str]) -> None:
    choices = sorted(set(choices))
    raise ParameterError(f"{name} = {value!r} is not known. Valid choices: {', '.join(map(str, choices)) or '(none)'}")


def check_entity(df: pd.DataFrame, entity: str) -> str:
    if entity not in set(df["entity"]):
        _choose("entity", entity, df["entity"].unique())
    return entity


def check_entities(df: pd.DataFrame, entities: list[str]) -> list[str]:
    for e in entities:
        check_entity(df, e)
    return list(entities)


def check_metrics(metrics: list[str]) -> list[str]:
    for m in metrics:
        if m not in METRICS:
            _choose("metric", m, METRICS)
    return list(metrics)


def check_cluster(cluster: str) -> str:
    from analysis.stats.load import cluster_label, cluster_provinces, load_reference

    if not cluster_provinces(cluster):
        provinces, _ = load_reference()
        _choose("cluster", cluster, [cluster_label(c) for c in provinces["cluster"].dropna().unique()])
    return cluster_label(cluster)


def check_province(province: str) -> str:
    from analysis.stats.load import load_reference

    provinces, _ = load_reference()
    if province not in set(provinces["province"]):
        _choose("province", province, provinces["province"])
    return province


def check_year(df: pd.DataFrame, year) -> int | None:
    if year in (None, "", 0):
        return None
    years = set(int(y) for y in df["year"].dropna())
    if int(year) not in years:
        _choose("year", year, [str(y) for y in sorted(years)])
    return int(year)
