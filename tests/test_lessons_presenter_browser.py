"""The Lessons page on a projector: in presenter mode at 1366x768 and 1024x768 the claim, the chart
and the verdict fit the first screen without scrolling, before and after "Try it" and "Make the
claim fail", and the Try / Fail run is drawn over the original on one chart (the original dotted
and faded). Screenshots go to artifacts/screenshots/ (git-ignored).
"""

from __future__ import annotations

import pytest

import browser_fixtures
from browser_fixtures import *  # noqa: F401,F403  (browser_type_launch_args, app_url, ...)

pytestmark = [pytest.mark.slow, pytest.mark.browser]

SIZES = [(1366, 768), (1024, 768)]
PARTS = {"claim": ".driftlab-claim", "chart": ".js-plotly-plot",
         "verdict": ".st-key-lesson_verdict"}


def _fits(page, width: int, height: int, shot: str, artifacts) -> None:
    """Each part's box lies inside the viewport, with the page scrolled to the top."""
    page.mouse.move(5, height - 5)  # no hover label over the chart in the screenshot
    page.screenshot(path=str(artifacts / f"{shot}_{width}x{height}.png"))
    for name, selector in PARTS.items():
        box = page.locator(selector).first.bounding_box()
        assert box is not None, f"{name} is not drawn ({shot}, {width}x{height})"
        assert box["x"] >= 0 and box["y"] >= 0, (name, box)
        assert box["x"] + box["width"] <= width + 1, (shot, width, name, box)
        assert box["y"] + box["height"] <= height + 1, (shot, width, height, name, box)
    chart = page.locator(PARTS["chart"]).first.bounding_box()
    verdict = page.locator(PARTS["verdict"]).first.bounding_box()
    assert chart["x"] + chart["width"] <= verdict["x"] + 1  # the verdict is beside the chart


# Known defect (issue 14, open): after "Try it" the verdict box, with the rewritten claims'
# longer texts, runs 635 px tall and overflows a 1024x768 presenter screen. Strict: the day it
# fits, this test fails until the mark is removed.
@pytest.mark.xfail(strict=True, reason="the Try verdict overflows 1024x768 in presenter mode")
@pytest.mark.parametrize("lesson, check_text", [
    ("lesson-adaptive", "After the drift: Hoeffding tree"),
    ("lesson-sudden", "Sudden drift"),
])
def test_presenter_fits_one_screen_with_try_and_fail_overlaid(page, app_url, artifacts, lesson,
                                                              check_text):
    expect = pytest.importorskip("playwright.sync_api").expect

    def settle():
        browser_fixtures.wait_idle(page, timeout=180_000)
        expect(page.get_by_test_id("stException")).to_have_count(0)
        expect(page.get_by_test_id("stAlertContentError")).to_have_count(0)

    page.set_default_timeout(180_000)
    page.goto(f"{app_url}/?mode=lessons&lesson={lesson}")
    expect(page.get_by_text(check_text).first).to_be_visible(timeout=180_000)
    settle()
    page.locator(".st-key-presenter label").click()
    settle()
    expect(page.get_by_test_id("stSidebar")).to_be_hidden()
    for width, height in SIZES:
        page.set_viewport_size({"width": width, "height": height})
        settle()
        _fits(page, width, height, f"presenter_{lesson}_1_claim", artifacts)

    page.get_by_role("button", name="Try it").click()
    expect(page.get_by_text("It happened").first).to_be_visible(timeout=180_000)
    settle()
    chart = page.locator(PARTS["chart"]).first
    expect(chart.get_by_text("(dotted, faded)").first).to_be_attached()  # the overlay
    for width, height in SIZES:
        page.set_viewport_size({"width": width, "height": height})
        settle()
        _fits(page, width, height, f"presenter_{lesson}_2_try", artifacts)

    page.get_by_role("button", name="Back to the lesson").click()
    settle()
    page.get_by_role("button", name="Make the claim fail").click()
    expect(page.get_by_text("does not hold for these settings").first).to_be_visible(
        timeout=180_000)
    settle()
    expect(page.locator(PARTS["chart"]).first.get_by_text("(dotted, faded)").first) \
        .to_be_attached()
    for width, height in SIZES:
        page.set_viewport_size({"width": width, "height": height})
        settle()
        _fits(page, width, height, f"presenter_{lesson}_3_fail", artifacts)
    print(f"screenshots in {artifacts}")
