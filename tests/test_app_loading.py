"""A large database is read after the explorer paints, in a worker, with progress."""

from __future__ import annotations

from pathlib import Path

import pytest

from store import Store
from store.models import Statement
from tests.explorer_support import settle, terminal_env, until
from tui import loading
from tui.app import ExplorerApp
from tui.widgets.quote_list import QuoteList

pytestmark = pytest.mark.usefixtures(terminal_env.__name__)


async def test_a_path_is_read_in_a_worker_and_the_list_fills_in(sample_db: Path):
    app = ExplorerApp(path=sample_db)
    assert app.corpus.views == []  # nothing read before the first paint
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        quotes = app.query_one(QuoteList)
        assert len(quotes.rows.views) == 21
        assert app.store is not None and app.corpus.index_ready  # indexed in the worker


async def test_the_first_paint_says_the_database_is_opened_not_that_it_is_empty(
        sample_db: Path, monkeypatch):
    """Before the worker has said a word, the screen says the file is being opened: not
    "No quotes yet", which is not so."""
    import threading

    go = threading.Event()
    real = loading.load

    def held(*args, **kwargs):
        go.wait(10)
        return real(*args, **kwargs)

    monkeypatch.setattr("tui.app.load", held)
    app = ExplorerApp(path=sample_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        quotes = app.query_one(QuoteList)
        from tui.widgets.quote_detail import QuoteDetail
        assert quotes.empty_message == "Opening the database…"
        assert "No quotes" not in app.query_one(QuoteDetail).text
        from tui.widgets.actors_pane import ActorsPane
        pane = app.query_one(ActorsPane)
        assert str(pane.border_title) == "Actors …" and pane.actor_list.empty_message == ""
        go.set()
        await settle(pilot)
        assert quotes.row_count == 21 and str(pane.border_title) == "Actors 16"


async def test_a_large_store_says_what_it_is_reading(sample_db: Path, monkeypatch):
    monkeypatch.setattr(loading, "SYNC_LIMIT", 0)
    monkeypatch.setattr(loading, "PROGRESS_EVERY_S", 0)  # every step, not 2 a second
    seen: list[str] = []
    real = loading.load

    def spy(source, progress, **kwargs):
        return real(source, lambda message: (seen.append(message), progress(message)), **kwargs)

    monkeypatch.setattr("tui.app.load", spy)
    app = ExplorerApp(Store.open(sample_db))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        # How far the checking and the indexing are, as they go.
        reading = seen[:seen.index("Indexing 21 quotes…")]
        indexing = seen[len(reading):]
        assert reading[0] == "Reading 21 quotes…" and reading[-1] == "Reading 21 quotes… 100%"
        assert indexing == ["Indexing 21 quotes…", "Indexing 21 quotes… 40%",
                            "Indexing 21 quotes… 50%", "Indexing 21 quotes… 72%",
                            "Indexing 21 quotes… 92%", "Indexing 21 quotes… 100%"]
        assert all(m.startswith("Reading 21 quotes… ") and m.endswith("%") for m in reading[1:])
        assert app.query_one(QuoteList).row_count == 21
        app.main_screen.show_loading("Reading 3 quotes…")
        assert app.query_one(QuoteList).empty_message == "Reading 3 quotes…"


async def test_search_typed_while_loading_is_answered_when_loaded(sample_db: Path):
    app = ExplorerApp(path=sample_db)
    async with app.run_test(size=(80, 24)) as pilot:
        app.main_screen.search_box.value = "truce"
        await settle(pilot)
        assert len(app.query_one(QuoteList).rows.views) == 2


async def test_a_corrupt_file_ends_the_explorer_with_the_reason(tmp_path: Path):
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    app = ExplorerApp(path=bad)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
    assert app.return_code == 2 and app.error


def test_the_store_reads_the_file_again_after_releasing_it(sample_db: Path):
    store = Store.open(sample_db)
    count = store.count(Statement)
    store.release_memory()
    assert store.count(Statement) == count
    victim = store.list(Statement)[0]
    store.delete(Statement, victim.id)
    assert Store.open(sample_db).count(Statement) == count - 1


def test_after_an_ingest_the_index_is_brought_in_step_not_rebuilt(sample):
    from tui.corpus import Corpus

    store = Store.memory()
    last = sample.statements[-1]
    store.add_bundle(sample.model_copy(update={"statements": sample.statements[:-1]}))
    old = Corpus.from_store(store)
    index = old.index
    word = "hostilities"
    assert last.id not in {h.view.statement.id for h in old.search(f'"{last.text}"').hits}
    store.add(last)
    new = Corpus.from_store(store)
    new.adopt_index(old)
    assert new.index is index and len(index) == len(sample.statements)
    assert last.id in {h.view.statement.id for h in new.search(f'"{last.text}"').hits}
    rows = new.filtered(None, new.search(word))
    assert all(v in new.views for v in rows.views)


# -- reading again after a change: a large database in a worker ------------------

def _held_change(monkeypatch):
    """The change to a large database waits in its worker until `go` is set."""
    import threading

    from tui import app as app_module

    go, asked = threading.Event(), []
    real = app_module.change_apart

    def held(path, method, *args, **kwargs):
        asked.append(method)
        assert go.wait(10)
        return real(path, method, *args, **kwargs)

    monkeypatch.setattr(app_module, "change_apart", held)
    return go, asked


async def _quote_form_saved(pilot, date: str | None = None):
    """The current quote's form (e), the date typed in it, saved: the form."""
    from textual.widgets import Input

    from tui.screens.quote_edit import QuoteEditScreen

    await pilot.press("e")
    await settle(pilot)
    form = pilot.app.screen
    assert isinstance(form, QuoteEditScreen)
    if date is not None:
        form.query_one("#date", Input).value = date
    form.action_save()
    return form


async def test_a_change_to_a_large_database_is_made_apart_and_the_screen_stays_live(
        sample_db, large, monkeypatch):
    go, asked = _held_change(monkeypatch)
    app = ExplorerApp(Store.open(sample_db))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        quotes = app.query_one(QuoteList)
        doomed = quotes.current.statement.id
        await pilot.press("x", "y")
        await until(pilot, lambda: asked)
        assert asked == ["delete_quote"] and app._loading and quotes.border_title == "Quotes …"
        assert app.main_screen.check_action("delete_quote", ()) is False  # edits wait
        app.main_screen.search_box.value = "ceasefire"
        await until(pilot, lambda: 0 < quotes.row_count < 21)  # searching answers
        app.main_screen.search_box.value = ""
        await until(pilot, lambda: quotes.row_count == 21)
        assert Store.open(sample_db).find(Statement, doomed) is not None  # not yet made
        go.set()
        await until(pilot, lambda: quotes.row_count == 20 and not app._loading, tries=2000)
        assert Store.open(sample_db).find(Statement, doomed) is None
        assert doomed not in {v.statement.id for v in app.corpus.views}


async def test_a_form_saved_apart_waits_and_a_refusal_keeps_it_open(sample_db, large,
                                                                    monkeypatch):
    from tui.screens.form import ProblemLine

    go, asked = _held_change(monkeypatch)
    before = sample_db.read_bytes()
    app = ExplorerApp(Store.open(sample_db))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        form = await _quote_form_saved(pilot, "2025-13-45")
        await until(pilot, lambda: asked)
        box = form.query_one("#box")
        assert form.saving and box.disabled and box.border_subtitle == "Saving…"
        await pilot.press("escape")  # waits for the answer: not left
        assert app.screen is form
        go.set()
        await until(pilot, lambda: not form.saving, tries=2000)
        assert app.screen is form and not box.disabled and not app._loading
        assert "2025-13-45" in str(form.query_one(ProblemLine).render())
        assert sample_db.read_bytes() == before


async def test_one_change_at_a_time_and_no_palette_while_it_is_made(sample_db, large,
                                                                      monkeypatch):
    go, asked = _held_change(monkeypatch)
    app = ExplorerApp(Store.open(sample_db))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("x", "y")
        await until(pilot, lambda: asked)
        refused: list[str] = []
        app.change_store("undo", (), {}, lambda _: refused.append("done"),
                         lambda e: refused.append(str(e)))
        assert refused == ["Still reading or saving the database: a moment."]
        assert app.check_action("command_palette", ()) is False
        before = app.store
        app.reload_if_changed()  # the child is writing: read it after, not meanwhile
        assert app.store is before and asked == ["delete_quote"]
        go.set()
        await until(pilot, lambda: not app._loading and not app._changing, tries=2000)
        assert app.check_action("command_palette", ()) is not False


async def test_a_screen_opened_over_a_saving_form_is_closed_with_it(sample_db, large,
                                                                    monkeypatch):
    from tui.screens.help import HelpScreen

    go, asked = _held_change(monkeypatch)
    app = ExplorerApp(Store.open(sample_db))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await _quote_form_saved(pilot, "2025-03")
        await until(pilot, lambda: asked)
        app.action_help()
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        go.set()
        await until(pilot, lambda: not app._loading and any(
            str(v.statement.said_on) == "2025-03-01" for v in app.corpus.views), tries=2000)
        assert app.screen_stack == [app.main_screen]  # the form and the help both closed
        assert "Quote saved." in [str(n.message) for n in app._notifications]


async def test_an_unexpected_failure_apart_is_said_and_nothing_waits(sample_db, large,
                                                                     monkeypatch):
    from tui import app as app_module
    from tui.screens.form import ProblemLine

    def broken(path, method, *args, **kwargs):
        raise RuntimeError("no such thing")

    monkeypatch.setattr(app_module, "change_apart", broken)
    app = ExplorerApp(Store.open(sample_db))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        form = await _quote_form_saved(pilot)
        await until(pilot, lambda: not form.saving)
        assert not app._loading and not app._changing and app.screen is form
        assert "the change failed: RuntimeError('no such thing')" in str(
            form.query_one(ProblemLine).render())
        assert app.query_one(QuoteList).border_title.startswith("Quotes 21")


async def test_q_while_a_change_is_made_apart_quits_once_it_is_saved(sample_db, large,
                                                                     monkeypatch):
    go, asked = _held_change(monkeypatch)
    app = ExplorerApp(Store.open(sample_db))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        exits: list[bool] = []
        monkeypatch.setattr(app, "exit", lambda *a, **k: exits.append(True))
        doomed = app.query_one(QuoteList).current.statement.id
        await pilot.press("x", "y")
        await until(pilot, lambda: asked)
        await pilot.press("q")
        assert exits == [] and "Quitting once the change is saved…" in [
            str(n.message) for n in app._notifications]
        go.set()
        await until(pilot, lambda: exits, tries=2000)
        assert Store.open(sample_db).find(Statement, doomed) is None  # saved, then quit


async def test_q_while_a_change_fails_apart_stays_and_says_why(sample_db, large, monkeypatch):
    from tui import app as app_module

    go, asked = _held_change(monkeypatch)
    held = app_module.change_apart

    def refused(path, method, *args, **kwargs):
        return held(path, method, "no-such-quote")

    monkeypatch.setattr(app_module, "change_apart", refused)
    app = ExplorerApp(Store.open(sample_db))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        exits: list[bool] = []
        monkeypatch.setattr(app, "exit", lambda *a, **k: exits.append(True))
        await pilot.press("x", "y")
        await until(pilot, lambda: asked)
        await pilot.press("q")
        go.set()
        await until(pilot, lambda: not app._changing, tries=2000)
        await pilot.pause()
        said = [str(n.message) for n in app._notifications]
        assert exits == [] and "Not quitting: the change was not saved." in said
        assert any("no-such-quote" in m for m in said)  # the refusal itself
        await pilot.press("q")
        assert exits == [True]  # nothing pending: quits at once


async def test_another_process_write_is_read_in_a_worker(sample_db, large):
    app = ExplorerApp(Store.open(sample_db))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        other = Store.open(sample_db)
        other.delete(Statement, other.list(Statement)[0].id)
        app.reload_if_changed()
        await settle(pilot)
        assert app.query_one(QuoteList).row_count == 20
        app.reload_if_changed()  # nothing new: no reading
        assert not app._loading


async def test_a_failed_reading_keeps_what_was_shown_and_says_why(sample_db, large,
                                                                  monkeypatch):
    from store import DatabaseCorrupt

    def broken(store, previous):
        raise DatabaseCorrupt(f"{store.path} is corrupt")

    monkeypatch.setattr("tui.app.reread", broken)
    app = ExplorerApp(Store.open(sample_db))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.reload_corpus()
        await settle(pilot)
        assert app.query_one(QuoteList).row_count == 21 and not app._loading
        app.reload_corpus()  # tried again (the file is looked at every second): said once
        await settle(pilot)
        assert [str(n.message) for n in app._notifications].count(
            f"{app.store.path} is corrupt") == 1


def test_the_loader_maps_large_blocks_before_it_builds_the_index(sample_db: Path, monkeypatch):
    """Else the tokenizer's temporary arrays are left in the heap (store.allocator)."""
    from tui.corpus import Corpus

    steps: list[str] = []
    monkeypatch.setattr(loading, "map_large_blocks", lambda: steps.append("mapped"))
    build = Corpus.build_index
    monkeypatch.setattr(Corpus, "build_index",
                        lambda self, *a, **k: (steps.append("built"), build(self, *a, **k))[1])
    loaded = loading.load(Store.open(sample_db), lambda message: None)
    assert steps == ["mapped", "built"] and loaded.corpus.index_ready


def test_progress_is_said_now_and_then_not_for_every_step(monkeypatch):
    heard: list[str] = []
    monkeypatch.setattr(loading, "PROGRESS_EVERY_S", 3600)
    slow = loading._Throttled(heard.append)
    for pct in range(100):
        slow(f"{pct}%")
    assert heard == []  # each would wait for the screen: none within the interval
    monkeypatch.setattr(loading, "PROGRESS_EVERY_S", 0)
    slow("100%")
    assert heard == ["100%"]


async def test_a_second_opening_starts_from_the_snapshot_of_the_first(sample_db: Path,
                                                                     monkeypatch):
    """The first opening saves a snapshot once the quotes are on screen; the second
    finds it, and shows and searches the same quotes without indexing them again."""
    from store import snapshot

    monkeypatch.setattr(loading, "SYNC_LIMIT", 0)
    seen: list[list[str]] = []
    for _ in range(2):
        app = ExplorerApp(path=sample_db)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await app.workers.wait_for_complete()
            app.main_screen.search_box.value = "truce"
            await settle(pilot)
            seen.append([v.statement.id for v in app.query_one(QuoteList).rows.views])
        if not seen[1:]:
            assert snapshot.find(sample_db, Store.open(sample_db).digest()) is not None
            monkeypatch.setattr("store.index.Segment.__init__", None)  # no build from here
    assert len(seen[0]) == 2 and seen[1] == seen[0]


