"""The explorer: the Textual app `peace-tui` opens.

The App is thin on purpose: it reads the database once into a `Corpus`
(a large one in a worker, after the first paint: `tui/loading.py`), picks a
theme the terminal can show, and switches screens. Behaviour lives
in the screens (`tui/screens/`) and widgets (`tui/widgets/`).

| Key | Action |
| :- | :- |
| / | Search (from any screen) |
| a | Actors |
| d | Terms diff (again: back) |
| i | Ingest an article (review before saving) |
| ? | Keys of the focused pane |
| y | Copy the selected quote with its citation |
| ctrl+p | Command palette |
| q | Quit |
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar

from textual import work
from textual.app import App
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.worker import get_current_worker

from store import DatabaseMissing, Editor, Store, StoreError, WriteFailed
from store.allocator import keep_for_reuse
from store.apart import change_apart
from store.history import ChangeRecord, DocChange
from store.search import SyncPlan

from .corpus import Corpus
from .loading import SYNC_LIMIT, Early, is_small, load, patched, reread
from .palette import ExplorerCommands
from .safe import one_line
from .screens.diff import DiffScreen
from .screens.help import HelpScreen, help_content
from .screens.ingest import IngestScreen
from .screens.main import MainScreen

__all__ = ["ExplorerApp", "run_app"]

#: a change made apart, not shown yet: its record's changes, and (the version of the
#: file it wrote over, the version it wrote)
Pending = tuple[list[DocChange], tuple[Any, Any]]


def _record_of(answer: Any) -> ChangeRecord | None:
    """The change record an Editor method returned (save_proposal: with the proposal)."""
    if isinstance(answer, tuple):
        return next((a for a in answer if isinstance(a, ChangeRecord)), None)
    return answer if isinstance(answer, ChangeRecord) else None


#: How often the explorer checks whether another process wrote the database.
DISK_CHECK_S = 1.0


class ExplorerApp(App[None]):
    """peace-tui's main window."""

    TITLE = "peace-tui"
    CSS_PATH = "app.tcss"
    COMMANDS = App.COMMANDS | {ExplorerCommands}
    HORIZONTAL_BREAKPOINTS: ClassVar[list[tuple[int, str]]] = [(0, "-narrow"), (100, "-wide")]

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit", "Quit", id="app.quit"),
        Binding("question_mark,f1", "help", "Help", id="app.help",
                tooltip="Keys of the focused pane"),
        Binding("d", "diff", "Diff", id="app.diff", tooltip="Compare two proposals' terms"),
        Binding("i", "ingest", "Ingest", id="app.ingest", show=False,
                tooltip="Add an article: extract its quotes, review, save"),
        # From another screen, these go back to the quotes first.
        Binding("slash", "on_main('search')", "Search", show=False, id="app.search"),
        Binding("a", "on_main('actors')", "Actors", show=False, id="app.actors"),
    ]

    def __init__(self, store: Store | None = None, path: Path | None = None,
                 early: Early | None = None) -> None:
        """Open on a store, or on a database file read after the first paint.

        A small store is read at once; a large one, or a path, in a worker.
        `early`: the path's first opening, begun before the explorer was imported
        (`loading.start_early`).
        """
        super().__init__()
        self.store = store
        self._path = path
        self._early = early
        self.error: str | None = None  # why the database could not be read
        self._loading = store is None or not is_small(store)
        self._changing = False  # a change is being made apart (change_store)
        self._quit_when_saved = False  # q was pressed meanwhile (action_quit)
        #: a change made apart, to be applied to what is shown by the next reload: its
        #: record's changes, and which version of the file it changed into which
        self._patch: Pending | None = None
        self.corpus = Corpus([], [], []) if self._loading else Corpus.from_store(store)
        #: the version of the file (`Store.version`) of the reading shown
        self._shown = None if self._loading or store is None else store.version()
        self.main_screen = MainScreen(self.corpus,
                                      "Opening the database…" if self._loading else None)
        self._disk_problem: str | None = None

    def on_unmount(self) -> None:
        if self._early is not None:  # quit before the load began: not left working
            self._early.close()
            self._early = None

    def get_default_screen(self) -> Screen:
        return self.main_screen

    def on_mount(self) -> None:
        if _sixteen_colours(self.console.color_system):
            self.theme = "ansi-dark"
        if self.no_color:
            self.add_class("-no-color")
        self.set_interval(DISK_CHECK_S, self.reload_if_changed)
        if self._loading:
            self.call_after_refresh(self._start_loading)

    def _start_loading(self) -> None:
        self._load()  # (the screen says "Opening the database…" from its first paint)

    @work(thread=True, exclusive=True, group="load", exit_on_error=False)
    def _load(self) -> None:
        source = self.store if self.store is not None else self._path
        assert source is not None

        def progress(message: str) -> None:
            self.call_from_thread(self.main_screen.show_loading, message)

        early, self._early = self._early, None
        try:
            loaded = load(source, progress,
                          shown=lambda corpus: self.call_from_thread(self._readable, corpus),
                          early=early)
        except StoreError as e:
            self.call_from_thread(self._failed, str(e))
            return
        except Exception as e:  # said in one line, not a loading screen for ever
            self.call_from_thread(self._failed, f"could not read the database: {e!r}")
            return
        self.call_from_thread(self._loaded, loaded.store, loaded.corpus)
        if loaded.after_shown is not None:
            # Freeing the parsed file, saving a snapshot: the explorer is in use
            # meanwhile, and a cache that cannot be made is no error.
            with contextlib.suppress(Exception):
                loaded.after_shown()
        # Then what phrases of very common words read (a large database's, in use
        # meanwhile); a phrase asked before is found the long way. Its temporary
        # arrays given back, as the load's were (before `keep_for_reuse`).
        with contextlib.suppress(MemoryError):
            loaded.corpus.warm_index()
        # From now on a search's temporary arrays reuse heap memory (store.allocator);
        # not during the load, whose large blocks are better given back when freed
        # (keeping them cost 45 MB at 100,000 quotes).
        keep_for_reuse()

    def _readable(self, corpus: Corpus) -> None:
        """The quotes, read and checked, shown while they are indexed (a database read
        for the first time): they can be browsed; a search waits for the index,
        and edits for the reading to end (`_loaded`). Or the quotes of a database
        read before, shown and searchable from its snapshot (`store.glimpse`) while
        the file is parsed."""
        self.corpus = corpus
        # Searchable: the loader says how far it is under the list, with the matches.
        self.main_screen.reading_note = "Reading the file… · edits wait" \
            if corpus.index_ready else ""
        self.main_screen.set_corpus(corpus)

    def _loaded(self, store: Store, corpus: Corpus) -> None:
        # The worker waits for this: nothing has read through the store since its reading.
        self.store, self.corpus, self._loading = store, corpus, False
        self._shown = store.version()
        self.main_screen.reading_note = ""
        self.main_screen.set_corpus(corpus)

    def _failed(self, message: str) -> None:
        self.error = message
        self.exit(return_code=2)

    # -- other processes -------------------------------------------------------
    def reload_if_changed(self) -> None:
        """Show what another process (an ingest, an import) wrote to the file.

        A stat() a second: the store compares the file's inode, size and
        mtime with the version it last read. A file that became unreadable
        is reported once, and the explorer keeps showing what it had.
        Not once the app is shutting down: its timer may still tick while the
        screens are taken apart (a save that failed just before quitting leaves
        the file to be read again).
        """
        if not self.is_running:
            return
        if self._loading or self._changing or self.store is None:
            return  # the worker is reading it, or a change to it is being made
        if self._patch is not None:  # a change made apart that no screen has shown yet
            self.reload_corpus()
            return
        try:
            if not self.store.changed_on_disk():
                return
            path = self.store.path
            if path is not None and not path.exists():  # else it would read as empty
                raise DatabaseMissing(f"{path} was moved or deleted; showing what was read")
            self.reload_corpus()
        except StoreError as e:
            self._say_disk_problem(str(e))

    def _say_disk_problem(self, message: str) -> None:
        """Once per problem: the file is looked at every second (`_reloaded` forgets it)."""
        message = one_line(message)
        if message != self._disk_problem:
            self._disk_problem = message
            self.notify(message, severity="error", markup=False, timeout=8)

    def reload_corpus(self, then: Callable[[Corpus], None] | None = None) -> None:
        """Read the store again and show it, the search index brought in step (only what
        changed is indexed again): after an ingest, an edit, or another process's write.
        `then` runs once the new reading is on screen.

        A small database is read here and now. A large one takes seconds (100,000
        quotes: checking every document, comparing every quote with the index), so
        it is read in a worker through a second handle on the file, while the
        screen stays live on what it showed; edits wait, as while loading.
        """
        if self.store is None:
            return
        pending, self._patch = self._patch, None
        if self.store.path is None or len(self.corpus.views) <= SYNC_LIMIT:
            self._reloaded(self.store, Corpus.from_store(self.store), None, then)
            return
        self._loading = True
        self.main_screen.show_loading("Reading the changes…")
        self._reread(self.store, self.corpus, then, pending, self._shown)

    @work(thread=True, exclusive=True, group="load", exit_on_error=False)
    def _reread(self, store: Store, previous: Corpus, then: Callable[[Corpus], None] | None,
                pending: Pending | None = None, shown: object = None) -> None:
        """Read the file again; or, for a change of the explorer's own, apply it to what
        is shown (`loading.patched`)."""
        try:
            fresh, corpus, plan = (reread(store, previous) if pending is None
                                   else patched(store, previous, *pending, shown))
        except StoreError as e:
            self.call_from_thread(self._reread_failed, str(e))
            return
        except Exception as e:  # said in one line, not "Reading the changes…" for ever
            self.call_from_thread(self._reread_failed, f"could not read the database: {e!r}")
            return
        if not get_current_worker().is_cancelled:  # else a newer reading is on its way
            self.call_from_thread(self._reloaded, fresh, corpus, plan, then)

    def _reloaded(self, store: Store, corpus: Corpus, plan: SyncPlan | None,
                  then: Callable[[Corpus], None] | None) -> None:
        corpus.adopt_index(self.corpus, plan)
        self.store, self.corpus, self._loading = store, corpus, False
        self._shown = store.version()  # a new handle's one reading, or the change adopted
        self._disk_problem = None
        self.main_screen.set_corpus(corpus)
        if then is not None:
            then(corpus)

    def _reread_failed(self, message: str) -> None:
        """The file could not be read again: keep showing what was read, say why once."""
        self._loading = False
        self.main_screen.set_corpus(self.corpus)
        self._say_disk_problem(message)

    # -- changes ---------------------------------------------------------------
    def change_store(self, method: str, args: tuple, kwargs: dict,
                     done: Callable[[Any], None], failed: Callable[[StoreError], None]) -> None:
        """Make a recorded change (an `Editor` method); `done(its result)` or
        `failed(the StoreError)` follows on the event loop.

        A small database is changed here and now. A large one is changed in a
        process of its own (`store.apart`): the file is parsed and written whole
        (100,000 quotes: 0.7 s; 1,000,000: 12 s) and the screen stays live
        meanwhile; other edits wait, as while reading.
        """
        if self._loading or self._changing or self.store is None:  # one change at a time
            failed(StoreError("Still reading or saving the database: a moment."))
            return
        if self.store.path is None or len(self.corpus.views) <= SYNC_LIMIT:
            try:
                result = getattr(Editor(self.store), method)(*args, **kwargs)
            except StoreError as e:
                failed(e)
                return
            done(result)
            return
        self._loading = self._changing = True
        self.main_screen.show_loading("Saving the change…")
        self._change_apart(self.store.path, method, args, kwargs, done, failed)

    @work(thread=True, group="change", exit_on_error=False)
    def _change_apart(self, path: Path, method: str, args: tuple, kwargs: dict,
                      done: Callable[[Any], None],
                      failed: Callable[[StoreError], None]) -> None:
        try:
            result: Any = change_apart(path, method, *args, **kwargs)
        except StoreError as e:
            self.call_from_thread(self._change_ended, failed, e, False)
            return
        except Exception as e:  # anything else: said, and the screen not left waiting
            self.call_from_thread(self._change_ended, failed,
                                  WriteFailed(f"the change failed: {e!r}"), False)
            return
        self.call_from_thread(self._change_ended, done, result, True)

    def _change_ended(self, then: Callable[[Any], None], answer: Any, saved: bool) -> None:
        """Edits may go on; the list says what it shows again, unless `then` (a
        successful change) reads the database again and says so. If q was pressed
        meanwhile: quit now that the change is saved, or stay and say why not."""
        self._loading = self._changing = False
        if saved:
            changed, answer = answer, answer.value
            # Its record, for the reload that follows to apply to what is shown (if the
            # file is still as the change left it, over the version shown: `patched`).
            record = _record_of(answer)
            if record is not None and changed.written is not None:
                self._patch = (list(record.changes), changed.written)
        if self._quit_when_saved:
            self._quit_when_saved = False
            if saved:
                self.exit()
                return
            self.notify("Not quitting: the change was not saved.", severity="warning",
                        timeout=8)
        self.main_screen.end_loading()
        then(answer)

    async def action_quit(self) -> None:
        """Quit; while a change is being made apart, once it is saved. Quitting at once
        would leave the terminal waiting, blank, for the other process to finish
        writing the file (seconds at 1,000,000 quotes)."""
        if self._changing:
            self._quit_when_saved = True
            self.notify("Quitting once the change is saved…", timeout=30)
            return
        self.exit()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """No command palette while a change is being made apart: a form below it waits
        for the answer, and the palette's commands may leave that form."""
        if action == "command_palette" and self._changing:
            return False
        return super().check_action(action, parameters)

    # -- actions ---------------------------------------------------------------
    def action_diff(self) -> None:
        if self._loading:
            self.notify("Still reading the database: a moment.", timeout=3)
        elif isinstance(self.screen, DiffScreen):
            self.pop_screen()
        elif self.screen is self.main_screen:
            self.push_screen(DiffScreen(self.corpus))

    def action_ingest(self) -> None:
        if self._loading:
            self.notify("Still reading the database: a moment.", timeout=3)
        elif self.screen is self.main_screen:
            self.push_screen(IngestScreen(self.corpus.actors), self._ingested)

    def _ingested(self, saved: bool | None) -> None:
        if saved:
            self.reload_corpus()

    def action_help(self) -> None:
        if isinstance(self.screen, HelpScreen):
            self.pop_screen()
            return
        screen = self.screen
        focused = screen.focused
        pane = getattr(focused, "HELP_TITLE", None) or getattr(screen, "HELP_TITLE", "")
        content = help_content(screen, search_language=screen is self.main_screen)
        self.push_screen(HelpScreen(content, pane or "keys"))

    async def action_on_main(self, action: str) -> None:
        while self.screen is not self.main_screen and len(self.screen_stack) > 1:
            self.pop_screen()
        await self.main_screen.run_action(action)


def _sixteen_colours(detected: str | None) -> bool:
    """A 16-colour terminal (or TEXTUAL_COLOR_SYSTEM=standard) gets the ANSI theme."""
    forced = os.environ.get("TEXTUAL_COLOR_SYSTEM", "").lower()
    return forced == "standard" or (forced in ("", "auto") and detected in ("standard",
                                                                             "windows"))


#: A database file up to this size is read (and refused, if broken) before the screen opens:
#: a fraction of a second, and a bad file is one line on the terminal, not a flash of the
#: explorer. A larger one is read after the first paint.
READ_FIRST_BYTES = 8 * 2**20


def run_app(path: Path, early: Early | None = None) -> int:
    """The explorer on a database file; a large one is read after the first paint
    (its first opening maybe begun already: `early`)."""
    try:
        small = path.is_dir() or path.stat().st_size <= READ_FIRST_BYTES
    except OSError:
        small = True  # Store.open says what is wrong with it
    app = ExplorerApp(Store.open(path)) if small else ExplorerApp(path=path, early=early)
    app.run()
    if app.error is not None:
        sys.stderr.write(f"peace-tui: error: {one_line(app.error)}\n")
        return 2
    return app.return_code or 0
