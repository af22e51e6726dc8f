"""The quote list: speaker, date, the quote on one line and its issue codes.

A `RowList`, so it is virtual: swapping in 100,000 rows is setting a list.
Search matches are highlighted in each row, and the row is cut around the
first match when it lies beyond the edge (keyword in context). The list
also keeps the position of the current match for `n` / `N`.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

import numpy as np
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.message import Message
from textual.strip import Strip
from textual.style import Style

from store.glimpse import LineViews, Picked
from store.views import QuoteView

from ..corpus import Filtered
from ..safe import one_line
from ..text import highlighted, kwic
from .row_list import RowList

__all__ = ["Columns", "QuoteList"]

_CACHE_SIZE = 512


@dataclass(frozen=True, slots=True)
class Columns:
    speaker: int
    date: int
    quote: int
    issues: int

    @classmethod
    def fit(cls, width: int) -> Columns:
        """Share a width between the columns; the quote gets what is left."""
        date = 11  # '2025-04-28', or '≤2025-04-29' when only published is known
        speaker = max(8, min(20, width // 4))
        issues = 0 if width < 40 else max(6, min(24, width // 7))
        gaps = 3 if issues else 2
        quote = max(1, width - speaker - date - issues - gaps)
        return cls(speaker, date, quote, issues)


class QuoteList(RowList):
    """Quotes in reading order; a cursor; search matches highlighted."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "quote-list--speaker",
        "quote-list--date",
        "quote-list--issues",
        "quote-list--match",
        "quote-list--match-current",
    }

    DEFAULT_CSS = """
    QuoteList {
        & > .quote-list--speaker { text-style: bold; }
        & > .quote-list--date { color: $text-muted; }
        & > .quote-list--issues { color: $text-secondary; }
        & > .quote-list--match { color: $text-warning; text-style: bold underline; }
        & > .quote-list--match-current { color: $text-warning; text-style: bold underline; }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select", "Read", show=False, id="row.select",
                tooltip="Read the quote in full (the detail pane)"),
    ]

    HEADER_LINES = 1
    HELP_TITLE = "Quote list"

    class Highlighted(Message):
        """The cursor is on another quote."""

        def __init__(self, quote_list: QuoteList, view: QuoteView, index: int) -> None:
            super().__init__()
            self.quote_list = quote_list
            self.view = view
            self.index = index

        @property
        def control(self) -> QuoteList:
            return self.quote_list

    class Selected(Highlighted):
        """Enter (or a double click) on a quote."""

    def __init__(self, *, name: str | None = None, id: str | None = None,
                 classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.rows = Filtered([], [])
        self._starts = np.zeros(1, dtype=np.int64)  # number of matches before each row
        self.match_row: int | None = None
        self.match_span = 0
        self._line_cache: OrderedDict[tuple, Content] = OrderedDict()
        self.empty_message = "No quotes in this database yet: add some with peace-tui ingest."

    # -- data ------------------------------------------------------------------
    def show_rows(self, rows: Filtered, keep: QuoteView | None = None,
                  same_id: bool = False) -> None:
        """Swap in another set of rows, keeping the cursor on `keep` if it is still there;
        `same_id`: or on the row of the same statement (rows of another reading)."""
        before, row = self.rows.views, self.cursor
        self.rows = rows
        self._starts = np.concatenate((np.zeros(1, dtype=np.int64),
                                       np.cumsum(np.asarray(rows.counts, dtype=np.int64))))
        self.match_row = None
        self.match_span = 0
        self._line_cache.clear()
        cursor = 0
        if keep is not None:
            found = _kept(before, row, rows.views, keep)
            if found is None:
                found = _place_of(rows.views, keep, same_id)
            cursor = found if found is not None and found >= 0 else 0
        self._row_count = len(rows.views)
        self.set_row_count(len(rows.views), cursor)

    @property
    def current(self) -> QuoteView | None:
        views = self.rows.views
        return views[self.cursor] if views else None

    @property
    def current_spans(self) -> tuple[tuple[int, int], ...]:
        return self.rows.spans[self.cursor] if self.rows.views else ()

    @property
    def current_match(self) -> int | None:
        """Index, among the spans of the cursor's row, of the match `n` / `N` is on."""
        return self.match_span if self.match_row == self.cursor else None

    @property
    def match_total(self) -> int:
        return int(self._starts[-1])

    def step_match(self, step: int) -> tuple[int, int] | None:
        """Move to the next (`step` 1) or previous (-1) match; (ordinal, total), 1-based.

        From a row without a current match, `n` goes to the first match at or
        after the cursor and `N` to the last one before it; both wrap around.
        """
        total = self.match_total
        if not total:
            return None
        if self.match_row == self.cursor:
            ordinal = int(self._starts[self.cursor]) + self.match_span + step
        elif step > 0:
            ordinal = int(self._starts[self.cursor])
        else:
            ordinal = int(self._starts[self.cursor]) - 1
        ordinal %= total
        row = int(np.searchsorted(self._starts, ordinal, side="right")) - 1
        self.match_row, self.match_span = row, ordinal - int(self._starts[row])
        self.cursor = row  # always_update: the detail pane hears about it
        return ordinal + 1, total

    # -- drawing -------------------------------------------------------------
    def render_header(self, width: int, base: Style) -> Strip:
        cols = Columns.fit(width)
        parts = [Content("Speaker").truncate(cols.speaker, pad=True),
                 Content("Date").truncate(cols.date, pad=True),
                 Content("Quote").truncate(cols.quote, pad=True)]
        if cols.issues:
            parts.append(Content("Issues").truncate(cols.issues, pad=True))
        return _strip(Content(" ").join(parts), base, width)

    def render_row(self, index: int, width: int, base: Style, is_cursor: bool) -> Strip:
        view = self.rows.views[index]
        cols = Columns.fit(width)
        current = self.match_span if self.match_row == index else None
        # The current match is in reverse video; on a row already reversed (the
        # cursor without colour) it is in italics instead: terminals are not
        # told to switch reverse video off within a row.
        quote = self._quote_line(index, cols.quote, current, bool(base.reverse))
        # On the cursor row the cursor's colours win; only the matches stand out.
        def part(name: str) -> Style:
            return Style() if is_cursor else self.get_visual_style(name, partial=True)

        parts = [
            Content(one_line(view.speaker)).truncate(cols.speaker, ellipsis=True, pad=True)
            .stylize(part("quote-list--speaker")),
            Content(view.date_label()).truncate(cols.date, pad=True)
            .stylize(part("quote-list--date")),
            quote,
        ]
        if cols.issues:
            parts.append(Content(" ".join(view.statement.issues))
                         .truncate(cols.issues, ellipsis=True, pad=True)
                         .stylize(part("quote-list--issues")))
        return _strip(Content(" ").join(parts), base, width)

    def _quote_line(self, index: int, width: int, current: int | None,
                    on_reverse: bool) -> Content:
        key = (index, width, current, on_reverse)
        cached = self._line_cache.get(key)
        if cached is not None:
            self._line_cache.move_to_end(key)
            return cached
        view, spans = self.rows.views[index], self.rows.spans[index]
        style = self.get_visual_style("quote-list--match", partial=True)
        now = (self.get_visual_style("quote-list--match-current", partial=True)
               + (Style(italic=True) if on_reverse else Style(reverse=True)))
        text = view.statement.text
        content = highlighted(text, spans, style, one_line=True, current=current,
                              current_style=now)
        focus = current if current is not None else 0
        first = content.spans[focus].start if spans and len(content.spans) > focus else None
        line = kwic(content, width, first)
        self._line_cache[key] = line
        if len(self._line_cache) > _CACHE_SIZE:
            self._line_cache.popitem(last=False)
        return line

    # -- events ----------------------------------------------------------------
    def cursor_moved(self, index: int) -> None:
        self.post_message(self.Highlighted(self, self.rows.views[index], index))

    def row_selected(self, index: int) -> None:
        self.post_message(self.Selected(self, self.rows.views[index], index))


