"""The ingest screen (`i`): an article from a path or pasted text, reviewed before saving.

Extraction runs in a thread worker (the same code as `peace-tui ingest`), the
quotes it found are listed with their speakers, and nothing is written until
Save. Saving goes through the store's atomic, locked write; a second ingest of
the same text adds nothing and says so. The screen's result is True when
something was saved, so the explorer reloads its data.

| Key | Action |
| :- | :- |
| tab / shift+tab | Next / previous field |
| enter (in a field) | Extract |
| f5 | Extract |
| f2 | Save what was extracted |
| escape | Back without saving |
"""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Footer, Input, Label, Static, TextArea

from store import Actor, StoreError
from store.ingest.pipeline import ArticleMeta, Extraction, extract_article
from store.ingest.reader import read_article

from ..safe import one_line
from ..widgets.plain_input import PlainInput

__all__ = ["IngestScreen"]


class IngestScreen(Screen[bool]):
    """Paste or point at an article, review what peace-tui extracts, then save it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="ingest.back", tooltip="Leave without saving"),
        Binding("f5", "extract", "Extract", id="ingest.extract",
                tooltip="Extract quotes and speakers from the path or the pasted text"),
        Binding("f2", "save", "Save", id="ingest.save", tooltip="Save what was extracted"),
    ]

    HELP_TITLE = "Ingest an article"

    DEFAULT_CSS = """
    IngestScreen #form { height: auto; padding: 0 1; }
    IngestScreen .row { height: 1; margin-bottom: 1; }
    IngestScreen .row Label { width: 8; color: $text-muted; }
    IngestScreen .row Input { width: 1fr; }
    IngestScreen #meta Input { width: 1fr; margin-right: 1; }
    IngestScreen #paste { height: 6; border: round $primary; }
    IngestScreen #paste:focus { border: heavy $accent; }
    IngestScreen #buttons { height: 1; margin: 1 0 0 0; }
    IngestScreen #buttons Button { margin-right: 2; }
    IngestScreen #review { height: 1fr; border: round $secondary; padding: 0 1; }
    IngestScreen #review:focus { border: heavy $accent; }
    """

    def __init__(self, known_actors: list[Actor]) -> None:
        super().__init__()
        self.known = known_actors
        self.extraction: Extraction | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="form"):
            with Horizontal(classes="row"):
                yield Label("File")
                yield PlainInput(
                    placeholder="path to a .txt, .md or .html article (Enter extracts)",
                    id="path", compact=True)
            with Horizontal(classes="row", id="meta"):
                yield Label("About")
                yield PlainInput(placeholder="title", id="title", compact=True)
                yield PlainInput(placeholder="outlet", id="outlet", compact=True)
                yield PlainInput(placeholder="date YYYY-MM-DD", id="date", compact=True,
                                 max_length=10)
            yield TextArea(id="paste", placeholder="…or paste the article's text here",
                           soft_wrap=True)
            with Horizontal(id="buttons"):
                yield Button("Extract F5", id="extract", compact=True)
                yield Button("Save F2", id="save", compact=True, disabled=True)
                yield Button("Back Esc", id="back", compact=True)
        with VerticalScroll(id="review", can_focus=True):
            yield Static(Text("Nothing extracted yet."), id="summary")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#paste", TextArea).border_title = "Text"
        self.query_one("#review").border_title = "Review"
        self.query_one("#path", Input).focus()

    # -- extracting ----------------------------------------------------------
    def _meta(self) -> ArticleMeta | str:
        """The metadata typed in, or a one-line problem."""
        date_text = self.query_one("#date", Input).value.strip()
        published = None
        if date_text:
            try:
                published = dt.date.fromisoformat(date_text)
            except ValueError:
                return f"The date must be YYYY-MM-DD, not {date_text!r}."
        title = self.query_one("#title", Input).value.strip() or None
        outlet = self.query_one("#outlet", Input).value.strip() or None
        return ArticleMeta(title=title, outlet=outlet, published=published)

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_extract()

    @on(Button.Pressed, "#extract")
    def action_extract(self) -> None:
        meta = self._meta()
        if isinstance(meta, str):
            self._show_problem(meta)
            return
        path = self.query_one("#path", Input).value.strip()
        pasted = self.query_one("#paste", TextArea).text
        if not path and not pasted.strip():
            self._show_problem("Type a path, or paste an article's text, then press F5.")
            return
        self._set_summary(Text("Extracting…"))
        self.query_one("#save", Button).disabled = True
        self._extract(path, pasted, meta)

    @work(exclusive=True, thread=True, group="extract")
    def _extract(self, path: str, pasted: str, meta: ArticleMeta) -> None:
        try:
            if path:
                text, found = read_article(path)
                meta = ArticleMeta(title=meta.title or found.title,
                                   outlet=meta.outlet or found.outlet,
                                   published=meta.published or found.published,
                                   url=found.url)
                name = path
            else:
                text, name = pasted, "pasted text"
            extraction = extract_article(text, meta, self.known, name=name)
        except StoreError as e:
            self.app.call_from_thread(self._show_problem, one_line(str(e)))
            return
        self.app.call_from_thread(self._show_extraction, extraction)

    def _show_extraction(self, ex: Extraction) -> None:
        self.extraction = ex
        speakers = ex.speakers()
        out = Text()
        out.append(one_line(ex.source.title), style="bold")
        details = [one_line(x) for x in (ex.source.outlet or "", str(ex.source.published or ""))
                   if x]
        if details:
            out.append("  " + " · ".join(details), style="dim")
        out.append(f"\n{len(ex.statements)} quotes from {len(set(speakers.values()))} speakers")
        if ex.scare_quotes or ex.unattributed:
            out.append(f" · skipped {ex.scare_quotes} scare quotes, "
                       f"{len(ex.unattributed)} with no speaker found", style="dim")
        out.append("\n")
        known = {a.id for a in self.known}
        for st in ex.statements:
            name = speakers.get(st.actor_id, st.actor_id)
            out.append("\n")
            out.append(one_line(name), style="bold")
            if st.actor_id not in known:
                out.append(" (new)", style="italic")
            if st.said_on:
                out.append(f"  {st.said_on}", style="dim")
            if st.issues:
                out.append("  " + " ".join(st.issues), style="dim")
            out.append("\n  " + one_line(st.text) + "\n")
        for quote in ex.unattributed:
            out.append("\n? ", style="bold")
            out.append(one_line(quote) + "\n", style="dim")
        self._set_summary(out)
        self.query_one("#save", Button).disabled = not ex.statements
        if ex.statements:
            self.notify("Review the quotes, then F2 to save them.", timeout=4)

    def _show_problem(self, problem: str) -> None:
        self.extraction = None
        self.query_one("#save", Button).disabled = True
        self._set_summary(Text(problem, style="bold"))

    def _set_summary(self, content: Text) -> None:
        self.query_one("#summary", Static).update(content)

    # -- saving ----------------------------------------------------------------
    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        ex = self.extraction
        if ex is None or not ex.statements:
            self.notify("Nothing to save: extract an article first (F5).", timeout=3)
            return
        store = self.app.store  # type: ignore[attr-defined]
        try:
            added = store.add_article(ex.bundle())
        except StoreError as e:
            self.notify(one_line(str(e)), severity="error", markup=False, timeout=6)
            return
        if added is None:
            self.notify("This article is in the database already: nothing was added.",
                        timeout=4)
            return
        self.notify(f"Saved {len(added.statements)} quotes from "
                    f"{one_line(ex.source.title)[:50]}.", markup=False, timeout=4)
        self.dismiss(True)

    @on(Button.Pressed, "#back")
    def action_back(self) -> None:
        self.dismiss(False)
