"""What every editing dialog shares: app keys held back, a problem line, a confirm box.

The explorer's one-letter keys (`q` quit, `a` actors, `/` search, `d`
diff, `i` ingest) are App bindings, live on every screen. In a form they
must not fire when a button or a list has the keyboard: `q` on the
"Speaker" button would quit with the edit unsaved. `FormScreen` binds them
to nothing, so only the form's own keys act.

| Key | Action |
| :- | :- |
| tab / shift+tab | Next / previous field |
| escape | Cancel |
"""

from __future__ import annotations

from typing import ClassVar, TypeVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, Static

from store.edits import NothingChanged
from store.errors import StoreError

from ..safe import one_line

__all__ = ["ConfirmScreen", "FormScreen", "ProblemLine", "uncover"]

R = TypeVar("R")

#: App keys that are letters: held back inside forms (see the module's docstring).
HELD_BACK = "q,a,slash,d,i"


class ProblemLine(Static):
    """One line saying why a form was not saved (empty when all is well)."""

    DEFAULT_CSS = """
    ProblemLine { height: auto; color: $text-error; text-style: bold; }
    ProblemLine:disabled { display: none; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", markup=False, id=id)

    def say(self, problem: str) -> None:
        self.update(Content(one_line(problem)))


def uncover(screen: Screen) -> bool:
    """Close what was opened over a screen (help, while it saved), so that its dismiss
    closes it and not that. Now, not later as pop_until_active does: dismiss follows.
    False if the screen itself is no longer there (left meanwhile)."""
    if screen not in screen.app.screen_stack:
        return False
    while screen.app.screen is not screen:
        screen.app.pop_screen()
    return True


class FormScreen(ModalScreen[R]):
    """A modal dialog in a bordered box; Esc cancels; app letter keys held back."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="form.cancel", tooltip="Leave without saving"),
        Binding(HELD_BACK, "held_back", show=False),
    ]

    DEFAULT_CSS = """
    FormScreen {
        align: center middle;
        & > #box {
            width: 78; max-width: 100%; height: auto; max-height: 100%;
            border: round $primary; background: $surface; padding: 0 1;
        }
        & .row { height: auto; margin-bottom: 1; }
        & .row > .label { width: 13; color: $text-muted; }
        & .row > Input, & .row > Select, & .row > Button { width: 1fr; }
        & .row > Button { content-align: left middle; text-align: left; }
        & .hint { color: $text-muted; }
        & #buttons { height: 1; }
        & #buttons > Button { margin-right: 2; width: auto; }
    }
    """

    def action_held_back(self) -> None:
        """App keys do nothing here (a form must be saved or cancelled first)."""

    #: a change is being saved (in a process of its own, for a large database): the
    #: form waits, its fields disabled, and Esc does not leave it
    saving = False

    def action_cancel(self) -> None:
        if not self.saving:
            self.dismiss(None)

    def save_with(self, method: str, *args: object, **kwargs: object) -> None:
        """Make a recorded change (`curation.change`): dismiss with True when saved, False
        when nothing changed; a refusal (invalid, stale) is said on the problem line and
        the form stays."""
        from .. import curation  # the screens are imported by curation for its pickers

        if self.saving:
            return
        box, focused = self.query_one("#box"), self.focused

        def done(_result: object) -> None:
            self.saving = False
            self.answered(True)

        def failed(e: StoreError) -> None:
            self.saving, box.disabled, box.border_subtitle = False, False, ""
            if isinstance(e, NothingChanged):
                self.answered(False)
                return
            if not uncover(self):  # left meanwhile: nothing to say it on
                return
            self.query_one(ProblemLine).say(str(e))
            if focused is not None and self.focused is None:
                focused.focus()

        self.saving = True
        curation.change(self.app, method, *args, done=done, failed=failed, **kwargs)
        if self.saving:  # made apart (a large database): the form waits for the answer
            box.disabled, box.border_subtitle = True, "Saving…"

    def answered(self, result: bool) -> None:
        """Dismiss with a save's answer, which may come after another screen (help) was
        opened over the form: dismiss would close that one. A form no longer shown
        has its changes read all the same."""
        if uncover(self):
            self.dismiss(result)  # type: ignore[arg-type]
        elif result:
            self.app.reload_corpus()  # type: ignore[attr-defined]


class ConfirmScreen(FormScreen[bool]):
    """A yes/no question: y or Enter says yes, n or Esc says no."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Yes", id="confirm.yes"),
        Binding("n", "answer(False)", "No", id="confirm.no"),
    ]

    def __init__(self, question: str, detail: str = "", yes: str = "Delete") -> None:
        super().__init__()
        self.question, self.detail, self.yes = question, detail, yes

    def compose(self) -> ComposeResult:
        with Vertical(id="box"):
            yield Static(Content(one_line(self.question)), markup=False, id="question")
            if self.detail:
                yield Static(Content(self.detail), markup=False, classes="hint")
            with Horizontal(id="buttons"):
                yield Button(f"{self.yes} (y)", id="yes", compact=True, variant="error")
                yield Button("Cancel (n)", id="no", compact=True)

    def on_mount(self) -> None:
        self.query_one("#box").border_title = "Confirm"
        self.query_one("#yes", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)

    def action_cancel(self) -> None:
        self.dismiss(False)
