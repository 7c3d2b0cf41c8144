"""River drift detectors for the triggered policy: the factory, the parameter rules a config is
checked against (:data:`DETECTOR_PARAM_RULES`) and their documentation.
"""

from __future__ import annotations

from lab.spec.checks import Field, check_param
from lab.spec.errors import ConfigError, shorten
from lab.spec.experiment import MAX_SAMPLES

DETECTORS = ("adwin", "page_hinkley", "kswin", "ddm", "eddm", "hddm_a", "hddm_w")
"""The river drift detectors a triggered policy can use, by config name."""


def detector_factory(name: str):
    """The river drift detector class for a config name."""
    from river import drift

    return {
        "adwin": drift.ADWIN,
        "page_hinkley": drift.PageHinkley,
        "kswin": drift.KSWIN,
        "ddm": drift.binary.DDM,
        "eddm": drift.binary.EDDM,
        "hddm_a": drift.binary.HDDMA,
        "hddm_w": drift.binary.HDDMW,
    }[name]


def detector_param_names(name: str) -> tuple[str, ...]:
    """Constructor parameters a config may set (not ``seed``: the experiment's seed is used)."""
    import inspect

    if name not in DETECTORS:
        return ()
    return tuple(p for p in inspect.signature(detector_factory(name)).parameters
                 if p not in ("seed", "window"))


# Limits of every detector parameter. river's detectors check little (Page-Hinkley takes any
# alpha), and some sizes cost per update: KSWIN compares two samples drawn from its window at
# every label, and ADWIN keeps max_buckets + 1 entries in each of its rows.
MAX_KSWIN_WINDOW = 10_000
MAX_ADWIN_BUCKETS = 100


def _prob(doc, default):
    return Field("number", default, doc, 0.0, 1.0, exclusive_minimum=True,
                 fix="use a number above 0 and at most 1")


def _samples(doc, default, lo=1, hi=MAX_SAMPLES):
    return Field("int", default, doc, lo, hi, fix=f"use a whole number from {lo:,} to {hi:,}")


DETECTOR_PARAM_RULES: dict[str, dict[str, Field]] = {
    "adwin": {"delta": _prob("confidence of a cut", 0.002),
              "clock": _samples("updates between two checks for a cut", 32),
              "max_buckets": _samples("buckets per row", 5, hi=MAX_ADWIN_BUCKETS),
              "min_window_length": _samples("fewest samples in a sub-window", 5),
              "grace_period": _samples("updates before the first check", 10)},
    "page_hinkley": {"min_instances": _samples("updates before the first alarm", 30),
                     "delta": Field("number", 0.005, "tolerated change", 0.0, 1e6,
                                    fix="use 0 or a small positive number, e.g. 0.005"),
                     "threshold": Field("number", 50.0, "alarm threshold", 0.0, 1e12,
                                        exclusive_minimum=True, fix="use a positive number, "
                                                                    "e.g. 50"),
                     "alpha": Field("number", 0.9999, "forgetting factor", 0.0, 1.0,
                                    exclusive_minimum=True, fix="use a number above 0 and up "
                                                                "to 1, e.g. 0.9999"),
                     # The default is what the triggered policy builds (TriggeredPolicy.
                     # _new_detector), not river's "both": see react_to.
                     "mode": Field("string", "up", "direction of change to detect: 'up' (a "
                                   "rising error rate), 'down' or 'both'. Left out, 'up' under "
                                   "react_to 'degradation' (the default; Page's one-sided test) "
                                   "and river's 'both' under react_to 'any'",
                                   enum=("up", "down", "both"))},
    "kswin": {"alpha": _prob("significance of the Kolmogorov-Smirnov test", 0.005),
              "window_size": _samples("samples kept (the newest stat_size are tested against a "
                                      "sample of the others)", 100, lo=2, hi=MAX_KSWIN_WINDOW),
              "stat_size": _samples("samples of each test, fewer than window_size", 30,
                                    hi=MAX_KSWIN_WINDOW - 1)},
    "ddm": {"warm_start": _samples("samples before the first alarm", 30),
            "warning_threshold": Field("number", 2.0, "warning level, standard deviations", 0.0,
                                       100.0, exclusive_minimum=True,
                                       fix="use a positive number, e.g. 2"),
            "drift_threshold": Field("number", 3.0, "drift level, standard deviations", 0.0,
                                     100.0, exclusive_minimum=True,
                                     fix="use a positive number, e.g. 3")},
    "eddm": {"warm_start": _samples("errors before the first alarm", 30),
             "alpha": _prob("warning level (>= beta)", 0.95),
             "beta": _prob("drift level (<= alpha)", 0.9)},
    "hddm_a": {"drift_confidence": _prob("confidence of a drift", 0.001),
               "warning_confidence": _prob("confidence of a warning", 0.005),
               "two_sided_test": Field("boolean", False, "detect decreases in error too")},
    "hddm_w": {"drift_confidence": _prob("confidence of a drift", 0.001),
               "warning_confidence": _prob("confidence of a warning", 0.005),
               "lambda_val": _prob("weight of the newest sample in the moving average", 0.05),
               "two_sided_test": Field("boolean", False, "detect decreases in error too")},
}


