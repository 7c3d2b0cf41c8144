"""Driftlab, the Streamlit app: design a drifting stream, race the contenders live, read the
trade-offs.

Layout and widgets only (the sidebar and the contenders editor are in ``ui.editors``, the
session state and callbacks in ``ui.session``). The config is built from the widgets (``ui.state``), validated and run by
the core (``lab.validate.parse_experiment``, ``lab.race.engine.run_race``), and shown with the core's
figures (``lab.plots``), tables (``lab.race.metrics``) and files (``lab.race.outputs``), so the app gives the
same numbers as ``python -m lab run`` for the same config.

Per-session state (config being edited, run history) lives in ``st.session_state``; finished runs
are cached across sessions with ``st.cache_data`` keyed on the normalised config JSON (a pure
function of it, so sharing the cache shares no one's private state).
"""

from __future__ import annotations

import dataclasses
import os
import re
import threading
import time

import numpy as np
import pandas as pd
import streamlit as st
from threadpoolctl import threadpool_limits

st.set_page_config(page_title="Driftlab: batch vs online learning under drift", page_icon="🌊",
                   layout="wide", initial_sidebar_state="expanded")

from lab import budget, plots  # noqa: E402
from lab.race import outputs  # noqa: E402
from lab.spec.errors import ConfigError  # noqa: E402
from lab.validate import parse_experiment  # noqa: E402
from lab.race.engine import baseline_specs, run_race  # noqa: E402
from lab.race.metrics import TIMELINE_COLUMNS, events_frame, summarise, timeline_frame  # noqa: E402
from lab.race.story import race_story  # noqa: E402
from lab.data.stream import make_stream  # noqa: E402
from ui import state as S  # noqa: E402
from ui import tables, text, urls  # noqa: E402
from ui.editors import contenders_editor, sidebar  # noqa: E402
from ui.session import boot, keep_widget_values, on_paste, on_stop, on_upload  # noqa: E402
from ui import boundary, lessons_page  # noqa: E402  (the Boundary tab, the Lessons mode)

HISTORY_MAX = 5  # runs kept per session for comparison
LIVE_REDRAWS = max(1, int(os.environ.get("DRIFTLAB_LIVE_REDRAWS", "8")))  # live chart updates per race
# How often a running race touches the page (its progress bar). Streamlit acts on a pending
# stop or rerun only inside an st.* call of the script thread: Stop (a rerun), a widget change
# (a rerun) and the tab closing (the session manager's request_script_stop on disconnect,
# streamlit/runtime/websocket_session_manager.py) all end the race at the next such call. A
# cheap progress-bar update every POLL_SECONDS is that call: the most public way there is (the
# session manager's is_active_session is internal), and it also keeps the elapsed time ticking.
POLL_SECONDS = 0.1
STREAM_ROWS_KEPT = 200_000  # rows of the stream kept for the Data tab
TABS = ("Accuracy", "Staleness", "Cost", "Trade-off", "Summary", "Data", "What-if", "Export")
TABS = TABS[:-1] + ("Boundary",) + TABS[-1:]  # + the Boundary tab (ui/boundary.py)
CSS = """
<style>
[data-testid="stMainBlockContainer"] {padding: 1.5rem 2.2rem 2rem 2.2rem; max-width: none;}
[data-testid="stSidebarHeader"] {height: 2.2rem; padding-top: 0.6rem;}
[data-testid="stSidebarUserContent"] {padding-top: 0;}
[data-testid="stSidebarUserContent"] h3 {font-size: 1.05rem; margin: 0.4rem 0 0 0; padding: 0;}
div.driftlab-title h2 {margin: 0; padding: 0; font-size: 1.55rem; line-height: 1.2;}
div.driftlab-title p {margin: 0; color: #4a5060; font-size: 0.92rem; line-height: 1.3;}
.st-key-driftlab_story ul {margin: 0; padding-left: 1.1rem;}
.st-key-driftlab_story li {font-size: 0.9rem; line-height: 1.4; margin: 0 0 0.15rem 0;}
</style>
"""
ss = st.session_state


