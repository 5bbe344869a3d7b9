"""The processed set: the files ``khuyenhoc extract`` writes, swapped in together.

Layout of the output folder (``data/processed/`` by default)::

    figures.csv        -> current/figures.csv      relative symlinks, made once
    residue.csv        -> current/residue.csv      (likewise articles.csv, curation_log.csv,
    …                                               rejected.csv, figures.meta.json)
    current            -> .sets/20261122T010203-4242   the one pointer that is swapped
    .sets/20261122T010203-4242/   a complete set (the current one and the one before are kept)
    .sets/.tmp-…/                 a set being written (removed on any error; a killed run's
                                  leftovers are removed by the next run)
    .extract.lock                 held (``flock``) by the run that is writing

Why: a reader must see either the old set or the new one, never a new ``figures.csv`` beside
an old residue and sidecar. A run writes every file into a fresh ``.sets/.tmp-…`` folder,
flushes them, renames the folder to its final name, and then replaces the ``current``
symlink with one ``os.replace`` (atomic on POSIX): before it the old set is current, after it
the new one, and a kill at any moment leaves one of the two. The per-file symlinks resolve
through ``current`` at open time; a reader that needs several files of one set (``load_figures``)
resolves ``figures.csv`` once (:func:`set_folder`) and reads every file from that folder. The
set before is kept so a reader that resolved it a moment ago can finish.

The lock is an ``flock`` on ``.extract.lock``: the kernel drops it when its holder dies (even by
SIGKILL), so a killed run never blocks the next. A second run waits (with a message) up to a
timeout and then gives up with :class:`LockBusy`.

Where symlinks are not available (some Windows set-ups) the files are instead replaced one by
one in a fixed order with the sidecar last; that fallback is not atomic as a set, and says so.

``figures.meta.json`` holds the SHA-256 of every file of its set; :func:`verify` checks a file
read against it, so a hand-edited or half-copied table is a clear error naming the file.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path

META_NAME = "figures.meta.json"
SETS = ".sets"
CURRENT = "current"
LOCK_NAME = ".extract.lock"


class OutputError(OSError):
    """The output set could not be written; the previous set is unchanged. The message says why."""


class LockBusy(RuntimeError):
    """Another run holds the output folder's lock."""


class ChecksumError(ValueError):
    """A processed file does not match the checksum its sidecar recorded."""


def sha256_bytes(data: bytes) -> str:
    """Hex SHA-256 of bytes."""
    return hashlib.sha256(data).hexdigest()


def file_sha256(path: Path) -> str:
    """Hex SHA-256 of a file's bytes ('' when it does not exist): the project's one checksum."""
    path = Path(path)
    return sha256_bytes(path.read_bytes()) if path.is_file() else ""


# -- the lock -------------------------------------------------------------------------------

