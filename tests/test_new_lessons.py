"""Lessons 12-15 (lab/lessons/catalogue_field.py): each claim holds where its conditions hold and
fails in its counterexample, on ten seeds and across the variations a teacher would try.

:data:`TRIED` is the table of what was tried: the lesson, the variation (config overrides), the
seeds, and what the claim did. It is data, run by the slow test below, so the table cannot go
stale. Variations that were measured but whose outcome depends on the seed are listed in
:data:`MIXED` with what was seen; they are not asserted (a claim that holds on some seeds only is
exactly what a lesson must not teach, so none of them is a lesson's setting).

The fast tests judge hand-made summaries, so every threshold of the checks is pinned by a hand
computation; the command-line test checks ``python -m lab lesson run`` (the singular form) and
its ``claim.json``.
"""

from __future__ import annotations

import json

import pytest
from lesson_runs import summary

from lab.cli import main
from lab.lessons import checks_field as cf
from lab.lessons.catalogue import LESSONS, get_lesson
from lab.lessons.checks import check_claim, check_try
from lab.lessons.runner import lesson_config

NEW = ["lesson-virtual-drift", "lesson-adaptive", "lesson-prior-drift", "lesson-no-change"]
TEN = 10

SINE_VIRTUAL = {"source": "sine", "n_samples": 6000, "params": {"classification_function": 0},
                "drifts": [{"at": 2500, "width": 0, "to": {"balance_classes": True}},
                           {"at": 4500, "width": 0,
                            "to": {"classification_function": 1, "balance_classes": True}}]}
BLOBS_SWAP = {"source": "blobs2d", "n_samples": 5000, "params": {"separation": 2.5},
              "drifts": [{"at": 3000, "width": 0, "to": {"angle": 180}}]}
BLOBS_QUARTER = {**BLOBS_SWAP, "drifts": [{"at": 3000, "width": 0, "to": {"angle": 90}}]}
STUMP = {"name": "sk.decision_tree", "params": {"max_depth": 1}}


# (lesson, what a teacher would try, overrides, number of seeds, does the claim hold?)
# "try" runs the lesson's try-this and asks its own check instead of the claim.
TRIED: list[tuple[str, str, dict | str, int, bool]] = [
    # 12 virtual vs real drift (stagger: pure covariate shift, then pure real drift)
    ("lesson-virtual-drift", "preset: frozen logistic regression (README batch default)", {},
     TEN, True),
    ("lesson-virtual-drift", "try-this: a frozen decision tree", "try", 3, True),
    ("lesson-virtual-drift", "both drifts gradual (width 1000)",
     {"stream.drifts[0].width": 1000, "stream.drifts[1].width": 1000}, 3, True),
    ("lesson-virtual-drift", "sine generator: balance on (virtual), labels reversed (real)",
     {"stream": SINE_VIRTUAL}, 3, True),
    ("lesson-virtual-drift", "counterexample: a decision stump, too simple for the rule",
     {"contenders[0].model": STUMP}, TEN, False),
    # 13 adaptive vs merely incremental (sine reversal)
    ("lesson-adaptive", "preset: sudden reversal", {}, TEN, True),
    ("lesson-adaptive", "try-this: gradual reversal (width 1500)", "try", 3, True),
    ("lesson-adaptive", "adaptive random forest with river's default 10 trees",
     {"contenders[2].model": "river.adaptive_random_forest"}, 1, True),
    ("lesson-adaptive", "blobs2d: the classes swap (180 degrees)", {"stream": BLOBS_SWAP}, 2,
     True),
    ("lesson-adaptive", "counterexample: a partial change (sine function 0 -> 2)",
     {"stream.drifts[0].to": {"classification_function": 2}}, TEN, False),
    ("lesson-adaptive", "blobs2d quarter turn: half the answers change, not all",
     {"stream": BLOBS_QUARTER}, 1, False),
    # 14 class-prior drift with imbalance (stagger: balance_classes switched on)
    ("lesson-prior-drift", "preset: a frozen decision tree", {}, TEN, True),
    ("lesson-prior-drift", "try-this: the shares shift the other way", "try", 3, True),
    ("lesson-prior-drift", "gradual shift (width 1000)", {"stream.drifts[0].width": 1000}, 3,
     True),
    ("lesson-prior-drift", "fewer wrong labels (5 %)", {"stream.label_noise": 0.05}, 3, True),
    ("lesson-prior-drift", "a frozen random forest as the model",
     {"contenders[0].model": "sk.random_forest"}, 2, True),
    ("lesson-prior-drift", "counterexample: 30 % wrong labels, the rare class less rare",
     {"stream.label_noise": 0.3}, TEN, False),
    # 15 the no-change baseline on Elec2 (the data is fixed; the seed moves nothing here)
    ("lesson-no-change", "preset: first 5,000 rows", {}, 3, True),
    ("lesson-no-change", "first 3,000 rows", {"stream.n_samples": 3000}, 1, True),
    ("lesson-no-change", "first 8,000 rows", {"stream.n_samples": 8000}, 1, True),
    ("lesson-no-change", "try-this: labels a day (48 rows) late", "try", 1, True),
    ("lesson-no-change", "counterexample: the online learner is a Hoeffding adaptive tree",
     LESSONS["lesson-no-change"].break_overrides, 1, False),
]

