"""Hostile text, and checks that the screen shows it as text and nothing more.

PAYLOADS are what an attacker could put in an article, a name, a title or
a search: Textual/Rich markup that would run an action, open a link or
swallow text, and terminal escape sequences (OSC 52 writes the clipboard,
OSC 0 the window title, CSI clears the screen, C1 is a one-byte CSI).

`hostile_bundle()` builds objects with `model_construct`, skipping the
cleaning the models do on input, so the tests prove the *screen* is safe on
its own, whatever the store lets through.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import orjson
from textual.app import App

from store import Bundle, Proposal, ProposalStatus, Term
from store.models import (
    Actor,
    ActorKind,
    DatePrecision,
    Source,
    Statement,
    StatementKind,
    clean_text,
    content_hash,
)
from tui.safe import one_line

OSC52 = "\x1b]52;c;cm0gLXJmIH4K\x07"  # would put `rm -rf ~` on the clipboard
TITLE = "\x1b]0;PWNED-TITLE\x07"
PAYLOADS = [
    "[@click=app.quit]x[/]",
    "[ @click=app.quit]y[/]",
    "[/]",
    "[link=file:///etc/passwd]z[/link]",
    "[Reuters]",
    "[b]bold[/b] [red on white]red",
    OSC52 + "clip",
    TITLE + "title",
    "\x1b[2Jclear\x1b[H",
    "\x9b31mc1\x9dosc",
    "\u202eevil\u202c \x00nul\x7f",
]
#: Distinctive parts of escape sequences that must never reach a terminal.
SECRETS = ["cm0gLXJmIH4K", "PWNED-TITLE", "52;c;", "]0;", "[2J"]
ISSUES = ["Ce", "SsrGua", "StBor", "TjSan", "ImE", "X-Alliance", "X-Recognition",
          "X-EconSanctions", "X-FrozenAssets", "X-Leadership", "Ce"]
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def shown(text: str) -> str:
    """What the screen should show for a stored text: the same, less control characters."""
    return one_line(text)


def hostile_bundle(payloads: list[str] = PAYLOADS) -> Bundle:
    when = dt.date(2025, 5, 1)
    actors, sources, statements = [], [], []
    for i, p in enumerate(payloads):
        actors.append(Actor.model_construct(id=f"a{i}", name=f"{p} N{i}", role=f"{p} role",
                                            affiliation=None, aliases=[], kind=ActorKind.person))
        context = f"Before {p} quote {i} after."
        sources.append(Source.model_construct(
            id=f"s{i}", title=f"{p} title{i}", outlet=f"{p} outlet{i}", url=f"{p}url{i}",
            published=when, text=context,
            content_hash=content_hash(clean_text(context))))  # what the model checks on load
        statements.append(Statement.model_construct(
            id=f"st-{i}", actor_id=f"a{i}", text=f"{p} quote {i}", source_id=f"s{i}",
            span=(7, 7 + len(f"{p} quote {i}")), said_on=when,
            said_on_precision=DatePrecision.day, context=context, issues=[ISSUES[i % 10]],
            kind=StatementKind.quote))
    n = len(payloads)
    proposals = [
        Proposal.model_construct(
            id=f"p{side}", title=f"{payloads[side % n]} plan{side}", proposer=f"a{side % n}",
            date=dt.date(2025, 4, 1 + side), date_precision=DatePrecision.day,
            status=ProposalStatus.proposed, source_ids=[],
            terms=[Term.model_construct(issue=ISSUES[i], text=f"{p} term{side}",
                                        source_id=None, span=None)
                   for i, p in enumerate(payloads[:10])])
        for side in (0, 1)]
    return Bundle.model_construct(actors=actors, sources=sources, statements=statements,
                                  proposals=proposals)


def write_raw_db(path: Path, bundle: Bundle) -> None:
    """A database file holding the bundle's text exactly, escapes and all (no cleaning)."""
    tables: dict = {"meta": {"schema": {"schema_version": 1}}}
    for name in ("actors", "sources", "statements", "proposals"):
        tables[name] = {}
        for obj in getattr(bundle, name):
            doc = obj.model_dump(mode="json", warnings=False)
            tables[name][doc.pop("id")] = doc
    path.write_bytes(orjson.dumps(tables))


def screen_text(app: App) -> str:
    """Everything on the screen (the top screen, toasts included), after checking it is inert.

    Fails if any cell holds a control character, or carries a link or a
    click action: store text must never turn into either.
    """
    lines = []
    for strip in app.screen._compositor.render_strips():
        for seg in strip:
            assert not _CONTROL.search(seg.text), repr(seg.text)
            style = seg.style
            if style is not None:
                assert not style.link, (style.link, seg.text)
                assert "@click" not in (style.meta or {}), (style.meta, seg.text)
        lines.append(strip.text)
    return "\n".join(lines)
