"""Hostile text through the app (AppTest): names, CSV columns and URL values must never become
markup (issue 10, point 1), and fuzzed URL parameters must never take a session down.

Streamlit renders Markdown in ``st.markdown`` / alerts / captions / labels / help texts / toasts
and HTML where ``unsafe_allow_html=True``; every string a user or a link controls goes through
``ui.text.escape_markdown`` (or a non-markup element such as a dataframe cell or a code block).
The checks walk every element of the AppTest tree and read each markup-bearing field (``body``,
``label``, ``help``): no hostile string may appear there raw, no tag or link it could form may
appear at all, and the escaped text still reads as the original once Markdown is undone.
"""

from __future__ import annotations

import csv
import dataclasses
import html
import io
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers import config, new_app
from ui.text import escape_markdown
from ui.urls import config_from_query, decode_config, encode_config

# The app under AppTest and fuzzed links: seconds per test, so not in the quick loop.
pytestmark = pytest.mark.slow

IFRAME = '<iframe srcdoc="<script>parent.__x=1</script>">'
IMG = "<img src=x onerror=alert(1)>"
LINK = "[click](javascript:alert(1))"
PIXEL = "![x](http://evil.example/p.png)"
HOSTILE_NAMES = (IFRAME, IMG, LINK, PIXEL)
# Our own fixed markup uses <style>, <div class=...>, <h2>, <h4>, <p> only and no links: any of
# these in a rendered field came from data (a raw tag, or a link / image not backslash-broken).
FORBIDDEN = re.compile(r"<iframe|<img|<script|(?<!\\)\]\((?:javascript|http)", re.IGNORECASE)
MARKUP_FIELDS = ("body", "label", "help")


# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------
def markup_texts(at) -> list[str]:
    """Every string Streamlit would render as Markdown / HTML, from every element and block of
    the page (main area, sidebar, toasts): the ``body`` / ``label`` / ``help`` fields of their
    protos, nested messages included (tab and expander labels, widget help)."""
    found: list[str] = []

    def from_proto(message) -> None:
        for field, value in message.ListFields():
            if field.type == field.TYPE_MESSAGE:
                for item in (value if field.is_repeated else [value]):
                    from_proto(item)
            elif field.name in MARKUP_FIELDS:
                found.extend(v for v in (value if field.is_repeated else [value])
                             if isinstance(v, str))

    def walk(node) -> None:
        proto = getattr(node, "proto", None)
        if proto is not None and hasattr(proto, "ListFields"):
            from_proto(proto)
        children = getattr(node, "children", None)
        for child in (children.values() if isinstance(children, dict) else children or []):
            walk(child)

    walk(at._tree)
    return found


