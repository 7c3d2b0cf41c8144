"""The What-if tab: sweep the shown run's config over one or two parameters and several seeds
(streamlit; the sweep itself is ``lab.sweep``, the charts ``lab.plots``).

The sweep starts from the config of the run on screen, so its numbers equal
``python -m lab sweep --config config.json --vary ... --seeds K`` for that config (the tab shows
that command). A sweep estimated above :data:`MAX_SWEEP_S` seconds is refused here and handed to
the command line. Finished sweeps are kept across sessions in the server's run store
(``ui.run_store``) keyed on (base config JSON, vary, seeds), a pure function of them.

Widget keys (stable, for tests and people): ``whatif_p1`` / ``whatif_p2`` (parameter choice),
``whatif_custom1`` / ``whatif_custom2`` (the "any path" text), ``whatif_v1`` / ``whatif_v2``
(comma-separated values), ``whatif_seeds``, ``whatif_run``, ``whatif_contender`` (heatmap).
"""

from __future__ import annotations

import json
import os
import shlex
import time

import pandas as pd
import streamlit as st

from lab import plots
from lab.spec.errors import ConfigError
from lab.spec.jsontext import parse_json_text
from lab.sweep.executors import run_sweep
from lab.sweep.grammar import parse_vary
from lab.sweep.plan import plan_sweep
from lab.sweep.stats import summarise_sweep, sweep_files
from lab.validate import parse_experiment
from ui import keys as K
from ui.run_store import run_store
from ui.text import FIELD_LABELS, escape_markdown

ss = st.session_state

CUSTOM = "__custom__"
NONE = "__none__"
MAX_SEEDS = 10
KEYS = ("whatif_p1", "whatif_p2", "whatif_custom1", "whatif_custom2", "whatif_v1", "whatif_v2",
        "whatif_seeds", "whatif_contender", "whatif_for")

CAPTIONS = {
    "line_accuracy": "Where does a line bend or cross another? A bend is where more of the "
                     "parameter stops paying; overlapping bands mean the seeds cannot tell the "
                     "contenders apart.",
    "line_cost": "What each setting costs in training: retraining twice as often or on twice "
                 "the window roughly doubles the samples trained.",
    "heatmap": "Which way does the colour change fastest? That parameter matters most for this "
               "contender; a flat row or column means the other one does not matter there.",
    "tradeoff": "Every (setting, contender) of the sweep: up and to the left is better. Ringed "
                "points are Pareto-optimal (nothing cheaper is at least as accurate); error bars "
                "are 95 % confidence intervals over the seeds.",
    "table": "Mean and 95 % confidence interval over the seeds for each setting and contender "
             "(CI bounds are empty with a single seed).",
}


def max_sweep_seconds() -> float:
    """The server's limit on a sweep's estimated time (env ``DRIFTLAB_MAX_SWEEP_S``, 60 s)."""
    try:
        return float(os.environ.get("DRIFTLAB_MAX_SWEEP_S", "60"))
    except ValueError:
        return 60.0


