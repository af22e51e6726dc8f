"""Actors by hand: rename, set kind, role and affiliation, add aliases; merge two into one.

Extraction makes an actor per spelling it cannot tie to a known one, and
guesses roles from appositives; the analyst knows better. Aliases are typed
separated by commas (they are how search and later ingests recognise the
actor). Merging folds one actor into another: the quotes and proposals
follow, the names become aliases, and one `u` undoes all of it.

| Key | Action |
| :- | :- |
| tab / shift+tab | Next / previous field |
| enter (in a field), f2 | Save |
| escape | Cancel |
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Select

from store.models import Actor, ActorKind

from ..curation import actor_choices, change
from ..safe import one_line
from ..widgets.plain_input import PlainInput
from .form import ConfirmScreen, FormScreen, ProblemLine
from .picker import Picked, PickerScreen

__all__ = ["ActorEditScreen", "merge_actor"]


class ActorEditScreen(FormScreen[bool]):
    """Edit one actor; the result is True when saved."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f2", "save", "Save", id="actor-edit.save", tooltip="Save the actor"),
    ]

    HELP_TITLE = "Edit an actor"

    def __init__(self, actor: Actor) -> None:
        super().__init__()
        self.actor = actor

    def compose(self) -> ComposeResult:
        a = self.actor
        with Vertical(id="box"):
            for label, field, value, hint in (
                ("Name", "name", a.name, "how the actor is shown"),
                ("Role", "role", a.role or "", "e.g. Foreign Minister (optional)"),
                ("Affiliation", "affiliation", a.affiliation or "",
                 "the state or body they speak for (optional)"),
                ("Aliases", "aliases", ", ".join(a.aliases), "other spellings, comma-separated"),
            ):
                with Horizontal(classes="row"):
                    yield Label(label, classes="label")
                    yield PlainInput(value, id=field, placeholder=hint, compact=True)
                if field == "name":
                    with Horizontal(classes="row"):
                        yield Label("Kind", classes="label")
                        yield Select([(k.value, k.value) for k in ActorKind], id="kind",
                                     value=a.kind.value, allow_blank=False, compact=True)
            yield ProblemLine(id="problem")
            with Horizontal(id="buttons"):
                yield Button("Save F2", id="save", compact=True, variant="primary")
                yield Button("Cancel Esc", id="cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#box").border_title = f"Edit actor · {one_line(self.actor.id)}"
        self.query_one("#name", Input).focus()

    def _value(self, field: str) -> str:
        return self.query_one(f"#{field}", Input).value

    @on(Input.Submitted)
    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        self.save_with("edit_actor", self.actor.id, name=self._value("name"),
                       role=self._value("role"), kind=str(self.query_one("#kind", Select).value),
                       affiliation=self._value("affiliation"),
                       aliases=self._value("aliases").split(","), base=self.actor)

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.dismiss(False)


def merge_actor(app: Any, actor: Actor, actors: list[Actor], done: Callable[[], None]) -> None:
    """Pick the actor to merge `actor` into, confirm, merge; `done` after a merge."""
    others = [a for a in actors if a.id != actor.id]

    def picked(choice: Picked | None) -> None:
        if choice is None:
            return
        into = next(a for a in others if a.id == choice.value)

        def answered(yes: bool | None) -> None:
            if not yes:
                return
            change(app, "merge_actors", actor.id, into.id, done=lambda _record: done(),
                   failed=lambda e: app.notify(one_line(str(e)), severity="error",
                                               markup=False, timeout=6))

        app.push_screen(ConfirmScreen(
            f"Merge {one_line(actor.name)} into {one_line(into.name)}?",
            f"{one_line(actor.name)}'s quotes and proposals move to {one_line(into.name)}; "
            "the name becomes an alias. u undoes.", yes="Merge"), answered)

    app.push_screen(PickerScreen(f"Merge {one_line(actor.name)} into…",
                                 actor_choices(others)), picked)
