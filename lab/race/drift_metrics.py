"""Per-drift figures: the drop after a drift, the recovery (and its noise tolerance), the area
lost, the accuracy before the drift and per segment between drifts. The definitions and
references are in :mod:`lab.race.metrics`.
"""

from __future__ import annotations

import math

import numpy as np


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



# recovery_tolerance = TOLERANCE_FLOOR + TOLERANCE_Z * (standard error), see the docstring
TOLERANCE_FLOOR = 0.01
TOLERANCE_Z = 3.0
DRIFT_KEYS = ("max_drop", "recovery", "area_lost", "pre_drift_accuracy", "recovery_tolerance")


# --------------------------------------------------------------------------------------------
# Drift metrics
# --------------------------------------------------------------------------------------------
def recovery_tolerance(pre: float, window: int, n_pre: int) -> float:
    """``TOLERANCE_FLOOR + TOLERANCE_Z * sqrt(pre (1 - pre) (1/window + 1/n_pre))``."""
    spread = pre * (1.0 - pre) * (1.0 / window + 1.0 / n_pre)
    return TOLERANCE_FLOOR + TOLERANCE_Z * math.sqrt(max(spread, 0.0))


def _first_stay(ok: np.ndarray, length: int) -> int | None:
    """First index i with ``ok[i .. i + length]`` all True (``length + 1`` values), or None."""
    need = length + 1
    if ok.size < need:
        return None
    bad = np.concatenate(([0], np.cumsum(~ok, dtype=np.int64)))
    clean = np.flatnonzero(bad[need:] - bad[:-need] == 0)
    return int(clean[0]) if clean.size else None


def drift_effects(correct: np.ndarray, warmup: int, window: int, drifts, n_done: int
                  ) -> list[dict]:
    """Per drift, ``{"max_drop", "recovery", "area_lost", "pre_drift_accuracy",
    "recovery_tolerance"}`` (see the module docstring), from the contender's ``correct`` array
    (at least ``n_done`` long) and ``evaluation.window``."""
    correct = np.asarray(correct[:n_done])
    window_acc = rolling_accuracy(correct, warmup, window)  # index t - warmup - 1
    starts = [change_start(d) for d in drifts] + [n_done]
    out = []
    for k, drift in enumerate(drifts):
        none = dict.fromkeys(DRIFT_KEYS)
        a, e = change_start(drift), drift.end
        b = min(starts[k + 1], n_done)
        begin = max(warmup, drifts[k - 1].end if k else warmup)
        pre_lo = begin + max(0, a - begin) // 2
        if a <= warmup or a >= n_done or pre_lo >= a or b <= a:
            out.append(none)
            continue
        pre = float(correct[pre_lo:a].mean())
        tol = recovery_tolerance(pre, window, a - pre_lo)
        threshold = pre - tol

        def acc(t_lo, t_hi):  # acc_window(t) for t in [t_lo, t_hi]
            return window_acc[t_lo - warmup - 1:t_hi - warmup]

        horizon = min(e + max(window, e - a), b)
        dip = acc(a + 1, horizon)
        drop = float(pre - dip.min())
        if not (dip < threshold).any():
            recovery = 0
        else:
            first = max(e, a + 1)
            later = acc(first, b)  # t in [first, b]
            found = _first_stay(later >= threshold, window) if first <= b else None
            recovery = None if found is None else int(first + found - e)
        area = float((b - a) * pre - correct[a:b].sum())
        out.append({"max_drop": drop, "recovery": recovery, "area_lost": area,
                    "pre_drift_accuracy": pre, "recovery_tolerance": tol})
    return out


def change_start(drift) -> int:
    """Where a drift's change begins: ``at`` for the span form, the 1.8 % point of the sigmoid
    (``at - width - 1``) for MOA's form, whose ``at`` is the centre (half the samples already
    new). Metrics measure from here so both forms of one change give the same figures."""
    return getattr(drift, "start", drift.at)


def segment_bounds(warmup: int, drifts, n_done: int) -> list[tuple[int, int]]:
    """``(first, end)`` sample of each stretch between drift starts (``end <= first``: empty)."""
    bounds = [warmup] + [change_start(d) for d in drifts] + [n_done]
    return [(max(a, warmup), min(b, n_done)) for a, b in zip(bounds[:-1], bounds[1:])]


def segment_accuracy(correct: np.ndarray, warmup: int, drifts, n_done: int) -> list[float | None]:
    return [float(correct[a:b].mean()) if b > a else None
            for a, b in segment_bounds(warmup, drifts, n_done)]


def unchanged_drifts(config) -> list[bool]:
    """Per drift of a run's config (a dict, as in ``summary.json``), whether it changes nothing:
    its target concept (``to`` merged onto the stream's parameters) is the concept already in
    force, the starting one or the previous drift's. Such a drift is no drift: the story, the
    tables and the report say "no change" instead of telling a drop or a recovery (whatever
    its figures show is noise). All False for real data (a marked point is the user's
    suspicion, not a known change) and for a config that cannot be read.

    >>> stream = {"source": "sea", "n_samples": 9000, "params": {"variant": 1},
    ...           "drifts": [{"at": 3000, "to": {"variant": 1}},
    ...                      {"at": 6000, "to": {"variant": 2}}]}
    >>> unchanged_drifts({"stream": stream})
    [True, False]
    """
    from lab.data.stream import concept_params
    from lab.validate import parse_stream

    drifts = (config.get("stream") or {}).get("drifts") or []
    try:
        _, targets = concept_params(parse_stream(config["stream"]))
    except Exception:  # a data set, a CSV file or an unreadable config: nothing to compare
        return [False] * len(drifts)
    previous = [0] + list(targets[:-1])
    return [target == before for target, before in zip(targets, previous)]
