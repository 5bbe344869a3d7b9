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
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cache
from pathlib import Path

from analysis.extraction.document import read_document
from analysis.extraction.knowledge import CueIndex, Knowledge, Match, fold, fold_re, knowledge
from analysis.extraction.numbers import Amount, NumberScanner, unaccounted_numbers
from analysis.extraction.periods import (
    DateSpan,
    Period,
    find_dates,
    find_period_phrases,
    infer_dating,
)
from analysis.extraction.places import Gazetteer, Mention, Place, find_mentions, gazetteer
from analysis.extraction.roles import SHARED, Dated, EntityReader, PeriodReader, phrase_roles
from analysis.extraction.spans import Spans
from analysis.extraction.textio import QUOTE_LIMIT, ArticleError, quote_window, read_article
from analysis.extraction.trace import TraceRow, fallback_of
from analysis.table.vocabulary import MODEL_COUNT_METRICS, STOCK_METRICS

# learning-model counts, and "learning_models" (the models counted together, read but not a figure)
MODEL_METRICS = frozenset(MODEL_COUNT_METRICS) | {"learning_models"}
# which generic noun may carry which learning-model title ("101 thôn … đạt Cộng đồng học tập")
_COMPATIBLE = {
    "@family": {"learning_families"}, "@clan": {"learning_clans"},
    "@community": {"learning_communities"}, "@unit": {"learning_units"},
    "@person": {"learning_citizens"}, "@place": {"learning_communities"},
}
_RECIPIENT_CLASSES = MODEL_METRICS | {"@person", "@family", "@clan", "@unit", "@community", "members",
                      "branches", "associations", "award_recipients"}
_DONOR_CLASSES = {"@unit", "@person", "@family"}
_LEAD_FILLER = re.compile(r"^[\s“”\"'‘’()]*(?:lượt\s+)?")
_FUND_HOLDS = fold_re(r"(?:hiện có|hiện còn|còn|số dư|tồn quỹ|dư)\s*(?:là|:)?\s*(?:trên|hơn|gần|khoảng|xấp xỉ)?\s*$")
_GRADED = fold_re(r"\s*(?:cấp xã|cấp cơ sở|cơ sở)?\s*(?:được\s+)?(xếp loại\s+[^\s\d.,;:]+(?:\s+mạnh)?)")
_LIST_ITEM = re.compile(r"\s*(?:[-+•*–]|\d{1,2}[.)]|[a-zđ]\))\s")
_FROM = fold_re(r"(?:^|\s)(?:từ|của)\s+$")
_SUBSET_HAS = fold_re(r"(?<!\w)có\s+(?:tỉ lệ|quỹ|mức|số)")
_SHARE_LINK = fold_re(r"(?:tỉ lệ|đạt|bằng|chiếm)\s*:?\s*$")
_BIG_SCALE = fold_re(r"\d\s*(?:tỉ|tỷ|triệu|tr\.?)(?!\w)")
_HAS_VERB = fold_re(r"(?<!\w)(?:có|là)(?!\w)")
_PASSIVE = fold_re(r"\s*(?:được|nhận|đã được)")
_PHONE = re.compile(r"(?<![\d.,/])(?:\+84|0)\d{2,3}[ .]?\d{3,4}[ .]?\d{3,4}(?![\d])")
# a generic noun of a learning-model title named with a stage word ("số gia đình đạt danh hiệu: 1.716")
_CLASS_MODEL = {"@family": "learning_families", "@clan": "learning_clans", "@community": "learning_communities",
                "@unit": "learning_units"}
_LABEL_METRICS = {"members", "associations", "branches", "promoting_clans", "learning_centres", "donors",
                  "award_recipients"}
_SHARE_OF = fold_re(r"(?:số\s+|các\s+|tổng số\s+)?")
_WHOLE = fold_re(r"(?:toàn|cả|địa bàn|thành hội)\s+$")
# adverbs and auxiliaries before "có" are not part of the units' noun phrase ("xã, phường đã có …")
_MANAGED = fold_re(r"(?<!\w)(?:do|của)\s+([^\d,;.:]{2,30}?\s+quản lí)")
# what a change names before its amount: "(thấp hơn) cùng kỳ năm 2022 (khoảng 300 triệu)"
_COMPARED_WITH = fold_re(r"(?:\s*so với)?(?:\s*cùng kì)?(?:\s*(?:năm|tháng)\s+[\d/]+|\s*năm trước)?")
# between one item of a list and the next: "52 nhà hảo tâm, 14 doanh nghiệp", "…, trong đó có 46 …"
_NEXT_ITEM = fold_re(r"[^\d;.:]{0,30}?(?:,|\svà)\s*(?:trong đó\s*(?:có\s*)?)?")
# a unit's head ("chi hội trưởng", "trưởng ban khuyến học dòng họ"): a person, not a label
_HEAD_OF = fold_re(r"\s+(?:trưởng|phó)(?!\w)")
_HEAD_OF_BEFORE = fold_re(r"(?<!\w)(?:trưởng|phó)\s+$")
_BREAKDOWN = "item of the breakdown of the count before it (trong đó: …)"
_TRONG_DO = fold("trong đó")
_ITEM_END = re.compile(r"\s*(?:[;),.]|$)")
# between a learning-model title and the units it is conferred on: "“Dòng họ học tập” được trao cho"
_CONFERRED_ON = fold_re(r"[”\"'\s]*(?:được\s+)?(?:trao|tặng|công nhận)?\s*cho\s+")
# how an item of a list opens: after a comma, "và", or a bracket (a share: "(đạt 93,2% số hộ)")
_ITEM_LEAD = fold_re(r"(?:,|\svà|\((?:\s*đạt)?)\s*$")
# "quỹ (khuyến học) của <holder> <amount>": the fund a holder has, with no verb of raising
_FUND_OF = fold_re(r"(?:\s+khuyến học)?\s+(?:của|do)\s")
_CLANS_FUND = fold_re(r"(?<!\w)dòng họ(?:\s+[^\d,;.:]{0,25})?\s+(?:có|lập|xây dựng)\s+quỹ")
_ITEM_GAP = re.compile(r"\s*:?\s*\(?\s*")  # between a sub-unit's name and its value
_ITEM_SEP = re.compile(r"[\s)]*[,;]\s*(?:và\s+|trong đó\s*:?\s*|riêng\s+)?|[\s)]+và\s+")  # between two items of a list
_OF_REGISTERED = fold_re(r"\s*(?:tổng\s+)?số\s+[^\d,;.:]{1,25}?\s*$")
_ELLIPTICAL_ITEM = fold_re(r"\s*(?:đồng|đ)?\s*[,;]\s*(?:và\s+)?(?:của|ở|tại)?\s*[^,;.:]*$")
_TRAILING_VERB = re.compile(r"(?:\s+(?:đã|đều|cũng|vẫn|nay|hiện|đã được|được|hiện nay))+\s*$", re.IGNORECASE)
_ABBREV = re.compile(r"(?:^|[\s(])(?:tp|tx|ts|ths|pgs|gs|bs|th\.s|nxb|st|tt)$", re.IGNORECASE)


