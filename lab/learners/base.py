"""The one interface policies speak to: :class:`Learner`, in a scikit-learn and a river flavour.

Why an interface with two flavours: scikit-learn predicts on numpy chunks and refits from
scratch, river predicts and learns one ``dict`` at a time. Each flavour
(:class:`lab.learners.sklearn_learner.SklearnLearner`,
:class:`lab.learners.river_learner.RiverLearner`) does every operation the library's own way,
so a policy works with any model whose capabilities it needs (``info.incremental``,
``info.learn_many``, ``info.sample_weight``) without asking which library it is; the config
check refuses the rest.

Training cost is process CPU seconds (``lab.policies.base`` says why and how); the clocks
live here because the test-then-train loop of :meth:`Learner.prequential` times itself.
"""

from __future__ import annotations

import heapq
import time
from abc import ABC, abstractmethod
from dataclasses import dataclass, field

import numpy as np

from lab.learners.registry import ModelInfo

# Training is counted in process CPU seconds (see lab.policies.base). process_time is a system
# call (1.07 µs measured here); perf_counter a vDSO call (0.10 µs), cheap enough to time every
# learn_one of the river online loop, whose stretch CPU time it apportions.
cpu_clock = time.process_time
wall_clock = time.perf_counter


class Learner(ABC):
    """One contender's model factory plus the operations policies need.

    Model objects are plain library objects; the learner creates, fits, predicts and updates them,
    so a policy may hold several (the deployed one and one being retrained).
    """

    def __init__(self, info: ModelInfo, params: dict, seed: int, classes: np.ndarray):
        self.info = info
        self.params = dict(params)
        self.seed = seed
        self.classes = np.asarray(classes)

    def new(self):
        """An untrained model with the configured parameters."""
        return self.info.build(self.params, self.seed, len(self.classes))

    @property
    @abstractmethod
    def prediction_chunk(self) -> int:
        """How far ahead a constant model may be scored in one :meth:`predict` call (0: no
        further than needed)."""

    @abstractmethod
    def fit(self, stream, lo: int, hi: int, weights: np.ndarray | None = None):
        """A new model trained from scratch on samples ``[lo, hi)`` in arrival order."""

    @abstractmethod
    def learn(self, model, stream, lo: int, hi: int, weights: np.ndarray | None = None) -> None:
        """Update ``model`` with samples ``[lo, hi)`` one by one, in order."""

    @abstractmethod
    def learn_batch(self, model, stream, lo: int, hi: int) -> None:
        """Update ``model`` with samples ``[lo, hi)`` as one mini-batch."""

    @abstractmethod
    def predict(self, model, stream, lo: int, hi: int) -> np.ndarray:
        """Predictions of ``model`` for samples ``[lo, hi)``."""

    @abstractmethod
    def correct(self, model, stream, lo: int, hi: int) -> np.ndarray:
        """1 where ``model`` predicts samples ``[lo, hi)`` right, else 0 (int8)."""

    @abstractmethod
    def prequential(self, model, stream, lo: int, hi: int, lag: int, warmup: int
                    ) -> tuple[list, float]:
        """Test then train, sample by sample, over samples ``[lo, hi)``.

        Before sample ``i`` is predicted, ``model`` has learned every sample ``j`` with
        ``warmup <= j < i - lag`` that belongs to this stretch's arrivals; after predicting ``i``
        it learns sample ``i - lag`` when that is ``>= warmup`` (its label has arrived). Returns
        the predictions (a list, one per sample, None where the model gave none) and the process
        CPU seconds spent learning.
        """

    # -- labels that are not all bought, or arrive with varying delays (lab.policies.label_plan)
    @abstractmethod
    def fit_rows(self, stream, rows: np.ndarray, weights: np.ndarray | None = None):
        """A new model trained from scratch on the samples ``rows`` (increasing indices)."""

    @abstractmethod
    def learn_rows(self, model, stream, rows: np.ndarray) -> None:
        """Update ``model`` with the samples ``rows`` one by one, in the given order."""

    @abstractmethod
    def learn_batch_rows(self, model, stream, rows: np.ndarray) -> None:
        """Update ``model`` with the samples ``rows`` as one mini-batch."""

    @abstractmethod
    def prequential_plan(self, model, stream, lo: int, hi: int, steps: np.ndarray,
                         samples: np.ndarray) -> tuple[list, float]:
        """Test then train over samples ``[lo, hi)`` with labels on a schedule: after predicting
        sample ``i``, learn every ``samples[k]`` with ``steps[k] == i``, in order (``steps`` is
        sorted and lies in ``[lo, hi)``). Returns what :meth:`prequential` returns."""


@dataclass
class ActiveBudget:
    """The uncertainty strategy's state for one online contender (``evaluation.labels``).

    After predicting sample ``i`` the river ``active.EntropySampler`` wrapped around the model
    says whether to ask for its label (more often the less sure the model is); the label is
    bought when it asks and the purchases stay within ``share`` of the samples scored so far
    (``bought + 1 <= share * (i - warmup + 1)``). A bought label arrives ``delays[i]`` samples
    later and is learned right after that sample's prediction (ties: lower index first)."""

    sampler: object  # river.active.EntropySampler around the contender's model
    share: float
    warmup: int
    delays: np.ndarray
    bought: list = field(default_factory=list)  # samples bought, in purchase order
    arrivals: list = field(default_factory=list)  # their arrival steps
    _due: list = field(default_factory=list)  # heap of (arrival step, sample) not learned yet

    def consider(self, i: int, ask: bool) -> None:
        """Buy the label of sample ``i`` when the sampler asked and the budget allows."""
        if ask and len(self.bought) + 1 <= self.share * (i - self.warmup + 1):
            step = i + int(self.delays[i])
            self.bought.append(i)
            self.arrivals.append(step)
            heapq.heappush(self._due, (step, i))

    def due(self, i: int) -> list[int]:
        """The bought samples whose label arrives right after predicting sample ``i``."""
        out = []
        while self._due and self._due[0][0] <= i:
            out.append(heapq.heappop(self._due)[1])
        return out
