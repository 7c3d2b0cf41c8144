"""The race lab's live view (``ui.race``): the live chart's data equal the timeline's, and the
live chart is redrawn at most every ``LIVE_MIN_SECONDS`` and not at the race's end."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers import config
from lab.race.engine import run_race
from lab.race.metrics import timeline_frame
from lab.validate import parse_experiment


def small_race(**evaluation):
    exp = parse_experiment(config("sea", n=3000, contenders=[
        {"name": "Online", "model": "river.logistic_regression", "policy": {"kind": "online"}},
        {"name": "Frozen", "model": "sk.logistic_regression", "policy": {"kind": "frozen"}},
    ], baselines=True, **evaluation))
    seen = []  # (live data, timeline) at a recording point in the middle of the race
    from ui.race import live_accuracy

    def progress(result):
        if not seen and result.n_done >= 1700:
            seen.append((live_accuracy(result), timeline_frame(result)))

    return run_race(exp, progress=progress, progress_every=exp.evaluation.step), seen


@pytest.mark.parametrize("label_delay", [0, 150])
def test_the_live_chart_data_are_the_timelines_during_and_after_the_race(label_delay):
    from ui.race import live_accuracy

    result, seen = small_race(label_delay=label_delay)
    (live_mid, timeline_mid), = seen
    columns = ["t", "contender", "acc_window"]
    for live, timeline in ((live_mid, timeline_mid),
                           (live_accuracy(result), timeline_frame(result))):
        assert sorted(set(live["contender"])) == sorted(set(timeline["contender"]))
        assert len(set(live["contender"])) == 4  # two contenders and two baselines
        pd.testing.assert_frame_equal(live[columns].reset_index(drop=True),
                                      timeline[columns].reset_index(drop=True),
                                      check_dtype=False)
    assert live_mid["t"].max() < 3000 == live_accuracy(result)["t"].max()


def test_the_live_chart_redraws_after_enough_samples_and_time_and_never_at_the_end():
    from ui.race import LIVE_MAX_GAP_SECONDS, LIVE_MIN_SECONDS, redraw_due

    assert redraw_due(5000, 20000, 2375, LIVE_MIN_SECONDS, 2375)
    # too few samples since the last, and not yet the longest gap a slow race is left without
    assert not redraw_due(5000, 20000, 2374, LIVE_MAX_GAP_SECONDS * 0.9, 2375)
    assert not redraw_due(5000, 20000, 9000, LIVE_MIN_SECONDS * 0.9, 2375)  # too soon
    assert not redraw_due(20000, 20000, 9000, 10.0, 2375)  # the end: the results replace it


def test_a_race_stopped_during_its_warm_up_says_so_and_draws_no_empty_chart():
    """Stopped before its first recording point (the warm-up fits, the oracle's planning): one
    message saying nothing was raced, not "stopped at 0 of 150,000 samples" over an empty chart."""
    from helpers import new_app
    from ui import keys as K

    at = new_app()
    at.session_state[K.STOPPED] = True
    at.session_state[K.PARTIAL] = {"result": None, "points": 0, "n_done": 0, "n": 150_000,
                                   "drifts": [], "window": 500, "config_json": "{}",
                                   "baselines": []}
    at.run()
    warnings = [w.value for w in at.warning]
    assert any(w.startswith("Race stopped before any sample was raced") for w in warnings)
    assert not any("0 of 150,000" in w for w in warnings)
    assert not [c for c in at.get("plotly_chart") if "stopped_chart" in str(c.proto.id)]
