"""Where an article's extraction time goes: per-stage CPU time, measured in-process on a sample.

Each stage is a set of the extractor's own functions; a call is timed and its time is charged
to its stage *exclusively* (time spent in a nested timed call goes to that call's stage), so the
stages add up to the whole. The wrappers are installed for the measurement only and removed
afterwards; they cost a little (well under a microsecond a call), which the ``overhead`` line of
the result shows against an uninstrumented pass over the same files.

Stages (the issue's names):

- ``decode`` — reading the file, decoding and NFC-normalising (:func:`read_article`);
- ``fold`` — lower-casing and folding the text for matching (:func:`fold`);
- ``cue scan`` — finding cue words and place names (the knowledge's matchers, the gazetteer);
- ``numbers`` — finding amounts and dates (:class:`NumberScanner`, :func:`find_dates`);
- ``document`` — reading the article as a document: places mentioned, period phrases, its
  date, subject and report period, the roles of its time phrases;
- ``classification`` — reading each number: metric, stage, bound, entity, period;
- ``validation`` — the table's contract checked per row (pandera, in the main process after the
  workers: :func:`quarantine`), as ``khuyenhoc extract`` does;
- ``writing`` — rows to CSV lines (:func:`_csv_lines`, :func:`_row_lines`: residue, trace and
  figure lines, made in the worker), as ``khuyenhoc extract`` writes them.
"""

from __future__ import annotations

import sys
import time
from collections import defaultdict
from pathlib import Path

STAGES = ["decode", "fold", "cue scan", "numbers", "document", "classification", "validation", "writing"]


def _targets() -> list[tuple[object, str, str]]:
    """(owner, attribute, stage) of every timed function."""
    from analysis.extraction import (
        adminunits,
        document,
        extract,
        knowledge,
        numbers,
        periods,
        pipeline,
        places,
        roles,
        textio,
    )
    t = [(textio, "read_article", "decode"), (knowledge, "fold", "fold"),
         (knowledge.Knowledge, "find", "cue scan"), (knowledge.Knowledge, "at", "cue scan"),
         (knowledge.Knowledge, "scan_all", "cue scan"), (knowledge._AllMatches, "find", "cue scan"),
         (numbers.NumberScanner, "scan", "numbers"), (numbers.NumberScanner, "scan_words", "numbers"),
         (periods, "find_dates", "numbers"),
         (places, "find_mentions", "document"), (periods, "find_period_phrases", "document"),
         (periods, "infer_dating", "document"), (document, "read_document", "document"),
         (roles, "phrase_roles", "document"),
         (extract._Article, "_read_amount", "classification"), (extract._Article, "_vague", "classification"),
         (pipeline, "_csv_lines", "writing"), (pipeline, "_row_lines", "writing"),
         (pipeline, "quarantine", "validation")]
    for name in ("find", "bare"):
        for owner in (getattr(adminunits, "AdminUnits", None), places.Gazetteer):
            if owner is not None and callable(getattr(owner, name, None)):
                t.append((owner, name, "cue scan"))
    return t


class _Timer:
    def __init__(self):
        self.totals: dict[str, float] = defaultdict(float)
        self.calls: dict[str, int] = defaultdict(int)
        self._stack: list[float] = []
        self._undo: list[tuple[object, str, object]] = []

    def wrap(self, fn, stage: str):
        stack, totals, calls, clock = self._stack, self.totals, self.calls, time.perf_counter

        def timed(*args, **kwargs):
            t = clock()
            stack.append(0.0)
            try:
                return fn(*args, **kwargs)
            finally:
                spent = clock() - t
                inner = stack.pop()
                totals[stage] += spent - inner
                calls[stage] += 1
                if stack:
                    stack[-1] += spent

        return timed

    def install(self) -> None:
        for owner, name, stage in _targets():
            original = owner.__dict__[name] if isinstance(owner, type) else getattr(owner, name)
            wrapped = self.wrap(original, stage)
            self._undo.append((owner, name, original))
            setattr(owner, name, wrapped)
            if isinstance(owner, type):
                continue
            for mod in list(sys.modules.values()):  # names imported elsewhere (from x import fold)
                if getattr(mod, "__name__", "").startswith("analysis.") and mod.__dict__.get(name) is original:
                    self._undo.append((mod, name, original))
                    setattr(mod, name, wrapped)

    def remove(self) -> None:
        for owner, name, original in reversed(self._undo):
            setattr(owner, name, original)
        self._undo.clear()


def _one_pass(files: list[Path], metas: dict) -> tuple[list, list]:
    from analysis.extraction import pipeline
    from analysis.extraction.extract import SourceMeta, extract_file

    results = [extract_file(p, metas.get(p.stem) or SourceMeta(p.stem)) for p in files]
    kept = [pipeline.extracted(r) for r in results]  # the worker's CSV lines
    pipeline.quarantine([row for e in kept for row in e.figures])
    return results, []


def stage_times(articles_dir: Path, sources_csv: Path | None = None, sample: int = 300) -> dict:
    """Per-stage CPU time (ms per article) over the first ``sample`` articles of a folder."""
    from analysis.extraction.sources import read_sources

    files = sorted(Path(articles_dir).glob("*.txt"))[:sample]
    metas = read_sources(sources_csv)[0] if sources_csv else {}
    _one_pass(files[:5], metas)  # build the process's tables before timing
    t = time.process_time()
    _one_pass(files, metas)
    plain = time.process_time() - t
    timer = _Timer()
    timer.install()
    try:
        t = time.perf_counter()
        _one_pass(files, metas)
        instrumented = time.perf_counter() - t
    finally:
        timer.remove()
    n = len(files)
    per = {s: timer.totals.get(s, 0.0) for s in STAGES}
    per["other"] = max(0.0, instrumented - sum(per.values()))
    return {"articles": n,
            "ms_per_article_uninstrumented": round(1000 * plain / n, 3),
            "ms_per_article_instrumented": round(1000 * instrumented / n, 3),
            "stages_ms_per_article": {k: round(1000 * v / n, 3) for k, v in per.items()},
            "stages_share": {k: round(v / instrumented, 3) for k, v in per.items()}}


if __name__ == "__main__":  # python -m analysis.dev.stages FOLDER [SOURCES] [N]
    import json

    folder = Path(sys.argv[1])
    src = Path(sys.argv[2]) if len(sys.argv) > 2 and sys.argv[2] else None
    print(json.dumps(stage_times(folder, src, int(sys.argv[3]) if len(sys.argv) > 3 else 300), indent=2))
