"""The report batch: grid, parameter checks, failures kept apart, incremental and atomic
rendering, on any executor; then a real browser reads every page with the network blocked."""

import json
import shutil
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from analysis.reports.render import GridError, load_grid, render_grid

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "fixtures" / "figures_multi.csv"
pytestmark = pytest.mark.notebooks

GRID = """
[defaults]
lang = "en"

[[report]]
name = "overview"
notebook = "overview"

[[report]]
name = "broken"
notebook = "broken"

[[report]]
name = "attainment"
notebook = "attainment"
parameters = { cluster = "Cụm III", model = "families" }

[[each]]
over = "comparable_entities"
name = "trends-{slug}"
notebook = "trends"
parameters = { entity = "{item}" }
"""


def _notebook(cells):
    return json.dumps({"cells": cells, "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3",
                                                                     "language": "python"}},
                       "nbformat": 4, "nbformat_minor": 5})


def _code(src, tags=()):
    return {"cell_type": "code", "id": f"x{abs(hash(src)) % 10**8}", "metadata": {"tags": list(tags)},
            "execution_count": None, "outputs": [], "source": src}


BROKEN = _notebook([_code('lang = "en"\nfigures_path = ""', ["parameters"]),
                    _code("raise RuntimeError('broken on purpose')")])
FIXED = _notebook([_code('lang = "en"\nfigures_path = ""', ["parameters"]), _code("print('fixed')")])
SLOW = _notebook([_code('lang = "en"\nfigures_path = ""', ["parameters"]), _code("import time\ntime.sleep(60)")])


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("site")
    notebooks = root / "notebooks"
    shutil.copytree(ROOT / "notebooks", notebooks)
    (notebooks / "broken.ipynb").write_text(BROKEN, encoding="utf-8")
    data = root / "data"
    data.mkdir()
    shutil.copy(FIXTURE, data / "figures.csv")
    shutil.copy(FIXTURE.parent / "articles_multi.csv", data / "articles.csv")
    grid = root / "reports.toml"
    grid.write_text(GRID, encoding="utf-8")
    out = root / "reports"
    kw = dict(figures_csv=data / "figures.csv", notebooks_dir=notebooks, jobs=2, timeout=120)
    first = {r.name: r for r in render_grid(grid, out, **kw)}
    return {"root": root, "grid": grid, "out": out, "kw": kw, "notebooks": notebooks, "first": first}


def statuses(results):
    return {r.name: r.status for r in results}


def test_a_broken_notebook_fails_alone(site):
    first, out = site["first"], site["out"]
    assert first["broken"].status == "failed" and "broken on purpose" in first["broken"].error
    assert {n: r.status for n, r in first.items() if n != "broken"} == dict.fromkeys(
        [n for n in first if n != "broken"], "ok")
    assert {"trends-thai-binh", "trends-hung-yen"} <= set(first)  # expanded over the data
    index = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="broken.error.html"' in index
    error_page = (out / "broken.error.html").read_text(encoding="utf-8")
    assert "broken on purpose" in error_page
    kept = json.loads((out / "_failed" / "broken.ipynb").read_text(encoding="utf-8"))
    assert "papermill-error-cell" in json.dumps(kept)  # the failing cell is marked


def test_pages_are_self_contained_and_escape_quotes(site):
    page = (site["out"] / "overview.html").read_text(encoding="utf-8")
    assert "<script" not in page.lower() and "http://" not in page and "https://" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "data:image/png;base64" in (site["out"] / "trends-thai-binh.html").read_text(encoding="utf-8")
    assert "figures.csv sha256" in page and "&quot;en&quot;" in page  # header: parameters and provenance


def test_incremental_and_atomic(site):
    grid, out, kw, notebooks = site["grid"], site["out"], site["kw"], site["notebooks"]
    (notebooks / "broken.ipynb").write_text(FIXED, encoding="utf-8")
    with ThreadPoolExecutor(2) as pool:  # any concurrent.futures executor will do
        again = statuses(render_grid(grid, out, executor=pool, **kw))
    assert again["broken"] == "ok" and not (out / "broken.error.html").exists()
    assert {s for n, s in again.items() if n != "broken"} == {"skipped"}

    started = time.perf_counter()
    noop = statuses(render_grid(grid, out, **kw))
    assert set(noop.values()) == {"skipped"}
    assert time.perf_counter() - started < 30  # generous: the benchmark measures it properly

    trends = notebooks / "trends.ipynb"
    book = json.loads(trends.read_text(encoding="utf-8"))
    book["cells"].append({"cell_type": "markdown", "id": "touched", "metadata": {}, "source": "Touched."})
    trends.write_text(json.dumps(book), encoding="utf-8")
    touched = statuses(render_grid(grid, out, **kw))
    assert {n for n, s in touched.items() if s == "ok"} == {n for n in touched if n.startswith("trends-")}

    good = (out / "overview.html").read_bytes()
    (notebooks / "overview.ipynb").write_text(BROKEN, encoding="utf-8")
    failed = statuses(render_grid(grid, out, only=["overview"], **kw))
    assert failed == {"overview": "failed"}
    assert (out / "overview.html").read_bytes() == good  # the last good page survives
    assert 'href="overview.html">last good page' in (out / "index.html").read_text(encoding="utf-8")
    shutil.copy(ROOT / "notebooks" / "overview.ipynb", notebooks / "overview.ipynb")
    assert statuses(render_grid(grid, out, only=["overview"], **kw)) == {"overview": "ok"}


def test_wall_clock_limit(site, tmp_path):
    (site["notebooks"] / "slow.ipynb").write_text(SLOW, encoding="utf-8")
    grid = tmp_path / "grid.toml"
    grid.write_text('[[report]]\nname = "slow"\nnotebook = "slow"\n', encoding="utf-8")
    kw = {**site["kw"], "timeout": 5}
    started = time.perf_counter()
    (res,) = render_grid(grid, tmp_path / "out", **kw)
    assert res.status == "failed" and time.perf_counter() - started < 50


@pytest.mark.parametrize("params,message", [
    ('{ entity = "Thái Bình", colour = "red" }', "unknown parameter 'colour'"),
    ('{ entity = 7 }', "must be str"),
    ('{ entity = "Atlantis" }', "'Atlantis' is not known. Valid choices"),
    ('{ entity = "Thái Bình", metrics = ["volunteers"] }', "'volunteers' is not known"),
])
def test_bad_parameters_refused_before_any_kernel(site, tmp_path, params, message):
    grid = tmp_path / "grid.toml"
    grid.write_text(f'[[report]]\nname = "bad"\nnotebook = "trends"\nparameters = {params}\n', encoding="utf-8")
    with pytest.raises(GridError, match=message) as info:
        render_grid(grid, tmp_path / "out", **site["kw"])
    assert "report 'bad'" in str(info.value)
    assert not (tmp_path / "out" / "_work").exists()


def test_default_grid_covers_the_cluster():
    reports = load_grid(ROOT / "reports" / "reports.toml", FIXTURE, ROOT / "data" / "reference")
    names = {r.name for r in reports}
    assert {"overview", "fund-intensity-cum-iii", "attainment-cum-iii"} <= names
    assert {f"profile-{s}" for s in ["ha-noi", "thai-binh", "bac-ninh", "hung-yen", "ninh-binh", "vinh-phuc",
                                     "ha-nam", "nam-dinh"]} <= names
    assert "trends-thai-binh" in names

# The browser checks of rendered pages live in tests/integration/test_browser.py.
