"""The oracle (``lab.policies.oracle``): the best retrain schedule in hindsight on a grid.

* The dynamic programme equals brute force over every schedule (all 2^K subsets), on
  hand-made and random cost matrices and on the matrices real planning produces.
* Its cost is never above any periodic schedule on the same grid (every multiple of the grid,
  and the frozen schedule), priced with the same matrix, and that price is what a real
  periodic race scores (its error count, and its counters times the prices).
* The oracle's race is deterministic; its replay scores what planning priced.
* The validator, the schema and the cost estimates take the kind from its module alone.
"""

from __future__ import annotations

import itertools
from types import SimpleNamespace

import numpy as np
import pytest
from threadpoolctl import threadpool_limits

from lab.budget import estimate_race
from lab.data.stream import make_stream
from lab.learners import make_learner
from lab.policies.kind import Work
from lab.policies.oracle import MAX_CANDIDATES, OraclePolicy, candidate_points
from lab.policies.oracle_schedule import (
    Prices,
    error_prices,
    optimal_schedule,
    schedule_cost,
    stretch_sums,
    switch_prices,
)
from lab.policies.registry import POLICY_KINDS, make_policy, policy_spec
from lab.race.engine import run_race
from lab.spec.experiment import EvaluationSpec
from lab.sweep.cost import contender_work, estimate_task_seconds
from lab.validate import json_schema, parse_experiment
from tests.helpers import config


@pytest.fixture(autouse=True)
def one_thread():
    """Races with one BLAS/OpenMP thread, as the app and the sweep run them: on the shared
    2-core machine multithreaded small fits are several times slower (same results)."""
    with threadpool_limits(limits=1):
        yield


# -- the dynamic programme against brute force -----------------------------------------------
def brute_force(errors: np.ndarray, switch: np.ndarray) -> float:
    """The least cost over every subset of candidates ``1 .. K``, each priced by walking the
    stretches: stretch j is served by the newest chosen model at or before j."""
    size = len(switch)
    best = np.inf
    for m in range(size):
        for subset in itertools.combinations(range(1, size), m):
            chosen = {0, *subset}
            cost = sum(switch[k] for k in chosen)
            serving = 0
            for j in range(size):
                if j in chosen:
                    serving = j
                cost += errors[serving, j]
            best = min(best, cost)
    return best


def random_case(rng, size: int, integer: bool):
    errors = (rng.integers(0, 40, (size, size)) if integer
              else rng.uniform(0, 40, (size, size))).astype(float)
    errors[np.tril_indices(size, -1)] = np.nan  # unused: must be ignored
    switch = rng.uniform(0, 30, size) if not integer else rng.integers(0, 30, size).astype(float)
    return errors, switch


@pytest.mark.parametrize("seed", range(12))
@pytest.mark.parametrize("size", [1, 2, 4, 7, 9])  # 9 = 8 candidates: 256 schedules
def test_the_dynamic_programme_equals_brute_force(seed, size):
    rng = np.random.default_rng(seed * 31 + size)
    errors, switch = random_case(rng, size, integer=seed % 2 == 0)
    found = optimal_schedule(errors, switch)
    assert found.cost == pytest.approx(brute_force(errors, switch), rel=1e-12)
    # the schedule it returns costs what it says, priced independently of the programme
    assert schedule_cost(np.nan_to_num(errors), switch, found.chosen) == pytest.approx(found.cost)
    assert list(found.chosen) == sorted(set(found.chosen)) and all(
        1 <= k < size for k in found.chosen)


def test_a_hand_computed_case():
    # stretches 0..3; the warm-up model degrades, model 2 is good from its point on
    errors = np.array([[1, 5, 8, 8],
                       [0, 1, 6, 6],
                       [0, 0, 0, 1],
                       [0, 0, 0, 1]], dtype=float)
    # retrain price 2: {} = 22; {1} = 1+2+1+6+6 = 16; {2} = 1+5+2+0+1 = 9; {1,2} = 1+2+1+2+0+1 = 7
    # {1,2,3} = 1+2+1+2+0+2+1 = 9; {2,3} = 1+5+2+0+2+1 = 11; {3} = 1+5+8+2+1 = 17; {1,3} = 13
    found = optimal_schedule(errors, switch_prices(np.zeros(4), Prices(retrain=2.0)))
    assert found.chosen == (1, 2) and found.cost == 7.0
    # retrain price 5: {2} = 1+5+5+0+1 = 12 beats {1,2} = 1+5+1+5+0+1 = 13 and {} = 22
    found = optimal_schedule(errors, switch_prices(np.zeros(4), Prices(retrain=5.0)))
    assert found.chosen == (2,) and found.cost == 12.0


