"""Roles of the places and times around a figure, read within its sentence and clause.

A place is the figure's entity only when it is the *reporting* unit of that figure: the
document's subject, a sub-unit the sentence reports on (``huyện A đạt X, huyện B đạt Y``,
``96,2% (Khoái Châu)``), or a level named with the figure (``toàn huyện``). A place is not the
entity when it is one example in a list (``các xã như A, B, C``), the parent written after a
unit (``xã A (huyện B)``), the association of a level above the subject (an awarding body:
``Hội Khuyến học tỉnh X tặng…``, ``Trung ương Hội``), or part of a person's or institution's
name (filtered when places are found). Nothing carries from one sentence to the next.

A time phrase has a role: ``asof`` (``đến nay``, ``tính đến 30/6``), ``during`` (``năm 2021``,
``6 tháng đầu năm``), ``comparison`` (``so với năm 2020``: never the figure's period),
``baseline`` (``khi mới thành lập năm 2001``), ``target`` (a horizon or a plan). A figure with
no time of its own takes the document's as-of date (stocks) or its report period (flows).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from datetime import date

from analysis.extraction.knowledge import fold_re
from analysis.extraction.periods import Period
from analysis.extraction.places import LEVEL_RANK, Mention, Place

_LIST_GAP = fold_re(r"^\s*(?:,|và|hoặc|cùng)\s*(?:(?:các\s+)?(?:xã|phường|thị trấn|huyện|quận|thị xã|thành phố|tỉnh)\s+)?$")
_COUNTED_BEFORE = fold_re(r"\d[\d.,]*\s+(?:hội khuyến học|hội|chi hội|ban khuyến học|trung tâm[^\d,.;]{0,30})\s+(?:các\s+)?$")
_LEVEL_LIST_AFTER = fold_re(r"\s*(?:,|và|/)\s*(?:xã|phường|thị trấn|huyện|quận|thị xã|thành phố|tỉnh)(?!\w)")
_LEVEL_LIST_BEFORE = fold_re(r"(?:xã|phường|thị trấn|huyện|quận|thị xã|thành phố|tỉnh)\s*(?:,|và|/)\s*$")
_AT = fold_re(r"(?:^|\s)(?:ở|tại)\s+$")
_OF = fold_re(r"(?:của|thuộc)\s+(?:[^\s\d.,;:]+\s+){0,4}$")
_PAREN_AFTER = re.compile(r"^\s*\(\s*$")
_WHOLE = fold_re(r"(?:toàn|cả|địa bàn|khắp|cấp|trong)\s+$")
SHARED = "a value shared by the units listed as the sentence's subject"
_SENTENCE_OPENING = fold_re(r"[\s“\"'(\-–•*+]*(?:(?:các|hai|ba|bốn|những)\s+)?")
_CARRIED_INTO = re.compile(r"(?<!\w)(?:chuyển|mang)\s+sang\s+$", re.IGNORECASE)
_ONLY = re.compile(r"(?<!\w)riêng\s+$", re.IGNORECASE)
_DIGIT = re.compile(r"\d")
_LABEL_AFTER = re.compile(r"\s*[:–]\s")  # "Huyện Vũ Thư: …", "Huyện Vũ Thư – …"
_OPENS_FIGURE = re.compile(r"\s*(?:là|:|đạt|có)?\s*(?:trên|hơn|gần|khoảng)?\s*\d", re.IGNORECASE)
_ANAPHOR_LEVELS = {"province": {"province"}, "city": {"province", "district"}, "district": {"district"},
                   "commune": {"commune"}, "national": {"national"}, "cluster": {"cluster"}}


@dataclass(frozen=True)
class Placed:
    """The entity of one figure and how it was decided."""

    place: Place | None
    how: str  # subject | sub-unit in the sentence | sub-unit in parentheses | level word | no subject
    words: str = ""


class EntityReader:
    """Decides the entity of each figure from the mentions of its sentence (no carry-over)."""

    def __init__(self, text: str, folded: str, mentions: list[Mention], subject: Place | None,
                 prefix_level, kn):
        self.text, self.folded, self.kn = text, folded, kn
        self.mentions = mentions
        self.starts = [m.start for m in mentions]
        self.subject = subject
        self.prefix_level = prefix_level  # folded prefix → level
        self.amount_starts: list[int] | None = None  # set once the amounts are known
        self.parent_district = None  # Place → its district's Place (or None), set by the extractor
        self._sentence_start = 0

    def entity(self, start: int, end: int, sent_start: int, sent_end: int, clause_end: int | None = None,
               next_start: int | None = None) -> Placed:
        """The entity of the figure at ``start:end`` in the sentence ``sent_start:sent_end``."""
        after = self._in_parentheses_after(end, sent_end)
        if after is None:
            after = self._located_after(end, min(clause_end or sent_end, next_start or sent_end))
        if after is None:
            after = self._respectively(start, sent_start, sent_end)
        if after is not None:
            return after
        self._sentence_start = sent_start
        lo = bisect.bisect_left(self.starts, sent_start)
        hi = bisect.bisect_left(self.starts, start)
        if self._listed_as_subject(lo, hi, sent_start):
            return Placed(None, SHARED, self.text[self.mentions[lo].start:self.mentions[hi - 1].end])
        for k in range(hi - 1, lo - 1, -1):
            m = self.mentions[k]
            if m.end > start or m.in_title or self._closed_aside(m, sent_start, start):
                continue
            placed = self._reporting(k, m, start)
            if placed is not None:
                return placed
        topic = self._paragraph_topic(start)
        if topic is not None:
            return Placed(topic.place, "unit the paragraph opens with (Huyện X: …)", self.text[topic.start:topic.end])
        if self.subject is None:
            return Placed(None, "no subject found")
        return Placed(self.subject, "subject")

    def _paragraph_topic(self, pos: int) -> Mention | None:
        """``Huyện Vũ Thư: Hội … có 27.850 hội viên. Sáu tháng đầu năm, huyện huy động …``: a unit below
        the subject that opens the paragraph as its label is the unit the paragraph reports on."""
        line = self.text.rfind("\n", 0, pos) + 1
        k = bisect.bisect_left(self.starts, line)
        if k >= len(self.mentions):
            return None
        m = self.mentions[k]
        if m.start - line > 2 or m.start >= pos or m.anaphor or m.place is None or m.in_title \
                or not _LABEL_AFTER.match(self.text, m.end):
            return None
        s = self.subject
        if s is not None and LEVEL_RANK[m.place.level] <= LEVEL_RANK[s.level]:
            return None
        return m

    def _closed_aside(self, m: Mention, sent_start: int, pos: int) -> bool:
        """``(phường Bắc Sơn 265 triệu, phường Trung Sơn 138 triệu); lũy kế … 2,74 tỷ``: a unit
        inside brackets closed before the figure reports its own figures there, not this one."""
        text = self.text
        opened = text.rfind("(", sent_start, m.start)
        return opened >= 0 and text.find(")", opened, m.start) < 0 and text.find(")", m.end, pos) >= 0

    def _listed_as_subject(self, lo: int, hi: int, sent_start: int) -> bool:
        """``Xã A, xã B là những đơn vị tiêu biểu với tỷ lệ … đạt trên 95%``: several units below
        the subject open the sentence as its grammatical subject and no other place follows
        before the figure — a value they share, neither the subject's nor one unit's."""
        if hi - lo < 2 or self.subject is None:
            return False
        first = self.mentions[lo]
        if not _SENTENCE_OPENING.fullmatch(self.folded, sent_start, first.start):
            return False
        for k in range(lo, hi):
            m = self.mentions[k]
            if m.anaphor or m.place is None or m.in_title or m.with_association or m.body \
                    or LEVEL_RANK[m.place.level] <= LEVEL_RANK[self.subject.level]:
                return False
            if k > lo and not _LIST_GAP.match(self.folded[self.mentions[k - 1].end:m.start]):
                return False
        return True

    def _reporting(self, k: int, m: Mention, pos: int) -> Placed | None:
        words = self.text[m.start:m.end]
        if m.anaphor:
            if self._generic_level(m):
                return None
            place = self._resolve(k, m)
            return Placed(place, "level named with the figure", words) if place else None
        p = m.place
        if p is None or self._example_in_list(k, pos) or self._parent_after(k):
            return None
        if self._above_subject(p) and self._acting_body(m, pos):
            return None
        if self.subject and p == self.subject:
            return Placed(p, "subject named in the sentence", words)
        return Placed(p, "sub-unit named in the sentence", words)

    def _generic_level(self, m: Mention) -> bool:
        """``9 Hội Khuyến học huyện, thành phố``, ``các xã, thị trấn``: a kind of unit counted or
        listed, not a level the figure is read at."""
        if m.body:
            return False
        if _COUNTED_BEFORE.search(self.folded, max(0, m.start - 40), m.start):
            return True
        return bool(_LEVEL_LIST_AFTER.match(self.folded, m.end) or _LEVEL_LIST_BEFORE.search(
            self.folded, max(0, m.start - 16), m.start))

    def _above_subject(self, p: Place) -> bool:
        """A place above the subject (its province, the country): an awarding or directing body."""
        s = self.subject
        if s is None:
            return False
        if LEVEL_RANK[p.level] < LEVEL_RANK[s.level]:
            return s.level != "cluster" and p.level != "cluster" or p.level == "national"
        return False

    def _acting_body(self, m: Mention, pos: int) -> bool:
        """An association above the subject, a possessor (``của Tỉnh đoàn X``) or a giver
        (``… tặng``, ``… trao``) — not the unit the figure is about."""
        if m.with_association or m.body:
            return True
        if _OF.search(self.folded, max(0, m.start - 30), m.start):
            return True
        return self.kn.first("giving", self.folded, m.end, pos) is not None

    def _example_in_list(self, k: int, pos: int) -> bool:
        """One of several places listed together with no figure between them (``xã A, B và C``)."""
        m = self.mentions[k]
        for j in (k - 1, k + 1):
            if not 0 <= j < len(self.mentions):
                continue
            o = self.mentions[j]
            if o.anaphor or o.place is None or o.start > pos:
                continue
            a, b = (o.end, m.start) if j < k else (m.end, o.start)
            if b >= a and _LIST_GAP.match(self.folded[a:b]):
                return True
        return False

    def _parent_after(self, k: int) -> bool:
        """``xã A (huyện B)``: B names A's parent, not a reporting unit."""
        if k == 0:
            return False
        prev, m = self.mentions[k - 1], self.mentions[k]
        gap = self.text[prev.end:m.start]
        return bool(prev.place and m.place and _PAREN_AFTER.match(gap)
                    and LEVEL_RANK[m.place.level] < LEVEL_RANK[prev.place.level])

    def _located_after(self, end: int, limit: int) -> Placed | None:
        """``21/22 dòng họ đăng ký ở xã Canh Tân …``: a unit below the subject placed right after."""
        k = bisect.bisect_left(self.starts, end)
        if k >= len(self.mentions):
            return None
        m = self.mentions[k]
        if m.start >= limit or m.anaphor or m.place is None or m.start - end > 40:
            return None
        if not _AT.search(self.folded, end, m.start) or re.search(r"\d", self.folded[end:m.start]):
            return None
        s = self.subject
        if s is not None and LEVEL_RANK[m.place.level] <= LEVEL_RANK[s.level]:
            return None
        return Placed(m.place, "sub-unit placed right after the figure (ở/tại)", self.text[m.start:m.end])

    def _respectively(self, start: int, sent_start: int, sent_end: int) -> Placed | None:
        """``huyện A và huyện B … lần lượt đạt X và Y``: the k-th place goes with the k-th figure."""
        k = self.folded.rfind("lần lượt", sent_start, start)
        if k < 0 or self.amount_starts is None:
            return None
        lo, hi = bisect.bisect_left(self.starts, sent_start), bisect.bisect_left(self.starts, k)
        places = [m for m in self.mentions[lo:hi] if m.place and not m.anaphor and not m.in_title]
        i0, i1 = bisect.bisect_left(self.amount_starts, k), bisect.bisect_left(self.amount_starts, sent_end)
        figures = self.amount_starts[i0:i1]
        if len(places) < 2 or start not in figures:
            return None
        places = places[-len(figures):] if len(places) >= len(figures) else places
        idx = figures.index(start)
        if len(places) != len(figures) or idx >= len(places):
            return None
        m = places[idx]
        return Placed(m.place, "place paired with the figure by 'lần lượt'", self.text[m.start:m.end])

    def _in_parentheses_after(self, end: int, sent_end: int) -> Placed | None:
        """``96,2% (Khoái Châu)``: a unit in parentheses right after the figure."""
        k = bisect.bisect_left(self.starts, end)
        if k >= len(self.mentions):
            return None
        m = self.mentions[k]
        if m.start >= sent_end or m.anaphor or m.place is None:
            return None
        before, close = self.text[end:m.start], self.text[m.end:m.end + 2]
        if re.fullmatch(r"\s*\(\s*", before) and close.lstrip().startswith(")") and not self._above_subject(m.place):
            return Placed(m.place, "sub-unit in parentheses after the figure", self.text[m.start:m.end])
        return None

    def _resolve(self, k: int, m: Mention) -> Place | None:
        """``toàn huyện``, ``tỉnh Hội``: the subject at its level, else a unit of that level just named."""
        levels = _ANAPHOR_LEVELS.get(m.prefix) or _ANAPHOR_LEVELS.get(self.prefix_level(m.prefix), set())
        s = self.subject
        if s is not None and s.level in levels:
            return s
        if m.body:
            return None  # the association of another level: an awarding or directing body
        whole = _WHOLE.search(self.folded, max(0, m.start - 12), m.start)
        for j in range(k - 1, -1, -1):
            prev = self.mentions[j]
            if prev.start < self._sentence_start:
                break
            if prev.place and not prev.anaphor and not prev.in_title and prev.place.level in levels:
                return prev.place
        if whole and s is not None and "province" in levels and s.province and s.level != "cluster":
            return Place(s.province, "province", s.province)
        if whole and s is not None and s.level == "commune" and "district" in levels and self.parent_district:
            return self.parent_district(s)  # "toàn huyện" in a commune's report: its district
        return None


