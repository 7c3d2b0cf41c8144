"""The config in the URL: encode it, and read it back without ever raising.

``?config=`` holds the whole config as base64url of zlib-compressed compact JSON (about 500
characters for the default race); plain JSON is accepted too, so a hand-written link works.
``?preset=NAME`` opens a preset, and a few short parameters override single values on top
(``?n_samples=5000``, ``?seed=3`` or any config path: ``?contenders[1].policy.every=500``).

Anything broken or out of range becomes a warning naming the problem; the app then falls back
to the defaults for that part, never to an exception. Every JSON text goes through
``lab.spec.jsontext.parse_json_text`` (bounded size, depth and integer digits), decompression
stops at
that size, at most :data:`MAX_URL_OVERRIDES` single-value parameters are read, and warnings
quote a link's values shortened to :data:`QUOTE_CHARS` characters without control characters.

>>> from lab.presets import load_preset
>>> cfg = load_preset("default").to_dict()
>>> decode_config(encode_config(cfg)) == cfg
True
>>> cfg2, warnings = config_from_query({"config": "{broken"})
>>> cfg2 == load_preset("default").to_dict()
True
>>> print(warnings[0])  # doctest: +ELLIPSIS
The link's config has broken JSON at line 1 column 2: ...; the page shows the default race \
instead. Fix: fix the JSON syntax (...).
"""

from __future__ import annotations

import base64
import binascii
import copy
import json
import re
import unicodedata
import zlib
from collections.abc import Mapping
from typing import Any

from lab.presets import PRESETS
from lab.spec.errors import ConfigError
from lab.spec.experiment import set_path
from lab.spec.jsontext import MAX_JSON_CHARS, parse_json_text
from lab.spec.labels import path_label
from lab.validate import parse_experiment

DEFAULT_PRESET = "default"
ALIASES = {
    "seed": "seed",
    "source": "stream.source",
    "n_samples": "stream.n_samples",
    "label_noise": "stream.label_noise",
    "warmup": "evaluation.warmup",
    "window": "evaluation.window",
    "label_delay": "evaluation.label_delay",
    "label_share": "evaluation.labels.share",  # the Labels controls (ui/labels_panel.py)
    "step": "evaluation.step",
}
IGNORED = ("embed", "embed_options")  # Streamlit's own URL parameters
MAX_URL_CONFIG = 20_000
MAX_URL_OVERRIDES = 40  # single-value parameters read from one link (each is a validation)
QUOTE_CHARS = 40  # a link's value quoted in a warning is cut to this many characters
# A config path inside an error's words ("fewer than stream.n_samples").
_PATH_IN_TEXT = re.compile(r"\b(?:stream|evaluation|contenders|costs)(?:\.[A-Za-z_]\w*|\[\d+\])+")
# What a link or a pasted config says about a csv: source: the data cannot travel in a link,
# a bundle carries it (ui.share).
# A link's config that is neither JSON nor a packed config, or does not unpack to text.
NOT_A_SETUP = "is not a Driftlab setup, so the link may have been cut short or changed"
CSV_REFUSED = ("names a CSV file (csv:…), and a link or a config cannot carry your data (the "
               "server never reads a path it is given)")
CSV_FIX = ("share a run on your own data as a bundle (that run's Export tab: config and data "
           "in one zip) and open it under Open a config or bundle, or with `python -m lab run "
           "--bundle FILE.zip`; or upload the CSV file (Stream > Source > Upload a CSV)")


def quote(value: Any, limit: int = QUOTE_CHARS) -> str:
    r"""A value from a link as a warning quotes it: one line, at most ``limit`` characters.

    >>> quote("x" * 100)
    'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...'
    >>> quote("a\nb\x1b[31mc")
    'a b[31mc'
    """
    text = "".join(" " if unicodedata.category(ch) in ("Cc", "Zl", "Zp") else ch
                   for ch in str(value)[:4 * limit].replace("\x1b", ""))
    return text if len(text) <= limit else text[:limit - 3] + "..."


