"""The lesson catalogue: the :class:`Lesson` record and every lesson (:data:`LESSONS`).

A lesson is a preset config plus the words a teacher would say over it: the situation, what to
look at, what it shows, a "try this" change (``try_overrides``, applied like the app's settings)
with what will happen, and one **claim** that :mod:`lab.lessons.checks` judges on the numbers of
the run. Every claim was measured to hold at the preset settings on ten seeds from the preset's
own, and across the variations a teacher would try (``tests/test_lesson_claims.py`` and
``tests/test_new_lessons.py`` keep the tables), and each lesson has ``break_overrides``: a
plausible change under which the claim fails (tests too).

The texts agree with the numbers (``tests/test_lesson_texts.py``): the situation describes the
preset and says so where "Try this" or "Make the claim fail" changes what it names; a verdict
reads every number and setting it quotes from the run it judges, and a "Try this" promise
quotes the threshold its check uses.

Streams are small (5,000-12,000 samples) and most batch contenders use Gaussian naive Bayes
(a fit takes milliseconds), so a lesson runs in about a second.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from lab.lessons import checks
from lab.lessons.catalogue_economics import economics_lessons  # lesson 16
from lab.lessons.catalogue_field import field_lessons  # lessons 12-15
from lab.lessons.checks import ClaimCheck
from lab.lessons.gradient import DEFAULTS as GRADIENT
from lab.lessons.kmeans import DEFAULTS as KMEANS
from lab.spec.errors import ConfigError


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
    # the claim's verdict on the Try run, as try_expect says (None: it makes no promise)
    try_keeps_claim: bool | None = False
    charts: tuple[str, ...] = ("accuracy",)  # figures of lesson_figures, in order

    @property
    def description(self) -> str:
        """One line for ``python -m lab presets``."""
        return f"Lesson {self.number}: {self.title}. Claim: {self.claim}"

    @property
    def is_race(self) -> bool:
        return self.kind == "race"



# --------------------------------------------------------------------------------------------
# Configs
# --------------------------------------------------------------------------------------------
_EVAL = {"warmup": 1000, "window": 500, "label_delay": 0, "step": 100, "baselines": True}
_BLOBS = {"angle": 0, "separation": 2.5, "std": 1.0}
NB = "sk.gaussian_nb"  # batch contenders: Gaussian naive Bayes fits in milliseconds


#: The lab's online learner, the same in every lesson that is not about its learning rate:
#: river's logistic regression with a fixed learning rate of 0.05. A fixed rate keeps it
#: *adaptive* (each new sample moves it as much as an old one did); river's default, 0.01, is
#: five times slower to turn after a change (lessons 2 and 9 show the difference).
ONLINE_LR = 0.05


def _online(name: str = checks.ONLINE, lr: float | None = ONLINE_LR, **policy) -> dict:
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
# The lessons
# --------------------------------------------------------------------------------------------
def _lessons() -> list[Lesson]:
    sudden = [{"at": 3000, "width": 0, "to": {"angle": 90}}]
    return [
        Lesson(
            key="lesson-stable", number=1, title="A stable world",
            situation="Two clouds of points, class 0 and class 1, and nothing ever changes. "
                      "Three copies of one model learn in three ways: once, from the first "
                      "1,000 samples, and never again; retrained on all the data seen so far "
                      "every 1,000 samples; and online, from every sample as it comes. At the "
                      "preset the model is Gaussian naive Bayes, which has few parameters to "
                      "learn (the verdict names the models of the run shown). Two more lines "
                      "are the baselines: always the previous label (no-change) and always the "
                      "most frequent one (majority).",
            look_at="The accuracy lines: do they end at the same height? Which line is the "
                    "steadiest? Then the cost: how many samples did each one train on?",
            shows="When the world stands still and the model has already learnt what it can, "
                  "learning once is enough: the model trained once is as good as its online "
                  "twin from the start, its line is flat because it never changes, and it "
                  "trained on a fifth of the samples. Online learning pays when something "
                  "changes, or while the learning curve still rises: a model with many "
                  "parameters (a tree) keeps improving with more data, and then the batch "
                  "learner should train on all the data it has, not on the first 1,000 rows.",
            try_this="Add a sudden change halfway: at sample 3,000 the boundary turns by 90 "
                     "degrees.",
            try_overrides={"stream.drifts": [{"at": 3000, "width": 0, "to": {"angle": 120}}]},
            try_expect="The model trained once falls to about a coin flip after the change: "
                       "over the stretch after it, at least 10 points below its online twin "
                       "(over the whole run, stable half included, the gap is smaller). The "
                       "claim, about a world that does not change, no longer holds. "
                       "The online twin does not fully recover either: naive Bayes online adds "
                       "up everything it has seen, old rule included. That is the next lesson.",
            claim="When nothing changes and the model learns all it can from 1,000 samples "
                  "(Gaussian naive Bayes here), the model trained once on the first 1,000 "
                  "samples is within 1 point of the same model retrained on all data or "
                  "learning online, though it trained on at least 4 times fewer samples.",
            check=checks.check_stable, try_check=checks.try_stable,
            break_overrides={"contenders[0].model": "sk.decision_tree",
                             "contenders[1].model": "sk.decision_tree",
                             "contenders[2].model": "river.hoeffding_tree"},
            break_note="trees have many parameters, so their learning curve still rises after "
                       "1,000 samples: with nothing changing, the Hoeffding tree learning "
                       "online ends 3 to 7 points above the tree trained once on every seed "
                       "tried (the tree retrained on all data, grown to purity each time, gains "
                       "little)",
            config=_race(7, 5000, [], [
                {"name": checks.STABLE_NAMES[0], "model": NB, "policy": {"kind": "frozen"}},
                {"name": checks.STABLE_NAMES[1], "model": NB,
                 "policy": {"kind": "periodic", "every": 1000, "data": "all"}},
                {"name": checks.STABLE_NAMES[2], "model": "river.gaussian_nb",
                 "policy": {"kind": "online"}},
            ], params={"angle": 30}),
            charts=("accuracy", "tradeoff"),
        ),
        Lesson(
            key="lesson-sudden", number=2, title="Sudden drift",
            situation="The same two classes, but at sample 3,000 the boundary between them "
                      "turns by 90 degrees from one sample to the next, like a rule that "
                      "changed overnight. A frozen model, a model retrained every 1,000 "
                      "samples on the last 1,000, and, at the preset, the lab's online learner "
                      "(logistic regression with a fixed learning rate of 0.05, as in every "
                      "lesson) race "
                      "through it.",
            look_at="The dashed line marks the change. Watch the frozen model's line fall and "
                    "stay down; the online learner's dip and quick climb back; the periodic "
                    "retrain's steps up at each retrain (its model age is a saw-tooth). In the "
                    "boundary view, compare the shading with the dots just after the change.",
            shows="A model only knows the world it was trained on. When the rule changes, the "
                  "frozen model is right only by chance; the online learner turns its boundary "
                  "within a few hundred samples; a periodic retrain recovers at its next "
                  "retrain, and not before. What makes the online learner quick is its fixed "
                  "learning rate, which lets each new sample move it as much as the first ones "
                  "did (it is adaptive), not the fact that it learns one sample at a time: a "
                  "Hoeffding tree also learns online, but keeps the splits it grew for the old "
                  "rule (\"Make the claim fail\" shows it).",
            try_this="Retrain the periodic model every 2,000 samples instead of every 1,000.",
            try_overrides={"contenders[1].policy.every": 2000},
            try_expect="Its saw-tooth gets longer teeth: after the change it keeps the old "
                       "boundary for up to 2,000 samples, and its accuracy after the change "
                       "falls by at least 3 points. The claim, about the online learner, "
                       "still holds.",
            try_keeps_claim=True,
            claim="After a sudden change, an online learner with a fixed learning rate "
                  "(logistic regression, rate 0.05) is back within 5 points of its accuracy "
                  "before the change and at least 5 points above the frozen model.",
            check=checks.check_sudden, try_check=checks.try_sudden,
            break_overrides={"contenders[2].model": "river.hoeffding_tree"},
            break_note="a Hoeffding tree (river's usual online model) learns online but is not "
                       "adaptive: it keeps the splits it grew for the old rule, so it climbs "
                       "back only slowly, and over the stretch after the change it averages "
                       "more than 5 points below its accuracy before it",
            config=_race(3, 6000, sudden, [
                {"name": "Frozen batch", "model": NB, "policy": {"kind": "frozen"}},
                {"name": "Periodic retrain", "model": NB,
                 "policy": {"kind": "periodic", "every": 1000, "data": "window",
                            "window": 1000}},
                _online(),
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
            shows="ADWIN watches for a jump in the error rate. A slow change raises its alarm "
                  "early, while most samples still follow the old rule; the model retrained "
                  "then learns a mix of both rules, and no second alarm comes to fix it. A "
                  "plain schedule keeps retraining and ends up on the new rule. The pace of "
                  "the change decides the winner (over 3,000 or 7,000 samples the lead can "
                  "vanish), and so does the detector: with Page-Hinkley or HDDM_A the lead "
                  "shrinks to a tie on some seeds, with DDM or HDDM_W on most; EDDM, built "
                  "for slow changes (it watches the distance between errors), keeps firing "
                  "through the change and turns the claim around.",
            try_this="Make the change sudden (width 0).",
            try_overrides={"stream.drifts[0].width": 0},
            try_expect="Now the alarm comes right at the change, the retrain after it sees the "
                       "new rule, and the drift-triggered retrain beats the schedule by at least "
                       "2 points: the claim turns around.",
            claim="In a slow drift (one that lasts 4,000 to 6,000 samples of this "
                  "12,000-sample stream; the preset's lasts 5,000, from sample 4,000 to 9,000), "
                  "retraining on a schedule beats retraining when ADWIN, a "
                  "detector that watches for a jump in the error rate, raises the alarm: from "
                  "the drift's start on, the scheduled retrain is at least 1.5 points more "
                  "accurate.",
            check=checks.check_gradual, try_check=checks.try_gradual,
            break_overrides={"contenders[2].policy.detector": "eddm"},
            break_note="EDDM is built for slow changes: it keeps raising alarms through the "
                       "drift, so the drift-triggered model keeps up with the schedule or "
                       "beats it",
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
            claim="After a change that contradicts the old rule (here the boundary turns by 90 "
                  "degrees), retraining on a sliding window or with decayed weights is at least "
                  "5 points more accurate than retraining on all history.",
            check=checks.check_old_data, try_check=checks.try_old_data,
            break_overrides={"stream.drifts[0].to.angle": 20},
            break_note="after a small turn (20 degrees) the old samples mostly agree with the "
                       "new rule, so all history is nearly as good as a window",
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
            try_this="Make the labels noisier: 3 in 10 wrong instead of 1 in 10.",
            try_overrides={"stream.label_noise": 0.3},
            try_expect="The jumpy learner chases even more noise: the calm learner's lead "
                       "grows, and the claim still holds.",
            try_keeps_claim=True,
            claim="On noisy data that never changes, the jumpy online learner (learning rate 1) "
                  "is at least 2 points less accurate than the calm one (learning rate 0.01): it "
                  "chases the noise.",
            check=checks.check_noise, try_check=checks.try_noise,
            break_overrides={"stream.drifts": [{"at": 3000, "width": 0,
                                                "to": {"angle": 180}}]},
            break_note="with the same noise, but a rule that flips at sample 3,000, the calm "
                       "learner takes so long to turn that the jumpy one wins overall: "
                       "plasticity pays when the world really changes",
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
                  "useless in the middle, was right all along for the first rule. Streams "
                  "with seasons have recurring concepts, and stream learners meet them by "
                  "remembering: a pool of old models, or an ensemble, from which the one that "
                  "fits the returning concept is brought back instead of relearnt.",
            try_this="Give the sliding window a long memory: 6,000 samples instead of 1,000.",
            try_overrides={"contenders[1].policy.window": 6000},
            try_expect="It still remembers the first rule when it returns, so its dip there is "
                       "at least 10 points smaller, but it is worse in the middle stretch: it "
                       "averages the old and the new rule.",
            claim="When the first concept returns after the window has forgotten it (the middle "
                  "stretch, 3,000 samples, is longer than the window, 1,000), the frozen model, "
                  "useless in the middle stretch, is right again at once (it dips at most 5 "
                  "points), while the sliding-window retrain drops at least 20 points before "
                  "relearning it.",
            check=checks.check_recurring, try_check=checks.try_recurring,
            break_overrides={"stream.drifts[1].at": 3500},
            break_note="the first concept comes back only 500 samples after it left: the "
                       "sliding window has not forgotten it yet, so it hardly dips",
            config=_race(17, 9000, [{"at": 3000, "width": 0, "to": {"angle": 90}},
                                    {"at": 6000, "width": 0, "to": {}}], [
                {"name": "Frozen batch", "model": NB, "policy": {"kind": "frozen"}},
                {"name": "Sliding-window retrain", "model": NB,
                 "policy": {"kind": "periodic", "every": 1000, "data": "window",
                            "window": 1000}},
                _online(),
            ]),
            charts=("accuracy", "boundary"),
        ),
        Lesson(
            key="lesson-label-delay", number=7, title="Late labels",
            situation="The boundary turns suddenly at sample 3,000. Three identical online "
                      "learners differ only in when they learn the true label of a sample: at "
                      "once, 500 samples later, or 2,000 samples later (think of a loan: "
                      "whether it is repaid is known months after the decision). In the "
                      "settings, each learner's delay is its retrain latency: for an online "
                      "learner, an update that arrives late is exactly a label that arrives "
                      "late. All three are the lab's online learner (logistic regression, "
                      "rate 0.05).",
            look_at="After the change, each online line stays down for about as long as its "
                    "labels take to arrive, then climbs. The one whose labels are 2,000 samples "
                    "late follows the frozen model down. The model-age chart shows the delays.",
            shows="An online learner is only as fresh as its labels. Learning from every sample "
                  "does not help until the answers come back, so with slow feedback its "
                  "advantage over a batch model shrinks or vanishes.",
            try_this="Make the change bigger: the boundary turns by 180 degrees (the classes "
                     "swap) instead of 90.",
            try_overrides={"stream.drifts[0].to.angle": 180},
            try_expect="The bigger the change, the more each sample of delay costs: after the "
                       "change the learner with labels 2,000 late loses at least 5 points more "
                       "than at 90 degrees, beyond what the learner with labels at once loses "
                       "more. The claim still holds.",
            try_keeps_claim=True,
            claim="After a change that costs the frozen model much (here a 90-degree turn), "
                  "the later the labels the lower the online learner's accuracy, and with "
                  "labels 2,000 samples late it dips as deep as the frozen model (within 5 "
                  "points).",
            check=checks.check_delay, try_check=checks.try_delay,
            break_overrides={"stream.drifts[0].to.angle": 20},
            break_note="after a small turn (20 degrees) the old boundary is still nearly right, "
                       "so it hardly matters when the labels arrive",
            config=_race(19, 8000, sudden, [
                {"name": "Frozen batch", "model": NB, "policy": {"kind": "frozen"}},
                _online(checks.DELAYED_NAMES[0]),
                _online(checks.DELAYED_NAMES[1], retrain_latency=500),
                _online(checks.DELAYED_NAMES[2], retrain_latency=2000),
            ]),
            charts=("accuracy", "staleness"),
        ),
        Lesson(
            key="lesson-budget", number=8, title="The retraining budget",
            situation="The world turns slowly and steadily: at the preset the boundary "
                      "rotates by 30 degrees every 1,000 samples (the verdict says how fast it "
                      "turns in the run shown). Five copies of the same batch model are retrained "
                      "every 4,000, 2,000, 1,000, 500 or 100 samples, each on its last 500 "
                      "samples at the preset (the verdict says the window of the run shown); "
                      "one is never retrained.",
            look_at="The accuracy-vs-cost chart: each point is a contender, cost on a log "
                    "scale. Follow the points from cheap to expensive: the first steps up are "
                    "big, the last ones are tiny.",
            shows="Retraining more often helps, but with diminishing returns: once the model is "
                  "retrained faster than the world changes noticeably, more retraining only "
                  "costs. The sensible choice is at the bend of the curve. Where the bend lies "
                  "depends on how out of date a fresh model already is: a model that learns "
                  "from a long window of old samples is behind the world the moment it is "
                  "trained, and then each extra retrain still buys something (\"Make the "
                  "claim fail\" shows it).",
            try_this="Stop the world turning (no drift).",
            try_overrides={"stream.drifts": []},
            try_expect="Retraining buys nothing at all: every contender is within about 1.5 "
                       "points of the model that is never retrained, which costs far less.",
            claim="When the world turns by 30 degrees every 1,000 samples, each retrain learns "
                  "from its last 2,000 samples or fewer (500 here) and at most 1 label in 10 "
                  "is wrong, more retraining pays, then stops paying: going from every 4,000 "
                  "to every 1,000 samples gains at least 10 points, but going from every 500 "
                  "to every 100 gains under 2 points for at least 4 times the training cost.",
            check=checks.check_budget, try_check=checks.try_budget,
            break_overrides={f"contenders[{i}].policy.window": 3000
                             for i in range(1, 1 + len(checks.RETRAIN_EVERY))},
            break_note="each retrain now learns from its last 3,000 samples, three 30-degree "
                       "steps of turning: a fresh model is already out of date, so freshness "
                       "is worth more, and retraining every 100 samples instead of every 500 "
                       "still gains over 2 points",
            config=_race(23, 10000,
                         [{"at": 1000 * k, "width": 1000, "to": {"angle": 30 * k}}
                          for k in range(1, 10)],
                         [{"name": "Frozen batch", "model": NB, "policy": {"kind": "frozen"}}] +
                         [{"name": checks.budget_name(e), "model": NB,
                           "policy": {"kind": "periodic", "every": e, "data": "window",
                                      "window": 500}} for e in checks.RETRAIN_EVERY]),
            charts=("tradeoff", "accuracy", "cost"),
        ),
        Lesson(
            key="lesson-hybrid", number=9, title="Hybrid: online by day, retrain by night",
            situation="The boundary turns at sample 3,000 and again at 6,000. Three contenders: "
                      "a batch model retrained 'every night' (every 1,000 samples) on the last "
                      "1,000 samples; at the preset, a slow online learner (logistic regression at "
                      "river's default learning rate, 0.01, five times slower than the lab's usual "
                      "0.05: this lesson is about that setting); and a hybrid, the same slow "
                      "learner learning online during the day and also rebuilt from scratch "
                      "every night.",
            look_at="The lines after each change: the nightly batch model waits for the night, "
                    "the online learner turns slowly, the hybrid gets both the quick first "
                    "reaction and the clean rebuild.",
            shows="The two ideas combine. Online updates keep the model fresh between retrains; "
                  "the nightly rebuild throws away what no longer holds, which a slow online "
                  "learner takes a long time to unlearn. The price is training both ways, and "
                  "it buys something only for a slow learner: with the usual rate, 0.05, the "
                  "online learner unlearns the old rule by itself and ties the hybrid, which "
                  "trains about twice as much (\"Make the claim fail\" shows it).",
            try_this="Rebuild the hybrid only every 3,000 samples.",
            try_overrides={"contenders[2].policy.every": 3000},
            try_expect="With rare rebuilds the hybrid is mostly a plain online learner, so its "
                       "lead over the online learner shrinks (whether it stays a point ahead "
                       "after each drift depends on the seed).",
            try_keeps_claim=None,
            claim="For a slow online learner (learning rate 0.01), a nightly rebuild pays: after "
                  "each sudden drift the hybrid (the same learner, plus the rebuild) is at least 1 "
                  "point more accurate than both the pure online learner and the nightly batch "
                  "retrain.",
            check=checks.check_hybrid, try_check=checks.try_hybrid,
            break_overrides={
                "contenders[1].name": f"Online, rate {ONLINE_LR:g}",
                "contenders[1].model": {"name": "river.logistic_regression",
                                        "params": {"lr": ONLINE_LR}},
                "contenders[2].model": {"name": "river.logistic_regression",
                                        "params": {"lr": ONLINE_LR}}},
            break_note="at the lab's usual learning rate (0.05) the online learner turns "
                       "quickly enough by itself: the hybrid is no longer a point ahead, though "
                       "it still trains about twice as much",
            config=_race(29, 9000, [{"at": 3000, "width": 0, "to": {"angle": 90}},
                                    {"at": 6000, "width": 0, "to": {"angle": 180}}], [
                {"name": "Nightly batch retrain", "model": NB,
                 "policy": {"kind": "periodic", "every": 1000, "data": "window",
                            "window": 1000}},
                _online(checks.HYBRID_NAMES[1], lr=None),
                {"name": checks.HYBRID_NAMES[0], "model": "river.logistic_regression",
                 "policy": {"kind": "hybrid", "every": 1000, "window": 1000}},
            ]),
            charts=("accuracy", "cost"),
        ),
        Lesson(
            key="lesson-gradient", number=10,
            title="Full batch, mini-batch and stochastic gradient descent", kind="gradient",
            situation="No stream and no drift this time: one fixed table of 2,000 rows, and a "
                      "logistic-regression model trained by gradient descent. Each step moves "
                      "the weights downhill by the same step size (0.3 at the preset); the "
                      "only difference is how many rows estimate the downhill direction: all "
                      "2,000 (full batch), 512, 128 or 32 (mini-batches), or a single row "
                      "(stochastic gradient descent, SGD).",
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
                       "got there by the end. The claim still holds.",
            try_keeps_claim=True,
            claim="Per update, bigger batches lower the loss more smoothly (fewer of their "
                  "updates raise it); per sample processed, small batches get near the best "
                  "loss sooner (at least 10 times fewer samples than the full batch).",
            check=checks.check_gradient, try_check=checks.try_gradient,
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
                      "(scikit-learn's MiniBatchKMeans) updates from every 100 points.",
            look_at="Left: the black lines are where the groups really are; the orange lines "
                    "are the online centres riding along; the big blue crosses are batch "
                    "k-means, stuck in the middle of each path (the pink squares, mini-batch, "
                    "lag behind the groups too). Right: how far each method is from the true "
                    "centres as time goes on.",
            shows="Batch k-means answers 'where were the groups on average?', not 'where are "
                  "they now?'. The online version forgets old points little by little, so it "
                  "follows the groups. Mini-batch k-means learns in pieces but averages "
                  "everything it has seen, so it lags too: learning in pieces is not the same "
                  "as forgetting.",
            try_this="Stop the groups moving (speed 0).",
            try_overrides={"speed": 0.0},
            try_expect="Now batch k-means on all the data is the closest to the true centres: "
                       "with nothing to follow, the online centres' jitter is all that is left.",
            claim="When the groups travel far compared to their spread (here 6 units over the "
                  "stream, 12 times their spread), the online centroids end at least 5 times "
                  "closer to the true centres than batch k-means fitted on all the data.",
            check=checks.check_kmeans, try_check=checks.try_kmeans,
            break_overrides={"speed": 0.2},
            break_note="groups that travel a tenth as fast (0.6 units, about their own spread) "
                       "leave batch k-means only a little behind, and the online centres' own "
                       "jitter is then more than a fifth of its error",
            config=copy.deepcopy(KMEANS),
            charts=("kmeans",),
        ),
    ]


LESSONS: dict[str, Lesson] = {lesson.key: lesson
                             for lesson in _lessons() + field_lessons(Lesson)
                             + economics_lessons(Lesson)}


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

