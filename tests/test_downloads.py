"""Downloads a scientist wants (issue 13): "Download all", the HTML report, predictions.csv,
named stream.csv columns and the Python version in summary.json.

The zip must hold exactly the files ``python -m lab run`` writes, byte for byte; the report
every race figure's title with plotly.js inlined once; predictions.csv the race's own
per-sample arrays.
"""

from __future__ import annotations

import io
import json
import platform
import zipfile

import numpy as np
import pandas as pd
import plotly.offline
import pytest
from recorded_outputs import MACHINE_DEPENDENT

from helpers import assert_clean, config, new_app
from lab.cli import main
from lab.policies.base import NO_PREDICTION
from lab.race import archive
from lab.race.engine import run_race
from lab.race.metrics import events_frame, summarise, timeline_frame, versions
from lab.race.outputs import output_texts, stream_csv
from lab.race.report import figure_heading, report_figures, report_html
from lab.validate import parse_experiment

CONTENDERS = [
    {"name": "Online <b>*tree*</b>", "model": "river.hoeffding_tree",
     "policy": {"kind": "online"}},
    {"name": "Frozen", "model": "sk.gaussian_nb", "policy": {"kind": "frozen"}},
]


@pytest.fixture(scope="module")
def result():
    """A small SEA race with one drift, a name full of markup, and the baselines."""
    return run_race(parse_experiment(config(
        "sea", n=3000, drifts=[{"at": 2000, "width": 0, "to": {"variant": 2}}],
        contenders=CONTENDERS, baselines=True)))


def read_csv(text: str) -> pd.DataFrame:
    return pd.read_csv(io.StringIO(text), dtype="Int64")


# ---------------------------------------------------------------------------------------------
# predictions.csv
# ---------------------------------------------------------------------------------------------
def test_predictions_csv_equals_the_races_per_sample_arrays(result):
    warmup, n = result.experiment.evaluation.warmup, result.n_done
    table = read_csv(archive.predictions_csv(result))
    assert table["sample"].tolist() == list(range(warmup, n))
    assert table["y"].tolist() == result.stream.y[warmup:n].tolist()
    summary = summarise(result)
    assert [c["name"] for c in summary["contenders"]] == [r.name for r in result.contenders]
    assert len(result.contenders) == 4  # two contenders and the two baselines
    for run, figures in zip(result.contenders, summary["contenders"]):
        predicted, correct = (np.asarray(a)[warmup:n] for a in archive.per_sample_arrays(run))
        column = table[f"{run.name} predicted"]
        assert column.isna().tolist() == (predicted == NO_PREDICTION).tolist()
        assert column.fillna(NO_PREDICTION).tolist() == predicted.tolist()
        assert table[f"{run.name} correct"].tolist() == correct.tolist()
        # the summary's accuracy is the mean of the correct column
        assert table[f"{run.name} correct"].mean() == pytest.approx(figures["accuracy"])


def test_a_sample_the_model_gave_no_label_for_has_an_empty_prediction():
    # river's predict_one gives None before a model has learned a class: the policy records
    # NO_PREDICTION, counted wrong (correct 0)
    result = run_race(parse_experiment(config("sea", n=700, contenders=CONTENDERS[:1])))
    trace = result.contenders[0].trace
    warmup = result.experiment.evaluation.warmup
    trace.predicted[warmup], trace.correct[warmup] = NO_PREDICTION, 0
    first = read_csv(archive.predictions_csv(result)).iloc[0]
    assert pd.isna(first[f"{CONTENDERS[0]['name']} predicted"])
    assert first[f"{CONTENDERS[0]['name']} correct"] == 0


def test_a_failed_contenders_predictions_stop_where_it_failed(monkeypatch):
    from lab.policies import incremental

    original = incremental.OnlinePolicy.run

    def explode(self, lo, hi):
        if lo >= 1500:
            raise RuntimeError("boom")
        return original(self, lo, hi)

    monkeypatch.setattr(incremental.OnlinePolicy, "run", explode)
    result = run_race(parse_experiment(config("sea", n=3000, contenders=[
        {"name": "online", "model": "river.gaussian_nb", "policy": {"kind": "online"}},
        {"name": "frozen", "model": "sk.gaussian_nb", "policy": {"kind": "frozen"}}])))
    table = read_csv(archive.predictions_csv(result)).set_index("sample")
    assert table.loc[:1499, "online correct"].notna().all()
    assert table.loc[1500:, ["online predicted", "online correct"]].isna().all().all()
    assert table["frozen correct"].notna().all()


