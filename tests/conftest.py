"""Test-suite set-up: lets tests marked ``alone`` run with no other test at the same time.

The suite runs on two pytest-xdist workers (``-n 2`` in pyproject.toml). A few tests judge
wall-clock seconds (e.g. "the race stops within 1.5 s of Stop"); a test on the other worker would
take half the machine from them and make them fail for a reason that is not theirs. Every test
therefore takes a shared turn and an ``alone`` test an exclusive one: two ``flock`` files in a
folder the controller creates for the run (a turnstile first, so a waiting ``alone`` test is not
starved by the other worker's stream of shared turns). Without xdist nothing is locked.

A test whose timed part is a few seconds of a longer test (after starting a server, loading a
page, starting a race) takes the exclusive turn around that part only, with the ``alone_turn``
fixture (``with alone_turn(): ...``): the other worker then waits while the measurement runs,
not for the whole test.

(``lab`` and ``ui`` come from the installed project, ``helpers``/``browser_fixtures`` from the
``pythonpath`` setting: no ``sys.path`` edits here.)
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import tempfile
from pathlib import Path

import pytest
from app_server import stop_shared_app

# The browser tests' fixtures (chromium for pytest-playwright, the live app, the screenshots'
# folder), registered here once for the session: imported into each test module instead, each
# module had its own copy of the "session" app server.
from browser_fixtures import (  # noqa: F401
    app_url,
    artifacts,
    browser_context_args,
    browser_type_launch_args,
)

# One BLAS / OpenMP thread per test process, as every race runs (lab.race.engine.run_race
# limits its own threads; this covers the rest of a test: figures, lesson runners, fits). Two
# pytest-xdist workers on two cores, each with a thread per core, oversubscribe the machine:
# OpenMP's waiting threads spin, and small fits (histogram gradient boosting, logistic
# regression) took 2-50x the CPU for the same results (tests/test_engine.py: 60 -> 33 CPU-s on
# a busy machine). Set here, before any test module imports numpy or scikit-learn (their thread
# pools read these when they load), and inherited by the app servers and `python -m lab`
# processes the tests start. A value the user set is kept.
for _threads in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_threads, "1")

# Run estimates as on the machine the cost table was measured on (lab.sweep.machine_speed): the
# tests' thresholds ("a link's race over 5 s waits for Run", "refused over 60 s") then do not
# move with the machine the suite runs on, and no test process pays for the probe race. The
# probe itself and the scaled estimates are tested with the factor given explicitly
# (tests/test_machine_speed.py, tests/test_hostile_budget.py). Inherited by the app servers.
os.environ["DRIFTLAB_SPEED_FACTOR"] = "1"

LOCK_DIR = pytest.StashKey[tempfile.TemporaryDirectory]()
TURN = pytest.StashKey[tuple]()  # (turn folder, the test's open "running" file) under xdist
WORKER_INPUT_KEY = "driftlab_lock_dir"


def pytest_configure(config):
    if not hasattr(config, "workerinput"):  # the controller (or a run without xdist)
        config.stash[LOCK_DIR] = tempfile.TemporaryDirectory(prefix="driftlab-test-turns-")


def pytest_unconfigure(config):
    if LOCK_DIR in config.stash:
        # the app server the workers shared (browser_fixtures.app_url), if one was started:
        # the workers are done with it now
        stop_shared_app(Path(config.stash[LOCK_DIR].name))
        config.stash[LOCK_DIR].cleanup()


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node):
    """(xdist, on the controller) tell each worker where the run's turn files are."""
    node.workerinput[WORKER_INPUT_KEY] = node.config.stash[LOCK_DIR].name


@contextlib.contextmanager
def _turn(folder: Path, alone: bool):
    """A shared turn, or with ``alone`` an exclusive one, for the duration of one test."""
    with open(folder / "turnstile", "a") as gate, open(folder / "running", "a") as running:
        fcntl.flock(gate, fcntl.LOCK_EX)
        try:
            fcntl.flock(running, fcntl.LOCK_EX if alone else fcntl.LOCK_SH)
        finally:
            if not alone:
                fcntl.flock(gate, fcntl.LOCK_UN)
        try:
            yield running
        finally:
            fcntl.flock(running, fcntl.LOCK_UN)
            if alone:
                fcntl.flock(gate, fcntl.LOCK_UN)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item, nextitem):
    """Hold the turn over the whole protocol: setup (module fixtures too), call and teardown."""
    folder = getattr(item.config, "workerinput", {}).get(WORKER_INPUT_KEY)
    if folder is None:
        return (yield)
    with _turn(Path(folder), alone=item.get_closest_marker("alone") is not None) as running:
        item.stash[TURN] = (Path(folder), running)
        return (yield)


@contextlib.contextmanager
def _alone_within(folder: Path, running):
    """Within a test holding a shared turn on the open file ``running``: an exclusive turn for
    the block (through the turnstile, as an ``alone`` test's, so it is not starved), then the
    shared turn back."""
    with open(folder / "turnstile", "a") as gate:
        fcntl.flock(running, fcntl.LOCK_UN)  # else the exclusive lock waits for this test
        fcntl.flock(gate, fcntl.LOCK_EX)
        try:
            fcntl.flock(running, fcntl.LOCK_EX)  # the other worker's test ends first
            yield
        finally:
            fcntl.flock(running, fcntl.LOCK_SH)  # the shared turn back, the gate still held
            fcntl.flock(gate, fcntl.LOCK_UN)


@pytest.fixture
def alone_turn(request):
    """``with alone_turn(): ...`` runs the block while no test runs on the other worker.
    Without xdist, or in a test marked ``alone``, it just runs the block."""
    folder, running = request.node.stash.get(TURN, (None, None))
    if folder is None or request.node.get_closest_marker("alone"):
        return contextlib.nullcontext
    return lambda: _alone_within(folder, running)
