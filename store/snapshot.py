"""A snapshot of a large database's reading, kept so that the next opening is quick.

Opening a database of 1,000,000 quotes takes half a minute, all of it spent
again on every opening of the same file: checking each document with its
model (8.5 s) and indexing every quote (12 s). A snapshot keeps what that
work found, keyed by the digest of the file's bytes (`storage.digest`):

- that this exact file was checked and found valid, so its statements and
  sources can be taken as stored (`docs.statement_as_stored`);
- the search index's one segment, as arrays (`Segment.to_arrays`);
- the display order of the statements (as their places in the file), so
  that sorting them is not done again either;
- each statement's and source's fingerprint (`docs.fingerprint`): once the
  file has changed, the documents that are still the same need not be
  checked, and the statements that are still the same keep their place in
  the index (`QuoteSearch.from_earlier`).

A snapshot is only a cache: it lives in the user's cache folder, one per
database file, written atomically (temporary file, `os.replace`); any
snapshot that does not match — another version of the code or of what it
leans on (`_code_digest`), a damaged file (its BLAKE2b is checked on
reading), arrays that are not of their kinds or do not fit together — is
ignored, and the database is read the long way. The database file is never
written.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import numpy as np
import orjson

from .index import Segment, join_words, split_words

__all__ = ["KEEP", "TABLES", "Snapshot", "find", "folder", "header", "read", "save"]

#: Snapshots kept, the most recently used first (each about half its database's size).
KEEP = 4
#: What decides what an index holds, and what is valid: a change to any makes new snapshots.
_CODE = ("tokens.py", "query.py", "index.py", "postings.py", "firsts.py", "merge.py",
         "search.py", "views.py", "coldhalf.py", "coldhelper.py", "coldindex.py", "lines.py",
         "snapshot.py", "models.py", "ids.py", "docs.py", "issue_codes.py",
         "data/issue_codes.json")


#: Tables whose documents' fingerprints a snapshot keeps (see `Snapshot.known`).
TABLES = ("statements", "sources")


@dataclass(frozen=True, slots=True)
class Snapshot:
    """One reading of a database file. Its index's segment is either over the file's
    statements in display order (`docs` None: a reading indexed whole), or an
    earlier one's, kept after a change (`docs`: which statement each of its
    documents stood for, and which still stand: `from_earlier` indexes the rest)."""

    digest: str  # of the database file's bytes
    order: np.ndarray  # display position -> the statement's place in the file's table
    segment: Segment
    _known: dict[str, tuple[np.ndarray, np.ndarray]]  # table -> (ids, newline-joined; fps)
    docs: tuple[np.ndarray, np.ndarray] | None = None  # (ids, newline-joined; alive)
    #: every statement of the file was in this program's form (`Reading.canonical`)
    canonical: bool = False

    def doc_ids(self) -> list[str]:
        """The statement each document of the segment stood for."""
        if self.docs is not None:
            return split_words(self.docs[0])
        ids = self.ids("statements")
        return [ids[i] for i in self.order.tolist()]

    def alive(self) -> np.ndarray:
        """Which documents of the segment still stand for their statement."""
        return (np.ones(self.segment.n, dtype=bool) if self.docs is None
                else self.docs[1].astype(bool))

    def ids(self, table: str) -> list[str]:
        """The table's ids then, in the file's order."""
        return split_words(self._known[table][0]) if table in self._known else []

    def joined_ids(self, table: str) -> np.ndarray | None:
        """The table's ids then, in the file's order, newline-joined UTF-8 (None: not kept)."""
        return self._known[table][0] if table in self._known else None

    def prints(self, table: str) -> np.ndarray | None:
        """The fingerprints of the table's documents then, in the file's order (None:
        not kept)."""
        return self._known[table][1] if table in self._known else None

    def known(self, table: str) -> dict[str, int]:
        """id -> `docs.fingerprint` of each document then: all were valid. An edited
        file's documents that are still the same need not be checked again."""
        return dict(zip(self.ids(table), self._known[table][1].tolist(), strict=True)) \
            if table in self._known else {}


def folder() -> Path:
    from platformdirs import user_cache_path

    return user_cache_path("peace-tui") / "snapshots"


