"""The paragraph corpus: invented paragraphs in the genre's voice, each with every figure it owes.

Each ``paragraphs/*.txt`` file holds one paragraph (see ``paragraphs/README.md`` for the format):
a header (title, outlet, published, subject), the body, and two tables — the expected figure
rows, keyed by the number text as it appears, and the numbers that are not figures, with a
reason. This module parses the files into contract-shaped gold rows (offsets computed from the
number text, never typed), checks the data against itself, and scores an extractor on it.

    python -m tests.unit.extraction.paragraph_corpus            # aggregate score, today's extractor
    python -m tests.unit.extraction.paragraph_corpus --details  # plus every miss and extra row
    python -m tests.unit.extraction.paragraph_corpus --gold out.csv  # write the gold table

Nothing in ``analysis/`` reads this corpus: it is for scoring only.
"""

from __future__ import annotations

import argparse
import re
import sys
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent / "paragraphs"
GOLD_COLUMNS = ["source_id", "entity", "level", "province", "period_start", "period_end", "metric",
                "stage", "value", "value_max", "unit", "bound", "subgroup", "quote", "start", "end",
                "optional"]
COMPARED = ["value", "value_max", "metric", "unit", "stage", "bound", "entity", "level",
            "period_start", "period_end_year"]

_SCALE = {"nghìn tỷ": 1e12, "ngàn tỷ": 1e12, "trđ": 1e6,
          "tỷ": 1e9, "tỉ": 1e9, "triệu": 1e6, "nghìn": 1e3, "ngàn": 1e3,
          "triêu": 1e6, "trịêu": 1e6}                      # common misspellings kept as written
_SUFFIX = {"B": 1e9, "M": 1e6, "K": 1e3}
DIGITS = re.compile(r"\d+(?:[.,]\d+)*")


class CorpusError(ValueError):
    """A paragraph file that does not hold together; the message names the file and line."""


@dataclass
class Anchor:
    """Where a row's number text sits: the whole anchor occurs once; ``[...]`` marks the number."""

    raw: str
    context: str
    number: str
    start: int = -1
    end: int = -1


@dataclass
class Paragraph:
    """One paragraph file: metadata, the text handed to the extractor, and its expectations."""

    source_id: str
    path: Path
    title: str
    outlet: str
    published: date | None
    subject: tuple[str, str, str]
    body: str
    rows: list[dict] = field(default_factory=list)
    not_figures: list[tuple[str, str, int]] = field(default_factory=list)   # text, reason, line

    @property
    def text(self) -> str:
        """The article text the extractor reads: the headline, a blank line, the body."""
        return f"{self.title}\n\n{self.body}"


def parse_value(text: str, where: str) -> tuple[float, float | None]:
    """``45``, ``8.6B``, ``61.6M``, ``80-90`` → (value, value_max)."""
    def one(t: str) -> float:
        t = t.strip()
        mult = _SUFFIX.get(t[-1:], 1)
        try:
            return float(t[:-1] if mult != 1 else t) * mult
        except ValueError:
            raise CorpusError(f"{where}: bad value {text!r}") from None
    if "-" in text.strip()[1:]:
        lo, hi = text.split("-", 1)
        return one(lo), one(hi)
    return one(text), None


def parse_entity(text: str, subject: tuple[str, str, str], where: str) -> tuple[str, str, str]:
    """``@`` (the subject), ``Name/level/Province``, ``Name/province``, ``Cụm III/cluster``."""
    text = text.strip()
    if text == "@":
        return subject
    parts = [p.strip() for p in text.split("/")]
    if len(parts) == 2 and parts[1] == "province":
        return parts[0], "province", parts[0]
    if len(parts) == 2 and parts[1] in ("cluster", "national"):
        return parts[0], parts[1], ""
    if len(parts) == 3:
        return parts[0], parts[1], parts[2]
    raise CorpusError(f"{where}: bad entity {text!r} (want @, Name/level/Province or Name/province)")


