"""Running a race for the race lab page: the live view while it runs, packaging its outputs for
the page, the run store and the session's run history (streamlit; the race itself is
``lab.race.engine.run_race``).

Finished races are kept across sessions in the server's run store (``ui.run_store``), keyed on
the normalised config JSON (a pure function of it, so sharing the store shares no one's private
state); the race itself runs outside the store so that its live chart can update the page.
"""

from __future__ import annotations

import dataclasses
import os
import threading
import time

import numpy as np
import pandas as pd
import streamlit as st
from threadpoolctl import threadpool_limits

from lab import plots
from lab.data.stream import make_stream
from lab.plots.style import widened_share_range
from lab.race import outputs
from lab.race.archive import frame_csv, predictions_frame
from lab.race.drift_metrics import rolling_accuracy
from lab.race.engine import baseline_specs, run_race
from lab.race.metrics import TIMELINE_COLUMNS, events_frame, summarise, timeline_frame
from lab.spec.numbers import plural
from ui import boundary, text
from ui import keys as K
from ui.run_store import run_store
from ui.scroll import bring_live_race_into_view

HISTORY_MAX = 5  # runs kept per session for comparison
# live chart updates per race
LIVE_REDRAWS = max(1, int(os.environ.get("DRIFTLAB_LIVE_REDRAWS", "8")))
# ... and at least this many seconds apart. Each redraw sends the whole chart (~25 kB for the
# default race) that the browser draws anew with plotly (0.1-0.4 s of its CPU, on the cores
# the race runs on; plotly was a third of the browser's work during a race): a race of about a
# second used to be redrawn eight times (and once more at its end, just before the finished
# chart replaced it), which slowed the race and delayed its results. A race of four seconds
# or more keeps its eight redraws.
LIVE_MIN_SECONDS = 0.5
# ... and the first one only once the race has run this long: a race over within a second (the
# default race on an idle machine) is shown by its progress bar, then its finished chart. Its
# one live redraw (a static plotly chart the browser built from scratch, ~2,000 DOM nodes, on
# the cores the race runs on) was replaced by the finished chart a moment later, and delayed it.
LIVE_FIRST_SECONDS = 1.0
# ... and only while the race, at its pace so far, has this many seconds left: the finished
# chart replaces a live one, so a live redraw just before the end is wasted work, and on a busy
# machine (where the default race takes over a second) it was the largest part of the wait:
# building the chart (~0.1-0.3 s of the race's thread) and the browser drawing a second chart
# from scratch (~3,000 DOM nodes more per race, on the cores the race runs on).
LIVE_MIN_REMAINING_SECONDS = 1.0
# ... and only in a race that, at its pace so far, takes this long in all: a race of two to three
# seconds (six contenders with two Hoeffding trees on 20,000 samples, idle machine) drew one
# live chart at its first second, a whole plotly chart the browser built from scratch (about
# 1 CPU-s more of chromium, on the two cores the race runs on) for the finished chart to replace
# a second later (session 8's benchmark: 2.80 s without a live frame, 3.84 and 4.25 s with one
# or two). Its progress bar, with samples done and seconds, shows it moving; longer races keep
# their chart.
LIVE_MIN_TOTAL_SECONDS = 3.0
# ... and in a slow race at least this often, however few samples it raced since: a race's
# redraws are spread over its samples (every eighth of the stream), and a six-contender race of
# 70 s on a busy server showed no line for its first 12 s, only a progress bar ("2,500 of
# 20,000 samples · 7.4 s"; session 10's walk-through).
LIVE_MAX_GAP_SECONDS = 3.0
# How often a running race touches the page (its progress bar). Streamlit acts on a pending
# stop or rerun only inside an st.* call of the script thread: Stop (a rerun), a widget change
# (a rerun) and the tab closing (the session manager's request_script_stop on disconnect,
# streamlit/runtime/websocket_session_manager.py) all end the race at the next such call. A
# cheap progress-bar update every POLL_SECONDS is that call: the most public way there is (the
# session manager's is_active_session is internal), and it also keeps the elapsed time ticking.
POLL_SECONDS = 0.1
STREAM_ROWS_KEPT = 200_000  # rows of the stream kept for the Data tab
ss = st.session_state


