"""Bringing a race's results into view after Run or a new overlay (streamlit): the row of Run
that sticks to the window's top (:data:`CONTROLS_KEY`, styled in ``app.py``), the result tabs'
names that stick under it (:data:`TABS_CSS`), the scroll to the live race when it starts
(:data:`LIVE_SCROLL_SCRIPT`) and the one scroll after a race or an overlay picked
(:data:`SCROLL_SCRIPT`).
"""

from __future__ import annotations

import streamlit as st

CONTROLS_KEY = "driftlab_controls"  # the row of Run, Stop and the overlay picker (sticky)
# Scrolls the page, once per run shown and once per overlay picked, to one place: the story's
# top just under the row of Run (which sticks to the window's top, see app.py), so Run, the
# story and the accuracy chart are in view together (the whole chart with its x-axis). The place
# is computed from the page's layout alone, never from where the page was: every Run (first,
# repeated, answered from the cache) at every window size ends at the same position. It waits
# until the story and the chart have been drawn and kept their size for three checks (the
# contenders box collapsing and the live chart leaving move them meanwhile; measured in the
# window they had moved 20 px). Streamlit has no scroll API: this constant script (no user text
# in it) runs in an st.iframe 1 px high (same origin, so it reaches the page) in the script run
# that raced (or drew the overlay); tests/test_results_in_view_browser.py checks it in chromium
# at 1366x768 and 1024x768.
# Both scripts below end the same way: ``el``'s top just under the row of Run (CONTROLS_KEY),
# GAP px below it, in whichever box scrolls the page (the main area, or the document).
UNDER_CONTROLS_JS = """  const GAP = 8;
  const scroller = (el) => {
    for (let p = el.parentElement; p; p = p.parentElement) {
      const style = page.getComputedStyle(p);
      if (/(auto|scroll)/.test(style.overflowY) && p.scrollHeight > p.clientHeight) return p;
    }
    return doc.scrollingElement;
  };
  const underControls = (el) => {
    const box = scroller(el);
    const boxTop = box === doc.scrollingElement ? 0 : box.getBoundingClientRect().top;
    const bar = doc.querySelector('.st-key-CONTROLS');
    const barHeight = bar ? bar.getBoundingClientRect().height : 0;
    box.scrollTo({top: Math.max(0, box.scrollTop + el.getBoundingClientRect().top - boxTop
                                   - barHeight - GAP)});
  };
"""


# Once ``drawn`` holds a drawn plotly chart and ``target`` and ``drawn`` have kept their places
# and sizes for three checks 50 ms apart (10 s at most: a spinner, a collapsing box or a live
# chart leaving move them meanwhile), ``target``'s top goes just under the row of ``controls``;
# AFTER (JavaScript, may use ``target`` and ``scroller``) runs then. One template for the race
# page's results (SCROLL_SCRIPT), the What-if sweep's (ui.whatif) and a lesson's chart and
# verdict (ui.lesson_header): each was a near-copy of the others.
STEADY_SCROLL_JS = """<script data-ATTRIBUTE="%d">
(() => {
  const page = window.parent, doc = page.document, started = performance.now();
UNDER_CONTROLS
  let last = null, steady = 0;
  const later = () => { if (performance.now() - started < 10000) setTimeout(fit, 50); };
  const fit = () => {
    const target = doc.querySelector('TARGET'), drawn = doc.querySelector('DRAWN');
    if (!target || !drawn || !drawn.querySelector('.main-svg')) return later();
    const t = target.getBoundingClientRect(), d = drawn.getBoundingClientRect();
    const layout = [t.top, t.height, d.top - t.top, d.height].map(Math.round).join();
    if (layout !== last) { last = layout; steady = 0; return later(); }
    if (++steady < 3) return later();
    underControls(target);
AFTER  };
  fit();
})();
</script>"""


