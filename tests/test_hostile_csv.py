"""Hostile and careless CSV files (issue 10): every one gets one clear line, never a traceback,
and no message quotes a file that is not the user's own data."""

from __future__ import annotations

import json
import random
import tracemalloc
from pathlib import Path

import pytest

import lab.data.csv.frame as csv_frame
import lab.data.csv.limits as limits
import lab.data.csv.read as csv_read
from helpers import fresh_csv_caches
from lab.cli import main
from lab.data.csv.preview import inspect_csv, preview_csv
from lab.data.csv.read import check_csv, load_csv
from lab.spec.errors import ConfigError

PASSWD_LINES = ["root:x:0:0:root:/root:/bin/bash",
                "daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin",
                "alice:$6$Zq9.salt$hashhashhash:19000:0:99999:7:::"]
NON_TEXT_CODECS = ["rot13", "hex", "zlib", "base64", "uu", "punycode", "bz2", "quopri", "idna",
                   "unicode_escape", "undefined"]


@pytest.fixture(autouse=True)
def _fresh_caches():
    yield from fresh_csv_caches()


@pytest.fixture
def elsewhere(tmp_path_factory, monkeypatch):
    """Run from a folder that does not hold the test's files (as a shared config would)."""
    monkeypatch.chdir(tmp_path_factory.mktemp("cwd"))


def _rows(n: int = 30) -> str:
    return "".join(f"{i},{i % 7},{i % 2}\n" for i in range(n))


def _config(path: Path, **params) -> dict:
    return {"stream": {"source": f"csv:{path}", "params": {"target": "label", **params}},
            "evaluation": {"warmup": 2, "step": 5, "window": 10},
            "contenders": [{"name": "NB", "model": "river.gaussian_nb",
                            "policy": {"kind": "online"}}]}


def _cli_error(tmp_path, capsys, config: dict, command: str = "validate") -> str:
    """The CLI's one error line for ``config`` (exit 2, no traceback)."""
    path = tmp_path / "config.json"
    path.write_text(json.dumps(config))
    args = [command, "--config", str(path)]
    if command == "run":
        args += ["--out", str(tmp_path / "out"), "--quiet"]
    csv_read._PLANS.clear()
    csv_read._LOADED.clear()
    assert main(args) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and err.count("\n") == 1 and "Traceback" not in err, err
    return err


def _wide_csv(path: Path, columns: int = 6000, rows: int = 8, newline: str = "\n") -> list[str]:
    names = [f"sensor_reading_with_a_long_descriptive_name_{k:05d}" for k in range(columns)]
    lines = [",".join(names + ["label"])]
    for r in range(rows):
        lines.append(",".join(str((r * 31 + k) % 97) for k in range(columns)) + f",{r % 2}")
    path.write_bytes((newline.join(lines) + newline).encode())
    return names


# --------------------------------------------------------------------------------------------
# Headers of any length (they were cut at 64 KiB)
# --------------------------------------------------------------------------------------------
@pytest.mark.slow
@pytest.mark.parametrize("newline,columns", [("\n", 6000), ("\r", 1500)])
def test_a_long_header_is_read_whole_and_every_reader_agrees(tmp_path, newline, columns):
    path = tmp_path / "wide.csv"
    names = _wide_csv(path, columns=columns, newline=newline)
    assert len(",".join(names)) > limits.SNIFF_BYTES  # the header is longer than 64 KiB
    plan = check_csv(str(path), {"target": "label"})
    assert list(plan.header) == names + ["label"] and plan.features == tuple(names)
    data = load_csv(str(path), {"target": "label"})
    assert data.feature_names == names and data.X.shape == (8, columns)
    assert data.X[3, columns - 1] == (3 * 31 + columns - 1) % 97
    if columns < 6000:  # (pandas takes seconds per read of 6,000 columns)
        assert [c["name"] for c in inspect_csv(str(path))["columns"]] == names + ["label"]
        assert list(preview_csv(str(path)).columns) == names + ["label"]
        # one of the columns is the target, the label column a feature
        middle = load_csv(str(path), {"target": names[1234]})
        assert middle.X.shape == (8, columns) and "label" in middle.feature_names


