"""The Summary tab (``ui.tables``): the kappa family, balanced accuracy, macro F1 and the drift
metrics per contender, baselines marked and never "best", the story's rounding, header
tooltips that point to the glossary, and no sideways scrolling at 1366 or 1024 pixels.

Summaries are built by hand here, with and without the ``baseline`` / ``beats_no_change`` keys
(the baselines land separately), so each case is exact; one test renders a real race's.
"""

from __future__ import annotations

import json
import random
import re
import textwrap

import numpy as np
import pytest

from lab.race.drift_metrics import DRIFT_KEYS
from lab.race.kappa import SCORES
from lab.race.story import _pct, race_story, segment_labels
from ui import tables
from ui.text import GLOSSARY

DRIFTS = [{"at": 4000, "width": 0, "shape": "span", "start": 4000, "end": 4000},
          {"at": 7000, "width": 1000, "shape": "span", "start": 7000, "end": 8000}]
CONFIG = {"evaluation": {"warmup": 1000, "window": 500}, "stream": {"n_samples": 10000}}


def contender(name, accuracy, segments, *, drop=(0.2, 0.1), recovery=(300, None), **extra):
    """A summary entry with every key the tab reads; scores derived from ``accuracy``."""
    c = {"name": name, "status": "ok", "error": None, "accuracy": accuracy,
         "accuracy_by_segment": list(segments), "retrains": 2, "train_samples": 5000,
         "train_cpu_s": 0.5, "mean_staleness": 100.0, "max_staleness": 900,
         "max_drop": list(drop), "recovery": list(recovery),
         "area_lost": [150.0, -20.0], "pre_drift_accuracy": list(segments[:2]),
         "recovery_tolerance": [0.054, 0.061]}
    for k, score in enumerate(SCORES):
        c[score] = accuracy - 0.1 * (k + 1)
        c[f"{score}_by_segment"] = [s - 0.1 * (k + 1) for s in segments]
    c.update(extra)
    return c


def summary(contenders, drifts=DRIFTS):
    return {"n_scored": 9000, "complete": True, "drifts": drifts, "config": CONFIG,
            "contenders": contenders}


PLAIN = summary([contender("Frozen", 0.7, [0.9, 0.5, 0.7]),
                 contender("Online", 0.86, [0.88, 0.85, 0.84], drop=(0.05, 0.3),
                           recovery=(0, 120))])
WITH_BASELINES = summary([
    contender("Frozen", 0.7, [0.9, 0.5, 0.7], baseline=False, beats_no_change=False),
    contender("No change", 0.95, [0.95, 0.95, 0.95], baseline=True, beats_no_change=None,
              drop=(0.0, 0.0), recovery=(0, 0)),
    contender("Online", 0.86, [0.88, 0.85, 0.84], baseline=False, beats_no_change=True),
    contender("Majority", 0.5, [0.5, 0.5, 0.5], baseline=True, beats_no_change=False)])


def shown(table, column):
    return [tables.format_cell(column, v) for v in table[column]]


# ---------------------------------------------------------------------------------------------
# What the tables hold
# ---------------------------------------------------------------------------------------------
def test_every_score_and_drift_figure_of_the_summary_has_a_column():
    assert set(tables.SCORE_KEYS.values()) == {"accuracy", *SCORES}
    assert set(tables.DRIFT_KEYS.values()) == set(DRIFT_KEYS)
    overall, drifts = tables.overall_table(PLAIN), tables.drift_table(PLAIN)
    stretches = tables.stretch_table(PLAIN)
    assert set(tables.SCORE_KEYS) <= set(overall.columns)
    assert set(tables.SCORE_KEYS) <= set(stretches.columns)
    assert set(tables.DRIFT_KEYS) <= set(drifts.columns)
    frozen, online = PLAIN["contenders"]
    for col, key in tables.SCORE_KEYS.items():
        assert overall[col].tolist() == pytest.approx([frozen[key], online[key]])
        # per stretch: stretch by stretch, Frozen then Online
        assert stretches[col].tolist() == pytest.approx(
            [v for pair in zip(frozen[f"{key}_by_segment"], online[f"{key}_by_segment"])
             for v in pair])
    for col, key in tables.DRIFT_KEYS.items():
        expected = [x for pair in zip(frozen[key], online[key]) for x in pair]
        got = drifts[col].tolist()
        if key == "recovery":  # never back: +inf, shown "not back"
            expected = [np.inf if x is None else x for x in expected]
        if key == "area_lost":  # per sample of the 3,000 from the drift's start to the next
            expected = [x / 3000 for x in expected]
        assert got == pytest.approx(expected), col


