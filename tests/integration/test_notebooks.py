"""Every notebook executed by papermill, on the seed data and on the multi-year fixture."""

import json
import re
from pathlib import Path

import papermill as pm
import pytest

from analysis.cli import main

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = ROOT / "notebooks"
FIXTURE = ROOT / "tests" / "fixtures" / "figures_multi.csv"
pytestmark = pytest.mark.notebooks


@pytest.fixture(scope="module")
def seed_figures(tmp_path_factory):
    out = tmp_path_factory.mktemp("processed") / "figures.csv"
    assert main(["extract", "--articles", str(ROOT / "data/raw/articles"), "--sources",
                 str(ROOT / "data/raw/sources.csv"), "--out", str(out)]) == 0
    return out


@pytest.fixture(scope="module")
def fixture_figures(tmp_path_factory):
    folder = tmp_path_factory.mktemp("fixture")
    (folder / "figures.csv").write_bytes(FIXTURE.read_bytes())
    (folder / "articles.csv").write_bytes((FIXTURE.parent / "articles_multi.csv").read_bytes())
    return folder / "figures.csv"


def run(name, tmp_path, **parameters):
    out = tmp_path / f"{name}.out.ipynb"
    pm.execute_notebook(str(NOTEBOOKS / f"{name}.ipynb"), str(out), parameters=parameters,
                        cwd=str(NOTEBOOKS), progress_bar=False, kernel_name="python3")
    book = json.loads(out.read_text(encoding="utf-8"))
    errors = [o for c in book["cells"] for o in c.get("outputs", []) if o["output_type"] == "error"]
    assert not errors
    return book


def text_of(book) -> str:
    parts = []
    for c in book["cells"]:
        for o in c.get("outputs", []):
            parts.append("".join(o.get("text", "")))
            for v in o.get("data", {}).values():
                parts.append(v if isinstance(v, str) else "".join(v) if isinstance(v, list) else "")
    return "\n".join(parts)


@pytest.mark.parametrize("name,params", [
    ("overview", {}),
    ("trends", {}),
    ("trends", {"entity": "Quế Võ"}),
    ("fund_intensity", {}),
    ("fund_intensity", {"entities": ["Bắc Kạn"]}),
    ("attainment", {}),
    ("attainment", {"model": "families", "year": 2022}),
    ("province_profile", {}),
    ("province_profile", {"province": "Bắc Kạn", "lang": "vi"}),
    ("cluster", {}),
    ("cluster", {"cluster": "Cụm III", "lang": "en"}),
    ("cluster", {"cluster": "Cụm VIII"}),
    ("cluster_trends", {}),
    ("cluster_trends", {"lang": "en"}),
])
def test_notebook_runs_on_seeds(seed_figures, tmp_path, name, params):
    run(name, tmp_path, figures_path=str(seed_figures), **params)


@pytest.mark.parametrize("name,params,expect", [
    ("overview", {}, "fx-nam-dinh-b"),
    ("trends", {"entity": "Thái Bình", "lang": "en"}, "Log-linear fit on 5 points"),
    ("trends", {"entity": "Thái Bình"}, "Hồi quy log-tuyến tính trên 5 điểm"),
    ("trends", {"entity": "Hưng Yên", "lang": "en"}, "too few to fit"),
    ("trends", {"entity": "Hưng Yên"}, "quá ít để ước lượng xu hướng"),
    ("fund_intensity", {"cluster": "Cụm III", "lang": "en"}, "≥ 50,000 VND"),
    ("fund_intensity", {"cluster": "Cụm III"}, "≥ 50.000 đồng"),
    ("attainment", {"model": "families", "lang": "en"}, "no data"),
    ("province_profile", {"province": "Thái Bình", "lang": "en"}, "Hưng Yên"),
    ("cluster", {}, "486.203"),
    ("cluster", {"lang": "en"}, "≥ 60,225 VND"),
    ("cluster_trends", {"lang": "en"}, "Ranks in 2022"),
    ("cluster_trends", {}, "Xếp hạng năm 2022"),
])
def test_notebook_runs_on_fixture(fixture_figures, tmp_path, name, params, expect):
    book = run(name, tmp_path, figures_path=str(fixture_figures), **params)
    assert expect in text_of(book)


def test_cluster_dashboard_on_the_fixture(fixture_figures, tmp_path):
    """The rendered dashboard shows the hand-computed numbers of tests/unit/reports/test_dashboard.py,
    states 'no data', links each value to its Sources entry, and escapes the fixture's <script>."""
    text = re.sub(r"data:image/png;base64,[A-Za-z0-9+/=]+", "", text_of(run("cluster", tmp_path, figures_path=str(fixture_figures), lang="vi")))
    for expect in ("486.203", "26,13", "≥ 60.225 đồng", "≥ 330.000", "498.000–510.000", "85%",
                   "không có số liệu", "các bài báo không thống nhất", 'href="#ev-1"', 'id="ev-1"', "<mark>"):
        assert expect in text, expect
    assert "<script>" not in text and not re.search(r"\b(NaN|nan|None|NaT)\b", text)


def test_lang_is_a_parameter_of_every_notebook_defaulting_to_vi():
    for name in ("cluster", "overview", "fund_intensity", "attainment", "province_profile", "trends", "cluster_trends"):
        path = NOTEBOOKS / f"{name}.ipynb"
        book = json.loads(path.read_text(encoding="utf-8"))
        first = "".join(book["cells"][0]["source"])
        assert 'lang = "vi"' in first, path.name


def test_unknown_parameter_stops_with_choices(seed_figures, tmp_path):
    with pytest.raises(pm.PapermillExecutionError) as info:
        run("trends", tmp_path, figures_path=str(seed_figures), entity="Atlantis")
    assert "Valid choices" in str(info.value) and "Quế Võ" in str(info.value)


def test_notebooks_are_committed_without_outputs():
    for path in NOTEBOOKS.glob("*.ipynb"):
        book = json.loads(path.read_text(encoding="utf-8"))
        code = [c for c in book["cells"] if c["cell_type"] == "code"]
        assert "parameters" in code[0].get("metadata", {}).get("tags", []), path.name
        assert all(not c.get("outputs") and c.get("execution_count") is None for c in code), path.name
        assert all("def " not in "".join(c["source"]) and "open(" not in "".join(c["source"]) for c in code), path.name


def test_cluster_trends_on_the_stats_fixture(tmp_path):
    """The cluster page on tests/fixtures/figures_stats.csv shows rank intervals and ties."""
    folder = tmp_path / "stats"
    folder.mkdir()
    (folder / "figures.csv").write_bytes((FIXTURE.parent / "figures_stats.csv").read_bytes())
    (folder / "articles.csv").write_bytes((FIXTURE.parent / "articles_stats.csv").read_bytes())
    book = run("cluster_trends", tmp_path, figures_path=str(folder / "figures.csv"), year=2022, lang="en")
    text = text_of(book)
    assert "1–3" in text and "Ninh Bình, Thái Bình" in text and "share of registered villages" in text
