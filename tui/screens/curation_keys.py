"""The main screen's curation keys: edit, delete and undo quotes; proposals; history.

A base class of `MainScreen`, kept in its own module so the main screen's
file stays about browsing. Each action opens a dialog (or asks first),
saves through the store's recorded edits, then reloads what is shown,
keeping the cursor on the quote that was edited.

| Key | Action |
| :- | :- |
| e | Edit the quote: speaker, date, issue codes |
| x | Delete the quote (asks first) |
| u | Undo the last change |
| A, f2 | Edit the actor (the one under the cursor in the actors pane, else the speaker) |
| M, f3 | Merge that actor into another |
| p | Proposals: create, edit, delete, terms |
| h | History of changes |
"""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.screen import Screen

from store.models import Actor

from .. import curation
from ..safe import one_line
from .form import ConfirmScreen

__all__ = ["CurationScreen"]


class CurationScreen(Screen[None]):
    """Curation keys for a screen with a `quote_list`, an actors pane and `corpus`."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("e", "edit_quote", "Edit", show=False, id="curate.edit-quote",
                tooltip="Edit the quote's speaker, date and issue codes"),
        Binding("x", "delete_quote", "Delete", show=False, id="curate.delete-quote",
                tooltip="Delete the quote (asks first; u undoes)"),
        Binding("u", "undo", "Undo", show=False, id="curate.undo",
                tooltip="Undo the last change"),
        Binding("A,f2", "edit_actor", "Edit actor", show=False, id="curate.edit-actor",
                tooltip="Edit the actor: name, kind, role, affiliation, aliases"),
        Binding("M,f3", "merge_actor", "Merge actor", show=False, id="curate.merge-actor",
                tooltip="Merge the actor into another (their quotes follow)"),
        Binding("p", "proposals", "Proposals", show=False, id="curate.proposals",
                tooltip="Proposals: create, edit, delete, and their terms"),
        Binding("h", "history", "History", show=False, id="curate.history",
                tooltip="Every change made by hand, who made it and when"),
    ]

    _CURATION_ACTIONS: ClassVar[frozenset[str]] = frozenset(
        b.action for b in BINDINGS if isinstance(b, Binding))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """No edits while a large database is still being read (there is no store yet)."""
        if action in self._CURATION_ACTIONS and getattr(self.app, "_loading", False):
            return False
        return super().check_action(action, parameters)

    # -- quotes ------------------------------------------------------------------
    def _current_quote(self):
        view = self.quote_list.current  # type: ignore[attr-defined]
        if view is None:
            self.notify("No quote selected.", severity="warning", timeout=3)
        return view

    def action_edit_quote(self) -> None:
        from .quote_edit import QuoteEditScreen

        view = self._current_quote()
        if view is None:
            return
        statement = view.statement
        self.app.push_screen(QuoteEditScreen(statement, self.corpus.actors),  # type: ignore
                             lambda saved: self._saved(saved, statement.id, "Quote saved."))

    def action_delete_quote(self) -> None:
        view = self._current_quote()
        if view is None:
            return
        statement = view.statement

        def answered(yes: bool | None) -> None:
            if not yes:
                return
            curation.change(
                self.app, "delete_quote", statement.id,
                done=lambda _record: self._saved(True, None, "Quote deleted: u undoes."),
                failed=lambda e: self.notify(one_line(str(e)), severity="error", markup=False,
                                             timeout=6))

        self.app.push_screen(ConfirmScreen(
            "Delete this quote?", f"“{one_line(statement.text)[:200]}” — "
            f"{one_line(view.speaker)}"), answered)

    def action_undo(self) -> None:
        curation.undo(self.app)

    def _saved(self, saved: bool | None, keep: str | None, message: str) -> None:
        """Reload after a save, with the cursor back on the quote `keep`."""
        if not saved:
            return
        quotes = self.quote_list  # type: ignore[attr-defined]
        position = quotes.cursor

        def shown(_corpus: object) -> None:
            rows = quotes.rows.views
            at = position
            if keep is not None:
                at = next((i for i, v in enumerate(rows) if v.statement.id == keep), position)
            if rows:
                quotes.cursor = min(at, len(rows) - 1)

        curation.reload(self.app, shown)
        self.notify(message, timeout=3)

    # -- actors ------------------------------------------------------------------
    def _current_actor(self) -> Actor | None:
        pane = self.query_one("ActorsPane")
        if pane.has_focus_within:
            actor = pane.actor_list.current  # type: ignore[attr-defined]
        else:
            view = self.quote_list.current  # type: ignore[attr-defined]
            actor = view.actor if view else None
        if actor is None:
            self.notify("No actor selected.", severity="warning", timeout=3)
        return actor

    def action_edit_actor(self) -> None:
        actor = self._current_actor()
        if actor is not None:
            self.edit_actor(actor)

    def edit_actor(self, actor: Actor) -> None:
        """Open the actor form (also the palette's "Edit actor ...")."""
        from .actor_edit import ActorEditScreen

        self.app.push_screen(ActorEditScreen(actor),
                             lambda saved: self._saved(saved, None, "Actor saved."))

    def action_merge_actor(self) -> None:
        from .actor_edit import merge_actor

        actor = self._current_actor()
        if actor is not None:
            merge_actor(self.app, actor, self.corpus.actors,  # type: ignore[attr-defined]
                        lambda: self._saved(True, None, "Actors merged: u undoes."))

    # -- other screens -------------------------------------------------------------
    def action_proposals(self) -> None:
        from .proposals import ProposalsScreen

        self.app.push_screen(ProposalsScreen())

    def action_history(self) -> None:
        from .history import HistoryScreen

        self.app.push_screen(HistoryScreen())
