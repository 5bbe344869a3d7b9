"""The statistics charts draw the data: every marker is a row of the table, nothing averaged."""

import numpy as np
import pytest

from analysis.reports.panels import plot_headline, plot_province_panels
from analysis.stats.compare import MEMBERS, cluster_medians, province_points
from analysis.stats.load import cluster_provinces, load_reference
from analysis.stats.trends import comparable_groups, headline_series


def _markers(ax):
    """(x, y) of every scatter marker drawn on an axis."""
    out = []
    for coll in ax.collections:
        out += [tuple(p) for p in np.asarray(coll.get_offsets())]
    return sorted(out)


def test_headline_chart_points_are_rows(stats_figures):
    """Hưng Yên members: 5 rows (two in conflict on one date) → 5 markers with the same values."""
    import matplotlib.dates as mdates

    ((_, g),) = list(comparable_groups(headline_series(stats_figures, ("Hưng Yên", "province", "Hưng Yên"),
                                                       "members")))
    fig = plot_headline(g, "members")
    drawn = _markers(fig.axes[0])
    expected = sorted((mdates.date2num(w), v) for w, v in zip(g["when"], g["value"], strict=True))
    assert len(drawn) == len(g) == 5
    assert [x for x, _ in drawn] == pytest.approx([x for x, _ in expected])
    assert [y for _, y in drawn] == pytest.approx([y for _, y in expected])


def test_province_panels_points_are_rows(stats_figures):
    """Members per 100 inhabitants: each province's panel holds exactly its rows (plus the
    national × and the cluster median marks, drawn as lines and a separate scatter)."""
    provinces, _ = load_reference()
    pops = dict(zip(provinces["province"], provinces["population_2019"].astype(float), strict=True))
    members = cluster_provinces("III")
    pts = province_points(stats_figures, members, pops)
    fig = plot_province_panels(pts, cluster_medians(pts), MEMBERS, members)
    for ax, prov in zip(fig.axes, members, strict=False):
        here = pts[(pts["indicator"] == MEMBERS) & (pts["area"] == prov)]
        values = sorted(round(y, 6) for _, y in _markers(ax))
        assert values == sorted(round(v, 6) for v in here["value"])
        assert ax.get_title() == prov


def test_indicator_labels_in_both_languages():
    """Metric and stage from the labels table, the base word by word; the key itself is unchanged."""
    from analysis.reports.panels import indicator_label

    ind = "learning_communities_rate · achieved · share of registered villages"
    assert indicator_label(ind, "vi") == "tỉ lệ cộng đồng học tập · đạt · tỉ lệ trên số đăng ký thôn, tổ dân phố"
    assert indicator_label(MEMBERS, "vi") == "hội viên trên 100 dân"
    assert indicator_label(MEMBERS, "en") == MEMBERS


def test_indicator_period_kind_in_words():
    """The period kind at the end of a rate indicator (``flow-6m``) reads as words in both languages."""
    from analysis.reports.panels import indicator_label

    ind = "learning_families_rate · achieved · share of all households · flow-6m"
    assert indicator_label(ind, "vi") == "tỉ lệ gia đình học tập · đạt · tỉ lệ trên tổng số hộ · trong kỳ · 6 tháng"
    assert indicator_label(ind, "en").endswith("share of all households · over a period · 6 months")
    assert indicator_label("members · actual · stock", "vi").endswith("· tại thời điểm")


def test_province_panels_name_years_not_dates(stats_figures):
    """The shared time axis names years (in the middle of each year), never ``2020-01`` dates."""
    provinces, _ = load_reference()
    pops = dict(zip(provinces["province"], provinces["population_2019"].astype(float), strict=True))
    members = cluster_provinces("III")
    pts = province_points(stats_figures, members, pops)
    fig = plot_province_panels(pts, cluster_medians(pts), MEMBERS, members)
    fig.canvas.draw()
    ax = fig.axes[-1]
    major = [t.get_text() for t in ax.get_xticklabels()]
    minor = [t.get_text() for t in ax.get_xticklabels(minor=True) if t.get_text()]
    assert not any(major)
    assert minor and all(len(t) == 4 and t.isdigit() for t in minor)
