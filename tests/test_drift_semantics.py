"""Issue 11, points 4 and 5: a drift changes exactly what its `to` names, and gradual drift in
MOA's terms (``"shape": "moa"``) as well as the lab's span form.

Frozen-model tests: a model fitted before the drift is scored before and after it. A drift that
keeps the concept must leave its accuracy where it was; one that changes the concept parameter
must move it a lot. Before the fix, hyperplane and led drew a new concept for every drift
(0.99 -> 0.78 and 1.0 -> 0.16 here).
"""

from __future__ import annotations

import json
import random

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.tree import DecisionTreeClassifier

from lab.cli import main
from lab.data.generators import GENERATORS
from lab.data.stream import assign_concepts, concept_seed_for, make_stream, new_concept_share
from lab.spec.errors import ConfigError
from lab.spec.experiment import Drift, StreamSpec
from lab.validate import json_schema, parse_stream


def _linear():
    return LogisticRegression(max_iter=1000)


def _tree():
    return DecisionTreeClassifier(random_state=0)


# source: (base params, a `to` that keeps the concept, a `to` that changes it, frozen model).
# The concept-keeping `to` changes noise where the generator has a noise parameter (river's
# hyperplane and led flip with probability noise_percentage - 0.01, so 0.01 flips nothing and
# 0.012 flips 0.2 % of the segments), and otherwise a parameter that leaves the labelling rule
# alone: class balancing, 360 degrees of rotation, drifting centroids at speed 0.
GENERATOR_CASES = {
    "sea": ({"noise": 0.0}, {"noise": 0.005}, {"variant": 3}, _linear),
    "agrawal": ({}, {"perturbation": 0.01}, {"classification_function": 2}, _tree),
    "stagger": ({}, {"balance_classes": True}, {"classification_function": 1}, _tree),
    "sine": ({}, {"balance_classes": True}, {"classification_function": 1}, _tree),
    "hyperplane": ({"noise_percentage": 0.0}, {"noise_percentage": 0.01}, {"concept_seed": 1},
                   _linear),
    "rbf": ({"n_centroids": 10, "n_features": 5}, {"n_drift_centroids": 10}, {"seed_model": 2},
            _tree),
    "led": ({"irrelevant_features": True, "n_drift_features": 3, "noise_percentage": 0.0},
            {"noise_percentage": 0.012}, {"concept_seed": 1}, _tree),
    "blobs2d": ({"separation": 4.0}, {"angle": 360.0}, {"angle": 90.0}, _linear),
}
N, AT, TRAIN = 10_000, 5_000, 2_000


def test_every_generator_has_a_case():
    assert set(GENERATOR_CASES) == set(GENERATORS)


def _frozen_before_after(source: str, to: dict, seed: int) -> tuple[float, float]:
    params, _, _, model = GENERATOR_CASES[source]
    stream = make_stream(StreamSpec(source, N, params, (Drift(AT, 0, to),)), seed)
    fitted = model().fit(stream.X[:TRAIN], stream.y[:TRAIN])
    return (fitted.score(stream.X[TRAIN:AT], stream.y[TRAIN:AT]),
            fitted.score(stream.X[AT:], stream.y[AT:]))


@pytest.mark.slow
@pytest.mark.parametrize("source", list(GENERATOR_CASES))
def test_a_drift_that_keeps_the_concept_leaves_a_frozen_model_where_it_was(source):
    to = GENERATOR_CASES[source][1]
    for seed in range(5):
        before, after = _frozen_before_after(source, to, seed)
        assert abs(after - before) < 0.02, (source, seed, before, after)


@pytest.mark.slow
@pytest.mark.parametrize("source", list(GENERATOR_CASES))
def test_a_drift_of_the_concept_parameter_changes_the_concept(source):
    to = GENERATOR_CASES[source][2]
    for seed in range(2):
        before, after = _frozen_before_after(source, to, seed)
        assert before - after > 0.1, (source, seed, before, after)


@pytest.mark.parametrize("source", list(GENERATOR_CASES))
def test_samples_after_a_concept_keeping_drift_are_fresh(source):
    """The concept stays, the sample stream does not restart: the new segment's samples are not
    a repeat of the first ones."""
    params, keep, _, _ = GENERATOR_CASES[source]
    stream = make_stream(StreamSpec(source, 400, params, (Drift(200, 0, keep),)), 3)
    assert list(stream.concept[[0, 199, 200]]) == [0, 0, 1]
    assert not np.array_equal(stream.X[200:240], stream.X[:40])
    assert not np.array_equal(stream.X[200:240], stream.X[1:41])  # not shifted by one either
    still = make_stream(StreamSpec(source, 400, params, (Drift(200, 0, {}),)), 3)
    assert np.array_equal(still.X, make_stream(StreamSpec(source, 400, params), 3).X), \
        "`to: {}` keeps concept 0 and its sample stream"