# Measured, seed-dependent, not asserted (what was seen, for the next person who tries them).
MIXED = {
    ("lesson-adaptive", "early reversal (sample 1,500, after 500 scored samples)"):
        "held on seed 1 (lead 22 points), failed on seed 37 (lead 7.9): a tree that learned "
        "the rule only briefly has few old counts to outvote, hence 'a long stretch' in the claim",
    ("lesson-prior-drift", "frozen logistic regression (README batch default) as the model"):
        "failed on seed 41: it learned 'small and red' only in part from the warm-up (87.4 %, "
        "kappa 0.46) and lost 11.9 points when the rare objects became common; the lesson's "
        "frozen model is a decision tree, which learned the rule on every seed tried",
    ("lesson-prior-drift", "the online Hoeffding tree as the model the claim is about"):
        "failed on seed 44: the tree learned the rare class late (81.6 % accuracy, kappa 0.04), "
        "then moved 6.8 points; that is why the claim is about the frozen model that learned "
        "the rule in its warm-up, and the text shows seed 44 as a kappa lesson",
    ("lesson-virtual-drift", "frozen Gaussian naive Bayes"):
        "held on seeds 32, 33, 34, 36, failed on 31 and 35 (it learns 'small and red' only on "
        "some draws): not a lesson setting, which is why the counterexample is a stump",
    ("lesson-no-change", "online logistic regression as the learner"):
        "83.5 % vs the baseline's 83.6 % on 5,000 rows (kappa-T -0.01): a tie, not a claim",
    ("lesson-prior-drift", "agrawal function 4 (1 in 5 positive) instead of stagger"):
        "every learner only learns the majority (kappa ~0) and its accuracy falls with the "
        "baseline's: the claim's condition 'a learner that learned the rule' fails there",
}


def _runs(key: str, change, seeds: int):
    """``(seed, judged claim or try-this)`` for ``seeds`` seeds from the lesson's own (runs
    shared with the other lesson tests through ``lesson_runs``)."""
    lesson = LESSONS[key]
    s0 = lesson.config["seed"]
    for seed in range(s0, s0 + seeds):
        if change == "try":
            yield seed, check_try(lesson, summary(key, lesson.try_overrides, seed),
                                  summary(key, {}, seed))
        else:
            yield seed, check_claim(lesson, summary(key, change, seed))


@pytest.mark.slow
@pytest.mark.parametrize("key,what,change,seeds,holds", TRIED,
                         ids=[f"{row[0]}:{row[1]}" for row in TRIED])
def test_the_table_of_variations(key, what, change, seeds, holds):
    """One row of :data:`TRIED` (one test a row, so that xdist's workers share the table)."""
    for seed, result in _runs(key, change, seeds):
        assert result.holds is holds, f"{key} / {what} / seed {seed}: {result.detail}"
        assert any(ch.isdigit() for ch in result.detail)


