""""Accuracy lost" per drift in percentage points, as every view shows it.

``summary.json`` keeps each drift's ``area_lost`` in samples (the samples the drift cost against
the pre-drift level, from its start to the next drift's start, ``docs/metrics.md``). People read
it per sample of that stretch, in percentage points: ``area_lost / (b − a)`` = the pre-drift level
minus the accuracy over ``[a, b)``. The app's Summary tab (``ui.tables``) and the HTML report
(:mod:`lab.race.report`) both divide and write it here, so "40.3 pts" in one is "40.3 pts" in the
other (the report once printed the samples, "2,419").
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from lab.spec.numbers import percent_digits


def stretch_lengths(summary: Mapping[str, Any]) -> list[int]:
    """Samples from each drift's start to the next drift's start (or the last sample scored):
    the stretch ``area_lost`` sums over, one per drift.

    >>> stretch_lengths({"drifts": [{"at": 500, "width": 0}], "n_scored": 800, "config": {
    ...     "evaluation": {"warmup": 100}, "stream": {"n_samples": 900}}})
    [400]
    """
    from lab.race.story import segment_labels

    config = summary.get("config") or {}
    warmup = int(config.get("evaluation", {}).get("warmup", 0))
    n_done = warmup + int(summary.get("n_scored", 0) or 0) if "n_scored" in summary else None
    return [max(0, (hi if n_done is None else min(hi, n_done)) - lo)
            for _, lo, hi in segment_labels(summary)[1:]]


def points_lost(area_lost: Any, length: int) -> float | None:
    """``area_lost`` per sample of its stretch (a share: 0.403 reads "40.3 pts"); None when
    either is unknown or the stretch is empty."""
    if area_lost is None or not length:
        return None
    value = float(area_lost)
    return None if math.isnan(value) else value / length


def format_points_lost(value: Any) -> str:
    """A :func:`points_lost` share as the tables write it, rounded as the story rounds shares
    (``lab.spec.numbers.percent_digits``): "40.3 pts", below 0 a gain "0.7 pts gained", never
    "-0.0 pts"; "–" for none.

    >>> format_points_lost(0.403), format_points_lost(-0.0067), format_points_lost(-0.0001)
    ('40.3 pts', '0.7 pts gained', '0.0 pts')
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    shown = percent_digits(value)
    if float(shown) < 0:
        return f"{percent_digits(-value)} pts gained"
    return f"{shown.removeprefix('-')} pts"
