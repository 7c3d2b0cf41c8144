"""Public check helpers: :class:`Field` (one key's type, default, range and fix) and the
functions that check a JSON value against it, raising :class:`~lab.spec.errors.ConfigError`.

Every layer that reads user input (data, learners, policies, validate, lessons) checks it with
these, so that all messages share one shape. Standard library only.
"""

from __future__ import annotations

import copy
import json
import math
from dataclasses import dataclass
from typing import Any

from lab.spec.errors import ConfigError, shorten
from lab.spec.jsontext import json_depth


# --------------------------------------------------------------------------------------------
# Field tables: the single source of truth for keys, types, ranges and defaults
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Field:
    """One key: its type, default, documentation and allowed values.

    ``type`` is "int", "number", "string", "boolean" or "object"; for library parameters also
    "null" (only null: an object JSON cannot describe, e.g. a river splitter) and "scalar" (any
    JSON scalar, left to the library's own check). ``nullable`` also allows null.
    """

    type: str
    default: Any
    doc: str
    minimum: float | None = None
    maximum: float | None = None
    exclusive_minimum: bool = False
    enum: tuple | None = None
    fix: str = ""
    nullable: bool = False
    label: str = ""  # a short plain name for forms and axes, unit included ("Window (samples)")


# --------------------------------------------------------------------------------------------
# Validation
# --------------------------------------------------------------------------------------------
def describe(value: Any) -> str:
    """A value as a message shows it: JSON, at most 40 characters.

    Never costly and never raising, whatever the value: a 309-digit number, a 100 kB string,
    a list of a million items or a structure nested 10,000 deep is summarised, not printed.
    """
    if isinstance(value, bool) or value is None:
        return json.dumps(value)
    if isinstance(value, int):
        if value.bit_length() > 128:  # more than ~38 digits; str() may even raise past 4,300
            return f"an integer of about {int(value.bit_length() * math.log10(2)) + 1:,} digits"
        return shorten(str(value), 40)
    if isinstance(value, float):
        return json.dumps(value)
    if isinstance(value, str):
        return shorten(json.dumps(value[:41]), 40)
    if isinstance(value, (list, dict)):
        if len(value) <= 20 and json_depth(value) <= 4:
            try:
                return shorten(json.dumps(value, default=lambda v: type(v).__name__), 40)
            except (TypeError, ValueError, RecursionError):
                pass
        kind = "a list of" if isinstance(value, list) else "an object with"
        unit = "items" if isinstance(value, list) else "keys"
        return f"{kind} {len(value):,} {unit}"
    return f"a {type(value).__name__}"


def is_scalar(value: Any) -> bool:
    """A JSON scalar: null, true/false, a string or a finite number."""
    if isinstance(value, float):
        return math.isfinite(value)
    return value is None or isinstance(value, (str, int, bool))


def check_object(value: Any, path: str, allowed, required=(), fix: str = "") -> dict:
    if not isinstance(value, dict):
        raise ConfigError(path or "config", f"must be a JSON object, got {describe(value)}",
                          fix or "write it as {\"key\": value, ...}")
    for key in value:
        if key not in allowed:
            key = shorten(str(key), 40)  # a key comes from the user: it may be any length
            where = f"{path}.{key}" if path else key
            raise ConfigError(where, "unknown key",
                              f"use one of: {', '.join(allowed)}" if allowed else "remove it")
    for key in required:
        if key not in value:
            where = f"{path}.{key}" if path else key
            raise ConfigError(where, "is required", f"add \"{key}\"")
    return value


def check_int(value: Any, path: str, minimum=None, maximum=None, fix="") -> int:
    ok = isinstance(value, int) and not isinstance(value, bool)
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        value, ok = int(value), True
    bounds = _bounds_text(minimum, maximum, False)
    if not ok:
        raise ConfigError(path, f"must be an integer{bounds}, got {describe(value)}", fix)
    if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
        raise ConfigError(path, f"must be an integer{bounds}, got {describe(value)}", fix)
    return value


def check_number(value: Any, path: str, minimum=None, maximum=None, exclusive=False,
                  fix="") -> float:
    bounds = _bounds_text(minimum, maximum, exclusive)
    finite = (isinstance(value, int) and value.bit_length() <= 1000  # float() overflows past
              or isinstance(value, float) and math.isfinite(value))
    if isinstance(value, bool) or not finite:
        raise ConfigError(path, f"must be a number{bounds}, got {describe(value)}", fix)
    too_low = minimum is not None and (value <= minimum if exclusive else value < minimum)
    if too_low or (maximum is not None and value > maximum):
        raise ConfigError(path, f"must be a number{bounds}, got {describe(value)}", fix)
    return float(value)


def _num(x) -> str:
    return f"{int(x):,}" if float(x).is_integer() else f"{x:g}"


def _bounds_text(minimum, maximum, exclusive) -> str:
    parts = []
    if minimum is not None:
        parts.append(f"{'>' if exclusive else '>='} {_num(minimum)}")
    if maximum is not None:
        parts.append(f"<= {_num(maximum)}")
    return (" " + " and ".join(parts)) if parts else ""


