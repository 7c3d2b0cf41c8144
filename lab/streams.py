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
  band is ``[at - width - 1, at + width - 1)`` (:attr:`lab.spec.experiment.Drift.start` and ``end``);
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
((1000, 3), 0, 1, ['0', '1', '2'])
"""

from __future__ import annotations

import inspect
import random
from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np
import pandas as pd
from scipy.special import expit

from lab.spec.checks import Field

# Size caps of the generators' parameters. river allocates per centroid and per feature (and
# the RBF generator moves every drifting centroid in every feature, in Python, for every sample),
# so an unbounded value from a shared link would exhaust memory in validation alone.
MAX_FEATURES = 200
MAX_CLASSES = 50
MAX_CENTROIDS = 1000
MAX_RBF_CELLS = 20_000  # n_centroids * n_features of one RBF concept (its per-sample work)


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


def _no_cross_check(params: dict) -> None:
    return None


@dataclass(frozen=True)
class GeneratorInfo:
    """A stream source: how to build it, its parameters, their defaults and allowed ranges.

    ``ranges`` maps every non-boolean parameter to ``(minimum, maximum, doc)`` (a 4th item True
    makes the minimum exclusive); validation checks them before any generator is built, and
    ``python -m lab schema`` shows them. ``check`` returns ``(key, problem, fix)`` for a limit
    between parameters (e.g. ``n_drift_features <= n_features``), or None.

    ``build(params, sample_seed, concept_seed=0)`` draws the samples from ``sample_seed`` and
    the randomly drawn parts of the concept, if the generator has any, from ``concept_seed``
    (see :func:`make_stream` for how both are derived).
    """

    name: str
    description: str
    defaults: dict[str, Any]
    build: Callable[..., Any]  # (params, sample_seed, concept_seed=0) -> has draw(n) -> (X, y)
    n_classes: Callable[[dict], int]
    reference: str
    ranges: dict[str, tuple] = field(default_factory=dict)
    check: Callable[[dict], tuple[str, str, str] | None] = _no_cross_check

    @property
    def fields(self) -> dict[str, Field]:
        """One :class:`lab.spec.checks.Field` per parameter, typed after its default."""
        out = {}
        for key, default in self.defaults.items():
            if isinstance(default, bool):
                out[key] = Field("boolean", default, "true or false")
                continue
            lo, hi, doc, *exclusive = self.ranges[key]
            kind = "int" if isinstance(default, int) else "number"
            out[key] = Field(kind, default, doc, minimum=lo, maximum=hi,
                             exclusive_minimum=bool(exclusive and exclusive[0]),
                             fix=f"use an integer from {lo:,} to {hi:,} (default {default})"
                             if kind == "int" else
                             f"use a number from {lo:g} to {hi:g} (default {default})")
        return out


class _RiverSource:
    """Wraps a river synthetic generator so it draws numpy blocks and can continue later.

    With ``sample_seed``, ``generator`` was built with the *concept* seed and keeps one RNG,
    ``generator._rng``, that river's ``__iter__`` creates from that seed, draws the concept from
    first (hyperplane weights, LED segment swaps) and then reads afresh for every sample. The
    first sample is drawn (and discarded) to run that set-up, then ``_rng`` is replaced by an
    RNG of ``sample_seed``: the concept is the concept seed's, every served sample the sample
    seed's, and river's own loop still makes them.
    """

    def __init__(self, generator, sample_seed: int | None = None):
        self.generator = generator
        self._iter = iter(generator)
        if sample_seed is not None:
            next(self._iter)
            generator._rng = random.Random(sample_seed)

    def draw(self, n: int) -> tuple[np.ndarray, np.ndarray]:
        rows, ys = [], []
        for _ in range(n):
            x, y = next(self._iter)
            rows.append(list(x.values()))
            ys.append(int(y))
        self.keys = list(x.keys()) if n else getattr(self, "keys", [])
        return np.asarray(rows, dtype=np.float64).reshape(n, -1), np.asarray(ys, dtype=np.int64)


CONCEPT_SEED_RANGE = (0, 2**32 - 1, "draws the concept's random parts; a drift that changes "
                                    "it gets a new concept, one that keeps it the same")


def _river_info(name, cls_name, description, reference, ranges, n_classes=lambda p: 2,
                check=_no_cross_check, adapt=lambda kwargs: kwargs, drawn_concept=False):
    """A river generator; ``adapt`` rewrites its keyword arguments (same samples, less work).

    ``drawn_concept``: river draws part of the concept from ``seed``, with the same RNG as the
    samples; it gets a ``concept_seed`` parameter and is built by :class:`_RiverSource`'s split
    of the two. RandomRBF keeps river's own split (``seed_model`` / ``seed_sample``).
    """
    from river.datasets import synth

    cls = getattr(synth, cls_name)
    sig = inspect.signature(cls)
    defaults = {k: p.default for k, p in sig.parameters.items() if k not in ("seed", "seed_sample")}
    if "seed_model" in defaults:
        defaults["seed_model"] = 1  # the concept's identity for RandomRBF; a drift may change it
    if drawn_concept:
        defaults = {"concept_seed": 0, **defaults}
        ranges = {"concept_seed": CONCEPT_SEED_RANGE, **ranges}

    def build(params: dict, sample_seed: int, concept_seed: int = 0):
        kwargs = adapt(dict(params))
        if drawn_concept:
            kwargs.pop("concept_seed", None)
            return _RiverSource(cls(**kwargs, seed=concept_seed), sample_seed)
        if "seed_sample" in sig.parameters:
            kwargs["seed_sample"] = sample_seed  # seed_model (the centroids) is a parameter
        else:
            kwargs["seed"] = sample_seed  # nothing of the concept is drawn from it
        return _RiverSource(cls(**kwargs))

    return GeneratorInfo(name, description, defaults, build, n_classes, reference, ranges, check)


_SHARE = (0.0, 1.0, "a share between 0 and 1")


def _hyperplane_check(p: dict):
    if p["n_drift_features"] > p["n_features"]:
        return ("n_drift_features", f"is {p['n_drift_features']}, more than n_features "
                                    f"({p['n_features']})",
                f"let at most n_features ({p['n_features']}) features drift")
    return None


def _rbf_check(p: dict):
    cells = p["n_centroids"] * p["n_features"]
    if cells > MAX_RBF_CELLS:
        return ("n_centroids", f"{p['n_centroids']:,} centroids x {p['n_features']} features "
                               f"= {cells:,} centroid coordinates, more than {MAX_RBF_CELLS:,}",
                f"use at most {MAX_RBF_CELLS // p['n_features']:,} centroids with "
                f"{p['n_features']} features")
    return None


def _rbf_adapt(kwargs: dict) -> dict:
    """River moves ``n_drift_centroids`` centroids in every feature for every sample, even at
    ``change_speed`` 0 where each move adds 0 (centres stay in [0, 1], so nothing bounces and
    the samples are the same); skip that work then. More than ``n_centroids`` drifting
    centroids means all of them, as river does (without its warning)."""
    kwargs["n_drift_centroids"] = (0 if kwargs["change_speed"] == 0 else
                                   min(kwargs["n_drift_centroids"], kwargs["n_centroids"]))
    return kwargs


def _generators() -> dict[str, GeneratorInfo]:
    # What each generator draws at random for its *concept* (river 0.26's synth sources), and
    # so where a drift's `to` must not reseed it:
    # - sea, agrawal, stagger, sine: nothing; the concept is the threshold variant or the
    #   classification function, and `seed` only draws samples (agrawal's and stagger's and
    #   sine's `generate_drift`, which would draw a function, is never called).
    # - hyperplane: the initial weights are the first draws of the one RNG river seeds in
    #   `__iter__`, which then draws x, the noise flips and the `sigma` direction flips:
    #   `drawn_concept` splits them (the weights from `concept_seed`).
    # - rbf: centroids (centre, class, spread, weight) and their drift directions come from
    #   `seed_model`, samples from `seed_sample`; river already splits them.
    # - led: which segments `n_drift_features` swaps with irrelevant features is drawn from
    #   `seed` before the samples, with the same RNG: `drawn_concept` splits them.
    # - blobs2d (ours): nothing; `angle`, `shift`, `separation`, `std` are the concept.
    infos = [
        _river_info("sea", "SEA",
                    "3 uniform features in [0, 10]; class = x0 + x1 > threshold (variant 0-3 picks "
                    "the threshold 8, 9, 7, 9.5).",
                    "Street & Kim (2001), A streaming ensemble algorithm (SEA), KDD.",
                    {"variant": (0, 3, "threshold variant: 0-3 for 8, 9, 7, 9.5"),
                     "noise": (0.0, 1.0, "share of labels flipped at random")}),
        _river_info("agrawal", "Agrawal",
                    "9 loan-applicant features; 10 classification functions (0-9). river's "
                    "generator draws ~17k samples/s here, so keep it under ~100k samples.",
                    "Agrawal, Imielinski & Swami (1993), Database mining: a performance perspective.",
                    {"classification_function": (0, 9, "classification function 0-9"),
                     "perturbation": (0.0, 1.0, "share of noise added to numeric features")}),
        _river_info("stagger", "STAGGER",
                    "3 categorical features (size, colour, shape); 3 boolean concepts.",
                    "Schlimmer & Granger (1986), Incremental learning from noisy data.",
                    {"classification_function": (0, 2, "boolean concept 0-2")}),
        _river_info("sine", "Sine",
                    "2 uniform features; functions 0/1 (sine boundary and its reverse), "
                    "2/3 (sine curve and its reverse).",
                    "Gama et al. (2004), Learning with drift detection, SBIA.",
                    {"classification_function": (0, 3, "classification function 0-3")}),
        _river_info("hyperplane", "Hyperplane",
                    "Rotating hyperplane; `mag_change` > 0 gives incremental drift; a new "
                    "`concept_seed` draws new weights (a new concept).",
                    "Hulten, Spencer & Domingos (2001), Mining time-changing data streams, KDD.",
                    {"n_features": (1, MAX_FEATURES, "number of features"),
                     "n_drift_features": (0, MAX_FEATURES,
                                          "features whose weight drifts, at most n_features"),
                     "mag_change": (0.0, 1.0, "weight change per sample (0: no drift)"),
                     "noise_percentage": (0.0, 1.0, "share of labels flipped at random"),
                     "sigma": (0.0, 1.0, "probability that a drift reverses direction")},
                    check=_hyperplane_check, drawn_concept=True),
        _river_info("rbf", "RandomRBFDrift",
                    "Gaussian centroids per class; `change_speed` > 0 moves them (incremental "
                    "drift); a new `seed_model` is a new concept.",
                    "Bifet et al. (2009), New ensemble methods for evolving data streams, KDD.",
                    {"seed_model": (0, 2**32 - 1, "seed of the centroids: a concept's identity"),
                     "n_classes": (2, MAX_CLASSES, "number of classes"),
                     "n_features": (1, MAX_FEATURES, "number of features"),
                     "n_centroids": (1, MAX_CENTROIDS,
                                     f"number of centroids; n_centroids x n_features at most "
                                     f"{MAX_RBF_CELLS:,}"),
                     "change_speed": (0.0, 1.0, "distance a drifting centroid moves per sample"),
                     "n_drift_centroids": (0, MAX_CENTROIDS,
                                           "centroids that move (at most n_centroids are)")},
                    n_classes=lambda p: int(p["n_classes"]), check=_rbf_check,
                    adapt=_rbf_adapt),
        _river_info("led", "LEDDrift",
                    "7-segment display digits (10 classes); `n_drift_features` swaps segments "
                    "with irrelevant features (which ones: drawn from `concept_seed`).",
                    "Breiman et al. (1984), CART; river.datasets.synth.LEDDrift.",
                    {"noise_percentage": (0.0, 1.0, "share of segments flipped at random"),
                     "n_drift_features": (0, 7, "segments swapped with irrelevant features "
                                                "(needs irrelevant_features)")},
                    n_classes=lambda p: 10, drawn_concept=True),
        GeneratorInfo(
            "blobs2d",
            "Two Gaussian classes in 2-D; `angle` (degrees) rotates and `shift` moves the "
            "boundary, so the app can draw it.",
            {"angle": 0.0, "shift": 0.0, "separation": 2.0, "std": 1.0},
            lambda params, sample_seed, concept_seed=0: Blobs2D(**params, seed=sample_seed),
            lambda p: 2,
            "Ours: a 2-D teaching stream.",
            {"angle": (-3600.0, 3600.0, "direction of the class axis, degrees"),
             "shift": (-100.0, 100.0, "move of the boundary along the class axis"),
             "separation": (-100.0, 100.0, "distance between the class centres (negative "
                                           "swaps the classes)"),
             "std": (0.0, 100.0, "spread of each class, > 0", True)},
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
    concept: np.ndarray  # (n,) concept index, int16 (int32 past 32,768 concepts)
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
    101 concepts, but a stream built directly from a :class:`lab.spec.experiment.StreamSpec` may have
    more, and an int16 would silently wrap past 32,767.

    >>> concept_dtype(101), concept_dtype(40_000)
    (dtype('int16'), dtype('int32'))
    """
    return np.dtype(np.int16) if n_concepts <= 2**15 else np.dtype(np.int64 if n_concepts > 2**31
                                                                   else np.int32)


def _seed_for(seed: int, *path: int) -> int:
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
    return _seed_for(seed, 4, int(params.get("concept_seed", 0)))


def make_stream(spec, seed: int) -> Stream:
    """Draw the whole stream described by a :class:`lab.spec.experiment.StreamSpec`, reproducibly.

    Concept ``k`` draws its samples from a seed of its own (``_seed_for(seed, 2, k)``), so the
    samples after a drift are fresh even when the concept is unchanged, and its drawn concept
    parts from :func:`concept_seed_for`, which only the concept's parameters decide.

    ``dataset:`` and ``csv:`` sources are read by :mod:`lab.datasets` (their problems raise
    :class:`lab.spec.errors.ConfigError`, as a config check would).
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
        source = info.build(params, _seed_for(seed, 2, k), concept_seed_for(params, seed))
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
