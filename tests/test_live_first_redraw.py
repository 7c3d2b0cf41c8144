"""A race over within ``ui.race.LIVE_FIRST_SECONDS`` draws no live chart: the progress bar, then
the finished chart (the one live redraw of a short race cost the browser a chart built from
scratch a moment before the finished one replaced it)."""

from __future__ import annotations

from ui.race import LIVE_FIRST_SECONDS, LIVE_MIN_SECONDS, redraw_due


def test_no_live_redraw_before_the_race_has_run_a_second():
    due = dict(done=5000, n=20000, samples_since=5000, seconds_since=10.0, every=2375)
    assert not redraw_due(**due, elapsed=LIVE_FIRST_SECONDS * 0.9)
    assert redraw_due(**due, elapsed=LIVE_FIRST_SECONDS)
    assert LIVE_FIRST_SECONDS >= LIVE_MIN_SECONDS  # later redraws keep their own spacing
