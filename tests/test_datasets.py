"""Real data: shipped and river data sets, CSV files, and a clear message for every bad input."""

from __future__ import annotations

import json
import socket
from fractions import Fraction
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from river import datasets as river_datasets
from river import evaluate, linear_model, metrics, multiclass, naive_bayes, preprocessing, tree

import lab.data.csv.frame as csv_frame
import lab.data.csv.limits as limits
import lab.data.csv.read as csv_read
import lab.data.datasets as datasets
from helpers import fresh_csv_caches
from lab import parse_experiment, run_race, summarise
from lab.data.csv.preview import inspect_csv
from lab.data.csv.read import load_csv
from lab.data.datasets import DATASETS, load_dataset
from lab.data.realdata import sort_labels
from lab.data.stream import make_stream
from lab.spec.errors import ConfigError
from lab.validate import json_schema, load_config

ROOT = Path(__file__).resolve().parents[1]
BAD = ROOT / "tests" / "data" / "bad"
GOOD = ROOT / "tests" / "data" / "good"


def real_config(source, n=None, params=None, drifts=None, contenders=None, **evaluation):
    stream = {"source": source}
    if n is not None:
        stream["n_samples"] = n
    if params is None and source.startswith("csv:"):
        params = {"target": "label"}
    if params is not None:
        stream["params"] = params
    if drifts is not None:
        stream["drifts"] = drifts
    ev = {"warmup": 1, "window": 100, "label_delay": 0, "step": 50}
    ev.update(evaluation)
    return {"seed": 3, "stream": stream, "evaluation": ev, "contenders": contenders or [
        {"name": "NB", "model": "river.gaussian_nb", "policy": {"kind": "online"}}]}


@pytest.fixture(autouse=True)
def _fresh_caches():
    yield from fresh_csv_caches()


def _write(path: Path, text: str, encoding="utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


# --------------------------------------------------------------------------------------------
# Shipped and river data sets
# --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("name,rows,features,counts", [
    ("elec", 45_312, 6, [26_075, 19_237]),
    ("weather", 18_159, 8, [12_461, 5_698]),
])
def test_shipped_data_sets_have_their_documented_size_and_classes(name, rows, features, counts):
    data = load_dataset(name)
    info = DATASETS[name]
    assert data.X.shape == (rows, features) == (info.n_samples, info.n_features)
    assert data.X.dtype == np.float64 and np.isfinite(data.X).all()
    assert np.bincount(data.y).tolist() == counts
    assert data.class_names == list(info.class_names)
    readme = (ROOT / "datasets" / name / "README.md").read_text()
    for word in ("Source", "Licence", f"{rows:,}", "Drift", info.target):
        assert word in readme, word


def test_elec_keeps_the_wheels_values_with_named_columns():
    data = load_dataset("elec")
    assert data.feature_names == ["period", "nswprice", "nswdemand", "vicprice", "vicdemand",
                                  "transfer"]
    # the first row of scikit-multiflow's elec.csv, as written there, class UP
    assert data.X[0].tolist() == [0.0, 0.05644299999999999, 0.439155, 0.003467, 0.422915,
                                  0.414912]
    assert data.class_names[data.y[0]] == "UP"
    # the documented virtual drift: Victoria's columns are constant placeholders before 17,424
    assert np.unique(data.X[:17_424, 3]).size == 1 and data.X[17_424, 3] != data.X[0, 3]


