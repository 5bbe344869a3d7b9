"""Wholes, parts and repeats: which rows of one quantity may stand for it.

Rows describe the same quantity when they share ``(entity, level, province, metric, stage,
period_start, period_end)`` and a *measure* (``total`` for wholes and parts; a fund
``balance``; a ``per_year`` average; ``occurrences`` counted in ``lượt``; a rate on the
``registered`` base): a balance and the amount raised during the year are two statements,
never parts of one sum. An undated row never describes the same period as another row.

Per quantity, the rule used is recorded beside the result:
1. a row that repeats an earlier statement (same class, value and bound; earlier by
   publication date, then source id and offset — never by row order) is a ``repeat``;
2. a stated whole (no subgroup, or ``tổng quỹ``) always wins: ``whole``; two wholes that
   disagree are a ``conflict`` (every statement kept, one point per source); disjoint parts
   whose guaranteed sum exceeds the whole are flagged;
3. with no whole, parts are ``summed`` only when there are at least two, from one article,
   of pairwise disjoint classes with known words; otherwise ``parts only`` (no headline).
"""

from __future__ import annotations

import re

import pandas as pd

from analysis.stats.bounds import Bounded, total
from analysis.stats.subgroups import apply_classes, classify, disjoint

QUANTITY_KEY = ["entity", "level", "province", "metric", "stage", "period_start", "period_end", "measure"]
SERIES_KEY = ["entity", "level", "province", "metric", "stage", "measure"]
MEASURE_OF_KIND = {"whole": "total", "part": "total", "balance": "balance", "average": "per_year",
                   "occurrences": "occurrences", "base": "total"}
TOLERANCE = 0.005
HEADLINE_COLUMNS = [*QUANTITY_KEY, "status", "value", "rule", "flag", "sources", "rows", "classes"]
UNIT_OF_MODEL = {"families": "households", "clans": "clans", "communities": "villages", "units": "units",
                 "citizens": "citizens", "models": "models"}
UNIT_OF_CLASS = {"communes": "communes", "villages": "villages", "families": "households", "schools": "schools"}
_REGISTERED_BASE = re.compile(r"(so với|trên)\s+(tổng\s+)?(số\s+)?(\w+\s+)?(đã\s+)?đăng k[ýí]", re.I)


def rate_base(row) -> str:
    """What a rate row is a share of: ``all households``, ``registered villages``, ``all communes``…

    The unit comes from the model (families → households, communities → villages) unless the
    subgroup names another (``xã`` → communes); the base is ``registered`` when the subgroup
    says ``đăng ký`` or the quote says ``so với số … đăng ký``, else ``all``.
    """
    model = str(row["metric"]).removeprefix("learning_").removesuffix("_rate")
    unit = UNIT_OF_MODEL.get(model, model)
    cls = str(row.get("subgroup_class") or "")
    unit = next((UNIT_OF_CLASS[c] for c in cls.split("+") if c in UNIT_OF_CLASS), unit)
    registered = row.get("subgroup_kind") == "base" or bool(_REGISTERED_BASE.search(str(row.get("quote") or "")))
    return f"{'registered' if registered else 'all'} {unit}"


def measure_of(row) -> str:
    """``total``, ``balance``, ``per_year``, ``occurrences``; for a rate, ``share of <base>``."""
    if str(row["metric"]).endswith("_rate"):
        return f"share of {rate_base(row)}"
    return MEASURE_OF_KIND.get(row["subgroup_kind"], "total")


def prepare(df: pd.DataFrame) -> pd.DataFrame:
    """Subgroup classes, the measure, a statement order and an ``undated`` marker, once."""
    out = df if "subgroup_kind" in df else apply_classes(df)
    out = out.copy()
    for col in ("entity", "level", "province", "period_start", "period_end", "subgroup"):
        if col in out:
            out[col] = out[col].fillna("").astype(str)
    out["measure"] = [measure_of(r) for _, r in out.iterrows()] if len(out) else pd.Series(dtype=str)
    published = out["published"].fillna("").astype(str) if "published" in out else pd.Series("", index=out.index)
    out["stated_on"] = published.where(published != "", out["period_end"])
    start = out["start"] if "start" in out else pd.Series(0, index=out.index)
    out["_order"] = list(zip(out["stated_on"], out["source_id"].astype(str), start.fillna(0).astype(int), strict=True))
    return out


