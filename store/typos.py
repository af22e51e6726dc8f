"""Which words of a vocabulary may be a few typos away from a word.

When nothing matches a query exactly, each word is matched again allowing a
typo or two (`QuoteSearch._near`): rapidfuzz measures the edit distance to
candidate words. Measuring it to the whole vocabulary (60,000 words at
100,000 quotes) would take most of a keystroke's time, so the candidates are
first narrowed by tests that only rule out: a word that fails one is surely
too far, and so the alternatives are the same as over the whole vocabulary.

- Length: an edit changes it by at most one.
- Characters: an edit changes the set of a word's characters by at most two
  (one out, one in), so does it to a 64-bit mask of them.
- Letter pairs: an edit brings at most two pairs of neighbouring characters
  into the word that the other had not (with the word's ends marked, so that
  a first or last letter counts). So the query's mask of pairs may have at
  most two bits per edit that the candidate's lacks. A pair sharing a bit
  with another only makes fewer bits missing: never a word ruled out wrongly.

For "sanctoins" at 100,000 quotes the characters leave 553 candidates, the
pairs 12; a typo search takes 0.86 ms instead of 0.98 (medians).
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise

import numpy as np

_EDGE = "\x00"  # marks a word's two ends (folded words have no control characters)


def char_mask(word: str) -> int:
    """One bit per character of a word (characters share the 64 bits)."""
    mask = 0
    for c in word:
        mask |= 1 << (ord(c) & 63)
    return mask


def pair_mask(word: str) -> int:
    """One bit per pair of neighbouring characters, the ends marked (pairs share the
    64 bits)."""
    marked = _EDGE + word + _EDGE
    mask = 0
    for a, b in pairwise(marked):
        mask |= 1 << ((ord(a) * 31 + ord(b)) & 63)
    return mask


class VocabNear:
    """A vocabulary's words kept by length, with their masks: `near(word, typos)`."""

    __slots__ = ("_by_length", "_chars", "_first", "_pairs", "_words")

    def __init__(self, vocab: Sequence[str]) -> None:
        """Masks for every word (0.1 s for 60,000): made on the first typo search."""
        lengths = np.fromiter(map(len, vocab), dtype=np.int32, count=len(vocab))
        by_length = np.argsort(lengths, kind="stable")
        words = np.empty(len(vocab), dtype=object)
        words[:] = vocab  # the same str objects, picked out without a Python loop
        self._words = words
        self._by_length = by_length
        self._chars = np.fromiter(map(char_mask, vocab), dtype=np.uint64,
                                  count=len(vocab))[by_length]
        self._pairs = np.fromiter(map(pair_mask, vocab), dtype=np.uint64,
                                  count=len(vocab))[by_length]
        top = int(lengths.max()) if len(vocab) else 0
        # _first[k]: where the words of length k begin in `by_length`
        self._first = np.searchsorted(lengths[by_length], np.arange(top + 2))

    def near(self, word: str, typos: int) -> list[str]:
        """The words (in the vocabulary's order) that may be within `typos` edits of
        `word`: the others are surely not."""
        first = self._first
        lo = first[min(max(len(word) - typos, 0), len(first) - 1)]
        hi = first[min(len(word) + typos + 1, len(first) - 1)]
        at = self._by_length[lo:hi]
        if hasattr(np, "bitwise_count"):  # numpy 2
            keep = np.bitwise_count(self._chars[lo:hi] ^ np.uint64(char_mask(word))) <= 2 * typos
            missing = np.uint64(pair_mask(word)) & ~self._pairs[lo:hi]
            keep &= np.bitwise_count(missing) <= 2 * typos
            at = at[keep]
        return self._words[np.sort(at)].tolist()
