"""The Labels panel carries no browser bounds (issue 13, walk-through): a bounded
``st.number_input`` made the browser refuse an out-of-range "Labels bought (share)" or delay
without a word, and the old value ran. Every value now reaches the app, which refuses it in one
message naming the field, its range and the fix, with Run off and the results below marked as
the previous run's (``ui.number_checks``)."""

from __future__ import annotations

import pytest

from helpers import config, new_app
from lab.spec.errors import ConfigError
from ui import state as S

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.mark.parametrize("changes, needle", [
    ({"labels_share": 0.0}, "Labels bought (share): is 0, and it must be above 0. Fix: type a "
                            "share above 0 and at most 1"),
    ({"labels_share": 1.5}, "Labels bought (share): is 1.5, above 1, the largest it can be"),
    ({"labels_delay": "uniform", "labels_delay_low": -5},
     "Shortest delay (samples): is -5, below 0, the smallest it can be. Fix: type 0 or more"),
    ({"labels_delay": "uniform", "labels_delay_high": 20_000_000},
     "Longest delay (samples): is 20,000,000, above 10,000,000, the largest it can be"),
    ({"labels_delay": "exponential", "labels_delay_mean": 0.0},
     "Mean delay (samples): is 0, and it must be above 0"),
])
def test_a_label_number_out_of_range_is_refused_by_its_label(changes, needle):
    state = S.state_from_config(config())
    state.update(changes)
    with pytest.raises(ConfigError) as caught:
        S.config_from_state(state)
    message = str(caught.value)
    assert message.startswith(needle), message
    assert message.endswith("Run stays off until then")


def test_after_a_run_the_refusal_says_the_results_below_are_the_previous_runs():
    state = S.state_from_config(config())
    state.update({"labels_share": -0.5, S.K.HISTORY: [{"id": 3}]})
    with pytest.raises(ConfigError) as caught:
        S.config_from_state(state)
    assert str(caught.value).endswith("Run stays off until then, and the results below are "
                                      "still those of run 3, from before this change")


def test_a_delay_field_of_another_delay_kind_is_not_checked():
    state = S.state_from_config(config())
    state.update({"labels_delay": "fixed", "labels_delay_low": -5, "labels_delay_mean": 0.0})
    S.config_from_state(state)  # not drawn, not written into the config: no refusal


@pytest.mark.slow  # the app, no race (each rerun about 0.1 s once the app is imported)
def test_the_labels_panel_names_an_out_of_range_share_and_turns_run_off():
    at = new_app()
    share = at.number_input(key="labels_share")
    assert not share.proto.has_min and not share.proto.has_max
    share.set_value(0.0).run()
    assert not at.exception and at.button(key="run").disabled
    message = " ".join(e.value for e in at.error)
    assert "Labels bought (share): is 0, and it must be above 0" in message, message
    assert "Run stays off until then" in message
    at.selectbox(key="labels_delay").set_value("uniform").run()
    for key in ("labels_delay_low", "labels_delay_high"):
        field = at.number_input(key=key)
        assert not field.proto.has_min and not field.proto.has_max
    at.number_input(key="labels_share").set_value(0.5).run()
    at.number_input(key="labels_delay_high").set_value(-1).run()
    message = " ".join(e.value for e in at.error)
    assert "Longest delay (samples): is -1, below 0" in message, message
    at.number_input(key="labels_delay_high").set_value(100).run()
    assert not at.error and not at.button(key="run").disabled
