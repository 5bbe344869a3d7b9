"""The article read as a document, before any of its numbers: whose report it is and when.

Decided once per article, each with the words that decided it (for ``articles.csv`` and the
trace):

- the **subject** — the association whose report the article is (entity, level, province):
  from the headline (``Hội Khuyến học huyện X``, a ``X:`` or ``X -`` dateline, a bare name),
  else the lede's ``Hội Khuyến học <place>``, else the outlet (a district portal or media
  centre names its district), else the body;
- the **genre** (review, congress, ceremony) from the headline's words;
- the **report period** — the year or half-year reviewed, or the term a congress closes;
- the **as-of date** — the date a stock with no date of its own is read at: the event date
  (``Ngày 15-12`` with the year of the report), else the publication date, else the end of
  the report period; never earlier than a year the text places in the present.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import lru_cache

from analysis.extraction.knowledge import CueIndex, fold, fold_re
from analysis.extraction.periods import PLACEHOLDER_YEAR, YEAR, Dating, Period, month_end
from analysis.extraction.places import LEVEL_RANK, Gazetteer, Mention, Place, find_mentions


@dataclass(frozen=True)
class Subject:
    """The place an article is about, how it was found and the words that named it."""
    place: Place | None
    how: str  # headline | headline dateline | lede | outlet | body | none
    words: str = ""  # the words that named it


@dataclass(frozen=True)
class ReportPeriod:
    """The period an article reports on, its kind and how it was found."""
    start: date | None
    end: date | None
    kind: str  # year | h1 | h2 | m9 | q | term | school_year | ceremony | none
    how: str
    words: str = ""


@dataclass(frozen=True)
class Document:
    """What is known of an article as a whole: subject, genre, report period and dates."""
    subject: Subject
    genre: str  # review | congress | ceremony | other
    report: ReportPeriod
    published: date | None
    published_how: str
    as_of: date | None
    as_of_how: str
    event: date | None = None
    next_start: date | None = None  # the period plans and targets are for, by default
    next_end: date | None = None
    next_how: str = ""


# -- subject ---------------------------------------------------------------------------

def _headline(text: str, title: str) -> list[str]:
    first = text[:text.find("\n")] if "\n" in text else text[:200]
    return [t for t in (title, first if len(first) <= 250 else "") if t.strip()]


def _is_dateline(head: str, m: Mention) -> bool:
    return bool(m.place and not m.prefix and not m.with_association
                and re.match(r"\s*" + re.escape(head[m.start:m.end]) + r"\s*[:–-]", head))


_OWNER = re.compile(r"(?<!\w)của\s+$", re.IGNORECASE)


def _best_headline_mention(mentions: list[Mention], head: str = "") -> Mention | None:
    usable = [m for m in mentions if m.place and not m.in_title and not m.body]
    # "Hải Hậu – điểm sáng khuyến học của tỉnh Nam Định": the province named as the owner of a
    # unit inside it is not the subject
    usable = [m for m in usable if not (_OWNER.search(head, max(0, m.start - 6), m.start) and any(
        o is not m and o.place.province == m.place.name and LEVEL_RANK[o.place.level] > LEVEL_RANK[m.place.level]
        for o in usable))] or usable
    if not usable:
        return None
    for pick in ([m for m in usable if m.with_association], [m for m in usable if m.prefix]):
        if pick:
            return pick[0]
    return usable[0]


def find_subject(text: str, folded: str, title: str, outlet: str, body: list[Mention],
                 gz: Gazetteer, kn, lede_end: int | None = None) -> Subject:
    """The association whose report the article is (see the module docstring for the order)."""
    outlet_place = _outlet_place(outlet, gz, kn)
    lede_end = _lede_end(text) if lede_end is None else lede_end
    ctx = (gz, outlet_place.province if outlet_place else "", outlet_place, lede_end)
    found = _headline_subject(text, title, body, kn, ctx) or _lede_subject(text, body, ctx)
    if found is not None:
        return found
    if outlet_place is not None:
        return Subject(outlet_place, "outlet", outlet)
    return _unnamed_province(body, lede_end) or _body_subject(text, body)


def _headline_subject(text: str, title: str, body: list[Mention], kn, ctx) -> Subject | None:
    gz, hint, outlet_place, _ = ctx
    first_end = text.find("\n") if "\n" in text else -1
    for head in _headline(text, title):
        if first_end >= 0 and head == text[:first_end]:
            found = [m for m in body if m.end <= first_end]  # the article's first line: already read
        else:
            found = find_mentions(head, fold(head), gz, kn)
        best = _best_headline_mention([_placed(m, gz, hint, outlet_place) for m in found], head)
        if best is None:
            continue
        words = head[best.start:best.end]
        same = _lede_namesake(text, body, best, ctx)
        if same is not None:  # "An Lão tổng kết…" then "Hội Khuyến học xã An Lão": the lede says which
            return same
        if not _is_dateline(head, best):
            return Subject(best.place, "headline", words)
        lower = _first_association_below(body, best.place)
        if lower is not None:
            return Subject(lower, "headline dateline, unit from the lede", words)
        return Subject(best.place, "headline dateline", words)
    return None


def _lede_namesake(text: str, body: list[Mention], best: Mention, ctx) -> Subject | None:
    """A bare name in the headline that the lede writes with its level (``xã An Lão`` where the
    headline's ``An Lão`` also names a district): the lede's unit."""
    if best.prefix or best.with_association:
        return None
    gz, hint, outlet_place, lede_end = ctx
    key = fold(best.place.name)
    for m in body:
        if m.start >= lede_end:
            break
        if m.with_association and m.place and m.place.level != best.place.level and fold(m.place.name) == key:
            return Subject(_placed(m, gz, hint, outlet_place).place, "lede (the headline's name, with its level)",
                           text[m.start:m.end])
    return None


def _lede_subject(text: str, body: list[Mention], ctx) -> Subject | None:
    """The lede's ``Hội Khuyến học <place>``, else its first unit written with a prefix
    (``Ngày 15/12, huyện Kim Bảng tổ chức…``) unless the outlet is more specific."""
    gz, hint, outlet_place, lede_end = ctx
    lede = [m for m in body if m.start < lede_end and m.place and not m.in_title and not m.body]
    for m in lede:
        if m.with_association:
            return Subject(_placed(m, gz, hint, outlet_place).place, "lede", text[m.start:m.end])
    for m in lede:
        if m.prefix and not m.anaphor and (
                outlet_place is None or LEVEL_RANK[m.place.level] >= LEVEL_RANK[outlet_place.level]):
            return Subject(_placed(m, gz, hint, outlet_place).place, "lede (first unit named)", text[m.start:m.end])
    return None


def _unnamed_province(body: list[Mention], lede_end: int) -> Subject | None:
    """``Hội Khuyến học tỉnh tổ chức…`` in the lede, the province never named, and every place the
    article names lying in one province: that province's association."""
    if not any(m.anaphor and m.with_association and m.prefix == "province" and m.start < lede_end for m in body):
        return None
    provinces = {m.place.province for m in body if m.place and not m.anaphor and m.place.known}
    if len(provinces) != 1 or "" in provinces:
        return None
    (province,) = provinces
    return Subject(Place(province, "province", province), "lede's 'Hội Khuyến học tỉnh', the province of the places named")


def _body_subject(text: str, body: list[Mention]) -> Subject:
    for m in body:
        if m.with_association and m.place and not m.in_title:
            return Subject(m.place, "body (first Hội Khuyến học <place>)", text[m.start:m.end])
    for m in body:
        if m.place and not m.in_title:
            return Subject(m.place, "body (first place)", text[m.start:m.end])
    return Subject(None, "none")


def _placed(m: Mention, gz: Gazetteer, province: str, outlet_place: Place | None) -> Mention:
    if m.place is None or m.place.known:
        return m
    district = outlet_place.name if outlet_place and outlet_place.level == "district" else ""
    place = m.place
    if place.level == "commune" and district:
        unit = gz.units.commune(fold(place.name), province, district)
        if unit is not None:
            return replace(m, place=Place(unit.name, "commune", unit.province))
    return replace(m, place=gz.within(place, province))


def _outlet_place(outlet: str, gz: Gazetteer, kn) -> Place | None:
    if not outlet:
        return None
    return _outlet_place_cached(outlet, gz)


@lru_cache(maxsize=4096)
def _outlet_place_cached(outlet: str, gz: Gazetteer) -> Place | None:
    """Outlets repeat across a corpus: each is read once."""
    from analysis.extraction.knowledge import knowledge

    kn = knowledge()
    found = [m.place for m in find_mentions(outlet, fold(outlet), gz, kn) if m.place and not m.anaphor]
    if not found:  # "Báo Nam Định", "Đài PT-TH Vĩnh Phúc": in an outlet's name the place is its area
        found = [p for _, _, p in gz.bare(fold(outlet), outlet)]
    if not found:
        return None
    return max(found, key=lambda p: LEVEL_RANK[p.level])


def _first_association_below(body: list[Mention], above: Place) -> Place | None:
    for m in body[:3]:
        p = m.place
        if m.with_association and p and LEVEL_RANK[p.level] > LEVEL_RANK[above.level] \
                and p.province in ("", above.name):
            return Place(p.name, p.level, above.name, p.known)
    return None


_LEDE_MIN_WORDS = 6
_DATA_AT = re.compile(r"(?<!\w)số liệu(?:\s+tính)?\s+$", re.IGNORECASE)


def _lede_as_of(text: str, phrases: list[Period], lede_end: int) -> date | None:
    """An explicit as-of date in the lede standing alone in its sentence or brackets, with no figure
    of its own (``số liệu tính đến 31/12/2023``): the date all the report's stocks are read at."""
    for p in phrases:
        if p.kind != "asof" or p.start < 0 or p.start >= lede_end or p.period_end is None:
            continue
        if p.plan and not _DATA_AT.search(text, max(0, p.start - 20), p.start):
            continue  # a plan's date; but "các chỉ tiêu chủ yếu (số liệu đến …)" dates the data
        lo = max(text.rfind(c, 0, p.start) for c in ".(\n") + 1
        his = [k for k in (text.find(c, p.end) for c in ".)\n") if k >= 0]
        hi = min(his) if his else len(text)
        if not re.search(r"\d", text[lo:p.start] + text[p.end:hi]):
            return p.period_end
    return None


def _lede_end(text: str) -> int:
    """End of the first paragraph after the headline (at most 600 characters in). Lines of a
    few words between them (a timestamp, a byline, a photo credit) are passed over."""
    first = text.find("\n")
    if first < 0:
        return min(len(text), 600)
    k = first
    while True:
        while k < len(text) and text[k] in "\n \t":
            k += 1
        end = text.find("\n", k)
        end = end if end > 0 else len(text)
        if end >= len(text) or len(text[k:end].split()) >= _LEDE_MIN_WORDS or k > 600:
            return min(end, k + 600)
        k = end


# -- genre and report period ---------------------------------------------------------------

def find_genre(headline: str, kn) -> str:
    """review (tổng kết, sơ kết…), congress (đại hội), ceremony (tuyên dương, trao học bổng…)."""
    found = kn.find("genre", fold(headline))
    return found[0].value if found else "other"


_TERM = fold_re(r"(?:nhiệm kì|giai đoạn|khóa)\s+(?:[ivx\d]+\s*[,(]?\s*)?(" + YEAR + r")\s*[-–—]\s*(" + YEAR + r")")


def report_period(genre: str, headline: str, phrases: list[Period], event: date | None,
                  published: date | None, all_phrases: list[Period] | None = None, lede_end: int = 0) -> ReportPeriod:
    """The period the article reviews (the default of flows with no period of their own)."""
    if genre == "congress":
        rp = _closed_term(headline, all_phrases or phrases, event or published)
        if rp is not None:
            return rp
    if genre == "ceremony" and (event or published):
        day = event or published
        return ReportPeriod(day, day, "ceremony", "the ceremony's day")
    reviewed = _reviewed(phrases)
    if lede_end and not any(p.start < 0 for p in reviewed):  # no period in the headline: the lede's
        lede = [p for p in reviewed if 0 <= p.start < lede_end and p.kind != "term"]  # ("… năm học 2023 – 2024")
        if lede:
            return ReportPeriod(lede[0].period_start, lede[0].period_end, lede[0].kind, "period the lede names")
    for kinds in (("year", "h1", "h2", "m9", "q"), ("school_year",), ("term",)):
        for p in reviewed:
            if p.kind in kinds:
                return ReportPeriod(p.period_start, p.period_end, p.kind, "first period the text reviews")
    return ReportPeriod(None, None, "none", "no period found")


def _reviewed(phrases: list[Period]) -> list[Period]:
    kinds = ("year", "h1", "h2", "m9", "q", "school_year", "term")
    return [p for p in phrases if p.kind in kinds and not p.plan and p.period_end and _dated(p)]


def _dated(p: Period) -> bool:
    """Written with its year, or given one from the article (``6 tháng đầu năm`` of a dated
    article); not the placeholder of a phrase whose year is still unknown."""
    return p.year is not None or (p.period_start is not None and p.period_start.year != PLACEHOLDER_YEAR)


def new_term(headline: str, phrases: list[Period]) -> tuple[int, int] | None:
    """The term a congress opens: in its headline, else the latest term the text names."""
    m = _TERM.search(fold(headline))
    if m:
        return int(m.group(1)), int(m.group(2))
    terms = [p for p in phrases if p.kind == "term" and p.period_start and p.period_end]
    if not terms:
        return None
    latest = max(terms, key=lambda p: p.period_start)
    return latest.period_start.year, latest.period_end.year


def _closed_term(headline: str, phrases: list[Period], day: date | None) -> ReportPeriod | None:
    new = new_term(headline, phrases)
    terms = [p for p in phrases if p.kind == "term" and p.period_start and p.period_end]
    if new is None:
        return None
    closed = [p for p in terms if p.period_end.year == new[0]]
    first = closed[0].period_start.year if closed else new[0] - (new[1] - new[0])
    end = day if day and day.year == new[0] else date(new[0], 12, 31)
    how = "the term the congress closes" + ("" if closed else " (its length taken from the new term)")
    return ReportPeriod(date(first, 1, 1), end, "term", how)


# -- dates -----------------------------------------------------------------------------------

_EVENT_FULL = fold_re(r"(?:sáng|chiều|tối|trưa|ngày|hôm)\s+(?:ngày\s+)?(?:nay\s+)?\(?(\d{1,2})[/.-](\d{1,2})[/.-](" + YEAR + ")")
_EVENT = fold_re(r"(?:sáng|chiều|tối|trưa|ngày|hôm)\s+(?:ngày\s+)?(?:nay\s+)?\(?(\d{1,2})[/.-](\d{1,2})(?![\d/.-]\d)")


def find_event(folded: str, year_of: callable) -> tuple[date | None, str]:
    """The day of the event reported (a meeting, a ceremony), from the first paragraphs; a date
    that belongs to a document (``Quyết định số 12 ngày 15-12-2020``) is not the event."""
    head = folded[:1500]
    for m in _EVENT_FULL.finditer(head):
        d = _valid(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        if d and not _DOCUMENT_BEFORE.search(head, max(0, m.start() - 60), m.start()):
            return d, m.group(0)
    for m in _EVENT.finditer(head):
        if _DOCUMENT_BEFORE.search(head, max(0, m.start() - 60), m.start()):
            continue
        day, month = int(m.group(1)), int(m.group(2))
        year = year_of(month, day)
        d = _valid(day, month, year) if year else None
        if d:
            return d, m.group(0)
    return None, ""


_DOCUMENT_BEFORE = fold_re(r"(?:(?:quyết định|nghị quyết|chỉ thị|kế hoạch|công văn|thông báo|thông tư)(?:\s+số)?"
                           r"|(?<!\w)số|ban hành)\s*[\d/.\-a-zđ&]*\s*$")


def _valid(d: int, m: int, y: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


_DONE = fold_re(r"tuyên dương|khen thưởng|tổng kết|tôn vinh|vinh danh|đạt giải|học sinh giỏi")


def kn_done(headline: str) -> bool:
    """The headline honours results already achieved (``tuyên dương học sinh giỏi năm học …``)."""
    return bool(_DONE.search(fold(headline)))


def event_year(genre: str, headline: str, phrases: list[Period], all_phrases: list[Period] | None = None,
               folded: str = "", lede_end: int = 0):
    """A function (month, day) → the year of an event written without one."""
    term = new_term(headline, all_phrases or phrases) if genre == "congress" else None
    if term:
        return lambda month, day: term[0]
    reviewed = _reviewed(phrases)
    if not reviewed:
        return lambda month, day: None
    # the same preference as report_period: a year or half reviewed before a term named in passing
    years = [p for kinds in (("year", "h1", "h2", "m9", "q"), ("term",)) for p in reviewed if p.kind in kinds]
    p = years[0] if years else reviewed[0]
    end = p.period_end
    if p.kind == "school_year":
        # honoured in the headline, or in the words just before the school year
        done = kn_done(headline) or bool(p.start >= 0 and _DONE.search(folded, max(0, p.start - 120), p.start))
        first, second = p.period_start.year, p.period_end.year
        # a school year honoured is over (the event follows it); one given scholarships is starting
        return lambda month, day: second if done or month < 8 else first

    def year_of(month: int, day: int) -> int:
        # the event follows (or closes) the period it reviews: "Ngày 10-1" after a year → next year
        d = _valid(day, month, end.year) or date(end.year, month, 1)
        # but a year the lede names with a mid-year event is the event's own ("Sáng 28/8, … lễ trao
        # học bổng năm 2024"); early in a year it is still the year just reviewed ("Ngày 10/1, … năm 2023")
        own = 0 <= p.start < lede_end and month > 3
        return end.year + 1 if d < end - timedelta(days=75) and not own and p.kind != "school_year" else end.year

    return year_of


_NOW = fold_re(r"((?:đến|tới)\s+nay)|hiện nay|hiện tại")
_YEAR_BEFORE_NOW = fold_re(r"năm\s+(" + YEAR + r")(?!.*năm\s+" + YEAR + r")[^.;\n]*$")
_YEAR_IN_BRACKETS = fold_re(r"\s*\(\s*(?:năm\s+)?(" + YEAR + r")\s*\)")


def present_years(folded: str) -> list[tuple[int, str]]:
    """Years the text places in the present (``từ đầu năm 2024 đến nay``, ``năm 2024 … đến nay``,
    ``hiện nay (2024)``): looked for only around the words for "now"."""
    out = []
    for now in _NOW.finditer(folded):
        m = _YEAR_IN_BRACKETS.match(folded, now.end())
        if m:
            out.append((int(m.group(1)), folded[now.start():m.end()]))
            continue
        if now.group(1):
            lo = max(0, now.start() - 90)
            m = _YEAR_BEFORE_NOW.search(folded, lo, now.start())
            if m:
                out.append((int(m.group(1)), folded[m.start():now.end()]))
    return out


_DONE_VERB = fold_re(r"(?<!\w)đã(?!\w)")


def past_years(phrases: list[Period], folded: str = "") -> list[int]:
    """Years the text reports on as done: an as-of or year-to-date phrase, or a period phrase
    whose clause says ``đã`` (plans, targets and horizons are left out before this)."""
    out = []
    for p in phrases:
        if p.plan or p.year is None:
            continue
        if p.kind in ("asof", "ytd") and p.period_end:
            out.append(p.period_end.year)
        elif p.start < 0 and p.period_start:  # the headline's reviewed period
            out.append(p.period_start.year)
        elif p.kind in ("year", "h1", "h2", "m9", "q") and p.period_start and folded:
            lo = max(0, p.start - 60)
            piece = re.split(r"[.;\n]", folded[lo:p.start])[-1] + re.split(r"[.;\n]", folded[p.end:p.end + 80])[0]
            if _DONE_VERB.search(piece):
                out.append(p.period_start.year)
    return out


def read_document(text: str, folded: str, title: str, outlet: str, published: date | None,
                  body: list[Mention], phrases: list[Period], dating: Dating, gz: Gazetteer,
                  kn: CueIndex, all_phrases: list[Period] | None = None,
                  occasions: list[Period] | None = None) -> Document:
    """Subject, genre, report period and dates of one article."""
    heads = _headline(text, title)
    headline = " ".join(heads)
    genre = find_genre(headline, kn)
    if title and not text.startswith(title):  # the headline's own periods come first
        from analysis.extraction.periods import find_period_phrases

        own = [p for p in find_period_phrases(fold(title)) if p.year is not None and not p.plan]
        own = [replace(p, start=-1, end=-1) for p in own]
        phrases = own + phrases
        all_phrases = own + (all_phrases or [])
    lede_end = _lede_end(text)  # the first paragraph after the headline, worked out once
    subject = find_subject(text, folded, title, outlet, body, gz, kn, lede_end)
    pub, pub_how = dating.published, dating.how
    if dating.how not in _FIRM_DATING:
        pub, pub_how = None, ""
    year_of = event_year(genre, headline, phrases, all_phrases, folded, lede_end if "\n" in text else 0)
    school = [p for p in (occasions or []) if p.kind == "school_year" and p.period_start and p.start < lede_end]
    if school:  # "nhân dịp khai giảng năm học 2024–2025": the event opens that school year
        first, second = school[0].period_start.year, school[0].period_end.year
        year_of = lambda month, day: first if month >= 7 else second  # noqa: E731
    if pub is not None:
        base = year_of
        year_of = lambda month, day: base(month, day) or pub.year  # noqa: E731 — adjusted by _before
    event, event_words = find_event(folded, year_of)
    if event is not None and pub is not None and not _explicit_year(folded, event):
        event = _before(event, pub)  # reported right after it: the latest such day not after publication
    if pub is None and event is not None:
        explicit = bool(_EVENT_FULL.match(event_words))
        pub, pub_how = event, "event date in the text" if explicit else "event date and report year"
    report = report_period(genre, headline, phrases, event, pub, all_phrases, lede_end if "\n" in text else 0)
    if pub is None and report.end is not None:
        pub, pub_how = report.end, "end of the report period"
    if dating.how != "sources.csv":
        pub, pub_how = _not_before_present(pub, pub_how, folded, phrases)
    as_of, as_of_how = (event, "event date") if event else (pub, pub_how)
    if as_of and pub and dating.how != "sources.csv" and as_of < pub:
        as_of, as_of_how = pub, pub_how
    stated = _lede_as_of(text, all_phrases or phrases, lede_end)
    if stated is not None:  # "(số liệu đến 31/12/2023)": the date the report's data are read at
        as_of, as_of_how = stated, "as-of date the lede gives for its data"
    nxt = next_period(genre, headline, report, all_phrases or phrases)
    return Document(subject, genre, report, pub, pub_how, as_of, as_of_how, event, *nxt)


def next_period(genre: str, headline: str, report: ReportPeriod,
                phrases: list[Period]) -> tuple[date | None, date | None, str]:
    """The period a plan is for when a target names none: the new term of a congress, the next
    year after a year's review, the second half after a first half."""
    term = new_term(headline, phrases) if genre == "congress" else None
    if term:
        return date(term[0], 1, 1), date(term[1], 12, 31), "the congress's new term"
    end = report.end
    if genre == "review" and end is not None and report.kind == "year":
        return date(end.year + 1, 1, 1), date(end.year + 1, 12, 31), "the year after the one reviewed"
    if genre == "review" and end is not None and report.kind == "h1":
        return date(end.year, 7, 1), date(end.year, 12, 31), "the half-year after the one reviewed"
    return None, None, ""


_FIRM_DATING = ("sources.csv", "text timestamp")


def _explicit_year(folded: str, event: date) -> bool:
    return bool(_EVENT_FULL.search(folded[:1500]))


def _before(event: date, published: date) -> date:
    """An event written without its year happened on or before the article's date."""
    year = published.year if (event.month, event.day) <= (published.month, published.day) else published.year - 1
    return _valid(event.day, event.month, year) or event


def _not_before_present(pub: date | None, how: str, folded: str, phrases: list[Period]) -> tuple[date | None, str]:
    """An inferred date is never earlier than a year the text reports on or calls the present."""
    years = [y for y, _ in present_years(folded)] + past_years(phrases, folded)
    if not years:
        return pub, how
    latest = max(years)
    if pub is None:
        return date(latest, 12, 31), "latest year the text reports on"
    if latest > pub.year:
        return date(latest, 12, 31), f"{how}, moved to {latest}: the text reports on {latest} as done or present"
    return pub, how


def resolve_month_end(year: int, month: int) -> date:
    """The last day of a month."""
    return month_end(year, month)
