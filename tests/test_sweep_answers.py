"""Answers, not just curves (issue 15 point 4): the cheapest sweep setting that keeps a score
above a target, with its confidence interval over seeds.

The rules of :func:`lab.sweep.answer.answer_sweep` on a hand-made summary (ranking, ties, the
lower bound against the mean, failed rows, none qualifying, one seed); a real priced sweep through
the CLI whose ledger, intervals and ranking are recomputed from the stored runs; and the What-if
tab's answer line through AppTest.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from helpers import assert_clean, config
from lab.cli import main
from lab.spec.costs import format_amount
from lab.spec.errors import ConfigError
from lab.sweep.answer import answer_sweep, parse_target, ranking_lines

EVERY = "contenders[1].policy.every"
CFG = {"contenders": [{"name": "Frozen"}, {"name": "Periodic"}]}


def summary_of(rows: list[tuple]) -> pd.DataFrame:
    """A sweep summary from (setting, every, contender, n_seeds, n_failed, accuracy mean, low,
    high, cost mean, low, high) tuples."""
    frame = pd.DataFrame(rows, columns=[
        "setting", EVERY, "contender", "n_seeds", "n_failed", "accuracy_mean",
        "accuracy_ci_low", "accuracy_ci_high", "cost_total_mean", "cost_total_ci_low",
        "cost_total_ci_high"])
    return frame


# Hand-made: the three Frozen rows cost the same (100); setting 2's has the best lower bound,
# settings 0 and 1 tie on cost and score too (earlier setting first). Periodic at 2,000 is the
# cheapest Periodic row but one of its runs failed; at 1,000 its mean keeps 90 % but not its
# lower bound; at 500 both do.
HAND = summary_of([
    (0, 500, "Frozen", 3, 0, 0.70, 0.65, 0.75, 100.0, 90.0, 110.0),
    (0, 500, "Periodic", 3, 0, 0.92, 0.91, 0.93, 300.0, 280.0, 320.0),
    (1, 1000, "Frozen", 3, 0, 0.70, 0.65, 0.75, 100.0, 90.0, 110.0),
    (1, 1000, "Periodic", 3, 0, 0.91, 0.89, 0.93, 200.0, 190.0, 210.0),
    (2, 2000, "Frozen", 3, 0, 0.70, 0.66, 0.74, 100.0, 95.0, 105.0),
    (2, 2000, "Periodic", 2, 1, 0.95, 0.94, 0.96, 150.0, 140.0, 160.0),
])


def order(answer) -> list[tuple[int, str]]:
    return list(zip(answer.ranking["setting"], answer.ranking["contender"]))


def test_ranking_ties_and_the_cheapest_setting_kept_on_the_lower_bound():
    answer = answer_sweep(HAND, "accuracy", 0.9, config=CFG)
    assert order(answer) == [(2, "Frozen"), (0, "Frozen"), (1, "Frozen"), (2, "Periodic"),
                             (1, "Periodic"), (0, "Periodic")]
    assert answer.ranking["rank"].tolist() == [1, 2, 3, 4, 5, 6]
    assert answer.ranking["qualifies"].tolist() == [False] * 5 + [True]
    assert (answer.choice["setting"], answer.choice["contender"]) == (0, "Periodic")
    assert answer.sentence == (
        "The cheapest setting that keeps accuracy ≥ 90 % (lower 95 % bound over 3 seeds) is "
        "Periodic with samples between retrains = 500: total cost 300 (95 % CI 280–320), "
        "accuracy 92.0 % (95 % CI 91.0–93.0 %). 2 cheaper settings fall short.")


def test_judged_on_the_mean_the_cheaper_setting_qualifies_but_a_failed_run_never_does():
    answer = answer_sweep(HAND, "accuracy", 0.9, basis="mean", config=CFG)
    assert (answer.choice["setting"], answer.choice["contender"]) == (1, "Periodic")
    assert "(mean over 3 seeds)" in answer.sentence and "1 cheaper setting falls" in answer.sentence
    # the failed row's mean (95 %) is above the target, and it is cheaper: still not chosen
    failed = answer.ranking[answer.ranking["n_failed"] > 0]
    assert failed["qualifies"].tolist() == [False]


def test_a_target_exactly_on_the_bound_is_kept():
    assert answer_sweep(HAND, "accuracy", 0.91, config=CFG).choice["setting"] == 0
    assert answer_sweep(HAND, "accuracy", 0.9100001, config=CFG).choice is None


def test_equal_cost_and_score_in_one_setting_follow_the_config_order_not_the_alphabet():
    frame = summary_of([(0, 500, "Zeta", 2, 0, 0.8, 0.7, 0.9, 10.0, 9.0, 11.0),
                        (0, 500, "Alpha", 2, 0, 0.8, 0.7, 0.9, 10.0, 9.0, 11.0)])
    frame = frame.rename(columns={EVERY: "evaluation.label_delay"})  # applies to both
    answer = answer_sweep(frame, "accuracy", 0.5)
    assert order(answer) == [(0, "Zeta"), (0, "Alpha")] and answer.choice["contender"] == "Zeta"


def test_none_qualifies_names_the_closest_without_a_failed_run():
    answer = answer_sweep(HAND, "accuracy", 0.97, config=CFG)
    assert answer.choice is None
    assert (answer.closest["setting"], answer.closest["contender"]) == (0, "Periodic")
    assert answer.sentence.startswith(
        "No setting keeps accuracy ≥ 97 % (lower 95 % bound over 3 seeds). Closest: Periodic "
        "with samples between retrains = 500, with accuracy 91.0 % on that basis: total cost 300")


def test_one_contender_only():
    answer = answer_sweep(HAND, "accuracy", 0.9, contender="Periodic", config=CFG)
    assert set(answer.ranking["contender"]) == {"Periodic"} and len(answer.ranking) == 3
    assert answer.sentence.startswith("The cheapest setting of Periodic that keeps accuracy ≥ 90 %")
    assert "is Periodic with samples between retrains = 500:" in answer.sentence
    assert "2 cheaper settings fall short" in answer.sentence


def test_one_seed_has_no_lower_bound_so_the_answer_says_what_to_do():
    frame = summary_of([(0, 500, "Frozen", 1, 0, 0.8, math.nan, math.nan, 20.0, math.nan,
                         math.nan)])
    answer = answer_sweep(frame, "accuracy", 0.5)
    assert answer.choice is None and answer.closest is None
    assert "run 2 or more seeds, or judge by the mean" in answer.sentence
    by_mean = answer_sweep(frame, "accuracy", 0.5, basis="mean")
    assert by_mean.choice is not None and "(no CI with one seed)" in by_mean.sentence
    doc = by_mean.to_dict()
    json.dumps(doc, allow_nan=False)  # NaN written as null
    assert doc["choice"]["cost"] == {"mean": 20.0, "ci_low": None, "ci_high": None}


def test_rows_without_a_cost_rank_last_and_the_kappa_reads_as_a_number():
    frame = summary_of([(0, 500, "Frozen", 0, 2, math.nan, math.nan, math.nan, math.nan,
                         math.nan, math.nan),
                        (1, 1000, "Frozen", 2, 0, 0.8, 0.7, 0.9, 50.0, 40.0, 60.0)])
    frame["kappa_mean"], frame["kappa_ci_low"], frame["kappa_ci_high"] = \
        [math.nan, 0.55], [math.nan, 0.5], [math.nan, 0.6]
    answer = answer_sweep(frame, "kappa", 0.5)
    assert order(answer) == [(1, "Frozen"), (0, "Frozen")]
    assert "keeps kappa ≥ 0.5 (" in answer.sentence and "kappa 0.550 (95 % CI 0.500–0.600)" in \
        answer.sentence
    lines = ranking_lines(answer)
    assert lines[0].split()[0] == "rank" and lines[1].endswith("yes") and lines[2].endswith("no")


@pytest.mark.parametrize("text, value", [("accuracy=0.9", 0.9), ("accuracy=90%", 0.9),
                                         (" kappa = -0.2 ", -0.2), ("macro_f1=1", 1.0)])
def test_parse_target(text, value):
    assert parse_target(text).value == pytest.approx(value)


@pytest.mark.parametrize("text, needle", [
    ("accuracy", "is not METRIC=VALUE"), ("accuracy=", "is not METRIC=VALUE"),
    ("acc=0.9", "is not a score"), ("accuracy=abc", "is not a number"),
    ("accuracy=90", "must lie in 0..1"), ("kappa=2", "must lie in -inf..1"),
    ("accuracy=-0.1", "must lie in 0..1"), ("accuracy=nan", "is not a number"),
    ("accuracy=" + "9" * 5000, "is not a number")])
def test_bad_targets_are_one_line_errors(text, needle):
    with pytest.raises(ConfigError) as err:
        parse_target(text)
    assert needle in str(err.value) and "\n" not in str(err.value) and len(str(err.value)) < 300


def test_bad_questions_are_one_line_errors():
    for kwargs, needle in (({"contender": "Nope"}, "is not a contender"),
                           ({"rank_by": "accuracy"}, "is not a figure to rank by"),
                           ({"basis": "median"}, "is not a basis")):
        with pytest.raises(ConfigError, match=needle):
            answer_sweep(HAND, "accuracy", 0.9, **kwargs)
    with pytest.raises(ConfigError, match="has no column cost_total_mean"):
        answer_sweep(HAND.drop(columns="cost_total_mean"), "accuracy", 0.9)


# --------------------------------------------------------------------------------------------
# A real priced sweep through the CLI
# --------------------------------------------------------------------------------------------
PRICES = {"retrain": 25.0, "train_sample": 0.01, "label": 0.002, "error": 1.0}
PRICED = {**config("sea", n=1500, params={"noise": 0.1}, warmup=200,
                   drifts=[{"at": 900, "width": 0, "to": {"variant": 2}}],
                   contenders=[
                       {"name": "Frozen", "model": "sk.gaussian_nb", "policy": {"kind": "frozen"}},
                       {"name": "Periodic", "model": "sk.gaussian_nb",
                        "policy": {"kind": "periodic", "every": 300, "data": "window",
                                   "window": 400}}]),
          "costs": PRICES}


@pytest.fixture(scope="module")
def priced_sweep(tmp_path_factory):
    folder = tmp_path_factory.mktemp("priced")
    cfg = folder / "priced.json"
    cfg.write_text(json.dumps(PRICED))
    out = folder / "out"
    args = ["sweep", "--config", str(cfg), "--vary", f"{EVERY}=300,900", "--seeds", "3",
            "--out", str(out), "--jobs", "1"]
    assert main([*args, "--quiet"]) == 0
    return args, out


def per_seed(out: Path) -> dict[tuple[int, str], list[dict]]:
    """Each (setting, contender)'s summary objects over the seeds, from the stored runs."""
    plan = json.loads((out / "sweep.json").read_text())
    found: dict[tuple[int, str], list[dict]] = {}
    for setting in plan["settings"]:
        for run in setting["runs"]:
            record = json.loads((out / "runs" / f"{run['key']}.json").read_text())
            for c in record["contenders"]:
                found.setdefault((setting["setting"], c["name"]), []).append(c)
    return found