def _same(a: Bounded, b: Bounded) -> bool:
    return a.bound == b.bound and a.value == b.value and a.value_max == b.value_max


def _differ(a: Bounded, b: Bounded) -> bool:
    return abs(a.value - b.value) > TOLERANCE * max(abs(a.value), abs(b.value), 1e-9)


def _mark_repeats(g: pd.DataFrame) -> dict:
    """Row index → the statement it repeats (same class, qualifier, value and bound)."""
    seen: list[tuple] = []
    repeats = {}
    for idx, r in sorted(g.iterrows(), key=lambda x: x[1]["_order"]):
        sig = (r["subgroup_class"], r["subgroup_qualifier"], Bounded.of(r))
        first = next((s for s in seen if s[0][:2] == sig[:2] and _same(s[0][2], sig[2])), None)
        if first is None:
            seen.append((sig, idx, r["source_id"]))
        else:
            repeats[idx] = f"repeat of {first[2]}"
    return repeats


def resolve(g: pd.DataFrame) -> tuple[dict, dict]:
    """One quantity's rows → (headline fields, row index → role)."""
    roles = {i: ("repeat", why) for i, why in _mark_repeats(g).items()}
    kept = g.drop(index=list(roles)).sort_values("_order", kind="stable")
    wholes = kept[kept["subgroup_kind"] != "part"]
    parts = kept[kept["subgroup_kind"] == "part"]
    head = _resolve_wholes(wholes, parts) if not wholes.empty else _resolve_parts(parts)
    for i in kept.index:
        roles[i] = (head.pop(f"role_{i}", "part" if i in parts.index else head["status"]), head["rule"])
    head["sources"] = sorted(set(g["source_id"]))
    head["rows"] = list(g.index)
    head["classes"] = sorted({c for c in g["subgroup_class"] if c})
    return {k: v for k, v in head.items() if not k.startswith("role_")}, roles


def _resolve_wholes(wholes: pd.DataFrame, parts: pd.DataFrame) -> dict:
    values = [(i, Bounded.of(r), r["source_id"]) for i, r in wholes.iterrows()]
    first = values[0][1]
    disagree = [v for v in values[1:] if _differ(v[1], first)]
    if disagree:
        stated = "; ".join(f"{v[1]} ({v[2]})" for v in values)
        return {"status": "conflict", "value": None, "flag": "two wholes disagree",
                "rule": f"two stated wholes disagree: {stated}; both shown, none chosen",
                **{f"role_{i}": "conflict" for i, _, _ in values}}
    head = {"status": "whole", "value": first, "flag": "",
            "rule": f"stated whole ({values[0][2]})" + (f", also stated by {', '.join(v[2] for v in values[1:])}"
                                                     if len(values) > 1 else "")}
    head.update({f"role_{i}": "whole" if k == 0 else "repeat" for k, (i, _, _) in enumerate(values)})
    summable, _ = _summable(parts, same_source=False)
    if summable:
        s = total([Bounded.of(r) for _, r in parts.iterrows()])
        lo = s.interval()[0] if s.interval() else s.value
        hi = first.interval()[1] if first.interval() else first.value
        if lo > hi * (1 + TOLERANCE):
            head["flag"] = "parts exceed the whole"
            head["rule"] += f"; its disjoint parts add up to {s}, more than the whole: shown as a conflict"
    return head


