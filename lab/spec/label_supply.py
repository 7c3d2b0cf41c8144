"""Label economics: the optional ``evaluation.labels`` object of a config.

Without it every label is bought and arrives ``evaluation.label_delay`` samples after its
prediction (the lab's behaviour before labels had a price). With it:

* ``share`` (0 < share <= 1, default 1): the share of the scored samples' labels that are bought.
  The warm-up's labels are always bought: they are every contender's first training set.
* ``strategy``: ``"uniform"`` (default), a seeded random subset of exactly
  ``round(share * scored samples)`` labels, the same for every contender; or ``"uncertainty"``,
  river's ``active.EntropySampler`` (the label of a sample whose prediction is uncertain is
  asked for more often) under a budget: a label is bought only while the contender's purchases
  stay within ``share`` of the samples it has scored. It asks the contender's own model, sample
  by sample, so it fits the online policy with a river model only (the validator says so for the
  others).
* ``delay``: how many samples pass between a prediction and the arrival of its label, per
  sample: ``"fixed"`` (default: ``evaluation.label_delay``), ``"uniform"`` (a whole number drawn
  uniformly from ``delay_low`` to ``delay_high``, both included) or ``"exponential"`` (an
  exponential draw with mean ``delay_mean``, rounded down to whole samples).

Every draw comes from the experiment's seed through random streams of its own, so the stream's
samples do not change, and the purchases do not change when only the delay does.
Standard library only; :mod:`lab.policies.label_plan` turns a :class:`LabelSupply` into the
per-sample arrays policies read.

>>> parse_label_supply({"share": 0.25, "delay": "uniform", "delay_low": 10, "delay_high": 50},
...                    label_delay=0).to_dict()
{'share': 0.25, 'strategy': 'uniform', 'delay': 'uniform', 'delay_low': 10, 'delay_high': 50}
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from lab.spec.checks import Field, check_field, check_object
from lab.spec.errors import ConfigError

MAX_DELAY = 10_000_000  # the longest stream: a longer delay never arrives anyway

STRATEGIES = ("uniform", "uncertainty")
DELAY_KINDS = ("fixed", "uniform", "exponential")

#: The keys of ``evaluation.labels``, in the order the config, the schema and the app list them.
LABEL_FIELDS: dict[str, Field] = {
    "share": Field("number", 1.0, "share of the scored samples' labels bought (the warm-up's "
                   "are always bought); 1 buys every label", minimum=0.0, maximum=1.0,
                   exclusive_minimum=True, fix="use a share above 0 and at most 1, e.g. 0.5",
                   label="Labels bought (share)"),
    "strategy": Field("string", "uniform", "which labels are bought: 'uniform' (a seeded random "
                      "subset of exactly round(share x scored samples), the same for every "
                      "contender) or 'uncertainty' (river's active.EntropySampler asks for the "
                      "labels the contender's own model is unsure of, within a budget of share "
                      "x samples scored so far; online policy with a river model only)",
                      enum=STRATEGIES, fix="use 'uniform' or 'uncertainty'",
                      label="Labels chosen by"),
    "delay": Field("string", "fixed", "delay of each label, in samples: 'fixed' (every label "
                   "evaluation.label_delay samples late), 'uniform' (drawn per sample from "
                   "delay_low to delay_high) or 'exponential' (drawn per sample with mean "
                   "delay_mean, rounded down)", enum=DELAY_KINDS,
                   fix="use 'fixed', 'uniform' or 'exponential'", label="Label delay kind"),
    "delay_low": Field("int", 0, "shortest delay of delay 'uniform', in samples", minimum=0,
                       maximum=MAX_DELAY, fix="use 0 or a positive number of samples",
                       label="Shortest label delay (samples)"),
    "delay_high": Field("int", 100, "longest delay of delay 'uniform', in samples (included)",
                        minimum=0, maximum=MAX_DELAY,
                        fix="use a number of samples at least delay_low",
                        label="Longest label delay (samples)"),
    "delay_mean": Field("number", 100.0, "mean delay of delay 'exponential', in samples",
                        minimum=0.0, maximum=MAX_DELAY, exclusive_minimum=True,
                        fix="use a positive number of samples, e.g. 100",
                        label="Mean label delay (samples)"),
}
#: Which delay keys each delay kind uses (the others are refused, and not written back).
DELAY_KEYS = {"fixed": (), "uniform": ("delay_low", "delay_high"), "exponential": ("delay_mean",)}


@dataclass(frozen=True)
class LabelSupply:
    """The checked ``evaluation.labels`` (defaults filled in; the delay keys of its kind only)."""

    share: float = 1.0
    strategy: str = "uniform"
    delay: str = "fixed"
    delay_low: int = 0
    delay_high: int = 100
    delay_mean: float = 100.0

    @property
    def everything_fixed(self) -> bool:
        """Every label bought, each ``label_delay`` late: the behaviour without the object."""
        return self.share == 1.0 and self.strategy == "uniform" and self.delay == "fixed"

    def to_dict(self) -> dict:
        return {"share": self.share, "strategy": self.strategy, "delay": self.delay,
                **{key: getattr(self, key) for key in DELAY_KEYS[self.delay]}}


def parse_label_supply(data: Any, label_delay: int) -> LabelSupply:
    """``evaluation.labels`` checked: known keys, a share in (0, 1], a strategy and a delay kind
    from their lists, only the delay keys of that kind, ``delay_low <= delay_high``, and
    ``evaluation.label_delay`` 0 with a delay that is not fixed (one delay, said once)."""
    path = "evaluation.labels"
    check_object(data, path, tuple(LABEL_FIELDS),
                 fix='write e.g. {"share": 0.5, "strategy": "uniform"}')
    values = {key: check_field(f, data[key], f"{path}.{key}")
              for key, f in LABEL_FIELDS.items() if key in data}
    delay = values.get("delay", "fixed")
    for key in DELAY_KEYS["uniform"] + DELAY_KEYS["exponential"]:
        if key in values and key not in DELAY_KEYS[delay]:
            uses = ", ".join(k for k, keys in DELAY_KEYS.items() if key in keys)
            raise ConfigError(f"{path}.{key}", f"is used by delay '{uses}' only, and delay is "
                                               f"'{delay}'",
                              f"remove it, or set {path}.delay to '{uses}'")
    if delay != "fixed" and label_delay:
        raise ConfigError("evaluation.label_delay", f"is {label_delay} but {path}.delay is "
                                                    f"'{delay}': a label has one delay",
                          "set label_delay to 0 (the per-sample delay replaces it), or use "
                          "delay 'fixed'")
    supply = LabelSupply(**{k: (float(v) if LABEL_FIELDS[k].type == "number" else v)
                            for k, v in values.items()})
    if supply.delay == "uniform" and supply.delay_low > supply.delay_high:
        raise ConfigError(f"{path}.delay_high", f"is {supply.delay_high}, below delay_low "
                                                f"({supply.delay_low})",
                          "make delay_high at least delay_low")
    return supply


def label_supply_schema() -> dict:
    """The JSON Schema of ``evaluation.labels``, from the same table as the checks."""
    props: dict[str, Any] = {}
    for key, f in LABEL_FIELDS.items():
        entry: dict[str, Any] = {"type": "integer" if f.type == "int" else f.type,
                                 "description": f.doc, "default": f.default}
        if f.enum:
            entry["enum"] = list(f.enum)
        if f.minimum is not None:
            entry["exclusiveMinimum" if f.exclusive_minimum else "minimum"] = f.minimum
        if f.maximum is not None:
            entry["maximum"] = f.maximum
        props[key] = entry
    return {"type": "object", "additionalProperties": False, "properties": props,
            "description": "label economics: the share of labels bought, how they are chosen "
                           "and how late each arrives; without it every label is bought and "
                           "arrives evaluation.label_delay samples late, and the normalised "
                           "config does not write it"}