def parse_period(text: str, where: str) -> tuple[str, str]:
    """``2023`` (a year), ``2023H1``/``2023H2``, ``..2023-12-20`` (a stock), ``A..B``."""
    t = text.strip()
    if re.fullmatch(r"\d{4}", t):
        return f"{t}-01-01", f"{t}-12-31"
    if m := re.fullmatch(r"(\d{4})H([12])", t):
        y = m[1]
        return (f"{y}-01-01", f"{y}-06-30") if m[2] == "1" else (f"{y}-07-01", f"{y}-12-31")
    if m := re.fullmatch(r"(\d{4}-\d\d-\d\d)?\.\.(\d{4}-\d\d-\d\d)", t):
        start, end = m[1] or "", m[2]
        for d in filter(None, (start, end)):
            try:
                date.fromisoformat(d)
            except ValueError:
                raise CorpusError(f"{where}: bad date {d!r}") from None
        if start and start > end:
            raise CorpusError(f"{where}: period starts after it ends: {t!r}")
        return start, end
    raise CorpusError(f"{where}: bad period {t!r} (want 2023, 2023H1, ..2023-12-20 or A..B)")


def parse_anchor(raw: str, where: str) -> Anchor:
    """``huyện Vũ Thư [2,8 tỷ đồng]`` → context without brackets, number text inside them."""
    raw = raw.strip()
    m = re.fullmatch(r"([^\[\]]*)\[([^\[\]]+)\]([^\[\]]*)", raw)
    if m:
        return Anchor(raw, m[1] + m[2] + m[3], m[2])
    if "[" in raw or "]" in raw:
        raise CorpusError(f"{where}: unbalanced brackets in {raw!r}")
    return Anchor(raw, raw, raw)


def token_positions(text: str, needle: str) -> list[int]:
    """Start offsets of ``needle`` in ``text`` not glued to a letter or digit on either side."""
    out, i = [], text.find(needle)
    while i != -1:
        before = text[i - 1] if i else " "
        after = text[i + len(needle)] if i + len(needle) < len(text) else " "
        glued = (needle[0].isalnum() and before.isalnum()) or (needle[-1].isalnum() and after.isalnum())
        if not glued:
            out.append(i)
        i = text.find(needle, i + 1)
    return out


def _header(lines: list[str], where: str) -> dict:
    head = {}
    for n, line in enumerate(lines, 1):
        key, sep, val = line.partition(":")
        if not sep or key.strip() not in ("title", "outlet", "published", "subject"):
            raise CorpusError(f"{where}:{n}: header lines are `title:`, `outlet:`, `published:`, `subject:`")
        head[key.strip()] = val.strip()
    for key in ("title", "subject"):
        if not head.get(key):
            raise CorpusError(f"{where}: header `{key}:` is required")
    return head


def _figure_row(p: Paragraph, cells: list[str], where: str) -> dict:
    from analysis.table.schema import UNIT_OF_METRIC

    cells += [""] * (9 - len(cells))
    anchor_text, metric, stage, value, bound, entity, period, subgroup, flags = cells[:9]
    anchor = parse_anchor(anchor_text, where)
    v, vmax = parse_value(value, where)
    ent, level, province = parse_entity(entity, p.subject, where)
    start, end = parse_period(period, where)
    if flags.strip() not in ("", "optional"):
        raise CorpusError(f"{where}: unknown flag {flags!r} (only `optional`)")
    return {"source_id": p.source_id, "entity": ent, "level": level, "province": province,
            "period_start": start, "period_end": end, "metric": metric.strip(),
            "stage": stage.strip(), "value": v, "value_max": vmax,
            "unit": UNIT_OF_METRIC.get(metric.strip(), "?"), "bound": bound.strip() or "exact",
            "subgroup": subgroup.strip(), "optional": flags.strip() == "optional",
            "anchor": anchor, "where": where}


