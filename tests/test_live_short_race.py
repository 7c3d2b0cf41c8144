"""A race of under ``ui.race.LIVE_MIN_TOTAL_SECONDS`` in all draws no live chart (issue 13, speed):
its one live frame, built from scratch by the browser a second before the finished chart replaced
it, delayed the six-contender race's results."""

from __future__ import annotations

from ui.race import LIVE_FIRST_SECONDS, LIVE_MIN_TOTAL_SECONDS, redraw_due

DUE = dict(n=20000, samples_since=5000, seconds_since=10.0, every=2375)


def test_a_race_projected_under_the_least_total_draws_no_live_chart():
    elapsed = LIVE_FIRST_SECONDS
    # 9,000 of 20,000 samples in the first second: 2.22 s in all, 1.22 s left
    projected = elapsed * 20000 / 9000
    assert projected < LIVE_MIN_TOTAL_SECONDS
    assert elapsed * 11000 / 9000 >= 1.0  # more than a second left: only the total refuses
    assert not redraw_due(done=9000, elapsed=elapsed, **DUE)


def test_a_race_projected_over_the_least_total_keeps_its_live_chart():
    # 6,000 of 20,000 samples in the first second: 3.33 s in all
    assert 20000 / 6000 * LIVE_FIRST_SECONDS >= LIVE_MIN_TOTAL_SECONDS
    assert redraw_due(done=6000, elapsed=LIVE_FIRST_SECONDS, **DUE)


def test_a_slow_race_redraws_every_few_seconds_however_few_samples_it_raced():
    """Six slow contenders on a busy server (70 s): redraws spread over the samples left the
    chart empty for its first 12 s (session 10's walk-through)."""
    from ui.race import LIVE_MAX_GAP_SECONDS

    slow = dict(n=20000, every=2375, done=2000)  # 1,000 samples past the warm-up
    assert not redraw_due(samples_since=1000, seconds_since=LIVE_MAX_GAP_SECONDS * 0.9,
                          elapsed=LIVE_MAX_GAP_SECONDS * 0.9, **slow)
    assert redraw_due(samples_since=1000, seconds_since=LIVE_MAX_GAP_SECONDS,
                      elapsed=LIVE_MAX_GAP_SECONDS, **slow)
