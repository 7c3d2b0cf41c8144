"""The What-if tab's answer: the cheapest setting of the sweep that keeps a score above a target
(streamlit; the ranking and the sentence are :func:`lab.sweep.answer.answer_sweep`'s, the same as
``python -m lab sweep --target``).

Widget keys (stable, for tests and people): ``whatif_metric`` (the score),
``whatif_target_<metric>`` (its target: a percentage for accuracy, balanced accuracy and macro
F1, a number for the kappas; one per score, so each keeps its own), ``whatif_answer_for``
(every contender or one), ``whatif_basis`` (lower 95 % bound or mean), ``whatif_answer_table``
(the ranking).

"Among" starts, for each new sweep, at the contender every varied setting belongs to
(:func:`lab.sweep.answer.default_contender`: varying "Periodic retrain: samples between
retrains" asks among Periodic retrain's settings), else at every contender; the user's choice
then stays for that sweep.
"""

from __future__ import annotations

import math

import pandas as pd
import streamlit as st

from lab.spec.costs import format_amount
from lab.spec.errors import ConfigError
from lab.spec.labels import format_value, path_label
from lab.sweep.answer import (
    METRIC_WORDS,
    PERCENT_METRICS,
    RANK_FIGURES,
    TARGET_METRICS,
    SweepAnswer,
    answer_sweep,
    default_contender,
    format_score,
    tie_rule_words,
    unpriced,
)
from ui.column_widths import other_column_width
from ui.text import escape_markdown

ss = st.session_state

EVERY_CONTENDER = "__all__"
ANSWER_FOR = "whatif_answer_for"  # the "Among" selectbox, reset when its contender is gone
ANSWER_FOR_SWEEP = "whatif_answer_for_sweep"  # the sweep "Among" was last defaulted for
#: Keys the tab keeps while another tab is open (``ui.whatif.keep_values``).
ANSWER_KEYS = ("whatif_metric", ANSWER_FOR, "whatif_basis",
               *(f"whatif_target_{m}" for m in TARGET_METRICS))
BASIS_LABELS = {"lower": "Lower 95 % bound", "mean": "Mean over the seeds"}
KEEPS = ("A row keeps the target when its score's lower 95 % bound over the seeds (Student's t) "
         "is at or above it — or its mean, if you judge on the mean; a row with a failed run "
         "never does.")


def caption(answer: SweepAnswer, columns) -> str:
    """What the ranking is by and how its ties go, as :func:`lab.sweep.answer.answer_sweep`
    ranked it: by the mean total cost at the config's prices, or, when the config sets no
    prices, by the samples trained."""
    ties = f"Equal figures: {tie_rule_words(answer.rank_by, list(columns))} first."
    if answer.unpriced:
        return ("Every (setting, contender) of the sweep, least trained first by the mean samples "
                "trained over the seeds: no prices are set for training, retrains or labels "
                "(Costs, in the sidebar), so the total cost would only count wrong predictions. "
                f"{KEEPS} {ties}")
    return ("Every (setting, contender) of the sweep, cheapest first by the mean total cost over "
            f"the seeds (the cost ledger at the config's prices). {KEEPS} {ties}")


def suggested_target(summary: pd.DataFrame, metric: str) -> float:
    """A first target in the input's unit: the median of the rows' mean scores, rounded down to a
    whole percent (0.01 for the kappas), so that some settings are likely to keep it and some not.

    >>> suggested_target(pd.DataFrame({"accuracy_mean": [0.71, 0.836, 0.9]}), "accuracy")
    83.0
    >>> suggested_target(pd.DataFrame({"kappa_mean": [0.412, float("nan")]}), "kappa")
    0.41
    """
    values = pd.to_numeric(summary[f"{metric}_mean"], errors="coerce").dropna()
    median = float(values.median()) if len(values) else 0.0
    hundredths = math.floor(round(100 * median, 9))
    return float(hundredths) if metric in PERCENT_METRICS else hundredths / 100


