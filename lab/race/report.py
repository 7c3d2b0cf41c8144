"""One self-contained HTML report of a run: its story, its summary tables and every race figure
(the Net cost tab's included).

Built from the run's files alone (``summary.json`` as a dict, ``timeline.csv`` and
``events.csv`` as frames, ``stream.csv`` as a frame when there is one), so the app's "Report"
download and ``python -m lab run --report`` give the same page for the same run, and a report can
be rebuilt from a run folder without racing again.

plotly.js is inlined exactly once, in the first figure's ``<div>``; every later figure is a
``<div>`` with its data and a call to the same library (plotly's ``to_html(full_html=False,
include_plotlyjs=...)``). The page then works offline and weighs about one plotly.js (about
4.8 MB) plus the figures' data, where one HTML page per chart weighed that much each. Div ids
are fixed, so the same run gives the same bytes (but for measured CPU seconds).

Everything a user or a link controls (contender names, feature names, error texts) is escaped:
HTML-escaped in the page's own text, entity-escaped by :func:`lab.plots.plain` inside figures,
and plotly writes the figures' JSON with ``<`` as ``\\u003c``.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Mapping
from typing import Any

import pandas as pd
import plotly.graph_objects as go

import lab.data.datasets  # noqa: F401 - names the data sets in the header (source_label)
from lab import plots
from lab.plots.costs import cumulative_cost_figure, ledger_figure
from lab.race.drift_metrics import unchanged_drifts
from lab.race.drift_points import format_points_lost, points_lost, stretch_lengths
from lab.race.story import race_story
from lab.spec.labels import format_kappa, reference_name, source_label
from lab.spec.numbers import percent_digits, plural

REPORT_FILE = "report.html"
# the figure's own toolbar: no plotly logo, sharper PNG export
FIGURE_CONFIG = {"displaylogo": False, "responsive": True, "toImageButtonOptions": {"scale": 2}}
_TAG = re.compile(r"<[^>]*>")
_STAR = "\ue000"  # stands for a "*" in a contender's name while the story's Markdown is read

PAGE_STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0 auto;
       max-width: 1100px; padding: 1.5rem; color: #1f2430; line-height: 1.45; }
h1 { font-size: 1.6rem; margin-bottom: 0.2rem; }
h2 { font-size: 1.2rem; margin-top: 2rem; border-bottom: 1px solid #dde1e6; }
.meta { color: #5b6270; font-size: 0.9rem; }
.story { background: #f5f7fa; border: 1px solid #dde1e6; border-radius: 6px;
         padding: 0.6rem 1rem; }
table { border-collapse: collapse; font-size: 0.85rem; margin: 0.5rem 0 1rem; }
th, td { border-bottom: 1px solid #e3e6ea; padding: 0.25rem 0.6rem; text-align: right; }
th:first-child, td:first-child { text-align: left; }
table.drifts th:nth-child(2), table.drifts td:nth-child(2) { text-align: left; }
th { background: #f0f2f5; }
.figure { margin: 1rem 0 2rem; }
"""


# --------------------------------------------------------------------------------------------
# Numbers as the story writes them
# --------------------------------------------------------------------------------------------
def _percent(x: Any) -> str:
    """A share as the story and the app's tables write it (``lab.spec.numbers.percent_digits``:
    "89.4 %"); "–" where undefined."""
    return "–" if x is None else f"{percent_digits(x)} %"


def _points(x: Any) -> str:
    return "–" if x is None else f"{percent_digits(x)} pts"


def _score(x: Any) -> str:
    """A kappa as the app's tables write it: three decimals, never "-0.000"."""
    return format_kappa(x)


def _count(x: Any) -> str:
    return "–" if x is None else f"{x:,.0f}"


def samples_seen(summary: Mapping[str, Any]) -> int | None:
    """The samples the race went through, warm-up included (the whole stream for a finished
    race, the part before the stop otherwise): what ``train_samples`` is compared with. None
    when nothing was scored."""
    scored = summary.get("n_scored")
    if not scored:
        return None
    return int((summary.get("config") or {}).get("evaluation", {}).get("warmup", 0)) + int(scored)


def times_stream(train_samples: float, seen: int) -> str:
    """``train_samples / seen`` as "1.5× stream": two significant digits ("0.05×", "1×",
    "1.5×"), whole from 10 on ("13×"). Retrains learn the same samples again, so the samples
    trained on can exceed the stream (periodic retraining on 20,000: 30,000, 1.5×).

    >>> times_stream(30000, 20000), times_stream(1000, 20000), times_stream(20000, 20000)
    ('1.5× stream', '0.05× stream', '1× stream')
    >>> times_stream(260000, 20000), times_stream(0, 20000)
    ('13× stream', '0× stream')
    """
    ratio = train_samples / seen
    return f"{f'{ratio:,.0f}' if ratio >= 10 else f'{ratio:.2g}'}× stream"