def test_the_ledger_reconciles_and_the_summary_interval_is_student_t(priced_sweep):
    _, out = priced_sweep
    runs = per_seed(out)
    summary = pd.read_csv(out / "sweep_summary.csv")
    sweep = pd.read_csv(out / "sweep.csv")
    assert len(runs) == 4 and all(len(v) == 3 for v in runs.values())
    for (setting, name), seeds in runs.items():
        for c in seeds:  # every amount is a count times a price
            cost = c["cost"]
            assert cost["total"] == pytest.approx(
                c["train_samples"] * PRICES["train_sample"] + c["retrains"] * PRICES["retrain"]
                + cost["labels_bought"] * PRICES["label"]
                + cost["wrong_predictions"] * PRICES["error"], rel=1e-12)
            assert c["cost_total"] == cost["total"]
        row = summary[(summary["setting"] == setting) & (summary["contender"] == name)].iloc[0]
        rows = sweep[(sweep["setting"] == setting) & (sweep["contender"] == name)]
        values = np.array([c["cost_total"] for c in seeds])
        assert sorted(rows["cost_total"]) == pytest.approx(sorted(values), rel=1e-12)
        assert sorted(rows["cost_retrains"]) == pytest.approx(
            sorted(c["retrains"] * PRICES["retrain"] for c in seeds))
        assert row["cost_total_mean"] == pytest.approx(values.mean(), rel=1e-12)
        low, high = stats.t.interval(0.95, len(values) - 1, loc=values.mean(),
                                     scale=stats.sem(values))
        assert (row["cost_total_ci_low"], row["cost_total_ci_high"]) == pytest.approx((low, high))
    # the retrain price is felt: retraining every 300 samples costs more in retrains than every 900
    retrains = summary.set_index(["setting", "contender"])["cost_retrains_mean"]
    assert retrains[(0, "Periodic")] > retrains[(1, "Periodic")] > 0 == retrains[(0, "Frozen")]


