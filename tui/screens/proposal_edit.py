"""A proposal by hand: title, proposer, date, status, sources, and its terms in order.

A full screen, because the terms list needs the room. Everything is typed
or picked from the keyboard: the proposer from the actors (type to filter,
or create one with the name typed), sources from the stored articles, each
term's issue from the taxonomy. The terms list has its own keys: `n` adds a
term, Enter edits one, `x` removes it, `K`/`J` (or shift+up/down) move it.
F2 saves the proposal (validated by the models: nothing is saved when
something is wrong, and the problem is shown); Esc leaves, asking first
when there are unsaved changes.

| Key | Action |
| :- | :- |
| tab / shift+tab | Next / previous field |
| f2 | Save the proposal |
| f4 | Add a source |
| escape | Back (asks when there are unsaved changes) |
| n, insert (terms) | New term |
| enter, e (terms) | Edit the term |
| x, delete (terms) | Remove the term |
| K, shift+up / J, shift+down (terms) | Move the term up / down |
"""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Button, Footer, Input, Label, OptionList, Select, Static
from textual.widgets.option_list import Option

from store import StoreError
from store.edits import NothingChanged, unique_id
from store.models import Actor, ActorKind, Proposal, ProposalStatus, Term

from .. import curation
from ..safe import one_line
from ..widgets.plain_input import PlainInput
from .form import HELD_BACK, ConfirmScreen, ProblemLine, uncover
from .picker import Picked, PickerScreen
from .quote_edit import date_text
from .term_edit import TermEditScreen

__all__ = ["ProposalEditScreen", "TermsList"]


