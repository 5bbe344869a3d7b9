"""Charts for the notebooks, in one seaborn theme, labelled in the report's language.

Every chart draws the rows it is given — one marker per row, lines only between the points of
one series — and never an estimate of them (no averaging, no error band). The marker's shape
says the figure's bound (● exact, ▲ at least, ▼ at most, ◆ about, ■ a range with its bar); the
palette is seaborn's colour-blind-safe one; time axes are in years; value axes carry their
unit and never a ``1e8`` offset. Each function returns a :class:`Chart`: the figure (kept for
tests, ``Chart.points`` lists what was drawn), its alt text, and the source line shown under
it with links into the page's Sources section.
"""

from __future__ import annotations

import base64
import io
import math

import pandas as pd

from analysis.reports import fmt
from analysis.reports.labels import label
from analysis.reports.safe import Markup, escape

MARKERS = {"exact": "o", "at_least": "^", "at_most": "v", "approx": "D", "range": "s", "unbounded": "X"}
WIDTH_IN = 10.0  # at 100 dpi: 1000 px, the page's text width; scaled down on small screens
DPI = 100


def theme():
    """The one theme of every report (call before drawing); returns (pyplot, seaborn)."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt
    import seaborn as sns

    sns.set_theme(style="whitegrid", context="notebook", palette="colorblind", rc={
        "figure.dpi": DPI, "savefig.dpi": DPI, "axes.formatter.useoffset": False,
        "axes.formatter.limits": (-30, 30), "axes.titlesize": 12, "axes.titleweight": "bold",
        "axes.titlelocation": "left", "axes.labelsize": 10, "xtick.labelsize": 9, "ytick.labelsize": 9,
        "legend.fontsize": 9, "font.family": ["DejaVu Sans"]})
    return plt, sns


def palette(n: int) -> list:
    """``n`` colours of seaborn's colour-blind-safe palette."""
    import seaborn as sns

    return sns.color_palette("colorblind", max(n, 1))[:n]


class Chart:
    """A drawn figure with its alt text and source line; shows as ``<figure><img alt>``."""

    def __init__(self, fig, alt: str, source: Markup | str = "", points: pd.DataFrame | None = None):
        self.fig, self.alt, self.source = fig, alt, source
        self.points = points if points is not None else pd.DataFrame()
        self._html = None

    def png(self) -> bytes:
        """The figure as PNG bytes (tight box, no software stamp)."""
        buf = io.BytesIO()
        self.fig.savefig(buf, format="png", dpi=DPI, bbox_inches="tight", metadata={"Software": None})
        return buf.getvalue()

    def html(self) -> str:
        """``<figure>`` with the embedded PNG, its escaped alt text and the source line."""
        if self._html is None:
            data = base64.b64encode(self.png()).decode("ascii")
            source = str(self.source) if isinstance(self.source, Markup) else escape(self.source)
            self._html = (f'<figure class="kh-chart"><img src="data:image/png;base64,{data}" alt="{escape(self.alt)}">'
                          f"<figcaption>{source}</figcaption></figure>")
        return self._html

    def _repr_html_(self) -> str:
        return self.html()


def source_line(lang: str, links: Markup | str = "") -> Markup:
    """``Nguồn: bảng số liệu khuyenhoc, trích từ các bài báo [1] [2]`` under a chart."""
    text = escape(label("chart_source", lang))
    return Markup(f"{text} {links}".strip())


def decimal_year(when) -> float:
    """A date as a year with its fraction (2023-06-30 → 2023.49): the time axis of every chart."""
    ts = pd.Timestamp(when)
    start = pd.Timestamp(year=ts.year, month=1, day=1)
    days = 366 if ts.is_leap_year else 365
    return ts.year + (ts - start).days / days


def value_axis(ax, unit: str, lang: str, values, axis: str = "y", name: str = "") -> float:
    """Ticks in the page's language and the unit in the axis label; money in tỷ/triệu đồng
    when large. Returns the divisor used (1, 1e6 or 1e9)."""
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    top = max([abs(float(v)) for v in values if not fmt.is_missing(v)] or [0])
    div, unit_key = 1.0, {"vnd": "money_unit", "percent": "percent_unit"}.get(unit, "count_unit")
    if unit == "vnd" and top >= 1e9:
        div, unit_key = 1e9, "money_bn"
    elif unit == "vnd" and top >= 1e6:
        div, unit_key = 1e6, "money_mn"
    target = ax.yaxis if axis == "y" else ax.xaxis
    target.set_major_locator(MaxNLocator(nbins=6, min_n_ticks=3))
    target.set_major_formatter(FuncFormatter(lambda v, _pos: fmt.number(v / div, lang, 2 if div > 1 or top < 10 else 0)))
    text = f"{name} ({label(unit_key, lang)})" if name else label(unit_key, lang)
    (ax.set_ylabel if axis == "y" else ax.set_xlabel)(text)
    return div