def test_without_baseline_keys_the_table_has_no_baseline_marks():
    overall = tables.overall_table(PLAIN)
    assert "Beats no-change" not in overall.columns and "Error" not in overall.columns
    assert overall["Contender"].tolist() == ["Frozen", "Online"]
    assert not any(tables.is_baseline_row(label) for label in overall.index)
    assert tables.best_rows(overall)["Accuracy"] == ["contender:1"]


def test_baselines_come_last_marked_greyed_and_never_best():
    overall = tables.overall_table(WITH_BASELINES)
    assert overall["Contender"].tolist() == ["Frozen", "Online", "No change (baseline)",
                                             "Majority (baseline)"]
    assert shown(overall, "Beats no-change") == ["no", "yes", "–", "no"]
    best = tables.best_rows(overall)
    # No change is the most accurate row, but the best contender is Online
    assert best["Accuracy"] == ["contender:2"] and best["Kappa-T"] == ["contender:2"]
    styles = tables.cell_styles(overall)
    greyed = [label for label in overall.index
              if (styles.loc[label] == tables.BASELINE_STYLE).all()]
    assert greyed == ["baseline:1", "baseline:3"]
    assert tables.BEST_STYLE not in styles.loc[greyed].to_numpy()
    drift_best = tables.best_rows(tables.drift_table(WITH_BASELINES))
    assert all(not tables.is_baseline_row(label) for labels in drift_best.values()
               for label in labels)


def test_a_contender_named_like_a_baseline_is_still_a_contender():
    spoof = summary([contender("Sly (baseline)", 0.99, [0.99, 0.99, 0.99]),
                     contender("Online", 0.86, [0.88, 0.85, 0.84])])
    overall = tables.overall_table(spoof)
    assert not any(tables.is_baseline_row(label) for label in overall.index)
    assert tables.best_rows(overall)["Accuracy"] == ["contender:0"]


def test_drift_rows_not_back_and_not_measured():
    early = summary([contender("Frozen", 0.7, [0.9, 0.5, 0.7],
                               pre_drift_accuracy=[None, 0.5], max_drop=[None, 0.3],
                               recovery=[None, None], area_lost=[None, 40.0],
                               recovery_tolerance=[None, 0.06]),
                     contender("Online", 0.86, [0.88, 0.85, 0.84], recovery=(0, 50))])
    table = tables.drift_table(early)
    assert table["Drift"].tolist()[::2] == ["1: sudden drift at 4,000",
                                           "2: gradual drift at 7,000–8,000"]
    # drift 1 could not be measured for Frozen: "–", not "not back"; drift 2 never came back
    assert shown(table, "Recovery") == ["–", "0 samples", "not back", "50 samples"]
    assert shown(table, "Pre-drift level")[0] == "–"
    # per drift, the best among those measured; "not back" is never best
    assert tables.best_rows(table)["Recovery"] == ["contender:1:0", "contender:1:1"]


def test_a_failed_contender_shows_its_error_and_is_never_best():
    failed = {**contender("Broken", 0.99, [0.99, 0.99, 0.99]), "status": "failed",
              "error": "ValueError: boom"}
    overall = tables.overall_table(summary([failed, contender("Online", 0.8, [0.8] * 3)]))
    assert overall["Error"].tolist() == ["ValueError: boom", ""]
    assert tables.best_rows(overall)["Accuracy"] == ["contender:1"]


def test_a_stream_without_drifts_shows_overall_and_cost_tables_only():
    plain = summary([{**contender("A", 0.8, [0.8]), "max_drop": [], "recovery": [],
                      "area_lost": [], "pre_drift_accuracy": [], "recovery_tolerance": []}],
                    drifts=[])
    titles = [title for title, _, _ in tables.sections(plain)]
    assert titles == ["Overall scores", "Training time and model age"]
    assert tables.drift_table(plain).empty and tables.stretch_table(plain).empty


