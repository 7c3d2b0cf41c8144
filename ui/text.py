"""Words of the app: chart captions and the glossary (plain language, no formulas), and
:func:`escape_markdown`, the one way text from a user or a link enters Streamlit's markup."""

from __future__ import annotations

import re
import unicodedata

CAPTIONS = {
    "accuracy": "Look at the dip after each drift line or band: how deep it goes, how long it "
                "lasts, and who climbs back first. Triangles are retrained models going live, "
                "crosses are drift-detector alarms.",
    "live": "The race is being replayed: each line is one contender's accuracy over the last "
            "window of samples.",
    "staleness": "Model age (top) = samples since the newest example the model in use has "
                 "learned from: frozen grows for ever, periodic retraining draws a saw-tooth, "
                 "online stays near 1. Data age (bottom) = how old, on average, all the "
                 "examples it learned from are: online learning is always fresh, yet what it "
                 "knows ages with the stream.",
    "cost": "Training cost so far: samples fed to training (exact) and CPU seconds spent "
            "training (measured, so they vary a little between runs). Steep steps are full "
            "retrains; a straight ramp is online learning.",
    "retrain_cost": "Average size of one from-scratch retrain: big windows make each retrain "
                    "dear, frequent small ones add up.",
    "tradeoff": "Up and to the left is better: more accuracy for less training. Points on the "
                "line (the Pareto front) are the ones no other contender beats on both.",
    "summary": "Click a column header to sort; hover over it for what it means. The best "
               "contender of each column (of each drift or stretch) is highlighted; baselines, "
               "greyed, are references and never highlighted. 'not back' means the accuracy "
               "had not recovered before the next drift; '–' means undefined or not measured.",
    "data": "What the stream looks like in each concept: a moved class boundary is real drift, "
            "moved clouds with the same boundary are virtual drift (covariate shift).",
    "features": "Feature distributions per concept: a box that moves between concepts is a "
                "shifted input distribution; if nothing moves but accuracy drops, the drift is "
                "in the labels.",
    "preview": "Where each concept is active; a gradient is a gradual drift.",
}

# The trade-off chart's choice of cost (keys as in ``lab.plots.TRADEOFF_COSTS``).
TRADEOFF_COSTS = {"train_samples": "training samples processed",
                  "train_cpu_s": "training CPU seconds"}
TRADEOFF_COST_HELP = ("Samples processed counts every example fed to training: the same on any "
                      "computer. CPU seconds are the processor time training took on this "
                      "server: they also weigh how dear each example is for the model, but vary "
                      "a little from run to run.")

