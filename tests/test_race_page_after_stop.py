"""The race page after the session-9 walk-through (issue 13): the run before a stopped race stays
reachable (apart, labelled), the overlay is turned off by a run of another setup, every drift
card names its own problem, and the live race is scrolled into view when it starts.

AppTest only; the live race's scroll and the result tabs' sticky names are measured in chromium
by ``tests/test_race_page_scroll_browser.py``.
"""

from __future__ import annotations

import pytest

from helpers import assert_clean, config, drift_card, new_app
from ui import keys as K
from ui import state as S
from ui.urls import encode_config

SMALL = config(n=2000, drifts=[{"at": 1000, "width": 0, "to": {"variant": 1}}])


def stopped_after_run_1(at):
    """The page after Stop, run 1 shown before it (the stopped race's partial result made by
    hand: six recording points of run 1's timeline)."""
    timeline = at.session_state[K.HISTORY][-1]["outputs"]["timeline"]
    at.session_state[K.STOPPED] = True
    at.session_state[K.PARTIAL] = {
        "result": None, "points": 6, "n_done": 1100, "n": 2000,
        "drifts": [{"at": 1000, "width": 0}], "window": 200, "config_json": "{}",
        "baselines": [], "timeline": timeline.head(6)}
    return at.run()


def previous_boxes(at) -> list:
    return [e for e in at.main.expander if e.label.startswith("Previous run")]


def widget_keys(block) -> list[str]:
    return [str(getattr(e, "key", "")) for e in block]


@pytest.mark.slow
def test_after_stop_the_previous_run_is_in_a_collapsed_box_of_its_own():
    at = new_app(config=encode_config(SMALL))
    assert [h["id"] for h in at.session_state[K.HISTORY]] == [1]
    stopped_after_run_1(at)
    assert_clean(at)
    [box] = previous_boxes(at)
    assert box.label.startswith("Previous run (Run 1, before the stopped race): 2,000 samples")
    assert box.proto.expanded is False
    # collapsed: nothing of run 1 is drawn (no story, no tabs, no status line)
    assert not at.tabs and not any("**Overall**" in m.value for m in at.markdown)
    assert not any(c.value.startswith("Run 1:") for c in at.caption)
    # opened: run 1's story and result tabs, inside the box only, said to be run 1's
    at.session_state["previous_run_box"] = True
    at.run()
    assert_clean(at)
    [box] = previous_boxes(at)
    assert box.tabs and any("**Overall**" in m.value for m in box.markdown)
    assert any(c.value.startswith("These are the results of run 1, not of the stopped race")
               for c in box.caption)
    charts = [str(c.proto.id) for c in at.get("plotly_chart")]
    assert any("stopped_chart" in c for c in charts) and any("accuracy_chart" in c for c in charts)
    # the stopped race's chart and warning are above the box, outside it
    assert any(w.value.startswith("Race stopped at sample 1,100") for w in at.main.warning)
    assert not any(w.value.startswith("Race stopped") for w in box.warning)
    # the config opener is in the box's Export tab then, not also in the sidebar
    assert "upload_config" not in widget_keys(at.sidebar.get("file_uploader"))
    # the next Run shows its results as usual, without the box
    at.button(key="run").click().run()
    assert_clean(at)
    assert not at.session_state[K.STOPPED] and at.tabs and not previous_boxes(at)


def test_a_run_of_another_setup_turns_the_overlay_off_with_a_note():
    at = new_app(config=encode_config({**SMALL, "seed": 21}))
    at.number_input(key="seed").set_value(22).run()
    at.button(key="run").click().run()  # run 2
    at.selectbox(key=K.COMPARE_WITH).select(1).run()
    assert at.selectbox(key=K.COMPARE_WITH).value == 1
    # the accuracy tab says in full what the dashed lines are (the picker's label is cut short)
    assert any(c.value.startswith("Dotted, faded lines: run 1 (")
               and "to run 2 (then → now): Random seed 21 → 22." in c.value
               for c in at.caption), [c.value for c in at.caption]
    at.button(key="run").click().run()  # the same setup again: the overlay stays
    assert_clean(at)
    assert at.selectbox(key=K.COMPARE_WITH).value == 1
    assert not any(c.value.startswith("The overlay of run") for c in at.caption)
    at.number_input(key="seed").set_value(23).run()
    at.button(key="run").click().run()  # run 4, another setup: the overlay goes, with a note
    assert_clean(at)
    assert at.selectbox(key=K.COMPARE_WITH).value is None
    assert [c.value for c in at.caption if c.value.startswith("The overlay of run")] == [
        "The overlay of run 1 is off: it was picked to compare with run 3, and run 4 is "
        "another setup. Pick a run in the overlay list to compare it with this one."]
    assert not any(c.value.startswith("Dashed lines") for c in at.caption)
    at.selectbox(key=K.COMPARE_WITH).select(1).run()  # picked again: on, and the note is gone
    assert at.selectbox(key=K.COMPARE_WITH).value == 1
    assert not any(c.value.startswith("The overlay of run") for c in at.caption)


