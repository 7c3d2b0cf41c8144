"""Small builders shared by the tests."""

from __future__ import annotations

import copy


def config(source="sea", n=3000, params=None, drifts=None, contenders=None, **evaluation):
    """A small valid config dict; override pieces per test."""
    ev = {"warmup": 500, "window": 200, "label_delay": 0, "step": 100}
    ev.update(evaluation)
    return {
        "seed": 5,
        "stream": {"source": source, "n_samples": n, "params": params or {},
                   "drifts": copy.deepcopy(drifts or [])},
        "evaluation": ev,
        "contenders": contenders or [
            {"name": "Online", "model": "river.hoeffding_tree", "policy": {"kind": "online"}},
        ],
    }


APP = str(__import__("pathlib").Path(__file__).resolve().parents[1] / "app.py")


TEST_HOOKS_ENV = "DRIFTLAB_TEST_HOOKS"  # ui.upload.TEST_HOOKS_ENV


def new_app(timeout: int = 60, **query):
    """The app under Streamlit's AppTest, run once with the given URL parameters.

    AppTest runs the app in this process: the test-only hooks (``ui.upload.apply_test_upload``)
    are switched on here with ``DRIFTLAB_TEST_HOOKS=1`` for the rest of the test session (the
    browser tests' servers are started without it, see ``browser_fixtures.streamlit_server``)."""
    import os

    from streamlit.testing.v1 import AppTest

    os.environ[TEST_HOOKS_ENV] = "1"

    at = AppTest.from_file(APP, default_timeout=timeout)
    for key, value in query.items():
        at.query_params[key] = value
    return at.run()


def assert_clean(at) -> None:
    """No exception and no error box on the page."""
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def fresh_csv_caches():
    """Body of an autouse fixture: each test starts and ends with empty CSV plan/load caches,
    so one test's cached file plan cannot answer for another's file at the same path."""
    import lab.data.csv.read as csv_read

    csv_read._PLANS.clear()
    csv_read._LOADED.clear()
    yield
    csv_read._PLANS.clear()
    csv_read._LOADED.clear()


def drift_card(block, width_key: str):
    """The smallest block under ``block`` (e.g. ``at.sidebar``) that holds the drift card's
    Width field (``width_key``) and an error note: that drift card, with its own note."""
    for child in getattr(block, "children", {}).values():
        if (any(w.key == width_key for w in getattr(child, "number_input", []))
                and getattr(child, "error", None)):
            return drift_card(child, width_key)
    return block


def priced_sea_run() -> dict:
    """A small priced SEA race (2,000 samples, a drift at 1,200, the baselines, an online tree
    and a periodic naive Bayes), packaged as the app keeps it (``ui.race.package``)."""
    from lab.race.engine import run_race
    from lab.validate import parse_experiment
    from ui.race import package

    cfg = config("sea", n=2000, warmup=300, drifts=[{"at": 1200, "to": {"variant": 2}}],
                 baselines=True, contenders=[
                     {"name": "Online", "model": "river.hoeffding_tree",
                      "policy": {"kind": "online"}},
                     {"name": "Periodic", "model": "sk.gaussian_nb",
                      "policy": {"kind": "periodic", "every": 400}}])
    cfg["costs"] = {"train_sample": 0.01, "retrain": 5, "label": 0.1, "error": 2}
    exp = parse_experiment(cfg)
    return package(run_race(exp), exp.to_json(indent=None))