def warm_race_and_chart():
    """A tiny race of the default preset and its accuracy chart (returned): the work of a first
    Run, on 1,500 samples. Plotly builds its figure classes and validators on first use: the
    first accuracy chart of a server took ~1 s to build, later ones ~0.1 s."""
    from lab.presets import load_preset

    result = run_race(load_preset("default").with_overrides(
        {"stream.n_samples": 1500, "stream.drifts": [], "evaluation.warmup": 500}))
    return plots.accuracy_figure(timeline_frame(result), events_frame(result), [],
                                 window=result.experiment.evaluation.window)


@st.cache_resource(show_spinner=False)
def warm_up() -> threading.Thread:
    """Once per server: race a tiny stream and draw its chart in the background while the first
    visitor reads the page, so the libraries' lazy imports (scikit-learn's solvers, river's
    learners, plotly's figure classes) are paid before anyone presses Run. Measured at
    1366x768: the first race after a server start took 4.8 s from click to results, later ones
    2.5-3.5 s."""

    def warm() -> None:
        try:
            warm_race_and_chart()
        except Exception:  # only a warm-up: the real race reports its own errors
            pass

    thread = threading.Thread(target=warm, name="driftlab-warm-up", daemon=True)
    thread.start()
    return thread



# ---------------------------------------------------------------------------------------------
# Races: the run store, the live view, packaging the results
# ---------------------------------------------------------------------------------------------
def without_server_folder(result):
    """``result`` with an uploaded CSV's source named by its file alone (``csv:<name>``, as a
    bundle names it), for everything a user downloads: the server folder an upload lives in is
    nobody's business and would not open anywhere else. Other sources are returned as they are.

    The app keeps the real source for itself (re-reading the file for the Boundary tab and the
    bundle)."""
    exp = result.experiment
    source = exp.stream.source
    if not source.startswith("csv:") or "/" not in source:
        return result
    stream = dataclasses.replace(exp.stream, source="csv:" + source.rsplit("/", 1)[-1])
    return dataclasses.replace(result, experiment=dataclasses.replace(exp, stream=stream))


def package(result, key: str) -> dict:
    """Everything the page shows and downloads, computed once per race."""
    summary = summarise(result)
    public = without_server_folder(result)
    public_summary = (summary if public is result
                      else {**summary, "config": public.experiment.to_dict()})
    frame = result.stream.to_frame()
    complete_stream = len(frame) <= STREAM_ROWS_KEPT
    if not complete_stream:
        frame = frame.iloc[np.unique(np.linspace(0, len(frame) - 1, STREAM_ROWS_KEPT).astype(int))]
    timeline, events = timeline_frame(result), events_frame(result)
    # The two CSV files are written when a download asks for them (``ui.downloads`` calls a
    # callable ``data`` then): writing timeline.csv was ~0.1 s of every race's script run,
    # before its results could be drawn. Same bytes as ``lab.race.outputs.timeline_csv`` /
    # ``events_csv`` (the same frames, written by the same ``frame_csv``), from the frames kept.
    files = {"config.json": outputs.config_json(public),
             "summary.json": outputs.summary_json(public, public_summary),
             "timeline.csv": lambda: frame_csv(timeline),
             "events.csv": lambda: frame_csv(events)}
    return {"config_json": key, "config": result.experiment.to_dict(), "summary": summary,
            "public_summary": public_summary,  # for downloads: no server folder in it
            "timeline": timeline, "events": events, "stream": frame,
            "complete_stream": complete_stream, "files": files, "wall_s": result.wall_s,
            # per-sample predictions for "Download all", kept (like the stream) up to
            # STREAM_ROWS_KEPT samples
            "predictions": predictions_frame(result) if complete_stream else None,
            "n_done": result.n_done, "cancelled": result.cancelled}


def baseline_names(summary: dict) -> list[str]:
    """Names of the reference contenders (``"baseline": true``) of a run's summary."""
    return [c["name"] for c in summary["contenders"] if c.get("baseline")]


def without_baselines(summary: dict, timeline: pd.DataFrame) -> tuple[dict, pd.DataFrame]:
    """The summary and timeline without the baselines, for the figures where a reference line
    means nothing (staleness, cost, trade-off): they are drawn on the accuracy chart only."""
    names = baseline_names(summary)
    if not names:
        return summary, timeline
    kept = {**summary, "contenders": [c for c in summary["contenders"] if not c.get("baseline")]}
    return kept, timeline[~timeline["contender"].isin(names)]


