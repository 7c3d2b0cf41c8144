"""The race page after the session-8 walk-through (issue 13): what the page says after Stop,
the overlay picker's labels, the captions next to Run, and the sidebar's fields.

AppTest only (the scrolling after Run is checked in chromium by
``tests/test_results_in_view_browser.py``).
"""

from __future__ import annotations

import pytest

from helpers import assert_clean, config, drift_card, new_app
from ui import keys as K
from ui import state as S
from ui.urls import encode_config

SMALL = config(n=2000, drifts=[{"at": 1000, "width": 0, "to": {"variant": 1}}])


def raced(cfg: dict = SMALL):
    """The app opened on a link to ``cfg`` (raced at once: run 1)."""
    at = new_app(config=encode_config(cfg))
    assert_clean(at)
    assert [h["id"] for h in at.session_state[K.HISTORY]] == [1]
    return at


@pytest.mark.slow
def test_after_stop_only_the_stopped_race_is_shown():
    """Stop after a finished run: the stopped race's chart and where it stopped, not run 1's
    story, tabs and status under it (they read as the stopped race's results)."""
    at = raced()
    timeline = at.session_state[K.HISTORY][-1]["outputs"]["timeline"]
    at.session_state[K.STOPPED] = True
    at.session_state[K.PARTIAL] = {
        "result": None, "points": 6, "n_done": 1100, "n": 2000, "drifts": [{"at": 1000,
                                                                             "width": 0}],
        "window": 200, "config_json": "{}", "baselines": [], "timeline": timeline.head(6)}
    at.run()
    assert_clean(at)
    warnings = [w.value for w in at.warning]
    assert any(w.startswith("Race stopped at sample 1,100 of 2,000") for w in warnings), warnings
    assert not any("still those of run" in w for w in warnings)
    assert any(c.value == "Stopped race: 1,100 of 2,000 samples raced." for c in at.caption)
    assert not any(c.value.startswith("Run 1:") for c in at.caption)  # run 1's status
    assert not at.tabs  # run 1's result tabs
    charts = [str(c.proto.id) for c in at.get("plotly_chart")]
    assert any("stopped_chart" in c for c in charts)
    assert not any("accuracy_chart" in c for c in charts)
    # the next Run races again and shows its results as usual
    at.button(key="run").click().run()
    assert_clean(at)
    assert not at.session_state[K.STOPPED] and at.tabs


def test_a_refusal_after_stop_does_not_speak_of_earlier_results():
    """After Stop the page shows the stopped race alone: a refusal of the setup then says Run is
    off, not that "the results below" are an earlier run's (there are none below)."""
    from ui.number_checks import previous_results_note, with_stale_note
    ran = {K.HISTORY: [{"id": 1}]}
    assert "still those of run 1" in previous_results_note(ran)
    stopped = {**ran, K.STOPPED: True, K.PARTIAL: {"n_done": 10}}
    assert previous_results_note(stopped) == "Run stays off until then"
    assert with_stale_note("Samples: is -5", stopped) == "Samples: is -5; Run stays off until then"


def test_the_overlaid_runs_label_follows_the_run_shown():
    """The picker's value is sent to the browser as its label (how that run differs from the
    run shown, said from the listed run's side: "Random seed 5 (now 6)"; "Random seed 5 → 6"
    next to "Run 1" read as if run 1 had changed the seed, issue 13). After a later run that
    changed more (which turns the overlay off, see tests/test_race_page_after_stop.py), the
    run picked again is labelled with every change, not as it was when it was first picked."""
    at = raced()
    at.number_input(key="seed").set_value(6).run()
    at.button(key="run").click().run()
    picker = at.selectbox(key=K.COMPARE_WITH)
    picker.select(1).run()
    assert at.selectbox(key=K.COMPARE_WITH).proto.raw_value.endswith(": Random seed 5 (now 6)")
    drift = at.session_state[K.DRIFT_IDS][0]
    at.number_input(key=S.drift_key(drift, "width")).set_value(200).run()
    at.button(key="run").click().run()
    assert_clean(at)
    assert at.selectbox(key=K.COMPARE_WITH).value is None  # another setup: overlay off
    at.selectbox(key=K.COMPARE_WITH).select(1).run()
    picker = at.selectbox(key=K.COMPARE_WITH)
    assert picker.value == 1
    sent = picker.proto
    assert sent.set_value and sent.raw_value.endswith(
        ": Random seed 5 (now 6), Drift 1: width (samples) 0 (now 200)"), sent.raw_value
    assert "→" not in sent.raw_value
    assert sent.raw_value in list(sent.options)


