"""Hostile links and uploads against a real ``streamlit run app.py`` in chromium (issue 10).

* A shared link whose contender names are an ``<iframe srcdoc=...>`` and an ``<img onerror=...>``
  payload must not run any script in the viewer's page (nor in any frame), and the names must
  still be shown, as text.
* An uploaded CSV must be deleted from the server once its browser tab is closed and the
  session is over (a second server, started with a short ``disconnectedSessionTTL`` and sweep
  interval, so the test does not wait the default 120 s).
"""

from __future__ import annotations

import os
import re
import time

import pytest

from browser_fixtures import RUN_BUTTON, streamlit_server, wait_idle
from helpers import config
from ui.pages.race_lab import SCROLL_SCRIPT
from ui.urls import encode_config

playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect
expect.set_options(timeout=30_000)

pytestmark = [pytest.mark.browser, pytest.mark.slow]
IFRAME = '<iframe srcdoc="<script>parent.__x=1</script>">'
IMG = '<img src=x onerror="window.__x=2">'
PIXEL = "![x](http://127.0.0.1:9/p.png)"
STARS = "a*b_c _d_ *e*"
AUTOLINK = "www.evil.example me@evil.example"


def hostile_link(app_url: str) -> str:
    cfg = config(n=1500, warmup=200, window=100, step=100, drifts=[
        {"at": 800, "width": 0, "to": {"variant": 1}}], contenders=[
        {"name": name, "model": "river.gaussian_nb", "policy": {"kind": "online"}}
        for name in (IFRAME, IMG, PIXEL, STARS, AUTOLINK)])
    cfg["seed"] = 404
    return f"{app_url}/?config={encode_config(cfg)}"


def test_a_link_with_script_in_names_runs_no_script(page, app_url, artifacts):
    page.goto(hostile_link(app_url))
    expect(page.locator(".driftlab-title")).to_be_visible(timeout=60_000)
    wait_idle(page)
    page.locator(RUN_BUTTON).first.click()
    expect(page.get_by_role("tab", name="Accuracy")).to_be_visible(timeout=60_000)
    wait_idle(page)
    page.wait_for_timeout(1000)  # give any injected frame or image time to load and fire
    page.screenshot(path=str(artifacts / "hostile_link.png"))
    print(f"\nscreenshot: {artifacts / 'hostile_link.png'}")

    for frame in page.frames:  # the page, Streamlit's own frames, anything injected
        assert frame.evaluate("typeof window.__x") == "undefined", frame.url
        assert frame.evaluate("(() => { try { return typeof parent.__x } "
                              "catch (e) { return 'undefined' } })()") == "undefined"
    # the only inline frame is the app's own fixed scroll script (ui.pages.race_lab)
    own = re.compile(re.escape(SCROLL_SCRIPT).replace("%d", r"\d+"))
    frames = page.locator("iframe[srcdoc]")
    for k in range(frames.count()):
        assert own.fullmatch(frames.nth(k).get_attribute("srcdoc") or ""), k
    assert page.locator("img[src='x']").count() == 0
    assert page.locator("img[src*='127.0.0.1:9']").count() == 0
    assert page.locator("a[href*='127.0.0.1:9'], a[href*='evil.example']").count() == 0
    story = page.locator(".st-key-driftlab_story")
    expect(story.locator("a, img, iframe, strong em, em")).to_have_count(0)
    shown = story.inner_text().replace("\u2060", "")
    for name in (IFRAME, IMG, PIXEL, STARS, AUTOLINK):  # shown, as the text it is
        assert name in shown, shown
    contenders = page.locator("[data-testid='stExpander'] summary").filter(has_text="Contenders (")
    expect(contenders).to_contain_text(IFRAME)  # the collapsed editor's list of names


# ---------------------------------------------------------------------------------------------
# Uploads are deleted when their session ends
# ---------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def short_lived_server(tmp_path_factory):
    """A second server whose disconnected sessions expire after 2 s and whose upload sweep runs
    every second, with its own temporary folder (so its uploads are easy to find)."""
    tmp = tmp_path_factory.mktemp("short_lived")
    env = {**os.environ, "TMPDIR": str(tmp), "DRIFTLAB_UPLOAD_SWEEP_S": "1"}
    with streamlit_server(tmp, "--server.disconnectedSessionTTL", "2", env=env) as (url, _):
        yield url, tmp / "driftlab-uploads"


def test_an_upload_is_deleted_when_its_tab_is_closed(browser, short_lived_server, tmp_path):
    url, uploads = short_lived_server
    data = tmp_path / "mine.csv"
    data.write_text("a,b,label\n" + "".join(f"{i % 7},{i % 3},{'xy'[i % 2]}\n"
                                            for i in range(300)))
    context = browser.new_context()
    page = context.new_page()
    page.goto(url)
    expect(page.locator(".driftlab-title")).to_be_visible(timeout=60_000)
    wait_idle(page)
    page.locator(".st-key-source").get_by_role("combobox").click()
    page.get_by_role("option", name="Upload a CSV (your own data)").click()
    wait_idle(page)
    page.locator(".st-key-upload_csv input[type=file]").set_input_files(str(data))
    wait_idle(page)
    # the caption and the preview are drawn after the file was saved on the server
    expect(page.locator("[data-testid='stSidebar']").get_by_text("Preview and columns")) \
        .to_be_visible(timeout=60_000)
    files = list(uploads.rglob("mine.csv"))
    assert len(files) == 1, list(uploads.rglob("*"))
    folder = files[0].parent.parent
    assert (folder / ".owner").exists()

    started = time.perf_counter()
    context.close()  # the tab goes away: the session waits 2 s for a reconnect, then ends
    while folder.exists() and time.perf_counter() - started < 30:
        time.sleep(0.25)
    gone_s = time.perf_counter() - started
    print(f"\nupload folder removed {gone_s:.1f} s after the tab was closed")
    assert not folder.exists(), f"still there after {gone_s:.0f} s: {list(folder.rglob('*'))}"
