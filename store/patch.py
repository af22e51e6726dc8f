"""A recorded change applied to a reading already joined, instead of reading the file again.

After an edit made in a process of its own (`store.apart`), the explorer
knows exactly what changed: the change record's documents, before and
after. Reading the whole file again to find that out took 3 s at 100,000
quotes and 45 s at 1,000,000; applying the record to what is shown is one
pass over the quotes.

The answer is what a new reading of the changed file would join
(`views.ordered_views`): the same quotes, actors and proposals, in the
same order. Where that cannot be told for certain the answer is None, and
the caller reads the file again:

- a change to a table the reading joins but does not keep whole (sources:
  only the quoted ones are at hand), or to one it does not know;
- a quote whose source is not among the quotes' sources;
- a quote or proposal moved to a place that others share (the same source
  and start, the same date and title): a new reading orders those by their
  place in the file, which a changed document keeps and this does not know;
- one object changed twice in one record.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from operator import itemgetter
from typing import Any, TypeVar

import numpy as np

from .docs import from_doc
from .history import HISTORY_TABLE, DocChange
from .models import Actor, Proposal, Statement
from .views import QuoteView, proposal_order, view_order

__all__ = ["Patched", "PatchedViews", "patch_reading"]

T = TypeVar("T", Actor, Proposal)

#: tables whose changes are applied; the history is not part of a reading
_APPLIED = {"statements", "actors", "proposals"}


@dataclass(frozen=True, slots=True)
class PatchedViews:
    """The quotes after a change, and what an index over the ones before must do."""

    views: list[QuoteView]  # in display order
    #: each view's place in the list before (-1: new there, or moved)
    moved_from: np.ndarray
    #: the statements changed or new, each (its place, its view), in display order
    reindexed: list[tuple[int, QuoteView]]
    gone: list[str]  # the statements deleted
    rejoined: list[QuoteView]  # the same statements, joined to a changed actor
    left: list[str]  # the speaker of each quote deleted or changed, as it was

    def counts(self, before: dict[str, int]) -> dict[str, int]:
        """Quotes per speaker after the change, from `before` (`views.statement_counts`
        of the views before): one count over a million quotes holds the GIL for
        0.5 s, which the screen would wait for."""
        after = Counter(before)
        after.subtract(self.left)
        after.update(v.statement.actor_id for _, v in self.reindexed)
        return {a: c for a, c in after.items() if c > 0}


@dataclass(frozen=True, slots=True)
class Patched:
    quotes: PatchedViews
    actors: list[Actor]  # in the file's order
    proposals: list[Proposal]  # in the order given, changed in place, new ones last


def patch_reading(views: Sequence[QuoteView], actors: Sequence[Actor],
                  proposals: Sequence[Proposal], changes: Sequence[DocChange],
                  ) -> Patched | None:
    """The reading after `changes` (a change record's, in order); None if that cannot be
    told for certain (see above). `proposals` may be in any order that keeps the
    file's among equal `proposal_order`s (a corpus's sorted list does)."""
    final: dict[tuple[str, str], dict | None] = {}
    for c in changes:
        if c.table == HISTORY_TABLE:
            continue
        if c.table not in _APPLIED or (c.table, c.id) in final:
            return None
        final[(c.table, c.id)] = c.after
    of = {t: {i: after for (table, i), after in final.items() if table == t} for t in _APPLIED}
    new_actors = _patched(actors, of["actors"], Actor)
    new_proposals = _patched(proposals, of["proposals"], Proposal)
    if _tied(new_proposals, proposals, of["proposals"], proposal_order):
        return None
    quotes = _patched_views(list(views), new_actors, set(of["actors"]), of["statements"])
    return None if quotes is None else Patched(quotes, new_actors, new_proposals)


def _patched(objects: Sequence[T], changed: dict[str, dict | None], model: type[T],
             ) -> list[T]:
    """Objects changed in place, deleted, or added last (as the file's table is)."""
    if not changed:
        return list(objects)
    out, seen = [], set()
    for obj in objects:
        seen.add(obj.id)
        if obj.id not in changed:
            out.append(obj)
        elif (after := changed[obj.id]) is not None:
            out.append(from_doc(model, obj.id, after))
    out += [from_doc(model, i, after) for i, after in changed.items()
            if i not in seen and after is not None]
    return out


def _tied(objects: list[T], before: Sequence[T], changed: dict[str, dict | None],
          key: Callable[[T], Any]) -> bool:
    """Whether an object that was there before was changed to an order others share."""
    was = {o.id: key(o) for o in before if o.id in changed}
    moved = [o for o in objects if o.id in was and key(o) != was[o.id]]
    return any(key(o) == key(other) for o in moved for other in objects if other is not o)


def _patched_views(views: list[QuoteView], actors: list[Actor], actors_changed: set[str],
                   changed: dict[str, dict | None]) -> PatchedViews | None:
    actor_of = {a.id: a for a in actors}
    out: list[QuoteView] = []
    at: dict[str, int] = {}  # a changed statement -> its view's place in `out`
    rejoined: list[QuoteView] = []
    for v in views:
        st = v.statement
        if st.id in changed:
            at[st.id] = len(out)
        elif st.actor_id in actors_changed:
            v = QuoteView(st, actor_of.get(st.actor_id), v.source)
            rejoined.append(v)
        out.append(v)
    sources = _sources_of(out, {d["source_id"] for d in changed.values()
                                if d is not None and isinstance(d.get("source_id"), str)})
    placed: list[QuoteView] = []  # new, or moved to another place in the order
    moved: list[QuoteView] = []  # of those, the ones that were there before
    in_place: list[tuple[int, QuoteView]] = []  # (where it was, and still is; the view)
    for sid, after in changed.items():
        old = out[at[sid]] if sid in at else None
        if after is None:
            continue
        st = from_doc(Statement, sid, after)
        source = sources.get(st.source_id)
        if source is None:
            return None
        view = QuoteView(st, actor_of.get(st.actor_id), source)
        if old is not None and view_order(old) == view_order(view):
            out[at[sid]] = view  # its place is the same
            in_place.append((at.pop(sid), view))
        else:  # new: after any others at its place, as last in the file
            placed.append(view)
            if old is not None:
                moved.append(view)
    # Moved among others at the same place: their places in the file decide.
    going = sorted(at.values())
    if moved and (any(_ties(out, view, set(going)) for view in moved)
                  or len({view_order(v) for v in placed}) < len(placed)):
        return None
    moved_from = np.arange(len(out), dtype=np.int64)
    for k in reversed(going):
        del out[k]
    moved_from = np.delete(moved_from, going)
    for view in placed:
        k = bisect_right(out, view_order(view), key=view_order)
        out.insert(k, view)
        moved_from = np.insert(moved_from, k, -1)
    new_place = np.full(len(views), -1, dtype=np.int64)
    stayed = np.flatnonzero(moved_from >= 0)
    new_place[moved_from[stayed]] = stayed
    reindexed = sorted([(int(new_place[k]), v) for k, v in in_place]
                       + [(k, out[k]) for k in np.flatnonzero(moved_from < 0).tolist()],
                       key=itemgetter(0))
    gone = [sid for sid, after in changed.items() if after is None]
    left = [views[k].statement.actor_id for k in going] + [
        views[k].statement.actor_id for k, _ in in_place]
    return PatchedViews(out, moved_from, reindexed, gone, rejoined, left)


def _sources_of(views: list[QuoteView], wanted: set[str]) -> dict[str, Any]:
    """The quotes' sources with these ids, as far as the quotes have them."""
    found: dict[str, Any] = {}
    if not wanted:
        return found
    for v in views:
        src = v.source
        if src is not None and src.id in wanted and src.id not in found:
            found[src.id] = src
            if len(found) == len(wanted):
                break
    return found


def _ties(out: list[QuoteView], view: QuoteView, going: set[int]) -> bool:
    """Whether a quote staying in the list (not at a place in `going`) is at `view`'s
    place in the order."""
    key = view_order(view)
    i = bisect_right(out, key, key=view_order) - 1
    while i >= 0 and view_order(out[i]) == key:
        if i not in going:
            return True
        i -= 1
    return False
