"""Real data: the shipped data sets, river's bundled data sets and the user's own CSV files.

Sources (``stream.source``)
---------------------------
* ``dataset:elec`` and ``dataset:weather``: shipped in ``datasets/`` (see the READMEs there);
  never fetched at run time.
* ``dataset:phishing``, ``dataset:bananas``, ``dataset:image_segments``: river's bundled files
  (``river.datasets.Phishing`` etc. read files inside the river package; nothing is downloaded).
* ``csv:<path>``: a CSV file (a relative path starts from the current directory) with
  ``stream.params``: ``target`` (required), ``features`` (default: every other column except
  ``time``), ``time`` (a column to order the rows by, stable sort), ``missing`` (``reject``,
  ``impute_mean``, ``impute_median`` or ``drop_rows``), ``max_mb`` (size limit, default 200),
  ``delimiter`` (default: sniffed from the first lines) and ``encoding`` (default ``utf-8``).

What a real stream is
---------------------
* ``stream.n_samples`` may be left out: every row is used. When it is given it must not exceed
  the data's size, and the stream is the *first* n rows (after ordering by ``time``).
* Real data has no known drift points, and no generator a drift could switch to, so a drift
  entry with ``to`` is refused. ``{"at": N}`` (optionally ``width``) marks a *suspected* drift
  point instead: the per-segment accuracy, drop and recovery figures then work as for synthetic
  drifts, and the ``concept`` column of ``stream.csv`` is the index of the segment between marks.
* Labels are mapped to ``0 .. K-1`` in sorted order of the original labels (booleans
  ``False < True``; numbers numerically; texts that all read as numbers by their value, so "2"
  comes before "10"; other texts by code point). :attr:`lab.streams.Stream.class_names` keeps
  the original labels (``class_names[k]`` is class ``k``).
* Missing values are empty cells and pandas' usual markers (``NA``, ``N/A``, ``NaN``, ``null``,
  ``None``, ...), in any column, the target included.
* Features are float64. Numeric columns are taken as they are (``True``/``False`` as 1/0). A
  text column with at most :data:`MAX_ONEHOT` distinct values is one-hot encoded into columns
  ``name=value`` in sorted value order, in place of the column; a text column with more is
  refused. With ``impute_*`` a missing text value gets no category (all its columns 0) and a
  missing number the column's mean / median over the rows the stream serves (a look-ahead over
  the served rows, as any whole-file statistic is; use ``drop_rows`` to avoid it).

Reading big files
-----------------
At config time (:func:`lab.validate.parse_experiment`) only the first
:data:`SAMPLE_ROWS` rows are read and checked, so parsing a config stays fast; a file no longer
than that is checked completely there. The full read happens once, when the stream is made: only
the needed columns (``usecols``), in chunks of :data:`CHUNK_ROWS` rows, into one float64 block.
Errors found then are the same one-line :class:`~lab.spec.errors.ConfigError` (the CLI exits 2).
Rows are named "data row N": the N-th row after the header (line N + 1 of a file without blank
lines or multi-line cells).

>>> info = DATASETS["elec"]
>>> info.n_samples, info.n_features, info.class_names
(45312, 6, ('DOWN', 'UP'))
"""

from __future__ import annotations

import codecs
import collections
import csv
import difflib
import functools
import io
import math
import os
import re
import tempfile
import warnings
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable

import numpy as np
import pandas as pd

from lab.spec.checks import check_int, check_number, check_object, describe
from lab.spec.errors import ConfigError
from lab.spec.experiment import MAX_SAMPLES, StreamSpec, parse_drifts

DATA_DIR = Path(__file__).resolve().parents[1] / "datasets"

MAX_ONEHOT = 20  # most distinct values a text feature may have to be one-hot encoded
MAX_CLASSES = 50  # more distinct target values than this is most likely a regression target
DEFAULT_MAX_MB = 200.0
SAMPLE_ROWS = 5000  # rows read and checked at config time
CHUNK_ROWS = 100_000  # rows per chunk of the full read
SNIFF_BYTES = 64 * 1024  # bytes read at a time for the header, and sniffed after it
MAX_HEADER_BYTES = 16 * 2**20  # longest header line read (6,000 names of 2,800 characters)
MAX_COLUMNS = 100_000
SCAN_BLOCK = 1 << 21  # bytes per block of the field-count scan
MISSING = ("reject", "impute_mean", "impute_median", "drop_rows")
DELIMITERS = (",", ";", "\t", "|")
CSV_PARAMS = ("target", "features", "time", "missing", "max_mb", "delimiter", "encoding")
_MISSING_FIX = ("fill it in, or set stream.params.missing to impute_mean, impute_median or "
                "drop_rows")


# --------------------------------------------------------------------------------------------
# Data set registry
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class DatasetInfo:
    """A named real data set: where it comes from, its size and what it is known for."""

    name: str
    title: str
    n_samples: int
    n_features: int
    class_names: tuple[str, ...]  # readable name of class 0, 1, ... (sorted original labels)
    target: str
    description: str
    drift: str  # what drift the data set is known for
    reference: str
    origin: str  # where the rows are read from


def _shipped(file: str, target: str) -> Callable[[], tuple[pd.DataFrame, list]]:
    def load():
        frame = pd.read_csv(DATA_DIR / file)
        return frame.drop(columns=[target]), frame[target].tolist()

    return load


def _river(cls_name: str) -> Callable[[], tuple[pd.DataFrame, list]]:
    def load():
        from river import datasets

        rows, labels = [], []
        for x, y in getattr(datasets, cls_name)():
            rows.append(x)
            labels.append(y)
        return pd.DataFrame.from_records(rows), labels

    return load


_DATASETS = [
    (DatasetInfo(
        "elec", "Electricity (Elec2)", 45_312, 6, ("DOWN", "UP"), "class",
        "New South Wales electricity market, 7 May 1996 - 5 Dec 1998, one row per 30 minutes: "
        "will the price go UP or DOWN relative to its last-24-hours average?",
        "Prices follow demand, seasons and market rules; Victoria's columns are constant "
        "placeholders until row 17,424 (a virtual drift, covariate shift, at that point).",
        "Harries (1999), SPLICE-2 comparative evaluation: electricity pricing, UNSW; "
        "copy from scikit-multiflow 0.4.1.",
        "datasets/elec/elec.csv.gz"), _shipped("elec/elec.csv.gz", "class")),
    (DatasetInfo(
        "weather", "Weather (Offutt AFB, Nebraska)", 18_159, 8, ("no_rain", "rain"), "rain",
        "Daily NOAA weather at Offutt Air Force Base, Bellevue, Nebraska, 1949-1999: will it "
        "rain today, from 8 daily measurements?",
        "Seasonal (recurring) and slow long-term climate drift.",
        "Elwell & Polikar (2011), Incremental learning of concept drift in nonstationary "
        "environments, IEEE TNN 22(10); copy from scikit-multiflow 0.4.1.",
        "datasets/weather/weather.csv.gz"), _shipped("weather/weather.csv.gz", "rain")),
    (DatasetInfo(
        "phishing", "Phishing websites", 1_250, 9, ("legitimate", "phishing"), "is_phishing",
        "Features of web pages, phishing or not (river's bundled copy).",
        "None known; the classic check that a learner reproduces river's published scores.",
        "UCI Website Phishing; river.datasets.Phishing.", "river.datasets.Phishing"),
     _river("Phishing")),
    (DatasetInfo(
        "bananas", "Bananas", 5_300, 2, ("False", "True"), "class",
        "2-D points in banana-shaped clusters, two classes (river's bundled copy).",
        "None known (an artificial, shuffled data set).",
        "OpenML 1460; river.datasets.Bananas.", "river.datasets.Bananas"), _river("Bananas")),
    (DatasetInfo(
        "image_segments", "Image segments", 2_310, 18,
        ("brickface", "cement", "foliage", "grass", "path", "sky", "window"), "category",
        "Statlog image segmentation: 3x3 pixel regions of outdoor images, 7 classes (river's "
        "bundled copy).", "None known.",
        "UCI Statlog (Image Segmentation); river.datasets.ImageSegments.",
        "river.datasets.ImageSegments"), _river("ImageSegments")),
]
DATASETS: dict[str, DatasetInfo] = {info.name: info for info, _ in _DATASETS}
_LOADERS = {info.name: load for info, load in _DATASETS}
# Readable names of the original labels where the data use booleans or codes.
_LABEL_NAMES = {"elec": {0: "DOWN", 1: "UP"}, "weather": {0: "no_rain", 1: "rain"},
                "phishing": {False: "legitimate", True: "phishing"}}


