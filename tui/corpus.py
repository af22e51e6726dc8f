"""What the explorer shows, read once from the store: a facade with no Textual in it.

Screens ask this object for actors, quotes, search results and proposals;
they never see TinyDB or the Bundle. Everything here is plain Python, so it
is tested without a terminal and stays cheap to reason about.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from operator import attrgetter

import numpy as np

from store import Store
from store.diff import DiffRow, diff_proposals
from store.glimpse import LineViews, Picked
from store.history import DocChange
from store.index import Segment
from store.issue_codes import lookup
from store.models import Actor, Proposal, Source
from store.patch import PatchedViews, patch_reading
from store.query import fold
from store.search import QuoteSearch, SearchResult, Spans, SyncPlan
from store.views import QuoteView, proposal_order, quote_views, statement_counts

__all__ = ["ActorSort", "Corpus", "Filtered", "IssueQuotes", "issue_label"]


_statement = attrgetter("statement")


class ActorSort(StrEnum):
    count = "count"
    name = "name"


class LazySpans(Sequence[Spans]):
    """Each row's match spans, found when the row is drawn: a screen shows 30 of 100,000."""

    def __init__(self, views: Sequence[QuoteView], result: SearchResult | None) -> None:
        self._views, self._result = views, result
        self._found: dict[int, Spans] = {}

    def __len__(self) -> int:
        return len(self._views)

    def __getitem__(self, i):  # type: ignore[override]
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(len(self)))]
        if self._result is None:
            return ()
        if i < 0:
            i += len(self._views)
        found = self._found.get(i)
        if found is None:
            found = self._found[i] = self._result.spans(self._views[i])
        return found


@dataclass(frozen=True, slots=True)
class Filtered:
    """The quote list's rows after the actor filter and the search, with match spans.

    `counts[i]` is `len(spans[i])`, known from the index without finding the spans.
    A search's rows are `Picked` from the corpus's list (their places in it, in an
    array): made as they are drawn, not on every keystroke.
    """

    views: Sequence[QuoteView]
    spans: Sequence[Spans]
    result: SearchResult | None = None
    counts: Sequence[int] | np.ndarray = ()

    @property
    def match_count(self) -> int:
        return int(np.sum(self.counts, dtype=np.int64))


@dataclass(frozen=True, slots=True)
class IssueQuotes:
    """What one proposer (and those who speak for it) said on one issue."""

    proposer: Actor | None
    proposer_id: str
    views: list[QuoteView]


def _counted(speaker: np.ndarray, speakers: list[str]) -> dict[str, int]:
    """actor id -> how many quotes, from each quote's speaker as a number into `speakers`
    (an index's arrays: no pass over the quotes)."""
    per = np.bincount(speaker, minlength=len(speakers)).tolist()
    return {a: c for a, c in zip(speakers, per, strict=True) if c}


def issue_label(code: str) -> str:
    found = lookup(code)
    return f"{code} {found.name}" if found else code


