"""Named scenarios: a config plus one line on what it shows.

``python -m lab presets`` lists them, ``python -m lab run --preset NAME`` runs one, and the app
loads them with one click. ``default`` is the race the app opens with.

The lessons of :mod:`lab.lessons` are registered here too, as ``lesson-...`` presets. Lessons
1-9 are races like any other preset (``kind`` "race"). Lessons 10 and 11 (``kind`` "gradient"
and "kmeans") train on one fixed data set instead of racing on a stream: they are listed, but
their config is not an experiment config, so :func:`load_preset` explains how to run them
(``python -m lab.lessons run lesson-gradient``) instead of returning an :class:`Experiment`.
Front ends that load presets as race configs should skip presets whose ``kind`` is not "race".

>>> list(PRESETS)[:4]
['default', 'stable', 'sudden', 'gradual-recurring']
>>> PRESETS["lesson-sudden"].kind, PRESETS["lesson-gradient"].kind
('race', 'gradient')
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

from lab.spec.errors import ConfigError
from lab.spec.experiment import Experiment
from lab.validate import parse_experiment


@dataclass(frozen=True)
class Preset:
    name: str
    description: str
    config: dict
    kind: str = "race"  # "race", or a lesson's own experiment: "gradient" | "kmeans"
    lesson: int | None = None  # the lesson number, for lesson presets
    #: The name a person reads in a preset list ("Lesson 15: Beat the no-change baseline
    #: (Elec2)"); ``name`` stays the key that configs, links and the command line use.
    title: str = ""

    @property
    def display_name(self) -> str:
        """The preset as a list shows it: its title, its key when it has none.

        >>> PRESETS["lesson-how-often"].display_name
        'Lesson 16: How often should we retrain?'
        >>> Preset("mine", "a race of my own", {}).display_name
        'mine'
        """
        return self.title or self.name


def _four_contenders(model="sk.logistic_regression", online="river.hoeffding_tree",
                     every=3000, window=5000):
    return [
        {"name": "Frozen batch", "model": model, "policy": {"kind": "frozen"}},
        {"name": "Periodic retrain", "model": model,
         "policy": {"kind": "periodic", "every": every, "data": "window", "window": window}},
        {"name": "Drift-triggered", "model": model,
         "policy": {"kind": "triggered", "detector": "adwin", "window": 1000}},
        {"name": "Online", "model": online, "policy": {"kind": "online"}},
    ]


PRESETS: dict[str, Preset] = {p.name: p for p in [
    Preset(
        "default",
        "Two classes in 2-D: the boundary turns 90 degrees at 8,000 (sudden) and turns back over "
        "14,000-16,000 (gradual, recurring). Frozen, periodic, drift-triggered and online race.",
        {"seed": 42,
         "stream": {"source": "blobs2d", "n_samples": 20000,
                    "params": {"angle": 0, "separation": 2.5, "std": 1.0},
                    "drifts": [{"at": 8000, "width": 0, "to": {"angle": 90}},
                               {"at": 14000, "width": 2000, "to": {"angle": 0}}]},
         "evaluation": {"warmup": 1000, "window": 500, "label_delay": 0, "step": 100},
         # river's logistic regression as the online contender: it adapts to a turning linear
         # boundary within ~1,400 samples and races 20,000 samples in 0.2 s (a Hoeffding tree
         # takes 1.1 s and recovers from the first drift after ~3,700).
         "contenders": _four_contenders(online="river.logistic_regression")},
        title="Default race (2-D blobs)",
    ),
    Preset(
        "stable",
        "No drift at all: the batch model trained once does as well as anyone, with the "
        "steadiest curve.",
        {"seed": 7,
         "stream": {"source": "sea", "n_samples": 20000, "params": {"variant": 0, "noise": 0.1}},
         "evaluation": {"warmup": 2000, "window": 1000, "label_delay": 0, "step": 100},
         "contenders": [
             {"name": "Frozen batch", "model": "sk.logistic_regression",
              "policy": {"kind": "frozen"}},
             {"name": "Periodic retrain (all data)", "model": "sk.logistic_regression",
              "policy": {"kind": "periodic", "every": 4000, "data": "all"}},
             {"name": "Online", "model": "river.hoeffding_tree", "policy": {"kind": "online"}},
         ]},
        title="No drift (SEA)",
    ),
    Preset(
        "sudden",
        "The 2-D boundary rotates by 90 degrees at 6,000: the frozen model falls to a coin flip, "
        "online and retrained models recover.",
        {"seed": 3,
         "stream": {"source": "blobs2d", "n_samples": 15000,
                    "params": {"angle": 0, "separation": 2.5, "std": 1.0},
                    "drifts": [{"at": 6000, "width": 0, "to": {"angle": 90}}]},
         "evaluation": {"warmup": 1000, "window": 500, "label_delay": 0, "step": 100},
         "contenders": _four_contenders(online="river.logistic_regression", every=2000,
                                        window=2000)},
        title="Sudden drift (2-D blobs)",
    ),
    Preset(
        "gradual-recurring",
        "STAGGER: a gradual drift to a new concept, then the first concept returns: who "
        "remembers, who must relearn?",
        {"seed": 11,
         "stream": {"source": "stagger", "n_samples": 24000,
                    "params": {"classification_function": 0, "balance_classes": True},
                    "drifts": [{"at": 8000, "width": 3000, "to": {"classification_function": 1}},
                               {"at": 16000, "width": 0, "to": {"classification_function": 0}}]},
         "evaluation": {"warmup": 1000, "window": 500, "label_delay": 0, "step": 100},
         "contenders": _four_contenders(model="sk.decision_tree", every=3000, window=3000)},
        title="Gradual, then recurring (STAGGER)",
    ),
]}


def _lesson_presets() -> dict[str, Preset]:
    from lab.lessons.catalogue import LESSONS

    return {lesson.key: Preset(lesson.key, lesson.description, lesson.config, kind=lesson.kind,
                               lesson=lesson.number,
                               title=f"Lesson {lesson.number}: {lesson.title}")
            for lesson in LESSONS.values()}


PRESETS.update(_lesson_presets())
RACE_PRESETS: dict[str, Preset] = {k: p for k, p in PRESETS.items() if p.kind == "race"}


def load_preset(name: str) -> Experiment:
    """The validated experiment of a preset (a fresh copy each time)."""
    if name not in PRESETS:
        # the scenarios by name, the lessons' presets by count: the list grows with every lesson
        scenarios = [key for key, p in PRESETS.items() if p.lesson is None]
        raise ConfigError("preset", f"unknown preset '{name}'",
                          f"use one of: {', '.join(scenarios)}, or one of the "
                          f"{len(PRESETS) - len(scenarios)} lessons' presets (see `python -m lab "
                          "presets`)")
    preset = PRESETS[name]
    if preset.kind != "race":
        raise ConfigError("preset", f"'{name}' is lesson {preset.lesson}, which trains on one "
                                    "fixed data set instead of racing on a stream",
                          f"run it with `python -m lab.lessons run {name} --out DIR`")
    return parse_experiment(copy.deepcopy(preset.config))
