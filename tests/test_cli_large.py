"""The CLI over a large database: read as the explorer reads one (with its snapshot),
and without the cyclic collector walking every object it made."""

from __future__ import annotations

import gc
import json
from pathlib import Path

import pytest
from filelock import FileLock

from store import Editor, Store, docs, snapshot, storage
from store.index import Segment
from tests.test_cli import run
from tui import loading

_QUERIES = ["ceasefire", '"security guarantees"', "speaker:lavrov -nato", "sanctons",
            "issue:Sec after:2025-03"]


def _answers(capsys, db) -> list[tuple]:
    found = []
    for query in _QUERIES:
        code, out, err = run(capsys, "quotes", "--db", str(db), "--search", query, "--json")
        found.append((code, json.loads(out) if out else None, err))
    code, out, _ = run(capsys, "quotes", "--db", str(db), "--search", "ceasefire")  # the table
    return [*found, (code, out)]


def test_a_large_database_answers_as_a_small_one_and_a_snapshot_serves_the_next(
        capsys, sample_db, monkeypatch):
    small = _answers(capsys, sample_db)
    assert any(a[1] for a in small[:-1]) and small[-1][1]  # queries that find something
    monkeypatch.setattr("tui.loading.SYNC_LIMIT", 0)  # the sample taken for a large one
    assert snapshot.read(sample_db) is None
    assert _answers(capsys, sample_db) == small
    assert snapshot.read(sample_db) is not None  # kept by the first search
    # The next searches take the index (and the checks) the snapshot kept.
    monkeypatch.setattr(Segment, "__init__", _never)
    monkeypatch.setattr(docs, "statement_checked", _never)
    assert _answers(capsys, sample_db) == small


def _retag_the_top_hit(capsys, db: Path) -> str:
    """Change the issues of the best hit for "the" (its words stay): its id."""
    _, out, _ = run(capsys, "quotes", "--db", str(db), "--search", "the", "--json")
    first = json.loads(out)[0]
    top, tags = first["id"], ["HrDem"] if first["issues"] != ["HrDem"] else ["Ce"]
    Editor(Store.open(db)).edit_quote(top, issues=tags)  # indexed again
    return top


def _ranked_as_when_small(capsys, db: Path, monkeypatch, top: str) -> tuple:
    """The hits for "the" read as a large database ranked as when read as a small one
    (an index built whole), `top` first: what the command printed."""
    monkeypatch.setattr("tui.loading.SYNC_LIMIT", 5000)
    small = run(capsys, "quotes", "--db", str(db), "--search", "the", "--json")
    monkeypatch.setattr("tui.loading.SYNC_LIMIT", 0)
    large = run(capsys, "quotes", "--db", str(db), "--search", "the", "--json")
    assert json.loads(small[1])[0]["id"] == top and large == small
    return small


def test_after_a_change_hits_are_ranked_as_a_new_index_ranks_them(capsys, sample_db,
                                                                   monkeypatch):
    """A change since the snapshot leaves its index in two segments, whose quotes score
    against their own segment's: the command line ranks with a whole index."""
    monkeypatch.setattr("tui.loading.SYNC_LIMIT", 0)
    run(capsys, "quotes", "--db", str(sample_db), "--search", "the")  # keeps a snapshot
    top = _retag_the_top_hit(capsys, sample_db)
    built = []
    real = Segment.__init__
    monkeypatch.setattr(Segment, "__init__",
                        lambda self, tok, meta, *a: built.append(len(tok.lengths))
                        or real(self, tok, meta, *a))
    small = _ranked_as_when_small(capsys, sample_db, monkeypatch, top)
    # The small reading built its index of 21 quotes; the large one indexed the changed
    # quote alone, and made the earlier segment and that one one, not built all anew.
    assert built == [21, 1]
    # The index built anew is kept whole: the next search takes it as it is.
    assert snapshot.read(sample_db).docs is None
    assert run(capsys, "quotes", "--db", str(sample_db), "--search", "the", "--json") == small