def test_every_drift_card_names_its_own_problem():
    """Drift 1 and drift 2 both run past the stream's end: the error box lists both, once each
    (drift 2 was named only when drift 1 was fixed), and each card points to it with its own
    field (issue 13: the same text was in the box, the card and under Samples)."""
    at = new_app()  # the default race: drift 1 at 8,000 (sudden), drift 2 at 14,000-16,000
    first, second = at.session_state[K.DRIFT_IDS]
    at.number_input(key=S.drift_key(first, "width")).set_value(9_000).run()  # to 17,000
    at.number_input(key="n_samples").set_value(15_000).run()  # drift 2 ends at 16,000
    assert not at.exception
    [box] = at.main.error
    assert box.value.count("Drift 1 (“Width”): is 9,000, outside 0 to") == 1, box.value
    assert box.value.count("Drift 2 (“Width”): is 2,000, outside 0 to 1,000") == 1
    assert "up to 1000 so the drift ends by the stream's end" in box.value

    def card_note(uid: int) -> str:
        card = drift_card(at.sidebar, S.drift_key(uid, "width"))
        assert "n_samples" not in [w.key for w in card.number_input]
        [note] = [e.value for e in card.error]
        return note

    assert card_note(first) == card_note(second) == "Width: see the message above the results"
    # a number field out of range is named in the box by its card ("Drift 2 · At sample"),
    # and its card gives the range
    at.number_input(key=S.drift_key(second, "at")).set_value(-5).run()
    assert "Drift 2 · At sample: is -5" in at.main.error[0].value
    assert card_note(second) == "At sample: 1 or more"
    at.number_input(key=S.drift_key(second, "at")).set_value(14_000).run()
    at.number_input(key=S.drift_key(first, "width")).set_value(0).run()
    at.number_input(key="n_samples").set_value(20_000).run()
    assert not at.sidebar.error and not at.main.error


def test_drift_problems_names_each_drift_by_its_own_index():
    """``drift_problems`` checks each drift with the core's own checks: an overlap names the
    drift before it by its own index (not 0), and a drift after a bad one is checked alone."""
    from ui.refusals import drift_problems

    cfg = config(n=1000, drifts=[{"at": 100, "width": 300}, {"at": 200, "width": 0},
                                 {"at": 900, "width": 200}, {"at": 950, "width": 0}])
    problems = {k: str(e) for k, e in drift_problems(cfg).items()}
    assert sorted(problems) == [1, 2]
    assert problems[1].startswith("stream.drifts[1].at: starts at 200, before drift 0 ends at 400")
    assert problems[2].startswith("stream.drifts[2].width: must be an integer >= 0 and <= 100")
    cfg["stream"]["drifts"][0]["width"] = 50  # drift 1 now ends at 150: drift 2 is fine
    assert sorted(drift_problems(cfg)) == [2]
    assert drift_problems({**cfg, "stream": {**cfg["stream"], "n_samples": "x"}}) == {}


def test_a_race_that_runs_scrolls_its_live_area_into_view(monkeypatch):
    """The live area carries the script that scrolls it under Run's row (ui.scroll): drawn
    once by a race that runs, not by one answered from the run store (no live area then)."""
    import ui.race

    calls = []
    real = ui.race.bring_live_race_into_view
    monkeypatch.setattr(ui.race, "bring_live_race_into_view",
                        lambda: calls.append("live") or real())
    at = new_app(config=encode_config({**SMALL, "seed": 31}))
    assert_clean(at)
    assert calls == ["live"]
    at.button(key="run").click().run()  # the same setup: from the run store
    assert_clean(at)
    assert calls == ["live"]
