"""Contenders whose settings stay consistent while they are edited (no streamlit here).

Two things follow a contender's policy and model until the user says otherwise:

* **the model**: an online, mini-batch or hybrid policy needs a model that learns one sample at
  a time, so choosing one of them swaps a batch-only model for its incremental twin;
* **the name**: "Add a contender" gives "Online (Hoeffding tree)"; changing its policy to hybrid
  makes it "Hybrid (Hoeffding tree)". A name the user typed sticks. The app remembers the last
  name it gave (``c<uid>_autoname``); while the name field still holds it, the name is the app's
  to change. A loaded config's name follows too when it reads like one the app gives ("Online
  (Hoeffding tree)", "Periodic retrain (Logistic regression, every 1,000)").
* **a preset's name**: the names Driftlab's presets give ("Online", "Frozen batch",
  "Retrain every 1,000", ...: :func:`preset_names`) describe what the preset gave that
  contender, so they are the app's names too, not the user's. Loaded (from a preset, a link or
  a file), such a name is kept while the contender keeps its policy, its model (with the
  model's parameters) and every setting the name spells out ("every 1,000" in "Retrain every
  1,000": :func:`spelled_fields`; ``c<uid>_named_for`` records them); once one of them
  changes, the contender gets the name "Add a contender" would give it (the default race's
  "Online", a river logistic regression, turned into a Hoeffding tree reads "Online (Hoeffding
  tree)"; "Frozen batch" with a decision tree, "Frozen (Decision tree)"; "Retrain every 1,000"
  set to every 1,500, "Periodic retrain (Gaussian NB)"), and set back it is the preset's name
  again. A setting the name does not mention ("Periodic retrain" retraining every 1,500
  instead of 3,000) keeps the name. A walk-through read "Online" for a Hoeffding tree the user
  had picked. Typing a name makes it the user's: it then sticks.

Names the app gives never collide: two contenders with the same policy and model get the
setting in which they differ ("every 1,000" / "every 3,000"), and only two with the same
settings get "(2)". The validator refuses two contenders with the same name, so the story never
ranks two contenders under one name.

:func:`settle` does both, on ``st.session_state`` before the page builds its config.

>>> state = {"contender_ids": [0, 1], "c0_name": "Online (Hoeffding tree)",
...          "c0_autoname": "Online (Hoeffding tree)", "c0_kind": "hybrid",
...          "c0_model": "river.hoeffding_tree", "c0_every": 1000,
...          "c1_name": "Mine", "c1_kind": "online", "c1_model": "river.hoeffding_tree"}
>>> settle(state)
[]
>>> state["c0_name"], state["c1_name"]
('Hybrid (Hoeffding tree)', 'Mine')

A preset's name follows its settings:

>>> state = {"contender_ids": [0], "c0_name": "Online", "c0_kind": "online",
...          "c0_model": "river.logistic_regression"}
>>> _ = settle(state)  # the page settles once as it loads: "Online" is the preset's
>>> state["c0_model"] = "river.hoeffding_tree"
>>> _ = settle(state)
>>> state["c0_name"]
'Online (Hoeffding tree)'
>>> state["c0_model"] = "river.logistic_regression"
>>> _ = settle(state)
>>> state["c0_name"]
'Online'
"""

from __future__ import annotations

import functools
import re
from collections.abc import MutableMapping
from typing import Any

from lab.learners import MODELS
from lab.policies.registry import POLICY_KINDS
from lab.presets import RACE_PRESETS
from lab.spec.experiment import MAX_NAME_CHARS
from lab.spec.labels import model_display_name
from ui import keys as K
from ui import state as S

# The incremental model closest to each batch-only one, for policies that learn sample by sample.
INCREMENTAL_TWIN = {"sk.logistic_regression": "river.logistic_regression",
                    "sk.gaussian_nb": "river.gaussian_nb",
                    "sk.decision_tree": "river.hoeffding_tree",
                    "sk.random_forest": "river.adaptive_random_forest",
                    "sk.hist_gradient_boosting": "river.hoeffding_adaptive_tree"}
AUTONAME = "autoname"  # c<uid>_autoname: the name the app gave last
# c<uid>_named_for: (a preset's name, the policy fields it spells out, what it describes as
# loaded: :func:`settings_key`)
NAMED_FOR = "named_for"
# Words of a model's name that are abbreviations.
_LIBRARIES = {"sklearn": "scikit-learn"}
# Policy fields written as text (JSON): never part of a name, too long to read.
_TEXT_FIELDS = ("detector_params",)


def _kind_label(kind: str) -> str:
    return POLICY_KINDS[kind].label if kind in POLICY_KINDS else kind


def _incremental(kind: str) -> bool:
    return kind in POLICY_KINDS and POLICY_KINDS[kind].incremental