def test_after_a_change_segments_that_cannot_be_made_one_are_built_anew(capsys, sample_db,
                                                                        monkeypatch):
    monkeypatch.setattr("tui.loading.SYNC_LIMIT", 0)
    run(capsys, "quotes", "--db", str(sample_db), "--search", "the")  # keeps a snapshot
    top = _retag_the_top_hit(capsys, sample_db)
    monkeypatch.setattr(loading, "merged", lambda *a: None)
    _ranked_as_when_small(capsys, sample_db, monkeypatch, top)
    assert snapshot.read(sample_db).docs is None


@pytest.mark.parametrize("made_one", [True, False])
def test_a_snapshot_the_explorer_saved_after_a_change_ranks_as_a_new_build(
        capsys, sample_db, monkeypatch, made_one):
    """After a change the explorer saves its index made one (`store.merge`): the command
    line takes it as it is, and ranks as a new index would. When it could not be
    made one, the explorer keeps it in step (two segments), and the command line,
    reading that same file, builds one anew."""
    monkeypatch.setattr("tui.loading.SYNC_LIMIT", 0)
    loading.load(sample_db, lambda _: None).after_shown()
    top = _retag_the_top_hit(capsys, sample_db)
    with monkeypatch.context() as m:
        if not made_one:
            m.setattr(loading, "merged", lambda *a: None)
        loading.load(sample_db, lambda _: None).after_shown()
    assert (snapshot.read(sample_db).docs is None) is made_one
    built = []
    real = Segment.__init__
    monkeypatch.setattr(Segment, "__init__", lambda *a: built.append(1) or real(*a))
    _ranked_as_when_small(capsys, sample_db, monkeypatch, top)
    assert len(built) == (1 if made_one else 2)  # the small reading's; the large one's too
    assert snapshot.read(sample_db).docs is None


def test_a_search_neither_waits_for_a_writer_nor_makes_the_lock_file(capsys, sample_db,
                                                                      monkeypatch):
    monkeypatch.setattr("tui.loading.SYNC_LIMIT", 0)
    lock = Path(f"{sample_db}.lock")
    lock.unlink(missing_ok=True)
    run(capsys, "quotes", "--db", str(sample_db), "--search", "ceasefire")
    assert not lock.exists() and snapshot.read(sample_db) is not None
    for old in snapshot.folder().glob("*"):
        old.unlink()
    monkeypatch.setattr(storage, "LOCK_TIMEOUT_S", 0.5)
    with FileLock(str(lock)):  # another process mid-write
        code, out, _ = run(capsys, "quotes", "--db", str(sample_db), "--search", "ceasefire")
        assert code == 0 and out
        assert snapshot.read(sample_db) is not None  # its fingerprints taken all the same


def _never(*args, **kwargs):
    raise AssertionError("read again, though a snapshot says what it would find")


@pytest.mark.parametrize("command", [["quotes"], ["quotes", "--search", "ceasefire"], ["actors"],
                                     ["proposals"], ["export"], ["check"]])
def test_a_reading_command_runs_without_the_collector_and_puts_it_back(
        capsys, sample_db, monkeypatch, command):
    seen = []
    bundle = Store.bundle

    def watched(self, *args, **kwargs):
        seen.append(gc.isenabled())  # in the command, not only in the store's reading
        return bundle(self, *args, **kwargs)

    monkeypatch.setattr(Store, "bundle", watched)
    assert gc.isenabled()
    code, _, _ = run(capsys, *command, "--db", str(sample_db))
    assert code == 0 and seen and not any(seen)
    assert gc.isenabled()


def test_a_store_reads_its_documents_without_the_collector(sample_db, monkeypatch):
    seen = []
    made = docs.objects_of

    def objects_of(*args, **kwargs):
        seen.append(gc.isenabled())
        return made(*args, **kwargs)

    monkeypatch.setattr("store.db.objects_of", objects_of)
    assert gc.isenabled()
    assert Store.open(sample_db).bundle().statements
    assert seen == [False] and gc.isenabled()
