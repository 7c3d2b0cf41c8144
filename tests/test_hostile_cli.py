"""Hostile and careless input to the CLI (issue 10): one line and exit 2, never a traceback;
``--out`` checked before the race and replaced atomically; exit 3 when every contender fails;
no control character reaches the terminal."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

import lab.race.outputs as outputs
from lab.cli import main, printable

ROOT = Path(__file__).resolve().parents[1]
BIG_INT = "9" * 5000
DEEP = "[" * 10_000 + "]" * 10_000
RUN_FILES = {"summary.json", "timeline.csv", "events.csv", "config.json"}


def tiny_config(seed: int = 1, n: int = 2000, names=("Frozen", "Periodic")) -> dict:
    return {"seed": seed, "stream": {"source": "sea", "n_samples": n},
            "evaluation": {"warmup": 500, "window": 200, "step": 100},
            "contenders": [{"name": names[0], "model": "sk.gaussian_nb",
                            "policy": {"kind": "frozen"}},
                           {"name": names[1], "model": "sk.gaussian_nb",
                            "policy": {"kind": "periodic", "every": 500}}]}


def write_config(path: Path, config: dict) -> str:
    path.write_text(json.dumps(config), encoding="utf-8")
    return str(path)


def assert_one_line_error(rc, err: str, *, must_mention: str = "") -> None:
    assert rc == 2, err
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), err
    assert len(lines[0]) < 400, "a huge value was echoed"
    assert must_mention in lines[0]


def no_hidden_leftovers(folder: Path) -> list[str]:
    return [p.name for p in folder.parent.iterdir()
            if p.name.startswith(f".{folder.name}.driftlab-")]


# --------------------------------------------------------------------------------------------
# Parsing that cannot raise
# --------------------------------------------------------------------------------------------
HOSTILE_TEXTS = {
    "a 5,000-digit integer": '{"seed": ' + BIG_INT + "}",
    "arrays nested 10,000 deep": DEEP,
    "NaN": '{"seed": NaN}',
    "not JSON": "seed = 3",
}


@pytest.mark.parametrize("what", HOSTILE_TEXTS)
@pytest.mark.parametrize("command", ["run", "validate", "sweep"])
def test_a_hostile_config_file_gives_one_line(command, what, tmp_path, capsys):
    config = tmp_path / "c.json"
    config.write_text(HOSTILE_TEXTS[what], encoding="utf-8")
    argv = [command, "--config", str(config)]
    if command != "validate":
        argv += ["--out", str(tmp_path / "out")]
    rc = main(argv)
    captured = capsys.readouterr()
    assert_one_line_error(rc, captured.err, must_mention=str(config))
    assert captured.out == ""
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("value, says", [(BIG_INT, "5,000 digits"), (DEEP, "nested"),
                                         ("NaN", "NaN"), ("-Infinity", "Infinity"),
                                         ('{"variant": ' + BIG_INT + "}", "digits"),
                                         ("{variant: 2}", "broken JSON")])
def test_a_hostile_vary_value_gives_one_line(value, says, tmp_path, capsys):
    rc = main(["sweep", "--preset", "stable", "--vary", f"evaluation.step=100,{value}",
               "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert_one_line_error(rc, err, must_mention="--vary evaluation.step")
    assert says in err
    assert not (tmp_path / "out").exists()


def test_vary_text_that_is_not_json_stays_text():
    from lab.sweep.grammar import parse_vary

    assert parse_vary("contenders[2].policy.detector=adwin,page_hinkley") == (
        "contenders[2].policy.detector", ["adwin", "page_hinkley"])
    assert parse_vary("contenders[0].name=1.2.3,2 models")[1] == ["1.2.3", "2 models"]


@pytest.mark.parametrize("argv, mention", [
    (["sweep", "--preset", "stable", "--vary", BIG_INT + "=1"], "--vary"),
    (["sweep", "--preset", "stable", "--seeds", BIG_INT], "--seeds"),
    (["sweep", "--preset", "stable", "--jobs", BIG_INT], "--jobs"),
    (["sweep", "--preset", "stable", "--vary", "evaluation.step=[" + "1," * 3000], "--vary"),
    (["run", "--preset", "stable", "--bogus\x1b[2J" + "x" * 5000], "unrecognized"),
])
def test_hostile_options_give_one_short_line(argv, mention, tmp_path, capsys):
    try:
        rc = main([*argv, "--out", str(tmp_path / "out")])
    except SystemExit as exc:  # argparse's own errors leave through SystemExit
        rc = exc.code
    err = capsys.readouterr().err
    assert_one_line_error(rc, err, must_mention=mention)
    assert "\x1b" not in err


@pytest.mark.slow
def test_a_deep_config_through_a_real_process_gives_one_line(tmp_path):
    config = tmp_path / "deep.json"
    config.write_text(DEEP)
    for argv in (["validate", "--config", str(config)],
                 ["sweep", "--preset", "stable", "--vary", f"evaluation.step={DEEP}",
                  "--out", str(tmp_path / "s")]):
        proc = subprocess.run([sys.executable, "-m", "lab", *argv], cwd=ROOT,
                              capture_output=True, text=True, timeout=60)
        assert_one_line_error(proc.returncode, proc.stderr, must_mention="nested")


# --------------------------------------------------------------------------------------------
# --out: checked before the race
# --------------------------------------------------------------------------------------------
@pytest.fixture
def slow_config(tmp_path) -> str:
    """A config whose race takes minutes: a bad --out must be refused without running it."""
    config = tiny_config(n=5_000_000)
    config.setdefault("evaluation", {})["step"] = 1000  # within the timeline-row cap
    config["contenders"] = [{"name": "kNN", "model": "river.knn", "policy": {"kind": "online"}}]
    return write_config(tmp_path / "slow.json", config)


@pytest.fixture
def no_race(monkeypatch):
    import lab.race.engine

    def refuse(*args, **kwargs):
        raise AssertionError("the race ran before --out was checked")

    monkeypatch.setattr(lab.race.engine, "run_race", refuse)


def _foreign_folder(tmp_path: Path) -> str:
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "notes.txt").write_text("my own notes")
    return str(folder)


@pytest.mark.parametrize("out, says", [
    (lambda tmp: "", "is empty"),
    (lambda tmp: ".", "names no folder"),
    (lambda tmp: str(tmp / "sub" / ".."), "names no folder"),
    (lambda tmp: str(tmp / "a_file.txt"), "is a file"),
    (lambda tmp: str(tmp / "a_file.txt" / "out"), "is a file"),
    (lambda tmp: str(Path.cwd().parent) + "/" + Path.cwd().name, "current folder"),
    (_foreign_folder, "notes.txt"),
])
def test_a_bad_out_is_refused_before_the_race(out, says, slow_config, no_race, tmp_path, capsys):
    (tmp_path / "a_file.txt").write_text("keep me")
    target = out(tmp_path)
    started = time.perf_counter()
    rc = main(["run", "--config", slow_config, "--out", target])
    assert time.perf_counter() - started < 2.0
    err = capsys.readouterr().err
    assert_one_line_error(rc, err, must_mention=says)
    assert (tmp_path / "a_file.txt").read_text() == "keep me"
    if says == "notes.txt":
        assert (Path(target) / "notes.txt").read_text() == "my own notes"


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write anywhere")
def test_a_read_only_parent_is_refused_before_the_race(slow_config, no_race, tmp_path, capsys):
    parent = tmp_path / "ro"
    parent.mkdir()
    parent.chmod(0o555)
    try:
        assert_one_line_error(main(["run", "--config", slow_config, "--out",
                                    str(parent / "out")]), capsys.readouterr().err,
                              must_mention="cannot write")
    finally:
        parent.chmod(0o755)


def test_missing_parent_folders_are_created_like_mkdir_p(tmp_path, capsys):
    from lab.presets import load_preset

    config = tmp_path / "small.json"
    config.write_text(load_preset("stable").with_overrides({"stream.n_samples": 3000}).to_json())
    target = tmp_path / "results" / "deep" / "run1"
    rc = main(["run", "--config", str(config), "--quiet", "--out", str(target)])
    assert rc == 0, capsys.readouterr().err
    assert sorted(p.name for p in target.iterdir()) == ["config.json", "events.csv",
                                                        "summary.json", "timeline.csv"]


def test_a_sweep_out_is_checked_before_anything_runs(no_race, tmp_path, capsys):
    (tmp_path / "f").write_text("x")
    for out, says in (("", "is empty"), (str(tmp_path / "f"), "is a file"),
                      (str(tmp_path / "f" / "dir"), "is a file")):
        rc = main(["sweep", "--preset", "stable", "--out", out])
        assert_one_line_error(rc, capsys.readouterr().err, must_mention=says)


# --------------------------------------------------------------------------------------------
# --out: atomic replacement
# --------------------------------------------------------------------------------------------
def read_set(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_reusing_out_keeps_no_stale_file_and_lists_what_it_wrote(tmp_path, capsys):
    config = write_config(tmp_path / "c.json", tiny_config())
    out = tmp_path / "out"
    assert main(["run", "--config", config, "--out", str(out), "--dump-stream"]) == 0
    assert set(os.listdir(out)) == RUN_FILES | {"stream.csv"}
    assert "stream.csv" in capsys.readouterr().out
    assert main(["run", "--config", config, "--out", str(out)]) == 0
    said = capsys.readouterr().out
    assert set(os.listdir(out)) == RUN_FILES
    wrote = [line for line in said.splitlines() if line.startswith("wrote ")]
    assert len(wrote) == 1 and "stream.csv" not in wrote[0]
    assert set(wrote[0].split(" to ")[0].removeprefix("wrote ").split(", ")) == RUN_FILES
    assert no_hidden_leftovers(out) == []


@pytest.mark.parametrize("exchange", [True, False], ids=["renameat2", "two-renames"])
def test_an_interrupted_write_leaves_the_old_complete_set(exchange, tmp_path, monkeypatch,
                                                          capsys):
    if not exchange:
        monkeypatch.setattr(outputs, "_exchange", lambda a, b: False)
    out = tmp_path / "out"
    old_config = write_config(tmp_path / "old.json", tiny_config(seed=1))
    new_config = write_config(tmp_path / "new.json", tiny_config(seed=2))
    assert main(["run", "--config", old_config, "--out", str(out), "--dump-stream"]) == 0
    old = read_set(out)
    real_write = outputs._write_file
    calls = []

    def write_then_interrupt(path, text):
        calls.append(path.name)
        if len(calls) > 1:
            raise KeyboardInterrupt
        real_write(path, text)

    monkeypatch.setattr(outputs, "_write_file", write_then_interrupt)
    assert main(["run", "--config", new_config, "--out", str(out)]) == 130
    assert read_set(out) == old
    assert no_hidden_leftovers(out) == []
    monkeypatch.setattr(outputs, "_write_file", real_write)
    capsys.readouterr()
    # and a run that is not interrupted replaces the set (with either way of swapping)
    assert main(["run", "--config", new_config, "--out", str(out)]) == 0
    assert set(os.listdir(out)) == RUN_FILES
    assert json.loads((out / "config.json").read_text())["seed"] == 2
    assert no_hidden_leftovers(out) == []


def test_a_swap_killed_between_its_two_renames_is_recovered(tmp_path):
    """The fallback swap's window: DIR renamed away, the new set not yet in place."""
    out = tmp_path / "out"
    old = tmp_path / ".out.driftlab-old-1234abcd"
    new = tmp_path / ".out.driftlab-new-xyz"
    old.mkdir()
    new.mkdir()
    for name in RUN_FILES:
        (old / name).write_text(f"old {name}")
    (new / "summary.json").write_text("half")
    assert outputs.check_out_dir(out) == out
    assert read_set(out) == {name: f"old {name}".encode() for name in sorted(RUN_FILES)}
    assert no_hidden_leftovers(out) == []


