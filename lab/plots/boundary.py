"""The decision-boundary chart: each contender's predicted class over a plane, at a few moments.

The figure takes data only: the ``stream.csv`` table and the predicted classes over a grid, which
``lab.race.snapshots.boundary_grids`` computes from the snapshot models of a race (models never
reach this module).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from lab.plots.data import class_display_names
from lab.plots.style import (
    FONT_SIZE,
    PALETTE,
    apply_layout,
    class_labels,
    even_indices,
    mix_colors,
    plain,
    two_features,
)


def _time_label(t: int | tuple[int, str]) -> tuple[int, str]:
    if isinstance(t, (tuple, list)):
        return int(t[0]), str(t[1])
    return int(t), f"after {int(t):,} samples"


def decision_boundary_figure(
    stream: pd.DataFrame,
    x_grid: np.ndarray,
    y_grid: np.ndarray,
    predictions: Mapping[str, Mapping[int, np.ndarray]],
    times: Sequence[int | tuple[int, str]],
    *,
    recent: int = 400,
    contenders: Sequence[str] | None = None,
    max_points: int = 400,
    class_names: Sequence[str] | None = None,
) -> go.Figure:
    """Each contender's decision boundary at a few moments, over the data around each moment.

    ``stream`` is the ``stream.csv`` table of a 2-D stream (two feature columns, ``y``,
    ``concept``); ``x_grid`` and ``y_grid`` are the grid's values of the first and second
    feature; ``predictions[name][t]`` is the class the contender's deployed model predicts after
    ``t`` samples at each grid point, an array of shape ``(len(y_grid), len(x_grid))`` (``None``
    where it cannot predict yet; no entry when there is no model at ``t``):
    ``lab.race.snapshots.boundary_grids`` computes all three from a race's snapshot models.
    ``times`` are sample counts or ``(t, label)`` pairs such as
    ``(3000, "just before the drift at 3,000")``. One row per contender, one column per time.
    Each panel shades the predicted class over the grid (the boundary is where the shade
    changes) and shows the samples since the previous moment (at most the last ``recent``, at
    most ``max_points`` drawn), coloured by their true class, named as
    :func:`lab.plots.data.class_display_names` says (``class_names``, else the table's
    ``attrs["class_names"]``).

    What to look at: just before a drift all boundaries agree with the data; just after it the
    new points sit on the wrong side of a stale model's boundary (frozen), while an online
    learner's boundary has already turned; at the end, who caught up.
    """
    (f1, x1), (f2, x2) = two_features(stream)
    y = stream["y"].to_numpy()
    classes = class_labels(stream)
    shown_as = class_display_names(stream, class_names)
    class_colors = {cls: PALETTE[i % len(PALETTE)] for i, cls in enumerate(classes)}
    index = {cls: i for i, cls in enumerate(classes)}
    # The shade's number is the class's position: the hover spells out which name it is (one
    # short text per panel, not a name per grid point).
    index_key = ", ".join(f"{i} = {shown_as[cls]}" for i, cls in enumerate(classes))
    names = [n for n in (contenders or list(predictions)) if n in predictions]
    moments = [_time_label(t) for t in times]
    g1, g2 = np.asarray(x_grid, dtype=float), np.asarray(y_grid, dtype=float)

    fig = make_subplots(
        rows=max(len(names), 1),
        cols=max(len(moments), 1),
        shared_xaxes=True,
        shared_yaxes=True,
        horizontal_spacing=0.03,
        vertical_spacing=0.05 if len(names) > 2 else 0.08,
        column_titles=[plain(label) for _, label in moments],
        row_titles=[plain(n) for n in names],
    )
    n_classes = max(len(classes), 2)
    # a stepped colour scale: class i gets a light version of its colour
    scale = []
    for i in range(n_classes):
        light = class_colors.get(classes[i], "#DDDDDD") if i < len(classes) else "#DDDDDD"
        color = mix_colors(light, "#FFFFFF", 0.72)
        scale += [[i / n_classes, color], [(i + 1) / n_classes, color]]
    for r, name in enumerate(names, start=1):
        for c, (t, _label) in enumerate(moments, start=1):
            pred = predictions[name].get(t)
            if pred is not None:
                z = np.array([index.get(p, np.nan) if p is not None else np.nan
                              for p in np.asarray(pred, dtype=object).ravel()],
                             dtype=float).reshape(len(g2), len(g1))
                fig.add_trace(
                    go.Heatmap(  # numpy arrays: plotly takes them whole (no per-value check)
                        x=g1,
                        y=g2,
                        # class indices, in a byte each when they fit (a point without a class
                        # is NaN: then floats)
                        z=(z.astype(np.int8 if n_classes <= 127 else np.int32)
                           if np.isfinite(z).all() else z.astype(np.float32)),
                        zmin=-0.5,
                        zmax=n_classes - 0.5,
                        colorscale=scale,
                        showscale=False,
                        hovertemplate=(f"<b>{plain(name)}</b> at {t:,}<br>{plain(f1)} "
                                       f"%{{x:.2f}}, {plain(f2)} %{{y:.2f}}<br>"
                                       f"predicts %{{z}} ({index_key})<extra></extra>"),
                        name=f"{plain(name)} at {t:,}",
                        showlegend=False,
                    ),
                    row=r,
                    col=c,
                )
            else:
                fig.add_annotation(text="no model at this time", showarrow=False, row=r, col=c,
                                   x=float((g1[0] + g1[-1]) / 2), y=float((g2[0] + g2[-1]) / 2))
            # the samples since the previous moment (at most `recent`): just after a drift these
            # are all new-concept samples, which a stale boundary gets wrong
            lo = max(0, t - recent, moments[c - 2][0] if c > 1 and moments[c - 2][0] < t else 0)
            positions = np.arange(lo, min(t, len(y)))
            positions = positions[even_indices(len(positions), max_points)]
            for cls in classes:
                sel = positions[y[positions] == cls]
                fig.add_trace(
                    go.Scatter(
                        x=np.asarray(x1[sel], dtype=float),  # a NaN is not drawn, as None
                        y=np.asarray(x2[sel], dtype=float),
                        mode="markers",
                        name=shown_as[cls],
                        legendgroup=shown_as[cls],
                        showlegend=r == 1 and c == 1,
                        marker=dict(size=5, color=class_colors[cls], opacity=0.85,
                                    line=dict(width=0.5, color="white")),
                        hovertemplate=(f"{shown_as[cls]}<br>{plain(f1)} %{{x:.2f}}, "
                                       f"{plain(f2)} %{{y:.2f}}<extra></extra>"),
                    ),
                    row=r,
                    col=c,
                )
    for c in range(1, len(moments) + 1):
        fig.update_xaxes(title_text=f"{plain(f1)} (feature value)", row=len(names), col=c)
    for r in range(1, len(names) + 1):
        fig.update_yaxes(title_text=f"{plain(f2)} (feature value)", row=r, col=1)
    fig.update_xaxes(range=[float(g1[0]), float(g1[-1])], constrain="domain")
    fig.update_yaxes(range=[float(g2[0]), float(g2[-1])])
    fig.update_annotations(font=dict(size=FONT_SIZE - 1))
    apply_layout(
        fig,
        "Decision boundaries: shade = predicted class, dots = the latest samples",
        height=120 + 230 * max(len(names), 1),
        legend_in_title_row=True,
    )
    fig.update_layout(margin=dict(r=110))
    return fig
