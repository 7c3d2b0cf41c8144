"""Metrics of a race, exactly as defined here, computed with vectorised numpy.

Accuracy and staleness
----------------------
* ``correct_i``: 1 if the deployed model predicted sample ``i`` right; ``predicted_i`` is the
  label it predicted (``lab.policies.NO_PREDICTION`` when it gave none).
* ``acc_window(t)``: mean of ``correct`` over the last ``window`` scored samples before ``t``
  (``t`` = samples seen, so samples ``[max(warmup, t - window), t)``); ``acc_cum(t)``: mean over
  all scored samples before ``t``.
* ``staleness`` at sample i: ``i - newest_i``, the age of the deployed model's newest sample.
* ``data_age`` at sample i: ``i - mean_i``, the mean age of the samples the deployed model was
  trained on, ``mean_i`` their mean index (``lab.policies.Policy.trained_mean_index``): for a
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
Per drift k with start ``a = at``, end ``e = at + width`` and ``b`` the next drift's start (or
the end of the scored stream):

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

from lab.engine import ContenderRun, RaceResult
from lab.spec.columns import EVENT_COLUMNS, SCORES, TIMELINE_COLUMNS

# recovery_tolerance = TOLERANCE_FLOOR + TOLERANCE_Z * (standard error), see the docstring
TOLERANCE_FLOOR = 0.01
TOLERANCE_Z = 3.0
DRIFT_KEYS = ("max_drop", "recovery", "area_lost", "pre_drift_accuracy", "recovery_tolerance")


def rolling_accuracy(correct: np.ndarray, warmup: int, window: int) -> np.ndarray:
    """``acc_window(t)`` for ``t = warmup + 1 .. len(correct)`` (index ``t - warmup - 1``)."""
    scored = correct[warmup:].astype(np.int64)
    cs = np.concatenate(([0], np.cumsum(scored)))
    b = np.arange(1, scored.size + 1)
    a = np.maximum(0, b - window)
    return (cs[b] - cs[a]) / (b - a)


def cumulative_accuracy(correct: np.ndarray, warmup: int) -> np.ndarray:
    """``acc_cum(t)`` for ``t = warmup + 1 .. len(correct)``."""
    scored = correct[warmup:].astype(np.int64)
    return np.cumsum(scored) / np.arange(1, scored.size + 1)


# --------------------------------------------------------------------------------------------
# Kappa family, balanced accuracy, macro F1
# --------------------------------------------------------------------------------------------
def class_codes(y: np.ndarray, predicted: np.ndarray) -> tuple[np.ndarray, np.ndarray, int]:
    """``(true codes, predicted codes, k)``: labels as indices ``0 .. k-1`` into the sorted
    labels that occur in either array (so index order is label order, as MOA's class index)."""
    classes = np.union1d(np.unique(y), np.unique(predicted))
    return np.searchsorted(classes, y), np.searchsorted(classes, predicted), int(classes.size)


def class_counts(true_codes: np.ndarray, pred_codes: np.ndarray, k: int, cuts) -> tuple:
    """Per-class counts over samples ``[0, cut)`` for each ``cut`` of ``cuts``.

    Returns ``(n, m, h)``, each ``(len(cuts), k)`` int64: samples whose label is class c, samples
    predicted as c, samples of class c predicted right. One pass: each sample is binned by the
    first cut it counts for, and the bins are summed cumulatively (memory ``len(cuts) * k``,
    not ``len(samples) * k``). The counts over ``[lo, hi)`` are ``counts(hi) - counts(lo)``.
    """
    cuts = np.asarray(cuts, dtype=np.int64)
    size = true_codes.size
    edges, inverse = np.unique(np.clip(cuts, 0, size), return_inverse=True)
    lengths = np.diff(np.concatenate(([0], edges, [size])))
    bins = np.repeat(np.arange(edges.size + 1, dtype=np.int64), lengths) * k
    cells = (edges.size + 1) * k

    def cumulative(index: np.ndarray) -> np.ndarray:
        counts = np.bincount(index, minlength=cells).reshape(edges.size + 1, k)
        return np.cumsum(counts, axis=0)[:edges.size][inverse]

    right = true_codes == pred_codes
    return (cumulative(bins + true_codes), cumulative(bins + pred_codes),
            cumulative(bins[right] + true_codes[right]))


def scores_from_counts(n: np.ndarray, m: np.ndarray, h: np.ndarray) -> dict[str, np.ndarray]:
    """``accuracy``, ``kappa``, ``balanced_accuracy``, ``macro_f1`` per row of class counts
    (see the module docstring); NaN where undefined. Integer arithmetic up to the last
    division, so ``pe == 1`` is tested exactly."""
    total = n.sum(axis=1)
    hits = h.sum(axis=1)
    chance = (n * m).sum(axis=1)  # N^2 * pe, exact in int64 (N <= 10^7)
    support = n > 0
    present = (n + m) > 0
    with np.errstate(divide="ignore", invalid="ignore"):
        p0 = hits / total
        pe = chance / total.astype(np.float64) ** 2
        kappa = np.where((total > 0) & (chance < total * total), (p0 - pe) / (1 - pe), np.nan)
        recall = np.where(support, h / np.where(support, n, 1), 0.0)
        classes = support.sum(axis=1)
        balanced = np.where(classes > 0, recall.sum(axis=1) / np.maximum(classes, 1), np.nan)
        f1 = np.where(present, 2 * h / np.where(present, n + m, 1), 0.0)
        shown = present.sum(axis=1)
        macro_f1 = np.where(shown > 0, f1.sum(axis=1) / np.maximum(shown, 1), np.nan)
    return {"accuracy": np.where(total > 0, p0, np.nan), "kappa": kappa,
            "balanced_accuracy": balanced, "macro_f1": macro_f1}


def kappa_against(p0, p_ref):
    """``(p0 - p_ref) / (1 - p_ref)``, NaN where ``p_ref`` is 1 (or either is NaN)."""
    p0, p_ref = np.asarray(p0, dtype=np.float64), np.asarray(p_ref, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(p_ref < 1, (p0 - p_ref) / (1 - p_ref), np.nan)


def majority_hits(true_codes: np.ndarray, *, window: int | None = None,
                  starts: np.ndarray | None = None) -> np.ndarray:
    """1 where MOA's majority-class classifier is right at sample ``j``: the most frequent code
    among the counted samples up to ``j`` *including* ``j`` (MOA counts sample j's label before
    it scores the majority class), ties to the smallest code, equals ``true_codes[j]``.

    Counted samples: the last ``window`` ones (``j - window + 1 .. j``) if ``window`` is given,
    ``starts[j] .. j`` if ``starts`` is, else all from 0. One pass per class present (at most
    50), each a cumulative count and a running maximum, in place: 0.5 s for 1,000,000 samples
    of 50 classes, 0.1 s for 10.
    """
    size = true_codes.size
    best = np.zeros(size, dtype=np.int64)
    winner = np.zeros(size, dtype=np.int64)
    count = np.empty(size, dtype=np.int64)
    better = np.empty(size, dtype=bool)
    is_c = np.empty(size, dtype=bool)
    cs = np.zeros(size + 1, dtype=np.int64)
    for c in np.unique(true_codes):
        np.equal(true_codes, c, out=is_c)
        np.cumsum(is_c, dtype=np.int64, out=cs[1:])
        if window is not None:  # count[j] = cs[j + 1] - cs[max(0, j + 1 - window)]
            head = min(window, size)
            count[:head] = cs[1:head + 1]
            np.subtract(cs[head + 1:], cs[1:size - head + 1], out=count[head:])
        elif starts is not None:
            np.subtract(cs[1:], cs[starts], out=count)
        else:
            count[:] = cs[1:]
        np.greater(count, best, out=better)  # strictly: on a tie the smaller class keeps it
        np.copyto(best, count, where=better)
        np.copyto(winner, c, where=better)
    return (winner == true_codes).astype(np.int8)


def no_change_hits(y: np.ndarray, warmup: int, hi: int) -> np.ndarray:
    """1 where the previous sample's label (stream order) equals the label, for samples
    ``[warmup, hi)``. With no previous sample (warm-up 0), the smallest label stands in, as
    MOA's ``lastSeenClass = 0``."""
    labels = y[:hi]
    previous = np.concatenate(([labels.min() if labels.size else 0], labels[:-1]))
    return (labels == previous)[warmup:].astype(np.int8)


def reference_predictions(y: np.ndarray, warmup: int, label_delay: int, n_done: int
                          ) -> dict[str, np.ndarray]:
    """The labels river's no-change and majority (``PriorClassifier``) learners predict for
    samples ``[warmup, n_done)`` under the online policy with label delay ``label_delay``: from
    the labels ``y[:e]``, ``e = max(i - label_delay, warmup)`` (see the module docstring).

    One pass per class (at most 50) over cumulative counts. Measured on 1,000,000 samples of
    10 classes, on a 2-core machine under load: 1.5 s, where river's ``PriorClassifier``
    loop takes about 29 µs a sample (29 s).

    >>> y = np.array([0, 1, 1, 0, 0, 2])
    >>> {k: v.tolist() for k, v in reference_predictions(y, 1, 0, 6).items()}
    {'no_change': [0, 1, 1, 0, 0], 'majority': [0, 0, 1, 0, 0]}
    """
    y = np.asarray(y)
    if n_done <= warmup:
        empty = y[:0]
        return {"no_change": empty, "majority": empty}
    ends = np.maximum(np.arange(warmup, n_done) - label_delay, warmup)  # labels learned: y[:e]
    known = y[:int(ends.max())]
    classes, first = np.unique(known, return_index=True)
    best = np.zeros(known.size + 1, dtype=np.int64)  # per prefix length
    winner = np.zeros(known.size + 1, dtype=y.dtype)
    count = np.zeros(known.size + 1, dtype=np.int64)
    better = np.empty(known.size + 1, dtype=bool)
    for c in classes[np.argsort(first)]:  # first seen first: it keeps a tie (strict ">")
        np.cumsum(known == c, dtype=np.int64, out=count[1:])
        np.greater(count, best, out=better)
        np.copyto(best, count, where=better)
        np.copyto(winner, c, where=better)
    return {"no_change": y[ends - 1], "majority": winner[ends]}


def reference_accuracy(y: np.ndarray, warmup: int, label_delay: int, drifts, n_done: int
                       ) -> dict:
    """The summary's ``no_change_accuracy``, ``majority_accuracy`` and their ``_by_segment``
    (``None`` where nothing is scored)."""
    predictions = reference_predictions(y, warmup, label_delay, n_done)
    out = {}
    for name, predicted in predictions.items():
        correct = np.zeros(max(n_done, 0), dtype=np.int8)
        correct[warmup:n_done] = predicted == y[warmup:n_done]
        out[f"{name}_accuracy"] = (float(correct[warmup:n_done].mean())
                                   if n_done > warmup else None)
        out[f"{name}_accuracy_by_segment"] = segment_accuracy(correct, warmup, drifts, n_done)
    return out


def beats(accuracy: float | None, reference: float | None) -> bool | None:
    """``accuracy > reference``, or None when either is undefined."""
    if accuracy is None or reference is None:
        return None
    return bool(accuracy > reference)


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
        p = run.policy
        correct = p.correct[:ts[-1]]
        window = rolling_accuracy(correct, ev.warmup, ev.window)
        cum = cumulative_accuracy(correct, ev.warmup)
        idx = ts - ev.warmup - 1
        frames.append(pd.DataFrame({
            "t": ts,
            "contender": run.name,
            "acc_window": window[idx],
            "acc_cum": cum[idx],
            "staleness": (ts - 1) - p.newest[ts - 1],
            "data_age": data_age(p, ts - 1),
            "train_samples_cum": np.asarray(run.train_samples_cum, dtype=np.int64),
            "train_cpu_s_cum": np.asarray(run.train_cpu_s_cum, dtype=np.float64),
            "retrains_cum": np.asarray(run.retrains_cum, dtype=np.int64),
            **timeline_scores(y, p.predicted, ev.warmup, ev.window, ts, references),
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


# --------------------------------------------------------------------------------------------
# Drift metrics
# --------------------------------------------------------------------------------------------
def recovery_tolerance(pre: float, window: int, n_pre: int) -> float:
    """``TOLERANCE_FLOOR + TOLERANCE_Z * sqrt(pre (1 - pre) (1/window + 1/n_pre))``."""
    spread = pre * (1.0 - pre) * (1.0 / window + 1.0 / n_pre)
    return TOLERANCE_FLOOR + TOLERANCE_Z * math.sqrt(max(spread, 0.0))


def _first_stay(ok: np.ndarray, length: int) -> int | None:
    """First index i with ``ok[i .. i + length]`` all True (``length + 1`` values), or None."""
    need = length + 1
    if ok.size < need:
        return None
    bad = np.concatenate(([0], np.cumsum(~ok, dtype=np.int64)))
    clean = np.flatnonzero(bad[need:] - bad[:-need] == 0)
    return int(clean[0]) if clean.size else None


def drift_effects(correct: np.ndarray, warmup: int, window: int, drifts, n_done: int
                  ) -> list[dict]:
    """Per drift, ``{"max_drop", "recovery", "area_lost", "pre_drift_accuracy",
    "recovery_tolerance"}`` (see the module docstring), from the contender's ``correct`` array
    (at least ``n_done`` long) and ``evaluation.window``."""
    correct = np.asarray(correct[:n_done])
    window_acc = rolling_accuracy(correct, warmup, window)  # index t - warmup - 1
    starts = [change_start(d) for d in drifts] + [n_done]
    out = []
    for k, drift in enumerate(drifts):
        none = dict.fromkeys(DRIFT_KEYS)
        a, e = change_start(drift), drift.end
        b = min(starts[k + 1], n_done)
        begin = max(warmup, drifts[k - 1].end if k else warmup)
        pre_lo = begin + max(0, a - begin) // 2
        if a <= warmup or a >= n_done or pre_lo >= a or b <= a:
            out.append(none)
            continue
        pre = float(correct[pre_lo:a].mean())
        tol = recovery_tolerance(pre, window, a - pre_lo)
        threshold = pre - tol

        def acc(t_lo, t_hi):  # acc_window(t) for t in [t_lo, t_hi]
            return window_acc[t_lo - warmup - 1:t_hi - warmup]

        horizon = min(e + max(window, e - a), b)
        dip = acc(a + 1, horizon)
        drop = float(pre - dip.min())
        if not (dip < threshold).any():
            recovery = 0
        else:
            first = max(e, a + 1)
            later = acc(first, b)  # t in [first, b]
            found = _first_stay(later >= threshold, window) if first <= b else None
            recovery = None if found is None else int(first + found - e)
        area = float((b - a) * pre - correct[a:b].sum())
        out.append({"max_drop": drop, "recovery": recovery, "area_lost": area,
                    "pre_drift_accuracy": pre, "recovery_tolerance": tol})
    return out


def change_start(drift) -> int:
    """Where a drift's change begins: ``at`` for the span form, the 1.8 % point of the sigmoid
    (``at - width - 1``) for MOA's form, whose ``at`` is the centre (half the samples already
    new). Metrics measure from here so both forms of one change give the same figures."""
    return getattr(drift, "start", drift.at)


def segment_bounds(warmup: int, drifts, n_done: int) -> list[tuple[int, int]]:
    """``(first, end)`` sample of each stretch between drift starts (``end <= first``: empty)."""
    bounds = [warmup] + [change_start(d) for d in drifts] + [n_done]
    return [(max(a, warmup), min(b, n_done)) for a, b in zip(bounds[:-1], bounds[1:])]


def segment_accuracy(correct: np.ndarray, warmup: int, drifts, n_done: int) -> list[float | None]:
    return [float(correct[a:b].mean()) if b > a else None
            for a, b in segment_bounds(warmup, drifts, n_done)]


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
             **{f"{score}_by_segment": [None] * segments for score in SCORES}}
    if run.status != "ok" or run.policy is None:
        return {**base, **empty, "beats_no_change": None}
    p, n = run.policy, result.n_done
    correct = p.correct[:n]
    staleness = np.arange(ev.warmup, n) - p.newest[ev.warmup:n]
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
        "mean_staleness": float(staleness.mean()),
        "max_staleness": int(staleness.max()),
        "data_age_mean": float(data_age(p, np.arange(ev.warmup, n)).mean()),
        **{key: [effect[key] for effect in effects] for key in DRIFT_KEYS},
        **contender_scores(result.stream.y, p.predicted, ev.warmup, drifts, n),
    }


def versions() -> dict:
    import numpy
    import river
    import sklearn

    import lab

    return {"lab": lab.__version__, "river": river.__version__, "sklearn": sklearn.__version__,
            "numpy": numpy.__version__}


def summarise(result: RaceResult) -> dict:
    """The ``summary.json`` document."""
    exp = result.experiment
    references = reference_accuracy(result.stream.y, exp.evaluation.warmup,
                                    exp.evaluation.label_delay, exp.stream.drifts, result.n_done)
    return {
        "config": exp.to_dict(),
        "n_samples": len(result.stream),
        "n_scored": max(0, result.n_done - exp.evaluation.warmup),
        "complete": not result.cancelled,
        # at/width as configured; start/end: the transition band that figures and metrics use
        # (they differ for "shape": "moa", whose at is the sigmoid's centre)
        "drifts": [{"at": d.at, "width": d.width, "shape": d.shape, "start": d.start,
                    "end": d.end} for d in exp.stream.drifts],
        "contenders": [contender_summary(run, result, references["no_change_accuracy"])
                       for run in result.contenders],
        # what river's no-change and majority learners score on this stream under the same
        # protocol, baselines raced or not (see "Baselines" in the module docstring)
        **references,
        "versions": versions(),
    }
