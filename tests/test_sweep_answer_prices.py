"""The What-if answer without prices, and its tie rule (walk-through finding): with no prices
set, every retrain cost 0 and the total cost was the wrong predictions alone, so the answer
called the setting that retrains most often "the cheapest". Hand-made sweep tables: every
figure of the ranking is set by hand."""

from __future__ import annotations

import pandas as pd
import pytest

from lab.sweep.answer import answer_sweep, ranking_lines, tie_rule_words, unpriced

EVERY = "contenders[1].policy.every"
CFG = {"contenders": [{"name": "Frozen"}, {"name": "Periodic"}]}
COLUMNS = ["setting", EVERY, "contender", "n_seeds", "n_failed",
           "accuracy_mean", "accuracy_ci_low", "accuracy_ci_high",
           "train_samples_mean", "train_samples_ci_low", "train_samples_ci_high",
           "retrains_mean", "retrains_ci_low", "retrains_ci_high",
           "cost_compute_mean", "cost_compute_ci_low", "cost_compute_ci_high",
           "cost_retrains_mean", "cost_retrains_ci_low", "cost_retrains_ci_high",
           "cost_labels_mean", "cost_labels_ci_low", "cost_labels_ci_high",
           "cost_total_mean", "cost_total_ci_low", "cost_total_ci_high"]


def table(rows, retrain_price=0.0):
    """(setting, every, contender, accuracy mean, low, high, samples trained, retrains, wrong
    predictions) -> a sweep summary whose ledger prices each retrain at ``retrain_price`` and
    each wrong prediction at 1 (the defaults: no prices but the error's)."""
    out = []
    for setting, every, name, acc, low, high, trained, retrains, errors in rows:
        retrain_cost = retrain_price * retrains
        total = errors + retrain_cost
        out.append((setting, every, name, 3, 0, acc, low, high, trained, trained, trained,
                    retrains, retrains, retrains, 0.0, 0.0, 0.0,
                    retrain_cost, retrain_cost, retrain_cost, 0.0, 0.0, 0.0,
                    total, total - 5, total + 5))
    return pd.DataFrame(out, columns=COLUMNS)


# Periodic every 250 / 500 / 1,000 samples of 3,000 (warm-up 500): 10, 5 and 2 retrains on 500
# samples each (+ the 500 of the warm-up's first fit); the more retrains the fewer errors
SWEEP = [(0, 250, "Periodic", 0.84, 0.82, 0.86, 5500, 10, 400),
         (1, 500, "Periodic", 0.82, 0.80, 0.84, 3000, 5, 450),
         (2, 1000, "Periodic", 0.80, 0.78, 0.82, 1500, 2, 500)]


def test_without_prices_the_answer_ranks_by_training_and_says_where_prices_are_set():
    summary = table(SWEEP)
    assert unpriced(summary)
    answer = answer_sweep(summary, "accuracy", 0.78, config=CFG)
    # by the bill (wrong predictions only) every 250 would be "cheapest": 400 < 450 < 500
    assert answer.unpriced and answer.rank_by == "train_samples"
    assert answer.asked_rank_by == "cost_total"
    assert answer.ranking[EVERY].tolist() == [1000, 500, 250]  # 1,500 < 3,000 < 5,500 trained
    assert answer.choice[EVERY] == 1000
    assert answer.sentence == (
        "No prices are set for training, retrains or labels (the Costs panel in the app's "
        "sidebar, or the config's costs), so the total cost is only the wrong predictions (1 "
        "each by default): it does not say which setting costs less to run. Ranked by training "
        "effort instead: fewest samples trained first, then fewer retrains, then the higher "
        "score, then the earlier setting. The least-trained setting that keeps accuracy ≥ 78 % "
        "(lower 95 % bound over 3 seeds) is Periodic with samples between retrains = 1,000: "
        "samples trained 1,500 (the same on every seed), accuracy 80.0 % (95 % CI 78.0–82.0 %).")
    assert "cheap" not in answer.sentence
    assert answer.to_dict()["unpriced"] is True and answer.to_dict()["rank_by"] == "train_samples"
    assert "samples trained (95% CI)" in ranking_lines(answer)[0]
    assert "cost" not in ranking_lines(answer)[0]
    # a higher target: every 1,000 falls short, every 500 is the least-trained that keeps it
    answer = answer_sweep(summary, "accuracy", 0.80, config=CFG)
    assert answer.choice[EVERY] == 500
    assert "1 less-trained setting falls short." in answer.sentence


