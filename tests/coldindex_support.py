"""A first opening's two processes, made to share small files as they share large ones.

At a million quotes the helper process has long started when this process is
a few chunks of lines in, and each takes part of the file (`Claims`). A test
file of 1,200 quotes is read by this process before the helper has loaded
numpy; here it is cut in chunks of 100 lines, and this process waits, after
its first chunk, until the helper has taken one (or has ended: a file it
refused), so that both read part of it, as they do at scale. 1,200 is not a
multiple of 70: the last chunk is short.
"""

from __future__ import annotations

import time
from pathlib import Path

from bench.corpus import generate
from store import coldhelper, storage
from tui import loading


def shared_with_the_helper(monkeypatch, size: int = 70) -> list[float]:
    """Chunks of `size` lines, both processes taking some; returns a list that hears the
    share of the chunks taken (by either) once the helper has taken one."""
    monkeypatch.setattr(coldhelper, "LINES_AT_ONCE", size)
    monkeypatch.setattr(coldhelper, "LEFT_TO_US", 1)
    helpers: list[coldhelper.Helper] = []
    heard: list[float] = []
    real_init, real_front = coldhelper.Helper.__init__, coldhelper.Claims.from_front

    def init(self, *args):
        real_init(self, *args)
        helpers.append(self)

    def from_front(self, chunks):
        for i, k in enumerate(real_front(self, chunks)):
            yield k
            helper = next((h for h in helpers if h.claims is self), None)
            if i == 0 and helper is not None:  # this one has one: the helper takes one
                deadline = time.monotonic() + 60
                while (self.taken(chunks) * chunks < 1.5 and helper._proc.poll() is None
                       and time.monotonic() < deadline):
                    time.sleep(0.002)
                heard.append(self.taken(chunks))

    monkeypatch.setattr(coldhelper.Helper, "__init__", init)
    monkeypatch.setattr(coldhelper.Claims, "from_front", from_front)
    return heard


def small_is_large(monkeypatch) -> list[float]:
    """1,200 quotes stand for a large archive, and its file for a large file; both
    processes read part of it (`shared_with_the_helper`, whose list it returns)."""
    monkeypatch.setattr(loading, "SYNC_LIMIT", 1000)
    monkeypatch.setattr(loading, "_GLIMPSE_BYTES", 0)
    return shared_with_the_helper(monkeypatch)


def archive() -> dict:
    """A generated archive with what sorting and dating must get right: undated sources
    (listed first), quotes with no day of their own (dated by their source), two
    sources published the same day (then by id), non-ASCII words."""
    tables = generate(1200, seed=7)
    sources, statements = tables["sources"], tables["statements"]
    ids = list(sources)
    for sid in ids[::9]:
        sources[sid]["published"] = None
    sources[ids[3]]["published"] = sources[ids[4]]["published"]
    for k, st in enumerate(statements.values()):
        if k % 5 == 0:
            st["said_on"], st["said_on_precision"] = None, "unknown"
        if k % 97 == 0:
            st["text"] = "Die Waffenruhe — «перемирие» — naïve façade: l'accord " + st["text"]
            st["span"] = [st["span"][0], st["span"][0] + len(st["text"])]
    return tables


def archive_file(tmp_path: Path) -> Path:
    """`archive()` written in lines, as the store writes (a file never read before)."""
    path = tmp_path / "archive.json"
    path.write_bytes(storage.dumps(archive()))
    return path


def first_id(tables: dict) -> str:
    return next(iter(tables["statements"]))
