"""Lessons: guided scenarios that teach batch vs online learning, each backed by its own evidence.

A lesson is a preset config plus the words a teacher would say over it: the situation, what to
look at, what it shows, a "try this" change (``try_overrides``, applied like the app's settings)
with what will happen, and one **claim** that the lab checks on the numbers of the run.

The claim's check reads only the summary dict (``summary.json`` for a race, the summary of
:mod:`lab.lesson_gradient` / :mod:`lab.lesson_kmeans` for lessons 10 and 11), so the app, the CLI
and the tests judge a run the same way, and a run rebuilt from its files is judged the same. When
a user changes the settings so that the claim no longer holds, :func:`check_claim` says so with
the actual numbers (``ClaimCheck(holds=False, detail=...)``): a lesson never pretends.

Every claim was measured to hold at the preset settings on seeds ``s .. s+4`` (tests), and each
lesson has ``break_overrides``: a plausible change under which the claim fails (tests too).

The app's Lessons page needs only this module::

    lesson = LESSONS["lesson-sudden"]
    run = run_lesson(lesson, overrides={"seed": 7})      # or lesson.try_overrides
    run.check.holds, run.check.detail                    # the claim, judged
    for caption, fig in lesson_figures(run): ...         # the charts, in teaching order

Streams are small (5,000-12,000 samples) and batch contenders use Gaussian naive Bayes (a fit
takes milliseconds), so a lesson runs in about a second.

>>> [lesson.number for lesson in LESSONS.values()]
[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]
>>> check_claim(LESSONS["lesson-stable"], {"contenders": []}).holds
False
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any, Callable

from lab.config import ConfigError, Experiment, JsonSyntaxError, parse_experiment, parse_json_text

__all__ = [
    "ClaimCheck",
    "Lesson",
    "LessonRun",
    "LESSONS",
    "get_lesson",
    "check_claim",
    "check_try",
    "lesson_config",
    "lesson_experiment",
    "run_lesson",
    "lesson_figures",
    "snapshot_plan",
    "snapshot_times",
]


@dataclass(frozen=True)
class ClaimCheck:
    """Whether a lesson's claim holds for one run, and the numbers that decided it."""

    holds: bool
    detail: str


@dataclass(frozen=True)
class Lesson:
    """One lesson: a preset config, a teacher's text, and a claim checked on the results."""

    key: str  # preset name, e.g. "lesson-sudden"
    number: int
    title: str
    situation: str  # what is going on in the data
    look_at: str  # where to look in the charts
    shows: str  # the point of the lesson
    try_this: str  # a change to make ...
    try_overrides: dict  # ... as config path -> value (Experiment.with_overrides paths)
    try_expect: str  # ... and what will happen
    claim: str  # one sentence, checked by `check`
    check: Callable[[dict], ClaimCheck] = field(repr=False)
    config: dict = field(repr=False)
    kind: str = "race"  # "race" | "gradient" | "kmeans"
    break_overrides: dict = field(default_factory=dict)  # a plausible change that breaks the claim
    break_note: str = ""  # why that change breaks it
    try_check: Callable[[dict, dict], ClaimCheck] | None = field(default=None, repr=False)
    charts: tuple[str, ...] = ("accuracy",)  # figures of lesson_figures, in order

    @property
    def description(self) -> str:
        """One line for ``python -m lab presets``."""
        return f"Lesson {self.number}: {self.title}. Claim: {self.claim}"

    @property
    def is_race(self) -> bool:
        return self.kind == "race"


# --------------------------------------------------------------------------------------------
# Reading a summary
# --------------------------------------------------------------------------------------------
class _Unjudgeable(Exception):
    """The summary lacks what the claim talks about (a renamed or failed contender, no drift)."""


def _pct(x: float) -> str:
    return f"{100 * x:.1f} %"


def _pts(x: float) -> str:
    return f"{100 * x:.1f} points"


def _contender(summary: dict, name: str) -> dict:
    for c in summary.get("contenders") or []:
        if c.get("name") == name:
            if c.get("status") != "ok" or c.get("accuracy") is None:
                raise _Unjudgeable(f"{name} did not finish ({c.get('error') or 'no result'})")
            return c
    raise _Unjudgeable(f"the run has no contender named '{name}' (the claim is about it)")


def _segment(c: dict, k: int) -> float:
    segs = c.get("accuracy_by_segment") or []
    if k >= len(segs) or segs[k] is None:
        raise _Unjudgeable(f"the stream has no stretch after drift {k} (the claim needs "
                           f"{'a drift' if k == 1 else f'{k} drifts'})")
    return float(segs[k])


def _drift_value(c: dict, key: str, k: int):
    values = c.get(key) or []
    if k >= len(values):
        raise _Unjudgeable(f"the stream has no drift {k + 1} (the claim needs it)")
    return values[k]


def _result(ok: bool, detail: str) -> ClaimCheck:
    return ClaimCheck(bool(ok), detail)


# --------------------------------------------------------------------------------------------
# Configs
# --------------------------------------------------------------------------------------------
_EVAL = {"warmup": 1000, "window": 500, "label_delay": 0, "step": 100}
_BLOBS = {"angle": 0, "separation": 2.5, "std": 1.0}
NB = "sk.gaussian_nb"  # batch contenders: Gaussian naive Bayes fits in milliseconds


def _online(name: str, lr: float | None = None, **policy) -> dict:
    model: Any = "river.logistic_regression"
    if lr is not None:
        model = {"name": "river.logistic_regression", "params": {"lr": lr}}
    return {"name": name, "model": model, "policy": {"kind": "online", **policy}}


def _race(seed: int, n: int, drifts: list, contenders: list, params=None, **stream) -> dict:
    return {"seed": seed,
            "stream": {"source": "blobs2d", "n_samples": n, "params": {**_BLOBS, **(params or {})},
                       "drifts": drifts, **stream},
            "evaluation": dict(_EVAL),
            "contenders": contenders}


# --------------------------------------------------------------------------------------------
# Lesson 1: stable world
# --------------------------------------------------------------------------------------------
def _check_stable(s: dict) -> ClaimCheck:
    frozen = _contender(s, "Batch, trained once")
    online = [_contender(s, n) for n in ("Online logistic regression", "Online Hoeffding tree")]
    best = max(online, key=lambda c: c["accuracy"])
    gap = best["accuracy"] - frozen["accuracy"]
    ratio = best["train_samples"] / max(frozen["train_samples"], 1)
    lead = (f"The online learner is {_pts(gap)} ahead" if gap > 0 else
            f"The batch model is {_pts(-gap)} ahead")
    return _result(gap <= 0.01 and ratio >= 4,
                   f"Batch, trained once: {_pct(frozen['accuracy'])} on "
                   f"{frozen['train_samples']:,} training samples; best online learner "
                   f"({best['name']}): {_pct(best['accuracy'])} on {best['train_samples']:,}. "
                   f"{lead} (the claim allows the online learner at most 1 point).")


