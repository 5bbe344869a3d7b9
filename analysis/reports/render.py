"""``khuyenhoc render``: the report grid → reviewable HTML, in both languages, in parallel,
incrementally, atomically.

- The grid is data (``reports/reports.toml``, read by ``grid``): every report in every language
  of ``[grid] langs`` (Vietnamese first: ``name.html``; English: ``name.en.html``).
- Parameters are typed by the notebook's own ``parameters`` cell and checked (``params``) before
  any kernel starts; so are the figures rows (``rows``): a malformed row fails only the reports
  that read it, with its line named.
- Reports run on any ``concurrent.futures`` executor (a process pool by default, whose workers die
  with this process), each under a wall-clock limit (``worker``); one failure does not stop the
  others.
- A page is rendered again only when an input it depends on changed (``state``); the state is
  saved after each page, so a re-run after a kill finishes only what is missing.
- Pages are sanitised and self-contained (``html``); the indexes (``index``) list every report.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from collections.abc import Callable
from concurrent.futures import Executor, ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from analysis import paths
from analysis.reports.grid import GridError, Report, expand, notebook_path, read_spec
from analysis.reports.index import (
    areas_without_trends,
    fallback_count,
    index_file,
    page_file,
    read_trace,
    write_indexes,
)
from analysis.reports.params import (
    LANGS,
    ParameterError,
    check_report,
    domains,
    notebook_parameters,
)
from analysis.reports.rows import BadRow, read_rows, reference_provinces, scope, write_clean_copy
from analysis.reports.state import DiskFull, State, report_key, shared_inputs, write_atomic

__all__ = ["GridError", "Result", "load_grid", "render_grid", "render_cli"]
DEFAULT_TIMEOUT = 600.0
TASK_LABELS = ("failed_title", "kernel_said")
LOCK_FILE = ".render.lock"


@dataclass
class Result:
    """The outcome of one page: ``name`` is the page (``overview``, ``overview.en``)."""

    name: str
    status: str  # ok | skipped | failed
    seconds: float = 0.0
    error: str = ""
    timings: dict = field(default_factory=dict)
    report: str = ""
    lang: str = ""


@dataclass
class Page:
    """One report in one language, planned."""

    report: Report
    lang: str
    name: str
    nb_path: Path
    parameters: dict
    lang_links: dict
    bad: list = field(default_factory=list)


class Interrupted(Exception):
    """A signal asked the render to stop."""


class Busy(Exception):
    """Another render holds the output folder."""


def load_grid(grid_path: Path, figures_csv: Path, reference_dir: Path) -> list[Report]:
    """Read the grid and expand its ``[[each]]`` entries over the (well-formed) figures rows."""
    spec, _, lines = read_spec(grid_path, LANGS)
    good, _ = read_rows(figures_csv)
    return expand(spec, lines, good, reference_provinces(reference_dir))


def page_name(report: str, lang: str, landing: str) -> str:
    """``overview`` in the landing language, ``overview.en`` in another."""
    return report if lang == landing else f"{report}.{lang}"


# -- planning -----------------------------------------------------------------------------

def _pages_of(report: Report, declared: dict, langs: tuple[str, ...]) -> list[tuple[str | None, str, str]]:
    """(lang parameter, page language, page name) of each page of a report: one per language of
    the grid; a single page under the report's own name when the notebook takes no ``lang`` or the
    report pins one."""
    landing = langs[0]
    if "lang" not in declared:
        return [(None, landing, report.name)]
    pinned = report.parameters.get("lang")
    if isinstance(pinned, str) and pinned in LANGS:
        return [(pinned, pinned, report.name)]
    return [(lang, lang, page_name(report.name, lang, landing)) for lang in langs]


def _plan_report(report: Report, ctx: dict) -> tuple[list[Page], list[str]]:
    try:
        nb_path = notebook_path(report.notebook, ctx["notebooks_dir"])
        if not nb_path.is_file():
            raise GridError(f"notebook {nb_path} does not exist")
        declared = notebook_parameters(nb_path)
    except (GridError, ParameterError) as exc:
        return [], [f"{report.where}: report {report.name!r}: {exc}"]
    where = f"{report.where}: report {report.name!r} ({report.notebook})"
    problems = check_report(where, report.parameters, declared, ctx["known"])
    if problems:
        return [], problems
    reads = scope(report.parameters, ctx["provinces"])
    bad = [b for b in ctx["bad"] if reads(b.row)]
    found = _pages_of(report, declared, ctx["langs"])
    links = {lang: page_file(name) for lang, _, name in found if lang} if len(found) > 1 else {}
    pages = []
    for lang, page_lang, name in found:
        params = dict(report.parameters)
        if lang:
            params["lang"] = lang
        if "figures_path" in declared and ctx["figures_param"]:
            params["figures_path"] = ctx["figures_param"]
        pages.append(Page(report, page_lang, name, nb_path, params, links, bad))
    return pages, []


def plan(reports: list[Report], ctx: dict) -> list[Page]:
    """Every page to render, or ``GridError`` listing every report that cannot run."""
    pages, problems = [], []
    for report in reports:
        found, wrong = _plan_report(report, ctx)
        pages += found
        problems += wrong
    if problems:
        raise GridError("the grid cannot run:\n  " + "\n  ".join(problems))
    return pages


# -- running --------------------------------------------------------------------------------

def _task(p: Page, key: str, ctx: dict) -> dict:
    from analysis import __version__
    from analysis.reports.labels import label

    scoped = [r for r in ctx["good"] if scope(p.report.parameters, ctx["provinces"])(r)]
    provenance = {"figures_sha256": ctx["shared"]["figures"], "figures": len(scoped),
                  "fallbacks": fallback_count(ctx["trace"], scoped), "package_version": __version__}
    return {"name": p.report.name, "page": p.name, "lang": p.lang, "notebook": p.report.notebook,
            "notebook_path": str(p.nb_path), "parameters": p.parameters, "out_dir": str(ctx["out_dir"]),
            "cwd": str(ctx["notebooks_dir"]), "timeout": ctx["timeout"], "key": key, "provenance": provenance,
            "lang_links": p.lang_links, "index": index_file(_index_lang(p.lang, ctx["langs"]), ctx["langs"][0]),
            "labels": {k: label(f"index_{k}", p.lang) for k in TASK_LABELS}}


def _refuse_bad_rows(task: dict, bad: list[BadRow], figures_csv: Path) -> dict:
    import html

    from analysis.reports.html import page
    from analysis.reports.index import page_header
    from analysis.reports.labels import label

    rows = [b.describe(figures_csv) for b in bad]
    error = f"{label('index_refused_rows', 'en')}: " + "; ".join(rows[:5]) + (" …" if len(rows) > 5 else "")
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    items = "".join(f"<li>{html.escape(r)}</li>" for r in rows)
    body = (f"<h2>{html.escape(task['labels']['failed_title'])}</h2>"
            f"<p>{html.escape(label('index_refused_rows', task['lang']))}:</p><ul>{items}</ul>")
    write_atomic(Path(task["out_dir"]) / f"{task['page']}.error.html",
                 page(f"{task['name']} ✗", page_header(task, when, failed=True), body, task["lang"]))
    return {"page": task["page"], "status": "failed", "error": error, "seconds": 0.0, "timings": {},
            "rendered_at": when}


def _record(state: State, task: dict, out: dict) -> None:
    prov = task["provenance"]
    entry = {"key": task["key"] if out["status"] == "ok" else "", "status": out["status"],
             "rendered_at": out.get("rendered_at", ""), "error": out.get("error", ""),
             "figures_sha256": prov["figures_sha256"], "figures": prov["figures"], "fallbacks": prov["fallbacks"]}
    state.record(task["page"], entry)


@contextmanager
def _stop_on_signals():
    """SIGTERM/SIGHUP/SIGINT raise ``Interrupted`` in the main thread, so the pool is shut down."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum, frame):
        raise Interrupted(signal.Signals(signum).name)

    sigs = [s for s in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT) if s is not None]
    previous = {s: signal.signal(s, stop) for s in sigs}
    try:
        yield
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)


