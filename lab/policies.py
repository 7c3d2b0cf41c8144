"""Update policies: when a contender's model learns, from which data, and when the result serves.

Every policy runs the same prequential protocol (``DESIGN.md``): at scored sample ``i`` the
*deployed* model predicts ``x_i``; then the label of sample ``i - label_delay`` arrives and the
policy may react (learn it, feed a drift detector, start a retrain). A retrain started after the
label at step ``r`` trains on the labelled samples ``[.., r - label_delay]`` and its model serves
from sample ``r + 1 + retrain_latency`` on; the old model serves meanwhile.

Two families, for speed:

* :class:`BatchPolicy` (frozen, periodic, triggered, minibatch) keeps one model constant between
  known change points, so it scores whole numpy chunks at once -- scikit-learn's ~50 µs per
  ``predict`` call is paid once per chunk, not once per sample.
* :class:`OnlinePolicy` (online, hybrid) changes the model after every label, so it runs river's
  ``predict_one`` / ``learn_one`` loop, as ``river.evaluate.progressive_val_score`` does.

Each policy fills, per sample, ``correct`` (1 if the deployed model was right), ``predicted``
(the label it predicted, coded as ``stream.y``; :data:`NO_PREDICTION` when the model gave none,
e.g. a river model that has not seen a label yet) and ``newest`` (the newest sample index the
deployed model learned from: staleness is ``i - newest``), and keeps the cost counters
``train_samples``, ``train_cpu_s`` and ``retrains``. ``predicted`` is what the kappa family,
balanced accuracy and macro F1 of :mod:`lab.race.metrics` are computed from.

Training cost, in one unit for every policy:

* ``train_samples``: samples passed to training (a fit on 5,000 rows counts 5,000, an online
  update 1), warm-up included. Deterministic: it does not depend on the machine.
* ``train_cpu_s``: process CPU seconds (``time.process_time``: user + system time of every
  thread of the process) spent training, warm-up included. Fits, mini-batch updates, a hybrid's
  refits and catch-ups and the scikit-learn online loop are timed around each training call.
  river's per-sample ``learn_one`` (10-70 µs) is too short to time with ``process_time``
  (a system call, ~1 µs here: two per sample slowed a river logistic regression by 18 %), so
  the river online loop reads the process CPU clock once per stretch it runs (at most one
  block of the engine) and charges training the share of the stretch's wall time spent inside
  ``learn_one`` (``perf_counter``, ~0.1 µs): ``cpu_stretch * learn_wall / wall_stretch``. The
  total is exact CPU time; only its split between predicting and learning within a stretch is
  apportioned. Prediction (scoring) is never counted, for any policy. Every contender is timed
  around its own calls only, so contenders interleaved in one race do not pay for each other;
  but process CPU time includes other threads of the same process (e.g. a second race that an
  app server runs at the same time), and it varies a little from run to run.

Data age (:meth:`Policy.trained_mean_index`): the mean index of the samples the deployed model
was trained on, so that the data age at sample ``i`` is ``i - trained_mean_index(i)`` (see
:mod:`lab.race.metrics`). A fit on rows ``[lo, hi)`` has mean index ``(lo + hi - 1) / 2``, or the
sample-weighted mean for a decayed fit; a model updated incrementally (online, mini-batch,
hybrid after its refit) has learned every sample from its first one (0, or the start of the
hybrid's refit window) to its newest, each once and weighted equally. A learner that forgets
by design and says how much it keeps (:func:`memory_length`: ``river.knn``'s window) counts
only the samples it keeps. Other learners are not modelled as forgetting, though some do
(``river.hoeffding_adaptive_tree`` and ``river.adaptive_random_forest`` replace subtrees or
trees after their own drift alarms, SGD-based linear models weight recent samples more): for
them the figure is the age of everything they were fed.

References: Gama et al. (2014), A survey on concept drift adaptation, ACM CSUR 46(4) -- the
taxonomy of blind (periodic, sliding window, decay) and informed (detector-triggered) adaptation;
Widmer & Kubat (1996) for windowing; Klinkenberg (2004) for decayed sample weights.
"""

from __future__ import annotations

import math
import time
from collections import deque

import numpy as np

from lab.spec.checks import Field, check_param
from lab.spec.errors import ConfigError, shorten
from lab.spec.experiment import DETECTORS, MAX_SAMPLES, EvaluationSpec, PolicySpec
from lab.learners import Learner

# Training is counted in process CPU seconds (see the module docstring). process_time is a
# system call (1.07 µs measured here); perf_counter a vDSO call (0.10 µs), cheap enough to time
# every learn_one of the river online loop, whose stretch CPU time it apportions.
_cpu = time.process_time
_tick = time.perf_counter

