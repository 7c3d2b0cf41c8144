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
STABLE_NAMES = ("Batch, trained once", "Batch, retrained on all data", "Online, same model")


def check_stable(s: dict) -> ClaimCheck:
    frozen, every, online = (_contender(s, n) for n in STABLE_NAMES)
    best = max((every, online), key=lambda c: c["accuracy"])
    gap = best["accuracy"] - frozen["accuracy"]
    ratio = online["train_samples"] / max(frozen["train_samples"], 1)
    lead = (f"{best['name']} is {_pts(gap)} ahead" if gap > 0 else
            f"the model trained once is {_pts(-gap)} ahead")
    return _result(gap <= 0.01 and ratio >= 4,
                   f"Trained once: {_pct(frozen['accuracy'])}{_kappa(frozen)} on "
                   f"{frozen['train_samples']:,} training samples; retrained on all data: "
                   f"{_pct(every['accuracy'])}; online: {_pct(online['accuracy'])}"
                   f"{_kappa(online)} on {online['train_samples']:,}. {lead.capitalize()} (the "
                   f"claim allows at most 1 point)." + _baselines(s))


def try_stable(s: dict, base: dict) -> ClaimCheck:
    frozen = _segment(_contender(s, STABLE_NAMES[0]), 1)
    online = _segment(_contender(s, STABLE_NAMES[2]), 1)
    return _result(frozen <= online - 0.1,
                   f"after the drift: trained once {_pct(frozen)}, online {_pct(online)}")


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
    rec_text = (f"it did not get back {within} before the end" if rec is None else
                f"it was back {within}, and stayed there, {rec:,} samples after the drift")
    return _result(ok, f"The online learner had {_pct(o0)} before the drift and {_pct(o1)} "
                       f"after it (the claim allows 5 points less); {rec_text}. Frozen model "
                       f"after the drift: {_pct(f1)} (the claim needs the online learner 5 "
                       f"points above it: {_pts(o1 - f1)})." + _baselines(s))


def try_sudden(s: dict, base: dict) -> ClaimCheck:
    now = _segment(_contender(s, "Periodic retrain"), 1)
    before = _segment(_contender(base, "Periodic retrain"), 1)
    return _result(now <= before - 0.03,
                   f"periodic retrain after the drift: {_pct(now)} retraining every 2,000 "
                   f"samples vs {_pct(before)} every 1,000")


# --------------------------------------------------------------------------------------------
# Lesson 3: gradual drift
# --------------------------------------------------------------------------------------------
def check_gradual(s: dict) -> ClaimCheck:
    sched = _segment(_contender(s, "Scheduled retrain"), 1)
    trig = _segment(_contender(s, "Drift-triggered retrain"), 1)
    lead = (f"the scheduled one is {_pts(sched - trig)} ahead" if sched >= trig else
            f"the drift-triggered one is {_pts(trig - sched)} ahead")
    return _result(sched >= trig + 0.015,
                   f"From the drift's start on: scheduled retrain {_pct(sched)}, drift-triggered "
                   f"retrain {_pct(trig)} ({lead}; the claim needs the scheduled one 1.5 points "
                   "ahead)." + _baselines(s))


def try_gradual(s: dict, base: dict) -> ClaimCheck:
    sched = _segment(_contender(s, "Scheduled retrain"), 1)
    trig = _segment(_contender(s, "Drift-triggered retrain"), 1)
    return _result(trig >= sched + 0.02,
                   f"sudden drift: drift-triggered {_pct(trig)}, scheduled {_pct(sched)}")


# --------------------------------------------------------------------------------------------
# Lesson 4: old data pollutes
# --------------------------------------------------------------------------------------------
def check_old_data(s: dict) -> ClaimCheck:
    every = _segment(_contender(s, "All history"), 1)
    window = _segment(_contender(s, "Sliding window"), 1)
    decay = _segment(_contender(s, "Decayed weights"), 1)
    return _result(window >= every + 0.05 and decay >= every + 0.05,
                   f"After the drift: sliding window {_pct(window)}, decayed weights "
                   f"{_pct(decay)}, all history {_pct(every)} (leads of {_pts(window - every)} "
                   f"and {_pts(decay - every)}; the claim needs 5 each)." + _baselines(s))


