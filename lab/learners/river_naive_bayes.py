"""river's Gaussian naive Bayes with a fast, bit-identical ``predict_proba_one``.

river's ``BaseNB.predict_proba_one`` normalises the joint log-likelihoods with
``scipy.special.logsumexp``. Since scipy's array-API rewrite that call costs about 360 µs for a
list of two numbers (scipy 1.17: namespace dispatch, dtype promotion, ``xpx.at`` copies): 77 %
of the CPU of a race of lesson 2 (``lesson-stable``), whose online contender is this model
(measured: 5.6 CPU-s for three 5,000-sample races, 4.3 of them in ``logsumexp``). The same
numpy operations on the same shapes, without the dispatch, take about 15 µs and give the same
bits, so every prediction, probability and recorded output is river's (checked bit for bit
against scipy on 100,000 random cases in ``tests/test_river_naive_bayes.py``).

>>> from river import naive_bayes
>>> fast, plain = GaussianNB(), naive_bayes.GaussianNB()
>>> for x, y in [({"a": 0.1}, 0), ({"a": 2.0}, 1), ({"a": 0.4}, 0)]:
...     fast.learn_one(x, y); plain.learn_one(x, y)
>>> fast.predict_proba_one({"a": 1.0}) == plain.predict_proba_one({"a": 1.0})
True
"""

from __future__ import annotations

import math

import numpy as np
from river import naive_bayes


def logsumexp(values: list[float]) -> np.float64:
    """``scipy.special.logsumexp(values)`` for a non-empty list of real numbers, as scipy 1.17
    computes it (``scipy/special/_logsumexp.py``): the largest terms are taken out of the sum
    for precision, ``log1p(Σ exp(a - max) / m) + log(m) + max`` with ``m`` the number of
    largest terms. About 9 µs instead of scipy's 160–360 µs. Where the largest term or the
    result is not finite, :func:`_every_step_of_scipy` takes scipy's every step.

    >>> float(logsumexp([0.0, 0.0])) == math.log(2)
    True
    """
    a = np.array(values, dtype=np.float64)
    a_max = a.max()
    if not math.isfinite(a_max):
        return _every_step_of_scipy(values)
    largest = a == a_max
    terms = np.exp(a - a_max)  # elementwise: the other terms' bits are scipy's
    terms[largest] = 0.0  # scipy sets the largest to -inf before exp
    s = terms.sum()
    m = np.float64(np.count_nonzero(largest))
    if s != 0:
        s = s / m
    out = np.log1p(s) + np.log(m) + a_max
    return out if math.isfinite(out) else _every_step_of_scipy(values)


def _every_step_of_scipy(values: list[float]) -> np.float64:
    """scipy 1.17's ``logsumexp`` step by step (shapes, masks, the direct ``log(Σ exp(a))``
    where the careful result is not finite), for the infinite and NaN cases."""
    a = np.asarray(values, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        direct = np.log(np.sum(np.exp(a), axis=(0,), keepdims=True))
        a_max = np.max(a, axis=(0,), keepdims=True)
        largest = a == a_max
        rest = a.copy()
        rest[largest] = -np.inf
        m = np.sum(largest.astype(np.float64), axis=(0,), keepdims=True, dtype=np.float64)
        s = np.sum(np.exp(rest - a_max), axis=(0,), keepdims=True, dtype=np.float64)
        s = np.where(s == 0, s, s / m)
        sign = np.sign(s + 1) * np.sign(m)
        s = np.where(s < -1, -s - 2, s)
        out = np.log1p(s) + np.log(np.abs(m)) + a_max
        out[sign < 0] = np.nan
    out = np.where(np.isfinite(out), out, direct)
    return np.squeeze(out, axis=(0,))[()]


class GaussianNB(naive_bayes.GaussianNB):
    """``river.naive_bayes.GaussianNB`` whose probabilities are normalised by
    :func:`logsumexp` (module docstring: same bits, ~25x less time)."""

    def predict_proba_one(self, x):
        jll = self.joint_log_likelihood(x)
        if not jll:
            return {}
        lse = logsumexp(list(jll.values()))
        return {label: math.exp(ll - lse) for label, ll in jll.items()}
