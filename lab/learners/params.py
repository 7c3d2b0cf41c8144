"""Limits of the models' parameters, checked by ``validate`` before any model is built.

Hard caps on the parameters that drive a model's cost (trees, iterations, neighbours) keep a
shared link from asking for a forest of 10^9 trees; the libraries' own checks (scikit-learn's
``_parameter_constraints``, river's constructors) catch the rest, and any refusal becomes one
:class:`lab.spec.errors.ConfigError` naming the parameter's path.
"""

from __future__ import annotations

import inspect
import re
import warnings
from dataclasses import replace
from typing import Any

from lab.learners.registry import MODELS, model_class
from lab.spec.checks import Field, check_param, describe
from lab.spec.errors import ConfigError, shorten
from lab.spec.experiment import MAX_SAMPLES

# Hard caps on the parameters that drive a model's cost (trees, iterations, neighbours): a
# shared link must not be able to ask for a forest of 10^9 trees. The libraries check the rest
# (scikit-learn's `_parameter_constraints`, river's constructors), see `check_model_params`.
MAX_ESTIMATORS = 500  # trees of a scikit-learn random forest
MAX_RIVER_MODELS = 100  # trees of a river adaptive random forest (each learns every sample)
MAX_DEPTH = 64
MAX_ITER = 10_000  # solver / SGD epochs
MAX_BOOSTING_ITER = 1000  # boosting rounds of HistGradientBoosting (trees per class)
MAX_LEAF_NODES = 100_000
MAX_NEIGHBORS = 200
MAX_JOBS = 8  # threads of one fit; -1 ("every core") is refused on a shared server
MAX_SEED = 2**32 - 1

_SEED = Field("int", None, "seed of the model's randomness; leave it out to use the "
                           "experiment's seed", 0, MAX_SEED,
              fix="leave it out (the experiment's seed is used) or give a whole number from 0 "
                  "to 4294967295")
_DEPTH = Field("int", None, "deepest tree level (null: no limit)", 1, MAX_DEPTH, nullable=True,
               fix=f"use null (no limit) or a depth from 1 to {MAX_DEPTH}")
_JOBS = Field("int", None, "threads of one fit (null: one)", 1, MAX_JOBS, nullable=True,
              fix=f"use null or 1 to {MAX_JOBS} threads (-1, every core, is not allowed)")


def _count(lo, hi, doc, default=None, nullable=False):
    return Field("int", default, doc, lo, hi, nullable=nullable,
                 fix=f"use {'null or ' if nullable else ''}a whole number from {lo:,} to {hi:,}")


def _share(doc, default=None, exclusive=False, hi=1.0):
    return Field("number", default, doc, 0.0, hi, exclusive_minimum=exclusive,
                 fix=f"use a number {'above 0 and' if exclusive else 'from 0'} up to {hi:g}")


_SKLEARN_RULES: dict[str, dict[str, Field]] = {
    "sk.logistic_regression": {
        "max_iter": _count(1, MAX_ITER, "solver iterations"), "n_jobs": _JOBS},
    "sk.gaussian_nb": {},
    "sk.decision_tree": {
        "max_depth": _DEPTH,
        "max_leaf_nodes": _count(2, MAX_LEAF_NODES, "most leaves (null: no limit)",
                                 nullable=True)},
    "sk.random_forest": {
        "n_estimators": _count(1, MAX_ESTIMATORS, "number of trees"), "max_depth": _DEPTH,
        "max_leaf_nodes": _count(2, MAX_LEAF_NODES, "most leaves per tree (null: no limit)",
                                 nullable=True),
        "n_jobs": _JOBS},
    "sk.hist_gradient_boosting": {
        "max_iter": _count(1, MAX_BOOSTING_ITER, "boosting rounds"), "max_depth": _DEPTH,
        "max_leaf_nodes": _count(2, MAX_LEAF_NODES, "most leaves per tree", nullable=True)},
    "sk.sgd": {"max_iter": _count(1, MAX_ITER, "passes over the data of one fit"),
               "n_jobs": _JOBS},
}

