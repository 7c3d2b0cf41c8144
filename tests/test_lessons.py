"""Lessons: every claim holds on the lab's own numbers, "try this" does what it says, a plausible
change breaks the claim, and the decision-boundary view, snapshots and lesson figures work."""

from __future__ import annotations

import json
import re

import numpy as np
import pytest
from lesson_runs import summary

from helpers import config
from lab import parse_experiment, run_race, summarise
from lab.lessons.catalogue import LESSONS, get_lesson
from lab.lessons.checks import ClaimCheck, check_claim, check_try
from lab.lessons.runner import (
    lesson_config,
    lesson_experiment,
    lesson_figures,
    run_lesson,
    snapshot_plan,
    snapshot_times,
)
from lab.spec.errors import ConfigError

KEYS = list(LESSONS)


def _summary(key: str, seed: int) -> dict:
    """The preset run on ``seed``, shared with the other lesson tests (``lesson_runs``)."""
    return summary(key, {}, seed)


def _seed(key: str) -> int:
    return LESSONS[key].config["seed"]


# --------------------------------------------------------------------------------------------
# The claims
# --------------------------------------------------------------------------------------------
def test_every_claim_is_checked_at_the_preset_on_ten_seeds_in_a_table():
    """The preset rows of the claim tables run each claim on ten seeds (lesson 15 on three:
    its Elec2 rows are the same whatever the seed), so no test here repeats those runs."""
    from test_lesson_claims import TRIED as OLD
    from test_lesson_economics import TRIED as ECONOMICS
    from test_new_lessons import TRIED as NEW

    seeds = {k: 10 for k, name, o, v in OLD if o == {} and v is True}
    seeds.update({k: n for k, name, o, n, v in NEW if o == {} and v is True})
    seeds.update(("lesson-how-often", n) for _, o, n, v in ECONOMICS if o == {} and v is True)
    assert set(seeds) == set(KEYS)
    assert all(n >= 10 for k, n in seeds.items() if k != "lesson-no-change"), seeds


@pytest.mark.parametrize("key", KEYS)
@pytest.mark.slow
def test_try_this_does_what_the_lesson_says(key):
    lesson = LESSONS[key]
    assert lesson.try_overrides and lesson.try_check is not None
    for seed in (_seed(key), _seed(key) + 1):
        result = check_try(lesson, summary(key, lesson.try_overrides, seed), _summary(key, seed))
        assert result.holds, f"{key} seed {seed}: {result.detail}"


@pytest.mark.parametrize("key", KEYS)
@pytest.mark.slow
def test_a_plausible_change_makes_the_claim_fail(key):
    lesson = LESSONS[key]
    assert lesson.break_overrides and lesson.break_note
    broken = check_claim(lesson, summary(key, lesson.break_overrides))
    assert broken.holds is False, broken.detail
    assert broken.detail
    assert check_claim(lesson, _summary(key, _seed(key))).holds  # the same seed, unbroken


def test_a_claim_that_cannot_be_judged_says_why_instead_of_raising():
    lesson = LESSONS["lesson-sudden"]
    good = _summary("lesson-sudden", _seed("lesson-sudden"))
    renamed = json.loads(json.dumps(good))
    renamed["contenders"][2]["name"] = "My online learner"
    check = check_claim(lesson, renamed)
    assert check == ClaimCheck(False, check.detail) and "'Online'" in check.detail
    failed = json.loads(json.dumps(good))
    failed["contenders"][0].update(status="failed", error="ValueError: boom", accuracy=None)
    assert "boom" in check_claim(lesson, failed).detail
    assert check_claim(lesson, failed).holds is False
    # a claim about a drift, on a stream without one
    no_drift = run_lesson("lesson-old-data", {"stream.drifts": []}, snapshots=False)
    assert not no_drift.check.holds and "no stretch after drift" in no_drift.check.detail
    # a summary of another kind of lesson
    assert not check_claim(LESSONS["lesson-kmeans"], good).holds


