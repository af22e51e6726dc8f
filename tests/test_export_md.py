"""`peace-tui export --format md`: a brief with proposals, quotes and numbered citations."""

from __future__ import annotations

import datetime as dt

from store import Bundle
from store.exchange import brief_markdown
from store.models import Actor, Proposal, Source, Term


def test_brief_cites_every_term_and_quote(sample):
    md = brief_markdown(sample)
    assert md.index("## Proposals") < md.index("## Quotes") < md.index("## Sources")
    # Each proposal with proposer, date, status and its sources.
    assert "*United States, 2025-04, rejected* — sources [1] [2]" in md
    assert "- **X-Alliance** (" in md
    assert "— Sergei Lavrov, Daily Mail, 2025-04-28 [1]" in md
    assert "1. *Kremlin rejects US peace plan" in md and ", Daily Mail, 2025-04-29" in md
    assert "2. *Framework for a Russia-Ukraine Agreement" in md


def test_brief_escapes_markdown_and_links_only_plain_addresses():
    src = Source(id="s", title="*Bold* [link](x)", outlet="O_", url="https://e.org/a",
                 published=dt.date(2025, 1, 2))
    bad = Source(id="t", title="T", url="javascript:<x>")
    actor = Actor(id="a", name="A <b>")
    proposal = Proposal(id="p", title="# Plan", proposer="a", source_ids=["s", "t"],
                        date=dt.date(2025, 11, 1), date_precision="month",
                        terms=[Term(issue="Ce", text="`x` | y", source_id="s")])
    md = brief_markdown(Bundle(actors=[actor], sources=[src, bad], proposals=[proposal]))
    assert "### \\# Plan" in md and "*A \\<b\\>, 2025-11, proposed*" in md
    assert "- **Ce** (Ceasefire): \\`x\\` \\| y [1]" in md
    assert "1. *\\*Bold\\* \\[link\\](x)*, O\\_, 2025-01-02. <https://e.org/a>" in md
    assert "2. *T*. javascript:\\<x\\>" in md