def time_x(start, end) -> float:
    """Where a figure stands on a time axis: a flow at the middle of its period (the year 2019
    at 2019.5, inside the band labelled 2019), a stock at its as-of date."""
    if fmt.is_missing(start) or not str(start):
        return decimal_year(end)
    return (decimal_year(start) + decimal_year(end)) / 2


def year_axis(ax, lang: str, years: list[float], nbins: int = 12) -> None:
    """Years as bands: grid lines on 1 January, each year's label in the middle of its band, so a
    stock as of 31/12/2019 sits at the end of 2019 (not on a 2020 tick)."""
    from matplotlib.ticker import FixedLocator, FuncFormatter, MultipleLocator, NullFormatter

    lo, hi = (math.floor(min(years)), math.floor(max(years))) if years else (2015, 2025)
    step = next(s for s in (1, 2, 5, 10) if (hi - lo + 1) / s <= nbins)
    lo -= lo % step
    ax.set_xlim(lo - 0.15, hi + 1.15)  # room for a marker on 1 January or 31 December
    ax.xaxis.set_major_locator(MultipleLocator(step))
    year = FuncFormatter(lambda v, _pos: f"{int(round(v))}")
    if step == 1:  # each label in the middle of its year
        ax.xaxis.set_major_formatter(NullFormatter())
        ax.xaxis.set_minor_locator(FixedLocator([y + 0.5 for y in range(lo, hi + 1)]))
        ax.xaxis.set_minor_formatter(FuncFormatter(lambda v, _pos: f"{int(math.floor(v))}"))
        ax.tick_params(axis="x", which="minor", length=0)
    else:  # several years a band: labels on the 1 January lines
        ax.xaxis.set_major_formatter(year)
    ax.tick_params(axis="x", which="major", length=3)
    ax.set_xlabel(label("year", lang))


def bound_legend(ax, bounds, lang: str, series: dict | None = None, loc: str = "best") -> None:
    """One legend: series colours, then the marker shapes of the bounds present."""
    from matplotlib.lines import Line2D

    handles = [Line2D([], [], color=c, marker="o", linestyle="-", label=name) for name, c in (series or {}).items()]
    for b in [b for b in MARKERS if b in set(bounds)]:
        handles.append(Line2D([], [], color="0.35", marker=MARKERS[b], linestyle="none", label=label(f"bound_{b}", lang)))
    if handles:
        ax.legend(handles=handles, loc=loc, frameon=True, framealpha=0.9)


def _draw_points(ax, pts: pd.DataFrame, color, connect: bool = True, horizontal: bool = False) -> None:
    """Markers by bound (one per row), a line through the series, bars for ranges."""
    pts = pts.sort_values("x") if not horizontal else pts
    if connect and len(pts) > 1:
        ax.plot(pts["x"], pts["y"], color=color, linewidth=1.6, alpha=0.8, zorder=2)
    for bound, g in pts.groupby("bound", sort=True):
        if horizontal:
            ax.scatter(g["y"], g["x"], marker=MARKERS.get(bound, "o"), color=color, s=55, zorder=3, edgecolor="white")
        else:
            ax.scatter(g["x"], g["y"], marker=MARKERS.get(bound, "o"), color=color, s=55, zorder=3, edgecolor="white")
    ranged = pts[(pts["bound"] == "range") & pts["y_max"].notna()] if "y_max" in pts else pts.iloc[0:0]
    for _, r in ranged.iterrows():
        if horizontal:
            ax.hlines(r["x"], r["y"], r["y_max"], color=color, linewidth=2, zorder=2)
        else:
            ax.vlines(r["x"], r["y"], r["y_max"], color=color, linewidth=2, zorder=2)


def _close(fig):
    import matplotlib.pyplot as plt

    fig.tight_layout()
    plt.close(fig)  # shown once, through Chart's HTML
    return fig


def empty_chart(title: str, lang: str) -> Chart:
    """A short panel that says *no data* under the chart's title (never a blank image)."""
    plt, _ = theme()
    fig, ax = plt.subplots(figsize=(WIDTH_IN, 1.6))
    ax.text(0.5, 0.5, label("no_data", lang), ha="center", va="center", transform=ax.transAxes, color="0.3")
    ax.set_axis_off()
    ax.set_title(title)
    return Chart(_close(fig), f"{title}: {label('no_data', lang)}")


# -- series over time (trends, dashboard) ----------------------------------------------------

def _series_name(stage: str, subgroup: str, lang: str) -> str:
    return label(stage, lang) + (f" · {subgroup}" if subgroup else "")