def _shutdown(pool: Executor, own: bool, interrupted: bool) -> None:
    if not own:
        return
    if interrupted:
        for proc in list(getattr(pool, "_processes", {}).values()):
            proc.kill()
    pool.shutdown(wait=not interrupted, cancel_futures=True)


def _run(todo: list[dict], ctx: dict, state: State, report: Callable[[Result], None],
         executor: Executor | None, jobs: int) -> dict[str, Result]:
    results: dict[str, Result] = {}
    own = executor is None
    pool = executor or ProcessPoolExecutor(max(1, min(jobs or os.cpu_count() or 1, len(todo))),
                                           initializer=_init_worker, initargs=(os.getpid(),))
    interrupted = False
    try:
        with _stop_on_signals():
            futures = {pool.submit(_render_one, t): t for t in todo}
            for fut in as_completed(futures):
                t = futures[fut]
                try:
                    out = fut.result()
                except Exception as exc:  # noqa: BLE001 — a worker that died
                    out = {"page": t["page"], "status": "failed", "seconds": 0.0, "timings": {},
                           "error": f"The worker running this report died ({type(exc).__name__}: {exc})."}
                _record(state, t, out)
                res = Result(t["page"], out["status"], out["seconds"], out["error"], out.get("timings", {}),
                             t["name"], t["lang"])
                results[res.name] = res
                report(res)
    except Interrupted:
        interrupted = True
        raise
    finally:
        _shutdown(pool, own, interrupted)
    return results