_QUOTE_MAX = QUOTE_LIMIT  # characters: a quote is the sentence, else its clause, else a window around the number
RESIDUE_FIELDS = ["source_id", "text", "start", "end", "reason", "quote"]


@dataclass
class SourceMeta:
    """An article's row of sources.csv: id, title, outlet, publication date and URL."""
    source_id: str
    title: str = ""
    outlet: str = ""
    published: date | None = None
    url: str = ""


@dataclass
class Figure:
    """One extracted figure: a row of figures.csv."""
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
        """The figure as a dict of its fields."""
        return dict(self.__dict__)  # shallow: dataclasses.asdict deep-copies, 50x slower


@dataclass
class Residue:
    """A number left out of the figures, with the reason and its quote: a row of residue.csv."""
    source_id: str
    text: str
    start: int
    end: int
    reason: str
    quote: str

    def row(self) -> dict:
        """The residue as a dict of its fields."""
        return dict(self.__dict__)  # shallow: dataclasses.asdict deep-copies, 50x slower


@dataclass
class ArticleResult:
    """Everything extracted from one article: figures, residue, warnings and dating."""
    source_id: str
    figures: list[Figure] = field(default_factory=list)
    residue: list[Residue] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    published: date | None = None
    published_how: str = ""
    encoding: str = ""
    chars: int = 0
    subject_how: str = ""
    trace: list[TraceRow] = field(default_factory=list)
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
    """Extracts figures from article texts with one set of cues and one gazetteer."""
    def __init__(self, kn: Knowledge | None = None, gz: Gazetteer | None = None):
        self.kn = kn or knowledge()
        self.gz = gz or gazetteer()
        self.scanner = NumberScanner(self.kn)
        self.nouns = _noun_pattern(self.kn)
        self._counted = re.compile(r"[“\"']?\s*(?:" + self.nouns.pattern + ")")
        self.grammar = Grammar(self.kn)

    # .. entry point ..................................................................
    def extract(self, text: str, meta: SourceMeta) -> ArticleResult:
        """Extract the figures and residue of one article text."""
        folded = fold(text)
        res = ArticleResult(meta.source_id, chars=len(text))
        art = _Article(self, text, folded, meta, res)
        art.run()
        return res


class Grammar:
    """The few patterns of the extractor's grammar, built from the knowledge tables' word lists
    (``has_verb``, ``has_org``, ``passive_award``, ``gave``, ``raising``, ``link`` and the bound
    qualifiers): the code keeps the shape, the tables the words."""

    def __init__(self, kn: Knowledge):
        w = kn.words
        qualifier = w("bound")
        # "74 đơn vị trường có Chi hội khuyến học", "17 dòng họ đã lập quỹ khuyến học"
        self.has_branch = re.compile(r"[^;.]{0,60}?(?<!\w)" + w("has_verb") + r"\s+(?:được\s+)?" + w("has_org"))
        # "được tuyên dương", "được UBND huyện tặng": a giver (``giver`` cues) may stand between
        self.passive_award = re.compile(fold("(?:được|đã được)") + r"\s+(?:" + w("giver") + r"[^\d,;.:]{0,40}?\s+)?"
                                        + w("passive_award"))
        self.reaches = re.compile(r"(?:^|\s)" + fold("đạt") + r"\s*" + qualifier + r"?\s*$")
        self.gave = re.compile(r"[^;]{0,60}?" + w("gave"))  # within the clause (dots group digits)
        # the giving verb right after the counted noun: "22 doanh nghiệp đóng góp …" (the givers)
        self.gave_now = re.compile(r"\s*(?:" + fold("đã") + r"\s+)?" + w("gave"))
        self.raising_before = re.compile(w("raising") + r"(?:\s+" + fold("được") + r")?\s+$")
        # "trao 150 triệu đồng ủng hộ Quỹ khuyến học": money given to the fund, whoever hands it over
        self.given_to_fund = re.compile(r"\s*(?:" + fold("đồng") + r"\s*)?(?:" + fold("để") + r"\s+)?" + w("gave")
                                        + r"(?:\s+" + fold("cho") + r")?\s+" + fold("quỹ"))
        self.raising_in = re.compile(r"(?<!\w)" + w("raising") + r"(?!\w)")
        self.link = re.compile(w("link") + r"\s*" + qualifier + r"?\s*$")


