"""A run on an uploaded CSV file, shared as a bundle, in a real browser (chromium, 1366×768):
upload a CSV, run, download the bundle from the Export tab (which shows no link for it), open it
in a fresh session from the sidebar's opener, and get the same story and summary numbers.

Screenshots go to ``artifacts/screenshots/`` (git-ignored), printed at the end.
"""

from __future__ import annotations

import zipfile

import pytest
from test_bundle import drifting_csv

from browser_fixtures import ARTIFACTS as SCREENSHOTS
from browser_fixtures import RUN_BUTTON, wait_idle

playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect
expect.set_options(timeout=60_000)  # CI: 2 cores shared with the rest of the suite

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _open(page, url):
    """Open the app and wait until the page is drawn (the Run button and the sidebar's source),
    with the long timeouts the other browser tests use on a busy 2-core machine."""
    page.goto(url)
    expect(page.locator(".driftlab-title")).to_be_visible(timeout=60_000)
    wait_idle(page)
    expect(page.locator(RUN_BUTTON).first).to_be_visible(timeout=60_000)
    expect(page.locator(".st-key-source").get_by_role("combobox")).to_be_visible(timeout=60_000)


def _numbers(page) -> tuple[str, str]:
    """The story and the Summary tab's table, as the page shows them."""
    story = page.locator(".st-key-driftlab_story").inner_text()
    page.get_by_role("tab", name="Summary").click()
    wait_idle(page)
    table = page.get_by_role("tabpanel").get_by_test_id("stDataFrame").first
    expect(table).to_be_visible()
    return story, table.inner_text()


def test_a_csv_run_travels_as_a_bundle_and_reopens_with_the_same_numbers(browser, app_url,
                                                                         tmp_path):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    data = tmp_path / "readings.csv"
    data.write_bytes(drifting_csv(n=3000, missing_every=0))

    first = browser.new_context(viewport={"width": 1366, "height": 768}, accept_downloads=True)
    page = first.new_page()
    _open(page, app_url)
    # the first screen holds the race: no config uploader in the main area
    expect(page.get_by_test_id("stMain").locator("input[type=file]")).to_have_count(0)
    page.locator(".st-key-source").get_by_role("combobox").click(timeout=60_000)
    page.get_by_role("option", name="Upload a CSV (your own data)").click()
    wait_idle(page)
    page.locator(".st-key-upload_csv input[type=file]").set_input_files(str(data))
    wait_idle(page)
    expect(page.get_by_test_id("stSidebar").get_by_text("Preview and columns")) \
        .to_be_visible(timeout=60_000)
    page.locator(RUN_BUTTON).first.click()
    wait_idle(page)
    expect(page.locator(".st-key-driftlab_story")).to_be_visible(timeout=60_000)
    story, table = _numbers(page)

    page.get_by_role("tab", name="Export").click()
    wait_idle(page)
    panel = page.get_by_role("tabpanel")
    expect(panel.get_by_text("A link alone cannot carry private data")).to_be_visible()
    expect(panel.get_by_test_id("stCode")).to_have_count(0)  # no link that cannot work
    page.screenshot(path=str(SCREENSHOTS / "bundle_01_export_tab.png"), full_page=True)
    with page.expect_download() as download:
        page.locator(".st-key-dl_bundle button >> visible=true").first.click()
    bundle = tmp_path / download.value.suggested_filename
    download.value.save_as(bundle)
    assert bundle.name == "driftlab-bundle-readings.zip"
    with zipfile.ZipFile(bundle) as zf:
        assert sorted(zf.namelist()) == ["README.txt", "config.json", "readings.csv"]
        assert zf.read("readings.csv") == data.read_bytes()
    first.close()

    fresh = browser.new_context(viewport={"width": 1366, "height": 768})
    page = fresh.new_page()
    _open(page, app_url)
    sidebar = page.get_by_test_id("stSidebar")
    sidebar.get_by_text("Open a config or bundle").click()
    sidebar.locator(".st-key-upload_config input[type=file]").set_input_files(str(bundle))
    wait_idle(page)
    expect(page.locator(".st-key-driftlab_story")).to_be_visible(timeout=60_000)
    expect(page.get_by_test_id("stAlertContentError")).to_have_count(0)
    expect(page.get_by_test_id("stException")).to_have_count(0)
    page.screenshot(path=str(SCREENSHOTS / "bundle_02_reopened.png"))
    again_story, again_table = _numbers(page)
    assert again_story == story
    assert again_table == table
    page.screenshot(path=str(SCREENSHOTS / "bundle_03_reopened_summary.png"))
    fresh.close()
    print(f"\nscreenshots in {SCREENSHOTS}")
