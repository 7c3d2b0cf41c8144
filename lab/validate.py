"""Experiment configs: dataclasses, JSON load/dump, validation and the JSON Schema.

One config format serves the CLI, the app, URLs and exports (see ``docs/config.md``). Validation is
strict on purpose: an unknown key or an out-of-range value is almost always a typo, and a silent
default would run a different experiment from the one the user meant. Every error names the key
(as a path such as ``contenders[1].policy.every``), the problem and the fix, in one line.

The allowed keys, their types, ranges and defaults live in tables: :data:`EVALUATION_FIELDS`
(:mod:`lab.spec.experiment`), each policy kind's own ``fields`` (:mod:`lab.policies.registry`),
the generators', models' and detectors' parameter rules. Both the validator and
:func:`json_schema` read them, so they cannot drift apart.

>>> exp = parse_experiment({"stream": {"source": "sea", "n_samples": 5000},
...                         "contenders": [{"name": "Online", "model": "river.hoeffding_tree",
...                                         "policy": {"kind": "online"}}]})
>>> exp.evaluation.warmup, exp.contenders[0].policy.kind
(1000, 'online')
>>> parse_experiment({"stream": {"source": "sea", "n_samples": 0}, "contenders": []})
Traceback (most recent call last):
...
lab.spec.errors.ConfigError: stream.n_samples: must be an integer >= 1 and <= 10,000,000, got 0.
Fix: give the number of samples in the stream, e.g. 20000
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from lab.spec.checks import (
    Field,
    check_field,
    check_int,
    check_number,
    check_object,
    check_scalar_params,
    describe,
    is_scalar,
)
from lab.spec.costs import costs_schema, parse_costs
from lab.spec.errors import ConfigError, shorten
from lab.spec.experiment import (
    DRIFT_SHAPES,
    EVALUATION_FIELDS,
    MAX_CONTENDERS,
    MAX_DRIFTS,
    MAX_NAME_CHARS,
    MAX_SAMPLES,
    MAX_TIMELINE_ROWS,
    OPTIONAL_EVALUATION_KEYS,
    ContenderSpec,
    EvaluationSpec,
    Experiment,
    ModelSpec,
    PolicySpec,
    StreamSpec,
    parse_drifts,
    register_parser,
)
from lab.spec.jsontext import parse_json_text, read_config_text
from lab.spec.label_supply import label_supply_schema, parse_label_supply
from lab.spec.labels import model_display_name, source_label


def _parse_stream(data: Any) -> StreamSpec:
    from lab.data.generators import GENERATORS

    check_object(data, "stream", ("source", "n_samples", "params", "drifts", "label_noise"),
                  required=("source",))
    source = data["source"]
    if isinstance(source, str) and source.startswith(("dataset:", "csv:")):
        from lab.data.datasets import parse_real_stream

        return parse_real_stream(data)
    if not isinstance(source, str) or source not in GENERATORS:
        raise ConfigError("stream.source", f"unknown source {describe(source)}",
                          f"use one of: {', '.join(GENERATORS)}, dataset:<name> or csv:<path>")
    if "n_samples" not in data:
        raise ConfigError("stream.n_samples", "is required", "add \"n_samples\"")
    n = check_int(data["n_samples"], "stream.n_samples", 1, MAX_SAMPLES,
                   "give the number of samples in the stream, e.g. 20000")
    info = GENERATORS[source]
    params = check_scalar_params(data.get("params", {}), "stream.params", info.fields)
    label_noise = check_number(data.get("label_noise", 0.0), "stream.label_noise", 0, 0.5,
                                fix="use a share of flipped labels between 0 and 0.5")
    drifts = parse_drifts(data.get("drifts", []), n, info.fields)
    spec = StreamSpec(source, n, params, drifts, label_noise)
    _check_concepts(spec)
    return spec


def parse_stream(data: Any) -> StreamSpec:
    """Validate only the ``stream`` part of a config and return its :class:`StreamSpec`.

    The app previews the drift timeline while the contenders are still being edited, so it
    needs the stream checked on its own. Same checks and messages as :func:`parse_experiment`.

    >>> parse_stream({"source": "sea", "n_samples": 100, "drifts": [{"at": 50}]}).drifts[0].at
    50
    """
    return _parse_stream(data)


def _check_concepts(spec: StreamSpec) -> None:
    """Build every concept's generator once so bad values fail here, with the key named."""
    from lab.data.generators import GENERATORS
    from lab.data.stream import concept_params

    info = GENERATORS[spec.source]
    concepts, targets = concept_params(spec)
    shapes = {}
    for k, params in enumerate(concepts):
        path = "stream.params" if k == 0 else f"stream.drifts[{targets.index(k)}].to"
        problem = info.check(params)  # cross-parameter limits, before anything is built
        if problem:
            key, text, fix = problem
            raise ConfigError(f"{path}.{key}", text, fix)
        try:
            X, _ = info.build(params, 0).draw(1)
        except (ValueError, TypeError, ZeroDivisionError, OverflowError, IndexError) as exc:
            raise ConfigError(path, f"{source_label(spec.source)} rejects these parameters "
                                    f"({shorten(str(exc), 160)})",
                              "see `python -m lab schema` for the generator's parameters") from exc
        shapes[k] = X.shape[1]
        if shapes[k] != shapes[0]:
            raise ConfigError(path, f"changes the number of features from {shapes[0]} to "
                                    f"{shapes[k]}", "a drift may change the concept, not the "
                                                    "feature set")


