"""One timed start of the explorer, for bench/startup.py (which spawns it).

    python bench/startup_child.py app|tinydb DB

Prints `paint T`, `shown T` (the quotes on screen, maybe before they are
indexed), `searchable T` (the quotes on screen and indexed: maybe before the
file is parsed, from its snapshot), `ready T` (all read: wall-clock seconds
since the epoch), `search MS`,
`index S` (how long the index build took, if one was built, or the index of a
new large file made from its lines in two processes) and `rss MB`,
one per line. Snapshots (`store.snapshot`) go where
XDG_CACHE_HOME says: the parent chooses whether this start finds one.
"""

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


from tui.loading import start_early

# As `peace-tui` does (tui.commands): a large new file's helper starts before Textual loads.
_EARLY = start_early(Path(sys.argv[2])) if sys.argv[1:2] == ["app"] else None

from tui import first_opening  # noqa: E402
from tui.app import ExplorerApp  # noqa: E402
from tui.corpus import Corpus  # noqa: E402

_build_index = Corpus.build_index


def _timed_build(self, progress=None):
    """The explorer's own index build, timed where it runs (in the loader's worker)."""
    t, building = time.perf_counter(), not self.index_ready
    _build_index(self, progress)
    if building:
        say("index", time.perf_counter() - t)


Corpus.build_index = _timed_build

_cold_index = first_opening.cold_index


def _timed_cold_index(*args, **kwargs):
    """A new large file's index, made from its lines in two processes (`store.coldindex`),
    timed as the build is: from the file's bytes at hand to the index made."""
    t = time.perf_counter()
    found = _cold_index(*args, **kwargs)
    if found is not None:
        say("index", time.perf_counter() - t)
    return found


first_opening.cold_index = _timed_cold_index


def rss_mb() -> float:
    with open("/proc/self/status") as f:
        return next(int(line.split()[1]) / 1024 for line in f if line.startswith("VmRSS"))


def say(what: str, value: float) -> None:
    print(what, value, flush=True)


class Timed(ExplorerApp):
    CSS_PATH = str(Path(sys.modules[ExplorerApp.__module__].__file__).with_name("app.tcss"))

    _said_shown = False

    def on_mount(self):
        super().on_mount()
        self.call_after_refresh(lambda: say("paint", time.time()))

    def _readable(self, corpus):
        super()._readable(corpus)
        self._said_shown = True
        say("shown", time.time())
        if corpus.index_ready:  # shown from a snapshot, while the file is parsed
            self._said_searchable = True
            say("searchable", time.time())

    _said_searchable = False

    def _loaded(self, store, corpus):
        super()._loaded(store, corpus)
        if not self._said_shown:
            say("shown", time.time())
        if not self._said_searchable:
            say("searchable", time.time())
        say("ready", time.time())
        t = time.perf_counter()
        corpus.search("peace talks")
        say("search", (time.perf_counter() - t) * 1000)
        # The memory once the loader's worker is done (it frees the parsed file, or
        # saves a snapshot, after the corpus is shown).
        self.set_interval(0.05, self._when_done)

    def _when_done(self):
        if not any(w.group == "load" and not w.is_finished for w in self.workers):
            say("rss", rss_mb())
            self.exit()


def main() -> None:
    mode, path = sys.argv[1], Path(sys.argv[2])
    if mode == "tinydb":
        from store import Store
        from store.models import Statement

        store = Store.open(path)
        store.count(Statement)
        say("rss", rss_mb())
        return
    try:
        Timed(path=path, early=_EARLY).run(headless=True, size=(120, 36))
    finally:
        if _EARLY is not None:
            _EARLY.close()


if __name__ == "__main__":
    main()
