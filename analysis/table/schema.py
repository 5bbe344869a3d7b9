"""The figures table, written once as a field table; the pandera schema is generated from it.

The same schema is enforced when extraction writes ``figures.csv`` and when analysis reads
it. A violation raises :class:`FiguresSchemaError` whose message names the rows (source and
offset) and what is wrong, never a silent NaN.
"""

from __future__ import annotations

from dataclasses import dataclass

from analysis.table.checks import semantic_problems
from analysis.table.vocabulary import (  # noqa: F401 — re-exported: the schema is where callers look
    BOUNDS,
    COUNT_METRICS,
    LEVELS,
    METRICS,
    MODEL_CHOICES,
    MODEL_COUNT_METRICS,
    MODEL_METRICS,
    MODELS,
    MONEY_METRICS,
    RATE_METRICS,
    STAGES,
    STOCK_METRICS,
    UNIT_OF_METRIC,
    UNITS,
)

SCHEMA_VERSION = "1.0"


@dataclass(frozen=True)
class Field:
    """One column of the figures contract, as the schema, the data package and `Figure` see it."""

    name: str
    dtype: str  # str | float | int | date
    required: bool  # a value is owed on every row
    meaning: str
    allowed: tuple[str, ...] = ()
    unit: str = ""  # what a number is counted in ("" for text)


FIELDS: tuple[Field, ...] = (
    Field("source_id", "str", True, "the article (file stem in data/raw/articles)"),
    Field("entity", "str", False, "the reporting area, canonical name without prefix"),
    Field("level", "str", False, "administrative level of the entity", tuple(LEVELS)),
    Field("province", "str", False, "province of the entity on the article's date"),
    Field("period_start", "date", False, "ISO date the period starts; empty for stocks and cumulative totals"),
    Field("period_end", "date", False, "ISO date the period ends, or the as-of date of a stock"),
    Field("metric", "str", True, "what is counted (see the contract's vocabulary)", tuple(METRICS)),
    Field("stage", "str", True, "actual, registered, achieved or target", tuple(STAGES)),
    Field("value", "float", True, "the number in base units (đồng, persons/units, 0–100 percent)",
          unit="the row's unit: count, vnd (đồng) or percent (0–100)"),
    Field("value_max", "float", False, "upper end of a range", unit="the row's unit, as value"),
    Field("unit", "str", True, "count, vnd or percent", tuple(UNITS)),
    Field("bound", "str", True, "exact, at_least, at_most, approx or range", tuple(BOUNDS)),
    Field("subgroup", "str", False, "what the article narrows the figure to"),
    Field("quote", "str", True, "the sentence or clause stating the figure"),
    Field("start", "int", True, "offset of the figure's first character in the normalised text",
          unit="characters (Unicode code points of the NFC text)"),
    Field("end", "int", True, "offset after the figure's last character",
          unit="characters (Unicode code points of the NFC text)"),
)
COLUMNS = [f.name for f in FIELDS]
# One figure is one number read as one metric at one stage (reviewers' corrections address it by
# source_id, start and metric).
PRIMARY_KEY: tuple[str, ...] = ("source_id", "start", "metric", "stage")


class FiguresSchemaError(ValueError):
    """The figures table breaks the contract; the message lists the rows and the rule."""


def _pandera_schema(key: bool = True):
    import pandera.pandas as pa

    columns = {}
    for f in FIELDS:
        checks = []
        if f.allowed:
            checks.append(pa.Check.isin(list(f.allowed), error=f"{f.name} must be one of {', '.join(f.allowed)}"))
        if f.dtype == "date":
            checks.append(pa.Check.str_matches(r"^\d{4}-\d{2}-\d{2}$", error=f"{f.name} must be an ISO date"))
            checks.append(pa.Check(_real_dates, error=f"{f.name} must be a date that exists"))
        if f.name == "value":
            checks.append(pa.Check.ge(0, error="value must not be negative"))
        dtype = {"str": str, "date": str, "float": float, "int": int}[f.dtype]
        columns[f.name] = pa.Column(dtype, checks=checks, nullable=not f.required, coerce=True)
    return pa.DataFrameSchema(columns, strict=True, ordered=True, coerce=True, unique=list(PRIMARY_KEY) if key else None,
                              report_duplicates="all")


def _real_dates(series):
    import pandas as pd

    return pd.to_datetime(series, format="%Y-%m-%d", errors="coerce").notna()


_SCHEMAS: dict[bool, object] = {}


def schema(key: bool = True):
    """The pandera schema (cached); ``key=False`` leaves out the primary-key uniqueness check."""
    if key not in _SCHEMAS:
        _SCHEMAS[key] = _pandera_schema(key)
    return _SCHEMAS[key]


