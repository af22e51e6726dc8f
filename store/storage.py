"""Durable TinyDB storages: atomic file replacement under a cross-process lock.

TinyDB's own JSONStorage rewrites the file in place, so a crash or a full
disk mid-write leaves a truncated, unreadable database. Here every write
goes to a temporary file in the same folder, is fsynced, replaces the old
file with `os.replace` (atomic on POSIX) and the folder is fsynced, so the
file on disk is always either the old or the new version, never a mix.

Readers need no lock (a replace is atomic); writers take `storage.lock`
(a `filelock.FileLock` beside the file) around the whole read-modify-write,
which the Store does. The parsed file is cached and re-read only when its
identity on disk (inode, size, mtime) changes, i.e. when another process
has written it.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import stat
import tempfile
import threading
from pathlib import Path
from typing import Any

import orjson
from filelock import FileLock, Timeout
from tinydb.storages import Storage

from .collector import paused
from .errors import DatabaseCorrupt, DatabaseUnreadable, StoreError, WriteFailed

__all__ = ["AtomicJSONStorage", "LockedMemoryStorage", "default_file_mode", "dumps",
           "parse_lines"]

LOCK_TIMEOUT_S = 30.0


def default_file_mode() -> int:
    """0o644 less the process umask: what `open(path, 'w')` would create."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


#: a version of the file: device, inode, size, mtime (every write is a new inode)
Stamp = tuple[int, int, int, int]


def _stamp(st: os.stat_result) -> Stamp:
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)


def _parse(raw: bytes) -> Any:
    """orjson.loads without the cyclic GC (`store.collector`): 100,000 quotes 0.7 s -> 0.35 s.

    A file in lines (`dumps`) is parsed a megabyte at a time (`parse_lines`);
    any other, or anything odd about one, in one call, which then says what
    is wrong with it."""
    with paused():
        found = parse_lines(raw)
        return orjson.loads(raw) if found is None else found


# -- the file in lines ---------------------------------------------------------------
# orjson holds the GIL for a whole parse: 0.3 s for 100,000 quotes, 6 s for 1,000,000,
# during which a reading in the explorer's worker stopped its screen too. The file is
# therefore written with a line per document:
#
#   {
#   "statements":{
#   "st-1":{...},
#   "st-2":{...}
#   },
#   "sources":{
#   }}
#
# still one JSON document (newlines are whitespace; TinyDB and any JSON reader read
# it), and read back a megabyte of documents per orjson call: the screen gets the
# GIL between two (Python hands it over every 5 ms to a thread that waits for it).

#: documents parsed per orjson call, in bytes
_CHUNK_BYTES = 1 << 20
_TABLE_HEAD = re.compile(rb'\n("(?:[^"\\\n]|\\.)*"):\{')


def dumps(data: dict[str, dict[str, Any]]) -> bytes:
    """The database file's bytes: a line per document (see above). TypeError for what
    orjson cannot write, or an id that is not a string (JSON keys are)."""
    return b"".join(dump_parts(data))


def dump_parts(data: dict[str, dict[str, Any]]) -> list[bytes]:
    """`dumps` in parts, a table's documents in one: written one after another, the
    file is not copied once more into one bytes object (0.5 s at 1,000,000 quotes)."""
    out = [b"{"]
    dumped = orjson.dumps
    for at, (name, table) in enumerate(data.items()):
        if not isinstance(name, str) or not set(map(type, table)) <= {str}:
            raise TypeError(f"table {name!r}: names and ids must be strings")
        out.append(b'\n"' if at == 0 else b',\n"')
        out.append(dumped(name)[1:] + b":{")
        out.append(b",".join([b"\n%b:%b" % (dumped(i), dumped(doc))
                              for i, doc in table.items()]))
        out.append(b"\n}")
    out.append(b"}\n")
    return out


def parse_lines(raw: bytes) -> dict[str, dict[str, Any]] | None:
    """The file's tables, if it is in lines (`dumps`): each table's documents parsed a
    megabyte at a time, cut after a document's line. None when it is not in that
    form, or a part does not parse: `_parse` then reads it whole, and says why.

    Why the result is what orjson.loads(raw) gives: every byte of the file is
    either checked here to be the frame (the braces, the table names, the
    commas between tables) or in a part that parsed as the members of an
    object; put back together, they are the one way to read the file, and
    later duplicates win in both."""
    if not raw.startswith(b"{\n"):
        return None
    data: dict[str, dict[str, Any]] = {}
    at = 1
    try:
        while True:
            head = _TABLE_HEAD.match(raw, at)
            if head is None:
                return None
            end = raw.find(b"\n}", head.end())
            if end < 0:
                return None
            table: dict[str, Any] = {}
            start = head.end()
            while start < end:
                cut = raw.find(b",\n", start + _CHUNK_BYTES, end)
                if cut < 0:
                    cut = end
                # In [{...}]: a document as deep as in the whole file (orjson's depth limit)
                part = orjson.loads(b"[{" + raw[start:cut] + b"}]")[0]
                if not part and (start != head.end() or cut != end):
                    return None  # no members between two commas: not JSON
                table.update(part)
                start = cut + 1
            data[orjson.loads(head.group(1))] = table
            at = end + 2
            if raw.startswith(b",", at):
                at += 1
                continue
            return data if raw[at:] in (b"}", b"}\n") else None
    except orjson.JSONDecodeError:
        return None


