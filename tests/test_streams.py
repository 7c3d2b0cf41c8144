"""Drift injection: concepts, gradual shares, recurrence, label noise, seeding."""

from __future__ import annotations

import numpy as np
import pytest

from lab.data.generators import GENERATORS
from lab.data.stream import make_stream
from lab.spec.experiment import Drift, StreamSpec


def test_every_generator_draws_a_seeded_stream():
    for name in GENERATORS:
        spec = StreamSpec(name, 300)
        a, b = make_stream(spec, 1), make_stream(spec, 1)
        assert np.array_equal(a.X, b.X) and np.array_equal(a.y, b.y)
        assert not np.array_equal(a.X, make_stream(spec, 2).X)
        assert a.X.dtype == np.float64 and len(a.feature_names) == a.X.shape[1]


# A parameter change per generator that makes drift 1 a new concept.
CHANGED_CONCEPT = {"sea": {"variant": 1}, "agrawal": {"classification_function": 1},
                   "stagger": {"classification_function": 1},
                   "sine": {"classification_function": 1},
                   "hyperplane": {"concept_seed": 1}, "rbf": {"seed_model": 2},
                   "led": {"concept_seed": 1}, "blobs2d": {"angle": 90.0}}


@pytest.mark.parametrize("source", sorted(GENERATORS))
def test_a_later_drift_leaves_the_samples_before_it_unchanged(source):
    """Widening or moving drift 2 changes how many samples concept 1 gets; the samples before it
    must not move (the walk-through saw blobs2d's earlier points shift when it did)."""
    to = CHANGED_CONCEPT[source]
    narrow = StreamSpec(source, 3000, {}, (Drift(1000, 200, to), Drift(2000, 200, {})))
    a = make_stream(narrow, 5)
    for later in (Drift(2000, 800, {}), Drift(2300, 200, {})):  # wider; later
        b = make_stream(StreamSpec(source, 3000, {}, (Drift(1000, 200, to), later)), 5)
        before = 2000
        assert np.array_equal(a.concept[:before], b.concept[:before])
        assert np.array_equal(a.X[:before], b.X[:before])
        assert np.array_equal(a.y[:before], b.y[:before])
        assert not np.array_equal(a.concept, b.concept)  # the change reached later samples


def test_gradual_drift_share_follows_the_sigmoid_inside_its_window():
    spec = StreamSpec("sea", 40000, {}, (Drift(10000, 20000, {"variant": 2}),))
    concept = make_stream(spec, 3).concept
    assert concept[:10000].max() == 0 and concept[30000:].min() == 1
    window = concept[10000:30000]
    first, middle, last = window[:2000].mean(), window[9000:11000].mean(), window[-2000:].mean()
    assert first < 0.1 and 0.4 < middle < 0.6 and last > 0.9


def test_recurring_drift_reuses_the_concept_index_and_generator():
    spec = StreamSpec("stagger", 3000, {"classification_function": 0},
                      (Drift(1000, 0, {"classification_function": 2}),
                       Drift(2000, 0, {"classification_function": 0})))
    s = make_stream(spec, 0)
    assert s.concept[999] == 0 and s.concept[1000] == 1 and s.concept[2000] == 0
    assert len(s.concepts) == 2


def test_sudden_drift_changes_the_labelling_rule():
    spec = StreamSpec("blobs2d", 4000, {"std": 0.3}, (Drift(2000, 0, {"angle": 180}),))
    s = make_stream(spec, 0)
    before = (s.X[:2000, 0] > 0).astype(int) == s.y[:2000]
    after = (s.X[2000:, 0] > 0).astype(int) == s.y[2000:]
    assert before.mean() > 0.9 and after.mean() < 0.1


@pytest.mark.parametrize("source,rate", [("sea", 0.2), ("led", 0.1)])
@pytest.mark.slow
def test_label_noise_flips_the_given_share(source, rate):
    clean = make_stream(StreamSpec(source, 20000), 4)
    noisy = make_stream(StreamSpec(source, 20000, label_noise=rate), 4)
    assert np.array_equal(clean.X, noisy.X)
    assert abs((clean.y != noisy.y).mean() - rate) < 0.015
    assert set(np.unique(noisy.y)) <= set(range(10))


def test_incremental_drift_through_mag_change():
    still = make_stream(StreamSpec("hyperplane", 2000, {"mag_change": 0.0}), 1)
    moving = make_stream(StreamSpec("hyperplane", 2000, {"mag_change": 0.5}), 1)
    assert not np.array_equal(still.y, moving.y)
