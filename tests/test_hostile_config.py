"""Hostile configs (issue 10): every bound is checked before anything is built or read, and
every refusal is one short, printable line naming the key.

Each test here is a case that once passed validation and then exhausted memory, overflowed,
hung, or failed later with a cryptic message.
"""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers import config
from lab.spec.errors import ConfigError
from lab.spec.experiment import MAX_DRIFTS, MAX_TIMELINE_ROWS, set_path
from lab.validate import json_schema, load_config, parse_experiment

ROOT = __import__("pathlib").Path(__file__).resolve().parents[1]


def _with(changes: dict, base: dict | None = None) -> dict:
    cfg = copy.deepcopy(base or config())
    for path, value in changes.items():
        set_path(cfg, path, value)
    return cfg


def _refused(changes: dict, *words: str) -> str:
    """The one-line message for a config with ``changes``; it must contain ``words``."""
    with pytest.raises(ConfigError) as info:
        parse_experiment(_with(changes))
    message = str(info.value)
    assert "\n" not in message and len(message) < 400, message
    assert message.isprintable(), message
    for word in words:
        assert word in message, message
    return message


def _contender(model, policy=None) -> dict:
    return {"name": "c", "model": model, "policy": policy or {"kind": "online"}}


# -- generator sizes: refused before anything is allocated ----------------------------------
# One process under the memory cap checks every case (each timed on its own, after the
# libraries are imported), so the five cases pay for one interpreter and one import of the
# libraries, not five. A case that does allocate dies with a MemoryError under the cap: the
# probe records it for that case (and stops, as the process would have), so its test fails.
_MEMORY_PROBE = textwrap.dedent("""
    import json, resource, sys, time
    resource.setrlimit(resource.RLIMIT_AS, (2 * 1024**3, 2 * 1024**3))
    from lab.spec.errors import ConfigError
    from lab.validate import parse_experiment
    for plain in json.loads(sys.argv[2]):
        parse_experiment(plain)  # imports the libraries: not what is timed
    for cfg in json.loads(sys.argv[1]):
        start = time.perf_counter()
        try:
            parse_experiment(cfg)
        except ConfigError as exc:
            result = {"error": str(exc), "seconds": time.perf_counter() - start}
        except MemoryError as exc:
            print(json.dumps({"error": None, "crash": repr(exc)[:300]}), flush=True)
            break
        else:
            result = {"error": None}
        print(json.dumps(result), flush=True)
""")
_HUGE_SIZES = [
    ("rbf", {"n_centroids": 10**7}, "stream.params.n_centroids"),
    ("rbf", {"n_features": 10**7}, "stream.params.n_features"),
    ("rbf", {"n_classes": 10**9}, "stream.params.n_classes"),
    ("hyperplane", {"n_features": 10**7}, "stream.params.n_features"),
    ("hyperplane", {"n_drift_features": 10**7}, "stream.params.n_drift_features"),
]


@pytest.fixture(scope="module")
def memory_probe():
    """``(process, one result per case of _HUGE_SIZES)`` from one capped process."""
    huge = [config(source=source, params=params) for source, params, _ in _HUGE_SIZES]
    plain = [config(source=source) for source in dict.fromkeys(s for s, _, _ in _HUGE_SIZES)]
    proc = subprocess.run([sys.executable, "-c", _MEMORY_PROBE, json.dumps(huge),
                           json.dumps(plain)], capture_output=True, text=True, timeout=120)
    return proc, [json.loads(line) for line in proc.stdout.splitlines()]


@pytest.mark.slow
@pytest.mark.parametrize("case", range(len(_HUGE_SIZES)),
                         ids=[f"{s}-params{i}-{k}" for i, (s, _, k) in enumerate(_HUGE_SIZES)])
def test_huge_generator_sizes_fail_fast_under_a_memory_cap(memory_probe, case):
    """Once 5.4 GB and a MemoryError in validation; now one line in well under a second,
    in a process that may not use more than 2 GB."""
    proc, results = memory_probe
    key = _HUGE_SIZES[case][2]
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert case < len(results), (proc.stdout[-2000:], proc.stderr[-2000:])
    result = results[case]
    assert result["error"] and result["error"].startswith(key), result
    assert result["seconds"] < 1.0, result


def test_rbf_size_is_capped_as_a_product_of_centroids_and_features():
    message = _refused({"stream.source": "rbf",
                        "stream.params": {"n_centroids": 1000, "n_features": 200}},
                       "stream.params.n_centroids", "more than 20,000", "at most 100 centroids")
    assert "200,000" in message


