"""What must hold between documents, not within one: ids unique in a batch, and every
reference (a statement's actor and source, a proposal's proposer and sources)
to something stored or in the same batch. The models check each document;
the store calls these before it writes.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from .docs import KIND, MODELS
from .errors import InvalidData
from .models import Actor, Source

__all__ = ["check_references", "check_unique", "referrers"]


def check_unique(bundle: Any) -> None:
    """No id twice in a batch (a Bundle)."""
    for model in MODELS:
        seen: set[str] = set()
        for obj in bundle.of(model):
            if obj.id in seen:
                raise InvalidData(f"{KIND[model]} id {obj.id!r} appears twice")
            seen.add(obj.id)


def check_references(bundle: Any, tables: dict) -> None:
    """Every reference of the batch to a stored document or one in the batch."""

    def known(model: type[BaseModel]) -> set[str]:
        return set(tables.get(MODELS[model], {})) | {o.id for o in bundle.of(model)}

    actors, sources = known(Actor), known(Source)
    for st in bundle.statements:
        if st.actor_id not in actors:
            raise InvalidData(f"statement {st.id!r}: unknown actor {st.actor_id!r}")
        if st.source_id not in sources:
            raise InvalidData(f"statement {st.id!r}: unknown source {st.source_id!r}")
    for p in bundle.proposals:
        if p.proposer not in actors:
            raise InvalidData(f"proposal {p.id!r}: unknown proposer {p.proposer!r}")
        for sid in [*p.source_ids, *(t.source_id for t in p.terms if t.source_id)]:
            if sid not in sources:
                raise InvalidData(f"proposal {p.id!r}: unknown source {sid!r}")


def referrers(tables: dict, model: type[BaseModel], id: str) -> list[str]:
    """What refers to an actor or a source (so that it is not deleted from under them)."""
    found: list[str] = []
    if model is Actor:
        found += [f"statement {k}" for k, d in tables.get("statements", {}).items()
                  if d.get("actor_id") == id]
        found += [f"proposal {k}" for k, d in tables.get("proposals", {}).items()
                  if d.get("proposer") == id]
    elif model is Source:
        found += [f"statement {k}" for k, d in tables.get("statements", {}).items()
                  if d.get("source_id") == id]
        found += [f"proposal {k}" for k, d in tables.get("proposals", {}).items()
                  if id in d.get("source_ids", [])
                  or any(t.get("source_id") == id for t in d.get("terms", []))]
    return found
