"""Plain labels everywhere (issue 13, point 8): every config path has a label for people
(``lab.spec.labels``), the What-if tab and the "setup changed" notice use it, an uploaded file
shows by its name (never the server folder it was saved in), and the What-if table's numbers are
formatted. The label cases are written out by hand, one per path family; the app checks run the
default race, a What-if sweep and a CSV upload through AppTest and read every figure title, axis
title and table header the app builds."""

from __future__ import annotations

import doctest
import json
import re
import tempfile

import pandas as pd
import pytest

from lab.policies.registry import setting_fields
from lab.spec import labels as L
from lab.spec.experiment import EVALUATION_FIELDS, StreamSpec
from lab.spec.labels import describe_changes, format_value, path_label, source_label

CFG = {"seed": 1,
       "stream": {"source": "blobs2d", "n_samples": 20000, "params": {"angle": 0.0},
                  "drifts": [{"at": 8000, "width": 0, "to": {"angle": 90.0}}]},
       "evaluation": {"warmup": 1000},
       "contenders": [{"name": "Frozen batch", "policy": {"kind": "frozen"}},
                      {"name": "Periodic retrain", "policy": {"kind": "periodic"}}]}
CSV_CFG = {**CFG, "stream": {**CFG["stream"],
                             "source": "csv:/tmp/driftlab-uploads/0a1b/2c3d/sensors.csv"}}


@pytest.mark.parametrize("path, config, label", [
    # the examples
    ("contenders[1].policy.every", CFG, "Periodic retrain: samples between retrains"),
    ("stream.drifts[0].to.angle", CFG, "Drift 1: angle after the drift (degrees)"),
    ("evaluation.label_delay", None, "Label delay (samples)"),
    ("stream.label_noise", None, "Label noise (share of labels)"),
    # top level and stream
    ("seed", None, "Random seed"),
    ("stream.n_samples", CFG, "Stream length (samples)"),
    ("stream.source", CFG, "Stream source"),
    ("stream.params.angle", CFG, "Generator: angle (degrees)"),
    ("stream.params.noise_percentage", CFG, "Generator: label noise (share of labels)"),
    ("stream.params.target", CSV_CFG, "CSV: label column"),
    ("stream.params.max_mb", CSV_CFG, "CSV: size limit (MB)"),
    ("stream.params.my_param", CFG, "Generator: my param"),
    ("stream.drifts[2]", CFG, "Drift 3"),
    ("stream.drifts[0].at", CFG, "Drift 1: position (sample)"),
    ("stream.drifts[1].width", CFG, "Drift 2: width (samples)"),
    ("stream.drifts[0].shape", CFG, "Drift 1: shape"),
    ("stream.drifts[0].to", CFG, "Drift 1: concept after the drift"),
    # evaluation
    ("evaluation.warmup", None, "Warm-up (samples)"),
    ("evaluation.window", None, "Accuracy window (samples)"),
    ("evaluation.step", None, "Timeline step (samples)"),
    ("evaluation.baselines", None, "Baselines raced"),
    # contenders: by their displayed name, "Contender k" when the config has no such one
    ("contenders[0]", CFG, "Frozen batch"),
    ("contenders[0].name", CFG, "Frozen batch: name"),
    ("contenders[0].model", CFG, "Frozen batch: model"),
    ("contenders[0].model.name", CFG, "Frozen batch: model"),
    ("contenders[0].model.params.max_depth", CFG, "Frozen batch: model setting max depth"),
    ("contenders[1].policy.kind", CFG, "Periodic retrain: update policy"),
    ("contenders[1].policy.window", CFG, "Periodic retrain: training window (samples)"),
    ("contenders[1].policy.detector_params.delta", CFG,
     "Periodic retrain: drift detector setting delta"),
    ("contenders[7].policy.every", CFG, "Contender 8: samples between retrains"),
    ("contenders[1].policy.every", None, "Contender 2: samples between retrains"),
    # unknown or malformed paths: words, never brackets, never an exception
    ("foo.bar_baz[2].qux", None, "Foo: bar baz 3: qux"),
    ("evaluation.nonsense", None, "Evaluation: nonsense"),
    ("contenders.x", None, "Contenders: x"),
    ("a[b", None, "A: b"),
    ("", None, "Setting"),
    ("[[[]]]...", None, "Setting"),
])
def test_each_path_family_has_its_hand_written_label(path, config, label):
    assert path_label(path, config) == label