def _init_worker(parent_pid: int) -> None:
    from analysis.reports.worker import init_worker

    init_worker(parent_pid)


def _render_one(task: dict) -> dict:
    from analysis.reports.worker import render_one

    return render_one(task)


# -- the batch ------------------------------------------------------------------------------

def _context(grid_path: Path, out_dir: Path, figures_csv: Path, reference_dir: Path, notebooks_dir: Path,
             langs, timeout) -> tuple[dict, list[Report], dict]:
    if not figures_csv.exists():
        raise GridError(f"{figures_csv} does not exist: run 'make figures' first")
    spec, grid_langs, lines = read_spec(grid_path, LANGS)
    langs = tuple(langs or grid_langs)
    if not set(langs) <= set(LANGS):
        raise GridError(f"languages {', '.join(langs)}: choose among {', '.join(LANGS)}")
    try:
        good, bad = read_rows(figures_csv)
        provinces = reference_provinces(reference_dir)
    except (OSError, ValueError) as exc:
        raise GridError(str(exc)) from None
    if not bad:  # a malformed row is isolated below; a table that only disagrees with its sidecar is refused
        _check_sidecar(figures_csv)
    reports = expand(spec, lines, good, provinces)
    custom = figures_csv.resolve() != paths.FIGURES_CSV.resolve()
    ctx = {"out_dir": out_dir, "notebooks_dir": notebooks_dir, "figures_csv": figures_csv,
           "reference_dir": reference_dir, "langs": langs, "good": good, "bad": bad,
           "provinces": provinces, "known": domains(good, provinces), "timeout": float(timeout or DEFAULT_TIMEOUT),
           "figures_param": str(figures_csv.resolve()) if custom or bad else ""}
    return ctx, reports, spec


def _check_sidecar(figures_csv: Path) -> None:
    """Refuse, before any kernel, a figures table that does not match its sidecar's checksum
    (every notebook would stop on it)."""
    from analysis.table.outputs import ChecksumError, verify

    try:
        verify(figures_csv, figures_csv.read_bytes())
    except ChecksumError as exc:
        raise GridError(str(exc)) from None


def render_grid(grid_path: Path, out_dir: Path, *, figures_csv: Path | None = None,
                reference_dir: Path | None = None, notebooks_dir: Path | None = None,
                executor: Executor | None = None, jobs: int = 0, force: bool = False,
                only: list[str] | None = None, timeout: float | None = None,
                progress: Callable[[Result], None] | None = None,
                langs: list[str] | None = None) -> list[Result]:
    """Render the grid; returns one result per page, in grid order (``GridError`` before any kernel)."""
    figures_csv = Path(figures_csv or paths.FIGURES_CSV)
    reference_dir = Path(reference_dir or paths.REFERENCE_DIR)
    notebooks_dir = Path(notebooks_dir or paths.NOTEBOOKS_DIR)
    out_dir = Path(out_dir)
    ctx, reports, spec = _context(grid_path, out_dir, figures_csv, reference_dir, notebooks_dir, langs, timeout)
    selected = reports
    if only:
        missing = sorted(set(only) - {r.name for r in reports})
        if missing:
            raise GridError(f"no report named {', '.join(missing)} in {grid_path}")
        selected = [r for r in reports if r.name in only]
    pages = plan(selected, ctx)
    out_dir.mkdir(parents=True, exist_ok=True)
    with _exclusive(out_dir):
        return _render_pages(pages, reports, spec, ctx, force=force, executor=executor, jobs=jobs,
                             report=progress or Progress(len(pages)).update)


@contextmanager
def _exclusive(out_dir: Path):
    """One render per output folder at a time: a second one stops with a message (``Busy``)."""
    import fcntl

    with open(out_dir / LOCK_FILE, "a") as f:
        try:
            fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise Busy(f"another render is writing to {out_dir}; run again when it has finished") from None
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


