"""The app's widget state <-> an experiment config dict, without streamlit.

Every widget that edits the config has a stable key (tests and URLs address them):

* ``seed``, ``source``, ``n_samples``, ``label_noise``, ``warmup``, ``window``, ``label_delay``,
  ``step``, ``baselines`` (the "Show baselines" toggle: ``evaluation.baselines``);
* ``gp_<source>_<param>``: a generator parameter (per source, so switching the generator does not
  carry a value into a generator where it means something else);
* ``d<uid>_at``, ``d<uid>_width``, ``d<uid>_to_<source>_<param>``: a drift (``drift_ids`` lists the
  uids; ``d<uid>_extra`` keeps ``to`` keys the editor has no widget for, ``d<uid>_shape`` a
  loaded drift's ``shape``);
* ``c<uid>_name``, ``c<uid>_model``, ``c<uid>_kind``, ``c<uid>_<policy field>``,
  ``c<uid>_model_params`` / ``c<uid>_detector_params`` (JSON text): a contender (``contender_ids``).

:func:`state_from_config` turns a config into those values (to load a preset, a URL or a file);
:func:`config_from_state` builds the config the app runs from them. The app validates it with
``lab.validate.parse_experiment`` like any other config.

>>> from lab.presets import load_preset
>>> cfg = load_preset("default").to_dict()
>>> state = state_from_config(cfg)
>>> state["n_samples"], state["c1_every"], state["d0_to_blobs2d_angle"]
(20000, 3000, 90.0)
>>> config_from_state(state)["contenders"][1]["policy"]
{'kind': 'periodic', 'every': 3000, 'data': 'window', 'window': 5000, 'half_life': 2000.0,
 'retrain_latency': 0}
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from lab.data.generators import GENERATORS
from lab.policies.registry import POLICY_KINDS, kind_defaults, setting_fields
from lab.spec.costs import COST_FIELDS
from lab.spec.errors import ConfigError
from lab.spec.experiment import MAX_CONTENDERS
from lab.spec.jsontext import parse_json_text
from lab.spec.labels import describe_changes, source_label
from ui import keys as K
from ui.labels_panel import labels_evaluation, labels_state


def _datasets() -> dict:
    try:
        from lab.data.datasets import DATASETS
    except ImportError:  # an older core without real data sets
        return {}
    return DATASETS


DATASETS = _datasets()
# What the app offers as a stream source: the generators and the shipped / bundled data sets.
# ``csv:<path>`` sources read files on the server, so the app refuses them (see ui.urls).
SOURCES: tuple[str, ...] = tuple(GENERATORS) + tuple(f"dataset:{k}" for k in DATASETS)
# The source widget's value for the user's own file (see ui.upload): the config then reads
# ``csv:<the uploaded copy>``, a path the app generated itself.
UPLOAD = "upload"
APP_SOURCES: tuple[str, ...] = SOURCES + (UPLOAD,)
CSV_DEFAULT_MAX_MB = 200.0
# The app's default for missing values in an uploaded file: fill a feature's holes with the
# column's median (a text column's with no category) and say how many, so the first run is not
# blocked by one empty cell. The core's default stays "reject" for configs written by hand.
CSV_DEFAULT_MISSING = "impute_median"

FIXED_KEYS = ("seed", "source", "n_samples", "label_noise", "warmup", "window", "label_delay",
              "step", "baselines")
# The app races the no-change and majority baselines unless the config says
# ``"baselines": false``: a config without the key (a preset, a CLI config, a link from before
# the key existed) gets them, and the app writes true or false into every config it runs, so
# its links and config.json files say which.
APP_BASELINES = True
LIST_KEYS = ("drift_ids", "contender_ids", "next_uid", "param_keys")
_KEY_RE = re.compile(r"^(gp_|d\d+_|c\d+_|csv_|cost_|labels_)")

# The parameters that define a concept, offered for each drift's ``to`` (other ``to`` keys from a
# loaded config are kept as they are).
CONCEPT_PARAMS: dict[str, tuple[str, ...]] = {
    "sea": ("variant",),
    "agrawal": ("classification_function",),
    "stagger": ("classification_function",),
    "sine": ("classification_function",),
    "hyperplane": ("mag_change", "noise_percentage"),
    "rbf": ("seed_model", "change_speed"),
    "led": ("n_drift_features", "noise_percentage"),
    "blobs2d": ("angle", "shift"),
}
# Integer parameters with a short list of meaningful values: a select box instead of a number.
PARAM_CHOICES: dict[tuple[str, str], tuple[int, ...]] = {
    ("sea", "variant"): tuple(range(4)),
    ("agrawal", "classification_function"): tuple(range(10)),
    ("stagger", "classification_function"): tuple(range(3)),
    ("sine", "classification_function"): tuple(range(4)),
    ("led", "n_drift_features"): tuple(range(8)),
}
PARAM_STEPS: dict[str, float] = {"angle": 15.0, "shift": 0.25, "separation": 0.25, "std": 0.1,
                                 "mag_change": 0.001, "change_speed": 0.001}
POLICY_WIDGET_FIELDS = tuple(k for k in setting_fields() if k != "detector_params")


def is_generator(source: str) -> bool:
    """True for a synthetic generator (whose concepts a drift switches), False for real data."""
    return source in GENERATORS


def source_defaults(source: str) -> dict[str, Any]:
    return dict(GENERATORS[source].defaults) if is_generator(source) else {}


def concept_params_of(source: str) -> tuple[str, ...]:
    return CONCEPT_PARAMS.get(source, ()) if is_generator(source) else ()


def is_config_key(key: str) -> bool:
    """True for the session-state keys that hold the config being edited."""
    return key in FIXED_KEYS or key in LIST_KEYS or bool(_KEY_RE.match(key))


def gp_key(source: str, param: str) -> str:
    return f"gp_{source}_{param}"


def drift_key(uid: int, field: str) -> str:
    return f"d{uid}_{field}"


def drift_to_key(uid: int, source: str, param: str) -> str:
    return f"d{uid}_to_{source}_{param}"


def contender_key(uid: int, field: str) -> str:
    return f"c{uid}_{field}"


def coerce(default: Any, value: Any) -> Any:
    """``value`` in the type of the widget built for ``default`` (bool, int or float)."""
    if isinstance(default, bool):
        return bool(value)
    if isinstance(default, int) and isinstance(value, (int, float)) and float(value).is_integer():
        return int(value)
    if (isinstance(default, float) and isinstance(value, (int, float))
            and not isinstance(value, bool)):
        return float(value)
    return value


def policy_defaults(kind: str) -> dict[str, Any]:
    """Every policy field's default for ``kind`` (the fields the kind does not use included)."""
    return kind_defaults(kind)