# --------------------------------------------------------------------------------------------
# The texts and the registry
# --------------------------------------------------------------------------------------------
def test_lessons_are_complete_numbered_and_their_changes_are_valid():
    assert [lesson.number for lesson in LESSONS.values()] == list(range(1, 17))
    for lesson in LESSONS.values():
        assert lesson.key.startswith("lesson-") and get_lesson(lesson.number) is lesson
        for text in (lesson.title, lesson.situation, lesson.look_at, lesson.shows,
                     lesson.try_this, lesson.try_expect, lesson.claim):
            assert text.strip() and "  " not in text
            assert len(text) < 700, (lesson.key, text[:60])
        assert lesson.claim.endswith(".") and lesson.claim.count(". ") == 0  # one sentence
        # the preset, the "try this" and the breaking change are all valid configs
        for overrides in ({}, lesson.try_overrides, lesson.break_overrides):
            cfg = lesson_config(lesson, overrides)
            assert cfg["seed"] == lesson.config["seed"]
        if lesson.is_race:
            exp = lesson_experiment(lesson, seed=99)
            assert exp.seed == 99 and exp.stream.n_samples <= 12000
    with pytest.raises(ConfigError, match="unknown lesson"):
        get_lesson("lesson-nope")
    with pytest.raises(ConfigError, match="not a race"):
        lesson_experiment(LESSONS["lesson-gradient"])


def test_python_m_lab_presets_lists_the_lessons_and_run_preset_handles_them(tmp_path, capsys):
    from lab.cli import main
    from lab.presets import PRESETS, RACE_PRESETS, load_preset

    assert main(["presets"]) == 0
    listing = capsys.readouterr().out
    for lesson in LESSONS.values():
        assert lesson.key in listing and f"Lesson {lesson.number}:" in listing
    for name in ("default", "stable", "sudden", "gradual-recurring"):
        assert PRESETS[name].kind == "race" and name in RACE_PRESETS
    assert "lesson-kmeans" not in RACE_PRESETS
    assert load_preset("lesson-sudden").to_dict() == lesson_config(LESSONS["lesson-sudden"])
    assert main(["run", "--preset", "lesson-old-data", "--out", str(tmp_path / "r"),
                 "--quiet"]) == 0
    summary = json.loads((tmp_path / "r" / "summary.json").read_text())
    assert check_claim(LESSONS["lesson-old-data"], summary).holds  # judged from the file
    capsys.readouterr()
    assert main(["run", "--preset", "lesson-gradient", "--out", str(tmp_path / "g")]) == 2
    err = capsys.readouterr().err
    assert "lesson 10" in err and "python -m lab.lessons run lesson-gradient" in err


def test_lessons_command_line_runs_a_lesson_and_writes_its_files(tmp_path, capsys):
    from lab.cli import lessons_main as main

    assert main(["run", "lesson-kmeans", "--out", str(tmp_path), "--set", "n_points=1200"]) == 0
    out = capsys.readouterr().out
    assert "HOLDS" in out
    claim = json.loads((tmp_path / "claim.json").read_text())
    assert claim["holds"] is True and claim["overrides"] == {"n_points": 1200}
    assert (tmp_path / "figure1.html").stat().st_size > 100_000
    assert main(["run", "lesson-kmeans", "--try"]) == 0
    assert "DOES NOT HOLD" in capsys.readouterr().out
    assert main(["run", "lesson-kmeans", "--set", "speed=-1"]) == 2
    assert "speed" in capsys.readouterr().err


# --------------------------------------------------------------------------------------------
# Snapshots and the decision-boundary view
# --------------------------------------------------------------------------------------------
def _boundary_config(n=3000):
    return config("blobs2d", n=n, params={"separation": 2.5},
                  drifts=[{"at": 1500, "width": 0, "to": {"angle": 90}}], window=200,
                  contenders=[
                      {"name": "Frozen", "model": "sk.gaussian_nb", "policy": {"kind": "frozen"}},
                      {"name": "Periodic", "model": "sk.gaussian_nb",
                       "policy": {"kind": "periodic", "every": 700, "window": 700}},
                      {"name": "Online", "model": {"name": "river.logistic_regression",
                                                   "params": {"lr": 0.2}},
                       "policy": {"kind": "online"}},
                  ])


