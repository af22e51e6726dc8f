"""Stored documents and model objects, one into the other.

A TinyDB document is an object's fields without its id (the id is the
document's key). Reading checks every document with its pydantic model: a
document that fails is a corrupt file (`DatabaseCorrupt`), while a new one
from an edit that fails is the user's input (`InvalidData`).
"""

from __future__ import annotations

from typing import TypeVar

from pydantic import BaseModel, ValidationError

from .errors import DatabaseCorrupt, InvalidData
from .models import Actor, Proposal, Source, Statement, format_validation_error

__all__ = ["KIND", "from_doc", "from_doc_checked", "to_doc"]

M = TypeVar("M", Actor, Source, Statement, Proposal)

#: model class -> what a message calls one
KIND = {Actor: "actor", Source: "source", Statement: "statement", Proposal: "proposal"}


def to_doc(obj: BaseModel) -> dict:
    """The document stored for an object (its id is the TinyDB key, not a field)."""
    doc = obj.model_dump(mode="json", exclude_defaults=False)
    del doc["id"]
    return doc


def from_doc_checked(model: type[M], doc_id: str, doc: dict) -> M:
    """A new document from an edit: invalid is the user's input, not a corrupt file."""
    try:
        return model.model_validate({**doc, "id": doc_id})
    except ValidationError as e:
        raise InvalidData(format_validation_error(e, f"{KIND[model]} {doc_id}")) from None


_FIELDS_SETS: dict[frozenset[str], set[str]] = {}


def from_doc(model: type[M], doc_id: str, doc: dict) -> M:
    """A stored document as its checked object; invalid means the file is corrupt."""
    try:
        obj = model.model_validate({**doc, "id": doc_id})
    except ValidationError as e:
        raise DatabaseCorrupt(
            format_validation_error(e, f"stored {KIND[model]} {doc_id!r} is invalid")
        ) from None
    # Each model object carries the set of fields it was given: 730 bytes, 80 MB
    # over 100,000 quotes, all alike. The models are frozen, so nothing adds to
    # the set, and a copy (model_copy) gets its own: objects can share one.
    given = obj.__pydantic_fields_set__
    shared = _FIELDS_SETS.setdefault(frozenset(given), given)
    object.__setattr__(obj, "__pydantic_fields_set__", shared)
    return obj
