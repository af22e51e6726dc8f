"""A large database never read before is indexed from its lines in two processes
(`store.coldindex`), shown and searched so while its file is read and checked; the
reading then takes that index, which is the one a build makes."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import orjson
import pytest

from store import StoreError, storage
from store.coldhelper import Helper, identity
from store.coldindex import cold_index
from store.glimpse import LineViews
from store.lines import LineTables
from tests.coldindex_support import archive, archive_file, first_id, small_is_large
from tests.explorer_support import explorer_on_its_glimpse, settle, terminal_env, until
from tui import loading

QUERIES = ["ceasefire", "of the", '"of the"', "speaker:actor-1", "ceasfire", "iss:Dev",
           "-the", "after:2023-01-01 envoy", "before:2022-06-01 the"]


@pytest.fixture
def fresh_db(tmp_path):
    return archive_file(tmp_path)


@pytest.fixture(autouse=True)
def _small_is_large(monkeypatch):
    """1,200 quotes stand for a large archive here, and its file for a large file; both
    processes read part of it."""
    return small_is_large(monkeypatch)


def _built(path: Path):
    """The long way: parsed, checked, sorted, indexed (no glimpse: nothing is shown)."""
    return loading.load(path, lambda _: None).corpus


def _cold(path: Path):
    raw = path.read_bytes()
    with path.open("rb") as f:
        same_as = identity(f.fileno())
    lines = LineTables(raw)
    return cold_index(raw, lines, Helper(path, same_as)), lines


def test_the_index_made_from_the_lines_is_the_one_a_build_makes(fresh_db, _small_is_large):
    found, lines = _cold(fresh_db)
    assert found is not None
    assert _small_is_large and 1 < _small_is_large[0] * 18 < 18  # both took chunks
    built = _built(fresh_db)
    ids = lines.ids("statements")
    assert [ids[k] for k in found.order.tolist()] == [v.statement.id for v in built.views]
    mine, theirs = found.segment.to_arrays(), built.index_segment.to_arrays()
    assert mine.keys() == theirs.keys()
    for name in theirs:
        assert np.array_equal(mine[name], theirs[name]), name


def test_a_file_rewritten_since_it_was_read_is_not_indexed_by_the_helper(fresh_db):
    raw = fresh_db.read_bytes()
    with fresh_db.open("rb") as f:
        same_as = identity(f.fileno())
    os.utime(fresh_db, ns=(1, 1))  # as another write would leave it
    assert cold_index(raw, LineTables(raw), Helper(fresh_db, same_as)) is None


@pytest.mark.parametrize("change", [
    lambda st, src: st.update(issues="Dev"),  # not a list
    lambda st, src: st.update(said_on="15 June 2024"),  # not a date
    lambda st, src: st.update(text=7),
    lambda st, src: st.pop("span"),
    lambda st, src: src.pop("published"),
])
def test_a_document_not_in_this_programs_form_means_the_long_way(tmp_path, change):
    tables = archive()
    change(next(iter(tables["statements"].values())), next(iter(tables["sources"].values())))
    path = tmp_path / "odd.json"
    path.write_bytes(storage.dumps(tables))
    assert _cold(path)[0] is None


def test_the_explorer_searches_a_new_file_before_it_is_read_and_then_keeps_that_index(
        fresh_db):
    seen = []
    loaded = loading.load(fresh_db, lambda _: None, shown=seen.append)
    assert len(seen) == 1 and seen[0].index_ready  # searchable before the reading
    glimpsed, done = seen[0], loaded.corpus
    assert done is not glimpsed
    assert done.index_segment is glimpsed.index_segment  # the reading took it
    built = _built(fresh_db)
    answered = 0
    for q in QUERIES:
        result = built.search(q)
        expect = [(h.view.statement, h.score) for h in result.hits], result.in_order()
        answered += bool(expect[1][0])
        for corpus in (glimpsed, done):
            got = corpus.search(q)
            assert ([(h.view.statement, h.score) for h in got.hits], got.in_order()) == expect, q
    assert answered >= len(QUERIES) - 2
    loaded.after_shown()  # a snapshot of it is kept: the next opening is a glimpse
    again = []
    loading.load(fresh_db, lambda _: None, shown=again.append)
    assert again and again[0].search("ceasefire").hits


def test_a_new_file_with_an_invalid_quote_is_shown_then_refused(tmp_path):
    tables = archive()
    bad = list(tables["statements"])[5]
    tables["statements"][bad]["text"] = "   "  # blank: the model refuses it
    path = tmp_path / "bad.json"
    path.write_bytes(storage.dumps(tables))
    before = path.read_bytes()
    seen = []
    with pytest.raises(StoreError):
        loading.load(path, lambda _: None, shown=seen.append)
    assert path.read_bytes() == before
    assert len(seen) == 1
    views = seen[0].views
    drawn = [views[i] for i in range(len(views))]  # each checked as drawn; none raises
    assert sum(v.statement.text == "" for v in drawn) == 1


def test_a_file_changed_between_glimpse_and_reading_is_indexed_again(fresh_db, monkeypatch):
    real = loading.Store.open
    changed = archive()
    first = next(iter(changed["statements"].values()))
    first["text"] = "Entirely new words: zyzzyva quokka."
    first["span"] = [first["span"][0], first["span"][0] + len(first["text"])]

    def open_after_a_write(path, *a, **k):
        path.write_bytes(storage.dumps(changed))
        return real(path, *a, **k)

    monkeypatch.setattr(loading.Store, "open", open_after_a_write)
    seen = []
    loaded = loading.load(fresh_db, lambda _: None, shown=seen.append)
    assert seen and not seen[0].search("zyzzyva").hits  # the glimpse was of the old file
    assert loaded.corpus.index_segment is not seen[0].index_segment
    found = loaded.corpus.search("zyzzyva").hits
    assert [h.view.statement.id for h in found] == [first_id(changed)]


def test_the_helper_process_is_gone_once_the_index_is_made(fresh_db):
    with fresh_db.open("rb") as f:
        helper = Helper(fresh_db, identity(f.fileno()))
    fd = helper.claims.fd
    assert helper.result() is not None
    assert helper._proc.returncode is not None
    assert helper.claims.fd == -1
    with pytest.raises(OSError):  # the claims' file closed too
        os.fstat(fd)
    helper.close()  # twice: no harm


def test_a_file_in_tinydbs_own_form_is_read_the_long_way(tmp_path):
    path = tmp_path / "one-line.json"
    path.write_bytes(orjson.dumps(archive()))
    seen = []
    loaded = loading.load(path, lambda _: None, shown=seen.append)
    assert seen and seen[0] is loaded.corpus  # shown once, the reading's own


def test_a_quote_the_reading_cleans_is_indexed_as_cleaned(tmp_path):
    """A control character in a stored quote (written by other code) is stripped by the
    reading: the words are then not those the lines held, and the index is built again."""
    tables = archive()
    first = next(iter(tables["statements"].values()))
    first["text"] = "The zyz\u0007zyva accord. " + first["text"]
    path = tmp_path / "controls.json"
    path.write_bytes(storage.dumps(tables))
    seen = []
    loaded = loading.load(path, lambda _: None, shown=seen.append)
    assert seen and loaded.corpus.index_segment is not seen[0].index_segment
    assert [h.view.statement.id for h in loaded.corpus.search("zyzzyva").hits] == [
        first_id(tables)]


def test_the_list_says_what_is_being_done_before_the_glimpse(fresh_db):
    said: list[str] = []
    seen: list[int] = []
    loading.load(fresh_db, said.append, shown=lambda corpus: seen.append(len(said)))
    before = said[:seen[0]]
    assert "Reading 1,200 quotes' words…" in before
    assert before[-1] == "Indexing 1,200 quotes…"


# -- in the explorer ---------------------------------------------------------------
@pytest.mark.usefixtures(terminal_env.__name__)
async def test_the_explorer_searches_a_new_file_before_reading_it_then_keeps_the_row(
        fresh_db, monkeypatch):
    built = _built(fresh_db)
    want = [h.view.statement.id for h in built.search("ceasefire").hits]
    async with explorer_on_its_glimpse(fresh_db, monkeypatch, 1200, wait=20) as (
            app, pilot, quotes, go):
        assert isinstance(app.corpus.views, LineViews) and app._loading
        await pilot.press("slash", *"ceasefire", "enter")
        await until(pilot, lambda: app.main_screen.result is not None)
        await pilot.pause()
        assert sorted(v.statement.id for v in quotes.rows.views) == sorted(want)
        assert "edits wait" in str(quotes.border_subtitle)
        await pilot.press("down", "down")
        chosen = quotes.current
        assert chosen is not None
        go.set()
        await settle(pilot)
        assert not app._loading and isinstance(app.corpus.views, list)
        assert quotes.current is not chosen and quotes.current == chosen  # the same row


@pytest.mark.usefixtures(terminal_env.__name__)
async def test_the_explorer_draws_an_invalid_quote_of_a_new_file_then_refuses_it(
        tmp_path, monkeypatch):
    tables = archive()
    bad = list(tables["statements"])[3]
    tables["statements"][bad]["text"] = "   "  # blank: the model refuses it
    path = tmp_path / "bad.json"
    path.write_bytes(storage.dumps(tables))
    async with explorer_on_its_glimpse(path, monkeypatch, 1200, wait=20) as (
            app, pilot, _, go):
        for _ in range(40):  # every row on the way drawn, the invalid one among them
            await pilot.press("down")
        await pilot.pause()
        assert app._exception is None and app.return_code is None
        drawn = app.corpus.views._made.values()  # the rows made so far
        assert any(v.statement.id == bad and v.statement.text == "" for v in drawn)
        go.set()
        await until(pilot, lambda: app.return_code is not None)
    assert app.return_code == 2 and bad in (app.error or "")


# -- the chunks shared by the two processes ------------------------------------------
def test_the_two_processes_take_chunks_from_either_end_until_they_meet():
    from store.coldhelper import Claims

    claims = Claims.new()
    try:
        assert claims.taken(10) == 0.0  # unset until someone comes
        back, front = claims.from_back(10, spare=2), claims.from_front(10)
        got_back, got_front = [], []
        for _ in range(10):  # in turn, as two processes at the same pace would
            for took, chunks in ((got_front, front), (got_back, back)):
                k = next(chunks, None)
                if k is not None:
                    took.append(k)
        assert got_front == [0, 1, 2, 3, 4, 5]  # the back stopped with 2 left to the front
        assert got_back == [9, 8, 7, 6]
        assert claims.taken(10) == 1.0
        assert next(claims.from_back(10, spare=0), None) is None  # none left for anyone
    finally:
        claims.close()


_TAKE_FROM_THE_BACK = """
import sys, types
store = types.ModuleType("store"); store.__path__ = [sys.argv[1] + "/store"]
sys.modules["store"] = store
from store.coldhelper import Claims
print(*Claims(int(sys.argv[2])).from_back(int(sys.argv[3]), 1))
"""


def test_two_processes_taking_chunks_at_once_never_take_one_twice():
    """Both at full speed, 100,000 chunks: each is taken by one process exactly."""
    import subprocess
    import sys

    from store.coldhelper import _HERE, Claims

    chunks = 100_000
    claims = Claims.new()
    try:
        child = subprocess.Popen([sys.executable, "-c", _TAKE_FROM_THE_BACK, str(_HERE),
                                  str(claims.fd), str(chunks)], stdout=subprocess.PIPE,
                                 pass_fds=(claims.fd,), text=True)
        mine = list(claims.from_front(chunks))
        theirs = [int(k) for k in child.communicate(timeout=120)[0].split()]
    finally:
        claims.close()
    assert child.returncode == 0
    assert mine and theirs  # (the child starts later; it still takes some)
    assert sorted(mine + theirs) == list(range(chunks))


def test_a_half_read_in_any_order_of_its_chunks_is_in_the_files_order(fresh_db):
    from store.coldhalf import half_of

    raw = fresh_db.read_bytes()
    starts = LineTables(raw).starts("statements")
    ahead = half_of(raw, starts, [2, 3, 4, 5], 100)
    back = half_of(raw, starts, [5, 4, 3, 2], 100)
    assert ahead.lines == back.lines == (200, 600)
    named = [np.array(h.actors)[h.actor].tolist() for h in (ahead, back)]
    assert named[0] == named[1]
    assert [[h.tok.terms[i] for i in h.tok.ids.tolist()] for h in (ahead, back)] \
        == [[ahead.tok.terms[i] for i in ahead.tok.ids.tolist()]] * 2
    assert np.array_equal(ahead.start, back.start) and np.array_equal(ahead.said, back.said)
    with pytest.raises(ValueError, match="gap"):
        half_of(raw, starts, [2, 4], 100)
    assert half_of(raw, starts, [], 100).lines == (1200, 1200)


def test_halves_that_do_not_meet_are_no_index():
    from store.coldindex import _meet

    def half(a, b):
        return type("H", (), {"lines": (a, b)})()

    assert _meet(half(0, 600), half(600, 1200), 1200)
    assert _meet(half(0, 1200), half(1200, 1200), 1200)  # the helper took none
    assert not _meet(half(0, 500), half(600, 1200), 1200)  # a gap
    assert not _meet(half(0, 700), half(600, 1200), 1200)  # read twice
    assert not _meet(half(100, 600), half(600, 1200), 1200)
    assert not _meet(half(0, 600), half(600, 1100), 1200)
    assert not _meet(half(0, 1100), half(1200, 1200), 1200)
    assert _meet(half(1200, 1200), half(0, 1200), 1200)  # this one took none
    assert not _meet(half(1200, 1200), half(100, 1200), 1200)


def test_where_no_lock_can_be_shared_a_new_file_is_read_the_long_way(fresh_db, monkeypatch):
    from store import coldhelper

    monkeypatch.setattr(coldhelper, "AVAILABLE", False)
    seen = []
    loaded = loading.load(fresh_db, lambda _: None, shown=seen.append)
    assert seen and not isinstance(seen[0].views, LineViews)
    assert [v.statement.id for v in loaded.corpus.views] == [
        v.statement.id for v in _built(fresh_db).views]
