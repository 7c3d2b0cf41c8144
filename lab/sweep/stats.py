"""The sweep's tables: ``sweep.csv`` rows from the task records, the per-setting means with
Student-t confidence intervals over seeds (``sweep_summary.csv``), and the Pareto front of
accuracy against training cost that the app's What-if charts draw.

Both tables carry the scores next to accuracy (kappa, kappa-M, kappa-T, balanced accuracy, macro
F1) and the cost ledger (``cost_compute`` ... ``cost_total``, the names of ``timeline.csv``'s
cost columns), so that :mod:`lab.sweep.answer` can rank settings by what they cost and hold them
to a target on any of the scores.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

from lab.spec.columns import SCORES
from lab.spec.costs import LEDGER_COLUMNS, LEDGER_PARTS
from lab.sweep.grammar import canonical_json
from lab.sweep.plan import SweepPlan

#: The figures of ``sweep_summary.csv`` (mean and confidence interval of each over the seeds).
SUMMARY_METRICS = ("accuracy", "train_samples", "train_cpu_s", "retrains", "mean_staleness",
                   "data_age_mean", *SCORES, *LEDGER_COLUMNS)
#: The per-run figures of ``sweep.csv``, in column order.
FIGURES = ("accuracy", "retrains", "train_samples", "train_cpu_s", "mean_staleness",
           "max_staleness", "data_age_mean", *SCORES, *LEDGER_COLUMNS)
CONFIDENCE = 0.95


def _cell(value: Any) -> Any:
    """A varied value as a table cell: scalars as they are, lists and objects as JSON text."""
    return canonical_json(value) if isinstance(value, (dict, list)) else value


def contender_figures(contender: dict) -> dict:
    """One contender's :data:`FIGURES` from its ``summary.json`` object: the ledger's parts come
    from its ``cost`` object (null for a failed contender, so every part is then missing)."""
    cost = contender.get("cost") or {}
    ledger = {f"cost_{part}": cost.get(part) for part in LEDGER_PARTS}
    ledger["cost_total"] = contender.get("cost_total")
    return {f: ledger[f] if f in ledger else contender.get(f) for f in FIGURES}


def task_rows(plan: SweepPlan, records: dict[str, dict]) -> pd.DataFrame:
    """The ``sweep.csv`` rows of the tasks that have a record (keyed by task key), in plan order
    (setting, seed, contender): a failed task gives one ``failed`` row per contender."""
    n_drifts = max(len(s.experiment.stream.drifts) for s in plan.settings)
    paths = plan.paths
    columns = (["setting", *paths, "seed", "contender", "status", *FIGURES]
               + [f"recovery_{k}" for k in range(n_drifts)]
               + [f"max_drop_{k}" for k in range(n_drifts)]
               + [f"accuracy_seg_{k}" for k in range(n_drifts + 1)] + ["error"])
    rows = []
    for task in plan.tasks:
        record = records.get(task.key)
        if record is None:
            continue
        setting = plan.settings[task.setting]
        head = {"setting": task.setting, **{p: _cell(setting.values[p]) for p in paths},
                "seed": task.seed}
        if not record.get("ok"):
            for spec in setting.experiment.contenders:
                rows.append({**head, "contender": spec.name, "status": "failed",
                             "error": record.get("error")})
            continue
        for c in record["contenders"]:
            row = {**head, "contender": c["name"], "status": c["status"],
                   **contender_figures(c), "error": c["error"]}
            for k, v in enumerate(c["recovery"]):
                row[f"recovery_{k}"] = v
            for k, v in enumerate(c["max_drop"]):
                row[f"max_drop_{k}"] = v
            for k, v in enumerate(c["accuracy_by_segment"]):
                row[f"accuracy_seg_{k}"] = v
            rows.append(row)
    frame = pd.DataFrame(rows, columns=columns)
    for col in columns:
        if col in FIGURES or col.startswith(("recovery_", "max_drop_", "accuracy_seg_")):
            frame[col] = pd.to_numeric(frame[col], errors="coerce").astype("float64")
    for col in ("retrains", "train_samples", "max_staleness"):
        if frame[col].notna().all():
            frame[col] = frame[col].astype("int64")
    return frame


def _varied_columns(df: pd.DataFrame) -> list[str]:
    cols = list(df.columns)
    return [c for c in cols[:cols.index("seed")] if c != "setting"]


def confidence_interval(values: Iterable[float], confidence: float = CONFIDENCE
                        ) -> tuple[float, float, float]:
    """``(mean, low, high)``: the Student-t interval of the mean of ``values`` (NaNs dropped).

    With one value the interval is undefined and both bounds are NaN (a single seed says nothing
    about the spread); with none, all three are NaN.

    >>> confidence_interval([1.0, 2.0, 3.0])  # mean 2, t(0.975, 2) = 4.303, s/sqrt(3) = 0.577
    (2.0, -0.484..., 4.484...)
    >>> confidence_interval([0.8])
    (0.8, nan, nan)
    """
    from scipy import stats

    x = np.asarray([v for v in values if v is not None], dtype=np.float64)
    x = x[~np.isnan(x)]
    if x.size == 0:
        return (math.nan, math.nan, math.nan)
    mean = float(x.mean())
    if x.size == 1:
        return (mean, math.nan, math.nan)
    half = float(stats.t.ppf(0.5 + confidence / 2, x.size - 1) * x.std(ddof=1) / math.sqrt(x.size))
    return (mean, mean - half, mean + half)


def summarise_sweep(df: pd.DataFrame) -> pd.DataFrame:
    """The ``sweep_summary.csv`` table: per setting and contender, over the seeds that succeeded,
    the mean and 95 % Student-t confidence interval of every figure of :data:`SUMMARY_METRICS`
    (``accuracy_mean``, ``accuracy_ci_low``, ``accuracy_ci_high``, ..., ``cost_total_mean``,
    ...), with ``n_seeds`` (seeds with figures) and ``n_failed``. One seed: the CI bounds are NaN.

    Takes the frame :func:`run_sweep` returns or ``pd.read_csv("sweep.csv")``.
    """
    paths = _varied_columns(df)
    columns = (["setting", *paths, "contender", "n_seeds", "n_failed"]
               + [f"{m}_{s}" for m in SUMMARY_METRICS for s in ("mean", "ci_low", "ci_high")])
    out = []
    for (_, _), group in df.groupby(["setting", "contender"], sort=False):
        ok = group[group["status"] == "ok"]
        first = group.iloc[0]
        row = {"setting": first["setting"], **{p: first[p] for p in paths},
               "contender": first["contender"], "n_seeds": len(ok),
               "n_failed": int((group["status"] != "ok").sum())}
        for m in SUMMARY_METRICS:
            row[f"{m}_mean"], row[f"{m}_ci_low"], row[f"{m}_ci_high"] = \
                confidence_interval(ok[m])
        out.append(row)
    frame = pd.DataFrame(out, columns=columns)
    frame = frame.sort_values("setting", kind="stable").reset_index(drop=True)
    return frame


def pareto_front(summary: pd.DataFrame, cost: str = "train_samples_mean",
                 accuracy: str = "accuracy_mean") -> pd.Series:
    """Which rows of a summary are Pareto-optimal: no other row costs no more and is at least as
    accurate, being strictly better in one of the two. Rows without figures are never on it.
    (The table form of :func:`lab.plots.race.pareto_front`, the project's one Pareto rule.)

    >>> df = pd.DataFrame({"train_samples_mean": [1, 2, 2, 3, 4],
    ...                    "accuracy_mean": [0.70, 0.80, 0.75, 0.80, 0.90]})
    >>> pareto_front(df).tolist()
    [True, True, False, False, True]
    """
    from lab.plots.race import pareto_front as pareto_indices

    points = zip(pd.to_numeric(summary[cost], errors="coerce").tolist(),
                 pd.to_numeric(summary[accuracy], errors="coerce").tolist())
    on = np.zeros(len(summary), dtype=bool)
    on[pareto_indices(list(points))] = True
    return pd.Series(on, index=summary.index, name="pareto")


def sweep_files(df: pd.DataFrame) -> dict[str, str]:
    """``sweep.csv`` and ``sweep_summary.csv`` as text: the CLI writes them, the app serves them."""
    return {"sweep.csv": df.to_csv(index=False, lineterminator="\n"),
            "sweep_summary.csv": summarise_sweep(df).to_csv(index=False, lineterminator="\n")}
