"""One report, in a worker: execute the notebook with papermill under a wall-clock limit, export
it, write the page atomically. Never raises: a failure is a result, told in words.

Workers die with the parent: ``init_worker`` asks Linux to kill the worker when the render process
dies (``PR_SET_PDEATHSIG``), so a killed ``render`` leaves no worker writing pages. The kernel's
and jupyter's chatter on stderr ("Kernel is running over TCP without encryption",
"KeyboardInterrupt caught in kernel") is captured per report; a failed report's page shows what
the kernel said, a good one prints nothing.
"""

from __future__ import annotations

import html
import os
import signal
import sys
import threading
import time
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from analysis.reports.html import export, page
from analysis.reports.state import DiskFull, write_atomic

NOISE = ("Kernel is running over TCP without encryption", "KeyboardInterrupt caught in kernel")
KERNEL_ARGS = ["--IPKernelApp.log_level=CRITICAL"]  # the kernel's own log: routine warnings only
_IN_WORKER = False


def init_worker(parent_pid: int) -> None:
    """Run in each pool worker: die with the parent; quiet jupyter's loggers."""
    global _IN_WORKER
    _IN_WORKER = True
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent_pid:  # the parent died before the line above
        os._exit(1)
    _start_parent_watch(parent_pid)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides; Ctrl-C reaches it


def _start_parent_watch(parent_pid: int) -> None:
    """Elsewhere than Linux: poll the parent and exit when it is gone."""

    def watch():
        while True:
            time.sleep(0.5)
            if os.getppid() != parent_pid:
                os._exit(1)

    threading.Thread(target=watch, daemon=True, name="parent-watch").start()


class WallClock(Exception):
    """The report ran past its wall-clock limit."""


@contextmanager
def _wall_clock(seconds: float):
    use_alarm = threading.current_thread() is threading.main_thread() and hasattr(signal, "SIGALRM")
    if not use_alarm:
        yield
        return

    def on_alarm(signum, frame):
        raise WallClock(seconds)

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@contextmanager
def _captured_stderr(log: Path):
    """Send fd 2 (this worker's and its kernel's) to ``log`` — only inside a pool worker."""
    if not _IN_WORKER:
        yield
        return
    sys.stderr.flush()
    saved = os.dup(2)
    with open(log, "wb") as f:
        os.dup2(f.fileno(), 2)
    try:
        yield
    finally:
        sys.stderr.flush()
        os.dup2(saved, 2)
        os.close(saved)


def kernel_said(log: Path) -> str:
    """What the kernel printed on stderr, without the routine noise."""
    try:
        text = log.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
    return "\n".join(line for line in text.splitlines() if line.strip() and not any(n in line for n in NOISE))


def in_words(exc: BaseException, timeout: float) -> str:
    """An exception told as a sentence a reviewer understands."""
    name = type(exc).__name__
    if isinstance(exc, WallClock) or "Timeout" in name:
        return f"The report took longer than its limit of {timeout:.0f} seconds and was stopped."
    if getattr(exc, "ename", None):  # papermill: the notebook's own exception
        cell = getattr(exc, "exec_count", None)
        where = f"cell {cell}" if cell else "a cell"
        return f"The notebook stopped in {where} with {exc.ename}: {exc.evalue}"
    if "DeadKernel" in name:
        return "The notebook's kernel died while running (often: out of memory)."
    if isinstance(exc, DiskFull):
        return f"The disk is full: {exc.strerror}."
    if isinstance(exc, FileNotFoundError):
        return f"A file the report needs is missing: {exc.filename or exc}."
    if isinstance(exc, OSError):
        return f"The system refused a file operation: {exc.strerror or exc} ({exc.filename or ''})."
    return f"The report could not run: {exc} ({name})."


def _execute(task: dict, executed: Path) -> None:
    import papermill as pm

    with _wall_clock(task["timeout"]):
        pm.execute_notebook(task["notebook_path"], str(executed), parameters=task["parameters"],
                            kernel_name="python3", progress_bar=False, log_output=False,
                            cwd=task["cwd"], request_save_on_cell_execute=False,
                            execution_timeout=int(task["timeout"]), extra_arguments=KERNEL_ARGS)


def _header(task: dict, when: str, failed: bool) -> str:
    from analysis.reports.index import page_header

    return page_header(task, when, failed)


def _failure_page(task: dict, out_dir: Path, executed: Path, error: str, said: str, when: str) -> None:
    failed_dir = out_dir / "_failed"
    failed_dir.mkdir(exist_ok=True)
    body = f"<h2>{html.escape(task['labels']['failed_title'])}</h2><p>{html.escape(error)}</p>"
    if said:
        body += f"<details><summary>{html.escape(task['labels']['kernel_said'])}</summary><pre>" \
                f"{html.escape(said[-4000:])}</pre></details>"
    if executed.exists():
        kept = failed_dir / executed.name
        os.replace(executed, kept)
        try:
            body += export(kept, hide_code=False)
        except Exception as exc:  # noqa: BLE001 — the error page must still be written
            body += f"<p>{html.escape(in_words(exc, task['timeout']))}</p>"
    write_atomic(out_dir / f"{task['page']}.error.html",
                 page(f"{task['name']} ✗", _header(task, when, failed=True), body, task["lang"]))


def render_one(task: dict) -> dict:
    """Execute one notebook and export it; never raises (a failure is a result)."""
    started = time.perf_counter()
    out_dir = Path(task["out_dir"])
    work = out_dir / "_work"
    work.mkdir(parents=True, exist_ok=True)
    executed = work / f"{task['page']}.ipynb"
    log = work / f"{task['page']}.stderr.log"
    timings: dict[str, float] = {}
    error = ""
    try:
        with _captured_stderr(log):
            t0 = time.perf_counter()
            _execute(task, executed)
            timings["execute_s"] = time.perf_counter() - t0
    except Exception as exc:  # noqa: BLE001 — any failure of one report is reported, not raised
        error = in_words(exc, task["timeout"])
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    try:
        if error:
            _failure_page(task, out_dir, executed, error, kernel_said(log), when)
        else:
            t1 = time.perf_counter()
            body = export(executed, hide_code=True)
            write_atomic(out_dir / f"{task['page']}.html",
                         page(task["name"], _header(task, when, failed=False), body, task["lang"]))
            timings["export_s"] = time.perf_counter() - t1
            (out_dir / f"{task['page']}.error.html").unlink(missing_ok=True)
            log.unlink(missing_ok=True)
    except Exception as exc:  # noqa: BLE001 — e.g. a full disk while writing the page
        error = error or in_words(exc, task["timeout"])
        if error != in_words(exc, task["timeout"]):
            error += " " + in_words(exc, task["timeout"])
    return {"page": task["page"], "status": "failed" if error else "ok", "error": error,
            "seconds": time.perf_counter() - started, "timings": timings, "rendered_at": when}
