"""Issue 12, the app's structure: the run store (a locked LRU), session keys as named constants,
the router's old links. The LRU tests need no Streamlit runtime."""

from __future__ import annotations

import re
import threading
from pathlib import Path

import pytest

from ui.run_store import RunStore

ROOT = Path(__file__).resolve().parents[1]


def test_lru_evicts_the_least_recently_used_entry():
    store = RunStore(3)
    for key in "abc":
        store.put(key, key.upper())
    assert store.get("a") == "A"  # "a" is now the most recent; "b" the least
    store.put("d", "D")
    assert "b" not in store and len(store) == 3
    assert [store.get(k) for k in "acd"] == ["A", "C", "D"]
    store.put("c", "C2")  # a refresh counts as a use and replaces the value
    store.put("e", "E")
    assert "a" not in store and store.get("c") == "C2"


def test_lru_get_returns_the_default_on_a_miss_and_rejects_a_zero_bound():
    store = RunStore(1)
    assert store.get("nope") is None and store.get("nope", 7) == 7
    store.put("x", None)  # a stored None is a hit, not a miss
    assert "x" in store and store.get("x", 7) is None
    with pytest.raises(ValueError):
        RunStore(0)


def test_lru_is_safe_under_concurrent_puts_and_gets():
    store = RunStore(50)
    errors: list[BaseException] = []
    start = threading.Barrier(8)

    def worker(n: int) -> None:
        try:
            start.wait()
            for i in range(3000):
                key = (n, i % 80)
                store.put(key, (n, i))
                value = store.get(key)
                # another thread may have evicted it, never corrupted it
                assert value is None or value[0] == n
                assert len(store) <= 50
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors[:1]
    assert len(store) == 50
    assert len(store._entries) == len(set(store._entries))


SESSION_LITERAL = re.compile(
    r"""(?:\bss|session_state)\s*(?:\[\s*|\.(?:get|pop|setdefault)\(\s*)["']""")


def test_no_session_state_key_is_a_string_literal_outside_the_keys_module():
    offenders = []
    for path in [ROOT / "app.py", *sorted((ROOT / "ui").rglob("*.py"))]:
        if path.name == "keys.py":
            continue
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if SESSION_LITERAL.search(line):
                offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not offenders, "\n".join(offenders)


def test_the_literal_check_catches_what_it_should():
    assert SESSION_LITERAL.search('st.session_state["history"] = []')
    assert SESSION_LITERAL.search("x = ss.get('mode')")
    assert not SESSION_LITERAL.search("ss[K.HISTORY] = []")


# ---------------------------------------------------------------------------------------------
# The test hook is off in production
# ---------------------------------------------------------------------------------------------
@pytest.mark.slow
def test_the_upload_test_hook_runs_only_with_the_environment_flag(monkeypatch):
    from helpers import TEST_HOOKS_ENV, new_app
    from ui import keys as K

    request = {"name": "tiny.csv", "data": b"a,b,y\n" + b"1,2,0\n3,4,1\n" * 400}
    at = new_app()
    monkeypatch.delenv(TEST_HOOKS_ENV)  # as on a production server
    at.session_state[K.TEST_UPLOAD] = dict(request)
    at.run()
    assert not at.exception
    assert K.UPLOAD not in at.session_state  # the bytes were not taken
    assert K.TEST_UPLOAD in at.session_state  # and nothing consumed the request
    monkeypatch.setenv(TEST_HOOKS_ENV, "1")
    at.run()
    assert not at.exception
    assert at.session_state[K.UPLOAD]["name"] == "tiny.csv"


# ---------------------------------------------------------------------------------------------
# The router: links shared before it existed open the same page
# ---------------------------------------------------------------------------------------------
@pytest.mark.slow
def test_old_links_open_the_same_page_through_the_router():
    from helpers import config, new_app
    from ui import keys as K
    from ui.urls import decode_config, encode_config

    def buttons(at) -> set:
        return {b.key for b in at.button}

    at = new_app(preset="default")
    assert not at.exception and at.session_state[K.MODE] == "Race lab"
    assert "run" in buttons(at) and "lesson_next" not in buttons(at)  # the race lab page ran
    link = encode_config(config(n=2000))
    at = new_app(config=link)
    assert not at.exception and at.session_state[K.MODE] == "Race lab"
    assert at.session_state[K.HISTORY], "a ?config= link races at once, as before"
    shown = at.query_params["config"]
    shown = shown[0] if isinstance(shown, list) else shown
    shown, asked = decode_config(shown), decode_config(link)
    shown["evaluation"].pop("baselines", None)  # the sidebar's "Show baselines" toggle adds it
    assert shown == asked  # the same race, in the address bar
    at = new_app(mode="lessons", lesson="2")
    assert not at.exception and at.session_state[K.MODE] == "Lessons"
    assert at.session_state[K.LESSON] == "lesson-sudden"
    assert "lesson_next" in buttons(at) and "run" not in buttons(at)
    at.session_state[K.MODE] = "Race lab"  # the sidebar's switch changes the page
    at.run()
    assert not at.exception and "run" in buttons(at) and "lesson_next" not in buttons(at)


def test_result_tabs_are_a_list_of_named_render_functions():
    from ui.pages.race_lab import RESULT_TABS

    names = [name for name, _ in RESULT_TABS]
    assert names == ["Accuracy", "Staleness", "Cost", "Trade-off", "Summary", "Data", "What-if",
                     "Boundary", "Export", "Net cost"]
    assert all(callable(render) for _, render in RESULT_TABS)


def test_app_py_is_only_a_router_and_pages_stay_small():
    app = (ROOT / "app.py").read_text()
    assert "st.navigation(" in app and "st.Page(" in app
    assert "def race(" not in app and "st.tabs(" not in app
    for path in [ROOT / "app.py", *sorted((ROOT / "ui").rglob("*.py"))]:
        assert len(path.read_text().splitlines()) <= 600, path
