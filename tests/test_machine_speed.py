"""The run estimates follow the machine (``lab.sweep.machine_speed``): the cost table's seconds
times this machine's speed factor, measured once by a probe race or pinned by
``DRIFTLAB_SPEED_FACTOR`` (the suite pins it to 1 in conftest.py)."""

from __future__ import annotations

import copy

import pytest

from lab import budget
from lab.presets import PRESETS
from lab.sweep import machine_speed
from lab.sweep.cost import estimate_task_seconds
from lab.validate import parse_experiment


def test_the_factor_is_the_probe_time_over_the_reference_clamped():
    # 0.190 s is the probe on the table's machine: 0.057 s is 0.3 of it, 0.38 s twice it
    assert machine_speed.REFERENCE_PROBE_SECONDS == 0.190
    assert machine_speed.from_probe(0.057) == 0.3
    assert machine_speed.from_probe(0.38) == 2.0
    assert machine_speed.from_probe(100.0) == 10.0 and machine_speed.from_probe(0.0) == 0.1


def test_a_pinned_factor_is_used_and_a_bad_one_named(monkeypatch):
    try:
        monkeypatch.setenv("DRIFTLAB_SPEED_FACTOR", "0.5")
        machine_speed.speed_factor.cache_clear()
        assert machine_speed.speed_factor() == 0.5
        for bad in ("fast", "0", "50"):
            monkeypatch.setenv("DRIFTLAB_SPEED_FACTOR", bad)
            machine_speed.speed_factor.cache_clear()
            with pytest.raises(ValueError, match=r"DRIFTLAB_SPEED_FACTOR=.*from 0.1 to 10.*Fix"):
                machine_speed.speed_factor()
    finally:
        machine_speed.speed_factor.cache_clear()


def test_every_seconds_figure_of_an_estimate_scales_with_the_factor():
    exp = parse_experiment(copy.deepcopy(PRESETS["default"].config))
    table, half = budget.estimate_race(exp, speed=1.0), budget.estimate_race(exp, speed=0.5)
    assert half.seconds == pytest.approx(table.seconds / 2)
    assert half.step_seconds == pytest.approx(table.step_seconds / 2)
    assert (half.updates, half.timeline_rows, half.memory_bytes) == \
        (table.updates, table.timeline_rows, table.memory_bytes)  # counts, not times
    assert estimate_task_seconds(exp, 0.25) == pytest.approx(estimate_task_seconds(exp, 1) / 4)
    # the default is this process's factor (pinned to 1 by the suite)
    assert budget.estimate_race(exp).seconds == table.seconds


def test_the_probe_is_a_short_race_and_gives_a_factor_in_range():
    exp = machine_speed.probe_experiment()
    assert budget.estimate_race(exp, speed=1.0).seconds < 0.5  # short on the table's machine
    seconds = machine_speed.probe_seconds(repeats=1)
    assert 0 < seconds < 5
    assert machine_speed.MIN_FACTOR <= machine_speed.from_probe(seconds) <= \
        machine_speed.MAX_FACTOR
