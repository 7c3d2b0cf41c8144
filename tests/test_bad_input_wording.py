"""Bad input in the editor is refused by name, and the words the app shows are plain (issue 13,
the new-user walk-through): out-of-range numbers, CSV mapping labels, links, the report."""

from __future__ import annotations

import pytest

from helpers import config, new_app
from lab.spec.errors import ConfigError
from ui import state as S
from ui.urls import encode_config

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def small_link_app():
    """The app opened on a link of a small SEA race with one drift: the link races it (run 1)."""
    cfg = config(n=3000, drifts=[{"at": 1500, "width": 0, "to": {"variant": 1}}])
    at = new_app(config=encode_config(cfg))
    assert not at.exception and len(at.session_state["history"]) == 1
    return at


def errors(at) -> list[str]:
    return [e.value for e in at.error]


@pytest.mark.slow  # the app, one small race and two reruns without racing
def test_a_number_out_of_range_turns_run_off_and_names_the_field_and_the_stale_results():
    at = small_link_app()
    at.number_input(key="n_samples").set_value(-5).run()
    assert not at.exception  # a bounded widget raised here for a value below its min_value
    assert at.button(key="run").disabled
    message = " ".join(errors(at))
    assert "Samples: is -5, below 1" in message, message
    assert "Fix: type the stream's length" in message
    assert "results below are still those of run 1" in message
    assert len(at.session_state["history"]) == 1  # nothing raced

    at.number_input(key="n_samples").set_value(3000).run()
    assert not errors(at) and not at.button(key="run").disabled


@pytest.mark.parametrize("key, value, needle", [
    ("label_noise", 0.7, "Label noise: is 0.7, above 0.5"),
    ("seed", -1, "Seed: is -1, below 0"),
    ("warmup", 0, "Warm-up: is 0, below 1"),
    ("label_delay", -100, "Label delay: is -100, below 0"),
    ("step", 0, "Step: is 0, below 1"),
    ("d0_at", -1, "Drift 1 · At sample: is -1, below 1"),
    ("d0_width", -500, "Drift 1 · Width: is -500, below 0"),
    ("c0_every", -3, "Contender “Periodic” · Retrain every (samples): is -3, below 1"),
])
def test_check_numbers_names_each_field_as_the_page_labels_it(key, value, needle):
    state = S.state_from_config(config(drifts=[{"at": 1500, "to": {"variant": 1}}], contenders=[
        {"name": "Periodic", "model": "sk.gaussian_nb",
         "policy": {"kind": "periodic", "every": 500}}]))
    S.config_from_state(state)  # in range: no error
    state[key] = value
    with pytest.raises(ConfigError) as caught:
        S.config_from_state(state)
    assert str(caught.value).startswith(needle), caught.value
    assert "Run stays off until then" in str(caught.value)
    state["history"] = [{"id": 4}]
    with pytest.raises(ConfigError, match="still those of run 4"):
        S.config_from_state(state)


@pytest.mark.slow  # the app and one upload, no race
def test_sources_models_and_an_upload_read_plainly():
    import numpy as np
    import pandas as pd

    from lab.learners import MODELS

    at = new_app()  # the default race: batch and online contenders, so every model is offered
    sources = at.selectbox(key="source").options
    assert "Electricity (Elec2)" in sources and "SEA" in sources and "2-D blobs" in sources
    assert not [s for s in sources if ":" in s or "dataset" in s], sources
    pickers = [at.selectbox(key=f"c{uid}_model") for uid in at.session_state["contender_ids"]]
    offered = {label for picker in pickers for label in picker.options}
    assert len(offered) == len(MODELS), offered  # every model, each under its own name
    for label in offered:
        name, library = label.split(" · ")
        # a display name, not the key in words ("hoeffding tree")
        assert library in ("scikit-learn", "river") and name != name.lower(), label
        assert "_" not in label and "." not in label and not any(m in label for m in MODELS)
    assert not [p.help for p in pickers if "**sk." in p.help or "**river." in p.help]

    rng = np.random.default_rng(1)
    frame = pd.DataFrame({"temp": rng.normal(20, 3, 2000).round(2),
                          "label": rng.choice(["ok", "fault"], 2000)})
    frame.loc[[3, 30], "temp"] = None
    at.session_state["_test_upload"] = {"name": "two_thousand.csv",
                                        "data": frame.to_csv(index=False).encode()}
    at.run()
    assert not at.exception
    samples = [n for n in at.sidebar.number_input if n.label == "Samples"]
    assert len(samples) == 1 and samples[0].value == 2000  # was 20,000, the generators' length
    assert samples[0].disabled and at.session_state["n_samples"] == 20000  # kept for later
    order = at.selectbox(key="csv_time")
    assert order.label == "Order rows by" and order.value == "" and order.options[0] == "file order"
    missing = at.selectbox(key="csv_missing")
    assert missing.value == "impute_median" and "fill with the median" in missing.options
    assert not [o for o in missing.options if "_" in o]  # no rule keys shown
    captions = "\n".join(c.value for c in at.caption)
    assert "2,000 rows · missing values: fill with the median · 2 filled in temp" in captions


