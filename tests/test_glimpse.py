"""A large database read before is shown and searched from its snapshot and its file's
lines (`store.glimpse`) while the file is parsed; then the parsed reading takes over."""

from __future__ import annotations

import contextlib
import threading
from pathlib import Path

import numpy as np
import orjson
import pytest

from bench.corpus import generate
from store import Store, StoreError, storage
from store.glimpse import LINED, LineViews, Picked, glimpse
from store.index import join_words
from store.lines import LineTables
from store.search import QuoteSearch
from store.views import views_in_order
from tests.explorer_support import explorer_on_its_glimpse, settle, terminal_env, until
from tui import loading

QUERIES = ["ceasefire", "of the", '"of the"', "speaker:actor-1", "ceasfire", "iss:Dev",
           "-the", "after:2023-01-01 envoy"]


@pytest.fixture(autouse=True)
def _small_is_large(monkeypatch):
    """1,200 quotes stand for a large archive here, and its file for a large file."""
    monkeypatch.setattr(loading, "SYNC_LIMIT", 1000)
    monkeypatch.setattr(loading, "_GLIMPSE_BYTES", 0)


@pytest.fixture
def archive_db(tmp_path: Path) -> Path:
    path = tmp_path / "archive.json"
    path.write_bytes(storage.dumps(generate(1200, seed=5)))  # in lines, as the store writes
    return path


def _opened_twice(path: Path, shown=None):
    """Open once (a snapshot is kept), then again: what the second opening showed first."""
    first = loading.load(path, lambda _: None)
    first.after_shown()
    seen = []
    again = loading.load(path, lambda _: None, shown=seen.append if shown is None else shown)
    return first.corpus, seen, again


# -- the lines ---------------------------------------------------------------------
def test_the_lines_of_a_file_are_its_documents(archive_db):
    raw = archive_db.read_bytes()
    tables, lines = orjson.loads(raw), LineTables(raw)
    for name, docs in tables.items():
        assert lines.count(name) == len(docs)
        assert [lines.doc(name, k) for k in range(len(docs))] == list(docs.items())
        assert lines.table(name) == docs
    assert lines.count("nothing") == 0 and lines.table("nothing") == {}


def test_an_empty_table_has_no_lines():
    raw = storage.dumps({"actors": {}, "statements": {"st-1": {"x": "a,\\n}"}}})
    lines = LineTables(raw)
    assert lines.count("actors") == 0 and lines.table("actors") == {}
    assert lines.doc("statements", 0) == ("st-1", {"x": "a,\\n}"})


@pytest.mark.parametrize("raw", [
    orjson.dumps({"statements": {"st-1": {}}}),  # one line: TinyDB's own form
    b'{\n"statements":{\n"st-1":{}\n}',  # cut short
    b'{\n"statements":{\n"st-1":{}\n}}trailing',
    b'{\n"statements":{\n"st-1":{}',
])
def test_a_file_not_in_lines_is_refused(raw):
    with pytest.raises(ValueError):
        LineTables(raw)
    assert glimpse(raw, np.arange(1), {t: join_words(["st-1"]) for t in LINED}) is None


def _ids(raw: bytes) -> dict[str, np.ndarray]:
    """What a snapshot keeps of the file: each lined table's ids in order."""
    tables = orjson.loads(raw)
    return {t: join_words(list(tables[t])) for t in LINED}


# -- the views made from them ------------------------------------------------------------
def test_views_made_from_lines_are_the_parsed_files(archive_db):
    store = Store.open(archive_db)
    bundle = store.bundle()
    order = np.random.default_rng(1).permutation(len(bundle.statements))
    raw = archive_db.read_bytes()
    found = glimpse(raw, order, _ids(raw))
    assert found is not None and isinstance(found.views, LineViews)
    parsed = views_in_order(bundle, order)
    assert found.actors == bundle.actors and found.proposals == bundle.proposals
    assert len(found.views) == len(parsed)
    assert list(found.views) == parsed  # statement, speaker and source of each
    assert found.views[5] is found.views[5] and found.views[-1] == parsed[-1]  # made once
    assert found.views[2:4] == parsed[2:4]
    with pytest.raises(IndexError):
        found.views[len(parsed)]
    # A file whose lines are not one per statement of `order` is not glimpsed.
    assert glimpse(raw, order[:-1], _ids(raw)) is None