def _render_pages(pages: list[Page], reports: list[Report], spec: dict, ctx: dict, *, force: bool,
                  executor: Executor | None, jobs: int, report: Callable[[Result], None]) -> list[Result]:
    out_dir, figures_csv = ctx["out_dir"], ctx["figures_csv"]
    if ctx["bad"]:
        clean = write_clean_copy(figures_csv, ctx["good"], out_dir / "_work" / "data")
        for p in pages:
            if "figures_path" in p.parameters:
                p.parameters["figures_path"] = str(clean)
    ctx["shared"] = shared_inputs(figures_csv, ctx["reference_dir"])
    ctx["trace"] = read_trace(figures_csv)
    state = State(out_dir)
    results: dict[str, Result] = {}
    todo = []
    for p in pages:
        key = report_key(p.nb_path.read_bytes(), p.parameters, ctx["shared"])
        if not force and not p.bad and state.fresh(p.name, key, out_dir):
            results[p.name] = Result(p.name, "skipped", report=p.report.name, lang=p.lang)
            report(results[p.name])
            continue
        task = _task(p, key, ctx)
        if p.bad:
            out = _refuse_bad_rows(task, p.bad, figures_csv)
            _record(state, task, out)
            results[p.name] = Result(p.name, "failed", 0.0, out["error"], report=p.report.name, lang=p.lang)
            report(results[p.name])
        else:
            todo.append(task)
    try:
        if todo:
            results.update(_run(todo, ctx, state, report, executor, jobs))
    finally:
        _write_indexes(out_dir, reports, spec, ctx, state)
    return [results[p.name] for p in pages]


def _report_pages(r: Report, ctx: dict) -> list[tuple[str | None, str, str]]:
    try:
        declared = notebook_parameters(notebook_path(r.notebook, ctx["notebooks_dir"]))
    except (GridError, ParameterError):
        declared = {}
    return _pages_of(r, declared, ctx["langs"])


def _index_lang(lang: str, langs: tuple[str, ...]) -> str:
    return lang if lang in langs else langs[0]


def _write_indexes(out_dir: Path, reports: list[Report], spec: dict, ctx: dict, state: State) -> None:
    from analysis.table.shapes import comparable_entities

    by_lang: dict[str, list[dict]] = {lang: [] for lang in ctx["langs"]}
    for r in reports:
        for _, lang, name in _report_pages(r, ctx):
            entry = state.pages.get(name) or {"status": "missing"}
            by_lang[_index_lang(lang, ctx["langs"])].append({**entry, "name": r.name, "page": name,
                                                              "parameters": r.parameters})
    trends = any(e.get("over") == "comparable_entities" for e in spec.get("each", []))
    no_trends = areas_without_trends(ctx["good"], comparable_entities(ctx["good"])) if trends else []
    write_indexes(out_dir, by_lang, ctx["langs"], no_trends)


class Progress:
    """One line per page (a bar on a terminal)."""

    def __init__(self, total: int, stream=None):
        self.total, self.done = total, 0
        self.stream = stream or sys.stdout
        self.tty = self.stream.isatty() and not os.environ.get("CI")

    def update(self, result: Result) -> None:
        """Report one finished page."""
        self.done += 1
        note = f" — {result.error}" if result.error else ""
        line = f"[{self.done}/{self.total}] {result.status:<7} {result.name} ({result.seconds:.1f} s){note}"
        if self.tty:
            self.stream.write("\r\033[K" + line + ("\n" if result.status == "failed" or self.done == self.total
                                                   else ""))
        else:
            self.stream.write(line + "\n")
        self.stream.flush()


def print_summary(results: list[Result], stream=None) -> None:
    """One closing line: how many pages were rendered, unchanged, failed."""
    stream = stream or sys.stdout
    counts = {s: sum(r.status == s for r in results) for s in ("ok", "skipped", "failed")}
    stream.write(f"{counts['ok']} rendered, {counts['skipped']} unchanged, {counts['failed']} failed\n")


def render_cli(args, executor: Executor | None = None) -> int:
    """The ``render`` verb: exit 0 all rendered, 1 some report failed, 2 the grid cannot run,
    130 interrupted (finished pages are kept; run again to finish). Any executor will do."""
    kwargs = {k: getattr(args, k, None) for k in ("figures_csv", "notebooks_dir", "langs")}
    try:
        results = render_grid(args.grid, args.out, jobs=args.jobs, force=args.force, only=args.only,
                              timeout=args.timeout, executor=executor, **{k: v for k, v in kwargs.items() if v})
    except GridError as exc:
        print(f"khuyenhoc render: {exc}", file=sys.stderr)
        return 2
    except Interrupted as exc:
        print(f"khuyenhoc render: stopped by {exc}; finished pages are kept, run again to finish", file=sys.stderr)
        return 130
    except DiskFull as exc:
        print(f"khuyenhoc render: {exc.strerror}; free some space and run again (finished pages are kept)",
              file=sys.stderr)
        return 1
    except Busy as exc:
        print(f"khuyenhoc render: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"khuyenhoc render: {exc.strerror or exc}: {exc.filename or args.out}", file=sys.stderr)
        return 1
    print_summary(results)
    print(f"index: {Path(args.out) / 'index.html'}")
    return 1 if any(r.status == "failed" for r in results) else 0
