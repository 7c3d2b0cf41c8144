"""The race lab page: design a drifting stream, race the contenders live, read the trade-offs.

Layout and widgets only (the sidebar and the contenders editor are in ``ui.editors``, the
session state and callbacks in ``ui.session``, running a race in ``ui.race``). The config is
built from the widgets (``ui.state``), validated and run by the core
(``lab.validate.parse_experiment``, ``lab.race.engine.run_race``), and shown with the core's
figures (``lab.plots``), tables (``lab.race.metrics``) and files (``lab.race.outputs``), so the
app gives the same
numbers as ``python -m lab run`` for the same config.

The result tabs are :data:`RESULT_TABS`, a list of ``(name, render)`` entries: a new tab is one
render function and one entry.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import pandas as pd
import streamlit as st

from lab import budget, plots
from lab.race.story import race_story
from lab.spec.errors import ConfigError
from lab.validate import parse_experiment
from ui import boundary, contenders, costs, downloads, share, tables, text, urls, whatif
from ui import keys as K
from ui import state as S
from ui.editors import CONTENDERS_BOX, contenders_editor, sidebar
from ui.race import (
    baseline_names,
    partial_timeline,
    race,
    remember,
    run_size,
    run_status,
    without_baselines,
)
from ui.refusals import refuse
from ui.run_store import run_store
from ui.scroll import (  # noqa: F401  (CONTROLS_KEY, SCROLL_SCRIPT: the page's, for tests)
    CONTROLS_KEY,
    SCROLL_SCRIPT,
    bring_results_into_view,
    stick_result_tabs,
)
from ui.session import on_stop

ss = st.session_state


def chart(fig, key: str, caption: str) -> None:
    """A figure and its caption. The charts are downloaded together, in the run's HTML report
    (Export tab, ``ui.downloads``): one page with plotly.js once, not ~4.8 MB per chart."""
    st.plotly_chart(fig, key=key, config={"displaylogo": False})
    st.caption(caption)


def memo(entry: dict, name: str, build):
    """``build()`` once per run shown: figures, and the story and tables derived from the run,
    are kept with its history entry (``entry["figs"]``, which a cached re-run of the same
    config shares, see ``ui.race.remember``), so a page run that only redraws rebuilds none."""
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
    lines = memo(entry, "story", lambda: race_story(escaped,
                                                    noise=tables.run_noise(entry["outputs"])))
    with st.container(border=True, key="driftlab_story"):
        st.markdown("\n".join(f"- {line}" for line in lines))
    for c in escaped["contenders"]:
        if c["status"] != "ok":
            st.warning(f"**{c['name']}** failed and was left out of the race: {c['error']}",
                       icon=":material/warning:")


class ResultView(NamedTuple):
    """What every result tab reads: the run on screen, the run overlaid, and the data derived
    from them once per page run."""

    entry: dict
    previous: dict | None
    out: dict
    summary: dict
    timeline: pd.DataFrame
    events: pd.DataFrame
    drifts: list
    window: int
    baselines: list[str]  # reference lines, on the accuracy chart only, in grey
    summary_shown: dict  # without the baselines
    timeline_shown: pd.DataFrame  # without the baselines
    colors: dict  # the contenders' colours; the oracle gets none (it is a black reference line)
    oracles: list[str]  # the summary's "oracle": true contender, drawn as a reference line


def result_view(entry: dict, previous: dict | None) -> ResultView:
    out = entry["outputs"]
    summary, timeline = out["summary"], out["timeline"]
    summary_shown, timeline_shown = memo(entry, "without_baselines",
                                         lambda: without_baselines(summary, timeline))
    oracles = plots.oracle_names(summary)
    return ResultView(
        entry=entry, previous=previous, out=out, summary=summary, timeline=timeline,
        events=out["events"], drifts=summary["drifts"],
        window=out["config"]["evaluation"]["window"], baselines=baseline_names(summary),
        summary_shown=summary_shown, timeline_shown=timeline_shown,
        colors=plots.contender_colors(c["name"] for c in summary_shown["contenders"]
                                      if c["name"] not in oracles),
        oracles=oracles)


def accuracy_tab(v: ResultView) -> None:
    """The chart first in its tab (a new overlay or axis updates it in place), its axis toggle
    and the overlay's note under it. With the note above it, picking an overlay moved the chart
    one place down: Streamlit drew a new chart there, 0 px high until plotly drew it, and the
    page, 1,120 px high, shrank to the window and was scrolled to its top (chromium, 1366x768).
    Above it, the toggle pushed the x-axis out of a 1024x768 window (40 px)."""
    prev_id = v.previous["id"] if v.previous else None
    reference = v.baselines + (baseline_names(v.previous["outputs"]["summary"])
                               if v.previous else [])
    plot = st.container()  # the chart's place, filled once the toggle below is read
    full_scale = st.toggle("Full 0–100 % axis", key=K.ACCURACY_FULL_SCALE,
                           help="the axis fits the contenders' lines so that close ones "
                                "separate; this shows the whole 0–100 % (and baselines far "
                                "below)")
    fig = memo(v.entry, f"accuracy:{prev_id}:{full_scale}", lambda: plots.accuracy_figure(
        v.timeline, v.events, v.drifts, window=v.window, colors=v.colors,
        previous=v.previous["outputs"]["timeline"] if v.previous else None,
        previous_label=f"run {prev_id}", baselines=reference, full_scale=full_scale,
        oracles=v.oracles + (plots.oracle_names(v.previous["outputs"]["summary"])
                             if v.previous else [])))
    with plot:
        st.plotly_chart(fig, key="accuracy_chart", config={"displaylogo": False})
    if v.previous is not None:  # the picker's label is cut short on a narrow page
        change = S.config_diff(v.previous["outputs"]["config"], v.out["config"], limit=10)
        st.caption(f"Dotted, faded lines: run {prev_id} ({v.previous['time']}). What changed "
                   f"from it to run {v.entry['id']} (then → now): {text.escape_markdown(change)}.")
    st.caption(text.CAPTIONS["accuracy"])


def staleness_tab(v: ResultView) -> None:
    log_y = st.toggle("Log scale", key="staleness_log",
                      help="shows online (age ~1) and frozen (age ~N) together")
    fig = memo(v.entry, f"staleness:{log_y}", lambda: plots.staleness_figure(
        v.timeline_shown, v.events, v.drifts, log_y=log_y, colors=v.colors, oracles=v.oracles))
    chart(fig, "staleness_chart", text.CAPTIONS["staleness"])


def cost_tab(v: ResultView) -> None:
    """The two cost charts one under the other, each the page's width: side by side, the cost
    per retrain got a third of a 1024 px page and its bars shrank to a strip."""
    chart(memo(v.entry, "cost", lambda: plots.cost_figure(v.timeline_shown, v.drifts,
                                                          colors=v.colors, oracles=v.oracles)),
          "cost_chart", text.CAPTIONS["cost"])
    chart(memo(v.entry, "retrain_cost", lambda: plots.retrain_cost_figure(
        v.summary_shown, colors=v.colors)), "retrain_cost_chart", text.CAPTIONS["retrain_cost"])


def tradeoff_tab(v: ResultView) -> None:
    cost = st.radio("Training cost", list(text.TRADEOFF_COSTS), horizontal=True,
                    format_func=text.TRADEOFF_COSTS.get, key="tradeoff_cost",
                    help=text.TRADEOFF_COST_HELP)
    chart(memo(v.entry, f"tradeoff:{cost}", lambda: plots.tradeoff_figure(
        v.summary_shown, cost=cost, colors=v.colors)),
          "tradeoff_chart", text.CAPTIONS["tradeoff"])


def summary_tab(v: ResultView) -> None:
    tables.show_summary(v.summary, caption=text.CAPTIONS["summary"],
                        noise=tables.run_noise(v.out))


def data_tab(v: ResultView) -> None:
    frame = v.out["stream"]
    chart(memo(v.entry, "data", lambda: plots.data_figure(frame)), "data_chart",
          text.CAPTIONS["data"])
    chart(memo(v.entry, "features", lambda: plots.feature_distributions_figure(frame)),
          "features_chart", text.CAPTIONS["features"])


def whatif_tab(v: ResultView) -> None:
    whatif.whatif_tab(v.out)


def boundary_tab(v: ResultView) -> None:
    boundary.show(v.entry, chart)


def export_results_tab(v: ResultView) -> None:
    export_tab(v.out)


RESULT_TABS: list[tuple[str, Callable[[ResultView], None]]] = [
    ("Accuracy", accuracy_tab),
    ("Staleness", staleness_tab),
    ("Cost", cost_tab),
    ("Trade-off", tradeoff_tab),
    ("Summary", summary_tab),
    ("Data", data_tab),
    ("What-if", whatif_tab),
    ("Boundary", boundary_tab),
    ("Export", export_results_tab),
    ("Net cost", costs.net_cost_tab),
]


RESULT_TABS_KEY = "result_tabs"  # the open result tab (a widget; tests open tabs with it)
def show_results(entry: dict, previous: dict | None) -> None:
    """The result tabs of the run on screen. Only the open tab's content is built (tabs with
    ``on_change="rerun"`` are lazy): the first view after a race needs one figure, not seven."""
    view = result_view(entry, previous)
    names = [name for name, _ in RESULT_TABS]
    stick_result_tabs(RESULT_TABS_KEY)  # their names stay in view under the row of Run
    whatif.keep_values()  # the What-if tab's choices survive while another tab is open
    for (_, render_tab), tab in zip(RESULT_TABS, st.tabs(names, key=RESULT_TABS_KEY,
                                                         on_change="rerun")):
        with tab:
            if tab.open:
                render_tab(view)


@st.fragment
def results_fragment(entry: dict, previous: dict | None) -> None:
    """The result tabs as a fragment: opening a tab or using a widget in one reruns the tabs
    only, not the sidebar, the editor and the story above them (a full page run took about as
    long as drawing a small chart). A tab's callback that changes the page above (loading a
    config to race in the Export tab sets ``K.RUN_REQUESTED``) gets a full run."""
    show_results(entry, previous)
    if ss.get(K.RUN_REQUESTED):
        st.rerun(scope="app")


def export_tab(out: dict | None) -> None:
    if out is not None:
        downloads.show(out)
        share.share_section(out)  # a link, or for a run on an uploaded CSV file its bundle
    share.opener()  # reproduce a run: a config JSON or a bundle zip (ui.share)


def glossary() -> None:
    """The glossary, one Markdown element of one paragraph per term: every element is re-drawn
    by the browser on every script run, and eighteen of them were 8 % of the page's."""
    with st.expander("Glossary: the words used here, in plain language",
                     icon=":material/menu_book:"):
        st.markdown("\n\n".join(f"**{term}**: {definition}" for term, definition in text.GLOSSARY))