def _try_stable(s: dict, base: dict) -> ClaimCheck:
    frozen = _segment(_contender(s, "Batch, trained once"), 1)
    online = _segment(_contender(s, "Online logistic regression"), 1)
    return _result(frozen <= online - 0.2,
                   f"after the drift: batch trained once {_pct(frozen)}, online logistic "
                   f"regression {_pct(online)}")


# --------------------------------------------------------------------------------------------
# Lesson 2: sudden drift
# --------------------------------------------------------------------------------------------
def _check_sudden(s: dict) -> ClaimCheck:
    frozen, online = _contender(s, "Frozen batch"), _contender(s, "Online")
    f1, o0, o1 = _segment(frozen, 1), _segment(online, 0), _segment(online, 1)
    rec = _drift_value(online, "recovery", 0)
    tol = _drift_value(online, "recovery_tolerance", 0)
    ok = f1 <= o1 - 0.25 and o1 >= o0 - 0.03
    within = (f"within {_pts(tol)} (its noise tolerance) of its pre-drift accuracy"
              if tol is not None else "back to its pre-drift accuracy")
    rec_text = (f"it did not get back {within} before the end" if rec is None else
                f"it was back {within}, and stayed there, {rec:,} samples after the drift")
    return _result(ok, f"After the drift: frozen {_pct(f1)}, online {_pct(o1)} (gap "
                       f"{_pts(o1 - f1)}; the claim needs 25). The online learner had "
                       f"{_pct(o0)} before the drift and {_pct(o1)} after it (the claim allows "
                       f"3 points less); {rec_text}.")


def _try_sudden(s: dict, base: dict) -> ClaimCheck:
    now = _segment(_contender(s, "Periodic retrain"), 1)
    before = _segment(_contender(base, "Periodic retrain"), 1)
    return _result(now <= before - 0.03,
                   f"periodic retrain after the drift: {_pct(now)} retraining every 2,000 "
                   f"samples vs {_pct(before)} every 1,000")


# --------------------------------------------------------------------------------------------
# Lesson 3: gradual drift
# --------------------------------------------------------------------------------------------
def _check_gradual(s: dict) -> ClaimCheck:
    sched = _segment(_contender(s, "Scheduled retrain"), 1)
    trig = _segment(_contender(s, "Drift-triggered retrain"), 1)
    lead = (f"the scheduled one is {_pts(sched - trig)} ahead" if sched >= trig else
            f"the drift-triggered one is {_pts(trig - sched)} ahead")
    return _result(sched >= trig + 0.02,
                   f"From the drift's start on: scheduled retrain {_pct(sched)}, drift-triggered "
                   f"retrain {_pct(trig)} ({lead}; the claim needs the scheduled one 2 points "
                   "ahead).")


def _try_gradual(s: dict, base: dict) -> ClaimCheck:
    sched = _segment(_contender(s, "Scheduled retrain"), 1)
    trig = _segment(_contender(s, "Drift-triggered retrain"), 1)
    return _result(trig >= sched + 0.02,
                   f"sudden drift: drift-triggered {_pct(trig)}, scheduled {_pct(sched)}")


# --------------------------------------------------------------------------------------------
# Lesson 4: old data pollutes
# --------------------------------------------------------------------------------------------
def _check_old_data(s: dict) -> ClaimCheck:
    every = _segment(_contender(s, "All history"), 1)
    window = _segment(_contender(s, "Sliding window"), 1)
    decay = _segment(_contender(s, "Decayed weights"), 1)
    return _result(window >= every + 0.05 and decay >= every + 0.05,
                   f"After the drift: sliding window {_pct(window)}, decayed weights "
                   f"{_pct(decay)}, all history {_pct(every)} (leads of {_pts(window - every)} "
                   f"and {_pts(decay - every)}; the claim needs 5 each).")


def _try_old_data(s: dict, base: dict) -> ClaimCheck:
    every = _segment(_contender(s, "All history"), 1)
    decay = _segment(_contender(s, "Decayed weights"), 1)
    return _result(abs(decay - every) < 0.02,
                   f"after the drift: decayed weights (half-life 20,000) {_pct(decay)}, all "
                   f"history {_pct(every)}")


# --------------------------------------------------------------------------------------------
# Lesson 5: noise
# --------------------------------------------------------------------------------------------
def _check_noise(s: dict) -> ClaimCheck:
    calm, jumpy = _contender(s, "Calm online (rate 0.01)"), _contender(s, "Jumpy online (rate 1)")
    gap = calm["accuracy"] - jumpy["accuracy"]
    return _result(gap >= 0.02,
                   f"Calm online {_pct(calm['accuracy'])}, jumpy online "
                   f"{_pct(jumpy['accuracy'])}: the calm learner is {_pts(gap)} ahead (the claim "
                   "needs 2).")


def _try_noise(s: dict, base: dict) -> ClaimCheck:
    calm = _drift_value(_contender(s, "Calm online (rate 0.01)"), "max_drop", 0)
    jumpy = _drift_value(_contender(s, "Jumpy online (rate 1)"), "max_drop", 0)
    ok = calm is not None and jumpy is not None and jumpy < calm
    return _result(ok, f"dip after the drift: jumpy {_pts(jumpy or 0)}, calm {_pts(calm or 0)}")


# --------------------------------------------------------------------------------------------
# Lesson 6: recurring concepts
# --------------------------------------------------------------------------------------------
def _check_recurring(s: dict) -> ClaimCheck:
    frozen, window = _contender(s, "Frozen batch"), _contender(s, "Sliding-window retrain")
    f0, f1, f2 = (_segment(frozen, k) for k in (0, 1, 2))
    f_drop = _drift_value(frozen, "max_drop", 1)
    w_drop = _drift_value(window, "max_drop", 1)
    ok = (f2 >= f0 - 0.02 and f_drop is not None and f_drop <= 0.03 and w_drop is not None
          and w_drop >= 0.20)
    return _result(ok, f"Frozen batch: {_pct(f0)} first, {_pct(f1)} in the middle, {_pct(f2)} "
                       f"once the first concept is back (dip at the return: "
                       f"{_pts(f_drop or 0)}). Sliding-window retrain: dip at the return "
                       f"{_pts(w_drop or 0)} (the claim needs at least 20).")


