"""A short story of a race, in plain words, computed from the ``summary.json`` numbers only.

The app shows it above the charts so that a reader gets the headline without reading tables:
which contender is most accurate before and after each drift, how hard the drift hit it, and what
that cost in training. Everything comes from the summary (``accuracy_by_segment``, ``max_drop``,
``recovery``, ``train_samples``, ``retrains``), so the story of a run rebuilt from its
``summary.json`` is the same as the one the app showed, but for ties: with the run's per-sample
record (``noise``, a :class:`lab.race.ties.GapNoise`) a gap within the run's noise is a tie too
(the rule is in ``docs/metrics.md``, "Ties"); from the summary alone only the half-point rule
applies. A drift that changes nothing (:func:`lab.race.drift_metrics.unchanged_drifts`) is
told once as such, never as a drift.

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
and majority (51.0 %) baselines; it trained on 10,000 samples (0 retrains); Frozen trained least:
1,000 samples, for 70.0 %.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from lab.race.drift_metrics import unchanged_drifts
from lab.race.ties import TIE_SHARE, GapNoise, LeadChange, is_tie
from lab.spec.costs import format_amount
from lab.spec.labels import format_value, model_display_name
from lab.spec.numbers import percent_digits, percent_span, plural

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


# (summary key, key of the reference in lab.race.ties, name in a sentence, what it does)
REFERENCES = (("no_change_accuracy", "no_change", "no-change", "predicting the previous label"),
              ("majority_accuracy", "majority", "majority",
               "always predicting the most frequent class"))


class _Judge:
    """The tie rule of :mod:`lab.race.ties` for one story: a gap is a tie under ``tie`` or under
    the noise measured on the run's per-sample record (``noise``; None: not available, the
    half-point rule alone). Contenders are known to ``noise`` by their position in the
    summary (a reader may have escaped their names); a reference by its key."""

    def __init__(self, summary: Mapping[str, Any], noise: GapNoise | None, tie: float):
        self.noise, self.tie = noise, tie
        self.position = {id(c): k for k, c in enumerate(summary.get("contenders", []))}

    def tie_between(self, a: dict | str, a_v: float, b: dict | str, b_v: float,
                    segment: int | None) -> bool:
        """Whether contender (or reference key) ``a`` at ``a_v`` and ``b`` at ``b_v`` tie."""
        keys = [self.position.get(id(x), -1) if isinstance(x, dict) else x for x in (a, b)]
        measured = None if self.noise is None else self.noise.noise(*keys, segment)
        return is_tie(a_v - b_v, measured, self.tie)

    def level(self, group: Sequence[tuple[float, dict]]) -> bool:
        """Whether a group the rule does not rank (best first) is *level*: every gap to its best
        under ``tie`` (half a point), a difference nobody acts on, told as a tie. A wider group
        is only within the run's noise: "too close to call", with each value named, so that a
        7.7-point spread over a short stretch never reads as equal accuracy."""
        return all(group[0][0] - v < self.tie for v, _ in group)

    def span(self, segment: int | None) -> tuple[int, int] | None:
        """``(first, end)`` of the samples the noise was measured over: the stretch
        ``segment`` (None: every scored sample), as :class:`lab.race.ties.GapNoise` cut it;
        None without a record or for an empty stretch."""
        return None if self.noise is None else self.noise.span(segment)

    def lead_change(self, a: dict, b: dict, segment: int | None) -> LeadChange | None:
        """Where, inside ``segment``, the lead between contenders ``a`` and ``b`` changed
        hands beyond noise (:func:`lab.race.ties.lead_change`); None without a record."""
        if self.noise is None:
            return None
        return self.noise.lead_change(self.position.get(id(a), -1),
                                      self.position.get(id(b), -1), segment)


def _references(summary: Mapping[str, Any], segment: int | None) -> list[tuple]:
    """``(value, tie key, name, what)`` of each baseline figure the summary has, overall or on
    ``segment``."""
    out = []
    for key, tie_key, name, what in REFERENCES:
        if segment is None:
            value = summary.get(key)
        else:
            values = summary.get(f"{key}_by_segment") or []
            value = values[segment] if segment < len(values) else None
        if value is not None:
            out.append((value, tie_key, name, what))
    return out


def _versus_baselines(group: Sequence[tuple[float, dict]], summary: Mapping[str, Any],
                      judge: _Judge, segment: int | None = None) -> tuple[str, bool]:
    """How the leading ``group`` (``(accuracy, contender)``, best first; one contender or a tie)
    compares with the baselines: ``(words to append, whether every one of them beats every
    baseline by more than a tie)``; ``("", True)`` for a summary without baseline figures."""
    refs = _references(summary, segment)
    if not refs:
        return "", True
    top_v, _, top_name, top_what = max(refs, key=lambda r: r[0])
    beaten = all(v > ref_v and not judge.tie_between(c, v, key, ref_v, segment)
                 for v, c in group for ref_v, key, _, _ in refs)
    best_v, best = group[0]
    others = [(v, name) for v, _, name, _ in refs if name != top_name]
    aside = "".join(f" (the {name} baseline scores {_pct(v)})" for v, name in others)
    if beaten:
        if len(refs) == 1:
            return f", ahead of the {top_name} baseline ({_pct(top_v)})", True
        listed = " and ".join(f"{name} ({_pct(v)})" for v, _, name, _ in refs)
        return f", ahead of the {listed} baselines", True
    _, top_key, _, _ = max(refs, key=lambda r: r[0])
    if top_v > best_v and not judge.tie_between(best, best_v, top_key, top_v, segment):
        return (f", but the {top_name} baseline scores {_pct(top_v)}: on this stream "
                f"{top_what} beats every contender{aside}"), False
    return (f", level with the {top_name} baseline ({_pct(top_v)}): on this stream no "
            f"contender does clearly better than {top_what}{aside}"), False


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


def _unchanged(summary: Mapping[str, Any]) -> list[bool]:
    """Per drift, whether it changes nothing (:func:`lab.race.drift_metrics.unchanged_drifts`)."""
    drifts = summary.get("drifts") or []
    flags = unchanged_drifts(summary.get("config") or {})
    return flags if len(flags) == len(drifts) else [False] * len(drifts)


def _already(summary: Mapping[str, Any], k: int) -> str:
    """What drift ``k`` asked for, which the concept already was: "variant 1", or "the
    starting one" for a drift back to the stream's own parameters."""
    drifts = (summary.get("config") or {}).get("stream", {}).get("drifts") or []
    target = drifts[k].get("to") if k < len(drifts) else None
    if not target:
        return "the starting one"
    return ", ".join(f"{str(key).replace('_', ' ')} "
                     f"{format_value(f'stream.drifts[{k}].to.{key}', value)}"
                     for key, value in target.items())


