"""The output files of a run (``docs/outputs.md``), as text and on disk.

The CLI writes these files and the app's download buttons serve the very same strings, so a
download and ``python -m lab run`` agree byte for byte (but for measured CPU seconds).

On disk a run's folder is replaced as a whole, never file by file, so that an interruption at
any moment (Ctrl-C, ``kill -9``, a full disk) leaves either the previous complete set of files or
the new complete set, never a mix of two runs and never a truncated file:

1. :func:`check_out_dir` runs *before* the race: it refuses ``""``, ``"."``, the current folder
   or one of its parents, an existing file, a missing or read-only parent folder, and a folder
   holding files Driftlab does not write (replacing the folder would delete them). It also
   finishes what an interrupted earlier run left behind (see below).
2. :func:`replace_folder` writes every file into a fresh hidden folder next to ``DIR``
   (``.DIR.driftlab-new-XXXX``, same file system, so renaming is atomic), flushes it to disk,
   then swaps it with ``DIR``: on Linux with ``renameat2(RENAME_EXCHANGE)``, which exchanges two
   paths in one atomic step, then deletes the old folder (now under the temporary name).
   Where the exchange is not available (another OS, a file system without it) it renames
   ``DIR`` to ``.DIR.driftlab-old-XXXX``, the new folder to ``DIR``, and deletes the old one:
   between those two renames ``DIR`` does not exist for a moment, but both complete sets do.
3. Recovery: the next :func:`check_out_dir` of the same ``DIR`` puts a ``driftlab-old`` folder
   back as ``DIR`` if ``DIR`` is missing (that moment was interrupted), then deletes every
   leftover ``driftlab-new`` / ``driftlab-old`` folder of ``DIR``.

Two runs writing the same ``DIR`` at the same time are not supported: the later check may
delete the other run's temporary folder, whose swap then fails with a one-line error.
"""

from __future__ import annotations

import ctypes
import errno
import json
import os
import shutil
import tempfile
import uuid
from pathlib import Path

from lab.race.archive import PREDICTIONS_FILE, frame_csv, predictions_csv
from lab.race.engine import RaceResult
from lab.race.metrics import events_frame, summarise, timeline_frame
from lab.race.report import REPORT_FILE, report_html
from lab.race.ties import noise_from_result
from lab.spec.errors import ConfigError

RUN_FILES = ("summary.json", "timeline.csv", "events.csv", "config.json")
STREAM_FILE = "stream.csv"  # only with dump_stream / --dump-stream
# every name a run folder may hold: the optional files are PREDICTIONS_FILE (--predictions)
# and REPORT_FILE (--report)
OUTPUT_FILES = (*RUN_FILES, STREAM_FILE, PREDICTIONS_FILE, REPORT_FILE)
NEW_TAG = ".driftlab-new-"  # hidden folder being written:  .DIR.driftlab-new-XXXX
OLD_TAG = ".driftlab-old-"  # previous set during a swap:   .DIR.driftlab-old-XXXX


def summary_json(result: RaceResult, summary: dict | None = None) -> str:
    return json.dumps(summary or summarise(result), indent=2) + "\n"


def timeline_csv(result: RaceResult) -> str:
    return frame_csv(timeline_frame(result))


def events_csv(result: RaceResult) -> str:
    return frame_csv(events_frame(result))


def stream_csv(result: RaceResult) -> str:
    """The samples as served: one column per feature, named as the stream names them (a
    generator's own names, e.g. Agrawal's ``salary``; ``x0``, ``x1``, ... for the generators
    that only number their features; a data set's or CSV's column names), then ``y`` and
    ``concept``."""
    return frame_csv(result.stream.to_frame())


def config_json(result: RaceResult) -> str:
    return result.experiment.to_json() + "\n"


