"""After an edit in a large archive: how long the explorer stops answering.

    python bench/reload.py [--n 100000] [--edits 3]

The explorer runs headless on a copy of a generated archive (`bench/corpus.py`).
Each edit deletes one quote through the app's way of making a change
(`ExplorerApp.change_store`, what `x` then `y` does), and the database is
shown again once it is saved. Meanwhile a timer ticks every 10 ms on the
app's event loop; the longest gap between two ticks is the longest time
the screen could not answer a key. `done` is from the edit to the new
reading on screen.

Three ways in the same run: `apart` (the explorer as it is: a large
database is changed by a process of its own, `store.apart`, and the change
record it sends back applied to what is shown, `store.patch`, in a worker,
the index brought in step from a plan made there); `apart, read` (the same,
but the whole file read again after the change, as the explorer did before
it applied records); and `in place` (the baseline: changed, read and brought
in step on the event loop, as the explorer does for a database of up to
SYNC_LIMIT quotes).
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import statistics
import sys
import tempfile
import time
from itertools import pairwise
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.startup import archive
from tui import app as app_module
from tui.app import ExplorerApp

_TICK_S = 0.01


async def _edits(path: Path, edits: int, in_place: bool, read: bool,
                 ) -> tuple[list[float], list[float]]:
    app_module.SYNC_LIMIT = 10**9 if in_place else _SYNC_LIMIT
    app_module.patched = _reread if read else _PATCHED
    app = ExplorerApp(path=path)
    gaps, dones = [], []
    async with app.run_test(size=(120, 36), headless=True) as pilot:
        while app._loading:
            await asyncio.sleep(0.05)
        await pilot.pause()
        for _ in range(edits):
            victim = app.corpus.views[len(app.corpus.views) // 2].statement.id
            shown = asyncio.Event()
            ticks = [time.perf_counter()]

            def tick(ticks: list[float] = ticks) -> None:
                ticks.append(time.perf_counter())

            timer = app.set_interval(_TICK_S, tick)
            await asyncio.sleep(0.05)
            start = time.perf_counter()
            app.change_store("delete_quote", (victim,), {},
                             lambda _record, shown=shown: app.reload_corpus(
                                 lambda _c: shown.set()), _raise)
            await asyncio.wait_for(shown.wait(), 600)  # else the reading failed: said
            done = time.perf_counter() - start
            await asyncio.sleep(0.05)
            timer.stop()
            gaps.append(max(b - a for a, b in pairwise(ticks)))
            dones.append(done)
            assert victim not in app.corpus.index
    return gaps, dones


_SYNC_LIMIT = app_module.SYNC_LIMIT
_PATCHED = app_module.patched


def _reread(store, previous, *change):
    return app_module.reread(store, previous)


def _raise(error: Exception) -> None:
    raise error


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--edits", type=int, default=3)
    args = ap.parse_args()
    source = archive(args.n)
    print(f"{args.n:,} quotes, {args.edits} edits each; seconds, median (max)")
    print(f"{'':12} {'longest freeze':>18} {'edit to screen':>18}")
    with tempfile.TemporaryDirectory() as tmp:
        for label, in_place, read in (("apart", False, False), ("apart, read", False, True),
                                      ("in place", True, False)):
            path = Path(tmp) / f"{label.replace(' ', '-').replace(',', '')}.json"
            shutil.copyfile(source, path)
            gaps, dones = asyncio.run(_edits(path, args.edits, in_place, read))
            print(f"{label:12} {statistics.median(gaps):8.2f} ({max(gaps):5.2f})     "
                  f"{statistics.median(dones):8.2f} ({max(dones):5.2f})")


if __name__ == "__main__":
    main()