def _complete_set(folder: Path, seed: int, dump_stream: bool, n: int) -> bool:
    """Is ``folder`` the complete output of the run with ``seed``? (every file, every row)"""
    expected = RUN_FILES | ({"stream.csv"} if dump_stream else set())
    if set(os.listdir(folder)) != expected:
        return False
    config = json.loads((folder / "config.json").read_text())
    summary = json.loads((folder / "summary.json").read_text())
    timeline = pd.read_csv(folder / "timeline.csv")
    pd.read_csv(folder / "events.csv")
    rows_ok = len(timeline) == 2 * (n - 500) // 100
    stream_ok = not dump_stream or len(pd.read_csv(folder / "stream.csv")) == n
    return config["seed"] == seed and summary["config"]["seed"] == seed and rows_ok and stream_ok


@pytest.mark.slow
def test_kill_9_during_a_run_leaves_the_old_or_the_new_complete_set(tmp_path):
    n = 150_000  # stream.csv of ~7 MB: the files take about 50 ms to write and swap
    configs = [tiny_config(seed=seed, n=n) for seed in (1, 2)]
    for config in configs:  # large files from a quick race: retrain every 50,000, not every 500
        config["contenders"][1]["policy"]["every"] = 50_000
    old_config, new_config = (write_config(tmp_path / f"{name}.json", config)
                              for name, config in zip(("old", "new"), configs))
    out = tmp_path / "out"
    command = [sys.executable, "-m", "lab", "run", "--quiet", "--out", str(out)]
    # the old set from the command's entry in this process (only the new runs need a process
    # to kill): a python -m lab process here would only add its ~2.5 CPU-s of imports
    assert main(["run", "--quiet", "--out", str(out), "--config", old_config]) == 0
    assert _complete_set(out, 1, False, n)
    old_files = {name: data.decode() for name, data in read_set(out).items()}
    rng = random.Random(10)
    outcomes = []
    for attempt in range(4):
        proc = subprocess.Popen([*command, "--config", new_config, "--dump-stream"], cwd=ROOT)
        # Wait until the new files are being written (their hidden folder appears), then kill
        # at once or a few milliseconds later, inside the ~50 ms of writing and swapping; the
        # last attempt kills at a random moment of the race instead.
        deadline = time.perf_counter() + (rng.uniform(1.0, 6.0) if attempt == 3 else 120)
        while proc.poll() is None and time.perf_counter() < deadline:
            if attempt < 3 and any(p.name.startswith(".out.driftlab-new-")
                                   for p in tmp_path.iterdir()):
                time.sleep(rng.uniform(0.0, 0.02 * attempt))
                break
            time.sleep(0.002)
        writing = any(p.name.startswith(".out.driftlab-new-") for p in tmp_path.iterdir())
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
        # the folder itself is complete at once (no recovery needed with an atomic exchange)
        if _complete_set(out, 2, True, n):
            outcomes.append(("new", writing))
            outputs.replace_folder(out, old_files)  # back to the old set for the next attempt
        else:
            assert _complete_set(out, 1, False, n), sorted(os.listdir(out))
            outcomes.append(("old", writing))
        outputs.check_out_dir(out)  # the next run's tidy-up removes the killed run's folder
        assert no_hidden_leftovers(out) == []
    assert ("old", True) in outcomes, outcomes  # at least one kill hit the writing


