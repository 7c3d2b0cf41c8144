"""Drift labels that do not overprint (issue 13): which drifts share a label on an axis.

The drift markers (:func:`lab.plots.style.add_drift_markers`) write "drift" / "gradual drift"
above the plot area, left-aligned on each drift; on a long axis two drifts a few hundred samples
apart had their labels written over each other ("drifgradual drift" on a 400,000-sample stream).
"""

from __future__ import annotations

import math

import numpy as np
import plotly.graph_objects as go

FONT_PX = 12  # the drift labels' font (lab.plots.style: FONT_SIZE - 2)
# How much room a drift label takes, as a share of the x axis: its characters at ~0.55 em of
# the labels' 12-px font, its 3-px shift and a 6-px gap, on the narrowest plot area the app
# draws (~600 px: a 1024-px window less the sidebar and the margins).
LABEL_CHAR_PX, LABEL_PAD_PX, NARROW_PLOT_PX = 0.55 * FONT_PX, 9, 600


def drift_label_groups(drifts: list[tuple[int, int]], span: float) -> list[tuple[int, str]]:
    """The drift labels as drawn: ``(x, text)`` per group of drifts whose labels would overprint
    on an axis ``span`` samples wide. Labels are left-aligned on their drift; a drift that
    starts under the label before it joins that label ("drift + gradual drift", "3 drifts")
    instead of being written over it (a 400,000-sample stream with drifts at 8,000 and 14,000
    printed "drift" over "gradual drift").

    >>> drift_label_groups([(8000, 0), (14000, 2000)], span=20_000)
    [(8000, 'drift'), (14000, 'gradual drift')]
    >>> drift_label_groups([(8000, 0), (14000, 2000)], span=400_000)
    [(8000, 'drift + gradual drift')]
    >>> drift_label_groups([(10, 0), (20, 0), (30, 0), (900, 50)], span=1000)
    [(10, '3 drifts'), (900, 'gradual drift')]
    """
    def text(sudden: int, gradual: int) -> str:
        parts = ([("drift" if sudden == 1 else f"{sudden} drifts")] if sudden else []) + \
            ([("gradual drift" if gradual == 1 else f"{gradual} gradual drifts")]
             if gradual else [])
        return " + ".join(parts)

    def share(label: str) -> float:
        return (len(label) * LABEL_CHAR_PX + LABEL_PAD_PX) / NARROW_PLOT_PX

    groups: list[list[int]] = []  # [x, sudden, gradual]
    for at, width in drifts:
        if groups:
            x, sudden, gradual = groups[-1]
            if span > 0 and (at - x) / span < share(text(sudden, gradual)):
                groups[-1] = [x, sudden + (width == 0), gradual + (width != 0)]
                continue
        groups.append([at, int(width == 0), int(width != 0)])
    return [(x, text(sudden, gradual)) for x, sudden, gradual in groups]


def x_span(fig: go.Figure, drifts: list[tuple[int, int]]) -> float:
    """The samples the figure's x axis spans: its traces' x values (the drifts' own when none)."""
    low, high = math.inf, -math.inf
    for trace in fig.data:
        x = getattr(trace, "x", None)
        if x is None or not len(x):
            continue
        try:
            values = np.asarray(x, dtype=np.float64)  # None -> NaN; text x is not samples
        except (TypeError, ValueError):
            continue
        if np.isfinite(values).any():
            low = min(low, float(np.nanmin(values)))
            high = max(high, float(np.nanmax(values)))
    if not math.isfinite(low):
        low, high = drifts[0][0], max(at + width for at, width in drifts)
    return max(high - low, 0.0)
