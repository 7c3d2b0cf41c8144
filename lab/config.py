"""Experiment configs: dataclasses, JSON load/dump, validation and the JSON Schema.

One config format serves the CLI, the app, URLs and exports (see ``DESIGN.md``). Validation is
strict on purpose: an unknown key or an out-of-range value is almost always a typo, and a silent
default would run a different experiment from the one the user meant. Every error names the key
(as a path such as ``contenders[1].policy.every``), the problem and the fix, in one line.

The allowed keys, their types, ranges and defaults live in the tables below (:data:`EVALUATION_FIELDS`,
:data:`POLICY_FIELDS`); both the validator and :func:`json_schema` read them, so they cannot drift
apart.

>>> exp = parse_experiment({"stream": {"source": "sea", "n_samples": 5000},
...                         "contenders": [{"name": "Online", "model": "river.hoeffding_tree",
...                                         "policy": {"kind": "online"}}]})
>>> exp.evaluation.warmup, exp.contenders[0].policy.kind
(1000, 'online')
>>> parse_experiment({"stream": {"source": "sea", "n_samples": 0}, "contenders": []})
Traceback (most recent call last):
...
lab.config.ConfigError: stream.n_samples: must be an integer >= 1 and <= 10,000,000, got 0. Fix: give the number of samples in the stream, e.g. 20000
"""

from __future__ import annotations

import copy
import json
import math
import os
import stat
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

MAX_SAMPLES = 10_000_000
MAX_CONTENDERS = 12
# Every drift adds a concept (a generator to build and check) and a band to every chart, whose
# cost grows with the square of their number; 100 is far more than any lesson needs.
MAX_DRIFTS = 100
# Rows of timeline.csv per contender, ceil((n_samples - warmup) / step) and the stream's end:
# each row is a point in every chart, and 20,000 is already finer than a screen shows.
MAX_TIMELINE_ROWS = 20_000
MAX_NAME_CHARS = 60
MAX_PATH_CHARS = 120  # a key path in a message; longer ones are cut (they come from the user)


def printable(text: str) -> str:
    r"""``text`` with every non-printable character (ESC, CR, LF, TAB...) written as an escape.

    Messages reach terminals and HTML; a config or a link must not be able to move the cursor,
    recolour the terminal or split one error into several lines.

    >>> printable("a\x1b[31mb\n")
    'a\\x1b[31mb\\n'
    """
    text = str(text)
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii")
                   for c in text)


def shorten(text: str, limit: int = 40) -> str:
    """``text`` cut to ``limit`` characters with "..." (values in messages stay readable)."""
    return text if len(text) <= limit else text[:limit - 3] + "..."


class ConfigError(ValueError):
    """A user error in a config: one line naming the key, the problem and the fix.

    The parts are made printable (no control characters) and an over-long path is cut, since
    paths and values come from the user.
    """

    def __init__(self, path: str, problem: str, fix: str = ""):
        path = shorten(printable(path), MAX_PATH_CHARS)
        problem, fix = printable(problem), printable(fix)
        self.path, self.problem, self.fix = path, problem, fix
        msg = f"{path}: {problem}" if path else problem
        super().__init__(msg + (f". Fix: {fix}" if fix else ""))


# --------------------------------------------------------------------------------------------
# Field tables: the single source of truth for keys, types, ranges and defaults
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Field:
    """One key: its type, default, documentation and allowed values.

    ``type`` is "int", "number", "string", "boolean" or "object"; for library parameters also
    "null" (only null: an object JSON cannot describe, e.g. a river splitter) and "scalar" (any
    JSON scalar, left to the library's own check). ``nullable`` also allows null.
    """

    type: str
    default: Any
    doc: str
    minimum: float | None = None
    maximum: float | None = None
    exclusive_minimum: bool = False
    enum: tuple | None = None
    fix: str = ""
    nullable: bool = False


EVALUATION_FIELDS: dict[str, Field] = {
    "warmup": Field("int", 1000, "samples learned by every contender before scoring starts",
                    minimum=1, fix="use at least 1 sample and fewer than stream.n_samples"),
    "window": Field("int", 500, "length of the rolling accuracy window, in scored samples. It "
                    "also sets the drift metrics' reach: max_drop is read up to max(window, "
                    "width) samples after a drift ends, a recovery must hold for a window, and "
                    "recovery_tolerance (the noise margin) narrows as the window grows; "
                    "pre_drift_accuracy and area_lost do not depend on it",
                    minimum=1, fix="use a positive number of samples, e.g. 500"),
    "label_delay": Field("int", 0, "samples between a prediction and the arrival of its label: "
                         "the label of sample i is learned before sample i + d + 1 is "
                         "predicted, i.e. river's progressive_val_score delay=d+1 and MOA's "
                         "EvaluatePrequentialDelayed -k d+1",
                         minimum=0, fix="use 0 for immediate labels or a positive delay"),
    "step": Field("int", 100, "samples between two rows of timeline.csv",
                  minimum=1, fix="use a positive number of samples, e.g. 100"),
    "baselines": Field("boolean", False, "also race two reference contenders, 'No-change "
                       "baseline' (baseline.no_change: predicts the last label learned) and "
                       "'Majority baseline' (baseline.majority: the most frequent label "
                       "learned), both with the online policy; they are marked \"baseline\": "
                       "true in summary.json and are not counted as contenders. Every contender's "
                       "beats_no_change is in summary.json either way",
                       fix="use true or false"),
}
# ``evaluation`` keys a normalised config writes only when the config gave them, so configs
# written before the key existed keep their normalised form (and their outputs) unchanged.
OPTIONAL_EVALUATION_KEYS = ("baselines",)

DETECTORS = ("adwin", "page_hinkley", "kswin", "ddm", "eddm", "hddm_a", "hddm_w")
POLICY_KINDS = ("frozen", "periodic", "triggered", "online", "minibatch", "hybrid")

