"""A short story of a race, in plain words, computed from the ``summary.json`` numbers only.

The app shows it above the charts so that a reader gets the headline without reading tables:
which contender is most accurate before and after each drift, how hard the drift hit it, and what
that cost in training. Everything comes from the summary (``accuracy_by_segment``, ``max_drop``,
``recovery``, ``train_samples``, ``retrains``), so the story of a run rebuilt from its
``summary.json`` is the same as the one the app showed.

Baselines: the contender named "most accurate" is always set against the no-change and
majority baselines (``no_change_accuracy``, ``majority_accuracy``: what predicting the last
label, or the most frequent one, scores on the same stream), since on streams whose labels
repeat (Elec2: 85.3 %) the trivial no-change classifier beats learners that look good among
themselves. The reference contenders (``"baseline": true``) are never ranked as contenders.

>>> summary = {
...     "n_scored": 9000, "complete": True, "drifts": [{"at": 5000, "width": 0}],
...     "config": {"evaluation": {"warmup": 1000}, "stream": {"n_samples": 10000}},
...     "contenders": [
...         {"name": "Frozen", "status": "ok", "error": None, "accuracy": 0.70,
...          "accuracy_by_segment": [0.90, 0.55], "retrains": 0, "train_samples": 1000,
...          "max_drop": [0.40], "recovery": [None]},
...         {"name": "Online", "status": "ok", "error": None, "accuracy": 0.86,
...          "accuracy_by_segment": [0.88, 0.85], "retrains": 0, "train_samples": 10000,
...          "max_drop": [0.12], "recovery": [300]}],
...     "no_change_accuracy": 0.52, "majority_accuracy": 0.51}
>>> for line in race_story(summary): print(line.replace("\\xa0", " "))  # "%" keeps to its number
**Before the first drift**: **Frozen** leads with 90.0 %, ahead of Online (88.0 %).
**After the sudden drift at 5,000**: **Online** leads with 85.0 %, ahead of Frozen (55.0 %)
(dipped 40.0 points and never recovered).
**Overall**: **Online** is the most accurate contender (86.0 %), ahead of the no-change (52.0 %)
and majority (51.0 %) baselines; it trained on 10,000 samples (0 retrains); the cheapest, Frozen,
trained on 1,000 samples for 70.0 %.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from lab.spec.numbers import percent_digits, percent_span

__all__ = ["race_story", "segment_labels"]


def _pct(x: float) -> str:
    """A share as the story and the Summary tables print it (:mod:`lab.spec.numbers`)."""
    return f"{percent_digits(x)}\u00a0%"  # a no-break space keeps "%" on its number's line


def _pct_span(shares: Sequence[float]) -> str:
    """The shown value of tied shares, or the range of their shown values ("89.3–89.4 %"):
    a tie names only digits the tables show for the tied contenders."""
    return f"{percent_span(shares)}\u00a0%"


def _ok(summary: Mapping[str, Any]) -> list[dict]:
    """The contenders to rank: finished, scored, and not a reference (a baseline, or the oracle
    that knew the future)."""
    return [c for c in summary.get("contenders", []) if c.get("status") == "ok"
            and c.get("accuracy") is not None and not c.get("baseline")
            and not c.get("oracle")]


# (summary key, name in a sentence, what the baseline does in words)
REFERENCES = (("no_change_accuracy", "no-change", "predicting the previous label"),
              ("majority_accuracy", "majority", "always predicting the most frequent class"))


def _versus_baselines(best_v: float, summary: Mapping[str, Any], tie: float) -> str:
    """How the best contender's accuracy ``best_v`` compares with the baselines' (words to
    append to the sentence naming it; "" for a summary without baseline figures)."""
    refs = [(summary[key], name, what) for key, name, what in REFERENCES
            if summary.get(key) is not None]
    if not refs:
        return ""
    top_v, top_name, top_what = max(refs, key=lambda r: r[0])
    others = [(v, name) for v, name, _ in refs if name != top_name]
    aside = "".join(f" (the {name} baseline scores {_pct(v)})" for v, name in others)
    if top_v > best_v + tie:
        return (f", but the {top_name} baseline scores {_pct(top_v)}: on this stream "
                f"{top_what} beats every contender{aside}")
    if top_v >= best_v - tie:
        return (f", level with the {top_name} baseline ({_pct(top_v)}): on this stream no "
                f"contender does clearly better than {top_what}{aside}")
    if len(refs) == 1:
        return f", ahead of the {top_name} baseline ({_pct(top_v)})"
    listed = " and ".join(f"{name} ({_pct(v)})" for v, name, _ in refs)
    return f", ahead of the {listed} baselines"


def _recurring(summary: Mapping[str, Any]) -> list[int | None]:
    """Per drift, the index of the earlier concept it returns to (None for a new concept)."""
    drifts = summary.get("drifts") or []
    try:
        from lab.data.stream import concept_params
        from lab.validate import parse_stream

        _, targets = concept_params(parse_stream(summary["config"]["stream"]))
    except Exception:  # a summary without a usable config: tell the story without it
        return [None] * len(drifts)
    out, seen = [], {0}
    for target in targets:
        out.append(target if target in seen else None)
        seen.add(target)
    return out


def _data_rows(config: Mapping[str, Any]) -> int | None:
    """Rows of the shipped data set a ``dataset:`` config reads (None for other sources)."""
    source = str(config.get("stream", {}).get("source", ""))
    if not source.startswith("dataset:"):
        return None
    from lab.data.datasets import DATASETS

    info = DATASETS.get(source.split(":", 1)[1])
    return info.n_samples if info is not None else None


def _first_of(config: Mapping[str, Any], n: int) -> str:
    """"first 20,000 of 45,312 samples" when a data set is raced on its first rows only, else
    "" (a generator's stream is whole by construction)."""
    rows = _data_rows(config)
    return f"first {n:,} of {rows:,} samples" if rows is not None and n < rows else ""


def _whole(config: Mapping[str, Any], n: int) -> str:
    """The label of a race without drifts. "the whole stream" is said only when it is: a
    generator's stream or every row of a data set; a data set's first rows are named as such,
    and a CSV file's rows as the rows used (the summary does not say how long the file is).

    >>> _whole({"stream": {"source": "dataset:elec"}}, 20000)
    'Over the first 20,000 of 45,312 samples'
    >>> _whole({"stream": {"source": "dataset:elec"}}, 45312)
    'Over the whole data set (45,312 samples)'
    >>> _whole({"stream": {"source": "csv:/tmp/x.csv"}}, 900), _whole({}, 900)
    ('Over the 900 rows used', 'Over the whole stream')
    """
    source = str(config.get("stream", {}).get("source", ""))
    if _first_of(config, n):
        return f"Over the {_first_of(config, n)}"
    if source.startswith("dataset:"):
        return f"Over the whole data set ({n:,} samples)"
    if source.startswith("csv:"):
        return f"Over the {n:,} rows used"
    return "Over the whole stream"


def segment_labels(summary: Mapping[str, Any]) -> list[tuple[str, int, int]]:
    """``(label, first sample, end sample)`` of each stretch between drift starts.

    >>> segment_labels({"drifts": [{"at": 500, "width": 100}],
    ...                 "config": {"evaluation": {"warmup": 100}, "stream": {"n_samples": 900}}})
    [('Before the first drift', 100, 500), ('After the gradual drift at 500–600', 500, 900)]
    """
    drifts = summary.get("drifts") or []
    config = summary.get("config") or {}
    warmup = int(config.get("evaluation", {}).get("warmup", 0))
    n = int(config.get("stream", {}).get("n_samples", summary.get("n_samples", 0)))
    real = str(config.get("stream", {}).get("source", "")).startswith(("dataset:", "csv:"))
    returns = _recurring(summary)
    starts = [warmup] + [int(d.get("start", d["at"])) for d in drifts] + [n]
    labels = [("Before the first marked point" if real else "Before the first drift") if drifts
              else _whole(config, n)]
    for k, d in enumerate(drifts):
        at, width = int(d["at"]), int(d.get("width", 0) or 0)
        if real:  # real data: the user marked a point where they suspect a drift
            text = f"After the marked point at {at:,}"
        elif width == 0:
            text = f"After the sudden drift at {at:,}"
        else:
            text = f"After the gradual drift at {at:,}–{at + width:,}"
        if k < len(returns) and returns[k] is not None:
            text += f" (back to concept {returns[k]})"
        labels.append(text)
    return [(label, max(a, warmup), b) for label, a, b in zip(labels, starts[:-1], starts[1:])]


def _effect(c: dict, k: int) -> str:
    """How drift ``k`` hit contender ``c``, in a few words ("" if it barely noticed: a recovery
    of 0 or a drop within the drift's noise tolerance, ``recovery_tolerance``; 2 points for a
    summary written before that key existed)."""
    drops, recs = c.get("max_drop") or [], c.get("recovery") or []
    tols = c.get("recovery_tolerance") or []
    drop = drops[k] if k < len(drops) else None
    rec = recs[k] if k < len(recs) else None
    tol = tols[k] if k < len(tols) and tols[k] is not None else 0.02
    if drop is None or rec == 0 or drop <= tol:
        return ""
    if rec is None:
        return f"dipped {percent_digits(drop)} points and never recovered"
    return f"dipped {percent_digits(drop)} points, back within {rec:,} samples"


def _ranked(contenders: Sequence[dict], key) -> list[tuple[float, dict]]:
    vals = [(key(c), c) for c in contenders]
    vals = [(v, c) for v, c in vals if v is not None]
    return sorted(vals, key=lambda vc: -vc[0])


def race_story(summary: Mapping[str, Any], *, tie: float = 0.005) -> list[str]:
    """A few Markdown sentences: the winner of each stretch between drifts and at what cost.

    ``tie``: accuracies closer than this (a share, 0.005 = half a point) are reported as a tie;
    over a few thousand samples a smaller gap is noise, and naming a "winner" or a "last" on it
    misled (seen: "last with 89.7 %" against a three-way tie at 89.8 %). A tie whose values
    round apart names their range ("tie at 89.3–89.4 %"), the digits the tables show.
    Failed contenders get one sentence with their error; a stopped run says so first.
    """
    lines: list[str] = []
    if summary.get("complete") is False:
        lines.append(f"*Stopped early: the numbers cover the first {summary.get('n_scored', 0):,} "
                     "scored samples only.*")
    ok = _ok(summary)
    segments = segment_labels(summary)
    config = summary.get("config") or {}
    part = _first_of(config, int(config.get("stream", {}).get("n_samples",
                                                            summary.get("n_samples", 0))))
    overall = f"Overall ({part})" if part else "Overall"
    for k, (label, lo, hi) in enumerate(segments):
        ranked = _ranked(ok, lambda c, k=k: (c.get("accuracy_by_segment") or [None] * (k + 1))[k]
                         if k < len(c.get("accuracy_by_segment") or []) else None)
        if not ranked or hi <= lo:
            continue
        best_v, best = ranked[0]
        tied = [(v, c["name"]) for v, c in ranked[1:] if best_v - v < tie]
        if tied:
            names = [f"**{best['name']}**"] + [name for _, name in tied]
            head = (f"**{label}**: {', '.join(names[:-1])} and {names[-1]} tie at "
                    f"{_pct_span([best_v] + [v for v, _ in tied])}")
        else:
            head = f"**{label}**: **{best['name']}** leads with {_pct(best_v)}"
        rest = ranked[1 + len(tied):]
        if rest:
            last_v, last = rest[-1]
            effect = _effect(last, k - 1) if k > 0 else ""
            head += (f"; {last['name']} is last with {_pct(last_v)}" if len(ranked) > 2 else
                     f", ahead of {last['name']} ({_pct(last_v)})")
            if effect:
                head += f" ({effect})"
        lines.append(head + ".")
    if ok:
        ranked = _ranked(ok, lambda c: c.get("accuracy"))
        best_v, best = ranked[0]
        if len(ranked) > 1 and best_v - ranked[-1][0] < tie:
            cheapest = min((c for _, c in ranked), key=lambda c: c.get("train_samples") or 0)
            versus = _versus_baselines(best_v, summary, tie)
            lines.append(f"**{overall}**: all contenders tie at "
                         f"{_pct_span([v for v, _ in ranked])}{versus}"
                         f"{'; among them' if versus else ', so'} the cheapest, "
                         f"{cheapest['name']} ({int(cheapest.get('train_samples') or 0):,} "
                         "samples trained), is the one to pick.")
            ranked = []
    if ok and ranked:
        text = (f"**{overall}**: **{best['name']}** is the most accurate contender "
                f"({_pct(best_v)}){_versus_baselines(best_v, summary, tie)}; it trained on "
                f"{int(best.get('train_samples') or 0):,} samples "
                f"({int(best.get('retrains') or 0)} retrains)")
        cheaper = sorted((c for v, c in ranked[1:] if c.get("train_samples") is not None
                          and c["train_samples"] < (best.get("train_samples") or 0)),
                         key=lambda c: c["train_samples"])
        if cheaper:
            c = cheaper[0]
            text += (f"; the cheapest, {c['name']}, trained on {int(c['train_samples']):,} "
                     f"samples for {_pct(c['accuracy'])}")
        else:
            cheapest = ranked[1][1] if len(ranked) > 1 else None
            if cheapest is not None and cheapest.get("train_samples") is not None:
                text += (f"; the runner-up, {cheapest['name']}, trained on "
                         f"{int(cheapest['train_samples']):,} "
                         f"samples for {_pct(cheapest['accuracy'])}")
        lines.append(text + ".")
    lines += _versus_oracle(summary)
    for c in summary.get("contenders", []):
        if c.get("status") != "ok":
            lines.append(f"**{c['name']}** failed: {c.get('error') or 'unknown error'}.")
    return lines


def _versus_oracle(summary: Mapping[str, Any]) -> list[str]:
    """One line setting each ranked contender's total cost against the oracle's, when an oracle
    raced (``regret`` in the summary): how much more it cost, and how often it retrained.

    >>> _versus_oracle({"contenders": [
    ...     {"name": "P", "status": "ok", "accuracy": 0.9, "cost_total": 118.0, "regret": 18.0,
    ...      "retrains": 9},
    ...     {"name": "O", "status": "ok", "accuracy": 0.9, "cost_total": 100.0, "regret": 0.0,
    ...      "retrains": 3, "oracle": True}]})
    ... # doctest: +NORMALIZE_WHITESPACE
    ['**Against the best schedule in hindsight** (O, total cost 100): P costs 18 % more
      (retrains 3× as often).']
    """
    contenders = summary.get("contenders", [])
    oracle = next((c for c in contenders if c.get("oracle")), None)
    if oracle is None or not oracle.get("cost_total"):
        return []
    parts = []
    for c in _ok(summary):
        if c.get("regret") is None:
            continue
        share = c["regret"] / oracle["cost_total"]
        percent = f"{abs(share):.0%}".replace("%", " %")
        words = f"{c['name']} costs {percent} {'more' if share >= 0 else 'less'}"
        ours, theirs = c.get("retrains"), oracle.get("retrains")
        if ours is not None and theirs:
            words += f" (retrains {ours / theirs:.3g}× as often)"
        elif ours is not None:
            words += f" ({ours} retrains, the oracle none)"
        parts.append(words)
    if not parts:
        return []
    return [f"**Against the best schedule in hindsight** ({oracle['name']}, total cost "
            f"{oracle['cost_total']:,.4g}): " + "; ".join(parts) + "."]
