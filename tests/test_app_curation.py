"""Curation from the keyboard (Pilot): edit, delete and undo quotes; actors; history."""

from __future__ import annotations

import pytest
from textual.widgets import Button, Input

from store import Actor, Statement, Store
from tests.explorer_support import open_app, paste_text, settle, terminal_env
from tui.screens.actor_edit import ActorEditScreen
from tui.screens.form import ConfirmScreen, ProblemLine
from tui.screens.history import HistoryScreen
from tui.screens.picker import PickerScreen
from tui.screens.quote_edit import QuoteEditScreen
from tui.widgets.quote_list import QuoteList

pytestmark = pytest.mark.usefixtures(terminal_env.__name__)

FIRST = "st-b61baa660eed"  # the first quote of the list: 'neo-Nazi', Sergei Lavrov


def _quote(db, id=FIRST) -> Statement:
    return Store.open(db).get(Statement, id)


async def test_e_gives_a_quote_another_speaker_date_and_issues(sample_db):
    app = open_app(sample_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, QuoteEditScreen)
        assert "neo-Nazi" in str(app.screen.query_one("#quote-text").render())
        await pilot.press("enter")  # on Speaker: the picker
        await settle(pilot)
        assert isinstance(app.screen, PickerScreen)
        await paste_text(pilot, "putin")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, QuoteEditScreen)
        assert str(app.screen.query_one("#speaker", Button).label) == "Vladimir Putin"
        assert app.focused.id == "date"
        app.focused.value = ""
        await paste_text(pilot, "2025-04")
        await pilot.press("f3")  # add an issue from the taxonomy
        await settle(pilot)
        await paste_text(pilot, "sanctions relief")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.query_one("#issues", Input).value == "X-Leadership TjSan"
        await pilot.press("f2")
        await settle(pilot)
        assert app.screen is app.main_screen
        quotes = app.query_one(QuoteList)
        assert quotes.current.statement.id == FIRST
        assert quotes.current.speaker == "Vladimir Putin"
    st = _quote(sample_db)
    assert st.actor_id == "vladimir-putin" and st.issues == ["X-Leadership", "TjSan"]
    assert st.said_on_precision == "month" and st.text == "neo-Nazi"
    [record] = Store.open(sample_db).history()
    assert record.action == "edit quote"


async def test_an_invalid_edit_shows_why_and_changes_nothing_on_disk(sample_db):
    before = sample_db.read_bytes()
    app = open_app(sample_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("e", "tab")
        await settle(pilot)
        app.focused.value = ""
        await paste_text(pilot, "28/04/2025")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, QuoteEditScreen)
        assert "YYYY-MM-DD" in str(app.screen.query_one(ProblemLine).render())
        app.screen.query_one("#date", Input).value = ""
        app.screen.query_one("#issues", Input).value = "Ce Bogus"
        await pilot.press("f2")
        await settle(pilot)
        assert "unknown issue code 'Bogus'" in str(app.screen.query_one(ProblemLine).render())
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is app.main_screen
    assert sample_db.read_bytes() == before


