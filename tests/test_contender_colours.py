"""The contenders' colours stay apart for colour-blind viewers and on a washed-out projector
(issue 13, session 9's walk-through: sky blue dashed next to blue and vermillion dashed next to
orange read as one on a projector, and contenders 7-10 repeated 1-4's colours); where colours
come close, the line's pattern tells them apart, on the chart and in the legend (session 11's
walk-through: indigo dash-dotted read as blue on a projector, and a dashed contender's legend
swatch stood apart from its label); the k-means lesson's colours stay apart too.

The colour maths (CIEDE2000, Machado et al. 2009's simulation of colour-vision deficiencies, a
washed-out projector) is in ``tests/colour_vision.py``; the first tests check it by hand, as
:func:`dash_pattern` (plotly's drawing of a line's dash) is checked on hand-computed cases.
"""

from __future__ import annotations

from itertools import combinations

import numpy as np
import pytest
from colour_vision import CONDITIONS, ciede2000, closest_pair, hex_to_linear, seen

from lab.plots.lessons import KMEANS_STYLE
from lab.plots.palette import (
    BASELINE_DASHES,
    CONTENDER_STYLES,
    DASH,
    DASH_DOT,
    ORACLE_COLOR,
    PREVIOUS_DASH,
)
from lab.plots.race import BASELINE_COLOR
from lab.plots.style import FAILURE_COLOR

COLOURS = [c for c, _ in CONTENDER_STYLES]
REFERENCES = [BASELINE_COLOR, ORACLE_COLOR, FAILURE_COLOR]  # grey, black, red markers
#: The least CIEDE2000 difference of any two of the ten contenders (and of a contender and a
#: reference line), on a good screen for normal vision and each simulated colour-vision
#: deficiency, and on a washed-out projector for normal vision. For scale: Okabe-Ito's blue and
#: sky blue, read as one on a projector in the walk-through, were 9.7 apart on it; the first four
#: Okabe-Ito colours (kept as contenders 1-4) come within 10.9 of each other for tritanopia.
CLEAR = 6.0
#: ... and for a colour-vision deficiency on a washed-out projector, where no ten colours stay far
#: apart (Okabe-Ito's own first four come within 5.9): there the dash is the second cue.
FAINT = 3.0
#: Two colours closer than this on a washed-out projector (normal vision) read as one there:
#: session 11's walk-through read indigo and blue (11.7 apart) as one, session 9's sky blue and
#: blue (9.7). No colour of Paul Tol's schemes gets this far from all of contenders 1-5 there
#: (14.7 at most), so a contender's line pattern must tell such pairs apart.
NEAR = 15.0
#: The legend draws every line 5 px wide (itemsizing "constant") over a swatch 30 px long, its
#: label 5 px after the swatch's end (plotly.js's legend; measured in chromium: the swatch is
#: the path "M5,0h30", the text at x=40, stroke-width 5px).
LEGEND_LINE_WIDTH, SWATCH = 5.0, 30.0


@pytest.mark.parametrize("lab1, lab2, expected", [
    # Sharma, Wu & Dalal (2005), table 1: pairs 1, 7, 17 and 18
    ((50, 2.6772, -79.7751), (50, 0, -82.7485), 2.0425),
    ((50, 0, 0), (50, -1, 2), 2.3669),
    ((50, 2.5, 0), (73, 25, -18), 27.1492),
    ((50, 2.5, 0), (61, -5, 29), 22.8977),
])
def test_ciede2000_matches_sharmas_test_pairs(lab1, lab2, expected):
    assert ciede2000(lab1, lab2) == pytest.approx(expected, abs=1e-4)
    assert ciede2000(lab2, lab1) == pytest.approx(expected, abs=1e-4)


def test_the_simulations_keep_white_and_grey_and_merge_red_with_green():
    # sRGB white is L* 100 and neutral; a grey keeps its lightness under every deficiency
    assert np.allclose(seen("#FFFFFF"), [100, 0, 0], atol=0.05)
    assert hex_to_linear("#808080") == pytest.approx([0.2159] * 3, abs=1e-4)
    for condition in CONDITIONS:
        assert np.allclose(seen("#808080", condition), seen("#808080"), atol=0.5), condition
    # red and green, far apart normally, come close for the red-green deficiencies only
    normal = ciede2000(seen("#D62728"), seen("#2CA02C"))
    for condition in ("protanopia", "deuteranopia"):
        assert ciede2000(seen("#D62728", condition), seen("#2CA02C", condition)) < normal / 2
    # a washed-out projector brings every pair closer (black turns grey)
    assert seen("#000000", washed=True)[0] > 50


