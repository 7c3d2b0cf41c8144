"""The cost ledger: what a contender's run costs at the config's prices (``costs``).

Every amount is a count times a price (:class:`lab.spec.costs.Costs`), in the currency unit the
prices are written in, and each part is traceable to a count the lab already reports:

* ``compute = train_samples * train_sample + train_cpu_s * cpu_second``: samples passed to
  training and process CPU seconds spent training, warm-up included (``train_samples_cum``,
  ``train_cpu_s_cum``). The CPU part is measured, so it varies a little between runs.
* ``retrains = retrains * retrain``: from-scratch fits after the warm-up, charged when they
  start (``retrains_cum``).
* ``labels = labels_bought * label``: the labels bought and delivered to the contender by then
  (all of them without ``evaluation.labels``; a share of them with it, see
  :mod:`lab.policies.label_plan`), see :func:`labels_bought`.
* ``errors = sum over scored samples i of price(y_i, predicted_i)``: ``error`` for a wrong
  prediction and 0 for a right one, or with ``error_matrix`` M the entry ``M[y_i][predicted_i]``
  (a sample with no prediction costs ``error``), see :func:`error_prices`.
* ``total = compute + retrains + labels + errors`` (added in that order), and in the summary
  ``per_1000 = 1000 * total / n_scored``: the whole bill, warm-up included, per 1,000 scored
  samples.

With no ``costs`` in the config every price is 0 but ``error`` = 1: the ledger is the number of
wrong predictions. :func:`bill` is the one pricing function: the timeline, the summary and any
schedule priced elsewhere (an oracle) call it with their counts, scalars or numpy arrays alike.

>>> from lab.spec.costs import Costs
>>> bill(Costs(retrain=5.0, label=0.5), train_samples=100, train_cpu_s=2.0, retrains=3,
...      labels=40, errors=7.0)
{'compute': 0.0, 'retrains': 15.0, 'labels': 20.0, 'errors': 7.0, 'total': 42.0}
"""

from __future__ import annotations

import numpy as np

from lab.policies.base import NO_PREDICTION
from lab.spec.costs import LEDGER_PARTS, Costs


def bill(costs: Costs, *, train_samples, train_cpu_s, retrains, labels, errors) -> dict:
    """The ledger's parts and total from the counts (scalars or arrays of equal length);
    ``errors`` is already an amount: the sum of :func:`error_prices` over the samples priced."""
    parts = {"compute": (np.multiply(train_samples, costs.train_sample)
                         + np.multiply(train_cpu_s, costs.cpu_second)),
             "retrains": np.multiply(retrains, costs.retrain),
             "labels": np.multiply(labels, costs.label),
             "errors": errors}
    total = parts["compute"] + parts["retrains"] + parts["labels"] + parts["errors"]
    out = {part: _plain(parts[part]) for part in LEDGER_PARTS}
    out["total"] = _plain(total)
    return out


def _plain(value):
    """A numpy scalar as a Python float (for JSON); arrays stay arrays."""
    return float(value) if np.ndim(value) == 0 else np.asarray(value, dtype=np.float64)


def error_prices(y: np.ndarray, predicted: np.ndarray, costs: Costs) -> np.ndarray:
    """Per sample, the price of its prediction: ``costs.error`` where ``predicted != y`` (0
    where right); with ``costs.error_matrix`` M, ``M[y][predicted]``, and ``costs.error`` for
    :data:`~lab.policies.base.NO_PREDICTION` (no class to look up)."""
    y = np.asarray(y)
    predicted = np.asarray(predicted)
    if costs.error_matrix is None:
        return np.where(predicted != y, costs.error, 0.0)
    matrix = np.asarray(costs.error_matrix, dtype=np.float64)
    k = matrix.shape[0]
    out = np.full(y.shape, costs.error, dtype=np.float64)
    known = (predicted != NO_PREDICTION) & (predicted >= 0) & (predicted < k) & (y < k)
    out[known] = matrix[y[known], predicted[known].astype(np.int64)]
    return out


