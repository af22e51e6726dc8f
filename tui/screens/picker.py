"""Pick one of many by typing a few letters: actors, issue codes, sources.

The taxonomy has over a hundred issue codes and a database may hold
hundreds of actors, so a list you scroll is too slow. The picker narrows as
you type: every word typed must start a word of the entry, or begin with
one ("borders" finds "Border delimitation"), or be part of its code or
id, so "sec gua" finds `SsrGua Security guarantees`. Up and Down move
in the list without leaving the box; Enter picks. When new entries are
allowed (a speaker not in the database yet), the last row offers to
create one with the name typed.

| Key | Action |
| :- | :- |
| letters | Narrow the list |
| up / down, pageup / pagedown | Move in the list |
| enter | Pick the highlighted entry |
| escape | Cancel |
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option

from store.query import fold

from ..safe import one_line
from ..widgets.plain_input import PlainInput
from .form import FormScreen

__all__ = ["Choice", "Picked", "PickerScreen", "narrow"]

_NEW = "\x00new"


@dataclass(frozen=True, slots=True)
class Choice:
    """One entry: what is returned (`value`) and what is shown and matched (`label`)."""

    value: str
    label: str


@dataclass(frozen=True, slots=True)
class Picked:
    """The picker's result: an existing entry's value, or (new=True) a name typed in."""

    value: str
    new: bool = False


def narrow(choices: list[Choice], typed: str) -> list[Choice]:
    """Entries matching every typed word, those whose label starts with it first."""
    words = fold(typed).split()
    if not words:
        return list(choices)
    hits = []
    for choice in choices:
        label = fold(choice.label)
        tokens = label.replace("-", " ").replace("/", " ").replace("(", " ").split()
        value = fold(choice.value)
        if all(any(_matches(t, w) for t in tokens) or w in value for w in words):
            hits.append((not label.startswith(words[0]), choice))
    hits.sort(key=lambda h: h[0])
    return [c for _, c in hits]


def _matches(token: str, word: str) -> bool:
    """'sanc' finds 'sanctions'; 'borders' finds 'border' (a word may run past the stem)."""
    return token.startswith(word) or (len(token) >= 4 and word.startswith(token))


class PickerScreen(FormScreen[Picked]):
    """A filter box over a list; the result is a `Picked`, or None when cancelled."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "move('up')", "Up", show=False, id="picker.up"),
        Binding("down", "move('down')", "Down", show=False, id="picker.down"),
        Binding("pageup", "move('page_up')", "Page up", show=False, id="picker.page-up"),
        Binding("pagedown", "move('page_down')", "Page down", show=False,
                id="picker.page-down"),
    ]

    DEFAULT_CSS = """
    PickerScreen #choices { height: 12; border: none; padding: 0; }
    """

    def __init__(self, title: str, choices: list[Choice], *, current: str | None = None,
                 new_label: str | None = None) -> None:
        super().__init__()
        self.title_text = title
        self.choices = choices
        self.current = current
        self.new_label = new_label  # e.g. "New actor", or None: no new entries
        self.shown: list[Choice] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="box"):
            yield PlainInput(placeholder="type to narrow the list; Enter picks", id="filter",
                        compact=True)
            yield OptionList(id="choices", markup=False, compact=True)

    def on_mount(self) -> None:
        box = self.query_one("#box")
        box.border_title = Content(one_line(self.title_text))
        box.border_subtitle = "↑↓ move · Enter pick · Esc cancel"
        self._show("")
        if self.current is not None:
            at = next((i for i, c in enumerate(self.shown) if c.value == self.current), None)
            if at is not None:
                self.query_one(OptionList).highlighted = at
        self.query_one("#filter", Input).focus()

    def _show(self, typed: str) -> None:
        self.shown = narrow(self.choices, typed)
        options = [Option(Content(one_line(c.label)), id=str(i))
                   for i, c in enumerate(self.shown)]
        if self.new_label and typed.strip():
            options.append(Option(Content(f"+ {self.new_label}: {one_line(typed)}"), id=_NEW))
        option_list = self.query_one(OptionList)
        option_list.set_options(options)
        option_list.highlighted = 0 if options else None

    @on(Input.Changed, "#filter")
    def _typed(self, event: Input.Changed) -> None:
        self._show(event.value)

    def action_move(self, how: str) -> None:
        getattr(self.query_one(OptionList), f"action_{'cursor_' if how in ('up', 'down') else ''}"
                f"{how}")()

    @on(Input.Submitted, "#filter")
    def _submitted(self) -> None:
        option_list = self.query_one(OptionList)
        if option_list.highlighted is None:
            self.notify("Nothing matches: type less, or Esc.", timeout=3)
            return
        self._pick(option_list.get_option_at_index(option_list.highlighted).id)

    @on(OptionList.OptionSelected, "#choices")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self._pick(event.option.id)

    def _pick(self, option_id: str | None) -> None:
        if option_id == _NEW:
            self.dismiss(Picked(" ".join(self.query_one("#filter", Input).value.split()),
                                new=True))
        elif option_id is not None:
            self.dismiss(Picked(self.shown[int(option_id)].value))