# ``predicted`` for a sample the model returned no label for (river's ``predict_one`` gives None
# before it has learned a class). Labels are ``0 .. n_classes - 1`` (at most 50), so it never
# collides with one; the metrics count it as a wrong prediction of a class of its own, as river's
# metrics do when fed ``None``.
NO_PREDICTION = -1


def label_dtype(y: np.ndarray) -> np.dtype:
    """The smallest integer type holding every label of ``y`` and :data:`NO_PREDICTION`: int8
    for the lab's labels (``0 .. 49``), so ``predicted`` costs no more memory than ``correct``."""
    if y.size == 0 or (y.min() >= 0 and y.max() < np.iinfo(np.int8).max):
        return np.dtype(np.int8)
    return np.dtype(np.int64)


def labels_array(predictions, dtype: np.dtype) -> np.ndarray:
    """``predictions`` (a list or object array of labels, maybe with None) as an integer array,
    None becoming :data:`NO_PREDICTION`. The common case, no None, is one numpy conversion."""
    try:
        return np.asarray(predictions, dtype=dtype)
    except (TypeError, ValueError, OverflowError):
        return np.fromiter((NO_PREDICTION if p is None else p for p in predictions),
                           dtype=np.int64, count=len(predictions)).astype(dtype)


def memory_length(learner: Learner) -> int | None:
    """How many of the newest samples it learned a learner keeps, for one that forgets by design
    and says how much: ``river.knn`` searches a sliding window (its SWINN engine's ``maxlen``,
    1,000: ``engine`` cannot be configured), ``baseline.no_change`` remembers the last label
    only. ``None`` for every other learner, and for a stand-in without registry information
    (tests script learners): all it learned is counted (module docstring)."""
    name = getattr(getattr(learner, "info", None), "name", None)
    if name == "river.knn":
        return int(learner.new().engine.maxlen)
    if name == "baseline.no_change":
        return 1
    return None


def mean_index(lo: int, hi: int, weights: np.ndarray | None = None,
               memory: int | None = None) -> float:
    """Mean index of training rows ``[lo, hi)``, weighted by ``weights`` (one per row) when given,
    keeping only the last ``memory`` rows when given; NaN for no rows.

    >>> mean_index(100, 200), mean_index(100, 200, memory=10)
    (149.5, 194.5)
    >>> mean_index(0, 3, np.array([0.25, 0.5, 1.0]))
    1.4285714285714286
    """
    if memory is not None and hi - lo > memory:
        if weights is not None:
            weights = weights[hi - memory - lo:]
        lo = hi - memory
    if hi <= lo:
        return math.nan
    if weights is None:
        return (lo + hi - 1) / 2
    weights = np.asarray(weights, dtype=np.float64)
    return float(np.dot(weights, np.arange(lo, hi, dtype=np.float64)) / weights.sum())


def detector_factory(name: str):
    """The river drift detector class for a config name."""
    from river import drift

    return {
        "adwin": drift.ADWIN,
        "page_hinkley": drift.PageHinkley,
        "kswin": drift.KSWIN,
        "ddm": drift.binary.DDM,
        "eddm": drift.binary.EDDM,
        "hddm_a": drift.binary.HDDMA,
        "hddm_w": drift.binary.HDDMW,
    }[name]


def detector_param_names(name: str) -> tuple[str, ...]:
    """Constructor parameters a config may set (not ``seed``: the experiment's seed is used)."""
    import inspect

    if name not in DETECTORS:
        return ()
    return tuple(p for p in inspect.signature(detector_factory(name)).parameters
                 if p not in ("seed", "window"))


# Limits of every detector parameter. river's detectors check little (Page-Hinkley takes any
# alpha), and some sizes cost per update: KSWIN compares two samples drawn from its window at
# every label, and ADWIN keeps max_buckets + 1 entries in each of its rows.
MAX_KSWIN_WINDOW = 10_000
MAX_ADWIN_BUCKETS = 100


def _prob(doc, default):
    return Field("number", default, doc, 0.0, 1.0, exclusive_minimum=True,
                 fix="use a number above 0 and below 1")


def _samples(doc, default, lo=1, hi=MAX_SAMPLES):
    return Field("int", default, doc, lo, hi, fix=f"use a whole number from {lo:,} to {hi:,}")


