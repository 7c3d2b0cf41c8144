"""The column mapping the app proposes for an uploaded CSV file: which column is the target
and which are the features, from what :func:`lab.data.csv.preview.inspect_csv` saw in the
first rows. Guesses only: the user changes them in the upload form (``ui.upload``), and the
config then states every choice.

Why here and not in the app: the rules are plain data about a file's columns, testable without
streamlit, and documented in ``docs/config.md`` ("The app's upload form").
"""

from __future__ import annotations

import re

from lab.data.csv.limits import MAX_ONEHOT

# Column names that say "these are the labels", most telling first (compared without case and
# surrounding spaces), and words that say it inside a longer name ("churn_label", "TargetClass").
TARGET_GUESSES = ("target", "label", "labels", "class", "classes", "y", "outcome", "category",
                  "response", "ground_truth")
TARGET_WORDS = ("target", "label", "class", "outcome")
# A column with at most this many distinct values, and at most this share of the sampled rows,
# looks like class labels when no name says so (the last such column is taken).
FEW_CLASSES, FEW_CLASSES_SHARE = MAX_ONEHOT, 0.05


def _words(name: str) -> list[str]:
    """The lower-case words of a column name: ``"churnLabel"``, ``"churn_label"`` and
    ``"Churn Label"`` all give ``["churn", "label"]``."""
    spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1 \2", str(name))
    return [w for w in re.split(r"[^A-Za-z0-9]+", spaced.lower()) if w]


def guess_target(info: dict) -> str | None:
    """The column most likely to hold the class labels of an inspected file
    (:func:`lab.data.csv.preview.inspect_csv`'s ``info``).

    In order: a column named like a label (:data:`TARGET_GUESSES`, any case), a column whose
    name has a label word in it (:data:`TARGET_WORDS`; the last one), the last column with few
    distinct values (at most :data:`FEW_CLASSES` and at most :data:`FEW_CLASSES_SHARE` of the
    sampled rows, at least 2), else the last column.

    >>> def col(name, distinct, kind="numeric"):
    ...     return {"name": name, "kind": kind, "distinct": distinct}
    >>> rows = {"sample_rows": 1000}
    >>> guess_target({**rows, "columns": [col("x", 900), col("Class", 2), col("z", 950)]})
    'Class'
    >>> guess_target({**rows, "columns": [col("x", 900), col("is_churn_label", 2),
    ...                                    col("z", 950)]})
    'is_churn_label'
    >>> guess_target({**rows, "columns": [col("x", 900), col("kind", 3, "category"),
    ...                                    col("z", 950)]})
    'kind'
    >>> guess_target({**rows, "columns": [col("x", 900), col("z", 950)]})
    'z'
    """
    columns = info["columns"]
    if not columns:
        return None
    by_name = {str(c["name"]).strip().lower(): c["name"] for c in columns}
    for guess in TARGET_GUESSES:
        if guess in by_name:
            return by_name[guess]
    worded = [c["name"] for c in columns if set(_words(c["name"])) & set(TARGET_WORDS)]
    if worded:
        return worded[-1]
    rows = max(int(info.get("sample_rows") or 0), 1)
    most = min(FEW_CLASSES, max(2.0, FEW_CLASSES_SHARE * rows))
    few = [c["name"] for c in columns if c.get("kind") in ("numeric", "category")
           and 2 <= int(c.get("distinct") or 0) <= most]
    return few[-1] if few else columns[-1]["name"]


def usable_features(info: dict, target: str | None, time: str | None) -> list[str]:
    """Every column a model can take (numbers, and text with few values, one-hot encoded), in
    file order, but the target and the time column: the default features."""
    return [c["name"] for c in info["columns"]
            if c["kind"] in ("numeric", "category") and c["name"] not in (target, time)]
