"""The width of a table's name column, in pixels, from the names it shows.

Streamlit's data grid sizes a column to the text it measures, which cut "Best schedule in
hindsight (oracle)" to "Best schedule in hindsig…" in the Net cost tables at 1366 px. A width
given from the longest name keeps every name whole (at most the grid's 500-pixel limit for an
automatic width).

The Summary tab's tables show by default the columns read first, which fit the main area of a
1024-pixel page (sidebar open) in compact one-line rows: :func:`name_column_layout` gives the
name column the longest name's width, up to :data:`NAME_MAX_WIDTH` or the room the default
columns leave (:func:`name_room`); a longer name wraps in taller rows (checked in chromium by
``tests/test_summary_tab.py``, which reads what the grid draws). Columns a user adds with the
table's column chooser may make it scroll sideways: that is their choice.
"""

from __future__ import annotations

from collections.abc import Iterable

PIXELS_PER_CHARACTER = 7.6  # the grid's 14-px sans-serif: a wide average ("m" and "W" included)
PADDING = 34  # cell padding on both sides and the sort arrow of a header
MIN_WIDTH, MAX_WIDTH = 90, 500


def name_column_width(names: Iterable[object], header: str = "") -> int:
    """Pixels that show the longest of ``names`` (and the header) whole.

    >>> name_column_width(["Online", "Best schedule in hindsight (oracle)"])
    300
    >>> name_column_width(["A"], header="contender")
    102
    """
    longest = max((len(str(n)) for n in [*names, header]), default=0)
    return int(min(MAX_WIDTH, max(MIN_WIDTH, round(longest * PIXELS_PER_CHARACTER + PADDING))))


# ---------------------------------------------------------------------------------------------
# Summary tables that fit a 1024-pixel page in compact rows
# ---------------------------------------------------------------------------------------------
# The main area's width at 1024x768 with the sidebar open (1024 - 300 px of sidebar - 2 x 35 px
# of the page's padding = 654 px), less a margin: every Summary table's default columns are
# sized to fit it, so they fit 1366 px too (where the grid stretches its columns over the wider
# area). The walk-through of issue 13 found the "Beats no-change" column cut at 1024 px when
# tables were sized for 1366.
PAGE_TABLE_WIDTH = 640
# A name column never takes more than this: a longer name wraps in taller rows, so the other
# columns keep room (a 60-character name is about 450 px on one line).
NAME_MAX_WIDTH = 300
# ... nor less than this, when the default columns leave less room (a failed contender's Status
# column next to the overall scores, very long names): "Contender" and a word or two per line
MIN_NAME_WIDTH = 120
# Pixels by which :func:`other_column_width` errs wide per column, at least: measured in
# chromium at 1024 px, "Accuracy" 68 px (estimated 74), "Balanced acc." 97 (105), "Kappa-M" 64
# (75). :func:`name_room` gives the name column this much back per other column: summing six
# columns' margins (about 36 px) squeezed the name column to 138 px next to a failed
# contender's Status column and wrapped "No-change baseline" (session 9's walk-through).
ESTIMATE_SLACK = 6
# How Streamlit's grid (glide-data-grid) draws wrapped text: it wraps only when the row height
# is over 4 rem (64 px); lines are ``LINE_PITCH`` apart and the first line ``FIRST_LINE`` high,
# 3 px of padding; with 8 px of padding on each side of a cell.
WRAPPING_MIN_ROW_HEIGHT = 65
FIRST_LINE, LINE_PITCH, CELL_PADDING_Y, CELL_PADDING_X = 16, 18, 3, 8
HEADER_HEIGHT, ROWS_SHOWN = 35, 10  # the grid's header row; rows shown before it scrolls
# Glyph widths of the grid's 14-px font, wide and narrow ones apart (a name of 60 "W"s is
# twice as wide as one of 60 average letters).
WIDE, NARROW = set("MWmw@%"), set("iljtfrI.,:;'!|() ")


