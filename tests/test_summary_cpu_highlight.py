"""The Summary's "Training CPU s" is never highlighted as best (session 9's walk-through saw
"0.00" marked best): a measured time varies from run to run and fast contenders differ by
hundredths of a second. "Trained samples", the reproducible cost, keeps its highlight."""

from __future__ import annotations

from ui import tables


def summary() -> dict:
    contenders = [{"name": name, "status": "ok", "error": None, "accuracy": acc,
                   "train_samples": trained, "train_cpu_s": cpu, "retrains": retrains,
                   "mean_staleness": 100.0, "max_staleness": 200, "mean_data_age": 50.0}
                  for name, acc, trained, cpu, retrains in (
                      ("Frozen", 0.70, 1000, 0.001, 0), ("Periodic", 0.80, 9000, 0.004, 5),
                      ("Forest", 0.90, 20000, 3.5, 0))]
    return {"drifts": [], "contenders": contenders, "n_scored": 19000,
            "config": {"evaluation": {"warmup": 1000}, "stream": {"n_samples": 20000}}}


def test_training_cpu_seconds_are_never_highlighted():
    s = summary()
    costs = tables.cost_table(s)
    assert costs["Training CPU s"].tolist() == [0.001, 0.004, 3.5]
    assert "Training CPU s" not in tables.best_rows(costs, s)  # "0.00" was marked best
    assert tables.COLUMNS["Training CPU s"].better is None
    assert "not highlighted" in tables.COLUMNS["Training CPU s"].help
    # the reproducible training cost still points out the fewest samples
    overall = tables.overall_table(s)
    assert tables.best_rows(overall, s)["Trained samples"] == ["contender:0"]
