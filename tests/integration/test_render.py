"""The report batch: grid, parameter checks, failures kept apart, incremental and atomic
rendering, both languages, on any executor (the browser checks are in test_browser.py)."""

import errno
import json
import re
import shutil
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from analysis.cli import main
from analysis.reports.render import GridError, load_grid, render_grid

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "fixtures" / "figures_multi.csv"
pytestmark = pytest.mark.notebooks

GRID = """
[grid]
langs = ["vi", "en"]

[[report]]
name = "overview"
notebook = "overview"

[[report]]
name = "broken"
notebook = "broken"

[[report]]
name = "hostile"
notebook = "hostile"

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
HOSTILE_HTML = ('<p id="hostile">kept</p><script>alert(1)</script><img src=x onerror=alert(2)>'
                '<a href="javascript:alert(3)">j</a><div style="background:url(https://evil.example/x.png)">css</div>'
                '<style>@import url("https://evil.example/x.css"); p{color:#222}</style>'
                '<iframe src="https://evil.example/"></iframe><svg onload=alert(6)></svg>')
HOSTILE = _notebook([_code('lang = "en"\nfigures_path = ""', ["parameters"]),
                     _code("from IPython.display import HTML, Markdown, display\n"
                           f"display(HTML({HOSTILE_HTML!r}))\n"
                           "display(Markdown('**<img src=y onerror=alert(4)>** [x](javascript:alert(5))'))")])
SLOW = _notebook([_code('lang = "en"\nfigures_path = ""', ["parameters"]), _code("import time\ntime.sleep(60)")])


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("site")
    notebooks = root / "notebooks"
    shutil.copytree(ROOT / "notebooks", notebooks)
    (notebooks / "broken.ipynb").write_text(BROKEN, encoding="utf-8")
    (notebooks / "hostile.ipynb").write_text(HOSTILE, encoding="utf-8")
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
    assert first["broken"].error.startswith("The notebook stopped in cell")  # words, not an exception's repr
    assert first["broken.en"].status == "failed"
    assert {r.status for r in first.values() if r.report != "broken"} == {"ok"}
    assert {"trends-thai-binh", "trends-hung-yen"} <= set(first)  # expanded over the data
    index = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="broken.error.html"' in index
    error_page = (out / "broken.error.html").read_text(encoding="utf-8")
    assert "broken on purpose" in error_page
    kept = json.loads((out / "_failed" / "broken.ipynb").read_text(encoding="utf-8"))
    assert "papermill-error-cell" in json.dumps(kept)  # the failing cell is marked


def test_pages_are_self_contained_and_escape_quotes(site):
    page = (site["out"] / "overview.en.html").read_text(encoding="utf-8")
    assert "<script" not in page.lower() and "http://" not in page and "https://" not in page
    assert "Content-Security-Policy" in page and not re.search(r"\son\w+=", page)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "data:image/png;base64" in (site["out"] / "trends-thai-binh.html").read_text(encoding="utf-8")
    assert "figures.csv sha256" in page and "&quot;en&quot;" in page  # header: parameters and provenance


def test_exporter_sanitises_what_a_notebook_outputs(site):
    for name in ("hostile.html", "hostile.en.html"):
        page = (site["out"] / name).read_text(encoding="utf-8")
        assert 'id="hostile"' in page and "kept" in page
        lowered = page.lower()
        for bad in ("<script", "onerror", "onload", "javascript:", "url(", "evil.example", "<iframe", "<svg",
                    "@import", 'src="x"', 'src="y"'):
            assert bad not in lowered, (name, bad)


def test_incremental_and_atomic(site):
    grid, out, kw, notebooks = site["grid"], site["out"], site["kw"], site["notebooks"]
    (notebooks / "broken.ipynb").write_text(FIXED, encoding="utf-8")
    with ThreadPoolExecutor(2) as pool:  # any concurrent.futures executor will do
        again = statuses(render_grid(grid, out, executor=pool, **kw))
    assert again["broken"] == "ok" and not (out / "broken.error.html").exists()
    assert again["broken.en"] == "ok"
    assert {s for n, s in again.items() if n.split(".")[0] != "broken"} == {"skipped"}

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
    assert failed == {"overview": "failed", "overview.en": "failed"}
    assert (out / "overview.html").read_bytes() == good  # the last good page survives
    index = (out / "index.en.html").read_text(encoding="utf-8")
    assert 'href="overview.en.html">last good page' in index
    # --only updates its own entry and keeps every other one
    for name in ("trends-thai-binh", "trends-hung-yen", "attainment", "broken"):
        assert f'href="{name}.en.html">{name}</a>' in index
        assert f'href="{name}.html">{name}</a>' in (out / "index.html").read_text(encoding="utf-8")
    shutil.copy(ROOT / "notebooks" / "overview.ipynb", notebooks / "overview.ipynb")
    assert statuses(render_grid(grid, out, only=["overview"], **kw)) == {"overview": "ok", "overview.en": "ok"}


def test_wall_clock_limit(site, tmp_path):
    (site["notebooks"] / "slow.ipynb").write_text(SLOW, encoding="utf-8")
    grid = tmp_path / "grid.toml"
    grid.write_text('[[report]]\nname = "slow"\nnotebook = "slow"\n', encoding="utf-8")
    kw = {**site["kw"], "timeout": 5}
    started = time.perf_counter()
    (res,) = render_grid(grid, tmp_path / "out", langs=["en"], **kw)
    assert res.status == "failed" and time.perf_counter() - started < 50
    assert res.error == "The report took longer than its limit of 5 seconds and was stopped."


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


def test_both_languages(site):
    out, first = site["out"], site["first"]
    reports = {"overview", "attainment", "trends-thai-binh", "trends-hung-yen"}
    for name in reports:
        assert first[name].status == first[f"{name}.en"].status == "ok"
        vi = (out / f"{name}.html").read_text(encoding="utf-8")
        en = (out / f"{name}.en.html").read_text(encoding="utf-8")
        assert '<html lang="vi">' in vi and '<html lang="en">' in en
        assert 'href="index.html">← tất cả báo cáo' in vi and 'href="index.en.html">← all reports' in en
        assert f'href="{name}.en.html"' in vi and f'href="{name}.html"' in en  # the language switch
        assert '"vi"' in vi and '"en"' in en  # the lang parameter reached the notebook
    index, index_en = (out / "index.html").read_text(encoding="utf-8"), (out / "index.en.html").read_text(encoding="utf-8")
    assert '<html lang="vi">' in index and '<html lang="en">' in index_en
    assert 'href="index.en.html"' in index and 'href="index.html"' in index_en
    assert "báo cáo" in index and "Areas without a trends page" in index_en


def _bad_row_site(site, tmp_path, bad):
    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(site["root"] / "data" / "articles.csv", data / "articles.csv")
    text = (site["root"] / "data" / "figures.csv").read_text(encoding="utf-8")
    (data / "figures.csv").write_text(text + bad, encoding="utf-8")
    line = text.count("\n") + 1
    grid = tmp_path / "grid.toml"
    grid.write_text('[[report]]\nname = "tb"\nnotebook = "trends"\nparameters = { entity = "Thái Bình" }\n'
                    '[[report]]\nname = "hy"\nnotebook = "trends"\nparameters = { entity = "Hưng Yên" }\n'
                    '[[each]]\nover = "comparable_entities"\nname = "t-{slug}"\nnotebook = "trends"\n'
                    'parameters = { entity = "{item}" }\n', encoding="utf-8")
    return data / "figures.csv", grid, line


@pytest.mark.parametrize("bad,problem", [
    ("fx-bad,Hưng Yên,province,Hưng Yên,,2023-02-30,members,actual,5,,count,exact,,Hưng Yên: 5,0,12\n",
     "period_end '2023-02-30' is not a date"),
    ("fx-bad,Hưng Yên,province,Hưng Yên,,2023-06-30,volunteers,actual,5,,count,exact,,Hưng Yên: 5,0,12\n",
     "metric 'volunteers' is not one of"),
])
def test_a_malformed_row_fails_only_its_reports(site, tmp_path, bad, problem):
    figures, grid, line = _bad_row_site(site, tmp_path, bad)
    out = tmp_path / "out"
    kw = {**site["kw"], "figures_csv": figures}
    results = {r.name: r for r in render_grid(grid, out, langs=["en"], **kw)}
    assert results["tb"].status == "ok" and results["t-thai-binh"].status == "ok"
    for name in ("hy", "t-hung-yen"):
        assert results[name].status == "failed"
        assert f"figures.csv line {line} (fx-bad at 0): {problem}" in results[name].error
        assert not (out / "_work" / f"{name}.ipynb").exists()  # refused before any kernel
        assert f"line {line}" in (out / f"{name}.error.html").read_text(encoding="utf-8")
    assert (tmp_path / "data" / "figures.csv").read_text(encoding="utf-8").endswith(bad)  # input untouched


def test_full_disk_leaves_no_tmp_and_says_so(site, tmp_path, monkeypatch, capsys):
    from analysis.reports import state

    (site["notebooks"] / "fixed.ipynb").write_text(FIXED, encoding="utf-8")
    grid = tmp_path / "grid.toml"
    grid.write_text('[grid]\nlangs = ["en"]\n[[report]]\nname = "fixed"\nnotebook = "fixed"\n', encoding="utf-8")
    real = state._write

    def full(f, text):
        if ".fixed.html." in f.name:
            f.write(text[:100])
            raise OSError(errno.ENOSPC, "No space left on device")
        real(f, text)

    monkeypatch.setattr(state, "_write", full)
    out = tmp_path / "out"
    with ThreadPoolExecutor(1) as pool:
        (res,) = render_grid(grid, out, executor=pool, **site["kw"])
    assert res.status == "failed" and "The disk is full" in res.error and "fixed.html" in res.error
    assert not list(out.rglob("*.tmp")) and not (out / "fixed.html").exists()

    def none_left(f, text):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(state, "_write", none_left)
    args = ["render", "--grid", str(grid), "--out", str(out), "--figures", str(site["kw"]["figures_csv"]),
            "--notebooks", str(site["notebooks"]), "--force"]
    assert main(args) == 1
    err = capsys.readouterr().err
    assert "no space left on the device while writing" in err and "Traceback" not in err
    assert not list(out.rglob("*.tmp"))


def test_a_clean_run_prints_one_line_per_page(site, tmp_path):
    import subprocess
    import sys

    (site["notebooks"] / "fixed.ipynb").write_text(FIXED, encoding="utf-8")
    grid = tmp_path / "grid.toml"
    grid.write_text('[[report]]\nname = "fixed"\nnotebook = "fixed"\n', encoding="utf-8")
    out = tmp_path / "out"
    proc = subprocess.run([sys.executable, "-m", "analysis", "render", "--grid", str(grid), "--out", str(out),
                           "--figures", str(site["kw"]["figures_csv"]), "--notebooks", str(site["notebooks"])],
                          capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""  # no "Kernel is running over TCP without encryption", no KeyboardInterrupt noise
    lines = proc.stdout.splitlines()
    assert [line.split()[1:3] for line in lines[:2]] == [["ok", "fixed"], ["ok", "fixed.en"]] or \
        [line.split()[1:3] for line in lines[:2]] == [["ok", "fixed.en"], ["ok", "fixed"]]
    assert lines[2:] == ["2 rendered, 0 unchanged, 0 failed", f"index: {out / 'index.html'}"]


def test_default_grid_covers_the_cluster():
    reports = load_grid(ROOT / "reports" / "reports.toml", FIXTURE, ROOT / "data" / "reference")
    names = {r.name for r in reports}
    assert {"overview", "fund-intensity-cum-iii", "attainment-cum-iii"} <= names
    assert {f"profile-{s}" for s in ["ha-noi", "thai-binh", "bac-ninh", "hung-yen", "ninh-binh", "vinh-phuc",
                                     "ha-nam", "nam-dinh"]} <= names
    assert "trends-thai-binh" in names

# The browser checks of rendered pages live in tests/integration/test_browser.py.
