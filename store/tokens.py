"""Turning many statements into folded words fast, exactly as `store.query` does one.

The search index must see the same words as the highlighter, which runs
`WORD` over a quote and folds each match (`token_spans`). Doing that word by
word is about 10 µs a quote in Python: 1 s for 100,000 quotes. `tokenize_many`
gets the same words in bulk, 8,192 texts at a time: the texts are joined,
every ASCII byte that can never be part of a word becomes a space and every
ASCII capital its small letter (one `bytes.translate`), and the runs left
are the candidate words.

A run of at most 16 plain ASCII letters and digits is a word as it stands
(lower-cased, which is its fold), and most runs are: those are numbered in
arrays, with no Python object per word (`_Slots`). Any other run (an
apostrophe, a letter with an accent, typographic punctuation, a long word)
goes through `WORD` and `fold`, once per distinct run (`_Runs`).

(A dictionary look-up per run, 3.5 million of them per 100,000 quotes, took
0.52-0.70 s; the arrays take 0.24-0.27 s, and 1.8-3.0 s against 6.0-7.0 s
per 1,000,000. Arrow's kernels had split and numbered the runs 0.2 s
faster than the dictionary, but importing pyarrow costs that much again and
33 MB of resident memory, and its allocator kept 90 MB more: measured, and
left out.)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from .query import WORD, fold

__all__ = ["Tokenized", "Tokenizer", "token_spans", "tokenize_many"]

_CHUNK = 8192  # texts tokenized together
_GONE = np.iinfo(np.int32).min  # a code marked for removal
_SEP = "\x01"  # between two texts; control characters are stripped from stored text
_KEEP = set(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'\x01")
#: bytes that can never be in a word -> a space; ASCII capitals -> small letters (folding
#: a run that is not plain ASCII, `_Runs` casefolds it anyway: the same words)
_TABLE = bytes(b + 32 if 65 <= b <= 90 else b if b in _KEEP or b >= 0x80 else 0x20
               for b in range(256))
_SLOT_BITS = 20  # at most 2**20 slots in `_Slots`' table: 20 MB while a build runs
_PAD = b" " * 16  # after a chunk: a run's 16 bytes can be read as two keys at its start
#: a run of k bytes is the low k bytes of its key (little-endian): the rest masked off
_MASKS = np.array([(1 << (8 * k)) - 1 for k in range(8)] + [2**64 - 1], dtype=np.uint64)
_MIX1, _MIX2 = np.uint64(0x9E3779B97F4A7C15), np.uint64(0xC2B2AE3D27D4EB4F)


def token_spans(text: str) -> list[tuple[str, int, int]]:
    """Each word of a text, folded, with its start and end in the text."""
    return [(_fold_word(m.group()), m.start(), m.end()) for m in WORD.finditer(text)]


class Tokenized:
    """The words of many texts: term ids in reading order, and how many each text has.

    `terms[i]` is the folded word whose id is i; `ids` holds the ids of every
    text's words, one text after another; `lengths[k]` is text k's word count.
    `uses[i]`, when known, is how many times term i is in `ids` (counted where
    it is quicker: `store.coldindex` counts each half in its own process).
    """

    __slots__ = ("ids", "lengths", "terms", "uses")

    def __init__(self, terms: list[str], ids: np.ndarray, lengths: np.ndarray,
                 uses: np.ndarray | None = None) -> None:
        self.terms, self.ids, self.lengths, self.uses = terms, ids, lengths, uses

    def counted(self) -> Tokenized:
        """These words, with `uses` counted."""
        if self.uses is None:
            self.uses = (np.bincount(self.ids, minlength=len(self.terms)) if len(self.ids)
                         else np.zeros(len(self.terms), dtype=np.int64))
        return self


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


class _Slots:
    """Term codes of runs of at most 16 plain ASCII letters and digits, found in arrays.

    Such a run's bytes, zero-padded, are two 64-bit keys, and the two keys
    are one run and no other (runs hold no zero byte). A hash of the keys
    picks a slot of a table; the first run to reach a slot keeps it (its
    keys and code are stored there), and every later run that is the slot's
    own is numbered by one comparison of keys, in whole-array operations.
    A run whose keys are not its slot's (another word came first), or that
    is not plain (an apostrophe, a byte of a non-ASCII letter, more than 16
    bytes), goes to `_Runs`, the exact and slower way: news English is
    Zipfian, so the common words take slots first and few runs go there.
    """

    def __init__(self, runs: _Runs, size: int) -> None:
        bits = min(_SLOT_BITS, max(10, size.bit_length() - 2))
        self.shift = np.uint64(64 - bits)
        self.runs = runs
        # zeros: untouched memory is not resident until written
        self.key1 = np.zeros(1 << bits, dtype=np.uint64)
        self.key2 = np.zeros(1 << bits, dtype=np.uint64)
        self.code = np.zeros(1 << bits, dtype=np.int32)  # a run's code + 2; 0 = free

    def codes(self, raw: bytes) -> np.ndarray:
        """The code of each run of `raw` (translated by `_TABLE`; a space before it,
        `_PAD` after it), in order."""
        b = np.frombuffer(raw, dtype=np.uint8)
        word = b != 0x20
        edges = np.flatnonzero(word[1:] != word[:-1]) + 1
        starts, ends = edges[0::2], edges[1::2]
        lengths = ends - starts
        odd = lengths > 16
        odd[np.searchsorted(starts, np.flatnonzero((b >= 0x80) | (b == 0x27)), "right") - 1] = True
        # A 64-bit read at every byte (unaligned): a run's first and second eight bytes.
        at = np.ndarray(shape=(len(raw) - 8,), dtype="<u8", buffer=raw, strides=(1,))
        key1 = at[starts]
        key1 &= _MASKS[np.minimum(lengths, 8)]
        key2 = at[starts + 8]
        key2 &= _MASKS[np.clip(lengths - 8, 0, 8)]
        slot = key1 * _MIX1
        slot ^= key2 * _MIX2
        slot >>= self.shift
        slot = slot.view(np.int64)  # below 2**20 after the shift: the same numbers, not copied
        codes = self.code[slot]
        free = np.flatnonzero((codes == 0) & ~odd)
        if len(free):  # the first plain run to reach a free slot keeps it
            taken, first = np.unique(slot[free], return_index=True)
            first = free[first]
            self.key1[taken], self.key2[taken] = key1[first], key2[first]
            self.code[taken] = [self.runs[raw[s:e].decode("ascii")] + 2 for s, e in
                                zip(starts[first].tolist(), ends[first].tolist(), strict=True)]
            codes[free] = self.code[slot[free]]
        codes -= 2
        other = np.flatnonzero(odd | (self.key1[slot] != key1) | (self.key2[slot] != key2))
        if len(other):
            codes[other] = [self.runs[raw[s:e].decode("utf-8", "surrogatepass")] for s, e in
                            zip(starts[other].tolist(), ends[other].tolist(), strict=True)]
        return codes


_FOLDED: dict[str, str] = {}


def _fold_word(word: str) -> str:
    """`fold`, remembered: the highlighter folds the same few thousand words all day."""
    found = _FOLDED.get(word)
    if found is None:
        if len(_FOLDED) > 200_000:
            _FOLDED.clear()
        found = _FOLDED[word] = fold(word)
    return found


class Tokenizer:
    """Texts turned into term codes a chunk at a time, the chunks in any order, one
    vocabulary for all (`store.coldindex` reads a file's chunks of lines as they
    come); `words` then gives the words of chunks, in the order given."""

    def __init__(self, size: int) -> None:
        """`size`: about how many characters all the texts hold (sizes the table)."""
        self.runs = _Runs()
        self._slots = _Slots(self.runs, size)

    def codes(self, texts: Sequence[str]) -> np.ndarray | None:
        """The codes of these texts' runs, a separator after each text (at most
        `_CHUNK` texts: each run has a few 8-byte entries in temporary arrays);
        None if a text holds the separator (not from the store)."""
        joined = f" {_SEP} ".join(texts) + f" {_SEP} "
        if joined.count(_SEP) != len(texts):
            return None
        return self._slots.codes(
            b" " + joined.encode("utf-8", "surrogatepass").translate(_TABLE) + _PAD)

    def words(self, chunks: Sequence[np.ndarray]) -> Tokenized:
        """The words of the texts whose codes are `chunks`, in that order."""
        if not chunks:
            return Tokenized(list(self.runs.term_ids), np.zeros(0, dtype=np.int32),
                             np.zeros(0, dtype=np.int64))
        # The last separator closes the last text.
        flat = _expand(np.concatenate(chunks), self.runs.several)[:-1]
        seps = np.flatnonzero(flat == -1)
        bounds = np.concatenate(([-1], seps, [len(flat)]))
        lengths = np.diff(bounds) - 1
        ids = flat[flat != -1] if len(seps) else flat
        return Tokenized(list(self.runs.term_ids), ids, lengths.astype(np.int64))


def tokenize_many(texts: Sequence[str],
                  progress: Callable[[int, int], None] | None = None) -> Tokenized:
    """The words of every text, as `token_spans` would fold them, in bulk.

    `progress(done, total)` hears how many texts are read, chunk by chunk."""
    if not texts:
        return Tokenized([], np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.int64))
    tokenizer = Tokenizer(sum(map(len, texts)))
    chunks = []
    for at in range(0, len(texts), _CHUNK):
        part = texts[at:at + _CHUNK]
        codes = tokenizer.codes(part)
        if codes is None:  # not from the store: take the slow, exact way
            return _tokenize_slowly(texts)
        chunks.append(codes)
        if progress is not None:
            progress(at + len(part), len(texts))
    return tokenizer.words(chunks)


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
