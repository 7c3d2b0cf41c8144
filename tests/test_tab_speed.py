"""What the faster Data and Boundary tabs guarantee (issue 13, "Speed"): the data scatter's
sample keeps every class of every concept and says how many it shows; the boundary figure's
hand-written panel layout is make_subplots' layout; the grids are the models' own predictions;
the boundary figure is built once per run. The timings themselves are ``bench/tab_speed.py``'s."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from plotly.subplots import make_subplots

from helpers import config
from lab import parse_experiment, plots, run_race
from lab.lessons.runner import snapshot_plan
from lab.plots.boundary import MAX_POINTS_PER_PANEL, _panel_layout
from lab.plots.data import DATA_POINTS, stratified_positions
from lab.race.snapshots import boundary_grids


def test_stratified_positions_keep_every_class_and_its_share():
    rng = np.random.default_rng(3)
    labels = rng.choice(["a", "b", "rare"], size=5000, p=[0.7, 0.299, 0.001])
    picked = stratified_positions(labels, 300)
    assert len(picked) == 300 and len(set(picked.tolist())) == 300
    assert np.all(np.diff(picked) > 0)  # sorted positions of the table
    kept = pd.Series(labels[picked]).value_counts()
    assert kept["rare"] >= 1  # 0.3 expected by share: the rare class still shows
    for label in ("a", "b"):  # each share within one point of its exact quota
        assert abs(kept[label] - (labels == label).sum() * 300 / 5000) <= 1.5
    # each class's points are spread over the whole stream, not bunched at its start
    a = picked[labels[picked] == "a"]
    assert a[0] < 50 and a[-1] > 4950
    np.testing.assert_array_equal(stratified_positions(labels, 300), picked)  # deterministic
    assert stratified_positions(labels[:10], 300).tolist() == list(range(10))  # all, if few


def _two_concept_stream(n=4000) -> pd.DataFrame:
    """Two concepts; a third class appears once in concept 0 and 3 times in concept 1."""
    rng = np.random.default_rng(0)
    x = rng.normal(size=(n, 2))
    concept = (np.arange(n) >= n // 2).astype(int)
    y = (x[:, 0] > 0).astype(int)
    y[[5, n // 2 + 10, n // 2 + 900, n - 5]] = 2
    frame = pd.DataFrame(x, columns=["x1", "x2"])
    frame["y"], frame["concept"] = y, concept
    return frame


def test_data_scatter_draws_a_sample_of_every_class_on_both_sides_of_the_drift():
    stream = _two_concept_stream()
    fig = plots.data_figure(stream)
    drawn = {(tr.xaxis, tr.name): len(tr.x) for tr in fig.data}
    total = sum(drawn.values())
    assert total == DATA_POINTS  # the budget, shared by the two panels (1,000 each)
    for axis in ("x", "x2"):  # both concepts (both sides of the drift) show both classes
        assert drawn[(axis, "class 0")] > 400 and drawn[(axis, "class 1")] > 400
    # the rare class is never sampled away: it keeps its share (3 of 2,000 samples -> 1.5 of
    # 1,000 points, rounded either way), and one point where its share rounds to none (1 of 2,000)
    assert 1 <= drawn[("x2", "class 2")] <= 2 and drawn[("x", "class 2")] == 1
    assert f"a sample of {total:,} of the 4,000 samples" in fig.layout.title.text
    # a table small enough is drawn whole, and the title does not claim a sample
    whole = plots.data_figure(stream.iloc[:1000])
    assert sum(len(tr.x) for tr in whole.data) == 1000
    assert "sample of" not in whole.layout.title.text


@pytest.mark.parametrize("rows, cols", [(1, 1), (3, 2), (4, 5)])
def test_boundary_panel_layout_is_make_subplots_layout(rows, cols):
    spacing = 0.05 if rows > 2 else 0.08
    reference = make_subplots(
        rows=rows, cols=cols, shared_xaxes=True, shared_yaxes=True, horizontal_spacing=0.03,
        vertical_spacing=spacing, column_titles=[f"t{c}" for c in range(cols)],
        row_titles=[f"r{r}" for r in range(rows)]).layout.to_plotly_json()
    ours = _panel_layout(rows, cols, spacing, [f"t{c}" for c in range(cols)],
                         [f"r{r}" for r in range(rows)], "a (feature value)",
                         "b (feature value)", [0.0, 1.0], [0.0, 1.0])
    for key, axis in reference.items():
        if not key.startswith(("xaxis", "yaxis")):
            continue
        assert ours[key]["anchor"] == axis["anchor"]
        assert ours[key]["domain"] == pytest.approx(list(axis["domain"]))
        assert ours[key].get("matches") == axis.get("matches"), key
        assert ours[key]["showticklabels"] is axis.get("showticklabels", True), key
    assert len([k for k in ours if k.startswith("xaxis")]) == rows * cols
    for mine, theirs in zip(ours["annotations"], reference["annotations"], strict=True):
        assert mine["text"] == theirs["text"]
        assert (mine["x"], mine["y"]) == pytest.approx((theirs["x"], theirs["y"]))
        assert mine.get("textangle") == theirs.get("textangle")
    # the y titles go to the left column only, the x title under the middle column only
    bottom_middle = (rows - 1) * cols + (cols - 1) // 2 + 1
    assert ours[f"xaxis{'' if bottom_middle == 1 else bottom_middle}"]["title"]["text"] == \
        "a (feature value)"
    assert sum("title" in ours[k] for k in ours if k.startswith("xaxis")) == 1
    assert ours["yaxis"]["title"]["text"] == "b (feature value)"
    assert "title" not in ours[f"yaxis{'' if cols == 1 else 2}"] or cols == 1


@pytest.fixture(scope="module")
def small_race():
    cfg = config("blobs2d", n=2000, drifts=[{"at": 1000, "width": 0, "to": {"angle": 90}}],
                 contenders=[
                     {"name": "Frozen", "model": "sk.logistic_regression",
                      "policy": {"kind": "frozen"}},
                     {"name": "Online", "model": "river.logistic_regression",
                      "policy": {"kind": "online"}}])
    exp = parse_experiment(cfg)
    plan = snapshot_plan(exp)
    return exp, plan, run_race(exp, snapshots=[t for t, _ in plan])


def test_grids_are_each_models_own_prediction_at_each_grid_point(small_race):
    exp, plan, result = small_race
    frame = result.stream.to_frame()
    grids = boundary_grids(frame, result.snapshots, plan, grid_size=12)
    names = list(result.stream.feature_names)
    points = [(gx, gy) for gy in grids.y for gx in grids.x]  # row-major: x runs fastest
    for name, by_time in result.snapshots.items():
        for t, model in by_time.items():
            if hasattr(model, "predict_one"):
                expected = [model.predict_one(dict(zip(names, p))) for p in points]
            else:
                expected = model.predict(np.array(points)).tolist()
            assert grids.predictions[name][t].ravel().tolist() == expected, (name, t)


def test_boundary_dots_are_the_latest_samples_at_most_the_panel_budget(small_race):
    exp, plan, result = small_race
    frame = result.stream.to_frame()
    grids = boundary_grids(frame, result.snapshots, plan, grid_size=12)
    fig = plots.decision_boundary_figure(frame, grids.x, grids.y, grids.predictions, plan)
    x_of_sample = dict(zip(frame[frame.columns[0]].astype(np.float32).tolist(), range(len(frame))))
    cols = len(plan)
    for k in range(1, 2 * cols + 1):
        axis = "x" if k == 1 else f"x{k}"
        dots = [x for tr in fig.data if tr.type == "scatter" and tr.xaxis == axis for x in tr.x]
        t = plan[(k - 1) % cols][0]
        assert 0 < len(dots) <= MAX_POINTS_PER_PANEL
        # every dot is one of the 400 samples before the panel's moment
        assert all(t - 400 <= x_of_sample[np.float32(x)] < t for x in dots)
    heat = [tr for tr in fig.data if tr.type == "heatmap"]
    assert len(heat) == 2 * cols and all(np.asarray(h.z).dtype == np.int8 for h in heat)


def test_the_boundary_figure_is_built_once_per_run(small_race, monkeypatch):
    import ui.boundary

    exp, plan, result = small_race
    out = {"config": exp.to_dict(), "stream": result.stream.to_frame(),
           "snapshots": result.snapshots, "snapshot_plan": plan}
    calls = []

    def counting(*args, **kwargs):
        calls.append(1)
        return boundary_grids(*args, grid_size=12, **kwargs)

    monkeypatch.setattr(ui.boundary, "boundary_grids", counting)
    first = ui.boundary.figure(out)
    assert ui.boundary.figure(out) is first and len(calls) == 1
