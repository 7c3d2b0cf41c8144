"""The lessons' settings and the Costs panel's prices carry no browser bounds (issue 13): a
bounded ``st.number_input`` made the browser refuse an out-of-range number without a word (the
old value stayed and ran). Here every value reaches the app, which refuses it in one message
naming the field as the page labels it, its range and the fix."""

from __future__ import annotations

import pytest

from helpers import config, new_app
from lab.spec.errors import ConfigError
from ui import keys as K
from ui import state as S

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.mark.parametrize("name, value, needle", [
    ("retrain", -5.0, "Price per retrain (price units): is -5, below 0, the smallest it can be"),
    ("label", 2e13, "Price per label bought (price units): is 20,000,000,000,000, above "
                    "1,000,000,000,000, the largest it can be"),
    ("error", float("nan"), "Price per wrong prediction (price units): is not a number"),
])
def test_a_price_out_of_range_is_refused_by_its_label(name, value, needle):
    state = S.state_from_config(config())
    S.config_from_state(state)  # the default prices: no error
    state[K.COST_PRICES[name]] = value
    with pytest.raises(ConfigError) as caught:
        S.config_from_state(state)
    message = str(caught.value)
    assert message.startswith(needle), message
    assert "Fix: type a price from 0 to 1,000,000,000,000" in message
    assert message.endswith("Run stays off until then")


def unbounded(number_input) -> bool:
    return not number_input.proto.has_min and not number_input.proto.has_max


@pytest.mark.slow  # the app, no race
def test_the_costs_panel_names_a_negative_price_and_turns_run_off():
    at = new_app()
    prices = [at.number_input(key=key) for key in K.COST_PRICES.values()]
    assert prices and all(unbounded(p) for p in prices)
    at.number_input(key=K.COST_PRICES["retrain"]).set_value(-5.0).run()
    assert not at.exception and at.button(key="run").disabled
    message = " ".join(e.value for e in at.error)
    assert "Price per retrain (price units): is -5, below 0" in message, message
    at.number_input(key=K.COST_PRICES["retrain"]).set_value(0.0).run()
    assert not at.error and not at.button(key="run").disabled


@pytest.mark.slow  # the app and lesson 1 (one cached run)
def test_a_lesson_setting_out_of_range_is_named_with_its_range_and_fix():
    at = new_app(mode="lessons")
    assert not at.exception and not at.warning
    fields = [n for n in at.number_input if n.key and n.key.startswith("ls1_")]
    assert len(fields) >= 3 and all(unbounded(n) for n in fields), [n.key for n in fields]

    def refusal(key: str, bad, good) -> str:
        at.session_state[key] = bad
        at.run()
        assert not at.exception
        messages = [w.value for w in at.warning if "cannot run" in w.value]
        assert len(messages) == 1, [w.value for w in at.warning]
        assert not at.get("plotly_chart")  # the old settings' chart is not shown as this one's
        at.session_state[key] = good
        at.run()
        assert not [w for w in at.warning if "cannot run" in w.value] and at.get("plotly_chart")
        return messages[0]

    message = refusal("ls1_n_samples", 100, at.session_state["ls1_n_samples"])
    assert "Samples in the stream: is 100, below 2,000, the smallest it can be" in message
    assert "Fix: type a value from 2,000 to 50,000" in message, message
    assert "Seed: is -1, below 0" in refusal("ls1_seed", -1, at.session_state["ls1_seed"])
    at.session_state["ls1_drifts_on"] = True  # the row's fields count only while it is on
    message = refusal("ls1_d0_angle", 400.0, at.session_state["ls1_d0_angle"])
    assert "Drift angle after: is 400, above 360, the largest it can be" in message, message
