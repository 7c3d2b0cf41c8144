"""Drift cards keep their place and number while edited (issue 13, point 6).

The sidebar's drift editor used to re-sort its cards by position at every keystroke, so a card
jumped away while the user typed into it, and the error then named "drift 2.at" for the card
the user had typed into. Now the cards are sorted when the race runs, and errors name the card
the user sees.
"""

from __future__ import annotations

import pytest

from helpers import assert_clean, new_app
from ui import state as S


def card_titles(at) -> list[str]:
    """The drift cards' headings, top to bottom ("**Drift 1** · sudden")."""
    return [m.value for m in at.sidebar.markdown if m.value.startswith("**Drift ")]


def test_order_and_card_numbers_without_the_app():
    state = {"drift_ids": [0, 1, 2], "d0_at": 4000, "d0_width": 0, "d1_at": 12000,
             "d1_width": 0, "d2_at": 8000, "d2_width": 500}
    assert S.drift_order(state) == [0, 2, 1]
    assert S.drift_card_numbers(state) == [1, 3, 2]
    S.sort_drifts(state)
    assert state["drift_ids"] == [0, 2, 1]
    assert S.drift_card_numbers(state) == [1, 2, 3]


@pytest.mark.slow
def test_a_card_keeps_its_place_while_typed_into_and_errors_name_it():
    at = new_app()  # the default race: drift 1 at 8,000 (uid 0), drift 2 at 14,000 (uid 1)
    assert at.session_state["drift_ids"] == [0, 1]
    # the user moves drift 1 past drift 2: it stays the first card, "Drift 1"
    at.sidebar.number_input(key="d0_at").set_value(17000).run()
    assert at.session_state["drift_ids"] == [0, 1]
    assert at.sidebar.number_input(key="d0_at").value == 17000
    assert card_titles(at)[0].startswith("**Drift 1**")
    # drift 2 (14,000-16,000) is now before drift 1: the config is sorted, so the race is fine
    assert not at.error
    # drift 1 overlapping drift 2's band: the error names the cards the user sees
    at.sidebar.number_input(key="d0_at").set_value(15000).run()
    errors = [e.value for e in at.error]
    assert errors, "an overlapping drift must be refused"
    assert "Drift 1 (“At sample”)" in errors[0] and "before drift 2 ends" in errors[0], errors
    assert "stream.drifts" not in errors[0] and "drift 0" not in errors[0]
    # fixed, then Run: the cards are sorted by position
    at.sidebar.number_input(key="d0_at").set_value(17000).run()
    assert not at.error
    at.button(key="run").click().run()
    assert_clean(at)
    assert at.session_state["drift_ids"] == [1, 0]
    assert [at.sidebar.number_input(key=f"d{u}_at").value for u in (1, 0)] == [14000, 17000]
    assert card_titles(at)[0].startswith("**Drift 1**")
    raced = at.session_state["history"][-1]["outputs"]["config"]["stream"]["drifts"]
    assert [d["at"] for d in raced] == [14000, 17000]