def test_cli_target_ranks_by_cost_and_picks_the_cheapest_kept_setting(priced_sweep, capsys):
    args, out = priced_sweep
    runs = per_seed(out)
    names = ["Frozen", "Periodic"]
    expected = {}
    for key, seeds in runs.items():
        cost = np.array([c["cost_total"] for c in seeds])
        acc = np.array([c["accuracy"] for c in seeds])
        low = stats.t.interval(0.95, len(acc) - 1, loc=acc.mean(), scale=stats.sem(acc))[0]
        expected[key] = (cost.mean(), low)
    ranked = sorted(expected, key=lambda k: (expected[k][0], -expected[k][1], k[0],
                                             names.index(k[1])))
    # a target that the cheapest row misses and some other row keeps: the answer is not rank 1
    cheapest_low = expected[ranked[0]][1]
    target = round(cheapest_low + 1e-4, 6)
    assert any(expected[k][1] >= target for k in ranked), "pick another config: nothing keeps it"
    capsys.readouterr()
    assert main([*args, "--target", f"accuracy={target}"]) == 0
    printed = capsys.readouterr().out
    assert "0 ran" in printed  # a new question on a finished sweep runs no race
    answer = json.loads((out / "answer.json").read_text())
    assert [(r["setting"], r["contender"]) for r in answer["ranking"]] == ranked
    choice = next(k for k in ranked if expected[k][1] >= target)
    assert (answer["choice"]["setting"], answer["choice"]["contender"]) == choice
    assert answer["choice"]["rank"] > 1 and answer["choice"]["score"]["ci_low"] == pytest.approx(
        expected[choice][1])
    assert answer["choice"]["cost"]["mean"] == pytest.approx(expected[choice][0])
    assert answer["answer"] in printed and answer["answer"].startswith("The cheapest setting")
    assert f"total cost {format_amount(expected[choice][0])} (95 % CI" in answer["answer"]
    assert (answer["metric"], answer["basis"], answer["rank_by"]) == ("accuracy", "lower",
                                                                      "cost_total")
    # quiet: the answer line only; another run without --target drops the stale answer
    assert main([*args, "--quiet", "--target", f"accuracy={target}"]) == 0
    assert capsys.readouterr().out.strip() == answer["answer"]
    assert main([*args, "--quiet"]) == 0 and not (out / "answer.json").exists()


