"""The CSV plan and the reads: :func:`check_csv` (checked on the first ``SAMPLE_ROWS`` rows at
config time, cached per file), :func:`check_fields` (the field-count scan that names a ragged
row), and :func:`load_csv` (the full chunked read, once, reused by the stream).
"""

from __future__ import annotations

import codecs
import collections
import re
import warnings
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from lab.data.csv import limits
from lab.data.csv.frame import (
    NOT_QUOTED,
    Accumulator,
    FramePlan,
    Voice,
    column_time_kind,
    kind_of,
    may_quote,
    show_value,
)
from lab.data.csv.limits import DEFAULT_MAX_MB, DELIMITERS, MAX_ONEHOT, MISSING
from lab.data.csv.sniff import (
    check_csv_params,
    columns_text,
    csv_error,
    encoding_error,
    header_names,
    resolve_path,
    size_text,
    sniff_bytes,
    sniff_delimiter,
)
from lab.data.realdata import RealData
from lab.spec.errors import ConfigError


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
    frame_plan: FramePlan
    sample_rows: int  # rows read at config time
    complete: bool  # the sample was the whole file
    n_rows: int | None  # usable rows, when known

    @property
    def params(self) -> dict:
        """The normalised ``stream.params``: every choice explicit."""
        return {"target": self.target, "features": list(self.features), "time": self.time,
                "missing": self.missing, "max_mb": self.max_mb, "delimiter": self.delimiter,
                "encoding": self.encoding}


_PLANS: dict[tuple, CsvPlan] = {}
_LOADED: dict[tuple, tuple[Accumulator, bool]] = {}  # one full read, reused by make_stream


def _file_key(path: Path, params: dict) -> tuple:
    stat = path.stat()
    return (str(path.resolve()), stat.st_size, stat.st_mtime_ns,
            tuple((k, tuple(v) if isinstance(v, list) else v) for k, v in params.items()))


