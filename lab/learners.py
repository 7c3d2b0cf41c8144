"""Registry of model names -> scikit-learn estimators and river learners, behind one small
interface.

Why a registry: configs, URLs and the app name models by short stable strings (``sk.decision_tree``,
``river.hoeffding_tree``); the registry turns a name plus ``params`` into a library object with the
library's own defaults, and tells the policies what the model can do (learn incrementally, learn a
mini-batch at once, take sample weights).

Why an adapter (:class:`Learner`): scikit-learn predicts on numpy chunks and refits from scratch,
river predicts and learns one ``dict`` at a time. Policies speak only to :class:`Learner`, so a
policy works with any model whose capabilities it needs; the config check refuses the rest.

Seeds: every estimator or learner that takes a ``random_state`` / ``seed`` gets the experiment's
seed unless ``params`` sets it, so a run is reproducible and a plain library loop with
``random_state=seed`` gives the same numbers.

>>> learner = make_learner("sk.decision_tree", {}, seed=0, classes=[0, 1])
>>> learner.info.incremental, learner.info.library
(False, 'sklearn')
"""

from __future__ import annotations

import importlib
import inspect
import re
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
from sklearn.dummy import DummyClassifier
from sklearn.exceptions import ConvergenceWarning

from lab.spec.checks import Field, check_param, describe
from lab.spec.errors import ConfigError, shorten
from lab.spec.experiment import MAX_SAMPLES


@dataclass(frozen=True)
class ModelInfo:
    """What the registry knows about one model name."""

    name: str
    library: str  # "sklearn" | "river" (the baselines are river learners too)
    description: str
    reference: str
    build: Callable[[dict, int, int], Any]  # (params, seed, n_classes) -> unfitted library object
    param_names: tuple[str, ...]
    incremental: bool  # can learn one sample / one mini-batch at a time
    learn_many: bool  # has a native mini-batch update (river learn_many, sklearn partial_fit)
    sample_weight: bool  # fit / learn_one accepts per-sample weights


def _sk(cls_path: str):
    module, _, cls = cls_path.rpartition(".")

    def klass():
        return getattr(__import__(module, fromlist=[cls]), cls)

    return klass


def _sk_build(klass):
    def build(params: dict, seed: int, n_classes: int):
        cls = klass()
        kwargs = dict(params)
        if "random_state" in inspect.signature(cls).parameters:
            kwargs.setdefault("random_state", seed)
        return cls(**kwargs)

    return build


def _river_build(factory, seeded: bool = False):
    def build(params: dict, seed: int, n_classes: int):
        kwargs = dict(params)
        if seeded:
            kwargs.setdefault("seed", seed)
        return factory(kwargs, n_classes)

    return build


def _river_logistic(kwargs: dict, n_classes: int):
    from river import linear_model, multiclass, optim, preprocessing

    kwargs = dict(kwargs)
    if "lr" in kwargs:  # a plain learning rate is what lessons and sweeps vary
        kwargs["optimizer"] = optim.SGD(kwargs.pop("lr"))
    classifier = linear_model.LogisticRegression(**kwargs)
    if n_classes > 2:  # river's LogisticRegression is binary; one-vs-rest makes it multiclass
        classifier = multiclass.OneVsRestClassifier(classifier)
    return preprocessing.StandardScaler() | classifier


def _river_simple(path: str):
    module, _, cls = path.rpartition(".")

    def factory(kwargs: dict, n_classes: int):
        return getattr(__import__(module, fromlist=[cls]), cls)(**kwargs)

    return factory


def _params_of(obj_or_cls, extra: tuple[str, ...] = ()) -> tuple[str, ...]:
    names = [p for p in inspect.signature(obj_or_cls).parameters if p not in ("self", "kwargs")]
    return tuple(sorted(set(names) | set(extra)))


def _import(path: str):
    module, _, name = path.rpartition(".")
    return getattr(importlib.import_module(module), name)


_PATHS: dict[str, str] = {}  # model name -> library class path


def _sk_entry(name, path, description, reference, incremental=False):
    _PATHS[name] = path
    def make() -> ModelInfo:
        return ModelInfo(
            name=name, library="sklearn", description=description, reference=reference,
            build=_sk_build(_sk(path)), param_names=_params_of(_import(path)),
            incremental=incremental, learn_many=incremental, sample_weight=True,
        )
    return name, description, make


def _river_entry(name, path, description, reference, factory=None, seeded=False, extra=()):
    _PATHS[name] = path
    def make() -> ModelInfo:
        cls = _import(path)
        return ModelInfo(
            name=name, library="river", description=description, reference=reference,
            build=_river_build(factory or _river_simple(path), seeded),
            param_names=_params_of(cls, extra), incremental=True,
            learn_many=hasattr(cls, "learn_many"),
            sample_weight="w" in inspect.signature(cls.learn_one).parameters,
        )
    return name, description, make


