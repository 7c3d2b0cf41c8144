"""Where uploaded files live on the server: one folder per browser session under a shared
root, a size cap over all of them, a sweeper that removes the folders of ended sessions, and the
staging of a bundle's data file (streamlit only for the session id).

Split from :mod:`ui.upload` (the CSV mapping widgets), which calls these.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import threading
import time
import uuid
import weakref
from pathlib import Path

import streamlit as st

from lab.data.csv import limits
from lab.spec.errors import ConfigError
from ui import keys as K

ss = st.session_state


def session_id() -> str:
    if K.UPLOAD_SESSION not in ss:
        ss[K.UPLOAD_SESSION] = uuid.uuid4().hex
    return ss[K.UPLOAD_SESSION]


def safe_name(name: str) -> str:
    """A file name that cannot leave its folder: letters, digits, ``._-`` only.

    >>> safe_name("../../etc/passwd"), safe_name("My data (2).csv"), safe_name("")
    ('passwd', 'My_data_2_.csv', 'upload.csv')
    """
    base = re.split(r"[\\/]", str(name or ""))[-1]
    base = re.sub(r"[^A-Za-z0-9._-]+", "_", base).lstrip("._-")[:80]
    return base or "upload.csv"


OWNER = ".owner"  # "<server pid> <streamlit session id>" in each session folder
try:  # seconds between two background sweeps (env DRIFTLAB_UPLOAD_SWEEP_S, 60)
    SWEEP_EVERY_S = max(0.2, float(os.environ.get("DRIFTLAB_UPLOAD_SWEEP_S", "60")))
except ValueError:
    SWEEP_EVERY_S = 60.0
ORPHAN_AGE_S = 3600  # a session folder without a readable owner, older than this, is removed
_lock = threading.Lock()  # one save / sweep at a time in this server process
_sweeper: threading.Thread | None = None


def upload_root() -> Path:
    """The core's :data:`lab.data.csv.limits.UPLOAD_DIR`: files there are the user's own, so CSV
    error
    messages may quote them."""
    return limits.UPLOAD_DIR


def upload_folder(session: str) -> Path:
    return upload_root() / session


def max_total_bytes() -> int:
    """The cap on all sessions' uploads together (env ``DRIFTLAB_UPLOAD_TOTAL_MB``, 1,000)."""
    try:
        mb = float(os.environ.get("DRIFTLAB_UPLOAD_TOTAL_MB", "1000"))
    except ValueError:
        mb = 1000.0
    return int(max(0.0, mb) * 1e6)


def _folder_bytes(folder: Path) -> int:
    total = 0
    for path in folder.rglob("*"):
        try:
            if path.is_file():
                total += path.stat().st_size
        except OSError:
            pass  # removed meanwhile
    return total


def _streamlitsession_id() -> str:
    try:
        from streamlit.runtime.scriptrunner import get_script_run_ctx

        ctx = get_script_run_ctx()
        return ctx.session_id if ctx is not None else ""
    except Exception:  # noqa: BLE001 - outside a script run
        return ""


def live_session_ids() -> set[str] | None:
    """Ids of the sessions this server still holds (active or waiting for a reconnect), or
    None when that cannot be known (no server: AppTest, a plain import).

    Streamlit has no public API for it: ``Runtime._session_mgr.list_sessions()`` is read
    defensively, and any surprise means "unknown", which deletes nothing."""
    try:
        from streamlit import runtime

        if not runtime.exists():
            return None
        manager = getattr(runtime.get_instance(), "_session_mgr", None)
        return {info.session.id for info in manager.list_sessions()}
    except Exception:  # noqa: BLE001 - another Streamlit version: fall back to the finalizer
        return None


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True  # exists (another user's) or cannot tell: keep its files
    return True


def _ended(folder: Path, live: set[str] | None) -> bool:
    """True if ``folder``'s session is over (see the module docstring)."""
    try:
        pid_text, _, session_id = (folder / OWNER).read_text().strip().partition(" ")
        pid = int(pid_text)
    except (OSError, ValueError):
        try:
            return time.time() - folder.stat().st_mtime > ORPHAN_AGE_S
        except OSError:
            return False
    if pid != os.getpid():
        return not _pid_alive(pid)
    return live is not None and bool(session_id) and session_id not in live


