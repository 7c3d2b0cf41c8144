"""How the app and the CLI write a share as a number: one rounding for every place that shows it.

The story above the result tabs (``lab.race.story``) and the Summary tables (``ui.tables``) both
print accuracies and drops; when each rounded on its own, a reader saw "tie at 89.4 %" in the
text and 89.3 % in the table for the same contender. Both call these functions, so a figure read
in one is the figure in the other, digit for digit.

>>> percent_digits(0.89449999), percent_digits(0.8945), percent_digits(1.0)
('89.4', '89.5', '100.0')
>>> percent_span([0.8944, 0.8935, 0.8938])
'89.3–89.4'
>>> percent_span([0.8941, 0.8944])
'89.4'

Counts go with the noun that agrees with them (:func:`plural`): "1 drift", never "1 drifts".
"""

from __future__ import annotations

from collections.abc import Iterable


def percent_digits(share: float) -> str:
    """``share`` (0.894 for 89.4 %) in percent with one decimal, without the unit: ``"89.4"``.

    Python's ``format`` rounds the binary value half-to-even, the same way everywhere it is
    called; what matters is that every reader of a share goes through this one expression.
    The unit is left to the caller (the story keeps "%" on its number's line with a no-break
    space, the tables write "%" or "pts")."""
    return f"{100 * share:.1f}"


def percent_span(shares: Iterable[float]) -> str:
    """The shown values of ``shares`` as one figure (``"89.4"``) when they all round alike, or
    as the range of the shown values (``"89.3–89.4"``): a sentence that names a group of values
    (a tie) then names only digits a table shows for them."""
    shown = sorted({percent_digits(s) for s in shares}, key=float)
    if not shown:
        raise ValueError("percent_span needs at least one share")
    return shown[0] if len(shown) == 1 else f"{shown[0]}–{shown[-1]}"


def plural(count: int, word: str, words: str | None = None) -> str:
    """``count`` and the noun that agrees with it, the count with thousands separators:
    ``"1 drift"``, ``"2 drifts"``, ``"1,000 samples"`` (``words``: an irregular plural).

    >>> plural(1, "drift"), plural(0, "drift"), plural(12000, "sample"), plural(2, "is", "are")
    ('1 drift', '0 drifts', '12,000 samples', '2 are')
    """
    return f"{count:,} {word if count == 1 else (words or word + 's')}"
