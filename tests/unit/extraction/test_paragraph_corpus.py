"""The paragraph corpus (tests/unit/extraction/paragraphs/): the data checked against itself,
then one test per paragraph comparing the extractor's rows with every expected row.

The per-paragraph tests are the extractor's development target: a failure prints which rows
were missed, which were extra (precision) and which fields disagree. The aggregate score:
``python -m tests.unit.extraction.paragraph_corpus [--details]``.
"""

from __future__ import annotations

import sqlite3
from functools import cache
from pathlib import Path

import pytest

from analysis.table.schema import BOUNDS, LEVELS, METRICS, MODEL_METRICS, UNIT_OF_METRIC
from tests.unit.extraction import paragraph_corpus as pc

LOAD_ERRORS: list[str] = []
PARAGRAPHS = pc.load(errors=LOAD_ERRORS)
IDS = [p.source_id for p in PARAGRAPHS]

# Paragraphs the extractor is known to get wrong, each with a one-line reason: their extraction
# tests are strict xfails, so a fix shows up as XPASS (a failure) until its line is removed.
KNOWN_MISSES_FILE = Path(__file__).with_name("paragraph_known_misses.csv")


def known_misses() -> dict[str, str]:
    """paragraph id → why the extractor still misses it."""
    import csv

    with KNOWN_MISSES_FILE.open(encoding="utf-8", newline="") as fh:
        return {row["paragraph"].strip(): row["reason"].strip() for row in csv.DictReader(fh)}


KNOWN_MISSES = known_misses()


def _extraction_params() -> list:
    out = []
    for p in PARAGRAPHS:
        why = KNOWN_MISSES.get(p.source_id)
        marks = [pytest.mark.xfail(strict=True, reason=f"known miss: {why}")] if why else []
        out.append(pytest.param(p, id=p.source_id, marks=marks))
    return out

# Districts that existed on the articles' dates but are gone from the package's legacy table,
# which shows the units as they stood just before July 2025 (merged or renamed early in 2025).
FORMER_DISTRICTS = {("Ninh Bình", "Ninh Bình"), ("Ninh Bình", "Hoa Lư"), ("Nam Định", "Mỹ Lộc")}


@cache
def gazetteer() -> dict[str, set]:
    """Province, (province, district) and (province, commune) names of the pre-2025 units."""
    import vietnamadminunits

    db = Path(vietnamadminunits.__file__).parent / "data" / "dataset.db"
    with sqlite3.connect(db) as con:
        rows = con.execute("select provinceShort, districtShort, wardShort from admin_units_legacy").fetchall()
    return {"province": {r[0] for r in rows},
            "district": {(r[0], r[1]) for r in rows} | FORMER_DISTRICTS,
            "commune": {(r[0], r[2]) for r in rows}}


def test_every_paragraph_file_parses():
    assert not LOAD_ERRORS, "\n".join(LOAD_ERRORS)


def test_corpus_size_and_variety():
    assert len(PARAGRAPHS) >= 60
    levels = {p.subject[1] for p in PARAGRAPHS}
    assert {"province", "district", "commune", "cluster"} <= levels
    assert sum(p.published is None for p in PARAGRAPHS) >= 10, "undated paragraphs"
    assert sum(len(p.rows) >= 8 for p in PARAGRAPHS) >= 5, "long paragraphs"
    assert len({p.source_id for p in PARAGRAPHS}) == len(PARAGRAPHS)


@pytest.mark.parametrize("p", PARAGRAPHS, ids=IDS)
def test_paragraph_data(p):
    """Each row is valid per the contract, its number text says its value and bound, and every
    digit run of the text is either a figure's number text or listed as not a figure."""
    problems = []
    owed = [r for r in p.rows if not r["optional"]]
    if not owed:
        problems.append("no owed figure")
    seen = set()
    for r in p.rows:
        w = r["where"]
        m = r["metric"]
        if m not in METRICS:
            problems.append(f"{w}: metric {m!r} outside the vocabulary")
            continue
        allowed = {"registered", "achieved", "target"} if m in MODEL_METRICS else {"actual", "target"}
        if r["stage"] not in allowed:
            problems.append(f"{w}: stage {r['stage']!r} does not suit {m}")
        if r["bound"] not in BOUNDS:
            problems.append(f"{w}: bound {r['bound']!r}")
        if (r["bound"] == "range") != (r["value_max"] is not None):
            problems.append(f"{w}: value_max is set exactly when the bound is range")
        if r["unit"] == "percent" and not 0 <= r["value"] <= (r["value_max"] or r["value"]) <= 100:
            problems.append(f"{w}: percent outside 0–100")
        if UNIT_OF_METRIC[m] == "vnd" and r["value"] < 1000:
            problems.append(f"{w}: money below 1.000 đồng — scale word forgotten?")
        problems += place_problems(r)
        if r["level"] not in LEVELS:
            problems.append(f"{w}: level {r['level']!r}")
        key = (r["anchor"].start, m, r["stage"])
        if key in seen:
            problems.append(f"{w}: the same number text, metric and stage twice")
        seen.add(key)
        problems += number_text_problems(r)
    problems += coverage_problems(p)
    assert not problems, "\n".join(problems)


