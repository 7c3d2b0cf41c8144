"""Plain labels for people: any config path, a stream source and a config value in words.

The app and the What-if charts name settings in many places (axis titles, table headers, the
"setup changed" notice, the overlay picker); a path such as ``contenders[1].policy.every`` or a
source such as ``csv:/tmp/driftlab-uploads/.../data.csv`` is how the *config* names them, not
how a person does. :func:`path_label` is the one translation, given the config so that it can
name a contender by its displayed name and say whose parameter a stream parameter is:

>>> cfg = {"stream": {"source": "blobs2d"},
...        "contenders": [{"name": "Frozen"}, {"name": "Periodic retrain"}]}
>>> path_label("contenders[1].policy.every", cfg)
'Periodic retrain: samples between retrains'
>>> path_label("stream.drifts[0].to.angle", cfg)
'Drift 1: angle after the drift (degrees)'
>>> path_label("evaluation.label_delay"), path_label("stream.label_noise")
('Label delay (samples)', 'Label noise (share of labels)')

A path the tables do not know still reads as words (``Foo: bar baz 3``), never raises, and never
shows the config's brackets. Error messages keep naming the path on purpose (a user types it);
everything else shows these labels. Standard library (and ``lab.spec``) only: it sits in
``lab.spec`` so that the figures (``lab.plots``), the story and the app can all use it.
"""

from __future__ import annotations

import json
import math
import numbers
import re
from collections.abc import Mapping
from typing import Any

from lab.spec.costs import COST_FIELDS
from lab.spec.experiment import EVALUATION_FIELDS
from lab.spec.label_supply import LABEL_FIELDS

__all__ = ["path_label", "source_label", "format_value", "describe_changes", "format_kappa",
           "format_duration", "reference_name", "model_display_name"]

# (words, unit or None): a label is "words (unit)"; inside a drift's "to" the words get
# "after the drift" before the unit ("angle after the drift (degrees)").
TOP_LABELS: dict[str, tuple[str, str | None]] = {
    "seed": ("Random seed", None),
    "stream": ("Stream", None),
    "evaluation": ("Evaluation", None),
    "contenders": ("Contenders", None),
    "costs": ("Prices of the cost ledger", None),
}
STREAM_LABELS: dict[str, tuple[str, str | None]] = {
    "source": ("Stream source", None),
    "n_samples": ("Stream length", "samples"),
    "params": ("Stream parameters", None),
    "drifts": ("Drifts", None),
    "label_noise": ("Label noise", "share of labels"),
}
# evaluation.* (the keys of lab.spec.experiment.EVALUATION_FIELDS; a test checks every key has one)
EVALUATION_LABELS: dict[str, tuple[str, str | None]] = {
    "warmup": ("Warm-up", "samples"),
    "window": ("Accuracy window", "samples"),
    "label_delay": ("Label delay", "samples"),
    "step": ("Timeline step", "samples"),
    "baselines": ("Baselines raced", None),
}
DRIFT_LABELS: dict[str, tuple[str, str | None]] = {
    "at": ("position", "sample"),
    "width": ("width", "samples"),
    "shape": ("shape", None),
    "to": ("concept after the drift", None),
}
CONTENDER_LABELS: dict[str, tuple[str, str | None]] = {
    "name": ("name", None),
    "model": ("model", None),
    "policy": ("update policy", None),
}
# contenders[i].policy.* by field name. The policy kinds' own settings labels
# (``Field.label``) are added by :func:`register_setting_label` when ``lab.policies.registry``
# loads, for any setting not written here, so a new kind's settings need no entry here.
POLICY_LABELS: dict[str, tuple[str, str | None]] = {
    "kind": ("update policy", None),
    "every": ("samples between retrains", None),
    "data": ("training data", None),
    "window": ("training window", "samples"),
    "half_life": ("half-life of a sample's weight", "samples"),
    "detector": ("drift detector", None),
    "detector_params": ("drift detector settings", None),
    "react_to": ("alarms that trigger a retrain", None),
    "min_gap": ("fewest samples between triggered retrains", None),
    "follow_up": ("follow-up retrain after an alarm", None),
    "size": ("mini-batch size", "samples"),
    "retrain_latency": ("retrain latency", "samples"),
}


