"""The lessons' claim checks: each judges one lesson's claim (or its "try this" change) on a
run's summary dict alone.

Reading only the summary (``summary.json`` for a race, the summary of :mod:`lab.lessons.gradient`
/ :mod:`lab.lessons.kmeans` otherwise) means the app, the CLI and the tests judge a run the same
way, and a run rebuilt from its files is judged the same. A summary that lacks what a claim talks
about gives ``holds=False`` with the reason: a lesson never pretends.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from lab.lessons.wording import (
    DETECTOR_WORDS,
    model_words,
    noise_text,
    num,
    policy_value,
    turn_text,
    turning_rate,
    turns,
)


@dataclass(frozen=True)
class ClaimCheck:
    """Whether a lesson's claim holds for one run, and the numbers that decided it."""

    holds: bool
    detail: str



class Judged(Protocol):
    """What :func:`check_claim` and :func:`check_try` need of a lesson
    (:class:`lab.lessons.catalogue.Lesson` has it; the catalogue imports this module, not the
    other way round)."""

    check: Callable[[dict], ClaimCheck]
    try_check: Callable[[dict, dict], ClaimCheck] | None
    try_keeps_claim: bool | None


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
# Baselines: every race check says how the contenders compare with the trivial classifiers
# --------------------------------------------------------------------------------------------
def _baselines(s: dict) -> str:
    """One sentence on the no-change and majority baselines (``summary.json`` always has them)."""
    nc, mj = s.get("no_change_accuracy"), s.get("majority_accuracy")
    if nc is None or mj is None:
        return ""
    return (f" Baselines on the same samples: no-change {_pct(nc)}, majority {_pct(mj)}.")


def _kappa(c: dict) -> str:
    k = c.get("kappa")
    return "" if k is None else f" (kappa {k:.2f})"


# --------------------------------------------------------------------------------------------
# Lesson 1: stable world
# --------------------------------------------------------------------------------------------
#: the contenders' names say how each learns, never which model: "Make the claim fail" swaps the
#: naive Bayes twins for a decision tree and a Hoeffding tree, and a name must stay true there
STABLE_NAMES = ("Batch, trained once", "Batch, retrained on all data",
                "Online, from every sample")


def check_stable(s: dict) -> ClaimCheck:
    frozen, every, online = (_contender(s, n) for n in STABLE_NAMES)
    best = max((every, online), key=lambda c: c["accuracy"])
    gap = best["accuracy"] - frozen["accuracy"]
    ratio = online["train_samples"] / max(frozen["train_samples"], 1)
    who = {STABLE_NAMES[1]: "the model retrained on all data",
           STABLE_NAMES[2]: "the online learner"}[best["name"]]
    lead = (f"over the whole run, {who} is {_pts(gap)} ahead of the model trained once"
            if gap > 0 else
            f"over the whole run, the model trained once is {_pts(-gap)} ahead")
    batch_model, online_model = model_words(s, frozen["name"]), model_words(s, online["name"])
    models = (f"All three are {batch_model}" if batch_model == online_model else
              f"Batch: {batch_model}; online: {online_model}")
    drifts = turns(s) or (s.get("config") or {}).get("stream", {}).get("drifts") or []
    world = "" if not drifts else " This stream changes (the claim is about one that does not)."
    return _result(gap <= 0.01 and ratio >= 4,
                   f"{models}. Trained once: {_pct(frozen['accuracy'])}{_kappa(frozen)} on "
                   f"{frozen['train_samples']:,} training samples; retrained on all data: "
                   f"{_pct(every['accuracy'])}; online: {_pct(online['accuracy'])}"
                   f"{_kappa(online)} on {online['train_samples']:,}. {lead[0].upper()}"
                   f"{lead[1:]} (the claim allows at most 1 point).{world}" + _baselines(s))


STABLE_TRY_GAP = 0.10  # the Try box's promise: trained once this far below online after it


def try_stable(s: dict, base: dict) -> ClaimCheck:
    frozen = _segment(_contender(s, STABLE_NAMES[0]), 1)
    online = _segment(_contender(s, STABLE_NAMES[2]), 1)
    return _result(frozen <= online - STABLE_TRY_GAP,
                   f"{turn_text(s)}, the model trained once scored {_pct(frozen)} and its "
                   f"online twin {_pct(online)}: {_pts(online - frozen)} apart (the lesson "
                   f"says at least {num(100 * STABLE_TRY_GAP)})")


