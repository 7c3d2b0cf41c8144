"""Fixtures for the browser tests: Debian's chromium for pytest-playwright and a live
``streamlit run app.py`` on a port of its own (see ../shared/TESTING.md).

Imported by ``tests/test_browser.py`` (``from browser_fixtures import *``) so the fixtures stay
with the tests that use them.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = ROOT / "artifacts" / "screenshots"  # git-ignored; the README names it
VIEWPORT = {"width": 1366, "height": 768}
SERVED_PORT = re.compile(r"URL: http://[^:/\s]+:(\d+)")  # streamlit's "URL: http://localhost:PORT"

__all__ = ["browser_type_launch_args", "browser_context_args", "app_url", "artifacts", "ARTIFACTS",
           "VIEWPORT", "CHROMIUM"]


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
    page) on a port of its own, its log in ``folder``; ``options`` are extra command-line
    settings (e.g. a short ``disconnectedSessionTTL``).
    Stopped on exit; a traceback in its log is printed so a failing test shows it."""
    _need_chromium()
    log = folder / "server.log"
    if env is None:  # a real server as in production: no test hooks (tests/helpers.new_app)
        env = {k: v for k, v in os.environ.items() if k != "DRIFTLAB_TEST_HOOKS"}
    with open(log, "wb") as out:
        # --server.port 0: the system picks a free port as the server binds it (no window in
        # which another test could take a port found free beforehand); the log names it.
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(script), "--server.headless", "true",
             "--server.port", "0", "--browser.gatherUsageStats", "false", *options],
            cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, env=env)
    url = None
    try:
        for _ in range(120):  # until the log names the port and the health endpoint answers
            if proc.poll() is not None:
                pytest.fail(f"streamlit exited early:\n{log.read_text()[-3000:]}")
            if url is None and (found := SERVED_PORT.search(log.read_text(errors="replace"))):
                url = f"http://localhost:{found[1]}"
            if url is not None:
                try:
                    urllib.request.urlopen(url + "/_stcore/health", timeout=1)
                    break
                except OSError:
                    pass
            time.sleep(0.5)
        else:
            pytest.fail(f"streamlit did not answer:\n{log.read_text()[-3000:]}")
        yield url, proc
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
        server_log = log.read_text(errors="replace")
        if "Traceback" in server_log:
            print(f"streamlit server log ({log}):\n{server_log[-4000:]}")


@pytest.fixture(scope="session")
def app_url(tmp_path_factory):
    with streamlit_server(tmp_path_factory.mktemp("streamlit")) as (url, _):
        yield url


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


def wait_idle(page, timeout=60_000):
    """Wait until the app's script run is over.

    ``stStatusWidget`` (the "Running..." indicator) never appears with ``toolbarMode="minimal"``,
    so waiting for it to vanish returned at once; the app root's ``data-test-script-state``
    says whether a run is going on.
    """
    from playwright.sync_api import expect

    page.wait_for_timeout(300)
    expect(page.locator('[data-testid="stApp"][data-test-script-state="notRunning"]')) \
        .to_have_count(1, timeout=timeout)
