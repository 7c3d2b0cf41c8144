"""The race lab's "Boundary" tab: each contender's decision boundary just before and after each
drift and at the end, for 2-D streams (streamlit; the snapshots and the figure are the core's:
``run_race(snapshots=)``, ``lab.lessons.snapshot_plan``, ``lab.race.snapshots.boundary_grids``,
``plots.decision_boundary_figure``).
"""

from __future__ import annotations

import streamlit as st

from lab import plots
from lab.lessons.runner import snapshot_plan, snapshot_times
from lab.race.snapshots import boundary_grids
from lab.spec.labels import source_label
from lab.validate import parse_experiment
from ui.text import escape_markdown

CAPTION = ("Each panel shades the class a contender's model predicts (the boundary is where the "
           "shade changes) over the latest samples, coloured by their true class. Just after a "
           "drift, dots on the wrong side of the shading are what a stale model gets wrong.")


def is_2d(exp) -> bool:
    return exp.stream.source == "blobs2d"


def snapshot_times_for(exp) -> list[int] | None:
    """The snapshot times to pass to ``run_race`` (None for streams that are not 2-D)."""
    return snapshot_times(exp) if is_2d(exp) else None


def outputs(result) -> dict:
    """What the tab needs from a finished race, to keep with its cached outputs (the snapshot
    models are river / scikit-learn objects, which pickle)."""
    if not is_2d(result.experiment) or not any(result.snapshots.values()):
        return {"snapshots": None, "snapshot_plan": None}
    return {"snapshots": result.snapshots, "snapshot_plan": snapshot_plan(result.experiment)}


def show(entry: dict, chart) -> None:
    """The tab's content; ``chart`` is the app's chart helper (figure, key, caption)."""
    out = entry["outputs"]
    if not out.get("snapshots"):
        source = source_label(out["config"]["stream"]["source"])  # a file's name, no folder
        n_features = len([c for c in out["stream"].columns if c not in ("y", "concept", "t")])
        st.info(f"The decision-boundary view draws each model's decision over a plane, so it "
                f"needs a stream with 2 features; this run's stream ({escape_markdown(source)}) "
                "has "
                f"{n_features}. Choose the **{source_label('blobs2d')}** source in the sidebar "
                "and run again to see it.", icon=":material/info:")
        return
    chart(figure(out), "boundary_chart", CAPTION)


def figure(out: dict):
    """The run's boundary figure, built once per run: it is kept with the run's outputs (the
    run store's entry), so a cached re-run or another session showing the same run reuses it.
    It is a pure function of the outputs, so two sessions building it at once build the same."""
    if out.get("boundary_figure") is None:
        plan = out["snapshot_plan"] or snapshot_plan(parse_experiment(out["config"]))
        grids = boundary_grids(out["stream"], out["snapshots"], plan)
        out["boundary_figure"] = plots.decision_boundary_figure(
            out["stream"], grids.x, grids.y, grids.predictions, plan)
    return out["boundary_figure"]
