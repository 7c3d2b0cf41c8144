"""The sweep's task store ``OUT/runs/<key>.json`` and its atomic writes.

A task's record is written to a temporary file and renamed, so a sweep killed at any moment
leaves whole records or none; a record is reused only when it is this task's (same normalised
config, same :data:`STORE_FORMAT`) and was made with the same library versions.
"""

from __future__ import annotations

import functools
import json
import os
import tempfile
from pathlib import Path

ANSWER_FILE = "answer.json"  # the --target answer, next to the tables (lab.sweep.answer)

# Bump when a stored task's content changes meaning: old keys stop matching. 2: the tables read
# the cost ledger (``cost``, ``cost_total``) and the scores from every record, which records made
# before the ledger existed lack.
STORE_FORMAT = 2


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file and a rename: readers (a resumed
    sweep, the app) see the old file or the new one, never half of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def start_sweep_folder(out: Path, plan_json: str) -> None:
    """Write ``sweep.json``; if it describes another sweep than the folder's previous one, first
    delete that sweep's ``sweep.csv`` / ``sweep_summary.csv``, so the folder never pairs one
    sweep's plan with another's tables (the task store ``runs/`` is keyed, so it stays).

    ``answer.json`` is deleted whatever the plan: it answers the command that wrote it (``--target``
    of ``python -m lab sweep``), which writes it again once the tables are written, so an answer
    never sits next to tables it was not computed from."""
    try:
        previous = (out / "sweep.json").read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        previous = None
    if previous != plan_json:
        for name in ("sweep.csv", "sweep_summary.csv"):
            try:
                os.unlink(out / name)
            except FileNotFoundError:
                pass
    try:
        os.unlink(out / ANSWER_FILE)
    except FileNotFoundError:
        pass
    write_atomic(out / "sweep.json", plan_json)


@functools.lru_cache(maxsize=1)
def library_versions() -> dict:
    """The versions a record must match to be reused (asked once per process)."""
    from lab.race.metrics import versions

    return versions()


def load_stored(runs: Path, key: str, config: dict) -> dict | None:
    """The stored record of the task ``key`` (whose normalised config is ``config``), or None if
    missing, unreadable, not this task's, or made with other versions of lab / river /
    scikit-learn / numpy (whose numbers may differ)."""
    try:
        record = json.loads((runs / f"{key}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if (not isinstance(record, dict) or record.get("format") != STORE_FORMAT
            or record.get("config") != config or not record.get("ok")
            or record.get("versions") != library_versions()):
        return None
    return record
