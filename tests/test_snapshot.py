"""Snapshots: a second opening of an unchanged database skips checking, sorting and indexing,
and gives exactly what the first opening gave; any mismatch or damage means the long way."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import numpy as np
import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bench.corpus import generate
from store import Store, docs, snapshot
from store.docs import source_as_stored, statement_as_stored, to_doc
from store.errors import DatabaseCorrupt
from store.index import Segment
from store.models import Source, Statement
from tui import loading
from tui.corpus import Corpus

from .doc_strategies import _both, _dates, _statement_docs, _texts

QUERIES = ["ceasefire", "of the", '"of the"', "speaker:actor-1", "ceasfire", "iss:Dev",
           "sanc", "-the", "after:2023-01-01 envoy", "before:2019-06-01"]


@pytest.fixture(autouse=True)
def _small_is_large(monkeypatch):
    """1,200 quotes stand for a large archive here (snapshots are kept over SYNC_LIMIT)."""
    monkeypatch.setattr(loading, "SYNC_LIMIT", 1000)


@pytest.fixture
def archive_db(tmp_path: Path) -> Path:
    path = tmp_path / "archive.json"
    path.write_bytes(orjson.dumps(generate(1200, seed=3)))
    return path


def _reading(corpus) -> tuple:
    """Everything a user could see of a corpus: its quotes in order, counts, search answers."""
    answers = []
    for q in QUERIES:
        result = corpus.search(q)
        places, counts = result.in_order()
        answers.append((result.total, result.fuzzy, list(places), list(counts),
                        [(h.view.statement.id, h.score, h.spans) for h in result.top(20)]))
    return ([v.statement for v in corpus.views], [v.actor for v in corpus.views],
            [v.source for v in corpus.views], dict(corpus.counts), answers, corpus.sources)


def _load(path: Path):
    loaded = loading.load(path, lambda message: None)
    if loaded.after_shown is not None:
        loaded.after_shown()
    return loaded


def test_a_second_opening_reads_the_snapshot_and_shows_the_same(archive_db, monkeypatch):
    first = _load(archive_db)
    assert first.after_shown.func is loading._keep  # saved one
    assert list(snapshot.folder().glob("*.snapshot"))
    built = []
    monkeypatch.setattr(Segment, "__init__", lambda *a: built.append(1))  # would fail
    second = _load(archive_db)
    assert second.after_shown.func is loading._release and not built
    assert _reading(second.corpus) == _reading(first.corpus)


def _matches(corpus) -> tuple:
    """What a user sees, but for ranking: an index brought in step scores with its
    earlier statistics, so the order of the best hits may differ from a new one's."""
    answers = []
    for q in QUERIES:
        result = corpus.search(q)
        places, counts = result.in_order()
        answers.append((result.total, result.fuzzy, list(places), list(counts),
                        sorted(h.view.statement.id for h in result.hits)))
    return ([v.statement for v in corpus.views], [v.actor for v in corpus.views],
            [v.source for v in corpus.views], dict(corpus.counts), answers)


def _without_snapshots(path: Path, monkeypatch):
    """The reading as it is with no snapshot, leaving the saved one as it was."""
    with monkeypatch.context() as m:
        m.setattr(snapshot, "read", lambda database: None)
        m.setattr(snapshot, "save", lambda *a: None)
        return _load(path)


def _edit(path: Path, change) -> None:
    tables = orjson.loads(path.read_bytes())
    change(tables)
    path.write_bytes(orjson.dumps(tables))


def _small_changes(tables: dict) -> None:
    statements, sources = tables["statements"], tables["sources"]
    ids = list(statements)
    del statements[ids[5]]  # gone
    doc = statements[ids[6]]
    doc["text"] = "A ceasefire of the new kind, said the envoy."  # changed words
    doc["span"] = [0, len(doc["text"])]
    statements[ids[7]]["issues"] = ["Dev"]  # changed tags
    statements[ids[8]]["actor_id"] = statements[ids[9]]["actor_id"]  # another speaker
    undated = next(d for d in statements.values() if d["said_on"] is None)
    sources[undated["source_id"]]["published"] = "2019-01-02"  # its date, through its source
    statements["st-new"] = dict(statements[ids[10]], text="Talks of the new kind.",
                                span=[0, 22])  # added


