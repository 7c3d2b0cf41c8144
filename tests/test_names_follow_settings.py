"""Contender names follow their settings until the user types one (issue 13, point 2).

"Add a contender" gives "Online (Hoeffding tree)"; changed to hybrid it must read "Hybrid
(Hoeffding tree)", not keep a name that says online. A typed name sticks. Two contenders with
the same policy and model are told apart by the setting in which they differ; "(2)" only when
they are the same. The story never ranks two contenders under one name.
"""

from __future__ import annotations

import doctest
import json

import pytest

import ui.contenders
from helpers import assert_clean, new_app
from lab.presets import load_preset
from ui import contenders as C
from ui import state as S

NEW = 4  # the default preset has contenders 0-3 and two drifts: the next uid is 4


def names(at) -> list[str]:
    return [at.text_input(key=S.contender_key(u, "name")).value
            for u in at.session_state["contender_ids"]]


def test_doctests():
    assert doctest.testmod(ui.contenders).failed == 0


def test_policy_and_model_words():
    assert C.base_name("online", "river.hoeffding_tree") == "Online (Hoeffding tree)"
    assert C.base_name("hybrid", "river.hoeffding_tree") == "Hybrid (Hoeffding tree)"
    assert C.base_name("minibatch", "river.gaussian_nb") == "Mini-batch updates (Gaussian NB)"
    assert C.base_name("frozen", "sk.sgd") == "Frozen (SGD)"
    assert C.model_words("river.knn") == "k-NN"


def two(kind_a="online", kind_b="online", model="river.hoeffding_tree", **fields) -> dict:
    state = {"contender_ids": [0, 1]}
    for uid, kind in ((0, kind_a), (1, kind_b)):
        state.update(S.contender_state(uid, {"name": "x", "model": model,
                                             "policy": {"kind": kind}}))
        state[S.contender_key(uid, "name")] = C.base_name(kind, model)
        state[S.contender_key(uid, C.AUTONAME)] = C.base_name(kind, model)  # as the app gave it
    for key, value in fields.items():
        state[key] = value
    return state


def test_same_settings_get_a_number_different_settings_say_how():
    state = two()
    C.settle(state)
    assert names_of(state) == ["Online (Hoeffding tree)", "Online (Hoeffding tree) (2)"]
    state = two("periodic", "periodic", "sk.logistic_regression", c1_every=1000)
    C.settle(state)
    assert names_of(state) == ["Periodic retrain (Logistic regression, every 2,000)",
                               "Periodic retrain (Logistic regression, every 1,000)"]
    # back to the same settings: back to a number
    state[S.contender_key(1, "every")] = 2000
    C.settle(state)
    assert names_of(state) == ["Periodic retrain (Logistic regression)",
                               "Periodic retrain (Logistic regression) (2)"]
    # the same words for two libraries' models: the library tells them apart
    state = two("frozen", "frozen", "sk.logistic_regression",
                c1_model="river.logistic_regression")
    C.settle(state)
    assert names_of(state) == ["Frozen (Logistic regression, scikit-learn)",
                               "Frozen (Logistic regression, river)"]


def names_of(state) -> list[str]:
    return [state[S.contender_key(u, "name")] for u in state["contender_ids"]]


def test_typed_names_stick_and_auto_names_avoid_them():
    state = two()
    state[S.contender_key(0, "name")] = "Online (Hoeffding tree) (2)"  # typed by the user
    state[S.contender_key(0, C.AUTONAME)] = "Online (Hoeffding tree)"
    state[S.contender_key(1, "kind")] = "hybrid"
    C.settle(state)
    assert names_of(state) == ["Online (Hoeffding tree) (2)", "Hybrid (Hoeffding tree)"]
    state[S.contender_key(1, "kind")] = "online"
    C.settle(state)  # the auto name must not take the typed one
    assert names_of(state) == ["Online (Hoeffding tree) (2)", "Online (Hoeffding tree)"]


def loaded(preset: str = "default") -> dict:
    """A preset's contenders as the page holds them after loading it (one settle on load)."""
    state = S.state_from_config(load_preset(preset).to_dict())
    C.settle(state)
    return state