def _split_label(label: str) -> tuple[str, str | None]:
    """A field's label ("Kept rows (samples)") as (words, unit): ("Kept rows", "samples")."""
    if label.endswith(")") and " (" in label:
        words, unit = label[:-1].split(" (", 1)
        return words, unit
    return label, None


def register_setting_label(name: str, label: str) -> None:
    """Label policy setting ``name`` from its field's label ("Kept rows (samples)" reads as
    "kept rows", unit "samples") unless this module words it already.

    >>> register_setting_label("retrain_latency", "Anything")  # already worded: kept
    >>> POLICY_LABELS["retrain_latency"]
    ('retrain latency', 'samples')
    """
    if name in POLICY_LABELS or not label:
        return
    words, unit = _split_label(label)
    POLICY_LABELS[name] = (words[:1].lower() + words[1:], unit)


#: Every amount of the ledger is in the prices' own unit (the cost figures' axes say the same).
PRICE_UNIT = "price units"


def _cost_labels() -> dict[str, tuple[str, str | None]]:
    """costs.* from the prices' own field labels (:data:`lab.spec.costs.COST_FIELDS`), so a new
    price is labelled where it is declared; ``error_matrix`` is not a field of that table."""
    out = {}
    for key, f in COST_FIELDS.items():
        words, unit = _split_label(f.label or _words(key))
        out[key] = (words, unit or PRICE_UNIT)
    out["error_matrix"] = ("Price of each (true, predicted) class pair", PRICE_UNIT)
    return out


# costs.* (a test checks every key of the costs schema has one); an entry of the error matrix,
# costs.error_matrix[i][j], reads "Price of predicting class j when the truth is class i"
COST_LABELS: dict[str, tuple[str, str | None]] = _cost_labels()


# stream.params.* and stream.drifts[k].to.* of the generators (the generator registry's
# parameter names; an unknown one reads as its name with spaces).
GENERATOR_PARAM_LABELS: dict[str, tuple[str, str | None]] = {
    "angle": ("angle", "degrees"),
    "shift": ("boundary shift", None),
    "separation": ("class separation", None),
    "std": ("class spread", None),
    "variant": ("threshold variant", None),
    "noise": ("label noise", "share of labels"),
    "noise_percentage": ("label noise", "share of labels"),
    "classification_function": ("classification function", None),
    "balance_classes": ("balanced classes", None),
    "perturbation": ("feature noise", "share"),
    "has_noise": ("noise", None),
    "concept_seed": ("concept seed", None),
    "seed_model": ("centroid seed", None),
    "n_features": ("number of features", None),
    "n_drift_features": ("drifting features", None),
    "mag_change": ("weight change per sample", None),
    "sigma": ("chance a drift reverses", None),
    "n_classes": ("number of classes", None),
    "n_centroids": ("number of centroids", None),
    "change_speed": ("centroid speed per sample", None),
    "n_drift_centroids": ("drifting centroids", None),
    "irrelevant_features": ("irrelevant features", None),
}
# stream.params.* of a csv: source (lab.data.csv.limits.CSV_PARAMS).
CSV_PARAM_LABELS: dict[str, tuple[str, str | None]] = {
    "target": ("label column", None),
    "features": ("feature columns", None),
    "time": ("time column", None),
    "missing": ("missing values", None),
    "max_mb": ("size limit", "MB"),
    "delimiter": ("delimiter", None),
    "encoding": ("encoding", None),
}

_TOKEN = re.compile(r"\[(-?\d+)\]|([^.\[\]]+)")


def _tokens(path: str) -> list[str | int]:
    """``"contenders[1].policy.every"`` -> ``["contenders", 1, "policy", "every"]``; anything
    that is not an index is a name (a stray bracket is dropped, not an error)."""
    return [int(m.group(1)) if m.group(1) is not None else m.group(2).strip()
            for m in _TOKEN.finditer(path) if (m.group(1) or m.group(2) or "").strip()]


def _words(name: Any) -> str:
    """A key as words: underscores become spaces (``n_drift_features`` -> ``n drift
    features``)."""
    return str(name).replace("_", " ").strip()


def _with_unit(words: str, unit: str | None) -> str:
    return f"{words} ({unit})" if unit else words


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _entry(table: Mapping[str, tuple[str, str | None]], key: Any) -> tuple[str, str | None]:
    return table.get(key, (_words(key), None)) if isinstance(key, str) else (str(key), None)