def _try_recurring(s: dict, base: dict) -> ClaimCheck:
    now, before = (_contender(x, "Sliding-window retrain") for x in (s, base))
    drop_now, drop_before = (_drift_value(c, "max_drop", 1) for c in (now, before))
    mid_now, mid_before = _segment(now, 1), _segment(before, 1)
    ok = drop_now < drop_before - 0.1 and mid_now < mid_before
    return _result(ok, f"window 6,000: dip at the return {_pts(drop_now)} (was "
                       f"{_pts(drop_before)}), middle stretch {_pct(mid_now)} (was "
                       f"{_pct(mid_before)})")


# --------------------------------------------------------------------------------------------
# Lesson 7: label delay
# --------------------------------------------------------------------------------------------
_DELAYED = ("Online, labels at once", "Online, labels 500 late", "Online, labels 2,000 late")


def _check_delay(s: dict) -> ClaimCheck:
    accs = [_segment(_contender(s, n), 1) for n in _DELAYED]
    late_drop = _drift_value(_contender(s, _DELAYED[2]), "max_drop", 0)
    frozen_drop = _drift_value(_contender(s, "Frozen batch"), "max_drop", 0)
    ordered = accs[0] >= accs[1] + 0.01 and accs[1] >= accs[2] + 0.01
    deep = late_drop is not None and frozen_drop is not None and late_drop >= frozen_drop - 0.05
    return _result(ordered and deep,
                   f"After the drift: labels at once {_pct(accs[0])}, 500 late {_pct(accs[1])}, "
                   f"2,000 late {_pct(accs[2])}. Dip after the drift: labels 2,000 late "
                   f"{_pts(late_drop or 0)}, frozen batch {_pts(frozen_drop or 0)}.")


def _try_delay(s: dict, base: dict) -> ClaimCheck:
    accs = [_contender(s, n)["accuracy"] for n in _DELAYED]
    return _result(max(accs) - min(accs) <= 0.01,
                   "without a drift: " + ", ".join(f"{n[8:]} {_pct(a)}"
                                                   for n, a in zip(_DELAYED, accs)))


# --------------------------------------------------------------------------------------------
# Lesson 8: retrain budget
# --------------------------------------------------------------------------------------------
_EVERY = (4000, 2000, 1000, 500, 100)


def _budget_name(every: int) -> str:
    return f"Retrain every {every:,}"


def _check_budget(s: dict) -> ClaimCheck:
    c = {e: _contender(s, _budget_name(e)) for e in _EVERY}
    early = c[1000]["accuracy"] - c[4000]["accuracy"]
    late = c[100]["accuracy"] - c[500]["accuracy"]
    cost = c[100]["train_samples"] / max(c[500]["train_samples"], 1)
    ok = early >= 0.10 and late < 0.02 and cost >= 4
    return _result(ok, f"Every 4,000 -> every 1,000: {_pct(c[4000]['accuracy'])} -> "
                       f"{_pct(c[1000]['accuracy'])} (+{_pts(early)}; the claim needs 10). "
                       f"Every 500 -> every 100: {_pct(c[500]['accuracy'])} -> "
                       f"{_pct(c[100]['accuracy'])} ({'+' if late >= 0 else ''}{_pts(late)}; "
                       f"the claim needs under 2) for {cost:.1f} times the training samples "
                       f"({c[500]['train_samples']:,} -> {c[100]['train_samples']:,}).")


def _try_budget(s: dict, base: dict) -> ClaimCheck:
    frozen = _contender(s, "Frozen batch")["accuracy"]
    best = max(_contender(s, _budget_name(e))["accuracy"] for e in _EVERY)
    return _result(best - frozen <= 0.015,
                   f"without drift: frozen {_pct(frozen)}, best retrained {_pct(best)}")


# --------------------------------------------------------------------------------------------
# Lesson 9: hybrid
# --------------------------------------------------------------------------------------------
def _check_hybrid(s: dict) -> ClaimCheck:
    hyb, onl, nig = (_contender(s, n) for n in ("Hybrid", "Online", "Nightly batch retrain"))
    n_drifts = len(s.get("drifts") or [])
    if n_drifts == 0:
        raise _Unjudgeable("the stream has no drift (the claim is about the stretches after "
                           "drifts)")
    parts, ok = [], True
    for k in range(1, n_drifts + 1):
        h, o, b = _segment(hyb, k), _segment(onl, k), _segment(nig, k)
        ok &= h >= max(o, b) + 0.01
        parts.append(f"after drift {k}: hybrid {_pct(h)}, online {_pct(o)}, nightly batch "
                     f"{_pct(b)}")
    return _result(ok, "; ".join(parts).capitalize() + " (the claim needs a 1-point lead "
                   f"each time). The hybrid trained on {hyb['train_samples']:,} samples, the "
                   f"online learner on {onl['train_samples']:,}.")


def _try_hybrid(s: dict, base: dict) -> ClaimCheck:
    def lead(x):
        return _contender(x, "Hybrid")["accuracy"] - _contender(x, "Online")["accuracy"]

    return _result(lead(s) < lead(base),
                   f"hybrid's lead over online: {_pts(lead(s))} refitting every 3,000, "
                   f"{_pts(lead(base))} every 1,000")


# --------------------------------------------------------------------------------------------
# Lesson 10: full batch, mini-batch, SGD
# --------------------------------------------------------------------------------------------
def _curves(s: dict) -> dict:
    if s.get("kind") != "gradient":
        raise _Unjudgeable("this is not a gradient-descent run")
    return {c["batch"]: c for c in s["curves"]}


def _check_gradient(s: dict) -> ClaimCheck:
    curves = _curves(s)
    for needed in ("full", 32):
        if needed not in curves:
            raise _Unjudgeable(f"the run has no batch size {needed} (the claim compares it)")
    ordered = sorted(curves.values(), key=lambda c: -c["size"])  # full batch first
    shares = [c["raise_share"] for c in ordered]
    smooth = all(b >= a - 0.01 for a, b in zip(shares, shares[1:])) and shares[0] <= 0.01 \
        and shares[-1] >= shares[0] + 0.2
    full = curves["full"]
    full_need = full["samples_to_target"] or full["samples"] + 1  # not reached: more than all
    small = [c for c in ordered if c["size"] <= 32 and c["samples_to_target"] is not None]
    quick = min(small, key=lambda c: c["samples_to_target"]) if small else None
    fast = quick is not None and quick["samples_to_target"] * 10 <= full_need
    shares_text = ", ".join(f"{c['label']} {_pct(c['raise_share'])}" for c in ordered)
    reach = "; ".join(
        f"{c['label']} " + (f"{c['samples_to_target']:,}" if c["samples_to_target"] is not None
                            else f"not within {c['samples']:,}") for c in ordered)
    return _result(smooth and fast,
                   f"Share of updates that raised the loss: {shares_text}. Samples processed "
                   f"until the loss was within {s['config']['tolerance']:g} of the best "
                   f"({s['best_loss']:.3f}): {reach}.")