def segment_labels(summary: Mapping[str, Any]) -> list[tuple[str, int, int]]:
    """``(label, first sample, end sample)`` of each stretch between drift starts. A drift
    that changes nothing is not called a drift: its stretch is "From 5,000 on (no change)".

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
    unchanged = _unchanged(summary)
    starts = [warmup] + [int(d.get("start", d["at"])) for d in drifts] + [n]
    labels = [("Before the first marked point" if real else "Before the first drift") if drifts
              else _whole(config, n)]
    for k, d in enumerate(drifts):
        at, width = int(d["at"]), int(d.get("width", 0) or 0)
        if real:  # real data: the user marked a point where they suspect a drift
            text = f"After the marked point at {at:,}"
        elif unchanged[k]:
            labels.append(f"From {at:,} on (no change)")
            continue
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
    return f"dipped {percent_digits(drop)} points, back within {plural(rec, 'sample')}"


def _ranked(contenders: Sequence[dict], key) -> list[tuple[float, dict]]:
    vals = [(key(c), c) for c in contenders]
    vals = [(v, c) for v, c in vals if v is not None]
    return sorted(vals, key=lambda vc: -vc[0])


def _names(group: Sequence[tuple[float, dict]], bold: bool = True,
           values: bool = False) -> str:
    """"**A**, **B** and **C**": every name styled alike (a tie has no first among equals:
    "**A** and B" read as a win for A), in bold when ``bold`` (the group shares the lead);
    with ``values``, each with its accuracy ("**A** (83.3 %) and **B** (79.2 %)")."""
    names = [f"**{c['name']}**" if bold else c["name"] for _, c in group]
    if values:  # "at", not brackets: names often end in one ("Online (Hoeffding tree)")
        names = [f"{name} at {_pct(v)}" for name, (v, _) in zip(names, group)]
    return _join(names)


def _too_close(group: Sequence[tuple[float, dict]], judge: _Judge, segment: int | None,
               bold: bool = True, role: str = "", anchor: int = 0) -> str:
    """"**A** at 83.3 % and **B** at 79.2 % are too close to call over samples 8,000–14,000": a
    group the noise rule keeps from a ranking although its values differ by half a point or more
    (see :meth:`_Judge.level`); ``role`` goes before the samples ("as the most accurate").

    The span is named, not only its length: the accuracy chart draws a rolling window, and
    between drifts two contenders' windows can lie far apart for a while and the other way
    round later (a walk-through read "too close to call" against a chart showing them apart
    over 17,000–19,000). Where the lead changed hands inside the stretch beyond noise
    (:func:`lab.race.ties.lead_change`, between the group's ``anchor``, the member the others
    were compared with, and each other member), the line says the values are for the stretch
    "as a whole" and who was ahead over which part."""
    span = judge.span(segment)
    if span is None:
        return f"{_names(group, bold=bold, values=True)} are too close to call{role}"
    lo, hi = span
    ref = group[anchor][1]
    # (where the lead changed, whether the anchor led first) -> the members it changed with
    changes: dict[tuple[int, bool], list[dict]] = {}
    for _, other in (member for k, member in enumerate(group) if k != anchor):
        change = judge.lead_change(ref, other, segment)
        if change is not None:
            changes.setdefault((change.at, change.first > 0), []).append(other)
    parts = []
    for (at, ref_first), others in changes.items():
        names = _join([c["name"] for c in others])
        if len(group) == 2:
            first, then = (ref["name"], names) if ref_first else (names, ref["name"])
            parts.append(f"{first} ahead over {lo:,}–{at:,}, {then} over {at:,}–{hi:,}")
        elif ref_first:
            parts.append(f"{ref['name']} ahead of {names} over {lo:,}–{at:,}, behind "
                         f"{'it' if len(others) == 1 else 'them'} over {at:,}–{hi:,}")
        else:
            parts.append(f"{names} ahead of {ref['name']} over {lo:,}–{at:,}, behind it "
                         f"over {at:,}–{hi:,}")
    within = f" as a whole ({'; '.join(parts)})" if parts else ""
    return (f"{_names(group, bold=bold, values=True)} are too close to call{role} over samples "
            f"{lo:,}–{hi:,}{within}")


def _fewest(group: Sequence[dict]) -> tuple[list[dict], int]:
    """The contenders of ``group`` that trained on the fewest samples (every one that shares
    the fewest: a tie in training is not singled out), and that number."""
    least = min(int(c.get("train_samples") or 0) for c in group)
    return [c for c in group if int(c.get("train_samples") or 0) == least], least


def _group_training(group: Sequence[dict], level: bool, pick: bool = False) -> str:
    """What a tied or too-close group trained on: who of it trained least (every one that
    shares the fewest samples), or "all trained on 4,000 samples" when all trained alike.
    ``pick`` (every contender ties, half a point or less): the one that trained least "is the
    one to pick"; a group only too close to call gets no pick, its values differ by more than a
    tie. "Trained least", not "cheapest": with prices set, the bill (Net cost) can rank them
    otherwise."""
    fewest, least = _fewest(group)
    trained = plural(least, "sample")
    if len(fewest) == len(group):
        return f"{'both' if len(group) == 2 else 'all'} trained on {trained}"
    names = _join([c["name"] for c in fewest])
    each = " each" if len(fewest) > 1 else ""
    if level and pick:
        return (f"{names}, trained least ({trained}{each}), "
                f"{'is the one' if len(fewest) == 1 else 'are the ones'} to pick")
    return f"of them, {names} trained least ({trained}{each})"


def _split(ranked: list[tuple[float, dict]], judge: _Judge, segment: int | None):
    """``(leaders, rest)``: the best contender and every one tied with it, then the others
    (both best first)."""
    best_v, best = ranked[0]
    leaders = [ranked[0]] + [(v, c) for v, c in ranked[1:]
                             if judge.tie_between(best, best_v, c, v, segment)]
    rest = [(v, c) for v, c in ranked if all(c is not lc for _, lc in leaders)]
    return leaders, rest


def _middle(middle: Sequence[tuple[float, dict]], judge: _Judge, segment: int) -> str:
    """The contenders between the leaders and the last place (best first), ties told as ties:
    "B and C tie at 83.2–83.5 %, then D at 80.0 %". Listed one by one, a 0.3-point gap read as
    a ranking the leaders' and the last place's rule would call a tie (session 10's
    walk-through: "then Drift-triggered at 83.5 % and Frozen batch at 83.2 %")."""
    groups: list[list[tuple[float, dict]]] = []
    for v, c in middle:
        if groups and judge.tie_between(groups[-1][0][1], groups[-1][0][0], c, v, segment):
            groups[-1].append((v, c))
        else:
            groups.append([(v, c)])
    parts = []
    for group in groups:
        if len(group) == 1:
            parts.append(_names(group, bold=False, values=True))
        elif judge.level(group):
            parts.append(f"{_names(group, bold=False)} tie at "
                         f"{_pct_span([v for v, _ in group])}")
        else:
            parts.append(_too_close(group, judge, segment, bold=False))
    return ", then ".join(parts)


def _segment_line(label: str, ranked, k: int, summary, judge: _Judge,
                  unchanged: Sequence[bool]) -> str:
    leaders, rest = _split(ranked, judge, k)
    if k > 0 and unchanged[k - 1]:
        at = int(summary["drifts"][k - 1]["at"])
        head = (f"**{label.removesuffix(' (no change)')}**: the drift at {at:,} changes "
                f"nothing (the concept is already {_already(summary, k - 1)}); ")
    else:
        head = f"**{label}**: "
    if len(leaders) > 1 and judge.level(leaders):
        head += f"{_names(leaders)} tie at {_pct_span([v for v, _ in leaders])}"
    elif len(leaders) > 1:
        head += _too_close(leaders, judge, k)
    else:
        head += f"**{leaders[0][1]['name']}** leads with {_pct(leaders[0][0])}"
    if rest:
        last_v, last = rest[-1]
        bottom = [(v, c) for v, c in rest[:-1]
                  if judge.tie_between(c, v, last, last_v, k)] + [rest[-1]]
        # every contender is named: those between the leaders and the last place too (a
        # walk-through missed one of six in "A, B, C and D tie ...; E is last")
        middle = [(v, c) for v, c in rest if all(c is not b for _, b in bottom)]
        if middle:
            head += f"; then {_middle(middle, judge, k)}"
        if len(bottom) > 1 and judge.level(bottom):
            head += (f"; {_names(bottom, bold=False)} tie for last at "
                     f"{_pct_span([v for v, _ in bottom])}")
        elif len(bottom) > 1:
            close = _too_close(bottom, judge, k, False, " for last place",
                               anchor=len(bottom) - 1)
            head += f"; {close}"
        else:
            effect = _effect(last, k - 1) if k > 0 and not unchanged[k - 1] else ""
            head += (f"; {last['name']} is last with {_pct(last_v)}" if len(ranked) > 2 else
                     f", ahead of {last['name']} ({_pct(last_v)})")
            if effect:
                head += f" ({effect})"
    versus, beaten = _versus_baselines(leaders, summary, judge, k)
    return head + ("" if beaten else versus) + "."


def _others(ranked, named: Sequence[dict]) -> str:
    """" The others: B at 75.0 % and C at 70.0 %." for the contenders of ``ranked`` a line has
    not named (best first), "" when it named them all: a race without drifts has one line, and
    it names every contender as a stretch's line does."""
    others = [(v, c) for v, c in ranked if all(c is not n for n in named)]
    if not others:
        return ""
    return f" {'The other' if len(others) == 1 else 'The others'}: " \
           f"{_names(others, bold=False, values=True)}."


