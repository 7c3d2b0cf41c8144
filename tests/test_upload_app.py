"""The app's real-data side through AppTest: data sets in the sidebar, the user's own CSV file
(every malformed file of tests/data/bad/ gives its own message, the app stays usable), marked
drift points, and links that must never make the server read a path.

AppTest cannot drive ``st.file_uploader``, so uploads go through the test-only hook of
``ui.upload`` (``session_state["_test_upload"]``), which calls the same ``handle_upload(name,
bytes)`` as the widget's callback.
"""

from __future__ import annotations

import base64
import doctest
import json
import tomllib
import zlib
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from test_datasets import BAD, BAD_FILES, GOOD  # the one mapping file -> expected words

from helpers import new_app
from lab.data.csv.limits import DEFAULT_MAX_MB
from ui import upload_store as U
from ui.number_checks import plain_paths
from ui.urls import decode_config, encode_config

# Every test here runs the whole app (AppTest or a browser): seconds each, not the quick loop.
pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
CLEAN_PARAMS = {"csv_target": "label", "csv_features": None, "csv_time": None,
                "csv_missing": "reject", "csv_delimiter": "auto", "csv_encoding": "utf-8",
                "csv_max_mb": DEFAULT_MAX_MB, "csv_all_rows": True}
PARAM_KEYS = {"target": "csv_target", "features": "csv_features", "time": "csv_time",
              "missing": "csv_missing", "delimiter": "csv_delimiter", "max_mb": "csv_max_mb",
              "encoding": "csv_encoding"}




def upload(at: AppTest, path: Path, **params) -> AppTest:
    at.session_state["_test_upload"] = {"name": path.name, "data": path.read_bytes(),
                                        "params": params}
    return at.run()


def errors(at: AppTest) -> str:
    assert not at.exception, [e.value for e in at.exception]
    return "\n".join(e.value for e in at.error)


def small_evaluation(at: AppTest, warmup=2, window=100, step=5) -> None:
    for key, value in (("warmup", warmup), ("window", window), ("step", step)):
        at.number_input(key=key).set_value(value).run()


# What the CLI's messages call a key the page calls by its field's label.
PAGE_WORDS = {"max_mb": "CSV: size limit (MB)"}


def test_every_bad_csv_gives_its_own_message_and_the_app_stays_usable():
    at = new_app()
    at.selectbox(key="source").set_value("upload").run()  # no file yet: said, and no Run
    assert "no CSV file uploaded yet" in errors(at) and at.button(key="run").disabled
    small_evaluation(at)
    names = sorted(set(BAD_FILES) - {"does_not_exist.csv"})  # a path, not something to upload
    assert len(names) >= 15
    failures = {}
    for name in names:
        extra, n, words = BAD_FILES[name]
        params = dict(CLEAN_PARAMS)
        params.update({PARAM_KEYS[k]: v for k, v in extra.items()})
        if n is not None:
            params.update({"csv_all_rows": False, "n_samples": n})
        upload(at, BAD / name, **params)
        text = errors(at)  # never an exception
        # the page names fields by their labels (ui.number_checks.plain_paths), not by path
        csv = {"stream": {"source": f"csv:{name}"}}
        app_words = (PAGE_WORDS.get(w, plain_paths(w, csv)) for w in words)
        missing = [w for w in app_words if w not in text]
        if missing or not at.button(key="run").disabled:
            failures[name] = (missing, text)
    assert not failures, json.dumps(failures, indent=1)
    # ... and a good file afterwards works
    upload(at, GOOD / "sensors.csv", **{**CLEAN_PARAMS, "csv_features": ["temp", "load"],
                                        "csv_missing": "drop_rows"})
    assert errors(at) == ""
    assert not at.button(key="run").disabled
    at.selectbox(key="source").set_value("sea").run()  # and back to a generator
    assert errors(at) == "" and not at.button(key="run").disabled


