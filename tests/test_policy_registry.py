"""Policy kinds describe themselves once (``lab.policies.kind``), and everything reads that.

The last test drops a new kind into the package as one module file and checks that the
validator, the schema, the cost estimate, the run limits, the app's defaults and a race all
take it without any other file changing.
"""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import sys
import textwrap

import pytest

import lab.policies
from lab.budget import estimate_race
from lab.data.stream import make_stream
from lab.learners import MODELS
from lab.policies import registry
from lab.policies.base import Policy
from lab.policies.kind import PolicyKind, Work
from lab.policies.registry import POLICIES, POLICY_KINDS, kind_defaults, policy_spec, setting_fields
from lab.race.engine import run_race
from lab.sweep.cost import contender_work, estimate_task_seconds
from lab.validate import json_schema, parse_experiment


def experiment(policy: dict, model: str = "sk.sgd", n: int = 3000, warmup: int = 500):
    return parse_experiment({"seed": 3, "stream": {"source": "sea", "n_samples": n},
                             "evaluation": {"warmup": warmup, "step": 250},
                             "contenders": [{"name": "X", "model": model, "policy": policy}]})


def test_every_policy_class_with_a_kind_is_registered_once():
    classes = {cls for module_name in ("batch", "triggered", "incremental", "oracle")
               for _, cls in inspect.getmembers(
                   importlib.import_module(f"lab.policies.{module_name}"), inspect.isclass)
               if issubclass(cls, Policy) and "KIND" in cls.__dict__}
    assert classes == set(POLICIES.values())
    kinds = list(POLICY_KINDS.values())
    assert [k.name for k in kinds] == list(POLICY_KINDS) == list(POLICIES)
    assert len({k.position for k in kinds}) == len({k.label for k in kinds}) == len(kinds)
    assert [k.position for k in kinds] == sorted(k.position for k in kinds)  # menu order


def test_shared_settings_agree_on_everything_but_their_default():
    """One widget per setting serves every kind, so a name means one thing everywhere."""
    union = setting_fields()
    for kind in POLICY_KINDS.values():
        assert kind.doc and kind.label and kind.fields, kind.name
        for key, field in kind.fields.items():
            assert field.doc and field.label, (kind.name, key)
            same = dataclasses.replace(field, default=union[key].default)
            assert same == union[key], (kind.name, key)


@pytest.mark.parametrize("name", list(POLICY_KINDS))
def test_a_kind_with_only_its_name_parses_to_its_declared_defaults(name):
    exp = experiment({"kind": name})
    spec = exp.contenders[0].policy
    assert spec == policy_spec(name) == type(spec)(name, POLICY_KINDS[name].defaults())
    assert list(exp.to_dict()["contenders"][0]["policy"]) == ["kind", *POLICY_KINDS[name].fields]
    # the app's widgets start from the same defaults
    assert {k: v for k, v in kind_defaults(name).items() if k in spec.settings} == spec.settings


def test_a_setting_of_another_kind_is_refused_with_the_kinds_keys():
    with pytest.raises(Exception, match=r"contenders\[0\]\.policy.*size"):
        experiment({"kind": "periodic", "size": 10})


def test_an_incremental_kind_refuses_a_batch_model_and_names_the_batch_kinds():
    batch = [k.name for k in POLICY_KINDS.values() if not k.incremental]
    for kind in (k for k in POLICY_KINDS.values() if k.incremental):
        with pytest.raises(Exception) as err:
            experiment({"kind": kind.name}, model="sk.decision_tree")
        assert f"'{kind.name}' needs a model that learns incrementally" in str(err.value)
        assert ", ".join(batch) in str(err.value)


@pytest.mark.parametrize("policy", [
    {"kind": "frozen"},
    {"kind": "periodic", "every": 700, "data": "all"},
    {"kind": "periodic", "every": 600, "data": "window", "window": 900},
    {"kind": "online"},
    {"kind": "hybrid", "every": 800, "window": 1200},
])
def test_the_work_a_scheduled_kind_declares_is_what_a_race_trains(policy):
    """For kinds whose schedule does not depend on the data (no detector), the training rows
    the cost model is given equal the samples a real race trains on (label delay 0)."""
    exp = experiment(policy, model="river.hoeffding_tree")
    result = run_race(exp)
    work = contender_work(exp.contenders[0].policy, 3000, 500, 0)
    assert result.contenders[0].policy.train_samples == work.fit_rows + work.online
    assert result.contenders[0].policy.retrains + (1 if work.scored else 0) == work.fits