def _overall_line(overall: str, ranked, summary, judge: _Judge, name_all: bool = False) -> str:
    """The line over the whole race; with ``name_all`` (a race without drifts, whose only
    line it is) followed by the contenders it did not name (:func:`_others`)."""
    text, named = _overall_text(overall, ranked, summary, judge)
    return text + (_others(ranked, named) if name_all else "")


def _overall_text(overall: str, ranked, summary, judge: _Judge) -> tuple[str, list[dict]]:
    """The overall line and the contenders it names."""
    leaders, rest = _split(ranked, judge, None)
    group = [c for _, c in leaders]
    versus, beaten = _versus_baselines(leaders, summary, judge)
    if not beaten:  # never credit a contender the baselines match or beat
        return (f"**{overall}**: {_names(leaders, bold=False)} "
                f"{'scores' if len(leaders) == 1 else 'score'} "
                f"{_pct_span([v for v, _ in leaders])}{versus}."), group
    if len(leaders) > 1:
        level = judge.level(leaders)
        if level and not rest:
            training = _group_training(group, level, pick=True)
            if not training.startswith(("both ", "all ")):
                joint = "; among them" if versus else ", so"
                return (f"**{overall}**: all contenders tie at "
                        f"{_pct_span([v for v, _ in leaders])}{versus}{joint} {training}."), group
            return (f"**{overall}**: all contenders tie at "
                    f"{_pct_span([v for v, _ in leaders])}{versus}; they {training}."), group
        if level:
            head = (f"**{overall}**: {_names(leaders)} tie as the most accurate at "
                    f"{_pct_span([v for v, _ in leaders])}{versus}")
        elif not rest:  # every contender: no "as the most accurate" (there is no other)
            head = f"**{overall}**: {_too_close(leaders, judge, None)}{versus}"
        else:
            close = _too_close(leaders, judge, None, role=" as the most accurate")
            head = f"**{overall}**: {close}{versus}"
        training = _group_training(group, level)
        alike = training.startswith(("both ", "all "))
        return f"{head}; {'they ' if alike else ''}{training}.", group
    best_v, best = leaders[0]
    told = [best]  # the contenders the line names
    text = (f"**{overall}**: **{best['name']}** is the most accurate contender "
            f"({_pct(best_v)}){versus}; it trained on "
            f"{plural(int(best.get('train_samples') or 0), 'sample')} "
            f"({plural(int(best.get('retrains') or 0), 'retrain')})")
    cheaper = sorted((c for v, c in ranked[1:] if c.get("train_samples") is not None
                      and c["train_samples"] < (best.get("train_samples") or 0)),
                     key=lambda c: c["train_samples"])
    if cheaper:
        fewest, least = _fewest(cheaper)
        # "trained least", not "cheapest": with prices set the bill (Net cost) may rank them
        # otherwise (a walk-through set prices and read "the cheapest" of a dearer contender)
        told += fewest
        if len(fewest) == 1:  # several that share the fewest samples are named together
            c = fewest[0]
            text += (f"; {c['name']} trained least: {plural(least, 'sample')}, for "
                     f"{_pct(c['accuracy'])}")
        else:
            named = _join([f"{c['name']} ({_pct(c['accuracy'])})" for c in fewest])
            text += f"; {named} trained least: {plural(least, 'sample')} each"
    elif len(ranked) > 1 and ranked[1][1].get("train_samples") is not None:
        c = ranked[1][1]
        told.append(c)
        text += (f"; the runner-up, {c['name']}, trained on "
                 f"{plural(int(c['train_samples']), 'sample')} for {_pct(c['accuracy'])}")
    return text + ".", told