def _fallback(parts: list[str | int]) -> str:
    """Unknown paths: names as words, indices counted from 1, joined by ": "."""
    words: list[str] = []
    for part in parts:
        if isinstance(part, int) and words:
            words[-1] = f"{words[-1]} {part + 1}"
        else:
            words.append(_words(part) if isinstance(part, str) else str(part + 1))
    return _capital(": ".join(w for w in words if w)) or "Setting"


def contender_name(config: Mapping[str, Any] | None, index: int) -> str:
    """The displayed name of contender ``index`` of ``config`` ("Contender 2" without one)."""
    try:
        name = (config or {}).get("contenders", [])[index].get("name")
        if isinstance(name, str) and name.strip():
            return name
    except (AttributeError, IndexError, TypeError):
        pass
    return f"Contender {index + 1}"


def _param_table(config: Mapping[str, Any] | None) -> tuple[str, dict]:
    source = str(((config or {}).get("stream") or {}).get("source", ""))
    if source.startswith("csv:"):
        return "CSV", CSV_PARAM_LABELS
    if source.startswith("dataset:"):
        return "Data set", {}
    return "Generator" if source else "Stream", GENERATOR_PARAM_LABELS


def _stream_label(rest: list, config: Mapping[str, Any] | None) -> str:
    if not rest:
        return "Stream"
    head, tail = rest[0], rest[1:]
    if head == "params":
        who, table = _param_table(config)
        if who == "Stream" and tail and tail[0] in CSV_PARAM_LABELS:
            # no source yet (an upload the app could not read): only CSV files have these keys
            who, table = "CSV", CSV_PARAM_LABELS
        if not tail:
            return f"{who} parameters"
        words, unit = _entry(table, tail[0])
        more = (": " + _fallback(tail[1:]).lower()) if tail[1:] else ""
        return f"{who}: {_with_unit(words, unit)}{more}"
    if head == "drifts" and tail and isinstance(tail[0], int):
        drift = f"Drift {tail[0] + 1}"
        tail = tail[1:]
        if not tail:
            return drift
        if tail[0] == "to" and len(tail) >= 2:
            words, unit = _entry(GENERATOR_PARAM_LABELS, tail[1])
            more = (": " + _fallback(tail[2:]).lower()) if tail[2:] else ""
            return f"{drift}: {_with_unit(words + ' after the drift', unit)}{more}"
        words, unit = _entry(DRIFT_LABELS, tail[0])
        more = (": " + _fallback(tail[1:]).lower()) if tail[1:] else ""
        return f"{drift}: {_with_unit(words, unit)}{more}"
    if len(rest) == 1 and head in STREAM_LABELS:
        return _with_unit(*STREAM_LABELS[head])
    return _fallback(["stream", *rest])


def _contender_label(rest: list, config: Mapping[str, Any] | None) -> str:
    if not rest or not isinstance(rest[0], int):
        return _fallback(["contenders", *rest])
    name = contender_name(config, rest[0])
    tail = rest[1:]
    if not tail:
        return name
    head = tail[0]
    if head == "policy" and len(tail) >= 2:
        if tail[1] == "detector_params" and len(tail) >= 3:
            return f"{name}: drift detector setting {_words(tail[2])}"
        words, unit = _entry(POLICY_LABELS, tail[1])
        more = (": " + _fallback(tail[2:]).lower()) if tail[2:] else ""
        return f"{name}: {_with_unit(words, unit)}{more}"
    if head == "model" and len(tail) >= 2:
        if tail[1] == "params" and len(tail) >= 3:
            return f"{name}: model setting {_words(tail[2])}"
        if tail[1] == "params":
            return f"{name}: model settings"
        return f"{name}: model"
    words, unit = _entry(CONTENDER_LABELS, head)
    more = (": " + _fallback(tail[1:]).lower()) if tail[1:] else ""
    return f"{name}: {_with_unit(words, unit)}{more}"


