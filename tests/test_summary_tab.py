"""The Summary tab (``ui.tables``): the kappa family, balanced accuracy, macro F1 and the drift
metrics per contender, baselines marked and never "best", the story's rounding, header
tooltips that point to the glossary, and no sideways scrolling at 1366 pixels.

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

from browser_fixtures import *  # noqa: F401,F403  (chromium for the browser test below)
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
    assert shown(table, "Recovery") == ["–", "0", "not back", "50"]
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
    assert set(backs) <= set(shown(drifts, "Recovery"))


def test_the_styled_table_shows_the_formatted_values():
    html = tables.styled(tables.overall_table(PLAIN)).to_html()
    cells = [cell.strip() for cell in re.findall(r"<td[^>]*>([^<]*)</td>", html)]
    assert {"86.0 %", "0.760", "70.0 %", "0.600", "5,000"} <= set(cells), cells
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


@pytest.mark.parametrize("source", [PLAIN, WITH_BASELINES], ids=["plain", "baselines"])
def test_the_tab_renders_each_table_with_tooltips(source):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_function(_render, args=(source,), default_timeout=30).run()
    assert not at.exception, [e.value for e in at.exception]
    keys = [key for _, key, _ in tables.sections(source)]
    assert len(at.dataframe) == len(keys) == 4
    first = at.dataframe[0]
    assert first.value["Contender"].tolist() == tables.overall_table(source)["Contender"].tolist()
    columns = json.loads(first.proto.columns)
    assert "Glossary: Kappa." in columns["Kappa-T"]["help"]
    assert "Glossary: Baselines." in columns["Contender"]["help"]


# ---------------------------------------------------------------------------------------------
# In a browser at 1366 x 768: nothing scrolls sideways
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


def wide_names_summary():
    """Six contenders and two baselines, names from the presets' longest to the longest allowed
    (wide letters), three drifts, six-digit figures: a wide Summary."""
    from lab.spec.experiment import MAX_NAME_CHARS

    names = ["Periodic retrain (all data)", "Drift-triggered retrain", "Online Hoeffding tree",
             "Online, labels 2,000 late", "Nightly batch retrain", "W" * MAX_NAME_CHARS]
    drifts = DRIFTS + [{"at": 9000, "width": 0, "shape": "span", "start": 9000, "end": 9000}]
    out = []
    for i, name in enumerate(names):
        c = contender(name, 0.8, [0.8, 0.7, 0.75, 0.9], drop=(0.2, 0.1, 0.05),
                      recovery=(12345, None, 0), baseline=False, beats_no_change=i % 2 == 0)
        c["area_lost"] = [123456.0, -20.0, 5.0]
        c["pre_drift_accuracy"] = [0.8, 0.7, 0.75]
        c["recovery_tolerance"] = [0.05, 0.05, 0.05]
        out.append(c)
    for name in ("No change", "Majority class"):
        out.append({**out[0], "name": name, "baseline": True, "beats_no_change": None})
    return summary(out, drifts=drifts)


@pytest.mark.slow
@pytest.mark.browser
def test_no_summary_table_scrolls_sideways_at_1366(page, tmp_path, artifacts):
    from playwright.sync_api import expect

    from browser_fixtures import streamlit_server, wait_idle

    data = tmp_path / "summary.json"
    data.write_text(json.dumps(wide_names_summary()))
    script = tmp_path / "summary_page.py"
    script.write_text(HARNESS.format(path=str(data)))
    with streamlit_server(tmp_path, script=script) as (url, _):
        page.goto(url)
        frames = page.get_by_test_id("stDataFrame")
        expect(frames).to_have_count(5, timeout=60_000)
        wait_idle(page)
        page.screenshot(path=str(artifacts / "summary_tab_1366.png"), full_page=True)
        sizes = [frames.nth(i).evaluate(OVERFLOW_JS) for i in range(5)]
    *summary_tables, control = sizes
    assert control[0] > control[1], control  # the measure sees a table that does scroll
    for scroll_width, client_width in summary_tables:
        assert scroll_width <= client_width, sizes


@pytest.mark.slow
@pytest.mark.browser
def test_the_apps_summary_tab_fits_1366_after_the_default_race(page, app_url, artifacts):
    """The same check in the app itself: the default race, its Summary tab, every table."""
    from playwright.sync_api import expect
    from test_browser import RUN_BUTTON, assert_no_errors, open_app

    from browser_fixtures import wait_idle

    open_app(page, app_url)
    page.locator(RUN_BUTTON).first.click()
    expect(page.get_by_role("tab", name="Summary")).to_be_visible(timeout=60_000)
    wait_idle(page)
    page.get_by_role("tab", name="Summary").click()
    wait_idle(page)
    frames = page.get_by_role("tabpanel", name="Summary").get_by_test_id("stDataFrame")
    expect(frames).to_have_count(4)  # the default preset has drifts: all four tables
    assert_no_errors(page)
    page.mouse.move(700, 50)
    page.screenshot(path=str(artifacts / "summary_tab_app_1366.png"), full_page=True)
    for i in range(4):
        scroll_width, client_width = frames.nth(i).evaluate(OVERFLOW_JS)
        assert scroll_width <= client_width, (i, scroll_width, client_width)
