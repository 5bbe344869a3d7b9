"""What the notebooks display: the statistics' tables turned into readable tables, charts and
prose, in the page's language, with evidence links. Notebooks stay thin: one call per block.

Nothing here computes a statistic (that is :mod:`analysis.stats` and
:mod:`analysis.reports.dashboard`); everything here formats (:mod:`analysis.reports.fmt`),
escapes (:mod:`analysis.reports.safe`) and links (:mod:`analysis.reports.evidence`).
"""

from __future__ import annotations

import re

import pandas as pd

from analysis.reports import fmt, viz
from analysis.reports.dashboard import INDICATORS, coverage_grid, trend_points
from analysis.reports.evidence import Evidence
from analysis.reports.labels import how_text, label
from analysis.reports.panels import base_label
from analysis.reports.safe import Markup, escape
from analysis.reports.tables import table

FIGURE_COLUMNS = ["entity", "metric", "stage", "value", "period", "subgroup", "evidence"]


def prose(key: str, lang: str, level: int = 0, **values) -> Markup:
    """A label as a heading (``level`` 1–4) or a paragraph, its ``{placeholders}`` filled with
    escaped values."""
    text = escape(label(key, lang)).format(**{k: escape(v) for k, v in values.items()})
    if level:
        return Markup(f"<h{level}>{text}</h{level}>")
    return Markup(f"<p>{text}</p>")


def value_cell(value, unit: str, lang: str, when: str = "", links: str = "", note: str = "") -> Markup:
    """``≥ 72.000`` on one line, the date (and a conflict note) under it, then the evidence."""
    if value is None:
        return Markup(f'<span class="kh-note">{escape(label("no_data_cell", lang))}</span>')
    parts = [f"<strong>{escape(fmt.bounded(value, unit, lang))}</strong>"]
    sub = [s for s in (when, label(note, lang) if note else "") if s]
    if sub:
        parts.append(f'<br><span class="kh-note">{escape(" · ".join(sub))}</span>')
    if links:
        parts.append(f" {links}")
    return Markup("".join(parts))


# -- the cluster dashboard ------------------------------------------------------------------

def dashboard_table(dash: pd.DataFrame, ev: Evidence, lang: str) -> Markup:
    """One row per province, one column per indicator (value, date, bound, evidence)."""
    rows = []
    for prov, g in dash.groupby("province", sort=False):
        row = {"province": prov}
        for _, r in g.iterrows():
            when = fmt.period(r["period_start"], r["period_end"], lang) if r["value"] is not None else ""
            links = ev.links(r["keys"]) if r["keys"] else ""
            row[r["indicator"]] = value_cell(r["value"], r["unit"], lang, when, links, r["note"] if r["note"] == "conflict" else "")
        rows.append(row)
    return table(pd.DataFrame(rows), ["province", *INDICATORS], lang, max_visible=len(INDICATORS) + 1)


def dashboard_summary(dash: pd.DataFrame, lang: str) -> Markup:
    """How many provinces have any figure, and which have none."""
    has = dash.groupby("province", sort=False)["value"].apply(lambda v: any(x is not None for x in v))
    empty = [p for p, ok in has.items() if not ok]
    if not empty:
        return prose("dash_summary_all", lang, total=len(has))
    return prose("dash_summary", lang, with_data=len(has) - len(empty), total=len(has), empty=len(empty),
                 names=", ".join(empty))


def dashboard_others(df: pd.DataFrame, dash: pd.DataFrame, provinces: list[str], ev: Evidence, lang: str) -> Markup:
    """What else the articles state inside these provinces (other levels, stages, indicators):
    the latest figure of each area × indicator × stage × part not already in the table above."""
    used = {k for keys in dash["keys"] for k in keys}
    from analysis.reports.evidence import figure_key

    inside = df[df["province"].isin(provinces) & (df["period_end"].astype(str) != "")]
    inside = inside[[figure_key(r) not in used for _, r in inside.iterrows()]]
    if inside.empty:
        return prose("dash_others_none", lang)
    key = ["entity", "level", "metric", "stage", "subgroup"]
    latest = inside[inside["period_end"] == inside.groupby(key)["period_end"].transform("max")]
    return figures_table(latest, ev, lang)


