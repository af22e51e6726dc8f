"""The second process of a first opening, and the chunks of lines the two share.

A large file read for the first time is indexed from its lines
(`store.coldindex`) by two processes: this one, and a child Python
(`Helper`) started before the file is even read. They take chunks of
lines in turn (`Claims`): this one from the front, the child from the
back, until they meet, so both finish together whatever each one's pace.
The child reads the file itself, its chunks (`store.coldhalf`) and the
sources' days, and sends them back pickled on its stdout. It starts first,
so it also leaves where the file's lines are (`LinesDrop`) for this process,
which then need not look for them before its first chunk.
"""

from __future__ import annotations

import atexit
import gc
import mmap
import os
import pickle
import struct
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .coldhalf import Half, chunks, half_of, published
from .lines import LineTables

try:
    import fcntl
except ImportError:  # not POSIX: no lock to share the chunks by; the long way
    fcntl = None  # type: ignore[assignment]

__all__ = ["AVAILABLE", "LEFT_TO_US", "LINES_AT_ONCE", "Claims", "Helper", "LinesDrop",
           "Theirs", "identity"]

#: Whether this system can index a file in two processes (`Claims` needs POSIX locks).
AVAILABLE = fcntl is not None and hasattr(os, "pread")
#: Lines parsed at once (one decode of them: half the time of a line at a time), and
#: the chunks the two processes take in turn (`Claims`).
LINES_AT_ONCE = 8192
#: Chunks the helper leaves to this process when they meet (at least one): its half
#: must still be pickled, sent and read (0.2-0.3 s at 1,000,000 quotes; a chunk takes
#: about 0.07 s).
LEFT_TO_US = 3


def identity(file: int | os.PathLike) -> tuple[int, int, int, int]:
    """What tells a file (open, by its descriptor, or at a path) from another, or from
    itself rewritten: device, inode, size, time of change (the store writes a new
    file and renames it over the old)."""
    st = os.stat(file)
    return st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns


def _unnamed_file(name: str) -> int:
    """A new unnamed file's descriptor, for both processes to share: in memory where
    Linux can make one (`memfd_create`), else a temporary file."""
    if hasattr(os, "memfd_create"):
        return os.memfd_create(name, os.MFD_CLOEXEC)
    with tempfile.TemporaryFile() as f:  # its own descriptor closed, the file kept
        return os.dup(f.fileno())


class _Shared:
    """A file both processes have open, by its descriptor (`fd`, passed to the helper)."""

    def __init__(self, fd: int) -> None:
        self.fd = fd

    def close(self) -> None:
        """Closed once (`fd` -1 after), however often asked."""
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1


class Claims(_Shared):
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

    @classmethod
    def new(cls) -> Claims:
        """Claims in a new unnamed file, unset (its descriptor: `fd`, to pass on)."""
        fd = _unnamed_file("peace-tui-claims")
        try:
            os.pwrite(fd, cls._FORM.pack(-1, -1), 0)
        except BaseException:
            os.close(fd)
            raise
        return cls(fd)

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


class LinesDrop(_Shared):
    """Where the helper leaves the file's tables' lines (`LineTables.tables`) as soon
    as it has found them, for this process to take instead of looking for them
    again (0.4 s at 1,000,000 quotes, before its first chunk): an unnamed file,
    its first eight bytes the length of what follows (0 until it is all there)."""

    _LENGTH = struct.Struct("<q")

    @classmethod
    def new(cls) -> LinesDrop:
        return cls(_unnamed_file("peace-tui-lines"))

    def put(self, lines: LineTables) -> None:
        """Leave the lines' starts (the length written last: a reader sees all or none)."""
        data = pickle.dumps(lines.tables(), protocol=pickle.HIGHEST_PROTOCOL)
        os.pwrite(self.fd, data, self._LENGTH.size)
        os.pwrite(self.fd, self._LENGTH.pack(len(data)), 0)

    def take(self, raw: bytes) -> LineTables | None:
        """The lines the helper found, of `raw` (the same file, read here); None if it
        has not found them yet, or they are not where lines start in `raw`."""
        head = os.pread(self.fd, self._LENGTH.size, 0)
        length = self._LENGTH.unpack(head)[0] if len(head) == self._LENGTH.size else 0
        if length <= 0:
            return None
        data = bytearray()
        while len(data) < length:  # (a read may stop short)
            part = os.pread(self.fd, length - len(data), self._LENGTH.size + len(data))
            if not part:
                return None
            data += part
        try:
            starts = pickle.loads(data)
            return LineTables.known(raw, starts) if isinstance(starts, dict) else None
        except Exception:  # speed only: else they are looked for here
            return None


