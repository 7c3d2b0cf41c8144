"""The top of a lesson's page and its verdict badge (streamlit): the title row with "Back",
"Next" and the "Presenter" toggle (in presenter mode a select of the lesson too, as the sidebar
is hidden), the sidebar's list of lessons, and the badge that says whether the claim held.

Split from :mod:`ui.pages.lessons` (the page: settings, runs, charts, verdict panel), which
draws these.
"""

from __future__ import annotations

import streamlit as st

from lab.lessons.catalogue import LESSONS, Lesson
from ui import keys as K
from ui.scroll import steady_scroll_script

ss = st.session_state
KEYS = tuple(LESSONS)
JUMP = "lesson_jump"  # presenter mode's select of the lesson (the sidebar is hidden)


def title(lesson: Lesson) -> str:
    return f"{lesson.number}. {lesson.title}"


def on_step(delta: int) -> None:
    i = KEYS.index(ss.get(K.LESSON, KEYS[0]))
    ss[K.LESSON] = KEYS[(i + delta) % len(KEYS)]


def on_jump() -> None:
    ss[K.LESSON] = ss[JUMP]


def lesson_navigation(lesson: Lesson, presenter: bool) -> None:
    """The title row: the title, "Back" and "Next", the "Presenter" toggle. Presenter mode hides
    the sidebar's list of lessons, so the row then holds a select to jump to any lesson
    (``JUMP``) and "Back" / "Next" shrink to their arrows: the way to another lesson and out of
    presenter mode stay on the one screen."""
    heading = f'<div class="driftlab-title"><h2>Lesson {title(lesson)}</h2></div>'
    if presenter:
        head, nav = st.columns([4.4, 4.4], vertical_alignment="center")
        jump, n1, n2, n3 = nav.columns([2.5, 0.7, 0.7, 1.75], vertical_alignment="center")
        ss[JUMP] = lesson.key  # the select shows the lesson on screen, however it was reached
        jump.selectbox("Go to lesson", KEYS, key=JUMP, on_change=on_jump,
                       format_func=lambda k: title(LESSONS[k]), label_visibility="collapsed",
                       help="jump to another lesson (presenter mode hides the sidebar's list)")
        head.markdown(heading, unsafe_allow_html=True)
        back, forth, width = "", "", "stretch"
    else:
        # One wrapping row: the buttons keep their whole labels ("Back", "Next", "Presenter")
        # and go under the title when the page is too narrow for both; fixed columns cut them
        # to "B.", "N" and "Pres..." at 1024 px with the sidebar open (session 9's walk-through).
        row = st.container(horizontal=True, vertical_alignment="center", gap="small",
                           key="lesson_title_row")
        row.markdown(heading, unsafe_allow_html=True, width="stretch")
        n1 = n2 = n3 = row
        back, forth, width = "Back", "Next", "content"
    n1.button(back, key="lesson_prev", on_click=on_step, args=(-1,),
              icon=":material/chevron_left:", width=width, help="the previous lesson")
    n2.button(forth, key="lesson_next", on_click=on_step, args=(1,),
              icon=":material/chevron_right:", width=width, help="the next lesson")
    n3.toggle("Presenter", key=K.PRESENTER,
              help="on: hides the sidebar and enlarges the text and charts, for a projector; "
                   "off: back to the normal page")


SHOWN = "lesson_shown"  # the lesson the page showed in its last run, and how many changes
TO_TOP = "lesson_to_top"  # the container of TOP_SCRIPT's frame (taken out of the page's flow)
# A lesson picked from the list (or with Back / Next, or presenter mode's select) opens at its
# top: Streamlit kept the page's scroll position, so after reading far down one lesson the next
# opened with its title above the window (session 11's walk-through: lesson 16). Streamlit has
# no scroll API; as on the race page (ui.scroll), a constant script (no user text; the number
# only makes each change's frame new, so the browser runs it again) runs in a 1-px st.iframe
# (same origin, so it reaches the page), drawn only in the run that changed the lesson, never
# when the same lesson reruns (a setting, a tab, Try). It scrolls to 0 every box that scrolls
# the title (Streamlit's main area) and the document.
TOP_SCRIPT = """<script data-change="%d">
(() => {
  const doc = window.parent.document;
  const title = doc.querySelector('.driftlab-title');
  for (let box = title; box; box = box.parentElement) {
    if (box.scrollTop > 0) box.scrollTo({top: 0});
  }
  if (doc.scrollingElement) doc.scrollingElement.scrollTo({top: 0});
})();
</script>"""
TO_RESULTS = "lesson_to_results"  # the container of RESULTS_SCRIPT's frame (out of the flow)
RESULTS_ASKED = "lesson_results_asked"  # (number of the last ask, whether it is still to draw)
RESULT_ROW = "lesson_result_row"  # the container of the chart and the verdict (ui.pages.lessons)
# After "Try it", "Back to the lesson" or "Make the claim fail" (presenter mode off) the chart and
# then the verdict in view: the page stayed where the button was, so at 1024x768 (the verdict
# under the chart) the user saw the verdict and the chart that changed was scrolled away
# (session 11's walk-through). As ui.scroll.SCROLL_SCRIPT does on the race page (its scroller
# code reused): once the result row has its chart and kept its place and size for three checks
# (the run's spinner above it moves it meanwhile), the row's top goes GAP px under the window's
# top; what 768 px leave below the chart is the verdict's start. The lessons page has no sticky
# bar: the bar's selector (a key no element has) finds nothing and counts 0 px. Presenter mode
# fits the claim, chart and verdict on the first screen (tests/test_lessons_presenter_browser.py)
# and is not scrolled.
RESULTS_SCRIPT = steady_scroll_script("results", f".st-key-{RESULT_ROW}",
                                      controls="lesson_no_sticky_bar")
