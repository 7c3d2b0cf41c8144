"""The oracle: the retrain schedule that was best in hindsight, raced like a contender.

A reference, not a policy one could run live: it knows the whole stream. It answers "how far is
this policy from the best schedule we could have chosen?" (a contender's *regret* is its cost
minus the oracle's), following the *Oracle* of Mahadevan & Mathioudakis, "Cost-Effective
Retraining of Machine Learning Models", Knowledge-Based Systems 2024 (arXiv 2310.04216).

How, at the warm-up's end (:meth:`OraclePolicy.warm_up`):

1. Candidates: a retrain after the label arrival at every step ``r`` with
   ``(r + 1 - warmup) mod grid = 0`` whose model would deploy (at ``r + 1 + retrain_latency``)
   before the stream ends. Each is fitted once, on exactly the rows a periodic retrain at that
   step trains on (:class:`~lab.policies.batch.PeriodicPolicy`'s own ``data`` / ``window`` /
   ``half_life`` rule, asked, not copied: the labels received by step ``r``, i.e. up to
   ``r - label_delay``, or with ``evaluation.labels`` the bought ones that have arrived).
2. Scoring: every fitted model, the warm-up's included, predicts the rest of the stream after
   its deployment in numpy chunks, and its wrong predictions are priced stretch by stretch
   (the stretches run between consecutive deployment points), giving the cost matrix of
   :mod:`lab.policies.oracle_schedule`.
3. The dynamic programme there picks the schedule of least total cost: errors, plus each
   retrain's price and its training rows' price. Exact over every schedule on the grid.

Then the race replays it like any batch policy: the chosen models deploy at their points, the
deployed model scores the stream in chunks into the trace, and each chosen retrain is logged
(``retrain_start``, ``deploy``) and counted in ``retrains``, ``train_samples`` and
``train_cpu_s`` (the CPU seconds its fit took during planning) when the replay reaches it. The
cost counters are those of the chosen schedule, as if it had been run live; the planning work
(every candidate's fit and scoring) is reported apart in :attr:`OraclePolicy.plan`.

Prices: the policy's ``costs`` attribute, read at warm-up (None: every wrong prediction costs 1
and nothing else costs anything, so the oracle minimises the error count). Whoever builds the
policy sets it to the config's cost ledger prices before calling ``warm_up``. CPU seconds are
not priced by the oracle (they are unknown before fitting): it prices training by rows.
"""

from __future__ import annotations

import bisect
import math
import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from threadpoolctl import threadpool_limits

from lab.learners import cpu_clock
from lab.policies.base import PendingDeploy, mean_index, rows_mean_index
from lab.policies.batch import PeriodicPolicy
from lab.policies.kind import (
    DATA,
    HALF_LIFE,
    RETRAIN_LATENCY,
    WINDOW,
    PolicyKind,
    Work,
    settings_of,
)
from lab.policies.oracle_schedule import (
    Prices,
    error_prices,
    optimal_schedule,
    schedule_cost,
    stretch_sums,
    switch_prices,
)
from lab.spec.checks import Field

GRID = ("grid", Field("int", 250, "samples between two candidate retrain points of the "
                      "hindsight-optimal schedule", minimum=1,
                      fix="use a positive number of samples, e.g. 250",
                      label="Candidate retrain every (samples)"))

MAX_CANDIDATES = 2000
"""Most candidate retrain points a race may plan over: planning fits each once, predicts about
``candidates * n / 2`` samples and keeps a ``candidates^2`` cost matrix (2,000: 32 MB)."""

PREDICT_ROWS = 65_536
"""Rows per ``predict`` call while scoring a candidate: few calls, bounded memory."""


def candidate_points(n: int, warmup: int, grid: int, latency: int) -> np.ndarray:
    """The first sample of each candidate retrain, ``p = r + 1`` for the retrain after the label
    at step ``r``: every ``grid`` samples after the warm-up, while its model (serving from
    ``p + latency``) would still serve a sample.

    >>> candidate_points(2000, 500, 400, 0).tolist(), candidate_points(2000, 500, 400, 300).tolist()
    ([900, 1300, 1700], [900, 1300])
    """
    return np.arange(warmup + grid, n - latency, grid, dtype=np.int64)


def _training_rows(settings: dict, points: np.ndarray) -> np.ndarray:
    """Training rows of candidates starting at ``points`` with label delay 0 (the cost
    estimate's view): a window caps them at ``window``, decay at 30 half-lives."""
    if settings["data"] == "window":
        return np.minimum(points, settings["window"])
    if settings["data"] == "decay":
        return np.minimum(points, int(30 * settings["half_life"]))
    return points


