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

import json
import os
from typing import Any

import pandas as pd
import streamlit as st

from lab.data.csv.limits import DEFAULT_MAX_MB, MISSING
from lab.data.csv.mapping import guess_target, usable_features
from lab.data.csv.preview import inspect_csv, preview_csv
from lab.data.csv.read import load_csv
from lab.spec.errors import ConfigError
from lab.validate import parse_stream
from ui import keys as K
from ui import state as S
from ui.text import escape_markdown
from ui.upload_store import FolderJanitor, save_upload, session_id, start_sweeper, upload_folder

ss = st.session_state
TEST_HOOKS_ENV = "DRIFTLAB_TEST_HOOKS"  # "1" turns on apply_test_upload (tests only)

DELIMITERS = {"auto": "sniff it", ",": "comma (,)", ";": "semicolon (;)", "tab": "tab",
              "|": "pipe (|)"}
ENCODINGS = ("utf-8", "cp1252", "latin-1", "utf-16")
# What each missing-value rule does, in words (the dropdown and the caption under the preview;
# the config keeps the rule's key, e.g. "impute_median").
MISSING_LABELS = {"reject": "refuse (name the empty cell)", "impute_mean": "fill with the mean",
                  "impute_median": "fill with the median", "drop_rows": "drop those rows"}
# The "Order rows by" choice of no time column. A selectbox whose value is None shows its
# placeholder ("Choose an option", cut to "Choose an" in half the sidebar), not the option's
# label, so "file order" is this value instead; a column cannot have an empty name (the header
# check in upload_section stops first).
FILE_ORDER = ""
KIND_HELP = ("numeric: numbers · category: text with few values (one-hot encoded) · date: a "
             "candidate time column · text: too many values to be a feature")


# ---------------------------------------------------------------------------------------------
# The upload itself (no widgets)
# ---------------------------------------------------------------------------------------------
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
    session = session_id()
    if K.UPLOAD_JANITOR not in ss:
        ss[K.UPLOAD_JANITOR] = FolderJanitor(upload_folder(session))
    start_sweeper()
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
        # the setup's refusal above the results says what is wrong and the fix (ui.refusals):
        # here only that there is a problem, not the same text a second time
        st.error("This file cannot be raced as it is: see the message above the results.",
                 icon=":material/error:")
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
    if ss.get(K.CSV_TIME) is None:
        ss[K.CSV_TIME] = FILE_ORDER
    if ss.get(K.CSV_FEATURES) is None:  # "every other column" (see the module docstring)
        ss[K.CSV_FEATURES] = [c for c in columns if c not in (target, ss.get(K.CSV_TIME))]
    ss[K.CSV_FEATURES] = [f for f in ss[K.CSV_FEATURES] if f != target]
    st.multiselect("Features", _options([c for c in columns if c != target],
                                        ss[K.CSV_FEATURES]), key=K.CSV_FEATURES,
                   help="text columns with at most 20 values are one-hot encoded")
    # One choice a row: side by side, half the sidebar cut the labels ("fill with the m…").
    st.selectbox("Order rows by", _options([FILE_ORDER] + [c for c in columns if c != target],
                                           ss.get(K.CSV_TIME)), key=K.CSV_TIME,
                 format_func=lambda c: "file order" if c == FILE_ORDER else c,
                 help="an optional time column (numbers or dates) to sort the rows by")
    st.selectbox("Missing values", list(MISSING), key=K.CSV_MISSING,
                 format_func=lambda rule: MISSING_LABELS.get(rule, rule),
                 help="filling (the default: the median) gives an empty number the column's "
                      "median or mean and an empty text value no category; how many cells "
                      "were filled is shown under the drift preview. Labels and times are "
                      "never filled; refuse names the first empty cell instead")
    st.checkbox("Use every row", key=K.CSV_ALL_ROWS,
                help="off: use the first *Samples* rows only")


PARAM_WIDGETS = {"stream.params.delimiter": "*Delimiter* under Reading options",
                 "stream.params.encoding": "*Encoding* under Reading options",
                 "stream.params.missing": "*Missing values*",
                 "stream.params.features": "*Features*",
                 "stream.params.target": "*Target*",
                 "stream.params.time": "*Order rows by*",
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
    rule = spec.params.get("missing")
    parts = [f"{spec.n_samples:,} rows",
             f"missing values: {escape_markdown(MISSING_LABELS.get(rule, rule))}"]
    for column, count in (notes.get("imputed") or {}).items():
        parts.append(f"{count:,} filled in {escape_markdown(column)}")
    if notes.get("dropped_rows"):
        parts.append(f"{notes['dropped_rows']:,} rows dropped")
    st.caption(" · ".join(parts))


def file_rows() -> int | None:
    """How many rows of the uploaded file the race reads with the current choices (rows
    dropped for missing values left out), or None while the file or a choice is not usable:
    what the greyed *Samples* field shows when every row is used."""
    try:
        return parse_stream(S.upload_stream(ss, [])).n_samples
    except Exception:  # noqa: BLE001 - the preview and the race's check say what is wrong
        return None


def _size(n: int) -> str:
    for unit, scale in (("MB", 1e6), ("kB", 1e3)):
        if n >= scale:
            return f"{n / scale:.1f} {unit}"
    return f"{n} bytes"
