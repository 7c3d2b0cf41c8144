"""The policies whose model changes only at scheduled points: frozen (trained once on the
warm-up) and periodic (retrained from scratch every ``every`` samples on all, a window of, or
decayed history).
"""

from __future__ import annotations

import numpy as np

from lab.policies.base import BatchPolicy


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
