"""``evaluation.labels`` (issue 15, label economics): today's results when every label is bought
with the fixed delay, the bought count, seeded draws, the ledger's label cost, the checks."""

from __future__ import annotations

import numpy as np
import pytest

from lab import parse_experiment, run_race, summarise
from lab.policies.label_plan import LabelPlan
from lab.race.ledger import labels_bought
from lab.spec.errors import ConfigError

N, WARMUP = 2000, 400


def config(labels=None, contenders=None, **evaluation):
    return {"seed": 9, "stream": {"source": "sea", "n_samples": N,
                                  "drifts": [{"at": 1200, "to": {"variant": 2}}]},
            "evaluation": {"warmup": WARMUP, "step": 200, **evaluation,
                           **({"labels": labels} if labels is not None else {})},
            "contenders": contenders or [
                {"name": "P", "model": "sk.gaussian_nb",
                 "policy": {"kind": "periodic", "every": 400, "data": "window", "window": 500}},
                {"name": "O", "model": "river.gaussian_nb", "policy": {"kind": "online"}}]}


def numbers(cfg):
    summary = summarise(run_race(parse_experiment(cfg)))
    return [(c["accuracy"], c["train_samples"], c["retrains"], c["cost"]["labels_bought"])
            for c in summary["contenders"]]


@pytest.mark.slow  # three to four races of 2,000 samples
def test_all_bought_with_the_fixed_delay_is_today():
    today = numbers(config(label_delay=30))
    assert numbers(config({"share": 1, "strategy": "uniform", "delay": "fixed"},
                          label_delay=30)) == today
    assert numbers(config({"share": 0.5}, label_delay=30)) != today  # the check can fail


def test_the_bought_count_is_the_rounded_share_and_seeded():
    exp = parse_experiment(config({"share": 0.37, "delay": "exponential", "delay_mean": 50}))
    plan = LabelPlan.of(exp.evaluation, N, exp.seed)
    assert plan.bought[:WARMUP].all()
    assert plan.bought[WARMUP:].sum() == round(0.37 * (N - WARMUP))
    again = LabelPlan.of(exp.evaluation, N, exp.seed)
    assert np.array_equal(plan.arrival, again.arrival)
    other = LabelPlan.of(exp.evaluation, N, exp.seed + 1)
    assert not np.array_equal(plan.bought, other.bought)
    # changing only the delay keeps the purchases
    fixed = parse_experiment(config({"share": 0.37}))
    assert np.array_equal(LabelPlan.of(fixed.evaluation, N, exp.seed).bought, plan.bought)


@pytest.mark.slow  # three to four races of 2,000 samples
def test_a_share_runs_twice_the_same_and_counts_its_labels():
    cfg = config({"share": 0.5, "delay": "uniform", "delay_low": 0, "delay_high": 40})
    first, second = numbers(cfg), numbers(cfg)
    assert first == second
    plan = LabelPlan.of(parse_experiment(cfg).evaluation, N, 9)
    arrived = WARMUP + int(np.count_nonzero(plan.arrival[WARMUP:] < N))
    assert [row[3] for row in first] == [arrived, arrived]
    assert arrived < WARMUP + (N - WARMUP) // 2 + 1


def test_the_ledger_label_cost_by_hand():
    """Warm-up 4, labels of samples 4..9 bought: 5 and 8, arriving after steps 7 and 8."""
    arrivals = np.array([7, 8])
    assert labels_bought([4, 7, 8, 9, 10], 4, 0, arrivals=arrivals).tolist() == [4, 4, 5, 6, 6]
    cfg = config({"share": 0.25}, contenders=[
        {"name": "F", "model": "sk.gaussian_nb", "policy": {"kind": "frozen"}}])
    cfg["costs"] = {"label": 0.5, "error": 0}
    summary = summarise(run_race(parse_experiment(cfg)))["contenders"][0]
    bought = WARMUP + round(0.25 * (N - WARMUP))  # fixed delay 0: all arrived by the end
    assert summary["cost"]["labels_bought"] == bought == 800
    assert summary["cost"]["labels"] == summary["cost_total"] == 400.0


@pytest.mark.slow  # three to four races of 2,000 samples
def test_uncertainty_buys_within_its_budget():
    cfg = config({"share": 0.3, "strategy": "uncertainty"}, contenders=[
        {"name": "O", "model": "river.gaussian_nb", "policy": {"kind": "online"}}])
    run = numbers(cfg)
    assert run == numbers(cfg)  # seeded
    bought = run[0][3] - WARMUP
    assert 0 < bought <= round(0.3 * (N - WARMUP))
    assert run[0][1] == WARMUP + bought  # it learned exactly what it bought


@pytest.mark.parametrize("labels,evaluation,message", [
    ({"share": 0}, {}, "evaluation.labels.share: must be a number > 0 and <= 1"),
    ({"share": 1.5}, {}, "evaluation.labels.share"),
    ({"strategy": "loud"}, {}, "evaluation.labels.strategy"),
    ({"delay": "uniform", "delay_low": 9, "delay_high": 3}, {},
     "evaluation.labels.delay_high: is 3, below delay_low (9)"),
    ({"delay_mean": 5}, {}, "evaluation.labels.delay_mean: is used by delay 'exponential' only"),
    ({"delay": "exponential"}, {"label_delay": 5}, "evaluation.label_delay: is 5 but"),
    ({"strategy": "uncertainty"}, {}, "evaluation.labels.strategy: 'uncertainty' asks an online"),
    ({"nope": 1}, {}, "evaluation.labels.nope: unknown key"),
    ([1], {}, "evaluation.labels: must be a JSON object"),
])
def test_checks_say_the_key_and_the_fix(labels, evaluation, message):
    with pytest.raises(ConfigError) as info:
        parse_experiment(config(labels, **evaluation))
    text = str(info.value)
    assert text.startswith(message) and "Fix: " in text and "\n" not in text


def test_written_back_only_when_given():
    assert "labels" not in parse_experiment(config()).to_dict()["evaluation"]
    back = parse_experiment(config({"share": 0.5, "delay": "exponential", "delay_mean": 20}))
    assert back.to_dict()["evaluation"]["labels"] == {
        "share": 0.5, "strategy": "uniform", "delay": "exponential", "delay_mean": 20.0}
    assert parse_experiment(back.to_dict()).to_dict() == back.to_dict()


def test_the_schema_states_the_parsed_defaults():
    import dataclasses

    from lab.spec.label_supply import LabelSupply
    from lab.validate import json_schema

    props = json_schema()["properties"]["evaluation"]["properties"]["labels"]["properties"]
    defaults = {f.name: f.default for f in dataclasses.fields(LabelSupply)}
    assert {k: p["default"] for k, p in props.items()} == defaults
    assert all(p["description"] for p in props.values())