# --------------------------------------------------------------------------------------------
# Exit 3, and names on the terminal
# --------------------------------------------------------------------------------------------
def test_run_exits_3_when_every_contender_fails(tmp_path, monkeypatch, capsys):
    import lab.race.engine

    def broken_learner(*args, **kwargs):
        raise RuntimeError("cannot build \x1b[31mthis\x1b[0m model")

    monkeypatch.setattr(lab.race.engine, "make_learner", broken_learner)
    config = write_config(tmp_path / "c.json", tiny_config(names=("A", "B")))
    out = tmp_path / "out"  # names cannot hold control characters (validation refuses them)
    assert main(["run", "--config", config, "--out", str(out)]) == 3
    captured = capsys.readouterr()
    assert set(os.listdir(out)) == RUN_FILES
    summary = json.loads((out / "summary.json").read_text())
    assert [c["status"] for c in summary["contenders"]] == ["failed", "failed"]
    assert "A failed: RuntimeError: cannot build \\x1b[31mthis" in captured.out
    assert "every contender failed" in captured.err
    assert "\x1b" not in captured.out + captured.err and "\x07" not in captured.out
    # --quiet prints no table, so the failures go to stderr
    assert main(["run", "--config", config, "--out", str(out), "--quiet"]) == 3
    quiet = capsys.readouterr()
    assert quiet.out == "" and "B failed: RuntimeError" in quiet.err


