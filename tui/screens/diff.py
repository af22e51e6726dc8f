"""The terms diff screen: pick two proposals, read them issue by issue.

| Key | Action |
| :- | :- |
| d, escape | Back to the quotes |
| [ / ] | Pick the left / right proposal |
| s | Swap the two sides |
| (and the keys of the diff rows: n / N, f, enter) | |
"""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Label, Select

from store.diff import RowStatus
from store.models import Proposal

from ..corpus import Corpus
from ..safe import one_line
from ..widgets.diff_view import DiffView
from .issue_quotes import IssueQuotesScreen

__all__ = ["DiffScreen"]


class DiffScreen(Screen[None]):
    """Two proposals side by side (or stacked when narrow), aligned by issue."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("d,escape", "app.pop_screen", "Back", id="diff.back",
                tooltip="Back to the quotes"),
        Binding("left_square_bracket", "pick('left')", "Left", show=False, id="diff.pick-left",
                tooltip="Pick the proposal on the left"),
        Binding("right_square_bracket", "pick('right')", "Right", show=False, id="diff.pick-right",
                tooltip="Pick the proposal on the right"),
        Binding("s", "swap", "Swap", id="diff.swap", tooltip="Swap left and right"),
    ]

    HELP_TITLE = "Terms diff"

    def __init__(self, corpus: Corpus) -> None:
        super().__init__()
        self.corpus = corpus
        pair = corpus.default_pair()
        self.left: Proposal | None = pair[0] if pair else None
        self.right: Proposal | None = pair[1] if pair else None

    def compose(self) -> ComposeResult:
        options = [(self._prompt(p), p.id) for p in self.corpus.proposals]
        with Horizontal(id="pickers"):
            yield Label("L", classes="side")
            yield Select(options, id="left", compact=True, allow_blank=not options,
                         value=self.left.id if self.left else Select.NULL)
            yield Label("R", classes="side")
            yield Select(options, id="right", compact=True, allow_blank=not options,
                         value=self.right.id if self.right else Select.NULL)
        yield DiffView(id="diff")
        yield Footer()

    def _prompt(self, p: Proposal) -> Content:
        who = one_line(self.corpus.name_of(p.proposer))
        return Content(f"{one_line(p.title)} — {who}, {p.date or 'undated'}")

    def on_mount(self) -> None:
        self._show()
        self.query_one(DiffView).focus()

    def _show(self) -> None:
        view = self.query_one(DiffView)
        if self.left is None or self.right is None:
            count = len(self.corpus.proposals)
            view.show_rows([], f"A diff needs two proposals; this database has {count}.")
            view.border_title = "Terms"
            return
        rows = self.corpus.diff(self.left, self.right)
        view.show_rows(rows, "Neither proposal has any terms.")
        # Content, not a str: a border title given as a str is parsed as markup.
        view.border_title = Content(f"{one_line(self.left.title)}  ⟷  "
                                    f"{one_line(self.right.title)}")
        self._subtitle()

    def _subtitle(self) -> None:
        view = self.query_one(DiffView)
        counts = {s: sum(1 for r in view.rows if r.status is s) for s in RowStatus}
        parts = [f"{counts[RowStatus.changed]} changed",
                 f"{counts[RowStatus.left_only]} only left",
                 f"{counts[RowStatus.right_only]} only right",
                 f"{counts[RowStatus.same]} same" + (" (hidden)" if view.only_differences
                                                    else "")]
        view.border_subtitle = " · ".join(parts)

    @on(Select.Changed)
    def _picked(self, event: Select.Changed) -> None:
        if event.value is Select.NULL:
            return
        chosen = self.corpus.proposal(str(event.value))
        if event.select.id == "left":
            self.left = chosen
        else:
            self.right = chosen
        self._show()

    @on(DiffView.FilterChanged)
    def _filter_changed(self) -> None:
        self._subtitle()

    @on(DiffView.Opened)
    def _opened(self, event: DiffView.Opened) -> None:
        if self.left and self.right:
            self.app.push_screen(IssueQuotesScreen(self.corpus, event.row.issue,
                                                   [self.left, self.right]))

    def action_pick(self, side: str) -> None:
        self.query_one(f"#{side}", Select).focus()

    def action_swap(self) -> None:
        if self.left is None or self.right is None:
            return
        self.left, self.right = self.right, self.left
        with self.prevent(Select.Changed):
            self.query_one("#left", Select).value = self.left.id
            self.query_one("#right", Select).value = self.right.id
        self._show()
