"""What each proposer said on one issue: opened with Enter on a diff row.

| Key | Action |
| :- | :- |
| escape, q | Close |
| up, k / down, j | Scroll |
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from store.models import Proposal

from ..corpus import Corpus, issue_label
from ..safe import one_line
from ..text import highlighted

__all__ = ["IssueQuotesScreen", "issue_quotes_content"]


class IssueQuotesScreen(ModalScreen[None]):
    """A scrollable panel of quotes, one section per proposer."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "dismiss", "Close", id="issue-quotes.close"),
        Binding("k", "scroll('up')", "Scroll up", show=False, id="issue-quotes.up"),
        Binding("j", "scroll('down')", "Scroll down", show=False, id="issue-quotes.down"),
    ]

    HELP_TITLE = "Quotes on an issue"

    DEFAULT_CSS = """
    IssueQuotesScreen {
        align: center middle;
        & > VerticalScroll {
            width: 90%; height: auto; max-height: 80%;
            border: round $primary; background: $surface; padding: 0 1;
        }
        .issue-quotes--label { color: $text-primary; text-style: bold; }
        .issue-quotes--muted { color: $text-muted; }
    }
    """

    def __init__(self, corpus: Corpus, issue: str, proposals: list[Proposal]) -> None:
        super().__init__()
        self.corpus, self.issue, self.proposals = corpus, issue, proposals

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="issue-quotes") as scroll:
            scroll.border_title = f"Said on {issue_label(self.issue)}"
            scroll.border_subtitle = "esc to close"
            yield Static(issue_quotes_content(self.corpus, self.issue, self.proposals),
                         markup=False, id="issue-quotes-body")

    def on_mount(self) -> None:
        self.query_one("#issue-quotes").focus()

    def action_scroll(self, direction: str) -> None:
        scroll = self.query_one("#issue-quotes", VerticalScroll)
        scroll.scroll_up() if direction == "up" else scroll.scroll_down()


def issue_quotes_content(corpus: Corpus, issue: str, proposals: list[Proposal]) -> Content:
    parts: list[Content | str | tuple[str, str]] = []
    seen: set[str] = set()
    for proposal in proposals:
        if proposal.proposer in seen:
            continue
        seen.add(proposal.proposer)
        found = corpus.quotes_on_issue(proposal.proposer, issue)
        name = one_line(corpus.name_of(proposal.proposer))
        parts += [(name, "bold"), (f"  ({one_line(proposal.title)})\n", "dim")]
        if not found.views:
            parts += [(f"  No quotes by {name} or those speaking for it on {issue}.\n", "dim")]
        for view in found.views:
            who = one_line(view.speaker)
            parts += ["  “", highlighted(view.statement.text), "”\n",
                      ("    — " + who + ", " + view.date_label(), "dim")]
            if view.source and view.source.outlet:
                parts.append((", " + one_line(view.source.outlet), "dim"))
            parts.append("\n")
        parts.append("\n")
    return Content.assemble(*parts)