def test_a_changed_file_is_read_with_what_is_still_true_of_its_snapshot(archive_db,
                                                                          monkeypatch):
    _load(archive_db)
    _edit(archive_db, _small_changes)
    built = []
    real = loading.Corpus.build_index
    monkeypatch.setattr(loading.Corpus, "build_index",  # a build, not a call that finds one
                        lambda self, *a: (self.index_ready or built.append(1)) or real(self, *a))
    again = _load(archive_db)
    assert not built  # brought in step: the earlier segment and what stands
    assert again.after_shown.func is loading._keep_merged  # then saved made one
    fresh = _without_snapshots(archive_db, monkeypatch).corpus
    assert _matches(again.corpus) == _matches(fresh)
    assert snapshot.header(archive_db)["whole"] is True
    built.clear()  # the reading without snapshots built its own
    # Opened again unchanged: from that snapshot, no document checked, nothing sorted.
    checked = []
    import store.docs

    real_check = store.docs.from_doc
    monkeypatch.setattr(store.docs, "from_doc",
                        lambda *a: checked.append(a[1]) or real_check(*a))
    third = _load(archive_db)
    assert third.after_shown.func is loading._release and not built
    assert not [c for c in checked if c.startswith("st-")]
    assert _reading(third.corpus) == _reading(fresh)  # made one: ranked as a new build
    # And changed once more: from the renewed snapshot.
    _edit(archive_db, lambda t: t["statements"].pop(next(iter(t["statements"]))))
    fourth = _load(archive_db)
    assert not built and fourth.after_shown.func is loading._keep_merged
    assert _matches(fourth.corpus) == _matches(_without_snapshots(archive_db, monkeypatch).corpus)


def test_segments_that_cannot_be_made_one_are_kept_in_step(archive_db, monkeypatch):
    _load(archive_db)
    _edit(archive_db, _small_changes)
    monkeypatch.setattr(loading, "merged", lambda *a: None)
    _load(archive_db)
    assert snapshot.header(archive_db)["whole"] is False
    again = _load(archive_db)  # from the earlier segment, kept in step
    assert again.after_shown.func is loading._release
    assert _matches(again.corpus) == _matches(_without_snapshots(archive_db, monkeypatch).corpus)


def test_a_changed_document_is_checked_again(archive_db):
    _load(archive_db)

    def break_one(tables):
        next(iter(tables["statements"].values()))["span"] = [9, 3]  # reversed: invalid

    _edit(archive_db, break_one)
    with pytest.raises(DatabaseCorrupt):
        _load(archive_db)


def test_when_much_changed_the_index_is_built_anew_and_snapshotted(archive_db, monkeypatch):
    monkeypatch.setattr(loading, "REBUILD_FLOOR", 0)
    _load(archive_db)

    def retell(tables):
        for k, doc in enumerate(list(tables["statements"].values())[:400]):
            doc["text"] = f"Statement {k} of the talks, told again."
            doc["span"] = [0, len(doc["text"])]

    _edit(archive_db, retell)
    again = _load(archive_db)
    assert again.after_shown.func is loading._keep
    assert _reading(again.corpus) == _reading(_without_snapshots(archive_db, monkeypatch).corpus)
    assert _load(archive_db).after_shown.func is loading._release  # and the next is warm
    assert snapshot.find(archive_db, Store.open(archive_db).digest()) is not None