def policy_words(kind: str) -> str:
    """``"Hybrid"`` for the label "Hybrid (online + periodic refit)": the label without its
    explanation in parentheses, so it reads well in front of the model's own."""
    return re.sub(r"\s*\(.*\)$", "", _kind_label(kind)) or kind


def model_words(model: str) -> str:
    """``"Hoeffding tree"`` for ``river.hoeffding_tree``, ``"Gaussian NB"`` for
    ``sk.gaussian_nb``: :func:`lab.spec.labels.model_display_name` without the library, so a
    contender's name, the model picker and the "setup changed" notice name a model alike."""
    return model_display_name(model, with_library=False)


def base_name(kind: str, model: str) -> str:
    """The name of a contender with this policy and model: ``"Online (Hoeffding tree)"``."""
    return f"{policy_words(kind)} ({model_words(model)})"


def _reads_like_auto(name: str, kind: str, model: str) -> bool:
    """A name the app could have given this contender (a loaded config's name follows then)."""
    pattern = (rf"{re.escape(policy_words(kind))} \({re.escape(model_words(model))}"
               r"(, [^()]*)?\)( \(\d+\))?")
    return re.fullmatch(pattern, name) is not None


@functools.cache
def preset_names() -> frozenset[tuple[str, str]]:
    """``(name, policy kind)`` of every contender of the shipped race presets (lessons
    included): a loaded name in this set is the app's, not the user's (a user's file that
    calls a frozen contender "Online" keeps its name: the kind must match too)."""
    return frozenset((str(c["name"]), str(c["policy"]["kind"]))
                     for preset in RACE_PRESETS.values() for c in preset.config["contenders"])


def spelled_fields(state, uid: int) -> tuple[str, ...]:
    """The policy fields whose value contender ``uid``'s name spells out: "Retrain every 1,000"
    spells out ``every`` (1000), "Periodic retrain (all data)" ``data`` ("all"); "Periodic
    retrain" none. A value counts when it stands in the name as a word, written as names write
    numbers ("1,000", "0.5")."""
    name = str(state.get(S.contender_key(uid, "name"), ""))
    kind = state.get(S.contender_key(uid, "kind"))
    fields = POLICY_KINDS[kind].fields if kind in POLICY_KINDS else {}
    spelled = []
    for field in fields:
        value = state.get(S.contender_key(uid, field))
        if field in _TEXT_FIELDS or isinstance(value, bool) or value in (None, ""):
            continue
        if isinstance(value, (int, float)):
            value = f"{value:,.0f}" if float(value).is_integer() else f"{value:,g}"
        # a whole word: "1,000" is not in "11,000", "1,000,000" or "1,000.5"
        if re.search(rf"(?<!\w)(?<!\d[,.]){re.escape(str(value))}(?!\w|[,.]\d)", name):
            spelled.append(field)
    return tuple(spelled)


def settings_key(state, uid: int, fields: tuple[str, ...]) -> str:
    """What a preset's name of contender ``uid`` describes, as one comparable text: its policy,
    its model with the model's parameters, and the policy ``fields`` the name spells out
    (:func:`spelled_fields`)."""
    values = [state.get(S.contender_key(uid, "kind")), state.get(S.contender_key(uid, "model")),
              state.get(S.contender_key(uid, "model_params"), "")]
    values += [(f, state.get(S.contender_key(uid, f))) for f in fields]
    return repr(values)


def _preset_name(state, uid: int) -> str | None:
    """The preset's name contender ``uid`` was loaded with, while it keeps what that name
    describes; else None (it is named like an added contender)."""
    named_for = state.get(S.contender_key(uid, NAMED_FOR))
    if named_for is None:
        return None
    name, fields, key = named_for
    return name if settings_key(state, uid, fields) == key else None


def _record_loaded(state, uid: int) -> None:
    """On the first :func:`settle` after a contender was loaded (it has no ``c<uid>_autoname``
    yet): a name the app gives or a preset's name becomes the app's (``c<uid>_autoname``), a
    preset's with the settings it describes (``c<uid>_named_for``); any other name is the
    user's (``c<uid>_autoname`` "": a name field is never empty while it follows)."""
    name = state.get(S.contender_key(uid, "name"), "")
    kind = state.get(S.contender_key(uid, "kind"), "")
    if (name, kind) in preset_names():
        state[S.contender_key(uid, AUTONAME)] = name
        fields = spelled_fields(state, uid)
        state[S.contender_key(uid, NAMED_FOR)] = (name, fields, settings_key(state, uid, fields))
    elif _reads_like_auto(name, kind, state.get(S.contender_key(uid, "model"), "")):
        state[S.contender_key(uid, AUTONAME)] = name
    else:  # the user's name: it sticks, even if they later type one that reads like ours
        state[S.contender_key(uid, AUTONAME)] = ""