def test_drift_targets_are_bounded_too():
    """A drift's ``to`` goes through the same ranges as ``stream.params``."""
    _refused({"stream.source": "hyperplane",
              "stream.drifts": [{"at": 1000, "to": {"n_features": 10**6}}]},
             "stream.drifts[0].to.n_features", "<= 200")


@pytest.mark.parametrize("value", [-3, 1e308, 1.5])
def test_noise_outside_zero_one_is_refused(value):
    _refused({"stream.params": {"noise": value}}, "stream.params.noise", ">= 0 and <= 1")


def test_every_generator_parameter_has_a_documented_range():
    schema = json_schema()["$defs"]["generator_params"]
    from lab.data.generators import GENERATORS

    for name, info in GENERATORS.items():
        props = schema[name]["properties"]
        assert set(props) == set(info.defaults)
        for key, prop in props.items():
            if prop["type"] != "boolean":
                assert "minimum" in prop or "exclusiveMinimum" in prop, (name, key)
                assert "maximum" in prop, (name, key)
    assert schema["rbf"]["properties"]["n_centroids"]["maximum"] == 1000
    assert schema["hyperplane"]["properties"]["n_features"]["maximum"] == 200


def test_rbf_without_movement_gives_the_same_samples_as_river():
    """Skipping river's centroid moves at change_speed 0 must not change a single sample."""
    from river.datasets import synth

    from lab.data.generators import GENERATORS

    params = {**GENERATORS["rbf"].defaults, "n_centroids": 7, "n_drift_centroids": 5}
    ours = GENERATORS["rbf"].build(params, 3).draw(50)
    theirs = list(synth.RandomRBFDrift(**params, seed_sample=3).take(50))
    assert np.array_equal(ours[0], np.array([list(x.values()) for x, _ in theirs]))
    assert ours[1].tolist() == [y for _, y in theirs]


# -- drifts and concepts ---------------------------------------------------------------------
def test_more_than_max_drifts_is_refused_and_the_schema_says_so():
    n = 20_000
    drifts = [{"at": 100 + 10 * k} for k in range(MAX_DRIFTS + 1)]
    _refused({"stream.n_samples": n, "stream.drifts": drifts}, "stream.drifts", "101 drifts",
             "at most 100")
    ok = _with({"stream.n_samples": n, "stream.drifts": drifts[:MAX_DRIFTS]})
    assert len(parse_experiment(ok).stream.drifts) == MAX_DRIFTS
    assert json_schema()["properties"]["stream"]["properties"]["drifts"]["maxItems"] == MAX_DRIFTS


def test_32768_concepts_cannot_be_configured_and_would_not_overflow():
    """Validation allows at most 101 concepts; the concept column still never wraps around."""
    from lab.data.stream import assign_concepts
    from lab.spec.experiment import Drift

    n = 40_000
    drifts = [Drift(k + 1, 0, {}) for k in range(n - 1)]
    concept = assign_concepts(n, drifts, list(range(1, n)), np.random.default_rng(0))
    assert concept.dtype == np.int32
    assert concept[-1] == n - 1 and concept.min() == 0 and np.all(np.diff(concept) == 1)
    small = assign_concepts(10, [Drift(5, 0, {})], [1], np.random.default_rng(0))
    assert small.dtype == np.int16


# -- timeline rows ---------------------------------------------------------------------------
def test_step_that_makes_too_many_timeline_rows_names_the_smallest_step():
    message = _refused({"stream.n_samples": 10**7, "evaluation.step": 1}, "evaluation.step",
                       f"more than {MAX_TIMELINE_ROWS:,}", "at least 500")
    assert "9,999,500" in message
    fine = parse_experiment(_with({"stream.n_samples": 10**7, "evaluation.step": 500}))
    from lab.race.engine import recording_points

    assert len(recording_points(10**7, fine.evaluation.warmup, 500)) <= MAX_TIMELINE_ROWS


@pytest.mark.parametrize("n,warmup,step", [(1050, 500, 200), (1000, 500, 100), (7, 1, 3),
                                           (10**6, 999, 7), (5, 4, 100)])
def test_timeline_row_count_matches_the_engine(n, warmup, step):
    from lab.race.engine import recording_points
    from lab.validate import timeline_rows

    assert timeline_rows(n, warmup, step) == len(recording_points(n, warmup, step))


