"""Subgroup words → a small controlled set of classes (``analysis/knowledge/subgroups.csv``).

The article's free-text ``subgroup`` (``học sinh giỏi các cấp``, ``cá nhân (Giấy khen tỉnh
Hội)``, ``số dư``) is read into
- ``subgroup_class``: the classes it names, sorted and joined by ``+`` (``pupils+teachers``);
  empty for an unnarrowed figure;
- ``subgroup_kind``: ``whole`` (no subgroup, or ``tổng quỹ``), ``part`` (a class of what is
  counted), ``balance`` (a fund balance: a stock), ``average`` (``bình quân mỗi năm``: not a
  total), ``occurrences`` (``lượt``: counts occurrences, not people) or ``base`` (a rate whose
  base is the registered ones, ``đăng ký``);
- ``subgroup_qualifier``: the text in brackets (the awarding body), kept apart;
- ``subgroup_unknown``: words the table does not know — reported, never guessed.

Each class belongs to a *dimension* (``who`` is counted, the ``award`` given, the ``level``
of a unit, the named ``fund``, ``spending``): parts are disjoint only within one dimension
(600 pupils and 200 scholarships may be the same pupils; collectives and individuals are not).

The raw ``subgroup`` is kept unchanged.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from analysis.paths import KNOWLEDGE_DIR

TABLE = KNOWLEDGE_DIR / "subgroups.csv"
KIND_ORDER = ("whole", "balance", "average", "occurrences", "base", "part")  # the first found wins
_SPLIT = re.compile(r"\s*(?:,|;|/|\+|\bvà\b|\s-\s)\s*")
_BRACKETS = re.compile(r"\(([^)]*)\)")


@dataclass(frozen=True)
class SubgroupClass:
    """What a subgroup text names."""

    classes: tuple[str, ...]
    kind: str
    qualifier: str = ""
    unknown: tuple[str, ...] = ()
    dimensions: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        """The classes joined by ``+`` (``""`` for an unnarrowed figure)."""
        return "+".join(self.classes)


def fold(text: str) -> str:
    """Lower case, NFC, quotes dropped, spaces collapsed (the table's words are written this way)."""
    text = unicodedata.normalize("NFC", str(text)).lower()
    text = re.sub(r"[\"“”'‘’«»]", " ", text)
    return re.sub(r"\s+", " ", text).strip()


@lru_cache(maxsize=4)
def load_table(path: Path | str = TABLE) -> dict[str, tuple[str, str, str]]:
    """word → (class, kind, dimension), read once."""
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    table = {}
    for i, r in enumerate(rows, start=2):
        if r["kind"] not in KIND_ORDER:
            raise ValueError(f"{path}:{i}: kind {r['kind']!r} is not one of {', '.join(KIND_ORDER)}")
        table[fold(r["word"])] = (r["class"], r["kind"], r.get("dimension") or "")
    return table


def _match_piece(piece: str, table: dict[str, tuple[str, str, str]]) -> tuple[str, str, str] | None:
    """The longest known word at the start of the piece, else the longest anywhere (whole words)."""
    best_start, best_any = None, None
    for word, value in table.items():
        m = re.search(rf"(?<!\w){re.escape(word)}(?!\w)", piece)
        if not m:
            continue
        if m.start() == 0 and (best_start is None or len(word) > len(best_start[0])):
            best_start = (word, value)
        if best_any is None or len(word) > len(best_any[0]):
            best_any = (word, value)
    found = best_start or best_any
    return found[1] if found else None


@lru_cache(maxsize=4096)
def classify(text: str, path: Path | str = TABLE) -> SubgroupClass:
    """Read one subgroup text; an empty one is the whole."""
    folded = fold(text or "")
    if not folded:
        return SubgroupClass((), "whole")
    qualifier = "; ".join(q.strip() for q in _BRACKETS.findall(str(text)) if q.strip())
    body = _BRACKETS.sub(" ", folded)
    table = load_table(path)
    classes, kinds, dims, unknown = set(), set(), set(), []
    for piece in (p.strip() for p in _SPLIT.split(body)):
        if not piece:
            continue
        hit = _match_piece(piece, table)
        if hit is None:
            unknown.append(piece)
            continue
        classes.add(hit[0])
        kinds.add(hit[1])
        dims.add(hit[2])
    kind = next((k for k in KIND_ORDER if k in kinds), "part")
    return SubgroupClass(tuple(sorted(classes)), kind, qualifier, tuple(unknown), tuple(sorted(dims)))


def apply_classes(df: pd.DataFrame) -> pd.DataFrame:
    """The figures table with ``subgroup_class``, ``subgroup_kind``, ``subgroup_qualifier`` and
    ``subgroup_unknown`` added (raw ``subgroup`` kept)."""
    out = df.copy()
    read = [classify(str(s or "")) for s in out.get("subgroup", pd.Series("", index=out.index)).fillna("")]
    out["subgroup_class"] = [c.label for c in read]
    out["subgroup_kind"] = [c.kind for c in read]
    out["subgroup_qualifier"] = [c.qualifier for c in read]
    out["subgroup_unknown"] = ["; ".join(c.unknown) for c in read]
    return out


def unknown_subgroups(df: pd.DataFrame) -> pd.DataFrame:
    """Subgroup words the table does not know: word, how many rows, the sources (for the overview)."""
    if "subgroup_unknown" not in df:
        df = apply_classes(df)
    rows = df[df["subgroup_unknown"] != ""]
    if rows.empty:
        return pd.DataFrame(columns=["word", "rows", "metrics", "sources"])
    exploded = rows.assign(word=rows["subgroup_unknown"].str.split("; ")).explode("word")
    grouped = exploded.groupby("word", sort=True)
    return pd.DataFrame({
        "word": list(grouped.groups),
        "rows": grouped.size().to_list(),
        "metrics": grouped["metric"].agg(lambda s: ", ".join(sorted(set(s)))).to_list(),
        "sources": grouped["source_id"].agg(lambda s: sorted(set(s))).to_list(),
    })


def disjoint(a: SubgroupClass, b: SubgroupClass) -> bool:
    """Two parts are disjoint when they split one dimension and their classes do not meet, or
    when they are the same class under two different stated qualifiers (two different honours);
    parts along two dimensions (pupils / scholarships) or with unknown words never are."""
    if a.unknown or b.unknown or not a.classes or not b.classes:
        return False
    if len(set(a.dimensions) | set(b.dimensions)) != 1:
        return False
    if set(a.classes) & set(b.classes):
        return a.classes == b.classes and bool(a.qualifier) and bool(b.qualifier) and a.qualifier != b.qualifier
    return True