class _Registry(Mapping):
    """Model names -> :class:`ModelInfo`, each built on first use.

    Why lazy: building every entry imports scikit-learn's ensembles and trees and river's forests
    (~0.5 s of the CLI's start-up here); a race needs only its own models.
    """

    def __init__(self, entries):
        self._makers = {name: make for name, _, make in entries}
        self.descriptions = {name: description for name, description, _ in entries}
        self._built: dict[str, ModelInfo] = {}

    def __getitem__(self, name: str) -> ModelInfo:
        if name not in self._built:
            self._built[name] = self._makers[name]()
        return self._built[name]

    def __iter__(self):
        return iter(self._makers)

    def __len__(self) -> int:
        return len(self._makers)

    def __contains__(self, name) -> bool:
        return name in self._makers


MODELS: Mapping[str, ModelInfo] = _Registry([
    _sk_entry("sk.logistic_regression", "sklearn.linear_model.LogisticRegression",
              "Logistic regression (L2, lbfgs), refit from scratch on the selected rows.",
              "Hastie, Tibshirani & Friedman (2009), The Elements of Statistical Learning, 4.4."),
    _sk_entry("sk.gaussian_nb", "sklearn.naive_bayes.GaussianNB",
              "Gaussian naive Bayes: per-class feature means and variances.",
              "Chan, Golub & LeVeque (1982), updating formulae for sample variance."),
    _sk_entry("sk.decision_tree", "sklearn.tree.DecisionTreeClassifier",
              "CART decision tree grown to purity (library defaults).",
              "Breiman, Friedman, Olshen & Stone (1984), Classification and Regression Trees."),
    _sk_entry("sk.random_forest", "sklearn.ensemble.RandomForestClassifier",
              "Random forest of 100 CART trees on bootstrap samples.",
              "Breiman (2001), Random Forests, Machine Learning 45."),
    _sk_entry("sk.hist_gradient_boosting", "sklearn.ensemble.HistGradientBoostingClassifier",
              "Histogram gradient boosting (LightGBM-style) trees.",
              "Ke et al. (2017), LightGBM, NeurIPS."),
    _sk_entry("sk.sgd", "sklearn.linear_model.SGDClassifier",
              "Linear SVM trained by stochastic gradient descent; learns incrementally "
              "through partial_fit, or refits with fit.",
              "Bottou (2010), Large-scale machine learning with SGD, COMPSTAT.",
              incremental=True),
    _river_entry("river.logistic_regression", "river.linear_model.LogisticRegression",
                 "Online logistic regression (SGD) after a running StandardScaler; "
                 "one-vs-rest for more than two classes. Extra param `lr` sets SGD's rate.",
                 "Bottou (2010); river.linear_model.LogisticRegression.",
                 factory=_river_logistic, extra=("lr",)),
    _river_entry("river.gaussian_nb", "river.naive_bayes.GaussianNB",
                 "Online Gaussian naive Bayes with running means and variances.",
                 "Welford (1962); river.naive_bayes.GaussianNB."),
    _river_entry("river.hoeffding_tree", "river.tree.HoeffdingTreeClassifier",
                 "Hoeffding tree (VFDT): grows splits once the Hoeffding bound says enough "
                 "samples were seen.",
                 "Domingos & Hulten (2000), Mining high-speed data streams, KDD."),
    _river_entry("river.hoeffding_adaptive_tree", "river.tree.HoeffdingAdaptiveTreeClassifier",
                 "Hoeffding adaptive tree: ADWIN in each node swaps in alternate subtrees "
                 "after a drift.",
                 "Bifet & Gavalda (2009), Adaptive learning from evolving data streams, IDA.",
                 seeded=True),
    _river_entry("river.adaptive_random_forest", "river.forest.ARFClassifier",
                 "Adaptive random forest: online bagging of Hoeffding trees with per-tree "
                 "drift detectors.",
                 "Gomes et al. (2017), Adaptive random forests, Machine Learning 106.",
                 seeded=True),
    _river_entry("river.knn", "river.neighbors.KNNClassifier",
                 "k nearest neighbours over a sliding window of recent samples.",
                 "river.neighbors.KNNClassifier (lazy search over a window)."),
    _river_entry("baseline.no_change", "river.dummy.NoChangeClassifier",
                 "No-change baseline: predicts the last label it learned (river's "
                 "NoChangeClassifier; MOA's NoChange). With the online policy and no label "
                 "delay, the previous sample's label.",
                 "Zliobaite et al. (2015), Evaluation methods and decision theory for "
                 "classification of streaming data with temporal dependence, Machine Learning "
                 "98; river.dummy.NoChangeClassifier."),
    _river_entry("baseline.majority", "river.dummy.PriorClassifier",
                 "Majority baseline: predicts the most frequent label among those it learned "
                 "(river's PriorClassifier; ties go to the class it saw first).",
                 "Bifet et al. (2015), Efficient online evaluation of big data stream "
                 "classifiers, KDD; river.dummy.PriorClassifier."),
])
BASELINE_MODELS = ("baseline.no_change", "baseline.majority")
"""The reference models: ordinary registry entries (any incremental or batch policy takes
them), which ``evaluation.baselines`` also adds to a race as reference contenders.

Before it has learned a label, either one predicts nothing (river returns None), which the lab
scores as wrong (``lab.policies.base.NO_PREDICTION``); every policy learns at least the warm-up
(``evaluation.warmup >= 1``) before it is scored, so this never happens in a race. Under a batch
policy they are refit from scratch like any river learner: ``frozen`` makes the no-change model
predict the warm-up's last label for ever and the majority model the warm-up's majority class
(a "ZeroR" trained once), ``periodic`` refreshes that label at every retrain."""