def _code_digest() -> str:
    """The code and data above, and the versions whose rules they lean on (Unicode's
    tables for folding and words, pydantic's for checking, msgspec's for reading a
    new file's lines)."""
    import unicodedata

    import msgspec
    import pydantic
    import pydantic_core

    here = Path(__file__).parent
    h = hashlib.blake2b(digest_size=8)
    for name in _CODE:
        h.update((here / name).read_bytes())
    h.update(f"{sys.version_info[:2]} {unicodedata.unidata_version} {pydantic.VERSION} "
             f"{pydantic_core.__version__} {msgspec.__version__}".encode())
    return h.hexdigest()


def _file_for(database: Path) -> Path:
    key = hashlib.blake2b(str(database.resolve()).encode(), digest_size=12).hexdigest()
    return folder() / f"{key}{_SUFFIX}"


def find(database: Path, digest: str | None) -> Snapshot | None:
    """The snapshot of this database file as it is now, if one was saved; else None."""
    found = read(database) if digest is not None else None
    return found if found is not None and found.digest == digest else None


def read(database: Path) -> Snapshot | None:
    """The snapshot last saved for this database file (maybe of an older version of it:
    compare its digest), if there is one made by this code and it is intact.

    The file is one read and one hash (440 MB at 1,000,000 quotes), both of
    which let go of the GIL; the arrays are views into what was read. So the
    explorer reads it in a thread while the database is parsed, on the
    second core: orjson holds the GIL for the whole parse."""
    path = _file_for(database)
    try:
        meta, arrays = _unpack(path.read_bytes())
        if not isinstance(meta, dict) or meta.get("code") != _code_digest():
            return None
        segment = Segment.from_arrays(arrays)
        order = arrays["order"]
        docs = (arrays["doc_ids"], arrays["alive"]) if "doc_ids" in arrays else None
        statements = len(order) if docs is not None else segment.n
        if (order.ndim != 1 or order.dtype.kind != "i" or len(order) != statements
                or not np.array_equal(np.sort(order), np.arange(statements))):
            return None
        digest = str(meta["digest"])
        known = {t: (arrays[f"ids:{t}"], arrays[f"fps:{t}"]) for t in TABLES
                 if f"ids:{t}" in arrays}
        if not all(fps.dtype == np.uint64 and _count(ids) == len(fps)
                   for ids, fps in known.values()):
            return None  # as many ids (newline-joined) as fingerprints
        if docs is not None and not (_count(docs[0]) == len(docs[1]) == segment.n
                                     and docs[1].dtype == np.uint8 and docs[1].ndim == 1):
            return None
    except Exception:  # a cache: whatever is wrong with it, it is not used
        return None
    with contextlib.suppress(OSError):
        os.utime(path)  # recently used: kept when others are dropped
    return Snapshot(digest, order, segment, known, docs, meta.get("canonical") is True)


def header(database: Path) -> dict:
    """What the header of the snapshot last saved for this database says (`save`'s meta;
    {} for none, or one made by other code): a few kilobytes read. A quick test
    of what the snapshot may be good for, before it is read and checked whole
    (`read`): the database file's `size`, whether its index is `whole` (over
    every statement, in display order) and of how many `statements`."""
    try:
        with _file_for(database).open("rb") as f:
            head = f.read(len(_MAGIC) + 8)
            if not head.startswith(_MAGIC):
                return {}
            meta = orjson.loads(f.read(int.from_bytes(head[len(_MAGIC):], "little")))["meta"]
    except (OSError, ValueError, KeyError, TypeError):
        return {}
    return meta if isinstance(meta, dict) and meta.get("code") == _code_digest() else {}


def _count(joined: np.ndarray) -> int:
    """How many words newline-joined UTF-8 holds (-1 if it is not that)."""
    if joined.dtype != np.uint8 or joined.ndim != 1:
        return -1
    return int(np.count_nonzero(joined == 10)) + 1 if len(joined) else 0