# ---------------------------------------------------------------------------------------------
# stream.csv and summary.json
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("source,features", [
    ("sea", ["x0", "x1", "x2"]),
    ("sine", ["x0", "x1"]),
    ("agrawal", ["salary", "commission", "age", "elevel", "car", "zipcode", "hvalue", "hyears",
                 "loan"]),
    ("stagger", ["size", "color", "shape"]),
    ("blobs2d", ["x0", "x1"]),
])
def test_stream_csv_names_the_generators_features(source, features):
    result = run_race(parse_experiment(config(source, n=700)))
    header = stream_csv(result).split("\n", 1)[0]
    assert header.split(",") == [*features, "y", "concept"]


def test_summary_versions_name_python_and_the_recording_ignores_them(result):
    assert versions()["python"] == platform.python_version()
    assert summarise(result)["versions"]["python"] == platform.python_version()
    assert "versions" in MACHINE_DEPENDENT  # tests/recorded_outputs.py leaves them out


# ---------------------------------------------------------------------------------------------
# report.html
# ---------------------------------------------------------------------------------------------
@pytest.mark.slow
def test_report_has_every_figure_title_plotly_js_once_and_escaped_names(result):
    summary, timeline, events = summarise(result), timeline_frame(result), events_frame(result)
    stream = result.stream.to_frame()
    page = report_html(summary, timeline, events, stream)
    figures = report_figures(summary, timeline, events, stream)
    titles = [figure_heading(f) for f in figures]
    assert len(figures) == 9 and all(titles)  # the Net cost tab's two charts are the last
    assert titles[-2:] == ["Cumulative cost along the stream", "What each bill is made of"]
    for title in titles:  # once, in its figure: no heading repeats it (session 11)
        assert page.count(title) == 1 and f"<h2>{title}</h2>" not in page, title
    assert page.count("<h2>Charts</h2>") == 1
    assert page.count(plotly.offline.get_plotlyjs()) == 1
    assert page.count("Plotly.newPlot(") == len(figures)
    # the user's markup is shown, never obeyed
    assert "<b>*tree*</b>" not in page
    assert "Online &lt;b&gt;*tree*&lt;/b&gt;" in page
    # the same run gives the same page
    assert page == report_html(summary, timeline, events, stream)
    # without a stream, the data charts are left out
    assert len(report_figures(summary, timeline, events)) == 7


def test_the_story_keeps_a_star_in_a_name_and_turns_bold_into_strong(result):
    from lab.race.report import story_html

    html = story_html(summarise(result))
    assert "<strong>" in html and "**" not in html
    assert "*tree*" in html  # the name's stars, not italics


# ---------------------------------------------------------------------------------------------
# the zip
# ---------------------------------------------------------------------------------------------
def test_zip_members_and_contents_equal_the_files_and_are_reproducible():
    files = {"a.json": "{}\n", "b.csv": "x,y\n1,2\n", "c.bin": b"\x00\x01"}
    data = archive.zip_archive(files)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert z.namelist() == list(files)
        assert z.read("a.json").decode() == files["a.json"]
        assert z.read("c.bin") == files["c.bin"]
        assert z.testzip() is None
    assert archive.zip_archive(files) == data


@pytest.mark.slow
def test_the_apps_download_all_holds_the_cli_files_and_the_report(result):
    from ui import downloads
    from ui.race import package

    out = package(result, result.experiment.to_json(indent=None))
    with zipfile.ZipFile(io.BytesIO(downloads.archive_bytes(out))) as z:
        members = {name: z.read(name).decode("utf-8") for name in z.namelist()}
    assert list(members) == ["config.json", "summary.json", "timeline.csv", "events.csv",
                             "stream.csv", "predictions.csv", "report.html"]
    _, cli_files = output_texts(result, dump_stream=True, predictions=True, report=True)
    assert members == cli_files  # same race object: even the CPU seconds agree