# -- time roles ----------------------------------------------------------------------------

@dataclass(frozen=True)
class TimedPhrase:
    """A period phrase with its role in the sentence and the cue that decided it."""
    period: Period
    role: str  # asof | during | comparison | baseline | target | occasion
    cue: str = ""


def phrase_roles(phrases: list[Period], folded: str, kn, clause_of, sentence_of) -> list[TimedPhrase]:
    """Each period phrase with its role, decided from the words of its clause and sentence."""
    out = []
    for p in phrases:
        c0, c1 = clause_of(p.start)
        s0 = sentence_of(p.start)
        cmp_cue = kn.last("comparison", folded, max(c0, p.start - 22), p.start)
        if cmp_cue is not None and not folded[cmp_cue.end:p.start].strip(" ,:"):
            out.append(TimedPhrase(p, "comparison", cmp_cue.cue))
            continue
        if cmp_cue is not None and re.fullmatch(r"\s*(?:cùng kì\s*)?", folded[cmp_cue.end:p.start]):
            out.append(TimedPhrase(p, "comparison", cmp_cue.cue))
            continue
        occasion = kn.last("occasion", folded, max(s0, p.start - 25), p.start)
        if occasion is not None:  # "nhân dịp năm học mới 2023 – 2024": the occasion, not a period
            out.append(TimedPhrase(p, "occasion", occasion.cue))
            continue
        target = kn.last("target", folded, s0, p.start) or kn.last("plan", folded, s0, p.start)
        after = kn.first("target", folded, p.end, min(c1, p.end + 60)) if target is None else None
        if after is not None and not _DIGIT.search(folded, p.end, after.start):
            target = after  # "năm 2025 phấn đấu …"; not "năm 2020 đạt 81,7%, vượt chỉ tiêu … đề ra"
        if p.kind == "horizon" or p.plan or target is not None:
            out.append(TimedPhrase(p, "target", target.cue if target else "plan"))
            continue
        base = kn.last("baseline", folded, max(c0, p.start - 40), p.start)
        if base is not None:
            out.append(TimedPhrase(p, "baseline", base.cue))
            continue
        out.append(TimedPhrase(p, "asof" if p.kind in ("asof", "asof_pub") else "during"))
    return out


