"""Searching statements with the query language of `store.query`, through an index.

`QuoteSearch` keeps an inverted index over the statements (`store.index`):
a query is answered from postings and positions as whole-array operations,
so it costs a few milliseconds at 100,000 quotes instead of a scan of every
quote (`store.evaluate` picks whole-array passes or, when one list is short,
works from its documents alone). Results are ranked (BM25; a word typed in
full counts double; then the most recent first). Filters (speaker, issue,
dates) are applied through the same arrays. When nothing matches exactly,
words are matched again allowing one or two typos (rapidfuzz over the
vocabulary), and the result says so.

Match spans (what to highlight) are found only for the quotes asked for,
from their text, by the same rules the index used (`store.spans`); results
are ranked and put in display order in `store.results`.

Writes keep the index in step without a rebuild: `add` puts a statement in a
small second segment (rebuilt when next searched: milliseconds, as it stays
small), `remove` marks it dead; `sync` does both for a new reading of the
store, touching only what changed. When the small segment outgrows an
eighth of the large one, both are merged into one (amortised: each
statement is re-indexed a bounded number of times).
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import partial
from itertools import repeat

import numpy as np

from .collector import paused
from .evaluate import evaluate
from .firsts import first_uses
from .glimpse import LineViews, Picked
from .index import DocMeta, Segment
from .models import Statement
from .patch import PatchedViews
from .query import Query, fold, parse_query, tokenize
from .results import Hit, Matches, SearchResult
from .spans import Spans, match_spans
from .tokens import tokenize_many
from .typos import VocabNear
from .views import QuoteView

__all__ = ["Hit", "QuoteSearch", "SearchResult", "Spans", "SyncPlan", "match_spans"]

_MERGE_AT = 2000  # the small segment is merged away past max(this, large / 8)

def _max_typos(word: str) -> int:
    return 0 if len(word) < 4 else 1 if len(word) < 8 else 2


def _meta(views: list[QuoteView]) -> DocMeta:
    statements = [v.statement for v in views]
    dates = [st.said_on or (v.source.published if v.source else None)
             for st, v in zip(statements, views, strict=True)]
    return DocMeta([st.actor_id for st in statements], [st.issues for st in statements],
                   [d.toordinal() if d else 0 for d in dates])


def _speaker_text(view: QuoteView) -> str:
    """The speaker's id, name and aliases, each folded as written and as its words: a
    `speaker:` value is its words ('actor-1' -> 'actor 1', 'Jean-Yves' -> 'jean yves')."""
    names = [view.statement.actor_id]
    if view.actor:
        names += [view.actor.name, *view.actor.aliases]
    return " | ".join(f"{fold(n)} | {' '.join(tokenize(n))}" for n in names)


def _speaker_texts(views: Sequence[QuoteView]) -> dict[str, str]:
    """actor id -> what `speaker:` looks in; one view per actor is enough."""
    by_actor = dict(zip((v.statement.actor_id for v in views), views, strict=True))
    return {aid: _speaker_text(v) for aid, v in by_actor.items()}


def _gone(statement_id: str, actor_id: str) -> QuoteView:
    """What `from_earlier` puts for a statement it no longer has: no words, no tags."""
    return QuoteView(Statement.model_construct(id=statement_id, actor_id=actor_id, text="",
                                               source_id="", span=(0, 1), issues=[]),
                     None, None)


def _differs(old: QuoteView, new: QuoteView) -> bool:
    """Whether the index must see a statement again (its words, speaker, tags or date)."""
    a, b = old.statement, new.statement
    return (a.text != b.text or a.actor_id != b.actor_id or a.issues != b.issues
            or old.date != new.date)


def _places(part: _Part) -> dict[str, tuple[_Part | None, int]]:
    """statement id -> (part, document) for the part's live documents.

    Made a slice at a time: one call over a million quotes would hold the GIL
    for 1.2 s, and the explorer makes this in a worker while its screen runs."""
    ids = [v.statement.id for v in part.views]
    found: dict[str, tuple[_Part | None, int]] = {}
    with paused():  # a tuple per quote: 0.3 s of collections at 100,000
        for at in range(0, len(ids), _PLACES_AT_ONCE):
            chunk = ids[at:at + _PLACES_AT_ONCE]
            found.update(zip(chunk, zip(repeat(part), range(at, at + len(chunk))), strict=True))
        for k in np.flatnonzero(~part.segment.alive).tolist():  # after from_earlier
            found.pop(ids[k], None)
        return found


_PLACES_AT_ONCE = 1 << 15


@dataclass(frozen=True, slots=True)
class SyncPlan:
    """What a sync to a new reading must do (see `QuoteSearch.plan_sync`): what to drop
    and index again, and everything about the unchanged statements made ready."""

    gone: list[str]
    changed: list[str]
    main_views: list[QuoteView]  # the large segment's views, pointed at the new objects
    fresh: list[QuoteView]  # the small segment's views that stay, likewise
    added: list[QuoteView]  # new, and changed (indexed again), in display order
    place: dict[str, int]  # statement id -> display position
    main_order: np.ndarray  # the large segment's documents' display positions
    speakers: dict[str, str]  # actor id -> what `speaker:` looks in
    version: int


class _Part:
    """A segment with the views its documents stand for and their display order."""

    __slots__ = ("_near", "order", "segment", "views")

    def __init__(self, views: list[QuoteView], first: int,
                 progress: Callable[[float], None] | None = None,
                 segment: Segment | None = None) -> None:
        """Index `views` (document i is views[i]), or take `segment`, already their index."""
        self.views = views
        if segment is None:
            # At 1,000,000 quotes reading the words is about 40% of a build (4 s), what the
            # filters need 10%, the arrays the rest (5 s, said as they go).
            heard = None if progress is None else (lambda done, n: progress(0.4 * done / n))
            arrays = None if progress is None else (lambda done: progress(0.5 + 0.5 * done))
            with paused():
                tok = tokenize_many([v.statement.text for v in views], heard)
                if progress is not None:
                    progress(0.5)
                segment = Segment(tok, partial(_meta, views), arrays)
                del tok
        elif segment.n != len(views):
            raise ValueError(f"a segment of {segment.n} documents for {len(views)} views")
        self.segment = segment
        if progress is not None:
            progress(1.0)
        self.order = np.arange(first, first + len(views), dtype=np.int64)
        self._near: VocabNear | None = None  # see vocab_near

    def vocab_near(self, word: str, typos: int) -> list[str]:
        """The words of the vocabulary (in its order) that may be within `typos`
        edits of `word` (`store.typos`): the others are surely not, so rapidfuzz
        need not see them."""
        if self._near is None:
            self._near = VocabNear(self.segment.vocab)
        return self._near.near(word, typos)


class QuoteSearch:
    """An index over quote views; `search` answers a query string."""

    def __init__(self, views: Iterable[QuoteView] = (),
                 progress: Callable[[float], None] | None = None,
                 segment: Segment | None = None) -> None:
        """Index `views`; `progress(fraction)` hears how far the build has got. Given a
        `segment` that is their index already (`store.snapshot`), it is taken as it is."""
        # Views made when drawn (`store.glimpse`) stay so: listing them would make them all.
        views = views if isinstance(views, LineViews | Picked) else list(views)
        self._lock = threading.RLock()
        self._speaker: dict[str, str] = {}
        self._main = _Part(views, 0, progress, segment)
        # One view per actor is enough: the first of each, found in the segment's arrays.
        first = first_uses(self._main.segment.actor)  # (0.005 s at 1,000,000, not 0.09)
        self._note_speakers([views[i] for i in first.tolist()])
        self._fresh: list[QuoteView] = []
        self._delta: _Part | None = None
        self._next = len(views)
        self._where_made: dict[str, tuple[_Part | None, int]] | None = None  # see _where
        self._version = 0  # counts syncs, so that a stale SyncPlan is noticed

    @property
    def _where(self) -> dict[str, tuple[_Part | None, int]]:
        """statement id -> (its part, or None while it waits in the small segment; its
        document there, or display place): made when first needed to keep in step, not
        with the index (a tuple per quote: 0.07-0.3 s at 100,000, and searching never
        looks at it)."""
        if self._where_made is None:
            where = _places(self._main)
            if self._fresh:  # numbered before this was made (`from_earlier`)
                assert self._delta is not None
                where.update(zip((v.statement.id for v in self._fresh),
                                 zip(repeat(None), self._delta.order.tolist()), strict=True))
            self._where_made = where
        return self._where_made

    @_where.setter
    def _where(self, value: dict[str, tuple[_Part | None, int]]) -> None:
        self._where_made = value

    def _note_speakers(self, views: Sequence[QuoteView]) -> None:
        """What `speaker:` looks in, per actor: one view per actor is enough."""
        self._set_speakers(_speaker_texts(views))

    def _set_speakers(self, texts: dict[str, str]) -> None:
        self._speakers_of: dict[tuple[str, ...], set[str]] = {}  # what _speaking found
        self._speaker.update(texts)

    @classmethod
    def from_earlier(cls, segment: Segment, ids: Sequence[str], kept: Sequence[bool],
                     views: Sequence[QuoteView]) -> QuoteSearch:
        """The index of an earlier reading (`store.snapshot`), brought in step with
        `views`: document i stood for statement ids[i], and still does for the same
        words, speaker, tags and date where kept[i]; the others are dropped, and the
        views not kept are indexed into the small segment, as `add` does.

        A statement that was not kept stands in as one with no words, dead: the
        earlier objects are not at hand, and nothing reads a dead one's."""
        row = {v.statement.id: i for i, v in enumerate(views)}
        rows = np.fromiter((row.get(sid, -1) for sid in ids), dtype=np.int64, count=len(ids))
        del row
        # Kept, and among `views`: a document kept for a statement not there would
        # answer searches with a stand-in.
        standing = np.asarray(kept, dtype=bool) & (rows >= 0)
        then = [views[r] for r in np.where(standing, rows, 0).tolist()]
        for k in np.flatnonzero(~standing).tolist():
            then[k] = _gone(ids[k], segment.actor_ids[segment.actor[k]])
        search = cls(then, segment=segment)
        segment.kill(~standing)
        indexed = np.zeros(len(views), dtype=bool)
        indexed[rows[standing]] = True
        new_rows = np.flatnonzero(~indexed)
        with search._lock:  # numbered as `_set_order(views)` would, without a pass per quote
            search._main.order = np.where(standing, rows, len(views))
            search._number_apart([views[r] for r in new_rows.tolist()], new_rows)
            search._set_speakers(_speaker_texts(views))
        return search

    @classmethod
    def with_new(cls, segment: Segment, views: LineViews, earlier_rows: np.ndarray,
                 new_views: list[QuoteView], new_rows: np.ndarray) -> QuoteSearch:
        """A snapshot's index, whose document i is now row earlier_rows[i] of `views`
        (-1: changed or gone), and the new quotes (at `new_rows`) indexed apart
        (`store.grown`): for searching a changed file before it is parsed; the parsed
        reading's replaces it. No quote is made but those drawn and the new ones."""
        dead = np.asarray(earlier_rows) < 0
        if dead.any():  # its own copy to mark them in: the snapshot's is read again after
            alive, segment = segment.alive.copy(), copy.copy(segment)
            segment._fresh_state()  # its own marks and lock
            segment.alive, segment.all_alive = alive, bool(alive.all())
            segment.kill(dead)
        rows = np.where(dead, 0, earlier_rows).astype(np.int64)  # a dead one is never read
        search = cls(Picked(views, rows), segment=segment)
        with search._lock:
            search._main.order = np.where(dead, len(views), rows)
            search._number_apart(new_views, new_rows)
            search._note_speakers(new_views)
        return search

    def _number_apart(self, views: list[QuoteView], rows: np.ndarray) -> None:
        """Index `views`, at display rows `rows`, in the small segment at once: what
        `_add` and `_set_order` would do, without the table of every quote's place
        (`_where`, made from the parts when first needed)."""
        self._fresh = list(views)
        if self._fresh:
            self._delta = _Part(self._fresh, 0)
            self._delta.order = np.asarray(rows, dtype=np.int64)
        self._version += 1

    def parts_in_rows(self, n: int) -> list[tuple[Segment, np.ndarray]]:
        """Each segment, with the display row each of its documents stands at now (-1:
        dead, or not among the n shown): what `store.merge.merged` makes one segment
        of. The rows are copies: later writes change neither them nor what they say."""
        with self._lock:
            return [(p.segment, np.where(p.segment.alive & (p.order < n), p.order, -1))
                    for p in self._parts()]

    def is_one_segment(self, views: Sequence[QuoteView]) -> bool:
        """Whether the large segment alone holds `views`, in their order, all alive."""
        with self._lock:
            main = self._main
            return (not self._fresh and main.segment.n == len(views)
                    and bool(main.segment.alive.all())
                    and all(a is b for a, b in zip(main.views, views, strict=True))
                    and bool((main.order == np.arange(len(views))).all()))

    def warm(self) -> None:
        """Make what phrases of very common words read (`Segment.warm`), in the caller's
        thread: a worker's, once the index is in use. Searches go on meanwhile."""
        with self._lock:
            segments = [p.segment for p in self._parts()]
        for segment in segments:
            segment.warm()

    @property
    def main_segment(self) -> Segment:
        """The large segment (the whole index, until writes add a small one)."""
        return self._main.segment

    def __len__(self) -> int:
        with self._lock:  # `_where` may be made here: never twice at once
            return len(self._where)

    def __contains__(self, statement_id: object) -> bool:
        with self._lock:
            return statement_id in self._where

    # -- keeping in step with the store ----------------------------------------
    def add(self, view: QuoteView) -> None:
        """Index one more statement (a statement with the same id is replaced)."""
        with self._lock:
            self._version += 1
            self._add(view)

    def _add(self, view: QuoteView) -> None:
        self._remove(view.statement.id)
        self._note_speakers([view])
        self._fresh.append(view)
        self._where[view.statement.id] = (None, self._next)
        self._next += 1
        self._delta = None
        if len(self._fresh) > max(_MERGE_AT, self._main.segment.n // 8):
            self._merge()

    def remove(self, statement_id: str) -> bool:
        """Forget a statement; False if it was not indexed."""
        with self._lock:
            self._version += 1
            return self._remove(statement_id)

    def _remove(self, statement_id: str) -> bool:
        found = self._where.pop(statement_id, None)
        if found is None:
            return False
        part, local = found
        if part is None:
            self._fresh = [v for v in self._fresh if v.statement.id != statement_id]
            self._delta = None
        else:
            part.segment.kill(local)
        return True

    def _merge(self) -> None:
        main = self._main
        views = [v for v, ok in zip(main.views, main.segment.alive.tolist(), strict=True)
                 if ok] + self._fresh
        order = np.concatenate([main.order[main.segment.alive], self._delta_order()])
        self._main = _Part(views, 0)
        self._main.order = order
        self._fresh, self._delta = [], None
        self._where = _places(self._main)

    def _delta_order(self) -> np.ndarray:
        return np.array([self._where[v.statement.id][1] for v in self._fresh], dtype=np.int64)

    def _parts(self) -> list[_Part]:
        if self._fresh and self._delta is None:
            self._delta = _Part(self._fresh, 0)
            self._delta.order = self._delta_order()
        return [self._main] + ([self._delta] if self._fresh and self._delta else [])

    def sync(self, views: Sequence[QuoteView], plan: SyncPlan | None = None) -> tuple[int, int]:
        """Bring the index in step with a new reading of the store; (added, removed).

        Only what changed is indexed or dropped; `views` also becomes the
        display order. After an ingest of a few articles this is milliseconds
        where a rebuild of 100,000 quotes is more than a second. `plan` is what
        `plan_sync` found for these views, if it was asked first.
        """
        with self._lock:
            return self._sync(views, plan or self.plan_sync(views))

    def plan_sync(self, views: Sequence[QuoteView]) -> SyncPlan:
        """What `sync` must do for `views`; the index is not changed.

        The slow part of a sync (comparing every statement, numbering them
        all: a third of a second at 100,000), so that a reader can do it in a
        worker while the index still answers for the old reading; `sync(views,
        plan)` then only drops and adds what changed.
        """
        with self._lock:
            new = {v.statement.id: v for v in views}
            where = self._where
            gone = [sid for sid in where if sid not in new]
            indexed = [*self._main.views, *self._fresh]
            changed = [v.statement.id for v in indexed if v.statement.id in where
                       and (f := new.get(v.statement.id)) is not None and f is not v
                       and _differs(v, f)]
            dropped = {*gone, *changed}
            main_views = [new.get(v.statement.id, v) for v in self._main.views]
            place = {v.statement.id: i for i, v in enumerate(views)}
            missing = len(views)
            return SyncPlan(
                gone, changed, main_views,
                [new.get(v.statement.id, v) for v in self._fresh
                 if v.statement.id not in dropped],
                [v for v in views if v.statement.id not in where or v.statement.id in dropped],
                place,
                np.array([place.get(v.statement.id, missing) for v in main_views],
                         dtype=np.int64),
                _speaker_texts(views),
                self._version)

    def plan_patch(self, views: Sequence[QuoteView], before: int,
                   change: PatchedViews) -> SyncPlan:
        """`plan_sync` for `views` that are the `before` views this index is in step with,
        changed as `change` says (`store.patch`): from what changed and a few passes
        over arrays, not a pass in Python over every quote (0.5 s at 100,000)."""
        with self._lock:
            where, main = self._where, self._main
            gone = [sid for sid in change.gone if sid in where]
            changed = [v.statement.id for _, v in change.reindexed if v.statement.id in where]
            dropped = {*gone, *changed}
            main_views = list(main.views)
            rejoined = {v.statement.id: v for v in change.rejoined}
            for sid, v in rejoined.items():  # the same words: only the view is new
                part, doc = where.get(sid, (None, 0))
                if part is main:
                    main_views[doc] = v
            fresh = [rejoined.get(v.statement.id, v) for v in self._fresh
                     if v.statement.id not in dropped]
            # Each earlier place's new one; places past the end stay past it.
            new_of_old = np.full(before + 1, len(views), dtype=np.int64)
            stayed = np.flatnonzero(change.moved_from >= 0)
            new_of_old[change.moved_from[stayed]] = stayed
            place = {v.statement.id: int(new_of_old[min(where[v.statement.id][1], before)])
                     for v in fresh}
            place.update((v.statement.id, k) for k, v in change.reindexed)
            return SyncPlan(gone, changed, main_views, fresh, [v for _, v in change.reindexed],
                            place, new_of_old[np.minimum(main.order, before)],
                            _speaker_texts(change.rejoined), self._version)

    def _sync(self, views: Sequence[QuoteView], plan: SyncPlan) -> tuple[int, int]:
        if plan.version != self._version:  # changed since it was planned: plan again
            plan = self.plan_sync(views)
        self._version += 1
        for sid in plan.gone + plan.changed:
            self._remove(sid)
        # The same statements: keep their entries, point them at the latest objects.
        main = self._main
        main.views, self._fresh, self._delta = plan.main_views, plan.fresh, None
        for v in plan.added:
            self._add(v)
        self._set_speakers(plan.speakers)
        if self._main is main:  # not merged away by the adds: its numbering is ready
            main.order = plan.main_order
            self._number_fresh(plan.place, len(views))
        else:
            self._set_order(views)
        return len(plan.added), len(plan.gone) + len(plan.changed)

    def set_order(self, views: Sequence[QuoteView]) -> None:
        """Number the statements by their place in `views` (what `in_order` returns)."""
        with self._lock:
            self._set_order(views)

    def _set_order(self, views: Sequence[QuoteView]) -> None:
        place = {v.statement.id: i for i, v in enumerate(views)}
        self._note_speakers(views)
        self._main.order = np.array([place.get(v.statement.id, len(views))
                                     for v in self._main.views], dtype=np.int64)
        self._number_fresh(place, len(views))

    def _number_fresh(self, place: dict[str, int], missing: int) -> None:
        for v in self._fresh:
            self._where[v.statement.id] = (None, place.get(v.statement.id, missing))
        if self._fresh:
            self._parts()  # the small segment, made now, numbered like the rest
            assert self._delta is not None
            self._delta.order = np.array([place.get(v.statement.id, missing)
                                          for v in self._fresh], dtype=np.int64)

    # -- searching -------------------------------------------------------------
    def search(self, query: str | Query, limit: int | None = None) -> SearchResult:
        """Match a query; `limit` ranks only that many hits (`hits` then has them)."""
        q = parse_query(query) if isinstance(query, str) else query
        with self._lock:  # the explorer searches in a thread; an ingest syncs in another
            parts = self._parts()
            matches = [self._run(p, q, None) for p in parts]
            result = SearchResult(q, matches)
            if not result.total and q.words:
                alternatives = {w: self._near(w, parts) for w in q.words}
                if any(len(alts) > 1 for alts in alternatives.values()):
                    result = SearchResult(q, [self._run(p, q, alternatives) for p in parts],
                                          True, alternatives)
        if limit is not None:
            result.hits = result.top(limit)
        return result

    def _near(self, word: str, parts: list[_Part]) -> set[str]:
        from rapidfuzz import process
        from rapidfuzz.distance import Levenshtein

        typos = _max_typos(word)
        found = {word}
        if typos:
            for part in parts:
                found.update(c for c, _, _ in process.extract(
                    word, part.vocab_near(word, typos),
                    scorer=Levenshtein.distance, score_cutoff=typos, limit=20))
        return found

    def _speaking(self, needles: tuple[str, ...]) -> set[str]:
        """The actors `speaker:` allows: remembered until the speakers change (a test
        per actor is ~0.2 ms for 600, per keystroke and per segment)."""
        found = self._speakers_of.get(needles)
        if found is None:
            if len(self._speakers_of) > 256:
                self._speakers_of.clear()
            found = self._speakers_of[needles] = {
                a for a, text in self._speaker.items() if all(s in text for s in needles)}
        return found

    def _run(self, part: _Part, q: Query, alternatives: dict[str, set[str]] | None) -> Matches:
        speaking = self._speaking(q.speakers) if q.speakers else None
        docs, scores = evaluate(part.segment, q, alternatives, speaking)
        return Matches(part, docs, scores)
