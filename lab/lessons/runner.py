"""Running a lesson: its validated config, the race (or gradient / k-means run), the judged
claim, the decision-boundary moments and the charts in teaching order.

The app's Lessons page needs only this and the catalogue::

    lesson = LESSONS["lesson-sudden"]
    run = run_lesson(lesson, overrides={"seed": 7})      # or lesson.try_overrides
    run.check.holds, run.check.detail                    # the claim, judged
    for caption, fig in lesson_figures(run): ...         # the charts, in teaching order
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from lab.lessons import gradient, kmeans
from lab.lessons.catalogue import Lesson, get_lesson
from lab.lessons.checks import ClaimCheck, check_claim
from lab.spec.errors import ConfigError
from lab.spec.experiment import Experiment
from lab.validate import parse_experiment


# --------------------------------------------------------------------------------------------
# Configs and runs
# --------------------------------------------------------------------------------------------
def lesson_config(lesson: Lesson, overrides: dict | None = None, seed: int | None = None) -> dict:
    """The lesson's config with ``overrides`` (path -> value) and ``seed`` applied, validated
    and normalised (every default filled in). Raises :class:`ConfigError` for a bad value."""
    overrides = dict(overrides or {})
    if seed is not None:
        overrides["seed"] = seed
    if lesson.kind == "race":
        return parse_experiment(copy.deepcopy(lesson.config)).with_overrides(overrides).to_dict()
    module = _module(lesson.kind)
    return module.with_overrides(lesson.config, overrides)


def lesson_experiment(lesson: Lesson, overrides: dict | None = None,
                      seed: int | None = None) -> Experiment:
    """The validated :class:`Experiment` of a race lesson (lessons 1-9)."""
    if lesson.kind != "race":
        raise ConfigError("lesson", f"lesson {lesson.number} ({lesson.key}) is not a race",
                          "use run_lesson(), which runs its own experiment")
    return parse_experiment(lesson_config(lesson, overrides, seed))


def _module(kind: str):
    """The module that validates and runs a non-race lesson of ``kind``."""
    if kind == "gradient":
        return gradient
    if kind == "kmeans":
        return kmeans
    raise ValueError(f"unknown lesson kind {kind!r}")


@dataclass
class LessonRun:
    """One run of a lesson: its config, the raw result, the summary and the judged claim.

    ``result`` is a :class:`lab.race.engine.RaceResult` for lessons 1-9 (with decision-boundary
    snapshots when the lesson draws them), a :class:`lab.lessons.gradient.GradientRun` or a
    :class:`lab.lessons.kmeans.KMeansRun` otherwise.
    """

    lesson: Lesson
    config: dict
    result: Any
    summary: dict
    check: ClaimCheck
    overrides: dict = field(default_factory=dict)


def run_lesson(lesson: Lesson | str, overrides: dict | None = None, seed: int | None = None, *,
               progress: Callable | None = None, should_stop: Callable[[], bool] | None = None,
               snapshots: bool | None = None) -> LessonRun:
    """Run a lesson at its preset settings, or with ``overrides`` / another ``seed``.

    ``progress`` and ``should_stop`` are passed to :func:`lab.race.engine.run_race` (race lessons).
    ``snapshots``: keep the models for the decision-boundary view (default: when the lesson
    draws it and the stream is 2-D).
    """
    if isinstance(lesson, str):
        lesson = get_lesson(lesson)
    overrides = dict(overrides or {})
    cfg = lesson_config(lesson, overrides, seed)
    if lesson.kind == "race":
        from lab.race.engine import run_race
        from lab.race.metrics import summarise

        experiment = parse_experiment(cfg)
        if snapshots is None:
            snapshots = "boundary" in lesson.charts and _is_2d(experiment)
        times = snapshot_times(experiment) if snapshots else None
        result = run_race(experiment, progress=progress, should_stop=should_stop,
                          snapshots=times)
        summary = summarise(result)
        summary["baseline_noise"] = baseline_noise(result, summary)
    else:
        module = _module(lesson.kind)
        result = (module.run_gradient(cfg) if lesson.kind == "gradient"
                  else module.run_kmeans(cfg))
        summary = result.summary
    return LessonRun(lesson, cfg, result, summary, check_claim(lesson, summary), overrides)


def baseline_noise(result: Any, summary: dict) -> dict[str, dict[str, float]]:
    """Per learner (by name), the noise of its gap in accuracy to each reference predictor
    (``"no_change"``, ``"majority"``) over every scored sample: what the race lab's story uses
    to call a gap a tie (:mod:`lab.race.ties`, ``docs/metrics.md`` "Ties"). The summary carries
    it (``summary["baseline_noise"]``) because a claim check reads only the summary, and a
    lesson's verdict must call "level with the baseline" exactly what the story calls it for
    the same run; a summary without it (a hand-made or recorded one) is judged by the
    half-point rule alone, as the story is without a record."""
    from lab.race.ties import REFERENCE_KEYS, noise_from_result

    noise = noise_from_result(result, summary)
    out: dict[str, dict[str, float]] = {}
    for k, c in enumerate(summary.get("contenders", [])):
        if c.get("baseline") or c.get("status") != "ok":
            continue
        gaps = {ref: noise.noise(k, ref) for ref in REFERENCE_KEYS}
        out[c["name"]] = {ref: v for ref, v in gaps.items() if v is not None}
    return out


def _is_2d(experiment: Experiment) -> bool:
    return experiment.stream.source == "blobs2d"


# --------------------------------------------------------------------------------------------
# Decision-boundary snapshots
# --------------------------------------------------------------------------------------------
def snapshot_plan(experiment: Experiment, max_moments: int = 5) -> list[tuple[int, str]]:
    """``(t, label)`` moments for the decision-boundary view: just before each drift starts,
    a little after it ends (half a window, at most half the way to the next drift), and the end.

    >>> from lab.validate import parse_experiment
    >>> exp = parse_experiment({"stream": {"source": "blobs2d", "n_samples": 6000,
    ...     "drifts": [{"at": 3000, "to": {"angle": 90}}]}, "contenders": [
    ...     {"name": "o", "model": "river.hoeffding_tree", "policy": {"kind": "online"}}]})
    >>> snapshot_plan(exp)  # doctest: +NORMALIZE_WHITESPACE
    [(3000, 'just before the drift at 3,000'), (3250, '250 samples after the drift'),
     (6000, 'at the end (6,000)')]
    """
    n = experiment.stream.n_samples
    warmup = experiment.evaluation.warmup
    drifts = list(experiment.stream.drifts)
    plan: list[tuple[int, str]] = []
    for k, d in enumerate(drifts):
        which = "the drift" if len(drifts) == 1 else f"drift {k + 1}"
        nxt = drifts[k + 1].at if k + 1 < len(drifts) else n
        if d.at >= warmup:
            plan.append((d.at, f"just before {which} at {d.at:,}"))
        after = max(1, min(experiment.evaluation.window // 2, (nxt - d.end) // 2))
        t = min(d.end + after, n)
        if t >= warmup:
            where = "it ends" if d.width else which
            plan.append((t, f"{after:,} samples after {where}"))
    if not drifts:
        plan.append((warmup, f"after the warm-up ({warmup:,})"))
    plan.append((n, f"at the end ({n:,})"))
    seen, out = set(), []
    for t, label in plan:
        if t not in seen and warmup <= t <= n:
            seen.add(t)
            out.append((t, label))
    if len(out) > max_moments:
        out = out[:max_moments - 1] + [out[-1]]
    return out


def snapshot_times(experiment: Experiment, max_moments: int = 5) -> list[int]:
    """The sample counts of :func:`snapshot_plan`, for ``run_race(..., snapshots=...)``."""
    return [t for t, _ in snapshot_plan(experiment, max_moments)]


# --------------------------------------------------------------------------------------------
# Figures
# --------------------------------------------------------------------------------------------
CHART_CAPTIONS = {
    "accuracy": "Accuracy over the last samples, for each contender, along the stream.",
    "boundary": "Each contender's boundary (shading) over the latest samples (dots), just "
                "before and after each change and at the end.",
    "staleness": "How old each contender's model is: samples since the newest sample it "
                 "learned from.",
    "cost": "Training cost so far: samples passed to training (top) and CPU seconds (bottom).",
    "bill": "Each policy's total bill so far at the lesson's prices (retrains, labels, wrong "
            "predictions, training): where two lines cross, the cheaper policy changes; the "
            "black dashed line is the best schedule in hindsight.",
    "tradeoff": "Accuracy against total training cost; the dotted line joins the best deals.",
    "loss": "Loss on the whole table after every update, by batch size.",
    "kmeans": "Where the groups really are, where each method puts its centres, and how far "
              "off each one is over time.",
}


def baseline_names(summary: dict) -> list[str]:
    """Names of the race's reference contenders (the summary's ``"baseline": true``: the
    no-change and majority baselines that ``evaluation.baselines`` adds)."""
    return [c["name"] for c in summary["contenders"] if c.get("baseline")]


def lesson_figures(run: LessonRun) -> list[tuple[str, Any]]:
    """``(caption, plotly figure)`` for each chart of the lesson, in teaching order."""
    from lab import plots

    lesson, result = run.lesson, run.result
    out = []
    if lesson.kind == "gradient":
        return [(CHART_CAPTIONS["loss"], plots.loss_curve_figure(result))]
    if lesson.kind == "kmeans":
        return [(CHART_CAPTIONS["kmeans"], plots.kmeans_figure(result, kmeans.METHODS))]
    from lab.race.metrics import events_frame, timeline_frame

    timeline, events = timeline_frame(result), events_frame(result)
    window = result.experiment.evaluation.window
    for chart in lesson.charts:
        if chart == "boundary":
            if not any(result.snapshots.values()):
                continue  # not a 2-D stream, or snapshots were not kept
            from lab.race.snapshots import boundary_grids

            plan = snapshot_plan(result.experiment)
            frame = result.stream.to_frame()
            grids = boundary_grids(frame, result.snapshots, plan)
            fig = plots.decision_boundary_figure(frame, grids.x, grids.y, grids.predictions, plan)
        else:
            fig = race_chart(chart, run.summary, timeline, events, window)
        if fig is not None:
            out.append((CHART_CAPTIONS[chart], fig))
    return out


def race_chart(chart: str, summary: dict, timeline: Any, events: Any, window: int) -> Any:
    """The race lesson's ``chart`` ("accuracy", "staleness", "cost", "bill" or "tradeoff"; None
    for another name) from the race's outputs as plain data (``summary.json``, the
    ``timeline.csv`` and ``events.csv`` frames: ``docs/outputs.md``), so a recorded run draws it
    too. "bill" is the cost ledger's cumulative total along the stream
    (:func:`lab.plots.costs.cumulative_cost_figure`), for a lesson whose claim is about cost.

    Baselines are drawn as the race lab draws them: thin grey reference lines on the accuracy
    chart (:func:`lab.plots.lessons.lesson_accuracy_figure`) and nowhere else, since on the age,
    cost and trade-off charts a reference that never trains means nothing; the oracle (the
    summary's ``"oracle": true``) is the race lab's black long-dashed line "Best schedule in
    hindsight (oracle)" on every chart; each contender keeps one colour across the charts, taken
    from the learners alone (baselines and the oracle take none)."""
    from lab import plots
    from lab.plots.costs import cumulative_cost_figure
    from lab.plots.lessons import lesson_accuracy_figure

    reference = baseline_names(summary)
    oracles = plots.oracle_names(summary)
    learners = {**summary, "contenders": [c for c in summary["contenders"]
                                          if not c.get("baseline")]}
    colors = plots.contender_colors(c["name"] for c in learners["contenders"]
                                    if c["name"] not in oracles)
    drifts = summary["drifts"]
    if chart == "accuracy":
        return lesson_accuracy_figure(timeline, events, drifts, window=window, colors=colors,
                                      baselines=reference, oracles=oracles)
    timeline = timeline[~timeline["contender"].isin(reference)]
    if chart == "staleness":
        if events is not None and len(events):
            events = events[~events["contender"].isin(reference)]
        return plots.staleness_figure(timeline, events, drifts, colors=colors, oracles=oracles)
    if chart == "cost":
        return plots.cost_figure(timeline, drifts, colors=colors, oracles=oracles)
    if chart == "bill":
        return cumulative_cost_figure(timeline, drifts, colors=colors, oracles=oracles)
    if chart == "tradeoff":
        return plots.tradeoff_figure(learners, colors=colors)
    return None