def series_points(s: pd.DataFrame) -> pd.DataFrame:
    """The rows of a series that a time chart draws: dated ones, x in decimal years."""
    d = s[s["period_end"].astype(str) != ""].copy()
    d["x"] = [time_x(a, b) for a, b in zip(d["period_start"], d["period_end"], strict=True)]
    d["y"] = d["value"].astype(float)
    d["y_max"] = pd.to_numeric(d["value_max"], errors="coerce")
    return d


def series_finding(pts: pd.DataFrame, unit: str, lang: str) -> str:
    """``400.000 → 486.203 (2019–2023)`` for the longest series; one point reads as itself."""
    if pts.empty:
        return label("no_data", lang)
    longest = max((g for _, g in pts.groupby(["stage", "subgroup"], sort=True)), key=len).sort_values("x")
    a, b = longest.iloc[0], longest.iloc[-1]
    first = fmt.value(a["value"], unit, lang, a["bound"], a.get("value_max"))
    if len(longest) == 1:
        return f"{first} ({fmt.period(a['period_start'], a['period_end'], lang)})"
    last = fmt.value(b["value"], unit, lang, b["bound"], b.get("value_max"))
    return f"{first} → {last} ({int(a['x'])}–{int(b['x'])})"


def plot_series(s: pd.DataFrame, metric: str, lang: str = "vi", evidence=None):
    """One chart per period kind (a year, a half-year, a stock are never on one chart) of an
    area's figures of ``metric``; one coloured series per stage and subgroup."""
    from analysis.reports.tables import show
    from analysis.table.shapes import period_shape

    if s.empty:
        return empty_chart(label(metric, lang), lang)
    s = s.copy()
    s["shape"] = s.apply(period_shape, axis=1)
    charts = [series_chart(g, metric, lang, evidence, shape) for shape, g in s.groupby("shape", sort=True)]
    return charts[0] if len(charts) == 1 else show(*charts)


def series_chart(s: pd.DataFrame, metric: str, lang: str = "vi", evidence=None, shape: str = "") -> Chart:
    """Points of one metric and one period kind over time."""
    plt, _ = theme()
    unit = str(s["unit"].iloc[0]) if "unit" in s and not s.empty else "count"
    pts = series_points(s)
    title = f"{label(metric, lang)}{' · ' + label('shape_' + shape.split('-')[0], lang) if shape else ''}: " \
            f"{series_finding(pts, unit, lang)}"
    if pts.empty:
        return empty_chart(title, lang)
    fig, ax = plt.subplots(figsize=(WIDTH_IN, 4.2))
    groups = list(pts.groupby(["stage", "subgroup"], sort=True))
    colours = dict(zip([_series_name(st, sg, lang) for (st, sg), _ in groups], palette(len(groups)), strict=True))
    for (stage, sub), g in groups:
        _draw_points(ax, g, colours[_series_name(stage, sub, lang)])
    year_axis(ax, lang, list(pts["x"]))
    value_axis(ax, unit, lang, list(pts["y"]) + list(pts["y_max"].dropna()), name=label(metric, lang))
    ax.set_ylim(bottom=0)
    ax.set_title(title)
    bound_legend(ax, pts["bound"], lang, colours)
    alt = label("alt_series", lang).format(title=title, n=len(pts))
    links = evidence.links(pts) if evidence is not None else ""
    return Chart(_close(fig), alt, source_line(lang, links), pts[["x", "y", "bound"]])


# -- one value per row (rates across provinces, fund per member) -------------------------------