# -- model parameters ------------------------------------------------------------------------
@pytest.mark.parametrize("model,policy,words", [
    ({"name": "sk.decision_tree", "params": {"max_depth": -3}}, {"kind": "frozen"},
     ["contenders[0].model.params.max_depth", "<= 64"]),
    ({"name": "sk.random_forest", "params": {"n_estimators": 10**9}}, {"kind": "frozen"},
     ["contenders[0].model.params.n_estimators", "<= 500"]),
    ({"name": "sk.random_forest", "params": {"n_jobs": -1}}, {"kind": "frozen"},
     ["contenders[0].model.params.n_jobs", ">= 1"]),
    ({"name": "sk.decision_tree", "params": {"min_samples_split": -1}}, {"kind": "frozen"},
     ["contenders[0].model.params.min_samples_split", "must be an int in the range"]),
    ({"name": "sk.logistic_regression", "params": {"solver": "quantum"}}, {"kind": "frozen"},
     ["contenders[0].model.params.solver", "quantum"]),
    ({"name": "sk.hist_gradient_boosting", "params": {"max_iter": 10**6}}, {"kind": "frozen"},
     ["contenders[0].model.params.max_iter", "<= 1,000"]),
    ({"name": "sk.decision_tree", "params": {"random_state": None}}, {"kind": "frozen"},
     ["contenders[0].model.params.random_state", "experiment's seed"]),
    ({"name": "river.logistic_regression", "params": {"lr": "fast"}}, {"kind": "online"},
     ["contenders[0].model.params.lr", "must be a number", '"fast"']),
    ({"name": "river.logistic_regression", "params": {"optimizer": "adam"}}, {"kind": "online"},
     ["contenders[0].model.params.optimizer", "lr"]),
    ({"name": "river.hoeffding_tree", "params": {"leaf_prediction": "magic"}},
     {"kind": "online"}, ["contenders[0].model.params.leaf_prediction", "nba"]),
    ({"name": "river.hoeffding_tree", "params": {"grace_period": "x"}}, {"kind": "online"},
     ["contenders[0].model.params.grace_period", "integer"]),
    ({"name": "river.adaptive_random_forest", "params": {"n_models": 10**9}},
     {"kind": "online"}, ["contenders[0].model.params.n_models", "<= 100"]),
    ({"name": "river.adaptive_random_forest", "params": {"seed": -1}}, {"kind": "online"},
     ["contenders[0].model.params.seed", ">= 0"]),
    ({"name": "river.adaptive_random_forest", "params": {"max_features": "all"}},
     {"kind": "online"}, ["contenders[0].model.params.max_features", "sqrt"]),
    ({"name": "river.knn", "params": {"n_neighbors": 10**6}}, {"kind": "online"},
     ["contenders[0].model.params.n_neighbors", "<= 200"]),
])
def test_model_params_are_checked_by_validate(model, policy, words):
    _refused({"contenders": [_contender(model, policy)]}, *words)


