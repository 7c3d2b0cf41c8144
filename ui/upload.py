"""The user's own CSV file: the upload, its preview and column summary, and the column choices
(streamlit; reading and checking the file is ``lab.data.csv``'s job).

An upload is handled by :func:`handle_upload` ``(name, data)``: the bytes are written once to a
per-session folder, ``<tempdir>/driftlab-uploads/<session>/<sha256[:16]>/<safe name>``, and the
config then uses ``csv:<that path>`` like the command line does (the file keeps its own,
sanitised name so that messages name the file the user chose). The path is generated here, never
taken from a link or a pasted config (``ui.urls`` refuses ``csv:`` sources there).

Widget keys (``ui.state`` turns them into ``stream.params``): ``csv_target``, ``csv_features``
(``None`` means "every other column", materialised into the list once the columns are known),
``csv_time``, ``csv_missing``, ``csv_delimiter``, ``csv_encoding``, ``csv_all_rows``, and
``csv_max_mb`` (no widget; the core's default limit, 200 MB, matches ``maxUploadSize``).

Uploads live only as long as their session. Each session folder holds an ``.owner`` file
(server process id and Streamlit session id) and is deleted

* when the session's state is garbage-collected (a ``weakref.finalize`` on an object kept in
  ``st.session_state``; Streamlit has no public on-session-end hook), and
* by a sweep (at every upload, and every :data:`SWEEP_EVERY_S` seconds in a background thread
  once a file was uploaded) that removes folders whose session the server no longer knows
  (``Runtime``'s session manager lists active sessions and disconnected ones kept for
  reconnection, ``server.disconnectedSessionTTL``, 120 s by default) and folders of server
  processes that are gone.

All sessions' uploads together may take at most :func:`max_total_bytes` (env
``DRIFTLAB_UPLOAD_TOTAL_MB``, 1,000 MB); an upload that would pass it is refused with a message
(live sessions' files are never evicted: their races read them).

Test hook (test-only; AppTest cannot drive ``st.file_uploader``), read only when the environment
has ``DRIFTLAB_TEST_HOOKS=1`` (``tests/helpers.py`` sets it for AppTest; a production server
never reads it): set the session-state key ``_test_upload`` (``ui.keys.TEST_UPLOAD``) to
``{"name": ..., "data": b"...", "params": {"csv_target": ...}}`` before ``.run()``;
:func:`apply_test_upload` feeds it to :func:`handle_upload`, the same code path as the widget's
callback, then sets the given ``csv_*`` values. With ``"bundle": True`` the bytes are a bundle
zip, fed to :func:`ui.share.open_bundle` (the opener's code path) instead.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import threading
import time
import uuid
import weakref
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from lab.data.csv import limits
from lab.data.csv.limits import DEFAULT_MAX_MB, MISSING
from lab.data.csv.mapping import guess_target, usable_features
from lab.data.csv.preview import inspect_csv, preview_csv
from lab.data.csv.read import load_csv
from lab.spec.errors import ConfigError
from ui import keys as K
from ui import state as S
from ui.text import escape_markdown

ss = st.session_state
TEST_HOOKS_ENV = "DRIFTLAB_TEST_HOOKS"  # "1" turns on apply_test_upload (tests only)

DELIMITERS = {"auto": "sniff it", ",": "comma (,)", ";": "semicolon (;)", "tab": "tab",
              "|": "pipe (|)"}
ENCODINGS = ("utf-8", "cp1252", "latin-1", "utf-16")
MISSING_LABELS = {"reject": "reject (name the row and column)", "impute_mean": "impute the mean",
                  "impute_median": "impute the median", "drop_rows": "drop those rows"}
KIND_HELP = ("numeric: numbers · category: text with few values (one-hot encoded) · date: a "
             "candidate time column · text: too many values to be a feature")


# ---------------------------------------------------------------------------------------------
# The upload itself (no widgets)
# ---------------------------------------------------------------------------------------------
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


def _streamlit_session_id() -> str:
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


def _start_sweeper() -> None:
    """One background sweep thread per server process, started by the first upload."""
    global _sweeper
    with _lock:
        if _sweeper is None or not _sweeper.is_alive():
            _sweeper = threading.Thread(target=_sweep_forever, name="driftlab-upload-sweep",
                                        daemon=True)
            _sweeper.start()


class _FolderJanitor:
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
        (folder / OWNER).write_text(f"{os.getpid()} {_streamlit_session_id()}")
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
    session = _session_id()
    if K.UPLOAD_JANITOR not in ss:
        ss[K.UPLOAD_JANITOR] = _FolderJanitor(upload_folder(session))
    _start_sweeper()
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


def bundle_widget_state(cfg: dict, full_length: int) -> dict[str, Any]:
    """The editor's widget values for a validated, normalised config whose source is this
    session's upload (``csv:<path>``): what :func:`ui.state.state_from_config` gives for real
    data (drift marks, evaluation, contenders), with the source set to the upload and the CSV
    choices (``csv_*``) from ``stream.params``. ``full_length`` is the file's row count, so
    "Use every row" is on exactly when the config uses them all. Raises :class:`ConfigError`
    for a delimiter the app's widget cannot show."""
    stream, params = cfg["stream"], cfg["stream"]["params"]
    delimiter = {"\t": "tab"}.get(params.get("delimiter"), params.get("delimiter")) or "auto"
    if delimiter not in DELIMITERS:
        raise ConfigError("stream.params.delimiter",
                          f"the app reads only {', '.join(DELIMITERS.values())} files",
                          "run this bundle with `python -m lab run --bundle FILE.zip`")
    # state_from_config refuses csv: sources (a link must not name a path): the drift marks and
    # everything else read the same for any real-data source, so one stands in for it.
    stand_in = next(s for s in S.SOURCES if s.startswith("dataset:"))
    state = S.state_from_config({**cfg, "stream": {**stream, "source": stand_in, "params": {}}})
    state.update({
        K.SOURCE: S.UPLOAD, K.CSV_TARGET: params["target"],
        K.CSV_FEATURES: list(params["features"]) if params.get("features") else None,
        K.CSV_TIME: params.get("time"), K.CSV_MISSING: params.get("missing", "reject"),
        K.CSV_DELIMITER: delimiter, K.CSV_ENCODING: params.get("encoding", "utf-8"),
        K.CSV_MAX_MB: float(params.get("max_mb", DEFAULT_MAX_MB)),
        K.CSV_ALL_ROWS: int(stream["n_samples"]) == int(full_length), "param_keys": []})
    return state