@dataclass
class RealData:
    """A real data set as arrays: what :func:`lab.streams.make_stream` serves."""

    X: np.ndarray  # (n, d) float64
    y: np.ndarray  # (n,) int64 in 0..K-1
    feature_names: list[str]
    class_names: list[str]
    labels: list  # the original label of each class (class_names are their readable forms)
    notes: dict = field(default_factory=dict)  # e.g. rows dropped, columns imputed


@functools.lru_cache(maxsize=8)
def _dataset_arrays(name: str) -> RealData:
    frame, labels = _LOADERS[name]()
    plan = _FramePlan(tuple(str(c) for c in frame.columns),
                      {str(c): _kind_of(frame[c], str(c), 0) for c in frame.columns})
    frame.columns = list(plan.features)
    acc = _Accumulator(plan)
    acc.add(frame, pd.Series(labels, dtype=object))
    data = acc.finish(len(labels), where=f"dataset:{name}")
    names = _LABEL_NAMES.get(name, {})
    data.class_names = [names.get(label, str(label)) for label in data.labels]
    return data


def load_dataset(name: str, n: int | None = None) -> RealData:
    """The first ``n`` rows (all by default) of a named data set (see :data:`DATASETS`).

    >>> d = load_dataset("phishing")
    >>> d.X.shape, d.class_names, d.labels
    ((1250, 9), ['legitimate', 'phishing'], [False, True])
    """
    if name not in DATASETS:
        raise ConfigError("stream.source", f"unknown data set {describe(name)}",
                          f"use one of: {', '.join('dataset:' + k for k in DATASETS)}")
    data = _dataset_arrays(name)
    n = len(data.y) if n is None else n
    y = data.y[:n].copy()
    if np.unique(y).size < 2:
        raise ConfigError("stream.n_samples", f"the first {n} rows of dataset:{name} hold only "
                                              "one class", "use more samples")
    return replace(data, X=data.X[:n].copy(), y=y)


# --------------------------------------------------------------------------------------------
# Labels and feature kinds (shared by the data sets and CSV files)
# --------------------------------------------------------------------------------------------
def _as_number(value) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def sort_labels(labels) -> list:
    """The documented, deterministic class order: see the module docstring.

    >>> sort_labels(["10", "2", "1"]), sort_labels(["b", "a"]), sort_labels([True, False])
    (['1', '2', '10'], ['a', 'b'], [False, True])
    """
    labels = list(labels)
    if all(isinstance(v, (bool, np.bool_)) for v in labels):
        return sorted(labels)
    if all(isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool)
           for v in labels):
        return sorted(labels)
    if all(isinstance(v, str) and _as_number(v) is not None for v in labels):
        return sorted(labels, key=lambda v: (float(v), v))
    return sorted(labels, key=str)


def _show(value, limit: int = 30) -> str:
    text = repr(value) if isinstance(value, str) else str(value)
    text = text.encode("unicode_escape").decode("ascii") if not text.isprintable() else text
    return text if len(text) <= limit else text[:limit - 3] + "..."


# --------------------------------------------------------------------------------------------
# What a message may quote from a file
# --------------------------------------------------------------------------------------------
UPLOAD_DIR = Path(tempfile.gettempdir()) / "driftlab-uploads"  # = ui.upload's upload folder
QUOTABLE_SUFFIXES = (".csv", ".tsv", ".txt")
NOT_QUOTED = ("nothing of the file is quoted: it is not a .csv, .tsv or .txt file inside the "
              "current folder or the app's uploads")


def may_quote(path: Path) -> bool:
    """Whether error messages may quote this file's contents (column names, cell values).

    A config names its CSV file by path, and a config may come from someone else (a shared
    file, a service that validates configs); quoting the first line of whatever file was named
    would show, say, root's entry of ``/etc/shadow``. So a message quotes a file's contents only
    when the file, symbolic links resolved, is a ``.csv``, ``.tsv`` or ``.txt`` file inside the
    current working folder or the app's upload folder (:data:`UPLOAD_DIR`): the user's own data.
    For any other file, messages locate the problem by position (column 3, data row 7) and name
    only columns the config itself gave.
    """
    try:
        real = Path(path).resolve()
        roots = [Path.cwd().resolve(), UPLOAD_DIR.resolve()]
    except (OSError, RuntimeError, ValueError):
        return False
    return (real.suffix.lower() in QUOTABLE_SUFFIXES
            and any(real.is_relative_to(root) for root in roots))


@dataclass(frozen=True)
class _Voice:
    """How messages about one file refer to its contents: quoted, or by position only."""

    quote: bool = True
    given: frozenset = frozenset()  # column names the config gave: naming them quotes nothing
    positions: Any = None  # column name -> its 0-based place in the header

    def column(self, name: str) -> str:
        if self.quote or name in self.given:
            return f"column {_show(name, 40)}"
        place = (self.positions or {}).get(name)
        return f"column {place + 1}" if place is not None else "a column"

    def value(self, value, what: str = "value") -> str:
        """``'abc'`` (quoted) or ``the value``."""
        return _show(value) if self.quote else f"the {what}"


_QUOTING = _Voice()
_DECIMAL_COMMA = re.compile(r"^\s*[+-]?\d+,\d+\s*$")


def _kind_of(column: pd.Series, name: str, row0: int, where: str = "",
             voice: _Voice = _QUOTING) -> str:
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
                                           f"{row0 + first + 1}: {voice.value(text[first])} is not a "
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
class _FramePlan:
    """What to read: the feature columns in order, their kinds, the time column."""

    features: tuple[str, ...]
    kinds: dict
    target: str = "target"
    time: str | None = None
    time_kind: str = "numeric"  # "numeric" | "datetime"
    time_format: str | None = None
    missing: str = "reject"
    voice: _Voice = _QUOTING  # what messages may quote from the file