@st.cache_resource(show_spinner=False)
def _warm_up() -> threading.Thread:
    """Once per server: race a tiny stream in the background while the first visitor reads the
    page, so the libraries' lazy imports (scikit-learn's solvers, river's learners) are paid
    before anyone presses Run. Measured at 1366x768: the first race after a server start took
    4.8 s from click to results, later ones 2.5-3.5 s."""
    from lab.presets import load_preset

    def warm() -> None:
        try:
            run_race(load_preset("default").with_overrides(
                {"stream.n_samples": 1500, "stream.drifts": [], "evaluation.warmup": 500}))
        except Exception:  # only a warm-up: the real race reports its own errors
            pass

    thread = threading.Thread(target=warm, name="driftlab-warm-up", daemon=True)
    thread.start()
    return thread


_warm_up()


# ---------------------------------------------------------------------------------------------
# Races: the cache, the live view, packaging the results
# ---------------------------------------------------------------------------------------------
class _NotCached(Exception):
    """Raised by :func:`_stored_run` on a miss; exceptions are never cached."""


@st.cache_data(max_entries=64, show_spinner=False)
def _stored_run(config_json: str, _outputs: dict | None = None) -> dict:
    """The outputs of a finished race, keyed on its normalised config JSON.

    Called without ``_outputs`` it is a lookup (raising on a miss); called with them after a live
    race it stores them. The race itself runs outside so that its live chart can update the page
    (a cached function may not draw into containers created outside it).
    """
    if _outputs is None:
        raise _NotCached(config_json)
    return _outputs


