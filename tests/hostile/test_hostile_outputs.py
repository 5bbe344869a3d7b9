"""The processed set under kills, SIGTERM, concurrent runs and hand edits.

Every case: the exit status, a message naming the folder or file, no traceback, and what a
reader sees is either the previous complete set or the new complete set.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def big(tmp_path_factory):
    """A generated corpus large enough that one extract runs for a few seconds."""
    from analysis.dev.synth import write_corpus

    folder = tmp_path_factory.mktemp("big")
    arts, sources, _ = write_corpus(folder, 1200, seed=7)
    return arts, sources


def _args(arts, sources, out, *extra):
    return [sys.executable, "-m", "analysis", "extract", "--articles", str(arts), "--sources", str(sources),
            "--out", str(out), "--curated", "none", "--jobs", "1", *extra]


def _start(arts, sources, out, *extra):
    return subprocess.Popen(_args(arts, sources, out, *extra), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, cwd=ROOT, env={**os.environ, "PYTHONHASHSEED": "0"})


def _first_set(big, tmp_path, processed_set):
    """A previous set written from the first 40 articles of the corpus."""
    arts, sources = big
    small = tmp_path / "small"
    small.mkdir()
    for p in sorted(arts.glob("*.txt"))[:40]:
        (small / p.name).write_bytes(p.read_bytes())
    out = tmp_path / "processed" / "figures.csv"
    run = subprocess.run(_args(small, sources, out), capture_output=True, text=True, cwd=ROOT)
    assert run.returncode in (0, 1) and "Traceback" not in run.stderr  # sources names articles not copied
    return out, processed_set(out.parent)


def _wait_for(cond, timeout=60.0):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if cond():
            return True
        time.sleep(0.002)
    return False


@pytest.mark.parametrize("when", ["early", "mid", "while writing"])
def test_kill_leaves_a_complete_set_and_the_rerun_succeeds(big, tmp_path, processed_set, when):
    arts, sources = big
    out, before = _first_set(big, tmp_path, processed_set)
    proc = _start(arts, sources, out)
    if when == "early":
        time.sleep(0.5)
    elif when == "mid":
        time.sleep(2.5)
    else:
        _wait_for(lambda: any((out.parent / ".sets").glob(".tmp-*")) or proc.poll() is not None)
    proc.send_signal(signal.SIGKILL)
    proc.communicate()
    seen = processed_set(out.parent)
    assert seen == before or len(seen["figures.csv"]) > len(before["figures.csv"])
    rerun = subprocess.run(_args(arts, sources, out), capture_output=True, text=True, cwd=ROOT)
    assert rerun.returncode == 0, rerun.stderr[-2000:]
    assert "Traceback" not in rerun.stderr and "1200 of 1200 articles read" in rerun.stdout
    after = processed_set(out.parent)
    assert len(after["figures.csv"]) > len(before["figures.csv"])
    assert not list((out.parent / ".sets").glob(".tmp-*"))
    assert len([p for p in (out.parent / ".sets").iterdir()]) <= 2


def test_sigterm_removes_temp_files_and_names_the_folder(big, tmp_path, processed_set):
    arts, sources = big
    out, before = _first_set(big, tmp_path, processed_set)
    proc = _start(arts, sources, out)
    time.sleep(1.5)
    proc.send_signal(signal.SIGTERM)
    stdout, stderr = proc.communicate(timeout=120)
    if proc.returncode == 0:  # finished before the signal: the new set is complete
        assert len(processed_set(out.parent)["figures.csv"]) > len(before["figures.csv"])
        return
    assert proc.returncode == 143
    assert f"terminated; the previous outputs in {out.parent} are unchanged" in stderr
    assert "Traceback" not in stderr
    assert processed_set(out.parent) == before
    assert not list((out.parent / ".sets").glob(".tmp-*"))


def test_two_runs_at_once_take_turns(big, tmp_path, processed_set):
    arts, sources = big
    out = tmp_path / "processed" / "figures.csv"
    first = _start(arts, sources, out)
    assert _wait_for(lambda: (out.parent / ".extract.lock").exists() and
                     (out.parent / ".extract.lock").read_text().strip() != "")
    second = _start(arts, sources, out)
    results = [p.communicate(timeout=300) for p in (first, second)]
    assert [p.returncode for p in (first, second)] == [0, 0], results[1][1][-2000:]
    assert all("Traceback" not in err for _, err in results)
    assert f"{out.parent}: another extract (pid {first.pid}) is writing this folder; waiting" in results[1][1]
    seen = processed_set(out.parent)
    assert seen["figures.csv"].count(b"\n") > 1200


def test_a_second_run_that_may_not_wait_exits_75(big, tmp_path, processed_set):
    arts, sources = big
    out = tmp_path / "processed" / "figures.csv"
    first = _start(arts, sources, out)
    assert _wait_for(lambda: (out.parent / ".extract.lock").exists() and
                     (out.parent / ".extract.lock").read_text().strip() != "")
    second = subprocess.run(_args(arts, sources, out, "--lock-timeout", "0"), capture_output=True, text=True, cwd=ROOT)
    first.communicate(timeout=300)
    assert second.returncode == 75
    assert f"{out.parent}: another extract (pid {first.pid}) is writing this folder; gave up" in second.stderr
    assert "Traceback" not in second.stderr
    assert first.returncode == 0
    processed_set(out.parent)


def test_a_hand_edited_table_is_refused_by_the_reader(big, tmp_path, processed_set):
    from analysis.stats.load import load_figures
    from analysis.table.outputs import ChecksumError

    out, _ = _first_set(big, tmp_path, processed_set)
    assert len(load_figures(out)) > 0
    real = out.resolve()
    real.write_text(real.read_text(encoding="utf-8").replace(",exact,", ",approx,", 1), encoding="utf-8")
    with pytest.raises(ChecksumError, match=r"figures.csv: does not match the checksum in .*figures.meta.json"):
        load_figures(out)
    from analysis.stats.load import load_residue

    assert len(load_residue(out.parent)) > 0
    residue = (out.parent / "residue.csv").resolve()
    residue.write_bytes(residue.read_bytes() + b"x,1,2,3,4,5\n")
    with pytest.raises(ChecksumError, match=r"residue.csv: does not match"):
        load_residue(out.parent)
