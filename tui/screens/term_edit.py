"""One term of a proposal: its issue (picked from the taxonomy), its text, where it is said.

Opened on a new term, the issue picker comes up at once: type "cease",
Enter, then type the term's text and Enter again — a term in a few keys.
The source and span are optional: they tie the term to the words of an
article, which `peace-tui check` verifies, so with a span the term's text
must be the words at that span (left empty, it is taken from there).

| Key | Action |
| :- | :- |
| tab / shift+tab | Next / previous field |
| enter (in a field), f2 | Done (the term goes back to the proposal; F2 there saves) |
| escape | Cancel |
"""

from __future__ import annotations

from typing import ClassVar

from pydantic import ValidationError
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Input, Label

from store.issue_codes import lookup
from store.models import Source, Term, format_validation_error

from ..curation import issue_choices, source_choices
from ..safe import one_line
from ..widgets.plain_input import PlainInput
from .form import FormScreen, ProblemLine
from .picker import Choice, Picked, PickerScreen

__all__ = ["TermEditScreen", "parse_span"]

_NO_SOURCE = ""


def parse_span(text: str) -> tuple[int, int] | None:
    """'120-180' -> (120, 180); '' -> None; anything else raises ValueError."""
    text = text.strip()
    if not text:
        return None
    start, sep, end = text.partition("-")
    if not sep or not start.strip().isdigit() or not end.strip().isdigit():
        raise ValueError("span must be START-END (character offsets), or empty")
    return int(start), int(end)


class TermEditScreen(FormScreen[Term]):
    """Edit (or enter) one term; the result is the new Term, or None."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f2", "done", "Done", id="term-edit.done", tooltip="Keep this term"),
    ]

    HELP_TITLE = "A proposal's term"

    def __init__(self, term: Term | None, sources: list[Source]) -> None:
        super().__init__()
        self.term = term
        self.sources = sources
        self.issue = term.issue if term else ""
        self.source_id = term.source_id if term and term.source_id else _NO_SOURCE

    def _issue_label(self) -> Content:
        found = lookup(self.issue) if self.issue else None
        return Content(f"{self.issue}  {found.name}" if found else "(pick an issue: Enter)")

    def _source_label(self) -> Content:
        src = next((s for s in self.sources if s.id == self.source_id), None)
        return Content(one_line(src.title) if src else "(none)")

    def compose(self) -> ComposeResult:
        term = self.term
        span = f"{term.span[0]}-{term.span[1]}" if term and term.span else ""
        with Vertical(id="box"):
            with Horizontal(classes="row"):
                yield Label("Issue", classes="label")
                yield Button(self._issue_label(), id="issue", compact=True)
            with Horizontal(classes="row"):
                yield Label("Text", classes="label")
                yield PlainInput(term.text if term else "", id="text", compact=True,
                            placeholder="what the proposal says on this issue")
            with Horizontal(classes="row"):
                yield Label("Source", classes="label")
                yield Button(self._source_label(), id="source", compact=True)
            with Horizontal(classes="row"):
                yield Label("Span", classes="label")
                yield PlainInput(span, id="span", compact=True,
                            placeholder="START-END in the source's text (optional)")
            yield ProblemLine(id="problem")
            with Horizontal(id="buttons"):
                yield Button("Done F2", id="done", compact=True, variant="primary")
                yield Button("Cancel Esc", id="cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#box").border_title = "Term" if self.term else "New term"
        if self.term is None:
            self.query_one("#issue", Button).focus()
            self.pick_issue()
        else:
            self.query_one("#text", Input).focus()

    @on(Button.Pressed, "#issue")
    def pick_issue(self) -> None:
        self.app.push_screen(PickerScreen("Issue", issue_choices(), current=self.issue or None),
                             self._issue_picked)

    def _issue_picked(self, picked: Picked | None) -> None:
        if picked is not None:
            self.issue = picked.value
            self.query_one("#issue", Button).label = self._issue_label()
            self.query_one("#text", Input).focus()

    @on(Button.Pressed, "#source")
    def pick_source(self) -> None:
        choices = [Choice(_NO_SOURCE, "(none)"), *source_choices(self.sources)]
        self.app.push_screen(PickerScreen("Source", choices, current=self.source_id),
                             self._source_picked)

    def _source_picked(self, picked: Picked | None) -> None:
        if picked is not None:
            self.source_id = picked.value
            self.query_one("#source", Button).label = self._source_label()
            self.query_one("#span", Input).focus()

    @on(Input.Submitted)
    @on(Button.Pressed, "#done")
    def action_done(self) -> None:
        problem = self.query_one(ProblemLine)
        if not self.issue:
            problem.say("Pick an issue code first (Enter on Issue).")
            return
        text = self.query_one("#text", Input).value.strip()
        try:
            span = parse_span(self.query_one("#span", Input).value)
            if span is not None:
                text = self._text_at(span, text)
            term = Term(issue=self.issue, text=text, source_id=self.source_id or None, span=span)
        except ValidationError as e:
            problem.say(format_validation_error(e, "term"))
            return
        except ValueError as e:
            problem.say(str(e))
            return
        self.dismiss(term)

    def _text_at(self, span: tuple[int, int], text: str) -> str:
        """A span says where the term's words stand verbatim: check it (or fill the text in)."""
        src = next((s for s in self.sources if s.id == self.source_id), None)
        if src is None:
            raise ValueError("a span needs a source: pick one (Enter on Source)")
        if not src.text:
            raise ValueError("this source has no text to point into: leave the span empty")
        if span[1] > len(src.text) or span[0] >= span[1]:
            raise ValueError(f"span {span[0]}-{span[1]} is not within the source's "
                             f"{len(src.text)} characters")
        found = src.text[span[0]:span[1]]
        if text and text != found:
            raise ValueError(f"the source has “{one_line(found)[:40]}” there; the text must be "
                             "those words (or leave the text empty to take them)")
        return found

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.dismiss(None)
