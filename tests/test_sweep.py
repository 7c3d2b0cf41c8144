"""Sweeps: the same numbers as single runs, whoever runs them; confidence intervals; resume; CLI."""

from __future__ import annotations

import json
import math
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from helpers import config
from lab import parse_experiment, run_race, summarise
from lab.cli import main
from lab.spec.errors import ConfigError
from lab.sweep.cost import estimate_task_seconds
from lab.sweep.executors import run_sweep
from lab.sweep.grammar import parse_vary
from lab.sweep.plan import plan_sweep, task_key
from lab.sweep.stats import (
    FIGURES,
    confidence_interval,
    contender_figures,
    pareto_front,
    summarise_sweep,
)

ROOT = Path(__file__).resolve().parents[1]
EVERY = "contenders[1].policy.every"
# Two settings x two seeds of a 3,000-sample race with a sudden drift; the three contenders are
# cheap (about 0.3 s per task): frozen and periodic Gaussian NB, online river logistic regression.
BASE = config("sea", n=3000, params={"noise": 0.1},
              drifts=[{"at": 1800, "width": 0, "to": {"variant": 2}}],
              contenders=[
                  {"name": "Frozen", "model": "sk.gaussian_nb", "policy": {"kind": "frozen"}},
                  {"name": "Periodic", "model": "sk.gaussian_nb",
                   "policy": {"kind": "periodic", "every": 500, "data": "window", "window": 800}},
                  {"name": "Online", "model": "river.logistic_regression",
                   "policy": {"kind": "online"}},
              ])
VARY = {EVERY: [400, 1000]}
EXACT = [f for f in FIGURES if f != "train_cpu_s"] + ["recovery_0", "max_drop_0",
                                                      "accuracy_seg_0", "accuracy_seg_1"]


def _plan(vary=VARY, seeds=2, base=BASE):
    return plan_sweep(parse_experiment(base), vary, seeds)


def _same_numbers(a: pd.DataFrame, b: pd.DataFrame) -> None:
    """Every figure but the measured CPU seconds is equal, row by row, in the same order."""
    keys = ["setting", EVERY, "seed", "contender", "status"]
    pd.testing.assert_frame_equal(a[keys].reset_index(drop=True), b[keys].reset_index(drop=True))
    pd.testing.assert_frame_equal(a[EXACT].reset_index(drop=True), b[EXACT].reset_index(drop=True),
                                  check_exact=True)


@pytest.fixture(scope="module")
def serial(tmp_path_factory):
    """The reference sweep, run in this process; its output folder."""
    out = tmp_path_factory.mktemp("serial")
    df = run_sweep(_plan(), out_dir=out, jobs=1)
    return df, out


# --------------------------------------------------------------------------------------------
# Same numbers as single runs, whoever runs them
# --------------------------------------------------------------------------------------------
@pytest.mark.slow
def test_sweep_equals_single_runs_and_worker_processes_agree(serial, tmp_path):
    df, out = serial
    assert df.attrs["complete"] and df.attrs["ran"] == 4 and df.attrs["reused"] == 0
    # rows: setting order, then seed, then contender order
    expected = [(s, every, seed, name) for s, every in enumerate([400, 1000])
                for seed in (5, 6) for name in ("Frozen", "Periodic", "Online")]
    assert list(df[["setting", EVERY, "seed", "contender"]].itertuples(index=False,
                                                                       name=None)) == expected
    assert (df["status"] == "ok").all()
    for (every, seed), group in df.groupby([EVERY, "seed"], sort=False):
        cfg = json.loads(json.dumps(BASE))
        cfg["seed"] = int(seed)
        cfg["contenders"][1]["policy"]["every"] = int(every)
        single = summarise(run_race(parse_experiment(cfg)))["contenders"]
        for row, c in zip(group.to_dict("records"), single):
            assert row["contender"] == c["name"]
            for f in FIGURES:  # the ledger's parts from c["cost"], the rest as named
                if f != "train_cpu_s":
                    assert row[f] == contender_figures(c)[f], (every, seed, c["name"], f)
            for col, value in [("recovery_0", c["recovery"][0]), ("max_drop_0", c["max_drop"][0])]:
                assert math.isnan(row[col]) if value is None else row[col] == value
            assert [row["accuracy_seg_0"], row["accuracy_seg_1"]] == c["accuracy_by_segment"]
    # the settings really differ (the periodic contender retrains more often with every=400)
    periodic = df[df["contender"] == "Periodic"]
    assert set(periodic[periodic[EVERY] == 400]["retrains"]) == {6}
    assert set(periodic[periodic[EVERY] == 1000]["retrains"]) == {2}
    # two worker processes (results arrive in any order) give the same rows in the same order
    parallel = run_sweep(_plan(), out_dir=tmp_path, jobs=2)
    assert parallel.attrs["runner"] == "2 local processes" and parallel.attrs["ran"] == 4
    _same_numbers(parallel, df)
    stored = {json.loads(p.read_text())["pid"] for p in (tmp_path / "runs").glob("*.json")}
    assert os.getpid() not in stored  # really ran elsewhere


