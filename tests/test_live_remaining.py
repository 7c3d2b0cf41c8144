"""No live redraw in a race's last second (``ui.race.LIVE_MIN_REMAINING_SECONDS``): the finished
chart replaces it at once, so drawing it only delays the results (issue 13, speed)."""

from __future__ import annotations

from ui.race import LIVE_FIRST_SECONDS, LIVE_MIN_REMAINING_SECONDS, redraw_due


def test_no_live_redraw_when_the_rest_of_the_race_is_shorter_than_the_least_left():
    due = dict(n=20000, samples_since=5000, seconds_since=10.0, every=2375)
    elapsed = max(LIVE_FIRST_SECONDS, 1.2)
    # 12,000 of 20,000 samples in 1.2 s: 8,000 more take 0.8 s at that pace
    left = elapsed * 8000 / 12000
    assert (left >= LIVE_MIN_REMAINING_SECONDS) == redraw_due(done=12000, elapsed=elapsed, **due)
    assert left < LIVE_MIN_REMAINING_SECONDS  # so: no redraw
    # 4,000 of 20,000 in 1.2 s: 4.8 s left, a long race keeps its live chart
    assert redraw_due(done=4000, elapsed=elapsed, **due)
    # an overloaded machine: the default race still running at 2.5 s with a fifth to go
    assert not redraw_due(done=16000, elapsed=2.5, **due)
