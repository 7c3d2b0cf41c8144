"""river's Hoeffding tree, Hoeffding adaptive tree and adaptive random forest with the same
arithmetic in fewer Python calls: same trees, same bits.

A Hoeffding tree (Domingos & Hulten 2000, "Mining high-speed data streams", KDD) is the online
model of most races and lessons here, and river's ``HoeffdingTreeClassifier`` spends most of its
time on Python overhead around a few float operations per sample (profile of 20,000 samples of
the ``default`` stream, river 0.26.1, 52 µs a sample predicted and learned):

* 28 % in ``river.tree.utils.do_naive_bayes_prediction``, computed twice a sample (the
  prediction, and the naive-Bayes-adaptive leaf's bookkeeping in ``learn_one``; three times in
  a forest's tree, which also predicts each sample it learns): a method call through
  ``GaussianSplitter.cond_log_proba`` to ``Gaussian.log_pdf`` per class and feature;
* 18 % in ``copy.deepcopy`` of the leaf's class counts (``normalize_values_in_dict(...,
  inplace=False)``) for the majority-class vote, a dict of floats that a plain copy reproduces;
* 10 % in the recursive generator ``walk`` that finds a sample's leaf (and, in a forest's
  deeper trees, a fifth of the CPU in the recursive ``iter_leaves`` river runs at every split).

The classes here are river's with those steps done by the same float operations in the same
order (the Gaussian log-density inlined, a dict comprehension instead of ``deepcopy``, loops
instead of the generators), and a sample's leaf and naive Bayes vote kept from its prediction
for its learning; everything else (splits, the Hoeffding bound, the splitters' statistics,
memory management, the adaptive tree's alternate subtrees, the forest's bagging and drift
resets) is river's own code. Measured by ``python bench/core.py`` (figure 1: the bare
predict-then-learn loop, best of interleaved runs, CPU seconds): the tree on 50,000 SEA samples
1.53 s against 2.78 s with river's own class (0.55x); the adaptive tree on 20,000, 1.10 s
against 1.94 s (0.56x); the forest of 10 trees on 10,000, 11.6 s against 16.0 s (0.72x).
Checked in ``tests/test_river_trees.py``: every probability equals river's own model's, sample
by sample (three leaf kinds, sample weights, missing, nominal and whole-number features, a
memory limit; the adaptive tree across its subtree swaps, the forest across its drift resets);
every recorded output of the shipped presets is unchanged.

>>> from river import tree
>>> fast = HoeffdingTreeClassifier(grace_period=50)
>>> plain = tree.HoeffdingTreeClassifier(grace_period=50)
>>> samples = [({"a": i % 7 / 7, "b": (i * 3) % 11 / 11}, (i % 7) > 3) for i in range(400)]
>>> for x, y in samples:
...     fast.learn_one(x, y); plain.learn_one(x, y)
>>> all(fast.predict_proba_one(x) == plain.predict_proba_one(x) for x, _ in samples)
True
"""

from __future__ import annotations

import math

from river import forest, tree
from river.forest.adaptive_random_forest import BaseTreeClassifier
from river.tree.nodes.arf_htc_nodes import (
    RandomLeafMajorityClass,
    RandomLeafNaiveBayes,
    RandomLeafNaiveBayesAdaptive,
)
from river.tree.nodes.branch import DTBranch, NumericBinaryBranch
from river.tree.nodes.hatc_nodes import AdaLeafClassifier
from river.tree.nodes.htc_nodes import LeafMajorityClass, LeafNaiveBayes, LeafNaiveBayesAdaptive
from river.tree.nodes.leaf import HTLeaf
from river.tree.splitter.gaussian_splitter import GaussianSplitter

HALF_LOG_TAU = 0.5 * math.log(math.tau)  # river.proba.gaussian's constant, the same expression


