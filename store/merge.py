"""Several segments of the index made one, from their arrays: no quote read again.

After a change (an ingest, an edit) the index is the earlier reading's
segment, some of its documents dead, and a small segment of the new quotes
(`QuoteSearch.from_earlier`). A snapshot of that cannot be glimpsed
(`store.glimpse` needs document i to be display row i), so every later
opening of a 1,000,000-quote database parsed its file first (10-14 s, not
2.5 s). Building the index again to make it whole means reading and
tokenizing every quote (11 s, holding the GIL much of it); the segments
already hold every word's postings and positions, and only their numbering
changes: a document's number becomes its display row, and with it the
place of each of its words. That is a few passes over arrays: the earlier
segment's entries stay in their order (its quotes keep theirs among
themselves), and the new quotes' go where a binary search puts them.

The result is the segment a build of the same quotes in that order would
make, array for array (`tests/test_merge.py` checks it against builds).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .firsts import by_first_use
from .index import Segment, bm25_weights

__all__ = ["merged"]


def merged(parts: Sequence[tuple[Segment, np.ndarray]], n: int) -> Segment | None:
    """One segment of documents 0..n-1 from `parts`: (segment, rows), where rows[k]
    is the document that the segment's document k becomes, or -1 to leave it out
    (dead). Every document 0..n-1 must come from exactly one part. None when it
    cannot be told exactly: a word over 65,535 times in one quote (its count is
    capped), or rows that do not cover 0..n-1 once each.

    Issue codes are kept with their documents, in another order of codes than a
    build's (nothing reads it); a code spelt two ways that fold alike, which
    checking refuses, would keep a document listing it twice twice."""
    for seg, rows in parts:
        # A count capped at 65,535 leaves fewer counted than there are positions.
        if len(rows) != seg.n or int(seg.post_tf.sum(dtype=np.int64)) != len(seg.pos):
            return None
    taken = [rows[rows >= 0] for _, rows in parts]
    every = np.concatenate(taken) if taken else np.zeros(0, dtype=np.int64)
    if len(every) != n or (n and (every.min() < 0 or every.max() >= n
                                  or np.bincount(every, minlength=n).max() != 1)):
        return None
    lengths = np.zeros(n, dtype=np.int64)
    for seg, rows in parts:
        kept = rows >= 0
        lengths[rows[kept]] = (np.diff(seg.doc_start, append=seg.end) - 1)[kept]
    starts = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(lengths + 1, out=starts[1:])
    out = Segment.__new__(Segment)
    out.n, out.doc_start, out.end = n, starts[:-1], int(starts[-1])
    moved = [_Moved(seg, rows) for seg, rows in parts]
    out.vocab = _vocab(moved)
    _postings(out, moved, lengths)
    _positions(out, moved)
    del moved
    _filters(out, parts)
    out._fresh_state()
    return out


class _Moved:
    """One part's postings with their documents' new numbers, worked out once."""

    def __init__(self, seg: Segment, rows: np.ndarray) -> None:
        self.seg, self.rows = seg, rows
        self.doc = rows[seg.post_doc]  # each posting's new document (-1: left out)
        self.kept = self.doc >= 0
        # How many kept postings each term has: a running count read at its offsets.
        running = np.zeros(len(self.kept) + 1, dtype=np.int64)
        np.cumsum(self.kept, out=running[1:])
        self.live_terms = np.flatnonzero(np.diff(running[seg.off]) > 0)
        self.new_term = np.zeros(0, dtype=np.int32)  # of each posting: see `_vocab`


def _vocab(parts: list[_Moved]) -> list[str]:
    """The words some kept document holds, sorted; each part's postings' new terms."""
    words = [[p.seg.vocab[t] for t in p.live_terms.tolist()] for p in parts]
    vocab = sorted(set().union(*words))
    number = {w: i for i, w in enumerate(vocab)}
    for p, mine in zip(parts, words, strict=True):
        to = np.full(len(p.seg.vocab), -1, dtype=np.int32)  # -1: no kept document has it
        to[p.live_terms] = [number[w] for w in mine]
        p.new_term = np.repeat(to, np.diff(p.seg.off))
    return vocab


def _keys(term: np.ndarray, within: np.ndarray, span: int) -> np.ndarray:
    """One sort key per entry: by term, then by `within` (each below `span`)."""
    key = term.astype(np.int64) * span
    key += within
    return key


def _in_order(keys: list[np.ndarray], columns: list[list[np.ndarray]]) -> list[np.ndarray]:
    """Each column, every part's entries laid out in the order of their keys (no key
    is in two parts). A part's own entries are in order unless rows moved its
    documents past one another (an edit that moved a quote): then, a sort."""
    if all(len(k) < 2 or bool((k[1:] > k[:-1]).all()) for k in keys):
        key, cols = keys[0], columns[0]
        for other, more in zip(keys[1:], columns[1:], strict=True):
            key, cols = _merge_two(key, cols, other, more)
        return cols
    order = np.argsort(np.concatenate(keys), kind="stable")
    return [np.concatenate(c)[order] for c in zip(*columns, strict=True)]


def _merge_two(a: np.ndarray, cols_a: list[np.ndarray], b: np.ndarray,
               cols_b: list[np.ndarray]) -> tuple[np.ndarray, list[np.ndarray]]:
    """Two runs of ascending keys, and their columns, merged: b's entries go where a
    binary search puts them (b is the small one, the new quotes), a's fill the rest."""
    from_b = np.zeros(len(a) + len(b), dtype=bool)
    from_b[np.searchsorted(a, b) + np.arange(len(b))] = True
    from_a = ~from_b
    merged_cols = []
    for x, y in zip([a, *cols_a], [b, *cols_b], strict=True):
        both = np.empty(len(from_b), dtype=np.result_type(x, y))
        both[from_a] = x
        both[from_b] = y
        merged_cols.append(both)
    return merged_cols[0], merged_cols[1:]


