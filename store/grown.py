"""A large database that grew since its snapshot, shown before its file is parsed.

An ingest adds an article's source and quotes to a database: the file is
written again, with every earlier document's line as it was and the new
ones after them. Its snapshot (`store.snapshot`) no longer has the file's
digest, so the glimpse of an unchanged file (`store.glimpse`) cannot be
taken, and the explorer parsed the whole file first (1,000,000 quotes: 19
s). But the snapshot still knows each earlier statement's and source's
fingerprint (`docs.fingerprint`: of the document's JSON, which is its line
after the key), and its index and display order hold for those lines.

So when the statements' and sources' first lines are, one for one, the
documents the snapshot has (same ids, same fingerprints), only the lines
after them are new: those are parsed and checked, placed in the display
order by a binary search among the earlier rows (each probe reads one line),
and indexed apart; the other tables (actors, proposals: small) are read and
checked whole. Anything else (an edited or removed document) and the file is
parsed first, as before.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .docs import objects_of
from .glimpse import LineViews
from .index import split_words
from .lines import LineTables
from .models import Actor, Proposal, Source, Statement
from .views import QuoteView, view_order

__all__ = ["Grown", "grown"]

_LINED = ("statements", "sources")


@dataclass(frozen=True, slots=True)
class Grown:
    """The grown file's quotes in display order, made when drawn, and where the
    snapshot's index documents and the new quotes now stand."""

    views: Sequence[QuoteView]  # a LineViews
    actors: list[Actor]
    proposals: list[Proposal]
    earlier_rows: np.ndarray  # the snapshot's document i (its row i) is now this row
    new_rows: np.ndarray  # the new quotes' rows, ascending
    new_views: list[QuoteView]  # their views, in that order


class _RowKeys(Sequence[tuple]):
    """The display order's key of each earlier row, read from its line when asked."""

    def __init__(self, views, order: np.ndarray) -> None:
        self._views, self._order = views, order

    def __len__(self) -> int:
        return len(self._order)

    def __getitem__(self, r):  # type: ignore[override]
        return (*view_order(self._views[r]), int(self._order[r]))


def grown(raw: bytes, order: np.ndarray, ids: dict[str, np.ndarray],
          prints: dict[str, np.ndarray]) -> Grown | None:
    """The glimpse of a file whose statements and sources begin with the snapshot's
    (`ids`: table -> newline-joined ids, `prints`: their fingerprints, in the file's
    order; `order`: the snapshot's display order), more after them; None otherwise,
    or if a document read is not valid (the long way then says what is wrong)."""
    try:
        lines = LineTables(raw)
    except ValueError:
        return None
    if not all(t in ids and t in prints and lines.keyed_by(t, ids[t], first_lines=True)
               and lines.same_documents(t, prints[t]) for t in _LINED):
        return None
    made = objects_of({t: lines.table(t) for t in ("actors", "proposals")},
                      {Actor: "actors", Proposal: "proposals"})
    actors = {a.id: a for a in made["actors"]}
    old = {t: len(prints[t]) for t in _LINED}
    new = {t: dict(lines.doc(t, k) for k in range(old[t], lines.count(t))) for t in _LINED}
    checked = objects_of(new, {Source: "sources", Statement: "statements"})
    source_ids = split_words(ids["sources"]) + [s.id for s in checked["sources"]]
    source_line = {sid: k for k, sid in enumerate(source_ids)}
    if len(source_line) != len(source_ids) or not all(
            st.source_id in source_line and st.actor_id in actors
            for st in checked["statements"]):
        return None  # what the store would not have written: the long way says so
    earlier = LineViews(lines, order, actors, source_line)
    first_new = old["statements"]
    fresh = LineViews(lines, np.arange(first_new, lines.count("statements")), actors,
                      source_line)
    keyed = sorted(((*view_order(v), first_new + j), first_new + j)
                   for j, v in enumerate(fresh))
    keys = _RowKeys(earlier, order)
    places = np.array([bisect_right(keys, key) for key, _ in keyed], dtype=np.int64)
    added = np.array([k for _, k in keyed], dtype=np.int64)
    shown = np.insert(np.asarray(order, dtype=np.int64), places, added)
    new_rows = places + np.arange(len(places))
    earlier_rows = np.arange(len(order)) + np.searchsorted(places, np.arange(len(order)),
                                                           side="right")
    views = LineViews(lines, shown, actors, source_line)
    return Grown(views, made["actors"], made["proposals"], earlier_rows, new_rows,
                 [views[r] for r in new_rows.tolist()])