def scaled_shares(votes: dict, factor: float) -> dict:
    """``river.utils.norm.normalize_values_in_dict(votes, factor, inplace=False)``: each vote
    times ``1 / factor`` (a copy as it is when the factor is 0 or NaN), without ``deepcopy``
    (the values are numbers, so a new dict holds the same values).

    >>> scaled_shares({0: 3.0, 1: 1.0}, 2.0)
    {0: 1.5, 1: 0.5}
    """
    if factor == 0 or math.isnan(factor):
        return dict(votes)
    multiplier = 1 / factor
    return {label: vote * multiplier for label, vote in votes.items()}


def class_shares(counts: dict) -> dict:
    """Each class's share of a leaf's weight: river's majority-class vote
    (``normalize_values_in_dict(counts, inplace=False)``).

    >>> class_shares({0: 3.0, 1: 1.0})
    {0: 0.75, 1: 0.25}
    """
    return scaled_shares(counts, sum(counts.values()))


def naive_bayes_shares(x: dict, counts: dict, splitters: dict) -> dict:
    """``river.tree.utils.do_naive_bayes_prediction(x, counts, splitters)`` with Gaussian
    splitters' log-densities computed in place (``river.proba.Gaussian.log_pdf``'s expression);
    other splitters are asked as river asks them. Same operations in the same order, so the
    same bits.

    >>> splitter = GaussianSplitter()
    >>> for value, label in [(0.0, 0), (1.0, 0), (4.0, 1), (6.0, 1)]:
    ...     splitter.update(value, label, 1.0)
    >>> shares = naive_bayes_shares({"a": 0.5}, {0: 2.0, 1: 2.0}, {"a": splitter})
    >>> from river.tree.utils import do_naive_bayes_prediction
    >>> shares == do_naive_bayes_prediction({"a": 0.5}, {0: 2.0, 1: 2.0}, {"a": splitter})
    True
    """
    total_weight = sum(counts.values())
    if not counts or total_weight == 0:
        return {}
    # river loops over classes, then features; this loops over features, then classes (a
    # splitter's lookups once per feature): each class's vote still adds its features'
    # log-densities in the same order, so it is the same sum
    votes, voting = {}, []
    for label, weight in counts.items():
        if weight > 0:
            votes[label] = math.log(weight / total_weight)
            voting.append(label)
        else:  # river: "if class_weight > 0: ... else: 0.0" (NaN lands here too)
            votes[label] = 0.0
    for feature, splitter in (splitters or {}).items():
        if feature not in x:
            continue
        value = x[feature]
        if type(splitter) is GaussianSplitter:
            per_class = splitter._att_dist_per_class
            for label in voting:
                dist = per_class.get(label)
                if dist is None:
                    continue  # river: cond_log_proba gives -inf, which is not added
                var = dist._var
                n = var.mean.n
                if n > var.ddof:
                    variance = var._S / (n - var.ddof)
                    if variance > 0.0:
                        log_p = ((value - var.mean._mean) ** 2 / (-2.0 * variance)
                                 - HALF_LOG_TAU - 0.5 * math.log(variance))
                        if log_p > -math.inf:
                            votes[label] += log_p
            continue
        log_proba = getattr(splitter, "cond_log_proba", None)
        for label in voting:
            if log_proba is not None:
                log_p = log_proba(value, label)
                if log_p > -math.inf:
                    votes[label] += log_p
            else:
                p = splitter.cond_proba(value, label)
                votes[label] += math.log(p) if p > 0 else 0.0
    max_ll = max(votes.values())
    lse = max_ll + math.log(sum([math.exp(log_p - max_ll) for log_p in votes.values()]))
    return {label: math.exp(vote - lse) for label, vote in votes.items()}


class MajorityVote:
    """A leaf's majority-class vote by :func:`class_shares` (mixed into river's leaf classes)."""

    def prediction(self, x, *, tree=None):
        return class_shares(self.stats)


class NaiveBayesVote:
    """A naive Bayes leaf's vote by :func:`naive_bayes_shares` (river's ``LeafNaiveBayes``)."""

    def prediction(self, x, *, tree=None):
        if self.is_active() and self.total_weight >= tree.nb_threshold:
            return naive_bayes_shares(x, self.stats, self.splitters)
        return class_shares(self.stats)