#: Files larger than this are hashed in a second thread while they are parsed.
_HASH_ASIDE = 1 << 20


def digest(raw: bytes) -> str:
    """The identity of a file's bytes (BLAKE2b, 128 bits): what a snapshot is made of."""
    return hashlib.blake2b(raw, digest_size=16).hexdigest()


def _parse_and_digest(raw: bytes) -> tuple[Any, str]:
    """Parse and hash the same bytes. hashlib lets go of the GIL over a large buffer,
    so a second core hashes while this one parses (0.76 s for 700 MB, hidden)."""
    if len(raw) < _HASH_ASIDE:
        return _parse(raw), digest(raw)
    found: list[str] = []
    aside = threading.Thread(target=lambda: found.append(digest(raw)), daemon=True)
    aside.start()
    try:
        data = _parse(raw)
    finally:
        aside.join()
    return data, found[0] if found else digest(raw)


def check_shape(data: Any, path: Path | str) -> dict[str, dict[str, dict]]:
    """A TinyDB file is {table: {doc_id: document}}; anything else is corrupt."""
    if not isinstance(data, dict):
        raise DatabaseCorrupt(f"{path} is not a peace-tui database (not a JSON object)")
    for name, table in data.items():
        # Every document a dict; type() over a C-level map: 0.38 -> 0.05 s at 1,000,000.
        if not isinstance(table, dict) or not set(map(type, table.values())) <= {dict}:
            raise DatabaseCorrupt(f"{path} is corrupt: table {str(name)[:40]!r} is malformed")
    return data


class _StoreLock:
    """A FileLock whose time-out becomes a one-line StoreError."""

    def __init__(self, path: Path) -> None:
        self._lock = FileLock(str(path) + ".lock", timeout=LOCK_TIMEOUT_S)
        self._path = path

    def __enter__(self) -> _StoreLock:
        try:
            self._lock.acquire()
        except Timeout:
            raise StoreError(
                f"{self._path} is locked by another peace-tui process; try again"
            ) from None
        except OSError as e:
            raise WriteFailed(f"cannot lock {self._path}: {e.strerror}") from None
        return self

    def __exit__(self, *exc: object) -> None:
        self._lock.release()

    @property
    def held(self) -> bool:
        """True while this process holds the lock (so no other writer is mid-write)."""
        return self._lock.is_locked


