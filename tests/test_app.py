"""The explorer's main screen, driven with Textual's Pilot: each key does what it says."""

from __future__ import annotations

import pytest
from textual.widgets import Input

from tests.explorer_support import open_app, paste_text, screen_lines, settle, terminal_env
from tui.corpus import ActorSort
from tui.screens.diff import DiffScreen
from tui.screens.help import HelpScreen
from tui.widgets.actors_pane import ActorsPane, JumpInput
from tui.widgets.quote_detail import QuoteDetail
from tui.widgets.quote_list import QuoteList

LAVROV_BINDING = ("\"All the commitments Kiev assumes must be legally binding, contain "
                  "enforcement mechanisms and be permanent\" — Sergei Lavrov, Daily Mail, "
                  "2025-04-28")

pytestmark = pytest.mark.usefixtures(terminal_env.__name__)


async def test_opens_with_every_quote_and_the_first_in_detail(sample_db):
    app = open_app(sample_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        quotes = app.query_one(QuoteList)
        assert app.focused is quotes
        assert quotes.row_count == 21
        lines = screen_lines(quotes)
        assert lines[0].split() == ["Speaker", "Date", "Quote", "Issues"]
        assert "neo-Nazi" in lines[1] and "2025-04-28" in lines[1]
        assert quotes.border_title == "Quotes 21"
        detail = app.query_one(QuoteDetail).text
        assert "“neo-Nazi”" in detail
        assert "Sergei Lavrov, Foreign Minister, Russia" in detail
        assert "X-Leadership" in detail
        assert "Daily Mail, 2025-04-29" in detail  # the source: outlet and date
        actors = app.query_one(ActorsPane).actor_list
        assert actors.row_count == 16
        assert actors.border_title is None and app.query_one(ActorsPane).border_title == (
            "Actors 16")


async def test_arrows_and_j_k_move_and_the_detail_follows(sample_db):
    app = open_app(sample_db)
    async with app.run_test(size=(80, 24)) as pilot:
        quotes = app.query_one(QuoteList)
        await pilot.press("j")
        assert quotes.cursor == 1
        await pilot.press("down", "down")
        assert quotes.cursor == 3
        await pilot.press("k", "up")
        assert quotes.cursor == 1
        await settle(pilot)
        detail = app.query_one(QuoteDetail).text
        assert "All the commitments Kiev assumes" in detail
        # The paragraph it came from is shown, with the quote in it.
        assert "Paragraph" in detail and "declared yesterday in a written interview" in detail
        await pilot.press("G")
        assert quotes.cursor == 20
        await pilot.press("g")
        assert quotes.cursor == 0
        await pilot.press("pagedown")
        assert quotes.cursor == quotes.page_rows


async def test_a_jumps_to_an_actor_and_enter_filters_then_clears(sample_db):
    app = open_app(sample_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("a")
        pane = app.query_one(ActorsPane)
        assert isinstance(app.focused, JumpInput)
        await paste_text(pilot, "mac")  # a word of the name: Emmanuel Macron
        assert pane.actor_list.current.name == "Emmanuel Macron"
        await pilot.press("enter")
        await settle(pilot)
        quotes = app.query_one(QuoteList)
        assert app.focused is quotes
        assert quotes.row_count == 3
        assert {v.speaker for v in quotes.rows.views} == {"Emmanuel Macron"}
        assert quotes.border_title == "Quotes 3/21 · Emmanuel Macron"
        # Choosing the same actor again clears the filter.
        await pilot.press("a", "enter")
        await settle(pilot)
        assert quotes.row_count == 21
        # Esc in the list clears it too.
        await pilot.press("a")
        await paste_text(pilot, "lavrov")
        await pilot.press("enter")
        await settle(pilot)
        assert quotes.row_count == 3
        await pilot.press("escape")
        await settle(pilot)
        assert quotes.row_count == 21


async def test_jump_box_escape_clears_text_then_filter_then_leaves(sample_db):
    app = open_app(sample_db)
    async with app.run_test(size=(80, 24)) as pilot:
        pane = app.query_one(ActorsPane)
        quotes = app.query_one(QuoteList)
        await pilot.press("a")
        await paste_text(pilot, "gom")
        assert pane.actor_list.current.name == "Thomas Gomart"
        await pilot.press("enter", "a")
        await paste_text(pilot, "zz")
        assert pane.jump_box.has_class("-no-match")
        await pilot.press("escape")  # the text
        assert pane.jump_box.value == "" and quotes.row_count == 3
        await pilot.press("escape")  # the filter
        await settle(pilot)
        assert quotes.row_count == 21 and isinstance(app.focused, JumpInput)
        await pilot.press("escape")  # nothing left to clear: back to the list
        await settle(pilot)
        assert app.focused is quotes


async def test_actor_sort_by_name_or_count(sample_db):
    app = open_app(sample_db)
    async with app.run_test(size=(80, 24)) as pilot:
        pane = app.query_one(ActorsPane)
        by_count = [a.name for a in pane.actor_list.actors]
        counts = [pane.actor_list.counts.get(a.id, 0) for a in pane.actor_list.actors]
        assert counts == sorted(counts, reverse=True)
        await pilot.press("a", "ctrl+r")
        assert pane.sort is ActorSort.name
        by_name = [a.name for a in pane.actor_list.actors]
        assert by_name[0] == "A European diplomat" and by_name != by_count
        assert by_name == sorted(by_name, key=str.casefold)
        assert "by name" in pane.border_subtitle
        await pilot.press("ctrl+r")
        assert [a.name for a in pane.actor_list.actors] == by_count


async def test_y_copies_the_quote_with_its_citation(sample_db, monkeypatch):
    app = open_app(sample_db)
    copied: list[str] = []
    monkeypatch.setattr(app, "copy_to_clipboard", copied.append)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("j", "y")
        assert copied == [LAVROV_BINDING]


async def test_y_sends_osc_52(sample_db):
    app = open_app(sample_db)
    async with app.run_test(size=(80, 24)) as pilot:
        written: list[str] = []
        app._driver.write = written.append  # type: ignore[union-attr,method-assign]
        await pilot.press("j", "y")
        assert app.clipboard == LAVROV_BINDING
        import base64

        assert f"\x1b]52;c;{base64.b64encode(LAVROV_BINDING.encode()).decode()}\a" in written


async def test_question_mark_lists_the_keys_of_the_focused_pane(sample_db):
    app = open_app(sample_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        text = app.screen.text
        assert app.screen.pane == "Quote list"
        first = text.splitlines()[0]
        assert first == "Quote list"  # the focused pane comes first
        for needle in ("↑, k", "↓, j", "Next search match", "Copy the quote", "Quit",
                       "Keys of the focused pane", "Compare two proposals", "speaker:lavrov"):
            assert needle in text, needle
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)
        # In the actors pane, help lists the pane's own keys.
        await pilot.press("a", "question_mark")
        assert app.screen.pane == "Actors"
        assert "Sort actors by name" in app.screen.text
        assert "Clear the jump text" in app.screen.text
        await pilot.press("question_mark")
        assert not isinstance(app.screen, HelpScreen)


async def test_q_quits(sample_db):
    app = open_app(sample_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running
    assert app.return_code == 0


async def test_q_types_in_the_search_box_rather_than_quitting(sample_db):
    app = open_app(sample_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("slash")
        await paste_text(pilot, "qad")
        assert app.is_running and app.query_one("#search", Input).value == "qad"
        assert not isinstance(app.screen, DiffScreen)


async def test_ctrl_p_offers_the_same_actions(sample_db):
    app = open_app(sample_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+p")
        await paste_text(pilot, "diff")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, DiffScreen)
        await pilot.press("escape")
        await pilot.press("ctrl+p")
        await paste_text(pilot, "quotes by macron")
        await pilot.press("enter")
        await settle(pilot)
        quotes = app.query_one(QuoteList)
        assert {v.speaker for v in quotes.rows.views} == {"Emmanuel Macron"}


async def test_tab_reaches_the_detail_pane_which_scrolls(sample_db):
    app = open_app(sample_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("j", "enter")  # Enter on a quote: read it in full
        detail = app.query_one(QuoteDetail)
        assert app.focused is detail
        await pilot.press("j", "j")
        await pilot.pause()
        assert detail.scroll_y > 0
