"""The policies that need an incremental learner: online (learn every label as it arrives),
minibatch (an update every ``size`` labels) and hybrid (online updates plus a from-scratch
refit every ``every`` samples).
"""

from __future__ import annotations

import numpy as np

from lab.learners import ActiveBudget
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
from lab.policies.label_plan import learned_means, newest_learned
from lab.policies.references import delayed_references, scheduled_references
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

    def _batches(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Labels not all bought in order: ``(update steps, samples, ends)``, the k-th update
        after the arrival of the ``size * (k + 1)``-th label learning the ``size`` labels before
        it (in arrival order); ``ends[k]`` is where its labels end in ``samples``."""
        if self._planned is None:
            steps, samples = self.labels.schedule()
            ends = np.arange(self.spec.size, len(samples) + 1, self.spec.size)
            self._planned = (steps[ends - 1], samples, ends)
        return self._planned

    _planned = None

    def _next_action_end(self, i: int, end: int) -> int:
        if not self.labels.simple:
            updates = self._batches()[0]
            at = np.searchsorted(updates, i, side="left")
            return min(end, int(updates[at]) + 1) if at < len(updates) else end
        return min(end, self._first_update_step(i) + 1)

    def _after_labels(self, lo: int, hi: int) -> int:
        r = hi - 1
        if not self.labels.simple:
            updates, samples, ends = self._batches()
            first, last = np.searchsorted(updates, [r, r + 1], side="left")
            for k in range(first, last):
                rows = samples[ends[k] - self.spec.size:ends[k]]
                newest = int(samples[:ends[k]].max())
                mean = float(learned_means(self.warmup, samples, ends[k:k + 1], self.memory)[0])
                self.pending.append(PendingDeploy(r + 1 + self.latency, int(rows.min()),
                                                  newest + 1, mean=mean, rows=rows))
            return hi
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
        if change.rows is None:
            self.learner.learn_batch(self.model, self.stream, change.start, change.stop)
            self.train_samples += change.stop - change.start
        else:
            self.learner.learn_batch_rows(self.model, self.stream, change.rows)
            self.train_samples += len(change.rows)
        self.train_cpu_s += cpu_clock() - begin


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
        if not self.labels.simple:
            return self._planned_mean_index(samples)
        served = np.array(list(self.served_firsts), dtype=np.int64).reshape(-1, 2)
        first = served[np.searchsorted(served[:, 0], samples, side="right") - 1, 1]
        newest = self.trace.newest[samples]
        if self.memory is not None:
            first = np.maximum(first, newest - self.memory + 1)
        return (first + newest) / 2

    # -- labels not all bought, or arriving out of order (lab.policies.label_plan) -----------
    # The learning order: ``steps`` / ``samples`` (sample samples[k] learned right after
    # predicting sample steps[k]): the whole plan for a uniform purchase, what it bought so far
    # under the uncertainty strategy. Each model served: (first sample served, sum and count of
    # its refit rows, learned entries before its refit); the warm-up's model first.
    _order = None
    _budget = None

    def _learning_order(self) -> tuple[np.ndarray, np.ndarray]:
        if self._order is None:
            if self.labels.active:
                self._order = (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64))
            else:
                extra = self.latency if self.lag_includes_latency else 0
                self._order = self.labels.schedule(extra)
            self._served_plan = [(0, self.warmup * (self.warmup - 1) / 2, self.warmup, 0)]
        return self._order

    def _planned_mean_index(self, samples: np.ndarray) -> np.ndarray:
        steps, learned = self._learning_order()
        samples = np.asarray(samples)
        count = np.searchsorted(steps, samples - 1, side="right")
        if len(self._served_plan) == 1:
            return learned_means(self.warmup, learned, count, self.memory)
        served = np.array(self._served_plan, dtype=np.float64)
        which = np.searchsorted(served[:, 0], samples, side="right") - 1
        prefix = np.concatenate(([0.0], np.cumsum(learned, dtype=np.float64)))
        before = served[which, 3].astype(np.int64)
        total = served[which, 1] + prefix[count] - prefix[before]
        return total / np.maximum(served[which, 2] + count - before, 1)

    def _run_planned(self, lo: int, hi: int) -> None:
        steps, learned = self._learning_order()
        if self.labels.active:
            if self._budget is None:
                from river.active import EntropySampler

                plan = self.labels
                self._budget = ActiveBudget(EntropySampler(self.model, seed=self.seed),
                                            plan.share, self.warmup, plan.delays)
            predictions, got, spent = self.learner.prequential_active(
                self.model, self.stream, lo, hi, self._budget)
            steps = np.concatenate((steps, np.asarray(got[0], dtype=np.int64)))
            learned = np.concatenate((learned, np.asarray(got[1], dtype=np.int64)))
            self._order = (steps, learned)
            count = len(got[1])
        else:
            first, last = np.searchsorted(steps, [lo, hi], side="left")
            predictions, spent = self._replayed_predictions(lo, hi), 0.0
            if predictions is None:
                predictions, spent = self.learner.prequential_plan(
                    self.model, self.stream, lo, hi, steps[first:last], learned[first:last])
            count = int(last - first)
        self.train_cpu_s += spent
        self.train_samples += count
        self.trace.record(lo, hi, predictions,
                          newest_learned(self.warmup, steps, learned, np.arange(lo, hi)))

    def received_label_steps(self) -> np.ndarray | None:
        if self.labels.active:
            return np.sort(np.asarray(self._budget.arrivals if self._budget else [],
                                      dtype=np.int64))
        return super().received_label_steps()

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

    # The race's reference contenders (river's no-change and majority learners, set by the
    # engine for ``evaluation.baselines``): their predictions depend on the labels learned
    # only, so they are replayed from lab.policies.references (numpy) instead of river's
    # per-sample loop; the same predictions, tested against river in tests/test_baselines.py.
    replays_references = False
    _replayed = None

    def _replayed_predictions(self, lo: int, hi: int) -> list | None:
        """The reference learner's predictions for ``[lo, hi)`` (None: not a replayed one)."""
        if not self.replays_references or self.warmup == 0 or self.labels.active:
            return None
        if self._replayed is None:
            kind = {"baseline.no_change": "no_change",
                    "baseline.majority": "majority"}[self.learner.info.name]
            n = len(self.stream)
            if self.labels.simple:
                refs = delayed_references(self.stream.y, self.warmup, self.lag, n)
            else:
                steps, samples = self._learning_order()
                refs = scheduled_references(self.stream.y, self.warmup, steps, samples, n)
            self._replayed = refs[kind].tolist()
        return self._replayed[lo - self.warmup:hi - self.warmup]

    def _run_segment(self, lo: int, hi: int) -> None:
        """Test then train over ``[lo, hi)``, in the learner's own loop (river's
        ``predict_one``/``learn_one``, or scikit-learn's ``predict``/``partial_fit`` per row)."""
        if not self.labels.simple:
            self._run_planned(lo, hi)
            return
        lag, warmup = self.lag, self.warmup
        predictions = self._replayed_predictions(lo, hi)
        if predictions is not None:
            spent = 0.0
        else:
            predictions, spent = self.learner.prequential(self.model, self.stream, lo, hi, lag,
                                                          warmup)
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
        if not self.labels.simple:
            self._act_planned(boundary)
            return
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

    def _act_planned(self, boundary: int) -> None:
        """:meth:`_act` with labels not all bought in order: the refit trains on the ``window``
        newest received labels; once deployed it catches up on the labels that arrived while
        it was trained, then learns on like the online model."""
        r = boundary - 1
        steps, learned = self._learning_order()
        if self._is_refit_boundary(boundary):
            found = self._training_rows(r, "window", self.spec.window)
            if found is not None:
                start, stop, _, rows = found
                model = self._fit(start, stop, rows=rows)
                self.retrains += 1
                self.events.append((boundary, "retrain_start",
                                    f"scheduled refit on samples {start}..{stop - 1} "
                                    f"({len(rows)} labelled rows)"))
                self.pending.append(PendingDeploy(boundary + self.latency, start, stop, model,
                                                  rows=rows))
        while self.pending and self.pending[0].at <= boundary:
            change = self.pending.popleft()
            refit_step = change.at - self.latency - 1
            first, last = np.searchsorted(steps, [refit_step, change.at - 1], side="right")
            begin = cpu_clock()
            self.learner.learn_rows(change.model, self.stream, learned[first:last])
            self.train_cpu_s += cpu_clock() - begin
            self.train_samples += int(last - first)
            self.model = change.model
            self._served_plan.append((boundary, float(change.rows.sum()), len(change.rows),
                                      int(first)))
            self.events.append((change.at, "deploy",
                                 f"refit model deployed (caught up on {last - first} labels)"))
