r"""Command line: ``python -m lab run | presets | schema | validate | sweep | lessons``
(``lesson`` is another name for ``lessons``).

Exit status (also in ``--help``): 0 on success; 2 on invalid input, with one line on stderr
naming the problem and the fix (never a traceback for a user error: huge integers, deep
nesting, broken files and bad ``--vary`` values included); 3 when ``run`` finished but every
contender failed (the output files are still written); 130 when interrupted (Ctrl-C).

Everything printed that a user or a config controls (contender names, paths, error texts) has
its control characters escaped (``\x1b`` and not an escape sequence the terminal would obey).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
from pathlib import Path

from lab.presets import PRESETS, load_preset
from lab.spec.costs import format_amount
from lab.spec.errors import ConfigError, JsonSyntaxError
from lab.spec.jsontext import parse_json_text
from lab.validate import json_schema, load_config

EXIT_OK, EXIT_INVALID, EXIT_ALL_FAILED, EXIT_INTERRUPTED = 0, 2, 3, 130
MAX_LINE = 1000  # characters of one error line; longer ones are cut in the middle
EXIT_TEXT = """exit status:
  0  success
  2  invalid input (one line on stderr names the problem and the fix)
  3  every contender failed (run only; the files are written and each failure is printed)
  130  interrupted (Ctrl-C)"""


def printable(text: object) -> str:
    r"""``text`` safe for a terminal: every control or invisible formatting character (escape,
    carriage return, newline, bidi override, ...) written as its escape (``\x1b``, ``\n``,
    ``\u202e``), so a name cannot move the cursor, recolour or rewrite what is shown.

    >>> printable("ok\x1b[2Jname\n")
    'ok\\x1b[2Jname\\n'
    """
    text = str(text)
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in text)


def _one_line(text: object, limit: int = MAX_LINE) -> str:
    """An error for stderr: printable and at most ``limit`` characters (head and tail kept, as
    the fix is at the end)."""
    text = printable(text)
    if len(text) <= limit:
        return text
    half = (limit - 30) // 2
    return f"{text[:half]} ...({len(text) - 2 * half:,} characters cut)... {text[-half:]}"


class _Parser(argparse.ArgumentParser):
    """argparse with its usage errors as one line (``error: ... Fix: ...``) and exit 2: its
    own messages quote the offending argument, which may be huge or hold control characters."""

    def error(self, message):
        print(f"error: {_one_line(message, 300)}. Fix: see `{self.prog} --help`",
              file=sys.stderr)
        raise SystemExit(EXIT_INVALID)


def _clip(text: object, limit: int = 40) -> str:
    """A user's value inside a message: printable, and cut to ``limit`` characters."""
    text = str(text)
    if len(text) <= limit:
        return printable(text)
    return f"{printable(text[:limit])}... ({len(text):,} characters)"


def _count(text: str) -> int:
    """An ``int`` option that is a count: at most 9 digits (no 5,000-digit parse, no echo)."""
    value = text.strip()
    if not (value.lstrip("-").isdigit() and len(value.lstrip("-")) <= 9):
        raise argparse.ArgumentTypeError(f"expected a whole number of at most 9 digits, got "
                                         f"{_clip(value)}")
    return int(value)


@contextlib.contextmanager
def _reading(origin: str):
    """Turn what parsing a user's input may still raise past the validators (a recursion or
    memory limit, Python's int-size guard) into the usual one-line :class:`ConfigError`. Only
    around parsing: an error inside a race is a bug or a contender's failure, reported as such.
    """
    try:
        yield
    except ConfigError:
        raise
    except RecursionError:
        raise ConfigError(origin, "is nested too deeply to read",
                          "check the brackets; a config nests at most 5 levels") from None
    except MemoryError:
        raise ConfigError(origin, "is too large to read", "give a config of a few kilobytes"
                          ) from None
    except ValueError as exc:
        raise ConfigError(origin, f"cannot be read ({type(exc).__name__}: {_clip(exc, 80)})",
                          "check the value") from None