def answer_section(summary: pd.DataFrame, cfg: dict) -> None:
    """The question's inputs, the answer sentence and the ranking, under the sweep's results."""
    metrics = [m for m in TARGET_METRICS if f"{m}_ci_low" in summary.columns]
    if "cost_total_mean" not in summary.columns or not metrics:
        return
    st.markdown("**Which setting trains least while keeping a score above a target?**"
                if unpriced(summary) else
                "**Which setting is cheapest while keeping a score above a target?**")
    names = list(dict.fromkeys(summary["contender"].astype(str)))
    head = list(summary.columns[:list(summary.columns).index("contender") + 1])
    sweep = repr((head, summary[head].astype(str).to_numpy().tolist()))  # paths, values, names
    if ss.get(ANSWER_FOR_SWEEP) != sweep or ss.get(ANSWER_FOR) not in [EVERY_CONTENDER, *names]:
        # a new sweep: among the contender its settings belong to, if they all belong to one
        ss[ANSWER_FOR] = default_contender(summary, cfg) or EVERY_CONTENDER
        ss[ANSWER_FOR_SWEEP] = sweep
    pick, goal, among, basis_col = st.columns([3, 2, 3, 3])
    metric = pick.selectbox("Score to keep", metrics, key="whatif_metric",
                            format_func=lambda m: METRIC_WORDS[m].capitalize())
    target_key = f"whatif_target_{metric}"
    if target_key not in ss:
        ss[target_key] = suggested_target(summary, metric)
    if metric in PERCENT_METRICS:
        target = goal.number_input("Target (%)", min_value=0.0, max_value=100.0, step=0.5,
                                   format="%.1f", key=target_key,
                                   help="the score to keep, in percent") / 100
    else:
        target = goal.number_input("Target", min_value=-1.0, max_value=1.0, step=0.01,
                                   format="%.2f", key=target_key,
                                   help="the kappa to keep (1 = perfect, 0 = no better than "
                                        "the reference)")
    who = among.selectbox("Among", [EVERY_CONTENDER, *names], key=ANSWER_FOR,
                          format_func=lambda n: "every contender" if n == EVERY_CONTENDER else n)
    basis = basis_col.radio("Judged on", list(BASIS_LABELS), key="whatif_basis",
                            format_func=BASIS_LABELS.get, horizontal=True,
                            help="the lower bound says 'with 95 % confidence over the seeds'; "
                                 "with one seed there is none, judge on the mean")
    try:
        answer = answer_sweep(summary, metric, target,
                              contender=None if who == EVERY_CONTENDER else who,
                              basis=basis, config=cfg)
    except ConfigError as exc:
        st.error(escape_markdown(str(exc)), icon=":material/error:")
        return
    if answer.choice is not None:
        st.success(escape_markdown(answer.sentence), icon=":material/check_circle:")
    else:
        st.warning(escape_markdown(answer.sentence), icon=":material/search_off:")
    table = ranking_table(answer, cfg)
    st.dataframe(styled_ranking(table, metric), key="whatif_answer_table", hide_index=True,
                 column_config=fitted_config(table, ranking_formats(table, metric),
                                             st.column_config.Column))
    st.caption(caption(answer, summary.columns))


SAME_ON_EVERY_SEED = " (same on every seed)"


def _ci_text(low, high, formatter) -> str:
    """A 95 % CI as text: "69.2–78.0 %"; "21,000 (same on every seed)" when its bounds are equal
    (the figure did not vary over the seeds: a bare "21,000" under "95 % CI" read as a mistake
    in session 11's walk-through); one value when the bounds differ but round alike.

    >>> percent = lambda v: f"{100 * v:.1f} %"
    >>> _ci_text(21000.0, 21000.0, format_amount), _ci_text(0.692, 0.78, percent)
    ('21,000 (same on every seed)', '69.2–78.0 %')
    """
    if _missing(low) or _missing(high):
        return "–"
    a, b = formatter(low), formatter(high)
    if float(low) == float(high):
        return a + SAME_ON_EVERY_SEED
    if a == b:  # bounds that round alike: one value, not "3,000–3,000"
        return a
    return f"{a[:-2] if a.endswith(' %') and b.endswith(' %') else a}–{b}"


def drop_constant_ci(table: pd.DataFrame) -> pd.DataFrame:
    """``table`` without its "... 95 % CI" columns that carry nothing: the same on every seed in
    every row (the samples trained by fixed schedules), where the mean beside it says it all."""
    constant = [c for c in table.columns if c.endswith(" 95 % CI") and len(table)
                and table[c].astype(str).str.endswith(SAME_ON_EVERY_SEED).all()]
    return table.drop(columns=constant)


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def ranking_table(answer: SweepAnswer, cfg: dict) -> pd.DataFrame:
    """The ranking as the tab shows it: rank, contender, the settings in plain words, the figure
    ranked by (the total cost, or the samples trained when no prices are set) and the score
    (values, formatted by :func:`styled_ranking`) with their 95 % CIs as text, and whether the
    row keeps the target."""
    ranking = answer.ranking
    metric, cost = answer.metric, answer.rank_by
    words = METRIC_WORDS[metric].capitalize()
    table = pd.DataFrame({"Rank": ranking["rank"].tolist(),
                          "Contender": ranking["contender"].astype(str).tolist()})
    for path in answer.paths:
        header = path_label(path, cfg)
        while header in table.columns:
            header += " "
        table[header] = [format_value(path, v, max_chars=40) for v in ranking[path]]
    figure = figure_header(answer)
    table[figure] = ranking[f"{cost}_mean"].tolist()
    table[f"{figure} 95 % CI"] = [_ci_text(lo, hi, format_amount) for lo, hi in
                                  zip(ranking[f"{cost}_ci_low"], ranking[f"{cost}_ci_high"])]
    table[words] = ranking[f"{metric}_mean"].tolist()
    table[f"{words} 95 % CI"] = [_ci_text(lo, hi, lambda v: format_score(metric, v)) for lo, hi
                                 in zip(ranking[f"{metric}_ci_low"], ranking[f"{metric}_ci_high"])]
    table["Keeps target"] = ["yes" if q else "no" for q in ranking["qualifies"]]
    if not ranking["depends"].all():  # a contender the varied settings do not apply to
        table["Uses the varied setting"] = ["yes" if d else "no — same race in every setting"
                                            for d in ranking["depends"]]
    return drop_constant_ci(table)


