"""A large database read for the first time, indexed in two processes before it is parsed.

A database read before is shown and searched from its snapshot
(`store.glimpse`); one read for the first time had to be parsed whole,
every document checked, the quotes sorted and then indexed, one step after
another on one core: 1,000,000 quotes were searchable after 26-38 s here (now
9.7-13 s). Only
part of that is needed to search: each quote's words, speaker, tags, date,
and its place in the list. Here those are read straight from the file's
lines (`store.lines`), half of them by a second process
(a child Python, `Helper`) while this one
reads the other half, and the index is built over both in display order.
The explorer then shows the quotes a line at a time, as a glimpse does,
and the file is parsed and checked meanwhile, as before; its index is this
one if it read the same bytes, quotes and sources (`tui.loading`).

Nothing here trusts the file: a line that is not in the form this program
writes, a date that is not one, a field of another type, makes the answer
None, and the file is read the long way.
"""

from __future__ import annotations

import atexit
import datetime as dt
import gc
import os
import pickle
import struct
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cache
from itertools import chain, pairwise
from operator import attrgetter, itemgetter
from pathlib import Path
from typing import TYPE_CHECKING

import msgspec
import numpy as np

from .ids import ID
from .index import DocCodes, Segment, join_words
from .lines import LineTables, keys_start_lines
from .tokens import Tokenized, Tokenizer

try:
    import fcntl
except ImportError:  # not POSIX: no lock to share the chunks by; the long way
    fcntl = None  # type: ignore[assignment]

if TYPE_CHECKING:
    from .models import Source

__all__ = ["AVAILABLE", "ColdIndex", "Helper", "cold_index", "identity"]

#: Whether this system can index a file in two processes (`Claims` needs POSIX locks).
AVAILABLE = fcntl is not None and hasattr(os, "pread")
#: Lines parsed at once (one decode of them: half the time of a line at a time), and
#: the chunks the two processes take in turn (`Claims`).
_LINES_AT_ONCE = 8192
_PUBLISHED = b',"published":'
_QUOTE = ord('"')
#: Chunks the helper leaves to this process when they meet (at least one): its half
#: must still be pickled, sent and read (0.2-0.3 s at 1,000,000 quotes; a chunk takes
#: about 0.07 s).
_LEFT_TO_US = 3


def identity(fd: int) -> tuple[int, int, int, int]:
    """What tells an open file from another, or from itself rewritten: device, inode,
    size, time of change (the store writes a new file and renames it over the old)."""
    st = os.fstat(fd)
    return st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns


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
        # a column at a time: C loops, not a tuple per quote
        parts.append((k, codes, *(list(map(get, fields)) for get in _COLUMNS)))
        del docs, fields
        if progress is not None:
            progress()
    parts.sort(key=itemgetter(0))
    taken = [p[0] for p in parts]
    if taken != list(range(taken[0], taken[0] + len(taken)) if taken else []):
        raise ValueError("chunks with a gap between them")
    lines = (taken[0] * size, min((taken[-1] + 1) * size, n)) if taken else (n, n)
    count = lines[1] - lines[0]
    tok = tokenizer.words([p[1] for p in parts]).counted()  # counted here, not in the join
    actors, sources, said, spans, issues = (list(chain.from_iterable(p[c] for p in parts))
                                            for c in range(2, 7))
    del parts
    actor_names, source_names, issue_names = _Numbers(), _Numbers(), _Numbers()
    return Half(lines, tok,
                np.fromiter(map(actor_names.__getitem__, actors), np.int32, count=count),
                list(actor_names),
                np.fromiter(map(source_names.__getitem__, sources), np.int32, count=count),
                list(source_names),
                np.fromiter(map(_Days().__getitem__, said), np.int32, count=count),
                np.fromiter(map(itemgetter(0), spans), np.int64, count=count),
                np.fromiter(map(issue_names.__getitem__, chain.from_iterable(issues)),
                            np.int32),
                np.fromiter(map(len, issues), np.int64, count=count), list(issue_names))


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


_TEXT = attrgetter("text")
_COLUMNS = tuple(map(attrgetter, ("actor_id", "source_id", "said_on", "span", "issues")))


