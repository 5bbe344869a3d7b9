"""Places: the reference gazetteer and the place mentions in an article.

A mention is an explicit name (``thị xã Quế Võ``, ``Vĩnh Phúc``, ``cụm III``, ``cả nước``) or an
anaphor that points back to one (``toàn quận``, ``Hội Khuyến học thành phố``). Names are
resolved against ``data/reference`` (63 provinces as they stood until 30 June 2025, the seed
districts); a district-level name the tables do not know (``huyện Thanh Miện``) is still an
entity, placed in the province the article is about.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from analysis.extraction.knowledge import Knowledge, fold, fold_re, knowledge
from analysis.paths import REFERENCE_DIR
from analysis.table.clusters import cluster_label

LEVEL_RANK = {"national": 0, "cluster": 1, "province": 2, "district": 3, "commune": 4}
_WORD = re.compile(r"[^\W_]+|-")
_ANAPHOR_LEAD = fold_re(r"(?:toàn|cả|địa bàn|khuyến học|thành hội|của|ở|tại)\s+$")
_CLUSTER = fold_re(r"(?<!\w)cụm\s+(?:khuyến học\s+|thi đua\s+)?(?:số\s+)?([ivx]{1,4}|\d{1,2})(?!\w)")
_ASSOC_BEFORE = fold_re(r"(?:hội khuyến học|khuyến học|hội)\s+(?:các cấp\s+)?(?:của\s+)?$")
_ALIASES = {
    "tp.hcm": "Hồ Chí Minh", "tp hcm": "Hồ Chí Minh", "tphcm": "Hồ Chí Minh", "hcm": "Hồ Chí Minh",
    "thành phố hồ chí minh": "Hồ Chí Minh", "thừa thiên huế": "Huế", "thừa thiên - huế": "Huế",
    "bà rịa – vũng tàu": "Bà Rịa - Vũng Tàu", "bà rịa-vũng tàu": "Bà Rịa - Vũng Tàu",
}


@dataclass(frozen=True)
class Place:
    name: str  # canonical, no administrative prefix
    level: str  # national | cluster | province | district | commune
    province: str  # the province on the article's date ('' for cluster and country)
    known: bool = True  # found in the reference tables


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    place: Place | None  # None for an anaphor not yet resolved
    prefix: str  # the administrative prefix written, folded ('' if none)
    anaphor: bool = False
    in_title: bool = False  # part of a person's title (Phó Chủ tịch UBND thành phố …)
    with_association: bool = False  # "Hội khuyến học <place>"


class Gazetteer:
    def __init__(self, reference_dir: Path = REFERENCE_DIR):
        self.provinces: dict[str, dict[str, str]] = {}
        with open(reference_dir / "provinces.csv", newline="", encoding="utf-8") as f:
            for row in csv.DictReader(f):
                self.provinces[row["province"]] = row
        self.districts: dict[str, dict[str, str]] = {}
        with open(reference_dir / "districts.csv", newline="", encoding="utf-8") as f:
            for row in csv.DictReader(f):
                self.districts[row["district"]] = row
        self._folded_provinces = {fold(n): n for n in self.provinces}
        self._folded_provinces.update({fold(k): v for k, v in _ALIASES.items()})
        self._folded_districts = {fold(n): n for n in self.districts}
        names = sorted(set(self._folded_provinces) | set(self._folded_districts), key=len, reverse=True)
        self._bare = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(n) for n in names) + r")(?!\w)")

    def province(self, name: str) -> Place:
        return Place(name, "province", name)

    def by_prefix(self, prefix_level: str, name: str, context_province: str) -> Place:
        """Resolve ``<prefix> <Name>``; ``context_province`` places unknown districts."""
        key = fold(name)
        if prefix_level in ("province", "city") and key in self._folded_provinces:
            prov = self._folded_provinces[key]
            if prefix_level == "province" or self.provinces[prov]["province_type"] == "thành phố":
                return Place(prov, "province", prov)
            # "thành phố Bắc Ninh": the provincial city, a district-level unit
            if key in self._folded_districts:
                return self._district(self._folded_districts[key])
            return Place(prov, "district", prov, known=False)
        if key in self._folded_districts and prefix_level in ("district", "city"):
            return self._district(self._folded_districts[key])
        level = "commune" if prefix_level == "commune" else "district" if prefix_level in ("district", "city") else "province"
        clean = name.strip()
        return Place(clean, level, context_province if level != "province" else clean, known=False)

    def longest_known(self, name: str) -> str:
        """``Hà Nội Nguyễn`` → ``Hà Nội``: the longest leading words the tables know."""
        words = name.split()
        for k in range(len(words), 0, -1):
            key = fold(" ".join(words[:k]))
            if key in self._folded_provinces or key in self._folded_districts:
                return " ".join(words[:k])
        return name

    def _district(self, name: str) -> Place:
        return Place(name, "district", self.districts[name]["province"])

    def bare(self, folded: str, text: str) -> list[tuple[int, int, Place]]:
        """Names written without a prefix (``Vĩnh Phúc``, ``Quế Võ``), capitalised in the text."""
        out = []
        for m in self._bare.finditer(folded):
            if not text[m.start()].isupper():
                continue
            key = m.group(0)
            if key in self._folded_provinces:
                prov = self._folded_provinces[key]
                out.append((m.start(), m.end(), Place(prov, "province", prov)))
            else:
                out.append((m.start(), m.end(), self._district(self._folded_districts[key])))
        return out


@cache
def gazetteer(reference_dir: Path = REFERENCE_DIR) -> Gazetteer:
    return Gazetteer(reference_dir)


def find_mentions(text: str, folded: str, gz: Gazetteer, kn: Knowledge | None = None,
                  context_province: str = "") -> list[Mention]:
    """Every place mention in reading order (explicit names, anaphors, clusters, the nation)."""
    kn = kn or knowledge()
    out: list[Mention] = []
    taken: list[tuple[int, int]] = []

    def add(m: Mention) -> None:
        if any(m.start < e and s < m.end for s, e in taken):
            return
        taken.append((m.start, m.end))
        out.append(m)

    for m in _CLUSTER.finditer(folded):
        add(Mention(m.start(), m.end(), Place(cluster_label(m.group(1)), "cluster", ""), "cụm"))
    for pm in kn.find("prefix", folded):
        after = pm.end
        while after < len(text) and text[after] in " \t":
            after += 1
        name = _name_at(text, after) if after > pm.end or pm.cue.endswith(".") else ""
        if name:
            name = gz.longest_known(name)
            place = gz.by_prefix(pm.value, name, context_province)
            add(Mention(pm.start, after + len(name), place, pm.cue))
        elif _ANAPHOR_LEAD.search(folded[max(0, pm.start - 20):pm.start]) and not folded.startswith("hội", after):
            add(Mention(pm.start, pm.end, None, pm.value, anaphor=True))
    for a, b, place in gz.bare(folded, text):
        add(Mention(a, b, place, ""))
    for nm in kn.find("national", folded):
        add(Mention(nm.start, nm.end, Place("Việt Nam", "national", ""), ""))
    out.sort(key=lambda m: m.start)
    return [_annotate(m, folded, kn) for m in out]


def _name_at(text: str, pos: int) -> str:
    """The capitalised words (or a ward number) starting at ``pos``: ``Quế Võ``, ``1``.

    At most three words: a person's name often follows a place (``TP Hà Nội Nguyễn Thị…``).
    """
    words: list[str] = []
    end = pos
    for m in _WORD.finditer(text, pos):
        gap = text[end:m.start()]
        if words and (gap.strip() or "\n" in gap):
            break
        if not words and m.start() != pos:
            break
        token = m.group(0)
        if token == "-":
            end = m.end()
            continue
        if not (token[0].isupper() or (token.isdigit() and len(token) <= 2 and not words)):
            break
        words.append(token)
        end = m.end()
        if len(words) == 3 or token.isdigit():
            break
    name = text[pos:end].rstrip(" -")
    return name if words else ""


def _annotate(m: Mention, folded: str, kn: Knowledge) -> Mention:
    before = folded[max(0, m.start - 60):m.start]
    title = kn.last("person_title", before, 0, len(before))
    in_title = False
    if title is not None:
        between = before[title.end:]
        in_title = len(between.split()) <= 5 and not re.search(r"[,;.:]", between)
    assoc = bool(_ASSOC_BEFORE.search(before))
    return Mention(m.start, m.end, m.place, m.prefix, m.anaphor, in_title, assoc)
