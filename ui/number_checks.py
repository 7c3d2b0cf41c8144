"""The editor's number fields checked by the names the page gives them (no streamlit here).

The number fields carry no min/max of their own (``ui.editors``): a browser refuses an
out-of-range value of a bounded ``st.number_input`` without telling the server (Streamlit 1.67
shows "Number is below the allowed range" and keeps the old value), so Run raced the previous
value and nothing near the results said so. Unbounded, every typed value reaches the app, and
:func:`check_numbers` (called by :func:`ui.state.config_from_state`) refuses it by the name the
user sees, with Run off. The validator still checks everything that depends on other values (a
warm-up shorter than the stream, drifts that overlap, a label strategy the contenders cannot
use, a price matrix of the wrong size); :func:`plain_paths` and :func:`with_stale_note` give its
refusals the same form: the fields by the names the page shows, and the note that the results
below are the previous run's.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any, NamedTuple

from lab.policies.registry import POLICY_KINDS, setting_fields
from lab.spec.costs import MAX_PRICE
from lab.spec.errors import ConfigError
from lab.spec.label_supply import DELAY_KEYS, MAX_DELAY
from lab.spec.labels import path_label
from ui import keys as K
from ui import state as S
from ui.labels_panel import KEYS as LABEL_KEYS


class NumberField(NamedTuple):
    """A number field of the editor: its label on the page, its range, and how to fix it
    (``above``: the minimum itself is refused, as a share of labels bought of 0)."""

    label: str
    minimum: float
    maximum: float | None
    fix: str
    above: bool = False


# The sidebar's number fields, by widget key, with the labels ui.editors draws them with.
SIDEBAR_NUMBERS: dict[str, NumberField] = {
    "n_samples": NumberField("Samples", 1, None, "type the stream's length, 1 sample or more"),
    "label_noise": NumberField("Label noise", 0.0, 0.5,
                               "type the share of flipped labels, from 0 to 0.5"),
    "seed": NumberField("Seed", 0, 2**32 - 1, "type a whole number from 0 to 4,294,967,295"),
    "warmup": NumberField("Warm-up", 1, None, "type 1 sample or more"),
    "window": NumberField("Window", 1, None, "type 1 sample or more"),
    "label_delay": NumberField("Label delay", 0, None,
                               "type 0 for labels that arrive at once, or more"),
    "step": NumberField("Step", 1, None, "type 1 sample or more"),
}
DRIFT_NUMBERS: dict[str, NumberField] = {
    "at": NumberField("At sample", 1, None, "type a sample inside the stream, 1 or more"),
    "width": NumberField("Width", 0, None, "type 0 for a sudden drift, or more"),
}


# The Labels panel's number fields (ui.labels_panel), by the evaluation.labels key they set: the
# share always, a delay's fields while its delay kind is chosen (the config keeps only those).
LABEL_NUMBERS: dict[str, NumberField] = {
    "share": NumberField("Labels bought (share)", 0.0, 1.0,
                         "type a share above 0 and at most 1, e.g. 0.5 (1 buys every label)",
                         above=True),
    "delay_low": NumberField("Shortest delay (samples)", 0, MAX_DELAY,
                             f"type 0 or more samples, at most {MAX_DELAY:,}"),
    "delay_high": NumberField("Longest delay (samples)", 0, MAX_DELAY,
                              f"type 0 or more samples, at most {MAX_DELAY:,}"),
    "delay_mean": NumberField("Mean delay (samples)", 0.0, MAX_DELAY,
                              f"type a positive number of samples, at most {MAX_DELAY:,}",
                              above=True),
}


# The Costs panel's price fields, drawn by ui.costs: (label with its unit, help). The unit of
# every price is the user's own.
PRICE_WIDGETS = {
    "train_sample": ("per training sample", "charged for every sample passed to training, "
                     "warm-up included: a machine-independent view of compute"),
    "cpu_second": ("per training CPU second", "charged for every process CPU second spent "
                   "training; measured, so it varies a little from run to run"),
    "retrain": ("per retrain", "the fixed cost of one from-scratch fit after the warm-up: "
                "validating and deploying the new model"),
    "label": ("per label bought", "charged for every label the contender receives, the "
              "warm-up's included"),
    "error": ("per wrong prediction", "the business cost of one wrong prediction of a scored "
              "sample; 1 (the default) makes the bill the error count"),
}


def price_fields() -> dict[str, NumberField]:
    """The Costs panel's price fields by widget key, labelled as ``ui.costs`` draws them."""
    return {K.COST_PRICES[name]: NumberField(
        f"Price {label} (price units)", 0.0, MAX_PRICE,
        f"type a price from 0 to {MAX_PRICE:,.0f}, in your currency unit")
        for name, (label, _) in PRICE_WIDGETS.items()}


