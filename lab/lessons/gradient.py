"""Lesson 10: full-batch, mini-batch and stochastic gradient descent on one fixed data set.

This is the *other* meaning of "mini-batch": not a stream, no drift, no time. One fixed table of
``n_rows`` rows is learned by a logistic-regression model with plain gradient descent; only the
number of rows used to estimate each step's direction changes:

* full batch (all ``n_rows``): one exact gradient per update, so the loss falls smoothly, but
  every update costs a pass over the whole table;
* mini-batches (32-512 rows): a noisy estimate of the gradient at a fraction of the cost;
* SGD (batch size 1): the noisiest estimate, the cheapest step.

Every method takes steps of the same size (``lr``) from the same starting point (all weights 0)
and sees the rows in a seeded random order, reshuffled each epoch. After *every* update the loss
on the whole table (the log-loss, i.e. scikit-learn's ``log_loss``) is recorded, so the curves
can be drawn against updates and against samples processed.

Why our own numpy loop: scikit-learn's ``SGDClassifier(loss="log_loss").partial_fit(batch)`` is
one *epoch of per-sample updates* over the batch, not one step along the batch's mean gradient,
and neither it nor ``MLPClassifier`` (whose ``loss_curve_`` has one value per epoch) exposes the
loss after each update. So the mini-batch and full-batch steps are written out below (a dozen
lines). The batch-size-1 loop is the same algorithm as ``SGDClassifier(loss="log_loss",
penalty=None, learning_rate="constant", eta0=lr)``; the tests check that both give the same
weights. The best reachable loss comes from scikit-learn's ``LogisticRegression`` (no penalty).

The numbers a lesson claim is checked on come from :func:`summarise_gradient` (a plain dict, like
``summary.json`` for a race), so the app, the CLI and the tests share the check.

>>> run = run_gradient({"n_rows": 400, "epochs": 1, "min_updates": 10, "batch_sizes": ["full", 1]})
>>> [c["batch"] for c in run.summary["curves"]], run.summary["curves"][0]["updates"]
(['full', 1], 10)
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from lab.spec.checks import check_flat_config, describe
from lab.spec.errors import ConfigError
from lab.spec.experiment import set_path

KIND = "gradient"

DEFAULTS: dict[str, Any] = {
    "kind": KIND,
    "seed": 0,
    "n_rows": 2000,
    "n_features": 10,
    "batch_sizes": ["full", 512, 128, 32, 1],
    "lr": 0.3,
    "epochs": 2,
    "min_updates": 150,
    "tolerance": 0.01,
}

# (type, minimum, maximum, fix) of each key; "batch_sizes" is checked on its own.
_FIELDS = {
    "seed": (int, 0, 2**32 - 1, "use a whole number between 0 and 4294967295"),
    "n_rows": (int, 50, 200_000, "use between 50 and 200,000 rows, e.g. 2000"),
    "n_features": (int, 1, 200, "use between 1 and 200 features, e.g. 10"),
    "lr": (float, 1e-6, 100.0, "use a positive step size, e.g. 0.3"),
    "epochs": (float, 0.01, 50.0, "use a positive number of passes over the data, e.g. 2"),
    "min_updates": (int, 1, 100_000, "use a positive number of updates, e.g. 150"),
    "tolerance": (float, 1e-6, 1.0, "use a small positive loss difference, e.g. 0.01"),
}


# Work limits (an override from a link or the CLI sets any key): every update's weights are
# kept (updates x (n_features + 1) floats) and its loss is computed on every row, so the cost is
# sum(updates) x n_rows x n_features. The app's widgets stay far below these.
MAX_BATCH_SIZES = 10
MAX_TABLE_CELLS = 2_000_000  # n_rows x n_features (16 MB)
MAX_PATH_CELLS = 5_000_000  # updates x (n_features + 1) of one batch size (40 MB)
MAX_LOSS_ROWS = 1_000_000_000  # sum over batch sizes of updates x n_rows


def n_updates(cfg: dict, size: int) -> int:
    """Updates of one batch size: ``epochs`` passes, at least ``min_updates``."""
    return max(int(round(cfg["epochs"] * -(-cfg["n_rows"] // size))), cfg["min_updates"])


def validate(config: dict) -> dict:
    """The config with defaults filled in; :class:`ConfigError` naming the key otherwise."""
    out = check_flat_config(config, DEFAULTS, _FIELDS, KIND, '{"lr": 0.1, ...}')
    sizes = out["batch_sizes"]
    if not isinstance(sizes, list) or not sizes:
        raise ConfigError("batch_sizes", "must be a non-empty list",
                          "write e.g. [\"full\", 512, 128, 32, 1]")
    if len(sizes) > MAX_BATCH_SIZES:
        raise ConfigError("batch_sizes", f"lists {len(sizes):,} batch sizes, more than "
                                         f"{MAX_BATCH_SIZES}", "compare a few batch sizes")
    clean = []
    for k, b in enumerate(sizes):
        if b == "full":
            clean.append("full")
        elif isinstance(b, int) and not isinstance(b, bool) and 1 <= b <= out["n_rows"]:
            clean.append(b)
        else:
            raise ConfigError(f"batch_sizes[{k}]", f"must be \"full\" or a whole number from 1 "
                                                   f"to n_rows ({out['n_rows']}), got "
                                                   f"{describe(b)}",
                              "use e.g. \"full\", 512, 128, 32 or 1")
    if len(set(map(str, clean))) != len(clean):
        raise ConfigError("batch_sizes", "lists a batch size twice", "list each size once")
    out["batch_sizes"] = clean
    _check_work(out)
    return out


def _check_work(cfg: dict) -> None:
    n, d = cfg["n_rows"], cfg["n_features"]
    if n * d > MAX_TABLE_CELLS:
        raise ConfigError("n_rows", f"{n:,} rows x {d} features = {n * d:,} values, more than "
                                    f"{MAX_TABLE_CELLS:,}",
                          f"use at most {MAX_TABLE_CELLS // d:,} rows with {d} features")
    updates = {b: n_updates(cfg, n if b == "full" else b) for b in cfg["batch_sizes"]}
    for b, u in updates.items():
        if u * (d + 1) > MAX_PATH_CELLS:
            raise ConfigError("batch_sizes", f"batch size {b} makes {u:,} updates of {d + 1} "
                                             f"weights, more than {MAX_PATH_CELLS:,} values",
                              "use fewer epochs, fewer rows or larger batches")
    if sum(updates.values()) * n > MAX_LOSS_ROWS:
        raise ConfigError("epochs", f"{sum(updates.values()):,} updates, each scored on {n:,} "
                                    f"rows, is more than {MAX_LOSS_ROWS:,} row evaluations",
                          "use fewer epochs, fewer rows or larger batches")


def with_overrides(config: dict, overrides: dict | None) -> dict:
    """A validated copy of ``config`` with values replaced by path (``"lr"``, ``"batch_sizes"``)."""
    data = copy.deepcopy(config)
    for path, value in (overrides or {}).items():
        set_path(data, path, value)
    return validate(data)


# --------------------------------------------------------------------------------------------
# Data and loss
# --------------------------------------------------------------------------------------------
def make_data(n_rows: int, n_features: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """A seeded 2-class logistic-regression problem: Gaussian features, labels drawn from a
    logistic model whose weights have length 2.5 (so about 85 % of labels are predictable)."""
    rng = np.random.default_rng(np.random.SeedSequence([seed, 10]))
    X = rng.normal(size=(n_rows, n_features))
    w = rng.normal(size=n_features)
    w *= 2.5 / np.linalg.norm(w)
    b = rng.normal() * 0.5
    p = 1.0 / (1.0 + np.exp(-(X @ w + b)))
    y = (rng.random(n_rows) < p).astype(np.float64)
    return X, y


def log_loss(X: np.ndarray, y: np.ndarray, w: np.ndarray, b: float) -> float:
    """Mean log-loss of the logistic model ``(w, b)`` on ``(X, y)``, written stably
    (``log(1 + e^z) - y z``); equal to ``sklearn.metrics.log_loss`` up to rounding."""
    z = X @ w + b
    return float(np.mean(np.logaddexp(0.0, z) - y * z))


def best_loss(X: np.ndarray, y: np.ndarray) -> float:
    """The lowest reachable loss: scikit-learn's unpenalised logistic regression."""
    import warnings

    from sklearn.exceptions import ConvergenceWarning
    from sklearn.linear_model import LogisticRegression

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model = LogisticRegression(C=np.inf, max_iter=1000, tol=1e-10).fit(X, y)
    return log_loss(X, y, model.coef_[0], float(model.intercept_[0]))


