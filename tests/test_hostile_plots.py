"""Hostile text in figures: contender names, class labels, feature names and config paths /
values that look like plotly markup (``<a href>``, ``<b>``, entities, ``%{x}``) are shown
literally, never interpreted: every figure of ``lab.plots`` passes them through ``plots.plain``.

plotly.js interprets a pseudo-HTML subset and decodes entities in every text it draws (legend,
hover, annotations, titles, tick labels, marker text) and fills ``%{...}`` in hover templates;
so no string of a figure may hold the user's raw markup, and the escaped form must be there.
"""

from __future__ import annotations

import re
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from helpers import config
from lab import parse_experiment, plots, run_race, summarise
from lab.race.metrics import events_frame, timeline_frame
from lab.race.snapshots import boundary_grids
from lab.spec.labels import path_label

LINK = '<a href="http://evil.example">x</a>'
BOLD = "<b>bold</b>"
TEMPLATE = "%{x}pwn"
ENTITY = "A & B &lt;u&gt;"
HOSTILE = [LINK, BOLD, TEMPLATE, ENTITY]
# raw pieces of user text that must appear in no string of a figure
FORBIDDEN = ["<a href", "<b>bold", "%{x}pwn", "&lt;u&gt;", "</a>"]
# what the figures' own hover / text templates may refer to
PLACEHOLDER = re.compile(r"%\{([^}:]*)")
ALLOWED_FIELDS = {"x", "y", "z", "text", "customdata", "customdata[0]", "customdata[1]",
                  "customdata[2]", "marker.color"}


def strings(value, where="fig"):
    """Every (location, string) inside a ``to_plotly_json()`` structure, keys included."""
    if isinstance(value, str):
        yield where, value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from strings(k, f"{where} key")
            yield from strings(v, f"{where}.{k}")
    elif isinstance(value, (list, tuple)):
        for i, v in enumerate(value):
            yield from strings(v, f"{where}[{i}]")
    elif isinstance(value, np.ndarray) and value.dtype == object:
        for i, v in enumerate(value.tolist()):
            yield from strings(v, f"{where}[{i}]")


def assert_no_raw_markup(fig, *, names=(), shown=()):
    """No raw hostile text anywhere; the trace names hold ``plain(name)`` for each of ``names``;
    every one of ``shown`` (escaped) appears somewhere in the figure."""
    found = list(strings(fig.to_plotly_json()))
    bad = [(where, s) for where, s in found for piece in FORBIDDEN if piece in s]
    assert not bad, bad[:5]
    for where, s in found:
        if where.endswith(("hovertemplate", "texttemplate")):
            fields = set(PLACEHOLDER.findall(s))
            assert fields <= ALLOWED_FIELDS, (where, s)
    trace_names = " | ".join(str(t.name) for t in fig.data)
    for name in names:
        assert plots.plain(name) in trace_names, (name, trace_names)
    everything = "\n".join(s for _, s in found)
    for text in shown:
        assert plots.plain(text) in everything, text


# --------------------------------------------------------------------------------------------
# plain() itself
# --------------------------------------------------------------------------------------------
def test_plain_escapes_markup_entities_and_templates_and_keeps_normal_text():
    assert plots.plain(LINK) == '&lt;a href="http://evil.example"&gt;x&lt;/a&gt;'
    assert plots.plain(BOLD) == "&lt;b&gt;bold&lt;/b&gt;"
    assert plots.plain(TEMPLATE) == "&#37;{x}pwn"
    assert plots.plain(ENTITY) == "A &amp; B &amp;lt;u&amp;gt;"
    for normal in ["Frozen batch", "Periodic (every 500)", "Online-2: ADWIN, lr=0.1 [x] {y}",
                   "année ü 日本", "a'b\"c;d!?#*+=/\\|~^$@"]:
        assert plots.plain(normal) == normal
    assert plots.plain(3) == "3" and plots.plain(None) == "None"


# --------------------------------------------------------------------------------------------
# figures from a small race with hostile contender names
# --------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def race():
    contenders = [
        {"name": LINK, "model": "sk.gaussian_nb", "policy": {"kind": "frozen"}},
        {"name": BOLD, "model": "sk.gaussian_nb",
         "policy": {"kind": "periodic", "every": 400, "window": 400}},
        {"name": TEMPLATE, "model": "river.logistic_regression", "policy": {"kind": "online"}},
        {"name": ENTITY, "model": "sk.gaussian_nb",
         "policy": {"kind": "periodic", "every": 500, "window": 300}},
    ]
    exp = parse_experiment(config("blobs2d", n=1500, contenders=contenders, warmup=300,
                                  drifts=[{"at": 800, "width": 0, "to": {"angle": 90}}]))
    result = run_race(exp, snapshots=[700, 1500])
    timeline, events = timeline_frame(result), events_frame(result)
    # a failure whose message repeats the name (exception texts can quote user input)
    events = pd.concat([events, pd.DataFrame(
        [(1000, LINK, "failure", f"ValueError: {BOLD} {TEMPLATE}")], columns=events.columns)],
        ignore_index=True)
    drifts = [{"at": 800, "width": 0}]
    return SimpleNamespace(result=result, timeline=timeline, events=events,
                           summary=summarise(result), drifts=drifts)


