"""The policies that need an incremental learner: online (learn every label as it arrives),
minibatch (an update every ``size`` labels) and hybrid (online updates plus a from-scratch
refit every ``every`` samples).
"""

from __future__ import annotations

import numpy as np

from lab.policies.base import BatchPolicy, PendingDeploy, Policy, cpu_clock, mean_index
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
            # an update of the deployed model; then it has learned every sample from 0 to
            # stop - 1, once each
            self.pending.append(PendingDeploy(r + 1 + self.latency, stop - self.spec.size, stop,
                                              mean=mean_index(0, stop, memory=self.memory)))
        return hi

    def _apply(self, change: PendingDeploy) -> None:
        """Update the deployed model with the mini-batch ``[change.start, change.stop)``."""
        begin = cpu_clock()
        self.learner.learn_batch(self.model, self.stream, change.start, change.stop)
        self.train_cpu_s += cpu_clock() - begin
        self.train_samples += change.stop - change.start


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
        newest = self.trace.newest[samples]
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

    def _run_segment(self, lo: int, hi: int) -> None:
        """Test then train over ``[lo, hi)``, in the learner's own loop (river's
        ``predict_one``/``learn_one``, or scikit-learn's ``predict``/``partial_fit`` per row)."""
        lag, warmup = self.lag, self.warmup
        predictions, spent = self.learner.prequential(self.model, self.stream, lo, hi, lag, warmup)
        self.train_cpu_s += spent
        self.train_samples += max(hi - lag, warmup) - max(lo - lag, warmup)
        # After a hybrid refit's catch-up the model is as fresh as the online one, so one
        # formula holds for both: sample i is predicted by a model that learned up to i-1-lag.
        self.trace.record(lo, hi, predictions, np.maximum(np.arange(lo, hi) - 1 - lag, warmup - 1))


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
        self.deploys: list[tuple[int, int]] = []  # (deploy_at, newest after catch-up)

    def _is_refit_boundary(self, b: int) -> bool:
        return b > self.warmup and (b - self.warmup) % self.spec.every == 0

    def _boundaries(self, lo: int, hi: int) -> list[int]:
        every = self.spec.every
        first = lo + (-(lo - self.warmup)) % every
        refits = [b for b in range(first, hi, every) if self._is_refit_boundary(b)]
        deploys = {p.at for p in self.pending} | {b + self.latency for b in refits}
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
            self.pending.append(PendingDeploy(boundary + self.latency, start, stop, model))
        while self.pending and self.pending[0].at <= boundary:
            change = self.pending.popleft()
            deploy_at, model, stop, first = change.at, change.model, change.stop, change.start
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
