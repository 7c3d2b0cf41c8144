"""A validated sweep: the grid's settings, the seeds, and the tasks (settings x seeds) with keys.

:func:`plan_sweep` checks every setting up front, so a sweep never fails half-way on a bad value;
each task's key hashes its normalised config (seed included), which is what lets a sweep resume
from the store of :mod:`lab.sweep.store`.
"""

from __future__ import annotations

import copy
import hashlib
import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from lab.spec.errors import ConfigError
from lab.spec.experiment import Experiment, set_path
from lab.sweep.cost import WORKER_START_S, estimate_task_seconds
from lab.sweep.grammar import canonical_json
from lab.sweep.store import STORE_FORMAT, load_stored
from lab.validate import parse_experiment

MAX_RUNS = 100_000
MAX_SEEDS = 1000


def task_key(config: dict) -> str:
    """The store key of one task: a hash of its normalised config (seed included)."""
    text = canonical_json({"format": STORE_FORMAT, "config": config})
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def _describe_values(values: dict) -> str:
    return ", ".join(f"{p}={canonical_json(v) if not isinstance(v, str) else v}"
                     for p, v in values.items()) or "the base config"


@dataclass(frozen=True)
class Setting:
    """One point of the grid: the varied values and the validated experiment they give."""

    index: int
    values: dict  # path -> value, in --vary order
    experiment: Experiment

    def describe(self) -> str:
        return _describe_values(self.values)


@dataclass(frozen=True)
class Task:
    """One (setting, seed): the normalised config a worker runs, and its store key."""

    setting: int
    seed: int
    config: dict
    key: str


@dataclass
class SweepPlan:
    """A validated sweep: the grid's settings, the seeds and the tasks (settings x seeds)."""

    base: Experiment
    vary: dict  # path -> list of values
    seeds: list  # seed offsets are applied already: the actual seeds
    settings: list = field(default_factory=list)
    tasks: list = field(default_factory=list)

    @property
    def n_runs(self) -> int:
        """Number of tasks: settings x seeds (each a full race of every contender)."""
        return len(self.tasks)

    @property
    def paths(self) -> list[str]:
        return list(self.vary)

    def to_dict(self) -> dict:
        """The ``sweep.json`` document."""
        by_setting: dict[int, list] = {}
        for task in self.tasks:
            by_setting.setdefault(task.setting, []).append({"seed": task.seed, "key": task.key})
        return {
            "base": self.base.to_dict(),
            "vary": {p: list(v) for p, v in self.vary.items()},
            "seeds": list(self.seeds),
            "n_settings": len(self.settings),
            "n_runs": self.n_runs,
            "settings": [{"setting": s.index, "values": s.values, "runs": by_setting[s.index]}
                         for s in self.settings],
        }

    def stored(self, out_dir: str | Path | None) -> set[str]:
        """Keys of this plan's tasks already stored under ``out_dir/runs``."""
        if out_dir is None:
            return set()
        runs = Path(out_dir) / "runs"
        return {t.key for t in self.tasks if load_stored(runs, t.key, t.config) is not None}

    def estimate_seconds(self, jobs: int = 1, out_dir: str | Path | None = None) -> float:
        """Rough wall time of the sweep on ``jobs`` workers, from the cost model of
        :mod:`lab.sweep.cost` (times nothing).

        Tasks already stored under ``out_dir`` cost nothing. Meant for guard rails ("this would
        take about 20 minutes"), not for precision: expect a factor of 2 either way.
        """
        done = self.stored(out_dir)
        costs = [estimate_task_seconds(s.experiment) for s in self.settings]
        total = sum(costs[t.setting] for t in self.tasks if t.key not in done)
        n_pending = sum(1 for t in self.tasks if t.key not in done)
        workers = max(1, min(jobs, n_pending))
        startup = WORKER_START_S if workers > 1 else 0.0
        return total / workers + startup if n_pending else 0.0


def plan_sweep(experiment: Experiment, vary: dict[str, Sequence], seeds: int | Sequence[int] = 1
               ) -> SweepPlan:
    """Validate a sweep up front: every setting of the grid must give a valid config.

    ``vary`` maps config paths to value lists (the grid is their Cartesian product, first path
    slowest); ``seeds`` is a count K (seeds ``experiment.seed + k``) or an explicit seed list.
    Raises :class:`ConfigError` naming the setting and the key for the first invalid setting.
    """
    vary = {str(p): list(v) for p, v in vary.items()}
    if "seed" in vary:
        raise ConfigError("--vary seed", "the seed is not a parameter to vary",
                          "use --seeds K to repeat every setting with K seeds")
    for path, values in vary.items():
        if not values:
            raise ConfigError(f"--vary {path}", "has no values", "give at least one value")
        seen = set()
        for v in values:
            text = canonical_json(v)
            if text in seen:
                raise ConfigError(f"--vary {path}", f"value {text} appears twice",
                                  "list each value once")
            seen.add(text)
    if isinstance(seeds, (int, np.integer)) and not isinstance(seeds, bool):
        if not 1 <= seeds <= MAX_SEEDS:
            raise ConfigError("--seeds", f"must be between 1 and {MAX_SEEDS}, got {seeds}",
                              "use e.g. --seeds 5 (confidence intervals need at least 2)")
        seed_list = [experiment.seed + k for k in range(int(seeds))]
    else:
        seed_list = [int(s) for s in seeds]
        if not seed_list or len(set(seed_list)) != len(seed_list):
            raise ConfigError("seeds", "must be a non-empty list of distinct seeds",
                              "give e.g. [1, 2, 3]")
    if max(seed_list) > 2**32 - 1 or min(seed_list) < 0:
        raise ConfigError("--seeds", f"seeds must lie in 0..4294967295, got {min(seed_list)}.."
                                     f"{max(seed_list)}", "use a smaller base seed or fewer seeds")
    n_settings = math.prod(len(v) for v in vary.values())
    if n_settings * len(seed_list) > MAX_RUNS:
        raise ConfigError("--vary", f"the sweep has {n_settings} settings x {len(seed_list)} "
                                    f"seeds = {n_settings * len(seed_list):,} runs, more than "
                                    f"{MAX_RUNS:,}", "vary fewer values or split the sweep")

    base = experiment.to_dict()
    settings, tasks = [], []
    for index, combo in enumerate(itertools.product(*vary.values())):
        values = dict(zip(vary, combo))
        data = copy.deepcopy(base)
        try:
            for path, value in values.items():
                set_path(data, path, copy.deepcopy(value))
            exp = parse_experiment(data)
        except ConfigError as exc:
            where = f"sweep setting {index + 1} of {n_settings}: {_describe_values(values)}"
            raise ConfigError(exc.path, f"{exc.problem} (in {where})", exc.fix) from None
        settings.append(Setting(index, values, exp))
        config = exp.to_dict()
        for seed in seed_list:
            cfg = {**config, "seed": seed}
            tasks.append(Task(index, seed, cfg, task_key(cfg)))
    return SweepPlan(experiment, vary, seed_list, settings, tasks)
