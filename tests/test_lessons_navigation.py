"""Session 9's walk-through of the Lessons page (issue 13): each lesson opens on its own first
chart, not on the tab of the lesson before; coming back from the race lab shows the last lesson
viewed, not lesson 1, and (session 11's walk-through) on the chart tab last viewed in it; the
accuracy chart's "grey baselines: below this axis" note has a line of its own under the x axis's
title (it overprinted "samples seen" on a narrow chart)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from lesson_runs import lesson_run

import helpers
from helpers import assert_clean
from lab.plots import accuracy_figure
from lab.plots.race import BELOW_AXIS_NOTE, BELOW_AXIS_NOTE_MARGIN, BELOW_AXIS_NOTE_SHIFT
from lab.plots.style import FONT_SIZE
from ui.pages import lessons as LP


@pytest.fixture(scope="module", autouse=True)
def _shared_lesson_runs():
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(LP, "run_lesson", lesson_run)
        yield


def _tab_containers(at) -> list:
    """The ``st.tabs`` blocks of the page (AppTest's tree, depth first)."""
    found = []

    def walk(node):
        for child in getattr(node, "children", {}).values():
            if getattr(child, "type", "") == "tab_container":
                found.append(child)
            walk(child)

    walk(at._tree)
    return found


def _header(at) -> str:
    return next(m.value for m in at.markdown if "<h2>Lesson " in m.value)


def _to_top(at) -> list[str]:
    """The scripts of the page's frames that scroll a lesson to its top (ui.lesson_header)."""
    return [f.proto.srcdoc for f in at.get("iframe")
            if f.proto.srcdoc.startswith("<script data-change=")]


def _to_results(at) -> list[str]:
    """The scripts of the page's frames that bring the chart and verdict into view."""
    return [f.proto.srcdoc for f in at.get("iframe")
            if f.proto.srcdoc.startswith("<script data-results=")]


def _open_tab(at) -> str:
    """The label of the chart tab the page opens on (the tab container's selected index)."""
    (tabs,) = _tab_containers(at)
    return at.tabs[tabs.proto.tab_container.default_tab_index].label


@pytest.mark.slow
def test_each_lesson_has_its_own_tabs_and_the_last_lesson_and_tab_survive_the_race_lab():
    at = helpers.new_app(timeout=90, mode="lessons", lesson="lesson-budget")
    assert_clean(at)
    (tabs,) = _tab_containers(at)
    # lesson 8's tabs: keyed by the lesson, its own first chart first
    assert tabs.proto.id.endswith(LP.figure_tabs_key(LP.LESSONS["lesson-budget"]))
    assert at.tabs[0].label == "Accuracy vs cost" == _open_tab(at)
    (first,) = _to_top(at)  # a lesson newly shown (here the session's first) opens at its top
    # the user opens lesson 8's second chart (the tabs are a widget: its value is the label)
    second = at.tabs[1].label
    at.session_state[LP.figure_tabs_key(LP.LESSONS["lesson-budget"])] = second
    at.run()
    assert _open_tab(at) == second
    assert _to_top(at) == []  # the same lesson rerun (a widget in it changed): no scroll
    at.button(key="lesson_prev").click().run()  # lesson 7: other tabs, another key
    assert_clean(at)
    assert "Lesson 7." in _header(at)
    (tabs,) = _tab_containers(at)
    assert tabs.proto.id.endswith("lesson_tabs_lesson-label-delay")
    assert _open_tab(at) == at.tabs[0].label  # never viewed: its first chart
    (back,) = _to_top(at)  # Back: lesson 7 opens at its top, in a frame of its own (the
    assert back != first  # browser runs a frame's script only when the frame is new)
    at.button(key="lesson_next").click().run()
    assert "Lesson 8." in _header(at)
    assert _open_tab(at) == second  # back from another lesson: the chart last viewed in it
    (forth,) = _to_top(at)
    assert forth not in (first, back)
    at.sidebar.radio(key="lesson").set_value("lesson-label-delay").run()  # from the list
    assert "Lesson 7." in _header(at) and len(_to_top(at)) == 1
    at.sidebar.radio(key="lesson").set_value("lesson-budget").run()

    # to the race lab and back: lesson 8 again, not lesson 1, on the chart last viewed in it
    at.sidebar.segmented_control(key="mode").set_value("Race lab").run()
    assert_clean(at)
    assert not [m for m in at.markdown if "<h2>Lesson " in m.value]
    at.sidebar.segmented_control(key="mode").set_value("Lessons").run()
    assert_clean(at)
    assert at.sidebar.radio(key="lesson").value == "lesson-budget"
    assert "Lesson 8." in _header(at)
    assert _open_tab(at) == second
    # ... and at its top, as a lesson newly picked (it opened at the race lab's scroll position)
    (again,) = _to_top(at)
    assert again not in (first, back, forth)
    at.run()
    assert _to_top(at) == []  # and a rerun of it stays where the user is


def _timeline(means: dict[str, float], n: int = 40) -> pd.DataFrame:
    t = np.arange(1, n + 1) * 100
    return pd.concat([pd.DataFrame({"t": t, "contender": name, "acc_window": value,
                                    "acc_cum": value, "staleness": 1.0, "retrain_count": 0,
                                    "train_cpu_cum": 0.0}) for name, value in means.items()])


def test_the_below_axis_note_has_a_line_of_its_own_under_the_axis_title():
    fig = accuracy_figure(_timeline({"A": 0.95, "B": 0.96, "No-change baseline": 0.5}), None,
                          [], baselines=["No-change baseline"])
    (note,) = [a for a in fig.layout.annotations if a.name == BELOW_AXIS_NOTE]
    assert note.text == "grey baselines: below this axis"
    # its top lies under the band that holds the tick labels and the axis title (the usual
    # bottom margin, 55 px, measured in chromium: "samples seen" ends about 50 px under the
    # axis at 17 px in presenter mode, 32 px at the race lab's fonts), and the margin holds it
    assert note.yanchor == "top" and note.y == 0 and note.yref == "paper"
    assert -note.yshift == BELOW_AXIS_NOTE_SHIFT >= 55
    assert fig.layout.margin.b == BELOW_AXIS_NOTE_MARGIN >= BELOW_AXIS_NOTE_SHIFT \
        + 1.3 * FONT_SIZE
    plain = accuracy_figure(_timeline({"A": 0.95, "B": 0.96}), None, [])
    assert plain.layout.margin.b == 55  # no note: no extra band


@pytest.mark.slow
def test_try_and_fail_ask_for_the_chart_and_verdict_in_view_outside_presenter_mode():
    """Issue 13 (1024x768): after "Try it" or "Make the claim fail" the page stayed at the
    button, the chart scrolled away. Each of those clicks (and "Back to the lesson") draws, in
    its run only, a new frame that scrolls the result row (chart first) to the window's top; a
    rerun of the same run draws none, nor does presenter mode (its first screen holds all)."""
    at = helpers.new_app(timeout=90, mode="lessons", lesson="lesson-no-change")
    assert_clean(at)
    assert _to_results(at) == []
    seen = []
    for button in ("lesson_try", "lesson_untry", "lesson_break"):
        at.button(key=button).click().run()
        assert_clean(at)
        (script,) = _to_results(at)
        assert ".st-key-lesson_result_row" in script and script not in seen
        seen.append(script)
        at.run()
        assert _to_results(at) == []
    at.toggle(key="presenter").set_value(True).run()
    at.button(key="lesson_try").click().run()
    assert_clean(at)
    assert _to_results(at) == []