def test_output_files(serial):
    df, out = serial
    assert sorted(p.name for p in out.iterdir()) == ["runs", "sweep.csv", "sweep.json",
                                                     "sweep_summary.csv"]
    on_disk = pd.read_csv(out / "sweep.csv")
    assert list(on_disk.columns) == [
        "setting", EVERY, "seed", "contender", "status", "accuracy", "retrains", "train_samples",
        "train_cpu_s", "mean_staleness", "max_staleness", "data_age_mean", "kappa", "kappa_m",
        "kappa_t",
        "balanced_accuracy", "macro_f1", "cost_compute", "cost_retrains", "cost_labels",
        "cost_errors", "cost_total", "recovery_0", "max_drop_0", "accuracy_seg_0",
        "accuracy_seg_1", "error"]
    _same_numbers(on_disk, df)
    summary = pd.read_csv(out / "sweep_summary.csv")
    assert len(summary) == 2 * 3 and {"accuracy_mean", "accuracy_ci_low", "accuracy_ci_high",
                                      "n_seeds", "mean_staleness_ci_high"} <= set(summary.columns)
    meta = json.loads((out / "sweep.json").read_text())
    assert meta["base"] == parse_experiment(BASE).to_dict()
    assert meta["vary"] == {EVERY: [400, 1000]} and meta["seeds"] == [5, 6]
    assert meta["n_runs"] == 4 and len(meta["settings"]) == 2
    keys = [r["key"] for s in meta["settings"] for r in s["runs"]]
    assert sorted(p.stem for p in (out / "runs").glob("*.json")) == sorted(keys)


@pytest.fixture(scope="module")
def cluster():
    """Two single-threaded Dask workers reached over TCP (so tasks and results are serialised).

    Worker threads rather than processes keep this test fast (a worker process pays about 3 s
    of imports); the test above already checks that other processes give the same numbers, and
    ``bench/sweep.py`` runs a process-based LocalCluster.
    """
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  protocol="tcp://", host="127.0.0.1",
                                  dashboard_address=None) as c:
        yield c


@pytest.mark.slow
def test_dask_cluster_gives_the_same_numbers(serial, cluster):
    df, _ = serial
    done = []
    on_dask = run_sweep(_plan(), scheduler=cluster.scheduler_address,
                        progress=lambda d, t: done.append((d, t)))
    assert on_dask.attrs["runner"].startswith("dask tcp://") and on_dask.attrs["complete"]
    assert done == [(0, 4), (1, 4), (2, 4), (3, 4), (4, 4)]
    _same_numbers(on_dask, df)