def live_figure(fig, timeline, drifts, window: int, n: int, colors, baselines=(), oracles=(),
                full_scale: bool = False):
    """The live accuracy chart: built once by ``plots.accuracy_figure`` (drift markers and all),
    then only its lines' data are replaced, which is ~50x cheaper than rebuilding it. The
    oracle (``oracles``) is its black reference line, as in the finished race's chart.

    Its y axis follows the finished chart's rule (the accuracy toggle "Full 0–100 % axis",
    ``full_scale``, or else fitted to the contenders' lines, baselines left out): fitted to
    the lines so far and only ever widened (``lab.plots.style.widened_share_range``), so it
    neither cuts a line that comes later nor jumps from 0-100 % to the fitted range when the
    race ends."""
    if fig is None:
        fig = plots.accuracy_figure(timeline, None, drifts, window=window, colors=colors,
                                    baselines=baselines, full_scale=True, oracles=oracles)
        fig.update_xaxes(range=[0, n])
    else:
        # the figure's line traces are named plots.plain(contender name) (escaped for
        # plotly), the oracle's by plots.oracle_label
        groups = {plots.plain(plots.oracle_label(name, oracles) if name in oracles else name):
                  part for name, part in timeline.groupby("contender", sort=False)}
        with fig.batch_update():
            for trace in fig.data:
                part = groups.get(trace.name)
                if part is not None:
                    trace.x, trace.y = part["t"].to_numpy(), part["acc_window"].to_numpy()
    if not full_scale:
        fitted = timeline.loc[~timeline["contender"].isin(list(baselines)), "acc_window"]
        shown = fig.layout.yaxis.range if fig.layout.yaxis.tickformat != ".0%" else None
        y_range = widened_share_range(shown, fitted.to_numpy(dtype=float))
        if y_range is not None:  # as the finished chart's fitted axis
            fig.update_yaxes(range=y_range, tickformat=".1~%")
    return fig


def live_accuracy(result) -> pd.DataFrame:
    """The live chart's data: ``t``, ``contender`` and ``acc_window`` at every recording point
    each contender reached, the numbers of the same columns of the timeline
    (``lab.race.metrics.timeline_frame``). The whole timeline (every score, cost and age) took
    ~30 ms of server time per live redraw of the default race; the chart needs these three
    columns."""
    ev = result.experiment.evaluation
    parts = []
    for run in result.contenders:
        k = len(run.train_samples_cum)  # the recording points it reached (as the timeline's)
        if k == 0:
            continue
        ts = np.asarray(result.record_t[:k], dtype=np.int64)
        window = rolling_accuracy(run.trace.correct[:ts[-1]], ev.warmup, ev.window)
        parts.append(pd.DataFrame({"t": ts, "contender": run.name,
                                   "acc_window": window[ts - ev.warmup - 1]}))
    if not parts:
        return pd.DataFrame({"t": [], "contender": [], "acc_window": []})
    return pd.concat(parts, ignore_index=True)


def redraw_due(done: int, n: int, samples_since: int, seconds_since: float, every: int,
               elapsed: float = LIVE_FIRST_SECONDS) -> bool:
    """Whether the live chart redraws at a recording point: ``every`` samples (or
    :data:`LIVE_MAX_GAP_SECONDS`) and :data:`LIVE_MIN_SECONDS` after its last redraw,
    :data:`LIVE_FIRST_SECONDS` or more into the race (``elapsed``), and never at the race's
    end (``done`` of ``n`` samples), where the finished race's chart replaces it at once, nor
    when the rest of the race, at the pace so far (``elapsed`` for ``done`` samples), takes
    under :data:`LIVE_MIN_REMAINING_SECONDS`, nor in a race whose whole length at that pace
    is under :data:`LIVE_MIN_TOTAL_SECONDS`.

    >>> due = dict(n=20000, samples_since=5000, seconds_since=10.0, every=2375)
    >>> redraw_due(done=5000, elapsed=1.0, **due)  # a quarter in 1 s: 4 s in all
    True
    >>> redraw_due(done=8000, elapsed=1.0, **due)  # two fifths in 1 s: 2.5 s in all
    False
    """
    pace = elapsed / max(done, 1)  # seconds per sample so far
    return ((samples_since >= every or seconds_since >= LIVE_MAX_GAP_SECONDS)
            and seconds_since >= LIVE_MIN_SECONDS
            and elapsed >= LIVE_FIRST_SECONDS and done < n
            and pace * (n - done) >= LIVE_MIN_REMAINING_SECONDS
            and pace * n >= LIVE_MIN_TOTAL_SECONDS)


