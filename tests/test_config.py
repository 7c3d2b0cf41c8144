"""Bad configs end in one clear line naming the key and the fix; the loader never crashes."""

from __future__ import annotations

import copy
import json
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers import config
from lab.spec.errors import ConfigError
from lab.spec.experiment import set_path
from lab.validate import json_schema, loads_config, parse_experiment

ROOT = __import__("pathlib").Path(__file__).resolve().parents[1]


def _with(path, value, base=None):
    cfg = copy.deepcopy(base or config(drifts=[{"at": 1500, "to": {"variant": 1}}], contenders=[
        {"name": "Frozen", "model": "sk.logistic_regression", "policy": {"kind": "frozen"}},
        {"name": "Periodic", "model": "sk.decision_tree",
         "policy": {"kind": "periodic", "every": 500}},
    ]))
    set_path(cfg, path, value)
    return cfg


BAD = [
    # (path, value, words the message must contain)
    ("stream.source", "nope", ["stream.source", "sea", "agrawal"]),
    ("stream.source", "csv:data.csv", ["stream.source", "data.csv", "does not exist"]),
    ("stream.source", "dataset:nope", ["stream.source", "unknown data set", "dataset:elec"]),
    ("stream.n_samples", 0, ["stream.n_samples", ">= 1"]),
    ("stream.n_samples", -5, ["stream.n_samples"]),
    ("stream.n_samples", "many", ["stream.n_samples", "integer"]),
    ("stream.params.variant", 9, ["stream.params.variant", "<= 3"]),
    ("stream.params.colour", 1, ["stream.params.colour", "unknown key", "variant"]),
    ("stream.drifts[0].at", 3000, ["stream.drifts[0].at", "inside the stream"]),
    ("stream.drifts[0].at", 0, ["stream.drifts[0].at"]),
    ("stream.drifts[0].width", 5000, ["stream.drifts[0].width", "end"]),
    ("stream.drifts[0].speed", 1, ["stream.drifts[0].speed", "unknown key", "width"]),
    ("stream.label_noise", 0.9, ["stream.label_noise", "0.5"]),
    ("evaluation.warmup", 3000, ["evaluation.warmup", "past the stream's end"]),
    ("evaluation.warmup", 0, ["evaluation.warmup", ">= 1"]),
    ("evaluation.window", 0, ["evaluation.window"]),
    ("evaluation.step", -1, ["evaluation.step"]),
    ("evaluation.label_delay", -3, ["evaluation.label_delay"]),
    ("evaluation.speed", 3, ["evaluation.speed", "unknown key", "warmup"]),
    ("contenders[0].model", "sk.magic", ["contenders[0].model", "unknown model",
                                         "sk.logistic_regression"]),
    ("contenders[0].model", {"name": "sk.sgd", "params": {"nope": 1}},
     ["contenders[0].model.params.nope", "unknown key"]),
    ("contenders[0].policy.kind", "sometimes", ["contenders[0].policy.kind", "frozen"]),
    ("contenders[0].policy.kind", "online", ["contenders[0].policy.kind", "incremental",
                                             "river.hoeffding_tree"]),
    ("contenders[1].policy.every", 0, ["contenders[1].policy.every", ">= 1"]),
    ("contenders[1].policy.data", "some", ["contenders[1].policy.data", "window"]),
    ("contenders[1].policy.detector", "adwin", ["contenders[1].policy.detector", "unknown key"]),
    ("contenders[1].policy.half_life", 0, ["contenders[1].policy.half_life"]),
    ("contenders[1].name", "Frozen", ["contenders[1].name", "used twice"]),
    ("contenders[1].name", "", ["contenders[1].name"]),
    ("contenders", [], ["contenders", "non-empty"]),
    ("seed", -1, ["seed"]),
    ("seed", 1.5, ["seed", "integer"]),
    ("colour", "red", ["colour", "unknown key", "contenders"]),
]


@pytest.mark.parametrize("path,value,words", BAD, ids=[f"{p}={v}" for p, v, _ in BAD])
def test_bad_values_name_the_key_and_the_fix(path, value, words):
    with pytest.raises(ConfigError) as info:
        parse_experiment(_with(path, value))
    message = str(info.value)
    assert "\n" not in message
    for word in words:
        assert word in message, message


def test_overlapping_drifts_and_decay_without_weights_are_refused():
    cfg = _with("stream.drifts", [{"at": 1000, "width": 800}, {"at": 1500}])
    with pytest.raises(ConfigError, match=r"stream.drifts\[1\].at: starts at 1500, before"):
        parse_experiment(cfg)
    cfg = _with("contenders[1]", {"name": "k", "model": "river.knn",
                                  "policy": {"kind": "periodic", "data": "decay"}})
    with pytest.raises(ConfigError, match="sample weights"):
        parse_experiment(cfg)


