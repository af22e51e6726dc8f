"""The ingest screen (`i`): extract from a path or pasted text, review, save."""

from pathlib import Path

from textual.widgets import Button, Input, Static, TextArea

from store import Statement, Store
from tui.screens.ingest import IngestScreen

from .explorer_support import open_app, paste_text, settle

ARTICLES = Path(__file__).parent / "articles"


def _review(app) -> str:
    return str(app.screen.query_one("#summary", Static).render())


async def test_extract_a_file_review_and_save(sample_db):
    app = open_app(sample_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("i")
        assert isinstance(app.screen, IngestScreen)
        await paste_text(pilot, str(ARTICLES / "kyiv-drones.txt"))
        await pilot.press("enter")
        await settle(pilot)
        review = _review(app)
        assert "6 quotes from 4 speakers" in review and "Andriy Yermak (new)" in review
        assert Store.open(sample_db).count(Statement) == 21  # nothing saved yet
        await pilot.press("f2")
        await settle(pilot)
        assert not isinstance(app.screen, IngestScreen)
        assert Store.open(sample_db).count(Statement) == 27
        assert app.main_screen.quote_list.border_title.startswith("Quotes 27")
        # The same article again: nothing is added, and the screen says so.
        await pilot.press("i")
        await paste_text(pilot, str(ARTICLES / "kyiv-drones.txt"))
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("f2")
        await settle(pilot)
        assert isinstance(app.screen, IngestScreen)
        assert Store.open(sample_db).count(Statement) == 27


async def test_pasted_text_with_metadata(sample_db):
    app = open_app(sample_db)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("i")
        screen = app.screen
        screen.query_one("#paste", TextArea).text = (
            '"Europe will not accept a frozen conflict," Kaja Kallas said on Monday.')
        screen.query_one("#outlet", Input).value = "Example Wire"
        screen.query_one("#date", Input).value = "2025-11-26"
        await pilot.press("f5")
        await settle(pilot)
        assert "Kaja Kallas (new)  2025-11-24" in _review(app)
        await pilot.press("f2")
        await settle(pilot)
    quotes = [s for s in Store.open(sample_db).list(Statement) if "frozen conflict" in s.text]
    assert len(quotes) == 1 and str(quotes[0].said_on) == "2025-11-24"


async def test_problems_are_shown_and_nothing_is_saved(sample_db, tmp_path):
    before = sample_db.read_bytes()
    app = open_app(sample_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("i")
        await pilot.press("f5")  # nothing typed
        await settle(pilot)
        assert "Type a path, or paste" in _review(app)
        screen = app.screen
        screen.query_one("#paste", TextArea).text = '"A quote of five words here," X said.'
        screen.query_one("#date", Input).value = "26/11/2025"
        await pilot.press("f5")
        await settle(pilot)
        assert "YYYY-MM-DD" in _review(app)
        screen.query_one("#date", Input).value = ""
        screen.query_one("#paste", TextArea).text = ""
        (tmp_path / "empty.txt").write_text("  ")
        screen.query_one("#path", Input).value = str(tmp_path / "empty.txt")
        await pilot.press("f5")
        await settle(pilot)
        assert "empty" in _review(app)
        assert screen.query_one("#save", Button).disabled
        await pilot.press("f2")
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, IngestScreen)
    assert sample_db.read_bytes() == before