def test_ties_go_to_fewer_retrains():
    # free retrains that change nothing: no retrain is the schedule chosen
    errors = np.ones((5, 5))
    assert optimal_schedule(errors, np.zeros(5)) == optimal_schedule(errors, np.zeros(5))
    assert optimal_schedule(errors, np.zeros(5)).chosen == ()


def test_training_rows_are_priced_per_row_on_top_of_the_retrain_price():
    switch = switch_prices(np.array([500, 200, 300]), Prices(retrain=4.0, train_sample=0.01))
    assert switch.tolist() == pytest.approx([5.0, 6.0, 7.0])  # the warm-up pays rows only


def test_error_prices_with_a_scalar_and_a_matrix():
    y = np.array([0, 0, 1, 2, 2])
    predicted = np.array([0, 1, 2, -1, 2])  # -1: no prediction
    assert error_prices(y, predicted, Prices(error=3.0)).tolist() == [0, 3, 3, 3, 0]
    matrix = ((0, 1, 2), (10, 0, 20), (7, 8, 0.5))
    assert error_prices(y, predicted, Prices(error=3.0, error_matrix=matrix)).tolist() == \
        [0, 1, 20, 3, 0.5]
    assert Prices.of(None) == Prices() == Prices(1.0, 0.0, 0.0, None)
    ledger_like = SimpleNamespace(error=2.0, retrain=9.0, train_sample=0.5, cpu_second=7.0,
                                  label=3.0, error_matrix=None)
    assert Prices.of(ledger_like) == Prices(2.0, 9.0, 0.5, None)


def test_stretch_sums_by_hand():
    assert stretch_sums(np.arange(6.0), np.array([0, 2, 2, 5])).tolist() == [1, 0, 9, 5]


# -- the policy on real streams ----------------------------------------------------------
N, WARMUP, GRID = 3000, 500, 200  # 12 candidates; 2,500 % (200 m) != 0: no retrain at the end


def race_config(source: str, seed: int, oracle: dict, periodic_every=(1, 2, 3, 5), **ev):
    settings = {k: v for k, v in oracle.items() if k != "grid"}
    contenders = [{"name": "Oracle", "model": "sk.logistic_regression",
                   "policy": {"kind": "oracle", **oracle}},
                  {"name": "Frozen", "model": "sk.logistic_regression",
                   "policy": {"kind": "frozen",
                              "retrain_latency": oracle.get("retrain_latency", 0)}}]
    for m in periodic_every:
        contenders.append({"name": f"Every {m}", "model": "sk.logistic_regression",
                           "policy": {"kind": "periodic", "every": m * oracle["grid"],
                                      **settings}})
    drifts = [{"at": 1400, "width": 0, "to": {"variant": 2}}] if source == "sea" else \
        [{"at": 1300, "width": 600, "to": {"angle": 90}}]
    cfg = config(source=source, n=N, drifts=drifts, contenders=contenders, warmup=WARMUP, **ev)
    cfg["seed"] = seed
    return parse_experiment(cfg)


def errors_of(run) -> int:
    return int(np.count_nonzero(run.trace.predicted[WARMUP:] != run.trace.y[WARMUP:]))


def periodic_models(m: int, points: np.ndarray, grid: int) -> list[int]:
    """The candidates a periodic retrain every ``m * grid`` samples deploys (model indices)."""
    return [k for k, p in enumerate(points, start=1) if (p - WARMUP) % (m * grid) == 0]


