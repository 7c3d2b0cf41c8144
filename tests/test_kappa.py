"""Kappa family, balanced accuracy and macro F1: river's own numbers where river has the metric,
the published formulas (worked by hand here) where it does not, and null where undefined."""

from __future__ import annotations

import json
import math
import warnings

import numpy as np
import pandas as pd
import pytest
from river import metrics, utils

from helpers import config
from lab import parse_experiment, run_race, summarise
from lab.policies.base import NO_PREDICTION
from lab.policies.registry import POLICY_KINDS
from lab.race.kappa import SCORES, class_codes, class_counts, majority_hits, scores_from_counts
from lab.race.metrics import contender_scores, timeline_frame, timeline_scores
from lab.race.outputs import summary_json, timeline_csv
from lab.spec.experiment import Drift

RIVER = {"kappa": metrics.CohenKappa, "balanced_accuracy": metrics.BalancedAccuracy,
         "macro_f1": metrics.MacroF1}


def _river_value(name, pairs):
    metric = RIVER[name]()
    for y, p in pairs:
        metric.update(y, p)
    return metric.get()


def _as_river(labels):
    return [None if v == NO_PREDICTION else int(v) for v in labels]


def _rolling(name, window):
    with warnings.catch_warnings():  # river 0.26 deprecates passing an instance; 0.2x needs it
        warnings.simplefilter("ignore", DeprecationWarning)
        return utils.Rolling(RIVER[name](), window)


RACES = [
    pytest.param("sea", {"noise": 0.2}, [{"at": 2500, "width": 0, "to": {"variant": 2}}],
                 id="sea-binary"),
    pytest.param("led", {"noise_percentage": 0.1}, [{"at": 2000, "width": 600, "to": {}}],
                 id="led-10-classes"),
    pytest.param("rbf", {"n_classes": 4, "n_centroids": 8}, [], id="rbf-4-classes"),
]


@pytest.mark.slow
@pytest.mark.parametrize("source,params,drifts", RACES)
def test_cohen_kappa_balanced_accuracy_and_macro_f1_equal_rivers(source, params, drifts):
    """Fed the same (label, prediction) pairs, river's metrics give the same numbers to 1e-9:
    over the whole run, per segment, and in every timeline row's window and cumulatively."""
    cfg = config(source, n=4000, params=params, drifts=drifts, window=300, step=200, contenders=[
        {"name": "Online", "model": "river.hoeffding_tree", "policy": {"kind": "online"}},
        {"name": "Frozen", "model": "sk.gaussian_nb", "policy": {"kind": "frozen"}},
    ])
    exp = parse_experiment(cfg)
    result = run_race(exp)
    summary = summarise(result)
    timeline = timeline_frame(result)
    warmup, window = exp.evaluation.warmup, exp.evaluation.window
    y = result.stream.y
    bounds = [warmup] + [d.at for d in exp.stream.drifts] + [result.n_done]
    checked = 0
    for run, c in zip(result.contenders, summary["contenders"]):
        pred = run.trace.predicted
        assert set(np.unique(pred[warmup:])) <= set(np.unique(y)) | {NO_PREDICTION}
        pairs = list(zip(y[warmup:].tolist(), _as_river(pred[warmup:])))
        for name in RIVER:
            assert c[name] == pytest.approx(_river_value(name, pairs), abs=1e-9)
            for k, (a, b) in enumerate(zip(bounds[:-1], bounds[1:])):
                seg = pairs[a - warmup:b - warmup]
                assert c[f"{name}_by_segment"][k] == pytest.approx(_river_value(name, seg),
                                                                   abs=1e-9)
        rows = timeline[timeline["contender"] == run.name].set_index("t")
        rolling = {name: _rolling(name, window) for name in RIVER}
        cumulative = {name: RIVER[name]() for name in RIVER}
        for i, (yt, yp) in enumerate(pairs, start=warmup + 1):  # i = samples seen
            for name in RIVER:
                rolling[name].update(yt, yp)
                cumulative[name].update(yt, yp)
            if i in rows.index:
                for name in RIVER:
                    assert rows.at[i, f"{name}_window"] == pytest.approx(rolling[name].get(),
                                                                         abs=1e-9)
                    assert rows.at[i, f"{name}_cum"] == pytest.approx(cumulative[name].get(),
                                                                      abs=1e-9)
                    checked += 1
    assert checked == 2 * len(RIVER) * len(result.record_t)  # every row of both contenders
    # the multiclass races really are multiclass, and the predictions are not all right
    assert len(np.unique(y)) == {"sea": 2, "led": 10, "rbf": 4}[source]
    assert all(c["kappa"] < 0.99 for c in summary["contenders"])