class _Accumulator:
    """Turns chunks of rows into the stream's arrays, checking every value on the way.

    ``add`` takes the chunks in file order; ``finish(n)`` orders by time, keeps the first ``n``
    rows, sorts the labels, imputes and one-hot encodes. Errors name the data row.
    """

    def __init__(self, plan: _FramePlan, limit: int | None = None, where: str = ""):
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
        return f"time {_show(value)}" if self.voice.quote else "the time value"

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
        parsed = _parse_dates(column, self.plan.time_format)
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
                self._error(name, i, f"{self.voice.value(column.iloc[i])} is not a number, and the column's "
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
                f"{self.where}target column {_show(self.plan.target, 40)} has "
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
                    self._error(name, i, "missing value", _MISSING_FIX)
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
        return f"({_show(labels[0])}) " if self.voice.quote else ""

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


def _parse_dates(column: pd.Series, fmt: str | None) -> pd.Series:
    """Dates as float64 seconds since 1970 (UTC), NaN where a value cannot be read."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            parsed = pd.to_datetime(column, errors="coerce", format=fmt, utc=True)
        except (ValueError, TypeError, OverflowError):
            return pd.Series(np.nan, index=column.index)
    return (parsed - pd.Timestamp("1970-01-01", tz="UTC")) / pd.Timedelta(seconds=1)


# --------------------------------------------------------------------------------------------
# CSV files: cheap checks at config time
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class CsvPlan:
    """A checked CSV source: the file, how to read it and the first rows' verdict."""

    path: Path
    key: tuple  # (resolved path, size, mtime_ns, params): identifies the file's state
    size: int
    encoding: str  # as configured
    read_encoding: str  # what the reader uses (utf-8-sig when the file starts with a BOM)
    delimiter: str
    header: tuple[str, ...]
    target: str
    features: tuple[str, ...]
    time: str | None
    missing: str
    max_mb: float
    frame_plan: _FramePlan
    sample_rows: int  # rows read at config time
    complete: bool  # the sample was the whole file
    n_rows: int | None  # usable rows, when known

    @property
    def params(self) -> dict:
        """The normalised ``stream.params``: every choice explicit."""
        return {"target": self.target, "features": list(self.features), "time": self.time,
                "missing": self.missing, "max_mb": self.max_mb, "delimiter": self.delimiter,
                "encoding": self.encoding}


def _size(size: int) -> str:
    return f"{size / 1e6:,.1f} MB" if size >= 100_000 else f"{size:,} bytes"


def _err(problem: str, fix: str, path: str = "stream.source") -> ConfigError:
    return ConfigError(path, problem, fix)


def _resolve_path(text: str) -> Path:
    if not text.strip():
        raise _err("'csv:' needs a file path", "write e.g. \"csv:data/my_stream.csv\"")
    if not text.isprintable():
        raise _err(f"the CSV path {_show(text, 60)} contains control characters",
                   "give a plain file path")
    path = Path(text).expanduser()
    try:
        exists, is_dir = path.exists(), path.is_dir()
    except (OSError, ValueError) as exc:
        raise _err(f"cannot use the CSV path {_show(text, 60)} ({exc})", "give a valid file path")
    if not exists:
        raise _err(f"CSV file {_show(text, 60)} does not exist (relative paths start from "
                   f"{_show(os.getcwd(), 60)})", "check the path")
    if is_dir:
        raise _err(f"{_show(text, 60)} is a folder, not a CSV file", "give the path of a file")
    if not path.is_file():  # a device or a pipe could block the reader forever
        raise _err(f"{_show(text, 60)} is not a regular file", "give the path of a CSV file")
    return path


def _check_params(raw: Any) -> dict:
    params = check_object(raw if raw is not None else {}, "stream.params", CSV_PARAMS,
                           required=("target",), fix="write e.g. {\"target\": \"label\"}")
    out: dict[str, Any] = {}
    target = params["target"]
    if not isinstance(target, str) or not target:
        raise _err(f"must be a column name, got {describe(target)}",
                   "give the name of the column with the class labels", "stream.params.target")
    out["target"] = target
    features = params.get("features")
    if features is not None:
        if (not isinstance(features, list) or not features
                or not all(isinstance(f, str) and f for f in features)):
            raise _err(f"must be a non-empty list of column names, got {describe(features)}",
                       "write e.g. [\"x1\", \"x2\"], or leave it out to use every other column",
                       "stream.params.features")
        twice = sorted(f for f, k in collections.Counter(features).items() if k > 1)
        if twice:
            raise _err(f"lists {_show(twice[0], 40)} twice", "list each column once",
                       "stream.params.features")
        if target in features:
            raise _err(f"contains the target column {_show(target, 40)}",
                       "a column cannot be both the target and a feature; remove it",
                       "stream.params.features")
    out["features"] = features
    time = params.get("time")
    if time is not None and (not isinstance(time, str) or not time):
        raise _err(f"must be a column name or null, got {describe(time)}",
                   "give the column to order the rows by, or leave it out",
                   "stream.params.time")
    if time is not None and time == target:
        raise _err(f"is the target column {_show(target, 40)}",
                   "order by another column, or leave it out", "stream.params.time")
    out["time"] = time
    missing = params.get("missing", "reject")
    if missing not in MISSING:
        raise _err(f"got {describe(missing)}", f"use one of: {', '.join(MISSING)}",
                   "stream.params.missing")
    out["missing"] = missing
    out["max_mb"] = check_number(params.get("max_mb", DEFAULT_MAX_MB), "stream.params.max_mb",
                                  0, 100_000, exclusive=True,
                                  fix=f"use a size in MB, e.g. {DEFAULT_MAX_MB:g}")
    delimiter = params.get("delimiter")
    if delimiter is not None:
        if delimiter in ("\\t", "tab"):
            delimiter = "\t"
        if not isinstance(delimiter, str) or len(delimiter) != 1 or delimiter in "\"\r\n":
            raise _err(f"must be one character, got {describe(delimiter)}",
                       "use e.g. \",\", \";\", \"\\t\" or \"|\", or leave it out to sniff it",
                       "stream.params.delimiter")
    out["delimiter"] = delimiter
    out["encoding"] = _check_encoding(params.get("encoding", "utf-8"))
    return out


# Codecs that Python calls text encodings but that do not encode files: domain names
# (idna, punycode), Python literals (the escapes) and the codec that refuses everything.
_NOT_FILE_CODECS = ("idna", "punycode", "undefined", "unicode-escape", "raw-unicode-escape")
# Characters whose bytes the field scan and the sniffing look for: they must be the ASCII bytes.
_ASCII_PROBE = ",;\t|\"\r\nabcXYZ0189 ._-"
_ENCODING_FIX = ("use a text encoding such as utf-8, latin-1, cp1252, utf-16, shift_jis or "
                 "gb18030")


def _check_encoding(encoding: Any) -> str:
    """The encoding, if it reads text files the CSV reader can scan; else one-line error.

    ``codecs.lookup`` also finds bytes-to-bytes codecs (``rot13``, ``hex``, ``zlib``, ``base64``,
    ``uu``, ``bz2``, ``quopri``) and codecs for other things than files (``idna``, ``punycode``);
    the reader would crash on them. Besides being a text encoding, the codec must write the
    delimiters, quotes and line breaks as their ASCII bytes (as UTF-8, the ISO-8859 and Windows
    code pages, Shift-JIS, GB18030, ... do), or be UTF-16/32: the field scan of
    :func:`check_fields` counts those bytes. That leaves out EBCDIC code pages and the
    escape-sequence encodings (``iso2022_*``, ``hz``), whose multi-byte characters contain them.
    """
    try:
        if not isinstance(encoding, str) or not encoding.strip():
            raise LookupError
        info = codecs.lookup(encoding)
    except LookupError:
        raise _err(f"unknown encoding {describe(encoding)}", _ENCODING_FIX,
                   "stream.params.encoding") from None
    if not getattr(info, "_is_text_encoding", True) or info.name in _NOT_FILE_CODECS:
        raise _err(f"{describe(encoding)} is not an encoding of text files (Python's "
                   f"{info.name} codec converts something else: bytes to bytes, domain names "
                   "or escapes)", _ENCODING_FIX,
                   "stream.params.encoding")
    if info.name.startswith(("utf-16", "utf-32", "utf-8")):
        return encoding
    stateful = info.name.startswith(("iso2022", "hz"))
    try:
        ascii_safe = info.encode(_ASCII_PROBE)[0] == _ASCII_PROBE.encode("ascii")
    except (UnicodeError, ValueError, TypeError):
        ascii_safe = False
    if stateful or not ascii_safe:
        raise _err(f"{describe(encoding)} is not supported: the CSV reader needs delimiters, "
                   "quotes and line breaks as single ASCII bytes, which "
                   f"{'its escape sequences do' if stateful else 'this code page does'} not keep",
                   f"convert the file to UTF-8 first (e.g. iconv -f {info.name} -t utf-8), "
                   "or use utf-16", "stream.params.encoding")
    return encoding


def _sniff_bytes(path: Path, name: str, encoding: str,
                 quote: bool = True) -> tuple[str, str, int]:
    """(text, the encoding to read with, where the header ends in the text).

    The text is the whole first record (the header, however long: a file of 6,000 columns with
    long names has a header of hundreds of KiB) plus up to :data:`SNIFF_BYTES` after it, for
    sniffing the delimiter. The header ends at the first line break (``\\n``, ``\\r\\n`` or a lone
    ``\\r`` of old Mac files) outside double quotes; it may not be longer than
    :data:`MAX_HEADER_BYTES`, so a file that is one huge line is refused after reading that much,
    not read whole. Refuses binary files (a NUL byte in what is read) and wrong encodings.
    """
    try:
        with open(path, "rb") as fh:
            return _read_head(fh, name, encoding, quote)
    except OSError as exc:
        raise _err(f"cannot read {name} ({exc.strerror or type(exc).__name__})",
                   "check the file's permissions") from None


# C0 control bytes that no text file holds (tab, line breaks, form feed and Ctrl-Z excepted)
_CONTROL_BYTES = (*range(1, 9), 0x0b, *range(0x0e, 0x1a), *range(0x1b, 0x20))
_BREAK_OR_QUOTE = re.compile(r'["\r\n]')
_LINE_BREAK_BYTES = re.compile(rb"\r\n|\r|\n")


def _read_head(fh, name: str, encoding: str, quote: bool) -> tuple[str, str, int]:
    """See :func:`_sniff_bytes`."""
    head = fh.read(SNIFF_BYTES)
    if not head.strip():
        raise _err(f"{name} is empty", "give a CSV file with a header line and data rows")
    if head.startswith(b"\x1f\x8b"):
        raise _err(f"{name} is gzip-compressed", "decompress it first (gunzip)")
    if head.startswith(b"PK\x03\x04"):
        raise _err(f"{name} is a zip archive (an Excel .xlsx file is one), not a CSV file",
                   "export the sheet as CSV, or unzip the archive")
    codec = codecs.lookup(encoding).name
    wide = codec.startswith(("utf-16", "utf-32"))
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) and not wide:
        raise _err(f"{name} is UTF-16 encoded (it starts with a UTF-16 byte-order mark)",
                   "set stream.params.encoding to \"utf-16\"", "stream.params.encoding")
    if head.startswith(codecs.BOM_UTF8) and not codec.startswith("utf-8"):
        raise _err(f"{name} is UTF-8 encoded (it starts with a UTF-8 byte-order mark), not "
                   f"{describe(encoding)}", "set stream.params.encoding to \"utf-8\"",
                   "stream.params.encoding")
    if not wide and b"\x00" not in head:  # (a NUL byte gets its own message below)
        controls = sum(head.count(bytes([b])) for b in _CONTROL_BYTES)
        if controls >= 8 and controls > len(head) // 100:
            raise _err(f"{name} looks like binary data ({controls:,} control bytes in its first "
                       f"{_size(len(head))}), not CSV text",
                       "give a text CSV file (export it as CSV from the program that made it)")
    read_encoding = encoding
    if codec == "utf-8" and head.startswith(codecs.BOM_UTF8):
        read_encoding = "utf-8-sig"
    decoder = codecs.getincrementaldecoder(read_encoding)(errors="strict")
    data = bytearray()  # every byte read so far
    parts: list[str] = []
    length = 0  # characters in parts
    inside = False  # within a quoted field
    header_end = first_break = None
    block, eof = head, False
    while True:
        eof = len(block) < SNIFF_BYTES
        data += block
        if not wide and b"\x00" in block:
            offset = len(data) - len(block) + block.index(b"\x00")
            raise _err(f"{name} contains binary data (a NUL byte at byte {offset:,}), not CSV "
                       "text", "give a text CSV file (export it as CSV from the program that "
                               "made it)")
        try:
            piece = decoder.decode(bytes(block), final=eof)
        except UnicodeDecodeError as exc:
            start = len(data) - len(exc.object) + exc.start
            raise _encoding_error(name, encoding, bytes(data), start, quote) from None
        if header_end is not None:  # the sniffing window after the header is in
            parts.append(piece)
            break
        for match in _BREAK_OR_QUOTE.finditer(piece):
            if match[0] == '"':
                inside = not inside
                continue
            if first_break is None:
                first_break = length + match.start()
            if not inside:
                header_end = length + match.start()
                break
        parts.append(piece)
        length += len(piece)
        if eof or (header_end is None and len(data) >= MAX_HEADER_BYTES):
            break
        block = fh.read(SNIFF_BYTES)
    text = "".join(parts)
    if header_end is None:
        if first_break is not None and inside:
            header_end = first_break  # an unclosed quote: the csv module reads it as text
        elif eof:
            header_end = len(text)  # the file is one line
        else:
            raise _err(f"the first line of {name} is longer than "
                       f"{MAX_HEADER_BYTES // 2**20} MiB (no line break in it)",
                       "give a CSV file with one row per line and a header of at most "
                       f"{MAX_COLUMNS:,} column names")
    return text, read_encoding, header_end


