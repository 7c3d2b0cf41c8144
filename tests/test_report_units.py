"""The HTML report writes the drift table in the app's units (issue 13, walk-through): its
"Accuracy lost" column printed samples (2,419) where the app's Summary shows points (40.3 pts).
Both now divide ``area_lost`` by its stretch in one place (``lab.race.drift_points``)."""

from __future__ import annotations

import pytest

from lab.race.report import drift_frame, overall_frame
from ui.tables import cost_table, drift_table, format_cell, overall_table

# Hand-made: drift at 500 of 900 samples, warm-up 100, so its stretch is 400 samples long.
# A lost 80 samples against its pre-drift level (80 / 400 = 20.0 pts), B gained 2 (0.5 pts).
SUMMARY = {"drifts": [{"at": 500, "width": 0}],
           "config": {"evaluation": {"warmup": 100}, "stream": {"n_samples": 900}},
           "contenders": [
               {"name": "A", "status": "ok", "error": None, "accuracy": 0.8, "kappa": 0.6,
                "balanced_accuracy": 0.79, "macro_f1": 0.78, "retrains": 0,
                "train_samples": 100, "train_cpu_s": 0.01, "mean_staleness": 400.0,
                "max_staleness": 800, "data_age_mean": 450.5, "max_drop": [0.3],
                "recovery": [None], "pre_drift_accuracy": [0.9], "area_lost": [80.0]},
               {"name": "B", "status": "ok", "error": None, "accuracy": 0.85, "kappa": 0.7,
                "balanced_accuracy": 0.84, "macro_f1": 0.83, "retrains": 3,
                "train_samples": 2900, "train_cpu_s": 0.2, "mean_staleness": 1.0,
                "max_staleness": 1, "data_age_mean": 2.0, "max_drop": [0.05],
                "recovery": [40.0], "pre_drift_accuracy": [0.85], "area_lost": [-2.0]}]}


def test_accuracy_lost_is_in_points_as_the_app_shows_it():
    report = drift_frame(SUMMARY)
    assert report["Accuracy lost"].tolist() == ["20.0 pts", "0.5 pts gained"]
    app = drift_table(SUMMARY)
    assert report["Accuracy lost"].tolist() == [format_cell("Accuracy lost", v)
                                                for v in app["Accuracy lost"]]
    assert app["Accuracy lost"].tolist() == pytest.approx([80 / 400, -2 / 400])


def test_every_drift_column_reads_as_in_the_app():
    report, app = drift_frame(SUMMARY), drift_table(SUMMARY)
    for mine, theirs in (("Pre-drift level", "Pre-drift level"), ("Max drop", "Max drop"),
                         ("Recovery", "Recovery")):
        assert report[mine].tolist() == [format_cell(theirs, v) for v in app[theirs]], mine
    # the unit in the cell, as "pts" (a walk-through asked "samples?" of a bare "40")
    assert report["Recovery"].tolist() == ["not back", "40 samples"]  # not "40.0"
    unmeasured = {**SUMMARY, "contenders": [{**c, "pre_drift_accuracy": [None], "recovery": [None]}
                                            for c in SUMMARY["contenders"]]}
    assert drift_frame(unmeasured)["Recovery"].tolist() == ["–", "–"]


def test_overall_columns_read_as_in_the_app():
    report, app, costs = overall_frame(SUMMARY), overall_table(SUMMARY), cost_table(SUMMARY)
    for column in ("Accuracy", "Kappa", "Balanced acc.", "Macro F1", "Retrains",
                   "Trained samples"):
        assert report[column].tolist() == [format_cell(column, v) for v in app[column]], column
    assert report["Mean data age"].tolist() == [format_cell("Mean data age", v)
                                                for v in costs["Mean data age"]]
    assert report["Trained samples"].tolist() == ["100", "2,900"]
