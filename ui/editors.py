"""The sidebar (scenario, stream, drifts, evaluation) and the contenders editor (streamlit).

Widgets only: every widget has a stable key (see ``ui.state``) and writes the config being
edited into ``st.session_state``; ``ui.state.config_from_state`` turns it into a config.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from lab import plots
from lab.data.generators import GENERATORS
from lab.data.stream import concept_params
from lab.learners import MODELS
from lab.policies.detectors import DETECTORS
from lab.policies.registry import POLICY_KINDS, setting_fields
from lab.presets import PRESETS
from lab.spec.errors import ConfigError
from lab.spec.experiment import MAX_CONTENDERS
from lab.spec.labels import source_label as plain_source
from lab.validate import parse_stream
from ui import contenders as C
from ui import keys as K
from ui import state as S
from ui import text, upload
from ui.labels_panel import render_labels_panel
from ui.session import ensure, on_preset_choice, on_source_change

ss = st.session_state

SHORT_LABELS = {"every": "Retrain every", "data": "Train on", "window": "Window",
                "half_life": "Half-life", "detector": "Detector", "min_gap": "Min. gap",
                "follow_up": "Follow-up retrain after an alarm", "size": "Batch size",
                "retrain_latency": "Retrain latency (samples)",
                "react_to": "Retrain on alarms of"}


def param_widget(label: str, key: str, source: str, param: str, default: Any, container=st) -> None:
    help_ = f"{source_label(source)} parameter `{param}` (default {default})"
    choices = S.PARAM_CHOICES.get((source, param))
    if isinstance(default, bool):
        container.checkbox(label, key=key, help=help_)
    elif choices:
        options = sorted(set(choices) | {ss[key]})
        container.selectbox(label, options, key=key, help=help_)
    elif isinstance(default, int):
        container.number_input(label, key=key, step=1, help=help_)
    elif isinstance(default, float):
        step = S.PARAM_STEPS.get(param, 0.01)
        container.number_input(label, key=key, step=step, format="%.3g" if step < 0.01 else None,
                               help=help_)
    else:
        container.text_input(label, key=key, help=help_)


RACE_PRESETS = [name for name, p in PRESETS.items() if getattr(p, "kind", "race") == "race"]


def preset_title(name: str) -> str:
    """A preset as the list shows it: its plain title, never its key ("lesson-how-often")."""
    preset = PRESETS.get(name)
    return preset.display_name if preset else str(name)


def source_label(source: str) -> str:
    """A source as the list shows it: a generator's or data set's plain name ("SEA",
    "Electricity (Elec2)"), never its config key ("dataset:elec"). The same names as every
    other place that names a run's source (``lab.spec.labels.source_label``)."""
    if source == S.UPLOAD:
        return "Upload a CSV (your own data)"
    return plain_source(source)


def source_description(source: str) -> str:
    if S.is_generator(source):
        return GENERATORS[source].description
    if source == S.UPLOAD:
        return ("Your own data: pick the label column, the features and how to treat missing "
                "values. The lab injects no drift into real data: mark points where you "
                "suspect a change below.")
    info = S.DATASETS[source.split(":", 1)[1]]
    marked = (f" Marked below: the documented change point"
              f"{'s' if len(info.change_points) > 1 else ''} "
              f"({', '.join(f'{p:,}' for p in info.change_points)})."
              if info.change_points else "")
    return (f"Real data, {info.n_samples:,} rows. {info.description} Known changes: "
            f"{info.drift}{marked}")


