"""A large database read for the first time, indexed in two processes before it is parsed.

A database read before is shown and searched from its snapshot
(`store.glimpse`); one read for the first time had to be parsed whole,
every document checked, the quotes sorted and then indexed, one step after
another on one core: 1,000,000 quotes were searchable after 26-38 s here
(now about 9 s). Only part of that is needed to search: each quote's
words, speaker, tags, date, and its place in the list. Here those are read
straight from the file's lines, in chunks taken in turn by this process
and a child Python (`store.coldhelper`), each into a half
(`store.coldhalf`); the halves are then sorted as the list is and indexed
as one. The explorer shows the quotes a line at a time, as a glimpse
does, and the file is parsed and checked meanwhile, as before; its index is
this one if it read the same bytes, quotes and sources (`tui.loading`).

Nothing here trusts the file: a line that is not in the form this program
writes, a date that is not one, a field of another type, makes the answer
None, and the file is read the long way.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from .coldhalf import Half, chunks, half_of
from .coldhelper import Helper
from .index import DocCodes, Segment, join_words
from .lines import LineTables
from .tokens import Tokenized

if TYPE_CHECKING:
    from .models import Source

__all__ = ["ColdIndex", "cold_index"]


@dataclass(frozen=True, slots=True)
class ColdIndex:
    """The index of a file's statements in display order, and that order."""

    order: np.ndarray  # display row -> the statement's line
    segment: Segment
    source_ids: np.ndarray  # the sources' ids, a line each, newline-joined (`join_words`)
    published: dict[str, int]  # source id -> its day (ordinal; 0: none), as read here

    def same_sources(self, sources: Sequence[Source]) -> bool:
        """Whether a reading's sources are those read here, in order, of the same days
        (sorting and dating read them from their lines' bytes: a line that is not
        a source, as this program writes one, could have misled it)."""
        return (len(sources) == len(self.published)
                and [s.id for s in sources] == list(self.published)  # in the lines' order
                and all(self.published[s.id] == (s.published.toordinal() if s.published else 0)
                        for s in sources))


def cold_index(raw: bytes, lines: LineTables, helper: Helper,
               reading: Callable[[float], None] | None = None,
               indexing: Callable[[], None] | None = None) -> ColdIndex | None:
    """The index of the statements of `raw` (in `lines`), read in chunks taken in turn
    by this process (from the front) and by `helper` (from the back); None if the
    file is not in this program's form. `reading(fraction)` hears how much of the
    file both have taken, `indexing()` that the halves are being made one index."""
    starts = lines.starts("statements")
    n = len(starts) - 1
    size = helper.size
    count, claims = chunks(n, size), helper.claims
    try:
        mine = half_of(raw, starts, claims.from_front(count), size,
                       None if reading is None else lambda: reading(claims.taken(count)))
    except (ValueError, TypeError, KeyError, IndexError, OverflowError):
        helper.close()
        return None
    if indexing is not None:
        indexing()
    theirs = helper.result()
    if theirs is None or not _meet(mine, theirs.half, n):
        return None
    return _joined(mine, theirs.half, theirs.published, theirs.source_ids)


def _meet(mine: Half, theirs: Half, n: int) -> bool:
    """Whether two halves are all the n statements: this one's from the first line, the
    helper's from where this one's stop to the last (either may have none)."""
    if theirs.lines[0] == theirs.lines[1]:  # the helper took none
        return mine.lines == (0, n)
    if mine.lines[0] == mine.lines[1]:  # (it leaves this one some: not so far)
        return theirs.lines == (0, n)
    return mine.lines[0] == 0 and mine.lines[1] == theirs.lines[0] and theirs.lines[1] == n


def _joined(a: Half, b: Half, published: dict[str, int], source_ids: list[str]) -> ColdIndex:
    """The two halves as one, sorted as `views.view_order` sorts (by the source's day,
    undated first; its id; where the quote starts; stably) and indexed."""
    terms, ids, uses = _words(a.tok, b.tok)
    lengths = np.concatenate((a.tok.lengths, b.tok.lengths))
    actor, actor_ids = _names(a.actor, a.actors, b.actor, b.actors)
    source, source_names = _names(a.source, a.sources, b.source, b.sources)
    issue, issue_ids = _names(a.issue, a.issues, b.issue, b.issues)
    issue_counts = np.concatenate((a.issue_counts, b.issue_counts))
    said = np.concatenate((a.said, b.said))
    # A source not in the file: no day (as views sort a quote without its source).
    day_of = np.array([published.get(s, 0) for s in source_names] or [0], dtype=np.int64)
    order = _display_order(day_of, source_names, source,
                           np.concatenate((a.start, b.start)))
    dates = np.where(said > 0, said, day_of[source])[order]
    tok = _reordered(Tokenized(terms, ids, lengths, uses), order)
    first = np.concatenate(([0], np.cumsum(issue_counts)))
    picked = _ranges(first[order], issue_counts[order])
    codes = DocCodes(dates, actor[order], actor_ids, issue[picked], issue_counts[order], issue_ids)
    return ColdIndex(order, Segment(tok, codes), join_words(source_ids), published)


