"""A refusal of the setup in the words of the page (streamlit): config paths become the
contender names and drift cards the user sees (:func:`friendly`), and the refusal is also shown
next to the sidebar fields it is about (:func:`show_field_notes`), not only above the results;
every drift card with a problem of its own shows it (:func:`drift_card_problems`), not only the
card the validator stopped at.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import streamlit as st

from lab.data.generators import GENERATORS
from lab.spec.errors import ConfigError
from lab.spec.experiment import parse_drifts
from ui import state as S
from ui import text
from ui.editors import SAMPLES_NOTE
from ui.number_checks import DRIFT_NUMBERS, out_of_range, plain_paths

DRIFT_FIELDS = {"at": "At sample", "width": "Width"}  # the drift card's labels of its fields


def friendly(message: str, cfg: dict | None, drift_cards: list[int] | None = None) -> str:
    """Config paths in an error, in the words of the page: contender names, and the number
    and field label of the drift card the user sees (``drift_cards[i]`` is the card of
    ``stream.drifts[i]``, see ``ui.state.drift_card_numbers``; the cards are sorted only when
    the race runs, so while they are edited the config's order is not theirs)."""
    names = [c.get("name", "?") for c in (cfg or {}).get("contenders", [])]

    def contender(m):
        i = int(m.group(1))
        return f"contender “{names[i]}”" if i < len(names) else m.group(0)

    def card(i: int) -> int:
        return drift_cards[i] if drift_cards and i < len(drift_cards) else i + 1

    def drift(m):
        field = m.group(2)
        label = (DRIFT_FIELDS.get(field) or (f"→ {field[3:].replace('_', ' ')}"
                                             if field and field.startswith("to.") else field))
        return f"drift {card(int(m.group(1)))}" + (f" (“{label}”)" if label else "")

    message = re.sub(r"contenders\[(\d+)\]", contender, message)
    # the core's overlap error counts the earlier drift from 0 ("before drift 0 ends")
    message = re.sub(r"before drift (\d+) ends", lambda m: f"before drift {card(int(m.group(1)))} "
                     "ends", message)
    return re.sub(r"stream\.drifts\[(\d+)\](?:\.(at|width|to\.\w+))?", drift, message)


DRIFT_PATH = re.compile(r"stream\.drifts\[(\d+)\]\.(?:at|width)$")
_DRIFT_INDEX = re.compile(r"^stream\.drifts\[\d+\]")


def drift_problems(cfg: Mapping[str, Any] | None) -> dict[int, ConfigError]:
    """Each drift's own problem, by its index in the config (``stream.drifts[k]``), in the
    validator's words: the core stops at the first bad drift, so a second drift past the end
    went unnamed until the first was fixed.

    Each drift is checked by ``lab.spec.experiment.parse_drifts`` (the same checks and
    messages as a run) on its own, after the last drift before it that has no problem (for the
    overlap check), and its problem re-addressed to its own index. A stream length that is not
    a valid number leaves nothing to check a drift against: then no drift has a problem here
    (the page names the length).

    >>> cfg = {"stream": {"source": "sea", "n_samples": 1000, "drifts": [
    ...     {"at": 900, "width": 500}, {"at": 950, "width": 400}]}}
    >>> {k: str(e).split(":")[0] for k, e in drift_problems(cfg).items()}
    {0: 'stream.drifts[0].width', 1: 'stream.drifts[1].width'}
    """
    stream = (cfg or {}).get("stream") or {}
    n, drifts, source = stream.get("n_samples"), stream.get("drifts"), stream.get("source")
    if not isinstance(n, int) or isinstance(n, bool) or n < 2 or not isinstance(drifts, list):
        return {}
    fields = GENERATORS[source].fields if source in GENERATORS else None
    problems: dict[int, ConfigError] = {}
    fine: tuple[int, Any] | None = None  # the last drift without a problem: (index, drift)
    for k, raw in enumerate(drifts):
        try:
            parse_drifts([raw] if fine is None else [fine[1], raw], n, fields)
        except ConfigError as exc:
            problem = exc.problem
            if fine is not None:  # the overlap message counts the earlier drift from 0
                problem = problem.replace("before drift 0 ends", f"before drift {fine[0]} ends")
            problems[k] = ConfigError(_DRIFT_INDEX.sub(f"stream.drifts[{k}]", exc.path),
                                      problem, exc.fix)
            continue
        fine = (k, raw)
    return problems


def drift_card_problems(state: Mapping[str, Any], cfg: Mapping[str, Any] | None) -> dict:
    """Each drift card's own problem, in the page's words, by the card's uid: a number field
    out of range (named as ``ui.number_checks.check_numbers`` names it, "Drift 2 · Width: ...")
    or else the validator's refusal of the drift (:func:`drift_problems`, worded by
    :func:`friendly`). ``cfg`` is None when the editor could not build a config (a number out
    of range somewhere): only the range checks then."""
    ids = list(state.get("drift_ids", []))
    problems: dict[int, str] = {}
    for card, uid in enumerate(ids, start=1):
        for name, field in DRIFT_NUMBERS.items():
            problem = out_of_range(state.get(S.drift_key(uid, name)), field)
            if problem:
                problems[uid] = f"Drift {card} · {field.label}: {problem}. Fix: {field.fix}"
                break
    order = S.drift_order(state)
    cards = S.drift_card_numbers(state)
    for k, exc in drift_problems(cfg).items():
        if k < len(order) and order[k] not in problems:
            problems[order[k]] = friendly(plain_paths(str(exc), cfg), cfg, cards)
    return problems


def show_field_notes(path: str, message: str, notes: dict, cfg: dict | None) -> None:
    """A refusal of the setup, also next to the sidebar fields it is about (the places
    ``ui.editors.sidebar`` returns): a drift's position or width is shown in that drift's
    card, and when the drift runs past the stream's end under Samples too (either may be
    changed); a stream length under Samples. The page's error box above the results stays
    (it says Run is off, and names the stale results) and names the first problem; every other
    drift card with a problem of its own shows that one (:func:`drift_card_problems`)."""
    places = []
    drift = DRIFT_PATH.match(path)
    past_end = False
    if drift:
        i = int(drift.group(1))
        order = S.drift_order(st.session_state)
        if i < len(order):
            places.append(("drift", order[i]))
        stream = (cfg or {}).get("stream", {})
        drifts = stream.get("drifts", [])
        if i < len(drifts) and isinstance(stream.get("n_samples"), int):
            end = drifts[i].get("at", 0) + drifts[i].get("width", 0)
            past_end = end >= stream["n_samples"]
    if past_end or path == "stream.n_samples":
        places.append(SAMPLES_NOTE)
    for place in places:
        if place in notes:
            note = message + (" (or make the stream longer)"
                              if past_end and place == SAMPLES_NOTE else "")
            notes[place].error(text.escape_markdown(note), icon=":material/error:")
    for uid, problem in drift_card_problems(st.session_state, cfg).items():
        place = ("drift", uid)
        if place not in places and place in notes:
            notes[place].error(text.escape_markdown(problem), icon=":material/error:")
