"""Plain-matplotlib charts for the statistics notebooks (trends, cluster trends). Every marker
is one row of the table passed in: nothing is averaged, no band is estimated. The marker
says the bound: ▲ at least, ▼ at most, ◆ about / no guaranteed bound, ● exact; a hollow red
marker is a statement that disagrees with another for the same period."""

from __future__ import annotations

import math
import re

import pandas as pd

from analysis.reports.labels import format_number, label
from analysis.stats.bounds import SYMBOL

MARKER = {"exact": "o", "at_least": "^", "at_most": "v", "range": "s", "approx": "D", "unbounded": "D"}


_WORDS_VI = {"members per 100 inhabitants": "hội viên trên 100 dân", "share of all": "tỉ lệ trên tổng số",
             "share of registered": "tỉ lệ trên số đăng ký", "households": "hộ", "villages": "thôn, tổ dân phố",
             "communes": "xã, phường", "clans": "dòng họ", "units": "đơn vị", "citizens": "công dân",
             "models": "mô hình", "schools": "trường"}


def base_label(base: str, lang: str = "en") -> str:
    """What a rate is a share of (``all households``, ``registered villages`` from
    :func:`analysis.stats.wholes.rate_base`) in the report's language: ``tổng số hộ``,
    ``số thôn, tổ dân phố đã đăng ký``; an unknown word stays as written."""
    whole, _, unit = str(base).partition(" ")
    if lang != "vi" or whole not in ("all", "registered") or not unit:
        return str(base)
    unit = _WORDS_VI.get(unit, unit)
    return f"tổng số {unit}" if whole == "all" else f"số {unit} đã đăng ký"


_SHAPE = re.compile(r"(flow|stock|cumulative)(?:-(\d+)m)?")


def _shape_words(part: str, lang: str) -> str | None:
    """``flow-6m`` → ``over a period · 6 months`` (None when ``part`` is not a period kind)."""
    m = _SHAPE.fullmatch(part)
    if not m:
        return None
    words = label(f"shape_{m.group(1)}", lang)
    return f"{words} · {label('n_months', lang).format(n=m.group(2))}" if m.group(2) else words


def indicator_label(indicator: str, lang: str = "en") -> str:
    """An indicator of :mod:`analysis.stats.compare` in the report's language (metric and stage by
    the labels table, the base word by word, a period kind such as ``flow-6m`` in words)."""
    if indicator == "fund per member (đồng)":
        return label("fund_per_member_vnd", lang)
    if indicator == "members per 100 inhabitants":
        return _WORDS_VI[indicator] if lang == "vi" else indicator
    parts = []
    for i, p in enumerate(indicator.split(" · ")):
        shape = _shape_words(p, lang)
        if i < 2 or shape is not None:
            parts.append(label(p, lang) if shape is None else shape)
            continue
        for en, vi in _WORDS_VI.items() if lang == "vi" else ():
            p = p.replace(en, vi)
        parts.append(p)
    return " · ".join(parts)


def _plt():
    import matplotlib

    matplotlib.rcParams["figure.dpi"] = 90
    matplotlib.rcParams["svg.fonttype"] = "none"
    import matplotlib.pyplot as plt

    return plt


def _draw_points(ax, pts: pd.DataFrame, color: str, lang: str, annotate: bool = True) -> None:
    """One marker per row; a line joins consecutive rows that are not in conflict."""
    pts = pts.sort_values("when", kind="stable")
    plain = pts[pts["status"] != "conflict"]
    if len(plain) > 1:
        ax.plot(plain["when"], plain["value"], color=color, linewidth=1, alpha=0.6)
    for _, r in pts.iterrows():
        conflict = r["status"] == "conflict"  # hollow red: a source that disagrees with another
        ax.scatter([r["when"]], [r["value"]], marker=MARKER.get(r["bound"], "o"), zorder=3,
                   facecolors="none" if conflict else color, edgecolors="red" if conflict else color)
        if annotate:
            ax.annotate(SYMBOL.get(r["bound"], "") + format_number(r["value"], lang), (r["when"], r["value"]),
                        textcoords="offset points", xytext=(0, 6), ha="center", fontsize=8)


