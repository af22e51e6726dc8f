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
import gc
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np

from store import Store, StoreError, coldhelper, snapshot, storage
from store.allocator import give_back, map_large_blocks
from store.collector import paused
from store.glimpse import LINED, glimpse
from store.grown import grown
from store.history import DocChange
from store.index import Segment
from store.merge import merged
from store.models import Statement
from store.search import QuoteSearch, SyncPlan
from store.views import ordered_views, views_in_order

from .corpus import Corpus
from .first_opening import Cold, Early, begun, cold_glimpse

__all__ = ["SYNC_LIMIT", "Early", "Loaded", "is_small", "load", "patched", "reread",
           "start_early"]

#: Up to this many statements, the explorer reads the database before it paints.
SYNC_LIMIT = 5000
#: How often a large database's reading says how far it has got: each saying is drawn
#: on the screen's thread, which shares the interpreter with the reading (a 1,000,000
#: quote first opening: 0.41-0.43 s of drawing at 4 a second, 0.24-0.33 s at 2).
PROGRESS_EVERY_S = 0.5


def is_small(store: Store) -> bool:
    return store.count(Statement) <= SYNC_LIMIT


def load(source: Store | Path, progress: Callable[[str], None],
         shown: Callable[[Corpus], None] | None = None, writes: bool = True,
         ranked: bool = False, early: Early | None = None) -> Loaded:
    """Open (if given a path), read and index a database; say what is being done.

    A database read before, and not changed since, is read with its snapshot
    (`store.snapshot`): its statements are not checked again, nor sorted,
    nor indexed (1,000,000 quotes: 30 s -> 10 s). A database changed since
    its snapshot (an ingest, an edit) is read with what is still true of it:
    the documents that are the same need not be checked, the statements that
    are the same keep their place in the index. Otherwise the reading is kept
    as a snapshot for the next time, in `Loaded.after_shown`.

    Indexing a database that is read for the first time takes as long as
    reading it (1,000,000 quotes: 10 s after 12): `shown` is given the corpus
    before it is indexed, for the quotes to be browsed meanwhile. A search
    asked of it waits for the index (`Corpus.build_index`).

    `writes=False`: the process reading writes nothing to the file (a command
    that reads), so the snapshot's fingerprints are taken without its lock.
    `ranked`: the index must rank hits as a new one would (a command that
    prints them ranked): one kept in step with a change (a second segment,
    whose quotes score against their own) is made one (`store.merge`: what a
    build makes), or else built anew whole, and snapshotted so.

    `early`: the helper of a first opening, started before the explorer was
    (`start_early`); closed here whether it is of use or not.
    """
    try:
        return _load(source, progress, shown, writes, ranked, early)
    finally:
        if early is not None:
            early.close()