def test_a_good_csv_races_with_the_cli_s_numbers(tmp_path):
    from lab.cli import main as cli

    at = new_app()
    upload(at, GOOD / "sensors.csv")
    assert at.session_state["source"] == "upload"
    assert at.session_state["csv_target"] == "label"  # guessed from the name
    # default features: the numeric and few-valued columns (not the date column)
    assert at.session_state["csv_features"] == ["temp", "mode", "load"]
    columns = {c for frame in at.dataframe for c in getattr(frame.value, "columns", [])}
    assert {"kind", "distinct", "missing"} <= columns  # the column summary
    # temp has empty cells: the default imputes the median (issue 13), so nothing blocks the run
    assert at.session_state["csv_missing"] == "impute_median" and "missing" not in errors(at)
    at.selectbox(key="csv_missing").set_value("reject").run()  # reject names the cell ...
    assert "missing value" in errors(at) and at.button(key="run").disabled
    at.selectbox(key="csv_missing").set_value("impute_median").run()  # ... and back
    at.selectbox(key="csv_time").set_value("when").run()
    at.multiselect(key="csv_features").set_value(["temp", "mode"]).run()
    small_evaluation(at, warmup=10, window=20, step=5)
    at.button(key="add_drift").click().run()  # a suspected drift point
    (uid,) = at.session_state["drift_ids"]
    at.number_input(key=f"d{uid}_at").set_value(30).run()
    assert errors(at) == "" and not at.button(key="run").disabled
    notes = "\n".join(c.value for c in at.caption)
    assert "60 rows · missing values: fill with the median · 2 filled in temp" in notes, notes
    at.button(key="run").click().run()
    assert errors(at) == ""
    out = at.session_state["history"][-1]["outputs"]
    stream = out["config"]["stream"]
    assert stream["params"]["missing"] == "impute_median"  # the choice is in the summary
    assert stream["params"]["features"] == ["temp", "mode"] and stream["params"]["time"] == "when"
    assert stream["drifts"] == [{"at": 30, "width": 0}] and stream["n_samples"] == 60
    assert "marked point at 30" in "\n".join(m.value for m in at.markdown)
    link = at.query_params["config"]
    link = link[0] if isinstance(link, list) else link
    raw = zlib.decompress(base64.urlsafe_b64decode(link + "=" * (-len(link) % 4))).decode()
    assert '"source":"csv:sensors.csv"' in raw and "driftlab-uploads" not in raw  # no server path

    config = json.loads(json.dumps(out["config"]))
    config["stream"]["source"] = f"csv:{GOOD / 'sensors.csv'}"
    (tmp_path / "c.json").write_text(json.dumps(config))
    assert cli(["run", "--config", str(tmp_path / "c.json"), "--out", str(tmp_path / "out")]) == 0
    expected = json.loads((tmp_path / "out" / "summary.json").read_text())

    def numbers(summary):
        return [{k: v for k, v in c.items() if k != "train_cpu_s"} for c in summary["contenders"]]

    assert numbers(out["summary"]) == numbers(expected)


def test_dataset_phishing_from_the_sidebar_runs_and_its_link_round_trips():
    at = new_app()
    at.selectbox(key="source").set_value("dataset:phishing").run()
    assert at.session_state["n_samples"] == 1250 and at.session_state["drift_ids"] == []
    assert any("1,250 rows" in c.value for c in at.caption)  # description and size
    small_evaluation(at, warmup=100, window=100, step=25)
    assert at.session_state["c2_kind"] == "triggered"
    at.selectbox(key="c2_detector").set_value("eddm").run()  # fires 3 times on Phishing
    at.button(key="run").click().run()
    assert errors(at) == ""
    out = at.session_state["history"][-1]["outputs"]
    assert out["config"]["stream"]["source"] == "dataset:phishing"
    assert all(c["status"] == "ok" for c in out["summary"]["contenders"])
    # the detector's alarms are drawn on the accuracy chart (real data: no known drifts)
    assert (out["events"]["kind"] == "drift_alarm").sum() > 0
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert any("drift alarm" in (t.get("name") or "") for t in spec["data"]), \
        [t.get("name") for t in spec["data"]]
    link = at.query_params["config"]
    link = link[0] if isinstance(link, list) else link
    assert decode_config(link)["stream"]["source"] == "dataset:phishing"
    again = new_app(config=link)  # a shared link of a data set race loads (and runs)
    assert errors(again) == "" and again.session_state["source"] == "dataset:phishing"


def test_a_csv_source_in_a_link_or_a_paste_is_refused_with_a_pointer_to_upload(monkeypatch):
    import lab.data.datasets as datasets

    def never(*args, **kwargs):
        raise AssertionError("a link made the server read a path")

    monkeypatch.setattr(datasets, "check_csv", never)
    cfg = {"seed": 1, "stream": {"source": f"csv:{GOOD / 'sensors.csv'}",
                                 "params": {"target": "label"}},
           "evaluation": {"warmup": 10}, "contenders": [
               {"name": "O", "model": "river.gaussian_nb", "policy": {"kind": "online"}}]}
    at = new_app(config=encode_config(cfg))
    assert not at.exception
    warnings = "\n".join(w.value for w in at.warning)
    assert "a link or a config cannot carry your data" in warnings
    assert "bundle" in warnings and "upload the CSV file" in warnings  # how to share it instead
    assert at.session_state["source"] != "upload"
    at.session_state["paste_config"] = json.dumps(cfg)
    at.button(key="load_pasted").click().run()
    assert "upload the CSV file" in errors(at) and "bundle" in errors(at)


def test_uploads_stay_in_their_session_folder(tmp_path, monkeypatch):
    monkeypatch.setattr(U.limits, "UPLOAD_DIR", tmp_path / "driftlab-uploads")
    path, digest = U.save_upload("../../../etc/passwd", b"a,b\n1,2\n", "s1")
    assert path.parent.parent == tmp_path / "driftlab-uploads" / "s1" and path.name == "passwd"
    mtime = path.stat().st_mtime_ns
    assert U.save_upload("../../../etc/passwd", b"a,b\n1,2\n", "s1") == (path, digest)
    assert path.stat().st_mtime_ns == mtime  # read and written once per content
    other, _ = U.save_upload("x.csv", b"a,b\n3,4\n", "s1")
    assert other.exists() and not path.exists()  # one file per session at a time
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["server"]["maxUploadSize"] == DEFAULT_MAX_MB  # the widget and the core agree


def test_upload_doctests():
    assert doctest.testmod(U).failed == 0
