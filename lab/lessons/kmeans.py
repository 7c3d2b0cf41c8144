"""Lesson 11: batch k-means on all the data vs k-means updated point by point, as clusters move.

The data: ``n_clusters`` round groups of 2-D points (spread ``std``), one above the other, that
all drift to the right by ``speed`` units per 1,000 points; points arrive one at a time, each
from a group picked at random. So at any moment there are true *current* centres, and they keep
moving.

The contenders, all from the libraries:

* **batch, all data**: scikit-learn's ``KMeans`` fitted once on every point of the stream, with
  hindsight. Its centroids sit in the middle of each group's path: right for nobody at the end.
* **batch, first part**: ``KMeans`` fitted on the first ``first_part`` points, never again (what
  a model trained once and deployed looks like).
* **online**: river's ``cluster.KMeans``, which moves the closest centre a share ``halflife`` of
  the way towards each new point, so old points fade out geometrically.
* **mini-batch**: scikit-learn's ``MiniBatchKMeans.partial_fit`` on chunks of ``chunk`` points.
  Its update gives each centre a step of 1 / (points it has seen so far): a running *mean*, so it
  learns incrementally but never forgets, and lags like the batch fit. "Mini-batch" says how the
  data arrives, not whether old data fades.

Both incremental learners start from the batch centroids of the first ``first_part`` points
(river's own start, random centres around 0, can leave a centre stranded far from every group;
starting from a first fit is what one does in practice, and makes the comparison about
*tracking*). Every ``step`` points each method's centroids are matched to the true current
centres (Hungarian matching, ``scipy.optimize.linear_sum_assignment``) and the mean distance is
recorded.

>>> run = run_kmeans({"n_points": 600, "first_part": 200, "step": 100})
>>> sorted(run.summary["final_distance"])
['batch_all', 'batch_first', 'minibatch', 'online']
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

import numpy as np

from lab.spec.checks import check_flat_config
from lab.spec.errors import ConfigError
from lab.spec.experiment import set_path

KIND = "kmeans"

METHODS = {
    "batch_all": "Batch k-means on all data",
    "batch_first": "Batch k-means on the first part",
    "online": "Online k-means (river)",
    "minibatch": "Mini-batch k-means (scikit-learn)",
}

DEFAULTS: dict[str, Any] = {
    "kind": KIND,
    "seed": 0,
    "n_points": 3000,
    "n_clusters": 3,
    "speed": 2.0,
    "std": 0.5,
    "spacing": 4.0,
    "halflife": 0.05,
    "first_part": 300,
    "chunk": 100,
    "step": 50,
}

_FIELDS = {
    "seed": (int, 0, 2**32 - 1, "use a whole number between 0 and 4294967295"),
    "n_points": (int, 100, 200_000, "use between 100 and 200,000 points, e.g. 3000"),
    "n_clusters": (int, 2, 8, "use between 2 and 8 groups, e.g. 3"),
    "speed": (float, 0.0, 20.0, "use 0 (still) or a positive speed, e.g. 2 units per 1,000 "
                                "points"),
    "std": (float, 0.01, 5.0, "use a positive spread, e.g. 0.5"),
    "spacing": (float, 0.1, 50.0, "use a positive distance between groups, e.g. 4"),
    "halflife": (float, 1e-4, 1.0, "use a share between 0 and 1, e.g. 0.05"),
    "first_part": (int, 10, 200_000, "use at least 10 points and fewer than n_points"),
    "chunk": (int, 1, 100_000, "use a positive number of points per mini-batch, e.g. 100"),
    "step": (int, 1, 100_000, "use a positive number of points between measurements, e.g. 50"),
}


# Work limits (an override from a link or the CLI sets any key): every measurement matches
# each method's centres to the true ones, and every chunk is one `partial_fit` call (~0.5 ms).
MAX_MEASUREMENTS = 5_000
MAX_MINIBATCH_UPDATES = 20_000


def validate(config: dict) -> dict:
    """The config with defaults filled in; :class:`ConfigError` naming the key otherwise."""
    out = check_flat_config(config, DEFAULTS, _FIELDS, KIND, '{"speed": 2, ...}')
    if out["first_part"] >= out["n_points"]:
        raise ConfigError("first_part", f"is {out['first_part']}, not fewer than n_points "
                                        f"({out['n_points']})", _FIELDS["first_part"][3])
    if out["first_part"] < out["n_clusters"]:
        raise ConfigError("first_part", "has fewer points than groups",
                          "use at least as many points as n_clusters")
    measurements = -(-(out["n_points"] - out["first_part"]) // out["step"])
    if measurements > MAX_MEASUREMENTS:
        smallest = -(-(out["n_points"] - out["first_part"]) // MAX_MEASUREMENTS)
        raise ConfigError("step", f"is {out['step']:,}: {measurements:,} measurements, more "
                                  f"than {MAX_MEASUREMENTS:,}",
                          f"use a step of at least {smallest:,} for {out['n_points']:,} points")
    updates = -(-out["n_points"] // out["chunk"])
    if updates > MAX_MINIBATCH_UPDATES:
        smallest = -(-out["n_points"] // MAX_MINIBATCH_UPDATES)
        raise ConfigError("chunk", f"is {out['chunk']:,}: {updates:,} mini-batch updates, more "
                                   f"than {MAX_MINIBATCH_UPDATES:,}",
                          f"use chunks of at least {smallest:,} points for "
                          f"{out['n_points']:,} points")
    return out


def with_overrides(config: dict, overrides: dict | None) -> dict:
    """A validated copy of ``config`` with values replaced by path (``"speed"``)."""
    data = copy.deepcopy(config)
    for path, value in (overrides or {}).items():
        set_path(data, path, value)
    return validate(data)


def true_centres(cfg: dict, t: np.ndarray | int) -> np.ndarray:
    """True centres when ``t`` points have arrived: shape ``(len(t), k, 2)`` (or ``(k, 2)``)."""
    k = cfg["n_clusters"]
    start = np.stack([np.zeros(k), (np.arange(k) - (k - 1) / 2) * cfg["spacing"]], axis=1)
    tt = np.asarray(t, dtype=float)
    shift = tt[..., None, None] * np.array([cfg["speed"] / 1000.0, 0.0])
    return start + shift


def make_points(cfg: dict) -> tuple[np.ndarray, np.ndarray]:
    """The stream: ``X`` (n, 2) in arrival order and the group each point came from."""
    rng = np.random.default_rng(np.random.SeedSequence([cfg["seed"], 11]))
    n = cfg["n_points"]
    group = rng.integers(0, cfg["n_clusters"], size=n)
    centres = true_centres(cfg, np.arange(n))  # (n, k, 2)
    X = centres[np.arange(n), group] + rng.normal(0.0, cfg["std"], size=(n, 2))
    return X, group


def matched_distance(found: np.ndarray, truth: np.ndarray) -> float:
    """Mean distance between found centroids and true centres, paired so the total is least."""
    from scipy.optimize import linear_sum_assignment

    cost = np.linalg.norm(found[:, None, :] - truth[None, :, :], axis=2)
    rows, cols = linear_sum_assignment(cost)
    return float(cost[rows, cols].mean())


@dataclass
class KMeansRun:
    config: dict
    X: np.ndarray
    group: np.ndarray
    times: np.ndarray  # measurement points (points seen)
    paths: dict[str, np.ndarray]  # method -> (len(times), k, 2) centroids at each time
    distance: dict[str, np.ndarray]  # method -> (len(times),) mean matched distance
    truth: np.ndarray  # (len(times), k, 2)
    summary: dict


def run_kmeans(config: dict | None = None, overrides: dict | None = None) -> KMeansRun:
    """Run the four methods over the moving clusters; ``summary`` feeds the lesson's claim."""
    from threadpoolctl import threadpool_limits

    cfg = with_overrides(config or DEFAULTS, overrides)
    # A few thousand 2-D points: threads only add overhead, and on a busy machine OpenMP's
    # spinning threads made each partial_fit 50 times slower (measured: 50 ms instead of 1 ms).
    with threadpool_limits(limits=1):
        return _run(cfg)