def output_texts(result: RaceResult, dump_stream: bool = False, predictions: bool = False,
                 report: bool = False) -> tuple[dict, dict[str, str]]:
    """``(summary, {file name: text})``: every output file of a run, in memory; stream.csv,
    predictions.csv and report.html only when asked for (they grow with the stream)."""
    summary = summarise(result)
    files = {"summary.json": summary_json(result, summary), "timeline.csv": timeline_csv(result),
             "events.csv": events_csv(result), "config.json": config_json(result)}
    if dump_stream:
        files[STREAM_FILE] = stream_csv(result)
    if predictions:
        files[PREDICTIONS_FILE] = predictions_csv(result)
    if report:
        files[REPORT_FILE] = report_html(summary, timeline_frame(result), events_frame(result),
                                         result.stream.to_frame(),
                                         noise=noise_from_result(result, summary))
    return summary, files


def write_outputs(result: RaceResult, out_dir: str | Path, dump_stream: bool = False,
                  predictions: bool = False, report: bool = False) -> dict:
    """Replace ``out_dir`` with summary.json, timeline.csv, events.csv, config.json (and
    stream.csv, predictions.csv, report.html when asked for) in one atomic step (see the module
    docstring); return the summary.

    Raises :class:`ConfigError` for an unusable ``out_dir`` and ``OSError`` if writing fails.
    """
    out = check_out_dir(out_dir)
    summary, files = output_texts(result, dump_stream, predictions, report)
    replace_folder(out, files)
    return summary


# --------------------------------------------------------------------------------------------
# Checking the folder before the race
# --------------------------------------------------------------------------------------------
def _short(text: str, limit: int = 60) -> str:
    text = str(text)
    return text if len(text) <= limit else f"{text[:limit - 3]}..."


def _leftovers(out: Path, tag: str) -> list[Path]:
    """The hidden work folders an interrupted run left next to ``out``, newest first."""
    prefix = f".{out.name}{tag}"
    try:
        found = [p for p in out.parent.iterdir() if p.name.startswith(prefix) and p.is_dir()
                 and not p.is_symlink()]
    except OSError:
        return []
    return sorted(found, key=lambda p: p.stat().st_mtime, reverse=True)


def recover(out: Path) -> None:
    """Finish what an interrupted swap of ``out`` left: restore the old complete set if ``out``
    is missing, then delete every leftover work folder of ``out``."""
    old = _leftovers(out, OLD_TAG)
    if old and not os.path.lexists(out):
        os.rename(old.pop(0), out)
    for folder in old + _leftovers(out, NEW_TAG):
        shutil.rmtree(folder, ignore_errors=True)


def check_out_dir(out_dir: str | Path,
                  allowed: tuple[str, ...] | None = OUTPUT_FILES,
                  option: str = "--out") -> Path:
    """The absolute folder a run may replace, checked before any work: one-line
    :class:`ConfigError` naming the problem otherwise.

    ``allowed`` are the only names an existing folder may hold: anything else (a user's own
    files, a sweep's ``runs/``) would be deleted by the swap, so such a folder is refused.
    ``None`` skips that check (a sweep adds to its folder and replaces nothing in it).
    """
    shown = _short(out_dir)
    fix = "name a folder for the results, e.g. --out results/run1"
    if str(out_dir).strip() == "":
        raise ConfigError(option, "is empty", fix)
    raw = Path(out_dir)
    if raw.name in ("", ".", ".."):  # "." "..", "a/..", "/": the folder must have a name
        raise ConfigError(option, f"{shown} names no folder of its own", fix)
    out = Path(os.path.abspath(raw))
    if out.is_symlink():  # write where the link points, so the link itself survives
        out = out.resolve()
    cwd = Path.cwd().resolve()
    if out.resolve() == cwd or out.resolve() in cwd.parents:
        raise ConfigError(option, f"{shown} is the current folder or contains it", fix)
    parent = out.parent
    # created like `mkdir -p`, as `--out results/run1` in a fresh checkout needs
    if not parent.is_dir():
        blocker = next((p for p in (parent, *parent.parents) if os.path.lexists(p)), None)
        if blocker is not None and not blocker.is_dir():
            raise ConfigError(option, f"{_short(blocker)} is a file, not a folder",
                              f"give a path whose folders are folders, or {fix}")
        try:
            parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ConfigError(option, f"cannot create the folder {_short(parent)} "
                                      f"({exc.strerror or exc})",
                              "give a folder you can write to") from None
    try:  # really try: permissions, a read-only or pseudo file system (/proc), quotas
        os.rmdir(tempfile.mkdtemp(prefix=f".{out.name}{NEW_TAG}", dir=parent))
    except OSError as exc:
        raise ConfigError(option, f"cannot write to the folder {_short(parent)} "
                                  f"({exc.strerror or exc})", "give a folder you can write to"
                          ) from None
    try:
        recover(out)
    except OSError as exc:
        raise ConfigError(option, f"cannot tidy up after an earlier interrupted run in "
                                  f"{_short(parent)} ({exc.strerror or exc})",
                          "give a folder you can write to") from None
    if os.path.lexists(out) and not out.is_dir():
        raise ConfigError(option, f"{shown} is a file, not a folder",
                          "give a folder name (it is created if missing)")
    if out.is_dir() and allowed is not None:
        try:
            foreign = sorted(p.name for p in out.iterdir()
                             if p.name not in allowed or not p.is_file() or p.is_symlink())
        except OSError as exc:
            raise ConfigError(option, f"cannot read the folder {shown} ({exc.strerror or exc})",
                              "give a folder you can write to") from None
        if foreign:
            listed = ", ".join(_short(name, 30) for name in foreign[:3])
            more = f" and {len(foreign) - 3} more" if len(foreign) > 3 else ""
            raise ConfigError(option, f"{shown} holds files Driftlab does not write ({listed}"
                                      f"{more}); a run replaces the whole folder",
                              "give a new or empty folder, or the folder of an earlier run")
    return out


