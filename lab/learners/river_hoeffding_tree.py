"""river's Hoeffding tree with the same arithmetic in fewer Python calls: same tree, same bits.

A Hoeffding tree (Domingos & Hulten 2000, "Mining high-speed data streams", KDD) is the online
model of most races and lessons here, and river's ``HoeffdingTreeClassifier`` spends most of its
time on Python overhead around a few float operations per sample (profile of 20,000 samples of
the ``default`` stream, river 0.26.1, 52 µs a sample predicted and learned):

* 28 % in ``river.tree.utils.do_naive_bayes_prediction``, computed twice a sample (the
  prediction, and the naive-Bayes-adaptive leaf's bookkeeping in ``learn_one``): a method call
  through ``GaussianSplitter.cond_log_proba`` to ``Gaussian.log_pdf`` per class and feature;
* 18 % in ``copy.deepcopy`` of the leaf's class counts (``normalize_values_in_dict(...,
  inplace=False)``) for the majority-class vote, a dict of floats that a plain copy reproduces;
* 10 % in the recursive generator ``walk`` that finds a sample's leaf.

The classes here are river's with those three steps done by the same float operations in the
same order (the Gaussian log-density inlined, a dict comprehension instead of ``deepcopy``, a
loop instead of the generator), and the naive Bayes vote of a sample kept from its prediction
for its learning; everything else (splits, the Hoeffding bound, the splitters' statistics,
memory management) is river's own code. Measured by ``python bench/core.py`` (figure 1,
50,000 SEA samples predicted and learned, best of 3 interleaved): 1.54 CPU-s against 2.40 with
river's own class (0.64x); 20,000 ``default`` samples: 0.69 against 1.04 s. Checked in
``tests/test_river_hoeffding_tree.py``: every probability equals river's own tree's, sample by
sample, for the three leaf kinds, with sample weights, missing features and a nominal feature;
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

from river import tree
from river.tree.nodes.branch import DTBranch
from river.tree.nodes.htc_nodes import LeafMajorityClass, LeafNaiveBayes, LeafNaiveBayesAdaptive
from river.tree.nodes.leaf import HTLeaf
from river.tree.splitter.gaussian_splitter import GaussianSplitter

HALF_LOG_TAU = 0.5 * math.log(math.tau)  # river.proba.gaussian's constant, the same expression


def class_shares(counts: dict) -> dict:
    """``river.utils.norm.normalize_values_in_dict(counts, inplace=False)``: each class's weight
    times ``1 / total`` (a copy as it is when the total is 0 or NaN), without ``deepcopy``
    (the values are numbers, so a new dict holds the same values).

    >>> class_shares({0: 3.0, 1: 1.0})
    {0: 0.75, 1: 0.25}
    """
    factor = sum(counts.values())
    if factor == 0 or math.isnan(factor):
        return dict(counts)
    multiplier = 1 / factor
    return {label: weight * multiplier for label, weight in counts.items()}


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
    observers = [(x[feature], splitter) for feature, splitter in splitters.items()
                 if feature in x] if splitters else []
    votes = {}
    for label, weight in counts.items():
        if not weight > 0:  # river: "if class_weight > 0: ... else: 0.0" (NaN lands here too)
            votes[label] = 0.0
            continue
        vote = math.log(weight / total_weight)
        for value, splitter in observers:
            if type(splitter) is GaussianSplitter:
                dist = splitter._att_dist_per_class.get(label)
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
                            vote += log_p
                continue
            log_proba = getattr(splitter, "cond_log_proba", None)
            if log_proba is not None:
                log_p = log_proba(value, label)
                if log_p > -math.inf:
                    vote += log_p
            else:
                p = splitter.cond_proba(value, label)
                vote += math.log(p) if p > 0 else 0.0
        votes[label] = vote
    max_ll = max(votes.values())
    lse = max_ll + math.log(sum([math.exp(log_p - max_ll) for log_p in votes.values()]))
    return {label: math.exp(vote - lse) for label, vote in votes.items()}


class MajorityClassLeaf(LeafMajorityClass):
    """river's majority-class leaf; its vote built by :func:`class_shares`."""

    def prediction(self, x, *, tree=None):
        return class_shares(self.stats)


class NaiveBayesLeaf(LeafNaiveBayes):
    """river's naive Bayes leaf; its votes built by :func:`naive_bayes_shares`."""

    def prediction(self, x, *, tree=None):
        if self.is_active() and self.total_weight >= tree.nb_threshold:
            return naive_bayes_shares(x, self.stats, self.splitters)
        return class_shares(self.stats)


class NaiveBayesAdaptiveLeaf(LeafNaiveBayesAdaptive):
    """river's naive-Bayes-adaptive leaf (river's default): it predicts with naive Bayes while
    naive Bayes has been right at least as often as the majority class on the samples it
    learned; the two votes built by :func:`naive_bayes_shares` and :func:`class_shares`.

    Prequentially a sample is predicted, then learned, by the same leaf with the same counts,
    and river computes its naive Bayes vote both times. This leaf keeps the vote of the last
    sample it predicted (with a copy of the features) and reuses it in ``learn_one`` when the
    features are equal; learning clears it, as the counts then change.
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
        LeafMajorityClass.learn_one(self, x, y, w=w, tree=tree)

    def prediction(self, x, *, tree=None):
        if self.is_active() and self._nb_correct_weight >= self._mc_correct_weight:
            return dict(self._naive_bayes(x))
        return class_shares(self.stats)


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
    category), found by a loop instead of a recursive generator."""
    parent, node = None, root
    while is_branch(node):
        try:
            child = node.next(x)
        except KeyError:
            break
        parent, node = node, child
    return parent, node


class HoeffdingTreeClassifier(tree.HoeffdingTreeClassifier):
    """``river.tree.HoeffdingTreeClassifier`` with the leaves above and a loop to find a
    sample's leaf (module docstring: same bits, less Python per sample). Parameters and
    behaviour are river's."""

    _LEAVES = {tree.HoeffdingTreeClassifier._MAJORITY_CLASS: MajorityClassLeaf,
               tree.HoeffdingTreeClassifier._NAIVE_BAYES: NaiveBayesLeaf}

    def _new_leaf(self, initial_stats=None, parent=None):
        leaf = self._LEAVES.get(self._leaf_prediction, NaiveBayesAdaptiveLeaf)
        return leaf({} if initial_stats is None else initial_stats,
                    0 if parent is None else parent.depth + 1, self.splitter)

    def predict_proba_one(self, x):
        proba = {c: 0.0 for c in sorted(self.classes)}
        root = self._root
        if root is not None:
            _, leaf = path_end(root, x)
            if not isinstance(leaf, HTLeaf):  # a branch cannot route x: river's own walk
                leaf = root.traverse(x, until_leaf=True)
            proba.update(leaf.prediction(x, tree=self))
        return proba

    def learn_one(self, x, y, *, w=1.0):
        if not isinstance(self._root, DTBranch):
            return super().learn_one(x, y, w=w)  # no split yet
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
