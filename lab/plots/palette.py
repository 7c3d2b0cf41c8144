"""The contenders' colours and line dashes, shared by every figure of :mod:`lab.plots`.

Split from :mod:`lab.plots.style` (which re-exports these names) to keep that module short.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

# Okabe & Ito (2008) colour-blind-safe qualitative palette. Vermillion comes late so that it is not
# mistaken for the red failure markers, and yellow (weak on white) comes last.
PALETTE: tuple[str, ...] = (
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#D55E00",  # vermillion
    "#000000",  # black
    "#F0E442",  # yellow
)

# The dashes of contenders 5-10, in pixels. A pattern given in px is drawn as it is, on the
# chart's 2.5-px lines and in the legend alike; plotly's named dashes are scaled by the line's
# width (at least 3 px), and the legend draws every line 5 px wide (itemsizing "constant",
# :func:`lab.plots.style.apply_layout`) over a 30-px swatch. Seen in session 11's walk-through:
# "dashdot" on the chart was 9, 3, 3, 3 px, gaps that blur into a near-solid line on a projector
# (so indigo, 6, read as blue, 1), and "dash" in the legend was 15 on, 15 off: a stub with 20 px
# of white before its label, which looked detached from it. These have gaps of 6 px (more than
# twice the line's width) and fill the legend's swatch up to its label, ending with a whole
# dash there: 12 on, 6 off, 12 on; 7.5 on, 6 off, a 3-px dot, 6 off, 7.5 on
# (tests/test_contender_colours.py).
DASH = "12px,6px"
DASH_DOT = "7.5px,6px,3px,6px"

# The line of each contender: (colour, dash), in the order contenders get them.
# Contenders 1-4: Okabe & Ito (2008), "Color Universal Design" (https://jfly.uni-koeln.de/color/),
# solid. Contenders 5-10: Paul Tol's colour-blind-safe schemes ("Colour schemes", technical note
# SRON/EPS/TN/09-002, https://personal.sron.nl/~pault/): muted olive, indigo and wine, vibrant
# cyan, muted green and medium-contrast light red, dashed (:data:`DASH`) or dash-dotted
# (:data:`DASH_DOT`) as a second cue. Seen in the walk-throughs of issue 13: sky blue next to blue
# and vermillion next to orange read as one on a projector, and contenders 7-10 repeated colours
# 1-4, so only the dash told them apart.
# Chosen by computation (checked in tests/test_contender_colours.py, colour maths in
# tests/colour_vision.py): the six colours of those schemes that stay farthest (CIEDE2000) from
# contenders 1-4, from each other and from the grey baselines, the black oracle and the red
# failure markers, for normal vision and simulated protanopia, deuteranopia and tritanopia
# (Machado et al. 2009), on a good screen and on a washed-out projector; ordered so that the
# 5th and 6th (the most used) are hues that 1-4 do not have (olive, indigo), the walk-through's
# complaint being two blues and two oranges. On a washed-out projector no colour of Tol's
# schemes stays 14.7 or more from all of contenders 1-5 (indigo is 11.7 from blue), so two
# contenders closer than that there have different line patterns (olive and green, 11.6 apart:
# dashed and dash-dotted). Yellow is
# left out (about 1.3:1 against white: a yellow line all but vanishes). No contender is dotted
# (dots are the overlaid previous run, :data:`PREVIOUS_DASH`), none is grey (the baselines'
# reference lines) and none is black (the oracle).
CONTENDER_STYLES: tuple[tuple[str, str], ...] = (
    ("#0072B2", "solid"),  # blue (Okabe-Ito)
    ("#E69F00", "solid"),  # orange (Okabe-Ito)
    ("#009E73", "solid"),  # bluish green (Okabe-Ito)
    ("#CC79A7", "solid"),  # reddish purple (Okabe-Ito)
    ("#999933", DASH),  # olive (Tol muted)
    ("#332288", DASH_DOT),  # indigo (Tol muted)
    ("#882255", DASH),  # wine (Tol muted)
    ("#33BBEE", DASH_DOT),  # cyan (Tol vibrant)
    ("#117733", DASH_DOT),  # green (Tol muted)
    ("#EE99AA", DASH_DOT),  # light red (Tol medium contrast)
)
# The oracle (policy kind "oracle", the summary's ``"oracle": true``): the best retrain schedule
# in hindsight is a reference, not a choice, so every race chart draws it as one black long-dashed
# line (or a black open diamond where a chart has points or bars), under one name, last in the
# legend, in no contender's colour.
ORACLE_COLOR = "#000000"
# 16 on, 7 off in pixels: plotly's "longdash" scales with the width, and the legend's 5-px
# line made it 25 on, 25 off: a 30-px swatch showed one solid stroke next to a dashed line
# (session 11's second walk-through, lesson 16); this shows two pieces there, as dashed.
ORACLE_DASH = "16px,7px"
ORACLE_WIDTH = 2.5
ORACLE_LABEL = "Best schedule in hindsight (oracle)"
ORACLE_LEGEND_RANK = 3000  # after contenders (1000), baselines (1500) and an overlaid run (2000)
# The baselines (no-change, majority; grey, 1.5 px): fine dots and a long dash-dot, in pixels
# like DASH. Plotly's named "dot" / "dashdot" scaled with the thin line to 1.5-px dots and a
# 4.5-px dash: on a 1024-px projector the two grey lines of lesson 15, whose claim compares them,
# read as one pattern (session 11's walk-through). A 2-px dot against a 12-px dash, gaps of 5 px.
BASELINE_DASHES = ("2px,5px", "12px,5px,2px,5px")
# An overlaid earlier run: its contenders' colours, dotted, thinner and faded.
PREVIOUS_DASH = "dot"
PREVIOUS_OPACITY = 0.5
PREVIOUS_WIDTH = 1.8


def contender_colors(names: Iterable[str]) -> dict[str, str]:
    """Map each contender name to a stable colour, by order of first appearance in ``names``.

    The colours are those of :data:`CONTENDER_STYLES` (Okabe-Ito, then Paul Tol's; colour-blind
    safe), in order: ten distinct colours, which repeat after ten contenders. Duplicated names
    keep their first colour. The dash that goes with each colour comes from
    :func:`contender_styles`.

    >>> contender_colors(["Frozen batch", "Online"])
    {'Frozen batch': '#0072B2', 'Online': '#E69F00'}
    """
    colors: dict[str, str] = {}
    for name in names:
        name = str(name)
        if name not in colors:
            colors[name] = CONTENDER_STYLES[len(colors) % len(CONTENDER_STYLES)][0]
    return colors


def contender_styles(names: Sequence[str],
                     colors: Mapping[str, str] | None = None) -> dict[str, tuple[str, str]]:
    """``{name: (colour, dash)}`` of each contender's line, so that up to ten read apart.

    The colour is :func:`resolve_colors`'s (``colors`` wins where given); the dash is the first
    dash :data:`CONTENDER_STYLES` pairs with that colour that no earlier name of the same colour
    holds (the ten colours are distinct, so this matters only beyond ten contenders); when a
    colour has no free dash left (more than ten contenders, or a forced mapping) the styles'
    dashes are used in turn.

    >>> styles = contender_styles([f"c{i}" for i in range(10)])
    >>> styles["c0"], styles["c4"], styles["c5"]
    (('#0072B2', 'solid'), ('#999933', '12px,6px'), ('#332288', '7.5px,6px,3px,6px'))
    >>> len(set(styles.values()))
    10
    """
    palette = resolve_colors(names, colors)
    taken: set[tuple[str, str]] = set()
    out: dict[str, tuple[str, str]] = {}
    for i, name in enumerate(dict.fromkeys(str(n) for n in names)):
        color = palette[name]
        dashes = [d for c, d in CONTENDER_STYLES if c.upper() == color.upper()]
        free = [d for d in dashes if (color, d) not in taken]
        dash = free[0] if free else next(
            (d for _, d in CONTENDER_STYLES[i % len(CONTENDER_STYLES):] + CONTENDER_STYLES
             if (color, d) not in taken), "solid")
        taken.add((color, dash))
        out[name] = (color, dash)
    return out


def resolve_colors(names: Sequence[str], colors: Mapping[str, str] | None) -> dict[str, str]:
    """``colors`` wins where given; missing names get the next unused palette colours."""
    resolved = contender_colors(names)
    if colors:
        resolved = dict(colors)
        extra = [n for n in names if n not in resolved]
        used = len(resolved)
        for i, name in enumerate(extra):
            resolved[name] = CONTENDER_STYLES[(used + i) % len(CONTENDER_STYLES)][0]
    return resolved


def oracle_names(summary: Mapping | None) -> list[str]:
    """Names of the contenders ``summary.json`` marks ``"oracle": true`` (the reference an
    oracle race sets; at most one today, ``lab.race.ledger.add_regret``).

    >>> oracle_names({"contenders": [{"name": "A"}, {"name": "Hindsight", "oracle": True}]})
    ['Hindsight']
    """
    return [str(c.get("name")) for c in (summary or {}).get("contenders", []) or []
            if c.get("oracle")]


def oracle_label(name: str, oracles: Sequence[str]) -> str:
    """The legend name of the oracle ``name``: :data:`ORACLE_LABEL`, followed by the
    contender's own name only when several oracles must be told apart (the hover always names
    it). Unescaped: pass it through ``plain`` like any name."""
    return ORACLE_LABEL if len(oracles) <= 1 else f"{ORACLE_LABEL}: {name}"
