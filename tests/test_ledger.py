"""The cost ledger (``costs`` prices, ``lab.race.ledger``): every amount is a count times a price.

The expected numbers below are worked out by hand in the comments, from the stream, the policy's
schedule and the prices, never read back from the code under test.
"""

from __future__ import annotations

import io
import json
from contextlib import redirect_stdout

import numpy as np
import pandas as pd
import pytest

from helpers import assert_clean, config, new_app
from lab.policies.base import NO_PREDICTION
from lab.race.engine import run_race
from lab.race.ledger import bill, error_prices, labels_bought, summary_cost, timeline_costs
from lab.race.metrics import summarise, timeline_frame
from lab.spec.costs import COST_FIELDS, LEDGER_COLUMNS, Costs
from lab.spec.errors import ConfigError
from lab.validate import json_schema, parse_experiment, stream_classes

PRICES = Costs(train_sample=0.25, cpu_second=2.0, retrain=10.0, label=0.5, error=3.0)


# --------------------------------------------------------------------------------------------
# The ledger on a hand-made stream of 10 samples
# --------------------------------------------------------------------------------------------
# warm-up 2, label delay 1; scored samples 2..9:
#   y          = 1 0 1 0 0 1 1 0
#   predicted  = 1 1 1 0 1 1 0 -   (- : no prediction)
#   wrong at samples 3 (0 -> 1), 6 (0 -> 1), 8 (1 -> 0), 9 (none)
Y = np.array([0, 1, 1, 0, 1, 0, 0, 1, 1, 0])
PREDICTED = np.array([0, 0, 1, 1, 1, 0, 1, 1, 0, NO_PREDICTION])
TS = [4, 7, 10]
COUNTERS = dict(train_samples_cum=[2, 2, 9], train_cpu_s_cum=[0.5, 0.5, 1.25],
                retrains_cum=[0, 0, 1])


def test_labels_bought_are_the_warmup_and_every_label_that_arrived():
    # delay 1: by t samples seen the labels of samples 0 .. t - 2 have arrived: 3, 6, 9
    assert labels_bought(TS, warmup=2, label_delay=1).tolist() == [3, 6, 9]
    # delay 0: all t; a delay longer than the scored part: the warm-up's only (never above t)
    assert labels_bought(TS, 2, 0).tolist() == [4, 7, 10]
    assert labels_bought(TS, 2, 50).tolist() == [2, 2, 2]
    # where a share of labels bought plugs in: only the bought ones among those that arrived
    bought = np.array([1, 1, 0, 1, 0, 1, 1, 0, 0, 1])
    assert labels_bought(TS, 2, 1, bought).tolist() == [2, 4, 5]


def test_the_ledger_reconciles_by_hand_on_a_tiny_stream():
    columns = timeline_costs(PRICES, Y, PREDICTED, TS, 2, 1, **COUNTERS)
    assert list(columns) == list(LEDGER_COLUMNS)
    # compute = samples x 0.25 + CPU s x 2:  2*0.25 + 0.5*2 = 1.5 ; 1.5 ; 9*0.25 + 1.25*2 = 4.75
    assert columns["cost_compute"].tolist() == [1.5, 1.5, 4.75]
    # retrains x 10
    assert columns["cost_retrains"].tolist() == [0.0, 0.0, 10.0]
    # labels 3, 6, 9 x 0.5
    assert columns["cost_labels"].tolist() == [1.5, 3.0, 4.5]
    # errors so far: 1 (sample 3), 2 (+ sample 6), 4 (+ samples 8, 9) x 3
    assert columns["cost_errors"].tolist() == [3.0, 6.0, 12.0]
    assert columns["cost_total"].tolist() == [6.0, 10.5, 31.25]
    summary = summary_cost(PRICES, Y, PREDICTED, n_done=10, warmup=2, label_delay=1,
                           train_samples=9, train_cpu_s=1.25, retrains=1)
    assert summary == {"cost": {"compute": 4.75, "retrains": 10.0, "labels": 4.5,
                                "errors": 12.0, "total": 31.25,
                                "per_1000": 31.25 / 8 * 1000,  # 8 scored samples
                                "labels_bought": 9, "wrong_predictions": 4},
                       "cost_total": 31.25}


