"""Reading a large database while the explorer is already on screen.

At 100,000 quotes, parsing the file, checking every object and indexing the
quotes takes a few seconds; the explorer paints first and calls `load` from
a worker thread, which reports each stage through `progress`. Small
databases (the sample, a few articles) are read at once, as before: there
is nothing to wait for, and no half-filled screen to see.

While loading, Python's cyclic garbage collector is paused: the load makes
millions of objects and no cycles, and the collector would walk them all
again and again (TinyDB load of 100k documents measured 0.95 s -> 0.4 s).
Afterwards the survivors are frozen (`gc.freeze`) so later collections
skip them.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import gc
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from store import Store
from store.collector import paused
from store.models import Statement
from store.search import SyncPlan
from store.views import quote_views

from .corpus import Corpus

__all__ = ["SYNC_LIMIT", "is_small", "load", "reread"]

#: Up to this many statements, the explorer reads the database before it paints.
SYNC_LIMIT = 5000
#: How often a large database's reading says how far it has got.
PROGRESS_EVERY_S = 0.25


def is_small(store: Store) -> bool:
    return store.count(Statement) <= SYNC_LIMIT


def load(source: Store | Path, progress: Callable[[str], None]) -> tuple[Store, Corpus]:
    """Open (if given a path), read and index a database; say what is being done."""
    with _bulk_read():
        if isinstance(source, Store):
            store = source
        else:
            progress(f"Opening {source.name}…")
            store = Store.open(source)
        count = store.count(Statement)
        progress(f"Reading {count:,} quotes…")
        now_and_then = _Throttled(progress)
        bundle = store.bundle(lambda done, total: now_and_then(
            f"Reading {count:,} quotes… {100 * done // max(total, 1)}%"))
        views = quote_views(bundle)
        corpus = Corpus(views, bundle.actors, bundle.proposals)
        del bundle
        store.release_memory()
        progress(f"Indexing {count:,} quotes…")
        # Built here, in the worker, not on the first keystroke.
        corpus.build_index(lambda done: now_and_then(f"Indexing {count:,} quotes… {done:.0%}"))
    return store, corpus


class _Throttled:
    """Say how far a stage has got at most every PROGRESS_EVERY_S: each message waits
    for the screen to take it (call_from_thread), 50 of them cost a second."""

    def __init__(self, say: Callable[[str], None]) -> None:
        self._say, self._last = say, time.monotonic()

    def __call__(self, message: str) -> None:
        now = time.monotonic()
        if now - self._last >= PROGRESS_EVERY_S:
            self._say(message)
            self._last = now


def reread(store: Store, previous: Corpus) -> tuple[Store, Corpus, SyncPlan | None]:
    """Read a database file again (for a reload in a worker), and plan how `previous`'s
    index is brought in step with it (`Corpus.plan_index`).

    Through a second handle on the file: the explorer's own may be written
    meanwhile (a proposal saved from the proposals screen), and a reading
    must never see a half-changed table. The new handle replaces the old one.
    """
    assert store.path is not None
    with _bulk_read():
        fresh = Store.open(store.path)
        corpus = Corpus.from_store(fresh)
        fresh.release_memory()
        plan = corpus.plan_index(previous)
    return fresh, corpus, plan


@contextlib.contextmanager
def _bulk_read() -> Iterator[None]:
    """A whole database read: the collector paused meanwhile (`store.collector`), the
    survivors frozen after it (later collections skip them), the freed heap given back."""
    with paused():
        try:
            yield
        finally:
            gc.freeze()
    _give_back_memory()


def _give_back_memory() -> None:
    """Return the freed heap to the system (glibc keeps it otherwise: ~100 MB at 100k)."""
    name = ctypes.util.find_library("c")
    if name is None:
        return
    with contextlib.suppress(OSError, AttributeError):  # not glibc
        ctypes.CDLL(name).malloc_trim(0)
