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
    for col in ("entity", "level", "province", "period_start", "period_end", "subgroup", "quote"):
        if col in out:
            out[col] = out[col].fillna("").astype(str)
    slim = out[[c for c in ("metric", "subgroup_kind", "subgroup_class", "quote") if c in out]].to_dict("records")
    out["measure"] = [measure_of(r) for r in slim]
    published = out["published"].fillna("").astype(str) if "published" in out else pd.Series("", index=out.index)
    out["stated_on"] = published.where(published != "", out["period_end"])
    start = out["start"] if "start" in out else pd.Series(0, index=out.index)
    out["_order"] = list(zip(out["stated_on"], out["source_id"].astype(str), start.fillna(0).astype(int), strict=True))
    return out


_FIELDS = [*QUANTITY_KEY, "source_id", "subgroup", "subgroup_class", "subgroup_kind", "subgroup_qualifier",
           "value", "bound", "value_max", "_order"]


def _records(rows: pd.DataFrame) -> list[dict]:
    """The columns the rules need, as plain dicts carrying their row index (fast to group)."""
    recs = rows[_FIELDS].to_dict("records")
    for idx, r in zip(rows.index, recs, strict=True):
        r["idx"] = idx
        r["b"] = Bounded.of(r)
    return recs


def _same(a: Bounded, b: Bounded) -> bool:
    return a.bound == b.bound and a.value == b.value and a.value_max == b.value_max


def _differ(a: Bounded, b: Bounded) -> bool:
    return abs(a.value - b.value) > TOLERANCE * max(abs(a.value), abs(b.value), 1e-9)


def _mark_repeats(g: list[dict]) -> dict:
    """Row index → the statement it repeats (same class, qualifier, value and bound)."""
    seen: list[dict] = []
    repeats = {}
    for r in sorted(g, key=lambda x: x["_order"]):
        first = next((s for s in seen if (s["subgroup_class"], s["subgroup_qualifier"]) ==
                      (r["subgroup_class"], r["subgroup_qualifier"]) and _same(s["b"], r["b"])), None)
        if first is None:
            seen.append(r)
        else:
            repeats[r["idx"]] = f"repeat of {first['source_id']}"
    return repeats


def resolve(g: list[dict]) -> tuple[dict, dict]:
    """One quantity's rows (records) → (headline fields, row index → (role, rule))."""
    roles = {i: ("repeat", why) for i, why in _mark_repeats(g).items()}
    kept = sorted((r for r in g if r["idx"] not in roles), key=lambda x: x["_order"])
    wholes = [r for r in kept if r["subgroup_kind"] != "part"]
    parts = [r for r in kept if r["subgroup_kind"] == "part"]
    head = _resolve_wholes(wholes, parts) if wholes else _resolve_parts(parts)
    part_ids = {r["idx"] for r in parts}
    for r in kept:
        i = r["idx"]
        roles[i] = (head.pop(f"role_{i}", "part" if i in part_ids else head["status"]), head["rule"])
    head["sources"] = sorted({r["source_id"] for r in g})
    head["rows"] = [r["idx"] for r in g]
    head["classes"] = sorted({r["subgroup_class"] for r in g if r["subgroup_class"]})
    return {k: v for k, v in head.items() if not k.startswith("role_")}, roles


def _resolve_wholes(wholes: list[dict], parts: list[dict]) -> dict:
    first = wholes[0]["b"]
    disagree = [r for r in wholes[1:] if _differ(r["b"], first)]
    if disagree:
        stated = "; ".join(f"{r['b']} ({r['source_id']})" for r in wholes)
        return {"status": "conflict", "value": None, "flag": "two wholes disagree",
                "rule": f"two stated wholes disagree: {stated}; both shown, none chosen",
                **{f"role_{r['idx']}": "conflict" for r in wholes}}
    others = [r["source_id"] for r in wholes[1:]]
    head = {"status": "whole", "value": first, "flag": "",
            "rule": f"stated whole ({wholes[0]['source_id']})" + (f", also stated by {', '.join(others)}" if others else "")}
    head.update({f"role_{r['idx']}": "whole" if k == 0 else "repeat" for k, r in enumerate(wholes)})
    summable, _ = _summable(parts, same_source=False)
    if summable:
        s = total([r["b"] for r in parts])
        lo = s.interval()[0] if s.interval() else s.value
        hi = first.interval()[1] if first.interval() else first.value
        if lo > hi * (1 + TOLERANCE):
            head["flag"] = "parts exceed the whole"
            head["rule"] += f"; its disjoint parts add up to {s}, more than the whole: shown as a conflict"
    return head


