"""The Lessons page at 1024x768 (issue 13, session 11's walk-through): after "Try it" and "Make
the claim fail" (presenter mode off) the chart that changed is in the window, then the start of
the verdict under it (the row is stacked at this width), not the verdict alone with the chart
scrolled away (without the scroll the chart's top was 304 px above the window after Try).
Lesson 15 (one chart, the one of issue 13). Screenshots go to
``browser_fixtures.ARTIFACTS`` (artifacts/screenshots/, git-ignored).
"""

from __future__ import annotations

import pytest

import browser_fixtures

pytestmark = [pytest.mark.slow, pytest.mark.browser]

WIDTH, HEIGHT = 1024, 768


def _chart_then_verdict_in_view(page, shot: str, artifacts) -> None:
    """The chart's whole box in the window, the verdict's top inside it, under the chart."""
    page.mouse.move(5, HEIGHT - 5)
    page.screenshot(path=str(artifacts / f"lesson_results_{shot}_{WIDTH}x{HEIGHT}.png"))
    chart = page.locator(".st-key-lesson_result_row .js-plotly-plot").first.bounding_box()
    verdict = page.locator(".st-key-lesson_verdict").first.bounding_box()
    assert chart["y"] >= 0 and chart["y"] + chart["height"] <= HEIGHT, (shot, chart)
    assert chart["y"] + chart["height"] <= verdict["y"] < HEIGHT - 60, (shot, chart, verdict)


def test_try_and_fail_show_the_chart_then_the_verdict(page, app_url, artifacts):
    expect = pytest.importorskip("playwright.sync_api").expect

    def settle():
        browser_fixtures.wait_idle(page, timeout=180_000)
        expect(page.get_by_test_id("stException")).to_have_count(0)
        page.wait_for_timeout(900)  # the scroll waits for the layout to keep still (3 x 50 ms)

    page.set_default_timeout(180_000)
    page.set_viewport_size({"width": WIDTH, "height": HEIGHT})
    page.goto(f"{app_url}/?mode=lessons&lesson=lesson-no-change")
    expect(page.get_by_text("The claim holds.").first).to_be_visible(timeout=180_000)
    settle()
    page.get_by_role("button", name="Try it").scroll_into_view_if_needed()
    page.get_by_role("button", name="Try it").click()
    expect(page.get_by_text("It happened").first).to_be_visible(timeout=180_000)
    settle()
    _chart_then_verdict_in_view(page, "try", artifacts)
    page.get_by_role("button", name="Make the claim fail").scroll_into_view_if_needed()
    page.get_by_role("button", name="Make the claim fail").click()
    expect(page.get_by_text("does not hold for these settings").first).to_be_visible()
    settle()
    _chart_then_verdict_in_view(page, "fail", artifacts)

