"""Change records: who changed what, when, with the documents before and after.

Every hand edit (a quote given to another speaker, a proposal typed in, two
actors merged) is one `ChangeRecord` in the `history` table, written in the
same atomic file write as the change itself, so the history can never miss
a change or record one that did not happen. A record holds whole documents
before and after, which is what makes undo exact: undoing puts the
`before` documents back, and is refused when any object is no longer as the
record left it (someone changed it since), rather than overwriting that.

Nothing here talks to TinyDB: `apply_changes` works on the raw tables the
Store hands it, under the Store's lock.
"""

from __future__ import annotations

import datetime as dt
import getpass
from collections.abc import Callable

from pydantic import BaseModel, ConfigDict

from .errors import ConflictError, InvalidData

__all__ = [
    "HISTORY_TABLE",
    "ChangeRecord",
    "DocChange",
    "apply_changes",
    "current_user",
    "next_record_id",
    "undo_changes",
]

HISTORY_TABLE = "history"
_KIND = {"actors": "actor", "sources": "source", "statements": "quote", "proposals": "proposal"}


def current_user() -> str:
    """The login name recorded with each change ('unknown' when the OS cannot say)."""
    try:
        return getpass.getuser() or "unknown"
    except Exception:  # getuser raises OSError (or KeyError) without a login name
        return "unknown"


class DocChange(BaseModel):
    """One object's document before and after (None: it did not exist / was deleted)."""

    # Fields a newer peace-tui may add to records are ignored, not an error.
    model_config = ConfigDict(frozen=True, extra="ignore")

    table: str
    id: str
    before: dict | None = None
    after: dict | None = None

    @property
    def what(self) -> str:
        return f"{_KIND.get(self.table, self.table)} {self.id}"


class ChangeRecord(BaseModel):
    """One recorded change: the unit that `u` undoes and the history view lists."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    id: str
    at: dt.datetime
    user: str
    action: str
    summary: str
    changes: list[DocChange]
    undoes: str | None = None

    def doc(self) -> dict:
        doc = self.model_dump(mode="json")
        del doc["id"]
        return doc


def next_record_id(tables: dict) -> str:
    """Zero-padded sequence numbers sort in the order the changes were made."""
    ids = [int(k) for k in tables.get(HISTORY_TABLE, {}) if k.isdigit()]
    return f"{max(ids, default=0) + 1:08d}"


def apply_changes(tables: dict, changes: list[DocChange],
                  normalize: Callable[[str, str, dict], dict] | None = None) -> None:
    """Check that every object is still as `before` says, then apply `after`, in place.

    The comparison is what makes an edit (and an undo) safe against another
    window or process that changed the same object since it was read: the
    change is refused instead of silently overwriting theirs. `normalize`
    (table, id, document) puts a stored document in the form the program
    writes (defaults filled in), so a file written by another version of
    peace-tui is compared by content, not by spelling.
    """
    for change in changes:
        current = tables.get(change.table, {}).get(change.id)
        if current is not None and change.before is not None and normalize is not None:
            current = normalize(change.table, change.id, current)
        if current != change.before:
            if change.before is None:
                raise ConflictError(f"{change.what} exists already")
            if current is None:
                raise ConflictError(f"{change.what} was deleted since; nothing was changed")
            raise ConflictError(f"{change.what} was changed since; nothing was changed")
    for change in changes:
        table = tables.setdefault(change.table, {})
        if change.after is None:
            table.pop(change.id, None)
        else:
            table[change.id] = change.after


def undo_changes(record: ChangeRecord) -> list[DocChange]:
    """The changes that put back what `record` changed (in reverse order)."""
    if not record.changes:
        raise InvalidData("that change changed nothing: there is nothing to undo")
    return [DocChange(table=c.table, id=c.id, before=c.after, after=c.before)
            for c in reversed(record.changes)]
