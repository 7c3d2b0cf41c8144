"""Issue 10, point 3, in a real browser: a race stops within about a second of Stop, and of its
tab closing (it used to run on: 48.6 s of server CPU in the 60 s after closing).

The server here is this module's own (not ``browser_fixtures.app_url``'s shared one): the test
measures the server process's CPU time, which another test's session would disturb. Each test,
from Run to its last measurement, runs in an ``alone_turn`` (see tests/conftest.py): "the
stopped view within 2 s of Stop" is wall-clock time, which a test running on the other
pytest-xdist worker at the same moment would stretch. Starting the server and loading the page
need no quiet machine, so the other worker keeps running then. That time is taken in the
browser's own clock (``TIME_STOP_JS``), so other processes' load on the test's side (its round
trips to chromium, playwright's polling) is not in it.
"""

from __future__ import annotations

import os
import re
import time

import pytest

from browser_fixtures import RUN_BUTTON, streamlit_server, wait_idle
from helpers import config
from ui.urls import encode_config

playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect
expect.set_options(timeout=30_000)

pytestmark = [pytest.mark.browser, pytest.mark.slow]
STOP_BUTTON = ".st-key-stop button >> visible=true"

# Four online Hoeffding trees on 60,000 samples: estimated ~22 s, within the app's limits but
# over the 5 s a link may start on its own, so opening the link waits for Run.
LONG_RACE = config(n=60_000, step=500, contenders=[
    {"name": f"Tree {i}", "model": "river.hoeffding_tree", "policy": {"kind": "online"}}
    for i in range(4)])


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process and its threads (from /proc, no psutil needed)."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """``(url, process)`` of a fresh ``streamlit run app.py`` on a port of its own."""
    with streamlit_server(tmp_path_factory.mktemp("streamlit-cancel")) as running:
        yield running


def open_long_race(page, url: str) -> None:
    page.goto(f"{url}/?config={encode_config(LONG_RACE)}")
    expect(page.locator(".driftlab-title")).to_be_visible(timeout=60_000)
    wait_idle(page)
    expect(page.get_by_text("This link's race needs about")).to_be_visible()


def start_long_race(page) -> None:
    """Run, and wait until it is racing. Called inside the test's ``alone_turn``: waiting for
    the turn can take as long as the other worker's test, longer than the race itself."""
    page.locator(RUN_BUTTON).first.click()
    # past the warm-ups and a few recording points: at least 2,000 samples raced
    expect(page.get_by_text(re.compile(r"Racing… (?:[2-9]|\d\d),\d{3} of 60,000"))) \
        .to_be_visible(timeout=60_000)
    page.wait_for_timeout(1000)


# Times Stop in the browser's own clock: from the click event on the Stop button to the moment
# the stopped view's text enters the page (a MutationObserver), so neither the test's round trips
# to the browser under load nor playwright's polling are counted (its assertions check again
# after 20, 50, 100, 100 and then every 500 ms, playwright 1.65's retryWithProgressAndBackoff: a
# view drawn 0.8 s after the click is seen at the 1.27 s check, one drawn at 1.3 s at 1.77 s).
TIME_STOP_JS = """() => {
  window.__stopTimes = {};
  document.addEventListener('click', (event) => {
    if (!event.target.closest('.st-key-stop') || window.__stopTimes.clicked) return;
    window.__stopTimes.clicked = performance.now();
    const seen = () => document.body.textContent.includes('Race stopped at');
    const observer = new MutationObserver(() => {
      if (seen()) { window.__stopTimes.shown = performance.now(); observer.disconnect(); }
    });
    observer.observe(document.body, {childList: true, subtree: true, characterData: true});
  }, true);
}"""


def test_stop_ends_a_long_race_within_a_second(page, server, artifacts, alone_turn):
    url, proc = server
    open_long_race(page, url)
    page.evaluate(TIME_STOP_JS)
    with alone_turn():
        start_long_race(page)
        stop = page.locator(STOP_BUTTON).first
        clicked = time.perf_counter()
        stop.click()
        page.wait_for_function("() => window.__stopTimes.shown !== undefined", polling="raf",
                               timeout=20_000)
        times = page.evaluate("() => window.__stopTimes")
        shown = (times["shown"] - times["clicked"]) / 1000
        expect(page.get_by_text("Race stopped at")).to_be_visible()
        page.screenshot(path=str(artifacts / "cancel_01_stopped.png"))
        # The race itself is over one second after the click: the server is idle from then on.
        time.sleep(max(0.0, 1.0 - (time.perf_counter() - clicked)))
        wait_idle(page)
        before = cpu_seconds(proc.pid)
        time.sleep(2)
        idle_cpu = cpu_seconds(proc.pid) - before
    print(f"\nStop to the stopped view: {shown:.2f} s; server CPU in 2 s after that: "
          f"{idle_cpu:.2f} s")
    expect(page.locator(".st-key-stopped_chart .js-plotly-plot")).to_be_visible()
    # 0.1 s poll + a 0.1 s piece, and the rerun drawing the page up to the stopped view. As
    # playwright's polling saw it, from before the click: 0.90 and 0.92 s on the idle 2-core
    # machine, 1.72 s once while the suite's other worker kept the second core busy, 2.03-2.26 s
    # under other sessions' load. In the browser's clock (2026-11-28, other sessions keeping the
    # 2 cores at load 7-10): 0.18, 0.29, 0.42, 0.48 s, and 1.24 s once. Wall-clock seconds, as
    # the user waits them, so the block runs in an alone_turn; the race itself is over at once
    # (the server's idle CPU below), which is what Stop promises.
    assert shown < 2.0
    assert idle_cpu < 0.3


def test_closing_the_tab_ends_the_race(browser, server, alone_turn):
    url, proc = server
    context = browser.new_context()
    page = context.new_page()
    open_long_race(page, url)
    with alone_turn():
        start_long_race(page)
        before = cpu_seconds(proc.pid)
        time.sleep(1)
        racing_cpu = cpu_seconds(proc.pid) - before
        page.close()
        closed = cpu_seconds(proc.pid)
        time.sleep(1)
        first_s = cpu_seconds(proc.pid) - closed
        time.sleep(2)
        after_cpu = cpu_seconds(proc.pid) - closed
    context.close()
    print(f"\nserver CPU: {racing_cpu:.2f} s in 1 s while racing; after the tab closed "
          f"{first_s:.2f} s in the first second, {after_cpu:.2f} s in 3 s")
    assert racing_cpu > 0.2  # the race was running (so the quiet after closing means something)
    assert after_cpu < 0.5
    assert after_cpu - first_s < 0.2  # over: seconds 1-3 are idle, not a slowed-down race