def _oracle_work(settings: dict, n: int, warmup: int, n_drifts: int) -> Work:
    """Planning fits every candidate and scores each model from its deployment to the end;
    the replay scores the stream once more."""
    points = candidate_points(n, warmup, settings["grid"], settings["retrain_latency"])
    rows = _training_rows(settings, points)
    deploys = points + settings["retrain_latency"]
    scored = 2 * (n - warmup) + int((n - deploys).sum())
    return Work(fits=1 + len(points), fit_rows=warmup + int(rows.sum()),
                largest_fit=max([warmup, *rows.tolist()]), scored=scored)


def _oracle_editor_fields(settings: dict) -> tuple[str, ...]:
    extra = {"window": ("window",), "decay": ("half_life",)}.get(settings.get("data"), ())
    return ("grid", "data") + extra


@dataclass
class OraclePlan:
    """What planning found and what it cost.

    ``points``: first sample of each candidate retrain (model ``k`` is ``points[k - 1]``'s);
    ``deploys``: first sample each model serves, the warm-up's (``warmup``) first; ``rows``:
    training rows per model; ``errors`` / ``switch``: the priced cost matrix and deployment
    prices of :mod:`lab.policies.oracle_schedule`; ``chosen``: the models deployed (indices
    ``>= 1``); ``cost``: the schedule's total (warm-up rows included); ``fits`` / ``fit_rows`` /
    ``fit_cpu_s``: candidate fits made while planning (the warm-up's not included), and their
    process CPU seconds; ``warmup_cpu_s``: the warm-up fit's; ``seconds``: planning's wall
    time."""

    prices: Prices
    points: np.ndarray
    deploys: np.ndarray
    rows: np.ndarray
    errors: np.ndarray
    switch: np.ndarray
    chosen: tuple[int, ...] = ()
    cost: float = math.nan
    fits: int = 0
    fit_rows: int = 0
    fit_cpu_s: float = 0.0
    warmup_cpu_s: float = 0.0
    seconds: float = 0.0
    models: dict[int, Any] = field(default_factory=dict, repr=False)  # chosen models only
    weights: dict[int, Any] = field(default_factory=dict, repr=False)
    cpu_s: dict[int, float] = field(default_factory=dict, repr=False)
    spans: dict[int, tuple[int, int]] = field(default_factory=dict, repr=False)
    picked: dict[int, Any] = field(default_factory=dict, repr=False)  # received samples or None

    def cost_of(self, chosen) -> float:
        """The cost of another schedule on the same grid (models ``chosen``), priced alike."""
        return schedule_cost(self.errors, self.switch, chosen)


