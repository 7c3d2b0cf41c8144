"""The "setup changed" notice names defaults by their value (issue 13, walk-through): it read
"Labels bought (share) (none) → 0.5, Labels chosen by (none) → uniform … (+1 more)", where
"(none)" stood for every label bought and "uniform" was no change at all; and it hid a change
behind "+1 more" with only four."""

from __future__ import annotations

import json

from helpers import config
from lab.spec.labels import describe_changes
from ui.state import config_diff

BASE = config()


def with_changes(**evaluation) -> dict:
    cfg = json.loads(json.dumps(BASE))
    cfg["evaluation"].update(evaluation)
    return cfg


def test_a_left_out_key_reads_as_its_default_and_a_default_is_no_change():
    bought = with_changes(labels={"share": 0.5, "strategy": "uniform", "delay": "fixed"})
    assert "labels" not in BASE["evaluation"]
    assert config_diff(BASE, bought) == "Labels bought (share) all (1.0) → 0.5"
    assert config_diff(bought, BASE) == "Labels bought (share) 0.5 → all (1.0)"
    unsure = with_changes(labels={"share": 1.0, "strategy": "uncertainty", "delay": "fixed"})
    assert config_diff(BASE, unsure) == "Labels chosen by uniform (default) → uncertainty"
    priced = {**BASE, "costs": {"retrain": 50.0, "error": 1.0}}
    assert config_diff(BASE, priced) == "Price per retrain (price units) 0 (default) → 50"


def test_the_notice_shows_up_to_five_changes_before_counting_the_rest():
    changed = with_changes(labels={"share": 0.5, "strategy": "uniform", "delay": "uniform",
                                   "delay_low": 10, "delay_high": 90},
                           warmup=BASE["evaluation"]["warmup"] + 100)
    text = config_diff(BASE, changed)
    assert "more)" not in text, text
    assert text.count("→") == 5, text  # share, delay kind, shortest, longest, warm-up
    assert "Labels bought (share) all (1.0) → 0.5" in text
    assert "Label delay kind fixed (default) → uniform" in text
    changed["seed"] = BASE.get("seed", 42) + 1
    assert config_diff(BASE, changed).endswith(" (+1 more)")
    assert describe_changes(BASE, changed, limit=2).endswith(" (+4 more)")  # the overlay picker