DETECTOR_PARAM_RULES: dict[str, dict[str, Field]] = {
    "adwin": {"delta": _prob("confidence of a cut", 0.002),
              "clock": _samples("updates between two checks for a cut", 32),
              "max_buckets": _samples("buckets per row", 5, hi=MAX_ADWIN_BUCKETS),
              "min_window_length": _samples("fewest samples in a sub-window", 5),
              "grace_period": _samples("updates before the first check", 10)},
    "page_hinkley": {"min_instances": _samples("updates before the first alarm", 30),
                     "delta": Field("number", 0.005, "tolerated change", 0.0, 1e6,
                                    fix="use 0 or a small positive number, e.g. 0.005"),
                     "threshold": Field("number", 50.0, "alarm threshold", 0.0, 1e12,
                                        exclusive_minimum=True, fix="use a positive number, "
                                                                    "e.g. 50"),
                     "alpha": Field("number", 0.9999, "forgetting factor", 0.0, 1.0,
                                    exclusive_minimum=True, fix="use a number above 0 and up "
                                                                "to 1, e.g. 0.9999"),
                     # The default is what the triggered policy builds (TriggeredPolicy.
                     # _new_detector), not river's "both": see react_to.
                     "mode": Field("string", "up", "direction of change to detect: 'up' (a "
                                   "rising error rate), 'down' or 'both'. Left out, 'up' under "
                                   "react_to 'degradation' (the default; Page's one-sided test) "
                                   "and river's 'both' under react_to 'any'",
                                   enum=("up", "down", "both"))},
    "kswin": {"alpha": _prob("significance of the Kolmogorov-Smirnov test", 0.005),
              "window_size": _samples("samples kept (the newest stat_size are tested against a "
                                      "sample of the others)", 100, lo=2, hi=MAX_KSWIN_WINDOW),
              "stat_size": _samples("samples of each test, fewer than window_size", 30,
                                    hi=MAX_KSWIN_WINDOW - 1)},
    "ddm": {"warm_start": _samples("samples before the first alarm", 30),
            "warning_threshold": Field("number", 2.0, "warning level, standard deviations", 0.0,
                                       100.0, exclusive_minimum=True,
                                       fix="use a positive number, e.g. 2"),
            "drift_threshold": Field("number", 3.0, "drift level, standard deviations", 0.0,
                                     100.0, exclusive_minimum=True,
                                     fix="use a positive number, e.g. 3")},
    "eddm": {"warm_start": _samples("errors before the first alarm", 30),
             "alpha": _prob("warning level (>= beta)", 0.95),
             "beta": _prob("drift level (<= alpha)", 0.9)},
    "hddm_a": {"drift_confidence": _prob("confidence of a drift", 0.001),
               "warning_confidence": _prob("confidence of a warning", 0.005),
               "two_sided_test": Field("boolean", False, "detect decreases in error too")},
    "hddm_w": {"drift_confidence": _prob("confidence of a drift", 0.001),
               "warning_confidence": _prob("confidence of a warning", 0.005),
               "lambda_val": _prob("weight of the newest sample in the moving average", 0.05),
               "two_sided_test": Field("boolean", False, "detect decreases in error too")},
}


# What each detector is, for the schema ($defs.detector_params); every parameter left out takes
# the default of DETECTOR_PARAM_RULES, which is river's except Page-Hinkley's mode.
DETECTOR_DOCS = {
    "adwin": "ADWIN (Bifet & Gavaldà 2007): cuts its adaptive window when two sub-windows' means "
             "differ; two-sided, so under react_to 'degradation' an alarm retrains only when the "
             "error rate after the cut is higher than before",
    "page_hinkley": "Page-Hinkley test on the error rate (Page 1954); one-sided ('up') unless "
                    "mode or react_to says otherwise",
    "kswin": "KSWIN (Raab et al. 2020): a Kolmogorov-Smirnov test of the newest stat_size errors "
             "against a random sample of the older ones, drawn with the experiment's seed; "
             "two-sided, so under react_to 'degradation' an alarm retrains only when the newer "
             "errors are more frequent. On a 0/1 error stream river's defaults (window_size 100, "
             "stat_size 30, alpha 0.005) see only large changes: a rise from 5 % to 40 % errors "
             "retrained on none of 3 seeds, window_size 300 with stat_size 100 within 80 "
             "samples on each",
    "ddm": "DDM (Gama et al. 2004): error rate plus its standard deviation against their "
           "minimum; fires on a rising error only. Its warning level is not used",
    "eddm": "EDDM (Baena-García et al. 2006): the distance between errors shrinking; fires on a "
            "rising error only. Its warning level is not used",
    "hddm_a": "HDDM-A (Frías-Blanco et al. 2015): Hoeffding bound on averages; one-sided unless "
              "two_sided_test",
    "hddm_w": "HDDM-W (Frías-Blanco et al. 2015): Hoeffding bound on a weighted moving average; "
              "one-sided unless two_sided_test",
}


def check_detector_params(name: str, params: dict, path: str) -> dict:
    """Check ``params`` of detector ``name`` against :data:`DETECTOR_PARAM_RULES`, then build
    the detector once (river's constructor checks e.g. KSWIN's stat_size < window_size).
    Returns the cleaned parameters; raises :class:`lab.spec.errors.ConfigError` naming ``path``."""
    rules = DETECTOR_PARAM_RULES[name]
    clean = {key: check_param(rules[key], value, f"{path}.{key}")
             for key, value in params.items()}
    if clean:
        try:
            detector_factory(name)(**clean)
        except (TypeError, ValueError, OverflowError) as exc:
            raise ConfigError(path, f"{name} rejects these parameters "
                                    f"({shorten(str(exc), 160)})",
                              "check the values against the detector's documentation"
                              ) from None
    return clean