@pytest.mark.parametrize("source,concept_of", [
    ("hyperplane", lambda g: list(g._weights)),
    ("led", lambda g: list(g._attr_idx)),
    ("rbf", lambda g: [(c.centre, c.class_label, c.std_dev) for c in g.centroids]),
])
def test_equal_concept_parameters_give_the_identical_drawn_concept(source, concept_of):
    params, keep, change, _ = GENERATOR_CASES[source]
    base = {**GENERATORS[source].defaults, **params}
    kept, changed = {**base, **keep}, {**base, **change}

    def drawn(p, sample_seed):
        source_ = GENERATORS[source].build(p, sample_seed, concept_seed_for(p, 7))
        X, _ = source_.draw(5)
        return concept_of(source_.generator), X

    first, x_first = drawn(base, 1)
    again, x_again = drawn(kept, 2)
    other, _ = drawn(changed, 1)
    assert first == again and first != other
    assert not np.array_equal(x_first, x_again)


def test_hyperplane_weights_come_from_the_concept_seed_and_samples_from_the_sample_seed():
    """The split is exact: river's weights are the first n_features draws of the concept RNG,
    and the first served x is the first n_features draws of the sample RNG."""
    params = {**GENERATORS["hyperplane"].defaults, "n_features": 4, "mag_change": 0.0}
    source = GENERATORS["hyperplane"].build(params, 11, 99)
    X, _ = source.draw(1)
    concept_rng, sample_rng = random.Random(99), random.Random(11)
    assert source.generator._weights == [concept_rng.random() for _ in range(4)]
    assert X[0].tolist() == [sample_rng.random() for _ in range(4)]


@pytest.mark.parametrize("source", ["hyperplane", "led", "rbf"])
def test_going_back_to_earlier_params_gives_back_the_concept(source):
    """base -> new concept -> base with only the noise changed (a new concept index, so a new
    generator): the frozen model is as good on the third segment as on the first."""
    params, keep, change, model = GENERATOR_CASES[source]
    drifts = (Drift(4000, 0, change), Drift(8000, 0, keep))
    stream = make_stream(StreamSpec(source, 12_000, params, drifts), 5)
    assert sorted(set(stream.concept.tolist())) == [0, 1, 2]
    fitted = model().fit(stream.X[:2000], stream.y[:2000])
    first = fitted.score(stream.X[2000:4000], stream.y[2000:4000])
    other = fitted.score(stream.X[4000:8000], stream.y[4000:8000])
    back = fitted.score(stream.X[8000:], stream.y[8000:])
    assert abs(back - first) < 0.02 and first - other > 0.1, (first, other, back)


def test_concept_seed_is_a_documented_parameter_of_hyperplane_and_led_only():
    schema = json_schema()["$defs"]["generator_params"]
    for name in GENERATORS:
        assert ("concept_seed" in schema[name]["properties"]) == (name in ("hyperplane", "led"))
    assert "new concept" in schema["hyperplane"]["properties"]["concept_seed"]["description"]


# -- gradual drift: span and moa shapes -------------------------------------------------------
def _expected_and_variance(drift: Drift, windows: np.ndarray):
    share = new_concept_share(drift, windows)
    return share.sum(axis=1), (share * (1 - share)).sum(axis=1)