def trained_samples_text(train_samples: Any, seen: int | None) -> str:
    """"30,000 (1.5× stream)": the samples trained on and how many times the stream that is
    (:func:`times_stream`); the count alone without ``seen``, "–" when unknown."""
    if train_samples is None or pd.isna(train_samples):
        return "–"
    count = f"{train_samples:,.0f}"
    return f"{count} ({times_stream(train_samples, seen)})" if seen else count


def recovery_text(samples: float) -> str:
    """A recovery as the app's Summary and this report write it: samples, with the unit (a
    walk-through read a bare "400" next to "30.0 pts" and asked "samples?"), "not back" for
    +inf (the app's "never came back").

    >>> recovery_text(1234.0), recovery_text(1), recovery_text(0), recovery_text(float("inf"))
    ('1,234 samples', '1 sample', '0 samples', 'not back')
    """
    if samples == float("inf"):
        return "not back"
    return plural(int(round(samples)), "sample")


def _recovery(x: Any, measured: bool) -> str:
    """Samples until back (:func:`recovery_text`): "not back" when the drift was measured and
    the contender never came back, "–" when there was nothing to measure."""
    if x is None:
        return "not back" if measured else "–"
    return recovery_text(x)


# --------------------------------------------------------------------------------------------
# Parts of the page
# --------------------------------------------------------------------------------------------
def story_html(summary: Mapping[str, Any], noise=None) -> str:
    """The race's story (:func:`lab.race.story.race_story`, its ties measured with ``noise``,
    a :class:`lab.race.ties.GapNoise`, when given) as an HTML list: the names are escaped, the
    story's Markdown bold and italics become ``<strong>`` and ``<em>``."""
    shielded = {**summary, "contenders": [
        {**c, "name": str(c.get("name", "")).replace("*", _STAR)}
        for c in summary.get("contenders", [])]}
    items = []
    for line in race_story(shielded, noise=noise):
        text = html.escape(line, quote=False)
        text = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", text)
        text = re.sub(r"\*(.+?)\*", r"<em>\1</em>", text)
        items.append(f"<li>{text.replace(_STAR, '*')}</li>")
    return f'<ul class="story">{"".join(items)}</ul>'


def overall_frame(summary: Mapping[str, Any]) -> pd.DataFrame:
    """One row per contender (baselines marked once): the scores over the whole stream and the
    training it took, formatted as text in the app's Summary table's formats (shares as
    percent, kappas with three decimals)."""
    rows = []
    seen = samples_seen(summary)
    for c in summary.get("contenders", []):
        name = reference_name(c.get("name", ""), bool(c.get("baseline")))
        rows.append({
            "Contender": name,
            "Status": c.get("status", ""),
            "Accuracy": _percent(c.get("accuracy")),
            "Kappa": _score(c.get("kappa")),
            "Balanced acc.": _percent(c.get("balanced_accuracy")),
            "Macro F1": _percent(c.get("macro_f1")),
            "Retrains": _count(c.get("retrains")),
            "Trained samples": trained_samples_text(c.get("train_samples"), seen),
            "Mean model age": _count(c.get("mean_staleness")),
            "Mean data age": _count(c.get("data_age_mean")),
        })
    return pd.DataFrame(rows)


def drift_frame(summary: Mapping[str, Any]) -> pd.DataFrame:
    """One row per drift and contender: the drift metrics (``docs/metrics.md``) in the units
    and formats of the app's "Around each drift" table: shares in percent, the drop and the
    accuracy lost in percentage points (``area_lost`` per sample of its stretch,
    :mod:`lab.race.drift_points`), the recovery in samples (:func:`recovery_text`)."""
    rows = []
    lengths = stretch_lengths(summary)
    for k, drift in enumerate(summary.get("drifts", [])):
        for c in summary.get("contenders", []):
            if c.get("baseline"):
                continue

            def at(key: str, c=c, k=k):
                values = c.get(key) or []
                return values[k] if k < len(values) else None

            measured = c.get("status") == "ok" and at("pre_drift_accuracy") is not None
            length = lengths[k] if k < len(lengths) else 0
            rows.append({
                "Drift": f"{k + 1} (at {drift.get('at', 0):,})",
                "Contender": str(c.get("name", "")),
                "Pre-drift level": _percent(at("pre_drift_accuracy")),
                "Max drop": _points(at("max_drop")),
                "Recovery": _recovery(at("recovery"), measured),
                "Accuracy lost": format_points_lost(points_lost(at("area_lost"), length)),
            })
    return pd.DataFrame(rows)


def _table_html(frame: pd.DataFrame, css_class: str | None = None) -> str:
    return frame.to_html(index=False, escape=True, border=0, na_rep="–", classes=css_class)