@pytest.mark.parametrize("source,seed,oracle,ev", [
    ("sea", 1, {"grid": GRID, "data": "window", "window": 700}, {}),
    ("sea", 2, {"grid": GRID, "data": "all"}, {}),
    ("blobs2d", 3, {"grid": GRID, "data": "window", "window": 400}, {}),
    ("blobs2d", 4, {"grid": GRID, "data": "decay", "half_life": 300.0}, {}),
    ("sea", 5, {"grid": GRID, "data": "window", "window": 600, "retrain_latency": 150},
     {"label_delay": 40}),
])
def test_no_periodic_schedule_beats_the_oracle_and_its_prices_are_the_real_races(
        source, seed, oracle, ev):
    exp = race_config(source, seed, oracle, **ev)
    result = run_race(exp)
    runs = {run.name: run for run in result.contenders}
    assert all(run.status == "ok" for run in runs.values()), [r.error for r in runs.values()]
    policy = runs["Oracle"].policy
    plan = policy.plan
    assert plan.points.tolist() == candidate_points(N, WARMUP, GRID,
                                                    oracle.get("retrain_latency", 0)).tolist()
    # the frozen schedule and every periodic one, priced on the oracle's matrix ...
    assert plan.cost_of(()) == errors_of(runs["Frozen"])  # ... is what each race scored
    assert policy.schedule_cost <= plan.cost_of(())
    for m in (1, 2, 3, 5):
        chosen = periodic_models(m, plan.points, GRID)
        assert plan.cost_of(chosen) == errors_of(runs[f"Every {m}"]), m
        assert policy.schedule_cost <= plan.cost_of(chosen), m
    # the oracle's own race scores exactly what planning priced (error price 1)
    assert errors_of(runs["Oracle"]) == policy.schedule_cost
    assert policy.retrains == len(plan.chosen) == len(policy.chosen_points)
    # brute force over every schedule of the real matrix (12 candidates: 4,096 schedules)
    assert policy.schedule_cost == brute_force(plan.errors, plan.switch)


def planned(exp, costs=None, contender: int = 0) -> OraclePolicy:
    """The oracle of ``exp``'s contender, planned and run over the whole stream as the engine
    would, with ``costs`` set before the warm-up (where the lead wires the ledger's prices)."""
    spec = exp.contenders[contender]
    stream = make_stream(exp.stream, exp.seed)
    learner = make_learner(spec.model.name, spec.model.params, exp.seed, stream.classes)
    policy = make_policy(spec.policy, learner, stream, exp.evaluation, exp.seed)
    policy.costs = costs
    policy.warm_up()
    policy.run(exp.evaluation.warmup, len(stream))
    return policy


def test_prices_change_the_schedule_and_the_counters_reconcile_with_them():
    exp = race_config("sea", 7, {"grid": GRID, "data": "window", "window": 700},
                      periodic_every=())
    cheap = planned(exp)
    dear = planned(exp, SimpleNamespace(error=1.0, retrain=200.0, train_sample=0.05,
                                        error_matrix=None))
    assert cheap.retrains > dear.retrains
    for policy in (cheap, dear):
        prices = policy.plan.prices
        errors = int(np.count_nonzero(policy.trace.predicted[WARMUP:] != policy.stream.y[WARMUP:]))
        # the ledger's terms, from the race's own counters, add up to the planned cost
        assert policy.schedule_cost == pytest.approx(
            errors * prices.error + policy.retrains * prices.retrain
            + policy.train_samples * prices.train_sample)
        assert policy.train_samples == WARMUP + sum(policy.plan.rows[k] for k in policy.plan.chosen)
        # CPU: the warm-up's and the chosen fits' (measured while planning); every fit's apart
        assert policy.train_cpu_s == pytest.approx(
            policy.plan.warmup_cpu_s + sum(policy.plan.cpu_s.values()))
        assert policy.training_cpu_total >= policy.train_cpu_s
    # a matrix that makes one kind of error dear: the planned cost is its price of the trace
    matrix = ((0.0, 1.0), (9.0, 0.0))
    skewed = planned(exp, SimpleNamespace(error=1.0, error_matrix=matrix))
    y, predicted = skewed.stream.y[WARMUP:], skewed.trace.predicted[WARMUP:]
    missed, false_alarm = np.sum((y == 1) & (predicted == 0)), np.sum((y == 0) & (predicted == 1))
    assert skewed.schedule_cost == 9 * missed + false_alarm


def test_the_oracle_race_is_deterministic():
    exp = race_config("blobs2d", 9, {"grid": 250, "data": "window", "window": 500},
                      periodic_every=())
    first, second = run_race(exp).contenders[0], run_race(exp).contenders[0]
    assert np.array_equal(first.trace.predicted, second.trace.predicted)
    assert first.policy.chosen_points == second.policy.chosen_points
    assert first.policy.schedule_cost == second.policy.schedule_cost
    assert [e[:2] for e in first.events] == [e[:2] for e in second.events]


