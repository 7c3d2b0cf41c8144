"""Run on a config the server has raced is answered by the run's fragment (issue 13, speed).

``ui.pages.race_lab.quick_rerun_ready`` decides, at the end of each full script run, whether the
next click on Run can be answered by the fragment ``run_view`` alone (no sidebar, no editor
redrawn); the browser side is checked in ``tests/test_results_in_view_browser.py``.
"""

from __future__ import annotations

import pytest

from helpers import assert_clean, config, new_app
from ui import keys as K
from ui import state as S
from ui.editors import CONTENDERS_BOX
from ui.pages import race_lab
from ui.urls import encode_config

STORED = '{"stored": true}'  # the config JSON of a race in the (fake) run store


class Config:
    def __init__(self, key: str) -> None:
        self.key = key

    def to_json(self, indent=None) -> str:
        return self.key


def ready_state() -> dict:
    """A session where every condition holds: a run shown, the box closed, drifts in order."""
    return {K.HISTORY: [{"id": 1}], K.DRIFT_IDS: [1, 2], S.drift_key(1, "at"): 5000,
            S.drift_key(1, "width"): 0, S.drift_key(2, "at"): 9000,
            S.drift_key(2, "width"): 0, CONTENDERS_BOX: False}


@pytest.fixture
def session(monkeypatch):
    state = ready_state()
    monkeypatch.setattr(race_lab, "ss", state)
    monkeypatch.setattr(race_lab, "run_store", lambda kind: {STORED: {"outputs": "..."}})
    return state


def test_a_stored_race_with_nothing_else_to_change_is_answered_by_the_fragment(session):
    assert race_lab.quick_rerun_ready(Config(STORED), runnable=True)


@pytest.mark.parametrize("change", [
    "not stored", "not runnable", "no run shown", "stopped", "box open", "drifts out of order",
])
def test_every_reason_for_a_full_run_is_one(session, change):
    config, runnable = Config(STORED), True
    if change == "not stored":
        config = Config('{"new": true}')
    elif change == "not runnable":
        runnable = False
    elif change == "no run shown":
        session[K.HISTORY] = []
    elif change == "stopped":
        session[K.STOPPED] = True
    elif change == "box open":
        session[CONTENDERS_BOX] = True  # Run collapses it: a full run
    else:
        session[S.drift_key(1, "at")] = 12000  # card 1 now after card 2: Run sorts them
    assert not race_lab.quick_rerun_ready(config, runnable)


def test_run_again_counts_one_run_a_click():
    """A Run after a race is a full run under AppTest; the fragment then draws Run (the race is
    stored) with the click still set, and must not show the run a second time."""
    at = new_app(config=encode_config(config(n=2000)))  # a link: raced at once, run 1
    at.button(key="run").click().run()
    assert_clean(at)
    assert [h["id"] for h in at.session_state[K.HISTORY]] == [2]
    assert any(c.value.startswith("Run 2: 2,000 samples") and "from the server's cache" in c.value
               for c in at.caption)