def _parse_evaluation(data: Any, n_samples: int) -> EvaluationSpec:
    check_object(data, "evaluation", (*EVALUATION_FIELDS, "labels"))
    values = {k: check_field(f, data.get(k, f.default), f"evaluation.{k}")
              for k, f in EVALUATION_FIELDS.items()
              if k in data or k not in OPTIONAL_EVALUATION_KEYS}
    if "labels" in data:  # like baselines: written back only when given
        values["labels"] = parse_label_supply(data["labels"], values["label_delay"])
    if values["warmup"] >= n_samples:
        raise ConfigError("evaluation.warmup", f"is {values['warmup']}, past the stream's end "
                                               f"({n_samples} samples)",
                          "make warm-up smaller than stream.n_samples so something is scored")
    rows = timeline_rows(n_samples, values["warmup"], values["step"])
    if rows > MAX_TIMELINE_ROWS:
        smallest = smallest_step(n_samples, values["warmup"])
        raise ConfigError("evaluation.step", f"is {values['step']:,}, which gives {rows:,} "
                                             f"timeline rows per contender, more than "
                                             f"{MAX_TIMELINE_ROWS:,}",
                          f"use a step of at least {smallest:,} for {n_samples:,} samples "
                          f"after a warm-up of {values['warmup']:,}")
    return EvaluationSpec(**values)