def shown(markdown: str) -> str:
    """What a reader sees of escaped text: CommonMark backslash escapes and entities undone,
    invisible word joiners (which break autolinks) dropped."""
    return html.unescape(re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", markdown)).replace("\u2060", "")


def assert_no_markup_from(at, hostile) -> list[str]:
    assert not at.exception, [e.value for e in at.exception]
    texts = markup_texts(at)
    assert texts, "the walk found no rendered text at all"
    raw = [(h, t) for t in texts for h in hostile if h in t]
    assert not raw, raw
    tags = [t for t in texts if FORBIDDEN.search(t)]
    assert not tags, tags
    return texts


def story_text(at) -> str:
    """The story's Markdown (inside the ``driftlab_story`` container)."""
    def walk(node, inside=False):
        inside = inside or str(getattr(getattr(node, "proto", None), "id", "")).endswith(
            "-driftlab_story")
        if getattr(node, "type", None) == "markdown" and inside:
            yield node.value
        children = getattr(node, "children", None)
        for child in (children.values() if isinstance(children, dict) else []):
            yield from walk(child, inside)

    return "\n".join(walk(at._tree))


def raced(at):
    """The app after its race: a link runs on open; if it waited for a click, click Run."""
    if not story_text(at):
        at.button(key="run").click().run()
    assert story_text(at), [e.value for e in at.error]
    return at


def hostile_config(seed: int, names=HOSTILE_NAMES, model="river.gaussian_nb") -> dict:
    return config(n=1200, warmup=200, window=100, step=100, contenders=[
        {"name": name, "model": model, "policy": {"kind": "online"}} for name in names],
        drifts=[{"at": 700, "width": 0, "to": {"variant": 1}}]) | {"seed": seed}


# ---------------------------------------------------------------------------------------------
# The escaping itself
# ---------------------------------------------------------------------------------------------
TRICKY = HOSTILE_NAMES + ("a*b_c", "_x_", "**bold**", "`code`", "~~gone~~", "$x^2$",
                          "www.evil.example",
                          "https://evil.example", "me@evil.example", ":red[alarm]",
                          "# heading", "- item", "1. item", "> quote", "a | b", "x]", "[ref]: /u",
                          "&lt;b&gt;", "back\\slash", "    indented code", "line\nbreak")


@pytest.mark.parametrize("text", TRICKY)
def test_escaped_text_reads_as_the_original_and_carries_no_markup(text):
    escaped = escape_markdown(text)
    assert shown(escaped).strip() == " ".join(text.split("\n")).strip()
    assert "<" not in escaped and "\n" not in escaped
    assert not re.search(r"(?<!\\)\]\(|(?<!\\)\]\[", escaped)  # no link or image can close
    assert not re.search(r"(?<!\\)[*`~$|]", escaped)  # no emphasis, code, strike, math, table
    assert not re.search(r"://|(?i:www)\.|[\w.+-]@", escaped)  # no autolink literal


@given(st.text(max_size=80))
@settings(max_examples=150, deadline=None)
def test_any_text_escapes_to_one_line_without_tags(text):
    escaped = escape_markdown(text)
    assert "<" not in escaped and ">" not in escaped and "\n" not in escaped
    assert shown(escaped).strip() == shown(escaped).strip()  # and it never raises


# ---------------------------------------------------------------------------------------------
# Names from a shared link and from the widgets
# ---------------------------------------------------------------------------------------------
@pytest.mark.slow
def test_hostile_contender_names_from_a_link_render_as_text():
    at = raced(new_app(config=encode_config(hostile_config(seed=101))))
    texts = assert_no_markup_from(at, HOSTILE_NAMES)
    story = story_text(at)
    for name in HOSTILE_NAMES:  # the names are still there, as text
        assert escape_markdown(name) in story
        assert name in shown(story)
    contenders_label = [t for t in texts if t.startswith("**Contenders (4)**")]
    assert contenders_label and all(shown(escape_markdown(n)) in shown(contenders_label[0])
                                    for n in HOSTILE_NAMES)
    # every tab that shows names (Summary table cells are data, not markup)
    for tab in ("Summary", "What-if", "Boundary", "Export"):
        at.session_state["result_tabs"] = tab
        at.run()
        assert_no_markup_from(at, HOSTILE_NAMES)
    table = next(d.value for d in at.get("arrow_data_frame")) if at.get("arrow_data_frame") \
        else None
    if table is not None and "Contender" in table:
        assert set(table["Contender"]) == set(HOSTILE_NAMES)


@pytest.mark.slow
def test_hostile_names_typed_into_the_widgets_and_a_changed_setup_note():
    at = raced(new_app(config=encode_config(hostile_config(seed=103, names=("A", "B")))))
    ids = at.session_state["contender_ids"]
    at.text_input(key=f"c{ids[0]}_name").input(IMG).run()
    at.text_input(key=f"c{ids[1]}_name").input(PIXEL).run()
    at.button(key="run").click().run()
    assert_no_markup_from(at, (IMG, PIXEL))
    assert IMG in shown(story_text(at)) and PIXEL in shown(story_text(at))
    # renaming after the run: "The setup changed since the run shown (IMG: name ...)"
    at.text_input(key=f"c{ids[0]}_name").input(LINK).run()
    texts = assert_no_markup_from(at, (IMG, PIXEL, LINK))
    assert any("The setup changed" in t for t in texts)
    # duplicating a name makes it invalid: the error quotes it, escaped
    at.text_input(key=f"c{ids[0]}_name").input(PIXEL).run()
    errors = [e.value for e in at.error]
    assert any("used twice" in e for e in errors), errors
    assert_no_markup_from(at, (PIXEL,))


@pytest.mark.slow
def test_a_failed_contender_with_a_hostile_name_and_error_is_escaped(monkeypatch):
    """The "X failed and was left out" warning and the story's failure line quote the name and
    the learner's error message: both escaped."""
    from lab.learners import MODELS

    error = f"bad input {IMG} see {PIXEL}"
    real = MODELS["river.gaussian_nb"]

    def crashing_build(params, seed, n_classes):
        model = real.build(params, seed, n_classes)

        class Crashing(type(model)):
            def learn_one(self, x, y, *args, **kwargs):
                raise ValueError(error)

        model.__class__ = Crashing
        return model

    monkeypatch.setitem(MODELS._built, "river.gaussian_nb",
                        dataclasses.replace(real, build=crashing_build))
    cfg = hostile_config(seed=102, names=(IFRAME,))
    cfg["contenders"].append({"name": "Steady", "model": "river.hoeffding_tree",
                              "policy": {"kind": "online"}})
    at = raced(new_app(config=encode_config(cfg)))
    assert_no_markup_from(at, (IFRAME, IMG, PIXEL, error))
    warnings = [w.value for w in at.warning]
    failed = [w for w in warnings if "failed and was left out" in w]
    assert failed and IFRAME in shown(failed[0]) and IMG in shown(failed[0]), warnings
    assert f"{IFRAME}** failed: " in shown(story_text(at))


# ---------------------------------------------------------------------------------------------
# CSV columns and cells, lesson and URL values
# ---------------------------------------------------------------------------------------------
def hostile_csv(missing_in_hostile: bool = False) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([IMG, LINK, "label"])
    for i in range(400):
        cell = "" if missing_in_hostile and i == 7 else f"{(i * 7) % 13 / 13:.3f}"
        writer.writerow([cell, PIXEL if i % 2 else IFRAME, "a" if (i * 7) % 13 > 6 else "b"])
    return out.getvalue().encode()


@pytest.mark.slow
def test_hostile_csv_columns_and_cells_render_as_text():
    at = new_app()
    at.session_state["_test_upload"] = {"name": "evil<b>.csv", "data": hostile_csv(True),
                                        "params": {"csv_target": "label", "csv_features": None,
                                                   "csv_missing": "reject"}}
    at.run()
    # the empty cell in the hostile column is refused by a message that quotes the column
    errors = [e.value for e in at.error]
    assert any("missing" in e or "empty" in e for e in errors), errors
    assert_no_markup_from(at, (IMG, LINK, PIXEL, IFRAME))
    at.selectbox(key="csv_missing").set_value("impute_mean").run()
    at.number_input(key="warmup").set_value(100).run()
    at.number_input(key="window").set_value(50).run()
    at.number_input(key="step").set_value(10).run()
    at.button(key="run").click().run()
    assert story_text(at), [e.value for e in at.error]
    texts = assert_no_markup_from(at, (IMG, LINK, PIXEL, IFRAME))
    notes = [t for t in texts if "filled in" in t]  # "2 filled in <column>"
    assert notes and IMG in shown(notes[0]), texts  # the column is named, as text


@pytest.mark.slow
@pytest.mark.parametrize("query, said", [
    ({"mode": "lessons", "lesson": IFRAME}, "The link asks for lesson"),
    ({"mode": PIXEL}, "The link asks for mode"),
    ({"preset": IMG}, "The link asks for preset"),
    ({IMG: "1"}, "The link's parameter"),
    ({"seed": LINK}, "The link's parameter seed"),
    ({"contenders[0].name": PIXEL + " x"}, "**Contenders (4)**"),
    ({"config": IMG}, "The link's config is not a Driftlab setup"),  # the problem, not the text
])
def test_hostile_url_values_are_quoted_as_text(query, said):
    at = new_app(**query)
    texts = assert_no_markup_from(at, HOSTILE_NAMES + (PIXEL + " x",))
    quoting = [t for t in texts if said in t]
    assert quoting, texts  # the value is named (escaped), not dropped
    if "config" not in query:
        assert any(h in shown(quoting[0]) for h in HOSTILE_NAMES), quoting[0]


# ---------------------------------------------------------------------------------------------
# URL parameters, fuzzed
# ---------------------------------------------------------------------------------------------
PAYLOADS = st.one_of(
    st.text(max_size=200),
    st.binary(max_size=300).map(lambda b: __import__("base64").urlsafe_b64encode(b).decode()),
    st.binary(max_size=300).map(
        lambda b: __import__("base64").urlsafe_b64encode(__import__("zlib").compress(b))
        .decode().rstrip("=")),
    st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
                 lambda inner: st.lists(inner, max_size=4)
                 | st.dictionaries(st.text(max_size=10), inner, max_size=4), max_leaves=20)
    .map(lambda v: __import__("json").dumps(v)),
)
VALID = encode_config(config(n=1500))