# river checks few parameters (a wrong `leaf_prediction` only prints a warning, a string `lr`
# fails at the first update), so every river parameter has a rule here.
_NO_OBJECT = Field("null", None, "a river object; JSON cannot describe one")
_RIVER_TREE_RULES: dict[str, Field] = {
    "grace_period": _count(1, MAX_SAMPLES, "samples a leaf sees between split attempts"),
    "max_depth": _DEPTH,
    "split_criterion": Field("string", "info_gain", "split criterion",
                             enum=("gini", "info_gain", "hellinger")),
    "delta": _share("allowed error of a split decision", exclusive=True),
    "tau": _share("threshold below which a split is forced to break ties"),
    "leaf_prediction": Field("string", "nba", "leaf prediction: majority class, naive Bayes or "
                                              "naive Bayes adaptive", enum=("mc", "nb", "nba")),
    "nb_threshold": _count(0, MAX_SAMPLES, "samples a leaf sees before naive Bayes is used"),
    "nominal_attributes": _NO_OBJECT,
    "splitter": _NO_OBJECT,
    "binary_split": Field("boolean", False, "only binary splits"),
    "min_branch_fraction": _share("smallest share of samples in a branch"),
    "max_share_to_split": _share("largest share of the majority class for a split"),
    "max_size": Field("number", 100.0, "largest tree size, MiB", 0.0, 4096.0,
                      exclusive_minimum=True, fix="use a size in MiB above 0 and up to 4096"),
    "memory_estimate_period": _count(1, MAX_SAMPLES, "samples between memory checks"),
    "stop_mem_management": Field("boolean", False, "stop growing at max_size"),
    "remove_poor_attrs": Field("boolean", False, "disable poor attributes"),
    "merit_preprune": Field("boolean", True, "pre-prune by merit"),
}
_RIVER_RULES: dict[str, dict[str, Field]] = {
    "river.logistic_regression": {
        "lr": Field("number", 0.01, "learning rate of plain SGD", 0.0, 100.0,
                    exclusive_minimum=True, fix="use a positive learning rate up to 100, "
                                                "e.g. 0.01"),
        "optimizer": Field("null", None, "a river optimizer; use `lr` for plain SGD",
                           fix="leave it out and set `lr` for plain SGD"),
        "loss": _NO_OBJECT, "initializer": _NO_OBJECT,
        "l2": Field("number", 0.0, "L2 penalty", 0.0, 1e6, fix="use 0 or a positive penalty"),
        "l1": Field("number", 0.0, "L1 penalty", 0.0, 1e6, fix="use 0 or a positive penalty"),
        "intercept_init": Field("number", 0.0, "initial intercept", -1e6, 1e6),
        "intercept_lr": Field("number", 0.01, "learning rate of the intercept", 0.0, 100.0,
                              fix="use 0 (fixed intercept) or a positive rate up to 100"),
        "clip_gradient": Field("number", 1e12, "gradient clipping bound", 0.0, 1e300,
                               exclusive_minimum=True, fix="use a positive bound"),
    },
    "river.gaussian_nb": {},
    "river.hoeffding_tree": dict(_RIVER_TREE_RULES),
    "river.hoeffding_adaptive_tree": {
        **_RIVER_TREE_RULES,
        "bootstrap_sampling": Field("boolean", True, "bootstrap the alternate trees"),
        "drift_window_threshold": _count(1, MAX_SAMPLES, "samples before an alternate tree "
                                                         "may replace a subtree"),
        "drift_detector": _NO_OBJECT,
        "switch_significance": _share("significance of a subtree switch", exclusive=True),
        "seed": _SEED,
    },
    "river.adaptive_random_forest": {
        **_RIVER_TREE_RULES,
        "n_models": _count(1, MAX_RIVER_MODELS, "number of trees"),
        "max_features": Field("scalar", "sqrt", "features per split: \"sqrt\", \"log2\", a "
                                                "count, a share in (0, 1] or null (all)"),
        "lambda_value": Field("number", 6, "mean of the Poisson online bagging weight", 0.0, 50.0,
                              fix="use a number from 0 to 50, e.g. 6"),
        "metric": _NO_OBJECT, "drift_detector": _NO_OBJECT, "warning_detector": _NO_OBJECT,
        "disable_weighted_vote": Field("boolean", False, "plain majority vote"),
        "seed": _SEED,
    },
    "baseline.no_change": {},  # no parameters
    "baseline.majority": {},
    "river.knn": {
        "n_neighbors": _count(1, MAX_NEIGHBORS, "neighbours that vote"),
        "engine": Field("null", None, "a river search engine",
                        fix="leave it out: the default keeps a window of 1,000 samples"),
        "weighted": Field("boolean", True, "weight votes by distance"),
        "cleanup_every": _count(0, MAX_SAMPLES, "samples between clean-ups (0: never)"),
        "softmax": Field("boolean", False, "softmax of the vote"),
    },
}


