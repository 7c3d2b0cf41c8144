"""Run bundles (``lab.race.bundle``): a run on the user's own CSV file travels as one zip
(config + data file) that ``python -m lab run --bundle`` and the app open again with the same
numbers; hostile zips are refused with one line and leave nothing behind; the app's Export tab
offers the bundle (and no link that cannot work) for such runs, the link for the others, and the
config / bundle opener is off the first screen.
"""

from __future__ import annotations

import io
import json
import stat
import tempfile
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from helpers import assert_clean, new_app
from lab.cli import main
from lab.data.csv import limits
from lab.race import bundle as B
from lab.spec.errors import ConfigError
from lab.validate import parse_experiment

ROOT = Path(__file__).resolve().parents[1]
IGNORED = ("train_cpu_s", "versions")  # measured, or the machine's


def drifting_csv(n: int = 1500, seed: int = 3, missing_every: int = 97) -> bytes:
    """A semicolon-separated file (so the delimiter must travel with it) whose label rule
    flips halfway, with a category column and a missing cell every ``missing_every`` rows
    (imputed; 0: none)."""
    rng = np.random.default_rng(seed)
    x1, x2 = rng.normal(size=n), rng.normal(size=n)
    mode = rng.choice(["eco", "normal", "boost"], size=n)
    flip = np.arange(n) >= n // 2
    label = np.where((x1 + 0.3 * x2 > 0) ^ flip, "up", "down")
    lines = ["x1;x2;mode;label"]
    for i in range(n):
        first = "" if missing_every and i % missing_every == 5 else f"{x1[i]:.4f}"
        lines.append(f"{first};{x2[i]:.4f};{mode[i]};{label[i]}")
    return ("\n".join(lines) + "\n").encode("utf-8")


def csv_config(path: Path | str, n: int | None = None) -> dict:
    stream = {"source": f"csv:{path}", "params": {"target": "label", "missing": "impute_mean"},
              "drifts": [{"at": 750}]}
    if n is not None:
        stream["n_samples"] = n
    return {"seed": 7, "stream": stream,
            "evaluation": {"warmup": 200, "window": 100, "step": 50},
            "contenders": [
                {"name": "Frozen", "model": "sk.logistic_regression",
                 "policy": {"kind": "frozen"}},
                {"name": "Online", "model": "river.gaussian_nb", "policy": {"kind": "online"}}]}


def comparable(summary: dict) -> dict:
    """A summary without what may differ between two runs of the same bundle: measured CPU
    seconds, library versions, and where the data file was read from."""
    out = {k: v for k, v in summary.items() if k not in IGNORED}
    out["contenders"] = [{k: v for k, v in c.items() if k not in IGNORED}
                         for c in summary["contenders"]]
    out["config"] = json.loads(json.dumps(summary["config"]))
    out["config"]["stream"]["source"] = "csv:" + B.data_name_for(out["config"]["stream"]
                                                                ["source"])
    return out


@pytest.fixture
def data_file(tmp_path) -> Path:
    path = tmp_path / "my data.csv"
    path.write_bytes(drifting_csv())
    return path


@pytest.fixture
def bundle_bytes(data_file) -> bytes:
    config = parse_experiment(csv_config(data_file)).to_dict()
    return B.write_bundle(config, data_file.read_bytes())


# ---------------------------------------------------------------------------------------------
# Writing and reading
# ---------------------------------------------------------------------------------------------
def test_a_bundle_holds_the_config_with_every_reading_choice_and_the_data_byte_for_byte(
        data_file, bundle_bytes):
    with zipfile.ZipFile(io.BytesIO(bundle_bytes)) as zf:
        assert sorted(zf.namelist()) == ["README.txt", "config.json", "my_data.csv"]
        assert zf.read("my_data.csv") == data_file.read_bytes()
        config = json.loads(zf.read("config.json"))
        assert "python -m lab run --bundle" in zf.read("README.txt").decode()
    assert config["stream"]["source"] == "csv:my_data.csv"  # no server path travels
    assert config["stream"]["params"] == {  # sniffed and defaulted choices spelled out
        "target": "label", "features": ["x1", "x2", "mode"], "time": None,
        "missing": "impute_mean", "max_mb": 200.0, "delimiter": ";", "encoding": "utf-8"}
    assert config["stream"]["n_samples"] == 1500
    opened = B.read_bundle(bundle_bytes)
    assert opened.data == data_file.read_bytes() and opened.data_name == "my_data.csv"
    assert opened.config == config
    # the same run gives the same bytes (fixed member dates)
    again = B.write_bundle(parse_experiment(csv_config(data_file)).to_dict(),
                           data_file.read_bytes())
    assert again == bundle_bytes


