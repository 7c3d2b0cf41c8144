"""Peak memory and time of a race on a 1,000,000-row CSV file (``csv:`` source).

Prints figures, not pass/fail. Run: ``python bench/csv_memory.py`` (about a minute on 2 cores;
``--rows`` and ``--online`` change the run).

1. Writes ``/tmp/driftlab_bench_1m.csv`` (once; reused while its size matches): ``--rows`` rows
   x 10 numeric feature columns, an unused text column ``note`` (the reader must skip it) and a
   3-class target ``label`` whose rule changes half way (a real drift for the race).
2. In a child process: the config check (``parse_experiment``: header, delimiter, first rows),
   the full read (``make_stream``: needed columns only, in chunks), and a race of a frozen and
   a periodically retrained logistic regression and a mini-batch SGD (``--online`` adds an
   online river Gaussian NB, slow: ~1 min per 100k rows). The child reports its peak resident
   memory (``ru_maxrss``) after each stage. Goal: < 1 GiB at the end.
3. For scale, in another child: the peak memory of a plain ``pandas.read_csv`` of the whole
   file (every column, default dtypes), the naive way to load it.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CSV = Path("/tmp/driftlab_bench_1m.csv")
GIB = 1024 ** 3


def write_csv(path: Path, rows: int) -> None:
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(0)
    block = 200_000
    with open(path, "w") as fh:
        fh.write(",".join([f"x{k}" for k in range(10)] + ["note", "label"]) + "\n")
        for start in range(0, rows, block):
            n = min(block, rows - start)
            X = rng.normal(size=(n, 10))
            before = np.arange(start, start + n) < rows // 2  # the rule changes half way
            score = np.where(before, X[:, 0] + X[:, 1], X[:, 2] - X[:, 0])
            label = np.digitize(score, [-0.5, 0.5])
            frame = pd.DataFrame(X.round(5), columns=[f"x{k}" for k in range(10)])
            frame["note"] = [f"free text {i}" for i in range(start, start + n)]
            frame["label"] = np.array(["low", "mid", "high"])[label]
            frame.to_csv(fh, header=False, index=False, lineterminator="\n")


def child_race(path: str, rows: int, online: bool) -> None:
    import resource

    from lab import parse_experiment, run_race, summarise
    from lab.data.stream import make_stream

    def peak():
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # Linux: KiB

    contenders = [
        {"name": "Frozen", "model": "sk.logistic_regression", "policy": {"kind": "frozen"}},
        {"name": "Periodic", "model": "sk.logistic_regression",
         "policy": {"kind": "periodic", "every": rows // 5, "data": "window",
                    "window": 50_000}},
        {"name": "Mini-batch SGD", "model": "sk.sgd",
         "policy": {"kind": "minibatch", "size": 1000}},
    ]
    if online:
        contenders.append({"name": "Online NB", "model": "river.gaussian_nb",
                           "policy": {"kind": "online"}})
    cfg = {"seed": 1,
           "stream": {"source": f"csv:{path}", "n_samples": rows,
                      "params": {"target": "label",
                                 "features": [f"x{k}" for k in range(10)]},
                      "drifts": [{"at": rows // 2}]},
           "evaluation": {"warmup": 10_000, "window": 5000, "step": 10_000},
           "contenders": contenders}
    out = {"start_bytes": peak()}
    t0 = time.perf_counter()
    exp = parse_experiment(cfg)
    out["check_s"], out["check_bytes"] = time.perf_counter() - t0, peak()
    t0 = time.perf_counter()
    stream = make_stream(exp.stream, exp.seed)
    out["load_s"], out["load_bytes"] = time.perf_counter() - t0, peak()
    out["X_bytes"] = stream.X.nbytes
    t0 = time.perf_counter()
    result = run_race(exp, stream=stream)
    out["race_s"], out["race_bytes"] = time.perf_counter() - t0, peak()
    out["accuracy"] = {c["name"]: round(c["accuracy"], 4) for c in summarise(result)["contenders"]}
    print(json.dumps(out))


def child_naive(path: str) -> None:
    import resource

    import pandas as pd

    start = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    t0 = time.perf_counter()
    frame = pd.read_csv(path)
    print(json.dumps({"start_bytes": start, "seconds": time.perf_counter() - t0,
                      "peak_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
                      "rows": len(frame)}))


def run_child(*args: str) -> dict:
    proc = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True,
                          cwd=ROOT)
    if proc.returncode != 0:
        sys.exit(f"child failed:\n{proc.stderr}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def mib(n: float) -> str:
    return f"{n / 1024 ** 2:,.0f} MiB"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--online", action="store_true", help="add an online river learner")
    parser.add_argument("--child", choices=["race", "naive"], help=argparse.SUPPRESS)
    parser.add_argument("--path", default=str(CSV), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child == "race":
        return child_race(args.path, args.rows, args.online)
    if args.child == "naive":
        return child_naive(args.path)

    path = CSV if args.rows == 1_000_000 else Path(f"/tmp/driftlab_bench_{args.rows}.csv")
    if not path.exists() or path.stat().st_size < args.rows * 100:
        t0 = time.perf_counter()
        write_csv(path, args.rows)
        print(f"wrote {path} ({path.stat().st_size / 1e6:,.0f} MB, {args.rows:,} rows x 12 "
              f"columns) in {time.perf_counter() - t0:.1f} s")
    else:
        print(f"using {path} ({path.stat().st_size / 1e6:,.0f} MB, {args.rows:,} rows)")
    race = run_child("--child", "race", "--path", str(path), "--rows", str(args.rows),
                     *(["--online"] if args.online else []))
    naive = run_child("--child", "naive", "--path", str(path))
    print(f"config check (first rows)  {race['check_s']:6.2f} s   peak {mib(race['check_bytes'])}")
    print(f"full read (10 of 12 cols)  {race['load_s']:6.2f} s   peak {mib(race['load_bytes'])}"
          f"   (X itself: {mib(race['X_bytes'])})")
    print(f"race ({len(race['accuracy'])} contenders)       {race['race_s']:6.2f} s   peak "
          f"{mib(race['race_bytes'])}")
    print(f"peak memory of the whole run: {mib(race['race_bytes'])} = "
          f"{race['race_bytes'] / GIB:.2f} GiB (goal < 1 GiB; the interpreter and libraries "
          f"alone: {mib(race['start_bytes'])})")
    print(f"for scale, plain pandas.read_csv of every column: {naive['seconds']:.2f} s, peak "
          f"{mib(naive['peak_bytes'])}")
    print("accuracy:", ", ".join(f"{k} {v:.3f}" for k, v in race["accuracy"].items()))


if __name__ == "__main__":
    main()
