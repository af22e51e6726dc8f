"""Regenerate the README's screenshots: python docs/screenshot.py

The explorer on the bundled sample at 110x32 in the default theme at 256
colours (as over SSH: COLORTERM unset): a search typed (screenshot.svg), the
terms diff (diff.svg) and the proposal editor (proposal.svg). Then a
generated archive of 20,000 quotes (`bench/corpus.py`, a file under 16 MB)
opened for the first time, its quotes shown while they are indexed, a search
typed waiting for the index (indexing.svg); and one of 200,000 (over 16 MB)
opened for the first time, searched while its file is read, indexed from its
lines in two processes (`store/coldindex.py`; first.svg).
"""

import asyncio
import os
import subprocess
import sys
import tempfile
from pathlib import Path

os.environ.pop("NO_COLOR", None)
os.environ.pop("COLORTERM", None)
os.environ["TERM"] = "xterm-256color"

from store import Store
from store.sample import load_sample
from tui.app import ExplorerApp


async def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        store = Store.open(Path(tmp) / "db.json", create=True)
        store.add_bundle(load_sample())
        app = ExplorerApp(store)
        async with app.run_test(size=(110, 32)) as pilot:
            await pilot.press("slash")
            app.focused.value = "ukrain"
            await pilot.pause()
            await app.workers.wait_for_complete()
            await pilot.pause()
            await pilot.press("enter", "n", "n")
            await pilot.pause()
            app.save_screenshot("screenshot.svg", path=str(Path(__file__).parent))
            await pilot.press("escape", "escape", "d")
            await pilot.pause()
            app.save_screenshot("diff.svg", path=str(Path(__file__).parent))
            await pilot.press("d", "p")
            await pilot.pause()
            await pilot.press("end", "enter")
            await pilot.pause()
            app.save_screenshot("proposal.svg", path=str(Path(__file__).parent))
        await _indexing(Path(tmp))
        await _first(Path(tmp))


def _archive(tmp: Path, n: int) -> Path:
    archive = tmp / f"archive-{n}.json"
    root = Path(__file__).resolve().parent.parent
    subprocess.run([sys.executable, str(root / "bench" / "corpus.py"), "--n", str(n),
                    "--out", str(archive)], check=True, capture_output=True)
    os.environ["XDG_CACHE_HOME"] = str(tmp / f"cache-{n}")  # no snapshot: a first opening
    return archive


async def _indexing(tmp: Path) -> None:
    app = ExplorerApp(path=_archive(tmp, 20_000))
    async with app.run_test(size=(110, 32)):
        # Typed at once (a key pressed through the pilot waits for the screen to settle).
        app.set_focus(app.main_screen.search_box)
        app.main_screen.search_box.value = "ceasefire talks"
        quotes = app.main_screen.quote_list
        # The quotes read and checked, then shown while they are indexed.
        while "Indexing" not in str(quotes.border_subtitle):
            await asyncio.sleep(0.02)
        assert not app.corpus.index_ready, "indexed before the screenshot"
        app.save_screenshot("indexing.svg", path=str(Path(__file__).parent))
        await app.workers.wait_for_complete()


async def _first(tmp: Path) -> None:
    app = ExplorerApp(path=_archive(tmp, 200_000))
    async with app.run_test(size=(110, 32)):
        quotes = app.main_screen.quote_list
        # Indexed from its lines, then shown and searched while the file is read.
        while "edits wait" not in str(quotes.border_subtitle):
            await asyncio.sleep(0.02)
        app.set_focus(app.main_screen.search_box)
        app.main_screen.search_box.value = "ceasefire talks"
        while "matches" not in str(quotes.border_subtitle):
            await asyncio.sleep(0.02)
        assert "edits wait" in str(quotes.border_subtitle), "read before the screenshot"
        app.save_screenshot("first.svg", path=str(Path(__file__).parent))
        await app.workers.wait_for_complete()


asyncio.run(main())