class Policy:
    """Shared state and bookkeeping of one contender's run."""

    def __init__(self, spec: PolicySpec, learner: Learner, stream, evaluation: EvaluationSpec,
                 seed: int):
        n = len(stream)
        self.spec, self.learner, self.stream, self.seed = spec, learner, stream, seed
        self.warmup = evaluation.warmup
        self.delay = evaluation.label_delay
        self.latency = spec.retrain_latency
        self.correct = np.zeros(n, dtype=np.int8)
        self.labels_dtype = label_dtype(stream.y)
        self.predicted = np.full(n, NO_PREDICTION, dtype=self.labels_dtype)
        self.newest = np.full(n, -1, dtype=np.int64)
        self.train_samples = 0
        self.train_cpu_s = 0.0
        self.retrains = 0
        self.events: list[tuple[int, str, str]] = []
        self.memory = memory_length(learner)

    # Subclasses implement these three.
    def warm_up(self) -> None:
        raise NotImplementedError

    def run(self, lo: int, hi: int) -> None:
        """Score samples ``[lo, hi)`` and process the labels that arrive meanwhile."""
        raise NotImplementedError

    def trained_mean_index(self, samples: np.ndarray) -> np.ndarray:
        """Per sample index of ``samples`` (all already scored), the mean index of the samples
        the model that predicted it was trained on (float64; see the module docstring)."""
        raise NotImplementedError

    # Helpers
    def _fit(self, lo: int, hi: int, weights=None):
        """A from-scratch fit on ``[lo, hi)``, with its cost counted."""
        start = _cpu()
        model = self.learner.fit(self.stream, lo, hi, weights)
        self.train_cpu_s += _cpu() - start
        self.train_samples += hi - lo
        return model

    def _labelled_end(self, step: int) -> int:
        """Exclusive end of the labelled samples after the label arrival at ``step``."""
        return max(0, step - self.delay + 1)


# --------------------------------------------------------------------------------------------
# Policies with a model that is constant between change points
# --------------------------------------------------------------------------------------------
class BatchPolicy(Policy):
    """Frozen / periodic / triggered / minibatch: chunked scoring between change points."""

    def __init__(self, *args):
        super().__init__(*args)
        self.model = None
        self.model_newest = -1
        self.deployed_at = 0
        # (deploy_at, apply(), newest, mean index of its training data, detail), in deploy order
        self.pending: deque = deque()
        self._cache = (0, 0, None)  # (start, end, predicted labels) of the deployed model
        # (first sample served, mean index of its training data) per deployed model, in order;
        # appended as one tuple so that a reader in another thread never sees half an entry
        self.served_means: list[tuple[int, float]] = []

    def warm_up(self) -> None:
        self.model = self._fit(0, self.warmup)
        self._warmed_up()

    def _warmed_up(self) -> None:
        self.model_newest = self.warmup - 1
        self.deployed_at = self.warmup
        self.served_means.append((0, mean_index(0, self.warmup, memory=self.memory)))

    def trained_mean_index(self, samples: np.ndarray) -> np.ndarray:
        served = np.array(list(self.served_means), dtype=np.float64).reshape(-1, 2)
        which = np.searchsorted(served[:, 0], samples, side="right") - 1
        return served[which, 1]

    def run(self, lo: int, hi: int) -> None:
        i = lo
        while i < hi:
            while self.pending and self.pending[0][0] <= i:
                self._deploy(*self.pending.popleft())
            end = hi if not self.pending else min(hi, self.pending[0][0])
            end = min(end, self._next_action_end(i, end))
            self._score(i, end)
            i = self._after_labels(i, end)

    def _deploy(self, at: int, apply, newest: int, mean: float, detail: str) -> None:
        apply()
        self.model_newest = newest
        self.deployed_at = at
        self.served_means.append((at, mean))
        self._cache = (0, 0, None)
        if detail:
            self.events.append((at, "deploy", detail))

    def _score(self, lo: int, hi: int) -> None:
        start, end, cached = self._cache
        if not (start <= lo and hi <= end):
            horizon = hi
            ahead = self.learner.prediction_chunk
            if ahead:
                horizon = min(len(self.stream), max(hi, lo + ahead), max(hi, self._horizon(lo)))
                if self.pending:
                    horizon = min(horizon, max(hi, self.pending[0][0]))
            cached = labels_array(self.learner.predict(self.model, self.stream, lo, horizon),
                                  self.labels_dtype)
            start, end = lo, horizon
            self._cache = (start, end, cached)
        predicted = cached[lo - start:hi - start]
        self.predicted[lo:hi] = predicted
        self.correct[lo:hi] = predicted == self.stream.y[lo:hi]
        self.newest[lo:hi] = self.model_newest

    def _next_action_end(self, i: int, end: int) -> int:
        """End of the chunk starting at ``i``: one past the next step that acts (or ``end``)."""
        return end

    def _horizon(self, i: int) -> int:
        """Earliest sample from ``i`` on that a model change known in advance could reach;
        scoring further ahead would be wasted work."""
        return self._next_action_end(i, len(self.stream)) + self.latency

    def _after_labels(self, lo: int, hi: int) -> int:
        """Process label arrivals of steps ``[lo, hi)``; return where scoring resumes."""
        return hi

    def _start_retrain(self, step: int, lo: int, hi: int, weights=None, why: str = "") -> None:
        model = self._fit(lo, hi, weights)
        self.retrains += 1
        deploy_at = step + 1 + self.latency
        self.events.append((step + 1, "retrain_start",
                            f"{why}fit on samples {lo}..{hi - 1} ({hi - lo} rows)"))

        def swap(model=model):
            self.model = model

        self.pending.append((deploy_at, swap, hi - 1, mean_index(lo, hi, weights, self.memory),
                             f"model trained on samples {lo}..{hi - 1} deployed"))