def _cost_label(rest: list) -> str:
    head, tail = rest[0], rest[1:]
    if head == "error_matrix" and tail and all(isinstance(k, int) for k in tail[:2]):
        if len(tail) == 1:
            return _with_unit(f"Prices when the truth is class {tail[0]}", PRICE_UNIT)
        if len(tail) == 2:
            return _with_unit(f"Price of predicting class {tail[1]} when the truth is class "
                              f"{tail[0]}", PRICE_UNIT)
    if len(rest) == 1 and head in COST_LABELS:
        return _with_unit(*COST_LABELS[head])
    return _fallback(["costs", *rest])


def path_label(path: Any, config: Mapping[str, Any] | None = None) -> str:
    """A config path in plain words, with its unit; ``config`` (the run's config dict) names
    contenders by their displayed name and stream parameters by their source.

    >>> path_label("contenders[0].model.params.max_depth", {"contenders": [{"name": "Tree"}]})
    'Tree: model setting max depth'
    >>> path_label("stream.params.target", {"stream": {"source": "csv:/tmp/x/data.csv"}})
    'CSV: label column'
    >>> path_label("stream.drifts[1].width"), path_label("contenders[4].policy.window")
    ('Drift 2: width (samples)', 'Contender 5: training window (samples)')
    >>> path_label("evaluation.labels.share"), path_label("evaluation.labels.delay_mean")
    ('Labels bought (share)', 'Mean label delay (samples)')
    >>> path_label("costs.retrain")
    'Price per retrain (price units)'
    >>> path_label("costs.error_matrix[1][0]")
    'Price of predicting class 0 when the truth is class 1 (price units)'
    >>> path_label("foo.bar_baz[2].qux"), path_label("a[b"), path_label("")
    ('Foo: bar baz 3: qux', 'A: b', 'Setting')
    """
    try:
        parts = _tokens(str(path))
        if not parts:
            return "Setting"
        head, rest = parts[0], parts[1:]
        if head == "stream":
            return _stream_label(rest, config)
        if head == "evaluation" and len(rest) == 1 and rest[0] in EVALUATION_LABELS:
            return _with_unit(*EVALUATION_LABELS[rest[0]])
        if head == "evaluation" and rest[:1] == ["labels"] and len(rest) == 2 \
                and rest[1] in LABEL_FIELDS:  # the fields' own labels, units included
            return LABEL_FIELDS[rest[1]].label
        if head == "contenders":
            return _contender_label(rest, config)
        if head == "costs" and rest:
            return _cost_label(rest)
        if not rest and head in TOP_LABELS:
            return _with_unit(*TOP_LABELS[head])
        return _fallback(parts)
    except Exception:  # a label must never stop a page: the path's words as they are
        return _capital(_words(re.sub(r"[\[\].]+", " ", str(path))).strip()) or "Setting"


#: The generators as the sidebar's source list names them (their config key otherwise).
GENERATOR_TITLES = {"sea": "SEA", "agrawal": "Agrawal", "stagger": "STAGGER", "sine": "Sine",
                    "hyperplane": "Rotating hyperplane", "rbf": "Random RBF",
                    "led": "LED digits", "blobs2d": "2-D blobs"}
#: The shipped data sets' titles by key ("elec": "Electricity (Elec2)"): ``lab.data.datasets``
#: fills it when it is imported (this layer imports nothing of lab; anything that races or
#: lists sources has imported it).
DATASET_TITLES: dict[str, str] = {}


def source_label(source: Any) -> str:
    """A stream source as the sidebar's source list names it: a generator or data set by its
    title ("2-D blobs", "Electricity (Elec2)"), never its config key ("blobs2d",
    "dataset:elec"); an uploaded file by its own name, never the server folder it was saved in
    (``csv:`` sources keep their real path in the run's config.json).

    >>> source_label("csv:/tmp/driftlab-uploads/ab12/cd34/sensors.csv")
    'sensors.csv (uploaded CSV file)'
    >>> import lab.data.datasets  # registers the data sets' titles
    >>> source_label("csv:C:\\\\data\\\\x.csv"), source_label("dataset:elec")
    ('x.csv (uploaded CSV file)', 'Electricity (Elec2)')
    >>> source_label("blobs2d"), source_label("sea")
    ('2-D blobs', 'SEA')
    >>> source_label("dataset:mine"), source_label("mine")
    ('mine data set', 'mine generator')
    """
    text = str(source)
    if text.startswith("csv:"):
        name = re.split(r"[\\/]", text[4:])[-1] or "CSV file"
        name = name if len(name) <= 60 else name[:59] + "…"
        return f"{name} (uploaded CSV file)"
    if text.startswith("dataset:"):
        key = text.split(":", 1)[1]
        return DATASET_TITLES.get(key) or f"{key} data set"
    if text in GENERATOR_TITLES:
        return GENERATOR_TITLES[text]
    return f"{text} generator" if text else "no source"