# --------------------------------------------------------------------------------------------
# Lesson 2: sudden drift
# --------------------------------------------------------------------------------------------
ONLINE = "Online"  # the lab's online learner in every lesson (catalogue.ONLINE_LR)


def check_sudden(s: dict) -> ClaimCheck:
    frozen, online = _contender(s, "Frozen batch"), _contender(s, ONLINE)
    f1, o0, o1 = _segment(frozen, 1), _segment(online, 0), _segment(online, 1)
    rec = _drift_value(online, "recovery", 0)
    tol = _drift_value(online, "recovery_tolerance", 0)
    ok = o1 >= o0 - 0.05 and o1 >= f1 + 0.05
    within = (f"within {_pts(tol)} (its noise tolerance) of its pre-drift accuracy"
              if tol is not None else "back to its pre-drift accuracy")
    drop = _drift_value(online, "max_drop", 0)
    rec_text = (f"it climbed back but did not get {within} to stay before the end" if rec is None
                else f"it was back {within}, and stayed there, {rec:,} samples after the drift")
    return _result(ok, f"The online learner ({model_words(s, ONLINE)}) had {_pct(o0)} before "
                       f"the drift and {_pct(o1)} on average after it, {_pts(o0 - o1)} less "
                       f"(the claim allows 5); its deepest dip was {_pts(drop or 0)}, and "
                       f"{rec_text}. Frozen model after the drift: {_pct(f1)} (the claim needs "
                       f"the online learner 5 points above it: {_pts(o1 - f1)})." + _baselines(s))


SUDDEN_TRY_FALL = 0.03  # the Try box's promise: the periodic retrain loses this much


def try_sudden(s: dict, base: dict) -> ClaimCheck:
    """The periodic retrain, retrained half as often, loses at least ``SUDDEN_TRY_FALL`` after
    the drift; the box then quotes the online learner's numbers too, since the claim (which
    the Try box says still holds) is about it, not about the periodic retrain."""
    now = _segment(_contender(s, "Periodic retrain"), 1)
    before = _segment(_contender(base, "Periodic retrain"), 1)
    every_now = num(policy_value(s, "Periodic retrain", "every"))
    every_before = num(policy_value(base, "Periodic retrain", "every"))
    online, frozen = _contender(s, ONLINE), _contender(s, "Frozen batch")
    o0, o1, f1 = _segment(online, 0), _segment(online, 1), _segment(frozen, 1)
    return _result(now <= before - SUDDEN_TRY_FALL,
                   f"periodic retrain after the drift: {_pct(now)} retraining every "
                   f"{every_now} samples vs {_pct(before)} every {every_before}, "
                   f"{_pts(before - now)} less (the lesson says at least "
                   f"{num(100 * SUDDEN_TRY_FALL)}). The online learner, which the claim is "
                   f"about: {_pct(o1)} after the drift ({_pct(o0)} before it), {_pts(o1 - f1)} "
                   f"above the frozen model")


# --------------------------------------------------------------------------------------------
# Lesson 3: gradual drift
# --------------------------------------------------------------------------------------------
def check_gradual(s: dict) -> ClaimCheck:
    sched = _segment(_contender(s, "Scheduled retrain"), 1)
    trig = _segment(_contender(s, "Drift-triggered retrain"), 1)
    lead = (f"the scheduled one is {_pts(sched - trig)} ahead" if sched >= trig else
            f"the drift-triggered one is {_pts(trig - sched)} ahead")
    return _result(sched >= trig + 0.015,
                   f"{_change_text(s)}, detector {_detector(s)}. From the drift's start on: "
                   f"scheduled retrain {_pct(sched)}, drift-triggered retrain {_pct(trig)} "
                   f"({lead}; the claim needs the scheduled one 1.5 points ahead)."
                   + _baselines(s))


def _detector(s: dict) -> str:
    name = policy_value(s, "Drift-triggered retrain", "detector") or "adwin"
    return DETECTOR_WORDS.get(name, name)


def _change_text(s: dict) -> str:
    drifts = (s.get("config") or {}).get("stream", {}).get("drifts") or []
    if not drifts:
        return "No drift"
    d = drifts[0]
    if not d.get("width"):
        return f"A sudden change at sample {d['at']:,}"
    return f"A slow change from sample {d['at']:,} to {d['at'] + d['width']:,}"


