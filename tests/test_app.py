"""The Streamlit app through streamlit.testing.v1.AppTest (no browser).

The app must load cleanly, render every tab after the default race, turn widget changes into the
config it runs, give the same numbers as ``python -m lab run`` for that config, and meet broken
input (URL parameters, pasted / uploaded configs, crashing contenders) with a message, never an
exception.
"""

from __future__ import annotations

import copy
import doctest
import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from helpers import assert_clean, new_app
from lab.cli import main
from lab.presets import PRESETS, load_preset
from lab.spec.labels import reference_name
from lab.validate import parse_experiment

# Every test here runs the whole app (AppTest or a browser): seconds each, not the quick loop.
pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
TABS = ("Accuracy", "Staleness", "Cost", "Trade-off", "Summary", "Data", "Export")






def open_tab(at: AppTest, name: str) -> AppTest:
    at.session_state["result_tabs"] = name  # tabs are lazy: only the open one is built
    return at.run()


def url_config(at: AppTest) -> dict:
    from ui.urls import decode_config

    return decode_config(at.query_params["config"][0] if isinstance(at.query_params["config"], list)
                         else at.query_params["config"])


def story(at: AppTest) -> str:
    """The story's Markdown: the markdown elements inside the ``driftlab_story`` container."""
    def walk(node, inside=False):
        inside = inside or str(getattr(getattr(node, "proto", None), "id", "")).endswith(
            "-driftlab_story")
        if getattr(node, "type", None) == "markdown" and inside:
            yield node.value
        for child in (getattr(node, "children", None) or {}).values():
            yield from walk(child, inside)

    return "\n".join(walk(at._tree))


def cli_summary(config: dict, tmp_path: Path) -> dict:
    """summary.json of ``python -m lab run`` on ``config``: the command's own entry
    (``lab.cli.main``) in this process, which a separate process would only add imports to."""
    path = tmp_path / "config.json"
    path.write_text(json.dumps(config))
    assert main(["run", "--quiet", "--config", str(path), "--out", str(tmp_path / "out")]) == 0
    return json.loads((tmp_path / "out" / "summary.json").read_text())


# ---------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def ran() -> AppTest:
    """The app after one click on Run with the default race."""
    at = new_app()
    at.button(key="run").click().run()
    assert_clean(at)
    return at


def test_app_loads_with_the_default_race_ready():
    at = new_app()
    assert_clean(at)
    assert not at.button(key="run").disabled
    assert at.session_state["contender_ids"] == [0, 1, 2, 3]
    assert at.number_input(key="n_samples").value == 20000
    names = [at.text_input(key=f"c{i}_name").value for i in range(4)]
    assert names == [c["name"] for c in PRESETS["default"].config["contenders"]]


def test_default_run_renders_every_tab(ran):
    assert "Before the first drift" in story(ran) and "Overall" in story(ran)
    # the app races the baselines by default ("Show baselines"), and its link says so
    assert url_config(ran) == load_preset("default").with_overrides(
        {"evaluation.baselines": True}).to_dict()
    for name in TABS:
        at = open_tab(ran, name)
        assert_clean(at)
        if name == "Summary":
            table = at.dataframe[0].value
            contenders = [n for n in table["Contender"] if "baseline" not in n]
            assert contenders == [c["name"] for c in PRESETS["default"].config["contenders"]]
        elif name == "Export":
            labels = {b.label for b in at.get("download_button")}
            assert {"config.json", "summary.json", "timeline.csv", "events.csv"} <= labels
        else:
            charts = at.get("plotly_chart")
            assert len(charts) >= 2, name  # the sidebar preview + this tab's chart(s)
    open_tab(ran, "Accuracy")


