"""``khuyenhoc bench`` (``make bench``): measured speed, against the floors beneath it.

Extraction — a synthetic corpus (seeded; :mod:`analysis.dev.synth`) at each size, extracted with
all cores through the same pipeline as ``khuyenhoc extract``; articles per second, peak memory,
F1 against the planted truth, and the floor: reading, decoding and NFC-normalising the same
files with the same workers and nothing else. Each size runs in its own process so its
memory is its own.

Rendering — the default grid cold, against the floor of executing as many notebooks that only
import the libraries the reports use, with the same parallelism; the per-report breakdown;
a no-op re-run (and whether it imported pandas); ``khuyenhoc --help``.

Results go to ``reports/benchmarks.json`` and, with ``--readme``, to a table in the README.
Nothing here asserts a time: tests run a tiny bench only so this code cannot rot.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from analysis import paths

README_START, README_END = "<!-- bench:start -->", "<!-- bench:end -->"
FLOOR_NOTEBOOK = {
    "cells": [
        {"cell_type": "code", "id": "p", "metadata": {"tags": ["parameters"]}, "execution_count": None, "outputs": [],
         "source": 'lang = "en"\nfigures_path = ""'},
        {"cell_type": "code", "id": "i", "metadata": {}, "execution_count": None, "outputs": [],
         "source": "import pandas, seaborn, matplotlib.pyplot, statsmodels.api\n"
                   "import analysis.stats.load, analysis.stats.intensity, analysis.stats.attainment, analysis.stats.trends, analysis.reports.viz"},
    ],
    "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
    "nbformat": 4, "nbformat_minor": 5,
}


def _worker_extract(folder: str, jobs: int) -> dict:
    """Run in a fresh process: time the floor and the extraction of one corpus."""
    import csv
    import resource
    from concurrent.futures import ProcessPoolExecutor

    from analysis.dev.scoring import score
    from analysis.extraction.pipeline import run_extract
    from analysis.extraction.textio import read_article

    root = Path(folder)
    files = sorted((root / "articles").glob("*.txt"))
    with ProcessPoolExecutor(jobs) as pool:
        list(pool.map(abs, range(jobs)))  # start the workers before timing anything
        t0 = time.perf_counter()
        chunk = max(1, len(files) // (8 * jobs))
        floor_chars = sum(pool.map(_read_len, [str(p) for p in files], chunksize=chunk))
        floor = time.perf_counter() - t0
        t1 = time.perf_counter()
        summary = run_extract(root / "articles", root / "sources.csv", root / "out" / "figures.csv", None,
                              executor=pool, echo=lambda s: None, warn=lambda s: None)
        seconds = time.perf_counter() - t1
    with open(root / "truth.csv", encoding="utf-8") as f:
        truth = list(csv.DictReader(f))
    with open(root / "out" / "figures.csv", encoding="utf-8") as f:
        pred = list(csv.DictReader(f))
    s = score(truth, pred)
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    del read_article, floor_chars
    return {"articles": len(files), "seconds": round(seconds, 3), "articles_per_s": round(len(files) / seconds, 1),
            "floor_seconds": round(floor, 3), "floor_articles_per_s": round(len(files) / floor, 1),
            "ratio_to_floor": round(seconds / floor, 1), "figures": summary.figures,
            "peak_rss_main_mb": round(own, 1), "peak_rss_worker_mb": round(child, 1),
            "peak_rss_total_mb_upper": round(own + jobs * child, 1),
            "f1": round(s.f1, 4), "precision": round(s.precision, 4), "recall": round(s.recall, 4)}


def _read_len(path: str) -> int:
    from analysis.extraction.textio import read_article

    return len(read_article(path).text)


def _synth_stamp() -> str:
    """A corpus on disk is reused only if the generator that wrote it has not changed since."""
    import hashlib

    import analysis.dev.synth as synth

    return hashlib.sha256(Path(synth.__file__).read_bytes()).hexdigest()[:16]


def _corpus(workdir: Path, n: int) -> Path:
    from analysis.dev.synth import write_corpus

    folder = workdir / f"corpus-{n}"
    stamp = folder / "synth.stamp"
    if not (folder / "truth.csv").exists() or not stamp.exists() or stamp.read_text() != _synth_stamp():
        shutil.rmtree(folder, ignore_errors=True)
        write_corpus(folder, n)
        stamp.write_text(_synth_stamp())
    return folder


def bench_stages(workdir: Path, n: int, sample: int = 500) -> dict:
    """Per-stage CPU time per article (:mod:`analysis.dev.stages`), in a fresh process, on the
    first ``sample`` articles of the corpus of size ``n``."""
    folder = _corpus(workdir, n)
    code = ("import json, analysis.dev.stages as s; from pathlib import Path; "
            f"print(json.dumps(s.stage_times(Path({str(folder / 'articles')!r}), "
            f"Path({str(folder / 'sources.csv')!r}), {sample})))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    if proc.returncode:
        raise RuntimeError(f"stage timing failed:\n{proc.stderr[-3000:]}")
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    print("stages (ms/article): " + ", ".join(f"{k} {v}" for k, v in result["stages_ms_per_article"].items()),
          file=sys.stderr)
    return result


def bench_extraction(sizes: list[int], workdir: Path, jobs: int) -> list[dict]:
    out = []
    for n in sizes:
        folder = _corpus(workdir, n)
        shutil.rmtree(folder / "out", ignore_errors=True)
        code = f"import json, analysis.dev.bench as b; print(json.dumps(b._worker_extract({str(folder)!r}, {jobs})))"
        proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
        if proc.returncode:
            raise RuntimeError(f"extraction bench at N={n} failed:\n{proc.stderr[-3000:]}")
        result = json.loads(proc.stdout.strip().splitlines()[-1])
        out.append(result)
        print(f"extract {n:>6}: {result['articles_per_s']:>7.1f} articles/s (floor {result['floor_articles_per_s']:.0f}/s, "
              f"×{result['ratio_to_floor']}), F1 {result['f1']:.3f}, peak {result['peak_rss_total_mb_upper']:.0f} MB",
              file=sys.stderr)
    return out


def _timed(cmd: list[str], repeat: int = 1, **kw) -> float:
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True, **kw)
        best = min(best, time.perf_counter() - t)
    return best


def bench_render(workdir: Path, jobs: int, grid: Path | None = None, only: list[str] | None = None) -> dict:
    from analysis.reports.render import load_grid, render_grid

    grid = Path(grid or paths.REPORTS_DIR / "reports.toml")
    figures = workdir / "processed" / "figures.csv"
    subprocess.run([sys.executable, "-m", "analysis", "extract", "--out", str(figures)], check=True,
                   capture_output=True, cwd=paths.ROOT)
    out = workdir / "reports"
    shutil.rmtree(out, ignore_errors=True)
    t = time.perf_counter()
    results = render_grid(grid, out, figures_csv=figures, jobs=jobs, force=True, only=only, progress=lambda r: None)
    cold = time.perf_counter() - t
    n = len({r.report or r.name for r in results})  # reports; each renders in every language of the grid
    # the floor: as many notebooks that only start a kernel and import the report libraries
    floor_dir = workdir / "floor"
    shutil.rmtree(floor_dir, ignore_errors=True)
    (floor_dir / "notebooks").mkdir(parents=True)
    (floor_dir / "notebooks" / "floor.ipynb").write_text(json.dumps(FLOOR_NOTEBOOK), encoding="utf-8")
    floor_grid = floor_dir / "grid.toml"
    floor_grid.write_text("".join(f'[[report]]\nname = "floor-{i}"\nnotebook = "floor"\n\n' for i in range(n)),
                          encoding="utf-8")
    t = time.perf_counter()
    floor_results = render_grid(floor_grid, floor_dir / "out", figures_csv=figures, notebooks_dir=floor_dir / "notebooks",
                                jobs=jobs, force=True, progress=lambda r: None)
    floor = time.perf_counter() - t
    floor_exec = sorted(r.timings.get("execute_s", 0) for r in floor_results)[len(floor_results) // 2]
    breakdown = []
    for r in results:
        execute = r.timings.get("execute_s", 0.0)
        breakdown.append({"report": r.name, "status": r.status, "total_s": round(r.seconds, 2),
                          "kernel_start_and_imports_s": round(min(execute, floor_exec), 2),
                          "compute_s": round(max(0.0, execute - floor_exec), 2),
                          "html_export_s": round(r.timings.get("export_s", 0.0), 2)})
    # a no-op re-run, in a fresh process: no kernel, no pandas
    code = ("import sys, time; t = time.perf_counter(); from pathlib import Path; "
            "from analysis.reports.render import render_grid; "
            f"r = render_grid(Path({str(grid)!r}), Path({str(out)!r}), figures_csv=Path({str(figures)!r}), "
            f"only={only!r}, progress=lambda r: None); "
            "print(time.perf_counter() - t, 'pandas' in sys.modules, sum(x.status == 'skipped' for x in r))")
    t = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=paths.ROOT)
    noop_wall = time.perf_counter() - t
    inner, pandas_loaded, skipped = proc.stdout.split()
    helps = _timed([sys.executable, "-m", "analysis", "--help"], repeat=5, cwd=paths.ROOT)
    script = shutil.which("khuyenhoc") or str(Path(sys.executable).with_name("khuyenhoc"))
    helps_script = _timed([script, "--help"], repeat=5) if Path(script).exists() else None
    return {"reports": n, "pages": len(results), "jobs": jobs, "cold_s": round(cold, 2), "floor_s": round(floor, 2),
            "ratio_to_floor": round(cold / floor, 2), "noop_rerun_s": round(noop_wall, 3),
            "noop_in_process_s": round(float(inner), 3), "noop_imported_pandas": pandas_loaded == "True",
            "noop_skipped": int(skipped), "help_s": round(helps_script or helps, 3),
            "help_python_m_s": round(helps, 3), "breakdown": breakdown,
            "grid": [r.name for r in load_grid(grid, figures, paths.REFERENCE_DIR)]}


def machine() -> dict:
    return {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform(),
            "processor": platform.processor() or platform.machine(),
            "date": datetime.now(UTC).strftime("%Y-%m-%d")}


def readme_table(result: dict) -> str:
    m = result["machine"]
    lines = [README_START, "",
             f"Measured {m['date']} on {m['cpus']} cores, Python {m['python']} ({m['platform']}). "
             "Reproduce with `make bench`; raw numbers in `reports/benchmarks.json`.", "",
             "| extraction | articles/s | floor (read+decode+NFC) | × floor | peak memory (upper) | F1 on planted truth |",
             "|---|---|---|---|---|---|"]
    for r in result.get("extraction", []):
        lines.append(f"| {r['articles']:,} articles | {r['articles_per_s']:,.0f} | {r['floor_articles_per_s']:,.0f}/s "
                     f"| {r['ratio_to_floor']} | {r['peak_rss_total_mb_upper']:,.0f} MB | {r['f1']:.3f} |")
    rd = result.get("render")
    if rd:
        lines += ["", "| rendering | value |", "|---|---|",
                  f"| default grid, cold ({rd['reports']} reports, {rd['jobs']} jobs) | {rd['cold_s']} s |",
                  f"| floor: kernel start + imports × {rd['reports']}, same jobs | {rd['floor_s']} s |",
                  f"| cold / floor | {rd['ratio_to_floor']} |",
                  f"| no-op re-run (fresh process; pandas imported: {'yes' if rd['noop_imported_pandas'] else 'no'}) | {rd['noop_rerun_s']} s |",
                  f"| `khuyenhoc --help` | {rd['help_s']} s |"]
    st = result.get("stages")
    if st:
        ms = st["stages_ms_per_article"]
        lines += ["", f"Where an article's time goes (CPU ms per article, one process, first {st['articles']} articles; "
                  f"{st['ms_per_article_uninstrumented']} ms uninstrumented, {st['ms_per_article_instrumented']} ms "
                  "with the stage timers):", "",
                  "| " + " | ".join(ms) + " |", "|" + "---|" * len(ms),
                  "| " + " | ".join(f"{v:.2f}" for v in ms.values()) + " |"]
    goals = result.get("goals", {})
    if goals:
        lines += ["", "Goals: " + "; ".join(f"{k}: {'met' if v else 'NOT met'}" for k, v in goals.items()) + "."]
    lines += ["", README_END]
    return "\n".join(lines)


def update_readme(readme: Path, table: str) -> None:
    text = readme.read_text(encoding="utf-8")
    if README_START in text and README_END in text:
        head, rest = text.split(README_START, 1)
        _, tail = rest.split(README_END, 1)
        text = head + table + tail
    else:
        text = text.rstrip() + "\n\n## Benchmarks\n\n" + table + "\n"
    readme.write_text(text, encoding="utf-8")


def run_bench(sizes: list[int], out: Path, *, render: bool = True, jobs: int | None = None,
              workdir: Path | None = None, only: list[str] | None = None) -> dict:
    jobs = jobs or os.cpu_count() or 1
    own_tmp = workdir is None
    workdir = Path(workdir or tempfile.mkdtemp(prefix="khuyenhoc-bench-"))
    try:
        result = {"machine": machine(), "extraction": bench_extraction(sizes, workdir, jobs)}
        result["stages"] = bench_stages(workdir, sizes[0])
        if render:
            result["render"] = bench_render(workdir, jobs, only=only)
    finally:
        if own_tmp:
            shutil.rmtree(workdir, ignore_errors=True)
    result["goals"] = evaluate_goals(result)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return result


def evaluate_goals(result: dict) -> dict:
    """The issue's goals, judged on the measured numbers.

    Linearity is judged on the marginal cost per article (the time each added article costs
    between sizes), so the fixed start-up of a run (worker pool, imports) does not count
    against it.
    """
    goals = {}
    ex = result.get("extraction", [])
    if ex:
        goals["≥ 1 000 articles/s at the largest size"] = ex[-1]["articles_per_s"] >= 1000
        goals["≤ 4× the read+decode+NFC floor at the largest size"] = ex[-1]["ratio_to_floor"] <= 4
        goals["peak memory < 1 GB at the largest size"] = ex[-1]["peak_rss_total_mb_upper"] < 1024
        if len(ex) > 2:
            marginal = [(b["seconds"] - a["seconds"]) / (b["articles"] - a["articles"]) for a, b in zip(ex[:-1], ex[1:], strict=True)]
            goals["time linear in N (marginal cost per article within ±25 %)"] = max(marginal) <= 1.25 * min(marginal)
        if len(ex) > 1:
            goals["F1 does not fall as N grows"] = ex[-1]["f1"] >= ex[0]["f1"] - 0.005
        goals["F1 on the planted truth ≥ 0.99"] = min(r["f1"] for r in ex) >= 0.99
    rd = result.get("render")
    if rd:
        goals["cold render within 1.5× floor"] = rd["ratio_to_floor"] <= 1.5
        goals["no-op re-run under 1 s, no pandas"] = rd["noop_rerun_s"] < 1 and not rd["noop_imported_pandas"]
        goals["--help under 0.3 s"] = rd["help_s"] < 0.3
    return goals


def bench_cli(args) -> int:
    sizes = [int(s) for s in str(args.sizes).split(",") if s.strip()]
    result = run_bench(sizes, args.out, render=not args.skip_render,
                       workdir=paths.ROOT / ".bench" if not os.environ.get("KHUYENHOC_BENCH_TMP") else None)
    table = readme_table(result)
    print(table)
    if args.readme:
        update_readme(args.readme, table)
    return 0