def test_stretches_are_the_storys():
    labels = [label for label, _, _ in segment_labels(PLAIN)]
    assert tables.stretch_table(PLAIN)["Stretch"].tolist()[::2] == labels


# ---------------------------------------------------------------------------------------------
# Same rounding as the story
# ---------------------------------------------------------------------------------------------
def test_percentages_round_as_the_story_does():
    rng = random.Random(11)
    halves = [k / 2000 for k in range(2001)]  # every x.x5 %: where roundings can differ
    for value in halves + [rng.random() for _ in range(5000)]:
        story = _pct(value).replace("\u00a0", " ")
        assert tables.format_cell("Accuracy", value) == story
        assert tables.format_cell("Max drop", value) == story.replace(" %", " pts")


def test_every_number_of_the_story_is_in_the_tables():
    """Accuracies at rounding edges: each percentage the story prints is a cell of the table
    that holds the same figure for the same contender, and each "dipped X points" a drop."""
    edge = summary([contender("Frozen", 0.74449999, [0.89449999, 0.48950001, 0.7],
                              drop=(0.38050001, 0.1), recovery=(None, 0)),
                    contender("Online", 0.86349999, [0.8885, 0.85449999, 0.84],
                              drop=(0.21549999, 0.3), recovery=(937, 120))])
    story = "\n".join(race_story(edge)).replace("\u00a0", " ")
    overall, stretches, drifts = (tables.overall_table(edge), tables.stretch_table(edge),
                                  tables.drift_table(edge))
    cells = set(shown(overall, "Accuracy")) | set(shown(stretches, "Accuracy"))
    percents = re.findall(r"\d+\.\d %", story)
    assert percents and set(percents) <= cells, (percents, cells)
    dips = [f"{x} pts" for x in re.findall(r"dipped (\d+\.\d) points", story)]
    assert dips and set(dips) <= set(shown(drifts, "Max drop"))
    backs = re.findall(r"back within ([\d,]+) samples", story)
    assert {f"{b} samples" for b in backs} <= set(shown(drifts, "Recovery"))


def test_the_styled_table_shows_the_formatted_values():
    html = tables.styled(tables.overall_table(PLAIN)).to_html()
    cells = [cell.strip() for cell in re.findall(r"<td[^>]*>([^<]*)</td>", html)]
    # 5,000 trained samples of a race through 10,000 (warm-up 1,000, 9,000 scored): 0.5×
    assert {"86.0 %", "0.760", "70.0 %", "0.600", "5,000 (0.5× stream)"} <= set(cells), cells
    assert not {"0.86", "0.7", "5000"} & set(cells)  # no raw value slips through


# ---------------------------------------------------------------------------------------------
# Tooltips and the glossary
# ---------------------------------------------------------------------------------------------
def test_every_header_has_a_tooltip_that_names_a_glossary_entry():
    terms = {term for term, _ in GLOSSARY}
    for source in (PLAIN, WITH_BASELINES):
        for _, _, table in tables.sections(source):
            config = tables.column_config(table, lambda **kw: kw)
            assert set(config) == set(table.columns)
            for col, settings in config.items():
                assert settings["help"], col
                spec = tables.COLUMNS[col]
                if spec.glossary:
                    assert spec.glossary in terms, (col, spec.glossary)
                    assert f"Glossary: {spec.glossary}." in settings["help"]
    # every score and drift figure points somewhere to read more
    for col in [*tables.SCORE_KEYS, *tables.DRIFT_KEYS, "Beats no-change"]:
        assert tables.COLUMNS[col].glossary in terms, col


def test_glossary_explains_the_new_scores():
    glossary = dict(GLOSSARY)
    assert all(w in glossary["Kappa"] for w in ("kappa-M", "kappa-T", "Cohen"))
    assert "Balanced accuracy" in glossary["Balanced accuracy and macro F1"]
    assert "Macro F1" in glossary["Balanced accuracy and macro F1"]
    assert "no-change" in glossary["Baselines"] and "majority" in glossary["Baselines"]
    for word in ("pre-drift level", "noise margin"):
        assert word in glossary["Drop and recovery after a drift"]