class _Article:
    """The state of reading one article."""

    def __init__(self, ex: Extractor, text: str, folded: str, meta: SourceMeta, res: ArticleResult):
        self.ex, self.kn, self.gz = ex, CueIndex(ex.kn, folded), ex.gz
        self.text, self.folded, self.meta, self.res = text, folded, meta, res
        self.sentences = split_sentences(text)
        self._sentence_starts = [s.start for s in self.sentences]
        self._not_items: list[int] | None = None  # prefix counts of amounts that open no list item

    # .. setup ........................................................................
    def run(self) -> None:
        text, folded = self.text, self.folded
        self.dates = find_dates(folded, self.ex._counted)
        phrases = find_period_phrases(folded)
        # roles first: a baseline ("nhớ lại năm 2010"), a comparison or a target is not the year reviewed
        roles = phrase_roles(phrases, folded, self.kn, self._clause_at, lambda pos: self._sentence_of(pos).start)
        dating = infer_dating(folded, [t.period for t in roles if t.role in ("during", "asof")], self.meta.published)
        if dating.report_year is None:
            dating = infer_dating(folded, phrases, self.meta.published)
        year = dating.report_year or _year_reviewed(phrases, dating.published)
        self.phrases = [p.resolve(year, dating.published) for p in phrases]
        self._in_phrase = Spans((p.start, p.end) for p in self.phrases)
        self.mentions = find_mentions(text, folded, self.gz, self.kn)
        timed = [replace(t, period=p) for t, p in zip(roles, self.phrases, strict=True)]
        reported = [t.period for t in timed if t.role in ("during", "asof")]
        doc = read_document(text, folded, self.meta.title, self.meta.outlet, self.meta.published,
                            self.mentions, reported, dating, self.gz, self.kn, self.phrases,
                            [t.period for t in timed if t.role == "occasion"])
        self.doc = doc
        self.published = doc.published
        self.res.published, self.res.published_how = doc.published, doc.published_how
        self.res.subject_how = f"{doc.subject.how}: {doc.subject.words}" if doc.subject.words else doc.subject.how
        if doc.published_how not in ("sources.csv",):
            when = doc.published.isoformat() if doc.published else "no date found"
            self.res.warnings.append(f"published date inferred from {doc.published_how}: {when}")
        self.main = doc.subject.place
        if self.main is None:
            self.res.warnings.append("no reporting area found in title, outlet or text")
        ctx_province = self.main.province if self.main else ""
        self.mentions = [self._place_in(m, ctx_province) for m in self.mentions]
        self.entities = EntityReader(text, folded, self.mentions, self.main,
                                     lambda prefix: _prefix_level(self.ex.kn, prefix), self.kn)
        self.entities.parent_district = self._parent_district
        self.periods = PeriodReader(text, timed, doc.as_of, doc.report.start, doc.report.end, doc.as_of_how,
                                    (doc.next_start, doc.next_end), doc.next_how, doc.genre == "congress",
                                    doc.event or (doc.published if doc.published_how == "sources.csv" else None),
                                    doc.report.kind == "term")

        phones = [(m.start(), m.end()) for m in _PHONE.finditer(folded)]
        claimed = [(d.start, d.end) for d in self.dates] + phones
        amounts = self.ex.scanner.scan(folded, claimed)
        taken = claimed + [(a.start, a.end) for a in amounts]
        amounts += self.ex.scanner.scan_words(folded, self.ex.nouns, taken)
        amounts.sort(key=lambda a: a.start)
        self.amounts = amounts
        self._amount_starts = [x.start for x in amounts]
        self.entities.amount_starts = self._amount_starts
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
        if m.place and not m.place.known:
            place = self.gz.within(m.place, province)
            return Mention(m.start, m.end, place, m.prefix, m.anaphor, m.in_title, m.with_association, m.body)
        return m

    # .. helpers ......................................................................
    def _sentence_of(self, pos: int) -> Sentence:
        i = bisect.bisect_right(self._sentence_starts, pos) - 1
        return self.sentences[max(0, i)]

    def _clause_of(self, s: Sentence, pos: int) -> tuple[int, int]:
        clauses = s.clauses
        if len(clauses) == 1:
            return clauses[0]
        # clauses are contiguous: the last one starting at or before pos (a bisection, so a sentence
        # of thousands of ';' costs no more per number than a short one)
        k = bisect.bisect_right(clauses, (pos, float("inf"))) - 1
        return clauses[k] if k >= 0 else clauses[-1]

    def _previous_sentence(self, s: Sentence) -> Sentence | None:
        """The sentence before ``s`` in the same paragraph (no blank line between)."""
        i = bisect.bisect_left(self._sentence_starts, s.start) - 1
        if i < 0:
            return None
        prev = self.sentences[i]
        return None if "\n" in self.text[prev.end:s.start] else prev

    def _quote(self, s: Sentence, pos: int, end: int | None = None) -> str:
        """The sentence stating the figure; in a long sentence its clause; in a long clause (a
        run-on line, a table flattened into text) a window of words around the number."""
        a, b = s.start, s.end
        if b - a > _QUOTE_MAX:
            a, b = self._clause_of(s, pos)
        return quote_window(self.text, a, b, pos, _QUOTE_MAX)

    def _unaccounted(self) -> None:
        """Every digit run ends up in a figure or the residue: malformed ones get a reason here."""
        covered = [(f.start, f.end) for f in self.res.figures] + [(r.start, r.end) for r in self.res.residue]
        for a, b, why in unaccounted_numbers(self.text, covered):
            self._residue(a, b, why)

    def _residue(self, start: int, end: int, reason: str) -> None:
        s = self._sentence_of(start)
        self.res.residue.append(Residue(self.res.source_id, self.text[start:end], start, end,
                                        reason, self._quote(s, start, end)))

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
        if a.unit == "count" and f[h0:h1].lstrip(" ")[:1] in (",", ";") and not a.denominator:
            h1 = head_start = h0  # "… là 184, số thôn đạt …": the words after the comma count something else
        slot_start = self._prev_end(i, s)
        # changes are not levels
        ch = kn.last("change", f, max(slot_start, self._clause_of(s, a.start)[0], a.start - 40), a.start)
        if ch and len(f[_COMPARED_WITH.match(f, ch.end).end():a.start].split()) <= 3:
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
        if self._in_phrase.covers(a.start):
            d.reason = "part of a period phrase"
            return
        ordinal = kn.ends_with("ordinal", f, max(s.start, a.start - 12), a.start)
        if ordinal:
            d.reason = "ordinal or label"
            return
        if self._threshold_of_subset(i, a, s):
            d.reason = "threshold describing a subset of units (… xã có tỷ lệ dưới 70%), not a figure"
            return
        if a.unit == "count" and self._money_without_currency(a, s, head_start, h1):
            a.unit = "vnd"  # "vận động quỹ từ 25 tỷ trở lên": money with its currency word left out
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

    def _threshold_of_subset(self, i: int, a: Amount, s: Sentence) -> bool:
        """``2 xã có tỷ lệ dưới 70%``, ``100% xã có quỹ từ 500 triệu đồng trở lên``: a value that
        says which units are counted, not a figure of its own."""
        if i == 0 or a.unit == "count":
            return False
        prev = self.amounts[i - 1]
        clause = self._clause_of(s, a.start)
        if prev.start < clause[0]:
            return False
        f = self.folded
        noun = self.kn.first("noun", f, prev.end, min(a.start, prev.end + 30))
        if noun is None or noun.value not in ("@place", "@community") or f[prev.end:noun.start].strip(" %"):
            return False
        return bool(_SUBSET_HAS.search(f, noun.end, a.start))

    def _money_without_currency(self, a: Amount, s: Sentence, hs: int, h1: int) -> bool:
        """A scaled number (``25 tỷ``, ``500 triệu``) that counts nothing, after a fund word."""
        f = self.folded
        if not _BIG_SCALE.search(f, a.start, a.end) or self._noun_at(hs, h1) is not None:
            return False
        cue = self.kn.last("context", f, s.start, a.start)
        return cue is not None and cue.value == "fund"

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

    def _award_context(self, s: Sentence, pos: int, since: int = 0) -> Match | None:
        """The award cue governing ``pos``, unless a stage verb or ``có`` intervenes (after
        ``since``: the end of the list item before it, when that item was given the award too)."""
        f = self.folded
        cue = self.kn.last("context", f, s.start, pos)
        if not cue or cue.value != "award":
            return None
        between = f[max(cue.end, since):pos]
        if self.kn.find("stage", between) or _HAS_VERB.search(between):
            return None
        return cue

    def _classify_count(self, i: int, a: Amount, s: Sentence, hs: int, h1: int,
                        noun: tuple[Match, str] | None, d: _Decision) -> None:
        """A count: the first of the count readers that decides it, else a residue reason."""
        model = noun[0] if noun and noun[1] in MODEL_METRICS else self._first_model(hs, h1)
        slot = Slot(i, a, s, hs, h1, noun, noun[1] if noun else None, model)
        d.noun_end = noun[0].end if noun else a.end
        for reader in (self._count_with_branch, self._count_honoured, self._count_of_model, self._count_graded,
                       self._count_label_stage, self._count_breakdown, self._count_implied_model, self._count_donors, self._count_named, self._count_labelled):
            if reader(slot, d):
                return
        what = self.text[hs:hs + 25].split(",")[0].strip() or "nothing after it"
        d.reason = f"not in the vocabulary ({what})"

    def _count_with_branch(self, sl: Slot, d: _Decision) -> bool:
        """``74 đơn vị trường có Chi hội khuyến học``, ``17 dòng họ đã lập quỹ khuyến học``."""
        f, cls, hs = self.folded, sl.cls, sl.hs
        m = self.ex.grammar.has_branch.match(f, hs) if cls in ("@unit", "@community", "@place", "@clan") else None
        if m is None:
            return False
        d.metric = "associations" if m.group(0).endswith(fold("hội khuyến học")) else "branches"
        if m.group(0).endswith(fold("trung tâm học tập cộng đồng")):
            d.metric = "learning_centres"
        if cls == "@clan":
            d.metric = "promoting_clans"
        elif m.group(0).endswith(fold("quỹ khuyến học")):
            d.reason = "a unit with its own fund, not a metric of the vocabulary"
            return True
        sub = self.text[hs:m.start(0) + len(m.group(0).rsplit(" có ", 1)[0])]
        d.subgroup = "" if cls == "@clan" else _TRAILING_VERB.sub("", sub).strip(" ,")
        return True

    def _count_honoured(self, sl: Slot, d: _Decision) -> bool:
        """People or collectives given an award or a scholarship (active or passive voice)."""
        f, kn, cls, g = self.folded, self.kn, sl.cls, self.ex.grammar
        if not (cls in _RECIPIENT_CLASSES or (sl.model and cls is None)):
            return False
        if cls in _DONOR_CLASSES and g.gave_now.match(f, d.noun_end):
            return False  # they gave: donors, whatever was handed out earlier in the sentence
        title = kn.last("model", f, self._clause_of(sl.s, sl.a.start)[0], sl.a.start) if cls in _CLASS_MODEL else None
        if title is not None and title.value == _CLASS_MODEL[cls] and _CONFERRED_ON.fullmatch(f, title.end, sl.a.start):
            d.metric, d.how = title.value, "the learning-model title conferred on them (… được trao cho N …)"
            return True  # "Danh hiệu “Dòng họ học tập” được trao cho 315 dòng họ": achieved, not an award
        prev = self.decisions.get(sl.i - 1)
        listed = prev is not None and prev.figure is not None and prev.metric == "award_recipients" \
            and prev.amount.start >= sl.s.start  # "khen thưởng 47 học sinh đạt …, 265 học sinh …"
        since = max(f.rfind(",", prev.amount.end, sl.a.start), f.rfind(" và ", prev.amount.end, sl.a.start)) \
            if listed else 0  # the item's own words: after the separator that opens it
        award = self._award_context(sl.s, sl.a.start, since)
        after_award = kn.first("context", f, d.noun_end, min(sl.h1, d.noun_end + 40))
        passive_award = bool((after_award and after_award.value == "award"
                              and _PASSIVE.match(f[d.noun_end:after_award.start] or " "))
                             or (cls == "@person" and g.passive_award.search(f, d.noun_end, sl.h1))
                             or (cls in ("@person", "@unit") and self._listed_before_passive(d.noun_end, sl.s, sl.a)))
        if award or passive_award:
            d.metric, d.subgroup = "award_recipients", self._noun_phrase(sl.hs, sl.h1)
            return True
        if cls == "award_recipients":  # "350 suất học bổng": a recipient count by its own noun
            d.metric, d.subgroup = "award_recipients", self.text[sl.noun[0].start:sl.noun[0].end]
            return True
        return False

    def _count_of_model(self, sl: Slot, d: _Decision) -> bool:
        """A learning-model title after the number (compatible with its generic noun, if any)."""
        model, cls = sl.model, sl.cls
        if model is None or not (cls is None or cls in MODEL_METRICS or model.value == "learning_models"
                                 or model.value in _COMPATIBLE.get(cls, ())):
            return False
        if model.value == "learning_models" and cls in _CLASS_MODEL:  # "9 thôn … danh hiệu học tập"
            d.metric, d.how = _CLASS_MODEL[cls], "generic noun with the learning titles: its own model"
        elif model.value == "learning_models":
            d.reason = "learning models counted together (no single model)"
        else:
            d.metric, d.model_end = model.value, model.end
            if sl.noun and sl.noun[1] in MODEL_METRICS:
                d.noun_end = sl.noun[0].end
        return True

    def _count_graded(self, sl: Slot, d: _Decision) -> bool:
        """``05 đơn vị cấp xã xếp loại tốt``: a tally of graded associations."""
        graded = _GRADED.match(self.folded, d.noun_end) if sl.cls in ("@unit", "associations") else None
        if graded is None:
            return False
        d.metric, d.how = "associations", "units graded (xếp loại)"
        d.subgroup = " ".join(self.text[graded.start(1):graded.end()].split())
        return True

    def _count_label_stage(self, sl: Slot, d: _Decision) -> bool:
        """``- Gia đình học tập: đăng ký 2.410 hộ, được công nhận 2.236 hộ``: a stage word right
        before the number, in a line whose label names the learning model."""
        if sl.cls is not None and sl.cls not in _CLASS_MODEL:
            return False
        if self._stage_before(sl.i, sl.a, sl.s) is None:
            return False
        model = self._line_label_model(sl.a.start)
        if model is None:
            return False
        d.metric, d.how = model, "line label names the model, a stage word before the number"
        return True

    def _count_breakdown(self, sl: Slot, d: _Decision) -> bool:
        """``412 (trong đó: thôn, xóm 236; trường học 64; …)``: an item of the breakdown of the count
        before it, named by the words before the number; the kind goes to ``subgroup``."""
        if sl.cls is not None:
            return False
        f, a = self.folded, sl.a
        if not _ITEM_END.match(f, a.end):
            return False
        j = sl.i - 1
        while j >= max(0, sl.i - 64):  # numbers passed over in between: a bounded walk (linear cost)
            prev = self.decisions.get(j)
            if prev is None or prev.amount.start < sl.s.start:
                return False
            if prev.how == _BREAKDOWN and prev.figure is not None:
                j = prev.parent  # the item before was one of the same breakdown: its whole
                prev = self.decisions[j]
            elif prev.figure is None:
                j -= 1
                continue
            if prev.amount.unit != "count" or f.find(_TRONG_DO, prev.amount.end, a.start) < 0:
                return False
            item_lo = max(prev.amount.end, self.amounts[sl.i - 1].end)  # the separator is after the item before
            cut = max(f.rfind(c, item_lo, a.start) for c in ";:(")
            words = self.text[cut + 1:a.start].strip(" ,")
            if not words or len(words) > 40 or re.search(r"\d", words):
                return False
            d.metric, d.subgroup, d.how, d.parent = prev.metric, words, _BREAKDOWN, j
            return True
        return False

    def _stage_before(self, i: int, a: Amount, s: Sentence) -> Match | None:
        """A stage word right before the number (``đăng ký 186``), not ``đạt`` (``đạt 96%``: reaches)."""
        st = self.kn.ends_with("stage", self.folded, max(self._prev_end(i, s), a.start - 25), a.start)
        return st if st is not None and st.cue != fold("đạt") else None

    def _line_label_model(self, pos: int) -> str | None:
        """The learning model the label of ``pos``'s line names (``Dòng họ học tập: …``)."""
        f = self.folded
        line = f.rfind("\n", 0, pos) + 1
        colon = f.find(":", line, pos)
        if colon < 0:
            return None
        m = self.kn.first("model", f, line, colon)
        return m.value if m is not None and m.value in MODEL_METRICS and m.value != "learning_models" else None

    def _count_implied_model(self, sl: Slot, d: _Decision) -> bool:
        """``27.640 gia đình, 214 dòng họ và 96 thôn được công nhận``."""
        implied = self._implied_model(sl.a, sl.s, sl.cls, d.noun_end)
        if implied is None:
            return False
        (d.metric, d.model_end), d.how = implied, "generic noun with a stage word: the learning model implied"
        return True

    def _count_donors(self, sl: Slot, d: _Decision) -> bool:
        """Units or people who gave (``sự ủng hộ của 42 doanh nghiệp``, ``từ 64 doanh nghiệp``)."""
        if sl.cls not in _DONOR_CLASSES:
            return False
        f, kn, s, a = self.folded, self.kn, sl.s, sl.a
        cue = kn.last("context", f, s.start, a.start)
        source = _FROM.search(f, max(s.start, a.start - 8), a.start)
        if source and cue and cue.value in ("fund", "donation"):
            d.metric, d.how = "donors", "money raised from them (từ/của N …)"
            return True
        clause_end = self._clause_of(s, a.start)[1]
        if (cue and cue.value == "donation") or self.ex.grammar.gave.match(f[d.noun_end:clause_end]):
            d.metric = "donors"
            return True
        prev = self.decisions.get(sl.i - 1)
        if prev is not None and prev.figure is not None and prev.metric == "donors" and \
                prev.amount.start >= s.start and _NEXT_ITEM.fullmatch(f, prev.noun_end, a.start):
            d.metric, d.how = "donors", "next item of a list of donors (…, 14 doanh nghiệp; trong đó có 46 …)"
            return True
        return False

    def _count_named(self, sl: Slot, d: _Decision) -> bool:
        """A noun of the vocabulary right after the number (``hội viên``, ``chi hội``)."""
        cls = sl.cls
        if not cls or cls.startswith("@"):
            return False
        d.metric = cls
        if cls in ("associations", "branches"):
            d.subgroup = self._org_subgroup(sl.noun[0].end, sl.h1)
        return True

    def _count_labelled(self, sl: Slot, d: _Decision) -> bool:
        """``Số hội viên: 12.500``, ``tổng số hội viên là 12.500 người``, ``Số gia đình đăng ký “GĐHT”: 1.942``."""
        if sl.cls not in (None, "@person", "@family", "@clan", "@community", "@unit", "@place"):
            return False
        label = self._label_metric(sl.i, sl.a, sl.s) or self._list_item_metric(sl.i, sl.a, sl.s)
        if label is None:
            return False
        d.metric, d.how = label
        return True

    def _place_before(self, pos: int) -> Mention | None:
        """A unit named right before ``pos`` (``huyện Kim Bảng 26.800``, ``huyện A: 1.200``,
        ``A (1.200)``): the item label of a list of sub-units and their values."""
        starts = self.entities.starts
        k = bisect.bisect_left(starts, pos) - 1
        if k < 0:
            return None
        m = self.entities.mentions[k]
        if m.place is None or m.anaphor or m.in_title or m.end > pos:
            return None
        return m if _ITEM_GAP.fullmatch(self.text, m.end, pos) else None

    def _list_item_metric(self, i: int, a: Amount, s: Sentence) -> tuple[str, str] | None:
        """``…: thành phố A 21.300, thị xã B 24.120 và huyện C 26.800``, ``… 31.200 hội viên; xã
        A 2.140, xã B 1.985``: a sub-unit's bare value right after the figure before it in the same
        sentence takes that figure's metric."""
        m = self._place_before(a.start)
        prev = self.decisions.get(i - 1)
        if m is None or prev is None or prev.figure is None or prev.amount.start < s.start:
            return None
        gap = self.folded[max(prev.amount.end, prev.noun_end):m.start]
        if not _ITEM_SEP.fullmatch(gap):
            return None
        return prev.metric, "list item: the metric of the unit's value before it"

    def _implied_model(self, a: Amount, s: Sentence, cls: str | None, pos: int) -> tuple[str, int] | None:
        """A generic noun (hộ, dòng họ, thôn) followed in its clause by a stage word, in a sentence
        about learning models; people only where ``công dân học tập`` is named nearby. The stage
        word may close a list the number is an item of (``có 652.300 gia đình, 5.480 dòng họ … và
        7.950 cơ quan được công nhận``); a ``đạt`` that only gives a share (``(đạt 93,2% số hộ)``)
        is passed over. Returns the metric and the end of the stage word."""
        f, kn = self.folded, self.kn
        if cls not in _CLASS_MODEL and cls != "@person":
            return None
        clause_end = self._clause_of(s, a.start)[1]
        k = bisect.bisect_right(self._amount_starts, a.start)
        j = bisect.bisect_left(self._amount_starts, clause_end, k)  # the amounts after it in its clause
        last = max(pos, self.amounts[j - 1].end) if j > k else pos  # (amounts do not overlap)
        st = None
        for m in kn.find("stage", f, pos, min(clause_end, last + 70)):
            if m.cue == "đạt" and self._amount_follows(m.end):
                continue
            st = m
            break
        if st is None or re.search(r"[;:]", f[pos:st.start]):
            return None
        if st.start > pos + 70 and not self._all_list_items(k, bisect.bisect_left(self._amount_starts, st.start, k, j)):
            return None  # far, and not across a list of items: the stage word is another figure's
        if cls == "@person":
            prev = self._previous_sentence(s)
            lo = prev.start if prev else s.start
            named = any(m.value == "learning_citizens" for m in kn.find("model", f, lo, s.end))
            return ("learning_citizens", st.end) if named else None
        return _CLASS_MODEL[cls], st.end

    def _all_list_items(self, lo: int, hi: int) -> bool:
        """Whether the amounts ``lo``…``hi - 1`` each open an item of a list (after a comma, ``và``
        or a bracket): one prefix count per article, so asking costs the same for any range."""
        if self._not_items is None:
            f, counts = self.folded, [0]
            for x in self.amounts:
                counts.append(counts[-1] + (not _ITEM_LEAD.search(f, max(0, x.start - 8), x.start)))
            self._not_items = counts
        return self._not_items[hi] == self._not_items[lo]

    def _listed_before_passive(self, pos: int, s: Sentence, a: Amount) -> bool:
        """``7 học sinh đạt giải … và 118 học sinh đạt giải … được tuyên dương``."""
        end = self._clause_of(s, a.start)[1]
        m = self.ex.grammar.passive_award.search(self.folded, pos, end)
        return bool(m and not re.search(r"[;:]", self.folded[pos:m.start()]))

    def _label_metric(self, i: int, a: Amount, s: Sentence) -> tuple[str, str] | None:
        """The metric a label before the number names: ``<label>: N``, ``<label> là N``."""
        f, kn = self.folded, self.kn
        lo = max(self._prev_end(i, s), a.start - 90)
        link = self.ex.grammar.link.search(f, lo, a.start)
        unit = self._place_before(a.start) if link is None else None
        if unit is not None:  # "Số hội viên phân theo địa phương: thành phố A 21.300"
            link = self.ex.grammar.link.search(f, lo, unit.start)
        if link is None:
            return None
        # the label is in the words the link closes: not before an opening quote (reported speech)
        lo = max(lo, max(f.rfind(c, lo, link.start()) for c in "“\"") + 1)
        found = kn.find("model", f, lo, link.start()) + kn.find("noun", f, lo, link.start())
        for m in sorted(found, key=lambda m: (m.start, m.end), reverse=True):
            if m.value == "learning_models" or m.value == "@place" or _HEAD_OF.match(f, m.end) \
                    or _HEAD_OF_BEFORE.search(f, max(0, m.start - 8), m.start):
                continue  # "Chi hội trưởng", "trưởng ban khuyến học": a person's title
            if not m.value.startswith("@"):
                if m.value in MODEL_METRICS or m.value in _LABEL_METRICS:
                    return m.value, f"label before the number: {m.cue}"
                return None
            model = _CLASS_MODEL.get(m.value)
            if model and kn.find("stage", f, m.end, link.start()):
                return model, f"label names {m.cue} with a stage word"
            if m.value == "@person" and self.ex.grammar.passive_award.search(f, m.end, link.start()):
                return "award_recipients", f"label names {m.cue} given an award"
            if m.value in _CLASS_MODEL or m.value == "@person":
                continue  # "Số chi hội khuyến học thôn, xóm: 11": a qualifier of the label's noun
            return None
        return None

    def _classify_money(self, a: Amount, s: Sentence, h0: int, h1: int, d: _Decision) -> None:
        self._classify_money_whole(a, s, h0, h1, d)
        if d.metric == "fund_raised" and not d.subgroup and self._sibling_balance(a, s):
            d.subgroup, d.how = "số dư quỹ", "elliptical item after a balance (…đạt 45 tỷ, của tỉnh B 70 tỷ)"
        if d.metric == "fund_raised" and d.subgroup == "số dư quỹ":
            d.balance = True
            part = self._fund_part(a, s)
            if part:  # "quỹ do tỉnh Hội quản lý là 3,2 tỷ", "các dòng họ … có quỹ … 1,4 tỷ": a part
                d.subgroup = part

    def _sibling_balance(self, a: Amount, s: Sentence) -> bool:
        """``Quỹ … của tỉnh A đạt 45 tỷ đồng, của tỉnh B gần 70 tỷ đồng``: an item that repeats
        the one before it with its verb left out is read the same way (a balance)."""
        k = bisect.bisect_left(self._amount_starts, a.start) - 1
        prev = self.decisions.get(k)
        if prev is None or prev.figure is None or not prev.balance or prev.amount.start < s.start:
            return False
        gap = self.folded[prev.amount.end:a.start]
        return len(gap) <= 45 and _ELLIPTICAL_ITEM.match(gap) is not None and \
            not self.kn.find("context", gap) and not re.search(r"\d", gap)

    def _fund_part(self, a: Amount, s: Sentence) -> str:
        """The part of the fund a balance is of: the holder that manages it (``quỹ do tỉnh Hội
        quản lý``) or the clans whose funds it sums (``các dòng họ … có quỹ khuyến học``)."""
        f = self.folded
        c0 = self._clause_of(s, a.start)[0]
        fund = f.rfind(fold("quỹ"), c0, a.start)
        if fund < 0:
            return ""
        m = _MANAGED.search(f, fund, a.start)
        if m:
            return " ".join(self.text[m.start(1):m.end()].split())
        if _CLANS_FUND.search(f, c0, fund + len(fold("quỹ"))):
            return "dòng họ"
        return ""

    def _classify_money_whole(self, a: Amount, s: Sentence, h0: int, h1: int, d: _Decision) -> None:
        f, kn = self.folded, self.kn
        per = kn.first("per_unit", f, max(s.start, a.start - 30), min(h1, a.end + 12))
        if per and (per.end <= a.start or per.start == a.end or f[a.end:per.start].isspace()) and \
                not re.search(r"\d", f[per.end:a.start]):
            d.reason = "amount per person or unit, not a total"
            return
        fund = f.rfind(fold("quỹ"), s.start, a.start)
        if fund >= 0 and _FUND_HOLDS.search(f, fund, a.start):  # "Quỹ học bổng X của Hội hiện có 1,2 tỷ"
            d.metric, d.subgroup, d.how = "fund_raised", "số dư quỹ", "a fund's balance (quỹ … hiện có / còn)"
            return
        if self.ex.grammar.given_to_fund.match(f, a.end):
            d.metric, d.how = "fund_raised", "money given to the fund (… N đồng ủng hộ quỹ …)"
            return
        cue = kn.last("context", f, s.start, a.start)
        if cue is None:
            cue = kn.first("context", f, a.end, min(h1, a.end + 50))
        if cue is None:  # "…huy động được 18,5 tỷ đồng. Huyện Đông Hưng dẫn đầu với 3,2 tỷ đồng"
            prev = self._previous_sentence(s)
            if prev is not None:
                cue = kn.last("context", f, prev.start, prev.end)
        if cue is None:  # "Kết quả vận động của một số xã:" then "- Xã Nhân Thịnh: 312 triệu đồng;"
            header = self._list_header(s)
            cue = kn.last("context", f, header[0], header[1]) if header else None
        if cue is None and kn.last("balance", f, s.start, a.start):  # "Số dư chuyển sang năm 2024: 482 triệu"
            d.metric, d.subgroup, d.how = "fund_raised", "số dư quỹ", "fund balance label"
            return
        if cue is None:
            d.reason = "money with no stated purpose (fund or awards)"
            return
        d.metric = "awards_paid" if cue.value == "award" else "fund_raised"
        if d.metric == "fund_raised":
            bal = kn.last("balance", f, s.start, a.start)
            g = self.ex.grammar
            reaches = cue.cue.startswith(fold("quỹ")) and g.reaches.search(f, cue.end, a.start) \
                and not g.raising_before.search(f, max(s.start, cue.start - 25), cue.start)
            held = cue.cue.startswith(fold("quỹ")) and _FUND_OF.match(f, cue.end) is not None \
                and not g.raising_in.search(f, cue.end, a.start) and self._whole_is_balance(a)
            if bal or reaches or held:  # "tổng quỹ …", "quỹ khuyến học các cấp đạt 35,6 tỷ": a balance
                d.subgroup = "số dư quỹ"  # "quỹ của Hội Khuyến học huyện 2,35 tỷ": the fund a holder has

    def _whole_is_balance(self, a: Amount) -> bool:
        """Whether a fund's part (``quỹ của các dòng họ 2,3 tỷ``) is a balance: as the fund figure
        before it is (``tổng quỹ … 21 tỷ``; ``huy động được 6,45 tỷ, trong đó…`` is a flow), or
        when none comes before it, the fund its holder has."""
        k = bisect.bisect_left(self._amount_starts, a.start) - 1
        for j in range(k, max(-1, k - 8), -1):
            d = self.decisions.get(j)
            if d is not None and d.figure is not None and d.metric == "fund_raised":
                return d.balance
        return True

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
            metric = self._class_rate(i, a, s, noun, model, h1)
            if metric is None:
                d.reason = f"share of {self.text[noun[0].start:noun[0].end]}, not a metric of the vocabulary"
                return
            d.metric = metric
        elif noun:
            d.metric = noun[1] + "_rate"
        elif model:
            d.metric = model.value + "_rate"
        else:
            back = kn.last("model", f, s.start, a.start)
            other = kn.last("noun", f, max(self._prev_end(i, s), s.start), a.start)
            labelled = self._rate_label(a, s) or self._rate_of_previous(i, a, s)
            if back and not (other and other.start > back.end and not other.value.startswith("@")):
                d.metric = back.value + "_rate"
            elif labelled:
                d.metric = labelled + "_rate"
            else:
                d.reason = "share of something outside the vocabulary"
                return
        d.noun_end = a.end

    def _class_rate(self, i: int, a: Amount, s: Sentence, noun: tuple[Match, str], model: Match | None,
                    h1: int) -> str | None:
        """``85% gia đình, 70% dòng họ … đạt các danh hiệu học tập``, ``chiếm 82,6% số hộ``."""
        f, kn, cls = self.folded, self.kn, noun[1]
        own = _CLASS_MODEL.get(cls)
        if model and model.value in _COMPATIBLE.get(cls, ()):
            return model.value + "_rate"
        if model and model.value == "learning_models":
            return (own or "learning_models") + "_rate"
        clause_end = self._clause_of(s, a.start)[1]
        later = kn.first("model", f, noun[0].end, clause_end)
        if later and (later.value in _COMPATIBLE.get(cls, ()) or (own and later.value == "learning_models")):
            return (later.value if later.value != "learning_models" else own) + "_rate"
        if own and kn.find("stage", f, noun[0].end, min(clause_end, noun[0].end + 60)):
            return own + "_rate"
        prev = self.decisions.get(i - 1)
        if own and prev is not None and prev.metric == own and prev.figure is not None and \
                prev.amount.end > s.start and a.start - prev.amount.end < 80:
            return own + "_rate"  # "1.584.200 gia đình đạt …, chiếm 82,6% số hộ"
        return None

    def _rate_of_previous(self, i: int, a: Amount, s: Sentence) -> str | None:
        """``… 4.100 gia đình, tỷ lệ: 88,4 %``: the share of the model counted just before."""
        prev = self.decisions.get(i - 1)
        if prev is None or prev.figure is None or prev.metric not in MODEL_METRICS or prev.amount.end < s.start:
            return None
        between = self.folded[max(prev.amount.end, prev.noun_end):a.start]
        if len(between) > 50 or self.kn.find("noun", between) or self.kn.find("model", between):
            return None
        return prev.metric if _SHARE_LINK.search(between) or not between.strip(" ,(") else None

    def _rate_label(self, a: Amount, s: Sentence) -> str | None:
        """``tỷ lệ hộ đăng ký cao nhất, đạt 98,7%``: the share's model named before it."""
        f, kn = self.folded, self.kn
        k = f.rfind(fold("tỉ lệ"), s.start, a.start)
        if k < 0:
            return None
        model = kn.first("model", f, k, a.start)
        if model and model.value != "learning_models":
            return model.value
        noun = kn.first("noun", f, k, a.start)
        if noun and noun.value in _CLASS_MODEL and kn.find("stage", f, noun.end, a.start):
            return _CLASS_MODEL[noun.value]
        return None

    # .. writing a figure .............................................................
    def _emit(self, i: int, a: Amount, s: Sentence, d: _Decision, h0: int, h1: int) -> None:
        metric = d.metric
        nxt = self._amount_starts[i + 1] if i + 1 < len(self._amount_starts) else None
        placed = self.entities.entity(a.start, a.end, s.start, s.end, self._clause_of(s, a.start)[1], nxt)
        place = placed.place
        if place is None and placed.how == SHARED:
            self._residue(a.start, a.end, f"{SHARED} ({placed.words}): not one unit's figure")
            return
        stage, stage_how = self._stage(i, a, s, d, h0, h1)
        bound, bstart = self._bound(a, s)
        dated = self._period(a, s, metric, d, stage)
        unit = a.unit
        start = bstart
        end = max(a.end, d.noun_end) if unit == "count" else a.end
        if unit == "count" and end < len(self.text) and self.text[end:end + 1] in "”\"" and \
                "“" in self.text[a.end:end]:
            end += 1
        fig = Figure(self.res.source_id, place.name if place else "", place.level if place else "",
                     place.province if place else "", dated.start, dated.end, metric, stage,
                     a.value, a.value_max, unit, bound, d.subgroup, self._quote(s, start, end), start, end)
        self.res.figures.append(fig)
        firm = self.doc.published_how in ("sources.csv", "text timestamp", "event date in the text") or \
            self.doc.as_of_how == "event date"
        self.res.trace.append(TraceRow(fig.source_id, fig.start, fig.metric, d.how or "head noun",
                                       stage_how, placed.how, placed.words, dated.how, dated.words,
                                       fallback_of(placed.how, self.doc.subject.how, dated.how, firm)))
        d.figure = fig

    def _denominator(self, a: Amount, s: Sentence, d: _Decision, h0: int, h1: int) -> None:
        ds, de, dv = a.denominator
        reg = self.kn.first("stage", self.folded, h0, h1)
        c0 = self._clause_of(s, a.start)[0]
        before = self.kn.last("stage", self.folded, c0, a.start)  # "Số dòng họ đạt …: 287/301 dòng họ đăng ký"
        if d.figure and d.metric in MODEL_METRICS and reg and reg.value == "registered" and \
                (any(m.value == "achieved" and not (m.cue == fold("đạt") and self._amount_follows(m.end))
                     for m in self.kn.find("stage", self.folded, reg.end, h1))  # "…, đạt 96,2%": reaches
                 or (before is not None and before.value == "achieved")):
            fig = Figure(**{**d.figure.row(), "stage": "registered", "value": dv, "value_max": None,
                            "bound": "exact", "start": ds, "end": d.figure.end})
            self.res.figures.append(fig)
            d.figure.stage = "achieved"
        else:
            self._residue(ds, de, "denominator (the universe of a share)")

    def _stage(self, i: int, a: Amount, s: Sentence, d: _Decision, h0: int, h1: int) -> tuple[str, str]:
        f, kn = self.folded, self.kn
        tgt = self._target(a, s)
        if tgt:
            return "target", f"target word before it: {tgt.cue}"
        is_model = d.metric in MODEL_METRICS or d.metric.endswith("_rate")
        if not is_model:
            return "actual", "not a learning model"
        before = self._stage_before(i, a, s) if a.unit == "count" else None
        if before is not None:  # "đăng ký 2.410 hộ, được công nhận 2.236 hộ": each item its own
            return before.value, f"stage word right before it: {before.cue}"
        # the words after the number, up to the model title
        head_end = max(d.model_end, min(h1, a.end + 45)) if d.model_end else min(h1, a.end + 45)
        for st in kn.find("stage", f, h0, head_end):
            if st.cue == "đạt" and self._amount_follows(st.end):
                continue  # "48.216 hộ (đạt 92,4%)": đạt means "reaches"
            if a.unit == "percent" and st.value == "registered" and _OF_REGISTERED.match(f, a.end, st.start):
                continue  # "92% số đơn vị đăng ký": the registered ones are the base of the share
            return st.value, f"stage word after it: {st.cue}"
        # its clause before it, skipping "đạt" right before a number ("đạt 99,81%": reaches); a
        # ";" ends the stage's scope when the new clause names what it counts ("…đăng ký…;
        # tỷ lệ dòng họ học tập đạt 78,5%"), not when it only lists more units ("; Thái Bình 94%")
        c0 = self._clause_of(s, a.start)[0]
        own_label = f.find(fold("tỉ lệ"), c0, a.start) >= 0 or kn.find("model", f, c0, a.start) \
            or kn.find("noun", f, c0, a.start)
        for lo, hi in ((c0, a.start), (s.start, c0) if not own_label else (c0, c0)):
            for m in reversed(kn.find("stage", f, lo, hi)):
                if m.cue == "đạt" and self._amount_follows(m.end):
                    continue  # "Vĩnh Phúc đạt 99,81%": đạt means "reaches", not a stage
                return m.value, f"stage word before it: {m.cue}"
        return "achieved", "bare 'có X <model>' (default achieved)"

    def _target(self, a: Amount, s: Sentence) -> Match | None:
        """A target word before the figure in its sentence, or in the header of the list it is an
        item of (``Các chỉ tiêu chủ yếu năm 2024:`` then ``- Tỷ lệ …: 92%``)."""
        own = self.kn.last("target", self.folded, s.start, a.start)
        if own is not None:
            return own
        header = self._list_header(s)
        return self.kn.last("target", self.folded, header[0], header[1]) if header else None

    def _list_header(self, s: Sentence) -> tuple[int, int] | None:
        """The line ending in ``:`` that introduces the list whose item ``s`` is, if any."""
        text = self.text
        line_start = text.rfind("\n", 0, s.start) + 1
        line_end = text.find("\n", s.start)
        line_end = len(text) if line_end < 0 else line_end
        if not _LIST_ITEM.match(text, line_start) and text.find(":", line_start, line_end) < 0:
            return None  # neither a marked item nor a label-and-value line
        pos = line_start
        for _ in range(30):  # walk up over the items to the header
            if pos <= 0:
                return None
            prev_start = text.rfind("\n", 0, pos - 1) + 1
            line = text[prev_start:pos - 1]
            if not line.strip():
                return None
            if line.rstrip().endswith(":"):
                return prev_start, pos - 1
            if not _LIST_ITEM.match(line):
                return None
            pos = prev_start
        return None

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

    # .. entity and period ...............................................................
    def _parent_district(self, commune: Place) -> Place | None:
        unit = self.gz.units.commune(fold(commune.name), commune.province)
        if unit is None or not unit.district:
            return None
        return Place(unit.district, "district", unit.province)

    def _paragraph_start(self, pos: int) -> int:
        """Start of the block ``pos`` is in (a blank line ends a block; list items stay with their header)."""
        k = self.text.rfind("\n\n", 0, pos)
        return k + 2 if k >= 0 else 0

    def _clause_at(self, pos: int) -> tuple[int, int]:
        return self._clause_of(self._sentence_of(pos), pos)

    def _period(self, a: Amount, s: Sentence, metric: str, d: _Decision, stage: str) -> Dated:
        clause = self._clause_of(s, a.start)
        para = self._paragraph_start(a.start)
        if stage == "target":
            return self.periods.target(a.start, a.end, clause, (s.start, s.end), para)
        para = self.text.rfind("\n", 0, a.start) + 1  # an as-of date carries within its line only
        stock = metric in STOCK_METRICS or (metric == "fund_raised" and d.balance)
        if metric == "award_recipients" and self.doc.genre == "congress" and \
                self.kn.first("at_event", self.folded, s.start, a.start):
            at = self.periods.at_event()
            if at is not None:
                return at
        return self.periods.figure(a.start, a.end, clause, (s.start, s.end), para, stock)

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


