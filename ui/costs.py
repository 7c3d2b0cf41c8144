"""The cost ledger in the app: the sidebar's Costs panel and the Net cost result tab.

The panel's widgets hold the config's ``costs`` (keys in :mod:`ui.keys`, read into the config by
``ui.state.config_from_state``, so a shared link carries the prices); the tab draws the ledger the
core computed (``summary.json``'s ``cost``, ``timeline.csv``'s ``cost_*`` columns) with the
figures of :mod:`lab.plots.costs`, and a table whose every amount is a count times a price.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from lab.plots.costs import cumulative_cost_figure, ledger_figure
from lab.spec.costs import COST_FIELDS, amount_decimals, format_amount_column
from lab.spec.labels import reference_name
from ui import keys as K
from ui.column_widths import (
    name_column_layout,
    name_room,
    other_column_width,
    table_height,
)
from ui.number_checks import PRICE_WIDGETS

ss = st.session_state

WHERE_PRICES_COME_FROM = (
    "Prices are in one currency unit of your choice. Where they come from: compute from your "
    "cloud bill (a CPU's hourly price ÷ 3,600 per CPU second), a retrain from what deploying a "
    "model costs you (review, validation, rollout), a label from a labelling service's price "
    "per item, and an error from what a wrong decision costs the business (a missed fraud, a "
    "needless call-out).")


def costs_panel() -> None:
    """The sidebar's Costs expander: one price per part of the ledger and the optional
    per-class price matrix (JSON text), all written into the config the app runs."""
    given = any(ss.get(K.COST_PRICES[name], f.default) != f.default
                for name, f in COST_FIELDS.items())
    with st.expander("Costs", icon=":material/payments:",
                     expanded=bool(given or ss.get(K.COST_ERROR_MATRIX))):
        st.caption(WHERE_PRICES_COME_FROM)
        for name, (label, help_text) in PRICE_WIDGETS.items():
            # no min/max: the browser would refuse an out-of-range price silently (the old
            # value stays); ui.number_checks refuses it by name, with Run off
            st.number_input(f"Price {label} (price units)",
                            step=0.01 if name != "error" else 1.0, format="%g",
                            key=K.COST_PRICES[name], help=help_text)
        st.text_area("Price per (true, predicted) class pair (optional)",
                     key=K.COST_ERROR_MATRIX, height=80, placeholder="[[0, 50], [5, 0]]",
                     help="a JSON list of rows, row = true class, column = predicted class, "
                          "in class-code order (the stream's y values); null in a cell takes "
                          "the default (0 on the diagonal, the price per wrong prediction off "
                          "it). Empty: every wrong prediction costs the price above. "
                          "costs.error_matrix in the config")


def _row_name(c: dict) -> str:
    return reference_name(c["name"], bool(c.get("baseline"))) + (
        " (oracle)" if c.get("oracle") else "")


def ledger_table(summary: dict) -> pd.DataFrame:
    """The bill: one row per contender (baselines and the oracle marked), the total first, the
    total per 1,000 scored samples, then the amount of each part at the run's prices, as
    ``summary.json`` holds them. Seven short columns: the total stays in view at 1024 px."""
    rows = []
    for c in summary.get("contenders", []):
        cost = c.get("cost") or {}
        rows.append({
            "contender": _row_name(c),
            "total": cost.get("total"),
            "per 1,000": cost.get("per_1000"),
            "compute": cost.get("compute"),
            "retrains": cost.get("retrains"),
            "labels": cost.get("labels"),
            "errors": cost.get("errors"),
        })
    return pd.DataFrame(rows)


def counts_table(summary: dict) -> pd.DataFrame:
    """What the bill counts: one row per contender, the counts each price multiplies."""
    return pd.DataFrame([{
        "contender": _row_name(c),
        "samples trained": c.get("train_samples"),
        "retrains": c.get("retrains"),
        "labels bought": (c.get("cost") or {}).get("labels_bought"),
        "wrong predictions": (c.get("cost") or {}).get("wrong_predictions"),
    } for c in summary.get("contenders", [])])


# Column headers' help. Each column is written one way (``lab.spec.costs.amount_decimals``:
# "4,918", "4,579", "241" — not "4,917.57", "4,579.088", "241" from the browser's locale format,
# which dropped trailing zeros cell by cell); the cells keep their numbers, so sorting works.
BILL_HELP = {
    "total": "the whole bill over the stream, warm-up included",
    "per 1,000": "the total per 1,000 scored samples: 1,000 × total ÷ scored samples",
    "compute": "samples trained × price per sample + CPU seconds × price per CPU second",
    "retrains": "retrains × price per retrain",
    "labels": "labels bought × price per label",
    "errors": "wrong predictions × price per wrong prediction (or the class-pair prices)",
}


def styled_amounts(frame: pd.DataFrame):
    """``frame`` (a name column, then amounts or counts) as a pandas Styler: each number column
    with its own :func:`lab.spec.costs.amount_decimals`, thousands separated."""
    formats = {}
    for column in frame.columns[1:]:
        decimals = amount_decimals(frame[column])
        formats[column] = lambda v, d=decimals: format_amount_column(v, d)
    return frame.style.format(formats)


def table_layout(frame: pd.DataFrame, helps: dict | None = None) -> tuple[dict, int | None]:
    """``(column settings, row height or None)`` of a Net cost table: each number column
    right-aligned with its help, and the name column sized as the Summary's
    (:func:`ui.column_widths.name_column_layout`): the longest name on one line when the number
    columns, as formatted, leave room for it on a 1024-pixel page
    (:func:`ui.column_widths.name_room`), else that room with the names wrapped in taller rows.
    A pinned name column as wide as its longest name made the bill scroll sideways at 1024 px
    with a 60-character name or the oracle's (842 and 720 of 652 px; session 10's suite work).
    Not pinned: the table fits, and a pinned column's text is drawn grey (a baseline's look).

    >>> bill = pd.DataFrame({"contender": ["Online", "W" * 60], "total": [1.0, 2.0],
    ...                      "errors": [0.5, 0.25]})
    >>> config, row_height = table_layout(bill)
    >>> config["contender"]["width"], row_height  # three lines of "W"s in 300 px
    (300, 65)
    """
    numbers = frame.columns[1:]
    others = []
    for column in numbers:
        decimals = amount_decimals(frame[column])
        others.append(other_column_width(
            column, [format_amount_column(v, decimals) for v in frame[column]]))
    width, row_height = name_column_layout(frame["contender"], "contender",
                                           max_width=name_room(others))
    config: dict = {"contender": st.column_config.TextColumn(width=width)}
    for column in numbers:
        config[column] = st.column_config.Column(help=(helps or {}).get(column),
                                                 alignment="right")
    return config, row_height


def show_table(frame: pd.DataFrame, key: str, helps: dict | None = None) -> None:
    """A Net cost table (:func:`table_layout`), every row shown (names may wrap)."""
    config, row_height = table_layout(frame, helps)
    st.dataframe(styled_amounts(frame), hide_index=True, key=key, column_config=config,
                 row_height=row_height,
                 height=table_height(len(frame), row_height) if row_height else "auto")


def prices_text(config: dict) -> str:
    """The run's prices in one line, e.g. "Prices: 0.5 per retrain, 1 per wrong prediction"."""
    costs = config.get("costs") or {name: f.default for name, f in COST_FIELDS.items()}
    parts = [f"{costs[name]:g} {label}" for name, (label, _) in PRICE_WIDGETS.items()
             if costs.get(name)]
    if costs.get("error_matrix") is not None:
        parts.append(f"per (true, predicted) class pair {costs['error_matrix']}")
    text = "Prices (price units): " + (", ".join(parts) if parts else "all 0")
    if "costs" not in config:
        text += " (no costs set: the bill is the number of wrong predictions)"
    return text


