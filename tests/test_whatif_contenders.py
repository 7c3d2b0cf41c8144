"""What-if never answers with a contender the varied setting does not change (issue 13,
walk-through): varying "Periodic retrain: samples between retrains" over 500 … 4,000 gave "the
cheapest setting that keeps accuracy ≥ 84 % … is Online with … = 500", although Online's four
rows were the same race. Hand-made summaries shaped like ``sweep_summary.csv``; the app's side
is in ``tests/test_sweep_answers.py::test_whatif_tab_shows_the_answer_of_the_core``."""

from __future__ import annotations

import pandas as pd

from lab.sweep.answer import answer_sweep, default_contender, path_contender

EVERY = "contenders[1].policy.every"
CFG = {"stream": {"n_samples": 20000},
       "contenders": [{"name": "Online", "policy": {"kind": "online"}},
                      {"name": "Periodic retrain", "policy": {"kind": "periodic"}}]}
LABEL = "Periodic retrain: samples between retrains"


def walkthrough(online_accuracy: float = 0.86) -> pd.DataFrame:
    """Online: the same race (cost 900, accuracy 86 %) in every setting; Periodic retrain:
    dearer the more often it retrains, and only retraining every 500 or 1,000 keeps 84 %."""
    rows = []
    for setting, (every, cost, acc) in enumerate([(500, 3000.0, 0.88), (1000, 2000.0, 0.85),
                                                  (2000, 1500.0, 0.83), (4000, 1200.0, 0.80)]):
        for name, c, a in (("Online", 900.0, online_accuracy), ("Periodic retrain", cost, acc)):
            rows.append({"setting": setting, EVERY: every, "contender": name, "n_seeds": 3,
                         "n_failed": 0, "accuracy_mean": a, "accuracy_ci_low": a - 0.005,
                         "accuracy_ci_high": a + 0.005, "cost_total_mean": c,
                         "cost_total_ci_low": c - 10, "cost_total_ci_high": c + 10})
    return pd.DataFrame(rows)


def test_the_answer_is_a_setting_of_the_contender_the_setting_changes():
    answer = answer_sweep(walkthrough(), "accuracy", 0.84, config=CFG)
    assert answer.choice["contender"] == "Periodic retrain" and answer.choice[EVERY] == 1000
    assert " is Online" not in answer.sentence
    assert answer.sentence.startswith(
        "The cheapest setting that keeps accuracy ≥ 84 % (lower 95 % bound over 3 seeds) is "
        "Periodic retrain with samples between retrains = 1,000: total cost 2,000")
    # the cheaper rows that count are Periodic's (2,000 and 4,000), not Online's four
    assert "2 cheaper settings fall short." in answer.sentence
    assert answer.sentence.endswith(
        "Online costs less and keeps it too (total cost 900 (95 % CI 890–910), accuracy 86.0 % "
        f"(95 % CI 85.5–86.5 %)), but its result does not depend on {LABEL}."), answer.sentence
    online = answer.ranking[answer.ranking["contender"] == "Online"]
    assert not online["depends"].any() and online["qualifies"].all()
    assert online["description"].iloc[0] == (
        f"Online (does not use {LABEL} = 500)")
    assert answer.to_dict()["ranking"][0]["depends"] is False


def test_by_default_the_answer_is_among_the_contender_every_setting_belongs_to():
    assert path_contender(EVERY) == 1 and path_contender("stream.n_samples") is None
    assert default_contender(walkthrough(), CFG) == "Periodic retrain"
    both = walkthrough().assign(**{"stream.n_samples": 20000})
    both = both[["setting", EVERY, "stream.n_samples", *both.columns[2:-1]]]
    assert default_contender(both, CFG) is None  # the stream's length changes Online too
    answer = answer_sweep(both, "accuracy", 0.84, config=CFG)
    # Online now depends on a varied setting: it can be the answer, its unused setting named
    assert answer.choice["contender"] == "Online"
    assert answer.choice["description"] == (
        f"Online with Stream length (samples) = 20,000 (does not use {LABEL} = 500)")


def test_asked_about_a_contender_the_setting_does_not_change_the_answer_says_so():
    answer = answer_sweep(walkthrough(), "accuracy", 0.84, contender="Online", config=CFG)
    assert answer.sentence.startswith(
        f"Online does not use the varied setting: its result does not depend on {LABEL}. It "
        "keeps accuracy ≥ 84 % (lower 95 % bound over 3 seeds): total cost 900"), answer.sentence
    missed = answer_sweep(walkthrough(), "accuracy", 0.9, contender="Online", config=CFG)
    assert "It does not keep accuracy ≥ 90 %" in missed.sentence and missed.choice is None


def test_when_only_the_unchanged_contender_keeps_the_target_it_is_not_the_setting():
    answer = answer_sweep(walkthrough(online_accuracy=0.9), "accuracy", 0.885, config=CFG)
    assert answer.choice is None  # no Periodic retrain setting keeps 88.5 % on the lower bound
    assert answer.sentence.startswith("No setting keeps accuracy ≥ 88.5 % (lower 95 % bound over "
                                      "3 seeds). Closest: Periodic retrain with samples between "
                                      "retrains = 500")
    assert answer.closest["contender"] == "Periodic retrain"
    assert "Online keeps it (total cost 900" in answer.sentence
    assert answer.sentence.endswith(f"but its result does not depend on {LABEL}.")
