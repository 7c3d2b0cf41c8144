"""Opening a CSV file safely: the path, ``stream.params``, the encoding, the header line
(bounded), the delimiter, and the column list that a message shows.
"""

from __future__ import annotations

import codecs
import collections
import csv
import difflib
import io
import os
import re
from pathlib import Path
from typing import Any

from lab.data.csv import limits
from lab.data.csv.frame import NOT_QUOTED, show_value
from lab.data.csv.limits import CSV_PARAMS, DEFAULT_MAX_MB, DELIMITERS, MISSING
from lab.spec.checks import check_number, check_object, describe
from lab.spec.errors import ConfigError


def size_text(size: int) -> str:
    return f"{size / 1e6:,.1f} MB" if size >= 100_000 else f"{size:,} bytes"


def csv_error(problem: str, fix: str, path: str = "stream.source") -> ConfigError:
    return ConfigError(path, problem, fix)


def resolve_path(text: str) -> Path:
    if not text.strip():
        raise csv_error("'csv:' needs a file path", "write e.g. \"csv:data/my_stream.csv\"")
    if not text.isprintable():
        raise csv_error(f"the CSV path {show_value(text, 60)} contains control characters",
                   "give a plain file path")
    path = Path(text).expanduser()
    try:
        exists, is_dir = path.exists(), path.is_dir()
    except (OSError, ValueError) as exc:
        raise csv_error(f"cannot use the CSV path {show_value(text, 60)} ({exc})",
                        "give a valid file path") from exc
    if not exists:
        raise csv_error(f"CSV file {show_value(text, 60)} does not exist "
                   "(relative paths start from "
                   f"{show_value(os.getcwd(), 60)})", "check the path")
    if is_dir:
        raise csv_error(f"{show_value(text, 60)} is a folder, not a CSV file",
                        "give the path of a file")
    if not path.is_file():  # a device or a pipe could block the reader forever
        raise csv_error(f"{show_value(text, 60)} is not a regular file",
                        "give the path of a CSV file")
    return path