class FrozenPolicy(BatchPolicy):
    """Train once on the warm-up samples and never again: the baseline every drift hurts."""


class PeriodicPolicy(BatchPolicy):
    """Retrain from scratch every ``every`` scored samples, whatever the data does.

    ``data``: ``all`` (full history), ``window`` (the last ``window`` labelled samples, Widmer &
    Kubat 1996) or ``decay`` (full history with weight ``0.5 ** (age / half_life)``, Klinkenberg
    2004; rows older than 30 half-lives, weight < 1e-9, are dropped to bound the cost).
    """

    def _is_retrain_step(self, r: int) -> bool:
        return (r + 1 - self.warmup) % self.spec.every == 0

    def _next_action_end(self, i: int, end: int) -> int:
        every = self.spec.every
        offset = (i + 1 - self.warmup) % every
        r = i + (every - offset) % every  # first retrain step >= i
        return min(end, r + 1)

    def _after_labels(self, lo: int, hi: int) -> int:
        r = hi - 1
        if self._is_retrain_step(r):
            stop = self._labelled_end(r)
            data = self.spec.data
            weights = None
            if data == "all":
                start = 0
            elif data == "window":
                start = max(0, stop - self.spec.window)
            else:
                start = max(0, stop - int(30 * self.spec.half_life))
                age = (stop - 1) - np.arange(start, stop)
                weights = 0.5 ** (age / self.spec.half_life)
            if stop > start:
                self._start_retrain(r, start, stop, weights, why="scheduled: ")
        return hi


