"""The Summary tab's tables, built from ``summary.json`` alone.

One wide table of every score would not fit a 1366-pixel screen, so the summary is split into
narrow tables that each answer one question:

* :func:`overall_table`, "Overall scores": one row per contender, its scores over the whole
  stream (accuracy, the kappa family, balanced accuracy, macro F1), whether it beats the
  no-change baseline (when the summary says) and what training it took;
* :func:`drift_table`, "Around each drift": one row per drift and contender, the drift metrics
  (pre-drift level, drop, noise margin, recovery, accuracy lost);
* :func:`stretch_table`, "Scores per stretch": one row per stretch between drifts and contender,
  the same scores as the overall table, on the stretches the story talks about;
* :func:`cost_table`, "Training time and model age".

Long tables (a row per drift and contender) grow downwards with the number of drifts, never
sideways. Each table shows by default the columns read first (:func:`default_columns`), which
fit a 1024-pixel page with the sidebar open in one-line rows; the others (Kappa-M, Kappa-T,
balanced accuracy, macro F1, ...: :func:`optional_columns`) are one click away in the table's
column chooser.

Baselines (contenders with ``"baseline": true``, added by the lab as references) come after
the contenders, named "... (baseline)" and greyed; they never get the "best" highlight,
which goes to the best real contender of each column (of each drift or stretch in the long
tables). Numbers stay numbers (sorting works); :func:`format_cell` turns them into text with
the same rounding as the story above the tabs (:mod:`lab.race.story`), so the two never disagree.

>>> summary = {"drifts": [{"at": 500, "width": 0}],
...            "config": {"evaluation": {"warmup": 100}, "stream": {"n_samples": 900}},
...            "contenders": [
...     {"name": "A", "status": "ok", "error": None, "accuracy": 0.8,
...      "accuracy_by_segment": [0.9, 0.7], "kappa": 0.6, "retrains": 0, "train_samples": 100,
...      "train_cpu_s": 0.01,
...      "mean_staleness": 400.0, "max_staleness": 800, "max_drop": [0.3], "recovery": [None],
...      "pre_drift_accuracy": [0.9], "area_lost": [80.0]},
...     {"name": "B", "status": "ok", "error": None, "accuracy": 0.85,
...      "accuracy_by_segment": [0.85, 0.85], "kappa": 0.7, "retrains": 0, "train_samples": 900,
...      "train_cpu_s": 0.2,
...      "mean_staleness": 1.0, "max_staleness": 1, "max_drop": [0.05], "recovery": [40],
...      "pre_drift_accuracy": [0.85], "area_lost": [0.0]}]}
>>> table = overall_table(summary)
>>> list(table.columns)  # doctest: +NORMALIZE_WHITESPACE
['Contender', 'Status', 'Accuracy', 'Kappa', 'Kappa-M', 'Kappa-T', 'Balanced acc.',
 'Macro F1', 'Retrains', 'Trained samples']
>>> default_columns(table)  # every contender finished "ok": no Status column
['Contender', 'Accuracy', 'Kappa', 'Retrains', 'Trained samples']
>>> shown_columns(table, ["Macro F1"])
['Contender', 'Accuracy', 'Kappa', 'Macro F1', 'Retrains', 'Trained samples']
>>> best = best_rows(table)
>>> best["Accuracy"], best["Trained samples"]
(['contender:1'], ['contender:0'])
>>> drifts = drift_table(summary)
>>> [format_cell("Recovery", v) for v in drifts["Recovery"]]
['not back', '40 samples']
>>> format_cell("Accuracy", 0.8944), format_cell("Max drop", 0.3), format_cell("Kappa", -0.2861)
('89.4 %', '30.0 pts', '-0.286')
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from lab.race.drift_points import points_lost, stretch_lengths
from lab.spec.labels import reference_name
from lab.spec.numbers import percent_digits
from ui.column_widths import (
    name_column_layout,
    name_room,
    other_column_width,
    table_height,
)
from ui.table_columns import (  # noqa: F401  (re-exported: ui.tables.Column and the others)
    COLUMNS,
    DRIFT_KEYS,
    SCORE_KEYS,
    Column,
    default_columns,
    format_cell,
    optional_columns,
    shown_columns,
)

# the key of a table's ``attrs`` holding the samples its race went through (the overall table)
SEEN = "samples_seen"
BEST_STYLE = "background-color: #d8f0e3; font-weight: 700; color: #0b5d3b"
BASELINE_STYLE = "color: #8a8f98; font-style: italic"
# Row labels (the hidden index): a contender's or a baseline's position in the summary. The
# styling reads them, never the displayed name, which a user may have spelled "x (baseline)".
CONTENDER_ROW, BASELINE_ROW = "contender", "baseline"


# --------------------------------------------------------------------------------------------
# Tables
# --------------------------------------------------------------------------------------------
def _rows(summary: Mapping[str, Any]) -> list[tuple[str, dict, str]]:
    """``(row label, contender dict, shown name)``: contenders in summary order, then baselines."""
    contenders = list(summary.get("contenders", []))
    real = [(f"{CONTENDER_ROW}:{i}", c, str(c["name"])) for i, c in enumerate(contenders)
            if not c.get("baseline")]
    refs = [(f"{BASELINE_ROW}:{i}", c, reference_name(c["name"], True))
            for i, c in enumerate(contenders) if c.get("baseline")]
    return real + refs


def is_baseline_row(label: Any) -> bool:
    return str(label).startswith(BASELINE_ROW + ":")


def _frame(rows: list[dict], index: list[str]) -> pd.DataFrame:
    table = pd.DataFrame(rows, index=pd.Index(index, dtype="object"))
    for col in table.columns:
        kind = COLUMNS[col].kind if col in COLUMNS else "text"
        if kind not in ("text", "yesno"):
            table[col] = pd.to_numeric(table[col], errors="coerce").astype("float64")
    return table


def _at(values: Any, k: int) -> Any:
    values = values or []
    return values[k] if k < len(values) else None


def overall_table(summary: Mapping[str, Any]) -> pd.DataFrame:
    """Per contender (then baseline): status, scores over the whole stream, "Beats no-change"
    when the summary carries ``beats_no_change``, retrains and trained samples; an "Error"
    column only when something failed."""
    entries = _rows(summary)
    with_verdict = any("beats_no_change" in c for _, c, _ in entries)
    failed = any(c.get("status") != "ok" for _, c, _ in entries)
    rows = []
    for _, c, name in entries:
        row: dict[str, Any] = {"Contender": name, "Status": c.get("status")}
        row.update({col: c.get(key) for col, key in SCORE_KEYS.items()})
        if with_verdict:  # as text: Streamlit would draw a bool as a checkbox, a bare box for None
            row["Beats no-change"] = format_cell("Beats no-change", c.get("beats_no_change"))
        row.update({"Retrains": c.get("retrains"), "Trained samples": c.get("train_samples")})
        if failed:
            row["Error"] = c.get("error") or ""
        rows.append(row)
    from lab.race.report import samples_seen

    table = _frame(rows, [label for label, _, _ in entries])
    # "Trained samples" reads "30,000 (1.5× stream)" against these (format_cell's ``seen``)
    table.attrs[SEEN] = samples_seen(summary)
    return table


def drift_label(summary: Mapping[str, Any], k: int) -> str:
    """"1: sudden drift at 5,000", from the story's own stretch label of the stretch after it."""
    from lab.race.story import segment_labels

    labels = segment_labels(summary)
    text = labels[k + 1][0] if k + 1 < len(labels) else f"drift at {summary['drifts'][k]['at']:,}"
    if text.endswith("(no change)"):  # a drift whose target is the concept already in force
        return f"{k + 1}: at {summary['drifts'][k]['at']:,}, changes nothing"
    text = text.removeprefix("After the ")
    return f"{k + 1}: {text}"


