"""Search in the explorer: the box, the query language, highlights, n / N, Esc."""

from __future__ import annotations

import pytest

from tests.explorer_support import (
    open_app,
    paste_text,
    screen_lines,
    settle,
    terminal_env,
    type_text,
)
from tui.widgets.quote_detail import QuoteDetail
from tui.widgets.quote_list import QuoteList
from tui.widgets.search_input import SearchInput

pytestmark = pytest.mark.usefixtures(terminal_env.__name__)


async def _search(pilot, text: str) -> QuoteList:
    await pilot.press("slash")
    assert isinstance(pilot.app.focused, SearchInput)
    await paste_text(pilot, text)
    return pilot.app.query_one(QuoteList)


LANGUAGE = [
    ("truce", {"The Kremlin"}, 2),                       # a word
    ("ceasef", {"Dara Massicot"}, 1),                     # the start of a word
    ('"all hostilities"', {"The Kremlin"}, 1),           # an exact phrase
    ("speaker:lavrov", {"Sergei Lavrov"}, 3),            # speaker: (an alias)
    ('speaker:"Dara Massicot"', {"Dara Massicot"}, 1),   # speaker: with a space
    ("issue:TjSan", {"Sergei Lavrov"}, 1),               # issue:
    ("before:2025-04-28", {"Donald Trump"}, 1),          # before: (said on)
    ("after:2025-04-29 speaker:trump", {"Donald Trump"}, 2),  # after: (else published)
    ("ukraine -sanctions", {"Emmanuel Macron"}, 1),       # -word
]


