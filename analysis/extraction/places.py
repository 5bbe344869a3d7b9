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

from analysis.extraction.adminunits import AdminUnits, NameMatcher, admin_units
from analysis.extraction.knowledge import Knowledge, fold, fold_re, knowledge
from analysis.extraction.spans import Spans
from analysis.paths import KNOWLEDGE_DIR, REFERENCE_DIR
from analysis.table.clusters import cluster_label

ALIASES_PATH = KNOWLEDGE_DIR / "place_aliases.csv"
_NOT_BARE = {fold("Hồ Chí Minh")}
_NEXT_WORD = re.compile(r"[ \t]([^\W\d_][\w]*)")
LEVEL_RANK = {"national": 0, "cluster": 1, "province": 2, "district": 3, "commune": 4}
_WORD = re.compile(r"[^\W_]+|-")
_ANAPHOR_LEAD = fold_re(r"(?:toàn|cả|địa bàn|khuyến học|thành hội|của|ở|tại)\s+$")
_CLUSTER = fold_re(r"(?<!\w)cụm\s+(?:khuyến học\s+|thi đua\s+)?(?:số\s+)?([ivx]{1,4}|\d{1,2})(?!\w)")
_HOI = fold_re(r"hội(?!\w)(?!\s+(?:khuyến|viên|đồng|nghị|cơ sở|cựu|liên|nông|phụ|người))")
_ASSOC_BEFORE = fold_re(r"(?:hội khuyến học|khuyến học|hội)\s+(?:các cấp\s+)?(?:của\s+)?$")


@dataclass(frozen=True)
class Place:
    """A place resolved against the reference tables: name, level and province."""
    name: str  # canonical, no administrative prefix
    level: str  # national | cluster | province | district | commune
    province: str  # the province on the article's date ('' for cluster and country)
    known: bool = True  # found in the reference tables


@dataclass(frozen=True)
class Mention:
    """A place named in the text, with its position and the words around it."""
    start: int
    end: int
    place: Place | None  # None for an anaphor not yet resolved
    prefix: str  # the administrative prefix written, folded ('' if none)
    anaphor: bool = False
    in_title: bool = False  # part of a person's title (Phó Chủ tịch UBND thành phố …)
    with_association: bool = False  # "Hội khuyến học <place>"
    body: bool = False  # "tỉnh Hội", "Trung ương Hội": the association of a level, not a place


