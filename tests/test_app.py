"""The explorer, driven with Textual's Pilot."""

from textual.widgets import DataTable, OptionList, Static

from store import Store
from tui.app import ExplorerApp


async def test_opens_on_the_sample_and_filters_by_actor(sample_db):
    app = ExplorerApp(Store.open(sample_db))
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.query_one("#quotes", DataTable)
        assert table.row_count == 21
        await pilot.press("a")
        assert app.focused is app.query_one("#actors", OptionList)
        await pilot.press("enter")  # the first actor: most quotes
        assert 0 < table.row_count < 21
        await pilot.press("escape")
        assert table.row_count == 21
        await pilot.press("q")
    assert app.return_code == 0 or app.return_code is None


async def test_detail_shows_the_whole_quote_and_citation(sample_db):
    app = ExplorerApp(Store.open(sample_db))
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("down")
        detail = str(app.query_one("#detail", Static).render())
        assert "All the commitments Kiev assumes" in detail
        assert "Sergei Lavrov, Daily Mail, 2025-04-28" in detail
