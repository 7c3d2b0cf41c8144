"""The app's session state: loading a config into the widgets, keeping widget values, and the
callbacks of the buttons that load, run and stop (streamlit; no simulation here)."""

from __future__ import annotations

from typing import Any

import streamlit as st

from lab.presets import PRESETS
from lab.spec.errors import ConfigError
from ui import keys as K
from ui import state as S
from ui import urls
from ui.text import escape_markdown

ss = st.session_state


def load_config_into_state(cfg: dict) -> None:
    """Replace the config being edited (call before the widgets are drawn or from a callback)."""
    for key in [k for k in list(ss.keys()) if isinstance(k, str) and S.is_config_key(k)]:
        del ss[key]
    ss.update(S.state_from_config(cfg))


def boot() -> None:
    """First run of a session: the config comes from the URL (or the default preset)."""
    if ss.get(K.BOOTED):
        return
    params = st.query_params.to_dict()
    cfg, warnings = urls.config_from_query(params)
    load_config_into_state(cfg)
    ss[K.URL_WARNINGS] = warnings
    ss[K.HISTORY] = []
    ss[K.RUN_COUNTER] = 0
    # A shared link reproduces its run right away ("link": the app runs it only when its
    # estimated cost is under lab.budget.AUTO_RUN_SECONDS, else it waits for the Run button);
    # a plain visit waits for the Run button.
    link_ok = ("config" in params or "preset" in params) and not any(
        w.startswith("The link's config") or "preset" in w for w in warnings)
    ss[K.RUN_REQUESTED] = "link" if link_ok else False
    ss[K.BOOTED] = True


def keep_widget_values() -> None:
    """Widgets that are not drawn in a run (another policy's fields, another generator's
    parameters) would lose their values; re-assigning them keeps them for the session."""
    for key in [k for k in list(ss.keys()) if isinstance(k, str) and S.is_config_key(k)]:
        ss[key] = ss[key]


def ensure(key: str, default: Any) -> None:
    if key not in ss:
        ss[key] = default


def on_preset(name: str) -> None:
    load_config_into_state(urls.app_config(PRESETS[name].config))
    ss[K.NOTICE] = f"Loaded the preset **{name}**. Press **Run** to race it."


def on_source_change() -> None:
    """Real data (a data set or an upload) has no generator a drift could switch: the synthetic
    drifts go (mark suspected points instead); a data set is raced at its full length."""
    source = ss.get(K.SOURCE)
    if S.is_generator(source):
        return
    for uid in list(ss.get(K.DRIFT_IDS, [])):
        S.remove_drift(ss, uid)
    if source.startswith("dataset:"):
        S.choose_dataset(ss, source)  # every row, and its documented change points marked


def on_preset_choice() -> None:
    if ss.get(K.PRESET_CHOICE):
        on_preset(ss[K.PRESET_CHOICE])


def load_text(text_: str, origin: str) -> None:
    try:
        cfg = urls.parse_config_text(text_, origin=origin)
    except ConfigError as exc:
        ss[K.LOAD_ERROR] = f"{origin} was not loaded: {exc}"
        return
    except Exception as exc:  # e.g. a file that is not UTF-8
        ss[K.LOAD_ERROR] = f"{origin} was not loaded: {type(exc).__name__}: {exc}"
        return
    ss.pop(K.LOAD_ERROR, None)
    load_config_into_state(cfg)
    ss[K.NOTICE] = f"Loaded the config from {escape_markdown(origin)}; racing it now."
    ss[K.RUN_REQUESTED] = True


def on_upload() -> None:
    file = ss.get(K.UPLOAD_CONFIG)
    if file is None:
        return
    try:
        content = file.getvalue().decode("utf-8")
    except UnicodeDecodeError:
        ss[K.LOAD_ERROR] = f"{file.name} was not loaded: it is not a UTF-8 text file."
        return
    load_text(content, file.name)


def on_paste() -> None:
    load_text(ss.get(K.PASTE_CONFIG, ""), "the pasted config")


def on_stop() -> None:
    event = ss.get(K.STOP_EVENT)
    if event is not None:
        event.set()
    ss[K.STOPPED] = True