def validate(df, where: str = "figures table"):
    """Validate against the schema, then the semantic checks; return the coerced frame."""
    import pandera.errors as pe

    prepared = _prepare(df)
    try:
        out = schema().validate(prepared, lazy=True)
    except pe.SchemaErrors as exc:
        raise FiguresSchemaError(_describe(exc, prepared, where)) from None
    problems = semantic_problems(out)
    if problems:
        raise FiguresSchemaError(f"{where}: {len(problems)} row(s) break the contract:\n  " + "\n  ".join(problems[:50]))
    return out


def _prepare(df):
    prepared = df.copy()
    for f in FIELDS:
        if f.name in prepared and not f.required:  # an empty cell is a missing value, not ""
            col = prepared[f.name].astype(object)
            prepared[f.name] = col.where(col.notna() & (col != ""), None)
    return prepared


def _rule(case) -> str:
    """One pandera failure case as a rule a person reads: ``value 'abc' is not a number``."""
    column, check, value = case.get("column"), str(case.get("check")), case.get("failure_case")
    if check == "multiple_fields_uniqueness":
        return f"another row has the same {', '.join(PRIMARY_KEY)} (the table's key)"
    if check.startswith("coerce_dtype") or check.startswith("dtype"):
        kind = "a whole number" if "int" in check else "a number" if "float" in check else "text"
        return f"{column} {value!r} is not {kind}"
    if "must be one of" in check:
        return f"{column} {value!r} is not in the contract's vocabulary"
    if check.startswith("isin"):
        return f"{column} {value!r} is not in the vocabulary"
    if check.startswith("not_nullable"):
        return f"{column} is empty but required"
    return f"{column} {value!r}: {check}" if not check.startswith(str(column)) else f"{check} (got {value!r})"


def row_problems(df, key: bool = True) -> dict[object, list[str]]:
    """Every row of ``df`` that breaks the contract (schema or semantic rule), by index → the rules.

    Used to validate per row: the caller keeps the rows not named here. ``key=False`` checks
    each row on its own (candidates of one row may share its key). A problem of the table
    itself (a missing or extra column) raises :class:`FiguresSchemaError`, since no row is to blame.
    """
    import pandera.errors as pe

    from analysis.table.checks import semantic_failures

    if list(df.columns) != COLUMNS:
        raise FiguresSchemaError(f"columns {list(df.columns)} are not the contract's {COLUMNS}")
    prepared = _prepare(df)
    bad: dict[object, list[str]] = {}
    for _attempt in range(4):  # a failed coercion can mask a check: validate the rest again
        try:
            out = schema(key=False).validate(prepared.drop(index=list(bad)), lazy=True)
            break
        except pe.SchemaErrors as exc:
            cases = exc.failure_cases
            rows = cases[cases["index"].notna()]
            if rows.empty:  # only table-level failures: no row to blame
                raise FiguresSchemaError(_describe(exc, prepared, "table")) from None
            for _, case in rows.iterrows():
                rules = bad.setdefault(case["index"], [])
                rule = _rule(case)
                if rule not in rules:
                    rules.append(rule)
    else:  # pragma: no cover - pandera reports every failing row in one lazy pass
        raise FiguresSchemaError("rows keep failing validation")
    for idx, rule in semantic_failures(out):
        bad.setdefault(idx, []).append(rule)
    if key:
        import pandas as pd

        keys = prepared[list(PRIMARY_KEY)].astype(str)
        keys["start"] = pd.to_numeric(prepared["start"], errors="coerce").astype(str)
        for idx in prepared.index[keys.duplicated(keep=False)]:
            bad.setdefault(idx, []).append(f"another row has the same {', '.join(PRIMARY_KEY)} (the table's key)")
    return bad


def _describe(exc, df, where: str) -> str:
    cases = exc.failure_cases
    lines = []
    for _, case in cases.head(50).iterrows():
        idx = case.get("index")
        column = case.get("column")
        check = case.get("check")
        value = case.get("failure_case")
        row = ""
        if idx is not None and idx == idx and idx in df.index:
            r = df.loc[idx]
            row = f"row {idx} ({r.get('source_id', '?')} at {r.get('start', '?')})"
        if check == "multiple_fields_uniqueness":
            line = f"{row or 'table'}: another row has the same {', '.join(PRIMARY_KEY)} (the table's key)"
        else:
            line = f"{row or 'table'}: column {column!r} = {value!r} fails {check}"
        if line not in lines:
            lines.append(line)
    return f"{where}: {len(cases)} problem(s):\n  " + "\n  ".join(lines)
