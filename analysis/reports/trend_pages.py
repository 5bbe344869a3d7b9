"""What the trends pages (``trends``, ``cluster_trends``) display: the statistics of
:mod:`analysis.stats.trends` and :mod:`analysis.stats.compare` as readable tables, charts with
alt text and prose in the page's language, every number linked to the page's Sources section.

Nothing here computes a statistic; it formats (:mod:`analysis.reports.fmt`), escapes
(:mod:`analysis.reports.safe`) and links (:mod:`analysis.reports.evidence`).
"""

from __future__ import annotations

import pandas as pd

from analysis.reports import fmt, viz
from analysis.reports.evidence import Evidence
from analysis.reports.labels import label
from analysis.reports.pages import prose
from analysis.reports.safe import Markup, escape
from analysis.reports.tables import table
from analysis.stats.trends import MIN_POINTS_FOR_FIT, changes, fit_trend, overall_growth

# -- small words -----------------------------------------------------------------------------


def signed_pct(x: float, lang: str) -> str:
    """``+3,2%`` / ``-1.5%``: a growth rate with its sign, one decimal, never scientific."""
    text = fmt.number(x, lang, 1)
    return f"{'+' if x > 0 else ''}{text}%"


def p_value(p: float, lang: str) -> str:
    """A p-value as a reader reads it: ``< 0,001`` below a thousandth, else three decimals."""
    if p < 0.001:
        return "< " + fmt.number(0.001, lang, 3)
    return fmt.number(p, lang, 3)


def unit_of(rows: pd.DataFrame) -> str:
    """The unit of a group of figure rows (``count`` when unknown)."""
    units = [u for u in rows.get("unit", pd.Series(dtype=str)).astype(str) if u]
    return units[0] if units else "count"


def shape_words(shape: str, lang: str) -> str:
    """``flow-12m`` → ``flow · 12 months``; ``stock`` → ``stock``."""
    kind, _, months = str(shape).partition("-")
    words = label(f"shape_{kind}", lang)
    return f"{words} · {label('n_months', lang).format(n=months.rstrip('m'))}" if months else words


# -- one area's headline series ----------------------------------------------------------------


def point_rows(df: pd.DataFrame, area: tuple, metric: str, p) -> pd.DataFrame:
    """The figure rows a headline point rests on (its sources, period and stage; for a whole, the
    rows stating its value)."""
    entity, level, province = area
    rows = df[(df["entity"] == entity) & (df["level"] == level) & (df["province"].fillna("") == province)
              & (df["metric"] == metric) & (df["stage"] == p["stage"]) & (df["period_end"] == p["period_end"])
              & (df["period_start"] == p["period_start"]) & df["source_id"].isin(list(p["sources"]))]
    if p["status"] != "summed":
        same = rows[rows["value"].astype(float) == float(p["value"])]
        rows = same if not same.empty else rows
    return rows


def area_heading(area: tuple, metric: str, lang: str) -> Markup:
    """``Members · Quế Võ (district)`` as a third-level heading."""
    return Markup(f"<h3>{escape(label(metric, lang))} · {escape(area[0])} ({escape(label(area[1], lang))})</h3>")


def areas_view(here: pd.DataFrame, areas: list, entity: str, lang: str) -> Markup:
    """The areas of this name and how many figures each has."""
    parts = []
    for name, level, province in areas:
        n = int(((here["level"] == level) & (here["province"].fillna("") == province)).sum())
        parts.append(str(prose("tr_area", lang, name=name, kind=label(level, lang), province=province or "—",
                               n=fmt.number(n, lang))))
    if len(areas) > 1:
        parts.append(str(prose("tr_same_name", lang, k=fmt.number(len(areas), lang), name=entity)))
    return Markup("".join(parts))


def group_title(metric: str, stage: str, measure: str, shape: str, lang: str) -> str:
    """The chart's title: indicator, stage, measure and period kind in words."""
    return " · ".join([label(metric, lang), label(stage, lang), label(f"measure_{measure}", lang), shape_words(shape, lang)])


