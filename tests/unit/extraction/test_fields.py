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


def test_quotes_stay_short_on_a_run_on_line():
    from analysis.extraction.extract import SourceMeta, extract_article

    filler = "các cấp hội tiếp tục tuyên truyền vận động " * 40
    text = filler + "toàn huyện có 12.400 hội viên " + filler + "và 315 chi hội " + filler
    res = extract_article(text, SourceMeta("q", title="Hội Khuyến học huyện Kim Động tổng kết năm 2023"))
    assert {f.metric for f in res.figures} == {"members", "branches"}
    for f in res.figures:
        assert len(f.quote) <= 330 and text[f.start:f.end] in f.quote
    for r in res.residue:
        assert len(r.quote) <= 330


def test_no_extracted_row_breaks_the_contract_on_a_synthetic_corpus():
    """Undated and dated articles alike: every row passes the schema's semantic checks
    (no period_start after period_end, units fit metrics, stages fit models)."""
    import random

    import pandas as pd

    from analysis.dev.synth import make_article
    from analysis.extraction.extract import SourceMeta, extract_article
    from analysis.table.checks import semantic_problems

    rng = random.Random(7)
    rows = []
    for k in range(120):
        text, source, _ = make_article(rng, k)
        meta = SourceMeta(source["source_id"], source.get("title", ""), "", None)
        rows += [f.row() for f in extract_article(text, meta).figures]
    frame = pd.DataFrame(rows, columns=schema.COLUMNS)
    assert len(frame) > 500
    assert semantic_problems(frame) == []