def race(exp, live_area) -> tuple[dict | None, bool]:
    """Run (or fetch from the cache) the race of ``exp`` and return ``(outputs, cached)``.

    Draws a progress bar and the accuracy chart from the partial results while the race runs.
    Stop, another widget or the tab closing interrupt it within about ``POLL_SECONDS`` plus the
    engine's piece of work (``lab.race.engine.STOP_POLL_SECONDS``): the exception Streamlit raises
    for them leaves through here; ``ss[K.PARTIAL]`` then holds what the stopped view shows.
    """
    key = exp.to_json(indent=None)
    stored = run_store("race").get(key)
    if stored is not None:
        return stored, True
    ev, n = exp.evaluation, exp.stream.n_samples
    drifts = [{"at": d.start, "width": d.end - d.start} for d in exp.stream.drifts]  # as drawn
    oracles = [c.name for c in exp.contenders if c.policy.kind == "oracle"]
    colors = plots.contender_colors(c.name for c in exp.contenders if c.name not in oracles)
    baselines = [spec.name for spec in baseline_specs(exp)]
    full_scale = bool(ss.get(K.ACCURACY_FULL_SCALE))  # the accuracy tab's 0-100 % toggle
    stop_event = threading.Event()
    ss[K.STOP_EVENT] = stop_event
    with live_area.container():
        bar = st.progress(0.0, text="Drawing the stream…")
        chart = st.empty()
        st.caption(text.CAPTIONS["live"])
        bring_live_race_into_view()  # Run pressed far down the page: the live chart in view
    started = time.perf_counter()
    live = {"fig": None, "redraws": 0, "polled": started, "redrawn_at": ev.warmup,
            "redrawn_s": started}
    redraw_every = max(ev.step, (n - ev.warmup) // LIVE_REDRAWS)
    # What the stopped view shows. With runner.fastReruns (the default) a click on Stop starts
    # the next script run at once, in another thread, while this one is still unwinding (and
    # any session-state access here then raises StopException), so the partial result has to
    # be in the session *before* the interruption: a reference to the engine's live result and
    # how many recording points of it were complete (see partial_timeline).
    partial = {"result": None, "points": 0, "n_done": 0, "n": n, "drifts": drifts,
               "window": ev.window, "config_json": key, "baselines": baselines}
    ss[K.PARTIAL] = partial

    def show_progress() -> None:
        done, elapsed = partial["n_done"], time.perf_counter() - started
        if done < ev.warmup:  # the warm-up fits, and the oracle's planning (seconds on long
            # streams: it fits and scores every candidate retrain before the race starts)
            planning = " and planning the best schedule in hindsight" if oracles else ""
            bar.progress(0.0, text=f"Training on the warm-up{planning}… · {elapsed:.1f} s")
            return
        share = max(0, done - ev.warmup) / max(1, n - ev.warmup)
        bar.progress(min(1.0, share), text=f"Racing… {done:,} of {n:,} samples · "
                                           f"{elapsed:.1f} s")

    def progress(result) -> None:
        # called by the engine at every recording point, with all of it committed
        partial.update(result=result, points=len(result.record_t), n_done=result.n_done)
        now = time.perf_counter()
        if not redraw_due(result.n_done, n, result.n_done - live["redrawn_at"],
                          now - live["redrawn_s"], redraw_every, elapsed=now - started):
            return
        live["redrawn_at"], live["redrawn_s"] = result.n_done, now
        show_progress()
        live["fig"] = live_figure(live["fig"], live_accuracy(result), drifts, ev.window, n,
                                  colors, baselines, oracles, full_scale)
        live["redraws"] += 1
        # static: nothing to hover or zoom on a chart replaced within a second, and plotly
        # draws a static chart without its interaction layers
        chart.plotly_chart(live["fig"], key=f"live_chart_{live['redraws']}",
                           config={"displayModeBar": False, "staticPlot": True})

    def should_stop() -> bool:
        now = time.perf_counter()
        if now - live["polled"] >= POLL_SECONDS:
            live["polled"] = now
            show_progress()  # where Streamlit raises for Stop / a rerun / a closed tab
        return stop_event.is_set()

    # One BLAS/OpenMP thread per race: the server is shared, and on a busy 2-core machine
    # multithreaded small fits were 4x (logistic regression) to 55x (histogram gradient
    # boosting) slower than single-threaded ones, with the same results. (OpenMP's limit is
    # this thread's; BLAS's is process-wide, and every race asks for 1, so it stays 1.)
    with threadpool_limits(limits=1):
        stream = make_stream(exp.stream, exp.seed)
        result = run_race(exp, stream=stream, progress=progress, should_stop=should_stop,
                          progress_every=ev.step,
                          snapshots=boundary.snapshot_times_for(exp))  # 2-D streams only
    partial.update(result=result, points=len(result.record_t), n_done=result.n_done)
    out = package(result, key)
    out.update(boundary.outputs(result))  # the Boundary tab's snapshot models
    if not result.cancelled:
        run_store("race").put(key, out)
    return out, False


def partial_timeline(partial: dict) -> pd.DataFrame:
    """The timeline of a stopped race's first ``partial["points"]`` recording points.

    The interrupted script thread may still be finishing its last piece of work while the next
    run draws this, so only the points that were complete when they were counted are read:
    their rows never change again (the engine only appends to the counters and writes the
    per-sample arrays at indices past them).
    """
    if "timeline" not in partial:
        result, k = partial["result"], partial["points"]
        if result is None or k == 0:
            partial["timeline"] = pd.DataFrame({c: [] for c in TIMELINE_COLUMNS})
        else:
            runs = [dataclasses.replace(run, train_samples_cum=run.train_samples_cum[:k],
                                        train_cpu_s_cum=run.train_cpu_s_cum[:k],
                                        retrains_cum=run.retrains_cum[:k])
                    for run in result.contenders]
            partial["timeline"] = timeline_frame(dataclasses.replace(
                result, contenders=runs, record_t=result.record_t[:k]))
        partial["result"] = None  # the race's arrays are no longer needed
    return partial["timeline"]


def remember(out: dict, cached: bool) -> dict:
    """Put a finished run at the end of this session's history (at most ``HISTORY_MAX``)."""
    same = [h for h in ss[K.HISTORY] if h["outputs"]["config_json"] == out["config_json"]]
    history = [h for h in ss[K.HISTORY] if h not in same]
    ss[K.RUN_COUNTER] += 1
    # Run again on the same config: the figures already drawn for it are the same figures (the
    # run ids they name are this session's, and still valid), so a cached re-run draws at once.
    figs = same[-1]["figs"] if same else {}
    entry = {"id": ss[K.RUN_COUNTER], "outputs": out, "figs": figs, "cached": cached,
             "time": time.strftime("%H:%M")}
    ss[K.HISTORY] = (history + [entry])[-HISTORY_MAX:]
    return entry


def run_size(entry: dict) -> str:
    """A run's samples, contenders and baselines ("20,000 samples × 4 contenders").

    >>> run_size({"outputs": {"n_done": 1, "summary": {"contenders": [{"name": "A"}]}}})
    '1 sample × 1 contender'
    """
    out = entry["outputs"]
    shown = baseline_names(out["summary"])
    return (f"{plural(out['n_done'], 'sample')} × "
            f"{plural(len(out['summary']['contenders']) - len(shown), 'contender')}"
            + (f" (+ {plural(len(shown), 'baseline')})" if shown else ""))


def run_status(entry: dict) -> str:
    """What a run is, in one line: its size and where its results came from (the header's
    caption of the run shown)."""
    out = entry["outputs"]
    return run_size(entry) + (", shown from the server's cache (this setup was raced on this "
                              "server before)."
                              if entry["cached"] else
                              f"; the simulation itself took {out['wall_s']:.1f} s on the server.")