GRADUAL_TRY_LEAD = 0.02  # the Try box's promise: drift-triggered ahead by this much


def try_gradual(s: dict, base: dict) -> ClaimCheck:
    sched = _segment(_contender(s, "Scheduled retrain"), 1)
    trig = _segment(_contender(s, "Drift-triggered retrain"), 1)
    return _result(trig >= sched + GRADUAL_TRY_LEAD,
                   f"{_change_text(s).lower()}: drift-triggered {_pct(trig)}, scheduled "
                   f"{_pct(sched)}, {_pts(trig - sched)} ahead (the lesson says at least "
                   f"{num(100 * GRADUAL_TRY_LEAD)})")


# --------------------------------------------------------------------------------------------
# Lesson 4: old data pollutes
# --------------------------------------------------------------------------------------------
def check_old_data(s: dict) -> ClaimCheck:
    every = _segment(_contender(s, "All history"), 1)
    window = _segment(_contender(s, "Sliding window"), 1)
    decay = _segment(_contender(s, "Decayed weights"), 1)
    return _result(window >= every + 0.05 and decay >= every + 0.05,
                   f"{turn_text(s)[0].upper() + turn_text(s)[1:]}: sliding window "
                   f"{_pct(window)}, decayed weights "
                   f"{_pct(decay)}, all history {_pct(every)} (leads of {_pts(window - every)} "
                   f"and {_pts(decay - every)}; the claim needs 5 each)." + _baselines(s))


OLD_DATA_TRY_WITHIN = 0.02  # the Try box's promise: decayed weights this close to all history


def try_old_data(s: dict, base: dict) -> ClaimCheck:
    every = _segment(_contender(s, "All history"), 1)
    decay = _segment(_contender(s, "Decayed weights"), 1)
    half_life = num(policy_value(s, "Decayed weights", "half_life"))
    return _result(abs(decay - every) < OLD_DATA_TRY_WITHIN,
                   f"after the drift: decayed weights (half-life {half_life} samples) "
                   f"{_pct(decay)}, all history {_pct(every)}, {_pts(abs(decay - every))} apart "
                   f"(the lesson says within {num(100 * OLD_DATA_TRY_WITHIN)})")


# --------------------------------------------------------------------------------------------
# Lesson 5: noise
# --------------------------------------------------------------------------------------------
def check_noise(s: dict) -> ClaimCheck:
    calm, jumpy = _contender(s, "Calm online (rate 0.01)"), _contender(s, "Jumpy online (rate 1)")
    gap = calm["accuracy"] - jumpy["accuracy"]
    drifts = (s.get("config") or {}).get("stream", {}).get("drifts") or []
    world = (" The stream never changes." if not drifts else
             f" This stream changes: {turn_text(s)[6:]} (the claim is about one that never "
             "changes).")
    lead = (f"the calm learner is {_pts(gap)} ahead" if gap >= 0 else
            f"the jumpy learner is {_pts(-gap)} ahead")
    return _result(gap >= 0.02,
                   f"With {noise_text(s)}: calm online {_pct(calm['accuracy'])}, jumpy online "
                   f"{_pct(jumpy['accuracy'])}; {lead} (the claim needs the calm one 2 points "
                   f"ahead).{world}" + _baselines(s))




def try_noise(s: dict, base: dict) -> ClaimCheck:
    def lead(x: dict) -> float:
        return (_contender(x, "Calm online (rate 0.01)")["accuracy"]
                - _contender(x, "Jumpy online (rate 1)")["accuracy"])

    return _result(lead(s) > lead(base),
                   f"the calm learner's lead: {_pts(lead(s))} with {noise_text(s)}, "
                   f"{_pts(lead(base))} with {noise_text(base)}")


