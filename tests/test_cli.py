"""The CLI's commands, their help and the output files' contract."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from lab.cli import main
from lab.presets import PRESETS

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_run_preset_writes_the_contract_files(tmp_path, capsys):
    assert main(["run", "--preset", "sudden", "--out", str(tmp_path), "--dump-stream"]) == 0
    out = capsys.readouterr().out
    assert "Frozen batch" in out and "wrote" in out
    summary = json.loads((tmp_path / "summary.json").read_text())
    assert set(summary) >= {"config", "n_samples", "drifts", "contenders", "versions"}
    assert set(summary["versions"]) == {"python", "lab", "river", "sklearn", "numpy"}
    assert summary["drifts"] == [{"at": 6000, "width": 0, "shape": "span",
                                  "start": 6000, "end": 6000}]
    scores = ("kappa", "kappa_m", "kappa_t", "balanced_accuracy", "macro_f1")
    drift_keys = ("recovery", "max_drop", "area_lost", "pre_drift_accuracy",
                  "recovery_tolerance")
    keys = {"name", "baseline", "beats_no_change",
            "status", "error", "accuracy", "accuracy_by_segment", "retrains",
            "train_samples", "train_cpu_s", "mean_staleness", "max_staleness",
            "data_age_mean", *drift_keys,
            *scores, *(f"{s}_by_segment" for s in scores), "cost", "cost_total"}
    for c in summary["contenders"]:
        assert set(c) == keys
        assert all(len(c[k]) == 1 for k in drift_keys)
        assert all(len(c[k]) == 2 for k in ["accuracy_by_segment"]
                   + [f"{s}_by_segment" for s in scores])
    timeline = pd.read_csv(tmp_path / "timeline.csv")
    assert list(timeline.columns) == ["t", "contender", "acc_window", "acc_cum", "staleness",
                                      "data_age", "train_samples_cum", "train_cpu_s_cum",
                                      "retrains_cum"] + [
        f"{s}_{kind}" for kind in ("window", "cum") for s in scores] + [
        "cost_compute", "cost_retrains", "cost_labels", "cost_errors", "cost_total"]
    assert len(timeline) == 4 * (15000 - 1000) // 100
    events = pd.read_csv(tmp_path / "events.csv")
    assert list(events.columns) == ["t", "contender", "kind", "detail"]
    assert set(events["kind"]) <= {"retrain_start", "deploy", "drift_alarm", "failure"}
    assert {"retrain_start", "deploy", "drift_alarm"} <= set(events["kind"])
    stream = pd.read_csv(tmp_path / "stream.csv")
    assert list(stream.columns) == ["x0", "x1", "y", "concept"] and len(stream) == 15000
    assert stream["concept"].iloc[5999] == 0 and stream["concept"].iloc[6000] == 1
    # the normalised config reproduces the run
    assert json.loads((tmp_path / "config.json").read_text()) == summary["config"]


def test_presets_schema_validate(tmp_path, capsys):
    assert main(["presets"]) == 0
    listing = capsys.readouterr().out
    for name in PRESETS:
        assert name in listing
    assert main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert schema["title"] == "Driftlab experiment"
    path = tmp_path / "c.json"
    path.write_text(json.dumps(PRESETS["stable"].config))
    assert main(["validate", "--config", str(path)]) == 0
    assert json.loads(capsys.readouterr().out)["evaluation"]["warmup"] == 2000


def test_validate_warns_about_a_drift_that_changes_nothing(tmp_path, capsys):
    config = {"seed": 1, "stream": {"source": "sea", "n_samples": 3000, "params": {"variant": 1},
                                    "drifts": [{"at": 1000, "to": {"variant": 1}},
                                               {"at": 2000, "to": {"variant": 2}}]},
              "contenders": [{"name": "F", "model": "sk.gaussian_nb",
                              "policy": {"kind": "frozen"}}]}
    path = tmp_path / "c.json"
    path.write_text(json.dumps(config))
    assert main(["validate", "--config", str(path)]) == 0
    warnings = [line for line in capsys.readouterr().err.splitlines() if "warning" in line]
    assert warnings == ["warning: stream.drifts[0] (at 1,000) changes nothing: its `to` is the "
                        "concept already in force. Fix: give `to` a parameter value that differs "
                        "from the one before it, or remove the drift"]
    config["stream"]["drifts"][0]["to"] = {"variant": 3}
    path.write_text(json.dumps(config))
    assert main(["validate", "--config", str(path)]) == 0
    assert "warning" not in capsys.readouterr().err


@pytest.mark.parametrize("command", ["run", "presets", "schema", "validate"])
def test_every_command_has_help_with_an_example(command):
    proc = subprocess.run([sys.executable, "-m", "lab", command, "--help"], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0
    assert "example" in proc.stdout and f"python -m lab {command}" in proc.stdout