# --------------------------------------------------------------------------------------------
# Writing and swapping
# --------------------------------------------------------------------------------------------
def _write_file(path: Path, text: str) -> None:
    """Write one file and flush it to disk (bytes exactly as given: no newline translation)."""
    with open(path, "wb") as fh:
        fh.write(text.encode("utf-8"))
        fh.flush()
        os.fsync(fh.fileno())


def _fsync_dir(path: Path) -> None:
    """Make a folder's entries (new names, renames) durable; a no-op where unsupported."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def _exchange(a: Path, b: Path) -> bool:
    """Swap the paths ``a`` and ``b`` in one atomic step (Linux ``renameat2`` with
    ``RENAME_EXCHANGE``); False where the OS, C library or file system lacks it."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p,
                          ctypes.c_uint]
    renameat2.restype = ctypes.c_int
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP, errno.ENOTSUP):
        return False
    raise OSError(err, os.strerror(err), str(b))


def _swap_into_place(new: Path, out: Path) -> None:
    """Make the complete folder ``new`` become ``out``; the previous ``out`` is deleted."""
    if not os.path.lexists(out):
        os.rename(new, out)
    elif _exchange(new, out):
        shutil.rmtree(new, ignore_errors=True)  # ``new`` now holds the previous set
    else:
        backup = out.parent / f".{out.name}{OLD_TAG}{uuid.uuid4().hex[:8]}"
        os.rename(out, backup)
        os.rename(new, out)  # interrupted before this line: recover() restores ``backup``
        shutil.rmtree(backup, ignore_errors=True)
    _fsync_dir(out.parent)


def replace_folder(out: str | Path, files: dict[str, str]) -> list[str]:
    """Replace the folder ``out`` by one holding exactly ``files`` (name -> text), atomically
    (see the module docstring); return the names written, in order.

    Call :func:`check_out_dir` first: this function trusts ``out``. On any error or interrupt
    the temporary folder is removed and ``out`` is left as it was.
    """
    out = Path(out)
    new = Path(tempfile.mkdtemp(prefix=f".{out.name}{NEW_TAG}", dir=out.parent))
    try:
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(new, 0o777 & ~umask)  # mkdtemp makes it private; a run folder is not
        for name, text in files.items():
            _write_file(new / name, text)
        _fsync_dir(new)
        _swap_into_place(new, out)
    except BaseException:
        if not os.path.lexists(out):  # stopped between the two renames of the fallback
            recover(out)
        shutil.rmtree(new, ignore_errors=True)
        raise
    return list(files)