def test_the_example_in_docs_metrics():
    # 1,200 samples x 0.01 + 2 retrains x 5 + 1,000 labels x 0.1 + 30 errors x 2 = 182
    costs = Costs(train_sample=0.01, retrain=5.0, label=0.1, error=2.0)
    errors = float(error_prices(np.zeros(30), np.ones(30), costs).sum())
    assert bill(costs, train_samples=1200, train_cpu_s=0.7, retrains=2, labels=1000,
                errors=errors) == {"compute": 12.0, "retrains": 10.0, "labels": 100.0,
                                   "errors": 60.0, "total": 182.0}


def test_an_error_matrix_prices_each_true_predicted_pair():
    matrix = Costs(error=3.0, error_matrix=((0.0, 5.0), (7.0, 0.0)))
    # sample 3: true 0 predicted 1 -> 5; sample 6: 5; sample 8: true 1 predicted 0 -> 7;
    # sample 9: no prediction -> error = 3
    prices = error_prices(Y[2:], PREDICTED[2:], matrix)
    assert prices.tolist() == [0, 5, 0, 0, 5, 0, 7, 3]
    assert timeline_costs(matrix, Y, PREDICTED, TS, 2, 1, **COUNTERS)["cost_errors"].tolist() \
        == [5.0, 10.0, 20.0]  # 5 | 5 + 5 | 5 + 5 + 7 + 3


def test_a_three_class_matrix_with_a_priced_diagonal():
    y = np.array([2, 0, 1, 2, 1, 0])
    predicted = np.array([2, 1, 0, 0, 1, 2])
    costs = Costs(error_matrix=((0.0, 1.0, 2.0), (3.0, 0.0, 4.0), (5.0, 6.0, 0.5)))
    # M[2][2] = 0.5, M[0][1] = 1, M[1][0] = 3, M[2][0] = 5, M[1][1] = 0, M[0][2] = 2
    assert error_prices(y, predicted, costs).tolist() == [0.5, 1.0, 3.0, 5.0, 0.0, 2.0]
    assert bill(costs, train_samples=0, train_cpu_s=0.0, retrains=0, labels=6,
                errors=float(error_prices(y, predicted, costs).sum()))["total"] == 11.5


def test_three_classes_through_the_config_and_the_engine():
    cfg = config(source="rbf", n=1500, params={"n_classes": 3},
                 contenders=[{"name": "Online", "model": "river.gaussian_nb",
                              "policy": {"kind": "online"}}])
    # every wrong prediction costs 2 and every right one 1: errors = 2 wrong + 1 right
    cfg["costs"] = {"error_matrix": [[1, 2, 2], [2, 1, 2], [2, 2, 1]], "error": 2}
    exp = parse_experiment(cfg)
    assert stream_classes(exp.stream) == 3
    summary = summarise(run_race(exp))
    contender = summary["contenders"][0]
    wrong, scored = contender["cost"]["wrong_predictions"], summary["n_scored"]
    assert wrong == round(scored * (1 - contender["accuracy"])) > 0
    assert contender["cost"]["errors"] == 2 * wrong + (scored - wrong)
    with pytest.raises(ConfigError, match=r"^costs\.error_matrix: has 2 rows but the stream "
                                          r"has 3 classes\. Fix: give a 3 x 3 list"):
        parse_experiment({**cfg, "costs": {"error_matrix": [[0, 1], [1, 0]]}})


# --------------------------------------------------------------------------------------------
# Through the engine: counts a policy's schedule fixes
# --------------------------------------------------------------------------------------------
def reconciled_config() -> dict:
    cfg = config(n=1000, warmup=200, window=100, label_delay=5, step=200, contenders=[
        {"name": "Periodic", "model": "sk.gaussian_nb",
         "policy": {"kind": "periodic", "every": 200, "data": "window", "window": 300}},
        {"name": "Online", "model": "river.gaussian_nb", "policy": {"kind": "online"}}])
    cfg["costs"] = {"train_sample": 0.25, "retrain": 8, "label": 0.5, "error": 2}
    return cfg


