"""``lab.learners.river_trees``: river's Hoeffding tree and adaptive random forest with fewer
Python calls give river's bits — every probability equals river's own model's, sample by
sample, for the three leaf kinds, on streams that grow trees several levels deep, with sample
weights, missing features (river's most-common-path routing), a nominal feature (multiway
branches that meet unseen categories), for the adaptive tree across its subtree swaps and for
the forest across its drift resets."""

from __future__ import annotations

import numpy as np
import pytest
from river import forest, tree

from lab.learners import make_learner
from lab.learners.river_trees import (
    ARFClassifier,
    HoeffdingAdaptiveTreeClassifier,
    HoeffdingTreeClassifier,
)


def _samples(seed: int, n: int, *, classes: int = 3, missing: bool = False,
             nominal: bool = False, weights: bool = False, integers: bool = False):
    """A stream whose concept turns half-way, so that the tree keeps splitting."""
    rng = np.random.default_rng(seed)
    for i in range(n):
        a, b, c = rng.normal(size=3)
        if integers:  # whole numbers 0..11: river's split points (min + k * (max - min) / 11)
            a, b, c = (rng.integers(0, 12, size=3) - 5.5) / 3  # are values the samples take
        turn = i >= n // 2
        score = (b if turn else a) + 0.5 * c
        y = int(np.digitize(score, np.linspace(-0.8, 0.8, classes - 1)))
        x = {"a": float(a), "b": float(b), "c": float(c)}
        if integers:
            x = {name: value * 3 + 5.5 for name, value in x.items()}
        if missing and rng.random() < 0.1:
            del x[["a", "b", "c"][int(rng.integers(3))]]
        if nominal:
            # a category that says something about the class, and new categories late on
            top = 4 if i < n * 0.7 else 7
            x["colour"] = f"k{(y + int(rng.integers(2))) % top}"
        yield x, y, (float(rng.uniform(0.2, 3.0)) if weights else 1.0)


CASES = {
    "naive Bayes adaptive": ({}, {}),
    "naive Bayes": ({"leaf_prediction": "nb", "nb_threshold": 20}, {}),
    "majority class": ({"leaf_prediction": "mc"}, {}),
    "sample weights": ({}, {"weights": True}),
    "missing features": ({"delta": 1e-3}, {"missing": True}),
    "nominal feature, multiway": ({"nominal_attributes": ["colour"]}, {"nominal": True}),
    "nominal feature, binary": ({"nominal_attributes": ["colour"], "binary_split": True,
                                 "delta": 1e-3},
                                {"nominal": True, "missing": True}),
    "integer-valued features": ({"delta": 1e-4}, {"integers": True}),
    "memory limit (leaves deactivated)": ({"max_size": 0.06, "memory_estimate_period": 100},
                                          {}),
    "two classes, gini, shallow": ({"split_criterion": "gini", "max_depth": 3, "delta": 1e-3},
                                   {"classes": 2}),
}


@pytest.mark.parametrize("case", list(CASES))
def test_probabilities_equal_rivers_own_tree_sample_by_sample(case):
    params, stream = CASES[case]
    fast = HoeffdingTreeClassifier(grace_period=40, **params)
    river_own = tree.HoeffdingTreeClassifier(grace_period=40, **params)
    for x, y, w in _samples(7, 2500, **stream):
        assert fast.predict_proba_one(x) == river_own.predict_proba_one(x)
        fast.learn_one(x, y, w=w)
        river_own.learn_one(x, y, w=w)
    assert (fast.height, fast.n_nodes) == (river_own.height, river_own.n_nodes)
    assert fast.height >= 3  # a tree worth checking: samples routed through two branches


def test_votes_and_routes_kept_from_a_prediction_are_not_reused_once_stale():
    """A leaf keeps the naive Bayes vote, and the tree the route, of the features it last
    predicted. Neither may be reused when the caller changes the features in place before
    ``learn_one``, nor when the same features are predicted again after they were learned
    (the leaf's counts changed, or the leaf split)."""
    fast = HoeffdingTreeClassifier(grace_period=10, delta=1e-3)
    river_own = tree.HoeffdingTreeClassifier(grace_period=10, delta=1e-3)
    rng = np.random.default_rng(0)
    for k, (x, y, _) in enumerate(_samples(3, 1500, classes=2)):
        assert fast.predict_proba_one(x) == river_own.predict_proba_one(x)
        if k % 3 == 0:  # the same dict, new values: another leaf, another vote
            x.update(a=float(rng.normal()), b=float(rng.normal()), c=float(rng.normal()))
        for _ in range(2):  # learned, then predicted again: twice
            fast.learn_one(x, y)
            river_own.learn_one(x, y)
            assert fast.predict_proba_one(x) == river_own.predict_proba_one(x)
        assert _scores(fast) == _scores(river_own)
    assert fast.n_leaves == river_own.n_leaves >= 5


