"""From CSV cells to a float64 block: column kinds (numeric, one-hot text, time), the quoting
voice of messages (a value is quoted only from the user's own files), and the accumulator that
fills the block chunk by chunk and applies the ``missing`` rule.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from lab.data.csv import limits
from lab.data.csv.limits import MAX_CLASSES, MAX_ONEHOT, MISSING_FIX
from lab.data.realdata import RealData, sort_labels
from lab.spec.errors import ConfigError


def show_value(value, limit: int = 30) -> str:
    text = repr(value) if isinstance(value, str) else str(value)
    text = text.encode("unicode_escape").decode("ascii") if not text.isprintable() else text
    return text if len(text) <= limit else text[:limit - 3] + "..."
QUOTABLE_SUFFIXES = (".csv", ".tsv", ".txt")
NOT_QUOTED = ("nothing of the file is quoted: it is not a .csv, .tsv or .txt file inside the "
              "current folder or the app's uploads")


def may_quote(path: Path) -> bool:
    """Whether error messages may quote this file's contents (column names, cell values).

    A config names its CSV file by path, and a config may come from someone else (a shared
    file, a service that validates configs); quoting the first line of whatever file was named
    would show, say, root's entry of ``/etc/shadow``. So a message quotes a file's contents only
    when the file, symbolic links resolved, is a ``.csv``, ``.tsv`` or ``.txt`` file inside the
    current working folder or the app's upload folder (:data:`limits.UPLOAD_DIR`): the user's own
    data.
    For any other file, messages locate the problem by position (column 3, data row 7) and name
    only columns the config itself gave.
    """
    try:
        real = Path(path).resolve()
        roots = [Path.cwd().resolve(), limits.UPLOAD_DIR.resolve()]
    except (OSError, RuntimeError, ValueError):
        return False
    return (real.suffix.lower() in QUOTABLE_SUFFIXES
            and any(real.is_relative_to(root) for root in roots))


@dataclass(frozen=True)
class Voice:
    """How messages about one file refer to its contents: quoted, or by position only."""

    quote: bool = True
    given: frozenset = frozenset()  # column names the config gave: naming them quotes nothing
    positions: Any = None  # column name -> its 0-based place in the header

    def column(self, name: str) -> str:
        if self.quote or name in self.given:
            return f"column {show_value(name, 40)}"
        place = (self.positions or {}).get(name)
        return f"column {place + 1}" if place is not None else "a column"

    def value(self, value, what: str = "value") -> str:
        """``'abc'`` (quoted) or ``the value``."""
        return show_value(value) if self.quote else f"the {what}"


_QUOTING = Voice()
_DECIMAL_COMMA = re.compile(r"^\s*[+-]?\d+,\d+\s*$")


def kind_of(column: pd.Series, name: str, row0: int, where: str = "",
             voice: Voice = _QUOTING) -> str:
    """``"numeric"`` or ``"category"`` for a feature column read without a forced dtype.

    A text column whose non-empty values are mostly numbers is a numeric column with stray
    text, and the first stray value is reported; decimal commas get their own message.
    """
    if pd.api.types.is_bool_dtype(column) or pd.api.types.is_numeric_dtype(column):
        return "numeric"
    values = column.dropna()
    if values.empty:
        return "numeric"
    if all(isinstance(v, (bool, np.bool_, int, float, np.integer, np.floating))
           for v in values.head(1000)) and _as_numeric(column).notna().sum() == len(values):
        return "numeric"
    text = values.astype(str)
    parsed = pd.to_numeric(text, errors="coerce")
    bad = parsed.isna()
    if bad.any() and text[bad].map(lambda v: bool(_DECIMAL_COMMA.match(v))).mean() > 0.5:
        first = text[bad].index[0]
        raise ConfigError("stream.source", f"{where}{voice.column(name)}, data row "
                                           f"{row0 + first + 1}: {voice.value(text[first])} uses a "
                                           "decimal comma", "convert decimal commas to points "
                                                            "(1,5 -> 1.5) before loading")
    if (~bad).mean() >= 0.5:
        first = text[bad].index[0]
        raise ConfigError("stream.source", f"{where}{voice.column(name)}, data row "
                                           f"{row0 + first + 1}: {voice.value(text[first])} "
                                           "is not a "
                                           "number, and most of the column is numbers",
                          "fix or empty that cell (and choose stream.params.missing), or leave "
                          "the column out of stream.params.features")
    return "category"


def _as_numeric(column: pd.Series) -> pd.Series:
    if pd.api.types.is_bool_dtype(column):
        return column.astype(np.float64)
    if pd.api.types.is_numeric_dtype(column):
        return column.astype(np.float64)
    values = column.map(lambda v: float(v) if isinstance(v, (bool, np.bool_)) else v)
    return pd.to_numeric(values, errors="coerce").astype(np.float64)


@dataclass(frozen=True)
class FramePlan:
    """What to read: the feature columns in order, their kinds, the time column."""

    features: tuple[str, ...]
    kinds: dict
    target: str = "target"
    time: str | None = None
    time_kind: str = "numeric"  # "numeric" | "datetime"
    time_format: str | None = None
    missing: str = "reject"
    voice: Voice = _QUOTING  # what messages may quote from the file


class Accumulator:
    """Turns chunks of rows into the stream's arrays, checking every value on the way.

    ``add`` takes the chunks in file order; ``finish(n)`` orders by time, keeps the first ``n``
    rows, sorts the labels, imputes and one-hot encodes. Errors name the data row.
    """

    def __init__(self, plan: FramePlan, limit: int | None = None, where: str = ""):
        self.plan = plan
        self.where = where  # "data.csv: " prefix of messages
        self.voice = plan.voice
        self.limit = limit if plan.time is None else None  # without ordering, stop at n rows
        self.num = [f for f in plan.features if plan.kinds[f] == "numeric"]
        self.cat = [f for f in plan.features if plan.kinds[f] == "category"]
        self.num_parts: list[np.ndarray] = []
        self.cat_parts: dict[str, list[np.ndarray]] = {c: [] for c in self.cat}
        self.cat_index: dict[str, dict] = {c: {} for c in self.cat}
        self.label_parts: list[np.ndarray] = []
        self.label_index: dict = {}
        self.time_parts: list[np.ndarray] = []
        self.rows_read = 0  # data rows consumed from the file
        self.kept = 0
        self.dropped = 0
        self.done = False

    # -- helpers -----------------------------------------------------------------------------
    def _row(self, i: int) -> int:
        return self.rows_read + int(i) + 1

    def _error(self, column: str, i: int, problem: str, fix: str):
        raise ConfigError("stream.source", f"{self.where}{self.voice.column(column)}, data row "
                                           f"{self._row(i)}: {problem}", fix)

    def _time(self, value) -> str:
        return f"time {show_value(value)}" if self.voice.quote else "the time value"

    def _codes(self, values: pd.Series, index: dict) -> np.ndarray:
        codes, uniques = pd.factorize(values, use_na_sentinel=True)
        mapping = np.empty(len(uniques) + 1, dtype=np.int32)
        mapping[-1] = -1
        for k, value in enumerate(uniques.tolist()):
            mapping[k] = index.setdefault(value, len(index))
        return mapping[codes]

    def _times(self, column: pd.Series, name: str) -> np.ndarray:
        """Time values as float64 (numbers) or int64 nanoseconds (dates); NaN / -1 marks."""
        if self.plan.time_kind == "numeric":
            values = _as_numeric(column)
            bad = values.isna() & column.notna()
            if bad.any():
                i = int(np.flatnonzero(bad.to_numpy())[0])
                self._error(name, i, f"{self._time(column.iloc[i])} is not a number like the "
                                     "rest of the time column",
                            "make every time value a number, or every one an ISO 8601 date")
            return values.to_numpy(dtype=np.float64)
        parsed = parse_date_column(column, self.plan.time_format)
        bad = parsed.isna() & column.notna()
        if bad.any():
            i = int(np.flatnonzero(bad.to_numpy())[0])
            self._error(name, i, f"{self._time(column.iloc[i])} cannot be read as a date like "
                                 "the column's first values, so the rows cannot be ordered",
                        "give every time value in one format, e.g. ISO 8601 "
                        "(2024-01-31 12:00:00), or as numbers")
        return parsed.to_numpy(dtype=np.float64)

    # -- one chunk ---------------------------------------------------------------------------
    def add(self, chunk: pd.DataFrame, labels: pd.Series) -> None:
        if self.done:
            return
        if self.limit is not None and self.plan.missing != "drop_rows":
            need = self.limit - self.kept  # rows after the first n are neither used nor checked
            chunk, labels = chunk.iloc[:need], labels.iloc[:need]
        rows = len(chunk)
        chunk = chunk.reset_index(drop=True)
        labels = labels.reset_index(drop=True)
        # numbers
        block = np.empty((rows, len(self.num)), dtype=np.float64)
        # columns the reader already typed as numbers (or booleans) convert in one step: a
        # file of 6,000 columns must not cost 6,000 pandas operations per chunk
        at = chunk.columns.get_indexer(self.num)
        plain = [j for j, dtype in enumerate(chunk.dtypes.iloc[at]) if dtype.kind in "biuf"]
        if plain:
            block[:, plain] = chunk.iloc[:, at[plain]].to_numpy(dtype=np.float64)
        plain_set = set(plain)
        for j, name in enumerate(self.num):
            if j in plain_set:
                continue
            column = chunk[name]
            values = _as_numeric(column)
            bad = values.isna() & column.notna()
            if bad.any():
                i = int(np.flatnonzero(bad.to_numpy())[0])
                text = str(column.iloc[i])
                if _DECIMAL_COMMA.match(text):
                    self._error(name, i, f"{self.voice.value(text)} uses a decimal comma",
                                "convert decimal commas to points (1,5 -> 1.5) before loading")
                self._error(name, i, f"{self.voice.value(column.iloc[i])} is not a number, "
                                     "and the column's "
                                     "first rows are numbers",
                            "fix or empty that cell (and choose stream.params.missing), or "
                            "leave the column out of stream.params.features")
            block[:, j] = values.to_numpy(dtype=np.float64)
        infinite = np.isinf(block)
        if infinite.any():
            i, j = np.argwhere(infinite)[0]
            self._error(self.num[j], i, f"infinite value ({block[i, j]:g})",
                        "replace it by a finite number, or empty the cell and set "
                        "stream.params.missing")
        # text categories
        cats = {}
        for name in self.cat:
            cats[name] = self._codes(chunk[name], self.cat_index[name])
            if len(self.cat_index[name]) > MAX_ONEHOT:
                raise ConfigError(
                    "stream.source",
                    f"{self.where}{self.voice.column(name)} is text with "
                    f"{len(self.cat_index[name])} distinct values in data rows "
                    f"1-{self.rows_read + rows}, more than the "
                    f"{MAX_ONEHOT} that one-hot encoding allows",
                    "leave it out of stream.params.features, or convert it to numbers")
        # labels
        codes = self._codes(labels, self.label_index)
        if len(self.label_index) > MAX_CLASSES:
            raise ConfigError(
                "stream.params.target",
                f"{self.where}target column {show_value(self.plan.target, 40)} has "
                f"{len(self.label_index)} distinct values in data "
                f"rows 1-{self.rows_read + rows}: that looks like a regression target (a "
                f"quantity), and Driftlab races classifiers (at most {MAX_CLASSES} classes)",
                "choose a column of class labels, or bin the values into a few classes")
        times = None
        if self.plan.time is not None:
            times = self._times(chunk[self.plan.time], self.plan.time)
        # missing values: the target and the time column can never be imputed
        target_missing = codes < 0
        time_missing = np.isnan(times) if times is not None else None
        feature_missing = {name: np.isnan(block[:, j]) for j, name in enumerate(self.num)}
        feature_missing.update({name: cats[name] < 0 for name in self.cat})
        policy = self.plan.missing
        checks = [(self.plan.target, target_missing, "target")]
        if times is not None:
            checks.append((self.plan.time, time_missing, "time"))
        if policy == "reject":
            checks += [(f, feature_missing[f], "") for f in self.plan.features]
        if policy != "drop_rows":
            hits = [(int(np.flatnonzero(m)[0]), k) for k, (_, m, _) in enumerate(checks)
                    if m.any()]
            if hits:
                i, k = min(hits)
                name, _, role = checks[k]
                if policy == "reject":
                    self._error(name, i, "missing value", MISSING_FIX)
                self._error(name, i, f"missing {role} value (imputation fills features only)",
                            "fill it in, or set stream.params.missing to drop_rows")
        keep = None
        if policy == "drop_rows":
            gone = np.zeros(rows, dtype=bool)
            for _, m, _ in checks:
                gone |= m
            for m in feature_missing.values():
                gone |= m
            if gone.any():
                keep = ~gone
                self.dropped += int(gone.sum())
        # store
        if keep is not None:
            block, codes = block[keep], codes[keep]
            cats = {k: v[keep] for k, v in cats.items()}
            times = times[keep] if times is not None else None
        if self.limit is not None and self.kept + len(codes) >= self.limit:
            take = self.limit - self.kept
            block, codes = block[:take], codes[:take]
            cats = {k: v[:take] for k, v in cats.items()}
            self.done = True
        if self.limit is not None:  # the size is known: fill one block, no copies later
            if not self.num_parts:
                self.num_parts.append(np.empty((self.limit, len(self.num))))
            self.num_parts[0][self.kept:self.kept + len(codes)] = block
        else:
            self.num_parts.append(block)
        for name in self.cat:
            self.cat_parts[name].append(cats[name])
        self.label_parts.append(codes)
        if times is not None:
            self.time_parts.append(times)
        self.kept += len(codes)
        self.rows_read += rows

    def _one_class(self, labels: list) -> str:
        if not labels:
            return "(none) "
        return f"({show_value(labels[0])}) " if self.voice.quote else ""

    # -- the whole stream --------------------------------------------------------------------
    def consolidate(self) -> None:
        """Join the chunks into one block each (the read is kept and reused, so once)."""
        if self.limit is not None and self.num_parts:
            self.num_parts[0] = self.num_parts[0][:self.kept]  # fewer rows than n: a view
        elif len(self.num_parts) != 1:
            self.num_parts = [np.concatenate(self.num_parts) if self.num_parts
                              else np.empty((0, len(self.num)))]
        if len(self.label_parts) != 1:
            self.label_parts = [np.concatenate(self.label_parts) if self.label_parts
                                else np.empty(0, dtype=np.int32)]
        for name in self.cat:
            if len(self.cat_parts[name]) != 1:
                self.cat_parts[name] = [np.concatenate(self.cat_parts[name]) if
                                        self.cat_parts[name] else np.empty(0, dtype=np.int32)]
        if len(self.time_parts) > 1:
            self.time_parts = [np.concatenate(self.time_parts)]

    def finish(self, n: int | None, where: str = "the data") -> RealData:
        """The first ``n`` usable rows (after ordering by time) as arrays; the read stays as it
        is, so a second call (another ``n``) reuses it."""
        self.consolidate()
        label_codes = self.label_parts[0]
        total = label_codes.size
        n = total if n is None else n
        if total < n:
            dropped = (f" ({self.dropped:,} rows with missing values dropped)" if self.dropped
                       else "")
            raise ConfigError("stream.n_samples", f"is {n:,} but {where} has only {total:,} "
                                                  f"usable rows{dropped}",
                              f"use at most {total}, or leave n_samples out to use every row")
        pick: Any = slice(0, n)
        if self.time_parts:
            pick = np.argsort(self.time_parts[0], kind="stable")[:n]
        label_codes = label_codes[pick]
        num = self.num_parts[0][pick]  # a view without ordering, else a copy
        # labels: sorted original values
        originals = list(self.label_index)
        labels = sort_labels([originals[c] for c in np.unique(label_codes)])
        if len(labels) < 2:
            raise ConfigError("stream.params.target",
                              f"{where}: the target column has only one class "
                              f"{self._one_class(labels)}in the {n:,} rows "
                              "used", "choose a column with at least two classes, or use more "
                                      "rows (stream.n_samples)")
        remap = np.full(len(originals), -1, dtype=np.int64)
        for k, label in enumerate(labels):
            remap[self.label_index[label]] = k
        y = remap[label_codes]
        # features in the plan's order; a text column becomes its one-hot columns in place
        notes: dict = {}
        fills: dict[int, float] = {}
        for j, name in enumerate(self.num):
            holes = np.isnan(num[:, j])
            if holes.any():
                if holes.all():
                    raise ConfigError("stream.source", f"{where}: {self.voice.column(name)} has "
                                                       "no values in the rows used",
                                      "leave it out of stream.params.features")
                fills[j] = float(np.nanmean(num[:, j]) if self.plan.missing == "impute_mean"
                                 else np.nanmedian(num[:, j]))
                notes.setdefault("imputed", {})[name] = int(holes.sum())
        onehot = {}
        for name in self.cat:
            codes = self.cat_parts[name][0][pick]
            values = list(self.cat_index[name])
            present = sorted((values[c] for c in np.unique(codes[codes >= 0])), key=str)
            onehot[name] = (codes, present)
            if (codes < 0).any():
                notes.setdefault("imputed", {})[name] = int((codes < 0).sum())
        if not onehot and not fills and num.flags.c_contiguous:
            X, names = num, list(self.num)  # the common case: no copy
        else:
            names = []
            for name in self.plan.features:
                names += ([name] if name not in onehot else
                          [f"{name}={value}" for value in onehot[name][1]])
            X = np.empty((n, len(names)), dtype=np.float64)
            col = 0
            for name in self.plan.features:
                if name in onehot:
                    codes, present = onehot[name]
                    for value in present:
                        X[:, col] = codes == self.cat_index[name][value]
                        col += 1
                else:
                    j = self.num.index(name)
                    X[:, col] = num[:, j]
                    if j in fills:
                        X[np.isnan(X[:, col]), col] = fills[j]
                    col += 1
        if self.dropped:
            notes["dropped_rows"] = self.dropped
        return RealData(X, y, _unique_names(names), [str(v) for v in labels], labels, notes)


def _unique_names(names: list[str]) -> list[str]:
    """The feature names, a repeat renamed ``name (2)``: a one-hot column ``c=u`` can meet a
    file column named ``c=u``, and river learners take a sample as a dict, where a repeated name
    would silently drop a feature (and race the online learners on less data than the batch
    ones).

    >>> _unique_names(["c=u", "c=v", "c=u"])
    ['c=u', 'c=v', 'c=u (2)']
    """
    if len(set(names)) == len(names):
        return names
    taken, seen, out = set(names), set(), []
    for name in names:
        if name in seen:
            k = 2
            while f"{name} ({k})" in taken:
                k += 1
            name = f"{name} ({k})"
            taken.add(name)
        seen.add(name)
        out.append(name)
    return out


def parse_date_column(column: pd.Series, fmt: str | None) -> pd.Series:
    """Dates as float64 seconds since 1970 (UTC), NaN where a value cannot be read."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            parsed = pd.to_datetime(column, errors="coerce", format=fmt, utc=True)
        except (ValueError, TypeError, OverflowError):
            return pd.Series(np.nan, index=column.index)
    return (parsed - pd.Timestamp("1970-01-01", tz="UTC")) / pd.Timedelta(seconds=1)


def column_time_kind(column: pd.Series, name: str, where: str,
               voice: Voice = _QUOTING) -> tuple[str, str | None]:
    """``("numeric", None)`` or ``("datetime", format)`` for the time column's first rows."""
    if pd.api.types.is_numeric_dtype(column) or pd.api.types.is_bool_dtype(column):
        return "numeric", None
    values = column.dropna().astype(str)
    if values.empty:
        return "numeric", None
    numbers = pd.to_numeric(values, errors="coerce")
    if numbers.notna().all():
        return "numeric", None
    for fmt in ("ISO8601", None):
        if parse_date_column(values, fmt).notna().all():
            return "datetime", fmt
    bad = (numbers.isna() if numbers.notna().mean() >= 0.5
           else parse_date_column(values, None).isna())
    first = values[bad].index[0]
    raise ConfigError("stream.params.time", f"{where}{voice.column(name)}, data row "
                                            f"{first + 1}: {voice.value(values[first])} "
                                            "is neither a "
                                            "number nor a "
                                            "date like the rest of the column, so the rows "
                                            "cannot be ordered by it",
                      "give every time value as a number or as a date in one format (ISO 8601: "
                      "2024-01-31 12:00:00), or leave stream.params.time out to keep the file's "
                      "order")
