"""The story's words for ties, close calls and the least-trained contender (walk-through findings):
a 7.7-point spread over a 1,000-sample stretch was called a tie, the first name of a tie was in
bold as if it had won, and "the cheapest of them" singled out one of two contenders that trained
on the same number of samples. Hand-made runs: every accuracy and every gap is set by hand."""

from __future__ import annotations

import re

import numpy as np
import pytest

from lab.race.story import race_story
from lab.race.ties import TIE_SHARE, GapNoise, paired_gap


def plain(lines):
    return [line.replace("\xa0", " ") for line in lines]


def _hits(n, right, clustered):
    """0/1 over ``n`` samples with ``right`` ones: the first ``right`` (errors in one run at the
    end, strongly autocorrelated) or spread evenly (no autocorrelation to speak of)."""
    out = np.zeros(n, dtype=np.int8)
    if clustered:
        out[:right] = 1
    else:
        out[(np.arange(right) * n) // right] = 1
    return out


def _run(rights, n=1000, clustered=True, trained=(4000, 4000)):
    """Contenders A, B, ... right on ``rights[k]`` of ``n`` scored samples (no drift), with the
    GapNoise of exactly those samples; both baselines at 50 %."""
    names = "ABCDEF"[:len(rights)]
    correct = {k: _hits(n, r, clustered) for k, r in enumerate(rights)}
    correct["no_change"] = correct["majority"] = _hits(n, n // 2, False)
    noise = GapNoise(correct, [(0, n)], (0, n))
    contenders = [{"name": name, "status": "ok", "error": None, "accuracy": r / n,
                   "accuracy_by_segment": [r / n], "retrains": 0, "train_samples": ts,
                   "max_drop": [], "recovery": []}
                  for name, r, ts in zip(names, rights, trained)]
    summary = {"drifts": [], "n_scored": n, "contenders": contenders,
               "config": {"evaluation": {"warmup": 0}, "stream": {"n_samples": n}},
               "no_change_accuracy": 0.5, "majority_accuracy": 0.5,
               "no_change_accuracy_by_segment": [0.5], "majority_accuracy_by_segment": [0.5]}
    return summary, noise


def test_a_7_7_point_spread_within_the_noise_is_too_close_to_call_never_a_tie():
    # A right on samples 0-799 (80.0 %), B on 0-722 (72.3 %): the 77 samples only A got right
    # form one run, so τ̂ is large and the noise of 1,000 samples exceeds the 7.7-point gap
    summary, noise = _run([800, 723], trained=(4000, 1000))
    gap = paired_gap(noise.correct[0], noise.correct[1])
    assert (gap.a_only, gap.b_only) == (77, 0) and gap.gap == pytest.approx(0.077)
    assert gap.noise > 0.077  # the documented rule does not rank them
    lines = plain(race_story(summary, noise=noise))
    # a race without drifts: one line, said once (not as the stretch and again as "Overall")
    assert lines == ["**Over the whole stream**: **A** at 80.0 % and **B** at 72.3 % are too "
                     "close to call over samples 0–1,000, ahead of the no-change (50.0 %) and "
                     "majority (50.0 %) baselines; of them, B trained least (1,000 samples)."]
    assert "tie" not in " ".join(lines)
    # the same counts spread evenly have no autocorrelation: a clear ranking
    summary, noise = _run([800, 723], clustered=False, trained=(4000, 1000))
    assert "**A** is the most accurate contender (80.0 %)" in plain(race_story(summary,
                                                                               noise=noise))[-1]


@pytest.mark.parametrize("b_right", [999, 997, 996, 995, 990, 960, 923])
def test_tie_is_said_only_under_half_a_point_and_too_close_only_within_the_noise(b_right):
    """Gaps of 0.1 to 7.7 points against A's 100 %: "tie" exactly when the gap is under half a
    point (the documented rule), "too close to call" when it is not but is within the noise,
    a winner otherwise; never two of them."""
    for clustered in (True, False):
        summary, noise = _run([1000, b_right], clustered=clustered)
        gap = noise.gap(0, 1)
        text = " ".join(plain(race_story(summary, noise=noise)))
        said = {"tie": " tie " in text, "close": "too close to call" in text,
                "winner": "**A** is the most accurate" in text}
        expected = ("tie" if gap.gap < TIE_SHARE else "close" if gap.gap < gap.noise
                    else "winner")
        assert [k for k, v in said.items() if v] == [expected], (b_right, clustered, text)


def test_every_tied_name_is_styled_alike():
    summary, noise = _run([900, 898, 897, 600], trained=(1000, 2000, 3000, 100))
    lines = plain(race_story(summary, noise=noise))
    assert len(lines) == 1  # no drifts: the whole stream is told once
    assert lines[0].startswith("**Over the whole stream**: **A**, **B** and **C** tie as the "
                               "most accurate at 89.7–90.0 %")
    assert lines[0].endswith(" The other: D at 60.0 %.")  # every contender is named
    # those behind the leaders: no name in bold
    summary, noise = _run([950, 600, 598], trained=(1000, 2000, 3000))
    first = plain(race_story(summary, noise=noise))[0]
    assert first.endswith("; the runner-up, B, trained on 2,000 samples for 60.0 %. The other: "
                          "C at 59.8 %.")
    assert re.findall(r"\*\*([^*]+)\*\*", first) == ["Over the whole stream", "A"]


def test_a_tie_in_training_samples_is_not_singled_out_as_the_cheapest():
    # the walk-through: two tied contenders that both trained on 15,000 samples
    summary, noise = _run([900, 898, 700], trained=(15000, 15000, 1000))
    last = plain(race_story(summary, noise=noise))[-1]
    assert last.endswith("; they both trained on 15,000 samples. The other: C at 70.0 %.")
    assert "cheapest" not in last
    # all contenders tie and all trained alike: nobody is "the one to pick"
    summary, noise = _run([900, 898, 897], trained=(2000, 2000, 2000))
    last = plain(race_story(summary, noise=noise))[-1]
    assert last.endswith("tie at 89.7–90.0 %, ahead of the no-change (50.0 %) and majority "
                         "(50.0 %) baselines; they all trained on 2,000 samples.")
    # two of three share the fewest: both named
    summary, noise = _run([900, 898, 897], trained=(1000, 3000, 1000))
    last = plain(race_story(summary, noise=noise))[-1]
    assert last.endswith("; among them A and C, trained least (1,000 samples each), are the "
                         "ones to pick.")
    # a clear winner, and two cheaper contenders that share the fewest samples
    summary, noise = _run([950, 700, 600], clustered=False, trained=(5000, 1000, 1000))
    last = plain(race_story(summary, noise=noise))[-1]
    # every contender named: no "The others"
    assert last.endswith("; B (70.0 %) and C (60.0 %) trained least: 1,000 samples each.")
    # "cheapest" would be the bill's word (Net cost): with prices set it can rank them otherwise
    assert "cheapest" not in last
