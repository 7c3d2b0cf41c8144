"""The Lessons mode and the race lab's Boundary tab through AppTest (no browser), plus one
browser test of the Lessons page at 1366x768 (screenshots in artifacts/screenshots/).

Every lesson loads with one click and its claim holds at the preset settings; the lesson's
``break_overrides``, applied through the settings widgets, make the page say the claim does not
hold; "Try it" runs the lesson's try-this change and judges it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from lesson_runs import lesson_run
from streamlit.testing.v1 import AppTest

import helpers
from helpers import assert_clean
from lab.lessons.catalogue import LESSONS
from lab.plots.race import BASELINE_COLOR
from ui.pages import lessons as LP

# Every test here runs the whole app (AppTest or a browser): seconds each, not the quick loop.
pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")


def new_app(**query) -> AppTest:
    return helpers.new_app(timeout=90, **query)




def badge(at: AppTest) -> str:
    texts = [m.value for m in list(at.success) + list(at.warning)]
    claims = [t for t in texts if "The claim" in t]
    assert len(claims) == 1, texts
    return claims[0]


def pick(at: AppTest, key: str) -> AppTest:
    at.sidebar.radio(key="lesson").set_value(key).run()
    assert_clean(at)
    return at


@pytest.fixture(scope="module", autouse=True)
def _page_runs_are_shared_with_the_lesson_tests():
    """The page runs its lessons through ``lesson_runs`` (the same lesson config runs once per
    process): the runs the claim and texts tests made in this worker are drawn, not rerun."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(LP, "run_lesson", lesson_run)
        yield


@pytest.fixture(scope="module")
def lessons_at() -> AppTest:
    at = new_app(mode="lessons")
    assert_clean(at)
    return at


def test_lessons_mode_from_the_url_shows_lesson_one(lessons_at):
    at = lessons_at
    assert at.session_state["mode"] == "Lessons"
    assert at.sidebar.radio(key="lesson").value == "lesson-stable"
    assert "The claim holds" in badge(at)
    assert at.get("plotly_chart")
    assert at.query_params["mode"] in ("lessons", ["lessons"])


@pytest.mark.parametrize("key", list(LESSONS))
def test_each_lesson_loads_with_one_click_and_holds_then_fails_when_broken(lessons_at, key):
    at = pick(lessons_at, key)
    lesson = LESSONS[key]
    assert f"Lesson {lesson.number}. {lesson.title}" in "".join(m.value for m in at.markdown)
    text = badge(at)
    assert "The claim holds" in text, text
    assert len(at.get("plotly_chart")) == len(lesson.charts) or lesson.kind != "race" or \
        len(at.get("plotly_chart")) >= 1
    # the break path fills the settings widgets; the page then judges the run they describe
    state, left = LP.state_for_overrides(lesson, lesson.break_overrides)
    at.button(key="lesson_break").click().run()
    assert_clean(at)
    for k, v in state.items():
        assert at.session_state[k] == v
    # what no widget shows (a model, a detector, many drifts) is applied too, and listed
    assert at.session_state[LP.wkey(lesson, "extra")] == {
        p: lesson.break_overrides[p] for p in left}
    caption = " ".join(c.value for c in at.caption)
    assert all(p.replace("_", "\\_") in caption or p in caption for p in left), caption
    assert "does not hold for these settings" in badge(at), badge(at)
    at.button(key="lesson_reset").click().run()
    assert at.session_state[LP.wkey(lesson, "extra")] == {}
    if lesson.is_race:  # the baselines are grey reference lines, as in the race lab
        specs = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
        [accuracy] = [s for s in specs
                      if s["layout"]["title"]["text"].startswith("Rolling accuracy")]
        lines = {t.get("name"): t["line"] for t in accuracy["data"] if t.get("mode") == "lines"}
        for name in ("No-change baseline", "Majority baseline"):
            assert lines[name]["color"] == BASELINE_COLOR and lines[name]["width"] < 2, lines
        others = [s for s in specs if s is not accuracy]
        assert not any(t.get("name", "").endswith(" baseline") for s in others
                       for t in s["data"]), key