def report_figures(summary: Mapping[str, Any], timeline: pd.DataFrame, events: pd.DataFrame,
                   stream: pd.DataFrame | None = None) -> list[go.Figure]:
    """Every race figure of the run, in the app's tab order, drawn by :mod:`lab.plots` as the
    app draws them: the baselines (if raced) on the accuracy chart only, the data charts when
    ``stream`` (``stream.csv`` as a frame) is given, and last the Net cost tab's two charts
    (cumulative cost and the bill by part, at the config's prices; without prices the bill is
    the error count, as the tab shows it)."""
    drifts = summary.get("drifts", [])
    window = summary.get("config", {}).get("evaluation", {}).get("window")
    baselines = [c["name"] for c in summary.get("contenders", []) if c.get("baseline")]
    shown = {**summary, "contenders": [c for c in summary.get("contenders", [])
                                       if not c.get("baseline")]}
    timeline_shown = timeline[~timeline["contender"].isin(baselines)]
    oracles = plots.oracle_names(summary)  # a black reference line, as in the app
    colors = plots.contender_colors(c["name"] for c in shown["contenders"]
                                    if c["name"] not in oracles)
    figures = [
        plots.accuracy_figure(timeline, events, drifts, window=window, colors=colors,
                              baselines=baselines, oracles=oracles),
        plots.staleness_figure(timeline_shown, events, drifts, colors=colors, oracles=oracles),
        plots.cost_figure(timeline_shown, drifts, colors=colors, oracles=oracles),
        plots.retrain_cost_figure(shown, colors=colors),
        plots.tradeoff_figure(shown, colors=colors),
    ]
    if stream is not None:
        figures += [plots.data_figure(stream), plots.feature_distributions_figure(stream)]
    figures += [cumulative_cost_figure(timeline_shown, drifts, colors=colors, oracles=oracles),
                ledger_figure(shown)]
    return figures


def figure_heading(fig: go.Figure) -> str:
    """A figure's title as plain text: plotly's markup tags dropped, its entities decoded (the
    user's text in a title went through :func:`lab.plots.plain`, so it comes back literally)."""
    return html.unescape(_TAG.sub(" ", str(fig.layout.title.text or ""))).strip()


def _header(summary: Mapping[str, Any]) -> str:
    config = summary.get("config", {})
    stream = config.get("stream", {})
    contenders = [c for c in summary.get("contenders", []) if not c.get("baseline")]
    drifts = len(summary.get("drifts", []))
    idle = sum(unchanged_drifts(config)) if drifts else 0
    # the source as the sidebar names it ("2-D blobs", an upload by its file name), not its
    # config key ("blobs2d"); the config at the end of the report keeps the key
    source = source_label(stream["source"]) if stream.get("source") else "?"
    facts = [f"{plural(summary.get('n_samples', 0), 'sample')} of {source}",
             plural(drifts, "drift") + (f" ({idle} {'changes' if idle == 1 else 'change'} "
                                        "nothing)" if idle else ""),
             plural(len(contenders), "contender"), f"seed {config.get('seed', '?')}"]
    if not summary.get("complete", True):
        facts.append("stopped early")
    versions = ", ".join(f"{k} {v}" for k, v in summary.get("versions", {}).items())
    return (f'<h1>Driftlab run report</h1><p class="meta">{html.escape(" · ".join(facts))}'
            f'<br>{html.escape(versions)}</p>')


def report_html(summary: Mapping[str, Any], timeline: pd.DataFrame, events: pd.DataFrame,
                stream: pd.DataFrame | None = None, noise=None) -> str:
    """The report page: header, story, summary tables, every figure (plotly.js once), and the
    config it ran, as one UTF-8 HTML text. ``noise`` (:class:`lab.race.ties.GapNoise`) lets
    the story measure its ties against the run's noise; without it, the half-point rule."""
    parts = [_header(summary), "<h2>The race in a few words</h2>", story_html(summary, noise),
             "<h2>Summary</h2>", _table_html(overall_frame(summary))]
    drifts = drift_frame(summary)
    if len(drifts):
        parts += ["<h2>Around each drift</h2>", _table_html(drifts, "drifts")]
    # One heading for the charts: each chart's own title names it (in the figure, so that it
    # goes with a PNG saved from the chart's toolbar); a heading per chart wrote every title
    # twice, one above the other (session 11's walk-through).
    parts.append("<h2>Charts</h2>")
    for k, fig in enumerate(report_figures(summary, timeline, events, stream)):
        div = fig.to_html(full_html=False, include_plotlyjs=k == 0, div_id=f"figure-{k + 1}",
                          config=FIGURE_CONFIG)
        parts.append(f'<div class="figure">{div}</div>')
    config_text = json.dumps(summary.get("config", {}), indent=2)
    parts += ["<h2>Config</h2>", f"<pre>{html.escape(config_text)}</pre>"]
    body = "\n".join(parts)
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            f"<title>Driftlab run report</title>\n<style>{PAGE_STYLE}</style>\n</head>\n"
            f"<body>\n{body}\n</body>\n</html>\n")
