"""Regret per segment (``regret_by_segment``, ``lab.race.metrics.segment_costs``): a contender's
cost over each stretch between drift starts minus the oracle's over the same stretch.

The expected numbers of the hand-made case are worked out in the comments from the counts and
the prices, never read back from the code under test; the real race checks that the segments'
regrets add up to the summary's ``regret`` and equal differences of ``timeline.csv``'s
``cost_total`` where the drift starts on a recording point.
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from lab.policies.base import NO_PREDICTION
from lab.race.engine import run_race
from lab.race.metrics import add_segment_regret, segment_costs, summarise, timeline_frame
from lab.race.outputs import output_texts
from lab.spec.costs import Costs
from lab.validate import parse_experiment

PRICES = Costs(train_sample=0.25, cpu_second=2.0, retrain=10.0, label=0.5, error=3.0)

# The tiny stream of tests/test_ledger.py: 10 samples, warm-up 2, label delay 1, recording
# points 4, 7, 10.
#   sample     0 1 2 3 4 5 6 7 8 9
#   y          0 1 1 0 1 0 0 1 1 0
#   A predicts 0 0 1 1 1 0 1 1 0 -   wrong (scored) at 3, 6, 8, 9 (- : no prediction)
#   B predicts 0 0 1 0 1 0 0 1 0 0   wrong (scored) at 8 only
Y = np.array([0, 1, 1, 0, 1, 0, 0, 1, 1, 0])
A = np.array([0, 0, 1, 1, 1, 0, 1, 1, 0, NO_PREDICTION])
B = np.array([0, 0, 1, 0, 1, 0, 0, 1, 0, 0])
RECORD_T = [4, 7, 10]


def _run(predicted, train_samples, cpu, retrains):
    return SimpleNamespace(status="ok", policy=object(), trace=SimpleNamespace(
        predicted=predicted), train_samples_cum=train_samples, train_cpu_s_cum=cpu,
        retrains_cum=retrains)


A_RUN = _run(A, [2, 2, 9], [0.5, 0.5, 1.25], [0, 0, 1])
B_RUN = _run(B, [2, 6, 6], [0.5, 1.0, 1.0], [0, 1, 1])


def _result(drift_starts: list[int]):
    experiment = SimpleNamespace(
        evaluation=SimpleNamespace(warmup=2, label_delay=1), prices=PRICES,
        stream=SimpleNamespace(drifts=[SimpleNamespace(at=a, start=a) for a in drift_starts]))
    return SimpleNamespace(experiment=experiment, stream=SimpleNamespace(y=Y), n_done=10,
                           record_t=RECORD_T)


def test_segment_costs_by_hand_with_a_drift_between_recording_points():
    # One drift starting at 6: segments [2, 6) and [6, 10). The first starts the cost clock
    # at 0, so it carries the warm-up's bill. C(t) = compute + retrains + labels + errors:
    #   labels bought by t (delay 1): min(t, max(2, t - 1)): 5 by t = 6, 9 by t = 10
    #   counters at t = 6 are those recorded at 7, the first recording point at or after 6
    # A: C(6)  = (2 x 0.25 + 0.5 x 2) + 0 x 10 + 5 x 0.5 + 1 error (sample 3) x 3
    #          = 1.5 + 0 + 2.5 + 3 = 7.0
    #    C(10) = (9 x 0.25 + 1.25 x 2) + 1 x 10 + 9 x 0.5 + 4 errors x 3
    #          = 4.75 + 10 + 4.5 + 12 = 31.25 (the summary's total, tests/test_ledger.py)
    # B: C(6)  = (6 x 0.25 + 1.0 x 2) + 1 x 10 + 5 x 0.5 + 0 errors = 3.5 + 10 + 2.5 = 16.0
    #    C(10) = 3.5 + 10 + 4.5 + 1 error (sample 8) x 3 = 21.0
    result = _result([6])
    assert segment_costs(A_RUN, result) == [7.0, 24.25]
    assert segment_costs(B_RUN, result) == [16.0, 5.0]
    rows = [{"name": "A", "status": "ok"}, {"name": "B", "status": "ok", "oracle": True}]
    add_segment_regret(rows, [segment_costs(A_RUN, result), segment_costs(B_RUN, result)])
    # A - B per segment: 7 - 16 = -9 before the drift, 24.25 - 5 = 19.25 after; their sum,
    # 10.25, is 31.25 - 21.0, the total regret
    assert rows[0]["regret_by_segment"] == [-9.0, 19.25]
    assert rows[1]["regret_by_segment"] == [0.0, 0.0]


def test_a_drift_on_a_recording_point_and_an_empty_segment():
    # Drifts starting at 1 (inside the warm-up: segment [2, 1) is empty) and at 7 (a recording
    # point, so its counters are exact): segments [2, 1) empty, [2, 7), [7, 10).
    # A: C(7) = (2 x 0.25 + 0.5 x 2) + 0 + 6 labels x 0.5 + 2 errors (3, 6) x 3 = 1.5 + 3 + 6
    #         = 10.5; then 31.25 - 10.5 = 20.75
    result = _result([1, 7])
    assert segment_costs(A_RUN, result) == [None, 10.5, 20.75]
    # B: C(7) = (6 x 0.25 + 1.0 x 2) + 1 x 10 + 6 x 0.5 + 0 = 16.5; then 21.0 - 16.5 = 4.5
    assert segment_costs(B_RUN, result) == [None, 16.5, 4.5]
    rows = [{"status": "ok"}, {"status": "ok", "oracle": True}]
    add_segment_regret(rows, [segment_costs(A_RUN, result), segment_costs(B_RUN, result)])
    assert rows[0]["regret_by_segment"] == [None, -6.0, 16.25]


def test_no_oracle_no_key_and_a_failed_contender_gets_nulls():
    rows = [{"status": "ok"}, {"status": "ok"}]
    add_segment_regret(rows, [[1.0], [2.0]])
    assert all("regret_by_segment" not in r for r in rows)
    failed = SimpleNamespace(**{**vars(A_RUN), "status": "failed"})
    assert segment_costs(failed, _result([6])) == [None, None]
    rows = [{"status": "failed"}, {"status": "ok", "oracle": True}]
    add_segment_regret(rows, [[None, None], [16.0, 5.0]])
    assert rows[0]["regret_by_segment"] == [None, None]


RACE = {
    "seed": 5,
    "stream": {"source": "blobs2d", "n_samples": 4000,
               "params": {"angle": 0, "separation": 2.5, "std": 1.0},
               # the first drift starts on a recording point (step 100), the second between two
               "drifts": [{"at": 2000, "width": 0, "to": {"angle": 90}},
                          {"at": 3050, "width": 0, "to": {"angle": 0}}]},
    "evaluation": {"warmup": 1000, "window": 500, "label_delay": 0, "step": 100,
                   "baselines": True},
    "contenders": [
        {"name": "frozen", "model": "sk.gaussian_nb", "policy": {"kind": "frozen"}},
        {"name": "often", "model": "sk.gaussian_nb",
         "policy": {"kind": "periodic", "every": 500, "data": "window", "window": 1000}},
        {"name": "oracle", "model": "sk.gaussian_nb",
         "policy": {"kind": "oracle", "grid": 250, "data": "window", "window": 1000}},
    ],
    "costs": {"train_sample": 0.01, "retrain": 40, "label": 0.1, "error": 1},
}


def test_on_a_real_race_the_segments_add_up_to_the_regret_and_match_the_timeline():
    result = run_race(parse_experiment(RACE))
    summary = summarise(result)
    timeline = timeline_frame(result)
    by_name = {c["name"]: c for c in summary["contenders"]}
    oracle = by_name["oracle"]
    assert oracle["oracle"] is True and oracle["regret_by_segment"] == [0.0, 0.0, 0.0]
    for c in summary["contenders"]:  # the baselines too
        parts = c["regret_by_segment"]
        assert len(parts) == 3 and None not in parts
        assert sum(parts) == pytest.approx(c["regret"], rel=1e-12, abs=1e-9)

    def total_at(name: str, t: int) -> float:
        rows = timeline[(timeline.contender == name) & (timeline.t == t)]
        return float(rows.cost_total.iloc[0])

    # the first segment ends on a recording point (2,000): its cost is the timeline's
    # cost_total there, for the contender and the oracle alike
    for name in ("frozen", "often"):
        expected = total_at(name, 2000) - total_at("oracle", 2000)
        assert by_name[name]["regret_by_segment"][0] == pytest.approx(expected, abs=1e-9)
    # a frozen model pays nothing but its warm-up, its labels and its errors: over the middle
    # segment [2000, 3050) its cost is its errors there + the labels of those 1,050 samples
    frozen_run = next(r for r in result.contenders if r.name == "frozen")
    wrong = int((frozen_run.trace.predicted[2000:3050] != result.stream.y[2000:3050]).sum())
    assert segment_costs(frozen_run, result)[1] == pytest.approx(wrong * 1 + 1050 * 0.1)
    # summary.json carries it, and a race without an oracle does not
    text = output_texts(result)[1]["summary.json"]
    assert '"regret_by_segment"' in text
    no_oracle = {**RACE, "contenders": RACE["contenders"][:2]}
    plain = summarise(run_race(parse_experiment(no_oracle)))
    assert all("regret_by_segment" not in c and "regret" not in c
               for c in plain["contenders"])
