"""The proposal editor (Pilot): enter a plan term by term, reorder, save, diff, delete, undo."""

from __future__ import annotations

import pytest
from textual.widgets import Button, Input

from store import Proposal, Store
from tests.explorer_support import open_app, paste_text, settle, terminal_env
from tui.screens.diff import DiffScreen
from tui.screens.form import ConfirmScreen, ProblemLine
from tui.screens.picker import PickerScreen
from tui.screens.proposal_edit import ProposalEditScreen, TermsList
from tui.screens.proposals import ProposalsScreen
from tui.screens.term_edit import TermEditScreen, parse_span

pytestmark = pytest.mark.usefixtures(terminal_env.__name__)

TERMS = [("ceasefire", "Ceasefire along the current line of contact"),
         ("alliance", "Ukraine renounces NATO membership"),
         ("security guar", "Security guarantees from the US and Europe")]


async def _add_term(pilot, issue: str, text: str) -> None:
    await pilot.press("n")
    await settle(pilot)
    assert isinstance(pilot.app.screen, PickerScreen)  # the issue picker comes up at once
    await paste_text(pilot, issue)
    await pilot.press("enter")
    await settle(pilot)
    assert isinstance(pilot.app.screen, TermEditScreen)
    await paste_text(pilot, text)
    await pilot.press("enter")
    await settle(pilot)
    assert isinstance(pilot.app.screen, ProposalEditScreen)


async def test_enter_a_three_term_proposal_from_the_keyboard_and_diff_it(sample_db):
    app = open_app(sample_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("p")
        await settle(pilot)
        assert isinstance(app.screen, ProposalsScreen)
        await pilot.press("n")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ProposalEditScreen)
        await paste_text(pilot, "28-point plan")
        await pilot.press("enter")  # next field: the proposer
        await pilot.press("enter")
        await settle(pilot)
        await paste_text(pilot, "united")
        await pilot.press("enter")
        await settle(pilot)
        assert str(screen.query_one("#proposer", Button).label) == "United States"
        await paste_text(pilot, "2025-11-20")
        for _ in range(4):  # status, sources, Add, the terms
            await pilot.press("tab")
        assert isinstance(app.focused, TermsList)
        for issue, text in TERMS:
            await _add_term(pilot, issue, text)
        assert [t.issue for t in screen.terms] == ["Ce", "X-Alliance", "SsrGua"]
        await pilot.press("K")  # move the last term up
        assert [t.issue for t in screen.terms] == ["Ce", "SsrGua", "X-Alliance"]
        await pilot.press("J")
        assert [t.issue for t in screen.terms] == ["Ce", "X-Alliance", "SsrGua"]
        await pilot.press("f2")
        await settle(pilot)
        assert isinstance(app.screen, ProposalsScreen)
        saved = Store.open(sample_db).get(Proposal, "28-point-plan")
        assert saved.proposer == "united-states" and str(saved.date) == "2025-11-20"
        assert [t.text for t in saved.terms] == [t for _, t in TERMS]
        # In the diff at once: this proposal on the right, then the US plan on the left.
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(app.screen, DiffScreen)
        assert app.screen.right.id == "28-point-plan"
        app.screen.query_one("#left").value = "us-seven-point-plan"
        await settle(pilot)
        rows = {r.issue: r.status.value for r in app.screen.query_one("#diff").rows}
        assert rows["Ce"] == "changed" and rows["SsrGua"] == "changed"
        assert rows["StBor"] == "only-left"
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ProposalsScreen)
        # A new proposal is the newest: in the main screen's diff too.
        await pilot.press("escape", "d")
        await settle(pilot)
        assert app.screen.right.id == "28-point-plan"


async def test_edit_a_term_remove_one_and_an_invalid_save_keeps_the_file(sample_db):
    before = sample_db.read_bytes()
    app = open_app(sample_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("p", "enter")  # the newest: Trump's call for a permanent ceasefire
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ProposalEditScreen)
        screen.query_one(TermsList).focus()
        await pilot.press("enter")  # edit the term
        await settle(pilot)
        assert isinstance(app.screen, TermEditScreen)
        app.screen.query_one("#span", Input).value = "9-3"
        await pilot.press("f2")
        await settle(pilot)
        assert "is not within the source" in str(app.screen.query_one(ProblemLine).render())
        app.screen.query_one("#span", Input).value = ""
        app.screen.query_one("#text", Input).value = "A permanent ceasefire"
        await pilot.press("f2")
        await settle(pilot)
        assert screen.terms[0].text == "A permanent ceasefire"
        screen.query_one("#title", Input).value = ""
        await pilot.press("f2")
        await settle(pilot)
        assert "title: must not be empty" in str(screen.query_one(ProblemLine).render())
        assert sample_db.read_bytes() == before
        await pilot.press("escape")  # unsaved changes: asks first
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, ProposalsScreen)
    assert sample_db.read_bytes() == before


