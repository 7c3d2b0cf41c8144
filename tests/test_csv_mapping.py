"""The upload's column mapping guesses well (issue 13, point 5), through AppTest.

* the target is a column named like a label, wherever it stands, and never also a feature;
* without such a name, the last column with few distinct values;
* changing the target puts the old target back among the features and takes the new one out;
  features are otherwise only dropped by the user;
* missing values default to median imputation, and the number of imputed cells is shown.

Uploads go through the test-only hook of ``ui.upload`` (AppTest cannot drive a file uploader),
which calls the same ``handle_upload`` as the widget; with no ``params`` the defaults apply.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from helpers import new_app
from lab.data.csv.mapping import guess_target

pytestmark = pytest.mark.slow  # each test runs the whole app


def upload(at, name: str, frame: pd.DataFrame):
    at.session_state["_test_upload"] = {"name": name, "data": frame.to_csv(index=False).encode()}
    return at.run()


def small_evaluation(at) -> None:
    for key, value in (("warmup", 20), ("window", 20), ("step", 10)):
        at.number_input(key=key).set_value(value).run()


def problems(at) -> str:
    assert not at.exception, [e.value for e in at.exception]
    return "\n".join(e.value for e in at.error)


def sensor_frame(n: int = 200, seed: int = 0) -> pd.DataFrame:
    """Numbers, a label column in the middle, and a few-valued last column (a feature)."""
    rng = np.random.default_rng(seed)
    return pd.DataFrame({"temp": rng.normal(20, 3, n).round(2),
                         "label": rng.choice(["ok", "fault"], n),
                         "load": rng.integers(0, 100, n),
                         "shift": rng.choice(["day", "night"], n)})


def test_a_label_column_in_the_middle_is_the_target_and_not_a_feature():
    at = new_app()
    upload(at, "sensors.csv", sensor_frame())
    assert at.session_state["csv_target"] == "label"
    assert at.session_state["csv_features"] == ["temp", "load", "shift"]  # the last one too
    assert at.selectbox(key="csv_target").value == "label"
    assert "label" not in at.multiselect(key="csv_features").options  # never offered twice


def test_without_a_label_name_the_last_column_with_few_values_is_the_target():
    rng = np.random.default_rng(1)
    n = 400  # 5 % of 400 rows: at most 20 distinct values
    frame = pd.DataFrame({"a": rng.normal(size=n).round(4),
                          "grade": rng.choice(["A", "B", "C"], n),
                          "b": rng.normal(size=n).round(4),
                          "reading": rng.normal(size=n).round(4)})  # last, but 400 values
    at = new_app()
    upload(at, "plain.csv", frame)
    assert at.session_state["csv_target"] == "grade"
    assert at.session_state["csv_features"] == ["a", "b", "reading"]
    # the pure rule, on the inspected columns: the last few-valued column wins over earlier ones
    info = {"sample_rows": n, "columns": [
        {"name": "k1", "kind": "numeric", "distinct": 2},
        {"name": "x", "kind": "numeric", "distinct": 390},
        {"name": "k2", "kind": "category", "distinct": 4},
        {"name": "y2", "kind": "numeric", "distinct": 21}]}  # 21 > 20: not few
    assert guess_target(info) == "k2"
    # a 5 % share decides in a small file: 11 distinct values in 200 rows are not few
    assert guess_target({"sample_rows": 200, "columns": [
        {"name": "k", "kind": "numeric", "distinct": 11}, {"name": "z", "kind": "numeric",
                                                           "distinct": 180}]}) == "z"


def test_changing_the_target_returns_the_old_one_to_the_features():
    at = new_app()
    upload(at, "sensors.csv", sensor_frame())
    at.multiselect(key="csv_features").set_value(["temp", "load", "shift"]).run()
    at.selectbox(key="csv_target").set_value("shift").run()
    assert at.session_state["csv_features"] == ["temp", "label", "load"]  # file order
    at.selectbox(key="csv_target").set_value("label").run()
    assert at.session_state["csv_features"] == ["temp", "load", "shift"]
    # a feature the user dropped stays dropped when the target changes
    at.multiselect(key="csv_features").set_value(["temp", "shift"]).run()
    at.selectbox(key="csv_target").set_value("shift").run()
    assert at.session_state["csv_features"] == ["temp", "label"]
    assert "shift" not in at.session_state["csv_features"]


def test_missing_values_are_imputed_by_default_and_counted():
    frame = sensor_frame(n=120, seed=3)
    frame["temp"] = frame["temp"].astype(object)
    holes = [5, 17, 60, 99]
    frame.loc[holes, "temp"] = None
    frame.loc[[8, 42], "load"] = None
    at = new_app()
    upload(at, "holes.csv", frame)
    small_evaluation(at)
    assert at.session_state["csv_missing"] == "impute_median"
    assert problems(at) == "" and not at.button(key="run").disabled
    captions = "\n".join(c.value for c in at.caption)
    assert "120 rows · missing values: fill with the median" in captions, captions
    assert f"{len(holes)} filled in temp" in captions and "2 filled in load" in captions
    at.button(key="run").click().run()
    assert problems(at) == ""
    stream = at.session_state["history"][-1]["outputs"]["config"]["stream"]
    assert stream["params"]["missing"] == "impute_median" and stream["n_samples"] == 120
    # the imputed cells hold the median of the column's other cells
    served = at.session_state["history"][-1]["outputs"]["stream"]
    median = float(pd.to_numeric(frame["temp"]).median())
    assert np.allclose(served["temp"].to_numpy()[holes], median)
