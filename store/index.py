"""One immutable segment of the search index: postings, positions and filters in arrays.

Why arrays: a Python object per posting costs ~100 bytes and a Python loop
per matching document ~0.1 µs at best; at 1,000,000 quotes both are too much
(a pure-Python index measured +1.3 GB and up to 25 ms). Here every list is a
numpy array and every query step is a whole-array operation.

Layout (compressed sparse rows, terms in sorted order):

- `vocab` is sorted, so the words a prefix ('sanc') stands for are one
  contiguous range of term numbers, found with two bisections, and their
  postings are one contiguous slice of `post_doc` — no loop over terms.
- `post_doc[off[t]:off[t+1]]` are the documents holding term t (ascending),
  `post_tf` how often, `post_w` its BM25 weight there.
- `pos[poff[t]:poff[t+1]]` are the positions of term t, counted over all
  documents laid end to end with a gap of one between two documents; the
  term at each position is kept too (made on the first phrase). "a b" is
  found as the positions p of a (the rarer) with b at p + 1, and no phrase
  runs across two quotes.
- `date` (ordinal, 0 = unknown), `actor` (index into `actor_ids`), per issue
  code the documents tagged with it, and `alive` (deleted documents stay in
  the arrays, marked dead, until the segment is merged away).
"""

from __future__ import annotations

import threading
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import chain

import numpy as np

from .tokens import Tokenized

__all__ = ["DocMeta", "Segment"]

_K1, _B = 1.2, 0.75  # BM25's usual constants
_TOP = "\U0010ffff"
_GAP16 = 65535  # term_at's mark for "no word here" while term numbers fit in 16 bits


@dataclass(frozen=True, slots=True)
class DocMeta:
    """What the filters need to know about each document, one list entry per document."""

    actor_ids: list[str]
    issues: list[Sequence[str]]  # codes, any case (folded once per distinct code)
    dates: list[int]  # ordinals; 0 when unknown


class _Numbering(dict):
    """key -> a number, the next one for a key not seen before."""

    def __init__(self, into: dict[str, int]) -> None:
        super().__init__()
        self.into = into

    def __missing__(self, key: str) -> int:
        found = self[key] = self.into[key] = len(self.into)
        return found