def _strip(content: Content, base: Style, width: int) -> Strip:
    segments = content.render_segments(base)
    return Strip(segments).extend_cell_length(width, base.rich_style)


def _kept(before: Sequence[QuoteView], row: int, after: Sequence[QuoteView],
          keep: QuoteView) -> int | None:
    """Where `keep`, row `row` of the rows `before`, is among the rows `after`, when both
    are of the same list (the whole of it, or `Picked` from it): from its place in
    that list, with no pass over the rows: -1 if it is not among them. None when that
    cannot be told so."""
    base_before = before.base if isinstance(before, Picked) else before
    base_after = after.base if isinstance(after, Picked) else after
    if base_before is not base_after or not 0 <= row < len(before) or before[row] is not keep:
        return None
    place = int(before.places[row]) if isinstance(before, Picked) else row
    if isinstance(after, Picked):
        found = after.row_of(place)
        return -1 if found is None else found
    return place


def _place_of(views: Sequence[QuoteView], view: QuoteView, same_id: bool) -> int | None:
    """Where `view` is among `views` (views made when drawn know it: `store.glimpse`;
    else a pass over the rows, a search's `Picked` from a plain list too); with
    `same_id`, where its statement is, if the view itself is not there."""
    base = views.base if isinstance(views, Picked) else views
    if isinstance(base, LineViews):  # it knows the views it made
        return views.position(view)  # type: ignore[attr-defined]
    found = next((i for i, v in enumerate(views) if v is view), None)
    if found is None and same_id:
        sid = view.statement.id
        found = next((i for i, v in enumerate(views) if v.statement.id == sid), None)
    return found
