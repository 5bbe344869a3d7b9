"""Charts draw the data, never an estimate: every marker and every line vertex is a row of the
table given (no averaging, no error band), one period kind per chart, alt text, units, no offset."""

from pathlib import Path

import pandas as pd
import pytest
from matplotlib.collections import PathCollection, PolyCollection
from matplotlib.lines import Line2D

from analysis.reports import pages, viz
from analysis.reports.dashboard import trend_points
from analysis.reports.evidence import Evidence
from analysis.stats.attainment import rates_by_province
from analysis.stats.intensity import fund_intensity
from analysis.stats.load import cluster_provinces, load_figures

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "figures_multi.csv"


@pytest.fixture(scope="module")
def df():
    return load_figures(FIXTURE, articles=FIXTURE.parent / "articles_multi.csv")


def drawn(fig) -> list[tuple[float, float]]:
    """Every data point drawn: markers (scatter) and the vertices of data lines."""
    out = []
    for ax in fig.axes:
        for c in ax.collections:
            if isinstance(c, PolyCollection):
                raise AssertionError("a filled band (an error band or CI) was drawn")
            if isinstance(c, PathCollection):
                out += [tuple(map(float, p)) for p in c.get_offsets()]
        for line in ax.lines:
            if isinstance(line, Line2D) and len(line.get_xdata()):
                out += [(float(x), float(y)) for x, y in zip(line.get_xdata(), line.get_ydata(), strict=True)]
    return out


def assert_rows(points, rows: set[tuple[float, float]]):
    assert points, "nothing drawn"
    for p in points:
        assert any(abs(p[0] - r[0]) < 1e-9 and abs(p[1] - r[1]) < 1e-6 * max(1, abs(r[1])) for r in rows), \
            f"{p} is not a row of the table"


def test_series_points_are_rows_and_two_sources_give_two_points(df):
    s = df[(df["entity"] == "Nam Định") & (df["metric"] == "members")]
    chart = viz.series_chart(s, "members", "vi")
    rows = {(viz.time_x(r["period_start"], r["period_end"]), float(r["value"])) for _, r in s.iterrows()}
    pts = drawn(chart.fig)
    assert_rows(pts, rows)
    assert {p for p in pts} == rows and len(rows) == 2  # 510 000 and 498 000: both drawn, no mean 504 000
    assert chart.alt and chart.fig.axes[0].get_xlabel() == "năm"


def test_years_are_bands_and_points_sit_inside_their_year():
    assert viz.time_x("", "2019-12-31") < 2020 <= viz.time_x("", "2020-01-01")
    assert viz.time_x("2019-01-01", "2019-12-31") == pytest.approx(2019.5, abs=0.01)
    assert 2019 < viz.time_x("2019-01-01", "2019-06-30") < 2019.5


def test_one_period_kind_per_chart(df):
    mixed = pd.concat([df[(df["entity"] == "Thái Bình") & (df["metric"] == "fund_raised")],
                       df[(df["entity"] == "Thái Bình") & (df["metric"] == "fund_raised")].assign(
                           period_start="2023-01-01", period_end="2023-06-30", value=1e9, start=999)])
    out = viz.plot_series(mixed, "fund_raised", "en")
    assert not isinstance(out, viz.Chart)  # a year and a half-year: two charts, never one
    assert out.html.count("<img") == 2


def test_small_multiples_points_are_rows(df):
    provinces = cluster_provinces("Cụm III")
    pts = trend_points(df, provinces, "members")
    chart = viz.small_multiples(pts, provinces, "vi", "t", "count", "hội viên")
    rows = {(float(x), float(y)) for x, y in zip(pts["x"], pts["y"], strict=True)}
    assert_rows(drawn(chart.fig), rows)
    axes = [a for a in chart.fig.axes if a.get_visible() and a.axison]
    assert len(axes) == len(provinces)
    assert len({a.get_ylim() for a in axes}) == 1 and len({a.get_xlim() for a in axes}) == 1  # shared axes


def test_rates_chart_markers_are_rows(df):
    rates = rates_by_province(df, "Cụm III", "families")
    ev = Evidence(df, "vi")
    chart = pages.rates_chart(rates, df, ev, "vi", "Cụm III")
    got = rates[rates["status"] == "reported"]
    names = list(rates["province"].unique())
    rows = {(float(v), float(names.index(p))) for p, v in zip(got["province"], got["value"], strict=True)}
    assert_rows(drawn(chart.fig), rows)
    assert "[1]" in str(chart.source) and "%" in chart.fig.axes[0].get_xlabel()


def test_fund_axis_in_ty_dong_without_offset(df):
    table = fund_intensity(df, ["Thái Bình"])
    ev = Evidence(df, "vi")
    charts = pages.intensity_chart(table, df, ev, "vi", "x")
    assert len(charts) == 1
    chart = charts[0]
    values = {round(v.value, 6) for v in table["fund_per_member_vnd"]}
    assert {round(p[0], 6) for p in drawn(chart.fig)} == values
    ax = chart.fig.axes[0]
    chart.png()  # draw, so tick labels exist
    assert ax.xaxis.get_offset_text().get_text() == ""
    labels = [t.get_text() for t in ax.get_xticklabels()]
    assert all("e" not in t for t in labels) and any("." in t for t in labels)  # 15.000, not 15000 or 1.5e4
    assert "đồng" in ax.get_xlabel()
    assert 'alt="' in chart.html() and "Nguồn" in chart.html()


def test_alt_text_is_escaped():
    chart = viz.empty_chart('<img src=x onerror=alert(1)> "q"', "en")
    html = chart.html()
    assert 'alt="&lt;img src=x onerror=alert(1)&gt; &quot;q&quot;' in html
