"""Driftlab's simulation core: streams with concept drift, contenders, a prequential race.

The core never imports streamlit; the app (``app.py``) and the CLI (``python -m lab``) are two
front ends over the same functions, so they give the same numbers for the same config.

>>> from lab import load_preset, run_race, summarise
>>> result = run_race(load_preset("stable").with_overrides({"stream.n_samples": 3000}))
>>> [c["status"] for c in summarise(result)["contenders"]]
['ok', 'ok', 'ok']
"""

__version__ = "0.1.0"

# Lazy exports (PEP 562): `import lab.plots` or `python -m lab presets` should not pay for
# importing scikit-learn and river (~1.5 s) before they are needed.
_EXPORTS = {
    "ConfigError": "lab.spec.errors", "Experiment": "lab.spec.experiment",
    "parse_experiment": "lab.validate", "load_config": "lab.validate",
    "RaceResult": "lab.race.engine", "run_race": "lab.race.engine",
    "events_frame": "lab.race.metrics", "summarise": "lab.race.metrics",
    "timeline_frame": "lab.race.metrics", "load_preset": "lab.presets",
}


def __getattr__(name):
    if name in _EXPORTS:
        import importlib

        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'lab' has no attribute {name!r}")


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