def package(result, key: str) -> dict:
    """Everything the page shows and downloads, computed once per race."""
    summary = summarise(result)
    frame = result.stream.to_frame()
    complete_stream = len(frame) <= STREAM_ROWS_KEPT
    if not complete_stream:
        frame = frame.iloc[np.unique(np.linspace(0, len(frame) - 1, STREAM_ROWS_KEPT).astype(int))]
    files = {"config.json": outputs.config_json(result),
             "summary.json": outputs.summary_json(result, summary),
             "timeline.csv": outputs.timeline_csv(result),
             "events.csv": outputs.events_csv(result)}
    return {"config_json": key, "config": result.experiment.to_dict(), "summary": summary,
            "timeline": timeline_frame(result), "events": events_frame(result), "stream": frame,
            "complete_stream": complete_stream, "files": files, "wall_s": result.wall_s,
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


def live_figure(fig, timeline, drifts, window: int, n: int, colors, baselines=()):
    """The live accuracy chart: built once by ``plots.accuracy_figure`` (drift markers and all),
    then only its lines' data are replaced, which is ~50x cheaper than rebuilding it."""
    if fig is None:
        fig = plots.accuracy_figure(timeline, None, drifts, window=window, colors=colors,
                                    baselines=baselines)
        fig.update_xaxes(range=[0, n])
        return fig
    # the figure's line traces are named plots.plain(contender name) (escaped for plotly)
    groups = {plots.plain(name): part for name, part in timeline.groupby("contender", sort=False)}
    with fig.batch_update():
        for trace in fig.data:
            part = groups.get(trace.name)
            if part is not None:
                trace.x, trace.y = part["t"].to_numpy(), part["acc_window"].to_numpy()
    return fig


def race(exp, live_area) -> tuple[dict | None, bool]:
    """Run (or fetch from the cache) the race of ``exp`` and return ``(outputs, cached)``.

    Draws a progress bar and the accuracy chart from the partial results while the race runs.
    Stop, another widget or the tab closing interrupt it within about ``POLL_SECONDS`` plus the
    engine's piece of work (``lab.race.engine.STOP_POLL_SECONDS``): the exception Streamlit raises
    for them leaves through here; ``ss["_partial"]`` then holds what the stopped view shows.
    """
    key = exp.to_json(indent=None)
    try:
        return _stored_run(key), True
    except _NotCached:
        pass
    ev, n = exp.evaluation, exp.stream.n_samples
    drifts = [{"at": d.start, "width": d.end - d.start} for d in exp.stream.drifts]  # as drawn
    colors = plots.contender_colors(c.name for c in exp.contenders)
    baselines = [spec.name for spec in baseline_specs(exp)]
    stop_event = threading.Event()
    ss["_stop_event"] = stop_event
    with live_area.container():
        bar = st.progress(0.0, text="Drawing the stream…")
        chart = st.empty()
        st.caption(text.CAPTIONS["live"])
    started = time.perf_counter()
    live = {"fig": None, "redraws": 0, "polled": started, "redrawn_at": ev.warmup}
    redraw_every = max(ev.step, (n - ev.warmup) // LIVE_REDRAWS)
    # What the stopped view shows. With runner.fastReruns (the default) a click on Stop starts
    # the next script run at once, in another thread, while this one is still unwinding (and
    # any session-state access here then raises StopException), so the partial result has to
    # be in the session *before* the interruption: a reference to the engine's live result and
    # how many recording points of it were complete (see partial_timeline).
    partial = {"result": None, "points": 0, "n_done": 0, "n": n, "drifts": drifts,
               "window": ev.window, "config_json": key, "baselines": baselines}
    ss["_partial"] = partial

    def show_progress() -> None:
        done = partial["n_done"]
        share = max(0, done - ev.warmup) / max(1, n - ev.warmup)
        bar.progress(min(1.0, share), text=f"Racing… {done:,} of {n:,} samples · "
                                           f"{time.perf_counter() - started:.1f} s")

    def progress(result) -> None:
        # called by the engine at every recording point, with all of it committed
        partial.update(result=result, points=len(result.record_t), n_done=result.n_done)
        if result.n_done - live["redrawn_at"] < redraw_every and result.n_done < n:
            return
        live["redrawn_at"] = result.n_done
        show_progress()
        live["fig"] = live_figure(live["fig"], timeline_frame(result), drifts, ev.window, n,
                                  colors, baselines)
        live["redraws"] += 1
        chart.plotly_chart(live["fig"], key=f"live_chart_{live['redraws']}",
                           config={"displayModeBar": False})

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
        _stored_run(key, _outputs=out)
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
    history = [h for h in ss["history"] if h["outputs"]["config_json"] != out["config_json"]]
    ss["_run_counter"] += 1
    entry = {"id": ss["_run_counter"], "outputs": out, "figs": {}, "cached": cached,
             "time": time.strftime("%H:%M")}
    ss["history"] = (history + [entry])[-HISTORY_MAX:]
    return entry


# ---------------------------------------------------------------------------------------------
# Sidebar: scenario, stream, drifts, evaluation
# ---------------------------------------------------------------------------------------------
# ---------------------------------------------------------------------------------------------
# Results
# ---------------------------------------------------------------------------------------------
def friendly(message: str, cfg: dict | None) -> str:
    """Config paths in an error, in the words of the page (contender names, drift numbers)."""
    names = [c.get("name", "?") for c in (cfg or {}).get("contenders", [])]

    def contender(m):
        i = int(m.group(1))
        return f"contender “{names[i]}”" if i < len(names) else m.group(0)

    message = re.sub(r"contenders\[(\d+)\]", contender, message)
    return re.sub(r"stream\.drifts\[(\d+)\]", lambda m: f"drift {int(m.group(1)) + 1}", message)


def chart(fig, key: str, caption: str, html_name: str | None = None, narrow: bool = False) -> None:
    """A figure, its caption and its HTML download; ``narrow`` for charts in a side column,
    where a sixth of the width cannot hold the button's label ("H…")."""
    st.plotly_chart(fig, key=key, config={"displaylogo": False})
    left, right = st.columns([2.5, 1] if narrow else [6, 1], vertical_alignment="center")
    left.caption(caption)
    if html_name:
        right.download_button("HTML", data=lambda f=fig: plots.figure_html(f),
                               file_name=html_name, mime="text/html", key=f"dl_{key}",
                               on_click="ignore", icon=":material/download:",
                               help="this chart as an interactive HTML page")


def memo(entry: dict, name: str, build):
    if name not in entry["figs"]:
        entry["figs"][name] = build()
    return entry["figs"][name]


def show_story(entry: dict) -> None:
    """The race's story above the tabs, and one warning per failed contender.

    Contender names and error messages come from the config (a shared link) and the learners:
    they are escaped before they enter the story's Markdown, and the story is plain Markdown in
    a keyed container (styled by the ``st-key-driftlab_story`` class), never raw HTML."""
    summary = entry["outputs"]["summary"]
    escaped = {**summary, "contenders": [
        {**c, "name": text.escape_markdown(c["name"]),
         "error": None if c.get("error") is None else text.escape_markdown(c["error"])}
        for c in summary["contenders"]]}
    lines = race_story(escaped)
    with st.container(border=True, key="driftlab_story"):
        st.markdown("\n".join(f"- {line}" for line in lines))
    for c in escaped["contenders"]:
        if c["status"] != "ok":
            st.warning(f"**{c['name']}** failed and was left out of the race: {c['error']}",
                       icon=":material/warning:")


def show_results(entry: dict, previous: dict | None) -> None:
    out = entry["outputs"]
    summary, timeline, events = out["summary"], out["timeline"], out["events"]
    drifts = summary["drifts"]
    window = out["config"]["evaluation"]["window"]
    # the baselines are reference lines on the accuracy chart only, in grey: no colour of theirs
    baselines = baseline_names(summary)
    summary_shown, timeline_shown = without_baselines(summary, timeline)
    colors = plots.contender_colors(c["name"] for c in summary_shown["contenders"])
    # Only the open tab's content is built (tabs with on_change="rerun" are lazy): the first
    # view after a race needs one figure, not seven.
    tabs = dict(zip(TABS, st.tabs(TABS, key="result_tabs", on_change="rerun")))
    with tabs["Accuracy"]:
        if tabs["Accuracy"].open:
            prev_id = previous["id"] if previous else None
            reference = baselines + (baseline_names(previous["outputs"]["summary"])
                                     if previous else [])
            fig = memo(entry, f"accuracy:{prev_id}", lambda: plots.accuracy_figure(
                timeline, events, drifts, window=window, colors=colors,
                previous=previous["outputs"]["timeline"] if previous else None,
                previous_label=f"run {prev_id}", baselines=reference))
            chart(fig, "accuracy_chart", text.CAPTIONS["accuracy"], "accuracy.html")
    with tabs["Staleness"]:
        if tabs["Staleness"].open:
            log_y = st.toggle("Log scale", key="staleness_log",
                              help="shows online (age ~1) and frozen (age ~N) together")
            fig = memo(entry, f"staleness:{log_y}", lambda: plots.staleness_figure(
                timeline_shown, events, drifts, log_y=log_y, colors=colors))
            chart(fig, "staleness_chart", text.CAPTIONS["staleness"], "staleness.html")
    with tabs["Cost"]:
        if tabs["Cost"].open:
            left, right = st.columns([3, 2])
            with left:
                chart(memo(entry, "cost", lambda: plots.cost_figure(timeline_shown, drifts,
                                                                    colors=colors)),
                      "cost_chart", text.CAPTIONS["cost"], "cost.html", narrow=True)
            with right:
                chart(memo(entry, "retrain_cost", lambda: plots.retrain_cost_figure(
                    summary_shown, colors=colors)), "retrain_cost_chart", text.CAPTIONS["retrain_cost"],
                    "retrain_cost.html", narrow=True)
    with tabs["Trade-off"]:
        if tabs["Trade-off"].open:
            cost = st.radio("Training cost", list(text.TRADEOFF_COSTS), horizontal=True,
                            format_func=text.TRADEOFF_COSTS.get, key="tradeoff_cost",
                            help=text.TRADEOFF_COST_HELP)
            chart(memo(entry, f"tradeoff:{cost}", lambda: plots.tradeoff_figure(
                summary_shown, cost=cost, colors=colors)),
                  "tradeoff_chart", text.CAPTIONS["tradeoff"], "tradeoff.html")
    with tabs["Summary"]:
        if tabs["Summary"].open:
            tables.show_summary(summary, caption=text.CAPTIONS["summary"])
    with tabs["Data"]:
        if tabs["Data"].open:
            frame = out["stream"]
            chart(memo(entry, "data", lambda: plots.data_figure(frame)), "data_chart",
                  text.CAPTIONS["data"], "data.html")
            chart(memo(entry, "features", lambda: plots.feature_distributions_figure(frame)),
                  "features_chart", text.CAPTIONS["features"], "features.html")
    with tabs["What-if"]:
        from ui import whatif  # the sweep tab (ui/whatif.py)

        whatif.keep_values()
        if tabs["What-if"].open:
            whatif.whatif_tab(out)
    with tabs["Boundary"]:
        if tabs["Boundary"].open:
            boundary.show(entry, chart)
    with tabs["Export"]:
        if tabs["Export"].open:
            export_tab(out)


def export_tab(out: dict | None) -> None:
    if out is not None:
        st.markdown("**Download this run**: the same files as `python -m lab run`.")
        cols = st.columns(5)
        for col, (name, content) in zip(cols, out["files"].items()):
            mime = "application/json" if name.endswith(".json") else "text/csv"
            col.download_button(name, data=content, file_name=name, mime=mime,
                                key=f"dl_{name}", on_click="ignore", icon=":material/download:",
                                width="stretch")
        if out["complete_stream"]:
            frame = out["stream"]
            cols[4].download_button("stream.csv", data=lambda: frame.to_csv(
                index=False, lineterminator="\n"), file_name="stream.csv", mime="text/csv",
                key="dl_stream.csv", on_click="ignore", icon=":material/download:",
                width="stretch")
        link = _share_link()
        st.markdown("**Share**: the address bar holds this run's whole config, so a copied link "
                    "reproduces it.")
        if link:
            st.code(link, language=None, wrap_lines=True)
    st.markdown("**Reproduce a run** from a config JSON file (for example a `config.json` "
                "downloaded here or written for `python -m lab run`).")
    st.file_uploader("Config JSON", type=["json"], key="upload_config", on_change=on_upload)
    with st.expander("…or paste a config"):
        st.text_area("Config JSON", key="paste_config", height=140)
        st.button("Load and run", key="load_pasted", on_click=on_paste)
    if ss.get("_load_error"):
        st.error(text.escape_markdown(ss["_load_error"]), icon=":material/error:")


def _share_link() -> str | None:
    try:
        base = str(st.context.url or "").split("?")[0]
    except Exception:
        base = ""
    value = st.query_params.get("config")
    return f"{base}?config={value}" if value and base else None


def glossary() -> None:
    with st.expander("Glossary: the words used here, in plain language", icon=":material/menu_book:"):
        for term, definition in text.GLOSSARY:
            st.markdown(f"**{term}**: {definition}")


# ---------------------------------------------------------------------------------------------
# The page
# ---------------------------------------------------------------------------------------------
def main() -> None:
    boot()
    keep_widget_values()
    st.markdown(CSS, unsafe_allow_html=True)
    if lessons_page.mode_switch() == "Lessons":
        lessons_page.render()
        return
    sidebar()
    with st.sidebar:  # under the sidebar's Evaluation fields
        st.toggle("Show baselines", key="baselines",
                  help="also race the no-change baseline (predicts the previous label) and the "
                       "majority baseline (the most frequent label so far), drawn as grey "
                       "reference lines; evaluation.baselines in the config, --baselines on the "
                       "command line")

    title_col, right = st.columns([4.3, 5.2], vertical_alignment="center")
    with right:
        controls = [None] + list(st.columns([1, 1, 2.7], vertical_alignment="center"))
        status = st.empty()
        estimate_note = st.empty()
    title_col.markdown('<div class="driftlab-title"><h2>Driftlab</h2><p>Batch vs online '
                         'learning under concept drift: design a drifting stream, pick the '
                         'contenders, race them on the same samples.</p></div>',
                         unsafe_allow_html=True)

    draft, exp, error = None, None, None
    try:
        draft = S.config_from_state(ss)
        exp = parse_experiment(draft)
    except ConfigError as exc:
        error = friendly(str(exc), draft)
    except Exception as exc:  # the widgets never build anything else, but stay up regardless
        error = f"{type(exc).__name__}: {exc}"

    # The work budget (lab.budget): over the app's limits a race is refused with a message
    # naming the limit and the CLI command; over AUTO_RUN_SECONDS it shows its estimate next to
    # Run, and a link that asks for it waits for the click.
    estimate = refusal = None
    if exp is not None:
        try:
            estimate = budget.estimate_race(exp)
            refusal = budget.over_limit(exp, estimate=estimate)
        except Exception as exc:  # the estimate is arithmetic on a valid config; stay up
            refusal = f"The race's cost could not be estimated: {type(exc).__name__}: {exc}"
    runnable = exp is not None and refusal is None
    run_now = controls[1].button("Run", key="run", type="primary", icon=":material/play_arrow:",
                                 disabled=not runnable, width="stretch",
                                 help=f"estimated {estimate.describe()}" if estimate else None)
    requested = ss.pop("_run_requested", False)
    if requested == "link" and runnable and budget.needs_click(exp, estimate):
        # Opening a link never starts heavy work: the visitor decides.
        ss["_notice"] = (f"This link's race needs {estimate.describe()}: press **Run** to "
                         "race it.")
        requested = False
    run_now = (run_now or bool(requested)) and runnable
    if estimate is not None and estimate.seconds > budget.AUTO_RUN_SECONDS and refusal is None:
        estimate_note.caption(f"Estimated time: {estimate.describe()}.")
    stop_slot = controls[2].empty()
    if run_now:
        stop_slot.button("Stop", key="stop", icon=":material/stop:", on_click=on_stop,
                         width="stretch", help="stop the race; the chart keeps what was run")
    else:
        stop_slot.button("Stop", key="stop_idle", icon=":material/stop:", disabled=True,
                         width="stretch")
    for warning in ss.pop("_url_warnings", []):  # they quote the link's values: escaped
        st.warning(text.escape_markdown(warning), icon=":material/link_off:")
    if ss.get("_notice"):
        st.info(ss.pop("_notice"), icon=":material/info:")
    compare_box = controls[3].container()
    contenders_editor()
    if error:
        st.error(f"This setup cannot run yet: {text.escape_markdown(error)}",
                 icon=":material/error:")
    elif refusal:  # built from numbers, limits and the CLI command only: no user text
        st.error(f"This race is too big for the app: {refusal}", icon=":material/timer_off:")
        st.download_button("config.json", data=exp.to_json() + "\n", file_name="config.json",
                           mime="application/json", key="dl_budget_config", on_click="ignore",
                           icon=":material/download:",
                           help=f"this setup as a config for `{budget.CLI_COMMAND}`")

    live_area = st.empty()
    if run_now:
        ss["_stopped"] = False
        try:
            out, cached = race(exp, live_area)
        except Exception as exc:  # a bug or a stream the generator refuses: say so, stay up
            live_area.empty()
            st.error(text.escape_markdown(f"The race could not run: {type(exc).__name__}: {exc}"),
                     icon=":material/error:")
            out = None
        live_area.empty()
        if run_now:
            stop_slot.button("Stop", key="stop_idle", icon=":material/stop:", disabled=True,
                             width="stretch")
        if out is not None and out["cancelled"]:
            ss["_stopped"] = True
        elif out is not None:
            ss.pop("_partial", None)
            remember(out, cached)
            st.query_params.from_dict({"config": urls.encode_config(out["config"])})
    if not ss.get("_stopped"):
        ss.pop("_partial", None)  # a race cut short by another widget: nothing to show, free it
    if ss.get("_stopped") and ss.get("_partial"):
        partial = ss["_partial"]
        st.warning(f"Race stopped at {partial['n_done']:,} of {partial['n']:,} samples; the chart "
                   "shows how far it got. Press **Run** to race again.", icon=":material/stop:")
        fig = plots.accuracy_figure(partial_timeline(partial), None, partial["drifts"],
                                    window=partial["window"], baselines=partial["baselines"])
        fig.update_xaxes(range=[0, partial["n"]])
        st.plotly_chart(fig, key="stopped_chart")

    history = ss["history"]
    if not history:
        if not run_now and not ss.get("_stopped"):
            st.info("Press **Run** to race the contenders: every one of them predicts each "
                    "sample, then learns from it, and the chart draws itself as they go.",
                    icon=":material/play_circle:")
            with st.container():
                export_tab(None)
        glossary()
        return
    current = history[-1]
    out = current["outputs"]
    shown = baseline_names(out["summary"])
    status.caption(f"Run {current['id']}: {out['n_done']:,} samples × "
                   f"{len(out['summary']['contenders']) - len(shown)} contenders"
                   + (f" (+ {len(shown)} baselines)" if shown else "") + ", raced "
                   + ("from the cache (config seen before)." if current["cached"] else
                      f"in {out['wall_s']:.1f} s."))
    others = [h["id"] for h in reversed(history[:-1])]
    if ss.get("compare_with") not in others:
        ss["compare_with"] = None
    def run_label(run_id: int) -> str:
        run = next(h for h in history if h["id"] == run_id)
        change = S.config_diff(run["outputs"]["config"], out["config"], limit=2)
        return f"Run {run_id} ({run['time']}), then → now: {change}"

    with compare_box:
        st.selectbox("Overlay a previous run", others, key="compare_with", format_func=run_label,
                     placeholder="Overlay a previous run…" if others else "No previous run yet",
                     disabled=not others, label_visibility="collapsed",
                     help="draws an earlier run of this session as dashed lines on the accuracy "
                          "chart")
    previous = next((h for h in history if h["id"] == ss.get("compare_with")), None)
    if exp is not None and exp.to_json(indent=None) != current["outputs"]["config_json"]:
        change = S.config_diff(current["outputs"]["config"], exp.to_dict())
        st.info(f"The setup changed since the run shown ({text.escape_markdown(change)}). "
                "Press **Run** to race it.",
                icon=":material/edit:")
    show_story(current)
    show_results(current, previous)
    glossary()


main()