def test_ten_distinct_contender_colours_none_a_reference_nor_yellow():
    assert len(COLOURS) == 10 and len({c.upper() for c in COLOURS}) == 10
    assert not {c.upper() for c in COLOURS} & {c.upper() for c in REFERENCES}
    assert all(seen(c)[0] < 75 for c in COLOURS)  # no pale line on white (yellow is L* 90)


@pytest.mark.parametrize("condition", CONDITIONS)
def test_contenders_stay_apart_for_each_kind_of_vision_and_on_a_projector(condition):
    for washed in (False, True):
        bar = CLEAR if condition == "normal" or not washed else FAINT
        gap, one, other = closest_pair(COLOURS + REFERENCES, condition, washed)
        assert gap >= bar, (condition, washed, one, other, round(gap, 1))


def test_the_walk_throughs_pairs_are_apart_on_a_projector():
    """5 beside 1 and 6 beside 2 (sky blue / blue and vermillion / orange before, 9.7 and 14.0
    apart on a washed-out projector) are now of another hue, twice as far apart at least."""
    assert ciede2000(seen("#56B4E9", washed=True), seen("#0072B2", washed=True)) \
        == pytest.approx(9.7, abs=0.05)
    assert ciede2000(seen("#D55E00", washed=True), seen("#E69F00", washed=True)) \
        == pytest.approx(14.0, abs=0.05)
    for new, old in ((COLOURS[4], COLOURS[0]), (COLOURS[5], COLOURS[1])):
        gap = ciede2000(seen(new, washed=True), seen(old, washed=True))
        assert gap > 2 * 14.0, (new, old, gap)


def test_dashes_are_a_second_cue():
    """1-4 solid, 5-10 dashed or dash-dotted; a colour of 5-10 that comes within :data:`CLEAR`
    of another contender's anywhere has a pattern that tells it apart (on the race's 2.5-px
    lines); none is the overlay's dots. (1-4 are Okabe-Ito's, kept: blue and bluish green come
    within 5.9 of each other for tritanopia on a washed-out projector.)"""
    assert [d for _, d in CONTENDER_STYLES[:4]] == ["solid"] * 4
    assert all(d in (DASH, DASH_DOT) for _, d in CONTENDER_STYLES[4:])
    assert PREVIOUS_DASH not in {d for _, d in CONTENDER_STYLES}
    for (c1, d1), (c2, d2) in combinations(CONTENDER_STYLES, 2):
        if (c1, d1) in CONTENDER_STYLES[:4] and (c2, d2) in CONTENDER_STYLES[:4]:
            continue
        gap = min(ciede2000(seen(c1, cond, w), seen(c2, cond, w))
                  for cond in CONDITIONS for w in (False, True))
        if gap < CLEAR:
            assert visibly_different((d1, 2.5), (d2, 2.5)), (c1, c2, round(gap, 1))


# ---------------------------------------------------------------------------------------------
# Line patterns: the second cue, on the chart and in the legend
# ---------------------------------------------------------------------------------------------
def dash_pattern(dash: str | None, width: float) -> list[float]:
    """The px on/off pattern plotly.js draws for ``dash`` on a line ``width`` px wide (its
    ``Drawing.dashStyle``: a named dash scales with the width, at least 3 px; a pattern given
    in px is drawn as it is); ``[]`` is a solid line."""
    unit = max(width, 3.0)
    named = {"solid": [], None: [], "dot": [1, 1], "dash": [3, 3], "longdash": [5, 5],
             "dashdot": [3, 1, 1, 1], "longdashdot": [5, 2, 1, 2]}
    if dash in named:
        return [unit * k for k in named[dash]]
    return [float(part.strip().removesuffix("px")) for part in dash.split(",")]


def swatch_reach(pattern: list[float], length: float = SWATCH) -> float:
    """How far along a legend swatch ``length`` px long the line is drawn (the end of its last
    drawn piece): the label stands ``length - reach`` px of white (and 5 px) after the line."""
    if not pattern:
        return length
    at, reach, k = 0.0, 0.0, 0
    while at < length:
        if k % 2 == 0:
            reach = min(at + pattern[k % len(pattern)], length)
        at += pattern[k % len(pattern)]
        k += 1
    return reach


def pieces(pattern: list[float]) -> int:
    """Drawn pieces per period of ``pattern`` (0: solid; 1: dashed; 2: dash-dotted)."""
    return len(pattern) // 2 if len(pattern) % 2 == 0 else len(pattern)