def _encoding_error(name: str, encoding: str, data: bytes, start: int | None,
                    quote: bool = True) -> ConfigError:
    """``start``: offset of the bad byte in ``data`` (the file's first bytes), or None when the
    reader met it later in the file. The byte's value is file content: shown only if ``quote``."""
    if start is not None:
        line = len(_LINE_BREAK_BYTES.findall(data[:start])) + 1
        byte = f"byte 0x{data[start:start + 1].hex()}" if quote else "a byte"
        where = f"{byte} on line {line:,}"
    else:
        where = "after the header and the first 64 KiB"
    guess = "cp1252"
    for candidate in ("utf-8", "cp1252", "latin-1"):
        if codecs.lookup(candidate).name == codecs.lookup(encoding).name:
            continue
        try:
            data.decode(candidate)
        except UnicodeDecodeError as exc:
            if candidate == "utf-8" and exc.start >= len(data) - 3:
                guess = candidate  # only a character cut off at the end of the sample
                break
            continue
        guess = candidate
        break
    return _err(f"{name} is not valid {encoding} text ({where})",
                f"set stream.params.encoding to the file's encoding, probably \"{guess}\"",
                "stream.params.encoding")


_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def _sniff_delimiter(text: str) -> str:
    """The candidate that splits the first lines into the same number (> 1) of fields.

    Lines end at ``\\n``, ``\\r\\n`` or ``\\r`` only (``str.splitlines`` would also split at
    form feeds, U+0085 and other characters a cell may hold).
    """
    lines = _LINE_BREAK.split(text, maxsplit=50)
    if len(lines) > 50:
        lines = lines[:50]  # the rest of the text
    elif len(lines) > 1 and not text.endswith(("\n", "\r")):
        lines = lines[:-1]  # the last line may be cut off by the sniffing window
    best, best_fields = ",", 1
    for candidate in DELIMITERS:
        try:
            counts = {len(row) for row in csv.reader(lines, delimiter=candidate) if row}
        except csv.Error:
            continue
        if len(counts) == 1 and (fields := counts.pop()) > best_fields:
            best, best_fields = candidate, fields
    return best


