"""A virtual list of one-line rows drawn with the Line API.

Only the rows on screen are ever rendered: `render_line(y)` asks the
subclass for row `scroll_y + y`, so a list of 100,000 rows costs no more to
fill or to scroll than a list of 20. Subclasses say how many rows there are
(`row_count`) and draw one (`render_row`); this class owns the cursor, the
keys, the mouse and scrolling.

| Key | Action |
| :- | :- |
| up, k | Move up a row |
| down, j | Move down a row |
| pageup / pagedown | Move a page |
| home, g / end, G | First / last row |
| enter | Select the row |
"""

from __future__ import annotations

from typing import ClassVar

from rich.segment import Segment
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.style import Style

from .typeahead import hand_on, run_binding_now

__all__ = ["RowList"]


class RowList(ScrollView, can_focus=True):
    """Base of the quote and actor lists: a cursor over `row_count` rows."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up,k", "cursor_up", "Up", show=False, id="row.up", tooltip="Up a row"),
        Binding("down,j", "cursor_down", "Down", show=False, id="row.down",
                tooltip="Down a row"),
        Binding("pageup", "page_up", "Page up", show=False, id="row.page-up"),
        Binding("pagedown", "page_down", "Page down", show=False, id="row.page-down"),
        Binding("home,g", "first", "First row", show=False, id="row.first"),
        Binding("end,G", "last", "Last row", show=False, id="row.last"),
        Binding("enter", "select", "Open", show=False, id="row.select",
                tooltip="Open the row"),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "row-list--header",
        "row-list--cursor",
        "row-list--cursor-blurred",
        "row-list--empty",
    }

    DEFAULT_CSS = """
    RowList {
        overflow-x: hidden;
        overflow-y: auto;
        scrollbar-size-vertical: 1;
        & > .row-list--header { text-style: bold; color: $text-muted; }
        & > .row-list--cursor-blurred {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
        & > .row-list--cursor {
            background: $block-cursor-background;
            color: $block-cursor-foreground;
            text-style: $block-cursor-text-style;
        }
        & > .row-list--empty { color: $text-muted; text-style: italic; }
    }
    """

    async def _on_key(self, event: events.Key) -> None:
        """Keys typed ahead (`typeahead`): one that came after the focus left this list
        goes where the focus is; a bound one runs now, before the next key is read."""
        if not hand_on(self, event):
            await run_binding_now(self, event)

    #: Lines at the top that do not scroll (a column header).
    HEADER_LINES: ClassVar[int] = 0

    cursor: reactive[int] = reactive(0, always_update=True, init=False)
    """Index of the row under the cursor (0 when the list is empty)."""

    def __init__(self, *, name: str | None = None, id: str | None = None,
                 classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._row_count = 0
        self.empty_message = "Nothing to show."

    # -- what subclasses provide ---------------------------------------------
    @property
    def row_count(self) -> int:
        return self._row_count

    def render_row(self, index: int, width: int, base: Style, is_cursor: bool) -> Strip:
        raise NotImplementedError

    def render_header(self, width: int, base: Style) -> Strip:
        return Strip.blank(width, base.rich_style)

    def cursor_moved(self, index: int) -> None:
        """Called when the row under the cursor changes (post a message here)."""

    def row_selected(self, index: int) -> None:
        """Called on Enter or a double click on a row."""

    # -- rows ------------------------------------------------------------------
    def set_row_count(self, count: int, cursor: int = 0) -> None:
        """Show `count` rows (the subclass has swapped its data) with the cursor on one."""
        self._row_count = count
        self.virtual_size = Size(self.scrollable_content_region.width,
                                 count + self.HEADER_LINES)
        self.scroll_to(y=0, animate=False, immediate=True)
        self.cursor = max(0, min(cursor, count - 1))
        self.refresh()

    @property
    def page_rows(self) -> int:
        return max(1, self.scrollable_content_region.height - self.HEADER_LINES)

    def validate_cursor(self, value: int) -> int:
        return max(0, min(value, self._row_count - 1)) if self._row_count else 0

    def watch_cursor(self, old: int, new: int) -> None:
        self._scroll_to_cursor()
        self.refresh()
        if self._row_count:
            self.cursor_moved(new)

    def _scroll_to_cursor(self) -> None:
        top = round(self.scroll_y)
        rows = self.page_rows
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False, immediate=True)
        elif self.cursor >= top + rows:
            self.scroll_to(y=self.cursor - rows + 1, animate=False, immediate=True)

    def on_resize(self, event: events.Resize) -> None:
        self.virtual_size = Size(self.scrollable_content_region.width,
                                 self._row_count + self.HEADER_LINES)
        self.call_after_refresh(self._scroll_to_cursor)

    # -- drawing -----------------------------------------------------------
    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self.get_visual_style()
        if y < self.HEADER_LINES:
            return self.render_header(width, self.get_visual_style("row-list--header"))
        if not self._row_count:
            if y == self.HEADER_LINES:
                style = self.get_visual_style("row-list--empty")
                text = f" {self.empty_message}"[:width].ljust(width)
                return Strip([Segment(text, style.rich_style)], width)
            return Strip.blank(width, base.rich_style)
        index = round(self.scroll_y) + y - self.HEADER_LINES
        if index >= self._row_count:
            return Strip.blank(width, base.rich_style)
        is_cursor = index == self.cursor
        if is_cursor:
            name = "row-list--cursor" if self.has_focus else "row-list--cursor-blurred"
            base = self.get_visual_style(name)
            if self.app.no_color:  # colour is gone: reverse video shows the cursor
                base += Style(reverse=self.has_focus, underline=not self.has_focus, bold=True)
        strip = self.render_row(index, width, base, is_cursor)
        return strip.crop_extend(0, width, base.rich_style).apply_meta({"row": index})

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    # -- keys and mouse ------------------------------------------------------
    def action_cursor_up(self) -> None:
        self.cursor -= 1

    def action_cursor_down(self) -> None:
        self.cursor += 1

    def action_page_up(self) -> None:
        self.cursor -= self.page_rows

    def action_page_down(self) -> None:
        self.cursor += self.page_rows

    def action_first(self) -> None:
        self.cursor = 0

    def action_last(self) -> None:
        self.cursor = self._row_count - 1

    def action_select(self) -> None:
        if self._row_count:
            self.row_selected(self.cursor)

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None or offset.y < self.HEADER_LINES:
            return
        index = round(self.scroll_y) + offset.y - self.HEADER_LINES
        if 0 <= index < self._row_count:
            self.cursor = index
            if event.chain >= 2:
                self.row_selected(index)