# --------------------------------------------------------------------------------------------
# Lesson 6: recurring concepts
# --------------------------------------------------------------------------------------------
def check_recurring(s: dict) -> ClaimCheck:
    frozen, window = _contender(s, "Frozen batch"), _contender(s, "Sliding-window retrain")
    f0, f1, f2 = (_segment(frozen, k) for k in (0, 1, 2))
    f_drop = _drift_value(frozen, "max_drop", 1)
    w_drop = _drift_value(window, "max_drop", 1)
    ok = (f2 >= f0 - 0.04 and f_drop is not None and f_drop <= 0.05 and w_drop is not None
          and w_drop >= 0.20)
    drifts = (s.get("config") or {}).get("stream", {}).get("drifts") or []
    middle = (f"The first concept left at sample {drifts[0]['at']:,} and came back at "
              f"{drifts[1]['at']:,}, {drifts[1]['at'] - drifts[0]['at']:,} samples later; the "
              f"window is {num(policy_value(s, 'Sliding-window retrain', 'window'))}. "
              if len(drifts) >= 2 else "")
    return _result(ok, f"{middle}Frozen batch: {_pct(f0)} first, {_pct(f1)} in the middle, "
                       f"{_pct(f2)} "
                       f"once the first concept is back (dip at the return: "
                       f"{_pts(f_drop or 0)}; the claim needs it back within 4 points of its "
                       f"first stretch, with a dip of at most 5). Sliding-window retrain: dip at "
                       f"the return "
                       f"{_pts(w_drop or 0)} (the claim needs at least 20)." + _baselines(s))


def try_recurring(s: dict, base: dict) -> ClaimCheck:
    now, before = (_contender(x, "Sliding-window retrain") for x in (s, base))
    drop_now, drop_before = (_drift_value(c, "max_drop", 1) for c in (now, before))
    mid_now, mid_before = _segment(now, 1), _segment(before, 1)
    ok = drop_now < drop_before - 0.1 and mid_now < mid_before
    window = num(policy_value(s, "Sliding-window retrain", "window"))
    was = num(policy_value(base, "Sliding-window retrain", "window"))
    return _result(ok, f"window {window} samples: dip at the return {_pts(drop_now)} (with "
                       f"{was}: {_pts(drop_before)}; the lesson says at least 10 points "
                       f"smaller), middle stretch {_pct(mid_now)} (with {was}: "
                       f"{_pct(mid_before)})")


# --------------------------------------------------------------------------------------------
# Lesson 7: label delay
# --------------------------------------------------------------------------------------------
DELAYED_NAMES = ("Online, labels at once", "Online, labels 500 late", "Online, labels 2,000 late")


def check_delay(s: dict) -> ClaimCheck:
    accs = [_segment(_contender(s, n), 1) for n in DELAYED_NAMES]
    late_drop = _drift_value(_contender(s, DELAYED_NAMES[2]), "max_drop", 0)
    frozen_drop = _drift_value(_contender(s, "Frozen batch"), "max_drop", 0)
    ordered = accs[0] >= accs[1] + 0.01 and accs[1] >= accs[2] + 0.01
    deep = late_drop is not None and frozen_drop is not None and late_drop >= frozen_drop - 0.05
    when = turn_text(s)
    return _result(ordered and deep,
                   f"{when[0].upper() + when[1:]}: labels at once {_pct(accs[0])}, 500 late "
                   f"{_pct(accs[1])}, "
                   f"2,000 late {_pct(accs[2])}. Dip after the drift: labels 2,000 late "
                   f"{_pts(late_drop or 0)}, frozen batch {_pts(frozen_drop or 0)} (the claim "
                   "needs each delay 1 point below the shorter one, and the dips within 5 "
                   "points)."
                   + _baselines(s))


# the Try box's promise: the bigger turn costs the latest labels this much more
DELAY_TRY_EXTRA = 0.05


def try_delay(s: dict, base: dict) -> ClaimCheck:
    def loss(x: dict, name: str) -> float:
        return _segment(_contender(x, name), 0) - _segment(_contender(x, name), 1)

    at_once = loss(s, DELAYED_NAMES[0]) - loss(base, DELAYED_NAMES[0])
    late = loss(s, DELAYED_NAMES[2]) - loss(base, DELAYED_NAMES[2])
    now, before = (num(turns(x)[0][1]) if turns(x) else "no" for x in (s, base))
    return _result(late >= at_once + DELAY_TRY_EXTRA,
                   f"a {now}-degree turn instead of {before}: the learner with labels at once "
                   f"loses {_pts(at_once)} more after the change, the one with labels 2,000 "
                   f"late {_pts(late)} more (the lesson says at least "
                   f"{num(100 * DELAY_TRY_EXTRA)} more than labels at once)")


# --------------------------------------------------------------------------------------------
# Lesson 8: retrain budget
# --------------------------------------------------------------------------------------------
RETRAIN_EVERY = (4000, 2000, 1000, 500, 100)


def budget_name(every: int) -> str:
    return f"Retrain every {every:,}"