class TriggeredPolicy(BatchPolicy):
    """Retrain on the last ``window`` labelled samples when a drift detector fires.

    The detector (river's ADWIN, Page-Hinkley, KSWIN, DDM, EDDM, HDDM-A or HDDM-W) reads the
    deployed model's 0/1 error stream as labels arrive; a fresh detector starts with each
    deployed model. Alarms closer than ``min_gap`` to the last retrain, or while a retrain is
    pending, are logged but do not retrain.

    Why a follow-up retrain: a detector fires a few dozen to a few hundred samples after a
    drift, so the window at the alarm is mostly old-concept data. Measured on the ``sudden``
    preset, the alarm-time model alone stayed at 62 % accuracy (the new model's error is steady,
    so a fresh detector never fires again). With ``follow_up`` (default) the policy retrains once
    more when ``window`` labels have arrived since the alarm, on post-alarm data only -- what a
    practitioner does after an alert. Gama et al. (2004) DDM; Bifet & Gavaldà (2007) ADWIN.

    Direction (``react_to``). MOA's change-detector classifiers retrain only when the error rate
    *rises*; a model that gets better needs no retrain. With ``react_to: "degradation"`` (the
    default) the policy does the same; ``"any"`` retrains on every alarm. Per detector, as
    river 0.26 implements them:

    * ``ddm``, ``eddm``: one-sided by design (DDM tests ``p + s`` against its minimum, EDDM the
      shrinking distance between errors): they fire on a rising error only.
    * ``hddm_a``, ``hddm_w``: one-sided unless ``two_sided_test`` is set (river's default False).
    * ``page_hinkley``: river's default ``mode`` is ``"both"``; under ``"degradation"`` the
      policy builds it with ``mode="up"`` (Page's original one-sided test on the error) unless
      ``detector_params`` sets a mode.
    * ``adwin``, ``kswin``: always two-sided (ADWIN cuts its window when the two sub-windows'
      means differ; KSWIN runs a two-sample Kolmogorov-Smirnov test), so the policy checks the
      direction after each alarm: see :meth:`_error_rose`.

    An alarm for a fall in the error is still logged as a ``drift_alarm`` event, with the detail
    "ignored: the error rate fell ... (an improvement, not retrained)". Warning levels
    (DDM/EDDM/HDDM) are not used: the window retrained on is the last ``window`` labels, not
    the samples since the warning as in Gama et al. (2004).
    """

    def __init__(self, *args):
        super().__init__(*args)
        self.detector = self._new_detector()
        self.last_start = -(10**18)
        self.follow_up_at: int | None = None  # step of the scheduled follow-up retrain

    def _new_detector(self):
        """A fresh detector; its memory starts with the next label fed (``_memory_start``)."""
        cls = detector_factory(self.spec.detector)
        params = dict(self.spec.detector_params)
        if self.spec.detector == "kswin":
            params.setdefault("seed", self.seed)
        if self.spec.detector == "page_hinkley" and self.spec.react_to == "degradation":
            params.setdefault("mode", "up")
        self._memory_start: int | None = None  # first sample whose error the detector holds
        detector = cls(**params)
        self._check_direction = self.spec.react_to == "degradation" and (
            self.spec.detector in ("adwin", "kswin")
            or (self.spec.detector == "page_hinkley" and detector.mode != "up")
            or (self.spec.detector in ("hddm_a", "hddm_w") and detector.two_sided_test))
        return detector

    def _deploy(self, *args) -> None:
        super()._deploy(*args)
        self.detector = self._new_detector()

    def _error_rose(self, j: int) -> tuple[bool, float, float]:
        """Whether the alarm raised after feeding the error of sample ``j`` is a rise in the
        error rate: ``(rose, rate_before, rate_after)``, from the lab's own ``correct`` array,
        which holds exactly the 0/1 errors fed to the detector since ``_memory_start``.

        * ADWIN keeps, after a cut, its newest sub-window (``width`` samples): "after" is that
          sub-window's error rate, "before" the rate of the samples it dropped.
        * KSWIN compares its newest ``stat_size`` errors with a sample of the ``window_size -
          stat_size`` before them: "after" and "before" are those two parts' rates.
        * A Page-Hinkley or HDDM the user made two-sided: the newest half of the errors the
          detector holds against the older half.

        Equal rates count as no rise (an alarm that cannot be told apart is not a degradation).
        """
        start = self._memory_start if self._memory_start is not None else j
        name, detector = self.spec.detector, self.detector
        if name == "adwin":
            split = j + 1 - int(detector.width)
        elif name == "kswin":
            split = j + 1 - detector.stat_size
            start = max(start, j + 1 - detector.window_size)
        else:
            split = start + (j + 1 - start) // 2
        split = min(max(split, start), j)
        errors = 1 - self.correct[start:j + 1].astype(np.float64)
        before = float(errors[:split - start].mean()) if split > start else 0.0
        after = float(errors[split - start:].mean())
        return after > before, before, after

    def _next_action_end(self, i: int, end: int) -> int:
        if self.follow_up_at is not None and i <= self.follow_up_at < end:
            return self.follow_up_at + 1
        return end

    def _retrain_now(self, r: int, why: str) -> None:
        stop = self._labelled_end(r)
        self.last_start = r
        self._start_retrain(r, max(0, stop - self.spec.window), stop, why=why)

    def _after_labels(self, lo: int, hi: int) -> int:
        correct, detector = self.correct, self.detector
        first = max(lo, self.deployed_at + self.delay, self.warmup + self.delay)
        for r in range(first, hi):
            j = r - self.delay
            if self._memory_start is None:
                self._memory_start = j
            detector.update(correct[j] == 0)
            if detector.drift_detected:
                if self._check_direction:
                    rose, before, after = self._error_rose(j)
                else:
                    rose = True
                # every river detector resets itself on the update after an alarm
                self._memory_start = j + 1
                if not rose:
                    self.events.append((r + 1, "drift_alarm", (
                        f"{self.spec.detector} (ignored: the error rate fell from "
                        f"{before:.1%} to {after:.1%}: an improvement, not retrained)")))
                    continue
                blocked = bool(self.pending) or r - self.last_start < self.spec.min_gap
                self.events.append((r + 1, "drift_alarm", self.spec.detector +
                                    (" (ignored: retrain pending or within min_gap)"
                                     if blocked else "")))
                if not blocked:
                    self._retrain_now(r, f"{self.spec.detector} alarm: ")
                    self.follow_up_at = r + self.spec.window if self.spec.follow_up else None
                    return r + 1
        if self.follow_up_at is not None and self.follow_up_at == hi - 1:
            self.follow_up_at = None
            self._retrain_now(hi - 1, "follow-up on post-alarm data: ")
        return hi


