"""The What-if tab: sweep the shown run's config over one or two parameters and several seeds
(streamlit; the sweep itself is ``lab.sweep``, the charts ``lab.plots``).

The sweep starts from the config of the run on screen, so its numbers equal
``python -m lab sweep --config config.json --vary ... --seeds K`` for that config (the tab shows
that command). A sweep estimated above :data:`MAX_SWEEP_S` seconds is refused here and handed to
the command line. Finished sweeps are kept across sessions in the server's run store
(``ui.run_store``) keyed on (base config JSON, vary, seeds), a pure function of them.

Widget keys (stable, for tests and people): ``whatif_p1`` / ``whatif_p2`` (parameter choice),
``whatif_custom1`` / ``whatif_custom2`` (the "any path" text), ``whatif_v1`` / ``whatif_v2``
(comma-separated values), ``whatif_seeds``, ``whatif_run``, ``whatif_contender`` (heatmap);
the answer under the results (cheapest setting that keeps a target) has its own, listed in
``ui.whatif_answer``.
"""

from __future__ import annotations

import json
import math
import os
import shlex
import time

import pandas as pd
import streamlit as st

from lab import plots
from lab.spec.costs import format_amount
from lab.spec.errors import ConfigError
from lab.spec.jsontext import parse_json_text
from lab.spec.labels import describe_changes, format_duration, format_value, path_label
from lab.sweep.answer import unpriced
from lab.sweep.executors import run_sweep
from lab.sweep.grammar import parse_vary
from lab.sweep.plan import plan_sweep
from lab.sweep.stats import summarise_sweep, sweep_files
from lab.validate import parse_experiment
from ui import keys as K
from ui.number_checks import NumberField, out_of_range
from ui.run_store import run_store
from ui.scroll import steady_scroll_script
from ui.text import escape_markdown
from ui.whatif_answer import ANSWER_KEYS, answer_section, fitted_config

ss = st.session_state

