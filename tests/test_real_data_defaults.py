"""Real data at full length, with their class names and documented change points (issue 13,
point 4).

* Picking a shipped data set in the app races all its rows (Elec2: 45,312, not the generator's
  20,000) and pre-marks the change points its README documents (Elec2: row 17,424).
* The story says "the whole stream" only when it is: a data set's first rows are "the first N
  of M samples".
* Class names (DOWN/UP for Elec2) travel with the stream and its ``stream.csv`` table into the
  Data and Boundary figures; generators name their classes "0", "1", ...
* The full-length Elec2 race with the app's default contenders stays inside the interactive
  budget (it runs on click, even from a link).
"""

from __future__ import annotations

import copy
import json

import numpy as np
import pandas as pd
import pytest

from helpers import assert_clean, new_app
from lab import plots
from lab.budget import needs_click, over_limit
from lab.data.datasets import DATASETS, load_dataset
from lab.data.stream import Stream, make_stream
from lab.presets import PRESETS
from lab.race.engine import run_race
from lab.race.metrics import summarise
from lab.race.story import race_story
from lab.validate import parse_experiment

ELEC_ROWS = 45_312


def elec_config(n: int | None = None, drifts=(), contenders=None) -> dict:
    """The app's default race (its contenders and evaluation, baselines on) on Elec2."""
    cfg = copy.deepcopy(PRESETS["default"].config)
    cfg["stream"] = {"source": "dataset:elec", "drifts": [dict(d) for d in drifts]}
    if n is not None:
        cfg["stream"]["n_samples"] = n
    cfg["evaluation"]["baselines"] = True
    if contenders is not None:
        cfg["contenders"] = contenders
    return cfg


def legend_names(fig) -> set[str]:
    return {t.name for t in fig.data if t.showlegend is not False and t.name}


def test_elec_change_point_is_where_the_victorian_columns_stop_being_constant():
    """The pre-marked point is a fact of the data (its README says so), checked here."""
    assert DATASETS["elec"].change_points == (17_424,)
    data = load_dataset("elec")
    names = data.feature_names
    for column in ("vicprice", "vicdemand", "transfer"):
        values = data.X[:, names.index(column)]
        assert np.unique(values[:17_424]).size == 1, column  # a placeholder before ...
    assert data.X[17_424, names.index("vicprice")] != data.X[17_423, names.index("vicprice")]
    assert np.unique(data.X[17_424:, names.index("vicdemand")]).size > 1000  # ... real after
    # the data sets without a documented change point have none
    assert all(not DATASETS[k].change_points for k in DATASETS if k != "elec")


def test_validation_default_for_a_data_set_is_every_row():
    exp = parse_experiment(elec_config())
    assert exp.stream.n_samples == ELEC_ROWS == DATASETS["elec"].n_samples


@pytest.mark.slow  # races and draws a few thousand samples: ~3 s here
def test_story_names_the_first_rows_of_a_data_set_and_the_whole_data_set():
    short = summarise(run_race(parse_experiment(elec_config(
        n=3000, contenders=[{"name": "Online", "model": "river.gaussian_nb",
                             "policy": {"kind": "online"}}]))))
    lines = race_story(short)
    text = "\n".join(lines)
    assert "whole stream" not in text and "whole data set" not in text
    # no drifts: one line, under the label that says which rows it covers
    assert lines[0].startswith("**Over the first 3,000 of 45,312 samples**"), lines
    assert len(lines) == 1 and "Overall" not in text
    # the same summary, claiming every row: the whole data set
    whole = json.loads(json.dumps(short))
    whole["config"]["stream"]["n_samples"] = ELEC_ROWS
    lines = race_story(whole)
    assert lines[0].startswith("**Over the whole data set (45,312 samples)**"), lines
    assert len(lines) == 1
    # with a marked point, the overall line says which rows it covers
    marked = json.loads(json.dumps(short))
    marked["drifts"] = [{"at": 2000, "width": 0}]
    marked["config"]["stream"]["drifts"] = [{"at": 2000, "width": 0}]
    for c in marked["contenders"]:
        c["accuracy_by_segment"] = [c["accuracy"], c["accuracy"]]
        c["max_drop"], c["recovery"] = [0.0], [0]
    assert "**Overall (first 3,000 of 45,312 samples)**" in "\n".join(race_story(marked))
    # a generator's stream is whole by construction
    generator = json.loads(json.dumps(short))
    generator["config"]["stream"] = {"source": "sea", "n_samples": 3000}
    assert race_story(generator)[0].startswith("**Over the whole stream**")