def render() -> None:
    """The race lab page: the sidebar's config editor, Run/Stop, the live race, its story and
    result tabs, under the router's mode switch (``app.py``)."""
    # Before anything reads the contenders: models fit their policies, names follow settings.
    for message in contenders.settle(ss):
        st.toast(text.escape_markdown(message), icon=":material/swap_horiz:")
    field_notes = sidebar()
    with st.sidebar:  # under the sidebar's Evaluation fields
        st.toggle("Show baselines", key="baselines",
                  help="also race the no-change baseline (predicts the previous label) and the "
                       "majority baseline (the most frequent label so far), drawn as grey "
                       "reference lines; evaluation.baselines in the config, --baselines on the "
                       "command line")
        costs.costs_panel()

    title_col, right = st.columns([4.3, 5.2], vertical_alignment="center")
    with right:  # what the run shown is and what the next one costs: scroll away with the title
        status = st.empty()
        estimate_note = st.empty()
    # Run, Stop and the overlay picker in one row that sticks to the top of the window
    # (CONTROLS_KEY, styled in app.py): Run stays in reach while the results are read below.
    with st.container(key=CONTROLS_KEY):
        # the picker gets two thirds: its label names what changed from the run it offers
        run_col, stop_col, compare_col = st.columns([1, 1, 4],
                                                    vertical_alignment="center")
    controls = [None, run_col, stop_col, compare_col.container()]
    title_col.markdown('<div class="driftlab-title"><h2>Driftlab</h2><p>Batch vs online '
                         'learning under concept drift: design a drifting stream, pick the '
                         'contenders, race them on the same samples.</p></div>',
                         unsafe_allow_html=True)

    draft, exp, error = None, None, None
    try:
        draft = S.config_from_state(ss)
        exp = parse_experiment(draft)
    except ConfigError as exc:
        # every problem at once, each once (ui.refusals); already markdown, escaped
        error = refuse(ss, draft, exc, field_notes)
    except Exception as exc:  # the widgets never build anything else, but stay up regardless
        error = text.escape_markdown(f"{type(exc).__name__}: {exc}")

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
    # A setup the server has raced is shown at once from its run store: no estimate for it
    # (an "about 59 s" under an instant run read as stale), and a link to it needs no click.
    stored = runnable and exp.to_json(indent=None) in run_store("race")
    requested = ss.pop(K.RUN_REQUESTED, False)
    if requested == "link" and runnable and not stored and budget.needs_click(exp, estimate):
        # Opening a link never starts heavy work: the visitor decides.
        ss[K.NOTICE] = (f"This link's race needs {estimate.describe()}: press **Run** to "
                         "race it.")
        requested = False
    # The Run button is drawn at the end of the script run, once it is known whether its next
    # click can be answered by the run's fragment (quick_rerun_ready); a click on it is
    # read here from its state, which Streamlit sets before the script run it starts.
    run_now = (bool(ss.get(RUN_KEY)) or bool(requested)) and runnable
    if (estimate is not None and estimate.seconds > budget.AUTO_RUN_SECONDS and refusal is None
            and not stored):
        estimate_note.caption(f"Estimated time: {estimate.describe()}.")
    stop_slot = controls[2].empty()
    if run_now:
        stop_slot.button("Stop", key="stop", icon=":material/stop:", on_click=on_stop,
                         width="stretch", help="stop the race; the chart keeps what was run")
    else:
        stop_slot.button("Stop", key="stop_idle", icon=":material/stop:", disabled=True,
                         width="stretch")
    noticed = bool(ss.get(K.URL_WARNINGS) or ss.get(K.NOTICE))  # shown once, by this run
    for warning in ss.pop(K.URL_WARNINGS, []):  # they quote the link's values: escaped
        st.warning(text.escape_markdown(warning), icon=":material/link_off:")
    if ss.get(K.NOTICE):
        st.info(ss.pop(K.NOTICE), icon=":material/info:")
    compare_box = controls[3].container()
    contenders_editor(collapse=run_now)  # Run collapses the box: the results move up
    if error:
        st.error(f"This setup cannot run yet: {error}",
                 icon=":material/error:")
    elif refusal:  # built from numbers, limits and the CLI command only: no user text
        st.error(f"This race is too big for the app: {refusal}", icon=":material/timer_off:")
        st.download_button("config.json", data=exp.to_json() + "\n", file_name="config.json",
                           mime="application/json", key="dl_budget_config", on_click="ignore",
                           icon=":material/download:",
                           help=f"this setup as a config for `{budget.CLI_COMMAND}`")

    live_area = st.empty()
    if run_now:
        ss[K.STOPPED] = False
        try:
            out, cached = race(exp, live_area)
        except Exception as exc:  # a bug or a stream the generator refuses: say so, stay up
            live_area.empty()
            st.error(text.escape_markdown(f"The race could not run: {type(exc).__name__}: {exc}"),
                     icon=":material/error:")
            out = None
        live_area.empty()
        if out is not None:  # raced: the next Run of this setup is instant
            estimate_note.empty()
            stored = not out["cancelled"]
        if run_now:
            stop_slot.button("Stop", key="stop_idle", icon=":material/stop:", disabled=True,
                             width="stretch")
        if out is not None and out["cancelled"]:
            ss[K.STOPPED] = True
        elif out is not None:
            ss.pop(K.PARTIAL, None)
            shown_run(out, cached)
    if not ss.get(K.STOPPED):
        ss.pop(K.PARTIAL, None)  # a race cut short by another widget: nothing to show, free it
    stopped_view = bool(ss.get(K.STOPPED) and ss.get(K.PARTIAL))
    box_open = stopped_view and show_stopped(ss[K.PARTIAL], status,
                                             ss[K.HISTORY][-1] if ss[K.HISTORY] else None)

    # No tooltip on Run once its setup is stored: after a race the page scrolls under the
    # pointer left on Run, and its tooltip ("raced before: shown at once") covered the story's
    # first line (session 10's walk-through); the run's caption says where its results came from.
    run_args = dict(disabled=not runnable,
                    help=None if stored else
                    f"estimated {estimate.describe()}" if estimate else None)
    quick = not noticed and quick_rerun_ready(exp, runnable)
    if not quick:  # a click on it starts a full script run (it may race, show Stop, ...)
        run_button(controls[1], **run_args)
    if not ss[K.HISTORY] or stopped_view:  # no run to show, or only the stopped race
        # (not while Run is off: the message above the results says what to change first)
        if not ss[K.HISTORY] and not run_now and not ss.get(K.STOPPED) and runnable:
            st.info("Press **Run** to race the contenders: every one of them predicts each "
                    "sample, then learns from it, and the chart draws itself as they go.",
                    icon=":material/play_circle:")
        # No run shown: the config / bundle opener waits at the foot of the sidebar (with a
        # run it is in the Export tab; never both in one script run, they share widget keys).
        if not box_open:
            share.sidebar_opener()
        glossary()
        return
    if "config" not in st.query_params:
        # Back from the lessons (their address is theirs, ?mode=lessons&lesson=...): the address
        # is again the link of the run shown, or a link copied now opened the default race.
        st.query_params.from_dict({"config": urls.encode_config(
            ss[K.HISTORY][-1]["outputs"]["config"])})
    ss[K.IN_FULL_RUN] = True  # run_view is drawn by the page's script run, not rerun alone
    run_view(exp, RunSlots(run=controls[1] if quick else None, status=status,
                           compare=compare_box), run_args)
    glossary()


