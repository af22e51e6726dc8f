"""Pairs of very common words ("of the", "in the"), kept like words of their own.

A phrase of two very common words is the costliest search there is: at
1,000,000 quotes "of the" reads the 2,000,000 positions of "of", keeps the
237,000 followed by "the" and finds the document of each: 7 ms of the 10 ms a
keystroke may take. Search engines keep such pairs as terms of their own
(Lucene's common grams, Elasticsearch's `index_phrases`); so does this: for
every two words with at least `COMMON` positions in a segment, the documents
holding the pair and how many times. At 1,000,000 quotes of the bench's
archive that is 7 words, 49 pairs, 2.8 million documents (17 MB), made in
0.2 s; at 100,000 no word is that common and nothing is made.

They are made after the index, in the background (`Segment.warm`), from the
arrays a phrase reads (`after`); until then a phrase is found the long way,
with the same result.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from .index import Segment

#: a word with this many positions in a segment is common: reading them all for
#: a phrase costs about 2 ms or more
COMMON = 1 << 19
#: a pair's documents (ascending, int32) and how many times it stands in each
Pair = tuple[np.ndarray, np.ndarray]


def common_words(poff: np.ndarray) -> np.ndarray:
    """The term numbers with at least COMMON positions (`poff`: their offsets)."""
    return np.flatnonzero(np.diff(poff) >= COMMON)


def common_pairs(seg: Segment) -> dict[tuple[int, int], Pair]:
    """Every pair of common words (`common_words`, each way round, a word with
    itself too): its documents and counts in `seg`, as `Segment.phrase_docs`
    finds them the long way (none: empty arrays)."""
    from .index import _counted  # (index imports this module)

    words = common_words(seg.poff)
    if not len(words):
        return {}
    after = seg._after()
    pairs: dict[tuple[int, int], Pair] = {}
    for a in words.tolist():
        lo, hi = int(seg.poff[a]), int(seg.poff[a + 1])
        positions, following = seg.pos[lo:hi], after[lo:hi]
        for b in words.tolist():
            docs, counts = _counted(seg.doc_of(np.compress(following == b, positions)))
            small = np.uint16 if not len(counts) or counts.max() < 2**16 else np.int64
            pairs[a, b] = docs, counts.astype(small)
    return pairs
