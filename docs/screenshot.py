"""Regenerate the README's screenshot: python docs/screenshot.py"""

import asyncio
import tempfile
from pathlib import Path

from store import Store
from store.sample import load_sample
from tui.app import ExplorerApp


async def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        store = Store.open(Path(tmp) / "db.json", create=True)
        store.add_bundle(load_sample())
        app = ExplorerApp(store)
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.press("down")
            await pilot.pause()
            app.save_screenshot("screenshot.svg", path=str(Path(__file__).parent))


asyncio.run(main())