# Their frames take no room: their containers leave the flow (no 1-px element and gap under the
# title row or the results on some runs and not on others).
TO_TOP_CSS = "<style>" + "".join(f"""
[data-testid="stLayoutWrapper"]:has(> .st-key-{key}), .st-key-{key}
{{position: absolute !important; width: 1px; height: 1px; overflow: hidden; gap: 0;}}"""
                                 for key in (TO_TOP, TO_RESULTS)) + "\n</style>"


def open_at_top(lesson: Lesson) -> None:
    """Under the title row: :data:`TOP_SCRIPT` when the lesson shown is not the one the last
    run of the page showed (the first visit of the session included); an empty container
    otherwise, so the page's elements keep their places from run to run."""
    shown, changes = ss.get(SHOWN, (None, 0))
    st.html(TO_TOP_CSS)
    box = st.container(key=TO_TOP)
    if shown != lesson.key:
        changes += 1
        with box:
            st.iframe(TOP_SCRIPT % changes, height=1)
    ss[SHOWN] = (lesson.key, changes)


def ask_for_results() -> None:
    """A button's callback that changes the run (Try, Back to the lesson, Fail): the next run of
    the page brings the chart and the verdict into view (:func:`results_into_view`)."""
    number, _ = ss.get(RESULTS_ASKED, (0, False))
    ss[RESULTS_ASKED] = (number + 1, True)


def results_into_view(presenter: bool) -> None:
    """After the result row: :data:`RESULTS_SCRIPT` in the run that a Try / Fail button asked
    for (its number makes each ask's frame new, so the browser runs it), outside presenter
    mode; an empty container otherwise, so the page's elements keep their places."""
    number, pending = ss.get(RESULTS_ASKED, (0, False))
    box = st.container(key=TO_RESULTS)
    if pending and not presenter:
        with box:
            st.iframe(RESULTS_SCRIPT % number, height=1)
    ss[RESULTS_ASKED] = (number, False)


def forget_lesson_shown() -> None:
    """Called while another page (the race lab) is shown: the lesson shown next opens at its top
    (:func:`open_at_top`), as a lesson newly picked, not at the scroll position of that page.
    The number of changes is kept, so the next frame is new to the browser."""
    _, changes = ss.get(SHOWN, (None, 0))
    ss[SHOWN] = (None, changes)


def lesson_sidebar() -> None:
    with st.sidebar:
        # persist_state="session": the race lab does not draw this radio, and without it
        # Streamlit dropped its value there, so coming back opened lesson 1, not the last one
        st.radio("Lesson", KEYS, key=K.LESSON, format_func=lambda k: title(LESSONS[k]),
                 help="one click loads and runs the lesson", persist_state="session")


def badge_headline(holds: bool, trying: bool = False, expected: bool | None = None) -> str:
    """The verdict's first sentence (bold in the badge). On a Try run (``trying``)
    ``expected`` is the verdict the lesson says the change gives (``Lesson.try_keeps_claim``,
    None: no promise)."""
    if not trying:
        return ("The claim holds." if holds else
                "The claim does not hold for these settings.")
    verdict = "still holds" if holds else "does not hold"
    if expected is None:
        return f"With the Try change the claim {verdict} (this change is about something else)."
    if holds == expected:
        return f"With the Try change the claim {verdict}, as this change is meant to show."
    return (f"With the Try change the claim {verdict}, which is not what the lesson says "
            "will happen.")


def claim_badge(holds: bool, detail: str, trying: bool = False,
                expected: bool | None = None, why: str = "") -> None:
    """The claim's verdict on the run shown: :func:`badge_headline`, then ``why`` (the reason
    of a "Make the claim fail" run) and ``detail`` (the numbers; "" in presenter mode, which
    puts them in an expander). A Try verdict that is the expected one is shown as information,
    so the badge and the Try box ("It happened") never contradict."""
    text = " ".join(part for part in (f"**{badge_headline(holds, trying, expected)}**", why,
                                      detail) if part)
    if trying:
        if expected is not None and holds != expected:
            st.warning(text, icon=":material/cancel:")
        else:
            st.info(text, icon=":material/science:")
    elif holds:
        st.success(text, icon=":material/check_circle:")
    else:
        st.warning(text, icon=":material/cancel:")
