"""Claim checks of lessons 12-15 (:mod:`lab.lessons.catalogue_field`): virtual vs real drift,
adaptive vs merely incremental learners, class-prior drift with imbalance, and the no-change
baseline on Elec2.

Like :mod:`lab.lessons.checks`, every check reads only a run's summary dict (``summary.json``),
so the app, the command line and the tests judge a run the same way. A summary that lacks what a
claim talks about (a renamed contender, a stream without the drift, baselines switched off)
gives ``holds=False`` with the reason, never an exception: :func:`judged` wraps each check.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from lab.lessons.checks import ClaimCheck
from lab.lessons.wording import model_words, noise_text
from lab.race.ties import TIE_SHARE, is_tie

# Contender names the claims talk about (the catalogue builds its configs from these).
FROZEN = "Frozen batch model"
ONLINE = "Online Hoeffding tree"
PLAIN_TREE = "Hoeffding tree"
ADAPTIVE_TREE = "Hoeffding adaptive tree"
FOREST = "Adaptive random forest"
MAJORITY = "Majority baseline"  # the names evaluation.baselines gives its two contenders
NO_CHANGE = "No-change baseline"


class Unjudgeable(Exception):
    """The summary lacks what the claim talks about."""


def judged(check: Callable[..., ClaimCheck]) -> Callable[..., ClaimCheck]:
    """``check`` with a missing contender / drift / score turned into ``holds=False`` and the
    reason (the same wording as :func:`lab.lessons.checks.check_claim` uses)."""

    @functools.wraps(check)
    def wrapper(*summaries: dict) -> ClaimCheck:
        try:
            return check(*summaries)
        except Unjudgeable as exc:
            return ClaimCheck(False, f"The claim cannot be checked on this run: {exc}.")

    return wrapper


def pct(x: float) -> str:
    return f"{100 * x:.1f} %"


def pts(x: float) -> str:
    return f"{100 * x:.1f} points"


def contender(summary: dict, name: str) -> dict:
    for c in summary.get("contenders") or []:
        if c.get("name") == name:
            if c.get("status") != "ok" or c.get("accuracy") is None:
                raise Unjudgeable(f"{name} did not finish ({c.get('error') or 'no result'})")
            return c
    hint = (" (switch the baselines on: evaluation.baselines)"
            if name in (MAJORITY, NO_CHANGE) else " (the claim is about it)")
    raise Unjudgeable(f"the run has no contender named '{name}'{hint}")


def segment(c: dict, k: int, key: str = "accuracy_by_segment") -> float:
    """Contender ``c``'s score ``key`` over segment ``k`` (segment k >= 1 starts at drift k-1)."""
    values = c.get(key) or []
    if k >= len(values):
        raise Unjudgeable(f"the stream has no stretch after drift {k} (the claim needs "
                          f"{'a drift' if k == 1 else f'{k} drifts'})")
    if values[k] is None:
        raise Unjudgeable(f"{c.get('name')} has no {key.removesuffix('_by_segment')} "
                          f"over stretch {k + 1}")
    return float(values[k])


# --------------------------------------------------------------------------------------------
# Lesson 12: virtual vs real drift
# --------------------------------------------------------------------------------------------
VIRTUAL_TOLERANCE = 0.03  # the frozen model's accuracy may move this much in a virtual drift
REAL_DROP = 0.25  # ... and must lose at least this much in a real one


@judged
def check_virtual(s: dict) -> ClaimCheck:
    frozen = contender(s, FROZEN)
    before, virtual, real = (segment(frozen, k) for k in (0, 1, 2))
    moved, lost = virtual - before, before - real
    ok = abs(moved) <= VIRTUAL_TOLERANCE and lost >= REAL_DROP
    return ClaimCheck(ok, f"The frozen model ({model_words(s, FROZEN)}) scored {pct(before)} "
                          f"before any change, "
                          f"{pct(virtual)} after the features moved (a change of "
                          f"{100 * moved:+.1f} points; the claim allows "
                          f"{100 * VIRTUAL_TOLERANCE:.0f}) and {pct(real)} after the rule "
                          f"changed (it lost {pts(lost)}; the claim needs "
                          f"{100 * REAL_DROP:.0f}).")


@judged
def try_virtual(s: dict, base: dict) -> ClaimCheck:
    """The decision tree learned the same rule: the claim holds for it too."""
    result = check_virtual(s)
    return ClaimCheck(result.holds, f"with a frozen {model_words(s, FROZEN)}: "
                      + result.detail[0].lower() + result.detail[1:])


