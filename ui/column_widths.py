"""The width of a table's name column, in pixels, from the names it shows.

Streamlit's data grid sizes a column to the text it measures, which cut "Best schedule in
hindsight (oracle)" to "Best schedule in hindsig…" in the Net cost tables at 1366 px. A width
given from the longest name keeps every name whole (at most the grid's 500-pixel limit for an
automatic width).

The Summary tab's tables have more columns than a name of 60 characters leaves room for:
:func:`name_column_layout` gives their name column the room the other columns leave and rows
tall enough for the grid to wrap the longest name (checked in chromium by
``tests/test_summary_tab.py``, which reads what the grid draws).
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
# A name column that wraps: whole names in a table that also has to fit the page
# ---------------------------------------------------------------------------------------------
# The main area's width at 1366x768 with the sidebar open (1366 - 300 px of sidebar - 2 x 35 px
# of the page's padding = 996 px), less a margin: every Summary table is sized to fit it.
PAGE_TABLE_WIDTH = 960
HEADER_PIXELS_PER_CHARACTER, HEADER_PADDING = 7.2, 20  # another column's header or cells
MIN_NAME_WIDTH = 140
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
    """Estimated pixels of ``text`` in the grid's font (erring wide)."""
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
    """Pixels the grid gives a column sized to its header and cells (an estimate, erring wide)."""
    longest = max((len(str(c)) for c in [header, *cells]), default=0)
    return round(longest * HEADER_PIXELS_PER_CHARACTER + HEADER_PADDING)


def name_column_layout(names: Iterable[object], header: str,
                       other_widths: Iterable[int]) -> tuple[int, int | None]:
    """``(width, row height or None)`` of a table's name column next to columns of
    ``other_widths`` pixels, all within :data:`PAGE_TABLE_WIDTH`: the width of the longest name
    when it fits (row height None: the grid's default one line), else the room left (at least
    :data:`MIN_NAME_WIDTH`) and a row height that holds the longest name wrapped.

    >>> name_column_layout(["Online", "Frozen"], "Contender", [400])
    (102, None)
    >>> name_column_layout(["W" * 60], "Contender", [800])
    (160, 113)
    """
    names = [str(n) for n in names]
    one_line = max(name_column_width([], header),
                   round(max(map(text_width, names), default=0)) + 2 * CELL_PADDING_X + 10)
    room = max(MIN_NAME_WIDTH, PAGE_TABLE_WIDTH - sum(other_widths))
    if one_line <= room:
        return one_line, None
    lines = max((wrapped_lines(n, room - 2 * CELL_PADDING_X) for n in names), default=1)
    height = FIRST_LINE + LINE_PITCH * (lines - 1) + CELL_PADDING_Y + 4
    return room, max(WRAPPING_MIN_ROW_HEIGHT, height)


def table_height(rows: int, row_height: int) -> int:
    """Pixels of a table of ``rows`` rows of ``row_height`` px showing at most
    :data:`ROWS_SHOWN` of them: the grid's own automatic height counts rows of its default
    height, so taller rows would hide behind a scroll bar inside the table.

    >>> table_height(8, 65)
    558
    """
    return HEADER_HEIGHT + min(rows, ROWS_SHOWN) * row_height + 3
