"""Claim checks of lesson 16, "How often should we retrain?"
(:mod:`lab.lessons.catalogue_economics`): the same stream priced two ways flips the cheapest
policy, and the best schedule in hindsight (the ``oracle`` policy kind) shows why.

Like every lesson check, these read only a run's summary dict (``summary.json``): each
contender's ``cost_total`` (the cost ledger at the config's ``costs`` prices), ``accuracy``,
``retrains`` and, since an oracle races, ``regret_by_segment`` (its cost over each stretch
between drift starts minus the oracle's, ``docs/metrics.md``). A summary without what the claim
talks about gives ``holds=False`` with the reason (:func:`lab.lessons.checks_field.judged`).
"""

from __future__ import annotations

from lab.lessons.checks import ClaimCheck
from lab.lessons.checks_field import Unjudgeable, contender, judged, pct

# Contender names the claims talk about (the catalogue builds its config from these).
NEVER = "Never retrained"
OFTEN = "Retrained every 500"
ORACLE = "Best schedule in hindsight"

ORACLE_MOST_RETRAINS = 2  # with retrains this dear, the best schedule retrains at most this often


def money(x: float) -> str:
    """An amount of the ledger as the verdicts write it: whole units with thousands separators
    (the prices are whole numbers and tenths, the totals are in the thousands)."""
    return f"{x:,.0f}"


def _bill(c: dict) -> float:
    total = c.get("cost_total")
    if total is None:
        raise Unjudgeable(f"{c.get('name')} has no cost (the run has no cost ledger)")
    return float(total)


def _stretch_names(n: int) -> list[str]:
    if n == 2:
        return ["before the change", "after it"]
    return ["before the first change"] + [f"after change {k}" for k in range(1, n)]


SHORT_NAMES = {NEVER: "never retrained", OFTEN: "retrained every 500"}


def regret_text(s: dict, names: tuple[str, ...]) -> str:
    """Where each named contender lost against the oracle: its ``regret_by_segment`` in words
    ("" when the run has no oracle or no stretches to speak of)."""
    parts = []
    for name in names:
        c = next((c for c in s.get("contenders") or [] if c.get("name") == name), None)
        values = (c or {}).get("regret_by_segment") or []
        if len(values) < 2 or any(v is None for v in values):
            return ""
        stretches = _stretch_names(len(values))
        lost = [f"{money(v)} {where}" for v, where in zip(values, stretches)]
        parts.append(f"{SHORT_NAMES.get(name, name)} lost " + ", ".join(lost[:-1])
                     + f" and {lost[-1]}")
    return " Against the best schedule (regret per stretch): " + "; ".join(parts) + "."


def _after_change(c: dict) -> str:
    """How often the model was right after the (one) change: the claim's condition on the
    stream, shown so that a reader can see whether it held."""
    segments = c.get("accuracy_by_segment") or []
    if len(segments) != 2 or segments[1] is None:
        return ""
    return f", right on {pct(segments[1])} of the samples after the change"


@judged
def check_how_often(s: dict) -> ClaimCheck:
    never, often, oracle = contender(s, NEVER), contender(s, OFTEN), contender(s, ORACLE)
    never_cost, often_cost, oracle_cost = _bill(never), _bill(often), _bill(oracle)
    ok = (never_cost < often_cost and never["accuracy"] < often["accuracy"]
          and oracle["retrains"] <= ORACLE_MOST_RETRAINS)
    return ClaimCheck(ok, f"Total cost: never retrained {money(never_cost)} "
                          f"({pct(never['accuracy'])} accurate{_after_change(never)}), "
                          f"retrained every 500 "
                          f"{money(often_cost)} ({pct(often['accuracy'])} accurate, "
                          f"{often['retrains']} retrains); the best schedule in hindsight "
                          f"{money(oracle_cost)} with {oracle['retrains']} "
                          f"retrain{'s' * (oracle['retrains'] != 1)}. The claim needs never "
                          f"retraining cheaper and less accurate, and the best schedule at "
                          f"most {ORACLE_MOST_RETRAINS} retrains."
                          + regret_text(s, (NEVER, OFTEN)))


def _error_price(s: dict) -> str:
    """The price of a wrong prediction in the run's config (the value the Try change sets)."""
    price = ((s.get("config") or {}).get("costs") or {}).get("error")
    if price is None:
        raise Unjudgeable("the run has no price of a wrong prediction (no costs in its config)")
    return f"{float(price):,g}"


@judged
def try_how_often(s: dict, base: dict) -> ClaimCheck:
    """Errors ten times dearer: retraining every 500 is now the cheaper policy, and the oracle
    retrains more often than at the lesson's prices."""
    never, often, oracle = contender(s, NEVER), contender(s, OFTEN), contender(s, ORACLE)
    before = contender(base, ORACLE)
    never_cost, often_cost = _bill(never), _bill(often)
    flipped = often_cost < never_cost
    more = oracle["retrains"] > before["retrains"]
    return ClaimCheck(flipped and more,
                      f"with a wrong prediction priced {_error_price(s)} instead of "
                      f"{_error_price(base)}, retrained every 500 costs {money(often_cost)} and "
                      f"never retrained {money(never_cost)}; the best schedule in hindsight "
                      f"retrains {oracle['retrains']} times ({before['retrains']} at the "
                      f"lesson's prices)")
