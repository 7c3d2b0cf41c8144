"""How fast this machine runs races, relative to the machine the cost table was measured on.

Why: the app's run estimates (:mod:`lab.budget`: the time shown next to Run, the 5-s rule for
links, the 60-s refusal) and the sweep's (:mod:`lab.sweep.cost`) come from a table of
microseconds per sample measured once, on one 2-core machine. The same races take a third of
that CPU time on another 2-core machine (an AVX-512 EPYC, session 11): the default race 0.162 s
of CPU against 0.53 s, six contenders 8.72 s against 31.2 s, a forest on SEA 8.55 s against
29.7 s. From the table alone the app said "about 40 s" before a 9-s race, and refused races
that would have taken 20 s. So once per process a short probe race (:func:`probe_experiment`:
3,000 samples of the default stream, an online Hoeffding tree and a logistic regression retrained
every 250 samples, both kinds of work the table prices) is timed, and the estimates are scaled by
its CPU time over :data:`REFERENCE_PROBE_SECONDS`, the probe's time on the table's machine.

That machine is gone, so the reference is derived, not measured there: the probe took 0.0552 s
of thread CPU (best of 6) on the EPYC, where the three races above, measured on both machines,
ran at 0.305, 0.279 and 0.288 of their old time (mean 0.291): 0.0552 / 0.291 = 0.190 s.
``bench/speed_factor.py`` prints these figures on any machine.

The probe's time is thread CPU time, the best of :data:`PROBE_REPEATS`: other threads of the
server (another visitor's race) and other processes change it little, and where they do, the
factor comes out high and the estimates err slow, as the refusals need. ``DRIFTLAB_SPEED_FACTOR``
pins the factor (a server's own policy; the test suite pins it to 1, the table's machine, so that
its thresholds do not depend on the machine it runs on).

>>> from_probe(0.095)  # a probe twice as fast as the table's machine: estimates halve
0.5
>>> from_probe(10.0), from_probe(0.0001)  # clamped: a broken clock cannot void the limits
(10.0, 0.1)
"""

from __future__ import annotations

import functools
import math
import os
import time

REFERENCE_PROBE_SECONDS = 0.190
PROBE_REPEATS = 3  # the first also pays first-call costs; best of three
MIN_FACTOR, MAX_FACTOR = 0.1, 10.0
ENV_FACTOR = "DRIFTLAB_SPEED_FACTOR"


def probe_experiment():
    """The probe race: small (about 0.06 s of CPU on a fast 2-core machine, 0.19 s on the table's)
    but made of the work the cost table prices — river learning one sample at a time, and
    scikit-learn fits and chunked predictions."""
    from lab.validate import parse_experiment

    return parse_experiment({
        "seed": 7, "stream": {"source": "blobs2d", "n_samples": 3000,  # the default preset's
                              "params": {"angle": 0, "separation": 2.5, "std": 1.0}},
        "evaluation": {"warmup": 500, "window": 500, "label_delay": 0, "step": 100},
        "contenders": [
            {"name": "Tree", "model": "river.hoeffding_tree", "policy": {"kind": "online"}},
            {"name": "Logistic", "model": "sk.logistic_regression",
             "policy": {"kind": "periodic", "every": 250, "data": "all"}}]})


def probe_seconds(repeats: int = PROBE_REPEATS) -> float:
    """The probe race's thread CPU seconds on this machine, best of ``repeats``."""
    from lab.race.engine import run_race

    exp = probe_experiment()
    best = math.inf
    for _ in range(repeats):
        began = time.thread_time()
        run_race(exp)
        best = min(best, time.thread_time() - began)
    return best


def from_probe(seconds: float) -> float:
    """The speed factor for a probe time: this machine's seconds per second of the table's
    machine, clamped to [MIN_FACTOR, MAX_FACTOR]."""
    return min(MAX_FACTOR, max(MIN_FACTOR, round(seconds / REFERENCE_PROBE_SECONDS, 3)))


@functools.cache
def speed_factor() -> float:
    """This machine's factor for the cost table's seconds (``DRIFTLAB_SPEED_FACTOR`` if set,
    else measured once per process by the probe race)."""
    pinned = os.environ.get(ENV_FACTOR, "").strip()
    if pinned:
        try:
            value = float(pinned)
        except ValueError:
            value = math.nan
        if not MIN_FACTOR <= value <= MAX_FACTOR:
            raise ValueError(f"{ENV_FACTOR}={pinned!r}: must be a number from {MIN_FACTOR} to "
                             f"{MAX_FACTOR}. Fix: unset it to measure this machine, or set "
                             f"e.g. {ENV_FACTOR}=1")
        return value
    return from_probe(probe_seconds())