def test_changing_a_setting_widget_by_hand_breaks_a_claim(lessons_at):
    at = pick(lessons_at, "lesson-noise")
    at.number_input(key="ls5_label_noise").set_value(0.0).run()
    assert_clean(at)
    assert "does not hold for these settings" in badge(at)
    caption = " ".join(c.value for c in at.caption)
    assert "stream.label_noise" in caption
    at.number_input(key="ls5_label_noise").set_value(0.1).run()
    assert "The claim holds" in badge(at)


def test_overrides_from_widgets_match_the_break_overrides():
    # what the widgets send to the core is the lesson's own break change
    from lab.lessons.runner import lesson_config

    for lesson in LESSONS.values():
        state, left = LP.state_for_overrides(lesson, lesson.break_overrides)
        preset = LP.preset_state(lesson)
        fake = {**preset, **state,
                LP.wkey(lesson, "extra"): {p: lesson.break_overrides[p] for p in left}}
        LP.ss = fake  # overrides_from_state reads the session state
        try:
            overrides, seed = LP.overrides_from_state(lesson)
        finally:
            import streamlit as st
            LP.ss = st.session_state
        assert lesson_config(lesson, overrides, seed) == lesson_config(
            lesson, lesson.break_overrides), lesson.key


def test_try_this_runs_the_change_and_judges_it(lessons_at):
    at = pick(lessons_at, "lesson-sudden")
    at.button(key="lesson_try").click().run()
    assert_clean(at)
    texts = " ".join(m.value for m in at.success)
    assert "It happened" in texts, texts
    # the badge speaks of the Try run and agrees with the Try box (no "does not hold" beside
    # "It happened")
    infos = " ".join(m.value for m in at.info)
    assert "With the Try change the claim still holds, as this change is meant" in infos, infos
    assert not [m.value for m in at.warning if "claim" in m.value]
    assert LESSONS["lesson-sudden"].try_expect in " ".join(m.value for m in at.markdown)
    at.button(key="lesson_untry").click().run()
    assert at.button(key="lesson_try")


def test_presenter_and_navigation(lessons_at):
    at = pick(lessons_at, "lesson-gradient")
    at.toggle(key="presenter").set_value(True).run()
    assert_clean(at)
    assert any('[data-testid="stSidebar"]' in m.value for m in at.markdown)
    assert at.get("plotly_chart")
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert spec["layout"]["font"]["size"] == 18
    at.button(key="lesson_next").click().run()
    assert at.session_state["lesson"] == "lesson-kmeans"
    at.button(key="lesson_next").click().run()
    assert at.session_state["lesson"] == "lesson-virtual-drift"  # lessons 12-15 follow
    at.button(key="lesson_prev").click().run()
    at.button(key="lesson_prev").click().run()
    assert at.session_state["lesson"] == "lesson-gradient"
    # the sidebar is hidden: the title row has a select to jump to any lesson, which follows
    # the lesson however it was reached
    jump = at.selectbox(key=LP.JUMP)
    assert jump.value == "lesson-gradient" and list(jump.options)[0] == LP.title(
        LESSONS["lesson-stable"])
    jump.set_value("lesson-kmeans").run()
    assert_clean(at)
    assert at.session_state["lesson"] == "lesson-kmeans"
    assert "Lesson 11. " in "".join(m.value for m in at.markdown)
    at.button(key="lesson_prev").click().run()
    assert at.selectbox(key=LP.JUMP).value == "lesson-gradient"
    at.toggle(key="presenter").set_value(False).run()
    assert not any('[data-testid="stSidebar"]' in m.value for m in at.markdown)
    assert not at.get("selectbox") or LP.JUMP not in [s.key for s in at.selectbox]


