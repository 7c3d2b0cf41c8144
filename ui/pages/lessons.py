"""The Lessons page (run by the router in ``app.py``): pick a lesson, read it as a teacher would
say it, see its charts and whether its claim holds for the settings in use (streamlit; the
lessons themselves are ``lab.lessons``).

* The router (``app.py``, ``ui.mode``) shows this page for the sidebar's mode "Lessons";
  ``?mode=lessons&lesson=lesson-sudden`` opens a lesson from a link (bad values: a warning).
* One click on a lesson (``lesson``) loads and runs it; runs are cached on
  ``(lesson key, overrides JSON, seed)``.
* The settings panel writes per-lesson widget keys (``ls<number>_<field>``) that turn into
  config-path overrides (``lab.lessons.lesson_config``); "Make the claim fail" fills those same
  widgets from the lesson's ``break_overrides``.
* Layout: the title row (title, "Back", "Next", "Presenter"; one wrapping row, so the buttons
  keep their whole labels and go under the title on a narrow page), the claim under it; the
  chart with the verdict beside it (``verdict_panel``: the badge, the try-this verdict and the
  "Try it" / "Make the claim fail" buttons), or under it when that row is narrower than
  ``NARROW_ROW`` px (1024x768 with the sidebar open); the teacher's text and the settings
  below. Each lesson's chart tabs have a key of their own (``figure_tabs_key``) and open on
  the chart last viewed in that lesson (``chart_tabs``; a lesson never viewed: its first
  chart), after another lesson or the race lab; the lesson radio keeps its value while the
  race lab is shown (``persist_state="session"``), so coming back shows the last lesson
  viewed. A lesson newly picked (list, Back / Next, presenter's select) or shown again after
  the race lab opens at its top (``ui.lesson_header.open_at_top``; ``app.py`` forgets the
  lesson shown while the race lab is), a rerun of the same lesson stays where the user is;
  after Try / Fail the chart, then the verdict, come into view (``results_into_view``). A
  Try or Fail run is drawn over the original run on one accuracy chart (the original dotted
  and faded), so before and after are compared in one place.
* "Make the claim fail" changes that no widget shows (another model, a delay) are kept as the
  lesson's extra overrides (``ls<number>_extra``) until "Preset settings", and listed under the
  settings as changed from the preset.
* ``presenter`` (kept in the address as ``?presenter=1``, restored from it by ``ui.mode``):
  sidebar and Streamlit's header hidden (the title row then has a select to jump to any lesson,
  arrows for back and next, and the toggle to leave presenter mode), larger text and chart
  fonts, charts ``PRESENTER_CHART_HEIGHT`` tall, and a compact verdict (headline, the reason
  of a "Make the claim fail" run, the Try result; the numbers in an expander), so that at
  1366x768 and 1024x768 the claim, the chart and the verdict fit the first screen before
  and after Try and Fail (tests/test_lessons_presenter_browser.py).
  The teacher's text and the settings follow below the fold.
"""

from __future__ import annotations

import json
import re
from typing import Any

import streamlit as st

from lab.lessons.catalogue import LESSONS, Lesson, get_lesson
from lab.lessons.checks import check_try
from lab.lessons.runner import (
    CHART_CAPTIONS,
    baseline_names,
    lesson_config,
    lesson_figures,
    run_lesson,
)
from lab.plots import contender_colors, oracle_names
from lab.plots.lessons import lesson_accuracy_figure
from lab.spec.errors import ConfigError
from ui import keys as K
from ui.lesson_header import (  # noqa: F401  (JUMP: tests read the select's key here)
    JUMP,
    RESULT_ROW,  # the container of the chart and the verdict beside it
    ask_for_results,
    claim_badge,
    lesson_navigation,
    lesson_sidebar,
    open_at_top,
    results_into_view,
    title,
)
from ui.number_checks import NumberField, out_of_range
from ui.text import escape_markdown

ss = st.session_state
KEYS = tuple(LESSONS)
MAX_DRIFT_ROWS = 3  # lessons with more drifts (lesson 8) get only the on/off switch
CHART_LABELS = {"accuracy": "Accuracy", "boundary": "Decision boundary", "staleness": "Model age",
                "cost": "Training cost", "bill": "Total cost", "tradeoff": "Accuracy vs cost",
                "loss": "Loss curves", "kmeans": "Centroids"}