def dashboard_trends(df: pd.DataFrame, provinces: list[str], ev: Evidence, lang: str) -> list:
    """Small multiples: members (stocks) and fund raised per year (12-month flows)."""
    charts = []
    for metric, months, key, unit in [("members", None, "trend_members", "count"),
                                      ("fund_raised", 12, "trend_fund", "vnd")]:
        pts = trend_points(df, provinces, metric, "actual", months)
        finding = _finding(pts, unit, lang)
        charts.append(viz.small_multiples(pts, provinces, lang, label(key, lang).format(finding=finding), unit,
                                          label(metric, lang), ev))
    return charts


def _finding(pts: pd.DataFrame, unit: str, lang: str) -> str:
    """The longest province series, first → last, and how many provinces have any point."""
    if pts.empty:
        return label("finding_none", lang)
    panel, g = max(pts.groupby("panel", sort=True), key=lambda kv: (kv[1]["x"].nunique(), kv[0]))
    return label("finding_panels", lang).format(panel=panel, finding=viz.series_finding(g, unit, lang),
                                                k=pts["panel"].nunique())


def coverage_view(df: pd.DataFrame, provinces: list[str], lang: str) -> list:
    """Province × year heat map of the figures, and how many figures are undated."""
    grid = coverage_grid(df, provinces)
    total = int(grid.to_numpy().sum()) if not grid.empty else 0
    undated = int((df["province"].isin(provinces) & df["year"].isna()).sum())
    title = label("coverage_title", lang).format(total=fmt.number(total, lang))
    return [viz.coverage_chart(grid, lang, title), prose("coverage_note", lang, undated=fmt.number(undated, lang))]


# -- figures tables (overview, province profile) ------------------------------------------------

def figures_rows(rows: pd.DataFrame, ev: Evidence, lang: str) -> pd.DataFrame:
    """Figure rows with every cell in words: value with its bound and unit, period, evidence."""
    out = pd.DataFrame({
        "entity": rows["entity"].astype(str),
        "metric": [label(m, lang) for m in rows["metric"]],
        "stage": [label(s, lang) for s in rows["stage"]],
        "value": [fmt.value(r["value"], r["unit"], lang, r["bound"], r["value_max"]) for _, r in rows.iterrows()],
        "period": [fmt.period(r["period_start"], r["period_end"], lang) for _, r in rows.iterrows()],
        "subgroup": rows["subgroup"].astype(str),
        "level": [label(x, lang) for x in rows["level"]],
        "evidence": [ev.links(r) for _, r in rows.iterrows()],
    })
    return out


def figures_table(rows: pd.DataFrame, ev: Evidence, lang: str, caption: str = "") -> Markup:
    """Figure rows, sorted by area, indicator, stage and date, as a readable table."""
    if rows.empty:
        return table(rows, [], lang)
    ordered = rows.sort_values(["entity", "metric", "stage", "period_end", "source_id"])
    return table(figures_rows(ordered, ev, lang), FIGURE_COLUMNS, lang, caption=caption)


# -- fund intensity ------------------------------------------------------------------------------

def intensity_keys(df: pd.DataFrame, r) -> pd.DataFrame:
    """The figure rows one fund-intensity row rests on: the fund, awards and recipients of its
    period, and the members count it was divided by."""
    same = (df["entity"] == r["entity"]) & (df["level"] == r["level"]) & (df["province"] == r["province"])
    listed = r["sources"] if isinstance(r["sources"], list | tuple | set) else str(r["sources"]).split(";")
    sources = {s.strip() for part in listed for s in str(part).replace(" (sum of parts)", "").split(",") if s.strip()}
    mine = df[same & df["source_id"].isin(sources) & (df["stage"] == "actual")]
    period = str(r["period"])
    flows = mine[mine["metric"].isin(["fund_raised", "awards_paid", "award_recipients"])]
    flows = flows[[f"{a} → {b}" == period or (not a and period.endswith(b)) for a, b in
                   zip(flows["period_start"], flows["period_end"], strict=True)]]
    members = mine[(mine["metric"] == "members") & (mine["period_end"] == r["members_as_of"])]
    return pd.concat([flows, members])


