"""The validator names models and policies as the app's menus do (issue 13, walk-through): its
label-strategy refusal read "is sk.gaussian_nb with the periodic policy". Every refusal that
names a contender's model or policy kind uses ``lab.spec.labels.model_display_name`` and the
policy kind's label, never a registry key."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from lab.learners import MODELS
from lab.spec.errors import ConfigError
from lab.validate import parse_experiment

ROOT = Path(__file__).resolve().parents[1]


def refusal(contender: dict, evaluation: dict | None = None) -> str:
    cfg = {"stream": {"source": "sea", "n_samples": 2000}, "evaluation": evaluation or {},
           "contenders": [{"name": "P", **contender}]}
    with pytest.raises(ConfigError) as caught:
        parse_experiment(cfg)
    return str(caught.value)


@pytest.mark.parametrize("contender, evaluation, words", [
    ({"model": "sk.gaussian_nb", "policy": {"kind": "periodic"}},
     {"labels": {"strategy": "uncertainty"}},
     "contender 1 ('P') is Gaussian NB (scikit-learn) with the Periodic retrain policy"),
    ({"model": "sk.gaussian_nb", "policy": {"kind": "online"}}, None,
     "Online (every sample): 'online' needs a model that learns incrementally, and Gaussian NB "
     "(scikit-learn) only learns in batch"),
    ({"model": "river.knn", "policy": {"kind": "periodic", "data": "decay"}}, None,
     "'decay' needs sample weights and k-NN (river) takes none"),
])
def test_refusals_name_models_and_policies_plainly(contender, evaluation, words):
    message = refusal(contender, evaluation)
    assert words in message, message
    problem = message.split(". Fix: ")[0]  # a fix may list the keys a config file must say
    assert not [key for key in MODELS if re.search(rf"(?<![\w.]){re.escape(key)}\b", problem)]


def test_no_validator_message_interpolates_a_model_key():
    """Every place that can put a contender's model or policy kind into a message goes through
    the plain names (fixes list keys on purpose: they are what a config file must say)."""
    for path in (ROOT / "lab" / "validate.py", ROOT / "lab" / "policies" / "batch.py"):
        source = path.read_text()
        assert not re.search(r"\{[\w.]*model\.name\}", source), path
        assert not re.search(r"\{[\w.]*policy\.kind\}", source), path