# Ranking figures under the header the results table and the Summary tab give them.
FIGURE_HEADERS = {"train_samples": "Trained samples", "train_cpu_s": "Training CPU s"}


def figure_header(answer: SweepAnswer) -> str:
    """The ranking figure's column header: "Total cost", or "Trained samples" without prices
    (the results table's header for the same figure)."""
    return FIGURE_HEADERS.get(answer.rank_by, RANK_FIGURES[answer.rank_by].capitalize())


def ranking_formats(table: pd.DataFrame, metric: str) -> dict:
    """``{column: function giving its text}`` of :func:`styled_ranking`'s number columns."""
    words = METRIC_WORDS[metric].capitalize()
    figures = {FIGURE_HEADERS.get(f, RANK_FIGURES[f].capitalize()) for f in RANK_FIGURES}
    formats = {c: format_amount for c in table.columns if c in figures}
    return {**formats, words: lambda v: format_score(metric, v)}


def styled_ranking(table: pd.DataFrame, metric: str):
    """:func:`ranking_table` with the ranking figure as the ledger writes amounts (the column
    after the settings: "Total cost" or "Trained samples") and the score as a percentage (or a
    kappa's three decimals); the data keep full precision."""
    return table.style.format(ranking_formats(table, metric))


# ---------------------------------------------------------------------------------------------
# Tables that fit the page at 1366 px
# ---------------------------------------------------------------------------------------------
# The main area at 1366x768 with the sidebar open (1366 - 300 px of sidebar - 2 x 35 px of
# padding = 996 px), less a margin: session 11's walk-through found the What-if tables cut off
# on the right there (the default sweep's results table: about 1,070 px of columns, the
# ranking about 1,300, estimated by ui.column_widths).
WIDE_TABLE_WIDTH = 960
HEADER_ICON = 20  # px of a header's help icon
MIN_COLUMN = 60


def short_label(column: str) -> str:
    """The header a column shows: "95 % CI" for "<figure> 95 % CI" (it follows its figure's
    column), else the column's name."""
    return "95 % CI" if column.endswith(" 95 % CI") else column


def fitted_widths(shown: dict[str, tuple[str, list[str]]],
                  page: int = WIDE_TABLE_WIDTH) -> dict[str, int]:
    """Pixel widths of a table's columns (``{column: (header, cell texts)}``) that fit ``page``:
    each column as wide as its header and cells (:func:`ui.column_widths.other_column_width`,
    erring wide) when they all fit; else the headers wider than their cells are cut, all at the
    widest length that fits (the cells stay whole; the header's tooltip has it whole).

    >>> fitted_widths({"a": ("Accuracy", ["73.6 %"]), "b": ("Seeds", ["2"])})
    {'a': 94, 'b': 74}
    >>> fitted_widths({"s": ("Periodic retrain: samples between retrains", ["1,200"]),
    ...                "c": ("Contender", ["Periodic retrain"])}, page=300)
    {'s': 186, 'c': 113}
    """
    cells = {c: other_column_width("", texts) for c, (_, texts) in shown.items()}
    heads = {c: other_column_width(h, []) + HEADER_ICON for c, (h, _) in shown.items()}

    def widths(cap: int) -> dict[str, int]:
        return {c: max(MIN_COLUMN, cells[c], min(heads[c], cap)) for c in shown}

    cap = max([*heads.values(), MIN_COLUMN])
    while cap > MIN_COLUMN and sum(widths(cap).values()) > page:
        cap -= 2
    return widths(cap)


def fitted_config(table: pd.DataFrame, formats: dict, column_type, help: dict | None = None
                  ) -> dict:
    """Streamlit column settings of a What-if table: :func:`short_label` headers, widths that
    fit the page (:func:`fitted_widths`, from the texts ``formats`` gives the cells), each
    header's tooltip (``help``, else the column's whole name). ``column_type`` is
    ``st.column_config.Column``."""
    shown = {c: (short_label(c), [str(formats[c](v)) if c in formats else str(v)
                                  for v in table[c]]) for c in table.columns}
    widths = fitted_widths(shown)
    return {c: column_type(label=shown[c][0], width=widths[c],
                           help=(help or {}).get(c) or c.strip())
            for c in table.columns}