def _window_counts(concepts: np.ndarray, target: int, width: int) -> np.ndarray:
    """Samples from concept ``target`` per window of ``width``, summed over the rows (runs)."""
    runs, n = concepts.shape
    return (concepts == target).reshape(runs, n // width, width).sum(axis=(0, 2))


def _agrees(observed, expected, variance, runs, sigmas=4.5) -> bool:
    return bool(np.all(np.abs(observed - runs * expected)
                       <= sigmas * np.sqrt(runs * variance) + 0.5))


@pytest.mark.slow
def test_moa_shape_share_per_window_follows_the_formula():
    """The stream's `concept` column: the share of the new concept per 100-sample window over
    40 seeds is MOA's 1 / (1 + exp(-4 (t - p) / w)), t = i + 1, within binomial noise; the span
    reading of the same numbers is centred 250 samples late and is refused by the same check."""
    n, p, w, runs, win = 6000, 3000, 500, 40, 100
    drift = Drift(p, w, {"variant": 2}, "moa")
    concepts = np.stack([make_stream(StreamSpec("sea", n, {}, (drift,)), seed).concept
                         for seed in range(runs)])
    observed = _window_counts(concepts, 1, win)
    windows = np.arange(n).reshape(-1, win)
    expected, variance = _expected_and_variance(drift, windows)
    assert _agrees(observed, expected, variance, runs)
    # untruncated: new samples before the band [2499, 3499) and old ones after it
    assert observed[:24].sum() > 0 and observed[35:].sum() < runs * (n - 3500)
    span_expected, span_variance = _expected_and_variance(Drift(p, w), windows)
    assert not _agrees(observed, span_expected, span_variance, runs)
    # the band validation uses: 1.8 % at `start`, 50 % at the p-th sample, 98.2 % at `end`
    share = new_concept_share(drift, np.array([drift.start, p - 1, drift.end]))
    assert share.round(3).tolist() == [0.018, 0.5, 0.982]


def test_span_shape_share_follows_its_formula_and_stays_in_its_span():
    n, at, width, runs, win = 4000, 1500, 1000, 40, 100
    drift = Drift(at, width, {"variant": 2})
    concepts = np.stack([assign_concepts(n, [drift], [1], np.random.default_rng(seed))
                         for seed in range(runs)])
    observed = _window_counts(concepts, 1, win)
    expected, variance = _expected_and_variance(drift, np.arange(n).reshape(-1, win))
    assert _agrees(observed, expected, variance, runs)
    assert (concepts[:, :at] == 0).all() and (concepts[:, at + width:] == 1).all()


def test_span_is_moa_with_half_the_width_centred_half_a_sample_later_inside_the_span():
    """The relation the docs state: span(at, width) = moa(at + (width + 1) / 2, width / 2)
    inside [at, at + width), cut to 0 before and 1 after."""
    at, width = 2000, 999
    i = np.arange(0, 5000)
    span = new_concept_share(Drift(at, width), i)
    moa = new_concept_share(Drift(at + (width + 1) / 2, width / 2, {}, "moa"), i)
    inside = (i >= at) & (i < at + width)
    assert np.allclose(span[inside], moa[inside], rtol=0, atol=1e-12)
    assert (span[i < at] == 0).all() and (span[i >= at + width] == 1).all()
    assert moa[at - 1] > 0.015 and moa[at + width] < 0.985


class _Indicator:
    """A river dataset whose every sample says which stream it came from."""

    def __new__(cls, label: int):
        from river import datasets

        class Indicator(datasets.base.SyntheticDataset):
            def __init__(self):
                super().__init__(task=datasets.base.BINARY_CLF, n_features=1, n_classes=2)

            def __iter__(self):
                while True:
                    yield {"from": label}, label

        return Indicator()


def test_moa_shape_matches_rivers_concept_drift_stream():
    """river's ConceptDriftStream with the same position and width (where it does not
    overflow: 4 (p - 1) / w stays far below 709) serves the new stream in the same share per
    window as our `concept` column, within a two-sample binomial tolerance over 40 runs each."""
    from river.datasets import synth

    n, p, w, runs, win = 4000, 2000, 400, 40, 100
    theirs = np.array([[y for _, y in synth.ConceptDriftStream(
        _Indicator(0), _Indicator(1), position=p, width=w, seed=seed).take(n)]
        for seed in range(runs)])
    drift = Drift(p, w, {"variant": 1}, "moa")
    ours = np.stack([make_stream(StreamSpec("sea", n, {}, (drift,)), 100 + seed).concept
                     for seed in range(runs)])
    windows = np.arange(n).reshape(-1, win)
    expected, variance = _expected_and_variance(drift, windows)
    river_counts, our_counts = _window_counts(theirs, 1, win), _window_counts(ours, 1, win)
    assert _agrees(river_counts, expected, variance, runs)  # river follows the formula we cite
    assert np.all(np.abs(river_counts - our_counts) <= 4.5 * np.sqrt(2 * runs * variance) + 1)
    # the span reading of "at 2000, width 400" is what river does not do
    span_expected, span_variance = _expected_and_variance(Drift(p, w), windows)
    assert not _agrees(river_counts, span_expected, span_variance, runs)


def test_moa_drifts_compose_like_nested_streams():
    """A later drift wins where it takes a sample; an earlier moa drift's tail reaches past its
    band: P(concept 2) = P2, P(concept 1) = (1 - P2) P1, P(concept 0) = (1 - P2)(1 - P1)."""
    n, runs = 3000, 400
    d1, d2 = Drift(1000, 200, {}, "moa"), Drift(1500, 200, {}, "moa")
    concepts = np.stack([assign_concepts(n, [d1, d2], [1, 2], np.random.default_rng(s))
                         for s in range(runs)])
    i = np.arange(n)
    p1, p2 = new_concept_share(d1, i), new_concept_share(d2, i)
    for target, prob in ((2, p2), (1, (1 - p2) * p1), (0, (1 - p2) * (1 - p1))):
        observed = (concepts == target).mean(axis=0)
        assert np.all(np.abs(observed - prob) <= 4.5 * np.sqrt(prob * (1 - prob) / runs) + 0.01)


# -- validation, normalised config and schema ---------------------------------------------------
def _stream(drifts, n=10_000, source="sea"):
    return {"source": source, "n_samples": n, "drifts": drifts}


def test_moa_shape_is_parsed_kept_in_the_normalised_config_and_given_a_band():
    from lab.validate import parse_experiment

    cfg = {"stream": _stream([{"at": 5000, "width": 1000, "shape": "moa", "to": {"variant": 1}},
                              {"at": 7000, "width": 0, "to": {"variant": 2}}]),
           "contenders": [{"model": "sk.gaussian_nb", "policy": {"kind": "frozen"}}]}
    exp = parse_experiment(cfg)
    moa, sudden = exp.stream.drifts
    assert (moa.shape, moa.start, moa.end) == ("moa", 3999, 5999)
    assert (sudden.shape, sudden.start, sudden.end) == ("span", 7000, 7000)
    drifts = exp.to_dict()["stream"]["drifts"]
    assert drifts[0]["shape"] == "moa" and "shape" not in drifts[1]  # old configs unchanged
    assert parse_experiment(exp.to_dict()).stream.drifts == exp.stream.drifts


@pytest.mark.parametrize("drifts,where,words", [
    ([{"at": 5000, "width": 0, "shape": "moa"}], r"stream.drifts\[0\].width",
     "at least 1"),
    ([{"at": 5000, "shape": "moa"}], r"stream.drifts\[0\].width", "MOA's w"),
    ([{"at": 500, "width": 1000, "shape": "moa"}], r"stream.drifts\[0\].at",
     "outside the stream"),
    ([{"at": 9500, "width": 1000, "shape": "moa"}], r"stream.drifts\[0\].at",
     "outside the stream"),
    ([{"at": 3000, "width": 1000}, {"at": 4500, "width": 1000, "shape": "moa"}],
     r"stream.drifts\[1\].at", "before drift 0 ends at 4000"),
    ([{"at": 3000, "width": 500, "shape": "sigmoid"}], r"stream.drifts\[0\].shape",
     "unknown shape"),
])
def test_moa_shape_is_validated_with_one_line_errors(drifts, where, words):
    with pytest.raises(ConfigError, match=where) as info:
        parse_stream(_stream(drifts))
    message = str(info.value)
    assert words in message and "Fix:" in message and "\n" not in message


def test_moa_band_may_touch_the_stream_ends_and_its_neighbours():
    spec = parse_stream(_stream([{"at": 1001, "width": 1000, "shape": "moa"},
                                 {"at": 2000, "width": 0, "to": {"variant": 1}},
                                 {"at": 9001, "width": 1000, "shape": "moa"}]))
    assert [d.start for d in spec.drifts] == [0, 2000, 8000]
    assert [d.end for d in spec.drifts] == [2000, 2000, 10_000]


def test_real_data_markers_have_no_shape():
    with pytest.raises(ConfigError, match=r"stream.drifts\[0\].shape.*no shape"):
        parse_stream({"source": "dataset:elec", "n_samples": 5000,
                      "drifts": [{"at": 2000, "width": 500, "shape": "moa"}]})


def test_schema_command_shows_the_shape(capsys):
    assert main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    drift = schema["properties"]["stream"]["properties"]["drifts"]["items"]["properties"]
    assert drift["shape"]["enum"] == ["span", "moa"] and drift["shape"]["default"] == "span"
    assert "1 / (1 + exp(-4 (t - p) / w))" in drift["shape"]["description"]
    assert "span(at, width) = moa(at + (width + 1) / 2, width / 2)" in drift["shape"]["description"]


def test_the_app_state_keeps_a_loaded_drift_shape():
    """The app has no widget for `shape`: a loaded moa drift must come back as moa, not turn
    silently into a span drift."""
    from lab.validate import parse_experiment
    from ui.state import config_from_state, state_from_config

    cfg = parse_experiment({
        "stream": _stream([{"at": 3000, "width": 500, "to": {"variant": 1}},
                           {"at": 6000, "width": 1000, "shape": "moa", "to": {"variant": 2}}]),
        "contenders": [{"model": "sk.gaussian_nb", "policy": {"kind": "frozen"}}]}).to_dict()
    back = parse_experiment(config_from_state(state_from_config(cfg))).to_dict()
    assert back["stream"]["drifts"] == cfg["stream"]["drifts"]
    assert [d.get("shape", "span") for d in back["stream"]["drifts"]] == ["span", "moa"]
