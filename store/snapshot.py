"""A snapshot of a large database's reading, kept so that the next opening is quick.

Opening a database of 1,000,000 quotes takes half a minute, all of it spent
again on every opening of the same file: checking each document with its
model (8.5 s) and indexing every quote (13 s). A snapshot keeps what that
work found, keyed by the digest of the file's bytes (`storage.digest`):

- that this exact file was checked and found valid, so its statements can
  be taken as stored (`docs.statement_as_stored`);
- the search index's one segment, as arrays (`Segment.to_arrays`);
- the display order of the statements (as their places in the file), so
  that sorting them is not done again either.

A snapshot is only a cache: it lives in the user's cache folder, one per
database file, written atomically (temporary file, `os.replace`); any
snapshot that does not match — another digest, another version of the code
that tokenizes and indexes, a damaged file (the zip format's CRC-32 is
checked on reading), arrays that do not fit together — is ignored, and the
database is read the long way. The database file is never written.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .index import Segment

__all__ = ["KEEP", "Snapshot", "find", "folder", "read", "save"]

#: Snapshots kept, the most recently used first (each about half its database's size).
KEEP = 4
#: The modules whose code decides what an index holds: a change to any makes new snapshots.
_CODE = ("tokens.py", "query.py", "index.py", "search.py", "views.py", "snapshot.py")


@dataclass(frozen=True, slots=True)
class Snapshot:
    digest: str  # of the database file's bytes
    order: np.ndarray  # display position -> the statement's place in the file's table
    segment: Segment  # the index over the statements in display order


def folder() -> Path:
    from platformdirs import user_cache_path

    return user_cache_path("peace-tui") / "snapshots"


def _code_digest() -> str:
    here = Path(__file__).parent
    h = hashlib.blake2b(digest_size=8)
    for name in _CODE:
        h.update((here / name).read_bytes())
    return h.hexdigest()


def _file_for(database: Path) -> Path:
    key = hashlib.blake2b(str(database.resolve()).encode(), digest_size=12).hexdigest()
    return folder() / f"{key}.npz"


def find(database: Path, digest: str | None) -> Snapshot | None:
    """The snapshot of this database file as it is now, if one was saved; else None."""
    found = read(database) if digest is not None else None
    return found if found is not None and found.digest == digest else None


def read(database: Path) -> Snapshot | None:
    """The snapshot last saved for this database file (maybe of an older version of it:
    compare its digest), if there is one made by this code and it is intact.

    Reading 440 MB of it (1,000,000 quotes) takes a second, mostly reading the
    file and checking its CRCs, which let go of the GIL: the explorer does it
    in a thread while the database is parsed."""
    path = _file_for(database)
    try:
        with np.load(path, allow_pickle=False) as saved:
            if _text(saved["code"]) != _code_digest():
                return None
            arrays = {name: saved[name] for name in saved.files}
        segment = Segment.from_arrays(arrays)
        order = arrays["order"]
        if len(order) != segment.n or not np.array_equal(np.sort(order), np.arange(segment.n)):
            return None
        digest = _text(arrays["digest"])
    except (OSError, KeyError, ValueError, UnicodeDecodeError, zipfile.BadZipFile, EOFError):
        return None
    with contextlib.suppress(OSError):
        os.utime(path)  # recently used: kept when others are dropped
    return Snapshot(digest, order, segment)


def save(database: Path, digest: str, order: np.ndarray, segment: Segment) -> Path | None:
    """Keep a snapshot of this reading (best effort: a cache that cannot be written is
    no error); drop the least recently used beyond KEEP. Returns where it went."""
    path = _file_for(database)
    arrays = segment.to_arrays() | {
        "order": np.asarray(order, dtype=np.int32 if len(order) < 2**31 else np.int64),
        "digest": _bytes(digest), "code": _bytes(_code_digest()),
        "database": _bytes(str(database.resolve()))}
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".snapshot.", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as f:
                np.savez(f, **arrays)
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
    except OSError:
        return None
    _drop_old(path.parent)
    return path


def _drop_old(where: Path) -> None:
    """All but the KEEP most recently used, and what a killed writer left (an hour old)."""
    with contextlib.suppress(OSError):
        kept = sorted(where.glob("*.npz"), key=lambda p: p.stat().st_mtime, reverse=True)
        stale = [t for t in where.glob(".snapshot.*.tmp")
                 if time.time() - t.stat().st_mtime > 3600]
        for old in kept[KEEP:] + stale:
            with contextlib.suppress(OSError):
                old.unlink()


def _bytes(text: str) -> np.ndarray:
    return np.frombuffer(text.encode(), dtype=np.uint8)


def _text(data: np.ndarray) -> str:
    return data.tobytes().decode()