_LABEL_OF_CAPTION = {caption: CHART_LABELS[name] for name, caption in CHART_CAPTIONS.items()}
CHART_TAB = "lesson_chart_tab"  # {lesson key: its chart tab last viewed} (chart_tabs)
#: Below this width of the chart-and-verdict row (px) the verdict goes under the chart: at
#: 1024x768 with the sidebar open the row is about 650 px and the verdict column was 190 px
#: (a word or two a line); at 1366x768 (about 1,000 px) and in presenter mode at 1024 px
#: (about 980 px) it stays beside the chart, about 290 px wide.
NARROW_ROW = 860
PRESENTER_CHART_HEIGHT = 520  # px: title, claim, chart and verdict on one 768-pixel screen

CSS = """
<style>
.driftlab-lesson h4 {margin: 0.5rem 0 0.1rem 0; font-size: 1.0rem; color: #0072B2;}
.driftlab-lesson p {margin: 0 0 0.3rem 0; line-height: 1.45;}
.driftlab-claim p {margin: 0; line-height: 1.4;}
.st-key-lesson_title_row [data-testid="stElementContainer"]:has(.driftlab-title)
{flex: 1 1 18rem; min-width: 14rem;}
.st-key-lesson_result_row {container-type: inline-size;}
@container (max-width: 860px) {
  .st-key-lesson_result_row [data-testid="stHorizontalBlock"] {flex-wrap: wrap;}
  .st-key-lesson_result_row [data-testid="stColumn"] {flex: 1 1 100% !important;
    width: 100% !important; min-width: 100% !important;}
}
</style>
"""
assert f".st-key-{RESULT_ROW} " in CSS and f"(max-width: {NARROW_ROW}px)" in CSS
# Presenter mode: no sidebar and no Streamlit header (its toolbar) above the title; the
# invisible style-only elements take no gap, so the title starts at the top of the screen.
PRESENTER_CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stExpandSidebarButton"], [data-testid="stHeader"] {display: none !important;}
[data-testid="stMainBlockContainer"] [data-testid="stElementContainer"]:has(style):not(:has(p))
{display: none !important;}
.st-key-lesson_verdict {gap: 0.6rem;}
.st-key-lesson_verdict [data-testid="stAlertContainer"] {padding: 0.6rem 0.8rem;}
[data-testid="stMainBlockContainer"] {padding: 0.8rem 1.4rem 1rem 1.4rem !important;}
[data-testid="stMain"] .stMarkdown p, [data-testid="stMain"] .stMarkdown li,
[data-testid="stMain"] [data-testid="stAlertContainer"] p {font-size: 1.18rem; line-height: 1.45;}
.driftlab-lesson h4 {font-size: 1.25rem !important;}
div.driftlab-title h2 {font-size: 1.6rem !important; padding: 0 !important;}
[data-testid="stMain"] .driftlab-claim p {font-size: 1.1rem; line-height: 1.35;}
[data-testid="stMain"] .st-key-lesson_verdict .stMarkdown p,
[data-testid="stMain"] .st-key-lesson_verdict [data-testid="stAlertContainer"] p,
[data-testid="stMain"] .st-key-lesson_verdict [data-testid="stCaptionContainer"] p
{font-size: 0.98rem; line-height: 1.3;}
</style>
"""


# ---------------------------------------------------------------------------------------------
# Settings: widgets <-> config-path overrides
# ---------------------------------------------------------------------------------------------
def wkey(lesson: Lesson, field: str) -> str:
    return f"ls{lesson.number}_{field}"


def _fields(lesson: Lesson) -> list[tuple[str, str, str, Any, dict]]:
    """``(field, label, config path, preset value, number_input kwargs)`` of the plain settings."""
    cfg = lesson_config(lesson)
    if lesson.kind == "gradient":
        return [("n_rows", "Rows in the table", "n_rows", cfg["n_rows"],
                 {"min_value": 200, "max_value": 20000, "step": 200}),
                ("lr", "Step size (learning rate)", "lr", float(cfg["lr"]),
                 {"min_value": 0.001, "max_value": 10.0, "step": 0.05})]
    if lesson.kind == "kmeans":
        return [("n_points", "Points", "n_points", cfg["n_points"],
                 {"min_value": 300, "max_value": 20000, "step": 300}),
                ("speed", "Speed of the groups", "speed", float(cfg["speed"]),
                 {"min_value": 0.0, "max_value": 10.0, "step": 0.5})]
    stream = cfg["stream"]
    return [("n_samples", "Samples in the stream", "stream.n_samples", stream["n_samples"],
             {"min_value": 2000, "max_value": 50000, "step": 1000}),
            ("label_noise", "Wrong labels (share)", "stream.label_noise",
             float(stream["label_noise"]), {"min_value": 0.0, "max_value": 0.5, "step": 0.05})]


def turns_the_boundary(lesson: Lesson) -> bool:
    """Whether the lesson's drift rows can edit the boundary's angle: only ``blobs2d`` has one
    (another generator's drifts change its own parameters, which no widget here shows; real
    data takes only markers)."""
    return lesson.is_race and lesson_config(lesson)["stream"]["source"] == "blobs2d"


def _drift_rows(lesson: Lesson) -> tuple[bool, list[dict]]:
    """``(drifts on at the preset, editable rows)``; a ``blobs2d`` lesson without drifts gets one
    row for a sudden turn that the user may switch on (other streams get none)."""
    cfg = lesson_config(lesson)
    stream = cfg["stream"]
    base = float(stream["params"].get("angle", 0.0))
    drifts = stream["drifts"]
    if not drifts:
        if not turns_the_boundary(lesson):
            return False, []
        at = int(round(stream["n_samples"] * 0.6 / 500.0) * 500)
        return False, [{"at": at, "width": 0, "angle": float((base + 90) % 360)}]
    rows = [{"at": int(d["at"]), "width": int(d["width"]),
             "angle": float(d.get("to", {}).get("angle", base))} for d in drifts]
    return True, rows if len(rows) <= MAX_DRIFT_ROWS else []


def preset_state(lesson: Lesson) -> dict[str, Any]:
    """The widget values of the lesson at its preset settings."""
    cfg = lesson_config(lesson)
    out = {wkey(lesson, "seed"): int(cfg["seed"])}
    out.update({wkey(lesson, f): v for f, _, _, v, _ in _fields(lesson)})
    if lesson.is_race:
        on, rows = _drift_rows(lesson)
        out[wkey(lesson, "drifts_on")] = on
        for i, row in enumerate(rows):
            out.update({wkey(lesson, f"d{i}_{k}"): v for k, v in row.items()})
    return out


def overrides_from_state(lesson: Lesson) -> tuple[dict, int]:
    """``(overrides, seed)`` that the settings widgets describe (only what differs from the
    preset, so the preset's cache entry is shared)."""
    preset = preset_state(lesson)
    value = {k: ss.get(k, v) for k, v in preset.items()}
    overrides: dict[str, Any] = {}
    for f, _, path, _, _ in _fields(lesson):
        k = wkey(lesson, f)
        if value[k] != preset[k]:
            overrides[path] = value[k]
    # "Make the claim fail" may change what no widget shows (a contender's model or detector)
    overrides.update(ss.get(wkey(lesson, "extra")) or {})
    if lesson.is_race:
        on_preset, rows = _drift_rows(lesson)
        on = bool(value[wkey(lesson, "drifts_on")])
        row_vals = [{k: value[wkey(lesson, f"d{i}_{k}")] for k in ("at", "width", "angle")}
                    for i in range(len(rows))]
        if not on and on_preset:
            overrides["stream.drifts"] = []
        elif on and not on_preset:
            overrides["stream.drifts"] = [{"at": int(r["at"]), "width": int(r["width"]),
                                           "to": {"angle": float(r["angle"])}} for r in row_vals]
        elif on:
            for i, (now, was) in enumerate(zip(row_vals, rows)):
                for k in ("at", "width"):
                    if now[k] != was[k]:
                        overrides[f"stream.drifts[{i}].{k}"] = int(now[k])
                if now["angle"] != was["angle"]:
                    overrides[f"stream.drifts[{i}].to.angle"] = float(now["angle"])
    return overrides, int(value[wkey(lesson, "seed")])


def state_for_overrides(lesson: Lesson, overrides: dict) -> tuple[dict, list[str]]:
    """Widget values that express ``overrides`` (e.g. a lesson's ``break_overrides``), and the
    paths no widget can express."""
    state, left = {}, []
    rows = _drift_rows(lesson)[1] if lesson.is_race else []
    base = float(lesson_config(lesson)["stream"]["params"].get("angle", 0.0)) \
        if lesson.is_race else 0.0
    paths = {path: f for f, _, path, _, _ in _fields(lesson)}
    for path, v in overrides.items():
        m = re.match(r"^stream\.drifts\[(\d+)\]\.(at|width|to\.angle|to)$", path)
        if m and m.group(2).startswith("to") and not turns_the_boundary(lesson):
            m = None  # another generator's parameters: no widget shows them
        if path == "seed":
            state[wkey(lesson, "seed")] = int(v)
        elif path in paths:
            state[wkey(lesson, paths[path])] = v
        elif path == "stream.drifts" and turns_the_boundary(lesson) and isinstance(v, list):
            state[wkey(lesson, "drifts_on")] = bool(v)
            if v and len(v) != len(rows):
                left.append(path)
            for i, d in enumerate(v[:len(rows)]):
                state[wkey(lesson, f"d{i}_at")] = int(d["at"])
                state[wkey(lesson, f"d{i}_width")] = int(d.get("width", 0))
                state[wkey(lesson, f"d{i}_angle")] = float(d.get("to", {}).get("angle", base))
        elif m and lesson.is_race and int(m.group(1)) < len(rows):
            i, what = int(m.group(1)), m.group(2)
            state[wkey(lesson, "drifts_on")] = True
            if what == "to":
                state[wkey(lesson, f"d{i}_angle")] = float(v.get("angle", base))
            else:
                state[wkey(lesson, f"d{i}_{'angle' if what == 'to.angle' else what}")] = \
                    float(v) if what == "to.angle" else int(v)
        else:
            left.append(path)
    return state, left


def _reset(lesson_key: str) -> None:
    lesson = LESSONS[lesson_key]
    ss.update(preset_state(lesson))
    ss[wkey(lesson, "try")] = False
    ss[wkey(lesson, "broken")] = False
    ss[wkey(lesson, "extra")] = {}


def _apply_break(lesson_key: str) -> None:
    lesson = LESSONS[lesson_key]
    _reset(lesson_key)
    state, left = state_for_overrides(lesson, lesson.break_overrides)
    ss.update(state)
    ss[wkey(lesson, "broken")] = True
    # what no widget can show (a model, a detector, many drifts) is kept aside and applied too;
    # "Changed from the preset" lists it
    ss[wkey(lesson, "extra")] = {p: lesson.break_overrides[p] for p in left}
    ask_for_results()  # the chart that changed and the verdict in view, not the button


def _set_try(lesson_key: str, on: bool) -> None:
    ss[wkey(LESSONS[lesson_key], "try")] = on
    ask_for_results()


SEED_FIELD = NumberField("Seed", 0, 10**6, "type a whole number from 0 to 1,000,000")
DRIFT_FIELDS = {"at": ("at", 1, None, "type a sample inside the stream, 1 or more"),
                "width": ("width", 0, None, "type 0 for a sudden change, or more"),
                "angle": ("angle after", 0.0, 360.0, "type an angle from 0 to 360 degrees")}


def number_fields(lesson: Lesson) -> dict[str, NumberField]:
    """The settings panel's number fields by widget key, each with the label the panel shows
    and its range. The widgets carry no min/max (a browser refuses an out-of-range number
    without a word and keeps the old value, so the lesson silently ran the old settings):
    :func:`check_settings` refuses it by name instead, as the race lab's sidebar does
    (``ui.number_checks``)."""
    fields = {wkey(lesson, "seed"): SEED_FIELD}
    for f, label, _, _, kw in _fields(lesson):
        low, high = kw["min_value"], kw["max_value"]
        fields[wkey(lesson, f)] = NumberField(label, low, high,
                                              f"type a value from {low:,g} to {high:,g}")
    if lesson.is_race:
        rows = _drift_rows(lesson)[1]
        for i, _ in enumerate(rows):
            name = "Drift" if len(rows) == 1 else f"Drift {i + 1}"
            for k, (label, low, high, fix) in DRIFT_FIELDS.items():
                fields[wkey(lesson, f"d{i}_{k}")] = NumberField(f"{name} {label}", low, high, fix)
    return fields


def check_settings(lesson: Lesson) -> None:
    """Refuse the first setting outside its range with a :class:`ConfigError` naming the
    field as the panel labels it, its value, the range and the fix (drift fields only while
    the drifts are on: they are not used otherwise)."""
    drifts_on = bool(ss.get(wkey(lesson, "drifts_on")))
    for key, field in number_fields(lesson).items():
        if re.match(r"ls\d+_d\d+_", key) and not drifts_on:
            continue
        problem = out_of_range(ss.get(key), field)
        if problem:
            raise ConfigError(field.label, problem,
                              f"{field.fix} (in Settings, below); the chart comes back then")


def settings_panel(lesson: Lesson) -> None:
    for k, v in preset_state(lesson).items():
        ss.setdefault(k, v)
    a, b = st.columns(2)
    # no min_value/max_value on these fields: check_settings names a value out of range
    a.number_input("Seed", key=wkey(lesson, "seed"), step=1,
                   help="another draw of the same random world")
    cols = [b, a, b]
    for col, (f, label, path, default, kw) in zip(cols, _fields(lesson)):
        col.number_input(label, key=wkey(lesson, f), help=f"config `{path}`, preset {default}",
                         step=kw["step"])
    if not lesson.is_race:
        return
    on_preset, rows = _drift_rows(lesson)
    n_drifts = len(lesson_config(lesson)["stream"]["drifts"])
    if not on_preset and not rows:
        return  # no drift to switch off and none this stream can add
    label = (f"Drifts on ({n_drifts})" if on_preset else "Add a sudden turn of the boundary")
    st.toggle(label, key=wkey(lesson, "drifts_on"),
              help="switch the lesson's changes off, or add one to a lesson without any")
    if ss.get(wkey(lesson, "drifts_on")):
        if not rows:
            st.caption(f"{n_drifts} drifts as in the lesson (too many to edit here).")
        for i, _ in enumerate(rows):
            c1, c2, c3 = st.columns(3)
            name = "Drift" if len(rows) == 1 else f"Drift {i + 1}"
            c1.number_input(f"{name} at", key=wkey(lesson, f"d{i}_at"), step=500)
            c2.number_input("width", key=wkey(lesson, f"d{i}_width"), step=500,
                            help="0 = sudden; more = a gradual change over that many samples")
            if turns_the_boundary(lesson):  # other generators' drifts change other parameters
                c3.number_input("angle after", key=wkey(lesson, f"d{i}_angle"), step=15.0,
                                help="direction of the class boundary after the change "
                                     "(degrees)")


# ---------------------------------------------------------------------------------------------
# Running (cached)
# ---------------------------------------------------------------------------------------------
@st.cache_data(max_entries=128, show_spinner=False)
def lesson_outputs(key: str, overrides_json: str, seed: int) -> dict:
    """A lesson's run as the page needs it: summary, judged claim and figures, and for a race
    what the accuracy chart is drawn from (to draw another run over it: :func:`overlaid`)."""
    run = run_lesson(get_lesson(key), json.loads(overrides_json), seed=seed)
    out = {"summary": run.summary, "holds": run.check.holds, "detail": run.check.detail,
           "figures": lesson_figures(run), "race": None}
    if run.lesson.is_race:
        from lab.race.metrics import events_frame, timeline_frame

        out["race"] = {"timeline": timeline_frame(run.result), "events": events_frame(run.result),
                       "drifts": run.summary["drifts"],
                       "window": run.result.experiment.evaluation.window,
                       "baselines": baseline_names(run.summary),
                       "oracles": oracle_names(run.summary)}
    return out


def overlaid(out: dict, base: dict, label: str) -> list:
    """``out``'s figures with its accuracy chart redrawn over ``base``'s run, the original lines
    dotted and faded behind (baselines and oracle once, from ``out``:
    :func:`lab.plots.lessons.lesson_accuracy_figure`). Non-race lessons keep their figures."""
    if not out.get("race") or not base.get("race"):
        return out["figures"]
    now, was = out["race"], base["race"]
    references = now["baselines"] + was["baselines"] + now["oracles"] + was["oracles"]
    # colours from the learners alone, as lesson_figures gives them (references take none)
    colors = contender_colors(n for n in list(now["timeline"]["contender"].unique())
                              + list(was["timeline"]["contender"].unique())
                              if n not in references)
    fig = lesson_accuracy_figure(now["timeline"], now["events"], now["drifts"],
                                 window=now["window"], previous=was["timeline"],
                                 previous_label=label, colors=colors,
                                 baselines=now["baselines"] + was["baselines"],
                                 oracles=now["oracles"] + was["oracles"])
    caption = CHART_CAPTIONS["accuracy"] + f" Dotted and faded: the {label}."
    figures = list(out["figures"])
    for i, (cap, _) in enumerate(figures):
        if cap == CHART_CAPTIONS["accuracy"]:
            figures[i] = (caption, fig)
            return figures
    return [(caption, fig)] + figures


def _run(lesson: Lesson, overrides: dict, seed: int) -> dict:
    return lesson_outputs(lesson.key, json.dumps(overrides, sort_keys=True), int(seed))


# ---------------------------------------------------------------------------------------------
# The page
# ---------------------------------------------------------------------------------------------
def _para(head: str, body: str) -> str:
    return f"<h4>{head}</h4><p>{body}</p>"


def verdict_panel(lesson: Lesson, out: dict | None, base: dict | None, error: str | None,
                  trying: bool, broken: bool, presenter: bool) -> None:
    """Beside the chart: the badge, the Try box and the buttons. In presenter mode the verdict
    is compact, so that it fits a 768-pixel screen beside the chart: the headline, the reason
    of a "Make the claim fail" run and the Try result stay in view; the numbers behind the
    verdict go into an expander under them."""
    why = (f"Why: {lesson.break_note}." if lesson.break_note and broken
           and (out is None or not out["holds"]) else "")
    if out is not None:
        claim_badge(out["holds"], "" if presenter else out["detail"], trying,
                    lesson.try_keeps_claim, why)
    else:
        st.warning(escape_markdown(error), icon=":material/error:")
        if why:
            st.caption(why)
    if trying:
        result = (check_try(lesson, out["summary"], base["summary"])
                  if out is not None and base is not None else None)
        if result is not None:
            (st.success if result.holds else st.warning)(
                ("It happened: " if result.holds else "Not this time: ") + result.detail,
                icon=":material/check_circle:" if result.holds else ":material/cancel:")
    if presenter and out is not None:
        with st.expander("The numbers behind the verdict", icon=":material/analytics:"):
            st.markdown(out["detail"])
    if trying:
        st.button("Back to the lesson", key="lesson_untry", on_click=_set_try,
                  args=(lesson.key, False), icon=":material/undo:", width="stretch")
    else:
        st.button("Try it", key="lesson_try", on_click=_set_try,
                  args=(lesson.key, True), icon=":material/science:", type="primary",
                  width="stretch", help=lesson.try_this)
    # one under the other: side by side, the labels are cut at 1024 pixels
    st.button("Make the claim fail", key="lesson_break", on_click=_apply_break,
              args=(lesson.key,), icon=":material/heart_broken:", width="stretch",
              help=f"sets the settings to: {lesson.break_note}")
    st.button("Preset settings", key="lesson_reset", on_click=_reset,
              args=(lesson.key,), icon=":material/restart_alt:", width="stretch")


def figure_tabs_key(lesson: Lesson) -> str:
    """The key of the lesson's chart tabs: one per lesson, so that each lesson opens on its own
    first chart (with one key for all, the browser kept the tab of the lesson before whenever
    the next had a tab of that name: "Accuracy" instead of lesson 9's first chart)."""
    return f"lesson_tabs_{lesson.key}"


def chart_tabs(lesson: Lesson, labels: list[str]) -> list:
    """The lesson's chart tabs, open on the chart last viewed in it this session (its first
    chart if never viewed). The tabs track their state (``on_change="rerun"``: a click reruns
    the page, answered from the run cache), so the server learns which tab is open and keeps it
    in :data:`CHART_TAB` (lesson -> label); Streamlit drops the tabs' own state whenever they
    are not drawn (the race lab, another lesson) and has no ``persist_state`` for tabs, so the
    remembered label is put back under their key before they are drawn again."""
    key, remembered = figure_tabs_key(lesson), ss.get(CHART_TAB, {}).get(lesson.key)
    if key not in ss and remembered in labels:
        ss[key] = remembered
    slots = st.tabs(labels, key=key, default=labels[0], on_change="rerun")
    ss[CHART_TAB] = {**ss.get(CHART_TAB, {}), lesson.key: ss[key]}
    return slots


def show_figures(figures: list, presenter: bool, lesson: Lesson) -> None:
    if not figures:
        st.info("This run has no chart to show.")
        return
    labels = [_LABEL_OF_CAPTION.get(c.split(" Dotted and faded")[0], f"Chart {i + 1}")
              for i, (c, _) in enumerate(figures)]
    slots = chart_tabs(lesson, labels) if len(figures) > 1 else [st.container()]
    for i, (slot, (caption, fig)) in enumerate(zip(slots, figures)):
        with slot:
            if presenter:
                fig.update_layout(font_size=18, legend_font_size=16)
                fig.update_xaxes(tickfont_size=15, title_font_size=17)
                fig.update_yaxes(tickfont_size=15, title_font_size=17)
                fig.update_annotations(font_size=14)
                fig.update_layout(height=PRESENTER_CHART_HEIGHT)
            st.plotly_chart(fig, key=f"lesson_fig_{i}", config={"displaylogo": False})
            st.caption(caption)


def render() -> None:
    """The Lessons page (takes over the main area)."""
    st.markdown(CSS, unsafe_allow_html=True)
    if ss.get(K.LESSON) not in LESSONS:
        ss[K.LESSON] = KEYS[0]
    lesson_sidebar()
    lesson = LESSONS[ss[K.LESSON]]
    presenter = bool(ss.get(K.PRESENTER))
    if presenter:
        st.markdown(PRESENTER_CSS, unsafe_allow_html=True)
    for k, v in preset_state(lesson).items():
        ss.setdefault(k, v)

    lesson_navigation(lesson, presenter)
    open_at_top(lesson)  # a lesson newly picked opens at its top, not where the last one was
    for warning in ss.pop(K.LESSON_WARNINGS, []):  # they quote the link's values: escaped
        st.warning(escape_markdown(warning), icon=":material/link_off:")
    if ss.get(K.LESSON_NOTICE):
        st.info(escape_markdown(ss.pop(K.LESSON_NOTICE)), icon=":material/info:")
    st.query_params.from_dict({"mode": "lessons", "lesson": lesson.key,
                               **({"presenter": "1"} if presenter else {})})
    st.markdown(f'<div class="driftlab-claim"><p><b>The claim:</b> {lesson.claim}</p></div>',
                unsafe_allow_html=True)

    trying = bool(ss.get(wkey(lesson, "try")))
    broken = bool(ss.get(wkey(lesson, "broken")))
    overrides, seed = overrides_from_state(lesson)
    run_overrides = {**overrides, **(lesson.try_overrides if trying else {})}
    # the run the chart compares with: before the try-this change, or the preset settings
    base_overrides = overrides if trying else {} if broken else None
    out = base = error = None
    try:
        check_settings(lesson)
        with st.spinner(f"Running lesson {lesson.number}…"):
            out = _run(lesson, run_overrides, seed)
            if base_overrides is not None:
                base = _run(lesson, base_overrides, seed)
    except ConfigError as exc:
        error = f"These settings cannot run: {exc}"
    except Exception as exc:  # stay up whatever happens
        error = f"The lesson could not run: {type(exc).__name__}: {exc}"

    # the chart with the verdict beside it; stacked (the verdict under the chart) when the row
    # is narrow (CSS: NARROW_ROW), where the verdict was a 190-px column at 1024 px
    chart, verdict = st.container(key=RESULT_ROW).columns([5, 2.2], gap="small")
    with chart:
        if out is not None:
            figures = out["figures"]
            if base is not None:
                figures = overlaid(out, base, "run before the change" if trying
                                   else "run at the preset settings")
            show_figures(figures, presenter, lesson)
    with verdict.container(key="lesson_verdict"):
        verdict_panel(lesson, out, base, error, trying, broken, presenter)
    results_into_view(presenter)  # after Try / Fail: the chart, then the verdict, in view

    left, right = st.columns([3, 2], gap="medium")
    with left:
        st.markdown('<div class="driftlab-lesson">'
                    + _para("What is going on", lesson.situation)
                    + _para("What to look at", lesson.look_at)
                    + _para("What it shows", lesson.shows)
                    + "</div>", unsafe_allow_html=True)
    with right:
        with st.container(border=True):
            st.markdown(f"**Try this:** {lesson.try_this}")
            if trying:
                st.markdown(f"**What will happen:** {lesson.try_expect}")
        with st.expander("Settings: change them and see if the claim still holds",
                         expanded=not presenter, icon=":material/tune:"):
            settings_panel(lesson)
            if out is not None:
                st.markdown(("With these settings and the Try change: " if trying else
                             "With these settings: ") + (
                    ":green-badge[:material/check: the claim holds]" if out["holds"] else
                    ":red-badge[:material/close: the claim does not hold]"))
            if overrides:
                st.caption("Changed from the preset: " + ", ".join(
                    f"{escape_markdown(k)} = {escape_markdown(json.dumps(v))}"
                    for k, v in overrides.items()))
