"""Two proposals' terms aligned by issue, drawn with the Line API.

Each `DiffRow` becomes several lines (its texts are wrapped), laid out side
by side when the terminal is 100 columns or wider and stacked (left above
right) below that, so 80x24 still reads well. The cursor is on a row, not a
line. Changed wording is marked word by word with a style that keeps its
underline and bold without colour.

| Key | Action |
| :- | :- |
| up, k / down, j | Previous / next row |
| pageup / pagedown, home, g / end, G | Move a page, first / last row |
| n / N | Next / previous difference |
| f | Show only the differences (again: all rows) |
| enter | The proposers' quotes on this issue |
"""

from __future__ import annotations

from typing import ClassVar

from textual import events
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.style import Style

from store.diff import DiffRow, RowStatus

from ..safe import flat

__all__ = ["WIDE", "DiffView"]

WIDE = 100  # terminal columns from which the two sides stand side by side
_ISSUE_WIDTH = 20
_MARK = {RowStatus.same: "=", RowStatus.changed: "≠", RowStatus.left_only: "◀",
         RowStatus.right_only: "▶"}
_WORD = {RowStatus.same: "same", RowStatus.changed: "changed", RowStatus.left_only: "only left",
         RowStatus.right_only: "only right"}
_SECTION = {"economy": "Economy and sanctions"}

Line = tuple[Content, int | None]  # a line, and the row it belongs to (None: a heading)