class Gazetteer:
    """Every province, district and commune as they stood until 30 June 2025.

    Units and their types come from :mod:`analysis.extraction.adminunits` (the
    ``vietnamadminunits`` package); province types (``thành phố`` trực thuộc trung ương) from
    ``data/reference/provinces.csv``; aliases (``TP.HCM``) from ``knowledge/place_aliases.csv``.
    """

    def __init__(self, reference_dir: Path = REFERENCE_DIR, units: AdminUnits | None = None):
        self.provinces: dict[str, dict[str, str]] = {}
        with open(reference_dir / "provinces.csv", newline="", encoding="utf-8") as f:
            for row in csv.DictReader(f):
                self.provinces[row["province"]] = row
        self.units = units or admin_units()
        self._folded_provinces = {fold(n): n for n in self.provinces}
        self._folded_provinces.update({fold(a): n for a, n in read_aliases().items()})
        names: dict[str, object] = {k: "district" for k in self.units.districts}
        names.update({k: "province" for k in self._folded_provinces})
        for key in _NOT_BARE:  # "tư tưởng Hồ Chí Minh": a person; the city is written with its prefix
            names.pop(key, None)
        self._matcher = NameMatcher(names)

    def province(self, name: str) -> Place:
        """The province of this name as a Place."""
        return Place(name, "province", name)

    def by_prefix(self, prefix_level: str, name: str, context_province: str, context_district: str = "") -> Place:
        """Resolve ``<prefix> <Name>``; the context places names shared by several units."""
        key = fold(name.strip())
        clean = name.strip()
        if prefix_level in ("province", "city") and key in self._folded_provinces:
            prov = self._folded_provinces[key]
            if prefix_level == "province" or self.provinces[prov]["province_type"] == "thành phố":
                return Place(prov, "province", prov)
            # "thành phố Bắc Ninh": the provincial city, a district-level unit
            unit = self.units.district(key, prov)
            return Place(unit.name if unit else prov, "district", prov, known=unit is not None)
        if prefix_level in ("district", "city"):
            unit = self.units.district(key, context_province)
            if unit is not None:
                return Place(unit.name, "district", unit.province)
            return Place(clean, "district", context_province, known=False)
        if prefix_level == "commune":
            unit = self.units.commune(key, context_province, context_district)
            if unit is not None:
                return Place(unit.name, "commune", unit.province)
            return Place(clean, "commune", context_province, known=False)
        return Place(clean, "province", clean, known=False)

    def is_known(self, name: str, prefix_level: str = "") -> bool:
        """Whether the reference tables know the name (communes only with a commune prefix)."""
        key = fold(name)
        if key in self._folded_provinces or key in self.units.districts:
            return True
        return prefix_level == "commune" and key in self.units.communes

    def longest_known(self, name: str, prefix_level: str = "") -> str:
        """``Hà Nội Nguyễn`` → ``Hà Nội``: the longest leading words the tables know, when the words
        left over start a person's name (a ``name_lead`` cue: a surname, an institution word) or
        name another place (``huyện Kim Bảng Hà Nam``); otherwise the name is one the tables do not
        hold (``xã Phù Yên Lạc``, ``xã Vĩnh Hòa Đông``) and is kept whole."""
        words = name.split()
        leads = knowledge().values("name_lead")
        for k in range(len(words), 0, -1):
            if self.is_known(" ".join(words[:k]), prefix_level):
                rest = words[k:]
                if rest and fold(rest[0]) not in leads and not self.is_known(" ".join(rest)):
                    return name
                return " ".join(words[:k])
        return name

    def within(self, place: Place, province: str) -> Place:
        """A district or commune placed in ``province`` (the article's) when its name is shared."""
        if place.known or place.level not in ("district", "commune") or not province:
            return place
        key = fold(place.name)
        unit = self.units.district(key, province) if place.level == "district" else \
            self.units.commune(key, province)
        if unit is not None:
            return Place(unit.name, place.level, unit.province)
        return Place(place.name, place.level, place.province or province, False)

    def bare(self, folded: str, text: str) -> list[tuple[int, int, Place]]:
        """Names written without a prefix (``Vĩnh Phúc``, ``Quế Võ``), every word capitalised.

        A province wins over a district of the same name; a district name shared by several
        provinces is left unplaced (``known=False``) for :meth:`within` to settle.
        """
        out = []
        found = self._matcher.find(folded)
        starts = {t[0] for t in found}
        for a, b, key, level in found:
            if not all(w[:1].isupper() or w[:1].isdigit() for w in text[a:b].split() if w not in "-–"):
                continue
            nxt = _NEXT_WORD.match(text, b)
            if nxt and nxt.group(1)[0].isupper() and nxt.start(1) not in starts:
                continue  # "Điện Biên Phủ", "Kim Sơn Hotel": part of a longer proper name
            if level == "province":
                prov = self._folded_provinces[key]
                out.append((a, b, Place(prov, "province", prov)))
                continue
            unit = self.units.district(key)
            if unit is not None:
                out.append((a, b, Place(unit.name, "district", unit.province)))
            else:
                out.append((a, b, Place(text[a:b], "district", "", known=False)))
        return out


def read_aliases(path: Path = ALIASES_PATH) -> dict[str, str]:
    """``knowledge/place_aliases.csv``: another way of writing a province → its name."""
    with open(path, newline="", encoding="utf-8") as f:
        return {r["alias"].strip(): r["name"].strip() for r in csv.DictReader(f)}


@cache
def gazetteer(reference_dir: Path = REFERENCE_DIR) -> Gazetteer:
    """The gazetteer built from the reference tables."""
    return Gazetteer(reference_dir)