async def test_a_new_speaker_is_created_from_the_picker(sample_db):
    app = open_app(sample_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("e", "enter")
        await settle(pilot)
        await paste_text(pilot, "Dmitry Peskov")
        await pilot.press("enter")  # nothing matches: the row offered is "+ New actor"
        await settle(pilot)
        assert "Dmitry Peskov (new)" in str(app.screen.query_one("#speaker", Button).label)
        await pilot.press("f2")
        await settle(pilot)
    store = Store.open(sample_db)
    assert store.get(Actor, "dmitry-peskov").name == "Dmitry Peskov"
    assert _quote(sample_db).actor_id == "dmitry-peskov"


async def test_x_deletes_after_asking_and_u_undoes(sample_db):
    app = open_app(sample_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        quotes = app.query_one(QuoteList)
        await pilot.press("x")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")  # no: nothing deleted
        await settle(pilot)
        assert quotes.row_count == 21
        await pilot.press("x", "y")
        await settle(pilot)
        assert quotes.row_count == 20 and quotes.border_title == "Quotes 20"
        assert Store.open(sample_db).find(Statement, FIRST) is None
        await pilot.press("u")
        await settle(pilot)
        assert quotes.row_count == 21
        assert _quote(sample_db).text == "neo-Nazi"
        await pilot.press("u")  # the deletion is undone; nothing else to undo
        await settle(pilot)
        assert quotes.row_count == 21
    actions = [r.action for r in Store.open(sample_db).history()]
    assert actions == ["delete quote", "undo"]


async def test_app_keys_are_held_back_in_a_form(sample_db):
    app = open_app(sample_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        await pilot.press("q", "a", "d", "slash")  # on the Speaker button
        await settle(pilot)
        assert isinstance(app.screen, QuoteEditScreen) and app.is_running


async def test_edit_an_actor_and_merge_two(sample_db):
    app = open_app(sample_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("A")  # the speaker of the current quote: Sergei Lavrov
        await settle(pilot)
        assert isinstance(app.screen, ActorEditScreen)
        screen = app.screen
        screen.query_one("#role", Input).value = "Foreign Minister of Russia"
        screen.query_one("#aliases", Input).value = "Lavrov, Sergey Lavrov"
        await pilot.press("f2")
        await settle(pilot)
        assert app.screen is app.main_screen
        lavrov = Store.open(sample_db).get(Actor, "sergei-lavrov")
        assert lavrov.role == "Foreign Minister of Russia"
        assert lavrov.aliases == ["Lavrov", "Sergey Lavrov"]
        # From the actors pane (F3, as letters go to its jump box): the Kremlin into Russia.
        await pilot.press("a")
        await paste_text(pilot, "kremlin")
        await pilot.press("f3")
        await settle(pilot)
        assert isinstance(app.screen, PickerScreen)
        await paste_text(pilot, "russia")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(pilot)
        store = Store.open(sample_db)
        assert store.find(Actor, "kremlin") is None
        assert "The Kremlin" in store.get(Actor, "russia").aliases
        assert not [s for s in store.list(Statement) if s.actor_id == "kremlin"]
        assert all(a.id != "kremlin" for a in app.corpus.actors)
        app.set_focus(app.query_one(QuoteList))  # u in the jump box would be typed
        await pilot.press("u")
        await settle(pilot)
        assert Store.open(sample_db).find(Actor, "kremlin") is not None


async def test_h_lists_the_changes_and_undoes(sample_db):
    app = open_app(sample_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("x", "y")
        await settle(pilot)
        await pilot.press("h")
        await settle(pilot)
        assert isinstance(app.screen, HistoryScreen)
        lines = str(app.screen.query_one("#change-lines").render())
        assert "quote st-b61baa660eed deleted" in lines
        await pilot.press("u")
        await settle(pilot)
        assert len(app.screen.records) == 2
        assert "Undid: Deleted the quote" in app.screen.records[0].summary
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is app.main_screen
        assert app.query_one(QuoteList).row_count == 21


async def test_the_palette_offers_the_curation_keys_and_edit_actor(sample_db):
    app = open_app(sample_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await paste_text(pilot, "edit actor massicot")
        await settle(pilot)
        options = app.screen.query("CommandList").first().options
        assert "Edit actor Dara Massicot" in str(options[0].prompt)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ActorEditScreen)
        assert app.screen.query_one("#name", Input).value == "Dara Massicot"
        await pilot.press("escape", "ctrl+p")
        await settle(pilot)
        await paste_text(pilot, "undo")
        await settle(pilot)
        texts = [str(o.prompt) for o in app.screen.query("CommandList").first().options]
        assert any("Undo (u)" in t for t in texts)


async def test_markup_in_names_is_shown_as_text_in_the_forms(tmp_path):
    from tests.explorer_support import hostile_db

    app = open_app(hostile_db(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        assert str(app.screen.query_one("#speaker", Button).label) == "[red]Name"
        await pilot.press("enter")
        await settle(pilot)
        options = app.screen.query_one("#choices").options
        assert str(options[0].prompt).startswith("[red]Name — person")
        await pilot.press("escape", "escape", "x")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        assert "“[@click=app.quit]x[/]” — [red]Name" in str(app.screen.query_one(".hint").render())
        await pilot.press("n")
        assert app.is_running


def test_the_picker_narrows_by_word_starts_stems_and_codes():
    from tui.curation import issue_choices
    from tui.screens.picker import Choice, narrow

    codes = [c.value for c in narrow(issue_choices(), "sec gua")]
    assert codes[0] == "SsrGua"
    assert "StBor" in [c.value for c in narrow(issue_choices(), "borders")]
    assert [c.value for c in narrow(issue_choices(), "x-alliance")] == ["X-Alliance"]
    people = [Choice("a", "Anna Bell"), Choice("b", "Bella Ann")]
    assert [c.value for c in narrow(people, "bel")] == ["b", "a"]  # label starts first
    assert narrow(people, "") == people and narrow(people, "zz") == []


async def test_merging_the_actor_the_quotes_are_filtered_to_drops_the_filter(sample_db):
    app = open_app(sample_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.main_screen.choose_actor("kremlin")
        await settle(pilot)
        quotes = app.query_one(QuoteList)
        assert quotes.row_count == 3
        await pilot.press("M")  # the speaker of the current quote: the Kremlin
        await settle(pilot)
        await paste_text(pilot, "russia")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert app.main_screen.actor_id is None
        assert quotes.row_count == 21 and quotes.border_title == "Quotes 21"


async def test_an_invalid_actor_edit_is_shown_and_not_saved(sample_db):
    before = sample_db.read_bytes()
    app = open_app(sample_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("A")
        await settle(pilot)
        app.screen.query_one("#name", Input).value = "   "
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ActorEditScreen)
        assert "name: must not be empty" in str(app.screen.query_one(ProblemLine).render())
        await pilot.press("escape")
    assert sample_db.read_bytes() == before


async def test_U_in_the_history_undoes_the_selected_change_when_safe(sample_db):
    app = open_app(sample_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("x", "y")  # delete the first quote
        await settle(pilot)
        await pilot.press("e")  # edit the (new) first quote's issues
        await settle(pilot)
        app.screen.query_one("#issues", Input).value = "ce"
        await pilot.press("f2")
        await settle(pilot)
        await pilot.press("h", "down")  # the older change: the deletion
        await settle(pilot)
        await pilot.press("U")
        await settle(pilot)
        assert "Undid: Deleted the quote" in app.screen.records[0].summary
        assert app.query_one(QuoteList).row_count == 21
        await pilot.press("down", "down", "U")  # the deletion again: undone already
        await settle(pilot)
        assert len(app.screen.records) == 3
    store = Store.open(sample_db)
    assert [r.action for r in store.history()] == ["delete quote", "edit quote", "undo"]
    assert store.get(Statement, FIRST).text == "neo-Nazi"
    edited = [s for s in store.list(Statement) if s.issues == ["Ce"]
              and s.actor_id == "sergei-lavrov"]
    assert len(edited) == 1  # the later edit, to another quote, was kept


async def test_a_corrupt_history_is_reported_not_a_crash(sample_db):
    import json

    data = json.loads(sample_db.read_text())
    data["history"] = {"00000001": {"at": "yesterday"}}
    sample_db.write_text(json.dumps(data))
    app = open_app(sample_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("h")
        await settle(pilot)
        assert isinstance(app.screen, HistoryScreen) and app.screen.records == []
        await pilot.press("escape", "u")
        await settle(pilot)
        assert app.is_running and app.query_one(QuoteList).row_count == 21
