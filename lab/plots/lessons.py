"""The lessons' own charts: the race lessons' accuracy chart (:func:`lesson_accuracy_figure`,
the race chart on an axis that cannot magnify noise, with one legend entry per reference line),
and the two non-race lessons' gradient-descent loss curves and k-means on moving clusters.

The non-race charts take the lesson's result object (plain arrays in attributes); the k-means
chart also takes the method labels from the lesson, so this module imports no lesson code.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from lab.plots.palette import DASH
from lab.plots.race import accuracy_figure
from lab.plots.style import (
    FONT_SIZE,
    PARETO_COLOR,
    apply_layout,
    even_indices,
    float_list,
    int_list,
    plain,
    resolve_colors,
)

#: The least span of a lesson's accuracy axis: 30 points. Why: a lesson's accuracy is a rolling
#: share over a window of w samples (500 in most lessons), whose noise alone has a standard
#: deviation of sqrt(p (1 - p) / w), 1.3 points at p = 90 %; along a stream of 5,000 samples its
#: highest and lowest values lie about 5 points apart (4 to 7 in nine runs out of ten, simulated),
#: and with the first windows' learning lesson 1 spread over 86-96 %. The race lab's fitted axis
#: (at least 6 points) then fills the chart with noise, and "a stable world" looked like a
#: 10-point slide. On 30 points noise takes at most about a fifth of the height, while the gaps
#: the lessons teach (2 points and more) still show; a fixed 50-100 % axis would flatten those
#: gaps more and would not suit streams with more than two classes.
LESSON_ACCURACY_SPAN = 0.30


def lesson_accuracy_figure(
    timeline: pd.DataFrame,
    events: pd.DataFrame | None,
    drifts: Iterable[Mapping[str, Any]] | None,
    *,
    window: int | None = None,
    colors: Mapping[str, str] | None = None,
    baselines: Iterable[str] = (),
    oracles: Iterable[str] = (),
    previous: pd.DataFrame | None = None,
    previous_label: str = "previous run",
) -> go.Figure:
    """A race lesson's accuracy chart: :func:`lab.plots.race.accuracy_figure` with its y axis at
    least :data:`LESSON_ACCURACY_SPAN` tall, the baselines as grey reference lines and the oracle
    as the black long-dashed "Best schedule in hindsight (oracle)" line, as in the race lab.

    ``baselines`` and ``oracles`` may name a reference twice (a Try run overlaid on the original
    has the same baselines as it): each is drawn once, with one legend entry, from ``timeline``
    (the overlaid ``previous`` run draws its contenders only, faded, behind one legend entry).
    """
    return accuracy_figure(
        timeline, events, drifts, window=window, colors=colors,
        baselines=list(dict.fromkeys(str(b) for b in baselines)),
        oracles=list(dict.fromkeys(str(o) for o in oracles)),
        previous=previous, previous_label=previous_label, min_span=LESSON_ACCURACY_SPAN)


def loss_curve_figure(run: Any, *, colors: Mapping[str, str] | None = None) -> go.Figure:
    """Full-data log-loss after every update of gradient descent, per batch size (lesson 10).

    ``run`` is a :class:`lab.lessons.gradient.GradientRun` (its ``curves`` and ``best``). Left:
    against the number of updates; right: against the samples processed (both log axes). The
    dotted line is the lowest reachable loss.

    What to look at: on the left, the full batch's curve is smooth and each of its updates counts
    most; the small batches jitter. On the right, the small batches reach the low loss after far
    fewer samples: each of their steps is cheap, even if it is noisy.
    """
    curves = list(run.curves)
    labels = [c.label for c in curves]
    palette = resolve_colors(labels, colors)
    fig = make_subplots(
        rows=1, cols=2, shared_yaxes=True, horizontal_spacing=0.06,
        subplot_titles=["per update", "per sample processed"],
    )
    for c in curves:
        updates = np.arange(1, len(c.loss))
        for col, x in ((1, updates), (2, c.samples[1:])):
            fig.add_trace(
                go.Scatter(
                    x=int_list(x.astype(float)),
                    y=float_list(c.loss[1:]),
                    mode="lines",
                    name=plain(c.label),
                    legendgroup=plain(c.label),
                    showlegend=col == 1,
                    line=dict(color=palette[c.label], width=1.2 if c.size == 1 else 2),
                    hovertemplate=(f"{plain(c.label)}<br>"
                                   f"%{{x:,}} {'updates' if col == 1 else 'samples'}"
                                   "<br>loss %{y:.4f}<extra></extra>"),
                ),
                row=1,
                col=col,
            )
    for col in (1, 2):
        fig.add_hline(y=float(run.best), line=dict(color=PARETO_COLOR, width=1.5, dash="dot"),
                      row=1, col=col)
    fig.add_trace(go.Scatter(x=[None], y=[None], mode="lines", name="best reachable loss",
                             line=dict(color=PARETO_COLOR, width=1.5, dash="dot"),
                             hoverinfo="skip"), row=1, col=1)
    top = max(float(np.nanmax(c.loss[1:])) for c in curves) if curves else 1.0
    top = min(top, float(curves[0].loss[0]) * 1.15) if curves else top
    fig.update_yaxes(title_text="log-loss on all rows (nats)", row=1, col=1,
                     range=[float(run.best) - 0.02, top])
    fig.update_xaxes(title_text="updates (log scale)", type="log", row=1, col=1)
    fig.update_xaxes(title_text="samples processed (log scale)", type="log", row=1, col=2)
    fig.update_annotations(font=dict(size=FONT_SIZE))
    apply_layout(fig, "Gradient descent: loss after every update, by batch size", height=460)
    return fig


#: The k-means lesson's methods: (colour, line dash, marker symbol), by method key; Okabe-Ito
#: colours. Batch k-means on the first part was sky blue (#56B4E9) beside batch k-means on all
#: data in blue: 9.7 CIEDE2000 apart on a washed-out projector, read as one (session 11's
#: walk-through). Bluish green is 20.4 or more from every other colour of the figure there
#: (blue, orange, reddish purple, the true centres' black), and apart from them for the
#: simulated colour-vision deficiencies too (tests/test_contender_colours.py).
KMEANS_STYLE = {
    "batch_all": ("#0072B2", None, "x-thin-open"),
    "batch_first": ("#009E73", None, "diamond-open"),
    "online": ("#E69F00", "solid", "circle-open"),
    "minibatch": ("#CC79A7", DASH, "square-open"),  # px: plotly's "dash" was a stub in the legend
}


def kmeans_figure(run: Any, methods: Mapping[str, str], *, max_points: int = 1500) -> go.Figure:
    """Moving clusters and the centroids each method finds (lesson 11).

    ``run`` is a :class:`lab.lessons.kmeans.KMeansRun` (its ``X``, ``truth``, ``times``,
    ``paths`` and ``distance`` arrays); ``methods`` maps each method of ``run.paths`` to its
    label, in drawing order (``lab.lessons.kmeans.METHODS``); each method's colour, dash and
    marker are in :data:`KMEANS_STYLE`. Left: the points (shade = arrival time,
    light = early), the true centres' paths (thin black), the paths of the incrementally updated
    centroids and the fixed batch centroids. Right: each method's mean distance to the true
    current centres as the points arrive.

    What to look at: batch k-means on all data puts its centroids in the middle of each path
    (right for nobody at the end); the online centroids ride along with the groups; the
    mini-batch centroids move, but ever more slowly, because they average everything seen.
    """
    fig = make_subplots(rows=1, cols=2, column_widths=[0.55, 0.45], horizontal_spacing=0.09,
                        subplot_titles=["points and centroids", "distance to the true centres"])
    X = np.asarray(run.X)
    keep = even_indices(len(X), max_points)
    fig.add_trace(
        go.Scatter(
            x=float_list(X[keep, 0]), y=float_list(X[keep, 1]), mode="markers",
            name="points (darker = later)",
            marker=dict(size=4, color=float_list(keep.astype(float)), colorscale="Greys",
                        cmin=-0.3 * len(X), cmax=len(X), opacity=0.6),
            hovertemplate="point %{marker.color:,.0f}<br>(%{x:.2f}, %{y:.2f})<extra></extra>",
        ),
        row=1, col=1,
    )
    truth = np.asarray(run.truth)
    for i in range(truth.shape[1]):
        fig.add_trace(
            go.Scatter(x=float_list(truth[:, i, 0]), y=float_list(truth[:, i, 1]),
                       mode="lines", name="true centres", legendgroup="truth",
                       showlegend=i == 0, line=dict(color="#000000", width=1.5),
                       hoverinfo="skip"),
            row=1, col=1,
        )
    times = np.asarray(run.times)
    finals: list[tuple[str, go.Scatter]] = []  # drawn after every path, batch crosses on top
    for method, label in methods.items():
        color, dash, symbol = KMEANS_STYLE[method]
        path = np.asarray(run.paths[method])
        moving = not np.allclose(path, path[0])
        for i in range(path.shape[1]):
            if moving:
                fig.add_trace(
                    go.Scatter(
                        x=float_list(path[:, i, 0]), y=float_list(path[:, i, 1]),
                        mode="lines", name=label, legendgroup=method, showlegend=i == 0,
                        line=dict(color=color, width=2.5, dash=dash),
                        customdata=int_list(times.astype(float)),
                        hovertemplate=f"{label}<br>after %{{customdata:,}} points<br>"
                                      "(%{x:.2f}, %{y:.2f})<extra></extra>",
                    ),
                    row=1, col=1,
                )
            # a marker where the centroid ends up (open symbols, so none hides another)
            finals.append((method, go.Scatter(
                x=[float(path[-1, i, 0])], y=[float(path[-1, i, 1])], mode="markers",
                name=label, legendgroup=method, showlegend=(i == 0 and not moving),
                marker=dict(symbol=symbol, size=18 if method == "batch_all" else 13,
                            color=color, line=dict(width=3 if method == "batch_all" else 2,
                                                   color=color)),
                hovertemplate=f"{label}: final centroid<br>(%{{x:.2f}}, %{{y:.2f}})"
                              "<extra></extra>",
            )))
        fig.add_trace(
            go.Scatter(
                x=int_list(times.astype(float)), y=float_list(np.asarray(run.distance[method])),
                mode="lines", name=label, legend="legend2", showlegend=True,
                line=dict(color=color, width=2.5, dash=dash),
                hovertemplate=f"{label}<br>after %{{x:,}} points: %{{y:.2f}} units"
                              "<extra></extra>",
            ),
            row=1, col=2,
        )
    for _, trace in sorted(finals, key=lambda f: f[0] == "batch_all"):
        fig.add_trace(trace, row=1, col=1)
    fig.update_xaxes(title_text="x (units)", row=1, col=1)
    fig.update_yaxes(title_text="y (units)", row=1, col=1, scaleanchor="x", scaleratio=1)
    fig.update_xaxes(title_text="points seen", tickformat=",d", row=1, col=2)
    fig.update_yaxes(title_text="mean distance to true centres (units)", rangemode="tozero",
                     row=1, col=2)
    fig.update_annotations(font=dict(size=FONT_SIZE))
    apply_layout(fig, "k-means on moving clusters: batch vs online", height=500)
    # the distance panel's own legend, inside its top-right corner (the lines of the left
    # panel's legend are the paths, not these distances)
    fig.update_layout(legend2=dict(xref="paper", x=1.0, xanchor="right", yref="paper", y=1.0,
                                   yanchor="top", bgcolor="rgba(255,255,255,0.8)",
                                   title_text="distance of"))
    return fig