def _shown(value: Any) -> str:
    if isinstance(value, int) or (isinstance(value, float) and value.is_integer()
                                  and abs(value) < 1e15):
        return f"{value:,.0f}"  # "1,000,000,000,000", not "1e+12"
    return f"{value:,.6g}"


def out_of_range(value: Any, field: NumberField) -> str | None:
    """What is wrong with ``value`` for ``field`` (None: nothing, or not a number at all).

    >>> out_of_range(-5, NumberField("Price", 0.0, 10.0, "")), out_of_range(3, NumberField(
    ...     "Price", 0.0, 10.0, ""))
    ('is -5, below 0, the smallest it can be', None)
    >>> out_of_range(2e13, NumberField("Price", 0.0, 1e12, ""))
    'is 20,000,000,000,000, above 1,000,000,000,000, the largest it can be'
    >>> out_of_range(0.0, NumberField("Share", 0.0, 1.0, "", above=True))
    'is 0, and it must be above 0'
    """
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    if math.isnan(value):
        return "is not a number"
    if field.above and value <= field.minimum:
        return f"is {_shown(value)}, and it must be above {_shown(field.minimum)}"
    if value < field.minimum:
        return f"is {_shown(value)}, below {_shown(field.minimum)}, the smallest it can be"
    if field.maximum is not None and value > field.maximum:
        return f"is {_shown(value)}, above {_shown(field.maximum)}, the largest it can be"
    return None


def previous_results_note(state: Mapping[str, Any]) -> str:
    """What a refusal adds when results are on the page: they are the last run's, not this
    setup's (the page keeps showing them below the message). After Stop the page shows the
    stopped race alone, so there are no earlier results below to speak of."""
    history = state.get(K.HISTORY) or []
    if not history or (state.get(K.STOPPED) and state.get(K.PARTIAL)):
        return "Run stays off until then"
    return (f"Run stays off until then, and the results below are still those of run "
            f"{history[-1]['id']}, from before this change")


def range_words(field: NumberField) -> str:
    """A field's range in a few words, for the short note next to the field (the message above
    the results has the whole sentence).

    >>> range_words(SIDEBAR_NUMBERS["n_samples"]), range_words(SIDEBAR_NUMBERS["label_noise"])
    ('1 or more', 'from 0 to 0.5')
    >>> range_words(LABEL_NUMBERS["share"])
    'above 0, at most 1'
    """
    low = _shown(field.minimum)
    if field.above:
        return f"above {low}" + (f", at most {_shown(field.maximum)}"
                                 if field.maximum is not None else "")
    if field.maximum is None:
        return f"{low} or more"
    return f"from {low} to {_shown(field.maximum)}"


class FieldProblem(NamedTuple):
    """A number field outside its range: its label as the page shows it, what is wrong, the
    fix, the short note for the field's own place in the sidebar, that place (a key of the
    places ``ui.editors.sidebar`` returns; None: the field has none) and the config path the
    field sets (or the start of it: "stream.drifts", "contenders")."""

    label: str
    problem: str
    fix: str
    note: str
    place: Any = None
    path: str = ""

    def __str__(self) -> str:
        return f"{self.label}: {self.problem}. Fix: {self.fix}"


# The sidebar fields whose notes go in the place under the Samples / Label noise row.
_SAMPLES_ROW = ("n_samples", "label_noise")
_SIDEBAR_PATHS = {"n_samples": "stream.n_samples", "label_noise": "stream.label_noise",
                  "seed": "seed"}  # the others are evaluation.<key>