def timeline_rows(n_samples: int, warmup: int, step: int) -> int:
    """Rows of ``timeline.csv`` per contender: multiples of ``step`` after the warm-up, plus
    the stream's end (the count of :func:`lab.race.engine.recording_points`, without building it).

    >>> timeline_rows(1050, 500, 200), timeline_rows(1000, 500, 100)
    (4, 5)
    """
    multiples = max(0, n_samples // step - warmup // step)
    return multiples + (0 if multiples and n_samples % step == 0 else 1)


def smallest_step(n_samples: int, warmup: int) -> int:
    """The smallest ``step`` whose timeline has at most :data:`MAX_TIMELINE_ROWS` rows.

    >>> smallest_step(10_000_000, 1000)
    500
    """
    step = max(1, -(-(n_samples - warmup) // MAX_TIMELINE_ROWS))
    while timeline_rows(n_samples, warmup, step) > MAX_TIMELINE_ROWS:  # at most 2-3 rounds
        step += 1
    return step


def _parse_model(data: Any, path: str) -> ModelSpec:
    from lab.learners import MODELS

    if isinstance(data, dict):
        check_object(data, path, ("name", "params"), required=("name",))
        name, params = data["name"], data.get("params", {})
    else:
        name, params = data, {}
    if not isinstance(name, str) or name not in MODELS:
        raise ConfigError(path, f"unknown model {describe(name)}",
                          f"use one of: {', '.join(MODELS)}")
    info = MODELS[name]
    check_object(params, f"{path}.params", info.param_names)
    for key, value in params.items():
        if not is_scalar(value):
            raise ConfigError(f"{path}.params.{key}", f"must be a JSON scalar, got "
                                                      f"{describe(value)}",
                              "pass numbers, strings, booleans or null")
    from lab.learners import check_model_params

    return ModelSpec(name, check_model_params(name, params, f"{path}.params"))


def _parse_policy(data: Any, path: str, model: ModelSpec) -> PolicySpec:
    """A contender's ``policy``: the keys its kind declares (each checked against its
    :class:`~lab.spec.checks.Field`, defaults filled in), then the kind's checks that involve
    the model."""
    from lab.learners import MODELS
    from lab.policies.registry import POLICY_KINDS

    kinds = ", ".join(POLICY_KINDS)
    if not isinstance(data, dict) or "kind" not in data:
        raise ConfigError(f"{path}.kind" if isinstance(data, dict) else path,
                          "is required" if isinstance(data, dict) else
                          f"must be a JSON object, got {describe(data)}",
                          f"give a policy kind: {kinds}")
    kind = POLICY_KINDS.get(data["kind"]) if isinstance(data["kind"], str) else None
    if kind is None:
        raise ConfigError(f"{path}.kind", f"unknown policy {describe(data['kind'])}",
                          f"use one of: {kinds}")
    check_object(data, path, ("kind",) + tuple(kind.fields))
    settings = {key: check_field(f, data.get(key, f.default), f"{path}.{key}")
                for key, f in kind.fields.items()}
    info = MODELS[model.name]
    settings = kind.check(settings, info, path)
    if kind.incremental and not info.incremental:
        incremental = [m for m, i in MODELS.items() if i.incremental]
        batch = [k.name for k in POLICY_KINDS.values() if not k.incremental]
        # the problem in the menus' words; the fix lists the keys a config file must say
        raise ConfigError(f"{path}.kind", f"{kind.label}: '{kind.name}' needs a model that "
                                          f"learns incrementally, and "
                                          f"{model_display_name(model.name)} only learns in batch",
                          f"pick an incremental model ({', '.join(incremental)}) or a batch "
                          f"policy ({', '.join(batch)})")
    return PolicySpec(kind.name, settings)


def parse_experiment(data: Any) -> Experiment:
    """Validate a config (a dict, as read from JSON) and return the :class:`Experiment`.

    Raises :class:`ConfigError` with a one-line message for any user error; never anything else
    for JSON-like input.
    """
    check_object(data, "", ("seed", "stream", "evaluation", "contenders", "costs"),
                  required=("stream", "contenders"))
    seed = check_int(data.get("seed", 42), "seed", 0, 2**32 - 1,
                      "use a whole number between 0 and 4294967295")
    stream = _parse_stream(data["stream"])
    evaluation = _parse_evaluation(data.get("evaluation", {}), stream.n_samples)
    raw = data["contenders"]
    if not isinstance(raw, list) or not raw:
        raise ConfigError("contenders", f"must be a non-empty list, got {describe(raw)}",
                          "add at least one {\"name\", \"model\", \"policy\"}")
    if len(raw) > MAX_CONTENDERS:
        raise ConfigError("contenders", f"has {len(raw)} entries, more than {MAX_CONTENDERS}",
                          f"race at most {MAX_CONTENDERS} contenders at once")
    contenders, names = [], set()
    for k, item in enumerate(raw):
        path = f"contenders[{k}]"
        check_object(item, path, ("name", "model", "policy"), required=("model", "policy"))
        name = item.get("name", f"contender {k + 1}")
        if not isinstance(name, str) or not name.strip() or len(name) > MAX_NAME_CHARS:
            raise ConfigError(f"{path}.name", f"must be a non-empty text of at most "
                                              f"{MAX_NAME_CHARS} characters, got "
                                              f"{describe(name)}",
                              "give the contender a short name")
        if not name.isprintable():
            # Names reach terminals (an ESC sequence recolours them) and one-line messages.
            raise ConfigError(f"{path}.name", f"contains a control character (tab, line "
                                              f"break, escape...): {describe(name)}",
                              "use letters, digits, spaces and punctuation only")
        if name in names:
            raise ConfigError(f"{path}.name", f"'{name}' is used twice",
                              "give every contender its own name")
        names.add(name)
        model = _parse_model(item["model"], f"{path}.model")
        policy = _parse_policy(item["policy"], f"{path}.policy", model)
        contenders.append(ContenderSpec(name, model, policy))
    _check_label_strategy(evaluation, contenders)
    costs = None
    if "costs" in data:  # like evaluation.baselines: written back only when given
        costs = parse_costs(data["costs"], stream_classes(stream)
                            if _has_matrix(data["costs"]) else 0)
    return Experiment(seed, stream, evaluation, tuple(contenders), costs)


def _check_label_strategy(evaluation: EvaluationSpec, contenders: list[ContenderSpec]) -> None:
    """The uncertainty strategy asks each contender's own model, sample by sample, how sure it
    is (river's ``active.EntropySampler``), before its label would be learned: only the online
    policy with a river model predicts and learns sample by sample that way."""
    from lab.learners import MODELS

    supply = evaluation.labels
    if supply is None or supply.strategy != "uncertainty":
        return
    for k, c in enumerate(contenders):
        if c.policy.kind != "online" or MODELS[c.model.name].library != "river":
            raise ConfigError("evaluation.labels.strategy",
                              f"'uncertainty' asks an online river learner which labels to buy "
                              f"(river.active.EntropySampler), and contender {k + 1} "
                              f"('{c.name}') is {model_display_name(c.model.name)} with the "
                              f"{_policy_label(c.policy.kind)} policy",
                              "use strategy 'uniform' (at random), or give every contender a "
                              f"river model with the {_policy_label('online')} policy")


def _policy_label(kind: str) -> str:
    """A policy kind as the app's menu names it ("Periodic retrain" for ``periodic``)."""
    from lab.policies.registry import POLICY_KINDS

    found = POLICY_KINDS.get(kind)
    return found.label if found is not None and found.label else kind


def _has_matrix(costs: Any) -> bool:
    return isinstance(costs, dict) and costs.get("error_matrix") is not None


def stream_classes(spec: StreamSpec) -> int:
    """K, the number of class codes ``0 .. K - 1`` the stream's labels use (the size of
    ``costs.error_matrix``): a generator's ``n_classes`` (the most over its concepts), a data
    set's classes, the classes in a CSV file's first ``n_samples`` rows (a long file is read
    once here, and the stream reuses the read)."""
    kind, _, rest = spec.source.partition(":")
    if kind == "dataset":
        from lab.data.datasets import DATASETS

        return len(DATASETS[rest].class_names)
    if kind == "csv":
        from lab.data.csv.read import load_csv

        return len(load_csv(rest, spec.params, spec.n_samples).labels)
    from lab.data.generators import GENERATORS
    from lab.data.stream import concept_params

    info = GENERATORS[spec.source]
    return max(info.n_classes(params) for params in concept_params(spec)[0])


def loads_config(text: str, origin: str = "config") -> Experiment:
    """Parse JSON text; broken JSON becomes a :class:`ConfigError` with line and column."""
    return parse_experiment(parse_json_text(text, origin))


def load_config(path: str | Path) -> Experiment:
    """Read and validate a config file (see :func:`read_config_text`)."""
    return loads_config(read_config_text(path), origin=str(path))


def replace_contenders(exp: Experiment, contenders) -> Experiment:
    return replace(exp, contenders=tuple(contenders))


# --------------------------------------------------------------------------------------------
# JSON Schema
# --------------------------------------------------------------------------------------------
def _field_schema(f: Field) -> dict:
    kind: Any = {"int": "integer", "number": "number", "string": "string", "object": "object",
                 "boolean": "boolean", "null": "null",
                 "scalar": ["number", "string", "boolean", "null"]}[f.type]
    if f.nullable:
        kind = [kind, "null"]
    out: dict[str, Any] = {"type": kind, "description": f.doc, "default": f.default}
    if f.minimum is not None:
        out["exclusiveMinimum" if f.exclusive_minimum else "minimum"] = f.minimum
    if f.maximum is not None:
        out["maximum"] = f.maximum
    if f.enum:
        out["enum"] = list(f.enum)
    return out


def json_schema() -> dict:
    """The JSON Schema (draft 2020-12) of a config, built from the same tables as validation."""
    from lab.data.csv.read import CSV_PARAMS_SCHEMA
    from lab.data.datasets import DATASETS
    from lab.data.generators import GENERATORS
    from lab.learners import MODELS
    from lab.policies.registry import POLICY_KINDS

    policies = [{"type": "object", "description": kind.doc,
                 "properties": {"kind": {"const": kind.name},
                                **{key: _field_schema(f) for key, f in kind.fields.items()}},
                 "required": ["kind"], "additionalProperties": False}
                for kind in POLICY_KINDS.values()]
    from lab.learners import model_param_rules
    from lab.policies.detectors import DETECTOR_DOCS, DETECTOR_PARAM_RULES

    generator_params = {
        name: {"type": "object", "description": g.description,
               "properties": {k: _field_schema(f) for k, f in g.fields.items()},
               "additionalProperties": False}
        for name, g in GENERATORS.items()
    }
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "Driftlab experiment",
        "type": "object",
        "required": ["stream", "contenders"],
        "additionalProperties": False,
        "properties": {
            "seed": {"type": "integer", "minimum": 0, "maximum": 2**32 - 1, "default": 42,
                     "description": "seeds the stream's samples, the random parts of its "
                                    "concepts (with concept_seed) and every model's "
                                    "random_state / seed"},
            "stream": {
                "type": "object", "required": ["source"],
                "description": "where the samples come from and where the concept changes",
                "additionalProperties": False,
                # a generator needs n_samples; a data set or CSV file defaults to every row
                "if": {"properties": {"source": {"enum": list(GENERATORS)}}},
                "then": {"required": ["n_samples"]},
                "properties": {
                    "source": {"description": "a generator, dataset:<name> or csv:<path>",
                               "anyOf": [
                        {"enum": list(GENERATORS), "description": "a synthetic generator"},
                        {"enum": [f"dataset:{k}" for k in DATASETS],
                         "description": "a real data set, see $defs.datasets"},
                        {"type": "string", "pattern": "^csv:.+",
                         "description": "a CSV file (path relative to the current folder); "
                                        "params: see $defs.csv_params"}]},
                    "n_samples": {"type": "integer", "minimum": 1, "maximum": MAX_SAMPLES,
                                  "description": "samples in the stream; for dataset:/csv: "
                                                 "sources the first n rows, all when left out"},
                    "params": {"type": "object",
                               "description": "generator parameters (river's names; per "
                                              "source see $defs.generator_params), none for "
                                              "dataset:, $defs.csv_params for csv:"},
                    "label_noise": {"type": "number", "minimum": 0, "maximum": 0.5,
                                    "default": 0.0,
                                    "description": "share of samples whose label is replaced "
                                                   "by a random other class"},
                    "drifts": {"type": "array", "maxItems": MAX_DRIFTS, "default": [],
                               "description": "concept changes, in order and not overlapping; "
                                              "for dataset:/csv: sources, points marked as "
                                              "suspected drifts (the per-drift metrics are "
                                              "measured around them)",
                               "items": {
                        "type": "object", "required": ["at"], "additionalProperties": False,
                        "properties": {
                            "at": {"type": "integer", "minimum": 1,
                                   "description": "span: first sample of the change; moa: "
                                                  "MOA's position p, the centre"},
                            "width": {"type": "integer", "minimum": 0, "default": 0,
                                      "description": "span: samples from the start to the end "
                                                     "of the change (0: sudden); moa: MOA's "
                                                     "width w (at least 1)"},
                            "shape": {"enum": list(DRIFT_SHAPES), "default": "span",
                                      "description": "; ".join(
                                          f"{k}: {v}" for k, v in DRIFT_SHAPES.items())
                                      + ". span(at, width) = moa(at + (width + 1) / 2, "
                                        "width / 2) inside [at, at + width); a moa drift's "
                                        "band at - width - 1 to at + width - 1 must fit the "
                                        "stream and not overlap a neighbour's"},
                            "to": {"type": "object", "default": {},
                                   "description": "generator params of the new concept, "
                                                  "merged onto stream.params: the drift "
                                                  "changes exactly these (a concept drawn "
                                                  "at random changes only with concept_seed, "
                                                  "or rbf's seed_model); going back to "
                                                  "earlier params gives back the same "
                                                  "concept. Not allowed for dataset:/csv: "
                                                  "sources, where a drift entry marks a "
                                                  "suspected drift point"}}}},
                },
            },
            "evaluation": {"type": "object", "additionalProperties": False,
                           "description": f"timeline rows per contender (about (n_samples - "
                                          f"warmup) / step) are at most "
                                          f"{MAX_TIMELINE_ROWS:,}",
                           "properties": {**{k: _field_schema(f)
                                             for k, f in EVALUATION_FIELDS.items()},
                                          "labels": label_supply_schema()}},
            "contenders": {"type": "array", "minItems": 1, "maxItems": MAX_CONTENDERS,
                           "description": "the models raced on the same stream, each with its "
                                          "update policy",
                           "items": {
                "type": "object", "required": ["model", "policy"],
                "additionalProperties": False,
                "properties": {
                    "name": {"type": "string", "minLength": 1, "maxLength": MAX_NAME_CHARS,
                             "pattern": "^[^\\u0000-\\u001f\\u007f-\\u009f]*$",
                             "description": "printable text, no control characters"},
                    "model": {"description": "a model name ($defs.models) or {name, params}",
                              "oneOf": [
                        {"enum": list(MODELS)},
                        {"type": "object", "required": ["name"], "additionalProperties": False,
                         "properties": {"name": {"enum": list(MODELS),
                                                 "description": "the model ($defs.models)"},
                                        "params": {"type": "object", "default": {},
                                                   "description": "constructor parameters "
                                                                  "($defs.models.<name>.params"
                                                                  "); library defaults for "
                                                                  "the others"}}}]},
                    "policy": {"description": "when and on what the model learns; `kind` "
                                              "picks the policy, each takes its own keys",
                               "oneOf": policies},
                }}},
        },
        "$defs": {"generator_params": generator_params,
                  "datasets": {k: {"description": d.description, "n_samples": d.n_samples,
                                   "n_features": d.n_features, "classes": list(d.class_names),
                                   "drift": d.drift, "reference": d.reference}
                               for k, d in DATASETS.items()},
                  "csv_params": CSV_PARAMS_SCHEMA,
                  "models": {n: {"description": m.description, "reference": m.reference,
                                 "incremental": m.incremental,
                                 "params": {k: _field_schema(f)
                                            for k, f in model_param_rules(n).items()},
                                 "params_note": "limits checked by Driftlab; the library "
                                                "checks every other parameter"}
                             for n, m in MODELS.items()},
                  "detector_params": {d: {"type": "object", "description": DETECTOR_DOCS[d],
                                          "properties": {k: _field_schema(f)
                                                         for k, f in rules.items()},
                                          "additionalProperties": False}
                                      for d, rules in DETECTOR_PARAM_RULES.items()}},
    }
    schema["properties"]["costs"] = costs_schema()
    return schema


# Experiment.with_overrides re-checks its result with the parser (lab.spec cannot import this
# layer).
register_parser(parse_experiment)