def _last_name(path: str) -> str:
    names = [p for p in _tokens(path) if isinstance(p, str)]
    return names[-1] if names else ""


def format_value(path: Any, value: Any, max_chars: int = 24) -> str:
    """A config value as the page shows it next to its label: sources by :func:`source_label`,
    counts with thousands separators (not seeds), whole floats without ".0", other floats to 4
    significant digits, yes/no, and long lists or objects cut at ``max_chars``.

    >>> format_value("stream.n_samples", 20000), format_value("seed", 12345)
    ('20,000', '12345')
    >>> format_value("stream.label_noise", 0.1), format_value("x", 5333.33333)
    ('0.1', '5,333')
    >>> format_value("evaluation.baselines", True), format_value("stream.source", "csv:/t/a.csv")
    ('yes', 'a.csv (uploaded CSV file)')
    >>> format_value("contenders[1].model", "river.hoeffding_tree")
    'Hoeffding tree (river)'
    """
    path = str(path)
    if path == "stream.source" and isinstance(value, str):
        return source_label(value)
    if isinstance(value, str) and re.search(r"\.model(\.name)?$", path):
        return model_display_name(value)
    if isinstance(value, bool) or (type(value).__module__ == "numpy"
                                   and type(value).__name__ in ("bool", "bool_")):
        text = "yes" if value else "no"
    elif isinstance(value, numbers.Integral):  # numpy's integers too (a sweep table's)
        text = str(int(value)) if "seed" in _last_name(path) else f"{int(value):,}"
    elif isinstance(value, numbers.Real):
        value = float(value)
        if not math.isfinite(value):
            text = str(value)
        elif value.is_integer() and "seed" not in _last_name(path):
            text = f"{int(value):,}"
        else:
            text = f"{value:,.4g}" if abs(value) < 1000 else f"{value:,.0f}"
    elif isinstance(value, str):
        text = value
    elif value is None:
        text = "none"
    else:
        text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= max_chars else text[:max_chars - 1] + "…"


# --------------------------------------------------------------------------------------------
# What changed between two configs
# --------------------------------------------------------------------------------------------
def _flatten(obj: Any, path: str = "") -> dict[str, Any]:
    if isinstance(obj, dict):
        out: dict[str, Any] = {}
        for k, v in obj.items():
            out.update(_flatten(v, f"{path}.{k}" if path else str(k)))
        return out
    if isinstance(obj, list):
        out = {}
        for i, v in enumerate(obj):
            out.update(_flatten(v, f"{path}[{i}]"))
        if not obj:
            out[path] = []
        return out
    return {path: obj}


_ENTRY = re.compile(r"^((?:stream\.drifts|contenders)\[\d+\])")
_MISSING = object()


#: The defaults a config may leave out, by path: a key missing on one side of a change stands
#: for its default, which the change text shows ("all (1.0) → 0.5", not "(none) → 0.5").
KNOWN_DEFAULTS: dict[str, Any] = {
    **{f"evaluation.{k}": f.default for k, f in EVALUATION_FIELDS.items()},
    **{f"evaluation.labels.{k}": f.default for k, f in LABEL_FIELDS.items()},
    **{f"costs.{k}": f.default for k, f in COST_FIELDS.items()},
    "costs.error_matrix": None,
}
#: Defaults that read better in words than as "<value> (default)".
_DEFAULT_WORDS = {"evaluation.labels.share": "all (1.0)", "costs.error_matrix": "none"}


def _default_text(key: str) -> str:
    """A key's default as the change text shows it: "all (1.0)", "fixed (default)"."""
    if key in _DEFAULT_WORDS:
        return _DEFAULT_WORDS[key]
    return f"{format_value(key, KNOWN_DEFAULTS[key])} (default)"


