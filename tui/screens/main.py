"""The main screen: actors, the quote list, the search box and the quote in full.

It wires the widgets together: the actor pane and the search box narrow the
quote list; the list's cursor drives the detail pane. The search runs in an
exclusive thread worker, so a stale search (a key typed since) is dropped.

| Key | Action |
| :- | :- |
| / | Search |
| a | Actors (type to jump) |
| n / N | Next / previous match |
| y | Copy the quote with its citation |
| escape | Clear the search, then the actor filter |
| tab | Next pane |
"""

from __future__ import annotations

from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Footer, Input
from textual.worker import get_current_worker

from store.search import SearchResult
from store.views import QuoteView

from ..corpus import ActorSort, Corpus, Filtered
from ..safe import one_line
from ..widgets.actors_pane import ActorsPane
from ..widgets.quote_detail import QuoteDetail
from ..widgets.quote_list import QuoteList
from ..widgets.search_input import SearchInput
from .curation_keys import CurationScreen

__all__ = ["MainScreen", "citation_text"]


def citation_text(view: QuoteView) -> str:
    """'"text" — Speaker, Outlet, date': what `y` puts on the clipboard."""
    return f"\"{one_line(view.statement.text)}\" — {one_line(view.citation())}"


class MainScreen(CurationScreen):
    """Actors on the left; search, quotes and the selected quote on the right.

    Its editing keys (e, x, u, A, M, p, h) come from `CurationScreen`.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "search", "Search", id="main.search",
                tooltip="Search the quotes (the language is below)"),
        Binding("a", "actors", "Actors", id="main.actors", tooltip="Type a name to jump to it"),
        Binding("n", "next_match", "Next", id="main.next-match", tooltip="Next search match"),
        Binding("N", "previous_match", "Prev", show=False, id="main.previous-match",
                tooltip="Previous search match"),
        Binding("y", "copy", "Copy", id="main.copy",
                tooltip='Copy the quote as "text" — Speaker, Outlet, date'),
        Binding("escape", "clear", "Clear", show=False, id="main.clear",
                tooltip="Clear the search, then the actor filter"),
    ]

    HELP_TITLE = "Main screen"

    def __init__(self, corpus: Corpus, loading: str | None = None) -> None:
        """`loading`: what the first paint says while a worker reads the database (not
        "No quotes yet", which is not so)."""
        super().__init__()
        self.corpus = corpus
        self._first_note = loading
        self.actor_id: str | None = None
        self.result: SearchResult | None = None
        self.query_text = ""
        #: the query whose search runs in a worker, and `n` / `N` pressed meanwhile: a
        #: step through its matches waits for them (`/truce` Enter `n` typed at once)
        self._awaited: str | None = None
        self._steps: list[int] = []
        #: what is still read while the quotes are shown from a snapshot (`store.glimpse`):
        #: said under the list, with the matches (see the app's `_readable`)
        self.reading_note = ""

    def compose(self) -> ComposeResult:
        with Horizontal(id="body"):
            yield ActorsPane(id="actors-pane", leave_to="#quotes",
                             on_chosen=self._actor_chosen)
            with Vertical(id="right"):
                yield SearchInput(id="search", leave_to="#quotes")
                yield QuoteList(id="quotes")
                yield QuoteDetail(id="detail")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#detail", QuoteDetail).border_title = "Quote"
        self.set_corpus(self.corpus)
        if self._first_note is not None:
            self.show_loading(self._first_note)
        self.quote_list.focus()

    def set_corpus(self, corpus: Corpus) -> None:
        """Show (new) data: on start, after an ingest, an edit, or another process's write.

        A filter on an actor that is gone (merged into another) is dropped rather
        than show an empty list.
        """
        self.corpus = corpus
        if self.actor_id is not None and self.actor_id not in corpus.actor_by_id:
            self.actor_id = None
            self.query_one(ActorsPane).set_chosen(None)
        self.query_one(ActorsPane).set_actors(
            {s: corpus.sorted_actors(s) for s in ActorSort}, corpus.counts)
        if self.query_text.strip():  # not yet indexed: searched when it is (set_corpus again)
            self.result = corpus.search(self.query_text) if corpus.index_ready else None
        self._refilter(same_id=True)
        if self.result is not None:
            self._landed(self.query_text)

    def show_loading(self, message: str) -> None:
        """Say what is being read while a large database loads (set_corpus ends it): in
        the empty list, or under the quotes shown while they are indexed."""
        quotes = self.quote_list
        if self.corpus.views and not self.corpus.index_ready:
            waits = " · search waits" if self.query_text.strip() else ""
            quotes.border_subtitle = Content(message + waits)
            return
        if self.reading_note:  # shown and searchable from a snapshot, the file still parsed
            self.reading_note = f"{message} · edits wait"
            self._subtitle()
            return
        quotes.empty_message = message
        quotes.border_title = "Quotes …"
        quotes.refresh()
        if not self.corpus.views:  # nothing read yet: no quote to show, no actors to count
            self.query_one("#detail", QuoteDetail).show(None, empty="")
            self.query_one(ActorsPane).show_waiting()

    def end_loading(self) -> None:
        """What show_loading said is over, nothing read: the list says again what it
        shows (its rows are as they were, or as a search made them meanwhile)."""
        self._label(self.quote_list.rows)

    @property
    def quote_list(self) -> QuoteList:
        return self.query_one("#quotes", QuoteList)

    @property
    def search_box(self) -> SearchInput:
        return self.query_one("#search", SearchInput)

    # -- filtering -------------------------------------------------------------
    def _refilter(self, same_id: bool = False) -> None:
        quotes = self.quote_list
        rows = self.corpus.filtered(self.actor_id, self.result)
        quotes.show_rows(rows, keep=quotes.current, same_id=same_id)
        self._label(rows)

    def _label(self, rows: Filtered) -> None:
        """The list's title and what it says when empty, for the rows it shows."""
        quotes = self.quote_list
        result = rows.result
        if not self.corpus.views:
            quotes.empty_message = "No quotes yet: press i to add an article."
        elif result is not None:
            quotes.empty_message = (f"No quotes match {one_line(self.query_text)!r}"
                                    + (" for this actor." if self.actor_id else "."))
        else:
            quotes.empty_message = "This actor has no quotes."
        total = len(self.corpus.views)
        title = f"Quotes {len(rows.views)}" + (f"/{total}" if len(rows.views) != total else "")
        if self.actor_id:
            title += f" · {one_line(self.corpus.name_of(self.actor_id))}"
        quotes.border_title = Content(title)  # a str would be parsed as markup
        self._subtitle()
        self.search_box.set_class(result is not None and not rows.views, "-no-match")
        if not rows.views:
            self.query_one("#detail", QuoteDetail).show(None, empty=quotes.empty_message)

    def _subtitle(self, position: str = "") -> None:
        notes = []
        result = self.result
        # No quotes (yet: a large database is still being read): no count of matches.
        if self.corpus.views and result is not None and (result.query.words
                                                         or result.query.phrases):
            count = self.quote_list.match_total
            notes.append(position or f"{count} match{'es' if count != 1 else ''}")
            if result.fuzzy:
                notes.append("near matches (no exact match)")
        if result is not None:  # a half-typed filter is ignored, and says why
            notes += [one_line(p) for p in result.query.problems]
        if self.reading_note:
            notes.append(self.reading_note)
        self.quote_list.border_subtitle = Content(" · ".join(notes))

    @on(Input.Changed, "#search")
    def _query_changed(self, event: Input.Changed) -> None:
        self.query_text = event.value
        if not event.value.strip():
            self.workers.cancel_group(self, "search")
            self._show_result(event.value, None)
        else:
            self._awaited = event.value
            self._search(event.value)

    @work(exclusive=True, thread=True, group="search")
    def _search(self, text: str) -> None:
        corpus = self.corpus
        result = corpus.search(text)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show_result, text, result, corpus)

    def _show_result(self, text: str, result: SearchResult | None,
                     corpus: Corpus | None = None) -> None:
        if text != self.query_text:
            return  # a newer query has been typed since: drop this one
        if corpus is not None and corpus is not self.corpus:
            return  # of a corpus since replaced (set_corpus searched the new one)
        self.result = result
        self._refilter()
        self._landed(text)

    def _searching(self) -> bool:
        """Whether the box holds a query whose matches are not shown yet (typed, and the
        screen not told yet; or searched in the worker)."""
        value = self.search_box.value
        return bool(value.strip()) and (value != self.query_text or self._awaited == value)

    def _landed(self, text: str) -> None:
        """`text`'s matches are shown: once those of the box's query are, the steps pressed
        while it was typed and searched are taken."""
        if self._awaited == text:
            self._awaited = None
        if not self._searching():
            steps, self._steps = self._steps, []
            for step in steps:
                self._step(step)

    # Leaving the search box or the actors pane, the keyboard comes back to the list at
    # once, from the box or the pane itself (`leave_to`), and a choice of actor is
    # shown at once: not when a message of it is heard here, after keys typed right
    # after it have been read (`typeahead`).
    def _actor_chosen(self, actor_id: str | None) -> None:
        self.actor_id = actor_id
        self._refilter()

    # -- the quote under the cursor ----------------------------------------------
    @on(QuoteList.Highlighted, "#quotes")
    def _highlighted(self, event: QuoteList.Highlighted) -> None:
        quotes = self.quote_list
        self.query_one("#detail", QuoteDetail).show(event.view, quotes.current_spans,
                                                    quotes.current_match)

    @on(QuoteList.Selected, "#quotes")
    def _selected(self) -> None:
        self.query_one("#detail", QuoteDetail).focus()

    # -- actions -------------------------------------------------------------------
    # Focus is set at once rather than after the next refresh (as `focus()` does): the
    # keys typed right after '/' or 'a' are handed on to the box (`typeahead`).
    def action_search(self) -> None:
        self.set_focus(self.search_box)

    def action_actors(self) -> None:
        self.set_focus(self.query_one(ActorsPane).jump_box)

    def _step(self, step: int) -> None:
        if self._searching():
            self._steps.append(step)  # through the matches of the search still to come
            return
        found = self.quote_list.step_match(step)
        if found is None:
            self.notify("No matches to step through: press / to search.", timeout=3)
            return
        self._subtitle(f"match {found[0]}/{found[1]}")

    def action_next_match(self) -> None:
        self._step(1)

    def action_previous_match(self) -> None:
        self._step(-1)

    def action_copy(self) -> None:
        view = self.quote_list.current
        if view is None:
            self.notify("No quote to copy.", severity="warning", timeout=3)
            return
        text = citation_text(view)
        self.app.copy_to_clipboard(text)
        self.notify(f"Copied: {text[:60]}{'…' if len(text) > 60 else ''}", markup=False,
                    timeout=3)

    def action_clear(self) -> None:
        if self.search_box.value:
            self.search_box.value = ""  # Input.Changed clears the search
        elif self.actor_id is not None:
            self.query_one(ActorsPane).set_chosen(None)

    def choose_actor(self, actor_id: str) -> None:
        """Filter the quotes to one actor (the palette's "Quotes by ...")."""
        pane = self.query_one(ActorsPane)
        pane.actor_list.cursor = next((i for i, a in enumerate(pane.actor_list.actors)
                                       if a.id == actor_id), 0)
        pane.set_chosen(actor_id, done=True)
