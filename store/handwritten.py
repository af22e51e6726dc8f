"""A proposal typed by hand in an editor, in YAML or JSON, for `peace-tui import`.

When an analyst reads about a new plan, typing its terms into a text file is
faster than any form. The form is small on purpose:

    title: 28-point peace plan (draft)
    proposer: United States      # an actor's id, name or alias
    proposer_kind: state         # only for a proposer not in the database: creates it
    date: 2025-11-20             # YYYY-MM-DD or YYYY-MM (optional)
    status: proposed             # proposed | rejected | accepted | superseded (optional)
    sources: [reuters-2025-11-20]  # ids of stored sources (optional)
    id: us-28-point-plan         # optional; made from the title otherwise
    terms:
      - Ce: A ceasefire along the current line of contact
      - X-Alliance: Ukraine does not join NATO

Each term is one `issue: text` line (an issue code from the taxonomy, case
as you like). The same, as a JSON object, is accepted too; a term may also
be written `{"issue": "Ce", "text": "..."}`. Several proposals can share a
file: YAML documents separated by `---`, or a list of such objects. `detect` tells this form from
the exchange format (which has `format` or actors/sources/... tables).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import orjson

from .db import Bundle
from .errors import InvalidData
from .issue_codes import canonical
from .models import Actor, ActorKind
from .query import fold

__all__ = ["HandProposal", "detect", "parse_proposal"]

_KEYS = {"id", "title", "proposer", "proposer_kind", "date", "status", "sources", "terms"}
_EXCHANGE_KEYS = {"format", "schema_version", "actors", "sources", "statements", "proposals"}


@dataclass(frozen=True, slots=True)
class HandProposal:
    """A parsed hand-written proposal, its proposer not yet resolved to an actor."""

    data: dict[str, Any]  # Proposal fields, except proposer; date as typed
    proposer: str
    proposer_kind: str | None

    def resolve(self, actors: list[Actor]) -> tuple[dict[str, Any], Actor | None]:
        """The proposal's data with its proposer's id, and the actor to create, if any."""
        wanted = fold(self.proposer)
        for actor in actors:
            if wanted in {actor.id, fold(actor.name), *(fold(a) for a in actor.aliases)}:
                return {**self.data, "proposer": actor.id}, None
        if self.proposer_kind is None:
            raise InvalidData(f"proposer {self.proposer[:40]!r} is not a known actor (id, name "
                              "or alias); to create it, add proposer_kind: "
                              + "|".join(k.value for k in ActorKind))
        from .edits import unique_id

        try:
            actor = Actor(id=unique_id(self.proposer, {a.id for a in actors}),
                          name=self.proposer, kind=self.proposer_kind)
        except ValueError:
            raise InvalidData(f"proposer_kind must be one of "
                              f"{', '.join(k.value for k in ActorKind)}") from None
        return {**self.data, "proposer": actor.id}, actor


def _load(raw: bytes, name: str) -> list[Any]:
    """The documents of the input: JSON when it looks like JSON (its errors are JSON's),
    else YAML, where `---` separates several proposals in one file."""
    if raw.lstrip()[:1] in (b"{", b"["):
        try:
            return [orjson.loads(raw)]
        except orjson.JSONDecodeError as e:
            raise InvalidData(f"{name}: not valid JSON ({e.msg} at byte {e.pos})") from None
    import yaml  # only hand-written files need it

    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidData(f"{name}: not UTF-8 text") from None
    try:
        return [d for d in yaml.safe_load_all(text) if d is not None]
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        problem = getattr(e, "problem", None) or "invalid"
        raise InvalidData(f"{name}: neither JSON nor YAML ({problem}{where})") from None


def detect(raw: bytes, name: str = "input") -> Bundle | list[HandProposal]:
    """An exchange file (a Bundle) or hand-written proposals, told apart by their keys.

    Several proposals may come as YAML documents separated by `---`, or as
    a list (YAML or JSON) of proposal objects.
    """
    docs = _load(raw, name)
    if len(docs) == 1 and isinstance(docs[0], list):
        docs = docs[0]
    if len(docs) == 1 and isinstance(docs[0], dict) and _is_exchange(docs[0]):
        from .exchange import parse_json

        return parse_json(orjson.dumps(docs[0]), name)
    if not docs or not all(isinstance(d, dict) and {"title", "terms"} & set(d) for d in docs):
        raise InvalidData(f"{name}: expected a proposal (title, proposer, terms) or a "
                          "peace-tui exchange file")
    return [parse_proposal(d, name if len(docs) == 1 else f"{name}, proposal {i}")
            for i, d in enumerate(docs, 1)]


def _is_exchange(data: dict) -> bool:
    return bool(set(data) & _EXCHANGE_KEYS) and not {"title", "terms"} & set(data)


def parse_proposal(data: dict[str, Any], name: str = "input") -> HandProposal:
    unknown = sorted(str(k) for k in set(data) - _KEYS)
    if unknown:
        raise InvalidData(f"{name}: unknown key {unknown[0][:40]!r} (known: "
                          f"{', '.join(sorted(_KEYS))})")
    for key in ("title", "proposer"):
        if not isinstance(data.get(key), str) or not data[key].strip():
            raise InvalidData(f"{name}: {key} is missing (a line `{key}: ...`)")
    when = data.get("date")
    if isinstance(when, dt.datetime):
        when = when.date()
    when = "" if when is None else when.isoformat() if isinstance(when, dt.date) else str(when)
    sources = data.get("sources") or []
    if isinstance(sources, str):
        sources = [sources]
    if not isinstance(sources, list) or not all(isinstance(s, str) for s in sources):
        raise InvalidData(f"{name}: sources must be a list of source ids")
    terms = data.get("terms") or []
    if not isinstance(terms, list):
        raise InvalidData(f"{name}: terms must be a list of `- issue: text` lines")
    out: dict[str, Any] = {
        "title": data["title"].strip(),
        "date": when,
        "status": data.get("status") or "proposed",
        "source_ids": sources,
        "terms": [_term(t, i, name) for i, t in enumerate(terms, 1)],
    }
    if data.get("id"):
        out["id"] = str(data["id"])
    kind = data.get("proposer_kind")
    return HandProposal(out, data["proposer"].strip(), None if kind is None else str(kind))


def _term(item: Any, n: int, name: str) -> dict[str, str]:
    if isinstance(item, dict) and set(item) <= {"issue", "text"} and "issue" in item:
        issue, text = item.get("issue"), item.get("text")
    elif isinstance(item, dict) and len(item) == 1:
        [(issue, text)] = item.items()
    elif isinstance(item, str) and ":" in item:
        issue, text = (part.strip() for part in item.split(":", 1))
    else:
        raise InvalidData(f"{name}: term {n} must be one `issue: text` line")
    if not isinstance(issue, str) or not isinstance(text, str) or not text.strip():
        raise InvalidData(f"{name}: term {n} must be one `issue: text` line with some text")
    return {"issue": _canonical_code(issue.strip(), n, name), "text": text.strip()}


def _canonical_code(code: str, n: int, name: str) -> str:
    found = canonical(code)
    if found is not None:
        return found
    raise InvalidData(f"{name}: term {n}: unknown issue code {code[:40]!r} (see "
                      "store/data/issue_codes.json)")
