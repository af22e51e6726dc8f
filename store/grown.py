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
checked whole. Anything else (an edited or removed document, an id twice, a
new source that earlier statements already named, another schema, much new)
and the file is parsed first, as before.

The index is then two segments, as one kept in step with a change is: a
misspelt word's alternatives are found in each (`QuoteSearch._near`, 20 a
segment), so a search with typos may offer a few more than the parsed
reading's index, made one, does; the parsed reading's replaces it.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import orjson

from .docs import objects_of
from .glimpse import LineViews
from .index import split_words
from .lines import LineTables
from .migrations import SCHEMA_VERSION
from .models import Actor, Proposal, Source, Statement
from .views import QuoteView, view_order

__all__ = ["Grown", "grown"]

_LINED = ("statements", "sources")
#: Past this share of new quotes (and this many), or this many new sources, the file is
#: parsed first: each new quote costs a binary search (~20 lines read), each new source a
#: look through the earlier statements (0.1 s at 1,000,000).
_MOST_NEW, _MOST_NEW_FLOOR, _MOST_NEW_SOURCES = 1 / 8, 2000, 16


def _schema(lines: LineTables) -> object:
    """The file's schema version (what `Store.open` would check first)."""
    meta = lines.table("meta").get("schema")
    return meta.get("schema_version") if isinstance(meta, dict) else None


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
    if not all(t in ids and t in prints for t in _LINED):
        return None
    old = {t: len(prints[t]) for t in _LINED}
    added = {t: lines.count(t) - old[t] for t in _LINED}
    if (added["statements"] > max(_MOST_NEW_FLOOR, _MOST_NEW * len(order))
            or added["sources"] > _MOST_NEW_SOURCES or _schema(lines) != SCHEMA_VERSION):
        return None  # much new (placing each costs 20 lines read), or not this schema
    if not all(lines.keyed_by(t, ids[t], first_lines=True)
               and lines.same_documents(t, prints[t]) for t in _LINED):
        return None
    made = objects_of({t: lines.table(t) for t in ("actors", "proposals")},
                      {Actor: "actors", Proposal: "proposals"})
    actors = {a.id: a for a in made["actors"]}
    new = {t: dict(lines.doc(t, k) for k in range(old[t], lines.count(t))) for t in _LINED}
    checked = objects_of(new, {Source: "sources", Statement: "statements"})
    source_ids = split_words(ids["sources"]) + [s.id for s in checked["sources"]]
    source_line = {sid: k for k, sid in enumerate(source_ids)}
    earlier_ids = set(split_words(ids["statements"]))
    if (any(len(new[t]) != added[t] for t in _LINED)  # an id twice among the new lines
            or len(source_line) != len(source_ids)  # or a new one among the earlier
            or any(st.id in earlier_ids for st in checked["statements"])
            or not all(st.source_id in source_line and st.actor_id in actors
                       for st in checked["statements"])):
        return None  # what the store would not have written: the long way says so
    # An earlier statement naming a source the file lacked (a reading allows it, undated)
    # would be dated, and moved, by it: the snapshot's order would not hold.
    if any(lines.first_lines_hold("statements", old["statements"],
                                  b'"source_id":' + orjson.dumps(s.id))
           for s in checked["sources"]):
        return None
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
