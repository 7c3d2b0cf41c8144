"""Plotly figures for Driftlab results, shared by the Streamlit app and the exports.

Every figure takes plain data shaped like the output-file contract (``docs/outputs.md``):
``timeline.csv`` and ``events.csv`` as pandas DataFrames, ``summary.json`` as a dict, the drift
list ``[{"at", "width"}]``, ``stream.csv`` as a DataFrame, arrays for the decision-boundary
grids and the lessons. So a figure can be rebuilt from the CLI's files without re-running
anything; nothing here imports streamlit, runs a simulation or holds a model, and the package
imports no ``lab`` module but ``lab.spec`` (``tests/test_plots_layering.py`` checks it).

Where things are: :mod:`~lab.plots.style` (palette, escaping with ``plain``, layout, legend,
drift markers, HTML export), :mod:`~lab.plots.palette` (contender styles, the oracle's),
:mod:`~lab.plots.race` (accuracy, staleness, cost; with :mod:`~lab.plots.race_summary`: cost
per retrain, trade-off, Pareto front), :mod:`~lab.plots.marks` (the oracle's reference line,
trade-off labels that never overlap), :mod:`~lab.plots.costs` (the cost ledger),
:mod:`~lab.plots.data` (stream preview, data, feature distributions),
:mod:`~lab.plots.boundary`, :mod:`~lab.plots.lessons` (loss curve, k-means),
:mod:`~lab.plots.sweep` (What-if charts). The names below are the public face, so that callers
can write ``plots.accuracy_figure(...)``.
"""

from lab.plots.boundary import decision_boundary_figure
from lab.plots.data import data_figure, feature_distributions_figure, stream_preview_figure
from lab.plots.lessons import KMEANS_STYLE, kmeans_figure, loss_curve_figure
from lab.plots.race import (
    BASELINE_COLOR,
    TRADEOFF_COSTS,
    accuracy_figure,
    cost_figure,
    pareto_front,
    retrain_cost_figure,
    staleness_figure,
    tradeoff_figure,
)
from lab.plots.style import (
    CONCEPT_PALETTE,
    ORACLE_LABEL,
    PALETTE,
    add_drift_markers,
    contender_colors,
    drift_band,
    figure_html,
    oracle_label,
    oracle_names,
    plain,
)
from lab.plots.sweep import (
    SWEEP_METRICS,
    sweep_heatmap_figure,
    sweep_line_figure,
    sweep_path_label,
    sweep_tradeoff_figure,
)

__all__ = [
    "PALETTE",
    "CONCEPT_PALETTE",
    "BASELINE_COLOR",
    "ORACLE_LABEL",
    "TRADEOFF_COSTS",
    "SWEEP_METRICS",
    "KMEANS_STYLE",
    "plain",
    "contender_colors",
    "oracle_label",
    "oracle_names",
    "drift_band",
    "add_drift_markers",
    "figure_html",
    "accuracy_figure",
    "staleness_figure",
    "cost_figure",
    "retrain_cost_figure",
    "pareto_front",
    "tradeoff_figure",
    "stream_preview_figure",
    "data_figure",
    "feature_distributions_figure",
    "decision_boundary_figure",
    "loss_curve_figure",
    "kmeans_figure",
    "sweep_path_label",
    "sweep_line_figure",
    "sweep_heatmap_figure",
    "sweep_tradeoff_figure",
]
