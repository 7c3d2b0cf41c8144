"""The work budget of a race: what it will cost before it runs, and the app's limits on it.

Why: a config can arrive in a link, and a link can be opened by anyone. Per-parameter caps
(``lab.validate``) stop absurd single values, but modest values multiply: 12 adaptive random
forests on 10^6 samples, or a periodic retrain on a 5,000-sample window every 100 samples, are
each valid and each hours of server CPU. So every race the app starts is first *estimated*
(seconds on this machine, sample-contender updates, timeline rows, memory, and the longest step
that cannot be interrupted), and races over :data:`APP_LIMITS` are refused with one message that
names the limit, the estimate and the command that runs them on the user's own machine, where
they cost no one else anything. The CLI applies no budget: a person who runs it pays for it.

The seconds reuse the sweep's per-model cost table (:func:`lab.sweep.cost.estimate_task_seconds`,
which is already policy-aware: online, mini-batch, hybrid, periodic window-capped or not,
triggered). It misses one thing that dominates frequent small retrains: the fixed cost of a
from-scratch fit (a 100-tree random forest takes ~0.19 s to fit even on 50 rows), which its
per-row table spreads over 5,000 rows; :func:`estimate_race` charges :data:`FIT_FIXED_S` per
fit instead. Estimates are rough (the table measured on a shared 2-core machine, one BLAS/OpenMP
thread per race as the app runs it, and scaled to this machine by a probe race,
:mod:`lab.sweep.machine_speed`) and meant for guard rails, not for predictions: they err on the
slow side, and the tests hold them within a factor of 3 of measured CPU time.

>>> from lab.presets import load_preset
>>> est = estimate_race(load_preset("default"))
>>> est.updates, est.timeline_rows, est.seconds < AUTO_RUN_SECONDS
(80000, 190, True)
>>> over_limit(load_preset("default")) is None
True
>>> big = load_preset("default").with_overrides({"stream.n_samples": 1_000_000})
>>> print(over_limit(big))  # doctest: +ELLIPSIS, +NORMALIZE_WHITESPACE
samples × contenders: 4,000,000 sample-contender updates, over the app's limit of 2,000,000.
Fix: ...
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from lab.spec.experiment import Experiment
from lab.spec.labels import format_duration
from lab.sweep.cost import (
    COSTS_US,
    DEFAULT_COST_US,
    STREAM_US,
    contender_work,
    estimate_task_seconds,
)
from lab.sweep.machine_speed import speed_factor

# --------------------------------------------------------------------------------------------
# The app's limits (documented in the README)
# --------------------------------------------------------------------------------------------
AUTO_RUN_SECONDS = 5.0
"""A race estimated above this is never started by opening a link: the page shows the
estimate next to Run and waits for a click."""


@dataclass(frozen=True)
class Limits:
    """What the app runs at all; bigger races go to the CLI."""

    seconds: float = 60.0  # estimated seconds of the whole race (stream drawing included)
    updates: int = 2_000_000  # samples × contenders
    timeline_rows: int = 5_000  # recording points per contender
    memory_bytes: int = 512 * 2**20  # the stream and the per-sample arrays, peak
    # The longest single step that cannot be interrupted (drawing the stream, one from-scratch
    # fit): Stop and closing the tab take effect between steps, so this bounds how late they can
    # come.
    step_seconds: float = 5.0


APP_LIMITS = Limits()
CLI_COMMAND = "python -m lab run --config config.json --out results/x"

# Fixed seconds of one from-scratch fit, whatever its size (constructing and validating the
# model, a forest's 100 trees): the median fit on 50 rows, one thread, on the 2-core development
# machine (load about 1). COSTS_US's per-row fit cost was measured on 5,000-row fits, so it
# already holds 1/5,000 of this per row: see _fit_adjustment.
FIT_FIXED_S: dict[str, float] = {
    "sk.logistic_regression": 0.008,
    "sk.gaussian_nb": 0.003,
    "sk.decision_tree": 0.002,
    "sk.random_forest": 0.19,
    "sk.hist_gradient_boosting": 0.04,
    "sk.sgd": 0.003,
    "river.logistic_regression": 0.001,
    "river.gaussian_nb": 0.0002,
    "river.hoeffding_tree": 0.002,
    "river.hoeffding_adaptive_tree": 0.003,
    "river.adaptive_random_forest": 0.067,
    "river.knn": 0.0007,
}
COSTS_FIT_ROWS = 5000  # the fit size behind COSTS_US's per-row fit cost
DEFAULT_FIT_FIXED_S = 0.2  # a model missing from the table: be pessimistic

# Features per sample of the generators (for memory); hyperplane and rbf read ``n_features``.
GENERATOR_FEATURES = {"sea": 3, "agrawal": 9, "stagger": 3, "sine": 2, "led": 24, "blobs2d": 2}
FLOAT_BYTES = 8
# Drawing a river generator builds one Python list of floats per sample before the numpy array
# (~56 bytes of list + 8 per pointer + 24 per float); per-sample arrays of the stream (y int64,
# concept int16, y_list) and of every contender (correct int8, newest int64).
DRAW_ROW_BYTES, DRAW_FEATURE_BYTES = 56, 32
STREAM_ROW_BYTES = 8 + 2 + 8
CONTENDER_ROW_BYTES = 1 + 8


@dataclass(frozen=True)
class RaceEstimate:
    """What a race will cost, before it runs."""

    seconds: float  # whole race on this machine, one core
    updates: int  # samples × contenders
    timeline_rows: int  # recording points per contender
    memory_bytes: int  # peak: stream, drawing buffers, per-sample arrays
    step_seconds: float  # the longest step that cannot be interrupted
    step_what: str  # what that step is, in words

    def describe(self) -> str:
        """The estimate in a few words, e.g. "about 12 s (160,000 updates)"."""
        return f"about {_seconds(self.seconds)} ({self.updates:,} sample-contender updates)"


def _seconds(s: float) -> str:
    return format_duration(s)  # days and years past two days, not "about 32553 h"


def _n_features(exp: Experiment) -> int:
    spec = exp.stream
    if spec.source in ("hyperplane", "rbf"):
        return int(spec.params.get("n_features", 10))
    if spec.source in GENERATOR_FEATURES:
        return GENERATOR_FEATURES[spec.source]
    features = spec.params.get("features") if isinstance(spec.params, dict) else None
    if isinstance(features, (list, tuple)) and features:
        return len(features)
    if spec.source.startswith("dataset:"):
        from lab.data.datasets import DATASETS

        info = DATASETS.get(spec.source.split(":", 1)[1])
        if info is not None:
            return info.n_features
    return 16  # an upload without an explicit feature list: a generous guess


def _fits(exp: Experiment) -> list[tuple[str, int, int, int]]:
    """Per contender: ``(model, from-scratch fits, rows of all of them, rows of the largest)``,
    as its policy kind counts its work (:func:`lab.sweep.cost.contender_work`)."""
    n, ev, drifts = exp.stream.n_samples, exp.evaluation, len(exp.stream.drifts)
    out = []
    for c in exp.contenders:
        work = contender_work(c.policy, n, ev.warmup, drifts)
        out.append((c.model.name, work.fits, work.fit_rows, work.largest_fit))
    return out


def _fit_adjustment(model: str, fits: int, rows: int) -> float:
    """Seconds to add to the sweep's estimate for ``fits`` fits of ``rows`` rows in all.

    The sweep charges a per-row fit cost measured on 5,000-row fits, which spreads a fit's fixed
    cost over 5,000 rows: right for fits of that size, ~100x low for a forest refit on 50 rows
    every 50 samples, a little high for fits on all of a long stream. This charges the fixed
    cost per fit instead of per 5,000 rows.
    """
    return FIT_FIXED_S.get(model, DEFAULT_FIT_FIXED_S) * (fits - rows / COSTS_FIT_ROWS)


def estimate_race(exp: Experiment, speed: float | None = None) -> RaceEstimate:
    """Estimate a validated experiment's cost without running or drawing anything.

    Its seconds are the cost table's times ``speed``, by default this machine's factor
    (:func:`lab.sweep.machine_speed.speed_factor`; 1 is the machine the table was measured on).

    >>> from lab.presets import load_preset
    >>> e = estimate_race(load_preset("stable").with_overrides({"stream.n_samples": 50_000}))
    >>> e.updates, e.timeline_rows
    (150000, 480)
    """
    n, ev = exp.stream.n_samples, exp.evaluation
    k = len(exp.contenders)
    if speed is None:
        speed = speed_factor()
    seconds = estimate_task_seconds(exp, speed)
    fits = _fits(exp)
    seconds += speed * sum(_fit_adjustment(model, count, rows) for model, count, rows, _ in fits)

    draw_s = STREAM_US.get(exp.stream.source, 1.0) * n / 1e6
    step_s, step_what = draw_s, f"drawing the {n:,}-sample stream"
    for c, (model, count, _, rows) in zip(exp.contenders, fits):
        fit_us, _, online_us, minibatch_us = COSTS_US.get(model, DEFAULT_COST_US)
        if count:
            one = FIT_FIXED_S.get(model, DEFAULT_FIT_FIXED_S) + fit_us * rows / 1e6
            if one > step_s:
                step_s, step_what = one, f"one fit of {model} on {rows:,} samples"
        if c.policy.kind in ("online", "hybrid", "minibatch"):
            # the warm-up learns its samples in one call
            per = minibatch_us if c.policy.kind == "minibatch" else online_us
            warm = (per if math.isfinite(per) else fit_us) * ev.warmup / 1e6
            if warm > step_s:
                step_s, step_what = warm, f"the warm-up of {model} on {ev.warmup:,} samples"

    d = _n_features(exp)
    drawing = (DRAW_ROW_BYTES + DRAW_FEATURE_BYTES * d) * n if exp.stream.source in \
        GENERATOR_FEATURES or exp.stream.source in ("hyperplane", "rbf") else 0
    memory = n * (d * FLOAT_BYTES + STREAM_ROW_BYTES + k * CONTENDER_ROW_BYTES) + drawing
    points = range((ev.warmup // ev.step + 1) * ev.step, n + 1, ev.step)  # as recording_points
    rows = len(points) + (0 if points and points[-1] == n else 1)
    return RaceEstimate(seconds=seconds, updates=n * k, timeline_rows=rows,
                        memory_bytes=int(memory), step_seconds=step_s * speed,
                        step_what=step_what)


def over_limit(exp: Experiment, limits: Limits = APP_LIMITS,
               estimate: RaceEstimate | None = None) -> str | None:
    """``None`` if the app may run ``exp``, else one message naming the first limit it exceeds,
    the estimate, and how to run it anyway (smaller, or with the CLI on one's own machine).

    >>> from lab.presets import load_preset
    >>> exp = load_preset("default").with_overrides({"stream.n_samples": 200_000,
    ...                                             "evaluation.step": 10})
    >>> print(over_limit(exp))  # doctest: +ELLIPSIS, +NORMALIZE_WHITESPACE
    evaluation.step: 19,900 timeline rows per contender, over the app's limit of 5,000.
    Fix: set evaluation.step to at least 40...
    """
    est = estimate or estimate_race(exp)
    n, ev = exp.stream.n_samples, exp.evaluation
    cli = (f"or run it on your own machine: download config.json and run `{CLI_COMMAND}` "
           "(the CLI has no work budget)")
    if est.updates > limits.updates:
        return (f"samples × contenders: {est.updates:,} sample-contender updates, over the "
                f"app's limit of {limits.updates:,}. Fix: fewer samples or contenders, {cli}.")
    if est.timeline_rows > limits.timeline_rows:
        step = math.ceil(max(1, n - ev.warmup) / (limits.timeline_rows - 1))
        return (f"evaluation.step: {est.timeline_rows:,} timeline rows per contender, over the "
                f"app's limit of {limits.timeline_rows:,}. Fix: set evaluation.step to at least "
                f"{step:,}, {cli}.")
    if est.memory_bytes > limits.memory_bytes:
        return (f"stream.n_samples: the stream needs about {est.memory_bytes / 2**20:,.0f} MB, "
                f"over the app's limit of {limits.memory_bytes / 2**20:,.0f} MB. Fix: fewer "
                f"samples or features, {cli}.")
    if est.seconds > limits.seconds:
        return (f"estimated time: this race needs {est.describe()}, over the app's limit of "
                f"{limits.seconds:.0f} s. Fix: fewer samples or contenders, cheaper models or "
                f"rarer retrains, {cli}.")
    if est.step_seconds > limits.step_seconds:
        return (f"estimated time: {est.step_what} takes about {_seconds(est.step_seconds)} and "
                f"cannot be interrupted, over the app's limit of {limits.step_seconds:.0f} s "
                f"for one step. Fix: a smaller training window or stream, a cheaper model, "
                f"{cli}.")
    return None


def needs_click(exp: Experiment, estimate: RaceEstimate | None = None) -> bool:
    """True when the race is too big to start without the user's click (opening a link)."""
    est = estimate or estimate_race(exp)
    return est.seconds > AUTO_RUN_SECONDS
