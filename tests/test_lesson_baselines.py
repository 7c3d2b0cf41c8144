"""Every race lesson draws its baselines as the race lab does: on the accuracy chart as thin grey
reference lines named plainly ("No-change baseline", "Majority baseline"), taking no contender
colour; on the age, cost and trade-off charts not at all; and each contender keeps one colour
across the lesson's charts, the oracle (lesson 16) being the race lab's black long-dashed
"Best schedule in hindsight (oracle)" on every chart that draws lines.

The charts are built from each lesson's recorded outputs (``tests/data/recorded/<lesson>/``,
kept current by ``tests/test_recorded_outputs.py``) through ``lab.lessons.runner.race_chart``,
which ``lesson_figures`` uses for a live run, so no race is run here. The Lessons page's AppTest
(``tests/test_lessons_app.py``) checks the same on the charts of every lesson it shows.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from lab.lessons.catalogue import LESSONS
from lab.lessons.runner import baseline_names, race_chart
from lab.plots import ORACLE_LABEL, oracle_names
from lab.plots.palette import ORACLE_COLOR, ORACLE_DASH
from lab.plots.race import BASELINE_COLOR, BASELINE_DASHES

RECORDED = Path(__file__).resolve().parent / "data" / "recorded"
RACE_LESSONS = [key for key, lesson in LESSONS.items() if lesson.is_race]
PLAIN_NAMES = {"No-change baseline", "Majority baseline"}


def recorded_outputs(key: str) -> tuple[dict, pd.DataFrame, pd.DataFrame, int]:
    """``(summary, timeline, events, window)`` of the lesson's recorded run. The recording
    leaves out the machine-dependent CPU seconds; the cost chart's lower panel gets zeros."""
    folder = RECORDED / key
    summary = json.loads((folder / "summary.json").read_text())
    timeline = pd.read_csv(folder / "timeline.csv")
    if "train_cpu_s_cum" not in timeline.columns:
        timeline["train_cpu_s_cum"] = 0.0
    events = pd.read_csv(folder / "events.csv")
    window = json.loads((folder / "config.json").read_text())["evaluation"]["window"]
    return summary, timeline, events, int(window)


def line_traces(fig) -> list:
    """The traces drawn as lines with data (not the legend-only entries of markers)."""
    return [t for t in fig.data if t.type == "scatter" and t.mode == "lines"
            and t.x is not None and len(t.x) > 0 and t.x[0] is not None]


def colours_of(fig, names) -> dict[str, str]:
    """Each contender's colour in ``fig`` (its line's, or its marker's on the trade-off chart)."""
    out = {}
    for trace in fig.data:
        if trace.name in names and trace.name not in out:
            colour = trace.line.color if trace.mode == "lines" else trace.marker.color
            out[trace.name] = colour
    return out


@pytest.mark.parametrize("key", RACE_LESSONS)
def test_lesson_charts_draw_the_baselines_grey_and_thin_on_the_accuracy_chart_only(key):
    lesson = LESSONS[key]
    summary, timeline, events, window = recorded_outputs(key)
    reference = baseline_names(summary)
    assert set(reference) == PLAIN_NAMES, (key, reference)  # every race lesson races them
    oracles = oracle_names(summary)
    contenders = [c["name"] for c in summary["contenders"]
                  if not c.get("baseline") and c["name"] not in oracles]
    colours = []
    for chart in lesson.charts:
        fig = race_chart(chart, summary, timeline, events, window)
        if chart == "boundary":
            assert fig is None  # drawn from the race's models, which baselines do not keep
            continue
        names = {t.name for t in fig.data}
        if chart == "accuracy":
            lines = {t.name: t for t in line_traces(fig)}
            for k, name in enumerate(reference):
                line = lines[name].line
                assert (line.color, line.dash) == (BASELINE_COLOR, BASELINE_DASHES[k]), name
                assert line.width < min(lines[c].line.width for c in contenders), name
                assert lines[name].showlegend is not False  # its own legend entry
            assert all(lines[c].line.color != BASELINE_COLOR for c in contenders)
        else:
            assert not names & set(reference), (chart, names & set(reference))
        if oracles and chart != "tradeoff":  # the trade-off chart marks it with a diamond
            drawn = [t for t in line_traces(fig) if t.name == ORACLE_LABEL]
            assert drawn and all((t.line.color, t.line.dash) == (ORACLE_COLOR, ORACLE_DASH)
                                 for t in drawn), chart
            assert not names & set(oracles), (chart, names & set(oracles))
        colours.append(colours_of(fig, contenders))
        assert set(colours[-1]) == set(contenders), (chart, colours[-1])
    assert all(c == colours[0] for c in colours), colours  # one colour per contender
