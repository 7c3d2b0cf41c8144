"""A refusal of the setup in the words of the page (streamlit): config paths become the
contender names and drift cards the user sees (:func:`friendly`); one message above the results
lists every problem the page can name at once, each once (:func:`setup_problems`: every number
out of range and every drift card's own problem, not only the first the validator stopped at),
and the sidebar fields they are about get a short note pointing to it (:func:`refuse`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, NamedTuple

from lab.data.generators import GENERATORS
from lab.spec.errors import ConfigError
from lab.spec.experiment import parse_drifts
from lab.spec.numbers import plural
from lab.validate import parse_experiment
from ui import state as S
from ui import text
from ui.editors import SAMPLES_NOTE
from ui.number_checks import (
    SIDEBAR_NUMBERS,
    number_problems,
    plain_paths,
    previous_results_note,
    with_stale_note,
)

DRIFT_FIELDS = {"at": "At sample", "width": "Width"}  # the drift card's labels of its fields


def friendly(message: str, cfg: dict | None, drift_cards: list[int] | None = None) -> str:
    """Config paths in an error, in the words of the page: contender names, and the number
    and field label of the drift card the user sees (``drift_cards[i]`` is the card of
    ``stream.drifts[i]``, see ``ui.state.drift_card_numbers``; the cards are sorted only when
    the race runs, so while they are edited the config's order is not theirs)."""
    names = [c.get("name", "?") for c in (cfg or {}).get("contenders", [])]

    def contender(m):
        i = int(m.group(1))
        return f"contender “{names[i]}”" if i < len(names) else m.group(0)

    def card(i: int) -> int:
        return drift_cards[i] if drift_cards and i < len(drift_cards) else i + 1

    def drift(m):
        field = m.group(2)
        label = (DRIFT_FIELDS.get(field) or (f"→ {field[3:].replace('_', ' ')}"
                                             if field and field.startswith("to.") else field))
        return f"drift {card(int(m.group(1)))}" + (f" (“{label}”)" if label else "")

    message = re.sub(r"contenders\[(\d+)\]", contender, message)
    # the core's overlap error counts the earlier drift from 0 ("before drift 0 ends")
    message = re.sub(r"before drift (\d+) ends", lambda m: f"before drift {card(int(m.group(1)))} "
                     "ends", message)
    return re.sub(r"stream\.drifts\[(\d+)\](?:\.(at|width|to\.\w+))?", drift, message)


DRIFT_PATH = re.compile(r"stream\.drifts\[(\d+)\]\.(?:at|width)$")
_DRIFT_INDEX = re.compile(r"^stream\.drifts\[\d+\]")


def drift_problems(cfg: Mapping[str, Any] | None) -> dict[int, ConfigError]:
    """Each drift's own problem, by its index in the config (``stream.drifts[k]``), in the
    validator's words: the core stops at the first bad drift, so a second drift past the end
    went unnamed until the first was fixed.

    Each drift is checked by ``lab.spec.experiment.parse_drifts`` (the same checks and
    messages as a run) on its own, after the last drift before it that has no problem (for the
    overlap check), and its problem re-addressed to its own index. A stream length that is not
    a valid number leaves nothing to check a drift against: then no drift has a problem here
    (the page names the length).

    >>> cfg = {"stream": {"source": "sea", "n_samples": 1000, "drifts": [
    ...     {"at": 900, "width": 500}, {"at": 950, "width": 400}]}}
    >>> {k: str(e).split(":")[0] for k, e in drift_problems(cfg).items()}
    {0: 'stream.drifts[0].width', 1: 'stream.drifts[1].width'}
    """
    stream = (cfg or {}).get("stream") or {}
    n, drifts, source = stream.get("n_samples"), stream.get("drifts"), stream.get("source")
    if not isinstance(n, int) or isinstance(n, bool) or n < 2 or not isinstance(drifts, list):
        return {}
    fields = GENERATORS[source].fields if source in GENERATORS else None
    problems: dict[int, ConfigError] = {}
    fine: tuple[int, Any] | None = None  # the last drift without a problem: (index, drift)
    for k, raw in enumerate(drifts):
        try:
            parse_drifts([raw] if fine is None else [fine[1], raw], n, fields)
        except ConfigError as exc:
            problem = exc.problem
            if fine is not None:  # the overlap message counts the earlier drift from 0
                problem = problem.replace("before drift 0 ends", f"before drift {fine[0]} ends")
            problems[k] = ConfigError(_DRIFT_INDEX.sub(f"stream.drifts[{k}]", exc.path),
                                      problem, exc.fix)
            continue
        fine = (k, raw)
    return problems


class Problem(NamedTuple):
    """One problem of the setup: its sentence for the message above the results (field, what
    is wrong, fix), and the short notes shown at the sidebar places it is about (by the places
    ``ui.editors.sidebar`` returns), which do not repeat that sentence."""

    text: str
    notes: dict = {}
    aside: bool = False  # not a field to change: said after the list


ABOVE = "see the message above the results"
# The core's bounds check in a drift's words: "must be an integer >= 1 and <= 19,999, got 50000"
_BOUNDS = re.compile(r"must be an integer >= ([\d,.-]+) and <= ([\d,.-]+), got (-?\d+)")


def _plain_bounds(message: str) -> str:
    """The core's integer bounds ("must be an integer >= 1 and <= 19,999, got 50000") as the
    range checks say them ("is 50,000, outside 1 to 19,999").

    >>> _plain_bounds("drift 1 (“At sample”): must be an integer >= 1 and <= 19,999, got 50000")
    'drift 1 (“At sample”): is 50,000, outside 1 to 19,999'
    """
    return _BOUNDS.sub(lambda m: f"is {int(m.group(3)):,}, outside {m.group(1)} to "
                                 f"{m.group(2)}", message)


def _drift_field(path: str) -> str:
    field = path.rsplit(".", 1)[-1] if DRIFT_PATH.match(path) else ""
    return DRIFT_FIELDS.get(field, "")


def setup_problems(state: Mapping[str, Any], draft: dict | None,
                   exc: ConfigError | None) -> list[Problem]:
    """Every problem of the setup the page can name at once, each once: every number field
    out of its range (``ui.number_checks.number_problems``), every drift card's own problem
    against the stream (:func:`drift_problems`, checked even while another field is out of
    range), and otherwise the validator's refusal ``exc`` of ``draft``. The validator stops at
    its first problem, so only what these checks cover is listed together; a stream length out
    of range leaves the drifts nothing to be checked against."""
    ranged = number_problems(state)
    problems = [Problem(str(p), {p.place: p.note} if p.place else {}) for p in ranged]
    built = None  # what stops the config being built besides the numbers (a CSV file's problem)
    try:
        full = draft if draft is not None else S.config_from_state(state, check=False)
    except ConfigError as problem:  # a JSON field that does not parse, a file not read
        full, built = None, problem
    except Exception:  # the widgets never build anything else: no drift check then
        full = None
    order = S.drift_order(state)
    cards = S.drift_card_numbers(state)
    flagged = {place for p in ranged for place in ((p.place,) if p.place else ())}
    stream = (full or {}).get("stream") or {}
    drift_found: set[int] = set()
    for k, problem in drift_problems(full).items():
        if k >= len(order) or ("drift", order[k]) in flagged:
            continue  # no card, or the card's number is out of range: that one is named
        drift_found.add(k)
        sentence = _capital(_plain_bounds(friendly(plain_paths(str(problem), full), full,
                                                   cards)))
        notes = {("drift", order[k]): f"{_drift_field(problem.path) or 'This drift'}: {ABOVE}"}
        drift = stream.get("drifts", [])[k]
        if drift.get("at", 0) + drift.get("width", 0) >= stream.get("n_samples", 0):
            sentence += ", or make “Samples” larger"  # either field fixes it
            card = cards[k] if k < len(cards) else k + 1
            notes[SAMPLES_NOTE] = f"Drift {card} runs past the stream's end: {ABOVE}"
        problems.append(Problem(sentence, notes))
    if state.get("drift_ids") and any(p.label == SIDEBAR_NUMBERS["n_samples"].label
                                      for p in ranged):
        problems.append(Problem("The drifts are checked against the stream once “Samples” "
                                "is in range.", aside=True))
    if ranged and built is not None:
        problems.append(Problem(_capital(plain_paths(str(built), None))))
    elif ranged and full is not None:  # the validator's first problem, if about another field
        try:
            parse_experiment(full)
        except ConfigError as other:
            if not other.path.startswith(("stream.drifts", *(p.path for p in ranged))):
                problems.append(Problem(_capital(_plain_bounds(friendly(
                    plain_paths(str(other), full), full, cards)))))
        except Exception:  # noqa: BLE001 - the page's run check reports anything else
            pass
    if exc is not None and not ranged:
        drift = re.match(r"stream\.drifts\[(\d+)\]", exc.path)
        if not (drift and int(drift.group(1)) in drift_found):
            sentence = _capital(_plain_bounds(friendly(plain_paths(str(exc), draft), draft,
                                                       cards)))
            notes = {SAMPLES_NOTE: f"Samples: {ABOVE}"} if exc.path == "stream.n_samples" else {}
            problems.insert(0, Problem(sentence, notes))
    return problems


def _capital(sentence: str) -> str:
    """A problem's sentence starts with a capital ("Drift 2 (“Width”)", not "drift 2")."""
    return sentence[:1].upper() + sentence[1:]


def refuse(state: Mapping[str, Any], draft: dict | None, exc: ConfigError,
           notes: dict) -> str:
    """The page's refusal of the setup: its message (markdown, escaped) listing every problem
    (:func:`setup_problems`) once, ending with what Run and the results below are; and a short
    note at each sidebar place a problem is about (``notes``, from ``ui.editors.sidebar``),
    which points to the message instead of repeating it."""
    problems = setup_problems(state, draft, exc) or [Problem(str(exc))]
    by_place: dict[Any, list[str]] = {}
    for problem in problems:
        for place, note in problem.notes.items():
            by_place.setdefault(place, []).append(note)
    for place, lines in by_place.items():
        if place in notes:
            notes[place].error("  \n".join(text.escape_markdown(line)
                                            for line in dict.fromkeys(lines)),
                               icon=":material/error:")
    fields = [p for p in problems if not p.aside]
    after = " ".join(text.escape_markdown(p.text) for p in problems if p.aside)
    if len(fields) == 1 and not after:
        return text.escape_markdown(with_stale_note(fields[0].text, state))
    items = "\n".join(f"- {text.escape_markdown(p.text)}" for p in fields)
    return (f"{plural(len(fields), 'field')} to change:\n\n{items}\n\n"
            + (f"{after} " if after else "")
            + f"{text.escape_markdown(previous_results_note(state))}.")
