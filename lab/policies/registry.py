"""The policy kinds, collected from the modules of this package, and :func:`make_policy`, the
engine's only entry into it.

Every concrete :class:`~lab.policies.base.Policy` subclass that carries its own ``KIND`` (a
:class:`~lab.policies.kind.PolicyKind`) is a kind. They are found by importing each module of
:mod:`lab.policies` once, so that a new kind is one new module: nothing here, in the
validator, the schema, the cost estimates or the app lists the kinds by hand.

>>> list(POLICY_KINDS)
['frozen', 'periodic', 'triggered', 'online', 'minibatch', 'hybrid', 'oracle']
>>> policy_spec("minibatch", size=50)
PolicySpec(kind='minibatch', settings={'size': 50, 'retrain_latency': 0})
"""

from __future__ import annotations

import importlib
import pkgutil
from typing import Any

import lab.policies
from lab.learners import Learner
from lab.policies.base import Policy, Trace
from lab.policies.kind import PolicyKind
from lab.spec.checks import Field
from lab.spec.experiment import EvaluationSpec, PolicySpec
from lab.spec.labels import register_setting_label


def _discover() -> dict[str, type[Policy]]:
    """Every policy class with its own ``KIND`` in this package's modules, by kind name, in
    the kinds' ``position`` order. Two classes claiming one name is a programming error."""
    found: dict[str, type[Policy]] = {}
    for module_info in pkgutil.iter_modules(lab.policies.__path__):
        if module_info.name == "registry":
            continue
        module = importlib.import_module(f"lab.policies.{module_info.name}")
        for value in vars(module).values():
            if (isinstance(value, type) and issubclass(value, Policy)
                    and "KIND" in value.__dict__ and value.__module__ == module.__name__):
                name = value.KIND.name
                if name in found and found[name] is not value:
                    raise RuntimeError(f"two policy classes declare kind {name!r}: "
                                       f"{found[name].__qualname__} and {value.__qualname__}")
                found[name] = value
    return dict(sorted(found.items(), key=lambda item: (item[1].KIND.position, item[0])))


POLICIES: dict[str, type[Policy]] = _discover()
"""Policy class by kind name, in menu order."""

POLICY_KINDS: dict[str, PolicyKind] = {name: cls.KIND for name, cls in POLICIES.items()}
"""Every kind's self-description by name, in menu order."""


def policy_kind(name: str) -> PolicyKind:
    """The description of kind ``name`` (a KeyError names the known kinds)."""
    try:
        return POLICY_KINDS[name]
    except KeyError:
        raise KeyError(f"unknown policy kind {name!r}; known: {', '.join(POLICY_KINDS)}") from None


def policy_spec(kind: str, **settings: Any) -> PolicySpec:
    """A :class:`PolicySpec` of ``kind`` with its defaults filled in and ``settings`` over them
    (not validated: configs from users go through :func:`lab.validate.parse_experiment`)."""
    declared = policy_kind(kind).fields
    unknown = set(settings) - set(declared)
    if unknown:
        raise TypeError(f"policy kind {kind!r} has no setting(s) {sorted(unknown)}")
    return PolicySpec(kind, {**policy_kind(kind).defaults(), **settings})


def setting_fields() -> dict[str, Field]:
    """Every setting any kind declares, by name (the first kind's field where several share a
    name; they agree on everything but the default, which a test checks). The app keeps one
    widget per setting, whatever the kind, so that switching kinds keeps what was typed."""
    fields: dict[str, Field] = {}
    for kind in POLICY_KINDS.values():
        for key, f in kind.fields.items():
            fields.setdefault(key, f)
    return fields


def kind_defaults(kind: str) -> dict[str, Any]:
    """Every setting's default for ``kind``, also those ``kind`` does not use (their first
    declaring kind's default): what the app's widgets start from."""
    own = policy_kind(kind).defaults()
    return {key: own.get(key, f.default) for key, f in setting_fields().items()}


def _label_settings() -> None:
    """Give every setting a plain label in :mod:`lab.spec.labels` (What-if axes, change
    notices) from its field, where that module has no wording of its own."""
    for key, f in setting_fields().items():
        register_setting_label(key, f.label)


_label_settings()


def make_policy(spec: PolicySpec, learner: Learner, stream, evaluation: EvaluationSpec,
                seed: int, trace: Trace | None = None) -> Policy:
    """The policy ``spec`` names, writing its per-sample results into ``trace`` (the engine's;
    a fresh one of its own when None)."""
    return POLICIES[spec.kind](spec, learner, stream, evaluation, seed, trace)