def save(database: Path, digest: str, order: np.ndarray, segment: Segment,
         known: dict[str, tuple[list[str], np.ndarray]] | None = None,
         docs: tuple[list[str], np.ndarray] | None = None, canonical: bool = False,
         size: int | None = None) -> Path | None:
    """Keep a snapshot of this reading (best effort: a cache that cannot be written is
    no error); drop the least recently used beyond KEEP. Returns where it went.

    `known`: table -> its ids and their documents' fingerprints (`docs.fingerprints`);
    `docs`: for an earlier segment, the statement each document stood for and
    which still stand (see `Snapshot`); `canonical`: see `Reading.canonical`;
    `size`: the database file's, in bytes."""
    path = _file_for(database)
    arrays = segment.to_arrays() | {
        "order": np.asarray(order, dtype=np.int32 if len(order) < 2**31 else np.int64)}
    if docs is not None:
        arrays["doc_ids"] = join_words(docs[0])
        arrays["alive"] = np.asarray(docs[1], dtype=np.uint8)
    for table, (ids, fps) in (known or {}).items():
        arrays[f"ids:{table}"] = join_words(ids)
        arrays[f"fps:{table}"] = np.asarray(fps, dtype=np.uint64)
    meta = {"digest": digest, "code": _code_digest(), "database": str(database.resolve()),
            "canonical": canonical, "size": size, "whole": docs is None,
            "statements": len(order)}
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".snapshot.", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as f:
                _pack(f, meta, arrays)
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
    except OSError:
        return None
    _drop_old(path.parent)
    return path


# -- the file: a header, then the arrays' bytes ---------------------------------------------
# MAGIC, the header's length (8 bytes, little-endian), the header (JSON: meta, each
# array's dtype, shape and offset, and the BLAKE2b of everything after it), then
# the arrays one after another, each at a multiple of 64 bytes.
_MAGIC = b"peace-tui snapshot 1\n"
_SUFFIX = ".snapshot"
_ALIGN = 64


def _pack(f: BinaryIO, meta: dict, arrays: dict[str, np.ndarray]) -> None:
    layout, at = [], 0
    parts = []
    for name, array in arrays.items():
        data = np.ascontiguousarray(array)
        layout.append({"name": name, "dtype": data.dtype.str, "shape": list(data.shape),
                       "at": at})
        parts.append(memoryview(data).cast("B"))
        at += data.nbytes
        pad = -at % _ALIGN
        parts.append(memoryview(bytes(pad)))
        at += pad
    body = hashlib.blake2b(digest_size=16)
    for part in parts:
        body.update(part)
    header = orjson.dumps({"meta": meta, "arrays": layout, "body": body.hexdigest()})
    head = _MAGIC + len(header).to_bytes(8, "little") + header
    f.write(head + bytes(-len(head) % _ALIGN))
    for part in parts:
        f.write(part)


def _unpack(raw: bytes) -> tuple[dict, dict[str, np.ndarray]]:
    """The meta and the arrays of a snapshot file's bytes; ValueError if it is not one,
    or not whole."""
    if not raw.startswith(_MAGIC):
        raise ValueError("not a snapshot")
    size_at = len(_MAGIC)
    size = int.from_bytes(raw[size_at:size_at + 8], "little")
    header = orjson.loads(raw[size_at + 8:size_at + 8 + size])
    start = size_at + 8 + size
    start += -start % _ALIGN
    body = memoryview(raw)[start:]
    if hashlib.blake2b(body, digest_size=16).hexdigest() != header["body"]:
        raise ValueError("damaged")
    arrays = {}
    for entry in header["arrays"]:
        dtype = np.dtype(entry["dtype"])
        count = int(np.prod(entry["shape"], dtype=np.int64))
        arrays[entry["name"]] = np.frombuffer(body, dtype=dtype, count=count,
                                              offset=entry["at"]).reshape(entry["shape"])
    return header["meta"], arrays


def _drop_old(where: Path) -> None:
    """All but the KEEP most recently used, and what a killed writer left (an hour old)."""
    with contextlib.suppress(OSError):
        kept = sorted(where.glob(f"*{_SUFFIX}"), key=lambda p: p.stat().st_mtime, reverse=True)
        stale = [t for t in where.glob(".snapshot.*.tmp")
                 if time.time() - t.stat().st_mtime > 3600]
        for old in kept[KEEP:] + stale:
            with contextlib.suppress(OSError):
                old.unlink()