def place_problems(r: dict) -> list[str]:
    """The entity is a real unit of its level in its province (as units stood before 2025)."""
    w, ent, level, prov = r["where"], r["entity"], r["level"], r["province"]
    g = gazetteer()
    if level in ("cluster", "national"):
        return [] if prov == "" else [f"{w}: a {level} has no province"]
    if prov not in g["province"]:
        return [f"{w}: no province {prov!r}"]
    if level == "province" and ent != prov:
        return [f"{w}: a province is its own province"]
    if level in ("district", "commune") and (prov, ent) not in g[level]:
        return [f"{w}: no {level} {ent!r} in {prov}"]
    return []


def number_text_problems(r: dict) -> list[str]:
    """The words of the number text give the row's value (scale words applied) and bound."""
    w, text = r["where"], r["anchor"].number
    values = pc.spoken_values(text)
    if not values:
        return [f"{w}: number text {text!r} holds no number"]
    out = []
    want = [r["value"]] + ([r["value_max"]] if r["value_max"] is not None else [])
    got = values[:1] if r["value_max"] is None else [values[0], values[-1]]
    if r["value_max"] is not None and got[0] < 1000 <= got[1]:     # từ 1 đến 1,5 tỷ: one scale for both
        scale = 1e9 if "tỷ" in text else 1e6 if "triệu" in text else 1
        got[0] *= scale
    if "/" in text and len(values) > 1 and r["value_max"] is None:
        got = [values[0]]
    if any(abs(a - b) > 1e-6 * max(1, abs(b)) for a, b in zip(got, want, strict=True)):
        out.append(f"{w}: number text {text!r} says {got}, row says {want}")
    said = pc.bound_in_text(text)
    if said != r["bound"]:
        out.append(f"{w}: number text {text!r} reads as {said}, row says {r['bound']}")
    return out


def coverage_problems(p) -> list[str]:
    """Every digit run is inside a figure's number text or a listed non-figure text."""
    text = p.text
    covered = [(r["anchor"].start, r["anchor"].end) for r in p.rows]
    out = []
    for t, reason, line in p.not_figures:
        spots = pc.token_positions(text, t)
        if not spots:
            out.append(f"{p.path.name}:{line}: not-a-figure text {t!r} is not in the paragraph")
        covered += [(s, s + len(t)) for s in spots]
        if not reason.strip():
            out.append(f"{p.path.name}:{line}: not-a-figure {t!r} needs a reason")
    for m in pc.DIGITS.finditer(text):
        if not any(a <= m.start() and m.end() <= b for a, b in covered):
            ctx = text[max(0, m.start() - 25): m.end() + 25].replace("\n", " ")
            out.append(f"{p.path.name}: {m[0]!r} is neither a figure nor listed as not one: …{ctx}…")
    return out


def test_loader_rejects_a_number_text_found_twice(tmp_path):
    bad = tmp_path / "x.txt"
    bad.write_text("title: T\nsubject: Kim Bảng | district | Hà Nam\n---\nCó 12 chi hội và 12 chi hội.\n---\n"
                   "12 chi hội | branches | actual | 12 | exact | @ | ..2023-12-31\n", encoding="utf-8")
    with pytest.raises(pc.CorpusError, match=r"x.txt:6: number text '12 chi hội' found 2 times"):
        pc.parse_file(bad)


def test_spoken_values_and_bounds():
    assert pc.spoken_values("61 triệu 600 nghìn đồng") == [61_600_000]
    assert pc.spoken_values("4 tỷ 215 triệu đồng") == [4_215_000_000]
    assert pc.spoken_values("trên 1.245 hội viên") == [1245]
    assert pc.spoken_values("1,2 tỷ") == [1_200_000_000]
    assert pc.bound_in_text("gần 35 triệu đồng") == "at_most"
    assert pc.bound_in_text("từ 25 tỷ đồng trở lên") == "at_least"
    assert pc.bound_in_text("80-90%") == "range"
    assert pc.bound_in_text("1.036 gia đình") == "exact"


def test_scorer_counts_misses_and_extras():
    p = PARAGRAPHS[0]
    gold = pc.gold_rows(p)
    perfect = pc.compare(p, gold)
    assert perfect.ok() and len(perfect.pairs) == len(gold)
    owed = [g for g in gold if g["optional"] == "false"]
    wrong = dict(owed[0], entity="Nơi Khác")
    c = pc.compare(p, [wrong] + owed[1:] + [dict(owed[0], metric="donors", unit="count")])
    assert [d[2] for d in c.disagreements()] == [["entity"]]
    assert len(c.extra) == 1 and not c.missed


def test_known_misses_name_paragraphs_with_reasons():
    """Every known miss names a paragraph of the corpus and says why in words."""
    assert set(KNOWN_MISSES) <= set(IDS), set(KNOWN_MISSES) - set(IDS)
    assert all(len(why) > 20 for why in KNOWN_MISSES.values())


@pytest.mark.parametrize("p", _extraction_params())
def test_paragraph_extraction(p):
    """The extractor's rows equal the expected rows: none missed, none extra, fields agreeing."""
    c = pc.compare(p)
    all_right = c.ok()
    assert all_right, c.report(p.text)


def test_gold_table_passes_the_project_checks():
    """The corpus as a gold table passes the table's own semantic and offset checks."""
    import pandas as pd

    from analysis.table.checks import offset_problems, semantic_problems

    rows = [r for p in PARAGRAPHS for r in pc.gold_rows(p)]
    df = pd.DataFrame(rows).astype({"value": float})
    assert not semantic_problems(df)
    for p in PARAGRAPHS:
        assert not offset_problems(pc.gold_rows(p), p.text), p.source_id
