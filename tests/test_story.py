"""lab.race.story: the plain-words headline of a race, from summary numbers only."""

from __future__ import annotations

import copy

from lab.race.story import race_story, segment_labels


def summary(contenders, drifts=({"at": 5000, "width": 0},), complete=True, source="sea",
            to=({"variant": 1},)):
    return {
        "n_scored": 9000, "complete": complete, "drifts": [dict(d) for d in drifts],
        "config": {"evaluation": {"warmup": 1000},
                   "stream": {"source": source, "n_samples": 10000, "params": {"variant": 0},
                              "drifts": [{**d, "to": t} for d, t in zip(drifts, to)]}},
        "contenders": contenders,
    }


def contender(name, segs, train, acc=None, drop=(0.1,), rec=(200,), status="ok", error=None):
    return {"name": name, "status": status, "error": error,
            "accuracy": None if status != "ok" else (acc if acc is not None
                                                     else sum(segs) / len(segs)),
            "accuracy_by_segment": list(segs), "retrains": 1, "train_samples": train,
            "max_drop": list(drop), "recovery": list(rec)}


def test_winner_of_each_segment_and_the_cost():
    s = summary([contender("Frozen", [0.9, 0.5], 1000, drop=(0.4,), rec=(None,)),
                 contender("Periodic", [0.88, 0.8], 30000),
                 contender("Online", [0.85, 0.86], 10000)])
    lines = [line.replace("\xa0", " ") for line in race_story(s)]
    # every contender named: the one between the leader and the last too
    assert lines[0] == ("**Before the first drift**: **Frozen** leads with 90.0 %; then Periodic "
                        "at 88.0 %; Online is last with 85.0 %.")
    assert lines[1].startswith("**After the sudden drift at 5,000**: **Online** leads with 86.0 %")
    assert "Frozen is last with 50.0 % (dipped 40.0 points and never recovered)" in lines[1]
    assert lines[2].startswith("**Overall**: **Online** is the most accurate")
    assert "Frozen trained least: 1,000 samples, for 70.0 %" in lines[2]


def test_ties_failures_recurring_and_stopped_runs():
    s = summary([contender("A", [0.9, 0.8, 0.7], 100, drop=(0.1, 0.1), rec=(200, 200)),
                 contender("B", [0.9, 0.7, 0.6], 200, drop=(0.1, 0.1), rec=(200, 200)),
                 contender("C", [0.5, 0.5, 0.5], 300, drop=(0.1, 0.1), rec=(200, 200)),
                 contender("Broken", [None] * 3, None, status="failed", error="ValueError: C")],
                drifts=({"at": 3000, "width": 0}, {"at": 6000, "width": 1000}),
                to=({"variant": 1}, {"variant": 0}), complete=False)
    lines = [line.replace("\xa0", " ") for line in race_story(s)]
    assert lines[0].startswith("*Stopped early")
    assert "**A** and **B** tie at 90.0 %" in lines[1]  # tied names styled alike
    assert "gradual drift at 6,000–7,000 (back to concept 0)" in lines[3]
    assert lines[-1] == "**Broken** failed: ValueError: C."


def test_no_drift_and_real_data_labels():
    s = summary([contender("A", [0.8], 10), contender("B", [0.7], 20)], drifts=(), to=())
    assert segment_labels(s) == [("Over the whole stream", 1000, 10000)]
    real = copy.deepcopy(summary([contender("A", [0.8, 0.7], 10)], to=({},)))
    real["config"]["stream"] = {"source": "dataset:elec", "n_samples": 10000,
                                "drifts": [{"at": 5000, "width": 0}]}
    labels = [label for label, _, _ in segment_labels(real)]
    assert labels == ["Before the first marked point", "After the marked point at 5,000"]


def test_story_of_a_real_race_names_every_segment():
    from lab import load_preset, run_race, summarise

    exp = load_preset("sudden").with_overrides({"stream.n_samples": 9000})
    lines = race_story(summarise(run_race(exp)))
    assert len(lines) == 3 and "sudden drift at 6,000" in lines[1]


def test_an_all_round_tie_is_not_reported_as_a_winner():
    s = {"drifts": [], "contenders": [
        {"name": n, "status": "ok", "accuracy": 0.675, "accuracy_by_segment": [0.675],
         "train_samples": ts, "retrains": 0, "recovery": [], "max_drop": []}
        for n, ts in (("Frozen", 1000), ("Online", 5000), ("Periodic", 9000))]}
    lines = [line.replace("\xa0", " ") for line in race_story(s)]
    # no drifts: one line, the overall one under the stretch's label
    assert lines == ["**Over the whole stream**: all contenders tie at 67.5 %, so Frozen, "
                     "trained least (1,000 samples), is the one to pick."]
    assert "most accurate" not in " ".join(lines)


def test_the_contenders_between_the_leader_and_the_last_tie_as_ties():
    """A 0.3-point gap between two middle contenders is a tie, as it is for the leaders and the
    last place (session 10's walk-through read "then Drift-triggered at 83.5 % and Frozen batch
    at 83.2 %" as a ranking)."""
    s = summary([contender("Lead", [0.90, 0.9], 100), contender("B", [0.835, 0.8], 100),
                 contender("C", [0.832, 0.8], 100), contender("D", [0.80, 0.8], 100),
                 contender("Last", [0.70, 0.8], 100)])
    line = race_story(s)[0].replace("\xa0", " ")
    assert line == ("**Before the first drift**: **Lead** leads with 90.0 %; then B and C tie at "
                    "83.2–83.5 %, then D at 80.0 %; Last is last with 70.0 %.")
