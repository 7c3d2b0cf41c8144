"""What each column of the Summary tab's tables is: how it reads (:data:`COLUMNS`,
:func:`format_cell`: the story's rounding) and whether a table shows it by default or offers it
in its column chooser (:func:`default_columns`, :func:`optional_columns`, :func:`shown_columns`).

Kept apart from :mod:`ui.tables` (which builds, highlights and shows the tables, and re-exports
these names) so that each module stays small.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import pandas as pd

from lab.race.drift_points import format_points_lost
from lab.spec.labels import format_kappa
from lab.spec.numbers import percent_digits


@dataclass(frozen=True)
class Column:
    """How one column reads: ``kind`` picks the format (:func:`format_cell`), ``better`` the
    highlight ("high", "low" or None for none), ``help`` the header's tooltip, ``glossary``
    the glossary entry (a term of :data:`ui.text.GLOSSARY`) it points to, and ``optional``
    whether it waits in the column chooser (True) or is shown by default."""

    kind: str
    better: str | None
    help: str
    glossary: str | None = None
    optional: bool = False


# column -> summary key: the scores (overall and ``*_by_segment``) and the per-drift figures
SCORE_KEYS = {"Accuracy": "accuracy", "Kappa": "kappa", "Kappa-M": "kappa_m",
              "Kappa-T": "kappa_t", "Balanced acc.": "balanced_accuracy", "Macro F1": "macro_f1"}
DRIFT_KEYS = {"Pre-drift level": "pre_drift_accuracy", "Max drop": "max_drop",
              "Noise margin": "recovery_tolerance", "Recovery": "recovery",
              "Accuracy lost": "area_lost"}

COLUMNS: dict[str, Column] = {
    "Contender": Column("text", None, "Baselines, marked '(baseline)' and greyed, are "
                        "references the lab adds: they are never highlighted as best.",
                        "Baselines"),
    "Status": Column("text", None, "'ok', or 'failed' (the Error column and the warning above "
                     "say why)."),
    "Accuracy": Column("percent", "high", "Share of the scored samples predicted right, each "
                       "tested before it was learned.", "Prequential evaluation"),
    "Kappa": Column("kappa", "high", "Cohen's kappa: accuracy corrected for chance agreement "
                    "with the class shares. 0 = no better than chance; empty = undefined.",
                    "Kappa"),
    "Kappa-M": Column("kappa", "high", "Kappa against always predicting the majority class "
                      "(as MOA counts it). Below 0 = worse than that shortcut.", "Kappa",
                      optional=True),
    "Kappa-T": Column("kappa", "high", "Kappa-temporal: against predicting the previous "
                      "sample's label. Below 0 = worse than the no-change shortcut.", "Kappa",
                      optional=True),
    "Balanced acc.": Column("percent", "high", "Mean recall over the classes: each class "
                            "counts equally, however rare.", "Balanced accuracy and macro F1",
                            optional=True),
    "Macro F1": Column("percent", "high", "Mean F1 score over the classes: each class counts "
                       "equally, however rare.", "Balanced accuracy and macro F1",
                       optional=True),
    "Beats no-change": Column("yesno", None, "Whether the contender's accuracy is above the "
                              "no-change baseline's (predict the previous label).", "Baselines"),
    # Not highlighted: fewer retrains is not better on its own (a walk-through saw Online's "0"
    # marked best, though it learns every sample: it never retrains from scratch); what
    # training cost is "Trained samples", and with prices the Net cost tab's bill.
    "Retrains": Column("count", None, "From-scratch retrains after the first fit. Not "
                       "highlighted: fewer is not better on its own (an online learner never "
                       "retrains, yet learns every sample); Trained samples is the cost.",
                       "Retrain cost"),
    # Highlighted, fewest best: a cost. "(1.5× stream)" says why it can exceed the stream
    # (a walk-through puzzled over 30,000 for periodic retraining on 20,000 samples).
    "Trained samples": Column("count", "low", "Samples fed to training, all fits and updates "
                              "together: the compute-independent cost. A retrain learns "
                              "samples again, so it can exceed the stream: '1.5× stream' = 1.5 "
                              "times the samples the race went through.", "Retrain cost"),
    # Never highlighted: a measured time varies from run to run (machine load, the clock's
    # resolution), and between fast contenders it is all under a tenth of a second: the
    # walk-through saw "0.00" marked best. "Trained samples" is the reproducible cost.
    "Training CPU s": Column("seconds", None, "Measured training time. It varies from run to "
                             "run, so it is not highlighted: Trained samples is the "
                             "reproducible cost.", "Retrain cost"),
    # Model age is not highlighted: it says how a policy works, not how well (an online
    # learner is freshest by construction; a stale model loses nothing on a stable stream, and
    # a low data age means forgetting, a loss when a concept returns). Accuracy and the drift
    # columns say whether freshness paid.
    "Mean staleness": Column("count", None, "Mean age, in samples, of the newest example the "
                             "deployed model had learned. Not highlighted: fresher is not "
                             "better on its own.", "Staleness"),
    "Max staleness": Column("count", None, "Largest age, in samples, of the newest example "
                            "the deployed model had learned.", "Staleness", optional=True),
    "Mean data age": Column("count", None, "Mean age, in samples, of all the data the deployed "
                            "model was trained on (averaged over the scored samples). Not "
                            "highlighted: younger data is not better on its own.",
                            "Data age"),
    "Error": Column("text", None, "Why a contender failed.", optional=True),
    "Drift": Column("text", None, "The drift (or the point marked on real data) and where its "
                    "change starts.", "Concept drift"),
    "Stretch": Column("text", None, "The stretch of the stream between two drift starts, as "
                      "the story above names it.", "Concept drift"),
    "Pre-drift level": Column("percent", None, "Mean accuracy over the second half of the "
                              "stretch before the drift: the level a recovery must get back "
                              "to.", "Drop and recovery after a drift"),
    "Max drop": Column("points", "low", "Pre-drift level minus the lowest rolling accuracy "
                       "within a window (or the drift's width) after the change, in "
                       "percentage points.", "Drop and recovery after a drift"),
    "Noise margin": Column("points", None, "How far below the pre-drift level the rolling "
                           "accuracy may be and still count as 'back' (three standard errors "
                           "plus one point).", "Drop and recovery after a drift",
                           optional=True),
    "Recovery": Column("recovery", "low", "Samples from the drift's end until the rolling "
                       "accuracy is back within the noise margin and stays there a window; "
                       "0 = no dip; 'not back' = not before the next drift.",
                       "Drop and recovery after a drift"),
    "Accuracy lost": Column("lost", "low", "Pre-drift level minus the accuracy from the "
                            "drift's start to the next drift (or the end), in percentage "
                            "points: the area lost (samples) divided by that stretch's "
                            "length. A 'gain' (below 0) means the contender did better after "
                            "the drift than before it.", "Accuracy lost (area lost)"),
}


# --------------------------------------------------------------------------------------------
# Formatting: the story's rounding
# --------------------------------------------------------------------------------------------
def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def format_cell(column: str, value: Any, seen: int | None = None) -> str:
    """``value`` of ``column`` as the table shows it; "Trained samples" with the samples the
    race went through (``seen``) reads "30,000 (1.5× stream)"
    (:func:`lab.race.report.trained_samples_text`, as the HTML report writes it).

    Shares and drops go through the story's rounding (:func:`lab.spec.numbers.percent_digits`,
    also used by :mod:`lab.race.story`), so a number read in the story is the number in the
    table, digit for digit; kappas keep three
    decimals (they are compared around 0); "–" marks a value that is undefined or not measured
    (a drift before the warm-up's end, a score whose denominator is 0); a recovery that never
    came is "not back" (stored as +inf so that it sorts as the longest).
    """
    kind = COLUMNS[column].kind if column in COLUMNS else "text"
    if kind == "text":
        return "" if value is None else str(value)
    if kind == "yesno":
        if isinstance(value, str):  # already shown as text by overall_table
            return value
        return "–" if _missing(value) else ("yes" if value else "no")
    if _missing(value):
        return "–"
    if kind == "recovery":  # "400 samples", "not back": the unit in the cell, as "pts"
        from lab.race.report import recovery_text

        return recovery_text(value)
    if kind == "percent":
        return f"{percent_digits(value)} %"
    if kind == "points":
        return f"{percent_digits(value)} pts"
    if kind == "lost":  # percentage points; below 0 the drift was a gain
        return format_points_lost(value)
    if kind == "kappa":
        return format_kappa(value)
    if kind == "seconds":
        return f"{value:.2f}"
    if column == "Trained samples" and seen:
        from lab.race.report import trained_samples_text

        return trained_samples_text(value, seen)
    return f"{value:,.0f}"  # counts, samples


# --------------------------------------------------------------------------------------------
# Which columns a table shows: the defaults, and those chosen in its column chooser
# --------------------------------------------------------------------------------------------
def _has_failure(table: pd.DataFrame) -> bool:
    return "Status" in table.columns and bool((table["Status"] != "ok").any())


def default_columns(table: pd.DataFrame) -> list[str]:
    """The columns ``table`` shows before any choice, in its order: the name and every column
    not marked ``optional`` in :data:`COLUMNS`; "Status" only when some contender did not
    finish "ok" (else it reads "ok" on every row). A long table's drift or stretch column is
    left out: :func:`row_groups` shows it as the title of each sub-table."""
    failed = _has_failure(table)
    return [col for col in table.columns if col not in ("Drift", "Stretch")
            and not (col in COLUMNS and COLUMNS[col].optional)
            and (col != "Status" or failed)]


def optional_columns(table: pd.DataFrame) -> list[str]:
    """The columns of ``table`` its column chooser offers, in its order: those marked
    ``optional`` in :data:`COLUMNS` (Kappa-M, Kappa-T, balanced accuracy, macro F1, the noise
    margin, the max staleness, a failure's error)."""
    return [col for col in table.columns if col in COLUMNS and COLUMNS[col].optional]


def shown_columns(table: pd.DataFrame, chosen: list[str] | None = None) -> list[str]:
    """The columns ``table`` shows, in its order: :func:`default_columns` plus the optional
    ones in ``chosen`` (names that are no column of this table are ignored)."""
    keep = set(default_columns(table)) | (set(chosen or []) & set(optional_columns(table)))
    return [col for col in table.columns if col in keep]