def _second_half(path: str, same_as: tuple[int, int, int, int], claims: Claims, size: int,
                 spare: int, drop: LinesDrop) -> Theirs | None:
    """The statements of the chunks of `size` lines of the file at `path` the helper
    takes (from the back, leaving `spare`), and its sources' days, if it is still the
    file the explorer read (`identity`); its lines left in `drop` meanwhile.

    The file is mapped, not read: no copy of it to make (0.4 s at 1,000,000 quotes)
    before its lines are found. Should another program cut the file short
    meanwhile, this process dies of SIGBUS, and the explorer reads the long way
    (`Helper.result` is None); its own bytes are a copy."""
    with open(path, "rb") as f:
        if identity(f.fileno()) != same_as:
            return None
        raw = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
    lines = LineTables(raw)
    drop.put(lines)
    days = published(raw, lines)  # first: then only the pickling is left at the end
    starts = lines.starts("statements")
    n = len(starts) - 1
    return Theirs(half_of(raw, starts, claims.from_back(chunks(n, size), spare), size),
                  *days)


@dataclass(frozen=True, slots=True)
class Theirs:
    """What the helper sends back: its half, and the sources' days (`published`, read
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
          "from store.coldhelper import serve; serve()")


def serve() -> None:
    """The helper process: a request (path, identity, claims' descriptor, lines in a
    chunk, chunks to leave) in on stdin, its answer out on stdout (pickled: arrays
    of tens of MB go through the pipe in a blink); None when the file is not what
    was asked, or not in this program's form."""
    gc.disable()  # a million objects and no cycles: the collector would walk them again
    path, same_as, fd, size, spare, lines_fd = pickle.load(sys.stdin.buffer)
    try:
        found = _second_half(path, same_as, Claims(fd), size, spare, LinesDrop(lines_fd))
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
        self.size = LINES_AT_ONCE  # lines in a chunk: told the helper, so both agree
        self.claims = Claims.new()
        try:
            self.lines_drop = LinesDrop.new()
        except BaseException:
            self.claims.close()
            raise
        try:
            self._proc = subprocess.Popen(
                # -P: not the current folder first on its path (a numpy.py there would run)
                [sys.executable, "-P", "-c", _CHILD, str(_HERE)],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                pass_fds=(self.claims.fd, self.lines_drop.fd))
        except BaseException:
            self.claims.close()
            self.lines_drop.close()
            raise
        atexit.register(self.close)  # not left working when the explorer quits meanwhile
        try:
            assert self._proc.stdin is not None
            with self._proc.stdin as ask:
                pickle.dump((str(path), same_as, self.claims.fd, self.size, LEFT_TO_US,
                             self.lines_drop.fd), ask)
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
        self.claims.close()
        self.lines_drop.close()

    def lines(self, raw: bytes, wait: float = 0.0) -> LineTables | None:
        """The tables' lines of `raw` (the file the helper reads too), once the helper has
        found them (`LinesDrop`), waiting for it at most `wait` seconds; else None,
        and they are looked for here."""
        give_up = time.monotonic() + wait
        while self.lines_drop.fd >= 0:
            try:
                found = self.lines_drop.take(raw)
            except OSError:
                return None
            # (a helper that has ended left them, or never will)
            if (found is not None or time.monotonic() >= give_up
                    or self._proc.poll() is not None):
                return found
            time.sleep(0.005)
        return None