def labels_bought(ts, warmup: int, label_delay: int, bought: np.ndarray | None = None,
                  arrivals: np.ndarray | None = None) -> np.ndarray:
    """Labels delivered to the contender when ``t`` samples have been seen, per ``t`` of ``ts``:
    the labels bought (every one without ``evaluation.labels``) whose arrival has happened.

    With every label bought and the fixed delay, the label of sample i arrives once sample
    ``i + label_delay`` has been predicted, so by ``t`` the labels of samples ``[0, max(warmup,
    t - label_delay))`` have arrived (the warm-up's at once). ``bought`` (a per-sample 0/1 array)
    counts only the bought ones among those, for a fixed delay. ``arrivals``: the sorted
    arrival steps of the scored samples' bought labels (a label arriving after step ``s`` is
    delivered once ``s + 1`` samples have been seen), for delays that vary per sample: the
    count is then ``warmup + #{arrivals < t}`` (the warm-up's labels are always bought).

    >>> labels_bought([1000, 1100, 1300], 1000, 100).tolist()
    [1000, 1000, 1200]
    >>> labels_bought([1000, 1001, 1006], 1000, 0, arrivals=np.array([1000, 1003, 1005])).tolist()
    [1000, 1001, 1003]
    """
    ts = np.asarray(ts, dtype=np.int64)
    if arrivals is not None:
        return warmup + np.searchsorted(np.asarray(arrivals, dtype=np.int64), ts, side="left")
    ends = np.minimum(np.maximum(warmup, ts - label_delay), ts)
    if bought is None:
        return ends
    cum = np.concatenate(([0], np.cumsum(bought, dtype=np.int64)))
    return cum[ends]


def _errors_cum(y, predicted, warmup: int, ts, costs: Costs) -> np.ndarray:
    """The errors part at each ``t`` of ``ts`` (scored samples ``[warmup, t)``), summed in
    stream order so that the summary's total equals the timeline's last row to the bit."""
    ts = np.asarray(ts, dtype=np.int64)
    last = int(ts[-1]) if ts.size else warmup
    prices = error_prices(y[warmup:last], predicted[warmup:last], costs)
    cum = np.concatenate(([0.0], np.cumsum(prices)))
    return cum[np.maximum(ts - warmup, 0)]


def timeline_costs(costs: Costs, y, predicted, ts, warmup: int, label_delay: int,
                   train_samples_cum, train_cpu_s_cum, retrains_cum,
                   label_steps: np.ndarray | None = None) -> dict[str, np.ndarray]:
    """``timeline.csv``'s cumulative cost columns at the recording points ``ts``;
    ``label_steps``: the contender's bought labels' arrival steps (``Policy.
    received_label_steps``; None: every label bought, each ``label_delay`` late)."""
    parts = bill(costs, train_samples=np.asarray(train_samples_cum, dtype=np.int64),
                 train_cpu_s=np.asarray(train_cpu_s_cum, dtype=np.float64),
                 retrains=np.asarray(retrains_cum, dtype=np.int64),
                 labels=labels_bought(ts, warmup, label_delay, arrivals=label_steps),
                 errors=_errors_cum(y, predicted, warmup, ts, costs))
    return {f"cost_{part}": np.asarray(value, dtype=np.float64) for part, value in parts.items()}


def summary_cost(costs: Costs, y, predicted, n_done: int, warmup: int, label_delay: int,
                 train_samples: int, train_cpu_s: float, retrains: int,
                 label_steps: np.ndarray | None = None) -> dict:
    """The summary's ``cost`` object (the ledger after ``n_done`` samples, with the two counts
    that only it reports) and ``cost_total``; ``label_steps`` as for :func:`timeline_costs`."""
    scored = max(0, n_done - warmup)
    labels = int(labels_bought([n_done], warmup, label_delay, arrivals=label_steps)[0])
    parts = bill(costs, train_samples=train_samples, train_cpu_s=train_cpu_s,
                 retrains=retrains, labels=labels,
                 errors=float(_errors_cum(y, predicted, warmup, [n_done], costs)[0]))
    wrong = int(np.count_nonzero(predicted[warmup:n_done] != y[warmup:n_done]))
    cost = {**parts, "per_1000": 1000 * parts["total"] / scored if scored else None,
            "labels_bought": labels, "wrong_predictions": wrong}
    return {"cost": cost, "cost_total": parts["total"]}


def add_regret(contenders: list[dict], kinds: list[str]) -> None:
    """When an oracle raced (``policy.kind`` "oracle", finished), give every contender's summary
    ``regret`` = its ``cost_total`` minus the oracle's (null for one without a bill) and mark the
    oracle ``"oracle": true``; with several oracles the first one is the reference. Without an
    oracle nothing is added, so summaries of races without one keep their form.

    Regret can be negative: the oracle is the best schedule of *its* model, data rule and grid
    (``docs/metrics.md``, "The oracle"), not of every policy.

    >>> rows = [{"status": "ok", "cost_total": 120.0}, {"status": "ok", "cost_total": 100.0}]
    >>> add_regret(rows, ["periodic", "oracle"]); [(r.get("oracle"), r["regret"]) for r in rows]
    [(None, 20.0), (True, 0.0)]
    """
    oracle = next((c for c, kind in zip(contenders, kinds)
                   if kind == "oracle" and c["status"] == "ok" and c["cost_total"] is not None),
                  None)
    if oracle is None:
        return
    oracle["oracle"] = True
    for c in contenders:
        total = c.get("cost_total")
        c["regret"] = None if total is None else total - oracle["cost_total"]