# ---------------------------------------------------------------------------------------------
# Rendered by Streamlit (AppTest, hand-built summaries)
# ---------------------------------------------------------------------------------------------
def _render(data):
    from ui import tables as t

    t.show_summary(data, caption="caption")


# the columns each table shows before any choice (a hand-written list: the tables' contract)
OVERALL_DEFAULT = ["Contender", "Accuracy", "Kappa", "Retrains", "Trained samples"]
DRIFT_DEFAULT = ["Contender", "Pre-drift level", "Max drop", "Recovery", "Accuracy lost"]
STRETCH_DEFAULT = ["Contender", "Accuracy", "Kappa"]
COST_DEFAULT = ["Contender", "Training CPU s", "Mean staleness", "Mean data age"]
MORE = "More columns:"


@pytest.mark.parametrize("source", [PLAIN, WITH_BASELINES], ids=["plain", "baselines"])
def test_the_tab_renders_each_table_as_one_grid_of_its_default_columns(source):
    """One grid per table (a long table one per drift or stretch, titled by it), never split
    into parts: each shows the default columns, every one of them whole, and a chooser beside
    the title offers the rest; no Status column when every contender finished "ok"."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_function(_render, args=(source,), default_timeout=30).run()
    assert not at.exception, [e.value for e in at.exception]
    frames = list(at.dataframe)
    verdict = ["Beats no-change"] if source is WITH_BASELINES else []
    overall = OVERALL_DEFAULT[:3] + verdict + OVERALL_DEFAULT[3:]
    expected = [overall] + [DRIFT_DEFAULT] * 2 + [STRETCH_DEFAULT] * 3 + [COST_DEFAULT]
    assert [list(f.proto.column_order) for f in frames] == expected
    choosers = {c.key: list(c.options) for c in at.button_group}
    assert choosers == {
        "summary_table_columns": ["Kappa-M", "Kappa-T", "Balanced acc.", "Macro F1"],
        "summary_drifts_columns": ["Noise margin"],
        "summary_stretches_columns": ["Kappa-M", "Kappa-T", "Balanced acc.", "Macro F1"],
        "summary_costs_columns": ["Max staleness"]}
    first = frames[0]
    assert first.value["Contender"].tolist() == tables.overall_table(source)["Contender"].tolist()
    columns = json.loads(first.proto.columns)
    assert "Glossary: Baselines." in columns["Contender"]["help"]
    assert "Glossary: Kappa." in columns["Kappa-T"]["help"]  # a chosen column has its tooltip
    titles = [c.value for c in at.caption if c.value != MORE]
    assert [c.value for c in at.caption].count(MORE) == 4
    assert titles[:2] == [tables.drift_label(source, 0), tables.drift_label(source, 1)]
    assert titles[2:5] == [label for label, _, _ in segment_labels(source)]


def test_a_chosen_column_appears_in_its_table_only_and_survives_a_rerun():
    """Picking "Macro F1" in the overall table's chooser adds it there (in the table's order,
    after the kappa), not to the per-stretch tables; it stays after a rerun and after a rerun
    without the chooser (another result tab open: the tabs build only the open one)."""
    from streamlit.testing.v1 import AppTest

    def page(data):
        import streamlit as st

        from ui import tables as t

        if st.session_state.get("show", True):
            t.show_summary(data, caption="caption")

    at = AppTest.from_function(page, args=(PLAIN,), default_timeout=30).run()
    at.button_group(key="summary_table_columns").set_value(["Macro F1"]).run()
    assert not at.exception, [e.value for e in at.exception]
    want = ["Contender", "Accuracy", "Kappa", "Macro F1", "Retrains", "Trained samples"]
    assert list(at.dataframe[0].proto.column_order) == want
    assert list(at.dataframe[3].proto.column_order) == STRETCH_DEFAULT
    at.run()
    assert list(at.dataframe[0].proto.column_order) == want
    at.session_state["show"] = False
    at.run()
    assert not at.dataframe
    at.session_state["show"] = True
    at.run()
    assert list(at.dataframe[0].proto.column_order) == want
    at.button_group(key="summary_table_columns").set_value([]).run()
    assert list(at.dataframe[0].proto.column_order) == OVERALL_DEFAULT


def test_status_is_a_default_column_only_when_a_contender_failed():
    failed = {**contender("Broken", 0.99, [0.99, 0.99, 0.99]), "status": "failed",
              "error": "ValueError: boom"}
    with_failure = tables.overall_table(summary([failed, contender("Online", 0.8, [0.8] * 3)]))
    assert tables.default_columns(with_failure) == ["Contender", "Status", *OVERALL_DEFAULT[1:]]
    assert "Error" in tables.optional_columns(with_failure)  # the warning above says why
    assert "Status" not in tables.default_columns(tables.overall_table(PLAIN))
    assert "Status" not in tables.optional_columns(tables.overall_table(PLAIN))
    # a name no table has is ignored
    assert tables.shown_columns(tables.overall_table(PLAIN), ["Error", "Nope"]) == \
        OVERALL_DEFAULT


@pytest.mark.slow
def test_in_the_app_a_failed_contender_brings_the_status_column():
    """A race (opened from a link) where one contender fails at its first fit (as in
    tests/test_app.py): the overall table shows Status among its default columns (and only
    those), and it reads "failed"."""
    from helpers import config, new_app
    from ui.urls import encode_config

    broken = {"name": "Broken", "model": {"name": "sk.logistic_regression",
                                          "params": {"solver": "newton-cg", "penalty": "l1"}},
              "policy": {"kind": "frozen"}}  # valid values, a combination that fails to fit
    online = {"name": "Online", "model": "river.gaussian_nb", "policy": {"kind": "online"}}
    cfg = config(n=2000, drifts=[{"at": 1000}], contenders=[broken, online])
    at = new_app(config=encode_config(cfg))
    at.session_state["result_tabs"] = "Summary"  # the tabs build only the open one
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    frame = at.dataframe[0]
    # the app races the baselines by default: "Beats no-change" is a default column too
    assert list(frame.proto.column_order) == ["Contender", "Status", "Accuracy", "Kappa",
                                              "Beats no-change", "Retrains", "Trained samples"]
    status = dict(zip(frame.value["Contender"], frame.value["Status"]))
    assert status["Broken"] == "failed" and status["Online"] == "ok"


def test_default_columns_fit_a_1024_pixel_page_and_names_stay_on_one_line():
    """By the width estimate (erring wide by ESTIMATE_SLACK px a column at least; checked in
    chromium below): the name column plus the default columns within PAGE_TABLE_WIDTH, with a
    failure's Status column too, and the default names in one-line rows; a long name wraps in
    the room left. Session 9's walk-through: next to a failure's Status column the name
    column was squeezed to 138 px in 65-pixel rows, "No-change baseline" fitting or not (in
    chromium, the same table with 153 px drew in one-line rows and scrolled at neither 1366 nor
    1024 px)."""
    from ui.column_widths import (
        ESTIMATE_SLACK,
        PAGE_TABLE_WIDTH,
        name_column_layout,
        other_column_width,
    )

    wide = wide_names_summary()
    failed = {**PLAIN["contenders"][0], "status": "failed", "error": "x"}
    with_failure = summary([failed, PLAIN["contenders"][1]])
    # the app's default race with a failure: preset names and the app's baseline names
    app_like = summary([
        contender("Frozen batch", 0.7, [0.9, 0.5, 0.7], baseline=False, beats_no_change=True),
        contender("Periodic retrain", 0.8, [0.9, 0.7, 0.8], baseline=False,
                  beats_no_change=True),
        {**contender("Broken", 0.5, [0.5] * 3, baseline=False), "status": "failed",
         "error": "x", "accuracy": None},
        contender("No-change baseline", 0.6, [0.6] * 3, baseline=True, beats_no_change=None),
        contender("Majority baseline", 0.5, [0.5] * 3, baseline=True, beats_no_change=False)])
    assert "Status" in tables.default_columns(tables.overall_table(app_like))
    for source in (PLAIN, WITH_BASELINES, wide, with_failure, app_like):
        for _, _, table in tables.sections(source):
            width, row_height = tables.name_layout(table)
            shown = tables.default_columns(table)[1:]
            others = sum(other_column_width(c, [tables.format_cell(c, v) for v in table[c]])
                         for c in shown)
            assert width + others - ESTIMATE_SLACK * len(shown) <= PAGE_TABLE_WIDTH, (
                source is wide, list(table.columns))
            if source is not wide:
                assert row_height is None  # the grid's compact one-line rows
    # the overall table of the app-like race: "No-change baseline" on one line
    width, _ = tables.name_layout(tables.overall_table(app_like))
    assert width >= name_column_layout(["No-change baseline"], "Contender")[0]
    # a 60-character name wraps, in a column that leaves room for the figures
    width, row_height = tables.name_layout(tables.overall_table(wide))
    assert width <= 300 and row_height is not None


# ---------------------------------------------------------------------------------------------
# In a browser at 1366 x 768 and 1024 x 768: nothing scrolls sideways
# ---------------------------------------------------------------------------------------------
HARNESS = textwrap.dedent('''
    """A page like the app's (wide layout, sidebar open, the app's padding) showing the Summary
    tab of a hand-built summary, plus one deliberately too wide table as a control."""
    import json
    import numpy as np
    import pandas as pd
    import streamlit as st
    st.set_page_config(layout="wide", initial_sidebar_state="expanded")
    st.markdown('<style>[data-testid="stMainBlockContainer"] {{padding: 1.5rem 2.2rem 2rem '
                '2.2rem; max-width: none;}}</style>', unsafe_allow_html=True)
    st.sidebar.text_input("Stream", key="sidebar_filler")
    from ui import tables
    tab, _ = st.tabs(["Summary", "Other"])
    with tab:
        tables.show_summary(json.loads(open({path!r}).read()), caption="caption")
        st.dataframe(pd.DataFrame(np.zeros((2, 30)), columns=[f"a long column {{i}}"
                                                             for i in range(30)]), key="too_wide")
''')

OVERFLOW_JS = """el => { const s = el.querySelector('.dvn-scroller');
                         return [s.scrollWidth, s.clientWidth]; }"""

# Streamlit's grid (glide-data-grid) draws on a canvas: what it draws is read by recording every
# fillText with its position (canvas pixels) and width. A name cut by its column is still drawn
# whole (the canvas clips it), so the check is geometric: see names_drawn_whole.
RECORD_TEXT_JS = """() => {
  window.__texts = new Map();
  const fill = CanvasRenderingContext2D.prototype.fillText;
  CanvasRenderingContext2D.prototype.fillText = function (text, x, y, ...rest) {
    const t = this.getTransform(), list = window.__texts.get(this.canvas) || [];
    window.__texts.set(this.canvas, list);
    list.push([String(text), t.a * x + t.c * y + t.e, t.b * x + t.d * y + t.f,
               this.measureText(String(text)).width * t.a]);
    return fill.call(this, text, x, y, ...rest);
  };
}"""
# per table (stDataFrame, in page order): the texts of its canvases (header and cells)
TEXTS_JS = """() => {
  const frames = [...document.querySelectorAll('[data-testid="stDataFrame"]')];
  const out = frames.map(() => []);
  for (const [canvas, list] of window.__texts) {
    const i = frames.findIndex(f => f.contains(canvas));
    if (i >= 0) out[i].push(...list);
  }
  return out;
}"""
WIDTH_JS = "() => document.querySelector('[data-testid=stMainBlockContainer]').clientWidth"
CELL_PADDING = 8  # the grid's horizontal padding on each side of a cell's text
TALL = 6000  # px: a window this high shows every row of every table, so the grid draws them


def redrawn_texts(page, width=1366):
    """Every table's drawn texts ``[text, x, y, width]`` after a full redraw ``width`` px wide
    and :data:`TALL` px high (the grid draws only the rows in the window; the height changes
    no column's width: checked), keeping only the frames drawn after the page was widened by
    a pixel and put back."""
    from browser_fixtures import wait_idle

    main_width = page.evaluate(WIDTH_JS)
    page.set_viewport_size({"width": width + 1, "height": TALL})
    page.wait_for_timeout(800)
    page.evaluate("() => window.__texts.clear()")
    page.set_viewport_size({"width": width, "height": TALL})
    page.wait_for_timeout(1500)
    wait_idle(page, run_due=False)  # a resize starts no run
    assert page.evaluate(WIDTH_JS) == main_width  # the same columns as in a 768-px window
    texts = page.evaluate(TEXTS_JS)
    page.set_viewport_size({"width": width, "height": 768})
    return texts


def names_drawn_whole(texts, names) -> list[str]:
    """Problems with how each grid whose header has "Contender" drew ``names`` (empty: every
    name whole). In such a grid, every name must be drawn in its column (left-aligned under the
    header, in one line or several: the grid wraps in tall rows), each line no wider than the
    column less its padding (else it is cut on the right), and the lines centred on the row
    (the grid centres a cell's text when it fits the row, and starts it at the top when it does
    not, then clips it: a name cut at the bottom is off-centre)."""
    headers = set(tables.COLUMNS)
    problems, grids = [], 0
    for records in texts:
        top = min((y for _, _, y, _ in records), default=0)  # the header row
        head = sorted((x, text) for text, x, y, _ in records
                      if abs(y - top) < 1 and text in headers)
        if "Contender" not in [text for _, text in head]:
            continue
        grids += 1
        x0 = next(x for x, text in head if text == "Contender")
        x1 = min((x for x, _ in head if x > x0 + 5), default=None)
        room = (x1 - x0 - 2 * CELL_PADDING) if x1 is not None else float("inf")
        column = sorted({(round(y, 1), text, round(w, 1)) for text, x, y, w in records
                         if abs(x - x0) < 1.5 and y > top + 1})  # each frame draws it again
        others = [(x, y) for text, x, y, _ in records if abs(x - x0) >= 1.5 and y > top + 1]
        for name in names:
            block = _block_of(column, name)
            if block is None:
                problems.append(f"{name!r} not drawn whole in its column ({head})")
                continue
            for _, line, w in block:
                if w > room + 0.5:
                    problems.append(f"{line!r} of {name!r} is {w:.0f} px in {room:.0f} px")
            y_first, y_last = block[0][0], block[-1][0]
            row = [(x, y) for x, y in others if y_first - 1 <= y <= y_last + 1]
            if row:  # the rightmost cell of the row: a number, one line, centred
                centre = max(row)[1]
                if abs((y_first + y_last) / 2 - centre) > 1.0:
                    problems.append(f"{name!r} ({len(block)} lines) overflows its row")
    if not grids:
        problems.append("no grid with a Contender column was drawn")
    return problems


def _block_of(column, name):
    """The consecutive lines of ``column`` (``(y, text, width)`` sorted by y) that spell
    ``name`` (the grid drops the spaces where it wraps), or None."""
    target = name.replace(" ", "")
    for start in range(len(column)):
        spelled = ""
        for end in range(start, len(column)):
            spelled += column[end][1].replace(" ", "")
            if spelled == target:
                return column[start:end + 1]
            if not target.startswith(spelled):
                break
    return None


ORACLE_NAME = "Best schedule in hindsight (oracle)"  # the oracle policy's label, a new name
SIXTY = "Periodic retrain of the logistic model on the latest samples"  # 60 characters


def test_sixty_character_name_is_sixty_characters():
    from lab.spec.experiment import MAX_NAME_CHARS

    assert len(SIXTY) == MAX_NAME_CHARS == 60


def test_names_drawn_whole_sees_a_cut_name():
    """The check fails for a name wider than its column, for one cut at the row's bottom
    (off-centre) and for one whose last line was not drawn."""
    header = [["Contender", 10, 5, 60], ["Status", 110, 5, 40]]
    ok = [["Frozen batch", 10, 40, 80], ["ok", 110, 40, 12]]
    assert names_drawn_whole([header + ok], ["Frozen batch"]) == []
    wide = [["Frozen batch retrained", 10, 40, 140], ["ok", 110, 40, 12]]
    assert "px in" in names_drawn_whole([header + wide], ["Frozen batch retrained"])[0]
    low = [["Frozen", 10, 30, 40], ["batch", 10, 52, 40], ["ok", 110, 36, 12]]
    assert "overflows" in names_drawn_whole([header + low], ["Frozen batch"])[0]
    assert "not drawn whole" in names_drawn_whole([header + low[:1] + low[2:]],
                                                  ["Frozen batch"])[0]


def wide_names_summary():
    """Seven contenders and two baselines, names from the presets' longest to the longest allowed
    (a 60-character sentence, and wide letters), the oracle, three drifts, six-digit figures: a
    wide Summary."""
    from lab.spec.experiment import MAX_NAME_CHARS

    names = ["Periodic retrain (all data)", "Drift-triggered retrain", "Online Hoeffding tree",
             "Online, labels 2,000 late", SIXTY, "W" * MAX_NAME_CHARS, ORACLE_NAME]
    drifts = DRIFTS + [{"at": 9000, "width": 0, "shape": "span", "start": 9000, "end": 9000}]
    out = []
    for i, name in enumerate(names):
        c = contender(name, 0.8, [0.8, 0.7, 0.75, 0.9], drop=(0.2, 0.1, 0.05),
                      recovery=(12345, None, 0), baseline=False, beats_no_change=i % 2 == 0)
        c["area_lost"] = [123456.0, -20.0, 5.0]
        c["pre_drift_accuracy"] = [0.8, 0.7, 0.75]
        c["recovery_tolerance"] = [0.05, 0.05, 0.05]
        if name == ORACLE_NAME:
            c["oracle"] = True
        out.append(c)
    for name in ("No change", "Majority class"):
        out.append({**out[0], "name": name, "baseline": True, "beats_no_change": None})
    return summary(out, drifts=drifts)


def frame_count(data: dict) -> int:
    """How many grids the Summary tab of ``data`` draws: one per table, a long table one per
    drift or stretch (1 + drifts + stretches + 1), never a table split into parts."""
    drifts = len(data["drifts"])
    return 1 + drifts + (drifts + 1) + 1 if drifts else 2


@pytest.mark.slow
@pytest.mark.browser
def test_no_summary_table_scrolls_sideways_at_1366_or_1024(page, tmp_path, artifacts):
    """Every table fits, and every name (the oracle's, a 60-character one, 60 "W"s) is whole,
    at 1366 and at 1024 px wide (sidebar open: 654 px for the tables)."""
    from playwright.sync_api import expect

    from browser_fixtures import streamlit_server, wait_idle

    data = tmp_path / "summary.json"
    data.write_text(json.dumps(wide_names_summary()))
    script = tmp_path / "summary_page.py"
    script.write_text(HARNESS.format(path=str(data)))
    page.add_init_script(f"({RECORD_TEXT_JS})()")
    n = frame_count(wide_names_summary())
    names = [c["name"] for c in wide_names_summary()["contenders"] if not c.get("baseline")]
    with streamlit_server(tmp_path, script=script) as (url, _):
        page.goto(url)
        frames = page.get_by_test_id("stDataFrame")
        expect(frames).to_have_count(n + 1, timeout=60_000)
        wait_idle(page)
        for width in (1366, 1024):
            page.set_viewport_size({"width": width, "height": 768})
            page.wait_for_timeout(500)
            texts = redrawn_texts(page, width)
            page.screenshot(path=str(artifacts / f"summary_tab_{width}.png"), full_page=True)
            sizes = [frames.nth(i).evaluate(OVERFLOW_JS) for i in range(n + 1)]
            *summary_tables, control = sizes
            assert control[0] > control[1], control  # the measure sees a table that scrolls
            for scroll_width, client_width in summary_tables:
                assert scroll_width <= client_width, (width, sizes)
            assert names_drawn_whole(texts, names) == [], width


# The same checks in the app itself, on a race (opened from a link) with the oracle and a contender
# named with 60 characters: tests/test_chart_glance_browser.py (one page and one race with the
# Net cost and What-if checks, so the suite loads that race once).
