"""The contenders' colours stay apart for colour-blind viewers and on a washed-out projector
(issue 13, session 9's walk-through: sky blue dashed next to blue and vermillion dashed next to
orange read as one on a projector, and contenders 7-10 repeated 1-4's colours).

The colour maths (CIEDE2000, Machado et al. 2009's simulation of colour-vision deficiencies, a
washed-out projector) is in ``tests/colour_vision.py``; the first tests check it by hand.
"""

from __future__ import annotations

from itertools import combinations

import numpy as np
import pytest
from colour_vision import CONDITIONS, ciede2000, closest_pair, hex_to_linear, seen

from lab.plots.palette import CONTENDER_STYLES, ORACLE_COLOR, PREVIOUS_DASH
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
    of another contender's anywhere has another dash; none is the overlay's dots. (1-4 are
    Okabe-Ito's, kept: blue and bluish green come within 5.9 of each other for tritanopia on a
    washed-out projector.)"""
    assert [d for _, d in CONTENDER_STYLES[:4]] == ["solid"] * 4
    assert all(d in ("dash", "dashdot") for _, d in CONTENDER_STYLES[4:])
    assert PREVIOUS_DASH not in {d for _, d in CONTENDER_STYLES}
    for (c1, d1), (c2, d2) in combinations(CONTENDER_STYLES, 2):
        if (c1, d1) in CONTENDER_STYLES[:4] and (c2, d2) in CONTENDER_STYLES[:4]:
            continue
        gap = min(ciede2000(seen(c1, cond, w), seen(c2, cond, w))
                  for cond in CONDITIONS for w in (False, True))
        if gap < CLEAR:
            assert d1 != d2, (c1, c2, round(gap, 1))