@pytest.mark.slow
def test_a_ragged_row_after_a_long_header_is_named_not_a_false_field_count(tmp_path):
    path = tmp_path / "wide.csv"
    _wide_csv(path, columns=3000, rows=4, newline="\r")
    text = path.read_bytes().split(b"\r")
    text[3] += b",extra"
    path.write_bytes(b"\r".join(text))
    with pytest.raises(ConfigError, match="data row 3 has 3,002 fields|data row 3 has 3002 "
                                          "fields, the header has 3001"):
        check_csv(str(path), {"target": "label"})


@pytest.mark.slow
def test_the_cli_validates_a_wide_file(tmp_path, capsys):
    path = tmp_path / "wide.csv"
    names = _wide_csv(path, columns=1500, rows=6)
    assert len(",".join(names)) > limits.SNIFF_BYTES
    config = tmp_path / "c.json"
    config.write_text(json.dumps(_config(path, features=[names[0], names[-1]])))
    assert main(["validate", "--config", str(config)]) == 0, capsys.readouterr().err


def test_a_single_huge_line_is_refused_without_reading_it_whole(tmp_path, monkeypatch):
    monkeypatch.setattr(limits, "MAX_HEADER_BYTES", 1 << 20)
    path = tmp_path / "one_line.csv"
    path.write_bytes(b"abc," * (8 << 20))  # 32 MiB, no line break
    tracemalloc.start()
    try:
        with pytest.raises(ConfigError, match="first line of one_line.csv is longer than 1 MiB"):
            check_csv(str(path), {"target": "label"})
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 12 << 20  # a few times the 1 MiB read, not the 32 MiB file


def test_a_huge_data_line_is_a_field_count_error(tmp_path):
    path = tmp_path / "d.csv"
    path.write_bytes(b"a,b,label\n" + b"1" * (3 << 20) + b"\n")
    with pytest.raises(ConfigError, match="data row 1 has 1 fields, the header has 3"):
        check_csv(str(path), {"target": "label"})


def test_too_many_columns_and_too_long_names_get_one_line(tmp_path, monkeypatch):
    monkeypatch.setattr(limits, "MAX_COLUMNS", 1000)
    path = tmp_path / "many.csv"
    path.write_text(",".join(f"c{k}" for k in range(1500)) + "\n" + ",".join("1" * 1500) + "\n")
    with pytest.raises(ConfigError, match="has 1,500 columns, more than 1,000"):
        check_csv(str(path), {"target": "c1"})
    path = tmp_path / "long_name.csv"
    path.write_text("a," + "n" * 200_000 + ",label\n1,2,0\n3,4,1\n")
    with pytest.raises(ConfigError, match="a column name in the header is longer than"):
        check_csv(str(path), {"target": "label"})


# --------------------------------------------------------------------------------------------
# Encodings: text codecs only
# --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("codec", NON_TEXT_CODECS)
def test_non_text_codecs_are_refused_with_one_line(tmp_path, codec):
    path = tmp_path / "d.csv"
    path.write_text("a,b,label\n" + _rows())
    with pytest.raises(ConfigError) as info:
        check_csv(str(path), {"target": "label", "encoding": codec})
    assert info.value.path == "stream.params.encoding"
    assert ("not an encoding of text files" in str(info.value)
            and "utf-8, latin-1" in str(info.value))
    with pytest.raises(ConfigError, match="not an encoding of text files"):
        inspect_csv(str(path), encoding=codec)


@pytest.mark.parametrize("codec", ["rot13", "zlib", "punycode"])
def test_non_text_codecs_are_one_line_in_the_cli(tmp_path, capsys, codec):
    path = tmp_path / "d.csv"
    path.write_text("a,b,label\n" + _rows())
    for command in ("validate", "run"):
        err = _cli_error(tmp_path, capsys, _config(path, encoding=codec), command)
        assert "stream.params.encoding" in err and "not an encoding of text files" in err


