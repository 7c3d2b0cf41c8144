"""The What-if tab in chromium at 1366×768 (session 11's walk-through, issue 13): after Run sweep
the page brings the results into view, their top under the row of Run and the result tabs'
names (it stayed on the form, the results below the window), and the results table and the
ranking fit the page (the results table was cut off on the right).
Screenshots go to ``artifacts/screenshots/`` (git-ignored; printed at the end).
"""

from __future__ import annotations

import urllib.parse

import pytest

from browser_fixtures import ARTIFACTS as SCREENSHOTS
from browser_fixtures import wait_idle

playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_run_sweep_brings_the_results_into_view_and_its_tables_fit_1366(page, app_url):
    from test_chart_glance_browser import OVERFLOW_JS
    from test_whatif_app import SMALL

    from ui.urls import encode_config

    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(f"{app_url}/?config={urllib.parse.quote(encode_config(SMALL))}")
    expect(page.get_by_role("tab", name="Accuracy")).to_be_visible(timeout=120_000)
    wait_idle(page, timeout=120_000)
    page.get_by_role("tab", name="What-if", exact=True).click()
    wait_idle(page)
    for key, value in (("whatif_v1", "300,1200"), ("whatif_seeds", "2")):
        field = page.locator(f".st-key-{key} input")
        field.fill(value)
        field.press("Enter")
        wait_idle(page)
    page.locator(".st-key-whatif_run button").click()
    results = page.locator(".st-key-whatif_results")
    expect(results.locator(".js-plotly-plot").first).to_be_visible(timeout=120_000)
    wait_idle(page, timeout=120_000)
    page.wait_for_timeout(1000)  # the page's own scroll, once the first chart stands still
    top = results.bounding_box()["y"]
    names = page.get_by_role("tablist").first.bounding_box()
    run = page.locator(".st-key-driftlab_controls").bounding_box()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.mouse.move(5, 5)
    page.screenshot(path=str(SCREENSHOTS / "whatif_after_run_sweep_1366.png"))
    print(f"\nresults' top at {top:.0f} px; Run's row to {run['y'] + run['height']:.0f} px, "
          f"tab names to {names['y'] + names['height']:.0f} px; screenshot in {SCREENSHOTS}")
    assert names["y"] + names["height"] <= top + 1  # not under the sticky tab names
    assert top - (names["y"] + names["height"]) < 40  # right under them: scrolled to it
    tables = results.get_by_test_id("stDataFrame")
    expect(tables).to_have_count(2)
    for k in range(2):
        tables.nth(k).scroll_into_view_if_needed()
        scroll, width = tables.nth(k).evaluate(OVERFLOW_JS)
        assert scroll <= width, (k, scroll, width)  # the whole table in view, no side scroll