def _run(cfg: dict) -> KMeansRun:
    from river import cluster
    from sklearn.cluster import KMeans, MiniBatchKMeans

    X, group = make_points(cfg)
    n, k, seed = cfg["n_points"], cfg["n_clusters"], cfg["seed"]
    first = cfg["first_part"]
    times = np.unique(np.append(np.arange(first, n + 1, cfg["step"]), n))

    batch_all = KMeans(n_clusters=k, n_init=10, random_state=seed).fit(X).cluster_centers_
    start = KMeans(n_clusters=k, n_init=10, random_state=seed).fit(X[:first]).cluster_centers_

    online = cluster.KMeans(n_clusters=k, halflife=cfg["halflife"], seed=seed)
    for i in range(k):  # start from the first part's centroids (see the module docstring)
        online.centers[i].update({"x": float(start[i, 0]), "y": float(start[i, 1])})
    minibatch = MiniBatchKMeans(n_clusters=k, init=start, n_init=1, random_state=seed,
                                batch_size=cfg["chunk"])
    # partial_fit's first call initialises from `init`; give it the first part as one batch so
    # its running counts start where the online learner's do
    minibatch.partial_fit(X[:first])

    paths = {m: np.empty((len(times), k, 2)) for m in METHODS}
    rows = [{"x": float(a), "y": float(b)} for a, b in X.tolist()]
    learn = online.learn_one
    pos, chunk_start = first, first
    for j, t in enumerate(times):
        for x in rows[pos:t]:
            learn(x)
        pos = t
        while chunk_start + cfg["chunk"] <= t:
            minibatch.partial_fit(X[chunk_start:chunk_start + cfg["chunk"]])
            chunk_start += cfg["chunk"]
        paths["batch_all"][j] = batch_all
        paths["batch_first"][j] = start
        paths["online"][j] = [[online.centers[i]["x"], online.centers[i]["y"]] for i in range(k)]
        paths["minibatch"][j] = minibatch.cluster_centers_
    truth = true_centres(cfg, times)
    distance = {m: np.array([matched_distance(p[j], truth[j]) for j in range(len(times))])
                for m, p in paths.items()}
    return KMeansRun(cfg, X, group, times, paths, distance, truth,
                     summarise_kmeans(cfg, times, distance))


def summarise_kmeans(cfg: dict, times: np.ndarray, distance: dict[str, np.ndarray]) -> dict:
    """Plain numbers per method: ``final_distance`` (mean over the last tenth of the stream),
    ``mean_distance`` (over all measurements) and ``start_distance`` (first measurement)."""
    last = times >= times[-1] - max(1, (cfg["n_points"] - cfg["first_part"]) // 10)
    return {
        "kind": KIND,
        "config": cfg,
        "methods": dict(METHODS),
        "final_distance": {m: float(d[last].mean()) for m, d in distance.items()},
        "mean_distance": {m: float(d.mean()) for m, d in distance.items()},
        "start_distance": {m: float(d[0]) for m, d in distance.items()},
        "path_length": cfg["speed"] * cfg["n_points"] / 1000.0,
    }
