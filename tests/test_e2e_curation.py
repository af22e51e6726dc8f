"""End to end, in tmux at 80x24: type a three-term proposal, diff it, undo a deletion.

The installed `peace-tui`, keys sent with `send-keys`, the screen read with
`capture-pane` on a private tmux socket (see test_e2e_tmux.py). Like a
user, each step waits to see the screen it needs before typing on.
"""

from __future__ import annotations

import shlex
import time

from store import Proposal, Statement, Store

from .test_e2e_tmux import TMUX, Terminal, _peace_tui, pytestmark  # noqa: F401

TERMS = [("cease", "Ce Ceasefire", "Ceasefire first, then talks"),
         ("borders", "StBor Border delimitation", "Talks start from the line of contact"),
         ("guarantee", "SsrGua Security guarantees", "A European security guarantee")]


def test_enter_a_proposal_diff_it_and_undo_a_deletion(sample_db):
    program = f"{shlex.quote(_peace_tui())} --db {shlex.quote(str(sample_db))}"
    unset = " ".join(f"-u {name}" for name in ("NO_COLOR", "COLORTERM", "TEXTUAL",
                                               "TEXTUAL_COLOR_SYSTEM", "COLUMNS", "LINES"))
    term = Terminal(f"env {unset} TERM=screen-256color {program}", 80, 24)

    def typed(text: str) -> None:
        term.send(text, literal=True)
        term.wait_for(f"{text!r} to be typed", lambda s: text in s)

    try:
        term.wait_for("the quote list", lambda s: "Quotes 21" in s)
        term.send("p")
        term.wait_for("the proposals", lambda s: "Proposals 4" in s)
        term.send("n")
        term.wait_for("the proposal editor", lambda s: "Terms 0" in s)
        typed("European counter-proposal")
        term.send("Enter")  # to the proposer (focus does not show in capture-pane: a pause)
        time.sleep(0.5)
        term.send("Enter")
        term.wait_for("the proposer picker", lambda s: "─ Proposer ─" in s)
        typed("united")
        term.wait_for("United States offered", lambda s: "United States — state" in s)
        term.send("Enter")
        term.wait_for("the proposer", lambda s: "Proposer " in s and "United States" in s
                      and "─ Proposer ─" not in s)
        typed("2025-11-23")
        for _ in range(4):  # status, sources, Add, the terms
            term.send("Tab")
            time.sleep(0.2)
        for n, (typed_issue, shown, text) in enumerate(TERMS, 1):
            term.send("n")
            term.wait_for("the issue picker", lambda s: "─ Issue ─" in s)
            typed(typed_issue)
            term.wait_for(f"{shown} offered", lambda s, shown=shown: shown in s)
            term.send("Enter")
            term.wait_for("the term form", lambda s: "─ New term ─" in s and "─ Issue ─" not in s)
            typed(text)
            term.send("Enter")
            term.wait_for(f"term {n}", lambda s, n=n: f"Terms {n}" in s)
        term.send("F2")
        term.wait_for("the saved proposal", lambda s: "Proposals 5" in s)
        saved = Store.open(sample_db).get(Proposal, "european-counter-proposal")
        assert [t.issue for t in saved.terms] == ["Ce", "StBor", "SsrGua"]

        # Diff it (right) against the US plan (left: picked with '[').
        term.send("d")
        term.wait_for("the diff", lambda s: "⟷  European counter-proposal" in s)
        term.send("[")
        time.sleep(0.3)
        term.send("Enter")
        term.wait_for("the proposal menu", lambda s: "US seven-point peace plan —" in s)
        for _ in range(3):  # from Trump's call, past the two Russian ones
            term.send("Down")
            time.sleep(0.1)
        term.send("Enter")
        screen = term.wait_for("the diff against the US plan",
                               lambda s: "US seven-point peace plan  ⟷  European" in s)
        assert "≠ Ce Ceasefire" in screen and "changed" in screen
        assert "R Ceasefire first, then talks" in screen

        # Back to the quotes; delete the first one, then undo.
        term.send("Escape")
        term.wait_for("the proposals", lambda s: "Proposals 5" in s)
        term.send("Escape")
        term.wait_for("the quotes", lambda s: "Quotes 21" in s)
        term.send("x")
        term.wait_for("the question", lambda s: "Delete this quote?" in s)
        term.send("y")
        term.wait_for("the deletion", lambda s: "Quotes 20" in s)
        assert Store.open(sample_db).find(Statement, "st-b61baa660eed") is None
        term.send("u")
        term.wait_for("the undo", lambda s: "Quotes 21" in s and "Undid" in s)
        assert Store.open(sample_db).get(Statement, "st-b61baa660eed").text == "neo-Nazi"
        actions = [r.action for r in Store.open(sample_db).history()]
        assert actions == ["create proposal", "delete quote", "undo"]
        term.send("q")
        deadline = time.monotonic() + 10
        while term.alive() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not term.alive(), "q did not quit"
    finally:
        term.close()