def _try_gradient(s: dict, base: dict) -> ClaimCheck:
    curves = _curves(s)
    sgd, full = curves.get(1), curves.get("full")
    ok = sgd is not None and full is not None and sgd["samples_to_target"] is not None \
        and full["samples_to_target"] is None
    return _result(ok, f"step 0.05: SGD within {s['config']['tolerance']:g} of the best loss after "
                       f"{sgd and sgd['samples_to_target']} samples; full batch: "
                       f"{full and full['samples_to_target']}")


# --------------------------------------------------------------------------------------------
# Lesson 11: batch vs online k-means
# --------------------------------------------------------------------------------------------
def _check_kmeans(s: dict) -> ClaimCheck:
    if s.get("kind") != "kmeans":
        raise _Unjudgeable("this is not a k-means run")
    d = s["final_distance"]
    ratio = d["batch_all"] / max(d["online"], 1e-12)
    return _result(ratio >= 5,
                   f"Mean distance to the true centres over the last tenth of the stream: online "
                   f"{d['online']:.2f} units, batch on all data {d['batch_all']:.2f}, mini-batch "
                   f"{d['minibatch']:.2f}, batch on the first part {d['batch_first']:.2f}. Online "
                   f"is {ratio:.1f} times closer than batch on all data (the claim needs 5).")


def _try_kmeans(s: dict, base: dict) -> ClaimCheck:
    d = s["final_distance"]
    return _result(d["batch_all"] < d["online"],
                   f"still groups: batch on all data {d['batch_all']:.3f}, online "
                   f"{d['online']:.3f} units")