def drift_table(summary: Mapping[str, Any]) -> pd.DataFrame:
    """Per drift, per contender (then baseline): pre-drift level, max drop, noise margin,
    recovery (+inf when not back), accuracy lost (``area_lost`` per sample of the stretch it
    sums over: percentage points, below 0 a gain). Empty when the stream has no drift.

    A drift whose metrics are all undefined (it starts at or before the warm-up's end, or
    after the last sample seen) shows "–" throughout, not "not back"."""
    drifts = summary.get("drifts") or []
    lengths = stretch_lengths(summary)
    rows, index = [], []
    for k in range(len(drifts)):
        label = drift_label(summary, k)
        for row_label, c, name in _rows(summary):
            row = {"Drift": label, "Contender": name}
            row.update({col: _at(c.get(key), k) for col, key in DRIFT_KEYS.items()})
            length = lengths[k] if k < len(lengths) else 0
            row["Accuracy lost"] = points_lost(row["Accuracy lost"], length)
            if (row["Recovery"] is None and row["Pre-drift level"] is not None
                    and c.get("status") == "ok"):
                row["Recovery"] = math.inf  # measured, and never back
            rows.append(row)
            index.append(f"{row_label}:{k}")
    return _frame(rows, index)


def stretch_table(summary: Mapping[str, Any]) -> pd.DataFrame:
    """Per stretch between drift starts (the story's), per contender (then baseline): the
    ``*_by_segment`` scores. Empty when the stream has no drift (the overall table has them)."""
    from lab.race.story import segment_labels

    if not summary.get("drifts"):
        return _frame([], [])
    rows, index = [], []
    for k, (label, _, _) in enumerate(segment_labels(summary)):
        for row_label, c, name in _rows(summary):
            row = {"Stretch": label, "Contender": name}
            row.update({col: _at(c.get(f"{key}_by_segment"), k)
                        for col, key in SCORE_KEYS.items()})
            rows.append(row)
            index.append(f"{row_label}:{k}")
    return _frame(rows, index)


