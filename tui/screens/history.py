"""`h`: every change made by hand, newest first: when, who, what — and what it changed.

The history is what makes hand edits safe to make: each record keeps the
documents before and after, so it can be read here field by field and
undone (`u`, the newest not yet undone). An undo is a change of its own
and is listed too.

| Key | Action |
| :- | :- |
| up / down | Move |
| u | Undo the last change |
| U | Undo the selected change (refused when what it changed was changed since) |
| escape, h | Back |
"""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from store import StoreError
from store.history import ChangeRecord, DocChange

from .. import curation
from ..safe import one_line

__all__ = ["HistoryScreen", "change_lines"]


def _short(value: object, width: int = 60) -> str:
    text = one_line(str(value))
    return text if len(text) <= width else text[: width - 1] + "…"


def change_lines(change: DocChange) -> list[str]:
    """'quote st-1: actor_id sergei-lavrov → vladimir-putin', one line per field changed."""
    if change.before is None:
        return [f"+ {change.what} created"]
    if change.after is None:
        return [f"- {change.what} deleted"]
    lines = []
    for key in sorted(set(change.before) | set(change.after)):
        old, new = change.before.get(key), change.after.get(key)
        if old != new:
            lines.append(f"~ {change.what}: {key} {_short(old, 30)} → {_short(new, 30)}")
    return lines or [f"~ {change.what}"]


class HistoryScreen(Screen[None]):
    """The change records, with the selected one's changes below."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,h", "app.pop_screen", "Back", id="history.back",
                tooltip="Back to the quotes"),
        Binding("u", "undo", "Undo", id="history.undo", tooltip="Undo the last change"),
        Binding("U", "undo_selected", "Undo this", id="history.undo-selected",
                tooltip="Undo the selected change (refused if its objects changed since)"),
    ]

    HELP_TITLE = "History"

    DEFAULT_CSS = """
    HistoryScreen {
        & #records { height: 1fr; border: round $border; }
        & #changes { height: 8; border: round $primary 40%; padding: 0 1; }
    }
    """

    def compose(self) -> ComposeResult:
        yield OptionList(id="records", markup=False)
        with VerticalScroll(id="changes"):
            yield Static("", markup=False, id="change-lines")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#changes").border_title = "What changed"
        self.show_records()
        self.query_one("#records").focus()

    def show_records(self) -> None:
        try:
            self.records: list[ChangeRecord] = list(reversed(self.app.store.history()))  # type: ignore
        except StoreError as e:
            self.records = []
            self.notify(one_line(str(e)), severity="error", markup=False, timeout=8)
        records = self.query_one("#records", OptionList)
        records.set_options([Option(Content(self._label(r))) for r in self.records])
        records.border_title = f"History {len(self.records)}"
        undone = {r.undoes for r in self.records if r.undoes}
        records.border_subtitle = "u undo the last change · U undo the selected one"
        if self.records:
            records.highlighted = 0
        else:
            self.query_one("#change-lines", Static).update(
                Content("No changes yet: e edits a quote, p enters a proposal."))
        self._undone = undone

    @staticmethod
    def _label(r: ChangeRecord) -> str:
        when = r.at.astimezone().strftime("%Y-%m-%d %H:%M")
        return f"{when}  {one_line(r.user)[:12]:<12} {one_line(r.summary)}"

    @on(OptionList.OptionHighlighted, "#records")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        record = self.records[event.option_index]
        lines = [line for c in record.changes for line in change_lines(c)]
        if record.id in self._undone:
            lines.insert(0, "(undone since)")
        self.query_one("#change-lines", Static).update(Content("\n".join(lines)))

    def action_undo(self) -> None:
        curation.undo(self.app, then=lambda _: self.show_records())

    def action_undo_selected(self) -> None:
        at = self.query_one("#records", OptionList).highlighted
        if at is not None:
            curation.undo(self.app, self.records[at].id, then=lambda _: self.show_records())