CUSTOM = "__custom__"
NONE = "__none__"
MAX_SEEDS = 10
SEEDS_FIELD = NumberField("Seeds", 1, MAX_SEEDS, f"type 1 to {MAX_SEEDS} seeds")
KEYS = ("whatif_p1", "whatif_p2", "whatif_custom1", "whatif_custom2", "whatif_v1", "whatif_v2",
        "whatif_seeds", "whatif_contender", "whatif_for", *ANSWER_KEYS)

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
    "table": "Mean over the seeds for each setting and contender, with the accuracy's 95 % "
             "confidence interval ('–' with a single seed); sweep_summary.csv below has every "
             "metric's interval at full precision.",
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
    """Useful config paths of ``cfg`` -> (plain label, suggested values), in the order offered;
    the labels are :func:`lab.spec.labels.path_label`'s, as on the charts' axes."""
    out: dict[str, tuple[str, list]] = {}
    n = int(cfg["stream"]["n_samples"])

    def offer(path: str, values: list) -> None:
        out[path] = (path_label(path, cfg), values)

    for i, c in enumerate(cfg.get("contenders", [])):
        p = c.get("policy", {})
        kind = p.get("kind")
        if kind in ("periodic", "hybrid"):
            offer(f"contenders[{i}].policy.every", _spread(p.get("every", 1000)))
        if kind in ("periodic", "hybrid", "triggered") and p.get("window") is not None:
            offer(f"contenders[{i}].policy.window", _spread(p["window"]))
        if kind == "triggered":
            offer(f"contenders[{i}].policy.detector", ["adwin", "page_hinkley", "kswin"])
        if kind == "minibatch" and p.get("size") is not None:
            offer(f"contenders[{i}].policy.size", _spread(p["size"]))
    delay = int(cfg["evaluation"].get("label_delay", 0))
    offer("evaluation.label_delay", [0, 100, 500] if delay == 0 else _spread(delay, 0))
    for k, d in enumerate(cfg["stream"].get("drifts", [])):
        width = int(d.get("width", 0))
        offer(f"stream.drifts[{k}].width", [0, 1000, 3000] if width == 0 else
              sorted({0, width // 2, width, width * 2}))
        at, step = int(d["at"]), max(1, n // 10)
        offer(f"stream.drifts[{k}].at", sorted({max(1, at - step), at, min(n - 1, at + step)}))
    noise = float(cfg["stream"].get("label_noise", 0.0))
    offer("stream.label_noise", [0.0, 0.1, 0.2] if noise == 0
          else [0.0, noise, min(0.5, 2 * noise)])
    offer("stream.n_samples", [n, n + n // 2])
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
        return choices[path][0]  # the plain label: the path is in the command line below

    def suggest() -> None:
        path = ss.get(pkey)
        if path in choices:
            ss[vkey] = values_text(choices[path][1])
        elif path == CUSTOM:
            ss[vkey] = ""

    if vkey not in ss:
        suggest()
    choice, values = st.columns([3, 2], vertical_alignment="bottom")
    choice.selectbox(f"Parameter {slot}", options, key=pkey, format_func=label,
                     on_change=suggest)
    path = ss[pkey]
    if path == NONE:
        return "", ""
    if path == CUSTOM:
        path = st.text_input("Config path", key=ckey, placeholder="e.g. contenders[0].model",
                             help="any value of the config JSON, written like "
                                  "stream.drifts[0].to.angle or contenders[1].policy.data").strip()
        if path:
            st.caption(f"Varies: {escape_markdown(path_label(path, cfg))}")
    values.text_input("Values (comma-separated)", key=vkey,
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
    # One parameter under the other, each choice the tab's whole width: side by side (two
    # fifths of the tab each) the plain labels were cut at 1024 px ("Periodic retrain: sam…").
    path1, text1 = _parameter_picker(1, choices, cfg, optional=False)
    path2, text2 = _parameter_picker(2, choices, cfg, optional=True)
    ss.setdefault(K.WHATIF_SEEDS, 3)
    # no min/max: the browser would refuse 20 silently and sweep the old count; checked below
    seeds_col, _ = st.columns([1, 3])
    seeds = seeds_col.number_input("Seeds", key=K.WHATIF_SEEDS, step=1,
                                   help="each setting runs with seeds seed, seed+1, …; 2 or "
                                        "more give confidence intervals")

    plan, error = None, None
    try:
        problem = out_of_range(seeds, SEEDS_FIELD)
        if problem:
            raise ConfigError(SEEDS_FIELD.label, problem, SEEDS_FIELD.fix)
        seeds = int(seeds)
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
        _show_results(ss.get(K.WHATIF_LAST), None, cfg, config_json)
        return

    limit = max_sweep_seconds()
    estimate = plan.estimate_seconds(jobs=1)
    too_big = estimate > limit
    key = sweep_key(config_json, plan.vary, seeds)
    cached = run_store("sweep").get(key)
    size = (f"{len(plan.settings)} setting{'s' if len(plan.settings) != 1 else ''} × {seeds} "
            f"seed{'s' if seeds != 1 else ''} = **{plan.n_runs} runs**, estimated "
            f"**{format_duration(estimate)}**")
    command = cli_command(plan.vary, seeds)
    # wide enough for "Run sweep" at 1024 px (a sixth of the page cut it to "Run s...")
    run_col, info_col = st.columns([1.6, 5], vertical_alignment="center")
    clicked = run_col.button("Run sweep", key="whatif_run", type="primary",
                             icon=":material/play_arrow:", width="stretch",
                             disabled=too_big and cached is None)
    if cached is not None:
        info_col.caption(f"{size}; already run (from the cache).")
    elif too_big:
        info_col.caption(size)
        st.warning(f"This sweep is too big for the server: about {format_duration(estimate)}, "
                   f"more than the {format_duration(limit)} allowed here. Run it from the "
                   "command line "
                   "instead (with the config of this run, downloaded below); it runs in "
                   "parallel, shows a progress bar and resumes if interrupted:",
                   icon=":material/block:")
    else:
        info_col.caption(f"{size} (limit here {format_duration(limit)}).")
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
    with st.container(key=RESULTS_KEY):
        _show_results(ss.get(K.WHATIF_LAST), key, cfg, config_json)
    if clicked and result is not None:
        bring_sweep_into_view()


# ---------------------------------------------------------------------------------------------
# The results in view after Run sweep
# ---------------------------------------------------------------------------------------------
RESULTS_KEY = "whatif_results"  # the block of the sweep's charts, table and answer
SCROLLS = "whatif_scrolls"  # scripts sent this session: each differs from the last
# After Run sweep the page stayed on the form, the results below the window (session 11's
# walk-through at 1366 and 1024 px). This scrolls, once per sweep, the results' top just under
# the row of Run and the result tabs' names (which stick under it; ui.scroll.TABS_CSS) once
# their first chart is drawn and has stood still for three checks: ui.scroll's pattern
# (ui.scroll.steady_scroll_script), a constant script (no user text) in a 1-px st.iframe.
SWEEP_SCROLL_SCRIPT = steady_scroll_script("scroll", f".st-key-{RESULTS_KEY}", after="""
    const tabs = target.closest('[data-testid="stTabs"]');
    const names = tabs && tabs.querySelector('[role="tablist"]');
    if (names) scroller(target).scrollBy({top: -names.getBoundingClientRect().height});
""")


def bring_sweep_into_view() -> None:
    """After Run sweep: the sweep's results under the row of Run and the tabs' names."""
    ss[SCROLLS] = ss.get(SCROLLS, 0) + 1
    st.iframe(SWEEP_SCROLL_SCRIPT % ss[SCROLLS], height=1)


def swept_setup(result: dict) -> str:
    """The base config JSON a stored sweep ran on (its cache key holds it, see
    :func:`sweep_key`)."""
    return json.loads(result["key"])["config"]


def other_setup_notice(result: dict, config_json: str) -> str | None:
    """The notice shown instead of a sweep that ran on another setup than the run shown (None
    when it ran on this one): the sweep in words and what changed since, in plain labels.
    A walk-through changed the setup after a sweep, raced it, and read the old sweep's answer
    as if it were about the new setup."""
    old = swept_setup(result)
    if old == config_json:
        return None
    change = describe_changes(json.loads(old), json.loads(config_json), 5) or "other settings"
    return ("The last sweep (" + _sweep_words(result, json.loads(config_json))
            + f") ran on another setup; since then: {change}. Its results and answer are not "
              "shown, since they are not about this setup.")


def _sweep_words(result: dict, cfg: dict) -> str:
    """"Periodic retrain: samples between retrains = 300, 1,200, 2 seeds"."""
    return ("; ".join(f"{path_label(p, cfg)} = " + ", ".join(format_value(p, x) for x in v)
                      for p, v in result["vary"].items())
            + f", {result['seeds']} seed{'s' if result['seeds'] != 1 else ''}")


def _show_results(result: dict | None, key: str | None, cfg: dict, config_json: str) -> None:
    """The last sweep's charts, table, files and answer, only when it ran on the setup of the
    run shown (``config_json``, the sweep's base); else a notice of what changed. ``cfg`` (the
    run's config) names the varied settings and contenders in plain labels."""
    if result is None:
        return
    notice = other_setup_notice(result, config_json)
    if notice is not None:
        st.info(f"{escape_markdown(notice)} Press **Run sweep** to sweep this one.",
                icon=":material/history:")
        return
    frame: pd.DataFrame = result["df"]
    paths = list(result["vary"])
    if key is not None and result["key"] != key:
        st.info("The results below are from the previous sweep ("
                + escape_markdown(_sweep_words(result, cfg))
                + "). Press **Run sweep** for the new one.",
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
            _chart(plots.sweep_line_figure(summary, paths[0], "accuracy", colors=colors,
                                           config=cfg),
                   "whatif_accuracy_chart", CAPTIONS["line_accuracy"])
        with right:
            _chart(plots.sweep_line_figure(summary, paths[0], "train_samples", colors=colors,
                                           config=cfg),
                   "whatif_cost_chart", CAPTIONS["line_cost"])
    else:
        if ss.get(K.WHATIF_CONTENDER) not in names:
            ss[K.WHATIF_CONTENDER] = names[0]
        contender = st.selectbox("Contender", names, key=K.WHATIF_CONTENDER)
        _chart(plots.sweep_heatmap_figure(summary, paths[0], paths[1], contender, "accuracy",
                                          config=cfg),
               "whatif_heatmap_chart", CAPTIONS["heatmap"])
    _chart(plots.sweep_tradeoff_figure(summary, colors=colors, config=cfg), "whatif_tradeoff_chart",
           CAPTIONS["tradeoff"])
    table = results_table(summary, paths, cfg)
    st.dataframe(styled_results(table), key="whatif_table", hide_index=True,
                 column_config=fitted_config(table, results_formats(table),
                                             st.column_config.Column, TABLE_HELP))
    st.caption(CAPTIONS["table"])
    files = list(sweep_files(frame).items())
    for row in range(0, len(files), 2):  # two a row: four in a row cut the names at 1024 px
        for col, (name, content) in zip(st.columns(2), files[row:row + 2]):
            col.download_button(name, data=content, file_name=name, mime="text/csv",
                                key=f"whatif_dl_{name}", on_click="ignore",
                                icon=":material/download:", width="stretch")
    answer_section(summary, cfg)


def _chart(fig, key: str, caption: str) -> None:
    st.plotly_chart(fig, key=key, config={"displaylogo": False})
    st.caption(caption)


# ---------------------------------------------------------------------------------------------
# The results table: plain headers, numbers as people read them
# ---------------------------------------------------------------------------------------------
# sweep summary column -> (header, kind); the headers are the Summary tab's where they mean the
# same, kinds as in ui.tables.format_cell (share as "74.5 %", counts with separators).
TABLE_COLUMNS: dict[str, tuple[str, str]] = {
    "contender": ("Contender", "text"),
    "accuracy_mean": ("Accuracy", "percent"),
    "accuracy_ci": ("Accuracy 95 % CI", "text"),
    "train_samples_mean": ("Trained samples", "count"),
    "train_cpu_s_mean": ("Training CPU s", "seconds"),
    "retrains_mean": ("Retrains", "mean_count"),
    "mean_staleness_mean": ("Mean staleness", "count"),
    "cost_total_mean": ("Total cost", "money"),
    "n_seeds": ("Seeds", "count"),
    "n_failed": ("Failed runs", "count"),
}
TABLE_HELP = {
    "Accuracy": "Share of the scored samples predicted right, mean over the seeds.",
    "Accuracy 95 % CI": "95 % confidence interval of the mean accuracy over the seeds "
                        "(Student's t); '–' with a single seed.",
    "Trained samples": "Samples fed to training (all fits and updates), mean over the seeds. "
                       "With no prices set, the answer below ranks the settings by it.",
    "Training CPU s": "Measured training CPU seconds, mean over the seeds.",
    "Retrains": "From-scratch retrains after the first fit, mean over the seeds.",
    "Mean staleness": "Mean age, in samples, of the newest example the deployed model had "
                      "learned, mean over the seeds.",
    "Total cost": "The cost ledger's total (compute + retrains + labels + errors) at the "
                  "config's prices, mean over the seeds.",
    "Seeds": "Seeds whose run finished (the mean is over these).",
    "Failed runs": "Runs of this setting and contender that failed (left out of the means).",
}


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def format_number(kind: str, value) -> str:
    """A table number as the page shows it: shares as percentages with one decimal (the
    story's and the Summary tab's rounding), counts with thousands separators, seconds with
    two decimals, means of counts with one decimal unless whole, ledger amounts by
    :func:`lab.spec.costs.format_amount`; "–" for no value.

    >>> format_number("percent", 0.7445), format_number("count", 5333.3333)
    ('74.5 %', '5,333')
    >>> format_number("mean_count", 2.5), format_number("mean_count", 3.0)
    ('2.5', '3')
    >>> format_number("seconds", 0.123456), format_number("percent", float("nan"))
    ('0.12', '–')
    >>> format_number("money", 1234.5), format_number("money", 71.25)
    ('1,234', '71.25')
    """
    if kind == "text":
        return "" if value is None else str(value)
    if _missing(value):
        return "–"
    value = float(value)
    if kind == "percent":
        return f"{100 * value:.1f} %"
    if kind == "seconds":
        return f"{value:.2f}"
    if kind == "money":
        return format_amount(value)
    if kind == "mean_count" and not value.is_integer():
        return f"{value:,.1f}"
    return f"{value:,.0f}"


def _ci_text(low, high) -> str:
    if _missing(low) or _missing(high):
        return "–"
    return f"{100 * float(low):.1f}–{100 * float(high):.1f} %"


def results_table(summary: pd.DataFrame, paths: list[str], cfg: dict) -> pd.DataFrame:
    """The What-if table: one row per (setting, contender), the varied settings under their
    plain labels, then the contender and the means over the seeds under the Summary tab's
    headers. The values stay values (the table sorts by them) and :func:`styled_results`
    formats them; ``table.attrs["paths"]`` maps each setting's header to its config path.
    "Failed runs" only when a run failed; "Total cost" only when a price for training,
    retrains or labels is set (:func:`lab.sweep.answer.unpriced`): without one it is the wrong
    predictions alone (the Accuracy column again, as a count), and the answer ranks by
    "Trained samples" instead."""
    table = pd.DataFrame(index=summary.index)
    headers: dict[str, str] = {}
    for path in paths:
        header = path_label(path, cfg)
        while header in table.columns:  # two paths with one label: keep both columns
            header += " "
        table[header] = summary[path].tolist()
        headers[header] = path
    for column, (header, _) in TABLE_COLUMNS.items():
        if column == "accuracy_ci":
            table[header] = [_ci_text(lo, hi) for lo, hi in
                             zip(summary["accuracy_ci_low"], summary["accuracy_ci_high"])]
        elif column == "n_failed" and not summary[column].astype(bool).any():
            continue
        elif column == "cost_total_mean" and unpriced(summary):
            continue
        else:
            table[header] = summary[column].tolist()
    table = table.reset_index(drop=True)
    table.attrs["paths"] = headers
    return table


def results_formats(table: pd.DataFrame) -> dict:
    """``{column: function giving its text}`` of :func:`styled_results`."""
    kinds = {header: kind for header, kind in TABLE_COLUMNS.values()}
    formats = {c: (lambda v, kind=kinds[c]: format_number(kind, v))
               for c in table.columns if kinds.get(c, "text") != "text"}
    for header, path in table.attrs.get("paths", {}).items():
        formats[header] = lambda v, path=path: format_value(path, v, max_chars=40)
    return formats


def styled_results(table: pd.DataFrame):
    """:func:`results_table` as a pandas Styler that shows every number by
    :func:`format_number` (the data underneath keep full precision)."""
    return table.style.format(results_formats(table))