def test_its_retrains_are_logged_and_deploy_at_their_points():
    exp = race_config("sea", 11, {"grid": GRID, "data": "window", "window": 500,
                                  "retrain_latency": 60}, periodic_every=(), label_delay=25)
    run = run_race(exp).contenders[0]
    policy = run.policy
    starts = [t for t, kind, _ in run.events if kind == "retrain_start"]
    deploys = [t for t, kind, _ in run.events if kind == "deploy"]
    assert starts == policy.chosen_points and len(starts) == policy.retrains > 0
    assert deploys == [p + 60 for p in starts]
    assert run.retrains_cum[-1] == policy.retrains
    for point in policy.chosen_points:  # labels up to r - d, r = point - 1: newest = point - 26
        assert run.trace.newest[point + 60] == point - 1 - 25


@pytest.mark.slow
def test_a_river_model_works_as_a_batch_model():
    cfg = config(n=1500, contenders=[{"name": "O", "model": "river.gaussian_nb",
                                      "policy": {"kind": "oracle", "grid": 250}}])
    run = run_race(parse_experiment(cfg)).contenders[0]
    assert run.status == "ok", run.error
    assert np.count_nonzero(run.trace.predicted[500:] != run.trace.y[500:]) == \
        run.policy.schedule_cost


def test_too_many_candidates_fail_the_contender_with_a_fix():
    cfg = config(n=MAX_CANDIDATES + 700, contenders=[
        {"name": "O", "model": "sk.gaussian_nb", "policy": {"kind": "oracle", "grid": 1}},
        {"name": "F", "model": "sk.gaussian_nb", "policy": {"kind": "frozen"}}])
    runs = run_race(parse_experiment(cfg)).contenders
    assert runs[0].status == "failed" and "use a grid of at least 2 samples" in runs[0].error
    assert runs[1].status == "ok"


# -- the kind describes itself ---------------------------------------------------------------
def test_the_kind_is_known_to_the_validator_schema_and_estimates():
    exp = parse_experiment(config(contenders=[
        {"name": "O", "model": "sk.logistic_regression", "policy": {"kind": "oracle"}}]))
    assert exp.contenders[0].policy == policy_spec("oracle") and \
        exp.contenders[0].policy.settings == {"grid": 250, "data": "window", "window": 5000,
                                              "half_life": 2000.0, "retrain_latency": 0}
    variants = json_schema()["properties"]["contenders"]["items"]["properties"]["policy"]["oneOf"]
    oracle = next(v for v in variants if v["properties"]["kind"]["const"] == "oracle")
    assert oracle["properties"]["grid"]["default"] == 250
    assert estimate_task_seconds(exp) > 0 and estimate_race(exp).seconds > 0
    assert POLICY_KINDS["oracle"].editor_fields({"data": "decay"}) == ("grid", "data",
                                                                       "half_life")
    with pytest.raises(Exception, match="decay.*sample weights"):
        parse_experiment(config(contenders=[{"model": "river.gaussian_nb", "policy": {
            "kind": "oracle", "data": "decay"}}]))
    with pytest.raises(Exception, match=r"policy\.grid"):
        parse_experiment(config(contenders=[{"model": "sk.gaussian_nb", "policy": {
            "kind": "oracle", "grid": 0}}]))


def test_hand_computed_work():
    # n 3,000, warm-up 500, grid 1,000, latency 0: candidates at 1,500 and 2,500 on windows of
    # min(point, 1,200): 1,200 + 1,200 rows; scoring: the replay 2,500 + planning 2,500 (warm-up
    # model) + 1,500 + 500
    work = contender_work(policy_spec("oracle", grid=1000, window=1200), 3000, 500, 0)
    assert work == Work(fits=3, fit_rows=500 + 2400, largest_fit=1200,
                        scored=2500 + 2500 + 1500 + 500)


def test_the_declared_work_is_what_planning_fits():
    exp = race_config("sea", 13, {"grid": 300, "data": "window", "window": 800},
                      periodic_every=())
    policy = planned(exp)
    work = contender_work(exp.contenders[0].policy, N, WARMUP, 1)
    assert work.fits == 1 + policy.plan.fits
    assert work.fit_rows == WARMUP + policy.plan.fit_rows


def test_the_policy_reads_its_defaults_from_nowhere_else():
    policy = OraclePolicy(policy_spec("oracle"), None, SimpleNamespace(y=np.zeros(3, np.int64)),
                          EvaluationSpec(warmup=1), 0)
    assert policy.costs is None and np.isnan(policy.schedule_cost) and policy.chosen_points == []


