"""The hindsight-optimal retrain schedule on a grid of candidate retrain points, by dynamic
programming: pure numpy, no models (:mod:`lab.policies.oracle` fits and scores them).

The problem (Mahadevan & Mathioudakis, "Cost-Effective Retraining of Machine Learning
Models", Knowledge-Based Systems 2024, arXiv 2310.04216: the *Oracle* that their Cara
algorithms are measured against, a dynamic programme over a matrix of staleness costs).
Candidate models ``0 .. K``: model 0 is the warm-up fit, deployed at the warm-up's end; model
``k >= 1`` is the retrain at the ``k``-th grid point, and would serve from its deployment on.
The scored stream is cut at the candidates' deployment points into stretches ``0 .. K``
(stretch ``j`` runs from model ``j``'s deployment to model ``j + 1``'s), so that

* ``errors[i, j]`` (``j >= i``): the price of the errors model ``i`` makes on stretch ``j``;
* ``switch[k]``: the price of deploying model ``k``: a retrain plus its training rows
  (``retrain + rows[k] * train_sample``); ``switch[0]`` is the warm-up's rows, paid by every
  schedule.

A schedule is a set of retrains ``0 = k_0 < k_1 < ... < k_m``; model ``k_a`` serves stretches
``k_a .. k_{a+1} - 1`` and the last one serves to the end. Its cost is
``sum_a switch[k_a] + sum_a sum_{j = k_a}^{k_{a+1} - 1} errors[k_a, j]``. With ``best[k]`` the
least cost of serving stretches ``0 .. k - 1`` and deploying model ``k``::

    best[0] = switch[0]
    best[k] = switch[k] + min_{i < k} (best[i] + errors[i, i:k].sum())
    optimum = min_i (best[i] + errors[i, i:].sum())

which is a shortest path over the candidates in ``O(K^2)`` (numpy over ``i`` for each ``k``),
exact over all ``2^K`` schedules on the grid (the tests check it against brute force).

Ties (schedules of equal cost, common when retrains are free): the one with fewer retrains
wins, then the one whose last switch comes earlier; costs within ``1e-9`` relative of each other
count as equal, so float rounding in sums of different order cannot flip the choice.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from lab.policies.trace import NO_PREDICTION

_TIE = 1e-9  # relative tolerance under which two costs are equal (see the module docstring)


@dataclass(frozen=True)
class Prices:
    """The prices the oracle optimises, in one currency unit: ``error`` per wrong prediction
    (or ``error_matrix[true][predicted]``, a K x K nested sequence in class-code order),
    ``retrain`` per retrain (deployment), ``train_sample`` per training row. Defaults: errors
    cost 1, the rest 0, so the oracle minimises the number of wrong predictions.

    CPU seconds and labels are not priced here: CPU time is not known before fitting, and
    every schedule receives the same labels (the config's ledger prices both afterwards)."""

    error: float = 1.0
    retrain: float = 0.0
    train_sample: float = 0.0
    error_matrix: tuple | None = None

    @classmethod
    def of(cls, costs) -> Prices:
        """The prices of a ledger's ``costs`` object (anything with some of the attributes
        ``error``, ``error_matrix``, ``retrain``, ``train_sample``; a missing one takes the
        default), or the defaults for ``None``."""
        if costs is None:
            return cls()
        default = cls()
        return cls(**{name: getattr(costs, name, getattr(default, name))
                      for name in ("error", "retrain", "train_sample", "error_matrix")})


def error_prices(y: np.ndarray, predicted: np.ndarray, prices: Prices) -> np.ndarray:
    """Per sample, the price of predicting ``predicted`` when the truth is ``y``: ``error``
    where they differ (0 where right), or ``error_matrix[y][predicted]`` with a matrix; a
    sample with no prediction (:data:`NO_PREDICTION`, or a class outside the matrix) costs
    ``error``. The same rule as the cost ledger's, so the oracle's cost is the ledger's.

    >>> error_prices(np.array([0, 1, 1]), np.array([0, 0, -1]), Prices(error=2.0)).tolist()
    [0.0, 2.0, 2.0]
    >>> error_prices(np.array([0, 1]), np.array([1, 0]),
    ...              Prices(error_matrix=((0, 1), (5, 0)))).tolist()
    [1.0, 5.0]
    """
    y, predicted = np.asarray(y), np.asarray(predicted)
    if prices.error_matrix is None:
        return np.where(predicted != y, float(prices.error), 0.0)
    matrix = np.asarray(prices.error_matrix, dtype=np.float64)
    k = matrix.shape[0]
    out = np.full(y.shape, float(prices.error), dtype=np.float64)
    known = (predicted != NO_PREDICTION) & (predicted >= 0) & (predicted < k) & (y >= 0) & (y < k)
    out[known] = matrix[y[known].astype(np.int64), predicted[known].astype(np.int64)]
    return out


def stretch_sums(values: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """Sums of ``values`` over the stretches beginning at offsets ``starts`` (increasing, the
    first 0; each runs to the next, the last to the end); an empty stretch sums to 0.

    >>> stretch_sums(np.array([1.0, 2.0, 3.0, 4.0]), np.array([0, 1, 1, 3])).tolist()
    [1.0, 0.0, 5.0, 4.0]
    """
    cum = np.concatenate(([0.0], np.cumsum(values, dtype=np.float64)))
    edges = np.append(np.asarray(starts, dtype=np.int64), len(values))
    return cum[edges[1:]] - cum[edges[:-1]]


def switch_prices(rows: np.ndarray, prices: Prices) -> np.ndarray:
    """``switch[k]`` of the module docstring: ``rows[k] * train_sample``, plus ``retrain`` for
    every model but the warm-up's (``k = 0``)."""
    switch = np.asarray(rows, dtype=np.float64) * float(prices.train_sample)
    switch[1:] += float(prices.retrain)
    return switch


def schedule_cost(errors: np.ndarray, switch: np.ndarray, chosen) -> float:
    """The cost of the schedule that deploys models ``chosen`` (retrain indices ``>= 1``, in any
    order; model 0 always serves first): its switches plus each model's errors on the
    stretches it serves. The plain sum the dynamic programme minimises, for checking it and
    for pricing any other schedule on the grid (a periodic retrain every m grid steps)."""
    errors = np.asarray(errors, dtype=np.float64)
    stops = sorted({0, *(int(k) for k in chosen)})
    ends = stops[1:] + [errors.shape[1]]
    total = sum(float(switch[k]) for k in stops)
    for k, end in zip(stops, ends):
        total += float(errors[k, k:end].sum())
    return total


@dataclass(frozen=True)
class Schedule:
    """The optimum: the retrains to make (candidate indices ``>= 1``, increasing) and its cost
    (switches, the warm-up's included, plus errors)."""

    chosen: tuple[int, ...]
    cost: float


def _smallest(costs: np.ndarray, counts: np.ndarray) -> int:
    """Index of the least cost, ties (within :data:`_TIE`) to the fewest retrains, then to the
    smallest index."""
    low = costs.min()
    tied = np.flatnonzero(costs <= low + _TIE * max(1.0, abs(low)))
    return int(tied[np.argmin(counts[tied])])  # argmin: the first of the fewest


def optimal_schedule(errors: np.ndarray, switch: np.ndarray) -> Schedule:
    """The least-cost schedule over every subset of the candidates (module docstring).

    ``errors``: (K+1) x (K+1), ``errors[i, j]`` for ``j >= i`` (entries below the diagonal are
    ignored); ``switch``: K+1 prices. Costs must be finite.

    >>> errors = np.array([[1.0, 9.0, 9.0], [0.0, 2.0, 2.0], [0.0, 0.0, 1.0]])
    >>> optimal_schedule(errors, np.array([0.0, 3.0, 3.0]))  # retrain once, at candidate 1
    Schedule(chosen=(1,), cost=8.0)
    >>> optimal_schedule(errors, np.array([0.0, 30.0, 30.0]))  # retrains too dear: none
    Schedule(chosen=(), cost=19.0)
    """
    errors = np.asarray(errors, dtype=np.float64)
    switch = np.asarray(switch, dtype=np.float64)
    size = errors.shape[0]
    if errors.shape != (size, size) or switch.shape != (size,) or size == 0:
        raise ValueError(f"errors must be square (K+1 x K+1) and switch K+1 long, got "
                         f"{errors.shape} and {switch.shape}")
    # served[i, k] = errors[i, i:k].sum(): model i serving stretches i .. k-1 (0 for k <= i)
    upper = np.triu(errors)
    served = np.zeros((size, size + 1))
    served[:, 1:] = np.cumsum(upper, axis=1)  # columns <= i sum the zeros below the diagonal
    best = np.empty(size)
    retrains = np.zeros(size, dtype=np.int64)
    came_from = np.full(size, -1, dtype=np.int64)
    best[0] = switch[0]
    for k in range(1, size):
        options = best[:k] + served[:k, k]
        i = _smallest(options, retrains[:k])
        best[k] = switch[k] + options[i]
        retrains[k] = retrains[i] + 1
        came_from[k] = i
    totals = best + served[:, size]
    last = _smallest(totals, retrains)
    chosen = []
    k = last
    while k > 0:
        chosen.append(k)
        k = int(came_from[k])
    return Schedule(tuple(reversed(chosen)), float(totals[last]))