def check_csv_params(raw: Any) -> dict:
    params = check_object(raw if raw is not None else {}, "stream.params", CSV_PARAMS,
                           required=("target",), fix="write e.g. {\"target\": \"label\"}")
    out: dict[str, Any] = {}
    target = params["target"]
    if not isinstance(target, str) or not target:
        raise csv_error(f"must be a column name, got {describe(target)}",
                   "give the name of the column with the class labels", "stream.params.target")
    out["target"] = target
    features = params.get("features")
    if features is not None:
        if (not isinstance(features, list) or not features
                or not all(isinstance(f, str) and f for f in features)):
            raise csv_error(f"must be a non-empty list of column names, got {describe(features)}",
                       "write e.g. [\"x1\", \"x2\"], or leave it out to use every other column",
                       "stream.params.features")
        twice = sorted(f for f, k in collections.Counter(features).items() if k > 1)
        if twice:
            raise csv_error(f"lists {show_value(twice[0], 40)} twice", "list each column once",
                       "stream.params.features")
        if target in features:
            raise csv_error(f"contains the target column {show_value(target, 40)}",
                       "a column cannot be both the target and a feature; remove it",
                       "stream.params.features")
    out["features"] = features
    time = params.get("time")
    if time is not None and (not isinstance(time, str) or not time):
        raise csv_error(f"must be a column name or null, got {describe(time)}",
                   "give the column to order the rows by, or leave it out",
                   "stream.params.time")
    if time is not None and time == target:
        raise csv_error(f"is the target column {show_value(target, 40)}",
                   "order by another column, or leave it out", "stream.params.time")
    out["time"] = time
    missing = params.get("missing", "reject")
    if missing not in MISSING:
        raise csv_error(f"got {describe(missing)}", f"use one of: {', '.join(MISSING)}",
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
            raise csv_error(f"must be one character, got {describe(delimiter)}",
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
        raise csv_error(f"unknown encoding {describe(encoding)}", _ENCODING_FIX,
                   "stream.params.encoding") from None
    if not getattr(info, "_is_text_encoding", True) or info.name in _NOT_FILE_CODECS:
        raise csv_error(f"{describe(encoding)} is not an encoding of text files (Python's "
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
        raise csv_error(f"{describe(encoding)} is not supported: the CSV reader needs delimiters, "
                   "quotes and line breaks as single ASCII bytes, which "
                   f"{'its escape sequences do' if stateful else 'this code page does'} not keep",
                   f"convert the file to UTF-8 first (e.g. iconv -f {info.name} -t utf-8), "
                   "or use utf-16", "stream.params.encoding")
    return encoding


def sniff_bytes(path: Path, name: str, encoding: str,
                 quote: bool = True) -> tuple[str, str, int]:
    """(text, the encoding to read with, where the header ends in the text).

    The text is the whole first record (the header, however long: a file of 6,000 columns with
    long names has a header of hundreds of KiB) plus up to :data:`limits.SNIFF_BYTES` after it, for
    sniffing the delimiter. The header ends at the first line break (``\\n``, ``\\r\\n`` or a lone
    ``\\r`` of old Mac files) outside double quotes; it may not be longer than
    :data:`limits.MAX_HEADER_BYTES`, so a file that is one huge line is refused after reading that
    much,
    not read whole. Refuses binary files (a NUL byte in what is read) and wrong encodings.
    """
    try:
        with open(path, "rb") as fh:
            return _read_head(fh, name, encoding, quote)
    except OSError as exc:
        raise csv_error(f"cannot read {name} ({exc.strerror or type(exc).__name__})",
                   "check the file's permissions") from None


# C0 control bytes that no text file holds (tab, line breaks, form feed and Ctrl-Z excepted)
_CONTROL_BYTES = (*range(1, 9), 0x0b, *range(0x0e, 0x1a), *range(0x1b, 0x20))
_BREAK_OR_QUOTE = re.compile(r'["\r\n]')
_LINE_BREAK_BYTES = re.compile(rb"\r\n|\r|\n")


def _read_head(fh, name: str, encoding: str, quote: bool) -> tuple[str, str, int]:
    """See :func:`sniff_bytes`."""
    head = fh.read(limits.SNIFF_BYTES)
    if not head.strip():
        raise csv_error(f"{name} is empty", "give a CSV file with a header line and data rows")
    if head.startswith(b"\x1f\x8b"):
        raise csv_error(f"{name} is gzip-compressed", "decompress it first (gunzip)")
    if head.startswith(b"PK\x03\x04"):
        raise csv_error(f"{name} is a zip archive (an Excel .xlsx file is one), not a CSV file",
                   "export the sheet as CSV, or unzip the archive")
    codec = codecs.lookup(encoding).name
    wide = codec.startswith(("utf-16", "utf-32"))
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) and not wide:
        raise csv_error(f"{name} is UTF-16 encoded (it starts with a UTF-16 byte-order mark)",
                   "set stream.params.encoding to \"utf-16\"", "stream.params.encoding")
    if head.startswith(codecs.BOM_UTF8) and not codec.startswith("utf-8"):
        raise csv_error(f"{name} is UTF-8 encoded (it starts with a UTF-8 byte-order mark), not "
                   f"{describe(encoding)}", "set stream.params.encoding to \"utf-8\"",
                   "stream.params.encoding")
    if not wide and b"\x00" not in head:  # (a NUL byte gets its own message below)
        controls = sum(head.count(bytes([b])) for b in _CONTROL_BYTES)
        if controls >= 8 and controls > len(head) // 100:
            raise csv_error(f"{name} looks like binary data ({controls:,} control bytes "
                       "in its first "
                       f"{size_text(len(head))}), not CSV text",
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
        eof = len(block) < limits.SNIFF_BYTES
        data += block
        if not wide and b"\x00" in block:
            offset = len(data) - len(block) + block.index(b"\x00")
            raise csv_error(f"{name} contains binary data (a NUL byte at byte {offset:,}), not CSV "
                       "text", "give a text CSV file (export it as CSV from the program that "
                               "made it)")
        try:
            piece = decoder.decode(bytes(block), final=eof)
        except UnicodeDecodeError as exc:
            start = len(data) - len(exc.object) + exc.start
            raise encoding_error(name, encoding, bytes(data), start, quote) from None
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
        if eof or (header_end is None and len(data) >= limits.MAX_HEADER_BYTES):
            break
        block = fh.read(limits.SNIFF_BYTES)
    text = "".join(parts)
    if header_end is None:
        if first_break is not None and inside:
            header_end = first_break  # an unclosed quote: the csv module reads it as text
        elif eof:
            header_end = len(text)  # the file is one line
        else:
            raise csv_error(f"the first line of {name} is longer than "
                       f"{limits.MAX_HEADER_BYTES // 2**20} MiB (no line break in it)",
                       "give a CSV file with one row per line and a header of at most "
                       f"{limits.MAX_COLUMNS:,} column names")
    return text, read_encoding, header_end


def encoding_error(name: str, encoding: str, data: bytes, start: int | None,
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
    return csv_error(f"{name} is not valid {encoding} text ({where})",
                f"set stream.params.encoding to the file's encoding, probably \"{guess}\"",
                "stream.params.encoding")


_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def sniff_delimiter(text: str) -> str:
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


def header_names(text: str, header_end: int, delimiter: str, name: str) -> list[str]:
    """The column names of the header, ``text[:header_end]`` (see :func:`sniff_bytes`); [] when
    there are none. A UTF-8/16 byte-order mark read as a character is not part of the first
    name. Refuses more than :data:`limits.MAX_COLUMNS` columns before building the list of names."""
    line = text[:header_end]
    if '"' not in line and line.count(delimiter) >= limits.MAX_COLUMNS:
        raise csv_error(f"{name} has {line.count(delimiter) + 1:,} columns, more than "
                   f"{limits.MAX_COLUMNS:,}",
                   "keep the needed columns only (e.g. with cut or pandas)")
    try:
        names = next(csv.reader(io.StringIO(line, newline=""), delimiter=delimiter), [])
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            raise csv_error(f"{name}: a column name in the header is longer than "
                       f"{csv.field_size_limit():,} characters",
                       "shorten the column names") from None
        return []
    if len(names) > limits.MAX_COLUMNS:
        raise csv_error(f"{name} has {len(names):,} columns, more than {limits.MAX_COLUMNS:,}",
                   "keep the needed columns only (e.g. with cut or pandas)")
    if names and names[0].startswith("\ufeff"):
        names[0] = names[0][1:]
    return names


def columns_text(missing: str, header, quote: bool) -> str:
    """What the header holds instead of ``missing``: a close match and the first names, or, for
    a file whose contents are not quoted (:func:`may_quote`), the number of columns only."""
    if not quote:
        count = f"{len(header):,} column{'s' if len(header) != 1 else ''}"
        return f"its header has {count} ({NOT_QUOTED})"
    close = difflib.get_close_matches(missing, list(header), n=1, cutoff=0.6)
    suggestion = f"did you mean {show_value(close[0], 40)}? " if close else ""
    shown = ", ".join(f"{show_value(h, 40)}" for h in header[:12])
    more = f" and {len(header) - 12:,} more" if len(header) > 12 else ""
    return f"{suggestion}the columns are {shown}{more}"