def test_writing_refuses_what_reading_would_refuse(data_file, monkeypatch):
    config = parse_experiment(csv_config(data_file)).to_dict()
    monkeypatch.setattr(limits, "DEFAULT_MAX_MB", 0.001)  # 1,000 bytes
    with pytest.raises(ConfigError, match="over the 0.0 MB a bundle may hold"):
        B.write_bundle(config, data_file.read_bytes())
    with pytest.raises(ConfigError, match="needs its data file"):
        B.write_bundle(config)


def test_extract_writes_only_into_the_given_folder_and_the_experiment_reads_it(
        tmp_path, bundle_bytes):
    folder = tmp_path / "into"
    folder.mkdir()
    exp, opened = B.open_bundle(bundle_bytes, folder)
    assert [p.name for p in folder.iterdir()] == ["my_data.csv"]
    assert exp.stream.source == f"csv:{folder / 'my_data.csv'}"
    assert opened.source == "csv:my_data.csv"


# ---------------------------------------------------------------------------------------------
# Hostile bundles: one line each, nothing written
# ---------------------------------------------------------------------------------------------
def _zip(members: dict, mode: int | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            info = zipfile.ZipInfo(name)
            info.compress_type = zipfile.ZIP_DEFLATED
            if mode is not None and name != "config.json":
                info.external_attr = mode << 16
            zf.writestr(info, data)
    return buffer.getvalue()


def _config(source="csv:d.csv") -> bytes:
    return json.dumps(csv_config(source.removeprefix("csv:"))).encode()


DATA = b"x1,label\n1,a\n2,b\n"


def _encrypted_flag() -> bytes:
    raw = bytearray(_zip({"config.json": _config(), "d.csv": DATA}))
    for sig, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):  # general purpose flag bit 0
        at = raw.find(sig)
        while at != -1:
            raw[at + offset] |= 1
            at = raw.find(sig, at + 4)
    return bytes(raw)