def _json_text(obj: dict) -> str:
    return json.dumps(obj) if obj else ""


def contender_state(uid: int, contender: Mapping[str, Any]) -> dict[str, Any]:
    """Widget values of one contender (a config's ``contenders[i]`` entry)."""
    model = contender["model"]
    name, params = ((model["name"], model.get("params", {})) if isinstance(model, dict)
                    else (model, {}))
    policy = contender["policy"]
    values = {**policy_defaults(policy["kind"]), **{k: v for k, v in policy.items() if k != "kind"}}
    out = {contender_key(uid, "name"): contender.get("name", f"Contender {uid + 1}"),
           contender_key(uid, "model"): name,
           contender_key(uid, "model_params"): _json_text(params),
           contender_key(uid, "kind"): policy["kind"],
           contender_key(uid, "detector_params"): _json_text(values.pop("detector_params", {}))}
    for k in POLICY_WIDGET_FIELDS:
        out[contender_key(uid, k)] = coerce(setting_fields()[k].default, values[k])
    return out


def drift_state(uid: int, source: str, base: Mapping[str, Any], drift: Mapping[str, Any]) -> dict:
    """Widget values of one drift; ``base`` is the stream's first concept (defaults + params)."""
    defaults = source_defaults(source)
    concept = {**base, **drift.get("to", {})}
    out = {drift_key(uid, "at"): int(drift["at"]),
           drift_key(uid, "width"): int(drift.get("width", 0)),
           drift_key(uid, "shape"): drift.get("shape", "span"),  # no widget: kept as loaded
           drift_key(uid, "extra"): {k: v for k, v in drift.get("to", {}).items()
                                    if k not in concept_params_of(source)},
           drift_key(uid, "tokeys"): [k for k in drift.get("to", {})
                                      if k in concept_params_of(source)]}
    for p in concept_params_of(source):
        out[drift_to_key(uid, source, p)] = coerce(defaults[p], concept[p])
    return out


