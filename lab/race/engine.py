"""The prequential race: one stream, many contenders, exactly the same samples.

The engine walks the stream in blocks that end on the timeline's recording points (every
``evaluation.step`` samples). In each block every live contender scores its samples and
processes the labels that arrive; then its cost counters are recorded. Per-sample results go
to the engine's :class:`lab.policies.trace.Trace` of each contender (``ContenderRun.trace``:
``correct``, ``predicted``, ``newest``), which its policy writes as it scores, so the timeline
keeps one row per step, not per sample, and metrics are computed afterwards from the traces
with vectorised numpy.

A contender that raises is marked ``failed`` with its error and stops; the others finish.
Label delay: with ``evaluation.label_delay = d`` the label of sample ``i`` is learned before
sample ``i + d + 1`` is predicted (d samples are predicted in between). That is river's
``evaluate.progressive_val_score(..., delay=d + 1)`` (``stream.simulate_qa`` reveals the label of
sample ``i`` just before the question of sample ``i + k``, k - 1 in between; river's delay 0 and
1 are the same protocol) and MOA's ``EvaluatePrequentialDelayed -k d+1``. The lab's warm-up
samples are learned at once, unscored (``tests/test_label_delay.py`` checks the equality).
With ``evaluation.labels`` only a share of the labels may be bought and each may have its own
delay: the engine draws one :class:`lab.policies.label_plan.LabelPlan` per race (seeded, apart
from the stream's draws) and every policy learns only from the labels it has received.

Baselines: with ``evaluation.baselines`` the race also runs :func:`baseline_specs`, a
no-change and a majority-class learner (``baseline.no_change``, ``baseline.majority``) with the
online policy, after the config's contenders. They are ordinary contenders for the engine
(same samples, same protocol, same label delay), marked ``baseline`` so that figures draw them
as reference lines and stories never rank them; no model snapshots are kept for them (their
decision boundary is a constant).

``progress`` is called every few blocks with the partial :class:`RaceResult` (the app draws the
live race from it) and ``should_stop`` lets a caller cancel.

>>> from lab.presets import load_preset
>>> result = run_race(load_preset("stable").with_overrides({"stream.n_samples": 3000}))
>>> result.n_done, [c.status for c in result.contenders]
(3000, ['ok', 'ok', 'ok'])
"""

from __future__ import annotations

import copy
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from threadpoolctl import threadpool_limits

from lab.data.stream import Stream, make_stream
from lab.learners import make_learner
from lab.policies.base import Policy, WarmUpStopped
from lab.policies.label_plan import LabelPlan
from lab.policies.registry import make_policy, policy_spec
from lab.policies.trace import Trace
from lab.spec.experiment import ContenderSpec, Experiment, ModelSpec


@dataclass
class ContenderRun:
    """One contender's race: its per-sample trace, its policy, and the policy's cost counters at
    the recording points."""

    spec: ContenderSpec
    policy: Policy | None = None
    trace: Trace | None = None  # what its deployed models predicted, sample by sample
    status: str = "ok"
    error: str | None = None
    failed_at: int | None = None  # samples seen when it failed
    train_samples_cum: list[int] = field(default_factory=list)
    train_cpu_s_cum: list[float] = field(default_factory=list)
    retrains_cum: list[int] = field(default_factory=list)
    failure_events: list[tuple[int, str, str]] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def baseline(self) -> bool:
        """True for a reference contender added by ``evaluation.baselines``."""
        return self.spec.baseline

    @property
    def events(self) -> list[tuple[int, str, str]]:
        own = self.policy.events if self.policy is not None else []
        return sorted(own + self.failure_events, key=lambda e: e[0])

    def fail(self, t: int, exc: BaseException) -> None:
        self.status = "failed"
        self.error = f"{type(exc).__name__}: {exc}".strip()
        self.failed_at = t
        self.failure_events.append((t, "failure", self.error))
        self.traceback = traceback.format_exc()


@dataclass
class RaceResult:
    """Everything a race produced; :mod:`lab.race.metrics` turns it into tables and figures."""

    experiment: Experiment
    stream: Stream
    contenders: list[ContenderRun]
    record_t: list[int]  # recording points reached so far (samples seen)
    n_done: int  # samples processed (N unless cancelled)
    cancelled: bool = False
    wall_s: float = 0.0
    # snapshots[name][t]: a deep copy of the contender's deployed model when t samples had been
    # seen (after it processed sample t - 1), for the times asked for with ``run_race(snapshots=)``
    snapshots: dict[str, dict[int, Any]] = field(default_factory=dict)


