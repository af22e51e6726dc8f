"""A large database shown and searched from its snapshot, before its file is parsed.

Opening a database of 1,000,000 quotes read before still takes 10 s: its
file is parsed (6 s) and a million quote objects made, though the snapshot
of its last reading (`store.snapshot`) holds its index and display order.
When the file is that reading's, to the byte (the digest matches), and in
lines (`store.lines`), the explorer needs neither to search it: it takes
the snapshot's index, and reads a quote's line only when its row is drawn.
The whole file is parsed meanwhile, for what needs all of it (edits, the
proposals' quotes), and replaces this view of it when done.

`LineViews` is a sequence of quote views made on demand, the same objects
(equal, and each made once) as `views_in_order` makes from the parsed file.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from typing import overload

import numpy as np

from .docs import (
    objects_of,
    source_as_stored,
    source_checked,
    statement_as_stored,
    statement_checked,
)
from .index import split_words
from .lines import LineTables
from .models import Actor, Proposal, Source, Statement
from .views import QuoteView

__all__ = ["LINED", "Glimpse", "LineViews", "Picked", "glimpse"]


class LineViews(Sequence[QuoteView]):
    """views_in_order(parsed file, order), each view made from its line when first asked.

    Iterating over it makes every view: a caller that needs them all (an
    edit, a count) waits for the parsed file instead."""

    def __init__(self, lines: LineTables, order: np.ndarray, actors: dict[str, Actor],
                 source_line: dict[str, int], checked: bool = False) -> None:
        """`checked`: the file is not known to be valid (read for the first time,
        `store.coldindex`): each document is checked as it is made, and one that is
        not valid is shown as a quote with no words (the file's reading, going on
        meanwhile, will refuse it)."""
        self._lines, self._order, self._actors = lines, order, actors
        self._checked = checked
        self._source_line = source_line  # source id -> its line
        self._made: dict[int, QuoteView] = {}
        self._sources: dict[str, Source | None] = {}
        self._lock = threading.Lock()  # drawn on the screen's thread, searched in a worker

    def __len__(self) -> int:
        return len(self._order)

    @overload
    def __getitem__(self, i: int) -> QuoteView: ...
    @overload
    def __getitem__(self, i: slice) -> list[QuoteView]: ...
    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(len(self)))]
        i = int(i)
        if i < 0:
            i += len(self)
        if not 0 <= i < len(self):
            raise IndexError(i)
        with self._lock:
            view = self._made.get(i)
            if view is None:
                view = self._made[i] = self._view(i)
            return view

    def __iter__(self) -> Iterator[QuoteView]:
        return (self[i] for i in range(len(self)))

    def position(self, view: QuoteView) -> int | None:
        """Where a view made here is (None for any other object)."""
        with self._lock:
            return next((i for i, v in self._made.items() if v is view), None)

    def _view(self, i: int) -> QuoteView:
        line = int(self._order[i])
        if not self._checked:
            st = statement_as_stored(*self._lines.doc("statements", line))
        else:  # a line that is not one document, or not valid: shown with no words
            doc_id = "?"
            try:
                doc_id, doc = self._lines.doc("statements", line)
                st = statement_checked(doc_id, doc)
            except Exception:
                st = Statement.model_construct(id=doc_id, actor_id="?", text="", source_id="",
                                               span=(0, 1), issues=[])
        return QuoteView(st, self._actors.get(st.actor_id), self._source(st.source_id))

    def _source(self, source_id: str) -> Source | None:
        if source_id not in self._sources:
            k = self._source_line.get(source_id)
            if k is None:
                found = None
            elif not self._checked:
                found = source_as_stored(*self._lines.doc("sources", k))
            else:
                try:
                    found = source_checked(*self._lines.doc("sources", k))
                except Exception:  # not valid, not even a document: drawn with no source
                    found = None
            self._sources[source_id] = found
        return self._sources[source_id]


class Picked(Sequence[QuoteView]):
    """Some of a list of views, by place (ascending): a filter's or a search's rows.
    Over a LineViews they are made only when drawn; over a plain list, only the
    places are kept (a search's 209,000 rows at 1,000,000 quotes: no list made)."""

    def __init__(self, views: Sequence[QuoteView], places: np.ndarray) -> None:
        self._views, self.places = views, places

    @property
    def base(self) -> Sequence[QuoteView]:
        """The views these are picked from."""
        return self._views

    def __len__(self) -> int:
        return len(self.places)

    def __getitem__(self, i):  # type: ignore[override]
        if isinstance(i, slice):
            return [self._views[p] for p in self.places[i].tolist()]
        return self._views[int(self.places[i])]

    def __iter__(self) -> Iterator[QuoteView]:
        return (self._views[p] for p in self.places.tolist())

    def row_of(self, place: int) -> int | None:
        """Which of these rows is the base's view at `place` (None if none)."""
        at = int(np.searchsorted(self.places, place))
        return at if at < len(self.places) and self.places[at] == place else None

    def position(self, view: QuoteView) -> int | None:
        """Where a view made by the LineViews these are picked from is among these rows
        (None if it is not)."""
        place = self._views.position(view)  # type: ignore[attr-defined]
        return None if place is None else self.row_of(place)


class Glimpse:
    """What the explorer needs of a database file to show it before it is parsed."""

    def __init__(self, lines: LineTables, order: np.ndarray, source_ids: np.ndarray,
                 checked: bool = False) -> None:
        """`checked`: the file is not known to be valid; its actors and proposals are
        checked (StoreError if one is not valid), its quotes as they are drawn."""
        made = objects_of({t: lines.table(t) for t in ("actors", "proposals")},
                          {Actor: "actors", Proposal: "proposals"}, as_stored=not checked)
        self.actors: list[Actor] = made["actors"]
        self.proposals: list[Proposal] = made["proposals"]
        # The sources' k-th line is the k-th of these ids (`glimpse` checked it).
        source_line = {sid: k for k, sid in enumerate(split_words(source_ids))}
        self.views = LineViews(lines, order, {a.id: a for a in self.actors}, source_line,
                               checked)


#: The tables whose documents a glimpse reads a line at a time.
LINED = ("statements", "sources")


def glimpse(raw: bytes, order: np.ndarray, ids: dict[str, np.ndarray]) -> Glimpse | None:
    """The glimpse of a file known to be valid (its snapshot's digest is of these bytes)
    whose statements, in the file's order, `order` puts in display order; None if
    the file is not in lines, or the documents of `LINED` are not one a line:
    each line must start with the id `ids` (table -> the file's ids in order,
    newline-joined, as a snapshot keeps them) says, and as many."""
    try:
        lines = LineTables(raw)
    except ValueError:
        return None
    if lines.count("statements") != len(order) or not all(
            t in ids and lines.keyed_by(t, ids[t]) for t in LINED):
        return None
    return Glimpse(lines, order, ids["sources"])

