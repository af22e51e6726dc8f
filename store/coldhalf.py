"""What one process reads of a large file's statements, straight from their lines.

A first opening (`store.coldindex`) reads a file's statements in chunks of
lines shared by two processes (`store.coldhelper`); each reads its chunks
into a `Half`: each quote's words (tokenized a chunk at a time), speaker,
source, day, where it starts, and its issue codes, names as numbers. Lines
are decoded by msgspec into the six fields needed, typed, the others
skipped without making objects (1.2 s per 500,000 quotes, against 2.2 s for
orjson's whole documents).

Nothing here trusts the file: a line that is not in the form this program
writes, a date that is not one, a field of another type, raises
ValueError (or TypeError, KeyError), and the file is read the long way.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from itertools import chain, pairwise
from operator import attrgetter, itemgetter

import msgspec
import numpy as np

from .ids import ID
from .lines import LineTables, keys_start_lines
from .tokens import Tokenized, Tokenizer

__all__ = ["Half", "chunks", "half_of", "published"]

_PUBLISHED = b',"published":'
_QUOTE = ord('"')


@dataclass(slots=True)
class Half:
    """What the index needs of some quotes, in the file's order; names as numbers."""

    lines: tuple[int, int]  # the statements' lines first..stop-1 (first == stop: none)
    tok: Tokenized
    actor: np.ndarray
    actors: list[str]
    source: np.ndarray
    sources: list[str]
    said: np.ndarray  # the day said, as an ordinal; 0 for unknown
    start: np.ndarray  # where in its source the quote starts
    issue: np.ndarray
    issue_counts: np.ndarray
    issues: list[str]


class _Numbers(dict):
    """name -> its number, the next one for a name not seen before (names are strs:
    `_Fields` types them)."""

    def __missing__(self, key: str) -> int:
        found = self[key] = len(self)
        return found


class _Days(dict):
    """'YYYY-MM-DD' (or None) -> its ordinal (0 for None), each worked out once."""

    def __missing__(self, text: str | None) -> int:
        if text is None:
            return 0
        if len(text) != 10:
            raise ValueError("not a date")
        found = self[text] = dt.date.fromisoformat(text).toordinal()
        return found