# ---------------------------------------------------------------------------------------------
# the command line
# ---------------------------------------------------------------------------------------------
@pytest.mark.slow
def test_cli_run_writes_report_and_predictions_only_when_asked(tmp_path):
    path = tmp_path / "config.json"
    path.write_text(json.dumps(config("sea", n=1500, contenders=CONTENDERS[1:])))
    assert main(["run", "--config", str(path), "--out", str(tmp_path / "plain"), "--quiet"]) == 0
    assert sorted(p.name for p in (tmp_path / "plain").iterdir()) == [
        "config.json", "events.csv", "summary.json", "timeline.csv"]
    out = tmp_path / "full"
    assert main(["run", "--config", str(path), "--out", str(out), "--quiet", "--report",
                 "--predictions"]) == 0
    assert sorted(p.name for p in out.iterdir()) == [
        "config.json", "events.csv", "predictions.csv", "report.html", "summary.json",
        "timeline.csv"]
    race = run_race(parse_experiment(json.loads(path.read_text())))
    assert (out / "predictions.csv").read_text(encoding="utf-8") == archive.predictions_csv(race)
    page = (out / "report.html").read_text(encoding="utf-8")
    assert page.count(plotly.offline.get_plotlyjs()) == 1 and "<h2>Summary</h2>" in page
    # a run folder holding them may be replaced by a run without them
    assert main(["run", "--config", str(path), "--out", str(out), "--quiet"]) == 0
    assert not (out / "report.html").exists()


# ---------------------------------------------------------------------------------------------
# the app
# ---------------------------------------------------------------------------------------------
@pytest.mark.slow
def test_export_tab_offers_download_all_and_the_report_and_charts_no_html_each():
    at = new_app()
    at.button(key="run").click().run()
    assert_clean(at)
    assert not [b for b in at.get("download_button") if b.proto.label == "HTML"]
    at.session_state["result_tabs"] = "Export"
    at.run()
    assert_clean(at)
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels[:2] == ["Download all (zip)", "Report (HTML)"]
    assert {"config.json", "summary.json", "timeline.csv", "events.csv", "stream.csv",
            "predictions.csv"} <= set(labels)
    # the Net cost tab too: its charts are in the report, pointed to, not downloaded one by one
    at.session_state["result_tabs"] = "Net cost"
    at.run()
    assert_clean(at)
    charts = {c.key for c in at.get("plotly_chart")}
    assert {"net_cost_chart", "ledger_chart"} <= charts and not at.get("download_button")
    assert any("HTML report (Export tab)" in c.value for c in at.caption)


def test_the_zip_and_the_report_are_named_after_the_run(result, monkeypatch):
    """Every run's downloads were "driftlab-run.zip" and "report.html", so a second run's
    collided with the first's (session 11's walk-through): each run's names differ, from the
    buttons the Export tab shows; the same config gives the same names."""
    from streamlit.delta_generator import DeltaGenerator

    from ui import downloads
    from ui.race import package

    def names_shown(out) -> dict[str, str]:
        shown = {}
        monkeypatch.setattr(DeltaGenerator, "download_button",
                            lambda self, label, **kw: shown.setdefault(label, kw["file_name"]))
        downloads.show(out)
        return shown

    first = package(result, result.experiment.to_json(indent=None))
    other_cfg = config("sea", n=1500, contenders=CONTENDERS[1:])
    other_cfg["seed"] = 11
    other = run_race(parse_experiment(other_cfg))
    second = package(other, other.experiment.to_json(indent=None))
    a, b = names_shown(first), names_shown(second)
    for shown, seed in ((a, 5), (b, 11)):
        assert shown["Download all (zip)"].startswith(f"driftlab-run-sea-seed{seed}-")
        assert shown["Download all (zip)"].endswith(".zip")
        assert shown["Report (HTML)"] == shown["Download all (zip)"][:-4] + "-report.html"
    assert a["Download all (zip)"] != b["Download all (zip)"]
    assert a["Report (HTML)"] != b["Report (HTML)"]
    assert names_shown(package(result, result.experiment.to_json(indent=None))) == a
    assert a["config.json"] == "config.json"  # inside the zip, the CLI's names
