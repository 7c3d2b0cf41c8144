"""What-if sweeps: one experiment over a grid of settings and several seeds, in parallel, resumable.

A *setting* gives values to a few config paths (``contenders[1].policy.every``,
``stream.drifts[0].width``, ``evaluation.label_delay``; :func:`lab.config.set_path` syntax). The
grid is the Cartesian product of the value lists, and every setting runs with the seeds
``seed + k`` for ``k`` in ``range(seeds)``. One *task* is one (setting, seed): validate the config,
:func:`lab.engine.run_race`, :func:`lab.metrics.summarise`. Tasks are independent and seeded, so
the numbers are the same whoever runs them (in this process, joblib worker processes or a Dask
cluster) -- all but ``train_cpu_s``, which is measured.

Resume: each finished task is stored as ``OUT/runs/<key>.json`` the moment it completes (written
to a temporary file, then renamed), where ``<key>`` hashes the task's normalised config, seed
included. Running the same sweep again reuses the stored tasks and runs only the missing ones; a
sweep of a different config has different keys, so nothing is reused by mistake, and a record
made with other library versions is run again.

Outputs (``DESIGN.md``): ``sweep.csv`` (one row per setting, seed and contender: ``setting``, the
varied paths, ``seed``, ``contender``, ``status``, the summary figures, ``error``),
``sweep_summary.csv`` (per setting and contender: mean and 95 % Student-t confidence interval over
seeds) and ``sweep.json`` (base config, grid, seeds, task keys).

The app calls :func:`plan_sweep`, :meth:`SweepPlan.estimate_seconds`, :func:`run_sweep`,
:func:`summarise_sweep`, :func:`pareto_front` and :func:`sweep_files`; the CLI
(``python -m lab sweep``) does the same.

>>> from lab.presets import load_preset
>>> exp = load_preset("stable").with_overrides({"stream.n_samples": 3000})
>>> plan = plan_sweep(exp, {"contenders[1].policy.every": [500, 1000]}, seeds=2)
>>> plan.n_runs, [s.values for s in plan.settings]
(4, [{'contenders[1].policy.every': 500}, {'contenders[1].policy.every': 1000}])
>>> parse_vary('contenders[1].policy.data=all,window')
('contenders[1].policy.data', ['all', 'window'])
"""

from __future__ import annotations

import copy
import functools
import hashlib
import itertools
import json
import math
import os
import platform
import re
import tempfile
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence

import numpy as np
import pandas as pd

from lab.config import (ConfigError, Experiment, parse_experiment, parse_json_text,
                        set_path)

MAX_RUNS = 100_000
MAX_SEEDS = 1000
STORE_FORMAT = 1  # bump when a stored task's content changes meaning: old keys stop matching
SUMMARY_METRICS = ("accuracy", "train_samples", "train_cpu_s", "retrains", "mean_staleness")
FIGURES = ("accuracy", "retrains", "train_samples", "train_cpu_s", "mean_staleness",
           "max_staleness")
CONFIDENCE = 0.95


# --------------------------------------------------------------------------------------------
# The grid
# --------------------------------------------------------------------------------------------
def _split_values(text: str, spec: str) -> list[str]:
    """Split ``V1,V2,...`` on the commas outside JSON brackets and quoted strings."""
    items, buf, depth, quoted, escaped = [], [], 0, False, False
    for ch in text:
        if quoted:
            buf.append(ch)
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                quoted = False
            continue
        if ch == "," and depth == 0:
            items.append("".join(buf))
            buf = []
            continue
        if ch == '"':
            quoted = True
        elif ch in "[{":
            depth += 1
        elif ch in "]}":
            depth -= 1
        buf.append(ch)
    items.append("".join(buf))
    if quoted or depth != 0:
        raise ConfigError("--vary", f"unbalanced quotes or brackets in {_short(spec)}",
                          "close every \" [ and { in the values")
    return items