PRESET_NAMES = ["Frozen batch", "Periodic retrain", "Drift-triggered", "Online"]


def test_a_preset_name_follows_its_settings_until_the_user_types_one():
    state = loaded()
    assert names_of(state) == PRESET_NAMES  # loading renames nothing
    state["c3_model"] = "river.hoeffding_tree"  # the walk-through's change
    C.settle(state)
    assert names_of(state)[3] == "Online (Hoeffding tree)"
    state["c3_model"] = "river.logistic_regression"  # back to the preset's settings
    C.settle(state)
    assert names_of(state)[3] == "Online"
    state["c3_kind"] = "hybrid"  # a policy change too
    C.settle(state)
    assert names_of(state)[3] == "Hybrid (Logistic regression)"
    state["c0_model"] = "sk.decision_tree"
    state["c1_every"] = 2000  # a setting the name does not spell out: it keeps its name
    C.settle(state)
    assert names_of(state)[:3] == ["Frozen (Decision tree)", "Periodic retrain",
                                   "Drift-triggered"]
    state["c1_model_params"] = '{"C": 0.5}'  # the model's parameters are part of the model
    C.settle(state)
    assert names_of(state)[1] == "Periodic retrain (Logistic regression)"
    # a name the user types sticks, whatever changes next
    state["c2_name"] = "Mine"
    state["c2_model"] = "sk.gaussian_nb"
    C.settle(state)
    assert names_of(state)[2] == "Mine"
    # a lesson's name that spells out a setting follows it
    lesson = loaded("lesson-budget")
    uid = next(u for u in lesson["contender_ids"]
               if lesson[S.contender_key(u, "name")] == "Retrain every 1,000")
    assert C.spelled_fields(lesson, uid) == ("every",)
    lesson[S.contender_key(uid, "every")] = 1500
    C.settle(lesson)
    assert lesson[S.contender_key(uid, "name")] == "Periodic retrain (Gaussian NB)"
    lesson[S.contender_key(uid, "every")] = 1000
    C.settle(lesson)
    assert lesson[S.contender_key(uid, "name")] == "Retrain every 1,000"


def test_the_settings_a_name_spells_out():
    state = loaded("stable")  # "Periodic retrain (all data)", every 4,000
    assert C.spelled_fields(state, 1) == ("data",)
    assert [C.spelled_fields(state, u) for u in (0, 2)] == [(), ()]
    state["c1_name"] = "Every 4,000, window 500"
    state["c1_window"] = 500
    assert C.spelled_fields(state, 1) == ("every", "window")
    state["c1_name"] = "Every 14,000 or 4,000,000 or 4,0001"  # not inside another number
    assert C.spelled_fields(state, 1) == ()


def test_a_users_loaded_name_sticks_even_if_it_reads_like_a_presets():
    state = loaded()
    state["c3_name"] = "My online"  # as from the user's own config file
    del state["c3_autoname"], state["c3_named_for"]
    C.settle(state)
    state["c3_name"] = "Online"  # typed afterwards: still the user's
    state["c3_model"] = "river.hoeffding_tree"
    C.settle(state)
    assert names_of(state)[3] == "Online"
    # a file's "Online" for a frozen contender is the user's name, not the preset's
    state = S.state_from_config({**load_preset("default").to_dict(), "contenders": [
        {"name": "Online", "model": "sk.gaussian_nb", "policy": {"kind": "frozen"}}]})
    C.settle(state)
    state["c0_model"] = "sk.decision_tree"
    C.settle(state)
    assert names_of(state) == ["Online"]


def test_preset_names_never_collide_with_added_or_copied_contenders():
    state = loaded()
    state["c3_model"] = "river.hoeffding_tree"
    new = C.add_contender(state)  # "Online (Hoeffding tree)" too: told apart by a number
    C.settle(state)
    assert names_of(state)[3:] == ["Online (Hoeffding tree)", "Online (Hoeffding tree) (2)"]
    copy_ = C.add_contender(state, after=0)  # a copy of "Frozen batch", same settings
    C.settle(state)
    assert state[S.contender_key(copy_, "name")] == "Frozen batch (2)"
    state[S.contender_key(copy_, "model")] = "sk.decision_tree"
    C.settle(state)
    assert state[S.contender_key(copy_, "name")] == "Frozen (Decision tree)"
    assert state["c0_name"] == "Frozen batch"
    # a copy of a typed name is "<name> copy"
    state[S.contender_key(new, "name")] = "My tree"
    mine = C.add_contender(state, after=new)
    C.settle(state)
    assert state[S.contender_key(mine, "name")] == "My tree copy"
    assert len(set(names_of(state))) == len(names_of(state))