@pytest.mark.slow
def test_time_charts_show_hostile_names_literally(race):
    figs = [
        plots.accuracy_figure(race.timeline, race.events, race.drifts, window=200,
                              previous=race.timeline, previous_label=BOLD),
        plots.staleness_figure(race.timeline, race.events, race.drifts),
        plots.staleness_figure(race.timeline, race.events, race.drifts, log_y=True),
        plots.cost_figure(race.timeline, race.drifts),
    ]
    for fig in figs:
        assert_no_raw_markup(fig, names=HOSTILE)
    names = [t.name for t in figs[0].data]
    assert f"{plots.plain(LINK)} ({plots.plain(BOLD)})" in names  # the previous run's lines
    # the failure's detail goes to the hover escaped
    failure = next(t for t in figs[0].data if t.name == f"{plots.plain(LINK)}: failure")
    assert list(failure.customdata) == [plots.plain(f"ValueError: {BOLD} {TEMPLATE}")]


def test_summary_charts_show_hostile_names_literally(race):
    summary = race.summary
    fig = plots.retrain_cost_figure(summary)
    assert_no_raw_markup(fig, names=HOSTILE)
    from lab.plots.marks import wrapped

    assert list(fig.layout.yaxis.categoryarray) == [wrapped(n) for n in HOSTILE]
    assert_no_raw_markup(plots.tradeoff_figure(summary), names=HOSTILE)
    # a failed contender is listed in a note, escaped
    failed = {**summary, "contenders": [dict(c, status="failed") if c["name"] == LINK else c
                                        for c in summary["contenders"]]}
    fig = plots.tradeoff_figure(failed)
    assert_no_raw_markup(fig, names=[BOLD, TEMPLATE, ENTITY], shown=[LINK])
    assert plots.plain(LINK) in fig.layout.annotations[0].text


# --------------------------------------------------------------------------------------------
# stream figures: hostile feature names and class labels
# --------------------------------------------------------------------------------------------
F1, F2, F3 = LINK, BOLD, TEMPLATE
CLASSES = [ENTITY, "<i>no</i>"]
FORBIDDEN_CLASS = "<i>no"


