"""A large database file opened for the first time: indexed from its lines before it
is parsed.

Such a file has no snapshot to be shown from (`store.glimpse`). Its
statements are read straight from their lines by this process and a helper
process, in chunks each takes in turn (`store.coldindex`), sorted as the
list is and indexed; the explorer shows and searches that while the file is
parsed and checked as before (`tui.loading`), whose reading then takes the
index if it read the same bytes (`Cold`). The helper is started before
Textual is even imported (`Early`, by `loading.start_early`): its Python,
numpy, the file's lines and the sources' days are done while the explorer
starts, and it leaves the lines for this process to take (`Helper.lines`).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, Protocol

from store import coldhelper, storage
from store.allocator import map_large_blocks
from store.coldhelper import Helper, identity
from store.coldindex import ColdIndex, cold_index
from store.glimpse import Glimpse
from store.grown import schema_of
from store.lines import LineTables
from store.migrations import SCHEMA_VERSION

from .corpus import Corpus

if TYPE_CHECKING:
    from store.db import Reading

__all__ = ["LINES_FOUND_PER_S", "Cold", "Early", "begun", "cold_glimpse"]


class Pending(Protocol):
    """A call's result still being worked out aside (`loading._Aside`)."""

    def result(self) -> object: ...


class Cold:
    """A file indexed from its lines (`store.coldindex`), and the hash of those bytes:
    its reading takes that index if it read the same bytes and as many quotes."""

    def __init__(self, raw: bytes, index: ColdIndex) -> None:
        self.raw, self.index = raw, index
        self.digest: Pending | None = None  # hashed aside once the glimpse is shown

    def fits(self, read: Reading) -> bool:
        """Whether a reading (`Store.reading`) is of these bytes, every statement in this
        program's form (one the reading cleaned has other words), and its quotes and
        sources are those the index was made of."""
        made = self.digest.result() if self.digest is not None else storage.digest(self.raw)
        return (read.digest is not None and made == read.digest and read.canonical
                and len(self.index.order) == len(read.bundle.statements)
                and self.index.same_sources(read.bundle.sources))


class Early:
    """A large file never read before, opened, and the helper that indexes part of it
    (`store.coldhelper.Helper`) started, before the explorer is imported: its
    Python, numpy, the file's lines and its sources' days take the helper 1.3 s
    at 1,000,000 quotes, done while the explorer starts (0.7 s) instead of after."""

    def __init__(self, path: Path, file: BinaryIO, helper: Helper) -> None:
        self.path, self.file, self.helper = path, file, helper

    def fits(self, path: Path) -> bool:
        """Whether this is still of `path`: the same name, and the file there now the one
        opened (not replaced or rewritten since: `identity`)."""
        if self.path != path or self.file.closed:
            return False
        try:
            return identity(self.file.fileno()) == identity(path)
        except OSError:
            return False

    def close(self) -> None:
        try:
            self.helper.close()
        finally:
            self.file.close()


def begun(path: Path) -> Early:
    """`path` opened, and the helper that indexes part of it started on that very file
    (`identity`); the file closed again if the helper cannot start."""
    file = path.open("rb")
    try:
        return Early(path, file, Helper(path, identity(file.fileno())))
    except BaseException:
        file.close()
        raise


#: How fast a file's lines are found (`LineTables`): 715 MB in 0.4-0.6 s here.
LINES_FOUND_PER_S = 1.5e9


def cold_glimpse(path: Path, progress: Callable[[str], None], say: Callable[[str], None],
                 early: Early | None, small: int) -> tuple[Corpus | None, Cold | None]:
    """A large file never read before, glimpsed: its statements indexed from their lines
    in two processes (`store.coldindex`: 1,000,000 quotes searchable after about 9-11 s
    here, not 26-38), its quotes shown a line at a time and checked as they are drawn;
    the file is read and checked whole meanwhile, as before (and refused if it must
    be). The helper is `early`'s if it was started for this very file. `progress`
    hears each stage, `say` how far it has got (throttled); a file of `small`
    quotes or fewer is not glimpsed (None, None)."""
    if not coldhelper.AVAILABLE:
        return None, None
    try:
        started_here = early is None or not early.fits(path)
        if started_here:
            if early is not None:  # of another file: not left working beside a new one
                early.close()
            early = begun(path)
        helper = early.helper
        map_large_blocks()  # the chunks' temporary arrays given back, as a build's are
        with early.file as f:
            try:
                raw = f.read()
                # Found by the helper, if it started first (`start_early`): waited for as
                # long as looking for them here would take; else looked for here.
                wait = 0.0 if started_here else len(raw) / LINES_FOUND_PER_S
                lines = helper.lines(raw, wait=wait) or LineTables(raw)
                count = lines.count("statements")
                if count <= small or schema_of(lines) != SCHEMA_VERSION:
                    helper.close()  # small; or another version's, for the reading to refuse
                    return None, None
                progress(f"Reading {count:,} quotes' words…")
                found = cold_index(
                    raw, lines, helper, lambda done: say(f"Reading {count:,} quotes' words… "
                                                         f"{done:.0%}"),
                    lambda: progress(f"Indexing {count:,} quotes…"))
            except BaseException:
                helper.close()
                raise
        if found is None:
            return None, None
        seen = Glimpse(lines, found.order, found.source_ids, checked=True)
        corpus = Corpus(seen.views, seen.actors, seen.proposals)
        corpus.take_index(found.segment)
        return corpus, Cold(raw, found)
    except Exception:  # speed only: else, the file is parsed first, as before
        return None, None