def describe_changes(old: Mapping[str, Any], new: Mapping[str, Any], limit: int = 5,
                     then_now: bool = False) -> str:
    """What changed from config ``old`` to config ``new``, in the page's words: each change as
    "label old → new", a drift or contender that appeared or went as one change, parameters
    of a replaced stream source left out (the source change says it), at most ``limit``
    changes and "(+N more)". A key one side leaves out stands for its default
    (:data:`KNOWN_DEFAULTS`): shown as that default ("Labels bought (share) all (1.0) → 0.5"),
    and no change at all when the other side gives the default's value (a labels object that
    appears with ``strategy: "uniform"`` changes nothing about the strategy). A key whose
    default this layer does not know reads "(none)" / "(removed)".

    ``then_now`` says it from ``old``'s side, for a list of earlier runs each compared with the
    run shown: "Random seed 7 (now 42)", "Drift 2 (removed since)", "no Drift 2 (added since)";
    "Random seed 7 → 42" next to "Run 1" read as if run 1 had changed the seed.

    >>> a = {"stream": {"n_samples": 20000, "drifts": [{"at": 5000, "to": {"angle": 90}}]},
    ...      "contenders": [{"name": "P", "policy": {"every": 3000}}]}
    >>> b = {"stream": {"n_samples": 10000, "drifts": [{"at": 5000, "to": {}}]},
    ...      "contenders": [{"name": "P", "policy": {"every": 1500}}]}
    >>> describe_changes(a, b, limit=1)
    'Stream length (samples) 20,000 → 10,000 (+2 more)'
    >>> describe_changes(a, {**a, "stream": b["stream"]}, limit=1)
    'Stream length (samples) 20,000 → 10,000 (+1 more)'
    >>> describe_changes({**b, "stream": {**b["stream"], "drifts": a["stream"]["drifts"]}}, b)
    'Drift 1: angle after the drift (degrees) 90 → (removed)'
    >>> describe_changes(b, {**b, "contenders": []}), describe_changes(b, b)
    ('P removed', 'same config')
    >>> describe_changes(a, b, then_now=True)
    'Stream length (samples) 20,000 (now 10,000), Drift 1: angle after the drift (degrees) 90 \
(none now), P: samples between retrains 3,000 (now 1,500)'
    >>> describe_changes(b, {**b, "contenders": []}, then_now=True)
    'P (removed since)'
    >>> describe_changes({"evaluation": {}}, {"evaluation": {"labels": {
    ...     "share": 0.5, "strategy": "uniform", "delay": "uniform", "delay_low": 0}}})
    'Labels bought (share) all (1.0) → 0.5, Label delay kind fixed (default) → uniform'
    """
    fa, fb = _flatten(dict(old)), _flatten(dict(new))
    new_source = fa.get("stream.source") != fb.get("stream.source")
    changes: list[str] = []
    entries_done: set[str] = set()
    for key in dict.fromkeys(list(fa) + list(fb)):
        before, after = fa.get(key, _MISSING), fb.get(key, _MISSING)
        if before == after and isinstance(before, bool) == isinstance(after, bool):
            continue
        if new_source and key.startswith("stream.params."):
            continue
        if (before is _MISSING and after == [] and any(k.startswith(key + "[") for k in fa)
                or after is _MISSING and before == []
                and any(k.startswith(key + "[") for k in fb)):
            continue  # a list that emptied or filled: its entries say it
        entry = _ENTRY.match(key)
        if entry:
            prefix = entry.group(1)
            in_old = any(k == prefix or k.startswith((prefix + ".", prefix + "[")) for k in fa)
            in_new = any(k == prefix or k.startswith((prefix + ".", prefix + "[")) for k in fb)
            if in_old != in_new:
                if prefix not in entries_done:
                    entries_done.add(prefix)
                    label = path_label(prefix, new if in_new else old)
                    if then_now:
                        changes.append(f"no {label} (added since)" if in_new
                                       else f"{label} (removed since)")
                    else:
                        changes.append(f"{label} {'added' if in_new else 'removed'}")
                continue
        label = path_label(key, new if after is not _MISSING else old)
        known = key in KNOWN_DEFAULTS
        if known and KNOWN_DEFAULTS[key] in (before, after) and _MISSING in (before, after):
            continue  # left out on one side, its default on the other: the same setting
        if before is _MISSING:
            shown_before = _default_text(key) if known else ("none" if then_now else "(none)")
        else:
            shown_before = format_value(key, before)
        if after is _MISSING:
            shown_after = _default_text(key) if known else ("none" if then_now else "(removed)")
        else:
            shown_after = format_value(key, after)
        if not then_now:
            changes.append(f"{label} {shown_before} → {shown_after}")
        elif after is _MISSING and not known:
            changes.append(f"{label} {shown_before} (none now)")
        else:
            changes.append(f"{label} {shown_before} (now {shown_after})")
    if not changes:
        return "same config"
    more = f" (+{len(changes) - limit} more)" if len(changes) > limit else ""
    return ", ".join(changes[:limit]) + more