def test_lr_fast_fails_in_the_cli_validate_not_in_the_run(tmp_path, capsys):
    from lab.cli import main

    path = tmp_path / "lr.json"
    path.write_text(json.dumps(_with({"contenders": [_contender(
        {"name": "river.logistic_regression", "params": {"lr": "fast"}})]})))
    assert main(["validate", "--config", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "contenders[0].model.params.lr" in err
    assert "has no attribute" not in err


def test_good_model_params_still_validate_and_keep_their_values():
    exp = parse_experiment(_with({"contenders": [
        _contender({"name": "sk.random_forest",
                    "params": {"n_estimators": 20, "max_depth": None, "random_state": 3}},
                   {"kind": "frozen"}),
        {"name": "d", "model": {"name": "river.adaptive_random_forest",
                                "params": {"n_models": 3, "max_features": 0.5, "seed": 1}},
         "policy": {"kind": "online"}},
        {"name": "e", "model": {"name": "river.logistic_regression", "params": {"lr": 0.05}},
         "policy": {"kind": "online"}},
    ]}))
    assert exp.contenders[0].model.params == {"n_estimators": 20, "max_depth": None,
                                              "random_state": 3}
    assert exp.contenders[1].model.params["max_features"] == 0.5


def test_every_river_parameter_has_a_rule():
    from lab.learners import MODELS, model_param_rules

    for name in MODELS:
        if MODELS[name].library == "river":
            assert set(MODELS[name].param_names) <= set(model_param_rules(name)), name


# -- detector parameters ---------------------------------------------------------------------
@pytest.mark.parametrize("detector,params,words", [
    ("kswin", {"window_size": 10**9}, ["detector_params.window_size", "<= 10,000"]),
    ("kswin", {"window_size": 20, "stat_size": 30}, ["detector_params", "stat_size"]),
    ("kswin", {"alpha": 2}, ["detector_params.alpha"]),
    ("adwin", {"max_buckets": 10**9}, ["detector_params.max_buckets", "<= 100"]),
    ("adwin", {"delta": "small"}, ["detector_params.delta", "number"]),
    ("page_hinkley", {"alpha": 5}, ["detector_params.alpha", "<= 1"]),
    ("page_hinkley", {"mode": "sideways"}, ["detector_params.mode", "both"]),
    ("eddm", {"alpha": 0.5, "beta": 0.9}, ["detector_params", "beta"]),
    ("ddm", {"warm_start": -1}, ["detector_params.warm_start", ">= 1"]),
    ("hddm_w", {"lambda_val": 0}, ["detector_params.lambda_val", "> 0"]),
])
def test_detector_params_are_checked_by_validate(detector, params, words):
    policy = {"kind": "triggered", "detector": detector, "detector_params": params}
    _refused({"contenders": [_contender("sk.decision_tree", policy)]},
             "contenders[0].policy.", *words)


def test_detector_seed_cannot_be_set():
    policy = {"kind": "triggered", "detector": "kswin", "detector_params": {"seed": None}}
    _refused({"contenders": [_contender("sk.decision_tree", policy)]},
             "contenders[0].policy.detector_params.seed", "unknown key")


# -- config files ----------------------------------------------------------------------------
def test_fifo_config_is_refused_without_blocking(tmp_path):
    fifo = tmp_path / "config.fifo"
    os.mkfifo(fifo)
    code = ("from lab.spec.errors import ConfigError\nfrom lab.validate import "
            f"load_config\ntry:\n    load_config({str(fifo)!r})\n"
            f"except ConfigError as e:\n    print(e)")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=30)  # open() on a FIFO without a writer would block forever
    assert "not a regular file" in proc.stdout, proc.stdout + proc.stderr


@pytest.mark.parametrize("path,words", [("/dev/zero", ["not a regular file"]),
                                        ("/dev/null", ["not a regular file"])])
def test_device_config_is_refused(path, words):
    if not os.path.exists(path):
        pytest.skip(f"no {path} here")
    with pytest.raises(ConfigError) as info:
        load_config(path)
    for word in words:
        assert word in str(info.value)


def test_folder_and_oversized_config_are_refused(tmp_path):
    with pytest.raises(ConfigError, match="is a folder"):
        load_config(tmp_path)
    big = tmp_path / "big.json"
    big.write_text(" " * 1_000_001 + "{}")
    with pytest.raises(ConfigError, match="more than 1,000,000"):
        load_config(big)


def test_bom_config_is_read_and_latin1_gets_one_clear_line(tmp_path):
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(config()).encode())
    assert load_config(path).stream.source == "sea"
    bad = tmp_path / "latin1.json"
    bad.write_bytes(json.dumps(config()).replace("Online", "Caf\u00e9").encode("latin-1"))
    with pytest.raises(ConfigError, match=r"not UTF-8 text \(byte 0xe9"):
        load_config(bad)


@pytest.mark.slow
def test_cli_on_a_fifo_and_dev_zero_exits_2_quickly(tmp_path):
    fifo = tmp_path / "c.json"
    os.mkfifo(fifo)
    for target in (str(fifo), "/dev/zero"):
        proc = subprocess.run([sys.executable, "-m", "lab", "validate", "--config", target],
                              capture_output=True, text=True, cwd=ROOT, timeout=60)
        assert proc.returncode == 2 and "Traceback" not in proc.stderr, proc.stderr
        assert "not a regular file" in proc.stderr


# -- messages --------------------------------------------------------------------------------
def test_a_309_digit_value_is_not_repeated_in_full():
    message = _refused({"stream.n_samples": 10**308}, "stream.n_samples", "309 digits")
    assert "0" * 40 not in message and len(message) < 200
    message = _refused({"seed": 10**308}, "seed")
    assert "0" * 40 not in message
    huge = _refused({"stream.params.noise": -(10**5000)}, "stream.params.noise")
    assert len(huge) < 200


def test_long_texts_and_keys_are_cut_in_messages():
    message = _refused({"contenders[0].policy.detector": "x" * 100_000})
    assert len(message) < 300
    message = _refused({"stream.params": {"k" * 100_000: 1}}, "unknown key")
    assert len(message) < 300


@pytest.mark.parametrize("name", ["a\x1b[31mred", "two\nlines", "tab\there", "cr\rhere",
                                  "bell\x07", "del\x7f"])
def test_control_characters_in_names_are_refused(name):
    _refused({"contenders[0].name": name}, "contenders[0].name", "control character")


def test_control_characters_in_keys_never_reach_the_message_raw():
    message = _refused({"stream.params": {"\x1b[2Jx": 1}}, "unknown key")
    assert "\x1b" not in message and "\\x1b" in message


