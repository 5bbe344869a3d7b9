"""Scoring a figures table against a truth table, the way the shipped ``score_figures.py`` does:
a predicted row matches a truth row of the same article when metric and unit agree and the
values agree within 0.5 % (both ends of a range); each truth row matches at most one row;
ties go to pairs that also agree on stage and entity, then to overlapping offsets."""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from dataclasses import dataclass


def _num(text) -> float | None:
    if text is None:
        return None
    text = str(text).strip()
    return float(text) if text and text.lower() != "nan" else None


def _close(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return abs(a - b) <= max(0.005 * abs(b), 1e-6)


def _norm(text) -> str:
    return unicodedata.normalize("NFC", str(text or "").strip()).casefold()


def _overlap(g: dict, p: dict) -> int:
    try:
        gs, ge, ps, pe = (int(x) for x in (g["start"], g["end"], p["start"], p["end"]))
    except (KeyError, TypeError, ValueError):
        return 0
    return max(0, min(ge, pe) - max(gs, ps))


def match(gold: list[dict], pred: list[dict]) -> list[tuple[dict, dict]]:
    """Pair gold and predicted rows one to one (same article, metric, unit, value within 0.5 %)."""
    candidates = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(pred):
            if p["metric"] != g["metric"] or p.get("unit") != g.get("unit"):
                continue
            if not _close(_num(p["value"]), _num(g["value"])) or \
                    not _close(_num(p.get("value_max")), _num(g.get("value_max"))):
                continue
            score = (p.get("stage") == g.get("stage")) + (_norm(p.get("entity")) == _norm(g.get("entity")))
            candidates.append((-score, -_overlap(g, p), gi, pi))
    candidates.sort()
    used_g, used_p, pairs = set(), set(), []
    for _, _, gi, pi in candidates:
        if gi not in used_g and pi not in used_p:
            used_g.add(gi)
            used_p.add(pi)
            pairs.append((gold[gi], pred[pi]))
    return pairs


@dataclass
class Score:
    """Counts of one scoring run and the measures derived from them."""

    truth: int
    predicted: int
    matched: int
    agreement: dict

    @property
    def precision(self) -> float:
        """Matched share of the predicted rows."""
        return self.matched / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        """Matched share of the gold rows."""
        return self.matched / self.truth if self.truth else 0.0

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall."""
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def score(gold: list[dict], pred: list[dict], vocabulary: set[str] | None = None) -> Score:
    """Score over the articles of the truth table; optional truth rows are not owed."""
    from analysis.table.schema import METRICS

    vocabulary = vocabulary or set(METRICS)
    by_g, by_p = defaultdict(list), defaultdict(list)
    for g in gold:
        by_g[g["source_id"]].append(g)
    for p in pred:
        if p.get("source_id") in by_g and p.get("metric") in vocabulary:
            by_p[p["source_id"]].append(p)
    matched = owed = predicted = 0
    agree = dict.fromkeys(["stage", "bound", "entity", "period_year"], 0)
    for src, g_rows in by_g.items():
        pairs = match(g_rows, by_p[src])
        optional = [g for g in g_rows if str(g.get("optional", "")).lower() == "true"]
        matched_optional = sum(1 for g, _ in pairs if str(g.get("optional", "")).lower() == "true")
        owed += len(g_rows) - len(optional)
        predicted += len(by_p[src]) - matched_optional
        for g, p in pairs:
            if str(g.get("optional", "")).lower() == "true":
                continue
            matched += 1
            for k in ("stage", "bound", "entity"):
                agree[k] += _norm(p.get(k)) == _norm(g.get(k))
            agree["period_year"] += (p.get("period_end") or "")[:4] == (g.get("period_end") or "")[:4]
    return Score(owed, predicted, matched, {k: v / matched if matched else 0.0 for k, v in agree.items()})