def visibly_different(one: tuple[str, float], other: tuple[str, float]) -> bool:
    """Two lines ``(dash, width)`` whose patterns tell them apart: different numbers of pieces
    per period (solid, dashed, dash-dotted), and every gap of a broken line at least twice
    the line's width (narrower gaps blur into a solid line on a projector: plotly's "dashdot"
    on the race's 2.5-px lines had 3-px gaps and read as solid)."""
    patterns = [dash_pattern(d, w) for d, w in (one, other)]
    if pieces(patterns[0]) == pieces(patterns[1]):
        return False
    return all(gap >= 2 * w for p, (_, w) in zip(patterns, (one, other)) for gap in p[1::2])


def test_dash_pattern_and_swatch_match_hand_computed_cases():
    assert dash_pattern("dashdot", 2.5) == [9, 3, 3, 3]  # the race's old contender 6
    assert dash_pattern("dash", LEGEND_LINE_WIDTH) == [15, 15]  # the old dash in the legend
    assert dash_pattern("dot", 1.5) == [3, 3] and dash_pattern("solid", 2.5) == []
    assert dash_pattern("7.5px,6px,3px,6px", 2.5) == [7.5, 6, 3, 6]
    assert swatch_reach([15, 15]) == 15  # 15 px drawn, then 15 px of white before the label
    assert swatch_reach([12, 6]) == 30  # 0-12 and 18-30
    assert swatch_reach([12, 6, 3, 6]) == 30  # 0-12, 18-21, 27-30
    assert swatch_reach([7.5, 6, 3, 6]) == 30  # 0-7.5, 13.5-16.5, 22.5-30
    assert swatch_reach([25, 25]) == 25 and swatch_reach([]) == 30
    assert pieces([]) == 0 and pieces([12, 6]) == 1 and pieces([12, 6, 3, 6]) == 2
    assert not visibly_different(("solid", 2.5), ("dashdot", 2.5))  # gaps of 3 px
    assert visibly_different(("solid", 2.5), (DASH_DOT, 2.5))
    assert not visibly_different((DASH, 2.5), (DASH, 2.5))


def _race_figure(n: int):
    """The race's accuracy chart with ``n`` contenders, two baselines, the oracle and a sudden
    drift (a timeline in the shape the race writes, docs/outputs.md)."""
    import pandas as pd

    from lab import plots

    names = [f"Contender {i + 1}" for i in range(n)] + ["No-change baseline", "Majority",
                                                        "Hindsight"]
    rows = [{"t": t, "contender": name, "acc_window": 0.8 + 0.01 * k + 0.002 * (t % 700) / 700,
             "staleness": 1, "train_samples_cum": t, "train_cpu_s_cum": 0.0, "retrains_cum": 0}
            for k, name in enumerate(names) for t in range(100, 4001, 100)]
    return plots.accuracy_figure(pd.DataFrame(rows), None, [{"at": 2000, "width": 0}],
                                 baselines=["No-change baseline", "Majority"],
                                 oracles=["Hindsight"])


def _contender_lines(fig) -> list:
    return [t for t in fig.data if t.mode == "lines" and t.name.startswith("Contender")]


def _kmeans_figure():
    """Lesson 11's figure on a small made-up run (the attributes ``kmeans_figure`` reads)."""
    from types import SimpleNamespace

    from lab.lessons.kmeans import METHODS
    from lab.plots import kmeans_figure

    times = np.arange(100, 1001, 100)
    drift = np.linspace(0, 3, len(times))[:, None, None] * np.array([1.0, 0.0])
    truth = np.array([[0.0, 0.0], [0.0, 4.0]])[None] + drift
    paths = {m: truth + 0.1 * i for i, m in enumerate(METHODS)}
    paths["batch_all"] = np.repeat(truth.mean(axis=0, keepdims=True), len(times), axis=0)
    run = SimpleNamespace(X=np.random.default_rng(0).normal(size=(500, 2)), truth=truth,
                          times=times, paths=paths,
                          distance={m: np.linspace(0, 1, len(times)) for m in METHODS})
    return kmeans_figure(run, METHODS)


