"""A database file in lines, read a document at a time, without parsing the whole file.

The file this program writes has a line per document (`storage.dumps`).
Parsing all of it takes seconds at 1,000,000 quotes (6 s here); finding
where its lines start takes a tenth of that, and one document is then one
small `orjson.loads`. The explorer uses this to show and search a large
database before its parse is over (`store.glimpse`): only the rows on screen
are read.

Nothing here checks a document: it is for a file known to be valid (a
snapshot made of these very bytes says so). A file that is not in lines
(TinyDB's own form, a file edited by hand) is refused with ValueError.
"""

from __future__ import annotations

from hashlib import blake2b
from itertools import pairwise
from typing import Any

import numpy as np
import orjson

from .storage import _TABLE_HEAD

__all__ = ["LineTables", "keys_start_lines"]

#: The newlines of a table are looked for this many bytes at a time (a bool per byte): a
#: slice whose bools stay in the cache, not go out to memory and back (a 715 MB file's
#: newlines found in 0.28 s, against 0.36-0.50 a 32 MB slice at a time).
_SCAN_BYTES = 1 << 21


class LineTables:
    """The tables of a file in lines: where each document's line is, and its document."""

    def __init__(self, raw: bytes) -> None:
        """Find each table and the start of each of its lines (ValueError if `raw` is
        not in lines: the frame `storage.parse_lines` reads)."""
        # (slices compared, not `startswith`: the helper's `raw` is an mmap)
        if raw[:2] != b"{\n":
            raise ValueError("not a file in lines")
        self._raw = raw
        self._starts: dict[str, np.ndarray] = {}  # table -> its lines' starts, and its end
        at = 1
        while True:
            head = _TABLE_HEAD.match(raw, at)
            if head is None:
                raise ValueError("not a file in lines")
            newlines, end = _lines_to_end(raw, head.end())
            name = orjson.loads(head.group(1))
            self._starts[name] = np.append(newlines + 1, end + 1)
            at = end + 2
            if raw[at:at + 1] == b",":
                at += 1
                continue
            if raw[at:] not in (b"}", b"}\n"):
                raise ValueError("not a file in lines")
            return

    @classmethod
    def known(cls, raw: bytes, starts: dict[str, np.ndarray]) -> LineTables:
        """The tables of `raw` as another process found them (`store.coldhelper`: the
        same file, read there too), not looked for again here (0.4 s at 1,000,000
        quotes). What can be checked without reading every byte is: each table's
        starts in order, each line after a newline and opening with a key's quote,
        each table's end its closing brace, the last table's the file's; ValueError
        if not."""
        found = cls.__new__(cls)
        found._raw, found._starts = raw, {}
        view = np.frombuffer(raw, dtype=np.uint8)
        for name, at in starts.items():
            at = np.asarray(at)
            if (not isinstance(name, str) or at.dtype != np.int64 or at.ndim != 1
                    or not len(at) or at[0] < 2 or at[-1] >= len(raw)
                    or (len(at) > 1 and not (np.diff(at) > 0).all())
                    or not (view[at - 1] == 10).all() or view[at[-1]] != _CLOSE
                    or not (view[at[:-1]] == _QUOTE).all()):
                raise ValueError("not where a table's lines start")
            found._starts[name] = at
        last = max((int(a[-1]) for a in found._starts.values()), default=0)
        if raw[last:] not in (b"}}", b"}}\n"):  # the last table's end, and the file's
            raise ValueError("not where a table's lines start")
        return found

    def tables(self) -> dict[str, np.ndarray]:
        """Each table's lines' starts, and its end (`starts`), for `known`."""
        return dict(self._starts)

    def count(self, table: str) -> int:
        """How many document lines the table has (a table not in the file has none)."""
        starts = self._starts.get(table)
        return 0 if starts is None else len(starts) - 1

    def starts(self, table: str) -> np.ndarray:
        """Where each of the table's lines starts, and (last) where the table ends."""
        return self._starts.get(table, np.zeros(1, dtype=np.int64))

    def line(self, table: str, k: int) -> bytes:
        """The k-th document's line, without the comma that ends all but the last."""
        starts = self._starts[table]
        start, stop = int(starts[k]), int(starts[k + 1]) - 1  # the next line's newline
        line = self._raw[start:stop]
        return line[:-1] if line.endswith(b",") else line

    def doc(self, table: str, k: int) -> tuple[str, dict[str, Any]]:
        """The k-th document of the table, and its id."""
        (doc_id, doc), = orjson.loads(b"{" + self.line(table, k) + b"}").items()
        return doc_id, doc

    def keyed_by(self, table: str, ids: np.ndarray, first_lines: bool = False) -> bool:
        """Whether the table's k-th line starts with the k-th of `ids` (UTF-8, newline-
        joined) as its key, for every k, and there are as many lines as ids: then
        each line is that one document (a file whose documents were not one a line,
        edited by hand, has a line that starts otherwise, or another count).
        `first_lines`: more lines may follow (documents added since).
        Compared with numpy, a slice of lines at a time (0.15 s at 1,000,000)."""
        starts = self.starts(table)
        first, length = _words_in(ids)
        count = len(first)
        if count > len(starts) - 1 or (count < len(starts) - 1 and not first_lines):
            return False
        if count == 0:
            return True
        view = np.frombuffer(self._raw, dtype=np.uint8)
        for at in range(0, count, _LINES_AT_ONCE):
            part = slice(at, at + _LINES_AT_ONCE)
            if not _keys_are(view, starts[:count][part], ids, first[part], length[part]):
                return False
        return True

    def same_documents(self, table: str, prints: np.ndarray) -> bool:
        """Whether the table's first lines hold documents with these fingerprints
        (`docs.fingerprint`: of the document's JSON, which is the line after its key),
        in order; read a slice at a time, and no further than the first that differs
        (1.4 s at 1,000,000 when all are the same)."""
        if len(prints) > self.count(table):
            return False
        for at in range(0, len(prints), _LINES_AT_ONCE):
            part = prints[at:at + _LINES_AT_ONCE]
            if not np.array_equal(self.prints(table, at, at + len(part)), part):
                return False
        return True

    def ids(self, table: str, first: int = 0) -> list[str]:
        """Each line's key from line `first` on, in order (ids are of letters, digits and
        . _ -: no escapes)."""
        raw, starts = self._raw, self.starts(table)[first:-1].tolist()
        if isinstance(raw, bytes):
            return [raw[a + 1:raw.index(b'"', a + 1)].decode() for a in starts]
        ends = [raw.find(b'"', a + 1) for a in starts]  # (an mmap has no `index`)
        if ends and min(ends) < 0:
            raise ValueError("a line without its key")
        return [raw[a + 1:b].decode() for a, b in zip(starts, ends, strict=True)]

    def prints(self, table: str, first: int = 0, stop: int | None = None) -> np.ndarray:
        """Each line's document's fingerprint (`docs.fingerprint`), lines first..stop-1
        (to the last), in order."""
        starts = self.starts(table)
        starts = starts[first:len(starts) if stop is None else stop + 1].tolist()
        raw = self._raw
        return np.fromiter((_print(raw, a, b) for a, b in pairwise(starts)),
                           dtype=np.uint64, count=max(len(starts) - 1, 0))

    def lines_holding(self, table: str, needle: bytes) -> np.ndarray:
        """The lines of the table that hold these bytes (bytes.find: GBs a second)."""
        starts = self._starts.get(table)
        if starts is None or len(starts) < 2:
            return np.zeros(0, dtype=np.int64)
        found, at, end = [], int(starts[0]), int(starts[-1])
        while (at := self._raw.find(needle, at, end)) >= 0:
            found.append(at)
            at += len(needle)
        return np.unique(np.searchsorted(starts, found, side="right") - 1).astype(np.int64)

    def table(self, table: str) -> dict[str, dict[str, Any]]:
        """All of a (small) table's documents, parsed at once."""
        starts = self._starts.get(table)
        if starts is None or len(starts) == 1:
            return {}
        return orjson.loads(b"{" + self._raw[int(starts[0]):int(starts[-1]) - 1] + b"}")


