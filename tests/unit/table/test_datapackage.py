"""The Frictionless data package: generated from the schema's field table, valid on real output."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from analysis.cli import main
from analysis.extraction.extract import RESIDUE_FIELDS as RESIDUE_COLUMNS
from analysis.extraction.pipeline import ARTICLE_COLUMNS
from analysis.table.datapackage import ARTICLE_FIELDS, RESIDUE_FIELDS, descriptor
from analysis.table.schema import COLUMNS, FIELDS, PRIMARY_KEY, SCHEMA_VERSION

ROOT = Path(__file__).resolve().parents[3]
FRICTIONLESS = Path(sys.executable).with_name("frictionless")


@pytest.fixture(scope="module")
def processed(tmp_path_factory):
    out = tmp_path_factory.mktemp("processed") / "figures.csv"
    assert main(["extract", "--articles", str(ROOT / "data/raw/articles"), "--sources",
                 str(ROOT / "data/raw/sources.csv"), "--out", str(out), "--curated", "none"]) == 0
    return out.parent


def resource(folder, name):
    package = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    return next(r for r in package["resources"] if r["name"] == name)


def test_figures_schema_is_the_field_table(processed):
    schema = resource(processed, "figures")["schema"]
    assert [f["name"] for f in schema["fields"]] == COLUMNS
    assert schema["primaryKey"] == list(PRIMARY_KEY)
    by_name = {f["name"]: f for f in schema["fields"]}
    for f in FIELDS:
        described = by_name[f.name]
        assert described["description"] == f.meaning
        assert described["type"] == {"str": "string", "float": "number", "int": "integer", "date": "date"}[f.dtype]
        assert described.get("constraints", {}).get("enum", []) == list(f.allowed)
        assert described.get("constraints", {}).get("required", False) == f.required
        assert described.get("unit", "") == f.unit
    assert by_name["stage"]["constraints"]["enum"] == ["actual", "registered", "achieved", "target"]
    assert by_name["start"]["unit"].startswith("characters")


def test_other_tables_follow_the_pipeline_columns():
    assert [f.name for f in RESIDUE_FIELDS] == RESIDUE_COLUMNS
    assert [f.name for f in ARTICLE_FIELDS] == ARTICLE_COLUMNS


def test_package_has_licence_sources_and_checksums(processed):
    package = json.loads((processed / "datapackage.json").read_text(encoding="utf-8"))
    assert package["version"] == SCHEMA_VERSION
    assert package["licenses"][0]["name"] and package["sources"]
    assert [r["path"] for r in package["resources"]] == ["figures.csv", "residue.csv", "articles.csv"]
    figures = resource(processed, "figures")
    assert figures["bytes"] == (processed / "figures.csv").stat().st_size
    assert package == descriptor(processed)


def test_frictionless_validate_passes(processed):
    out = subprocess.run([str(FRICTIONLESS), "validate", str(processed / "datapackage.json")],
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr
    assert out.stdout.count("VALID") == 3


def test_frictionless_catches_a_broken_table(processed, tmp_path):
    import frictionless

    for name in ("figures.csv", "residue.csv", "articles.csv", "datapackage.json"):
        (tmp_path / name).write_bytes((processed / name).read_bytes())
    text = (tmp_path / "figures.csv").read_text(encoding="utf-8")
    assert ",members,actual," in text
    (tmp_path / "figures.csv").write_text(text.replace(",members,actual,", ",members,guessed,", 1), encoding="utf-8")
    report = frictionless.validate(str(tmp_path / "datapackage.json"))
    kinds = {row[0] for row in report.flatten(["type"])}
    assert not report.valid
    assert {"constraint-error", "hash-count", "byte-count"} <= kinds


def test_sidecar_keeps_only_what_the_package_does_not_say(processed):
    meta = json.loads((processed / "figures.meta.json").read_text(encoding="utf-8"))
    assert "figures_sha256" not in meta and "schema_version" not in meta
    assert meta["rows"]["articles"] == 5 and meta["inputs_sha256"]