def test_widget_changes_reach_the_config_and_match_the_cli(ran, tmp_path):
    at = ran
    at.number_input(key="n_samples").set_value(17000)
    at.number_input(key="c1_every").set_value(1500)
    at.run()
    assert any("The setup changed" in i.value for i in at.info)
    at.button(key="run").click().run()
    assert_clean(at)
    config = url_config(at)
    assert config["stream"]["n_samples"] == 17000
    assert config["contenders"][1]["policy"]["every"] == 1500
    expected = cli_summary(config, tmp_path)
    table = open_tab(at, "Summary").dataframe[0].value
    got = dict(zip(table["Contender"], table["Accuracy"]))
    for c in expected["contenders"]:
        shown = reference_name(c["name"], c["baseline"])  # "No-change baseline", marked once
        assert got[shown] == pytest.approx(c["accuracy"], abs=1e-12), c["name"]
    retrains = dict(zip(table["Contender"], table["Retrains"]))
    assert retrains["Periodic retrain"] == expected["contenders"][1]["retrains"]

    # the previous run can be overlaid on the accuracy chart
    at = open_tab(at, "Accuracy")
    box = at.selectbox(key="compare_with")
    assert len(box.options) == 1
    box.select_index(0).run()
    specs = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    spec = next(s for s in specs if "Rolling accuracy" in json.dumps(s["layout"].get("title")))
    names = [t.get("name", "") for t in spec["data"]]
    assert any("(run 1)" in n for n in names)


@pytest.mark.parametrize("query, needle", [
    ({"config": "{broken"}, "broken JSON"),
    ({"config": json.dumps({**PRESETS["default"].config,
                            "stream": {**PRESETS["default"].config["stream"], "n_samples": -5}})},
     "Stream length (samples) must be"),  # plain labels, not config paths
    ({"n_samples": "-5"}, "Stream length (samples) must be"),
    ({"config": "not base64 at all!"}, "config"),
    ({"preset": "nope"}, "preset 'nope'"),
])
def test_bad_url_parameters_warn_and_fall_back(query, needle):
    at = new_app(**query)
    assert not at.exception
    warnings = [w.value for w in at.warning]
    assert any(needle in w for w in warnings), warnings
    assert at.number_input(key="n_samples").value == 20000  # the default race
    assert not at.button(key="run").disabled


def test_a_shared_link_reproduces_its_run():
    from ui.urls import encode_config

    cfg = load_preset("sudden").with_overrides({"stream.n_samples": 8000}).to_dict()
    at = new_app(config=encode_config(cfg))  # opening the link races it right away
    assert_clean(at)
    assert "sudden drift at 6,000" in story(at)
    # a config without evaluation.baselines gets the app's default, baselines shown
    assert url_config(at) == {**cfg, "evaluation": {**cfg["evaluation"], "baselines": True}}
    assert at.number_input(key="n_samples").value == 8000
    assert at.selectbox(key="source").value == "blobs2d"


def test_pasted_configs_load_or_show_the_error_and_a_crash_is_a_failed_row():
    at = new_app()
    at.text_area(key="paste_config").input("{broken").run()
    at.button(key="load_pasted").click().run()
    assert not at.exception
    assert any("broken JSON" in e.value for e in at.error)

    bad = {"stream": {"source": "sea", "n_samples": 3000, "drifts": [{"at": 1500}]},
           "evaluation": {"warmup": 500, "window": 200},
           "contenders": [
               # each value is valid (validate passes), the combination fails at fit
               {"name": "Broken", "model": {"name": "sk.logistic_regression",
                                            "params": {"solver": "newton-cg", "penalty": "l1"}},
                "policy": {"kind": "frozen"}},
               {"name": "Online", "model": "river.gaussian_nb", "policy": {"kind": "online"}}]}
    at.text_area(key="paste_config").input(json.dumps({**bad, "contenders": "x"})).run()
    at.button(key="load_pasted").click().run()
    assert any("contenders: must be a non-empty list" in e.value for e in at.error)

    at.text_area(key="paste_config").input(json.dumps(bad)).run()
    at.button(key="load_pasted").click().run()  # loads and races it
    assert not at.exception
    assert at.number_input(key="n_samples").value == 3000
    warnings = [w.value for w in at.warning]
    assert any("Broken" in w and "failed" in w for w in warnings), warnings
    table = open_tab(at, "Summary").dataframe[0].value
    status = {n: s for n, s in zip(table["Contender"], table["Status"]) if "baseline" not in n}
    assert status == {"Broken": "failed", "Online": "ok"}