# --------------------------------------------------------------------------------------------
# The lessons
# --------------------------------------------------------------------------------------------
def _lessons() -> list[Lesson]:
    from lab.lessons.gradient import DEFAULTS as GRADIENT
    from lab.lessons.kmeans import DEFAULTS as KMEANS

    sudden = [{"at": 3000, "width": 0, "to": {"angle": 90}}]
    return [
        Lesson(
            key="lesson-stable", number=1, title="A stable world",
            situation="Two clouds of points, class 0 and class 1, and nothing ever changes. "
                      "One model learns once from the first 1,000 samples and is never touched "
                      "again; another is retrained on all the data every 1,000 samples; two "
                      "online learners learn from every sample as it comes.",
            look_at="The accuracy lines: do they end at the same height? Which line is the "
                    "steadiest? Then the cost: how many samples did each one train on?",
            shows="When the world stands still, learning once is enough. The batch model is as "
                  "good as the online learners from the start, its line is flat because it "
                  "never changes, and it trained on a fifth of the samples. Online learning "
                  "pays off only when something changes.",
            try_this="Add a sudden change halfway: at sample 3,000 the boundary turns by 90 "
                     "degrees.",
            try_overrides={"stream.drifts": [{"at": 3000, "width": 0, "to": {"angle": 120}}]},
            try_expect="The model trained once falls to about a coin flip after the change, at "
                       "least 20 points below the online learners, and the claim no longer "
                       "holds. That is the next lesson.",
            claim="With nothing changing, the batch model trained once on the first 1,000 "
                  "samples is within 1 point of the best online learner, though it trained on "
                  "at least 4 times fewer samples.",
            check=_check_stable, try_check=_try_stable,
            break_overrides={"stream.drifts": [{"at": 3000, "width": 0, "to": {"angle": 120}}]},
            break_note="a drift makes the model trained once fall behind",
            config=_race(7, 5000, [], [
                {"name": "Batch, trained once", "model": NB, "policy": {"kind": "frozen"}},
                {"name": "Batch, retrained on all data", "model": NB,
                 "policy": {"kind": "periodic", "every": 1000, "data": "all"}},
                _online("Online logistic regression"),
                {"name": "Online Hoeffding tree", "model": "river.hoeffding_tree",
                 "policy": {"kind": "online"}},
            ], params={"angle": 30}),
            charts=("accuracy", "tradeoff"),
        ),
        Lesson(
            key="lesson-sudden", number=2, title="Sudden drift",
            situation="The same two classes, but at sample 3,000 the boundary between them "
                      "turns by 90 degrees from one sample to the next, like a rule that "
                      "changed overnight. A frozen model, a model retrained every 1,000 "
                      "samples on the last 1,000, and an online learner race through it.",
            look_at="The dashed line marks the change. Watch the frozen model's line fall and "
                    "stay down; the online learner's dip and quick climb back; the periodic "
                    "retrain's steps up at each retrain (its model age is a saw-tooth). In the "
                    "boundary view, compare the shading with the dots just after the change.",
            shows="A model only knows the world it was trained on. When the rule changes, the "
                  "frozen model is right only by chance; the online learner turns its boundary "
                  "within a few hundred samples; a periodic retrain recovers at its next "
                  "retrain, and not before.",
            try_this="Retrain the periodic model every 2,000 samples instead of every 1,000.",
            try_overrides={"contenders[1].policy.every": 2000},
            try_expect="Its saw-tooth gets longer teeth: after the change it keeps the old "
                       "boundary for up to 2,000 samples, and its accuracy after the change "
                       "falls by at least 3 points.",
            claim="After the drift the frozen model is at least 25 points less accurate than "
                  "the online learner, which adapts so fast that its accuracy after the drift "
                  "is within 3 points of its accuracy before it.",
            check=_check_sudden, try_check=_try_sudden,
            break_overrides={"stream.drifts[0].to.angle": 20},
            break_note="a small turn (20 degrees) hardly hurts the frozen model",
            config=_race(3, 6000, sudden, [
                {"name": "Frozen batch", "model": NB, "policy": {"kind": "frozen"}},
                {"name": "Periodic retrain", "model": NB,
                 "policy": {"kind": "periodic", "every": 1000, "data": "window",
                            "window": 1000}},
                _online("Online", lr=0.2),
            ]),
            charts=("accuracy", "boundary", "staleness"),
        ),
        Lesson(
            key="lesson-gradual", number=3, title="Gradual drift",
            situation="The boundary turns by 90 degrees again, but slowly: from sample 4,000 to "
                      "9,000, more and more samples follow the new rule. One model is retrained "
                      "on a fixed schedule (every 1,500 samples); another waits for a drift "
                      "detector to raise the alarm and then retrains.",
            look_at="The grey band is the slow change. Look for the alarm crosses on the "
                    "drift-triggered line: when do they come, and how good is the model trained "
                    "right after them? Compare the two lines after the band.",
            shows="A drift detector is built to notice a jump. A slow change raises the alarm "
                  "early, while most samples still follow the old rule; the model retrained "
                  "then learns a mix of both rules, and no second alarm comes to fix it. A "
                  "plain schedule keeps retraining and ends up on the new rule. How fast the "
                  "world changes decides which strategy wins.",
            try_this="Make the change sudden (width 0).",
            try_overrides={"stream.drifts[0].width": 0},
            try_expect="Now the alarm comes right at the change, the retrain after it sees the "
                       "new rule, and the drift-triggered retrain beats the schedule by at least "
                       "2 points: the claim turns around.",
            claim="In a slow drift, retraining on a schedule beats retraining when a drift "
                  "detector raises the alarm: from the drift's start on, the scheduled retrain "
                  "is at least 2 points more accurate.",
            check=_check_gradual, try_check=_try_gradual,
            break_overrides={"stream.drifts[0].width": 0},
            break_note="with a sudden drift the detector fires at the right moment",
            config=_race(11, 12000, [{"at": 4000, "width": 5000, "to": {"angle": 90}}], [
                {"name": "Frozen batch", "model": NB, "policy": {"kind": "frozen"}},
                {"name": "Scheduled retrain", "model": NB,
                 "policy": {"kind": "periodic", "every": 1500, "data": "window",
                            "window": 1000}},
                {"name": "Drift-triggered retrain", "model": NB,
                 "policy": {"kind": "triggered", "detector": "adwin", "window": 1000}},
            ]),
            charts=("accuracy", "boundary"),
        ),
        Lesson(
            key="lesson-old-data", number=4, title="Old data pollutes",
            situation="After a sudden change at sample 3,000, three models are retrained every "
                      "1,000 samples. They differ only in what they are retrained on: all the "
                      "history, only the last 1,000 samples (a sliding window), or all the "
                      "history with old samples counting less and less (weights that halve "
                      "every 500 samples).",
            look_at="The lines after the change: which ones climb back, and which one stays "
                    "stuck halfway? Then the cost chart: retraining on all history gets more "
                    "expensive every time.",
            shows="More data is not always better. After a change, the old samples teach the "
                  "old rule: a model trained on all history learns a compromise between the "
                  "old and the new boundary, and gets worse value for ever more work. Forgetting "
                  "on purpose, by a window or by fading weights, is what lets a model follow the "
                  "world.",
            try_this="Make the weights fade very slowly: a half-life of 20,000 samples.",
            try_overrides={"contenders[2].policy.half_life": 20000},
            try_expect="The old samples now keep almost their full weight, so 'decayed weights' "
                       "behaves like 'all history' (within 2 points), and the claim no longer "
                       "holds.",
            claim="After the drift, retraining on a sliding window or with decayed weights is "
                  "at least 5 points more accurate than retraining on all history.",
            check=_check_old_data, try_check=_try_old_data,
            break_overrides={"stream.drifts": []},
            break_note="without a drift, old data is simply more data",
            config=_race(5, 9000, sudden, [
                {"name": "All history", "model": NB,
                 "policy": {"kind": "periodic", "every": 1000, "data": "all"}},
                {"name": "Sliding window", "model": NB,
                 "policy": {"kind": "periodic", "every": 1000, "data": "window",
                            "window": 1000}},
                {"name": "Decayed weights", "model": NB,
                 "policy": {"kind": "periodic", "every": 1000, "data": "decay",
                            "half_life": 500}},
            ]),
            charts=("accuracy", "boundary", "cost"),
        ),
        Lesson(
            key="lesson-noise", number=5, title="Noise: stability vs plasticity",
            situation="Nothing changes, but one label in ten is wrong (flipped at random). Two "
                      "online learners of the same kind differ only in their learning rate, how "
                      "far each new sample moves them: 0.01 (calm) or 1 (jumpy).",
            look_at="The two online lines: the jumpy one sits lower and wobbles more. Each "
                    "wrong label pulls its boundary off course, and the next samples pull it "
                    "back.",
            shows="A learner that reacts strongly to every sample also reacts to every mistake "
                  "in the data. Calm learners are stable; jumpy ones are plastic. Neither is "
                  "right in general: it depends on whether the changes you face are real.",
            try_this="Add a real change: at sample 3,000 the boundary turns by 90 degrees.",
            try_overrides={"stream.drifts": [{"at": 3000, "width": 0, "to": {"angle": 90}}]},
            try_expect="Now the jumpy learner's quickness pays: right after the change it dips "
                       "less than the calm one, which takes a long time to turn. On the quiet "
                       "stretch before, it still pays for its jumpiness.",
            claim="On noisy data that never changes, the jumpy online learner (learning rate 1) "
                  "is at least 2 points less accurate than the calm one (learning rate 0.01): it "
                  "chases the noise.",
            check=_check_noise, try_check=_try_noise,
            break_overrides={"stream.label_noise": 0.0},
            break_note="without wrong labels there is little noise to chase",
            config=_race(13, 6000, [], [
                {"name": "Batch, trained once", "model": NB, "policy": {"kind": "frozen"}},
                _online("Calm online (rate 0.01)", lr=0.01),
                _online("Jumpy online (rate 1)", lr=1.0),
            ], params={"separation": 3.0}, label_noise=0.1),
            charts=("accuracy",),
        ),
        Lesson(
            key="lesson-recurring", number=6, title="Recurring concepts",
            situation="The rule changes at sample 3,000 (the boundary turns by 90 degrees) and "
                      "changes back at 6,000: the first rule returns, like a season. A frozen "
                      "model trained on the first rule, a model retrained on the last 1,000 "
                      "samples every 1,000 samples, and an online learner race through it.",
            look_at="The second dashed line, where the first rule returns: the frozen model "
                    "jumps back up at once. The sliding-window retrain falls again, just as it "
                    "did at the first change. The boundary view shows who still remembers.",
            shows="Adapting means forgetting. The models that followed the change forgot the "
                  "first rule and must learn it again when it comes back; the frozen model, "
                  "useless in the middle, was right all along for the first rule. This is "
                  "'catastrophic forgetting', and why some systems keep a library of old models.",
            try_this="Give the sliding window a long memory: 6,000 samples instead of 1,000.",
            try_overrides={"contenders[1].policy.window": 6000},
            try_expect="It still remembers the first rule when it returns, so its dip there is "
                       "at least 10 points smaller, but it is worse in the middle stretch: it "
                       "averages the old and the new rule.",
            claim="When the first concept returns, the frozen model, useless in the middle "
                  "stretch, is right again at once, while the sliding-window retrain, which "
                  "forgot it, drops at least 20 points before relearning it.",
            check=_check_recurring, try_check=_try_recurring,
            break_overrides={"stream.drifts[1].to": {"angle": 180}},
            break_note="if the stream moves on to a third rule instead, nothing old returns",
            config=_race(17, 9000, [{"at": 3000, "width": 0, "to": {"angle": 90}},
                                    {"at": 6000, "width": 0, "to": {}}], [
                {"name": "Frozen batch", "model": NB, "policy": {"kind": "frozen"}},
                {"name": "Sliding-window retrain", "model": NB,
                 "policy": {"kind": "periodic", "every": 1000, "data": "window",
                            "window": 1000}},
                _online("Online", lr=0.05),
            ]),
            charts=("accuracy", "boundary"),
        ),
        Lesson(
            key="lesson-label-delay", number=7, title="Late labels",
            situation="The boundary turns suddenly at sample 3,000. Three identical online "
                      "learners differ only in when they learn the true label of a sample: at "
                      "once, 500 samples later, or 2,000 samples later (think of a loan: "
                      "whether it is repaid is known months after the decision). In the config, "
                      "each learner's delay is its `retrain_latency`: for an online learner, an "
                      "update that arrives late is exactly a label that arrives late.",
            look_at="After the change, each online line stays down for about as long as its "
                    "labels take to arrive, then climbs. The one whose labels are 2,000 samples "
                    "late follows the frozen model down. The model-age chart shows the delays.",
            shows="An online learner is only as fresh as its labels. Learning from every sample "
                  "does not help until the answers come back, so with slow feedback its "
                  "advantage over a batch model shrinks or vanishes.",
            try_this="Remove the change (no drift).",
            try_overrides={"stream.drifts": []},
            try_expect="With nothing new to learn, late labels cost almost nothing: the three "
                       "online learners end within 1 point of each other, and the claim, which "
                       "is about the change, has nothing to stand on.",
            claim="After the drift, the later the labels the lower the online learner's "
                  "accuracy, and with labels 2,000 samples late it dips as deep as the frozen "
                  "model (within 5 points).",
            check=_check_delay, try_check=_try_delay,
            break_overrides={"stream.drifts": []},
            break_note="without a change, a late label is still a correct label",
            config=_race(19, 8000, sudden, [
                {"name": "Frozen batch", "model": NB, "policy": {"kind": "frozen"}},
                _online(_DELAYED[0], lr=0.05),
                _online(_DELAYED[1], lr=0.05, retrain_latency=500),
                _online(_DELAYED[2], lr=0.05, retrain_latency=2000),
            ]),
            charts=("accuracy", "staleness"),
        ),
        Lesson(
            key="lesson-budget", number=8, title="The retraining budget",
            situation="The world turns slowly and steadily: the boundary rotates by 30 degrees "
                      "every 1,000 samples. Five copies of the same batch model are retrained "
                      "on their last 500 samples, every 4,000, 2,000, 1,000, 500 or 100 "
                      "samples; one is never retrained.",
            look_at="The accuracy-vs-cost chart: each point is a contender, cost on a log "
                    "scale. Follow the points from cheap to expensive: the first steps up are "
                    "big, the last ones are tiny.",
            shows="Retraining more often helps, but with diminishing returns: once the model is "
                  "retrained faster than the world changes noticeably, more retraining only "
                  "costs. The sensible choice is at the bend of the curve.",
            try_this="Stop the world turning (no drift).",
            try_overrides={"stream.drifts": []},
            try_expect="Retraining buys nothing at all: every contender is within about 1.5 "
                       "points of the model that is never retrained, which costs far less.",
            claim="More retraining pays, then stops paying: going from every 4,000 to every "
                  "1,000 samples gains at least 10 points, but going from every 500 to every 100 "
                  "gains under 2 points for at least 4 times the training cost.",
            check=_check_budget, try_check=_try_budget,
            break_overrides={"stream.drifts": []},
            break_note="without change, retraining more often gains nothing",
            config=_race(23, 10000,
                         [{"at": 1000 * k, "width": 1000, "to": {"angle": 30 * k}}
                          for k in range(1, 10)],
                         [{"name": "Frozen batch", "model": NB, "policy": {"kind": "frozen"}}] +
                         [{"name": _budget_name(e), "model": NB,
                           "policy": {"kind": "periodic", "every": e, "data": "window",
                                      "window": 500}} for e in _EVERY]),
            charts=("tradeoff", "accuracy", "cost"),
        ),
        Lesson(
            key="lesson-hybrid", number=9, title="Hybrid: online by day, retrain by night",
            situation="The boundary turns at sample 3,000 and again at 6,000. Three contenders: "
                      "a batch model retrained 'every night' (every 1,000 samples) on the last "
                      "1,000 samples; a calm online learner; and a hybrid that learns online "
                      "during the day and is also rebuilt from scratch every night.",
            look_at="The lines after each change: the nightly batch model waits for the night, "
                    "the online learner turns slowly, the hybrid gets both the quick first "
                    "reaction and the clean rebuild.",
            shows="The two ideas combine. Online updates keep the model fresh between retrains; "
                  "the nightly rebuild throws away what no longer holds, which a slow online "
                  "learner takes a long time to unlearn. The price is training both ways.",
            try_this="Rebuild the hybrid only every 3,000 samples.",
            try_overrides={"contenders[2].policy.every": 3000},
            try_expect="With rare rebuilds the hybrid is mostly a plain online learner, so its "
                       "lead over the online learner shrinks.",
            claim="After each drift, the hybrid (online updates plus a nightly rebuild) is at "
                  "least 1 point more accurate than both the pure online learner and the "
                  "nightly batch retrain.",
            check=_check_hybrid, try_check=_try_hybrid,
            break_overrides={"stream.drifts": []},
            break_note="without changes there is nothing to rebuild for",
            config=_race(29, 9000, [{"at": 3000, "width": 0, "to": {"angle": 90}},
                                    {"at": 6000, "width": 0, "to": {"angle": 180}}], [
                {"name": "Nightly batch retrain", "model": NB,
                 "policy": {"kind": "periodic", "every": 1000, "data": "window",
                            "window": 1000}},
                _online("Online"),
                {"name": "Hybrid", "model": "river.logistic_regression",
                 "policy": {"kind": "hybrid", "every": 1000, "window": 1000}},
            ]),
            charts=("accuracy", "cost"),
        ),
        Lesson(
            key="lesson-gradient", number=10,
            title="Full batch, mini-batch and stochastic gradient descent", kind="gradient",
            situation="No stream and no drift this time: one fixed table of 2,000 rows, and a "
                      "logistic-regression model trained by gradient descent. Each step moves "
                      "the weights downhill by the same step size (0.3); the only difference is "
                      "how many rows estimate the downhill direction: all 2,000 (full batch), "
                      "512, 128 or 32 (mini-batches), or a single row (stochastic gradient "
                      "descent, SGD).",
            look_at="Left: the loss against the number of steps. Right: the same curves "
                    "against the number of rows read. The dotted line is the best loss "
                    "possible.",
            shows="Per step, a bigger batch is a better estimate: its curve is smooth and never "
                  "goes up. Per row read, small batches win: they take many cheap steps while "
                  "the full batch reads the whole table for each one. Too small is too noisy: "
                  "at this step size, SGD never settles near the best loss. This 'mini-batch' "
                  "is about how to estimate a step, not about learning from a stream.",
            try_this="Make the step size smaller: 0.05 instead of 0.3.",
            try_overrides={"lr": 0.05},
            try_expect="With small steps the noise averages out: SGD now gets close to the best "
                       "loss within about one pass over the table, while the full batch has not "
                       "got there by the end.",
            claim="Per update, bigger batches lower the loss more smoothly (fewer of their "
                  "updates raise it); per sample processed, small batches get near the best "
                  "loss sooner (at least 10 times fewer samples than the full batch).",
            check=_check_gradient, try_check=_try_gradient,
            break_overrides={"lr": 3.0},
            break_note="with steps ten times bigger even the full batch overshoots and "
                       "zig-zags, so bigger batches are no longer smoother per update",
            config=copy.deepcopy(GRADIENT),
            charts=("loss",),
        ),
        Lesson(
            key="lesson-kmeans", number=11, title="Batch vs online k-means", kind="kmeans",
            situation="Three groups of points, one above the other, all drifting slowly to the "
                      "right; points arrive one at a time. Batch k-means looks at all 3,000 "
                      "points at once, with hindsight; online k-means (river) moves the nearest "
                      "centre a little towards each new point; mini-batch k-means "
                      "(scikit-learn's partial_fit) updates from every 100 points.",
            look_at="Left: the black lines are where the groups really are; the orange lines "
                    "are the online centres riding along; the blue crosses are batch k-means, "
                    "stuck in the middle of each path. Right: how far each method is from the "
                    "true centres as time goes on.",
            shows="Batch k-means answers 'where were the groups on average?', not 'where are "
                  "they now?'. The online version forgets old points little by little, so it "
                  "follows the groups. Mini-batch k-means learns in pieces but averages "
                  "everything it has seen, so it lags too: learning in pieces is not the same "
                  "as forgetting.",
            try_this="Stop the groups moving (speed 0).",
            try_overrides={"speed": 0.0},
            try_expect="Now batch k-means on all the data is the closest to the true centres: "
                       "with nothing to follow, the online centres' jitter is all that is left.",
            claim="At the end, the online centroids are at least 5 times closer to the true "
                  "centres than the centroids of batch k-means fitted on all the data.",
            check=_check_kmeans, try_check=_try_kmeans,
            break_overrides={"speed": 0.0},
            break_note="still groups have no path to follow",
            config=copy.deepcopy(KMEANS),
            charts=("kmeans",),
        ),
    ]