def test_presenter_is_kept_in_the_url_restored_from_it_and_shows_a_compact_verdict():
    at = new_app(mode="lessons", lesson="lesson-gradient", presenter="1")
    assert_clean(at)
    assert at.session_state["presenter"] is True
    assert any('[data-testid="stSidebar"]' in m.value for m in at.markdown)
    assert at.query_params["presenter"] in ("1", ["1"])
    assert at.query_params["lesson"] in ("lesson-gradient", ["lesson-gradient"])
    # compact: the headline in the badge, the numbers in an expander under it
    assert [m.value for m in at.success] == ["**The claim holds.**"]
    [numbers] = [e for e in at.expander if e.label == "The numbers behind the verdict"]
    detail = LP.lesson_outputs("lesson-gradient", "{}", at.session_state["ls10_seed"])["detail"]
    assert [m.value for m in numbers.markdown] == [detail]
    at.toggle(key="presenter").set_value(False).run()
    assert "presenter" not in at.query_params
    assert not [e for e in at.expander if e.label == "The numbers behind the verdict"]
    assert [m.value for m in at.success] == [f"**The claim holds.** {detail}"]
    at.toggle(key="presenter").set_value(True).run()
    assert at.query_params["presenter"] in ("1", ["1"])
    at.session_state["mode"] = "Race lab"  # the race lab takes no lesson parameters
    at.run()
    assert_clean(at)
    assert "presenter" not in at.query_params and "lesson" not in at.query_params
    # a value that is neither on nor off: a warning, and the normal view
    at = new_app(mode="lessons", lesson="10", presenter="maybe")
    assert not at.exception
    warnings = " ".join(w.value for w in at.warning)
    assert "presenter 'maybe'" in warnings and "presenter=1" in warnings, warnings
    assert "ignored" not in warnings  # not read as a config path (ui.urls)
    assert not at.session_state["presenter"]


@pytest.mark.parametrize("query, where", [({"mode": "lessons", "lesson": "nope"}, "lesson 'nope'"),
                                          ({"mode": "nope"}, "mode 'nope'")])
def test_bad_url_values_warn_without_exception(query, where):
    at = new_app(**query)
    assert not at.exception, [e.value for e in at.exception]
    warnings = " ".join(w.value for w in at.warning)
    assert where in warnings, warnings
    assert "mode=" not in warnings.replace(f"mode '{query['mode']}'", "") or "use mode=" in warnings


def test_lesson_by_number_in_the_url_and_back_to_the_race_lab():
    at = new_app(lesson="7")
    assert_clean(at)
    assert at.session_state["mode"] == "Lessons"
    assert at.session_state["lesson"] == "lesson-label-delay"
    at.session_state["mode"] = "Race lab"
    at.run()
    assert_clean(at)
    assert at.button(key="run")
    assert "mode" not in at.query_params


# ---------------------------------------------------------------------------------------------
# The race lab's Boundary tab
# ---------------------------------------------------------------------------------------------
def test_boundary_tab_after_the_default_race_and_for_a_stream_that_is_not_2d():
    at = new_app()
    at.button(key="run").click().run()
    assert_clean(at)
    at.session_state["result_tabs"] = "Boundary"
    at.run()
    assert_clean(at)
    specs = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    boundary = [s for s in specs if any(t.get("type") == "heatmap" for t in s["data"])]
    assert len(boundary) == 1
    titles = json.dumps(boundary[0]["layout"].get("annotations", []))
    titles = titles.replace("<br>", " ")  # the column titles wrap for narrow pages
    assert "just before the drift" in titles or "just before drift 1" in titles, titles
    assert "at the end" in titles
    # a stream with more than 2 features: a message instead
    at.sidebar.selectbox(key="source").set_value("sea").run()
    at.button(key="run").click().run()
    assert_clean(at)
    at.session_state["result_tabs"] = "Boundary"
    at.run()
    assert_clean(at)
    assert any("needs a stream with 2 features" in m.value for m in at.info)


# ---------------------------------------------------------------------------------------------
# In a real browser (1366x768, a projector's size)
# ---------------------------------------------------------------------------------------------
import browser_fixtures  # noqa: E402
from browser_fixtures import VIEWPORT  # noqa: E402


