"""``data/processed/datapackage.json``: the processed tables as a Frictionless data package.

The Table Schema of ``figures.csv`` is generated from the same field table as the pandera
schema (:data:`analysis.table.schema.FIELDS`: types, enums, descriptions, units, primary key),
so the published description cannot drift from what extraction enforces. ``residue.csv``
and ``articles.csv`` are described by the field tables below (their column lists are checked
against the pipeline's in the tests). Each resource carries its byte count and SHA-256, so
``frictionless validate`` checks integrity as well as types and keys.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from analysis.table.schema import FIELDS, PRIMARY_KEY, SCHEMA_VERSION, Field

CHARS = "characters (Unicode code points of the NFC text)"

RESIDUE_FIELDS: tuple[Field, ...] = (
    Field("source_id", "str", True, "the article (file stem in data/raw/articles)"),
    Field("text", "str", True, "the number as written in the article"),
    Field("start", "int", True, "offset of the number's first character in the normalised text", unit=CHARS),
    Field("end", "int", True, "offset after the number's last character", unit=CHARS),
    Field("reason", "str", True, "why it is not a figure (a year, a date, a term, a page counter, …)"),
    Field("quote", "str", False, "the sentence or clause around it"),
)
RESIDUE_KEY = ("source_id", "start", "end")

ARTICLE_FIELDS: tuple[Field, ...] = (
    Field("source_id", "str", True, "the article (file stem in data/raw/articles)"),
    Field("title", "str", False, "headline, from data/raw/sources.csv"),
    Field("outlet", "str", False, "who published it, from data/raw/sources.csv"),
    Field("url", "str", False, "where it was published, from data/raw/sources.csv"),
    Field("published", "date", False, "the date used for the article (sources.csv or inferred)"),
    Field("published_how", "str", False, "where that date came from (sources.csv, a text timestamp, …)"),
    Field("subject_how", "str", False, "how the article's reporting unit was found (headline, dateline, lede, "
          "outlet, body) and the words that named it"),
    Field("encoding", "str", False, "the encoding the file was read in"),
    Field("chars", "int", False, "length of the normalised text", unit=CHARS),
    Field("figures", "int", False, "figures extracted from it", unit="count"),
    Field("residue", "int", False, "other numbers in it", unit="count"),
    Field("rejected", "int", False, "its rows that broke the contract (in rejected.csv)", unit="count"),
    Field("normalised_chars", "int", False, "invisible, control and odd space characters normalising removed "
          "or made plain", unit="count"),
    Field("warnings", "str", False, "what the extractor warns about (ERROR: the article could not be read)"),
    Field("source_gap", "str", False, "set when the article has no row in sources.csv, or the row no article file",
          ("no row in sources.csv", "no article file")),
)

TYPES = {"str": "string", "float": "number", "int": "integer", "date": "date"}
LICENSE = {"name": "CC-BY-4.0", "title": "Creative Commons Attribution 4.0",
           "path": "https://creativecommons.org/licenses/by/4.0/"}


def field_descriptor(f: Field) -> dict:
    """One Table Schema field from a field-table entry."""
    out: dict = {"name": f.name, "type": TYPES[f.dtype], "description": f.meaning}
    if f.dtype == "date":
        out["format"] = "%Y-%m-%d"
    if f.unit:
        out["unit"] = f.unit
    constraints: dict = {}
    if f.required:
        constraints["required"] = True
    if f.allowed:
        constraints["enum"] = list(f.allowed)
    if f.name == "value":
        constraints["minimum"] = 0
    if constraints:
        out["constraints"] = constraints
    return out


def table_schema(fields: tuple[Field, ...], primary_key: tuple[str, ...] = (),
                 refers_to_articles: bool = False) -> dict:
    """A Table Schema for ``fields`` (empty cells are missing values)."""
    schema: dict = {"fields": [field_descriptor(f) for f in fields], "missingValues": [""]}
    if primary_key:
        schema["primaryKey"] = list(primary_key)
    if refers_to_articles:
        schema["foreignKeys"] = [{"fields": ["source_id"],
                                  "reference": {"resource": "articles", "fields": ["source_id"]}}]
    return schema


def _resource(folder: Path, name: str, title: str, description: str, schema: dict) -> dict:
    data = (folder / f"{name}.csv").read_bytes()
    return {"name": name, "type": "table", "path": f"{name}.csv", "scheme": "file", "format": "csv",
            "mediatype": "text/csv", "encoding": "utf-8", "title": title, "description": description,
            "bytes": len(data), "hash": f"sha256:{hashlib.sha256(data).hexdigest()}",
            "dialect": {"delimiter": ",", "quoteChar": '"', "header": True}, "schema": schema}


def descriptor(folder: Path) -> dict:
    """The data package descriptor for the tables in ``folder``."""
    folder = Path(folder)
    resources = [
        _resource(folder, "figures", "Figures", "One row per figure stated in an article, with its quote "
                  "and offsets (the contract: docs/figures-contract.md).",
                  table_schema(FIELDS, PRIMARY_KEY, refers_to_articles=True)),
        _resource(folder, "residue", "Other numbers", "Every number that did not become a figure, and why.",
                  table_schema(RESIDUE_FIELDS, RESIDUE_KEY, refers_to_articles=True)),
        _resource(folder, "articles", "Articles", "One row per article: date used and how it was found, "
                  "counts, warnings, and gaps against sources.csv.",
                  table_schema(ARTICLE_FIELDS, ("source_id",))),
    ]
    return {
        "name": "khuyenhoc-figures",
        "title": "Figures of the study-promotion movement (Hội Khuyến học) from Vietnamese news reports",
        "description": "Members, branches, funds, awards and learning models (registered, achieved, "
                       "targets) as stated in news reports, one sourced row per figure. Quotes are short "
                       "excerpts of the articles, which remain their publishers'.",
        "version": SCHEMA_VERSION,
        "licenses": [LICENSE],
        "sources": [{"title": "The articles listed in data/raw/sources.csv (title, outlet, date, URL), "
                              "whose text is in data/raw/articles"}],
        "resources": resources,
    }


def write_datapackage(folder: Path) -> Path:
    """Write ``datapackage.json`` beside the tables (atomically); return its path."""
    folder = Path(folder)
    path = folder / "datapackage.json"
    tmp = folder / "datapackage.json.tmp"
    tmp.write_text(json.dumps(descriptor(folder), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    os.replace(tmp, path)
    return path