def parse_file(path: Path) -> Paragraph:
    """Read one paragraph file; raises :class:`CorpusError` naming the file and line."""
    raw = path.read_text(encoding="utf-8")
    if unicodedata.normalize("NFC", raw) != raw or "\r" in raw:
        raise CorpusError(f"{path.name}: must be NFC text with LF line ends")
    parts = re.split(r"^---\s*$", raw, flags=re.M)
    if len(parts) != 3:
        raise CorpusError(f"{path.name}: want header, `---`, body, `---`, rows")
    head = _header([ln for ln in parts[0].splitlines() if ln.strip()], path.name)
    subject_cells = head["subject"].split("|")
    if len(subject_cells) != 3:
        raise CorpusError(f"{path.name}: subject is `entity | level | province`")
    try:
        published = date.fromisoformat(head["published"]) if head.get("published") else None
    except ValueError:
        raise CorpusError(f"{path.name}: bad published date {head['published']!r}") from None
    p = Paragraph(path.stem, path, head["title"], head.get("outlet", ""), published,
                  tuple(c.strip() for c in subject_cells), parts[1].strip("\n"))
    first_row_line = raw[: raw.rindex(parts[2])].count("\n") + 1
    for n, line in enumerate(parts[2].splitlines(), first_row_line):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        where = f"{path.name}:{n}"
        cells = [c.strip() for c in line.split("|")]
        if cells[0].startswith("- "):
            if len(cells) != 2 or not cells[1]:
                raise CorpusError(f"{where}: a non-figure line is `- text | reason`")
            p.not_figures.append((cells[0][2:].strip(), cells[1], n))
        else:
            p.rows.append(_figure_row(p, cells, where))
    _place_anchors(p)
    return p


def _place_anchors(p: Paragraph) -> None:
    text = p.text
    for row in p.rows:
        a = row["anchor"]
        found = token_positions(text, a.context)
        if len(found) != 1:
            raise CorpusError(f"{row['where']}: number text {a.context!r} found {len(found)} times, "
                              "want exactly once (add words around it, mark the number with [ ])")
        a.start = found[0] + a.context.index(a.number)
        a.end = a.start + len(a.number)


def load(folder: Path = HERE, errors: list[str] | None = None) -> list[Paragraph]:
    """Every paragraph file of the folder, in name order. A file that does not hold together is
    left out and its message appended to ``errors`` (raised when no list is given)."""
    out = []
    for path in sorted(folder.glob("*.txt")):
        try:
            out.append(parse_file(path))
        except CorpusError as e:
            if errors is None:
                raise
            errors.append(str(e))
    return out


def gold_rows(p: Paragraph) -> list[dict]:
    """The paragraph's expected rows in the contract's gold-table shape."""
    out = []
    text = p.text
    for row in p.rows:
        a = row["anchor"]
        q0 = text.rfind("\n", 0, a.start) + 1
        q1 = text.find("\n", a.end)
        d = {k: row[k] for k in GOLD_COLUMNS if k in row}
        d.update(quote=text[q0: q1 if q1 != -1 else len(text)], start=a.start, end=a.end,
                 optional=str(row["optional"]).lower(), value_max="" if row["value_max"] is None
                 else row["value_max"])
        out.append(d)
    return out


# -- the number text must say what the row says --------------------------------------------

_AMOUNT = re.compile(r"(\d+(?:\.\d{3})*(?:,\d+)?)\s*(nghìn tỷ|ngàn tỷ|tỷ|tỉ|triệu|triêu|trịêu|trđ|nghìn|ngàn)?")


def spoken_values(number_text: str) -> list[float]:
    """The amounts written in a number text, scale words applied (``61 triệu 600 nghìn`` is one)."""
    values: list[float] = []
    prev_scale, prev_end = None, 0
    for m in _AMOUNT.finditer(number_text):
        digits = m[1].replace(".", "").replace(",", ".")
        scale = _SCALE.get(m[2] or "", 1)
        joined = not number_text[prev_end: m.start()].strip()
        if values and prev_scale and m[2] and scale < prev_scale and joined:
            values[-1] += float(digits) * scale          # 4 tỷ 215 triệu, 61 triệu 600 nghìn
        else:
            values.append(float(digits) * scale)
        prev_scale, prev_end = (scale if m[2] else None), m.end()
    return values


_BOUND_WORDS = [("trở lên", "at_least"), ("trên", "at_least"), ("hơn", "at_least"), ("từ", "at_least"),
                ("ít nhất", "at_least"), ("gần", "at_most"), ("dưới", "at_most"),
                ("chưa đầy", "at_most"), ("không quá", "at_most"), ("khoảng", "approx"),
                ("xấp xỉ", "approx"), ("chừng", "approx")]


