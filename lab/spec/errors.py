"""Errors every layer raises: one line naming the key, the problem and the fix.

:class:`ConfigError` makes its parts printable and cuts over-long paths, because paths and
values come from the user (a config, a link, an upload). Standard library only.
"""

from __future__ import annotations

MAX_PATH_CHARS = 120  # a key path in a message; longer ones are cut (they come from the user)


def printable(text: str) -> str:
    r"""``text`` with every non-printable character (ESC, CR, LF, TAB...) written as an escape.

    Messages reach terminals and HTML; a config or a link must not be able to move the cursor,
    recolour the terminal or split one error into several lines.

    >>> printable("a\x1b[31mb\n")
    'a\\x1b[31mb\\n'
    """
    text = str(text)
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii")
                   for c in text)


def shorten(text: str, limit: int = 40) -> str:
    """``text`` cut to ``limit`` characters with "..." (values in messages stay readable)."""
    return text if len(text) <= limit else text[:limit - 3] + "..."


class ConfigError(ValueError):
    """A user error in a config: one line naming the key, the problem and the fix.

    The parts are made printable (no control characters) and an over-long path is cut, since
    paths and values come from the user.
    """

    def __init__(self, path: str, problem: str, fix: str = ""):
        path = shorten(printable(path), MAX_PATH_CHARS)
        problem, fix = printable(problem), printable(fix)
        self.path, self.problem, self.fix = path, problem, fix
        msg = f"{path}: {problem}" if path else problem
        super().__init__(msg + (f". Fix: {fix}" if fix else ""))


class JsonSyntaxError(ConfigError):
    """Text that is not JSON at all (as opposed to JSON over a size limit): a caller that also
    accepts plain words (``--set name=Fast``) falls back to the text on this error only."""
