"""The search box above the quote list.

Typing narrows the list (the screen runs the search in a worker). Enter or
Esc leaves the box with the filter kept; Esc in the list then clears it.

| Key | Action |
| :- | :- |
| enter, escape, down | Back to the quote list, search kept |
"""

from __future__ import annotations

from typing import ClassVar

from textual import events
from textual.binding import Binding, BindingType

from .plain_input import PlainInput
from .typeahead import hand_keyboard_to

__all__ = ["SearchInput"]

PLACEHOLDER = '/ search: words "a phrase" -word speaker:NAME issue:CODE after:/before:DATE'


class SearchInput(PlainInput):
    """An Input that hands the keyboard back to the list when the user is done."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "done", "Back to list", id="search.done",
                tooltip="Leave the search box; the search stays"),
        Binding("down", "done", "Back to list", show=False, id="search.down"),
        # The query language gives '?' no meaning: it stays the help key here.
        Binding("question_mark", "app.help", "Help", show=False, id="search.help"),
    ]

    DEFAULT_CSS = """
    SearchInput {
        border: none; height: 1; padding: 0 1;
        background: $boost;
        &:focus { border: none; background: $surface-lighten-1; }
        &.-no-match { color: $text-error; }
    }
    """

    HELP_TITLE = "Search box"

    def __init__(self, *, id: str | None = None, leave_to: str | None = None) -> None:
        """`leave_to`: the widget (a selector on the screen) the keyboard goes back to."""
        super().__init__(placeholder=PLACEHOLDER, id=id, select_on_focus=False)
        self._leave_to = leave_to

    async def _on_key(self, event: events.Key) -> None:
        if event.key == "question_mark":
            event.prevent_default()  # not typed: the help binding takes it

    def action_done(self) -> None:
        self._leave()

    async def action_submit(self) -> None:
        await super().action_submit()
        self._leave()

    def _leave(self) -> None:
        """Hand the keyboard back now, not when the screen hears of it: a key typed right
        after Enter ('n', the next match) is then the list's (`typeahead`)."""
        hand_keyboard_to(self, self._leave_to)
