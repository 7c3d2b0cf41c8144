"""Every lesson's texts agree with the numbers of the run they are shown with (issue 14).

The Lessons page shows, for the run at the preset ("normal"), the "Try this" run ("try") and
the "Make the claim fail" run ("fail"): the situation, the claim's verdict (the badge), and in
try mode the "Try this" texts and the Try box, in fail mode the "Why". A fresh walk-through found
texts that disagreed with their run (a Try promise of "10 points below" beside a verdict of "9.5
points ahead", 30 degrees named beside a 90-degree run, a Try box saying "does not hold" while
the badge said "cannot be checked", a config path in a situation). This test makes that class of
mistake impossible, for every lesson and all three modes:

* no config paths, snake_case names, backticks or raw Python values (None, True, nan);
* every verdict is a judgement ("cannot be checked" never appears in these three modes), the
  claim holds at the preset and fails in fail mode, and the Try box's words about the claim are
  the badge's verdict;
* every threshold a "Try this" promise names ("at least 10 points") is the one the Try box
  quotes from its check;
* the Try box quotes a number of what the claim is about (:data:`CLAIM_SUBJECTS`): lesson 2's
  box said "the claim still holds" beside numbers of the periodic retrain only, while the claim
  is about the online learner;
* every angle, model and learning rate a text names is one of the run it describes: the
  verdicts and the "Try this" / "Why" texts their mode's run, the situation the run shown unless
  its sentence says it describes the preset;
* every setting "Try this" or "Make the claim fail" changes is named with its new value next to
  the verdict (in the verdict, the Try box, or the mode's own text);
* no doubled or stray punctuation (".;", ";.", "..", " ,") in any text as the page shows it;
* every contender's name tells the truth about its model in every mode: a model or learning
  rate it names is its own, and "same model" is said only when the models are the same (lesson
  1's "Online, same model" kept its name when "Make the claim fail" swapped in two different
  trees).

The runs are the ones the claim grids make (``lesson_runs``): in one process they cost nothing
more.
"""

from __future__ import annotations

import re

import pytest
from lesson_runs import MODES, mode_summary, overrides_of

from lab.lessons.catalogue import LESSONS
from lab.lessons.checks import check_claim, check_try
from lab.lessons.wording import MODEL_WORDS, model_words, turns

KEYS = list(LESSONS)
RAW = re.compile(r"`|\bNone\b|\bTrue\b|\bFalse\b|\bnan\b|\b(?:policy|stream|evaluation|"
                 r"contenders)(?:\.[a-z]|\[)|\b[a-z]+_[a-z0-9_]+\b")
DEGREES = re.compile(r"(\d+)(?:-degree| degrees)")
RATE = re.compile(r"\b(?:learning rate|step size|rate)(?: of|,)? \(?(\d+(?:\.\d+)?)")
PROMISE = re.compile(r"(\d+(?:\.\d+)?) points?\b")
#: doubled or stray punctuation: ".;" ";." ".." ",." ";;" ",," ":." " ," " ." " ;" " :"
STRAY = re.compile(r"[.;:,]{2,}|\s[,.;:](?!\d)")
NAMED_RATE = re.compile(r"\brate (\d+(?:\.\d+)?)")
CLAIM_WORDS = {"still holds": True, "no longer holds": False, "does not hold": False,
               "holds": True}
#: What each claim is about, as the verdicts name it: the Try box must quote a number of one
#: of them in one of its clauses (a Try change may be about another contender, but the box's
#: words about the claim then need the claim's own numbers beside them).
CLAIM_SUBJECTS = {
    "lesson-stable": ("trained once", "online"),
    "lesson-sudden": ("online learner",),
    "lesson-gradual": ("scheduled", "drift-triggered"),
    "lesson-old-data": ("sliding window", "decayed weights", "all history"),
    "lesson-noise": ("calm", "jumpy"),
    "lesson-recurring": ("window", "frozen"),
    "lesson-label-delay": ("labels at once", "late"),
    "lesson-budget": ("retrained", "every"),
    "lesson-hybrid": ("hybrid",),
    "lesson-gradient": ("full batch", "SGD", "mini-batch"),
    "lesson-kmeans": ("online", "batch on all data"),
    "lesson-virtual-drift": ("frozen model",),
    "lesson-adaptive": ("Hoeffding",),
    "lesson-prior-drift": ("majority baseline", "frozen model"),
    "lesson-no-change": ("no-change baseline", "online learner"),
    "lesson-how-often": ("retrained every 500", "never retrained"),
}


def quotes_the_subject(box: str, subjects: tuple[str, ...]) -> bool:
    """Whether a clause of ``box`` (split at "; " and ". ") names one of ``subjects`` and a
    number."""
    clauses = re.split(r";\s+|\.\s+", box)
    return any(re.search(rf"\b{re.escape(word)}\b", clause, re.IGNORECASE)
               and re.search(r"\d", clause) for clause in clauses for word in subjects)