def _postings(out: Segment, parts: list[_Moved], lengths: np.ndarray) -> None:
    keys, columns = [], []
    for p in parts:
        doc, term = p.doc[p.kept].astype(np.int32), p.new_term[p.kept]
        keys.append(_keys(term, doc, max(out.n, 1)))
        columns.append([doc, term, p.seg.post_tf[p.kept]])
    out.post_doc, term, out.post_tf = _in_order(keys, columns)
    del keys, columns
    out.off = np.searchsorted(term, np.arange(len(out.vocab) + 1)).astype(np.int64)
    out.post_w = bm25_weights(lengths, out.off, out.post_doc, term,
                              out.post_tf.astype(np.float32))


def _positions(out: Segment, parts: list[_Moved]) -> None:
    """Each kept word's position moved with its document. A term's positions are
    grouped by document in the order of its postings, `post_tf` of each (uncapped):
    a posting's shift (its document's new start less its old), repeated that many
    times, moves them all."""
    keys, columns = [], []
    starts = np.append(out.doc_start, out.end)  # a start for row 0 even when there is none
    for p in parts:
        seg, tf = p.seg, p.seg.post_tf
        shift = starts[np.where(p.kept, p.doc, 0)]
        shift -= seg.doc_start[seg.post_doc]
        kept = np.repeat(p.kept, tf)
        place = np.repeat(shift, tf)
        del shift
        place += seg.pos
        place = place[kept]
        term = np.repeat(p.new_term, tf)[kept]
        del kept
        keys.append(_keys(term, place, out.end + 1))
        columns.append([place, term])
    place, term = _in_order(keys, columns)
    del keys, columns
    out.pos = place.astype(np.int32) if out.end < 2**31 else place
    out.poff = np.searchsorted(term, np.arange(len(out.vocab) + 1)).astype(np.int64)


def _filters(out: Segment, parts: Sequence[tuple[Segment, np.ndarray]]) -> None:
    """Dates, speakers (numbered by first appearance, as a build does) and issue codes."""
    n = out.n
    out.date = np.zeros(n, dtype=np.int32)
    names: dict[str, int] = {}
    speaker = np.zeros(n, dtype=np.int64)
    tagged: dict[str, list[np.ndarray]] = {}
    for seg, rows in parts:
        kept = rows >= 0
        out.date[rows[kept]] = seg.date[kept]
        code = np.array([names.setdefault(a, len(names)) for a in seg.actor_ids] or [0],
                        dtype=np.int64)
        speaker[rows[kept]] = code[seg.actor[kept]]
        for c, docs in seg.issues.items():
            moved = rows[docs]
            tagged.setdefault(c, []).append(moved[moved >= 0])
    everyone = list(names)
    by_first = by_first_use(speaker, len(everyone))
    renumber = np.zeros(len(everyone) or 1, dtype=np.int32)
    renumber[by_first] = np.arange(len(by_first), dtype=np.int32)
    out.actor = renumber[speaker] if n else np.zeros(0, dtype=np.int32)
    out.actor_ids = [everyone[k] for k in by_first.tolist()] if n else []
    out.issues = {c: np.sort(np.concatenate(d)).astype(np.int32) for c, d in tagged.items()
                  if sum(map(len, d))}
