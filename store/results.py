"""What a search found: the matching quotes, ranked or in display order.

`SearchResult` holds, per segment, the matching documents and their scores
as arrays; quote objects (`Hit`) are made only for the quotes asked for
(`top(20)` costs 20 quotes' worth whatever the number of matches), their
highlight spans when first read, and the list's display order and per-row
match counts come from the index's arrays (`in_order`), not from the texts.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np

from .query import Query
from .spans import Spans, match_spans
from .views import QuoteView

if TYPE_CHECKING:
    from .index import Segment
    from .search import _Part

__all__ = ["Hit", "SearchResult"]


class Hit:
    """One ranked match. Its highlight spans are found when first asked for, as a row is
    shown: ranking 20 of 8,000 matches takes 0.1 ms, their spans as long again."""

    __slots__ = ("_found", "_result", "score", "view")

    def __init__(self, view: QuoteView, score: float, result: SearchResult) -> None:
        self.view, self.score, self._result = view, score, result
        self._found: Spans | None = None

    @property
    def spans(self) -> Spans:
        if self._found is None:
            self._found = self._result.spans(self.view)
        return self._found

    def __repr__(self) -> str:
        return f"Hit({self.view.statement.id!r}, score={self.score!r})"


@dataclass(slots=True)
class Matches:
    """One segment's matching documents (ascending) and their scores."""

    part: _Part
    docs: np.ndarray  # ascending local document numbers
    scores: np.ndarray


def _best(scores: np.ndarray, dates_of: Callable[[np.ndarray], np.ndarray],
          limit: int | None) -> np.ndarray:
    """The matches (indices into `scores`) best first: score to 1/1024, then the
    most recent, then the first; only the first `limit` of that order if given.

    With a limit, only what can be among the best is looked at: the limit-th
    best score of every 16th match is at most the limit-th best of all, so a
    match scoring below it (less a rounding step) cannot be in the first
    `limit`. At 1,000,000 quotes a common word matches 78,000: this ranks a few
    hundred instead of computing and partitioning 78,000 keys."""
    n = len(scores)
    if limit is not None and limit <= 0:
        return np.zeros(0, dtype=np.int64)
    if limit is not None and n > 64 * limit:
        sample = scores[::16]
        floor = np.partition(sample, len(sample) - limit)[len(sample) - limit]
        at = np.flatnonzero(scores >= floor - 2 / 1024)
    else:
        at = np.arange(n)
    # Score (to 1/1024), then the date: one integer key, largest first.
    key = (np.round(scores[at] * 1024).astype(np.int64) << 20) + dates_of(at)
    return at[_first(key, limit)]


def _first(key: np.ndarray, limit: int | None) -> np.ndarray:
    """Indices of the largest keys, largest first, ties in index order; `limit` of them."""
    if limit is None or limit >= len(key):
        return np.argsort(-key, kind="stable")
    kth = np.partition(key, len(key) - limit)[len(key) - limit]
    above = np.flatnonzero(key > kth)
    top = np.concatenate((above, np.flatnonzero(key == kth)[:limit - len(above)]))
    top.sort()
    return top[np.argsort(-key[top], kind="stable")]