def check_budget(s: dict) -> ClaimCheck:
    c = {e: _contender(s, budget_name(e)) for e in RETRAIN_EVERY}
    early = c[1000]["accuracy"] - c[4000]["accuracy"]
    late = c[100]["accuracy"] - c[500]["accuracy"]
    cost = c[100]["train_samples"] / max(c[500]["train_samples"], 1)
    ok = early >= 0.10 and late < 0.02 and cost >= 4
    windows = sorted({policy_value(s, budget_name(e), "window") or 0 for e in RETRAIN_EVERY})
    learns = ("each retrain learns from its last "
              + " or ".join(f"{num(w)}" for w in windows) + " samples" if all(windows) else
              "some retrains learn from all the data seen")
    return _result(ok, f"{turning_rate(s)}; {learns}{_noise_clause(s)}. Every 4,000 -> every "
                       f"1,000: "
                       f"{_pct(c[4000]['accuracy'])} -> "
                       f"{_pct(c[1000]['accuracy'])} (+{_pts(early)}; the claim needs 10). "
                       f"Every 500 -> every 100: {_pct(c[500]['accuracy'])} -> "
                       f"{_pct(c[100]['accuracy'])} ({'+' if late >= 0 else ''}{_pts(late)}; "
                       f"the claim needs under 2) for {cost:.1f} times the training samples "
                       f"({c[500]['train_samples']:,} -> {c[100]['train_samples']:,})."
                       + _baselines(s))




def _noise_clause(s: dict) -> str:
    """", and 3 in 10 labels are wrong" when the run has label noise (the claim names it)."""
    noise = float((s.get("config") or {}).get("stream", {}).get("label_noise") or 0.0)
    return f", and {num(round(10 * noise, 2))} in 10 labels are wrong" if noise else ""


BUDGET_TRY_WITHIN = 0.015  # the Try box's promise: no retrain gains more than this


def try_budget(s: dict, base: dict) -> ClaimCheck:
    frozen = _contender(s, "Frozen batch")["accuracy"]
    best = max(_contender(s, budget_name(e))["accuracy"] for e in RETRAIN_EVERY)
    return _result(best - frozen <= BUDGET_TRY_WITHIN,
                   f"{turning_rate(s)[12:]}: never retrained {_pct(frozen)}, best retrained "
                   f"{_pct(best)}, {_pts(best - frozen)} apart (the lesson says within about "
                   f"{num(100 * BUDGET_TRY_WITHIN)})")


# --------------------------------------------------------------------------------------------
# Lesson 9: hybrid
# --------------------------------------------------------------------------------------------
HYBRID_NAMES = ("Hybrid", "Online, rate 0.01", "Nightly batch retrain")


def _contender_at(s: dict, index: int) -> dict:
    """The contender configured at ``index`` (its name may be another setting of the run)."""
    configured = (s.get("config") or {}).get("contenders") or []
    if index >= len(configured):
        raise _Unjudgeable(f"the run has no contender {index + 1}")
    return _contender(s, configured[index]["name"])


def check_hybrid(s: dict) -> ClaimCheck:
    hyb, nig = (_contender(s, n) for n in (HYBRID_NAMES[0], HYBRID_NAMES[2]))
    onl = _contender_at(s, 1)  # the online learner (its name says its learning rate)
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
    rates = (f"The online learner and the hybrid are {model_words(s, onl['name'])}. "
             if model_words(s, onl["name"]) == model_words(s, hyb["name"]) else
             f"Online: {model_words(s, onl['name'])}; hybrid: {model_words(s, hyb['name'])}. ")
    return _result(ok, rates + "; ".join(parts).capitalize() + " (the claim needs a 1-point "
                   f"lead each time). The hybrid trained on {hyb['train_samples']:,} samples, the "
                   f"online learner on {onl['train_samples']:,}." + _baselines(s))


def try_hybrid(s: dict, base: dict) -> ClaimCheck:
    def lead(x):
        return _contender(x, HYBRID_NAMES[0])["accuracy"] - _contender_at(x, 1)["accuracy"]

    every, was = (num(policy_value(x, HYBRID_NAMES[0], "every")) for x in (s, base))
    return _result(lead(s) < lead(base),
                   f"hybrid's lead over online: {_pts(lead(s))} rebuilding every {every} "
                   f"samples, {_pts(lead(base))} every {was}")


