"""This machine's speed factor for the run estimates, and the figures behind its reference (a
benchmark, not a test).

Prints the probe race's thread CPU seconds (``lab.sweep.machine_speed.probe_seconds``, best of
6) and the factor it gives; then three races measured on the cost table's machine (session 10:
the default race 0.53 s of CPU, six contenders 31.2 s, a forest on SEA 29.7 s; best of 3, one
thread), their CPU seconds here (best of 2), the ratio here/there, and the probe's reference time
those ratios imply (the probe here over their mean): ``REFERENCE_PROBE_SECONDS`` was set from
this output on the machine of session 11. Last, each race's estimate at the measured factor
against its time here (estimates should be above, within 1.5×).

Run from the project root: ``python bench/speed_factor.py`` (about a minute on a fast 2-core
machine, four on the table's).
"""

from __future__ import annotations

import copy
import statistics
import time

from lab import parse_experiment, run_race
from lab.budget import estimate_race
from lab.presets import PRESETS
from lab.sweep import machine_speed

# process CPU seconds on the cost table's machine (tests/test_estimate_tree_rows.py)
THERE_S = {"default": 0.53, "six contenders": 31.2, "forest on SEA": 29.7}


def races() -> dict[str, dict]:
    six = copy.deepcopy(PRESETS["default"].config)
    for name, model in (("Forest", "river.adaptive_random_forest"),
                        ("Adaptive tree", "river.hoeffding_adaptive_tree"),
                        ("Tree", "river.hoeffding_tree")):
        six["contenders"].append({"name": name, "model": model, "policy": {"kind": "online"}})
    forest = copy.deepcopy(PRESETS["stable"].config)
    forest["contenders"] = [{"name": "Forest", "model": "river.adaptive_random_forest",
                             "policy": {"kind": "online"}}]
    return {"default": copy.deepcopy(PRESETS["default"].config), "six contenders": six,
            "forest on SEA": forest}


def thread_cpu(exp, repeats: int) -> float:
    best = float("inf")
    for _ in range(repeats):
        began = time.thread_time()
        run_race(exp)
        best = min(best, time.thread_time() - began)
    return best


def main() -> None:
    probe = machine_speed.probe_seconds(repeats=6)
    factor = machine_speed.from_probe(probe)
    print(f"probe race: {probe:.4f} s of thread CPU (best of 6); factor {factor:.3f} "
          f"(reference {machine_speed.REFERENCE_PROBE_SECONDS} s)")
    ratios = []
    for name, config in races().items():
        exp = parse_experiment(config)
        here = thread_cpu(exp, 2)
        ratios.append(here / THERE_S[name])
        estimate = estimate_race(exp, speed=factor).seconds
        print(f"{name:16s} here {here:7.3f} s, there {THERE_S[name]:5.2f} s, ratio "
              f"{ratios[-1]:.3f}; estimate at the factor {estimate:6.2f} s "
              f"({estimate / here:.2f}x the time here)")
    mean = statistics.mean(ratios)
    print(f"mean ratio {mean:.3f}: the probe's implied reference {probe / mean:.3f} s")


if __name__ == "__main__":
    main()
