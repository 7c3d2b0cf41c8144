"""Lesson runs shared by the lesson tests: each (lesson, settings, seed) runs once per test process.

The claim grid (``test_lesson_claims.py``, ``test_new_lessons.py``), the preset / try / fail
checks (``test_lessons.py``) and the texts test (``test_lesson_texts.py``) all need the same
runs (every lesson at its preset seed, with and without its "Try this" and "Make the claim
fail" changes); asking here instead of calling :func:`lab.lessons.runner.run_lesson` means a run
that one test made is reused by the others in the same pytest process (with xdist, in the same
worker). Runs are deterministic given their settings and seed, so a cached summary is the
summary the test would have made.

The summaries are shared: a test that wants to change one copies it first
(``json.loads(json.dumps(summary))``).
"""

from __future__ import annotations

import functools
import json

from lab.lessons.catalogue import LESSONS
from lab.lessons.runner import run_lesson

MODES = ("normal", "try", "fail")


def overrides_of(key: str, mode: str) -> dict:
    """The settings a page mode applies: none, the lesson's "Try this", or its "Make the claim
    fail"."""
    lesson = LESSONS[key]
    return {"normal": {}, "try": lesson.try_overrides, "fail": lesson.break_overrides}[mode]


def preset_seed(key: str) -> int:
    return int(LESSONS[key].config["seed"])


@functools.cache
def _summary(key: str, overrides_json: str, seed: int) -> dict:
    return run_lesson(key, json.loads(overrides_json), seed=seed, snapshots=False).summary


def summary(key: str, overrides: dict | None = None, seed: int | None = None) -> dict:
    """The summary of lesson ``key`` run with ``overrides`` on ``seed`` (default: the preset's),
    run at most once per process."""
    seed = preset_seed(key) if seed is None else int(seed)
    return _summary(key, json.dumps(overrides or {}, sort_keys=True), seed)


def mode_summary(key: str, mode: str, seed: int | None = None) -> dict:
    """The summary the page shows in ``mode`` (one of :data:`MODES`)."""
    return summary(key, overrides_of(key, mode), seed)
