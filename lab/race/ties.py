"""When a gap in accuracy is a ranking and when it is a tie: the rule the story and the Summary
tables share.

Two contenders (or a contender and a baseline) were scored on the *same* samples, so the
question "is A more accurate than B, or is the gap noise?" is a paired comparison of their
per-sample correctness, McNemar's test (McNemar 1947; recommended for two classifiers tested
once on one test set by Dietterich 1998, *Approximate statistical tests for comparing
supervised classification learning algorithms*, Neural Computation 10(7)). Over a stretch of
n samples, with n10 the samples only A got right and n01 those only B got right, the gap is
(n10 − n01) / n and McNemar's statistic (n10 − n01)² / (n10 + n01) is χ²₁ under "equal
accuracy" *for independent samples*.

Prequential errors are not independent: a model wrong on one region of the concept stays wrong
for a while, and both contenders err together after a drift. Positive autocorrelation of the
per-sample difference d_i = correct_A,i − correct_B,i inflates the variance of its mean by the
integrated autocorrelation time τ = 1 + 2 Σ_k ρ_k, so McNemar's test on n correlated samples
calls noise a ranking. τ is estimated by non-overlapping batch means (Flegal & Jones 2010,
*Batch means and spectral variance estimators in Markov chain Monte Carlo*, Annals of
Statistics 38(2); batch length L = ⌊√n⌋, m = ⌊n / L⌋ batches): τ̂ = L · s²(batch means) / s²(d),
never below 1 (a negative autocorrelation is not credited). The test is McNemar's on the
effective sample n / τ̂, i.e. the statistic divided by τ̂.

A gap is a **tie** when it is smaller than half a percentage point (:data:`TIE_SHARE`: a
difference nobody acts on) *or* smaller than the noise of the run,

    noise = z₀.₉₇₅ · √(τ̂ · (n10 + n01)) / n,  z₀.₉₇₅ = 1.96,

which is exactly "McNemar's test on the effective sample does not reject equal accuracy at the
5 % level" (|gap| < noise ⇔ χ² / τ̂ < 3.84). Neither is ranked, but the story words them
apart (``lab.race.story``): under half a point is a *tie* ("A and B tie at 89.3–89.4 %"); a
wider gap only within the noise is *too close to call* ("A at 80.0 % and B at 72.3 % are too
close to call over samples 0–1,000"), since on a short stretch with errors in runs the noise can
exceed several points and "tie" would hide the gap. A stretch's means can hide a change of lead
inside it (one contender far ahead early, the other ahead later, as the rolling accuracy shows):
:func:`lead_change` finds it, and the story then says who was ahead over which part.
Batch means capture correlations up to about L samples (63 for 4,000 samples); longer-range
dependence (a trend inside a stretch) inflates the batch variance too, so the estimate errs
towards "tie".

>>> b = np.array([1] * 50 + [0] * 50)            # 50 % right
>>> a = np.array([1] * 60 + [0] * 40)            # 60 % right: B's hits and ten more
>>> gap = paired_gap(a, b)
>>> gap.a_only, gap.b_only, round(gap.gap, 2)
(10, 0, 0.1)

The ten samples only A got right sit in one run (samples 50-59), and the batches see it: the
ten-point gap is within the noise of this 100-sample run. Spread evenly (one in every ten
samples), the same counts are a ranking.

>>> round(gap.inflation, 1), round(gap.noise, 3), is_tie(gap.gap, gap.noise)
(11.1, 0.207, True)
>>> b = np.array([1, 0] * 50); a = b.copy(); a[1::10] = 1
>>> even = paired_gap(a, b)
>>> even.a_only, round(even.inflation, 1), round(even.noise, 3), is_tie(even.gap, even.noise)
(10, 1.0, 0.062, False)
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from lab.race.kappa import reference_predictions

# a gap under half a percentage point is a tie, whatever the noise
TIE_SHARE = 0.005
CONFIDENCE = 0.95
# a change of lead inside a stretch (lead_change): the 95 % point of the supremum of a Brownian
# bridge's absolute value (Kolmogorov's distribution), 1.358
CHANGE_LEVEL = float(stats.kstwobign.ppf(CONFIDENCE))
# the keys of the two reference predictors (the summary's no_change_accuracy, majority_accuracy)
REFERENCE_KEYS = ("no_change", "majority")


@dataclass(frozen=True)
class PairedGap:
    """A's accuracy minus B's over one stretch, and how much of it noise could make."""

    n: int  # samples compared
    a_only: int  # samples only A predicted right (n10)
    b_only: int  # samples only B predicted right (n01)
    inflation: float  # τ̂, the batch-means variance inflation (>= 1)
    noise: float  # z · √(τ̂ (n10 + n01)) / n: a gap below it is a tie
    p_value: float  # McNemar's test on the effective sample n / τ̂

    @property
    def gap(self) -> float:
        return (self.a_only - self.b_only) / self.n


def _inflation(d: np.ndarray) -> float:
    """τ̂ by non-overlapping batch means of length ⌊√n⌋ (1 when there are fewer than two
    batches or ``d`` is constant)."""
    n = d.size
    length = math.isqrt(n)
    batches = n // length if length else 0
    per_sample = float(d.var())
    if batches < 2 or per_sample <= 0.0:
        return 1.0
    means = d[:batches * length].reshape(batches, length).mean(axis=1)
    return max(1.0, length * float(means.var(ddof=1)) / per_sample)


def paired_gap(correct_a: np.ndarray, correct_b: np.ndarray) -> PairedGap | None:
    """McNemar's comparison of two per-sample correctness arrays of the same samples (0/1),
    with the autocorrelation correction of the module docstring; None for no samples."""
    a = np.asarray(correct_a, dtype=np.int64)
    b = np.asarray(correct_b, dtype=np.int64)
    n = int(a.size)
    if n == 0:
        return None
    d = a - b
    a_only, b_only = int((d > 0).sum()), int((d < 0).sum())
    discordant = a_only + b_only
    if discordant == 0:
        return PairedGap(n, 0, 0, 1.0, 0.0, 1.0)
    tau = _inflation(d.astype(np.float64))
    z = float(stats.norm.ppf(0.5 + CONFIDENCE / 2))
    noise = z * math.sqrt(tau * discordant) / n
    statistic = (a_only - b_only) ** 2 / discordant / tau
    return PairedGap(n, a_only, b_only, tau, noise, float(stats.chi2.sf(statistic, df=1)))


@dataclass(frozen=True)
class LeadChange:
    """Two contenders too close to call over a stretch *as a whole* that each led a part of
    it: ``first`` (+1: A, −1: B) was ahead over the samples before ``at``, the other from
    ``at`` on, both by the tie rule (:func:`is_tie`) on their part. ``statistic`` is the CUSUM
    statistic that found the change (:func:`lead_change`)."""

    at: int  # the first sample of the second part
    before: PairedGap  # A's gap over B before ``at``
    after: PairedGap  # and from ``at`` on
    statistic: float

    @property
    def first(self) -> int:
        return 1 if self.before.gap > 0 else -1


def lead_change(correct_a: np.ndarray, correct_b: np.ndarray, start: int = 0
                ) -> LeadChange | None:
    """Where, inside one stretch, the lead between two contenders changed hands, if it did
    beyond noise (None otherwise). ``start`` is the stretch's first sample (``at`` counts from
    it).

    A single change in the mean of d_i = correct_A,i − correct_B,i, found by the CUSUM
    statistic (Page 1954, *Continuous inspection schemes*, Biometrika 41; Csörgő & Horváth
    1997, *Limit theorems in change-point analysis*, ch. 1): with S(t) the sum of the first t
    values of d over the stretch's n samples,

        k = argmax_t |S(t) − (t / n) S(n)|,   C = |S(k) − (k / n) S(n)| / √(τ̂ s²(d) n),

    τ̂ the batch-means inflation of the whole stretch's d (:func:`paired_gap`), s²(d) its
    variance. Without a change, C tends to the supremum of a Brownian bridge (Kolmogorov's
    distribution); a change is claimed when C exceeds its 95 % point, 1.358, *and* the paired
    test ranks both parts in opposite directions: A ahead of B beyond the noise before k, B
    ahead beyond the noise from k on (or the reverse). A lead that merely wanes, or a part too
    short to rank, is no change. Estimating τ̂ over the whole stretch (both means mixed) makes
    C smaller than with the two parts' own means: the test errs towards "no change".

    >>> b = np.array([1] * 40 + [0] * 60); a = 1 - b  # B alone right first, A alone after
    >>> change = lead_change(a, b, start=1000)
    >>> change.at, change.first, round(change.statistic, 2)
    (1040, -1, 1.47)
    """
    a = np.asarray(correct_a, dtype=np.int64)
    b = np.asarray(correct_b, dtype=np.int64)
    d = (a - b).astype(np.float64)
    n = d.size
    if n < 2:
        return None
    variance = float(d.var()) * _inflation(d)
    if variance <= 0.0:  # A and B right on the same samples throughout
        return None
    cusum = np.concatenate([[0.0], np.cumsum(d)])
    bridge = np.abs(cusum - np.arange(n + 1) / n * cusum[-1])
    k = int(np.argmax(bridge))  # the first of equal maxima
    statistic = float(bridge[k]) / math.sqrt(variance * n)
    if statistic <= CHANGE_LEVEL or not 0 < k < n:
        return None
    before, after = paired_gap(a[:k], b[:k]), paired_gap(a[k:], b[k:])
    if (before is None or after is None or is_tie(before.gap, before.noise)
            or is_tie(after.gap, after.noise) or (before.gap > 0) == (after.gap > 0)):
        return None
    return LeadChange(start + k, before, after, statistic)


def is_tie(gap: float, noise: float | None, tie: float = TIE_SHARE) -> bool:
    """Whether a gap in accuracy (a share) is a tie: under ``tie`` (half a point) or under the
    measured ``noise`` (None: not measured, the half-point rule alone)."""
    return abs(gap) < max(tie, noise or 0.0)


class GapNoise:
    """The per-sample correctness of every contender and of the two reference predictors of a
    run, to measure the noise of any gap the story or the tables would rank.

    ``correct``: key -> 0/1 per sample of the stream (index = sample); a contender's key is its
    position in the summary's ``contenders`` (names are escaped differently by each reader of
    the story), the references' ``"no_change"`` and ``"majority"``; ``bounds``: ``(first,
    end)`` of each stretch between drift starts, the summary's segments; ``scored``:
    ``(warmup, n_done)``, the whole scored part.
    """

    def __init__(self, correct: Mapping[int | str, np.ndarray], bounds: Sequence[tuple[int, int]],
                 scored: tuple[int, int]):
        self.correct = dict(correct)
        self.bounds = list(bounds)
        self.scored = scored
        self._cache: dict[tuple, PairedGap | LeadChange | None] = {}

    def gap(self, a: int | str, b: int | str, segment: int | None = None) -> PairedGap | None:
        """A's gap over B on ``segment`` (None: every scored sample), or None when either has
        no record or the stretch is empty."""
        key = (a, b, segment)
        if key not in self._cache:
            if a not in self.correct or b not in self.correct or (
                    segment is not None and segment >= len(self.bounds)):
                self._cache[key] = None
            else:
                lo, hi = self.scored if segment is None else self.bounds[segment]
                self._cache[key] = (paired_gap(self.correct[a][lo:hi], self.correct[b][lo:hi])
                                    if hi > lo else None)
        return self._cache[key]

    def span(self, segment: int | None = None) -> tuple[int, int] | None:
        """``(first, end)`` of the samples ``segment`` covers (None: every scored sample), or
        None for an empty or unknown stretch."""
        if segment is not None and segment >= len(self.bounds):
            return None
        lo, hi = self.scored if segment is None else self.bounds[segment]
        return (lo, hi) if hi > lo else None

    def lead_change(self, a: int | str, b: int | str, segment: int | None = None
                    ) -> LeadChange | None:
        """:func:`lead_change` of A and B on ``segment`` (None: every scored sample), its
        ``at`` a sample of the stream; None without a record or a change."""
        key = ("lead", a, b, segment)
        if key not in self._cache:
            span = self.span(segment)
            self._cache[key] = (None if span is None or a not in self.correct
                                or b not in self.correct else
                                lead_change(self.correct[a][span[0]:span[1]],
                                            self.correct[b][span[0]:span[1]], span[0]))
        return self._cache[key]

    def noise(self, a: int | str, b: int | str, segment: int | None = None) -> float | None:
        found = self.gap(a, b, segment)
        return None if found is None else found.noise


def summary_bounds(summary: Mapping, n_done: int) -> list[tuple[int, int]]:
    """``(first, end)`` of each segment of the summary (cut at drift starts, as
    ``accuracy_by_segment``)."""
    warmup = int((summary.get("config") or {}).get("evaluation", {}).get("warmup", 0))
    starts = [int(d.get("start", d["at"])) for d in summary.get("drifts") or []]
    cuts = [warmup] + starts + [n_done]
    return [(max(a, warmup), min(b, n_done)) for a, b in zip(cuts[:-1], cuts[1:])]


def _with_references(correct: dict, y: np.ndarray, summary: Mapping, n_done: int) -> dict:
    config = summary.get("config") or {}
    evaluation = config.get("evaluation", {})
    warmup, delay = int(evaluation.get("warmup", 0)), int(evaluation.get("label_delay", 0))
    for key, predicted in reference_predictions(y, warmup, delay, n_done,
                                                _label_plan(config, len(y))).items():
        hits = np.zeros(n_done, dtype=np.int8)
        hits[warmup:n_done] = predicted == y[warmup:n_done]
        correct[key] = hits
    return correct


def _label_plan(config: Mapping, n: int):
    """The race's label plan when its config buys only some labels or draws their delays
    (None otherwise, or for a config that cannot be read): the references then learn what the
    race's baselines learned."""
    if not (config.get("evaluation") or {}).get("labels"):
        return None
    from lab.policies.label_plan import LabelPlan
    from lab.validate import parse_experiment

    try:
        experiment = parse_experiment(config)
    except Exception:  # noqa: BLE001 - an old or hand-edited summary: the fixed-delay rule
        return None
    return LabelPlan.of(experiment.evaluation, n, experiment.seed)


