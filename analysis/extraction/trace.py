"""How each figure was placed: the trace written beside the figures table.

One row per extracted figure, keyed like the curation key (``source_id, start, metric``):
which rule set the metric, the stage, the entity (subject, sub-unit, level word, fallback…)
and the period (own phrase, document as-of date, report period, fallback…), with the words
that decided them. The overview report lists the rows whose entity or period is a fallback.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

TRACE_PATH_NAME = "figures_trace.csv"


@dataclass(frozen=True)
class TraceRow:
    """How each field of one figure was decided: a row of figures_trace.csv."""
    source_id: str
    start: int
    metric: str
    metric_how: str
    stage_how: str
    entity_how: str
    entity_words: str
    period_how: str
    period_words: str
    fallback: str = ""  # "entity", "period" or both: decided by a default, to be checked first

    def row(self) -> dict:
        """The trace as a dict of its fields."""
        return dict(self.__dict__)


def fallback_of(entity_how: str, subject_how: str, period_how: str, dating_firm: bool) -> str:
    """Which of entity and period came from a fallback rather than from words of the article."""
    out = []
    if entity_how == "no subject found" or (entity_how == "subject" and subject_how.startswith("body")):
        out.append("entity")
    if "fallback" in period_how or (period_how.startswith("document") and not dating_firm):
        out.append("period")
    return " ".join(out)


TRACE_COLUMNS = [f.name for f in fields(TraceRow)]


def trace_key(row: dict) -> tuple:
    """The order of figures_trace.csv: ``(source_id, start, metric)``."""
    return row["source_id"], int(row["start"]), row["metric"]


def trace_rows(results) -> list[dict]:
    """All trace rows of some :class:`~analysis.extraction.extract.ArticleResult` s, in key order.

    The sort is stable, so sorting each article's rows and then the articles by ``source_id``
    (every trace row of an article carries the article's id) gives the same order: that is how
    the batch writes the trace, each article's part made where it was extracted.
    """
    rows = [t.row() for r in results for t in r.trace]
    rows.sort(key=trace_key)
    return rows