def hostile_stream(features=(F1, F2), n=400) -> pd.DataFrame:
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({f: rng.normal(size=n) for f in features})
    frame["y"] = [CLASSES[i % 2] for i in range(n)]
    frame["concept"] = [0] * (n // 2) + [1] * (n - n // 2)
    return frame


def check_stream_figure(fig, shown):
    assert_no_raw_markup(fig, shown=shown)
    assert not any(FORBIDDEN_CLASS in s for _, s in strings(fig.to_plotly_json()))


@pytest.mark.slow
def test_data_figures_show_hostile_features_and_classes_literally():
    fig = plots.data_figure(hostile_stream())
    check_stream_figure(fig, [F1, F2, *CLASSES])
    assert f"class {plots.plain(ENTITY)}" in [t.name for t in fig.data]
    assert fig.layout.xaxis.title.text == f"{plots.plain(F1)} (feature value)"
    check_stream_figure(plots.data_figure(hostile_stream((F1, F2, F3))), CLASSES)
    fig = plots.feature_distributions_figure(hostile_stream((F1, F2, F3)))
    check_stream_figure(fig, [F1, F2, F3])
    assert [a.text for a in fig.layout.annotations][:3] == [plots.plain(f) for f in (F1, F2, F3)]


class _Constant:
    """A stand-in model: predicts one class everywhere (scikit-learn style)."""

    def __init__(self, cls):
        self.cls = cls

    def predict(self, grid):
        return np.array([self.cls] * len(grid), dtype=object)


def test_decision_boundary_figure_shows_hostile_text_literally():
    snapshots = {LINK: {200: _Constant(CLASSES[0]), 400: _Constant(CLASSES[1])},
                 BOLD: {200: _Constant(CLASSES[1])}}
    times = [200, (400, f"after {TEMPLATE}")]
    grids = boundary_grids(hostile_stream(), snapshots, times)
    fig = plots.decision_boundary_figure(hostile_stream(), grids.x, grids.y, grids.predictions,
                                         times, max_points=50)
    check_stream_figure(fig, [LINK, BOLD, TEMPLATE, F1, F2, *CLASSES])
    texts = [a.text for a in fig.layout.annotations]
    assert plots.plain(LINK) in texts and plots.plain(f"after {TEMPLATE}") in texts


@pytest.mark.slow
def test_decision_boundary_figure_from_a_race_with_hostile_names(race):
    s = race.result.stream
    stream = pd.DataFrame(s.X, columns=list(s.feature_names))
    stream["y"], stream["concept"] = s.y, s.concept
    grids = boundary_grids(stream, race.result.snapshots, [700, 1500])
    fig = plots.decision_boundary_figure(stream, grids.x, grids.y, grids.predictions, [700, 1500])
    assert_no_raw_markup(fig, shown=HOSTILE)
    row_titles = [a.text for a in fig.layout.annotations]
    assert all(plots.plain(n) in row_titles for n in HOSTILE)


def test_loss_curve_figure_shows_hostile_labels_literally():
    loss = np.array([1.0, 0.8, 0.6, 0.5])
    curves = [SimpleNamespace(label=label, size=k + 1, loss=loss + k / 10,
                              samples=np.arange(4) * (k + 1)) for k, label in enumerate(HOSTILE)]
    fig = plots.loss_curve_figure(SimpleNamespace(curves=curves, best=0.4))
    assert_no_raw_markup(fig, names=HOSTILE)


# --------------------------------------------------------------------------------------------
# What-if figures: hostile contender names, config paths and values
# --------------------------------------------------------------------------------------------
PATH_X = f"contenders[0].policy.{BOLD}"
PATH_Y = f"stream.{TEMPLATE}.every"
VALUES = [LINK, ENTITY, "plain"]


def sweep_summary() -> pd.DataFrame:
    from lab.sweep.stats import SUMMARY_METRICS

    rows = []
    for s, (vx, vy) in enumerate([(vx, vy) for vx in VALUES for vy in (TEMPLATE, BOLD)]):
        for k, name in enumerate(HOSTILE):
            row = {"setting": s, PATH_X: vx, PATH_Y: vy, "contender": name, "n_seeds": 3,
                   "n_failed": 0}
            for m in SUMMARY_METRICS:
                mean = 0.6 + 0.05 * k + 0.01 * s if m == "accuracy" else 1000.0 * (k + 1) + s
                row.update({f"{m}_mean": mean, f"{m}_ci_low": mean * 0.98,
                            f"{m}_ci_high": mean * 1.02})
            rows.append(row)
    return pd.DataFrame(rows)


def test_sweep_figures_show_hostile_text_literally():
    summary = sweep_summary()
    one = summary[summary[PATH_Y] == TEMPLATE]
    fig = plots.sweep_line_figure(one, PATH_X, "accuracy")
    label_x, label_y = path_label(PATH_X), path_label(PATH_Y)  # the plain labels shown
    assert_no_raw_markup(fig, names=HOSTILE, shown=[label_x, *VALUES])
    assert fig.layout.xaxis.title.text == plots.plain(label_x)
    assert plots.sweep_path_label(PATH_Y) == plots.plain(label_y) and TEMPLATE in label_y
    fig = plots.sweep_heatmap_figure(summary, PATH_X, PATH_Y, LINK)
    assert_no_raw_markup(fig, shown=[LINK, label_x, label_y, *VALUES, TEMPLATE, BOLD])
    assert list(fig.data[0].x) == [plots.plain(v) for v in VALUES]
    fig = plots.sweep_tradeoff_figure(summary)
    assert_no_raw_markup(fig, names=HOSTILE, shown=[label_x, label_y, *VALUES])


# --------------------------------------------------------------------------------------------
# the app's live chart finds its lines by the escaped name
# --------------------------------------------------------------------------------------------
def _live_figure():
    """The app's live chart update (``ui.race.live_figure``; importing it runs no page)."""
    from ui.race import live_figure

    return live_figure


def test_live_chart_updates_the_lines_of_hostile_names(race):
    live_figure = _live_figure()
    colors = plots.contender_colors(HOSTILE)
    early = race.timeline[race.timeline["t"] <= 900]
    fig = live_figure(None, early, race.drifts, 200, 1500, colors)
    assert_no_raw_markup(fig, names=HOSTILE)
    fig = live_figure(fig, race.timeline, race.drifts, 200, 1500, colors)
    for name in HOSTILE:
        line = next(t for t in fig.data if t.name == plots.plain(name))
        assert max(line.x) == race.timeline["t"].max(), name
