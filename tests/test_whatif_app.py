"""The What-if tab (``ui/whatif.py``) through Streamlit's AppTest: it renders after a run, runs
a sweep with a progress bar and shows the charts, a table equal to the core's (and the CLI's)
sweep of the same config, refuses a sweep too big for the server with the CLI command instead,
and shows a bad value as an error, never an exception."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from helpers import assert_clean
from lab.cli import main
from lab.presets import load_preset
from lab.sweep.executors import run_sweep
from lab.sweep.plan import plan_sweep
from lab.sweep.stats import summarise_sweep
from lab.validate import parse_experiment

# Every test here runs the whole app (AppTest or a browser): seconds each, not the quick loop.
pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
EVERY = "contenders[1].policy.every"
DELAY = "evaluation.label_delay"
# the default race, shortened so that a sweep takes a second or two
SMALL = load_preset("default").with_overrides({
    "stream.n_samples": 4000, "stream.drifts[0].at": 1600, "stream.drifts[1].at": 2800,
    "stream.drifts[1].width": 400, "evaluation.warmup": 400, EVERY: 600,
    "contenders[1].policy.window": 1000, "contenders[2].policy.window": 400}).to_dict()




def open_whatif(at: AppTest) -> AppTest:
    at.session_state["result_tabs"] = "What-if"  # tabs are lazy: only the open one is built
    return at.run()


def chart_titles(at: AppTest) -> list[str]:
    titles = []
    for c in at.get("plotly_chart"):
        title = json.loads(c.proto.spec)["layout"].get("title", {})
        titles.append(title.get("text", "") if isinstance(title, dict) else str(title))
    return titles


EVERY_LABEL = "Periodic retrain: samples between retrains"  # EVERY's plain label (SMALL's names)


def whatif_table(at: AppTest) -> pd.DataFrame:
    return next(d.value for d in at.dataframe if "Accuracy" in d.value.columns)


@pytest.fixture(scope="module")
def small() -> AppTest:
    """The app after racing SMALL (opened as a shared link, which races right away)."""
    from ui.urls import encode_config

    at = AppTest.from_file(APP, default_timeout=90)
    at.query_params["config"] = encode_config(SMALL)
    at.run()
    assert_clean(at)
    return open_whatif(at)


def test_after_the_default_run_the_tab_renders_and_refuses_a_huge_sweep():
    at = AppTest.from_file(APP, default_timeout=90).run()
    at.button(key="run").click().run()
    at = open_whatif(at)
    assert_clean(at)
    assert at.selectbox(key="whatif_p1").value == EVERY  # the first periodic contender's every
    assert at.text_input(key="whatif_v1").value == "1500,3000,6000"
    assert any("9 runs" in c.value for c in at.caption)
    assert not at.button(key="whatif_run").disabled
    # 20 values x 10 seeds of the full 20,000-sample race: minutes, not seconds
    at.text_input(key="whatif_v1").input(",".join(str(500 * k) for k in range(1, 21)))
    at.number_input(key="whatif_seeds").set_value(10).run()
    assert not at.exception
    assert at.button(key="whatif_run").disabled
    assert any("too big for the server" in w.value for w in at.warning)
    code = " ".join(c.value for c in at.code)
    assert "python -m lab sweep --config config.json --vary" in code
    assert "'contenders[1].policy.every=500,1000,1500," in code and "--seeds 10" in code
    assert "config.json" in {b.label for b in at.get("download_button")}


def test_a_one_parameter_sweep_equals_the_core_and_the_cli(small, tmp_path):
    at = small
    at.selectbox(key="whatif_p1").set_value(EVERY).run()
    at.text_input(key="whatif_v1").input("300,600,1200")
    at.number_input(key="whatif_seeds").set_value(2).run()
    assert any("3 settings × 2 seeds = **6 runs**" in m.value for m in at.caption)
    at.button(key="whatif_run").click().run()
    assert_clean(at)
    titles = chart_titles(at)
    assert f"Accuracy vs. {EVERY_LABEL}" in titles and f"Training cost vs. {EVERY_LABEL}" in titles
    assert "Accuracy vs. training cost, every setting" in titles
    table = whatif_table(at)
    expected = summarise_sweep(run_sweep(plan_sweep(parse_experiment(SMALL),
                                                    {EVERY: [300, 600, 1200]}, 2), jobs=1))
    assert table["Contender"].tolist() == expected["contender"].tolist()
    assert table[EVERY_LABEL].tolist() == expected[EVERY].tolist()
    for col, header in (("accuracy_mean", "Accuracy"), ("train_samples_mean", "Trained samples")):
        assert table[header].tolist() == pytest.approx(expected[col].tolist(), abs=1e-12), col
    assert table["Accuracy 95 % CI"].tolist() == [
        f"{100 * lo:.1f}–{100 * hi:.1f} %"
        for lo, hi in zip(expected["accuracy_ci_low"], expected["accuracy_ci_high"])]
    # the CLI on the same config gives the same numbers as the app's download (the command's
    # own entry, lab.cli.main, in this process: a python -m lab process would only add imports)
    config = tmp_path / "config.json"
    config.write_text(json.dumps(SMALL))
    assert main(["sweep", "--config", str(config), "--vary", f"{EVERY}=300,600,1200",
                 "--seeds", "2", "--out", str(tmp_path / "out"), "--quiet"]) == 0
    cli = pd.read_csv(tmp_path / "out" / "sweep_summary.csv")
    files = {b.label: b for b in at.get("download_button")}
    assert {"sweep.csv", "sweep_summary.csv"} <= set(files)
    assert cli["accuracy_mean"].tolist() == pytest.approx(table["Accuracy"].tolist(),
                                                         abs=1e-12)
    # the same sweep again comes from the cache, without pressing Run
    at.text_input(key="whatif_v1").input("300,600").run()
    assert any("from the previous sweep" in i.value for i in at.info)
    at.text_input(key="whatif_v1").input("300,600,1200").run()
    assert any("cache" in c.value for c in at.caption)
    assert len(whatif_table(at)) == len(expected)


def test_a_two_parameter_sweep_draws_a_heatmap(small):
    at = small
    at.selectbox(key="whatif_p1").set_value(EVERY).run()
    at.text_input(key="whatif_v1").input("300,1200")
    at.selectbox(key="whatif_p2").set_value(DELAY).run()
    at.text_input(key="whatif_v2").input("0,200")
    at.number_input(key="whatif_seeds").set_value(1).run()
    at.button(key="whatif_run").click().run()
    assert_clean(at)
    titles = chart_titles(at)
    assert "Accuracy of Frozen batch (mean over seeds)" in titles
    at.selectbox(key="whatif_contender").set_value("Online").run()
    assert "Accuracy of Online (mean over seeds)" in chart_titles(at)
    table = whatif_table(at)
    assert len(table) == 4 * 4 and set(table["Label delay (samples)"]) == {0, 200}
    at.selectbox(key="whatif_p2").set_value("__none__").run()  # back to one parameter


@pytest.mark.parametrize("param, values, needle, good", [
    (EVERY, "300,abc", "contenders[1].policy.every", "600"),
    (EVERY, "300,,600", "empty value", "600"),
    (EVERY, "300,300", "appears twice", "600"),
    ("stream.n_samples", "1000", "stream.drifts[0].at", "5000"),
])
def test_a_bad_value_is_an_error_not_an_exception(small, param, values, needle, good):
    at = small
    at.selectbox(key="whatif_p1").set_value(param).run()
    at.text_input(key="whatif_v1").input(values).run()
    assert not at.exception
    errors = [e.value for e in at.error]
    assert any(needle in e for e in errors), errors
    at.text_input(key="whatif_v1").input(good).run()
    assert_clean(at)


def test_any_path_box(small):
    at = small
    at.selectbox(key="whatif_p1").set_value("__custom__").run()
    at.text_input(key="whatif_custom1").input("stream.nope").run()
    assert not at.exception
    assert at.error
    at.text_input(key="whatif_custom1").input("stream.params.separation")
    at.text_input(key="whatif_v1").input("1.5,3").run()
    assert_clean(at)
    assert any("2 settings" in c.value for c in at.caption)


def test_seeds_out_of_range_are_named_not_refused_silently(small):
    """The Seeds field has no browser bounds (the browser refused 20 without a word and swept
    the old count): the tab says which field, its range and the fix."""
    at = small
    seeds = at.number_input(key="whatif_seeds")
    assert not seeds.proto.has_min and not seeds.proto.has_max
    before = seeds.value
    seeds.set_value(20).run()
    assert not at.exception
    errors = [e.value for e in at.error]
    assert any("Seeds: is 20, above 10, the largest it can be. Fix: type 1 to 10 seeds" in e
               for e in errors), errors
    at.number_input(key="whatif_seeds").set_value(before).run()
    assert_clean(at)


def test_a_sweep_is_shown_only_for_the_setup_it_ran_on_and_answers_without_prices(small):
    """Walk-through: after a sweep, the setup was changed and raced, and the old sweep's answer
    stayed on screen as if it were about the new setup. It is now replaced by a notice naming
    what changed, and shown again when the setup it ran on is back. SMALL sets no prices: the
    answer ranks by training, says so and calls nothing "cheapest"."""
    at = small
    at.selectbox(key="whatif_p1").set_value(EVERY).run()
    at.text_input(key="whatif_v1").input("300,1200")
    at.number_input(key="whatif_seeds").set_value(2).run()
    at.button(key="whatif_run").click().run()
    assert_clean(at)
    answers = [a.value for a in (*at.success, *at.warning)]
    assert any(a.startswith("No prices are set for training, retrains or labels") for a in answers)
    assert not any("cheapest" in a for a in answers), answers
    ranking = next(d.value for d in at.dataframe if "Keeps target" in d.value.columns)
    # the figure ranked by, under the results table's header
    assert "Trained samples" in ranking.columns and "Total cost" not in ranking.columns
    assert ranking["Trained samples"].is_monotonic_increasing
    # the results table shows no "Total cost" that would be the wrong predictions alone
    results = next(d.value for d in at.dataframe if "Accuracy 95 % CI" in d.value.columns)
    assert "Total cost" not in results.columns and "Trained samples" in results.columns
    # another setup raced: no chart, table or answer of the old sweep, a notice instead
    at.number_input(key="n_samples").set_value(3600).run()
    at.button(key="run").click().run()
    at = open_whatif(at)
    assert_clean(at)
    notices = [i.value for i in at.info]
    assert any(n.startswith(f"The last sweep ({EVERY_LABEL} = 300, 1,200, 2 seeds) ran on "
                            "another setup; since then: Stream length (samples) 4,000 → 3,600.")
               for n in notices), notices
    charts = [getattr(c, "key", None) or "" for c in at.get("plotly_chart")]
    assert not [k for k in charts if k.startswith("whatif")], charts
    assert not at.success and not at.warning
    assert not any("Keeps target" in d.value.columns for d in at.dataframe)
    # back to the setup it ran on: the sweep and its answer again (from the cache)
    at.number_input(key="n_samples").set_value(4000).run()
    at.button(key="run").click().run()
    at = open_whatif(at)
    assert_clean(at)
    assert any("cache" in c.value for c in at.caption)  # the run: "from the server's cache"
    assert any("Keeps target" in d.value.columns for d in at.dataframe)
    assert not any("another setup" in i.value for i in at.info)