def intensity_table(tab: pd.DataFrame, df: pd.DataFrame, ev: Evidence, lang: str, caption: str = "") -> Markup:
    """Fund intensity rows in words: the fund, the members it was divided by (and when they
    were counted), per member, per inhabitant, awards' share, đồng per recipient, evidence."""
    if tab.empty:
        return table(tab, [], lang)
    rows = []
    for _, r in tab.iterrows():
        period = _period_from_label(r["period"], lang)
        rows.append({
            "entity": r["entity"], "period": period, "kind": label(r["period_kind"], lang),
            "fund_vnd": fmt.bounded(r["fund_vnd"], "vnd", lang),
            "fund_per_member_vnd": fmt.bounded(r["fund_per_member_vnd"], "vnd", lang),
            "members": fmt.bounded(r["members"], "count", lang),
            "members_as_of": fmt.day(r["members_as_of"], lang) if r["members_as_of"] else None,
            "evidence": ev.links(intensity_keys(df, r)),
            "fund_per_inhabitant_vnd": fmt.bounded(r["fund_per_inhabitant_vnd"], "vnd", lang),
            "awards_share_of_fund_pct": fmt.bounded(r["awards_share_of_fund_pct"], "percent", lang),
            "vnd_per_recipient": fmt.bounded(r["vnd_per_recipient"], "vnd", lang),
            "level": label(r["level"], lang),
            "flags": _flags(r.get("flags"), lang),
            "fund_per_member_per_year_vnd": fmt.bounded(r.get("fund_per_member_per_year_vnd"), "vnd", lang),
        })
    cols = ["entity", "period", "fund_vnd", "members", "fund_per_member_vnd", "flags", "evidence",
            "kind", "members_as_of", "fund_per_member_per_year_vnd", "awards_share_of_fund_pct",
            "fund_per_inhabitant_vnd", "vnd_per_recipient", "level"]
    return table(pd.DataFrame(rows), cols, lang, caption=caption)


def province_intensity_keys(df: pd.DataFrame, r) -> pd.DataFrame:
    """The figure rows a province row rests on: the fund figures (provincial or of its districts)
    of its period and the members count, from the row's sources."""
    end = str(r["period"]).split("→")[-1].replace("as of", "").strip()
    mine = df[(df["province"] == r["province"]) & df["source_id"].isin(list(r["sources"])) & (df["stage"] == "actual")]
    funds = mine[(mine["metric"] == "fund_raised") & (mine["period_end"] == end)]
    return pd.concat([funds, mine[mine["metric"] == "members"]])


def province_intensity_table(rows: pd.DataFrame, df: pd.DataFrame, ev: Evidence, lang: str) -> Markup:
    """One row per cluster province and fund period: the provincial figure, the sum of every
    district (only when all are covered) or *partial* with the share of districts covered."""
    if rows.empty:
        return table(rows, [], lang)
    out = []
    for _, r in rows.iterrows():
        k, _, n = str(r["districts_covered"]).partition("/")
        status = label(f"ip_{r['status']}", lang).format(k=k, n=n, share=fmt.percent(100 * r["share_covered"], lang, 0))
        out.append({"province": r["province"], "period": _period_from_label(r["period"], lang) if r["period"] else None,
                    "status": status, "fund_vnd": fmt.bounded(r["fund_vnd"], "vnd", lang),
                    "members": fmt.bounded(r["members"], "count", lang),
                    "fund_per_member_vnd": fmt.bounded(r["fund_per_member_vnd"], "vnd", lang),
                    "evidence": ev.links(province_intensity_keys(df, r)) if r["sources"] else None,
                    "fund_per_inhabitant_vnd": fmt.bounded(r["fund_per_inhabitant_vnd"], "vnd", lang)})
    cols = ["province", "period", "status", "fund_vnd", "members", "fund_per_member_vnd", "evidence",
            "fund_per_inhabitant_vnd"]
    return table(pd.DataFrame(out), cols, lang)