# A value that starts like JSON (a bracket, a quote, a number, a JSON word) is meant as JSON: if
# it does not parse, or breaks a limit, that is an error, not a string. Anything else that is
# not JSON ("adwin", "1.2.3", "2 models") is plain text.
_MEANT_AS_JSON = re.compile(
    r"[\[{\"]|-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$|(true|false|null|-?NaN|-?Infinity)$")


def parse_value(text: str, origin: str = "--vary value") -> Any:
    """A ``--vary`` value: JSON when it parses (``500``, ``0.5``, ``true``, ``null``, ``"a b"``,
    ``{"variant": 2}``), else the plain text (``adwin``).

    JSON goes through :func:`lab.config.parse_json_text`, so a 5,000-digit integer, brackets
    nested 10,000 deep or ``NaN`` give a one-line :class:`ConfigError` instead of Python's
    ``ValueError`` / ``RecursionError``.

    >>> [parse_value(t) for t in ["500", "0.5", "true", "null", '"7"', "adwin", "1.2.3"]]
    [500, 0.5, True, None, '7', 'adwin', '1.2.3']
    """
    try:
        return parse_json_text(text, origin)
    except ConfigError:
        if _MEANT_AS_JSON.match(text):
            raise
        return text


MAX_PATH_CHARS = 200  # the longest real path (contenders[11].policy.detector_params.x) is ~45


def parse_vary(spec: str) -> tuple[str, list]:
    """Parse one ``PATH=V1,V2,...`` into ``(path, values)``; :class:`ConfigError` if malformed.

    Commas inside JSON brackets or quotes do not split, so
    ``stream.drifts[0].to={"variant": 1},{"variant": 2}`` gives two values.
    """
    fix = "write PATH=V1,V2,... e.g. --vary contenders[1].policy.every=1000,2000,4000"
    if "=" not in spec:
        raise ConfigError("--vary", f"{spec!r} has no '='", fix)
    path, _, text = spec.partition("=")
    path = path.strip()
    shown = _short(spec)
    if not path:
        raise ConfigError("--vary", f"{shown} has no path before '='", fix)
    if len(path) > MAX_PATH_CHARS:
        raise ConfigError("--vary", f"the path {_short(path)} is longer than "
                                    f"{MAX_PATH_CHARS} characters", fix)
    if not text.strip():
        raise ConfigError("--vary", f"{shown} has no values after '='", fix)
    items = _split_values(text, spec)
    if any(not item.strip() for item in items):
        raise ConfigError("--vary", f"{shown} has an empty value", "remove the extra comma")
    return path, [parse_value(item.strip(), f"--vary {path}") for item in items]


def _short(text: Any, limit: int = 40) -> str:
    """``repr`` of a user's text, cut to about ``limit`` characters: never echo a huge value."""
    text = str(text)
    return repr(text) if len(text) <= limit else f"{text[:limit - 3]!r}... ({len(text):,} chars)"


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"))