def check_csv(path_text: str, raw_params: Any = None) -> CsvPlan:
    """Check a CSV source cheaply: file, size, encoding, delimiter, header, columns, first rows.

    Results are cached per file state (path, size, modification time) and parameters, so the
    app can re-validate its config on every rerun for free.
    """
    path = resolve_path(path_text)
    params = check_csv_params(raw_params)
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
        raise csv_error(f"{name} is {size_text(size)}, over the limit of {params['max_mb']:g} MB",
                   "raise stream.params.max_mb, or cut the file (e.g. its first rows or the "
                   "needed columns)")
    quote = may_quote(path)
    text, read_encoding, header_end = sniff_bytes(path, name, params["encoding"], quote)
    delimiter = params["delimiter"] or sniff_delimiter(text)
    header = header_names(text, header_end, delimiter, name)
    if not header or not any(h.strip() for h in header):
        raise csv_error(f"{name} has no header line", "put the column names on the first line")
    needed_names = {params["target"], params["time"], *(params["features"] or [])} - {None}
    if len(header) == 1:
        others = [d for d in DELIMITERS if d != delimiter and d in header[0]]
        if others:
            shown = "tab" if others[0] == "\t" else f"'{others[0]}'"
            value = "\\t" if others[0] == "\t" else others[0]
            raise csv_error(f"{name} looks like {shown}-separated, not "
                       f"{'tab' if delimiter == chr(9) else repr(delimiter)}-separated (its "
                       f"header is one column: "
                       f"{show_value(header[0], 40) if quote else 'not quoted, see below'})",
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
            named = f"named {show_value(dup)}" if quote or dup in needed_names else "of one name"
            raise csv_error(f"{name} has {len(where):,} columns {named} (columns "
                       f"{', '.join(map(str, where[:10]))}{', ...' if len(where) > 10 else ''})",
                       "give every column its own name in the header")
    for role, column in (("target", params["target"]), ("time", params["time"])):
        if column is not None and column not in in_header:
            raise csv_error(f"column {show_value(column)} is not in {name}; "
                       f"{columns_text(column, header, quote)}",
                       "use one of the file's column names", f"stream.params.{role}")
    for column in features:
        if column not in in_header:
            raise csv_error(f"column {show_value(column)} is not in {name}; "
                       f"{columns_text(column, header, quote)}",
                       "use the file's column names", "stream.params.features")
        if not column.strip():
            raise csv_error(f"{name}: column {positions[column] + 1} has no name",
                       "name it in the header, or list the columns to use in "
                       "stream.params.features")
    if not features:
        raise csv_error(f"{name} has no feature columns besides the target", "add feature columns",
                   "stream.params.features")
    features = tuple(features)
    voice = Voice(quote, frozenset(needed_names), positions)
    base = CsvPlan(path=path, key=key, size=size, encoding=params["encoding"],
                   read_encoding=read_encoding, delimiter=delimiter, header=tuple(header),
                   target=params["target"], features=features, time=params["time"],
                   missing=params["missing"], max_mb=params["max_mb"],
                   frame_plan=FramePlan(features, {}, voice=voice), sample_rows=0,
                   complete=False, n_rows=None)
    # the first rows, read the way the full read will read them
    check_fields(base, limits.SAMPLE_ROWS)
    sample = _read_sample(base, positions)
    if sample.empty:
        raise csv_error(f"{name} has a header but no data rows", "add data rows below the header")
    where = f"{name}: "
    kinds = {f: kind_of(sample[f], f, 0, where, voice) for f in features}
    time_kind, time_format = "numeric", None
    if params["time"] is not None:
        time_kind, time_format = column_time_kind(sample[params["time"]], params["time"], where,
                                            voice)
    frame_plan = FramePlan(features, kinds, params["target"], params["time"], time_kind,
                            time_format, params["missing"], voice)
    plan = replace(base, frame_plan=frame_plan)
    complete = len(sample) < limits.SAMPLE_ROWS
    acc = Accumulator(frame_plan, where=where)
    with _reading(plan):  # again, exactly as the full read will read it
        _feed(acc, plan,
              [pd.read_csv(path, nrows=limits.SAMPLE_ROWS, **_reader_args(plan, positions))])
    if complete:
        acc.finish(None, where=name)  # small files are checked completely here
        _remember(plan.key, acc, True)
    return replace(plan, sample_rows=len(sample), complete=complete,
                   n_rows=acc.kept if complete else None)


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
            block = fh.read(limits.SCAN_BLOCK)
            last = not block
            if last:
                if parity:
                    raise csv_error(f"{plan.path.name}: data row {row + 1} opens a quote (\") "
                               "that is "
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
                    raise csv_error(f"{plan.path.name}: data row {r} has {got} fields, the header "
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
        chunk = pd.read_csv(plan.path, nrows=limits.SAMPLE_ROWS, **args)
    frame, labels = _rename(chunk, plan, positions)
    return pd.concat([frame, labels.rename(plan.target)], axis=1)  # no column-by-column insert


def _feed(acc: Accumulator, plan: CsvPlan, chunks) -> None:
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
            raise encoding_error(name, self.plan.encoding, exc.object, None) from None
        if isinstance(exc, pd.errors.ParserError):
            text = str(exc).replace("Error tokenizing data. C error: ", "").strip().rstrip(".")
            match = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", text)
            if match:
                raise csv_error(f"{name} line {match[2]} has {match[3]} fields, the header has "
                           f"{match[1]}", "quote fields that contain the delimiter, or fix that "
                                          "line") from None
            if "EOF inside string" in text:
                raise csv_error(f"{name} has a quote (\") that is never closed ({text.lower()})",
                           "close the quoted field, or remove the stray quote") from None
            raise csv_error(f"{name} cannot be read as CSV ({reader_text(text, quote)})",
                       "check the delimiter, quoting and line structure") from None
        if isinstance(exc, pd.errors.EmptyDataError):
            raise csv_error(f"{name} is empty",
                            "give a CSV file with a header line and data rows") \
                from None
        if isinstance(exc, MemoryError):
            raise csv_error(f"{name} does not fit in memory",
                            "use fewer rows (stream.n_samples) or "
                            "fewer feature columns") from None
        if isinstance(exc, (OSError, ValueError)):
            raise csv_error(f"{name} cannot be read ({reader_text(exc, quote)})",
                       "check the file, its delimiter and its encoding") from None
        return False


def reader_text(exc, quote: bool) -> str:
    """The reader's own words about a failure, which may quote the file: for a file whose contents
    are not quoted (:func:`may_quote`), the kind of failure only."""
    if quote:
        return show_value(str(exc), 80)
    return (f"{type(exc).__name__}; details not shown" if isinstance(exc, BaseException)
            else "details not shown") + f": {NOT_QUOTED}"


def _remember(key: tuple, acc: Accumulator, complete: bool) -> None:
    _LOADED.clear()  # keep one file's arrays at most
    _LOADED[key] = (acc, complete)


def load_plan_rows(plan: CsvPlan, n: int | None) -> Accumulator:
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
    acc = Accumulator(plan.frame_plan, limit=n, where=f"{plan.path.name}: ")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with _reading(plan):
            with pd.read_csv(plan.path, chunksize=limits.CHUNK_ROWS,
                             **_reader_args(plan, positions)) as reader:
                _feed(acc, plan, reader)
    _remember(plan.key, acc, not acc.done)
    return acc


def count_csv_rows(plan: CsvPlan) -> int:
    """Usable rows of the whole file (reads it once; the read is kept for the stream)."""
    if plan.n_rows is not None:
        return plan.n_rows
    return load_plan_rows(plan, None).kept


def load_csv(path_text: str, params: Any = None, n: int | None = None) -> RealData:
    """The first ``n`` rows (all by default) of a CSV file as arrays, every value checked."""
    plan = check_csv(path_text, params)
    acc = load_plan_rows(plan, n)
    data = acc.finish(n, where=plan.path.name)
    return data


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
