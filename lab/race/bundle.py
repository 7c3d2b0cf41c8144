"""Run bundles: one zip that carries a run on the user's own data (``csv:`` source) to another
machine, because a link cannot carry the data (and must never make a server read a file).

A bundle holds exactly

* ``config.json``: the run's normalised config (``Experiment.to_json()``), whose
  ``stream.source`` names the data file by its bare name, ``csv:<name>``, and whose
  ``stream.params`` spell out every reading choice (delimiter, encoding, missing values,
  target, features, time, size limit), so that the file reads identically anywhere;
* ``<name>``: the data file, byte for byte as the race read it (``.csv``, ``.tsv`` or ``.txt``);
* ``README.txt`` (optional when reading): how to run it.

Unzipped, the folder is a plain CLI run (``cd`` into it, ``python -m lab run --config
config.json``); zipped, ``python -m lab run --bundle FILE.zip`` and the app's Export tab open it.

A bundle is user input, so :func:`read_bundle` checks it before anything is written: the zip's
own size, exactly the expected members (plain names only: no folder, no ``..``, no absolute
path, no symbolic link, no encryption, stored or deflated), each member's declared *and*
actually inflated size (the data file at most :data:`lab.data.csv.limits.DEFAULT_MAX_MB` MB,
``config.json`` at most ``MAX_JSON_CHARS`` bytes, a zip bomb stops at the limit), the config
JSON through :func:`lab.spec.jsontext.parse_json_text`. It returns the contents in memory; the
caller decides where the data file goes (:func:`extract_bundle`: a folder of the caller's, the
CLI's temporary folder or the app's per-session upload folder). Every problem is one
:class:`ConfigError` line ``bundle: problem. Fix: ...``.
"""

from __future__ import annotations

import copy
import dataclasses
import io
import json
import re
import stat
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from lab.data.csv import limits
from lab.spec.errors import ConfigError, shorten
from lab.spec.jsontext import MAX_JSON_CHARS, parse_json_text
from lab.validate import parse_experiment

CONFIG_MEMBER = "config.json"
README_MEMBER = "README.txt"
DATA_SUFFIXES = (".csv", ".tsv", ".txt")  # the suffixes whose contents CSV messages may quote
DATA_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,79}")  # a plain file name, no folder
MAX_README_BYTES = 64 * 1024
ZIP_OVERHEAD_BYTES = 1_000_000  # headers and a compressed config on top of the members
READ_CHUNK = 1 << 20
COMPRESS_LEVEL = 1  # deflate level of a written bundle (see write_bundle)
FIX_REMAKE = ("download the bundle again from the app's Export tab (it holds config.json and "
              "the data file), or run the config and the CSV file with `python -m lab run "
              "--config FILE`")

README_TEXT = """Driftlab run bundle
===================

This zip holds a Driftlab run on your own data:

  config.json   the run's config; stream.source names the data file below and
                stream.params spell out how to read it
  {name}{pad}the data file, exactly as the race read it

Reproduce the run (the same numbers, but measured CPU seconds):

  python -m lab run --bundle THIS_FILE.zip --out results/bundle

or open the zip in the app (Export tab, "Open a config or bundle"), or unzip it and run
`python -m lab run --config config.json --out results/bundle` inside the unzipped folder.

The data file is your data: share the bundle only with people who may see it.
"""


def max_data_bytes() -> int:
    """Largest data file a bundle may hold: the lab's CSV size limit (read at call time, so a
    deployment or a test that changes ``limits.DEFAULT_MAX_MB`` changes it here too)."""
    return int(limits.DEFAULT_MAX_MB * 1e6)


def _error(problem: str, fix: str = FIX_REMAKE) -> ConfigError:
    return ConfigError("bundle", problem, fix)


def _quote(name: str) -> str:
    """A member name from a zip, as a message shows it: printable, at most 40 characters."""
    return shorten(json.dumps(str(name)[:60]), 40)


def _mb(n: int) -> str:
    return f"{n / 1e6:,.1f} MB"


@dataclasses.dataclass(frozen=True)
class Bundle:
    """A checked bundle's contents, in memory: the config as written in the bundle (source
    ``csv:<data_name>``, or any other source for a config-only bundle), and the data file."""

    config: dict
    data_name: str | None
    data: bytes | None

    @property
    def source(self) -> str:
        return self.config["stream"]["source"]


def data_name_for(source: str) -> str:
    """The bare name a ``csv:<path>`` source's file gets inside a bundle: the path's last part
    reduced to letters, digits and ``._-``, with a ``.csv`` suffix if it has none of
    :data:`DATA_SUFFIXES`.

    >>> data_name_for("csv:/tmp/driftlab-uploads/ab/12/My data (2).csv")
    'My_data_2_.csv'
    >>> data_name_for("csv:../secret"), data_name_for("csv:config.json")
    ('secret.csv', 'config.json.csv')
    """
    base = re.split(r"[\\/]", source.removeprefix("csv:"))[-1]
    base = re.sub(r"[^A-Za-z0-9._-]+", "_", base).lstrip("._-")[:70] or "data"
    if not base.lower().endswith(DATA_SUFFIXES):
        base += ".csv"
    return base