def dot_chart(rows: pd.DataFrame, name_col: str, value_col: str, unit: str, lang: str, title: str,
              axis_name: str, colour_col: str | None = None, evidence_col: str | None = None,
              evidence=None, missing_names: list[str] = (), order: list[str] | None = None) -> Chart:
    """A horizontal dot plot: one marker per row (its bound as the shape), rows named by
    ``name_col`` in the order given; names in ``missing_names`` get a *no data* line."""
    plt, _ = theme()
    names = list(dict.fromkeys(list(order or []) + list(rows[name_col]) + list(missing_names)))
    if not names:
        return empty_chart(title, lang)
    fig, ax = plt.subplots(figsize=(WIDTH_IN, 0.42 * len(names) + 1.6))
    ypos = {n: i for i, n in enumerate(names)}
    pts = rows.assign(x=[ypos[n] for n in rows[name_col]], y=rows[value_col].astype(float))
    if "value_max" in rows:
        pts["y_max"] = pd.to_numeric(rows["value_max"], errors="coerce")
    groups = list(pts.groupby(colour_col, sort=True)) if colour_col else [("", pts)]
    colours = dict(zip([label(k, lang) if k else "" for k, _ in groups], palette(len(groups)), strict=True))
    for key, g in groups:
        _draw_points(ax, g, colours[label(key, lang) if key else ""], connect=False, horizontal=True)
    for n in missing_names:
        ax.text(0, ypos[n], "  " + label("no_data", lang), va="center", fontsize=9, color="0.3")
    ax.set_yticks(range(len(names)), names)
    ax.set_ylim(len(names) - 0.5, -0.5)
    value_axis(ax, unit, lang, list(pts["y"]) + list(pts.get("y_max", pd.Series(dtype=float)).dropna()),
               axis="x", name=axis_name)
    top = max(list(pts["y"]) + list(pts.get("y_max", pd.Series(dtype=float)).dropna()) + [0])
    ax.set_xlim(0, max(top * 1.12, 100 if unit == "percent" else 1))
    ax.set_title(title)
    bound_legend(ax, pts["bound"], lang, {k: v for k, v in colours.items() if k}, loc="best")
    alt = label("alt_dots", lang).format(title=title, n=len(pts), missing=len(missing_names))
    links = ""
    if evidence is not None and evidence_col:
        keys = [k for ks in pts[evidence_col] for k in ks]
        links = evidence.links(keys)
    return Chart(_close(fig), alt, source_line(lang, links), pts[["x", "y", "bound"]])


# -- coverage and small multiples (dashboard, overview) -----------------------------------------

def coverage_chart(grid: pd.DataFrame, lang: str, title: str) -> Chart:
    """Heat map of how many figures each row (area) has per year; 0 cells are blank-coloured."""
    plt, sns = theme()
    if grid.empty:
        return empty_chart(title, lang)
    fig, ax = plt.subplots(figsize=(WIDTH_IN, 0.42 * len(grid) + 1.8))
    sns.heatmap(grid, annot=True, fmt="d", cbar=False, cmap="Blues", ax=ax, linewidths=0.5, linecolor="white",
                annot_kws={"fontsize": 9})
    ax.set_xlabel(label("year", lang))
    ax.set_ylabel("")
    ax.tick_params(axis="x", rotation=0)
    ax.tick_params(axis="y", rotation=0)
    ax.set_title(title)
    total = int(grid.to_numpy().sum())
    alt = label("alt_coverage", lang).format(title=title, total=fmt.number(total, lang), rows=len(grid),
                                             years=f"{grid.columns[0]}–{grid.columns[-1]}")
    return Chart(_close(fig), alt, source_line(lang))


def small_multiples(points: pd.DataFrame, panels: list[str], lang: str, title: str, unit: str, axis_name: str,
                    evidence=None, cols: int = 4) -> Chart:
    """One panel per area (``points['panel']``), shared axes, each row a marker, a line through
    each area's points; an area with none says *no data*."""
    plt, _ = theme()
    if points.empty or not panels:
        return empty_chart(title, lang)
    rows = math.ceil(len(panels) / cols)
    fig, axes = plt.subplots(rows, cols, figsize=(WIDTH_IN, 2.1 * rows + 0.9), sharex=True, sharey=True, squeeze=False)
    colour = palette(1)[0]
    years = list(points["x"])
    for i, name in enumerate(panels):
        ax = axes[i // cols][i % cols]
        g = points[points["panel"] == name]
        ax.set_title(name, fontsize=10, loc="left", fontweight="normal")
        if g.empty:
            ax.text(0.5, 0.5, label("no_data", lang), ha="center", va="center", transform=ax.transAxes,
                    fontsize=9, color="0.3")
        else:
            _draw_points(ax, g, colour)
    for j in range(len(panels), rows * cols):
        axes[j // cols][j % cols].set_axis_off()
    first = axes[0][0]
    year_axis(first, lang, years, nbins=max(3, 24 // cols))
    value_axis(first, unit, lang, list(points["y"]) + list(points.get("y_max", pd.Series(dtype=float)).dropna()))
    unit_text = first.get_ylabel()
    first.set_ylim(bottom=0)
    for ax in axes.flat:
        ax.set_xlabel("")
        ax.set_ylabel("")
    fig.supxlabel(label("year", lang), fontsize=10)
    fig.supylabel(f"{axis_name} ({unit_text})", fontsize=10)
    fig.suptitle(title, x=0.01, ha="left", fontsize=12, fontweight="bold")
    bound_legend(axes[0][0], points["bound"], lang, loc="lower right")
    alt = label("alt_multiples", lang).format(title=title, panels=len(panels), n=len(points))
    links = evidence.links(list(points["key"])) if evidence is not None and "key" in points else ""
    return Chart(_close(fig), alt, source_line(lang, links), points[["x", "y", "bound"]])