def show_stopped(partial: dict, status, previous: dict | None) -> bool:
    """After Stop, the page shows what the stopped race produced (the earlier runs' story and
    tabs under its partial chart read as its results). The run shown before (``previous``)
    is one click away in a collapsed box (:func:`previous_run_box`, whether open is returned)
    between the warning, which points to it, and the chart: under the chart, it was below the
    window at 1366x768 and a new user did not find it (session 11's walk-through)."""
    status.caption(f"Stopped race: {partial['n_done']:,} of {partial['n']:,} samples raced.")
    there = (f", or open run {previous['id']}'s complete results just below"
             if previous is not None else "")
    if partial["points"] == 0:  # stopped during the warm-up fits (or the oracle's plan)
        st.warning("Race stopped before any sample was raced: the contenders were still "
                   f"training on the warm-up. Press **Run** to race again{there}.",
                   icon=":material/stop:")
        return previous is not None and previous_run_box(previous)
    st.warning(f"Race stopped at sample {partial['n_done']:,} of {partial['n']:,}: the chart "
               f"below shows the race up to there. Press **Run** to race again{there}.",
               icon=":material/stop:")
    box_open = previous is not None and previous_run_box(previous)
    fig = plots.accuracy_figure(partial_timeline(partial), None, partial["drifts"],
                                window=partial["window"], baselines=partial["baselines"])
    fig.update_xaxes(range=[0, partial["n"]])
    st.plotly_chart(fig, key="stopped_chart")
    return box_open


