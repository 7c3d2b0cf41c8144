"""Outputs of every shipped preset, recorded so that a restructuring can prove it changed nothing.

``python tests/recorded_outputs.py`` (with the project importable) (re)records them into
``tests/data/recorded/``; do that only
when a change of meaning is intended, and say so in the commit. :func:`preset_outputs` is what
``tests/test_recorded_outputs.py`` compares against the files. CPU seconds and library versions
are left out: they differ between machines, everything else must be byte-identical.
"""

from __future__ import annotations

import io
import json
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