@st.composite
def mutated_links(draw, text: str = VALID) -> str:
    """A valid link's config with a few characters replaced, cut or repeated."""
    chars = list(text)
    for _ in range(draw(st.integers(1, 4))):
        if not chars:
            break
        i = draw(st.integers(0, len(chars) - 1))
        op = draw(st.sampled_from(("swap", "cut", "dup")))
        if op == "swap":
            chars[i] = draw(st.sampled_from("A_-z09+/=%{}[]\"\\"))
        elif op == "cut":
            chars = chars[:i]
        else:
            chars[i:i] = chars[i:i + 50]
    return "".join(chars)


def check_decode(text: str) -> None:
    from lab.spec.errors import ConfigError

    try:
        decode_config(text)
    except ConfigError:
        pass  # the only exception allowed (its text may quote a key with a newline: the app
        # shows it through quote() / escape_markdown, which make it one line)


@given(PAYLOADS)
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_decode_config_raises_only_config_errors(payload):
    check_decode(payload)


@given(mutated_links())
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_mutated_links_raise_only_config_errors(link):
    check_decode(link)


KEYS = st.sampled_from(["config", "preset", "seed", "n_samples", "mode", "lesson", "step",
                        "contenders[0].name", "contenders[1].policy.every", "stream.drifts",
                        "stream.drifts[0].at", "evaluation.window", "nope", "a[99999999999]",
                        "contenders[-1]", ".", "[", "stream..params"])


