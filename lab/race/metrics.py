"""Metrics of a race, exactly as defined here, computed with vectorised numpy.

Accuracy and staleness
----------------------
* ``correct_i``: 1 if the deployed model predicted sample ``i`` right; ``predicted_i`` is the
  label it predicted (``lab.policies.trace.NO_PREDICTION`` when it gave none); both are read
  from the contender's per-sample trace (``ContenderRun.trace``), as is ``newest_i``.
* ``acc_window(t)``: mean of ``correct`` over the last ``window`` scored samples before ``t``
  (``t`` = samples seen, so samples ``[max(warmup, t - window), t)``); ``acc_cum(t)``: mean over
  all scored samples before ``t``.
* ``staleness`` at sample i: ``i - newest_i``, the age of the deployed model's newest sample.
* ``data_age`` at sample i: ``i - mean_i``, the mean age of the samples the deployed model was
  trained on, ``mean_i`` their mean index (``lab.policies.base.Policy.trained_mean_index``): for a
  fit on rows ``[lo, hi)``, ``i - (lo + hi - 1) / 2``; for a decayed fit the mean weighted by
  the sample weights; for a model updated incrementally (online, mini-batch), every sample it
  learned from its first to ``newest_i``, each weighted equally; for a hybrid, the union of its
  refit window, the catch-up and the online updates since (``river.knn`` keeps only its window
  of 1,000 samples and counts only those). Staleness says how fresh the newest thing a model
  learned is; data age how old what it knows is on average: an online learner is always fresh
  (staleness ``label_delay + 1``) but its data age grows as ``i / 2``, while a model refitted
  on a window of w samples has data age about ``w / 2`` plus its staleness.
  ``data_age >= staleness`` always. In ``timeline.csv``, like ``staleness``, at sample
  ``t - 1`` (the last sample scored before the recording point); ``data_age_mean`` in the
  summary is the mean over every scored sample.
* ``train_samples`` (``train_samples_cum``): samples passed to training so far (warm-up
  included), a count that does not depend on the machine; ``train_cpu_s``
  (``train_cpu_s_cum``): process CPU seconds spent training, measured (``lab.policies``
  says exactly how), so it varies a little between runs and machines.
* ``accuracy_by_segment``: accuracy on each stretch between drift starts (segment k runs from
  drift k-1's start to drift k's start; segment 0 starts at the warm-up's end). Every
  ``*_by_segment`` score uses the same stretches.
* ``regret_by_segment`` (only when an oracle raced, like ``regret``): per segment, the
  contender's cost over the segment minus the oracle's over the same segment
  (:func:`segment_costs`). The cost over segment ``[a, b)`` is ``C(b) - C(a)``, ``C(t)`` the
  ledger's cumulative ``cost_total`` after ``t`` samples: errors and labels of samples
  ``[0, t)`` exactly, the training counters (compute, retrains) as recorded at the first
  timeline point at or after ``t`` (counters are recorded only there, so a drift starting
  between two recording points has its block's training charged to the segment before it).
  The first segment with samples starts at ``C(0) = 0``, so it also carries the warm-up's
  bill, and the segments' costs add up to ``cost_total``: the regrets add up to ``regret``.
  An empty segment has ``null``.

Kappa family and imbalance-aware scores
---------------------------------------
Each is computed over a set S of scored samples: the timeline's window (``*_window``: the same
samples as ``acc_window``), all scored samples so far (``*_cum`` and the summary's ``kappa`` ...),
or a segment (``*_by_segment``). With ``n_c`` the samples of S whose label is class c, ``m_c``
those predicted as c, ``h_c`` those of class c predicted right and ``N = |S|``:

* ``p0 = sum_c h_c / N``, the accuracy.
* **Cohen's kappa** (Cohen 1960): ``kappa = (p0 - pe) / (1 - pe)``, ``pe = sum_c n_c m_c / N^2``,
  the agreement of a classifier that predicts at random with the contender's class shares.
  Equals river's ``metrics.CohenKappa`` fed the same ``(y, prediction)`` pairs.
* **balanced accuracy**: the mean recall ``h_c / n_c`` over the classes present in S
  (``n_c > 0``). Equals river's ``metrics.BalancedAccuracy``.
* **macro F1**: the mean of ``F1_c = 2 h_c / (n_c + m_c)`` over the classes that occur in S as
  a label or as a prediction (a class predicted but absent counts with F1 = 0). Equals river's
  ``metrics.MacroF1``.
* **kappa-M** (Bifet et al. 2013, "Pitfalls in benchmarking data stream classification and how
  to avoid them", ECML PKDD; Bifet et al. 2015, "Efficient online evaluation of big data stream
  classifiers", KDD): ``kappa_m = (p0 - pm) / (1 - pm)``, ``pm`` the accuracy over S of the
  majority-class classifier. As MOA computes it (``moa.evaluation.
  BasicClassificationPerformanceEvaluator.addResult`` and ``getMajorityClass``; the window
  version ``WindowClassificationPerformanceEvaluator`` only swaps its estimators for windowed
  ones): at sample i the majority class is the most frequent label among the samples the
  evaluator has counted *including* ``y_i`` itself (MOA updates the label counts before it
  scores the majority classifier), ties going to the smallest class label. Counted samples:
  the window ending at i (``max(warmup, i - window + 1) .. i``) for ``*_window``, every scored
  sample up to i for the cumulative values, the segment's samples up to i per segment (an
  evaluator that starts at the segment's start). Negative when the contender does worse than
  always predicting the most frequent class.
* **kappa-temporal** (Žliobaitė, Bifet, Read, Pfahringer & Holmes 2015, "Evaluation methods and
  decision theory for classification of streaming data with temporal dependence", Machine
  Learning 98(3)): ``kappa_t = (p0 - pe') / (1 - pe')``, ``pe'`` the accuracy over S of the
  no-change classifier, which predicts for sample i the label of sample ``i - 1`` -- the
  previous sample's true label in stream order, whatever ``evaluation.label_delay`` is (it
  measures how much the labels repeat themselves, the reference the contender must beat).
  MOA's evaluator does the same, except that its very first sample is compared with class 0;
  here the first scored sample has the warm-up's last label before it. Negative when
  predicting the previous label would have been more accurate: on Elec2
  (``datasets/examples/elec.json``) every contender's ``kappa_t`` is negative, the best
  (0.810 accurate) at -0.29, since the no-change classifier is right 85 % of the time.

Undefined values: when a denominator is 0 (``pe = 1``: every label and prediction in S is one
class; ``pm = 1`` or ``pe' = 1``: the reference classifier is always right, e.g. a window of a
single class) or S is empty (a segment after the stream's end, balanced accuracy of an empty
window), the score is undefined: NaN in memory, an empty cell in ``timeline.csv``, ``null`` in
``summary.json``. river returns 0.0 there for Cohen's kappa, balanced accuracy and macro F1 and
MOA divides by zero; a number would pretend to measure something.

Why our own code: river's metrics update a dict-based confusion matrix once per sample (and a
``utils.Rolling`` window reverts one per sample). Measured here on 200,000 samples of 4 classes,
river's ``CohenKappa``, ``BalancedAccuracy`` and ``MacroF1``, each cumulative and in a rolling
window of 500, read every 100 samples: 2.8 s; :func:`timeline_scores` for the same rows (and
kappa-M and kappa-T besides): 0.09 s. ``tests/test_kappa.py`` checks that they agree to 1e-9.

Baselines (``beats_no_change``)
-------------------------------
``summary.json`` holds ``no_change_accuracy`` and ``majority_accuracy`` (and ``_by_segment``):
the accuracy of river's ``dummy.NoChangeClassifier`` and ``dummy.PriorClassifier`` under the
race's own protocol, the online policy with the race's ``label_delay`` d, exactly as the
baseline contenders of ``evaluation.baselines`` score (tested to be equal): sample i is
predicted from the labels ``y[0 .. e - 1]``, ``e = max(i - d, warmup)`` (the warm-up learned at
once, then every label d + 1 samples after its sample); no-change predicts ``y[e - 1]``,
majority the most frequent of them, ties to the class seen first (river's ``Counter`` order).
With ``evaluation.labels`` buying a share of the labels or drawing their delays, the references
learn what the race's baseline contenders learn under the same :class:`~lab.policies.label_plan.
LabelPlan` (the uniform purchases, in arrival order; see :func:`lab.race.kappa.
reference_predictions`), so the story, the table's baseline rows and ``beats_no_change`` agree.
Both depend on the labels only, so they are computed for every race, baselines shown or not:
whether a contender beats them is a fact about the stream and the protocol, and turning the
reference lines on must not change it. Each contender's ``beats_no_change`` is
``accuracy > no_change_accuracy`` (``null`` when either is undefined: a failed contender,
nothing scored), and a contender dict says ``"baseline": true`` for the reference contenders
and ``false`` for the config's. With d = 0 the no-change reference is the one ``kappa_t`` uses
(``kappa_t > 0`` exactly when ``beats_no_change``, unless no-change is always right and
``kappa_t`` is ``null``); with d > 0 ``kappa_t`` keeps the published
definition (the previous sample's label, which a delayed learner has not seen yet) while
``beats_no_change`` compares with what a no-change learner can do under the same delay.

Drift metrics
-------------
Per drift k with start ``a`` and end ``e`` of its transition band (``at`` and ``at + width`` for
the span shape; ``at - width - 1`` and ``at + width - 1`` for ``"shape": "moa"``, see
:func:`lab.race.drift_metrics.change_start`) and ``b`` the next drift's start (or the end of the
scored stream):

* ``pre_drift_accuracy``: mean of ``correct`` over the *pre stretch*, the second half of the
  scored samples between the previous drift's end (or the warm-up's end) and ``a``:
  ``[s + (a - s) // 2, a)`` with ``s = max(warmup, previous drift's end)``. A mean over
  thousands of samples, not one window value, so it neither depends on ``evaluation.window`` nor
  carries a window's noise; the first half is left out because it may still hold the
  recovery from the previous drift (or the learning curve after the warm-up).
* ``recovery_tolerance``: ``tol = 0.01 + 3 * sqrt(pre * (1 - pre) * (1 / window + 1 / n_pre))``,
  ``n_pre`` the pre stretch's length: three binomial standard errors of the difference
  between one window's accuracy and the pre-drift level, so that a contender whose accuracy did
  not change stays within it (measured: 10 seeds of a drift that changes nothing, frozen and
  online, ``tests/test_drift_metrics.py``), plus one point so that a near-perfect contender
  (``pre`` close to 1, tiny standard error) is not said to have "dipped" on a few errors.
  With ``window = 500``, ``pre = 0.9`` and a pre stretch of 2,500 samples it is 5.4 points;
  a drift that costs less than that cannot be told from noise at this window (a longer window
  narrows it: 4.4 points at 1,000, 10.2 at 100).
* ``max_drop``: ``pre`` minus the lowest ``acc_window(t)`` for ``t`` in ``(a, h]``, the *drop
  horizon* ``h = min(e + max(window, width), b)``: the drift itself plus the time a window needs
  to fill with samples after it. Bounded, so a dip of noise long after the drift is not blamed
  on it. Negative when the contender only got better.
* ``recovery`` (samples): 0 when ``acc_window`` stayed at or above ``pre - tol`` over the whole
  drop horizon (no dip beyond noise). Otherwise the samples from ``e`` to the first
  ``t >= max(e, a + 1)`` at which ``acc_window`` is back at or above ``pre - tol`` *and stays
  there for a window*: ``acc_window(t') >= pre - tol`` for every ``t'`` in ``[t, t + window]``,
  with ``t + window <= b`` (a rise that falls back is not a recovery); 0 again when that holds
  from the drift's end on (a gradual drift the contender kept up with by its end). ``None``
  when it never happens before the next drift (or the end).
  ``acc_window`` trails the model by up to one window, so a recovery includes that lag: it grows
  with ``evaluation.window`` (``tests/test_drift_metrics.py`` pins the band).
* ``area_lost`` (Shaker & Hüllermeier 2015, "Recovery analysis for adaptive learning from
  non-stationary data streams", Neurocomputing 150: the performance lost to a drift, integrated
  over time rather than read against a threshold): ``sum_{i=a}^{b-1} (pre - correct_i)
  = (b - a) * (pre - accuracy_by_segment[k + 1])``, the errors the drift cost compared with the
  pre-drift level, from its start to the next drift (or the end), in samples. No threshold and
  no window enter it. Negative when the contender did better after the drift than before.

All five are ``None`` for a drift at or before the warm-up's end or past the last sample seen,
or whose pre stretch is empty (it starts where the previous drift ends).

>>> w = rolling_accuracy(np.array([1, 1, 0, 0], dtype=np.int8), warmup=0, window=2)
>>> w.tolist()  # acc_window at t = 1, 2, 3, 4 samples seen
[1.0, 1.0, 0.5, 0.0]
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from lab.policies.label_plan import LabelPlan
from lab.race.drift_metrics import (
    DRIFT_KEYS,
    cumulative_accuracy,
    drift_effects,
    rolling_accuracy,
    segment_accuracy,
    segment_bounds,
)
from lab.race.engine import ContenderRun, RaceResult
from lab.race.kappa import (
    beats,
    class_codes,
    class_counts,
    kappa_against,
    majority_hits,
    no_change_hits,
    reference_accuracy,
    scores_from_counts,
)
from lab.race.ledger import add_regret, summary_cost, timeline_costs
from lab.spec.columns import EVENT_COLUMNS, SCORES, TIMELINE_COLUMNS


def _segment_starts(size: int, bounds: list[int]) -> np.ndarray:
    """Per scored index, the scored index its segment starts at (``bounds`` are segment starts,
    as scored indices, ascending)."""
    bounds = np.clip(np.asarray(bounds, dtype=np.int64), 0, size)
    which = np.searchsorted(bounds, np.arange(size), side="right") - 1
    return bounds[np.maximum(which, 0)]


def _sums_at(values: np.ndarray, ends: np.ndarray, starts: np.ndarray) -> np.ndarray:
    cs = np.concatenate(([0], np.cumsum(values, dtype=np.int64)))
    return cs[ends] - cs[starts]


def _scores_over(codes, pred, k, maj, nochange, starts, ends) -> dict[str, np.ndarray]:
    """The five scores (and accuracy) over scored samples ``[starts[r], ends[r])`` per r.
    ``maj``: the majority-class hits of the evaluator these spans belong to."""
    cuts = np.concatenate((starts, ends))
    n, m, h = class_counts(codes, pred, k, cuts)
    rows = len(starts)
    out = scores_from_counts(n[rows:] - n[:rows], m[rows:] - m[:rows], h[rows:] - h[:rows])
    size = np.asarray(ends) - np.asarray(starts)
    with np.errstate(divide="ignore", invalid="ignore"):
        pm = _sums_at(maj, ends, starts) / size
        pt = _sums_at(nochange, ends, starts) / size
    out["kappa_m"] = kappa_against(out["accuracy"], pm)
    out["kappa_t"] = kappa_against(out["accuracy"], pt)
    return out


def _number(x) -> float | None:
    """A float for JSON, or None where undefined (NaN)."""
    x = float(x)
    return x if math.isfinite(x) else None


def _rows(run: ContenderRun, result: RaceResult) -> int:
    return len(run.train_samples_cum)


def label_references(y: np.ndarray, warmup: int, window: int, n_done: int) -> dict:
    """The reference classifiers' hits over scored samples ``[warmup, n_done)``: ``majority``
    per window (``window``) and cumulative (``cumulative``), ``no_change``. They depend on the
    labels only, so a race computes them once for all its contenders."""
    true = y[warmup:n_done]
    codes = np.searchsorted(np.unique(true), true)
    return {"window": majority_hits(codes, window=window),
            "cumulative": majority_hits(codes),
            "no_change": no_change_hits(y, warmup, n_done)}


def timeline_scores(y: np.ndarray, predicted: np.ndarray, warmup: int, window: int, ts,
                    references: dict | None = None) -> dict[str, np.ndarray]:
    """``{score}_window`` and ``{score}_cum`` for every score of :data:`SCORES` at the
    timeline's points ``ts`` (samples seen, ascending, each ``> warmup``); ``references`` from
    :func:`label_references` (computed here when not given)."""
    ts = np.asarray(ts, dtype=np.int64)
    last = int(ts[-1])
    refs = references or label_references(y, warmup, window, last)
    size = last - warmup
    codes, pred, k = class_codes(y[warmup:last], predicted[warmup:last])
    ends = ts - warmup
    windowed = _scores_over(codes, pred, k, refs["window"][:size], refs["no_change"][:size],
                            np.maximum(0, ends - window), ends)
    cumulative = _scores_over(codes, pred, k, refs["cumulative"][:size],
                              refs["no_change"][:size], np.zeros_like(ends), ends)
    return {**{f"{score}_window": windowed[score] for score in SCORES},
            **{f"{score}_cum": cumulative[score] for score in SCORES}}


def data_age(policy, samples: np.ndarray) -> np.ndarray:
    """``data_age`` at each sample index of ``samples`` (scored ones): the sample's index minus
    the mean index of the data the model that predicted it was trained on (module docstring)."""
    samples = np.asarray(samples, dtype=np.int64)
    return samples - policy.trained_mean_index(samples)


def timeline_frame(result: RaceResult) -> pd.DataFrame:
    """``timeline.csv``: one row per contender per recording point it reached."""
    ev = result.experiment.evaluation
    y = result.stream.y
    references = label_references(y, ev.warmup, ev.window, result.n_done)
    frames = []
    for run in result.contenders:
        k = _rows(run, result)
        if k == 0:
            continue
        ts = np.asarray(result.record_t[:k])
        p, trace = run.policy, run.trace
        correct = trace.correct[:ts[-1]]
        window = rolling_accuracy(correct, ev.warmup, ev.window)
        cum = cumulative_accuracy(correct, ev.warmup)
        idx = ts - ev.warmup - 1
        frames.append(pd.DataFrame({
            "t": ts,
            "contender": run.name,
            "acc_window": window[idx],
            "acc_cum": cum[idx],
            "staleness": (ts - 1) - trace.newest[ts - 1],
            "data_age": data_age(p, ts - 1),
            "train_samples_cum": np.asarray(run.train_samples_cum, dtype=np.int64),
            "train_cpu_s_cum": np.asarray(run.train_cpu_s_cum, dtype=np.float64),
            "retrains_cum": np.asarray(run.retrains_cum, dtype=np.int64),
            **timeline_scores(y, trace.predicted, ev.warmup, ev.window, ts, references),
            **timeline_costs(result.experiment.prices, y, trace.predicted, ts, ev.warmup,
                             ev.label_delay, run.train_samples_cum, run.train_cpu_s_cum,
                             run.retrains_cum, p.received_label_steps()),
        }))
    if not frames:
        return pd.DataFrame({c: [] for c in TIMELINE_COLUMNS})
    return pd.concat(frames, ignore_index=True)[list(TIMELINE_COLUMNS)]


def events_frame(result: RaceResult) -> pd.DataFrame:
    """``events.csv``: retrain starts, deployments, detector alarms and failures, in time order."""
    rows = [(t, run.name, kind, detail)
            for run in result.contenders for t, kind, detail in run.events if t <= result.n_done]
    frame = pd.DataFrame(rows, columns=list(EVENT_COLUMNS))
    order = {run.name: k for k, run in enumerate(result.contenders)}
    frame["_order"] = frame["contender"].map(order)
    frame = frame.sort_values(["t", "_order"], kind="stable").drop(columns="_order")
    return frame.reset_index(drop=True)


def contender_scores(y: np.ndarray, predicted: np.ndarray, warmup: int, drifts, n_done: int
                     ) -> dict:
    """The summary's kappa-family keys: each score over all scored samples and per segment."""
    segments = segment_bounds(warmup, drifts, n_done)
    size = max(0, n_done - warmup)
    true, pred = y[warmup:n_done], predicted[warmup:n_done]
    codes, pcodes, k = class_codes(true, pred)
    true_codes = np.searchsorted(np.unique(true), true)
    nochange = no_change_hits(y, warmup, n_done)
    whole = _scores_over(codes, pcodes, k, majority_hits(true_codes), nochange,
                         np.array([0]), np.array([size]))
    lo = np.array([min(a, b) - warmup for a, b in segments])
    hi = np.array([b - warmup for _, b in segments])
    hi = np.maximum(hi, lo)
    maj_seg = majority_hits(true_codes, starts=_segment_starts(size, lo))
    per = _scores_over(codes, pcodes, k, maj_seg, nochange, lo, hi)
    out = {score: _number(whole[score][0]) for score in SCORES}
    for score in SCORES:
        out[f"{score}_by_segment"] = [_number(v) for v in per[score]]
    return out


