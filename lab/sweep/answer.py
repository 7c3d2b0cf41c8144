"""Answers, not just curves: the cheapest setting of a sweep that keeps a score above a target.

Given a sweep's summary (:func:`lab.sweep.stats.summarise_sweep`, one row per setting and
contender), :func:`answer_sweep` ranks the rows by a cost figure's mean over the seeds
(``cost_total`` by default: the ledger's total at the config's prices) and picks the cheapest row
that *keeps* the score (``accuracy``, ``kappa``, ...) at or above the user's target.

"Keeps" is judged, by default, on the **lower bound of the score's 95 % Student-t confidence
interval over the seeds** (``basis="lower"``), not on its mean: a setting whose mean accuracy is
90.2 % over 3 noisy seeds might well be below 90 % on the next stream, and the answer should say
"with 95 % confidence over seeds" (strictly: the mean over streams like these is above the target
at that confidence; single streams scatter more). ``basis="mean"`` judges on the mean instead.

Rules (each has a test in ``tests/test_sweep_answers.py``):

* A row qualifies when it has figures from every seed (``n_failed`` = 0, ``n_seeds`` >= 1), a
  ranked cost, and ``score >= target`` on the basis (the lower bound or the mean). With one seed
  the lower bound is undefined, so with ``basis="lower"`` nothing qualifies: the answer says to
  run 2 or more seeds or to judge by the mean.
* Ranking: by the cost figure's mean, lowest first; equal means go to the row that trained on
  fewer samples (``train_samples`` mean), then to fewer retrains (``retrains`` mean), then to the
  higher score on the basis, then to the earlier setting of the grid, then to the contender that
  comes first in the config (a column the summary lacks is skipped). Less training for the same
  bill is the sensible pick; the answer names the rule when its row ties with another on cost.
  Rows without a cost (every seed failed) come last.
* No prices (:func:`unpriced`): when no row pays for training, retrains or labels (the
  ``cost_compute``, ``cost_retrains`` and ``cost_labels`` means are all 0: the config sets no
  such price and varies none), a ledger figure is no measure of what a setting costs to run:
  ``cost_total`` is then the wrong predictions alone, and "the cheapest" would be the setting
  that retrains most often (a walk-through saw exactly that); the other parts are 0 for every
  row, a tie. The answer then ranks by training effort instead (``train_samples``, with the
  tie rule above), says so in its first sentence and where prices are set, and never calls a
  row "cheapest". ``cost_errors`` asked for by name keeps its ranking (it says what it counts).
* A row *depends* on the sweep when a varied setting applies to its contender: a path
  ``contenders[k]....`` applies to contender k only (the k-th row of each setting), any other path
  (the stream, the evaluation, the prices) to every contender. A contender no varied setting
  applies to ran the same race in every setting, so it is never "the setting that keeps" the
  target: when it is cheaper and keeps the target too, the answer says so and that its result
  does not depend on the setting.
* The answer is the first qualifying row of the ranking that depends on the sweep. When none
  qualifies, the *closest* row is the one with the highest score on the basis among the rows
  without a failed run (ties: the one ranked first), those that depend on the sweep first.
* :func:`default_contender`: when every varied path is one contender's, the app asks among that
  contender's rows by default.

>>> import pandas as pd
>>> summary = pd.DataFrame({
...     "setting": [0, 1], "contenders[1].policy.every": [1000, 4000],
...     "contender": ["Periodic", "Periodic"], "n_seeds": [3, 3], "n_failed": [0, 0],
...     "accuracy_mean": [0.93, 0.91], "accuracy_ci_low": [0.92, 0.90],
...     "accuracy_ci_high": [0.94, 0.92], "cost_total_mean": [1500.0, 1234.0],
...     "cost_total_ci_low": [1450.0, 1180.0], "cost_total_ci_high": [1550.0, 1290.0]})
>>> cfg = {"contenders": [{"name": "Frozen"}, {"name": "Periodic"}]}
>>> print(answer_sweep(summary, "accuracy", 0.9, config=cfg).sentence)
The cheapest setting that keeps accuracy ≥ 90 % (lower 95 % bound over 3 seeds) is Periodic with
samples between retrains = 4,000: total cost 1,234 (95 % CI 1,180–1,290), accuracy 91.0 %
(95 % CI 90.0–92.0 %).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from lab.spec.columns import SCORES
from lab.spec.costs import format_amount
from lab.spec.errors import ConfigError
from lab.spec.labels import format_kappa, format_value, path_label
from lab.sweep.grammar import quoted_short
from lab.sweep.stats import CONFIDENCE

#: The scores a target can be set on (higher is better; every one is at most 1).
TARGET_METRICS = ("accuracy", *SCORES)
#: Shown as percentages; the kappas as plain numbers (they can be negative).
PERCENT_METRICS = ("accuracy", "balanced_accuracy", "macro_f1")
METRIC_WORDS = {"accuracy": "accuracy", "kappa": "kappa", "kappa_m": "kappa-M",
                "kappa_t": "kappa-T", "balanced_accuracy": "balanced accuracy",
                "macro_f1": "macro F1"}
#: The figures a ranking can be by (lower is cheaper), with the words the answer uses.
RANK_FIGURES = {"cost_total": "total cost", "cost_compute": "compute cost",
                "cost_retrains": "retrain cost", "cost_labels": "label cost",
                "cost_errors": "error cost", "train_samples": "samples trained",
                "train_cpu_s": "training CPU seconds", "retrains": "retrains"}
BASES = ("lower", "mean")
#: The ledger parts that price running a setting (not its errors): all 0 means "no prices".
RUN_PRICE_PARTS = ("cost_compute", "cost_retrains", "cost_labels")
#: Figures that mean nothing without prices: ranked by training effort instead (see unpriced).
PRICED_FIGURES = ("cost_total", *RUN_PRICE_PARTS)
#: Equal ranking figures go to fewer of these first (means over the seeds, lower first).
TIE_BREAKS = ("train_samples", "retrains")
#: Where a user sets prices, named by the no-prices answer (the app and the config file).
PRICES_WHERE = "the Costs panel in the app's sidebar, or the config's costs"
MAX_LISTED = 40  # rows of the ranking printed by the CLI (answer.json has them all)


@dataclass(frozen=True)
class Target:
    """A score and the value it must keep at or above (``accuracy`` >= 0.9)."""

    metric: str
    value: float


def parse_target(text: str, origin: str = "--target") -> Target:
    """``METRIC=VALUE`` (``accuracy=0.9``, ``accuracy=90%``, ``kappa=0.6``) as a :class:`Target`.

    >>> parse_target("accuracy=90%"), parse_target(" kappa_t = 0.25 ")
    (Target(metric='accuracy', value=0.9), Target(metric='kappa_t', value=0.25))
    """
    fix = "write e.g. --target accuracy=0.9 (or accuracy=90%, kappa=0.6)"
    metric, sep, raw = str(text).partition("=")
    metric, raw = metric.strip(), raw.strip()
    if not sep or not metric or not raw:
        raise ConfigError(origin, f"{quoted_short(text)} is not METRIC=VALUE", fix)
    check_metric(metric, origin)
    percent = raw.endswith("%")
    number = raw[:-1].strip() if percent else raw
    try:
        value = float(number) if len(number) <= 30 else math.nan
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise ConfigError(origin, f"the target {quoted_short(raw)} is not a number", fix)
    if percent:
        value /= 100
    return check_target(Target(metric, value), origin)


def check_metric(metric: str, origin: str = "--target") -> str:
    if metric not in TARGET_METRICS:
        raise ConfigError(origin, f"{quoted_short(metric)} is not a score a target can be set on",
                          f"use one of {', '.join(TARGET_METRICS)}")
    return metric


def check_target(target: Target, origin: str = "--target") -> Target:
    """The target's value is possible for its score: at most 1 (100 %), and at least 0 for the
    shares (accuracy, balanced accuracy, macro F1)."""
    check_metric(target.metric, origin)
    low = 0.0 if target.metric in PERCENT_METRICS else -math.inf
    if not low <= target.value <= 1:
        shown = f"{target.value:g}"
        raise ConfigError(origin, f"a target on {METRIC_WORDS[target.metric]} must lie in "
                                  f"{'0' if low == 0 else '-inf'}..1, got {shown}",
                          f"write a share, e.g. {target.metric}=0.9 or {target.metric}=90%")
    return target


def format_score(metric: str, value: Any) -> str:
    """A score as the app shows it: shares as "91.2 %", kappas as "0.812"; "–" for none."""
    if _missing(value):
        return "–"
    if metric in PERCENT_METRICS:
        return f"{100 * float(value):.1f} %"
    return format_kappa(value)  # three decimals, never "-0.000"


def format_target(metric: str, value: float) -> str:
    """The target as the user gave it, without rounding it away ("90 %", "90.5 %", "0.6")."""
    if metric in PERCENT_METRICS:
        return f"{100 * value:.4g} %"
    return f"{value:.4g}"


def _interval(low: Any, high: Any, formatter) -> str:
    if _missing(low) or _missing(high):
        return "no CI with one seed"
    a, b = formatter(low), formatter(high)
    if a == b:  # e.g. samples trained, the same on every seed: no spread to show
        return "the same on every seed"
    if a.endswith(" %") and b.endswith(" %"):
        a = a[:-2]
    return f"95 % CI {a}–{b}"


def _missing(value: Any) -> bool:
    if value is None:
        return True
    try:
        return math.isnan(float(value))
    except (TypeError, ValueError):
        return True


_CONTENDER_PATH = re.compile(r"^contenders\[(\d+)\]")


def path_contender(path: str) -> int | None:
    """The position of the one contender a varied path applies to (``contenders[1].policy.every``
    -> 1), or None for a path that applies to every contender (``stream.n_samples``).

    >>> path_contender("contenders[1].policy.every"), path_contender("evaluation.label_delay")
    (1, None)
    """
    match = _CONTENDER_PATH.match(str(path))
    return int(match.group(1)) if match else None


def applies(path: str, position: int) -> bool:
    """Whether varying ``path`` changes the race of the contender at ``position``."""
    owner = path_contender(path)
    return owner is None or owner == position


def contender_positions(summary: pd.DataFrame,
                        config: Mapping[str, Any] | None = None) -> pd.Series:
    """Each row's contender position in the config: by its name in ``config``'s contenders when
    every name is found there; otherwise by its place in its setting (the rows of a setting
    come in the config's contender order in ``sweep_summary.csv``)."""
    entries = (config or {}).get("contenders") or []
    names = {str(c.get("name", f"contender {k + 1}")) if isinstance(c, Mapping) else "": k
             for k, c in enumerate(entries)}
    shown = summary["contender"].astype(str)
    if len(shown) and shown.isin(list(names)).all():
        return shown.map(names)
    return summary.groupby("setting", sort=False).cumcount()


def default_contender(summary: pd.DataFrame,
                      config: Mapping[str, Any] | None = None) -> str | None:
    """The contender to answer among by default: when every varied path is one contender's
    (``contenders[k]....``), that contender's name; otherwise (or a summary without varied paths)
    None: every contender.

    >>> frame = pd.DataFrame({"setting": [0, 0, 1, 1], "contenders[1].policy.every": [5, 5, 9, 9],
    ...                       "contender": ["Online", "Periodic", "Online", "Periodic"]})
    >>> default_contender(frame), default_contender(frame.rename(columns={
    ...     "contenders[1].policy.every": "stream.n_samples"}))
    ('Periodic', None)
    """
    owners = {path_contender(p) for p in _varied_paths(summary)}
    if len(owners) != 1 or None in owners:
        return None
    (owner,) = owners
    names = summary["contender"][contender_positions(summary, config) == owner]
    names = names.astype(str).unique()
    return str(names[0]) if len(names) == 1 else None


def _setting_parts(row: Mapping[str, Any], paths: Sequence[str],
                   config: Mapping[str, Any] | None) -> list[str]:
    name = str(row["contender"])
    parts = []
    for path in paths:
        label = path_label(path, config)
        if label.startswith(f"{name}: "):
            label = label[len(name) + 2:]
        parts.append(f"{label} = {format_value(path, row[path])}")
    return parts


def describe_setting(row: Mapping[str, Any], paths: Sequence[str],
                     config: Mapping[str, Any] | None = None,
                     unused: Sequence[str] = ()) -> str:
    """A (setting, contender) row in words: "Periodic with samples between retrains = 4,000;
    Label delay (samples) = 0". A setting of the contender's own policy drops the repeated
    contender name from its label. ``unused``: varied paths that do not apply to the row's
    contender, named apart ("Online (does not use Periodic: samples between retrains =
    500)"), so a row never reads as if that setting made it."""
    used = _setting_parts(row, [p for p in paths if p not in unused], config)
    text = f"{row['contender']} with {'; '.join(used)}" if used else str(row["contender"])
    if unused:
        text += f" (does not use {'; '.join(_setting_parts(row, unused, config))})"
    return text


def _varied_paths(summary: pd.DataFrame) -> list[str]:
    cols = list(summary.columns)
    end = cols.index("contender") if "contender" in cols else 0
    return [c for c in cols[:end] if c != "setting"]


def unpriced(summary: pd.DataFrame) -> bool:
    """Whether no row of a sweep summary pays for running: every ``cost_compute``,
    ``cost_retrains`` and ``cost_labels`` mean is 0 (False when a column is missing: a summary
    without the ledger says nothing about prices).

    >>> unpriced(pd.DataFrame({"cost_compute_mean": [0.0], "cost_retrains_mean": [0.0],
    ...                        "cost_labels_mean": [0.0]}))
    True
    >>> unpriced(pd.DataFrame({"cost_compute_mean": [0.0], "cost_retrains_mean": [50.0],
    ...                        "cost_labels_mean": [0.0]}))
    False
    """
    columns = [f"{part}_mean" for part in RUN_PRICE_PARTS]
    if len(summary) == 0 or any(c not in summary.columns for c in columns):
        return False
    values = summary[columns].apply(pd.to_numeric, errors="coerce").fillna(0.0)
    return bool((values == 0).all().all())


def tie_rule_words(rank_by: str, summary_columns: Sequence[str] = ()) -> str:
    """How equal figures are ordered, in the words the answer and the app's caption use
    ("fewer samples trained, then fewer retrains, then the higher score, then the earlier
    setting"); a figure the summary lacks is left out, as the ranking leaves it out."""
    words = {"train_samples": "fewer samples trained", "retrains": "fewer retrains"}
    parts = [words[f] for f in TIE_BREAKS if f != rank_by
             and (not summary_columns or f"{f}_mean" in summary_columns)]
    return ", then ".join([*parts, "the higher score", "the earlier setting"])


@dataclass(frozen=True)
class SweepAnswer:
    """What :func:`answer_sweep` found: the ranking, the answer and its sentence."""

    metric: str
    target: float
    basis: str
    rank_by: str
    contender: str | None
    paths: list
    ranking: pd.DataFrame  # the summary's rows ranked: + rank, qualifies, depends, description
    choice: dict | None  # the ranking row of the cheapest qualifying setting
    closest: dict | None  # when none qualifies: the row that came closest
    sentence: str
    confidence: float = CONFIDENCE
    notes: list = field(default_factory=list)
    #: no row pays for running (:func:`unpriced`): ranked by training effort, not by a bill
    unpriced: bool = False
    #: the figure asked for (``rank_by`` is the one ranked by: ``train_samples`` when unpriced)
    asked_rank_by: str = ""

    def to_dict(self) -> dict:
        """The ``answer.json`` document (NaN written as null)."""
        def row(r: Mapping | None) -> dict | None:
            if r is None:
                return None
            return {"rank": int(r["rank"]), "setting": int(r["setting"]),
                    "values": {p: _plain(r[p]) for p in self.paths},
                    "contender": str(r["contender"]), "description": r["description"],
                    "n_seeds": int(r["n_seeds"]), "n_failed": int(r["n_failed"]),
                    "cost": {s: _plain(r[f"{self.rank_by}_{s}"])
                             for s in ("mean", "ci_low", "ci_high")},
                    "score": {s: _plain(r[f"{self.metric}_{s}"])
                              for s in ("mean", "ci_low", "ci_high")},
                    "qualifies": bool(r["qualifies"]), "depends": bool(r["depends"])}

        return {"metric": self.metric, "target": self.target, "basis": self.basis,
                "confidence": self.confidence, "rank_by": self.rank_by,
                "asked_rank_by": self.asked_rank_by or self.rank_by, "unpriced": self.unpriced,
                "contender": self.contender, "answer": self.sentence,
                "choice": row(self.choice), "closest": row(self.closest),
                "ranking": [row(r) for r in self.ranking.to_dict("records")]}


def _plain(value: Any) -> Any:
    """A table cell as JSON: numpy numbers as Python ones, NaN as None."""
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def answer_sweep(summary: pd.DataFrame, metric: str, target: float, *,
                 contender: str | None = None, rank_by: str = "cost_total",
                 basis: str = "lower", config: Mapping[str, Any] | None = None) -> SweepAnswer:
    """Rank ``summary``'s rows by ``rank_by``'s mean and find the cheapest one whose ``metric``
    keeps at or above ``target`` (on the lower 95 % bound, or on the mean with
    ``basis="mean"``); see the module docstring for the rules. ``contender`` restricts the
    answer to one contender's rows (None: every contender's settings compete). ``config`` (the
    swept config) names settings and contenders in plain words.

    Raises :class:`ConfigError` for an unknown metric, figure, basis or contender, a target
    outside its score's range, or a summary without the needed columns (one written before
    the cost ledger: run the sweep again).
    """
    check_target(Target(metric, float(target)))
    if rank_by not in RANK_FIGURES:
        raise ConfigError("--rank-by", f"{quoted_short(rank_by)} is not a figure to rank by",
                          f"use one of {', '.join(RANK_FIGURES)}")
    if basis not in BASES:
        raise ConfigError("--target-by", f"{quoted_short(basis)} is not a basis",
                          "use lower (the lower 95 % bound) or mean")
    needed = [f"{f}_{s}" for f in (metric, rank_by) for s in ("mean", "ci_low", "ci_high")]
    missing = [c for c in ["setting", "contender", "n_seeds", "n_failed", *needed]
               if c not in summary.columns]
    if missing:
        raise ConfigError("sweep_summary.csv", f"has no column {missing[0]} (a sweep written "
                                               "before the cost ledger?)",
                          "run the sweep again: its stored runs are run anew and the tables "
                          "rewritten")
    asked = rank_by
    no_prices = unpriced(summary) and rank_by in PRICED_FIGURES
    if no_prices and all(f"train_samples_{s}" in summary.columns
                         for s in ("mean", "ci_low", "ci_high")):
        rank_by = "train_samples"  # a bill of errors alone is no cost of running a setting
    paths = _varied_paths(summary)
    rows = summary.copy()
    rows["_order"] = range(len(rows))
    rows["_position"] = contender_positions(summary, config).to_numpy()
    if contender is not None:
        names = list(dict.fromkeys(rows["contender"].astype(str)))
        if str(contender) not in names:
            raise ConfigError("--contender", f"{quoted_short(contender)} is not a contender of "
                                             "this sweep",
                              f"use one of {', '.join(quoted_short(n) for n in names)}")
        rows = rows[rows["contender"].astype(str) == str(contender)]
    positions = {name: k for k, name in enumerate(dict.fromkeys(summary["contender"].astype(str)))}
    score_column = f"{metric}_ci_low" if basis == "lower" else f"{metric}_mean"
    cost_column = f"{rank_by}_mean"

    def number(value: Any) -> float:
        return math.nan if _missing(value) else float(value)

    records = rows.to_dict("records")
    for r in records:
        cost, score = number(r[cost_column]), number(r[score_column])
        r["qualifies"] = bool(int(r["n_failed"]) == 0 and int(r["n_seeds"]) >= 1
                              and not math.isnan(cost) and not math.isnan(score)
                              and score >= target)
        unused = [p for p in paths if not applies(p, int(r["_position"]))]
        r["depends"] = len(unused) < len(paths) or not paths
        r["description"] = describe_setting(r, paths, config, unused)

    breaks = [f"{f}_mean" for f in TIE_BREAKS if f != rank_by and f"{f}_mean" in rows.columns]

    def rank_key(r: dict) -> tuple:
        cost, score = number(r[cost_column]), number(r[score_column])
        efforts = tuple(number(r[c]) for c in breaks)
        return (math.isnan(cost), cost if not math.isnan(cost) else 0.0,
                *((math.isnan(e), 0.0 if math.isnan(e) else e) for e in efforts),
                -score if not math.isnan(score) else math.inf,
                int(r["setting"]), positions[str(r["contender"])], r["_order"])

    records.sort(key=rank_key)
    for k, r in enumerate(records, start=1):
        r["rank"] = k
    ranking = pd.DataFrame(records, columns=[*rows.columns, "qualifies", "depends",
                                             "description", "rank"])
    ranking = ranking.drop(columns=["_order", "_position"])
    ranking = ranking[["rank", *[c for c in ranking.columns if c != "rank"]]]
    # a contender no varied setting applies to is never "the setting that keeps" the target;
    # asked about that contender alone, its (identical) rows are all there is
    candidates = [r for r in records if r["depends"]] or records
    choice = next((r for r in candidates if r["qualifies"]), None)
    closest = None
    if choice is None:
        scored = [r for r in candidates if int(r["n_failed"]) == 0
                  and not math.isnan(number(r[score_column]))
                  and not math.isnan(number(r[cost_column]))]
        if scored:  # the highest score; ties: the one ranked first (max keeps the first)
            closest = max(scored, key=lambda r: number(r[score_column]))
    # the cheapest row that keeps the target without depending on the sweep, if it is cheaper
    shortcut = next((r for r in records if r["qualifies"] and not r["depends"]), None)
    if shortcut is not None and choice is not None and shortcut["rank"] > choice["rank"]:
        shortcut = None
    if not any(r["depends"] for r in records):
        shortcut = None  # said by the sentence itself
    for r in (choice, closest, shortcut):
        if r is not None:
            r.pop("_order", None)
            r.pop("_position", None)
    setting_words = "; ".join(path_label(p, config) for p in paths)
    sentence = _sentence(records, choice, closest, metric, float(target), basis, rank_by,
                         contender, shortcut, setting_words, no_prices)
    tied = [] if choice is None else [
        r for r in records if r is not choice and r["depends"]
        and number(r[cost_column]) == number(choice[cost_column])]
    if tied:  # the rule that put it first is part of the answer
        others = f"{len(tied)} other row{'s' if len(tied) != 1 else ''}"
        sentence += (f" It ties on {RANK_FIGURES[rank_by]} with {others}; ties go to "
                     f"{tie_rule_words(rank_by, list(rows.columns))}.")
    if no_prices:
        sentence = _no_prices_words(asked, rank_by, list(rows.columns)) + " " + sentence
    return SweepAnswer(metric, float(target), basis, rank_by, contender, paths,
                       ranking.reset_index(drop=True), choice, closest, sentence,
                       unpriced=no_prices, asked_rank_by=asked)


def _no_prices_words(asked: str, rank_by: str, columns: Sequence[str]) -> str:
    """The no-prices answer's first sentences: what the bill is without prices, where prices
    are set, and what the ranking is by instead."""
    bill = ("the total cost is only the wrong predictions (1 each by default)"
            if asked == "cost_total" else f"every setting's {RANK_FIGURES[asked]} is 0")
    text = (f"No prices are set for training, retrains or labels ({PRICES_WHERE}), so {bill}: "
            "it does not say which setting costs less to run.")
    if rank_by == asked:  # no training figures to rank by: the ledger's order, said as such
        return text + f" Ranked by {RANK_FIGURES[asked]} all the same."
    return (text + f" Ranked by training effort instead: fewest {RANK_FIGURES[rank_by]} first, "
            f"then {tie_rule_words(rank_by, columns)}.")


def _basis_words(basis: str, n_seeds: int) -> str:
    seeds = f"{n_seeds} seed{'s' if n_seeds != 1 else ''}"
    return (f"lower {round(100 * CONFIDENCE)} % bound over {seeds}" if basis == "lower"
            else f"mean over {seeds}")


def _figures_text(r: dict, metric: str, rank_by: str) -> str:
    cost = (f"{RANK_FIGURES[rank_by]} {format_amount(r[f'{rank_by}_mean'])} "
            f"({_interval(r[f'{rank_by}_ci_low'], r[f'{rank_by}_ci_high'], format_amount)})")
    low, high = r[f"{metric}_ci_low"], r[f"{metric}_ci_high"]
    score = (f"{METRIC_WORDS[metric]} {format_score(metric, r[f'{metric}_mean'])} "
             f"({_interval(low, high, lambda v: format_score(metric, v))})")
    return f"{cost}, {score}"


def _sentence(records: list, choice: dict | None, closest: dict | None, metric: str,
              target: float, basis: str, rank_by: str, contender: str | None,
              shortcut: dict | None = None, setting_words: str = "",
              no_prices: bool = False) -> str:
    words = METRIC_WORDS[metric]
    # without prices nothing is "cheaper": the least trained (or the first ranked) instead
    best = "least-trained" if rank_by == "train_samples" and no_prices else "cheapest"
    if no_prices and rank_by != "train_samples":
        best = "first-ranked"
    fewer = {"cheapest": ("cheaper", "costs less"),
             "least-trained": ("less-trained", "trains less"),
             "first-ranked": ("higher-ranked", "ranks higher")}[best]
    goal = f"{words} ≥ {format_target(metric, target)}"
    what = "setting" if contender is None else f"setting of {contender}"
    independent = f"its result does not depend on {setting_words or 'the varied settings'}"
    if records and not any(r["depends"] for r in records):
        # one contender that no varied setting applies to: every row is the same race
        first = choice or closest or records[0]
        text = f"{first['contender']} does not use the varied setting: {independent}."
        seeds = int(first["n_seeds"])
        if choice is not None or closest is not None:
            verb = "keeps" if choice is not None else "does not keep"
            return (f"{text} It {verb} {goal} ({_basis_words(basis, seeds)}): "
                    f"{_figures_text(first, metric, rank_by)}.")
        text += f" It does not keep {goal} ({_basis_words(basis, seeds)})."
        if basis == "lower":
            text += (" With one seed there is no confidence interval: run 2 or more seeds, or "
                     "judge by the mean.")
        return text
    aside = ""
    if shortcut is not None:
        aside = (f" {shortcut['contender']} "
                 f"{fewer[1] + ' and keeps it too' if choice else 'keeps it'} "
                 f"({_figures_text(shortcut, metric, rank_by)}), but {independent}.")
    if choice is not None:
        text = (f"The {best} {what} that keeps {goal} "
                f"({_basis_words(basis, int(choice['n_seeds']))}) is {choice['description']}: "
                f"{_figures_text(choice, metric, rank_by)}.")
        # strictly cheaper: a row ranked first only by the tie rule costs the same (the tie
        # sentence after this one says so)
        figure = f"{rank_by}_mean"
        cheaper = sum(1 for r in records if r["depends"] and r["rank"] < choice["rank"]
                      and not _missing(r[figure]) and float(r[figure]) < float(choice[figure]))
        if cheaper:
            text += (f" {cheaper} {fewer[0]} "
                     f"{'setting falls' if cheaper == 1 else 'settings fall'} short.")
        return text + aside
    seeds = max((int(r["n_seeds"]) for r in records), default=0)
    text = f"No {what} keeps {goal} ({_basis_words(basis, seeds)})."
    if closest is not None:
        level = closest[f"{metric}_ci_low" if basis == "lower" else f"{metric}_mean"]
        text += (f" Closest: {closest['description']}, with {words} "
                 f"{format_score(metric, level)} on that basis: "
                 f"{_figures_text(closest, metric, rank_by)}.")
    elif basis == "lower" and records:
        text += (" With one seed there is no confidence interval: run 2 or more seeds, or judge "
                 "by the mean.")
    return text + aside


def ranking_lines(answer: SweepAnswer, limit: int = MAX_LISTED) -> list[str]:
    """The ranking as the CLI prints it: a header and one line per row (at most ``limit``),
    the qualifying rows marked ``yes``."""
    metric, rank_by = answer.metric, answer.rank_by
    header = ("rank", "setting", RANK_FIGURES[rank_by] + " (95% CI)",
              METRIC_WORDS[metric] + " (95% CI)", "keeps target")
    rows = [header]
    for r in answer.ranking.to_dict("records")[:limit]:
        cost = format_amount(r[f"{rank_by}_mean"])
        if not _missing(r[f"{rank_by}_ci_low"]):
            cost += (f" [{format_amount(r[f'{rank_by}_ci_low'])}, "
                     f"{format_amount(r[f'{rank_by}_ci_high'])}]")
        score = format_score(metric, r[f"{metric}_mean"])
        if not _missing(r[f"{metric}_ci_low"]):
            score += (f" [{format_score(metric, r[f'{metric}_ci_low'])}, "
                      f"{format_score(metric, r[f'{metric}_ci_high'])}]")
        rows.append((str(r["rank"]), r["description"], cost, score,
                     "yes" if r["qualifies"] else "no"))
    widths = [max(len(r[k]) for r in rows) for k in range(len(header))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(r, widths)).rstrip() for r in rows]
    if len(answer.ranking) > limit:
        lines.append(f"... {len(answer.ranking) - limit} more rows in answer.json")
    return lines
