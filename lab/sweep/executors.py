"""Running a sweep's tasks: in this process, on joblib worker processes, or on a Dask cluster.

Every executor runs the same :func:`run_task` on the same normalised configs, so the numbers do
not depend on who ran them (all but the measured ``train_cpu_s``); :func:`run_sweep` stores each
finished task at once (resume) and writes the tables once every task is done.
"""

from __future__ import annotations

import copy
import json
import os
import platform
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

from lab.spec.errors import ConfigError
from lab.sweep.cost import MIN_PARALLEL_S, estimate_task_seconds
from lab.sweep.grammar import quoted_short
from lab.sweep.plan import SweepPlan, task_key
from lab.sweep.stats import sweep_files, task_rows
from lab.sweep.store import STORE_FORMAT, load_stored, start_sweep_folder, write_atomic
from lab.validate import parse_experiment


def run_task(config: dict, should_stop: Callable[[], bool] | None = None) -> dict | None:
    """Run one task where it stands (worker or this process): the stored record, or ``None`` if
    ``should_stop`` cancelled it.

    BLAS / OpenMP pools are limited to one thread so that parallel workers do not oversubscribe
    the cores and every runner sums floating point in the same order.
    """
    from threadpoolctl import threadpool_limits

    from lab.race.engine import run_race
    from lab.race.metrics import summarise

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
                       f"({type(exc).__name__}: {quoted_short(exc, 60)})",
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
        raise ConfigError("--scheduler", f"cannot reach a Dask scheduler at "
                                         f"{quoted_short(scheduler)} "
                                         f"({type(exc).__name__}: {quoted_short(exc, 80)})",
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
                raise ConfigError("--scheduler", f"the Dask cluster at "
                                                 f"{quoted_short(scheduler)} failed a task "
                                                 f"({type(exc).__name__}: "
                                                 f"{quoted_short(exc, 80)})",
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
            start_sweep_folder(Path(out_dir), json.dumps(plan.to_dict(), indent=2) + "\n")
        except OSError as exc:
            raise ConfigError("--out", f"cannot write to {quoted_short(out_dir)} "
                                       f"({exc.strerror or exc})",
                              "give a folder you can write to") from None
    records: dict[str, dict] = {}
    if runs is not None:
        for task in plan.tasks:
            if task.key not in records:
                record = load_stored(runs, task.key, task.config)
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
                write_atomic(runs / f"{key}.json", json.dumps(record) + "\n")
            records[key] = record
            ran += 1
            task_seconds += record.get("wall_s", 0.0)
            done += counts[key]
            if progress is not None:
                progress(done, total)
    frame = task_rows(plan, records)
    complete = all(t.key in records for t in plan.tasks)
    frame.attrs.update(reused=reused, ran=ran, complete=complete, runner=runner, total=total,
                       task_seconds=round(task_seconds, 3))
    if complete and out_dir is not None:
        for name, text in sweep_files(frame).items():
            write_atomic(Path(out_dir) / name, text)
    return frame
