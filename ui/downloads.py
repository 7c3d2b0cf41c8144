"""The Export tab's downloads: "Download all" (one zip), the run's HTML report, and each file.

Every file is the text ``python -m lab run`` writes for the same config (``docs/outputs.md``;
the same bytes but for measured CPU seconds): the zip holds ``config.json``, ``summary.json``,
``timeline.csv``, ``events.csv``, ``stream.csv`` and ``predictions.csv`` (for a race of up to
``ui.race.STREAM_ROWS_KEPT`` samples, the rows the app keeps) and ``report.html``
(:mod:`lab.race.report`: story, summary tables and every figure, plotly.js included once). The
zip and the report are built when their button is clicked (Streamlit runs a callable ``data``
then, off the page's script), not on every page run. The zip and the report are named after the
run (:func:`download_stem`), so that the downloads of two runs do not collide; inside the zip
the files keep the names ``python -m lab run`` gives them.
"""

from __future__ import annotations

import hashlib
import re

import streamlit as st

from lab.race.archive import ARCHIVE_FILE, PREDICTIONS_FILE, frame_csv, zip_archive
from lab.race.report import REPORT_FILE, report_html
from ui import tables

FILES_PER_ROW = 3  # download buttons a row: "predictions.csv" stays whole at 1024 px
MIME = {".json": "application/json", ".csv": "text/csv", ".html": "text/html",
        ".zip": "application/zip"}


def download_stem(config_json: str, config: dict, stopped_at: int | None = None) -> str:
    """The name, without extension, of a run's zip and report: "driftlab-run-<source>-seed<seed>-
    <8 hex digits of its config>", and "-stopped-at-<n>" for a race stopped after n samples.

    Every download was "driftlab-run.zip" and "report.html", so the second run's landed as
    "report (1).html" (session 11's walk-through). The same config (seed included) gives the same
    numbers (but measured CPU seconds), so the same name; any other config another name. The
    source keeps letters, digits, "-" and "_" (a CSV file's name without its folder and
    extension; ``config_json`` is hashed whole, its path included, which the name never shows).

    >>> cfg = {"seed": 5, "stream": {"source": "sea"}}
    >>> download_stem('{"seed": 5}', cfg)
    'driftlab-run-sea-seed5-f282ceca'
    >>> download_stem('{"seed": 5}', {"seed": 5, "stream": {"source": "csv:/tmp/My data.csv"}}, 900)
    'driftlab-run-My-data-seed5-f282ceca-stopped-at-900'
    """
    source = str((config.get("stream") or {}).get("source", "run"))
    source = source.split(":", 1)[-1].replace("\\", "/").rsplit("/", 1)[-1]
    source = re.sub(r"\.(csv|gz|zip)$", "", source, flags=re.IGNORECASE)
    source = re.sub(r"[^A-Za-z0-9_-]+", "-", source).strip("-")[:40] or "run"
    digest = hashlib.sha256(config_json.encode("utf-8")).hexdigest()[:8]
    stem = f"driftlab-run-{source}-seed{config.get('seed', 0)}-{digest}"
    return stem if stopped_at is None else f"{stem}-stopped-at-{stopped_at}"


def download_names(out: dict) -> tuple[str, str]:
    """``(zip name, report name)`` of the run in ``out`` (:func:`download_stem`)."""
    stem = download_stem(out["config_json"], out["config"],
                         out["n_done"] if out.get("cancelled") else None)
    return f"{stem}.zip", f"{stem}-report.html"


def _mime(name: str) -> str:
    return MIME[name[name.rindex("."):]]


def report_text(out: dict) -> str:
    """``report.html`` of the run in ``out`` (``ui.race.package``), from the same tables the
    tabs draw."""
    return report_html(out.get("public_summary", out["summary"]), out["timeline"], out["events"],
                       out["stream"], noise=tables.run_noise(out))


def data_files(out: dict) -> dict:
    """``{name: text or callable giving it}`` of the run's data files, in the order of
    ``docs/outputs.md``: the four files of every run, then ``stream.csv`` and
    ``predictions.csv`` when the app kept every row of them."""
    files: dict = dict(out["files"])
    if out["complete_stream"]:
        frame = out["stream"]
        files["stream.csv"] = lambda: frame_csv(frame)
    if out.get("predictions") is not None:
        predictions = out["predictions"]
        files[PREDICTIONS_FILE] = lambda: frame_csv(predictions)
    return files


def archive_files(out: dict) -> dict[str, str]:
    """Everything "Download all" zips: the data files and ``report.html``."""
    files = {name: content() if callable(content) else content
             for name, content in data_files(out).items()}
    files[REPORT_FILE] = report_text(out)
    return files


def archive_bytes(out: dict) -> bytes:
    return zip_archive(archive_files(out))


def show(out: dict) -> None:
    """The download part of the Export tab for the run in ``out``."""
    st.markdown("**Download this run**: the same files as `python -m lab run`.")
    zip_name, report_name = download_names(out)
    everything, report = st.columns(2)
    everything.download_button(
        "Download all (zip)", data=lambda: archive_bytes(out), file_name=zip_name,
        mime=_mime(ARCHIVE_FILE), key="dl_all", on_click="ignore", type="primary",
        icon=":material/folder_zip:", width="stretch",
        help="config, summary, timeline, events, the stream, every contender's per-sample "
             "predictions and the HTML report, in one zip")
    report.download_button(
        "Report (HTML)", data=lambda: report_text(out), file_name=report_name,
        mime=_mime(REPORT_FILE), key="dl_report", on_click="ignore",
        icon=":material/description:", width="stretch",
        help="the story, the summary tables and every chart in one page that works offline "
             "(about 5 MB: the charting library is inside, once)")
    files = list(data_files(out).items())
    # three a row: six in one row cut every name to "confi..." at 1024 px
    for row in range(0, len(files), FILES_PER_ROW):
        for col, (name, content) in zip(st.columns(FILES_PER_ROW), files[row:row + FILES_PER_ROW]):
            col.download_button(name, data=content, file_name=name, mime=_mime(name),
                                key=f"dl_{name}", on_click="ignore", icon=":material/download:",
                                width="stretch")
    if not out["complete_stream"]:
        st.caption(f"This race has {out['n_done']:,} samples: the stream and the per-sample "
                   "predictions are too long to keep in the app, so they are left out. "
                   "`python -m lab run --dump-stream --predictions` writes them.")