@pytest.mark.slow
def test_add_a_contender_then_change_its_policy_and_model():
    at = new_app()
    # the walk-through: the default race's "Online" (river logistic regression) changed to a
    # Hoeffding tree kept the name "Online"; a preset's name follows its settings
    assert names(at) == PRESET_NAMES
    at.selectbox(key="c3_model").set_value("river.hoeffding_tree").run()
    assert_clean(at)
    assert names(at) == PRESET_NAMES[:3] + ["Online (Hoeffding tree)"]
    at.selectbox(key="c3_model").set_value("river.logistic_regression").run()
    assert names(at) == PRESET_NAMES
    at.button(key="add_contender").click().run()
    assert_clean(at)
    assert names(at)[-1] == "Online (Hoeffding tree)"
    at.selectbox(key=f"c{NEW}_kind").set_value("hybrid").run()
    assert_clean(at)
    assert names(at)[-1] == "Hybrid (Hoeffding tree)"
    at.selectbox(key=f"c{NEW}_model").set_value("river.gaussian_nb").run()
    assert names(at)[-1] == "Hybrid (Gaussian NB)"
    # a frozen batch model turned online: the model becomes its incremental twin at once, the
    # name follows, and the page has no error about a batch-only model
    at.selectbox(key=f"c{NEW}_kind").set_value("frozen").run()
    at.selectbox(key=f"c{NEW}_model").set_value("sk.decision_tree").run()
    assert names(at)[-1] == "Frozen (Decision tree)"
    at.selectbox(key=f"c{NEW}_kind").set_value("online").run()
    assert_clean(at)
    assert at.session_state[f"c{NEW}_model"] == "river.hoeffding_tree"
    assert names(at)[-1] == "Online (Hoeffding tree)"
    # a typed name sticks
    at.text_input(key=f"c{NEW}_name").set_value("My tree").run()
    at.selectbox(key=f"c{NEW}_kind").set_value("hybrid").run()
    assert names(at)[-1] == "My tree"
    assert_clean(at)


@pytest.mark.slow
def test_duplicates_are_told_apart_and_the_story_names_each_once():
    at = new_app()
    at.number_input(key="n_samples").set_value(3000).run()
    for uid in (0, 1):  # drop the preset's drifts past the shorter stream
        at.button(key=f"del_drift_{uid}").click().run()
    at.button(key="add_contender").click().run()
    at.button(key=f"dup_c{NEW}").click().run()
    assert names(at)[-2:] == ["Online (Hoeffding tree)", "Online (Hoeffding tree) (2)"]
    at.selectbox(key=f"c{NEW + 1}_kind").set_value("hybrid").run()
    assert names(at)[-2:] == ["Online (Hoeffding tree)", "Hybrid (Hoeffding tree)"]
    at.number_input(key=f"c{NEW + 1}_every").set_value(1000).run()
    at.button(key=f"dup_c{NEW + 1}").click().run()
    at.number_input(key=f"c{NEW + 2}_every").set_value(500).run()
    assert names(at)[-2:] == ["Hybrid (Hoeffding tree, every 1,000)",
                              "Hybrid (Hoeffding tree, every 500)"]
    # a copy of a preset's contender has the preset's name and a number
    at.button(key="dup_c0").click().run()
    assert names(at)[1] == "Frozen batch (2)"
    at.button(key="run").click().run()
    assert_clean(at)
    config = json.loads(at.session_state["history"][-1]["outputs"]["config_json"])
    raced = [c["name"] for c in config["contenders"]]
    assert len(raced) == len(set(raced)) == 8
    story = at.get("markdown")
    text_ = "\n".join(m.value for m in story if "**Over the whole stream**" in m.value)
    assert text_, "the story was not shown"