def steady_scroll_script(attribute: str, target: str, *, drawn: str | None = None,
                         controls: str = CONTROLS_KEY, after: str = "") -> str:
    """:data:`STEADY_SCROLL_JS` for CSS selectors ``target`` and ``drawn`` (default: the
    target), the row of key ``controls`` (a key no element has: no sticky row, 0 px), to be
    filled with ``% number`` (``data-<attribute>``: each scroll's frame new, so the browser runs
    it; an identical frame in the same place is kept as it is). All arguments are constants of
    the code, never user text.

    >>> script = steady_scroll_script("scroll", ".st-key-a", drawn=".st-key-b")
    >>> script.startswith('<script data-scroll="%d">'), "querySelector('.st-key-b')" in script
    (True, True)
    """
    return (STEADY_SCROLL_JS.replace("UNDER_CONTROLS\n", UNDER_CONTROLS_JS)
            .replace("CONTROLS", controls).replace("ATTRIBUTE", attribute)
            .replace("TARGET", target).replace("DRAWN", drawn or target)
            .replace("AFTER", after))


SCROLL_SCRIPT = steady_scroll_script("scroll", ".st-key-driftlab_story",
                                     drawn=".st-key-accuracy_chart")
# (no % in UNDER_CONTROLS_JS: SCROLL_SCRIPT is filled with the % number; tests match the %d)


def bring_results_into_view(number: int) -> None:
    """After a race or a new overlay: Run's row, the story and the accuracy chart in the window
    (SCROLL_SCRIPT). ``number`` is the scroll's number in the session: a frame whose script
    differs from the last one's, so the browser runs it (an identical frame in the same place
    is kept as it is)."""
    st.iframe(SCROLL_SCRIPT % number, height=1)


# The live race's place: its progress bar just under the row of Run, so that the live chart
# below it is in the window. Run pressed while reading a long tab (Cost, Summary, far down the
# page) drew the live chart above the window, out of sight, until the results came. Like
# SCROLL_SCRIPT: computed from the page's layout once it stood still for three checks, a
# constant script (no user text) in an st.iframe 1 px high, drawn inside the live area (which
# it finds as the block its own frame is in), so it goes with the live area when the race ends.
LIVE_SCROLL_SCRIPT = """<script>
(() => {
  const page = window.parent, doc = page.document, started = performance.now();
  const frame = window.frameElement;
  const area = frame && frame.closest('[data-testid="stVerticalBlock"]');
  if (!area) return;
UNDER_CONTROLS
  let last = null, steady = 0;
  const fit = () => {
    if (!area.isConnected || performance.now() - started > 5000) return;
    const top = Math.round(area.getBoundingClientRect().top);
    if (top !== last) { last = top; steady = 0; setTimeout(fit, 50); return; }
    if (++steady < 3) { setTimeout(fit, 50); return; }
    underControls(area);
  };
  fit();
})();
</script>""".replace("UNDER_CONTROLS\n", UNDER_CONTROLS_JS).replace("CONTROLS", CONTROLS_KEY)


def bring_live_race_into_view() -> None:
    """In the live area, as a race starts: the area under Run's row (LIVE_SCROLL_SCRIPT)."""
    st.iframe(LIVE_SCROLL_SCRIPT, height=1)


# The result tabs' names stick under the row of Run (which sticks to the window's top, see
# app.py): scrolled into the results, the tab bar slid under that row and its names were hidden
# (1366 and 1024 px). 3.1rem is the row's height (a 2.5rem button and 0.3rem padding above and
# below, CONTROLS_KEY's style in app.py). A <style> alone in st.html takes no room on the page.
TABS_CSS = """<style>
.st-key-RESULT_TABS [role="tablist"] {
  position: sticky; top: 3.1rem; z-index: 99; background: #FFFFFF;}
</style>"""


def stick_result_tabs(tabs_key: str) -> None:
    """The result tabs (``st.tabs`` with key ``tabs_key``) keep their names in view (TABS_CSS)."""
    st.html(TABS_CSS.replace("RESULT_TABS", tabs_key))