class Corpus:
    """Actors, quotes and proposals of one database, with the search index over the quotes."""

    def __init__(self, views: list[QuoteView], actors: list[Actor],
                 proposals: list[Proposal], sources: list[Source] | None = None) -> None:
        self.views = views
        self.actors = actors
        #: every source of the file, quoted or not, for the forms' pickers (None: not
        #: known, and the forms read them from the store: at 1,000,000 quotes a parse
        #: of the whole file on the screen's event loop)
        self.sources = sources
        self.actor_by_id = {a.id: a for a in actors}
        self._counts: dict[str, int] | None = None  # see counts
        # Newest first; a tie on the date is broken by title, as `peace-tui proposals` does.
        self.proposals = sorted(proposals, reverse=True, key=proposal_order)
        self._search: QuoteSearch | None = None
        self._building = threading.Lock()  # see build_index
        self._expected: threading.Event | None = None  # see expect_index
        #: (the views before, the change) when this corpus is another's patched (`patched`)
        self._patched: tuple[list[QuoteView], PatchedViews] | None = None
        #: each row's speaker (a number) and the speakers' ids, for a glimpse whose index
        #: is not one segment in display order (`take_grown`)
        self._row_actors: tuple[np.ndarray, list[str]] | None = None

    @property
    def counts(self) -> dict[str, int]:
        """actor id -> how many quotes (counted when first asked, or taken from a saved index)."""
        if self._counts is None:
            self._counts = statement_counts(map(_statement, self.views))
        return self._counts

    def patched(self, changes: Sequence[DocChange]) -> Corpus | None:
        """This corpus after a change record's changes (`store.patch`): what a new reading
        of the changed file would show; None when that cannot be told for certain.
        The index is not in it: `adopt_index` brings this one's in step."""
        found = patch_reading(self.views, self.actors, self.proposals, changes)
        if found is None:
            return None
        corpus = Corpus(found.quotes.views, found.actors, found.proposals, self.sources)
        corpus._patched = (self.views, found.quotes)
        if self._counts is not None:
            corpus._counts = found.quotes.counts(self._counts)
        return corpus

    @classmethod
    def from_store(cls, store: Store) -> Corpus:
        bundle = store.bundle()
        return cls(quote_views(bundle), bundle.actors, bundle.proposals, bundle.sources)

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
        """The search index, built on first use (a search may never be typed); or, if a
        loader said it builds it (`expect_index`), once it has."""
        if self._expected is not None:
            self._expected.wait()
        self.build_index()
        assert self._search is not None
        return self._search

    def expect_index(self) -> None:
        """A loader will build the index (`build_index`, with its progress): a search
        asked before then, in another thread, waits for it rather than build one."""
        self._expected = threading.Event()

    def build_index(self, progress: Callable[[float], None] | None = None) -> None:
        """Build the index now (in a loader's worker); `progress(fraction)` as it goes.
        A search asked meanwhile, in another thread, waits for this build."""
        with self._building:
            if self._search is None:
                self._search = QuoteSearch(self.views, progress)
                self._count_from(self._search.main_segment)

    def warm_index(self) -> None:
        """Make, in the caller's worker, what phrases of very common words read
        (`QuoteSearch.warm`; at 1,000,000 quotes about a second, at 100,000 nothing):
        "of the" then takes 0.3 ms instead of 7. Without an index, nothing."""
        if self._search is not None:
            self._search.warm()

    def index_settled(self) -> None:
        """The loader's build is over (`expect_index`), done or failed: a search no
        longer waits for it. The loader says so, as it said it would build."""
        if self._expected is not None:
            self._expected.set()

    def take_index(self, segment: Segment) -> None:
        """Take a saved index of these very views (`store.snapshot`) instead of building one."""
        self._search = QuoteSearch(self.views, segment=segment)
        self._count_from(segment)

    def _count_from(self, segment: Segment) -> None:
        """`counts`, and each row's speaker, from an index of every view in order (built
        from them, or saved with them): its arrays, not a pass over the quotes (at
        1,000,000, 0.5 s holding the GIL, on the screen's first draw)."""
        if segment.n != len(self.views):
            return
        if self._counts is None:
            self._counts = _counted(segment.actor, segment.actor_ids)
        if self._row_actors is None and not isinstance(self.views, LineViews):
            self._row_actors = segment.actor, segment.actor_ids

    def take_grown(self, search: QuoteSearch, segment: Segment, earlier_rows: np.ndarray,
                   new_rows: np.ndarray) -> None:
        """Take the index of a glimpse of a changed file (`QuoteSearch.with_new`): the
        snapshot's `segment`, its documents now at `earlier_rows` (-1: gone), new at
        `new_rows`; each row's speaker is told from the arrays and the new views."""
        ids = list(segment.actor_ids)
        number = {a: k for k, a in enumerate(ids)}
        codes = np.empty(len(self.views), dtype=np.int32)
        standing = earlier_rows >= 0
        codes[earlier_rows[standing]] = segment.actor[standing]
        codes[new_rows] = [number.setdefault(self.views[r].statement.actor_id, len(number))
                           for r in new_rows.tolist()]
        ids = list(number)
        self._counts = _counted(codes, ids)
        self._row_actors = codes, ids
        self._search = search

    def take_search(self, search: QuoteSearch) -> None:
        """Take an index of these views made some other way (`QuoteSearch.from_earlier`)."""
        self._search = search

    @property
    def index_is_one_segment(self) -> bool:
        """Whether the index is one segment holding every quote, in display order (what
        a snapshot can keep)."""
        return self._search is not None and self._search.is_one_segment(self.views)

    @property
    def index_segment(self) -> Segment | None:
        """The index's one large segment, if the index is built (what a snapshot keeps)."""
        return None if self._search is None else self._search.main_segment

    def adopt_index(self, previous: Corpus, plan: SyncPlan | None = None) -> None:
        """Take over an older corpus's index, brought in step (see QuoteSearch.sync):
        after an ingest, the new quotes are indexed, not all of them again. `plan`
        is `plan_index` of this corpus, if a worker asked for it first."""
        if previous._search is not None:
            previous._search.sync(self.views, plan)
            self._search, previous._search = previous._search, None
        self._patched = None  # done with: the views before are let go

    def plan_index(self, previous: Corpus) -> SyncPlan | None:
        """What adopting `previous`'s index will change (the slow half of the sync): for a
        corpus that is `previous` patched, from what the change says changed."""
        if previous._search is None:
            return None
        if self._patched is not None and self._patched[0] is previous.views:
            return previous._search.plan_patch(self.views, len(previous.views),
                                               self._patched[1])
        return previous._search.plan_sync(self.views)

    @property
    def index_ready(self) -> bool:
        return self._search is not None

    def search(self, query: str) -> SearchResult:
        return self.index.search(query)

    def filtered(self, actor_id: str | None, result: SearchResult | None) -> Filtered:
        """Quotes in reading order, narrowed to one speaker and/or a search result.

        The list keeps the corpus order (by date, then as read) rather than the
        search's ranking, so rows do not jump about while a query is typed. The
        rows are their places in the list, picked with arrays (`Picked`): a
        quote is made (or, from a glimpse, read) only when its row is drawn. At
        1,000,000 quotes a phrase of common words matches 209,000 of them, and
        an actor's quotes were found by a pass over all (0.44 s a choice, and
        0.14-0.28 s a keystroke while one was chosen).
        """
        if result is not None and result.query.is_empty:
            result = None
        if result is None and actor_id is None and not isinstance(self.views, LineViews):
            views = self.views  # every quote: the corpus's own list, not a copy
            return Filtered(views, LazySpans(views, None), None, np.zeros(len(views), np.int64))
        if result is None:
            places = np.arange(len(self.views), dtype=np.int64)
            counts = np.zeros(len(places), dtype=np.int64)
        else:
            places, counts = result.in_order_arrays()
        if actor_id is not None:
            speaker, speakers = self._row_speakers()
            code = speakers.index(actor_id) if actor_id in speakers else -1
            mine = speaker[places] == code
            places, counts = places[mine], counts[mine]
        views = Picked(self.views, places)
        return Filtered(views, LazySpans(views, result), result, counts)

    def _row_speakers(self) -> tuple[np.ndarray, list[str]]:
        """Each row's speaker, a number into a list of actor ids: taken from an index
        whose document i is row i (built from these views, or a glimpse's), or a
        grown file's (`take_grown`); else told once from the views."""
        if self._row_actors is None:
            if isinstance(self.views, LineViews):  # the index's document i is row i
                segment = self.index_segment
                assert segment is not None and segment.n == len(self.views)  # taken with them
                return segment.actor, segment.actor_ids
            numbers: dict[str, int] = {}
            codes = np.fromiter((numbers.setdefault(v.statement.actor_id, len(numbers))
                                 for v in self.views), dtype=np.int32, count=len(self.views))
            self._row_actors = codes, list(numbers)
        return self._row_actors

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