def _load(source: Store | Path, progress: Callable[[str], None],
          shown: Callable[[Corpus], None] | None, writes: bool, ranked: bool,
          early: Early | None) -> Loaded:
    with _bulk_read(trim=False):
        cold: Cold | None = None
        if isinstance(source, Store):
            store, saved = source, None
        else:
            progress(f"Opening {source.name}…")
            saved = _Aside(snapshot.read, source)  # read while the database is parsed
            if shown is not None and not ranked:
                quick, cold = _glimpsed(source, saved, progress, early)
                if quick is not None:
                    shown(quick)
                    if cold is not None:  # hashed while the file is read again
                        cold.digest = _Aside(storage.digest, cold.raw)
                    progress("Reading the file…")
                    # Searchable already: shown again only once all is read (`Loaded`).
                    shown = _counted_only
            if early is not None:  # used, or of no use: not left working meanwhile
                early.close()
            store = Store.open(source)
        count = store.count(Statement)
        # A small database is read in no time: no snapshot of it is kept, or read.
        kept = count > SYNC_LIMIT and store.path is not None
        snap = saved.result() if saved else snapshot.read(store.path) if kept else None
        same = snap is not None and kept and snap.digest == store.digest()
        earlier = snap if snap is not None and kept and not same else None
        progress(f"Reading {count:,} quotes…")
        now_and_then = _Throttled(progress)
        known = {t: earlier.known(t) for t in snapshot.TABLES} if earlier else None
        read = store.reading(lambda done, total: now_and_then(
            f"Reading {count:,} quotes… {100 * done // max(total, 1)}%"),
            checked=snap.digest if same else None, known=known,
            canonical=same and snap is not None and snap.canonical)
        bundle, digest = read.bundle, read.digest
        version = store.version()
        size = version[2] if version is not None else None
        if (same and snap is not None and digest == snap.digest
                and len(snap.order) == len(bundle.statements)
                and not (ranked and snap.docs is not None)):
            warm = None
            with contextlib.suppress(Exception):  # a snapshot is a cache: else, the long way
                warm = _from_snapshot(snap, bundle)
            if warm is not None:
                # Freeing the parsed file (0.3 s at 1,000,000) can wait until it is shown.
                return Loaded(store, warm, partial(_release, store))
        kept_docs = None
        if cold is not None and cold.fits(read):
            # Indexed in two processes while the file was glimpsed: sorted, indexed.
            corpus = Corpus(views_in_order(bundle, cold.index.order), bundle.actors,
                            bundle.proposals, bundle.sources)
            corpus.take_index(cold.index.segment)
            order = cold.index.order
        else:
            views, order = ordered_views(bundle)
            corpus = Corpus(views, bundle.actors, bundle.proposals, bundle.sources)
            if earlier is not None and read.unchanged:
                progress(f"Indexing {count:,} quotes: what changed…")
                with contextlib.suppress(Exception):  # a snapshot is a cache: else, build
                    kept_docs = _kept(earlier, read.unchanged, bundle, len(views))
            if kept_docs is not None and earlier is not None:
                if shown is not None:  # browsed while the index is brought in step (4 s at 1M)
                    corpus.counts  # noqa: B018 - counted here, not on the screen's first draw
                    corpus.expect_index()
                try:
                    if shown is not None:
                        shown(corpus)
                    search = QuoteSearch.from_earlier(earlier.segment, *kept_docs, views)
                    corpus.take_search(search)
                    in_rows = search.parts_in_rows(len(views))  # as read: before any edit
                finally:
                    corpus.index_settled()
            else:
                if shown is not None:
                    corpus.counts  # noqa: B018 - counted here, not on the screen's first draw
                    corpus.expect_index()
                try:
                    if shown is not None:
                        shown(corpus)
                    progress(f"Indexing {count:,} quotes…")
                    map_large_blocks()  # the tokenizer's temporary arrays, given back (allocator)
                    # Built here, in the worker, not on the first keystroke; and before the
                    # parsed file is let go: freeing it first scatters the heap, and the
                    # tokenizer's millions of small strings then take 1.7x as long (0.55 ->
                    # 0.9 s at 100,000).
                    corpus.build_index(lambda done: now_and_then(
                        f"Indexing {count:,} quotes… {done:.0%}"))
                finally:
                    corpus.index_settled()  # built or not: a search no longer waits for it
            if ranked and kept_docs is not None:  # ranked as a new index ranks: one segment
                one = None
                with contextlib.suppress(Exception):  # made one from the arrays: 4-7 s at 1M
                    one = merged(in_rows, len(views))
                if one is not None:
                    corpus.take_index(one)
                else:  # built anew, whole (10 s at 1,000,000)
                    corpus = Corpus(views, bundle.actors, bundle.proposals, bundle.sources)
                    corpus.build_index()
        del bundle
        whole = corpus.index_segment if corpus.index_is_one_segment else None
    # The documents' fingerprints, when not known from the reading, are taken once the
    # corpus is shown (2.1 s at 1,000,000 quotes), under the write lock (`_keep`).
    prints = read.fingerprints or None  # {}: none known (no earlier snapshot)
    if not kept or digest is None or (whole is None and kept_docs is None):
        return Loaded(store, corpus, partial(_release, store))
    if whole is not None:
        return Loaded(store, corpus, partial(_keep, store, digest, np.asarray(order), whole,
                                             prints, canonical=read.canonical, locked=writes,
                                             size=size))
    if kept_docs is not None and earlier is not None:  # the earlier segment, kept in step
        return Loaded(store, corpus, partial(_keep_merged, store, digest, np.asarray(order),
                                             in_rows, earlier.segment, prints, kept_docs,
                                             canonical=read.canonical, locked=writes,
                                             size=size))
    return Loaded(store, corpus, partial(_release, store))


#: Files smaller than this (some 23,000 quotes) are read whole at once: parsed, checked
#: and indexed in under half a second. A larger one is shown from its snapshot, or indexed
#: from its lines in two processes, before it is parsed: at 100,000 quotes (70 MB)
#: searchable after 1.50-1.58 s from the start, against 4.87 s read whole (the index
#: 0.59 s against 1.45; cold starts, one run each); a second opening 1.06-1.10 s against
#: 2.97; the same memory (1.48-1.50x TinyDB's).
_GLIMPSE_BYTES = 1 << 24