def sidebar() -> dict:
    """The sidebar's config editor. Returns its places for notes next to the fields
    (:data:`SAMPLES_NOTE` under Samples, ``("drift", uid)`` in each drift card): the page puts
    a refusal of the setup there too, next to the field the user must change, and not only
    above the results (``ui.refusals.refuse``)."""
    notes: dict = {}
    upload.apply_test_upload()  # test-only hook, off unless DRIFTLAB_TEST_HOOKS=1 (ui.upload)
    with st.sidebar:
        st.markdown("### Scenario")
        # the list shows titles ("Lesson 15: Beat the no-change baseline (Elec2)"); the value
        # stays the preset's key, which the session loads and links carry
        st.selectbox("Load a preset", RACE_PRESETS, key=K.PRESET_CHOICE, index=None,
                     placeholder="Pick a preset to load it…", on_change=on_preset_choice,
                     label_visibility="collapsed", format_func=preset_title,
                     help="\n\n".join(f"**{preset_title(n)}**: {PRESETS[n].description}"
                                       for n in RACE_PRESETS))
        if ss.get(K.PRESET_CHOICE):
            st.caption(PRESETS[ss[K.PRESET_CHOICE]].description)

        st.markdown("### Stream")
        st.selectbox("Source", S.APP_SOURCES, key=K.SOURCE, format_func=source_label,
                     on_change=on_source_change,
                     help="a synthetic generator whose concepts drifts switch, a real data "
                          "set (the first *samples* rows), or your own CSV file")
        source = ss[K.SOURCE]
        st.caption(source_description(source))
        if source == S.UPLOAD:
            upload.upload_section()
        defaults = S.source_defaults(source)
        for p, d in defaults.items():
            ensure(S.gp_key(source, p), d)
        # Number and choice fields two to a row; checkboxes get a whole row each, so their
        # labels are not cut off ("balance classes" in half the sidebar read "balance …").
        params = [(p, d) for p, d in defaults.items() if not isinstance(d, bool)]
        for p, d in defaults.items():
            if isinstance(d, bool):
                param_widget(p.replace("_", " "), S.gp_key(source, p), source, p, d)
        for i in range(0, len(params), 2):
            cols = st.columns(2)
            for col, (p, d) in zip(cols, params[i:i + 2]):
                param_widget(p.replace("_", " "), S.gp_key(source, p), source, p, d, col)
        c1, c2 = st.columns(2)
        # No min/max on the number fields: the app checks them (ui.number_checks says
        # why) and names the field in the message above the results.
        if source == S.UPLOAD and bool(ss.get(K.CSV_ALL_ROWS, True)):
            # the whole file is raced: show its rows (keyless, greyed), not the Samples value
            # kept for the other sources
            c1.number_input("Samples", value=upload.file_rows(), disabled=True,
                            help="every row of the file; untick *Use every row* to race the "
                                 "first rows only")
        else:
            c1.number_input("Samples", key=K.N_SAMPLES, step=1000,
                            help="length of the stream (for real data: the first rows)")
        c2.number_input("Label noise", key="label_noise", step=0.01,
                        help="share of labels flipped to another class (0 to 0.5)")
        notes[SAMPLES_NOTE] = st.empty()
        st.number_input("Seed", key="seed", step=1,
                        help="same seed, same stream, same race")

        if S.is_generator(source):
            st.markdown("### Drifts", help="Each drift switches the stream to another concept "
                        "at a sample; width 0 is sudden, a larger width mixes the new concept in "
                        "gradually. Going back to earlier settings makes a recurring drift.")
        else:
            # One word for them everywhere (the story says "the marked point at 17,424"): a
            # real data set's points are marks, known or suspected, not drifts the lab injects.
            st.markdown("### Marked points", help="The lab injects no drift into real data. "
                        "Mark points where the data are known (pre-marked from the data set's "
                        "README) or suspected to change, and the summary measures the drop "
                        "and recovery at each.")
        drift_editor(source, notes)

        st.markdown("### Evaluation")
        c1, c2 = st.columns(2)
        c1.number_input("Warm-up", key="warmup", step=100,
                        help="samples every contender learns before scoring starts")
        c2.number_input("Window", key="window", step=100,
                        help="the rolling accuracy is over this many recent samples")
        c1, c2 = st.columns(2)
        c1.number_input("Label delay", key="label_delay", step=100,
                        help="samples between a prediction and the arrival of its label")
        c2.number_input("Step", key="step", step=50,
                        help="samples between two points of the timeline")
        render_labels_panel()
    return notes


