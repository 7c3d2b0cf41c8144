"""The Export tab's "Share / reproduce" part: a link or a bundle to share the run on screen,
and the opener that loads a config JSON or a bundle zip (streamlit; bundles themselves are
``lab.race.bundle``).

Sharing never lies: a run on generated or shipped data is shared by its link (the address bar
holds the whole config); a run on an uploaded CSV file has no working link (a link cannot carry
private data, and a server never reads a path a link names), so it is shared as a *bundle*: one
zip with the config and the data file as the race read it, which this opener and ``python -m
lab run --bundle`` open again with the same numbers.

Opening a bundle: :func:`lab.race.bundle.read_bundle` checks it in memory (sizes, members,
config JSON); its data file is then staged in the session's upload folder
(:func:`ui.upload_store.stage_bundle_data`) and the config validated against it; only a bundle that
passes replaces the session's upload and config (:func:`ui.upload.handle_upload`), else the
staged file is removed and one message says what is wrong and how to fix it.
"""

from __future__ import annotations

import io
import zipfile

import streamlit as st

from lab.race.archive import ARCHIVE_FILE
from lab.race.bundle import CONFIG_MEMBER, max_data_bytes, read_bundle, write_bundle
from lab.spec.errors import ConfigError
from lab.spec.jsontext import MAX_JSON_CHARS, parse_json_text
from lab.validate import parse_experiment
from ui import keys as K
from ui import state as S
from ui import text, upload, upload_store, urls
from ui.session import load_config_into_state, load_text

ss = st.session_state
ZIP_MAGIC = b"PK\x03\x04"
# Files only a "Download all" zip (ui.downloads, ``driftlab-run.zip``) holds next to its
# config.json: a zip with one of them is a run's results, not a bundle.
RESULT_MEMBERS = ("summary.json", "timeline.csv", "events.csv")
NO_LINK = ("**Share**: this run reads a CSV file you uploaded. A link alone cannot carry "
           "private data, so this run has no share link: download its **bundle** (the config "
           "and the data file in one zip) and send that. It opens here (*Open a config or "
           "bundle* below) or with `python -m lab run --bundle FILE.zip --out DIR`, with the "
           "same numbers. The bundle holds your data: share it only with people who may see it.")


# ---------------------------------------------------------------------------------------------
# Sharing the run on screen
# ---------------------------------------------------------------------------------------------
def share_link() -> str | None:
    """This page's address with the run's ``?config=`` (None when it cannot be known)."""
    try:
        base = str(st.context.url or "").split("?")[0]
    except Exception:  # noqa: BLE001 - no browser context (AppTest)
        base = ""
    value = st.query_params.get("config")
    return f"{base}?config={value}" if value and base else None


def bundle_name(source: str) -> str:
    """``driftlab-bundle-<data file stem>.zip``."""
    stem = upload_store.safe_name(source.rsplit("/", 1)[-1]).rsplit(".", 1)[0] or "run"
    return f"driftlab-bundle-{stem}.zip"


def share_section(out: dict) -> None:
    """The link of a generator or data-set run, or the bundle of a run on an uploaded CSV."""
    config = out["config"]
    source = config["stream"]["source"]
    if not source.startswith("csv:"):
        st.markdown("**Share**: the address bar holds this run's whole config, so a copied "
                    "link reproduces it.")
        link = share_link()
        if link:
            st.code(link, language=None, wrap_lines=True)
        return
    st.markdown(NO_LINK)
    path = upload_store.run_data_file(source)
    if path is None:
        st.warning("This run's data file is no longer on the server (another file was "
                   "uploaded since). Upload it again and press **Run** to bundle the run.",
                   icon=":material/link_off:")
        return
    size = path.stat().st_size
    if size > max_data_bytes():
        st.warning(f"The data file is {size / 1e6:,.1f} MB, over the {max_data_bytes() / 1e6:,.0f}"
                   " MB a bundle may hold: share the config (config.json above) and the file "
                   "separately, and run them with `python -m lab run --config FILE`.",
                   icon=":material/block:")
        return
    st.download_button("Bundle: config + data (zip)",
                       data=lambda: write_bundle(config, path.read_bytes()),
                       file_name=bundle_name(source), mime="application/zip",
                       key="dl_bundle", on_click="ignore", icon=":material/folder_zip:",
                       help="config.json and the data file as the race read it, in one zip")


# ---------------------------------------------------------------------------------------------
# Opening a config or a bundle
# ---------------------------------------------------------------------------------------------
def opener(in_sidebar: bool = False) -> None:
    """The config / bundle uploader and the paste box (the same widget keys wherever drawn:
    the race page draws them in one place per script run, the sidebar before a first run,
    the Export tab after)."""
    if not in_sidebar:
        st.markdown("**Reproduce a run** from a config JSON file (a `config.json` downloaded "
                    "here or written for `python -m lab run`) or a bundle zip.")
    st.file_uploader("Config JSON or bundle zip", type=["json", "zip"], key=K.UPLOAD_CONFIG,
                     on_change=on_config_file,
                     help="a config.json, a bundle of a run on your own CSV file (config "
                          f"and data in one zip, from the Export tab), or a run's "
                          f"*Download all* zip ({ARCHIVE_FILE}) of a run on generated or "
                          "shipped data")
    if in_sidebar:  # no expander inside the sidebar's expander
        _paste_box()
    else:
        with st.expander("…or paste a config"):
            _paste_box()
    if ss.get(K.LOAD_ERROR):
        st.error(text.escape_markdown(ss[K.LOAD_ERROR]), icon=":material/error:")


def _paste_box() -> None:
    st.text_area("Config JSON", key=K.PASTE_CONFIG, height=140)
    st.button("Load and run", key="load_pasted", on_click=on_paste)


