"""The output files of a run (``DESIGN.md``, "Output files"), as text and on disk.

The CLI writes these files and the app's download buttons serve the very same strings, so a
download and ``python -m lab run`` agree byte for byte (but for measured CPU seconds).
"""

from __future__ import annotations

import json
from pathlib import Path

from lab.engine import RaceResult
from lab.metrics import events_frame, summarise, timeline_frame


def summary_json(result: RaceResult, summary: dict | None = None) -> str:
    return json.dumps(summary or summarise(result), indent=2) + "\n"


def timeline_csv(result: RaceResult) -> str:
    return timeline_frame(result).to_csv(index=False, lineterminator="\n")


def events_csv(result: RaceResult) -> str:
    return events_frame(result).to_csv(index=False, lineterminator="\n")


def stream_csv(result: RaceResult) -> str:
    return result.stream.to_frame().to_csv(index=False, lineterminator="\n")


def config_json(result: RaceResult) -> str:
    return result.experiment.to_json() + "\n"


def write_outputs(result: RaceResult, out_dir: str | Path, dump_stream: bool = False) -> dict:
    """Write summary.json, timeline.csv, events.csv, config.json (and stream.csv); return the
    summary."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    summary = summarise(result)
    files = {"summary.json": summary_json(result, summary), "timeline.csv": timeline_csv(result),
             "events.csv": events_csv(result), "config.json": config_json(result)}
    if dump_stream:
        files["stream.csv"] = stream_csv(result)
    for name, text in files.items():
        (out / name).write_text(text, encoding="utf-8")
    return summary
