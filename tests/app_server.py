"""``streamlit run app.py`` on a port of its own, for the browser tests and ``bench/``.

Kept free of pytest so ``bench/browser_speed.py`` (a benchmark, run as a plain script) starts the
server exactly the way the browser tests do; ``browser_fixtures.streamlit_server`` wraps it with
pytest's skip/fail.
"""

from __future__ import annotations

import contextlib
import os
import re
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


@contextlib.contextmanager
def serve_app(folder: Path, *options: str, env: dict | None = None,
              script: str | Path = "app.py", wait_s: float = 60.0,
              fail: Callable[[str], NoReturn] = _raise):
    """``(url, process)`` of ``streamlit run <script>``, its log in ``folder``; ``options`` are
    extra command-line settings (e.g. a short ``disconnectedSessionTTL``). ``fail`` is called with
    the log's tail when the server exits early or does not answer within ``wait_s`` seconds.
    Stopped on exit; a traceback in its log is printed so a failing caller shows it."""
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
                    break
                except OSError:
                    pass
            time.sleep(0.5)
        else:
            fail(f"streamlit did not answer:\n{log.read_text()[-3000:]}")
        yield url, proc
    finally:
        # A server with a session still open can take over 10 s to stop on SIGTERM (the last
        # test of a pytest-xdist worker carried 9.8 s of this teardown); a test server has
        # nothing to save, so it gets 3 s before it is killed.
        proc.terminate()
        try:
            proc.wait(3)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)
        server_log = log.read_text(errors="replace")
        if "Traceback" in server_log:
            print(f"streamlit server log ({log}):\n{server_log[-4000:]}")