@pytest.mark.parametrize("damage", ["truncate", "flip", "garbage", "empty", "other code"])
def test_a_damaged_or_foreign_snapshot_is_ignored(archive_db, monkeypatch, damage):
    truth = _reading(_load(archive_db).corpus)
    (saved,) = snapshot.folder().glob("*.snapshot")
    data = bytearray(saved.read_bytes())
    if damage == "truncate":
        saved.write_bytes(data[: len(data) // 2])
    elif damage == "flip":  # inside an array: the zip's CRC-32 no longer matches
        data[len(data) // 2] ^= 0xFF
        saved.write_bytes(data)
    elif damage == "garbage":
        saved.write_bytes(b"not a snapshot" * 100)
    elif damage == "empty":
        saved.write_bytes(b"")
    else:
        monkeypatch.setattr(snapshot, "_code_digest", lambda: "0123456789abcdef")
    assert snapshot.read(archive_db) is None
    again = _load(archive_db)
    assert again.after_shown.func is loading._keep
    assert _reading(again.corpus) == truth


def test_arrays_that_do_not_fit_together_are_refused(archive_db):
    _load(archive_db)
    found = snapshot.read(archive_db)
    assert found is not None
    arrays = found.segment.to_arrays()
    assert Segment.from_arrays(arrays).n == found.segment.n
    broken = dict(arrays, post_doc=arrays["post_doc"] + found.segment.n)
    with pytest.raises(ValueError):
        Segment.from_arrays(broken)
    with pytest.raises(ValueError):
        Segment.from_arrays(dict(arrays, date=arrays["date"][:-1]))


def test_only_the_most_recently_used_snapshots_are_kept(tmp_path):
    for k in range(snapshot.KEEP + 3):
        db = tmp_path / f"db{k}.json"
        corpus = Corpus.from_store(Store.open(db, create=True))
        corpus.build_index()
        saved = snapshot.save(db, f"{k:032x}", np.zeros(0), corpus.index_segment)
        assert saved is not None
        os.utime(saved, (1000 + k, 1000 + k))  # used in this order
    assert len(list(snapshot.folder().glob("*.snapshot"))) == snapshot.KEEP
    assert snapshot.find(tmp_path / "db0.json", f"{0:032x}") is None  # the oldest went
    last = snapshot.KEEP + 2
    assert snapshot.find(tmp_path / f"db{last}.json", f"{last:032x}") is not None
    assert snapshot.find(tmp_path / f"db{last}.json", f"{0:032x}") is None  # another digest


def test_a_document_not_in_this_programs_form_is_checked_as_usual(archive_db):
    """A valid file written by hand: the snapshot does not skip pydantic's conversions."""
    tables = orjson.loads(archive_db.read_bytes())
    docs = list(tables["statements"].values())
    docs[0]["span"] = [str(x) for x in docs[0]["span"]]  # "12" -> 12
    docs[1]["said_on"], docs[1]["said_on_precision"] = "2024-06-15T00:00:00", "day"
    docs[2]["text"] += "\r\nand\x07 more"  # cleaned when read
    del docs[3]["context"]  # a default
    archive_db.write_bytes(orjson.dumps(tables))
    cold = _load(archive_db)
    warm = _load(archive_db)
    assert warm.after_shown.func is loading._release
    assert _reading(warm.corpus) == _reading(cold.corpus)
    by_id = {v.statement.id: v.statement for v in warm.corpus.views}
    assert by_id["st-2"].text.endswith("\nand more") and by_id["st-0"].span[0] >= 0


def test_the_digest_is_of_the_file_as_read(archive_db):
    store = Store.open(archive_db)
    expected = hashlib.blake2b(archive_db.read_bytes(), digest_size=16).hexdigest()
    assert store.digest() == expected
    bundle, digest = store.reading()[:2]
    assert digest == expected
    store.delete(Statement, bundle.statements[0].id)  # its own write: read again to hash
    assert store.digest() == hashlib.blake2b(archive_db.read_bytes(),
                                             digest_size=16).hexdigest() != expected
    assert Store.memory().digest() is None


def test_a_checked_digest_that_is_not_the_files_means_checking(archive_db):
    tables = orjson.loads(archive_db.read_bytes())
    next(iter(tables["statements"].values()))["span"] = [9, 3]  # reversed: invalid
    archive_db.write_bytes(orjson.dumps(tables))
    store = Store.open(archive_db)
    with pytest.raises(DatabaseCorrupt):
        store.reading(checked="0" * 32)


# -- a document as stored is what checking it makes -------------------------------------
@settings(max_examples=400, deadline=None)
@given(_statement_docs())
def test_a_statement_as_stored_is_what_checking_makes(doc):
    """For every document checking accepts (in a file a snapshot vouches for, all are)."""
    checked, stored = _both(statement_as_stored, Statement, "st-1", doc)
    if checked is not None:
        assert stored == checked
        assert list(to_doc(stored).items()) == list(to_doc(checked).items())
        assert type(stored.span) is tuple and type(stored.said_on_precision) is type(
            checked.said_on_precision)


@settings(max_examples=200, deadline=None)
@given(st.fixed_dictionaries({
    "title": _texts, "outlet": st.one_of(st.none(), _texts), "url": st.one_of(st.none(), _texts),
    "published": _dates, "text": st.just("ok"),
    "content_hash": st.sampled_from(["", hashlib.sha256(b"ok").hexdigest()])}))
def test_a_source_as_stored_is_what_checking_makes(doc):
    checked, stored = _both(source_as_stored, Source, "src-1", doc)
    if checked is not None:
        assert stored == checked
        assert list(to_doc(stored).items()) == list(to_doc(checked).items())


def test_a_cache_that_cannot_be_written_is_no_error(archive_db, monkeypatch, tmp_path):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the cache folder would be")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    first = _load(archive_db)  # saving fails quietly
    again = _load(archive_db)
    assert again.after_shown.func is loading._keep  # so no snapshot: the long way again
    assert _reading(again.corpus) == _reading(first.corpus)
    assert list(tmp_path.glob("**/*.snapshot")) == []


def test_a_small_database_is_not_snapshotted(archive_db, monkeypatch):
    monkeypatch.setattr(loading, "SYNC_LIMIT", 1200)
    assert _load(archive_db).after_shown.func is loading._release
    assert list(snapshot.folder().glob("*.snapshot")) == []


def test_a_reading_that_saw_the_parsed_file_returns_it_though_it_is_let_go(archive_db,
                                                                          monkeypatch):
    """The loader lets the parsed file go from its worker while an edit may be reading
    it: the reading must not come back empty (an edit would then write {})."""
    import store.storage as storage_module

    store = Store.open(archive_db)
    storage = store._db.storage
    real = storage_module._stamp

    def let_go_meanwhile(st):
        storage.forget_cache()  # what the worker does, at the worst moment
        return real(st)

    monkeypatch.setattr(storage_module, "_stamp", let_go_meanwhile)
    assert storage.read() is not None


def _crafted(archive_db, **changes) -> None:
    """Rewrite the saved snapshot with some arrays or its meta changed (checksum made anew)."""
    (saved,) = snapshot.folder().glob("*.snapshot")
    meta, arrays = snapshot._unpack(saved.read_bytes())
    meta = changes.pop("meta", meta)
    with open(saved, "wb") as f:
        snapshot._pack(f, meta, {k: np.array(v) for k, v in (arrays | changes).items()})


@pytest.mark.parametrize("changes", [
    {"meta": ["not", "a", "dict"]},
    {"shape": np.array([np.inf, 1.0])},
    {"order": "float"},
    {"shape": "huge end"},
    {"off": "2-d"},
])
def test_a_crafted_snapshot_is_not_used(archive_db, changes):
    truth = _reading(_load(archive_db).corpus)
    found = snapshot.read(archive_db)
    if changes.get("order") == "float":
        changes = {"order": found.order.astype(np.float64)}
    elif isinstance(changes.get("shape"), str):
        changes = {"shape": np.array([found.segment.n, 2**40])}
    elif changes.get("off") == "2-d":
        changes = {"off": found.segment.off.reshape(1, -1)}
    _crafted(archive_db, **changes)
    assert snapshot.read(archive_db) is None
    assert _reading(_load(archive_db).corpus) == truth


def test_a_snapshot_made_under_other_versions_is_not_used(archive_db, monkeypatch):
    import pydantic

    _load(archive_db)
    assert snapshot.read(archive_db) is not None
    monkeypatch.setattr(pydantic, "VERSION", "0.0.1")  # its rules of validity may differ
    assert snapshot.read(archive_db) is None


def test_a_snapshot_that_fails_in_use_means_the_long_way(archive_db, monkeypatch):
    truth = _reading(_load(archive_db).corpus)

    def broken(*a, **k):
        raise RuntimeError("a snapshot that passed its checks and still does not fit")

    monkeypatch.setattr(loading.Corpus, "take_index", broken)
    again = _load(archive_db)
    assert again.after_shown.func is loading._keep  # read the long way, snapshotted anew
    assert _reading(again.corpus) == truth


# -- a file whose statements are all in this program's form ------------------------------
def test_a_file_all_in_this_programs_form_is_read_without_testing_forms_again(
        archive_db, monkeypatch):
    first = _load(archive_db)
    assert Store.open(archive_db).reading().canonical
    saved = snapshot.read(archive_db)
    assert saved is not None and saved.canonical
    trusted = []
    real = docs.statement_trusted
    monkeypatch.setattr(docs, "statement_trusted", lambda i, d: trusted.append(i) or real(i, d))
    second = _load(archive_db)
    assert len(trusted) == 1200
    assert _reading(second.corpus) == _reading(first.corpus)


def _one_odd_statement(tables: dict) -> str:
    """A statement pydantic accepts, not in the form this program writes (a carriage
    return, which checking turns into a newline)."""
    sid, doc = next(iter(tables["statements"].items()))
    doc["text"] += "\r"
    return sid


def test_one_statement_in_another_form_keeps_its_form_tested_at_every_reading(
        archive_db, monkeypatch):
    odd = []
    _edit(archive_db, lambda tables: odd.append(_one_odd_statement(tables)))
    assert not Store.open(archive_db).reading().canonical
    first = _load(archive_db)
    saved = snapshot.read(archive_db)
    assert saved is not None and not saved.canonical

    def never(*args):
        raise AssertionError("made without testing its form")

    monkeypatch.setattr(docs, "statement_trusted", never)
    second = _load(archive_db)
    assert _reading(second.corpus) == _reading(first.corpus)
    (made,) = [v.statement for v in second.corpus.views if v.statement.id == odd[0]]
    assert made.text.endswith("\n")


def test_the_fingerprints_are_taken_once_shown_under_the_write_lock(archive_db, monkeypatch):
    """Not on the way to the screen (2.1 s at 1,000,000 quotes); under the lock, so that
    the explorer's own write cannot change the tables while they are read."""
    import store.db

    held = []
    real = store.db.fingerprints
    monkeypatch.setattr(store.db, "fingerprints", lambda table: (
        held.append(store_of[0]._db.storage.lock.held), real(table))[1])
    loaded = loading.load(archive_db, lambda message: None)
    store_of = [loaded.store]
    assert held == []  # the corpus can be shown: none taken yet
    loaded.after_shown()
    assert held == [True, True]  # statements and sources
    assert snapshot.read(archive_db).known("statements")


def test_a_write_after_the_corpus_is_shown_means_no_snapshot(archive_db):
    """The tables changed since they were read: fingerprints of them would not be the
    file's that was indexed; no snapshot is kept, and the next opening reads anew."""
    from store.models import Actor

    loaded = loading.load(archive_db, lambda message: None)
    loaded.store.add(Actor(id="actor-new", name="A new envoy"))  # the explorer's own write
    loaded.after_shown()
    assert snapshot.read(archive_db) is None
    assert _load(archive_db).after_shown.func is loading._keep  # so: the long way


def test_a_file_changed_before_its_fingerprints_are_taken_is_not_parsed_again(
        archive_db, monkeypatch):
    """Another process wrote the file once it was shown: its reading is not the one
    indexed, so no snapshot; and the changed file is not parsed again under the write
    lock to find that out (seconds at 1,000,000 quotes, other writers waiting)."""
    import store.storage as storage_module

    loaded = loading.load(archive_db, lambda message: None)
    tables = orjson.loads(archive_db.read_bytes())
    del tables["statements"][next(iter(tables["statements"]))]
    archive_db.write_bytes(orjson.dumps(tables))  # another process's write
    parsed = []
    real = storage_module._parse
    monkeypatch.setattr(storage_module, "_parse", lambda raw: parsed.append(1) or real(raw))
    loaded.after_shown()
    assert parsed == [] and snapshot.read(archive_db) is None


def test_a_changed_file_is_shown_before_its_index_is_brought_in_step(archive_db):
    _load(archive_db)
    _edit(archive_db, _small_changes)
    seen = []
    loaded = loading.load(archive_db, lambda _: None,
                          shown=lambda c: seen.append((c, c.index_ready, c._counts is not None)))
    assert seen == [(loaded.corpus, False, True)]  # browsable, counted, not yet searchable
    assert loaded.corpus.index_ready and loaded.after_shown.func is loading._keep_merged


def test_quotes_of_a_source_gone_are_dated_again(archive_db, monkeypatch):
    """A source removed while quotes still name it: they are undated now, and placed
    and indexed anew, not left with the gone source's date."""
    _load(archive_db)

    def drop_a_dated_source(tables):
        named = {d["source_id"] for d in tables["statements"].values() if d["said_on"] is None}
        gone = next(k for k, d in tables["sources"].items()
                    if k in named and d["published"] and d["published"] > "2023-06-01")
        del tables["sources"][gone]

    _edit(archive_db, drop_a_dated_source)
    again = _load(archive_db).corpus
    fresh = _without_snapshots(archive_db, monkeypatch).corpus
    assert _matches(again) == _matches(fresh)
    for q in ("after:2023-06-01", "before:2023-06-02"):  # the gone source's date no more
        assert [list(a) for a in again.search(q).in_order()] == \
            [list(a) for a in fresh.search(q).in_order()], q