POLICIES = [
    ({"kind": "frozen"}, "sk.logistic_regression"),
    ({"kind": "frozen"}, "river.gaussian_nb"),
    ({"kind": "periodic", "every": 200, "data": "window", "window": 400,
      "retrain_latency": 50}, "sk.decision_tree"),
    ({"kind": "triggered", "detector": "ddm"}, "sk.gaussian_nb"),
    ({"kind": "minibatch", "size": 50}, "river.logistic_regression"),
    ({"kind": "minibatch", "size": 64}, "sk.sgd"),
    ({"kind": "online"}, "river.hoeffding_tree"),
    ({"kind": "online", "retrain_latency": 20}, "river.knn"),
    ({"kind": "online"}, "sk.sgd"),
    ({"kind": "hybrid", "every": 200, "window": 400, "retrain_latency": 50},
     "river.hoeffding_tree"),
    ({"kind": "hybrid", "every": 250, "window": 400}, "sk.sgd"),
]
# a kind the registry knows and the list above does not name runs with its defaults on sk.sgd,
# which every kind takes (batch and incremental)
POLICIES += [({"kind": name}, "sk.sgd") for name in POLICY_KINDS
             if name not in {policy["kind"] for policy, _ in POLICIES}]


@pytest.mark.slow
@pytest.mark.parametrize("label_delay", [0, 7])
@pytest.mark.parametrize("policy,model", POLICIES)
def test_every_policy_records_the_predicted_label_behind_each_correct(policy, model,
                                                                      label_delay):
    """``predicted`` is filled by every policy kind, and ``correct`` is exactly
    ``predicted == y``: the kappa family reads the same predictions accuracy counts."""
    cfg = config("rbf", n=1100, params={"n_classes": 3}, label_delay=label_delay,
                 drifts=[{"at": 800, "width": 0, "to": {"seed_model": 7}}],
                 contenders=[{"name": "c", "model": model, "policy": policy}])
    result = run_race(parse_experiment(cfg))
    run = result.contenders[0]
    assert run.status == "ok", run.error
    y, p = result.stream.y[500:], run.trace.predicted[500:]
    assert np.array_equal(run.trace.correct[500:], (p == y).astype(np.int8))
    assert set(np.unique(p)) <= {0, 1, 2, NO_PREDICTION}
    assert len(np.unique(p)) >= 2  # real predictions, not a constant fill


def test_missing_predictions_count_as_a_class_of_their_own_as_river_fed_none():
    y = np.array([0, 1, 2, 1, 0, 2, 2, 1, 0, 0])
    pred = np.array([0, NO_PREDICTION, 2, 0, 0, NO_PREDICTION, 2, 1, 1, 0])
    pairs = list(zip(y.tolist(), _as_river(pred)))
    codes, pcodes, k = class_codes(y, pred)
    n, m, h = class_counts(codes, pcodes, k, [y.size])
    ours = scores_from_counts(n, m, h)
    for name in RIVER:
        assert ours[name][0] == pytest.approx(_river_value(name, pairs), abs=1e-12)
    assert ours["accuracy"][0] == pytest.approx(6 / 10)


def test_class_counts_over_arbitrary_cuts_equal_direct_counts():
    rng = np.random.default_rng(3)
    y = rng.integers(0, 5, 400)
    pred = np.where(rng.random(400) < 0.6, y, rng.integers(0, 5, 400))
    codes, pcodes, k = class_codes(y, pred)
    cuts = [0, 17, 17, 400, 5, 399, 250]
    n, m, h = class_counts(codes, pcodes, k, cuts)
    for row, cut in enumerate(cuts):
        assert n[row].tolist() == np.bincount(codes[:cut], minlength=k).tolist()
        assert m[row].tolist() == np.bincount(pcodes[:cut], minlength=k).tolist()
        right = codes[:cut] == pcodes[:cut]
        assert h[row].tolist() == np.bincount(codes[:cut][right], minlength=k).tolist()


