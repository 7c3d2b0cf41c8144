"""The experiment as data: limits, field tables, the frozen dataclasses and key paths.

:class:`Experiment` is what :func:`lab.validate.parse_experiment` returns and what the race
runs; the tables here (:data:`EVALUATION_FIELDS`...) are the single source of truth for their
keys, types, ranges and defaults, and each policy kind declares its own settings in its module
of :mod:`lab.policies`. Standard library only: the checks that need the registries
(generators, data sets, learners, policy kinds, detectors) live in :mod:`lab.validate`.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass, field
from typing import Any

from lab.spec.checks import Field, check_int, check_object, check_scalar_params, describe
from lab.spec.costs import Costs
from lab.spec.errors import ConfigError
from lab.spec.label_supply import LabelSupply

MAX_SAMPLES = 10_000_000
MAX_CONTENDERS = 12
# Every drift adds a concept (a generator to build and check) and a band to every chart, whose
# cost grows with the square of their number; 100 is far more than any lesson needs.
MAX_DRIFTS = 100
# Rows of timeline.csv per contender, ceil((n_samples - warmup) / step) and the stream's end:
# each row is a point in every chart, and 20,000 is already finer than a screen shows.
MAX_TIMELINE_ROWS = 20_000
MAX_NAME_CHARS = 60


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

# The policy kinds are not listed here: each describes itself (its settings, their defaults
# and documentation, its label, whether it needs an incremental learner, how its training work
# is counted) in its own module of ``lab.policies``, whose registry collects them. A
# :class:`PolicySpec` holds whatever settings its kind declares.


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
    :data:`DRIFT_SHAPES` and :mod:`lab.data.stream`); :attr:`start` and :attr:`end` bound the band
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
    # None: the config gave no ``labels`` (every label bought, each label_delay late), written
    # back without the key like ``baselines``; see lab.spec.label_supply.
    labels: LabelSupply | None = None


@dataclass(frozen=True)
class ModelSpec:
    name: str
    params: dict = field(default_factory=dict)


@dataclass(frozen=True)
class PolicySpec:
    """A contender's update policy: its ``kind`` and the settings that kind declares, every
    default filled in, in the kind's order (:class:`lab.policies.kind.PolicyKind`).

    Settings read as attributes, so a policy writes ``self.spec.every``. Build one with
    :func:`lab.policies.registry.policy_spec` (defaults filled in) or through the validator.

    >>> spec = PolicySpec("minibatch", {"size": 50, "retrain_latency": 0})
    >>> spec.size, spec.kind
    (50, 'minibatch')
    """

    kind: str
    settings: dict = field(default_factory=dict)

    def __getattr__(self, name: str) -> Any:
        # only reached for names that are not attributes: a setting, or a clear error
        settings = self.__dict__.get("settings")
        if settings is not None and name in settings:
            return settings[name]
        raise AttributeError(f"policy kind {self.__dict__.get('kind')!r} has no setting "
                             f"{name!r}")


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
    # The ledger's prices (lab.spec.costs); None: the config gave no ``costs``, which prices as
    # Costs() and is written back without the key, so older configs keep their normalised form.
    costs: Costs | None = None

    @property
    def prices(self) -> Costs:
        """The prices the ledger uses: the config's, or the defaults (the error count)."""
        return self.costs if self.costs is not None else Costs()

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
            "evaluation": {**{k: getattr(self.evaluation, k) for k in EVALUATION_FIELDS
                              if k not in OPTIONAL_EVALUATION_KEYS
                              or getattr(self.evaluation, k) is not None},
                           **({"labels": self.evaluation.labels.to_dict()}
                              if self.evaluation.labels is not None else {})},
            "contenders": [
                {"name": c.name,
                 "model": c.model.name if not c.model.params else
                 {"name": c.model.name, "params": dict(c.model.params)},
                 "policy": {"kind": c.policy.kind, **copy.deepcopy(c.policy.settings)}}
                for c in self.contenders
            ],
            **({"costs": self.costs.to_dict()} if self.costs is not None else {}),
        }

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), indent=indent, sort_keys=False)

    def with_overrides(self, overrides: dict[str, Any]) -> Experiment:
        """A copy with values replaced by path (``"stream.n_samples"``,
        ``"contenders[1].policy.every"``).

        >>> from lab.presets import load_preset
        >>> load_preset("stable").with_overrides({"evaluation.warmup": 500}).evaluation.warmup
        500
        """
        data = self.to_dict()
        for path, value in overrides.items():
            set_path(data, path, value)
        if not _PARSER:
            raise RuntimeError("import lab.validate first: it checks the overridden config")
        return _PARSER[0](data)


# Checking a config needs the registries (generators, data sets, learners, policy kinds), which
# live in layers above this one. lab.validate registers its parse_experiment here when it is
# imported; every Experiment is made by it, so with_overrides always finds the parser.
_PARSER: list = []


def register_parser(parse) -> None:
    """Make :meth:`Experiment.with_overrides` re-check its result with ``parse`` (called once
    by :mod:`lab.validate`, whose :func:`~lab.validate.parse_experiment` it is)."""
    _PARSER[:] = [parse]


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


def parse_drifts(raw_drifts: Any, n: int, fields: dict | None) -> tuple[Drift, ...]:
    """``stream.drifts`` (at most :data:`MAX_DRIFTS`); ``fields`` is the generator's parameter
    table (:attr:`lab.data.generators.GeneratorInfo.fields`), or None for real data, whose drift
    entries
    are only markers of suspected drift points (no ``to``)."""
    if not isinstance(raw_drifts, list):
        raise ConfigError("stream.drifts", f"must be a list, got {describe(raw_drifts)}",
                          "write [] or [{\"at\": 5000, \"width\": 0, \"to\": {...}}]")
    if len(raw_drifts) > MAX_DRIFTS:
        raise ConfigError("stream.drifts", f"has {len(raw_drifts):,} drifts, more than "
                                           f"{MAX_DRIFTS}",
                          f"use at most {MAX_DRIFTS} drifts per stream")
    drifts: list[Drift] = []
    for k, raw in enumerate(raw_drifts):
        path = f"stream.drifts[{k}]"
        check_object(raw, path, ("at", "width", "to", "shape"), required=("at",))
        shape = raw.get("shape", "span")
        if shape not in DRIFT_SHAPES:
            raise ConfigError(f"{path}.shape", f"unknown shape {describe(shape)}",
                              "use \"span\" (the change runs from at to at + width, the "
                              "default) or \"moa\" (at and width are MOA's position and width)")
        at = check_int(raw["at"], f"{path}.at", 1, n - 1,
                        f"put the drift inside the stream (1 to {n - 1:,})")
        if shape == "span":
            width = check_int(raw.get("width", 0), f"{path}.width", 0, n - at,
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
            to = check_scalar_params(raw.get("to", {}), f"{path}.to", fields)
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
    width = check_int(raw["width"], f"{path}.width", 1, n // 2,
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
