"""The triggered policy: a river drift detector fed with the deployed model's 0/1 errors; an
alarm (by default only one that signals a rise of the error rate) starts a retrain on the last
``window`` samples, optionally followed by a second one on post-alarm data only.
"""

from __future__ import annotations

import numpy as np

from lab.policies.base import BatchPolicy
from lab.policies.detectors import (
    DETECTORS,
    check_detector_params,
    detector_factory,
    detector_param_names,
)
from lab.policies.kind import RETRAIN_LATENCY, WINDOW, PolicyKind, Work, settings_of, with_default
from lab.spec.checks import Field, check_object

SETTINGS = settings_of(
    ("detector", Field("string", "adwin", "river drift detector fed with the deployed model's "
                       "0/1 error stream (each described in $defs.detector_params)",
                       enum=DETECTORS, label="Drift detector")),
    ("detector_params", Field("object", {}, "constructor parameters of the drift detector, per "
                              "detector in $defs.detector_params with their defaults (river's, "
                              "except Page-Hinkley's mode, see react_to); not seed (KSWIN uses "
                              "the experiment's) nor KSWIN's window",
                              label="Detector parameters")),
    ("react_to", Field("string", "degradation", "which detector alarms retrain: 'degradation' "
                       "(only when the error rate rose, as MOA's change-detector classifiers: "
                       "Page-Hinkley then runs with mode 'up' unless detector_params sets one, "
                       "ADWIN's and KSWIN's alarms are checked for direction) or 'any' (every "
                       "alarm, also when the error rate fell); an alarm not acted on is logged "
                       "as ignored",
                       enum=("degradation", "any"),
                       fix="use 'degradation' (default) or 'any'",
                       label="Retrain on alarms of")),
    # a retrain right after an alarm should see mostly post-drift data, so the window is
    # shorter than a scheduled retrain's
    with_default(WINDOW, 1000),
    ("min_gap", Field("int", 500, "fewest samples between two triggered retrains", minimum=0,
                      fix="use 0 or a positive number of samples",
                      label="Min. gap between retrains (samples)")),
    ("follow_up", Field("boolean", True, "retrain once more when `window` labels have arrived "
                        "after an alarm, on post-alarm data only",
                        label="Follow-up retrain after an alarm")),
    RETRAIN_LATENCY,
)


def _triggered_work(settings: dict, n: int, warmup: int, n_drifts: int) -> Work:
    # Alarms are unknowable in advance: assume two retrains (alarm + follow-up) per drift and
    # one false alarm, and a detector update on every scored sample.
    extra = 2 * n_drifts + 1
    return Work(fits=1 + extra, fit_rows=warmup + extra * settings["window"],
                largest_fit=max(warmup, min(settings["window"], n)), scored=n - warmup,
                detector=n - warmup)


def _check_detector_params(settings: dict, model, path: str) -> dict:
    check_object(settings["detector_params"], f"{path}.detector_params",
                 detector_param_names(settings["detector"]))
    params = check_detector_params(settings["detector"], settings["detector_params"],
                                   f"{path}.detector_params")
    return {**settings, "detector_params": params}


