"""The actors pane: every actor with their kind and number of statements.

The pane is a jump box over a list. `a` puts the cursor in the jump box;
typing moves the list to the first actor whose name (or any word of it, or
an alias) starts with what was typed, so "mac" finds Emmanuel Macron. The
letters go to the box, not to commands, the way they do in the search box.
Enter chooses the actor (the quote list is filtered to them; choosing the
same actor again clears it), Esc clears the box, then the filter.

| Key | Action |
| :- | :- |
| letters | Jump to an actor |
| up / down, pageup / pagedown | Move in the list |
| enter | Show this actor's quotes (again: all quotes) |
| ctrl+r | Sort by name / by number of statements |
| escape | Clear the jump text, then the actor filter |
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.strip import Strip
from textual.style import Style
from textual.widgets import Input

from store.models import Actor
from store.query import fold

from ..corpus import ActorSort
from ..safe import one_line
from .plain_input import PlainInput
from .row_list import RowList
from .typeahead import hand_keyboard_to

__all__ = ["ActorList", "ActorsPane", "JumpInput"]

_KIND = {"person": "person", "state": "state", "organisation": "org",
         "institution": "inst", "anonymous": "anon"}


class ActorList(RowList, can_focus=False):
    """Name, kind and count; the chosen actor is marked."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"actor-list--kind", "actor-list--chosen"}

    DEFAULT_CSS = """
    ActorList {
        & > .actor-list--kind { color: $text-muted; }
        & > .actor-list--chosen { color: $text-accent; text-style: bold; }
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.actors: list[Actor] = []
        self.counts: dict[str, int] = {}
        self.chosen: str | None = None
        self._count_width = 1
        self.empty_message = "No actors."

    def show_actors(self, actors: list[Actor], counts: dict[str, int], keep: str | None) -> None:
        self.actors, self.counts = actors, counts
        # Once per list, not per row drawn: max() over 600 actors on every row adds up.
        self._count_width = len(str(max(counts.values(), default=0)))
        cursor = next((i for i, a in enumerate(actors) if a.id == keep), 0)
        self.set_row_count(len(actors), cursor)

    @property
    def current(self) -> Actor | None:
        return self.actors[self.cursor] if self.actors else None

    def render_row(self, index: int, width: int, base: Style, is_cursor: bool) -> Strip:
        actor = self.actors[index]
        count_width = self._count_width
        count = str(self.counts.get(actor.id, 0)).rjust(count_width)
        kind = _KIND.get(actor.kind.value, actor.kind.value).ljust(6)
        chosen = actor.id == self.chosen
        name_width = max(1, width - count_width - len(kind) - 3)
        name = Content(one_line(actor.name)).truncate(name_width, ellipsis=True, pad=True)

        def part(name: str) -> Style:
            return Style() if is_cursor else self.get_visual_style(name, partial=True)

        line = Content.assemble(
            "●" if chosen else " ",
            name.stylize(part("actor-list--chosen")) if chosen else name, " ",
            Content(kind).stylize(part("actor-list--kind")), " ", count,
        )
        return Strip(line.render_segments(base)).extend_cell_length(width, base.rich_style)

    class Selected(Message):
        """A double click on an actor."""

    def row_selected(self, index: int) -> None:
        self.post_message(self.Selected())

    def jump(self, typed: str) -> bool:
        """Put the cursor on the best actor for a typed prefix; False if none fits."""
        needle = fold(typed.strip())
        if not needle:
            return True
        tests = (
            lambda a: fold(a.name).startswith(needle),
            lambda a: any(w.startswith(needle) for w in fold(a.name).split()),
            lambda a: any(fold(x).startswith(needle) for x in a.aliases),
            lambda a: needle in fold(a.name),
        )
        for test in tests:
            for i, actor in enumerate(self.actors):
                if test(actor):
                    self.cursor = i
                    return True
        return False


class JumpInput(PlainInput):
    """The jump box: keys that move the list are passed to it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "move(-1)", "Up", show=False, id="actors.up"),
        Binding("down", "move(1)", "Down", show=False, id="actors.down"),
        Binding("pageup", "move(-10)", "Page up", show=False, id="actors.page-up"),
        Binding("pagedown", "move(10)", "Page down", show=False, id="actors.page-down"),
        Binding("escape", "clear", "Clear", id="actors.clear",
                tooltip="Clear the jump text, then the actor filter"),
        # No name needs '?': it stays the help key here.
        Binding("question_mark", "app.help", "Help", show=False, id="actors.help"),
    ]

    HELP_TITLE = "Actors"

    async def _on_key(self, event: events.Key) -> None:
        if event.key == "question_mark":
            event.prevent_default()  # not typed: the help binding takes it

    def action_move(self, step: int) -> None:
        actors = self.parent.query_one(ActorList)  # type: ignore[union-attr]
        actors.cursor += step

    def action_clear(self) -> None:
        pane = self.parent
        assert isinstance(pane, ActorsPane)
        pane.clear_or_leave()

    async def action_submit(self) -> None:
        """Enter: the actor the text names, chosen now (not when the pane hears of the
        text and of Enter, after the keys typed next: `typeahead`)."""
        pane = self.parent
        assert isinstance(pane, ActorsPane)
        pane.actor_list.jump(self.value)
        pane.action_choose()