def test_every_new_lesson_has_a_counterexample_distinct_from_try_this():
    for key in NEW:
        lesson = LESSONS[key]
        assert lesson.break_overrides and lesson.try_overrides and lesson.break_note
        assert lesson.break_overrides != lesson.try_overrides
        assert any(row[0] == key and row[4] is False and row[2] == lesson.break_overrides
                   for row in TRIED), key  # the counterexample is in the table, on ten seeds
        cfg = lesson_config(lesson)
        assert cfg["evaluation"]["baselines"] is True
        assert cfg["stream"]["n_samples"] <= 6000
    assert [get_lesson(n).key for n in range(12, 16)] == NEW
    assert "first 5,000 rows" in LESSONS["lesson-no-change"].situation


# --------------------------------------------------------------------------------------------
# The checks on hand-made summaries (every threshold pinned)
# --------------------------------------------------------------------------------------------
def _c(name: str, **scores) -> dict:
    return {"name": name, "status": "ok", "accuracy": 0.8, **scores}


def test_virtual_check_allows_three_points_and_needs_a_25_point_loss():
    ok = {"contenders": [_c(cf.FROZEN, accuracy_by_segment=[0.90, 0.875, 0.65])]}
    assert check_claim(LESSONS["lesson-virtual-drift"], ok).holds  # -2.5 and -25.0
    moved = {"contenders": [_c(cf.FROZEN, accuracy_by_segment=[0.90, 0.865, 0.40])]}
    result = check_claim(LESSONS["lesson-virtual-drift"], moved)
    assert not result.holds and "-3.5 points" in result.detail
    no_real = {"contenders": [_c(cf.FROZEN, accuracy_by_segment=[0.90, 0.90])]}
    result = check_claim(LESSONS["lesson-virtual-drift"], no_real)
    assert not result.holds and "cannot be checked" in result.detail and "2 drifts" in \
        result.detail


def test_adaptive_check_takes_the_smaller_lead():
    def summary(plain, hat, arf):
        return {"contenders": [_c(cf.PLAIN_TREE, accuracy_by_segment=[0.95, plain]),
                               _c(cf.ADAPTIVE_TREE, accuracy_by_segment=[0.95, hat]),
                               _c(cf.FOREST, accuracy_by_segment=[0.95, arf])]}

    lesson = LESSONS["lesson-adaptive"]
    assert check_claim(lesson, summary(0.50, 0.65, 0.90)).holds  # lead 15.0
    result = check_claim(lesson, summary(0.50, 0.64, 0.90))
    assert not result.holds and "+14.0 points" in result.detail


def test_prior_check_reads_the_majority_baseline_and_says_how_to_get_it():
    lesson = LESSONS["lesson-prior-drift"]
    learner = _c(cf.FROZEN, accuracy_by_segment=[0.90, 0.94],
                 balanced_accuracy_by_segment=[0.75, 0.94], kappa_by_segment=[0.6, 0.88])
    majority = _c(cf.MAJORITY, accuracy_by_segment=[0.80, 0.59],
                  balanced_accuracy_by_segment=[0.5, 0.5], kappa_by_segment=[0.0, 0.0])
    result = check_claim(lesson, {"contenders": [learner, majority]})
    assert result.holds, result.detail  # 10 apart, fell 21, learner +4
    assert "balanced accuracy 50.0 %" in result.detail and "kappa 0.00" in result.detail
    learner["accuracy_by_segment"] = [0.90, 0.96]  # +6: not under 5
    assert not check_claim(lesson, {"contenders": [learner, majority]}).holds
    result = check_claim(lesson, {"contenders": [learner]})
    assert not result.holds and "evaluation.baselines" in result.detail