# ---------------------------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------------------------
def write_bundle(config: Mapping[str, Any], data: bytes | None = None) -> bytes:
    """The bundle (zip bytes) of a normalised config and, for a ``csv:`` source, the bytes of
    the data file the race read. Refuses (``ConfigError``) what :func:`read_bundle` would refuse,
    so a bundle that was written can always be opened."""
    config = copy.deepcopy(dict(config))
    source = config.get("stream", {}).get("source")
    if not isinstance(source, str):
        raise _error("the config has no stream.source", "bundle a validated config")
    name = None
    if source.startswith("csv:"):
        if data is None:
            raise _error("a csv: run needs its data file", "pass the bytes the race read")
        if len(data) > max_data_bytes():
            raise _error(f"the data file is {_mb(len(data))}, over the {_mb(max_data_bytes())} "
                         "a bundle may hold", "share the config and the file another way and "
                         "run them with `python -m lab run --config FILE`")
        name = data_name_for(source)
        config["stream"]["source"] = f"csv:{name}"
    elif data is not None:
        raise _error(f"a {shorten(source, 40)} run reads no data file", "bundle the config alone")
    config_text = json.dumps(config, indent=2) + "\n"
    buffer = io.BytesIO()
    # Level 1: about 6x faster than the default 6 on CSV text, for a zip about 12 % larger
    # (19.8 MB of numbers: 1.6 s and 9.4 MB against 10.3 s and 8.4 MB), and the app builds
    # the bundle while the user waits for the download.
    level = {"compresslevel": COMPRESS_LEVEL}
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(_member(CONFIG_MEMBER), config_text, **level)
        if name is not None:
            zf.writestr(_member(name), data, **level)
            zf.writestr(_member(README_MEMBER),
                        README_TEXT.format(name=name, pad=" " * max(1, 14 - len(name))), **level)
    return buffer.getvalue()


def _member(name: str) -> zipfile.ZipInfo:
    """A regular file's zip entry (mode 0644) with a fixed date: the same run gives the same
    bundle bytes."""
    info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
    info.external_attr = (stat.S_IFREG | 0o644) << 16
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


# ---------------------------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------------------------
def read_bundle(source: bytes | str | Path) -> Bundle:
    """Check a bundle (zip bytes or a path) and return its contents; raises only
    :class:`ConfigError` (see the module docstring for every check)."""
    cap = max_data_bytes() + 2 * MAX_JSON_CHARS + ZIP_OVERHEAD_BYTES
    if isinstance(source, (bytes, bytearray)):
        size, opener = len(source), (lambda: io.BytesIO(source))
    else:
        path = Path(source)
        try:
            info = path.stat()
        except OSError as exc:
            raise _error(f"cannot open {_quote(str(path))} ({exc.strerror or exc})",
                         "give the path of a bundle zip") from None
        if not stat.S_ISREG(info.st_mode):
            raise _error(f"{_quote(str(path))} is not a regular file", "give the path of a "
                         "bundle zip")
        size, opener = info.st_size, (lambda: open(path, "rb"))  # noqa: SIM115 - closed below
    if size > cap:
        raise _error(f"the zip is {_mb(size)}, over the {_mb(cap)} a bundle may take (a data "
                     f"file of at most {_mb(max_data_bytes())})",
                     "cut the data file, or run the config and the file with `python -m lab "
                     "run --config FILE`")
    try:
        with opener() as fh, zipfile.ZipFile(fh) as zf:
            return _read_members(zf)
    except ConfigError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError,
            NotImplementedError, RuntimeError) as exc:
        # damaged archives, CRC errors, unknown compression, encryption, truncated files
        raise _error(f"is not a readable zip file ({type(exc).__name__}: "
                     f"{shorten(str(exc), 60)})") from None


