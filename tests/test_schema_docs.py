"""``python -m lab schema`` says what the code does: every default it states is the value the
config parser fills in or the detector the triggered policy builds, read from the code itself
(dataclasses, the parsed config, the river detector's own parameters), never from a list
written here; and every field of a config is described.
"""

from __future__ import annotations

import dataclasses
import io
import json
from contextlib import redirect_stdout

import numpy as np
import pytest

from lab.data.generators import GENERATORS
from lab.learners import MODELS
from lab.policies.detectors import detector_param_names
from lab.policies.registry import POLICY_KINDS, policy_spec
from lab.policies.triggered import TriggeredPolicy
from lab.race.drift_metrics import DRIFT_KEYS
from lab.spec.experiment import Drift, EvaluationSpec
from lab.validate import json_schema, parse_experiment

SCHEMA = json_schema()
POLICY_VARIANTS = SCHEMA["properties"]["contenders"]["items"]["properties"]["policy"]["oneOf"]
DETECTOR_SCHEMAS = SCHEMA["$defs"]["detector_params"]


def dataclass_defaults(cls) -> dict:
    out = {}
    for f in dataclasses.fields(cls):
        if f.default is not dataclasses.MISSING:
            out[f.name] = f.default
        elif f.default_factory is not dataclasses.MISSING:
            out[f.name] = f.default_factory()
    return out


def parsed_policy(kind: str) -> dict:
    """The normalised policy of a contender that gives only ``kind``: what the code fills in."""
    model = next(name for name, info in MODELS.items() if info.incremental)  # fits every kind
    exp = parse_experiment({"stream": {"source": "sea", "n_samples": 3000},
                            "contenders": [{"model": model, "policy": {"kind": kind}}]})
    return exp.to_dict()["contenders"][0]["policy"]


def built_detector(name: str, **spec) -> dict:
    """The constructor parameters of the detector a triggered policy with ``detector: name`` and
    no ``detector_params`` actually builds (river's ``_get_params``)."""
    stream = type("Stream", (), {"y": np.zeros(10, dtype=np.int64), "__len__": lambda s: 10})()
    policy = TriggeredPolicy(policy_spec("triggered", detector=name, **spec), None, stream,
                             EvaluationSpec(warmup=5), 0)
    return policy.detector._get_params()


def test_the_cli_prints_this_schema():
    from lab.cli import main

    out = io.StringIO()
    with redirect_stdout(out):
        assert main(["schema"]) == 0
    assert json.loads(out.getvalue()) == json.loads(json.dumps(SCHEMA))


@pytest.mark.parametrize("variant", POLICY_VARIANTS, ids=lambda v: v["properties"]["kind"]["const"])
def test_policy_defaults_are_what_parsing_fills_in(variant):
    kind = variant["properties"]["kind"]["const"]
    filled = parsed_policy(kind)
    fields = {k: v for k, v in variant["properties"].items() if k != "kind"}
    assert set(fields) == set(filled) - {"kind"}  # the schema lists exactly the keys it uses
    declared = POLICY_KINDS[kind].defaults()
    for key, prop in fields.items():
        # the schema states the default the kind declares, which is what parsing fills in
        assert prop["default"] == filled[key] == declared[key], (kind, key)
        assert prop.get("description"), (kind, key)
    assert [v["properties"]["kind"]["const"] for v in POLICY_VARIANTS] == list(POLICY_KINDS)


def test_evaluation_defaults_are_the_dataclass_and_the_parsed_ones():
    props = dict(SCHEMA["properties"]["evaluation"]["properties"])
    # the dataclass keeps None for "baselines not mentioned", which races none (as False)
    defaults = {**dataclass_defaults(EvaluationSpec), "baselines": False}
    # `labels` is an object written only when given; its keys' defaults are checked in
    # tests/test_label_economics.py
    assert props.pop("labels")["type"] == "object" and defaults.pop("labels") is None
    parsed = parse_experiment({"stream": {"source": "sea", "n_samples": 3000}, "contenders": [
        {"model": "river.gaussian_nb", "policy": {"kind": "online"}}]}).to_dict()["evaluation"]
    # `baselines` is written to the normalised config only when set, so that configs from
    # before it existed keep byte-identical outputs
    assert set(props) == set(defaults) == set(parsed) | {"baselines"}
    for key, prop in props.items():
        assert prop["default"] == defaults[key] == parsed.get(key, defaults[key]), key
        assert prop["description"], key


def test_drift_entry_defaults_are_the_dataclass_ones():
    props = SCHEMA["properties"]["stream"]["properties"]["drifts"]["items"]["properties"]
    defaults = dataclass_defaults(Drift)
    assert set(props) == {f.name for f in dataclasses.fields(Drift)}
    for key, prop in props.items():
        if key in defaults:
            assert prop["default"] == defaults[key], key
        assert prop["description"], key


