"""Update policies: when a contender's model learns, from which data, and when the result serves.

Every policy runs the same prequential protocol (``docs/metrics.md``): at scored sample ``i`` the
*deployed* model predicts ``x_i``; then the label of sample ``i - label_delay`` arrives and the
policy may react (learn it, feed a drift detector, start a retrain). A retrain started after the
label at step ``r`` trains on the labelled samples ``[.., r - label_delay]`` and its model serves
from sample ``r + 1 + retrain_latency`` on; the old model serves meanwhile.

Two families, for speed:

* :class:`BatchPolicy` (frozen, periodic, triggered, minibatch) keeps one model constant between
  known change points, so it scores whole numpy chunks at once -- scikit-learn's ~50 µs per
  ``predict`` call is paid once per chunk, not once per sample.
* :class:`OnlinePolicy` (online, hybrid) changes the model after every label, so it runs its
  learner's test-then-train loop (``Learner.prequential``: river's ``predict_one`` /
  ``learn_one``, as ``river.evaluate.progressive_val_score`` does, or scikit-learn's
  ``predict`` / ``partial_fit`` per row).

Model changes in flight (a retrained model, a mini-batch update, a hybrid's refit) wait in
``pending`` as :class:`PendingDeploy` entries, in deploy order, for every policy alike.

Each policy writes what it scores into the :class:`lab.policies.trace.Trace` it was given (the
engine creates one per contender; a policy run on its own makes its own): per sample,
``correct`` (1 if the deployed model was right), ``predicted`` (the label it predicted, coded as
``stream.y``; :data:`NO_PREDICTION` when the model gave none, e.g. a river model that has not
seen a label yet) and ``newest`` (the newest sample index the deployed model learned from:
staleness is ``i - newest``). The policy keeps the cost counters ``train_samples``,
``train_cpu_s`` and ``retrains``, which the engine records at every recording point.
``predicted`` is what the kappa family, balanced accuracy and macro F1 of :mod:`lab.race.metrics`
are computed from.

Training cost, in one unit for every policy:

* ``train_samples``: samples passed to training (a fit on 5,000 rows counts 5,000, an online
  update 1), warm-up included. Deterministic: it does not depend on the machine.
* ``train_cpu_s``: process CPU seconds (``time.process_time``: user + system time of every
  thread of the process) spent training, warm-up included. Fits, mini-batch updates, a hybrid's
  refits and catch-ups and the scikit-learn online loop are timed around each training call.
  river's per-sample ``learn_one`` (10-70 µs) is too short to time with ``process_time``
  (a system call, ~1 µs here: two per sample slowed a river logistic regression by 18 %), so
  the river online loop (``lab.learners.river_learner.RiverLearner.prequential``) reads the
  process CPU clock once per stretch it runs (at most one block of the engine) and charges
  training the share of the stretch's wall time spent inside ``learn_one`` (``perf_counter``,
  ~0.1 µs): ``cpu_stretch * learn_wall / wall_stretch``. The
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
from abc import ABC, abstractmethod
from collections import deque
from dataclasses import dataclass
from typing import Any

import numpy as np

# The clocks of training cost (module docstring) live with the learners, whose test-then-train
# loop times itself; NO_PREDICTION and the label coding with the trace. Both are re-exported
# here, where policies and their tests have always found them.
from lab.learners import Learner, cpu_clock, wall_clock
from lab.policies.label_plan import LabelPlan
from lab.policies.trace import NO_PREDICTION, Trace, label_dtype, labels_array
from lab.spec.experiment import EvaluationSpec, PolicySpec

__all__ = ["NO_PREDICTION", "BatchPolicy", "PendingDeploy", "Policy", "Trace", "cpu_clock",
           "label_dtype", "labels_array", "mean_index", "memory_length", "rows_mean_index",
           "wall_clock"]


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


def rows_mean_index(rows: np.ndarray, weights: np.ndarray | None = None,
                    memory: int | None = None) -> float:
    """:func:`mean_index` of the training samples ``rows`` (increasing indices): the weighted
    mean of the indices, of the last ``memory`` rows when given.

    >>> rows_mean_index(np.array([1, 5, 9])), rows_mean_index(np.array([1, 5, 9]), memory=2)
    (5.0, 7.0)
    """
    rows = np.asarray(rows, dtype=np.float64)
    if memory is not None and len(rows) > memory:
        rows = rows[-memory:]
        if weights is not None:
            weights = weights[-memory:]
    if not len(rows):
        return math.nan
    if weights is None:
        return float(rows.mean())
    weights = np.asarray(weights, dtype=np.float64)
    return float(np.dot(weights, rows) / weights.sum())


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


@dataclass(frozen=True)
class PendingDeploy:
    """A model change that serves from sample ``at`` on: a new model trained on samples
    ``[start, stop)`` (``model``), or, with ``model`` None, the deployed model's update with
    them (a mini-batch). Every policy with changes in flight queues them in this one shape, in
    deploy order (``Policy.pending``)."""

    at: int  # first sample the change serves
    start: int  # first sample of the training data
    stop: int  # end (exclusive) of the training data: the newest sample learned is stop - 1
    model: Any = None  # the new model; None: update the deployed one with [start, stop)
    mean: float = math.nan  # mean index of every sample the changed model has learned
    detail: str = ""  # text of the "deploy" event ("": none is logged)
    rows: Any = None  # the training samples when not all of [start, stop) (lab.policies.label_plan)


class WarmUpStopped(Exception):
    """A long warm-up gave up because the race was asked to stop (not a failure)."""


class Policy(ABC):
    """Shared state and bookkeeping of one contender's run."""

    # The race's prices (a lab.spec.costs.Costs), set by the engine before warm_up for a policy
    # that plans with them (the oracle); None outside a race: errors cost 1, nothing else costs.
    costs = None
    # Polled by a warm-up that can take seconds (the oracle fits and scores hundreds of
    # candidates): set by the engine when the race can be stopped; True means stop now, and
    # the warm-up raises WarmUpStopped. None: nobody can ask to stop.
    should_stop = None

    def _stop_asked(self) -> None:
        """Raise :class:`WarmUpStopped` when the race was asked to stop (see ``should_stop``)."""
        if self.should_stop is not None and self.should_stop():
            raise WarmUpStopped()

    def __init__(self, spec: PolicySpec, learner: Learner, stream, evaluation: EvaluationSpec,
                 seed: int, trace: Trace | None = None):
        self.spec, self.learner, self.stream, self.seed = spec, learner, stream, seed
        self.warmup = evaluation.warmup
        self.delay = evaluation.label_delay
        self.evaluation = evaluation
        self.latency = spec.retrain_latency
        # the record it writes: the engine's (one per contender), or its own when run alone
        self.trace = trace if trace is not None else Trace(stream.y)
        self.pending: deque[PendingDeploy] = deque()  # model changes in flight, in deploy order
        self.train_samples = 0
        self.train_cpu_s = 0.0
        self.retrains = 0
        self.events: list[tuple[int, str, str]] = []
        self.memory = memory_length(learner)

    # Subclasses implement these three.
    @abstractmethod
    def warm_up(self) -> None:
        raise NotImplementedError

    @abstractmethod
    def run(self, lo: int, hi: int) -> None:
        """Score samples ``[lo, hi)`` and process the labels that arrive meanwhile."""
        raise NotImplementedError

    @abstractmethod
    def trained_mean_index(self, samples: np.ndarray) -> np.ndarray:
        """Per sample index of ``samples`` (all already scored), the mean index of the samples
        the model that predicted it was trained on (float64; see the module docstring)."""
        raise NotImplementedError

    # Which labels it receives, and when (lab.policies.label_plan): the engine shares one plan
    # per race; a policy run alone draws its own, the same, from its evaluation and seed.
    _labels: LabelPlan | None = None

    @property
    def labels(self) -> LabelPlan:
        if self._labels is None:
            self._labels = LabelPlan.of(self.evaluation, len(self.stream), self.seed)
        return self._labels

    @labels.setter
    def labels(self, plan: LabelPlan) -> None:
        self._labels = plan

    def received_label_steps(self) -> np.ndarray | None:
        """Arrival steps (sorted) of the scored samples' labels this contender bought, for the
        ledger; None when every label is bought with the fixed delay (the ledger's formula)."""
        plan = self.labels
        if plan.simple:
            return None
        samples = np.flatnonzero(plan.bought[self.warmup:]) + self.warmup
        return np.sort(plan.arrival[samples])

    # Helpers
    def _fit(self, lo: int, hi: int, weights=None, rows: np.ndarray | None = None):
        """A from-scratch fit on ``[lo, hi)`` (or on the samples ``rows``, when labels are not
        all bought in order), with its cost counted."""
        start = cpu_clock()
        if rows is None:
            model = self.learner.fit(self.stream, lo, hi, weights)
        else:
            model = self.learner.fit_rows(self.stream, rows, weights)
        self.train_cpu_s += cpu_clock() - start
        self.train_samples += hi - lo if rows is None else len(rows)
        return model

    def _training_rows(self, step: int, data: str, window: int | None = None,
                       half_life: float | None = None, after: int | None = None):
        """What a fit after the label arrival at ``step`` trains on: ``(lo, hi, weights,
        rows)``, with ``rows`` None when the labels are ``[lo, hi)`` (the fast path) and the
        received samples' indices otherwise. ``data``: ``all``, ``window`` (the ``window``
        newest received samples) or ``decay`` (weights ``0.5 ** (age / half_life)`` by sample
        index, rows older than 30 half-lives dropped); ``after``: only labels that arrived
        after that step (a triggered follow-up). None when no row qualifies."""
        if self.labels.simple:
            stop = self._labelled_end(step)
            start = 0
            if after is not None:
                start = max(start, self._labelled_end(after))
            weights = None
            if data == "window":
                start = max(start, stop - window)
            elif data == "decay":
                start = max(start, stop - int(30 * half_life))
                age = (stop - 1) - np.arange(start, stop)
                weights = 0.5 ** (age / half_life)
            return (start, stop, weights, None) if stop > start else None
        plan = self.labels
        rows = plan.received(step)
        if after is not None:
            rows = rows[plan.arrival[rows] > after]
        weights = None
        if data == "window":
            rows = rows[-window:]
        elif data == "decay" and len(rows):
            newest = int(rows[-1])
            rows = rows[rows > newest - int(30 * half_life)]
            weights = 0.5 ** ((newest - rows) / half_life)
        if not len(rows):
            return None
        return int(rows[0]), int(rows[-1]) + 1, weights, rows

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
            while self.pending and self.pending[0].at <= i:
                self._deploy(self.pending.popleft())
            end = hi if not self.pending else min(hi, self.pending[0].at)
            end = min(end, self._next_action_end(i, end))
            self._score(i, end)
            i = self._after_labels(i, end)

    def _deploy(self, change: PendingDeploy) -> None:
        self._apply(change)
        self.model_newest = change.stop - 1
        self.deployed_at = change.at
        self.served_means.append((change.at, change.mean))
        self._cache = (0, 0, None)
        if change.detail:
            self.events.append((change.at, "deploy", change.detail))

    def _apply(self, change: PendingDeploy) -> None:
        """Make ``change`` the deployed model (a policy that queues updates handles those)."""
        self.model = change.model

    def _score(self, lo: int, hi: int) -> None:
        start, end, cached = self._cache
        if not (start <= lo and hi <= end):
            horizon = hi
            ahead = self.learner.prediction_chunk
            if ahead:
                horizon = min(len(self.stream), max(hi, lo + ahead), max(hi, self._horizon(lo)))
                if self.pending:
                    horizon = min(horizon, max(hi, self.pending[0].at))
            cached = self.trace.labels(self.learner.predict(self.model, self.stream, lo, horizon))
            start, end = lo, horizon
            self._cache = (start, end, cached)
        self.trace.record(lo, hi, cached[lo - start:hi - start], self.model_newest)

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

    def _start_retrain(self, step: int, lo: int, hi: int, weights=None, why: str = "",
                       rows: np.ndarray | None = None) -> None:
        if step + 1 >= len(self.stream):
            # after the last sample: its model could never score one, so it is neither trained
            # nor counted (a periodic schedule landing on the stream's end once paid a retrain
            # no sample used, and the race disagreed with the kind's declared work)
            return
        model = self._fit(lo, hi, weights, rows)
        self.retrains += 1
        deploy_at = step + 1 + self.latency
        count = hi - lo if rows is None else len(rows)
        received = "" if rows is None else " labelled"
        self.events.append((step + 1, "retrain_start",
                            f"{why}fit on samples {lo}..{hi - 1} ({count}{received} rows)"))
        mean = (mean_index(lo, hi, weights, self.memory) if rows is None
                else rows_mean_index(rows, weights, self.memory))
        self.pending.append(PendingDeploy(
            deploy_at, lo, hi, model, mean,
            f"model trained on samples {lo}..{hi - 1} deployed", rows))
