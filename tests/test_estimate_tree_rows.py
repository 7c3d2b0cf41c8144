"""The run estimate of races with river's trees and forest (session 9's walk-through): a
six-contender race (the default four, a forest, an adaptive tree and a tree, online, 20,000
samples of the default 2-D blobs stream) was estimated 56 s and ran 34-38 s; the trees' rows of
``lab.sweep.cost.COSTS_US`` had been measured on SEA and were high on both streams. The rows
were measured again (``lab/sweep/cost.py`` documents how and the figures); these tests hold the
estimates of the walk-through's races between the CPU time measured then (best of 3, one
thread, on the shared 2-core machine) and 1.4 times it: still on the slow side, as the app's
refusals need (a race over its limit by the estimate is refused), but no longer 1.8 times it.
``bench/cost_rows.py`` measures the rows again."""

from __future__ import annotations

import copy

import pytest

from lab.budget import estimate_race
from lab.presets import PRESETS
from lab.validate import parse_experiment

# process CPU seconds, best of 3, measured in session 10 (lab/sweep/cost.py)
MEASURED_S = {"default": 0.53, "six": 31.2, "forest on SEA": 29.7}


def six_contenders() -> dict:
    cfg = copy.deepcopy(PRESETS["default"].config)
    for name, model in (("Forest", "river.adaptive_random_forest"),
                        ("Adaptive tree", "river.hoeffding_adaptive_tree"),
                        ("Tree", "river.hoeffding_tree")):
        cfg["contenders"].append({"name": name, "model": model, "policy": {"kind": "online"}})
    return cfg


def forest_on_sea() -> dict:
    cfg = copy.deepcopy(PRESETS["stable"].config)
    cfg["contenders"] = [{"name": "Forest", "model": "river.adaptive_random_forest",
                          "policy": {"kind": "online"}}]
    return cfg


@pytest.mark.parametrize("race, config", [("six", six_contenders), ("forest on SEA",
                                                                     forest_on_sea)])
def test_the_estimate_of_tree_races_is_on_the_slow_side_but_close(race, config):
    estimate = estimate_race(parse_experiment(config())).seconds
    assert MEASURED_S[race] < estimate < 1.4 * MEASURED_S[race], (race, estimate)


def test_the_default_race_is_still_estimated_above_its_time():
    estimate = estimate_race(parse_experiment(copy.deepcopy(PRESETS["default"].config)))
    assert MEASURED_S["default"] < estimate.seconds < 3 * MEASURED_S["default"]