# --------------------------------------------------------------------------------------------
# Numbers and names as every view writes them
# --------------------------------------------------------------------------------------------
def format_kappa(value: Any, digits: int = 3) -> str:
    """A score around 0 (a kappa) with ``digits`` decimals, "–" where undefined, and never a
    signed zero: ``-0.0001`` rounds to ``"0.000"``, not ``"-0.000"`` (which reads as "a bit
    below chance" where the score is chance).

    >>> format_kappa(-0.0001), format_kappa(-0.0006), format_kappa(0.41235), format_kappa(None)
    ('0.000', '-0.001', '0.412', '–')
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    text = f"{float(value):.{digits}f}"
    return text[1:] if text.startswith("-") and not text.strip("-0.") else text


SECONDS_PER_DAY = 86_400
SECONDS_PER_YEAR = 365.25 * SECONDS_PER_DAY


def format_duration(seconds: float) -> str:
    """A duration in the unit a person reads it in: seconds, minutes, hours up to two days,
    then days up to two years, then years, with thousands separators ("about 32553 h" of an
    estimate read better as "3.7 years").

    >>> [format_duration(s) for s in (4.21, 45, 600, 30_000, 400_000, 117_190_800, 4e12)]
    ['4.2 s', '45 s', '10 min', '8 h', '5 days', '3.7 years', '126,752 years']
    """
    s = float(seconds)
    if s < 10:
        return f"{s:.1f} s"
    if s < 120:
        return f"{s:.0f} s"
    if s < 2 * 3600:
        return f"{s / 60:.0f} min"
    if s < 2 * SECONDS_PER_DAY:
        return f"{s / 3600:.0f} h"
    if s < 2 * SECONDS_PER_YEAR:
        return f"{s / SECONDS_PER_DAY:,.0f} days"
    years = s / SECONDS_PER_YEAR
    return f"{years:,.1f} years" if years < 100 else f"{years:,.0f} years"


def reference_name(name: Any, baseline: bool) -> str:
    """A contender's name in a table, a baseline's marked as one once: "Majority baseline"
    already says it ("No-change baseline (baseline)" said it twice), another name gets
    " (baseline)".

    >>> reference_name("No-change baseline", True), reference_name("ZeroR", True)
    ('No-change baseline', 'ZeroR (baseline)')
    >>> reference_name("Online", False)
    'Online'
    """
    text = str(name)
    if not baseline or re.search(r"\bbaseline\b", text, re.IGNORECASE):
        return text
    return f"{text} (baseline)"


# Words of a model's registry key that are abbreviations, and its library as people name it.
_MODEL_ABBREVIATIONS = {"nb": "NB", "knn": "k-NN", "sgd": "SGD"}
_MODEL_LIBRARIES = {"sk": "scikit-learn", "river": "river", "baseline": "river"}


def model_display_name(key: Any, with_library: bool = True) -> str:
    """A model registry key as people name the model: ``"Hoeffding tree (river)"`` for
    ``river.hoeffding_tree`` (the same words as the contender names of ``ui.contenders``; a
    test checks they agree for every registered model). A key of no known library is returned
    as it is.

    >>> model_display_name("sk.gaussian_nb"), model_display_name("river.knn", with_library=False)
    ('Gaussian NB (scikit-learn)', 'k-NN')
    """
    text = str(key)
    library, _, rest = text.partition(".")
    if library not in _MODEL_LIBRARIES or not rest:
        return text
    words = [_MODEL_ABBREVIATIONS.get(w, w.capitalize() if k == 0 else w)
             for k, w in enumerate(rest.split("_"))]
    name = " ".join(words)
    return f"{name} ({_MODEL_LIBRARIES[library]})" if with_library else name