def recording_points(n: int, warmup: int, step: int) -> list[int]:
    """Timeline rows: multiples of ``step`` after the warm-up, plus the stream's end.

    >>> recording_points(1050, 500, 200)
    [600, 800, 1000, 1050]
    """
    points = list(range((warmup // step + 1) * step, n + 1, step))
    if not points or points[-1] != n:
        points.append(n)
    return points


BASELINES = (("No-change baseline", "baseline.no_change"),
             ("Majority baseline", "baseline.majority"))
"""The reference contenders ``evaluation.baselines`` adds: (name, model), online policy."""


def baseline_specs(experiment: Experiment) -> tuple[ContenderSpec, ...]:
    """The reference contenders of the race (none unless ``evaluation.baselines``).

    Their names never collide with a contender's: a name already taken gets " (reference)",
    then a number, so every run of a race has its own name in the output files.

    >>> from lab.presets import load_preset
    >>> exp = load_preset("stable").with_overrides({"evaluation.baselines": True})
    >>> [(s.name, s.model.name, s.policy.kind, s.baseline) for s in baseline_specs(exp)]
    [('No-change baseline', 'baseline.no_change', 'online', True),
     ('Majority baseline', 'baseline.majority', 'online', True)]
    """
    if not experiment.evaluation.baselines:
        return ()
    taken = {c.name for c in experiment.contenders}
    specs = []
    for name, model in BASELINES:
        unique, k = name, 1
        while unique in taken:
            unique = f"{name} (reference)" if k == 1 else f"{name} (reference {k})"
            k += 1
        taken.add(unique)
        specs.append(ContenderSpec(unique, ModelSpec(model), policy_spec("online"),
                                   baseline=True))
    return tuple(specs)


def race_contenders(experiment: Experiment) -> tuple[ContenderSpec, ...]:
    """Every contender a race runs: the config's, then the baselines (see
    :func:`baseline_specs`)."""
    return tuple(experiment.contenders) + baseline_specs(experiment)


def _start_contender(spec: ContenderSpec, exp: Experiment, stream: Stream,
                     labels: LabelPlan | None = None, should_stop=None) -> ContenderRun:
    """A contender's run after its warm-up; ``status`` "stopped" when ``should_stop`` said so
    during a long warm-up (the oracle's planning), "failed" when it raised."""
    run = ContenderRun(spec)
    try:
        learner = make_learner(spec.model.name, spec.model.params, exp.seed, stream.classes)
        run.trace = Trace(stream.y)
        run.policy = make_policy(spec.policy, learner, stream, exp.evaluation, exp.seed,
                                 run.trace)
        # the race's prices (the ledger's), for a policy that plans with them: the oracle
        # chooses the schedule of least cost at warm-up
        run.policy.costs = exp.prices
        if labels is not None:  # one plan of the labels bought and their arrivals per race
            # (a baseline buys the uniform share: it has no uncertainty worth asking about)
            run.policy.labels = labels.uniform() if spec.baseline else labels
        run.policy.should_stop = should_stop
        # a reference contender's predictions follow from the labels alone: replayed in numpy
        # (lab.policies.references), not river's per-sample loop
        run.policy.replays_references = spec.baseline
        run.policy.warm_up()
        run.policy.should_stop = None  # polled by warm-ups only (the race polls stop itself)
    except WarmUpStopped:
        run.status = "stopped"
    except Exception as exc:  # a contender's failure must not stop the race
        run.fail(0, exc)
    return run


STOP_POLL_SECONDS = 0.1
"""Target seconds of work between two calls of ``should_stop`` (see :func:`_run_block`)."""


class _Pace:
    """How many samples one piece of a block holds so that the slowest contender spends about
    :data:`STOP_POLL_SECONDS` on it, learned from the pieces run so far (starting small, growing
    at most 4x per piece so that one fast stretch cannot make the next piece take seconds)."""

    def __init__(self) -> None:
        self.samples = 32.0

    def piece(self) -> int:
        return max(1, int(self.samples))

    def learn(self, samples: int, slowest_s: float) -> None:
        rate = samples * STOP_POLL_SECONDS / max(slowest_s, 1e-6)
        self.samples = max(1.0, min(self.samples * 4, rate))


def _run_block(runs: list[ContenderRun], lo: int, hi: int, snap_at: list[int],
               result: RaceResult, stop: Callable[[], bool], pace: _Pace | None) -> bool:
    """Every live contender processes samples ``[lo, hi)``; True if ``stop`` said so meanwhile.

    Without a ``pace`` (nobody can ask to stop) each contender runs the block in one go, cut
    only at snapshot times. With one, the block is cut into pieces of about
    :data:`STOP_POLL_SECONDS` of the slowest contender's work and ``stop`` is polled after every
    contender's piece, so a race stops within a fraction of a second of being asked to, not at
    the next recording point (a block of ARF on 10,000 samples is over a minute). All
    contenders run piece by piece in step, so they share the stream's cached river dicts.
    Where the cuts fall changes no result: policies score and learn sample by sample, and
    their chunked predictions look ahead past any cut.
    """
    cuts = list(snap_at)
    start = lo
    while start < hi:
        end = next((c for c in cuts if c > start), hi)
        if pace is not None:
            end = min(end, start + pace.piece())
        slowest = 0.0
        for run in runs:
            if run.status != "ok":
                continue
            began = time.perf_counter()
            try:
                run.policy.run(start, end)
            except Exception as exc:  # as before pieces: failed at the block's start
                run.fail(lo, exc)
            slowest = max(slowest, time.perf_counter() - began)
            if pace is not None and stop():
                return True
        if end in cuts:
            for run in runs:
                if run.status == "ok" and not run.baseline:
                    result.snapshots[run.name][end] = copy.deepcopy(run.policy.model)
        if pace is not None:
            pace.learn(end - start, slowest)
        start = end
    return False


def run_race(
    experiment: Experiment,
    *,
    stream: Stream | None = None,
    progress: Callable[[RaceResult], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
    progress_every: int | None = None,
    snapshots: list[int] | None = None,
) -> RaceResult:
    """Race the experiment's contenders prequentially over its stream.

    Parameters
    ----------
    experiment
        A validated :class:`lab.spec.experiment.Experiment`.
    stream
        The stream, if the caller already drew it (the app caches it); drawn from the config
        otherwise. It must be ``make_stream(experiment.stream, experiment.seed)``.
    progress
        Called with the partial result about every ``progress_every`` samples.
    should_stop
        Polled about every :data:`STOP_POLL_SECONDS` of work (between contenders, and between
        pieces of a block); returning True ends the race early (``cancelled``) at the last
        recording point every contender completed. Keep it cheap, or time-gate it.
    snapshots
        Sample counts ``t`` (``warmup <= t <= n``) at which to keep a deep copy of every
        contender's deployed model, in ``result.snapshots[name][t]``: the model serving once
        ``t`` samples have been seen (it has processed sample ``t - 1``). The decision-boundary
        view draws them. Splitting the blocks there does not change any number of the race.

    The race runs with one BLAS / OpenMP thread (``threadpoolctl``), wherever it is called
    from (the app, the CLI, the lessons, a sweep's worker): its fits are small, and with the
    libraries' default of one thread per core they spent their time handing work between
    threads. Measured on 2 busy cores: a scikit-learn logistic regression fit on 5,000 x 2
    rows took 0.34-0.69 s of wall time (0.09-0.11 CPU-s) with two threads and 0.023 s (0.007
    CPU-s) with one; the ``default`` race 2.0-2.9 s (1.0-1.1 CPU-s) against 0.8-1.6 s (0.4-0.6
    CPU-s). The numbers are the same (the app always raced with one thread; the CLI-equals-app
    tests compare them). Setting the limit costs a few milliseconds a race.
    """
    with threadpool_limits(limits=1):
        return _race(experiment, stream, progress, should_stop, progress_every, snapshots)


def _race(experiment, stream, progress, should_stop, progress_every, snapshots) -> RaceResult:
    """:func:`run_race`'s work, under its thread limit."""
    started = time.perf_counter()
    ev = experiment.evaluation
    if stream is None:
        stream = make_stream(experiment.stream, experiment.seed)
    n = len(stream)
    snap_at = sorted({int(t) for t in (snapshots or ())})
    if snap_at and (snap_at[0] < ev.warmup or snap_at[-1] > n):
        raise ValueError(f"snapshot times must lie between the warm-up ({ev.warmup}) and the "
                         f"stream's end ({n}), got {snap_at[0]}..{snap_at[-1]}")
    stop = should_stop or (lambda: False)
    runs = []
    specs = race_contenders(experiment)
    labels = LabelPlan.of(ev, n, experiment.seed)
    for spec in specs:
        runs.append(_start_contender(spec, experiment, stream, labels, should_stop))
        if should_stop is not None and (runs[-1].status == "stopped" or stop()):
            # a warm-up fit can be long: stop before the next one, with nothing recorded
            runs += [ContenderRun(s, status="stopped") for s in specs[len(runs):]]
            result = RaceResult(experiment, stream, runs, [], ev.warmup, cancelled=True)
            result.wall_s = time.perf_counter() - started
            return result
    result = RaceResult(experiment, stream, runs, [], ev.warmup)
    result.snapshots = {run.name: {} for run in runs if not run.baseline}
    if snap_at and snap_at[0] == ev.warmup:
        for run in runs:
            if run.status == "ok" and not run.baseline:
                result.snapshots[run.name][ev.warmup] = copy.deepcopy(run.policy.model)
    every = progress_every or max(ev.step, n // 50)
    last_report = ev.warmup
    lo = ev.warmup
    pace = _Pace() if should_stop is not None else None
    for t in recording_points(n, ev.warmup, ev.step):
        if _run_block(runs, lo, t, [s for s in snap_at if lo < s <= t], result, stop, pace):
            result.cancelled = True
            break
        # Every contender's counters are committed with the recording point, after the whole
        # block: a caller holding the partial result (the app, after Stop) sees as many
        # counter rows as recording points, never a block half-recorded.
        for run in runs:
            if run.status == "ok":
                run.train_samples_cum.append(run.policy.train_samples)
                run.train_cpu_s_cum.append(run.policy.train_cpu_s)
                run.retrains_cum.append(run.policy.retrains)
        result.record_t.append(t)
        result.n_done = lo = t
        if progress is not None and (t - last_report >= every or t == n):
            last_report = t
            progress(result)
        if should_stop is not None and t < n and stop():
            result.cancelled = True
            break
    result.wall_s = time.perf_counter() - started
    return result
