"""``khuyenhoc render``: the report grid → reviewable HTML, in parallel, incrementally, atomically.

- The grid is data (``reports/reports.toml``); ``[[each]]`` entries expand over the data.
- Parameters are typed by the notebook's own ``parameters`` cell and checked against the data
  before any kernel starts; values reach the notebook as literals (papermill writes them).
- Reports run on any ``concurrent.futures`` executor (a process pool by default; a Dask
  cluster's executor works the same), each with a wall-clock limit; one failure does not stop
  the others and keeps its executed notebook, with the failing cell marked.
- A report is re-rendered only when its notebook, parameters, the figures table, the package
  source or the lock file changed (content hashes); a no-op run imports neither pandas nor a
  kernel.
- Every page is written to a temporary file and renamed: a failed or interrupted render never
  replaces the last good page. Pages are self-contained (code hidden, images embedded, no
  script or font fetched) and carry their parameters, render time and data provenance.
"""

from __future__ import annotations

import ast
import csv
import hashlib
import html
import json
import os
import re
import sys
import time
import tomllib
import unicodedata
from collections.abc import Callable
from concurrent.futures import Executor, ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from analysis import paths
from analysis.table.clusters import cluster_label, cluster_number

STATE_FILE = ".state.json"
DEFAULT_TIMEOUT = 600.0


class GridError(ValueError):
    """The grid names something that cannot run; the message names the report."""


@dataclass
class Report:
    name: str
    notebook: str
    parameters: dict = field(default_factory=dict)


@dataclass
class Result:
    name: str
    status: str  # ok | skipped | failed
    seconds: float = 0.0
    error: str = ""
    timings: dict = field(default_factory=dict)


# -- the grid -------------------------------------------------------------------------

