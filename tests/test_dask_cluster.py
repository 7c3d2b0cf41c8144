"""Sweeps on a real Dask cluster: ``dask scheduler`` and ``dask worker`` started as separate
processes, the way the README tells users to (not an in-process ``LocalCluster``). The sweep
command itself runs in the test's process (``lab.cli.main``): a ``python -m lab`` process of its
own would only add its imports; the tasks still run in the cluster's processes (checked by pid).

A scheduler that cannot import ``lab`` used to fail with a raw "Error during deserialization of
the task graph" traceback, and a worker that cannot import it dropped its connection and left
the sweep waiting forever; both now give one line naming the fix.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

import lab.sweep.executors as executors
from lab.cli import main

ROOT = Path(__file__).resolve().parents[1]
DASK = Path(sys.executable).parent / "dask"

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not DASK.exists(), reason="the `dask` command is not installed")]

CONFIG = {"seed": 3, "stream": {"source": "sea", "n_samples": 2000},
          "evaluation": {"warmup": 500, "window": 200, "step": 100},
          "contenders": [{"name": "Frozen", "model": "sk.gaussian_nb",
                          "policy": {"kind": "frozen"}},
                         {"name": "Periodic", "model": "sk.gaussian_nb",
                          "policy": {"kind": "periodic", "every": 500}}]}
VARY = "contenders[1].policy.every=500,1000"  # 2 settings x 1 seed


def _env(importable: bool, scratch: Path) -> dict:
    """The environment of a scheduler or worker that can import this project, or of one on a
    machine without it. The project is installed (editable) in this virtual environment, so a
    process there imports ``lab`` from any folder; a stand-in ``lab`` first on ``PYTHONPATH``
    fails to import the way a missing package does (the same ``ModuleNotFoundError``)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    if importable:
        env["PYTHONPATH"] = str(ROOT)  # what the README tells users to do
    else:
        missing = scratch / "without-driftlab" / "lab"
        missing.mkdir(parents=True, exist_ok=True)
        (missing / "__init__.py").write_text(
            'raise ModuleNotFoundError("No module named \'lab\'", name="lab")\n')
        env["PYTHONPATH"] = str(missing.parent)
    return env


def _start_scheduler(folder: Path, importable: bool, **popen) -> tuple[subprocess.Popen, str]:
    """A ``dask scheduler`` process on a port the system picks (``--port 0``: no race with
    another test for a "free" port), and its address, read from its ``--scheduler-file``."""
    info = folder / "scheduler.json"
    proc = subprocess.Popen(
        [str(DASK), "scheduler", "--host", "127.0.0.1", "--port", "0",
         "--dashboard-address", "127.0.0.1:0", "--scheduler-file", str(info)],
        cwd=ROOT if importable else folder, env=_env(importable, folder),
        start_new_session=True, **popen)
    deadline = time.monotonic() + 60
    while True:  # the file appears once the scheduler listens
        try:
            return proc, json.loads(info.read_text())["address"]
        except (OSError, ValueError, KeyError):
            if proc.poll() is not None or time.monotonic() > deadline:
                _stop(proc)
                raise RuntimeError(
                    f"the dask scheduler did not start (exit code {proc.poll()})") from None
            time.sleep(0.3)


def _stop(proc: subprocess.Popen) -> None:
    """Stop a process group this test started: SIGTERM, then SIGKILL if it lingers."""
    if proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=20)
    except ProcessLookupError:
        pass