def _chart(entry: dict, name: str, build, caption: str) -> None:
    """A figure (built once per run) and its caption. No download button of its own: one
    chart's HTML page carried plotly.js whole (about 4.8 MB each); the run's HTML report
    (Export tab) holds every chart, these two included, with plotly.js once."""
    figs = entry.setdefault("figs", {})
    if name not in figs:
        figs[name] = build()
    st.plotly_chart(figs[name], key=f"{name}_chart", config={"displaylogo": False})
    st.caption(caption)


NET_COST_CAPTIONS = {
    "net_cost": "Cumulative cost of each contender: training compute, retrains, labels bought "
                "and wrong predictions, each a count times its price (Costs, in the sidebar).",
    "ledger": "Each contender's bill by part, over the whole stream (warm-up included).",
}


def net_cost_builders(view) -> dict:
    """``{chart name: function building its figure}`` of the Net cost tab, from the run in
    ``view`` (the race page's ``ResultView``): the same calls as
    :func:`lab.race.report.report_figures` makes for the HTML report (a test compares them)."""
    return {
        "net_cost": lambda: cumulative_cost_figure(view.timeline_shown, view.drifts,
                                                   colors=view.colors, oracles=view.oracles),
        "ledger": lambda: ledger_figure(view.summary_shown),
    }


def net_cost_tab(view) -> None:
    """The Net cost tab: cumulative cost per contender with the drifts, the bill by part, and
    the ledger's table (``view`` is the race page's ``ResultView``)."""
    st.caption(prices_text(view.out["config"]))
    for name, build in net_cost_builders(view).items():
        _chart(view.entry, name, build, NET_COST_CAPTIONS[name])
    bill = ledger_table(view.summary)
    show_table(bill, "ledger_table", BILL_HELP)
    show_table(counts_table(view.summary), "ledger_counts_table")
    st.caption("Amounts = count × price (the second table gives the counts): compute = samples "
               "trained × price per sample + CPU seconds × price per CPU second; labels bought "
               "= the warm-up's and every label that arrived; per 1,000 = 1,000 × total ÷ "
               "scored samples. Both charts are in the run's HTML report (Export tab).")
