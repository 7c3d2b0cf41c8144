"""The Lessons page: the guided lessons, one at a time (the page itself is
``ui.lessons_page``, which also holds the mode switch and its URL parameters)."""

from __future__ import annotations

from ui import lessons_page


def render() -> None:
    """Draw the current lesson (``?lesson=`` or the sidebar's lesson list)."""
    lessons_page.render()
