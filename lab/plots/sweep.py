"""The What-if charts over a sweep summary (``lab.sweep.summarise_sweep``'s table): a metric
against one varied setting, a heat map over two, and accuracy against cost for every setting.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from lab.plots.race import finite_or_none, log_ticks, pareto_front, short_number
from lab.plots.style import (
    FONT_SIZE,
    MAIN_HEIGHT,
    PARETO_COLOR,
    apply_layout,
    contender_styles,
    hex_to_rgb,
    plain,
    resolve_colors,
)
from lab.spec.labels import format_value, path_label

# --------------------------------------------------------------------------------------------------
# sweep charts (the What-if tab; input: ``lab.sweep.summarise_sweep`` tables)
# --------------------------------------------------------------------------------------------------
SWEEP_METRICS: dict[str, tuple[str, str, str | None]] = {
    # metric: (chart title noun, y axis title, tick format)
    "accuracy": ("Accuracy", "accuracy (mean over seeds, 95 % CI)", ".0%"),
    "train_samples": ("Training cost", "samples trained (mean over seeds, 95 % CI)", None),
    "train_cpu_s": ("Training CPU time", "training CPU seconds (mean, 95 % CI)", None),
    "retrains": ("Retrains", "retrains (mean over seeds, 95 % CI)", None),
    "mean_staleness": ("Staleness", "mean model age in samples (mean, 95 % CI)", None),
    "data_age_mean": ("Data age", "mean age of the training data in samples (mean, 95 % CI)",
                      None),
}


def sweep_path_label(path: str, config: Mapping[str, Any] | None = None) -> str:
    """A varied config path as an axis or hover title: its plain label with its unit
    (:func:`lab.spec.labels.path_label`, given the swept config to name the contender), passed
    through :func:`plain`.

    >>> sweep_path_label("contenders[1].policy.every", {"contenders": [{}, {"name": "Periodic"}]})
    'Periodic: samples between retrains'
    >>> sweep_path_label("stream.label_noise")
    'Label noise (share of labels)'
    """
    return plain(path_label(path, config))


def _value_text(path: str, value: Any) -> str:
    """A varied value as a category, tick or hover text (:func:`format_value`, uncut so that
    two values never share a category), made plain."""
    return plain(format_value(path, value, max_chars=10_000))


def _lower_first(label: str) -> str:
    """"Label delay (samples)" -> "label delay (samples)" inside a title; a contender's name
    ("Periodic: ...") keeps its capital."""
    return label if ":" in label else label[:1].lower() + label[1:]


def _sweep_axis_values(values: Sequence[Any]) -> tuple[list[Any], bool]:
    """The distinct values of a varied column in order (sorted when all numeric) and whether
    they are numeric (a numeric axis) or not (categories, in the order given)."""
    distinct: list[Any] = []
    for v in values:
        if not any(v == d for d in distinct):
            distinct.append(v)
    numeric = all(
        isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool)
        and not (isinstance(v, float) and math.isnan(v))
        for v in distinct
    )
    if numeric:
        distinct = sorted(distinct)
    return distinct, numeric


def _sweep_names(summary: pd.DataFrame) -> list[str]:
    return [str(n) for n in dict.fromkeys(summary["contender"].tolist())]


def _rgba(color: str, alpha: float) -> str:
    r, g, b = hex_to_rgb(color)
    return f"rgba({r},{g},{b},{alpha})"


def sweep_line_figure(
    summary: pd.DataFrame,
    path: str,
    metric: str = "accuracy",
    *,
    colors: Mapping[str, str] | None = None,
    config: Mapping[str, Any] | None = None,
) -> go.Figure:
    """One varied parameter: ``metric`` (mean over seeds) against the parameter, one line per
    contender with its 95 % confidence interval as a shaded band (traces named ``"<name> 95 %
    CI"``, grouped with the line in the legend). With one seed there is no interval, and a note
    says so.

    What to look at: where a contender's line bends (more of the parameter stops helping), where
    lines cross (the winner changes) and whether bands overlap (then the seeds cannot tell the
    contenders apart).
    """
    noun, y_title, tickformat = SWEEP_METRICS[metric]
    label = sweep_path_label(path, config)
    names = _sweep_names(summary)
    palette = resolve_colors(names, colors)
    dashes = contender_styles(names, colors)  # the race charts' (colour, dash) of each name
    xs, numeric = _sweep_axis_values(summary[path].tolist())
    fig = go.Figure()
    any_band = False
    for name in names:
        part = summary[summary["contender"] == name]
        rows = []
        for x in xs:
            match = part[part[path].apply(lambda v, x=x: v == x)]
            if match.empty:
                continue
            r = match.iloc[0]
            rows.append((x, finite_or_none(r[f"{metric}_mean"]),
                         finite_or_none(r[f"{metric}_ci_low"]),
                         finite_or_none(r[f"{metric}_ci_high"]), int(r.get("n_seeds", 0) or 0)))
        x_plot = [r[0] if numeric else _value_text(path, r[0]) for r in rows]
        band = [(x, lo, hi) for x, (_, _, lo, hi, _) in zip(x_plot, rows)
                if lo is not None and hi is not None]
        if band:
            any_band = True
            bx = [b[0] for b in band]
            fig.add_trace(go.Scatter(
                x=bx + bx[::-1], y=[b[2] for b in band] + [b[1] for b in band][::-1],
                fill="toself", fillcolor=_rgba(palette[name], 0.18), mode="lines",
                line=dict(width=0, color=palette[name]), name=f"{plain(name)} 95 % CI",
                legendgroup=plain(name), showlegend=False, hoverinfo="skip"))
        fig.add_trace(go.Scatter(
            x=x_plot, y=[r[1] for r in rows], mode="lines+markers", name=plain(name),
            legendgroup=plain(name),
            line=dict(color=palette[name], width=2.5, dash=dashes[name][1]),
            marker=dict(size=8, color=palette[name]),
            customdata=[[r[2], r[3], r[4]] for r in rows],
            hovertemplate=(f"<b>{plain(name)}</b><br>{label} = %{{x}}"
                           f"<br>mean %{{y:{tickformat or ',.4g'}}}"
                           "<br>95 % CI %{customdata[0]" + f":{tickformat or ',.4g'}" + "} to "
                           "%{customdata[1]" + f":{tickformat or ',.4g'}" + "}"
                           "<br>%{customdata[2]} seeds<extra></extra>")))
    if not any_band:
        fig.add_annotation(x=1, xref="paper", xanchor="right", y=0, yref="paper",
                           yanchor="bottom", showarrow=False,
                           text="one seed per setting: no confidence interval",
                           font=dict(size=FONT_SIZE - 2, color="#555555"))
    fig.update_xaxes(title_text=label, type=None if numeric else "category")
    if numeric:
        fig.update_xaxes(tickvals=xs)
    fig.update_yaxes(title_text=y_title)
    if tickformat:
        fig.update_yaxes(tickformat=tickformat)
    apply_layout(fig, f"{noun} vs. {_lower_first(label)}", height=MAIN_HEIGHT,
                 hovermode="x unified")
    return fig


def sweep_heatmap_figure(
    summary: pd.DataFrame,
    path_x: str,
    path_y: str,
    contender: str,
    metric: str = "accuracy",
    *,
    config: Mapping[str, Any] | None = None,
) -> go.Figure:
    """Two varied parameters: the mean ``metric`` of one contender on the grid (x: ``path_x``,
    y: ``path_y``), each cell labelled with its value; the colour bar is the legend.

    What to look at: the direction in which the colour changes fastest is the parameter that
    matters most; a flat row or column means that parameter does not matter there.
    """
    noun, _, tickformat = SWEEP_METRICS[metric]
    part = summary[summary["contender"].astype(str) == str(contender)]
    xs, x_num = _sweep_axis_values(part[path_x].tolist())
    ys, y_num = _sweep_axis_values(part[path_y].tolist())
    z = np.full((len(ys), len(xs)), np.nan)
    for _, r in part.iterrows():
        i = next(k for k, v in enumerate(ys) if v == r[path_y])
        j = next(k for k, v in enumerate(xs) if v == r[path_x])
        value = finite_or_none(r[f"{metric}_mean"])
        z[i, j] = math.nan if value is None else value
    fmt = tickformat or ",.4g"
    x_labels = [short_number(v) if x_num else _value_text(path_x, v) for v in xs]
    y_labels = [short_number(v) if y_num else _value_text(path_y, v) for v in ys]
    x_title, y_title = sweep_path_label(path_x, config), sweep_path_label(path_y, config)
    fig = go.Figure(go.Heatmap(
        z=z.tolist(), x=x_labels, y=y_labels, colorscale="Viridis",
        name=f"{plain(contender)}: mean {metric}",
        texttemplate=f"%{{z:{fmt}}}", textfont=dict(size=FONT_SIZE - 1),
        colorbar=dict(title=dict(text=f"mean {metric}", side="right"),
                      tickformat=tickformat or None),
        hovertemplate=(f"{x_title} = %{{x}}<br>{y_title} = %{{y}}<br>mean {metric} "
                       f"%{{z:{fmt}}}<extra></extra>")))
    fig.update_xaxes(title_text=x_title, type="category")
    fig.update_yaxes(title_text=y_title, type="category")
    apply_layout(fig, f"{noun} of {plain(contender)} (mean over seeds)", height=MAIN_HEIGHT)
    fig.update_layout(showlegend=False)
    return fig


def sweep_tradeoff_figure(
    summary: pd.DataFrame,
    *,
    colors: Mapping[str, str] | None = None,
    cost: str = "train_samples_mean",
    accuracy: str = "accuracy_mean",
    config: Mapping[str, Any] | None = None,
) -> go.Figure:
    """Cost against accuracy for every (setting, contender) of a sweep: one marker per point,
    coloured by contender, with the accuracy's 95 % CI as an error bar; the Pareto front across
    all settings and contenders is a dotted step line, its points ringed ("Pareto-optimal").

    What to look at: the ringed points are the settings worth choosing; a contender whose points
    sit far below the front wastes training compute whatever its setting.
    """
    names = _sweep_names(summary)
    palette = resolve_colors(names, colors)
    paths = [c for c in summary.columns if c not in ("setting", "contender", "n_seeds", "n_failed")
             and not c.endswith(("_mean", "_ci_low", "_ci_high"))]
    frame = summary.reset_index(drop=True)
    points = [(finite_or_none(c), finite_or_none(a)) for c, a in zip(frame[cost], frame[accuracy])]
    front = pareto_front(points)

    def label(r) -> str:
        return "; ".join(f"{sweep_path_label(p, config)} = {_value_text(p, r[p])}"
                         for p in paths) or "base config"

    fig = go.Figure()
    for name in names:
        idx = [i for i in range(len(frame)) if str(frame.at[i, "contender"]) == name
               and points[i][0] is not None and points[i][1] is not None]
        if not idx:
            continue
        acc = [points[i][1] for i in idx]
        hi = [finite_or_none(frame.at[i, "accuracy_ci_high"])
              if "accuracy_ci_high" in frame else None for i in idx]
        lo = [finite_or_none(frame.at[i, "accuracy_ci_low"])
              if "accuracy_ci_low" in frame else None for i in idx]
        fig.add_trace(go.Scatter(
            x=[max(points[i][0], 1.0) for i in idx], y=acc, mode="markers", name=plain(name),
            legendgroup=plain(name),
            marker=dict(size=11, color=palette[name], line=dict(width=1, color="white")),
            error_y=dict(type="data", symmetric=False, thickness=1.2, width=0,
                         color=_rgba(palette[name], 0.6),
                         array=[(h - a) if h is not None else 0 for h, a in zip(hi, acc)],
                         arrayminus=[(a - low) if low is not None else 0
                                     for low, a in zip(lo, acc)]),
            text=[label(frame.iloc[i]) for i in idx],
            hovertemplate=(f"<b>{plain(name)}</b><br>%{{text}}<br>accuracy %{{y:.1%}}"
                           "<br>%{x:,.0f} samples trained<extra></extra>")))
    ordered = sorted(front, key=lambda i: (points[i][0], -points[i][1]))
    fig.add_trace(go.Scatter(
        x=[max(points[i][0], 1.0) for i in ordered], y=[points[i][1] for i in ordered],
        mode="lines", line=dict(shape="hv", color=PARETO_COLOR, width=2, dash="dot"),
        name="Pareto front", legendgroup="pareto", hoverinfo="skip"))
    fig.add_trace(go.Scatter(
        x=[max(points[i][0], 1.0) for i in ordered], y=[points[i][1] for i in ordered],
        mode="markers", name="Pareto-optimal", legendgroup="pareto",
        marker=dict(size=19, symbol="circle-open", color=PARETO_COLOR, line=dict(width=2.5)),
        text=[f"{plain(frame.at[i, 'contender'])}: {label(frame.iloc[i])}" for i in ordered],
        hovertemplate="<b>Pareto-optimal</b><br>%{text}<extra></extra>"))
    fig.update_xaxes(title_text="samples trained (mean over seeds, log scale)", type="log")
    valid = [p for p in points if p[0] is not None and p[1] is not None]
    if valid:
        costs = [max(c, 1.0) for c, _ in valid]
        lo_x, hi_x = math.log10(min(costs)) - 0.25, math.log10(max(costs)) + 0.25
        ticks = log_ticks(lo_x, hi_x)
        fig.update_xaxes(range=[lo_x, hi_x], tickvals=ticks,
                         ticktext=[short_number(v) for v in ticks], minor=dict(showgrid=False))
    fig.update_yaxes(title_text="accuracy (mean over seeds, 95 % CI)", tickformat=".0%")
    apply_layout(fig, "Accuracy vs. training cost, every setting", height=MAIN_HEIGHT)
    return fig