def _header(text: str, header_end: int, delimiter: str, name: str) -> list[str]:
    """The column names of the header, ``text[:header_end]`` (see :func:`_sniff_bytes`); [] when
    there are none. A UTF-8/16 byte-order mark read as a character is not part of the first
    name. Refuses more than :data:`MAX_COLUMNS` columns before building the list of names."""
    line = text[:header_end]
    if '"' not in line and line.count(delimiter) >= MAX_COLUMNS:
        raise _err(f"{name} has {line.count(delimiter) + 1:,} columns, more than "
                   f"{MAX_COLUMNS:,}", "keep the needed columns only (e.g. with cut or pandas)")
    try:
        names = next(csv.reader(io.StringIO(line, newline=""), delimiter=delimiter), [])
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            raise _err(f"{name}: a column name in the header is longer than "
                       f"{csv.field_size_limit():,} characters",
                       "shorten the column names") from None
        return []
    if len(names) > MAX_COLUMNS:
        raise _err(f"{name} has {len(names):,} columns, more than {MAX_COLUMNS:,}",
                   "keep the needed columns only (e.g. with cut or pandas)")
    if names and names[0].startswith("\ufeff"):
        names[0] = names[0][1:]
    return names


def _columns_text(missing: str, header, quote: bool) -> str:
    """What the header holds instead of ``missing``: a close match and the first names, or, for
    a file whose contents are not quoted (:func:`may_quote`), the number of columns only."""
    if not quote:
        count = f"{len(header):,} column{'s' if len(header) != 1 else ''}"
        return f"its header has {count} ({NOT_QUOTED})"
    close = difflib.get_close_matches(missing, list(header), n=1, cutoff=0.6)
    suggestion = f"did you mean {_show(close[0], 40)}? " if close else ""
    shown = ", ".join(f"{_show(h, 40)}" for h in header[:12])
    more = f" and {len(header) - 12:,} more" if len(header) > 12 else ""
    return f"{suggestion}the columns are {shown}{more}"


_PLANS: dict[tuple, CsvPlan] = {}
_LOADED: dict[tuple, tuple[_Accumulator, bool]] = {}  # one full read, reused by make_stream


def _file_key(path: Path, params: dict) -> tuple:
    stat = path.stat()
    return (str(path.resolve()), stat.st_size, stat.st_mtime_ns,
            tuple((k, tuple(v) if isinstance(v, list) else v) for k, v in params.items()))


def check_csv(path_text: str, raw_params: Any = None) -> CsvPlan:
    """Check a CSV source cheaply: file, size, encoding, delimiter, header, columns, first rows.

    Results are cached per file state (path, size, modification time) and parameters, so the
    app can re-validate its config on every rerun for free.
    """
    path = _resolve_path(path_text)
    params = _check_params(raw_params)
    key = _file_key(path, params)
    if key in _PLANS:
        return _PLANS[key]
    plan = _make_plan(path, path_text, params, key)
    if len(_PLANS) > 32:
        _PLANS.clear()
    _PLANS[key] = plan
    return plan


def _make_plan(path: Path, path_text: str, params: dict, key: tuple) -> CsvPlan:
    name = path.name
    size = key[1]
    limit = params["max_mb"] * 1e6
    if size > limit:
        raise _err(f"{name} is {_size(size)}, over the limit of {params['max_mb']:g} MB",
                   "raise stream.params.max_mb, or cut the file (e.g. its first rows or the "
                   "needed columns)")
    quote = may_quote(path)
    text, read_encoding, header_end = _sniff_bytes(path, name, params["encoding"], quote)
    delimiter = params["delimiter"] or _sniff_delimiter(text)
    header = _header(text, header_end, delimiter, name)
    if not header or not any(h.strip() for h in header):
        raise _err(f"{name} has no header line", "put the column names on the first line")
    needed_names = {params["target"], params["time"], *(params["features"] or [])} - {None}
    if len(header) == 1:
        others = [d for d in DELIMITERS if d != delimiter and d in header[0]]
        if others:
            shown = "tab" if others[0] == "\t" else f"'{others[0]}'"
            value = "\\t" if others[0] == "\t" else others[0]
            raise _err(f"{name} looks like {shown}-separated, not "
                       f"{'tab' if delimiter == chr(9) else repr(delimiter)}-separated (its "
                       f"header is one column: "
                       f"{_show(header[0], 40) if quote else 'not quoted, see below'})",
                       f"set stream.params.delimiter to \"{value}\"", "stream.params.delimiter")
    dupes = sorted(h for h, k in collections.Counter(header).items() if k > 1)
    in_header = set(header)  # 6,000 columns: membership tests must not scan the list
    positions = {h: k for k, h in enumerate(header)}
    features = params["features"]
    if features is None:
        features = [h for h in header if h not in (params["target"], params["time"])]
        used = set(header)
    else:
        used = needed_names
    for dup in dupes:
        if dup in used:
            where = [k + 1 for k, h in enumerate(header) if h == dup]
            named = f"named {_show(dup)}" if quote or dup in needed_names else "of one name"
            raise _err(f"{name} has {len(where):,} columns {named} (columns "
                       f"{', '.join(map(str, where[:10]))}{', ...' if len(where) > 10 else ''})",
                       "give every column its own name in the header")
    for role, column in (("target", params["target"]), ("time", params["time"])):
        if column is not None and column not in in_header:
            raise _err(f"column {_show(column)} is not in {name}; "
                       f"{_columns_text(column, header, quote)}",
                       "use one of the file's column names", f"stream.params.{role}")
    for column in features:
        if column not in in_header:
            raise _err(f"column {_show(column)} is not in {name}; "
                       f"{_columns_text(column, header, quote)}",
                       "use the file's column names", "stream.params.features")
        if not column.strip():
            raise _err(f"{name}: column {positions[column] + 1} has no name",
                       "name it in the header, or list the columns to use in "
                       "stream.params.features")
    if not features:
        raise _err(f"{name} has no feature columns besides the target", "add feature columns",
                   "stream.params.features")
    features = tuple(features)
    voice = _Voice(quote, frozenset(needed_names), positions)
    base = CsvPlan(path=path, key=key, size=size, encoding=params["encoding"],
                   read_encoding=read_encoding, delimiter=delimiter, header=tuple(header),
                   target=params["target"], features=features, time=params["time"],
                   missing=params["missing"], max_mb=params["max_mb"],
                   frame_plan=_FramePlan(features, {}, voice=voice), sample_rows=0,
                   complete=False, n_rows=None)
    # the first rows, read the way the full read will read them
    check_fields(base, SAMPLE_ROWS)
    sample = _read_sample(base, positions)
    if sample.empty:
        raise _err(f"{name} has a header but no data rows", "add data rows below the header")
    where = f"{name}: "
    kinds = {f: _kind_of(sample[f], f, 0, where, voice) for f in features}
    time_kind, time_format = "numeric", None
    if params["time"] is not None:
        time_kind, time_format = _time_kind(sample[params["time"]], params["time"], where,
                                            voice)
    frame_plan = _FramePlan(features, kinds, params["target"], params["time"], time_kind,
                            time_format, params["missing"], voice)
    plan = replace(base, frame_plan=frame_plan)
    complete = len(sample) < SAMPLE_ROWS
    acc = _Accumulator(frame_plan, where=where)
    with _reading(plan):  # again, exactly as the full read will read it
        _feed(acc, plan, [pd.read_csv(path, nrows=SAMPLE_ROWS, **_reader_args(plan, positions))])
    if complete:
        acc.finish(None, where=name)  # small files are checked completely here
        _remember(plan.key, acc, True)
    return replace(plan, sample_rows=len(sample), complete=complete,
                   n_rows=acc.kept if complete else None)