@pytest.mark.slow
def test_a_race_ledger_is_counts_times_prices():
    result = run_race(parse_experiment(reconciled_config()))
    summary = summarise(result)
    periodic, online = summary["contenders"]
    # 800 scored samples; labels: the warm-up's 200 and every scored one but the last 5
    # (delay 5): 995, at 0.5 = 497.5 for both contenders
    # Periodic: a refit every 200 scored samples, at 400, 600 and 800 (none at 1,000, the
    # stream's end: no sample is left to use it): 3 retrains of 300 rows each:
    # 200 + 3 * 300 = 1,100 samples at 0.25 = 275; retrains 3 * 8 = 24
    assert (periodic["retrains"], periodic["train_samples"]) == (3, 1100)
    wrong = round(800 * (1 - periodic["accuracy"]))
    assert periodic["cost"] == {"compute": 275.0, "retrains": 24.0, "labels": 497.5,
                                "errors": 2.0 * wrong, "total": 796.5 + 2.0 * wrong,
                                "per_1000": (796.5 + 2.0 * wrong) / 0.8,
                                "labels_bought": 995, "wrong_predictions": wrong}
    # Online learns exactly the labels it receives: 995 samples at 0.25 = 248.75, no retrain
    wrong = round(800 * (1 - online["accuracy"]))
    assert online["train_samples"] == 995
    assert online["cost"]["total"] == 248.75 + 0.0 + 497.5 + 2.0 * wrong
    # the timeline: labels at t = 400, 600, 800, 1000 are t - 5; its last row is the summary
    timeline = timeline_frame(result)
    rows = timeline[timeline["contender"] == "Periodic"]
    assert (rows["cost_labels"] / 0.5).tolist() == [395, 595, 795, 995]
    assert (rows["cost_compute"] / 0.25).tolist() == rows["train_samples_cum"].tolist()
    assert (rows["cost_retrains"] / 8).tolist() == rows["retrains_cum"].tolist()
    for c in summary["contenders"]:
        last = timeline[timeline["contender"] == c["name"]].iloc[-1]
        assert [last[f"cost_{p}"] for p in ("compute", "retrains", "labels", "errors", "total")] \
            == [c["cost"][p] for p in ("compute", "retrains", "labels", "errors", "total")]
        assert c["cost_total"] == c["cost"]["total"]


@pytest.mark.slow
def test_without_prices_the_ledger_is_the_error_count_and_baselines_have_one():
    cfg = config(n=2000, baselines=True)
    result = run_race(parse_experiment(cfg))
    summary, timeline = summarise(result), timeline_frame(result)
    assert len(summary["contenders"]) == 3  # the contender and the two baselines
    for c in summary["contenders"]:
        wrong = round(summary["n_scored"] * (1 - c["accuracy"]))
        assert c["cost"]["total"] == c["cost"]["errors"] == wrong == c["cost_total"]
        assert c["cost"]["compute"] == c["cost"]["retrains"] == c["cost"]["labels"] == 0.0
        rows = timeline[timeline["contender"] == c["name"]]
        # cumulative errors: scored samples so far x (1 - cumulative accuracy)
        expected = ((rows["t"] - 500) * (1 - rows["acc_cum"])).round()
        assert rows["cost_total"].tolist() == expected.tolist()