def sidebar_opener() -> None:
    """The opener, out of the way: a collapsed expander at the foot of the sidebar (open while
    it shows an error)."""
    with st.sidebar, st.expander("Open a config or bundle", icon=":material/upload_file:",
                                 expanded=bool(ss.get(K.LOAD_ERROR))):
        opener(in_sidebar=True)


def on_paste() -> None:
    load_text(ss.get(K.PASTE_CONFIG, ""), "the pasted config")


def on_config_file() -> None:
    """The uploader's callback: a zip is a bundle, anything else a config JSON."""
    file = ss.get(K.UPLOAD_CONFIG)
    if file is None:
        return
    data = file.getvalue()
    if data.startswith(ZIP_MAGIC) or file.name.lower().endswith(".zip"):
        open_bundle(file.name, data)
        return
    try:
        content = data.decode("utf-8")
    except UnicodeDecodeError:
        ss[K.LOAD_ERROR] = f"{file.name} was not loaded: it is not a UTF-8 text file."
        return
    load_text(content, file.name)


def results_archive_config(data: bytes) -> str | None:
    """The config.json text of a "Download all" zip (a run's results: config.json next to
    summary.json, timeline.csv ...), or None for any other zip (a bundle, or something
    :func:`lab.race.bundle.read_bundle` will name the problem of). Only config.json is read,
    at most ``MAX_JSON_CHARS`` bytes of it."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
            if CONFIG_MEMBER not in names or not names & set(RESULT_MEMBERS):
                return None
            info = zf.getinfo(CONFIG_MEMBER)
            too_big = ConfigError(CONFIG_MEMBER, f"is over {MAX_JSON_CHARS:,} bytes",
                                  "open the config.json of a Driftlab run")
            if info.file_size > MAX_JSON_CHARS:
                raise too_big
            with zf.open(info) as fh:
                raw = fh.read(MAX_JSON_CHARS + 1)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError,
            NotImplementedError, RuntimeError):
        return None  # read_bundle says what is wrong with it
    if len(raw) > MAX_JSON_CHARS:
        raise too_big
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ConfigError(CONFIG_MEMBER, "is not UTF-8 text",
                          "open the config.json of a Driftlab run") from None


def open_results_archive(origin: str, config_text: str) -> None:
    """A "Download all" zip: its config is loaded and raced like a config file, unless the run
    read an uploaded CSV file, which the zip does not hold (its stream.csv is the stream as
    raced, not the file): then one message says which file to open instead."""
    config = parse_json_text(config_text, f"{origin}: config.json")
    stream = config.get("stream") if isinstance(config, dict) else None
    source = stream.get("source") if isinstance(stream, dict) else None
    if isinstance(source, str) and source.startswith("csv:"):
        raise ConfigError("", f"it is the “Download all” zip ({ARCHIVE_FILE}) of a run on your "
                          "own CSV file: it holds the run's results, not the data file the "
                          "race read",
                          "open that run's bundle instead (its Export tab: “Bundle: config + "
                          "data (zip)”), or upload the CSV file again (Stream > Source > Upload "
                          "a CSV)")
    load_text(config_text, f"the config.json of {origin}")


def open_bundle(name: str, data: bytes) -> None:
    """Load a bundle into the editor and race it, or say in one line why not (the session's
    upload and config stay as they were). A "Download all" zip opens too: see
    :func:`open_results_archive`."""
    origin = text.escape_markdown(upload_store.safe_name(name))
    try:
        config_text = results_archive_config(data)
        if config_text is not None:
            open_results_archive(origin, config_text)
            return
    except ConfigError as exc:
        ss[K.LOAD_ERROR] = f"{origin} was not loaded: {exc}"
        return
    try:
        data_name = _load_bundle(data)
    except ConfigError as exc:
        ss[K.LOAD_ERROR] = f"{origin} was not loaded: {exc}"
        return
    except Exception as exc:  # noqa: BLE001 - the app stays up whatever the zip holds
        ss[K.LOAD_ERROR] = f"{origin} was not loaded: {type(exc).__name__}: {exc}"
        return
    ss.pop(K.LOAD_ERROR, None)
    what = "config and data file" if data_name else "config"
    ss[K.NOTICE] = f"Loaded the {what} of the bundle {origin}; racing it now."
    ss[K.RUN_REQUESTED] = True


def _load_bundle(data: bytes) -> str | None:
    """Check a bundle, put its data file in place and load its config into the editor;
    returns the data file's name (None for a config-only bundle)."""
    bundle = read_bundle(data)
    if bundle.data_name is None:  # a config-only bundle: the same checks as a config file
        load_config_into_state(urls.app_config(bundle.config))
        return None
    staged = upload_store.stage_bundle_data(bundle.data_name, bundle.data)
    try:
        config = {**bundle.config, "stream": {**bundle.config["stream"],
                                              "source": f"csv:{staged}"}}
        exp = parse_experiment(config)
        stream = {k: v for k, v in config["stream"].items() if k != "n_samples"}
        full_length = parse_experiment({**config, "stream": stream}).stream.n_samples
        state = upload.bundle_widget_state(exp.to_dict(), full_length)
    except BaseException:
        upload_store.discard_staged(staged)
        raise
    upload.handle_upload(bundle.data_name, bundle.data)  # the staged file becomes the upload
    if ss.get(K.UPLOAD_REFUSED):  # the upload space filled up meanwhile: its own message
        raise ConfigError("", ss[K.UPLOAD_REFUSED])
    for key in [k for k in list(ss.keys()) if isinstance(k, str) and S.is_config_key(k)]:
        del ss[key]  # as ui.session.load_config_into_state, with the upload's widget values
    ss.update(state)
    return bundle.data_name