def task_key(config: dict) -> str:
    """The store key of one task: a hash of its normalised config (seed included)."""
    text = _canonical({"format": STORE_FORMAT, "config": config})
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def _describe_values(values: dict) -> str:
    return ", ".join(f"{p}={_canonical(v) if not isinstance(v, str) else v}"
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
        return {t.key for t in self.tasks if _load_stored(runs, t) is not None}

    def estimate_seconds(self, jobs: int = 1, out_dir: str | Path | None = None) -> float:
        """Rough wall time of the sweep on ``jobs`` workers, from :data:`COSTS` (times nothing).

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
            text = _canonical(v)
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


# --------------------------------------------------------------------------------------------
# The cost model behind estimate_seconds
# --------------------------------------------------------------------------------------------
# Measured once (bench-style, single thread, threadpool_limits(1)) on the 2-core development
# machine while it was shared (load average about 3), SEA stream, scikit-learn 1.9.1, river
# 0.26.1; microseconds. `fit`: per training sample of a from-scratch fit (5,000 rows; river
# models learn_one row by row). `score`: per scored sample of a batch policy (chunked predict;
# river models predict one by one). `online`: per sample of the online policy (predict_one +
# learn_one). `minibatch`: per sample of a minibatch policy (size 100).
#
#   model                          fit    score   online  minibatch
#   sk.logistic_regression         2.2     0.4       -        -
#   sk.gaussian_nb                 0.8     0.4       -        -
#   sk.decision_tree               5.5     0.6       -        -
#   sk.random_forest             272      29         -        -
#   sk.hist_gradient_boosting     71      36         -        -
#   sk.sgd                        18       0.4    2994       66
#   river.logistic_regression     28      11        49       92
#   river.gaussian_nb              4.8   251       192      323
#   river.hoeffding_tree          28      13        92       72
#   river.hoeffding_adaptive_tree 64      36       240      334
#   river.adaptive_random_forest 1901    649      3611     2328
#   river.knn                    1603    340      1520     1164
#
# Drawing the stream, per sample: sea 3.6, agrawal 88, stagger 4.3, sine 1.4, hyperplane 5.6,
# rbf 156, led 3.8, blobs2d 0.1 (shipped data sets and CSV files: about 1).
COSTS_US: dict[str, tuple[float, float, float, float]] = {
    "sk.logistic_regression": (2.2, 0.4, math.nan, math.nan),
    "sk.gaussian_nb": (0.8, 0.4, math.nan, math.nan),
    "sk.decision_tree": (5.5, 0.6, math.nan, math.nan),
    "sk.random_forest": (272.0, 29.0, math.nan, math.nan),
    "sk.hist_gradient_boosting": (71.0, 36.0, math.nan, math.nan),
    "sk.sgd": (18.0, 0.4, 2994.0, 66.0),
    "river.logistic_regression": (28.0, 11.0, 49.0, 92.0),
    "river.gaussian_nb": (4.8, 251.0, 192.0, 323.0),
    "river.hoeffding_tree": (28.0, 13.0, 92.0, 72.0),
    "river.hoeffding_adaptive_tree": (64.0, 36.0, 240.0, 334.0),
    "river.adaptive_random_forest": (1901.0, 649.0, 3611.0, 2328.0),
    "river.knn": (1603.0, 340.0, 1520.0, 1164.0),
}
STREAM_US = {"sea": 3.6, "agrawal": 88.0, "stagger": 4.3, "sine": 1.4, "hyperplane": 5.6,
             "rbf": 156.0, "led": 3.8, "blobs2d": 0.1}
DEFAULT_COST_US = (100.0, 50.0, 300.0, 300.0)  # a model missing from the table: be pessimistic
DETECTOR_US = 3.0  # a drift detector's update per scored sample
TASK_OVERHEAD_S = 0.05  # validate, summarise, store
WORKER_START_S = 2.5  # a fresh worker process imports numpy, pandas, scikit-learn and river
MIN_PARALLEL_S = 2 * WORKER_START_S  # with jobs=None, less estimated work runs in this process


def _retrain_rows(n: int, warmup: int, every: int, window: int | None) -> int:
    """Training rows of all scheduled retrains (at warmup + k*every), window-capped or not."""
    starts = np.arange(warmup + every, n, every, dtype=np.float64)
    if window is not None:
        starts = np.minimum(starts, window)
    return int(starts.sum())


def estimate_task_seconds(experiment: Experiment) -> float:
    """Rough seconds of one race of ``experiment`` on one core (see :data:`COSTS_US`)."""
    n, ev = experiment.stream.n_samples, experiment.evaluation
    scored = n - ev.warmup
    source = experiment.stream.source
    micro = STREAM_US.get(source, 1.0) * n
    for c in experiment.contenders:
        fit, score, online, minibatch = COSTS_US.get(c.model.name, DEFAULT_COST_US)
        p = c.policy
        if p.kind == "online":
            micro += online * n
        elif p.kind == "minibatch":
            micro += minibatch * n
        elif p.kind == "hybrid":
            micro += online * n + fit * _retrain_rows(n, ev.warmup, p.every, p.window)
        else:
            rows = ev.warmup
            if p.kind == "periodic":
                rows += _retrain_rows(n, ev.warmup, p.every,
                                      p.window if p.data == "window" else None)
            elif p.kind == "triggered":
                # alarms are unknowable in advance: assume two retrains (alarm + follow-up) per
                # drift and one false alarm, and pay for the detector on every scored sample
                rows += (2 * len(experiment.stream.drifts) + 1) * p.window
                micro += DETECTOR_US * scored
            micro += fit * rows + score * scored
    return micro / 1e6 + TASK_OVERHEAD_S


# --------------------------------------------------------------------------------------------
# Running tasks
# --------------------------------------------------------------------------------------------
def run_task(config: dict, should_stop: Callable[[], bool] | None = None) -> dict | None:
    """Run one task where it stands (worker or this process): the stored record, or ``None`` if
    ``should_stop`` cancelled it.

    BLAS / OpenMP pools are limited to one thread so that parallel workers do not oversubscribe
    the cores and every runner sums floating point in the same order.
    """
    from threadpoolctl import threadpool_limits

    from lab.engine import run_race
    from lab.metrics import summarise

    started, cpu = time.perf_counter(), time.process_time()
    with threadpool_limits(limits=1):
        try:
            experiment = parse_experiment(copy.deepcopy(config))
            result = run_race(experiment, should_stop=should_stop)
        except Exception as exc:  # noqa: BLE001 - reported per task, never stored
            return {"format": STORE_FORMAT, "key": task_key(config), "config": config,
                    "ok": False, "error": f"{type(exc).__name__}: {exc}".strip()}
        if result.cancelled:
            return None
        summary = summarise(result)
    return {"format": STORE_FORMAT, "key": task_key(config), "config": config, "ok": True,
            "contenders": summary["contenders"], "n_samples": summary["n_samples"],
            "versions": summary["versions"], "wall_s": round(time.perf_counter() - started, 4),
            "cpu_s": round(time.process_time() - cpu, 4), "host": platform.node(),
            "pid": os.getpid()}


def _write_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def _start_sweep_folder(out: Path, plan_json: str) -> None:
    """Write ``sweep.json``; if it describes another sweep than the folder's previous one, first
    delete that sweep's ``sweep.csv`` / ``sweep_summary.csv``, so the folder never pairs one
    sweep's plan with another's tables (the task store ``runs/`` is keyed, so it stays)."""
    try:
        previous = (out / "sweep.json").read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        previous = None
    if previous != plan_json:
        for name in ("sweep.csv", "sweep_summary.csv"):
            try:
                os.unlink(out / name)
            except FileNotFoundError:
                pass
    _write_atomic(out / "sweep.json", plan_json)


@functools.lru_cache(maxsize=1)
def _versions() -> dict:
    from lab.metrics import versions

    return versions()


def _load_stored(runs: Path, task: Task) -> dict | None:
    """The stored record of ``task``, or None if missing, unreadable, not this task's, or made
    with other versions of lab / river / scikit-learn / numpy (whose numbers may differ)."""
    try:
        record = json.loads((runs / f"{task.key}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if (not isinstance(record, dict) or record.get("format") != STORE_FORMAT
            or record.get("config") != task.config or not record.get("ok")
            or record.get("versions") != _versions()):
        return None
    return record


def _default_jobs() -> int:
    from joblib import cpu_count

    return max(1, cpu_count())


def _run_serial(configs, should_stop):
    for config in configs:
        if should_stop is not None and should_stop():
            return
        record = run_task(config, should_stop)
        if record is None:  # cancelled mid-race: nothing to store
            return
        yield record


def _run_joblib(configs, jobs, should_stop):
    from joblib import Parallel, delayed, parallel_config

    with parallel_config(backend="loky", inner_max_num_threads=1):
        results = Parallel(n_jobs=jobs, return_as="generator_unordered", batch_size=1,
                           pre_dispatch="2 * n_jobs")(delayed(run_task)(c) for c in configs)
        try:
            for record in results:
                yield record
                if should_stop is not None and should_stop():
                    return
        finally:
            with warnings.catch_warnings():  # "tasks ... have been cancelled": that is the point
                warnings.simplefilter("ignore", UserWarning)
                results.close()  # cancels what has not run yet


# Evaluated on the scheduler and on every worker with the builtin ``eval``, which needs nothing
# from this project to travel: a function of ``lab`` would itself fail to arrive there.
_IMPORT_PROBE = "__import__('importlib').import_module('lab.sweep.executors') and None"
DASK_CONNECT_S = 10  # seconds to reach the scheduler, and then to see a first worker


def _project_root() -> Path:
    return Path(__file__).resolve().parents[2]


def _cannot_import(where: str, address: str, exc: BaseException) -> ConfigError:
    root = _project_root()
    return ConfigError(
        "--scheduler", f"{where} at {address} cannot import Driftlab's `lab` package "
                       f"({type(exc).__name__}: {_short(exc, 60)})",
        f"start the scheduler and every worker so that they can, e.g. `PYTHONPATH={root} dask "
        f"scheduler` and `PYTHONPATH={root} dask worker {address}`, or install the project "
        "there (see README)")


def _check_dask_cluster(client, address: str) -> None:
    """Fail fast, in one line, on a cluster that cannot run the tasks.

    Without this check a scheduler that cannot import ``lab`` fails every task with a raw
    "Error during deserialization of the task graph", and a worker that cannot import it drops
    its connection and shuts down, leaving the sweep waiting forever for a worker.
    """
    try:
        client.wait_for_workers(1, timeout=DASK_CONNECT_S)
    except TimeoutError:
        raise ConfigError("--scheduler", f"the Dask scheduler at {address} has no workers "
                                         f"(none joined within {DASK_CONNECT_S} s)",
                          f"start one: `PYTHONPATH={_project_root()} dask worker {address}`"
                          ) from None
    try:
        client.run_on_scheduler(eval, _IMPORT_PROBE)
    except Exception as exc:  # noqa: BLE001 - whatever the import raised over there
        raise _cannot_import("the Dask scheduler", address, exc) from None
    answers = client.run(eval, _IMPORT_PROBE, on_error="return")
    failed = {w: e for w, e in answers.items() if isinstance(e, BaseException)}
    if failed:
        worker, exc = next(iter(failed.items()))
        where = (f"Dask worker {worker}" if len(failed) == 1 else
                 f"{len(failed)} of {len(answers)} Dask workers (e.g. {worker})")
        raise _cannot_import(where, address, exc)


def _dask_client(scheduler):
    try:
        from distributed import Client
    except ImportError:
        raise ConfigError("--scheduler", "dask.distributed is not installed",
                          "pip install 'dask[distributed]' or run without --scheduler") from None
    if not isinstance(scheduler, str):
        return scheduler, False  # a Client (or anything with its API) the caller owns
    try:
        client = Client(scheduler, timeout=f"{DASK_CONNECT_S}s")
    except (OSError, TimeoutError, ValueError) as exc:
        raise ConfigError("--scheduler", f"cannot reach a Dask scheduler at {_short(scheduler)} "
                                         f"({type(exc).__name__}: {_short(exc, 80)})",
                          "start one (`dask scheduler` and `dask worker ADDRESS`) or leave out "
                          "--scheduler to run on this machine") from None
    try:
        _check_dask_cluster(client, scheduler)
    except BaseException:
        client.close()
        raise
    return client, True


def _run_dask(configs, scheduler, should_stop):
    from distributed import as_completed

    client, owned = _dask_client(scheduler)
    futures = [client.submit(run_task, c, pure=False) for c in configs]
    try:
        for future in as_completed(futures):
            try:
                record = future.result()
            except Exception as exc:  # noqa: BLE001 - run_task itself never raises
                # What reaches here failed outside run_task: the task could not be unpickled
                # (a worker joined after the check without the project) or the cluster broke.
                cause = exc.__cause__ or exc.__context__
                if isinstance(cause, ImportError) or isinstance(exc, ImportError):
                    raise _cannot_import("the Dask cluster", str(scheduler),
                                         cause or exc) from None
                raise ConfigError("--scheduler", f"the Dask cluster at {_short(scheduler)} "
                                                 f"failed a task ({type(exc).__name__}: "
                                                 f"{_short(exc, 80)})",
                                  "check the scheduler's and workers' logs") from None
            yield record
            if should_stop is not None and should_stop():
                return
    finally:
        client.cancel([f for f in futures if not f.done()])
        if owned:
            client.close()


def run_sweep(
    plan: SweepPlan,
    *,
    out_dir: str | Path | None = None,
    jobs: int | None = None,
    scheduler: Any = None,
    progress: Callable[[int, int], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> pd.DataFrame:
    """Run the plan's tasks and return the ``sweep.csv`` rows (a DataFrame).

    Parameters
    ----------
    out_dir
        Folder for ``sweep.json``, the task store ``runs/`` and, once every task is done,
        ``sweep.csv`` and ``sweep_summary.csv``. Tasks already stored there are reused. ``None``
        keeps everything in memory (nothing reused, nothing written).
    jobs
        Worker processes on this machine (joblib's loky backend, one BLAS/OpenMP thread each).
        ``None``: one per CPU, or this process alone when the estimated work is under
        :data:`MIN_PARALLEL_S` (starting workers would cost more). With 1, tasks run in this
        process (and ``should_stop`` can cancel a race half-way).
    scheduler
        A Dask scheduler address (``"tcp://host:8786"``) or a ``distributed.Client``: run the
        tasks on that cluster instead (``jobs`` is then ignored). Workers need ``lab`` importable.
    progress
        ``progress(done, total)`` over all tasks of the plan: called once before any task runs
        (``done`` = tasks reused from the store) and once after every task that ran.
    should_stop
        Polled between tasks (and, with ``jobs=1``, inside the race); True stops the sweep. Tasks
        finished by then are stored; the returned frame holds only them.

    The frame's ``attrs`` say what happened: ``reused``, ``ran``, ``complete``, ``runner`` and
    ``task_seconds`` (the wall seconds of the tasks that ran, summed over workers).
    Rows come in plan order (setting, then seed, then contender) whoever finished first.
    """
    runs = Path(out_dir) / "runs" if out_dir is not None else None
    if out_dir is not None:
        try:
            _start_sweep_folder(Path(out_dir), json.dumps(plan.to_dict(), indent=2) + "\n")
        except OSError as exc:
            raise ConfigError("--out", f"cannot write to {_short(out_dir)} "
                                       f"({exc.strerror or exc})",
                              "give a folder you can write to") from None
    records: dict[str, dict] = {}
    if runs is not None:
        for task in plan.tasks:
            if task.key not in records:
                record = _load_stored(runs, task)
                if record is not None:
                    records[task.key] = record
    reused = sum(1 for t in plan.tasks if t.key in records)
    total = plan.n_runs
    # Distinct pending configs (equal settings share a key), the most expensive first so the
    # last task to start is a short one (longest-processing-time-first scheduling).
    pending: dict[str, dict] = {}
    cost = {s.index: estimate_task_seconds(s.experiment) for s in plan.settings}
    for task in sorted(plan.tasks, key=lambda t: -cost[t.setting]):
        if task.key not in records and task.key not in pending:
            pending[task.key] = task.config
    counts = {}
    for task in plan.tasks:
        counts[task.key] = counts.get(task.key, 0) + 1

    if scheduler is not None:
        runner = f"dask {scheduler if isinstance(scheduler, str) else 'client'}"
        stream = _run_dask(list(pending.values()), scheduler, should_stop)
    else:
        if jobs is None:
            # one worker per CPU, unless the work would not pay for starting the workers
            work = sum(cost[t.setting] for t in plan.tasks if t.key in pending)
            jobs = _default_jobs() if work >= MIN_PARALLEL_S else 1
        elif int(jobs) < 1:
            raise ConfigError("--jobs", f"must be at least 1, got {jobs}",
                              "use e.g. --jobs 2, or leave it out for one per CPU")
        jobs = min(int(jobs), max(1, len(pending)))
        runner = f"{jobs} local process{'es' if jobs > 1 else ''}"
        stream = (_run_serial(pending.values(), should_stop) if jobs == 1 else
                  _run_joblib(list(pending.values()), jobs, should_stop))

    done = reused
    ran = 0
    task_seconds = 0.0
    if progress is not None:
        progress(done, total)
    if pending and not (should_stop is not None and should_stop()):
        for record in stream:
            key = record["key"]
            if record.get("ok") and runs is not None:
                _write_atomic(runs / f"{key}.json", json.dumps(record) + "\n")
            records[key] = record
            ran += 1
            task_seconds += record.get("wall_s", 0.0)
            done += counts[key]
            if progress is not None:
                progress(done, total)
    frame = _rows(plan, records)
    complete = all(t.key in records for t in plan.tasks)
    frame.attrs.update(reused=reused, ran=ran, complete=complete, runner=runner, total=total,
                       task_seconds=round(task_seconds, 3))
    if complete and out_dir is not None:
        for name, text in sweep_files(frame).items():
            _write_atomic(Path(out_dir) / name, text)
    return frame


# --------------------------------------------------------------------------------------------
# Tables
# --------------------------------------------------------------------------------------------
def _cell(value: Any) -> Any:
    """A varied value as a table cell: scalars as they are, lists and objects as JSON text."""
    return _canonical(value) if isinstance(value, (dict, list)) else value


def _rows(plan: SweepPlan, records: dict[str, dict]) -> pd.DataFrame:
    n_drifts = max(len(s.experiment.stream.drifts) for s in plan.settings)
    paths = plan.paths
    columns = (["setting", *paths, "seed", "contender", "status", *FIGURES]
               + [f"recovery_{k}" for k in range(n_drifts)]
               + [f"max_drop_{k}" for k in range(n_drifts)]
               + [f"accuracy_seg_{k}" for k in range(n_drifts + 1)] + ["error"])
    rows = []
    for task in plan.tasks:
        record = records.get(task.key)
        if record is None:
            continue
        setting = plan.settings[task.setting]
        head = {"setting": task.setting, **{p: _cell(setting.values[p]) for p in paths},
                "seed": task.seed}
        if not record.get("ok"):
            for spec in setting.experiment.contenders:
                rows.append({**head, "contender": spec.name, "status": "failed",
                             "error": record.get("error")})
            continue
        for c in record["contenders"]:
            row = {**head, "contender": c["name"], "status": c["status"],
                   **{f: c[f] for f in FIGURES}, "error": c["error"]}
            for k, v in enumerate(c["recovery"]):
                row[f"recovery_{k}"] = v
            for k, v in enumerate(c["max_drop"]):
                row[f"max_drop_{k}"] = v
            for k, v in enumerate(c["accuracy_by_segment"]):
                row[f"accuracy_seg_{k}"] = v
            rows.append(row)
    frame = pd.DataFrame(rows, columns=columns)
    for col in columns:
        if col in FIGURES or col.startswith(("recovery_", "max_drop_", "accuracy_seg_")):
            frame[col] = pd.to_numeric(frame[col], errors="coerce").astype("float64")
    for col in ("retrains", "train_samples", "max_staleness"):
        if frame[col].notna().all():
            frame[col] = frame[col].astype("int64")
    return frame


def _varied_columns(df: pd.DataFrame) -> list[str]:
    cols = list(df.columns)
    return [c for c in cols[:cols.index("seed")] if c != "setting"]


def confidence_interval(values: Iterable[float], confidence: float = CONFIDENCE
                        ) -> tuple[float, float, float]:
    """``(mean, low, high)``: the Student-t interval of the mean of ``values`` (NaNs dropped).

    With one value the interval is undefined and both bounds are NaN (a single seed says nothing
    about the spread); with none, all three are NaN.

    >>> confidence_interval([1.0, 2.0, 3.0])  # mean 2, t(0.975, 2) = 4.303, s/sqrt(3) = 0.577
    (2.0, -0.484..., 4.484...)
    >>> confidence_interval([0.8])
    (0.8, nan, nan)
    """
    from scipy import stats

    x = np.asarray([v for v in values if v is not None], dtype=np.float64)
    x = x[~np.isnan(x)]
    if x.size == 0:
        return (math.nan, math.nan, math.nan)
    mean = float(x.mean())
    if x.size == 1:
        return (mean, math.nan, math.nan)
    half = float(stats.t.ppf(0.5 + confidence / 2, x.size - 1) * x.std(ddof=1) / math.sqrt(x.size))
    return (mean, mean - half, mean + half)


def summarise_sweep(df: pd.DataFrame) -> pd.DataFrame:
    """The ``sweep_summary.csv`` table: per setting and contender, over the seeds that succeeded,
    the mean and 95 % Student-t confidence interval of accuracy, train_samples, train_cpu_s,
    retrains and mean_staleness (``accuracy_mean``, ``accuracy_ci_low``, ``accuracy_ci_high``,
    ...), with ``n_seeds`` (seeds with figures) and ``n_failed``. One seed: the CI bounds are NaN.

    Takes the frame :func:`run_sweep` returns or ``pd.read_csv("sweep.csv")``.
    """
    paths = _varied_columns(df)
    columns = (["setting", *paths, "contender", "n_seeds", "n_failed"]
               + [f"{m}_{s}" for m in SUMMARY_METRICS for s in ("mean", "ci_low", "ci_high")])
    out = []
    for (_, _), group in df.groupby(["setting", "contender"], sort=False):
        ok = group[group["status"] == "ok"]
        first = group.iloc[0]
        row = {"setting": first["setting"], **{p: first[p] for p in paths},
               "contender": first["contender"], "n_seeds": len(ok),
               "n_failed": int((group["status"] != "ok").sum())}
        for m in SUMMARY_METRICS:
            row[f"{m}_mean"], row[f"{m}_ci_low"], row[f"{m}_ci_high"] = \
                confidence_interval(ok[m])
        out.append(row)
    frame = pd.DataFrame(out, columns=columns)
    frame = frame.sort_values("setting", kind="stable").reset_index(drop=True)
    return frame


def pareto_front(summary: pd.DataFrame, cost: str = "train_samples_mean",
                 accuracy: str = "accuracy_mean") -> pd.Series:
    """Which rows of a summary are Pareto-optimal: no other row costs no more and is at least as
    accurate, being strictly better in one of the two. Rows without figures are never on it.

    >>> df = pd.DataFrame({"train_samples_mean": [1, 2, 2, 3, 4],
    ...                    "accuracy_mean": [0.70, 0.80, 0.75, 0.80, 0.90]})
    >>> pareto_front(df).tolist()
    [True, True, False, False, True]
    """
    c = pd.to_numeric(summary[cost], errors="coerce").to_numpy(dtype=float)
    a = pd.to_numeric(summary[accuracy], errors="coerce").to_numpy(dtype=float)
    on = np.zeros(len(summary), dtype=bool)
    valid = np.flatnonzero(~(np.isnan(c) | np.isnan(a)))
    best = -math.inf  # the best accuracy among strictly cheaper rows
    order = valid[np.lexsort((-a[valid], c[valid]))]  # cost ascending, accuracy descending
    sorted_cost = c[order]
    k = 0
    while k < len(order):
        j = k
        while j < len(order) and sorted_cost[j] == sorted_cost[k]:
            j += 1
        same = order[k:j]  # rows of equal cost, the most accurate first
        top = a[same[0]]
        if top > best:
            on[same[a[same] == top]] = True
        best = max(best, top)
        k = j
    return pd.Series(on, index=summary.index, name="pareto")


def sweep_files(df: pd.DataFrame) -> dict[str, str]:
    """``sweep.csv`` and ``sweep_summary.csv`` as text: the CLI writes them, the app serves them."""
    return {"sweep.csv": df.to_csv(index=False, lineterminator="\n"),
            "sweep_summary.csv": summarise_sweep(df).to_csv(index=False, lineterminator="\n")}
