"""Regenerate the README's screenshots: python docs/screenshot.py

The explorer on the bundled sample at 110x32 in the default theme at 256
colours (as over SSH: COLORTERM unset): a search typed (screenshot.svg), the
terms diff (diff.svg) and the proposal editor (proposal.svg).
"""

import asyncio
import os
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


asyncio.run(main())
