"""What-if's results table without prices (issue 13, session 9's walk-through): its "Total cost"
column was the wrong predictions alone (its help said so), while the answer ranked by training
effort. Without prices the column is left out; the table keeps "Trained samples", the figure
the answer ranks by, under the same header in both tables."""

from __future__ import annotations

import pandas as pd

from lab.sweep.answer import answer_sweep
from lab.sweep.stats import SUMMARY_METRICS
from ui.whatif import TABLE_HELP, results_table
from ui.whatif_answer import figure_header, ranking_table

EVERY = "contenders[1].policy.every"
CFG = {"contenders": [
    {"name": "Frozen", "model": "sk.gaussian_nb", "policy": {"kind": "frozen"}},
    {"name": "Periodic", "model": "sk.gaussian_nb", "policy": {"kind": "periodic", "every": 1500}}]}


def sweep_summary(price_retrains: float) -> pd.DataFrame:
    """Two settings of one contender; errors cost 1 each; retrains cost ``price_retrains``."""
    rows = []
    for s, every in enumerate((1500, 3000)):
        row = {"setting": s, EVERY: every, "contender": "Periodic", "n_seeds": 1, "n_failed": 0}
        for m in SUMMARY_METRICS:
            row.update({f"{m}_mean": 0.0, f"{m}_ci_low": 0.0, f"{m}_ci_high": 0.0})
        retrains, errors = 4.0 - 2 * s, 100.0 + 10 * s
        for stat in ("mean", "ci_low", "ci_high"):
            row.update({f"accuracy_{stat}": 0.8 - 0.01 * s,
                        f"train_samples_{stat}": 6000.0 - 2000 * s,
                        f"retrains_{stat}": retrains,
                        f"cost_errors_{stat}": errors,
                        f"cost_retrains_{stat}": retrains * price_retrains,
                        f"cost_total_{stat}": errors + retrains * price_retrains})
        rows.append(row)
    return pd.DataFrame(rows)


def test_no_total_cost_column_without_prices():
    table = results_table(sweep_summary(0.0), [EVERY], CFG)
    assert "Total cost" not in table.columns
    assert table["Trained samples"].tolist() == [6000.0, 4000.0]
    assert "without prices" not in TABLE_HELP["Total cost"]
    assert "ranks the settings by it" in TABLE_HELP["Trained samples"]
    # the answer ranks by the same figure, under the same header
    answer = answer_sweep(sweep_summary(0.0), "accuracy", 0.5, config=CFG)
    assert answer.unpriced and figure_header(answer) == "Trained samples"
    assert list(ranking_table(answer, CFG)["Trained samples"]) == [4000.0, 6000.0]


def test_the_total_cost_column_with_a_price():
    table = results_table(sweep_summary(50.0), [EVERY], CFG)
    # hand-computed: 100 errors + 4 retrains x 50 = 300; 110 + 2 x 50 = 210
    assert table["Total cost"].tolist() == [300.0, 210.0]
    answer = answer_sweep(sweep_summary(50.0), "accuracy", 0.5, config=CFG)
    assert not answer.unpriced and figure_header(answer) == "Total cost"
