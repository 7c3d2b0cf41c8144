"""Fixtures for the browser tests: Debian's chromium for pytest-playwright and a live
``streamlit run app.py`` on a port of its own (see ../shared/TESTING.md).

The fixtures are registered for every test by ``tests/conftest.py`` (once: one chromium set-up
and one app server for the session, not one per module that imports them); the browser tests
import the helpers (``wait_idle``, ``streamlit_server``) and constants from here.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from pathlib import Path

import pytest
from app_server import ROOT, serve_app, shared_app_url

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = ROOT / "artifacts" / "screenshots"  # git-ignored; the README names it
RUN_BUTTON = ".st-key-run button >> visible=true"  # the race page's Run (one of its two is shown)
VIEWPORT = {"width": 1366, "height": 768}

# The fixtures below are registered once, in tests/conftest.py: a fixture a test module imports
# is that module's own, so a "session" server imported by nine modules was nine servers (each
# started by its module's first browser test, each kept until the end of the session).
__all__ = ["ARTIFACTS", "VIEWPORT", "CHROMIUM"]


def _need_chromium() -> None:
    if not os.path.exists(CHROMIUM):
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"chromium is required here (REQUIRE_BROWSER=1) but {CHROMIUM} is missing")
        pytest.skip("chromium not installed (set REQUIRE_BROWSER=1 to make this a failure)")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    _need_chromium()
    return {**browser_type_launch_args, "executable_path": CHROMIUM,
            "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                     "--no-first-run", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync"]}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": VIEWPORT}


@contextlib.contextmanager
def streamlit_server(folder: Path, *options: str, env: dict | None = None,
                     script: str | Path = "app.py"):
    """``(url, process)`` of ``streamlit run <script>`` (the app unless a test gives its own
    page) on a port of its own, its log in ``folder`` (``app_server.serve_app``); a server that
    does not come up fails the test."""
    _need_chromium()
    with serve_app(folder, *options, env=env, script=script, fail=pytest.fail) as running:
        yield running


@pytest.fixture(scope="session")
def app_url(request, tmp_path_factory):
    """The url of a plain ``streamlit run app.py``. Under pytest-xdist, one server for the whole
    run, shared by the workers (``app_server.shared_app_url``; the controller stops it); without
    xdist, this process's own for the session. Tests that measure the server or need other
    settings start their own (:func:`streamlit_server`)."""
    _need_chromium()
    shared = getattr(request.config, "workerinput", {}).get("driftlab_lock_dir")
    if shared is not None:  # conftest.WORKER_INPUT_KEY: the run's shared folder
        yield shared_app_url(Path(shared), fail=pytest.fail)
        return
    with streamlit_server(tmp_path_factory.mktemp("streamlit")) as (url, _):
        yield url


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


def wait_idle(page, timeout=60_000, run_due=True):
    """Wait until the app's script run is over.

    ``stStatusWidget`` (the "Running..." indicator) never appears with ``toolbarMode="minimal"``,
    so waiting for it to vanish returned at once; the app root's ``data-test-script-state``
    says whether a run is going on.

    Right after a click the run it starts may not have begun yet (the state still says
    "notRunning"), so first wait up to 300 ms for the state to leave "notRunning" (a run
    requested or going on): a click's run shows within a few frames, so the full 300 ms are
    only spent when nothing runs (a fixed 300 ms pause did this before, about 80 times a suite).
    ``run_due=False`` skips that wait, for steps that start no run: a new viewport size, say
    (the app has no component that tells the server the window's size; a resize redraws in
    the browser only).
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from playwright.sync_api import expect

    if run_due:
        try:
            page.wait_for_function(_A_RUN_IS_DUE, timeout=300)
        except PlaywrightTimeout:
            pass  # no run came: the page was idle already
    expect(page.locator('[data-testid="stApp"][data-test-script-state="notRunning"]')) \
        .to_have_count(1, timeout=timeout)


# "initial" (no run yet), "running", "rerunRequested", "stopRequested": anything but idle
_A_RUN_IS_DUE = """() => {
    const app = document.querySelector('[data-testid="stApp"]');
    return !app || app.getAttribute('data-test-script-state') !== 'notRunning';
}"""