def test_a_zero_cost_tie_is_never_cheapest_and_an_asked_error_count_keeps_its_ranking():
    summary = table(SWEEP)
    # the retrain part is 0 for every row: a tie, broken by training, said as such
    answer = answer_sweep(summary, "accuracy", 0.78, rank_by="cost_retrains", config=CFG)
    assert answer.rank_by == "train_samples" and answer.choice[EVERY] == 1000
    assert "every setting's retrain cost is 0" in answer.sentence
    assert "cheapest" not in answer.sentence
    # the error count asked for by name: ranked by it, as asked (it says what it counts)
    errors = summary.assign(cost_errors_mean=summary["cost_total_mean"],
                            cost_errors_ci_low=summary["cost_total_ci_low"],
                            cost_errors_ci_high=summary["cost_total_ci_high"])
    answer = answer_sweep(errors, "accuracy", 0.78, rank_by="cost_errors", config=CFG)
    assert not answer.unpriced and answer.choice[EVERY] == 250
    assert not answer.sentence.startswith("No prices")


def test_with_a_retrain_price_the_bill_ranks_and_the_cheapest_is_named():
    summary = table(SWEEP, retrain_price=30.0)  # totals 700, 600, 560
    assert not unpriced(summary)
    answer = answer_sweep(summary, "accuracy", 0.78, config=CFG)
    assert answer.rank_by == "cost_total" and not answer.unpriced
    assert answer.ranking[EVERY].tolist() == [1000, 500, 250]
    assert answer.sentence.startswith("The cheapest setting that keeps accuracy ≥ 78 %")
    assert "total cost 560 (95 % CI 555–565)" in answer.sentence


def test_equal_costs_go_to_fewer_samples_then_fewer_retrains_then_the_score_and_it_is_said():
    # hand-made, priced: settings 0-3 all cost 600 in total; 2 and 3 trained least (1,000),
    # of them 3 retrained less (2 < 4); 0 and 1 trained alike and retrained alike, 1 scores
    # higher; setting 4 is dearer (650) and keeps the target too
    rows = [(0, 100, "Periodic", 0.85, 0.83, 0.87, 2000, 4, 480),
            (1, 200, "Periodic", 0.86, 0.84, 0.88, 2000, 4, 480),
            (2, 300, "Periodic", 0.90, 0.88, 0.92, 1000, 4, 480),
            (3, 400, "Periodic", 0.82, 0.80, 0.84, 1000, 2, 540),
            (4, 500, "Periodic", 0.95, 0.93, 0.97, 500, 1, 620)]
    summary = table(rows, retrain_price=30.0)
    assert summary["cost_total_mean"].tolist() == [600.0, 600.0, 600.0, 600.0, 650.0]
    answer = answer_sweep(summary, "accuracy", 0.8, config=CFG)
    assert answer.ranking[EVERY].tolist() == [400, 300, 200, 100, 500]
    assert answer.choice[EVERY] == 400
    assert answer.sentence.endswith(
        "It ties on total cost with 3 other rows; ties go to fewer samples trained, then fewer "
        "retrains, then the higher score, then the earlier setting.")
    # every 400 (first by the tie rule) falls short of 85 %: every 300 is the answer, and no
    # row "cheaper" than it falls short (every 400 costs the same)
    answer = answer_sweep(summary, "accuracy", 0.85, config=CFG)
    assert answer.choice[EVERY] == 300
    assert "falls short" not in answer.sentence and "ties on total cost with 3 other rows" in (
        answer.sentence)
    # no tie, no rule: the dearer setting alone keeps 90 % on its lower bound
    answer = answer_sweep(summary, "accuracy", 0.9, config=CFG)
    assert answer.choice[EVERY] == 500 and "ties" not in answer.sentence


def test_the_tie_rule_in_words_leaves_out_what_the_table_lacks():
    assert tie_rule_words("cost_total") == ("fewer samples trained, then fewer retrains, then the "
                                            "higher score, then the earlier setting")
    assert tie_rule_words("train_samples") == ("fewer retrains, then the higher score, then the "
                                               "earlier setting")
    assert tie_rule_words("cost_total", ["retrains_mean"]) == (
        "fewer retrains, then the higher score, then the earlier setting")


@pytest.mark.parametrize("missing", ["cost_compute_mean", "cost_retrains_mean",
                                     "cost_labels_mean"])
def test_a_summary_without_the_ledger_parts_is_not_called_unpriced(missing):
    assert not unpriced(table(SWEEP).drop(columns=missing))