@pytest.mark.parametrize("extra, needle", [
    (["--contender", "Periodic"], "--contender: only applies to an answer"),
    (["--target", "accuracy=2"], "--target: a target on accuracy must lie in 0..1"),
    (["--target", "accuracy=0.9", "--contender", "Nobody"], "is not a contender"),
])
def test_cli_bad_questions_exit_2_before_running(tmp_path, capsys, extra, needle):
    cfg = tmp_path / "priced.json"
    cfg.write_text(json.dumps(PRICED))
    code = main(["sweep", "--config", str(cfg), "--vary", f"{EVERY}=300", "--out",
                 str(tmp_path / "out"), "--quiet", *extra])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and needle in err, err
    assert not (tmp_path / "out").exists()


# --------------------------------------------------------------------------------------------
# The What-if tab
# --------------------------------------------------------------------------------------------
@pytest.mark.slow
def test_whatif_tab_shows_the_answer_of_the_core(tmp_path):
    from streamlit.testing.v1 import AppTest

    from lab.sweep.executors import run_sweep
    from lab.sweep.plan import plan_sweep
    from lab.sweep.stats import summarise_sweep
    from lab.validate import parse_experiment
    from ui.text import escape_markdown
    from ui.urls import encode_config

    at = AppTest.from_file(str(Path(__file__).resolve().parents[1] / "app.py"),
                           default_timeout=90)
    at.query_params["config"] = encode_config(PRICED)
    at.run()
    at.session_state["result_tabs"] = "What-if"
    at.run()
    at.selectbox(key="whatif_p1").set_value(EVERY).run()
    at.text_input(key="whatif_v1").input("300,900")
    at.number_input(key="whatif_seeds").set_value(2).run()
    at.button(key="whatif_run").click().run()
    assert_clean(at)
    summary = summarise_sweep(run_sweep(plan_sweep(parse_experiment(PRICED),
                                                   {EVERY: [300, 900]}, 2), jobs=1))
    at.selectbox(key="whatif_metric").set_value("accuracy").run()
    at.number_input(key="whatif_target_accuracy").set_value(70.0).run()
    assert_clean(at)
    # every varied setting is Periodic's: the answer is among Periodic's settings by default
    assert at.selectbox(key="whatif_answer_for").value == "Periodic"
    expected = answer_sweep(summary, "accuracy", 0.7, contender="Periodic", config=PRICED)
    shown = [a.value for a in (*at.success, *at.warning)]
    assert escape_markdown(expected.sentence) in shown, shown
    assert expected.sentence.startswith("The cheapest setting of Periodic that keeps")
    # among every contender: Frozen (cheaper, and it keeps 70 % too) is never "the setting"
    at.selectbox(key="whatif_answer_for").set_value("__all__").run()
    assert_clean(at)
    everyone = answer_sweep(summary, "accuracy", 0.7, config=PRICED)
    shown = [a.value for a in (*at.success, *at.warning)]
    assert escape_markdown(everyone.sentence) in shown, shown
    assert " is Periodic with samples between retrains = " in everyone.sentence
    assert ("Frozen costs less and keeps it too" in everyone.sentence
            and "its result does not depend on Periodic: samples between retrains"
            in everyone.sentence), everyone.sentence
    table = next(d.value for d in at.dataframe if "Keeps target" in d.value.columns)
    assert sorted(set(table["Uses the varied setting"])) == [
        "no — same race in every setting", "yes"]
    at.selectbox(key="whatif_answer_for").set_value("Periodic").run()
    expected = answer_sweep(summary, "accuracy", 0.7, contender="Periodic", config=PRICED)
    table = next(d.value for d in at.dataframe if "Keeps target" in d.value.columns)
    assert table["Total cost"].tolist() == pytest.approx(
        expected.ranking["cost_total_mean"].tolist())
    assert table["Keeps target"].tolist() == ["yes" if q else "no"
                                              for q in expected.ranking["qualifies"]]
    # an impossible kappa: none qualifies, said as such, and the app stays up
    at.selectbox(key="whatif_metric").set_value("kappa").run()
    at.number_input(key="whatif_target_kappa").set_value(0.99).run()
    assert_clean(at)
    assert any(w.value.startswith("No setting of Periodic keeps kappa ≥ 0.99")
               for w in at.warning)
    # the results table carries the mean total cost, formatted as the ledger writes amounts
    results = next(d.value for d in at.dataframe if "Accuracy 95 % CI" in d.value.columns)
    assert results["Total cost"].tolist() == pytest.approx(summary["cost_total_mean"].tolist())


def test_outputs_doc_names_every_sweep_column_and_answer_key(priced_sweep, capsys):
    args, out = priced_sweep
    assert main([*args, "--quiet", "--target", "accuracy=0.5"]) == 0
    text = (Path(__file__).resolve().parents[1] / "docs" / "outputs.md").read_text()
    answer = json.loads((out / "answer.json").read_text())
    keys = set(answer) | set(answer["ranking"][0]) | set(answer["ranking"][0]["cost"])
    columns = set(pd.read_csv(out / "sweep.csv").columns) - {EVERY}
    figures = {c.rsplit("_", 2)[0] if c.endswith(("_ci_low", "_ci_high")) else
               c.removesuffix("_mean")
               for c in pd.read_csv(out / "sweep_summary.csv").columns if c != EVERY}
    named = {re.sub(r"^(recovery|max_drop|accuracy_seg)_\d+$", r"\1_<k>", c)
             for c in keys | columns | figures}
    assert sorted(k for k in named if f"`{k}`" not in text) == []