LESSONS: dict[str, Lesson] = {lesson.key: lesson for lesson in _lessons()}


def get_lesson(key: str | int) -> Lesson:
    """A lesson by key (``"lesson-sudden"``) or number (``2``)."""
    if isinstance(key, int) or (isinstance(key, str) and key.isdigit()):
        for lesson in LESSONS.values():
            if lesson.number == int(key):
                return lesson
    elif key in LESSONS:
        return LESSONS[key]
    raise ConfigError("lesson", f"unknown lesson {key!r}",
                      f"use one of: {', '.join(LESSONS)} (or a number 1-{len(LESSONS)})")


# --------------------------------------------------------------------------------------------
# Checking claims
# --------------------------------------------------------------------------------------------
def check_claim(lesson: Lesson, summary: dict) -> ClaimCheck:
    """Judge ``lesson``'s claim on a run's summary dict; never raises for a well-formed summary.

    A summary that lacks what the claim talks about (a renamed or failed contender, a stream
    without the drift) gives ``holds=False`` with the reason.
    """
    try:
        return lesson.check(summary)
    except _Unjudgeable as exc:
        return ClaimCheck(False, f"The claim cannot be checked on this run: {exc}.")
    except (KeyError, TypeError, ValueError, IndexError) as exc:
        return ClaimCheck(False, f"The claim cannot be checked on this run ({exc!r}).")