class OraclePolicy(PeriodicPolicy):
    """Retrain at the grid points a dynamic programme chose knowing the whole stream (module
    docstring); the ``data`` rule is periodic's."""

    KIND = PolicyKind(
        name="oracle", label="Best schedule in hindsight (oracle)", position=70,
        doc="a reference that knows the future: among retrains every `grid` samples, makes "
            "exactly those that minimise the stream's total cost (errors, retrains, training "
            "rows), training like a periodic retrain",
        fields=settings_of(GRID, DATA, WINDOW, HALF_LIFE, RETRAIN_LATENCY),
        work=_oracle_work, editor_fields=_oracle_editor_fields,
        check=PeriodicPolicy.KIND.check)

    def __init__(self, *args):
        super().__init__(*args)
        self.plan: OraclePlan | None = None
        self._asked: tuple | None = None
        self._steps: list[int] = []  # the chosen retrains' steps r, increasing
        self._by_step: dict[int, int] = {}  # step r -> model index

    @property
    def schedule_cost(self) -> float:
        """The chosen schedule's total cost at the oracle's prices (NaN before planning)."""
        return self.plan.cost if self.plan is not None else math.nan

    @property
    def training_cpu_total(self) -> float:
        """Process CPU seconds of every fit it made, planning's included: what hindsight cost.
        ``train_cpu_s`` charges the chosen schedule's fits only, as if it had run live."""
        if self.plan is None:
            return self.train_cpu_s
        return self.plan.warmup_cpu_s + self.plan.fit_cpu_s

    @property
    def chosen_points(self) -> list[int]:
        """First sample of each chosen retrain (``r + 1``), increasing."""
        return [step + 1 for step in self._steps]

    # -- planning --------------------------------------------------------------------------
    def _is_retrain_step(self, r: int) -> bool:
        return r + 1 > self.warmup and (r + 1 - self.warmup) % self.spec.grid == 0

    def _start_retrain(self, step: int, lo: int, hi: int, weights=None, why: str = "",
                       rows=None) -> None:
        # reached only from PeriodicPolicy's rule, asked by _rows_at: note its rows, fit later
        self._asked = (lo, hi, weights, rows)

    def _rows_at(self, step: int) -> tuple | None:
        """``(lo, hi, weights, rows)`` a periodic retrain at ``step`` trains on (None: no rows;
        ``rows`` None: all of ``[lo, hi)``, else the received samples, see
        :meth:`lab.policies.base.Policy._training_rows`)."""
        self._asked = None
        PeriodicPolicy._after_labels(self, step, step + 1)
        return self._asked

    def warm_up(self) -> None:
        super().warm_up()
        began = time.perf_counter()
        # One BLAS/OpenMP thread while planning, as the app and the sweep run whole races
        # (ui/race.py says why): dozens of small fits on a busy 2-core machine ran 4x faster
        # (logistic regression, default race: 0.6 s of CPU instead of 3.4 s), same schedule.
        with threadpool_limits(limits=1):
            self.plan = self._plan()
        self.plan.seconds = time.perf_counter() - began

    def _plan(self) -> OraclePlan:
        n = len(self.stream)
        points = candidate_points(n, self.warmup, self.spec.grid, self.latency)
        if len(points) > MAX_CANDIDATES:
            raise ValueError(f"the oracle would plan over {len(points):,} candidate retrains "
                             f"(at most {MAX_CANDIDATES:,}). Fix: use a grid of at least "
                             f"{math.ceil((n - self.warmup) / MAX_CANDIDATES):,} samples")
        models, spans, weights, cpu = [self.model], [(0, self.warmup)], [None], [0.0]
        picked = [None]  # the received samples of each fit (None: its whole span)
        kept = []
        for point in points.tolist():
            self._stop_asked()  # hundreds of fits: a race stopped meanwhile stops here
            asked = self._rows_at(point - 1)
            if asked is None:
                continue  # no labelled rows yet (a long label delay): no candidate here
            lo, hi, w, rows = asked
            start = cpu_clock()
            models.append(self.learner.fit(self.stream, lo, hi, w) if rows is None
                          else self.learner.fit_rows(self.stream, rows, w))
            cpu.append(cpu_clock() - start)
            spans.append((lo, hi))
            picked.append(rows)
            weights.append(w)
            kept.append(point)
        points = np.asarray(kept, dtype=np.int64)
        deploys = np.concatenate(([self.warmup], points + self.latency))
        rows = np.array([hi - lo if got is None else len(got)
                         for (lo, hi), got in zip(spans, picked)], dtype=np.int64)
        prices = Prices.of(self.costs)
        errors = np.zeros((len(models), len(models)))
        for i, model in enumerate(models):
            self._stop_asked()
            priced = error_prices(self.stream.y[deploys[i]:n], self._predictions(model, deploys[i]),
                                  prices)
            errors[i, i:] = stretch_sums(priced, deploys[i:] - deploys[i])
        switch = switch_prices(rows, prices)
        schedule = optimal_schedule(errors, switch)
        plan = OraclePlan(prices, points, deploys, rows, errors, switch, schedule.chosen,
                          schedule.cost, fits=len(points), fit_rows=int(rows[1:].sum()),
                          fit_cpu_s=float(sum(cpu[1:])), warmup_cpu_s=self.train_cpu_s)
        for k in schedule.chosen:  # keep the chosen models only
            plan.models[k], plan.weights[k], plan.cpu_s[k] = models[k], weights[k], cpu[k]
            plan.spans[k], plan.picked[k] = spans[k], picked[k]
        self._steps = [int(points[k - 1]) - 1 for k in schedule.chosen]
        self._by_step = {step: k for step, k in zip(self._steps, schedule.chosen)}
        return plan

    def _predictions(self, model, lo: int) -> np.ndarray:
        """``model``'s predictions for samples ``[lo, n)``, coded as the trace codes them."""
        n = len(self.stream)
        parts = [self.trace.labels(self.learner.predict(model, self.stream, a,
                                                        min(n, a + PREDICT_ROWS)))
                 for a in range(lo, n, PREDICT_ROWS)]
        return np.concatenate(parts) if parts else np.zeros(0, dtype=self.trace.predicted.dtype)

    # -- replay ----------------------------------------------------------------------------
    def _next_action_end(self, i: int, end: int) -> int:
        at = bisect.bisect_left(self._steps, i)
        return min(end, self._steps[at] + 1) if at < len(self._steps) else end

    def _after_labels(self, lo: int, hi: int) -> int:
        step = hi - 1
        k = self._by_step.get(step)
        if k is not None:
            start, stop = self.plan.spans[k]
            weights, picked = self.plan.weights[k], self.plan.picked[k]
            count = stop - start if picked is None else len(picked)
            self.train_samples += count
            self.train_cpu_s += self.plan.cpu_s[k]
            self.retrains += 1
            received = "" if picked is None else " labelled"
            self.events.append((step + 1, "retrain_start", f"best in hindsight: fit on samples "
                                f"{start}..{stop - 1} ({count}{received} rows)"))
            mean = (mean_index(start, stop, weights, self.memory) if picked is None
                    else rows_mean_index(picked, weights, self.memory))
            self.pending.append(PendingDeploy(
                step + 1 + self.latency, start, stop, self.plan.models.pop(k), mean,
                f"model trained on samples {start}..{stop - 1} deployed", picked))
        return hi
