"""What every real source (a shipped data set, river's, a CSV file) becomes: :class:`RealData`
(float64 features, labels 0..K-1, the original label names), with the label order and the
one-line error guard they share. See :mod:`lab.data.datasets` for the sources themselves.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from lab.spec.errors import ConfigError


@dataclass
class RealData:
    """A real data set as arrays: what :func:`lab.data.stream.make_stream` serves."""

    X: np.ndarray  # (n, d) float64
    y: np.ndarray  # (n,) int64 in 0..K-1
    feature_names: list[str]
    class_names: list[str]
    labels: list  # the original label of each class (class_names are their readable forms)
    notes: dict = field(default_factory=dict)  # e.g. rows dropped, columns imputed


# --------------------------------------------------------------------------------------------
# Labels and feature kinds (shared by the data sets and CSV files)
# --------------------------------------------------------------------------------------------
def _as_number(value) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def sort_labels(labels) -> list:
    """The documented, deterministic class order: see the module docstring.

    >>> sort_labels(["10", "2", "1"]), sort_labels(["b", "a"]), sort_labels([True, False])
    (['1', '2', '10'], ['a', 'b'], [False, True])
    """
    labels = list(labels)
    if all(isinstance(v, (bool, np.bool_)) for v in labels):
        return sorted(labels)
    if all(isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool)
           for v in labels):
        return sorted(labels)
    if all(isinstance(v, str) and _as_number(v) is not None for v in labels):
        return sorted(labels, key=lambda v: (float(v), v))
    return sorted(labels, key=str)


# --------------------------------------------------------------------------------------------
# Config and stream entry points (called by lab.validate and lab.data.stream)
# --------------------------------------------------------------------------------------------
def is_real_source(source: Any) -> bool:
    return isinstance(source, str) and source.startswith(("dataset:", "csv:"))


def one_line_errors(fn):
    """A safety net for the one-line contract: escape line breaks a value brought in."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except ConfigError as exc:
            if "\n" not in str(exc) and "\r" not in str(exc):
                raise

            def clean(text):
                return text.replace("\r", "\\r").replace("\n", "\\n")

            raise ConfigError(clean(exc.path), clean(exc.problem), clean(exc.fix)) from None

    return wrapper
