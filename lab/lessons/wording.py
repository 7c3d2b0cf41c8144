"""The run's settings in words, for the lessons' verdicts (:mod:`lab.lessons.checks`,
:mod:`lab.lessons.checks_field`).

A verdict that names a setting reads it from the run it judges (``summary["config"]``), never
from the preset: a "Try this" or "Make the claim fail" run is described as it was run (its
models, the turns of its boundary, its detector, its label noise), so the verdict beside the
chart and the chart always tell the same story (``tests/test_lesson_texts.py``).
"""

from __future__ import annotations

MODEL_WORDS = {
    "sk.gaussian_nb": "Gaussian naive Bayes", "river.gaussian_nb": "Gaussian naive Bayes",
    "sk.decision_tree": "decision tree", "river.hoeffding_tree": "Hoeffding tree",
    "river.hoeffding_adaptive_tree": "Hoeffding adaptive tree",
    "sk.logistic_regression": "logistic regression",
    "river.logistic_regression": "logistic regression",
    "river.adaptive_random_forest": "adaptive random forest", "sk.random_forest": "random forest",
}
DETECTOR_WORDS = {"adwin": "ADWIN", "page_hinkley": "Page-Hinkley", "kswin": "KSWIN",
                  "ddm": "DDM", "eddm": "EDDM", "hddm_a": "HDDM_A", "hddm_w": "HDDM_W"}


def num(x: float) -> str:
    """A setting's value as a person writes it: 1,000; 0.05; 90."""
    return f"{x:,.0f}" if float(x).is_integer() else f"{x:g}"


def config_of(s: dict, name: str) -> dict:
    """Contender ``name``'s settings in the run (empty for a summary without its config)."""
    for c in (s.get("config") or {}).get("contenders") or []:
        if c.get("name") == name:
            return c
    return {}


def model_words(s: dict, name: str) -> str:
    """Contender ``name``'s model in words, with the parameters a lesson talks about
    ("logistic regression, learning rate 0.05"; "decision tree of depth 1")."""
    model = config_of(s, name).get("model")
    if model is None:
        return "its model"
    model = model if isinstance(model, dict) else {"name": model, "params": {}}
    words = MODEL_WORDS.get(model["name"], str(model["name"]).split(".")[-1].replace("_", " "))
    params = model.get("params") or {}
    if "lr" in params:
        words += f", learning rate {num(params['lr'])}"
    elif model["name"] == "river.logistic_regression":
        words += ", learning rate 0.01 (river's default)"
    if "max_depth" in params:
        words += f" of depth {params['max_depth']}"
    if "n_models" in params:
        words += f" of {params['n_models']} trees"
    return words


def policy_value(s: dict, name: str, key: str):
    return (config_of(s, name).get("policy") or {}).get(key)


def turns(s: dict) -> list[tuple[int, float]]:
    """``(sample, degrees)`` of each drift of a ``blobs2d`` stream: how far the boundary turns
    (each drift's ``to`` is the concept after it, over the stream's own parameters)."""
    stream = (s.get("config") or {}).get("stream") or {}
    if stream.get("source") != "blobs2d":
        return []
    base = float((stream.get("params") or {}).get("angle", 0.0))
    out, now = [], base
    for d in stream.get("drifts") or []:
        after = float((d.get("to") or {}).get("angle", base))
        out.append((int(d["at"]), abs(after - now) % 360))
        now = after
    return out


def turn_text(s: dict, k: int = 0) -> str:
    """"after the 90-degree turn at sample 3,000" for drift ``k`` of the run."""
    t = turns(s)
    if k >= len(t):
        return "after the drift"
    return f"after the {num(t[k][1])}-degree turn at sample {t[k][0]:,}"


def noise_text(s: dict) -> str:
    noise = float((s.get("config") or {}).get("stream", {}).get("label_noise") or 0.0)
    return (f"{num(round(10 * noise, 2))} in 10 labels wrong" if noise else
            "no wrong labels")


def turning_rate(s: dict) -> str:
    """"In this run the boundary turns 30 degrees every 1,000 samples" (or how it turns)."""
    t = turns(s)
    if not t:
        return "In this run the boundary never turns"
    steps = {round(deg, 6) for _, deg in t}
    gaps = {b[0] - a[0] for a, b in zip(t, t[1:])}
    if len(steps) == 1 and len(gaps) <= 1:
        every = f"every {gaps.pop():,} samples" if gaps else f"once, at sample {t[0][0]:,}"
        return f"In this run the boundary turns {num(t[0][1])} degrees {every}"
    return ("In this run the boundary turns " + ", ".join(f"{num(d)} degrees at {a:,}"
                                                          for a, d in t))
