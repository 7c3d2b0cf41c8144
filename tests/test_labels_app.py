"""The Labels controls (ui/labels_panel.py): a share of 0.5 reaches the config, changes the
result and halves the labels bought; a link with ``evaluation.labels`` fills the controls."""

from __future__ import annotations

import pytest

from helpers import assert_clean, new_app
from lab import parse_experiment, run_race, summarise
from lab.presets import load_preset
from ui.labels_panel import labels_evaluation, labels_state


def url_config(at) -> dict:
    from ui.urls import decode_config

    value = at.query_params["config"]
    return decode_config(value[0] if isinstance(value, list) else value)


def test_converters_round_trip_and_stay_silent_at_the_defaults():
    assert labels_evaluation(labels_state(None)) == {}
    given = {"share": 0.5, "strategy": "uniform", "delay": "uniform", "delay_low": 5,
             "delay_high": 60}
    assert labels_evaluation(labels_state(given)) == {"labels": given, "label_delay": 0}


@pytest.mark.slow  # two races of 4,000 samples in AppTest
def test_a_share_of_half_changes_the_result_and_the_labels_bought():
    from ui.urls import encode_config

    cfg = load_preset("sudden").with_overrides({"stream.n_samples": 4000,
                                                "stream.drifts[0].at": 2500,
                                                "evaluation.baselines": False}).to_dict()
    at = new_app(config=encode_config(cfg))
    assert_clean(at)
    first = url_config(at)
    assert "labels" not in first["evaluation"]
    at.number_input(key="labels_share").set_value(0.5).run()
    at.button(key="run").click().run()
    assert_clean(at)
    second = url_config(at)
    assert second["evaluation"]["labels"]["share"] == 0.5
    # the app ran exactly these configs (the link is what it raced); their numbers:
    old = summarise(run_race(parse_experiment(first)))["contenders"]
    new = summarise(run_race(parse_experiment(second)))["contenders"]
    assert [c["cost"]["labels_bought"] for c in new] == [
        cfg["evaluation"]["warmup"] + round(0.5 * (4000 - cfg["evaluation"]["warmup"]))] * len(new)
    assert [c["accuracy"] for c in new] != [c["accuracy"] for c in old]


def test_a_link_sets_the_share():
    from ui.urls import config_from_query

    cfg, warnings = config_from_query({"label_share": "0.5"})
    assert cfg["evaluation"]["labels"]["share"] == 0.5 and not warnings
    cfg, warnings = config_from_query({"label_share": "0"})
    assert "labels" not in cfg["evaluation"]
    assert "Labels bought (share) must be a number > 0" in warnings[0]
