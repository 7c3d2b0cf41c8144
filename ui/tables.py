"""The Summary tab's table: one row per contender, the best value of each column marked.

>>> summary = {"drifts": [{"at": 500, "width": 0}],
...            "config": {"evaluation": {"warmup": 100}, "stream": {"n_samples": 900}},
...            "contenders": [
...     {"name": "A", "status": "ok", "error": None, "accuracy": 0.8, "accuracy_by_segment": [0.9, 0.7],
...      "retrains": 0, "train_samples": 100, "train_cpu_s": 0.01, "mean_staleness": 400.0,
...      "max_staleness": 800, "max_drop": [0.3], "recovery": [None]},
...     {"name": "B", "status": "ok", "error": None, "accuracy": 0.85, "accuracy_by_segment": [0.85, 0.85],
...      "retrains": 0, "train_samples": 900, "train_cpu_s": 0.2, "mean_staleness": 1.0,
...      "max_staleness": 1, "max_drop": [0.05], "recovery": [40]}]}
>>> table = summary_table(summary)
>>> list(table.columns)[:4]
['Contender', 'Status', 'Accuracy', 'Acc. before drift 1']
>>> best_cells(table)["Accuracy"], best_cells(table)["Trained samples"]
(['B'], ['A'])
"""

from __future__ import annotations

from typing import Any, Mapping

import numpy as np
import pandas as pd

BEST_STYLE = "background-color: #d8f0e3; font-weight: 700; color: #0b5d3b"


def _segment_names(n_drifts: int) -> list[str]:
    if n_drifts == 0:
        return ["Acc. whole stream"]
    return ["Acc. before drift 1"] + [f"Acc. after drift {k}" for k in range(1, n_drifts + 1)]


def summary_table(summary: Mapping[str, Any]) -> pd.DataFrame:
    """The summary as a table (numbers as fractions / counts; the app formats them)."""
    drifts = summary.get("drifts") or []
    seg_names = _segment_names(len(drifts))
    rows = []
    for c in summary.get("contenders", []):
        row: dict[str, Any] = {"Contender": c["name"], "Status": c["status"],
                               "Accuracy": c.get("accuracy")}
        segs = c.get("accuracy_by_segment") or []
        for k, name in enumerate(seg_names):
            row[name] = segs[k] if k < len(segs) else None
        row.update({"Retrains": c.get("retrains"), "Trained samples": c.get("train_samples"),
                    "Training CPU s": c.get("train_cpu_s"),
                    "Mean staleness": c.get("mean_staleness"),
                    "Max staleness": c.get("max_staleness")})
        drops, recs = c.get("max_drop") or [], c.get("recovery") or []
        for k in range(len(drifts)):
            row[f"Max drop, drift {k + 1}"] = drops[k] if k < len(drops) else None
            row[f"Recovery, drift {k + 1}"] = recs[k] if k < len(recs) else None
        row["Error"] = c.get("error") or ""
        rows.append(row)
    table = pd.DataFrame(rows)
    for col in table.columns:
        if col not in ("Contender", "Status", "Error"):
            table[col] = pd.to_numeric(table[col], errors="coerce").astype("float64")
    return table


def higher_is_better(column: str) -> bool | None:
    """True / False for columns where more / less is better; None for text columns."""
    if column in ("Contender", "Status", "Error"):
        return None
    return column.startswith("Acc")


def best_cells(table: pd.DataFrame) -> dict[str, list[str]]:
    """Per numeric column, the contenders holding its best value (ties all count)."""
    out = {}
    ok = table["Status"] == "ok" if "Status" in table else slice(None)
    for col in table.columns:
        direction = higher_is_better(col)
        if direction is None:
            continue
        values = table.loc[ok, col].dropna()
        if values.empty or (len(table) > 1 and values.size == len(table) and values.nunique() == 1):
            continue  # everyone equal: nothing to point out
        best = values.max() if direction else values.min()
        out[col] = table.loc[values.index[np.isclose(values.to_numpy(), best)], "Contender"].tolist()
    return out


def styled_summary(table: pd.DataFrame):
    """A pandas Styler: best value per column highlighted, numbers formatted for reading."""
    best = best_cells(table)

    def mark(column: pd.Series) -> list[str]:
        names = best.get(column.name, [])
        return [BEST_STYLE if name in names else "" for name in table["Contender"]]

    fmt: dict[str, Any] = {}
    for col in table.columns:
        if col.startswith("Acc") or col.startswith("Max drop"):
            fmt[col] = lambda v: "–" if pd.isna(v) else f"{100 * v:.1f} %"
        elif col.startswith("Recovery"):
            fmt[col] = lambda v: "not back" if pd.isna(v) else f"{v:,.0f}"
        elif col == "Training CPU s":
            fmt[col] = lambda v: "–" if pd.isna(v) else f"{v:.2f}"
        elif col in ("Retrains", "Trained samples", "Mean staleness", "Max staleness"):
            fmt[col] = lambda v: "–" if pd.isna(v) else f"{v:,.0f}"
    numeric = [c for c in table.columns if higher_is_better(c) is not None]
    return table.style.apply(mark, subset=numeric, axis=0).format(fmt)