def test_snapshot_plan_picks_moments_around_each_drift():
    exp = parse_experiment(config("blobs2d", n=10000, warmup=500, window=400, drifts=[
        {"at": 3000, "width": 0, "to": {"angle": 90}},
        {"at": 5000, "width": 2000, "to": {"angle": 0}}]))
    assert snapshot_plan(exp) == [
        (3000, "just before drift 1 at 3,000"), (3200, "200 samples after drift 1"),
        (5000, "just before drift 2 at 5,000"), (7200, "200 samples after it ends"),
        (10000, "at the end (10,000)")]
    assert snapshot_times(exp, max_moments=3) == [3000, 3200, 10000]
    calm = parse_experiment(config("blobs2d", n=2000))
    assert snapshot_times(calm) == [500, 2000]


def test_snapshots_are_the_deployed_models_and_leave_the_race_unchanged():
    from lab.data.stream import Stream

    exp = parse_experiment(_boundary_config())
    times = snapshot_times(exp)
    assert times == [1500, 1600, 3000]
    plain = run_race(exp)
    snapped = run_race(exp, snapshots=times)
    strip = [{k: v for k, v in c.items() if k != "train_cpu_s"}
             for c in summarise(plain)["contenders"]]
    assert strip == [{k: v for k, v in c.items() if k != "train_cpu_s"}
                     for c in summarise(snapped)["contenders"]]
    assert plain.snapshots == {"Frozen": {}, "Periodic": {}, "Online": {}}
    assert {name: sorted(s) for name, s in snapped.snapshots.items()} == {
        name: times for name in ("Frozen", "Periodic", "Online")}
    # the snapshot at 1,600 is the model a race cut at 1,600 samples ends with
    s = snapped.stream
    cut = Stream(s.X[:1600], s.y[:1600], s.concept[:1600], s.feature_names, s.concepts)
    short = run_race(exp.with_overrides({"stream.n_samples": 1600}), stream=cut)
    grid = np.random.default_rng(0).normal(0, 2, size=(200, 2))
    rows = [dict(zip(s.feature_names, r)) for r in grid.tolist()]
    for run in short.contenders:
        snap, final = snapped.snapshots[run.name][1600], run.policy.model
        if hasattr(final, "predict_one"):
            assert [snap.predict_one(r) for r in rows] == [final.predict_one(r) for r in rows]
        else:
            np.testing.assert_array_equal(snap.predict(grid), final.predict(grid))
    # copies, not references: the online learner's model kept learning after 1,600
    online_1600 = snapped.snapshots["Online"][1600]
    online_end = snapped.contenders[2].policy.model
    assert online_1600 is not online_end
    assert ([online_1600.predict_one(r) for r in rows] != [online_end.predict_one(r) for r in rows])
    with pytest.raises(ValueError, match="snapshot times"):
        run_race(exp, snapshots=[100])