def test_every_key_the_config_knows_has_its_own_label_not_the_fallback():
    assert set(EVALUATION_FIELDS) <= set(L.EVALUATION_LABELS)
    assert set(setting_fields()) | {"kind"} <= set(L.POLICY_LABELS)
    assert set(StreamSpec.__dataclass_fields__) <= set(L.STREAM_LABELS)
    from lab.data.csv.limits import CSV_PARAMS
    from lab.data.generators import GENERATORS

    assert set(CSV_PARAMS) <= set(L.CSV_PARAM_LABELS)
    params = {p for info in GENERATORS.values() for p in info.defaults}
    assert params <= set(L.GENERATOR_PARAM_LABELS), params - set(L.GENERATOR_PARAM_LABELS)


@pytest.mark.parametrize("path", [
    "contenders[-1].policy.every", "contenders[99999999999999999999]", "stream.drifts[x].at",
    "stream.drifts.at", "stream.params", "stream", "contenders", "contenders[0].policy",
    "contenders[0].model.params", "]]a.b[[", "...", "a" * 5000, "stream.drifts[0].to.angle.x",
    "<b>x</b>[0]", 12, None])
@pytest.mark.parametrize("config", [None, {}, CFG, {"contenders": "x"}, {"stream": None},
                                    {"contenders": [None, 3]}])
def test_any_path_gives_a_readable_label_without_brackets(path, config):
    label = path_label(path, config)
    assert isinstance(label, str) and label
    assert "[" not in label and "]" not in label and "policy." not in label


def test_values_and_sources_read_as_people_write_them():
    assert format_value("stream.n_samples", 20000) == "20,000"
    assert format_value("contenders[1].policy.every", 1500.0) == "1,500"
    assert format_value("stream.label_noise", 0.1) == "0.1"
    assert format_value("x", 5333.3333) == "5,333"
    assert format_value("x", 0.74451) == "0.7445"
    assert format_value("seed", 12345) == "12345"
    assert format_value("evaluation.baselines", False) == "no"
    assert format_value("x", {"angle": 45}) == '{"angle": 45}'
    assert format_value("x", list(range(40))).endswith("…")
    assert len(format_value("x", list(range(40)))) == 24
    assert source_label(CSV_CFG["stream"]["source"]) == "sensors.csv (uploaded CSV file)"
    assert source_label("dataset:elec2") == "elec2 data set"  # no such data set: its key
    assert source_label("sea") == "SEA"  # as the sidebar's source list names it


def test_the_change_text_names_labels_and_values_never_paths():
    removed = json.loads(json.dumps(CFG))
    removed["stream"]["drifts"][0]["to"] = {}
    angle = "Drift 1: angle after the drift (degrees)"
    assert describe_changes(CFG, removed) == f"{angle} 90 → (removed)"
    assert describe_changes(removed, CFG) == f"{angle} (none) → 90"
    more = json.loads(json.dumps(CFG))
    more["stream"]["drifts"].append({"at": 15000, "width": 0, "to": {"angle": 0.0}})
    more["contenders"][1]["policy"]["every"] = 1500
    assert describe_changes(CFG, more) == ("Drift 2 added, "
                                           "Periodic retrain: samples between retrains "
                                           "(none) → 1,500")
    assert describe_changes(more, CFG, limit=1) == "Drift 2 removed (+1 more)"
    # an upload: the file's name, and the old generator's parameters are not listed one by one
    text = describe_changes(CFG, CSV_CFG)
    assert text == "Stream source 2-D blobs → sensors.csv (uploaded CSV file)"
    assert describe_changes(CFG, CFG) == "same config"


def test_the_change_text_stays_short_and_never_leaks_a_path():
    cfg2 = json.loads(json.dumps(CSV_CFG))
    cfg2["contenders"][0]["name"] = "Frozen (renamed)"
    cfg2["evaluation"]["warmup"] = 500
    cfg2["seed"] = 7
    text = describe_changes(CFG, cfg2, limit=10)
    for bad in ("[", "]", "contenders", "policy.", "csv:", "driftlab-uploads"):
        assert bad not in text, (bad, text)
    assert "Warm-up (samples) 1,000 → 500" in text and "Random seed 1 → 7" in text
    assert "Frozen (renamed): name Frozen batch → Frozen (renamed)" in text


def test_ui_state_config_diff_is_the_plain_change_text():
    from ui.state import config_diff

    assert config_diff(CFG, CSV_CFG) == describe_changes(CFG, CSV_CFG)


def test_labels_doctests():
    assert doctest.testmod(L, optionflags=doctest.ELLIPSIS).failed == 0