def _flags(flags, lang: str) -> str:
    """The statistics' warnings on a row (over 100 %, awards above the fund…) in the page's words;
    an empty cell (not "—", which says an article is silent) when there is none."""
    if isinstance(flags, str):
        flags = [flags] if flags else []
    if not isinstance(flags, list | tuple | set):
        flags = []
    return "; ".join(label(str(f), lang) for f in flags) or Markup("")


def _period_from_label(text: str, lang: str) -> str:
    """The stats' period label (``start → end``, ``as of end``) in the page's words."""
    text = str(text)
    if " → " in text:
        a, b = text.split(" → ", 1)
        return fmt.period(a, b, lang)
    if text.startswith("as of "):
        return fmt.period("", text.removeprefix("as of "), lang)
    return label("undated", lang)


def intensity_chart(tab: pd.DataFrame, df: pd.DataFrame, ev: Evidence, lang: str, title: str) -> list:
    """Fund per member, one marker per area × period, one chart per period kind."""
    charts = []
    for kind, g in tab.groupby("period_kind", sort=True):
        g = g[[v is not None for v in g["fund_per_member_vnd"]]]
        if g.empty:
            continue
        pts = pd.DataFrame({
            "name": [f"{e} · {_period_from_label(p, lang)}" for e, p in zip(g["entity"], g["period"], strict=True)],
            "value": [v.value for v in g["fund_per_member_vnd"]],
            "value_max": [v.value_max for v in g["fund_per_member_vnd"]],
            "bound": [v.bound for v in g["fund_per_member_vnd"]],
            "keys": [[tuple(k) for k in _keys(intensity_keys(df, r))] for _, r in g.iterrows()],
        })
        best = pts.loc[pts["value"].idxmax()]
        finding = f"{label(kind, lang).capitalize()}: {label('highest', lang)} {best['name']} " \
                  f"{fmt.value(best['value'], 'vnd', lang, best['bound'], best['value_max'])}"
        charts.append(viz.dot_chart(pts, "name", "value", "vnd", lang, finding, label("fund_per_member", lang),
                                    evidence_col="keys", evidence=ev))
    return charts


def _keys(rows: pd.DataFrame) -> list[tuple]:
    from analysis.reports.evidence import figure_key

    return [figure_key(r) for _, r in rows.iterrows()]


# -- attainment -----------------------------------------------------------------------------------

def rates_table(rates: pd.DataFrame, df: pd.DataFrame, ev: Evidence, lang: str) -> Markup:
    """Each province's stated rates (a province with none reads *no data*)."""
    rows = []
    for _, r in rates.iterrows():
        if r["status"] == "no data":
            rows.append({"province": r["province"], "metric": None, "stage": None, "rate": None, "period": None,
                         "evidence": None, "base": None, "flags": None})
            continue
        fig = _figure_of(df, r)
        rows.append({"province": r["province"], "metric": label(r["metric"], lang), "stage": label(r["stage"], lang),
                     "rate": fmt.value(r["value"], "percent", lang, r["bound"]),
                     "period": fmt.period(fig["period_start"].iloc[0] if not fig.empty else "", r["period_end"], lang),
                     "evidence": ev.links(fig) if not fig.empty else None,
                     "base": base_label(r["base"], lang) if r.get("base") else None, "flags": _flags(r.get("flag"), lang)})
    return table(pd.DataFrame(rows), ["province", "metric", "stage", "base", "rate", "period", "evidence", "flags"],
                 lang, max_visible=8)