GLOSSARY: list[tuple[str, str]] = [
    ("Batch (offline) learning",
     "The model is trained once on a fixed pile of data and then used as it is. Updating it "
     "means training a new model from scratch on a new pile."),
    ("Online (incremental) learning",
     "The model learns from each example as soon as its answer (label) arrives, one at a time, "
     "without starting over."),
    ("Mini-batch",
     "A middle way: collect a small group of labelled examples (say 100), then update the model "
     "with the whole group at once."),
    ("Prequential evaluation",
     "\"Test, then train\": each new example is first used to test the model (was its "
     "prediction right?) and only then to train it. Every example is a fair test because the "
     "model has not seen it yet."),
    ("Concept drift",
     "The relation between inputs and the right answer changes over time, so yesterday's "
     "model starts making mistakes. **Sudden**: it changes at one moment. **Gradual**: for a "
     "while old and new behaviour are mixed, the new one more and more often. **Incremental**: "
     "it slides little by little, all the time. **Recurring**: an earlier situation comes back "
     "(think seasons)."),
    ("Virtual drift / covariate shift",
     "The inputs change (different customers, different sensors) but the rule linking inputs to "
     "answers stays the same. It can still hurt a model that never saw such inputs."),
    ("Label delay",
     "How long it takes until the right answer of a prediction is known (a loan's default shows "
     "only months later). A model can only learn from examples whose labels have arrived."),
    ("Staleness",
     "The age of the model in use: how many examples ago the newest thing it learned from "
     "happened. A stale model still believes the old world."),
    ("Data age",
     "How old, on average, the examples are that the model in use learned from, counted in "
     "examples before now. A model retrained on the last 1,000 examples has a data age of about "
     "500 plus its staleness; a model that learns online is never stale, but it has learned "
     "from everything since the start, so its data age is about half the stream. Examples "
     "that count less (a decayed retrain) weigh less in the average. A learner that keeps only "
     "its last examples (k nearest neighbours, 1,000) counts only those; models that forget in "
     "other ways (adaptive trees and forests) are counted as remembering all they were fed."),
    ("Retrain cost",
     "How much work training takes, counted two ways. **Training samples processed**: the "
     "examples fed to training (a retrain on 5,000 examples costs 5,000, an online update 1), "
     "the same on every computer. **Training CPU seconds**: the processor time spent training "
     "(not predicting), measured the same way for every kind of update, so it varies a little "
     "between runs and computers, and includes any other work the same program does at the "
     "same moment (another race on a shared server)."),
    ("Drop and recovery after a drift",
     "Before each drift the lab takes the model's usual accuracy, the **pre-drift level** (the "
     "mean over the second half of the stretch before it). **Drop**: how far the rolling "
     "accuracy falls below that level from the change's start until a window (or the drift's "
     "width, if longer) after it ends. **Recovery**: how many examples after the change ends "
     "until the rolling accuracy is back within a **noise margin** of the usual level *and "
     "stays there* for a whole window; 0 means no dip beyond the margin, 'not back' means it "
     "never got there before the next drift. The margin is wider for short windows, which "
     "are noisier."),
    ("Accuracy lost (area lost)",
     "The examples a drift cost: the usual accuracy times the examples up to the next drift, "
     "minus the examples actually got right. It needs no threshold and does not depend on the "
     "window (after Shaker & Hüllermeier, 2015). Below 0 means the model did better after the "
     "drift than before."),
    ("Kappa",
     "Accuracy corrected for luck. **Cohen's kappa** compares with guessing by the class "
     "shares; **kappa-M** with always answering the most frequent class; **kappa-T** with "
     "answering whatever the previous example was. 0 means no better than that shortcut, "
     "below 0 worse. On data where labels come in runs (electricity prices), a model with "
     "high accuracy can still have a negative kappa-T."),
    ("Balanced accuracy and macro F1",
     "Scores that give every class the same weight, however rare it is. **Balanced accuracy** "
     "is the mean, over the classes, of the share of each class's examples predicted right. "
     "**Macro F1** is the mean, over the classes, of each class's F1 score (which balances "
     "missing that class against wrongly claiming it). A model that always answers the "
     "common class gets high accuracy but low balanced accuracy and macro F1."),
    ("Baselines",
     "Deliberately simple models the lab runs as references, not as candidates: **no-change** "
     "predicts the label of the previous example, **majority class** the most frequent label "
     "seen so far. A contender that does not beat no-change has learned less than the fact "
     "that labels repeat themselves (common on data such as electricity prices)."),
    ("Drift detector",
     "A small watchdog that follows the model's error rate and raises an alarm when it rises "
     "more than chance would explain (e.g. ADWIN, Page-Hinkley). The alarm can trigger a retrain."),
    ("Catastrophic forgetting",
     "A model that adapts to new data can lose what it knew about old data; when the old "
     "situation returns, it has to learn it all over again."),
    ("Stability–plasticity trade-off",
     "A model cannot be both perfectly steady (ignore noise, remember the past) and perfectly "
     "quick to change (follow every drift). Every update policy picks a point between the two."),
]


LIBRARY_NAMES = {"sklearn": "scikit-learn"}  # a model's library as people name it


def model_label(name: str, info) -> str:
    """A model as the model picker shows it: its display name (the one contender names use,
    :func:`ui.contenders.model_words`) and its library, never its registry key.

    >>> from lab.learners import MODELS
    >>> model_label("sk.logistic_regression", MODELS["sk.logistic_regression"])
    'Logistic regression · scikit-learn'
    >>> model_label("river.knn", MODELS["river.knn"])
    'k-NN · river'
    """
    from ui.contenders import model_words  # ui.contenders names contenders after their model

    return f"{model_words(name)} · {LIBRARY_NAMES.get(info.library, info.library)}"