class MinibatchPolicy(BatchPolicy):
    """Update the model incrementally with every ``size`` labels (river ``learn_many`` or
    ``partial_fit``); in between, the model is constant and scored in chunks."""

    def warm_up(self) -> None:
        self.model = self.learner.new()
        size = self.spec.size
        start = _cpu()
        for lo in range(0, self.warmup, size):
            self.learner.learn_batch(self.model, self.stream, lo, min(lo + size, self.warmup))
        self.train_cpu_s += _cpu() - start
        self.train_samples += self.warmup
        self._warmed_up()

    def _first_update_step(self, i: int) -> int:
        # labels of samples >= warmup arrive at steps >= warmup + delay; the k-th completes a batch
        base = self.warmup + self.delay - 1
        size = self.spec.size
        r = max(i, base + size)
        return r + (-(r - base)) % size

    def _next_action_end(self, i: int, end: int) -> int:
        return min(end, self._first_update_step(i) + 1)

    def _after_labels(self, lo: int, hi: int) -> int:
        r = hi - 1
        if self._first_update_step(r) == r:
            stop = self._labelled_end(r)
            start = stop - self.spec.size

            def update(start=start, stop=stop):
                begin = _cpu()
                self.learner.learn_batch(self.model, self.stream, start, stop)
                self.train_cpu_s += _cpu() - begin
                self.train_samples += stop - start

            # the model has learned every sample from 0 to stop - 1, once each
            self.pending.append((r + 1 + self.latency, update, stop - 1,
                                 mean_index(0, stop, memory=self.memory), ""))
        return hi


# --------------------------------------------------------------------------------------------
# Policies that learn after every label
# --------------------------------------------------------------------------------------------
class OnlinePolicy(Policy):
    """Learn every label as it arrives: test-then-train, as river's progressive validation.

    With ``label_delay`` d and ``retrain_latency`` L, the update with sample ``j`` takes effect
    before sample ``j + d + L + 1`` is predicted (an update's latency delays it like a label).
    """

    lag_includes_latency = True

    def __init__(self, *args):
        super().__init__(*args)
        self.lag = self.delay + (self.latency if self.lag_includes_latency else 0)
        self.model = None
        # (first sample served, first sample learned) per model: the deployed model has learned
        # every sample from its first to its newest (``newest``), once each
        self.served_firsts: list[tuple[int, int]] = [(0, 0)]

    def warm_up(self) -> None:
        self.model = self.learner.new()
        start = _cpu()
        self.learner.learn(self.model, self.stream, 0, self.warmup)
        self.train_cpu_s += _cpu() - start
        self.train_samples += self.warmup

    def trained_mean_index(self, samples: np.ndarray) -> np.ndarray:
        served = np.array(list(self.served_firsts), dtype=np.int64).reshape(-1, 2)
        first = served[np.searchsorted(served[:, 0], samples, side="right") - 1, 1]
        newest = self.newest[samples]
        if self.memory is not None:
            first = np.maximum(first, newest - self.memory + 1)
        return (first + newest) / 2

    def _boundaries(self, lo: int, hi: int) -> list[int]:
        """Indices in ``(lo, hi)`` before which the subclass acts (hybrid refits)."""
        return []

    def _act(self, boundary: int) -> None:
        pass

    def run(self, lo: int, hi: int) -> None:
        start = lo
        for b in self._boundaries(lo, hi) + [hi]:
            if b > start:
                self._run_segment(start, b)
            if b < hi:
                self._act(b)
            start = max(start, b)
        # After a hybrid refit's catch-up the model is as fresh as the online one, so one
        # formula holds for both: sample i is predicted by a model that learned up to i-1-lag.
        self.newest[lo:hi] = np.maximum(np.arange(lo, hi) - 1 - self.lag, self.warmup - 1)

    def _run_segment(self, lo: int, hi: int) -> None:
        learn_lo = max(lo - self.lag, self.warmup)
        learn_hi = max(hi - self.lag, self.warmup)
        if self.learner.is_river:
            self._river_loop(lo, hi, learn_lo, learn_hi)
        else:
            self._sklearn_loop(lo, hi, learn_lo, learn_hi)
        self.train_samples += learn_hi - learn_lo

    def _river_loop(self, lo: int, hi: int, learn_lo: int, learn_hi: int) -> None:
        """Predict, then learn, sample by sample; ``train_cpu_s`` gets this stretch's process CPU
        time times the share of its wall time spent in ``learn_one`` (module docstring)."""
        model, ys, lag, warmup = self.model, self.stream.y_list, self.lag, self.warmup
        predict, learn = model.predict_one, model.learn_one
        xs = self.stream.dicts(lo, hi)
        past = self.stream.dicts_uncached(learn_lo, learn_hi) if lag else None
        out = []
        spent = 0.0
        cpu_start, wall_start = _cpu(), _tick()
        if lag == 0:
            # The hot loop of the lab: keep it as bare as river's own progressive_val_score.
            # It keeps the predictions, not ``prediction == y``: one numpy comparison afterwards
            # gives ``correct`` for the whole segment.
            for i, x in enumerate(xs, lo):
                y = ys[i]
                out.append(predict(x))
                t0 = _tick()
                learn(x, y)
                spent += _tick() - t0
        else:
            for i, x in enumerate(xs, lo):
                out.append(predict(x))
                j = i - lag
                if j >= warmup:
                    t0 = _tick()
                    learn(past[j - learn_lo], ys[j])
                    spent += _tick() - t0
        wall, cpu = _tick() - wall_start, _cpu() - cpu_start
        if wall > 0:
            self.train_cpu_s += cpu * min(1.0, spent / wall)
        self._store(lo, hi, out)

    def _sklearn_loop(self, lo: int, hi: int, learn_lo: int, learn_hi: int) -> None:
        """scikit-learn's ``partial_fit`` on one row costs 100 µs or more, so each is timed in
        process CPU seconds directly (two ``process_time`` calls: ~2 % of it)."""
        learner, stream, lag, warmup = self.learner, self.stream, self.lag, self.warmup
        spent = 0.0
        out = []
        for i in range(lo, hi):
            out.append(learner.predict(self.model, stream, i, i + 1)[0])
            j = i - lag
            if j >= warmup:
                t0 = _cpu()
                learner.learn(self.model, stream, j, j + 1)
                spent += _cpu() - t0
        self._store(lo, hi, out)
        self.train_cpu_s += spent

    def _store(self, lo: int, hi: int, predictions: list) -> None:
        """Record the predictions of samples ``[lo, hi)`` and whether each was right."""
        predicted = labels_array(predictions, self.labels_dtype)
        self.predicted[lo:hi] = predicted
        self.correct[lo:hi] = predicted == self.stream.y[lo:hi]


