"""Plain-terminal output of the CLI: rich tables, never markup from data.

Every cell holding store text is a `rich.text.Text` built from `safe()`
text, so '[bold]' or '[@click=...]' in a quote is printed literally.
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.console import Console
from rich.table import Table
from rich.text import Text

from store.diff import DiffRow, RowStatus
from store.models import Actor, Proposal
from store.views import QuoteView

from .safe import flat, one_line, safe

__all__ = ["actors_table", "diff_table", "ingest_entry", "ingest_summary", "one_line",
           "proposals_table", "quotes_table"]


def _console() -> Console:
    return Console(highlight=False, emoji=False, markup=False)


def _text(value: str | None, style: str = "") -> Text:
    return Text(one_line(value or ""), style=style)


def quotes_table(views: Iterable[QuoteView], spans: dict[str, tuple] | None = None) -> None:
    table = Table(show_lines=False, expand=True, pad_edge=False)
    table.add_column("Speaker", style="bold", max_width=18)
    table.add_column("Date", no_wrap=True, min_width=10)
    table.add_column("Quote", ratio=1, min_width=30)
    table.add_column("Issues", style="cyan", max_width=14)
    for v in views:
        quote = Text(safe(v.statement.text).replace("\n", " "))
        for start, end in (spans or {}).get(v.statement.id, ()):
            quote.stylize("reverse", start, end)
        table.add_row(_text(v.speaker), _text(v.date_label()), quote,
                      _text(" ".join(v.statement.issues)))
    _console().print(table)


def actors_table(actors: list[Actor], counts: dict[str, int]) -> None:
    table = Table(expand=True, pad_edge=False)
    table.add_column("Actor", style="bold")
    table.add_column("Kind")
    table.add_column("Role", ratio=1)
    table.add_column("Quotes", justify="right")
    for a in actors:
        role = ", ".join(x for x in (a.role, a.affiliation) if x)
        table.add_row(_text(a.name), _text(a.kind.value), _text(role), str(counts.get(a.id, 0)))
    _console().print(table)


def proposals_table(proposals: list[Proposal], names: dict[str, str]) -> None:
    console = _console()
    for p in proposals:
        head = Text.assemble((one_line(p.title), "bold"), "  ",
                             (f"[{p.id}]", "dim"), "  ",
                             one_line(names.get(p.proposer, p.proposer)), ", ",
                             str(p.date or "undated"), ", ", p.status.value)
        console.print(head)
        for t in p.terms:
            console.print(Text.assemble(("  " + t.issue.ljust(16), "cyan"), one_line(t.text)))
        console.print()


_STATUS_STYLE = {RowStatus.same: "dim", RowStatus.changed: "yellow",
                 RowStatus.left_only: "red", RowStatus.right_only: "green"}


def _segments(segments: tuple[tuple[str, bool], ...]) -> Text:
    out = Text()
    for text, changed in segments:
        out.append(flat(text), style="reverse" if changed else "")
    return out


def diff_table(left: Proposal, right: Proposal, rows: list[DiffRow]) -> None:
    table = Table(expand=True, pad_edge=False, show_lines=True)
    table.add_column("Issue", no_wrap=True)
    table.add_column(_text(left.title), ratio=1)
    table.add_column(_text(right.title), ratio=1)
    for row in rows:
        label = Text.assemble((row.issue, "bold"), "\n", (row.status.value,
                                                          _STATUS_STYLE[row.status]))
        table.add_row(label, _segments(row.left_segments), _segments(row.right_segments))
    _console().print(table)


def ingest_entry(name: str, ex, *, saved: bool, dry_run: bool) -> dict:
    """One article's ingest summary, as JSON-ready data."""
    speakers = ex.speakers()
    return {
        "file": name,
        "source_id": ex.source.id,
        "title": ex.source.title,
        "status": "dry-run" if dry_run else ("added" if saved else "already-present"),
        "quotes": [{"id": st.id, "speaker": speakers.get(st.actor_id, st.actor_id),
                    "actor_id": st.actor_id, "text": st.text,
                    "said_on": st.said_on.isoformat() if st.said_on else None,
                    "issues": list(st.issues)} for st in ex.statements],
        "actors": [a.model_dump(mode="json") for a in ex.actors],
        "scare_quotes_skipped": ex.scare_quotes,
        "unattributed": ex.unattributed,
    }


def ingest_summary(report: list[dict]) -> None:
    console = _console()
    for entry in report:
        verb = {"added": "added", "already-present": "already in the database",
                "dry-run": "would add (dry run)"}[entry["status"]]
        head = Text.assemble((verb, "bold"), ": ", one_line(entry["title"]), " ",
                             (f"[{entry['source_id']}]", "dim"))
        console.print(head)
        if entry["status"] == "already-present":
            continue
        names = sorted({q["speaker"] for q in entry["quotes"]})
        console.print(Text(f"  {len(entry['quotes'])} quotes from {len(names)} speakers: "
                           + one_line(", ".join(names))))
        for q in entry["quotes"]:
            console.print(Text.assemble("  ", (one_line(q["speaker"])[:24].ljust(24), "bold"),
                                        " ", one_line(q["text"])[:90]))
        skipped = entry["scare_quotes_skipped"]
        lost = len(entry["unattributed"])
        if skipped or lost:
            console.print(Text(f"  skipped: {skipped} scare quotes, {lost} quotes with no "
                               "speaker found", style="dim"))
