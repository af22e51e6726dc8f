"""Untrusted text, 16 colours, NO_COLOR and a large list: the explorer in hostile conditions."""

from __future__ import annotations

import pytest

from store import Store
from store.views import quote_views
from tests.explorer_support import (
    hostile_db,
    open_app,
    paste_text,
    screen_lines,
    settle,
    terminal_env,
)
from tui.app import ExplorerApp
from tui.corpus import Corpus, Filtered
from tui.text import clean_with_spans
from tui.widgets.actors_pane import ActorsPane
from tui.widgets.quote_detail import QuoteDetail
from tui.widgets.quote_list import QuoteList

pytestmark = pytest.mark.usefixtures(terminal_env.__name__)


async def test_markup_in_quotes_and_names_is_shown_literally_and_never_run(tmp_path):
    app = open_app(hostile_db(tmp_path))
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        quotes = app.query_one(QuoteList)
        lines = screen_lines(quotes)
        assert "[@click=app.quit]x[/]" in lines[1] and "[red]Name" in lines[1]
        assert "[bold]x[/bold]" in lines[2]
        assert not any(seg.style and seg.style.bold for seg in quotes.render_line(2)
                       if "x[/bold]" in seg.text)
        detail = app.query_one(QuoteDetail).text
        for literal in ("“[@click=app.quit]x[/]”", "[red]Name, [@click=app.quit]role[/]",
                        "Before [@click=app.quit]x[/] after.", "[b]Title[/b]", "[i]Outlet",
                        "https://example.org/[x]"):
            assert literal in detail, literal
        actors = screen_lines(app.query_one(ActorsPane).actor_list)
        assert actors[0].startswith(" [red]Name")
        # Clicking the quote (where a [@click] link would be) does not quit.
        await pilot.click(QuoteList, offset=(40, 1))
        await pilot.click(QuoteDetail, offset=(3, 0))
        await pilot.press("enter")
        await settle(pilot)
        assert app.is_running
        # The palette shows the name as text, too.
        await pilot.press("escape", "ctrl+p")
        await paste_text(pilot, "quotes by")
        palette_text = "\n".join(
            str(option.prompt) for option in app.screen.query("CommandList").first().options)
        assert "Quotes by [red]Name" in palette_text
        await pilot.press("escape")
        assert app.is_running


def test_spans_follow_the_text_through_cleaning():
    text = "a\u202e\u202e b\r\n\tsanctions  lifted\x07 now"
    start = text.index("sanctions")
    clean, spans = clean_with_spans(text, [(start, start + 9)], one_line=True)
    assert clean == "a b sanctions lifted now"
    assert [clean[s:e] for s, e in spans] == ["sanctions"]
    clean, spans = clean_with_spans(text, [(start, start + 9)])
    assert clean == "a b\n\tsanctions  lifted now"
    assert [clean[s:e] for s, e in spans] == ["sanctions"]


async def test_sixteen_colours_get_the_ansi_theme(sample_db, monkeypatch):
    monkeypatch.setenv("TEXTUAL_COLOR_SYSTEM", "standard")
    app = open_app(sample_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.theme == "ansi-dark"
    monkeypatch.delenv("TEXTUAL_COLOR_SYSTEM")
    app = open_app(sample_db)
    async with app.run_test(size=(80, 24)) as pilot:
        assert app.theme != "ansi-dark"


@pytest.mark.parametrize("no_color", [True, False])
async def test_the_cursor_shows_without_colour(sample_db, monkeypatch, no_color):
    if not no_color:
        monkeypatch.delenv("NO_COLOR", raising=False)
    app = open_app(sample_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.no_color is no_color
        row = app.query_one(QuoteList).render_line(1)  # the cursor's row
        reverse = all(seg.style.reverse for seg in row if seg.text.strip())
        assert reverse is no_color  # with colour, the cursor is a background instead


async def test_a_hundred_thousand_quotes_scroll_to_the_end(sample_db):
    """The list is virtual: 100k rows are set at once and only what shows is drawn."""
    from bench.quote_list import synthetic_views

    views = synthetic_views(100_000)
    app = open_app(sample_db)
    async with app.run_test(size=(80, 24)) as pilot:
        quotes = app.query_one(QuoteList)
        quotes.show_rows(Filtered(views, [()] * len(views)))
        await pilot.pause()
        assert quotes.virtual_size.height == 100_001  # rows and the header
        await pilot.press("G")
        await pilot.pause()
        assert quotes.cursor == 99_999
        last = screen_lines(quotes)[quotes.page_rows]
        assert views[-1].statement.text[:10] in last
        assert "st-99999" not in last  # it draws the quote, not an id
        await pilot.press("pageup")
        assert quotes.cursor == 99_999 - quotes.page_rows


def test_corpus_views_are_the_store_views(sample_db):
    store = Store.open(sample_db)
    corpus = Corpus.from_store(store)
    assert [v.statement.id for v in corpus.views] == [
        v.statement.id for v in quote_views(store.bundle())]
    assert ExplorerApp(store).corpus.counts["sergei-lavrov"] == 3
