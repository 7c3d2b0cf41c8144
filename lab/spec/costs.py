"""Prices for the cost ledger: the optional top-level ``costs`` object of a config.

The lab counts what a contender does (samples trained, CPU seconds, retrains, labels it receives,
wrong predictions); these prices turn the counts into one bill, so that "how often must we
retrain?" can be answered in money rather than in accuracy alone. Every price is in one currency
unit of the user's choice (the ledger is in the same unit) and defaults to 0, except ``error``,
which defaults to 1: without prices the ledger is the number of wrong predictions.

``error_matrix`` prices each (true class, predicted class) pair on its own, since a missed fraud
and a false alarm do not cost the same: a list of K rows of K entries, row = true class, column =
predicted class, in the stream's class-code order (``0 .. K - 1``: a generator's labels, or the
sorted original labels of real data, as in ``stream.csv``'s ``y``). An entry ``null`` takes the
default: 0 on the diagonal, ``error`` off it. The checks that need the stream's class count live
in :mod:`lab.validate`; this module is standard library only.

>>> costs = parse_costs({"retrain": 5, "error_matrix": [[None, 2], [10, None]]}, n_classes=2)
>>> costs.retrain, costs.error_matrix
(5.0, ((0.0, 2.0), (10.0, 0.0)))
>>> costs.to_dict()["error"]
1.0
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from lab.spec.checks import Field, check_field, check_object, describe
from lab.spec.errors import ConfigError

# A price above this is a typo (a trillion per unit); keeping prices bounded also keeps every
# total of a 10-million-sample stream a finite float.
MAX_PRICE = 1e12
_FIX = "give a price of at least 0 (in your currency unit), e.g. 0.5"

#: The prices, in the order the config, the schema and the app list them.
COST_FIELDS: dict[str, Field] = {
    "train_sample": Field("number", 0.0, "price of one sample passed to training (warm-up "
                          "included): a view of training cost that does not depend on the "
                          "machine, e.g. a cloud bill divided by the samples it trained on",
                          minimum=0, maximum=MAX_PRICE, fix=_FIX,
                          label="Price per training sample"),
    "cpu_second": Field("number", 0.0, "price of one process CPU second spent training "
                        "(measured, so a bill with this price varies a little between runs), "
                        "e.g. a cloud CPU's hourly price / 3600",
                        minimum=0, maximum=MAX_PRICE, fix=_FIX,
                        label="Price per training CPU second"),
    "retrain": Field("number", 0.0, "fixed price of one retrain (a from-scratch fit after the "
                     "warm-up): deploying, validating and switching the model",
                     minimum=0, maximum=MAX_PRICE, fix=_FIX, label="Price per retrain"),
    "label": Field("number", 0.0, "price of one label bought: every label the contender "
                   "receives, the warm-up's included: all that arrive before the stream's end, or "
                   "the share evaluation.labels buys, charged as each arrives",
                   minimum=0, maximum=MAX_PRICE, fix=_FIX, label="Price per label"),
    "error": Field("number", 1.0, "price of one wrong prediction of a scored sample (and of a "
                   "sample the model gave no prediction for); the default 1 makes the ledger "
                   "the error count", minimum=0, maximum=MAX_PRICE, fix=_FIX,
                   label="Price per wrong prediction"),
}
ERROR_MATRIX_DOC = ("price of predicting class j when the truth is class i: K rows of K "
                    "entries (K = the stream's classes, in class-code order), row = true class, "
                    "column = predicted class; an entry null takes the default, 0 on the "
                    "diagonal and `error` off it. null (the default): every wrong prediction "
                    "costs `error`. A sample the model gave no prediction for costs `error`")

#: The ledger's parts, in the order of ``timeline.csv``'s cost columns and summary's ``cost``.
LEDGER_PARTS = ("compute", "retrains", "labels", "errors")
#: The cumulative cost columns of ``timeline.csv`` (appended after the older columns).
LEDGER_COLUMNS = tuple(f"cost_{part}" for part in LEDGER_PARTS) + ("cost_total",)


@dataclass(frozen=True)
class Costs:
    """The prices of a config's ``costs`` (every default filled in)."""

    train_sample: float = 0.0
    cpu_second: float = 0.0
    retrain: float = 0.0
    label: float = 0.0
    error: float = 1.0
    error_matrix: tuple[tuple[float, ...], ...] | None = None

    def to_dict(self) -> dict:
        return {**{key: getattr(self, key) for key in COST_FIELDS},
                "error_matrix": None if self.error_matrix is None
                else [list(row) for row in self.error_matrix]}


