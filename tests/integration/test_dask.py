"""Both batches on a 2-worker Dask LocalCluster (real worker processes) give the same output as
the process pool: extraction byte for byte, reports page for page apart from the timestamp."""

import re
import shutil
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

from analysis.cli import main
from analysis.dev.synth import write_corpus
from analysis.executors import dask_executor
from analysis.extraction.pipeline import run_extract
from analysis.reports.render import render_grid

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "fixtures" / "figures_multi.csv"
pytestmark = pytest.mark.integration
OUTPUTS = ["figures.csv", "residue.csv", "articles.csv", "curation_log.csv", "datapackage.json",
           "figures.meta.json"]

GRID = """
[defaults]
lang = "en"

[[report]]
name = "overview"
notebook = "overview"

[[report]]
name = "trends-thai-binh"
notebook = "trends"
parameters = { entity = "Thái Bình" }

[[report]]
name = "trends-vi"
notebook = "trends"
parameters = { entity = "Thái Bình", lang = "vi" }
"""


@pytest.fixture(scope="module")
def cluster():
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as c:
        yield c.scheduler_address


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    root = tmp_path_factory.mktemp("corpus")
    articles, sources, _ = write_corpus(root, 60, seed=7)
    for p in (ROOT / "data/raw/articles").glob("*.txt"):
        shutil.copy(p, articles / p.name)
    (articles / "unreadable.txt").write_bytes(b"")  # a failure travels back from a worker too
    with open(sources, "a", encoding="utf-8") as f:
        f.writelines((ROOT / "data/raw/sources.csv").read_text(encoding="utf-8").splitlines(True)[1:])
    return articles, sources


def test_extract_on_the_cluster_matches_the_process_pool(cluster, corpus, tmp_path, capsys):
    articles, sources = corpus
    pool_out = tmp_path / "pool" / "figures.csv"
    with ProcessPoolExecutor(2) as pool:
        summary = run_extract(articles, sources, pool_out, None, executor=pool, echo=lambda s: None,
                              warn=lambda s: None)
    assert len(summary.outcomes) == 66 and len(summary.failed) == 1 and summary.figures > 100
    dask_out = tmp_path / "dask" / "figures.csv"
    code = main(["extract", "--articles", str(articles), "--sources", str(sources), "--out", str(dask_out),
                 "--curated", "none", "--scheduler", cluster])
    assert code == 1  # the unreadable article, named
    assert "unreadable.txt: the file is empty" in capsys.readouterr().err
    for name in OUTPUTS:
        assert (dask_out.parent / name).read_bytes() == (pool_out.parent / name).read_bytes(), name


_STAMP = re.compile(r"\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d(?: UTC|[+-]\d\d:\d\d)?")


def without_timestamps(page: Path) -> str:
    return _STAMP.sub("<time>", page.read_text(encoding="utf-8"))


def test_render_on_the_cluster_matches_the_process_pool(cluster, tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(FIXTURE, data / "figures.csv")
    shutil.copy(FIXTURE.parent / "articles_multi.csv", data / "articles.csv")
    grid = tmp_path / "reports.toml"
    grid.write_text(GRID, encoding="utf-8")
    kw = dict(figures_csv=data / "figures.csv", timeout=300, progress=lambda r: None)
    with ProcessPoolExecutor(2) as pool:
        by_pool = render_grid(grid, tmp_path / "pool", executor=pool, **kw)
    with dask_executor(cluster) as executor:
        by_dask = render_grid(grid, tmp_path / "dask", executor=executor, **kw)
    assert [(r.name, r.status) for r in by_pool] == [(r.name, "ok") for r in by_pool]
    assert [(r.name, r.status) for r in by_dask] == [(r.name, r.status) for r in by_pool]
    pages = sorted(p.name for p in (tmp_path / "pool").glob("*.html"))
    assert pages == ["index.en.html", "index.html", "overview.html", "trends-thai-binh.html", "trends-vi.html"]
    assert sorted(p.name for p in (tmp_path / "dask").glob("*.html")) == pages
    for name in pages:
        a, b = without_timestamps(tmp_path / "pool" / name), without_timestamps(tmp_path / "dask" / name)
        assert a == b, name
    assert "<time>" in without_timestamps(tmp_path / "dask" / "overview.html")


def test_render_command_takes_a_scheduler(cluster, tmp_path, capsys):
    grid = tmp_path / "reports.toml"
    grid.write_text(GRID, encoding="utf-8")
    code = main(["render", "--scheduler", cluster, "--grid", str(grid), "--out", str(tmp_path / "out"),
                 "--only", "no-such-report"])
    assert code == 2  # connected to the cluster, then refused the grid before any kernel started
    err = capsys.readouterr().err
    assert "khuyenhoc render:" in err and "Dask scheduler" not in err


def test_scheduler_local_starts_and_stops_its_own_cluster(tmp_path, capsys):
    seeds = ROOT / "data/raw"
    in_process, by_local = tmp_path / "serial" / "figures.csv", tmp_path / "local" / "figures.csv"
    common = ["extract", "--articles", str(seeds / "articles"), "--sources", str(seeds / "sources.csv"),
              "--curated", "none"]
    assert main([*common, "--out", str(in_process)]) == 0  # five articles: no pool
    assert main([*common, "--out", str(by_local), "--scheduler", "local", "--jobs", "2"]) == 0
    for name in OUTPUTS:
        assert (by_local.parent / name).read_bytes() == (in_process.parent / name).read_bytes(), name
