"""Outputs of every shipped preset, recorded so that a restructuring can prove it changed nothing.

``python tests/recorded_outputs.py`` (with the project importable) (re)records them into
``tests/data/recorded/``; do that only
when a change of meaning is intended, and say so in the commit. :func:`preset_outputs` is what
``tests/test_recorded_outputs.py`` compares against the files. CPU seconds and library versions
are left out: they differ between machines. Everything else is byte-identical on one machine
(``test_engine.py::test_same_config_same_bytes_except_cpu_seconds`` holds that) and, across
machines, equal up to the last bits of a float (:func:`same_outputs`): numpy's SIMD maths and BLAS
differ by CPU — the decayed weights ``0.5 ** (age / half_life)`` and their weighted mean of
indices came out 1 ulp apart (data age 1673.2285883499608 on an AVX-512 EPYC, ...603 where it
was recorded; session 11).
"""

from __future__ import annotations

import io
import json
import math
import re
from pathlib import Path

import pandas as pd

RECORDED = Path(__file__).resolve().parent / "data" / "recorded"
MACHINE_DEPENDENT = ("train_cpu_s", "versions")


def _drop_machine_keys(value):
    if isinstance(value, dict):
        return {k: _drop_machine_keys(v) for k, v in value.items()
                if not any(k.startswith(m) for m in MACHINE_DEPENDENT)}
    if isinstance(value, list):
        return [_drop_machine_keys(v) for v in value]
    return value


def _without_cpu_columns(csv_text: str) -> str:
    frame = pd.read_csv(io.StringIO(csv_text), dtype=str, keep_default_na=False)
    keep = [c for c in frame.columns if not c.startswith(MACHINE_DEPENDENT)]
    return frame[keep].to_csv(index=False, lineterminator="\n")


# A number in a CSV or JSON text (an integer, a decimal or an exponent form).
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?")
# How close two floats must be across machines: 12 significant digits, far above the 1e-16
# relative of a last-bit difference and far below any figure the lab shows (4 digits).
REL_TOLERANCE = 1e-12


def same_outputs(text: str, recorded: str) -> bool:
    """Whether ``text`` is ``recorded`` but for floats that differ in their last bits: the texts
    outside numbers must be identical, integers identical, and floats equal to 12 digits.

    >>> same_outputs("a,1673.2285883499608,3", "a,1673.2285883499603,3")
    True
    >>> same_outputs("a,1673.23,3", "a,1673.22,3"), same_outputs("a,1,3", "b,1,3")
    (False, False)
    """
    if text == recorded:
        return True
    if _NUMBER.split(text) != _NUMBER.split(recorded):
        return False
    for new, old in zip(_NUMBER.findall(text), _NUMBER.findall(recorded)):
        if new == old:
            continue
        if not ("." in new or "e" in new.lower()) or not ("." in old or "e" in old.lower()):
            return False  # an integer (a count, a sample index) must be the same
        if not math.isclose(float(new), float(old), rel_tol=REL_TOLERANCE, abs_tol=0.0):
            return False
    return True


def preset_outputs(name: str) -> dict[str, str]:
    """``{file name: text}`` of one preset, machine-dependent parts removed."""
    from lab.lessons.runner import run_lesson
    from lab.presets import PRESETS, load_preset
    from lab.race.engine import run_race
    from lab.race.outputs import output_texts

    preset = PRESETS[name]
    if preset.kind == "race":
        _, files = output_texts(run_race(load_preset(name)))
        files["summary.json"] = json.dumps(_drop_machine_keys(json.loads(files["summary.json"])),
                                           indent=2) + "\n"
        for csv_name in ("timeline.csv", "events.csv"):
            files[csv_name] = _without_cpu_columns(files[csv_name])
        return files
    run = run_lesson(name)
    return {"summary.json": json.dumps(_drop_machine_keys(run.summary), indent=2,
                                       default=str) + "\n"}


def record() -> None:
    from lab.presets import PRESETS

    for name in PRESETS:
        folder = RECORDED / name
        folder.mkdir(parents=True, exist_ok=True)
        for file_name, text in preset_outputs(name).items():
            (folder / file_name).write_text(text, encoding="utf-8")
        print(f"recorded {name}")


if __name__ == "__main__":
    record()