# A tiny stream worked out by hand. Sample 0 is the warm-up; samples 1..6 are scored.
#   sample      0  1  2  3  4  5  6
#   label       1  0  0  1  0  1  1
#   prediction  -  0  1  1  0  1  0
#   correct        1  0  1  1  1  0      p0 = 4/6
# No-change (previous label):  1  0  0  1  0  1  -> right at samples 2 and 6: pe' = 2/6.
# Majority class as MOA scores it (label counts *including* the sample itself, ties to the
# smaller class):  s1 {0:1} -> 0 right; s2 {0:2} -> 0 right; s3 {0:2,1:1} -> 0 wrong;
# s4 {0:3,1:1} -> 0 right; s5 {0:3,1:2} -> 0 wrong; s6 {0:3,1:3} tie -> 0 wrong: pm = 3/6.
# (Counting only the samples *before* each one would give s1 no majority and s6 class 1.)
Y = np.array([1, 0, 0, 1, 0, 1, 1])
PRED = np.array([-1, 0, 1, 1, 0, 1, 0])


def test_kappa_m_and_kappa_t_by_the_published_formulas_on_a_hand_worked_stream():
    s = contender_scores(Y, PRED, warmup=1, drifts=(), n_done=7)
    p0 = 4 / 6
    assert s["kappa_t"] == pytest.approx((p0 - 2 / 6) / (1 - 2 / 6))  # = 0.5
    assert s["kappa_t"] == pytest.approx(0.5)
    assert s["kappa_m"] == pytest.approx((p0 - 3 / 6) / (1 - 3 / 6))  # = 1/3
    assert s["kappa_m"] == pytest.approx(1 / 3)
    # Cohen: 3 zeros and 3 ones among labels and among predictions: pe = (9 + 9) / 36 = 0.5
    assert s["kappa"] == pytest.approx((p0 - 0.5) / 0.5)
    # recall of class 0: 2 of 3 (samples 1, 2, 4); of class 1: 2 of 3 (samples 3, 5, 6)
    assert s["balanced_accuracy"] == pytest.approx(2 / 3)
    # F1 of class 0 = 2 * 2 / (3 + 3); the same for class 1
    assert s["macro_f1"] == pytest.approx(2 / 3)


def test_windowed_kappas_on_the_hand_worked_stream_and_an_undefined_one():
    # window 3. At t = 5 (samples 2, 3, 4): labels 0 1 0, correct 0 1 1, p0 = 2/3.
    #   MOA's window majority: s2 over samples 1-2 {0:2} -> right; s3 over 1-3 {0:2,1:1} -> 0,
    #   wrong; s4 over 2-4 {0:2,1:1} -> 0, right: pm = 2/3, so kappa_m = 0.
    #   no-change: s2 right, s3 wrong, s4 wrong: pe' = 1/3, kappa_t = (2/3 - 1/3) / (2/3) = 0.5
    # At t = 7 (samples 4, 5, 6): labels 0 1 1, correct 1 1 0, p0 = 2/3.
    #   majority: s4 {0:2,1:1} right; s5 over 3-5 {1:2,0:1} right; s6 over 4-6 {1:2} right:
    #   pm = 1, so kappa_m is undefined (NaN); no-change: only s6 right, kappa_t = 0.5.
    out = timeline_scores(Y, PRED, warmup=1, window=3, ts=[5, 7])
    assert out["kappa_m_window"][0] == pytest.approx(0.0)
    assert math.isnan(out["kappa_m_window"][1])
    assert out["kappa_t_window"].tolist() == pytest.approx([0.5, 0.5])
    # cumulative at t = 7 is the whole stream's value
    assert out["kappa_m_cum"][1] == pytest.approx(1 / 3)
    assert out["kappa_t_cum"][1] == pytest.approx(0.5)