PREVIOUS_RUN_BOX = "previous_run_box"  # the stopped view's box of the run before (a widget)


def previous_run_box(entry: dict) -> bool:
    """Above a stopped race's chart, the run shown before it, in a collapsed box labelled as
    that run: its status, story and result tabs, reachable but apart from the stopped race
    (open, they read as its results when they followed its chart). Drawn only when opened (the
    box tracks its state, see ``st.expander``'s ``on_change``); returns whether it is open (its
    Export tab then holds the config opener, which the page must not draw in the sidebar too)."""
    with st.expander(f"Previous run (Run {entry['id']}, before the stopped race): "
                     f"{run_size(entry)}", expanded=False,
                     icon=":material/history:", key=PREVIOUS_RUN_BOX,
                     on_change="rerun") as box:
        if box.open:
            st.caption(f"These are the results of run {entry['id']}, not of the stopped race "
                       "(its chart is under this box).")
            show_story(entry)
            results_fragment(entry, None)
    return bool(box.open)


RUN_KEY = "run"  # the Run button


def run_button(slot, disabled: bool, help: str | None) -> bool:
    """The Run button (the same widget wherever it is drawn). Clicked, it first sorts the drift
    cards by position (``ui.state.sort_drifts``)."""
    return slot.button("Run", key=RUN_KEY, type="primary", icon=":material/play_arrow:",
                       disabled=disabled, width="stretch", on_click=S.sort_drifts, args=(ss,),
                       help=help)


