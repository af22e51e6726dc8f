"""peace-tui's data side: models, the TinyDB store, search, diff and ingest.

This package never imports textual (a test proves it): the explorer is one
client of it, the command line another.
"""

from .db import SCHEMA_VERSION, Bundle, Store
from .edits import Editor
from .errors import (
    ConflictError,
    DatabaseCorrupt,
    DatabaseMissing,
    DatabaseTooNew,
    DatabaseUnreadable,
    InvalidData,
    NotFound,
    StoreError,
    WriteFailed,
)
from .models import Actor, ActorKind, Proposal, ProposalStatus, Source, Statement, Term

__all__ = [
    "SCHEMA_VERSION",
    "Actor",
    "ActorKind",
    "Bundle",
    "ConflictError",
    "DatabaseCorrupt",
    "DatabaseMissing",
    "DatabaseTooNew",
    "DatabaseUnreadable",
    "Editor",
    "InvalidData",
    "NotFound",
    "Proposal",
    "ProposalStatus",
    "Source",
    "Statement",
    "Store",
    "StoreError",
    "Term",
    "WriteFailed",
]
