"""Read-side joins: a statement with its speaker and its source.

The CLI, the export and the explorer all show a quote the same way (who,
when, where from); this module is the one place that joins them.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from operator import attrgetter
from typing import Any

import numpy as np

from .models import Actor, Proposal, Source, Statement

__all__ = ["QuoteView", "ordered_views", "proposal_order", "quote_views", "statement_counts",
           "view_order", "views_in_order"]


@dataclass(frozen=True, slots=True)
class QuoteView:
    statement: Statement
    actor: Actor | None
    source: Source | None

    @property
    def speaker(self) -> str:
        return self.actor.name if self.actor else self.statement.actor_id

    @property
    def date(self) -> dt.date | None:
        """When it was said, else when it was published."""
        if self.statement.said_on is not None:
            return self.statement.said_on
        return self.source.published if self.source else None

    def date_label(self) -> str:
        st = self.statement
        if st.said_on is not None:
            if st.said_on_precision == "month":
                return st.said_on.strftime("%Y-%m")
            return str(st.said_on)
        if self.source and self.source.published:
            return f"≤{self.source.published}"
        return "undated"

    def citation(self) -> str:
        """'Speaker, Outlet, date' — what follows a quote when it is cited."""
        parts = [self.speaker]
        if self.source and self.source.outlet:
            parts.append(self.source.outlet)
        when = self.date
        if when:
            parts.append(when.isoformat())
        return ", ".join(parts)

    def as_json(self) -> dict[str, Any]:
        st, src = self.statement, self.source
        return {
            "id": st.id,
            "text": st.text,
            "speaker": self.speaker,
            "actor_id": st.actor_id,
            "source_id": st.source_id,
            "said_on": st.said_on.isoformat() if st.said_on else None,
            "said_on_precision": st.said_on_precision.value,
            "issues": list(st.issues),
            "kind": st.kind.value,
            "span": list(st.span),
            "context": st.context,
            "source_title": src.title if src else None,
            "outlet": src.outlet if src else None,
            "url": src.url if src else None,
            "published": src.published.isoformat() if src and src.published else None,
        }


def proposal_order(p: Proposal) -> tuple:
    """How proposals are listed, everywhere: sorted on this, reversed, the newest first
    (the undated last), then by title."""
    return (p.date.toordinal() if p.date else 0, p.title.casefold())


def view_order(view: QuoteView) -> tuple:
    """Where a quote is listed: its source by date, then by id, then where it starts."""
    src = view.source
    return (src.published if src and src.published else dt.date.min,
            view.statement.source_id, view.statement.span[0])


def quote_views(data: Any) -> list[QuoteView]:
    """Every statement joined to its actor and source, sources by date, quotes in reading order.

    `data` is a Bundle or anything with actors, sources and statements lists.
    """
    return ordered_views(data)[0]


def ordered_views(data: Any) -> tuple[list[QuoteView], list[int]]:
    """`quote_views`, and where each view's statement is in `data.statements`."""
    views = _joined(data, data.statements)
    keys = [view_order(v) for v in views]
    order = sorted(range(len(views)), key=keys.__getitem__)
    return [views[i] for i in order], order


def views_in_order(data: Any, order: Sequence[int] | np.ndarray) -> list[QuoteView]:
    """The views of `data.statements[i]` for each i of `order` (an `ordered_views` order
    kept from an earlier reading of the same file: no sorting again)."""
    statements = data.statements
    if isinstance(order, np.ndarray):
        order = order.tolist()  # numpy's own ints index a list 3x slower
    return _joined(data, [statements[i] for i in order])


def _joined(data: Any, statements: list[Statement]) -> list[QuoteView]:
    actors = {a.id: a for a in data.actors}
    sources = {s.id: s for s in data.sources}
    return [QuoteView(st, actors.get(st.actor_id), sources.get(st.source_id))
            for st in statements]


def statement_counts(statements: Iterable[Statement]) -> dict[str, int]:
    """actor id -> how many statements, in order of first appearance (one C-level
    count: 0.034 s per 100,000, the loop before it 0.038)."""
    return dict(Counter(map(_actor_id, statements)))


_actor_id = attrgetter("actor_id")
