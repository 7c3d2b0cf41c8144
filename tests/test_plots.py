"""Tests of lab/plots.py: every figure is labelled, marks the drifts, and is deterministic.

The data here is small and hand-made in the shape of the output-file contract (timeline.csv,
events.csv, summary.json, stream.csv), so these tests need no other lab module.
"""

from __future__ import annotations

import ast
import doctest
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

from lab import plots
from lab.plots import boundary, data, lessons, race, style, sweep
from lab.spec.columns import EVENT_COLUMNS, TIMELINE_BASE_COLUMNS

PLOTS_DIR = Path(__file__).resolve().parents[1] / "lab" / "plots"
P = SimpleNamespace(**{**vars(plots), "TIMELINE_COLUMNS": TIMELINE_BASE_COLUMNS,
                       "EVENT_COLUMNS": EVENT_COLUMNS, "FAILURE_COLOR": style.FAILURE_COLOR})

NAMES = ["Frozen batch", "Periodic", "Online"]
SUDDEN = {"at": 800, "width": 0}
GRADUAL = {"at": 1400, "width": 300}
DRIFTS = [SUDDEN, GRADUAL]


# --------------------------------------------------------------------------------------------------
# fixtures: small data in the shape of the output files
# --------------------------------------------------------------------------------------------------


def make_timeline(names=NAMES, n=2000, warmup=200, step=100, stop=None, shift=0.0) -> pd.DataFrame:
    """A timeline like timeline.csv; ``stop`` maps a contender to the last t it has rows for."""
    stop = stop or {}
    rows = []
    for k, name in enumerate(names):
        samples, retrains, last_fit = warmup, 0, warmup
        for t in range(warmup + step, n + 1, step):
            if t > stop.get(name, n):
                break
            if name == "Periodic" and t % 500 == 0:
                samples += 400
                retrains += 1
                last_fit = t
            if name == "Online":
                samples, last_fit = t, t - 1
            acc = 0.9 - 0.03 * k - (0.3 if 800 <= t < 1100 else 0.0) - shift
            staleness = t - last_fit
            rows.append((t, name, acc, acc + 0.01, staleness, samples, samples * 1e-4, retrains))
    return pd.DataFrame(rows, columns=list(P.TIMELINE_COLUMNS))


def make_events() -> pd.DataFrame:
    return pd.DataFrame(
        [
            (1000, "Periodic", "deploy", "refit on 400 samples"),
            (1500, "Periodic", "deploy", "refit on 400 samples"),
            (900, "Online", "drift_alarm", "ADWIN"),
            (1200, "Frozen batch", "failure", "ValueError: boom"),
            (1000, "Periodic", "retrain_start", "not drawn"),
        ],
        columns=list(P.EVENT_COLUMNS),
    )


def empty_events() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in P.EVENT_COLUMNS})


def make_summary() -> dict:
    def c(name, status="ok", accuracy=0.8, retrains=0, train_samples=1000, cpu=0.1):
        return {
            "name": name,
            "status": status,
            "error": None if status == "ok" else "ValueError: boom",
            "accuracy": accuracy,
            "accuracy_by_segment": [accuracy, accuracy],
            "retrains": retrains,
            "train_samples": train_samples,
            "train_cpu_s": cpu,
            "mean_staleness": 10.0,
            "max_staleness": 20,
            "recovery": [100, None],
            "max_drop": [0.2, None],
        }

    return {
        "n_samples": 2000,
        "drifts": [{"at": 800, "width": 0}],
        "contenders": [
            c("Frozen batch", accuracy=0.70, retrains=0, train_samples=200),
            c("Periodic", accuracy=0.85, retrains=3, train_samples=1400),
            c("Online", accuracy=0.85, retrains=0, train_samples=2000),
            c("Wasteful", accuracy=0.80, retrains=4, train_samples=8000),
            c("Broken", status="failed", accuracy=None, retrains=1, train_samples=300),
        ],
    }


