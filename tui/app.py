"""The explorer: actors on the left, their quotes, and the selected quote in full.

Data comes from `store` as domain objects; every piece of store text is
shown as `Content`/`Text` built from `safe()` text, never as markup.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from store import Store
from store.views import QuoteView, quote_views, statement_counts

from .safe import one_line, safe

__all__ = ["ExplorerApp", "run_app"]


class ExplorerApp(App[None]):
    """peace-tui's main window."""

    TITLE = "peace-tui"
    CSS_PATH = "app.tcss"
    BINDINGS = [
        Binding("q", "quit", "Quit", id="quit"),
        Binding("a", "focus_actors", "Actors", id="actors"),
        Binding("escape", "clear_actor", "All quotes", show=False, id="clear"),
    ]

    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store
        bundle = store.bundle()
        self.views: list[QuoteView] = quote_views(bundle)
        self.counts = statement_counts(bundle.statements)
        self.actors = sorted(bundle.actors, key=lambda a: (-self.counts.get(a.id, 0), a.name))
        self.actor_filter: str | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal():
            yield OptionList(id="actors")
            with Vertical(id="main"):
                yield DataTable(id="quotes", cursor_type="row", zebra_stripes=True)
                yield Static(id="detail", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        actors = self.query_one("#actors", OptionList)
        actors.border_title = "Actors"
        actors.add_options(
            Option(Text(f"{one_line(a.name)} ({self.counts.get(a.id, 0)})"), id=a.id)
            for a in self.actors
        )
        actors.highlighted = 0
        table = self.query_one("#quotes", DataTable)
        table.border_title = "Quotes"
        table.add_columns("Speaker", "Date", "Quote", "Issues")
        self._fill()
        table.focus()

    def _fill(self) -> None:
        table = self.query_one("#quotes", DataTable)
        table.clear()
        for i, v in enumerate(self.views):
            if self.actor_filter and v.statement.actor_id != self.actor_filter:
                continue
            table.add_row(Text(one_line(v.speaker)), Text(v.date_label()),
                          Text(one_line(v.statement.text)[:120]),
                          Text(" ".join(v.statement.issues)), key=str(i))
        self._show(table.cursor_row)

    def _show(self, row: int) -> None:
        detail = self.query_one("#detail", Static)
        table = self.query_one("#quotes", DataTable)
        if not table.row_count:
            detail.update(Text("No quotes."))
            return
        key = table.coordinate_to_cell_key((row, 0)).row_key.value
        v = self.views[int(key or 0)]
        src = v.source
        body = Text()
        body.append(safe(v.statement.text) + "\n", style="bold")
        body.append(f"— {one_line(v.citation())}\n", style="italic")
        if v.actor and (v.actor.role or v.actor.affiliation):
            role = ", ".join(x for x in (v.actor.role, v.actor.affiliation) if x)
            body.append(one_line(role) + "\n", style="dim")
        if src:
            body.append(f"{one_line(src.title)}" + (f" · {one_line(src.url)}" if src.url else ""),
                        style="dim")
        detail.update(body)

    @on(DataTable.RowHighlighted, "#quotes")
    def _row(self, event: DataTable.RowHighlighted) -> None:
        self._show(event.cursor_row)

    @on(OptionList.OptionSelected, "#actors")
    def _actor(self, event: OptionList.OptionSelected) -> None:
        chosen = event.option.id
        self.actor_filter = None if chosen == self.actor_filter else chosen
        self._fill()

    def action_focus_actors(self) -> None:
        self.query_one("#actors").focus()

    def action_clear_actor(self) -> None:
        if self.actor_filter:
            self.actor_filter = None
            self._fill()


def run_app(store: Store) -> int:
    ExplorerApp(store).run()
    return 0