POLICY_FIELDS: dict[str, Field] = {
    "every": Field("int", 2000, "samples between two scheduled retrains", minimum=1,
                   fix="use a positive number of samples, e.g. 2000"),
    "data": Field("string", "window", "training data of a periodic retrain",
                  enum=("all", "window", "decay"),
                  fix="use 'all' (full history), 'window' (last `window` samples) or 'decay'"),
    "window": Field("int", 5000, "samples in the training window", minimum=1,
                    fix="use a positive number of samples, e.g. 5000"),
    "half_life": Field("number", 2000.0, "age (samples) at which a sample's weight halves",
                       minimum=0, exclusive_minimum=True,
                       fix="use a positive number of samples, e.g. 2000"),
    "detector": Field("string", "adwin", "river drift detector fed with the deployed model's "
                      "0/1 error stream (each described in $defs.detector_params)",
                      enum=DETECTORS),
    "detector_params": Field("object", {}, "constructor parameters of the drift detector, per "
                             "detector in $defs.detector_params with their defaults (river's, "
                             "except Page-Hinkley's mode, see react_to); not seed (KSWIN uses "
                             "the experiment's) nor KSWIN's window"),
    "react_to": Field("string", "degradation", "which detector alarms retrain: 'degradation' "
                      "(only when the error rate rose, as MOA's change-detector classifiers: "
                      "Page-Hinkley then runs with mode 'up' unless detector_params sets one, "
                      "ADWIN's and KSWIN's alarms are checked for direction) or 'any' (every "
                      "alarm, also when the error rate fell); an alarm not acted on is logged "
                      "as ignored",
                      enum=("degradation", "any"),
                      fix="use 'degradation' (default) or 'any'"),
    "min_gap": Field("int", 500, "fewest samples between two triggered retrains", minimum=0,
                     fix="use 0 or a positive number of samples"),
    "follow_up": Field("boolean", True, "retrain once more when `window` labels have arrived "
                       "after an alarm, on post-alarm data only"),
    "size": Field("int", 100, "samples per mini-batch update", minimum=1,
                  fix="use a positive batch size, e.g. 100"),
    "retrain_latency": Field("int", 0, "samples between the start of a retrain and the "
                             "deployment of its model", minimum=0,
                             fix="use 0 (instant) or a positive number of samples"),
}

POLICY_KEYS: dict[str, tuple[str, ...]] = {
    "frozen": ("retrain_latency",),
    "periodic": ("every", "data", "window", "half_life", "retrain_latency"),
    "triggered": ("detector", "detector_params", "react_to", "window", "min_gap", "follow_up",
                  "retrain_latency"),
    "online": ("retrain_latency",),
    "minibatch": ("size", "retrain_latency"),
    "hybrid": ("every", "window", "retrain_latency"),
}
# Defaults that differ by policy: a triggered retrain right after an alarm should see mostly
# post-drift data, so its window is shorter than a scheduled retrain's.
POLICY_DEFAULT_OVERRIDES = {"triggered": {"window": 1000}}
POLICY_DOCS = {
    "frozen": "train once on the warm-up samples, never update",
    "periodic": "retrain from scratch every `every` samples on all / a window / decayed history",
    "triggered": "retrain on the last `window` samples when a drift detector fires",
    "online": "learn every labelled sample as it arrives (needs an incremental model)",
    "minibatch": "update the model every `size` labels (needs an incremental model)",
    "hybrid": "online updates plus a from-scratch refit every `every` samples "
              "(needs an incremental model)",
}
INCREMENTAL_POLICIES = ("online", "minibatch", "hybrid")


# --------------------------------------------------------------------------------------------
# Dataclasses
# --------------------------------------------------------------------------------------------
DRIFT_SHAPES = {
    "span": "the change starts at `at` and is complete at `at + width` (0: sudden); the new "
            "concept's share follows a sigmoid confined to that span",
    "moa": "MOA's and river's ConceptDriftStream: `at` is the position p and `width` the width "
           "w, P(new) = 1 / (1 + exp(-4 (t - p) / w)) at the t-th sample, untruncated",
}


@dataclass(frozen=True)
class Drift:
    """One drift entry. ``shape`` says how ``at`` and ``width`` place the change (see
    :data:`DRIFT_SHAPES` and :mod:`lab.streams`); :attr:`start` and :attr:`end` bound the band
    where it happens, whatever the shape, for charts and per-drift figures."""

    at: int
    width: int = 0
    to: dict = field(default_factory=dict)
    shape: str = "span"

    @property
    def start(self) -> int:
        """First sample of the transition band: ``at`` (span), ``at - width - 1`` (moa: the
        1.8 % point of MOA's sigmoid, the same share the span form starts at)."""
        return self.at - self.width - 1 if self.shape == "moa" else self.at

    @property
    def end(self) -> int:
        """End (exclusive) of the transition band: ``at + width`` (span), ``at + width - 1``
        (moa: the 98.2 % point); from here on (almost) every sample is from the new concept."""
        return self.at + self.width - 1 if self.shape == "moa" else self.at + self.width


@dataclass(frozen=True)
class StreamSpec:
    source: str
    n_samples: int
    params: dict = field(default_factory=dict)
    drifts: tuple[Drift, ...] = ()
    label_noise: float = 0.0


@dataclass(frozen=True)
class EvaluationSpec:
    warmup: int = 1000
    window: int = 500
    label_delay: int = 0
    step: int = 100
    # None: the config did not mention it, which races no baselines (as False) and is written
    # back without the key; the app always writes true or false, so its links say which.
    baselines: bool | None = None


@dataclass(frozen=True)
class ModelSpec:
    name: str
    params: dict = field(default_factory=dict)


@dataclass(frozen=True)
class PolicySpec:
    kind: str
    every: int = 2000
    data: str = "window"
    window: int = 5000
    half_life: float = 2000.0
    detector: str = "adwin"
    detector_params: dict = field(default_factory=dict)
    react_to: str = "degradation"
    min_gap: int = 500
    follow_up: bool = True
    size: int = 100
    retrain_latency: int = 0


@dataclass(frozen=True)
class ContenderSpec:
    name: str
    model: ModelSpec
    policy: PolicySpec
    # True for the reference contenders that ``evaluation.baselines`` adds (never in a config's
    # ``contenders``): figures draw them as reference lines, stories never rank them.
    baseline: bool = False


@dataclass(frozen=True)
class Experiment:
    seed: int
    stream: StreamSpec
    evaluation: EvaluationSpec
    contenders: tuple[ContenderSpec, ...]

    def to_dict(self) -> dict:
        """The normalised config: every default filled in, only the keys each policy uses."""
        return {
            "seed": self.seed,
            "stream": {
                "source": self.stream.source,
                "n_samples": self.stream.n_samples,
                "params": dict(self.stream.params),
                # "shape" only when not the default, so configs written before it keep
                # their normalised form
                "drifts": [{"at": d.at, "width": d.width, "to": dict(d.to),
                            **({"shape": d.shape} if d.shape != "span" else {})}
                           if not self.stream.source.startswith(("dataset:", "csv:"))
                           else {"at": d.at, "width": d.width}  # a marked suspected drift
                           for d in self.stream.drifts],
                "label_noise": self.stream.label_noise,
            },
            "evaluation": {k: getattr(self.evaluation, k) for k in EVALUATION_FIELDS
                           if k not in OPTIONAL_EVALUATION_KEYS
                           or getattr(self.evaluation, k) is not None},
            "contenders": [
                {"name": c.name,
                 "model": c.model.name if not c.model.params else
                 {"name": c.model.name, "params": dict(c.model.params)},
                 "policy": {"kind": c.policy.kind,
                            **{k: copy.deepcopy(getattr(c.policy, k))
                               for k in POLICY_KEYS[c.policy.kind]}}}
                for c in self.contenders
            ],
        }

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), indent=indent, sort_keys=False)

    def with_overrides(self, overrides: dict[str, Any]) -> "Experiment":
        """A copy with values replaced by path (``"stream.n_samples"``, ``"contenders[1].policy.every"``).

        >>> from lab.presets import load_preset
        >>> load_preset("stable").with_overrides({"evaluation.warmup": 500}).evaluation.warmup
        500
        """
        data = self.to_dict()
        for path, value in overrides.items():
            set_path(data, path, value)
        return parse_experiment(data)