def _display_order(day_of: np.ndarray, source_names: list[str], source: np.ndarray,
                   start: np.ndarray) -> np.ndarray:
    """The quotes sorted as `views.view_order` sorts them: by their source's day
    (`day_of`, 0 for none: undated first, as date.min), its id, then where the
    quote starts; stably. The sources are put in that order first (one for a few
    quotes), then each quote's source's place, its start and its own index are
    made one number and sorted (1,000,000 quotes: 0.05 s, against 0.25 s for
    numpy's lexsort of the three) when they fit in 63 bits; else lexsorted."""
    n = len(source)
    if not n:
        return np.zeros(0, dtype=np.int64)
    by_id = np.empty(len(source_names), dtype=np.int64)
    by_id[np.array(sorted(range(len(source_names)), key=source_names.__getitem__),
                   dtype=np.int64)] = np.arange(len(source_names))
    in_order = np.lexsort((by_id, np.maximum(day_of[:len(source_names)], 1)))  # undated: 1
    place = np.empty(len(in_order), dtype=np.int64)
    place[in_order] = np.arange(len(in_order))
    ranked = place[source]
    low = int(start.min())
    bits = [max(int(x).bit_length(), 1)
            for x in (len(in_order) - 1, int(start.max()) - low, n - 1)]
    if sum(bits) > 63:
        return np.lexsort((start, ranked))
    key = ranked << (bits[1] + bits[2])
    key |= (start - low) << bits[2]
    key |= np.arange(n, dtype=np.int64)  # each key its own: any sort is then stable
    return np.argsort(key)


def _names(a: np.ndarray, a_names: list[str], b: np.ndarray,
           b_names: list[str]) -> tuple[np.ndarray, list[str]]:
    """Two numberings of names made one: a's numbers kept, b's renumbered after them."""
    number = dict(zip(a_names, range(len(a_names)), strict=True))
    to = np.array([number.setdefault(x, len(number)) for x in b_names], dtype=np.int32)
    return np.concatenate((a, to[b] if len(b) else b)), list(number)


def _ranges(first: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """The indexes first[k] .. first[k] + counts[k] - 1, for each k in turn."""
    total = int(counts.sum())
    if not total:
        return np.zeros(0, dtype=np.int64)
    kind = np.int32 if total < 2**31 and (not len(first) or first.max() < 2**31) else np.int64
    begin = np.cumsum(counts) - counts
    found = np.repeat((first - begin).astype(kind), counts)
    found += np.arange(total, dtype=kind)
    return found


def _words(a: Tokenized, b: Tokenized) -> tuple[list[str], np.ndarray, np.ndarray]:
    """The words of two halves as one: every term, sorted (as `Segment` numbers them,
    which then need not renumber 34,000,000 words at 1,000,000 quotes), a's words
    then b's by those numbers (each half renumbered in a thread of its own: numpy
    lets go of the GIL), and how many times each term is used."""
    terms = sorted(set(a.terms).union(b.terms))
    number = dict(zip(terms, range(len(terms)), strict=True))
    uses = np.zeros(len(terms), dtype=np.int64)
    ids = np.empty(len(a.ids) + len(b.ids), dtype=np.int32)
    parts = []
    for half, out in ((a, ids[:len(a.ids)]), (b, ids[len(a.ids):])):
        to = np.fromiter(map(number.__getitem__, half.terms), np.int32, count=len(half.terms))
        uses[to] += half.counted().uses  # (each term of a half once: no two adds collide)
        parts.append((to, half.ids, out))
    # (mode "clip": a half's words are its terms' numbers, all in range; "raise" would
    # write to a buffer first and copy it to `out`, 0.04-0.2 s more at 1,000,000)
    _in_two_threads(lambda to, words, out: np.take(to, words, out=out, mode="clip"), parts)
    return terms, ids, uses


def _in_two_threads(call: Callable[..., object], args: Sequence[tuple]) -> None:
    """call(*each of two sets of args), at once (numpy work: the GIL is let go)."""
    with ThreadPoolExecutor(2) as pool:
        for done in [pool.submit(call, *one) for one in args]:
            done.result()  # (raised here, if it raised)


#: Texts in a run of `order`, on average, past which `_reordered` copies runs.
_RUN_TEXTS = 4


def _reordered(tok: Tokenized, order: np.ndarray) -> Tokenized:
    """The same texts' words, the texts taken in `order`.

    A source's quotes are one after another in a file (an article's are stored
    together) and in one another's order: `order` is mostly runs of texts in a
    row, whose words are copied a run at a time (125,000 runs at 1,000,000 quotes:
    0.13-0.16 s). Where it is not, each text's words are gathered, the first texts'
    in one thread and the rest in another (0.2-0.5 s, 34,000,000 words)."""
    first = np.cumsum(tok.lengths) - tok.lengths
    lengths = tok.lengths[order]
    n = len(order)
    cuts = np.flatnonzero(np.diff(order) != 1) + 1
    if n and len(cuts) < n // _RUN_TEXTS:
        begin, last = order[np.concatenate(([0], cuts))], order[np.append(cuts, n) - 1]
        ids = np.concatenate([tok.ids[a:b] for a, b in zip(
            first[begin].tolist(), (first[last] + tok.lengths[last]).tolist(), strict=True)])
        return Tokenized(tok.terms, ids.astype(tok.ids.dtype, copy=False), lengths, tok.uses)
    ends = np.cumsum(lengths)
    ids = np.empty(len(tok.ids), dtype=tok.ids.dtype)
    mid = int(np.searchsorted(ends, ends[-1] // 2)) if n else 0

    def gather(lo: int, hi: int) -> None:  # texts lo..hi-1, in their new order
        at, to = (int(ends[lo - 1]) if lo else 0), (int(ends[hi - 1]) if hi else 0)
        np.take(tok.ids, _ranges(first[order[lo:hi]], lengths[lo:hi]), out=ids[at:to],
                mode="clip")  # (all in range: straight to `out`, not through a buffer)

    _in_two_threads(gather, [(0, mid), (mid, n)])
    return Tokenized(tok.terms, ids, lengths, tok.uses)