def headline_chart(g: pd.DataFrame, keys: list, unit: str, title: str, lang: str, ev: Evidence) -> viz.Chart:
    """One marker per headline point (shape: its bound; a hollow red marker: a source that
    disagrees), a line through the non-conflicting ones; years on the axis, the unit on the other."""
    plt, _ = viz.theme()
    pts = g.dropna(subset=["when"]).copy()
    if pts.empty:
        return viz.empty_chart(title, lang)
    pts["x"] = [viz.time_x(a, b) for a, b in zip(pts["period_start"], pts["period_end"], strict=True)]
    pts["y"] = pts["value"].astype(float)
    pts["y_max"] = [getattr(b, "value_max", None) for b in pts["bounded"]]
    pts["y_max"] = pd.to_numeric(pts["y_max"], errors="coerce")
    fig, ax = plt.subplots(figsize=(viz.WIDTH_IN, 3.8))
    colour = viz.palette(1)[0]
    viz._draw_points(ax, pts[pts["status"] != "conflict"], colour)
    bad = pts[pts["status"] == "conflict"]
    for _, r in bad.iterrows():
        ax.scatter([r["x"]], [r["y"]], marker=viz.MARKERS.get(r["bound"], "o"), s=70, facecolors="none",
                   edgecolors="#d55e00", linewidths=1.6, zorder=4)
    viz.year_axis(ax, lang, list(pts["x"]))
    viz.value_axis(ax, unit, lang, list(pts["y"]) + list(pts["y_max"].dropna()), name=label(g["metric"].iloc[0], lang))
    top = max(list(pts["y"]) + list(pts["y_max"].dropna()))
    ax.set_ylim(0, top * 1.15 if top > 0 else 1)  # room above the highest marker and for the legend
    ax.set_title(title)
    viz.bound_legend(ax, pts["bound"], lang, loc="lower right")
    alt = label("alt_headline", lang).format(title=title, n=len(pts), conflicts=len(bad))
    return viz.Chart(viz._close(fig), alt, viz.source_line(lang, ev.links(keys)), pts[["x", "y", "bound"]])


def describe(g: pd.DataFrame, unit: str, lang: str) -> Markup:
    """What the data allows, said plainly: one value with its date; 2–3 points, the changes and
    the annualised rate with its bounds; at least 4 annual points, the log-linear fit."""
    pts = g.dropna(subset=["when"])
    pts = pts[pts["status"] != "conflict"]
    conflicts = int(g.loc[g["status"] == "conflict", "period_end"].nunique())
    tail = [str(prose("tr_conflicts", lang, k=fmt.number(conflicts, lang)))] if conflicts else []
    if pts.empty:
        return Markup(str(prose("tr_no_dated", lang)) + "".join(tail))
    if len(pts) == 1:
        r = pts.iloc[0]
        return Markup(str(prose("tr_one", lang, value=fmt.bounded(r["bounded"], unit, lang),
                                period=fmt.period(r["period_start"], r["period_end"], lang))) + "".join(tail))
    fit = fit_trend(g)
    if fit.fitted:
        mixed = int((pts.groupby(pts["when"].dt.year).tail(1)["bound"] != "exact").sum())
        text = prose("tr_fit", lang, n=fmt.number(fit.n, lang), pct=signed_pct(fit.annual_growth_pct, lang),
                     lo=signed_pct(fit.ci_low_pct, lang), hi=signed_pct(fit.ci_high_pct, lang),
                     verdict=label("tr_differs" if fit.slope_p_value < 0.05 else "tr_not_differs", lang),
                     p=p_value(fit.slope_p_value, lang))
        if mixed:
            tail.insert(0, str(prose("tr_fit_bounds", lang, k=fmt.number(mixed, lang), n=fmt.number(fit.n, lang))))
        return Markup(str(text) + "".join(tail))
    first, last, growth = overall_growth(g)
    span = dict(n=fmt.number(len(pts), lang), min=fmt.number(MIN_POINTS_FOR_FIT, lang),
                first=fmt.bounded(first["bounded"], unit, lang), last=fmt.bounded(last["bounded"], unit, lang),
                start=fmt.period(first["period_start"], first["period_end"], lang),
                end=fmt.period(last["period_start"], last["period_end"], lang))
    if growth is None:
        return Markup(str(prose("tr_few_short", lang, **span)) + "".join(tail))
    rate = fmt.bounded(growth, "percent", lang)
    return Markup(str(prose("tr_few", lang, rate=rate, **span)) + "".join(tail))