class AdaptiveVote:
    """The naive-Bayes-adaptive leaf's votes (river's ``LeafNaiveBayesAdaptive``, river's
    default): it predicts with naive Bayes while naive Bayes has been right at least as often
    as the majority class on the samples it learned.

    Prequentially a sample is predicted, then learned, by the same leaf with the same counts,
    and river computes its naive Bayes vote each time (three times a sample in a forest's
    tree). This leaf keeps the vote of the last features it saw (a copy of them) and reuses it
    while the features are equal; learning clears it, as the counts then change.
    """

    _last_vote: tuple[dict, dict] | None = None

    def _naive_bayes(self, x):
        last = self._last_vote
        if last is not None and last[0] == x:
            return last[1]
        vote = naive_bayes_shares(x, self.stats, self.splitters)
        self._last_vote = (dict(x), vote)
        return vote

    def learn_one(self, x, y, *, w=1.0, tree=None):
        if self.is_active():
            mc_pred = class_shares(self.stats)
            if len(self.stats) == 0 or max(mc_pred, key=mc_pred.get) == y:
                self._mc_correct_weight += w
            nb_pred = self._naive_bayes(x)
            if len(nb_pred) > 0 and max(nb_pred, key=nb_pred.get) == y:
                self._nb_correct_weight += w
        self._last_vote = None
        HTLeaf.learn_one(self, x, y, w=w, tree=tree)  # river's: LeafMajorityClass has none

    def prediction(self, x, *, tree=None):
        if self.is_active() and self._nb_correct_weight >= self._mc_correct_weight:
            return dict(self._naive_bayes(x))
        return class_shares(self.stats)


class MajorityClassLeaf(MajorityVote, LeafMajorityClass):
    """river's majority-class leaf, voting by :class:`MajorityVote`."""


class NaiveBayesLeaf(NaiveBayesVote, LeafNaiveBayes):
    """river's naive Bayes leaf, voting by :class:`NaiveBayesVote`."""


class NaiveBayesAdaptiveLeaf(AdaptiveVote, LeafNaiveBayesAdaptive):
    """river's naive-Bayes-adaptive leaf, voting by :class:`AdaptiveVote`."""


class AdaptiveTreeLeaf(AdaLeafClassifier, NaiveBayesAdaptiveLeaf):
    """river's Hoeffding adaptive tree leaf (``AdaLeafClassifier``: its votes weighted by the
    error its ADWIN tracks) with the votes above. In its class order river's leaf comes first
    and :class:`AdaptiveVote` where river's leaf calls ``super()``, so its ``learn_one`` is
    river's, with the naive Bayes vote kept from the prediction it makes first."""

    def prediction(self, x, *, tree=None):
        if not self.stats:
            return None
        option = tree.leaf_prediction
        if not self.is_active() or option == tree._MAJORITY_CLASS:
            dist = class_shares(self.stats)
        elif option == tree._NAIVE_BAYES:
            dist = (naive_bayes_shares(x, self.stats, self.splitters)
                    if self.total_weight >= tree.nb_threshold else class_shares(self.stats))
        else:
            dist = AdaptiveVote.prediction(self, x, tree=tree)
        curr_error = self._mean_error.get()
        return scaled_shares(dist, sum(dist.values()) * curr_error * curr_error)


class RandomMajorityClassLeaf(MajorityVote, RandomLeafMajorityClass):
    """river's forest leaf (learns a random subset of the features), majority vote."""


class RandomNaiveBayesLeaf(NaiveBayesVote, RandomLeafNaiveBayes):
    """river's forest leaf, naive Bayes vote."""


class RandomNaiveBayesAdaptiveLeaf(AdaptiveVote, RandomLeafNaiveBayesAdaptive):
    """river's forest leaf, naive-Bayes-adaptive vote (river's default)."""


_BRANCH_TYPES: dict[type, bool] = {}