class Segment:
    """Documents 0..n-1 of one build; never changed except for `alive`."""

    def __init__(self, tok: Tokenized, meta: DocMeta) -> None:
        n = self.n = len(meta.dates)
        order = sorted(range(len(tok.terms)), key=tok.terms.__getitem__)
        self.vocab = [tok.terms[i] for i in order]
        nv = len(self.vocab)
        rank = np.empty(nv, dtype=np.int32)
        rank[np.array(order, dtype=np.int64)] = np.arange(nv, dtype=np.int32)
        terms = rank[tok.ids] if len(tok.ids) else tok.ids
        lengths = tok.lengths
        starts = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(lengths + 1, out=starts[1:])
        self.doc_start = starts[:-1]
        self.end = int(starts[-1])  # past the last position
        # Sort the tokens by term, keeping reading order within a term. Stable
        # sorts of 16-bit keys are radix sorts: several times faster.
        by_term = np.argsort(terms.astype(np.uint16) if nv <= 65536 else terms, kind="stable")
        sorted_terms = terms[by_term]
        docs = np.repeat(np.arange(n, dtype=np.int32), lengths)[by_term]
        # A token's position is its index in reading order plus one gap per document before.
        if starts[-1] < 2**31:  # int32 while it fits: half the memory of the largest array
            self.pos = by_term.astype(np.int32)
            self.pos += docs
        else:
            self.pos = by_term + docs
        del by_term
        self.poff = np.searchsorted(sorted_terms, np.arange(nv + 1)).astype(np.int64)
        self._postings(sorted_terms, docs, lengths)
        self._filters(meta)

    def _postings(self, sorted_terms: np.ndarray, docs: np.ndarray, lengths: np.ndarray) -> None:
        """One posting per (term, document) with its count and BM25 weight."""
        n, nv = self.n, len(self.vocab)
        if len(docs):
            first = np.empty(len(docs), dtype=bool)
            first[0] = True
            np.not_equal(docs[1:], docs[:-1], out=first[1:])
            first[1:] |= sorted_terms[1:] != sorted_terms[:-1]
            at = np.flatnonzero(first)
            del first
            self.post_doc, post_term = docs[at], sorted_terms[at]
            # Counts, in as few and as small arrays as can be: at 1,000,000 quotes
            # these are 25 million entries, and fresh memory is slow to touch.
            at = at.astype(np.int32) if len(docs) < 2**31 else at
            tf = np.diff(at, append=np.array(len(docs), dtype=at.dtype))
            del at
        else:
            tf = np.zeros(0, dtype=np.int32)
            self.post_doc, post_term = docs, sorted_terms
        np.minimum(tf, 65535, out=tf)
        self.post_tf = tf.astype(np.uint16)
        self.off = np.searchsorted(post_term, np.arange(nv + 1)).astype(np.int64)
        df = np.diff(self.off)
        idf = np.log1p((n - df + 0.5) / (df + 0.5)).astype(np.float32)
        avg = max(float(lengths.mean()) if n else 1.0, 1.0)
        scale = (lengths / avg * _B + (1 - _B)).astype(np.float32) * _K1
        tf32 = tf.astype(np.float32)
        del tf
        w = scale[self.post_doc]
        w += tf32
        np.divide(tf32, w, out=w)
        w *= idf[post_term]
        w *= _K1 + 1
        self.post_w = w

    def _filters(self, meta: DocMeta) -> None:
        n = self.n
        self.date = np.array(meta.dates, dtype=np.int32)
        actors: dict[str, int] = {}
        self.actor = np.fromiter(map(_Numbering(actors).__getitem__, meta.actor_ids),
                                 dtype=np.int32, count=n)
        self.actor_ids = list(actors)
        codes: dict[str, int] = {}
        tagged = np.fromiter(map(_Numbering(codes).__getitem__, chain.from_iterable(meta.issues)),
                             dtype=np.int32)
        docs = np.repeat(np.arange(n, dtype=np.int32), [len(c) for c in meta.issues])
        by_code = np.argsort(tagged, kind="stable")
        cuts = np.searchsorted(tagged[by_code], np.arange(len(codes) + 1))
        # Keyed by the casefolded code (the query side folds too); two spellings
        # of one code, should there be any, are joined.
        issues: dict[str, list[np.ndarray]] = {}
        for c, k in codes.items():
            issues.setdefault(c.casefold(), []).append(docs[by_code[cuts[k]:cuts[k + 1]]])
        self.issues = {c: d[0] if len(d) == 1 else np.unique(np.concatenate(d))
                       for c, d in issues.items()}
        self.alive = np.ones(n, dtype=bool)
        self._doc_marks: np.ndarray | None = None  # see member
        self._terms_at: np.ndarray | None = None  # see _term_at
        self._lock = threading.Lock()  # a stale search may still run in another thread

    # -- terms -------------------------------------------------------------
    def prefix_range(self, word: str) -> tuple[int, int]:
        """Term numbers [lo, hi) of the words that start with `word`."""
        lo = bisect_left(self.vocab, word)
        return lo, bisect_left(self.vocab, word + _TOP, lo)

    def term(self, word: str) -> int | None:
        i = bisect_left(self.vocab, word)
        return i if i < len(self.vocab) and self.vocab[i] == word else None

    def postings(self, lo: int, hi: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Documents, counts and weights of terms lo..hi-1 (a document may repeat)."""
        a, b = self.off[lo], self.off[hi]
        return self.post_doc[a:b], self.post_tf[a:b], self.post_w[a:b]

    def term_set_postings(self, terms: list[int]) -> tuple[np.ndarray, ...]:
        parts = [self.postings(t, t + 1) for t in terms]
        if not parts:
            empty = np.zeros(0, dtype=np.int32)
            return empty, empty.astype(np.uint16), empty.astype(np.float32)
        return tuple(np.concatenate(p) for p in zip(*parts, strict=True))

    def phrase_starts(self, words: list[str]) -> np.ndarray:
        """Positions where the words stand one after the other (empty if none)."""
        ids = [self.term(w) for w in words]
        if any(t is None for t in ids):
            return np.zeros(0, dtype=np.int64)
        # Start from the rarest word, then read the term at each other offset.
        term_at = self._term_at()
        lists = [self.pos[self.poff[t]:self.poff[t + 1]] for t in ids]  # type: ignore[index]
        pivot = min(range(len(lists)), key=lambda k: len(lists[k]))
        starts = lists[pivot] - pivot  # the positions' own type: no copy to int64
        for k, t in enumerate(ids):
            if k == pivot or not len(starts):
                continue
            at = starts + k
            ok = (at >= 0) & (at < self.end)
            ok[ok] = term_at[at[ok]] == t
            starts = starts[ok]
        return starts

    def _term_at(self) -> np.ndarray:
        """The term at each position, a gap mark between documents: made on the
        first phrase (2 bytes a word; most sessions never type a phrase)."""
        with self._lock:
            if self._terms_at is None:
                nv = len(self.vocab)
                small = nv < _GAP16
                term_at = np.full(self.end, _GAP16 if small else -1,
                                  dtype=np.uint16 if small else np.int32)
                term_of = np.repeat(np.arange(nv, dtype=term_at.dtype), np.diff(self.poff))
                term_at[self.pos] = term_of
                self._terms_at = term_at
            return self._terms_at

    def member(self, values: np.ndarray, among: np.ndarray) -> np.ndarray:
        """Which of `values` are in `among` (documents; any order, repeats allowed).

        A bitmap over the documents, set at `among`, read at `values`, reset:
        linear in the two lists, never in n."""
        with self._lock:
            if self._doc_marks is None:
                self._doc_marks = np.zeros(self.n, dtype=bool)
            marks = self._doc_marks
            marks[among] = True
            found = marks[values]
            marks[among] = False
        return found

    def doc_of(self, positions: np.ndarray) -> np.ndarray:
        return (np.searchsorted(self.doc_start, positions, side="right") - 1).astype(np.int32)

    # -- filters -----------------------------------------------------------
    def speaker_mask(self, speaking: set[str]) -> np.ndarray:
        """Documents whose actor is one of `speaking` (actor ids)."""
        ok = np.array([a in speaking for a in self.actor_ids], dtype=bool)
        return ok[self.actor] if len(self.actor_ids) else np.zeros(self.n, dtype=bool)

    def issue_docs(self, code: str) -> np.ndarray:
        return self.issues.get(code, np.zeros(0, dtype=np.int32))
