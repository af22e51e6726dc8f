"""Hand corrections and hand-entered proposals, each validated and recorded.

Extraction is never perfect, and proposals do not extract themselves. The
`Editor` turns what an analyst asks for ("this quote is Peskov's, not
Putin's", "merge 'Zelenskyy' into 'Volodymyr Zelensky'", "here is the
28-point plan") into `DocChange`s that the Store applies atomically under
its lock and records in the history. Every new version of an object is
built through its pydantic model first, so an invalid edit raises
InvalidData with a readable message and nothing is saved.

A quote's text is never editable: it is checked verbatim against its
source. Its speaker, date and issue codes are, and a quote can be deleted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from pydantic import BaseModel, ValidationError

from .db import MODELS, Store, to_doc
from .errors import ConflictError, InvalidData, NotFound
from .handwritten import HandProposal
from .history import ChangeRecord, DocChange, undo_changes
from .issue_codes import canonical
from .models import (
    Actor,
    ActorKind,
    DatePrecision,
    Proposal,
    Source,
    Statement,
    Term,
    format_validation_error,
    slugify,
)

__all__ = ["Editor", "NothingChanged", "parse_date", "unique_id"]


class NothingChanged(InvalidData):
    """The edit leaves every object as it was: nothing to save or record."""


def parse_date(text: str) -> tuple[dt.date | None, DatePrecision]:
    """'2025-04-28' (a day), '2025-04' (a month) or '' (unknown): what forms accept."""
    text = text.strip()
    if not text:
        return None, DatePrecision.unknown
    try:
        if len(text) == 7:
            return dt.date.fromisoformat(text + "-01"), DatePrecision.month
        return dt.date.fromisoformat(text), DatePrecision.day
    except ValueError:
        raise InvalidData(f"date must be YYYY-MM-DD or YYYY-MM, not {text[:20]!r}") from None


def unique_id(base: str, taken: set[str]) -> str:
    """A slug id not yet used: 'eu-plan', else 'eu-plan-2', 'eu-plan-3', ..."""
    base = slugify(base)[:100]
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    return candidate


def _build(model: type[BaseModel], data: dict[str, Any], what: str) -> Any:
    try:
        return model.model_validate(data)
    except ValidationError as e:
        raise InvalidData(format_validation_error(e, what)) from None


def _change(obj_model: type[BaseModel], id: str, before: BaseModel | None,
            after: BaseModel | None) -> DocChange:
    return DocChange(table=MODELS[obj_model], id=id,
                     before=None if before is None else to_doc(before),
                     after=None if after is None else to_doc(after))


class Editor:
    """Recorded edits on one Store; `user` defaults to the login name."""

    def __init__(self, store: Store, user: str | None = None) -> None:
        self.store = store
        self.user = user

    def _apply(self, changes: list[DocChange], action: str, summary: str,
               undoes: str | None = None) -> ChangeRecord:
        changes = [c for c in changes if c.before != c.after]
        if not changes:
            raise NothingChanged("nothing changed")
        return self.store.apply(changes, action=action, summary=summary, undoes=undoes,
                                user=self.user)

    # -- quotes ----------------------------------------------------------------
    def edit_quote(self, statement_id: str, *, actor_id: str | None = None,
                   said_on: str | None = None, issues: Iterable[str] | None = None,
                   new_speaker: str | None = None, base: Statement | None = None,
                   ) -> ChangeRecord:
        """Give a quote another speaker, date ('YYYY-MM-DD', 'YYYY-MM', '') or issue codes.

        `new_speaker` names a speaker not in the database yet: the actor is
        created in the same recorded change, so one undo takes both back.
        `base` is the version the user saw (in a form): if the stored one
        differs by now, the edit is refused rather than undo someone's change.
        """
        old = base or self.store.get(Statement, statement_id)
        data = old.model_dump()
        changes = []
        if new_speaker is not None:
            actor = _build(Actor, {"id": unique_id(new_speaker, self.store.ids(Actor)),
                                   "name": new_speaker.strip()}, "new speaker")
            changes.append(_change(Actor, actor.id, None, actor))
            data["actor_id"] = actor.id
        elif actor_id is not None:
            if self.store.find(Actor, actor_id) is None:
                raise InvalidData(f"no actor with id {actor_id!r}")
            data["actor_id"] = actor_id
        if said_on is not None:
            data["said_on"], data["said_on_precision"] = parse_date(said_on)
        if issues is not None:
            data["issues"] = list(dict.fromkeys(canonical(c) or c for c in issues))
        new = _build(Statement, data, f"quote {statement_id}")
        speaker = self.store.find(Actor, new.actor_id)
        name = speaker.name if speaker else (new_speaker or new.actor_id)
        changes.append(_change(Statement, old.id, old, new))
        return self._apply(changes, "edit quote", f"Edited the quote “{_short(old.text)}” ({name})")

    def delete_quote(self, statement_id: str) -> ChangeRecord:
        old = self.store.get(Statement, statement_id)
        return self._apply([_change(Statement, old.id, old, None)], "delete quote",
                           f"Deleted the quote “{_short(old.text)}”")

    # -- actors ----------------------------------------------------------------
    def create_actor(self, name: str, kind: ActorKind | str = ActorKind.person,
                     ) -> tuple[Actor, ChangeRecord]:
        actor = _build(Actor, {"id": unique_id(name, self.store.ids(Actor)), "name": name.strip(),
                               "kind": kind}, "new actor")
        record = self._apply([_change(Actor, actor.id, None, actor)], "create actor",
                             f"Created the actor {actor.name}")
        return actor, record

    def edit_actor(self, actor_id: str, *, name: str | None = None,
                   kind: ActorKind | str | None = None, role: str | None = None,
                   affiliation: str | None = None, aliases: Iterable[str] | None = None,
                   base: Actor | None = None) -> ChangeRecord:
        """Rename, set role, kind and affiliation ('' clears them), replace the aliases.

        `base`: the version the form showed (see `edit_quote`).
        """
        old = base or self.store.get(Actor, actor_id)
        data = old.model_dump()
        if name is not None:
            data["name"] = name.strip()
        if kind is not None:
            data["kind"] = kind
        if role is not None:
            data["role"] = role.strip() or None
        if affiliation is not None:
            data["affiliation"] = affiliation.strip() or None
        if aliases is not None:
            data["aliases"] = _dedupe([a.strip() for a in aliases if a.strip()],
                                      exclude=data["name"])
        new = _build(Actor, data, f"actor {actor_id}")
        return self._apply([_change(Actor, old.id, old, new)], "edit actor",
                           f"Edited the actor {new.name}")

    def merge_actors(self, from_id: str, into_id: str) -> ChangeRecord:
        """Fold one actor into another: quotes and proposals follow, names become aliases."""
        if from_id == into_id:
            raise InvalidData("an actor cannot be merged into itself")
        gone, kept = self.store.get(Actor, from_id), self.store.get(Actor, into_id)
        aliases = _dedupe([*kept.aliases, gone.name, *gone.aliases], exclude=kept.name)
        merged = _build(Actor, {**kept.model_dump(), "aliases": aliases,
                                "role": kept.role or gone.role,
                                "affiliation": kept.affiliation or gone.affiliation},
                        f"actor {into_id}")
        changes = [_change(Actor, kept.id, kept, merged)]
        for st in self.store.list(Statement):
            if st.actor_id == from_id:
                changes.append(_change(Statement, st.id, st,
                                       st.model_copy(update={"actor_id": into_id})))
        for p in self.store.list(Proposal):
            if p.proposer == from_id:
                changes.append(_change(Proposal, p.id, p,
                                       p.model_copy(update={"proposer": into_id})))
        changes.append(_change(Actor, gone.id, gone, None))
        moved = sum(1 for c in changes if c.table == "statements")
        return self._apply(changes, "merge actors",
                           f"Merged {gone.name} into {kept.name} ({moved} quotes moved)")

    # -- proposals -------------------------------------------------------------
    def new_proposal_id(self, title: str) -> str:
        return unique_id(title, self.store.ids(Proposal))

    def save_proposal(self, data: dict[str, Any], new_actor: Actor | None = None,
                      base: Proposal | None = None) -> tuple[Proposal, ChangeRecord]:
        """Create (no 'id', or an unused one) or replace a proposal from form data.

        `data` holds the Proposal's fields; 'date' may be a string as typed
        ('YYYY-MM-DD', 'YYYY-MM' or ''), terms dicts or Terms. `new_actor`
        (its proposer, typed in by hand) is created in the same change.
        `base` is the version the editor was opened on: if the stored one
        differs by now, saving is refused (ConflictError), nothing written.
        """
        data = dict(data)
        if isinstance(data.get("date"), str) or data.get("date") is None:
            data["date"], data["date_precision"] = parse_date(data.get("date") or "")
        data["terms"] = [t.model_dump() if isinstance(t, Term) else t
                         for t in data.get("terms", [])]
        if not data.get("id"):
            data["id"] = self.new_proposal_id(str(data.get("title") or "proposal"))
        new = _build(Proposal, data, f"proposal {data['id']}")
        self._check_spans(new)
        old = base if base is not None and base.id == new.id else self.store.find(Proposal,
                                                                                  new.id)
        verb = "Created" if old is None else "Edited"
        changes = [_change(Proposal, new.id, old, new)]
        if new_actor is not None:
            changes.insert(0, _change(Actor, new_actor.id, None, new_actor))
        record = self._apply(changes,
                             "create proposal" if old is None else "edit proposal",
                             f"{verb} the proposal {new.title} ({len(new.terms)} terms)")
        return new, record

    def _check_spans(self, proposal: Proposal) -> None:
        """A term with a span must stand verbatim there, as `peace-tui check` verifies."""
        for i, term in enumerate(proposal.terms, 1):
            if term.span is None or term.source_id is None:
                continue
            src = self.store.find(Source, term.source_id)
            if src is not None and src.text[term.span[0]:term.span[1]] != term.text:
                raise InvalidData(f"proposal {proposal.id}: term {i}'s text is not at "
                                  f"{term.span[0]}..{term.span[1]} of {src.id}")

    def import_proposals(self, hands: list[HandProposal],
                         ) -> tuple[list[Proposal], list[Proposal], ChangeRecord | None]:
        """Save hand-written proposals in one recorded change: (added, already there, record).

        All of them are checked before anything is written. A proposal whose
        id (from its title, unless given) is stored with the same content is
        skipped; with other content it is a ConflictError, as for an exchange
        import: an import never overwrites. A new proposer named by two
        proposals is created once.
        """
        actors = self.store.list(Actor)
        added: list[Proposal] = []
        present: list[Proposal] = []
        changes: list[DocChange] = []
        seen: set[str] = set()
        for hand in hands:
            data, new_actor = hand.resolve(actors)
            if new_actor is not None:
                actors.append(new_actor)
                changes.append(_change(Actor, new_actor.id, None, new_actor))
            # The id follows the title (not made unique), so importing a file again is noticed.
            data["id"] = data.get("id") or slugify(data["title"])
            if data["id"] in seen:
                raise InvalidData(f"two proposals have the id {data['id']!r} (give one an `id:`)")
            seen.add(data["id"])
            date, precision = parse_date(data.get("date") or "")
            proposal = _build(Proposal, {**data, "date": date, "date_precision": precision},
                              f"proposal {data['id']}")
            self._check_spans(proposal)
            old = self.store.find(Proposal, proposal.id)
            if old is not None:
                if old != proposal:
                    raise ConflictError(f"a different proposal with id {old.id!r} exists "
                                        "already (give this one another `id:`)")
                present.append(old)
                continue
            added.append(proposal)
            changes.append(_change(Proposal, proposal.id, None, proposal))
        if not added:
            return added, present, None
        what = (f"the proposal {added[0].title} ({len(added[0].terms)} terms)" if len(added) == 1
                else f"{len(added)} proposals: " + "; ".join(p.title for p in added))
        record = self._apply(changes, "import proposals", f"Imported {what}")
        return added, present, record

    def delete_proposal(self, proposal_id: str) -> ChangeRecord:
        old = self.store.get(Proposal, proposal_id)
        return self._apply([_change(Proposal, old.id, old, None)], "delete proposal",
                           f"Deleted the proposal {old.title}")

    # -- history and undo --------------------------------------------------------
    def undoable(self) -> ChangeRecord | None:
        """The most recent change that is not an undo and has not been undone."""
        history = self.store.history()
        undone = {r.undoes for r in history if r.undoes}
        return next((r for r in reversed(history) if not r.undoes and r.id not in undone), None)

    def undo(self, record_id: str | None = None) -> ChangeRecord:
        """Undo the last change (or a given one), as a recorded change of its own.

        Refused (ConflictError, nothing written) when an object it touched was
        changed since, so an undo never throws away someone's later edit.
        """
        if record_id is None:
            record = self.undoable()
            if record is None:
                raise NotFound("nothing to undo")
        else:
            history = self.store.history()
            record = next((r for r in history if r.id == record_id), None)
            if record is None:
                raise NotFound(f"no change {record_id!r} in the history")
            if any(r.undoes == record_id for r in history):
                raise InvalidData(f"change {record_id} has been undone already")
        return self._apply(undo_changes(record), "undo", f"Undid: {record.summary}",
                           undoes=record.id)


def _short(text: str, width: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _dedupe(names: list[str], exclude: str) -> list[str]:
    seen = {exclude.casefold()}
    out = []
    for name in names:
        if name.casefold() not in seen:
            seen.add(name.casefold())
            out.append(name)
    return out