def _summable(parts: list[dict], same_source: bool = True) -> tuple[bool, str]:
    if len(parts) < 2:
        return False, "a single part is not the whole" if parts else "no rows"
    if same_source and len({r["source_id"] for r in parts}) > 1:
        return False, "parts come from different articles"
    read = [classify(r["subgroup"]) for r in parts]
    if any(c.unknown for c in read):
        return False, "a part has subgroup words the table does not know"
    for i, a in enumerate(read):
        for b in read[i + 1:]:
            if not disjoint(a, b):
                return False, f"parts overlap ({a.label or '?'} / {b.label or '?'})"
    return True, ""


def _resolve_parts(parts: list[dict]) -> dict:
    ok, why = _summable(parts)
    if not ok:
        return {"status": "parts only", "value": None, "flag": "", "rule": f"no stated whole; {why}: not summed"}
    s = total([r["b"] for r in parts])
    named = []
    for r in parts:
        c = classify(r["subgroup"])
        named.append(c.label + (f" ({c.qualifier})" if c.qualifier else ""))
    return {"status": "summed", "value": s, "flag": "",
            "rule": f"no stated whole; sum of {len(parts)} disjoint parts of {parts[0]['source_id']}: {' + '.join(named)}"}


def headlines(df: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(one row per quantity with status/value/rule/sources, the rows with their ``role`` and ``role_rule``).

    Roles: ``whole``, ``part``, ``repeat``, ``conflict``, ``summed`` (a part counted in a sum),
    ``parts only``.
    """
    rows = prepare(df)
    if rows.empty:
        return pd.DataFrame(columns=HEADLINE_COLUMNS), rows.assign(role=pd.Series(dtype=str), role_rule="")
    recs = _records(rows)
    role, why = mark_series_repeats(recs)
    groups: dict[tuple, list[dict]] = {}
    for r in recs:
        if role[r["idx"]] == "repeat":
            continue
        key = tuple(r[k] for k in QUANTITY_KEY)
        groups.setdefault(key if r["period_end"] else (*key, r["idx"]), []).append(r)
    out = []
    for key in sorted(groups, key=str):
        g = groups[key]
        head, roles = resolve(g)
        out.append({**{k: g[0][k] for k in QUANTITY_KEY}, **head})
        for i, (r, rule) in roles.items():
            role[i] = "summed" if r == "part" and head["status"] == "summed" else r
            why[i] = rule
    rows["role"] = pd.Series(role)
    rows["role_rule"] = pd.Series(why)
    return pd.DataFrame(out, columns=HEADLINE_COLUMNS), rows.drop(columns=["_order"])


def mark_series_repeats(recs: list[dict]) -> tuple[dict, dict]:
    """A later article stating exactly the previous dated stock or cumulative total (same class,
    value and bound) at a later date repeats it (an old congress figure re-dated to the new
    article): role ``repeat``, not a new point. Flows carry their own period and are not re-dated.
    Returns (row index → role, row index → rule)."""
    role = {r["idx"]: "" for r in recs}
    why = dict(role)
    series: dict[tuple, list[dict]] = {}
    for r in recs:
        if r["period_end"] and not r["period_start"]:
            key = tuple(r[k] for k in (*SERIES_KEY, "subgroup_class", "subgroup_qualifier"))
            series.setdefault(key, []).append(r)
    for g in series.values():
        prev = None
        for r in sorted(g, key=lambda x: (x["period_end"], x["_order"])):
            if (prev is not None and r["period_end"] > prev["period_end"] and r["source_id"] != prev["source_id"]
                    and _same(r["b"], prev["b"])):
                role[r["idx"]] = "repeat"
                why[r["idx"]] = (f"repeats {prev['source_id']} ({prev['period_end']}) word for word at a later date: "
                                 "not a new point")
                continue
            prev = r
    return role, why
