"""Which labels a contender receives, and when: the per-sample arrays of ``evaluation.labels``.

The config's :class:`lab.spec.label_supply.LabelSupply` says how many labels are bought and how
late each arrives; a :class:`LabelPlan` turns it into numpy arrays once per race:

* ``arrival[i]``: the step after whose prediction the label of sample ``i`` is known
  (``i + delay_i``), :data:`NEVER` for a label not bought. A fit after the label arrival at
  step ``r`` may use exactly the samples with ``arrival <= r`` (:meth:`LabelPlan.received`);
  an online learner learns sample ``j`` right after predicting sample ``arrival[j]``, in the
  order of :meth:`LabelPlan.schedule` (arrival step, then sample index: deterministic ties).
* The warm-up's labels are always bought (every contender's first training set); its samples
  are learned at the warm-up, and count in later fits by the same arrival rule as the others.

``plan.simple`` (no ``labels`` object, or every label bought with a fixed delay) tells the
policies to keep their original contiguous-range code, whose results the recorded outputs pin
to the bit: there ``arrival[i] = i + label_delay`` and the received samples after step ``r`` are
``[0, r - label_delay + 1)``, the range the fast path uses.

Draws: two random streams of their own, ``numpy.random.default_rng([seed, 0x1ABE1, k])`` (k = 1
for the purchases, 2 for the delays), so the stream's samples never change, and the labels
bought do not change when only the delay does. ``uniform`` buys exactly
``round(share * (n - warmup))`` of the scored samples' labels (the same ones for every
contender). ``uncertainty`` decides per contender while it runs
(:class:`lab.learners.base.ActiveBudget`), from the plan's delays; its ``bought`` is then the
uniform draw, which the race's baselines use (:meth:`LabelPlan.uniform`): a no-change
classifier is always sure of itself (probability 1 for its last label), so it would never ask.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np

from lab.spec.experiment import EvaluationSpec

NEVER = np.iinfo(np.int64).max // 2
"""``arrival`` of a label that is never received (not bought)."""

_TAG = 0x1ABE1  # this module's random streams, apart from the stream's own draws


@dataclass(frozen=True)
class LabelPlan:
    """The labels of one race (module docstring). ``delays`` per sample (whole samples),
    ``bought`` per sample (bool), ``arrival`` per sample (int64, :data:`NEVER` where not bought),
    ``simple``: every label bought, each ``fixed_delay`` late (then the arrays are None: the
    policies' fast path computes ranges). The engine builds one per race and shares it."""

    warmup: int
    delays: np.ndarray | None  # None when simple: the fast path needs no per-sample arrays
    bought: np.ndarray | None
    arrival: np.ndarray | None
    simple: bool
    fixed_delay: int
    share: float = 1.0
    strategy: str = "uniform"

    @classmethod
    def of(cls, evaluation: EvaluationSpec, n: int, seed: int) -> LabelPlan:
        """The plan of a race of ``n`` samples under ``evaluation`` and the experiment's seed."""
        supply, warmup = evaluation.labels, evaluation.warmup
        delay = evaluation.label_delay
        if supply is None or supply.everything_fixed:
            return cls(warmup, None, None, None, True, delay)
        delay_rng = np.random.default_rng([seed, _TAG, 2])
        if supply.delay == "uniform":
            delays = delay_rng.integers(supply.delay_low, supply.delay_high + 1, size=n,
                                        dtype=np.int64)
        elif supply.delay == "exponential":
            delays = np.floor(delay_rng.exponential(supply.delay_mean, size=n)).astype(np.int64)
            delays = np.minimum(delays, NEVER // 4)
        else:
            delays = np.full(n, delay, dtype=np.int64)
        bought = np.zeros(n, dtype=bool)
        bought[:warmup] = True
        # drawn for both strategies: the baselines of an uncertainty race buy these (uniform)
        scored = max(0, n - warmup)
        count = int(round(supply.share * scored))
        buy_rng = np.random.default_rng([seed, _TAG, 1])
        bought[warmup + buy_rng.choice(scored, size=count, replace=False)] = True
        arrival = np.where(bought, np.arange(n, dtype=np.int64) + delays, NEVER)
        return cls(warmup, delays, bought, arrival, False, delay, supply.share, supply.strategy)

    def uniform(self) -> LabelPlan:
        """The same plan with the uniform purchases (for the baselines of an uncertainty race)."""
        return self if self.simple else dataclasses.replace(self, strategy="uniform")

    @property
    def active(self) -> bool:
        """True when each contender chooses its own labels while it runs (uncertainty)."""
        return not self.simple and self.strategy == "uncertainty"

    def received(self, step: int) -> np.ndarray:
        """Indices (increasing) of the samples whose label is known after the label arrival at
        ``step``: bought, and ``arrival <= step`` (a simple plan: ``[0, step - delay + 1)``)."""
        if self.simple:
            return np.arange(max(0, step - self.fixed_delay + 1), dtype=np.int64)
        return np.flatnonzero(self.arrival <= step)

    def schedule(self, extra: int = 0) -> tuple[np.ndarray, np.ndarray]:
        """The online learning order after the warm-up: ``(steps, samples)``, the bought samples
        ``j >= warmup``, learned right after predicting sample ``steps[k] = arrival[j] + extra``
        (``extra``: an update's latency), sorted by step, then sample. Not for a simple plan,
        whose order is the fast path's ``j = step - delay - extra``."""
        samples = np.flatnonzero(self.bought[self.warmup:]) + self.warmup
        steps = self.arrival[samples] + extra
        order = np.lexsort((samples, steps))
        return steps[order], samples[order]


def learned_means(warmup: int, samples: np.ndarray, counts: np.ndarray,
                  memory: int | None = None) -> np.ndarray:
    """Mean index of what an incremental model learned: the warm-up ``0 .. warmup - 1``, then
    the first ``counts[k]`` of ``samples`` (in learning order), per ``k``; of the last
    ``memory`` of that sequence for a learner that keeps only those.

    >>> learned_means(2, np.array([7, 4]), np.array([0, 1, 2])).tolist()
    [0.5, 2.6666666666666665, 3.0]
    >>> learned_means(2, np.array([7, 4]), np.array([2]), memory=1).tolist()
    [4.0]
    """
    sequence = np.concatenate((np.arange(warmup, dtype=np.float64),
                               np.asarray(samples, dtype=np.float64)))
    prefix = np.concatenate(([0.0], np.cumsum(sequence)))
    ends = warmup + np.asarray(counts, dtype=np.int64)
    starts = np.zeros_like(ends) if memory is None else np.maximum(0, ends - memory)
    return (prefix[ends] - prefix[starts]) / np.maximum(ends - starts, 1)


def newest_learned(warmup: int, steps: np.ndarray, samples: np.ndarray,
                   at: np.ndarray) -> np.ndarray:
    """Per sample index of ``at``, the newest (largest) sample an online model learned before
    predicting it: the warm-up's last, or the largest of ``samples`` learned after predicting a
    sample before it (``steps < at``).

    >>> newest_learned(3, np.array([4, 4, 6]), np.array([3, 1, 5]), np.array([4, 5, 7])).tolist()
    [2, 3, 5]
    """
    count = np.searchsorted(steps, np.asarray(at) - 1, side="right")
    running = np.maximum.accumulate(np.concatenate(([warmup - 1], np.asarray(samples))))
    return running[count]