@pytest.mark.parametrize("figure", ["race", "kmeans"])
def test_every_legend_line_reaches_its_label(figure):
    """A legend line swatch drawn up to at most 6 px before its 30-px end (a solid line's label
    stands 5 px after it): the old dashed contender 5, the "drift" entry and the k-means
    lesson's mini-batch were 15 px of line and 15 px of white, the swatch apart from its label
    (a six-contender legend, lesson 11)."""
    fig = _race_figure(10) if figure == "race" else _kmeans_figure()
    assert fig.layout.legend.itemsizing == "constant"  # every legend line 5 px wide
    entries = [t for t in fig.data if "lines" in (t.mode or "") and t.showlegend is not False
               and t.name]
    if figure == "race":
        assert {"drift", "No-change baseline"} <= {t.name for t in entries}
        assert len(entries) >= 10 + 4  # ten contenders, two baselines, the oracle, the drift
    else:
        assert "Mini-batch k-means (scikit-learn)" in {t.name for t in entries}
    for t in entries:
        pattern = dash_pattern(t.line.dash, LEGEND_LINE_WIDTH)
        # a broken line looks broken in its swatch: a gap, then line again, inside 30 px (the
        # oracle's "longdash" was 25 on, 25 off there: one solid stroke; second walk-through)
        assert not pattern or pattern[0] + pattern[1] < SWATCH - 2, (t.name, pattern)
        white = SWATCH - swatch_reach(pattern)
        assert white <= 6, (t.name, t.line.dash, white)


@pytest.mark.parametrize("n", [6, 10])
def test_contenders_differ_pairwise_in_colour_or_in_line_pattern(n):
    """Any two contenders' lines on the race's chart (and so in its legend): colours apart
    everywhere (:data:`CLEAR`, :data:`FAINT`, and :data:`NEAR` on a washed-out projector), or
    patterns that tell them apart (:func:`visibly_different`); a broken line's gaps at least
    twice its width (on the old code indigo, contender 6, was 11.7 from blue on a projector,
    dash-dotted with 3-px gaps)."""
    lines = _contender_lines(_race_figure(n))
    assert len(lines) == n
    for t in lines:
        pattern = dash_pattern(t.line.dash, t.line.width)
        assert all(gap >= 2 * t.line.width for gap in pattern[1::2]), (t.name, t.line.dash)
    for one, other in combinations(lines, 2):
        x, y = one.line.color, other.line.color
        near = ciede2000(seen(x, washed=True), seen(y, washed=True)) < NEAR or any(
            ciede2000(seen(x, c, w), seen(y, c, w)) < (FAINT if w and c != "normal" else CLEAR)
            for c in CONDITIONS for w in (False, True))
        if near:
            assert visibly_different((one.line.dash, one.line.width),
                                     (other.line.dash, other.line.width)), (one.name, other.name)


def test_the_two_grey_baselines_differ_in_pattern_on_the_chart_and_in_the_legend():
    """Both grey, 1.5 px; lesson 15's claim compares them. Plotly's "dot" and "dashdot" were
    3-px dots against a 9-px dash on the chart (15 in the legend against 5-px dots, whose
    swatch stopped 5 px short of its label): one pattern at 1024 px (session 11's walk-through).
    Now a long dash four times a dot or more, in both places, every gap twice the line."""
    assert visibly_different((BASELINE_DASHES[0], 1.5), (BASELINE_DASHES[1], 1.5))
    for width in (1.5, LEGEND_LINE_WIDTH):
        dots, dash_dots = (dash_pattern(d, width) for d in BASELINE_DASHES)
        assert max(dash_dots[0::2]) >= 4 * max(dots[0::2]), width
        assert swatch_reach(dots) == swatch_reach(dash_dots) == SWATCH


def test_the_kmeans_lessons_colours_stay_apart():
    """Lesson 11's figure: each method's colour and the true centres' black. Batch k-means on
    the first part was sky blue beside batch k-means on all data in blue (9.7 apart on a
    washed-out projector); now it is :data:`NEAR` or more from every other colour there, and
    all of them keep the contenders' bars (:data:`CLEAR`, :data:`FAINT`) everywhere."""
    colours = [c for c, _, _ in KMEANS_STYLE.values()] + ["#000000"]
    assert len({c.upper() for c in colours}) == len(colours)
    first = KMEANS_STYLE["batch_first"][0]
    for other in colours:
        if other != first:
            assert ciede2000(seen(first, washed=True), seen(other, washed=True)) >= NEAR, other
    for condition in CONDITIONS:
        for washed in (False, True):
            bar = CLEAR if condition == "normal" or not washed else FAINT
            gap, one, other = closest_pair(colours, condition, washed)
            assert gap >= bar, (condition, washed, one, other, round(gap, 1))