async def test_the_query_language_narrows_the_list(sample_db):
    app = open_app(sample_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("slash")
        box, quotes = app.query_one(SearchInput), app.query_one(QuoteList)
        for query, speakers, count in LANGUAGE:
            box.value = query  # as if typed: the box reports the change, the search runs
            await settle(pilot)
            views = quotes.rows.views
            assert (len(views), {v.speaker for v in views}) == (count, speakers), query


async def test_results_narrow_as_you_type_and_matches_are_highlighted(sample_db):
    app = open_app(sample_db)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("slash")
        await type_text(pilot, "t")  # typed, key by key
        quotes = app.query_one(QuoteList)
        wide = quotes.row_count
        await type_text(pilot, "ruce")
        assert 0 < quotes.row_count < wide
        assert quotes.border_title == "Quotes 2/21"
        assert quotes.border_subtitle == "2 matches"
        # The matched word is styled in the row (bold underline, colour or not);
        # line 2 is the second quote (line 1, the cursor's, is underlined whole).
        row = quotes.render_line(2)
        styled = [seg.text for seg in row if seg.style and seg.style.underline]
        assert styled == ["truce"]
        detail = app.query_one(QuoteDetail).text
        assert "declaring a truce during" in detail


async def test_a_typo_falls_back_to_near_matches_and_says_so(sample_db):
    app = open_app(sample_db)
    async with app.run_test(size=(80, 24)) as pilot:
        quotes = await _search(pilot, "hostilites")
        assert quotes.row_count == 1
        assert "near matches" in quotes.border_subtitle


async def test_an_empty_result_says_so(sample_db):
    app = open_app(sample_db)
    async with app.run_test(size=(80, 24)) as pilot:
        quotes = await _search(pilot, "zzyzx")
        assert quotes.row_count == 0
        assert "No quotes match 'zzyzx'." in screen_lines(quotes)[1]
        assert "No quotes match" in app.query_one(QuoteDetail).text
        assert app.query_one(SearchInput).has_class("-no-match")


async def test_a_half_typed_filter_is_not_an_error(sample_db):
    app = open_app(sample_db)
    async with app.run_test(size=(80, 24)) as pilot:
        quotes = await _search(pilot, "after:2025-1")
        assert quotes.row_count == 21
        assert "wants a date" in quotes.border_subtitle


async def test_enter_or_escape_leave_the_box_with_the_filter_kept_then_escape_clears(sample_db):
    app = open_app(sample_db)
    async with app.run_test(size=(80, 24)) as pilot:
        quotes = await _search(pilot, "truce")
        await pilot.press("enter")
        assert app.focused is quotes and quotes.row_count == 2
        await pilot.press("slash", "escape")
        assert app.focused is quotes and quotes.row_count == 2
        await pilot.press("escape")
        await settle(pilot)
        assert quotes.row_count == 21
        assert app.query_one(SearchInput).value == ""


async def test_search_and_actor_filter_combine(sample_db):
    app = open_app(sample_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("a")
        await type_text(pilot, "trump")
        await pilot.press("enter")
        quotes = await _search(pilot, "issue:Ce")
        assert quotes.row_count == 2
        assert quotes.border_title == "Quotes 2/21 · Donald Trump"
        await pilot.press("enter", "escape")  # the search goes first ...
        await settle(pilot)
        assert quotes.row_count == 3
        await pilot.press("escape")  # ... then the actor
        await settle(pilot)
        assert quotes.row_count == 21


async def test_n_and_shift_n_step_through_every_match(sample_db):
    app = open_app(sample_db)
    async with app.run_test(size=(120, 36)) as pilot:
        quotes = await _search(pilot, "is")
        await pilot.press("enter")
        total = quotes.match_total
        assert (quotes.row_count, total) == (3, 6)  # one quote has 4 matches
        seen = []
        for _ in range(total):
            await pilot.press("n")
            seen.append((quotes.cursor, quotes.current_match))
        assert len(set(seen)) == total  # each match once ...
        assert quotes.border_subtitle == f"match {total}/{total}"
        await pilot.press("n")
        assert (quotes.cursor, quotes.current_match) == seen[0]  # ... then round again
        await pilot.press("N")
        assert (quotes.cursor, quotes.current_match) == seen[-1]
        assert quotes.border_subtitle == f"match {total}/{total}"
        # The current match stands out from the others, without colour too: in the
        # list (the cursor's row is in reverse video, so the match is in italics) ...
        await settle(pilot)
        row = quotes.render_line(1 + quotes.cursor - round(quotes.scroll_y))
        current = [s.text for s in row if s.style and s.style.underline and s.style.italic]
        assert [t.casefold() for t in current] == ["is"]
        # ... and in the detail pane, where it is the one in reverse video.
        detail = app.query_one(QuoteDetail).query_one("#detail-body")
        strips = detail.render_lines(detail.region.reset_offset)
        reversed_text = [s.text for strip in strips for s in strip
                         if s.style and s.style.reverse and s.text.strip()]
        assert [t.casefold() for t in reversed_text] == ["is"]


async def test_n_without_a_search_explains(sample_db):
    app = open_app(sample_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n")
        await pilot.pause()
        assert quotes_cursor(app) == 0
        assert any("press / to search" in n.message for n in app._notifications)


def quotes_cursor(app) -> int:
    return app.query_one(QuoteList).cursor


async def test_a_stale_search_is_dropped(sample_db):
    """Results of a query typed over are never shown over the newer one's."""
    app = open_app(sample_db)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        await pilot.press("slash")
        await type_text(pilot, "truce")
        stale = screen.corpus.search("ukraine")
        screen._show_result("ukraine", stale)  # arrives late, for a query no longer typed
        await settle(pilot)
        assert app.query_one(QuoteList).row_count == 2


async def test_the_cursor_stays_on_its_quote_while_a_search_narrows_and_clears(sample_db):
    """The rows change on every keystroke; the quote under the cursor stays under it while
    it matches, and is under it again when the search is cleared."""
    app = open_app(sample_db)
    async with app.run_test(size=(100, 30)) as pilot:
        quotes = app.query_one(QuoteList)
        quotes.focus()
        await settle(pilot)
        every = list(quotes.rows.views)
        target = max(range(len(every)), key=lambda i: (
            " the " in every[i].statement.text.lower(), i))  # the last quote with "the"
        for _ in range(target):
            await pilot.press("down")
        chosen = quotes.current
        assert chosen is every[target]
        await _search(pilot, "th")
        await settle(pilot)
        assert quotes.row_count < len(every) and quotes.current is chosen
        wider = quotes.row_count
        await type_text(pilot, "e ")  # from a search's rows to another's
        await settle(pilot)
        assert quotes.row_count < wider and quotes.current is chosen
        assert quotes.cursor == list(quotes.rows.views).index(chosen) > 0
        await pilot.press("escape", "escape")  # out of the box, then the search cleared
        await settle(pilot)
        assert quotes.row_count == len(every) and quotes.current is chosen
        await _search(pilot, "zzzqqq")
        await settle(pilot)
        assert quotes.row_count == 0


async def test_keys_typed_in_a_burst_land_where_the_keys_before_them_sent_the_focus(
        sample_db):
    """'/truce', Enter, 'n', 'n' read at once: the word is in the box (not lost on the
    list, which had the focus when they came), and the two steps go through its
    matches once they are found."""
    from tests.explorer_support import burst

    app = open_app(sample_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        quotes, box = app.query_one(QuoteList), app.query_one(SearchInput)
        await burst(pilot, ["/", "t", "r", "u", "c", "e", "enter", "n", "n"])
        assert box.value == "truce" and app.focused is quotes
        assert quotes.row_count == 2 and str(quotes.border_subtitle) == "match 2/2"
        await burst(pilot, ["/", "backspace", "backspace", "escape", "j"])  # 'tru'
        assert box.value == "tru" and app.focused is quotes and quotes.cursor == 1


async def test_letters_typed_in_a_burst_after_slash_are_never_the_lists_keys(sample_db):
    """'q' quits from the list: typed at once after '/', it is the search's first letter."""
    from tests.explorer_support import burst

    app = open_app(sample_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await burst(pilot, ["/", "q", "u", "a", "d"])
        assert app.is_running and app.query_one(SearchInput).value == "quad"
        await burst(pilot, ["escape", "escape", "a", "l", "a", "v"])  # the actors' jump box
        assert app.focused.id == "actor-jump" and app.focused.value == "lav"
        await burst(pilot, ["enter", "j", "j"])  # chosen: the keys after are the list's
        assert app.focused is app.query_one(QuoteList)
        assert app.main_screen.actor_id == "sergei-lavrov" and app.focused.cursor > 0