def _session_id() -> str:
    if K.UPLOAD_SESSION not in ss:
        ss[K.UPLOAD_SESSION] = uuid.uuid4().hex
    return ss[K.UPLOAD_SESSION]


def reading_options() -> dict[str, Any]:
    delimiter = ss.get(K.CSV_DELIMITER, "auto")
    return {"delimiter": None if delimiter in (None, "auto") else
            ("\t" if delimiter == "tab" else delimiter),
            "encoding": ss.get(K.CSV_ENCODING, "utf-8") or "utf-8",
            "max_mb": float(ss.get(K.CSV_MAX_MB, DEFAULT_MAX_MB))}


@st.cache_data(max_entries=32, show_spinner=False)
def inspect_upload(digest: str, path: str, delimiter: str | None, encoding: str,
                   max_mb: float) -> dict:
    """``{"info", "preview"}`` or ``{"error"}`` for an uploaded file, read once per content and
    reading options (the cache key holds the content's hash)."""
    try:
        info = inspect_csv(path, delimiter=delimiter, encoding=encoding, max_mb=max_mb)
        preview = preview_csv(path, delimiter=delimiter, encoding=encoding, max_mb=max_mb)
    except ConfigError as exc:
        return {"error": str(exc), "error_parts": (exc.path, exc.problem, exc.fix)}
    except Exception as exc:  # noqa: BLE001 - the app stays up whatever the file holds
        parts = ("stream.source", f"the file could not be read ({type(exc).__name__}: {exc})",
                 "check that it is a CSV text file")
        return {"error": f"{parts[0]}: {parts[1]}. Fix: {parts[2]}", "error_parts": parts}
    return {"info": info, "preview": preview}


