"""A database read for the first time: its quotes are shown while they are indexed."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from textual.content import Content

from store.search import QuoteSearch
from tests.explorer_support import settle, terminal_env, until
from tui import loading
from tui.app import ExplorerApp
from tui.widgets.quote_list import QuoteList

pytestmark = pytest.mark.usefixtures(terminal_env.__name__)


def _held_index(monkeypatch) -> tuple[threading.Event, threading.Event, list]:
    """A build of the index over the quotes waits for the test to let it go; `builds`
    counts them."""
    started, go, builds = threading.Event(), threading.Event(), []

    class Held(QuoteSearch):
        def __init__(self, views=(), progress=None, segment=None) -> None:
            views = list(views)
            if views and segment is None:
                builds.append((len(views), progress is not None))
                started.set()
                assert go.wait(10)
            super().__init__(views, progress, segment)

    monkeypatch.setattr("tui.corpus.QuoteSearch", Held)
    return started, go, builds


def _held_reading(monkeypatch) -> threading.Event:
    """The quotes, once read, wait for the test before they are ordered and shown."""
    go = threading.Event()
    real = loading.ordered_views

    def held(bundle):
        assert go.wait(10)
        return real(bundle)

    monkeypatch.setattr(loading, "ordered_views", held)
    return go


@pytest.mark.usefixtures("large")
async def test_the_quotes_are_browsed_while_indexed_and_a_search_waits_for_the_index(
        sample_db: Path, monkeypatch):
    started, go, builds = _held_index(monkeypatch)
    read = _held_reading(monkeypatch)
    app = ExplorerApp(path=sample_db)
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            # A search typed before the quotes are read: shown, they are not searched on
            # the screen's thread (it would wait there for the index).
            await pilot.press("slash", *"truce", "enter")
            quotes = app.query_one(QuoteList)
            assert "match" not in str(quotes.border_subtitle)  # not "0 matches": not read
            read.set()
            await until(pilot, started.is_set)
            quotes = app.query_one(QuoteList)
            await until(pilot, lambda: len(quotes.rows.views) == 21)
            assert not app.corpus.index_ready
            assert quotes.border_subtitle == Content("Indexing 21 quotes… · search waits")
            first = quotes.current
            await pilot.press("down")  # the screen answers keys meanwhile
            assert quotes.current is not first
            assert len(quotes.rows.views) == 21  # the search waits for the index
            assert app._loading  # edits wait for the reading's end
            go.set()
            await settle(pilot)
            assert app.corpus.index_ready and app.store is not None and not app._loading
            assert len(quotes.rows.views) == 2
            assert "2 matches" in str(quotes.border_subtitle)
            assert builds == [(21, True)]  # the loader's build, not the search's
    finally:
        go.set()
        read.set()


@pytest.mark.usefixtures("large")
def test_the_corpus_is_shown_before_indexing_only_when_there_is_no_snapshot(sample_db):
    seen = []

    def shown(corpus):  # counted in the loader's thread, not on the screen's first draw
        seen.append((corpus.index_ready, corpus._counts))

    first = loading.load(sample_db, lambda _: None, shown)
    assert seen == [(False, first.corpus.counts)] and first.corpus.index_ready
    first.after_shown()  # keeps a snapshot: the next opening takes its index
    seen.clear()
    again = loading.load(sample_db, lambda _: None, shown)
    assert seen == [] and again.corpus.index_ready


@pytest.mark.usefixtures("large")
async def test_a_search_typed_once_the_quotes_are_shown_waits_for_the_loaders_build(
        sample_db: Path, monkeypatch):
    """Typed between the quotes shown and the loader's build begun, a search does not
    build an index of its own (without the loader's progress): it waits."""
    started, go, builds = _held_index(monkeypatch)
    before, real = threading.Event(), loading.map_large_blocks  # called just before the build
    monkeypatch.setattr(loading, "map_large_blocks", lambda: before.wait(10) and real())
    app = ExplorerApp(path=sample_db)
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            quotes = app.query_one(QuoteList)
            await until(pilot, lambda: len(quotes.rows.views) == 21)
            app.main_screen.search_box.value = "truce"
            await pilot.pause(0.2)
            assert builds == []
            before.set()
            await until(pilot, started.is_set)
            go.set()
            await settle(pilot)
            assert builds == [(21, True)] and len(quotes.rows.views) == 2
    finally:
        before.set()
        go.set()


@pytest.mark.usefixtures("large")
async def test_no_edit_while_the_quotes_are_shown_but_not_yet_indexed(sample_db: Path,
                                                                     monkeypatch):
    """Not from the palette (its "Edit actor" entries are left out), not at all."""
    started, go, _ = _held_index(monkeypatch)
    app = ExplorerApp(path=sample_db)
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await until(pilot, started.is_set)
            await until(pilot, lambda: bool(app.corpus.views))
            assert app.store is None  # opened by path: no store until the reading ends
            refused: list = []
            actor = app.corpus.actors[0]
            app.change_store("edit_actor", (actor.id,), {"name": "X"}, refused.append,
                             refused.append)
            assert [str(e) for e in refused] == [
                "Still reading or saving the database: a moment."]
            from tui.palette import ExplorerCommands
            titles = [t for t, _, _ in ExplorerCommands(app.screen, None)._commands()]
            assert any(t.startswith("Quotes by") for t in titles)
            assert not any(t.startswith("Edit actor") for t in titles)
            go.set()
            await settle(pilot)
            titles = [t for t, _, _ in ExplorerCommands(app.screen, None)._commands()]
            assert any(t.startswith("Edit actor") for t in titles)
    finally:
        go.set()


@pytest.mark.usefixtures("large")
async def test_once_shown_the_loader_keeps_the_pairs_of_common_words(sample_db: Path,
                                                                    monkeypatch):
    """After the load, in its worker (`Corpus.warm_index`): a phrase of two common
    words is then read from the kept pairs, with what the long way finds."""
    monkeypatch.setattr("store.pairs.COMMON", 3)  # "the", "of"... are common in the sample
    app = ExplorerApp(path=sample_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: app.corpus.index_ready and bool(
            app.corpus.index.main_segment._pairs))
        segment = app.corpus.index.main_segment
        assert (segment.term("of"), segment.term("the")) in segment._pairs
        long_way = QuoteSearch(app.corpus.views).search('"of the"')
        app.main_screen.search_box.value = '"of the"'
        await settle(pilot)
        quotes = app.query_one(QuoteList)
        assert len(quotes.rows.views) == long_way.total > 1