async def test_delete_a_proposal_and_undo(sample_db):
    app = open_app(sample_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("p", "x")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert len(app.corpus.proposals) == 3
        await pilot.press("u")
        await settle(pilot)
        assert len(app.corpus.proposals) == 4
        assert Store.open(sample_db).find(Proposal, "trump-permanent-ceasefire") is not None


async def test_terms_can_be_removed_and_an_unchanged_save_records_nothing(sample_db):
    app = open_app(sample_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("p", "e")
        await settle(pilot)
        await pilot.press("f2")  # nothing changed: back, nothing recorded
        await settle(pilot)
        assert isinstance(app.screen, ProposalsScreen)
        assert Store.open(sample_db).history() == []
        await pilot.press("e")
        await settle(pilot)
        app.screen.query_one(TermsList).focus()
        await pilot.press("x", "f2")
        await settle(pilot)
    assert Store.open(sample_db).get(Proposal, "trump-permanent-ceasefire").terms == []


def test_parse_span():
    assert parse_span(" 3-9 ") == (3, 9) and parse_span("") is None
    with pytest.raises(ValueError):
        parse_span("3..9")


async def test_a_new_proposer_is_created_with_the_proposal(sample_db):
    app = open_app(sample_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("p", "n")
        await settle(pilot)
        await paste_text(pilot, "European counter-proposal")
        await pilot.press("tab", "enter")
        await settle(pilot)
        await paste_text(pilot, "European Union")
        await pilot.press("enter")  # "+ New actor: European Union"
        await settle(pilot)
        assert "European Union (new)" in str(app.screen.query_one("#proposer", Button).label)
        await pilot.press("f2")
        await settle(pilot)
        assert isinstance(app.screen, ProposalsScreen)
    store = Store.open(sample_db)
    proposal = store.get(Proposal, "european-counter-proposal")
    assert proposal.proposer == "european-union" and proposal.terms == []
    [record] = store.history()
    assert [c.table for c in record.changes] == ["actors", "proposals"]


async def test_sources_and_a_term_span_are_picked_from_the_keyboard(sample_db):
    app = open_app(sample_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("p", "e")  # Trump's call: one source (the Daily Mail)
        await settle(pilot)
        screen = app.screen
        await pilot.press("f4")
        await settle(pilot)
        await paste_text(pilot, "reuters")
        await pilot.press("enter")
        await settle(pilot)
        sources = screen.query_one("#sources", Input).value.split()
        assert sources == ["dailymail-2025-04-29-kremlin-rejects-us-plan",
                           "reuters-2025-04-25-us-framework"]
        screen.query_one(TermsList).focus()
        await pilot.press("n")
        await settle(pilot)
        await paste_text(pilot, "prisoners")
        await pilot.press("enter")
        await settle(pilot)
        await paste_text(pilot, "All prisoners exchanged")
        await pilot.press("tab", "enter")  # the Source button: its picker
        await settle(pilot)
        await paste_text(pilot, "framework")
        await pilot.press("enter")
        await settle(pilot)
        assert app.focused.id == "span"
        await paste_text(pilot, "0-10")
        await pilot.press("enter")
        await settle(pilot)
        assert "no text to point into" in str(app.screen.query_one(ProblemLine).render())
        await pilot.press("shift+tab", "enter")  # the source again: the Daily Mail
        await settle(pilot)
        await paste_text(pilot, "kremlin rejects")
        await pilot.press("enter")
        await settle(pilot)
        app.focused.value = "3268-3317"  # the span: 'Trump is seeking a permanent ceasefire ...'
        await pilot.press("enter")
        await settle(pilot)
        assert "the text must be those words" in str(app.screen.query_one(ProblemLine).render())
        app.screen.query_one("#text", Input).value = ""  # empty: taken from the source
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("f2")
        await settle(pilot)
    saved = Store.open(sample_db).get(Proposal, "trump-permanent-ceasefire")
    assert saved.source_ids[-1] == "reuters-2025-04-25-us-framework"
    term = saved.terms[-1]
    assert (term.issue, term.source_id, term.span) == (
        "TjPrire", "dailymail-2025-04-29-kremlin-rejects-us-plan", (3268, 3317))
    assert term.text == "Trump is seeking a permanent ceasefire in Ukraine"
