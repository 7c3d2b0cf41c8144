"""Decision-boundary grids from a race's snapshot models, for ``lab.plots.boundary``.

``run_race(..., snapshots=times)`` keeps each contender's deployed model at a few sample counts.
The figures take data only, so the one step that needs the live models, predicting the class at
every point of a grid over the plane of a 2-D stream, happens here, and the figure gets arrays.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from lab.plots.style import two_features

#: The grid is this much wider than the middle 99 % of the data on each side (feature units), so
#: that the shading reaches past the outermost points.
GRID_PAD = 0.5


@dataclass(frozen=True)
class BoundaryGrids:
    """What ``lab.plots.boundary.decision_boundary_figure`` draws, as plain arrays.

    ``x`` and ``y`` are the grid's values of the first and second feature; ``predictions[name]
    [t]`` is the class that contender's model predicts after ``t`` samples at every grid point,
    shape ``(len(y), len(x))`` (``None`` where it cannot predict yet); ``t`` is missing when the
    contender had no model then.
    """

    x: np.ndarray
    y: np.ndarray
    predictions: dict[str, dict[int, np.ndarray]]


def predict_grid(model: Any, grid: np.ndarray, feature_names: Sequence[str],
                 rows: list[dict] | None = None) -> np.ndarray:
    """Predicted classes of ``model`` at the rows of ``grid``.

    river learners (anything with ``predict_one``) get one dict per row whose keys are the
    stream's feature names (``rows``, when the caller has built them already for another model
    on the same grid); scikit-learn estimators get the numpy array in one call, as in the race.
    A model that cannot predict yet (river before its first sample) gives ``None``.

    river's ``predict_many`` is not used: on the default race's online pipeline (a scaler and a
    logistic regression) it took twice as long as ``predict_one`` per row over a 60 x 60 grid
    (it builds a DataFrame per step).
    """
    if hasattr(model, "predict_one"):
        rows = grid_rows(grid, feature_names) if rows is None else rows
        return np.array([model.predict_one(row) for row in rows], dtype=object)
    return np.asarray(model.predict(grid), dtype=object)


def grid_rows(grid: np.ndarray, feature_names: Sequence[str]) -> list[dict]:
    """The rows of ``grid`` as the dicts a river learner predicts from."""
    names = list(feature_names)
    return [dict(zip(names, row)) for row in grid.tolist()]


def _sample_count(t: int | tuple[int, str]) -> int:
    """``t`` of a snapshot time given as a count or as a ``(count, label)`` pair."""
    return int(t[0]) if isinstance(t, (tuple, list)) else int(t)


def boundary_grids(
    stream: pd.DataFrame,
    snapshots: Mapping[str, Mapping[int, Any]],
    times: Sequence[int | tuple[int, str]],
    *,
    grid_size: int = 60,
    contenders: Sequence[str] | None = None,
) -> BoundaryGrids:
    """Each snapshot model's predictions over a ``grid_size`` x ``grid_size`` grid.

    ``stream`` is the ``stream.csv`` table of a 2-D stream (two feature columns, ``y``,
    ``concept``); ``snapshots[name][t]`` is a contender's deployed model after ``t`` samples
    (``RaceResult.snapshots``); ``times`` are sample counts or ``(t, label)`` pairs (as the
    figure takes them). The grid spans the middle 99 % of each feature plus :data:`GRID_PAD`.
    Only ``contenders`` (default: all) are predicted.
    """
    (f1, x1), (f2, x2) = two_features(stream)
    lo1, hi1 = np.nanpercentile(x1, [0.5, 99.5])
    lo2, hi2 = np.nanpercentile(x2, [0.5, 99.5])
    g1 = np.linspace(lo1 - GRID_PAD, hi1 + GRID_PAD, grid_size)
    g2 = np.linspace(lo2 - GRID_PAD, hi2 + GRID_PAD, grid_size)
    grid = np.column_stack([np.tile(g1, grid_size), np.repeat(g2, grid_size)])  # x runs fastest
    names = [n for n in (contenders or list(snapshots)) if n in snapshots]
    rows: list[dict] | None = None  # the grid as river's dicts, built once for every model
    predictions: dict[str, dict[int, np.ndarray]] = {}
    for name in names:
        predictions[name] = {}
        for t in dict.fromkeys(_sample_count(t) for t in times):
            model = snapshots[name].get(t)
            if model is None:
                continue
            if rows is None and hasattr(model, "predict_one"):
                rows = grid_rows(grid, [f1, f2])
            predictions[name][t] = predict_grid(model, grid, [f1, f2], rows).reshape(grid_size,
                                                                                     grid_size)
    return BoundaryGrids(g1, g2, predictions)
