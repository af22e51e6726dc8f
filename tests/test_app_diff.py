"""The terms diff screen: default pair, sections, marks, word diff, n / N, filter, Enter."""

from __future__ import annotations

import pytest
from textual.widgets import Select

from store.diff import RowStatus
from tests.explorer_support import open_app, settle, terminal_env
from tui.screens.diff import DiffScreen
from tui.screens.issue_quotes import IssueQuotesScreen
from tui.screens.main import MainScreen
from tui.widgets.diff_view import DiffView
from tui.widgets.search_input import SearchInput

pytestmark = pytest.mark.usefixtures(terminal_env.__name__)


async def _open_diff(pilot, left: str | None = None, right: str | None = None) -> DiffView:
    await pilot.press("d")
    await settle(pilot)
    assert isinstance(pilot.app.screen, DiffScreen)
    if left:
        pilot.app.screen.query_one("#left", Select).value = left
    if right:
        pilot.app.screen.query_one("#right", Select).value = right
    await settle(pilot)
    return pilot.app.screen.query_one(DiffView)


async def test_d_opens_the_two_most_recent_proposals_and_d_goes_back(sample_db):
    app = open_app(sample_db)
    async with app.run_test(size=(80, 24)) as pilot:
        view = await _open_diff(pilot)
        screen = app.screen
        # Most recent on the right; the tie on 2025-04-28 is broken by title, as the CLI does.
        assert (screen.left.id, screen.right.id) == ("russia-victory-day-truce",
                                                     "trump-permanent-ceasefire")
        assert [(r.issue, r.status) for r in view.rows] == [
            ("Ce", RowStatus.changed), ("ImE", RowStatus.left_only)]
        assert app.focused is view
        await pilot.press("d")
        assert isinstance(app.screen, MainScreen)
        await pilot.press("d", "escape")
        assert isinstance(app.screen, MainScreen)


async def test_rows_are_grouped_by_section_and_marked(sample_db):
    app = open_app(sample_db)
    async with app.run_test(size=(80, 40)) as pilot:
        view = await _open_diff(pilot, "us-seven-point-plan", "russia-terms-lavrov")
        statuses = {r.status for r in view.rows}
        assert statuses == {RowStatus.changed, RowStatus.left_only, RowStatus.right_only}
        text = "\n".join(line.plain for line in view.lines)
        headings = [line.plain.split()[1] for line in view.lines
                    if line.plain.startswith("── ")]
        assert headings == ["Ceasefire", "Security", "Territory", "Economy", "Justice",
                            "Other"][: len(headings)]
        assert "Economy and sanctions" in text
        for word in ("changed", "only left", "only right"):
            assert word in text


async def test_changed_wording_is_marked_word_by_word(sample_db):
    app = open_app(sample_db)
    async with app.run_test(size=(120, 36)) as pilot:
        view = await _open_diff(pilot)
        first = view.lines[1]  # under the Ceasefire heading: the Ce row, side by side
        marked = [first.plain[s.start:s.end] for s in first.spans
                  if getattr(s.style, "underline", False)]
        assert "truce" in " ".join(marked) and "ceasefire" in " ".join(marked)
        assert "is" not in marked  # words both sides share are not marked


async def test_side_by_side_from_100_columns_and_stacked_below(sample_db):
    app = open_app(sample_db)
    async with app.run_test(size=(100, 30)) as pilot:
        view = await _open_diff(pilot)
        assert view.wide
        row = view.lines[1].plain
        assert row.count("│") == 2 and "declaring" in row and "permanent" in row
    app = open_app(sample_db)
    async with app.run_test(size=(99, 30)) as pilot:
        view = await _open_diff(pilot)
        assert not view.wide
        lines = [line.plain for line in view.lines]
        assert lines[1].startswith("≠ Ce Ceasefire") and lines[1].endswith("changed")
        assert lines[2].startswith("  L the Russian side is declaring a truce")
        assert any(line.startswith("  R Trump is seeking a permanent ceasefire")
                   for line in lines)


