"""Driftlab's simulation core: streams with concept drift, contenders, a prequential race.

The core never imports streamlit; the app (``app.py``) and the CLI (``python -m lab``) are two
front ends over the same functions, so they give the same numbers for the same config.

>>> from lab import load_preset, run_race, summarise
>>> result = run_race(load_preset("stable").with_overrides({"stream.n_samples": 3000}))
>>> [c["status"] for c in summarise(result)["contenders"]]
['ok', 'ok', 'ok']
"""

__version__ = "0.1.0"

from lab.config import ConfigError, Experiment, parse_experiment, load_config  # noqa: E402
from lab.engine import RaceResult, run_race  # noqa: E402
from lab.metrics import events_frame, summarise, timeline_frame  # noqa: E402
from lab.presets import load_preset  # noqa: E402

__all__ = [
    "ConfigError",
    "Experiment",
    "RaceResult",
    "events_frame",
    "load_config",
    "load_preset",
    "parse_experiment",
    "run_race",
    "summarise",
    "timeline_frame",
]