def generator_state(source: str, params: Mapping[str, Any]) -> dict[str, Any]:
    defaults = source_defaults(source)
    return {gp_key(source, p): coerce(d, params.get(p, d)) for p, d in defaults.items()}


def state_from_config(cfg: Mapping[str, Any]) -> dict[str, Any]:
    """All widget values for a *valid* config (use ``Experiment.to_dict()``)."""
    stream, ev = cfg["stream"], cfg.get("evaluation", {})
    source = stream["source"]
    if source not in SOURCES:
        raise ConfigError("stream.source", f"'{source}' cannot be used in the app",
                          "open the run's bundle (config and data in one zip, from its Export "
                          "tab), upload the CSV file (Stream > Source > Upload a CSV), or run "
                          f"it with python -m lab run --config FILE; the app also offers "
                          f"{', '.join(source_label(s) for s in SOURCES)}")
    base = {**source_defaults(source), **stream.get("params", {})}
    state: dict[str, Any] = {
        "seed": int(cfg.get("seed", 42)), "source": source, "n_samples": int(stream["n_samples"]),
        "label_noise": float(stream.get("label_noise", 0.0)),
        **{k: int(ev[k]) for k in ("warmup", "window", "label_delay", "step") if k in ev},
        "baselines": bool(ev.get("baselines", APP_BASELINES)),
    }
    state.update(generator_state(source, base))
    state.update(costs_state(cfg.get("costs")))
    state.update(labels_state(ev.get("labels")))  # the Labels controls (ui/labels_panel.py)
    state["param_keys"] = list(stream.get("params", {}))
    drifts = list(stream.get("drifts", []))
    for uid, drift in enumerate(drifts):
        state.update(drift_state(uid, source, base, drift))
    for uid, contender in enumerate(cfg["contenders"]):
        state.update(contender_state(uid, contender))
    state["drift_ids"] = list(range(len(drifts)))
    state["contender_ids"] = list(range(len(cfg["contenders"])))
    state["next_uid"] = max(len(drifts), len(cfg["contenders"]))
    return state


def _json_object(text: str, path: str) -> dict:
    """The JSON object typed in a parameters box (``{}`` when empty). Through
    ``parse_json_text``: a 5,000-digit number or 10,000 brackets are a ConfigError here too."""
    text = (text or "").strip()
    if not text:
        return {}
    try:
        value = parse_json_text(text, path)
    except ConfigError as exc:
        raise ConfigError(path, f"is not valid JSON ({exc.problem.removeprefix(path + ': ')})",
                          'write a JSON object such as {"delta": 0.002}, '
                          'or leave it empty') from None
    if not isinstance(value, dict):
        raise ConfigError(path, "must be a JSON object", 'write e.g. {"delta": 0.002}')
    return value