def slugify(text: str) -> str:
    text = unicodedata.normalize("NFD", str(text).replace("Đ", "D").replace("đ", "d"))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def _figure_rows(figures_csv: Path) -> list[dict]:
    if not figures_csv.exists():
        return []
    with open(figures_csv, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _reference_provinces(reference_dir: Path) -> list[dict]:
    with open(reference_dir / "provinces.csv", newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def load_grid(grid_path: Path, figures_csv: Path, reference_dir: Path) -> list[Report]:
    """Read the grid and expand its ``[[each]]`` entries over the data."""
    from analysis.table.shapes import comparable_entities

    try:
        spec = tomllib.loads(Path(grid_path).read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise GridError(f"{grid_path}: {exc}") from exc
    defaults = spec.get("defaults", {})
    reports = [Report(r["name"], r["notebook"], {**defaults, **r.get("parameters", {})})
               for r in spec.get("report", [])]
    rows = None
    for each in spec.get("each", []):
        over = each.get("over")
        if over == "comparable_entities":
            rows = rows if rows is not None else _figure_rows(figures_csv)
            items = comparable_entities(rows)
        elif over == "cluster_provinces":
            number = cluster_number(each.get("cluster", ""))
            items = [p["province"] for p in _reference_provinces(reference_dir) if p["cluster"] == number]
        else:
            raise GridError(f"{grid_path}: [[each]] over {over!r} is not known "
                            "(comparable_entities or cluster_provinces)")
        for item in items:
            fill = {"item": item, "slug": slugify(item)}
            params = {k: (v.format(**fill) if isinstance(v, str) else v) for k, v in each.get("parameters", {}).items()}
            reports.append(Report(each["name"].format(**fill), each["notebook"], {**defaults, **params}))
    names = [r.name for r in reports]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise GridError(f"{grid_path}: report names used twice: {', '.join(dupes)}")
    return reports


# -- typed parameters ----------------------------------------------------------------------

def notebook_parameters(notebook: Path) -> dict:
    """The defaults in the notebook's cell tagged ``parameters`` (name → literal value)."""
    book = json.loads(Path(notebook).read_text(encoding="utf-8"))
    for cell in book["cells"]:
        if cell["cell_type"] == "code" and "parameters" in cell.get("metadata", {}).get("tags", []):
            tree = ast.parse("".join(cell["source"]))
            out = {}
            for node in tree.body:
                if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
                    out[node.targets[0].id] = ast.literal_eval(node.value)
            return out
    raise GridError(f"{notebook}: no cell tagged 'parameters'")


def _type_name(value) -> str:
    return type(value).__name__


def check_report(report: Report, declared: dict, known: dict[str, set]) -> list[str]:
    """Problems with a report's parameters: unknown keys, wrong types, unknown values."""
    problems = []
    where = f"report {report.name!r} ({report.notebook})"
    for key, value in report.parameters.items():
        if key not in declared:
            problems.append(f"{where}: unknown parameter {key!r} (the notebook takes {', '.join(sorted(declared))})")
            continue
        default = declared[key]
        ok_type = isinstance(value, type(default)) and not (isinstance(value, bool) and not isinstance(default, bool))
        if isinstance(default, float) and isinstance(value, int) and not isinstance(value, bool):
            ok_type = True
        if not ok_type:
            problems.append(f"{where}: parameter {key!r} must be {_type_name(default)}, got {value!r}")
            continue
        values = value if isinstance(value, list) else [value]
        if isinstance(default, list) and not all(isinstance(v, str) for v in values):
            problems.append(f"{where}: parameter {key!r} must be a list of strings")
            continue
        domain_key = {"entities": "entity", "metrics": "metric"}.get(key, key)
        domain = known.get(domain_key)
        if domain is None:
            continue
        for v in values:
            if v in ("", 0) and domain_key in ("year",):
                continue
            if v not in domain:
                sample = ", ".join(sorted(map(str, domain))[:40])
                problems.append(f"{where}: {key} = {v!r} is not known. Valid choices: {sample}")
    return problems


def known_values(figures_csv: Path, reference_dir: Path) -> dict[str, set]:
    from analysis.reports.labels import LANGS
    from analysis.table.schema import METRICS, MODEL_CHOICES

    rows = _figure_rows(figures_csv)
    provinces = _reference_provinces(reference_dir)
    clusters = {c for p in provinces if (c := p["cluster"])}
    return {
        "entity": {r["entity"] for r in rows if r["entity"]},
        "province": {p["province"] for p in provinces},
        "cluster": {cluster_label(c) for c in clusters} | clusters | {cluster_label(c).removeprefix("Cụm ") for c in clusters},
        "model": set(MODEL_CHOICES),
        "metric": set(METRICS),
        "lang": set(LANGS),
        "year": {int(r["period_end"][:4]) for r in rows if r["period_end"]},
    }


# -- fingerprints ----------------------------------------------------------------------

def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def package_fingerprint() -> str:
    h = hashlib.sha256()
    for p in sorted(paths.PACKAGE_DIR.rglob("*")):
        if p.suffix in (".py", ".csv") and "__pycache__" not in p.parts:
            h.update(p.relative_to(paths.PACKAGE_DIR).as_posix().encode())
            h.update(p.read_bytes())
    return h.hexdigest()


def report_key(report: Report, notebook_bytes: bytes, shared: str) -> str:
    params = json.dumps(report.parameters, sort_keys=True, ensure_ascii=False)
    return _sha(b"\0".join([notebook_bytes, params.encode(), shared.encode()]))


# -- one report (runs in a worker) ----------------------------------------------------------

_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;max-width:1100px;margin:0 auto;
padding:1rem 1.5rem;color:#1d1d1f;line-height:1.45}
header.report{border-bottom:2px solid #4c72b0;margin-bottom:1rem;padding-bottom:.5rem}
header.report h1{font-size:1.1rem;margin:.2rem 0}
table{border-collapse:collapse;margin:.5rem 0 1rem;font-size:.85rem}
th,td{border:1px solid #d0d4dc;padding:.25rem .5rem;text-align:left;vertical-align:top}
thead th{background:#eef1f6}
img{max-width:100%;height:auto}
main>table{display:block;overflow-x:auto;max-width:100%}
.meta td:first-child{font-weight:600;white-space:nowrap}
pre{white-space:pre-wrap;background:#f6f8fa;padding:.5rem;font-size:.8rem}
.jp-OutputArea-output pre, .output_stderr{background:#fff4f4}
.status-ok{color:#176c2c}.status-failed{color:#b00020;font-weight:600}.status-skipped{color:#555}
"""


def _page(title: str, header: str, body: str, lang: str = "en") -> str:
    return (f'<!DOCTYPE html>\n<html lang="{html.escape(lang)}">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{html.escape(title)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n"
            f"{header}\n<main>\n{body}\n</main>\n</body>\n</html>\n")


def _header(task: dict, when: str, failed: bool = False) -> str:
    prov = task["provenance"]
    rows = "".join(f"<tr><td>{html.escape(str(k))}</td><td>{html.escape(json.dumps(v, ensure_ascii=False))}</td></tr>"
                   for k, v in task["parameters"].items())
    state = ' <span class="status-failed">FAILED</span>' if failed else ""
    return (f'<header class="report"><p><a href="index.html">← all reports</a></p>'
            f"<h1>{html.escape(task['name'])} — {html.escape(task['notebook'])}{state}</h1>"
            f'<table class="meta"><tbody>{rows}'
            f"<tr><td>rendered</td><td>{html.escape(when)}</td></tr>"
            f"<tr><td>data</td><td>figures.csv sha256 {html.escape(prov['figures_sha256'][:16])}…, "
            f"{prov['figures']} figures from {prov['articles']} articles (package {html.escape(prov['package_version'])})</td></tr>"
            f"</tbody></table></header>")


def _export(notebook_path: Path, hide_code: bool) -> str:
    import nbformat
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(template_name="basic")
    exporter.exclude_input = hide_code
    exporter.exclude_input_prompt = True
    exporter.exclude_output_prompt = True
    exporter.anchor_link_text = ""
    book = nbformat.read(str(notebook_path), as_version=4)
    if hide_code:  # papermill's injected-parameters cell and empty code cells show nothing
        book.cells = [c for c in book.cells if c.cell_type == "markdown" or c.get("outputs")]
    body, _ = exporter.from_notebook_node(book)
    return body


def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


class _WallClock(Exception):
    pass


def render_one(task: dict) -> dict:
    """Execute one notebook and export it; never raises (a failure is a result)."""
    import signal
    import threading

    started = time.perf_counter()
    out_dir = Path(task["out_dir"])
    work = out_dir / "_work"
    work.mkdir(parents=True, exist_ok=True)
    executed = work / f"{task['name']}.ipynb"
    timings = {}
    use_alarm = threading.current_thread() is threading.main_thread() and hasattr(signal, "SIGALRM")

    def on_alarm(signum, frame):
        raise _WallClock(f"wall-clock limit of {task['timeout']:.0f} s reached")

    error = ""
    try:
        import papermill as pm

        timings["import_s"] = time.perf_counter() - started
        if use_alarm:
            previous = signal.signal(signal.SIGALRM, on_alarm)
            signal.setitimer(signal.ITIMER_REAL, task["timeout"])
        try:
            t0 = time.perf_counter()
            pm.execute_notebook(task["notebook_path"], str(executed), parameters=task["parameters"],
                                kernel_name="python3", progress_bar=False, log_output=False,
                                cwd=task["cwd"], request_save_on_cell_execute=False,
                                execution_timeout=int(task["timeout"]))
            timings["execute_s"] = time.perf_counter() - t0
        finally:
            if use_alarm:
                signal.setitimer(signal.ITIMER_REAL, 0)
                signal.signal(signal.SIGALRM, previous)
    except Exception as exc:  # noqa: BLE001 — any failure of one report is reported, not raised
        if getattr(exc, "ename", None):  # papermill: the notebook's own exception
            error = f"{exc.ename}: {exc.evalue} (in cell {getattr(exc, 'exec_count', '?')})"
        else:
            error = f"{type(exc).__name__}: {exc}".strip()
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    t1 = time.perf_counter()
    lang = str(task["parameters"].get("lang", "en"))
    if error:
        failed_dir = out_dir / "_failed"
        failed_dir.mkdir(exist_ok=True)
        body = f"<h2>This report failed</h2><pre>{html.escape(error[-4000:])}</pre>"
        if executed.exists():
            os.replace(executed, failed_dir / executed.name)
            try:
                body += _export(failed_dir / executed.name, hide_code=False)
            except Exception as exc:  # noqa: BLE001
                body += f"<p>The executed notebook could not be exported: {html.escape(str(exc))}</p>"
        _write_atomic(out_dir / f"{task['name']}.error.html",
                      _page(f"{task['name']} (failed)", _header(task, when, failed=True), body, lang))
        return {"name": task["name"], "status": "failed", "error": error.splitlines()[0][:300] if error else "",
                "seconds": time.perf_counter() - started, "timings": timings}
    body = _export(executed, hide_code=True)
    _write_atomic(out_dir / f"{task['name']}.html", _page(task["name"], _header(task, when), body, lang))
    timings["export_s"] = time.perf_counter() - t1
    stale = out_dir / f"{task['name']}.error.html"
    if stale.exists():
        stale.unlink()
    return {"name": task["name"], "status": "ok", "error": "", "seconds": time.perf_counter() - started,
            "timings": timings}


# -- the batch ------------------------------------------------------------------------

def _provenance(figures_csv: Path) -> dict:
    from analysis import __version__

    meta_path = figures_csv.parent / "figures.meta.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8")) if meta_path.exists() else {}
    rows = _figure_rows(figures_csv)
    return {"figures_sha256": _sha(figures_csv.read_bytes()) if figures_csv.exists() else "",
            "figures": len(rows), "articles": meta.get("rows", {}).get("articles", len({r["source_id"] for r in rows})),
            "package_version": __version__}


class Progress:
    """A bar on a terminal, plain lines elsewhere (CI)."""

    def __init__(self, total: int, stream=None):
        self.total, self.done = total, 0
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty() and not os.environ.get("CI")

    def update(self, result: Result) -> None:
        self.done += 1
        if self.tty:
            width = 30
            filled = int(width * self.done / max(1, self.total))
            self.stream.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {self.done}/{self.total} "
                              f"{result.status:<7} {result.name[:40]:<40}")
            if self.done == self.total:
                self.stream.write("\n")
        else:
            note = f" — {result.error}" if result.error else ""
            self.stream.write(f"[{self.done}/{self.total}] {result.status} {result.name} "
                              f"({result.seconds:.1f} s){note}\n")
        self.stream.flush()


def render_grid(grid_path: Path, out_dir: Path, *, figures_csv: Path | None = None,
                reference_dir: Path | None = None, notebooks_dir: Path | None = None,
                executor: Executor | None = None, jobs: int = 0, force: bool = False,
                only: list[str] | None = None, timeout: float | None = None,
                progress: Callable[[Result], None] | None = None) -> list[Result]:
    """Render the grid; returns one result per report, in grid order."""
    figures_csv = Path(figures_csv or paths.FIGURES_CSV)
    reference_dir = Path(reference_dir or paths.REFERENCE_DIR)
    notebooks_dir = Path(notebooks_dir or paths.NOTEBOOKS_DIR)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    if not figures_csv.exists():
        raise GridError(f"{figures_csv} does not exist: run 'make figures' first")
    reports = load_grid(grid_path, figures_csv, reference_dir)
    if only:
        missing = sorted(set(only) - {r.name for r in reports})
        if missing:
            raise GridError(f"no report named {', '.join(missing)} in {grid_path}")
        reports = [r for r in reports if r.name in only]
    known = known_values(figures_csv, reference_dir)
    problems, tasks = [], []
    lock = paths.ROOT / "requirements.lock"
    shared = "\0".join([_sha(figures_csv.read_bytes()), package_fingerprint(),
                        _sha(lock.read_bytes()) if lock.exists() else ""])
    provenance = None
    state_path = out_dir / STATE_FILE
    state = json.loads(state_path.read_text(encoding="utf-8")) if state_path.exists() else {}
    custom_figures = figures_csv.resolve() != paths.FIGURES_CSV.resolve()
    for r in reports:
        nb_path = notebooks_dir / f"{r.notebook}.ipynb"
        if not nb_path.exists():
            problems.append(f"report {r.name!r}: notebook {nb_path} does not exist")
            continue
        declared = notebook_parameters(nb_path)
        params = dict(r.parameters)
        if custom_figures and "figures_path" in declared:
            params["figures_path"] = str(figures_csv.resolve())
        r = Report(r.name, r.notebook, params)
        found = check_report(r, declared, known)
        if found:
            problems += found
            continue
        nb_bytes = nb_path.read_bytes()
        key = report_key(r, nb_bytes, shared)
        tasks.append((r, key, nb_path))
    if problems:
        raise GridError("the grid cannot run:\n  " + "\n  ".join(problems))

    results: dict[str, Result] = {}
    todo = []
    for r, key, nb_path in tasks:
        page = out_dir / f"{r.name}.html"
        if not force and state.get(r.name, {}).get("key") == key and page.exists():
            results[r.name] = Result(r.name, "skipped")
            continue
        provenance = provenance or _provenance(figures_csv)
        todo.append({"name": r.name, "notebook": r.notebook, "notebook_path": str(nb_path),
                     "parameters": r.parameters, "out_dir": str(out_dir), "cwd": str(notebooks_dir),
                     "timeout": float(timeout or DEFAULT_TIMEOUT), "provenance": provenance, "key": key})
    report = progress or Progress(len(tasks)).update
    for res in results.values():
        report(res)
    if todo:
        own = executor is None
        pool = executor or ProcessPoolExecutor(max(1, min(jobs or os.cpu_count() or 1, len(todo))))
        try:
            futures = {pool.submit(render_one, t): t for t in todo}
            for fut in as_completed(futures):
                t = futures[fut]
                try:
                    out = fut.result()
                except Exception as exc:  # noqa: BLE001 — a worker that died
                    out = {"name": t["name"], "status": "failed", "error": f"{type(exc).__name__}: {exc}",
                           "seconds": 0.0, "timings": {}}
                res = Result(out["name"], out["status"], out["seconds"], out["error"], out.get("timings", {}))
                results[res.name] = res
                if res.status == "ok":
                    state[res.name] = {"key": t["key"], "rendered_at": datetime.now(UTC).isoformat(timespec="seconds")}
                else:
                    state.pop(res.name, None)
                report(res)
        finally:
            if own:
                pool.shutdown(wait=True, cancel_futures=True)
    ordered = [results[r.name] for r, _, _ in tasks]
    _write_atomic(state_path, json.dumps(state, indent=2, sort_keys=True, ensure_ascii=False) + "\n")
    write_index(out_dir, [(r, results[r.name]) for r, _, _ in tasks], state)
    return ordered


def write_index(out_dir: Path, entries: list[tuple[Report, Result]], state: dict) -> None:
    rows = []
    for r, res in entries:
        params = ", ".join(f"{k} = {json.dumps(v, ensure_ascii=False)}" for k, v in r.parameters.items()
                           if k != "figures_path")
        page = out_dir / f"{r.name}.html"
        links = []
        if res.status == "failed":
            links.append(f'<a href="{html.escape(r.name)}.error.html">error</a>')
            if page.exists():
                links.append(f'<a href="{html.escape(r.name)}.html">last good page</a>')
        elif page.exists():
            links.append(f'<a href="{html.escape(r.name)}.html">{html.escape(r.name)}</a>')
        label = {"ok": "ok", "skipped": "skipped (unchanged)", "failed": "failed"}[res.status]
        when = state.get(r.name, {}).get("rendered_at", "")
        note = f"<br><small>{html.escape(res.error)}</small>" if res.error else ""
        rows.append(f"<tr><td>{' · '.join(links) or html.escape(r.name)}</td><td>{html.escape(r.notebook)}</td>"
                    f"<td>{html.escape(params)}</td><td class=\"status-{res.status}\">{label}{note}</td>"
                    f"<td>{html.escape(when)}</td></tr>")
    failed = sum(res.status == "failed" for _, res in entries)
    body = (f"<p>{len(entries)} reports; {failed} failed.</p>"
            "<table><thead><tr><th>report</th><th>notebook</th><th>parameters</th><th>status</th>"
            f"<th>last rendered</th></tr></thead><tbody>{''.join(rows)}</tbody></table>")
    header = '<header class="report"><h1>khuyenhoc — reports</h1></header>'
    _write_atomic(out_dir / "index.html", _page("khuyenhoc reports", header, body))


def print_summary(results: list[Result], stream=None) -> None:
    stream = stream or sys.stdout
    width = max([len(r.name) for r in results] + [6])
    stream.write(f"{'report':<{width}}  {'status':<8}  {'seconds':>7}  note\n")
    for r in results:
        stream.write(f"{r.name:<{width}}  {r.status:<8}  {r.seconds:>7.1f}  {r.error}\n")
    counts = {s: sum(r.status == s for r in results) for s in ("ok", "skipped", "failed")}
    stream.write(f"{counts['ok']} rendered, {counts['skipped']} unchanged, {counts['failed']} failed\n")


def render_cli(args, executor: Executor | None = None) -> int:
    try:
        results = render_grid(args.grid, args.out, jobs=args.jobs, force=args.force, only=args.only,
                              timeout=args.timeout, executor=executor)
    except GridError as exc:
        print(f"khuyenhoc render: {exc}", file=sys.stderr)
        return 2
    print_summary(results)
    print(f"index: {Path(args.out) / 'index.html'}")
    return 1 if any(r.status == "failed" for r in results) else 0