def race_story(summary: Mapping[str, Any], *, tie: float = TIE_SHARE,
               noise: GapNoise | None = None) -> list[str]:
    """A few Markdown sentences: the winner of each stretch between drifts and at what cost.

    It never states a ranking a tie, the baselines or noise would overturn (the rule of
    :mod:`lab.race.ties`, ``docs/metrics.md``): two accuracies closer than ``tie`` (a share,
    0.005 = half a point) or than the noise of the run (McNemar's test on the per-sample record
    ``noise``, corrected for autocorrelation) are not ranked: the story names the group and no
    winner, as a tie when every gap is under ``tie`` ("**A** and **B** tie at 89.3–89.4 %", the
    digits the tables show), else as "too close to call over samples 8,000–14,000" with each
    value (a gap of points within a short stretch's noise is no tie), and "as a whole (A ahead
    over 8,000–9,071, B over 9,071–14,000)" where the lead changed hands inside the stretch
    (:func:`lab.race.ties.lead_change`); a contender the no-change
    or majority baseline matches or beats is never called the most accurate. Without ``noise``
    (a summary read back alone) only the half-point rule applies.
    Failed contenders get one sentence with their error; a stopped run says so first. A race
    without drifts gets one line for the whole of it, the overall one under the stretch's label
    ("Over the whole stream"), naming every contender (not the stretch and then "Overall"
    saying the same).
    """
    judge = _Judge(summary, noise, tie)
    lines: list[str] = []
    if summary.get("complete") is False:
        lines.append(f"*Stopped early: the numbers cover the first {summary.get('n_scored', 0):,} "
                     "scored samples only.*")
    ok = _ok(summary)
    segments = segment_labels(summary)
    unchanged = _unchanged(summary)
    config = summary.get("config") or {}
    part = _first_of(config, int(config.get("stream", {}).get("n_samples",
                                                            summary.get("n_samples", 0))))
    overall = f"Overall ({part})" if part else "Overall"
    # Without drifts the one stretch is the whole race: one line, the overall one under the
    # stretch's label ("Over the whole stream"), naming every contender (a walk-through read
    # the same ranking twice, as a stretch and as "Overall")
    whole = not summary.get("drifts")
    for k, (label, lo, hi) in enumerate(segments):
        if whole:
            overall = label
            continue
        ranked = _ranked(ok, lambda c, k=k: (c.get("accuracy_by_segment") or [None] * (k + 1))[k]
                         if k < len(c.get("accuracy_by_segment") or []) else None)
        if ranked and hi > lo:
            lines.append(_segment_line(label, ranked, k, summary, judge, unchanged))
    if ok:
        lines.append(_overall_line(overall, _ranked(ok, lambda c: c.get("accuracy")), summary,
                                   judge, name_all=whole))
    lines += _versus_oracle(summary)
    for c in summary.get("contenders", []):
        if c.get("status") != "ok":
            lines.append(f"**{c['name']}** failed: {c.get('error') or 'unknown error'}.")
    return lines


