"""The mode switch at the top of the sidebar, which the router (``app.py``) turns into the page
shown, and the link parameters that set it: ``?mode=lessons|race``, ``?lesson=<key or number>``
and ``?presenter=1|0`` (the Lessons page's presenter view; ``ui.pages.lessons`` writes all three
back into the address as they change). Bad values: a warning, never an exception.
"""

from __future__ import annotations

import streamlit as st

from lab.lessons.catalogue import LESSONS, get_lesson
from ui import keys as K

ss = st.session_state
MODES = ("Race lab", "Lessons")
KEYS = tuple(LESSONS)
LINK_PARAMETERS = ("mode", "lesson", "presenter")  # ours, not config paths (ui.urls)
PRESENTER_ON = ("1", "true", "yes", "on")
PRESENTER_OFF = ("0", "false", "no", "off")


def boot_mode() -> None:
    """First run of a session: ``?mode=`` and ``?lesson=`` from the URL (never raises)."""
    if ss.get(K.MODE_BOOTED):
        return
    ss[K.MODE_BOOTED] = True
    params = {k: (v[-1] if isinstance(v, (list, tuple)) and v else v)
              for k, v in st.query_params.to_dict().items()}
    # ui.urls reads every unknown parameter as a config path: these are ours.
    ss[K.URL_WARNINGS] = [w for w in ss.get(K.URL_WARNINGS, [])
                           if not w.startswith(tuple(f"The link's parameter {name}="
                                                     for name in LINK_PARAMETERS))]
    warnings = []
    mode = params.get("mode")
    if mode is not None:
        m = str(mode).strip().lower().replace("-", " ").replace("_", " ")
        if m in ("lessons", "lesson"):
            ss[K.MODE] = "Lessons"
        elif m in ("race", "lab", "race lab"):
            ss[K.MODE] = "Race lab"
        else:
            ss[K.URL_WARNINGS] = ss[K.URL_WARNINGS] + [
                f"The link asks for mode '{mode}', which does not exist (use mode=lessons or "
                "mode=race); showing the race lab."]
    lesson = params.get("lesson")
    if lesson is not None:
        if mode is None:
            ss[K.MODE] = "Lessons"
        try:
            ss[K.LESSON] = get_lesson(str(lesson).strip()).key
        except Exception:
            warnings.append(f"The link asks for lesson '{lesson}', which does not exist (use "
                            f"one of: {', '.join(KEYS)}, or a number 1-{len(KEYS)}); showing "
                            "lesson 1.")
    presenter = params.get("presenter")
    if presenter is not None:
        value = str(presenter).strip().lower()
        if value in PRESENTER_ON + PRESENTER_OFF:
            ss[K.PRESENTER] = value in PRESENTER_ON
        else:
            warnings.append(f"The link asks for presenter '{presenter}', which is neither on nor "
                            "off (use presenter=1 or presenter=0); showing the normal view.")
    ss[K.LESSON_WARNINGS] = warnings


def mode_switch() -> str:
    """The mode control at the top of the sidebar; returns "Race lab" or "Lessons"."""
    boot_mode()
    if ss.get(K.MODE) not in MODES:
        ss[K.MODE] = MODES[0]
    st.sidebar.segmented_control("Mode", MODES, key=K.MODE, required=True, width="stretch",
                                 label_visibility="collapsed",
                                 help="the race lab to design your own races, or guided lessons")
    mode = ss.get(K.MODE) or MODES[0]
    if mode == MODES[0] and any(k in st.query_params for k in LINK_PARAMETERS):
        for k in LINK_PARAMETERS:
            if k in st.query_params:
                del st.query_params[k]
    return mode