def contender_summary(run: ContenderRun, result: RaceResult,
                      no_change_accuracy: float | None = None) -> dict:
    """One contender's ``summary.json`` entry; ``beats_no_change`` compares its accuracy with
    ``no_change_accuracy`` (see :func:`reference_accuracy`; None: unknown)."""
    ev = result.experiment.evaluation
    drifts = result.experiment.stream.drifts
    base = {"name": run.name, "baseline": run.baseline, "status": run.status,
            "error": run.error}
    segments = len(drifts) + 1
    empty = {"accuracy": None, "accuracy_by_segment": [None] * segments,
             "retrains": None, "train_samples": None, "train_cpu_s": None,
             "mean_staleness": None, "max_staleness": None, "data_age_mean": None,
             **{key: [None] * len(drifts) for key in DRIFT_KEYS},
             **{score: None for score in SCORES},
             **{f"{score}_by_segment": [None] * segments for score in SCORES},
             "cost": None, "cost_total": None}
    if run.status != "ok" or run.policy is None:
        return {**base, **empty, "beats_no_change": None}
    p, trace, n = run.policy, run.trace, result.n_done
    correct = trace.correct[:n]
    staleness = np.arange(ev.warmup, n) - trace.newest[ev.warmup:n]
    effects = drift_effects(correct, ev.warmup, ev.window, drifts, n)
    accuracy = float(correct[ev.warmup:].mean()) if n > ev.warmup else None
    return {
        **base,
        "accuracy": accuracy,
        "beats_no_change": beats(accuracy, no_change_accuracy),
        "accuracy_by_segment": segment_accuracy(correct, ev.warmup, drifts, n),
        "retrains": int(p.retrains),
        "train_samples": int(p.train_samples),
        "train_cpu_s": round(float(p.train_cpu_s), 6),
        # a race stopped before its first scored sample has no ages to average
        "mean_staleness": float(staleness.mean()) if staleness.size else None,
        "max_staleness": int(staleness.max()) if staleness.size else None,
        "data_age_mean": (float(data_age(p, np.arange(ev.warmup, n)).mean())
                          if staleness.size else None),
        **{key: [effect[key] for effect in effects] for key in DRIFT_KEYS},
        **contender_scores(result.stream.y, trace.predicted, ev.warmup, drifts, n),
        **summary_cost(result.experiment.prices, result.stream.y, trace.predicted, n, ev.warmup,
                       ev.label_delay, p.train_samples, p.train_cpu_s, p.retrains,
                       p.received_label_steps()),
    }