def _figure_of(df: pd.DataFrame, r) -> pd.DataFrame:
    return df[(df["entity"] == r["province"]) & (df["level"] == "province") & (df["metric"] == r["metric"])
              & (df["stage"] == r["stage"]) & (df["period_end"] == r["period_end"]) & (df["source_id"] == r["source_id"])
              & (df["value"].astype(float) == float(r["value"]))]


def rates_chart(rates: pd.DataFrame, df: pd.DataFrame, ev: Evidence, lang: str, cluster: str) -> viz.Chart:
    """One marker per stated rate (colour: stage), provinces without a rate marked *no data*."""
    got = rates[rates["status"] == "reported"].copy()
    missing = [p for p in rates["province"].unique() if p not in set(got["province"])]
    got["keys"] = [_keys(_figure_of(df, r)) for _, r in got.iterrows()]
    got["value_max"] = float("nan")
    title = label("rates_title", lang).format(n=got["province"].nunique(), total=rates["province"].nunique(),
                                               cluster=cluster)
    return viz.dot_chart(got, "province", "value", "percent", lang, title, label("rate", lang), colour_col="stage",
                         evidence_col="keys", evidence=ev, missing_names=missing, order=list(rates["province"].unique()))


def conversion_table(conv: pd.DataFrame, df: pd.DataFrame, ev: Evidence, lang: str) -> Markup:
    """Registered → achieved on the same area, model and period, with both figures linked."""
    rows = []
    for _, r in conv.iterrows():
        figs = df[(df["entity"] == r["entity"]) & (df["metric"] == r["metric"]) & (df["period_start"] == r["period_start"])
                  & (df["period_end"] == r["period_end"]) & df["stage"].isin(["registered", "achieved"])
                  & df["source_id"].isin(list(r["source_ids"]))]  # the ids, never the display string
        rows.append({"entity": r["entity"], "metric": label(r["metric"], lang),
                     "period": fmt.period(r["period_start"], r["period_end"], lang),
                     "registered_count": fmt.bounded(r["registered"], "count", lang),
                     "achieved_count": fmt.bounded(r["achieved"], "count", lang),
                     "conversion_pct": fmt.bounded(r["conversion_pct"], "percent", lang),
                     "evidence": ev.links(figs), "flags": _flags(r.get("flag"), lang)})
    return table(pd.DataFrame(rows), ["entity", "metric", "period", "registered_count", "achieved_count",
                                      "conversion_pct", "evidence", "flags"], lang)


def households_table(fph: pd.DataFrame, df: pd.DataFrame, ev: Evidence, lang: str) -> Markup:
    """Achieved learning families per 2019 census household."""
    rows = []
    for _, r in fph.iterrows():
        figs = df[(df["entity"] == r["entity"]) & (df["metric"] == "learning_families") & (df["stage"] == "achieved")
                  & (df["period_end"] == r["period_end"]) & (df["source_id"] == r["source_id"])]
        rows.append({"entity": r["entity"], "period": fmt.period("", r["period_end"], lang),
                     "learning_families": fmt.bounded(r["families"], "count", lang),
                     "households_2019": fmt.number(r["households_2019"], lang),
                     "families_per_household_pct": fmt.bounded(r["families_per_household_pct"], "percent", lang),
                     "evidence": ev.links(figs), "estimate_kind": _flags(r.get("estimate"), lang),
                     "flags": _flags(r.get("flag"), lang)})
    return table(pd.DataFrame(rows), ["entity", "period", "learning_families", "households_2019",
                                      "families_per_household_pct", "estimate_kind", "evidence", "flags"], lang)