def encode_config(cfg: Mapping[str, Any]) -> str:
    """Compact, URL-safe text of a config.

    A ``csv:`` source (an uploaded file's copy on the server) keeps only the file's name: a link
    never shows a server path, and opening it asks for the file to be uploaded (see
    :func:`app_config`).

    >>> decode_config(encode_config({"stream": {"source": "csv:/tmp/x/abc/data.csv"}}))
    Traceback (most recent call last):
    ...
    lab.spec.errors.ConfigError: stream.source: names a CSV file (csv:…), and a link ...
    """
    stream = cfg.get("stream") if isinstance(cfg, Mapping) else None
    source = stream.get("source") if isinstance(stream, Mapping) else None
    if isinstance(source, str) and source.startswith("csv:"):
        name = re.split(r"[\\/]", source[4:])[-1]
        cfg = {**cfg, "stream": {**stream, "source": f"csv:{name}"}}
    raw = json.dumps(cfg, separators=(",", ":")).encode("utf-8")
    return base64.urlsafe_b64encode(zlib.compress(raw, 9)).decode("ascii").rstrip("=")


def decode_config(text: str) -> dict:
    """The validated, normalised config in ``text`` (base64url+zlib, base64url or JSON).

    Raises :class:`lab.spec.errors.ConfigError` with a one-line message for anything wrong.
    """
    text = (text or "").strip()
    if not text:
        raise ConfigError("config", "is empty", "remove the parameter or give a config")
    if len(text) > MAX_URL_CONFIG:
        raise ConfigError("config", f"is {len(text):,} characters long",
                          "share a config file instead")
    if not text.startswith("{"):
        try:
            raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
        except (binascii.Error, ValueError):
            raise ConfigError("config", NOT_A_SETUP, "copy the whole link again") from None
        inflater = zlib.decompressobj()
        try:  # never inflate past what parse_json_text would accept (a zip bomb stops here)
            inflated = inflater.decompress(raw, MAX_JSON_CHARS + 1)
        except zlib.error:
            pass  # plain base64url of the JSON
        else:
            if len(inflated) > MAX_JSON_CHARS or inflater.unconsumed_tail:
                raise ConfigError("config", f"unpacks to more than {MAX_JSON_CHARS:,} bytes",
                                  "share a config file instead")
            raw = inflated
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise ConfigError("config", NOT_A_SETUP, "copy the whole link again") from None
    return parse_config_text(text, origin="config")


def app_config(data: Any) -> dict:
    """Validate a config dict for the app and return it normalised.

    ``csv:<path>`` sources are refused *before* validation, which would open the path: a link or
    an uploaded file must not make the server read its own files.
    """
    stream = data.get("stream") if isinstance(data, dict) else None
    source = stream.get("source") if isinstance(stream, dict) else None
    if isinstance(source, str) and source.startswith("csv:"):
        raise ConfigError("stream.source", CSV_REFUSED, CSV_FIX)
    return parse_experiment(data).to_dict()


# A verb that can follow a field's name: "Warm-up (samples) must be ...", "Stream is required".
_VERB = re.compile(r"^(is|are|has|have|must|names|unpacks|cannot|does|do|gives|needs|"
                   r"contains)\b")


def link_problem(exc: ConfigError, config: Mapping[str, Any] | None = None,
                 whole: str = "") -> str:
    """A link's config error as one sentence with its fix: the field by its label
    (:func:`lab.spec.labels.path_label`, as any path in the problem or fix: a link's reader did
    not write the config's paths), then what is wrong ("Warm-up (samples) must be an integer
    >= 1, got -1"), then ". Fix: ...". A problem of the whole config (path "config" or none) is
    said of ``whole`` ("The link's config is empty"). The warning's own words go before it,
    never parentheses around it: the message read "(Config: is not a Driftlab setup (its text
    does not decode…). Fix: …)".

    >>> link_problem(ConfigError("evaluation.warmup", "must be an integer >= 1, got -1", ""))
    'Warm-up (samples) must be an integer >= 1, got -1'
    >>> link_problem(ConfigError("config", "is empty", "give a config"), whole="The config")
    'The config is empty. Fix: give a config'
    >>> link_problem(ConfigError("", "config: broken JSON at line 1 column 2: Expecting value",
    ...                          "fix the JSON syntax"), whole="The config")
    'The config has broken JSON at line 1 column 2: Expecting value. Fix: fix the JSON syntax'
    """
    def words(match: re.Match) -> str:
        label = path_label(match.group(0), config)
        return "the " + label[:1].lower() + label[1:]

    problem = _PATH_IN_TEXT.sub(words, exc.problem).rstrip(". ")
    fix = _PATH_IN_TEXT.sub(words, exc.fix).rstrip(". ")
    if exc.path in ("", "config"):
        problem = re.sub(r"^config: ", "", problem)  # lab.spec.jsontext names its origin
        if not _VERB.match(problem):
            problem = f"has {problem}"  # "broken JSON at line 1 ..."
        text = f"{whole or 'It'} {problem}"
    else:
        text = f"{path_label(exc.path, config)} {problem}"
    return text + (f". Fix: {fix}" if fix else "")