def test_a_file_whose_documents_are_not_one_a_line_is_not_glimpsed(archive_db):
    """As many lines as statements, yet one document over two lines and two on one:
    still JSON, and the same, but its lines are not its documents."""
    raw = archive_db.read_bytes()
    at = raw.index(b"\n", raw.index(b'\n"statements":{') + 3)
    first = raw.index(b"\n", at + 1)  # the end of the first statement's line
    split = raw.index(b'"text":', first + 1)  # inside the second's
    odd = raw[:first] + raw[first + 1:split] + b"\n" + raw[split:]
    assert orjson.loads(odd) == orjson.loads(raw)
    assert LineTables(odd).count("statements") == LineTables(raw).count("statements")
    assert glimpse(odd, np.arange(1200), _ids(odd)) is None
    archive_db.write_bytes(odd)
    _, seen, again = _opened_twice(archive_db)
    assert seen == [] and again.corpus.index_ready  # parsed first, from the snapshot
    assert glimpse(raw, np.arange(1200), {"statements": _ids(raw)["statements"]}) is None


def test_picked_rows_know_where_a_view_is(archive_db):
    raw = archive_db.read_bytes()
    found = glimpse(raw, np.arange(1200), _ids(raw))
    assert found is not None
    rows = Picked(found.views, np.array([3, 7, 9]))
    assert list(rows) == [found.views[3], found.views[7], found.views[9]]
    assert rows.position(found.views[7]) == 1 and rows[1:] == [found.views[7], found.views[9]]
    assert rows.position(found.views[8]) is None  # made, but not among them
    assert rows.position(Store.open(archive_db).bundle().statements[0]) is None


# -- the loader -----------------------------------------------------------------------
def _rows(corpus, actor, query) -> tuple:
    result = corpus.search(query) if query else None
    rows = corpus.filtered(actor, result)
    return ([v.statement.id for v in rows.views], list(rows.counts), rows.match_count,
            [rows.spans[i] for i in range(min(5, len(rows.views)))])


def test_a_second_opening_is_shown_from_its_snapshot_before_the_file_is_parsed(
        archive_db, monkeypatch):
    parsed_when_shown = []
    real_open = Store.open
    monkeypatch.setattr(Store, "open", classmethod(
        lambda cls, *a, **k: (parsed_when_shown.append(len(seen)), real_open(*a, **k))[1]))
    seen: list = []
    first, _, again = _opened_twice(archive_db, seen.append)
    assert parsed_when_shown == [0, 1]  # the first opening; the second once shown
    (quick,) = seen
    assert isinstance(quick.views, LineViews) and quick.index_ready
    assert quick.counts == first.counts and quick.actors == first.actors
    actor = next(iter(first.counts))
    for query in ["", *QUERIES]:
        for who in (None, actor, "nobody"):
            assert _rows(quick, who, query) == _rows(first, who, query), (who, query)
    # The parsed reading takes over: the same quotes, the snapshot's index.
    assert isinstance(again.corpus.views, list) and again.corpus.views == first.views
    assert again.corpus.index_segment is quick.index_segment


def _as_read_whole(path: Path, monkeypatch):
    """The glimpse the explorer is shown first, and the reading of the whole file with
    no snapshot; the glimpse must show what the reading does."""
    seen: list = []
    again = loading.load(path, lambda _: None, shown=seen.append)
    (quick,) = seen  # searchable at once, and kept until all is read and indexed
    assert isinstance(quick.views, LineViews) and quick.index_ready
    with monkeypatch.context() as m:
        m.setattr(loading.snapshot, "read", lambda database: None)
        m.setattr(loading.snapshot, "save", lambda *a: None)
        fresh = loading.load(path, lambda _: None).corpus
    assert [v.statement.id for v in quick.views] == [v.statement.id for v in fresh.views]
    assert list(quick.views) == fresh.views  # joined to the actors and sources as now
    assert quick.counts == fresh.counts and quick.actors == fresh.actors
    assert again.corpus.views == fresh.views
    return quick, fresh