def _number_axis(ax, lang: str) -> None:
    from matplotlib.ticker import FuncFormatter

    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: format_number(v, lang)))


def _year_axis(ax, span_years: int) -> None:
    """Years named in the middle of their band (a stock as of 31/12/2019 sits at the end of 2019,
    not on a 2020 tick); every second or fifth year named when a narrow panel spans many."""
    import matplotlib.dates as mdates
    from matplotlib.ticker import FuncFormatter, NullFormatter

    step = 1 if span_years <= 6 else 2 if span_years <= 12 else 5
    ax.xaxis.set_major_locator(mdates.YearLocator())
    ax.xaxis.set_major_formatter(NullFormatter())
    ax.xaxis.set_minor_locator(mdates.MonthLocator(bymonth=7, bymonthday=1))
    ax.xaxis.set_minor_formatter(FuncFormatter(
        lambda v, _pos: str(mdates.num2date(v).year) if mdates.num2date(v).year % step == 0 else ""))
    ax.tick_params(axis="x", which="minor", length=0, labelsize=7)


def plot_headline(points: pd.DataFrame, title: str, lang: str = "en"):
    """A headline series (one kind of point): each row one marker, conflicting sources in red."""
    plt = _plt()
    fig, ax = plt.subplots(figsize=(7, 3.4))
    data = points.dropna(subset=["when"])
    if data.empty:
        ax.text(0.5, 0.5, label("no_data", lang), ha="center", va="center", transform=ax.transAxes)
        ax.set_axis_off()
    else:
        _draw_points(ax, data, "#4c72b0", lang)
        ax.margins(x=0.1, y=0.2)
        _number_axis(ax, lang)
    ax.set_title(title, fontsize=10)
    ax.set_xlabel(label("period", lang))
    fig.tight_layout()
    plt.close(fig)  # shown once, by display()
    return fig


def plot_province_panels(points: pd.DataFrame, medians: pd.DataFrame, indicator: str, provinces: list[str],
                         lang: str = "en", cols: int = 4):
    """One panel per province on shared axes for one indicator: the province's points, the
    cluster median of each year (grey bar) and the national figure (black ×) where known."""
    plt = _plt()
    rows_n = max(1, math.ceil(len(provinces) / cols))
    fig, axes = plt.subplots(rows_n, cols, figsize=(2.6 * cols, 2.2 * rows_n + 0.6), sharex=True, sharey=True,
                             squeeze=False)
    data = points[points["indicator"] == indicator].assign(when=lambda d: pd.to_datetime(d["period_end"]))
    med = medians[medians["indicator"] == indicator].assign(when=lambda d: pd.to_datetime(d["year"].astype(str) + "-12-31"))
    nat = data[data["level"] == "national"]
    for ax, prov in zip(axes.flat, provinces, strict=False):
        here = data[(data["area"] == prov) & (data["level"] == "province")]
        if not med.empty:
            ax.plot(med["when"], med["median"], color="0.45", linestyle="none", marker="_", markersize=14,
                    markeredgewidth=2)
        if not nat.empty:
            ax.scatter(nat["when"], nat["value"], marker="x", color="black", zorder=2)
        if here.empty:
            ax.text(0.5, 0.5, label("no_data", lang), ha="center", va="center", transform=ax.transAxes,
                    fontsize=8, color="0.4", zorder=5, bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.85})
        else:
            _draw_points(ax, here, "#4c72b0", lang, annotate=len(here) <= 4)
        ax.set_title(prov, fontsize=9)
        ax.tick_params(labelsize=7)
        _number_axis(ax, lang)
    years = pd.concat([data["when"], med["when"]]).dt.year
    for ax in axes.flat if not years.empty else ():
        _year_axis(ax, int(years.max() - years.min()) + 1)
    for ax in list(axes.flat)[len(provinces):]:
        ax.set_axis_off()
    fig.suptitle(indicator_label(indicator, lang), fontsize=10)
    fig.tight_layout()
    plt.close(fig)
    return fig
