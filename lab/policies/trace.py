"""The per-sample trace of one contender's race: what its deployed model predicted, whether
that was right, and how fresh the model was, sample by sample.

Why a trace of its own: the policy is the strategy (when to learn, from which data); the
trace is the record. The engine (:mod:`lab.race.engine`) creates one per contender, hands it to
the contender's policy, which writes each stretch it scores with :meth:`Trace.record`, and
:mod:`lab.race.metrics` reads it afterwards, so that results are not a side effect of a
policy's internals.
"""

from __future__ import annotations

import numpy as np

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


class Trace:
    """Per sample ``i`` of a stream with labels ``y``:

    * ``correct[i]``: 1 if the deployed model predicted sample ``i`` right, else 0 (int8);
    * ``predicted[i]``: the label it predicted, coded as ``y``; :data:`NO_PREDICTION` when it
      gave none (and for samples not scored yet);
    * ``newest[i]``: the newest sample index the deployed model had learned from (staleness is
      ``i - newest[i]``); -1 for samples not scored yet.

    >>> trace = Trace(np.array([0, 1, 1, 0]))
    >>> trace.record(1, 3, [1, None], newest=0)
    >>> trace.correct.tolist(), trace.predicted.tolist(), trace.newest.tolist()
    ([0, 1, 0, 0], [-1, 1, -1, -1], [-1, 0, 0, -1])
    """

    def __init__(self, y: np.ndarray):
        n = len(y)
        self.y = y
        self.correct = np.zeros(n, dtype=np.int8)
        self.predicted = np.full(n, NO_PREDICTION, dtype=label_dtype(y))
        self.newest = np.full(n, -1, dtype=np.int64)

    def labels(self, predictions) -> np.ndarray:
        """``predictions`` coded like ``predicted`` (see :func:`labels_array`)."""
        return labels_array(predictions, self.predicted.dtype)

    def record(self, lo: int, hi: int, predictions, newest) -> None:
        """Record the scored stretch ``[lo, hi)``: its ``predictions`` (a list or array, one per
        sample, None where the model gave none), whether each was right, and ``newest`` (one
        index for the whole stretch, or one per sample)."""
        predicted = self.labels(predictions)
        self.predicted[lo:hi] = predicted
        self.correct[lo:hi] = predicted == self.y[lo:hi]
        self.newest[lo:hi] = newest
