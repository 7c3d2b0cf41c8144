"""The server's warm-up (``ui.race.warm_up``) races a tiny stream and builds its accuracy chart,
so a server's first Run pays neither the learners' nor plotly's first-use costs."""

from __future__ import annotations

import plotly.graph_objects as go

from ui.race import warm_race_and_chart


def test_the_warm_up_races_the_default_contenders_and_draws_their_chart():
    fig = warm_race_and_chart()
    assert isinstance(fig, go.Figure)
    lines = [t for t in fig.data if t.mode == "lines" and t.showlegend is not False]
    assert len(lines) == 4  # the default preset's four contenders
    assert max(max(t.x) for t in lines) == 1500