class Claims:
    """Which chunks of lines each process reads: this one takes them from the front,
    the helper from the back, one at a time, until they meet.

    A fixed split left one process waiting for the other 0.4-1.6 s (a Python
    to start, a machine busy with something else); taken in turn, both finish
    together whatever each one's pace. Two numbers, the first chunk not
    taken and the end of those not taken, in a file both processes have open
    (unnamed; its descriptor is passed to the helper), changed under a POSIX
    lock. They start unset: whichever process first knows how many chunks
    there are (each reads the file) sets them."""

    _FORM = struct.Struct("<qq")

    def __init__(self, fd: int) -> None:
        self.fd = fd

    @classmethod
    def new(cls) -> Claims:
        """Claims in a new unnamed file, unset (its descriptor: `fd`, to pass on): in
        memory where Linux can make one (`memfd_create`), else a temporary file."""
        if hasattr(os, "memfd_create"):
            fd = os.memfd_create("peace-tui-claims", os.MFD_CLOEXEC)
        else:
            with tempfile.TemporaryFile() as f:  # its own descriptor closed, the file kept
                fd = os.dup(f.fileno())
        try:
            os.pwrite(fd, cls._FORM.pack(-1, -1), 0)
        except BaseException:
            os.close(fd)
            raise
        return cls(fd)

    def close(self) -> None:
        os.close(self.fd)

    def _take(self, chunks: int, back: bool, spare: int) -> int | None:
        fcntl.lockf(self.fd, fcntl.LOCK_EX)
        try:
            first, end = self._FORM.unpack(os.pread(self.fd, 16, 0))
            if end < 0:  # unset: the first to come sets them
                first, end = 0, chunks
            if end - first <= spare:
                return None
            if back:
                end -= 1
            else:
                first += 1
            os.pwrite(self.fd, self._FORM.pack(first, end), 0)
            return end if back else first - 1
        finally:
            fcntl.lockf(self.fd, fcntl.LOCK_UN)

    def from_front(self, chunks: int) -> Iterator[int]:
        """Chunks from the first on, each taken as the last is done, until none is left."""
        while (k := self._take(chunks, back=False, spare=0)) is not None:
            yield k

    def from_back(self, chunks: int, spare: int) -> Iterator[int]:
        """Chunks from the last down, each taken as the last is done, until only `spare`
        are left."""
        while (k := self._take(chunks, back=True, spare=spare)) is not None:
            yield k

    def taken(self, chunks: int) -> float:
        """The share of the chunks taken so far by either process."""
        first, end = self._FORM.unpack(os.pread(self.fd, 16, 0))
        return 0.0 if end < 0 else (first + chunks - end) / max(chunks, 1)