# --------------------------------------------------------------------------------------------
# Paths ("contenders[1].policy.every")
# --------------------------------------------------------------------------------------------
def _split_path(path: str) -> list[str | int]:
    parts: list[str | int] = []
    for token in path.replace("]", "").split("."):
        name, *indices = token.split("[")
        if name:
            parts.append(name)
        for index in indices:
            if not index.lstrip("-").isdigit():
                raise ConfigError(path, f"'{index}' is not a list index", "use e.g. contenders[0]")
            parts.append(int(index))
    if not parts:
        raise ConfigError(path, "empty path", "use e.g. stream.n_samples")
    return parts


def set_path(data: dict, path: str, value: Any) -> None:
    """Set ``value`` at a dotted path with list indices, creating missing dict levels.

    >>> d = {"contenders": [{"policy": {"kind": "periodic"}}]}
    >>> set_path(d, "contenders[0].policy.every", 500); d["contenders"][0]["policy"]["every"]
    500
    """
    parts = _split_path(path)
    node: Any = data
    for here, nxt in zip(parts[:-1], parts[1:]):
        try:
            if isinstance(here, int):
                node = node[here]
            else:
                if here not in node and isinstance(nxt, str):
                    node[here] = {}
                node = node[here]
        except (KeyError, IndexError, TypeError):
            raise ConfigError(path, f"no such place in the config ('{here}')",
                              "check the path against `python -m lab schema`") from None
    last = parts[-1]
    try:
        node[last] = value
    except (IndexError, TypeError):
        raise ConfigError(path, f"no such place in the config ('{last}')",
                          "check the path against `python -m lab schema`") from None


# --------------------------------------------------------------------------------------------
# Validation
# --------------------------------------------------------------------------------------------
def _describe(value: Any) -> str:
    """A value as a message shows it: JSON, at most 40 characters.

    Never costly and never raising, whatever the value: a 309-digit number, a 100 kB string,
    a list of a million items or a structure nested 10,000 deep is summarised, not printed.
    """
    if isinstance(value, bool) or value is None:
        return json.dumps(value)
    if isinstance(value, int):
        if value.bit_length() > 128:  # more than ~38 digits; str() may even raise past 4,300
            return f"an integer of about {int(value.bit_length() * math.log10(2)) + 1:,} digits"
        return shorten(str(value), 40)
    if isinstance(value, float):
        return json.dumps(value)
    if isinstance(value, str):
        return shorten(json.dumps(value[:41]), 40)
    if isinstance(value, (list, dict)):
        if len(value) <= 20 and _depth(value) <= 4:
            try:
                return shorten(json.dumps(value, default=lambda v: type(v).__name__), 40)
            except (TypeError, ValueError, RecursionError):
                pass
        kind = "a list of" if isinstance(value, list) else "an object with"
        unit = "items" if isinstance(value, list) else "keys"
        return f"{kind} {len(value):,} {unit}"
    return f"a {type(value).__name__}"


def _is_scalar(value: Any) -> bool:
    """A JSON scalar: null, true/false, a string or a finite number."""
    if isinstance(value, float):
        return math.isfinite(value)
    return value is None or isinstance(value, (str, int, bool))


def _check_object(value: Any, path: str, allowed, required=(), fix: str = "") -> dict:
    if not isinstance(value, dict):
        raise ConfigError(path or "config", f"must be a JSON object, got {_describe(value)}",
                          fix or "write it as {\"key\": value, ...}")
    for key in value:
        if key not in allowed:
            key = shorten(str(key), 40)  # a key comes from the user: it may be any length
            where = f"{path}.{key}" if path else key
            raise ConfigError(where, "unknown key",
                              f"use one of: {', '.join(allowed)}" if allowed else "remove it")
    for key in required:
        if key not in value:
            where = f"{path}.{key}" if path else key
            raise ConfigError(where, "is required", f"add \"{key}\"")
    return value


def _check_int(value: Any, path: str, minimum=None, maximum=None, fix="") -> int:
    ok = isinstance(value, int) and not isinstance(value, bool)
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        value, ok = int(value), True
    bounds = _bounds_text(minimum, maximum, False)
    if not ok:
        raise ConfigError(path, f"must be an integer{bounds}, got {_describe(value)}", fix)
    if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
        raise ConfigError(path, f"must be an integer{bounds}, got {_describe(value)}", fix)
    return value


def _check_number(value: Any, path: str, minimum=None, maximum=None, exclusive=False,
                  fix="") -> float:
    bounds = _bounds_text(minimum, maximum, exclusive)
    finite = (isinstance(value, int) and value.bit_length() <= 1000  # float() overflows past
              or isinstance(value, float) and math.isfinite(value))
    if isinstance(value, bool) or not finite:
        raise ConfigError(path, f"must be a number{bounds}, got {_describe(value)}", fix)
    too_low = minimum is not None and (value <= minimum if exclusive else value < minimum)
    if too_low or (maximum is not None and value > maximum):
        raise ConfigError(path, f"must be a number{bounds}, got {_describe(value)}", fix)
    return float(value)


def _num(x) -> str:
    return f"{int(x):,}" if float(x).is_integer() else f"{x:g}"


def _bounds_text(minimum, maximum, exclusive) -> str:
    parts = []
    if minimum is not None:
        parts.append(f"{'>' if exclusive else '>='} {_num(minimum)}")
    if maximum is not None:
        parts.append(f"<= {_num(maximum)}")
    return (" " + " and ".join(parts)) if parts else ""


def _check_field(spec: Field, value: Any, path: str) -> Any:
    if spec.type == "int":
        return _check_int(value, path, spec.minimum, spec.maximum, spec.fix)
    if spec.type == "number":
        return _check_number(value, path, spec.minimum, spec.maximum, spec.exclusive_minimum,
                             spec.fix)
    if spec.type == "string":
        if not isinstance(value, str) or (spec.enum and value not in spec.enum):
            raise ConfigError(path, f"got {_describe(value)}",
                              spec.fix or f"use one of: {', '.join(spec.enum or ())}")
        return value
    if spec.type == "boolean":
        if not isinstance(value, bool):
            raise ConfigError(path, f"must be true or false, got {_describe(value)}",
                              "use true or false")
        return value
    if spec.type == "object":
        if not isinstance(value, dict):
            raise ConfigError(path, f"must be a JSON object, got {_describe(value)}",
                              "write it as {\"name\": value, ...}")
        return dict(value)
    raise AssertionError(spec.type)