def segment_costs(run: ContenderRun, result: RaceResult) -> list[float | None]:
    """The contender's cost over each segment between drift starts (module docstring,
    ``regret_by_segment``): ``C(b) - C(a)`` for segment ``[a, b)``, ``a`` = 0 for the first
    segment with samples; ``None`` for an empty segment, and for every segment of a contender
    without a bill (failed, or nothing recorded)."""
    ev = result.experiment.evaluation
    n = result.n_done
    bounds = segment_bounds(ev.warmup, result.experiment.stream.drifts, n)
    k = _rows(run, result)
    if run.status != "ok" or run.policy is None or k == 0:
        return [None] * len(bounds)
    filled = [(a, b) for a, b in bounds if b > a]
    # each non-empty segment's (start, end) on the cost clock; the first starts at 0
    spans = [(0 if i == 0 else a, b) for i, (a, b) in enumerate(filled)]
    points = np.array(sorted({t for span in spans for t in span if t > 0}), dtype=np.int64)
    record_t = np.asarray(result.record_t[:k], dtype=np.int64)
    # the first recording point at or after t (n_done, the last one, bounds every t)
    row = np.minimum(np.searchsorted(record_t, points, side="left"), k - 1)
    ledger = timeline_costs(result.experiment.prices, result.stream.y, run.trace.predicted,
                            points, ev.warmup, ev.label_delay,
                            np.asarray(run.train_samples_cum)[row],
                            np.asarray(run.train_cpu_s_cum)[row],
                            np.asarray(run.retrains_cum)[row])
    at = {0: 0.0, **dict(zip(points.tolist(), ledger["cost_total"].tolist()))}
    costs = iter(at[b] - at[a] for a, b in spans)
    return [next(costs) if b > a else None for a, b in bounds]