def test_the_subject_check_catches_a_box_about_another_contender():
    old_lesson_2 = ("periodic retrain after the drift: 63.4 % retraining every 2,000 samples vs "
                    "76.6 % every 1,000, 13.2 points less (the lesson says at least 3); the "
                    "claim still holds, as expected")
    assert not quotes_the_subject(old_lesson_2, CLAIM_SUBJECTS["lesson-sudden"])
    assert quotes_the_subject(old_lesson_2 + ". The online learner: 87.6 % after the drift",
                              CLAIM_SUBJECTS["lesson-sudden"])
    assert set(CLAIM_SUBJECTS) == set(LESSONS)  # a new lesson names its subject here


def _texts(key: str, mode: str) -> dict[str, str]:
    """What the page shows in ``mode``: ``{which text: text}``."""
    lesson = LESSONS[key]
    summary = mode_summary(key, mode)
    out = {"situation": lesson.situation, "look at": lesson.look_at, "shows": lesson.shows,
           "claim": lesson.claim, "try this": lesson.try_this,
           "badge": check_claim(lesson, summary).detail}
    if mode == "try":
        out["try expect"] = lesson.try_expect
        out["try box"] = check_try(lesson, summary, mode_summary(key, "normal")).detail
    if mode == "fail":
        out["why"] = lesson.break_note
    return out


def _run_models(summary: dict) -> list[str]:
    return [model_words(summary, c["name"]).split(",")[0].lower()
            for c in (summary.get("config") or {}).get("contenders") or []]


def _run_rates(summary: dict) -> set[float]:
    cfg = summary.get("config") or {}
    rates = {float(cfg["lr"])} if "lr" in cfg else set()  # lesson 10's step size
    for c in cfg.get("contenders") or []:
        model = c.get("model")
        if isinstance(model, dict) and "lr" in (model.get("params") or {}):
            rates.add(float(model["params"]["lr"]))
        elif model == "river.logistic_regression" or (
                isinstance(model, dict) and model.get("name") == "river.logistic_regression"):
            rates.add(0.01)  # river's default
    return rates


def _mismatches(text: str, summaries: list[dict]) -> list[str]:
    """The angles, models and learning rates ``text`` names that none of ``summaries`` has."""
    wrong = []
    angles = {round(d, 6) for s in summaries for _, d in turns(s)}
    for m in DEGREES.finditer(text):
        if float(m.group(1)) not in angles:
            wrong.append(f"{m.group(0)} (the run turns by {sorted(angles) or 'nothing'})")
    models = [w for s in summaries for w in _run_models(s)]
    for words in set(MODEL_WORDS.values()):
        if re.search(rf"\b{words}\b", text, re.IGNORECASE) and not any(words.lower() in m
                                                                       for m in models):
            wrong.append(f"{words} (the run has {sorted(set(models))})")
    rates = {r for s in summaries for r in _run_rates(s)}
    for m in RATE.finditer(text):
        if float(m.group(1)) not in rates:
            wrong.append(f"{m.group(0)} (the run's rates: {sorted(rates)})")
    return wrong


def _as_shown(texts: dict[str, str]) -> dict[str, str]:
    """The texts with the words the page puts around them ("Why: " + reason + ".", "It
    happened: " + Try box), so punctuation is checked where the reader meets it."""
    shown = dict(texts)
    if "why" in shown:
        shown["why"] = f"Why: {shown['why']}."
    if "try box" in shown:
        shown["try box"] = f"It happened: {shown['try box']}"
    return shown


def _name_mismatches(summary: dict) -> list[str]:
    """Contender names that say something untrue of the run's models: a model or learning rate
    that is not the contender's own, or "same model" beside different models."""
    contenders = (summary.get("config") or {}).get("contenders") or []
    wrong = []
    for c in contenders:
        name, own = c["name"], model_words(summary, c["name"]).lower()
        for words in set(MODEL_WORDS.values()):
            if re.search(rf"\b{words}\b", name, re.IGNORECASE) and words.lower() not in own:
                wrong.append(f"'{name}' names {words}, its model is {own}")
        for rate in NAMED_RATE.findall(name):
            if f"learning rate {rate}" not in own:
                wrong.append(f"'{name}' names rate {rate}, its model is {own}")
        if "same model" in name.lower():
            families = {model_words(summary, o["name"]).split(",")[0].lower()
                        for o in contenders}
            if len(families) > 1:
                wrong.append(f"'{name}' says 'same model' beside {sorted(families)}")
    return wrong


def _sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.:;])\s+", text) if s]