def targets_table(dist: pd.DataFrame, df: pd.DataFrame, ev: Evidence, lang: str) -> Markup:
    """Each stated target beside the latest outcome of the same area and indicator."""
    rows = []
    for _, r in dist.iterrows():
        figs = df[(df["entity"] == r["entity"]) & (df["metric"] == r["metric"]) & df["source_id"].isin(list(r["source_ids"]))
                  & df["stage"].isin(["target", "achieved", "actual"])]
        unit = "percent" if str(r["metric"]).endswith("_rate") else "count"
        a, b = (str(r["target_period"]).split(" → ") + [""])[:2]
        gap = r.get("gap_to_target", r.get("gap_to_target_lower_end"))
        rows.append({"entity": r["entity"], "metric": label(r["metric"], lang),
                     "target_value": fmt.bounded(r["target"], unit, lang), "target_period": fmt.period(a, b, lang),
                     "latest_outcome": fmt.bounded(r["latest_outcome"], unit, lang),
                     "outcome_as_of": fmt.day(r["outcome_as_of"], lang) if r["outcome_as_of"] else None,
                     "gap": fmt.bounded(gap, unit, lang) if hasattr(gap, "bound") else
                     (None if fmt.is_missing(gap) else fmt.value(gap, unit, lang)),
                     "evidence": ev.links(figs)})
    return table(pd.DataFrame(rows), ["entity", "metric", "target_value", "target_period", "latest_outcome",
                                      "gap", "evidence", "outcome_as_of"], lang)


def frame(df: pd.DataFrame, columns: list[str], lang: str, caption: str = "", **kw) -> Markup:
    """Any small table of text (articles, residue, curation log) with headers in words."""
    cols = [c for c in columns if c in df]
    shown = df[cols].astype(object).where(df[cols].notna(), None)
    for c in cols:
        shown[c] = [v if isinstance(v, str | type(None)) else fmt.number(v, lang) for v in shown[c]]
    return table(shown, cols, lang, caption=caption, **kw)


# -- overview -------------------------------------------------------------------------------------

def articles_table(articles: pd.DataFrame, lang: str) -> Markup:
    """One row per article read: title, outlet, date, how many figures and numbers passed over."""
    if articles.empty:
        return prose("no_articles_table", lang)
    def col(name: str) -> pd.Series:
        return articles[name].astype(str) if name in articles else pd.Series([""] * len(articles), index=articles.index)

    shown = pd.DataFrame({
        "title": col("title").where(col("title") != "", articles["source_id"]),
        "outlet": col("outlet"),
        "published": [fmt.day(d, lang) for d in col("published")],
        "figures": [fmt.number(x, lang) if x.strip() else None for x in col("figures")],
        "residue": [fmt.number(x, lang) if x.strip() else None for x in col("residue")],
        "warnings": [warnings_text(w, lang) for w in col("warnings")],
        "source_id": articles["source_id"],
    })
    return frame(shown, ["title", "outlet", "published", "figures", "residue", "warnings", "source_id"], lang)


_TRAILING_DATE = re.compile(r"(: \d{4}-\d{2}-\d{2})$")


def warnings_text(warnings, lang: str) -> str:
    """An article's warnings (``; ``-separated, from articles.csv) in the page's language; the
    date a warning ends with (``…: 2023-06-30``) stays as written."""
    text = "" if warnings is None or warnings != warnings else str(warnings)
    out = []
    for w in text.split("; ") if text else []:
        head, date, _ = (_TRAILING_DATE.split(w) + ["", ""])[:3]
        out.append(how_text(head, lang) + date)
    return "; ".join(out)


def residue_view(residue: pd.DataFrame, lang: str) -> Markup:
    """Counts by reason, then every number passed over with its sentence (folded when long); the
    extractor's reasons in the page's language (their article words as written)."""
    if residue.empty:
        return prose("no_residue", lang)
    residue = residue.assign(reason=[how_text(r, lang) for r in residue["reason"]])
    counts = residue.groupby("reason").size().sort_values(ascending=False)
    summary = pd.DataFrame({"reason": counts.index, "numbers": [fmt.number(n, lang) for n in counts.to_numpy()]})
    return Markup(str(frame(summary, ["reason", "numbers"], lang))
                  + str(frame(residue, ["text", "reason", "quote", "source_id"], lang, max_rows=15)))


