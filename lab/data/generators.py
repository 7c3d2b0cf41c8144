"""The synthetic stream generators: their parameters, ranges, checks and the code that draws
a concept's samples (river's synth generators and a 2-D blobs generator of our own).

:data:`GENERATORS` is the registry :mod:`lab.validate` checks ``stream.source`` and
``stream.params`` against; :mod:`lab.data.stream` draws a whole drifting stream from it.
"""

from __future__ import annotations

import inspect
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

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

    Class 1 is centred at ``(shift + separation/2) * n`` and class 0 at
    ``(shift - separation/2) * n``
    with ``n = (cos angle, sin angle)``, so the Bayes boundary is the line through ``shift * n``
    perpendicular to ``n``. Rotating ``angle`` by 90 degrees halves a frozen model's accuracy;
    180 degrees swaps the classes.

    >>> X, y = Blobs2D(angle=0, seed=0).draw(4)
    >>> X.shape, sorted(set(y.tolist())) <= [0, 1]
    ((4, 2), True)

    A longer draw starts with the shorter one (a concept's first samples do not depend on how
    many it gets):

    >>> bool((Blobs2D(seed=3).draw(10)[0][:4] == Blobs2D(seed=3).draw(4)[0]).all())
    True
    """

    def __init__(self, angle: float = 0.0, shift: float = 0.0, separation: float = 2.0,
                 std: float = 1.0, seed: int | None = None):
        if std <= 0:
            raise ValueError("std must be > 0")
        self.angle, self.shift, self.separation, self.std = angle, shift, separation, std
        # Labels and noise come from two generators, so the first m samples of draw(n) are
        # draw(m): a concept's early samples do not move when a later drift's width changes how
        # many samples the concept gets. (One generator drew all n labels, then all the noise,
        # so every sample's position depended on n.)
        label_seed, noise_seed = np.random.SeedSequence(seed).spawn(2)
        self._label_rng = np.random.default_rng(label_seed)
        self._noise_rng = np.random.default_rng(noise_seed)

    def draw(self, n: int) -> tuple[np.ndarray, np.ndarray]:
        theta = np.deg2rad(self.angle)
        normal = np.array([np.cos(theta), np.sin(theta)])
        y = self._label_rng.integers(0, 2, size=n)
        offset = self.shift + (y - 0.5) * self.separation
        X = offset[:, None] * normal[None, :] + self._noise_rng.normal(0.0, self.std, size=(n, 2))
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
                    "Agrawal, Imielinski & Swami (1993), Database mining: "
                    "a performance perspective.",
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
