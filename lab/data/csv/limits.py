"""Limits and places of CSV reading: sizes, chunk and sniff lengths, the allowed parameters,
and the upload folder.

The other CSV modules read the tunable ones (``SAMPLE_ROWS``, ``CHUNK_ROWS``, ``SNIFF_BYTES``,
``MAX_HEADER_BYTES``, ``MAX_COLUMNS``, ``SCAN_BLOCK``, ``UPLOAD_DIR``) as ``limits.NAME`` at
call time, so that one assignment here (a test, a deployment) changes them everywhere.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

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
MISSING_FIX = ("fill it in, or set stream.params.missing to impute_mean, impute_median or "
                "drop_rows")


# --------------------------------------------------------------------------------------------
# What a message may quote from a file
# --------------------------------------------------------------------------------------------
UPLOAD_DIR = Path(tempfile.gettempdir()) / "driftlab-uploads"  # = ui.upload's upload folder