# ---------------------------------------------------------------------------------------------
# Which parameters to offer, and starting values for them
# ---------------------------------------------------------------------------------------------
def _spread(v: int, lo: int = 1) -> list[int]:
    return sorted({max(lo, int(v) // 2), max(lo, int(v)), max(lo, int(v) * 2)})


def parameter_choices(cfg: dict) -> dict[str, tuple[str, list]]:
    """Useful config paths of ``cfg`` -> (label, suggested values), in the order offered."""
    out: dict[str, tuple[str, list]] = {}
    n = int(cfg["stream"]["n_samples"])
    for i, c in enumerate(cfg.get("contenders", [])):
        p, name = c.get("policy", {}), c.get("name", f"contender {i + 1}")
        kind = p.get("kind")
        if kind in ("periodic", "hybrid"):
            out[f"contenders[{i}].policy.every"] = (
                f"{name}: {FIELD_LABELS['every'].lower()}", _spread(p.get("every", 1000)))
        if kind in ("periodic", "hybrid", "triggered") and p.get("window") is not None:
            out[f"contenders[{i}].policy.window"] = (
                f"{name}: {FIELD_LABELS['window'].lower()}", _spread(p["window"]))
        if kind == "triggered":
            out[f"contenders[{i}].policy.detector"] = (
                f"{name}: drift detector", ["adwin", "page_hinkley", "kswin"])
        if kind == "minibatch" and p.get("size") is not None:
            out[f"contenders[{i}].policy.size"] = (f"{name}: mini-batch size", _spread(p["size"]))
    delay = int(cfg["evaluation"].get("label_delay", 0))
    out["evaluation.label_delay"] = ("Label delay (samples)",
                                     [0, 100, 500] if delay == 0 else _spread(delay, 0))
    for k, d in enumerate(cfg["stream"].get("drifts", [])):
        width = int(d.get("width", 0))
        out[f"stream.drifts[{k}].width"] = (f"Drift {k + 1}: width (samples)",
                                            [0, 1000, 3000] if width == 0 else
                                            sorted({0, width // 2, width, width * 2}))
        at, step = int(d["at"]), max(1, n // 10)
        out[f"stream.drifts[{k}].at"] = (f"Drift {k + 1}: position (sample)",
                                         sorted({max(1, at - step), at, min(n - 1, at + step)}))
    noise = float(cfg["stream"].get("label_noise", 0.0))
    out["stream.label_noise"] = ("Label noise (share of flipped labels)",
                                 [0.0, 0.1, 0.2] if noise == 0
                                 else [0.0, noise, min(0.5, 2 * noise)])
    out["stream.n_samples"] = ("Stream length (samples)", [n, n + n // 2])
    return out


def values_text(values: list) -> str:
    """Values as the comma-separated text of the values box (and of ``--vary``).

    >>> values_text([500, 0.1, "adwin", {"angle": 90}])
    '500,0.1,adwin,{"angle": 90}'
    """
    parts = []
    for v in values:
        if isinstance(v, str) and v.strip() == v and v and not any(ch in v for ch in ',"[]{}'):
            try:
                parse_json_text(v, "value")
            except ConfigError:
                parts.append(v)  # plain text stays plain: adwin, window
                continue
        parts.append(json.dumps(v))
    return ",".join(parts)


def cli_command(vary: dict[str, list], seeds: int) -> str:
    """The ``python -m lab sweep`` command running the same sweep from the shell."""
    args = ["python", "-m", "lab", "sweep", "--config", "config.json"]
    for path, values in vary.items():
        args += ["--vary", f"{path}={values_text(values)}"]
    args += ["--seeds", str(seeds), "--out", "sweep_out"]
    return " ".join(shlex.quote(a) for a in args)


# ---------------------------------------------------------------------------------------------
# The cache
# ---------------------------------------------------------------------------------------------
def sweep_key(config_json: str, vary: dict[str, list], seeds: int) -> str:
    return json.dumps({"config": config_json, "vary": vary, "seeds": seeds}, sort_keys=True)


def keep_values() -> None:
    """Keep the tab's choices while another tab is open (its widgets are not drawn then)."""
    for key in KEYS:
        if key in ss:
            ss[key] = ss[key]


# ---------------------------------------------------------------------------------------------
# The tab
# ---------------------------------------------------------------------------------------------
def _parameter_picker(slot: int, choices: dict, cfg: dict, optional: bool) -> tuple[str, str]:
    """One parameter's selectbox, optional path box and values box: ``(path, values text)``."""
    options = ([NONE] if optional else []) + list(choices) + [CUSTOM]
    pkey, vkey, ckey = f"whatif_p{slot}", f"whatif_v{slot}", f"whatif_custom{slot}"
    if ss.get(pkey) not in options:
        ss[pkey] = options[0]

    def label(path: str) -> str:
        if path == NONE:
            return "— none (vary one parameter) —"
        if path == CUSTOM:
            return "Advanced: any config path…"
        return f"{choices[path][0]} · {path}"

    def suggest() -> None:
        path = ss.get(pkey)
        if path in choices:
            ss[vkey] = values_text(choices[path][1])
        elif path == CUSTOM:
            ss[vkey] = ""

    if vkey not in ss:
        suggest()
    st.selectbox(f"Parameter {slot}", options, key=pkey, format_func=label, on_change=suggest)
    path = ss[pkey]
    if path == NONE:
        return "", ""
    if path == CUSTOM:
        path = st.text_input("Config path", key=ckey, placeholder="e.g. contenders[0].model",
                             help="any value of the config JSON, written like "
                                  "stream.drifts[0].to.angle or contenders[1].policy.data").strip()
    st.text_input("Values (comma-separated)", key=vkey,
                  help="numbers, true/false, text, or JSON such as {\"angle\": 45}")
    return path, ss[vkey]


def whatif_tab(out: dict) -> None:
    """The What-if tab for the run ``out`` (the app's packaged outputs)."""
    cfg = out["config"]
    base = parse_experiment(cfg)
    if base.evaluation.baselines:  # a sweep compares the contenders' settings: no baselines
        base = base.with_overrides({"evaluation.baselines": False})
    config_json = base.to_json(indent=None)
    if ss.get(K.WHATIF_FOR) != config_json:  # another run: fresh suggestions for its values
        for key in ("whatif_v1", "whatif_v2"):
            ss.pop(key, None)
        ss[K.WHATIF_FOR] = config_json
    choices = parameter_choices(cfg)
    st.markdown("**What if…** the same experiment ran with other settings? Choose one or two "
                "parameters and their values; every combination runs with each seed, starting "
                "from the config of the run shown.")
    left, middle, right = st.columns([5, 5, 2])
    with left:
        path1, text1 = _parameter_picker(1, choices, cfg, optional=False)
    with middle:
        path2, text2 = _parameter_picker(2, choices, cfg, optional=True)
    with right:
        ss.setdefault(K.WHATIF_SEEDS, 3)
        seeds = int(st.number_input("Seeds", key=K.WHATIF_SEEDS, min_value=1, max_value=MAX_SEEDS,
                                    step=1,
                                    help="each setting runs with seeds seed, seed+1, …; 2 or more "
                                         "give confidence intervals"))

    plan, error = None, None
    try:
        vary: dict[str, list] = {}
        pairs = [(path1, text1)] + ([(path2, text2)] if ss.get(K.WHATIF_P2) != NONE else [])
        for path, text_ in pairs:
            if not path:
                raise ConfigError("parameter", "no config path given",
                                  "type a path such as contenders[1].policy.every")
            if path in vary:
                raise ConfigError(path, "is chosen twice", "choose two different parameters")
            p, values = parse_vary(f"{path}={text_}")
            vary[p] = values
        plan = plan_sweep(base, vary, seeds)
    except ConfigError as exc:
        error = str(exc)
    except Exception as exc:  # stay up whatever the input
        error = f"{type(exc).__name__}: {exc}"
    if plan is None:
        st.error(f"This sweep cannot run: {escape_markdown(error)}", icon=":material/error:")
        _show_results(ss.get(K.WHATIF_LAST), None)
        return

    limit = max_sweep_seconds()
    estimate = plan.estimate_seconds(jobs=1)
    too_big = estimate > limit
    key = sweep_key(config_json, plan.vary, seeds)
    cached = run_store("sweep").get(key)
    size = (f"{len(plan.settings)} setting{'s' if len(plan.settings) != 1 else ''} × {seeds} "
            f"seed{'s' if seeds != 1 else ''} = **{plan.n_runs} runs**, estimated "
            f"**{_duration(estimate)}**")
    command = cli_command(plan.vary, seeds)
    run_col, info_col = st.columns([1, 5], vertical_alignment="center")
    clicked = run_col.button("Run sweep", key="whatif_run", type="primary",
                             icon=":material/play_arrow:", width="stretch",
                             disabled=too_big and cached is None)
    if cached is not None:
        info_col.caption(f"{size}; already run (from the cache).")
    elif too_big:
        info_col.caption(size)
        st.warning(f"This sweep is too big for the server: about {_duration(estimate)}, more "
                   f"than the {_duration(limit)} allowed here. Run it from the command line "
                   "instead (with the config of this run, downloaded below); it runs in "
                   "parallel, shows a progress bar and resumes if interrupted:",
                   icon=":material/block:")
    else:
        info_col.caption(f"{size} (limit here {_duration(limit)}).")
    with st.expander("Run this sweep from the command line", expanded=too_big and cached is None):
        st.code(command, language="bash", wrap_lines=True)
        st.download_button("config.json", data=base.to_json() + "\n", file_name="config.json",
                           mime="application/json", key="whatif_dl_config", on_click="ignore",
                           icon=":material/download:")

    result = None
    if cached is not None:
        result = {"key": key, "df": cached, "vary": plan.vary, "seeds": seeds}
    elif clicked and not too_big:
        bar = st.progress(0.0, text=f"Sweeping… 0 of {plan.n_runs} runs")
        started = time.perf_counter()

        def progress(done: int, total: int) -> None:
            bar.progress(done / max(1, total), text=f"Sweeping… {done} of {total} runs · "
                                                    f"{time.perf_counter() - started:.1f} s")

        try:
            # One process: on a small shared server starting workers costs more than it saves,
            # and nothing is left running if the session goes away.
            frame = run_sweep(plan, jobs=1, progress=progress)
        except Exception as exc:
            bar.empty()
            st.error(escape_markdown(f"The sweep could not run: {type(exc).__name__}: {exc}"),
                     icon=":material/error:")
            frame = None
        else:
            bar.empty()
            if frame.attrs.get("complete"):
                run_store("sweep").put(key, frame)
        if frame is not None:
            result = {"key": key, "df": frame, "vary": plan.vary, "seeds": seeds}
    if result is not None:
        ss[K.WHATIF_LAST] = result
    _show_results(ss.get(K.WHATIF_LAST), key)


def _duration(seconds: float) -> str:
    if seconds < 90:
        return f"{seconds:.0f} s" if seconds >= 10 else f"{seconds:.1f} s"
    if seconds < 5400:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"


def _show_results(result: dict | None, key: str | None) -> None:
    if result is None:
        return
    frame: pd.DataFrame = result["df"]
    paths = list(result["vary"])
    if key is not None and result["key"] != key:
        st.info("The results below are from the previous sweep ("
                + escape_markdown("; ".join(f"{p} = {values_text(v)}"
                                            for p, v in result["vary"].items()))
                + f", {result['seeds']} seeds). Press **Run sweep** for the new one.",
                icon=":material/history:")
    summary = summarise_sweep(frame)
    names = list(dict.fromkeys(summary["contender"].astype(str)))
    colors = plots.contender_colors(names)
    failed = frame[frame["status"] != "ok"]
    if not failed.empty:
        errors = failed["error"].dropna().astype(str)
        first = escape_markdown(errors.iloc[0]) if len(errors) else "see sweep.csv"
        st.warning(f"{len(failed)} of {len(frame)} (run, contender) results failed and are left "
                   f"out of the means: {first}", icon=":material/warning:")
    if len(paths) == 1:
        left, right = st.columns(2)
        with left:
            _chart(plots.sweep_line_figure(summary, paths[0], "accuracy", colors=colors),
                   "whatif_accuracy_chart", CAPTIONS["line_accuracy"])
        with right:
            _chart(plots.sweep_line_figure(summary, paths[0], "train_samples", colors=colors),
                   "whatif_cost_chart", CAPTIONS["line_cost"])
    else:
        if ss.get(K.WHATIF_CONTENDER) not in names:
            ss[K.WHATIF_CONTENDER] = names[0]
        contender = st.selectbox("Contender", names, key=K.WHATIF_CONTENDER)
        _chart(plots.sweep_heatmap_figure(summary, paths[0], paths[1], contender, "accuracy"),
               "whatif_heatmap_chart", CAPTIONS["heatmap"])
    _chart(plots.sweep_tradeoff_figure(summary, colors=colors), "whatif_tradeoff_chart",
           CAPTIONS["tradeoff"])
    shown = summary.drop(columns=["setting"])
    st.dataframe(shown, key="whatif_table", hide_index=True,
                 column_config={c: st.column_config.NumberColumn(format="%.4f")
                                for c in shown.columns if c.startswith("accuracy_")})
    st.caption(CAPTIONS["table"])
    cols = st.columns(4)
    for col, (name, content) in zip(cols, sweep_files(frame).items()):
        col.download_button(name, data=content, file_name=name, mime="text/csv",
                            key=f"whatif_dl_{name}", on_click="ignore",
                            icon=":material/download:", width="stretch")


def _chart(fig, key: str, caption: str) -> None:
    st.plotly_chart(fig, key=key, config={"displaylogo": False})
    st.caption(caption)