def text_width(text: object) -> float:
    """Estimated pixels of ``text`` in the grid's font (erring wide: "Balanced acc." is 89 px
    here, 81 px as chromium draws it)."""
    return sum(13.0 if ch in WIDE else 4.5 if ch in NARROW else PIXELS_PER_CHARACTER
               for ch in str(text))


def wrapped_lines(text: object, width: float) -> int:
    """Lines that ``text`` takes wrapped at ``width`` pixels, greedily at spaces, breaking a
    word longer than a line (as the grid does)."""
    lines, current = 1, 0.0
    for k, word in enumerate(str(text).split(" ")):
        w = text_width(word)
        space = text_width(" ") if k and current else 0.0
        if current and current + space + w <= width:
            current += space + w
            continue
        if current:
            lines += 1
        while w > width:  # a word wider than a line is cut into pieces
            lines += 1
            w -= width
        current = w
    return lines


def other_column_width(header: str, cells: Iterable[object]) -> int:
    """Pixels the grid gives a column sized to its header and cells: the widest text plus the
    cell padding (an estimate, erring wide: measured in chromium at 1024 px, "Accuracy" was
    68 px, "Balanced acc." 97 px, "Kappa-M" 64 px, here 74, 105 and 75).

    >>> other_column_width("Accuracy", ["87.3 %", "100.0 %"])
    74
    """
    widest = max((text_width(c) for c in [header, *cells]), default=0.0)
    return round(widest + 2 * CELL_PADDING_X)


def name_column_layout(names: Iterable[object], header: str,
                       max_width: int = NAME_MAX_WIDTH) -> tuple[int, int | None]:
    """``(width, row height or None)`` of a table's name column: the width of the longest name
    on one line when it is at most ``max_width`` (row height None: the grid's compact default,
    one line per row), else ``max_width`` and rows tall enough for the grid to wrap the longest
    name (only a table with such a name gets taller rows).

    >>> name_column_layout(["Online", "Frozen"], "Contender")
    (102, None)
    >>> name_column_layout(["W" * 60], "Contender")  # three lines of "W"s
    (300, 65)
    >>> name_column_layout(["Periodic retrain (all data)"], "Contender", max_width=150)
    (150, 65)
    """
    names = [str(n) for n in names]
    one_line = max(name_column_width([], header),
                   round(max(map(text_width, names), default=0)) + 2 * CELL_PADDING_X + 10)
    if one_line <= max_width:
        return one_line, None
    lines = max(wrapped_lines(n, max_width - 2 * CELL_PADDING_X) for n in names)
    height = FIRST_LINE + LINE_PITCH * (lines - 1) + CELL_PADDING_Y + 4
    return max_width, max(WRAPPING_MIN_ROW_HEIGHT, height)


def name_room(other_widths: Iterable[int], page: int = PAGE_TABLE_WIDTH) -> int:
    """Pixels the name column may take next to columns of ``other_widths`` (estimates, each
    at least :data:`ESTIMATE_SLACK` px wide of what the grid draws) within ``page``:
    :data:`NAME_MAX_WIDTH` at most, :data:`MIN_NAME_WIDTH` at least (a name column squeezed
    below it would wrap every name; the table then scrolls a little instead).

    >>> name_room([55, 74, 58, 124, 68, 123])  # 640 - 502 + 6 x 6
    174
    >>> name_room([100, 100])
    300
    """
    widths = list(other_widths)
    return max(MIN_NAME_WIDTH, min(NAME_MAX_WIDTH,
                                   page - sum(widths) + ESTIMATE_SLACK * len(widths)))


def table_height(rows: int, row_height: int) -> int:
    """Pixels of a table of ``rows`` rows of ``row_height`` px showing at most
    :data:`ROWS_SHOWN` of them: the grid's own automatic height counts rows of its default
    height, so taller rows would hide behind a scroll bar inside the table.

    >>> table_height(8, 65)
    558
    """
    return HEADER_HEIGHT + min(rows, ROWS_SHOWN) * row_height + 3