def is_branch(node) -> bool:
    """``isinstance(node, DTBranch)``, remembered per node class: ``DTBranch`` is an abstract
    base class, and its ``isinstance`` (``abc.__instancecheck__``) was 10 % of a sample's CPU."""
    kind = type(node)
    known = _BRANCH_TYPES.get(kind)
    if known is None:
        known = _BRANCH_TYPES[kind] = issubclass(kind, DTBranch)
    return known


def path_end(root, x) -> tuple:
    """``(parent, node)``: the last two nodes of river's ``root.walk(x, until_leaf=False)``
    (the leaf of ``x``, or the branch that cannot route it: a missing feature, an unseen
    category), found by a loop instead of a recursive generator. A numeric binary split (how
    river's Gaussian splitter splits a numeric feature) is followed in place:
    ``x[feature] <= threshold`` goes left, as ``NumericBinaryBranch.branch_no``."""
    parent, node = None, root
    while True:
        if type(node) is NumericBinaryBranch:
            try:
                value = x[node.feature]
            except KeyError:
                return parent, node
            parent, node = node, node.children[0 if value <= node.threshold else 1]
        elif is_branch(node):
            try:
                child = node.next(x)
            except KeyError:
                return parent, node
            parent, node = node, child
        else:
            return parent, node


class FastRoute:
    """A Hoeffding tree's ``predict_proba_one`` and ``learn_one`` (river's
    ``HoeffdingTreeClassifier``) with the sample's leaf found by :func:`path_end`; mixed in
    before river's class, whose code handles what the loop does not (no split yet, a sample a
    branch cannot route)."""

    def _find_leaves(self) -> list:
        """The leaves from the left-most to the right-most, as river's recursive
        ``iter_leaves`` lists them, by a loop: river calls it at every split (to enforce the
        tree's memory limit), and in a forest's deep trees the recursion was a fifth of the
        CPU."""
        leaves, stack = [], [self._root]
        while stack:
            node = stack.pop()
            if is_branch(node):
                stack.extend(reversed(node.children))
            else:
                leaves.append(node)
        return leaves

    # The route of the last features predicted: (a copy of the features, parent, leaf). The
    # tree changes shape only when it learns, which clears it; a forest asks each tree to
    # predict a sample twice and then learn it, so the route is walked once instead of three
    # times.
    _last_route: tuple | None = None

    def _route(self, x) -> tuple:
        last = self._last_route
        if last is not None and last[0] == x:
            return last[1], last[2]
        parent, node = path_end(self._root, x)
        self._last_route = (dict(x), parent, node)
        return parent, node

    def predict_proba_one(self, x):
        proba = {c: 0.0 for c in sorted(self.classes)}
        root = self._root
        if root is not None:
            _, leaf = self._route(x)
            if not isinstance(leaf, HTLeaf):  # a branch cannot route x: river's own walk
                leaf = root.traverse(x, until_leaf=True)
            proba.update(leaf.prediction(x, tree=self))
        return proba

    def learn_one(self, x, y, *, w=1.0):
        route, self._last_route = self._last_route, None
        if not isinstance(self._root, DTBranch):
            return super().learn_one(x, y, w=w)  # no split yet
        if route is not None and route[0] == x:
            p_node, node = route[1], route[2]
        else:
            p_node, node = path_end(self._root, x)
        if not isinstance(node, HTLeaf):  # the rare unroutable sample: river's own code
            return super().learn_one(x, y, w=w)
        # river's learn_one from here on (river/tree/hoeffding_tree_classifier.py), for a leaf
        self.classes.add(y)
        self._train_weight_seen_by_model += w
        node.learn_one(x, y, w=w, tree=self)
        if self._growth_allowed and node.is_active():
            if node.depth >= self.max_depth:  # max depth reached
                node.deactivate()
                self._n_active_leaves -= 1
                self._n_inactive_leaves += 1
            else:
                weight_seen = node.total_weight
                weight_diff = weight_seen - node.last_split_attempt_at
                if weight_diff >= self.grace_period:
                    p_branch = p_node.branch_no(x) if isinstance(p_node, DTBranch) else None
                    self._attempt_to_split(node, p_node, p_branch)
                    node.last_split_attempt_at = weight_seen
        if self._train_weight_seen_by_model % self.memory_estimate_period == 0:
            self._estimate_model_size()


