"""The race page after the session-11 walk-through (issue 13): picking an overlay keeps the
accuracy chart in its place and brings it into view, and after Stop the previous run's box is
under the warning that points to it, above the stopped race's chart.

AppTest only; where the page lands in a window (1366×768 and 1024×768) is measured in chromium
by ``tests/test_results_in_view_browser.py`` and ``tests/test_race_page_scroll_browser.py``.
"""

from __future__ import annotations

from helpers import assert_clean, config, new_app
from ui import keys as K
from ui.pages.race_lab import RESULT_TABS_KEY, SCROLL_SCRIPT
from ui.urls import encode_config

SMALL = config(n=2000, drifts=[{"at": 1000, "width": 0, "to": {"variant": 1}}])


def accuracy_tab_elements(at) -> list[str]:
    """The Accuracy tab's elements in page order: a plotly chart by its key, others by type."""
    [tab] = [t for t in at.tabs if t.label == "Accuracy"]
    names = []

    def walk(block):
        for child in block.children.values():
            if getattr(child, "type", None) == "plotly_chart":
                names.append(str(child.proto.id).rsplit("-", 1)[-1])
            elif hasattr(child, "children") and child.children:
                walk(child)
            else:
                names.append(type(child).__name__)

    walk(tab)
    return names


def scroll_frames(at) -> list[str]:
    """The results' scroll scripts drawn by the last run (``ui.scroll.SCROLL_SCRIPT``)."""
    return [f.proto.srcdoc for f in at.get("iframe")
            if f.proto.srcdoc.startswith(SCROLL_SCRIPT.split("%d")[0])]


def two_setups_raced():
    at = new_app(config=encode_config({**SMALL, "seed": 61}))
    at.number_input(key="seed").set_value(62).run()
    at.button(key="run").click().run()  # run 2, another setup: run 1 can be overlaid
    assert_clean(at)
    return at


def test_the_accuracy_chart_is_first_in_its_tab_with_or_without_an_overlay():
    """The chart keeps its place when an overlay is picked (so the browser updates it rather
    than drawing a new chart, 0 px high for a moment, which scrolled the page to its top), and
    the axis toggle and the overlay's note are under it (above it they pushed its x-axis out of
    a 1024x768 window)."""
    at = two_setups_raced()
    assert accuracy_tab_elements(at) == ["accuracy_chart", "Toggle", "Caption"]
    at.selectbox(key=K.COMPARE_WITH).select(1).run()
    assert_clean(at)
    elements = accuracy_tab_elements(at)
    assert elements == ["accuracy_chart", "Toggle", "Caption", "Caption"], elements
    [tab] = [t for t in at.tabs if t.label == "Accuracy"]
    assert tab.caption[0].value.startswith("Dotted, faded lines: run 1 (")
    at.toggle(key=K.ACCURACY_FULL_SCALE).set_value(True).run()
    assert accuracy_tab_elements(at)[0] == "accuracy_chart"


def test_picking_or_clearing_an_overlay_opens_the_accuracy_chart_and_scrolls_to_it():
    """The overlay changes the accuracy chart only: picked (or cleared) while another tab is
    open, the Accuracy tab opens and the results are scrolled into view as after a Run, by a
    scroll script numbered anew each time (the browser keeps a frame that did not change, and
    would not run its script again). "No overlay" clears it: the picker had no way back."""
    at = two_setups_raced()
    assert at.selectbox(key=K.COMPARE_WITH).options == [at.selectbox(key=K.COMPARE_WITH)
                                                        .options[0]]  # nothing to clear yet
    [after_run] = scroll_frames(at)
    at.session_state[RESULT_TABS_KEY] = "Summary"
    at.run()
    assert not scroll_frames(at)  # opening a tab scrolls nothing
    assert at.session_state[RESULT_TABS_KEY] == "Summary"
    at.selectbox(key=K.COMPARE_WITH).select(1).run()
    assert_clean(at)
    assert at.session_state[RESULT_TABS_KEY] == "Accuracy"
    [after_pick] = scroll_frames(at)
    assert after_pick != after_run
    at.session_state[RESULT_TABS_KEY] = "Cost"
    at.run()
    picker = at.selectbox(key=K.COMPARE_WITH)
    assert picker.options[-1] == "No overlay"  # offered while an overlay is on
    picker.select_index(len(picker.options) - 1).run()  # cleared
    assert_clean(at)
    assert at.selectbox(key=K.COMPARE_WITH).value is None
    assert "No overlay" not in at.selectbox(key=K.COMPARE_WITH).options
    assert at.session_state[RESULT_TABS_KEY] == "Accuracy"
    [after_clear] = scroll_frames(at)
    assert after_clear not in (after_run, after_pick)
    at.run()  # any other page run scrolls nothing
    assert not scroll_frames(at)


def main_order(at) -> list[str]:
    """The main area's warnings, "Previous run" boxes and plotly charts, in page order."""
    order = []

    def walk(block):
        for child in block.children.values():
            kind = getattr(child, "type", None)
            if kind == "plotly_chart":
                order.append("chart:" + str(child.proto.id).rsplit("-", 1)[-1])
            elif type(child).__name__ == "Warning":
                order.append("warning:" + child.value)
            elif type(child).__name__ == "Expander" and child.label.startswith("Previous run"):
                order.append("box:" + child.label)
            if hasattr(child, "children") and type(child).__name__ != "Expander":
                walk(child)

    walk(at.main)
    return order


def test_after_stop_the_previous_runs_box_is_between_the_warning_and_the_stopped_chart():
    """The box of the run before is where the warning says ("just below"), above the stopped
    race's partial chart: under the chart it was below the window (1366x768), out of sight."""
    from test_race_page_after_stop import stopped_after_run_1

    at = new_app(config=encode_config({**SMALL, "seed": 63}))
    stopped_after_run_1(at)
    assert_clean(at)
    order = main_order(at)
    assert [o.split(":")[0] for o in order] == ["warning", "box", "chart"], order
    assert order[0] == ("warning:Race stopped at sample 1,100 of 2,000: the chart below shows "
                        "the race up to there. Press **Run** to race again, or open run 1's "
                        "complete results just below.")
    assert order[1].startswith("box:Previous run (Run 1, before the stopped race): 2,000 "
                               "samples")
    assert order[2] == "chart:stopped_chart"
    # stopped during the warm-up: no chart, and the same way to run 1
    at.session_state[K.PARTIAL] = {**at.session_state[K.PARTIAL], "points": 0}
    at.run()
    order = main_order(at)
    assert [o.split(":")[0] for o in order] == ["warning", "box"], order
    assert order[0].endswith("Press **Run** to race again, or open run 1's complete results "
                             "just below.")
