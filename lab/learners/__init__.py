"""Learners: the model registry and the one interface policies speak to, in two flavours.

* :mod:`lab.learners.registry`: model names -> scikit-learn estimators and river learners
  (:data:`MODELS`, :class:`ModelInfo`, :data:`BASELINE_MODELS`).
* :mod:`lab.learners.params`: limits of the models' parameters (:func:`check_model_params`,
  :func:`model_param_rules`).
* :mod:`lab.learners.base`: the :class:`Learner` interface (an ABC);
  :mod:`lab.learners.sklearn_learner` and :mod:`lab.learners.river_learner` its two flavours.
  :func:`make_learner` picks the flavour from the registry's ``library``.

>>> learner = make_learner("sk.decision_tree", {}, seed=0, classes=[0, 1])
>>> learner.info.incremental, learner.info.library, type(learner).__name__
(False, 'sklearn', 'SklearnLearner')
>>> type(make_learner("baseline.no_change", {}, seed=0, classes=[0, 1])).__name__
'RiverLearner'
"""

from __future__ import annotations

import numpy as np

from lab.learners.base import ActiveBudget, Learner, cpu_clock, wall_clock
from lab.learners.params import (
    MAX_BOOSTING_ITER,
    MAX_DEPTH,
    MAX_ESTIMATORS,
    MAX_ITER,
    MAX_JOBS,
    MAX_LEAF_NODES,
    MAX_NEIGHBORS,
    MAX_RIVER_MODELS,
    MAX_SEED,
    check_model_params,
    model_param_rules,
)
from lab.learners.registry import BASELINE_MODELS, MODELS, ModelInfo, model_class
from lab.learners.river_learner import RiverLearner
from lab.learners.sklearn_learner import SklearnLearner

FLAVOURS: dict[str, type[Learner]] = {"sklearn": SklearnLearner, "river": RiverLearner}
"""The :class:`Learner` flavour of each ``ModelInfo.library``."""


def learner_for(info: ModelInfo, params: dict, seed: int, classes) -> Learner:
    """The :class:`Learner` of the flavour ``info.library`` names, for a model described by
    ``info`` (a registry entry, or a stand-in a test builds)."""
    return FLAVOURS[info.library](info, params, seed, np.asarray(classes))


def make_learner(name: str, params: dict, seed: int, classes) -> Learner:
    """The :class:`Learner` for registry entry ``name`` (see :data:`MODELS`)."""
    return learner_for(MODELS[name], params, seed, classes)


__all__ = [
    "ActiveBudget", "BASELINE_MODELS", "FLAVOURS", "MAX_BOOSTING_ITER", "MAX_DEPTH",
    "MAX_ESTIMATORS", "MAX_ITER",
    "MAX_JOBS", "MAX_LEAF_NODES", "MAX_NEIGHBORS", "MAX_RIVER_MODELS", "MAX_SEED", "MODELS",
    "Learner", "ModelInfo", "RiverLearner", "SklearnLearner", "check_model_params", "cpu_clock",
    "learner_for", "make_learner", "model_class", "model_param_rules", "wall_clock",
]