def check_try(lesson: Lesson, try_summary: dict, base_summary: dict) -> ClaimCheck | None:
    """Did ``try_this`` do what ``try_expect`` says? (None if the lesson has no such check.)

    ``base_summary`` is the run at the preset settings with the same seed.
    """
    if lesson.try_check is None:
        return None
    try:
        return lesson.try_check(try_summary, base_summary)
    except _Unjudgeable as exc:
        return ClaimCheck(False, f"cannot be checked: {exc}")
    except (KeyError, TypeError, ValueError, IndexError) as exc:
        return ClaimCheck(False, f"cannot be checked ({exc!r})")


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
    if kind == "gradient":
        from lab.lessons import gradient as module
    elif kind == "kmeans":
        from lab.lessons import kmeans as module
    else:
        raise ValueError(f"unknown lesson kind {kind!r}")
    return module


@dataclass
class LessonRun:
    """One run of a lesson: its config, the raw result, the summary and the judged claim.

    ``result`` is a :class:`lab.engine.RaceResult` for lessons 1-9 (with decision-boundary
    snapshots when the lesson draws them), a :class:`lab.lesson_gradient.GradientRun` or a
    :class:`lab.lesson_kmeans.KMeansRun` otherwise.
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

    ``progress`` and ``should_stop`` are passed to :func:`lab.engine.run_race` (race lessons).
    ``snapshots``: keep the models for the decision-boundary view (default: when the lesson
    draws it and the stream is 2-D).
    """
    if isinstance(lesson, str):
        lesson = get_lesson(lesson)
    overrides = dict(overrides or {})
    cfg = lesson_config(lesson, overrides, seed)
    if lesson.kind == "race":
        from lab.engine import run_race
        from lab.metrics import summarise

        experiment = parse_experiment(cfg)
        if snapshots is None:
            snapshots = "boundary" in lesson.charts and _is_2d(experiment)
        times = snapshot_times(experiment) if snapshots else None
        result = run_race(experiment, progress=progress, should_stop=should_stop,
                          snapshots=times)
        summary = summarise(result)
    else:
        module = _module(lesson.kind)
        result = (module.run_gradient(cfg) if lesson.kind == "gradient"
                  else module.run_kmeans(cfg))
        summary = result.summary
    return LessonRun(lesson, cfg, result, summary, check_claim(lesson, summary), overrides)


