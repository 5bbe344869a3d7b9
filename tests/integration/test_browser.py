"""Rendered reports in a real browser (Playwright driving Debian's Chromium, network blocked).

Every page, at 1280 px and at 390 px: no page-level horizontal scroll (tables scroll inside
their own box), no visible NaN/None/nan/NaT/<NA> or scientific notation, every image with alt
text, every evidence link landing on an element of the page, no serious or critical axe-core
violation. Then a hostile corpus — a figures table whose texts carry script tags, event
handlers, ``javascript:`` URLs and CSS ``url()`` — rendered through the notebooks: any dialog,
script execution or network request fails the test.
"""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest

from analysis.cli import main
from analysis.reports.render import render_grid

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "fixtures" / "figures_multi.csv"
pytestmark = pytest.mark.browser
WIDTHS = (1280, 390)
BAD_TEXT = r"\b(NaN|nan|None|NaT)\b|<NA>|\b\d(\.\d+)?e[+-]?\d+\b"

GRID = """
[defaults]
lang = "vi"

[[report]]
name = "cluster-cum-iii"
notebook = "cluster"
parameters = { cluster = "Cụm III" }

[[report]]
name = "cluster-cum-iii-en"
notebook = "cluster"
parameters = { cluster = "Cụm III", lang = "en" }

[[report]]
name = "overview"
notebook = "overview"

[[report]]
name = "fund-intensity-cum-iii"
notebook = "fund_intensity"
parameters = { cluster = "Cụm III" }

[[report]]
name = "attainment-cum-iii-en"
notebook = "attainment"
parameters = { cluster = "Cụm III", model = "families", lang = "en" }

[[report]]
name = "attainment-cum-iii"
notebook = "attainment"
parameters = { cluster = "Cụm III" }

[[report]]
name = "profile-bac-ninh"
notebook = "province_profile"
parameters = { province = "Bắc Ninh" }

[[report]]
name = "trends"
notebook = "trends"
parameters = { entity = {trend_entity} }

[[report]]
name = "trends-en"
notebook = "trends"
parameters = { entity = {trend_entity}, lang = "en" }

[[report]]
name = "cluster-trends-cum-iii"
notebook = "cluster_trends"
parameters = { cluster = "Cụm III" }
"""


# -- a real browser ----------------------------------------------------------------------

@pytest.fixture(scope="module")
def browser():
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        pytest.fail("Chromium is not installed: the browser test needs it. Install Debian's package "
                    "with 'sudo apt-get install chromium' (CI's .ci/run does this).")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run", "--disable-quic"])
        yield b
        b.close()


class Watch:
    """A browser context that blocks and records every request leaving the machine, and records
    dialogs, page errors and console errors."""

    def __init__(self, browser, width: int):
        self.outside, self.dialogs, self.errors = [], [], []
        self.context = browser.new_context(viewport={"width": width, "height": 900})
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)

    def _route(self, r):
        url = r.request.url
        if url.startswith(("file://", "data:", "about:")):
            r.continue_()
        else:
            self.outside.append(url)
            r.abort()

    def close(self):
        self.context.close()


def page_problems(page, name: str) -> list[str]:
    """What a reader of this page would trip over (details opened first: hidden is not exempt)."""
    problems = []
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    width = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    if width[0] > width[1] + 1:
        wide = page.evaluate("""() => Array.from(document.querySelectorAll('body *'))
            .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1
                         && !e.closest('.kh-table'))
            .slice(0, 3).map(e => e.tagName + '.' + e.className + ': ' + (e.textContent || '').slice(0, 60))""")
        problems.append(f"{name}: page scrolls sideways ({width[0]} > {width[1]} px): {wide}")
    bad = page.evaluate(f"""() => {{
        const m = document.body.innerText.match(new RegExp({BAD_TEXT!r}, 'g'));
        return m ? m.slice(0, 5) : [];
    }}""")
    if bad:
        problems.append(f"{name}: visible {bad}")
    no_alt = page.evaluate("Array.from(document.images).filter(i => !(i.getAttribute('alt') || '').trim()).length")
    if no_alt:
        problems.append(f"{name}: {no_alt} image(s) without alt text")
    broken = page.evaluate("Array.from(document.images).filter(i => !(i.complete && i.naturalWidth > 0)).length")
    if broken:
        problems.append(f"{name}: {broken} image(s) do not decode")
    dangling = page.evaluate("""Array.from(document.querySelectorAll('a[href^="#"]'))
        .map(a => a.getAttribute('href').slice(1)).filter(id => id && !document.getElementById(decodeURIComponent(id)))""")
    if dangling:
        problems.append(f"{name}: evidence links to nothing: {dangling[:5]}")
    return problems