EXAMPLES = {
    "run": """examples:
  python -m lab run --preset default --out results/default
  python -m lab run --config my_experiment.json --out results/mine --dump-stream
  python -m lab run --preset default --out results/default --report --predictions
  python -m lab run --preset sudden --out results/sudden --quiet
  python -m lab run --config datasets/examples/elec.json --out results/elec --baselines
  python -m lab run --bundle driftlab-bundle.zip --out results/mine""",
    "presets": """example:
  python -m lab presets""",
    "schema": """example:
  python -m lab schema > driftlab.schema.json""",
    "validate": """example:
  python -m lab validate --config my_experiment.json""",
    "sweep": """examples:
  python -m lab sweep --preset default --vary 'contenders[1].policy.every=1000,2000,4000' \\
      --seeds 5 --out results/every
  python -m lab sweep --config my.json --vary evaluation.label_delay=0,100,500 \\
      --vary 'contenders[2].policy.detector=adwin,page_hinkley' --seeds 3 --out results/grid
  python -m lab sweep --preset sudden --vary 'stream.drifts[0].width=0,2000' --seeds 4 \\
      --out results/width --scheduler tcp://127.0.0.1:8786

  python -m lab sweep --config priced.json --vary 'contenders[1].policy.every=1000,2000,4000' \\
      --seeds 3 --out results/every --target accuracy=0.85

Values are JSON when they parse (500, 0.5, true, null, "text", {"variant": 2}), plain text
otherwise (adwin). Running the same command again reuses the finished runs in DIR/runs (so a
new --target on a finished sweep costs no race).""",
    "lessons": """examples:
  python -m lab lessons list
  python -m lab lessons show lesson-sudden
  python -m lab lessons run lesson-gradient --out out/l10
  python -m lab lessons run lesson-sudden --try --seed 4
  python -m lab lesson run lesson-prior-drift --set stream.label_noise=0.2 --out out/l14
  ("lesson" and "lessons" are the same command)""",
}
LESSONS_DESCRIPTION = "Driftlab lessons: run one and check its claim."


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="python -m lab",
        description="Driftlab: race batch and online learners on a stream with concept drift.",
        epilog="examples:\n  python -m lab presets\n  python -m lab run --preset default --out "
               "results/default\n  python -m lab validate --config exp.json\n\nSee "
               "`python -m lab COMMAND --help` for each command.\n\n" + EXIT_TEXT,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name, help_text, aliases=()):
        return sub.add_parser(name, help=help_text, description=help_text, aliases=list(aliases),
                              epilog=f"{EXAMPLES[name]}\n\n{EXIT_TEXT}",
                              formatter_class=argparse.RawDescriptionHelpFormatter)

    run = command("run", "run one experiment and write summary.json, timeline.csv, events.csv, "
                         "config.json (and stream.csv, predictions.csv, report.html when asked)")
    source = run.add_mutually_exclusive_group(required=True)
    source.add_argument("--config", metavar="FILE.json", help="experiment config (JSON)")
    source.add_argument("--preset", metavar="NAME", help="a named preset (see `presets`)")
    source.add_argument("--bundle", metavar="FILE.zip",
                        help="a run bundle from the app's Export tab: its config and the data "
                             "file it reads (unpacked into a temporary folder, deleted after)")
    run.add_argument("--out", metavar="DIR", required=True,
                     help="folder for the output files; checked before the race, and replaced "
                          "as a whole once every file is written (an interrupted run leaves "
                          "the previous files); it may hold only files of an earlier run")
    run.add_argument("--dump-stream", action="store_true",
                     help="also write stream.csv: the samples exactly as served")
    run.add_argument("--predictions", action="store_true",
                     help="also write predictions.csv: every scored sample's true label and "
                          "each contender's prediction (about 4 bytes per sample and "
                          "contender, plus 10 per sample)")
    run.add_argument("--report", action="store_true",
                     help="also write report.html: the story, the summary tables and every "
                          "figure in one page that works offline (about 5 MB)")
    run.add_argument("--baselines", action="store_true",
                     help="also race the no-change and majority-class baselines (the same as "
                          "\"evaluation\": {\"baselines\": true} in the config); their rows come "
                          "last in the table and in the files, marked as baselines")
    run.add_argument("--quiet", action="store_true", help="no progress bar, no summary table")

    command("presets", "list the named presets with one line each")
    command("schema", "print the JSON Schema of an experiment config")
    validate = command("validate", "check a config and print it normalised (defaults filled)")
    validate.add_argument("--config", metavar="FILE.json", required=True)

    sweep = command("sweep", "run an experiment over a grid of settings and seeds; write "
                             "sweep.csv and sweep_summary.csv (means, confidence intervals)")
    source = sweep.add_mutually_exclusive_group(required=True)
    source.add_argument("--config", metavar="FILE.json", help="experiment config (JSON)")
    source.add_argument("--preset", metavar="NAME", help="a named preset (see `presets`)")
    sweep.add_argument("--vary", metavar="PATH=V1,V2,...", action="append", default=[],
                       help="a config path and its values; repeat for a grid (the Cartesian "
                            "product)")
    sweep.add_argument("--seeds", metavar="K", type=_count, default=1,
                       help="run every setting with seeds seed, seed+1, ..., seed+K-1 "
                            "(default 1; confidence intervals need 2 or more)")
    sweep.add_argument("--out", metavar="DIR", required=True,
                       help="folder for sweep.csv, sweep_summary.csv, sweep.json and runs/")
    sweep.add_argument("--jobs", metavar="N", type=_count, default=None,
                       help="worker processes on this machine (default: one per CPU; a "
                            "sweep of a few seconds runs in this process)")
    sweep.add_argument("--scheduler", metavar="ADDRESS",
                       help="run on a Dask cluster instead, e.g. tcp://127.0.0.1:8786")
    sweep.add_argument("--target", metavar="METRIC=VALUE",
                       help="answer a question: the cheapest setting that keeps METRIC (accuracy, "
                            "kappa, kappa_m, kappa_t, balanced_accuracy, macro_f1) at or above "
                            "VALUE (0.9 or 90%%), judged on the lower 95%% confidence bound over "
                            "the seeds; prints the ranking and the answer, writes answer.json")
    sweep.add_argument("--rank-by", metavar="FIGURE", default="cost_total",
                       choices=("cost_total", "cost_compute", "cost_retrains", "cost_labels",
                                "cost_errors", "train_samples", "train_cpu_s", "retrains"),
                       help="with --target: rank the settings by this figure's mean, lowest "
                            "first (default cost_total, the ledger at the config's prices)")
    sweep.add_argument("--target-by", choices=("lower", "mean"), default="lower",
                       help="with --target: judge on the lower 95%% bound (default) or on the "
                            "mean over the seeds")
    sweep.add_argument("--contender", metavar="NAME",
                       help="with --target: answer for this contender's settings only (default: "
                            "every contender's settings compete)")
    sweep.add_argument("--quiet", action="store_true",
                       help="no progress bar, no summary table (with --target: the answer line "
                            "only)")

    # ``lesson`` is the same command in the singular: ``python -m lab lesson run KEY`` reads
    # as a sentence, and ``lessons`` keeps working for the scripts that already use it.
    _add_lesson_commands(command("lessons", "list, show or run the guided lessons (lesson run "
                                            "checks the lesson's claim on its numbers)",
                                 aliases=("lesson",)))
    return parser