def check_field(spec: Field, value: Any, path: str) -> Any:
    if spec.type == "int":
        return check_int(value, path, spec.minimum, spec.maximum, spec.fix)
    if spec.type == "number":
        return check_number(value, path, spec.minimum, spec.maximum, spec.exclusive_minimum,
                             spec.fix)
    if spec.type == "string":
        if not isinstance(value, str) or (spec.enum and value not in spec.enum):
            raise ConfigError(path, f"got {describe(value)}",
                              spec.fix or f"use one of: {', '.join(spec.enum or ())}")
        return value
    if spec.type == "boolean":
        if not isinstance(value, bool):
            raise ConfigError(path, f"must be true or false, got {describe(value)}",
                              "use true or false")
        return value
    if spec.type == "object":
        if not isinstance(value, dict):
            raise ConfigError(path, f"must be a JSON object, got {describe(value)}",
                              "write it as {\"name\": value, ...}")
        return dict(value)
    raise AssertionError(spec.type)


def check_param(spec: Field, value: Any, path: str) -> Any:
    """One library parameter (generator, model, detector) against its :class:`Field`.

    Returns the value to pass on (an integer given as ``5.0`` becomes ``5``); raises
    :class:`ConfigError` naming ``path``. Checked before anything is built, so no library
    allocates in proportion to a value that was not bounded here.

    >>> check_param(Field("int", None, "", 1, 64, nullable=True), None, "max_depth") is None
    True
    >>> check_param(Field("number", 0.1, "", 0, 1), -3, "noise")
    Traceback (most recent call last):
    ...
    lab.spec.errors.ConfigError: noise: must be a number >= 0 and <= 1, got -3.
    Fix: use a value in the allowed range
    """
    fix = spec.fix or "use a value in the allowed range"
    if value is None and (spec.nullable or spec.type in ("null", "scalar")):
        return None
    or_null = " or null" if spec.nullable else ""
    if spec.type == "null":
        raise ConfigError(path, f"takes a library object that JSON cannot describe, got "
                                f"{describe(value)}",
                          spec.fix or "leave it out (or null) to use the library's default")
    if spec.type == "scalar":
        if not is_scalar(value):
            raise ConfigError(path, f"must be a number, text, true/false or null, got "
                                    f"{describe(value)}", fix)
        return value
    if spec.type == "boolean":
        if not isinstance(value, bool):
            raise ConfigError(path, f"must be true or false{or_null}, got {describe(value)}",
                              "use true or false")
        return value
    if spec.type == "string":
        if not isinstance(value, str) or (spec.enum and value not in spec.enum):
            choices = ", ".join(json.dumps(e) for e in spec.enum or ())
            raise ConfigError(path, f"must be {'one of ' + choices if spec.enum else 'a text'}"
                                    f"{or_null}, got {describe(value)}",
                              spec.fix or (f"use one of: {choices}" if spec.enum else
                                           "write it in quotes"))
        return value
    if spec.type == "int":
        try:
            return check_int(value, path, spec.minimum, spec.maximum, fix)
        except ConfigError as exc:
            if not or_null:
                raise
            raise ConfigError(path, exc.problem.replace(", got", " or null, got", 1),
                              exc.fix) from None
    if spec.type == "number":
        try:
            return check_number(value, path, spec.minimum, spec.maximum,
                                 spec.exclusive_minimum, fix)
        except ConfigError as exc:
            if not or_null:
                raise
            raise ConfigError(path, exc.problem.replace(", got", " or null, got", 1),
                              exc.fix) from None
    raise AssertionError(spec.type)


def check_scalar_params(params: Any, path: str, fields: dict[str, Field]) -> dict:
    """Generator parameters: known names, each checked against its :class:`Field`."""
    check_object(params, path, tuple(fields))
    return {key: check_param(fields[key], value, f"{path}.{key}")
            for key, value in params.items()}


def check_flat_config(config: Any, defaults: dict, fields: dict, kind: str,
                      example: str) -> dict:
    """Validate a flat config of an experiment that is not a race (lessons 10 and 11).

    ``fields`` maps a key to ``(int | float, minimum, maximum, fix)``; other keys of ``defaults``
    are copied as given and checked by the caller. Returns the config with defaults filled in.

    >>> check_flat_config({"lr": 0.5}, {"kind": "k", "lr": 0.1}, {"lr": (float, 0, 1, "use 0.1")},
    ...                   "k", '{"lr": 0.1}')
    {'kind': 'k', 'lr': 0.5}
    """
    if not isinstance(config, dict):
        raise ConfigError("config", "must be a JSON object", f"write {example}")
    out = copy.deepcopy(defaults)
    for key, value in config.items():
        if key not in defaults:
            raise ConfigError(str(key), "unknown key", f"use one of: {', '.join(defaults)}")
        out[key] = copy.deepcopy(value)
    if out["kind"] != kind:
        raise ConfigError("kind", f"must be '{kind}'", f"use \"kind\": \"{kind}\"")
    for key, (typ, lo, hi, fix) in fields.items():
        if typ is int:
            out[key] = check_int(out[key], key, lo, hi, fix)
        else:
            out[key] = check_number(out[key], key, lo, hi, fix=fix)
    return out