@dataclass(frozen=True)
class Slot:
    """One number being read: its place among the amounts, its sentence, the words after it
    (``hs``…``h1``, its head) and the counted noun and learning-model title found there."""

    i: int
    a: Amount
    s: Sentence
    hs: int
    h1: int
    noun: tuple[Match, str] | None
    cls: str | None
    model: Match | None


@dataclass
class _Decision:
    amount: Amount
    metric: str = ""
    reason: str = ""
    subgroup: str = ""
    noun_end: int = 0
    model_end: int = 0
    how: str = ""
    figure: Figure | None = None
    balance: bool = False  # a fund's balance (a stock), whole or part
    parent: int = -1  # a breakdown item: the index of the amount it is a part of


_DATE_REASON = {"date": "date", "month": "date (month)", "day_month": "date (day/month)",
                "time": "time of day", "year": "year", "year_range": "years (term or range)"}


def _year_reviewed(phrases: list[Period], published: date | None) -> int | None:
    """The year of phrases written without one (``6 tháng đầu năm``, ``năm qua``) when the text
    names no year: a half or quarter is of the year of the article; a whole year reviewed in
    January–March is the year before."""
    if published is None:
        return None
    for p in phrases:
        if p.year is None and p.kind in ("h1", "h2", "m9", "q", "ytd"):
            return published.year
        if p.year is None and p.kind == "year":
            return published.year - 1 if published.month <= 3 else published.year
    return None


def _prefix_level(kn: Knowledge, prefix: str) -> str:
    return kn.values("prefix").get(prefix, "")


def _iso(d: date | None) -> str:
    return d.isoformat() if d else ""


# -- files ----------------------------------------------------------------------------

@cache
def default_extractor() -> Extractor:
    return Extractor()


def extract_article(text: str, meta: SourceMeta, extractor: Extractor | None = None) -> ArticleResult:
    """Extract one article text, with the default extractor unless one is given."""
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
