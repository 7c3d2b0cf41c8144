"""Every ``costs.*`` config path has a plain label (``lab.spec.labels``), taken from the prices'
own field labels, so a chart, a What-if table or the "setup changed" notice never shows
``costs.error_matrix[0][1]`` or falls back to the key's words."""

from __future__ import annotations

import pytest

from lab.spec import labels as L
from lab.spec.costs import COST_FIELDS, costs_schema
from lab.spec.labels import describe_changes, path_label


def test_every_costs_path_of_the_schema_has_its_own_label():
    keys = set(costs_schema()["properties"])
    assert keys == set(COST_FIELDS) | {"error_matrix"}
    assert keys <= set(L.COST_LABELS)
    for key in keys:
        label = path_label(f"costs.{key}")
        # a key without a label would read "Costs: error matrix" (the path's words)
        assert not label.startswith("Costs:") and label.endswith("(price units)"), label
        assert "_" not in label and "costs" not in label.lower()
    assert path_label("costs") == "Prices of the cost ledger"


@pytest.mark.parametrize("path, label", [
    ("costs.train_sample", "Price per training sample (price units)"),
    ("costs.cpu_second", "Price per training CPU second (price units)"),
    ("costs.retrain", "Price per retrain (price units)"),
    ("costs.label", "Price per label (price units)"),
    ("costs.error", "Price per wrong prediction (price units)"),
    ("costs.error_matrix", "Price of each (true, predicted) class pair (price units)"),
    ("costs.error_matrix[2]", "Prices when the truth is class 2 (price units)"),
    ("costs.error_matrix[0][1]",
     "Price of predicting class 1 when the truth is class 0 (price units)"),
])
def test_each_cost_path_reads_as_written_by_hand(path, label):
    assert path_label(path) == label


def test_a_price_label_is_the_fields_own_label():
    for key, f in COST_FIELDS.items():
        assert L.COST_LABELS[key][0] == f.label


def test_unknown_cost_paths_stay_readable_and_the_change_text_uses_the_labels():
    for path in ("costs.nope", "costs.error_matrix[0][1][2]", "costs.error_matrix.x",
                 "costs.retrain.x"):
        label = path_label(path)
        assert label and "[" not in label and "]" not in label
    old = {"costs": {"retrain": 150.0, "error": 1.0}}
    new = {"costs": {"retrain": 150.0, "error": 10.0}}
    assert describe_changes(old, new) == "Price per wrong prediction (price units) 1 → 10"