def half_of(raw: bytes, starts: np.ndarray, chunks: Iterable[int], size: int,
            progress: Callable[[], None] | None = None) -> Half:
    """The statements of the chunks of lines `chunks` names (chunk k: `size` lines from
    line k * size; `starts`: where each line starts, and the table's end), read
    in the order named, one after another in the file; ValueError, TypeError or
    KeyError if one is not as this program writes it. (A field of another form that
    passes, a span of floats say, is the reading's to refuse; its index is not taken
    then: `ColdIndex` is for files all in this program's form.) `progress()` hears
    that a chunk is read."""
    n = len(starts) - 1
    decode = _decoder().decode
    tokenizer = Tokenizer(int(starts[-1] - starts[0]))
    parts = []
    # Names numbered a chunk at a time (in the order the chunks are read: any order
    # will do, the join renumbers), straight from the fields: no list of a field's
    # values kept for the whole half (the same work, but at 1,000,000 quotes the
    # explorer's peak memory 60-100 MB lower).
    actor_names, source_names, issue_names, days = _Numbers(), _Numbers(), _Numbers(), _Days()
    for k in chunks:
        at, end = k * size, min((k + 1) * size, n)
        body = raw[int(starts[at]):int(starts[end]) - 1]  # the lines, less the last newline
        try:
            docs = decode(b"{" + (body[:-1] if body.endswith(b",") else body) + b"}")
        except msgspec.DecodeError as e:  # not JSON, or a field of another type
            raise ValueError(str(e)) from None
        if len(docs) != end - at or not keys_start_lines(raw, starts[at:end], docs):
            raise ValueError("not a statement a line")  # an id twice, a line of two
        fields = docs.values()
        codes = tokenizer.codes(list(map(_TEXT, fields)))
        if codes is None:
            raise ValueError("a control character in a text")  # stripped when stored
        count = end - at
        issues = list(map(_ISSUES, fields))
        # a column at a time: C loops, not a tuple per quote
        parts.append((k, codes,
                      np.fromiter(map(actor_names.__getitem__, map(_ACTOR, fields)), np.int32,
                                  count=count),
                      np.fromiter(map(source_names.__getitem__, map(_SOURCE, fields)),
                                  np.int32, count=count),
                      np.fromiter(map(days.__getitem__, map(_SAID, fields)), np.int32,
                                  count=count),
                      np.fromiter(map(_FIRST, map(_SPAN, fields)), np.int64, count=count),
                      np.fromiter(map(issue_names.__getitem__, chain.from_iterable(issues)),
                                  np.int32),
                      np.fromiter(map(len, issues), np.int64, count=count)))
        del docs, fields, issues
        if progress is not None:
            progress()
    parts.sort(key=itemgetter(0))
    taken = [p[0] for p in parts]
    if taken != list(range(taken[0], taken[0] + len(taken)) if taken else []):
        raise ValueError("chunks with a gap between them")
    lines = (taken[0] * size, min((taken[-1] + 1) * size, n)) if taken else (n, n)
    tok = tokenizer.words([p[1] for p in parts]).counted()  # counted here, not in the join
    actor, source, said, start, issue, issue_counts = (
        np.concatenate([p[c] for p in parts]) if parts else np.zeros(0, dtype=kind)
        for c, kind in enumerate((np.int32, np.int32, np.int32, np.int64, np.int32, np.int64),
                                 start=2))
    return Half(lines, tok, actor, list(actor_names), source, list(source_names), said, start,
                issue, issue_counts, list(issue_names))


class _Fields(msgspec.Struct, gc=False):
    """The fields of a statement the index and the order need, of the types this program
    writes them in; the others are skipped by the parser (no object made for them)."""

    text: str
    actor_id: str
    source_id: str
    said_on: str | None
    span: tuple[int, int]
    issues: list[str]


@cache
def _decoder() -> msgspec.json.Decoder:
    return msgspec.json.Decoder(dict[str, _Fields])


_TEXT, _ACTOR, _SOURCE, _SAID, _SPAN, _ISSUES = map(
    attrgetter, ("text", "actor_id", "source_id", "said_on", "span", "issues"))
_FIRST = itemgetter(0)


def chunks(n: int, size: int) -> int:
    """How many chunks of `size` lines n statements make."""
    return -(-n // size)


def published(raw: bytes, lines: LineTables) -> tuple[dict[str, int], list[str]]:
    """Each source's day of publication (an ordinal; 0 for none), and the sources' ids
    in their lines' order. The field is found by its key: a key's quotes are not
    escaped, and every quote within a string is, so `,"published":` is the field."""
    ids = lines.ids("sources")
    days = _Days()
    published = {}
    starts = lines.starts("sources").tolist()
    for sid, (a, b) in zip(ids, pairwise(starts), strict=True):
        at = raw.find(_PUBLISHED, a, b)
        if (at < 0 or ID.match(sid) is None or raw[a + 1 + len(sid):a + 4 + len(sid)] != b'":{'
                or raw.find(_PUBLISHED, at + 1, b) >= 0):
            raise ValueError("a source not a line of its own, with its date once")
        at += len(_PUBLISHED)
        if raw[at:at + 4] == b"null":  # (slices, not `startswith`: `raw` may be an mmap)
            published[sid] = 0
        elif raw[at] == _QUOTE and raw[at + 11] == _QUOTE:
            published[sid] = days[raw[at + 1:at + 11].decode()]
        else:
            raise ValueError("a source's date that is not one")
    if len(published) != len(ids):
        raise ValueError("a source id twice")
    return published, ids