OVERLAY_NOTE = "_overlay_note"  # why the overlay was turned off by the last run, shown once


def shown_run(out: dict, cached: bool) -> dict:
    """A finished race becomes the run shown: the session's history, the page's URL (a link
    that reproduces it), its accuracy tab open, and its results brought into view once.

    A run of another setup than the run shown turns the overlay off, with a note: the overlay
    was picked to compare two runs ("then → now"), and left on it silently compared the new
    run with a run the user had not picked for it. A Run of the same setup keeps it."""
    before = ss[K.HISTORY][-1] if ss[K.HISTORY] else None
    overlaid = ss.get(K.COMPARE_WITH)
    entry = remember(out, cached)
    if (overlaid is not None and before is not None
            and before["outputs"]["config_json"] != out["config_json"]):
        ss[K.COMPARE_WITH] = None
        ss[OVERLAY_NOTE] = (f"The overlay of run {overlaid} is off: it was picked to compare "
                            f"with run {before['id']}, and run {entry['id']} is another setup. "
                            "Pick a run in the overlay list to compare it with this one.")
    st.query_params.from_dict({"config": urls.encode_config(out["config"])})
    show_accuracy_chart(entry["id"])  # a new run opens on its accuracy chart, in view
    return entry


SCROLLS = "_results_scrolls"  # how many times this session's results were scrolled into view