# ---------------------------------------------------------------------------------------------
# The What-if table: plain headers, formatted numbers
# ---------------------------------------------------------------------------------------------
EVERY = "contenders[1].policy.every"


def _sweep_summary(n_failed: int = 0) -> pd.DataFrame:
    from lab.sweep.stats import SUMMARY_METRICS

    rows = []
    for s, every in enumerate((1500, 3000)):
        for name, acc, trained in (("Frozen batch", 0.7446, 1000.0),
                                   ("Periodic retrain", 0.81234, 5333.3333)):
            row = {"setting": s, EVERY: every, "contender": name, "n_seeds": 3,
                   "n_failed": n_failed}
            for m in SUMMARY_METRICS:
                row.update({f"{m}_mean": 2.5, f"{m}_ci_low": 2.0, f"{m}_ci_high": 3.0})
            row.update({"accuracy_mean": acc, "accuracy_ci_low": acc - 0.0123,
                        "accuracy_ci_high": acc + 0.0123, "train_samples_mean": trained,
                        "train_cpu_s_mean": 0.123456, "mean_staleness_mean": 1234.5})
            rows.append(row)
    return pd.DataFrame(rows)


def _cells(styler) -> list[str]:
    html = styler.to_html()
    return [c.strip() for c in re.findall(r"<td[^>]*>([^<]*)</td>", html)]


def test_the_whatif_table_has_plain_headers_and_formatted_numbers():
    from ui.whatif import results_table, styled_results

    table = results_table(_sweep_summary(), [EVERY], CFG)
    assert list(table.columns) == [
        "Periodic retrain: samples between retrains", "Contender", "Accuracy",
        "Accuracy 95 % CI", "Trained samples", "Training CPU s", "Retrains", "Mean staleness",
        "Total cost", "Seeds"]  # no "Failed runs" column when nothing failed
    assert table["Accuracy"].tolist()[:2] == [0.7446, 0.81234]  # the data keep full precision
    cells = _cells(styled_results(table))
    # hand-computed: 100 * 0.7446 = 74.46 -> "74.5 %"; 0.7446 -+ 0.0123 -> 73.2 and 75.7;
    # 5333.3333 -> "5,333"; 1500 -> "1,500"; retrains 2.5 -> "2.5"; 0.123456 s -> "0.12"
    for shown in ("74.5 %", "81.2 %", "73.2–75.7 %", "5,333", "1,000", "1,500", "3,000", "2.5",
                  "0.12", "1,234", "3", "2.50"):  # total cost 2.5 -> "2.50"
        assert shown in cells, (shown, cells)
    for raw in ("0.7446", "5333.3333", "5333.333300", "0.744600", "1500"):
        assert raw not in cells, (raw, cells)
    failed = results_table(_sweep_summary(n_failed=1), [EVERY], CFG)
    assert "Failed runs" in failed.columns


def test_two_varied_paths_with_one_label_keep_two_columns():
    from ui.whatif import results_table

    summary = _sweep_summary()
    summary["contenders[9].policy.every"] = summary[EVERY]
    table = results_table(summary, [EVERY, "contenders[9].policy.every"],
                          {"contenders": [{"name": "A"}] * 10})
    assert len([c for c in table.columns if c.startswith("A: samples between")]) == 2


# ---------------------------------------------------------------------------------------------
# The app: nothing internal in titles, headers, notices or the story
# ---------------------------------------------------------------------------------------------
FORBIDDEN = ("[", "]", "contenders", "policy.", "csv:", "driftlab-uploads",
             tempfile.gettempdir() + "/")


def _titles(spec: dict) -> list[str]:
    """Every title a figure shows: the figure's, each axis', the legend's, colour bars',
    and annotations (subplot titles, drift labels)."""
    layout, out = spec.get("layout", {}), []

    def text(node):
        if isinstance(node, dict):
            node = node.get("text")
        return "" if node is None else str(node)

    out.append(text(layout.get("title")))
    for key, value in layout.items():
        if re.match(r"^[xy]axis\d*$", key) and isinstance(value, dict):
            out.append(text(value.get("title")))
    out.append(text(layout.get("legend", {}).get("title")))
    out += [text(a) for a in layout.get("annotations", [])]
    for trace in spec.get("data", []):
        out.append(text(trace.get("colorbar", {}).get("title")))
    return [t for t in out if t]


def _leaks(at) -> list[tuple[str, str]]:
    found = []
    for chart in at.get("plotly_chart"):
        for title in _titles(json.loads(chart.proto.spec)):
            found += [("figure", title) for bad in FORBIDDEN if bad in title]
    for frame in at.dataframe:
        for header in map(str, frame.value.columns):
            found += [("table header", header) for bad in FORBIDDEN if bad in header]
    return found