def _time_kind(column: pd.Series, name: str, where: str,
               voice: _Voice = _QUOTING) -> tuple[str, str | None]:
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
        if _parse_dates(values, fmt).notna().all():
            return "datetime", fmt
    bad = numbers.isna() if numbers.notna().mean() >= 0.5 else _parse_dates(values, None).isna()
    first = values[bad].index[0]
    raise ConfigError("stream.params.time", f"{where}{voice.column(name)}, data row "
                                            f"{first + 1}: {voice.value(values[first])} is neither a "
                                            "number nor a "
                                            "date like the rest of the column, so the rows "
                                            "cannot be ordered by it",
                      "give every time value as a number or as a date in one format (ISO 8601: "
                      "2024-01-31 12:00:00), or leave stream.params.time out to keep the file's "
                      "order")


def _reader_args(plan: CsvPlan, positions: dict) -> dict:
    needed = [plan.target, *plan.features] + ([plan.time] if plan.time else [])
    dtype = {str(positions[plan.target]): str}
    for f in plan.features:
        if plan.frame_plan.kinds.get(f) == "category":
            dtype[str(positions[f])] = str
    if plan.time and plan.frame_plan.time_kind == "datetime":
        dtype[str(positions[plan.time])] = str
    return dict(sep=plan.delimiter, encoding=plan.read_encoding, header=0,
                names=[str(k) for k in range(len(plan.header))],
                usecols=sorted({positions[c] for c in needed}), index_col=False, dtype=dtype,
                skip_blank_lines=True, engine="c")


def _rename(chunk: pd.DataFrame, plan: CsvPlan, positions: dict):
    """(feature/time frame under the real column names, the labels)."""
    columns = list(dict.fromkeys([*plan.features] + ([plan.time] if plan.time else [])))
    frame = chunk[[str(positions[c]) for c in columns]].set_axis(columns, axis=1)  # one take
    return frame, chunk[str(positions[plan.target])]


def check_fields(plan: CsvPlan, stop_rows: int | None = None) -> int:
    """Refuse rows with more or fewer fields than the header; return the data rows scanned.

    pandas reads only the needed columns (``usecols``) and then takes fields by position
    without noticing a row with an extra or a missing field, which would silently shift that
    row's values. This scan counts the delimiters outside quotes on every line (quote parity,
    so quoted delimiters and line breaks count right) with numpy over the raw bytes (about
    0.6 s per 100 MB). Lines end at ``\\n``, ``\\r\\n`` or a lone ``\\r``, as for the reader
    (each ``\\r`` and ``\\n`` ends a line; the empty line between ``\\r`` and ``\\n`` is blank).
    Blank lines are skipped, as the reader skips them. Files in encodings that are not
    ASCII-compatible (UTF-16/32) are not scanned.
    """
    if codecs.lookup(plan.read_encoding).name.startswith(("utf-16", "utf-32")):
        return 0
    delim = plan.delimiter.encode(plan.read_encoding)
    if len(delim) != 1:
        return 0
    fields = len(plan.header)
    d_byte, q_byte = delim[0], ord('"')
    with open(plan.path, "rb") as fh:
        parity = 0  # quotes seen so far, mod 2: 1 means inside a quoted field
        carry_delims = 0  # delimiters of the line that runs into the next block
        carry_len = 0  # its length in bytes (without a trailing \r)
        row = -1  # the header is row 0
        while True:
            block = fh.read(SCAN_BLOCK)
            last = not block
            if last:
                if parity:
                    raise _err(f"{plan.path.name}: data row {row + 1} opens a quote (\") that is "
                               "never closed", "close the quoted value, or remove the stray "
                                               "quote")
                if carry_len == 0:
                    break
                ends, delims, lengths = (np.array([0]), np.array([carry_delims]),
                                         np.array([carry_len]))
            else:
                a = np.frombuffer(block, dtype=np.uint8)
                quotes = np.flatnonzero(a == q_byte)
                dpos = np.flatnonzero(a == d_byte)
                ends = np.flatnonzero((a == 10) | (a == 13))
                if quotes.size or parity:  # keep what lies outside quotes
                    dpos = dpos[((np.searchsorted(quotes, dpos) + parity) & 1) == 0]
                    ends = ends[((np.searchsorted(quotes, ends) + parity) & 1) == 0]
                    parity = (parity + quotes.size) & 1
                if ends.size == 0:
                    carry_delims += dpos.size
                    carry_len += a.size
                    continue
                before = np.searchsorted(dpos, ends)  # delimiters before each line end
                delims = np.diff(before, prepend=0)
                delims[0] += carry_delims
                starts = np.concatenate(([0], ends[:-1] + 1))
                lengths = ends - starts
                lengths[0] += carry_len
                carry_delims = int(dpos.size - before[-1])
                carry_len = a.size - int(ends[-1]) - 1
            content = lengths > 0
            counts = delims[content] + 1
            rows = np.arange(row + 1, row + 1 + counts.size)
            wrong = np.flatnonzero((counts != fields) & (rows >= 1))
            if wrong.size:
                k = int(wrong[0])
                r, got = int(rows[k]), int(counts[k])
                if stop_rows is None or r <= stop_rows:
                    more = got > fields
                    raise _err(f"{plan.path.name}: data row {r} has {got} fields, the header "
                               f"has {fields}",
                               "quote values that contain the delimiter, or remove the extra "
                               "values" if more else "add the missing fields (an empty value "
                               "still needs its delimiter)")
            row += counts.size
            if last or (stop_rows is not None and row >= stop_rows):
                break
    return max(row, 0)