def keys_start_lines(raw: bytes, starts: np.ndarray, docs: dict) -> bool:
    """Whether the lines at `starts` start with the keys of `docs` (parsed from those
    very lines), in order: then each line is one document (a line of two, and a
    blank one, parse to as many as there are lines, but do not start so)."""
    if len(docs) != len(starts) or any("\n" in k for k in docs):
        return False
    if not len(docs):
        return True
    ids = np.frombuffer("\n".join(docs).encode("utf-8", "surrogatepass"), dtype=np.uint8)
    return _keys_are(np.frombuffer(raw, dtype=np.uint8), starts, ids, *_words_in(ids))


def _words_in(ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Where each id of newline-joined ids (UTF-8 bytes) starts, and its length."""
    if not len(ids):
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    cuts = np.flatnonzero(ids == 10)
    first = np.concatenate(([0], cuts + 1))
    return first, np.concatenate((cuts, [len(ids)])) - first


def _print(raw: bytes, start: int, stop: int) -> int:
    """`docs.fingerprint` of the document whose line is raw[start:stop] (its newline and
    maybe a comma at the end; its key, of letters, digits and . _ -, then ':', first)."""
    end = stop - 2 if raw[stop - 2] == _COMMA else stop - 1
    value = raw[raw.index(b'":', start, end) + 2:end]
    return int.from_bytes(blake2b(value, digest_size=8).digest(), "little")


_COMMA = ord(",")
#: Lines whose keys `keyed_by` compares at once (a few bytes of arrays per byte compared).
_LINES_AT_ONCE = 1 << 17
_QUOTE, _COLON = ord('"'), ord(":")


def _keys_are(view: np.ndarray, starts: np.ndarray, ids: np.ndarray, first: np.ndarray,
              length: np.ndarray) -> bool:
    """Whether the bytes at each start are '"' + its id + '":' (the ids need no escape:
    they are of letters, digits and . _ -, `models._ID`)."""
    width = length + 3
    total = int(width.sum())
    begin = np.cumsum(width) - width
    j = np.arange(total) - np.repeat(begin, width)  # the place within each key
    size = np.repeat(length, width)
    expected = np.full(total, _QUOTE, dtype=np.uint8)  # the first byte, and after the id
    expected[j == size + 2] = _COLON
    inside = (j >= 1) & (j <= size)
    expected[inside] = ids[(np.repeat(first, width) + j - 1)[inside]]
    where = np.repeat(starts, width) + j
    if len(where) and int(where[-1]) >= len(view):
        return False
    return bool(np.array_equal(view[where], expected))


def _lines_to_end(raw: bytes, start: int) -> tuple[np.ndarray, int]:
    """Where the newlines from `start` up to the table's end are, and where that is: the
    first newline followed by "}" (a document's line starts with its id's quote).
    Looked for a slice at a time: a whole table's bool array would be the size of
    the table, and bytes.find of two bytes is 3x slower than numpy here."""
    found = []
    view = np.frombuffer(raw, dtype=np.uint8)
    for at in range(start, len(raw), _SCAN_BYTES):
        part = np.flatnonzero(view[at:at + _SCAN_BYTES] == 10) + at
        ends = part[view[np.minimum(part + 1, len(raw) - 1)] == _CLOSE]
        if len(ends):
            found.append(part[part < ends[0]])
            return np.concatenate(found), int(ends[0])
        found.append(part)
    raise ValueError("not a file in lines")


_CLOSE = ord("}")
