"""Bad input in the editor is refused by name, and the words the app shows are plain (issue 13,
the new-user walk-through): out-of-range numbers, CSV mapping labels, links, the report."""

from __future__ import annotations

import pytest

from helpers import config, new_app
from lab.spec.errors import ConfigError
from ui import state as S
from ui.urls import encode_config

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def small_link_app():
    """The app opened on a link of a small SEA race with one drift: the link races it (run 1)."""
    cfg = config(n=3000, drifts=[{"at": 1500, "width": 0, "to": {"variant": 1}}])
    at = new_app(config=encode_config(cfg))
    assert not at.exception and len(at.session_state["history"]) == 1
    return at


def errors(at) -> list[str]:
    return [e.value for e in at.error]


@pytest.mark.slow  # the app, one small race and two reruns without racing
def test_a_number_out_of_range_turns_run_off_and_names_the_field_and_the_stale_results():
    at = small_link_app()
    at.number_input(key="n_samples").set_value(-5).run()
    assert not at.exception  # a bounded widget raised here for a value below its min_value
    assert at.button(key="run").disabled
    message = " ".join(errors(at))
    assert "Samples: is -5, below 1" in message, message
    assert "Fix: type the stream's length" in message
    assert "results below are still those of run 1" in message
    assert len(at.session_state["history"]) == 1  # nothing raced

    at.number_input(key="n_samples").set_value(3000).run()
    assert not errors(at) and not at.button(key="run").disabled


@pytest.mark.parametrize("key, value, needle", [
    ("label_noise", 0.7, "Label noise: is 0.7, above 0.5"),
    ("seed", -1, "Seed: is -1, below 0"),
    ("warmup", 0, "Warm-up: is 0, below 1"),
    ("label_delay", -100, "Label delay: is -100, below 0"),
    ("step", 0, "Step: is 0, below 1"),
    ("d0_at", -1, "Drift 1 · At sample: is -1, below 1"),
    ("d0_width", -500, "Drift 1 · Width: is -500, below 0"),
    ("c0_every", -3, "Contender “Periodic” · Retrain every (samples): is -3, below 1"),
])
def test_check_numbers_names_each_field_as_the_page_labels_it(key, value, needle):
    state = S.state_from_config(config(drifts=[{"at": 1500, "to": {"variant": 1}}], contenders=[
        {"name": "Periodic", "model": "sk.gaussian_nb",
         "policy": {"kind": "periodic", "every": 500}}]))
    S.config_from_state(state)  # in range: no error
    state[key] = value
    with pytest.raises(ConfigError) as caught:
        S.config_from_state(state)
    assert str(caught.value).startswith(needle), caught.value
    assert "Run stays off until then" in str(caught.value)
    state["history"] = [{"id": 4}]
    with pytest.raises(ConfigError, match="still those of run 4"):
        S.config_from_state(state)
