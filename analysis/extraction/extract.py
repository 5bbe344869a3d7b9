"""Article → figures (and the residue of every number that did not become one).

One article at a time, pure: :func:`extract_article` takes the normalised text and what
``sources.csv`` says of it, and returns rows; nothing here reads or writes files except
:func:`extract_file`. The language knowledge (cue words) comes from ``knowledge/cues.csv``;
this module holds only the reading order:

1. claim dates, times, years and terms (residue, never figures);
2. find amounts: numbers with scale words, units and ranges (:mod:`analysis.extraction.numbers`);
3. for each amount, read its *head* (the words after it) and its *context* (the sentence
   before it) to decide metric, stage, bound, entity and period — or a residue reason.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path

from analysis.extraction.knowledge import CueIndex, Knowledge, Match, fold, fold_re, knowledge
from analysis.extraction.numbers import Amount, NumberScanner, unaccounted_numbers
from analysis.extraction.periods import (
    DateSpan,
    Period,
    find_dates,
    find_period_phrases,
    infer_dating,
)
from analysis.extraction.places import (
    LEVEL_RANK,
    Gazetteer,
    Mention,
    Place,
    find_mentions,
    gazetteer,
)
from analysis.extraction.textio import ArticleError, quote_window, read_article

STOCK_METRICS = {"members", "associations", "branches", "promoting_clans", "learning_centres"}
MODEL_METRICS = {"learning_families", "learning_clans", "learning_communities", "learning_units",
                 "learning_citizens", "learning_models"}
# which generic noun may carry which learning-model title ("101 thôn … đạt Cộng đồng học tập")
_COMPATIBLE = {
    "@family": {"learning_families"}, "@clan": {"learning_clans"},
    "@community": {"learning_communities"}, "@unit": {"learning_units"},
    "@person": {"learning_citizens"}, "@place": {"learning_communities"},
}
_RECIPIENT_CLASSES = MODEL_METRICS | {"@person", "@family", "@clan", "@unit", "@community", "members",
                      "branches", "associations", "award_recipients"}
_DONOR_CLASSES = {"@unit", "@person"}
_LEAD_FILLER = re.compile(r"^[\s“”\"'‘’()]*(?:lượt\s+)?")
_HAS_BRANCH = fold_re(r"[^;.]{0,60}?(?<!\w)có\s+(?:chi hội|ban khuyến học|tổ khuyến học|hội khuyến học)")
_HAS_VERB = fold_re(r"(?<!\w)(?:có|là)(?!\w)")
_PASSIVE = fold_re(r"\s*(?:được|nhận|đã được)")
_PASSIVE_AWARD = fold_re(r"(?:được|đã được)\s+(?:khen thưởng|tặng thưởng|tặng|trao|nhận|cấp|tuyên dương|biểu dương)")
_PHONE = re.compile(r"(?<![\d.,/])(?:\+84|0)\d{2,3}[ .]?\d{3,4}[ .]?\d{3,4}(?![\d])")
_REACHES = fold_re(r"(?:^|\s)đạt\s*(?:trên|hơn|gần|khoảng|xấp xỉ)?\s*$")
_GAVE = fold_re(r"[^;.]{0,40}(?:ủng hộ|đóng góp|tài trợ)")
_LINK = fold_re(r"(?:là|đạt|:|có|gồm|tới|lên)\s*(?:trên|hơn|gần|khoảng)?\s*$")
_SHARE_OF = fold_re(r"(?:số\s+|các\s+|tổng số\s+)?")
_WHOLE = fold_re(r"(?:toàn|cả|địa bàn|thành hội)\s+$")
_ABBREV = re.compile(r"(?:^|[\s(])(?:tp|tx|ts|ths|pgs|gs|bs|th\.s|nxb|st|tt)$", re.IGNORECASE)


RESIDUE_FIELDS = ["source_id", "text", "start", "end", "reason", "quote"]


@dataclass
class SourceMeta:
    source_id: str
    title: str = ""
    outlet: str = ""
    published: date | None = None
    url: str = ""


@dataclass
class Figure:
    source_id: str
    entity: str
    level: str
    province: str
    period_start: str
    period_end: str
    metric: str
    stage: str
    value: float
    value_max: float | None
    unit: str
    bound: str
    subgroup: str
    quote: str
    start: int
    end: int

    def row(self) -> dict:
        return dict(self.__dict__)  # shallow: dataclasses.asdict deep-copies, 50x slower


@dataclass
class Residue:
    source_id: str
    text: str
    start: int
    end: int
    reason: str
    quote: str

    def row(self) -> dict:
        return dict(self.__dict__)  # shallow: dataclasses.asdict deep-copies, 50x slower


@dataclass
class ArticleResult:
    source_id: str
    figures: list[Figure] = field(default_factory=list)
    residue: list[Residue] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    published: date | None = None
    published_how: str = ""
    encoding: str = ""
    chars: int = 0
    removed: dict[str, int] = field(default_factory=dict)  # invisible characters normalising removed
    sha256: str = ""  # of the raw file


# -- segmentation --------------------------------------------------------------------

@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    clauses: tuple[tuple[int, int], ...]


_BREAK = re.compile(r"[\n!?….]")


def split_sentences(text: str) -> list[Sentence]:
    """Sentences (ended by . ! ? … or a line break) and their clauses (split at ;)."""
    bounds: list[tuple[int, int]] = []
    start = 0
    for m in _BREAK.finditer(text):
        i, ch = m.start(), m.group(0)
        if ch == "\n":
            cut, nxt_start = i, i + 1
        elif ch != ".":
            cut = nxt_start = i + 1
        else:
            prev, nxt = text[i - 1:i], text[i + 1:i + 2]
            grouping = prev.isdigit() and nxt.isdigit()  # 11.089
            ends = nxt == "" or nxt.isspace() or nxt.isupper() or nxt in "“\"/"
            abbreviation = nxt == " " and _ABBREV.search(text[max(0, i - 5):i])
            if not ends or grouping or abbreviation:
                continue
            cut = nxt_start = i + 1
        if text[start:cut].strip():
            bounds.append((start, cut))
        start = nxt_start
    if text[start:].strip():
        bounds.append((start, len(text)))
    out = []
    for a, b in bounds:
        clauses, c = [], a
        k = text.find(";", a, b)
        while k != -1:
            clauses.append((c, k))
            c = k + 1
            k = text.find(";", c, b)
        clauses.append((c, b))
        out.append(Sentence(a, b, tuple(clauses)))
    return out


# -- the extractor -------------------------------------------------------------------

@cache
def _noun_pattern(kn: Knowledge) -> re.Pattern[str]:
    parts = []
    for kind in ("noun", "model"):
        parts.append(kn.pattern(kind).pattern)
    return re.compile("|".join(parts))


class Extractor:
    def __init__(self, kn: Knowledge | None = None, gz: Gazetteer | None = None):
        self.kn = kn or knowledge()
        self.gz = gz or gazetteer()
        self.scanner = NumberScanner(self.kn)
        self.nouns = _noun_pattern(self.kn)
        self._counted = re.compile(r"[“\"']?\s*(?:" + self.nouns.pattern + ")")

    # .. entry point ..................................................................
    def extract(self, text: str, meta: SourceMeta) -> ArticleResult:
        folded = fold(text)
        res = ArticleResult(meta.source_id, chars=len(text))
        art = _Article(self, text, folded, meta, res)
        art.run()
        return res


class _Article:
    """The state of reading one article."""

    def __init__(self, ex: Extractor, text: str, folded: str, meta: SourceMeta, res: ArticleResult):
        self.ex, self.kn, self.gz = ex, CueIndex(ex.kn, folded), ex.gz
        self.text, self.folded, self.meta, self.res = text, folded, meta, res
        self.sentences = split_sentences(text)
        self._sentence_starts = [s.start for s in self.sentences]

    # .. setup ........................................................................
    def run(self) -> None:
        text, folded = self.text, self.folded
        self.dates = find_dates(folded, self.ex._counted)
        phrases = find_period_phrases(folded)
        dating = infer_dating(folded, phrases, self.meta.published)
        self.published = dating.published
        self.res.published, self.res.published_how = dating.published, dating.how
        if dating.how not in ("sources.csv",):
            when = dating.published.isoformat() if dating.published else "no date found"
            self.res.warnings.append(f"published date inferred from {dating.how}: {when}")
        self.phrases = [p.resolve(dating.report_year, dating.published) for p in phrases]
        self.mentions = find_mentions(text, folded, self.gz, self.kn)
        self.main = self._main_entity()
        if self.main is None:
            self.res.warnings.append("no reporting area found in title, outlet or text")
        ctx_province = self.main.province if self.main else ""
        self.mentions = [self._place_in(m, ctx_province) for m in self.mentions]

        phones = [(m.start(), m.end()) for m in _PHONE.finditer(folded)]
        claimed = [(d.start, d.end) for d in self.dates] + phones
        amounts = self.ex.scanner.scan(folded, claimed)
        taken = claimed + [(a.start, a.end) for a in amounts]
        amounts += self.ex.scanner.scan_words(folded, self.ex.nouns, taken)
        amounts.sort(key=lambda a: a.start)
        self.amounts = amounts
        self._amount_starts = [x.start for x in amounts]
        self.decisions: dict[int, _Decision] = {}
        for i, amount in enumerate(amounts):
            self._read_amount(i, amount)
        for d in self.dates:
            self._residue(d.start, d.end, _DATE_REASON[d.kind])
        for a, b in phones:
            self._residue(a, b, "phone number")
        self._vague()
        self._unaccounted()
        self.res.figures.sort(key=lambda f: (f.start, f.metric))
        self.res.residue.sort(key=lambda r: (r.start, r.reason))

    def _place_in(self, m: Mention, province: str) -> Mention:
        if m.place and not m.place.known and not m.place.province and m.place.level in ("district", "commune"):
            p = m.place
            return Mention(m.start, m.end, Place(p.name, p.level, province, False), m.prefix,
                           m.anaphor, m.in_title, m.with_association)
        return m

    def _main_entity(self) -> Place | None:
        text = self.text
        first_line_end = text.find("\n") if "\n" in text else len(text)
        title_mentions = [m for m in self.mentions if m.start < first_line_end and m.place and not m.in_title]
        if self.meta.title:
            t_folded = fold(self.meta.title)
            for m in find_mentions(self.meta.title, t_folded, self.gz, self.kn):
                if m.place and not m.in_title:
                    title_mentions.append(m)
        body = [m for m in self.mentions if m.start >= first_line_end and m.place and not m.in_title]
        if title_mentions:
            assoc = [m for m in title_mentions if m.with_association or m.prefix]
            best = (assoc or title_mentions)[0]
            if self._is_dateline(best) and best.place.level == "province":
                # "Hà Nội: …" is a dateline: the first place the body names says which unit reports
                first = body[0] if body else None
                if (first and first.with_association and first.place.level in ("district", "commune")
                        and first.place.province in ("", best.place.name)):
                    return Place(first.place.name, first.place.level, best.place.name, first.place.known)
            return best.place
        if self.meta.outlet:
            found = self.gz.bare(fold(self.meta.outlet), self.meta.outlet)
            if found:
                return max(found, key=lambda t: LEVEL_RANK[t[2].level])[2]
        for m in body:
            if m.with_association:
                return m.place
        return body[0].place if body else None

    def _is_dateline(self, m: Mention) -> bool:
        """``Hà Nội: …`` — a place that only says where the story is from."""
        if m.prefix or m.with_association:
            return False
        for title in (self.meta.title, self.text[:self.text.find("\n") if "\n" in self.text else len(self.text)]):
            name = m.place.name if m.place else ""
            if name and re.match(rf"\s*{re.escape(name)}\s*[:–-]", title):
                return True
        return False

    # .. helpers ......................................................................
    def _sentence_of(self, pos: int) -> Sentence:
        i = bisect.bisect_right(self._sentence_starts, pos) - 1
        return self.sentences[max(0, i)]

    def _clause_of(self, s: Sentence, pos: int) -> tuple[int, int]:
        for c in s.clauses:
            if c[0] <= pos < c[1] or pos == c[1]:
                return c
        return s.clauses[-1]

    def _previous_sentence(self, s: Sentence) -> Sentence | None:
        """The sentence before ``s`` in the same paragraph (no blank line between)."""
        i = bisect.bisect_left(self._sentence_starts, s.start) - 1
        if i < 0:
            return None
        prev = self.sentences[i]
        return None if "\n" in self.text[prev.end:s.start] else prev

    def _quote(self, s: Sentence, pos: int) -> str:
        a, b = s.start, s.end
        if b - a > 320:
            a, b = self._clause_of(s, pos)
        return quote_window(self.text, a, b, pos)

    def _unaccounted(self) -> None:
        """Every digit run ends up in a figure or the residue: malformed ones get a reason here."""
        covered = [(f.start, f.end) for f in self.res.figures] + [(r.start, r.end) for r in self.res.residue]
        for a, b, why in unaccounted_numbers(self.text, covered):
            self._residue(a, b, why)

    def _residue(self, start: int, end: int, reason: str) -> None:
        s = self._sentence_of(start)
        self.res.residue.append(Residue(self.res.source_id, self.text[start:end], start, end,
                                        reason, self._quote(s, start)))

    def _vague(self) -> None:
        for m in self.kn.find("vague", self.folded):
            nxt = self.folded[m.end:m.end + 30]
            if self.ex._counted.match(nxt.lstrip()):
                self._residue(m.start, m.end, "vague quantity")

    def _head(self, i: int, a: Amount, s: Sentence) -> tuple[int, int]:
        clause = self._clause_of(s, a.start)
        end = min(clause[1], a.end + 90)
        if i + 1 < len(self.amounts):
            nxt = self.amounts[i + 1].start
            between = self.text[a.end:nxt]
            if "(" not in between or ")" in between:  # "18.734 hộ (đạt 82,3%) được…": read past it
                end = min(end, max(a.end, nxt))
        return a.end, end

    def _prev_end(self, i: int, s: Sentence) -> int:
        if i > 0 and self.amounts[i - 1].end > s.start:
            return self.amounts[i - 1].end
        return s.start

    # .. one amount ...................................................................
    def _read_amount(self, i: int, a: Amount) -> None:
        s = self._sentence_of(a.start)
        h0, h1 = self._head(i, a, s)
        if a.denominator:  # X/Y: the head follows Y
            h0 = a.denominator[1]
        d = _Decision(a)
        self._classify(i, a, s, h0, h1, d)
        self.decisions[i] = d
        if d.reason:
            self._residue(a.start, a.end, d.reason)
            return
        self._emit(i, a, s, d, h0, h1)
        if a.denominator:
            self._denominator(a, s, d, h0, h1)

    def _classify(self, i: int, a: Amount, s: Sentence, h0: int, h1: int, d: _Decision) -> None:
        kn, f = self.kn, self.folded
        head_start = h0 + len(_LEAD_FILLER.match(f[h0:h1]).group(0))
        slot_start = self._prev_end(i, s)
        # changes are not levels
        ch = kn.last("change", f, max(slot_start, a.start - 40), a.start)
        if ch and len(f[ch.end:a.start].split()) <= 3:
            d.reason = "change, not a level"
            return
        noun = self._noun_at(head_start, h1)
        after_noun = noun[0].end if noun else a.end
        ca = kn.at("change_after", f, after_noun + len(f[after_noun:h1]) - len(f[after_noun:h1].lstrip()), h1)
        if ca:  # "3.500 hội viên mới": new members are a change
            d.reason = "change, not a level"
            return
        label = kn.ends_with("not_figure_before", f, max(s.start, a.start - 25), a.start)
        if label:
            d.reason = label.value
            return
        if any(p.start <= a.start < p.end for p in self.phrases):
            d.reason = "part of a period phrase"
            return
        ordinal = kn.ends_with("ordinal", f, max(s.start, a.start - 12), a.start)
        if ordinal:
            d.reason = "ordinal or label"
            return
        if a.unit == "vnd":
            self._classify_money(a, s, h0, h1, d)
            return
        if a.unit == "percent":
            self._classify_percent(i, a, s, head_start, h1, d)
            return
        nf = kn.at("not_figure", f, head_start, h1)
        if nf and (noun is None or nf.end >= noun[0].end):
            d.reason = nf.value
            return
        self._classify_count(i, a, s, head_start, h1, noun, d)

    def _noun_at(self, pos: int, end: int) -> tuple[Match, str] | None:
        """The counted noun right at ``pos``: (match, metric or class)."""
        model = self.kn.at("model", self.folded, pos, end)
        noun = self.kn.at("noun", self.folded, pos, end)
        if model and (not noun or model.end >= noun.end):
            return model, model.value
        if noun:
            return noun, noun.value
        return None

    def _first_model(self, start: int, end: int) -> Match | None:
        return self.kn.first("model", self.folded, start, end)

    def _award_context(self, s: Sentence, pos: int) -> Match | None:
        """The award cue governing ``pos``, unless a stage verb or ``có`` intervenes."""
        f = self.folded
        cue = self.kn.last("context", f, s.start, pos)
        if not cue or cue.value != "award":
            return None
        between = f[cue.end:pos]
        if self.kn.find("stage", between) or _HAS_VERB.search(between):
            return None
        return cue

    def _classify_count(self, i: int, a: Amount, s: Sentence, hs: int, h1: int,
                        noun: tuple[Match, str] | None, d: _Decision) -> None:
        f, kn = self.folded, self.kn
        cls = noun[1] if noun else None
        d.noun_end = noun[0].end if noun else a.end
        model = self._first_model(hs, h1)
        if noun and noun[1] in MODEL_METRICS:
            model = noun[0]
        # a collective with a branch ("74 đơn vị trường có Chi hội khuyến học")
        if cls in ("@unit", "@community", "@place", "@clan") and _HAS_BRANCH.match(f, hs):
            m = _HAS_BRANCH.match(f, hs)
            d.metric = "associations" if m.group(0).endswith("hội khuyến học") else "branches"
            if cls == "@clan":
                d.metric = "promoting_clans"
            d.subgroup = self.text[hs:m.start(0) + len(m.group(0).rsplit(" có ", 1)[0])].strip(" ,")
            return
        # given an award or a scholarship
        award = self._award_context(s, a.start)
        after_award = kn.first("context", f, d.noun_end, min(h1, d.noun_end + 40))
        passive_award = bool((after_award and after_award.value == "award"
                              and _PASSIVE.match(f[d.noun_end:after_award.start] or " "))
                             or (cls == "@person" and _PASSIVE_AWARD.search(f, d.noun_end, h1)))
        if (cls in _RECIPIENT_CLASSES or (model and cls is None)) and (award or passive_award):
            d.metric = "award_recipients"
            d.subgroup = self._noun_phrase(hs, h1)
            return
        if cls == "award_recipients":
            d.metric = "award_recipients"
            d.subgroup = self.text[noun[0].start:noun[0].end]
            return
        # learning models
        if model is not None and (cls is None or cls in MODEL_METRICS or model.value == "learning_models"
                                  or model.value in _COMPATIBLE.get(cls, ())):
            if model.value == "learning_models":
                d.reason = "learning models counted together (no single model)"
                return
            d.metric = model.value
            d.model_end = model.end
            if noun and noun[1] in MODEL_METRICS:
                d.noun_end = noun[0].end
            return
        # donors
        donation = kn.last("context", f, s.start, a.start)
        if cls in _DONOR_CLASSES and (
                (donation and donation.value == "donation")
                or _GAVE.match(f[d.noun_end:h1])):
            d.metric = "donors"
            return
        if cls and not cls.startswith("@"):
            d.metric = cls
            if cls in ("associations", "branches"):
                d.subgroup = self._org_subgroup(noun[0].end, h1)
            return
        # "Số hội viên: 12.500", "tổng số hội viên là 12.500 người"
        if cls in (None, "@person"):
            back = self.kn.last("noun", f, max(self._prev_end(i, s), a.start - 40), a.start)
            if back and not back.value.startswith("@") and _LINK.search(f[back.end:a.start]):
                d.metric = back.value
                return
        what = self.text[hs:hs + 25].split(",")[0].strip() or "nothing after it"
        d.reason = f"not in the vocabulary ({what})"

    def _classify_money(self, a: Amount, s: Sentence, h0: int, h1: int, d: _Decision) -> None:
        f, kn = self.folded, self.kn
        per = kn.first("per_unit", f, max(s.start, a.start - 15), min(h1, a.end + 12))
        if per and (per.end <= a.start or per.start == a.end or f[a.end:per.start].isspace()):
            d.reason = "amount per person or unit, not a total"
            return
        cue = kn.last("context", f, s.start, a.start)
        if cue is None:
            cue = kn.first("context", f, a.end, min(h1, a.end + 50))
        if cue is None:  # "…huy động được 18,5 tỷ đồng. Huyện Đông Hưng dẫn đầu với 3,2 tỷ đồng"
            prev = self._previous_sentence(s)
            if prev is not None:
                cue = kn.last("context", f, prev.start, prev.end)
        if cue is None:
            d.reason = "money with no stated purpose (fund or awards)"
            return
        d.metric = "awards_paid" if cue.value == "award" else "fund_raised"
        if d.metric == "fund_raised":
            bal = kn.last("balance", f, s.start, a.start)
            reaches = cue.cue.startswith(fold("quỹ")) and _REACHES.search(f, cue.end, a.start)
            if bal or reaches:  # "tổng quỹ …", "quỹ khuyến học các cấp đạt 35,6 tỷ": a balance
                d.subgroup = "số dư quỹ"

    def _classify_percent(self, i: int, a: Amount, s: Sentence, hs: int, h1: int, d: _Decision) -> None:
        f, kn = self.folded, self.kn
        if f[a.end:hs].strip(" “”\"'()") or f[hs:hs + 1] in ",;.":  # "96,5%, dòng họ…": nothing follows
            hs = h1
        noun = self._noun_at(_SHARE_OF.match(f[hs:h1]).end() + hs, h1)
        model = self._first_model(hs, h1)
        if noun and not noun[1].startswith("@") and noun[1] not in MODEL_METRICS:
            d.reason = f"share of {self.text[noun[0].start:noun[0].end]}, not a metric of the vocabulary"
            return
        if noun and noun[1].startswith("@"):
            cls = noun[1]
            if model and (model.value in _COMPATIBLE.get(cls, ()) or model.value == "learning_models"):
                d.metric = model.value + "_rate"
            elif cls in ("@family", "@clan") and kn.find("stage", f, noun[0].end, h1):
                d.metric = {"@family": "learning_families", "@clan": "learning_clans"}[cls] + "_rate"
            else:
                d.reason = f"share of {self.text[noun[0].start:noun[0].end]}, not a metric of the vocabulary"
                return
        elif noun:
            d.metric = noun[1] + "_rate"
        elif model:
            d.metric = model.value + "_rate"
        else:
            back = kn.last("model", f, s.start, a.start)
            other = kn.last("noun", f, max(self._prev_end(i, s), s.start), a.start)
            if back and not (other and other.start > back.end and not other.value.startswith("@")):
                d.metric = back.value + "_rate"
            else:
                d.reason = "share of something outside the vocabulary"
                return
        d.noun_end = a.end

    # .. writing a figure .............................................................
    def _emit(self, i: int, a: Amount, s: Sentence, d: _Decision, h0: int, h1: int) -> None:
        metric = d.metric
        place = self._entity(a.start, s)
        stage = self._stage(i, a, s, d, h0, h1)
        bound, bstart = self._bound(a, s)
        p_start, p_end = self._period(a, s, metric, d)
        term = self._plan_or_target_period(a, s) if stage == "target" else None
        if term is not None:  # a target stated for a term covers the term
            p_start, p_end = term
        unit = a.unit
        start = bstart
        end = max(a.end, d.noun_end) if unit == "count" else a.end
        if unit == "count" and end < len(self.text) and self.text[end:end + 1] in "”\"" and \
                "“" in self.text[a.end:end]:
            end += 1
        fig = Figure(self.res.source_id, place.name if place else "", place.level if place else "",
                     place.province if place else "", p_start, p_end, metric, stage,
                     a.value, a.value_max, unit, bound, d.subgroup, self._quote(s, a.start), start, end)
        self.res.figures.append(fig)
        d.figure = fig

    def _denominator(self, a: Amount, s: Sentence, d: _Decision, h0: int, h1: int) -> None:
        ds, de, dv = a.denominator
        reg = self.kn.first("stage", self.folded, h0, h1)
        if d.figure and d.metric in MODEL_METRICS and reg and reg.value == "registered" and \
                self.kn.find("stage", self.folded, reg.end, h1):
            fig = Figure(**{**d.figure.row(), "stage": "registered", "value": dv, "value_max": None,
                            "bound": "exact", "start": ds, "end": d.figure.end})
            self.res.figures.append(fig)
            d.figure.stage = "achieved"
        else:
            self._residue(ds, de, "denominator (the universe of a share)")

    def _stage(self, i: int, a: Amount, s: Sentence, d: _Decision, h0: int, h1: int) -> str:
        f, kn = self.folded, self.kn
        if self._target(a, s):
            return "target"
        is_model = d.metric in MODEL_METRICS or d.metric.endswith("_rate")
        if not is_model:
            return "actual"
        # the words after the number, up to the model title
        head_end = max(d.model_end, min(h1, a.end + 45)) if d.model_end else min(h1, a.end + 45)
        st = kn.first("stage", f, h0, head_end)
        if st:
            return st.value
        # the sentence before it, skipping "đạt" right before a number ("đạt 99,81%": reaches)
        for m in reversed(kn.find("stage", f, s.start, a.start)):
            if m.cue == "đạt" and self._amount_follows(m.end):
                continue  # "Vĩnh Phúc đạt 99,81%": đạt means "reaches", not a stage
            return m.value
        return "achieved"

    def _target(self, a: Amount, s: Sentence) -> bool:
        return self.kn.last("target", self.folded, s.start, a.start) is not None

    def _bound(self, a: Amount, s: Sentence) -> tuple[str, int]:
        if a.value_max is not None:
            lead = self.kn.ends_with("bound", self.folded, max(s.start, a.start - 15), a.start)
            if self.folded[max(s.start, a.start - 4):a.start].strip() == "từ":
                return "range", a.start - 3 if self.folded[a.start - 3:a.start] == "từ " else a.start
            return "range", lead.start if lead else a.start
        lead = self.kn.ends_with("bound", self.folded, max(s.start, a.start - 15), a.start)
        if lead:
            return lead.value, lead.start
        after = self.kn.first("bound_after", self.folded, a.end, min(s.end, a.end + 40))
        if after and not re.search(r"\d", self.folded[a.end:after.start]):
            return after.value, a.start
        return "exact", a.start

    # .. entity ........................................................................
    def _entity(self, pos: int, s: Sentence) -> Place | None:
        for m in reversed(self.mentions):
            if m.start >= pos or m.end <= s.start - 0:
                if m.start >= pos:
                    continue
                break
            if m.in_title:
                continue
            place = self._resolve(m) if m.anaphor else m.place
            if place is not None:
                return place
        return self.main

    def _resolve(self, m: Mention) -> Place | None:
        """An anaphor (``toàn quận``) → the last named place of its level, or the main entity."""
        lead = self.folded[max(0, m.start - 20):m.start]
        whole = _WHOLE.search(lead)
        levels = {"province": {"province"}, "city": {"province", "district"},
                  "district": {"district"}, "commune": {"commune"}}[m.prefix]
        if not whole and not (self.main and self.main.level in levels):
            return None
        for prev in reversed(self.mentions):
            if prev.start >= m.start:
                continue
            if prev.place and not prev.anaphor and prev.place.level in levels and \
                    (prev.prefix == "" or _prefix_level(self.kn, prev.prefix) == m.prefix or m.prefix == "city"):
                return prev.place
        if self.main and self.main.level in levels:
            return self.main
        return None

    # .. period .......................................................................
    def _period_phrase(self, a: Amount, s: Sentence) -> tuple[Period | None, bool]:
        """The period phrase for ``a`` and whether it stands in the same sentence."""
        before = [p for p in self.phrases if p.end <= a.start and p.kind != "horizon"]
        same = [p for p in before if p.start >= s.start]
        if same:
            return same[-1], True
        nxt = [p for p in self.phrases if p.start >= a.end and p.end <= s.end and p.kind != "horizon"]
        if nxt:
            return nxt[0], True
        # carried from earlier sentences: not a plan, not a period that starts after publication
        carried = [p for p in before if not p.plan and not self._future(p)]
        return (carried[-1] if carried else None), False

    def _future(self, p: Period) -> bool:
        pub = self.published
        return bool(pub and p.period_start and p.period_start > pub)

    def _plan_or_target_period(self, a: Amount, s: Sentence) -> tuple[str, str] | None:
        p, _ = self._period_phrase(a, s)
        if p and p.kind == "term":
            return _iso(p.period_start), _iso(p.period_end)
        return None

    def _period(self, a: Amount, s: Sentence, metric: str, d: _Decision) -> tuple[str, str]:
        pub = self.published
        p, same = self._period_phrase(a, s)
        stock = metric in STOCK_METRICS or (metric == "fund_raised" and d.subgroup == "số dư quỹ")
        if p is None:
            return "", _iso(pub)
        if p.kind in ("asof", "asof_pub"):
            return "", _iso(p.period_end or pub)
        end = p.period_end or pub
        if stock:
            if same:
                return "", _iso(min(end, pub) if end and pub else end)
            return "", _iso(pub or end)
        if p.kind == "term" and not same and pub and p.period_start and pub < (p.period_end or pub):
            return "", _iso(pub)
        return _iso(p.period_start), _iso(end)

    def _amount_follows(self, pos: int) -> bool:
        """An amount starts right after ``pos`` (a qualifier such as ``trên`` may stand between)."""
        starts = self._amount_starts
        k = bisect.bisect_left(starts, pos)
        if k == len(starts):
            return False
        gap = self.folded[pos:starts[k]]
        return len(gap.strip()) <= 12 and not re.search(r"[;,.]", gap)

    # .. small text helpers ...........................................................
    def _noun_phrase(self, hs: int, h1: int) -> str:
        piece = self.text[hs:h1]
        piece = re.split(r"[,;(]|(?:^|\s)(?:và|với|vì|nhân dịp|có|đạt|trong|được)(?:\s|$)", piece)[0]
        return " ".join(piece.split()[:6]).strip(" “”\".:!?")

    def _org_subgroup(self, pos: int, h1: int) -> str:
        piece = self.text[pos:h1]
        piece = re.sub(r"^\s*(?:khuyến học\s*)?(?:các\s+|ở\s+|tại\s+)?", "", piece, flags=re.IGNORECASE)
        piece = re.split(r";|(?:^|\s)(?:và|với|hoạt động|có)(?:\s|$)|\.\s", piece)[0]
        piece = piece.strip(" ,.")
        return piece if len(piece) <= 40 else ""


@dataclass
class _Decision:
    amount: Amount
    metric: str = ""
    reason: str = ""
    subgroup: str = ""
    noun_end: int = 0
    model_end: int = 0
    figure: Figure | None = None


_DATE_REASON = {"date": "date", "month": "date (month)", "day_month": "date (day/month)",
                "time": "time of day", "year": "year", "year_range": "years (term or range)"}


def _prefix_level(kn: Knowledge, prefix: str) -> str:
    return kn.values("prefix").get(prefix, "")


def _iso(d: date | None) -> str:
    return d.isoformat() if d else ""


# -- files ----------------------------------------------------------------------------

@cache
def default_extractor() -> Extractor:
    return Extractor()


def extract_article(text: str, meta: SourceMeta, extractor: Extractor | None = None) -> ArticleResult:
    return (extractor or default_extractor()).extract(text, meta)


def extract_file(path: Path, meta: SourceMeta | None = None, max_bytes: int | None = None) -> ArticleResult:
    """Read, normalise and extract one article file; raises :class:`ArticleError`."""
    path = Path(path)
    meta = meta or SourceMeta(path.stem)
    decoded = read_article(path, max_bytes)
    res = extract_article(decoded.text, meta)
    res.encoding, res.removed, res.sha256 = decoded.encoding, decoded.removed, decoded.sha256
    from analysis.table.checks import offset_problems

    res.warnings += offset_problems([f.row() for f in res.figures], decoded.text)
    if not res.figures and not res.residue:
        raise ArticleError("no numbers in the text: nothing to extract (is this an article of the genre?)")
    return res


__all__ = ["ArticleError", "ArticleResult", "Extractor", "Figure", "Residue", "SourceMeta",
           "extract_article", "extract_file", "split_sentences", "DateSpan"]