def find_mentions(text: str, folded: str, gz: Gazetteer, kn: Knowledge | None = None,
                  context_province: str = "") -> list[Mention]:
    """Every place mention in reading order (explicit names, anaphors, clusters, the nation)."""
    kn = kn or knowledge()
    out: list[Mention] = []
    taken = Spans()

    def add(m: Mention) -> None:
        if taken.overlaps(m.start, m.end):
            return
        taken.add(m.start, m.end)
        out.append(m)

    for m in _CLUSTER.finditer(folded):
        add(Mention(m.start(), m.end(), Place(cluster_label(m.group(1)), "cluster", ""), "cụm"))
    for pm in kn.find("prefix", folded):
        m = _prefixed(text, folded, pm, gz, context_province)
        if m is not None:
            add(m)
    for bm in kn.find("association_level", folded):  # "Trung ương Hội"
        add(Mention(bm.start, bm.end, None, bm.value, anaphor=True, body=True))
    for a, b, place in gz.bare(folded, text):
        if not _in_a_name(text, folded, a, kn):
            add(Mention(a, b, place, ""))
    for nm in kn.find("national", folded):
        add(Mention(nm.start, nm.end, Place("Việt Nam", "national", ""), ""))
    out.sort(key=lambda m: m.start)
    return [_annotate(m, folded, kn) for m in out]


def _prefixed(text: str, folded: str, pm, gz: Gazetteer, context_province: str) -> Mention | None:
    """``huyện Quế Võ`` (a name), ``tỉnh Hội`` (the association of a level), ``toàn huyện`` (an anaphor)."""
    after = pm.end
    while after < len(text) and text[after] in " \t":
        after += 1
    hoi = _HOI.match(folded, after)
    if hoi:  # "tỉnh Hội", "huyện Hội": the association of that level
        return Mention(pm.start, hoi.end(), None, pm.value, anaphor=True, body=True)
    name = _name_at(text, after) if after > pm.end or pm.cue.endswith(".") else ""
    if name:
        name = gz.longest_known(name, pm.value)
        return Mention(pm.start, after + len(name), gz.by_prefix(pm.value, name, context_province), pm.cue)
    if _ANAPHOR_LEAD.search(folded[max(0, pm.start - 20):pm.start]) and not folded.startswith("hội", after):
        return Mention(pm.start, pm.end, None, pm.value, anaphor=True)
    return None


def _annotate(m: Mention, folded: str, kn: Knowledge) -> Mention:
    lo = max(0, m.start - 60)
    title = kn.last("person_title", folded, lo, m.start)
    in_title = False
    if title is not None:
        between = folded[title.end:m.start]
        in_title = len(between.split()) <= 5 and not re.search(r"[,;.:]", between)
    assoc = bool(_ASSOC_BEFORE.search(folded, lo, m.start))
    return Mention(m.start, m.end, m.place, m.prefix, m.anaphor, in_title, assoc, m.body)


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
        if token.isdigit() and re.match(r"[.,]\d", text[m.end():m.end() + 2]):
            break  # "thị trấn 2,96 tỷ": a number, not ward 2
        words.append(token)
        end = m.end()
        if len(words) == 3 or token.isdigit():
            break
    name = text[pos:end].rstrip(" -")
    return name if words else ""


_PREVIOUS_WORD = re.compile(r"([^\W\d_]+)\s+$")


def _in_a_name(text: str, folded: str, start: int, kn: Knowledge) -> bool:
    """A bare place name inside a person's or an institution's name (``Phạm Kim Sơn``,
    ``Trường THPT Ngô Quyền``, ``Báo Nam Định``): the word before it is capitalised and is a
    surname or an institution word (``name_lead`` cues), or an acronym."""
    if kn.ends_with("org_lead", folded, max(0, start - 25), start):
        return True
    m = _PREVIOUS_WORD.search(text, max(0, start - 20), start)
    if not m or not m.group(1)[0].isupper():
        return False
    word = m.group(1)
    if len(word) >= 2 and word.isupper():
        return True
    return kn.at("name_lead", folded, m.start(1), m.end(1)) is not None