# --------------------------------------------------------------------------------------------
# Config: validation, defaults, round trip, schema
# --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("costs, start", [
    ([], "costs: must be a JSON object"),
    ({"eror": 1}, "costs.eror: unknown key"),
    ({"error": -1}, "costs.error: must be a number >= 0"),
    ({"label": "5"}, "costs.label: must be a number"),
    ({"retrain": True}, "costs.retrain: must be a number"),
    ({"train_sample": 1e13}, "costs.train_sample: must be a number"),
    ({"cpu_second": 10 ** 400}, "costs.cpu_second: must be a number"),
    ({"error_matrix": 5}, "costs.error_matrix: must be a list of rows"),
    ({"error_matrix": []}, "costs.error_matrix: must be a list of rows"),
    ({"error_matrix": [[0, 1]]}, "costs.error_matrix: has 1 row but the stream has 2 classes"),
    ({"error_matrix": [[0, 1], [1]]}, "costs.error_matrix[1]: has 1 entry but the matrix"),
    ({"error_matrix": [[0, 1], [-2, 0]]}, "costs.error_matrix[1][0]: must be a number >= 0"),
    ({"error_matrix": [[0, 1], ["x" * 5000, 0]]}, "costs.error_matrix[1][0]: must be a number"),
    ({"error_matrix": [[0] * 10 ** 6, [0]]}, "costs.error_matrix[0]: has 1,000,000 entries"),
])
def test_bad_prices_are_one_line_errors_with_a_fix(costs, start):
    with pytest.raises(ConfigError) as err:
        parse_experiment({**config(), "costs": costs})
    message = str(err.value)
    assert message.startswith(start), message
    assert "\n" not in message and ". Fix: " in message and len(message) < 400


def test_a_config_without_costs_keeps_its_normalised_form():
    exp = parse_experiment(config())
    assert exp.costs is None and exp.prices == Costs()
    assert "costs" not in exp.to_dict()
    assert exp.to_json() == parse_experiment(exp.to_dict()).to_json()


def test_costs_round_trip_with_every_default_filled_in():
    exp = parse_experiment({**config(), "costs": {"retrain": 5, "error_matrix": [[None, 50],
                                                                                   [5, None]]}})
    written = exp.to_dict()["costs"]
    # null cells take the defaults: 0 on the diagonal, error (1) off it
    assert written == {"train_sample": 0.0, "cpu_second": 0.0, "retrain": 5.0, "label": 0.0,
                       "error": 1.0, "error_matrix": [[0.0, 50.0], [5.0, 0.0]]}
    again = parse_experiment(json.loads(exp.to_json()))
    assert again == exp and again.to_json() == exp.to_json()
    assert parse_experiment({**config(), "costs": {}}).to_dict()["costs"]["error_matrix"] is None
    assert exp.with_overrides({"costs.label": 0.25}).costs.label == 0.25


def test_the_schema_describes_costs_with_the_parsed_defaults():
    schema = json_schema()["properties"]["costs"]
    parsed = parse_experiment({**config(), "costs": {}}).to_dict()["costs"]
    assert set(schema["properties"]) == set(parsed) == set(COST_FIELDS) | {"error_matrix"}
    for key, prop in schema["properties"].items():
        assert prop["default"] == parsed[key], key
        assert prop["description"], key
    assert schema["additionalProperties"] is False
    assert parsed == Costs().to_dict()


def test_the_matrix_size_is_the_streams_class_count():
    assert stream_classes(parse_experiment(config(source="led", n=2000)).stream) == 10
    exp = parse_experiment(config(source="dataset:elec", n=2000))
    assert stream_classes(exp.stream) == 2


# --------------------------------------------------------------------------------------------
# Figures
# --------------------------------------------------------------------------------------------
def test_the_cost_figures_have_titles_axes_legends_and_drift_markers():
    from lab.plots.costs import cumulative_cost_figure, ledger_figure

    timeline = pd.DataFrame({"t": [4, 7, 10] * 2, "contender": ["A"] * 3 + ["B"] * 3,
                             **{c: [1.0, 2.0, 3.0] * 2 for c in LEDGER_COLUMNS}})
    fig = cumulative_cost_figure(timeline, [{"at": 6, "width": 0}])
    assert fig.layout.title.text == "Cumulative cost along the stream"
    assert fig.layout.xaxis.title.text == "samples seen"
    assert "price units" in fig.layout.yaxis.title.text
    assert [t.name for t in fig.data if t.showlegend is not False][:2] == ["A", "B"]
    assert [(s.type, s.x0) for s in fig.layout.shapes] == [("line", 6)]  # the drift, marked
    assert [a.text for a in fig.layout.annotations] == ["drift"]
    summary = {"contenders": [{"name": "A", "cost": {"compute": 1.0, "retrains": 2.0,
                                                     "labels": 3.0, "errors": 4.0,
                                                     "total": 10.0}},
                              {"name": "B", "status": "failed", "cost": None}]}
    bars = ledger_figure(summary)
    assert bars.layout.barmode == "stack" and bars.layout.title.text
    assert [t.name for t in bars.data] == ["compute (training samples and CPU)",
                                           "retrains (deployments)", "labels bought",
                                           "errors (wrong predictions)"]
    assert [t.x[0] for t in bars.data] == [1.0, 2.0, 3.0, 4.0]  # horizontal bars
    assert {a.text for a in bars.layout.annotations} == {"10", "failed"}  # no pointless ".00"
    # a timeline from before the ledger: an empty chart that says so
    old = cumulative_cost_figure(timeline.drop(columns=list(LEDGER_COLUMNS)), [])
    assert not old.data and "no cost ledger" in old.layout.annotations[0].text