@dataclass(frozen=True)
class Dated:
    """The period of a figure as ISO dates, with how it was decided and the words."""
    start: str
    end: str
    how: str  # during (own) | as-of (own) | baseline (own) | target horizon | document as-of | report period …
    words: str = ""


def iso(d: date | None) -> str:
    """The date as ISO text, or '' for None."""
    return d.isoformat() if d else ""


class PeriodReader:
    """Decides the period of each figure from the time phrases of its sentence (no carry-over,
    except an explicit as-of date for the stocks of its own paragraph)."""

    def __init__(self, text: str, timed: list[TimedPhrase], as_of: date | None, report_start: date | None,
                 report_end: date | None, as_of_how: str, next_period=(None, None), next_how: str = "",
                 next_first: bool = False, event: date | None = None, report_is_term: bool = False):
        self.text = text
        self.report_is_term = report_is_term  # the article closes a term: "đầu nhiệm kỳ" is its start
        self.next_period, self.next_how, self.next_first = next_period, next_how, next_first
        self.event = event
        self.timed = timed
        self.starts = [t.period.start for t in timed]
        self._targets = [t for t in timed if t.role == "target"]
        self._target_starts = [t.period.start for t in self._targets]
        self.as_of, self.as_of_how = as_of, as_of_how
        self.report = (report_start, report_end)

    def _in(self, lo: int, hi: int, roles: tuple[str, ...]) -> list[TimedPhrase]:
        i, j = bisect.bisect_left(self.starts, lo), bisect.bisect_left(self.starts, hi)
        return [t for t in self.timed[i:j] if t.role in roles and t.period.end <= hi]

    def own(self, a0: int, a1: int, clause: tuple[int, int], sent: tuple[int, int],
            roles: tuple[str, ...], sentence_roles: tuple[str, ...] | None = None) -> TimedPhrase | None:
        """The phrase of the figure: in its clause before it, after it, then in its sentence."""
        wide = roles if sentence_roles is None else sentence_roles
        for lo, hi, last, rs in ((clause[0], a0, True, roles), (a1, clause[1], False, roles),
                                 (sent[0], a0, True, wide), (a1, sent[1], False, wide)):
            found = self._in(lo, hi, rs)
            # a phrase that opens another figure is that one's: after the figure ("38,2 tỷ (năm 2022 là
            # 88,4 tỷ)"), or before it in brackets ("96 tỷ (năm 2022 là 88,4 tỷ); … 45.600 lượt")
            found = [t for t in found if not self._opens_other(t, a0, aside_only=last)]
            if lo == sent[0] or hi == sent[1]:  # "riêng năm 2020 đạt …" scopes its own clause only
                found = [t for t in found if not _ONLY.search(self.text, max(0, t.period.start - 8), t.period.start)]
            if found:
                return found[-1] if last else found[0]
        return None

    def _opens_other(self, t: TimedPhrase, a0: int, aside_only: bool) -> bool:
        if aside_only and not self.text[max(0, t.period.start - 2):t.period.start].strip().endswith("("):
            return False
        m = _OPENS_FIGURE.match(self.text, t.period.end)
        return m is not None and m.end() - 1 != a0

    def _words(self, t: TimedPhrase) -> str:
        return self.text[t.period.start:t.period.end]

    def target(self, a0: int, a1: int, clause, sent, para_start: int) -> Dated:
        """A target's horizon: its own phrase, else the last plan phrase of its paragraph."""
        t = self.own(a0, a1, clause, sent, ("target", "during"))
        how = "target horizon in the sentence"
        if t is None:
            earlier = self._in(para_start, sent[0], ("target",))
            t = earlier[-1] if earlier else None
            how = "target horizon earlier in the paragraph"
        if t is None and self.next_first and self.next_period[1] is not None:
            return Dated(iso(self.next_period[0]), iso(self.next_period[1]), f"target: {self.next_how}")
        if t is None:
            k = bisect.bisect_left(self._target_starts, para_start) - 1
            t = self._targets[k] if k >= 0 else None
            how = "target horizon of the plan section before"
        if t is None and self.next_period[1] is not None:
            return Dated(iso(self.next_period[0]), iso(self.next_period[1]), f"target: {self.next_how}")
        if t is None:
            return Dated("", iso(self.report[1] or self.as_of), "target with no horizon: report period end (fallback)")
        p = t.period
        if p.kind == "horizon" or p.kind == "asof":
            return Dated("", iso(p.period_end), how, self._words(t))
        return Dated(iso(p.period_start), iso(p.period_end or self.as_of), how, self._words(t))

    def _topic_year(self, para_start: int, sent_start: int) -> TimedPhrase | None:
        """``Năm 2023, …`` opening the paragraph: the year its stocks are read at the end of."""
        found = self._in(para_start, sent_start, ("during",))
        if not found:
            return None
        t = found[0]
        p = t.period
        if p.kind != "year" or p.period_end is None or self.text[para_start:p.start].strip() \
                or not self.text[p.end:p.end + 2].startswith(","):
            return None
        return t

    def at_event(self) -> Dated | None:
        """Honours handed out at the event reported (``Tại đại hội…``, ``Dịp này…``): its day."""
        if self.event is None:
            return None
        return Dated(iso(self.event), iso(self.event), "honours given at the event: its day")

    def _no_own_phrase(self, para_start: int, sent, stock: bool) -> Dated:
        """Period of an actual figure whose sentence has no time phrase of its own: an as-of date
        or year opening its paragraph (stocks only), else the document's as-of date or report period."""
        if stock:
            carried = [x for x in self._in(para_start, sent[0], ("asof",)) if x.period.kind == "asof"]
            if carried:
                return Dated("", iso(carried[-1].period.period_end), "as-of date earlier in the paragraph",
                             self._words(carried[-1]))
            topic = self._topic_year(para_start, sent[0])
            if topic is not None:  # "Năm 2023, toàn huyện có … hội viên. Quỹ … đạt 18,6 tỷ": end of 2023
                end = min(topic.period.period_end, self.as_of) if self.as_of else topic.period.period_end
                return Dated("", iso(end), "year the paragraph opens with (Năm X, …)", self._words(topic))
        if stock or self.report[1] is None:
            return Dated("", iso(self.as_of), f"document as-of date ({self.as_of_how})")
        return Dated(iso(self.report[0]), iso(self.report[1]), "document report period")

    def _stock(self, t: TimedPhrase, end: date | None, words: str) -> Dated:
        """Period of a stock read from a (non as-of) time phrase of its own sentence."""
        p = t.period
        if t.role == "baseline":
            return Dated("", iso(end), "baseline year in the sentence", words)
        if p.kind == "year" and p.period_start and _CARRIED_INTO.search(self.text, max(0, p.start - 20), p.start):
            # "Số dư chuyển sang năm 2024": the balance closing the year before
            return Dated("", iso(date(p.period_start.year - 1, 12, 31)), "balance carried into the year", words)
        end = min(end, self.as_of) if end and self.as_of else end
        return Dated("", iso(end), "stock read at the end of the period in the sentence", words)

    def figure(self, a0: int, a1: int, clause, sent, para_start: int, stock: bool) -> Dated:
        """Period of an actual (not target) figure."""
        roles = ("during", "asof", "baseline")
        # an as-of date in another clause does not make a flow cumulative
        t = self.own(a0, a1, clause, sent, roles, roles if stock else ("during", "baseline"))
        if t is None:
            return self._no_own_phrase(para_start, sent, stock)
        p, words = t.period, self._words(t)
        if p.kind == "asof_pub":
            return Dated("", iso(self.as_of), f"'now' in the sentence: document as-of date ({self.as_of_how})", words)
        if p.kind == "asof":
            return Dated("", iso(p.period_end or self.as_of), "as-of phrase in the sentence", words)
        if p.kind == "since":  # "từ năm 2016 đến nay đã trao 3.600 suất": up to the article's date
            return Dated("" if stock else iso(p.period_start), iso(self.as_of), "since phrase in the sentence: to the "
                         f"document as-of date ({self.as_of_how})", words)
        if p.kind == "term_start":
            if self.report_is_term and self.report[0] is not None:
                return Dated("", iso(self.report[0]), "start of the term reported on (đầu nhiệm kỳ)", words)
            return self._no_own_phrase(para_start, sent, stock)
        end = p.period_end or self.as_of
        if stock:
            return self._stock(t, end, words)
        start = p.period_start
        if end and self.as_of and p.kind == "term" and end > self.as_of:
            end = self.as_of  # a term still running: up to the article's date
        if start and end and start > end:
            return Dated("", iso(end), "period phrase starts after the as-of date: as-of kept", words)
        return Dated(iso(start), iso(end), f"{t.role} phrase in the sentence", words)