def status_notes(g: pd.DataFrame, unit: str, lang: str) -> Markup:
    """A line for each point that is not a stated whole: summed parts, disagreeing sources."""
    items = []
    for _, p in g[g["status"] != "whole"].iterrows():
        key = "tr_point_summed" if p["status"] == "summed" else "tr_point_conflict"
        items.append(f"<li>{escape(label(key, lang).format(period=fmt.period(p['period_start'], p['period_end'], lang), value=fmt.bounded(p['bounded'], unit, lang)))}</li>")
    return Markup(f"<ul>{''.join(items)}</ul>") if items else Markup("")


def changes_table(g: pd.DataFrame, rows_at: dict, unit: str, lang: str, ev: Evidence) -> Markup:
    """The changes between consecutive points, each with its annualised rate (bounds kept) and
    evidence; empty when there is one point."""
    moves = changes(g)
    if moves.empty:
        return Markup("")
    rows = []
    for _, m in moves.iterrows():
        days = round(m["years"] * 365.25)
        rows.append({
            "change_between": f"{fmt.day(m['from'], lang)} → {fmt.day(m['to'], lang)}",
            "value_from": fmt.bounded(m["value_from"], unit, lang), "value_to": fmt.bounded(m["value_to"], unit, lang),
            "change": fmt.bounded(m["change"], unit, lang),
            "annualised_growth": fmt.bounded(m["annualised_growth"], "percent", lang)
            if m["annualised_growth"] is not None else label("tr_under_year", lang).format(days=fmt.number(days, lang)),
            "years_apart": fmt.number(m["years"], lang, 2),
            "evidence": ev.links([k for end in (m["from"], m["to"]) for k in rows_at.get(end, [])]),
        })
    cols = ["change_between", "value_from", "value_to", "change", "annualised_growth", "years_apart", "evidence"]
    return table(pd.DataFrame(rows), cols, lang, caption=label("tr_changes", lang))


def subgroup_view(parts: pd.DataFrame, df: pd.DataFrame, area: tuple, metric: str, lang: str, ev: Evidence) -> Markup:
    """The subgroup rows (class and role of each) in a collapsed section under the charts."""
    if parts.empty:
        return Markup("")
    entity, level, province = area
    mine = df[(df["entity"] == entity) & (df["level"] == level) & (df["province"].fillna("") == province)
              & (df["metric"] == metric)]
    rows = []
    for _, r in parts.iterrows():
        figs = mine[(mine["source_id"] == r["source_id"]) & (mine["stage"] == r["stage"])
                    & (mine["period_end"] == r["period_end"]) & (mine["subgroup"].fillna("") == r["subgroup"])
                    & (mine["value"].astype(float) == float(r["value"]))]
        rows.append({"stage": label(r["stage"], lang), "period": fmt.period(r["period_start"], r["period_end"], lang),
                     "subgroup": r["subgroup"] or None, "subgroup_class": label(f"sgc_{r['subgroup_class']}", lang) if r["subgroup_class"] else None,
                     "value": fmt.value(r["value"], unit_of(figs), lang, r["bound"]),
                     "role": label(f"role_{r['role']}", lang), "evidence": ev.links(figs) if not figs.empty else None})
    inner = table(pd.DataFrame(rows), ["subgroup", "subgroup_class", "value", "period", "role", "evidence", "stage"], lang,
                  max_rows=len(rows) + 1)
    summary = label("tr_subgroups", lang).format(n=fmt.number(len(rows), lang))
    return Markup(f'<details class="kh-more"><summary>{escape(summary)}</summary>{inner}</details>')


def series_view(df: pd.DataFrame, area: tuple, metric: str, lang: str, ev: Evidence) -> list:
    """Everything shown for one area and metric: a heading, then per comparable group the headline
    chart, what the data allows, notes on summed or disputed points and the changes table; the
    subgroup rows folded at the end. Empty when the area has no figure of the metric."""
    from analysis.stats.trends import comparable_groups, headline_series, subgroup_table

    points = headline_series(df, area, metric)
    parts = subgroup_table(df, area, metric)
    if points.empty and parts.empty:
        return []
    out = [area_heading(area, metric, lang)]
    for (stage, measure, shape), g in comparable_groups(points):
        figs = [point_rows(df, area, metric, p) for _, p in g.iterrows()]
        unit = unit_of(pd.concat(figs)) if figs else "count"
        rows_at: dict = {}
        for (_, p), f in zip(g.iterrows(), figs, strict=True):
            if p["status"] != "conflict":
                rows_at.setdefault(p["period_end"], []).extend(Evidence._keys(f))
        title = group_title(metric, stage, measure, shape, lang)
        keys = [k for f in figs for k in Evidence._keys(f)]
        out += [headline_chart(g, keys, unit, title, lang, ev), describe(g, unit, lang), status_notes(g, unit, lang),
                changes_table(g, rows_at, unit, lang, ev)]
    out.append(subgroup_view(parts, df, area, metric, lang, ev))
    return out