def _versus_oracle(summary: Mapping[str, Any]) -> list[str]:
    """One line setting each ranked contender's total cost against the oracle's, when an oracle
    raced (``regret`` in the summary): how much more it cost, and how often it retrained.

    The oracle is the cheapest schedule only among retrains of *its* model and training data
    every ``grid`` samples (:mod:`lab.policies.oracle`); another model, online updates or retrain
    points off its grid can cost less (a walk-through saw "Online costs 30 % less" than the
    "best" and took the ledger for broken). The line says what the oracle chose among, and
    when a contender undercuts it, why that is no contradiction.

    >>> _versus_oracle({"config": {"contenders": [
    ...     {"name": "P", "model": "sk.gaussian_nb"},
    ...     {"name": "O", "model": "sk.gaussian_nb", "policy": {"kind": "oracle", "grid": 250}}]},
    ...     "contenders": [
    ...     {"name": "P", "status": "ok", "accuracy": 0.9, "cost_total": 118.0, "regret": 18.0,
    ...      "retrains": 9},
    ...     {"name": "O", "status": "ok", "accuracy": 0.9, "cost_total": 100.0, "regret": 0.0,
    ...      "retrains": 3, "oracle": True}]})
    ... # doctest: +NORMALIZE_WHITESPACE
    ['**Against the best schedule in hindsight** (O: the cheapest retrains of Gaussian NB
      among every 250 samples, total cost 100): P costs 18 % more (9 retrains to its 3).']
    """
    contenders = summary.get("contenders", [])
    oracle = next((c for c in contenders if c.get("oracle")), None)
    if oracle is None or not oracle.get("cost_total"):
        return []
    parts, cheaper = [], []
    for c in _ok(summary):
        if c.get("regret") is None:
            continue
        share = c["regret"] / oracle["cost_total"]
        percent = f"{abs(share):.0%}".replace("%", " %")
        if percent == "0 %" and c["regret"]:
            percent = "under 1 %"
        words = f"{c['name']} costs {percent} {'more' if share >= 0 else 'less'}"
        if c["regret"] < 0:
            cheaper.append(c["name"])
        ours, theirs = c.get("retrains"), oracle.get("retrains")
        if ours is not None and theirs is not None:
            words += (f" ({plural(ours, 'retrain')} to its {theirs:,})" if ours or theirs
                      else " (neither retrains)")
        parts.append(words)
    if not parts:
        return []
    scope = _oracle_scope(summary, oracle)
    line = (f"**Against the best schedule in hindsight** ({oracle['name']}{scope}, total cost "
            f"{format_amount(oracle['cost_total'])}): " + "; ".join(parts) + ".")
    if cheaper:
        line += (f" {_join(cheaper)} {'costs' if len(cheaper) == 1 else 'cost'} less than the "
                 "oracle because the oracle only chooses when to retrain its own model on its "
                 "grid: another model, online updates or other retrain points can do better.")
    return [line]


def _oracle_scope(summary: Mapping[str, Any], oracle: Mapping[str, Any]) -> str:
    """``": the cheapest retrains of Gaussian NB among every 250 samples"`` from the oracle's
    config ("" when the config does not name it)."""
    spec = next((c for c in (summary.get("config") or {}).get("contenders", [])
                 if c.get("name") == oracle["name"]), None)
    if not spec:
        return ""
    model = spec.get("model")
    model = model.get("name") if isinstance(model, Mapping) else model
    grid = (spec.get("policy") or {}).get("grid")
    words = f": the cheapest retrains of {model_display_name(model, with_library=False)}"
    return words + (f" among every {grid:,} samples" if grid else "")


def _join(names: Sequence[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