@pytest.mark.parametrize("detector", list(DETECTOR_SCHEMAS))
def test_detector_defaults_are_what_the_triggered_policy_builds(detector):
    schema = DETECTOR_SCHEMAS[detector]
    props = schema["properties"]
    assert schema["description"] and schema["additionalProperties"] is False
    # every constructor parameter a config may set is described
    assert set(props) == set(detector_param_names(detector))
    built = built_detector(detector)  # react_to left at its default
    for key, prop in props.items():
        assert prop["default"] == built[key], (detector, key, built[key])
        assert prop["description"], (detector, key)


@pytest.mark.parametrize("detector", list(DETECTOR_SCHEMAS))
def test_a_default_that_react_to_changes_says_so(detector):
    """Where ``react_to: "any"`` builds the detector differently, the field's description names
    react_to and the value it then takes."""
    props = DETECTOR_SCHEMAS[detector]["properties"]
    built = built_detector(detector, react_to="any")
    for key, prop in props.items():
        if built[key] != prop["default"]:
            assert "react_to" in prop["description"], (detector, key)
            assert f"'{built[key]}'" in prop["description"], (detector, key, built[key])


def test_page_hinkley_mode_default_is_up_as_built_and_both_under_any():
    """The documented defect: the schema said "both" while the policy builds "up"."""
    mode = DETECTOR_SCHEMAS["page_hinkley"]["properties"]["mode"]
    assert mode["default"] == built_detector("page_hinkley")["mode"] == "up"
    assert built_detector("page_hinkley", react_to="any")["mode"] == "both"


def test_kswin_notes_its_seed_and_its_weak_defaults():
    text = DETECTOR_SCHEMAS["kswin"]["description"]
    built = built_detector("kswin")
    assert "experiment's seed" in text
    for key in ("window_size", "stat_size", "alpha"):
        assert f"{key} {DETECTOR_SCHEMAS['kswin']['properties'][key]['default']}" in text
        assert built[key] == DETECTOR_SCHEMAS["kswin"]["properties"][key]["default"]
    assert "seed" not in DETECTOR_SCHEMAS["kswin"]["properties"]  # the experiment's, not settable


@pytest.mark.parametrize("generator", list(GENERATORS))
def test_generator_params_are_described_with_the_generator_defaults(generator):
    props = SCHEMA["$defs"]["generator_params"][generator]["properties"]
    defaults = GENERATORS[generator].defaults
    assert set(props) == set(defaults)
    for key, prop in props.items():
        assert prop["default"] == defaults[key], (generator, key)
        assert prop["description"], (generator, key)


def test_new_fields_are_described():
    """The fields issue 11 added: a drift's shape, a triggered policy's react_to, the
    generators' concept_seed, and what evaluation.window and label_delay mean for the drift
    metrics and for river / MOA."""
    drift = SCHEMA["properties"]["stream"]["properties"]["drifts"]["items"]["properties"]
    assert all(shape in drift["shape"]["description"] for shape in drift["shape"]["enum"])
    triggered = next(v for v in POLICY_VARIANTS if v["properties"]["kind"]["const"] == "triggered")
    react_to = triggered["properties"]["react_to"]
    assert all(f"'{value}'" in react_to["description"] for value in react_to["enum"])
    seeded = [g for g, info in GENERATORS.items() if "concept_seed" in info.defaults]
    assert seeded  # hyperplane, led: their concept is drawn at random
    for g in seeded:
        assert "concept" in SCHEMA["$defs"]["generator_params"][g]["properties"]["concept_seed"][
            "description"]
    assert "concept_seed" in drift["to"]["description"]
    evaluation = SCHEMA["properties"]["evaluation"]["properties"]
    assert all(key in evaluation["window"]["description"] for key in DRIFT_KEYS)
    assert "delay=d+1" in evaluation["label_delay"]["description"]
    assert "-k d+1" in evaluation["label_delay"]["description"]


def _undescribed(node, path="") -> list[str]:
    """Paths of properties without a description (``if`` conditions are not fields)."""
    out = []
    if isinstance(node, dict):
        for key, prop in (node.get("properties") or {}).items():
            if isinstance(prop, dict) and key != "kind" and not prop.get("description"):
                out.append(f"{path}.{key}")
        for key, child in node.items():
            if key != "if":
                out += _undescribed(child, f"{path}.{key}")
    elif isinstance(node, list):
        for i, child in enumerate(node):
            out += _undescribed(child, f"{path}[{i}]")
    return out


def test_every_config_field_is_described():
    assert _undescribed(SCHEMA["properties"]) == []
    assert _undescribed(SCHEMA["$defs"]["detector_params"]) == []
    assert _undescribed(SCHEMA["$defs"]["generator_params"]) == []