def _add_lesson_commands(parser: argparse.ArgumentParser, dest: str = "lesson_command") -> None:
    """``list | show KEY | run KEY [--seed N] [--try] [--set P=V] [--out DIR]`` under
    ``parser``: the ``lessons`` command of ``python -m lab`` and ``python -m lab.lessons`` take
    the same options. ``dest`` names the sub-command in argparse's messages (``python -m lab``
    already uses ``command`` for its own)."""
    sub = parser.add_subparsers(dest=dest, required=True)
    sub.add_parser("list", help="list the lessons")
    show = sub.add_parser("show", help="print a lesson's text")
    show.add_argument("lesson")
    run_p = sub.add_parser("run", help="run a lesson and check its claim")
    run_p.add_argument("lesson")
    run_p.add_argument("--seed", type=int)
    run_p.add_argument("--try", dest="try_it", action="store_true",
                       help="apply the lesson's 'try this' change")
    run_p.add_argument("--set", action="append", metavar="PATH=VALUE", default=[],
                       help="change a setting, e.g. stream.n_samples=4000 (repeatable)")
    run_p.add_argument("--out", metavar="DIR", help="write summary.json, claim.json and the "
                                                    "figures as HTML here")


def _lessons_parser() -> argparse.ArgumentParser:
    """The parser of ``python -m lab.lessons`` (kept as it was before the lessons command moved
    here: plain argparse, its own program name and examples)."""
    parser = argparse.ArgumentParser(
        prog="python -m lab.lessons",
        description=LESSONS_DESCRIPTION,
        epilog="examples:\n  python -m lab.lessons list\n  python -m lab.lessons show "
               "lesson-sudden\n  python -m lab.lessons run lesson-gradient --out out/l10\n"
               "  python -m lab.lessons run lesson-sudden --try --seed 4",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    _add_lesson_commands(parser, dest="command")
    return parser


def _load(args):
    """The experiment named by ``--preset`` or read from ``--config`` (never raising anything
    but :class:`ConfigError`)."""
    if args.preset:
        return load_preset(args.preset)
    with _reading("--config"):
        return load_config(args.config)


def _progress_bar(total: int, enabled: bool):
    if not enabled:
        return None, None
    from tqdm import tqdm

    bar = tqdm(total=total, unit="samples", unit_scale=True, desc="race", leave=False,
               file=sys.stderr)

    def update(result):
        bar.update(result.n_done - bar.n)

    return bar, update


def _print_table(summary: dict) -> None:
    """One row per contender, then the baselines' rows (if raced) under a line that says so;
    the "beats no-change" column compares each accuracy with the no-change figure of the
    summary (computed from the labels, so it is there with or without ``--baselines``)."""
    rows = [("contender", "status", "accuracy", "beats no-change", "retrains",
             "samples trained", "recovery", "cost")]

    def row(c: dict) -> tuple[str, ...]:
        acc = "-" if c["accuracy"] is None else f"{c['accuracy']:.3f}"
        beats = {True: "yes", False: "no"}.get(c.get("beats_no_change"), "-")
        return (printable(c["name"]), c["status"], acc, beats,
                str(c["retrains"] if c["retrains"] is not None else "-"),
                str(c["train_samples"] if c["train_samples"] is not None else "-"),
                ", ".join("-" if r is None else str(r) for r in c["recovery"]) or "-",
                format_amount(c.get("cost_total")))

    contenders = [row(c) for c in summary["contenders"] if not c.get("baseline")]
    baselines = [row(c) for c in summary["contenders"] if c.get("baseline")]
    rows += contenders + baselines
    widths = [max(len(r[k]) for r in rows) for k in range(len(rows[0]))]
    for k, r in enumerate(rows):
        if baselines and k == 1 + len(contenders):
            print("baselines (reference, not contenders):")
        print("  ".join(cell.ljust(w) for cell, w in zip(r, widths)).rstrip())
    for c in summary["contenders"]:
        if c["status"] == "failed":
            print(f"{printable(c['name'])} failed: {_one_line(c['error'])}")


def cmd_run(args) -> int:
    if not getattr(args, "bundle", None):
        return _run(args, _load(args))
    import tempfile

    from lab.race.bundle import open_bundle

    # The data file lives in a temporary folder for the race only; the outputs name the
    # bundle's own source (csv:<name>), not that folder.
    with tempfile.TemporaryDirectory(prefix="driftlab-bundle-") as folder:
        with _reading("--bundle"):
            experiment, bundle = open_bundle(args.bundle, folder)
        return _run(args, experiment, bundle)


def _run(args, experiment, bundle=None) -> int:
    from lab.race.bundle import as_bundled
    from lab.race.engine import run_race
    from lab.race.outputs import check_out_dir, output_texts, replace_folder

    if args.baselines:
        experiment = experiment.with_overrides({"evaluation.baselines": True})
    out = check_out_dir(args.out)  # before the race: a bad --out must not cost a whole run
    show = not args.quiet and sys.stderr.isatty()
    bar, update = _progress_bar(experiment.stream.n_samples, show)
    try:
        result = run_race(experiment, progress=update)
    finally:
        if bar is not None:
            bar.close()
    if bundle is not None:
        result = as_bundled(result, bundle)
    summary, files = output_texts(result, dump_stream=args.dump_stream,
                                  predictions=args.predictions, report=args.report)
    try:
        written = replace_folder(out, files)
    except OSError as exc:
        raise ConfigError("--out", f"cannot write to {_clip(args.out, 80)} "
                                   f"({exc.strerror or exc})",
                          "give a folder you can write to") from None
    if not args.quiet:
        _print_table(summary)
        print(f"wrote {', '.join(written)} to {printable(args.out)} ({result.wall_s:.2f} s)")
    contenders = [c for c in summary["contenders"] if not c.get("baseline")]
    if contenders and all(c["status"] == "failed" for c in contenders):
        print(f"error: every contender failed ({len(contenders)} of {len(contenders)}); the "
              f"files in {printable(args.out)} record the failures", file=sys.stderr)
        if args.quiet:  # the table is not shown: say why each one failed
            for c in contenders:
                print(f"{printable(c['name'])} failed: {_one_line(c['error'])}", file=sys.stderr)
        return EXIT_ALL_FAILED
    return EXIT_OK


def cmd_presets(args) -> int:
    width = max(len(n) for n in PRESETS)
    for name, preset in PRESETS.items():
        print(f"{name.ljust(width)}  {preset.description}")
    return 0


def cmd_schema(args) -> int:
    print(json.dumps(json_schema(), indent=2))
    return 0


def cmd_validate(args) -> int:
    with _reading("--config"):
        experiment = load_config(args.config)
    print(experiment.to_json())  # JSON: control characters arrive escaped (\u001b)
    print(f"{printable(args.config)}: valid ({len(experiment.contenders)} contenders, "
          f"{experiment.stream.n_samples} samples)", file=sys.stderr)
    for line in _unchanged_drift_warnings(experiment.to_dict()):
        print(line, file=sys.stderr)
    return 0


def _unchanged_drift_warnings(config: dict) -> list[str]:
    """One warning per drift whose target concept is the one already in force: a valid config,
    but a drift that changes nothing (the race's story says "no change" for it; a user who
    meant a change should know before racing)."""
    from lab.race.drift_metrics import unchanged_drifts

    drifts = config["stream"].get("drifts") or []
    return [f"warning: stream.drifts[{k}] (at {drifts[k]['at']:,}) changes nothing: its `to` "
            "is the concept already in force. Fix: give `to` a parameter value that differs "
            "from the one before it, or remove the drift"
            for k, same in enumerate(unchanged_drifts(config)) if same]


def _print_sweep_table(summary, paths: list[str], limit: int = 40) -> None:
    header = (*map(printable, paths), "contender", "seeds", "accuracy (95% CI)",
              "samples trained")
    rows = [header]
    for _, r in summary.iterrows():
        acc = "-" if r["accuracy_mean"] != r["accuracy_mean"] else f"{r['accuracy_mean']:.3f}"
        if r["accuracy_ci_low"] == r["accuracy_ci_low"]:
            acc += f" [{r['accuracy_ci_low']:.3f}, {r['accuracy_ci_high']:.3f}]"
        samples = ("-" if r["train_samples_mean"] != r["train_samples_mean"]
                   else f"{r['train_samples_mean']:,.0f}")
        rows.append((*(printable(r[p]) for p in paths), printable(r["contender"]),
                     str(r["n_seeds"]), acc, samples))
    widths = [max(len(r[k]) for r in rows) for k in range(len(header))]
    for r in rows[:limit + 1]:
        print("  ".join(cell.ljust(w) for cell, w in zip(r, widths)).rstrip())
    if len(rows) > limit + 1:
        print(f"... {len(rows) - limit - 1} more rows in sweep_summary.csv")


def cmd_sweep(args) -> int:
    import time

    from lab.race.outputs import check_out_dir
    from lab.sweep.executors import run_sweep
    from lab.sweep.grammar import parse_vary
    from lab.sweep.plan import plan_sweep
    from lab.sweep.stats import summarise_sweep

    vary: dict = {}
    with _reading("--vary"):
        for spec in args.vary:
            path, values = parse_vary(spec)
            if path in vary:
                raise ConfigError("--vary", f"{path} is given twice",
                                  "list all its values in one --vary PATH=V1,V2,...")
            vary[path] = values
    if args.jobs is not None and args.jobs < 1:
        raise ConfigError("--jobs", f"must be at least 1, got {args.jobs}",
                          "use e.g. --jobs 2, or leave it out for one per CPU")
    target = _sweep_target(args)
    experiment = _load(args)
    if args.contender is not None and args.contender not in [c.name for c in
                                                             experiment.contenders]:
        raise ConfigError("--contender", f"{_clip(args.contender)} is not a contender of the "
                                         "config", "use one of "
                          + ", ".join(printable(c.name) for c in experiment.contenders))
    with _reading("--vary"):
        plan = plan_sweep(experiment, vary, args.seeds)
    # the folder keeps runs/ across attempts (resume), so only its path is checked here
    check_out_dir(args.out, allowed=None)
    show = not args.quiet and sys.stderr.isatty()
    bar = None
    if show:
        from tqdm import tqdm

        bar = tqdm(total=plan.n_runs, unit="run", desc="sweep", leave=False, file=sys.stderr)

    def update(done, total):
        if bar is not None:
            bar.update(done - bar.n)

    started = time.perf_counter()
    try:
        df = run_sweep(plan, out_dir=args.out, jobs=args.jobs, scheduler=args.scheduler,
                       progress=update)
    except KeyboardInterrupt:
        if bar is not None:
            bar.close()
            bar = None
        stored = plan.stored(args.out)
        kept = sum(t.key in stored for t in plan.tasks)
        print(f"interrupted: {kept} of {plan.n_runs} runs are stored in "
              f"{printable(Path(args.out) / 'runs')}; run the same command again to finish the "
              "rest", file=sys.stderr)
        return EXIT_INTERRUPTED
    finally:
        if bar is not None:
            bar.close()
    seconds = time.perf_counter() - started
    summary = summarise_sweep(df)
    answer = None
    if target is not None:
        from lab.sweep.answer import answer_sweep
        from lab.sweep.store import ANSWER_FILE, write_atomic

        answer = answer_sweep(summary, target.metric, target.value, contender=args.contender,
                              rank_by=args.rank_by, basis=args.target_by,
                              config=plan.base.to_dict())
        write_atomic(Path(args.out) / ANSWER_FILE,
                     json.dumps(answer.to_dict(), indent=2, ensure_ascii=False) + "\n")
    if not args.quiet:
        _print_sweep_table(summary, plan.paths)
        print(f"{len(plan.settings)} settings x {len(plan.seeds)} seeds = {plan.n_runs} runs: "
              f"{df.attrs['reused']} reused from {printable(Path(args.out) / 'runs')}, "
              f"{df.attrs['ran']} ran on {printable(df.attrs['runner'])} ({seconds:.1f} s); "
              f"wrote sweep.csv, sweep_summary.csv, sweep.json"
              f"{', answer.json' if answer is not None else ''} to {printable(args.out)}")
    if answer is not None:
        from lab.sweep.answer import ranking_lines

        if not args.quiet:
            print()
            for line in ranking_lines(answer):
                print(printable(line))
        print(printable(answer.sentence))
    return EXIT_OK


def _sweep_target(args):
    """``--target`` read before anything runs (None without it); the options that only make
    sense with it are refused without it rather than silently ignored."""
    from lab.sweep.answer import parse_target

    if args.target is None:
        for given, option in ((args.contender is not None, "--contender"),
                              (args.rank_by != "cost_total", "--rank-by"),
                              (args.target_by != "lower", "--target-by")):
            if given:
                raise ConfigError(option, "only applies to an answer",
                                  "add --target METRIC=VALUE, e.g. --target accuracy=0.9")
        return None
    return parse_target(args.target)


def _parse_set(items: list[str]) -> dict:
    """``--set PATH=VALUE`` pairs; VALUE is JSON (bounded by :func:`parse_json_text`), or a
    plain text when it is not JSON at all."""
    out = {}
    for item in items or []:
        path, sep, raw = item.partition("=")
        if not sep:
            raise ConfigError(item, "is not PATH=VALUE", "write e.g. --set stream.n_samples=4000")
        try:
            out[path] = parse_json_text(raw, f"--set {path}")
        except JsonSyntaxError:
            out[path] = raw
    return out


def cmd_lessons(args) -> int:
    """``lessons list | show KEY | run KEY``: print the lessons, one lesson's text, or run one,
    judge its claim and (with ``--out``) write summary.json, claim.json and the figures."""
    from lab.lessons.catalogue import LESSONS, get_lesson
    from lab.lessons.runner import lesson_figures, run_lesson

    if args.lesson_command == "list":
        for lesson in LESSONS.values():
            print(f"{lesson.number:>2}. {lesson.key:<20} {lesson.title}")
        return EXIT_OK
    lesson = get_lesson(args.lesson)
    if args.lesson_command == "show":
        for head, text in (("Situation", lesson.situation), ("Look at", lesson.look_at),
                           ("It shows", lesson.shows), ("Claim", lesson.claim),
                           ("Try this", lesson.try_this), ("What happens", lesson.try_expect)):
            print(f"{head}: {text}\n")
        return EXIT_OK
    overrides = dict(lesson.try_overrides) if args.try_it else {}
    overrides.update(_parse_set(args.set))
    run = run_lesson(lesson, overrides, seed=args.seed)
    print(f"Lesson {lesson.number}: {lesson.title}")
    print(f"Claim: {lesson.claim}")
    print(f"{'HOLDS' if run.check.holds else 'DOES NOT HOLD'}: {run.check.detail}")
    if args.out:
        from lab import plots

        out = Path(args.out)
        out.mkdir(parents=True, exist_ok=True)
        (out / "summary.json").write_text(json.dumps(run.summary, indent=2, default=str)
                                          + "\n", encoding="utf-8")
        (out / "claim.json").write_text(json.dumps(
            {"lesson": lesson.key, "claim": lesson.claim, "holds": run.check.holds,
             "detail": run.check.detail, "overrides": overrides}, indent=2) + "\n",
            encoding="utf-8")
        for k, (_, fig) in enumerate(lesson_figures(run), start=1):
            (out / f"figure{k}.html").write_text(plots.figure_html(fig), encoding="utf-8")
        print(f"wrote {', '.join(sorted(p.name for p in out.iterdir()))} to {out}")
    return EXIT_OK


COMMANDS = {"run": cmd_run, "presets": cmd_presets, "schema": cmd_schema,
            "validate": cmd_validate, "sweep": cmd_sweep, "lessons": cmd_lessons,
            "lesson": cmd_lessons}


def main(argv: list[str] | None = None) -> int:
    """Run one command; return its exit status (see the module docstring)."""
    args = _parser().parse_args(argv)
    return _dispatch(COMMANDS[args.command], args)


def lessons_main(argv: list[str] | None = None) -> int:
    """``python -m lab.lessons ...``: the ``lessons`` command under its older name (same
    options, same output, same exit status)."""
    args = _lessons_parser().parse_args(argv)
    args.lesson_command = args.command
    return _dispatch(cmd_lessons, args)


def _dispatch(command, args) -> int:
    """Run ``command(args)``: a user error is one line on stderr and exit 2, Ctrl-C exit 130."""
    try:
        return command(args)
    except ConfigError as exc:
        print(f"error: {_one_line(exc)}", file=sys.stderr)
        return EXIT_INVALID
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
