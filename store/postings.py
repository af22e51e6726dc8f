"""Postings: a build's words sorted by term, their positions, and one posting per
(term, document) with its count and BM25 weight (`store.index.Segment`).

At 1,000,000 quotes a build sorts 34,000,000 words. Over a million words
the terms are split in two ranges of about as many words each, sorted and
posted in two threads (numpy lets go of the GIL; a term's postings and
positions are its own, so the parts are laid end to end): the same arrays,
0.7-1 s quicker.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass

import numpy as np

__all__ = ["THREADED_WORDS", "Postings", "bm25_weights", "by_term_order", "postings_of",
           "stable_order", "term_ranges"]

_K1, _B = 1.2, 0.75  # BM25's usual constants


#: Builds of more words than this sort and post them in two threads, by ranges of terms.
THREADED_WORDS = 1 << 20


def term_ranges(poff: np.ndarray) -> list[tuple[int, int]]:
    """Terms 0..nv-1 in one range, or two of about as many words each (a term's words,
    postings and positions are its own: the ranges are built apart and laid end to
    end, the same arrays as one build)."""
    nv, total = len(poff) - 1, int(poff[-1])
    if total < THREADED_WORDS or nv < 2:
        return [(0, nv)]
    mid = int(np.clip(np.searchsorted(poff, total // 2), 1, nv - 1))
    return [(0, mid), (mid, nv)]


def stable_order(keys: np.ndarray, span: int) -> np.ndarray:
    """The indexes that sort `keys` (each in 0..span-1), equal keys in their order.

    numpy's stable sort of 16-bit keys is a radix sort; of wider keys a
    merge sort, 5x slower (19,000,000 keys: 0.42 s against 2.0). Keys over
    16 bits (a vocabulary of more than 65,536 words) are sorted as two
    16-bit digits, the low one first (1.2 s)."""
    if span > 1 << 32:  # (not two digits: term numbers and issue codes are int32)
        return np.argsort(keys, kind="stable")
    low = np.argsort(keys.astype(np.uint16), kind="stable")  # (the cast keeps the low 16 bits)
    if span <= 1 << 16:
        return low
    high = keys[low]
    high >>= 16
    return low[np.argsort(high.astype(np.uint16), kind="stable")]


def by_term_order(terms: np.ndarray, lo: int, hi: int, nv: int) -> tuple[np.ndarray, np.ndarray]:
    """The indexes of the words of terms lo..hi-1 (of 0..nv-1) sorted by term, reading
    order within a term, and those words' terms less lo.

    Each word's term and index are packed in one 64-bit number (the term in
    the high half) and sorted as numbers: the order is the same, as no two
    numbers are equal, and numpy's SIMD sort of 64-bit numbers is quicker
    than its stable sorts and the gathers about them (17,000,000 words:
    0.5 s, against 0.65-1.45 s). The halves are read through a 32-bit view:
    little-endian only, else `stable_order`."""
    if lo == 0 and hi == nv:
        picked, keys = None, terms
    else:
        # (terms are never below 0, nor past the last: one comparison at either end)
        picked = np.flatnonzero(terms < hi if lo == 0 else terms >= lo if hi == nv
                                else (terms >= lo) & (terms < hi))
        keys = terms[picked]
        keys -= lo
    if len(terms) > 1 << 32 or hi - lo > 1 << 32 or sys.byteorder != "little":
        by_term = stable_order(keys, hi - lo)
        return (by_term if picked is None else picked[by_term]), np.sort(keys)
    packed = np.empty(len(keys), dtype=np.uint64)
    halves = packed.view(np.uint32).reshape(-1, 2)  # (low, high) of each number
    halves[:, 0] = np.arange(len(keys), dtype=np.uint32) if picked is None else picked
    del picked
    halves[:, 1] = keys
    del keys
    packed.sort()
    return halves[:, 0].astype(np.int64), halves[:, 1]


@dataclass(frozen=True, slots=True)
class Postings:
    """Terms lo..hi-1's positions and postings (`off` from 0, of hi - lo + 1 entries)."""

    pos: np.ndarray
    post_doc: np.ndarray
    post_tf: np.ndarray
    post_w: np.ndarray
    off: np.ndarray


def postings_of(terms: np.ndarray, doc_of: np.ndarray, used: np.ndarray, lengths: np.ndarray,
                 lo: int, hi: int, end: int) -> Postings:
    """Sort the words of terms lo..hi-1 by term, keeping reading order within a term
    (`by_term_order`); their positions, and one posting per (term, document) with
    its count and BM25 weight."""
    by_term, sorted_terms = by_term_order(terms, lo, hi, len(used))
    docs = doc_of[by_term]
    # A word's position is its index in reading order plus one gap per document before.
    if end < 2**31:  # int32 while it fits: half the memory of the largest array
        pos = by_term.astype(np.int32)
        pos += docs
    else:
        pos = by_term + docs
    del by_term
    if len(docs):
        first = np.empty(len(docs), dtype=bool)
        first[0] = True
        np.not_equal(docs[1:], docs[:-1], out=first[1:])
        first[1:] |= sorted_terms[1:] != sorted_terms[:-1]
        at = np.flatnonzero(first)
        del first
        post_doc, post_term = docs[at], sorted_terms[at]
        # Counts, in as few and as small arrays as can be: at 1,000,000 quotes
        # these are 25 million entries, and fresh memory is slow to touch.
        at = at.astype(np.int32) if len(docs) < 2**31 else at
        tf = np.diff(at, append=np.array(len(docs), dtype=at.dtype))
        del at
    else:
        tf = np.zeros(0, dtype=np.int32)
        post_doc, post_term = docs, sorted_terms
    np.minimum(tf, 65535, out=tf)
    post_tf = tf.astype(np.uint16)
    # (arange of post_term's own type: else all of post_term is copied to compare)
    off = np.searchsorted(post_term, np.arange(hi - lo + 1, dtype=post_term.dtype))
    tf32 = tf.astype(np.float32)
    del tf
    return Postings(pos, post_doc, post_tf,
                     bm25_weights(lengths, off, post_doc, post_term, tf32), off.astype(np.int64))


def bm25_weights(lengths: np.ndarray, off: np.ndarray, post_doc: np.ndarray,
                 post_term: np.ndarray, tf32: np.ndarray) -> np.ndarray:
    """Each posting's BM25 weight (float32), from every document's word count, the
    postings' offsets per term, and each posting's document, term and count (capped
    as `post_tf` is, as float32): a segment's, built or merged, alike."""
    n = len(lengths)
    df = np.diff(off)
    idf = np.log1p((n - df + 0.5) / (df + 0.5)).astype(np.float32)
    avg = max(float(lengths.mean()) if n else 1.0, 1.0)
    scale = (lengths / avg * _B + (1 - _B)).astype(np.float32) * _K1
    w = scale[post_doc]
    w += tf32
    np.divide(tf32, w, out=w)
    w *= idf[post_term]
    w *= _K1 + 1
    return w
