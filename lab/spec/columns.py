"""The column names of ``timeline.csv`` and ``events.csv``, written once for every reader.

The race's metrics write these columns and the figures read them; both import the names from
here (standard library only, so the lowest layer can hold them).
"""

from __future__ import annotations

from lab.spec.costs import LEDGER_COLUMNS

#: The per-window and cumulative scores next to accuracy (``{score}_window``, ``{score}_cum``).
SCORES = ("kappa", "kappa_m", "kappa_t", "balanced_accuracy", "macro_f1")

_ACCURACY_AND_AGE = ("t", "contender", "acc_window", "acc_cum", "staleness")
_COSTS = ("train_samples_cum", "train_cpu_s_cum", "retrains_cum")

#: Every column of ``timeline.csv``, in file order.
TIMELINE_COLUMNS = (_ACCURACY_AND_AGE + ("data_age",) + _COSTS
                    + tuple(f"{s}_window" for s in SCORES) + tuple(f"{s}_cum" for s in SCORES)
                    + LEDGER_COLUMNS)

#: The columns the figures need: every ``timeline.csv`` has had them. ``data_age`` and the scores
#: came later, and the figures draw a timeline without them (an older file) as before, so an
#: empty timeline built for a figure has only these.
TIMELINE_BASE_COLUMNS = _ACCURACY_AND_AGE + _COSTS

#: Every column of ``events.csv``, in file order.
EVENT_COLUMNS = ("t", "contender", "kind", "detail")
