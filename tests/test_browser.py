"""The app in a real browser: playwright for Python driving Debian's chromium at 1366×768.

Screenshots go to ``artifacts/screenshots/`` (printed), so a person can look at what the test saw.
Skipped where chromium is absent, unless REQUIRE_BROWSER=1 (CI), where that is a failure.
"""

from __future__ import annotations

import base64
import json
import time
import zlib
from urllib.parse import parse_qs, urlparse

import pytest

from browser_fixtures import RUN_BUTTON, VIEWPORT, wait_idle

playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect
# CI runs on 2 cores with the rest of the suite; playwright's 5 s default is too tight there.
expect.set_options(timeout=30_000)

pytestmark = [pytest.mark.browser, pytest.mark.slow]
TABS = ["Accuracy", "Staleness", "Cost", "Trade-off", "Summary", "Data", "Export", "Net cost"]




def assert_no_errors(page):
    expect(page.get_by_test_id("stException")).to_have_count(0)
    expect(page.get_by_test_id("stAlertContentError")).to_have_count(0)


def open_app(page, url):
    page.goto(url)
    expect(page.locator(".driftlab-title")).to_be_visible(timeout=60_000)
    wait_idle(page)
    expect(page.locator(RUN_BUTTON).first).to_be_visible(timeout=60_000)


def url_config(page) -> dict:
    value = parse_qs(urlparse(page.url).query)["config"][0]
    raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    return json.loads(zlib.decompress(raw))


def test_run_default_race_and_every_tab(page, app_url, artifacts):
    open_app(page, app_url)
    assert_no_errors(page)
    page.screenshot(path=str(artifacts / "01_opened.png"))

    started = time.perf_counter()
    page.locator(RUN_BUTTON).first.click()
    expect(page.get_by_role("tab", name="Accuracy")).to_be_visible(timeout=60_000)
    wait_idle(page)
    race_s = time.perf_counter() - started
    print(f"\ndefault race in the browser: {race_s:.1f} s (click to results)")

    assert_no_errors(page)
    chart = page.locator(".st-key-accuracy_chart .js-plotly-plot")
    expect(chart).to_be_visible()
    expect(chart.locator(".scatterlayer .trace")).not_to_have_count(0)
    story = page.locator(".st-key-driftlab_story")
    expect(story).to_contain_text("Before the first drift")
    expect(story).to_contain_text("Overall")
    # The headline (story and the top of the accuracy chart) fits the first screen.
    assert story.bounding_box()["y"] < VIEWPORT["height"] * 0.6
    assert chart.bounding_box()["y"] < VIEWPORT["height"]
    page.mouse.move(700, 300)  # no tooltip over the headline in the screenshot
    page.screenshot(path=str(artifacts / "02_after_run.png"))

    # The URL now carries the run's config.
    assert url_config(page)["stream"]["n_samples"] == 20000

    for k, name in enumerate(TABS):
        page.get_by_role("tab", name=name, exact=True).click()  # "Cost" is also in "Net cost"
        wait_idle(page)  # only the open tab is built: clicking one reruns the script
        panel = page.get_by_role("tabpanel", name=name, exact=True)
        expect(panel).to_be_visible()
        if name == "Summary":
            expect(panel.get_by_test_id("stDataFrame").first).to_be_visible()
        elif name == "Export":
            expect(panel.get_by_test_id("stDownloadButton").first).to_be_visible()
            expect(panel.get_by_test_id("stCode")).to_contain_text("?config=")
        else:
            expect(panel.locator(".js-plotly-plot").first).to_be_visible()
        assert_no_errors(page)
        page.mouse.move(700, 300)
        path = artifacts / f"03_tab_{k}_{name.lower().replace('-', '')}.png"
        page.screenshot(path=str(path))
    print(f"screenshots in {artifacts}")


def test_sessions_do_not_share_configs_or_results(browser, app_url, artifacts):
    """Two browser sessions at once, each opening a different preset from its link (which
    runs it): each sees only its own config, results and run history."""
    a = browser.new_context(viewport=VIEWPORT)
    b = browser.new_context(viewport=VIEWPORT)
    try:
        pa, pb = a.new_page(), b.new_page()
        pa.goto(app_url + "/?preset=sudden")
        pb.goto(app_url + "/?preset=stable")
        for page in (pa, pb):
            expect(page.get_by_role("tab", name="Accuracy")).to_be_visible(timeout=60_000)
        for page in (pa, pb):
            wait_idle(page)
            assert_no_errors(page)
        story_a = pa.locator(".st-key-driftlab_story").inner_text()
        story_b = pb.locator(".st-key-driftlab_story").inner_text()
        assert "sudden drift at 6,000" in story_a and "whole stream" not in story_a
        assert "Over the whole stream" in story_b and "drift at" not in story_b
        assert url_config(pa)["stream"]["source"] == "blobs2d"
        assert url_config(pb)["stream"]["source"] == "sea"
        expect(pa.locator(".st-key-source input")).to_have_value("2-D blobs")  # plain names
        expect(pb.locator(".st-key-source input")).to_have_value("SEA")
        # each session's history holds only its own run: nothing to overlay yet
        for page in (pa, pb):
            expect(page.locator(".st-key-compare_with input")).to_be_disabled()
        pa.screenshot(path=str(artifacts / "04_session_a_sudden.png"))
        pb.screenshot(path=str(artifacts / "04_session_b_stable.png"))
    finally:
        a.close()
        b.close()