def bound_in_text(number_text: str) -> str:
    """The bound the number text's own words give (``exact`` when it has none)."""
    low = number_text.lower()
    if re.search(r"\d\s*(?:%|\S*)\s*(?:-|–|đến)\s*\d", low) and re.match(r"^(từ\s+)?\d", low):
        return "range"
    for word, bound in _BOUND_WORDS:
        if low.startswith(word + " ") or low.endswith(" " + word):
            return bound
    return "exact"


# -- scoring --------------------------------------------------------------------------------

def _close(a, b) -> bool:
    if a is None or b is None or a == "" or b == "":
        return (a is None or a == "") and (b is None or b == "")
    return abs(float(a) - float(b)) <= max(0.005 * abs(float(b)), 1e-6)


def comparable(row: dict) -> dict:
    """The fields a figure is judged on, from a gold row or an extracted one."""
    vmax = row.get("value_max")
    return {"value": float(row["value"]), "value_max": None if vmax in (None, "") else float(vmax),
            "metric": row["metric"], "unit": row["unit"], "stage": row["stage"], "bound": row["bound"],
            "entity": row["entity"], "level": row["level"], "period_start": row["period_start"] or "",
            "period_end_year": (row["period_end"] or "")[:4], "start": int(row["start"]),
            "end": int(row["end"])}


def match(gold: list[dict], pred: list[dict]) -> list[tuple[int, int]]:
    """Pairs (gold index, pred index): same metric and unit, values within 0.5 % (both ends);
    ties go to pairs that agree on stage and entity, then to overlapping offsets."""
    cands = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(pred):
            if (p["metric"], p["unit"]) != (g["metric"], g["unit"]) or not _close(p["value"], g["value"]) \
                    or not _close(p["value_max"], g["value_max"]):
                continue
            agree = (p["stage"] == g["stage"]) + (p["entity"] == g["entity"])
            overlap = max(0, min(g["end"], p["end"]) - max(g["start"], p["start"]))
            cands.append((-agree, -overlap, abs(g["start"] - p["start"]), gi, pi))
    used_g, used_p, pairs = set(), set(), []
    for *_, gi, pi in sorted(cands):
        if gi not in used_g and pi not in used_p:
            used_g.add(gi)
            used_p.add(pi)
            pairs.append((gi, pi))
    return pairs


@dataclass
class Comparison:
    """One paragraph's expected rows against the extractor's."""

    source_id: str
    gold: list[dict]
    pred: list[dict]
    pairs: list[tuple[int, int]]

    @property
    def missed(self) -> list[dict]:
        got = {gi for gi, _ in self.pairs}
        return [g for i, g in enumerate(self.gold) if i not in got and not g["optional"]]

    @property
    def extra(self) -> list[dict]:
        got = {pi for _, pi in self.pairs}
        return [p for i, p in enumerate(self.pred) if i not in got]

    def disagreements(self) -> list[tuple[dict, dict, list[str]]]:
        """Matched owed rows whose other compared fields differ, with the fields."""
        out = []
        for gi, pi in self.pairs:
            g, p = self.gold[gi], self.pred[pi]
            if g["optional"]:
                continue
            bad = [k for k in COMPARED if k not in ("value", "value_max", "metric", "unit") and g[k] != p[k]]
            if bad:
                out.append((g, p, bad))
        return out

    def ok(self) -> bool:
        return not (self.missed or self.extra or self.disagreements())

    def report(self, text: str) -> str:
        """A readable diff: missed rows, extra rows, and field-by-field disagreements."""
        lines = [f"{self.source_id}: {len(self.gold)} expected, {len(self.pred)} extracted, "
                 f"{len(self.pairs)} matched"]

        def show(r):
            rng = f"{r['value']:g}" + (f"–{r['value_max']:g}" if r["value_max"] is not None else "")
            return (f"{text[r['start']:r['end']]!r} {r['metric']} {rng} {r['stage']} {r['bound']} "
                    f"{r['entity']}/{r['level']} {r['period_start'] or '…'}→{r['period_end_year']}")
        lines += [f"  MISSED  {show(g)}" for g in self.missed]
        lines += [f"  EXTRA   {show(p)}" for p in self.extra]
        for g, p, bad in self.disagreements():
            diffs = ", ".join(f"{k}: want {g[k]!r} got {p[k]!r}" for k in bad)
            lines.append(f"  WRONG   {text[g['start']:g['end']]!r} {g['metric']}: {diffs}")
        return "\n".join(lines)