SAMPLES_NOTE = "n_samples"  # the place for a note under the Samples field (see sidebar)


def drift_editor(source: str, notes: dict) -> None:
    defaults = S.source_defaults(source)
    concept = S.concept_params_of(source)
    # The cards stay in the order the user made them while they are edited (numbers and places
    # fixed); the Run button sorts them by position (ui.state.sort_drifts).
    ids = list(ss.get(K.DRIFT_IDS, []))
    prev = {p: ss.get(S.gp_key(source, p), defaults[p]) for p in concept}
    for k, uid in enumerate(ids):
        to = {}
        for p in concept:
            fallback = S.next_concept_value(source, p, prev[p]) if p == concept[0] else prev[p]
            ensure(S.drift_to_key(uid, source, p), S.coerce(defaults[p], fallback))
            to[p] = ss[S.drift_to_key(uid, source, p)]
        prev = to
        with st.container(border=True):
            width = ss.get(S.drift_key(uid, "width"), 0)
            head, button = st.columns([5, 1], vertical_alignment="center")
            if concept:
                head.markdown(f"**Drift {k + 1}** · {'gradual' if width else 'sudden'}")
            else:  # real data: a mark, not an injected drift (see the section's heading)
                head.markdown(f"**Marked point {k + 1}**")
            button.button(":material/close:", key=f"del_drift_{uid}",
                          help="Remove this drift" if concept else "Remove this mark",
                          on_click=S.remove_drift, args=(ss, uid), type="tertiary")
            c1, c2 = st.columns(2)
            c1.number_input("At sample", key=S.drift_key(uid, "at"), step=500)
            c2.number_input("Width", key=S.drift_key(uid, "width"),
                            step=500, help="0 = sudden; a gradual drift mixes in the new "
                                           "concept over this many samples")
            if concept:
                cols = st.columns(len(concept))
                for col, p in zip(cols, concept):
                    param_widget(f"→ {p.replace('_', ' ')}", S.drift_to_key(uid, source, p),
                                 source, p, defaults[p], col)
            extra = ss.get(S.drift_key(uid, "extra")) or {}
            if extra:
                st.caption("also sets " + text.escape_markdown(
                    ", ".join(f"{k_}={v}" for k_, v in extra.items())))
            notes[("drift", uid)] = st.empty()
    st.button("Add a drift" if concept else "Mark a point", key="add_drift",
              icon=":material/add:", on_click=S.add_drift, args=(ss,), width="stretch")
    preview()


@st.cache_resource(max_entries=256, show_spinner=False)
def preview_figure(n: int, drifts: tuple, targets: tuple):
    """The sidebar's stream preview, one figure per (length, drifts, concepts), shared and never
    mutated (``st.plotly_chart`` only reads it). ``st.cache_resource``, not ``st.cache_data``:
    cache_data hands back a copy by unpickling the figure, and unpickling a plotly figure
    validates every property again: ~70 ms of every script run of the page (any widget change),
    against ~10 ms to serialise the shared figure."""
    fig = plots.stream_preview_figure(n, [{"at": a, "width": w} for a, w in drifts],
                                      concepts=list(targets))
    # The sidebar is narrow: the section heading replaces the title, the labels in the strip the
    # legend.
    fig.update_layout(title=None, showlegend=False, height=105, margin=dict(t=8, b=40))
    # ~190 px wide: "concept 1" labels on short segments ran into each other; the axis title
    # already says "concept", so the strip shows the number only.
    fig.for_each_annotation(lambda a: a.update(text=a.text.removeprefix("concept "))
                            if str(a.text).startswith("concept ") else None)
    return fig