def current_inspection() -> dict | None:
    upload = ss.get(K.UPLOAD)
    if not upload:
        return None
    opts = reading_options()
    return inspect_upload(upload["digest"], upload["path"], opts["delimiter"], opts["encoding"],
                          opts["max_mb"])


def default_choices(info: dict) -> dict[str, Any]:
    """Target, features, time and missing-value rule for a new file; choices still valid for it
    are kept. The target is :func:`lab.data.csv.mapping.guess_target`'s and never also a
    feature."""
    columns = [c["name"] for c in info["columns"]]
    target = ss.get(K.CSV_TARGET)
    if target not in columns:
        target = guess_target(info)
    time = ss.get(K.CSV_TIME) if ss.get(K.CSV_TIME) in columns else None
    features = ss.get(K.CSV_FEATURES)
    if not features or not set(features) <= set(columns) or target in features:
        features = usable_features(info, target, time)
    return {"csv_target": target, "csv_time": time, "csv_features": features,
            "csv_missing": ss.get(K.CSV_MISSING) or S.CSV_DEFAULT_MISSING}


def on_target_change() -> None:
    """The target select's callback: the new target leaves the features, and the old one, which
    was only out of them for being the target, comes back in its file position (if a model can
    take it). Features are otherwise only dropped by the user."""
    upload, inspection = ss.get(K.UPLOAD), current_inspection()
    if not upload or not inspection or "info" not in inspection:
        return
    info, new, old = inspection["info"], ss.get(K.CSV_TARGET), upload.get("target")
    features = [f for f in (ss.get(K.CSV_FEATURES) or []) if f != new]
    usable = usable_features(info, new, ss.get(K.CSV_TIME))
    if old in usable and old not in features:
        order = [c["name"] for c in info["columns"]]
        features = sorted(features + [old],
                          key=lambda f: order.index(f) if f in order else len(order))
    ss[K.CSV_FEATURES] = features
    upload["target"] = new


def handle_upload(name: str, data: bytes) -> None:
    """A file arrived (from the widget or the test hook): save it and pick default columns."""
    session = _session_id()
    if K.UPLOAD_JANITOR not in ss:
        ss[K.UPLOAD_JANITOR] = _FolderJanitor(upload_folder(session))
    _start_sweeper()
    try:
        path, digest = save_upload(name, data, session)
    except ConfigError as exc:  # the server's upload space is full
        ss[K.UPLOAD_REFUSED] = str(exc)
        return
    ss.pop(K.UPLOAD_REFUSED, None)
    if ss.get(K.UPLOAD, {}).get("digest") == digest and ss[K.UPLOAD]["name"] == path.name:
        return  # the same file again: nothing to redo
    ss[K.UPLOAD] = {"name": path.name, "path": str(path), "digest": digest, "size": len(data),
                     "defaults_done": False}
    if ss.get(K.SOURCE) != S.UPLOAD:
        ss[K.SOURCE] = S.UPLOAD
    for uid in list(ss.get(K.DRIFT_IDS, [])):  # a new file: earlier marks mean nothing in it
        S.remove_drift(ss, uid)
    _apply_defaults()


def _apply_defaults() -> None:
    upload = ss.get(K.UPLOAD)
    if not upload or (upload.get("defaults_done") and K.CSV_TARGET in ss):
        return
    inspection = current_inspection()
    if inspection is None or "error" in inspection:
        return
    ss.update(default_choices(inspection["info"]))
    upload["target"] = ss[K.CSV_TARGET]
    upload["defaults_done"] = True


def on_file_widget() -> None:
    """The uploader's callback; :func:`upload_section` also checks after drawing it, so a file
    is taken even if the callback did not fire. Each file is read once (by its file id)."""
    file = ss.get(K.UPLOAD_CSV)
    if file is not None and ss.get(K.UPLOAD_FILE_ID) != _file_id(file):
        ss[K.UPLOAD_FILE_ID] = _file_id(file)
        handle_upload(file.name, file.getvalue())


def _file_id(file) -> str:
    return str(getattr(file, "file_id", None) or f"{file.name}:{file.size}")


def test_hooks_enabled() -> bool:
    """Whether the test-only hooks run: only with ``DRIFTLAB_TEST_HOOKS=1`` in the environment."""
    return os.environ.get(TEST_HOOKS_ENV) == "1"