def number_problems(state: Mapping[str, Any]) -> list[FieldProblem]:
    """Every number field outside its range, in the page's order (sidebar, prices, labels,
    drift cards, contenders): named as the page labels it (see :data:`SIDEBAR_NUMBERS`), a
    drift's field by its card, a contender's by its name. All of them, so that three bad
    fields are named at once and not one after the other as each is fixed.

    >>> [str(p) for p in number_problems({"n_samples": -5, "label_noise": 5, "source": "sea"})]
    ["Samples: is -5, below 1, the smallest it can be. Fix: type the stream's length, 1 sample \
or more", 'Label noise: is 5, above 0.5, the largest it can be. Fix: type the share of flipped \
labels, from 0 to 0.5']
    """
    found: list[FieldProblem] = []

    def check(value: Any, field: NumberField, label: str, path: str, place: Any = None) -> None:
        problem = out_of_range(value, field)
        if problem:
            found.append(FieldProblem(label, problem, field.fix,
                                      f"{field.label}: {range_words(field)}", place, path))

    every_row = state.get("source") == S.UPLOAD and state.get("csv_all_rows", True)
    for key, field in SIDEBAR_NUMBERS.items():
        if key == "n_samples" and every_row:
            continue  # not used: the file's rows are
        check(state.get(key), field, field.label, _SIDEBAR_PATHS.get(key, f"evaluation.{key}"),
              "n_samples" if key in _SAMPLES_ROW else None)  # ui.editors.SAMPLES_NOTE
    for key, field in price_fields().items():
        check(state.get(key), field, field.label, "costs")
    delay_kind = state.get(LABEL_KEYS["delay"], "fixed")
    for name, field in LABEL_NUMBERS.items():
        if name != "share" and name not in DELAY_KEYS.get(delay_kind, ()):
            continue  # a delay field of another delay kind: not drawn, not used
        check(state.get(LABEL_KEYS[name]), field, field.label, f"evaluation.labels.{name}")
    for card, uid in enumerate(state.get("drift_ids", []), start=1):
        for name, field in DRIFT_NUMBERS.items():
            check(state.get(S.drift_key(uid, name)), field, f"Drift {card} · {field.label}",
                  "stream.drifts", ("drift", uid))
    for uid in state.get("contender_ids", []):
        kind = POLICY_KINDS.get(state.get(S.contender_key(uid, "kind")))
        for name in (kind.fields if kind else ()):
            spec = setting_fields().get(name)
            if spec is None or spec.type not in ("int", "number") or spec.minimum is None:
                continue
            field = NumberField(spec.label or name, spec.minimum, None,
                                f"type {_shown(spec.minimum)} or more")
            who = " ".join(str(state.get(S.contender_key(uid, "name"), "")).split())
            check(state.get(S.contender_key(uid, name)), field,
                  f"Contender “{who}” · {field.label}", "contenders")
    return found


def check_numbers(state: Mapping[str, Any]) -> None:
    """Refuse a setup with a number field outside its range: a :class:`ConfigError` naming the
    first such field (:func:`number_problems` lists them all, for the page) as the page labels
    it, its value, the range and the fix.

    >>> check_numbers({"n_samples": -5, "source": "sea"})
    Traceback (most recent call last):
    ...
    lab.spec.errors.ConfigError: Samples: is -5, below 1, the smallest it can be. Fix: type the \
stream's length, 1 sample or more; Run stays off until then
    """
    problems = number_problems(state)
    if problems:
        first = problems[0]
        raise ConfigError(first.label, first.problem,
                          f"{first.fix}; {previous_results_note(state)}")


# Config paths the sidebar shows as one of its number fields: named as the field is labelled.
PAGE_LABELS = {
    "stream.n_samples": SIDEBAR_NUMBERS["n_samples"].label,
    "stream.label_noise": SIDEBAR_NUMBERS["label_noise"].label,
    **{f"evaluation.{key}": SIDEBAR_NUMBERS[key].label
       for key in ("warmup", "window", "label_delay", "step")},
}
# A config path in a validator's message: a head word and at least one ".key" or "[i]". Drift
# paths are left to the race page, which names a drift by the card the user sees.
_PATH = re.compile(r"(?<![\w.])(?:seed|stream|evaluation|costs|contenders)"
                   r"(?:\.[A-Za-z_]\w*|\[\d+\])+")


def plain_paths(message: str, config: Mapping[str, Any] | None) -> str:
    """A validator's one-line refusal with its config paths in the page's words: a sidebar
    number by its field's label ("Warm-up"), anything else by
    :func:`lab.spec.labels.path_label` (contenders by their names); quoted inside the text,
    bare as the message's head. ``stream.drifts[...]`` paths are kept for the race page's
    ``friendly``, which numbers drifts as their cards.

    >>> plain_paths("evaluation.warmup: is 5000, past the stream's end (3000 samples). Fix: "
    ...             "make warm-up smaller than stream.n_samples so something is scored", None)
    "Warm-up: is 5000, past the stream's end (3000 samples). Fix: make warm-up smaller than \
“Samples” so something is scored"
    >>> plain_paths("stream.drifts[1].at: overlaps", None)
    'stream.drifts[1].at: overlaps'
    """
    def label(match: re.Match) -> str:
        path = match.group(0)
        if path.startswith("stream.drifts"):
            return path
        words = PAGE_LABELS.get(path) or path_label(path, config)
        return words if match.start() == 0 else f"“{words}”"

    return _PATH.sub(label, message)


def with_stale_note(message: str, state: Mapping[str, Any]) -> str:
    """A refusal of the setup ending, once, with :func:`previous_results_note` (the range
    checks' refusals already carry it), so every refusal says that Run is off and, after a
    run, that the results below are the previous run's."""
    if "Run stays off until then" in message:
        return message
    return f"{message}; {previous_results_note(state)}"
