"""Bad input is named all at once, each problem once (issue 13, walk-through point 2): Samples
-5, Label noise 5 and a drift at 50,000 were reported one at a time, as each was fixed; the
drift's message appeared three times (the error box, under the Samples / Label noise row and in
the card), a CSV file's problem three times (box, upload panel, preview)."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import new_app
from ui import keys as K
from ui import state as S
from ui.number_checks import number_problems

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
BAD = Path(__file__).resolve().parent / "data" / "bad"


def texts(at) -> list[str]:
    """Every message and caption on the page, sidebar included."""
    return [e.value for e in at.error] + [c.value for c in at.caption] + \
        [w.value for w in at.warning] + [i.value for i in at.info]


def test_number_problems_lists_every_field_out_of_range_in_page_order():
    state = S.state_from_config(S.config_from_state(S.state_from_config(
        {"seed": 1, "stream": {"source": "sea", "n_samples": 3000,
                               "drifts": [{"at": 1000, "to": {"variant": 1}}]},
         "evaluation": {"warmup": 100, "window": 100, "label_delay": 0, "step": 100},
         "contenders": [{"name": "P", "model": "sk.gaussian_nb",
                         "policy": {"kind": "periodic", "every": 500}}]})))
    assert number_problems(state) == []
    uid = state[K.DRIFT_IDS][0]
    state.update({"n_samples": -5, "label_noise": 5, "step": 0,
                  S.drift_key(uid, "width"): -1})
    found = number_problems(state)
    assert [p.label for p in found] == ["Samples", "Label noise", "Step", "Drift 1 · Width"]
    assert [p.note for p in found] == ["Samples: 1 or more", "Label noise: from 0 to 0.5",
                                       "Step: 1 or more", "Width: 0 or more"]
    assert [p.place for p in found] == ["n_samples", "n_samples", None, ("drift", uid)]


@pytest.mark.parametrize("n_samples", [20_000, 30_000])  # the default stream and a longer one
def test_the_walk_through_inputs_are_listed_together_each_once(n_samples):
    at = new_app()  # the default race: drift 1 at 8,000, drift 2 at 14,000-16,000
    first, _ = at.session_state[K.DRIFT_IDS]
    at.number_input(key="n_samples").set_value(n_samples)
    at.number_input(key="label_noise").set_value(5.0)
    at.number_input(key=S.drift_key(first, "at")).set_value(50_000)
    at.run()
    assert not at.exception
    [box] = at.main.error
    assert box.value.startswith("This setup cannot run yet: 2 fields to change:"), box.value
    assert box.value.count("Label noise: is 5, above 0.5") == 1
    assert box.value.count(f"Drift 1 (“At sample”): is 50,000, outside 1 to {n_samples - 1:,}") \
        == 1
    assert box.value.count("Fix:") == 2 and box.value.count("Run stays off") == 1
    notes = [e.value for e in at.sidebar.error]
    # the notes point to the box; no sentence of the box is said again anywhere
    assert "Label noise: from 0 to 0.5" in notes[0]
    assert "Drift 1 runs past the stream's end" in notes[0]
    assert "At sample: see the message above the results" in notes
    assert not any("Fix:" in t or "is 50,000" in t for t in texts(at) if t != box.value)
    # with Samples out of range too, all three fields' problems are in the box at once
    at.number_input(key="n_samples").set_value(-5).run()
    [box] = at.main.error
    assert box.value.startswith("This setup cannot run yet: 2 fields to change:")
    assert "Samples: is -5, below 1" in box.value and "Label noise: is 5" in box.value
    assert "drifts are checked against the stream once “Samples” is in range" in box.value
    assert sum("Fix:" in t for t in texts(at)) == 1  # the box's, and nowhere else
    # fixing one field leaves the other in the box
    at.number_input(key="n_samples").set_value(n_samples).run()
    at.number_input(key="label_noise").set_value(0.0).run()
    [box] = at.main.error
    assert "Drift 1 (“At sample”)" in box.value and "Label noise" not in box.value
    at.number_input(key=S.drift_key(first, "at")).set_value(8_000).run()
    assert not at.error


@pytest.mark.parametrize("name", ["ragged.csv", "one_class.csv"])
def test_a_csv_files_problem_is_said_once(name):
    at = new_app()
    at.selectbox(key=K.SOURCE).set_value(S.UPLOAD).run()
    path = BAD / name
    at.session_state["_test_upload"] = {"name": path.name, "data": path.read_bytes(),
                                        "params": {}}
    at.run()
    assert not at.exception
    [box] = at.main.error
    assert "Fix:" in box.value
    others = [t for t in texts(at) if t != box.value]
    assert not any("Fix:" in t or name in t and "cannot" not in t and "·" not in t
                   for t in others), others
    # and still listed with a number out of range
    at.number_input(key="warmup").set_value(0).run()
    [box] = at.main.error
    assert "Warm-up: is 0, below 1" in box.value and box.value.count("Fix:") == 2, box.value


def test_no_invitation_to_press_run_while_run_is_off():
    """A fresh page invites a Run; with a field out of range Run is off, and the invitation
    went on saying "Press Run" under the box that says what to change (second walk-through)."""
    at = new_app()
    invitation = "Press **Run** to race the contenders"
    assert any(invitation in i.value for i in at.main.info)
    at.number_input(key="n_samples").set_value(-5).run()
    assert at.main.error and not any(invitation in i.value for i in at.main.info)
    at.number_input(key="n_samples").set_value(20_000).run()
    assert any(invitation in i.value for i in at.main.info)
