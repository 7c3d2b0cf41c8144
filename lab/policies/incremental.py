"""The policies that need an incremental learner: online (learn every label as it arrives),
minibatch (an update every ``size`` labels) and hybrid (online updates plus a from-scratch
refit every ``every`` samples).
"""

from __future__ import annotations

from collections import deque

import numpy as np

from lab.policies.base import BatchPolicy, Policy, cpu_clock, labels_array, mean_index, wall_clock
from lab.policies.kind import (
    EVERY,
    RETRAIN_LATENCY,
    WINDOW,
    PolicyKind,
    Work,
    retrain_rows,
    scheduled_retrains,
    settings_of,
)
from lab.spec.checks import Field

SIZE = ("size", Field("int", 100, "samples per mini-batch update", minimum=1,
                      fix="use a positive batch size, e.g. 100", label="Mini-batch size"))


def _online_work(settings: dict, n: int, warmup: int, n_drifts: int) -> Work:
    return Work(online=n)


def _minibatch_work(settings: dict, n: int, warmup: int, n_drifts: int) -> Work:
    return Work(minibatch=n)


def _hybrid_work(settings: dict, n: int, warmup: int, n_drifts: int) -> Work:
    every, window = settings["every"], settings["window"]
    refits = scheduled_retrains(n, warmup, every)
    return Work(fits=refits, fit_rows=retrain_rows(n, warmup, every, window),
                largest_fit=min(window, n) if refits else 0, online=n)


class MinibatchPolicy(BatchPolicy):
    """Update the model incrementally with every ``size`` labels (river ``learn_many`` or
    ``partial_fit``); in between, the model is constant and scored in chunks."""

    KIND = PolicyKind(
        name="minibatch", label="Mini-batch updates", position=50, incremental=True,
        doc="update the model with each batch of new labels (needs an incremental model)",
        fields=settings_of(SIZE, RETRAIN_LATENCY), work=_minibatch_work,
        editor_fields=lambda settings: ("size",))

    def warm_up(self) -> None:
        self.model = self.learner.new()
        size = self.spec.size
        start = cpu_clock()
        for lo in range(0, self.warmup, size):
            self.learner.learn_batch(self.model, self.stream, lo, min(lo + size, self.warmup))
        self.train_cpu_s += cpu_clock() - start
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
                begin = cpu_clock()
                self.learner.learn_batch(self.model, self.stream, start, stop)
                self.train_cpu_s += cpu_clock() - begin
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

    KIND = PolicyKind(
        name="online", label="Online (every sample)", position=40, incremental=True,
        doc="learn every labelled sample as it arrives (needs an incremental model)",
        fields=settings_of(RETRAIN_LATENCY), work=_online_work)

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
        start = cpu_clock()
        self.learner.learn(self.model, self.stream, 0, self.warmup)
        self.train_cpu_s += cpu_clock() - start
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
        cpu_start, wall_start = cpu_clock(), wall_clock()
        if lag == 0:
            # The hot loop of the lab: keep it as bare as river's own progressive_val_score.
            # It keeps the predictions, not ``prediction == y``: one numpy comparison afterwards
            # gives ``correct`` for the whole segment.
            for i, x in enumerate(xs, lo):
                y = ys[i]
                out.append(predict(x))
                t0 = wall_clock()
                learn(x, y)
                spent += wall_clock() - t0
        else:
            for i, x in enumerate(xs, lo):
                out.append(predict(x))
                j = i - lag
                if j >= warmup:
                    t0 = wall_clock()
                    learn(past[j - learn_lo], ys[j])
                    spent += wall_clock() - t0
        wall, cpu = wall_clock() - wall_start, cpu_clock() - cpu_start
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
                t0 = cpu_clock()
                learner.learn(self.model, stream, j, j + 1)
                spent += cpu_clock() - t0
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

    KIND = PolicyKind(
        name="hybrid", label="Hybrid (online + periodic refit)", position=60, incremental=True,
        doc="online updates plus a from-scratch refit on the most recent samples at a fixed "
            "interval (needs an incremental model)",
        fields=settings_of(EVERY, WINDOW, RETRAIN_LATENCY), work=_hybrid_work,
        editor_fields=lambda settings: ("every", "window"))

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
            begin = cpu_clock()
            self.learner.learn(model, self.stream, stop, catch_up_end)
            self.train_cpu_s += cpu_clock() - begin
            self.train_samples += catch_up_end - stop
            self.model = model
            # from here on it serves, having learned [first, catch_up_end) and then every label
            self.served_firsts.append((boundary, first))
            self.events.append((deploy_at, "deploy",
                                f"refit model deployed (caught up to sample {catch_up_end - 1})"))