@pytest.mark.slow
@pytest.mark.parametrize("key", KEYS)
def test_texts_agree_with_the_run_they_are_shown_with(key):
    lesson = LESSONS[key]
    preset = mode_summary(key, "normal")
    for mode in MODES:
        run = mode_summary(key, mode)
        texts = _texts(key, mode)
        for which, text in texts.items():
            raw = RAW.findall(text)
            assert not raw, f"{key} ({mode}) {which}: raw config or Python text {raw}: {text}"
            assert "cannot be checked" not in text, f"{key} ({mode}) {which}: {text}"
        for which, text in _as_shown(texts).items():
            stray = [text[max(0, m.start() - 20):m.end() + 20] for m in STRAY.finditer(text)]
            assert not stray, f"{key} ({mode}) {which}: stray punctuation in {stray}"
        assert not _name_mismatches(run), f"{key} ({mode}): {_name_mismatches(run)}"
        holds = check_claim(lesson, run).holds
        assert holds is {"normal": True, "try": holds, "fail": False}[mode], \
            f"{key} ({mode}): {texts['badge']}"
        # what each text describes: the verdicts the run shown, the "Try this" and "Why" texts
        # their change's run (they may name the preset's value they change too), and the
        # situation the run shown unless the sentence says it describes the preset
        tried, failed = mode_summary(key, "try"), mode_summary(key, "fail")
        described = {"badge": [run], "try box": [run], "try this": [tried, preset],
                     "try expect": [tried, preset], "why": [failed, preset]}
        for which, runs in described.items():
            if which in texts:
                wrong = _mismatches(texts[which], runs)
                assert not wrong, f"{key} ({mode}) {which} names {wrong}: {texts[which]}"
        for sentence in _sentences(lesson.situation):
            if "preset" not in sentence:
                wrong = _mismatches(sentence, [run])
                assert not wrong, f"{key} ({mode}) situation names {wrong}: {sentence}"


@pytest.mark.slow
@pytest.mark.parametrize("key", KEYS)
def test_the_try_box_agrees_with_the_badge_and_quotes_the_promise(key):
    lesson = LESSONS[key]
    tried, base = mode_summary(key, "try"), mode_summary(key, "normal")
    box = check_try(lesson, tried, base)
    assert box.holds, f"{key}: {box.detail}"
    badge = check_claim(lesson, tried).holds
    said = re.search(r"the claim (still holds|no longer holds|does not hold|holds)", box.detail)
    assert said, box.detail
    assert CLAIM_WORDS[said.group(1)] is badge, f"{key}: badge {badge}, Try box: {box.detail}"
    if lesson.try_keeps_claim is not None:
        assert badge is lesson.try_keeps_claim, key
    # the Try box's own clause (before the claim's) quotes every threshold the promise names,
    # and a number of what the claim is about
    own = box.detail[:said.start()]
    assert quotes_the_subject(own, CLAIM_SUBJECTS[key]), \
        f"{key}: the Try box quotes no number of {CLAIM_SUBJECTS[key]}: {box.detail}"
    numbers = set(re.findall(r"\d+(?:\.\d+)?", own))
    for promised in PROMISE.findall(lesson.try_expect):
        assert promised in numbers, f"{key}: the promise names {promised} points, the Try box " \
                                    f"says: {own}"


@pytest.mark.slow
@pytest.mark.parametrize("mode", ["try", "fail"])
@pytest.mark.parametrize("key", KEYS)
def test_every_changed_setting_is_named_with_its_new_value(key, mode):
    run = mode_summary(key, mode)
    shown = " ".join(_texts(key, mode).values()).lower()
    for path, value in overrides_of(key, mode).items():
        if path.endswith(".name"):
            continue  # a renamed contender: the chart's legend says it
        names = _words_for(path, value, run)
        assert names is None or any(n.lower() in shown for n in names), \
            f"{key} ({mode}): {path} = {value!r} is not named ({names})"


def _num(x: float) -> str:
    return f"{x:,.0f}" if float(x).is_integer() else f"{x:g}"


def _words_for(path: str, value, run: dict) -> list[str] | None:
    """How a text names setting ``path`` = ``value`` (None: a change with no single value, such
    as another generator concept, which the mode's own text describes in words)."""
    last = path.rsplit(".", 1)[-1]
    if last == "model" or (path.startswith("contenders[") and last.endswith("model")):
        model = value if isinstance(value, dict) else {"name": value}
        return [MODEL_WORDS.get(model["name"], model["name"])]
    if last == "detector":
        return [value.upper(), value.replace("_", "-")]
    if last == "angle" or path == "stream.drifts":
        t = turns(run)
        if not t:
            return ["never turns", "no drift", "without a drift", "no change"]
        return [f"{_num(d)} degrees" for _, d in t] + [f"{_num(d)}-degree" for _, d in t]
    if last == "label_noise":
        return [f"{_num(round(10 * value, 2))} in 10"]
    if last == "speed":
        cfg = run["config"]
        return [f"{value * cfg['n_points'] / 1000:.1f} units", f"speed {_num(value)}"]
    if isinstance(value, bool) or isinstance(value, dict):
        return None
    if isinstance(value, int | float):
        return [_num(value)]
    return None