def show_accuracy_chart(run_id: int) -> None:
    """Open run ``run_id``'s accuracy tab and bring its story and chart into view once (at the
    end of :func:`run_view`): after a Run, and after picking or clearing an overlay, which
    changes that chart only (it was left wherever the page was, or in a tab not open)."""
    ss[RESULT_TABS_KEY] = RESULT_TABS[0][0]
    ss[K.SCROLL_PENDING] = run_id


def quick_rerun_ready(exp, runnable: bool) -> bool:
    """Whether Run can be answered by the run's fragment alone (:func:`run_view`), without a
    full script run: the config's race is in the server's run store (so Run shows it at once:
    no live race, so no Stop), and nothing else on the page would change with it. A full run
    redrew the sidebar and the contenders editor, which a cached re-run does not change: most
    of its time in the browser (React reconciling ~60 widgets) and a third on the server.

    Not when the race must run (not in the store; Stop and the live chart live outside the
    fragment), the contenders box is open (Run collapses it), the drift cards are out of order
    (Run sorts them), a one-time notice is on the page (a full run clears it), a stopped race is
    shown, or no run is shown yet (the config opener then sits in the sidebar)."""
    return bool(runnable and ss[K.HISTORY] and not ss.get(K.STOPPED)
                and not ss.get(CONTENDERS_BOX) and not ss.get(K.NOTICE)
                and not ss.get(K.URL_WARNINGS)
                and S.drift_order(ss) == list(ss.get(K.DRIFT_IDS, []))
                and exp.to_json(indent=None) in run_store("race"))


class RunSlots(NamedTuple):
    """The page's places, outside the run's fragment, that it draws into: the Run button's
    (``None`` when the page draws Run), the status caption's, the overlay picker's."""

    run: object | None
    status: object
    compare: object