def _curation_word(column: str, value, lang: str):
    """A metric, action or status of the curation log in words (an unknown value as written)."""
    if not isinstance(value, str) or not value:
        return value
    key = value if column == "metric" else f"curation_{value}"
    text = label(key, lang)
    return value if text == key and column != "metric" else text


def curation_view(curation: pd.DataFrame, lang: str) -> Markup:
    """The curation log: each correction and whether it still applies."""
    if curation.empty:
        return prose("no_curation", lang)
    words = curation.assign(**{c: [_curation_word(c, v, lang) for v in curation[c]]
                               for c in ("metric", "action", "status") if c in curation})
    return frame(words, ["file", "line", "source_id", "metric", "action", "status", "detail", "start"], lang)


def conflicts_table(found: pd.DataFrame, df: pd.DataFrame, ev: Evidence, lang: str) -> Markup:
    """Each conflicting statement on its own row, with its evidence; none averaged away."""
    if found.empty:
        return prose("no_conflicts", lang)
    rows = []
    for _, r in found.iterrows():
        figs = df[(df["entity"] == r["entity"]) & (df["metric"] == r["metric"]) & (df["stage"] == r["stage"])
                  & (df["period_end"] == r["period_end"]) & (df["source_id"] == r["source_id"])
                  & (df["value"].astype(float) == float(r["value"]))]
        unit = figs["unit"].iloc[0] if not figs.empty else "count"
        rows.append({"entity": r["entity"], "metric": label(r["metric"], lang), "stage": label(r["stage"], lang),
                     "period": fmt.period(r["period_start"], r["period_end"], lang),
                     "value": fmt.value(r["value"], unit, lang, r["bound"]), "subgroup": r["subgroup"],
                     "evidence": ev.links(figs)})
    return table(pd.DataFrame(rows), ["entity", "metric", "stage", "period", "value", "evidence", "subgroup"], lang)


# -- province profile -----------------------------------------------------------------------------

def profile_intro(provinces: pd.DataFrame, province: str, lang: str) -> Markup:
    """The province's census numbers, cluster and 2025 successor in a sentence."""
    ref = provinces.set_index("province").loc[province]
    from analysis.table.clusters import cluster_label

    cluster = cluster_label(ref["cluster"]) if isinstance(ref["cluster"], str) and ref["cluster"] else label("not_known", lang)
    return prose("pp_intro", lang, province=province, kind=ref["province_type"],
                 population=fmt.number(ref["population_2019"], lang), households=fmt.number(ref["households_2019"], lang),
                 cluster=cluster, successor=ref["province_2025"], code=ref["code_2025"])


def districts_table(districts: pd.DataFrame, province: str, lang: str) -> Markup:
    """The province's districts in the reference table, with census numbers and 2025 successors."""
    known = districts[districts["province"] == province]
    if known.empty:
        return prose("no_districts", lang)
    shown = pd.DataFrame({"district_name": known["district"], "district_type": known["district_type"],
                          "population_2019": [fmt.number(x, lang) for x in known["population_2019"]],
                          "households_2019": [fmt.number(x, lang) for x in known["households_2019"]],
                          "successors_2025": known["successors_2025"]})
    return frame(shown, list(shown.columns), lang)


def profile_summary(here: pd.DataFrame, province: str, lang: str) -> Markup:
    """How many figures and articles speak of the province, and for which areas."""
    if here.empty:
        return prose("pp_none", lang, province=province)
    return prose("pp_summary", lang, figures=fmt.number(len(here), lang), articles=fmt.number(here["source_id"].nunique(), lang),
                 areas=", ".join(sorted(here["entity"].unique())))


