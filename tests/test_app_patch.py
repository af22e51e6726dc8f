"""An edit in a large database, made in a process of its own, is applied to what the
explorer shows (store/patch.py) when the file is as the change left it over the
version shown; otherwise the file is read again, in a worker, the screen live."""

from __future__ import annotations

import pytest

from store import Store
from store.models import Actor, Statement
from tests.explorer_support import held_reread, settle, terminal_env, until
from tui import loading
from tui.app import ExplorerApp
from tui.corpus import Corpus
from tui.widgets.quote_list import QuoteList

pytestmark = pytest.mark.usefixtures(terminal_env.__name__)


async def test_after_an_edit_a_large_database_is_read_in_a_worker(sample_db, large,
                                                                   monkeypatch):
    app = ExplorerApp(Store.open(sample_db))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        quotes = app.query_one(QuoteList)
        quotes.cursor = 3
        doomed = quotes.current.statement.id
        handle, index = app.store, app.corpus.index
        go, calls = held_reread(monkeypatch)
        await pilot.press("x", "y")
        await until(pilot, lambda: calls, tries=2000)  # saved by another process (apart)
        # The edit is saved; the reading is under way and the screen is live on the old one.
        assert Store.open(sample_db).find(Statement, doomed) is None
        assert quotes.row_count == 21 and app._loading
        assert app.main_screen.check_action("delete_quote", ()) is False  # edits wait
        app.main_screen.search_box.value = "ceasefire"
        await until(pilot, lambda: 0 < quotes.row_count < 21)  # searching still answers
        app.main_screen.search_box.value = ""
        await until(pilot, lambda: quotes.row_count == 21)
        go.set()
        await settle(pilot)
        assert quotes.row_count == 20 and not app._loading
        assert quotes.cursor == 3  # where it was: `then` ran after the new reading
        # The change applied to what was shown, not the file read again: the same handle.
        assert calls == ["patched"] and app.store is handle and not handle.changed_on_disk()
        assert app.corpus.index is index and doomed not in index  # brought in step
        assert app.corpus.search("ceasefire").total == len(
            [v for v in app.corpus.views if "ceasefire" in v.statement.text.lower()])
        _same_as_read(app.corpus, sample_db)


def _same_as_read(corpus: Corpus, path) -> None:
    """What is shown is what a new reading of the file shows."""
    fresh = Corpus.from_store(Store.open(path))
    assert corpus.views == fresh.views and corpus.actors == fresh.actors
    assert corpus.proposals == fresh.proposals and corpus.counts == fresh.counts
    for q in ("ceasefire", "peace", '"security guarantees"', "speaker:zelensky"):
        assert [h.view for h in corpus.search(q).hits] == [h.view for h in fresh.search(q).hits]


async def test_after_an_edit_over_another_process_s_write_the_file_is_read_again(
        sample_db, large, monkeypatch):
    """The change apart was made to a file another process had changed since it was shown:
    it cannot be applied to what is shown, and the whole file is read."""
    from tui import app as app_module

    real = app_module.change_apart

    def after_another(path, method, *args, **kwargs):
        other = Store.open(path)
        other.add(Actor(id="actor-new", name="A new envoy"))
        return real(path, method, *args, **kwargs)

    monkeypatch.setattr(app_module, "change_apart", after_another)
    app = ExplorerApp(Store.open(sample_db))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        handle = app.store
        go, calls = held_reread(monkeypatch)
        go.set()
        await pilot.press("x", "y")
        await until(pilot, lambda: calls and not app._loading, tries=2000)
        await settle(pilot)
        assert calls == ["patched"] and app.store is not handle  # which read the file
        assert "actor-new" in {a.id for a in app.corpus.actors}
        _same_as_read(app.corpus, sample_db)


async def test_a_change_taken_as_ours_is_shown_though_no_screen_asks(sample_db, large):
    """Every screen reads again after its change; should one not, the change taken as
    the explorer's own (the file not to be read for it) is shown at the next look at
    the file all the same."""
    from store.apart import change_apart

    app = ExplorerApp(Store.open(sample_db))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        doomed = app.corpus.views[0].statement.id
        changed = change_apart(sample_db, "delete_quote", doomed)
        app._change_ended(lambda record: None, changed, True)  # and no reload asked
        assert app._patch is not None
        await until(pilot, lambda: doomed not in {v.statement.id for v in app.corpus.views},
                     tries=400)
        _same_as_read(app.corpus, sample_db)


async def test_the_forms_sources_come_from_the_reading_not_the_file(sample_db, large,
                                                                     monkeypatch):
    """At 1,000,000 quotes, reading every source from the file again is a parse of the
    whole file on the screen's event loop, each time a term form opens."""
    from store.models import Source
    from tui import curation

    every = Store.open(sample_db).list(Source)
    app = ExplorerApp(Store.open(sample_db))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        monkeypatch.setattr(Store, "list", lambda *a: pytest.fail("the file read again"))
        assert curation.sources(app) == every


def _ids(corpus: Corpus) -> set[str]:
    return {v.statement.id for v in corpus.views}


async def test_a_change_over_another_write_read_through_the_handle_reads_the_file(
        sample_db, large):
    """Another process writes, and the explorer reads the file through its handle (the
    history screen, say) without showing that: an edit then must not be applied to
    what is shown, which lacks the other write; the file is read again."""
    from store import Editor

    app = ExplorerApp(Store.open(sample_db))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        theirs = app.corpus.views[5].statement.id
        Editor(Store.open(sample_db)).delete_quote(theirs)  # another process
        app.store.history()  # read through the explorer's handle
        await pilot.press("x", "y")  # delete the current quote
        await until(pilot, lambda: not app._loading and not app._changing
                     and app._patch is None and theirs not in _ids(app.corpus), tries=2000)
        _same_as_read(app.corpus, sample_db)


async def test_a_failed_reading_after_a_change_is_tried_again(sample_db, large, monkeypatch):
    """The change could not be applied to what is shown, and reading the file failed once:
    the next look at the file reads it again (the change is not taken as read)."""
    from store.errors import DatabaseUnreadable
    from tui import app as app_module

    monkeypatch.setattr(Corpus, "patched", lambda self, changes: None)  # cannot be told
    real, failed = app_module.reread, []

    def once(store, previous):
        if not failed:
            failed.append(1)
            raise DatabaseUnreadable("cannot read it: too many open files")
        return real(store, previous)

    monkeypatch.setattr(loading, "reread", once)
    app = ExplorerApp(Store.open(sample_db))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        doomed = app.query_one(QuoteList).current.statement.id
        await pilot.press("x", "y")
        await until(pilot, lambda: failed and doomed not in _ids(app.corpus), tries=600)
        _same_as_read(app.corpus, sample_db)


async def test_two_changes_not_yet_shown_are_both_shown(sample_db, large):
    """The second change wrote over the first's version, not the one shown: the file is
    read, and neither is lost."""
    from store.apart import change_apart

    app = ExplorerApp(Store.open(sample_db))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        a, b = (app.corpus.views[i].statement.id for i in (0, 1))
        app._change_ended(lambda r: None, change_apart(sample_db, "delete_quote", a), True)
        app._change_ended(lambda r: None, change_apart(sample_db, "delete_quote", b), True)
        await until(pilot, lambda: not ({a, b} & _ids(app.corpus)), tries=600)
        _same_as_read(app.corpus, sample_db)
