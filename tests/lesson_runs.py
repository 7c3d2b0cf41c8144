"""Lesson runs shared by the lesson tests: each lesson config runs once per test process.

The claim grid (``test_lesson_claims.py``, ``test_new_lessons.py``), the preset / try / fail
checks (``test_lessons.py``), the texts test (``test_lesson_texts.py``) and the Lessons page's
AppTests (``test_lessons_app.py``) all need the same runs (every lesson at its preset seed, with
and without its "Try this" and "Make the claim fail" changes); asking here instead of calling
:func:`lab.lessons.runner.run_lesson` means a run that one test made is reused by the others in
the same pytest process (with xdist, in the same worker).

Runs are keyed by the lesson and its **resolved config** (every override and the seed applied,
defaults filled in, :func:`lab.lessons.runner.lesson_config`), so two ways of asking for the same
settings (the page's widgets send the preset's values explicitly) share one run. Runs are
deterministic given their config, so a cached run is the run the test would have made.

Two caches, both bounded by what the tests ask for:

* whole :class:`~lab.lessons.runner.LessonRun` objects (results, models, decision-boundary
  snapshots, as the page draws them) for the runs the page shows: the **preset seed**, asked for
  by the page (:func:`lesson_run`) or in one of the page's three modes (:func:`summary`), at
  most a few per lesson;
* only the summary dict for every other run (the grids' variations and ten seeds).

A summary at the preset seed is the one of the whole run (snapshots leave the race unchanged:
``test_lessons.py::test_snapshots_are_the_deployed_models_and_leave_the_race_unchanged``).

The summaries and runs are shared: a test that wants to change one copies it first
(``json.loads(json.dumps(summary))``).
"""

from __future__ import annotations

import dataclasses
import json

from lab.lessons.catalogue import LESSONS, Lesson, get_lesson
from lab.lessons.runner import LessonRun, lesson_config, run_lesson

MODES = ("normal", "try", "fail")


def overrides_of(key: str, mode: str) -> dict:
    """The settings a page mode applies: none, the lesson's "Try this", or its "Make the claim
    fail"."""
    lesson = LESSONS[key]
    return {"normal": {}, "try": lesson.try_overrides, "fail": lesson.break_overrides}[mode]


def preset_seed(key: str) -> int:
    return int(LESSONS[key].config["seed"])


def _config_json(lesson: Lesson, overrides: dict | None, seed: int | None) -> str:
    return json.dumps(lesson_config(lesson, overrides, seed), sort_keys=True, default=str)


_WHOLE_RUNS: dict[tuple[str, str], LessonRun] = {}  # (lesson, resolved config) -> run
_SUMMARIES: dict[tuple[str, str], dict] = {}  # (lesson, resolved config) -> summary


def lesson_run(lesson: Lesson | str, overrides: dict | None = None, seed: int | None = None,
               **options) -> LessonRun:
    """:func:`run_lesson` with the run kept for the process when it is at the lesson's preset
    seed and has no options (progress callbacks, a stop check or a snapshot choice run fresh).

    The Lessons page's AppTests install this in place of the page's ``run_lesson``, so the page
    draws the runs the claim tests already made."""
    lesson = get_lesson(lesson) if isinstance(lesson, str | int) else lesson
    overrides = dict(overrides or {})
    at_preset = seed is None or int(seed) == preset_seed(lesson.key)
    if options or not at_preset:
        return run_lesson(lesson, overrides, seed, **options)
    where = (lesson.key, _config_json(lesson, overrides, seed))
    if where not in _WHOLE_RUNS:
        _WHOLE_RUNS[where] = run_lesson(lesson, overrides, seed)
    return dataclasses.replace(_WHOLE_RUNS[where], overrides=overrides)


def summary(key: str, overrides: dict | None = None, seed: int | None = None) -> dict:
    """The summary of lesson ``key`` run with ``overrides`` on ``seed`` (default: the preset's),
    run at most once per process."""
    seed = preset_seed(key) if seed is None else int(seed)
    where = (key, _config_json(LESSONS[key], overrides, seed))
    if where in _WHOLE_RUNS:
        return _WHOLE_RUNS[where].summary
    if seed == preset_seed(key) and any(dict(overrides or {}) == overrides_of(key, mode)
                                        for mode in MODES):
        return lesson_run(key, overrides, seed).summary  # the page will draw this one
    if where not in _SUMMARIES:
        _SUMMARIES[where] = run_lesson(key, overrides, seed, snapshots=False).summary
    return _SUMMARIES[where]


def mode_summary(key: str, mode: str, seed: int | None = None) -> dict:
    """The summary the page shows in ``mode`` (one of :data:`MODES`)."""
    return summary(key, overrides_of(key, mode), seed)