class SearchResult:
    """The quotes that match a query: ranked (`hits`, `top`) or in display order.

    `top(20)` makes 20 hits whatever the number of matches; each finds its spans
    when they are first read.
    """

    def __init__(self, query: Query, matches: list[Matches], fuzzy: bool = False,
                 alternatives: dict[str, set[str]] | None = None) -> None:
        self.query = query
        self.fuzzy = fuzzy
        self.alternatives = alternatives
        self._matches = matches

    @property
    def total(self) -> int:
        return sum(len(m.docs) for m in self._matches)

    def spans(self, view: QuoteView) -> Spans:
        return match_spans(view.statement.text, self.query, self.alternatives)

    def _ranked(self, limit: int | None) -> list[tuple[_Part, int, float]]:
        ms = self._matches
        if not ms:
            return []
        if len(ms) == 1:  # one segment (no write since the index was made): no bookkeeping
            m = ms[0]
            date = m.part.segment.date
            best = _best(m.scores, lambda at: date[m.docs[at]], limit)
            part = m.part
            return [(part, d, s) for d, s in
                    zip(m.docs[best].tolist(), m.scores[best].tolist(), strict=True)]
        scores = np.concatenate([m.scores for m in ms])
        cuts = np.cumsum([0] + [len(m.docs) for m in ms])
        best = _best(scores, lambda at: self._dates(at, cuts), limit)
        part = np.searchsorted(cuts, best, side="right") - 1
        local = np.zeros(len(best), dtype=np.int64)
        for k, m in enumerate(ms):
            inside = part == k
            local[inside] = m.docs[best[inside] - cuts[k]]
        return [(ms[k].part, d, s) for k, d, s in
                zip(part.tolist(), local.tolist(), scores[best].tolist(), strict=True)]

    def _dates(self, at: np.ndarray, cuts: np.ndarray) -> np.ndarray:
        """The date of each match `at` (numbered over all parts, one after another)."""
        out = np.zeros(len(at), dtype=np.int64)
        for k, m in enumerate(self._matches):
            inside = (at >= cuts[k]) & (at < cuts[k + 1])
            out[inside] = m.part.segment.date[m.docs[at[inside] - cuts[k]]]
        return out

    def top(self, limit: int) -> list[Hit]:
        """The `limit` best hits, best first (each finds its spans when asked)."""
        return [Hit(part.views[d], s, self) for part, d, s in self._ranked(limit)]

    @cached_property
    def hits(self) -> list[Hit]:
        """Every hit, best first."""
        return [Hit(part.views[d], s, self) for part, d, s in self._ranked(None)]

    def in_order(self) -> tuple[list[int], list[int]]:
        """Display positions (see `QuoteSearch.set_order`) of every match, ascending,
        and how many spans each has (what `spans` would return, counted from the index)."""
        where, counts = self.in_order_arrays()
        return where.tolist(), counts.tolist()

    def in_order_arrays(self) -> tuple[np.ndarray, np.ndarray]:
        """`in_order` as arrays (int64)."""
        if not self._matches:
            return np.empty(0, np.int64), np.empty(0, np.int64)
        where = np.concatenate([m.part.order[m.docs] for m in self._matches])
        counts = np.concatenate([self._counts(m) for m in self._matches])
        if len(where) > 1 and (where[1:] < where[:-1]).any():  # else in order already
            order = np.argsort(where, kind="stable")
            where, counts = where[order], counts[order]
        return where, counts

    def _counts(self, m: Matches) -> np.ndarray:
        """Each match's number of matched words and phrases, from the postings of
        its words: linear in those postings and the matches, never in the quotes."""
        seg, q, docs = m.part.segment, self.query, m.docs
        words = list(dict.fromkeys(q.words))
        count = np.zeros(len(docs), dtype=np.int64)
        if not words and not q.phrases:
            return count
        if self.alternatives is not None:
            terms = sorted({t for w in words for t in map(seg.term, self.alternatives[w])
                            if t is not None})
            slices = [(t, t + 1) for t in terms]
        else:  # prefix ranges nest or are apart: a token matching two words counts once
            slices = []
            for lo, hi in sorted(seg.prefix_range(w) for w in words):
                if slices and lo < slices[-1][1]:
                    slices[-1] = (slices[-1][0], max(hi, slices[-1][1]))
                else:
                    slices.append((lo, hi))
        for lo, hi in slices:
            found, tf, _ = seg.postings(lo, hi)
            _add_at(count, docs, seg, found, tf, once=hi - lo == 1)
        for phrase in dict.fromkeys(q.phrases):
            _add_at(count, docs, seg, *seg.phrase_docs(phrase.split()), once=True)
        return count


def _add_at(count: np.ndarray, docs: np.ndarray, seg: Segment, found: np.ndarray,
            times: np.ndarray, once: bool) -> None:
    """count[i] += times of `found` entries that are docs[i]; `once`: no document is
    twice in `found` (one term's postings, a phrase's documents)."""
    if len(found) == len(docs) and np.array_equal(found, docs):  # a phrase's own matches
        count += times
        return
    at = seg.rows_in(found, docs)
    keep = at >= 0
    if not keep.all():
        at, times = at[keep], times[keep]
    if once:  # each row at most once: added in place
        count[at] += times
    elif len(at):
        count += np.bincount(at, weights=times, minlength=len(docs)).astype(np.int64)