# -- lessons ---------------------------------------------------------------------------------
def test_lesson_set_values_go_through_the_bounded_json_reader():
    from lab.cli import _parse_set

    assert _parse_set(["lr=0.5", "name=plain words"]) == {"lr": 0.5, "name": "plain words"}
    with pytest.raises(ConfigError, match="digits"):
        _parse_set(["lr=" + "9" * 5000])
    with pytest.raises(ConfigError, match="nested"):
        _parse_set(["lr=" + "[" * 10_000 + "]" * 10_000])


@pytest.mark.parametrize("module,overrides,words", [
    ("gradient", {"n_rows": 200_000, "n_features": 200}, ["n_rows", "2,000,000"]),
    ("gradient", {"n_rows": 200_000, "epochs": 50}, ["batch_sizes", "updates"]),
    ("gradient", {"batch_sizes": list(range(1, 30))}, ["batch_sizes", "more than 10"]),
    ("kmeans", {"n_points": 200_000, "step": 1}, ["step", "at least 40"]),
    ("kmeans", {"n_points": 200_000, "chunk": 1, "step": 100}, ["chunk", "at least 10"]),
])
def test_flat_lesson_overrides_are_bounded(module, overrides, words):
    import importlib

    mod = importlib.import_module(f"lab.lessons.{module}")
    with pytest.raises(ConfigError) as info:
        mod.with_overrides(mod.DEFAULTS, overrides)
    for word in words:
        assert word in str(info.value)


# -- fuzzing: anything JSON-like gives a config or one ConfigError ---------------------------
_leaves = (st.none() | st.booleans() | st.floats(allow_nan=True, allow_infinity=True)
           | st.integers() | st.integers(10**300, 10**310)
           | st.just(0).map(lambda _: -(10**5000)) | st.sampled_from([2**63, -1, 0])
           | st.text(max_size=20) | st.sampled_from(["\x1b[31m", "x" * 5000, "\r\n"]))
_values = st.recursive(_leaves, lambda children: st.lists(children, max_size=4)
                       | st.dictionaries(st.text(max_size=8), children, max_size=4),
                       max_leaves=10)


def _deep(levels: int):
    value: object = 1
    for _ in range(levels):
        value = [value]
    return value


_HOSTILE = _values | st.sampled_from([_deep(10_000), {"a": _deep(5_000)}, list(range(10**5)),
                                      {str(k): k for k in range(2000)}])
_PATHS = ["seed", "stream.n_samples", "stream.params", "stream.params.noise",
          "stream.params.variant", "stream.drifts", "stream.drifts[0]", "stream.drifts[0].at",
          "stream.drifts[0].width", "stream.drifts[0].to", "stream.drifts[0].to.variant",
          "stream.label_noise", "stream.source", "evaluation", "evaluation.step",
          "evaluation.warmup", "evaluation.window", "evaluation.label_delay", "contenders",
          "contenders[0]", "contenders[0].name", "contenders[0].model",
          "contenders[0].model.params", "contenders[1].model.params.max_depth",
          "contenders[1].model.params.n_estimators", "contenders[1].model.params.criterion",
          "contenders[0].model.params.lr", "contenders[0].policy", "contenders[0].policy.kind",
          "contenders[2].policy.detector_params", "contenders[2].policy.detector_params.delta",
          "contenders[2].policy.window"]
_BASE = config(drifts=[{"at": 1500, "to": {"variant": 1}}], contenders=[
    {"name": "lr", "model": {"name": "river.logistic_regression", "params": {"lr": 0.1}},
     "policy": {"kind": "online"}},
    {"name": "rf", "model": {"name": "sk.random_forest", "params": {"n_estimators": 5}},
     "policy": {"kind": "frozen"}},
    {"name": "tr", "model": "sk.gaussian_nb",
     "policy": {"kind": "triggered", "detector": "adwin", "detector_params": {"delta": 0.01}}},
])


@pytest.mark.slow
@settings(max_examples=300, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(mutations=st.lists(st.tuples(st.sampled_from(_PATHS), _HOSTILE), min_size=1,
                          max_size=3))
def test_hostile_values_in_every_field_raise_only_config_error(mutations):
    cfg = copy.deepcopy(_BASE)
    for path, value in mutations:
        try:
            set_path(cfg, path, value)
        except ConfigError:
            pass
    try:
        parse_experiment(cfg)
    except ConfigError as exc:
        message = str(exc)
        assert message and "\n" not in message and message.isprintable()
        assert len(message) < 600, message