def parse_config_text(text: str, origin: str = "config") -> dict:
    """JSON text -> normalised config (see :func:`app_config`); broken, too deep or too big
    JSON is a ConfigError (``lab.spec.jsontext.parse_json_text``)."""
    return app_config(parse_json_text(text, origin))


def _value(text: str) -> Any:
    """A single URL value: JSON if it parses (``5000``, ``true``, ``{"angle": 90}``), else the
    text itself (``adwin``)."""
    try:
        return parse_json_text(text, "value")
    except ConfigError:
        return text


def config_from_query(params: Mapping[str, Any]) -> tuple[dict, list[str]]:
    """``(config, warnings)`` from URL query parameters; never raises.

    With no usable parameter the config is the ``default`` preset's.
    """
    warnings: list[str] = []
    params = {k: (v[-1] if isinstance(v, (list, tuple)) and v else v) for k, v in params.items()}
    cfg = copy.deepcopy(PRESETS[DEFAULT_PRESET].config)
    if "config" in params:
        try:
            cfg = decode_config(str(params["config"]))
        except ConfigError as exc:
            # one sentence, then the fix: "The link's config is not a Driftlab setup, so ...;
            # the page shows the default race instead. Fix: copy the whole link again."
            said = link_problem(exc, whole="The link's config")
            if not said.startswith("The link's config"):  # a field of it
                said = f"The link's config could not be used: {said}"
            problem, _, fix = said.partition(". Fix: ")
            warnings.append(f"{problem}; the page shows the default race instead"
                            + (f". Fix: {fix}." if fix else "."))
    elif "preset" in params:
        name = str(params["preset"])
        if name in PRESETS and getattr(PRESETS[name], "kind", "race") == "race":
            cfg = copy.deepcopy(PRESETS[name].config)
        else:
            races = [k for k, p in PRESETS.items() if getattr(p, "kind", "race") == "race"]
            warnings.append(f"The link asks for preset '{quote(name)}', which is not a race preset "
                            f"(use one of: {', '.join(races)}); showing the default race instead.")
    cfg = app_config(cfg)
    overrides = [k for k in params if k not in ("config", "preset") and k not in IGNORED]
    if len(overrides) > MAX_URL_OVERRIDES:
        warnings.append(f"The link has {len(overrides):,} parameters; only the first "
                        f"{MAX_URL_OVERRIDES} were read (share a config instead).")
    for key in overrides[:MAX_URL_OVERRIDES]:
        raw = params[key]
        path = ALIASES.get(key, key)
        candidate = copy.deepcopy(cfg)
        said = f"{quote(key)}={quote(raw)}"
        try:
            set_path(candidate, path, _value(str(raw)))
            cfg = app_config(candidate)
        except ConfigError as exc:
            warnings.append(f"The link's parameter {said} was ignored: "
                            f"{quote(link_problem(exc, cfg), 300)}.")
        except Exception as exc:  # any other surprise in a hand-made URL is still only a warning
            warnings.append(f"The link's parameter {said} was ignored: "
                            f"{quote(f'{type(exc).__name__}: {exc}', 300)}.")
    return cfg, warnings
