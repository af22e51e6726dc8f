"""What the explorer shows, read once from the store: a facade with no Textual in it.

Screens ask this object for actors, quotes, search results and proposals;
they never see TinyDB or the Bundle. Everything here is plain Python, so it
is tested without a terminal and stays cheap to reason about.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from store import Store
from store.diff import DiffRow, diff_proposals
from store.issue_codes import lookup
from store.models import Actor, Proposal
from store.query import fold
from store.search import QuoteSearch, SearchResult
from store.views import QuoteView, quote_views, statement_counts

__all__ = ["ActorSort", "Corpus", "Filtered", "IssueQuotes", "issue_label"]


class ActorSort(StrEnum):
    count = "count"
    name = "name"


@dataclass(frozen=True, slots=True)
class Filtered:
    """The quote list's rows after the actor filter and the search, with match spans."""

    views: list[QuoteView]
    spans: list[tuple[tuple[int, int], ...]]
    result: SearchResult | None = None

    @property
    def match_count(self) -> int:
        return sum(len(s) for s in self.spans)


@dataclass(frozen=True, slots=True)
class IssueQuotes:
    """What one proposer (and those who speak for it) said on one issue."""

    proposer: Actor | None
    proposer_id: str
    views: list[QuoteView]


def issue_label(code: str) -> str:
    found = lookup(code)
    return f"{code} {found.name}" if found else code


class Corpus:
    """Actors, quotes and proposals of one database, with the search index over the quotes."""

    def __init__(self, views: list[QuoteView], actors: list[Actor],
                 proposals: list[Proposal]) -> None:
        self.views = views
        self.actors = actors
        self.actor_by_id = {a.id: a for a in actors}
        self.counts = statement_counts([v.statement for v in views])
        # Newest first; a tie on the date is broken by title, as `peace-tui proposals` does.
        self.proposals = sorted(proposals, reverse=True,
                                key=lambda p: (p.date or dt.date.min, p.title.casefold()))
        self._search: QuoteSearch | None = None

    @classmethod
    def from_store(cls, store: Store) -> Corpus:
        bundle = store.bundle()
        return cls(quote_views(bundle), bundle.actors, bundle.proposals)

    # -- actors ----------------------------------------------------------
    def sorted_actors(self, by: ActorSort) -> list[Actor]:
        if by is ActorSort.name:
            return sorted(self.actors, key=lambda a: (fold(a.name), a.id))
        return sorted(self.actors, key=lambda a: (-self.counts.get(a.id, 0), fold(a.name), a.id))

    def name_of(self, actor_id: str) -> str:
        actor = self.actor_by_id.get(actor_id)
        return actor.name if actor else actor_id

    # -- quotes ------------------------------------------------------------
    @property
    def index(self) -> QuoteSearch:
        """The search index, built on first use (a search may never be typed)."""
        if self._search is None:
            self._search = QuoteSearch(self.views)
        return self._search

    def search(self, query: str) -> SearchResult:
        return self.index.search(query)

    def filtered(self, actor_id: str | None, result: SearchResult | None) -> Filtered:
        """Quotes in reading order, narrowed to one speaker and/or a search result.

        The list keeps the corpus order (by date, then as read) rather than the
        search's ranking, so rows do not jump about while a query is typed.
        """
        if result is None or result.query.is_empty:
            views = [v for v in self.views if actor_id is None or v.statement.actor_id == actor_id]
            return Filtered(views, [()] * len(views), None)
        spans = {h.view.statement.id: h.spans for h in result.hits}
        views = [v for v in self.views if v.statement.id in spans
                 and (actor_id is None or v.statement.actor_id == actor_id)]
        return Filtered(views, [spans[v.statement.id] for v in views], result)

    # -- proposals -----------------------------------------------------------
    def proposal(self, proposal_id: str) -> Proposal | None:
        return next((p for p in self.proposals if p.id == proposal_id), None)

    def default_pair(self) -> tuple[Proposal, Proposal] | None:
        """The two most recent proposals, older on the left: a diff reads old -> new."""
        if len(self.proposals) < 2:
            return None
        return self.proposals[1], self.proposals[0]

    def diff(self, left: Proposal, right: Proposal) -> list[DiffRow]:
        return diff_proposals(left, right)

    def quotes_on_issue(self, proposer_id: str, issue: str) -> IssueQuotes:
        """The proposer's quotes on an issue, and those of actors affiliated with it.

        A state or an institution rarely speaks itself: 'United States' proposes,
        its president speaks. An actor whose affiliation names the proposer (by
        name, id or alias) is counted as speaking for it.
        """
        proposer = self.actor_by_id.get(proposer_id)
        names = {fold(proposer_id)}
        if proposer:
            names |= {fold(proposer.name), *(fold(a) for a in proposer.aliases)}
        speakers = {proposer_id} | {a.id for a in self.actors
                                    if a.affiliation and fold(a.affiliation) in names}
        views = [v for v in self.views
                 if v.statement.actor_id in speakers and issue in v.statement.issues]
        return IssueQuotes(proposer, proposer_id, views)
