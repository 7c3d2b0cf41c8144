"""A setup the core's validator refuses (not a number out of its own range: a combination) says
in one message what is wrong, how to fix it, and that the results below are the previous run's
(issue 13; the range checks of ``ui.number_checks`` already did). One app and one small race
for all the kinds: each test makes its refusal, reads the message, and puts the setup back."""

from __future__ import annotations

import pytest

from helpers import config, new_app
from ui.urls import encode_config

pytestmark = [pytest.mark.filterwarnings("ignore::DeprecationWarning"),
              pytest.mark.slow]  # one app and one small race for the module

CONTENDERS = [
    {"name": "Online", "model": "river.hoeffding_tree", "policy": {"kind": "online"}},
    {"name": "Periodic", "model": "sk.gaussian_nb", "policy": {"kind": "periodic", "every": 500}},
]


@pytest.fixture(scope="module")
def app():
    """The app on a link of a small SEA race with two sudden drifts: the link races it (run 1)."""
    cfg = config(n=3000, contenders=CONTENDERS, drifts=[
        {"at": 1000, "width": 0, "to": {"variant": 1}},
        {"at": 2000, "width": 0, "to": {"variant": 2}}])
    at = new_app(config=encode_config(cfg))
    assert not at.exception and len(at.session_state["history"]) == 1
    return at


def refusal(at, key: str, bad, good) -> str:
    """Set ``key`` to ``bad``, return the page's one error message (Run off, nothing raced),
    then set it back to ``good`` and check the page is clean again."""
    at.session_state[key] = bad
    at.run()
    assert not at.exception
    messages = [e.value for e in at.main.error]  # (a drift's is also in its sidebar card)
    assert len(messages) == 1, messages
    assert at.button(key="run").disabled and len(at.session_state["history"]) == 1
    at.session_state[key] = good
    at.run()
    assert not at.error and not at.button(key="run").disabled
    message = messages[0]
    assert message.startswith("This setup cannot run yet: ")
    assert "Fix: " in message
    # the stale results are named, in the same message
    assert message.endswith("Run stays off until then, and the results below are still those "
                            "of run 1, from before this change"), message
    return message


def test_a_warm_up_past_the_streams_end_names_both_fields_as_the_sidebar_does(app):
    message = refusal(app, "warmup", 5000, 500)
    assert "Warm-up: is 5000, past the stream's end (3000 samples)" in message, message
    assert "smaller than “Samples”" in message
    assert "evaluation." not in message and "stream." not in message


def test_overlapping_drifts_name_the_cards(app):
    first = app.session_state["drift_ids"][0]
    message = refusal(app, f"d{first}_width", 1500, 0)
    assert "Drift 2 (“At sample”)" in message and "before drift 1 ends" in message, message
    assert "stream.drifts" not in message


def test_a_label_strategy_the_contenders_cannot_use(app):
    message = refusal(app, "labels_strategy", "uncertainty", "uniform")
    assert message.startswith("This setup cannot run yet: Labels chosen by: 'uncertainty'")
    assert "('Periodic')" in message and "evaluation." not in message, message


def test_a_price_matrix_of_the_wrong_size(app):
    message = refusal(app, "cost_error_matrix", "[[0, 1, 1], [1, 0, 1], [1, 1, 0]]", "")
    assert "Price of each (true, predicted) class pair (price units): has 3 rows" in message
    assert "2 classes" in message and "costs." not in message, message