# -- provinces compared ------------------------------------------------------------------------


def indicator_unit(indicator: str) -> str:
    """The unit of a cluster indicator: đồng for fund per member, % for a rate, else a count."""
    if "đồng" in indicator:
        return "vnd"
    if "share" in indicator or "rate" in indicator:
        return "percent"
    return "count"


def indicator_rows(df: pd.DataFrame, points: pd.DataFrame) -> list:
    """The figure rows behind cluster points: the area's figures of the same sources and date
    (or, for a derived number, of the same sources)."""
    out = []
    for _, p in points.iterrows():
        same = df[(df["entity"] == p["area"]) & df["source_id"].isin(list(p["sources"]))]
        dated = same[same["period_end"] == p["period_end"]]
        out.append(dated if not dated.empty else same)
    return out


def panels_chart(fig, points: pd.DataFrame, indicator: str, title: str, df: pd.DataFrame, lang: str,
                 ev: Evidence) -> viz.Chart:
    """The province panels of :mod:`analysis.reports.panels` with alt text and the source line."""
    mine = points[points["indicator"] == indicator]
    rows = indicator_rows(df, mine)
    links = ev.links(pd.concat(rows)) if rows else ""
    alt = label("alt_panels", lang).format(title=title, n=len(mine), k=mine["area"].nunique())
    return viz.Chart(fig, alt, viz.source_line(lang, links))


def ranks_table(ranks: pd.DataFrame, points: pd.DataFrame, indicator: str, df: pd.DataFrame, lang: str,
                ev: Evidence) -> Markup:
    """Provinces ranked on one indicator and year; a bound ranks as an interval, ties named."""
    unit = indicator_unit(indicator)
    rows = []
    for _, r in ranks.iterrows():
        p = points[(points["indicator"] == indicator) & (points["area"] == r["area"])
                   & (points["period_end"] == r["period_end"]) & (points["status"] != "conflict")]
        b = p["bounded"].iloc[0] if not p.empty else None
        figs = indicator_rows(df, p)
        rows.append({"rank": r["rank"], "area": r["area"], "value": fmt.bounded(b, unit, lang),
                     "as_of_date": fmt.day(r["period_end"], lang), "tied_with": ", ".join(r["tied_with"]) or None,
                     "evidence": ev.links(pd.concat(figs)) if figs else None})
    return table(pd.DataFrame(rows), ["rank", "area", "value", "as_of_date", "tied_with", "evidence"], lang)


def median_line(medians: pd.DataFrame, indicator: str, year: int, lang: str) -> Markup:
    """The cluster median of a year with the bounds its members' bounds allow."""
    med = medians[(medians["indicator"] == indicator) & (medians["year"] == year)]
    if med.empty:
        return Markup("")
    m = med.iloc[0]
    unit = indicator_unit(indicator)

    def end(x):
        return "∞" if x == float("inf") else "−∞" if x == float("-inf") else fmt.value(x, unit, lang)

    return prose("ct_median", lang, year=year, median=fmt.value(m["median"], unit, lang), n=fmt.number(m["n"], lang),
                 lo=end(m["median_lo"]), hi=end(m["median_hi"]))


def points_table(points: pd.DataFrame, df: pd.DataFrame, lang: str, ev: Evidence, indicator_label) -> Markup:
    """Every point drawn on the panels, one row each."""
    rows = []
    for (_, p), figs in zip(points.iterrows(), indicator_rows(df, points), strict=True):
        unit = indicator_unit(p["indicator"])
        rows.append({"area": p["area"], "indicator": indicator_label(p["indicator"], lang),
                     "value": fmt.bounded(p["bounded"], unit, lang), "as_of_date": fmt.day(p["period_end"], lang),
                     "status": label(f"role_{p['status']}", lang), "evidence": ev.links(figs) if not figs.empty else None,
                     "level": label(p["level"], lang)})
    return table(pd.DataFrame(rows), ["area", "indicator", "value", "as_of_date", "status", "evidence", "level"], lang)