def test_broken_json_names_line_and_column():
    with pytest.raises(ConfigError, match=r"broken JSON at line 2 column 1"):
        loads_config('{"seed": 1,\n}')


def test_normalised_config_round_trips():
    exp = parse_experiment(config(contenders=[
        {"name": "t", "model": {"name": "river.hoeffding_tree", "params": {"grace_period": 50}},
         "policy": {"kind": "triggered", "detector": "ddm"}}]))
    data = exp.to_dict()
    assert data["contenders"][0]["policy"] == {
        "kind": "triggered", "detector": "ddm", "detector_params": {}, "react_to": "degradation",
        "window": 1000,
        "min_gap": 500, "follow_up": True, "retrain_latency": 0}
    assert parse_experiment(json.loads(exp.to_json())) == exp


def test_schema_lists_every_policy_and_model():
    schema = json_schema()
    kinds = [p["properties"]["kind"]["const"]
             for p in schema["properties"]["contenders"]["items"]["properties"]["policy"]["oneOf"]]
    assert kinds == ["frozen", "periodic", "triggered", "online", "minibatch", "hybrid",
                     "oracle"]
    assert "river.adaptive_random_forest" in schema["$defs"]["models"]


# -- fuzzing ---------------------------------------------------------------------------------
json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-10**6, 10**12) | st.floats(allow_nan=True)
    | st.text(max_size=12),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10),
                                                                      children, max_size=4),
    max_leaves=12,
)
PATHS = ["seed", "stream", "stream.source", "stream.n_samples", "stream.params",
         "stream.params.variant", "stream.params.noise", "stream.drifts", "stream.drifts[0]",
         "stream.drifts[0].at", "stream.drifts[0].width", "stream.drifts[0].to",
         "stream.label_noise", "evaluation", "evaluation.warmup", "evaluation.window",
         "evaluation.label_delay", "evaluation.step", "contenders", "contenders[0]",
         "contenders[0].name", "contenders[0].model", "contenders[0].policy",
         "contenders[0].policy.kind", "contenders[1].policy.every", "contenders[1].policy.data",
         "contenders[1].policy.window", "contenders[1].model"]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutations=st.lists(st.tuples(st.sampled_from(PATHS), json_values), min_size=1,
                          max_size=3))
@pytest.mark.slow
def test_fuzzed_configs_either_parse_or_raise_config_error(mutations):
    cfg = _with("seed", 1)
    for path, value in mutations:
        try:
            set_path(cfg, path, value)
        except ConfigError:
            pass
    try:
        parse_experiment(cfg)
    except ConfigError as exc:
        assert str(exc) and "\n" not in str(exc)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80) | json_values.map(json.dumps))
@pytest.mark.slow
def test_fuzzed_text_either_parses_or_raises_config_error(text):
    try:
        loads_config(text)
    except ConfigError as exc:
        assert str(exc)


# -- CLI -------------------------------------------------------------------------------------
def _cli(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "lab", *args], capture_output=True, text=True,
                          cwd=cwd, timeout=120)


@pytest.mark.parametrize("content,words", [
    ("{not json", ["broken JSON", "line 1"]),
    (json.dumps(_with("stream.n_samples", 0)), ["stream.n_samples"]),
    (json.dumps(_with("contenders[0].policy.kind", "online")), ["incremental"]),
    (json.dumps(_with("evaluation.warmup", 10**6)), ["evaluation.warmup"]),
    (json.dumps(_with("stream.drifts[0].at", 10**6)), ["stream.drifts[0].at"]),
])
def test_cli_exits_2_with_one_line_and_no_traceback(tmp_path, content, words, capsys):
    from lab.cli import main

    path = tmp_path / "bad.json"
    path.write_text(content)
    for command in (["validate", "--config", str(path)],
                    ["run", "--config", str(path), "--out", str(tmp_path / "out")]):
        assert main(command) == 2
        err = capsys.readouterr().err
        assert err.startswith("error: ") and err.count("\n") == 1
        for word in words:
            assert word in err


@pytest.mark.slow
def test_cli_in_a_real_process_exits_2_without_traceback(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(_with("contenders[1].policy.every", -4)))
    proc = _cli("run", "--config", str(path), "--out", str(tmp_path / "out"))
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert proc.stderr == ("error: contenders[1].policy.every: must be an integer >= 1, got -4. "
                           "Fix: use a positive number of samples, e.g. 2000\n")


def test_cli_missing_file_and_unknown_preset(tmp_path, capsys):
    from lab.cli import main

    assert main(["validate", "--config", str(tmp_path / "none.json")]) == 2
    assert "does not exist" in capsys.readouterr().err
    assert main(["run", "--preset", "nope", "--out", str(tmp_path)]) == 2
    assert "default" in capsys.readouterr().err