def axe_problems(page, name: str) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [f"{name}: axe {v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes'][:3]]}"
            for v in results.response["violations"] if v["impact"] in ("serious", "critical")]


def render(tmp: Path, figures: Path, trend_entity: str) -> Path:
    grid = tmp / "grid.toml"
    grid.write_text(GRID.replace("{trend_entity}", json.dumps(trend_entity)), encoding="utf-8")
    out = tmp / "reports"
    results = render_grid(grid, out, figures_csv=figures, jobs=2)
    failed = [(r.name, r.error) for r in results if r.status != "ok"]
    assert not failed, failed
    return out


@pytest.fixture(scope="module")
def fixture_site(tmp_path_factory):
    folder = tmp_path_factory.mktemp("fixture")
    (folder / "figures.csv").write_bytes(FIXTURE.read_bytes())
    (folder / "articles.csv").write_bytes((FIXTURE.parent / "articles_multi.csv").read_bytes())
    return render(folder, folder / "figures.csv", "Thái Bình")


def pages_of(out: Path) -> list[Path]:
    """Every rendered page (the trends and cluster-trends pages included)."""
    pages = sorted(p for p in out.glob("*.html") if not p.name.endswith(".error.html"))
    assert len(pages) > 3
    return pages


def test_every_page_reads_at_both_widths(fixture_site, browser):
    problems = []
    for width in WIDTHS:
        watch = Watch(browser, width)
        for path in pages_of(fixture_site):
            watch.page.goto(path.as_uri())
            problems += page_problems(watch.page, f"{path.name}@{width}")
        watch.close()
        assert not watch.outside, f"requests left the machine: {watch.outside}"
        assert not watch.dialogs and not watch.errors, (watch.dialogs, watch.errors)
    assert not problems, "\n".join(problems)


def test_trends_pages_read_at_both_widths(fixture_site, browser):
    """The trends and cluster-trends pages, in both languages, by the same rules (axe included)."""
    problems = []
    for width in WIDTHS:
        watch = Watch(browser, width)
        for name in ("trends.html", "trends-en.html", "cluster-trends-cum-iii.html"):
            watch.page.goto((fixture_site / name).as_uri())
            problems += page_problems(watch.page, f"{name}@{width}") + axe_problems(watch.page, f"{name}@{width}")
        watch.close()
    assert not problems, "\n".join(problems)


def test_no_serious_accessibility_violation(fixture_site, browser):
    problems = []
    for width in WIDTHS:
        watch = Watch(browser, width)
        for path in pages_of(fixture_site):
            if path.name == "index.html" and width == 390:
                continue
            watch.page.goto(path.as_uri())
            problems += axe_problems(watch.page, f"{path.name}@{width}")
        watch.close()
    assert not problems, "\n".join(problems)


def test_vietnamese_pages_say_so(fixture_site, browser):
    watch = Watch(browser, 1280)
    watch.page.goto((fixture_site / "cluster-cum-iii.html").as_uri())
    assert watch.page.evaluate("document.documentElement.lang") == "vi"
    text = watch.page.inner_text("main")
    assert "không có số liệu" in text and "486.203" in text
    watch.page.goto((fixture_site / "cluster-cum-iii-en.html").as_uri())
    assert "≥ 60,225 VND" in watch.page.inner_text("main")
    watch.close()


# -- a hostile corpus ---------------------------------------------------------------------

PAYLOADS = [
    "<script>window.__kh_ran=1;alert('script')</script>",
    "<img src=x onerror=\"window.__kh_ran=1;alert('img')\">",
    "<svg onload=\"window.__kh_ran=1;alert('svg')\"></svg>",
    "<a href=\"javascript:window.__kh_ran=1;alert('js')\">bấm</a>",
    "<div style=\"background:url(http://evil.example/css.png)\">nền</div>",
    "<style>body{background:url(http://evil.example/style.png)}</style>",
    "<iframe src=\"http://evil.example/frame\"></iframe>",
    "[liên kết](javascript:alert('md')) ![ảnh](http://evil.example/md.png)",
]