def _read_sample(plan: CsvPlan, positions: dict) -> pd.DataFrame:
    args = _reader_args(plan, positions)
    args["dtype"] = {str(positions[plan.target]): str}
    with _reading(plan):
        chunk = pd.read_csv(plan.path, nrows=SAMPLE_ROWS, **args)
    frame, labels = _rename(chunk, plan, positions)
    return pd.concat([frame, labels.rename(plan.target)], axis=1)  # no column-by-column insert


def _feed(acc: _Accumulator, plan: CsvPlan, chunks) -> None:
    positions = {h: k for k, h in enumerate(plan.header)}
    for chunk in chunks:
        frame, labels = _rename(chunk, plan, positions)
        acc.add(frame, labels)
        if acc.done:
            break


class _reading:
    """Turns the reader's own errors into one-line ConfigErrors naming the file."""

    def __init__(self, plan: CsvPlan):
        self.plan = plan

    def __enter__(self):
        return self

    def __exit__(self, kind, exc, tb):
        if exc is None or isinstance(exc, ConfigError):
            return False
        name = self.plan.path.name
        quote = self.plan.frame_plan.voice.quote
        if isinstance(exc, UnicodeDecodeError):
            raise _encoding_error(name, self.plan.encoding, exc.object, None) from None
        if isinstance(exc, pd.errors.ParserError):
            text = str(exc).replace("Error tokenizing data. C error: ", "").strip().rstrip(".")
            match = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", text)
            if match:
                raise _err(f"{name} line {match[2]} has {match[3]} fields, the header has "
                           f"{match[1]}", "quote fields that contain the delimiter, or fix that "
                                          "line") from None
            if "EOF inside string" in text:
                raise _err(f"{name} has a quote (\") that is never closed ({text.lower()})",
                           "close the quoted field, or remove the stray quote") from None
            raise _err(f"{name} cannot be read as CSV ({_reader_text(text, quote)})",
                       "check the delimiter, quoting and line structure") from None
        if isinstance(exc, pd.errors.EmptyDataError):
            raise _err(f"{name} is empty", "give a CSV file with a header line and data rows") \
                from None
        if isinstance(exc, MemoryError):
            raise _err(f"{name} does not fit in memory", "use fewer rows (stream.n_samples) or "
                                                         "fewer feature columns") from None
        if isinstance(exc, (OSError, ValueError)):
            raise _err(f"{name} cannot be read ({_reader_text(exc, quote)})",
                       "check the file, its delimiter and its encoding") from None
        return False


def _reader_text(exc, quote: bool) -> str:
    """The reader's own words about a failure, which may quote the file: for a file whose contents
    are not quoted (:func:`may_quote`), the kind of failure only."""
    if quote:
        return _show(str(exc), 80)
    return (f"{type(exc).__name__}; details not shown" if isinstance(exc, BaseException)
            else "details not shown") + f": {NOT_QUOTED}"


def _remember(key: tuple, acc: _Accumulator, complete: bool) -> None:
    _LOADED.clear()  # keep one file's arrays at most
    _LOADED[key] = (acc, complete)


def _load_csv(plan: CsvPlan, n: int | None) -> _Accumulator:
    cached = _LOADED.get(plan.key)
    if cached is not None:
        acc, complete = cached
        if complete or (n is not None and acc.kept >= n and plan.time is None):
            return acc
    positions = {h: k for k, h in enumerate(plan.header)}
    if plan.time is not None or n is None or plan.missing == "drop_rows":
        check_fields(plan)
    else:  # exactly the first n rows are used
        check_fields(plan, n)
    acc = _Accumulator(plan.frame_plan, limit=n, where=f"{plan.path.name}: ")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with _reading(plan):
            with pd.read_csv(plan.path, chunksize=CHUNK_ROWS,
                             **_reader_args(plan, positions)) as reader:
                _feed(acc, plan, reader)
    _remember(plan.key, acc, not acc.done)
    return acc


def count_csv_rows(plan: CsvPlan) -> int:
    """Usable rows of the whole file (reads it once; the read is kept for the stream)."""
    if plan.n_rows is not None:
        return plan.n_rows
    return _load_csv(plan, None).kept


def load_csv(path_text: str, params: Any = None, n: int | None = None) -> RealData:
    """The first ``n`` rows (all by default) of a CSV file as arrays, every value checked."""
    plan = check_csv(path_text, params)
    acc = _load_csv(plan, n)
    data = acc.finish(n, where=plan.path.name)
    return data


# --------------------------------------------------------------------------------------------
# Config and stream entry points (called by lab.validate and lab.streams)
# --------------------------------------------------------------------------------------------
def is_real_source(source: Any) -> bool:
    return isinstance(source, str) and source.startswith(("dataset:", "csv:"))