# --------------------------------------------------------------------------------------------
# Lesson 10: full batch, mini-batch, SGD
# --------------------------------------------------------------------------------------------
def _curves(s: dict) -> dict:
    if s.get("kind") != "gradient":
        raise _Unjudgeable("this is not a gradient-descent run")
    return {c["batch"]: c for c in s["curves"]}


def check_gradient(s: dict) -> ClaimCheck:
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
                   f"Step size {s['config']['lr']:g}. Share of updates that raised the loss: "
                   f"{shares_text}. Samples processed "
                   f"until the loss was within {s['config']['tolerance']:g} of the best "
                   f"({s['best_loss']:.3f}): {reach}.")


def try_gradient(s: dict, base: dict) -> ClaimCheck:
    curves = _curves(s)
    sgd, full = curves.get(1), curves.get("full")
    ok = sgd is not None and full is not None and sgd["samples_to_target"] is not None \
        and full["samples_to_target"] is None
    def reach(c: dict | None) -> str:
        if c is None:
            return "not in this run"
        if c["samples_to_target"] is None:
            return f"not within its {c['samples']:,} samples"
        return f"after {c['samples_to_target']:,} samples"

    return _result(ok, f"step {s['config']['lr']:g}: within {s['config']['tolerance']:g} of the "
                       f"best loss, SGD {reach(sgd)}; full batch {reach(full)}")


# --------------------------------------------------------------------------------------------
# Lesson 11: batch vs online k-means
# --------------------------------------------------------------------------------------------
def check_kmeans(s: dict) -> ClaimCheck:
    if s.get("kind") != "kmeans":
        raise _Unjudgeable("this is not a k-means run")
    d = s["final_distance"]
    ratio = d["batch_all"] / max(d["online"], 1e-12)
    cfg = s["config"]
    travel = cfg["speed"] * cfg["n_points"] / 1000  # speed: units per 1,000 points
    return _result(ratio >= 5,
                   f"The groups travelled {travel:.1f} units over the stream, "
                   f"{travel / cfg['std']:.1f} times their spread. Mean distance to the true "
                   f"centres over the last tenth of the stream: online "
                   f"{d['online']:.2f} units, batch on all data {d['batch_all']:.2f}, mini-batch "
                   f"{d['minibatch']:.2f}, batch on the first part {d['batch_first']:.2f}. Online "
                   f"is {ratio:.1f} times closer than batch on all data (the claim needs 5).")


def try_kmeans(s: dict, base: dict) -> ClaimCheck:
    d = s["final_distance"]
    return _result(d["batch_all"] < d["online"],
                   f"still groups: batch on all data {d['batch_all']:.3f}, online "
                   f"{d['online']:.3f} units")




# --------------------------------------------------------------------------------------------
# Checking claims
# --------------------------------------------------------------------------------------------
def check_claim(lesson: Judged, summary: dict) -> ClaimCheck:
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


def check_try(lesson: Judged, try_summary: dict, base_summary: dict) -> ClaimCheck | None:
    """Did ``try_this`` do what ``try_expect`` says? (None if the lesson has no such check.)

    ``base_summary`` is the run at the preset settings with the same seed. "It happened" needs
    both the try check and the claim's verdict on the Try run to be what the lesson says
    (``try_keeps_claim``; None: the lesson promises nothing about the claim there): the page
    shows that verdict as the badge next to the Try box, so the two can never contradict each
    other.
    """
    if lesson.try_check is None:
        return None
    try:
        result = lesson.try_check(try_summary, base_summary)
        result = ClaimCheck(result.holds, result.detail.rstrip("."))  # a clause follows
    except _Unjudgeable as exc:
        return ClaimCheck(False, f"cannot be checked: {exc}")
    except (KeyError, TypeError, ValueError, IndexError) as exc:
        return ClaimCheck(False, f"cannot be checked ({exc!r})")
    claim = check_claim(lesson, try_summary).holds
    now = "holds" if claim else "does not hold"
    if lesson.try_keeps_claim is None:  # the lesson promises nothing about the claim here
        return ClaimCheck(result.holds, f"{result.detail}; the claim {now} on this run")
    said = "still holds" if lesson.try_keeps_claim else "no longer holds"
    if claim == lesson.try_keeps_claim:
        return ClaimCheck(result.holds, f"{result.detail}; the claim {said}, as expected")
    return ClaimCheck(False, f"{result.detail}; but the claim {now} on this run, though the "
                             f"lesson says it {said}")
