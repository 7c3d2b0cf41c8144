"""The ``--vary PATH=V1,V2,...`` value grammar of a sweep (CLI and app alike).

A value is JSON when it parses (``500``, ``"a b"``, ``{"variant": 2}``) and plain text otherwise
(``adwin``); commas inside JSON brackets or quotes do not split. JSON goes through the bounded
reader :func:`lab.spec.jsontext.parse_json_text`, so hostile values give one-line errors.
"""

from __future__ import annotations

import json
import re
from typing import Any

from lab.spec.errors import ConfigError
from lab.spec.jsontext import parse_json_text


def _split_values(text: str, spec: str) -> list[str]:
    """Split ``V1,V2,...`` on the commas outside JSON brackets and quoted strings."""
    items, buf, depth, quoted, escaped = [], [], 0, False, False
    for ch in text:
        if quoted:
            buf.append(ch)
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                quoted = False
            continue
        if ch == "," and depth == 0:
            items.append("".join(buf))
            buf = []
            continue
        if ch == '"':
            quoted = True
        elif ch in "[{":
            depth += 1
        elif ch in "]}":
            depth -= 1
        buf.append(ch)
    items.append("".join(buf))
    if quoted or depth != 0:
        raise ConfigError("--vary", f"unbalanced quotes or brackets in {quoted_short(spec)}",
                          "close every \" [ and { in the values")
    return items


# A value that starts like JSON (a bracket, a quote, a number, a JSON word) is meant as JSON: if
# it does not parse, or breaks a limit, that is an error, not a string. Anything else that is
# not JSON ("adwin", "1.2.3", "2 models") is plain text.
_MEANT_AS_JSON = re.compile(
    r"[\[{\"]|-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$|(true|false|null|-?NaN|-?Infinity)$")


def parse_value(text: str, origin: str = "--vary value") -> Any:
    """A ``--vary`` value: JSON when it parses (``500``, ``0.5``, ``true``, ``null``, ``"a b"``,
    ``{"variant": 2}``), else the plain text (``adwin``).

    JSON goes through :func:`lab.spec.jsontext.parse_json_text`, so a 5,000-digit integer, brackets
    nested 10,000 deep or ``NaN`` give a one-line :class:`ConfigError` instead of Python's
    ``ValueError`` / ``RecursionError``.

    >>> [parse_value(t) for t in ["500", "0.5", "true", "null", '"7"', "adwin", "1.2.3"]]
    [500, 0.5, True, None, '7', 'adwin', '1.2.3']
    """
    try:
        return parse_json_text(text, origin)
    except ConfigError:
        if _MEANT_AS_JSON.match(text):
            raise
        return text


MAX_PATH_CHARS = 200  # the longest real path (contenders[11].policy.detector_params.x) is ~45


def parse_vary(spec: str) -> tuple[str, list]:
    """Parse one ``PATH=V1,V2,...`` into ``(path, values)``; :class:`ConfigError` if malformed.

    Commas inside JSON brackets or quotes do not split, so
    ``stream.drifts[0].to={"variant": 1},{"variant": 2}`` gives two values.
    """
    fix = "write PATH=V1,V2,... e.g. --vary contenders[1].policy.every=1000,2000,4000"
    if "=" not in spec:
        raise ConfigError("--vary", f"{spec!r} has no '='", fix)
    path, _, text = spec.partition("=")
    path = path.strip()
    shown = quoted_short(spec)
    if not path:
        raise ConfigError("--vary", f"{shown} has no path before '='", fix)
    if len(path) > MAX_PATH_CHARS:
        raise ConfigError("--vary", f"the path {quoted_short(path)} is longer than "
                                    f"{MAX_PATH_CHARS} characters", fix)
    if not text.strip():
        raise ConfigError("--vary", f"{shown} has no values after '='", fix)
    items = _split_values(text, spec)
    if any(not item.strip() for item in items):
        raise ConfigError("--vary", f"{shown} has an empty value", "remove the extra comma")
    return path, [parse_value(item.strip(), f"--vary {path}") for item in items]


def quoted_short(text: Any, limit: int = 40) -> str:
    """``repr`` of a user's text, cut to about ``limit`` characters: never echo a huge value."""
    text = str(text)
    return repr(text) if len(text) <= limit else f"{text[:limit - 3]!r}... ({len(text):,} chars)"


def canonical_json(value: Any) -> str:
    """``value`` as compact JSON with sorted keys: one text per value, so equal values compare,
    hash and print alike (task keys, duplicate checks, table cells)."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"))
