"""Turning many statements into folded words fast, exactly as `store.query` does one.

The search index must see the same words as the highlighter, which runs
`WORD` over a quote and folds each match (`token_spans`). Doing that word by
word is about 10 µs a quote in Python: 1 s for 100,000 quotes. `tokenize_many`
gets the same words in bulk: the texts are joined, every ASCII byte that can
never be part of a word becomes a space (one `bytes.translate`), and Arrow
splits the rest into runs and numbers the distinct ones in C++ (no Python
object per word; 35 million words at 1,000,000 quotes). A run that is plain
ASCII letters and digits is a word as it stands (lower-cased, which is its
fold); any other run (an apostrophe, a letter with an accent, typographic
punctuation) goes through `WORD` and `fold`. Either way that is once per
distinct run: news English is Zipfian, so a chunk of 16,000 quotes has some
600,000 runs but only 10,000 distinct ones.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .query import WORD, fold

__all__ = ["Tokenized", "token_spans", "tokenize_many"]

_CHUNK = 16384  # texts tokenized together (about 4 MB of text)
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
        self.several: list[tuple[int, ...]] = [()]
        self[_SEP] = -1
        self[""] = -2  # no word: what a split finds before a leading space

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


def tokenize_many(texts: Sequence[str]) -> Tokenized:
    """The words of every text, as `token_spans` would fold them, in bulk."""
    if not texts:
        return Tokenized([], np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.int64))
    from concurrent.futures import ThreadPoolExecutor

    runs = _Runs()
    chunks = []
    parts = [texts[at:at + _CHUNK] for at in range(0, len(texts), _CHUNK)]
    # Two threads: Arrow's kernels release the GIL, so one chunk is split
    # while the runs of the one before are looked up here.
    with ThreadPoolExecutor(2) as pool:
        for split in pool.map(_split_runs, parts):
            if split is None:  # a text holds the separator: not from the store
                pool.shutdown(cancel_futures=True)
                return _tokenize_slowly(texts)
            distinct, indices = split
            codes = np.fromiter(map(runs.__getitem__, distinct), dtype=np.int32,
                                count=len(distinct))
            chunks.append(codes[indices])
    # The last separator closes the last text (what follows it is no word).
    flat_ids = _expand(np.concatenate(chunks), runs.several)[:-1]
    del chunks
    seps = np.flatnonzero(flat_ids == -1)
    bounds = np.concatenate(([-1], seps, [len(flat_ids)]))
    lengths = np.diff(bounds) - 1
    ids = flat_ids[flat_ids != -1] if len(seps) else flat_ids
    return Tokenized(list(runs.term_ids), ids, lengths.astype(np.int64))


def _split_runs(texts: Sequence[str]) -> tuple[list[str], np.ndarray] | None:
    """The distinct runs of some texts, and which one stands at each place.

    Texts are joined with a separator run between them (and after the last);
    every ASCII byte that is never part of a word becomes a space, and Arrow
    splits on spaces and numbers the distinct runs in C++: no Python object
    per word, and with the GIL released. None if a text holds the separator.
    """
    import pyarrow as pa  # imported with the index, never by `peace-tui --help`
    import pyarrow.compute as pc

    joined = f" {_SEP} ".join(texts) + f" {_SEP} "
    if joined.count(_SEP) != len(texts):
        return None
    data = joined.encode("utf-8", "surrogatepass").translate(_TABLE)
    del joined
    blob = pa.array([data], type=pa.large_binary()).view(pa.large_string())
    del data
    coded = pc.dictionary_encode(pc.list_flatten(pc.ascii_split_whitespace(blob)))
    distinct = [r.decode("utf-8", "surrogatepass")
                for r in coded.dictionary.cast(pa.large_binary()).to_pylist()]
    return distinct, coded.indices.to_numpy(zero_copy_only=False)


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
