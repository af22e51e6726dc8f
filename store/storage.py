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

__all__ = ["AtomicJSONStorage", "LockedMemoryStorage", "default_file_mode"]

LOCK_TIMEOUT_S = 30.0


def default_file_mode() -> int:
    """0o644 less the process umask: what `open(path, 'w')` would create."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def _stamp(st: os.stat_result) -> tuple[int, int, int, int]:
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)


def _parse(raw: bytes) -> Any:
    """orjson.loads without the cyclic GC (`store.collector`): 100,000 quotes 0.7 s -> 0.35 s."""
    with paused():
        return orjson.loads(raw)


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
        self._cache_stamp: tuple[int, int, int, int] | None = None
        self._cache_digest: str | None = None  # of the bytes last read, if known
        self._cache_lock = threading.RLock()

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
        try:
            payload = orjson.dumps(data)
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

    def _replace(self, payload: bytes) -> None:
        folder = self.path.parent
        try:
            mode = stat.S_IMODE(os.stat(self.path).st_mode)
        except FileNotFoundError:
            mode = default_file_mode()
        fd, tmp = tempfile.mkstemp(prefix=self._temp_prefix(), suffix=".tmp", dir=folder)
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(payload)
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
