"""How long the Data and Boundary tabs take to open, old code against new (a benchmark, not a test).

``bench/browser_speed.py`` times every figure of issue 13 once per pass; this script times only
the first open of a few result tabs after the default race, and can serve several checkouts at
once so that a change is compared A/B on the same (shared, noisy) machine: one warm server per
checkout, passes interleaved (checkout A, B, A, B, ...), the median of each printed.

Each pass, per checkout: a fresh page, a seed no earlier race used (so the run store cannot
answer), the race, then a click on each tab in turn, timed from the click event to the tab's
charts being drawn (``browser_speed.DONE_JS``); the server's script-run time is printed with it,
and the medians of the CPU seconds the server and the browser used (the other checkouts' servers,
idle meanwhile, count with the browser: a few hundredths of a second).

Run from the project root::

    python bench/tab_speed.py                           # this checkout, Data and Boundary, 3 passes
    python bench/tab_speed.py --root /tmp/old --root .  # A/B: an older export against this one
    python bench/tab_speed.py --tabs Boundary --repeat 5

An older checkout can be exported without touching any worktree:
``git archive <commit> | tar -x -C /tmp/old``.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import os
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _load(path: Path, name: str):
    """A module loaded from its file (``bench/`` and ``tests/`` are not packages)."""
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


speed = _load(ROOT / "bench" / "browser_speed.py", "browser_speed")


def server_env(root: Path) -> dict[str, str]:
    """A production server's environment with ``root``'s ``lab`` and ``ui`` first on the path."""
    env = {k: v for k, v in os.environ.items() if k != "DRIFTLAB_TEST_HOOKS"}
    env["PYTHONPATH"] = str(root)
    return env


def one_pass(browser, url: str, server_pid: int, seed: int,
             tabs: list[str]) -> dict[str, tuple[float, float, float]]:
    """``(seconds, server CPU-s, browser CPU-s)`` of the first open of each of ``tabs`` after a
    default race with ``seed``, on the server with process id ``server_pid``. The CPU seconds
    barely change with the load other work puts on the machine, unlike the clock: compare
    them first."""
    speed.SERVER["pid"] = server_pid  # so that its CPU is not counted as the browser's
    context = browser.new_context(viewport=speed.VIEWPORT)
    page = speed.open_app(context, url)
    speed.set_number(page, "seed", seed)
    speed.run_race(page)
    times = {}
    for name in tabs:
        tab = page.get_by_role("tab", name=name, exact=True)
        before = speed.cpu_used()
        seconds = speed.timed_click(page, tab, name, "tab")
        server_cpu, browser_cpu = (a - b for a, b in zip(speed.cpu_used(), before))
        times[name] = (seconds, server_cpu, browser_cpu)
    context.close()
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--root", action="append", type=Path,
                        help="a checkout to serve (repeat for A/B; default: this one)")
    parser.add_argument("--tabs", nargs="+", default=["Data", "Boundary"])
    parser.add_argument("--repeat", type=int, default=3, help="passes per checkout")
    args = parser.parse_args()
    roots = [r.resolve() for r in (args.root or [ROOT])]
    if not os.path.exists(speed.CHROMIUM):
        sys.exit(f"chromium is needed at {speed.CHROMIUM}")
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="driftlab-tabs-") as tmp, \
            contextlib.ExitStack() as stack:
        urls, pids = [], []
        for k, root in enumerate(roots):
            folder = Path(tmp) / str(k)
            folder.mkdir()
            serve_app = _load(root / "tests" / "app_server.py", f"app_server_{k}").serve_app
            url, server = stack.enter_context(serve_app(folder, env=server_env(root),
                                                        wait_s=120, fail=sys.exit))
            urls.append(url)
            pids.append(server.pid)
        pw = stack.enter_context(sync_playwright())
        browser = pw.chromium.launch(executable_path=speed.CHROMIUM, args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
            "--disable-background-networking", "--disable-component-update"])
        for url in urls:  # warm each server: a page served and a race run
            warm = speed.open_app(browser.new_context(viewport=speed.VIEWPORT), url)
            speed.set_number(warm, "seed", 1)
            speed.run_race(warm)
            warm.context.close()
        results: list[list[dict[str, tuple[float, float, float]]]] = [[] for _ in roots]
        for p in range(args.repeat):
            for k, (root, url, pid) in enumerate(zip(roots, urls, pids)):
                print(f"pass {p + 1}, {root}:", flush=True)
                results[k].append(one_pass(browser, url, pid, 2000 + 10 * p, args.tabs))
        browser.close()
    print(f"\nFirst open of a tab after the default race, chromium "
          f"{speed.VIEWPORT['width']}x{speed.VIEWPORT['height']}, {args.repeat} interleaved "
          "passes (seconds, click to drawn; target 1.5; and the CPU seconds the server and "
          "the browser used meanwhile)")
    for root, passes in zip(roots, results):
        print(root)
        for name in args.tabs:
            for column, label in enumerate(("seconds", "server CPU", "browser CPU")):
                values = [p[name][column] for p in passes]
                print(f"  {name if column == 0 else '':10} {label:11} median "
                      f"{statistics.median(values):5.2f}   "
                      f"{' '.join(f'{v:.2f}' for v in values)}")


if __name__ == "__main__":
    main()
