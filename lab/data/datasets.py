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
* Real data has no ground-truth drift points, and no generator a drift could switch to, so a drift
  entry with ``to`` is refused. ``{"at": N}`` (optionally ``width``) marks a *suspected* drift
  point instead: the per-segment accuracy, drop and recovery figures then work as for synthetic
  drifts, and the ``concept`` column of ``stream.csv`` is the index of the segment between marks.
* Labels are mapped to ``0 .. K-1`` in sorted order of the original labels (booleans
  ``False < True``; numbers numerically; texts that all read as numbers by their value, so "2"
  comes before "10"; other texts by code point). :attr:`lab.data.stream.Stream.class_names` keeps
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

* The app uses every row of a data set by default and pre-marks its documented
  :attr:`DatasetInfo.change_points` (Elec2: row 17,424, where the Victorian columns stop being
  constant placeholders; see ``datasets/elec/README.md``).

>>> info = DATASETS["elec"]
>>> info.n_samples, info.n_features, info.class_names, info.change_points
(45312, 6, ('DOWN', 'UP'), (17424,))
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd

from lab.data.csv.frame import Accumulator, FramePlan, kind_of
from lab.data.csv.read import check_csv, count_csv_rows, load_plan_rows
from lab.data.realdata import RealData, one_line_errors
from lab.spec.checks import check_int, check_number, check_object, describe
from lab.spec.errors import ConfigError
from lab.spec.experiment import MAX_SAMPLES, StreamSpec, parse_drifts
from lab.spec.labels import DATASET_TITLES

DATA_DIR = Path(__file__).resolve().parents[2] / "datasets"


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
    # Rows where the data change for a documented, checkable reason (0-based index of the first
    # changed row), never a guess: the app pre-marks them as suspected drift points when the
    # data set is chosen. The data set's README says where each comes from.
    change_points: tuple[int, ...] = ()


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
        "datasets/elec/elec.csv.gz", change_points=(17_424,)),
     _shipped("elec/elec.csv.gz", "class")),
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
DATASET_TITLES.update({info.name: info.title for info in DATASETS.values()})  # for source_label
_LOADERS = {info.name: load for info, load in _DATASETS}
# Readable names of the original labels where the data use booleans or codes.
_LABEL_NAMES = {"elec": {0: "DOWN", 1: "UP"}, "weather": {0: "no_rain", 1: "rain"},
                "phishing": {False: "legitimate", True: "phishing"}}


@functools.lru_cache(maxsize=8)
def _dataset_arrays(name: str) -> RealData:
    frame, labels = _LOADERS[name]()
    plan = FramePlan(tuple(str(c) for c in frame.columns),
                      {str(c): kind_of(frame[c], str(c), 0) for c in frame.columns})
    frame.columns = list(plan.features)
    acc = Accumulator(plan)
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


@one_line_errors
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
        load_plan_rows(plan, n).finish(n, where=plan.path.name)
    return StreamSpec(source, n, params, drifts, label_noise)
