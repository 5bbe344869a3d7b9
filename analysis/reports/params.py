"""Notebook parameters, checked in one place.

The renderer types each report's parameters by the notebook's own ``parameters`` cell and checks
their values here before any kernel starts; the notebooks call the same checks on their first
cell (a value that names nothing known stops with the list of valid choices — papermill alone
would only warn). The valid sets are computed here, from plain rows or a frame alike, and
nowhere else. No pandas import: the renderer's no-op run must stay light.
"""

from __future__ import annotations

import ast
import json
from collections.abc import Iterable, Mapping
from pathlib import Path

from analysis.table.clusters import cluster_label, cluster_number
from analysis.table.schema import METRICS, MODEL_CHOICES

LANGS = ("vi", "en")  # the first is the landing language
DOMAIN_OF = {"entities": "entity", "metrics": "metric"}  # list parameters → the domain of each item
OPTIONAL_ZERO = {"year"}  # 0 / "" means "every year"


class ParameterError(ValueError):
    """A parameter value that names nothing known; the message lists the valid choices."""


def notebook_parameters(notebook: Path) -> dict:
    """The defaults in the notebook's cell tagged ``parameters`` (name → literal value)."""
    try:
        book = json.loads(Path(notebook).read_text(encoding="utf-8"))
        cells = [c for c in book["cells"] if c.get("cell_type") == "code"
                 and "parameters" in c.get("metadata", {}).get("tags", [])]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ParameterError(f"{notebook}: not a readable notebook ({exc})") from None
    if not cells:
        raise ParameterError(f"{notebook}: no cell tagged 'parameters'")
    source = cells[0]["source"]
    try:
        tree = ast.parse("".join(source) if isinstance(source, list) else source)
        return {node.targets[0].id: ast.literal_eval(node.value) for node in tree.body
                if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name)}
    except (SyntaxError, ValueError) as exc:
        raise ParameterError(f"{notebook}: the parameters cell holds more than literals ({exc})") from None


# -- the valid sets ---------------------------------------------------------------------------

def _column(rows, name: str) -> list:
    if hasattr(rows, "columns"):  # a DataFrame
        return [v for v in rows[name].tolist() if isinstance(v, str) and v] if name in rows.columns else []
    return [r[name] for r in rows if r.get(name)]


def domains(rows, provinces: Iterable[Mapping]) -> dict[str, set]:
    """Every parameter's valid values: from the figures rows (or frame) and the provinces table."""
    provinces = list(provinces)
    clusters = {c for p in provinces if (c := p.get("cluster"))}
    labels = {cluster_label(c) for c in clusters}
    return {
        "entity": set(_column(rows, "entity")),
        "province": {p["province"] for p in provinces},
        "cluster": labels | clusters | {label.removeprefix("Cụm ") for label in labels},
        "model": set(MODEL_CHOICES),
        "metric": set(METRICS),
        "lang": set(LANGS),
        "year": {int(v[:4]) for v in _column(rows, "period_end") if v[:4].isdigit()},
    }


def _refuse(name: str, value, choices: Iterable) -> ParameterError:
    shown = sorted(map(str, set(choices)))
    more = f" (and {len(shown) - 40} more)" if len(shown) > 40 else ""
    return ParameterError(f"{name} = {value!r} is not known. Valid choices: "
                          f"{', '.join(shown[:40]) or '(none)'}{more}")


def check_value(key: str, value, known: Mapping[str, set]):
    """Raise ``ParameterError`` unless every item of ``value`` is in the parameter's valid set."""
    domain_key = DOMAIN_OF.get(key, key)
    domain = known.get(domain_key)
    if domain is None:
        return value
    for v in value if isinstance(value, list) else [value]:
        if domain_key in OPTIONAL_ZERO and v in ("", 0, None):
            continue
        if v not in domain:
            raise _refuse(key if key == domain_key else domain_key, v, domain)
    return value


def _type_problem(key: str, value, default) -> str:
    if isinstance(default, bool) or isinstance(value, bool):
        ok = isinstance(value, bool) and isinstance(default, bool)
    elif isinstance(default, float):
        ok = isinstance(value, int | float)
    else:
        ok = isinstance(value, type(default))
    if not ok:
        return f"parameter {key!r} must be {type(default).__name__}, got {value!r}"
    if isinstance(default, list) and not all(isinstance(v, str) for v in value):
        return f"parameter {key!r} must be a list of strings"
    return ""


def check_report(where: str, parameters: Mapping, declared: Mapping, known: Mapping[str, set]) -> list[str]:
    """Problems with one report's parameters: unknown names, wrong types, unknown values."""
    problems = []
    for key, value in parameters.items():
        if key not in declared:
            problems.append(f"{where}: unknown parameter {key!r} (the notebook takes {', '.join(sorted(declared))})")
            continue
        problem = _type_problem(key, value, declared[key])
        if not problem:
            try:
                check_value(key, value, known)
            except ParameterError as exc:
                problem = str(exc)
        if problem:
            problems.append(f"{where}: {problem}")
    return problems


# -- the checks the notebooks call on their first cell ---------------------------------------

def _provinces() -> list[dict]:
    from analysis import paths
    from analysis.reports.rows import reference_provinces

    return reference_provinces(paths.REFERENCE_DIR)


def check_lang(lang: str) -> str:
    """``vi`` or ``en``."""
    if lang not in LANGS:
        raise ParameterError(f"lang {lang!r} is not known; choose one of: {', '.join(sorted(LANGS))}")
    return lang


def check_model(model: str) -> str:
    """One learning model, or ``models`` (all together)."""
    return check_value("model", model, {"model": set(MODEL_CHOICES)})


def check_entity(df, entity: str) -> str:
    """An area named in the figures table."""
    return check_value("entity", entity, {"entity": set(_column(df, "entity"))})


def check_entities(df, entities: list[str]) -> list[str]:
    """Areas named in the figures table."""
    return list(check_value("entities", list(entities), {"entity": set(_column(df, "entity"))}))


def check_metrics(metrics: list[str]) -> list[str]:
    """Metrics of the contract's vocabulary."""
    return list(check_value("metrics", list(metrics), {"metric": set(METRICS)}))


def check_cluster(cluster: str) -> str:
    """A cluster with provinces in the reference table; returns its label (``Cụm III``)."""
    known = domains([], _provinces())
    number = cluster_number(cluster)
    if not any(p.get("cluster") == number for p in _provinces()):
        raise _refuse("cluster", cluster, {c for c in known["cluster"] if c.startswith("Cụm")})
    return cluster_label(cluster)


def check_province(province: str) -> str:
    """A province of the reference table (the 63 before 1 July 2025)."""
    return check_value("province", province, domains([], _provinces()))


def check_year(df, year) -> int | None:
    """A year the figures cover, or None for 0 / empty (every year)."""
    if year in (None, "", 0):
        return None
    check_value("year", int(year), {"year": domains(df, [])["year"]})
    return int(year)