@pytest.mark.slow  # the app, two zips through the opener, one small race
def test_a_download_all_zip_opens_or_says_which_file_to_use():
    import json

    from lab.race.archive import ARCHIVE_FILE, zip_archive
    from lab.validate import parse_experiment

    def results_zip(cfg: dict) -> bytes:
        return zip_archive({"config.json": json.dumps(cfg, indent=2) + "\n",
                            "summary.json": "{}\n", "timeline.csv": "t\n",
                            "events.csv": "t\n", "report.html": "<html></html>\n"})

    at = new_app()
    csv_run = config(source="csv:sensors.csv", params={"target": "label"})
    at.session_state["_test_upload"] = {"name": ARCHIVE_FILE, "data": results_zip(csv_run),
                                        "bundle": True}
    at.run()
    message = " ".join(errors(at))
    assert "“Download all” zip" in message and "not the data file" in message, message
    assert "open that run's bundle instead" in message
    assert at.session_state["source"] == "blobs2d"  # the default race is still there

    generated = parse_experiment(config(n=2000, warmup=300)).to_dict()
    at.session_state["_test_upload"] = {"name": ARCHIVE_FILE, "data": results_zip(generated),
                                        "bundle": True}
    at.run()
    assert not at.exception and not errors(at)
    assert at.session_state["source"] == "sea" and at.session_state["n_samples"] == 2000
    assert at.session_state["history"][-1]["outputs"]["config"]["stream"]["n_samples"] == 2000


def test_link_errors_use_plain_labels_and_a_csv_link_points_to_bundles():
    from ui.urls import config_from_query

    _, warnings = config_from_query({"n_samples": "-5", "warmup": "-1"})
    assert warnings[0].startswith("The link's parameter n_samples=-5 was ignored: Stream length "
                                  "(samples) must be an integer >= 1"), warnings
    assert "Warm-up (samples) must be" in warnings[1] and "than the stream length" in warnings[1]
    assert not [w for w in warnings if "stream.n_samples" in w or "evaluation." in w]
    _, warnings = config_from_query({"config": encode_config(config(source="csv:/x/data.csv"))})
    assert "Stream source names a CSV file" in warnings[0]
    assert "as a bundle" in warnings[0] and "--bundle" in warnings[0], warnings


def test_scores_durations_and_baselines_are_written_one_way():
    from lab.budget import RaceEstimate
    from lab.race.report import drift_frame, overall_frame
    from lab.spec.labels import format_duration, format_kappa

    assert format_kappa(-0.0004) == "0.000" and format_kappa(-0.0005001) == "-0.001"
    from ui.tables import format_cell  # the Summary tab's kappas too
    assert format_cell("Kappa", -0.0004) == "0.000"
    estimate = RaceEstimate(seconds=32553 * 3600, updates=10, timeline_rows=1, memory_bytes=1,
                            step_seconds=1, step_what="x")
    assert estimate.describe().startswith("about 3.7 years (")  # was "about 32553 h"
    assert format_duration(36 * 3600) == "36 h" and format_duration(3 * 86400) == "3 days"
    summary = {"contenders": [
        {"name": "Online", "status": "ok", "accuracy": 0.81234, "kappa": -0.0001,
         "balanced_accuracy": 0.7, "macro_f1": 0.5678, "retrains": 0, "train_samples": 10,
         "mean_staleness": 1, "data_age_mean": 2, "max_drop": [0.1049]},
        {"name": "No-change baseline", "baseline": True, "status": "ok", "accuracy": 0.5,
         "kappa": 0.0, "macro_f1": 0.5}],
        "drifts": [{"at": 100}]}
    rows = overall_frame(summary).to_dict("records")
    # the app's Summary table: Macro F1 "56.8 %" (ui.tables, percent), kappa three decimals
    assert rows[0]["Macro F1"] == "56.8 %" and rows[0]["Kappa"] == "0.000"
    assert rows[0]["Accuracy"] == "81.2 %"
    assert rows[1]["Contender"] == "No-change baseline"  # not "... baseline (baseline)"
    assert drift_frame(summary).loc[0, "Max drop"] == "10.5 pts"
    # the What-if answer's kappas and the Net cost tab's ledger write them the same way
    from lab.sweep.answer import format_score as answer_score
    from ui.costs import ledger_table

    assert answer_score("kappa", -0.0001) == "0.000"
    assert answer_score("macro_f1", 0.5678) == "56.8 %"
    assert list(ledger_table(summary)["contender"]) == ["Online", "No-change baseline"]


def test_a_model_has_one_display_name_everywhere():
    """The model picker, contender names and the "setup changed" notice name a model alike."""
    from lab.learners import MODELS
    from lab.spec.labels import describe_changes, model_display_name
    from ui.contenders import base_name
    from ui.text import model_label

    for key, info in MODELS.items():
        words = model_display_name(key, with_library=False)
        assert base_name("online", key) == f"Online ({words})", key
        assert model_label(key, info).startswith(words + " · ")
    change = describe_changes({"contenders": [{"name": "P", "model": "river.hoeffding_tree"}]},
                              {"contenders": [{"name": "P", "model": "sk.decision_tree"}]})
    assert change == "P: model Hoeffding tree (river) → Decision tree (scikit-learn)"