def test_decision_boundary_figure_shows_each_contender_before_and_after_the_drift():
    from lab.plots import decision_boundary_figure
    from lab.race.snapshots import boundary_grids

    exp = parse_experiment(_boundary_config())
    plan = snapshot_plan(exp)
    result = run_race(exp, snapshots=[t for t, _ in plan])
    grids = boundary_grids(result.stream.to_frame(), result.snapshots, plan)
    fig = decision_boundary_figure(result.stream.to_frame(), grids.x, grids.y, grids.predictions,
                                   plan)
    heatmaps = [t for t in fig.data if t.type == "heatmap"]
    assert len(heatmaps) == 3 * len(plan)
    assert {t.name for t in fig.data if t.type == "scatter"} == {"class 0", "class 1"}
    texts = [a.text.replace("<br>", " ") for a in fig.layout.annotations]  # titles wrap
    assert {"just before the drift at 1,500", "100 samples after the drift", "Frozen",
            "Periodic", "Online"} <= set(texts)
    assert "Decision boundaries" in fig.layout.title.text
    assert fig.layout.xaxis8.title.text == "x0 (feature value)"  # under the middle column
    assert fig.layout.yaxis.title.text == "x1 (feature value)"

    def z(name, t):
        [trace] = [h for h in heatmaps if h.name == f"{name} at {t:,}"]
        return np.array(trace.z, dtype=float)

    # the frozen model's boundary never moves; the online learner's turns after the drift
    np.testing.assert_array_equal(z("Frozen", 1500), z("Frozen", 3000))
    assert np.mean(z("Online", 1500) != z("Online", 3000)) > 0.2
    assert set(np.unique(z("Online", 3000))) == {0.0, 1.0}  # river predicted over the grid
    with pytest.raises(ValueError, match="2 features"):
        boundary_grids(result.stream.to_frame().assign(x2=0.0), result.snapshots, plan)
    with pytest.raises(ValueError, match="2 features"):
        decision_boundary_figure(result.stream.to_frame().assign(x2=0.0), grids.x, grids.y,
                                 grids.predictions, plan)


#: what a legend or title must not show: library method names (lesson 10's legend once said
#: "Mini-batch k-means (partial_fit)"), snake_case identifiers and registry model names
INTERNAL = re.compile(r"\b[a-z]+_[a-z0-9_]+\b|\b(?:fit|predict|transform)\(|\(\s*fit\s*\)"
                      r"|\b(?:sk|river)\.[a-z]")


def _internal_names(fig) -> list[str]:
    shown = [t.name or "" for t in fig.data if t.showlegend is not False]
    shown += [fig.layout.title.text or ""]
    shown += [getattr(fig.layout, k).title.text or "" for k in fig.layout
              if k.startswith("legend") and getattr(fig.layout, k).title.text]
    return [text for text in shown if INTERNAL.search(text)]


def test_the_internal_names_check_catches_a_method_name_in_a_legend():
    import plotly.graph_objects as go

    fig = go.Figure(go.Scatter(x=[0], y=[0], name="Mini-batch k-means (partial_fit)"))
    assert _internal_names(fig) == ["Mini-batch k-means (partial_fit)"]
    fig = go.Figure(go.Scatter(x=[0], y=[0], name="Mini-batch k-means (scikit-learn)"))
    assert _internal_names(fig) == []


@pytest.mark.slow
def test_every_chart_of_a_lesson_builds_with_titles_and_axis_labels():
    run = run_lesson("lesson-sudden")
    assert run.check.holds and sorted(run.result.snapshots["Online"]) == [3000, 3250, 6000]
    figures = lesson_figures(run)
    assert len(figures) == len(run.lesson.charts) == 3
    for caption, fig in figures:
        assert not _internal_names(fig), caption
        layout = fig.to_plotly_json()["layout"]
        x_titles = [v.get("title", {}).get("text") for k, v in layout.items()
                    if k.startswith("xaxis")]
        assert caption and fig.layout.title.text and any(x_titles)
        assert len(fig.data) > 3
    for key in ("lesson-gradient", "lesson-kmeans"):
        lesson = LESSONS[key]
        small = {"n_rows": 600, "min_updates": 40} if key == "lesson-gradient" else \
            {"n_points": 900}
        [(caption, fig)] = lesson_figures(run_lesson(lesson, small))
        assert caption and fig.layout.title.text
        assert not _internal_names(fig), (key, _internal_names(fig))
        assert fig.layout.xaxis.title.text and fig.layout.yaxis.title.text
        assert fig.layout.xaxis2.title.text
        names = {t.name for t in fig.data if t.showlegend is not False}
        if key == "lesson-gradient":
            assert {"full batch (600)", "mini-batch 32", "SGD (1)",
                    "best reachable loss"} <= names
            assert fig.layout.xaxis.type == "log" and "samples" in fig.layout.xaxis2.title.text
        else:
            assert {"true centres", "Online k-means (river)",
                    "Batch k-means on all data"} <= names
            # the distance panel has its own legend, one entry per method
            right = [t for t in fig.data if t.legend == "legend2"]
            assert {t.xaxis for t in right} == {"x2"} and len(right) == 4
            assert all(t.showlegend for t in right) and fig.layout.legend2.title.text
            # batch k-means' final crosses are drawn last, on top of the mini-batch squares
            markers = [t for t in fig.data if t.mode == "markers" and t.xaxis == "x"
                       and t.name != "points (darker = later)"]
            assert {t.name for t in markers[-3:]} == {"Batch k-means on all data"}
            assert all(t.marker.symbol.endswith("-open") for t in markers)


