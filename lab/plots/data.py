"""The data charts: the sidebar's stream preview, the data scatter per concept, and the feature
distributions per concept. Input is the ``stream.csv`` table as a DataFrame (feature columns,
``y``, ``concept``) or, for the preview, just the stream length and drift list.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from lab.plots.style import (
    CONCEPT_PALETTE,
    DRIFT_LINE_COLOR,
    FONT_SIZE,
    PALETTE,
    apply_layout,
    class_labels,
    drift_band,
    even_indices,
    feature_columns,
    mix_colors,
    plain,
)


def class_display_names(stream: pd.DataFrame,
                        class_names: Sequence[str] | None = None) -> dict[Any, str]:
    """What each class code in ``stream["y"]`` is called in a legend or a hover.

    The names are ``class_names`` if given, else the table's ``attrs["class_names"]`` (which
    :meth:`lab.data.stream.Stream.to_frame` sets), indexed by the code. A named class shows its
    name ("DOWN"); a class whose name is just its number, or that has no name, shows
    "class 0".

    >>> frame = pd.DataFrame({"y": [1, 0, 1]})
    >>> class_display_names(frame, ["DOWN", "UP"])
    {0: 'DOWN', 1: 'UP'}
    >>> class_display_names(frame, ["0", "1"]), class_display_names(frame)
    ({0: 'class 0', 1: 'class 1'}, {0: 'class 0', 1: 'class 1'})
    """
    names = list(class_names if class_names is not None
                 else stream.attrs.get("class_names") or [])
    out = {}
    for cls in class_labels(stream):
        code = int(cls) if isinstance(cls, (int, np.integer)) else None
        name = names[code] if code is not None and 0 <= code < len(names) else None
        out[cls] = (plain(name) if name is not None and str(name) != str(cls)
                    else f"class {plain(cls)}")
    return out


def _concept_color(concept: int) -> str:
    return CONCEPT_PALETTE[int(concept) % len(CONCEPT_PALETTE)]


def stream_preview_figure(
    n_samples: int,
    drifts: Iterable[Mapping[str, Any]] | None,
    concepts: Sequence[int] | None = None,
) -> go.Figure:
    """A thin strip of the stream showing which concept is active where.

    Solid coloured segments are stretches of one concept ("concept 0", "concept 1", ...); a gradual
    drift is a colour gradient from the old to the new concept (the new one's share rising along a
    sigmoid); a sudden drift is a dashed line. ``concepts`` gives the concept each drift switches
    to (default 1, 2, 3, ...); repeating an earlier index shows a recurring drift in the same
    colour.

    What to look at: where the drifts fall, how long each concept lasts, and which are recurring.
    """
    n = max(int(n_samples), 0)
    raw = list(drifts or [])
    if concepts is None:
        to_concepts = list(range(1, len(raw) + 1))
    else:
        to_concepts = [int(c) for c in concepts]
        if len(to_concepts) < len(raw):
            raise ValueError(
                f"concepts has {len(to_concepts)} entries but there are {len(raw)} drifts; "
                "give one concept index per drift"
            )
    # keep each drift paired with its concept when sorting by position
    pairs = sorted(
        (
            (*drift_band(d), to_concepts[i])
            for i, d in enumerate(raw)
        ),
        key=lambda p: (p[0], p[1]),
    )

    solid: dict[int, list[tuple[int, int]]] = {}
    gradients: list[tuple[int, int, int, int]] = []  # start, end, from, to
    current, start = 0, 0
    for k, (at, width, to) in enumerate(pairs):
        at = min(max(at, start), n)
        if at > start:
            solid.setdefault(current, []).append((start, at))
        nxt = pairs[k + 1][0] if k + 1 < len(pairs) else n
        end = min(at + width, max(nxt, at), n)
        if width > 0 and end > at:
            gradients.append((at, end, current, to))
        start, current = (end if width > 0 else at), to
    if n > start:
        solid.setdefault(current, []).append((start, n))

    order: list[int] = []
    for c in [0] + [p[2] for p in pairs]:
        if c not in order and c in solid:
            order.append(c)
    for _, _, a, b in gradients:
        for c in (a, b):
            if c not in order:
                order.append(c)

    fig = go.Figure()
    for c in order:
        segs = solid.get(c, [])
        fig.add_trace(
            go.Bar(
                x=[e - s for s, e in segs] or [None],
                base=[s for s, _ in segs] or [None],
                y=["stream"] * max(len(segs), 1),
                orientation="h",
                name=f"concept {c}",
                legendgroup=f"concept {c}",
                marker=dict(color=_concept_color(c), line=dict(width=0)),
                customdata=[[s, e - 1] for s, e in segs] or [[None, None]],
                hovertemplate=(
                    f"concept {c}<br>samples %{{customdata[0]:,}}–%{{customdata[1]:,}}"
                    "<extra></extra>"
                ),
                width=1.0,
            )
        )
    slices = 16
    for at, end, a, b in gradients:
        edges = np.linspace(at, end, slices + 1)
        mids = (edges[:-1] + edges[1:]) / 2
        centre, half = (at + end) / 2, max((end - at) / 2, 1e-9)
        shares = 1 / (1 + np.exp(-4 * (mids - centre) / half))
        fig.add_trace(
            go.Bar(
                x=[float(e1 - e0) for e0, e1 in zip(edges[:-1], edges[1:])],
                base=[float(e0) for e0 in edges[:-1]],
                y=["stream"] * slices,
                orientation="h",
                name=f"gradual drift {a}→{b}",
                legendgroup="gradual",
                showlegend=False,
                marker=dict(
                    color=[mix_colors(_concept_color(a), _concept_color(b), float(s))
                           for s in shares],
                    line=dict(width=0),
                ),
                hovertemplate=(
                    f"gradual drift concept {a} → concept {b}<br>samples {at:,}–{end - 1:,}"
                    "<extra></extra>"
                ),
                width=1.0,
            )
        )
    # Shapes and labels are assigned to the layout in one go: one add_vline per drift copies
    # the layout's shapes every time, quadratic in the number of drifts.
    lines = [
        dict(type="line", x0=at, x1=at, y0=0, y1=1, xref="x", yref="y domain",
             line=dict(color=DRIFT_LINE_COLOR, width=1.5, dash="dash"), legendgroup="drift")
        for at, width, _ in pairs
        if width == 0 and 0 < at < n
    ]
    labels = [
        dict(x=(s + e) / 2, y="stream", text=f"concept {c}", showarrow=False,
             font=dict(size=FONT_SIZE - 2, color="#222222"))
        for c in order
        for s, e in solid.get(c, [])
        if n and (e - s) / n >= 0.08
    ]
    fig.update_layout(shapes=lines, annotations=labels)
    fig.update_layout(barmode="overlay", bargap=0)
    fig.update_xaxes(
        title_text="sample index", range=[0, max(n, 1)], tickformat=",d", showgrid=False
    )
    fig.update_yaxes(
        title_text="concept", title_font=dict(size=11), showticklabels=False, showgrid=False
    )
    apply_layout(
        fig, "Concepts along the stream", height=150, top=38, bottom=45, legend_in_title_row=True
    )
    fig.update_layout(
        legend=dict(font=dict(size=FONT_SIZE - 2)),
        margin=dict(l=40, r=15),
        title=dict(font=dict(size=FONT_SIZE + 1), pad=dict(t=8)),
    )
    return fig

def _concept_values(stream: pd.DataFrame) -> np.ndarray:
    if "concept" in stream.columns:
        return pd.to_numeric(stream["concept"], errors="coerce").fillna(0).to_numpy(dtype=int)
    return np.zeros(len(stream), dtype=int)



#: Points the 2-D data scatter draws over all its panels. Each is an SVG element the browser
#: lays out: with 4,000 per concept (8,000 for the default race's two concepts) chromium spent
#: about 1.7 CPU seconds drawing the figure, with 2,000 about 0.5 (``bench/figure_draw_cpu.py``);
#: 2,000 still show every concept's clouds and boundary.
DATA_POINTS = 2000


def stratified_positions(labels: np.ndarray, k: int) -> np.ndarray:
    """Sorted positions of at most ``k`` entries of ``labels``, a sample that keeps each label's
    share (largest remainders) and every label at least once (when ``k`` is at least the number
    of labels), each label's positions spread evenly over its occurrences (deterministic: the
    same table always gives the same picture, with no seed to carry).

    >>> stratified_positions(np.array([0, 0, 0, 0, 0, 0, 0, 0, 1, 0]), 4).tolist()
    [0, 4, 8, 9]
    """
    n, k = len(labels), max(int(k), 0)
    if n <= k:
        return np.arange(n)
    codes, _ = pd.factorize(pd.Series(labels), use_na_sentinel=False)
    counts = np.bincount(codes)
    quota = counts * k / n
    take = np.minimum(np.floor(quota).astype(int), counts)
    if k >= len(counts):
        take = np.maximum(take, 1)  # a rare class keeps a point
    for g in np.argsort(-(quota - np.floor(quota)), kind="stable"):  # largest remainders first
        if take.sum() >= k:
            break
        if take[g] < counts[g]:
            take[g] += 1
    while take.sum() > k:  # the ones given to rare classes come from the largest shares
        take[np.argmax(take)] -= 1
    picked = [np.flatnonzero(codes == g)[even_indices(int(counts[g]), int(take[g]))]
              for g in range(len(counts)) if take[g] > 0]
    return np.sort(np.concatenate(picked))


def data_figure(stream: pd.DataFrame, max_points: int | None = None,
                class_names: Sequence[str] | None = None) -> go.Figure:
    """What the data looks like in each concept.

    With exactly two feature columns: a scatter of feature 1 against feature 2, coloured by class,
    one panel per concept (the first four concepts; at most ``max_points`` points per panel,
    default :data:`DATA_POINTS` shared by the panels, a :func:`stratified_positions` sample of
    the concept's samples, so every class shows and the picture is deterministic; the title says
    how many of the table's samples are drawn). Otherwise: the share of each class per concept
    as grouped bars (see :func:`feature_distributions_figure` for the features).

    What to look at: in the scatter, how the class boundary moves between concepts (real drift)
    or how the cloud moves while the boundary stays (virtual drift); in the bars, a change of class
    balance between concepts (prior shift), which also moves the accuracy of a constant guesser.

    Classes are named as :func:`class_display_names` says ("DOWN"/"UP" for Elec2).
    """
    features = feature_columns(stream)
    concepts_all = _concept_values(stream)
    concept_ids = sorted(set(concepts_all.tolist()))
    classes = class_labels(stream)
    shown_as = class_display_names(stream, class_names)
    class_colors = {cls: PALETTE[i % len(PALETTE)] for i, cls in enumerate(classes)}
    y = stream["y"].to_numpy() if "y" in stream.columns else np.zeros(len(stream))

    if len(features) == 2:
        shown = concept_ids[:4] or [0]
        fig = make_subplots(
            rows=1,
            cols=len(shown),
            shared_yaxes=True,
            horizontal_spacing=0.04,
            subplot_titles=[f"concept {c}" for c in shown],
        )
        f1, f2 = features
        x1 = pd.to_numeric(stream[f1], errors="coerce").to_numpy(dtype=float)
        x2 = pd.to_numeric(stream[f2], errors="coerce").to_numpy(dtype=float)
        per_panel = max(int(max_points if max_points is not None
                            else DATA_POINTS // len(shown)), 1)
        drawn = 0
        for col, c in enumerate(shown, start=1):
            positions = np.flatnonzero(concepts_all == c)
            positions = positions[stratified_positions(y[positions], per_panel)]
            drawn += len(positions)
            for cls in classes:
                sel = positions[y[positions] == cls]
                fig.add_trace(
                    go.Scatter(
                        # float32 arrays, not lists: plotly sends them as typed arrays
                        # (base64) and skips its per-element check: the default race's
                        # figure builds in 0.05 s instead of 0.8 s, 321 kB -> ~120 kB
                        x=x1[sel].astype(np.float32),
                        y=x2[sel].astype(np.float32),
                        mode="markers",
                        name=shown_as[cls],
                        legendgroup=shown_as[cls],
                        showlegend=col == 1,
                        marker=dict(size=5, color=class_colors[cls], opacity=0.6),
                        hovertemplate=(
                            f"concept {c}, {shown_as[cls]}<br>{plain(f1)} %{{x:.3g}}<br>"
                            f"{plain(f2)} %{{y:.3g}}"
                            "<extra></extra>"
                        ),
                    ),
                    row=1,
                    col=col,
                )
            fig.update_xaxes(title_text=f"{plain(f1)} (feature value)", row=1, col=col)
        fig.update_xaxes(matches="x")
        fig.update_yaxes(title_text=f"{plain(f2)} (feature value)", row=1, col=1)
        extra = f" (first 4 of {len(concept_ids)} concepts)" if len(concept_ids) > 4 else ""
        sample = (f" (a sample of {drawn:,} of the {len(stream):,} samples)"
                  if drawn < len(stream) else "")
        # the legend under the title, as on the other result charts: at the right end of the
        # title row the chart's toolbar, shown on hover, covered it (session 11's walk-through)
        apply_layout(fig, f"Samples per concept: {plain(f1)} vs {plain(f2)}{extra}{sample}",
                     subplot_titles=True)
        return fig

    fig = go.Figure()
    labels = [f"concept {c}" for c in concept_ids]
    for cls in classes:
        shares = []
        counts = []
        for c in concept_ids:
            in_concept = concepts_all == c
            total = int(in_concept.sum())
            count = int((y[in_concept] == cls).sum())
            counts.append(count)
            shares.append(count / total if total else 0.0)
        fig.add_trace(
            go.Bar(
                x=labels,
                y=shares,
                name=shown_as[cls],
                legendgroup=shown_as[cls],
                marker=dict(color=class_colors[cls]),
                customdata=counts,
                hovertemplate=(
                    f"%{{x}}, {shown_as[cls]}<br>%{{y:.1%}} (%{{customdata:,}} samples)"
                    "<extra></extra>"
                ),
            )
        )
    fig.update_layout(barmode="group")
    fig.update_xaxes(title_text="concept", type="category")
    fig.update_yaxes(title_text="share of samples (%)", tickformat=".0%", rangemode="tozero")
    apply_layout(fig, "Class balance per concept", height=400)
    return fig


def _box_stats(values: np.ndarray) -> dict[str, float] | None:
    values = values[np.isfinite(values)]
    if len(values) == 0:
        return None
    q1, median, q3 = np.percentile(values, [25, 50, 75])
    iqr = q3 - q1
    low = values[values >= q1 - 1.5 * iqr].min()
    high = values[values <= q3 + 1.5 * iqr].max()
    return {
        "q1": float(q1),
        "median": float(median),
        "q3": float(q3),
        "lowerfence": float(low),
        "upperfence": float(high),
        "mean": float(values.mean()),
    }


def feature_distributions_figure(stream: pd.DataFrame, max_features: int = 6) -> go.Figure:
    """Box plots of the first numeric features, one box per concept, one panel per feature.

    Boxes are precomputed (quartiles, whiskers at 1.5 IQR, mean as a dashed line) so the figure
    stays small for long streams. Non-numeric feature columns are skipped.

    What to look at: a feature whose box moves between concepts has a shifted distribution
    (covariate shift); if nothing moves but accuracy still drops, the drift is in the labels.
    """
    candidates = feature_columns(stream)
    numeric: list[str] = []
    for col in candidates:
        if pd.api.types.is_numeric_dtype(stream[col]) and not pd.api.types.is_bool_dtype(
            stream[col]
        ):
            numeric.append(col)
        if len(numeric) >= max_features:
            break
    concepts_all = _concept_values(stream)
    concept_ids = sorted(set(concepts_all.tolist()))

    if not numeric:
        fig = go.Figure()
        fig.add_annotation(
            x=0.5,
            y=0.5,
            xref="paper",
            yref="paper",
            text="no numeric features to show",
            showarrow=False,
        )
        # an empty legend entry per concept keeps the legend meaningful
        for c in concept_ids:
            fig.add_trace(
                go.Scatter(
                    x=[None],
                    y=[None],
                    mode="markers",
                    name=f"concept {c}",
                    marker=dict(symbol="square", size=12, color=_concept_color(c)),
                )
            )
        fig.update_xaxes(title_text="concept", visible=True, showticklabels=False)
        fig.update_yaxes(title_text="feature value", showticklabels=False)
        apply_layout(fig, "Feature distributions per concept", height=300)
        return fig

    ncols = min(3, len(numeric))
    nrows = math.ceil(len(numeric) / ncols)
    fig = make_subplots(
        rows=nrows,
        cols=ncols,
        subplot_titles=[plain(col) for col in numeric],
        horizontal_spacing=0.07,
        vertical_spacing=0.16 if nrows > 1 else 0.1,
    )
    for k, col in enumerate(numeric):
        r, cidx = k // ncols + 1, k % ncols + 1
        values = pd.to_numeric(stream[col], errors="coerce").to_numpy(dtype=float)
        for c in concept_ids:
            stats = _box_stats(values[concepts_all == c])
            if stats is None:
                continue
            fig.add_trace(
                go.Box(
                    x=[str(c)],
                    q1=[stats["q1"]],
                    median=[stats["median"]],
                    q3=[stats["q3"]],
                    lowerfence=[stats["lowerfence"]],
                    upperfence=[stats["upperfence"]],
                    mean=[stats["mean"]],
                    boxmean=True,
                    boxpoints=False,
                    name=f"concept {c}",
                    legendgroup=f"concept {c}",
                    showlegend=k == 0,
                    marker=dict(color=_concept_color(c)),
                    line=dict(color=mix_colors(_concept_color(c), "#000000", 0.45)),
                    fillcolor=_concept_color(c),
                ),
                row=r,
                col=cidx,
            )
        fig.update_xaxes(type="category", row=r, col=cidx)
        if cidx == 1:
            fig.update_yaxes(title_text="feature value", row=r, col=cidx)
        if k + ncols >= len(numeric):  # lowest panel of its column
            fig.update_xaxes(title_text="concept", row=r, col=cidx)
    fig.update_annotations(font=dict(size=FONT_SIZE))
    apply_layout(fig, "Feature distributions per concept", height=130 + 250 * nrows,
                 subplot_titles=True)  # the legend clear of the toolbar, as in data_figure
    return fig