# What each detector is, for the schema ($defs.detector_params); every parameter left out takes
# the default of DETECTOR_PARAM_RULES, which is river's except Page-Hinkley's mode.
DETECTOR_DOCS = {
    "adwin": "ADWIN (Bifet & Gavaldà 2007): cuts its adaptive window when two sub-windows' means "
             "differ; two-sided, so under react_to 'degradation' an alarm retrains only when the "
             "error rate after the cut is higher than before",
    "page_hinkley": "Page-Hinkley test on the error rate (Page 1954); one-sided ('up') unless "
                    "mode or react_to says otherwise",
    "kswin": "KSWIN (Raab et al. 2020): a Kolmogorov-Smirnov test of the newest stat_size errors "
             "against a random sample of the older ones, drawn with the experiment's seed; "
             "two-sided, so under react_to 'degradation' an alarm retrains only when the newer "
             "errors are more frequent. On a 0/1 error stream river's defaults (window_size 100, "
             "stat_size 30, alpha 0.005) see only large changes: a rise from 5 % to 40 % errors "
             "retrained on none of 3 seeds, window_size 300 with stat_size 100 within 80 "
             "samples on each",
    "ddm": "DDM (Gama et al. 2004): error rate plus its standard deviation against their "
           "minimum; fires on a rising error only. Its warning level is not used",
    "eddm": "EDDM (Baena-García et al. 2006): the distance between errors shrinking; fires on a "
            "rising error only. Its warning level is not used",
    "hddm_a": "HDDM-A (Frías-Blanco et al. 2015): Hoeffding bound on averages; one-sided unless "
              "two_sided_test",
    "hddm_w": "HDDM-W (Frías-Blanco et al. 2015): Hoeffding bound on a weighted moving average; "
              "one-sided unless two_sided_test",
}


def check_detector_params(name: str, params: dict, path: str) -> dict:
    """Check ``params`` of detector ``name`` against :data:`DETECTOR_PARAM_RULES`, then build
    the detector once (river's constructor checks e.g. KSWIN's stat_size < window_size).
    Returns the cleaned parameters; raises :class:`lab.spec.errors.ConfigError` naming ``path``."""
    rules = DETECTOR_PARAM_RULES[name]
    clean = {key: check_param(rules[key], value, f"{path}.{key}")
             for key, value in params.items()}
    if clean:
        try:
            detector_factory(name)(**clean)
        except (TypeError, ValueError, OverflowError) as exc:
            raise ConfigError(path, f"{name} rejects these parameters "
                                    f"({shorten(str(exc), 160)})",
                              "check the values against the detector's documentation"
                              ) from None
    return clean