# --------------------------------------------------------------------------------------------
# Lesson 13: adaptive vs merely incremental
# --------------------------------------------------------------------------------------------
ADAPTIVE_LEAD = 0.15  # points each adaptive learner must be ahead after the drift


@judged
def check_adaptive(s: dict) -> ClaimCheck:
    plain = segment(contender(s, PLAIN_TREE), 1)
    hat = segment(contender(s, ADAPTIVE_TREE), 1)
    arf = segment(contender(s, FOREST), 1)
    lead = min(hat, arf) - plain
    return ClaimCheck(lead >= ADAPTIVE_LEAD,
                      f"After the drift: Hoeffding tree {pct(plain)}, Hoeffding adaptive tree "
                      f"{pct(hat)}, adaptive random forest {pct(arf)}. The smaller lead of an "
                      f"adaptive learner over the plain tree is {100 * lead:+.1f} points (the "
                      f"claim needs {100 * ADAPTIVE_LEAD:.0f}).")


@judged
def try_adaptive(s: dict, base: dict) -> ClaimCheck:
    """A gradual reversal: the adaptive learners still lead by the claim's margin."""
    result = check_adaptive(s)
    drift = ((s.get("config") or {}).get("stream", {}).get("drifts") or [{}])[0]
    spread = (f"with the change spread over {drift['width']:,} samples (samples "
              f"{drift['at']:,} to {drift['at'] + drift['width']:,})" if drift.get("width")
              else "with a sudden change")
    return ClaimCheck(result.holds, f"{spread}. {result.detail}")


# --------------------------------------------------------------------------------------------
# Lesson 14: class-prior drift with imbalance
# --------------------------------------------------------------------------------------------
FLATTERS_WITHIN = 0.12  # the majority baseline's accuracy is this close to the learner's ...
BASELINE_FALL = 0.20  # ... and falls at least this much when the classes balance ...
LEARNER_STEADY = 0.05  # ... while the learner's accuracy moves less than this


def _kappa_text(c: dict, k: int) -> str:
    value = (c.get("kappa_by_segment") or [None] * (k + 1))[k]
    return "undefined" if value is None else f"{value:.2f}"


@judged
def check_prior(s: dict) -> ClaimCheck:
    learner, majority = contender(s, FROZEN), contender(s, MAJORITY)
    l0, l1 = segment(learner, 0), segment(learner, 1)
    m0, m1 = segment(majority, 0), segment(majority, 1)
    m_bal = segment(majority, 0, "balanced_accuracy_by_segment")
    l_bal = segment(learner, 0, "balanced_accuracy_by_segment")
    ok = (l0 - m0 <= FLATTERS_WITHIN and m0 - m1 >= BASELINE_FALL
          and abs(l1 - l0) < LEARNER_STEADY)
    return ClaimCheck(ok, f"With {noise_text(s)}. Imbalanced stretch: the frozen model "
                          f"({model_words(s, FROZEN)}) {pct(l0)} accuracy (kappa "
                          f"{_kappa_text(learner, 0)}, balanced accuracy {pct(l_bal)}), the "
                          f"majority baseline {pct(m0)} (kappa {_kappa_text(majority, 0)}, "
                          f"balanced accuracy {pct(m_bal)}): {pts(l0 - m0)} apart in accuracy "
                          f"(the claim allows {100 * FLATTERS_WITHIN:.0f}). After the shares "
                          f"shifted the baseline {'fell' if m1 <= m0 else 'rose'} to {pct(m1)} "
                          f"({100 * (m1 - m0):+.1f} points; the claim needs a fall of "
                          f"{100 * BASELINE_FALL:.0f}) and the frozen model moved to "
                          f"{pct(l1)} ({100 * (l1 - l0):+.1f} points; the claim allows under "
                          f"{100 * LEARNER_STEADY:.0f}).")


PRIOR_TRY_GAIN = 0.25  # the Try box's promise: the majority baseline gains this much accuracy


@judged
def try_prior(s: dict, base: dict) -> ClaimCheck:
    """The shares shift the other way: the baseline gains accuracy, with no skill."""
    majority = contender(s, MAJORITY)
    m0, m1 = segment(majority, 0), segment(majority, 1)
    kappas = [(majority.get("kappa_by_segment") or [None, None])[k] for k in (0, 1)]
    no_skill = all(k is None or abs(k) < 0.1 for k in kappas)  # about 0: no skill
    return ClaimCheck(m1 - m0 >= PRIOR_TRY_GAIN and no_skill,
                      f"majority baseline: {pct(m0)} while the classes were half and half, "
                      f"{pct(m1)} once one became rare, {100 * (m1 - m0):+.1f} points (the "
                      f"lesson says at least {100 * PRIOR_TRY_GAIN:.0f}), with a kappa of "
                      f"{_kappa_text(majority, 0)} and {_kappa_text(majority, 1)}")


