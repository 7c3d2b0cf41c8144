"""A refusal of the setup in the words of the page (streamlit): config paths become the
contender names and drift cards the user sees (:func:`friendly`), and the refusal is also shown
next to the sidebar fields it is about (:func:`show_field_notes`), not only above the results.
"""

from __future__ import annotations

import re

import streamlit as st

from ui import state as S
from ui import text
from ui.editors import SAMPLES_NOTE

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


def show_field_notes(path: str, message: str, notes: dict, cfg: dict | None) -> None:
    """A refusal of the setup, also next to the sidebar fields it is about (the places
    ``ui.editors.sidebar`` returns): a drift's position or width is shown in that drift's
    card, and when the drift runs past the stream's end under Samples too (either may be
    changed); a stream length under Samples. The page's error box above the results stays
    (it says Run is off, and names the stale results)."""
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
