"""From an article's text to a Source, its Actors and its Statements.

    clean -> find quote marks -> who is who -> who said each quote
          -> when -> which issues -> models (validated) -> one Bundle

Nothing here writes: the caller hands the result to `Store.add_article`,
which adds it in one atomic write (or nothing, if the same text is there).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from ..check import ELISION
from ..db import Bundle
from ..errors import InvalidData
from ..models import (
    Actor,
    Source,
    Statement,
    clean_text,
    content_hash,
    slugify,
    statement_id,
)
from .attribution import Attribution, attribute_quotes
from .clean import clean_article
from .dates import resolve_date
from .entities import ArticleEntities, Entity, _same_person
from .issues import tag_issues
from .marks import QuoteSpan, find_quotes

__all__ = ["ArticleMeta", "Extraction", "extract_article"]

_WORDS = re.compile(r"\w+(?:[’']\w+)?")
_KIND = {"person": "person", "institution": "institution", "state": "state",
         "anonymous": "anonymous"}


@dataclass(frozen=True)
class ArticleMeta:
    title: str | None = None
    outlet: str | None = None
    published: dt.date | None = None
    url: str | None = None


@dataclass
class Extraction:
    """What one article yields, before it is saved."""

    source: Source
    actors: list[Actor]  # every speaker, new or already known (merged)
    statements: list[Statement]
    scare_quotes: int = 0
    unattributed: list[str] = field(default_factory=list)

    def bundle(self) -> Bundle:
        return Bundle(actors=self.actors, sources=[self.source], statements=self.statements)

    def speakers(self) -> dict[str, str]:
        return {a.id: a.name for a in self.actors}


def _title(text: str, meta: ArticleMeta, fallback: str) -> str:
    if meta.title and meta.title.strip():
        return clean_text(meta.title).strip()
    first = text.split("\n", 1)[0].strip()
    if 0 < len(first) <= 160 and not first.endswith((".", ":", "\"", "”")):
        return first
    return fallback


def _paragraph(text: str, start: int, end: int) -> str:
    a = text.rfind("\n\n", 0, start)
    b = text.find("\n\n", end)
    return text[0 if a < 0 else a + 2:len(text) if b < 0 else b]


def _match_actor(entity: Entity, known: list[Actor]) -> Actor | None:
    names = {entity.name.casefold(), *(s.casefold() for s in entity.spellings)}
    for actor in known:
        if actor.kind.value != _KIND[entity.kind] or entity.kind == "anonymous":
            continue
        spellings = {actor.name.casefold(), *(a.casefold() for a in actor.aliases)}
        if names & spellings:
            return actor
        if entity.kind == "person" and any(
                _same_person(n, s) for n in names for s in spellings if len(n.split()) > 1
                or len(s.split()) > 1):
            return actor
    return None


def _actor_for(entity: Entity, known: list[Actor], source_id: str) -> Actor:
    """The stored actor this entity is (with new spellings added), or a new one."""
    found = _match_actor(entity, known)
    spellings = sorted(set(entity.spellings))
    if found is not None:
        aliases = list(found.aliases)
        for s in spellings:
            if s.casefold() != found.name.casefold() and s.casefold() not in \
                    {a.casefold() for a in aliases}:
                aliases.append(s)
        return found.model_copy(update={
            "aliases": aliases,
            "role": found.role or entity.role,
            "affiliation": found.affiliation or entity.affiliation,
        })
    name = entity.name
    aliases = [s for s in spellings if s != name]
    if entity.kind == "person" and len(name.split()) > 1 and name.split()[-1] not in aliases:
        aliases.append(name.split()[-1])
    actor_id = slugify(name)
    if entity.kind == "anonymous":
        actor_id = f"{actor_id}-{source_id.rsplit('-', 1)[-1]}"
    taken = {a.id for a in known}
    base, n = actor_id, 2
    while actor_id in taken:
        actor_id, n = f"{base}-{n}", n + 1
    return Actor(id=actor_id, name=name, kind=_KIND[entity.kind], aliases=aliases,
                 role=entity.role, affiliation=entity.affiliation)


#: What may stand between the attribution and the second part of a split quote: nothing,
#: or a few words of the same clause ('said flatly,', 'said on Tuesday,', 'said, adding,').
_INTERJECTION = re.compile(r"[^.!?\"“”‘’«»\n]{0,80}[,;:]\s*$")


def _join_split_quotes(text: str, quotes: list[QuoteSpan],
                       atts: list[Attribution]) -> list[tuple[QuoteSpan, Attribution]]:
    """'"First part," he said, "second part."' is one statement: the span covers both
    parts and the attribution between them; its text is the parts joined by ELISION
    (`store.check` verifies each part verbatim). A quote that goes on in the next
    sentence ('"A," Sablin said. "B."') stays two statements, as labelled in gold."""
    out: list[tuple[QuoteSpan, Attribution]] = []
    for q, att in zip(quotes, atts, strict=True):
        if out:
            pq, patt = out[-1]
            between_start = patt.clause[1]
            split = (patt.entity is not None and patt.direct
                     and pq.outer_end <= between_start <= q.open_at
                     and (text[pq.close_at - 1] in ",—–" or text[pq.outer_end:pq.outer_end + 1]
                          == "," or text[q.start:q.start + 1].islower())
                     and _INTERJECTION.fullmatch(text[between_start:q.open_at])
                     and "\n" not in text[pq.outer_end:q.open_at])
            if split:
                parts = (*pq.parts, (q.start, q.end)) if pq.parts else ((pq.start, pq.end),
                                                                        (q.start, q.end))
                out[-1] = (QuoteSpan(pq.open_at, q.close_at, pq.start, q.end, pq.double,
                                     parts), patt)
                continue
        out.append((q, att))
    return out


def extract_article(raw: str, meta: ArticleMeta, known: list[Actor] | None = None,
                    name: str = "input") -> Extraction:
    """Everything an article says, attributed; `known` actors are reused and merged."""
    text = clean_article(raw)
    if not text.strip():
        raise InvalidData(f"{name}: no text left after cleaning")
    digest = content_hash(text)
    stem = name.replace("\\", "/").rsplit("/", 1)[-1].rsplit(".", 1)[0]
    title = _title(text, meta, fallback=" ".join(stem.replace("_", "-").split("-")) or name)
    source = Source(
        id=f"{slugify(title)[:60].strip('-')}-{digest[:8]}", title=title,
        outlet=clean_text(meta.outlet).strip() if meta.outlet else None,
        url=clean_text(meta.url).strip() if meta.url else None,
        published=meta.published, text=text, content_hash=digest,
    )
    quotes = find_quotes(text)
    entities = ArticleEntities(text)
    known = list(known or [])
    by_entity: dict[int, Actor] = {}
    statements: list[Statement] = []
    scare = 0
    unattributed: list[str] = []
    for q, att in _join_split_quotes(text, quotes, attribute_quotes(text, quotes, entities)):
        quote = ELISION.join(text[a:b] for a, b in q.parts) if q.parts else text[q.start:q.end]
        short = len(_WORDS.findall(quote)) <= 3
        if short and not att.direct:
            scare += 1
            continue
        if att.entity is None:
            unattributed.append(quote)
            continue
        actor = by_entity.get(id(att.entity))
        if actor is None:
            actor = _actor_for(att.entity, known, source.id)
            by_entity[id(att.entity)] = actor
            known = [a for a in known if a.id != actor.id] + [actor]
        said_on, precision = resolve_date([text[att.when[0]:att.when[1]]], meta.published)
        statements.append(Statement(
            id=statement_id(source.id, q.start, q.end), actor_id=actor.id, text=quote,
            source_id=source.id, span=(q.start, q.end), said_on=said_on,
            said_on_precision=precision, context=_paragraph(text, q.start, q.end),
            issues=tag_issues(quote),
        ))
    actors = list({a.id: a for a in by_entity.values()}.values())
    return Extraction(source, actors, statements, scare, unattributed)