def _glimpsed(path: Path, saved: _Aside, progress: Callable[[str], None],
              early: Early | None = None) -> tuple[Corpus | None, Cold | None]:
    """The corpus of a database read before, made from its snapshot (being read in
    `saved`) before its file is parsed (`store.glimpse`: 1,000,000 quotes
    searchable in 2 s, not 10), if the file is to the byte the one the snapshot
    was made of, and in lines; or if its documents that stand are still in their
    order (`store.grown`: an ingest, an edit). Only a snapshot of a reading indexed
    whole is taken (`Snapshot.docs` None): its index's document i is the
    snapshot's display row i.

    A large database with no snapshot is indexed from its lines in two processes
    (`first_opening`), and shown so; what was made is given too (`Cold`),
    for the reading of the file to take (with the helper `early` started, if it
    was)."""
    try:
        size, head = path.stat().st_size, snapshot.header(path)
        if size <= _GLIMPSE_BYTES:
            return None, None
        if not head:  # never read (or by other code): indexed from its lines
            return cold_glimpse(path, progress, _Throttled(progress), early, SYNC_LIMIT)
        if (head.get("whole") is not True
                or not isinstance(n := head.get("statements"), int) or n <= SYNC_LIMIT):
            return None, None  # small, or kept in step
        raw = path.read_bytes()
    except OSError:
        return None, None
    # Hashing and reading the snapshot let go of the GIL: done while the lines are found.
    hashed = _Aside(storage.digest, raw) if head.get("size") == size else None
    snap = saved.result()
    try:
        if snap is None or snap.docs is not None:
            return None, None
        ids = {t: joined for t in LINED if (joined := snap.joined_ids(t)) is not None}
        if hashed is not None and hashed.result() == snap.digest:
            found = glimpse(raw, snap.order, ids)
            if found is None:
                return None, None
            corpus = Corpus(found.views, found.actors, found.proposals)
            corpus.take_index(snap.segment)
            return corpus, None
        more = grown(raw, snap.order, ids, {t: fps for t in LINED
                                            if (fps := snap.prints(t)) is not None})
        if more is None:
            return None, None
        corpus = Corpus(more.views, more.actors, more.proposals)
        corpus.take_grown(QuoteSearch.with_new(snap.segment, more.views, more.earlier_rows,
                                               more.new_views, more.new_rows),
                          snap.segment, more.earlier_rows, more.new_rows)
        return corpus, None
    except Exception:  # a snapshot is a cache: else, the file is parsed first, as before
        return None, None


def start_early(path: Path) -> Early | None:
    """The helper of a first opening of `path` started now, if the explorer will want
    it (a file over `_GLIMPSE_BYTES`, with no snapshot, on a system that can share
    its chunks): else None."""
    if not coldhelper.AVAILABLE:
        return None
    try:
        if path.stat().st_size <= _GLIMPSE_BYTES or snapshot.header(path):
            return None
        return begun(path)
    except Exception:  # speed only: the explorer starts one, or reads the long way
        return None


def _from_snapshot(snap: snapshot.Snapshot, bundle) -> Corpus:
    """The corpus of the very reading a snapshot was made of: its order, its index."""
    corpus = Corpus(views_in_order(bundle, snap.order), bundle.actors, bundle.proposals,
                    bundle.sources)
    if snap.docs is None:  # the reading's own index
        corpus.take_index(snap.segment)
    else:  # an earlier one, kept after a change: the rest indexed again
        corpus.take_search(QuoteSearch.from_earlier(
            snap.segment, snap.doc_ids(), snap.alive(), corpus.views))
    return corpus


#: Past this share of the quotes changed (and this many), the index is built anew, and
#: snapshotted: what QuoteSearch would do, merging its small segment into the large one.
REBUILD_OVER, REBUILD_FLOOR = 1 / 8, 2000


def _kept(earlier: snapshot.Snapshot, same: dict[str, set[str]], bundle, count: int,
          ) -> tuple[list[str], np.ndarray] | None:
    """Which of the earlier snapshot's documents still stand: those that stood, for a
    statement whose document, and whose source's, are the same to the byte
    (`same`: so are its words, speaker, tags and date); None when so much is
    dead or new that building the index anew is as quick."""
    ids = earlier.doc_ids()
    now = {s.id for s in bundle.sources}
    # A source new, changed or gone re-dates the statements naming it (gone: undated).
    redated = (now - same["sources"]) | (set(earlier.ids("sources")) - now)
    moved = {st.id for st in bundle.statements if st.source_id in redated} if redated else set()
    same_statements = same["statements"] - moved
    alive = earlier.alive() & np.fromiter((sid in same_statements for sid in ids),
                                          dtype=bool, count=len(ids))
    standing = int(alive.sum())
    limit = max(REBUILD_FLOOR, REBUILD_OVER * count)
    if count - standing > limit or len(ids) - standing > limit:  # new, or dead
        return None
    return ids, alive