# --------------------------------------------------------------------------------------------
# Mean and confidence interval over seeds
# --------------------------------------------------------------------------------------------
def test_summary_means_and_confidence_intervals(serial):
    df, _ = serial
    summary = summarise_sweep(df)
    assert list(summary[["setting", EVERY, "contender"]].itertuples(index=False, name=None)) == [
        (s, e, c) for s, e in enumerate([400, 1000]) for c in ("Frozen", "Periodic", "Online")]
    for row in summary.to_dict("records"):
        seeds = df[(df["setting"] == row["setting"]) & (df["contender"] == row["contender"])]
        assert row["n_seeds"] == 2 and row["n_failed"] == 0
        for m in ("accuracy", "train_samples", "train_cpu_s", "retrains", "mean_staleness",
                  "data_age_mean"):
            values = seeds[m].to_numpy(dtype=float)
            assert row[f"{m}_mean"] == pytest.approx(values.mean(), rel=1e-12)
            assert row[f"{m}_ci_low"] <= row[f"{m}_mean"] <= row[f"{m}_ci_high"]
            if values.std() > 0:
                ref = stats.t.interval(0.95, 1, loc=values.mean(), scale=stats.sem(values))
                assert (row[f"{m}_ci_low"], row[f"{m}_ci_high"]) == pytest.approx(ref)
            else:  # every seed agrees (e.g. train_samples): the interval is the point
                assert row[f"{m}_ci_low"] == row[f"{m}_ci_high"] == row[f"{m}_mean"]
    # the two seeds' accuracies differ, so the accuracy interval has a width
    assert (summary["accuracy_ci_high"] > summary["accuracy_ci_low"]).all()


def test_confidence_interval_edge_cases():
    mean, low, high = confidence_interval([0.7, 0.8, 0.9, 0.85])
    ref = stats.t.interval(0.95, 3, loc=0.8125, scale=stats.sem([0.7, 0.8, 0.9, 0.85]))
    assert mean == pytest.approx(0.8125) and (low, high) == pytest.approx(ref)
    # one seed: the mean, and an undefined (NaN) interval; failed seeds (NaN) are left out
    assert confidence_interval([0.8])[0] == 0.8 and np.isnan(confidence_interval([0.8])[1:]).all()
    assert confidence_interval([0.8, np.nan])[0] == 0.8
    assert np.isnan(confidence_interval([])).all()


def test_one_seed_and_failed_contenders_in_the_summary():
    df = pd.DataFrame({"setting": [0, 0, 1, 1], "x": [1, 1, 2, 2], "seed": [5, 6, 5, 6],
                       "contender": ["a"] * 4, "status": ["ok", "failed", "ok", "ok"],
                       **{m: [1.0, np.nan, 2.0, 4.0] for m in FIGURES}})
    summary = summarise_sweep(df)
    first, second = summary.to_dict("records")
    assert (first["x"], first["n_seeds"], first["n_failed"]) == (1, 1, 1)
    assert first["accuracy_mean"] == 1.0 and math.isnan(first["accuracy_ci_low"])
    assert second["accuracy_mean"] == 3.0 and second["accuracy_ci_low"] < 3.0


def test_pareto_front_against_brute_force():
    rng = np.random.default_rng(0)
    df = pd.DataFrame({"train_samples_mean": rng.integers(0, 8, 60).astype(float),
                       "accuracy_mean": rng.integers(0, 8, 60) / 10})
    df.loc[3, "accuracy_mean"] = np.nan
    front = pareto_front(df)
    c, a = df["train_samples_mean"].to_numpy(), df["accuracy_mean"].to_numpy()
    for i in range(len(df)):
        dominated = ((c <= c[i]) & (a >= a[i]) & ((c < c[i]) | (a > a[i]))).any()
        assert front[i] == (not np.isnan(a[i]) and not dominated), i
    assert 1 <= front.sum() < 20


# --------------------------------------------------------------------------------------------
# Resume
# --------------------------------------------------------------------------------------------
def _copy_store(src: Path, dst: Path) -> None:
    (dst / "runs").mkdir(parents=True)
    for p in (src / "runs").glob("*.json"):
        (dst / "runs" / p.name).write_bytes(p.read_bytes())


