"""Labels (metric names, units, headings) in English and Vietnamese, from one table
(``knowledge/labels.csv``), and numbers written in each language's convention."""

from __future__ import annotations

import csv
from functools import cache

from analysis.numfmt import format_number
from analysis.paths import KNOWLEDGE_DIR
from analysis.reports.params import LANGS, check_lang

__all__ = ["LANGS", "check_lang", "format_number", "label"]
_PATH = KNOWLEDGE_DIR / "labels.csv"


@cache
def _table() -> dict[str, dict[str, str]]:
    with open(_PATH, newline="", encoding="utf-8") as f:
        return {r["key"]: r for r in csv.DictReader(f)}


def label(key: str, lang: str = "en") -> str:
    """The label of ``key`` in ``lang`` (the key itself when the table has no row for it)."""
    row = _table().get(key)
    return row[check_lang(lang)] if row else key