def add_segment_regret(contenders: list[dict], costs: list[list[float | None]]) -> None:
    """``regret_by_segment`` for every contender once :func:`lab.race.ledger.add_regret` found
    an oracle (``"oracle": true``): per segment, the contender's cost (``costs``, from
    :func:`segment_costs`, in the order of ``contenders``) minus the oracle's; ``None`` where
    either is unknown. Without an oracle nothing is added (summaries keep their form).

    >>> rows = [{"status": "ok", "regret": 5.0}, {"status": "ok", "oracle": True, "regret": 0.0}]
    >>> add_segment_regret(rows, [[10.0, 20.0, None], [12.0, 13.0, None]])
    >>> rows[0]["regret_by_segment"], rows[1]["regret_by_segment"]
    ([-2.0, 7.0, None], [0.0, 0.0, None])
    """
    oracle = next((k for k, c in enumerate(contenders) if c.get("oracle")), None)
    if oracle is None:
        return
    reference = costs[oracle]
    for c, own in zip(contenders, costs):
        c["regret_by_segment"] = [None if mine is None or best is None else mine - best
                                  for mine, best in zip(own, reference)]


def versions() -> dict:
    """What made the numbers: Python and the libraries (a sweep reuses a stored run only when
    they all match)."""
    import platform

    import numpy
    import river
    import sklearn

    import lab

    return {"python": platform.python_version(), "lab": lab.__version__,
            "river": river.__version__, "sklearn": sklearn.__version__,
            "numpy": numpy.__version__}


