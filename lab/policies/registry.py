"""The policy kinds by name, and :func:`make_policy`, which builds the one a contender's spec
names (the engine's only entry into this package).
"""

from __future__ import annotations

from lab.learners import Learner
from lab.policies.base import Policy, Trace
from lab.policies.batch import FrozenPolicy, PeriodicPolicy
from lab.policies.incremental import HybridPolicy, MinibatchPolicy, OnlinePolicy
from lab.policies.triggered import TriggeredPolicy
from lab.spec.experiment import EvaluationSpec, PolicySpec

POLICIES = {
    "frozen": FrozenPolicy,
    "periodic": PeriodicPolicy,
    "triggered": TriggeredPolicy,
    "online": OnlinePolicy,
    "minibatch": MinibatchPolicy,
    "hybrid": HybridPolicy,
}


def make_policy(spec: PolicySpec, learner: Learner, stream, evaluation: EvaluationSpec,
                seed: int, trace: Trace | None = None) -> Policy:
    """The policy ``spec`` names, writing its per-sample results into ``trace`` (the engine's;
    a fresh one of its own when None)."""
    return POLICIES[spec.kind](spec, learner, stream, evaluation, seed, trace)
