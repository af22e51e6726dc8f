"""`p`: the proposals, newest first; create, edit and delete them.

Proposals do not extract themselves: when an analyst reads about a new
plan, they enter it here (or type it in a file for `peace-tui import`).
A proposal saved here is in the terms diff at once (`d`).

| Key | Action |
| :- | :- |
| up / down | Move |
| n | New proposal |
| enter, e | Edit the proposal and its terms |
| x | Delete the proposal (asks first) |
| d | Diff it against another (pick with [ and ]) |
| u | Undo the last change |
| escape | Back to the quotes |
"""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, OptionList
from textual.widgets.option_list import Option

from store.models import Proposal

from .. import curation
from ..safe import one_line
from .form import ConfirmScreen

__all__ = ["ProposalsScreen", "proposal_label"]


def proposal_label(p: Proposal, proposer: str) -> str:
    when = p.date.strftime("%Y-%m") if p.date and p.date_precision == "month" else (
        str(p.date) if p.date else "undated")
    terms = f"{len(p.terms)} term{'s' if len(p.terms) != 1 else ''}"
    return f"{one_line(p.title)} — {one_line(proposer)}, {when} · {p.status.value} · {terms}"


class ProposalsScreen(Screen[None]):
    """The proposals of the database, to edit."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "Back", id="proposals.back",
                tooltip="Back to the quotes"),
        Binding("n", "new", "New", id="proposals.new", tooltip="Enter a new proposal"),
        Binding("e", "edit", "Edit", id="proposals.edit",
                tooltip="Edit the proposal and its terms"),
        Binding("x", "delete", "Delete", id="proposals.delete",
                tooltip="Delete the proposal (asks first; u undoes)"),
        Binding("u", "undo", "Undo", id="proposals.undo", tooltip="Undo the last change"),
        Binding("d", "diff", "Diff", id="proposals.diff",
                tooltip="Diff this proposal against another"),
    ]

    HELP_TITLE = "Proposals"

    DEFAULT_CSS = """
    ProposalsScreen #proposal-list { height: 1fr; border: round $border; }
    """

    def compose(self) -> ComposeResult:
        yield OptionList(id="proposal-list", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.show_proposals()
        self.query_one(OptionList).focus()

    def show_proposals(self, keep: str | None = None) -> None:
        corpus = self.app.corpus  # type: ignore[attr-defined]
        option_list = self.query_one(OptionList)
        at = option_list.highlighted or 0
        option_list.set_options([Option(Content(proposal_label(p, corpus.name_of(p.proposer))),
                                        id=p.id) for p in corpus.proposals])
        option_list.border_title = f"Proposals {len(corpus.proposals)}"
        option_list.border_subtitle = "n new · Enter edit · x delete · u undo · d diff"
        if keep is not None:
            at = next((i for i, p in enumerate(corpus.proposals) if p.id == keep), at)
        if corpus.proposals:
            option_list.highlighted = min(at, len(corpus.proposals) - 1)

    @property
    def current(self) -> Proposal | None:
        option_list = self.query_one(OptionList)
        if option_list.highlighted is None:
            return None
        option = option_list.get_option_at_index(option_list.highlighted)
        return self.app.corpus.proposal(option.id)  # type: ignore[attr-defined]

    def action_diff(self) -> None:
        """The terms diff, this proposal on the right, the newest other on the left."""
        from .diff import DiffScreen

        proposal = self.current
        corpus = self.app.corpus  # type: ignore[attr-defined]
        screen = DiffScreen(corpus)
        if proposal is not None:
            other = next((p for p in corpus.proposals if p.id != proposal.id), None)
            screen.left, screen.right = (other, proposal) if other else (None, None)
        self.app.push_screen(screen)

    def action_new(self) -> None:
        self._open(None)

    @on(OptionList.OptionSelected)
    def action_edit(self) -> None:
        proposal = self.current
        if proposal is not None:
            self._open(proposal)

    def _open(self, proposal: Proposal | None) -> None:
        from .proposal_edit import ProposalEditScreen

        self.app.push_screen(ProposalEditScreen(proposal), self._saved)

    def _saved(self, saved_id: str | None) -> None:
        if saved_id:
            curation.reload(self.app, lambda _: self.show_proposals(keep=saved_id))

    def action_delete(self) -> None:
        proposal = self.current
        if proposal is None:
            return

        def answered(yes: bool | None) -> None:
            if not yes:
                return
            def done(_record: object) -> None:
                curation.reload(self.app, lambda _: self.show_proposals())
                self.notify("Proposal deleted: u undoes.", timeout=3)

            curation.change(self.app, "delete_proposal", proposal.id, done=done,
                            failed=lambda e: self.notify(one_line(str(e)), severity="error",
                                                         markup=False, timeout=6))

        self.app.push_screen(ConfirmScreen(f"Delete the proposal {one_line(proposal.title)}?",
                                           f"{len(proposal.terms)} terms."), answered)

    def action_undo(self) -> None:
        curation.undo(self.app, then=lambda _: self.show_proposals())