def _summable(parts: pd.DataFrame, same_source: bool = True) -> tuple[bool, str]:
    if len(parts) < 2:
        return False, "a single part is not the whole" if len(parts) else "no rows"
    if same_source and len(set(parts["source_id"])) > 1:
        return False, "parts come from different articles"
    read = [classify(s) for s in parts["subgroup"]]
    if any(c.unknown for c in read):
        return False, "a part has subgroup words the table does not know"
    for i, a in enumerate(read):
        for b in read[i + 1:]:
            if not disjoint(a, b):
                return False, f"parts overlap ({a.label or '?'} / {b.label or '?'})"
    return True, ""


def _resolve_parts(parts: pd.DataFrame) -> dict:
    ok, why = _summable(parts)
    if not ok:
        return {"status": "parts only", "value": None, "flag": "", "rule": f"no stated whole; {why}: not summed"}
    s = total([Bounded.of(r) for _, r in parts.iterrows()])
    classes = " + ".join(classify(x).label + (f" ({classify(x).qualifier})" if classify(x).qualifier else "")
                         for x in parts["subgroup"])
    return {"status": "summed", "value": s, "flag": "",
            "rule": f"no stated whole; sum of {len(parts)} disjoint parts of {parts['source_id'].iloc[0]}: {classes}"}


def _group_keys(df: pd.DataFrame) -> pd.Series:
    """Quantity key per row; an undated row is a quantity of its own."""
    keys = df[QUANTITY_KEY].astype(str).agg("\x1f".join, axis=1)
    undated = df["period_end"] == ""
    return keys.where(~undated, keys + "\x1fundated:" + df.index.astype(str))


def headlines(df: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(one row per quantity with status/value/rule/sources, the rows with their ``role`` and ``role_rule``).

    Roles: ``whole``, ``part``, ``repeat``, ``conflict``, ``summed`` (a part counted in a sum),
    ``parts only``.
    """
    rows = prepare(df)
    if rows.empty:
        return pd.DataFrame(columns=HEADLINE_COLUMNS), rows.assign(role=pd.Series(dtype=str), role_rule="")
    rows = mark_series_repeats(rows)
    out, roles = [], {}
    live = rows[rows["role"] != "repeat"]
    for _, g in live.groupby(_group_keys(live), sort=True):
        head, r = resolve(g)
        first = g.iloc[0]
        out.append({**{k: first[k] for k in QUANTITY_KEY}, **head})
        roles.update(r)
    for i, (role, why) in roles.items():
        rows.loc[i, "role"] = "summed" if role == "part" and _status_of(out, i) == "summed" else role
        rows.loc[i, "role_rule"] = why
    return pd.DataFrame(out, columns=HEADLINE_COLUMNS), rows.drop(columns=["_order"])


def _status_of(heads: list[dict], idx) -> str:
    return next((h["status"] for h in heads if idx in h["rows"]), "")


def mark_series_repeats(rows: pd.DataFrame) -> pd.DataFrame:
    """A later article stating exactly the previous dated stock or cumulative total (same class,
    value and bound) at a later date repeats it (an old congress figure re-dated to the new
    article): role ``repeat``, not a new point. Flows carry their own period and are not re-dated."""
    rows = rows.copy()
    rows["role"] = ""
    rows["role_rule"] = ""
    key = [*SERIES_KEY, "subgroup_class", "subgroup_qualifier"]
    dated = rows[(rows["period_end"] != "") & (rows["period_start"] == "")]
    for _, g in dated.groupby(key, sort=False):
        prev = None
        for idx, r in sorted(g.iterrows(), key=lambda x: (x[1]["period_end"], x[1]["_order"])):
            b = Bounded.of(r)
            if (prev is not None and r["period_end"] > prev[1]["period_end"] and r["source_id"] != prev[1]["source_id"]
                    and _same(b, prev[2])):
                rows.loc[idx, "role"] = "repeat"
                rows.loc[idx, "role_rule"] = (f"repeats {prev[1]['source_id']} ({prev[1]['period_end']}) "
                                             "word for word at a later date: not a new point")
                continue
            prev = (idx, r, b)
    return rows
