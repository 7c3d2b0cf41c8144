"""What a policy kind says about itself: :class:`PolicyKind`, and the settings kinds share.

A policy kind is described once, next to the class that implements it (a ``KIND`` attribute
of a :class:`lab.policies.base.Policy` subclass): its settings with their defaults, ranges and
documentation, its label, whether it needs a learner that learns incrementally, the checks
that involve the model, and how much training and scoring it does (:class:`Work`).
:mod:`lab.policies.registry` collects the kinds from the modules of this package, and every
reader goes through it: the validator and ``python -m lab schema`` (:mod:`lab.validate`), the
sweep's cost estimate and the app's run limits (:mod:`lab.sweep.cost`, :mod:`lab.budget`),
the app's contender editor and the invariant tests. A new kind is one new module here (and
its tests); nothing else changes (``docs/architecture.md``, "Where to make a change").

>>> from lab.policies.registry import policy_kind
>>> kind = policy_kind("periodic")
>>> kind.label, list(kind.fields)[:2], kind.incremental
('Periodic retrain', ['every', 'data'], False)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from lab.spec.checks import Field


@dataclass(frozen=True)
class Work:
    """The work one race of a contender does, counted in samples, for the cost estimates
    (:mod:`lab.sweep.cost` prices each count with per-model costs measured once).

    ``fits`` from-scratch fits of ``fit_rows`` rows in all, the largest of ``largest_fit``;
    ``scored``: samples scored in chunks by a model constant between change points;
    ``online``: samples predicted then learned one by one; ``minibatch``: samples learned in
    mini-batches (predicted in chunks); ``detector``: updates of a drift detector.
    A kind whose work depends on what the data does (a detector's alarms) states its
    assumption in its ``work`` function.
    """

    fits: int = 0
    fit_rows: int = 0
    largest_fit: int = 0
    scored: int = 0
    online: int = 0
    minibatch: int = 0
    detector: int = 0


def retrain_rows(n: int, warmup: int, every: int, window: int | None) -> int:
    """Training rows of all scheduled retrains (at ``warmup + k * every``, before ``n``), each
    on all history or capped at ``window`` rows.

    >>> retrain_rows(10_000, 1000, 2000, None), retrain_rows(10_000, 1000, 2000, 2500)
    (24000, 10000)
    """
    starts = np.arange(warmup + every, n, every, dtype=np.float64)
    if window is not None:
        starts = np.minimum(starts, window)
    return int(starts.sum())


def scheduled_retrains(n: int, warmup: int, every: int) -> int:
    """How many scheduled retrains a stream of ``n`` samples sees: at ``warmup + k * every``.

    >>> scheduled_retrains(10_000, 1000, 2000)
    4
    """
    return len(range(warmup + every, n, every))


def _no_model_checks(settings: dict, model, path: str) -> dict:
    return settings


@dataclass(frozen=True)
class PolicyKind:
    """One policy kind's self-description (see the module docstring).

    Parameters
    ----------
    name
        The config's ``policy.kind``.
    label
        What people read (menus, legends of generated names).
    doc
        One plain sentence: what the policy does (the schema's description, the editor's
        caption).
    fields
        The settings, in the order a normalised config writes them, each with this kind's
        default (a setting several kinds share may have a different default per kind).
    position
        Place in menus and lists (smaller first).
    incremental
        True if the kind updates a model incrementally, so it needs a model that can.
    editor_fields
        The settings the app's editor shows next to the policy (the others go under "More"),
        given the current settings (a periodic retrain on a window shows the window).
    check
        Checks involving the model (``check(settings, model_info, path)`` returns the settings,
        maybe normalised, or raises :class:`~lab.spec.errors.ConfigError`).
    work
        ``work(settings, n, warmup, n_drifts)``: the :class:`Work` of one race.
    """

    name: str
    label: str
    doc: str
    fields: dict[str, Field]
    position: int
    work: Callable[[dict, int, int, int], Work]
    incremental: bool = False
    editor_fields: Callable[[dict], tuple[str, ...]] = field(default=lambda settings: ())
    check: Callable[[dict, object, str], dict] = _no_model_checks

    def defaults(self) -> dict:
        """Every setting's default, in order."""
        return {key: f.default for key, f in self.fields.items()}


def settings_of(*fields: tuple[str, Field]) -> dict[str, Field]:
    """A kind's ``fields`` from ``(name, Field)`` pairs, in order."""
    return dict(fields)


def with_default(name_field: tuple[str, Field], default) -> tuple[str, Field]:
    """A shared setting with another default for one kind (a triggered retrain's window)."""
    name, f = name_field
    return name, Field(**{**f.__dict__, "default": default})


# --------------------------------------------------------------------------------------------
# Settings several kinds share (name, Field); a kind may take one with another default
# --------------------------------------------------------------------------------------------
EVERY = ("every", Field("int", 2000, "samples between two scheduled retrains", minimum=1,
                        fix="use a positive number of samples, e.g. 2000",
                        label="Retrain every (samples)"))
DATA = ("data", Field("string", "window", "training data of a periodic retrain",
                      enum=("all", "window", "decay"),
                      fix="use 'all' (full history), 'window' (the last `window` samples) or "
                          "'decay' (all history, older samples weighing less)",
                      label="Training data"))
WINDOW = ("window", Field("int", 5000, "samples in the training window", minimum=1,
                          fix="use a positive number of samples, e.g. 5000",
                          label="Training window (samples)"))
HALF_LIFE = ("half_life", Field("number", 2000.0, "age (samples) at which a sample's weight "
                                "halves", minimum=0, exclusive_minimum=True,
                                fix="use a positive number of samples, e.g. 2000",
                                label="Half-life (samples)"))
RETRAIN_LATENCY = ("retrain_latency", Field("int", 0, "samples between the start of a retrain "
                                            "and the deployment of its model", minimum=0,
                                            fix="use 0 (instant) or a positive number of "
                                                "samples",
                                            label="Retrain latency (samples)"))