class TermsList(OptionList):
    """A proposal's terms, in order; keys to add, edit, remove and move them."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n,insert", "post('add')", "New term", id="terms.add",
                tooltip="Add a term (issue from the taxonomy, then its text)"),
        Binding("e", "post('edit')", "Edit term", show=False, id="terms.edit",
                tooltip="Edit the term (also Enter)"),
        Binding("x,delete", "post('remove')", "Remove term", id="terms.remove",
                tooltip="Remove the term"),
        Binding("K,shift+up", "post('up')", "Move up", id="terms.move-up",
                tooltip="Move the term up"),
        Binding("J,shift+down", "post('down')", "Move down", show=False, id="terms.move-down",
                tooltip="Move the term down"),
    ]

    HELP_TITLE = "Terms"

    class Request(Message):
        """A key asked for something to be done to the highlighted term."""

        def __init__(self, what: str, index: int | None) -> None:
            super().__init__()
            self.what, self.index = what, index

    def action_post(self, what: str) -> None:
        self.post_message(self.Request(what, self.highlighted))

    def show_terms(self, terms: list[Term], at: int | None) -> None:
        self.set_options([Option(Content(f"{i:>2}. {t.issue}  {one_line(t.text)}"))
                          for i, t in enumerate(terms, 1)])
        self.border_title = f"Terms {len(terms)}"
        self.border_subtitle = "n new · Enter edit · x remove · K/J move"
        if terms:
            self.highlighted = max(0, min(at or 0, len(terms) - 1))


class ProposalEditScreen(Screen[str | None]):
    """Create or edit a proposal; the result is the saved proposal's id, or None."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f2", "save", "Save", id="proposal-edit.save", tooltip="Save the proposal"),
        Binding("f4", "add_source", "Add source", show=False, id="proposal-edit.add-source",
                tooltip="Add a source (type to filter)"),
        Binding("escape", "back", "Back", id="proposal-edit.back",
                tooltip="Back (asks when there are unsaved changes)"),
        Binding(HELD_BACK, "held_back", show=False),
    ]

    HELP_TITLE = "Proposal"

    DEFAULT_CSS = """
    ProposalEditScreen {
        & #fields { height: auto; padding: 0 1; }
        & #heading { text-style: bold; }
        & .row { height: 1; }
        & .row > .label { width: 10; color: $text-muted; }
        & .row > Input, & .row > Button { width: 1fr; }
        & #proposer { content-align: left middle; text-align: left; }
        & #date { width: 20; margin-right: 2; }
        & #status { width: 20; }
        & #add-source { width: auto; margin-left: 1; }
        & TermsList { height: 1fr; border: round $primary 40%; }
        & TermsList:focus { border: round $border; }
        & ProblemLine { padding: 0 1; }
    }
    .-no-color ProposalEditScreen TermsList:focus { border: heavy $border; }
    """

    def __init__(self, proposal: Proposal | None) -> None:
        super().__init__()
        self.proposal = proposal
        self.proposer = proposal.proposer if proposal else ""
        self.new_proposer: str | None = None
        self.terms: list[Term] = list(proposal.terms) if proposal else []
        self._saved_state: tuple = ()

    @property
    def actors(self) -> list[Actor]:
        return self.app.corpus.actors  # type: ignore[attr-defined]

    def _proposer_label(self) -> Content:
        if self.new_proposer:
            return Content(f"{one_line(self.new_proposer)} (new)")
        if not self.proposer:
            return Content("(pick the proposer: Enter)")
        return Content(one_line(self.app.corpus.name_of(self.proposer)))  # type: ignore

    def compose(self) -> ComposeResult:
        p = self.proposal
        with Vertical(id="fields"):
            heading = f"Edit the proposal {p.id}" if p else "New proposal"
            yield Static(Content(one_line(heading)), markup=False, id="heading")
            with Horizontal(classes="row"):
                yield Label("Title", classes="label")
                yield PlainInput(p.title if p else "", id="title", compact=True,
                            placeholder="e.g. 28-point peace plan (draft)")
            with Horizontal(classes="row"):
                yield Label("Proposer", classes="label")
                yield Button("", id="proposer", compact=True)
            with Horizontal(classes="row"):
                yield Label("Date", classes="label")
                yield PlainInput(date_text(p.date, p.date_precision.value) if p else "", id="date",
                            compact=True, max_length=10, placeholder="YYYY-MM-DD / YYYY-MM")
                yield Label("Status", classes="label")
                yield Select([(s.value, s.value) for s in ProposalStatus], id="status",
                             compact=True, allow_blank=False,
                             value=p.status.value if p else ProposalStatus.proposed.value)
            with Horizontal(classes="row"):
                yield Label("Sources", classes="label")
                yield PlainInput(" ".join(p.source_ids) if p else "", id="sources", compact=True,
                            placeholder="source ids, separated by spaces; F4 picks one")
                yield Button("Add F4", id="add-source", compact=True)
        yield TermsList(id="terms", markup=False)
        yield ProblemLine(id="problem")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#proposer", Button).label = self._proposer_label()
        self.query_one(TermsList).show_terms(self.terms, 0)
        self._saved_state = self._state()
        self.query_one("#title", Input).focus()

    def _state(self) -> tuple:
        values = tuple(self.query_one(f"#{f}", Input).value for f in ("title", "date", "sources"))
        return (*values, self.proposer, self.new_proposer,
                self.query_one("#status", Select).value, tuple(self.terms))

    # -- fields ----------------------------------------------------------------
    @on(Input.Submitted)
    def _next_field(self) -> None:
        self.focus_next()

    @on(Button.Pressed, "#proposer")
    def pick_proposer(self) -> None:
        self.app.push_screen(
            PickerScreen("Proposer", curation.actor_choices(self.actors),
                         current=self.proposer or None, new_label="New actor"),
            self._proposer_picked)

    def _proposer_picked(self, picked: Picked | None) -> None:
        if picked is None:
            return
        if picked.new:
            self.new_proposer = picked.value
        else:
            self.proposer, self.new_proposer = picked.value, None
        self.query_one("#proposer", Button).label = self._proposer_label()
        self.query_one("#date", Input).focus()

    @on(Button.Pressed, "#add-source")
    def action_add_source(self) -> None:
        self.app.push_screen(PickerScreen("Add a source", curation.source_choices(
            curation.sources(self.app))), self._source_picked)

    def _source_picked(self, picked: Picked | None) -> None:
        box = self.query_one("#sources", Input)
        if picked is not None and picked.value not in box.value.split():
            box.value = " ".join([*box.value.split(), picked.value])
        box.focus()

    # -- terms -------------------------------------------------------------------
    @on(TermsList.OptionSelected)
    def _term_selected(self, event: TermsList.OptionSelected) -> None:
        self._edit_term(event.option_index)

    @on(TermsList.Request)
    def _term_request(self, event: TermsList.Request) -> None:
        at = event.index
        if event.what == "add":
            self._edit_term(None)
        elif at is None:
            return
        elif event.what == "edit":
            self._edit_term(at)
        elif event.what == "remove":
            del self.terms[at]
            self._show_terms(at)
        else:
            to = at - 1 if event.what == "up" else at + 1
            if 0 <= to < len(self.terms):
                self.terms[at], self.terms[to] = self.terms[to], self.terms[at]
                self._show_terms(to)

    def _show_terms(self, at: int | None) -> None:
        self.query_one(TermsList).show_terms(self.terms, at)

    def _edit_term(self, at: int | None) -> None:
        term = None if at is None else self.terms[at]

        def done(new: Term | None) -> None:
            if new is None:
                return
            if at is None:
                self.terms.append(new)
            else:
                self.terms[at] = new
            self._show_terms(len(self.terms) - 1 if at is None else at)
            self.query_one(TermsList).focus()

        self.app.push_screen(TermEditScreen(term, curation.sources(self.app)), done)

    # -- saving ------------------------------------------------------------------
    #: a save is under way (in a process of its own, for a large database): F2 and Esc wait
    saving = False

    def action_save(self) -> None:
        if self.saving:
            return
        problem = self.query_one(ProblemLine)
        new_actor = None
        proposer = self.proposer
        if self.new_proposer:
            new_actor = Actor(id=unique_id(self.new_proposer, {a.id for a in self.actors}),
                              name=self.new_proposer, kind=ActorKind.organisation)
            proposer = new_actor.id
        if not proposer:
            problem.say("Pick the proposer (Enter on Proposer).")
            self.query_one("#proposer", Button).focus()
            return
        data = {
            "id": self.proposal.id if self.proposal else None,
            "title": self.query_one("#title", Input).value.strip(),
            "proposer": proposer,
            "date": self.query_one("#date", Input).value,
            "status": str(self.query_one("#status", Select).value),
            "source_ids": self.query_one("#sources", Input).value.split(),
            "terms": self.terms,
        }

        def done(answer: tuple) -> None:
            self.saving = False
            saved = answer[0]
            self.notify(f"Saved: {one_line(saved.title)} ({len(saved.terms)} terms). "
                        "d diffs it; u undoes.", markup=False, timeout=4)
            if uncover(self):  # whatever was opened over it meanwhile (help)
                self.dismiss(saved.id)
            else:  # left meanwhile: still read the change
                self.app.reload_corpus()  # type: ignore[attr-defined]

        def failed(e: StoreError) -> None:
            self.saving = False
            problem.say("")
            if not uncover(self):
                return
            if isinstance(e, NothingChanged):
                self.dismiss(None)
            else:
                problem.say(str(e))

        self.saving = True
        curation.change(self.app, "save_proposal", data, new_actor, base=self.proposal,
                        done=done, failed=failed)
        if self.saving:  # made apart (a large database): F2 and Esc wait for the answer
            problem.say("Saving…")

    def action_back(self) -> None:
        if self.saving:
            return
        if self._state() == self._saved_state:
            self.dismiss(None)
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.dismiss(None)

        self.app.push_screen(ConfirmScreen("Leave without saving?",
                                           "The changes to this proposal will be lost.",
                                           yes="Discard"), answered)

    def action_held_back(self) -> None:
        """App keys do nothing here: save (F2) or leave (Esc) first."""
