"""``khuyenhoc`` (also ``python -m analysis``): the project's verbs.

Imports are deferred to the verb that needs them, so ``khuyenhoc --help`` stays instant.
Exit status: 0 all well, 1 some input could not be used (named on stderr), 2 bad arguments;
``extract`` also: 74 the outputs could not be written (previous set unchanged), 75 another
``extract`` holds the output folder, 130/143 interrupted (previous set unchanged), 70 an
unexpected system error (named; previous set unchanged).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def _parser() -> argparse.ArgumentParser:
    from analysis import paths

    p = argparse.ArgumentParser(prog="khuyenhoc", description=__doc__.splitlines()[0])
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    ex = sub.add_parser("extract", help="articles → data/processed/figures.csv (+ residue, meta)")
    ex.add_argument("--articles", type=Path, default=paths.ARTICLES_DIR, help="folder of *.txt articles")
    ex.add_argument("--sources", type=Path, default=paths.SOURCES_CSV, help="sources.csv (optional)")
    ex.add_argument("--out", type=Path, default=paths.FIGURES_CSV, help="figures.csv to write")
    ex.add_argument("--curated", type=Path, default=paths.CURATED_DIR,
                    help="folder of reviewers' corrections ('none' to skip)")
    ex.add_argument("--jobs", type=int, default=0, help="worker processes (0: one per core for large batches)")
    ex.add_argument("--max-article-bytes", type=int, default=None,
                    help="refuse articles larger than this (default 5000000, or KHUYENHOC_MAX_ARTICLE_BYTES; 0: no limit)")
    ex.add_argument("--lock-timeout", type=float, default=None,
                    help="seconds to wait for another extract writing the same folder (default 60, "
                         "or KHUYENHOC_LOCK_TIMEOUT); then exit 75")
    ex.add_argument("--scheduler", default="", metavar="ADDRESS",
                    help="run on a Dask cluster: its scheduler address (tcp://host:8786), or 'local'")

    ad = sub.add_parser("add", help="bring .txt, .html/.htm, .docx or .pdf files into data/raw (text, original, "
                        "sources.csv row, manifest)")
    ad.add_argument("files", nargs="+", type=Path, metavar="FILE", help="the files to add")
    ad.add_argument("--url", default="", help="where it was published (one file only)")
    ad.add_argument("--published", default="", help="publication date, YYYY-MM-DD")
    ad.add_argument("--outlet", default="", help="the newspaper or site")
    ad.add_argument("--raw", type=Path, default=paths.RAW_DIR, help=argparse.SUPPRESS)

    mf = sub.add_parser("manifest", help="check data/raw against its checksum manifest, or add new files")
    mf.add_argument("--update", action="store_true", help="add files not yet listed (never rewrites a listed one)")

    rn = sub.add_parser("render", help="render the report grid (reports/reports.toml) to HTML")
    rn.add_argument("--grid", type=Path, default=paths.REPORTS_DIR / "reports.toml")
    rn.add_argument("--out", type=Path, default=paths.REPORTS_DIR)
    rn.add_argument("--jobs", type=int, default=0, help="parallel reports (0: one per core)")
    rn.add_argument("--force", action="store_true", help="render every report even if unchanged")
    rn.add_argument("--only", action="append", default=[], help="render only these report names")
    rn.add_argument("--timeout", type=float, default=None, help="wall-clock limit per report, seconds")
    rn.add_argument("--figures", dest="figures_csv", type=Path, default=None, help="figures.csv to render from")
    rn.add_argument("--notebooks", dest="notebooks_dir", type=Path, default=None, help="folder of the notebooks")
    rn.add_argument("--lang", dest="langs", action="append", default=None,
                    help="render only these languages (vi, en; default: the grid's [grid] langs)")
    rn.add_argument("--scheduler", default="", metavar="ADDRESS",
                    help="render on a Dask cluster: its scheduler address (tcp://host:8786), or 'local'")

    bn = sub.add_parser("bench", help="run the benchmarks; write reports/benchmarks.json")
    bn.add_argument("--sizes", default="1000,5000,10000", help="corpus sizes for extraction")
    bn.add_argument("--out", type=Path, default=paths.REPORTS_DIR / "benchmarks.json")
    bn.add_argument("--skip-render", action="store_true")
    bn.add_argument("--readme", type=Path, default=None, help="update the benchmark table in this README")
    return p


def main(argv: list[str] | None = None) -> int:
    """Run one verb of the `khuyenhoc` command; the return value is the exit status."""
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse: 0 for --help, 2 for bad arguments
        return int(exc.code or 0)
    if args.command is None:
        parser.print_help()
        return 2
    return {"extract": _extract, "add": _add, "manifest": _manifest, "render": _render, "bench": _bench}[args.command](args)


def _extract(args) -> int:
    import os

    from analysis.extraction.textio import max_article_bytes

    if not args.articles.is_dir():
        print(f"khuyenhoc extract: articles folder {args.articles} does not exist", file=sys.stderr)
        return 2
    sources = args.sources if args.sources and args.sources.exists() else None
    if args.sources and not args.sources.exists() and args.sources.name != "sources.csv":
        print(f"khuyenhoc extract: sources file {args.sources} does not exist", file=sys.stderr)
        return 2
    if args.out.exists() and args.out.is_dir():
        print(f"khuyenhoc extract: --out {args.out} is a folder; give the figures.csv to write", file=sys.stderr)
        return 2
    max_bytes = args.max_article_bytes if args.max_article_bytes is not None else max_article_bytes()
    if max_bytes < 0:
        print("khuyenhoc extract: --max-article-bytes must be 0 (no limit) or more", file=sys.stderr)
        return 2
    timeout = args.lock_timeout
    if timeout is None:
        try:
            timeout = float(os.environ.get("KHUYENHOC_LOCK_TIMEOUT", "60"))
        except ValueError:
            timeout = 60.0
    curated = None if str(args.curated) == "none" else args.curated
    with _terminate_as_exit():
        return _run_extract(args, sources, curated, max_bytes, timeout)


def _run_extract(args, sources, curated, max_bytes: int, timeout: float) -> int:
    import os

    from analysis.executors import SchedulerError
    from analysis.table.outputs import LockBusy, OutputError
    from analysis.table.schema import FiguresSchemaError

    def fail(message: str, code: int) -> int:
        print(f"khuyenhoc extract: {message}", file=sys.stderr)
        return code

    try:
        summary = _run_with_pool(args, sources, curated, max_bytes, timeout, os.cpu_count() or 1)
    except FiguresSchemaError as exc:
        return fail(str(exc), 1)
    except OutputError as exc:
        return fail(exc.strerror or str(exc), 74)
    except LockBusy as exc:
        return fail(str(exc), 75)
    except KeyboardInterrupt:
        return fail(f"interrupted; the previous outputs in {args.out.parent} are unchanged", 130)
    except SchedulerError as exc:
        return fail(str(exc), 2)
    except SystemExit as exc:  # SIGTERM (see _terminate_as_exit)
        return fail(f"terminated; the previous outputs in {args.out.parent} are unchanged", int(exc.code or 1))
    except Exception as exc:  # noqa: BLE001 — a message, never a traceback (KHUYENHOC_DEBUG=1 shows it)
        if os.environ.get("KHUYENHOC_DEBUG"):
            raise
        return fail(f"{type(exc).__name__}: {exc}; the previous outputs in {args.out.parent} are unchanged "
                    "(KHUYENHOC_DEBUG=1 shows the traceback)", 70)
    ok = len(summary.outcomes) - len(summary.failed)
    rejected = f", {summary.rejected} rejected ({args.out.parent / 'rejected.csv'})" if summary.rejected else ""
    print(f"{ok} of {len(summary.outcomes)} articles read: {summary.figures} figures, "
          f"{summary.residue} other numbers{rejected} → {args.out}")
    return 1 if summary.failed or summary.problems or summary.rejected else 0


def _run_with_pool(args, sources, curated, max_bytes: int, timeout: float, cores: int):
    from concurrent.futures import ProcessPoolExecutor

    from analysis.extraction.pipeline import run_extract

    n = len(list(args.articles.glob("*.txt")))
    jobs = args.jobs or cores
    if args.scheduler:
        from analysis.executors import dask_executor

        with dask_executor(args.scheduler, args.jobs) as cluster:
            return run_extract(args.articles, sources, args.out, curated, executor=cluster,
                               max_bytes=max_bytes, lock_timeout=timeout)
    if jobs > 1 and n >= 200:
        pool = ProcessPoolExecutor(jobs)
        try:
            return run_extract(args.articles, sources, args.out, curated, executor=pool,
                               max_bytes=max_bytes, lock_timeout=timeout)
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
    return run_extract(args.articles, sources, args.out, curated, max_bytes=max_bytes, lock_timeout=timeout)


class _terminate_as_exit:
    """SIGTERM raises ``SystemExit(143)`` so ``finally`` blocks remove temp files (restored after)."""

    def __enter__(self):
        import signal
        import threading

        self._old = None
        if threading.current_thread() is threading.main_thread():
            self._old = signal.signal(signal.SIGTERM, self._raise)
        return self

    @staticmethod
    def _raise(signum, frame):
        raise SystemExit(128 + signum)

    def __exit__(self, *exc):
        import signal

        if self._old is not None:
            signal.signal(signal.SIGTERM, self._old)
        return False


def _add(args) -> int:
    from datetime import date

    from analysis.extraction.add import Overrides, add_files

    published = None
    if args.published:
        try:
            published = date.fromisoformat(args.published)
        except ValueError:
            print(f"khuyenhoc add: --published {args.published!r} is not a date (YYYY-MM-DD)", file=sys.stderr)
            return 2
        if published > date.today():
            print(f"khuyenhoc add: --published {args.published} lies in the future", file=sys.stderr)
            return 2
    if args.url and len(args.files) > 1:
        print("khuyenhoc add: --url names one page: give one file with it", file=sys.stderr)
        return 2
    added, failed = add_files(args.files, args.raw, Overrides(args.url.strip(), published, args.outlet.strip()))
    print(f"{len(added)} of {len(args.files)} file(s) added" + (f"; {len(failed)} not (see above)" if failed else ""))
    return 1 if failed else 0


def _manifest(args) -> int:
    from analysis.extraction.manifest import check_manifest, update_manifest

    if args.update:
        added = update_manifest()
        print(f"{len(added)} file(s) added to the manifest" + "".join(f"\n  {a}" for a in added))
    problems = check_manifest()
    for p in problems:
        print(p, file=sys.stderr)
    return 1 if problems else 0


def _render(args) -> int:
    from analysis.reports.render import render_cli

    if not args.scheduler:
        return render_cli(args)
    from analysis.executors import SchedulerError, dask_executor

    try:
        with dask_executor(args.scheduler, args.jobs) as cluster:
            return render_cli(args, executor=cluster)
    except SchedulerError as exc:
        print(f"khuyenhoc render: {exc}", file=sys.stderr)
        return 2


def _bench(args) -> int:
    from analysis.dev.bench import bench_cli

    return bench_cli(args)


if __name__ == "__main__":
    sys.exit(main())
