"""``streamlit run app.py`` on a port of its own, for the browser tests and ``bench/``.

Kept free of pytest so ``bench/browser_speed.py`` (a benchmark, run as a plain script) starts the
server exactly the way the browser tests do; ``browser_fixtures.streamlit_server`` wraps it with
pytest's skip/fail.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import NoReturn

ROOT = Path(__file__).resolve().parents[1]
SERVED_PORT = re.compile(r"URL: http://[^:/\s]+:(\d+)")  # streamlit's "URL: http://localhost:PORT"


def _raise(message: str) -> NoReturn:
    raise RuntimeError(message)


def production_env() -> dict[str, str]:
    """The environment of a real server: no test hooks (see ``tests/helpers.new_app``)."""
    return {k: v for k, v in os.environ.items() if k != "DRIFTLAB_TEST_HOOKS"}


def start_app(folder: Path, *options: str, env: dict | None = None,
              script: str | Path = "app.py", wait_s: float = 60.0,
              fail: Callable[[str], NoReturn] = _raise) -> tuple[str, subprocess.Popen]:
    """``(url, process)`` of a started ``streamlit run <script>`` that answers, its log in
    ``folder``; ``options`` are extra command-line settings (e.g. a short
    ``disconnectedSessionTTL``). ``fail`` is called with the log's tail when the server exits
    early or does not answer within ``wait_s`` seconds (the server is stopped first)."""
    log = folder / "server.log"
    with open(log, "wb") as out:
        # --server.port 0: the system picks a free port as the server binds it (no window in
        # which another process could take a port found free beforehand); the log names it.
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(script), "--server.headless", "true",
             "--server.port", "0", "--browser.gatherUsageStats", "false", *options],
            cwd=ROOT, stdout=out, stderr=subprocess.STDOUT,
            env=production_env() if env is None else env)
    url = None
    try:
        for _ in range(int(wait_s / 0.5)):  # until the log names the port and health answers
            if proc.poll() is not None:
                fail(f"streamlit exited early:\n{log.read_text()[-3000:]}")
            if url is None and (found := SERVED_PORT.search(log.read_text(errors="replace"))):
                url = f"http://localhost:{found[1]}"
            if url is not None:
                try:
                    urllib.request.urlopen(url + "/_stcore/health", timeout=1)
                    return url, proc
                except OSError:
                    pass
            time.sleep(0.5)
        fail(f"streamlit did not answer:\n{log.read_text()[-3000:]}")
    except BaseException:
        stop_app(proc.pid, log)
        raise
    raise AssertionError("unreachable: fail() returned")


def stop_app(pid: int, log: Path) -> None:
    """Stop the server ``pid`` (its own child or not: the shared server is stopped by the
    pytest-xdist controller, which did not start it), then print a traceback from its log.

    A server with a session still open can take over 10 s to stop on SIGTERM (the last test of
    a pytest-xdist worker carried 9.8 s of this teardown); a test server has nothing to save,
    so it gets 3 s before it is killed."""
    for sig, wait_s in ((signal.SIGTERM, 3.0), (signal.SIGKILL, 10.0)):
        try:
            os.kill(pid, sig)
        except ProcessLookupError:
            break
        deadline = time.monotonic() + wait_s
        while time.monotonic() < deadline and _running(pid):
            time.sleep(0.05)
        if not _running(pid):
            break
    server_log = log.read_text(errors="replace") if log.exists() else ""
    if "Traceback" in server_log:
        print(f"streamlit server log ({log}):\n{server_log[-4000:]}")


def _running(pid: int) -> bool:
    """Whether ``pid`` still runs: reaped here if it is this process's child, and a zombie left
    by an ended parent (or one not yet reaped) counts as stopped."""
    try:
        if os.waitpid(pid, os.WNOHANG)[0] == pid:
            return False
    except ChildProcessError:
        pass  # not this process's child
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@contextlib.contextmanager
def serve_app(folder: Path, *options: str, env: dict | None = None,
              script: str | Path = "app.py", wait_s: float = 60.0,
              fail: Callable[[str], NoReturn] = _raise):
    """``(url, process)`` of ``streamlit run <script>`` (:func:`start_app`), stopped on exit;
    a traceback in its log is printed so a failing caller shows it."""
    url, proc = start_app(folder, *options, env=env, script=script, wait_s=wait_s, fail=fail)
    try:
        yield url, proc
    finally:
        stop_app(proc.pid, folder / "server.log")


# -- One app server for every pytest-xdist worker ---------------------------------------------
# The browser tests that need the plain app (``browser_fixtures.app_url``) share one server
# across the run's workers: a second server costs a start (~3 CPU-s, several seconds of a
# worker's wall time) and computes again the races the first one has in its caches (the
# default race, the presets a link opens). The first worker to ask starts it, under a lock in
# the run's shared folder (tests/conftest.py), and writes where it is; the other reads that.
# The controller stops it at the end of the run (``stop_shared_app``), when no worker needs it.
SHARED_FILE = "shared_app.json"


def shared_app_url(folder: Path, fail: Callable[[str], NoReturn] = _raise) -> str:
    """The url of the run's shared app server, started here if no worker has started it."""
    with open(folder / "shared_app.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            where = folder / SHARED_FILE
            if where.exists():
                return json.loads(where.read_text())["url"]
            log_folder = folder / "shared_app"
            log_folder.mkdir(exist_ok=True)
            url, proc = start_app(log_folder, fail=fail)
            where.write_text(json.dumps({"url": url, "pid": proc.pid,
                                         "log": str(log_folder / "server.log")}))
            return url
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def stop_shared_app(folder: Path) -> None:
    """Stop the run's shared app server, if a worker started one."""
    where = folder / SHARED_FILE
    if where.exists():
        shared = json.loads(where.read_text())
        stop_app(shared["pid"], Path(shared["log"]))
