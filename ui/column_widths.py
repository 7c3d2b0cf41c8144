"""The width of a table's name column, in pixels, from the names it shows.

Streamlit's data grid sizes a column to the text it measures, which cut "Best schedule in
hindsight (oracle)" to "Best schedule in hindsig…" in the Net cost tables at 1366 px. A width
given from the longest name keeps every name whole (at most the grid's 500-pixel limit for an
automatic width).
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