# --------------------------------------------------------------------------------------------
# Parameter limits: checked by `validate` before any model is built
# --------------------------------------------------------------------------------------------
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
    cls = _import(_PATHS[name])
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


class Learner:
    """One contender's model factory plus the operations policies need.

    Model objects are plain library objects; the learner creates, fits, predicts and updates them,
    so a policy may hold several (the deployed one and one being retrained).
    """

    def __init__(self, info: ModelInfo, params: dict, seed: int, classes: np.ndarray):
        self.info = info
        self.params = dict(params)
        self.seed = seed
        self.classes = np.asarray(classes)
        self.is_river = info.library == "river"

    def new(self):
        """An untrained model with the configured parameters."""
        return self.info.build(self.params, self.seed, len(self.classes))

    # -- from-scratch fits -------------------------------------------------------------------
    def fit(self, stream, lo: int, hi: int, weights: np.ndarray | None = None):
        """Train a new model from scratch on samples ``[lo, hi)`` in arrival order."""
        if self.is_river:
            model = self.new()
            self.learn(model, stream, lo, hi, weights)
            return model
        X, y = stream.X[lo:hi], stream.y[lo:hi]
        if np.unique(y).size < 2:
            # scikit-learn cannot fit one class; a constant predictor is the honest fallback.
            return DummyClassifier(strategy="most_frequent").fit(X, y)
        model = self.new()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            if weights is None:
                model.fit(X, y)
            else:
                model.fit(X, y, sample_weight=weights)
        return model

    # -- incremental updates -----------------------------------------------------------------
    def learn(self, model, stream, lo: int, hi: int, weights: np.ndarray | None = None) -> None:
        """Learn samples ``[lo, hi)`` one by one, in order (river ``learn_one``).

        For scikit-learn's ``sk.sgd`` this is one ``partial_fit`` call over the rows, which is
        one SGD pass over them in order.
        """
        if hi <= lo:
            return
        if not self.is_river:
            self._partial_fit(model, stream, lo, hi, weights)
            return
        dicts = stream.dicts(lo, hi)
        ys = stream.y_list[lo:hi]
        learn = model.learn_one
        if weights is None:
            for x, y in zip(dicts, ys):
                learn(x, y)
        else:
            for x, y, w in zip(dicts, ys, weights.tolist()):
                learn(x, y, w=w)

    def learn_batch(self, model, stream, lo: int, hi: int) -> None:
        """Learn samples ``[lo, hi)`` as one mini-batch: river ``learn_many`` where the model has
        it, otherwise ``learn_one`` over the batch; ``partial_fit`` for scikit-learn."""
        if hi <= lo:
            return
        if self.is_river and self.info.learn_many:
            model.learn_many(stream.frame(lo, hi), stream.series(lo, hi))
        else:
            self.learn(model, stream, lo, hi)

    def _partial_fit(self, model, stream, lo, hi, weights) -> None:
        if isinstance(model, DummyClassifier):
            raise TypeError("a constant fallback model cannot learn incrementally")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            model.partial_fit(stream.X[lo:hi], stream.y[lo:hi], classes=self.classes,
                              sample_weight=weights)

    # -- predictions -------------------------------------------------------------------------
    def predict(self, model, stream, lo: int, hi: int) -> np.ndarray:
        """Predictions of ``model`` for samples ``[lo, hi)`` (numpy chunk for scikit-learn)."""
        if not self.is_river:
            return model.predict(stream.X[lo:hi])
        predict = model.predict_one
        return np.array([predict(x) for x in stream.dicts(lo, hi)], dtype=object)

    def correct(self, model, stream, lo: int, hi: int) -> np.ndarray:
        """1 where ``model`` predicts samples ``[lo, hi)`` right, else 0 (int8)."""
        pred = self.predict(model, stream, lo, hi)
        if self.is_river:
            return np.fromiter((p == y for p, y in zip(pred, stream.y_list[lo:hi])),
                               dtype=np.int8, count=hi - lo)
        return (pred == stream.y[lo:hi]).astype(np.int8)

    @property
    def prediction_chunk(self) -> int:
        """How far ahead a constant model may be scored in one call.

        scikit-learn's per-call overhead is ~50 µs, so chunks of 16k rows make it cheap; river
        predicts per sample anyway, so looking ahead would only waste work when a retrain lands.
        """
        return 16384 if not self.is_river else 0


def make_learner(name: str, params: dict, seed: int, classes) -> Learner:
    """The :class:`Learner` for registry entry ``name`` (see :data:`MODELS`)."""
    return Learner(MODELS[name], params, seed, np.asarray(classes))