def test_one_contender_failing_still_exits_0(tmp_path, monkeypatch, capsys):
    import lab.race.engine

    real = lab.race.engine.make_learner

    def sometimes_broken(name, params, seed, classes):
        if params.get("var_smoothing") == 0.5:
            raise RuntimeError("broken")
        return real(name, params, seed, classes)

    monkeypatch.setattr(lab.race.engine, "make_learner", sometimes_broken)
    config = tiny_config()
    config["contenders"][0]["model"] = {"name": "sk.gaussian_nb",
                                        "params": {"var_smoothing": 0.5}}
    path = write_config(tmp_path / "c.json", config)
    assert main(["run", "--config", path, "--out", str(tmp_path / "o")]) == 0
    assert "Frozen failed: RuntimeError: broken" in capsys.readouterr().out


@pytest.mark.slow
def test_a_real_all_failing_config_exits_3(tmp_path):
    """Parameters each valid alone but not together fail only when the model is fitted.
    (Names with control characters are refused by validation, so none reach the terminal.)"""
    config = tiny_config(names=("Forest", "Logistic"))
    config["contenders"][0]["model"] = {"name": "sk.random_forest",
                                        "params": {"bootstrap": False, "oob_score": True}}
    config["contenders"][1]["model"] = {"name": "sk.logistic_regression",
                                        "params": {"solver": "lbfgs", "penalty": "l1"}}
    path = write_config(tmp_path / "c.json", config)
    proc = subprocess.run([sys.executable, "-m", "lab", "run", "--config", path, "--out",
                           str(tmp_path / "o")], cwd=ROOT, capture_output=True, timeout=120)
    out, err = proc.stdout.decode(), proc.stderr.decode()
    assert proc.returncode == 3, err
    assert "Forest failed" in out and "Logistic failed" in out
    assert "every contender failed" in err
    assert set(os.listdir(tmp_path / "o")) == RUN_FILES