def preview() -> None:
    try:
        draft = S.config_from_state(ss)
        spec = parse_stream(draft["stream"])
        if S.is_generator(spec.source):
            _, targets = concept_params(spec)
        else:  # real data: each marked point starts a new segment
            targets = list(range(1, len(spec.drifts) + 1))
    except (ConfigError, KeyError) as exc:
        # the message above the results lists the setup's problems (ui.refusals.refuse):
        # the preview does not say them a second (or third) time
        st.caption("No preview until the problems listed above the results are fixed.")
        if ss.get(K.SOURCE) == S.UPLOAD and upload.widget_hint(str(exc)):
            st.caption(upload.widget_hint(str(exc)))
        return
    if ss.get(K.SOURCE) == S.UPLOAD:
        ss[K.UPLOAD_ROWS] = spec.n_samples  # where "Mark a point" puts a new mark
        upload.show_notes(spec)
    fig = preview_figure(spec.n_samples, tuple((d.start, d.end - d.start) for d in spec.drifts),
                         tuple(targets))
    st.plotly_chart(fig, key="preview_chart", config={"displayModeBar": False, "staticPlot": True})
    st.caption(text.CAPTIONS["preview"])


# ---------------------------------------------------------------------------------------------
# Contenders editor
# ---------------------------------------------------------------------------------------------
def contender_row(i: int, uid: int, n_contenders: int) -> None:
    """One contender: name, model and policy on the first line, the policy's main parameters
    on the second, the rest behind "More"."""
    def k(field: str) -> str:
        return S.contender_key(uid, field)

    for field, value in S.contender_state(uid, {"name": f"Contender {i + 1}",
                                                "model": "river.hoeffding_tree",
                                                "policy": {"kind": "online"}}).items():
        ensure(field, value)
    _unlabel(k("kind"), {kind.label: name for name, kind in POLICY_KINDS.items()}, "online")
    _unlabel(k("model"), {text.model_label(m, MODELS[m]): m for m in MODELS},
             "river.hoeffding_tree")
    with st.container(border=True):
        cols = st.columns([2.0, 2.8, 2.4, 1.0, 0.4, 0.4], vertical_alignment="bottom")
        cols[0].text_input("Name", key=k("name"), max_chars=60)
        cols[2].selectbox("Policy", list(POLICY_KINDS), key=k("kind"),
                          format_func=lambda name: POLICY_KINDS[name].label,
                          help="\n\n".join(f"**{p.label}**: {p.doc}"
                                           for p in POLICY_KINDS.values()))
        kind = ss[k("kind")]
        declared = POLICY_KINDS[kind].fields
        options = list(MODELS)
        if POLICY_KINDS[kind].incremental:  # ui.contenders.settle swapped a batch-only model
            options = [m for m in MODELS if MODELS[m].incremental]
        cols[1].selectbox("Model", options, key=k("model"),
                          format_func=lambda m: text.model_label(m, MODELS[m]),
                          help="Only incremental models are offered for online, mini-batch and "
                               "hybrid policies.\n\n" + "\n\n".join(
                                   f"**{text.model_label(m, MODELS[m])}**: "
                                   f"{MODELS[m].description}" for m in options))
        fields = list(POLICY_KINDS[kind].editor_fields({f: ss.get(k(f)) for f in declared}))
        with cols[3].popover("More", help="retrain latency, detector and model parameters",
                             width="stretch"):
            more = [f for f in declared if f in S.POLICY_WIDGET_FIELDS and f not in fields]
            for field in more:
                policy_field(st, uid, field)
            if "detector_params" in declared:
                st.text_input("Detector parameters (JSON)", key=k("detector_params"),
                              placeholder='{"delta": 0.002}')
            st.text_input("Model parameters (JSON)", key=k("model_params"),
                          placeholder='{"max_depth": 5}',
                          help="passed to the model's constructor; "
                               + MODELS[ss[k("model")]].description)
        cols[4].button(":material/content_copy:", key=f"dup_c{uid}", help="Duplicate",
                       on_click=C.add_contender, args=(ss, uid),
                       disabled=n_contenders >= MAX_CONTENDERS, type="tertiary")
        cols[5].button(":material/delete:", key=f"del_c{uid}", help="Remove",
                       on_click=S.remove_contender, args=(ss, uid), disabled=n_contenders <= 1,
                       type="tertiary")
        if fields:
            pcols = st.columns([1.25, 1.25, 1.25, 4.2])
            for col, field in zip(pcols, fields):
                policy_field(col, uid, field)
            pcols[3].caption(POLICY_KINDS[kind].doc)
        else:
            st.caption(POLICY_KINDS[kind].doc)


