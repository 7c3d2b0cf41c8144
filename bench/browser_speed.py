"""How long the race lab makes a person wait, measured in a real browser (a benchmark, not a test).

Starts ``streamlit run app.py`` on a free port, drives Debian's chromium (playwright) at 1366×768
and prints, in seconds of the page's own clock, each figure of issue 13 against its target:

1. click-to-results of the default race (target <= 1.5 s);
2. click-to-results of a six-contender 20,000-sample race (the default plus two added
   contenders, <= 2.5 s);
3. the first open of every result tab after a race, Boundary included (<= 1.5 s each);
4. a cached re-run: Run again on a config the server has raced before (<= 0.5 s).

"Results" means: the script run the click started is over and the result is drawn (the story
and the accuracy chart's lines for a race; the tab's own content, its charts drawn, for a tab).
The clock starts at the click event in the page and stops at the first check (every 20 ms) where
that holds, so neither playwright's round trips nor the server start are counted. The server
is warm: it has served a page and raced once before anything is timed, and each timed race uses
a seed no earlier race used, so the run store (``ui.run_store``) cannot answer for it (but for
figure 4, which is meant to be answered from it).

Run from the project root: ``python bench/browser_speed.py [--repeat 3] [--races-only]`` (about
two minutes on two cores; ``--races-only`` skips the tabs). The median of the repeats is printed
next to each single figure. Each single figure also shows the split: the server's script run,
the CPU seconds the server and the browser used (from ``/proc``: unlike the clock, barely
changed by other work on the machine), the bytes the page received over the app's
websocket and the DOM elements the page added (built anew rather than updated, each counted once:
a count that no load on the machine changes; the default race's accuracy chart is ~360).
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _load_serve_app():
    """``serve_app`` of ``tests/app_server.py``, the browser tests' server starter (``tests/`` is
    not a package, and nothing here edits ``sys.path``)."""
    spec = importlib.util.spec_from_file_location("app_server", ROOT / "tests" / "app_server.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.serve_app


serve_app = _load_serve_app()

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
VIEWPORT = {"width": 1366, "height": 768}
TARGETS = {"default race": 1.5, "six contenders, 20,000 samples": 2.5, "first open of a tab": 1.5,
           "cached re-run": 0.5}
TABS = ["Accuracy", "Staleness", "Cost", "Trade-off", "Summary", "Data", "What-if", "Boundary",
        "Export", "Net cost"]
RUN_BUTTON = ".st-key-run button >> visible=true"

# Installed once per page: the time of the last click, and every change of the app's script
# state ("running" / "notRunning") with its time, on the page's clock.
WATCH_JS = """() => {
  if (window.__bench) return;
  window.__bench = {click: null, states: [], added: 0, caption: null};
  const seen = new WeakSet();
  window.__benchRunCaption = () => [
    ...document.querySelectorAll('[data-testid=stCaptionContainer]')]
    .map(e => e.innerText).find(t => /^Run \\d+:/.test(t)) || null;
  document.addEventListener('click', () => {
    window.__bench.click = performance.now();
    window.__bench.caption = window.__benchRunCaption();
  }, true);
  new MutationObserver((records) => {
    for (const r of records) for (const n of r.addedNodes) {
      if (n.nodeType !== 1) continue;
      // each element once: plotly appends a container, then its parts into it, and one
      // callback sees them all, so counting every added node's subtree counted the chart's
      // ~360 elements about eight times (session 10)
      for (const e of [n, ...n.querySelectorAll('*')])
        if (!seen.has(e)) { seen.add(e); window.__bench.added += 1; }
    }
  }).observe(document.body, {childList: true, subtree: true});
  const app = document.querySelector('[data-testid="stApp"]');
  new MutationObserver(() => {
    window.__bench.states.push([performance.now(), app.getAttribute('data-test-script-state')]);
  }).observe(app, {attributes: true, attributeFilter: ['data-test-script-state']});
}"""

# True (the time) once a script run started after the click is over and ``ready()`` holds. A
# run is known to have started by the app's script state turning "running" after the click or,
# for a race, by the run caption ("Run 3: ...") naming another run: a Run answered by the run's
# fragment (ui.pages.race_lab.run_view) can start and end within one frame of the page, whose
# "running" state is then never drawn.
DONE_JS = """([selector, kind]) => {
  const b = window.__bench;
  const app = document.querySelector('[data-testid="stApp"]');
  if (b.click === null || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  const started = b.states.some(([t, s]) => t >= b.click && s === 'running');
  if (!started && !(kind === 'race' && window.__benchRunCaption() !== b.caption)) return false;
  let root = document.querySelector(selector);
  if (kind === 'tab') {
    const tab = [...document.querySelectorAll('[role="tab"]')]
      .find(t => t.innerText.trim() === selector);
    root = tab && document.getElementById(tab.getAttribute('aria-controls'));
  }
  if (!root || root.getBoundingClientRect().height === 0) return false;
  if (kind === 'race') {
    if (!document.querySelector('.st-key-driftlab_story')) return false;
    return root.querySelectorAll('.scatterlayer .trace').length > 0 ? performance.now() : false;
  }
  if (!root.querySelector('[data-testid="stElementContainer"]')) return false;
  const charts = root.querySelectorAll('[data-testid="stPlotlyChart"]');
  for (const c of charts) if (!c.querySelector('.main-svg')) return false;
  return performance.now();
}"""


def idle(page, timeout=120_000) -> None:
    page.wait_for_timeout(250)
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]',
                           timeout=timeout)


def open_app(context, url):
    page = context.new_page()
    count_received(page)
    page.goto(url)
    page.wait_for_selector(".driftlab-title", timeout=120_000)
    idle(page)
    page.evaluate(WATCH_JS)
    return page


SERVER = {"pid": None}  # the streamlit server's process id, set by main()


def _process_tree() -> dict[int, tuple[int, float]]:
    """Every process as ``pid: (parent pid, CPU seconds used so far)``, from ``/proc``."""
    tick = os.sysconf("SC_CLK_TCK")
    tree = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as stat:
                    fields = stat.read().rsplit(")", 1)[1].split()
            except OSError:  # gone meanwhile
                continue
            # after "pid (comm)": state ppid ... utime (14th field) stime (15th)
            tree[int(entry)] = (int(fields[1]), (int(fields[11]) + int(fields[12])) / tick)
    return tree


def cpu_used() -> tuple[float, float]:
    """CPU seconds used so far by the server and by the browser (every other process started
    from this one: chromium's and playwright's). Unlike the wall clock, the CPU time a piece
    of work takes barely changes with the load other sessions put on the machine, so these
    show what a change saves when the clock is too noisy to."""
    if not os.path.isdir("/proc"):
        return 0.0, 0.0
    tree = _process_tree()
    children: dict[int, list[int]] = {}
    for pid, (parent, _) in tree.items():
        children.setdefault(parent, []).append(pid)

    def total(root: int, skip: int | None = None) -> float:
        seen, todo, cpu = set(), [root], 0.0
        while todo:
            pid = todo.pop()
            if pid in seen or pid == skip or pid not in tree:
                continue
            seen.add(pid)
            cpu += tree[pid][1]
            todo.extend(children.get(pid, []))
        return cpu

    server = total(SERVER["pid"]) if SERVER["pid"] else 0.0
    return server, total(os.getpid(), skip=SERVER["pid"]) - tree[os.getpid()][1]


def count_received(page) -> None:
    """Count the bytes of the app's websocket frames the page receives (``page._bench_bytes``):
    what the server sends for a script run (figures as plotly JSON, tables, widgets)."""
    page._bench_bytes = 0

    def on_socket(ws):
        def add(payload):
            page._bench_bytes += len(payload)
        ws.on("framereceived", add)

    page.on("websocket", on_socket)


def timed_click(page, target, selector: str, kind: str) -> float:
    """Seconds from the click on ``target`` to the result (see DONE_JS) being drawn. Also
    printed: the server's script run, the CPU seconds the server and the browser used and the
    bytes the page received in that span (the split between server, network and browser)."""
    page.evaluate("() => { window.__bench.click = null; window.__bench.states = []; "
                  "window.__bench.added = 0; }")
    cpu_before, page._bench_bytes = cpu_used(), 0
    target.click()
    try:
        done = page.wait_for_function(DONE_JS, arg=[selector, kind], polling=20,
                                      timeout=120_000)
    except Exception:
        page.screenshot(path=str(ROOT / "artifacts" / "bench_timeout.png"))
        print(f"timed out waiting for {kind} {selector}: {page.evaluate('() => window.__bench')}")
        raise
    seconds = (done.json_value() - page.evaluate("() => window.__bench.click")) / 1000
    server_cpu, browser_cpu = (after - before for after, before in zip(cpu_used(), cpu_before))
    received = page._bench_bytes
    added = page.evaluate("() => window.__bench.added")
    # how much of it the server's script run took (the rest: the network and drawing)
    script = page.evaluate("""() => { const b = window.__bench;
        const runs = b.states.filter(([t, s]) => t >= b.click);
        const start = runs.find(([t, s]) => s === 'running'), end = runs.at(-1);
        return start && end ? (end[0] - start[0]) / 1000 : null; }""")
    print(f"  {kind} {selector}: {seconds:.2f} s (script run {script or 0:.2f} s; CPU: server "
          f"{server_cpu:.2f} s, browser {browser_cpu:.2f} s; {received / 1000:,.0f} kB "
          f"received; {added:,} DOM nodes added)", flush=True)
    return seconds


def set_number(page, key: str, value: int) -> None:
    box = page.locator(f".st-key-{key} input")
    box.fill(str(value), timeout=120_000)  # a loaded machine can take over 30 s to show it
    box.press("Enter")
    idle(page)


def run_race(page) -> float:
    return timed_click(page, page.locator(RUN_BUTTON).first, ".st-key-accuracy_chart", "race")


def add_contenders(page, count: int) -> None:
    box = page.locator("[class*=st-key-contenders_box]")
    if box.locator("details").get_attribute("open") is None:
        box.locator("summary").click()
        idle(page)
    for _ in range(count):
        page.locator(".st-key-add_contender button").click()
        idle(page)


def measure(browser, url: str, seed: int, tabs: bool = True) -> dict[str, list[float]]:
    """One pass of every figure on fresh pages; seeds ``seed`` .. ``seed + 1`` are new. Without
    ``tabs`` the result tabs are not opened (the race figures only)."""
    figures: dict[str, list[float]] = {}
    context = browser.new_context(viewport=VIEWPORT)
    page = open_app(context, url)
    set_number(page, "seed", seed)
    figures["default race"] = [run_race(page)]
    for name in TABS[1:] if tabs else ():  # the Accuracy tab opens with the race
        tab = page.get_by_role("tab", name=name, exact=True)  # "Cost", not "Net cost"
        figures[f"tab {name}"] = [timed_click(page, tab, name, "tab")]
    # the re-run from the Accuracy tab, so that the chart it waits for is on screen whichever
    # tab a version of the app opens after Run
    page.get_by_role("tab", name="Accuracy").click()
    idle(page)
    figures["cached re-run"] = [run_race(page)]
    context.close()

    context = browser.new_context(viewport=VIEWPORT)
    page = open_app(context, url)
    set_number(page, "seed", seed + 1)
    add_contenders(page, 2)
    figures["six contenders, 20,000 samples"] = [run_race(page)]
    context.close()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3, help="passes to take the median of")
    parser.add_argument("--races-only", action="store_true",
                        help="time the races and the cached re-run, not the tabs")
    args = parser.parse_args()
    if not os.path.exists(CHROMIUM):
        sys.exit(f"chromium is needed at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="driftlab-bench-") as tmp:
        # the browser tests' server, started the same way (tests/app_server.py)
        with serve_app(Path(tmp), wait_s=120, fail=sys.exit) as (url, server), \
                sync_playwright() as pw:
            SERVER["pid"] = server.pid
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=[
                "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                "--disable-background-networking", "--disable-component-update"])
            warm = open_app(browser.new_context(viewport=VIEWPORT), url)  # warm the server
            set_number(warm, "seed", 1)
            run_race(warm)
            warm.context.close()
            passes = [measure(browser, url, 1000 + 10 * k, not args.races_only)
                      for k in range(args.repeat)]
            browser.close()
    names = list(passes[0])
    print(f"\nDriftlab in chromium at {VIEWPORT['width']}x{VIEWPORT['height']}, warm server, "
          f"{args.repeat} passes (seconds, click to results)")
    print(f"{'figure':34} {'median':>7} {'target':>7}  passes")
    for name in names:
        values = [p[name][0] for p in passes]
        target = TARGETS["first open of a tab"] if name.startswith("tab ") else TARGETS[name]
        median = statistics.median(values)
        mark = "ok" if median <= target else "OVER"
        print(f"{name:34} {median:7.2f} {target:7.1f}  {' '.join(f'{v:.2f}' for v in values)}"
              f"  {mark}")


if __name__ == "__main__":
    main()
