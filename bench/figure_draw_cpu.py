"""CPU seconds chromium spends drawing the Data and Boundary figures of the default race, for a
few point budgets (a benchmark, not a test).

The tabs' wall-clock time (``bench/tab_speed.py``) swings with the machine's load; the CPU time
of the browser's processes while ``Plotly.newPlot`` draws a figure does much less, so this is
the number to compare point budgets with on a shared machine. The figures are built by this
checkout's ``lab.plots`` (the default preset raced once, with its boundary snapshots) and drawn
with the plotly.js of the installed plotly package in a bare page 1,100 px wide (the result
tabs' width at 1366x768); the median of ``--repeat`` draws is printed with the wall time.

Run from the project root::

    python bench/figure_draw_cpu.py                    # the defaults
    python bench/figure_draw_cpu.py --boundary-points 400 60 --data-points 16000 2000
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
from pathlib import Path

import plotly

try:
    import psutil  # comes with dask[distributed] (requirements-dev.txt); the app needs none
except ImportError:  # pragma: no cover - only without it
    psutil = None

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"

DRAW_JS = """async (spec) => {
  const fig = JSON.parse(spec), div = document.getElementById('figure');
  const started = performance.now();
  await Plotly.newPlot(div, fig.data, fig.layout, {displaylogo: false});
  await new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)));
  return performance.now() - started;
}"""


def figures(boundary_points: list[int], data_points: list[int]) -> dict[str, str]:
    """Figure JSON by label: the default race's boundary and data figures at each budget."""
    from lab import plots
    from lab.lessons.runner import snapshot_plan
    from lab.presets import load_preset
    from lab.race.engine import run_race
    from lab.race.snapshots import boundary_grids

    exp = load_preset("default")
    plan = snapshot_plan(exp)
    result = run_race(exp, snapshots=[t for t, _ in plan])
    frame = result.stream.to_frame()
    grids = boundary_grids(frame, result.snapshots, plan)
    out = {}
    for k in boundary_points:
        out[f"boundary, {k} dots per panel"] = plots.decision_boundary_figure(
            frame, grids.x, grids.y, grids.predictions, plan, max_points=k).to_json()
    concepts = max(min(frame["concept"].nunique(), 4), 1)
    for k in data_points:
        out[f"data, {k:,} points"] = plots.data_figure(
            frame, max_points=max(k // concepts, 1)).to_json()
    return out


def browser_cpu_seconds(processes: list[psutil.Process]) -> float:
    total = 0.0
    for process in processes:
        try:
            times = process.cpu_times()
        except psutil.Error:  # a helper process that has ended
            continue
        total += times.user + times.system
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--boundary-points", type=int, nargs="*", default=[400, 60])
    parser.add_argument("--data-points", type=int, nargs="*", default=[16000, 2000])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    if not os.path.exists(CHROMIUM):
        sys.exit(f"chromium is needed at {CHROMIUM}")
    if psutil is None:
        sys.exit("psutil is needed to read the browser's CPU time: pip install psutil")
    from playwright.sync_api import sync_playwright

    specs = figures(args.boundary_points, args.data_points)
    cpu: dict[str, list[float]] = {label: [] for label in specs}
    wall: dict[str, list[float]] = {label: [] for label in specs}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"])
        page = browser.new_page(viewport={"width": 1366, "height": 768})
        page.set_content('<div id="figure" style="width:1100px"></div>')
        page.add_script_tag(path=str(PLOTLY_JS))
        for _ in range(args.repeat):  # interleaved, so a busy moment hits every figure alike
            for label, spec in specs.items():
                page.evaluate("""async () => { Plotly.purge(document.getElementById('figure'));
                                 await new Promise(r => setTimeout(r, 100)); }""")
                processes = psutil.Process().children(recursive=True)
                before = browser_cpu_seconds(processes)
                ms = page.evaluate(DRAW_JS, spec)
                cpu[label].append(browser_cpu_seconds(processes) - before)
                wall[label].append(ms / 1000)
        browser.close()
    print(f"chromium drawing the default race's figures, median of {args.repeat} "
          "(CPU seconds of the browser's processes; wall seconds)")
    for label in specs:
        print(f"  {label:34} CPU {statistics.median(cpu[label]):5.2f}   "
              f"wall {statistics.median(wall[label]):5.2f}   kB {len(specs[label]) // 1000}")


if __name__ == "__main__":
    main()
