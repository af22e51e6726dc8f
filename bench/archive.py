"""A generated archive as the benchmarks need it: raw tables, and quote views.

`bench/corpus.py` makes the tables (the database file's content). Views are
built here with `model_construct`, skipping validation: the benchmarks time
searching and drawing, not pydantic, and 1,000,000 validated statements
would take longer to make than everything measured.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from types import SimpleNamespace

import orjson

from bench.corpus import generate
from store.models import Actor, ActorKind, DatePrecision, Source, Statement, StatementKind
from store.views import QuoteView, quote_views

__all__ = ["load_tables", "views_of"]


def load_tables(n: int, db: Path | None = None, seed: int = 1) -> dict:
    """The tables of a database file, or of a freshly generated archive of n statements."""
    if db is not None:
        return orjson.loads(db.read_bytes())
    return generate(n, seed)


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def views_of(tables: dict) -> list[QuoteView]:
    """Every statement as a QuoteView, in the explorer's order."""
    actors = [Actor.model_construct(id=k, name=d["name"], kind=ActorKind(d["kind"]),
                                    aliases=d.get("aliases", []), role=d.get("role"),
                                    affiliation=d.get("affiliation"))
              for k, d in tables["actors"].items()]
    sources = [Source.model_construct(id=k, title=d["title"], outlet=d.get("outlet"),
                                      url=d.get("url"), published=_date(d.get("published")),
                                      text=d.get("text", ""), content_hash=d["content_hash"])
               for k, d in tables["sources"].items()]
    statements = [Statement.model_construct(
        id=k, actor_id=d["actor_id"], text=d["text"], source_id=d["source_id"],
        span=tuple(d["span"]), said_on=_date(d.get("said_on")),
        said_on_precision=DatePrecision(d.get("said_on_precision", "unknown")),
        context=d.get("context", ""), issues=d.get("issues", []),
        kind=StatementKind(d.get("kind", "quote")))
        for k, d in tables["statements"].items()]
    return quote_views(SimpleNamespace(actors=actors, sources=sources, statements=statements))