HOSTILE = {
    "not a zip": (b"a,b\n1,2\n", "is not a readable zip file"),
    "empty zip": (_zip({}), "holds no config.json"),
    "parent path": (_zip({"config.json": _config(), "d.csv": DATA, "../evil.csv": DATA}),
                    "a folder or a path"),
    "absolute path": (_zip({"config.json": _config(), "/etc/evil.csv": DATA}),
                      "a folder or a path"),
    "folder": (_zip({"config.json": _config(), "sub/d.csv": DATA}), "a folder or a path"),
    "symlink": (_zip({"config.json": _config(), "d.csv": b"/etc/passwd"},
                     mode=stat.S_IFLNK | 0o777), "link or a special file"),
    "extra member": (_zip({"config.json": _config(), "d.csv": DATA, "run.sh": b"rm -rf /"}),
                     "\"run.sh\", which is not part of a bundle"),
    "too many members": (_zip({"config.json": _config(), "d.csv": DATA, "README.txt": b"",
                               "e.csv": DATA}), "holds 4 files"),
    "no data file": (_zip({"config.json": _config()}), "holds no \"d.csv\""),
    "source with a path": (_zip({"config.json": _config("csv:../../etc/passwd.csv"),
                                 "d.csv": DATA}), "does not name a plain"),
    "source not a data file": (_zip({"config.json": _config("csv:config.json")}),
                               "does not name a plain"),
    "broken json": (_zip({"config.json": b"{broken", "d.csv": DATA}), "bundle config.json"),
    "not utf-8": (_zip({"config.json": b"\xff\xfe{", "d.csv": DATA}), "not UTF-8"),
    "no source": (_zip({"config.json": b"[1, 2]", "d.csv": DATA}), "has no stream.source"),
    "encrypted": (_encrypted_flag(), "encrypted"),
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_bundles_are_refused_with_one_line(case, tmp_path):
    data, words = HOSTILE[case]
    with pytest.raises(ConfigError) as caught:
        B.open_bundle(data, tmp_path)
    message = str(caught.value)
    assert words in message, message
    assert message.startswith("bundle") and "Fix: " in message and "\n" not in message
    assert len(message) < 500
    assert not list(tmp_path.iterdir())  # nothing was written


def test_a_zip_bomb_stops_at_the_limit_whatever_its_header_declares(tmp_path, monkeypatch):
    monkeypatch.setattr(limits, "DEFAULT_MAX_MB", 0.01)  # 10,000 bytes
    bomb = b"x1,label\n" + b"0,a\n" * 2_500_000  # 10 MB of text, deflated to ~10 kB
    honest = _zip({"config.json": _config(), "d.csv": bomb})
    assert len(honest) < 100_000
    with pytest.raises(ConfigError, match="unpacks to more than 0.0 MB"):
        B.read_bundle(honest)
    # a header that lies about the size: patch the declared size in both headers to 100
    raw = bytearray(honest)
    size = len(bomb).to_bytes(4, "little")
    assert raw.count(size) == 2
    raw = bytes(raw).replace(size, (100).to_bytes(4, "little"))
    with pytest.raises(ConfigError, match="unpacks to more than|not a readable zip"):
        B.read_bundle(raw)
    assert not list(tmp_path.iterdir())


def test_a_zip_over_the_size_limit_is_refused_before_it_is_opened(tmp_path, monkeypatch):
    monkeypatch.setattr(limits, "DEFAULT_MAX_MB", 0.001)
    path = tmp_path / "big.zip"
    path.write_bytes(b"\0" * 4_000_000)
    with pytest.raises(ConfigError, match="the zip is 4.0 MB, over the"):
        B.read_bundle(path)


# ---------------------------------------------------------------------------------------------
# The command line
# ---------------------------------------------------------------------------------------------
def _no_leftovers(folder: Path) -> list[str]:
    return [p.name for p in folder.iterdir() if p.name.startswith("driftlab-bundle-")]


@pytest.mark.slow
def test_run_bundle_gives_the_numbers_of_the_original_run(tmp_path, data_file, bundle_bytes,
                                                          monkeypatch, capsys):
    config_path = tmp_path / "original.json"
    config_path.write_text(json.dumps(csv_config(data_file)))
    assert main(["run", "--config", str(config_path), "--out", str(tmp_path / "a"),
                 "--quiet"]) == 0
    zip_path = tmp_path / "bundle.zip"
    zip_path.write_bytes(bundle_bytes)
    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    assert main(["run", "--bundle", str(zip_path), "--out", str(tmp_path / "b"),
                 "--quiet"]) == 0
    assert not _no_leftovers(temp)  # the temporary folder is gone
    a = json.loads((tmp_path / "a" / "summary.json").read_text())
    b = json.loads((tmp_path / "b" / "summary.json").read_text())
    assert comparable(a) == comparable(b)
    assert b["config"]["stream"]["source"] == "csv:my_data.csv"  # not the temporary folder
    assert json.loads((tmp_path / "b" / "config.json").read_text()) == b["config"]
    assert b["contenders"][0]["accuracy"] is not None
    assert (tmp_path / "a" / "events.csv").read_text() == (tmp_path / "b" / "events.csv") \
        .read_text()
    timelines = [pd.read_csv(tmp_path / run / "timeline.csv").drop(columns="train_cpu_s_cum")
                 for run in ("a", "b")]
    pd.testing.assert_frame_equal(*timelines)
    # unzipped, the bundle is a plain CLI run from inside its folder
    folder = tmp_path / "unzipped"
    with zipfile.ZipFile(zip_path) as zf:
        zf.extractall(folder)
    monkeypatch.chdir(folder)
    assert main(["run", "--config", "config.json", "--out", str(tmp_path / "c"),
                 "--quiet"]) == 0
    c = json.loads((tmp_path / "c" / "summary.json").read_text())
    assert comparable(c) == comparable(b)


@pytest.mark.parametrize("case", ["parent path", "not a zip", "symlink"])
def test_run_bundle_refuses_a_hostile_zip_with_exit_2(case, tmp_path, monkeypatch, capsys):
    path = tmp_path / "x.zip"
    path.write_bytes(HOSTILE[case][0])
    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    assert main(["run", "--bundle", str(path), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: bundle") and err.count("\n") == 1 and "Fix: " in err
    assert not _no_leftovers(temp) and not (tmp_path / "out").exists()


def test_run_bundle_names_a_missing_file(tmp_path, capsys):
    assert main(["run", "--bundle", str(tmp_path / "none.zip"), "--out",
                 str(tmp_path / "o")]) == 2
    assert "cannot open" in capsys.readouterr().err


# ---------------------------------------------------------------------------------------------
# The app (AppTest; the bundle arrives through the test hook, the opener's code path)
# ---------------------------------------------------------------------------------------------
def _open_tab(at, name):
    at.session_state["result_tabs"] = name
    return at.run()


def _upload_and_run(at, data: bytes):
    at.session_state["_test_upload"] = {"name": "my data.csv", "data": data, "params": {
        "csv_target": "label", "csv_missing": "impute_mean"}}
    at.run()
    for key, value in (("warmup", 200), ("window", 100), ("step", 50)):
        at.number_input(key=key).set_value(value).run()
    at.button(key="run").click().run()
    assert_clean(at)
    return at.session_state["history"][-1]["outputs"]


def _markdown(at) -> str:
    return "\n".join(m.value for m in at.markdown)


@pytest.mark.slow
def test_the_app_bundles_a_csv_run_and_opens_the_bundle_with_the_same_numbers():
    at = new_app()
    first = _upload_and_run(at, drifting_csv())
    at = _open_tab(at, "Export")
    assert_clean(at)
    text = _markdown(at)
    assert "A link alone cannot carry private data" in text and "address bar" not in text
    assert not at.code  # no link that cannot work
    buttons = [b for b in at.get("download_button") if b.proto.id.endswith("dl_bundle")]
    assert len(buttons) == 1
    assert "Config JSON or bundle zip" in [u.proto.label for u in at.get("file_uploader")]
    # the button's bytes: the run's config and the session's copy of the file
    from ui import upload_store as U

    saved = Path(at.session_state["_upload"]["path"])
    assert saved.read_bytes() == drifting_csv()
    data = B.write_bundle(first["config"], saved.read_bytes())

    fresh = new_app()  # another visitor opens it
    fresh.session_state["_test_upload"] = {"name": "driftlab-bundle-my_data.zip", "data": data,
                                           "bundle": True}
    fresh.run()
    assert_clean(fresh)
    assert fresh.session_state["source"] == "upload"
    assert fresh.session_state["csv_delimiter"] == ";"
    assert fresh.session_state["csv_all_rows"] is True
    second = fresh.session_state["history"][-1]["outputs"]
    assert comparable(second["summary"]) == comparable(first["summary"])
    reopened = Path(fresh.session_state["_upload"]["path"])
    assert reopened != saved and reopened.read_bytes() == saved.read_bytes()
    assert reopened.is_relative_to(U.upload_root())  # only into the session's upload folder
    assert any("racing it now" in i.value for i in fresh.info)


@pytest.mark.slow
def test_a_bad_bundle_in_the_app_is_one_message_and_changes_nothing():
    at = new_app()
    first = _upload_and_run(at, drifting_csv())
    at = _open_tab(at, "Export")  # where the opener is after a run, and its message
    upload_before = dict(at.session_state["_upload"])
    folder = Path(upload_before["path"]).parent.parent
    # a structurally fine bundle whose config does not fit its data: staged, checked, removed
    config = json.loads(json.dumps(first["config"]))
    config["stream"]["source"] = "csv:other.csv"
    config["stream"]["params"]["target"] = "no_such_column"
    bad = _zip({"config.json": json.dumps(config).encode(), "other.csv": b"a;b\n1;2\n" * 50})
    for data in (bad, HOSTILE["parent path"][0], b"PK\x03\x04 not really"):
        at.session_state["_test_upload"] = {"name": "bad.zip", "data": data, "bundle": True}
        at.run()
        assert not at.exception
        errors = [e.value for e in at.error]
        assert len(errors) == 1 and errors[0].startswith("bad.zip was not loaded: "), errors
        assert "Fix: " in errors[0]
        assert dict(at.session_state["_upload"]) == upload_before
        assert sorted(p.name for p in folder.iterdir()) == sorted(
            [".owner", Path(upload_before["path"]).parent.name])
    assert at.session_state["source"] == "upload"


@pytest.mark.slow
def test_generator_runs_keep_their_link_and_the_opener_is_off_the_first_screen():
    at = new_app()
    assert_clean(at)
    # first screen: no uploader in the main area; a collapsed expander at the sidebar's foot
    assert not at.main.get("file_uploader")
    expander = [e for e in at.sidebar.expander if e.label == "Open a config or bundle"]
    assert len(expander) == 1 and not expander[0].proto.expanded
    assert expander[0].get("file_uploader")
    at.button(key="run").click().run()  # the default race
    at = _open_tab(at, "Export")
    assert_clean(at)
    text = _markdown(at)
    assert "the address bar holds this run's whole config" in text
    assert "cannot carry private data" not in text
    assert not [b for b in at.get("download_button") if b.proto.id.endswith("dl_bundle")]
    assert not at.sidebar.expander or all(e.label != "Open a config or bundle"
                                          for e in at.sidebar.expander)
    assert at.main.get("file_uploader")  # the opener now lives in the Export tab


def test_the_app_s_downloads_of_a_csv_run_name_the_file_not_the_server_folder(tmp_path):
    """config.json, summary.json and the report the Export tab offers name an uploaded file as
    ``csv:<name>`` (as a bundle does); the app keeps the real path for itself."""
    from lab.race.engine import run_race
    from lab.validate import parse_experiment
    from ui import downloads
    from ui.race import package

    folder = tmp_path / "driftlab-uploads" / "a1b2c3"
    folder.mkdir(parents=True)
    (folder / "readings.csv").write_bytes(drifting_csv(1000))
    result = run_race(parse_experiment(csv_config(folder / "readings.csv")))
    out = package(result, "key")
    shown = [out["files"]["config.json"], out["files"]["summary.json"],
             json.dumps(out["public_summary"]), downloads.report_text(out)]
    for text in shown:
        assert str(tmp_path) not in text and "a1b2c3" not in text
        assert "csv:readings.csv" in text
    assert out["config"]["stream"]["source"] == f"csv:{folder / 'readings.csv'}"
    assert json.loads(out["files"]["summary.json"])["contenders"] == out["summary"]["contenders"]