# --------------------------------------------------------------------------------------------
# Training
# --------------------------------------------------------------------------------------------
@dataclass
class Curve:
    """One batch size's run: the full-data loss after every update (index 0: before any)."""

    batch: int | str
    size: int  # rows per update
    loss: np.ndarray  # (updates + 1,)
    samples: np.ndarray  # (updates + 1,) samples processed so far
    weights: np.ndarray = field(repr=False, default=None)  # final (w..., b)

    @property
    def updates(self) -> int:
        return len(self.loss) - 1

    @property
    def label(self) -> str:
        if self.batch == "full":
            return f"full batch ({self.size:,})"
        return "SGD (1)" if self.size == 1 else f"mini-batch {self.size}"


def train(X: np.ndarray, y: np.ndarray, batch_size: int, lr: float, n_updates: int,
          seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Gradient descent on the mean log-loss with ``batch_size`` rows per step.

    Rows are visited in a seeded random order, reshuffled at each epoch; a step uses the next
    ``batch_size`` rows (the last batch of an epoch may be smaller). Returns the full-data loss
    after each update (with the starting loss first) and the final ``(w, b)``.
    """
    n, d = X.shape
    rng = np.random.default_rng(np.random.SeedSequence([seed, 11, batch_size]))
    path = np.zeros((n_updates + 1, d + 1))  # (w, b) before the first and after every update
    w, b = np.zeros(d), 0.0
    order, pos = rng.permutation(n), 0
    for k in range(1, n_updates + 1):
        if pos >= n:
            order, pos = rng.permutation(n), 0
        if batch_size >= n:
            Xb, yb = X, y  # full batch: every row, no copy
        else:
            idx = order[pos:pos + batch_size]
            Xb, yb = X[idx], y[idx]
        pos += batch_size
        # gradient of the mean log-loss over the batch: X^T (sigmoid(Xw + b) - y) / m
        err = 1.0 / (1.0 + np.exp(-(Xb @ w + b))) - yb
        w = w - lr * (Xb.T @ err) / len(yb)
        b = b - lr * float(err.mean())
        path[k, :d], path[k, d] = w, b
    return path_losses(X, y, path), path[-1]


def path_losses(X: np.ndarray, y: np.ndarray, path: np.ndarray, chunk: int = 1024) -> np.ndarray:
    """:func:`log_loss` of every ``(w, b)`` row of ``path``, a few hundred at a time (one matrix
    product per chunk instead of one per update: the loss curve of SGD has thousands of points)."""
    out = np.empty(len(path))
    # mean(y z) = (y^T X w) / n + b mean(y): one dot product per row instead of a full pass
    yz = path[:, :-1] @ (y @ X) / len(y) + path[:, -1] * y.mean()
    for lo in range(0, len(path), chunk):
        part = path[lo:lo + chunk]
        Z = X @ part[:, :-1].T
        Z += part[:, -1]
        out[lo:lo + chunk] = np.logaddexp(0.0, Z).mean(axis=0)
    return out - yz


def _samples_axis(n: int, size: int, updates: int) -> np.ndarray:
    """Samples processed after each update (an epoch's last batch may be short)."""
    per_epoch = [size] * (n // size) + ([n % size] if n % size else [])
    counts = np.resize(np.asarray(per_epoch), updates)
    return np.concatenate(([0], np.cumsum(counts)))


@dataclass
class GradientRun:
    config: dict
    curves: list[Curve]
    best: float
    summary: dict


def run_gradient(config: dict | None = None, overrides: dict | None = None) -> GradientRun:
    """Train with every batch size of the config; the result's ``summary`` feeds the claim."""
    from threadpoolctl import threadpool_limits

    cfg = with_overrides(config or DEFAULTS, overrides)
    # small matrices: BLAS threads only add overhead (and much more on a busy machine)
    with threadpool_limits(limits=1):
        return _run(cfg)


def _run(cfg: dict) -> GradientRun:
    X, y = make_data(cfg["n_rows"], cfg["n_features"], cfg["seed"])
    n = cfg["n_rows"]
    curves = []
    for batch in cfg["batch_sizes"]:
        size = n if batch == "full" else int(batch)
        updates = n_updates(cfg, size)
        loss, weights = train(X, y, size, cfg["lr"], updates, cfg["seed"])
        curves.append(Curve(batch, size, loss, _samples_axis(n, size, updates), weights))
    best = best_loss(X, y)
    return GradientRun(cfg, curves, best, summarise_gradient(cfg, curves, best))


def summarise_gradient(cfg: dict, curves: list[Curve], best: float) -> dict:
    """Plain numbers per batch size, for claims, tables and exports.

    * ``raise_share``: share of updates after which the full-data loss went *up*;
    * ``samples_to_target`` / ``updates_to_target``: when the loss first came within
      ``tolerance`` of the best reachable loss (None: never within the run);
    * ``loss_after_k``: the loss after ``k = min_updates`` updates (same number for all).
    """
    target = best + cfg["tolerance"]
    k = cfg["min_updates"]
    out = []
    for c in curves:
        hit = np.flatnonzero(c.loss <= target)
        out.append({
            "batch": c.batch,
            "size": c.size,
            "label": c.label,
            "updates": c.updates,
            "samples": int(c.samples[-1]),
            "start_loss": float(c.loss[0]),
            "final_loss": float(c.loss[-1]),
            "loss_after_k": float(c.loss[min(k, c.updates)]),
            "raise_share": float(np.mean(np.diff(c.loss) > 0)),
            "updates_to_target": int(hit[0]) if hit.size else None,
            "samples_to_target": int(c.samples[hit[0]]) if hit.size else None,
        })
    return {"kind": KIND, "config": cfg, "best_loss": float(best), "target_loss": float(target),
            "k": k, "curves": out}