@given(st.dictionaries(KEYS, st.one_of(PAYLOADS, mutated_links(),
                                       st.lists(st.text(max_size=30), max_size=3)),
                       max_size=5))
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_config_from_query_never_raises(params):
    cfg, warnings = config_from_query(params)
    assert isinstance(cfg, dict) and cfg["contenders"]
    assert all(isinstance(w, str) and "\n" not in w and len(w) < 1200 for w in warnings)


def test_huge_and_bomb_links_are_one_line_errors():
    import base64
    import zlib

    from lab.spec.errors import ConfigError

    bomb = base64.urlsafe_b64encode(zlib.compress(b"[" * 5_000_000, 9)).decode().rstrip("=")
    assert len(bomb) < 20_000
    for text in (bomb, "1" * 5000, "[" * 10_000 + "]" * 10_000, "{" * 3000):
        with pytest.raises(ConfigError) as info:
            decode_config(text)
        assert "\n" not in str(info.value) and len(str(info.value)) < 400
    many = {f"contenders[0].policy.x{i}": "1" for i in range(500)}
    _, warnings = config_from_query(many)
    assert any("only the first" in w for w in warnings) and len(warnings) <= 42


@pytest.mark.slow
@given(st.one_of(PAYLOADS, mutated_links()))
@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
def test_the_app_stays_alive_on_fuzzed_links(payload):
    at = new_app(config=payload)
    assert not at.exception, [e.value for e in at.exception]
    at.run()  # a second and a third run on the same session
    assert not at.exception, [e.value for e in at.exception]
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert_no_markup_from(at, ())