def sweep_uploads() -> list[Path]:
    """Delete the upload folders of ended sessions; returns the folders removed."""
    root = upload_root()
    if not root.is_dir():
        return []
    live = live_session_ids()
    removed = []
    for folder in root.iterdir():
        if folder.is_dir() and _ended(folder, live):
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed


def _sweep_forever() -> None:
    while True:
        time.sleep(SWEEP_EVERY_S)
        try:
            with _lock:
                sweep_uploads()
        except Exception:  # noqa: BLE001 - a sweep that fails is retried next time
            pass


def start_sweeper() -> None:
    """One background sweep thread per server process, started by the first upload."""
    global _sweeper
    with _lock:
        if _sweeper is None or not _sweeper.is_alive():
            _sweeper = threading.Thread(target=_sweep_forever, name="driftlab-upload-sweep",
                                        daemon=True)
            _sweeper.start()


class FolderJanitor:
    """Kept in ``st.session_state``: when the session's state is garbage-collected, the
    session's upload folder goes with it (``weakref.finalize`` also runs at interpreter exit)."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.finalizer = weakref.finalize(self, shutil.rmtree, str(folder), True)


def save_upload(name: str, data: bytes, session: str,
                keep_others: bool = False) -> tuple[Path, str]:
    """Write ``data`` under the session's folder (once per content) and return (path, digest).

    Earlier uploads of the session are removed: one file per session at a time (unless
    ``keep_others``: a bundle's data file is staged next to the current upload until its config
    is checked, see :func:`stage_bundle_data`). Ended sessions' folders are swept first; raises
    :class:`ConfigError` if the file would take all uploads past :func:`max_total_bytes`.
    """
    digest = hashlib.sha256(data).hexdigest()
    folder = upload_folder(session)
    path = folder / digest[:16] / safe_name(name)
    with _lock:
        sweep_uploads()
        root, cap = upload_root(), max_total_bytes()
        others = sum(_folder_bytes(f) for f in (root.iterdir() if root.is_dir() else [])
                     if f.is_dir() and f.name != session)
        if others + len(data) > cap:
            raise ConfigError(
                "upload", f"the server's space for uploaded files is full ({len(data) / 1e6:,.1f}"
                f" MB would bring all sessions' uploads past {cap / 1e6:,.0f} MB)",
                "try again in a few minutes (files are deleted when their session ends), or run "
                "the file on your own machine with `python -m lab run --config FILE`")
        if folder.exists() and not keep_others:
            for old in folder.iterdir():
                if old.name not in (digest[:16], OWNER):
                    shutil.rmtree(old, ignore_errors=True)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / OWNER).write_text(f"{os.getpid()} {_streamlitsession_id()}")
        if not (path.exists() and path.stat().st_size == len(data)):
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(path.name + ".part")
            tmp.write_bytes(data)
            tmp.replace(path)
    return path, digest


def stage_bundle_data(name: str, data: bytes) -> Path:
    """Put a bundle's data file into this session's upload folder *next to* the current upload,
    so that the bundle's config can be checked against it before anything the session uses
    changes; then :func:`handle_upload` (the bundle is good) or :func:`discard_staged` (it is
    not). Raises :class:`ConfigError` when the server's upload space is full."""
    session = session_id()
    if K.UPLOAD_JANITOR not in ss:
        ss[K.UPLOAD_JANITOR] = FolderJanitor(upload_folder(session))
    start_sweeper()
    path, _ = save_upload(name, data, session, keep_others=True)
    return path


def discard_staged(path: Path) -> None:
    """Remove a staged bundle data file, unless it is the session's current upload (the same
    content uploaded before)."""
    current = ss.get(K.UPLOAD) or {}
    if current.get("path") == str(path):
        return
    with _lock:
        shutil.rmtree(path.parent, ignore_errors=True)


def run_data_file(source: str) -> Path | None:
    """The file a finished run on an uploaded CSV read (``csv:<path>``), if it is still in
    *this session's* upload folder; None otherwise (another file was uploaded since, or the
    path is not an upload of this session: the app never reads a path it did not write)."""
    if not source.startswith("csv:") or K.UPLOAD_SESSION not in ss:
        return None
    try:
        path = Path(source[4:]).resolve()
        folder = upload_folder(ss[K.UPLOAD_SESSION]).resolve()
        if path.parent.parent != folder or not path.is_file() or path.is_symlink():
            return None
    except (OSError, RuntimeError, ValueError):
        return None
    return path