@pytest.mark.parametrize("change", ["same size", "edited", "removed", "source edited",
                                    "source gone"])
def test_a_file_changed_since_its_snapshot_is_glimpsed_as_read_whole(archive_db, monkeypatch,
                                                                      change):
    """Documents edited or removed (and more added): the statements that stand keep
    their place and their index entry; the changed ones, and those of a source
    changed or gone, are placed and indexed anew."""
    first = loading.load(archive_db, lambda _: None)
    first.after_shown()
    raw = archive_db.read_bytes()
    if change == "same size":  # a word changed for another of the same length
        at = raw.index(b"ceasefire", raw.index(b"\n\"statements\":{"))
        archive_db.write_bytes(raw[:at] + b"Ceasefire" + raw[at + 9:])
    else:
        tables = orjson.loads(raw)
        _appended(tables)
        statements = list(tables["statements"].values())
        if change == "edited":
            statements[600]["context"] = "said at the talks"
            statements[700]["text"] = "A ceasefire of the new kind, said the envoy."
            statements[700]["span"] = [0, len(statements[700]["text"])]
        elif change == "removed":
            for sid in list(tables["statements"])[:40:3]:
                del tables["statements"][sid]
        elif change == "source edited":
            source = next(iter(tables["sources"].values()))
            source["published"] = "2031-01-01"  # its quotes move to the end
        else:
            gone = list(tables["sources"])[7]
            for sid in [k for k, d in tables["statements"].items() if d["source_id"] == gone]:
                del tables["statements"][sid]
            del tables["sources"][gone]
        archive_db.write_bytes(storage.dumps(tables))
    quick, fresh = _as_read_whole(archive_db, monkeypatch)
    for query in ["", "new kind", *QUERIES]:
        for who in (None, next(iter(fresh.counts))):
            assert _rows(quick, who, query) == _rows(fresh, who, query), (who, query)


def test_a_file_whose_earlier_documents_moved_is_read_the_long_way(archive_db):
    loading.load(archive_db, lambda _: None).after_shown()
    tables = orjson.loads(archive_db.read_bytes())
    statements = tables["statements"]
    first = next(iter(statements))
    statements[first] = statements.pop(first)  # the first now last
    archive_db.write_bytes(storage.dumps(tables))
    assert _not_glimpsed(archive_db)


