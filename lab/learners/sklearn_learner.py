"""The scikit-learn flavour of :class:`lab.learners.base.Learner`: numpy chunks, ``fit`` from
scratch, ``partial_fit`` for the incremental estimators (``sk.sgd``)."""

from __future__ import annotations

import warnings

import numpy as np
from sklearn.dummy import DummyClassifier
from sklearn.exceptions import ConvergenceWarning

from lab.learners.base import Learner, cpu_clock


class SklearnLearner(Learner):
    """Drives a scikit-learn estimator."""

    prediction_chunk = 16384
    """scikit-learn's per-call overhead is ~50 µs, so chunks of 16k rows make scoring a constant
    model cheap."""

    def fit(self, stream, lo: int, hi: int, weights: np.ndarray | None = None):
        X, y = stream.X[lo:hi], stream.y[lo:hi]
        if np.unique(y).size < 2:
            # scikit-learn cannot fit one class; a constant predictor is the honest fallback.
            return DummyClassifier(strategy="most_frequent").fit(X, y)
        model = self.new()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            if weights is None:
                model.fit(X, y)
            else:
                model.fit(X, y, sample_weight=weights)
        return model

    def learn(self, model, stream, lo: int, hi: int, weights: np.ndarray | None = None) -> None:
        """One ``partial_fit`` call over the rows: one SGD pass over them in order."""
        if hi <= lo:
            return
        if isinstance(model, DummyClassifier):
            raise TypeError("a constant fallback model cannot learn incrementally")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            model.partial_fit(stream.X[lo:hi], stream.y[lo:hi], classes=self.classes,
                              sample_weight=weights)

    def learn_batch(self, model, stream, lo: int, hi: int) -> None:
        """``partial_fit`` on the mini-batch (the same call as :meth:`learn`)."""
        self.learn(model, stream, lo, hi)

    def predict(self, model, stream, lo: int, hi: int) -> np.ndarray:
        return model.predict(stream.X[lo:hi])

    def correct(self, model, stream, lo: int, hi: int) -> np.ndarray:
        return (self.predict(model, stream, lo, hi) == stream.y[lo:hi]).astype(np.int8)

    def prequential(self, model, stream, lo: int, hi: int, lag: int, warmup: int
                    ) -> tuple[list, float]:
        """scikit-learn's ``partial_fit`` on one row costs 100 µs or more, so each is timed in
        process CPU seconds directly (two ``process_time`` calls: ~2 % of it)."""
        spent = 0.0
        out = []
        for i in range(lo, hi):
            out.append(self.predict(model, stream, i, i + 1)[0])
            j = i - lag
            if j >= warmup:
                t0 = cpu_clock()
                self.learn(model, stream, j, j + 1)
                spent += cpu_clock() - t0
        return out, spent

    # -- labels on a schedule (lab.policies.label_plan)
    def fit_rows(self, stream, rows: np.ndarray, weights: np.ndarray | None = None):
        """:meth:`fit` on the samples ``rows``: the same call on their rows."""
        X, y = stream.X[rows], stream.y[rows]
        if np.unique(y).size < 2:
            return DummyClassifier(strategy="most_frequent").fit(X, y)
        model = self.new()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            model.fit(X, y, **({} if weights is None else {"sample_weight": weights}))
        return model

    def learn_rows(self, model, stream, rows: np.ndarray) -> None:
        """One ``partial_fit`` call over the samples ``rows``, in the given order."""
        if len(rows) == 0:
            return
        if isinstance(model, DummyClassifier):
            raise TypeError("a constant fallback model cannot learn incrementally")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            model.partial_fit(stream.X[rows], stream.y[rows], classes=self.classes)

    def learn_batch_rows(self, model, stream, rows: np.ndarray) -> None:
        self.learn_rows(model, stream, rows)

    def prequential_plan(self, model, stream, lo: int, hi: int, steps: np.ndarray,
                         samples: np.ndarray) -> tuple[list, float]:
        """Per row: ``predict``, then ``partial_fit`` on each label that arrived, timed."""
        spent = 0.0
        out = []
        k, m = 0, len(steps)
        for i in range(lo, hi):
            out.append(self.predict(model, stream, i, i + 1)[0])
            while k < m and steps[k] == i:
                t0 = cpu_clock()
                j = int(samples[k])
                self.learn(model, stream, j, j + 1)
                spent += cpu_clock() - t0
                k += 1
        return out, spent
