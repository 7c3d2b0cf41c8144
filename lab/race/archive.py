"""The per-sample predictions table of a race and the one-file archive of a run ("Download all").

``predictions.csv`` (``docs/outputs.md``) has one row per scored sample: its index, its true
label and, per contender (baselines included, in race order), the label it predicted and
whether that was right. It is the race's own per-sample record, read through
:func:`per_sample_arrays` only, so that every number of ``summary.json`` can be recomputed from
it (an accuracy is the mean of a ``correct`` column).

The archive is a zip of named texts with fixed timestamps, so the same run gives the same
bytes: what the app's "Download all" serves and what a script can rebuild from a run folder.

>>> from lab.presets import load_preset
>>> from lab.race.engine import run_race
>>> result = run_race(load_preset("stable").with_overrides({"stream.n_samples": 1200,
...                                                        "evaluation.warmup": 1000}))
>>> frame = predictions_frame(result)
>>> len(frame), list(frame.columns)[:4]
(200, ['sample', 'y', 'Frozen batch predicted', 'Frozen batch correct'])
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Mapping

import numpy as np
import pandas as pd

from lab.policies.base import NO_PREDICTION
from lab.race.engine import ContenderRun, RaceResult

PREDICTIONS_FILE = "predictions.csv"
ARCHIVE_FILE = "driftlab-run.zip"
# 1980-01-01, the earliest time a zip entry can carry: no clock in the bytes
_FIXED_TIME = (1980, 1, 1, 0, 0, 0)


def frame_csv(frame) -> str:
    """How every CSV file of a run is written (no index, ``\n`` line ends on every platform):
    the CLI's files and the app's downloads of the same frame are the same bytes."""
    return frame.to_csv(index=False, lineterminator="\n")


def per_sample_arrays(run: ContenderRun) -> tuple[np.ndarray, np.ndarray] | None:
    """``(predicted, correct)`` of one contender, one entry per sample of the stream, or None
    for a contender that failed before it had any.

    The record is the engine's per-sample trace of the contender (``run.trace``), absent
    when the contender failed before its policy was built."""
    if run.trace is None or run.policy is None:
        return None
    return run.trace.predicted, run.trace.correct


def _scored_until(run: ContenderRun, result: RaceResult) -> int:
    """Samples whose prediction this contender recorded: all processed ones, or those before
    the block it failed in (the samples of that block were not all scored)."""
    if run.status != "ok":
        return min(run.failed_at or 0, result.n_done)
    return result.n_done


def predictions_frame(result: RaceResult) -> pd.DataFrame:
    """``predictions.csv`` as a frame: ``sample``, ``y``, then ``<name> predicted`` and
    ``<name> correct`` per contender. Rows are the scored samples ``[warmup, n_done)``; labels
    are coded as in ``stream.csv``'s ``y``. A cell is empty (a missing value) where the
    contender gave no prediction (a river model before its first label: ``correct`` is then 0,
    as the metrics count it) or has no record (after its failure)."""
    warmup = result.experiment.evaluation.warmup
    n_done = result.n_done
    rows = np.arange(warmup, max(warmup, n_done))
    columns = {"sample": rows, "y": result.stream.y[rows].astype(np.int64)}
    for run in result.contenders:
        arrays = per_sample_arrays(run)
        kept = 0 if arrays is None else max(0, _scored_until(run, result) - warmup)
        predicted = np.zeros(rows.size, dtype=np.int64)
        correct = np.zeros(rows.size, dtype=np.int64)
        no_record = np.arange(rows.size) >= kept
        no_prediction = no_record.copy()
        if kept:
            predicted[:kept] = arrays[0][warmup:warmup + kept]
            correct[:kept] = arrays[1][warmup:warmup + kept]
            no_prediction[:kept] = predicted[:kept] == NO_PREDICTION
        columns[f"{run.name} predicted"] = pd.arrays.IntegerArray(predicted, no_prediction)
        columns[f"{run.name} correct"] = pd.arrays.IntegerArray(correct, no_record)
    return pd.DataFrame(columns)


def predictions_csv(result: RaceResult) -> str:
    """The text of ``predictions.csv`` (format of every output CSV: ``\\n``, no index)."""
    return frame_csv(predictions_frame(result))


def zip_archive(files: Mapping[str, str | bytes]) -> bytes:
    """A zip holding ``files`` (name -> text or bytes; texts as UTF-8) in the given order,
    deflated, with fixed timestamps: the same files give the same bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            info = zipfile.ZipInfo(name, date_time=_FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16  # a plain readable file once unpacked
            data = content.encode("utf-8") if isinstance(content, str) else content
            archive.writestr(info, data)
    return buffer.getvalue()