def check_param(spec: Field, value: Any, path: str) -> Any:
    """One library parameter (generator, model, detector) against its :class:`Field`.

    Returns the value to pass on (an integer given as ``5.0`` becomes ``5``); raises
    :class:`ConfigError` naming ``path``. Checked before anything is built, so no library
    allocates in proportion to a value that was not bounded here.

    >>> check_param(Field("int", None, "", 1, 64, nullable=True), None, "max_depth") is None
    True
    >>> check_param(Field("number", 0.1, "", 0, 1), -3, "noise")
    Traceback (most recent call last):
    ...
    lab.config.ConfigError: noise: must be a number >= 0 and <= 1, got -3. Fix: use a value in the allowed range
    """
    fix = spec.fix or "use a value in the allowed range"
    if value is None and (spec.nullable or spec.type in ("null", "scalar")):
        return None
    or_null = " or null" if spec.nullable else ""
    if spec.type == "null":
        raise ConfigError(path, f"takes a library object that JSON cannot describe, got "
                                f"{_describe(value)}",
                          spec.fix or "leave it out (or null) to use the library's default")
    if spec.type == "scalar":
        if not _is_scalar(value):
            raise ConfigError(path, f"must be a number, text, true/false or null, got "
                                    f"{_describe(value)}", fix)
        return value
    if spec.type == "boolean":
        if not isinstance(value, bool):
            raise ConfigError(path, f"must be true or false{or_null}, got {_describe(value)}",
                              "use true or false")
        return value
    if spec.type == "string":
        if not isinstance(value, str) or (spec.enum and value not in spec.enum):
            choices = ", ".join(json.dumps(e) for e in spec.enum or ())
            raise ConfigError(path, f"must be {'one of ' + choices if spec.enum else 'a text'}"
                                    f"{or_null}, got {_describe(value)}",
                              spec.fix or (f"use one of: {choices}" if spec.enum else
                                           "write it in quotes"))
        return value
    if spec.type == "int":
        try:
            return _check_int(value, path, spec.minimum, spec.maximum, fix)
        except ConfigError as exc:
            if not or_null:
                raise
            raise ConfigError(path, exc.problem.replace(", got", " or null, got", 1),
                              exc.fix) from None
    if spec.type == "number":
        try:
            return _check_number(value, path, spec.minimum, spec.maximum,
                                 spec.exclusive_minimum, fix)
        except ConfigError as exc:
            if not or_null:
                raise
            raise ConfigError(path, exc.problem.replace(", got", " or null, got", 1),
                              exc.fix) from None
    raise AssertionError(spec.type)


def _check_scalar_params(params: Any, path: str, fields: dict[str, Field]) -> dict:
    """Generator parameters: known names, each checked against its :class:`Field`."""
    _check_object(params, path, tuple(fields))
    return {key: check_param(fields[key], value, f"{path}.{key}")
            for key, value in params.items()}


def _parse_drifts(raw_drifts: Any, n: int, fields: dict | None) -> tuple[Drift, ...]:
    """``stream.drifts`` (at most :data:`MAX_DRIFTS`); ``fields`` is the generator's parameter
    table (:attr:`lab.streams.GeneratorInfo.fields`), or None for real data, whose drift entries
    are only markers of suspected drift points (no ``to``)."""
    if not isinstance(raw_drifts, list):
        raise ConfigError("stream.drifts", f"must be a list, got {_describe(raw_drifts)}",
                          "write [] or [{\"at\": 5000, \"width\": 0, \"to\": {...}}]")
    if len(raw_drifts) > MAX_DRIFTS:
        raise ConfigError("stream.drifts", f"has {len(raw_drifts):,} drifts, more than "
                                           f"{MAX_DRIFTS}",
                          f"use at most {MAX_DRIFTS} drifts per stream")
    drifts: list[Drift] = []
    for k, raw in enumerate(raw_drifts):
        path = f"stream.drifts[{k}]"
        _check_object(raw, path, ("at", "width", "to", "shape"), required=("at",))
        shape = raw.get("shape", "span")
        if shape not in DRIFT_SHAPES:
            raise ConfigError(f"{path}.shape", f"unknown shape {_describe(shape)}",
                              "use \"span\" (the change runs from at to at + width, the "
                              "default) or \"moa\" (at and width are MOA's position and width)")
        at = _check_int(raw["at"], f"{path}.at", 1, n - 1,
                        f"put the drift inside the stream (1 to {n - 1})")
        if shape == "span":
            width = _check_int(raw.get("width", 0), f"{path}.width", 0, n - at,
                               f"use 0 (sudden) up to {n - at} so the drift ends by the "
                               "stream's end")
        else:
            width = _check_moa_band(raw, path, at, n)
        if fields is None:
            if raw.get("to", {}) != {}:
                raise ConfigError(f"{path}.to", "real data has no generator whose concept a "
                                                "drift could switch",
                                  "remove \"to\": on dataset: and csv: sources a drift entry "
                                  "{\"at\": N} just marks a suspected drift point")
            if shape != "span":
                raise ConfigError(f"{path}.shape", "real data has no concepts to mix, so a "
                                                   "marked drift point has no shape",
                                  "remove \"shape\" (a marker is {\"at\": N, \"width\": W})")
            to: dict = {}
        else:
            to = _check_scalar_params(raw.get("to", {}), f"{path}.to", fields)
        drift = Drift(at, width, to, shape)
        if drifts and drift.start < drifts[-1].end:
            raise ConfigError(f"{path}.at", f"{_band_text(drift)} before drift {k - 1} ends at "
                                            f"{drifts[-1].end}",
                              "order drifts by position and do not let them overlap (a moa "
                              "drift's band is at - width - 1 to at + width - 1)")
        drifts.append(drift)
    return tuple(drifts)


def _band_text(drift: Drift) -> str:
    if drift.shape == "span":
        return f"starts at {drift.at},"
    return (f"is {drift.at}: with shape moa the change runs over samples {drift.start} to "
            f"{drift.end} (at - width - 1 to at + width - 1), which starts")