def noise_from_result(result, summary: Mapping) -> GapNoise:
    """The :class:`GapNoise` of a race in memory (``lab.race.engine.RaceResult``) and its
    summary: every contender's trace, the references from the labels."""
    n_done = int(result.n_done)
    correct: dict = {k: np.asarray(run.trace.correct[:n_done])
                     for k, run in enumerate(result.contenders)
                     if run.status == "ok" and run.trace is not None}
    correct = _with_references(correct, np.asarray(result.stream.y), summary, n_done)
    warmup = int(result.experiment.evaluation.warmup)
    return GapNoise(correct, summary_bounds(summary, n_done), (warmup, n_done))


def noise_from_frames(summary: Mapping, stream: pd.DataFrame | None,
                      predictions: pd.DataFrame | None) -> GapNoise | None:
    """The :class:`GapNoise` of a run from its files: ``stream.csv`` (its ``y``, every sample
    from 0) and ``predictions.csv`` (``<name> correct`` per contender) as frames. None when
    either is missing or the stream frame is not the whole stream (the app thins long ones)."""
    if stream is None or predictions is None or "y" not in stream or "sample" not in predictions:
        return None
    samples = predictions["sample"].to_numpy(dtype=np.int64)
    n_done = int(samples.max()) + 1 if samples.size else 0
    warmup = int((summary.get("config") or {}).get("evaluation", {}).get("warmup", 0))
    if len(stream) < n_done or (samples.size and int(samples.min()) != warmup):
        return None
    y = stream["y"].to_numpy()[:n_done]
    correct: dict = {}
    for k, c in enumerate(summary.get("contenders", [])):
        column = f"{c.get('name')} correct"
        if c.get("status") == "ok" and column in predictions:
            hits = np.zeros(n_done, dtype=np.int8)
            hits[samples] = predictions[column].fillna(0).to_numpy(dtype=np.int8)
            correct[k] = hits
    correct = _with_references(correct, y, summary, n_done)
    return GapNoise(correct, summary_bounds(summary, n_done), (warmup, n_done))