@pytest.mark.slow
def test_resume_reruns_only_missing_tasks(serial, tmp_path):
    df, out = serial
    _copy_store(out, tmp_path)
    plan = _plan()
    deleted = [plan.tasks[1].key, plan.tasks[2].key]
    for key in deleted:
        (tmp_path / "runs" / f"{key}.json").unlink()
    (tmp_path / "runs" / f"{plan.tasks[3].key}.json").write_text("{broken")  # a torn file
    assert plan.stored(tmp_path) == {plan.tasks[0].key}
    calls = []
    again = run_sweep(plan, out_dir=tmp_path, jobs=1, progress=lambda d, t: calls.append((d, t)))
    assert calls == [(1, 4), (2, 4), (3, 4), (4, 4)]  # 1 reused, then the 3 that ran
    assert (again.attrs["reused"], again.attrs["ran"]) == (1, 3)
    _same_numbers(again, df)
    # the reused task keeps its stored (measured) CPU seconds
    assert again["train_cpu_s"].iloc[:3].tolist() == df["train_cpu_s"].iloc[:3].tolist()
    # everything stored now: nothing runs, nothing left to estimate
    calls.clear()
    third = run_sweep(plan, out_dir=tmp_path, progress=lambda d, t: calls.append((d, t)))
    assert calls == [(4, 4)] and third.attrs["ran"] == 0
    assert plan.estimate_seconds(jobs=2, out_dir=tmp_path) == 0.0
    # a record made with other library versions is not reused
    path = tmp_path / "runs" / f"{plan.tasks[0].key}.json"
    record = json.loads(path.read_text())
    record["versions"]["river"] = "0.0.1"
    path.write_text(json.dumps(record))
    assert plan.stored(tmp_path) == {t.key for t in plan.tasks[1:]}
    # a sweep of another base config in the same folder reuses nothing
    other = json.loads(json.dumps(BASE))
    other["stream"]["params"]["noise"] = 0.2
    other_plan = _plan(base=other, seeds=1)
    assert other_plan.stored(tmp_path) == set()


def test_interrupted_sweep_completes_without_redoing_work(serial, tmp_path):
    df, _ = serial
    plan = _plan()
    ran = []
    first = run_sweep(plan, out_dir=tmp_path, jobs=1,
                      progress=lambda d, t: ran.append(d), should_stop=lambda: len(ran) > 2)
    assert first.attrs["ran"] == 2 and not first.attrs["complete"] and len(first) == 2 * 3
    assert len(list((tmp_path / "runs").glob("*.json"))) == 2
    assert not (tmp_path / "sweep.csv").exists()  # only a complete sweep writes the tables
    # cancelled half-way through a race: that task is not stored
    polls = []

    def stop_in_the_first_race():
        polls.append(1)
        return len(polls) > 5  # 2 polls before the race, then 3 between its blocks

    cut = run_sweep(plan, out_dir=tmp_path, jobs=1, should_stop=stop_in_the_first_race)
    assert cut.attrs["ran"] == 0 and len(list((tmp_path / "runs").glob("*.json"))) == 2
    calls = []
    rest = run_sweep(plan, out_dir=tmp_path, jobs=1, progress=lambda d, t: calls.append(d))
    assert calls == [2, 3, 4] and rest.attrs["complete"]
    _same_numbers(rest, df)
    assert (tmp_path / "sweep.csv").exists()