def _counted_only(corpus: Corpus) -> None:
    """What `load` shows a corpus with once a glimpse is on screen: nothing, the glimpse
    stays until the reading is done (`load` counts the corpus's quotes before it
    shows one, in the worker, all the same)."""


def _release(store: Store) -> None:
    store.release_memory()
    give_back()


def _keep(store: Store, digest: str, order: np.ndarray, segment: Segment,
          prints: dict[str, tuple[list[str], np.ndarray]] | None,
          docs: tuple[list[str], np.ndarray] | None = None, canonical: bool = False,
          locked: bool = True, size: int | None = None) -> None:
    """Let the parsed file go, and save a snapshot of this reading: with the documents'
    fingerprints (`prints`, taken here if not given: under the write lock if
    `locked`), unless the file was written since it was read (then there is
    none to save)."""
    assert store.path is not None
    try:
        if prints is None:
            with paused(), contextlib.suppress(StoreError):  # locked by another process
                prints = store.fingerprints(digest, snapshot.TABLES, locked=locked)
    finally:
        _release(store)
    if prints is None:
        return
    snapshot.save(store.path, digest, order, segment, prints, docs, canonical, size)
    give_back()  # the writer's 16 MB buffers: ~35 MB kept at 100,000 otherwise


def _keep_merged(store: Store, digest: str, order: np.ndarray,
                 in_rows: list[tuple[Segment, np.ndarray]], segment: Segment,
                 prints: dict[str, tuple[list[str], np.ndarray]] | None,
                 docs: tuple[list[str], np.ndarray], **how: Any) -> None:
    """`_keep` a reading whose index was kept in step with a change (`from_earlier`):
    its segments made one (`store.merge`: 4-6 s at 1,000,000 quotes, in arrays), so
    the snapshot is of an index built whole and the next opening is a glimpse
    (`_glimpsed`); kept in step as it is if they cannot be."""
    whole = None
    with paused(), contextlib.suppress(Exception):  # a snapshot is a cache
        whole = merged(in_rows, len(order))
    if whole is not None:
        _keep(store, digest, order, whole, prints, None, **how)
    else:
        _keep(store, digest, order, segment, prints, docs, **how)


@dataclass(frozen=True, slots=True)
class Loaded:
    store: Store
    corpus: Corpus
    #: what is left to do once the explorer shows the corpus (free the parsed
    #: file, or save a snapshot for the next opening): it runs in the worker.
    after_shown: Callable[[], object] | None = None


class _Aside:
    """A call run in a thread of its own; `result()` waits for it."""

    def __init__(self, call: Callable[..., object], *args: object) -> None:
        self._found: list = []
        self._thread = threading.Thread(target=lambda: self._found.append(call(*args)),
                                        daemon=True)
        self._thread.start()

    def result(self):
        self._thread.join()
        return self._found[0] if self._found else None


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


def patched(store: Store, previous: Corpus, changes: Sequence[DocChange],
            written: tuple[Any, Any], shown: Any) -> tuple[Store, Corpus, SyncPlan | None]:
    """`reread`, for a change the explorer made apart: its record applied to what is shown
    (`Corpus.patched`), not the whole file read again (100,000 quotes: 3 s ->
    0.1 s). Only if the change wrote over the version shown and the file is still
    the version it wrote, which is then taken as the store handle's own
    (`Store.adopt_write`, last, once all else is done); else, and where the
    change's place cannot be told for certain, the file is read again."""
    # Frozen after (`_bulk_read`): the first change makes the index's table of places,
    # a tuple per quote, which the collector would otherwise walk on the screen's
    # thread (0.56 s at 1,000,000).
    with _bulk_read(trim=False):
        try:
            corpus = previous.patched(changes)
        except Exception:  # whatever it is, the file says what is true
            corpus = None
        if corpus is not None:
            plan = corpus.plan_index(previous)
            corpus.counts  # noqa: B018 - counted here, not on the screen's first draw
            if store.adopt_write(shown, written):
                return store, corpus, plan
    return reread(store, previous)


@contextlib.contextmanager
def _bulk_read(trim: bool = True) -> Iterator[None]:
    """A whole database read: the collector paused meanwhile (`store.collector`), the
    survivors frozen after it (later collections skip them), the freed heap given back."""
    with paused():
        try:
            yield
        finally:
            gc.freeze()
    if trim:
        give_back()