def hostile_tables(folder: Path) -> str:
    """figures.csv and articles.csv where every free text carries a payload; returns the name
    of the hostile district that has a comparable series (for the trends report)."""
    district = "Gia Bình " + PAYLOADS[1]
    rows = []
    for i, payload in enumerate(PAYLOADS):
        sid = f"hostile-{i}"
        base = {"source_id": sid, "level": "province", "unit": "count", "bound": "exact", "value_max": "",
                "stage": "actual", "start": 5, "end": 12}
        rows.append({**base, "entity": "Thái Bình", "province": "Thái Bình", "period_start": "",
                     "period_end": f"{2016 + i}-12-31", "metric": "members", "value": 400000 + i * 1000,
                     "subgroup": "", "quote": f"Hội có {400 + i}.000 hội viên {payload}"})
        rows.append({**base, "entity": "Thái Bình", "province": "Thái Bình", "period_start": f"{2016 + i}-01-01",
                     "period_end": f"{2016 + i}-12-31", "metric": "fund_raised", "unit": "vnd", "value": 2e10 + i * 1e9,
                     "subgroup": payload, "quote": f"quỹ {20 + i} tỷ đồng {payload}", "start": 20, "end": 30})
        rows.append({**base, "entity": district, "level": "district", "province": "Bắc Ninh", "period_start": "",
                     "period_end": f"{2016 + i}-06-30", "metric": "members", "value": 20000 + i, "subgroup": "",
                     "quote": payload, "start": 40, "end": 45})
        rows.append({**base, "entity": "Thái Bình", "province": "Thái Bình", "period_start": f"{2016 + i}-01-01",
                     "period_end": f"{2016 + i}-06-30", "metric": "learning_families_rate", "unit": "percent",
                     "stage": "achieved", "value": 80 + i, "subgroup": "", "quote": f"đạt {80 + i}% {payload}",
                     "start": 50, "end": 53})
    fields = ["source_id", "entity", "level", "province", "period_start", "period_end", "metric", "stage", "value",
              "value_max", "unit", "bound", "subgroup", "quote", "start", "end"]
    with open(folder / "figures.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fields)
        w.writeheader()
        w.writerows(rows)
    with open(folder / "articles.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["source_id", "title", "outlet", "url", "published"])
        for i, payload in enumerate(PAYLOADS):
            url = ["javascript:alert('url')", "http://evil.example/a\" onmouseover=\"alert(1)",
                   "data:text/html,<script>alert(1)</script>", "https://ok.example/bai-viet"][i % 4]
            w.writerow([f"hostile-{i}", f"Tiêu đề {payload}", f"Báo {payload}", url, f"{2016 + i}-12-31"])
    return district


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    district = hostile_tables(folder)
    return render(folder, folder / "figures.csv", district)


def test_hostile_corpus_runs_nothing_and_fetches_nothing(hostile_site, browser):
    for width in WIDTHS:
        watch = Watch(browser, width)
        for path in pages_of(hostile_site):
            watch.page.goto(path.as_uri())
            watch.page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
            watch.page.wait_for_timeout(50)
            for a in watch.page.query_selector_all("a[href]")[:400]:  # a click on any link runs nothing
                href = a.get_attribute("href") or ""
                assert not href.lower().lstrip().startswith(("javascript:", "data:")), f"{path.name}: {href}"
            ran = watch.page.evaluate("window.__kh_ran === 1")
            scripts = watch.page.evaluate("document.scripts.length")
            frames = watch.page.evaluate("document.querySelectorAll('iframe, object, embed').length")
            assert not ran and scripts == 0 and frames == 0, f"{path.name}@{width}: ran={ran} scripts={scripts}"
            if path.name == "overview.html":  # every payload shown as text, none dropped
                text = watch.page.inner_text("body")
                missing = [p for p in PAYLOADS if p not in text]
                assert not missing, missing
        watch.close()
        assert not watch.dialogs, f"dialogs opened: {watch.dialogs}"
        assert not watch.outside, f"requests left the machine: {watch.outside}"
        assert not watch.errors, watch.errors


def test_default_grid_on_the_seeds_in_a_browser(tmp_path, browser):
    figures = tmp_path / "processed" / "figures.csv"
    assert main(["extract", "--out", str(figures), "--articles", str(ROOT / "data/raw/articles"),
                 "--sources", str(ROOT / "data/raw/sources.csv")]) == 0
    results = render_grid(ROOT / "reports" / "reports.toml", tmp_path / "reports", figures_csv=figures, jobs=2)
    assert {r.status for r in results} == {"ok"}, [(r.name, r.error) for r in results if r.status != "ok"]
    watch = Watch(browser, 1280)
    watch.page.goto((tmp_path / "reports" / "index.html").as_uri())
    hrefs = watch.page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
    assert "cluster-cum-iii.html" in hrefs and "overview.html" in hrefs
    problems = []
    for href in hrefs:
        assert (tmp_path / "reports" / href).exists(), f"index links to a missing page: {href}"
        watch.page.goto((tmp_path / "reports" / href).as_uri())
        problems += page_problems(watch.page, href)
    watch.close()
    assert not watch.outside and not watch.dialogs and not watch.errors
    assert not problems, "\n".join(problems)