@pytest.mark.slow
def test_a_name_with_control_characters_never_reaches_the_terminal(tmp_path):
    config = tiny_config(names=("Forest \x1b[2J", "Logistic\r\u202eevil"))
    path = write_config(tmp_path / "c.json", config)
    proc = subprocess.run([sys.executable, "-m", "lab", "run", "--config", path, "--out",
                           str(tmp_path / "o")], cwd=ROOT, capture_output=True, timeout=120)
    out, err = proc.stdout.decode(), proc.stderr.decode()
    assert proc.returncode == 2 and "control character" in err
    assert "Forest \\u001b[2J" in err  # shown escaped, JSON-style
    for raw in ("\x1b", "\r", "\u202e"):
        assert raw not in out and raw not in err
    assert not (tmp_path / "o").exists()


def test_printable_escapes_control_and_bidi_characters():
    assert printable("plain name – ok") == "plain name – ok"
    assert printable("a\x1b[31mb\tc\nd\u202ee\x00") == "a\\x1b[31mb\\tc\\nd\\u202ee\\x00"


def test_a_control_character_in_a_preset_name_or_path_is_escaped(tmp_path, capsys):
    rc = main(["run", "--preset", "x\x1b[2J\n", "--out", str(tmp_path / "o")])
    err = capsys.readouterr().err
    assert_one_line_error(rc, err)
    assert "x\\x1b[2J\\n" in err
    rc = main(["validate", "--config", str(tmp_path / "no\x1bpe.json")])
    err = capsys.readouterr().err
    assert_one_line_error(rc, err)
    assert "\x1b" not in err


def test_a_sweep_with_another_plan_drops_the_old_tables(tmp_path, monkeypatch, capsys):
    config = write_config(tmp_path / "c.json", tiny_config())
    out = tmp_path / "sweep"
    assert main(["sweep", "--config", config, "--vary", "contenders[1].policy.every=500,1000",
                 "--jobs", "1", "--out", str(out), "--quiet"]) == 0
    assert {"sweep.csv", "sweep_summary.csv", "sweep.json"} <= set(os.listdir(out))

    from lab.sweep import executors

    def interrupt(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(executors, "run_task", interrupt)
    assert main(["sweep", "--config", config, "--vary", "contenders[1].policy.every=700",
                 "--jobs", "1", "--out", str(out), "--quiet"]) == 130
    # the folder holds the new plan and no table of the old one
    assert json.loads((out / "sweep.json").read_text())["vary"] == {
        "contenders[1].policy.every": [700]}
    assert not (out / "sweep.csv").exists() and not (out / "sweep_summary.csv").exists()