def apply_test_upload() -> None:
    """Test-only: consume ``_test_upload`` (see the module docstring). Does nothing unless
    :func:`test_hooks_enabled`, so a production session cannot feed bytes past the uploader."""
    if not test_hooks_enabled():
        return
    request = ss.pop(K.TEST_UPLOAD, None)
    if not request:
        return
    if request.get("bundle"):  # a bundle zip, as the Export tab's opener receives it
        from ui.share import open_bundle

        open_bundle(request["name"], request["data"])
        return
    handle_upload(request["name"], request["data"])
    for key, value in (request.get("params") or {}).items():
        ss[key] = value


# ---------------------------------------------------------------------------------------------
# The sidebar section
# ---------------------------------------------------------------------------------------------
def _options(base: list, *current) -> list:
    """``base`` plus any current value it lacks (a kept choice the new file does not have: the
    check then names it, instead of the widget silently dropping it)."""
    out = list(base)
    for value in current:
        for v in (value if isinstance(value, list) else [value]):
            if v is not None and v not in out:
                out.append(v)
    return out


def upload_section() -> None:
    """Upload, reading options, preview, column summary and column choices."""
    for key, default in (("csv_missing", S.CSV_DEFAULT_MISSING), ("csv_delimiter", "auto"),
                         ("csv_encoding", "utf-8"), ("csv_all_rows", True)):
        if key not in ss:
            ss[key] = default
    st.file_uploader("CSV file", type=["csv", "tsv", "txt"], key=K.UPLOAD_CSV,
                     on_change=on_file_widget,
                     help=f"up to {DEFAULT_MAX_MB:g} MB; a header line, one row per sample, a "
                          "column of class labels")
    on_file_widget()
    if ss.get(K.UPLOAD_REFUSED):
        st.error(escape_markdown(ss[K.UPLOAD_REFUSED]), icon=":material/block:")
    with st.expander("Reading options", icon=":material/tune:"):
        c1, c2 = st.columns(2)
        c1.selectbox("Delimiter", list(DELIMITERS), key=K.CSV_DELIMITER,
                     format_func=DELIMITERS.get)
        c2.selectbox("Encoding", _options(list(ENCODINGS), ss.get(K.CSV_ENCODING)),
                     key=K.CSV_ENCODING)
    upload = ss.get(K.UPLOAD)
    if not upload:
        st.caption("Upload a CSV file: a header line, then one row per sample with a column of "
                   "class labels. It stays on this server for this session only.")
        return
    _apply_defaults()
    inspection = current_inspection()
    st.caption(f"**{escape_markdown(upload['name'])}** · {_size(upload['size'])}")
    upload["error_parts"] = inspection.get("error_parts")  # ui.state raises it for the setup
    if "error" in inspection:
        # CSV messages quote the file's column names and cells: escaped, never markup
        st.error(escape_markdown(inspection["error"]), icon=":material/error:")
        hint = widget_hint(inspection["error"])
        if hint:
            st.caption(hint)
        return
    info, preview = inspection["info"], inspection["preview"]
    columns = [c["name"] for c in info["columns"]]
    with st.expander(f"Preview and columns ({len(columns)})", icon=":material/table:"):
        st.dataframe(preview, key="csv_preview", hide_index=True, height=180)
        summary = pd.DataFrame(info["columns"])[["name", "kind", "distinct", "missing", "example"]]
        st.dataframe(summary, key="csv_columns", hide_index=True,
                     column_config={"kind": st.column_config.TextColumn(help=KIND_HELP)})
        st.caption(f"From the first {info['sample_rows']:,} rows; delimiter "
                   f"{escape_markdown(repr(info['delimiter']))}, encoding "
                   f"{escape_markdown(info['encoding'])}.")
    if len(set(columns)) != len(columns) or not all(columns):
        # Columns cannot be chosen by name until the header names each once: leave the
        # features to the core, whose check names the problem (shown above the contenders).
        ss[K.CSV_FEATURES] = None
        st.caption("Fix the header (every column needs its own name) to choose the columns.")
        return
    target = ss.get(K.CSV_TARGET)
    st.selectbox("Target (class labels)", _options(columns, target), key=K.CSV_TARGET,
                 on_change=on_target_change,
                 help="the column the contenders predict (guessed from its name, else the "
                      "last column with few distinct values); it is never also a feature")
    target = ss.get(K.CSV_TARGET)
    upload["target"] = target  # what on_target_change puts back among the features
    if not [c for c in columns if c != target]:
        ss[K.CSV_FEATURES] = None  # nothing to choose: the core's check says what is wrong
        return
    if ss.get(K.CSV_FEATURES) is None:  # "every other column" (see the module docstring)
        ss[K.CSV_FEATURES] = [c for c in columns if c not in (target, ss.get(K.CSV_TIME))]
    ss[K.CSV_FEATURES] = [f for f in ss[K.CSV_FEATURES] if f != target]
    st.multiselect("Features", _options([c for c in columns if c != target],
                                        ss[K.CSV_FEATURES]), key=K.CSV_FEATURES,
                   help="text columns with at most 20 values are one-hot encoded")
    c1, c2 = st.columns(2)
    c1.selectbox("Order by", _options([None] + [c for c in columns if c != target],
                                      ss.get(K.CSV_TIME)), key=K.CSV_TIME,
                 format_func=lambda c: "file order" if c is None else c,
                 help="an optional time column (numbers or dates) to sort the rows by")
    c2.selectbox("Missing values", list(MISSING), key=K.CSV_MISSING,
                 format_func=MISSING_LABELS.get,
                 help="imputing (the default) fills a number with the column's median or mean "
                      "and leaves a text value without a category; how many cells were "
                      "imputed is shown under the drift preview. Labels and times are never "
                      "imputed; reject names the first empty cell instead")
    st.checkbox("Use every row", key=K.CSV_ALL_ROWS,
                help="off: use the first *Samples* rows only")