def test_a_task_that_raises_is_reported_and_retried_not_stored(serial, tmp_path, monkeypatch):
    import lab.race.engine

    real = lab.race.engine.run_race

    def flaky(experiment, **kw):
        if experiment.seed == 6:
            raise MemoryError("simulated")
        return real(experiment, **kw)

    monkeypatch.setattr(lab.race.engine, "run_race", flaky)
    first = run_sweep(_plan(), out_dir=tmp_path, jobs=1)
    failed = first[first["seed"] == 6]
    assert len(failed) == 2 * 3 and (failed["status"] == "failed").all()
    assert failed["accuracy"].isna().all() and (failed["error"] == "MemoryError: simulated").all()
    assert (first[first["seed"] == 5]["status"] == "ok").all()
    assert len(list((tmp_path / "runs").glob("*.json"))) == 2
    monkeypatch.setattr(lab.race.engine, "run_race", real)
    second = run_sweep(_plan(), out_dir=tmp_path, jobs=1)
    assert (second.attrs["reused"], second.attrs["ran"]) == (2, 2)
    _same_numbers(second, serial[0])


@pytest.mark.slow
def test_killed_cli_sweep_resumes(tmp_path, capsys):
    """SIGKILL the CLI once the first task is stored; the same command then reuses it."""
    cfg = tmp_path / "base.json"
    cfg.write_text(json.dumps(BASE))
    out = tmp_path / "out"
    args = ["sweep", "--config", str(cfg), "--vary", f"{EVERY}=300,400,500", "--seeds", "2",
            "--out", str(out), "--jobs", "1", "--quiet"]
    proc = subprocess.Popen([sys.executable, "-m", "lab", *args], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while not list(out.glob("runs/*.json")) and time.monotonic() < deadline:
            assert proc.poll() is None, proc.stderr.read()
            time.sleep(0.02)
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    stored = len(list(out.glob("runs/*.json")))
    assert 1 <= stored < 6 and not (out / "sweep.csv").exists()
    assert main(args[:-1]) == 0
    assert f"{stored} reused from" in capsys.readouterr().out
    assert len(pd.read_csv(out / "sweep.csv")) == 6 * 3


# --------------------------------------------------------------------------------------------
# Planning, values, guard rails
# --------------------------------------------------------------------------------------------
def test_parse_vary():
    assert parse_vary("evaluation.label_delay=0,100, 500") == ("evaluation.label_delay",
                                                               [0, 100, 500])
    assert parse_vary("contenders[2].policy.detector=adwin,page_hinkley") == (
        "contenders[2].policy.detector", ["adwin", "page_hinkley"])
    assert parse_vary('x=true,null,0.5,"a,b",1e3') == ("x", [True, None, 0.5, "a,b", 1000.0])
    assert parse_vary('stream.drifts[0].to={"variant": 1, "noise": 0.2},{"variant": 2}') == (
        "stream.drifts[0].to", [{"variant": 1, "noise": 0.2}, {"variant": 2}])
    for bad in ["label_delay", "=1,2", "evaluation.label_delay=", "evaluation.label_delay=1,,2",
                "x={\"a\": 1"]:
        with pytest.raises(ConfigError, match="--vary"):
            parse_vary(bad)


def test_plan_grid_order_and_validation():
    plan = _plan({EVERY: [400, 1000], "evaluation.label_delay": [0, 50, 100]}, seeds=3)
    assert plan.n_runs == 2 * 3 * 3 and len(plan.settings) == 6
    assert [tuple(s.values.values()) for s in plan.settings] == [
        (400, 0), (400, 50), (400, 100), (1000, 0), (1000, 50), (1000, 100)]
    assert plan.settings[4].experiment.evaluation.label_delay == 50
    assert [t.seed for t in plan.tasks[:3]] == [5, 6, 7]
    assert len({t.key for t in plan.tasks}) == plan.n_runs
    assert plan.tasks[0].key == task_key({**plan.settings[0].experiment.to_dict(), "seed": 5})
    with pytest.raises(ConfigError) as err:
        _plan({EVERY: [400, 0]})
    message = str(err.value)
    assert message.startswith(f"{EVERY}: must be an integer >= 1") and "\n" not in message
    assert "sweep setting 2 of 2" in message and f"{EVERY}=0" in message
    with pytest.raises(ConfigError, match="evaluation.nope: unknown key"):
        _plan({"evaluation.nope": [1]})
    with pytest.raises(ConfigError, match="--seeds"):
        _plan(seeds=0)
    with pytest.raises(ConfigError, match="appears twice"):
        _plan({EVERY: [400, 400]})
    with pytest.raises(ConfigError, match="seed"):
        _plan({"seed": [1, 2]})


def test_estimate_of_two_online_trees_by_hand():
    """The cost model's arithmetic on a hand-computed case (lab.sweep.cost's table): drawing
    10,000 SEA samples at 3.6 µs, a Hoeffding tree and an adaptive random forest predicting and
    learning each of them at 38 and 1,864 µs, plus 0.05 s per task:
    (36,000 + 380,000 + 18,640,000) µs + 0.05 s = 19.106 s."""
    exp = parse_experiment({
        "seed": 1, "stream": {"source": "sea", "n_samples": 10_000},
        "evaluation": {"warmup": 1000, "window": 500, "step": 100},
        "contenders": [{"name": "T", "model": "river.hoeffding_tree", "policy": {"kind": "online"}},
                       {"name": "F", "model": "river.adaptive_random_forest",
                        "policy": {"kind": "online"}}]})
    assert estimate_task_seconds(exp) == pytest.approx(19.106, abs=1e-9)


def test_estimate_scales_with_the_work():
    small = parse_experiment(BASE)
    big = small.with_overrides({"stream.n_samples": 30000, "stream.drifts[0].at": 18000})
    assert 0 < estimate_task_seconds(small) < 2
    assert 5 < estimate_task_seconds(big) / estimate_task_seconds(small) < 15
    plan = _plan({EVERY: [400, 1000]}, seeds=4)
    one = plan.estimate_seconds(jobs=1)
    assert one == pytest.approx(8 * estimate_task_seconds(small), rel=0.1)
    # too little work to pay for starting workers; ten times more work does pay
    assert plan.estimate_seconds(jobs=2) > one
    plan = plan_sweep(big, VARY, seeds=4)
    assert plan.estimate_seconds(jobs=2) < 0.7 * plan.estimate_seconds(jobs=1)


# --------------------------------------------------------------------------------------------
# CLI
# --------------------------------------------------------------------------------------------
def test_cli_sweep_writes_the_tables(serial, tmp_path, capsys):
    df, _ = serial
    cfg = tmp_path / "base.json"
    cfg.write_text(json.dumps(BASE))
    out = tmp_path / "out"
    assert main(["sweep", "--config", str(cfg), "--vary", f"{EVERY}=400,1000", "--seeds", "2",
                 "--out", str(out), "--jobs", "1"]) == 0
    printed = capsys.readouterr().out
    assert "2 settings x 2 seeds = 4 runs: 0 reused" in printed and "Periodic" in printed
    _same_numbers(pd.read_csv(out / "sweep.csv"), df)
    assert len(pd.read_csv(out / "sweep_summary.csv")) == 6


@pytest.mark.parametrize("vary,needle", [
    ("every400", "has no '='"),
    (f"{EVERY}=", "has no values"),
    (f"{EVERY}=400,,800", "empty value"),
    (f"{EVERY}=400,0", "sweep setting 2 of 2"),
    ("evaluation.label_dealy=1,2", "evaluation.label_dealy: unknown key"),
])
def test_cli_sweep_bad_vary_exits_2_with_one_line(tmp_path, capsys, vary, needle):
    cfg = tmp_path / "base.json"
    cfg.write_text(json.dumps(BASE))
    code = main(["sweep", "--config", str(cfg), "--vary", vary, "--seeds", "2",
                 "--out", str(tmp_path / "out"), "--quiet"])
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("error: ") and err.count("\n") == 1 and needle in err
    assert "Traceback" not in err and not (tmp_path / "out").exists()


def test_cli_sweep_help_has_an_example(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["sweep", "--help"])
    assert exit_.value.code == 0 and "python -m lab sweep --preset" in capsys.readouterr().out
