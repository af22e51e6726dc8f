"""Turning many statements into folded words fast, exactly as `store.query` does one.

The search index must see the same words as the highlighter, which runs
`WORD` over a quote and folds each match (`token_spans`). Doing that word by
word is about 10 µs a quote in Python: 1 s for 100,000 quotes. `tokenize_many`
gets the same words in bulk: the texts are joined, every ASCII byte that can
never be part of a word becomes a space (one `bytes.translate`), and the runs
left are split in one call. A run that is plain ASCII letters and digits is a
word as it stands (lower-cased, which is its fold); any other run (an
apostrophe, a letter with an accent, typographic punctuation) goes through
`WORD` and `fold`, once per distinct run. Runs repeat (news English is
Zipfian), so almost every run is a dictionary hit.

(Arrow's kernels split and number the runs about 0.2 s faster per 100,000
quotes, but importing pyarrow costs that much again and 33 MB of resident
memory, and its allocator kept 90 MB more: measured, and left out.)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from .query import WORD, fold

__all__ = ["Tokenized", "token_spans", "tokenize_many"]

_CHUNK = 8192  # texts tokenized together
_GONE = np.iinfo(np.int32).min  # a code marked for removal
_SEP = "\x01"  # between two texts; control characters are stripped from stored text
_KEEP = set(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'\x01")
_TABLE = bytes(b if b in _KEEP or b >= 0x80 else 0x20 for b in range(256))


def token_spans(text: str) -> list[tuple[str, int, int]]:
    """Each word of a text, folded, with its start and end in the text."""
    return [(_fold_word(m.group()), m.start(), m.end()) for m in WORD.finditer(text)]


class Tokenized:
    """The words of many texts: term ids in reading order, and how many each text has.

    `terms[i]` is the folded word whose id is i; `ids` holds the ids of every
    text's words, one text after another; `lengths[k]` is text k's word count.
    """

    __slots__ = ("ids", "lengths", "terms")

    def __init__(self, terms: list[str], ids: np.ndarray, lengths: np.ndarray) -> None:
        self.terms, self.ids, self.lengths = terms, ids, lengths


class _Runs(dict):
    """run -> its term id; a miss tokenizes and folds the run once.

    A run that is not exactly one word (none, or several: 'a—b') maps to a
    code below -1 that indexes `several`; -1 is the separator between texts.
    """

    def __init__(self) -> None:
        super().__init__()
        self.term_ids: dict[str, int] = {}
        self.several: list[tuple[int, ...]] = []
        self[_SEP] = -1

    def _id(self, term: str) -> int:
        found = self.term_ids.get(term)
        if found is None:
            found = self.term_ids[term] = len(self.term_ids)
        return found

    def __missing__(self, run: str) -> int:
        if run.isascii() and "'" not in run:
            code = self._id(run.lower())
        else:
            ids = tuple(self._id(fold(w)) for w in WORD.findall(run))
            if len(ids) == 1:
                code = ids[0]
            else:
                code = -2 - len(self.several)
                self.several.append(ids)
        self[run] = code
        return code


_FOLDED: dict[str, str] = {}


def _fold_word(word: str) -> str:
    """`fold`, remembered: the highlighter folds the same few thousand words all day."""
    found = _FOLDED.get(word)
    if found is None:
        if len(_FOLDED) > 200_000:
            _FOLDED.clear()
        found = _FOLDED[word] = fold(word)
    return found


def tokenize_many(texts: Sequence[str],
                  progress: Callable[[int, int], None] | None = None) -> Tokenized:
    """The words of every text, as `token_spans` would fold them, in bulk.

    `progress(done, total)` hears how many texts are read, chunk by chunk."""
    if not texts:
        return Tokenized([], np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.int64))
    runs = _Runs()
    # In chunks: a run is a str object while it is looked up, ~60 bytes each;
    # 3.5 million at once would be a 200 MB peak for 100,000 quotes.
    chunks = []
    for at in range(0, len(texts), _CHUNK):
        part = texts[at:at + _CHUNK]
        joined = f" {_SEP} ".join(part) + f" {_SEP} "
        if joined.count(_SEP) != len(part):  # not from the store: take the slow, exact way
            return _tokenize_slowly(texts)
        pieces = joined.encode("utf-8", "surrogatepass").translate(_TABLE).decode(
            "utf-8", "surrogatepass").split()
        del joined
        chunks.append(np.fromiter(map(runs.__getitem__, pieces), dtype=np.int32,
                                  count=len(pieces)))
        if progress is not None:
            progress(at + len(part), len(texts))
    # The last separator closes the last text.
    flat = _expand(np.concatenate(chunks), runs.several)[:-1]
    del chunks
    seps = np.flatnonzero(flat == -1)
    bounds = np.concatenate(([-1], seps, [len(flat)]))
    lengths = np.diff(bounds) - 1
    ids = flat[flat != -1] if len(seps) else flat
    return Tokenized(list(runs.term_ids), ids, lengths.astype(np.int64))


def _expand(flat: np.ndarray, several: list[tuple[int, ...]]) -> np.ndarray:
    """Replace each code of a run that is not one word by that run's words (maybe none).

    Such runs are rare ('a—b', an empty run at the edge of a chunk): the
    array is changed in place where a run has one word, and copied once for
    runs with none (removed) or several (the others inserted after the first).
    """
    odd = np.flatnonzero(flat < -1)
    if not len(odd):
        return flat
    groups = [several[-2 - c] for c in flat[odd].tolist()]
    sizes = np.fromiter(map(len, groups), dtype=np.int64, count=len(groups))
    some = np.flatnonzero(sizes > 0)
    flat[odd[some]] = [groups[k][0] for k in some.tolist()]
    none = odd[sizes == 0]
    flat[none] = _GONE
    many = np.flatnonzero(sizes > 1)
    if len(many):
        where = np.repeat(odd[many] + 1, sizes[many] - 1)
        flat = np.insert(flat, where, [w for k in many.tolist() for w in groups[k][1:]])
    return flat[flat != _GONE] if len(none) else flat


def _tokenize_slowly(texts: Sequence[str]) -> Tokenized:
    term_ids: dict[str, int] = {}
    ids: list[int] = []
    lengths = []
    for text in texts:
        words = [t for t, _, _ in token_spans(text)]
        ids.extend(term_ids.setdefault(w, len(term_ids)) for w in words)
        lengths.append(len(words))
    return Tokenized(list(term_ids), np.array(ids, dtype=np.int32),
                     np.array(lengths, dtype=np.int64))