def _appended(tables: dict) -> None:
    """What an ingest does: a source and its quotes added after the others, dated among
    them; an actor's spellings and a new actor."""
    sources, statements, actors = tables["sources"], tables["statements"], tables["actors"]
    some = list(sources.values())[len(sources) // 2]
    sources["src-new"] = dict(some, title="A new article")
    actor = next(iter(actors))
    actors[actor]["aliases"] = [*actors[actor]["aliases"], "Another Spelling"]
    actors["act-new"] = dict(actors[actor], id="act-new", name="Someone New", aliases=[])
    earlier = list(statements.values())
    for k in range(25):
        text = f"Talks of the new kind, number {k}, on the ceasefire."
        statements[f"st-new-{k}"] = dict(earlier[40 * k + 3], text=text, span=[0, len(text)],
                                         source_id="src-new" if k % 2 else
                                         earlier[40 * k + 3]["source_id"],
                                         actor_id="act-new" if k % 5 == 0 else actor)


def test_a_grown_file_is_shown_from_its_snapshot_before_it_is_parsed(archive_db, monkeypatch):
    """An ingest's change: the earlier lines as they were, new ones after them. The
    glimpse is the snapshot's index and order, the new quotes placed among them and
    indexed apart: the rows, counts and searches (but for typos: `store.grown`) of a
    reading of the whole file."""
    loading.load(archive_db, lambda _: None).after_shown()
    tables = orjson.loads(archive_db.read_bytes())
    _appended(tables)
    archive_db.write_bytes(storage.dumps(tables))
    quick, fresh = _as_read_whole(archive_db, monkeypatch)
    assert len(quick.views) == 1225
    for query in ["", "new kind", "speaker:someone", *QUERIES]:
        for who in (None, "act-new", next(iter(fresh.counts))):
            assert _rows(quick, who, query) == _rows(fresh, who, query), (who, query)


def _ingested(tables: dict) -> None:
    """What an ingest and a few edits do: quotes added (dated among the others), one
    dropped, one's words changed."""
    statements = tables["statements"]
    ids = list(statements)
    del statements[ids[3]]
    statements[ids[4]]["text"] = "A ceasefire of the new kind, said the envoy."
    statements[ids[4]]["span"] = [0, len(statements[ids[4]]["text"])]
    for k in range(30):
        statements[f"st-new-{k}"] = dict(statements[ids[40 * k + 7]],
                                         text=f"Talks of the new kind, number {k}.",
                                         span=[0, 20])


def test_after_a_change_the_opening_after_next_is_a_glimpse_again(archive_db, monkeypatch):
    """The opening after a change keeps the index in step (the earlier segment, some
    quotes dead, and the new ones apart); the snapshot it saves is of the two made
    one (`store.merge`), so the next opening is shown before the file is parsed,
    and answers as a reading indexed anew."""
    loading.load(archive_db, lambda _: None).after_shown()
    tables = orjson.loads(archive_db.read_bytes())
    _ingested(tables)
    archive_db.write_bytes(storage.dumps(tables))
    changed = loading.load(archive_db, lambda _: None)
    assert changed.after_shown.func is loading._keep_merged  # kept in step ...
    assert len(changed.corpus.index._parts()) == 2
    changed.after_shown()  # ... and saved made one
    seen: list = []
    again = loading.load(archive_db, lambda _: None, shown=seen.append)
    (quick,) = seen
    assert isinstance(quick.views, LineViews) and len(quick.views) == 1229
    with monkeypatch.context() as m:  # the reading as indexed anew, with no snapshot
        m.setattr(loading.snapshot, "read", lambda database: None)
        m.setattr(loading.snapshot, "save", lambda *a: None)
        fresh = loading.load(archive_db, lambda _: None).corpus
    actor = next(iter(fresh.counts))
    assert quick.counts == fresh.counts
    for query in ["", "new kind", *QUERIES]:
        for who in (None, actor):
            assert _rows(quick, who, query) == _rows(fresh, who, query), (who, query)
        ranked = [(h.view.statement.id, h.score) for h in quick.search(query).top(20)]
        assert ranked == [(h.view.statement.id, h.score) for h in fresh.search(query).top(20)]
    assert again.corpus.index_segment is quick.index_segment


def test_a_file_not_in_lines_is_read_the_long_way(archive_db):
    archive_db.write_bytes(orjson.dumps(orjson.loads(archive_db.read_bytes())))
    _, seen, again = _opened_twice(archive_db)
    assert seen == [] and again.corpus.index_ready  # warm, from the snapshot, parsed


def test_a_small_file_is_not_glimpsed(archive_db, monkeypatch):
    monkeypatch.setattr(loading, "_GLIMPSE_BYTES", archive_db.stat().st_size)
    _, seen, _ = _opened_twice(archive_db)
    assert seen == []


# -- the explorer ---------------------------------------------------------------------
@pytest.mark.usefixtures(terminal_env.__name__)
async def test_the_explorer_searches_a_glimpse_then_the_parsed_reading_keeps_the_row(
        archive_db, monkeypatch):
    first = loading.load(archive_db, lambda _: None)
    first.after_shown()
    async with explorer_on_its_glimpse(archive_db, monkeypatch, 1200) as (app, pilot, quotes, go):
        assert isinstance(app.corpus.views, LineViews) and app._loading
        await pilot.press("slash", *"ceasefire", "enter")
        await until(pilot, lambda: app.main_screen.result is not None)
        await pilot.pause()
        want = _rows(first.corpus, None, "ceasefire")[0]
        assert [v.statement.id for v in quotes.rows.views] == want
        subtitle = str(quotes.border_subtitle)
        assert "matches" in subtitle and "edits wait" in subtitle
        await pilot.press("down", "down")
        chosen = quotes.current
        assert chosen is not None and chosen.statement.id == want[2]
        await pilot.press("e")  # no edit while the file is still read
        assert app.screen is app.main_screen
        go.set()
        await settle(pilot)
        assert not app._loading and isinstance(app.corpus.views, list)
        assert quotes.current is not chosen and quotes.current == chosen  # the same row
        assert "edits wait" not in str(quotes.border_subtitle)


def test_a_snapshots_header_says_what_it_is_good_for(archive_db, monkeypatch):
    from store import snapshot

    assert snapshot.header(archive_db) == {}  # none yet
    loading.load(archive_db, lambda _: None).after_shown()
    head = snapshot.header(archive_db)
    assert (head["size"], head["whole"], head["statements"]) == (
        archive_db.stat().st_size, True, 1200)
    tables = orjson.loads(archive_db.read_bytes())  # a change: the index kept in step
    tables["statements"].pop(next(iter(tables["statements"])))
    archive_db.write_bytes(storage.dumps(tables))
    monkeypatch.setattr(loading, "merged", lambda *a: None)  # and not made whole
    loading.load(archive_db, lambda _: None).after_shown()
    assert snapshot.header(archive_db)["whole"] is False  # not glimpsed: not read for it
    saved = next(snapshot.folder().glob("*.snapshot"))
    saved.write_bytes(b"not a snapshot" + saved.read_bytes())
    assert snapshot.header(archive_db) == {}


@pytest.mark.usefixtures(terminal_env.__name__)
async def test_a_search_of_the_glimpse_answered_after_the_parsed_reading_is_dropped(
        archive_db, monkeypatch):
    loading.load(archive_db, lambda _: None).after_shown()
    release, started, real_search = threading.Event(), threading.Event(), QuoteSearch.search

    def slow(self, query, limit=None):
        if isinstance(self._main.views, LineViews):
            started.set()
            assert release.wait(10)
        return real_search(self, query, limit)

    monkeypatch.setattr(QuoteSearch, "search", slow)
    try:
        async with explorer_on_its_glimpse(archive_db, monkeypatch, 1200) as (app, pilot, _, go):
            await pilot.press("slash", *"peace")
            await until(pilot, started.is_set)
            go.set()
            await until(pilot, lambda: not app._loading)
            release.set()
            await settle(pilot)
            result = app.main_screen.result
            assert result is not None and not any(
                isinstance(m.part.views, LineViews) for m in result._matches)
    finally:
        release.set()


def _not_glimpsed(path: Path) -> bool:
    seen: list = []
    with contextlib.suppress(StoreError):  # what the long way says of a file it refuses
        loading.load(path, lambda _: None, shown=seen.append)
    return all(not isinstance(c.views, LineViews) for c in seen)


def _new_statement(tables: dict, sid: str, **fields) -> None:
    text = fields.pop("text", f"Brand new words {sid} on the ceasefire.")
    tables["statements"][sid] = {**list(tables["statements"].values())[1], "text": text,
                                 "span": [0, len(text)], **fields}


def _grown_to(path: Path, change, replace: tuple[bytes, bytes] = (b"", b"")) -> None:
    """Opened once (a snapshot kept), then grown by `change` (maybe its bytes edited)."""
    loading.load(path, lambda _: None).after_shown()
    tables = orjson.loads(path.read_bytes())
    change(tables)
    raw = storage.dumps(tables)
    path.write_bytes(raw.replace(*replace) if replace[0] else raw)


def test_a_grown_file_of_what_the_store_would_not_write_is_read_the_long_way(archive_db):
    """A dangling reference, an invalid new quote: the parse says what is wrong."""
    _grown_to(archive_db, lambda t: (_new_statement(t, "st-a", actor_id="nobody"),
                                     _new_statement(t, "st-b", span=[9, 3])))
    assert _not_glimpsed(archive_db)


@pytest.mark.parametrize("case", ["an earlier id", "twice among the new", "a source twice",
                                  "an earlier source's id"])
def test_a_grown_file_with_an_id_twice_is_read_the_long_way(archive_db, case):
    """Parsed, a file keeps one document of an id (the later, at the earlier's place);
    its lines hold both."""
    if case == "an earlier id":
        _grown_to(archive_db, lambda t: _new_statement(t, "st-dup"),
                  (b'\n"st-dup":', b'\n"' + _statement_ids(archive_db)[5] + b'":'))
    elif case == "twice among the new":
        _grown_to(archive_db, lambda t: (_new_statement(t, "st-a", text="   "),
                                         _new_statement(t, "st-b")), (b'\n"st-a":', b'\n"st-b":'))
    elif case == "an earlier source's id":  # one no statement names
        tables = orjson.loads(archive_db.read_bytes())
        tables["sources"]["src-lonely"] = next(iter(tables["sources"].values()))
        archive_db.write_bytes(storage.dumps(tables))
        first = b"src-lonely"

        def one_more(tables):
            tables["sources"]["src-new"] = dict(next(iter(tables["sources"].values())),
                                                published="2029-01-01")
            _new_statement(tables, "st-new", source_id="src-lonely")  # which one?

        _grown_to(archive_db, one_more, (b'\n"src-new":', b'\n"' + first + b'":'))
    else:
        def two_sources(tables):
            some = next(iter(tables["sources"].values()))
            tables["sources"]["src-a"] = dict(some, published="2001-01-01")
            tables["sources"]["src-b"] = dict(some, published="2029-01-01")
            _new_statement(tables, "st-new", source_id="src-b")

        _grown_to(archive_db, two_sources, (b'\n"src-a":', b'\n"src-b":'))
    assert _not_glimpsed(archive_db)


def _statement_ids(path: Path) -> list[bytes]:
    return [i.encode() for i in orjson.loads(path.read_bytes())["statements"]]


def test_a_new_source_earlier_statements_named_moves_them(archive_db, monkeypatch):
    """A statement naming a source the file lacked is undated; the source added, it is
    dated and moves: placed anew, as a changed quote is."""
    tables = orjson.loads(archive_db.read_bytes())
    for k, st in enumerate(tables["statements"].values()):
        if k % 50 == 0:
            st["source_id"] = "src-ghost"
    archive_db.write_bytes(storage.dumps(tables))

    def ghost_found(tables):
        tables["sources"]["src-ghost"] = dict(next(iter(tables["sources"].values())),
                                              published="2030-06-01")
        _new_statement(tables, "st-new")

    _grown_to(archive_db, ghost_found)
    quick, fresh = _as_read_whole(archive_db, monkeypatch)
    assert _rows(quick, None, "ceasefire") == _rows(fresh, None, "ceasefire")


@pytest.mark.parametrize("case", ["newer schema", "no schema", "much new"])
def test_a_grown_file_of_another_schema_or_much_grown_is_read_the_long_way(
        archive_db, monkeypatch, case):
    def grow(tables):
        _new_statement(tables, "st-new")
        if case == "newer schema":
            tables["meta"]["schema"]["schema_version"] = 99
        elif case == "no schema":
            del tables["meta"]

    _grown_to(archive_db, grow)
    if case == "much new":
        monkeypatch.setattr("store.grown._MOST_NEW_FLOOR", 0)
        monkeypatch.setattr("store.grown._MOST_NEW", 0)
    assert _not_glimpsed(archive_db)
