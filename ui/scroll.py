"""Bringing a race's results into view after Run (streamlit): the row of Run that sticks to the
window's top (:data:`CONTROLS_KEY`, styled in ``app.py``) and the one scroll after a race
(:data:`SCROLL_SCRIPT`).
"""

from __future__ import annotations

import streamlit as st

CONTROLS_KEY = "driftlab_controls"  # the row of Run, Stop and the overlay picker (sticky)
# Scrolls the page, once per run shown, to one place: the story's top just under the row of Run
# (which sticks to the window's top, see app.py), so Run, the story and the accuracy chart are
# in view together (at 1366x768 the whole chart with its x-axis). The place is computed from the
# page's layout alone, never from where the page was: every Run (first, repeated, answered from
# the cache) at every window size ends at the same position. It waits until the story and the
# chart have been drawn and kept their size for three checks (the contenders box collapsing and
# the live chart leaving move them meanwhile; measured in the window they had moved 20 px).
# Streamlit has no scroll API: this constant script (no user text in it) runs in an st.iframe
# 1 px high (same origin, so it reaches the page) in the script run that raced;
# tests/test_results_in_view_browser.py checks it in chromium at 1366x768 and 1024x768.
SCROLL_SCRIPT = """<script data-run="%d">
(() => {
  const page = window.parent, doc = page.document, started = performance.now();
  const GAP = 8;
  let last = null, steady = 0;
  const scroller = (el) => {
    for (let p = el.parentElement; p; p = p.parentElement) {
      const style = page.getComputedStyle(p);
      if (/(auto|scroll)/.test(style.overflowY) && p.scrollHeight > p.clientHeight) return p;
    }
    return doc.scrollingElement;
  };
  const later = () => { if (performance.now() - started < 10000) setTimeout(fit, 50); };
  const fit = () => {
    const story = doc.querySelector('.st-key-driftlab_story');
    const chart = doc.querySelector('.st-key-accuracy_chart');
    if (!story || !chart || !chart.querySelector('.main-svg')) return later();
    const s = story.getBoundingClientRect(), c = chart.getBoundingClientRect();
    const layout = [s.top, s.height, c.top - s.top, c.height].map(Math.round).join();
    if (layout !== last) { last = layout; steady = 0; return later(); }
    if (++steady < 3) return later();
    const box = scroller(story);
    const boxTop = box === doc.scrollingElement ? 0 : box.getBoundingClientRect().top;
    const bar = doc.querySelector('.st-key-CONTROLS');
    const barHeight = bar ? bar.getBoundingClientRect().height : 0;
    box.scrollTo({top: Math.max(0, box.scrollTop + s.top - boxTop - barHeight - GAP)});
  };
  fit();
})();
</script>""".replace("CONTROLS", CONTROLS_KEY)  # no %s: tests match the %d


def bring_results_into_view(run_id: int) -> None:
    """After a race: Run's row, the story and the accuracy chart in the window (SCROLL_SCRIPT)."""
    st.iframe(SCROLL_SCRIPT % run_id, height=1)
