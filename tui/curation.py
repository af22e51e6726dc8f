"""The explorer's side of curation: making a recorded change, reloading after it, undo.

Screens that edit call `change(app, ...)` for the store's recorded edits and
`reload(app)` after a change is saved, so every screen (the quotes, the
actors, the diff's proposal pickers) shows the new data at once. Choices
for the pickers (actors, issue codes, sources) are built here too. No
TinyDB and no widgets in this module.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from store import StoreError
from store.issue_codes import all_codes
from store.models import Actor, Source

from .corpus import Corpus
from .safe import one_line
from .screens.picker import Choice

__all__ = ["actor_choices", "change", "issue_choices", "reload", "source_choices", "sources",
           "undo"]


def change(app: Any, method: str, *args: Any, done: Callable[[Any], None],
           failed: Callable[[StoreError], None], **kwargs: Any) -> None:
    """A recorded change, `Editor(app.store).<method>(*args, **kwargs)`: at once for a small
    database, in a process of its own for a large one (`ExplorerApp.change_store`);
    then `done(its result)`, or `failed(the StoreError)`."""
    app.change_store(method, args, kwargs, done, failed)


def sources(app: Any) -> list[Source]:
    """Every source, for the term and proposal forms: as the corpus was read with them,
    else from the store (which parses the file if it let it go)."""
    known = app.corpus.sources
    return list(known) if known is not None else app.store.list(Source)


def reload(app: Any, then: Callable[[Corpus], None] | None = None) -> None:
    """Read the database again and show it on the main screen (as after an ingest);
    `then` runs once it is shown (at once for a small database, see reload_corpus)."""
    app.reload_corpus(then)


def undo(app: Any, record_id: str | None = None,
         then: Callable[[Corpus], None] | None = None) -> None:
    """`u`: undo the last recorded change (or a given one); say what was undone, or why not.
    `then` runs once the database is shown again (see `reload`)."""

    def done(record: Any) -> None:
        reload(app, then)
        app.notify(one_line(record.summary), title="Undone", markup=False, timeout=4)

    def failed(e: StoreError) -> None:
        app.notify(f"Nothing undone: {one_line(str(e))}", severity="warning", markup=False,
                   timeout=5)

    change(app, "undo", record_id, done=done, failed=failed)


def actor_choices(actors: list[Actor]) -> list[Choice]:
    def label(a: Actor) -> str:
        extra = ", ".join(x for x in (a.role, a.affiliation) if x)
        aliases = f" (also {', '.join(a.aliases)})" if a.aliases else ""
        return f"{a.name} — {a.kind.value}" + (f", {extra}" if extra else "") + aliases
    return [Choice(a.id, label(a)) for a in sorted(actors, key=lambda a: a.name.casefold())]


def issue_choices() -> list[Choice]:
    return [Choice(c.code, f"{c.code}  {c.name} ({c.group})") for c in all_codes()]


def source_choices(sources: list[Source]) -> list[Choice]:
    return [Choice(s.id, f"{s.title} — {s.outlet or 'no outlet'}, {s.published or 'undated'}")
            for s in sources]
