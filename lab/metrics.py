"""Metrics of a race, exactly as ``DESIGN.md`` defines them, computed with vectorised numpy.

* ``correct_i``: 1 if the deployed model predicted sample i right.
* ``acc_window(t)``: mean of ``correct`` over the last ``window`` scored samples before ``t``
  (``t`` = samples seen); ``acc_cum(t)``: mean over all scored samples before ``t``.
* ``staleness`` at sample i: ``i - newest_i``, the age of the deployed model's newest sample.
* Per drift (start ``at``, end ``at + width``): ``pre = acc_window(at)``; ``max_drop`` = ``pre``
  minus the lowest ``acc_window`` after ``at`` up to the next drift's start (or the end);
  ``recovery`` = samples from the drift's end until ``acc_window`` is back to at least
  ``pre - 0.02``, counted from its lowest point after the drift (0 if it never fell below
  that), or ``None`` if it is not back before the next drift (or the end). Drifts inside the warm-up have no ``pre``: both are None.
* ``accuracy_by_segment``: accuracy on each stretch between drift starts (segment k runs from
  drift k-1's start to drift k's start; segment 0 starts at the warm-up's end).

>>> w = rolling_accuracy(np.array([1, 1, 0, 0], dtype=np.int8), warmup=0, window=2)
>>> w.tolist()  # acc_window at t = 1, 2, 3, 4 samples seen
[1.0, 1.0, 0.5, 0.0]
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from lab.engine import ContenderRun, RaceResult

RECOVERY_TOLERANCE = 0.02
TIMELINE_COLUMNS = ["t", "contender", "acc_window", "acc_cum", "staleness", "train_samples_cum",
                    "train_cpu_s_cum", "retrains_cum"]
EVENT_COLUMNS = ["t", "contender", "kind", "detail"]


def rolling_accuracy(correct: np.ndarray, warmup: int, window: int) -> np.ndarray:
    """``acc_window(t)`` for ``t = warmup + 1 .. len(correct)`` (index ``t - warmup - 1``)."""
    scored = correct[warmup:].astype(np.int64)
    cs = np.concatenate(([0], np.cumsum(scored)))
    b = np.arange(1, scored.size + 1)
    a = np.maximum(0, b - window)
    return (cs[b] - cs[a]) / (b - a)


def cumulative_accuracy(correct: np.ndarray, warmup: int) -> np.ndarray:
    """``acc_cum(t)`` for ``t = warmup + 1 .. len(correct)``."""
    scored = correct[warmup:].astype(np.int64)
    return np.cumsum(scored) / np.arange(1, scored.size + 1)


def _rows(run: ContenderRun, result: RaceResult) -> int:
    return len(run.train_samples_cum)


def timeline_frame(result: RaceResult) -> pd.DataFrame:
    """``timeline.csv``: one row per contender per recording point it reached."""
    ev = result.experiment.evaluation
    frames = []
    for run in result.contenders:
        k = _rows(run, result)
        if k == 0:
            continue
        ts = np.asarray(result.record_t[:k])
        correct = run.policy.correct[:ts[-1]]
        window = rolling_accuracy(correct, ev.warmup, ev.window)
        cum = cumulative_accuracy(correct, ev.warmup)
        idx = ts - ev.warmup - 1
        frames.append(pd.DataFrame({
            "t": ts,
            "contender": run.name,
            "acc_window": window[idx],
            "acc_cum": cum[idx],
            "staleness": (ts - 1) - run.policy.newest[ts - 1],
            "train_samples_cum": np.asarray(run.train_samples_cum, dtype=np.int64),
            "train_cpu_s_cum": np.asarray(run.train_cpu_s_cum, dtype=np.float64),
            "retrains_cum": np.asarray(run.retrains_cum, dtype=np.int64),
        }))
    if not frames:
        return pd.DataFrame({c: [] for c in TIMELINE_COLUMNS})
    return pd.concat(frames, ignore_index=True)[TIMELINE_COLUMNS]


def events_frame(result: RaceResult) -> pd.DataFrame:
    """``events.csv``: retrain starts, deployments, detector alarms and failures, in time order."""
    rows = [(t, run.name, kind, detail)
            for run in result.contenders for t, kind, detail in run.events if t <= result.n_done]
    frame = pd.DataFrame(rows, columns=EVENT_COLUMNS)
    order = {run.name: k for k, run in enumerate(result.contenders)}
    frame["_order"] = frame["contender"].map(order)
    frame = frame.sort_values(["t", "_order"], kind="stable").drop(columns="_order")
    return frame.reset_index(drop=True)


def drift_effects(window_acc: np.ndarray, warmup: int, drifts, n_done: int):
    """``(max_drop, recovery)`` lists, one entry per drift (see the module docstring)."""
    drops, recoveries = [], []
    starts = [d.at for d in drifts] + [n_done]
    for k, drift in enumerate(drifts):
        stop = min(starts[k + 1], n_done)
        if drift.at <= warmup or drift.at >= n_done:
            drops.append(None)
            recoveries.append(None)
            continue

        def acc(t):  # acc_window(t), t = samples seen
            return window_acc[t - warmup - 1]

        pre = float(acc(drift.at))
        after = window_acc[drift.at - warmup:stop - warmup]  # t in (at, stop]
        drops.append(float(pre - after.min()) if after.size else None)
        threshold = pre - RECOVERY_TOLERANCE
        if not (after < threshold).any():
            recoveries.append(0)
            continue
        # Count from the lowest point: a noisy rolling window can poke above the threshold
        # on the way down (seen: a frozen model "recovered" 29 samples into its collapse).
        lowest = drift.at + 1 + int(np.argmin(after))
        begin = max(drift.end, lowest)
        if begin > stop:
            recoveries.append(None)
            continue
        later = window_acc[begin - warmup - 1:stop - warmup]  # t in [begin, stop]
        back = np.flatnonzero(later >= threshold)
        recoveries.append(int(begin + back[0] - drift.end) if back.size else None)
    return drops, recoveries


def segment_accuracy(correct: np.ndarray, warmup: int, drifts, n_done: int) -> list[float | None]:
    bounds = [warmup] + [d.at for d in drifts] + [n_done]
    out = []
    for a, b in zip(bounds[:-1], bounds[1:]):
        a = max(a, warmup)
        b = min(b, n_done)
        out.append(float(correct[a:b].mean()) if b > a else None)
    return out


def contender_summary(run: ContenderRun, result: RaceResult) -> dict:
    ev = result.experiment.evaluation
    drifts = result.experiment.stream.drifts
    base = {"name": run.name, "status": run.status, "error": run.error}
    empty = {"accuracy": None, "accuracy_by_segment": [None] * (len(drifts) + 1),
             "retrains": None, "train_samples": None, "train_cpu_s": None,
             "mean_staleness": None, "max_staleness": None,
             "recovery": [None] * len(drifts), "max_drop": [None] * len(drifts)}
    if run.status != "ok" or run.policy is None:
        return {**base, **empty}
    p, n = run.policy, result.n_done
    correct = p.correct[:n]
    staleness = np.arange(ev.warmup, n) - p.newest[ev.warmup:n]
    window = rolling_accuracy(correct, ev.warmup, ev.window)
    drops, recoveries = drift_effects(window, ev.warmup, drifts, n)
    return {
        **base,
        "accuracy": float(correct[ev.warmup:].mean()),
        "accuracy_by_segment": segment_accuracy(correct, ev.warmup, drifts, n),
        "retrains": int(p.retrains),
        "train_samples": int(p.train_samples),
        "train_cpu_s": round(float(p.train_cpu_s), 6),
        "mean_staleness": float(staleness.mean()),
        "max_staleness": int(staleness.max()),
        "recovery": recoveries,
        "max_drop": drops,
    }


def versions() -> dict:
    import numpy
    import river
    import sklearn

    import lab

    return {"lab": lab.__version__, "river": river.__version__, "sklearn": sklearn.__version__,
            "numpy": numpy.__version__}


def summarise(result: RaceResult) -> dict:
    """The ``summary.json`` document."""
    exp = result.experiment
    return {
        "config": exp.to_dict(),
        "n_samples": len(result.stream),
        "n_scored": max(0, result.n_done - exp.evaluation.warmup),
        "complete": not result.cancelled,
        "drifts": [{"at": d.at, "width": d.width} for d in exp.stream.drifts],
        "contenders": [contender_summary(run, result) for run in result.contenders],
        "versions": versions(),
    }