def entity_coverage(here: pd.DataFrame, lang: str) -> list:
    """Area × year heat map of the figures of one province (the province and its districts)."""
    if here.empty:
        return []
    areas = sorted(here["entity"].unique())
    grid = coverage_grid(here.assign(province=here["entity"]), areas)
    title = label("coverage_title_areas", lang).format(total=fmt.number(int(grid.to_numpy().sum()), lang))
    return [viz.coverage_chart(grid, lang, title)]


def source_gaps_view(articles: pd.DataFrame, lang: str) -> Markup:
    """Articles without a row in sources.csv and rows without an article (``source_gap``)."""
    gaps = articles[articles["source_gap"].astype(str) != ""] if "source_gap" in articles else articles.iloc[0:0]
    if gaps.empty:
        return prose("no_source_gaps", lang)
    return frame(gaps, ["source_id", "source_gap", "title", "outlet"], lang)


# -- what a reviewer checks first (overview) ------------------------------------------------------

def unknown_subgroups_view(unknown: pd.DataFrame, lang: str) -> Markup:
    """Subgroup words the class table does not know, with how many rows use them and where."""
    if unknown.empty:
        return prose("no_unknown_subgroups", lang)
    shown = pd.DataFrame({"word": unknown["word"].astype(str), "rows": [fmt.number(n, lang) for n in unknown["rows"]],
                          "metric": [", ".join(label(m, lang) for m in str(ms).split(", ")) for ms in unknown["metrics"]],
                          "sources": [", ".join(s) for s in unknown["sources"]]})
    return frame(shown, ["word", "rows", "metric", "sources"], lang)


def rejected_view(rejected: pd.DataFrame, lang: str) -> Markup:
    """Rows the extractor produced that break the contract: the row, the rule, the article, the quote."""
    if rejected.empty:
        return prose("no_rejected", lang)
    rows = rejected.astype(str)
    shown = pd.DataFrame({
        "rule": rows.get("rule", ""), "source_id": rows.get("source_id", ""), "entity": rows.get("entity", ""),
        "metric": [label(m, lang) for m in rows.get("metric", pd.Series([""] * len(rows)))],
        "value": rows.get("value", ""),
        "period": [f"{a or '…'} → {b or '…'}" for a, b in zip(rows.get("period_start", ""), rows.get("period_end", ""),
                                                              strict=False)],
        "quote": rows.get("quote", ""), "stage": rows.get("stage", "")})
    return frame(shown, ["rule", "source_id", "entity", "metric", "value", "period", "quote", "stage"], lang)


def _how_cell(how, words, lang: str) -> str:
    """How a field was decided, in the page's language, then the article's words as written."""
    how, words = how_text(how, lang), "" if words is None or words != words else str(words)  # NaN: none
    return f"{how} ({words})" if words else how


def fallback_view(rows: pd.DataFrame, ev: Evidence, lang: str) -> Markup:
    """Figures whose entity or period came from a fallback, with how each was decided and the evidence."""
    if rows.empty:
        return prose("no_fallbacks", lang)
    shown = pd.DataFrame({
        "fallback": [", ".join(label(f"fallback_{w}", lang) for w in str(f).split()) for f in rows["fallback"]],
        "entity": rows["entity"].astype(str), "metric": [label(m, lang) for m in rows["metric"]],
        "value": [fmt.value(r["value"], r["unit"], lang, r["bound"], r["value_max"]) for _, r in rows.iterrows()],
        "period": [fmt.period(r["period_start"], r["period_end"], lang) for _, r in rows.iterrows()],
        "evidence": [ev.links(r) for _, r in rows.iterrows()],
        "entity_how": [_how_cell(h, w, lang) for h, w in zip(rows["entity_how"], rows["entity_words"], strict=True)],
        "period_how": [_how_cell(h, w, lang) for h, w in zip(rows["period_how"], rows["period_words"], strict=True)]})
    return table(shown, ["fallback", "entity", "metric", "value", "period", "evidence", "entity_how", "period_how"], lang)
