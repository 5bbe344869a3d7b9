"""Re-make the README's screenshots: render the reports in Vietnamese and capture the top of
each page at 1280 px with Playwright (Debian's Chromium, network blocked).

    .venv/bin/python docs/screenshots/capture.py

The dashboard and the trends pages are rendered on the multi-province test fixture
(tests/fixtures/figures_multi.csv, invented numbers) because the five seed articles hold no
province-level series for cluster III; the other pages on the seed articles (make figures).
"""

from __future__ import annotations

import io
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT = Path(__file__).resolve().parent
HEIGHT = 1600
SHOTS = {  # file name: (data set, report name, the heading the picture starts at, if not the top)
    "dashboard": ("fixture", "cluster-cum-iii", ""),
    "dashboard-charts": ("fixture", "cluster-cum-iii", "Diễn biến từng tỉnh"),
    "overview": ("seeds", "overview", ""),
    "fund-intensity": ("seeds", "fund-intensity-cum-iii", ""),
    "attainment": ("seeds", "attainment-cum-iii", ""),
    "province-profile": ("seeds", "profile-bac-ninh", ""),
    "trends": ("fixture", "trends-thai-binh", ""),
    "cluster-trends": ("fixture", "cluster-trends-cum-iii", ""),
}


def render(tmp: Path) -> dict[str, Path]:
    """Render the pages to capture, in Vietnamese, from the fixture and the seeds; their folders."""
    from analysis import paths
    from analysis.cli import main
    from analysis.reports.render import render_grid

    grid = ROOT / "reports" / "reports.toml"
    fixture = tmp / "fixture"
    fixture.mkdir()
    shutil.copy(ROOT / "tests/fixtures/figures_multi.csv", fixture / "figures.csv")
    shutil.copy(ROOT / "tests/fixtures/articles_multi.csv", fixture / "articles.csv")
    seeds = tmp / "seeds" / "figures.csv"
    assert main(["extract", "--out", str(seeds), "--articles", str(paths.ARTICLES_DIR),
                 "--sources", str(paths.SOURCES_CSV)]) == 0
    sites = {}
    for name, figures in [("fixture", fixture / "figures.csv"), ("seeds", seeds)]:
        wanted = sorted({r for s, r, _ in SHOTS.values() if s == name})
        render_grid(grid, tmp / f"site-{name}", figures_csv=figures, jobs=2, only=wanted, langs=["vi"])
        sites[name] = tmp / f"site-{name}"
    return sites


def capture(sites: dict[str, Path]) -> None:
    """Screenshot each page of SHOTS from its heading and save it as a 128-colour PNG here."""
    from PIL import Image
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=shutil.which("chromium") or "/usr/bin/chromium",
                                    args=["--no-sandbox"])
        context = browser.new_context(viewport={"width": 1280, "height": HEIGHT})
        context.route("**/*", lambda r: r.continue_() if r.request.url.startswith(("file:", "data:")) else r.abort())
        page = context.new_page()
        for shot, (site, report, heading) in SHOTS.items():
            page.goto((sites[site] / f"{report}.html").as_uri())
            top = page.locator(f"h2:has-text('{heading}')").bounding_box()["y"] - 16 if heading else 0
            page.set_viewport_size({"width": 1280, "height": int(top) + HEIGHT})
            png = page.screenshot(clip={"x": 0, "y": top, "width": 1280, "height": HEIGHT})
            image = Image.open(io.BytesIO(png)).convert("RGB").quantize(colors=128)
            image.save(OUT / f"{shot}.png", optimize=True)
            print(f"{shot}.png: {(OUT / f'{shot}.png').stat().st_size // 1024} KB")
        browser.close()


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as tmp:
        capture(render(Path(tmp)))
    sys.exit(0)