@pytest.mark.parametrize("codec", ["cp500", "iso2022_jp", "hz"])
def test_encodings_whose_delimiters_are_not_ascii_bytes_are_refused(tmp_path, codec):
    path = tmp_path / "d.csv"
    path.write_bytes(("a,b,label\n" + _rows()).encode(codec))
    with pytest.raises(ConfigError, match=rf"is not supported.*iconv -f {codec}"):
        check_csv(str(path), {"target": "label", "encoding": codec})


@pytest.mark.parametrize("codec", ["utf-8", "latin-1", "cp1252", "utf-16", "utf-32", "shift_jis",
                                   "gb18030", "koi8-r", "utf-7", "utf-8-sig"])
def test_real_text_encodings_still_read(tmp_path, codec):
    path = tmp_path / "d.csv"
    path.write_bytes(("a,b,label\n" + _rows()).encode(codec))
    data = load_csv(str(path), {"target": "label", "encoding": codec})
    assert data.feature_names == ["a", "b"] and data.X.shape == (30, 2)


# --------------------------------------------------------------------------------------------
# Line breaks, byte-order marks, binary data, NUL bytes, header only
# --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("newline", ["\r", "\r\n"])
def test_cr_only_and_crlf_files_read_like_lf_files(tmp_path, newline):
    text = 'a,b,label\n"x, y",1,0\n' + "".join(f"{i},{i},{i % 2}\n" for i in range(2, 20))
    lf = tmp_path / "lf.csv"
    lf.write_text(text)
    other = tmp_path / "other.csv"
    other.write_bytes(text.replace("\n", newline).encode())
    params = {"target": "label", "features": ["b"]}
    assert (load_csv(str(other), params).X == load_csv(str(lf), params).X).all()
    assert [c["name"] for c in inspect_csv(str(other))["columns"]] == ["a", "b", "label"]
    assert preview_csv(str(other)).shape == (5, 3)


def test_a_cr_only_file_with_a_ragged_row_names_the_row(tmp_path):
    path = tmp_path / "mac.csv"
    path.write_bytes(b"a,b,label\r1,2,0\r3,4,1\r5,6,7,1\r")
    with pytest.raises(ConfigError, match="data row 3 has 4 fields, the header has 3"):
        check_csv(str(path), {"target": "label"})


def test_a_form_feed_or_nel_in_a_name_is_not_a_line_break(tmp_path):
    path = tmp_path / "ff.csv"
    path.write_bytes(("a\x0cb;c\x85d;label\n" + _rows().replace(",", ";")).encode())
    plan = check_csv(str(path), {"target": "label"})
    assert plan.delimiter == ";" and plan.header == ("a\x0cb", "c\x85d", "label")


def test_a_bom_is_not_part_of_the_first_name(tmp_path):
    path = tmp_path / "bom.csv"
    path.write_bytes(b"\xef\xbb\xbfa,b,label\n" + _rows().encode())
    assert load_csv(str(path), {"target": "label", "features": ["a"]}).feature_names == ["a"]
    path16 = tmp_path / "bom16.csv"
    path16.write_bytes(codecs_bom_utf16_le() + ("a,b,label\n" + _rows()).encode("utf-16-le"))
    assert check_csv(str(path16), {"target": "label", "encoding": "utf-16-le"}).header[0] == "a"
    with pytest.raises(ConfigError, match="UTF-8 encoded .*set stream.params.encoding to "
                                          "\"utf-8\""):
        check_csv(str(path), {"target": "label", "encoding": "cp1252"})


def codecs_bom_utf16_le() -> bytes:
    import codecs

    return codecs.BOM_UTF16_LE


def test_binary_files_are_named_binary(tmp_path):
    path = tmp_path / "noise.csv"
    path.write_bytes(random.Random(1).randbytes(5000).replace(b"\x00", b"\x01"))
    for encoding in ("utf-8", "latin-1"):
        with pytest.raises(ConfigError, match="looks like binary data"):
            check_csv(str(path), {"target": "label", "encoding": encoding})


