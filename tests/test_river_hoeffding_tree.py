"""``lab.learners.river_hoeffding_tree``: river's Hoeffding tree with fewer Python calls gives
river's bits — every probability equals river's own tree's, sample by sample, for the three
leaf kinds, on streams that grow trees several levels deep, with sample weights, missing
features (river's most-common-path routing) and a nominal feature (multiway branches that meet
unseen categories)."""

from __future__ import annotations

import numpy as np
import pytest
from river import tree

from lab.learners import make_learner
from lab.learners.river_hoeffding_tree import HoeffdingTreeClassifier


def _samples(seed: int, n: int, *, classes: int = 3, missing: bool = False,
             nominal: bool = False, weights: bool = False):
    """A stream whose concept turns half-way, so that the tree keeps splitting."""
    rng = np.random.default_rng(seed)
    for i in range(n):
        a, b, c = rng.normal(size=3)
        turn = i >= n // 2
        score = (b if turn else a) + 0.5 * c
        y = int(np.digitize(score, np.linspace(-0.8, 0.8, classes - 1)))
        x = {"a": float(a), "b": float(b), "c": float(c)}
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


def test_a_vote_kept_from_prediction_is_not_reused_for_changed_features_or_counts():
    """The naive-Bayes-adaptive leaf reuses the vote of the sample it just predicted: a
    caller that changes the features in place before ``learn_one`` must still get river's
    learning, and the same features predicted again after the leaf learned get a new vote."""
    fast, river_own = HoeffdingTreeClassifier(grace_period=40), tree.HoeffdingTreeClassifier(
        grace_period=40)
    for k, (x, y, _) in enumerate(_samples(3, 2000, classes=2)):
        fast.predict_proba_one(x)
        river_own.predict_proba_one(x)
        if k % 3 == 0:
            x["a"] = -x["a"]  # the same dict, other values
        fast.learn_one(x, y)
        river_own.learn_one(x, y)
        probe = {"a": 0.3, "b": -0.2, "c": 0.1}
        assert fast.predict_proba_one(probe) == river_own.predict_proba_one(probe)
        assert _scores(fast) == _scores(river_own)
    for x, y, _ in _samples(4, 600, classes=2):  # each sample learned twice in a row
        for _ in range(2):
            assert fast.predict_proba_one(x) == river_own.predict_proba_one(x)
            fast.learn_one(x, y)
            river_own.learn_one(x, y)


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
