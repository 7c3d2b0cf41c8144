"""Synthetic data streams with injected concept drift.

A stream is a sequence of *concepts* (parameter sets of one generator). Drifts switch the active
concept at a sample index: suddenly (``width`` 0) or gradually, the new concept's share rising
along a sigmoid over ``width`` samples as in MOA's ConceptDriftStream (Bifet et al., 2010, MOA:
Massive Online Analysis, JMLR 11). A drift back to an earlier parameter set re-activates that
concept (same generator, same concept index): a recurring drift.

Why our own drift injection: river's ``ConceptDriftStream`` computes ``exp(-4 (i - position) /
width)`` unguarded and overflows for small widths (more than ~709 in the exponent), and it nests
one stream per drift. Here the concept of every sample is decided up front from a seeded RNG,
then each concept's generator draws exactly the samples it serves, so each sample knows the
concept it came from (the ``concept`` column).

The generators themselves are river's (``river.datasets.synth``), with river's parameter names,
plus ``blobs2d`` (ours: river has no 2-D stream whose boundary a drift can rotate or move).

>>> from lab.config import StreamSpec, Drift
>>> spec = StreamSpec("sea", 1000, {"variant": 0}, (Drift(500, 0, {"variant": 2}),))
>>> s = make_stream(spec, seed=1)
>>> s.X.shape, int(s.concept[499]), int(s.concept[500]), s.feature_names
((1000, 3), 0, 1, ['0', '1', '2'])
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np
import pandas as pd
from scipy.special import expit


# --------------------------------------------------------------------------------------------
# Generators
# --------------------------------------------------------------------------------------------
class Blobs2D:
    """Two Gaussian classes in the plane whose boundary a drift can rotate or move.

    Class 1 is centred at ``(shift + separation/2) * n`` and class 0 at ``(shift - separation/2) * n``
    with ``n = (cos angle, sin angle)``, so the Bayes boundary is the line through ``shift * n``
    perpendicular to ``n``. Rotating ``angle`` by 90 degrees halves a frozen model's accuracy;
    180 degrees swaps the classes.

    >>> X, y = Blobs2D(angle=0, seed=0).draw(4)
    >>> X.shape, sorted(set(y.tolist())) <= [0, 1]
    ((4, 2), True)
    """

    def __init__(self, angle: float = 0.0, shift: float = 0.0, separation: float = 2.0,
                 std: float = 1.0, seed: int | None = None):
        if std <= 0:
            raise ValueError("std must be > 0")
        self.angle, self.shift, self.separation, self.std = angle, shift, separation, std
        self.rng = np.random.default_rng(seed)

    def draw(self, n: int) -> tuple[np.ndarray, np.ndarray]:
        theta = np.deg2rad(self.angle)
        normal = np.array([np.cos(theta), np.sin(theta)])
        y = self.rng.integers(0, 2, size=n)
        offset = self.shift + (y - 0.5) * self.separation
        X = offset[:, None] * normal[None, :] + self.rng.normal(0.0, self.std, size=(n, 2))
        return X, y


@dataclass(frozen=True)
class GeneratorInfo:
    """A stream source: how to build it, its parameters and their defaults."""

    name: str
    description: str
    defaults: dict[str, Any]
    build: Callable[[dict, int], Any]  # (params, seed) -> object with draw(n) -> (X, y)
    n_classes: Callable[[dict], int]
    reference: str


class _RiverSource:
    """Wraps a river synthetic generator so it draws numpy blocks and can continue later."""

    def __init__(self, generator):
        self._iter = iter(generator)

    def draw(self, n: int) -> tuple[np.ndarray, np.ndarray]:
        rows, ys = [], []
        for _ in range(n):
            x, y = next(self._iter)
            rows.append(list(x.values()))
            ys.append(int(y))
        self.keys = list(x.keys()) if n else getattr(self, "keys", [])
        return np.asarray(rows, dtype=np.float64).reshape(n, -1), np.asarray(ys, dtype=np.int64)


def _river_info(name, cls_name, description, reference, n_classes=lambda p: 2):
    from river.datasets import synth

    cls = getattr(synth, cls_name)
    sig = inspect.signature(cls)
    defaults = {k: p.default for k, p in sig.parameters.items() if k not in ("seed", "seed_sample")}
    if "seed_model" in defaults:
        defaults["seed_model"] = 1  # the concept's identity for RandomRBF; a drift may change it

    def build(params: dict, seed: int):
        kwargs = dict(params)
        if "seed_sample" in sig.parameters:
            kwargs["seed_sample"] = seed
        else:
            kwargs["seed"] = seed
        return _RiverSource(cls(**kwargs))

    return GeneratorInfo(name, description, defaults, build, n_classes, reference)


def _generators() -> dict[str, GeneratorInfo]:
    infos = [
        _river_info("sea", "SEA",
                    "3 uniform features in [0, 10]; class = x0 + x1 > threshold (variant 0-3 picks "
                    "the threshold 8, 9, 7, 9.5).",
                    "Street & Kim (2001), A streaming ensemble algorithm (SEA), KDD."),
        _river_info("agrawal", "Agrawal",
                    "9 loan-applicant features; 10 classification functions (0-9). river's "
                    "generator draws ~17k samples/s here, so keep it under ~100k samples.",
                    "Agrawal, Imielinski & Swami (1993), Database mining: a performance perspective."),
        _river_info("stagger", "STAGGER",
                    "3 categorical features (size, colour, shape); 3 boolean concepts.",
                    "Schlimmer & Granger (1986), Incremental learning from noisy data."),
        _river_info("sine", "Sine",
                    "2 uniform features; functions 0/1 (sine boundary and its reverse), "
                    "2/3 (sine curve and its reverse).",
                    "Gama et al. (2004), Learning with drift detection, SBIA."),
        _river_info("hyperplane", "Hyperplane",
                    "Rotating hyperplane; `mag_change` > 0 gives incremental drift.",
                    "Hulten, Spencer & Domingos (2001), Mining time-changing data streams, KDD."),
        _river_info("rbf", "RandomRBFDrift",
                    "Gaussian centroids per class; `change_speed` > 0 moves them (incremental "
                    "drift); a new `seed_model` is a new concept.",
                    "Bifet et al. (2009), New ensemble methods for evolving data streams, KDD.",
                    n_classes=lambda p: int(p["n_classes"])),
        _river_info("led", "LEDDrift",
                    "7-segment display digits (10 classes); `n_drift_features` swaps features.",
                    "Breiman et al. (1984), CART; river.datasets.synth.LEDDrift.",
                    n_classes=lambda p: 10),
        GeneratorInfo(
            "blobs2d",
            "Two Gaussian classes in 2-D; `angle` (degrees) rotates and `shift` moves the "
            "boundary, so the app can draw it.",
            {"angle": 0.0, "shift": 0.0, "separation": 2.0, "std": 1.0},
            lambda params, seed: Blobs2D(**params, seed=seed),
            lambda p: 2,
            "Ours: a 2-D teaching stream.",
        ),
    ]
    return {g.name: g for g in infos}


GENERATORS: dict[str, GeneratorInfo] = _generators()


# --------------------------------------------------------------------------------------------
# Streams
# --------------------------------------------------------------------------------------------
@dataclass
class Stream:
    """The samples exactly as served, in order, and the concept each was drawn from."""

    X: np.ndarray  # (n, d) float64
    y: np.ndarray  # (n,) int64 class labels
    concept: np.ndarray  # (n,) int16 concept index
    feature_names: list[str]
    concepts: list[dict] = field(default_factory=list)  # parameters of each concept index
    class_names: list[str] | None = None  # original label of class k (real data), else None
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
        """The ``stream.csv`` table: feature columns, ``y``, ``concept``."""
        df = pd.DataFrame(self.X, columns=self.feature_names)
        df["y"] = self.y
        df["concept"] = self.concept
        return df


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


def assign_concepts(n: int, drifts, targets: list[int], rng: np.random.Generator) -> np.ndarray:
    """The concept index of every sample.

    A gradual drift over ``[at, at + width)`` takes a sample from the new concept with probability
    ``expit(8 (i - centre) / width)``: 1.8 % at ``at``, 50 % at the centre, 98.2 % at the end,
    and certainly from the end on (the transition is confined to the stated window).

    >>> from lab.config import Drift
    >>> c = assign_concepts(10, [Drift(5, 0, {})], [1], np.random.default_rng(0))
    >>> c.tolist()
    [0, 0, 0, 0, 0, 1, 1, 1, 1, 1]
    """
    concept = np.zeros(n, dtype=np.int16)
    for drift, target in zip(drifts, targets):
        end = drift.at + drift.width
        if drift.width > 0:
            idx = np.arange(drift.at, min(end, n))
            share = expit(8.0 * (idx + 0.5 - (drift.at + drift.width / 2)) / drift.width)
            take = rng.random(idx.size) < share
            concept[idx[take]] = target
        concept[min(end, n):] = target
    return concept


def _seed_for(seed: int, *path: int) -> int:
    """An independent, reproducible 31-bit seed for one part of the experiment."""
    return int(np.random.SeedSequence([seed, *path]).generate_state(1)[0] >> 1)


def make_stream(spec, seed: int) -> Stream:
    """Draw the whole stream described by a :class:`lab.config.StreamSpec`, reproducibly.

    ``dataset:`` and ``csv:`` sources are read by :mod:`lab.datasets` (their problems raise
    :class:`lab.config.ConfigError`, as a config check would).
    """
    if spec.source.startswith(("dataset:", "csv:")):
        from lab.datasets import make_real_stream

        return make_real_stream(spec, seed)
    info = GENERATORS[spec.source]
    concepts, targets = concept_params(spec)
    concept = assign_concepts(spec.n_samples, spec.drifts, targets,
                              np.random.default_rng(_seed_for(seed, 1)))
    X = y = names = None
    for k, params in enumerate(concepts):
        rows = np.flatnonzero(concept == k)
        if rows.size == 0 and k > 0:
            continue  # a concept no sample is drawn from (e.g. a drift at the very end)
        source = info.build(params, _seed_for(seed, 2, k))
        Xk, yk = source.draw(rows.size)
        keys = [str(key) for key in getattr(source, "keys", [])] or [f"x{j}" for j in
                                                                      range(Xk.shape[1])]
        if X is None:
            X = np.empty((spec.n_samples, Xk.shape[1]), dtype=np.float64)
            y = np.empty(spec.n_samples, dtype=np.int64)
            names = keys
        elif rows.size and keys != names:
            raise ValueError(f"concept {k} has features {keys}, concept 0 has {names}: "
                             "a drift must not change the feature set")
        X[rows], y[rows] = Xk, yk
    if spec.label_noise > 0:
        y = _flip_labels(y, spec.label_noise, info.n_classes(concepts[0]),
                         np.random.default_rng(_seed_for(seed, 3)))
    return Stream(X=X, y=y, concept=concept, feature_names=names, concepts=concepts)


def _flip_labels(y: np.ndarray, rate: float, n_classes: int, rng) -> np.ndarray:
    """Replace a ``rate`` share of labels by a different class drawn uniformly."""
    flip = rng.random(y.size) < rate
    classes = np.union1d(np.unique(y), np.arange(n_classes))
    shift = rng.integers(1, classes.size, size=y.size)
    idx = np.searchsorted(classes, y)
    y = y.copy()
    y[flip] = classes[(idx[flip] + shift[flip]) % classes.size]
    return y