@pytest.fixture
def start_cluster(tmp_path):
    """``start_cluster(scheduler_imports, worker_imports)``: a ``dask scheduler`` and one
    ``dask worker`` process, each started either so that it can import this project
    (``PYTHONPATH`` set to it) or not (run from a scratch folder, ``PYTHONPATH`` unset); returns
    the scheduler address once the worker has joined. Every process is stopped afterwards."""
    started: list[subprocess.Popen] = []

    def start(scheduler_imports: bool, worker_imports: bool) -> str:
        scratch = tmp_path / f"cluster-{len(started)}"
        (scratch / "scheduler").mkdir(parents=True)
        (scratch / "worker").mkdir()
        log = open(scratch / "scheduler.log", "w")
        scheduler, address = _start_scheduler(scratch / "scheduler", scheduler_imports,
                                              stdout=log, stderr=subprocess.STDOUT)
        started.append(scheduler)
        log = open(scratch / "worker.log", "w")
        started.append(subprocess.Popen(
            [str(DASK), "worker", address, "--nworkers", "1", "--nthreads", "1",
             "--dashboard-address", "127.0.0.1:0",
             "--local-directory", str(scratch / "worker")],
            cwd=ROOT if worker_imports else scratch / "worker",
            env=_env(worker_imports, scratch / "worker"),
            stdout=log, stderr=subprocess.STDOUT, start_new_session=True))
        from distributed import Client

        client = Client(address, timeout="30s")
        try:
            client.wait_for_workers(1, timeout=60)
        finally:
            client.close()
        return address

    yield start
    for proc in reversed(started):
        _stop(proc)


def _sweep(capsys, out: Path, config: Path, *extra: str) -> tuple[int, str]:
    """``python -m lab sweep`` run in this process (``lab.cli.main``, the command's own entry):
    the same code as a separate ``python -m lab`` process, without its ~2.5 CPU-s of imports.
    Returns the exit code and what the command wrote to stderr."""
    capsys.readouterr()
    rc = main(["sweep", "--config", str(config), "--vary", VARY, "--out", str(out), "--quiet",
               *extra])
    return rc, capsys.readouterr().err


@pytest.fixture
def config(tmp_path) -> Path:
    path = tmp_path / "c.json"
    path.write_text(json.dumps(CONFIG))
    return path


def test_a_sweep_on_a_real_cluster_equals_the_local_sweep(start_cluster, config, tmp_path,
                                                          capsys):
    address = start_cluster(True, True)
    rc, err = _sweep(capsys, tmp_path / "remote", config, "--scheduler", address)
    assert rc == 0, err
    rc, err = _sweep(capsys, tmp_path / "local", config, "--jobs", "1")
    assert rc == 0, err
    measured = ["train_cpu_s"]  # the only figure that is timed, not computed
    a = pd.read_csv(tmp_path / "remote" / "sweep.csv").drop(columns=measured)
    b = pd.read_csv(tmp_path / "local" / "sweep.csv").drop(columns=measured)
    assert len(a) == 2 * 2  # settings x contenders
    pd.testing.assert_frame_equal(a, b)
    records = [json.loads(p.read_text()) for p in (tmp_path / "remote" / "runs").iterdir()]
    assert len(records) == 2 and all(r["pid"] != os.getpid() for r in records)


@pytest.mark.parametrize("scheduler_imports, side", [(False, "the Dask scheduler"),
                                                     (True, "Dask worker")],
                         ids=["scheduler-cannot-import", "worker-cannot-import"])
def test_a_cluster_that_cannot_import_the_project_gives_one_line(
        start_cluster, config, tmp_path, capsys, scheduler_imports, side):
    address = start_cluster(scheduler_imports, False)
    rc, err = _sweep(capsys, tmp_path / "out", config, "--scheduler", address)
    assert rc == 2, err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in err, err
    assert f"{side}" in lines[0] and "cannot import Driftlab's `lab` package" in lines[0]
    assert f"PYTHONPATH={ROOT} dask worker {address}" in lines[0]
    assert not (tmp_path / "out" / "sweep.csv").exists()


def test_a_scheduler_without_workers_gives_one_line(tmp_path, config, monkeypatch, capsys):
    # In this process, with the wait for a first worker cut from 10 s to 2 s (the message is
    # the same; only the test's wall time changes).
    monkeypatch.setattr(executors, "DASK_CONNECT_S", 2)
    proc, address = _start_scheduler(tmp_path, True, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL)
    try:
        rc = main(["sweep", "--config", str(config), "--vary", VARY,
                   "--out", str(tmp_path / "out"), "--quiet", "--scheduler", address])
    finally:
        _stop(proc)
    err = capsys.readouterr().err
    assert rc == 2, err
    assert err.count("\n") == 1 and "has no workers (none joined within 2 s)" in err
    assert not (tmp_path / "out" / "sweep.csv").exists()
