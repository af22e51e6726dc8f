"""Errors the store raises. Each message is one line a user can act on."""

from __future__ import annotations

__all__ = [
    "ConflictError",
    "DatabaseCorrupt",
    "DatabaseMissing",
    "DatabaseTooNew",
    "DatabaseUnreadable",
    "InvalidData",
    "NotFound",
    "StoreError",
    "WriteFailed",
]


class StoreError(Exception):
    """Base class: anything the CLI reports as a one-line error."""


class DatabaseMissing(StoreError):
    """The database file does not exist and the caller did not ask to create it."""


class DatabaseCorrupt(StoreError):
    """The file is not a readable peace-tui database; it is left untouched."""


class DatabaseTooNew(StoreError):
    """The file was written by a newer peace-tui; it is left untouched."""


class DatabaseUnreadable(StoreError):
    """The file exists but cannot be read (permissions, a directory, ...)."""


class WriteFailed(StoreError):
    """A write did not complete; the previous file is intact."""


class InvalidData(StoreError):
    """Data failed validation or would break a reference; nothing was saved."""


class NotFound(StoreError):
    """No object with that id."""


class ConflictError(StoreError):
    """An object with that id exists already with different content."""