def cost_table(summary: Mapping[str, Any]) -> pd.DataFrame:
    """Per contender (then baseline): training CPU seconds and the deployed model's age."""
    entries = _rows(summary)
    rows = [{"Contender": name, "Training CPU s": c.get("train_cpu_s"),
             "Mean staleness": c.get("mean_staleness"), "Max staleness": c.get("max_staleness"),
             "Mean data age": c.get("data_age_mean")}
            for _, c, name in entries]
    return _frame(rows, [label for label, _, _ in entries])


# --------------------------------------------------------------------------------------------
# Highlight and styling
# --------------------------------------------------------------------------------------------
def _group_column(table: pd.DataFrame) -> str | None:
    return next((col for col in ("Drift", "Stretch") if col in table.columns), None)


def shown_value(column: str, value: float) -> float:
    """``value`` rounded as :func:`format_cell` shows it (98.06 % -> 98.1 for "Accuracy"): the
    highlight compares what the reader sees, so two cells that read "98.1 %" are both best."""
    kind = COLUMNS[column].kind if column in COLUMNS else "count"
    if kind in ("percent", "points", "lost"):
        return float(percent_digits(value))
    digits = {"kappa": 3, "seconds": 2}.get(kind, 0)
    return float(f"{value:.{digits}f}")


# half a point, on the share scale of accuracies and the kappa scale alike
TIE_SHARE = 0.005


def _row_parts(label: str) -> tuple[int, int | None]:
    """``(position in the summary's contenders, stretch or drift index or None)`` of a row."""
    parts = str(label).split(":")
    return int(parts[1]), (int(parts[2]) if len(parts) > 2 else None)