class TriggeredPolicy(BatchPolicy):
    """Retrain on the last ``window`` labelled samples when a drift detector fires.

    The detector (river's ADWIN, Page-Hinkley, KSWIN, DDM, EDDM, HDDM-A or HDDM-W) reads the
    deployed model's 0/1 error stream as labels arrive; a fresh detector starts with each
    deployed model. Alarms closer than ``min_gap`` to the last retrain, or while a retrain is
    pending, are logged but do not retrain.

    Why a follow-up retrain: a detector fires a few dozen to a few hundred samples after a
    drift, so the window at the alarm is mostly old-concept data. Measured on the ``sudden``
    preset, the alarm-time model alone stayed at 62 % accuracy (the new model's error is steady,
    so a fresh detector never fires again). With ``follow_up`` (default) the policy retrains once
    more when ``window`` labels have arrived since the alarm, on post-alarm data only -- what a
    practitioner does after an alert. Gama et al. (2004) DDM; Bifet & Gavaldà (2007) ADWIN.

    Direction (``react_to``). MOA's change-detector classifiers retrain only when the error rate
    *rises*; a model that gets better needs no retrain. With ``react_to: "degradation"`` (the
    default) the policy does the same; ``"any"`` retrains on every alarm. Per detector, as
    river 0.26 implements them:

    * ``ddm``, ``eddm``: one-sided by design (DDM tests ``p + s`` against its minimum, EDDM the
      shrinking distance between errors): they fire on a rising error only.
    * ``hddm_a``, ``hddm_w``: one-sided unless ``two_sided_test`` is set (river's default False).
    * ``page_hinkley``: river's default ``mode`` is ``"both"``; under ``"degradation"`` the
      policy builds it with ``mode="up"`` (Page's original one-sided test on the error) unless
      ``detector_params`` sets a mode.
    * ``adwin``, ``kswin``: always two-sided (ADWIN cuts its window when the two sub-windows'
      means differ; KSWIN runs a two-sample Kolmogorov-Smirnov test), so the policy checks the
      direction after each alarm: see :meth:`_error_rose`.

    An alarm for a fall in the error is still logged as a ``drift_alarm`` event, with the detail
    "ignored: the error rate fell ... (an improvement, not retrained)". Warning levels
    (DDM/EDDM/HDDM) are not used: the window retrained on is the last ``window`` labels, not
    the samples since the warning as in Gama et al. (2004).
    """

    KIND = PolicyKind(
        name="triggered", label="Drift-triggered retrain", position=30,
        doc="retrain on the most recent samples when a drift detector raises an alarm",
        fields=SETTINGS, work=_triggered_work,
        editor_fields=lambda settings: ("detector", "window", "min_gap"),
        check=_check_detector_params)

    def __init__(self, *args):
        super().__init__(*args)
        self.detector = self._new_detector()
        self.last_start = -(10**18)
        self.follow_up_at: int | None = None  # step of the scheduled follow-up retrain
        self._alarm_step: int | None = None  # step of the alarm a follow-up follows
        self._fed: list[int] = []  # errors fed since _memory_start (labels not in order only)
        self._schedule = None  # (steps, samples) of the labels' arrivals (labels not in order)
        self._next = 0  # the next arrival of _schedule to feed

    def _new_detector(self):
        """A fresh detector; its memory starts with the next label fed (``_memory_start``)."""
        cls = detector_factory(self.spec.detector)
        params = dict(self.spec.detector_params)
        if self.spec.detector == "kswin":
            params.setdefault("seed", self.seed)
        if self.spec.detector == "page_hinkley" and self.spec.react_to == "degradation":
            params.setdefault("mode", "up")
        self._memory_start: int | None = None  # first sample whose error the detector holds
        self._fed = []
        detector = cls(**params)
        self._check_direction = self.spec.react_to == "degradation" and (
            self.spec.detector in ("adwin", "kswin")
            or (self.spec.detector == "page_hinkley" and detector.mode != "up")
            or (self.spec.detector in ("hddm_a", "hddm_w") and detector.two_sided_test))
        return detector

    def _deploy(self, *args) -> None:
        super()._deploy(*args)
        self.detector = self._new_detector()

    def _error_rose(self, j: int) -> tuple[bool, float, float]:
        """Whether the alarm raised after feeding the error of sample ``j`` is a rise in the
        error rate: ``(rose, rate_before, rate_after)``, from the 0/1 errors fed to the
        detector since ``_memory_start``: the trace's ``correct`` array over
        ``[_memory_start, j]`` when every label arrives in order, else the errors as fed
        (``_fed``, the labelled outcomes in arrival order).

        * ADWIN keeps, after a cut, its newest sub-window (``width`` errors): "after" is that
          sub-window's error rate, "before" the rate of the errors it dropped.
        * KSWIN compares its newest ``stat_size`` errors with a sample of the ``window_size -
          stat_size`` before them: "after" and "before" are those two parts' rates.
        * A Page-Hinkley or HDDM the user made two-sided: the newest half of the errors the
          detector holds against the older half.

        Equal rates count as no rise (an alarm that cannot be told apart is not a degradation).
        """
        if self.labels.simple:
            start = self._memory_start if self._memory_start is not None else j
            errors = 1 - self.trace.correct[start:j + 1].astype(np.float64)
        else:
            errors = np.asarray(self._fed, dtype=np.float64)
        name, detector = self.spec.detector, self.detector
        held = len(errors)
        if name == "adwin":
            split = held - int(detector.width)
        elif name == "kswin":
            split = held - detector.stat_size
            errors = errors[max(0, held - detector.window_size):]
            split -= held - len(errors)
            held = len(errors)
        else:
            split = held // 2
        split = min(max(split, 0), held - 1)
        before = float(errors[:split].mean()) if split > 0 else 0.0
        after = float(errors[split:].mean())
        return after > before, before, after

    def _next_action_end(self, i: int, end: int) -> int:
        if self.follow_up_at is not None and i <= self.follow_up_at < end:
            return self.follow_up_at + 1
        return end

    def _retrain_now(self, r: int, why: str, after: int | None = None) -> None:
        self.last_start = r
        if self.labels.simple:
            stop = self._labelled_end(r)
            self._start_retrain(r, max(0, stop - self.spec.window), stop, why=why)
            return
        found = self._training_rows(r, "window", self.spec.window, after=after)
        if found is not None:
            start, stop, _, rows = found
            self._start_retrain(r, start, stop, why=why, rows=rows)

    def _alarm(self, r: int, j: int) -> bool:
        """React to the detector's alarm after the error of sample ``j`` arrived at step ``r``:
        log it, and retrain unless it is an improvement or blocked. True if it retrained."""
        rose, before, after = self._error_rose(j) if self._check_direction else (True, 0, 0)
        # every river detector resets itself on the update after an alarm
        self._memory_start = j + 1
        self._fed = []
        if not rose:
            self.events.append((r + 1, "drift_alarm", (
                f"{self.spec.detector} (ignored: the error rate fell from "
                f"{before:.1%} to {after:.1%}: an improvement, not retrained)")))
            return False
        blocked = bool(self.pending) or r - self.last_start < self.spec.min_gap
        self.events.append((r + 1, "drift_alarm", self.spec.detector +
                            (" (ignored: retrain pending or within min_gap)"
                             if blocked else "")))
        if blocked:
            return False
        self._retrain_now(r, f"{self.spec.detector} alarm: ")
        self.follow_up_at = r + self.spec.window if self.spec.follow_up else None
        self._alarm_step = r
        return True

    def _after_labels(self, lo: int, hi: int) -> int:
        if not self.labels.simple:
            return self._after_planned_labels(lo, hi)
        correct, detector = self.trace.correct, self.detector
        first = max(lo, self.deployed_at + self.delay, self.warmup + self.delay)
        for r in range(first, hi):
            j = r - self.delay
            if self._memory_start is None:
                self._memory_start = j
            detector.update(correct[j] == 0)
            if detector.drift_detected and self._alarm(r, j):
                return r + 1
        return self._follow_up(hi)

    def _follow_up(self, hi: int) -> int:
        if self.follow_up_at is not None and self.follow_up_at == hi - 1:
            self.follow_up_at = None
            self._retrain_now(hi - 1, "follow-up on post-alarm data: ", after=self._alarm_step)
        return hi

    def _after_planned_labels(self, lo: int, hi: int) -> int:
        """As :meth:`_after_labels`, with labels bought in part or arriving out of order: the
        detector reads the errors of the bought labels as they arrive (arrival step, then
        sample index), those of samples the deployed model predicted only."""
        if self._schedule is None:
            self._schedule = self.labels.schedule()
            self._next = 0
        steps, samples = self._schedule
        correct, detector = self.trace.correct, self.detector
        k, m = self._next, len(steps)
        while k < m and steps[k] < hi:
            r, j = int(steps[k]), int(samples[k])
            k += 1
            if j < self.deployed_at:
                continue
            if self._memory_start is None:
                self._memory_start = j
            error = correct[j] == 0
            self._fed.append(int(error))
            detector.update(error)
            if detector.drift_detected and self._alarm(r, j):
                self._next = k
                return r + 1
        self._next = k
        return self._follow_up(hi)