PARAM_WIDGETS = {"stream.params.delimiter": "*Delimiter* under Reading options",
                 "stream.params.encoding": "*Encoding* under Reading options",
                 "stream.params.missing": "*Missing values*",
                 "stream.params.features": "*Features*",
                 "stream.params.target": "*Target*",
                 "stream.params.time": "*Order by*",
                 "stream.n_samples": "*Use every row* / *Samples*"}


def widget_hint(message: str) -> str | None:
    """Where in the sidebar the setting a message names is (messages use config paths)."""
    found = [w for p, w in PARAM_WIDGETS.items() if p in message]
    return ("In the app: " + ", ".join(found) + ".") if found else None


@st.cache_data(max_entries=16, show_spinner=False)
def stream_notes(digest: str, path: str, params_json: str, n: int) -> dict | str:
    """What reading the file did (imputed cells, dropped rows): read once per content and
    choices; a message if the full read finds a problem."""
    try:
        return load_csv(path, json.loads(params_json), n).notes
    except ConfigError as exc:
        return str(exc)
    except Exception as exc:  # noqa: BLE001
        return f"{type(exc).__name__}: {exc}"


def show_notes(spec) -> None:
    """A caption under the preview: how many rows the stream has and what missing values
    became (the choice is also in the config and summary.json)."""
    upload = ss.get(K.UPLOAD)
    if not upload or not spec.source.startswith("csv:"):
        return
    notes = stream_notes(upload["digest"], spec.source[4:], json.dumps(spec.params,
                                                                        sort_keys=True),
                         spec.n_samples)
    if isinstance(notes, str):
        return  # the race's own check reports it
    parts = [f"{spec.n_samples:,} rows",
             f"missing values: {escape_markdown(spec.params.get('missing'))}"]
    for column, count in (notes.get("imputed") or {}).items():
        parts.append(f"{count:,} imputed in {escape_markdown(column)}")
    if notes.get("dropped_rows"):
        parts.append(f"{notes['dropped_rows']:,} rows dropped")
    st.caption(" · ".join(parts))


def _size(n: int) -> str:
    for unit, scale in (("MB", 1e6), ("kB", 1e3)):
        if n >= scale:
            return f"{n / scale:.1f} {unit}"
    return f"{n} bytes"