def _ranking_holds(col: str, labels: list, values: pd.Series, summary, noise) -> bool:
    """Whether the best of ``values`` (raw numbers of ``col`` for the rows ``labels``) stands:
    for shares, points and kappas it is more than half a point (:data:`TIE_SHARE`) ahead of
    every other row; for "Accuracy", more than the run's noise too, and ahead of the no-change
    and majority baselines by more than a tie (the story's rule, :mod:`lab.race.ties`); a
    kappa must also be above 0 (above chance, the majority class or the no-change answer)."""
    kind = COLUMNS[col].kind if col in COLUMNS else "count"
    if kind not in ("percent", "points", "lost", "kappa"):
        return True
    better = COLUMNS[col].better
    best_label = values.idxmax() if better == "high" else values.idxmin()
    best_v = values[best_label]
    if kind == "kappa" and better == "high" and best_v <= 0:
        return False
    if col != "Accuracy" or summary is None:
        return not any(abs(best_v - v) < TIE_SHARE for lab, v in values.items()
                       if lab != best_label)
    from lab.race.story import REFERENCES
    from lab.race.ties import is_tie

    position, segment = _row_parts(best_label)

    def noise_of(other: int | str) -> float | None:  # contenders by position, as the story
        return None if noise is None else noise.noise(position, other, segment)

    for lab, v in values.items():
        if lab != best_label and is_tie(best_v - v, noise_of(_row_parts(lab)[0])):
            return False
    for key, tie_key, _, _ in REFERENCES:
        ref = (summary.get(key) if segment is None
               else _at(summary.get(f"{key}_by_segment"), segment))
        if ref is not None and (best_v <= ref or is_tie(best_v - ref, noise_of(tie_key))):
            return False
    return True


# "Around each drift": how well a contender survived the drift. Best only among contenders that
# worked before it: one already at or below a reference barely drops and "gains" afterwards.
SURVIVAL_COLUMNS = ("Max drop", "Recovery", "Accuracy lost")


def _worked_before(label: str, summary: Mapping[str, Any]) -> bool:
    """Whether the contender of a drift row was above the no-change and the majority
    references (:data:`lab.race.story.REFERENCES`) over the stretch before the drift, by more
    than a tie (half a point): the condition for its drop, recovery or accuracy lost to be
    highlighted as best. True when the summary has no reference for that stretch."""
    from lab.race.story import REFERENCES

    position, k = _row_parts(label)
    contenders = summary.get("contenders") or []
    before = _at(contenders[position].get("accuracy_by_segment"), k) \
        if position < len(contenders) else None
    if before is None:
        return True
    refs = [_at(summary.get(f"{key}_by_segment"), k) for key, _, _, _ in REFERENCES]
    return all(ref is None or before - ref > TIE_SHARE for ref in refs)


def best_rows(table: pd.DataFrame, summary: Mapping[str, Any] | None = None,
              noise=None) -> dict[str, list[str]]:
    """Per highlighted column, the row labels holding its best value as shown (ties all count,
    compared after :func:`shown_value`'s rounding), among the real contenders that ran (no
    baseline, no failure); per drift or stretch in the long tables. Nothing is marked where
    every contender shows the same value, nor where the best does not stand out by the
    story's rule (:func:`_ranking_holds`: shares and kappas within half a point are a tie; the
    accuracy also within the run's noise, ``noise`` a :class:`lab.race.ties.GapNoise`, or
    not above the baselines of ``summary``): a cell is green only where the story names a
    winner."""
    candidates = [label for label in table.index if not is_baseline_row(label)
                  and ("Status" not in table.columns or table.at[label, "Status"] == "ok")]
    group = _group_column(table)
    survivors = [label for label in candidates
                 if group != "Drift" or summary is None or _worked_before(label, summary)]
    groups = (table.loc[candidates].groupby(group, sort=False).groups.values() if group
              else [pd.Index(candidates)])
    out: dict[str, list[str]] = {}
    for col in table.columns:
        better = COLUMNS[col].better if col in COLUMNS else None
        if better is None:
            continue
        for labels in groups:
            if col in SURVIVAL_COLUMNS and group == "Drift":
                labels = [label for label in labels if label in survivors]
            raw = table.loc[list(labels), col].dropna()
            raw = raw[np.isfinite(raw.to_numpy())]  # "not back" is never best
            values = raw.map(lambda v, col=col: shown_value(col, v))  # as the cell reads
            if values.empty or (len(labels) > 1 and values.size == len(labels)
                                and values.nunique() == 1):
                continue  # everyone equal: nothing to point out
            if not _ranking_holds(col, list(labels), raw, summary, noise):
                continue  # a tie, or no better than a baseline: the story names no winner
            best = values.max() if better == "high" else values.min()
            hits = values.index[np.isclose(values.to_numpy(), best, rtol=0, atol=1e-12)]
            out.setdefault(col, []).extend(hits.tolist())
    return out