# --------------------------------------------------------------------------------------------
# Lesson 15: beat the no-change baseline (Elec2)
# --------------------------------------------------------------------------------------------
FLATTERING_ACCURACY = 0.75  # the online learner's accuracy looks good ...


def versus_no_change(s: dict, c: dict, kappa: bool = True) -> tuple[int, str]:
    """How contender ``c`` compares with the no-change baseline, by the race lab's tie rule
    (:func:`lab.race.ties.is_tie` on the run's noise, ``s["baseline_noise"]``, else the
    half-point rule): ``(-1 below / 0 level with / +1 above, its words)``. The story says
    "level with the no-change baseline" for a gap within the noise, so the verdict must too.
    ``kappa``: quote kappa-T (not with late labels: it measures against the previous label,
    while the baseline then repeats a late one)."""
    nc, acc = s["no_change_accuracy"], c["accuracy"]
    noise = ((s.get("baseline_noise") or {}).get(c["name"]) or {}).get("no_change")
    kappa_t = c.get("kappa_t")
    k_text = "undefined" if kappa_t is None else f"{kappa_t:+.2f}"
    within = f" {pts(noise)}" if noise and noise > TIE_SHARE else " half a point"
    if is_tie(acc - nc, noise):
        side, where = 0, (f"level with the baseline ({100 * (acc - nc):+.1f} points, within "
                          f"the run's noise of{within})")
    else:
        side = 1 if acc > nc else -1
        where = (f"{'above' if side > 0 else 'below'} the baseline by {pts(abs(acc - nc))} "
                 f"(more than the run's noise of{within})")
    return side, f"{pct(acc)}{f' (kappa-T {k_text})' if kappa else ''}, {where}"


def online_learner(s: dict) -> dict:
    """Lesson 15's online learner: the contender configured second (its name says its model,
    which "Make the claim fail" changes)."""
    configured = (s.get("config") or {}).get("contenders") or []
    return contender(s, configured[1]["name"] if len(configured) > 1 else ONLINE)


@judged
def check_no_change(s: dict) -> ClaimCheck:
    if s.get("no_change_accuracy") is None:
        raise Unjudgeable("the summary has no no-change accuracy (nothing was scored)")
    online, frozen = online_learner(s), contender(s, FROZEN)
    online_side, online_text = versus_no_change(s, online)
    frozen_side, frozen_text = versus_no_change(s, frozen)
    ok = online_side <= 0 and frozen_side <= 0 and online["accuracy"] >= FLATTERING_ACCURACY
    return ClaimCheck(ok, f"No-change baseline (the previous label): "
                          f"{pct(s['no_change_accuracy'])}. The online learner "
                          f"({model_words(s, online['name'])}): {online_text}; the frozen batch "
                          f"model ({model_words(s, FROZEN)}): {frozen_text}. The claim needs "
                          "neither above the baseline beyond the noise and the online learner "
                          f"at {pct(FLATTERING_ACCURACY)} or more.")


NO_CHANGE_TRY_FALL = 0.15  # the Try box's promise: the no-change baseline loses this much


@judged
def try_no_change(s: dict, base: dict) -> ClaimCheck:
    """Labels a day late: the no-change baseline, which learns them late too, falls apart."""
    now, before = s.get("no_change_accuracy"), base.get("no_change_accuracy")
    if now is None or before is None:
        raise Unjudgeable("a run has no no-change accuracy")
    online = online_learner(s)
    delay = int((s.get("config") or {}).get("evaluation", {}).get("label_delay") or 0)
    late = (f"{delay:,} half hours late" + (" (a day)" if delay == 48 else "")) if delay \
        else "at once"
    online_side, online_text = versus_no_change(s, online, kappa=False)
    return ClaimCheck(now <= before - NO_CHANGE_TRY_FALL and online_side > 0,
                      f"no-change baseline with labels {late}: {pct(now)} (it was "
                      f"{pct(before)} with labels at once), {pts(before - now)} less (the lesson "
                      f"says at least {100 * NO_CHANGE_TRY_FALL:.0f}); the online learner: "
                      f"{online_text}")