def follows(state, uid: int) -> bool:
    """True while contender ``uid``'s name is the app's to change (the user has not typed one)."""
    name = state.get(S.contender_key(uid, "name"), "")
    given = state.get(S.contender_key(uid, AUTONAME))
    if given is not None:
        return name == given
    kind = state.get(S.contender_key(uid, "kind"), "")
    return ((name, kind) in preset_names()
            or _reads_like_auto(name, kind, state.get(S.contender_key(uid, "model"), "")))


def _value_words(field: str, value: Any) -> str:
    if field == "model":
        library = MODELS[value].library if value in MODELS else str(value)
        return _LIBRARIES.get(library, library)
    if isinstance(value, bool):
        return f"{field.replace('_', ' ')} {'on' if value else 'off'}"
    if isinstance(value, (int, float)):
        value = f"{value:,.0f}" if float(value).is_integer() else f"{value:,g}"
    return f"{field.replace('_', ' ')} {value}"


def _settings(state, uid: int) -> dict[str, Any]:
    """What sets a contender apart in a name: its model and the policy fields its kind uses."""
    kind = state.get(S.contender_key(uid, "kind"))
    declared = POLICY_KINDS[kind].fields if kind in POLICY_KINDS else {}
    fields = [f for f in declared if f not in _TEXT_FIELDS]
    return {"model": state.get(S.contender_key(uid, "model")),
            **{f: state.get(S.contender_key(uid, f)) for f in fields}}


def auto_names(state, uids: list[int], taken: set[str]) -> dict[int, str]:
    """The names the app gives contenders ``uids`` (in order), none of them in ``taken``.

    Contenders with the same policy and model are told apart by the settings in which they
    differ (at most two are named); only when those are equal too, or the name would be too
    long, does a number tell them apart.
    """
    bases = {u: _preset_name(state, u) or base_name(state.get(S.contender_key(u, "kind"), ""),
                                                    state.get(S.contender_key(u, "model"), ""))
             for u in uids}
    names: dict[int, str] = {}
    taken = set(taken)
    for uid in uids:
        group = [u for u in uids if bases[u] == bases[uid]]
        name = bases[uid]
        if len(group) > 1:
            mine = _settings(state, uid)
            differ = [f for f in mine
                      if any(_settings(state, u).get(f) != mine[f] for u in group)][:2]
            if differ:
                detail = ", ".join(_value_words(f, mine[f]) for f in differ)
                longer = (f"{name[:-1]}, {detail})" if name.endswith(")")
                          else f"{name} ({detail})")
                if len(longer) <= MAX_NAME_CHARS:
                    name = longer
        names[uid] = S.unique_name(name, taken)
        taken.add(names[uid])
    return names


def settle(state: MutableMapping) -> list[str]:
    """Make every contender's model fit its policy and rename those whose names follow their
    settings; returns a message for each model that was swapped (the page shows them)."""
    ids = list(state.get(K.CONTENDER_IDS, []))
    for uid in ids:
        if S.contender_key(uid, AUTONAME) not in state:
            _record_loaded(state, uid)
    swapped = []
    for uid in ids:
        kind, model = (state.get(S.contender_key(uid, "kind")),
                       state.get(S.contender_key(uid, "model")))
        if _incremental(kind) and model in MODELS and not MODELS[model].incremental:
            twin = INCREMENTAL_TWIN.get(model, "river.hoeffding_tree")
            state[S.contender_key(uid, "model")] = twin
            swapped.append(uid)
    following = [u for u in ids if follows(state, u)]
    fixed = {state.get(S.contender_key(u, "name"), "") for u in ids if u not in following}
    for uid, name in auto_names(state, following, fixed).items():
        state[S.contender_key(uid, "name")] = name
        state[S.contender_key(uid, AUTONAME)] = name
    return [swap_message(state, u) for u in swapped]


def swap_message(state, uid: int) -> str:
    """Why contender ``uid``'s model changed, in the words of the page."""
    def value(field: str) -> Any:
        return state[S.contender_key(uid, field)]

    return (f"{value('name')}: the policy '{policy_words(value('kind'))}' needs a model that "
            f"learns one sample at a time, so its model is now {model_words(value('model'))}.")


def add_contender(state: MutableMapping, after: int | None = None) -> int:
    """"Add a contender" (``after`` None) or "Duplicate" (``after`` the original): as
    :func:`ui.state.add_contender`, but the new contender's name follows its settings when it is
    new or a copy of one whose name does (the next :func:`settle` names it), and a copy of a
    named contender is "<name> copy"."""
    following = after is None or follows(state, after)
    uid = S.add_contender(state, after)
    if uid >= 0 and following:
        name = state[S.contender_key(after if after is not None else uid, "name")]
        state[S.contender_key(uid, "name")] = name
        state[S.contender_key(uid, AUTONAME)] = name
    return uid