def cell_styles(table: pd.DataFrame, summary: Mapping[str, Any] | None = None,
                noise=None) -> pd.DataFrame:
    """The CSS of each cell: :data:`BEST_STYLE` on the best ones (:func:`best_rows`),
    :data:`BASELINE_STYLE` on every cell of a baseline's row, "" elsewhere."""
    styles = pd.DataFrame("", index=table.index, columns=table.columns)
    for col, labels in best_rows(table, summary, noise).items():
        styles.loc[labels, col] = BEST_STYLE
    for label in table.index:
        if is_baseline_row(label):
            styles.loc[label, :] = BASELINE_STYLE
    return styles


def styled(table: pd.DataFrame, summary: Mapping[str, Any] | None = None, noise=None):
    """A pandas Styler: :func:`cell_styles`, every value formatted by :func:`format_cell`."""
    seen = table.attrs.get(SEEN)
    fmt = {col: (lambda v, col=col: format_cell(col, v, seen)) for col in table.columns}
    return table.style.apply(cell_styles, axis=None, summary=summary,
                             noise=noise).format(fmt)


def name_layout(table: pd.DataFrame) -> tuple[int, int | None]:
    """``(width, row height or None)`` of the table's "Contender" column
    (:func:`ui.column_widths.name_column_layout`): the longest name on one line, in the grid's
    compact rows, up to 300 px or the room its default columns leave on a 1024-pixel page
    (:func:`ui.column_widths.name_room`, estimated by
    :func:`ui.column_widths.other_column_width`); a longer name wraps in taller rows. Sizing
    the name column to the room left whatever its names (as before) wrapped every name of the
    default race into 65-pixel rows, three contenders to a screen. Columns a user adds do not
    squeeze the names: the table scrolls sideways instead."""
    seen = table.attrs.get(SEEN)
    others = [other_column_width(col, [format_cell(col, v, seen) for v in table[col]])
              for col in default_columns(table) if col != "Contender"]
    return name_column_layout(table["Contender"], "Contender", max_width=name_room(others))


def row_groups(table: pd.DataFrame) -> list[tuple[str | None, pd.DataFrame]]:
    """``(title, rows)`` of each sub-table: one per drift (or stretch) of a long table, titled
    by it, in order; the whole table, untitled, otherwise. A drift's label ("2: gradual drift
    at 14,000–16,000 (back to concept 0)") as a column was wider than a 1024-pixel page leaves
    for the drift's figures."""
    group = _group_column(table)
    if group is None or table.empty:
        return [(None, table)]
    return [(str(label), table[table[group] == label])
            for label in pd.unique(table[group])]


def column_config(table: pd.DataFrame, column_type, name_width: int | None = None
                  ) -> dict[str, Any]:
    """Streamlit column settings: each header's tooltip (its meaning and the glossary entry to
    read), and the name column's width (``name_width``, else :func:`name_layout`'s).
    ``column_type`` is ``st.column_config.Column``.

    No column is pinned: the tables fit the page, and Streamlit draws a pinned column's text
    grey, which made every contender's name look like a baseline's."""
    config = {}
    for col in table.columns:
        spec = COLUMNS.get(col)
        if spec is None:
            continue
        tip = spec.help + (f" Glossary: {spec.glossary}." if spec.glossary else "")
        extra = ({"width": name_width or name_layout(table)[0]} if col == "Contender"
                 else {})
        config[col] = column_type(help=tip, **extra)
    return config


