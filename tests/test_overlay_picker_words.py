"""The overlay picker lists earlier runs by how each differs from the run shown, said from the
listed run's side (issue 13, walk-through point 4): "Run 1 (19:57): Random seed 42 → 7" read as
if run 1 had changed the seed; it now reads "Run 1 (19:57): Random seed 7 (now 42)"."""

from __future__ import annotations

import copy

from helpers import config
from ui.state import config_diff

RUN_1 = config(drifts=[{"at": 1000, "width": 0, "to": {"variant": 1}}], contenders=[
    {"name": "P", "model": "sk.gaussian_nb", "policy": {"kind": "periodic", "every": 500}},
    {"name": "Online", "model": "river.hoeffding_tree", "policy": {"kind": "online"}}])


def test_each_difference_reads_as_the_listed_runs_value_then_the_shown_runs():
    now = copy.deepcopy(RUN_1)
    now["seed"] = 42
    now["contenders"][0]["policy"]["every"] = 250
    said = config_diff({**RUN_1, "seed": 7}, now, limit=2, then_now=True)
    assert said == "Random seed 7 (now 42), P: samples between retrains 500 (now 250)"
    # the same change as the "setup changed" note says it, from old to new, is unchanged
    assert config_diff({**RUN_1, "seed": 7}, now, limit=1) == "Random seed 7 → 42 (+1 more)"


def test_entries_only_one_side_has_say_which_side():
    fewer = copy.deepcopy(RUN_1)
    del fewer["contenders"][1]
    fewer["stream"]["drifts"] = []
    said = config_diff(RUN_1, fewer, then_now=True)  # run 1 had them; the run shown has not
    assert said == "Drift 1 (removed since), Online (removed since)", said
    said = config_diff(fewer, RUN_1, then_now=True)  # the listed run lacked them
    assert said == "no Drift 1 (added since), no Online (added since)", said
    assert "→" not in said
