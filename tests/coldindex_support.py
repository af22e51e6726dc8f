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

from store import coldhelper


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