# --------------------------------------------------------------------------------------------
# The app's state, the CLI and the app
# --------------------------------------------------------------------------------------------
def test_the_costs_panel_state_round_trips_and_presets_stay_without_costs():
    from lab.presets import load_preset
    from ui import state as S

    plain = load_preset("default").to_dict()
    assert "costs" not in S.config_from_state(S.state_from_config(plain))
    priced = {**plain, "costs": {**Costs(retrain=4.0).to_dict(),
                                 "error_matrix": [[0.0, 3.0], [2.0, 0.0]]}}
    state = S.state_from_config(priced)
    assert state["cost_retrain"] == 4.0 and state["cost_error_matrix"] == "[[0.0, 3.0], [2.0, 0.0]]"
    assert S.config_from_state(state)["costs"] == priced["costs"]
    state = S.state_from_config(plain)
    state["cost_label"] = 0.5  # an edited price is written
    assert S.config_from_state(state)["costs"]["label"] == 0.5
    state["cost_error_matrix"] = "[[0, 1"
    with pytest.raises(ConfigError, match=r"^costs\.error_matrix: "):
        S.config_from_state(state)


def app_config() -> dict:
    cfg = config(n=2000, drifts=[{"at": 1200, "to": {"variant": 2}}], contenders=[
        {"name": "Online", "model": "river.gaussian_nb", "policy": {"kind": "online"}},
        {"name": "Periodic", "model": "sk.gaussian_nb",
         "policy": {"kind": "periodic", "every": 500}}])
    cfg["costs"] = {"train_sample": 0.01, "retrain": 4, "label": 0.5,
                    "error_matrix": [[None, 3], [2, None]]}
    return cfg


@pytest.mark.slow
def test_the_net_cost_tab_renders_and_shows_the_clis_numbers(tmp_path):
    from lab.cli import main
    from ui.urls import encode_config

    cfg = app_config()
    path = tmp_path / "config.json"
    path.write_text(json.dumps(cfg))
    out = io.StringIO()
    with redirect_stdout(out):
        assert main(["run", "--config", str(path), "--out", str(tmp_path / "run"),
                     "--baselines"]) == 0
    cli = json.loads((tmp_path / "run" / "summary.json").read_text())
    totals = {c["name"]: c["cost_total"] for c in cli["contenders"]}
    header = out.getvalue().splitlines()[0].split()
    assert header[-1] == "cost"
    from lab.spec.costs import format_amount
    assert f"{format_amount(totals['Online'])}" in out.getvalue()

    at = new_app(config=encode_config(cfg))  # the link races it (small)
    assert_clean(at)
    assert at.session_state["cost_retrain"] == 4.0
    at.session_state["result_tabs"] = "Net cost"
    at.run()
    assert_clean(at)
    table = at.dataframe[0].value
    shown = dict(zip(table["contender"].str.replace(" (baseline)", "", regex=False),
                     table["total"]))
    assert shown == totals  # the app's ledger equals the CLI's, to the bit
    figures = [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]
    titles = [f["layout"].get("title", {}).get("text") for f in figures]
    assert "Cumulative cost along the stream" in titles and "What each bill is made of" in titles
    assert any("4 per retrain" in c.value for c in at.caption)