# ---------------------------------------------------------------------------------------------
# Uploads: deleted when their session ends, capped in total
# ---------------------------------------------------------------------------------------------
@pytest.fixture
def upload_tmp(tmp_path, monkeypatch):
    from ui import upload_store as U

    monkeypatch.setattr(U.limits, "UPLOAD_DIR", tmp_path / "driftlab-uploads")
    return U


def test_uploads_past_the_total_cap_are_refused_and_own_files_do_not_count(upload_tmp,
                                                                            monkeypatch):
    from lab.spec.errors import ConfigError

    U = upload_tmp
    monkeypatch.setenv("DRIFTLAB_UPLOAD_TOTAL_MB", "0.001")  # 1,000 bytes for everyone
    U.save_upload("a.csv", b"x" * 600, "s1")
    with pytest.raises(ConfigError) as info:
        U.save_upload("b.csv", b"y" * 600, "s2")
    assert "space for uploaded files is full" in str(info.value) and "\n" not in str(info.value)
    assert not U.upload_folder("s2").exists()
    path, _ = U.save_upload("c.csv", b"z" * 900, "s1")  # replaces s1's own file: fits
    assert path.exists() and U._folder_bytes(U.upload_root()) <= 1000 + 100


def test_the_sweep_removes_ended_sessions_and_keeps_live_ones(upload_tmp, monkeypatch):
    import os
    import subprocess
    import sys

    U = upload_tmp
    for session in ("live", "ended", "gone_server"):
        U.save_upload("d.csv", b"a,b\n1,2\n", session)
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    (U.upload_folder("gone_server") / U.OWNER).write_text(f"{dead.pid} some-session")
    (U.upload_folder("live") / U.OWNER).write_text(f"{os.getpid()} sid-live")
    (U.upload_folder("ended") / U.OWNER).write_text(f"{os.getpid()} sid-ended")
    # sessions of this server unknown (no runtime): only the dead server's folder goes
    monkeypatch.setattr(U, "live_session_ids", lambda: None)
    assert [p.name for p in U.sweep_uploads()] == ["gone_server"]
    assert U.upload_folder("ended").exists()
    monkeypatch.setattr(U, "live_session_ids", lambda: {"sid-live"})
    assert [p.name for p in U.sweep_uploads()] == ["ended"]
    assert U.upload_folder("live").exists()


@pytest.mark.slow
def test_a_refused_upload_is_said_and_a_sessions_folder_goes_with_its_state(upload_tmp,
                                                                             monkeypatch):
    import gc

    U = upload_tmp
    at = new_app()
    at.session_state["_test_upload"] = {"name": "ok.csv", "data": hostile_csv(),
                                        "params": {"csv_target": "label"}}
    at.run()
    folder = U.upload_folder(at.session_state["_upload_session"])
    assert (folder / U.OWNER).exists() and any(folder.rglob("ok.csv"))
    # a second visitor while the space is full: refused, said, and the app stays up
    monkeypatch.setenv("DRIFTLAB_UPLOAD_TOTAL_MB", "0.01")
    other = new_app()
    other.session_state["_test_upload"] = {"name": "big.csv", "data": b"a,b\n" + b"1,2\n" * 5000,
                                           "params": {"csv_target": "b"}}
    other.session_state["source"] = "upload"
    other.run()
    assert not other.exception
    assert any("space for uploaded files is full" in e.value for e in other.error)
    # the first session ends: its state is dropped, and its folder with it
    del at
    gc.collect()
    assert not folder.exists()
