"""The contenders box keeps one key for the session and tracks its state (``ui.editors``):
Run collapses it through that state, and a box the user opened stays open while its label
changes. (It used to be collapsed by a new key per Run, which made the browser rebuild every
contender's widgets on each Run; ``tests/test_summary_tab.py`` checks in chromium that a Run
keeps the box's DOM.)"""

from __future__ import annotations

import pytest

from helpers import assert_clean, config, new_app
from ui.editors import CONTENDERS_BOX
from ui.urls import encode_config


def contenders_box(at):
    [box] = [e for e in at.expander if e.label.startswith("**Contenders (")]
    return box


@pytest.mark.slow  # two small races: 1.5-4.7 s on the shared machine
def test_an_opened_box_stays_open_until_run_collapses_it():
    cfg = config(n=2000, contenders=[
        {"name": "Online", "model": "river.hoeffding_tree", "policy": {"kind": "online"}}])
    at = new_app(config=encode_config(cfg))  # a link races at once: the box starts collapsed
    assert_clean(at)
    assert not contenders_box(at).proto.expanded
    at.session_state[CONTENDERS_BOX] = True  # the user opens it (the browser sends True)
    at.run()
    assert contenders_box(at).proto.expanded
    at.button(key="add_contender").click().run()  # a new label: "Contenders (2): ..."
    assert contenders_box(at).label.startswith("**Contenders (2)")
    assert contenders_box(at).proto.expanded
    at.button(key="run").click().run()
    assert_clean(at)
    assert not contenders_box(at).proto.expanded and not at.session_state[CONTENDERS_BOX]
    assert len([e for e in at.expander if e.label.startswith("**Contenders (")]) == 1