def _is_2d(experiment: Experiment) -> bool:
    return experiment.stream.source == "blobs2d"


# --------------------------------------------------------------------------------------------
# Decision-boundary snapshots
# --------------------------------------------------------------------------------------------
def snapshot_plan(experiment: Experiment, max_moments: int = 5) -> list[tuple[int, str]]:
    """``(t, label)`` moments for the decision-boundary view: just before each drift starts,
    a little after it ends (half a window, at most half the way to the next drift), and the end.

    >>> from lab.config import parse_experiment
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
    "tradeoff": "Accuracy against total training cost; the dotted line joins the best deals.",
    "loss": "Loss on the whole table after every update, by batch size.",
    "kmeans": "Where the groups really are, where each method puts its centres, and how far "
              "off each one is over time.",
}


def lesson_figures(run: LessonRun) -> list[tuple[str, Any]]:
    """``(caption, plotly figure)`` for each chart of the lesson, in teaching order."""
    from lab import plots

    lesson, result = run.lesson, run.result
    out = []
    if lesson.kind == "gradient":
        return [(CHART_CAPTIONS["loss"], plots.loss_curve_figure(result))]
    if lesson.kind == "kmeans":
        return [(CHART_CAPTIONS["kmeans"], plots.kmeans_figure(result))]
    from lab.metrics import events_frame, timeline_frame

    timeline, events = timeline_frame(result), events_frame(result)
    drifts = run.summary["drifts"]
    window = result.experiment.evaluation.window
    for chart in lesson.charts:
        if chart == "accuracy":
            fig = plots.accuracy_figure(timeline, events, drifts, window=window)
        elif chart == "staleness":
            fig = plots.staleness_figure(timeline, events, drifts)
        elif chart == "cost":
            fig = plots.cost_figure(timeline, drifts)
        elif chart == "tradeoff":
            fig = plots.tradeoff_figure(run.summary)
        elif chart == "boundary":
            if not any(result.snapshots.values()):
                continue  # not a 2-D stream, or snapshots were not kept
            plan = snapshot_plan(result.experiment)
            fig = plots.decision_boundary_figure(result.stream.to_frame(), result.snapshots,
                                                 plan)
        else:
            continue
        out.append((CHART_CAPTIONS[chart], fig))
    return out


# --------------------------------------------------------------------------------------------
# Command line: python -m lab.lessons
# --------------------------------------------------------------------------------------------
def _parse_set(items: list[str]) -> dict:
    """``--set PATH=VALUE`` pairs; VALUE is JSON (bounded by :func:`parse_json_text`), or a
    plain text when it is not JSON at all."""
    out = {}
    for item in items or []:
        path, sep, raw = item.partition("=")
        if not sep:
            raise ConfigError(item, "is not PATH=VALUE", "write e.g. --set stream.n_samples=4000")
        try:
            out[path] = parse_json_text(raw, f"--set {path}")
        except JsonSyntaxError:
            out[path] = raw
    return out


def main(argv: list[str] | None = None) -> int:
    """``python -m lab.lessons list | show KEY | run KEY [--seed N] [--try] [--set P=V]
    [--out DIR]``."""
    import argparse
    import json
    import sys
    from pathlib import Path

    parser = argparse.ArgumentParser(
        prog="python -m lab.lessons",
        description="Driftlab lessons: run one and check its claim.",
        epilog="examples:\n  python -m lab.lessons list\n  python -m lab.lessons show "
               "lesson-sudden\n  python -m lab.lessons run lesson-gradient --out out/l10\n"
               "  python -m lab.lessons run lesson-sudden --try --seed 4",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("list", help="list the lessons")
    show = sub.add_parser("show", help="print a lesson's text")
    show.add_argument("lesson")
    run_p = sub.add_parser("run", help="run a lesson and check its claim")
    run_p.add_argument("lesson")
    run_p.add_argument("--seed", type=int)
    run_p.add_argument("--try", dest="try_it", action="store_true",
                       help="apply the lesson's 'try this' change")
    run_p.add_argument("--set", action="append", metavar="PATH=VALUE", default=[],
                       help="change a setting, e.g. stream.n_samples=4000 (repeatable)")
    run_p.add_argument("--out", metavar="DIR", help="write summary.json, claim.json and the "
                                                    "figures as HTML here")
    args = parser.parse_args(argv)
    try:
        if args.command == "list":
            for lesson in LESSONS.values():
                print(f"{lesson.number:>2}. {lesson.key:<20} {lesson.title}")
            return 0
        lesson = get_lesson(args.lesson)
        if args.command == "show":
            for head, text in (("Situation", lesson.situation), ("Look at", lesson.look_at),
                               ("It shows", lesson.shows), ("Claim", lesson.claim),
                               ("Try this", lesson.try_this), ("What happens", lesson.try_expect)):
                print(f"{head}: {text}\n")
            return 0
        overrides = dict(lesson.try_overrides) if args.try_it else {}
        overrides.update(_parse_set(args.set))
        run = run_lesson(lesson, overrides, seed=args.seed)
        print(f"Lesson {lesson.number}: {lesson.title}")
        print(f"Claim: {lesson.claim}")
        print(f"{'HOLDS' if run.check.holds else 'DOES NOT HOLD'}: {run.check.detail}")
        if args.out:
            from lab import plots

            out = Path(args.out)
            out.mkdir(parents=True, exist_ok=True)
            (out / "summary.json").write_text(json.dumps(run.summary, indent=2, default=str)
                                              + "\n", encoding="utf-8")
            (out / "claim.json").write_text(json.dumps(
                {"lesson": lesson.key, "claim": lesson.claim, "holds": run.check.holds,
                 "detail": run.check.detail, "overrides": overrides}, indent=2) + "\n",
                encoding="utf-8")
            for k, (_, fig) in enumerate(lesson_figures(run), start=1):
                (out / f"figure{k}.html").write_text(plots.figure_html(fig), encoding="utf-8")
            print(f"wrote {', '.join(sorted(p.name for p in out.iterdir()))} to {out}")
        return 0
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
