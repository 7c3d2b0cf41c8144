"""Plain names, never internal keys (issue 13, walk-through point 1): the preset list showed
"lesson-no-change" and "gradual-recurring"; the Boundary tab said "Choose the blobs2d
generator" while the sidebar lists "2-D blobs"; the setup-changed note read "Stream source
blobs2d generator → …"; the HTML report's header said "20,000 samples of blobs2d"."""

from __future__ import annotations

import re

import pytest

from helpers import assert_clean, config, new_app
from lab.data.datasets import DATASETS
from lab.data.generators import GENERATORS
from lab.presets import PRESETS
from lab.race.report import _header
from lab.spec.labels import describe_changes, source_label
from ui import keys as K
from ui.editors import RACE_PRESETS
from ui.editors import source_label as sidebar_source_label
from ui.urls import encode_config

# a key as code writes it: a lower-case word joined by '-' or '_' or a digit run ("blobs2d")
_KEYLIKE = re.compile(r"^[a-z0-9]+([-_][a-z0-9]+)+$|^[a-z]+\d+[a-z]*$")


def test_every_preset_has_a_title_that_is_not_its_key():
    for name, preset in PRESETS.items():
        title = preset.display_name
        assert title and title != name and not _KEYLIKE.match(title), (name, title)
    assert PRESETS["lesson-no-change"].display_name.startswith("Lesson 15: ")


@pytest.mark.parametrize("source", [*GENERATORS, *(f"dataset:{k}" for k in DATASETS)])
def test_a_source_reads_as_the_sidebar_lists_it_everywhere(source):
    plain = source_label(source)
    assert plain == sidebar_source_label(source)
    assert plain != source and ":" not in plain and not _KEYLIKE.match(plain), plain
    assert not plain.endswith((" generator", " data set")), plain  # the unknown-key fallbacks
    before, after = config("sea"), config(source)
    if source != "sea":
        assert describe_changes(before, after) == f"Stream source SEA → {plain}"


def test_the_report_header_names_the_source_plainly():
    summary = {"config": {"seed": 42, "stream": {"source": "blobs2d"}}, "n_samples": 20000,
               "contenders": [{"name": "Online"}], "drifts": []}
    header = _header(summary)
    assert "20,000 samples of 2-D blobs" in header and "blobs2d" not in header, header
    summary["config"]["stream"]["source"] = "dataset:elec"
    assert "samples of Electricity (Elec2)" in _header(summary)


def test_the_app_lists_presets_by_title_and_loads_them_by_key():
    at = new_app()
    box = at.sidebar.selectbox(key=K.PRESET_CHOICE)
    assert box.options == [PRESETS[n].display_name for n in RACE_PRESETS]
    assert not any(_KEYLIKE.match(o) for o in box.options), box.options
    # the value is still the preset's key: picking a title loads that preset's config
    box.set_value("gradual-recurring").run()
    assert_clean(at)
    assert at.selectbox(key=K.SOURCE).value == "stagger"
    # the parameter fields' help names the source as the list does
    helps = [w.help for w in at.sidebar.number_input if w.help] + \
        [w.help for w in at.sidebar.checkbox if w.help]
    assert helps and all("stagger" not in h for h in helps), helps


def test_the_boundary_tab_asks_for_the_source_by_its_sidebar_name():
    at = new_app(config=encode_config(config("sea", n=1500)))  # a link races it at once
    assert_clean(at)
    at.session_state["result_tabs"] = "Boundary"
    at.run()
    boundary = [i.value for i in at.info if "decision-boundary" in i.value]
    assert boundary, [i.value for i in at.info]
    assert "**2-D blobs**" in boundary[0] and "blobs2d" not in boundary[0], boundary[0]
    assert "(SEA)" in boundary[0], boundary[0]


def test_a_config_the_app_cannot_open_lists_the_sources_by_their_sidebar_names():
    from lab.spec.errors import ConfigError
    from ui.state import state_from_config

    with pytest.raises(ConfigError) as error:
        state_from_config({"stream": {"source": "csv:/data/x.csv", "n_samples": 100}})
    message = str(error.value)
    assert "2-D blobs" in message and "Electricity (Elec2)" in message
    assert "blobs2d" not in message and "dataset:" not in message
