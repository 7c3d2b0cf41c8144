"""Test-suite set-up: lets tests marked ``alone`` run with no other test at the same time.

The suite runs on two pytest-xdist workers (``-n 2`` in pyproject.toml). A few tests judge
wall-clock seconds (e.g. "the race stops within 1.5 s of Stop"); a test on the other worker would
take half the machine from them and make them fail for a reason that is not theirs. Every test
therefore takes a shared turn and an ``alone`` test an exclusive one: two ``flock`` files in a
folder the controller creates for the run (a turnstile first, so a waiting ``alone`` test is not
starved by the other worker's stream of shared turns). Without xdist nothing is locked.

(``lab`` and ``ui`` come from the installed project, ``helpers``/``browser_fixtures`` from the
``pythonpath`` setting: no ``sys.path`` edits here.)
"""

from __future__ import annotations

import contextlib
import fcntl
import tempfile
from pathlib import Path

import pytest

LOCK_DIR = pytest.StashKey[tempfile.TemporaryDirectory]()
WORKER_INPUT_KEY = "driftlab_lock_dir"


def pytest_configure(config):
    if not hasattr(config, "workerinput"):  # the controller (or a run without xdist)
        config.stash[LOCK_DIR] = tempfile.TemporaryDirectory(prefix="driftlab-test-turns-")


def pytest_unconfigure(config):
    if LOCK_DIR in config.stash:
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
            yield
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
    with _turn(Path(folder), alone=item.get_closest_marker("alone") is not None):
        return (yield)