def _unlabel(key: str, by_label: dict, default: str) -> None:
    """A selectbox whose options changed under it (a preset loaded over a row with the same
    key) can hand back the option's *label* ("gaussian nb · sklearn") instead of its value;
    map it back so the row does not fail with a KeyError."""
    value = ss.get(key)
    if value not in by_label.values():
        ss[key] = by_label.get(value, default)


def policy_field(container, uid: int, field: str) -> None:
    key = S.contender_key(uid, field)
    spec = setting_fields()[field]
    label = SHORT_LABELS.get(field) or spec.label or field
    if field == "detector":
        container.selectbox(label, DETECTORS, key=key, help=spec.doc)
    elif field == "data":
        container.selectbox(label, spec.enum, key=key, help=spec.doc + ": all history, the last "
                            "`window` samples, or all history with weights halving every "
                            "`half_life` samples")
    elif spec.type == "string" and spec.enum:  # e.g. react_to: any other text choice
        container.selectbox(label, spec.enum, key=key, help=spec.doc)
    elif spec.type == "boolean":
        container.checkbox(label, key=key, help=spec.doc)
    elif spec.type == "int":
        # unbounded like the sidebar's fields: ui.number_checks names a value out of range
        container.number_input(label, key=key, step=100 if field not in ("size",) else 10,
                               help=spec.doc)
    else:
        container.number_input(label, key=key, step=100.0, help=spec.doc)


CONTENDERS_BOX = "contenders_box"  # the contenders expander's key (and its CSS class)


def contenders_editor(collapse: bool = False) -> None:
    """The contenders box, an expander that tracks its state under one key for the session.

    A fixed key keeps it open while its label changes (adding, removing or renaming a
    contender). ``collapse`` (the page passes True in the script run of a Run) closes it
    through its state, so the results move up into view. The box used to be collapsed by
    giving it a new key on every Run instead: the browser then threw away and rebuilt its
    ~700 DOM nodes (every contender's widgets) on each Run, the largest part of a cached
    re-run's work in the browser. The state tracking costs a script run when the box is opened
    or closed by hand; its content is drawn either way (the widgets keep their values and
    tests reach them)."""
    # Set before the expander is drawn, its state is the box's: collapsed by Run, else as the
    # user left it. Re-assigned every run, it also survives a new label ("Contenders (5): ..."
    # after an addition), which Streamlit counts as a new expander.
    ss[CONTENDERS_BOX] = False if collapse else bool(ss.get(CONTENDERS_BOX, False))
    ids = ss.get(K.CONTENDER_IDS, [])
    names = " · ".join(text.escape_markdown(ss.get(S.contender_key(u, "name"), "?"))
                       for u in ids)  # user text in a Markdown label: escaped
    with st.expander(f"**Contenders ({len(ids)})**: {names}", expanded=False,
                     icon=":material/groups:", key=CONTENDERS_BOX, on_change="rerun"):
        for i, uid in enumerate(ids):
            contender_row(i, uid, len(ids))
        st.button("Add a contender", key="add_contender", icon=":material/add:",
                  on_click=C.add_contender, args=(ss,), disabled=len(ids) >= MAX_CONTENDERS)