# --------------------------------------------------------------------------------------------
# Lessons 10 and 11: the libraries' own estimators where they fit
# --------------------------------------------------------------------------------------------
def test_sgd_loop_is_scikit_learns_sgd_and_the_loss_is_scikit_learns_log_loss():
    from sklearn.linear_model import SGDClassifier
    from sklearn.metrics import log_loss as sk_log_loss

    from lab.lessons.gradient import log_loss, make_data, train

    X, y = make_data(300, 4, seed=3)
    lr = 0.05
    losses, weights = train(X, y, batch_size=1, lr=lr, n_updates=300, seed=3)
    order = np.random.default_rng(np.random.SeedSequence([3, 11, 1])).permutation(300)
    sk = SGDClassifier(loss="log_loss", penalty=None, learning_rate="constant", eta0=lr,
                       shuffle=False)
    sk.partial_fit(X[order], y[order], classes=[0.0, 1.0])
    np.testing.assert_allclose(weights[:-1], sk.coef_[0], rtol=1e-9, atol=1e-12)
    assert weights[-1] == pytest.approx(sk.intercept_[0], abs=1e-12)
    p = 1 / (1 + np.exp(-(X @ weights[:-1] + weights[-1])))
    assert losses[-1] == pytest.approx(sk_log_loss(y, p), abs=1e-12)
    assert log_loss(X, y, np.zeros(4), 0.0) == pytest.approx(np.log(2))


def test_gradient_and_kmeans_configs_are_validated_with_the_key_named():
    from lab.lessons import gradient as lesson_gradient
    from lab.lessons import kmeans as lesson_kmeans

    for module, overrides, key in [
        (lesson_gradient, {"batch_sizes": ["full", 0]}, "batch_sizes[1]"),
        (lesson_gradient, {"lr": 0}, "lr"),
        (lesson_gradient, {"colour": 1}, "colour"),
        (lesson_kmeans, {"first_part": 5000}, "first_part"),
        (lesson_kmeans, {"n_clusters": 1.5}, "n_clusters"),
    ]:
        with pytest.raises(ConfigError) as info:
            module.with_overrides(module.DEFAULTS, overrides)
        assert str(info.value).startswith(key + ":") and "Fix:" in str(info.value)


def test_kmeans_batch_centroids_are_scikit_learns_and_sit_mid_path():
    from sklearn.cluster import KMeans

    from lab.lessons.kmeans import run_kmeans, true_centres

    run = run_kmeans({"n_points": 1500, "seed": 4})
    expected = KMeans(n_clusters=3, n_init=10, random_state=4).fit(run.X).cluster_centers_
    np.testing.assert_allclose(run.paths["batch_all"][-1], expected)
    middle = true_centres(run.config, 750)
    found = run.paths["batch_all"][-1]
    assert np.abs(np.sort(found[:, 0]) - middle[:, 0]).max() < 0.3  # mid-path, x = speed * 0.75
    # the online centres end near the true ones, the mini-batch ones lag behind
    d = run.summary["final_distance"]
    assert d["online"] < 0.3 < d["minibatch"]