def _check_moa_band(raw: dict, path: str, at: int, n: int) -> int:
    """MOA's width of a ``"shape": "moa"`` drift, checked so that the 1.8 %-98.2 % band of its
    sigmoid, samples ``at - width - 1`` to ``at + width - 1`` (the band the span form confines
    its change to), lies inside the stream. The sigmoid's tails beyond the band are kept, as in
    MOA: they may reach the stream's ends and a neighbour's band."""
    if "width" not in raw:
        raise ConfigError(f"{path}.width", "is required with shape moa (MOA's w)",
                          "add \"width\": MOA's -w, e.g. 1000")
    width = _check_int(raw["width"], f"{path}.width", 1, n // 2,
                       "give MOA's width w, at least 1 (a sudden drift is width 0 with "
                       f"shape span) and at most {n // 2:,} so the band fits the stream")
    if at - width - 1 < 0 or at + width - 1 > n:
        lo, hi = width + 1, n - width + 1
        raise ConfigError(f"{path}.at", f"is {at}: with shape moa and width {width} the change "
                                        f"runs over samples {at - width - 1} to "
                                        f"{at + width - 1} (at - width - 1 to at + width - 1), "
                                        f"outside the stream (0 to {n})",
                          f"use at from {lo:,} to {hi:,}, or a smaller width")
    return width


def _parse_stream(data: Any) -> StreamSpec:
    from lab.streams import GENERATORS

    _check_object(data, "stream", ("source", "n_samples", "params", "drifts", "label_noise"),
                  required=("source",))
    source = data["source"]
    if isinstance(source, str) and source.startswith(("dataset:", "csv:")):
        from lab.datasets import parse_real_stream

        return parse_real_stream(data)
    if not isinstance(source, str) or source not in GENERATORS:
        raise ConfigError("stream.source", f"unknown source {_describe(source)}",
                          f"use one of: {', '.join(GENERATORS)}, dataset:<name> or csv:<path>")
    if "n_samples" not in data:
        raise ConfigError("stream.n_samples", "is required", "add \"n_samples\"")
    n = _check_int(data["n_samples"], "stream.n_samples", 1, MAX_SAMPLES,
                   "give the number of samples in the stream, e.g. 20000")
    info = GENERATORS[source]
    params = _check_scalar_params(data.get("params", {}), "stream.params", info.fields)
    label_noise = _check_number(data.get("label_noise", 0.0), "stream.label_noise", 0, 0.5,
                                fix="use a share of flipped labels between 0 and 0.5")
    drifts = _parse_drifts(data.get("drifts", []), n, info.fields)
    spec = StreamSpec(source, n, params, drifts, label_noise)
    _check_concepts(spec)
    return spec


def parse_stream(data: Any) -> StreamSpec:
    """Validate only the ``stream`` part of a config and return its :class:`StreamSpec`.

    The app previews the drift timeline while the contenders are still being edited, so it
    needs the stream checked on its own. Same checks and messages as :func:`parse_experiment`.

    >>> parse_stream({"source": "sea", "n_samples": 100, "drifts": [{"at": 50}]}).drifts[0].at
    50
    """
    return _parse_stream(data)


def _check_concepts(spec: StreamSpec) -> None:
    """Build every concept's generator once so bad values fail here, with the key named."""
    from lab.streams import GENERATORS, concept_params

    info = GENERATORS[spec.source]
    concepts, targets = concept_params(spec)
    shapes = {}
    for k, params in enumerate(concepts):
        path = "stream.params" if k == 0 else f"stream.drifts[{targets.index(k)}].to"
        problem = info.check(params)  # cross-parameter limits, before anything is built
        if problem:
            key, text, fix = problem
            raise ConfigError(f"{path}.{key}", text, fix)
        try:
            X, _ = info.build(params, 0).draw(1)
        except (ValueError, TypeError, ZeroDivisionError, OverflowError, IndexError) as exc:
            raise ConfigError(path, f"{spec.source} rejects these parameters "
                                    f"({shorten(str(exc), 160)})",
                              "see `python -m lab schema` for the generator's parameters")
        shapes[k] = X.shape[1]
        if shapes[k] != shapes[0]:
            raise ConfigError(path, f"changes the number of features from {shapes[0]} to "
                                    f"{shapes[k]}", "a drift may change the concept, not the "
                                                    "feature set")


def _parse_evaluation(data: Any, n_samples: int) -> EvaluationSpec:
    _check_object(data, "evaluation", tuple(EVALUATION_FIELDS))
    values = {k: _check_field(f, data.get(k, f.default), f"evaluation.{k}")
              for k, f in EVALUATION_FIELDS.items()
              if k in data or k not in OPTIONAL_EVALUATION_KEYS}
    if values["warmup"] >= n_samples:
        raise ConfigError("evaluation.warmup", f"is {values['warmup']}, past the stream's end "
                                               f"({n_samples} samples)",
                          "make warm-up smaller than stream.n_samples so something is scored")
    rows = timeline_rows(n_samples, values["warmup"], values["step"])
    if rows > MAX_TIMELINE_ROWS:
        smallest = smallest_step(n_samples, values["warmup"])
        raise ConfigError("evaluation.step", f"is {values['step']:,}, which gives {rows:,} "
                                             f"timeline rows per contender, more than "
                                             f"{MAX_TIMELINE_ROWS:,}",
                          f"use a step of at least {smallest:,} for {n_samples:,} samples "
                          f"after a warm-up of {values['warmup']:,}")
    return EvaluationSpec(**values)