def sections(summary: Mapping[str, Any]) -> list[tuple[str, str, pd.DataFrame]]:
    """``(title, widget key, table)`` of each table the Summary tab shows, in order; the
    per-drift and per-stretch tables only when the stream has drifts."""
    builders = [("Overall scores", "summary_table", overall_table)]
    if summary.get("drifts"):
        builders += [("Around each drift", "summary_drifts", drift_table),
                     ("Scores per stretch", "summary_stretches", stretch_table)]
    builders.append(("Training time and model age", "summary_costs", cost_table))
    return [(title, key, build(summary)) for title, key, build in builders]


def run_noise(out: dict):
    """The :class:`lab.race.ties.GapNoise` of a run the app holds (``ui.race.package``'s
    dict: its stream and per-sample predictions), kept in ``out`` once measured; None when the
    app did not keep every row (a stream over its row limit): the half-point rule alone."""
    from lab.race.ties import noise_from_frames

    if "gap_noise" not in out:
        out["gap_noise"] = noise_from_frames(out["summary"], out.get("stream"),
                                             out.get("predictions"))
    return out["gap_noise"]


def column_chooser_key(key: str) -> str:
    """The widget key of the column chooser of the table with widget key ``key``."""
    return f"{key}_columns"


def column_chooser(key: str, table: pd.DataFrame) -> list[str]:
    """The table's column chooser, "More columns:" and one pill per optional column
    (:func:`optional_columns`; none shown by default): the columns it adds. Its choice is
    kept for the session, so it survives reruns, new runs and another result tab being open
    (the tabs build only the open one)."""
    import streamlit as st

    options = optional_columns(table)
    if not options:
        return []
    # one group, so that on a narrow page it moves under the title as a whole
    with st.container(horizontal=True, vertical_alignment="center", width="content"):
        st.caption("More columns:", width="content",
                   help="Click a column's name to show it in the table, again to hide it. "
                        "The choice is kept while the app is open; a table with added "
                        "columns may scroll sideways on a narrow page.")
        return st.pills("More columns", options, selection_mode="multi", default=None,
                        key=column_chooser_key(key), label_visibility="collapsed",
                        persist_state="session") or []


def show_summary(summary: Mapping[str, Any], caption: str = "", noise=None) -> None:
    """The Summary tab: each table of :func:`sections` as ONE grid (a long table one per drift
    or stretch, titled by it: :func:`row_groups`) under its title, styled, with header
    tooltips, in compact rows. It shows the default columns, which fit a 1024-pixel page
    (:func:`default_columns`), and the ones added by the pills beside its title
    (:func:`column_chooser`; those may scroll sideways: the user's choice). Splitting a wide
    table into parts one under the other, each repeating the names (as before), cut the
    overall scores of the default race into two grids even at 1366 px: a row was read across
    two grids. Names are table cells (data, never Markdown); titles are fixed text, a
    sub-table's title escaped. The first grid of a table has the table's widget key, the
    others ``<key>_<sub-table>``. ``noise`` (:func:`run_noise`) lets the highlight follow the
    story's tie rule to the run's noise."""
    import streamlit as st

    from ui.text import escape_markdown

    for title, key, table in sections(summary):
        with st.container(horizontal=True, vertical_alignment="center", gap="medium"):
            st.markdown(f"**{title}**", width="content")
            chosen = column_chooser(key, table)
        columns = shown_columns(table, chosen)
        # the name column's layout once per table (it formats every cell to measure them)
        name_width, row_height = name_layout(table)
        config = column_config(table, st.column_config.Column, name_width)
        for g, (group_title, rows) in enumerate(row_groups(table)):
            if group_title is not None:
                st.caption(escape_markdown(group_title))
            st.dataframe(styled(rows, summary, noise),  # the best of each drift or stretch
                         key=key if g == 0 else f"{key}_{g}",
                         hide_index=True, column_order=columns, column_config=config,
                         row_height=row_height,  # None: one line; else wrapped names
                         height=(table_height(len(rows), row_height) if row_height
                                 else "auto"))
    if caption:
        st.caption(caption)
