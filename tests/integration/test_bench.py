"""A tiny run of every benchmark, only so the benchmark code cannot rot (no time is asserted)."""

import json

import pytest

from analysis.dev.bench import readme_table, run_bench, update_readme

pytestmark = pytest.mark.notebooks


def test_tiny_bench_runs_and_reports(tmp_path):
    out = tmp_path / "benchmarks.json"
    result = run_bench([10, 20], out, jobs=2, workdir=tmp_path / "work", only=["overview"])
    saved = json.loads(out.read_text(encoding="utf-8"))
    assert [r["articles"] for r in saved["extraction"]] == [10, 20]
    assert saved["extraction"][0]["f1"] > 0.9
    render = saved["render"]
    assert render["reports"] == 1 and render["breakdown"][0]["status"] == "ok"
    assert render["pages"] == 2 and render["noop_skipped"] == 2 and render["noop_imported_pandas"] is False
    assert set(result["goals"]) >= {"≥ 1 000 articles/s at the largest size", "no-op re-run under 1 s, no pandas",
                                    "F1 does not fall as N grows", "≤ 4× the read+decode+NFC floor at the largest size"}
    assert set(saved["stages"]["stages_ms_per_article"]) >= {"decode", "fold", "cue scan", "numbers",
                                                             "classification", "writing"}
    readme = tmp_path / "README.md"
    readme.write_text("# x\n", encoding="utf-8")
    update_readme(readme, readme_table(result))
    update_readme(readme, readme_table(result))  # replaces its own table, never appends twice
    assert readme.read_text(encoding="utf-8").count("<!-- bench:start -->") == 1
