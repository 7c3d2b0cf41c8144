"""Lesson 16, "How often should we retrain?": the same stream priced two ways flips the cheapest
policy, and the best schedule in hindsight (an ``oracle`` contender) shows why.

The race: Gaussian naive Bayes (a fit takes milliseconds) never retrained, retrained every 500
samples on its last 1,000, and the oracle, which picks among retrains every 250 samples (the
same model and training window) those that make the stream's bill smallest; the baselines race
too. The prices are the config's ``costs`` (:mod:`lab.spec.costs`): a retrain 150, a label 0.1,
a wrong prediction 1. Labels cost every contender the same (each receives every label), so
their price moves every bill alike and never the ranking; what decides is the price of a retrain
against the price of an error, which is what the "try this" changes.

Why the claim names its conditions: never retraining pays the stale model's extra errors after
the change, retraining every 500 pays nine retrains. At 150 a retrain that is 1,350, against about
1,200 extra errors when the change leaves the old model right on half the samples for half the
stream (a quarter turn of the boundary at 3,000 of 6,000). A change that makes the old model
wrong nearly everywhere (the classes swap) or that comes early (at 1,500) tips it the other way:
``tests/test_lesson_economics.py`` keeps the table of what was tried.
"""

from __future__ import annotations

from lab.lessons import checks_economics as ce

EVALUATION = {"warmup": 1000, "window": 500, "label_delay": 0, "step": 100, "baselines": True}
MODEL = "sk.gaussian_nb"
#: The lesson's prices: a retrain as dear as 150 wrong predictions, a label a tenth of one.
PRICES = {"retrain": 150, "label": 0.1, "error": 1}
WINDOW = {"data": "window", "window": 1000}


def economics_lessons(lesson_type) -> list:
    """Lesson 16 as a ``lesson_type`` record (:class:`lab.lessons.catalogue.Lesson`, passed in
    because the catalogue imports this module)."""
    Lesson = lesson_type
    return [
        Lesson(
            key="lesson-how-often", number=16, title="How often should we retrain?",
            situation="Retraining is not free: each retrain has to be deployed and checked, "
                      "priced here at 150 (in any currency), each label bought costs 0.1 and "
                      "each wrong prediction 1. In the preset, halfway through the stream (at "
                      "sample 3,000), the boundary turns by 90 degrees. A model (Gaussian "
                      "naive Bayes) is never retrained; the same model is retrained every 500 "
                      "samples on its last 1,000; and an oracle that knows the whole stream "
                      "picks, among retrains every 250 samples, the ones that make the total "
                      "bill smallest: the best schedule in hindsight.",
            look_at="The total-cost chart: each line is a policy's bill so far, the black dashed "
                    "one the best schedule's. Before the change the retrained model's line "
                    "climbs a step at each retrain; after it, the stale model's line climbs "
                    "faster with its errors: where the lines end decides. On the model-age "
                    "chart each drop "
                    "is a retrain: the oracle retrains once, 750 samples after the change, "
                    "when most of its 1,000-sample window holds the new concept.",
            shows="How often to retrain is a question of prices, not of accuracy alone. The "
                  "model retrained every 500 samples is the most accurate, but before the "
                  "change its retrains buy nothing, and after it a retrain pays only while the "
                  "errors it saves cost more than the retrain. The oracle shows where a "
                  "retrain pays: once, after the change. Labels cost every policy the same "
                  "here (each one receives every label), so their price cannot change the "
                  "ranking; the price of a retrain against the price of an error does.",
            try_this="Make a wrong prediction ten times dearer: 10 instead of 1 (think of a "
                     "missed fraud).",
            try_overrides={"costs.error": 10},
            try_expect="Now retraining every 500 samples is the cheaper policy, and the oracle "
                       "retrains sooner and more often (3 or 4 times, the first only 250 "
                       "samples after the change, on a window still mostly old): when errors "
                       "are dear, a retrain pays as soon as it helps a little. The claim, "
                       "about dear retrains, no longer holds.",
            try_keeps_claim=False,
            claim="When a retrain costs as much as 150 wrong predictions and one change "
                  "halfway through the stream leaves the old model right on about half the "
                  "samples or more, never retraining costs less than retraining every 500 "
                  "samples although it is less accurate, and even the best schedule in "
                  "hindsight retrains at most twice.",
            check=ce.check_how_often, try_check=ce.try_how_often,
            break_overrides={"stream.drifts[0].to.angle": 180},
            break_note="when the boundary turns 180 degrees, the change swaps the classes: the "
                       "old model is wrong on nearly every sample after it (about 1 in 9 "
                       "right), so its errors outgrow even "
                       "nine retrains at 150: retraining every 500 samples is now the cheaper "
                       "policy. What a stale model costs depends on how wrong it is, not on "
                       "the prices alone",
            config={"seed": 47,
                    "stream": {"source": "blobs2d", "n_samples": 6000,
                               "params": {"angle": 0, "separation": 2.5, "std": 1.0},
                               "drifts": [{"at": 3000, "width": 0, "to": {"angle": 90}}]},
                    "evaluation": dict(EVALUATION),
                    "contenders": [
                        {"name": ce.NEVER, "model": MODEL, "policy": {"kind": "frozen"}},
                        {"name": ce.OFTEN, "model": MODEL,
                         "policy": {"kind": "periodic", "every": 500, **WINDOW}},
                        {"name": ce.ORACLE, "model": MODEL,
                         "policy": {"kind": "oracle", "grid": 250, **WINDOW}},
                    ],
                    "costs": dict(PRICES)},
            charts=("bill", "accuracy", "staleness"),
        ),
    ]