class HoeffdingTreeClassifier(FastRoute, tree.HoeffdingTreeClassifier):
    """``river.tree.HoeffdingTreeClassifier`` with the leaves above and a loop to find a
    sample's leaf (module docstring: same bits, less Python per sample). Parameters and
    behaviour are river's."""

    _LEAVES = {tree.HoeffdingTreeClassifier._MAJORITY_CLASS: MajorityClassLeaf,
               tree.HoeffdingTreeClassifier._NAIVE_BAYES: NaiveBayesLeaf}

    def _new_leaf(self, initial_stats=None, parent=None):
        leaf = self._LEAVES.get(self._leaf_prediction, NaiveBayesAdaptiveLeaf)
        return leaf({} if initial_stats is None else initial_stats,
                    0 if parent is None else parent.depth + 1, self.splitter)


class HoeffdingAdaptiveTreeClassifier(tree.HoeffdingAdaptiveTreeClassifier):
    """``river.tree.HoeffdingAdaptiveTreeClassifier`` (Bifet & Gavaldà 2009, "Adaptive learning
    from evolving data streams", IDA) whose leaves are :class:`AdaptiveTreeLeaf`: same tree,
    same bits. Its routing (alternate subtrees, several leaves per sample) is river's."""

    def _new_leaf(self, initial_stats=None, parent=None):
        return AdaptiveTreeLeaf(stats={} if initial_stats is None else initial_stats,
                                depth=0 if parent is None else parent.depth + 1,
                                splitter=self.splitter,
                                drift_detector=self.drift_detector.clone(), rng=self._rng)


class ForestTree(FastRoute, BaseTreeClassifier):
    """The adaptive random forest's tree (river's ``BaseTreeClassifier``: leaves that learn a
    random subset of the features, drawn from the forest's random generator as river draws
    them) with the leaves above and :class:`FastRoute`."""

    _LEAVES = {tree.HoeffdingTreeClassifier._MAJORITY_CLASS: RandomMajorityClassLeaf,
               tree.HoeffdingTreeClassifier._NAIVE_BAYES: RandomNaiveBayesLeaf}

    def _new_leaf(self, initial_stats=None, parent=None):
        leaf = self._LEAVES.get(self._leaf_prediction, RandomNaiveBayesAdaptiveLeaf)
        return leaf({} if initial_stats is None else initial_stats,
                    0 if parent is None else parent.depth + 1, self.splitter,
                    self.max_features, self.rng)


class ARFClassifier(forest.ARFClassifier):
    """``river.forest.ARFClassifier`` (Gomes et al. 2017, "Adaptive random forests for
    evolving data stream classification", Machine Learning 106) whose trees are
    :class:`ForestTree`: same forest, same bits, each tree's naive Bayes vote computed once a
    sample instead of three times. Parameters and behaviour are river's."""

    def _new_base_model(self):
        return ForestTree(
            max_features=self.max_features, grace_period=self.grace_period,
            split_criterion=self.split_criterion, delta=self.delta, tau=self.tau,
            leaf_prediction=self.leaf_prediction, nb_threshold=self.nb_threshold,
            nominal_attributes=self.nominal_attributes, splitter=self.splitter,
            max_depth=self.max_depth, binary_split=self.binary_split,
            min_branch_fraction=self.min_branch_fraction,
            max_share_to_split=self.max_share_to_split, max_size=self.max_size,
            memory_estimate_period=self.memory_estimate_period,
            stop_mem_management=self.stop_mem_management,
            remove_poor_attrs=self.remove_poor_attrs, merit_preprune=self.merit_preprune,
            rng=self._rng)