@contextlib.contextmanager
def locked(folder: Path, timeout: float = 60.0,
           say: Callable[[str], None] | None = None) -> Iterator[None]:
    """Hold the folder's extract lock; wait up to ``timeout`` seconds (with one message) for
    another run to finish, then raise :class:`LockBusy` naming the holder."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / LOCK_NAME
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            import fcntl
        except ImportError:  # pragma: no cover - not POSIX: no lock
            yield
            return
        deadline = time.monotonic() + max(0.0, timeout)
        told = False
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                holder = _holder(path)
                if time.monotonic() >= deadline:
                    raise LockBusy(f"{folder}: another extract{holder} is writing this folder; "
                                   f"gave up after {timeout:g} s (try again when it has finished)") from None
                if not told and say:
                    say(f"{folder}: another extract{holder} is writing this folder; waiting up to {timeout:g} s")
                    told = True
                time.sleep(0.1)
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        try:
            yield
        finally:
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def _holder(path: Path) -> str:
    try:
        pid = path.read_text().strip()
    except OSError:
        return ""
    return f" (pid {pid})" if pid.isdigit() else ""


# -- writing a set --------------------------------------------------------------------------

def write_bytes(path: Path, data: bytes) -> None:
    """Write and flush one file (the single place the set's bytes go to disk)."""
    with open(path, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def publish(folder: Path, files: dict[str, bytes], meta: dict,
            derive: Callable[[Path], dict[str, bytes]] | None = None) -> Path:
    """Write ``files`` (name → bytes) and the sidecar ``meta`` as the new current set of
    ``folder``; return the set's folder. Call it holding :func:`locked`.

    ``derive(folder)``, if given, makes further files from the ones written (a descriptor of
    the tables). The sidecar gets ``outputs_sha256`` (every file's checksum). On any error — a full disk,
    an interrupt, SIGTERM turned into ``SystemExit`` — the half-written set is removed and the
    previous set stays current; ``OSError`` comes back as :class:`OutputError` naming the file.
    """
    sets = folder / SETS
    sets.mkdir(parents=True, exist_ok=True)
    clean_stale(folder)
    now = time.time_ns()  # set names sort by time: the newest set is the last name
    stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime(now // 10**9)) + f".{now % 10**9:09d}-{os.getpid()}"
    tmp = sets / f".tmp-{stamp}"
    final = sets / stamp
    name = ""
    try:
        tmp.mkdir()
        for name, data in files.items():
            write_bytes(tmp / name, data)
        name = ""
        files = {**files, **(derive(tmp) if derive else {})}
        meta = dict(meta, outputs_sha256={n: sha256_bytes(d) for n, d in sorted(files.items())})
        payload = {**files, META_NAME: (json.dumps(meta, ensure_ascii=False, indent=2) + "\n").encode("utf-8")}
        for name, data in payload.items():
            if not (tmp / name).exists():
                write_bytes(tmp / name, data)
        name = ""
        _fsync_dir(tmp)
        os.replace(tmp, final)
        _point(folder, final, list(payload))
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        if _current(folder) != final:
            shutil.rmtree(final, ignore_errors=True)
        what = f"cannot write {name}" if name else "cannot swap in the new set"
        reason = "the disk is full" if exc.errno == errno.ENOSPC else (exc.strerror or str(exc))
        raise OutputError(exc.errno, f"{folder}: {what}: {reason}; the previous outputs are unchanged") from exc
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        if _current(folder) != final:
            shutil.rmtree(final, ignore_errors=True)
        raise
    _prune(folder, keep=final)
    return final


def _current(folder: Path) -> Path | None:
    link = folder / CURRENT
    return (folder / os.readlink(link)).resolve() if link.is_symlink() else None


def _point(folder: Path, final: Path, names: list[str]) -> None:
    """Swap ``current`` to ``final`` in one step; make the per-file links the first time."""
    try:
        tmp_link = folder / f".{CURRENT}.{os.getpid()}"
        with contextlib.suppress(FileNotFoundError):
            tmp_link.unlink()
        os.symlink(os.path.relpath(final, folder), tmp_link)
    except (OSError, NotImplementedError):  # pragma: no cover - no symlinks: file by file
        for name in sorted(names, key=lambda n: n == META_NAME):
            shutil.copyfile(final / name, folder / f".{name}.new")
            os.replace(folder / f".{name}.new", folder / name)
        return
    os.replace(tmp_link, folder / CURRENT)  # the swap
    _fsync_dir(folder)
    for name in names:
        target = Path(CURRENT) / name
        path = folder / name
        if path.is_symlink() and Path(os.readlink(path)) == target:
            continue
        link = folder / f".{name}.link"
        with contextlib.suppress(FileNotFoundError):
            link.unlink()
        os.symlink(target, link)
        os.replace(link, path)


def clean_stale(folder: Path) -> list[Path]:
    """Remove half-written sets and temp links a killed run left (call holding the lock)."""
    gone = []
    sets = folder / SETS
    for p in list(sets.glob(".tmp-*")) if sets.is_dir() else []:
        shutil.rmtree(p, ignore_errors=True)
        gone.append(p)
    for p in list(folder.glob(".current.*")) + list(folder.glob(".*.link")) + list(folder.glob("*.tmp")):
        with contextlib.suppress(OSError):
            p.unlink()
            gone.append(p)
    return gone


def _prune(folder: Path, keep: Path) -> None:
    """Keep the current set and the newest one before it; remove older sets."""
    sets = sorted((p for p in (folder / SETS).iterdir() if p.is_dir() and not p.name.startswith(".")),
                  key=lambda p: p.name)
    for p in sets[:-2]:
        if p != keep:
            shutil.rmtree(p, ignore_errors=True)


# -- reading a set --------------------------------------------------------------------------

def set_folder(path: Path) -> Path:
    """The folder that really holds ``path`` (resolved once: read every file of a set from it)."""
    return Path(path).resolve().parent


def read_verified(path: Path, attempts: int = 3) -> tuple[Path, bytes]:
    """Resolve ``path`` once, read it and check it against its set's sidecar; return the real
    path (read the set's other files beside it) and the bytes. A set pruned between resolving
    and reading (two newer runs finished meanwhile) is resolved again."""
    for attempt in range(attempts):
        real = Path(path).resolve()
        try:
            data = real.read_bytes()
            verify(real, data, shown=path)
            return real, data
        except FileNotFoundError:
            if attempt == attempts - 1 or not Path(path).exists():
                raise
    raise FileNotFoundError(path)  # pragma: no cover


def verify(path: Path, data: bytes, shown: Path | None = None) -> None:
    """Check ``data`` (the bytes read from ``path``) against the sidecar beside the resolved file.

    No sidecar (a table made by hand or a test fixture) means nothing to check. A sidecar that
    lists the file with another checksum raises :class:`ChecksumError` naming both files.
    """
    real = Path(path).resolve()
    meta_path = real.parent / META_NAME
    if not meta_path.exists():
        return
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ChecksumError(f"{meta_path}: unreadable sidecar ({exc}); re-run 'khuyenhoc extract'") from exc
    sums = dict(meta.get("outputs_sha256") or {})
    if real.name == "figures.csv" and meta.get("figures_sha256"):  # a set from before outputs_sha256
        sums.setdefault(real.name, meta["figures_sha256"])
    expected = sums.get(real.name)
    if expected and sha256_bytes(data) != expected:
        shown = shown or path
        raise ChecksumError(f"{shown}: does not match the checksum in {Path(shown).parent / META_NAME} (edited by hand, or copied "
                            "from another run?); re-run 'khuyenhoc extract', and put corrections in data/curated/")
