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
from scipy import special


def logsumexp(values: list[float]) -> np.float64:
    """``scipy.special.logsumexp(values)`` for a non-empty list of real numbers, as scipy 1.17
    computes it (``scipy/special/_logsumexp.py``): the largest terms are taken out of the sum
    for precision, ``log1p(Σ exp(a - max) / m) + log(m) + max`` with ``m`` the number of
    largest terms. About 9 µs instead of scipy's 160–360 µs. Where the largest term or the
    result is not finite (infinities, NaN: rare), scipy itself answers.

    >>> float(logsumexp([0.0, 0.0])) == math.log(2)
    True
    """
    a = np.array(values, dtype=np.float64)
    a_max = a.max()
    if not math.isfinite(a_max):
        return special.logsumexp(values)
    largest = a == a_max
    terms = np.exp(a - a_max)  # elementwise: the other terms' bits are scipy's
    terms[largest] = 0.0  # scipy sets the largest to -inf before exp
    s = terms.sum()
    m = np.float64(np.count_nonzero(largest))
    if s != 0:
        s = s / m
    out = np.log1p(s) + np.log(m) + a_max
    return out if math.isfinite(out) else special.logsumexp(values)


class GaussianNB(naive_bayes.GaussianNB):
    """``river.naive_bayes.GaussianNB`` whose probabilities are normalised by
    :func:`logsumexp` (module docstring: same bits, 18–40x less time)."""

    def predict_proba_one(self, x):
        jll = self.joint_log_likelihood(x)
        if not jll:
            return {}
        lse = logsumexp(list(jll.values()))
        return {label: math.exp(ll - lse) for label, ll in jll.items()}
