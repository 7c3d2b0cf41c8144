"""The tie rule (``lab.race.ties``) and how the story, the Summary highlight and the report
follow it: hand-computed paired gaps on tiny traces, then real races (a tied pair, a clear
winner, a contender that does not beat the no-change baseline), and drifts that change nothing.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from lab.race.story import race_story, segment_labels
from lab.race.ties import GapNoise, is_tie, paired_gap
from ui import tables


def plain(lines):
    return [line.replace("\xa0", " ") for line in lines]


# ---------------------------------------------------------------------------------------------
# The paired gap, by hand
# ---------------------------------------------------------------------------------------------
def test_mcnemar_counts_noise_and_p_value_by_hand():
    # 16 samples (one batch of 4 per 4 samples): A alone right on samples 0 and 8, B alone on 5
    a = np.array([1, 1, 0, 1, 1, 0, 1, 1, 1, 0, 1, 1, 0, 1, 1, 1])
    b = np.array([0, 1, 0, 1, 1, 1, 1, 1, 0, 0, 1, 1, 0, 1, 1, 1])
    gap = paired_gap(a, b)
    assert (gap.n, gap.a_only, gap.b_only) == (16, 2, 1)
    assert gap.gap == pytest.approx(1 / 16)
    # d = a - b: batch means (L = 4) 1/4, -1/4, 1/4, 0, mean 1/16, deviations 3/16, -5/16,
    # 3/16, -1/16: variance (ddof 1) 44/256/3 = 11/192; per-sample variance 3/16 - 1/256
    means = np.array([0.25, -0.25, 0.25, 0.0])
    tau = max(1.0, 4 * means.var(ddof=1) / (47 / 256))
    assert tau == pytest.approx(4 * (11 / 64) / 3 / (47 / 256))  # var(ddof=1) = 11/192
    assert gap.inflation == pytest.approx(tau)
    assert gap.noise == pytest.approx(1.959964 * math.sqrt(tau * 3) / 16, rel=1e-6)
    # McNemar's statistic (b - c)² / (b + c) = 1/3, on the effective sample: / tau
    assert gap.p_value == pytest.approx(stats.chi2.sf(1 / 3 / tau, 1))


def test_without_autocorrelation_it_is_mcnemars_test_and_tie_means_p_above_5_percent():
    rng = np.random.default_rng(3)
    for _ in range(40):
        n = int(rng.integers(400, 3000))
        a = (rng.random(n) < rng.uniform(0.6, 0.9)).astype(int)
        b = (rng.random(n) < rng.uniform(0.6, 0.9)).astype(int)
        gap = paired_gap(a, b)
        plain_stat = (gap.a_only - gap.b_only) ** 2 / (gap.a_only + gap.b_only)
        assert gap.p_value == pytest.approx(stats.chi2.sf(plain_stat / gap.inflation, 1))
        assert (abs(gap.gap) < gap.noise) == (gap.p_value > 0.05)
        assert 1.0 <= gap.inflation < 1.6  # independent samples: no inflation to speak of


def test_a_run_of_errors_is_noise_that_spread_errors_are_not():
    b = np.array([1] * 50 + [0] * 50)
    clustered = paired_gap(np.array([1] * 60 + [0] * 40), b)
    assert clustered.inflation == pytest.approx(100 / 9)  # batch means 1 once, 0 nine times
    assert is_tie(clustered.gap, clustered.noise)
    b = np.array([1, 0] * 50)
    a = b.copy()
    a[1::10] = 1
    spread = paired_gap(a, b)
    assert spread.inflation == 1.0 and not is_tie(spread.gap, spread.noise)
    assert is_tie(0.004, None) and not is_tie(0.006, None)  # half a point, noise unknown


# ---------------------------------------------------------------------------------------------
# The story and the highlight on a hand-made run
# ---------------------------------------------------------------------------------------------
def _run(acc_a, acc_b, acc_ref, n=2000, clustered=False):
    """A summary of two contenders (and the no-change figure) over ``n`` scored samples, with
    a GapNoise whose correctness arrays give exactly those accuracies."""
    def hits(share, shift):
        out = np.zeros(n, dtype=np.int8)
        k = round(share * n)
        if clustered:
            out[:k] = 1
        else:
            out[(np.arange(k) * n // k + shift) % n] = 1
        return out

    correct = {0: hits(acc_a, 0), 1: hits(acc_b, 1), "no_change": hits(acc_ref, 2),
               "majority": hits(0.5, 3)}
    noise = GapNoise(correct, [(0, n)], (0, n))
    contenders = [{"name": name, "status": "ok", "error": None, "accuracy": acc,
                   "accuracy_by_segment": [acc], "retrains": 0, "train_samples": ts,
                   "max_drop": [], "recovery": []}
                  for name, acc, ts in (("A", acc_a, 1000), ("B", acc_b, 2000))]
    summary = {"drifts": [], "n_scored": n, "contenders": contenders,
               "config": {"evaluation": {"warmup": 0}, "stream": {"n_samples": n}},
               "no_change_accuracy": acc_ref, "majority_accuracy": 0.5,
               "no_change_accuracy_by_segment": [acc_ref], "majority_accuracy_by_segment": [0.5]}
    return summary, noise


def test_a_gap_over_half_a_point_but_within_noise_is_too_close_to_call_not_a_tie():
    summary, noise = _run(0.80, 0.79, 0.5, clustered=True)
    alone = plain(race_story(summary))
    assert alone[0].startswith("**Over the whole stream**: **A** is the most accurate")
    measured = plain(race_story(summary, noise=noise))
    assert measured[0].startswith("**Over the whole stream**: **A** at 80.0 % and **B** at "
                                  "79.0 % are too close to call over samples 0–2,000")
    assert len(measured) == 1  # no drifts: the whole stream is told once
    assert "tie" not in " ".join(measured)
    table = tables.overall_table(summary)
    assert tables.best_rows(table, summary)["Accuracy"] == ["contender:0"]
    assert "Accuracy" not in tables.best_rows(table, summary, noise)


def test_a_contender_level_with_or_below_the_no_change_baseline_is_never_credited():
    for ref in (0.85, 0.80):  # above it, then level with it
        summary, noise = _run(0.80, 0.60, ref)
        lines = plain(race_story(summary, noise=noise))
        assert "most accurate" not in " ".join(lines)
        assert lines[-1].startswith("**Over the whole stream**: A scores 80.0 %")
        assert "no-change baseline" in lines[-1]
        assert "Accuracy" not in tables.best_rows(tables.overall_table(summary), summary, noise)
    summary, noise = _run(0.80, 0.60, 0.70)  # clearly above it
    assert "**A** is the most accurate contender (80.0 %)" in plain(race_story(summary,
                                                                             noise=noise))[-1]
    assert tables.best_rows(tables.overall_table(summary), summary, noise)["Accuracy"] == [
        "contender:0"]


# ---------------------------------------------------------------------------------------------
# Drifts that change nothing
# ---------------------------------------------------------------------------------------------
def _idle_summary():
    contenders = [{"name": n, "status": "ok", "error": None, "accuracy": acc,
                   "accuracy_by_segment": [acc, acc], "retrains": 0, "train_samples": 1000,
                   "max_drop": [0.2], "recovery": [None], "recovery_tolerance": [0.05],
                   "pre_drift_accuracy": [acc], "area_lost": [60.0]}
                  for n, acc in (("Frozen", 0.9), ("Online", 0.8))]
    return {"drifts": [{"at": 5000, "width": 0, "start": 5000, "end": 5000}], "n_scored": 9000,
            "n_samples": 10000, "complete": True, "contenders": contenders,
            "config": {"seed": 1, "evaluation": {"warmup": 1000},
                       "stream": {"source": "sea", "n_samples": 10000,
                                  "params": {"variant": 1},
                                  "drifts": [{"at": 5000, "width": 0, "to": {"variant": 1}}]}}}


def test_a_drift_that_changes_nothing_is_told_once_and_never_as_a_drift():
    s = _idle_summary()
    assert [label for label, _, _ in segment_labels(s)] == ["Before the first drift",
                                                            "From 5,000 on (no change)"]
    lines = plain(race_story(s))
    assert lines[1] == ("**From 5,000 on**: the drift at 5,000 changes nothing (the concept is "
                        "already variant 1); **Frozen** leads with 90.0 %, ahead of Online "
                        "(80.0 %).")
    text = " ".join(lines)
    assert text.count("changes nothing") == 1 and "dipped" not in text
    assert "sudden drift" not in text
    assert tables.drift_table(s)["Drift"].tolist()[0] == "1: at 5,000, changes nothing"


def test_report_headline_counts_with_plurals_and_names_idle_drifts():
    from lab.race.report import _header

    s = _idle_summary()
    assert "10,000 samples of SEA · 1 drift (1 changes nothing) · 2 contenders" in _header(s)
    s["contenders"] = s["contenders"][:1]
    s["drifts"], s["config"]["stream"]["drifts"] = [], []
    assert "0 drifts · 1 contender ·" in _header(s)


def test_accuracy_lost_reads_in_points_and_a_gain_as_a_gain():
    assert tables.format_cell("Accuracy lost", 0.05) == "5.0 pts"
    assert tables.format_cell("Accuracy lost", -0.0067) == "0.7 pts gained"
    assert tables.format_cell("Accuracy lost", -0.0001) == "0.0 pts"
    table = tables.drift_table(_idle_summary())
    assert table["Accuracy lost"].tolist() == pytest.approx([60 / 5000] * 2)


# ---------------------------------------------------------------------------------------------
# Real races
# ---------------------------------------------------------------------------------------------
def _race(preset, overrides):
    from lab import load_preset, run_race, summarise
    from lab.race.ties import noise_from_result

    result = run_race(load_preset(preset).with_overrides(overrides))
    summary = summarise(result)
    return summary, noise_from_result(result, summary)


@pytest.mark.slow
def test_real_races_a_tie_within_noise_a_clear_winner_and_a_loser_to_no_change():
    # stable: frozen and periodic retrain on all data are the same model (a 0-point gap); online
    # is 0.8 points behind, over half a point but within the noise (0.9 points) of the 1,000
    # scored samples (warm-up 2,000)
    summary, noise = _race("stable", {"stream.n_samples": 3000})
    names = [c["name"] for c in summary["contenders"]]
    gap = noise.gap(0, names.index("Online"))
    assert 0.005 < gap.gap < gap.noise
    assert plain(race_story(summary))[0].endswith("The other: Online at 88.4 %.")
    lines = plain(race_story(summary, noise=noise))
    # a 0.8-point gap within the noise is "too close to call", not a tie; the two that share
    # the fewest samples are named together
    assert lines[-1].startswith("**Over the whole stream**: **Frozen batch** at 89.2 %, "
                                "**Periodic retrain "
                                "(all data)** at 89.2 % and **Online** at 88.4 % are too close "
                                "to call over samples 2,000–3,000"), lines[-1]
    assert summary["n_scored"] == 1000
    assert lines[-1].endswith("of them, Frozen batch and Periodic retrain (all data) trained "
                              "least (2,000 samples each).")
    assert "Accuracy" not in tables.best_rows(tables.overall_table(summary), summary, noise)
    # sudden: after the 90-degree turn online is clearly ahead, before it everyone ties
    summary, noise = _race("sudden", {"stream.n_samples": 4000, "stream.drifts[0].at": 2500})
    lines = plain(race_story(summary, noise=noise))
    assert "tie at" in lines[0] or "too close to call over samples 1,000–2,500" in lines[0]
    assert lines[1].startswith("**After the sudden drift at 2,500**: **Online** leads")
    assert lines[2].startswith("**Overall**: **Online** is the most accurate contender")
    online = f"contender:{[c['name'] for c in summary['contenders']].index('Online')}"
    assert tables.best_rows(tables.overall_table(summary), summary, noise)["Accuracy"] == [
        online]
    # Elec2's first 3,000 rows: no contender does clearly better than the no-change baseline
    summary, noise = _race("lesson-no-change", {"stream.n_samples": 3000})
    text = " ".join(plain(race_story(summary, noise=noise)))
    assert "most accurate" not in text and "no-change baseline (83.7 %)" in text
    assert "Accuracy" not in tables.best_rows(tables.overall_table(summary), summary, noise)
