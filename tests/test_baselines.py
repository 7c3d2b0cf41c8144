"""Baselines (issue 11, points 1 and 10): the no-change and majority models, evaluation.baselines,
beats_no_change in summary.json, the story's comparison, the CLI's rows and the app's toggle.

The reference figures are checked against river's own ``dummy`` learners fed the same samples,
and the no-change accuracy on the shipped Elec2 against the published 0.8533.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from test_app import story

from helpers import assert_clean, config, new_app
from lab.cli import main
from lab.learners import BASELINE_MODELS, MODELS, make_learner
from lab.plots.palette import BASELINE_DASHES
from lab.policies.base import NO_PREDICTION
from lab.race.engine import baseline_specs, run_race
from lab.race.kappa import reference_accuracy, reference_predictions
from lab.race.metrics import summarise
from lab.race.story import race_story
from lab.spec.errors import ConfigError
from lab.validate import json_schema, load_config, parse_experiment

ROOT = Path(__file__).resolve().parents[1]
ELEC = ROOT / "datasets" / "examples" / "elec.json"
NAMES = ["No-change baseline", "Majority baseline"]


def drifting(**evaluation) -> dict:
    return config("sea", n=3000, drifts=[{"at": 1800, "to": {"variant": 2}}],
                  contenders=[{"name": "Frozen", "model": "sk.decision_tree",
                               "policy": {"kind": "frozen"}},
                              {"name": "Online", "model": "river.gaussian_nb",
                               "policy": {"kind": "online"}}], **evaluation)


def river_loop(model, stream, warmup: int, delay: int) -> list:
    """Predictions of a bare river loop for samples ``[warmup, n)``: the warm-up learned at
    once, then the label of sample j learned just before sample j + delay + 1 is predicted."""
    xs, ys = stream.dicts(0, len(stream)), stream.y_list
    for x, y in zip(xs[:warmup], ys[:warmup]):
        model.learn_one(x, y)
    out = []
    for i in range(warmup, len(stream)):
        out.append(model.predict_one(xs[i]))
        j = i - delay
        if j >= warmup:
            model.learn_one(xs[j], ys[j])
    return out


# --------------------------------------------------------------------------------------------
# The models
# --------------------------------------------------------------------------------------------
def test_baseline_models_are_river_dummy_learners_that_predict_nothing_before_a_label():
    from river import dummy

    assert BASELINE_MODELS == ("baseline.no_change", "baseline.majority")
    for name, cls in zip(BASELINE_MODELS, (dummy.NoChangeClassifier, dummy.PriorClassifier)):
        info = MODELS[name]
        assert (info.library, info.incremental, info.param_names) == ("river", True, ())
        model = make_learner(name, {}, 0, [0, 1]).new()
        assert type(model) is cls
        assert model.predict_one({"a": 1.0}) is None  # the lab scores this as NO_PREDICTION
    learner = make_learner("baseline.majority", {}, 0, [0, 1, 2])
    model = learner.new()
    for y in (2, 1, 1, 2):  # a tie: river's PriorClassifier keeps the class it saw first
        model.learn_one({}, y)
    assert model.predict_one({}) == 2
    with pytest.raises(ConfigError, match=r"model.params.x: unknown key"):
        parse_experiment(config(contenders=[{"model": {"name": "baseline.no_change",
                                                       "params": {"x": 1}},
                                             "policy": {"kind": "online"}}]))


@pytest.mark.parametrize("delay", [0, 1, 7, 50])
def test_reference_figures_equal_river_dummy_learners_fed_the_same_samples(delay):
    from river import dummy

    exp = parse_experiment(drifting(label_delay=delay, baselines=True))
    result = run_race(exp)
    summary = summarise(result)
    refs = reference_predictions(result.stream.y, exp.evaluation.warmup, delay, result.n_done)
    runs = {run.name: run for run in result.contenders}
    for name, key, cls in zip(NAMES, ("no_change", "majority"),
                              (dummy.NoChangeClassifier, dummy.PriorClassifier)):
        bare = river_loop(cls(), result.stream, exp.evaluation.warmup, delay)
        predicted = runs[name].trace.predicted[exp.evaluation.warmup:]
        assert predicted.tolist() == bare == refs[key].tolist()
        row = next(c for c in summary["contenders"] if c["name"] == name)
        assert row["accuracy"] == pytest.approx(summary[f"{key}_accuracy"], abs=1e-12)
        assert row["accuracy_by_segment"] == pytest.approx(
            summary[f"{key}_accuracy_by_segment"], abs=1e-12)
    if delay == 0:  # the same no-change reference as kappa_t's
        for c in summary["contenders"][:2]:
            assert (c["kappa_t"] > 0) is c["beats_no_change"]


def test_majority_reference_breaks_ties_like_river_on_a_hand_made_sequence():
    from river import dummy

    y = np.array([3, 1, 1, 3, 2, 2, 2, 1, 3, 3, 1])
    got = reference_predictions(y, 1, 0, len(y))["majority"].tolist()
    model, expected = dummy.PriorClassifier(), []
    model.learn_one({}, 3)
    for label in y[1:].tolist():
        expected.append(model.predict_one({}))
        model.learn_one({}, label)
    assert got == expected == [3, 3, 1, 3, 3, 3, 2, 1, 3, 3]
    assert reference_accuracy(y, 5, 0, (), 5) == {
        "no_change_accuracy": None, "no_change_accuracy_by_segment": [None],
        "majority_accuracy": None, "majority_accuracy_by_segment": [None]}


def test_baselines_work_with_batch_and_mini_batch_policies():
    """Decision: the baselines are ordinary river models, so every policy takes them; frozen
    turns them into constants learned on the warm-up (the warm-up's last / majority label)."""
    cfg = config("sea", n=2000, contenders=[
        {"name": "Frozen no-change", "model": "baseline.no_change", "policy": {"kind": "frozen"}},
        {"name": "Frozen majority", "model": "baseline.majority", "policy": {"kind": "frozen"}},
        {"name": "Mini-batch majority", "model": "baseline.majority",
         "policy": {"kind": "minibatch", "size": 50}},
        {"name": "Periodic no-change", "model": "baseline.no_change",
         "policy": {"kind": "periodic", "every": 300}},
        {"name": "Hybrid no-change", "model": "baseline.no_change",
         "policy": {"kind": "hybrid", "every": 400, "window": 200}}])
    result = run_race(parse_experiment(cfg))
    assert [run.status for run in result.contenders] == ["ok"] * 5
    y, warmup = result.stream.y, 500
    frozen_nc, frozen_maj = (run.trace.predicted[warmup:] for run in result.contenders[:2])
    assert set(frozen_nc.tolist()) == {y[warmup - 1]}
    assert set(frozen_maj.tolist()) == {np.bincount(y[:warmup]).argmax()}
    assert NO_PREDICTION not in np.concatenate(
        [run.trace.predicted[warmup:] for run in result.contenders])


# --------------------------------------------------------------------------------------------
# Config and engine
# --------------------------------------------------------------------------------------------
def test_evaluation_baselines_is_an_optional_boolean_that_old_configs_do_not_write():
    plain = parse_experiment(config())
    assert plain.evaluation.baselines is None and baseline_specs(plain) == ()
    assert "baselines" not in plain.to_dict()["evaluation"]  # old configs normalise as before
    for value in (True, False):
        exp = parse_experiment(config(baselines=value))
        assert exp.to_dict()["evaluation"]["baselines"] is value
        assert parse_experiment(exp.to_dict()).to_dict() == exp.to_dict()
    with pytest.raises(ConfigError) as err:
        parse_experiment(config(baselines="yes"))
    assert str(err.value).startswith("evaluation.baselines: ") and "\n" not in str(err.value)
    schema = json_schema()["properties"]["evaluation"]["properties"]["baselines"]
    assert schema["type"] == "boolean" and schema["default"] is False
    assert "No-change baseline" in schema["description"]
    assert {"baseline.no_change", "baseline.majority"} <= set(json_schema()["$defs"]["models"])


def test_baselines_come_last_marked_with_names_that_never_collide():
    cfg = drifting(baselines=True)
    cfg["contenders"][0]["name"] = "No-change baseline"
    cfg["contenders"][1]["name"] = "No-change baseline (reference)"
    exp = parse_experiment(cfg)
    specs = baseline_specs(exp)
    assert [s.name for s in specs] == ["No-change baseline (reference 2)", "Majority baseline"]
    result = run_race(exp, snapshots=[1000])
    assert [run.baseline for run in result.contenders] == [False, False, True, True]
    assert set(result.snapshots) == {"No-change baseline", "No-change baseline (reference)"}
    summary = summarise(result)
    assert [c["baseline"] for c in summary["contenders"]] == [False, False, True, True]
    assert len({c["name"] for c in summary["contenders"]}) == 4


def test_baselines_change_no_number_of_the_contenders():
    without = summarise(run_race(parse_experiment(drifting())))
    with_ = summarise(run_race(parse_experiment(drifting(baselines=True))))
    assert [c["name"] for c in without["contenders"]] == ["Frozen", "Online"]
    assert [c["name"] for c in with_["contenders"]] == ["Frozen", "Online"] + NAMES
    for a, b in zip(without["contenders"], with_["contenders"]):
        a, b = dict(a), dict(b)
        a.pop("train_cpu_s"), b.pop("train_cpu_s")  # measured time
        assert a == b
    for key in ("no_change_accuracy", "majority_accuracy", "no_change_accuracy_by_segment"):
        assert without[key] == with_[key]


def test_beats_no_change_is_true_false_or_null():
    cfg = drifting()
    cfg["contenders"].append({"name": "Broken", "model": {"name": "sk.logistic_regression",
                                                          "params": {"solver": "newton-cg",
                                                                     "penalty": "l1"}},
                              "policy": {"kind": "frozen"}})
    summary = summarise(run_race(parse_experiment(cfg)))
    beats = {c["name"]: c["beats_no_change"] for c in summary["contenders"]}
    nc = summary["no_change_accuracy"]
    assert 0.4 < nc < 0.7  # SEA's labels barely repeat
    assert beats == {"Frozen": True, "Online": True, "Broken": None}
    assert all(c["baseline"] is False for c in summary["contenders"])
    # a stream whose labels repeat: the no-change baseline wins
    sticky = config("stagger", n=3000, contenders=[
        {"name": "Frozen", "model": "sk.gaussian_nb", "policy": {"kind": "frozen"}}])
    sticky["stream"]["params"] = {"classification_function": 2}
    exp = parse_experiment(sticky)
    result = run_race(exp)
    y = result.stream.y.copy()
    y[:] = np.repeat(np.arange(30) % 2, 100)  # long runs of one label
    result.stream.y = y
    for run in result.contenders:
        run.trace.correct[:] = run.trace.predicted == y
    summary = summarise(result)
    assert summary["no_change_accuracy"] > summary["contenders"][0]["accuracy"]
    assert summary["contenders"][0]["beats_no_change"] is False


# --------------------------------------------------------------------------------------------
# Elec2: the published figure and the example's story
# --------------------------------------------------------------------------------------------
def test_no_change_on_the_whole_of_elec2_is_the_published_0_8533():
    """river documents 0.8533 for NoChangeClassifier on Elec2 (45,312 samples, the first
    prediction skipped); the lab's whole stream after a one-sample warm-up gives the same."""
    exp = parse_experiment({"stream": {"source": "dataset:elec"},
                            "evaluation": {"warmup": 1, "step": 1000, "baselines": True},
                            "contenders": [{"name": "No-change", "model": "baseline.no_change",
                                            "policy": {"kind": "online"}}]})
    summary = summarise(run_race(exp))
    assert summary["n_samples"] == 45312
    assert round(summary["no_change_accuracy"], 4) == 0.8533
    own, reference = summary["contenders"][0], summary["contenders"][1]
    assert own["accuracy"] == reference["accuracy"] == summary["no_change_accuracy"]


@pytest.fixture(scope="module")
def elec_summary() -> dict:
    exp = load_config(ELEC).with_overrides({"evaluation.baselines": True})
    return summarise(run_race(exp))


@pytest.mark.slow
def test_on_elec2_no_contender_beats_no_change_and_the_story_says_so(elec_summary):
    s = elec_summary
    users = [c for c in s["contenders"] if not c["baseline"]]
    assert [c["name"] for c in users] == [c["name"] for c in
                                          json.loads(ELEC.read_text())["contenders"]]
    assert all(c["beats_no_change"] is False for c in users)
    assert all(c["kappa_t"] < 0 for c in users)  # the same verdict, label delay being 0
    assert max(c["accuracy"] for c in users) == pytest.approx(0.810, abs=0.002)
    assert s["no_change_accuracy"] == pytest.approx(0.8528, abs=1e-4)
    lines = [line.replace("\xa0", " ") for line in race_story(s)]
    overall = next(line for line in lines if line.startswith("**Overall**"))
    # never credited as "the most accurate" when a baseline beats it (lab.race.ties)
    assert overall.startswith("**Overall**: Online tree scores 81.0 %, but the no-change "
                              "baseline scores 85.3 %: on this stream predicting the previous "
                              "label beats every contender")
    assert "majority baseline scores 57.5 %" in overall
    for line in lines:  # the baselines are never ranked
        assert "**No-change baseline**" not in line and "**Majority baseline**" not in line


# --------------------------------------------------------------------------------------------
# The story
# --------------------------------------------------------------------------------------------
def story_summary(best: float, no_change: float | None, majority: float | None = 0.5,
                  baseline_rows: bool = True) -> dict:
    contenders = [
        {"name": "A", "baseline": False, "status": "ok", "error": None, "accuracy": best,
         "accuracy_by_segment": [best], "retrains": 0, "train_samples": 900},
        {"name": "B", "baseline": False, "status": "ok", "error": None, "accuracy": 0.6,
         "accuracy_by_segment": [0.6], "retrains": 2, "train_samples": 100}]
    if baseline_rows:
        contenders += [
            {"name": "No-change baseline", "baseline": True, "status": "ok", "error": None,
             "accuracy": 0.99, "accuracy_by_segment": [0.99], "retrains": 0,
             "train_samples": 5}]
    return {"drifts": [], "contenders": contenders, "no_change_accuracy": no_change,
            "majority_accuracy": majority,
            "config": {"evaluation": {"warmup": 0}, "stream": {"n_samples": 1000}}}


@pytest.mark.parametrize("no_change, words", [
    # a baseline that beats or matches the best contender: the story never credits it
    (0.90, "A scores 80.0 %, but the no-change baseline scores 90.0 %: on this stream predicting "
           "the previous label beats every contender (the majority baseline scores 50.0 %)."),
    (0.802, "A scores 80.0 %, level with the no-change baseline (80.2 %): on this stream no "
            "contender does clearly better than predicting the previous label (the majority "
            "baseline scores 50.0 %)."),
    (0.55, "**A** is the most accurate contender (80.0 %), ahead of the no-change (55.0 %) and "
           "majority (50.0 %) baselines; it trained on 900 samples"),
])
def test_the_story_sets_the_most_accurate_contender_against_the_baselines(no_change, words):
    lines = [line.replace("\xa0", " ") for line in race_story(story_summary(0.8, no_change))]
    assert len(lines) == 1  # no drifts: the whole stream is told once
    assert lines[0].startswith(f"**Over the whole stream**: {words}")
    assert "No-change baseline" not in lines[0]  # the 99 % baseline row is never ranked


def test_the_story_of_a_majority_stronger_than_the_contenders_and_of_an_old_summary():
    lines = race_story(story_summary(0.8, 0.3, majority=0.95, baseline_rows=False))
    assert ("but the majority baseline scores 95.0\xa0%: on this stream always predicting the "
            "most frequent class beats every contender (the no-change baseline scores "
            "30.0\xa0%)") in lines[-1]
    old = story_summary(0.8, None, majority=None, baseline_rows=False)
    assert race_story(old)[-1].startswith("**Over the whole stream**: **A** is the most "
                                          "accurate contender (80.0\xa0%); it trained on 900 "
                                          "samples")


# --------------------------------------------------------------------------------------------
# The command line
# --------------------------------------------------------------------------------------------
def test_cli_baselines_flag_adds_the_rows_below_the_contenders(tmp_path, capsys):
    path = tmp_path / "c.json"
    path.write_text(json.dumps(drifting()))
    assert main(["run", "--config", str(path), "--out", str(tmp_path / "plain")]) == 0
    plain = capsys.readouterr().out
    assert "baseline" not in plain.split("wrote")[0].replace("beats no-change", "")
    summary = json.loads((tmp_path / "plain" / "summary.json").read_text())
    assert [c["baseline"] for c in summary["contenders"]] == [False, False]
    assert "baselines" not in summary["config"]["evaluation"]

    assert main(["run", "--config", str(path), "--out", str(tmp_path / "b"), "--baselines"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split()[:4] == ["contender", "status", "accuracy", "beats"]
    assert [line.split()[0] for line in lines[1:3]] == ["Frozen", "Online"]
    assert lines[3] == "baselines (reference, not contenders):"
    assert lines[4].startswith("No-change baseline") and lines[5].startswith("Majority baseline")
    assert lines[4].split()[2:5] == ["ok", f"{summary['no_change_accuracy']:.3f}",
                                     "no"]  # no-change does not beat itself
    with_ = json.loads((tmp_path / "b" / "summary.json").read_text())
    assert with_["config"]["evaluation"]["baselines"] is True
    assert [c["name"] for c in with_["contenders"] if c["baseline"]] == NAMES
    config_back = json.loads((tmp_path / "b" / "config.json").read_text())
    assert parse_experiment(config_back).evaluation.baselines is True  # reproduces the run


def test_cli_exits_3_when_every_contender_fails_whatever_the_baselines_do(tmp_path, capsys):
    cfg = config(contenders=[{"name": "Broken", "model": {
        "name": "sk.logistic_regression", "params": {"solver": "newton-cg", "penalty": "l1"}},
        "policy": {"kind": "frozen"}}], baselines=True)
    path = tmp_path / "c.json"
    path.write_text(json.dumps(cfg))
    assert main(["run", "--config", str(path), "--out", str(tmp_path / "o")]) == 3
    assert "every contender failed (1 of 1)" in capsys.readouterr().err


# --------------------------------------------------------------------------------------------
# Figures and the app
# --------------------------------------------------------------------------------------------
def test_accuracy_figure_draws_baselines_as_thin_grey_reference_lines():
    from lab import plots
    from lab.race.metrics import timeline_frame

    result = run_race(parse_experiment(drifting(baselines=True)))
    timeline = timeline_frame(result)
    fig = plots.accuracy_figure(timeline, None, [{"at": 1800, "width": 0}], baselines=NAMES)
    lines = {t.name: t for t in fig.data if t.mode == "lines"}
    assert list(lines)[:2] == ["Frozen", "Online"]
    for name, dash in zip(NAMES, BASELINE_DASHES):
        line = lines[name].line
        assert (line.color, line.dash) == (plots.BASELINE_COLOR, dash)
        assert line.width < lines["Online"].line.width
        assert lines[name].showlegend is not False
    # the contenders keep the colours they have without baselines
    alone = plots.accuracy_figure(timeline[~timeline["contender"].isin(NAMES)], None, [])
    assert [t.line.color for t in alone.data if t.mode == "lines"] == [
        lines["Frozen"].line.color, lines["Online"].line.color]
    assert plots.BASELINE_COLOR not in plots.PALETTE


def accuracy_traces(at) -> dict:
    specs = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    spec = next(s for s in specs if "Rolling accuracy" in json.dumps(s["layout"].get("title")))
    return {t.get("name"): t for t in spec["data"] if t.get("mode") == "lines"}


@pytest.mark.slow
def test_app_shows_baselines_by_default_and_the_toggle_turns_them_off():
    from lab.presets import load_preset
    from ui.urls import decode_config, encode_config

    assert new_app().toggle(key="baselines").value is True  # a plain visit: on
    # a link whose config does not mention baselines (written before the key) gets them too
    small = load_preset("default").with_overrides({"stream.n_samples": 6000,
                                                   "stream.drifts[0].at": 3000,
                                                   "stream.drifts[1].at": 4500,
                                                   "stream.drifts[1].width": 1000}).to_dict()
    assert "baselines" not in small["evaluation"]
    at = new_app(config=encode_config(small))  # a link runs at once
    assert_clean(at)
    assert at.toggle(key="baselines").value is True
    traces = accuracy_traces(at)
    for name in NAMES:
        assert traces[name]["line"]["dash"] in BASELINE_DASHES
        assert traces[name]["line"]["color"] == "#8c8c8c"
    assert any("4 contenders (+ 2 baselines)" in c.value for c in at.caption)
    assert "is the most accurate contender" in story(at)
    assert "ahead of the no-change (" in story(at)  # blobs2d: labels do not repeat
    query = at.query_params["config"]
    cfg = decode_config(query[0] if isinstance(query, list) else query)
    assert cfg["evaluation"]["baselines"] is True

    at.toggle(key="baselines").set_value(False).run()
    at.button(key="run").click().run()
    assert_clean(at)
    assert not set(NAMES) & set(accuracy_traces(at))
    query = at.query_params["config"]
    cfg = decode_config(query[0] if isinstance(query, list) else query)
    assert cfg["evaluation"]["baselines"] is False  # the link keeps them off
    reopened = new_app(config=query[0] if isinstance(query, list) else query)
    assert reopened.toggle(key="baselines").value is False


def test_references_under_a_label_plan_are_the_baselines_the_race_ran():
    """Half the labels bought, each an exponential ~100 samples late: the summary's reference
    figures (which the story quotes and ``beats_no_change`` uses) are the baseline rows' own,
    and both equal river's dummy learners fed the bought labels in arrival order. (With the
    fixed-delay rule the story once said "no-change scores 85.3 %" over a row of 52.6 %.)"""
    from river import dummy

    from lab.policies.label_plan import LabelPlan
    from lab.race.ties import noise_from_result

    labels = {"share": 0.5, "strategy": "uniform", "delay": "exponential", "delay_mean": 100}
    exp = parse_experiment(drifting(baselines=True, labels=labels))
    result = run_race(exp)
    summary = summarise(result)
    warmup, y = exp.evaluation.warmup, result.stream.y
    steps, samples = LabelPlan.of(exp.evaluation, len(y), exp.seed).schedule()
    xs, ys = result.stream.dicts(0, len(y)), result.stream.y_list
    fixed = reference_accuracy(y, warmup, exp.evaluation.label_delay, (), result.n_done)
    noise = noise_from_result(result, summary)
    runs = {run.name: run for run in result.contenders}
    for name, key, cls in zip(NAMES, ("no_change", "majority"),
                              (dummy.NoChangeClassifier, dummy.PriorClassifier)):
        model, bare, k = cls(), [], 0
        for x, label in zip(xs[:warmup], ys[:warmup]):
            model.learn_one(x, label)
        for i in range(warmup, len(y)):
            bare.append(model.predict_one(xs[i]))
            while k < len(steps) and steps[k] == i:  # labels arriving after predicting i
                model.learn_one(xs[samples[k]], ys[samples[k]])
                k += 1
        assert runs[name].trace.predicted[warmup:].tolist() == bare
        row = next(c for c in summary["contenders"] if c["name"] == name)
        assert row["accuracy"] == pytest.approx(summary[f"{key}_accuracy"], abs=1e-12)
        assert noise.correct[key].tolist() == runs[name].trace.correct[:result.n_done].tolist()
    # the fixed-delay rule gives other figures here, so the rows above tell the two apart
    assert [summary[f"{k}_accuracy"] for k in ("no_change", "majority")] != [
        fixed[f"{k}_accuracy"] for k in ("no_change", "majority")]
    for c in summary["contenders"][:2]:
        assert c["beats_no_change"] is (c["accuracy"] > summary["no_change_accuracy"])