def test_hand_computed_work_of_a_periodic_window_retrain():
    # n 10,000, warm-up 1,000, every 2,000: retrains at 3,000, 5,000, 7,000, 9,000 on windows
    # of min(start, 2,500) rows: 2,500 * 4 = 10,000 rows, plus the 1,000-row warm-up fit
    work = contender_work(policy_spec("periodic", every=2000, window=2500), 10_000, 1000, 0)
    assert work == Work(fits=5, fit_rows=11_000, largest_fit=2500, scored=9000)


NEW_KIND_MODULE = '''
"""A kind for the registry test: retrain on the last `keep` samples every 1,000 samples."""
from lab.policies.batch import PeriodicPolicy
from lab.policies.kind import PolicyKind, Work, retrain_rows, scheduled_retrains
from lab.spec.checks import Field


def _work(settings, n, warmup, n_drifts):
    rows = retrain_rows(n, warmup, 1000, settings["keep"])
    return Work(fits=1 + scheduled_retrains(n, warmup, 1000), fit_rows=warmup + rows,
                largest_fit=max(warmup, settings["keep"]), scored=n - warmup)


class ThousandsPolicy(PeriodicPolicy):
    KIND = PolicyKind(
        name="thousands", label="Every thousand samples", position=99,
        doc="retrain on the last `keep` samples every 1,000 samples",
        fields={"keep": Field("int", 800, "samples kept", minimum=1, label="Kept (samples)"),
                "retrain_latency": Field("int", 0, "deploy delay", minimum=0,
                                         label="Latency (samples)")},
        work=_work, editor_fields=lambda settings: ("keep",))

    def __init__(self, spec, *args):
        from lab.spec.experiment import PolicySpec

        settings = {"every": 1000, "data": "window", "window": spec.keep, "half_life": 1.0,
                    "retrain_latency": spec.retrain_latency}
        super().__init__(PolicySpec("periodic", settings), *args)
'''


def test_a_new_kind_is_one_module(tmp_path, monkeypatch):
    folder = tmp_path / "extra_policies"
    folder.mkdir()
    (folder / "thousands.py").write_text(textwrap.dedent(NEW_KIND_MODULE))
    monkeypatch.setattr(lab.policies, "__path__", [*lab.policies.__path__, str(folder)])
    found = registry._discover()
    assert list(found)[-1] == "thousands"
    for name, cls in found.items():  # the dicts every reader holds, updated in place
        monkeypatch.setitem(POLICIES, name, cls)
        monkeypatch.setitem(POLICY_KINDS, name, cls.KIND)
    try:
        exp = experiment({"kind": "thousands", "keep": 600}, model="sk.logistic_regression")
        assert exp.contenders[0].policy.keep == 600
        schema = json_schema()
        variants = schema["properties"]["contenders"]["items"]["properties"]["policy"]["oneOf"]
        assert variants[-1]["properties"]["keep"]["default"] == 800
        assert estimate_task_seconds(exp) > 0 and estimate_race(exp).seconds > 0
        assert "keep" in setting_fields() and kind_defaults("thousands")["keep"] == 800
        result = run_race(exp, stream=make_stream(exp.stream, exp.seed))
        run = result.contenders[0]
        assert run.status == "ok", run.error
        assert run.policy.retrains == 2  # at 1,500 and 2,500
        assert run.policy.train_samples == contender_work(exp.contenders[0].policy, 3000, 500,
                                                          0).fit_rows == 500 + 600 + 600
        with pytest.raises(Exception, match="keep"):
            experiment({"kind": "thousands", "keep": 0})
    finally:
        sys.modules.pop("lab.policies.thousands", None)
    assert MODELS  # the learner registry is untouched by all this


def test_policy_kind_is_frozen_data():
    kind = POLICY_KINDS["online"]
    assert isinstance(kind, PolicyKind)
    with pytest.raises(dataclasses.FrozenInstanceError):
        kind.name = "other"