class DiffView(ScrollView, can_focus=True):
    """The rows of a proposal diff with a cursor; reports Enter upward."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up,k", "move(-1)", "Up", show=False, id="diff.up"),
        Binding("down,j", "move(1)", "Down", show=False, id="diff.down"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="diff.page-up"),
        Binding("pagedown", "page(1)", "Page down", show=False, id="diff.page-down"),
        Binding("home,g", "first", "First row", show=False, id="diff.first"),
        Binding("end,G", "last", "Last row", show=False, id="diff.last"),
        Binding("n", "next_difference(1)", "Next diff", id="diff.next",
                tooltip="Next row that differs"),
        Binding("N", "next_difference(-1)", "Prev diff", show=False, id="diff.previous",
                tooltip="Previous row that differs"),
        Binding("f", "toggle_filter", "Only diffs", id="diff.filter",
                tooltip="Show only the rows that differ (again: all rows)"),
        Binding("enter", "open", "Quotes", id="diff.open",
                tooltip="What each proposer said on this issue"),
    ]

    HELP_TITLE = "Diff rows"

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "diff-view--section", "diff-view--issue", "diff-view--muted", "diff-view--word",
        "diff-view--same", "diff-view--changed", "diff-view--only-left",
        "diff-view--only-right", "diff-view--cursor", "diff-view--cursor-blurred",
        "diff-view--empty",
    }

    DEFAULT_CSS = """
    DiffView {
        overflow-x: hidden;
        overflow-y: auto;
        scrollbar-size-vertical: 1;
        & > .diff-view--section { color: $text-primary; text-style: bold; }
        & > .diff-view--issue { text-style: bold; }
        & > .diff-view--muted { color: $text-muted; }
        & > .diff-view--word { color: $text-warning; text-style: bold underline; }
        & > .diff-view--same { color: $text-muted; }
        & > .diff-view--changed { color: $text-warning; text-style: bold; }
        & > .diff-view--only-left { color: $text-error; text-style: bold; }
        & > .diff-view--only-right { color: $text-success; text-style: bold; }
        & > .diff-view--cursor { background: $primary 35%; }
        & > .diff-view--cursor-blurred { background: $boost; }
        & > .diff-view--empty { color: $text-muted; text-style: italic; }
    }
    """

    only_differences: reactive[bool] = reactive(False, init=False)
    """Hide the rows whose two sides say the same."""

    class Opened(Message):
        """Enter on a row."""

        def __init__(self, row: DiffRow) -> None:
            super().__init__()
            self.row = row

    class FilterChanged(Message):
        """Only the differences are shown, or all rows again."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.rows: list[DiffRow] = []
        self.shown: list[int] = []  # indices into rows, after the filter
        self.cursor = 0  # index into visible
        self.empty_message = "Nothing to compare."
        self._lines: list[Line] = []
        self._spans: dict[int, tuple[int, int]] = {}  # row -> (first line, end line)
        self._built_for: tuple[int, bool] | None = None

    # -- data ------------------------------------------------------------------
    def show_rows(self, rows: list[DiffRow], empty_message: str = "Nothing to compare.") -> None:
        self.rows = rows
        self.empty_message = empty_message
        self._refilter(keep=None)

    def _refilter(self, keep: int | None) -> None:
        self.shown = [i for i, r in enumerate(self.rows)
                        if not self.only_differences or r.status is not RowStatus.same]
        self.cursor = self.shown.index(keep) if keep in self.shown else 0
        self._built_for = None
        self._relayout()
        self.scroll_to(y=0, animate=False, immediate=True)
        self._scroll_to_cursor()

    def watch_only_differences(self) -> None:
        self._refilter(keep=self.current_index)
        self.post_message(self.FilterChanged())

    @property
    def current_index(self) -> int | None:
        return self.shown[self.cursor] if self.shown else None

    @property
    def current(self) -> DiffRow | None:
        index = self.current_index
        return None if index is None else self.rows[index]

    @property
    def wide(self) -> bool:
        return self.app.size.width >= WIDE

    @property
    def lines(self) -> list[Content]:
        """The laid-out lines, as Content (for tests: what the screen reads)."""
        self._relayout()
        return [line for line, _ in self._lines]

    # -- layout ----------------------------------------------------------------
    def _relayout(self) -> None:
        width = self.scrollable_content_region.width
        key = (width, self.wide)
        if self._built_for == key or width <= 0:
            return
        self._built_for = key
        lines: list[Line] = []
        spans: dict[int, tuple[int, int]] = {}
        section = None
        for index in self.shown:
            row = self.rows[index]
            if row.section != section:
                section = row.section
                if lines:
                    lines.append((Content(""), None))
                name = _SECTION.get(section, section.capitalize())
                head = Content(f"── {name} ").pad_right(max(0, width - len(name) - 4), "─")
                lines.append((head.stylize(self._style("section")), None))
            start = len(lines)
            body = self._wide_row(row, width) if self.wide else self._stacked_row(row, width)
            lines += [(line, index) for line in body]
            spans[index] = (start, len(lines))
        self._lines, self._spans = lines, spans
        self.virtual_size = Size(width, len(lines))

    def _style(self, name: str) -> Style:
        return self.get_visual_style(f"diff-view--{name}", partial=True)

    def _status(self, row: DiffRow) -> Style:
        return self._style(row.status.value)

    def _side(self, row: DiffRow, left: bool, width: int) -> list[Content]:
        text, segments = (row.left, row.left_segments) if left else (row.right, row.right_segments)
        if text is None:
            return [Content("— not in this proposal").stylize(self._style("muted"))]
        word = self._style("word")
        content = Content.assemble(*((flat(t), word if changed and row.status is
                                      RowStatus.changed else "") for t, changed in segments))
        return content.wrap(max(1, width)) or [Content("")]

    def _wide_row(self, row: DiffRow, width: int) -> list[Content]:
        side = max(8, (width - _ISSUE_WIDTH - 6) // 2)
        issue = [Content.assemble((f"{_MARK[row.status]} ", self._status(row)),
                                  (row.issue, self._style("issue"))).truncate(_ISSUE_WIDTH)]
        issue += [line.pad_left(2) for line in
                  Content(flat(row.issue_name)).stylize(self._style("muted"))
                  .wrap(_ISSUE_WIDTH - 2)]
        issue.append(Content("  " + _WORD[row.status]).stylize(self._status(row)))
        left, right = self._side(row, True, side), self._side(row, False, side)
        bar = Content(" │ ").stylize(self._style("muted"))
        out = []
        for i in range(max(len(issue), len(left), len(right))):
            cells = [(issue[i] if i < len(issue) else Content("")).truncate(_ISSUE_WIDTH,
                                                                             pad=True),
                     (left[i] if i < len(left) else Content("")).truncate(side, pad=True),
                     right[i] if i < len(right) else Content("")]
            out.append(Content.assemble(cells[0], bar, cells[1], bar, cells[2]))
        return out

    def _stacked_row(self, row: DiffRow, width: int) -> list[Content]:
        status = Content(_WORD[row.status]).stylize(self._status(row))
        head = Content.assemble((f"{_MARK[row.status]} ", self._status(row)),
                                (row.issue, self._style("issue")), " ",
                                (flat(row.issue_name), self._style("muted")))
        room = width - status.cell_length - 1
        out = [Content.assemble(head.truncate(room, ellipsis=True, pad=True), " ", status)]
        for label, left in (("L ", True), ("R ", False)):
            body = self._side(row, left, width - 4)
            tag = Content("  " + label).stylize(self._style("muted"))
            out += [Content.assemble(tag if i == 0 else "    ", line)
                    for i, line in enumerate(body)]
        return out

    def on_resize(self, event: events.Resize) -> None:
        self._built_for = None
        self._relayout()
        self.call_after_refresh(self._scroll_to_cursor)

    # -- drawing ---------------------------------------------------------------
    def render_line(self, y: int) -> Strip:
        self._relayout()
        width = self.scrollable_content_region.width
        base = self.get_visual_style()
        if not self.shown:
            if y == 0:
                text = Content(" " + self.empty_message).stylize(self._style("empty"))
                return Strip(text.render_segments(base)).crop_extend(0, width, base.rich_style)
            return Strip.blank(width, base.rich_style)
        number = round(self.scroll_y) + y
        if number >= len(self._lines):
            return Strip.blank(width, base.rich_style)
        content, row = self._lines[number]
        if row is not None and row == self.current_index:
            name = "diff-view--cursor" if self.has_focus else "diff-view--cursor-blurred"
            base = self.get_visual_style(name)
            if self.app.no_color:
                base += Style(reverse=self.has_focus, underline=not self.has_focus)
        strip = Strip(content.render_segments(base))
        return strip.crop_extend(0, width, base.rich_style).apply_meta(
            {"row": -1 if row is None else row})

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    # -- moving ------------------------------------------------------------------
    def _go(self, cursor: int) -> None:
        if not self.shown:
            return
        self.cursor = max(0, min(cursor, len(self.shown) - 1))
        self._scroll_to_cursor()
        self.refresh()

    def _scroll_to_cursor(self) -> None:
        self._relayout()
        index = self.current_index
        if index is None or index not in self._spans:
            return
        start, end = self._spans[index]
        top, height = round(self.scroll_y), self.scrollable_content_region.height
        if start < top or height <= 0:
            self.scroll_to(y=start, animate=False, immediate=True)
        elif end > top + height:
            self.scroll_to(y=max(start - max(0, height - (end - start)), min(start, end - height)),
                           animate=False, immediate=True)

    def action_move(self, step: int) -> None:
        self._go(self.cursor + step)

    def action_page(self, step: int) -> None:
        rows = max(1, self.scrollable_content_region.height // 3)
        self._go(self.cursor + step * rows)

    def action_first(self) -> None:
        self._go(0)

    def action_last(self) -> None:
        self._go(len(self.shown) - 1)

    def action_next_difference(self, step: int) -> None:
        n = len(self.shown)
        for k in range(1, n + 1):
            at = (self.cursor + step * k) % n
            if self.rows[self.shown[at]].status is not RowStatus.same:
                self._go(at)
                return
        self.notify("The two proposals say the same on every issue.", timeout=3)

    def action_toggle_filter(self) -> None:
        self.only_differences = not self.only_differences

    def action_open(self) -> None:
        row = self.current
        if row is not None:
            self.post_message(self.Opened(row))

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        number = round(self.scroll_y) + offset.y
        if 0 <= number < len(self._lines) and (row := self._lines[number][1]) is not None:
            self._go(self.shown.index(row))
            if event.chain >= 2:
                self.action_open()
