"""Command line: ``python -m lab run | presets | schema | validate | sweep``.

Exit status 0 on success, 2 on invalid input with one line on stderr naming the problem and the
fix (never a traceback for a user error).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from lab.config import ConfigError, json_schema, load_config
from lab.presets import PRESETS, load_preset

EXAMPLES = {
    "run": """examples:
  python -m lab run --preset default --out results/default
  python -m lab run --config my_experiment.json --out results/mine --dump-stream
  python -m lab run --preset sudden --out results/sudden --quiet""",
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

Values are JSON when they parse (500, 0.5, true, null, "text", {"variant": 2}), plain text
otherwise (adwin). Running the same command again reuses the finished runs in DIR/runs.""",
}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m lab",
        description="Driftlab: race batch and online learners on a stream with concept drift.",
        epilog="examples:\n  python -m lab presets\n  python -m lab run --preset default --out "
               "results/default\n  python -m lab validate --config exp.json\n\nSee "
               "`python -m lab COMMAND --help` for each command.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name, help_text):
        return sub.add_parser(name, help=help_text, description=help_text, epilog=EXAMPLES[name],
                              formatter_class=argparse.RawDescriptionHelpFormatter)

    run = command("run", "run one experiment and write summary.json, timeline.csv, events.csv")
    source = run.add_mutually_exclusive_group(required=True)
    source.add_argument("--config", metavar="FILE.json", help="experiment config (JSON)")
    source.add_argument("--preset", metavar="NAME", help="a named preset (see `presets`)")
    run.add_argument("--out", metavar="DIR", required=True, help="folder for the output files")
    run.add_argument("--dump-stream", action="store_true",
                     help="also write stream.csv: the samples exactly as served")
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
    sweep.add_argument("--seeds", metavar="K", type=int, default=1,
                       help="run every setting with seeds seed, seed+1, ..., seed+K-1 "
                            "(default 1; confidence intervals need 2 or more)")
    sweep.add_argument("--out", metavar="DIR", required=True,
                       help="folder for sweep.csv, sweep_summary.csv, sweep.json and runs/")
    sweep.add_argument("--jobs", metavar="N", type=int, default=None,
                       help="worker processes on this machine (default: one per CPU; a "
                            "sweep of a few seconds runs in this process)")
    sweep.add_argument("--scheduler", metavar="ADDRESS",
                       help="run on a Dask cluster instead, e.g. tcp://127.0.0.1:8786")
    sweep.add_argument("--quiet", action="store_true", help="no progress bar, no summary table")
    return parser


def _load(args):
    return load_preset(args.preset) if args.preset else load_config(args.config)


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
    rows = [("contender", "status", "accuracy", "retrains", "samples trained", "recovery")]
    for c in summary["contenders"]:
        acc = "-" if c["accuracy"] is None else f"{c['accuracy']:.3f}"
        rows.append((c["name"], c["status"], acc, str(c["retrains"] if c["retrains"] is not None
                                                       else "-"),
                     str(c["train_samples"] if c["train_samples"] is not None else "-"),
                     ", ".join("-" if r is None else str(r) for r in c["recovery"]) or "-"))
    widths = [max(len(r[k]) for r in rows) for k in range(len(rows[0]))]
    for r in rows:
        print("  ".join(cell.ljust(w) for cell, w in zip(r, widths)).rstrip())
    for c in summary["contenders"]:
        if c["status"] == "failed":
            print(f"{c['name']} failed: {c['error']}")


def cmd_run(args) -> int:
    from lab.engine import run_race
    from lab.outputs import write_outputs

    experiment = _load(args)
    show = not args.quiet and sys.stderr.isatty()
    bar, update = _progress_bar(experiment.stream.n_samples, show)
    try:
        result = run_race(experiment, progress=update)
    finally:
        if bar is not None:
            bar.close()
    try:
        summary = write_outputs(result, args.out, dump_stream=args.dump_stream)
    except OSError as exc:
        raise ConfigError("--out", f"cannot write to {args.out} ({exc.strerror or exc})",
                          "give a folder you can write to") from None
    if not args.quiet:
        _print_table(summary)
        print(f"wrote {', '.join(sorted(p.name for p in Path(args.out).iterdir()))} to "
              f"{args.out} ({result.wall_s:.2f} s)")
    return 0


def cmd_presets(args) -> int:
    width = max(len(n) for n in PRESETS)
    for name, preset in PRESETS.items():
        print(f"{name.ljust(width)}  {preset.description}")
    return 0


def cmd_schema(args) -> int:
    print(json.dumps(json_schema(), indent=2))
    return 0


def cmd_validate(args) -> int:
    experiment = load_config(args.config)
    print(experiment.to_json())
    print(f"{args.config}: valid ({len(experiment.contenders)} contenders, "
          f"{experiment.stream.n_samples} samples)", file=sys.stderr)
    return 0


def _print_sweep_table(summary, paths: list[str], limit: int = 40) -> None:
    header = (*paths, "contender", "seeds", "accuracy (95% CI)", "samples trained")
    rows = [header]
    for _, r in summary.iterrows():
        acc = "-" if r["accuracy_mean"] != r["accuracy_mean"] else f"{r['accuracy_mean']:.3f}"
        if r["accuracy_ci_low"] == r["accuracy_ci_low"]:
            acc += f" [{r['accuracy_ci_low']:.3f}, {r['accuracy_ci_high']:.3f}]"
        samples = ("-" if r["train_samples_mean"] != r["train_samples_mean"]
                   else f"{r['train_samples_mean']:,.0f}")
        rows.append((*(str(r[p]) for p in paths), str(r["contender"]), str(r["n_seeds"]), acc,
                     samples))
    widths = [max(len(r[k]) for r in rows) for k in range(len(header))]
    for r in rows[:limit + 1]:
        print("  ".join(cell.ljust(w) for cell, w in zip(r, widths)).rstrip())
    if len(rows) > limit + 1:
        print(f"... {len(rows) - limit - 1} more rows in sweep_summary.csv")


def cmd_sweep(args) -> int:
    import time

    from lab.sweep import parse_vary, plan_sweep, run_sweep, summarise_sweep

    vary: dict = {}
    for spec in args.vary:
        path, values = parse_vary(spec)
        if path in vary:
            raise ConfigError("--vary", f"{path} is given twice",
                              "list all its values in one --vary PATH=V1,V2,...")
        vary[path] = values
    if args.jobs is not None and args.jobs < 1:
        raise ConfigError("--jobs", f"must be at least 1, got {args.jobs}",
                          "use e.g. --jobs 2, or leave it out for one per CPU")
    experiment = _load(args)
    plan = plan_sweep(experiment, vary, args.seeds)
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
              f"{Path(args.out) / 'runs'}; run the same command again to finish the rest",
              file=sys.stderr)
        return 130
    finally:
        if bar is not None:
            bar.close()
    seconds = time.perf_counter() - started
    if not args.quiet:
        _print_sweep_table(summarise_sweep(df), plan.paths)
        print(f"{len(plan.settings)} settings x {len(plan.seeds)} seeds = {plan.n_runs} runs: "
              f"{df.attrs['reused']} reused from {Path(args.out) / 'runs'}, {df.attrs['ran']} ran "
              f"on {df.attrs['runner']} ({seconds:.1f} s); wrote sweep.csv, sweep_summary.csv, "
              f"sweep.json to {args.out}")
    return 0


COMMANDS = {"run": cmd_run, "presets": cmd_presets, "schema": cmd_schema,
            "validate": cmd_validate, "sweep": cmd_sweep}


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