class HybridPolicy(OnlinePolicy):
    """Online updates all day plus a from-scratch refit on the last ``window`` samples every
    ``every`` samples (the "nightly retrain"). ``retrain_latency`` delays only the refit; when
    the refit model is deployed it first catches up, online, on the labels that arrived while it
    was being trained."""

    lag_includes_latency = False

    def __init__(self, *args):
        super().__init__(*args)
        # (deploy_at, model, end of its refit window, start of its refit window)
        self.pending: deque = deque()
        self.deploys: list[tuple[int, int]] = []  # (deploy_at, newest after catch-up)

    def _is_refit_boundary(self, b: int) -> bool:
        return b > self.warmup and (b - self.warmup) % self.spec.every == 0

    def _boundaries(self, lo: int, hi: int) -> list[int]:
        every = self.spec.every
        first = lo + (-(lo - self.warmup)) % every
        refits = [b for b in range(first, hi, every) if self._is_refit_boundary(b)]
        deploys = {d for d, *_ in self.pending} | {b + self.latency for b in refits}
        return sorted(set(refits) | {d for d in deploys if lo <= d < hi})

    def _act(self, boundary: int) -> None:
        r = boundary - 1
        if self._is_refit_boundary(boundary):
            stop = self._labelled_end(r)
            start = max(0, stop - self.spec.window)
            model = self._fit(start, stop)
            self.retrains += 1
            self.events.append((boundary, "retrain_start",
                                f"scheduled refit on samples {start}..{stop - 1} ({stop - start} "
                                "rows)"))
            self.pending.append((boundary + self.latency, model, stop, start))
        while self.pending and self.pending[0][0] <= boundary:
            deploy_at, model, stop, first = self.pending.popleft()
            # catch up on labels that arrived while the refit was being trained
            catch_up_end = max(stop, self._labelled_end(deploy_at - 1))
            begin = _cpu()
            self.learner.learn(model, self.stream, stop, catch_up_end)
            self.train_cpu_s += _cpu() - begin
            self.train_samples += catch_up_end - stop
            self.model = model
            # from here on it serves, having learned [first, catch_up_end) and then every label
            self.served_firsts.append((boundary, first))
            self.events.append((deploy_at, "deploy",
                                f"refit model deployed (caught up to sample {catch_up_end - 1})"))


POLICIES = {
    "frozen": FrozenPolicy,
    "periodic": PeriodicPolicy,
    "triggered": TriggeredPolicy,
    "online": OnlinePolicy,
    "minibatch": MinibatchPolicy,
    "hybrid": HybridPolicy,
}


def make_policy(spec: PolicySpec, learner: Learner, stream, evaluation: EvaluationSpec,
                seed: int) -> Policy:
    return POLICIES[spec.kind](spec, learner, stream, evaluation, seed)