class ActorsPane(Vertical):
    """The jump box and the actor list; tells the chosen actor upward (`on_chosen`)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "choose", "Choose", id="actors.choose",
                tooltip="Show this actor's quotes; again to show all"),
        Binding("ctrl+r", "toggle_sort", "Sort", id="actors.sort",
                tooltip="Sort actors by name or by number of statements"),
    ]

    DEFAULT_CSS = """
    ActorsPane {
        & > JumpInput {
            border: none; height: 1; padding: 0 1;
            background: $boost;
            &:focus { border: none; }
        }
        & > JumpInput.-no-match { color: $text-error; }
        & > ActorList { height: 1fr; }
    }
    """

    HELP_TITLE = "Actors pane"

    sort: reactive[ActorSort] = reactive(ActorSort.count, init=False)
    """How the actors are ordered: by number of statements (the default) or by name."""

    def __init__(self, *, id: str | None = None, leave_to: str | None = None,
                 on_chosen: Callable[[str | None], None] | None = None) -> None:
        """`leave_to`: the widget (a selector on the screen) the keyboard goes to when the
        user is done here (an actor chosen, or Esc with nothing to clear). `on_chosen`:
        told of a choice (an actor id, or None: cleared) at once, not by a message heard
        later (keys typed right after Enter then move through the chosen actor's
        quotes)."""
        super().__init__(id=id)
        self._leave_to = leave_to
        self._on_chosen = on_chosen
        self._all: dict[ActorSort, list[Actor]] = {}
        self._counts: dict[str, int] = {}

    def compose(self) -> ComposeResult:
        yield JumpInput(placeholder="type a name to jump", id="actor-jump")
        yield ActorList(id="actors")

    @property
    def actor_list(self) -> ActorList:
        return self.query_one(ActorList)

    @property
    def jump_box(self) -> JumpInput:
        return self.query_one(JumpInput)

    def set_actors(self, by_sort: dict[ActorSort, list[Actor]], counts: dict[str, int]) -> None:
        self._all, self._counts = by_sort, counts
        self.actor_list.empty_message = "No actors."
        self.actor_list.show_actors(by_sort[self.sort], counts, None)
        self._title()

    def show_waiting(self) -> None:
        """The database is still being read: no count, and no "No actors." yet."""
        self.border_title = "Actors …"
        self.actor_list.empty_message = ""
        self.actor_list.refresh()

    def _title(self) -> None:
        self.border_title = f"Actors {len(self.actor_list.actors)}"
        self.border_subtitle = f"by {self.sort.value} · ^r"

    def watch_sort(self) -> None:
        keep = self.actor_list.current
        self.actor_list.show_actors(self._all[self.sort], self._counts, keep.id if keep else None)
        self._title()

    def action_toggle_sort(self) -> None:
        self.sort = ActorSort.name if self.sort is ActorSort.count else ActorSort.count

    def action_choose(self) -> None:
        actor = self.actor_list.current
        if actor is None:
            return
        self.set_chosen(None if actor.id == self.actor_list.chosen else actor.id, done=True)

    def set_chosen(self, actor_id: str | None, done: bool = False) -> None:
        self.actor_list.chosen = actor_id
        self.actor_list.refresh()
        self.jump_box.value = ""
        if self._on_chosen is not None:
            self._on_chosen(actor_id)
        if done:
            self._leave()

    def _leave(self) -> None:
        """Hand the keyboard on now, not when the screen hears of it: keys typed right
        after are then the next widget's (`typeahead`)."""
        hand_keyboard_to(self, self._leave_to)

    def clear_or_leave(self) -> None:
        if self.jump_box.value:
            self.jump_box.value = ""
        elif self.actor_list.chosen is not None:
            self.set_chosen(None)
        else:
            self._leave()

    @on(Input.Changed, "#actor-jump")
    def _jump(self, event: Input.Changed) -> None:
        event.stop()
        found = self.actor_list.jump(event.value)
        self.jump_box.set_class(not found, "-no-match")

    @on(ActorList.Selected)
    def _clicked(self, event: ActorList.Selected) -> None:
        event.stop()
        self.action_choose()