@pytest.mark.slow
def test_data_sets_load_without_the_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("a data set tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    datasets._dataset_arrays.cache_clear()
    for name in DATASETS:
        assert len(load_dataset(name).y) == DATASETS[name].n_samples


@pytest.mark.parametrize("name,cls", [("phishing", "Phishing"), ("bananas", "Bananas"),
                                      ("image_segments", "ImageSegments")])
@pytest.mark.slow
def test_river_data_sets_are_river_s_rows_with_sorted_labels(name, cls):
    rows = list(getattr(river_datasets, cls)())
    data = load_dataset(name)
    assert data.feature_names == [str(k) for k in rows[0][0]]
    expected = np.array([[float(v) for v in x.values()] for x, _ in rows])
    assert np.array_equal(data.X, expected)
    originals = sorted({y for _, y in rows})
    assert data.labels == originals
    assert data.y.tolist() == [originals.index(y) for _, y in rows]


def test_labels_sort_deterministically():
    assert sort_labels([True, False]) == [False, True]
    assert sort_labels(["10", "2", "-1.5"]) == ["-1.5", "2", "10"]
    assert sort_labels(["b", "B", "a", "10"]) == ["10", "B", "a", "b"]
    assert sort_labels([3, 1, 2.5]) == [1, 2.5, 3]


# --------------------------------------------------------------------------------------------
# river's published progressive-validation scores on Phishing
# --------------------------------------------------------------------------------------------
def _bare_river_hits(make_model, rows, start=1):
    """predict_one then learn_one over river's own rows (bool labels); hits from ``start``."""
    model, hits = make_model(), 0
    for i, (x, y) in enumerate(rows):
        if i >= start:
            hits += model.predict_one(x) == y
        model.learn_one(x, y)
    return hits


def _lab_hits(name, model):
    result = run_race(parse_experiment(real_config(
        f"dataset:{name}", contenders=[{"name": "m", "model": model,
                                        "policy": {"kind": "online"}}])))
    correct = result.contenders[0].trace.correct[:result.n_done]
    accuracy = summarise(result)["contenders"][0]["accuracy"]
    hits = int(correct[1:].sum())
    assert accuracy == hits / (len(correct) - 1)
    return hits, accuracy


# (lab model, the same learner built by hand, river's figure printed by progressive_val_score)
PHISHING = [
    ("river.hoeffding_tree", lambda: tree.HoeffdingTreeClassifier(), "87.99%"),
    ("river.gaussian_nb", lambda: naive_bayes.GaussianNB(), "88.47%"),
    ("river.logistic_regression",
     lambda: preprocessing.StandardScaler() | linear_model.LogisticRegression(), "89.28%"),
]


@pytest.mark.parametrize("model,make,published", PHISHING, ids=[m for m, _, _ in PHISHING])
@pytest.mark.slow
def test_phishing_reproduces_river_s_progressive_validation_score(model, make, published):
    """Warm-up 1: the lab learns sample 0 unscored and scores samples 1..N-1 (N = 1,250).

    river's progressive_val_score skips a sample when the model makes no prediction (None):
    an untrained Hoeffding tree or Gaussian NB has none for sample 0, so river's figure is over
    1..N-1 too and equals the lab's accuracy exactly. An untrained logistic regression predicts
    (False, probability 0.5) and misses sample 0 (True), so river divides by N and the lab by
    N - 1: river = (lab hits + hit_0) / (N - 1 + predicted_0).
    """
    rows = list(river_datasets.Phishing())
    n = len(rows)
    hits, accuracy = _lab_hits("phishing", model)
    # 1) the lab's hits on samples 1..N-1 are a bare river loop's on river's own rows and labels
    assert hits == _bare_river_hits(make, rows)
    # 2) river's own evaluation, and how it relates to the lab's number
    river_score = evaluate.progressive_val_score(dataset=river_datasets.Phishing(), model=make(),
                                                 metric=metrics.Accuracy())
    first = make().predict_one(rows[0][0])
    predicted0, hit0 = int(first is not None), int(first == rows[0][1])
    assert Fraction(river_score.get()).limit_denominator(10_000) == \
        Fraction(hits + hit0, n - 1 + predicted0)
    assert f"{river_score.get():.2%}" == published
    if predicted0 == 0:
        assert accuracy == river_score.get()
    else:
        assert accuracy * (n - 1) / n == pytest.approx(river_score.get(), abs=1e-15)


@pytest.mark.parametrize("name,cls,model,make", [
    ("image_segments", "ImageSegments", "river.hoeffding_tree",
     lambda: tree.HoeffdingTreeClassifier()),
    ("image_segments", "ImageSegments", "river.gaussian_nb", lambda: naive_bayes.GaussianNB()),
    ("image_segments", "ImageSegments", "river.logistic_regression",
     lambda: preprocessing.StandardScaler() | multiclass.OneVsRestClassifier(
         linear_model.LogisticRegression())),
    ("bananas", "Bananas", "river.hoeffding_tree", lambda: tree.HoeffdingTreeClassifier()),
])
@pytest.mark.slow
def test_integer_classes_predict_like_the_original_labels(name, cls, model, make):
    """The lab trains on 0..K-1; river's rows carry texts or booleans. Same hits, exactly."""
    hits, _ = _lab_hits(name, model)
    assert hits == _bare_river_hits(make, list(getattr(river_datasets, cls)()))


# --------------------------------------------------------------------------------------------
# Config rules of real data: n_samples, markers, params
# --------------------------------------------------------------------------------------------
def test_n_samples_defaults_to_all_rows_and_may_take_the_first_rows():
    exp = parse_experiment(real_config("dataset:phishing"))
    assert exp.stream.n_samples == 1250
    head = make_stream(parse_experiment(real_config("dataset:phishing", n=300)).stream, 0)
    full = make_stream(exp.stream, 0)
    assert np.array_equal(head.X, full.X[:300]) and np.array_equal(head.y, full.y[:300])
    assert head.class_names == ["legitimate", "phishing"]


@pytest.mark.parametrize("change,words", [
    ({"n": 50_000, "source": "dataset:elec"},
     ["stream.n_samples", "50,000", "dataset:elec has 45,312 rows", "at most 45312"]),
    ({"drifts": [{"at": 500, "to": {"variant": 1}}]},
     ["stream.drifts[0].to", "real data", "suspected drift point"]),
    ({"params": {"variant": 1}}, ["stream.params.variant", "unknown key"]),
    ({"source": "dataset:covtype"}, ["stream.source", "unknown data set", "dataset:weather"]),
    ({"drifts": [{"at": 1250}]}, ["stream.drifts[0].at", "1 to 1,249"]),
])
def test_real_data_config_errors(change, words):
    cfg = real_config(change.get("source", "dataset:phishing"), n=change.get("n"),
                      params=change.get("params"), drifts=change.get("drifts"))
    with pytest.raises(ConfigError) as info:
        parse_experiment(cfg)
    for word in words:
        assert word in str(info.value), str(info.value)


@pytest.mark.slow
def test_marked_drift_points_give_segments_and_per_segment_figures():
    cfg = real_config("dataset:elec", n=6000, drifts=[{"at": 2000}, {"at": 4000, "width": 500}],
                      warmup=500)
    exp = parse_experiment(cfg)
    assert exp.to_dict()["stream"]["drifts"] == [{"at": 2000, "width": 0},
                                                 {"at": 4000, "width": 500}]
    assert parse_experiment(json.loads(exp.to_json())) == exp  # the normalised config re-parses
    result = run_race(exp)
    assert result.stream.concept.tolist() == [0] * 2000 + [1] * 2000 + [2] * 2000
    summary = summarise(result)
    c = summary["contenders"][0]
    correct = result.contenders[0].trace.correct
    assert c["accuracy_by_segment"] == [correct[500:2000].mean(), correct[2000:4000].mean(),
                                        correct[4000:6000].mean()]
    assert len(c["recovery"]) == len(c["max_drop"]) == 2 and c["max_drop"][0] is not None
    assert summary["drifts"] == [
        {"at": 2000, "width": 0, "shape": "span", "start": 2000, "end": 2000},
        {"at": 4000, "width": 500, "shape": "span", "start": 4000, "end": 4500}]


def test_label_noise_works_on_real_data():
    clean = make_stream(parse_experiment(real_config("dataset:bananas")).stream, 1)
    cfg = real_config("dataset:bananas")
    cfg["stream"]["label_noise"] = 0.2
    noisy = make_stream(parse_experiment(cfg).stream, 1)
    assert abs((clean.y != noisy.y).mean() - 0.2) < 0.02


@pytest.mark.slow
def test_example_config_runs_elec_end_to_end_via_the_cli(tmp_path, capsys):
    from lab.cli import main

    exp = load_config(ROOT / "datasets" / "examples" / "elec.json")
    assert exp.stream.source == "dataset:elec" and exp.stream.n_samples == 45_312
    assert [c.policy.kind for c in exp.contenders] == ["frozen", "periodic", "triggered",
                                                       "online"]
    cfg = json.loads(exp.to_json())
    cfg["stream"]["n_samples"] = 3000
    cfg["stream"]["drifts"] = [{"at": 2000}]
    path = tmp_path / "elec_small.json"
    path.write_text(json.dumps(cfg))
    assert main(["run", "--config", str(path), "--out", str(tmp_path / "out"), "--quiet",
                 "--dump-stream"]) == 0
    summary = json.loads((tmp_path / "out" / "summary.json").read_text())
    assert summary["config"]["stream"]["source"] == "dataset:elec"
    assert all(c["status"] == "ok" for c in summary["contenders"])
    stream = pd.read_csv(tmp_path / "out" / "stream.csv")
    assert list(stream.columns) == ["period", "nswprice", "nswdemand", "vicprice", "vicdemand",
                             "transfer", "y", "concept"]
    assert stream["concept"].tolist() == [0] * 2000 + [1] * 1000


def test_schema_describes_the_new_sources():
    jsonschema = pytest.importorskip("jsonschema")
    schema = json_schema()
    assert set(schema["$defs"]["datasets"]) == set(DATASETS)
    assert schema["$defs"]["csv_params"]["required"] == ["target"]
    validator = jsonschema.Draft202012Validator(schema)
    example = json.loads((ROOT / "datasets" / "examples" / "elec.json").read_text())
    assert not list(validator.iter_errors(example))
    csv_cfg = real_config("csv:x.csv", params={"target": "y", "missing": "impute_mean"})
    assert not list(validator.iter_errors(csv_cfg))
    no_n = {"seed": 1, "stream": {"source": "sea"}, "contenders": example["contenders"]}
    assert list(validator.iter_errors(no_n))  # a generator still needs n_samples


# --------------------------------------------------------------------------------------------
# CSV files that load
# --------------------------------------------------------------------------------------------
def test_csv_with_text_categories_time_order_and_imputation():
    path = GOOD / "sensors.csv"
    params = {"target": "label", "time": "when", "missing": "impute_median"}
    exp = parse_experiment(real_config(f"csv:{path}", params=params, warmup=10))
    normalised = exp.to_dict()["stream"]
    assert normalised["n_samples"] == 60
    assert normalised["params"] == {"target": "label", "features": ["temp", "mode", "load"],
                                    "time": "when", "missing": "impute_median",
                                    "max_mb": 200.0, "delimiter": ",", "encoding": "utf-8"}
    assert parse_experiment(json.loads(exp.to_json())) == exp
    stream = make_stream(exp.stream, 0)
    assert stream.feature_names == ["temp", "mode=boost", "mode=eco", "mode=normal", "load"]
    assert stream.class_names == ["fault", "ok"]
    raw = pd.read_csv(path)
    order = np.argsort(pd.to_datetime(raw["when"]).to_numpy(), kind="stable")
    expected = raw.iloc[order].reset_index(drop=True)
    median = raw["temp"].median()
    assert np.array_equal(stream.X[:, 0], expected["temp"].fillna(median).to_numpy())
    assert np.array_equal(stream.X[:, 1], (expected["mode"] == "boost").to_numpy(float))
    assert np.array_equal(stream.X[:, 4], expected["load"].to_numpy(float))
    assert stream.y.tolist() == (expected["label"] == "ok").astype(int).tolist()
    summary = summarise(run_race(exp))
    assert summary["config"]["stream"]["params"]["missing"] == "impute_median"


def test_csv_missing_strategies(tmp_path):
    path = _write(tmp_path / "m.csv", "a,b,y\n1,,0\n2,4,1\n,6,0\n4,8,1\n10,10,0\n")
    mean = load_csv(str(path), {"target": "y", "missing": "impute_mean"})
    assert mean.X.tolist() == [[1, 7], [2, 4], [4.25, 6], [4, 8], [10, 10]]
    assert mean.notes == {"imputed": {"a": 1, "b": 1}}
    median = load_csv(str(path), {"target": "y", "missing": "impute_median"})
    assert median.X[:, 0].tolist() == [1, 2, 3, 4, 10] and median.X[0, 1] == 7
    dropped = load_csv(str(path), {"target": "y", "missing": "drop_rows"})
    assert dropped.X.tolist() == [[2, 4], [4, 8], [10, 10]] and dropped.notes["dropped_rows"] == 2
    exp = parse_experiment(real_config(f"csv:{path}", params={"target": "y",
                                                              "missing": "drop_rows"}))
    assert exp.stream.n_samples == 3
    with pytest.raises(ConfigError, match="is 4 but m.csv has 3 usable rows"):
        parse_experiment(real_config(f"csv:{path}", n=4, params={"target": "y",
                                                                 "missing": "drop_rows"}))


def test_csv_dialects_are_read_alike(tmp_path):
    expected = load_csv(str(_write(tmp_path / "plain.csv", "x,z,y\n1.5,a,u\n2,b,v\n3,a,u\n")),
                        {"target": "y"})
    variants = {
        "semicolon.csv": ("x;z;y\r\n1.5;a;u\r\n2;b;v\r\n3;a;u\r\n", "utf-8", {}),
        "tab.tsv": ("x\tz\ty\n1.5\ta\tu\n\n2\tb\tv\n3\ta\tu", "utf-8", {}),
        "bom.csv": ("\ufeffx,z,y\n1.5,a,u\n2,b,v\n3,a,u\n", "utf-8", {}),
        "quoted.csv": ('x,z,y\n"1.5","a",u\n2,"b",v\n3,a,"u"\n', "utf-8", {}),
        "pipes.csv": ("x|z|y\n1.5|a|u\n2|b|v\n3|a|u\n", "utf-8", {"delimiter": "|"}),
        "utf16.csv": ("x,z,y\n1.5,a,u\n2,b,v\n3,a,u\n", "utf-16", {"encoding": "utf-16"}),
    }
    for name, (text, encoding, params) in variants.items():
        got = load_csv(str(_write(tmp_path / name, text, encoding)), {"target": "y", **params})
        assert got.feature_names == expected.feature_names == ["x", "z=a", "z=b"], name
        assert np.array_equal(got.X, expected.X) and np.array_equal(got.y, expected.y), name


def test_quoted_delimiters_and_line_breaks_are_one_field(tmp_path):
    path = _write(tmp_path / "q.csv", 'note,x,y\n"a, b",1,0\n"line\nbreak, and ""quote""",2,1\n'
                                      'plain,3,0\n')
    data = load_csv(str(path), {"target": "y", "features": ["x", "note"]})
    assert data.X[:, 0].tolist() == [1, 2, 3]
    assert data.feature_names == ["x", 'note=a, b', 'note=line\nbreak, and "quote"',
                                  "note=plain"]


def test_cp1252_file_reads_with_its_encoding(tmp_path):
    path = _write(tmp_path / "fr.csv", "x,y\n1,été\n2,hiver\n3,été\n", "cp1252")
    with pytest.raises(ConfigError, match='probably "cp1252"'):
        load_csv(str(path), {"target": "y"})
    data = load_csv(str(path), {"target": "y", "encoding": "cp1252"})
    assert data.class_names == ["hiver", "été"] and data.y.tolist() == [1, 0, 1]


def test_numeric_text_labels_sort_by_value_and_keep_their_names(tmp_path):
    path = _write(tmp_path / "l.csv", "x,y\n1,10\n2,2\n3,-1\n4,2\n")
    data = load_csv(str(path), {"target": "y"})
    assert data.class_names == ["-1", "2", "10"] and data.y.tolist() == [2, 1, 0, 1]


def test_only_the_needed_columns_are_read(tmp_path, monkeypatch):
    lines = ["id,note,x,y"] + [f"{i},free text {i},{i % 7},{i % 2}" for i in range(300)]
    path = _write(tmp_path / "wide.csv", "\n".join(lines) + "\n")
    calls = []
    real_read = pd.read_csv

    def spy(*args, **kwargs):
        calls.append(kwargs.get("usecols"))
        return real_read(*args, **kwargs)

    monkeypatch.setattr(pd, "read_csv", spy)
    data = load_csv(str(path), {"target": "y", "features": ["x"]})
    assert data.feature_names == ["x"] and calls and all(c == [2, 3] for c in calls)
    with pytest.raises(ConfigError, match="'note' is text with"):  # when it is used, it counts
        load_csv(str(path), {"target": "y", "features": ["x", "note"]})


@pytest.mark.slow
def test_chunked_reading_gives_the_same_arrays(tmp_path, monkeypatch):
    rng = np.random.default_rng(0)
    n = 400
    frame = pd.DataFrame({
        "t": rng.integers(0, 50, n),  # many ties: the stable sort keeps file order among them
        "a": np.where(rng.random(n) < 0.1, np.nan, rng.normal(size=n).round(3)),
        "c": rng.choice(["red", "green", "blue", None], n),
        "y": rng.choice(["p", "q", "r"], n),
    })
    path = tmp_path / "chunks.csv"
    frame.to_csv(path, index=False)
    params = {"target": "y", "time": "t", "missing": "impute_mean"}
    whole = load_csv(str(path), params)
    for chunk in (7, 64):
        csv_read._PLANS.clear()
        csv_read._LOADED.clear()
        monkeypatch.setattr(limits, "CHUNK_ROWS", chunk)
        monkeypatch.setattr(limits, "SAMPLE_ROWS", 50)
        part = load_csv(str(path), params)
        assert part.feature_names == whole.feature_names
        assert np.array_equal(part.X, whole.X) and np.array_equal(part.y, whole.y)
    order = np.argsort(frame["t"].to_numpy(), kind="stable")
    assert whole.y.tolist() == frame["y"].map({"p": 0, "q": 1, "r": 2}).to_numpy()[order].tolist()


def test_changed_file_is_read_again(tmp_path):
    path = _write(tmp_path / "c.csv", "x,y\n1,0\n2,1\n3,0\n")
    exp = parse_experiment(real_config(f"csv:{path}", n=3, params={"target": "y"}))
    _write(path, "x,y\n10,0\n20,1\n30,0\n40,1\n")
    assert make_stream(exp.stream, 0).X[:, 0].tolist() == [10, 20, 30]


def test_inspect_csv_describes_the_columns_for_the_upload_form():
    info = inspect_csv(str(GOOD / "sensors.csv"))
    assert info["delimiter"] == "," and info["sample_rows"] == 60
    kinds = {c["name"]: (c["kind"], c["missing"]) for c in info["columns"]}
    assert kinds == {"when": ("date", 0), "temp": ("numeric", 2), "mode": ("category", 0),
                     "load": ("numeric", 0), "label": ("category", 0)}


# --------------------------------------------------------------------------------------------
# Malformed CSV files: each its own one-line message, in the config check and in the CLI
# --------------------------------------------------------------------------------------------
# file -> (stream.params beyond {"target": "label"}, n_samples, words the message must contain)
BAD_FILES = {
    "empty.csv": ({}, None, ["stream.source", "empty.csv is empty"]),
    "header_only.csv": ({}, None, ["header but no data rows"]),
    "unknown_target.csv": ({}, None, ["stream.params.target", "'label' is not in",
                                      "did you mean 'labels'"]),
    "unknown_feature.csv": ({"features": ["x1", "x9"]}, None,
                            ["stream.params.features", "'x9' is not in", "'x1', 'x2'"]),
    "unknown_time.csv": ({"time": "time"}, None, ["stream.params.time", "did you mean "
                                                                        "'timestamp'"]),
    "one_class.csv": ({}, None, ["stream.params.target", "only one class ('yes')"]),
    "text_many_values.csv": ({}, None, ["column 'city' is text with 25 distinct values",
                                        "more than the 20"]),
    "text_in_numeric.csv": ({}, None, ["column 'x2', data row 7", "'abc' is not a number"]),
    "missing_value.csv": ({}, None, ["column 'x2', data row 4: missing value",
                                     "impute_mean"]),
    "semicolons.csv": ({"delimiter": ","}, None, ["stream.params.delimiter",
                                                  "looks like ';'-separated",
                                                  'set stream.params.delimiter to ";"']),
    "latin1.csv": ({}, None, ["stream.params.encoding", "not valid utf-8",
                              "byte 0xe9 on line 10", '"cp1252"']),
    "too_big.csv": ({"max_mb": 0.0001}, None, ["282 bytes", "over the limit of 0.0001 MB",
                                               "max_mb"]),
    "duplicate_columns.csv": ({}, None, ["2 columns named 'x' (columns 1, 3)"]),
    "binary.csv": ({}, None, ["binary data", "NUL byte"]),
    "regression_target.csv": ({"target": "price"}, None,
                              ["target column 'price' has 80 distinct values",
                               "regression target"]),
    "infinite.csv": ({}, None, ["column 'x2', data row 6: infinite value"]),
    "bad_time.csv": ({"time": "date"}, None, ["stream.params.time", "data row 9",
                                              "'yesterday'", "cannot be ordered"]),
    "ragged.csv": ({}, None, ["data row 5 has 4 fields, the header has 3"]),
    "unclosed_quote.csv": ({}, None, ["data row 2 opens a quote", "never closed"]),
    "decimal_comma.csv": ({}, None, ["column 'x1', data row 1: '0,5' uses a decimal comma"]),
    "utf16.csv": ({}, None, ["UTF-16", 'set stream.params.encoding to "utf-16"']),
    "compressed.csv": ({}, None, ["gzip-compressed", "decompress"]),
    "spreadsheet.csv": ({}, None, ["zip archive", "export the sheet as CSV"]),
    "target_only.csv": ({}, None, ["no feature columns"]),
    "missing_target.csv": ({"missing": "impute_mean"}, None,
                           ["column 'label', data row 8: missing target value",
                            "drop_rows"]),
    "unnamed_column.csv": ({}, None, ["column 1 has no name"]),
    "short.csv": ({}, 50, ["stream.n_samples", "is 50 but short.csv has 12 usable rows"]),
    "does_not_exist.csv": ({}, None, ["stream.source", "does not exist", "check the path"]),
}


def _bad_config(name):
    params, n, _ = BAD_FILES[name]
    return real_config(f"csv:{BAD / name}", n=n, params={"target": "label", **params},
                       warmup=2, step=5)


def test_the_bad_collection_is_complete():
    files = {p.name for p in BAD.glob("*.csv")}
    assert files == set(BAD_FILES) - {"does_not_exist.csv"}
    assert len(files) >= 15
    assert all(p.stat().st_size < 2000 for p in BAD.glob("*.csv"))


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_bad_csv_gives_its_own_message(name):
    with pytest.raises(ConfigError) as info:
        parse_experiment(_bad_config(name))
    message = str(info.value)
    assert "\n" not in message and ". Fix: " in message
    for word in BAD_FILES[name][2]:
        assert word in message, message


def test_bad_csv_messages_are_all_different():
    messages = set()
    for name in BAD_FILES:
        try:
            parse_experiment(_bad_config(name))
        except ConfigError as exc:
            messages.add(str(exc).split(". Fix:")[0].replace(name, "FILE"))
    assert len(messages) == len(BAD_FILES)


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_bad_csv_in_the_cli_exits_2_with_one_line(name, tmp_path, capsys):
    from lab.cli import main

    config = tmp_path / "config.json"
    config.write_text(json.dumps(_bad_config(name)))
    assert main(["run", "--config", str(config), "--out", str(tmp_path / "out")]) == 2
    captured = capsys.readouterr()
    assert captured.err.startswith("error: ") and captured.err.count("\n") == 1
    assert "Traceback" not in captured.err and BAD_FILES[name][2][0] in captured.err
    assert not (tmp_path / "out").exists()


# --------------------------------------------------------------------------------------------
# Problems beyond the rows the config check reads
# --------------------------------------------------------------------------------------------
def _long_csv(tmp_path, bad_row: int, value: str, rows: int = 400) -> Path:
    lines = ["x1,x2,label"] + [f"{i},{value if i + 1 == bad_row else i % 9},{i % 2}"
                               for i in range(rows)]
    return _write(tmp_path / "long.csv", "\n".join(lines) + "\n")


@pytest.mark.parametrize("value,words", [
    ("abc", ["column 'x2', data row 300: 'abc' is not a number"]),
    ("", ["column 'x2', data row 300: missing value"]),
    ("inf", ["column 'x2', data row 300: infinite value"]),
    ("1,2", ["data row 300 has 4 fields, the header has 3"]),
])
@pytest.mark.slow
def test_late_errors_surface_when_the_stream_is_made(tmp_path, monkeypatch, capsys, value,
                                                     words):
    from lab.cli import main

    monkeypatch.setattr(limits, "SAMPLE_ROWS", 100)
    monkeypatch.setattr(limits, "CHUNK_ROWS", 64)
    monkeypatch.chdir(tmp_path)  # messages quote values only from files under the current folder
    path = _long_csv(tmp_path, 300, value)
    exp = parse_experiment(real_config(f"csv:{path}", n=400, warmup=10))  # first rows are fine
    with pytest.raises(ConfigError) as info:
        make_stream(exp.stream, 0)
    for word in words:
        assert word in str(info.value)
    config = tmp_path / "c.json"
    config.write_text(json.dumps(real_config(f"csv:{path}", n=400, warmup=10)))
    assert main(["run", "--config", str(config), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and err.count("\n") == 1 and words[0] in err
    # the first 250 rows are clean and are all a stream of 250 needs
    csv_read._PLANS.clear()
    csv_read._LOADED.clear()
    assert len(make_stream(parse_experiment(real_config(f"csv:{path}", n=250)).stream, 0)) == 250
    # without n_samples the whole file is counted, and checked, at config time
    csv_read._PLANS.clear()
    csv_read._LOADED.clear()
    with pytest.raises(ConfigError, match=words[0].replace("(", r"\(")):
        parse_experiment(real_config(f"csv:{path}"))


def test_a_config_check_reads_only_the_first_rows(tmp_path, monkeypatch):
    monkeypatch.setattr(limits, "SAMPLE_ROWS", 100)
    path = _long_csv(tmp_path, 300, "abc")
    calls = []
    real_read = pd.read_csv
    monkeypatch.setattr(pd, "read_csv", lambda *a, **k: calls.append(k.get("nrows"))
                        or real_read(*a, **k))
    parse_experiment(real_config(f"csv:{path}", n=400))
    assert calls and all(nrows == 100 for nrows in calls)


# --------------------------------------------------------------------------------------------
# The field-count scan agrees with Python's csv module, whatever the quoting and block size
# --------------------------------------------------------------------------------------------
field_text = st.text(alphabet=st.sampled_from(['a', '1', ',', '"', '\n', ' ', 'é']), max_size=6)


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.lists(field_text, min_size=3, max_size=3), min_size=1, max_size=12),
       bad=st.none() | st.tuples(st.integers(0, 11), st.sampled_from([2, 4])),
       crlf=st.booleans(), block=st.sampled_from([3, 7, 64, 1 << 21]))
@pytest.mark.slow
def test_field_scan_matches_the_csv_module(tmp_path_factory, monkeypatch, rows, bad, crlf,
                                           block):
    import csv
    import io

    rows = [list(r) for r in rows]
    if bad is not None and bad[0] < len(rows):
        k, width = bad
        rows[k] = (rows[k] + ["x"])[:width] if width == 4 else rows[k][:2]
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n" if crlf else "\n").writerows([["p", "q", "r"]]
                                                                          + rows)
    path = tmp_path_factory.mktemp("scan") / "s.csv"
    path.write_bytes(buffer.getvalue().encode())
    monkeypatch.setattr(limits, "SCAN_BLOCK", block)
    plan = csv_read.CsvPlan(path=path, key=(), size=0, encoding="utf-8", read_encoding="utf-8",
                      delimiter=",", header=("p", "q", "r"), target="r", features=("p", "q"),
                      time=None, missing="reject", max_mb=200,
                      frame_plan=csv_frame.FramePlan(("p", "q"), {}), sample_rows=0, complete=False,
                      n_rows=None)
    parsed = list(csv.reader(io.StringIO(buffer.getvalue(), newline="")))[1:]
    wrong = [i + 1 for i, r in enumerate(parsed) if len(r) != 3]
    if wrong:
        got = len(parsed[wrong[0] - 1])
        with pytest.raises(ConfigError, match=rf"data row {wrong[0]} has {got} fields"):
            csv_read.check_fields(plan)
    else:
        assert csv_read.check_fields(plan) == len(parsed)
