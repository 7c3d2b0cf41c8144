"""Synthetic data streams with injected concept drift.

A stream is a sequence of *concepts* (parameter sets of one generator). Drifts switch the active
concept at a sample index: suddenly (``width`` 0) or gradually, the new concept's share rising
along a sigmoid (see "Drift shapes" below). A drift back to an earlier parameter set
re-activates that concept (same generator, same concept index): a recurring drift.

A drift changes exactly what its ``to`` names. Each concept draws its *samples* (x, noise flips)
from a fresh random stream of its own, but the randomly drawn parts of the concept itself
(``hyperplane``'s weights, ``led``'s swapped segments, ``rbf``'s centroids) come from a
*concept seed* that only a parameter changes: ``concept_seed`` for ``hyperplane`` and ``led``
(combined with the experiment's seed, so every seed still draws its own concept) and river's
``seed_model`` for ``rbf`` (used as given, as in river and MOA). So a drift whose ``to`` only
changes noise keeps the concept, a ``to`` with another ``concept_seed`` draws a new one, and
going back to earlier parameters gives back the identical concept. The other generators have
no drawn concept: their concept is their parameters (``variant``, ``classification_function``,
``angle`` ...). A concept's state that evolves while it serves samples (weights moved by
``mag_change``, centroids moved by ``change_speed``) belongs to that concept: a new concept
starts from its initial state, a recurring one continues where it stopped.

Drift shapes (``shape`` of a drift entry). Write i for the 0-based index of a sample (the
``at`` of a sudden drift is the index of the first new sample) and P(i) for the probability
that it comes from the drift's new concept:

* ``"span"`` (default): the change runs over ``[at, at + width)``, easy to read on a chart.
  P(i) = 0 before ``at``, ``expit(8 (i + 0.5 - (at + width / 2)) / width)`` inside (1.8 % at
  ``at``, 50 % at the centre, 98.2 % at the last sample) and 1 from ``at + width`` on.
* ``"moa"``: MOA's and river's ``ConceptDriftStream`` with position p = ``at`` and width
  w = ``width``: P(i) = 1 / (1 + exp(-4 (t - p) / w)) with t = i + 1, the sample's 1-based
  position as MOA and river count it, untruncated (50 % at the p-th sample, i = p - 1). A MOA
  ``-p 5000 -w 1000`` is ``{"at": 5000, "width": 1000, "shape": "moa"}``. Its 1.8 %-98.2 %
  band is ``[at - width - 1, at + width - 1)`` (:attr:`lab.spec.experiment.Drift.start` and
  ``end``);
  validation requires the band inside the stream and not overlapping a neighbour's, and keeps
  the tails beyond it. The sigmoid is evaluated over ``p - 1 ± 10 w``; beyond that
  P < 4.3e-18, less than the 2^-53 step of the uniform draw that decides, which could not
  resolve it, so it is taken as 0 before and 1 after.

The two forms are one sigmoid: inside its span, span(at, width) is exactly
moa(p = at + (width + 1) / 2, w = width / 2), cut to 0 before the span and to 1 after it.
Conversely moa(p, w) is span(at = p - w - 1/2, width = 2 w) without the cut: the nearest span
``{"at": p - w, "width": 2 w}`` is centred half a sample later and drops the 1.8 % tails.
(Porting MOA's ``-p 5000 -w 1000`` as span ``at 5000, width 1000`` would centre the change
500 samples late and make it twice as steep.) Several drifts compose as MOA nests
``ConceptDriftStream``s, the later drift outermost: a sample comes from the last drift whose
draw took it, else from the concept before. An inner MOA stream counts only the samples it
served, ours all count the stream's: while the bands do not overlap they differ by the few
samples a later drift's tail takes early (about w / 200 of a later drift of width w).

Why our own drift injection: river's ``ConceptDriftStream`` computes ``exp(-4 (i - position) /
width)`` unguarded and overflows for small widths (more than ~709 in the exponent), and it nests
one stream per drift. Here the concept of every sample is decided up front from a seeded RNG,
then each concept's generator draws exactly the samples it serves, so each sample knows the
concept it came from (the ``concept`` column).

The generators themselves are river's (``river.datasets.synth``), with river's parameter names,
plus ``blobs2d`` (ours: river has no 2-D stream whose boundary a drift can rotate or move).

>>> from lab.spec.experiment import StreamSpec, Drift
>>> spec = StreamSpec("sea", 1000, {"variant": 0}, (Drift(500, 0, {"variant": 2}),))
>>> s = make_stream(spec, seed=1)
>>> s.X.shape, int(s.concept[499]), int(s.concept[500]), s.feature_names
((1000, 3), 0, 1, ['x0', 'x1', 'x2'])
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy.special import expit

from lab.data.csv.read import load_csv
from lab.data.datasets import load_dataset
from lab.data.generators import GENERATORS
from lab.data.realdata import one_line_errors


# --------------------------------------------------------------------------------------------
# Streams
# --------------------------------------------------------------------------------------------
@dataclass
class Stream:
    """The samples exactly as served, in order, and the concept each was drawn from."""

    X: np.ndarray  # (n, d) float64
    y: np.ndarray  # (n,) int64 class labels
    concept: np.ndarray  # (n,) concept index, int16 (int32 past 32,768 concepts)
    feature_names: list[str]
    concepts: list[dict] = field(default_factory=list)  # parameters of each concept index
    # The readable name of class k, shown in every view while the numbers stay 0..K-1 inside:
    # real data keep their original labels (Elec2: "DOWN", "UP"; a CSV file its label texts),
    # generators are named "0", "1", ... as their numeric labels. None only for a Stream built
    # by hand without names (then the views fall back to the codes).
    class_names: list[str] | None = None
    _dict_cache: tuple = field(default=(None, None, None), repr=False)

    def __post_init__(self):
        self.y_list = self.y.tolist()  # river learns Python ints; convert once, not per contender

    def __len__(self) -> int:
        return len(self.y)

    @property
    def classes(self) -> np.ndarray:
        return np.unique(self.y)

    def dicts(self, lo: int, hi: int) -> list[dict]:
        """Samples ``[lo, hi)`` as river dicts; the last block is cached for all contenders."""
        c_lo, c_hi, cached = self._dict_cache
        if c_lo == lo and c_hi == hi:
            return cached
        out = self.dicts_uncached(lo, hi)
        self._dict_cache = (lo, hi, out)
        return out

    def dicts_uncached(self, lo: int, hi: int) -> list[dict]:
        names = self.feature_names
        return [dict(zip(names, row)) for row in self.X[lo:hi].tolist()]

    def frame(self, lo: int, hi: int) -> pd.DataFrame:
        return pd.DataFrame(self.X[lo:hi], columns=self.feature_names, index=range(lo, hi))

    def series(self, lo: int, hi: int) -> pd.Series:
        return pd.Series(self.y[lo:hi], index=range(lo, hi))

    def to_frame(self) -> pd.DataFrame:
        """The ``stream.csv`` table: feature columns, ``y``, ``concept``.

        ``y`` stays the class code (the file's contract); the names travel with the table as
        ``frame.attrs["class_names"]`` (pandas keeps ``attrs`` through ``iloc``, copies and
        pickling), where the figures of ``lab.plots`` look for them.
        """
        df = pd.DataFrame(self.X, columns=self.feature_names)
        df["y"] = self.y
        df["concept"] = self.concept
        if self.class_names is not None:
            df.attrs["class_names"] = list(self.class_names)
        return df

    def class_name_of(self, codes) -> list[str]:
        """The readable names of class codes (e.g. a ``y`` or ``predicted`` column), for files
        and tables that show names; a code without a name is written as its number.

        >>> s = Stream(np.zeros((2, 1)), np.array([0, 1]), np.zeros(2, np.int16), ["x"],
        ...            class_names=["DOWN", "UP"])
        >>> s.class_name_of([1, 0, 1])
        ['UP', 'DOWN', 'UP']
        """
        names = list(self.class_names or [])
        return [names[c] if 0 <= c < len(names) else str(c) for c in np.asarray(codes).tolist()]


def concept_params(spec) -> tuple[list[dict], list[int]]:
    """Distinct concept parameter sets and, per drift, the concept index it switches to.

    Each drift's ``to`` is merged onto the stream's base parameters (not onto the previous
    concept), so ``to: {}`` means "back to the start" and equal parameter sets share an index.
    """
    info = GENERATORS[spec.source]
    base = {**info.defaults, **spec.params}
    concepts = [base]
    targets = []
    for drift in spec.drifts:
        params = {**base, **drift.to}
        if params in concepts:
            targets.append(concepts.index(params))
        else:
            concepts.append(params)
            targets.append(len(concepts) - 1)
    return concepts, targets


MOA_REACH = 10  # a moa sigmoid is evaluated over p - 1 ± MOA_REACH * w (P < 4.3e-18 beyond)


def new_concept_share(drift, i: np.ndarray) -> np.ndarray:
    """P(i): the probability that sample ``i`` (0-based) comes from ``drift``'s new concept,
    as if no other drift existed (formulas in the module docstring).

    >>> from lab.spec.experiment import Drift
    >>> i = np.array([3998, 3999, 4999, 5999, 6000])
    >>> new_concept_share(Drift(5000, 1000, {}, "moa"), i).round(2).tolist()
    [0.02, 0.02, 0.5, 0.98, 0.98]
    >>> new_concept_share(Drift(4000, 2000, {}), i).round(2).tolist()  # the same, cut
    [0.0, 0.0, 0.5, 0.98, 1.0]
    """
    i = np.asarray(i, dtype=np.float64)
    if drift.shape == "moa":
        return expit(4.0 * (i + 1 - drift.at) / drift.width)
    if drift.width == 0:
        return (i >= drift.at).astype(np.float64)
    inside = expit(8.0 * (i + 0.5 - (drift.at + drift.width / 2)) / drift.width)
    return np.where(i < drift.at, 0.0, np.where(i >= drift.at + drift.width, 1.0, inside))


def assign_concepts(n: int, drifts, targets: list[int], rng: np.random.Generator) -> np.ndarray:
    """The concept index of every sample.

    Drifts apply in order, each taking sample ``i`` to its target with probability
    :func:`new_concept_share` (one uniform draw per sample where that is neither 0 nor 1), so a
    later drift overrides an earlier one where it takes a sample, as MOA's nested streams do.
    A span drift is confined to ``[at, at + width)``: 1.8 % at ``at``, 50 % at the centre,
    98.2 % at the end, and certainly new from the end on.

    >>> from lab.spec.experiment import Drift
    >>> c = assign_concepts(10, [Drift(5, 0, {})], [1], np.random.default_rng(0))
    >>> c.tolist()
    [0, 0, 0, 0, 0, 1, 1, 1, 1, 1]
    """
    concept = np.zeros(n, dtype=concept_dtype(max(targets, default=0) + 1))
    for drift, target in zip(drifts, targets):
        if drift.shape == "moa":
            centre = drift.at - 1
            lo = max(0, centre - MOA_REACH * drift.width)
            end = max(0, min(n, centre + MOA_REACH * drift.width))
        else:
            lo, end = drift.at, min(n, drift.at + drift.width)
        if end > lo:
            idx = np.arange(lo, end)
            take = rng.random(idx.size) < new_concept_share(drift, idx)
            concept[idx[take]] = target
        concept[end:] = target
    return concept


def concept_dtype(n_concepts: int) -> np.dtype:
    """The smallest signed integer type that holds concept indices ``0 .. n_concepts - 1``.

    int16 (2 bytes a sample on 10 million samples) while it fits; validation allows at most
    101 concepts, but a stream built directly from a :class:`lab.spec.experiment.StreamSpec` may
    have
    more, and an int16 would silently wrap past 32,767.

    >>> concept_dtype(101), concept_dtype(40_000)
    (dtype('int16'), dtype('int32'))
    """
    return np.dtype(np.int16) if n_concepts <= 2**15 else np.dtype(np.int64 if n_concepts > 2**31
                                                                   else np.int32)


def seed_for(seed: int, *path: int) -> int:
    """An independent, reproducible 31-bit seed for one part of the experiment."""
    return int(np.random.SeedSequence([seed, *path]).generate_state(1)[0] >> 1)


def concept_seed_for(params: dict, seed: int) -> int:
    """The seed a concept's random parts are drawn from: the experiment's ``seed`` and the
    concept's ``concept_seed`` parameter only (0 for generators without one), so equal
    parameters give the identical concept wherever they appear in the stream.

    >>> concept_seed_for({"concept_seed": 0, "noise_percentage": 0.1}, 5) == \\
    ...     concept_seed_for({"concept_seed": 0, "noise_percentage": 0.0}, 5)
    True
    """
    return seed_for(seed, 4, int(params.get("concept_seed", 0)))


def make_stream(spec, seed: int) -> Stream:
    """Draw the whole stream described by a :class:`lab.spec.experiment.StreamSpec`, reproducibly.

    Concept ``k`` draws its samples from a seed of its own (``seed_for(seed, 2, k)``), so the
    samples after a drift are fresh even when the concept is unchanged, and its drawn concept
    parts from :func:`concept_seed_for`, which only the concept's parameters decide.

    ``dataset:`` and ``csv:`` sources are read by :mod:`lab.data.datasets` and
    :mod:`lab.data.csv` (their problems raise
    :class:`lab.spec.errors.ConfigError`, as a config check would).
    """
    if spec.source.startswith(("dataset:", "csv:")):
        return make_real_stream(spec, seed)
    info = GENERATORS[spec.source]
    concepts, targets = concept_params(spec)
    concept = assign_concepts(spec.n_samples, spec.drifts, targets,
                              np.random.default_rng(seed_for(seed, 1)))
    X = y = names = None
    for k, params in enumerate(concepts):
        rows = np.flatnonzero(concept == k)
        if rows.size == 0 and k > 0:
            continue  # a concept no sample is drawn from (e.g. a drift at the very end)
        source = info.build(params, seed_for(seed, 2, k), concept_seed_for(params, seed))
        Xk, yk = source.draw(rows.size)
        # river numbers the features of sea, sine, hyperplane, rbf and led (keys 0, 1, ...):
        # they are x0, x1, ... here, as the generators' descriptions and blobs2d name them
        keys = [f"x{key}" if isinstance(key, int) else str(key)
                for key in getattr(source, "keys", [])] or [f"x{j}" for j in range(Xk.shape[1])]
        if X is None:
            X = np.empty((spec.n_samples, Xk.shape[1]), dtype=np.float64)
            y = np.empty(spec.n_samples, dtype=np.int64)
            names = keys
        elif rows.size and keys != names:
            raise ValueError(f"concept {k} has features {keys}, concept 0 has {names}: "
                             "a drift must not change the feature set")
        X[rows], y[rows] = Xk, yk
    if spec.label_noise > 0:
        y = flip_labels(y, spec.label_noise, info.n_classes(concepts[0]),
                         np.random.default_rng(seed_for(seed, 3)))
    n_classes = max([info.n_classes(c) for c in concepts] + [int(y.max()) + 1 if y.size else 0])
    return Stream(X=X, y=y, concept=concept, feature_names=names, concepts=concepts,
                  class_names=[str(k) for k in range(n_classes)])


def flip_labels(y: np.ndarray, rate: float, n_classes: int, rng) -> np.ndarray:
    """Replace a ``rate`` share of labels by a different class drawn uniformly."""
    flip = rng.random(y.size) < rate
    classes = np.union1d(np.unique(y), np.arange(n_classes))
    shift = rng.integers(1, classes.size, size=y.size)
    idx = np.searchsorted(classes, y)
    y = y.copy()
    y[flip] = classes[(idx[flip] + shift[flip]) % classes.size]
    return y


@one_line_errors
def make_real_stream(spec, seed: int):
    """The :class:`lab.data.stream.Stream` of a ``dataset:`` or ``csv:`` source (first n rows)."""
    kind, _, rest = spec.source.partition(":")
    data = load_dataset(rest, spec.n_samples) if kind == "dataset" else \
        load_csv(rest, spec.params, spec.n_samples)
    n = len(data.y)
    concept = np.zeros(n, dtype=np.int16)
    starts = [0]
    for drift in spec.drifts:  # user-marked suspected drift points: segment index
        concept[drift.at:] += 1
        starts.append(drift.at)
    y = data.y
    if spec.label_noise > 0:
        y = flip_labels(y, spec.label_noise, len(data.class_names),
                         np.random.default_rng(seed_for(seed, 3)))
    concepts = [{"segment": k, "start": s} for k, s in enumerate(starts)]
    return Stream(X=data.X, y=y, concept=concept, feature_names=data.feature_names,
                  concepts=concepts, class_names=data.class_names)