def config_from_state(state: Mapping[str, Any], check: bool = True) -> dict[str, Any]:
    """The config dict the widgets describe (not yet validated: pass it to ``parse_experiment``).

    Drifts are sorted by position (:func:`drift_order`). Generator parameters are written when
    they define the concept or differ from the generator's default. Raises
    :class:`lab.spec.errors.ConfigError` for a number field out of its range
    (:func:`ui.number_checks.check_numbers`; not with ``check=False``, which the page uses to
    check the drifts against the stream while another field is out of range) and for JSON text
    fields that do not parse.
    """
    from ui.number_checks import check_numbers  # it reads this module's keys: imported here

    if check:
        check_numbers(state)
    source = state["source"]
    defaults = source_defaults(source)
    values = {p: state.get(gp_key(source, p), d) for p, d in defaults.items()}
    # The keys a loaded config gave come first, then whatever differs from the defaults, so a
    # loaded config comes back the same and an edited one stays short.
    order = [p for p in state.get("param_keys", []) if p in defaults] + list(defaults)
    params = {p: values[p] for p in dict.fromkeys(order)
              if p in state.get("param_keys", []) or values[p] != defaults[p]}
    drifts = []
    for uid in drift_order(state):
        drift = {"at": state[drift_key(uid, "at")], "width": state[drift_key(uid, "width")]}
        if state.get(drift_key(uid, "shape"), "span") != "span":
            drift["shape"] = state[drift_key(uid, "shape")]
        if is_generator(source):
            given = state.get(drift_key(uid, "tokeys")) or []
            to = {}
            for p in dict.fromkeys([p for p in given if p in concept_params_of(source)]
                                   + list(concept_params_of(source))):
                value = state.get(drift_to_key(uid, source, p), values[p])
                if p in given or value != values[p]:
                    to[p] = value
            to.update(state.get(drift_key(uid, "extra")) or {})
            drift["to"] = to
        drifts.append(drift)
    contenders = []
    for i, uid in enumerate(state.get("contender_ids", [])):
        kind = state[contender_key(uid, "kind")]
        policy: dict[str, Any] = {"kind": kind}
        for k in POLICY_KINDS[kind].fields:
            if k == "detector_params":
                policy[k] = _json_object(state.get(contender_key(uid, k), ""),
                                         f"contenders[{i}].policy.detector_params")
            else:
                policy[k] = state[contender_key(uid, k)]
        model_params = _json_object(state.get(contender_key(uid, "model_params"), ""),
                                    f"contenders[{i}].model.params")
        model = state[contender_key(uid, "model")]
        # Spaces the page would not show ("Online" and "Online ") are no part of the name: two
        # names that read the same are the same name, which the validator refuses.
        contenders.append({"name": " ".join(str(state[contender_key(uid, "name")]).split()),
                           "model": ({"name": model, "params": model_params} if model_params
                                     else model),
                           "policy": policy})
    stream = {"source": source, "n_samples": state["n_samples"], "params": params,
              "drifts": drifts, "label_noise": state["label_noise"]}
    if source == UPLOAD:
        stream = upload_stream(state, drifts)
    return {
        "seed": state["seed"],
        "stream": stream,
        "evaluation": {**{k: state[k] for k in ("warmup", "window", "label_delay", "step")},
                       "baselines": bool(state.get("baselines", APP_BASELINES)),
                       **labels_evaluation(state)},
        "contenders": contenders,
        **({"costs": costs} if (costs := costs_config(state)) is not None else {}),
    }


def costs_state(costs: Mapping[str, Any] | None) -> dict[str, Any]:
    """The Costs panel's values for a config's ``costs`` (None: the defaults)."""
    given = costs or {}
    matrix = given.get("error_matrix")
    return {**{key: float(given.get(name, COST_FIELDS[name].default))
               for name, key in K.COST_PRICES.items()},
            K.COST_ERROR_MATRIX: json.dumps(matrix) if matrix is not None else "",
            K.COST_GIVEN: costs is not None}


def costs_config(state: Mapping[str, Any]) -> dict[str, Any] | None:
    """The config's ``costs`` from the panel: None (not written) while every price is at its
    default, no matrix is given and the loaded config had none, so a preset's config stays as
    the CLI writes it."""
    prices = {name: state.get(key, COST_FIELDS[name].default)
              for name, key in K.COST_PRICES.items()}
    text = (state.get(K.COST_ERROR_MATRIX) or "").strip()
    matrix = parse_json_text(text, "costs.error_matrix") if text else None
    if (not state.get(K.COST_GIVEN) and matrix is None
            and all(prices[n] == COST_FIELDS[n].default for n in prices)):
        return None
    return {**prices, "error_matrix": matrix}


def drift_order(state: Mapping[str, Any]) -> list[int]:
    """The drift cards' uids in the config's order: by position (then width), ties in card order.

    The cards themselves keep the order the user made them in while they are edited (a card
    that jumped as its position was typed would lose the user's place); :func:`sort_drifts`
    puts them in this order when the race runs.
    """
    ids = list(state.get("drift_ids", []))

    def position(uid: int) -> tuple:
        at, width = state.get(drift_key(uid, "at"), 0), state.get(drift_key(uid, "width"), 0)
        return ((at, width) if isinstance(at, (int, float)) and isinstance(width, (int, float))
                else (float("inf"), 0))

    return sorted(ids, key=position)


def drift_card_numbers(state: Mapping[str, Any]) -> list[int]:
    """For each drift of the config (``stream.drifts[i]``), the number of its card ("Drift 2").

    >>> state = {"drift_ids": [0, 1], "d0_at": 9000, "d0_width": 0, "d1_at": 4000,
    ...          "d1_width": 0}
    >>> drift_card_numbers(state)  # the config's first drift is the second card
    [2, 1]
    """
    ids = list(state.get("drift_ids", []))
    return [ids.index(uid) + 1 for uid in drift_order(state)]


def sort_drifts(state) -> None:
    """Put the drift cards in the config's order (the Run button calls it)."""
    state["drift_ids"] = drift_order(state)


