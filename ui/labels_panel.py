"""The Labels controls of the Evaluation section: how many labels are bought, which ones, and
how late each arrives (the config's ``evaluation.labels``, :mod:`lab.spec.label_supply`).

The widgets' values live in session state under the keys of :data:`KEYS` (prefixed ``labels_``,
so ``ui.state.is_config_key`` counts them as the config being edited); :func:`labels_state` and
:func:`labels_evaluation` convert between them and the config, so links and config files carry
the setting. A config without ``labels`` stays without it while the controls are at their
defaults (every label bought, the fixed delay), so a preset's config is written as the CLI
writes it. The converters need no streamlit (``ui.state`` imports them).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from lab.spec.label_supply import DELAY_KEYS, LABEL_FIELDS, MAX_DELAY

#: Session-state key of each ``evaluation.labels`` key, plus whether the loaded config had it.
KEYS = {name: f"labels_{name}" for name in LABEL_FIELDS}
GIVEN = "labels_given"

STRATEGY_NAMES = {"uniform": "At random (uniform)",
                  "uncertainty": "Where the model is unsure (online river models only)"}
DELAY_NAMES = {"fixed": "Fixed (the label delay above)", "uniform": "Uniform range",
               "exponential": "Exponential (random, with a mean)"}


def labels_state(labels: Mapping[str, Any] | None) -> dict[str, Any]:
    """The controls' values for a config's ``evaluation.labels`` (None: the defaults)."""
    given = labels or {}
    state: dict[str, Any] = {}
    for name, key in KEYS.items():
        value = given.get(name, LABEL_FIELDS[name].default)
        state[key] = float(value) if LABEL_FIELDS[name].type == "number" else value
    state[GIVEN] = labels is not None
    return state


def labels_evaluation(state: Mapping[str, Any]) -> dict[str, Any]:
    """The ``evaluation`` keys the controls set: ``labels`` (left out at the defaults unless the
    loaded config had it) and, with a delay that varies per sample, ``label_delay`` 0 (a label
    has one delay)."""
    values = {name: state.get(key, LABEL_FIELDS[name].default) for name, key in KEYS.items()}
    delay = values["delay"]
    labels = {"share": float(values["share"]), "strategy": values["strategy"], "delay": delay,
              **{name: values[name] for name in DELAY_KEYS.get(delay, ())}}
    at_defaults = (labels["share"] == 1.0 and labels["strategy"] == "uniform"
                   and delay == "fixed")
    out: dict[str, Any] = {}
    if not at_defaults or state.get(GIVEN):
        out["labels"] = labels
    if delay != "fixed":
        out["label_delay"] = 0
    return out


def render_labels_panel() -> None:
    """The Labels controls: share bought, strategy, delay kind and its parameters."""
    import streamlit as st  # here only: ui.state reads this module's converters without it

    st.markdown("#### Labels")
    st.caption("Labels may cost money and arrive late. Every contender learns only from the "
               "labels it has received; the ledger charges each one bought.")
    # No min/max on the number fields: the browser would refuse an out-of-range value silently
    # (the old one stays and runs); ui.number_checks refuses it by name, with Run off.
    st.number_input("Labels bought (share)", key=KEYS["share"], step=0.05, format="%.2f",
                    help="share of the scored samples' labels that are bought, above 0 and at "
                         "most 1; the warm-up's are always bought")
    st.selectbox("Labels chosen", list(STRATEGY_NAMES), key=KEYS["strategy"],
                 format_func=STRATEGY_NAMES.get,
                 help="at random: the same seeded subset for every contender; where unsure: "
                      "river's entropy sampler asks for the labels the model is least sure of, "
                      "within the share as a budget")
    delay = st.selectbox("Delay of each label", list(DELAY_NAMES), key=KEYS["delay"],
                         format_func=DELAY_NAMES.get,
                         help="fixed: every label arrives 'Label delay' samples late; "
                              "otherwise each label draws its own delay (the Label delay "
                              "above is then not used)")
    c1, c2 = st.columns(2)  # the selects above get whole rows: their labels were cut
    if delay == "uniform":
        c1.number_input("Shortest delay (samples)", key=KEYS["delay_low"], step=50,
                        help=f"0 to {MAX_DELAY:,} samples")
        c2.number_input("Longest delay (samples)", key=KEYS["delay_high"], step=50,
                        help=f"at least the shortest delay, at most {MAX_DELAY:,} samples")
    elif delay == "exponential":
        c2.number_input("Mean delay (samples)", key=KEYS["delay_mean"], step=50.0,
                        help=f"above 0, at most {MAX_DELAY:,} samples")