def test_nul_bytes_anywhere_give_one_line(tmp_path):
    head = tmp_path / "head.csv"
    head.write_bytes(b"a,b,label\n1,\x002,0\n")
    with pytest.raises(ConfigError, match="NUL byte at byte 12"):
        check_csv(str(head), {"target": "label"})
    late = tmp_path / "late.csv"  # past the first 64 KiB: met by the row reader
    late.write_bytes(b"a,b,label\n" + _rows(40).encode() * 1000 + b"1,\x00,0\n")
    with pytest.raises(ConfigError, match=r"column 2, data row 40001: the value is not a number"):
        load_csv(str(late), {"target": "label"})


@pytest.mark.parametrize("text", [b"a,b,label\n", b"a,b,label", b"a,b,label\r\r\n\n"])
def test_a_header_only_file_has_no_data_rows(tmp_path, text):
    path = tmp_path / "h.csv"
    path.write_bytes(text)
    with pytest.raises(ConfigError, match="has a header but no data rows"):
        check_csv(str(path), {"target": "label"})


def test_names_that_differ_by_spaces_are_two_columns_and_exact_repeats_are_refused(
        tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "s.csv"
    path.write_text("a, a,label\n" + _rows())
    assert load_csv(str(path), {"target": "label"}).feature_names == ["a", " a"]
    path.write_text("a,a,label\n" + _rows())
    with pytest.raises(ConfigError, match=r"2 columns named 'a' \(columns 1, 2\)"):
        check_csv(str(path), {"target": "label"})


def test_a_one_hot_name_that_meets_a_column_name_is_renamed(tmp_path):
    path = tmp_path / "clash.csv"
    path.write_text("c,c=u,label\n" + "".join(f"{'uv'[i % 2]},{i},{i % 2}\n" for i in range(20)))
    data = load_csv(str(path), {"target": "label"})
    assert data.feature_names == ["c=u", "c=v", "c=u (2)"]
    assert data.X[:, 2].tolist() == list(range(20))  # the file's column, not merged away


# --------------------------------------------------------------------------------------------
# What a message may quote: only the user's own CSV files
# --------------------------------------------------------------------------------------------
def _assert_quotes_nothing(message: str) -> None:
    for line in PASSWD_LINES:
        for part in {line, *line.split(":")} - {"", "x", "0", "1", "7"}:
            assert part not in message, (part, message)


@pytest.mark.parametrize("name", ["passwd", "shadow.csv"])
@pytest.mark.parametrize("params", [{}, {"delimiter": ":"}, {"delimiter": ":", "target": "root"},
                                    {"features": ["nope"]}, {"delimiter": ";"}])
def test_a_file_outside_the_current_folder_is_never_quoted(tmp_path, elsewhere, name, params):
    path = tmp_path / name
    path.write_text("\n".join(PASSWD_LINES) + "\n")
    with pytest.raises(ConfigError) as info:
        check_csv(str(path), {"target": "label", **params})
    _assert_quotes_nothing(str(info.value))


def test_the_real_etc_passwd_is_never_quoted(tmp_path, capsys, elsewhere):
    passwd = Path("/etc/passwd")
    if not passwd.is_file():
        pytest.skip("no /etc/passwd here")
    lines = [line for line in passwd.read_text(errors="replace").splitlines() if line]
    for params in ({}, {"delimiter": ":"}):
        err = _cli_error(tmp_path, capsys, _config(passwd, **params))
        for line in lines:
            assert line not in err
            for field in line.split(":"):
                if len(field) > 3:
                    assert f"'{field}" not in err, err


def test_cell_values_and_bytes_are_not_quoted_outside_but_are_inside(tmp_path, monkeypatch):
    rows = "".join(f"{i},{i % 7},{i % 2}\n" for i in range(12))
    bad = tmp_path / "bad.csv"
    bad.write_text("a,b,label\n" + rows + "5,s3cr3t,1\n")
    latin = tmp_path / "latin.csv"
    latin.write_bytes(("a,b,label\n" + rows + "5,6,\xe9t\xe9\n").encode("latin-1"))
    one = tmp_path / "one.csv"
    one.write_text("a,b,label\n1,2,hunter2\n3,4,hunter2\n")
    monkeypatch.chdir(tmp_path.parent)  # inside the current folder: quoted
    with pytest.raises(ConfigError, match="column 'b', data row 13: 's3cr3t' is not a number"):
        check_csv(str(bad), {"target": "label"})
    with pytest.raises(ConfigError, match="byte 0xe9 on line 14"):
        check_csv(str(latin), {"target": "label"})
    with pytest.raises(ConfigError, match=r"only one class \('hunter2'\)"):
        check_csv(str(one), {"target": "label"})
    csv_read._PLANS.clear()
    monkeypatch.chdir(Path(tmp_path.anchor))
    monkeypatch.setattr(csv_frame, "Path", _NoCwd(csv_frame.Path, tmp_path))  # now outside it
    for path, words in ((bad, "column 2, data row 13: the value is not a number"),
                        (latin, "a byte on line 14"), (one, "only one class in the 2 rows")):
        with pytest.raises(ConfigError) as info:
            check_csv(str(path), {"target": "label"})
        message = str(info.value)
        assert words in message and "s3cr3t" not in message and "0xe9" not in message \
            and "hunter2" not in message and "'b'" not in message, message


class _NoCwd:
    """``Path`` whose ``cwd()`` is a folder that does not hold ``avoid`` (the root folder would)."""

    def __init__(self, real, avoid: Path):
        self._real, self._avoid = real, avoid

    def __call__(self, *args):
        return self._real(*args)

    def cwd(self):
        return self._avoid / "not-here"

    def __getattr__(self, name):
        return getattr(self._real, name)


def test_symlinks_and_suffixes_decide_by_the_real_file(tmp_path, monkeypatch):
    secret = tmp_path / "outside" / "shadow"
    secret.parent.mkdir()
    secret.write_text("\n".join(PASSWD_LINES) + "\n")
    project = tmp_path / "project"
    project.mkdir()
    (project / "data.csv").symlink_to(secret)
    (project / "notes").write_text("\n".join(PASSWD_LINES) + "\n")
    monkeypatch.chdir(project)
    for name in ("data.csv", "notes"):
        assert not csv_frame.may_quote(project / name)
        with pytest.raises(ConfigError) as info:
            check_csv(name, {"target": "label"})
        _assert_quotes_nothing(str(info.value))
    (project / "mine.csv").write_text("x,y\n1,0\n")
    assert csv_frame.may_quote(project / "mine.csv") and csv_frame.may_quote(Path("mine.csv"))


def test_uploads_are_quoted_and_the_upload_folder_is_the_apps(tmp_path, monkeypatch, elsewhere):
    from ui.upload_store import upload_folder

    assert upload_folder("session").parent == limits.UPLOAD_DIR
    monkeypatch.setattr(limits, "UPLOAD_DIR", tmp_path)
    path = tmp_path / "session" / "abc" / "mine.csv"
    path.parent.mkdir(parents=True)
    path.write_text("x1,labels\n1,0\n2,1\n")
    with pytest.raises(ConfigError, match="did you mean 'labels'"):
        check_csv(str(path), {"target": "label"})


# --------------------------------------------------------------------------------------------
# Every hostile file: one line from validate and from run
# --------------------------------------------------------------------------------------------
HOSTILE = {
    "nul.csv": (b"a,b,label\n1,\x00,0\n", "NUL byte"),
    "noise.csv": (random.Random(2).randbytes(3000), "binary"),
    "header_only.csv": (b"a,b,label\n", "no data rows"),
    "gzip.csv": (b"\x1f\x8b\x08\x00" + b"\x00" * 20, "gzip"),
    "dupes.csv": (b"a,a,label\n1,2,0\n3,4,1\n", "2 columns named 'a'"),
    "quote.csv": (b'a,b,label\n"1,2,0\n3,4,1\n', "never closed"),
    "one_line.csv": (b"x," * 10_000, "10,000 columns named 'x' (columns 1, 2, 3"),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_files_give_one_line_in_validate_and_run(tmp_path, capsys, monkeypatch, name):
    monkeypatch.chdir(tmp_path)
    data, words = HOSTILE[name]
    (tmp_path / name).write_bytes(data)
    for command in ("validate", "run"):
        assert words in _cli_error(tmp_path, capsys, _config(Path(name)), command)
    assert not (tmp_path / "out").exists()