def test_full_length_elec_with_the_default_contenders_runs_on_click():
    exp = parse_experiment(elec_config(drifts=[{"at": 17_424}]))
    assert exp.stream.n_samples == ELEC_ROWS
    assert over_limit(exp) is None  # inside the app's budget
    assert not needs_click(exp)  # small enough to start even from a link


@pytest.mark.slow  # races and draws a few thousand samples: ~3 s here
def test_class_names_travel_with_the_stream_into_the_figures():
    exp = parse_experiment(elec_config(n=2000))
    stream = make_stream(exp.stream, exp.seed)
    assert stream.class_names == ["DOWN", "UP"]
    frame = stream.to_frame()
    assert frame["y"].isin([0, 1]).all()  # the codes stay numbers inside
    shown = frame.iloc[::7]  # the app keeps an even subsample: the names survive it
    assert shown.attrs["class_names"] == ["DOWN", "UP"]
    assert legend_names(plots.data_figure(shown)) == {"DOWN", "UP"}
    assert stream.class_name_of([1, 0]) == ["UP", "DOWN"]
    # a generator names its classes by their numbers, and the figure says "class 0"
    generated = make_stream(parse_experiment(PRESETS["default"].config).stream, 1)
    assert generated.class_names == ["0", "1"]
    assert legend_names(plots.data_figure(generated.to_frame())) == {"class 0", "class 1"}


def test_boundary_legend_names_the_classes():
    rng = np.random.default_rng(0)
    n = 600
    stream = Stream(X=rng.normal(size=(n, 2)), y=(rng.random(n) < 0.5).astype(np.int64),
                    concept=np.zeros(n, np.int16), feature_names=["a", "b"],
                    class_names=["DOWN", "UP"])
    grid = np.linspace(-2, 2, 5)
    predictions = {"Online": {300: np.ones((5, 5), dtype=int)}}
    fig = plots.decision_boundary_figure(stream.to_frame(), grid, grid, predictions, [300])
    assert legend_names(fig) == {"DOWN", "UP"}
    heat = next(t for t in fig.data if t.type == "heatmap")
    assert "0 = DOWN, 1 = UP" in heat.hovertemplate
    # names given explicitly win over the table's
    fig = plots.decision_boundary_figure(pd.DataFrame(stream.to_frame()), grid, grid,
                                         predictions, [300], class_names=["no", "yes"])
    assert legend_names(fig) == {"no", "yes"}


@pytest.mark.slow
def test_app_races_elec_at_full_length_with_its_change_point_marked():
    at = new_app(timeout=300)
    assert at.session_state["n_samples"] == 20_000  # the default race (a generator)
    at.selectbox(key="source").set_value("dataset:elec").run()
    assert_clean(at)
    assert at.number_input(key="n_samples").value == ELEC_ROWS
    (uid,) = at.session_state["drift_ids"]
    assert at.session_state[f"d{uid}_at"] == 17_424 and at.session_state[f"d{uid}_width"] == 0
    at.button(key="run").click().run()
    assert_clean(at)
    out = at.session_state["history"][-1]["outputs"]
    assert out["config"]["stream"]["n_samples"] == ELEC_ROWS
    assert out["config"]["stream"]["drifts"] == [{"at": 17_424, "width": 0}]
    assert out["stream"].attrs["class_names"] == ["DOWN", "UP"]
    assert legend_names(plots.data_figure(out["stream"])) == {"DOWN", "UP"}
    story = "\n".join(m.value for m in at.markdown)
    assert "marked point at 17,424" in story and "first 20,000" not in story