def _chunks(n: int, size: int) -> int:
    """How many chunks of `size` lines n statements make."""
    return -(-n // size)


def _second_half(path: str, same_as: tuple[int, int, int, int], claims: Claims, size: int,
                 spare: int) -> Theirs | None:
    """The statements of the chunks of `size` lines of the file at `path` the helper
    takes (from the back, leaving `spare`), and its sources' days, if it is still the
    file the explorer read (`identity`)."""
    with open(path, "rb") as f:
        if identity(f.fileno()) != same_as:
            return None
        raw = f.read()
    lines = LineTables(raw)
    published = _published(raw, lines)  # first: then only the pickling is left at the end
    starts = lines.starts("statements")
    n = len(starts) - 1
    return Theirs(half_of(raw, starts, claims.from_back(_chunks(n, size), spare), size),
                  *published)


@dataclass(frozen=True, slots=True)
class Theirs:
    """What the helper sends back: its half, and the sources' days (`_published`, read
    there: the caller has as much to do, and the join waits for the slower)."""

    half: Half
    published: dict[str, int]
    source_ids: list[str]


#: The folder this `store` package is in; the helper imports this one.
_HERE = Path(__file__).resolve().parent.parent
#: The helper's program: `store` made a bare package whose modules are this folder's
#: (the caller's own), and whose `__init__` (the models, pydantic: 0.2 s) is not run;
#: only the modules this one needs are loaded.
_CHILD = ("import sys, types; store = types.ModuleType('store'); "
          "store.__path__ = [sys.argv[1] + '/store']; sys.modules['store'] = store; "
          "from store.coldindex import serve; serve()")


def serve() -> None:
    """The helper process: a request (path, identity, claims' descriptor, lines in a
    chunk, chunks to leave) in on stdin, its answer out on stdout (pickled: arrays
    of tens of MB go through the pipe in a blink); None when the file is not what
    was asked, or not in this program's form."""
    gc.disable()  # a million objects and no cycles: the collector would walk them again
    path, same_as, fd, size, spare = pickle.load(sys.stdin.buffer)
    try:
        found = _second_half(path, same_as, Claims(fd), size, spare)
    except (OSError, ValueError, TypeError, KeyError, IndexError, OverflowError,
            struct.error):
        found = None
    pickle.dump(found, sys.stdout.buffer, protocol=pickle.HIGHEST_PROTOCOL)
    sys.stdout.buffer.flush()


class Helper:
    """The second process, started before the file is read (a Python and numpy to load:
    0.3 s): it reads the file itself, and the chunks of statements it takes.

    A plain child Python (not `multiprocessing`, whose spawned child would run
    the caller's main module again), loading this `store` and no other (`_CHILD`),
    with the claims' file (`Claims`) open."""

    def __init__(self, path: Path, same_as: tuple[int, int, int, int]) -> None:
        self.size = _LINES_AT_ONCE  # lines in a chunk: told the helper, so both agree
        self.claims = Claims.new()
        try:
            self._proc = subprocess.Popen(
                # -P: not the current folder first on its path (a numpy.py there would run)
                [sys.executable, "-P", "-c", _CHILD, str(_HERE)],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                pass_fds=(self.claims.fd,))
        except BaseException:
            self.claims.close()
            raise
        atexit.register(self.close)  # not left working when the explorer quits meanwhile
        try:
            assert self._proc.stdin is not None
            with self._proc.stdin as ask:
                pickle.dump((str(path), same_as, self.claims.fd, self.size, _LEFT_TO_US), ask)
        except BaseException:  # it died at once: reaped, not left a zombie
            self.close()
            raise

    def result(self) -> Theirs | None:
        """The helper's half (None if it found none, or failed)."""
        try:
            assert self._proc.stdout is not None
            found = pickle.load(self._proc.stdout)
            return found if isinstance(found, Theirs) else None
        except (EOFError, pickle.UnpicklingError, OSError):
            return None
        finally:
            self.close()

    def close(self) -> None:
        atexit.unregister(self.close)
        if self._proc.poll() is None:
            self._proc.kill()
        self._proc.wait()
        if self._proc.stdout is not None:
            self._proc.stdout.close()
        if self.claims.fd >= 0:
            self.claims.close()
            self.claims.fd = -1


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
    chunks, claims = _chunks(n, size), helper.claims
    try:
        mine = half_of(raw, starts, claims.from_front(chunks), size,
                       None if reading is None else lambda: reading(claims.taken(chunks)))
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


def _published(raw: bytes, lines: LineTables) -> tuple[dict[str, int], list[str]]:
    """Each source's day of publication (an ordinal; 0 for none), and the sources' ids
    in their lines' order. The field is found by its key: a key's quotes are not
    escaped, and every quote within a string is, so `,"published":` is the field."""
    ids = lines.ids("sources")
    days = _Days()
    published = {}
    starts = lines.starts("sources").tolist()
    for sid, (a, b) in zip(ids, pairwise(starts), strict=True):
        at = raw.find(_PUBLISHED, a, b)
        if (at < 0 or ID.match(sid) is None or not raw.startswith(b'":{', a + 1 + len(sid))
                or raw.find(_PUBLISHED, at + 1, b) >= 0):
            raise ValueError("a source not a line of its own, with its date once")
        at += len(_PUBLISHED)
        if raw.startswith(b"null", at):
            published[sid] = 0
        elif raw[at] == _QUOTE and raw[at + 11] == _QUOTE:
            published[sid] = days[raw[at + 1:at + 11].decode()]
        else:
            raise ValueError("a source's date that is not one")
    if len(published) != len(ids):
        raise ValueError("a source id twice")
    return published, ids


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
    day = day_of[source]
    rank = np.empty(len(source_names) or 1, dtype=np.int64)
    rank[np.array(sorted(range(len(source_names)), key=source_names.__getitem__),
                  dtype=np.int64)] = np.arange(len(source_names))
    order = np.lexsort((np.concatenate((a.start, b.start)), rank[source],
                        np.where(day > 0, day, 1)))  # undated: date.min, ordinal 1
    dates = np.where(said > 0, said, day)[order]
    tok = _reordered(Tokenized(terms, ids, lengths, uses), order)
    first = np.concatenate(([0], np.cumsum(issue_counts)))
    picked = _ranges(first[order], issue_counts[order])
    codes = DocCodes(dates, actor[order], actor_ids, issue[picked], issue_counts[order], issue_ids)
    return ColdIndex(order, Segment(tok, codes), join_words(source_ids), published)


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
    _in_two_threads(lambda to, words, out: np.take(to, words, out=out), parts)
    return terms, ids, uses


def _in_two_threads(call: Callable[..., object], args: Sequence[tuple]) -> None:
    """call(*each of two sets of args), at once (numpy work: the GIL is let go)."""
    with ThreadPoolExecutor(2) as pool:
        for done in [pool.submit(call, *one) for one in args]:
            done.result()  # (raised here, if it raised)


def _reordered(tok: Tokenized, order: np.ndarray) -> Tokenized:
    """The same texts' words, the texts taken in `order` (the first texts' words
    gathered in one thread, the rest in another: 34,000,000 words at 1,000,000)."""
    first = np.cumsum(tok.lengths) - tok.lengths
    lengths = tok.lengths[order]
    ends = np.cumsum(lengths)
    ids = np.empty(len(tok.ids), dtype=tok.ids.dtype)
    n = len(order)
    mid = int(np.searchsorted(ends, ends[-1] // 2)) if n else 0

    def gather(lo: int, hi: int) -> None:  # texts lo..hi-1, in their new order
        at, to = (int(ends[lo - 1]) if lo else 0), (int(ends[hi - 1]) if hi else 0)
        np.take(tok.ids, _ranges(first[order[lo:hi]], lengths[lo:hi]), out=ids[at:to])

    _in_two_threads(gather, [(0, mid), (mid, n)])
    return Tokenized(tok.terms, ids, lengths, tok.uses)