@st.fragment
def run_view(exp, slots: RunSlots, run_args: dict) -> None:
    """The run shown: its status caption and the overlay picker (drawn into their places in the
    page's header), the "setup changed" notice, the story and the result tabs.

    A fragment, so that Run on a config the server has raced (``slots.run``, see
    :func:`quick_rerun_ready`) and the overlay picker rerun this part only. Run here does what
    the page's Run does for a stored race, and hands over to a full run (``K.RUN_REQUESTED``)
    should the race have left the store meanwhile."""
    in_full_run = ss.pop(K.IN_FULL_RUN, False)  # then the page has handled a click on Run
    if slots.run is None and not in_full_run and ss.get(RUN_KEY):
        # A click on this fragment's Run that a full run overtook (a typed sidebar value, sent
        # as the click blurred it, got its full run first, which moved Run to the page): race
        # it in a full run, as if the page's Run had been clicked.
        ss[K.RUN_REQUESTED] = True
        st.rerun(scope="app")
    if slots.run is not None and run_button(slots.run, **run_args) and not in_full_run:
        out = run_store("race").get(exp.to_json(indent=None))
        if out is None:
            ss[K.RUN_REQUESTED] = True
            st.rerun(scope="app")
        shown_run(out, True)
    history = ss[K.HISTORY]
    current = history[-1]
    out = current["outputs"]
    slots.status.caption(f"Run {current['id']}: {run_status(current)}")
    others = [h["id"] for h in reversed(history[:-1])]
    # The picker's value reaches the browser as its label, which names how that run differs
    # from the run shown ("Random seed 7 (now 42)") and so changes with every new run: set
    # here, the chosen run's label is sent again; left alone, the browser kept showing the
    # label it had when the run was picked.
    ss[K.COMPARE_WITH] = ss.get(K.COMPARE_WITH) if ss.get(K.COMPARE_WITH) in others else None

    def run_label(run_id: int | None) -> str:
        # short, so that the picker shows most of it at 1024 px; from the listed run's side
        # ("seed 7 (now 42)"): "Run 1: Random seed 7 → 42" read as if run 1 changed the seed.
        # The accuracy tab says it in full under the picked run's lines
        if run_id is None:
            return "No overlay"
        run = next(h for h in history if h["id"] == run_id)
        change = S.config_diff(run["outputs"]["config"], out["config"], limit=2, then_now=True)
        return f"Run {run_id} ({run['time']}): {change}"

    slots.compare.selectbox(  # with an overlay on, "No overlay" (last) takes it off
        "Overlay a previous run", others + ([None] if ss[K.COMPARE_WITH] else []),
        key=K.COMPARE_WITH, format_func=run_label,
        # a Run of the same setup replaces its earlier run in the history (same results)
        placeholder="Overlay a previous run…" if others else "No other setup raced yet",
        disabled=not others, label_visibility="collapsed",
        on_change=show_accuracy_chart, args=(current["id"],),
        help="draws an earlier run of this session as dotted, faded lines on the accuracy chart")
    previous = next((h for h in history if h["id"] == ss.get(K.COMPARE_WITH)), None)
    overlay_note = ss.pop(OVERLAY_NOTE, None)
    if exp is not None and exp.to_json(indent=None) != out["config_json"]:
        change = S.config_diff(out["config"], exp.to_dict())
        st.info(f"The setup changed since the run shown: {text.escape_markdown(change)}. "
                "Press **Run** to race it.",
                icon=":material/edit:")
    show_story(current)
    if overlay_note:  # under the story, where Run lands: above it, the sticky row covered it
        st.caption(overlay_note)
    results_fragment(current, previous)
    if ss.pop(K.SCROLL_PENDING, None) == current["id"]:
        # numbered: a second scroll in a row (an overlay picked after a Run) is a new frame,
        # whose script runs; the same frame again would be kept by the browser, not re-run
        ss[SCROLLS] = ss.get(SCROLLS, 0) + 1
        bring_results_into_view(ss[SCROLLS])