def extract_rows(p: Paragraph) -> list[dict]:
    """Run today's extractor on the paragraph as an article with its metadata."""
    from analysis.extraction.extract import SourceMeta, extract_article

    meta = SourceMeta(p.source_id, title=p.title, outlet=p.outlet, published=p.published)
    return [f.row() for f in extract_article(p.text, meta).figures]


def compare(p: Paragraph, pred_rows: list[dict] | None = None) -> Comparison:
    """Expected against extracted rows for one paragraph."""
    pred_rows = extract_rows(p) if pred_rows is None else pred_rows
    gold = []
    for g in gold_rows(p):
        c = comparable(g)
        c["optional"] = g["optional"] == "true"
        gold.append(c)
    pred = [comparable(r) for r in pred_rows]
    return Comparison(p.source_id, gold, pred, match(gold, pred))


@dataclass
class Totals:
    """The corpus-wide score: F1 on (value, metric, unit) and agreement on matched rows."""

    owed: int = 0
    predicted: int = 0
    matched: int = 0
    agree: dict = field(default_factory=lambda: dict.fromkeys(
        ["stage", "bound", "entity", "level", "period_end_year", "period_start"], 0))
    paragraphs_ok: int = 0
    paragraphs: int = 0

    def add(self, c: Comparison) -> None:
        self.paragraphs += 1
        self.paragraphs_ok += c.ok()
        optional_hits = sum(1 for gi, _ in c.pairs if c.gold[gi]["optional"])
        self.owed += sum(1 for g in c.gold if not g["optional"])
        self.predicted += len(c.pred) - optional_hits
        for gi, pi in c.pairs:
            g, p = c.gold[gi], c.pred[pi]
            if g["optional"]:
                continue
            self.matched += 1
            for k in self.agree:
                self.agree[k] += g[k] == p[k]

    @property
    def precision(self) -> float:
        return self.matched / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.matched / self.owed if self.owed else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def summary(self) -> str:
        """Two lines: counts and F1, then agreement rates on matched figures."""
        share = {k: v / self.matched if self.matched else 0.0 for k, v in self.agree.items()}
        return (f"paragraphs {self.paragraphs} (all rows right: {self.paragraphs_ok}); owed {self.owed}, "
                f"extracted {self.predicted}, matched {self.matched}: P {self.precision:.3f} "
                f"R {self.recall:.3f} F1 {self.f1:.3f}\n"
                + "agreement on matched: " + ", ".join(f"{k} {v:.2f}" for k, v in share.items()))


def score(paragraphs: list[Paragraph]) -> tuple[Totals, list[Comparison]]:
    """Run the extractor on every paragraph and total the comparison."""
    totals, comps = Totals(), []
    for p in paragraphs:
        c = compare(p)
        totals.add(c)
        comps.append(c)
    return totals, comps


def main(argv: list[str] | None = None) -> int:
    """Print the corpus score of the extractor in this checkout (exit 0), or write the gold table."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--details", action="store_true", help="print every paragraph's diff")
    ap.add_argument("--gold", type=Path, help="write the gold table (contract columns) here and stop")
    ap.add_argument("-k", default="", help="only paragraphs whose id contains this")
    args = ap.parse_args(argv)
    paragraphs = [p for p in load() if args.k in p.source_id]
    if args.gold:
        import csv

        with open(args.gold, "w", newline="", encoding="utf-8") as f:
            w = csv.DictWriter(f, GOLD_COLUMNS, lineterminator="\n")
            w.writeheader()
            for p in paragraphs:
                w.writerows(gold_rows(p))
        print(f"{sum(len(p.rows) for p in paragraphs)} rows from {len(paragraphs)} paragraphs → {args.gold}")
        return 0
    totals, comps = score(paragraphs)
    if args.details:
        texts = {p.source_id: p.text for p in paragraphs}
        for c in comps:
            if not c.ok():
                print(c.report(texts[c.source_id]))
    print(totals.summary())
    return 0


if __name__ == "__main__":
    sys.exit(main())