def _texts(at) -> list[str]:
    out = []
    for kind in ("markdown", "caption", "info", "warning", "success", "text"):
        out += [str(e.value) for e in at.get(kind)]
    for box in at.selectbox:
        out += [str(o) for o in box.options]  # as shown (after format_func)
    return out


def _visit_every_tab(at) -> list[tuple[str, str]]:
    from ui.pages.race_lab import RESULT_TABS

    leaks = []
    for name, _ in RESULT_TABS:
        at.session_state["result_tabs"] = name  # tabs are lazy: only the open one is built
        at.run()
        assert not at.exception, (name, [e.value for e in at.exception])
        leaks += [(name, *leak) for leak in _leaks(at)]
    return leaks


@pytest.mark.slow
def test_the_default_race_and_a_whatif_sweep_show_no_internal_names():
    from helpers import new_app

    at = new_app(timeout=120)
    at.button(key="run").click().run()
    assert not at.exception
    assert _visit_every_tab(at) == []
    at.session_state["result_tabs"] = "What-if"
    at.run()
    assert at.selectbox(key="whatif_p1").value == EVERY
    options = at.selectbox(key="whatif_p1").options
    assert "Periodic retrain: samples between retrains" in options  # the label, not the path
    assert not [o for o in options if any(bad in o for bad in FORBIDDEN)], options
    at.selectbox(key="whatif_p2").set_value("evaluation.label_delay").run()
    at.text_input(key="whatif_v1").input("3000,6000")
    at.text_input(key="whatif_v2").input("0,500")
    at.number_input(key="whatif_seeds").set_value(1).run()
    at.button(key="whatif_run").click().run()
    assert not at.exception and not at.error
    assert _leaks(at) == []
    table = next(d.value for d in at.dataframe if "Accuracy" in d.value.columns)
    assert {"Periodic retrain: samples between retrains", "Label delay (samples)"} <= set(
        table.columns)
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert spec["layout"]["xaxis"]["title"]["text"] == "Periodic retrain: samples between retrains"


@pytest.mark.slow
def test_the_setup_changed_notice_is_plain():
    from helpers import new_app

    at = new_app(timeout=120)
    at.button(key="run").click().run()
    at.number_input(key="n_samples").set_value(18000).run()  # drifts still fit
    ids = at.session_state["contender_ids"]
    periodic = next(u for u in ids if at.session_state[f"c{u}_kind"] == "periodic")
    at.number_input(key=f"c{periodic}_every").set_value(1500).run()
    notices = [i.value for i in at.info if "The setup changed" in i.value]
    assert notices == ["The setup changed since the run shown: Stream length (samples) "
                       "20,000 → 18,000, Periodic retrain: samples between retrains "
                       "3,000 → 1,500. Press **Run** to race it."], notices
    for text in _texts(at):  # the overlay picker's labels say the same, in the same words
        assert "contenders[" not in text and "drifts[" not in text, text


@pytest.mark.slow
def test_an_uploaded_csv_shows_by_its_name_never_its_server_folder():
    from pathlib import Path

    from helpers import new_app

    good = Path(__file__).parent / "data" / "good" / "sensors.csv"
    at = new_app(timeout=120)
    at.session_state["_test_upload"] = {"name": "sensors.csv", "data": good.read_bytes(),
                                        "params": {"csv_missing": "impute_median"}}
    at.run()
    for key, value in (("warmup", 10), ("window", 20), ("step", 5)):
        at.number_input(key=key).set_value(value).run()
    at.button(key="run").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    out = at.session_state["history"][-1]["outputs"]
    assert "driftlab-uploads" in out["config"]["stream"]["source"]  # config.json keeps it
    assert _visit_every_tab(at) == []
    at.session_state["result_tabs"] = "Boundary"  # 3 features: the tab says so, by file name
    at.run()
    boundary = [i.value for i in at.info if "decision-boundary" in i.value]
    assert boundary and "sensors.csv (uploaded CSV file)" in boundary[0], boundary
    # back to a generator: the notice names the file, not its folder
    at.selectbox(key="source").set_value("blobs2d").run()
    notices = [i.value for i in at.info if "The setup changed" in i.value]
    assert notices and "sensors.csv (uploaded CSV file) → 2-D blobs" in notices[0]
    story = "\n".join(m.value for m in at.markdown)
    for text in _texts(at) + [story]:
        assert "csv:" not in text and "driftlab-uploads" not in text, text