def test_the_leaves_are_listed_in_rivers_order():
    """river's memory limit deactivates the least promising leaves, sorted stably from the
    left-most: the lab's loop lists them in river's order."""
    model = HoeffdingTreeClassifier(grace_period=20, delta=1e-3)
    for x, y, _ in _samples(2, 1500):
        model.learn_one(x, y)
    assert model.n_leaves >= 5
    assert model._find_leaves() == list(model._root.iter_leaves())


def _scores(model) -> list[tuple[float, float]]:
    """Each leaf's weight of samples its majority class / its naive Bayes got right."""
    root = model._root
    leaves = [root] if root is None or not hasattr(root, "iter_leaves") else root.iter_leaves()
    return [(leaf._mc_correct_weight, leaf._nb_correct_weight) for leaf in leaves
            if leaf is not None]


def test_the_registry_builds_it_and_it_clones_as_itself():
    model = make_learner("river.hoeffding_tree", {"grace_period": 100}, 1, [0, 1]).new()
    assert isinstance(model, HoeffdingTreeClassifier)
    assert isinstance(model, tree.HoeffdingTreeClassifier)
    assert type(model.clone()) is HoeffdingTreeClassifier and model.grace_period == 100


@pytest.mark.parametrize("leaf_prediction", ["nba", "mc"])
def test_the_forest_equals_rivers_own_forest_sample_by_sample_across_drift_resets(
        leaf_prediction):
    params = {"n_models": 2, "seed": 5, "grace_period": 40, "leaf_prediction": leaf_prediction}
    fast, river_own = ARFClassifier(**params), forest.ARFClassifier(**params)
    for x, y, _ in _samples(11, 2000):
        assert fast.predict_proba_one(x) == river_own.predict_proba_one(x)
        fast.learn_one(x, y)
        river_own.learn_one(x, y)
    assert fast.n_drifts_detected() == river_own.n_drifts_detected() > 0  # trees were reset
    assert [m.n_nodes for m in fast] == [m.n_nodes for m in river_own]


def test_the_registry_builds_the_forest_and_it_clones_as_itself():
    model = make_learner("river.adaptive_random_forest", {"n_models": 2}, 1, [0, 1]).new()
    assert isinstance(model, ARFClassifier) and isinstance(model, forest.ARFClassifier)
    assert type(model.clone()) is ARFClassifier and model.n_models == 2


@pytest.mark.parametrize("leaf_prediction", ["nba", "nb", "mc"])
def test_the_adaptive_tree_equals_rivers_own_sample_by_sample_across_subtree_swaps(
        leaf_prediction):
    params = {"seed": 3, "grace_period": 40, "leaf_prediction": leaf_prediction}
    fast = HoeffdingAdaptiveTreeClassifier(**params)
    river_own = tree.HoeffdingAdaptiveTreeClassifier(**params)
    for x, y, _ in _samples(13, 2500):
        assert fast.predict_proba_one(x) == river_own.predict_proba_one(x)
        fast.learn_one(x, y)
        river_own.learn_one(x, y)
    assert (fast.n_nodes, fast.n_switch_alternate_trees) == (
        river_own.n_nodes, river_own.n_switch_alternate_trees)
    assert river_own.n_alternate_trees > 0  # the concept turned and alternates grew


def test_the_registry_builds_the_adaptive_tree_and_an_empty_leaf_votes_as_rivers():
    model = make_learner("river.hoeffding_adaptive_tree", {}, 1, [0, 1]).new()
    assert isinstance(model, HoeffdingAdaptiveTreeClassifier)
    assert type(model.clone()) is HoeffdingAdaptiveTreeClassifier
    river_own = tree.HoeffdingAdaptiveTreeClassifier()
    x = {"a": 1.0}
    assert model._new_leaf().prediction(x, tree=model) is None
    assert river_own._new_leaf().prediction(x, tree=river_own) is None