def _check_matrix(raw: Any, n_classes: int, error: float) -> tuple | None:
    path = "costs.error_matrix"
    if raw is None:
        return None
    fix = (f"give a {n_classes} x {n_classes} list of lists, row = true class, column = "
           "predicted class, e.g. [[0, 1], [5, 0]] for 2 classes, or null")
    if not isinstance(raw, list) or not raw or not all(isinstance(row, list) for row in raw):
        raise ConfigError(path, f"must be a list of rows (lists of prices), got "
                                f"{describe(raw)}", fix)
    k = len(raw)
    if k != n_classes:
        rows_text = f"{k:,} row{'s' * (k != 1)}"
        raise ConfigError(path, f"has {rows_text} but the stream has {n_classes} classes", fix)
    field = Field("number", 0.0, "", minimum=0, maximum=MAX_PRICE,
                  fix=f"give a price of at least 0, or null for the default (0 on the "
                      f"diagonal, error = {error:g} off it)")
    rows = []
    for i, row in enumerate(raw):
        if len(row) != k:
            entries = f"{len(row):,} entr{'ies' if len(row) != 1 else 'y'}"
            raise ConfigError(f"{path}[{i}]", f"has {entries} but the matrix has {k} rows: it "
                                              "must be square", fix)
        rows.append(tuple((0.0 if i == j else float(error)) if value is None
                          else float(check_field(field, value, f"{path}[{i}][{j}]"))
                          for j, value in enumerate(row)))
    return tuple(rows)


def parse_costs(data: Any, n_classes: int) -> Costs:
    """The ``costs`` object checked: every key known, every price a finite number in
    ``0 .. MAX_PRICE``, ``error_matrix`` square with ``n_classes`` (the stream's) rows."""
    check_object(data, "costs", (*COST_FIELDS, "error_matrix"),
                 fix="write e.g. {\"retrain\": 50, \"error\": 1}")
    prices = {key: float(check_field(f, data.get(key, f.default), f"costs.{key}"))
              for key, f in COST_FIELDS.items()}
    matrix = _check_matrix(data.get("error_matrix"), n_classes, prices["error"])
    return Costs(**prices, error_matrix=matrix)


def costs_schema() -> dict:
    """The JSON Schema of ``costs``, from the same table as the checks."""
    price = {"type": "number", "minimum": 0, "maximum": MAX_PRICE}
    props: dict[str, Any] = {key: {**price, "description": f.doc, "default": f.default}
                             for key, f in COST_FIELDS.items()}
    props["error_matrix"] = {"type": ["array", "null"], "default": None,
                             "description": ERROR_MATRIX_DOC,
                             "items": {"type": "array",
                                       "items": {"type": ["number", "null"], "minimum": 0,
                                                 "maximum": MAX_PRICE}}}
    return {"type": "object", "additionalProperties": False, "properties": props,
            "description": "prices for the cost ledger, in one currency unit of your choice; "
                           "without it every price is 0 but error = 1 (the ledger is the "
                           "error count), and the normalised config does not write it"}


def _amount(value: Any) -> float | None:
    """``value`` as a float, None for no amount (not a number, or NaN)."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


def format_amount(value: Any) -> str:
    """An amount of the ledger as tables and answers print it: whole amounts and amounts from
    1,000 with thousands separators and no decimals, smaller ones with two decimals, below 1
    three significant digits; "–" for none (``None`` or NaN). One format for the CLI's table,
    the sweep's answer and the app, so the same total never reads two ways.

    >>> format_amount(1234.4), format_amount(182.5), format_amount(0.0125), format_amount(None)
    ('1,234', '182.50', '0.0125', '–')
    """
    value = _amount(value)
    if value is None:
        return "–"
    if value.is_integer() or abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:,.2f}" if abs(value) >= 1 else f"{value:.3g}"


def amount_decimals(values: Any) -> int:
    """The decimals one column of amounts is written with, so that the column reads one way
    ("4,918", "4,579", "241" — not "4,917.57", "4,579.088", "241"): none when every amount is
    whole or the largest is 1,000 or more (as :func:`format_amount` writes such an amount), two
    when the largest is from 1, else enough for three significant digits of the largest.

    >>> amount_decimals([4917.57, 4579.088, 241, 27.518]), amount_decimals([182.5, 0.5])
    (0, 2)
    >>> amount_decimals([0.0125, 0.003, None]), amount_decimals([3.0, 7.0, float("nan")])
    (4, 0)
    """
    amounts = [abs(a) for a in map(_amount, values) if a is not None and math.isfinite(a)]
    if not amounts or all(a.is_integer() for a in amounts):
        return 0
    largest = max(amounts)
    if largest >= 1000:
        return 0
    if largest >= 1:
        return 2
    return 2 - math.floor(math.log10(largest))


def format_amount_column(value: Any, decimals: int) -> str:
    """An amount with a column's :func:`amount_decimals`, thousands separated; "–" for none,
    never "-0".

    >>> [format_amount_column(v, d) for v, d in ((4917.57, 0), (-0.001, 2), (None, 2))]
    ['4,918', '0.00', '–']
    """
    number = _amount(value)
    if number is None:
        return "–"
    text = f"{number:,.{decimals}f}"
    return text[1:] if text.startswith("-") and not text.strip("-0.,") else text