def summarise(result: RaceResult) -> dict:
    """The ``summary.json`` document."""
    exp = result.experiment
    references = reference_accuracy(result.stream.y, exp.evaluation.warmup,
                                    exp.evaluation.label_delay, exp.stream.drifts, result.n_done,
                                    LabelPlan.of(exp.evaluation, len(result.stream), exp.seed))
    contenders = [contender_summary(run, result, references["no_change_accuracy"])
                  for run in result.contenders]
    add_regret(contenders, [run.spec.policy.kind for run in result.contenders])
    if any(c.get("oracle") for c in contenders):
        add_segment_regret(contenders, [segment_costs(run, result)
                                        for run in result.contenders])
    return {
        "config": exp.to_dict(),
        "n_samples": len(result.stream),
        "n_scored": max(0, result.n_done - exp.evaluation.warmup),
        "complete": not result.cancelled,
        # at/width as configured; start/end: the transition band that figures and metrics use
        # (they differ for "shape": "moa", whose at is the sigmoid's centre)
        "drifts": [{"at": d.at, "width": d.width, "shape": d.shape, "start": d.start,
                    "end": d.end} for d in exp.stream.drifts],
        "contenders": contenders,
        # what river's no-change and majority learners score on this stream under the same
        # protocol, baselines raced or not (see "Baselines" in the module docstring)
        **references,
        "versions": versions(),
    }