def test_contender_and_drift_editing():
    at = new_app()
    # an incremental-only policy offers incremental models only (and switches the model)
    at.selectbox(key="c0_kind").set_value("online").run()
    assert not at.exception
    assert at.selectbox(key="c0_model").value == "river.logistic_regression"
    from lab.learners import MODELS
    from ui.text import model_label

    offered = set(at.selectbox(key="c0_model").options)  # the labels shown
    assert offered == {model_label(m, i) for m, i in MODELS.items() if i.incremental}
    at.button(key="dup_c1").click().run()
    ids = at.session_state["contender_ids"]
    # a copy of a preset's contender: the preset's name, told apart by a number (ui.contenders)
    assert len(ids) == 5 and at.text_input(key=f"c{ids[2]}_name").value == "Periodic retrain (2)"
    at.button(key=f"del_c{ids[0]}").click().run()
    at.text_input(key="c3_name").input("Hoeffding").run()
    at.button(key="add_drift").click().run()
    assert len(at.session_state["drift_ids"]) == 3
    at.button(key="del_drift_0").click().run()
    assert_clean(at)
    from ui.state import config_from_state

    cfg = parse_experiment(config_from_state(at.session_state.to_dict())).to_dict()
    assert [c["name"] for c in cfg["contenders"]] == [
        "Periodic retrain", "Periodic retrain (2)", "Drift-triggered", "Hoeffding"]
    assert [d["at"] for d in cfg["stream"]["drifts"]] == [14000, 18000]
    assert at.number_input(key="c4_every").value == 3000


# ---------------------------------------------------------------------------------------------
# The pure helpers behind the app
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", sorted(k for k, p in PRESETS.items()
                                         if getattr(p, "kind", "race") == "race"))
def test_widget_state_round_trips_every_preset(name):
    from ui.state import config_from_state, state_from_config

    norm = load_preset(name).to_dict()
    back = parse_experiment(config_from_state(state_from_config(copy.deepcopy(norm)))).to_dict()
    # a preset does not mention evaluation.baselines: the app's default (shown) is written in
    assert back == {**norm, "evaluation": {**norm["evaluation"], "baselines": True}}
    off = {**norm, "evaluation": {**norm["evaluation"], "baselines": False}}
    assert parse_experiment(config_from_state(state_from_config(copy.deepcopy(off)))
                            ).to_dict() == off


def test_ui_doctests():
    """Every ui module's examples (pytest's --doctest-modules covers lab only: its testpaths)."""
    import importlib
    from pathlib import Path

    folder = Path(__file__).resolve().parents[1] / "ui"
    with_examples = sorted(p for p in folder.rglob("*.py") if ">>>" in p.read_text())
    assert len(with_examples) >= 14
    for path in with_examples:
        name = ".".join(path.relative_to(folder.parent).with_suffix("").parts)
        module = importlib.import_module(name)
        result = doctest.testmod(module,
                                 optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
        assert result.failed == 0 and result.attempted > 0, name


def test_a_triggered_contender_offers_which_alarms_retrain():
    """``react_to`` is a text choice: a select box, whose value reaches the config."""
    from helpers import assert_clean, new_app
    from ui.state import config_from_state

    at = new_app()
    assert_clean(at)
    ids = at.session_state["contender_ids"]
    uid = next(u for u in ids if at.session_state[f"c{u}_kind"] == "triggered")
    box = at.selectbox(key=f"c{uid}_react_to")
    assert box.value == "degradation" and set(box.options) == {"degradation", "any"}
    box.set_value("any").run()
    assert_clean(at)
    cfg = parse_experiment(config_from_state(at.session_state.to_dict())).to_dict()
    triggered = [c["policy"] for c in cfg["contenders"] if c["policy"]["kind"] == "triggered"]
    assert triggered and all(p["react_to"] == "any" for p in triggered)
