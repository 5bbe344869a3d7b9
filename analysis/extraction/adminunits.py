"""Vietnam's administrative units as they stood until 30 June 2025, for place look-ups.

The units come from the ``vietnamadminunits`` package (MIT licence, Tran Ngoc Minh Hieu):
its ``dataset.db`` table ``admin_units_legacy`` lists every commune (xã, phường, thị trấn)
with its district (quận, huyện, thị xã, thành phố thuộc tỉnh) and province, their types and
codes. It is read once per process (:func:`admin_units`, about 40 ms) into folded-name
indexes; :class:`NameMatcher` finds bare names in an article with one Aho–Corasick pass, so
the cost of looking for 760 names stays linear in the text.
"""

from __future__ import annotations

import importlib.util
import sqlite3
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

import ahocorasick

from analysis.extraction.knowledge import fold


@dataclass(frozen=True)
class Unit:
    """One administrative unit: its short name (no prefix), level, type and parents."""

    name: str
    level: str  # province | district | commune
    kind: str  # tỉnh / thành phố | quận / huyện / thị xã / thành phố | xã / phường / thị trấn
    province: str
    district: str = ""
    code: str = ""


def _dataset_path():
    """The package's ``dataset.db``, found without importing the package (its ``__init__`` loads
    the address parsers, shapely and ~170 regular expressions: a second per worker process)."""
    spec = importlib.util.find_spec("vietnamadminunits")
    if spec is not None and spec.submodule_search_locations:
        path = Path(next(iter(spec.submodule_search_locations))) / "data" / "dataset.db"
        if path.is_file():
            return path
    return resources.files("vietnamadminunits") / "data" / "dataset.db"


class AdminUnits:
    """Folded short name → units of each level (a name may be shared by many units)."""

    def __init__(self, rows: list[tuple]):
        self.provinces: dict[str, Unit] = {}
        self.districts: dict[str, list[Unit]] = {}
        self.communes: dict[str, list[Unit]] = {}
        seen_d: set[tuple[str, str]] = set()
        for (prov, pcode, dist, dtype, dcode, ward, wtype, wcode) in rows:
            key = fold(prov)
            if key not in self.provinces:
                self.provinces[key] = Unit(prov, "province", "", prov, "", pcode)
            if dist and (prov, dist) not in seen_d:
                seen_d.add((prov, dist))
                self.districts.setdefault(fold(dist), []).append(
                    Unit(dist, "district", (dtype or "").lower(), prov, dist, dcode))
            if ward:
                self.communes.setdefault(fold(ward), []).append(
                    Unit(ward, "commune", (wtype or "").lower(), prov, dist, wcode))

    def district(self, key: str, province: str = "") -> Unit | None:
        """The district of that folded name, preferring one in ``province``; None if ambiguous."""
        return _pick(self.districts.get(key, []), province)

    def commune(self, key: str, province: str = "", district: str = "") -> Unit | None:
        """The commune of that folded name in ``district`` or ``province`` (or the only one)."""
        units = self.communes.get(key, [])
        if district:
            inside = [u for u in units if u.district == district and (not province or u.province == province)]
            if inside:
                return inside[0]
        return _pick(units, province)


def _pick(units: list[Unit], province: str) -> Unit | None:
    """The one unit of the name (in ``province`` when given: never one of another province)."""
    if province:
        inside = [u for u in units if u.province == province]
        return inside[0] if len(inside) == 1 else None
    return units[0] if len(units) == 1 else None


@cache
def admin_units() -> AdminUnits:
    """All pre-July-2025 units, read once per process."""
    with resources.as_file(_dataset_path()) as path:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            rows = db.execute(
                "SELECT provinceShort, provinceCode, districtShort, districtType, districtCode, "
                "wardShort, wardType, wardCode FROM admin_units_legacy").fetchall()
        finally:
            db.close()
    return AdminUnits(rows)


class NameMatcher:
    """Whole-word matches of many folded names in one pass (Aho–Corasick), longest first."""

    def __init__(self, names: dict[str, object]):
        self._auto = ahocorasick.Automaton()
        for key, value in names.items():
            self._auto.add_word(key, (key, value))
        self._empty = not names
        if names:
            self._auto.make_automaton()

    def find(self, folded: str) -> list[tuple[int, int, str, object]]:
        """Non-overlapping (start, end, key, value), leftmost and then longest winning."""
        if self._empty:
            return []
        found = []
        n = len(folded)
        for last, (key, value) in self._auto.iter(folded):
            start, end = last - len(key) + 1, last + 1
            if (start > 0 and (folded[start - 1].isalnum())) or (end < n and folded[end].isalnum()):
                continue
            found.append((start, end, key, value))
        found.sort(key=lambda t: (t[0], t[0] - t[1]))
        out, reach = [], -1
        for t in found:
            if t[0] >= reach:
                out.append(t)
                reach = t[1]
        return out
