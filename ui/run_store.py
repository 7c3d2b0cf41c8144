"""One store for finished races and sweeps, shared by every session of the server.

A race or a sweep runs *outside* any cached function (its progress bar and live chart draw into
the page, which a cached function may not do), so what is needed is a plain put/get store, not
a memoising decorator. :class:`RunStore` is that store: a least-recently-used mapping with a
bounded number of entries, guarded by a lock because Streamlit serves each session from its own
thread. :func:`run_store` hands out the one instance per server through ``st.cache_resource``.

Keys are pure functions of what was run (the normalised config JSON; for a sweep, that plus the
grid and the seeds), so sharing the store shares no one's private state. Stored values are
treated as read-only by the pages.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable
from typing import Any

import streamlit as st

RACES_KEPT = 64  # finished races kept across sessions
SWEEPS_KEPT = 32  # finished sweeps kept across sessions
_MISSING = object()


class RunStore:
    """A thread-safe LRU mapping with at most ``max_entries`` entries.

    ``get`` marks an entry as recently used; ``put`` inserts or refreshes one and evicts the
    least recently used entries beyond the bound.

    >>> store = RunStore(2)
    >>> store.put("a", 1); store.put("b", 2); store.get("a")
    1
    >>> store.put("c", 3)  # evicts "b", the least recently used
    >>> store.get("b") is None, len(store)
    (True, 2)
    """

    def __init__(self, max_entries: int) -> None:
        if int(max_entries) < 1:
            raise ValueError(f"max_entries must be at least 1, got {max_entries!r}")
        self.max_entries = int(max_entries)
        self._entries: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, default: Any = None) -> Any:
        """The value stored under ``key`` (now the most recently used), else ``default``."""
        with self._lock:
            value = self._entries.get(key, _MISSING)
            if value is _MISSING:
                return default
            self._entries.move_to_end(key)
            return value

    def put(self, key: Hashable, value: Any) -> None:
        """Store ``value`` under ``key`` and evict beyond ``max_entries``."""
        with self._lock:
            self._entries[key] = value
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)

    def __contains__(self, key: Hashable) -> bool:
        with self._lock:
            return key in self._entries

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


@st.cache_resource(show_spinner=False)
def _stores() -> dict[str, RunStore]:
    """Created once per server process (``st.cache_resource``), shared by every session."""
    return {"race": RunStore(RACES_KEPT), "sweep": RunStore(SWEEPS_KEPT)}


def run_store(kind: str) -> RunStore:
    """The server's store for ``kind``: "race" or "sweep"."""
    return _stores()[kind]