async def test_n_and_shift_n_jump_between_differences_and_f_filters(sample_db):
    app = open_app(sample_db)
    async with app.run_test(size=(80, 24)) as pilot:
        view = await _open_diff(pilot, "russia-terms-lavrov", "us-seven-point-plan")
        pilot.app.screen.query_one("#right", Select).value = "russia-terms-lavrov"
        await settle(pilot)
        # The same proposal on both sides: nothing differs.
        assert {r.status for r in view.rows} == {RowStatus.same}
        await pilot.press("n")
        assert any("say the same" in n.message for n in app._notifications)
        pilot.app.screen.query_one("#right", Select).value = "us-seven-point-plan"
        await settle(pilot)
        differing = [i for i, r in enumerate(view.rows) if r.status is not RowStatus.same]
        view.focus()
        visited = []
        for _ in differing:
            await pilot.press("n")
            visited.append(view.current_index)
        assert sorted(visited) == differing
        await pilot.press("N")
        assert view.current_index == visited[-2]
        await pilot.press("f")
        assert view.only_differences
        assert all(view.rows[i].status is not RowStatus.same for i in view.shown)
        assert "(hidden)" in view.border_subtitle
        await pilot.press("f")
        assert len(view.shown) == len(view.rows)


async def test_s_swaps_the_sides(sample_db):
    app = open_app(sample_db)
    async with app.run_test(size=(80, 24)) as pilot:
        view = await _open_diff(pilot)
        await pilot.press("s")
        await settle(pilot)
        assert app.screen.left.id == "trump-permanent-ceasefire"
        assert app.screen.query_one("#left", Select).value == "trump-permanent-ceasefire"
        assert [(r.issue, r.status) for r in view.rows][1] == ("ImE", RowStatus.right_only)


async def test_brackets_focus_the_pickers(sample_db):
    app = open_app(sample_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_diff(pilot)
        await pilot.press("left_square_bracket")
        assert app.focused is app.screen.query_one("#left", Select)
        await pilot.press("right_square_bracket")
        assert app.focused is app.screen.query_one("#right", Select)


async def test_enter_shows_what_each_proposer_said_on_the_issue(sample_db):
    app = open_app(sample_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_diff(pilot)
        await pilot.press("enter")  # the Ce row
        await settle(pilot)
        assert isinstance(app.screen, IssueQuotesScreen)
        text = app.screen.query_one("#issue-quotes-body").visual.plain
        kremlin, trump = text.split("Donald Trump  (")
        assert "The Kremlin" in kremlin and "all hostilities" in kremlin
        assert "stop shooting and sign a deal" in trump and "killing field" in trump
        assert "You don’t start a war" not in trump  # Trump's quote on another issue
        await pilot.press("escape")
        assert isinstance(app.screen, DiffScreen)


async def test_a_state_speaks_through_those_affiliated_with_it(sample_db):
    app = open_app(sample_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_diff(pilot, "us-seven-point-plan", "russia-victory-day-truce")
        await pilot.press("enter")
        await settle(pilot)
        text = app.screen.query_one("#issue-quotes-body").visual.plain
        assert text.startswith("United States")
        assert "stop shooting and sign a deal" in text.split("The Kremlin")[0]


async def test_slash_from_the_diff_goes_back_to_search(sample_db):
    app = open_app(sample_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_diff(pilot)
        await pilot.press("slash")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        assert isinstance(app.focused, SearchInput)


async def test_help_on_the_diff_lists_its_keys(sample_db):
    app = open_app(sample_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_diff(pilot)
        await pilot.press("question_mark")
        text = app.screen.text
        assert text.startswith("Diff rows")
        for needle in ("Next row that differs", "Show only the rows that differ",
                       "Swap left and right", "Back to the quotes", "Quit"):
            assert needle in text, needle
        assert "speaker:" not in text  # the search language belongs to the main screen


async def test_a_database_with_fewer_than_two_proposals(tmp_path):
    from store import Store
    from tui.app import ExplorerApp

    app = ExplorerApp(Store.open(tmp_path / "empty.json", create=True))
    async with app.run_test(size=(80, 24)) as pilot:
        view = await _open_diff(pilot)
        assert view.shown == []
        assert "needs two proposals" in view.empty_message
        await pilot.press("n", "f", "enter")  # nothing to do, nothing breaks
        assert isinstance(app.screen, DiffScreen)