_HTML_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
# Characters that start inline markup anywhere in a line: escapes, code, emphasis, strike-through,
# tables, LaTeX, and the ``@`` of e-mail autolinks. CommonMark lets any ASCII punctuation be
# backslash-escaped; the others (``. : ' " - [ ( )`` ...) are escaped only where they can start
# something, so messages keep reading ``contenders[1].policy.every: ...``.
_ALWAYS = frozenset("\\`*~|$")
# GFM autolink literals (``http://``, ``www.``, ``a@b.c``) are found in the parsed *text*, after
# backslash escapes are gone (mdast-util-gfm-autolink-literal), so only a character inside the
# pattern breaks them: an invisible WORD JOINER before the ``//``, the ``.`` or the ``@``.
NO_LINK = "\u2060"
_LINE_START = re.compile(r"^(\s*)(?:([#=+\-\[])|(\d+)([.)]))")
_DIRECTIVE = re.compile(r"[A-Za-z][\w-]*\[")  # after ":", Streamlit's :red[...] / :red-badge[...]


def escape_markdown(value: object) -> str:
    r"""``value`` as text that Streamlit shows literally, whether it lands in ``st.markdown``
    (with or without ``unsafe_allow_html``), an alert, a caption, a widget label, a tab or
    expander label, a help text or a toast.

    A contender name, a CSV column name or a value from a link is data, not markup: without
    this a name such as ``![x](http://evil.example/p.png)`` would make every viewer's browser
    fetch that address, and with ``unsafe_allow_html`` ``<iframe srcdoc=...>`` would run script.
    HTML's ``& < >`` become entities (``&lt;`` reads as ``<``); ``\ ` * ~ | $`` get a
    backslash (``\*`` reads as ``*``); ``_`` too unless it sits inside a word (``n_samples``
    never emphasises); a ``]`` before ``(`` or ``[`` (no link or image) and the ``:`` of
    ``:red[`` too (no directive); ``://``, ``www.`` and ``@`` get an invisible word joiner
    (:data:`NO_LINK`) inside, so no autolink forms; a
    leading ``#``, ``-``, ``+``, ``=``, ``[`` or ``1.`` too (no heading, list or link
    definition); control characters and line breaks become spaces and leading blanks one space,
    so the text stays on its line. For text content only, never inside an HTML attribute.

    >>> print(escape_markdown("a*b_c _d_ stream.n_samples: 'x'"))
    a\*b_c \_d\_ stream.n_samples: 'x'
    >>> print(escape_markdown('<img src=x onerror="alert(1)">'))
    &lt;img src=x onerror="alert(1)"&gt;
    >>> escape_markdown("![x](http://evil.example/p.png) www.evil.example me@evil.example")
    '![x\\](http:\u2060//evil.example/p.png) www\u2060.evil.example me\u2060@evil.example'
    >>> print(escape_markdown("contenders[1].policy.every :red[x] [a][b]"))
    contenders[1].policy.every \:red[x] [a\][b\]
    >>> print(escape_markdown("1. first\n# big"))
    1\. first # big
    """
    text = "".join(" " if unicodedata.category(ch) in ("Cc", "Zl", "Zp") else ch
                   for ch in str(value))
    text = re.sub(r"^\s+", " ", text)
    out = []
    for i, ch in enumerate(text):
        before = text[i - 1] if i else " "
        after = text[i + 1] if i + 1 < len(text) else " "
        if ch in _HTML_ENTITIES:
            out.append(_HTML_ENTITIES[ch])
        elif (ch in _ALWAYS or (ch == "_" and not (before.isalnum() and after.isalnum()))
              or (ch == "]" and (i + 1 == len(text) or after in "(["))  # text may follow
              or (ch == ":" and _DIRECTIVE.match(text, i + 1))):
            out.append("\\" + ch)
        elif ch == ":" and text.startswith("//", i + 1):
            out.append(":" + NO_LINK)
        elif ch == "@" or (ch == "." and text[max(0, i - 3):i].lower() == "www"):
            out.append(NO_LINK + ch)
        else:
            out.append(ch)
    escaped = "".join(out)
    start = _LINE_START.match(escaped)
    if start and start.group(2):
        escaped = escaped[:start.end(1)] + "\\" + escaped[start.end(1):]
    elif start and start.group(3):
        escaped = escaped[:start.start(4)] + "\\" + escaped[start.start(4):]
    return escaped