def make_stream(n_features=2, n=3000, n_concepts=3, seed=0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, n_features))
    concept = np.minimum(np.arange(n) * n_concepts // n, n_concepts - 1)
    sign = np.where(concept % 2 == 0, 1.0, -1.0)
    y = ((x[:, 0] + sign * x[:, -1]) > 0).astype(int)
    frame = pd.DataFrame(x, columns=[f"x{i + 1}" for i in range(n_features)])
    frame["y"] = y
    frame["concept"] = concept
    return frame


FIGURE_BUILDERS = {
    "accuracy": lambda: P.accuracy_figure(
        make_timeline(), make_events(), DRIFTS, window=500, previous=make_timeline(shift=0.05)
    ),
    "staleness": lambda: P.staleness_figure(make_timeline(), make_events(), DRIFTS),
    "staleness_log": lambda: P.staleness_figure(make_timeline(), make_events(), DRIFTS, log_y=True),
    "cost": lambda: P.cost_figure(make_timeline(), DRIFTS),
    "retrain_cost": lambda: P.retrain_cost_figure(make_summary()),
    "tradeoff": lambda: P.tradeoff_figure(make_summary()),
    "stream_preview": lambda: P.stream_preview_figure(2000, DRIFTS),
    "data_2d": lambda: P.data_figure(make_stream(2)),
    "data_bars": lambda: P.data_figure(make_stream(4)),
    "feature_distributions": lambda: P.feature_distributions_figure(make_stream(4)),
}
FIGURE_NAMES = list(FIGURE_BUILDERS)


@pytest.fixture(scope="module")
def figures() -> dict[str, go.Figure]:
    return {name: build() for name, build in FIGURE_BUILDERS.items()}


# --------------------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------------------


def traces_named(fig: go.Figure, name: str) -> list:
    return [tr for tr in fig.data if tr.name == name]


def axis_titles(fig: go.Figure, letter: str) -> list[str]:
    """Non-empty titles of all x (or y) axes, in subplot order."""
    axes = fig.select_xaxes() if letter == "x" else fig.select_yaxes()
    return [ax.title.text for ax in axes if ax.title.text]


def shapes_of(fig: go.Figure, kind: str) -> list:
    return [s for s in fig.layout.shapes if s.type == kind]


# --------------------------------------------------------------------------------------------------
# every figure
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", FIGURE_NAMES)
@pytest.mark.slow
def test_every_figure_is_labelled(figures, name):
    fig = figures[name]
    assert fig.layout.title.text, "missing title"
    assert axis_titles(fig, "x"), "missing x axis title"
    assert axis_titles(fig, "y"), "missing y axis title"
    if name == "retrain_cost":  # no legend: the category axis names every bar (issue 13)
        assert fig.layout.showlegend is False
        assert {tr.y[0] for tr in fig.data} == set(fig.layout.yaxis.categoryarray)
        return
    assert fig.layout.showlegend is True
    assert any(tr.showlegend is not False and tr.name for tr in fig.data), "nothing in the legend"
    assert fig.layout.legend.orientation == "h"
    assert fig.layout.template.layout.paper_bgcolor == "white"  # plotly_white
    assert fig.layout.font.size == 14


@pytest.mark.parametrize("name", FIGURE_NAMES)
def test_every_figure_is_deterministic(figures, name):
    assert FIGURE_BUILDERS[name]().to_json() == figures[name].to_json()


def test_time_axes_carry_units(figures):
    assert axis_titles(figures["accuracy"], "x") == ["samples seen"]
    assert axis_titles(figures["accuracy"], "y") == ["accuracy (last 500 samples)"]
    assert axis_titles(figures["staleness"], "y") == ["model age (samples)"]
    assert set(axis_titles(figures["cost"], "y")) == {"samples trained",
                                                        "training CPU (s)"}
    # horizontal bars: the contenders on the y axis, the cost on the x axis
    assert axis_titles(figures["retrain_cost"], "x") == ["samples trained per retrain"]
    assert axis_titles(figures["stream_preview"], "x") == ["sample index"]


def test_main_charts_fit_a_projector(figures):
    for name in ("accuracy", "staleness", "retrain_cost", "tradeoff", "data_2d", "data_bars"):
        assert 380 <= figures[name].layout.height <= 480, name
    assert figures["stream_preview"].layout.height <= 160


def test_module_never_imports_streamlit():
    imported = set()
    for path in PLOTS_DIR.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                imported |= {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module:
                imported.add(node.module.split(".")[0])
    assert "streamlit" not in imported
    assert "plotly" in imported


def test_doctests_pass():
    modules = (style, race, data, boundary, lessons, sweep)
    results = [doctest.testmod(m, verbose=False) for m in modules]
    assert sum(r.attempted for r in results) >= 3
    assert sum(r.failed for r in results) == 0


# --------------------------------------------------------------------------------------------------
# colours and drift markers
# --------------------------------------------------------------------------------------------------


def test_contender_colors_are_stable_and_distinct():
    colors = P.contender_colors(NAMES)
    assert list(colors) == NAMES
    assert len(set(colors.values())) == 3
    assert all(c in P.PALETTE for c in colors.values())
    # by order of names: the first name always gets the first colour
    assert P.contender_colors(["Online", "Frozen batch"])["Online"] == colors["Frozen batch"]
    assert P.contender_colors(NAMES + ["Periodic"]) == colors  # a repeat keeps its colour
    many = P.contender_colors([f"c{i}" for i in range(11)])
    # ten colours (Okabe-Ito, then Paul Tol's: tests/test_contender_colours.py), then they
    # repeat with another dash; black is the oracle's
    assert len(set(many.values())) == 10 and "#000000" not in many.values()
    assert many["c10"] == many["c0"]
    from lab.plots.style import contender_styles

    ten = contender_styles([f"c{i}" for i in range(10)])
    assert len(set(ten.values())) == 10


def test_same_contender_has_same_colour_in_every_chart(figures):
    colors = P.contender_colors(NAMES)
    for name in ("accuracy", "staleness", "cost"):
        for contender in NAMES:
            line = traces_named(figures[name], contender)[0]
            assert line.line.color == colors[contender], (name, contender)


def test_drift_markers_sudden_is_a_dashed_vline_and_gradual_a_band():
    fig = go.Figure(go.Scatter(x=[0, 2000], y=[0, 1], name="data"))
    P.add_drift_markers(fig, DRIFTS)
    (line,) = shapes_of(fig, "line")
    assert line.x0 == line.x1 == 800
    assert line.line.dash == "dash"
    assert line.yref.endswith("domain")
    (band,) = shapes_of(fig, "rect")
    assert (band.x0, band.x1) == (1400, 1700)
    assert 0.05 <= band.opacity <= 0.3
    labels = [a.text for a in fig.layout.annotations]
    assert "drift" in labels
    legend = traces_named(fig, "drift")
    assert len(legend) == 1 and legend[0].showlegend is True and legend[0].legendgroup == "drift"


def test_drift_markers_add_one_legend_entry_even_when_called_twice():
    fig = go.Figure(go.Scatter(x=[0, 2000], y=[0, 1]))
    P.add_drift_markers(fig, [SUDDEN])
    P.add_drift_markers(fig, [GRADUAL])
    assert len(traces_named(fig, "drift")) == 1
    assert len(fig.layout.shapes) == 2


def test_no_drifts_no_markers():
    fig = go.Figure(go.Scatter(x=[0, 1], y=[0, 1]))
    P.add_drift_markers(fig, [])
    P.add_drift_markers(fig, None)
    assert len(fig.layout.shapes) == 0
    assert len(fig.data) == 1


def test_drift_markers_on_every_subplot_and_on_one_when_asked():
    from plotly.subplots import make_subplots

    fig = make_subplots(rows=2, cols=1, shared_xaxes=True)
    fig.add_trace(go.Scatter(x=[0, 2000], y=[0, 1]), row=1, col=1)
    fig.add_trace(go.Scatter(x=[0, 2000], y=[0, 1]), row=2, col=1)
    P.add_drift_markers(fig, DRIFTS)
    assert sorted(s.xref for s in shapes_of(fig, "line")) == ["x", "x2"]
    assert sorted(s.xref for s in shapes_of(fig, "rect")) == ["x", "x2"]
    # labels only once, on the top panel
    assert [a.text for a in fig.layout.annotations].count("drift") == 1

    one = make_subplots(rows=2, cols=1)
    one.add_trace(go.Scatter(x=[0, 2000], y=[0, 1]), row=1, col=1)
    one.add_trace(go.Scatter(x=[0, 2000], y=[0, 1]), row=2, col=1)
    P.add_drift_markers(one, [SUDDEN], row=2, col=1)
    assert [s.xref for s in one.layout.shapes] == ["x2"]
    assert traces_named(one, "drift")[0].xaxis == "x2"


# --------------------------------------------------------------------------------------------------
# accuracy
# --------------------------------------------------------------------------------------------------


def test_accuracy_figure_without_events_has_one_line_per_contender():
    fig = P.accuracy_figure(make_timeline(), empty_events(), DRIFTS)
    assert [tr.name for tr in fig.data] == NAMES + ["drift"]
    for tr in fig.data[:3]:
        assert tr.mode == "lines"
        assert len(tr.x) == 18  # t = 300 .. 2000 every 100 samples
    assert fig.layout.title.text == "Rolling accuracy over the stream"
    assert fig.layout.yaxis.tickformat.endswith("%")
    # fitted to the lines (issue 13), the whole 0-100 % on request
    values = make_timeline().acc_window
    low, high = fig.layout.yaxis.range
    assert 0 < low < values.min() and values.max() < high <= 1.005
    full = P.accuracy_figure(make_timeline(), empty_events(), DRIFTS, full_scale=True)
    assert full.layout.yaxis.range[0] == 0 and 1 <= full.layout.yaxis.range[1] <= 1.05
    assert len(shapes_of(fig, "line")) == 1 and len(shapes_of(fig, "rect")) == 1


def test_accuracy_figure_accepts_none_events_and_no_window():
    fig = P.accuracy_figure(make_timeline(), None, [])
    assert [tr.name for tr in fig.data] == NAMES
    assert "%" in axis_titles(fig, "y")[0]
    assert len(fig.layout.shapes) == 0


def test_accuracy_figure_marks_events_on_the_contenders_lines(figures):
    tl = make_timeline()
    fig = figures["accuracy"]  # make_timeline() and make_events(), with a previous run
    by_name = {tr.name: tr for tr in fig.data}

    deploy = by_name["Periodic: retrain deployed"]
    assert deploy.marker.symbol == "triangle-up"
    assert list(deploy.x) == [1000, 1500]
    periodic = tl[tl.contender == "Periodic"].set_index("t")["acc_window"]
    assert list(deploy.y) == pytest.approx([periodic[1000], periodic[1500]])
    assert deploy.legendgroup == "Periodic" and deploy.showlegend is False
    assert deploy.marker.color == P.contender_colors(NAMES)["Periodic"]

    alarm = by_name["Online: drift alarm"]
    assert alarm.marker.symbol == "x" and list(alarm.x) == [900]

    failure = by_name["Frozen batch: failure"]
    assert failure.marker.color == P.FAILURE_COLOR
    assert "ValueError" in failure.customdata[0]

    # retrain_start is not drawn; each kind present is explained once in the legend
    assert not any("retrain_start" in (tr.name or "") for tr in fig.data)
    for label in ("retrain deployed", "drift alarm", "failure"):
        (entry,) = traces_named(fig, label)
        assert entry.showlegend is True
    # per contender: its line plus one marker trace per kind of event it has
    for contender, expected in {"Frozen batch": 2, "Periodic": 2, "Online": 2}.items():
        assert sum(tr.legendgroup == contender for tr in fig.data) == expected


def test_accuracy_figure_failed_contender_stops_early():
    tl = make_timeline(stop={"Frozen batch": 1200})
    fig = P.accuracy_figure(tl, make_events(), DRIFTS)
    frozen = traces_named(fig, "Frozen batch")[0]
    online = traces_named(fig, "Online")[0]
    assert max(frozen.x) == 1200 and max(online.x) == 2000
    failure = traces_named(fig, "Frozen batch: failure")[0]
    assert failure.y[0] == pytest.approx(
        tl[(tl.contender == "Frozen batch") & (tl.t == 1200)].acc_window.iloc[0]
    )


def test_accuracy_figure_previous_run_overlay_is_dotted_faded_with_one_legend_entry(figures):
    current = make_timeline()
    fig = figures["accuracy"]
    previous = [tr for tr in fig.data if tr.name.endswith("(previous run)")]
    assert [tr.name for tr in previous] == [f"{n} (previous run)" for n in NAMES]
    assert list(previous[0].y) == pytest.approx(
        list(make_timeline(shift=0.05).query("contender == 'Frozen batch'").acc_window)
    )
    # three lines and one legend entry for all of them (issue 13: not one entry per line)
    assert len(fig.data) == len(P.accuracy_figure(current, make_events(), DRIFTS).data) + 4
    (entry,) = [tr for tr in fig.data if tr.legendgroup == "previous run" and tr.showlegend]
    assert entry.name.endswith("previous run (dotted, faded)")
    colors = P.contender_colors(NAMES)
    for tr, name in zip(previous, NAMES):
        assert tr.line.dash == "dot"
        assert tr.opacity < 1
        assert tr.line.color == colors[name]
        assert tr.showlegend is False and tr.legendgroup == "previous run"
    # the current run's lines stay solid
    assert traces_named(fig, "Online")[0].line.dash == "solid"

    labelled = P.accuracy_figure(current, None, [], previous=current, previous_label="seed 1")
    assert "Online (seed 1)" in [tr.name for tr in labelled.data]


def test_colors_argument_forces_one_mapping():
    forced = {"Online": "#000000", "Periodic": "#111111", "Frozen batch": "#222222"}
    fig = P.accuracy_figure(make_timeline(), None, [], colors=forced)
    assert traces_named(fig, "Online")[0].line.color == "#000000"


# --------------------------------------------------------------------------------------------------
# staleness and cost
# --------------------------------------------------------------------------------------------------


def test_staleness_figure_lines_and_log_option(figures):
    fig = figures["staleness"]
    assert [tr.name for tr in fig.data] == [
        "Frozen batch",
        "Frozen batch: failure",
        "Periodic",
        "Online",
        "failure",
        "drift",
    ]
    assert all(traces_named(fig, name)[0].mode == "lines" for name in NAMES)
    assert list(traces_named(fig, "Frozen batch")[0].y)[-1] == 2000 - 200
    assert list(traces_named(fig, "Online")[0].y)[-1] == 1
    assert fig.layout.yaxis.type != "log"
    log = figures["staleness_log"]
    assert log.layout.yaxis.type == "log"
    assert "log scale" in log.layout.title.text  # the axis title stays short (its panel)
    assert traces_named(log, "Frozen batch: failure")
    assert shapes_of(log, "line") and shapes_of(log, "rect")


def test_cost_figure_two_stacked_panels_sharing_x(figures):
    fig = figures["cost"]
    for name in NAMES:
        samples, cpu = [tr for tr in fig.data if tr.legendgroup == name]
        assert (samples.xaxis, samples.yaxis) == ("x", "y")
        assert (cpu.xaxis, cpu.yaxis) == ("x2", "y2")
        assert samples.showlegend is not False and cpu.showlegend is False
    assert fig.layout.xaxis.matches == "x2"  # shared x axis
    assert fig.layout.yaxis.domain[0] > fig.layout.yaxis2.domain[1]  # samples panel on top
    assert fig.layout.yaxis.title.text == "samples trained"
    assert fig.layout.yaxis2.title.text == "training CPU (s)"
    assert fig.layout.xaxis2.title.text == "samples seen"
    # drift markers on both panels
    assert sorted(s.xref for s in shapes_of(fig, "line")) == ["x", "x2"]
    assert sorted(s.xref for s in shapes_of(fig, "rect")) == ["x", "x2"]
    online = traces_named(fig, "Online")[0]
    assert list(online.y)[-1] == 2000


# --------------------------------------------------------------------------------------------------
# summary charts
# --------------------------------------------------------------------------------------------------


def test_retrain_cost_figure_bars_and_no_retrain_notes(figures):
    fig = figures["retrain_cost"]
    bars = {tr.name: tr for tr in fig.data}
    assert all(tr.type == "bar" and tr.orientation == "h" for tr in fig.data)
    assert bars["Periodic"].x[0] == pytest.approx(1400 / 3)
    assert bars["Wasteful"].x[0] == pytest.approx(2000)
    assert bars["Frozen batch"].x[0] is None and bars["Online"].x[0] is None
    notes = {a.y: a.text for a in fig.layout.annotations}
    assert notes == {"Frozen batch": "no retrains", "Online": "no retrains"}
    assert "Broken (failed)" in bars
    assert fig.layout.title.text == "Cost per retrain"


def test_pareto_front_on_hand_made_points():
    points = [
        (100, 0.70),  # 0 cheapest
        (1000, 0.90),  # 1 best
        (500, 0.65),  # 2 dominated by 0
        (1000, 0.85),  # 3 dominated by 1 (same cost, less accurate)
        (100, 0.70),  # 4 tie with 0: kept
        (5000, 0.90),  # 5 dominated by 1 (same accuracy, dearer)
        (300, 0.80),  # 6 on the front
        (float("nan"), 0.99),  # 7 missing cost: ignored
    ]
    assert P.pareto_front(points) == [0, 1, 4, 6]
    assert P.pareto_front([]) == []
    assert P.pareto_front([(10, 0.5)]) == [0]
    assert P.pareto_front([(10, 0.5), (10, 0.5)]) == [0, 1]
    assert P.pareto_front([(1, 0.1), (2, 0.2), (3, 0.3)]) == [0, 1, 2]
    assert P.pareto_front([(3, 0.1), (2, 0.2), (1, 0.3)]) == [2]


def test_tradeoff_figure_points_and_pareto_front(figures):
    fig = figures["tradeoff"]
    points = [tr for tr in fig.data if tr.name != "Pareto front"]
    assert [tr.name for tr in points] == [
        "Frozen batch",
        "Periodic",
        "Online",
        "Wasteful",
    ]  # failed left out
    labels = [a.text for a in fig.layout.annotations if a.name == "point label"]
    assert labels == [tr.name for tr in points]  # each point named by its label
    (front,) = traces_named(fig, "Pareto front")
    assert front.line.shape == "hv"
    assert list(front.x) == [200, 1400] and list(front.y) == [0.70, 0.85]
    assert fig.layout.xaxis.type == "log"
    assert fig.layout.yaxis.tickformat.endswith("%")
    assert any("Broken" in a.text for a in fig.layout.annotations)


# --------------------------------------------------------------------------------------------------
# stream charts
# --------------------------------------------------------------------------------------------------


def test_stream_preview_segments_and_transitions(figures):
    fig = figures["stream_preview"]
    assert 100 <= fig.layout.height <= 160
    concept_traces = {tr.name: tr for tr in fig.data if tr.name.startswith("concept")}
    assert list(concept_traces) == ["concept 0", "concept 1", "concept 2"]
    assert list(concept_traces["concept 0"].base) == [0] and list(
        concept_traces["concept 0"].x
    ) == [800]
    assert list(concept_traces["concept 1"].base) == [800] and list(
        concept_traces["concept 1"].x
    ) == [600]
    assert list(concept_traces["concept 2"].base) == [1700] and list(
        concept_traces["concept 2"].x
    ) == [300]
    (gradient,) = [tr for tr in fig.data if tr.name.startswith("gradual")]
    assert gradient.base[0] == 1400 and gradient.base[-1] + gradient.x[-1] == pytest.approx(1700)
    assert len(set(gradient.marker.color)) > 3  # a real gradient
    assert [s.x0 for s in shapes_of(fig, "line")] == [800]
    assert fig.layout.xaxis.title.text == "sample index"
    assert {a.text for a in fig.layout.annotations} >= {"concept 0", "concept 1", "concept 2"}


def test_stream_preview_recurring_concepts_share_a_colour():
    fig = P.stream_preview_figure(
        3000, [{"at": 1000, "width": 0}, {"at": 2000, "width": 0}], concepts=[1, 0]
    )
    concept0 = traces_named(fig, "concept 0")[0]
    assert list(concept0.base) == [0, 2000]
    assert len(traces_named(fig, "concept 1")) == 1
    with pytest.raises(ValueError, match="one concept index per drift"):
        P.stream_preview_figure(3000, DRIFTS, concepts=[1])


def test_data_figure_one_facet_per_concept_for_2d_streams():
    stream = make_stream(2, n=3000, n_concepts=3)
    fig = P.data_figure(stream, max_points=400)
    assert [a.text for a in fig.layout.annotations] == ["concept 0", "concept 1", "concept 2"]
    assert {tr.xaxis for tr in fig.data} == {"x", "x2", "x3"}
    assert all(tr.type.startswith("scatter") for tr in fig.data)
    for axis in ("x", "x2", "x3"):
        in_facet = [tr for tr in fig.data if tr.xaxis == axis]
        assert len(in_facet) == 2  # one trace per class
        assert sum(len(tr.x) for tr in in_facet) == 400  # evenly subsampled to max_points
    # one legend entry per class
    assert [tr.name for tr in fig.data if tr.showlegend is not False] == ["class 0", "class 1"]
    assert axis_titles(fig, "x")[0].startswith("x1") and axis_titles(fig, "y")[0].startswith("x2")


def test_data_figure_keeps_at_most_four_facets():
    fig = P.data_figure(make_stream(2, n=600, n_concepts=6))
    assert len([a for a in fig.layout.annotations if a.text.startswith("concept")]) == 4
    assert "first 4 of 6" in fig.layout.title.text


def test_data_figure_class_balance_bars_otherwise(figures):
    stream = make_stream(4)
    fig = figures["data_bars"]
    assert all(tr.type == "bar" for tr in fig.data)
    assert [tr.name for tr in fig.data] == ["class 0", "class 1"]
    assert list(fig.data[0].x) == ["concept 0", "concept 1", "concept 2"]
    shares = np.array([list(tr.y) for tr in fig.data])
    assert shares.sum(axis=0) == pytest.approx([1.0, 1.0, 1.0])
    first = stream[stream.concept == 0]
    assert shares[1][0] == pytest.approx((first.y == 1).mean())
    assert fig.layout.barmode == "group"


def test_feature_distributions_figure_boxes_per_concept():
    stream = make_stream(8)
    fig = P.feature_distributions_figure(stream, max_features=6)
    assert all(tr.type == "box" for tr in fig.data)
    assert len(fig.data) == 6 * 3  # one box per concept per feature
    assert [a.text for a in fig.layout.annotations] == [f"x{i}" for i in range(1, 7)]
    assert [tr.name for tr in fig.data if tr.showlegend is not False] == [
        "concept 0",
        "concept 1",
        "concept 2",
    ]
    box = fig.data[0]
    values = stream.loc[stream.concept == 0, "x1"]
    assert box.median[0] == pytest.approx(values.median())
    assert box.q1[0] <= box.median[0] <= box.q3[0]


def test_feature_distributions_skips_non_numeric_columns():
    stream = make_stream(2)
    stream.insert(0, "colour", "red")
    fig = P.feature_distributions_figure(stream)
    assert [a.text for a in fig.layout.annotations] == ["x1", "x2"]


# --------------------------------------------------------------------------------------------------
# export
# --------------------------------------------------------------------------------------------------


def test_figure_html_is_self_contained(figures):
    html = P.figure_html(figures["accuracy"])
    assert "<html" in html
    assert len(html) > 1_000_000  # plotly.js is inlined
    assert '<script src="https://cdn.plot.ly' not in html
    assert "Rolling accuracy over the stream" in html
    assert html == P.figure_html(figures["accuracy"])