class AtomicJSONStorage(Storage):
    """A TinyDB storage that never leaves a half-written file behind."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self.lock = _StoreLock(self.path)
        self._cache: dict | None = None
        self._cache_stamp: Stamp | None = None
        self._cache_digest: str | None = None  # of the bytes last read, if known
        self._cache_lock = threading.RLock()
        #: (the version written over, the version written) of this handle's last write
        self.last_write: tuple[Stamp | None, Stamp] | None = None

    # -- reading -------------------------------------------------------
    def stat(self) -> os.stat_result | None:
        try:
            st = os.stat(self.path)
        except FileNotFoundError:
            return None
        except OSError as e:
            raise DatabaseUnreadable(f"cannot read {self.path}: {e.strerror}") from None
        if not stat.S_ISREG(st.st_mode):
            raise DatabaseUnreadable(f"cannot read {self.path}: not a regular file")
        return st

    def changed_on_disk(self) -> bool:
        """True when the file is not the version this process last read or wrote."""
        st = self.stat()
        return (None if st is None else _stamp(st)) != self._cache_stamp

    def read(self) -> dict[str, Any] | None:
        # Under a lock: the explorer's loader lets the parsed file go (forget_cache) from
        # its worker while the screen may be saving an edit; a reading that saw the
        # cache must return it, never None for a file that exists (a write of {}).
        with self._cache_lock:
            return self._read()

    def _read(self) -> dict[str, Any] | None:
        st = self.stat()
        if st is None:
            self._cache, self._cache_stamp, self._cache_digest = None, None, None
            return None
        cache = self._cache
        if cache is not None and _stamp(st) == self._cache_stamp:
            return cache
        try:
            with open(self.path, "rb") as f:
                st = os.fstat(f.fileno())
                raw = f.read()
        except OSError as e:
            raise DatabaseUnreadable(f"cannot read {self.path}: {e.strerror}") from None
        if not raw.strip():
            # An empty file (e.g. made by `touch`) holds no data to lose: a new database.
            data: dict = {}
            self._cache_digest = digest(raw)
        else:
            try:
                data, self._cache_digest = _parse_and_digest(raw)
            except orjson.JSONDecodeError as e:
                raise DatabaseCorrupt(
                    f"{self.path} is corrupt or truncated (invalid JSON at byte {e.pos}); "
                    "it was left untouched"
                ) from None
        self._cache = check_shape(data, self.path)
        self._cache_stamp = _stamp(st)
        return self._cache

    def digest(self) -> str | None:
        """The digest of the file as last read (reading it again if it changed on disk
        since), None for no file. After this process's own write it is not known: the
        file is read again to hash it (only the explorer's loader asks)."""
        st = self.stat()
        if st is None:
            return None
        with self._cache_lock:
            if self._cache_digest is None or _stamp(st) != self._cache_stamp:
                self._cache = None
                self._read()
            return self._cache_digest

    def digest_of(self, data: dict) -> str | None:
        """The digest of the bytes `data` was parsed from, if it is the reading held now."""
        return self._cache_digest if data is self._cache else None

    # -- writing -------------------------------------------------------
    def write(self, data: dict[str, Any]) -> None:
        written_over = self._cache_stamp if data is self._cache else None
        try:
            payload = dump_parts(data)
        except TypeError as e:
            self._invalidate()
            raise WriteFailed(f"cannot save {self.path}: {e}") from None
        try:
            self._sweep_stale_temps()
            self._replace(payload)
        except OSError as e:
            self._invalidate()
            reason = e.strerror or str(e)
            raise WriteFailed(
                f"could not save {self.path}: {reason}; the previous version is intact"
            ) from None
        st = os.stat(self.path)
        self._cache, self._cache_stamp, self._cache_digest = data, _stamp(st), None
        self.last_write = (written_over, self._cache_stamp)

    def adopt_write(self, shown: Stamp | None, written_over: Stamp | None,
                    written: Stamp) -> bool:
        """Take another process's write as this handle's own (`store.apart`, whose change
        the explorer applies to what it shows instead of reading the file again):
        only if it wrote over the version `shown` (what the explorer read and
        shows, whatever this handle has read since), and the file is still the
        version it wrote. The parsed file, if any, is let go."""
        with self._cache_lock:
            st = self.stat()
            if (shown is None or written_over != shown or st is None
                    or _stamp(st) != written):
                return False
            self._cache, self._cache_stamp, self._cache_digest = None, written, None
            return True

    @property
    def version(self) -> Stamp | None:
        """The version of the file this handle last read or wrote."""
        return self._cache_stamp

    def held(self) -> dict[str, Any] | None:
        """The parsed file, if this handle holds it and it is still the file on disk;
        never a new reading."""
        with self._cache_lock:
            st = self.stat()
            cache = self._cache
            return cache if cache is not None and st is not None and \
                _stamp(st) == self._cache_stamp else None

    def _temp_prefix(self) -> str:
        return f".{self.path.name}."

    def _sweep_stale_temps(self) -> None:
        """Delete temporary files a killed writer left behind (each a full copy of the file).

        Only under the lock: every writer makes its temporary file while
        holding it, so any such file seen then belongs to a dead process.
        Without this, a crash loop slowly fills the disk.
        """
        if not self.lock.held:
            return
        # mkstemp's random part is 8 characters: 'db.json.x' has temps of its own.
        ours = re.compile(re.escape(self._temp_prefix()) + r"[a-z0-9_]{8}\.tmp")
        with contextlib.suppress(OSError), os.scandir(self.path.parent) as entries:
            for entry in entries:
                if ours.fullmatch(entry.name):
                    with contextlib.suppress(OSError):
                        os.unlink(entry.path)

    def _replace(self, payload: list[bytes]) -> None:
        folder = self.path.parent
        try:
            mode = stat.S_IMODE(os.stat(self.path).st_mode)
        except FileNotFoundError:
            mode = default_file_mode()
        fd, tmp = tempfile.mkstemp(prefix=self._temp_prefix(), suffix=".tmp", dir=folder)
        try:
            with os.fdopen(fd, "wb") as f:
                f.writelines(payload)
                f.flush()
                os.fsync(f.fileno())
            os.chmod(tmp, mode)
            os.replace(tmp, self.path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
        # The replace has happened: readers see the new file. Syncing the folder
        # makes the rename survive a power cut; where that fails (some file
        # systems refuse it) the write still stands, so it must not be
        # reported as failed with "the previous version is intact".
        with contextlib.suppress(OSError):
            dir_fd = os.open(folder, os.O_RDONLY)
            try:
                os.fsync(dir_fd)
            finally:
                os.close(dir_fd)

    def forget_cache(self) -> None:
        """Drop the parsed file (the next read parses it again): a reader that keeps
        its own copy of the data need not hold two."""
        with self._cache_lock:
            self._cache = None

    def _invalidate(self) -> None:
        # TinyDB mutates the dict read() returned before calling write();
        # after a failed write that dict no longer matches the file.
        self._cache, self._cache_stamp, self._cache_digest = None, None, None

    def close(self) -> None:
        self._invalidate()


class LockedMemoryStorage(Storage):
    """In-memory storage with the same lock interface, for tests and scratch work."""

    def __init__(self) -> None:
        self.memory: dict[str, Any] | None = None
        self.lock = threading.RLock()

    def read(self) -> dict[str, Any] | None:
        return self.memory

    def write(self, data: dict[str, Any]) -> None:
        self.memory = data

    def changed_on_disk(self) -> bool:
        return False