def try_old_data(s: dict, base: dict) -> ClaimCheck:
    every = _segment(_contender(s, "All history"), 1)
    decay = _segment(_contender(s, "Decayed weights"), 1)
    return _result(abs(decay - every) < 0.02,
                   f"after the drift: decayed weights (half-life 20,000) {_pct(decay)}, all "
                   f"history {_pct(every)}")


# --------------------------------------------------------------------------------------------
# Lesson 5: noise
# --------------------------------------------------------------------------------------------
def check_noise(s: dict) -> ClaimCheck:
    calm, jumpy = _contender(s, "Calm online (rate 0.01)"), _contender(s, "Jumpy online (rate 1)")
    gap = calm["accuracy"] - jumpy["accuracy"]
    return _result(gap >= 0.02,
                   f"Calm online {_pct(calm['accuracy'])}, jumpy online "
                   f"{_pct(jumpy['accuracy'])}: the calm learner is {_pts(gap)} ahead (the claim "
                   "needs 2)." + _baselines(s))


def try_noise(s: dict, base: dict) -> ClaimCheck:
    def lead(x: dict) -> float:
        return (_contender(x, "Calm online (rate 0.01)")["accuracy"]
                - _contender(x, "Jumpy online (rate 1)")["accuracy"])

    return _result(lead(s) > lead(base),
                   f"the calm learner's lead: {_pts(lead(s))} with 3 in 10 labels wrong, "
                   f"{_pts(lead(base))} with 1 in 10")


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
    return _result(ok, f"Frozen batch: {_pct(f0)} first, {_pct(f1)} in the middle, {_pct(f2)} "
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
    return _result(ok, f"window 6,000: dip at the return {_pts(drop_now)} (was "
                       f"{_pts(drop_before)}), middle stretch {_pct(mid_now)} (was "
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
    return _result(ordered and deep,
                   f"After the drift: labels at once {_pct(accs[0])}, 500 late {_pct(accs[1])}, "
                   f"2,000 late {_pct(accs[2])}. Dip after the drift: labels 2,000 late "
                   f"{_pts(late_drop or 0)}, frozen batch {_pts(frozen_drop or 0)} (the claim "
                   "needs each delay 1 point below the shorter one, and the dips within 5 "
                   "points)."
                   + _baselines(s))


def try_delay(s: dict, base: dict) -> ClaimCheck:
    accs = [_contender(s, n)["accuracy"] for n in DELAYED_NAMES]
    return _result(max(accs) - min(accs) <= 0.01,
                   "without a drift: " + ", ".join(f"{n[8:]} {_pct(a)}"
                                                   for n, a in zip(DELAYED_NAMES, accs)))


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
    return _result(ok, f"Every 4,000 -> every 1,000: {_pct(c[4000]['accuracy'])} -> "
                       f"{_pct(c[1000]['accuracy'])} (+{_pts(early)}; the claim needs 10). "
                       f"Every 500 -> every 100: {_pct(c[500]['accuracy'])} -> "
                       f"{_pct(c[100]['accuracy'])} ({'+' if late >= 0 else ''}{_pts(late)}; "
                       f"the claim needs under 2) for {cost:.1f} times the training samples "
                       f"({c[500]['train_samples']:,} -> {c[100]['train_samples']:,})."
                       + _baselines(s))


def try_budget(s: dict, base: dict) -> ClaimCheck:
    frozen = _contender(s, "Frozen batch")["accuracy"]
    best = max(_contender(s, budget_name(e))["accuracy"] for e in RETRAIN_EVERY)
    return _result(best - frozen <= 0.015,
                   f"without drift: frozen {_pct(frozen)}, best retrained {_pct(best)}")


# --------------------------------------------------------------------------------------------
# Lesson 9: hybrid
# --------------------------------------------------------------------------------------------
HYBRID_NAMES = ("Hybrid", "Online, rate 0.01", "Nightly batch retrain")


def check_hybrid(s: dict) -> ClaimCheck:
    hyb, onl, nig = (_contender(s, n) for n in HYBRID_NAMES)
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
                   f"online learner on {onl['train_samples']:,}." + _baselines(s))


def try_hybrid(s: dict, base: dict) -> ClaimCheck:
    def lead(x):
        return (_contender(x, HYBRID_NAMES[0])["accuracy"]
                - _contender(x, HYBRID_NAMES[1])["accuracy"])

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
                   f"Share of updates that raised the loss: {shares_text}. Samples processed "
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
    return _result(ratio >= 5,
                   f"Mean distance to the true centres over the last tenth of the stream: online "
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
