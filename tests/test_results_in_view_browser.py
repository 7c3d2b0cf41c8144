"""Results in view (issue 13, point 3), in chromium at 1366×768 and 1024×768.

After Run the contenders box is collapsed, the Accuracy tab is open, and the story and the
whole accuracy chart, its x-axis included, are inside the window without the user scrolling,
under the row of Run (which sticks to the window's top, so Run stays in reach). Every Run
(first, repeated from another tab, answered from the cache, at another window size) scrolls
the page to the same place: the story just under Run's row.
Screenshots go to ``artifacts/screenshots/`` (git-ignored; printed at the end).
"""

from __future__ import annotations

import pytest

from browser_fixtures import ARTIFACTS as SCREENSHOTS
from browser_fixtures import RUN_BUTTON, wait_idle

playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect
expect.set_options(timeout=90_000)  # two shared cores: a click can wait for a busy page

pytestmark = [pytest.mark.browser, pytest.mark.slow]
EDITOR = "[class*=st-key-contenders_box] details"


def in_window(page, locator) -> tuple[float, float]:
    """The element's top and bottom in the window (after any scrolling the page did)."""
    box = locator.bounding_box()
    assert box is not None, f"{locator} is not drawn"
    return box["y"], box["y"] + box["height"]


def main_scroll(page) -> float:
    """How far the page is scrolled (Streamlit scrolls its main area, not the window)."""
    return page.evaluate("() => document.querySelector('[data-testid=stMain]').scrollTop")


def assert_results_in_view(page, label: str, whole_chart: bool = True,
                           story_text: str = "Overall") -> float:
    """The story (once it says ``story_text``) and (``whole_chart``) the accuracy chart with its
    x-axis in the window, just under Run's row; returns how far the page scrolled."""
    story = page.locator(".st-key-driftlab_story")
    chart = page.locator(".st-key-accuracy_chart")
    expect(story).to_contain_text(story_text)
    expect(chart.locator(".scatterlayer .trace")).not_to_have_count(0)
    page.wait_for_timeout(600)  # the page's own scroll happens once the chart is drawn
    story_top, story_bottom = in_window(page, story)
    axis_top, axis_bottom = in_window(page, chart.locator(".xtitle"))
    ticks_top, ticks_bottom = in_window(page, chart.locator(".xaxislayer-above"))
    chart_top, _ = in_window(page, chart)
    run_top, run_bottom = in_window(page, page.locator(RUN_BUTTON).first)
    scrolled = main_scroll(page)
    page.mouse.move(5, 5)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"results_in_view_{label}.png"))
    height = page.viewport_size["height"]
    print(f"\n{label}: scrolled {scrolled:.0f} px; Run {run_top:.0f}-{run_bottom:.0f} px, story "
          f"{story_top:.0f}-{story_bottom:.0f} px, chart from {chart_top:.0f}, x-axis ticks to "
          f"{ticks_bottom:.0f}, title {axis_top:.0f}-{axis_bottom:.0f} px (window {height} px); "
          f"screenshot in {SCREENSHOTS}")
    assert 0 <= run_top and run_bottom < story_top  # Run in reach, above the story
    assert story_top - run_bottom < 40  # the story right under Run's row: scrolled to it
    assert story_bottom <= height and 0 <= chart_top and 0 <= ticks_top
    if whole_chart:
        assert ticks_bottom <= height and axis_bottom <= height
    expect(page.get_by_role("tab", name="Accuracy")).to_have_attribute("aria-selected", "true")
    return scrolled


def received_frames(page) -> list[bytes]:
    """The app's websocket frames the page receives from now on (a list that fills)."""
    frames: list[bytes] = []
    page.on("websocket", lambda ws: ws.on(
        "framereceived", lambda payload: frames.append(
            payload if isinstance(payload, bytes) else payload.encode())))
    return frames