def upload_stream(state: Mapping[str, Any], drifts: list) -> dict[str, Any]:
    """The ``stream`` of an uploaded CSV file (``_upload`` and the ``csv_*`` values of
    ``ui.upload``): ``csv:<the session's copy>`` with the chosen columns as ``stream.params``."""
    upload = state.get("_upload")
    if not upload:
        raise ConfigError("stream.source", "no CSV file uploaded yet",
                          "choose a file under Stream > CSV file, or pick another source")
    if upload.get("error_parts"):  # the file itself cannot be read (see ui.upload)
        raise ConfigError(*upload["error_parts"])
    target = state.get("csv_target")
    if not target:
        raise ConfigError("stream.params.target", "no target column chosen",
                          "pick the column of class labels under Target")
    params: dict[str, Any] = {"target": target}
    if state.get("csv_features") is not None:
        if not state["csv_features"]:
            raise ConfigError("stream.params.features", "no feature columns chosen",
                              "pick at least one column under Features")
        params["features"] = list(state["csv_features"])
    if state.get("csv_time"):
        params["time"] = state["csv_time"]
    params["missing"] = state.get("csv_missing") or CSV_DEFAULT_MISSING
    delimiter = state.get("csv_delimiter") or "auto"
    if delimiter != "auto":
        params["delimiter"] = "\t" if delimiter == "tab" else delimiter
    if (state.get("csv_encoding") or "utf-8") != "utf-8":
        params["encoding"] = state["csv_encoding"]
    max_mb = state.get("csv_max_mb")
    if max_mb is not None and float(max_mb) != CSV_DEFAULT_MAX_MB:
        params["max_mb"] = max_mb
    stream = {"source": f"csv:{upload['path']}", "params": params, "drifts": drifts,
              "label_noise": state["label_noise"]}
    if not state.get("csv_all_rows", True):
        stream["n_samples"] = state["n_samples"]
    return stream


# --------------------------------------------------------------------------------------------
# Editing operations (the app calls them from button callbacks on st.session_state)
# --------------------------------------------------------------------------------------------
def unique_name(name: str, taken) -> str:
    """``name``, or ``name (2)``, ``name (3)`` ... whichever is not taken.

    >>> unique_name("Online", ["Online", "Online (2)"])
    'Online (3)'
    """
    taken = set(taken)
    if name not in taken:
        return name
    stem = re.sub(r" \(\d+\)$", "", name)
    k = 2
    while f"{stem} ({k})" in taken:
        k += 1
    return f"{stem} ({k})"


def _take_uid(state) -> int:
    uid = int(state.get("next_uid", 0))
    state["next_uid"] = uid + 1
    return uid


def names_in_use(state) -> list[str]:
    return [state.get(contender_key(u, "name"), "") for u in state.get("contender_ids", [])]


def add_contender(state, after: int | None = None,
                  template: Mapping[str, Any] | None = None) -> int:
    """Add a contender (a copy of contender ``after`` when ``template`` is None and ``after``
    is given, else ``template``, else an online Hoeffding tree); returns its uid."""
    ids = list(state.get("contender_ids", []))
    if len(ids) >= MAX_CONTENDERS:
        return -1
    uid = _take_uid(state)
    if template is None and after is not None:
        values = {contender_key(uid, k[len(f"c{after}_"):]): v for k, v in state.items()
                  if k.startswith(f"c{after}_")}
        values[contender_key(uid, "name")] = unique_name(
            f"{state[contender_key(after, 'name')]} copy", names_in_use(state))
    else:
        template = template or {"name": "Online (Hoeffding tree)", "model": "river.hoeffding_tree",
                                "policy": {"kind": "online"}}
        values = contender_state(uid, template)
        values[contender_key(uid, "name")] = unique_name(template["name"], names_in_use(state))
    state.update(values)
    pos = ids.index(after) + 1 if after in ids else len(ids)
    ids.insert(pos, uid)
    state["contender_ids"] = ids
    return uid


def remove_keys(state, prefix: str) -> None:
    for k in [k for k in list(state.keys()) if isinstance(k, str) and k.startswith(prefix)]:
        del state[k]


def remove_contender(state, uid: int) -> None:
    ids = list(state.get("contender_ids", []))
    if uid in ids and len(ids) > 1:
        ids.remove(uid)
        state["contender_ids"] = ids
        remove_keys(state, f"c{uid}_")