def test_no_change_check_compares_with_the_baselines_accuracy():
    lesson = LESSONS["lesson-no-change"]
    summary = {"no_change_accuracy": 0.836, "contenders": [
        _c(cf.FROZEN, accuracy=0.588, kappa_t=-1.51),
        _c(cf.ONLINE, accuracy=0.824, kappa_t=-0.08)]}
    result = check_claim(lesson, summary)
    assert result.holds and "83.6 %" in result.detail and "-0.08" in result.detail
    summary["contenders"][1]["accuracy"] = 0.85  # 1.4 points above, no record: half a point
    assert not check_claim(lesson, summary).holds
    summary["contenders"][1]["accuracy"] = 0.74  # below the baseline, but not flattering
    assert not check_claim(lesson, summary).holds


def test_no_change_check_calls_a_gap_within_the_noise_level_as_the_story_does():
    """Issue 13: the verdict said "both below the baseline" for a 1.3-point gap that the race
    lab's story, on the same run, calls "level with the no-change baseline" (the tie rule of
    lab.race.ties). Hand-made: the online learner 1.3 points under the baseline, the measured
    noise of that gap 2.8 points: level with it; 24.8 points under a 4.7-point noise: below;
    3.4 points over a 2.5-point noise: above, and the claim fails."""
    lesson = LESSONS["lesson-no-change"]
    summary = {"no_change_accuracy": 0.836,
               "baseline_noise": {cf.FROZEN: {"no_change": 0.047},
                                  cf.ONLINE: {"no_change": 0.028}},
               "contenders": [_c(cf.FROZEN, accuracy=0.588, kappa_t=-1.51),
                              _c(cf.ONLINE, accuracy=0.823, kappa_t=-0.08)]}
    result = check_claim(lesson, summary)
    assert result.holds, result.detail
    assert "82.3 % (kappa-T -0.08), level with the baseline (-1.3 points, within the run's " \
           "noise of 2.8 points)" in result.detail
    assert "58.8 % (kappa-T -1.51), below the baseline by 24.8 points" in result.detail
    assert "both below" not in result.detail
    summary["contenders"][1]["accuracy"] = 0.870
    summary["baseline_noise"][cf.ONLINE]["no_change"] = 0.025
    result = check_claim(lesson, summary)
    assert not result.holds and "above the baseline by 3.4 points" in result.detail


def test_lesson_15_verdict_and_the_race_labs_story_agree_on_the_same_run():
    """The preset run judged by the lesson and told by the race lab's story (with the run's
    per-sample record, as the race page tells it): both call the online learner level with the
    no-change baseline and the frozen model below it (issue 13)."""
    from lesson_runs import lesson_run

    from lab.race.story import race_story
    from lab.race.ties import noise_from_result

    run = lesson_run("lesson-no-change")
    story = " ".join(race_story(run.summary, noise=noise_from_result(run.result, run.summary)))
    assert "level with the no-change baseline (83.6" in story, story
    assert run.check.holds
    assert "82.3 % (kappa-T -0.08), level with the baseline" in run.check.detail
    assert "below the baseline by 24.8 points" in run.check.detail


# --------------------------------------------------------------------------------------------
# The command line: python -m lab lesson run KEY
# --------------------------------------------------------------------------------------------
@pytest.mark.slow
def test_lesson_run_in_the_singular_writes_claim_json_with_seed_and_set(tmp_path, capsys):
    out = tmp_path / "l14"
    assert main(["lesson", "run", "lesson-prior-drift", "--seed", "42",
                 "--set", "stream.label_noise=0.3", "--out", str(out)]) == 0
    claim = json.loads((out / "claim.json").read_text())
    assert claim["lesson"] == "lesson-prior-drift" and claim["holds"] is False
    assert claim["overrides"] == {"stream.label_noise": 0.3} and "baseline" in claim["detail"]
    summary = json.loads((out / "summary.json").read_text())
    assert summary["config"]["seed"] == 42
    printed = capsys.readouterr().out
    assert "DOES NOT HOLD" in printed and (out / "figure1.html").exists()
    assert main(["lessons", "show", "14"]) == 0  # the plural keeps working
    assert "Class-prior drift" not in capsys.readouterr().err
