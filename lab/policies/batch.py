"""The policies whose model changes only at scheduled points: frozen (trained once on the
warm-up) and periodic (retrained from scratch every ``every`` samples on all, a window of, or
decayed history).
"""

from __future__ import annotations

from lab.policies.base import BatchPolicy
from lab.policies.kind import (
    DATA,
    EVERY,
    HALF_LIFE,
    RETRAIN_LATENCY,
    WINDOW,
    PolicyKind,
    Work,
    retrain_rows,
    scheduled_retrains,
    settings_of,
)
from lab.spec.errors import ConfigError
from lab.spec.labels import model_display_name


def _frozen_work(settings: dict, n: int, warmup: int, n_drifts: int) -> Work:
    return Work(fits=1, fit_rows=warmup, largest_fit=warmup, scored=n - warmup)


class FrozenPolicy(BatchPolicy):
    """Train once on the warm-up samples and never again: the baseline every drift hurts."""

    KIND = PolicyKind(
        name="frozen", label="Frozen (train once)", position=10,
        doc="train once on the warm-up samples, never update",
        fields=settings_of(RETRAIN_LATENCY), work=_frozen_work)


def _periodic_work(settings: dict, n: int, warmup: int, n_drifts: int) -> Work:
    every, windowed = settings["every"], settings["data"] == "window"
    retrains = scheduled_retrains(n, warmup, every)
    largest = warmup
    if retrains:
        largest = max(largest, min(settings["window"], n) if windowed else n)
    return Work(fits=1 + retrains,
                fit_rows=warmup + retrain_rows(n, warmup, every,
                                               settings["window"] if windowed else None),
                largest_fit=largest, scored=n - warmup)


def _periodic_editor_fields(settings: dict) -> tuple[str, ...]:
    extra = {"window": ("window",), "decay": ("half_life",)}.get(settings.get("data"), ())
    return ("every", "data") + extra


def _periodic_model_checks(settings: dict, model, path: str) -> dict:
    if settings["data"] == "decay" and not model.sample_weight:
        raise ConfigError(f"{path}.data", f"'decay' needs sample weights and "
                                          f"{model_display_name(model.name)} takes none",
                          "use data 'window' or 'all', or another model")
    return settings


class PeriodicPolicy(BatchPolicy):
    """Retrain from scratch every ``every`` scored samples, whatever the data does.

    ``data``: ``all`` (full history), ``window`` (the last ``window`` labelled samples, Widmer &
    Kubat 1996) or ``decay`` (full history with weight ``0.5 ** (age / half_life)``, Klinkenberg
    2004; rows older than 30 half-lives, weight < 1e-9, are dropped to bound the cost).
    """

    KIND = PolicyKind(
        name="periodic", label="Periodic retrain", position=20,
        doc="retrain from scratch at a fixed interval on all history, the most recent samples "
            "or all history with older samples weighing less",
        fields=settings_of(EVERY, DATA, WINDOW, HALF_LIFE, RETRAIN_LATENCY),
        work=_periodic_work, editor_fields=_periodic_editor_fields,
        check=_periodic_model_checks)

    def _is_retrain_step(self, r: int) -> bool:
        return (r + 1 - self.warmup) % self.spec.every == 0

    def _next_action_end(self, i: int, end: int) -> int:
        every = self.spec.every
        offset = (i + 1 - self.warmup) % every
        r = i + (every - offset) % every  # first retrain step >= i
        return min(end, r + 1)

    def _after_labels(self, lo: int, hi: int) -> int:
        r = hi - 1
        if self._is_retrain_step(r):
            spec = self.spec
            found = self._training_rows(r, spec.data, spec.window, spec.half_life)
            if found is not None:
                start, stop, weights, rows = found
                self._start_retrain(r, start, stop, weights, why="scheduled: ", rows=rows)
        return hi