def _one_line(fn):
    """A safety net for the one-line contract: escape line breaks a value brought in."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except ConfigError as exc:
            if "\n" not in str(exc) and "\r" not in str(exc):
                raise

            def clean(text):
                return text.replace("\r", "\\r").replace("\n", "\\n")

            raise ConfigError(clean(exc.path), clean(exc.problem), clean(exc.fix)) from None

    return wrapper


@_one_line
def parse_real_stream(data: dict) -> StreamSpec:
    """Validate a ``stream`` object whose source is ``dataset:<name>`` or ``csv:<path>``.

    Data sets are small and checked completely. A CSV file is checked on its first
    :data:`SAMPLE_ROWS` rows (completely if it is no longer); the full read, and its checks,
    happen when the stream is made. Leaving ``n_samples`` out uses every row: for a longer CSV
    file that needs one full read now, which the stream then reuses.
    """
    source = data["source"]
    kind, _, rest = source.partition(":")
    plan = None
    if kind == "dataset":
        if rest not in DATASETS:
            raise ConfigError("stream.source", f"unknown data set {describe(rest)}",
                              f"use one of: {', '.join('dataset:' + k for k in DATASETS)}, or "
                              "csv:<path>")
        check_object(data.get("params", {}), "stream.params", ())
        params: dict = {}
        size: int | None = DATASETS[rest].n_samples
        what = f"dataset:{rest} has {size:,} rows"
    else:
        plan = check_csv(rest, data.get("params"))
        params = plan.params
        size = plan.n_rows
        what = f"{plan.path.name} has {size:,} usable rows" if size is not None else ""
    raw_n = data.get("n_samples")
    if raw_n is None:
        n = size if size is not None else count_csv_rows(plan)
        if n > MAX_SAMPLES:
            raise ConfigError("stream.n_samples", f"the data have {n:,} rows, more than "
                                                  f"{MAX_SAMPLES:,}",
                              f"set n_samples to at most {MAX_SAMPLES} (the first rows are used)")
    else:
        n = check_int(raw_n, "stream.n_samples", 1, MAX_SAMPLES,
                       "give the number of rows to use, or leave it out to use every row")
        if size is not None and n > size:
            raise ConfigError("stream.n_samples", f"is {n:,} but {what}",
                              f"use at most {size} (the first n rows are used), or leave "
                              "n_samples out to use every row")
    if n < 2:
        raise ConfigError("stream.n_samples", f"is {n}, but a race needs at least 2 rows",
                          "use more rows (one is learned, the rest are scored)")
    label_noise = check_number(data.get("label_noise", 0.0), "stream.label_noise", 0, 0.5,
                                fix="use a share of flipped labels between 0 and 0.5")
    drifts = parse_drifts(data.get("drifts", []), n, None)
    if kind == "dataset":
        load_dataset(rest, n)  # small and cached: e.g. one class in the first n rows
    elif plan.complete:
        _load_csv(plan, n).finish(n, where=plan.path.name)
    return StreamSpec(source, n, params, drifts, label_noise)


@_one_line
def make_real_stream(spec, seed: int):
    """The :class:`lab.streams.Stream` of a ``dataset:`` or ``csv:`` source (first n rows)."""
    from lab.streams import Stream, _flip_labels, _seed_for

    kind, _, rest = spec.source.partition(":")
    data = load_dataset(rest, spec.n_samples) if kind == "dataset" else \
        load_csv(rest, spec.params, spec.n_samples)
    n = len(data.y)
    concept = np.zeros(n, dtype=np.int16)
    starts = [0]
    for drift in spec.drifts:  # user-marked suspected drift points: segment index
        concept[drift.at:] += 1
        starts.append(drift.at)
    y = data.y
    if spec.label_noise > 0:
        y = _flip_labels(y, spec.label_noise, len(data.class_names),
                         np.random.default_rng(_seed_for(seed, 3)))
    concepts = [{"segment": k, "start": s} for k, s in enumerate(starts)]
    return Stream(X=data.X, y=y, concept=concept, feature_names=data.feature_names,
                  concepts=concepts, class_names=data.class_names)


def _open_text_csv(path_text: str, delimiter, encoding, max_mb):
    """The checks :func:`inspect_csv` and :func:`preview_csv` share before reading rows: the size
    limit, the encoding, the delimiter (sniffed unless given) and a header line."""
    path = _resolve_path(path_text)
    probe = _check_params({"target": "?", "delimiter": delimiter, "encoding": encoding,
                           "max_mb": max_mb})
    size = path.stat().st_size
    if size > probe["max_mb"] * 1e6:
        raise _err(f"{path.name} is {_size(size)}, over the limit of "
                   f"{probe['max_mb']:g} MB", "raise stream.params.max_mb, or cut the file")
    text, read_encoding, header_end = _sniff_bytes(path, path.name, probe["encoding"],
                                                   may_quote(path))
    delim = probe["delimiter"] or _sniff_delimiter(text)
    header = _header(text, header_end, delim, path.name)
    if not header:
        raise _err(f"{path.name} has no header line", "put the column names on the first line")
    return path, probe, read_encoding, delim, header


def inspect_csv(path_text: str, delimiter: str | None = None,
                encoding: str = "utf-8", max_mb: float = DEFAULT_MAX_MB) -> dict:
    """What the app shows after an upload, before the user picks the target: the columns.

    Returns ``{"delimiter", "encoding", "sample_rows", "columns": [{"name", "kind",
    "distinct", "missing", "example"}]}`` from the first :data:`SAMPLE_ROWS` rows; ``kind`` is
    ``"numeric"``, ``"category"`` (text that one-hot encoding can take), ``"date"`` (dates, a
    candidate ``time`` column) or ``"text"`` (too many distinct values to be a feature). Raises :class:`ConfigError` for a file that cannot be
    read at all (missing, empty, binary, wrong encoding, too big).
    """
    path, probe, read_encoding, delim, header = _open_text_csv(path_text, delimiter, encoding,
                                                               max_mb)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            frame = pd.read_csv(path, sep=delim, encoding=read_encoding, nrows=SAMPLE_ROWS,
                                dtype=str, header=0, names=list(range(len(header))),
                                index_col=False)
        except Exception as exc:  # noqa: BLE001 - any reader failure becomes one line
            _reader_failure(path, read_encoding, delim, header, exc)
    columns = []
    for k, name in enumerate(header):
        col = frame[k]
        values = col.dropna()
        distinct = int(values.nunique())
        if pd.to_numeric(values, errors="coerce").notna().all():
            kind = "numeric"
        elif distinct > MAX_ONEHOT and any(_parse_dates(values, fmt).notna().all()
                                           for fmt in ("ISO8601", None)):
            kind = "date"  # a candidate time column
        else:
            kind = "category" if distinct <= MAX_ONEHOT else "text"
        columns.append({"name": name, "kind": kind, "distinct": distinct,
                        "missing": int(col.isna().sum()),
                        "example": values.iloc[0] if len(values) else None})
    return {"delimiter": delim, "encoding": probe["encoding"], "sample_rows": len(frame),
            "columns": columns}


CSV_PARAMS_SCHEMA = {
    "type": "object", "required": ["target"], "additionalProperties": False,
    "properties": {
        "target": {"type": "string", "description": "the column of class labels"},
        "features": {"type": "array", "items": {"type": "string"}, "minItems": 1,
                     "uniqueItems": True,
                     "description": "feature columns (default: every other column but time); "
                                    f"text columns with at most {MAX_ONEHOT} values are one-hot "
                                    "encoded"},
        "time": {"type": ["string", "null"], "default": None,
                 "description": "a column of numbers or dates to order the rows by "
                                "(stable sort)"},
        "missing": {"enum": list(MISSING), "default": "reject",
                    "description": "what to do with empty cells"},
        "max_mb": {"type": "number", "exclusiveMinimum": 0, "maximum": 100_000,
                   "default": DEFAULT_MAX_MB, "description": "size limit of the file, MB"},
        "delimiter": {"type": ["string", "null"], "default": None,
                      "description": "one character; sniffed from the first lines when null"},
        "encoding": {"type": "string", "default": "utf-8"},
    },
}


def _reader_failure(path: Path, read_encoding: str, delim: str, header: list, exc) -> None:
    """Raise the clearest message for a sample read that failed: the field-count scan of
    :func:`check_fields` names a ragged row or an unclosed quote; anything else is one line."""
    from types import SimpleNamespace

    stand_in = SimpleNamespace(path=path, read_encoding=read_encoding, delimiter=delim,
                               header=header)
    check_fields(stand_in, SAMPLE_ROWS)  # raises for a ragged row or an unclosed quote
    raise _err(f"{path.name} cannot be read as CSV ({_reader_text(exc, may_quote(path))})",
               "check the delimiter and the encoding") from None


def preview_csv(path_text: str, delimiter: str | None = None, encoding: str = "utf-8",
                rows: int = 5, max_mb: float = DEFAULT_MAX_MB) -> pd.DataFrame:
    """The first ``rows`` data rows of a CSV file as text (what the app shows after an upload).

    Reads like :func:`inspect_csv` (same sniffing, size limit and one-line
    :class:`ConfigError` for a file that cannot be read); every cell stays a string, missing
    cells are ``None``.
    """
    path, probe, read_encoding, delim, header = _open_text_csv(path_text, delimiter, encoding,
                                                               max_mb)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            frame = pd.read_csv(path, sep=delim, encoding=read_encoding, nrows=max(0, rows),
                                dtype=str, header=0, names=list(range(len(header))),
                                index_col=False, keep_default_na=True)
        except Exception as exc:  # noqa: BLE001 - any reader failure becomes one line
            _reader_failure(path, read_encoding, delim, header, exc)
    frame.columns = [str(h) if str(h) else f"(column {k + 1})" for k, h in enumerate(header)]
    if len(set(frame.columns)) != len(frame.columns):  # duplicate names: make them displayable
        frame.columns = [f"{h} ({k + 1})" for k, h in enumerate(frame.columns)]
    return frame.astype(object).where(frame.notna(), None)