def test_majority_hits_follow_moa_including_the_current_label_and_ties_to_the_smaller_class():
    codes = np.array([0, 0, 1, 0, 1, 1])  # the scored labels above
    assert majority_hits(codes).tolist() == [1, 1, 0, 1, 0, 0]
    assert majority_hits(codes, window=3).tolist() == [1, 1, 0, 1, 1, 1]

    rng = np.random.default_rng(0)
    for size, k, window in [(60, 3, 7), (300, 4, 1), (200, 2, 500), (400, 6, 37)]:
        codes = rng.integers(0, k, size)

        def brute(starts, codes=codes, k=k, size=size):  # np.argmax: the smaller class on a tie
            return [int(np.argmax(np.bincount(codes[starts[j]:j + 1], minlength=k)) == codes[j])
                    for j in range(size)]

        assert majority_hits(codes).tolist() == brute([0] * size)
        assert majority_hits(codes, window=window).tolist() == brute(
            [max(0, j + 1 - window) for j in range(size)])
        starts = np.repeat([0, size // 3], [size // 3, size - size // 3])
        assert majority_hits(codes, starts=starts).tolist() == brute(starts)


def test_undefined_scores_are_null_in_summary_json_and_empty_in_timeline_csv():
    # One class only in the second segment, always predicted right: every chance agreement
    # is 1, so kappa, kappa-M and kappa-T there divide by zero.
    y = np.array([0, 1, 0, 1, 1, 1, 1, 1, 1])
    pred = np.array([-1, 1, 1, 1, 1, 1, 1, 1, 1])
    s = contender_scores(y, pred, warmup=1, drifts=(Drift(5, 0, {}),), n_done=9)
    for name in ("kappa", "kappa_m", "kappa_t"):
        assert s[f"{name}_by_segment"][1] is None
    assert s["balanced_accuracy_by_segment"][1] == 1.0 and s["macro_f1_by_segment"][1] == 1.0
    # river, for the record, says 0.0 there: a number that measures nothing
    assert _river_value("kappa", [(1, 1)] * 4) == 0.0
    json.dumps(s, allow_nan=False)  # no NaN reaches JSON

    cfg = config("sea", n=1200, window=50, step=100, contenders=[
        {"name": "Frozen", "model": "sk.gaussian_nb", "policy": {"kind": "frozen"}}])
    result = run_race(parse_experiment(cfg))
    # make the first 50 scored samples one class, predicted right: the first window's kappas
    # are undefined
    result.stream.y[500:600] = 1
    result.contenders[0].trace.predicted[500:600] = 1
    result.contenders[0].trace.correct[500:600] = 1
    text = timeline_csv(result)
    first = pd.read_csv(pd.io.common.StringIO(text)).iloc[0]
    assert first["t"] == 600 and first["acc_window"] == 1.0
    assert all(pd.isna(first[f"{s}_window"]) for s in ("kappa", "kappa_m", "kappa_t"))
    assert text.splitlines()[1].count(",,") >= 2  # empty cells, not "nan"
    json.loads(summary_json(result))  # valid JSON (json.dumps would write NaN otherwise)
    assert "NaN" not in summary_json(result)


def test_summary_has_every_score_and_segment_list_and_failed_contenders_have_nulls():
    cfg = config("sea", n=2000, drifts=[{"at": 1200, "width": 0, "to": {"variant": 1}}],
                 contenders=[
                     {"name": "Online", "model": "river.hoeffding_tree",
                      "policy": {"kind": "online"}},
                     {"name": "Broken", "model": "sk.logistic_regression",
                      "policy": {"kind": "frozen"}}])
    exp = parse_experiment(cfg)
    result = run_race(exp)
    result.contenders[1].status = "failed"
    summary = summarise(result)
    ok, failed = summary["contenders"]
    for name in SCORES:
        assert -1.0 <= ok[name] <= 1.0 and len(ok[f"{name}_by_segment"]) == 2
        assert failed[name] is None and failed[f"{name}_by_segment"] == [None, None]
    # kappa < accuracy-based scores: kappa corrects accuracy for chance
    assert ok["kappa"] < ok["accuracy"]
