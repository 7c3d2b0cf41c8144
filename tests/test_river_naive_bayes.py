"""``lab.learners.river_naive_bayes``: river's Gaussian naive Bayes with a fast logsumexp gives
river's bits — the normaliser equals ``scipy.special.logsumexp`` bit for bit (random cases, ties
of the largest term, infinities, NaN) and the model's probabilities equal river's own model's
on a stream."""

from __future__ import annotations

import numpy as np
import pytest
from river import naive_bayes
from scipy.special import logsumexp as scipy_logsumexp

from lab.learners import make_learner
from lab.learners.river_naive_bayes import GaussianNB, logsumexp


def _bits(value) -> tuple[type, bytes]:
    return type(value), np.asarray(value, dtype=np.float64).tobytes()


def _cases(count: int, seed: int = 0):
    rng = np.random.default_rng(seed)
    for _ in range(count):
        k = int(rng.integers(1, 12))
        scale = 10.0 ** int(rng.integers(-3, 4))
        values = (rng.normal(size=k) * scale - rng.uniform(0, 1000)).tolist()
        if rng.random() < 0.2:
            values[int(rng.integers(k))] = values[0]  # the largest term twice, or more
        yield values


EDGES = [[0.0], [0.0, 0.0], [-np.inf, 0.0], [-np.inf, -np.inf], [np.inf, 1.0], [np.nan, 1.0],
         [700.0, 700.0], [-745.0, -1e-300], [1e308, 1e308], [-1e308, -1e308, 5.0]]


def test_the_normaliser_has_scipys_bits_on_random_and_edge_cases():
    cases = [*_cases(3000), *EDGES]
    with np.errstate(all="ignore"):
        mismatched = [v for v in cases if _bits(logsumexp(v)) != _bits(scipy_logsumexp(v))]
    assert mismatched == []


@pytest.mark.parametrize("classes", [2, 3, 5])
def test_probabilities_equal_rivers_own_model_sample_by_sample(classes):
    rng = np.random.default_rng(classes)
    fast, river_own = GaussianNB(), naive_bayes.GaussianNB()
    for _ in range(600):
        y = int(rng.integers(classes))
        x = {"a": float(rng.normal(y)), "b": float(rng.normal(-y, 2.0))}
        assert fast.predict_proba_one(x) == river_own.predict_proba_one(x)
        assert fast.predict_one(x) == river_own.predict_one(x)
        fast.learn_one(x, y)
        river_own.learn_one(x, y)


def test_the_registry_builds_it_and_it_clones_as_itself():
    model = make_learner("river.gaussian_nb", {}, 1, [0, 1]).new()
    assert isinstance(model, GaussianNB) and isinstance(model, naive_bayes.GaussianNB)
    assert type(model.clone()) is GaussianNB
