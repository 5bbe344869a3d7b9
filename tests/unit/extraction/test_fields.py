"""One home for the table's fields and metric sets: the extractor agrees with the schema."""

from dataclasses import fields

from analysis.extraction import extract
from analysis.table import checks, schema, shapes, vocabulary


def test_figure_fields_are_the_schema_columns_in_order():
    assert [f.name for f in fields(extract.Figure)] == schema.COLUMNS


def test_metric_sets_have_one_home():
    assert extract.STOCK_METRICS is vocabulary.STOCK_METRICS is shapes.STOCK_METRICS is schema.STOCK_METRICS
    assert extract.MODEL_METRICS - {"learning_models"} == set(vocabulary.MODEL_COUNT_METRICS)
    assert checks.MODEL_METRICS is vocabulary.MODEL_METRICS
    assert set(vocabulary.COUNT_METRICS) >= vocabulary.STOCK_METRICS


def test_checks_do_not_import_the_schema():
    """schema → checks → vocabulary, one way (no cycle)."""
    import subprocess
    import sys

    code = "import sys, analysis.table.checks; print('analysis.table.schema' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
