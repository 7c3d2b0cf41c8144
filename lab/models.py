"""Registry of model names -> scikit-learn estimators and river learners, behind one small interface.

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
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Callable

import numpy as np
from sklearn.dummy import DummyClassifier
from sklearn.exceptions import ConvergenceWarning


@dataclass(frozen=True)
class ModelInfo:
    """What the registry knows about one model name."""

    name: str
    library: str  # "sklearn" | "river"
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


def _sk_entry(name, path, description, reference, incremental=False):
    def make() -> ModelInfo:
        return ModelInfo(
            name=name, library="sklearn", description=description, reference=reference,
            build=_sk_build(_sk(path)), param_names=_params_of(_import(path)),
            incremental=incremental, learn_many=incremental, sample_weight=True,
        )
    return name, description, make


def _river_entry(name, path, description, reference, factory=None, seeded=False, extra=()):
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
])


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
