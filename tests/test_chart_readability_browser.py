"""Issue 13 in a real browser (chromium, 1366 x 768): a six-contender SEA race, opened from a
link, draws an accuracy chart whose y axis fits the lines (not 0-100 %) and a Summary tab whose
tables, one grid each, do not scroll sideways at 1366 or 1024 px, in compact one-line rows.
Screenshots go to ``artifacts/screenshots/`` (git-ignored)."""

from __future__ import annotations

import copy
import urllib.parse
from pathlib import Path

import pytest

from browser_fixtures import wait_idle

SCREENSHOTS = Path(__file__).resolve().parents[1] / "artifacts" / "screenshots"
OVERFLOW_JS = """el => { const s = el.querySelector('.dvn-scroller');
                         return [s.scrollWidth, s.clientWidth]; }"""
Y_RANGE_JS = "el => el._fullLayout.yaxis.range"


def sea_six(n: int = 6000) -> dict:
    """The default preset's four contenders plus two online learners, on SEA (accuracies
    around 94-100 %), one sudden drift, baselines on: the walk-through's case."""
    from lab.presets import load_preset

    cfg = load_preset("default").to_dict()
    cfg["stream"] = {"source": "sea", "n_samples": n, "params": {"variant": 0},
                     "drifts": [{"at": n // 2, "width": 0, "to": {"variant": 1}}],
                     "label_noise": 0.0}
    cfg["evaluation"]["baselines"] = True
    online = cfg["contenders"][3]
    tree, bayes = copy.deepcopy(online), copy.deepcopy(online)
    tree.update(name="Online Hoeffding tree", model="river.hoeffding_tree")
    bayes.update(name="Online naive Bayes", model="river.gaussian_nb")
    cfg["contenders"] += [tree, bayes]
    return cfg


@pytest.mark.slow
@pytest.mark.browser
def test_sea_six_contenders_fitted_axis_and_summary_fit_1366_and_1024(page, app_url):
    from playwright.sync_api import expect
    from test_browser import assert_no_errors

    from ui.urls import encode_config

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.goto(f"{app_url}/?config={urllib.parse.quote(encode_config(sea_six()))}")
    panel = page.get_by_role("tabpanel", name="Accuracy")
    chart = panel.locator(".js-plotly-plot").first
    expect(chart).to_be_visible(timeout=120_000)
    wait_idle(page, timeout=120_000)
    assert_no_errors(page)
    low, high = chart.evaluate(Y_RANGE_JS)
    chart.screenshot(path=str(SCREENSHOTS / "accuracy_sea_six_1366.png"))
    assert low > 0.5 and high <= 1.01, (low, high)  # fitted: not the 0-100 % of before

    page.get_by_text("Full 0–100 % axis").click()
    wait_idle(page)
    page.wait_for_function("() => { const p = document.querySelector("
                           "'[role=tabpanel] .js-plotly-plot');"
                           " return p && p._fullLayout.yaxis.range[0] === 0; }", timeout=30_000)
    chart.screenshot(path=str(SCREENSHOTS / "accuracy_sea_six_full_scale_1366.png"))

    page.get_by_role("tab", name="Summary").click()
    wait_idle(page)
    frames = page.get_by_role("tabpanel", name="Summary").get_by_test_id("stDataFrame")
    expect(frames.first).to_be_visible()
    n = frames.count()
    assert n == 5  # one grid per table, per drift and stretch (one drift); none in parts
    page.mouse.move(700, 50)
    for width in (1366, 1024):
        page.set_viewport_size({"width": width, "height": 768})
        page.wait_for_timeout(1500)
        page.screenshot(path=str(SCREENSHOTS / f"summary_sea_six_{width}.png"), full_page=True)
        for i in range(n):
            scroll_width, client_width = frames.nth(i).evaluate(OVERFLOW_JS)
            assert scroll_width <= client_width, (width, i, scroll_width, client_width)
    # compact rows: every table's 6 contenders and 2 baselines in one-line rows (the grid's
    # 35 px), not the 65-px rows that showed three contenders to a screen
    rows = len(sea_six()["contenders"]) + 2  # in every grid (each drift's, each stretch's)
    heights = [frames.nth(i).bounding_box()["height"] for i in range(n)]
    assert all(h <= 35 * (rows + 1) + 10 for h in heights), heights
