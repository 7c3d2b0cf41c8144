"""The model registry: short stable names -> scikit-learn estimators and river learners.

Why a registry: configs, URLs and the app name models by short stable strings (``sk.decision_tree``,
``river.hoeffding_tree``); the registry turns a name plus ``params`` into a library object with the
library's own defaults, and tells the policies what the model can do (learn incrementally, learn a
mini-batch at once, take sample weights). Its ``library`` ("sklearn" or "river") picks the
:class:`lab.learners.base.Learner` flavour that drives the model.

Seeds: every estimator or learner that takes a ``random_state`` / ``seed`` gets the experiment's
seed unless ``params`` sets it, so a run is reproducible and a plain library loop with
``random_state=seed`` gives the same numbers.

>>> MODELS["sk.decision_tree"].library, MODELS["baseline.majority"].library
('sklearn', 'river')
"""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any


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


def model_class(name: str):
    """The library class behind registry entry ``name`` (imported on first use), e.g.
    ``river.tree.HoeffdingAdaptiveTreeClassifier`` for ``river.hoeffding_adaptive_tree``."""
    return _import(_PATHS[name])


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
    # river's class with its logsumexp ~20x faster, same bits (lab.learners.river_naive_bayes)
    _river_entry("river.gaussian_nb", "lab.learners.river_naive_bayes.GaussianNB",
                 "Online Gaussian naive Bayes with running means and variances.",
                 "Welford (1962); river.naive_bayes.GaussianNB."),
    # river's class with the same arithmetic in fewer Python calls: same bits, 0.55x the CPU
    # (lab.learners.river_trees)
    _river_entry("river.hoeffding_tree",
                 "lab.learners.river_trees.HoeffdingTreeClassifier",
                 "Hoeffding tree (VFDT): grows splits once the Hoeffding bound says enough "
                 "samples were seen.",
                 "Domingos & Hulten (2000), Mining high-speed data streams, KDD."),
    # river's class with the leaves of lab.learners.river_trees: same bits, 0.56x the CPU
    _river_entry("river.hoeffding_adaptive_tree",
                 "lab.learners.river_trees.HoeffdingAdaptiveTreeClassifier",
                 "Hoeffding adaptive tree: ADWIN in each node swaps in alternate subtrees "
                 "after a drift.",
                 "Bifet & Gavalda (2009), Adaptive learning from evolving data streams, IDA.",
                 seeded=True),
    # river's forest whose trees are the one above (lab.learners.river_trees): same bits,
    # 0.72x the CPU
    _river_entry("river.adaptive_random_forest", "lab.learners.river_trees.ARFClassifier",
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
scores as wrong (``lab.policies.trace.NO_PREDICTION``); every policy learns at least the warm-up
(``evaluation.warmup >= 1``) before it is scored, so this never happens in a race. Under a batch
policy they are refit from scratch like any river learner: ``frozen`` makes the no-change model
predict the warm-up's last label for ever and the majority model the warm-up's majority class
(a "ZeroR" trained once), ``periodic`` refreshes that label at every retrain."""
