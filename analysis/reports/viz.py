"""Charts for the notebooks (seaborn), labelled in the report's language. Each returns the
matplotlib figure so a notebook cell shows it; none reads data of its own."""

from __future__ import annotations

import pandas as pd

from analysis.reports.labels import format_number, label
from analysis.stats.bounds import SYMBOL


def _setup():
    import matplotlib

    matplotlib.rcParams["figure.dpi"] = 90
    matplotlib.rcParams["svg.fonttype"] = "none"
    import matplotlib.pyplot as plt
    import seaborn as sns

    sns.set_theme(style="whitegrid", context="notebook")
    return plt, sns


def plot_series(s: pd.DataFrame, metric: str, lang: str = "en"):
    plt, sns = _setup()
    fig, ax = plt.subplots(figsize=(7, 3.6))
    data = s.dropna(subset=["when"]).assign(series=lambda d: d["stage"].map(lambda x: label(x, lang))
                                            + d["subgroup"].map(lambda x: f" · {x}" if x else "")
                                            + " · " + d["shape"])
    sns.lineplot(data=data, x="when", y="value", hue="series", style="series", markers=True, dashes=False, ax=ax)
    for _, r in data.iterrows():
        ax.annotate(SYMBOL.get(r["bound"], "") + format_number(r["value"], lang), (r["when"], r["value"]),
                    textcoords="offset points", xytext=(0, 6), ha="center", fontsize=8)
    ax.set_title(label(metric, lang))
    ax.set_xlabel(label("period", lang))
    ax.set_ylabel(label(metric, lang))
    fig.tight_layout()
    plt.close(fig)  # shown once, by display(), not again by the inline backend
    return fig


def plot_rates(table: pd.DataFrame, lang: str = "en"):
    plt, sns = _setup()
    fig, ax = plt.subplots(figsize=(7, 0.45 * max(4, table["province"].nunique()) + 1))
    data = table.assign(value=table["value"].fillna(0.0),
                        stage=table["stage"].replace("", "no_data").map(lambda x: label(x, lang)))
    sns.barplot(data=data, y="province", x="value", hue="stage", ax=ax, orient="h")
    for i, (_, r) in enumerate(table.drop_duplicates("province").iterrows()):
        if r["status"] == "no data":
            ax.text(1, i, label("no_data", lang), va="center", fontsize=8, color="0.4")
    ax.set_xlim(0, 105)
    ax.set_xlabel("%")
    ax.set_ylabel("")
    fig.tight_layout()
    plt.close(fig)  # shown once, by display(), not again by the inline backend
    return fig


def plot_points(table: pd.DataFrame, column: str, values: pd.Series, lang: str = "en"):
    plt, sns = _setup()
    data = table.assign(point=values, name=table["entity"] + " · " + table["period"])
    data = data.dropna(subset=["point"])
    fig, ax = plt.subplots(figsize=(7, 0.5 * max(3, len(data)) + 1))
    if data.empty:
        ax.text(0.5, 0.5, label("no_data", lang), ha="center", va="center", transform=ax.transAxes)
        ax.set_axis_off()
        plt.close(fig)
        return fig
    sns.barplot(data=data, y="name", x="point", ax=ax, orient="h", color="#4c72b0")
    for i, (_, r) in enumerate(data.iterrows()):
        ax.text(r["point"], i, " " + SYMBOL.get(r[column].bound, "") + format_number(r["point"], lang),
                va="center", fontsize=8)
    ax.set_xlabel(label(column, lang))
    ax.set_ylabel("")
    fig.tight_layout()
    plt.close(fig)  # shown once, by display(), not again by the inline backend
    return fig


def plot_coverage(cov: pd.DataFrame, lang: str = "en"):
    plt, sns = _setup()
    fig, ax = plt.subplots(figsize=(max(5, 0.7 * len(cov.columns) + 4), 0.3 * len(cov) + 1.5))
    if cov.empty:
        ax.set_axis_off()
        plt.close(fig)
        return fig
    sns.heatmap(cov, annot=True, fmt="d", cbar=False, cmap="Blues", ax=ax)
    ax.set_xlabel("")
    ax.set_ylabel("")
    fig.tight_layout()
    plt.close(fig)  # shown once, by display(), not again by the inline backend
    return fig