def test_every_contender_gets_its_regret_against_the_oracle_in_the_summary():
    """summary.json's ``regret`` = cost_total minus the oracle's; a periodic retrain of the same
    model, rule and grid can never cost less than the oracle, so its regret is >= 0."""
    from lab.race.metrics import summarise

    cfg = {"seed": 5, "stream": {"source": "sea", "n_samples": 4000,
                                 "drifts": [{"at": 2000, "to": {"variant": 2}}]},
           "evaluation": {"warmup": 500, "step": 250},
           "costs": {"retrain": 3.0, "train_sample": 0.001},
           "contenders": [
               {"name": "P", "model": "sk.gaussian_nb",
                "policy": {"kind": "periodic", "every": 500, "window": 1000}},
               {"name": "O", "model": "sk.gaussian_nb",
                "policy": {"kind": "oracle", "grid": 500, "window": 1000}}]}
    summary = summarise(run_race(parse_experiment(cfg)))
    periodic, oracle = summary["contenders"]
    assert oracle["oracle"] is True and "oracle" not in periodic
    assert oracle["regret"] == 0.0
    assert periodic["regret"] == periodic["cost_total"] - oracle["cost_total"] >= 0
    plain = summarise(run_race(parse_experiment({**cfg, "contenders": cfg["contenders"][:1]})))
    assert "regret" not in plain["contenders"][0]  # no oracle, no key
    from lab.race.story import race_story

    story = "\n".join(race_story(summary))
    assert ("**Against the best schedule in hindsight** (O: the cheapest retrains of Gaussian "
            "NB among every 500 samples, total cost") in story
    assert "**O**" not in story  # the oracle is a reference, never ranked as a contender


def test_the_story_says_why_a_contender_can_cost_less_than_the_oracle():
    """The oracle is best only among its own model's retrains on its grid: an online learner
    undercutting it is said to, with the reason, and amounts read as the ledger prints them."""
    from lab.race.story import race_story

    summary = {"config": {"contenders": [
        {"name": "Online", "model": "river.hoeffding_tree", "policy": {"kind": "online"}},
        {"name": "Never", "model": "sk.logistic_regression", "policy": {"kind": "frozen"}},
        {"name": "Best", "model": "sk.logistic_regression",
         "policy": {"kind": "oracle", "grid": 250}}]},
        "drifts": [], "contenders": [
        {"name": "Online", "status": "ok", "accuracy": 0.9, "cost_total": 9_000.0,
         "regret": -3_630.0, "retrains": 0},
        {"name": "Never", "status": "ok", "accuracy": 0.8, "cost_total": 12_634.0,
         "regret": 4.0, "retrains": 0},
        {"name": "Best", "status": "ok", "accuracy": 0.85, "cost_total": 12_630.0,
         "regret": 0.0, "retrains": 0, "oracle": True}]}
    line = race_story(summary)[-1]
    assert line == (
        "**Against the best schedule in hindsight** (Best: the cheapest retrains of Logistic "
        "regression among every 250 samples, total cost 12,630): Online costs 29 % less "
        "(neither retrains); Never costs under 1 % more (neither retrains). Online costs less "
        "than the oracle because the oracle only chooses when to retrain its own model on its "
        "grid: another model, online updates or other retrain points can do better.")


def test_a_race_stopped_while_the_oracle_plans_stops_there():
    """The oracle fits and scores every candidate before the race starts (seconds on a long
    stream: a walk-through's Stop took 5 s and the bar sat at "0 of 150,000"): its planning
    polls the race's stop, so a stop asked meanwhile ends the race before any sample is raced."""
    cfg = {"seed": 5, "stream": {"source": "sea", "n_samples": 20_000},
           "evaluation": {"warmup": 500, "step": 500},
           "contenders": [{"name": "O", "model": "sk.gaussian_nb",
                           "policy": {"kind": "oracle", "grid": 250}},
                          {"name": "F", "model": "sk.gaussian_nb", "policy": {"kind": "frozen"}}]}
    polls = []

    def should_stop() -> bool:
        polls.append(1)
        return len(polls) >= 5  # the fifth poll: a few candidates into the planning

    result = run_race(parse_experiment(cfg), should_stop=should_stop)
    assert result.cancelled and result.record_t == [] and result.n_done == 500
    assert [run.status for run in result.contenders] == ["stopped", "stopped"]
    assert len(polls) == 5  # nothing polled (nor fitted) after the stop