def next_concept_value(source: str, param: str, value: Any) -> Any:
    """A different value of a concept parameter, for a new drift (the next variant, +90 degrees,
    another seed ...)."""
    choices = PARAM_CHOICES.get((source, param))
    if choices:
        return (choices[(choices.index(value) + 1) % len(choices)] if value in choices
                else choices[0])
    if param == "angle":
        return float((value + 90) % 360)
    if param == "seed_model":
        return int(value) + 1
    return value


def add_drift(state) -> int:
    """Add a sudden drift after the last one (half-way to the stream's end) that switches the
    main concept parameter to another value (on real data: a marked point); returns its uid."""
    source, n = state["source"], int(state["n_samples"])
    if source == UPLOAD and state.get("csv_all_rows", True) and state.get("_upload_rows"):
        n = int(state["_upload_rows"])  # every row of the file (counted by the last check)
    ids = list(state.get("drift_ids", []))
    last_end = max([state[drift_key(u, "at")] + state[drift_key(u, "width")] for u in ids] or
                   [int(state.get("warmup", 0))])
    at = max(1, min(n - 1, int(round((last_end + n) / 2 / 100.0) * 100) or (last_end + n) // 2))
    uid = _take_uid(state)
    state.update({drift_key(uid, "at"): at, drift_key(uid, "width"): 0, drift_key(uid, "extra"): {},
                  drift_key(uid, "tokeys"): []})
    if is_generator(source):
        defaults = source_defaults(source)
        prev = {p: state.get(gp_key(source, p), defaults[p]) for p in concept_params_of(source)}
        if ids:
            last = max(ids, key=lambda u: state[drift_key(u, "at")])
            prev = {p: state.get(drift_to_key(last, source, p), prev[p]) for p in prev}
        main = concept_params_of(source)[0]
        to = dict(prev)
        to[main] = next_concept_value(source, main, prev[main])
        for p, v in to.items():
            state[drift_to_key(uid, source, p)] = coerce(defaults[p], v)
    state["drift_ids"] = ids + [uid]
    return uid


def remove_drift(state, uid: int) -> None:
    ids = list(state.get("drift_ids", []))
    if uid in ids:
        ids.remove(uid)
        state["drift_ids"] = ids
        remove_keys(state, f"d{uid}_")


def choose_dataset(state, source: str) -> None:
    """A shipped data set was picked as the source: race all of its rows (a shorter stream
    stays a choice, and the story then says "the first N of M samples") and pre-mark the
    change points its README documents (:attr:`lab.data.datasets.DatasetInfo.change_points`)
    in place of the drifts, which meant nothing on real data.

    >>> state = {"source": "dataset:elec", "n_samples": 20000, "drift_ids": [], "next_uid": 3}
    >>> choose_dataset(state, "dataset:elec")
    >>> state["n_samples"], [state[drift_key(u, "at")] for u in state["drift_ids"]]
    (45312, [17424])
    """
    info = DATASETS[source.split(":", 1)[1]]
    for uid in list(state.get("drift_ids", [])):
        remove_drift(state, uid)
    state["n_samples"] = info.n_samples
    for at in info.change_points:
        uid = _take_uid(state)
        state.update({drift_key(uid, "at"): at, drift_key(uid, "width"): 0,
                      drift_key(uid, "extra"): {}, drift_key(uid, "tokeys"): []})
        state["drift_ids"] = list(state.get("drift_ids", [])) + [uid]


# --------------------------------------------------------------------------------------------
# What changed between two configs (labels of the run history)
# --------------------------------------------------------------------------------------------
def config_diff(old: Mapping[str, Any], new: Mapping[str, Any], limit: int = 5,
                then_now: bool = False) -> str:
    """A short description of what changed from ``old`` to ``new``, in plain labels
    (:func:`lab.spec.labels.describe_changes`: no config paths, no server folders); with
    ``then_now``, from ``old``'s side: "Random seed 7 (now 42)".

    >>> a = {"stream": {"n_samples": 20000},
    ...      "contenders": [{"name": "P", "policy": {"every": 3000}}]}
    >>> b = {"stream": {"n_samples": 10000},
    ...      "contenders": [{"name": "P", "policy": {"every": 1500}}]}
    >>> config_diff(a, b)
    'Stream length (samples) 20,000 → 10,000, P: samples between retrains 3,000 → 1,500'
    """
    return describe_changes(old, new, limit, then_now)
