"""JSON text from users, read with bounds: size, nesting depth and integer digits.

Every config, link or upload goes through :func:`parse_json_text` (or
:func:`read_config_text` for a file), which raises only
:class:`~lab.spec.errors.ConfigError`. Standard library only.
"""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path
from typing import Any

from lab.spec.errors import ConfigError, JsonSyntaxError

MAX_JSON_CHARS = 1_000_000  # a config is a few kB; the largest shipped example is under 4 kB
MAX_JSON_DEPTH = 20  # a config nests 5 levels (contenders[i].policy.detector_params.x)
MAX_INT_DIGITS = 30  # seeds are < 2**32 (10 digits); every bounded count has fewer


class _JsonLimit(ValueError):
    pass


def _bounded_int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_INT_DIGITS:
        raise _JsonLimit(f"an integer of {len(text.lstrip('-')):,} digits (at most "
                         f"{MAX_INT_DIGITS} are accepted)")
    return int(text)


def _reject_constant(name: str):
    raise _JsonLimit(f"{name} is not a JSON number")


def json_depth(value: Any) -> int:
    """Nesting depth, iteratively (a recursive walk is what the limit protects against)."""
    deepest, todo = 0, [(value, 1)]
    while todo:
        node, level = todo.pop()
        if isinstance(node, (dict, list)):
            deepest = max(deepest, level)
            if level > MAX_JSON_DEPTH:
                return level
            todo.extend((child, level + 1) for child in
                        (node.values() if isinstance(node, dict) else node))
    return deepest


def parse_json_text(text: str, origin: str = "config") -> Any:
    """JSON text from a user (file, URL, paste, ``--vary``) to Python values, never raising
    anything but :class:`ConfigError`.

    Python's ``json`` accepts inputs that cost far more than they look: a 5,000-digit integer
    raises ``ValueError`` (Python's 4,300-digit guard), 10,000 nested brackets raise
    ``RecursionError``, and ``NaN`` / ``Infinity`` are not JSON. Each becomes one line here,
    checked before any value is used.

    >>> parse_json_text('{"seed": 7}')
    {'seed': 7}
    >>> parse_json_text("[" * 50 + "]" * 50)
    Traceback (most recent call last):
    ...
    lab.spec.errors.ConfigError: config: nested more than 20 levels deep.
    Fix: a Driftlab config nests at most 5 levels; check the brackets
    """
    if not isinstance(text, str):
        raise ConfigError("", f"{origin}: must be text, got {type(text).__name__}",
                          "give the config as JSON text")
    if len(text) > MAX_JSON_CHARS:
        raise ConfigError("", f"{origin}: {len(text):,} characters, more than "
                              f"{MAX_JSON_CHARS:,}", "a config is a few kilobytes; check that "
                                                     "this is the right file")
    text = text.removeprefix("\ufeff")  # a UTF-8 byte-order mark, as some editors write
    try:
        data = json.loads(text, parse_int=_bounded_int, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        raise JsonSyntaxError("", f"{origin}: broken JSON at line {exc.lineno} column {exc.colno}: "
                              f"{exc.msg}", "fix the JSON syntax (a validator such as "
                                            "`python -m json.tool FILE` shows where)") from None
    except _JsonLimit as exc:
        raise ConfigError("", f"{origin}: {exc}", "use ordinary numbers") from None
    except RecursionError:
        data = None
        depth = MAX_JSON_DEPTH + 1
    else:
        depth = json_depth(data)
    if depth > MAX_JSON_DEPTH:
        raise ConfigError("", f"{origin}: nested more than {MAX_JSON_DEPTH} levels deep",
                          "a Driftlab config nests at most 5 levels; check the brackets")
    return data


def read_config_text(path: str | Path) -> str:
    """The text of a config file, refusing what is not one before reading it.

    ``os.stat`` first: a FIFO would block ``open`` forever, ``/dev/zero`` or ``/dev/urandom``
    never end, and a folder cannot be read; only a regular file is opened, and at most
    :data:`MAX_JSON_CHARS` + 1 bytes are read. A UTF-8 byte-order mark is accepted.
    """
    path = Path(path)
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise ConfigError("", f"config file {path} does not exist", "check the path") from None
    except (OSError, ValueError) as exc:  # ValueError: a NUL byte in the path
        raise ConfigError("", f"cannot read config file {path} ({exc})",
                          "give the path of a JSON file") from None
    if stat.S_ISDIR(info.st_mode):
        raise ConfigError("", f"config file {path} is a folder",
                          "give the path of a JSON file inside it")
    if not stat.S_ISREG(info.st_mode):
        raise ConfigError("", f"config file {path} is not a regular file (a device, pipe or "
                              f"socket)", "save the config to a .json file and give its path")
    if info.st_size > MAX_JSON_CHARS:
        raise ConfigError("", f"config file {path} has {info.st_size:,} bytes, more than "
                              f"{MAX_JSON_CHARS:,}", "a config is a few kilobytes; check that "
                                                     "this is the right file")
    try:
        # O_NONBLOCK: should the path have become a FIFO since the stat, open must not wait
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as fh:
            if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
                raise ConfigError("", f"config file {path} is not a regular file",
                                  "save the config to a .json file and give its path")
            raw = fh.read(MAX_JSON_CHARS + 1)  # the file may have grown since stat
    except OSError as exc:
        raise ConfigError("", f"cannot read config file {path} ({exc.strerror or exc})",
                          "check the file's permissions") from None
    if len(raw) > MAX_JSON_CHARS:
        raise ConfigError("", f"config file {path} has more than {MAX_JSON_CHARS:,} bytes",
                          "a config is a few kilobytes; check that this is the right file")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ConfigError("", f"config file {path} is not UTF-8 text (byte "
                              f"0x{raw[exc.start]:02x} at offset {exc.start:,})",
                          "save the config as UTF-8 JSON") from None