def model_param_rules(name: str) -> dict[str, Field]:
    """The :class:`lab.spec.checks.Field` of every limited parameter of model ``name``.

    scikit-learn models: the cost-driving caps plus ``random_state``; scikit-learn's own
    ``_parameter_constraints`` checks the rest. river models: every parameter.
    """
    info = MODELS[name]
    if info.library == "sklearn":
        rules = dict(_SKLEARN_RULES[name])
        if "random_state" in info.param_names:
            rules["random_state"] = _SEED
    else:
        rules = dict(_RIVER_RULES[name])
    # the schema shows the library's own defaults (seeds excepted: the experiment's is used)
    cls = model_class(name)
    signature = inspect.signature(cls).parameters
    for key, rule in rules.items():
        if key in signature and key not in ("random_state", "seed"):
            default = signature[key].default
            if default is None or isinstance(default, (bool, int, float, str)):
                rules[key] = replace(rule, default=default)
    return rules


def _check_max_features(value: Any, path: str) -> None:
    ok = (value is None or value in ("sqrt", "log2")
          or (isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 10**6)
          or (isinstance(value, float) and 0 < value <= 1))
    if not ok:
        raise ConfigError(path, f"must be \"sqrt\", \"log2\", a count >= 1, a share in "
                                f"(0, 1] or null, got {describe(value)}",
                          "use e.g. \"sqrt\" (the default)")


_SKLEARN_MESSAGE = re.compile(r"The '(\w+)' parameter of \w+ (must be .*?)\. Got .*", re.DOTALL)


def check_model_params(name: str, params: dict, path: str) -> dict:
    """Check model ``name``'s ``params`` without fitting anything; return them cleaned.

    First the caps of :func:`model_param_rules` (so nothing is built with a huge value), then
    the library's own check: scikit-learn builds the estimator and runs its
    ``_validate_params`` (``_parameter_constraints``); river builds the learner, whose
    constructor raises on some values. Any refusal is one :class:`ConfigError` naming
    ``path.KEY``.

    >>> check_model_params("sk.decision_tree", {"max_depth": -3}, "model.params")
    Traceback (most recent call last):
    ...
    lab.spec.errors.ConfigError: model.params.max_depth: must be an integer >= 1 and <= 64 or null,
    got -3. Fix: use null (no limit) or a depth from 1 to 64
    """
    if not params:
        return {}
    info = MODELS[name]
    rules = model_param_rules(name)
    clean = {}
    for key, value in params.items():
        where = f"{path}.{key}"
        if key in rules:
            clean[key] = check_param(rules[key], value, where)
            if name == "river.adaptive_random_forest" and key == "max_features":
                _check_max_features(value, where)
        else:
            clean[key] = value
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            model = info.build(clean, 0, 2)
            if info.library == "sklearn":
                model._validate_params()
    except (TypeError, ValueError, OverflowError) as exc:
        text = str(exc)
        match = _SKLEARN_MESSAGE.match(text)
        if match and match.group(1) in clean:
            key = match.group(1)
            raise ConfigError(f"{path}.{key}", f"{match.group(2)}, got "
                                               f"{describe(clean[key])}",
                              "see the scikit-learn documentation of this parameter") from None
        raise ConfigError(path, f"{name} rejects these parameters ({shorten(text, 160)})",
                          "check the names and values against the library's documentation"
                          ) from None
    return clean
