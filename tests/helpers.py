"""Small builders shared by the tests."""

from __future__ import annotations

import copy


def config(source="sea", n=3000, params=None, drifts=None, contenders=None, **evaluation):
    """A small valid config dict; override pieces per test."""
    ev = {"warmup": 500, "window": 200, "label_delay": 0, "step": 100}
    ev.update(evaluation)
    return {
        "seed": 5,
        "stream": {"source": source, "n_samples": n, "params": params or {},
                   "drifts": copy.deepcopy(drifts or [])},
        "evaluation": ev,
        "contenders": contenders or [
            {"name": "Online", "model": "river.hoeffding_tree", "policy": {"kind": "online"}},
        ],
    }