def _read_members(zf: zipfile.ZipFile) -> Bundle:
    infos = zf.infolist()
    names = [i.filename for i in infos]
    if len(infos) > 3:
        raise _error(f"holds {len(infos):,} files; a bundle holds config.json, one data file "
                     "and README.txt")
    for info in infos:
        _check_member(info)
    if len(set(names)) != len(names):
        raise _error("holds the same file name twice")
    if CONFIG_MEMBER not in names:
        raise _error("holds no config.json")
    raw = _inflate(zf, zf.getinfo(CONFIG_MEMBER), MAX_JSON_CHARS)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _error("its config.json is not UTF-8 text") from None
    config = parse_json_text(text, "bundle config.json")
    stream = config.get("stream") if isinstance(config, dict) else None
    source = stream.get("source") if isinstance(stream, dict) else None
    if not isinstance(source, str):
        raise _error("its config.json has no stream.source", "bundle a config that runs")
    data_name = None
    if source.startswith("csv:"):
        data_name = source[4:]
        if (not DATA_NAME.fullmatch(data_name) or not data_name.lower().endswith(DATA_SUFFIXES)
                or data_name in (CONFIG_MEMBER, README_MEMBER)):
            raise _error(f"its config's stream.source {_quote(source)} does not name a plain "
                         ".csv, .tsv or .txt file of the bundle",
                         "write \"csv:<file name>\" with the name of the data file in the zip")
        if data_name not in names:
            raise _error(f"holds no {_quote(data_name)}, the data file its config reads")
    expected = {CONFIG_MEMBER, README_MEMBER} | ({data_name} if data_name else set())
    unexpected = [n for n in names if n not in expected]
    if unexpected:
        raise _error(f"holds {_quote(unexpected[0])}, which is not part of a bundle (expected "
                     f"config.json{', ' + _quote(data_name) if data_name else ''} and "
                     "README.txt)")
    if README_MEMBER in names:
        _inflate(zf, zf.getinfo(README_MEMBER), MAX_README_BYTES)  # checked, not used
    data = _inflate(zf, zf.getinfo(data_name), max_data_bytes()) if data_name else None
    return Bundle(config=config, data_name=data_name, data=data)


def _check_member(info: zipfile.ZipInfo) -> None:
    name = info.filename
    if (info.is_dir() or "/" in name or "\\" in name or name in ("", ".", "..")
            or ":" in name or name.startswith(".")):
        raise _error(f"holds {_quote(name)}: a folder or a path, where a bundle holds plain "
                     "file names only")
    kind = stat.S_IFMT(info.external_attr >> 16)  # 0 when the zip tool gave no file type
    if kind not in (0, stat.S_IFREG):
        raise _error(f"holds {_quote(name)} as a link or a special file, not a plain file")
    if info.flag_bits & 0x1:
        raise _error(f"holds {_quote(name)} encrypted", "bundle the files without a password")
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise _error(f"holds {_quote(name)} compressed with method {info.compress_type}",
                     "zip it with the ordinary method (deflate)")


def _inflate(zf: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> bytes:
    """A member's bytes, never more than ``limit``: the size its header declares is checked
    first, then the inflated bytes are counted (a header may lie)."""
    too_big = _error(f"its {_quote(info.filename)} unpacks to more than {_mb(limit)}, the "
                     "limit of a bundle's file",
                     "cut the file, or run it with `python -m lab run --config FILE`")
    if info.file_size > limit:
        raise too_big
    parts, total = [], 0
    with zf.open(info) as fh:
        while chunk := fh.read(min(READ_CHUNK, limit + 1 - total)):
            total += len(chunk)
            if total > limit:
                raise too_big
            parts.append(chunk)
    return b"".join(parts)


# ---------------------------------------------------------------------------------------------
# Opening: the data file on disk, the experiment validated
# ---------------------------------------------------------------------------------------------
def extract_bundle(bundle: Bundle, folder: str | Path) -> dict:
    """Write the bundle's data file into ``folder`` (which must exist) and return its config
    with ``stream.source`` pointing there (``csv:<folder>/<name>``); a config-only bundle's
    config is returned as it is. Nothing is written outside ``folder``: the name is a plain
    file name (:func:`read_bundle` checked it)."""
    config = copy.deepcopy(bundle.config)
    if bundle.data_name is None:
        return config
    target = Path(folder) / bundle.data_name
    partial = target.with_name(target.name + ".part")
    partial.write_bytes(bundle.data)
    partial.replace(target)
    config["stream"]["source"] = f"csv:{target}"
    return config


def open_bundle(source: bytes | str | Path, folder: str | Path):
    """``(experiment, bundle)``: a bundle read, its data file written into ``folder`` and its
    config validated (:func:`lab.validate.parse_experiment`). The experiment reads the file
    from ``folder``; :func:`as_bundled` gives its outputs the bundle's own source back."""
    bundle = read_bundle(source)
    config = extract_bundle(bundle, folder)
    return parse_experiment(config), bundle


def as_bundled(result, bundle: Bundle):
    """``result`` (a :class:`lab.race.engine.RaceResult`) with the source its config reports
    set back to the bundle's (``csv:<name>``, not the temporary folder it was read from), so a
    bundle's ``config.json`` and ``summary.json`` are the same wherever it was opened."""
    exp = result.experiment
    if exp.stream.source == bundle.source:
        return result
    stream = dataclasses.replace(exp.stream, source=bundle.source)
    return dataclasses.replace(result, experiment=dataclasses.replace(exp, stream=stream))