def test_run_shows_the_story_and_the_whole_chart_and_a_pasted_config_races(page, app_url):
    page.set_default_timeout(90_000)
    frames = received_frames(page)
    page.goto(app_url)
    expect(page.locator(".driftlab-title")).to_be_visible()
    wait_idle(page)
    # the user had the contenders open while editing
    page.locator("[class*=st-key-contenders_box] summary").click()
    expect(page.locator(EDITOR)).to_have_attribute("open", "")
    expect(page.locator(".st-key-add_contender button")).to_be_visible()
    # opening the box reruns the script to record its state; a Run pressed before that run
    # ends interrupts it, and the box's state stays what the page last knew (closed), so the
    # browser keeps it open (seen once under load; a person edits before pressing Run)
    wait_idle(page)

    page.locator(RUN_BUTTON).first.click()
    expect(page.get_by_role("tab", name="Accuracy")).to_be_visible()
    wait_idle(page)
    expect(page.locator(EDITOR)).not_to_have_attribute("open", "")  # collapsed by Run
    first = assert_results_in_view(page, "default_race")

    # Another tab open, Run again (a cached re-run): back on the accuracy chart, in view.
    page.get_by_role("tab", name="Summary").click()
    wait_idle(page)
    page.evaluate("() => window.scrollTo(0, 0)")
    for element in page.locator("[data-testid=stMain]").all():
        element.evaluate("e => e.scrollTo(0, 0)")
    frames.clear()
    page.locator(RUN_BUTTON).first.click()
    # (a run this quick may start and end between two frames of the page: wait for its caption)
    expect(page.get_by_text("Run 2: 20,000 samples")).to_contain_text("from the server's cache")
    wait_idle(page)
    assert assert_results_in_view(page, "rerun_from_summary_tab") == first  # the same place
    # answered by the run's fragment (ui.pages.race_lab.run_view): the story and the chart
    # were sent again, the sidebar's widgets and the contenders editor were not
    received = b"".join(frames)
    assert b"driftlab_story" in received and b"accuracy_chart" in received
    assert b"label_noise" not in received and b"add_contender" not in received

    # At 1024x768 (the story wraps to more lines): a Run from the page's top scrolls to the same
    # place as a Run from further down, Run's row still on top of the story, and the whole chart
    # is in the window too (its x-axis title was 39 px below it with the axis toggle above the
    # chart, session 11's walk-through).
    page.set_viewport_size({"width": 1024, "height": 768})
    wait_idle(page, run_due=False)
    places = []
    for run, start in ((3, 0), (4, 10_000)):
        page.locator("[data-testid=stMain]").evaluate(f"e => e.scrollTo(0, {start})")
        page.locator(RUN_BUTTON).first.click()
        expect(page.get_by_text(f"Run {run}: 20,000 samples")).to_be_visible()
        wait_idle(page)
        places.append(assert_results_in_view(page, f"rerun_1024_from_{start}"))
    assert places[0] == places[1]

    # A config loaded in a result tab races at once: the result tabs are a fragment (a tab
    # reruns only them); a config pasted in the Export tab changes the whole page, so it must
    # get a full run: the sidebar and the story follow. (On this page, after its runs: a page
    # and a race of its own cost the suite more than this check.)
    page.set_viewport_size({"width": 1366, "height": 768})
    wait_idle(page, run_due=False)
    page.get_by_role("tab", name="Export").click()
    wait_idle(page)
    panel = page.get_by_role("tabpanel", name="Export")
    panel.get_by_text("…or paste a config").click()
    config = ('{"seed": 3, "stream": {"source": "sea", "n_samples": 4000}, "contenders": '
              '[{"name": "Pasted online", "model": "river.hoeffding_tree", '
              '"policy": {"kind": "online"}}]}')
    panel.locator(".st-key-paste_config textarea").fill(config)
    panel.locator(".st-key-paste_config textarea").blur()
    wait_idle(page)
    panel.locator(".st-key-load_pasted button").click()
    # waits only as long as the pasted race takes (a fixed 3 s pause did before the screenshot)
    expect(page.locator(".st-key-driftlab_story")).to_contain_text("Pasted online")
    wait_idle(page)
    page.screenshot(path=str(SCREENSHOTS / "config_pasted_in_export_tab.png"), full_page=True)
    expect(page.locator(".st-key-n_samples input")).to_have_value("4000")
    expect(page.locator("[class*=st-key-contenders_box] summary")).to_contain_text(
        "Contenders (1)")

    # Overlay the default race (run 4) on the pasted one, at 1024x768, while reading the Cost
    # tab from the page's top: the Accuracy tab opens and its chart, with the overlay, comes
    # into view as after a Run (the page jumped to its top, session 11's walk-through). "No
    # overlay" takes it off the same way. (On this page: it has the two setups to overlay.)
    page.set_viewport_size({"width": 1024, "height": 768})
    wait_idle(page, run_due=False)
    for choice in ("Run 4 (", "No overlay"):
        page.get_by_role("tab", name="Cost", exact=True).click()
        wait_idle(page)
        page.locator("[data-testid=stMain]").evaluate("e => e.scrollTo(0, 0)")
        page.locator(".st-key-compare_with").click()
        page.get_by_role("option", name=choice).click()
        wait_idle(page)
        overlaid = page.get_by_text("Dotted, faded lines: run 4 (")
        expect(overlaid).to_have_count(1 if choice != "No overlay" else 0)
        assert_results_in_view(page, "overlay_1024" if choice != "No overlay"
                               else "overlay_cleared_1024", story_text="Over the whole stream")
