"""What the app's upload form shows before a race: the columns and kinds of a file
(:func:`inspect_csv`) and its first rows (:func:`preview_csv`).
"""

from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd

from lab.data.csv import limits
from lab.data.csv.frame import may_quote, parse_date_column
from lab.data.csv.limits import DEFAULT_MAX_MB, MAX_ONEHOT
from lab.data.csv.read import check_fields, reader_text
from lab.data.csv.sniff import (
    check_csv_params,
    csv_error,
    header_names,
    resolve_path,
    size_text,
    sniff_bytes,
    sniff_delimiter,
)


def _open_text_csv(path_text: str, delimiter, encoding, max_mb):
    """The checks :func:`inspect_csv` and :func:`preview_csv` share before reading rows: the size
    limit, the encoding, the delimiter (sniffed unless given) and a header line."""
    path = resolve_path(path_text)
    probe = check_csv_params({"target": "?", "delimiter": delimiter, "encoding": encoding,
                           "max_mb": max_mb})
    size = path.stat().st_size
    if size > probe["max_mb"] * 1e6:
        raise csv_error(f"{path.name} is {size_text(size)}, over the limit of "
                   f"{probe['max_mb']:g} MB", "raise stream.params.max_mb, or cut the file")
    text, read_encoding, header_end = sniff_bytes(path, path.name, probe["encoding"],
                                                   may_quote(path))
    delim = probe["delimiter"] or sniff_delimiter(text)
    header = header_names(text, header_end, delim, path.name)
    if not header:
        raise csv_error(f"{path.name} has no header line", "put the column names on the first line")
    return path, probe, read_encoding, delim, header


def inspect_csv(path_text: str, delimiter: str | None = None,
                encoding: str = "utf-8", max_mb: float = DEFAULT_MAX_MB) -> dict:
    """What the app shows after an upload, before the user picks the target: the columns.

    Returns ``{"delimiter", "encoding", "sample_rows", "columns": [{"name", "kind",
    "distinct", "missing", "example"}]}`` from the first :data:`limits.SAMPLE_ROWS` rows;
    ``kind`` is
    ``"numeric"``, ``"category"`` (text that one-hot encoding can take), ``"date"`` (dates, a
    candidate ``time`` column) or ``"text"`` (too many distinct values to be a feature).
    Raises :class:`ConfigError` for a file that cannot be
    read at all (missing, empty, binary, wrong encoding, too big).
    """
    path, probe, read_encoding, delim, header = _open_text_csv(path_text, delimiter, encoding,
                                                               max_mb)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            frame = pd.read_csv(path, sep=delim, encoding=read_encoding, nrows=limits.SAMPLE_ROWS,
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
        elif distinct > MAX_ONEHOT and any(parse_date_column(values, fmt).notna().all()
                                           for fmt in ("ISO8601", None)):
            kind = "date"  # a candidate time column
        else:
            kind = "category" if distinct <= MAX_ONEHOT else "text"
        columns.append({"name": name, "kind": kind, "distinct": distinct,
                        "missing": int(col.isna().sum()),
                        "example": values.iloc[0] if len(values) else None})
    return {"delimiter": delim, "encoding": probe["encoding"], "sample_rows": len(frame),
            "columns": columns}


def _reader_failure(path: Path, read_encoding: str, delim: str, header: list, exc) -> None:
    """Raise the clearest message for a sample read that failed: the field-count scan of
    :func:`check_fields` names a ragged row or an unclosed quote; anything else is one line."""
    from types import SimpleNamespace

    stand_in = SimpleNamespace(path=path, read_encoding=read_encoding, delimiter=delim,
                               header=header)
    check_fields(stand_in, limits.SAMPLE_ROWS)  # raises for a ragged row or an unclosed quote
    raise csv_error(f"{path.name} cannot be read as CSV ({reader_text(exc, may_quote(path))})",
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
