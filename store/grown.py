"""A large database changed since its snapshot, shown before its file is parsed.

An ingest adds an article's source and quotes to a database, an edit changes
or removes a few documents: the file is written again, every other
document's line as it was and in its order, new ones after them. Its
snapshot (`store.snapshot`) no longer has the file's digest, so the glimpse
of an unchanged file (`store.glimpse`) cannot be taken, and the explorer
parsed the whole file first (1,000,000 quotes: 18-22 s). But the snapshot
still knows each earlier statement's and source's fingerprint
(`docs.fingerprint`: of the document's JSON, which is its line after the
key), and its index and display order hold for the documents that are the
same.

So each line of the statements and sources is matched to the earlier
document of its id, if they are the same to the byte (when the earlier
lines all are, first, as after an ingest, by comparing arrays: 1.4 s at
1,000,000). The quotes that stand keep their place among themselves and
their entry in the index; the others (new, changed, or of a source new,
changed or gone) are parsed and checked, placed in the display order by a
binary search among those that stand (each probe reads one line), and
indexed apart; the index's entries of the earlier ones are marked dead. The
actors and proposals (small) are read and checked whole. Anything else
(documents in another order, an id twice, another schema, much changed) and
the file is parsed first, as before.

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

__all__ = ["Grown", "grown", "schema_of"]

_LINED = ("statements", "sources")
#: Past this share of quotes placed anew (and this many), or this many sources new, changed
#: or gone, the file is parsed first: each quote costs a binary search (~20 lines read),
#: each source a look through the statements (0.1 s at 1,000,000).
_MOST_NEW, _MOST_NEW_FLOOR, _MOST_NEW_SOURCES = 1 / 8, 2000, 16


def schema_of(lines: LineTables) -> object:
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
    earlier_rows: np.ndarray  # the snapshot's document i (its row i) is now this row, or -1
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
    """The glimpse of a file changed since its snapshot (`ids`: table -> newline-joined
    ids, `prints`: their fingerprints, in the file's order then; `order`: the
    snapshot's display order), if its earlier documents that are still there are
    in their order; None otherwise, or if a document read is not valid (the long
    way then says what is wrong)."""
    try:
        lines = LineTables(raw)
    except ValueError:
        return None
    if not all(t in ids and t in prints for t in _LINED) or schema_of(lines) != SCHEMA_VERSION:
        return None
    earlier = {t: split_words(ids[t]) for t in _LINED}
    was = {t: _same_as(lines, t, ids[t], earlier[t], prints[t]) for t in _LINED}
    if was["statements"] is None or was["sources"] is None:
        return None
    st_was, src_was = was["statements"], was["sources"]
    # A source changed, new or gone changes its quotes' place and date: they are placed
    # and indexed again, as a changed quote is (a new one may date quotes that named it).
    src_lines = np.flatnonzero(src_was < 0)
    gone = np.ones(len(earlier["sources"]), dtype=bool)
    gone[src_was[src_was >= 0]] = False
    touched = [lines.doc("sources", k) for k in src_lines.tolist()]
    if len(touched) + int(gone.sum()) > _MOST_NEW_SOURCES:
        return None
    moved = np.zeros(lines.count("statements"), dtype=bool)
    for sid in [i for i, _ in touched] + [earlier["sources"][k] for k in np.flatnonzero(gone)]:
        moved[lines.lines_holding("statements", b'"source_id":' + orjson.dumps(sid))] = True
    again = np.flatnonzero((st_was < 0) | moved)  # lines placed and indexed anew
    if len(again) > max(_MOST_NEW_FLOOR, _MOST_NEW * len(order)):
        return None  # placing each costs 20 lines read: parsing all is as quick
    # One document a line: `_same_as` refused a file with an id twice.
    new = {"sources": dict(touched),
           "statements": dict(lines.doc("statements", k) for k in again.tolist())}
    made = objects_of({t: lines.table(t) for t in ("actors", "proposals")},
                      {Actor: "actors", Proposal: "proposals"})
    actors = {a.id: a for a in made["actors"]}
    checked = objects_of(new, {Source: "sources", Statement: "statements"})
    source_line = {earlier["sources"][w]: k for k, w in enumerate(src_was.tolist()) if w >= 0}
    source_line.update((i, k) for (i, _), k in zip(touched, src_lines.tolist(), strict=True))
    if len(source_line) != lines.count("sources") or not all(
            st.source_id in source_line and st.actor_id in actors
            for st in checked["statements"]):
        return None  # what the store would not have written: the long way says so
    # The quotes that stand keep their order among themselves (their key is the same,
    # their lines in the same order); the others go where a binary search puts them.
    row_of = np.empty(len(order), dtype=np.int64)
    row_of[np.asarray(order, dtype=np.int64)] = np.arange(len(order))
    standing = np.flatnonzero((st_was >= 0) & ~moved)
    earlier_row = row_of[st_was[standing]]
    by_row = np.argsort(earlier_row, kind="stable")
    standing, earlier_row = standing[by_row], earlier_row[by_row]
    keys = _RowKeys(LineViews(lines, standing, actors, source_line), standing)
    fresh = LineViews(lines, again, actors, source_line)
    keyed = sorted(((*view_order(v), k), k) for v, k in zip(fresh, again.tolist(), strict=True))
    places = np.array([bisect_right(keys, key) for key, _ in keyed], dtype=np.int64)
    added = np.array([k for _, k in keyed], dtype=np.int64)
    shown = np.insert(standing, places, added)
    new_rows = places + np.arange(len(places))
    earlier_rows = np.full(len(order), -1, dtype=np.int64)
    earlier_rows[earlier_row] = np.arange(len(standing)) + np.searchsorted(
        places, np.arange(len(standing)), side="right")
    views = LineViews(lines, shown, actors, source_line)
    return Grown(views, made["actors"], made["proposals"], earlier_rows, new_rows,
                 [views[r] for r in new_rows.tolist()])


def _same_as(lines: LineTables, table: str, joined: np.ndarray, earlier: list[str],
             prints: np.ndarray) -> np.ndarray | None:
    """For each of the table's lines, the earlier document (its place in the file then)
    that it is to the byte, or -1 (new, or changed); None if two lines have one id,
    or the earlier documents still there are not in their order."""
    count = lines.count(table)
    was = np.full(count, -1, dtype=np.int64)
    if lines.keyed_by(table, joined, first_lines=True) and lines.same_documents(table, prints):
        was[:len(prints)] = np.arange(len(prints))  # grown only: an ingest's change
        more = lines.ids(table, len(prints))
        known = set(earlier) if more else set()
        return None if len(set(more)) != len(more) or known.intersection(more) else was
    now = lines.ids(table)
    if len(set(now)) != count:
        return None
    place = {i: k for k, i in enumerate(earlier)}
    was[:] = np.fromiter((place.get(i, -1) for i in now), dtype=np.int64, count=count)
    known = np.flatnonzero(was >= 0)
    same = prints[was[known]] == lines.prints(table)[known]
    was[known[~same]] = -1
    kept = was[was >= 0]
    return None if len(kept) > 1 and bool((kept[1:] <= kept[:-1]).any()) else was
