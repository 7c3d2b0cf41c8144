"""A bad ``?config=`` says what is wrong in one plain sentence, then the fix (issue 13,
walk-through point 3): it read "The link's config could not be used (Config: is not a Driftlab
setup (its text does not decode: …). Fix: …); showing the default race instead."."""

from __future__ import annotations

import json

import pytest

from helpers import config, new_app
from ui.urls import config_from_query, encode_config

BAD_CONFIGS = ["garbage", "eJzLSM3JyVcozy_KSQEAGgQEXQ", "{bad", "$$$", "", '{"seed": 1}',
               json.dumps(config(warmup=-1)), json.dumps(config(n=-5)),
               encode_config(config(source="csv:/srv/data.csv"))]


def depth(text: str) -> int:
    """How deep parentheses nest in ``text``."""
    level = deepest = 0
    for char in text:
        level += {"(": 1, ")": -1}.get(char, 0)
        deepest = max(deepest, level)
    return deepest


@pytest.mark.parametrize("value", BAD_CONFIGS)
def test_a_bad_config_is_one_sentence_and_a_fix(value):
    cfg, warnings = config_from_query({"config": value})
    [warning] = warnings
    problem, fix = warning.split(". Fix: ")
    assert problem.startswith("The link's config ") and "Fix:" not in fix, warning
    assert problem.endswith("; the page shows the default race instead"), warning
    assert ". " not in problem and not problem.startswith("The link's config (")
    assert depth(problem) <= 1 and "Config:" not in warning and "config:" not in warning


def test_garbage_reads_plainly_in_the_app():
    at = new_app(config="garbage")
    said = [w.value for w in at.warning]
    assert said == ["The link's config is not a Driftlab setup, so the link may have been cut "
                    "short or changed; the page shows the default race instead. Fix: copy the "
                    "whole link again."], said


def test_a_parameter_is_ignored_with_one_sentence_too():
    _, warnings = config_from_query({"warmup": "-1", "seed": "abc"})
    assert warnings[0].startswith("The link's parameter warmup=-1 was ignored: Warm-up "
                                  "(samples) must be an integer >= 1, got -1. Fix: ")
    assert all(depth(w.split(". Fix: ")[0]) <= 1 for w in warnings), warnings