def timeline_rows(n_samples: int, warmup: int, step: int) -> int:
    """Rows of ``timeline.csv`` per contender: multiples of ``step`` after the warm-up, plus
    the stream's end (the count of :func:`lab.engine.recording_points`, without building it).

    >>> timeline_rows(1050, 500, 200), timeline_rows(1000, 500, 100)
    (4, 5)
    """
    multiples = max(0, n_samples // step - warmup // step)
    return multiples + (0 if multiples and n_samples % step == 0 else 1)


def smallest_step(n_samples: int, warmup: int) -> int:
    """The smallest ``step`` whose timeline has at most :data:`MAX_TIMELINE_ROWS` rows.

    >>> smallest_step(10_000_000, 1000)
    500
    """
    step = max(1, -(-(n_samples - warmup) // MAX_TIMELINE_ROWS))
    while timeline_rows(n_samples, warmup, step) > MAX_TIMELINE_ROWS:  # at most 2-3 rounds
        step += 1
    return step


def _parse_model(data: Any, path: str) -> ModelSpec:
    from lab.models import MODELS

    if isinstance(data, dict):
        _check_object(data, path, ("name", "params"), required=("name",))
        name, params = data["name"], data.get("params", {})
    else:
        name, params = data, {}
    if not isinstance(name, str) or name not in MODELS:
        raise ConfigError(path, f"unknown model {_describe(name)}",
                          f"use one of: {', '.join(MODELS)}")
    info = MODELS[name]
    _check_object(params, f"{path}.params", info.param_names)
    for key, value in params.items():
        if not _is_scalar(value):
            raise ConfigError(f"{path}.params.{key}", f"must be a JSON scalar, got "
                                                      f"{_describe(value)}",
                              "pass numbers, strings, booleans or null")
    from lab.models import check_model_params

    return ModelSpec(name, check_model_params(name, params, f"{path}.params"))


def _parse_policy(data: Any, path: str, model: ModelSpec) -> PolicySpec:
    from lab.models import MODELS
    from lab.policies import check_detector_params, detector_param_names

    if not isinstance(data, dict) or "kind" not in data:
        raise ConfigError(f"{path}.kind" if isinstance(data, dict) else path,
                          "is required" if isinstance(data, dict) else
                          f"must be a JSON object, got {_describe(data)}",
                          f"give a policy kind: {', '.join(POLICY_KINDS)}")
    kind = data["kind"]
    if kind not in POLICY_KINDS:
        raise ConfigError(f"{path}.kind", f"unknown policy {_describe(kind)}",
                          f"use one of: {', '.join(POLICY_KINDS)}")
    allowed = ("kind",) + POLICY_KEYS[kind]
    _check_object(data, path, allowed)
    defaults = POLICY_DEFAULT_OVERRIDES.get(kind, {})
    values = {}
    for key in POLICY_KEYS[kind]:
        spec = POLICY_FIELDS[key]
        values[key] = _check_field(spec, data.get(key, defaults.get(key, spec.default)),
                                   f"{path}.{key}")
    if "detector_params" in values:
        _check_object(values["detector_params"], f"{path}.detector_params",
                      detector_param_names(values["detector"]))
        values["detector_params"] = check_detector_params(
            values["detector"], values["detector_params"], f"{path}.detector_params")
    info = MODELS[model.name]
    if kind in INCREMENTAL_POLICIES and not info.incremental:
        incremental = [m for m, i in MODELS.items() if i.incremental]
        raise ConfigError(f"{path}.kind", f"'{kind}' needs a model that learns incrementally and "
                                          f"{model.name} only learns in batch",
                          f"pick an incremental model ({', '.join(incremental)}) or a batch "
                          "policy (frozen, periodic, triggered)")
    if kind == "periodic" and values["data"] == "decay" and not info.sample_weight:
        raise ConfigError(f"{path}.data", f"'decay' needs sample weights and {model.name} takes "
                                          "none", "use data 'window' or 'all', or another model")
    return PolicySpec(kind=kind, **values)


def parse_experiment(data: Any) -> Experiment:
    """Validate a config (a dict, as read from JSON) and return the :class:`Experiment`.

    Raises :class:`ConfigError` with a one-line message for any user error; never anything else
    for JSON-like input.
    """
    _check_object(data, "", ("seed", "stream", "evaluation", "contenders"),
                  required=("stream", "contenders"))
    seed = _check_int(data.get("seed", 42), "seed", 0, 2**32 - 1,
                      "use a whole number between 0 and 4294967295")
    stream = _parse_stream(data["stream"])
    evaluation = _parse_evaluation(data.get("evaluation", {}), stream.n_samples)
    raw = data["contenders"]
    if not isinstance(raw, list) or not raw:
        raise ConfigError("contenders", f"must be a non-empty list, got {_describe(raw)}",
                          "add at least one {\"name\", \"model\", \"policy\"}")
    if len(raw) > MAX_CONTENDERS:
        raise ConfigError("contenders", f"has {len(raw)} entries, more than {MAX_CONTENDERS}",
                          f"race at most {MAX_CONTENDERS} contenders at once")
    contenders, names = [], set()
    for k, item in enumerate(raw):
        path = f"contenders[{k}]"
        _check_object(item, path, ("name", "model", "policy"), required=("model", "policy"))
        name = item.get("name", f"contender {k + 1}")
        if not isinstance(name, str) or not name.strip() or len(name) > MAX_NAME_CHARS:
            raise ConfigError(f"{path}.name", f"must be a non-empty text of at most "
                                              f"{MAX_NAME_CHARS} characters, got "
                                              f"{_describe(name)}",
                              "give the contender a short name")
        if not name.isprintable():
            # Names reach terminals (an ESC sequence recolours them) and one-line messages.
            raise ConfigError(f"{path}.name", f"contains a control character (tab, line "
                                              f"break, escape...): {_describe(name)}",
                              "use letters, digits, spaces and punctuation only")
        if name in names:
            raise ConfigError(f"{path}.name", f"'{name}' is used twice",
                              "give every contender its own name")
        names.add(name)
        model = _parse_model(item["model"], f"{path}.model")
        policy = _parse_policy(item["policy"], f"{path}.policy", model)
        contenders.append(ContenderSpec(name, model, policy))
    return Experiment(seed, stream, evaluation, tuple(contenders))


def check_flat_config(config: Any, defaults: dict, fields: dict, kind: str,
                      example: str) -> dict:
    """Validate a flat config of an experiment that is not a race (lessons 10 and 11).

    ``fields`` maps a key to ``(int | float, minimum, maximum, fix)``; other keys of ``defaults``
    are copied as given and checked by the caller. Returns the config with defaults filled in.

    >>> check_flat_config({"lr": 0.5}, {"kind": "k", "lr": 0.1}, {"lr": (float, 0, 1, "use 0.1")},
    ...                   "k", '{"lr": 0.1}')
    {'kind': 'k', 'lr': 0.5}
    """
    if not isinstance(config, dict):
        raise ConfigError("config", "must be a JSON object", f"write {example}")
    out = copy.deepcopy(defaults)
    for key, value in config.items():
        if key not in defaults:
            raise ConfigError(str(key), "unknown key", f"use one of: {', '.join(defaults)}")
        out[key] = copy.deepcopy(value)
    if out["kind"] != kind:
        raise ConfigError("kind", f"must be '{kind}'", f"use \"kind\": \"{kind}\"")
    for key, (typ, lo, hi, fix) in fields.items():
        if typ is int:
            out[key] = _check_int(out[key], key, lo, hi, fix)
        else:
            out[key] = _check_number(out[key], key, lo, hi, fix=fix)
    return out


MAX_JSON_CHARS = 1_000_000  # a config is a few kB; the largest shipped example is under 4 kB
MAX_JSON_DEPTH = 20  # a config nests 5 levels (contenders[i].policy.detector_params.x)
MAX_INT_DIGITS = 30  # seeds are < 2**32 (10 digits); every bounded count has fewer


class _JsonLimit(ValueError):
    pass


class JsonSyntaxError(ConfigError):
    """Text that is not JSON at all (as opposed to JSON over a size limit): a caller that also
    accepts plain words (``--set name=Fast``) falls back to the text on this error only."""


def _bounded_int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_INT_DIGITS:
        raise _JsonLimit(f"an integer of {len(text.lstrip('-')):,} digits (at most "
                         f"{MAX_INT_DIGITS} are accepted)")
    return int(text)


def _reject_constant(name: str):
    raise _JsonLimit(f"{name} is not a JSON number")


def _depth(value: Any) -> int:
    """Nesting depth, iteratively (a recursive walk is what the limit protects against)."""
    deepest, todo = 0, [(value, 1)]
    while todo:
        node, level = todo.pop()
        if isinstance(node, (dict, list)):
            deepest = max(deepest, level)
            if level > MAX_JSON_DEPTH:
                return level
            todo.extend((child, level + 1) for child in
                        (node.values() if isinstance(node, dict) else node))
    return deepest


def parse_json_text(text: str, origin: str = "config") -> Any:
    """JSON text from a user (file, URL, paste, ``--vary``) to Python values, never raising
    anything but :class:`ConfigError`.

    Python's ``json`` accepts inputs that cost far more than they look: a 5,000-digit integer
    raises ``ValueError`` (Python's 4,300-digit guard), 10,000 nested brackets raise
    ``RecursionError``, and ``NaN`` / ``Infinity`` are not JSON. Each becomes one line here,
    checked before any value is used.

    >>> parse_json_text('{"seed": 7}')
    {'seed': 7}
    >>> parse_json_text("[" * 50 + "]" * 50)
    Traceback (most recent call last):
    ...
    lab.config.ConfigError: config: nested more than 20 levels deep. Fix: a Driftlab config nests at most 5 levels; check the brackets
    """
    if not isinstance(text, str):
        raise ConfigError("", f"{origin}: must be text, got {type(text).__name__}",
                          "give the config as JSON text")
    if len(text) > MAX_JSON_CHARS:
        raise ConfigError("", f"{origin}: {len(text):,} characters, more than "
                              f"{MAX_JSON_CHARS:,}", "a config is a few kilobytes; check that "
                                                     "this is the right file")
    text = text.removeprefix("\ufeff")  # a UTF-8 byte-order mark, as some editors write
    try:
        data = json.loads(text, parse_int=_bounded_int, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        raise JsonSyntaxError("", f"{origin}: broken JSON at line {exc.lineno} column {exc.colno}: "
                              f"{exc.msg}", "fix the JSON syntax (a validator such as "
                                            "`python -m json.tool FILE` shows where)") from None
    except _JsonLimit as exc:
        raise ConfigError("", f"{origin}: {exc}", "use ordinary numbers") from None
    except RecursionError:
        data = None
        depth = MAX_JSON_DEPTH + 1
    else:
        depth = _depth(data)
    if depth > MAX_JSON_DEPTH:
        raise ConfigError("", f"{origin}: nested more than {MAX_JSON_DEPTH} levels deep",
                          "a Driftlab config nests at most 5 levels; check the brackets")
    return data


def loads_config(text: str, origin: str = "config") -> Experiment:
    """Parse JSON text; broken JSON becomes a :class:`ConfigError` with line and column."""
    return parse_experiment(parse_json_text(text, origin))


def read_config_text(path: str | Path) -> str:
    """The text of a config file, refusing what is not one before reading it.

    ``os.stat`` first: a FIFO would block ``open`` forever, ``/dev/zero`` or ``/dev/urandom``
    never end, and a folder cannot be read; only a regular file is opened, and at most
    :data:`MAX_JSON_CHARS` + 1 bytes are read. A UTF-8 byte-order mark is accepted.
    """
    path = Path(path)
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise ConfigError("", f"config file {path} does not exist", "check the path") from None
    except (OSError, ValueError) as exc:  # ValueError: a NUL byte in the path
        raise ConfigError("", f"cannot read config file {path} ({exc})",
                          "give the path of a JSON file") from None
    if stat.S_ISDIR(info.st_mode):
        raise ConfigError("", f"config file {path} is a folder",
                          "give the path of a JSON file inside it")
    if not stat.S_ISREG(info.st_mode):
        raise ConfigError("", f"config file {path} is not a regular file (a device, pipe or "
                              f"socket)", "save the config to a .json file and give its path")
    if info.st_size > MAX_JSON_CHARS:
        raise ConfigError("", f"config file {path} has {info.st_size:,} bytes, more than "
                              f"{MAX_JSON_CHARS:,}", "a config is a few kilobytes; check that "
                                                     "this is the right file")
    try:
        # O_NONBLOCK: should the path have become a FIFO since the stat, open must not wait
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as fh:
            if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
                raise ConfigError("", f"config file {path} is not a regular file",
                                  "save the config to a .json file and give its path")
            raw = fh.read(MAX_JSON_CHARS + 1)  # the file may have grown since stat
    except OSError as exc:
        raise ConfigError("", f"cannot read config file {path} ({exc.strerror or exc})",
                          "check the file's permissions") from None
    if len(raw) > MAX_JSON_CHARS:
        raise ConfigError("", f"config file {path} has more than {MAX_JSON_CHARS:,} bytes",
                          "a config is a few kilobytes; check that this is the right file")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ConfigError("", f"config file {path} is not UTF-8 text (byte "
                              f"0x{raw[exc.start]:02x} at offset {exc.start:,})",
                          "save the config as UTF-8 JSON") from None


def load_config(path: str | Path) -> Experiment:
    """Read and validate a config file (see :func:`read_config_text`)."""
    return loads_config(read_config_text(path), origin=str(path))


def replace_contenders(exp: Experiment, contenders) -> Experiment:
    return replace(exp, contenders=tuple(contenders))


# --------------------------------------------------------------------------------------------
# JSON Schema
# --------------------------------------------------------------------------------------------
def _field_schema(f: Field) -> dict:
    kind: Any = {"int": "integer", "number": "number", "string": "string", "object": "object",
                 "boolean": "boolean", "null": "null",
                 "scalar": ["number", "string", "boolean", "null"]}[f.type]
    if f.nullable:
        kind = [kind, "null"]
    out: dict[str, Any] = {"type": kind, "description": f.doc, "default": f.default}
    if f.minimum is not None:
        out["exclusiveMinimum" if f.exclusive_minimum else "minimum"] = f.minimum
    if f.maximum is not None:
        out["maximum"] = f.maximum
    if f.enum:
        out["enum"] = list(f.enum)
    return out


def json_schema() -> dict:
    """The JSON Schema (draft 2020-12) of a config, built from the same tables as validation."""
    from lab.datasets import CSV_PARAMS_SCHEMA, DATASETS
    from lab.models import MODELS
    from lab.streams import GENERATORS

    policies = []
    for kind, keys in POLICY_KEYS.items():
        props = {"kind": {"const": kind}}
        for key in keys:
            props[key] = _field_schema(POLICY_FIELDS[key])
            if key in POLICY_DEFAULT_OVERRIDES.get(kind, {}):
                props[key]["default"] = POLICY_DEFAULT_OVERRIDES[kind][key]
        policies.append({"type": "object", "description": POLICY_DOCS[kind],
                         "properties": props, "required": ["kind"],
                         "additionalProperties": False})
    from lab.models import model_param_rules
    from lab.policies import DETECTOR_DOCS, DETECTOR_PARAM_RULES

    generator_params = {
        name: {"type": "object", "description": g.description,
               "properties": {k: _field_schema(f) for k, f in g.fields.items()},
               "additionalProperties": False}
        for name, g in GENERATORS.items()
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "Driftlab experiment",
        "type": "object",
        "required": ["stream", "contenders"],
        "additionalProperties": False,
        "properties": {
            "seed": {"type": "integer", "minimum": 0, "maximum": 2**32 - 1, "default": 42,
                     "description": "seeds the stream's samples, the random parts of its "
                                    "concepts (with concept_seed) and every model's "
                                    "random_state / seed"},
            "stream": {
                "type": "object", "required": ["source"],
                "description": "where the samples come from and where the concept changes",
                "additionalProperties": False,
                # a generator needs n_samples; a data set or CSV file defaults to every row
                "if": {"properties": {"source": {"enum": list(GENERATORS)}}},
                "then": {"required": ["n_samples"]},
                "properties": {
                    "source": {"description": "a generator, dataset:<name> or csv:<path>",
                               "anyOf": [
                        {"enum": list(GENERATORS), "description": "a synthetic generator"},
                        {"enum": [f"dataset:{k}" for k in DATASETS],
                         "description": "a real data set, see $defs.datasets"},
                        {"type": "string", "pattern": "^csv:.+",
                         "description": "a CSV file (path relative to the current folder); "
                                        "params: see $defs.csv_params"}]},
                    "n_samples": {"type": "integer", "minimum": 1, "maximum": MAX_SAMPLES,
                                  "description": "samples in the stream; for dataset:/csv: "
                                                 "sources the first n rows, all when left out"},
                    "params": {"type": "object",
                               "description": "generator parameters (river's names; per "
                                              "source see $defs.generator_params), none for "
                                              "dataset:, $defs.csv_params for csv:"},
                    "label_noise": {"type": "number", "minimum": 0, "maximum": 0.5,
                                    "default": 0.0,
                                    "description": "share of samples whose label is replaced "
                                                   "by a random other class"},
                    "drifts": {"type": "array", "maxItems": MAX_DRIFTS, "default": [],
                               "description": "concept changes, in order and not overlapping; "
                                              "for dataset:/csv: sources, points marked as "
                                              "suspected drifts (the per-drift metrics are "
                                              "measured around them)",
                               "items": {
                        "type": "object", "required": ["at"], "additionalProperties": False,
                        "properties": {
                            "at": {"type": "integer", "minimum": 1,
                                   "description": "span: first sample of the change; moa: "
                                                  "MOA's position p, the centre"},
                            "width": {"type": "integer", "minimum": 0, "default": 0,
                                      "description": "span: samples from the start to the end "
                                                     "of the change (0: sudden); moa: MOA's "
                                                     "width w (at least 1)"},
                            "shape": {"enum": list(DRIFT_SHAPES), "default": "span",
                                      "description": "; ".join(
                                          f"{k}: {v}" for k, v in DRIFT_SHAPES.items())
                                      + ". span(at, width) = moa(at + (width + 1) / 2, "
                                        "width / 2) inside [at, at + width); a moa drift's "
                                        "band at - width - 1 to at + width - 1 must fit the "
                                        "stream and not overlap a neighbour's"},
                            "to": {"type": "object", "default": {},
                                   "description": "generator params of the new concept, "
                                                  "merged onto stream.params: the drift "
                                                  "changes exactly these (a concept drawn "
                                                  "at random changes only with concept_seed, "
                                                  "or rbf's seed_model); going back to "
                                                  "earlier params gives back the same "
                                                  "concept. Not allowed for dataset:/csv: "
                                                  "sources, where a drift entry marks a "
                                                  "suspected drift point"}}}},
                },
            },
            "evaluation": {"type": "object", "additionalProperties": False,
                           "description": f"timeline rows per contender (about (n_samples - "
                                          f"warmup) / step) are at most "
                                          f"{MAX_TIMELINE_ROWS:,}",
                           "properties": {k: _field_schema(f)
                                          for k, f in EVALUATION_FIELDS.items()}},
            "contenders": {"type": "array", "minItems": 1, "maxItems": MAX_CONTENDERS,
                           "description": "the models raced on the same stream, each with its "
                                          "update policy",
                           "items": {
                "type": "object", "required": ["model", "policy"],
                "additionalProperties": False,
                "properties": {
                    "name": {"type": "string", "minLength": 1, "maxLength": MAX_NAME_CHARS,
                             "pattern": "^[^\\u0000-\\u001f\\u007f-\\u009f]*$",
                             "description": "printable text, no control characters"},
                    "model": {"description": "a model name ($defs.models) or {name, params}",
                              "oneOf": [
                        {"enum": list(MODELS)},
                        {"type": "object", "required": ["name"], "additionalProperties": False,
                         "properties": {"name": {"enum": list(MODELS),
                                                 "description": "the model ($defs.models)"},
                                        "params": {"type": "object", "default": {},
                                                   "description": "constructor parameters "
                                                                  "($defs.models.<name>.params"
                                                                  "); library defaults for "
                                                                  "the others"}}}]},
                    "policy": {"description": "when and on what the model learns; `kind` "
                                              "picks the policy, each takes its own keys",
                               "oneOf": policies},
                }}},
        },
        "$defs": {"generator_params": generator_params,
                  "datasets": {k: {"description": d.description, "n_samples": d.n_samples,
                                   "n_features": d.n_features, "classes": list(d.class_names),
                                   "drift": d.drift, "reference": d.reference}
                               for k, d in DATASETS.items()},
                  "csv_params": CSV_PARAMS_SCHEMA,
                  "models": {n: {"description": m.description, "reference": m.reference,
                                 "incremental": m.incremental,
                                 "params": {k: _field_schema(f)
                                            for k, f in model_param_rules(n).items()},
                                 "params_note": "limits checked by Driftlab; the library "
                                                "checks every other parameter"}
                             for n, m in MODELS.items()},
                  "detector_params": {d: {"type": "object", "description": DETECTOR_DOCS[d],
                                          "properties": {k: _field_schema(f)
                                                         for k, f in rules.items()},
                                          "additionalProperties": False}
                                      for d, rules in DETECTOR_PARAM_RULES.items()}},
    }
