"""`e` on a quote: its speaker, date and issue codes. The text itself is not editable.

A quote's words are checked verbatim against its source (`peace-tui
check`), so they are shown, not offered for editing; what extraction gets
wrong, and an analyst fixes, is who said it, when, and on which issues.
The speaker is picked from the actors by typing a few letters (or created
with the name typed); issue codes are typed, or added from the taxonomy
with the picker. Saving goes through the Editor: validated by the models,
one atomic recorded write, undone by `u`. A problem is shown in the form,
and nothing is saved.

| Key | Action |
| :- | :- |
| tab / shift+tab | Next / previous field |
| enter | Save (in a text field), or open the picker (on a button) |
| f2 | Save |
| f3 | Add an issue code from the taxonomy |
| escape | Cancel |
"""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Input, Label, Static

from store.models import Actor, Statement

from ..curation import actor_choices, issue_choices
from ..safe import one_line
from ..widgets.plain_input import PlainInput
from .form import FormScreen, ProblemLine
from .picker import Picked, PickerScreen

__all__ = ["QuoteEditScreen", "date_text"]


def date_text(when, precision: str) -> str:
    """What a date field shows: 'YYYY-MM-DD', 'YYYY-MM' or '' (unknown)."""
    if when is None:
        return ""
    return when.strftime("%Y-%m") if precision == "month" else when.isoformat()


class QuoteEditScreen(FormScreen[bool]):
    """Correct a quote's speaker, date and issues; the result is True when saved."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f2", "save", "Save", id="quote-edit.save", tooltip="Save the changes"),
        Binding("f3", "add_issue", "Add issue", id="quote-edit.add-issue",
                tooltip="Add an issue code from the taxonomy (type to filter)"),
    ]

    HELP_TITLE = "Edit a quote"

    def __init__(self, statement: Statement, actors: list[Actor]) -> None:
        super().__init__()
        self.statement = statement
        self.actors = actors
        self.actor_id = statement.actor_id
        self.new_speaker: str | None = None

    def _speaker_label(self) -> Content:
        if self.new_speaker:
            return Content(f"{one_line(self.new_speaker)} (new)")
        actor = next((a for a in self.actors if a.id == self.actor_id), None)
        return Content(one_line(actor.name if actor else self.actor_id))

    def compose(self) -> ComposeResult:
        st = self.statement
        with Vertical(id="box"):
            yield Static(Content(f"“{one_line(st.text)}”"), markup=False, id="quote-text")
            yield Static(Content("The text is verbatim from the source: not editable."),
                         classes="hint")
            with Horizontal(classes="row"):
                yield Label("Speaker", classes="label")
                yield Button(self._speaker_label(), id="speaker", compact=True)
            with Horizontal(classes="row"):
                yield Label("Date", classes="label")
                yield PlainInput(date_text(st.said_on, st.said_on_precision.value), id="date",
                            placeholder="YYYY-MM-DD, YYYY-MM, or empty (unknown)",
                            compact=True, max_length=10)
            with Horizontal(classes="row"):
                yield Label("Issues", classes="label")
                yield PlainInput(" ".join(st.issues), id="issues", compact=True,
                            placeholder="codes separated by spaces; F3 picks one")
            yield ProblemLine(id="problem")
            with Horizontal(id="buttons"):
                yield Button("Save F2", id="save", compact=True, variant="primary")
                yield Button("Add issue F3", id="add-issue", compact=True)
                yield Button("Cancel Esc", id="cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#box").border_title = "Edit quote"
        self.query_one("#speaker", Button).focus()

    @on(Button.Pressed, "#speaker")
    def pick_speaker(self) -> None:
        self.app.push_screen(
            PickerScreen("Speaker", actor_choices(self.actors), current=self.actor_id,
                         new_label="New actor"), self._speaker_picked)

    def _speaker_picked(self, picked: Picked | None) -> None:
        if picked is None:
            return
        if picked.new:
            self.new_speaker = picked.value
        else:
            self.actor_id, self.new_speaker = picked.value, None
        self.query_one("#speaker", Button).label = self._speaker_label()
        self.query_one("#date", Input).focus()

    @on(Button.Pressed, "#add-issue")
    def action_add_issue(self) -> None:
        self.app.push_screen(PickerScreen("Add an issue code", issue_choices()),
                             self._issue_picked)

    def _issue_picked(self, picked: Picked | None) -> None:
        box = self.query_one("#issues", Input)
        if picked is not None and picked.value not in box.value.split():
            box.value = " ".join([*box.value.split(), picked.value])
        box.focus()

    @on(Input.Submitted)
    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        issues = self.query_one("#issues", Input).value.split()
        self.save_with("edit_quote", self.statement.id,
                       actor_id=None if self.new_speaker else self.actor_id,
                       new_speaker=self.new_speaker,
                       said_on=self.query_one("#date", Input).value,
                       issues=issues, base=self.statement)

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.dismiss(False)