def test_captions_say_the_simulation_took_the_time_and_a_stored_setup_has_no_estimate(
        monkeypatch):
    """"raced in 1.8 s" read as the whole wait: the caption says it is the simulation's time.
    A setup the server has raced is shown at once: no "Estimated time" caption under it, and
    Run's help says so."""
    from lab import budget

    monkeypatch.setattr(budget, "AUTO_RUN_SECONDS", 0.0)  # every race shows its estimate
    # a setup no other test raced (the run store is the process's), a link over the limit:
    # it waits for Run
    at = new_app(config=encode_config({**SMALL, "seed": 11}))
    assert not at.session_state[K.HISTORY]
    assert any(c.value.startswith("Estimated time: about") for c in at.caption)
    assert at.button(key="run").help.startswith("estimated about")
    at.button(key="run").click().run()
    assert_clean(at)
    status = [c.value for c in at.caption if c.value.startswith("Run 1:")]
    assert len(status) == 1 and "the simulation itself took" in status[0], status
    assert not any(c.value.startswith("Estimated time") for c in at.caption)
    # no tooltip once stored: the page scrolls under a pointer left on Run, and its tooltip
    # covered the story's first line (session 10's walk-through)
    assert not at.button(key="run").help
    at.button(key="run").click().run()  # the same setup again: from the cache
    assert any(c.value.startswith("Run 2:") and "from the server's cache" in c.value
               for c in at.caption)
    assert not any(c.value.startswith("Estimated time") for c in at.caption)


def test_a_drift_that_does_not_fit_the_stream_is_refused_next_to_its_fields():
    """The refusal is in the page's error box above the results, once; the drift's card and
    Samples (the two fields that can fix it) each get a short note pointing to it, not the
    same text again (issue 13: the drift's message appeared three times)."""
    at = new_app()  # the default race: a gradual drift 2 from 14,000 to 16,000
    at.number_input(key="n_samples").set_value(15_000).run()
    assert not at.exception
    [box] = at.main.error
    assert "Drift 2 (“Width”)" in box.value and "or make “Samples” larger" in box.value
    notes = [e.value for e in at.sidebar.error]
    assert len(notes) == 2 and not any("Fix:" in n or "Width”)" in n for n in notes), notes
    assert "Drift 2 runs past the stream's end: see the message above the results" in notes[0]
    # one note is in drift 2's card: the smallest block holding its Width field and a note
    card = drift_card(at.sidebar, S.drift_key(at.session_state[K.DRIFT_IDS][1], "width"))
    assert "n_samples" not in [w.key for w in card.number_input]  # the card, not all the sidebar
    [card_note] = [e.value for e in card.error]
    assert card_note == "Width: see the message above the results"
    at.number_input(key="n_samples").set_value(20_000).run()
    assert not at.sidebar.error and not at.main.error


def test_back_from_the_lessons_the_address_is_the_link_of_the_run_shown():
    """The lessons write their own address (?mode=lessons&lesson=...); back in the race lab
    the address carried no config until the next Run, so a link copied then opened the
    default race."""
    at = raced()
    link = at.query_params["config"]
    # the address the lessons page leaves (drawing a lesson takes seconds: its address only)
    del at.query_params["config"]
    at.query_params.update({"mode": "lessons", "lesson": "lesson-stable"})
    at.run()  # the race lab again (the mode switch says so)
    assert_clean(at)
    assert at.query_params["config"] == link
    assert "mode" not in at.query_params and "lesson" not in at.query_params


def test_the_servers_warm_up_starts_once_the_page_is_drawn(monkeypatch):
    """The warm-up thread (a race and a chart) held the interpreter while a new server's first
    page was drawn: it starts after the page now, so the sidebar is not grey meanwhile."""
    import ui.race
    from ui.pages import race_lab

    calls = []
    sidebar = race_lab.sidebar
    monkeypatch.setattr(ui.race, "warm_up", lambda: calls.append("warm-up"))
    monkeypatch.setattr(race_lab, "sidebar", lambda: calls.append("sidebar") or sidebar())
    new_app()
    assert calls == ["sidebar", "warm-up"]