@pytest.mark.browser
def test_lessons_page_in_the_browser(page, app_url, artifacts):
    expect = pytest.importorskip("playwright.sync_api").expect

    def wait_idle():
        browser_fixtures.wait_idle(page)

    def assert_no_errors():
        expect(page.get_by_test_id("stException")).to_have_count(0)
        expect(page.get_by_test_id("stAlertContentError")).to_have_count(0)

    page.goto(app_url + "/?mode=lessons")
    expect(page.get_by_text("The claim holds").first).to_be_visible(timeout=90_000)
    wait_idle()
    # read down to lesson 1's settings: the next lesson picked from the list opens at its top
    # (the main area kept its scroll, so lesson 16 once opened with its title above the window)
    main = page.locator("[data-testid=stMain]")
    main.evaluate("e => e.scrollTo(0, e.scrollHeight)")
    assert main.evaluate("e => e.scrollTop") > 200
    sidebar = page.get_by_test_id("stSidebar")
    sidebar.get_by_text("2. Sudden drift").click()  # one click loads and runs it
    expect(page.locator("h2", has_text="Lesson 2. Sudden drift")).to_be_visible(timeout=60_000)
    expect(page.get_by_text("is back within 5 points").first).to_be_visible(timeout=60_000)
    wait_idle()
    page.wait_for_function("() => document.querySelector('[data-testid=stMain]').scrollTop == 0",
                           timeout=10_000)
    assert page.locator("h2", has_text="Lesson 2.").bounding_box()["y"] >= 0
    assert_no_errors()
    expect(page.get_by_text("The claim holds").first).to_be_visible()
    plot = page.locator(".js-plotly-plot").first
    expect(plot).to_be_visible()
    expect(plot.locator(".scatterlayer .trace")).not_to_have_count(0)
    assert "lesson=lesson-sudden" in page.url
    # the claim and the top of the chart fit the first screen
    assert plot.bounding_box()["y"] < VIEWPORT["height"] * 0.5
    page.mouse.move(10, 700)
    page.screenshot(path=str(artifacts / "lessons_01_sudden.png"))
    page.get_by_role("button", name="Make the claim fail").click()
    expect(page.get_by_text("does not hold for these settings").first).to_be_visible(
        timeout=60_000)
    wait_idle()
    page.mouse.move(10, 700)
    page.screenshot(path=str(artifacts / "lessons_02_broken.png"))
    page.get_by_role("button", name="Preset settings").click()
    expect(page.get_by_text("The claim holds").first).to_be_visible(timeout=60_000)
    wait_idle()

    page.locator(".st-key-presenter label").click()
    wait_idle()
    expect(sidebar).to_be_hidden()
    assert_no_errors()
    plot = page.locator(".js-plotly-plot").first
    expect(plot).to_be_visible()
    expect(page.locator(".driftlab-lesson").first).to_be_visible()
    wait_idle()
    verdict_box = page.locator(".st-key-lesson_verdict").first.bounding_box()
    chart_box = plot.bounding_box()
    assert chart_box["x"] + chart_box["width"] <= verdict_box["x"] + 1  # verdict beside it
    assert chart_box["x"] + chart_box["width"] <= VIEWPORT["width"]
    page.mouse.move(10, 700)
    page.screenshot(path=str(artifacts / "lessons_03_presenter.png"))
    page.get_by_role("tab", name="Decision boundary").click()
    boundary = page.get_by_role("tabpanel", name="Decision boundary").locator(".js-plotly-plot")
    expect(boundary).to_be_visible()
    expect(boundary.locator(".heatmaplayer, .imagelayer").first).to_be_attached()
    assert boundary.bounding_box()["x"] + boundary.bounding_box()["width"] <= VIEWPORT["width"]
    page.mouse.move(10, 700)
    page.screenshot(path=str(artifacts / "lessons_04_presenter_boundary.png"))
    print(f"screenshots in {artifacts}")
