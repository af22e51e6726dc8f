"""Store: the only code that talks to TinyDB.

Each model has its own table, keyed by the model's own string id (TinyDB's
doc_id), so a lookup by id is a dict access and an id can never be reused by
accident. Every write runs under the storage's lock, re-reads the file if
another process changed it, validates, and is written atomically. Writes
that touch several tables (an import, an ingest) are one file write: all or
nothing.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

import numpy as np
from pydantic import BaseModel, ValidationError
from tinydb import TinyDB
from tinydb.table import Table

from . import migrations
from .collector import paused
from .docs import KIND, MODELS, fingerprints, from_doc, from_doc_checked, objects_of, to_doc
from .errors import (
    ConflictError,
    DatabaseCorrupt,
    DatabaseMissing,
    DatabaseTooNew,
    DatabaseUnreadable,
    InvalidData,
    NotFound,
    StoreError,
)
from .history import (
    HISTORY_TABLE,
    ChangeRecord,
    DocChange,
    apply_changes,
    current_user,
    next_record_id,
)
from .integrity import check_references, check_unique, referrers
from .models import Actor, Proposal, Source, Statement, format_validation_error
from .storage import AtomicJSONStorage, LockedMemoryStorage

__all__ = ["MODELS", "SCHEMA_VERSION", "Bundle", "Store", "to_doc"]

SCHEMA_VERSION = migrations.SCHEMA_VERSION
META_TABLE = "meta"
META_ID = "schema"

M = TypeVar("M", Actor, Source, Statement, Proposal)



class _StrIdTable(Table):
    """A table whose document ids are our own string ids, never TinyDB's counter."""

    document_id_class = str  # type: ignore[assignment]

    def _get_next_id(self) -> Any:  # pragma: no cover - a programming error if reached
        raise RuntimeError("peace-tui documents always carry their own id")


class _TinyDB(TinyDB):
    table_class = _StrIdTable
    default_table_name = META_TABLE


class Bundle(BaseModel):
    """A set of objects written together (an import, an ingested article)."""

    actors: list[Actor] = []
    sources: list[Source] = []
    statements: list[Statement] = []
    proposals: list[Proposal] = []

    def of(self, model: type[M]) -> list[M]:
        return getattr(self, MODELS[model])

    def count(self) -> int:
        return sum(len(self.of(m)) for m in MODELS)


class Reading(NamedTuple):
    """What `Store.reading` read."""

    bundle: Bundle
    digest: str | None  # of the file's bytes; None in memory
    unchanged: dict[str, set[str]]  # table -> ids of the documents as `known` says
    fingerprints: dict[str, tuple[list[str], np.ndarray]]  # table -> ids, fingerprints
    #: every statement in the form this program writes (`docs.statement_as_stored`)
    canonical: bool = False


class Store:
    """Typed access to a peace-tui database (a TinyDB file or memory)."""

    def __init__(self, db: TinyDB, path: Path | None = None) -> None:
        self._db = db
        self.path = path

    # -- opening -------------------------------------------------------
    @classmethod
    def open(cls, path: str | os.PathLike[str], *, create: bool = False) -> Store:
        """Open a database file; refuse a missing (unless create), corrupt or newer one."""
        path = Path(path)
        db = _TinyDB(path, storage=AtomicJSONStorage)
        store = cls(db, path)
        storage: AtomicJSONStorage = db.storage  # type: ignore[assignment]
        data = storage.read()
        if data is None and not create:
            raise DatabaseMissing(f"no database at {path}")
        store._check_schema(data, create)
        return store

    @classmethod
    def memory(cls) -> Store:
        store = cls(_TinyDB(storage=LockedMemoryStorage))
        store._check_schema(None, create=True)
        return store

    def _check_schema(self, data: dict | None, create: bool) -> None:
        meta = (data or {}).get(META_TABLE, {}).get(META_ID)
        if meta is None:
            if any((data or {}).get(t) for t in MODELS.values()):
                raise DatabaseCorrupt(
                    f"{self._where()} has no schema_version: not a peace-tui database"
                )
            if create:
                with self._locked():
                    self._mutate(lambda tables: None)  # writes the schema_version
            return
        version = meta.get("schema_version")
        if not isinstance(version, int) or version < 1:
            raise DatabaseCorrupt(f"{self._where()} has an invalid schema_version {version!r}")
        if version > SCHEMA_VERSION:
            raise DatabaseTooNew(
                f"{self._where()} was written by a newer peace-tui (schema {version}, this one "
                f"reads up to {SCHEMA_VERSION}); upgrade peace-tui. The file was left untouched"
            )
        if version < SCHEMA_VERSION:
            self._migrate(version)

    def _migrate(self, version: int) -> None:
        """Upgrade an older file in place, after keeping a copy of it beside it."""
        with self._locked():
            if self.path is not None:
                backup = self.path.with_name(f"{self.path.name}.v{version}.bak")
                migrations.keep_backup(self.path, backup)
            self._mutate(lambda tables: migrations.migrate(tables, version))

    def _where(self) -> str:
        return str(self.path) if self.path else "the in-memory database"

    # -- locking and raw writes ------------------------------------------
    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        with self._db.storage.lock:  # type: ignore[attr-defined]
            yield

    def _tables(self) -> dict[str, dict[str, dict]]:
        data = self._db.storage.read()
        if data is None and self.path is not None and self.path.exists():
            # Never taken for an empty database: a write would replace the file with {}.
            raise DatabaseUnreadable(f"cannot read {self.path}: it changed while being read")
        return data or {}

    def _mutate(self, change: Callable[[dict[str, dict[str, dict]]], None]) -> None:
        """Read, change and write the whole file once: all the change, or none of it."""
        tables = self._tables()
        change(tables)
        # Every file this program writes says which schema it follows.
        tables.setdefault(META_TABLE, {}).setdefault(META_ID, {"schema_version": SCHEMA_VERSION})
        self._db.storage.write(tables)
        for name in tables:
            self._db.table(name).clear_cache()

    def release_memory(self) -> None:
        """Forget the parsed file until it is next needed (a write parses it again).

        The explorer keeps every object it shows; at 100,000 quotes the parsed
        file beside them is another 150 MB.
        """
        forget = getattr(self._db.storage, "forget_cache", None)
        if forget is not None:
            forget()

    def digest(self) -> str | None:
        """The digest of the file's bytes as read now (what `store.snapshot` is keyed
        on); None for an in-memory store."""
        found = getattr(self._db.storage, "digest", None)
        return None if found is None else found()

    def last_write(self) -> tuple[Any, Any] | None:
        """(the file's version written over, the version written) of this handle's last
        write; None if it wrote none (or is in memory). See `adopt_write`."""
        return getattr(self._db.storage, "last_write", None)

    def adopt_write(self, shown: Any, written: tuple[Any, Any] | None) -> bool:
        """Take another handle's write (its `last_write`) as this one's: True if it wrote
        over the version `shown` (a `version` of this handle: what the caller read
        and still shows) and the file is still the version it wrote; then the file
        is not read again for it."""
        adopt = getattr(self._db.storage, "adopt_write", None)
        return written is not None and adopt is not None and adopt(shown, *written)

    def version(self) -> Any:
        """The version of the file (device, inode, size, mtime) this handle last read or
        wrote; None in memory. See `adopt_write`."""
        return getattr(self._db.storage, "version", None)

    def changed_on_disk(self) -> bool:
        """True when another process has written the file since this one read it."""
        return self._db.storage.changed_on_disk()  # type: ignore[attr-defined]

    # -- reading -------------------------------------------------------
    @property
    def schema_version(self) -> int:
        return self._tables().get(META_TABLE, {}).get(META_ID, {}).get("schema_version", 0)

    def _table(self, model: type[BaseModel]) -> Table:
        return self._db.table(MODELS[model], cache_size=0)

    def get(self, model: type[M], id: str) -> M:
        found = self.find(model, id)
        if found is None:
            raise NotFound(f"no {KIND[model]} with id {id!r}")
        return found

    def find(self, model: type[M], id: str) -> M | None:
        doc = self._table(model).get(doc_id=id)
        return None if doc is None else from_doc(model, id, doc)

    def list(self, model: type[M]) -> list[M]:
        # From the parsed file directly: TinyDB's all() copies every document
        # first (a quarter of the time to read 100,000 statements).
        docs = self._tables().get(MODELS[model], {})
        return [from_doc(model, doc_id, doc) for doc_id, doc in docs.items()]

    def count(self, model: type[M]) -> int:
        return len(self._tables().get(MODELS[model], {}))

    def ids(self, model: type[M]) -> set[str]:
        return set(self._tables().get(MODELS[model], {}))

    # -- writing -------------------------------------------------------
    def add(self, obj: BaseModel) -> None:
        """Add one object; an id already taken is a ConflictError."""
        self.add_bundle(Bundle(**{MODELS[type(obj)]: [obj]}), on_conflict="error")

    def update(self, obj: BaseModel) -> None:
        """Replace an existing object (same id) with a new version."""
        model, table = type(obj), MODELS[type(obj)]
        with self._locked():
            if obj.id not in self._tables().get(table, {}):  # type: ignore[attr-defined]
                raise NotFound(f"no {KIND[model]} with id {obj.id!r}")  # type: ignore[attr-defined]
            check_references(Bundle(**{table: [obj]}), self._tables())
            doc = to_doc(obj)

            def change(tables: dict) -> None:
                tables[table][obj.id] = doc  # type: ignore[attr-defined]

            self._mutate(change)

    def delete(self, model: type[M], id: str) -> None:
        """Delete an object; refuse when others still refer to it."""
        table = MODELS[model]
        with self._locked():
            tables = self._tables()
            if id not in tables.get(table, {}):
                raise NotFound(f"no {KIND[model]} with id {id!r}")
            users = referrers(tables, model, id)
            if users:
                raise InvalidData(
                    f"{KIND[model]} {id!r} is still referred to by {users[0]}"
                    + (f" and {len(users) - 1} more" if len(users) > 1 else "")
                )
            self._mutate(lambda t: t[table].pop(id))

    def add_bundle(self, bundle: Bundle, *, on_conflict: str = "skip") -> Bundle:
        """Add every object of a bundle in one write; return what was new.

        An object whose id exists with identical content is skipped. One whose
        id exists with different content raises ConflictError (on_conflict
        'error' raises for identical ones too). Nothing is written unless all
        of it is valid.
        """
        with self._locked():
            tables = self._tables()
            fresh: dict[str, list] = {}
            for model, table in MODELS.items():
                existing = tables.get(table, {})
                fresh[table] = []
                for obj in bundle.of(model):
                    old = existing.get(obj.id)
                    if old is not None:
                        if on_conflict == "error" or old != to_doc(obj):
                            what = "an" if on_conflict == "error" else "a different"
                            raise ConflictError(
                                f"{what} {KIND[model]} with id {obj.id!r} exists already"
                            )
                        continue
                    fresh[table].append(obj)
            added = Bundle(**fresh)
            check_unique(added)
            check_references(added, tables)
            if added.count():
                self._write(added)
            return added

    def add_article(self, bundle: Bundle) -> Bundle | None:
        """Add one ingested article; None if its text is stored already."""
        return self.add_articles([bundle])[0]

    def add_articles(self, bundles: list[Bundle]) -> list[Bundle | None]:
        """Add ingested articles in one write; None for each whose text is stored already.

        Checked under the lock, so two processes ingesting the same article
        store it once. Actors that exist already are merged (aliases added,
        a missing role or affiliation filled in), never replaced. All of it
        is validated before anything is written.
        """
        with self._locked():
            tables = self._tables()
            hashes = {d.get("content_hash") for d in tables.get("sources", {}).values()}
            actors: dict[str, Actor] = {}
            results: list[Bundle | None] = []
            merged = Bundle()
            for bundle in bundles:
                if any(s.content_hash in hashes for s in bundle.sources):
                    results.append(None)
                    continue
                hashes.update(s.content_hash for s in bundle.sources)
                fresh_actors = []
                for actor in bundle.actors:
                    old = actors.get(actor.id)
                    if old is None and actor.id in tables.get("actors", {}):
                        old = from_doc(Actor, actor.id, tables["actors"][actor.id])
                    if old is not None:
                        actor = _merge_actor(old, actor)
                        if actor == old:
                            continue
                    actors[actor.id] = actor
                    fresh_actors.append(actor)
                fresh = Bundle(actors=fresh_actors, sources=bundle.sources,
                               statements=bundle.statements, proposals=bundle.proposals)
                results.append(fresh)
                for model in MODELS:
                    merged.of(model).extend(fresh.of(model))
            merged.actors = list(actors.values())
            check_unique(merged)
            check_references(merged, tables)
            if merged.count():
                self._write(merged)
            return results

    # -- recorded changes (hand edits, undo) ------------------------------------
    def apply(self, changes: list[DocChange], *, action: str, summary: str,
              undoes: str | None = None, user: str | None = None) -> ChangeRecord:
        """Apply hand edits and record them, in one atomic write; return the record.

        Each change says what the object was (`before`) and what it becomes
        (`after`). Under the lock, every object must still be as `before`
        says (else ConflictError: someone changed it since), every new
        document must validate, and no reference may break; otherwise
        nothing is written.
        """
        by_table = {table: model for model, table in MODELS.items()}
        with self._locked():
            tables = self._tables()
            trial = {name: dict(docs) for name, docs in tables.items()}

            def normalize(table: str, id: str, doc: dict) -> dict:
                model = by_table.get(table)
                return doc if model is None else to_doc(from_doc(model, id, doc))

            apply_changes(trial, changes, normalize)
            fresh: dict[str, list] = {t: [] for t in MODELS.values()}
            for change in changes:
                model = by_table.get(change.table)
                if model is None:
                    raise InvalidData(f"unknown table {change.table!r}")
                if change.after is not None:
                    fresh[change.table].append(from_doc_checked(model, change.id, change.after))
                elif users := referrers(trial, model, change.id):
                    raise InvalidData(f"{KIND[model]} {change.id!r} is still referred to by "
                                      f"{users[0]}")
            check_references(Bundle(**fresh), trial)
            record = ChangeRecord(
                id=next_record_id(tables), at=dt.datetime.now(dt.UTC).replace(microsecond=0),
                user=user or current_user(), action=action, summary=summary,
                changes=changes, undoes=undoes)

            def change(tables: dict) -> None:
                apply_changes(tables, changes, normalize)
                tables.setdefault(HISTORY_TABLE, {})[record.id] = record.doc()

            self._mutate(change)
            return record

    def history(self) -> list[ChangeRecord]:
        """Every recorded change, oldest first."""
        docs = self._tables().get(HISTORY_TABLE, {})
        try:
            return [ChangeRecord.model_validate({**docs[k], "id": k}) for k in sorted(docs)]
        except ValidationError as e:
            raise DatabaseCorrupt(format_validation_error(
                e, f"{self._where()}: a change record in the history is invalid")) from None

    def _write(self, bundle: Bundle) -> None:
        """Put every object of a (checked) bundle in its table, in one file write."""

        def change(tables: dict) -> None:
            for model, table in MODELS.items():
                target = tables.setdefault(table, {})
                for obj in bundle.of(model):
                    target[obj.id] = to_doc(obj)

        self._mutate(change)

    # -- convenience -----------------------------------------------------
    def bundle(self, progress: Callable[[int, int], None] | None = None) -> Bundle:
        """Everything in the database (for export, and the explorer's reading).

        `progress(done, total)` hears how many documents are read and checked,
        every 2% or so: at 1,000,000 quotes this takes seconds.
        """
        return self.reading(progress)[0]

    def reading(self, progress: Callable[[int, int], None] | None = None,
                checked: str | None = None, known: dict[str, dict[str, int]] | None = None,
                canonical: bool = False) -> Reading:
        """`bundle`, with the digest of the file it was read from (None in memory) and,
        when `known` is given, its documents' fingerprints and which are as known.

        What a snapshot (`store.snapshot`) says saves checking documents again:
        `checked` is the digest of a file known to be valid: if the file read is
        that one, every statement and source is taken as stored, not checked
        again (`docs.statement_as_stored`: 8.5 s -> 2.3 s at 1,000,000 quotes).
        `known` (table -> id -> `docs.fingerprint`) are the documents of an
        earlier version of the file, then valid: those still the same are
        taken as stored, the others checked. `canonical`: the file known to be
        valid (`checked`) had every statement in this program's form, so they
        are made without testing their form (`docs.statement_trusted`).
        """
        tables = self._tables()
        digest = self._digest_of(tables)
        prints = {t: fingerprints(tables.get(t, {})) for t in known or ()}
        unchanged = {t: {i for i, fp in zip(ids, fps.tolist(), strict=True)
                         if known[t].get(i) == fp}  # type: ignore[index]
                     for t, (ids, fps) in prints.items()}
        same = checked is not None and digest == checked
        odd: list[str] = []
        # A million objects and no cycles: the collector, left on, walked the growing heap
        # again and again (a command reading 1,000,000 quotes: 15.6 s here, 6 s paused).
        with paused():
            lists = objects_of(tables, MODELS, progress, unchanged=unchanged, as_stored=same,
                               trusted=same and canonical, odd=odd)
        # Each object was checked as it was read; Bundle(...) would run every model's
        # after-validators again (pydantic does, for instances): 0.06 s per 100,000 quotes.
        return Reading(Bundle.model_construct(**lists), digest, unchanged, prints,
                       canonical=(same and canonical) or not odd)

    def fingerprints(self, digest: str, tables: Iterable[str], locked: bool = True,
                     ) -> dict[str, tuple[list[str], np.ndarray]] | None:
        """The tables' ids and documents' fingerprints (`docs.fingerprints`), if the
        file as read now is still the one with this digest; else None.

        Under the write lock: the explorer asks once its corpus is shown, when a
        write of its own (an ingest) could otherwise be changing the parsed
        tables while they are read; a write that came first leaves a digest
        that does not match. `locked=False` for a process that writes nothing
        (a command that reads): it neither waits for another's write nor
        makes the lock's file."""
        with self._locked() if locked else contextlib.nullcontext():
            held = getattr(self._db.storage, "held", None)
            # Not the file parsed again: a changed file's reading would not be the one
            # with this digest anyway (and would hold the lock for seconds).
            data = held() if held is not None else self._tables()
            if data is None or self._digest_of(data) != digest:
                return None
            return {t: fingerprints(data.get(t, {})) for t in tables}

    def _digest_of(self, tables: dict) -> str | None:
        """The digest of the file `tables` were parsed from, if they are the reading
        held now (`AtomicJSONStorage.digest_of`); None in memory."""
        digest_of = getattr(self._db.storage, "digest_of", None)
        return None if digest_of is None else digest_of(tables)

    def add_all(self, objs: Iterable[BaseModel]) -> Bundle:
        fresh: dict[str, list] = {t: [] for t in MODELS.values()}
        for obj in objs:
            fresh[MODELS[type(obj)]].append(obj)
        return self.add_bundle(Bundle(**fresh))

    def close(self) -> None:
        with contextlib.suppress(StoreError):
            self._db.close()


def _merge_actor(old: Actor, new: Actor) -> Actor:
    """The stored actor, with the new one's spellings and any field it lacked."""
    known = {old.name.casefold(), *(a.casefold() for a in old.aliases)}
    aliases = list(old.aliases)
    for spelling in (new.name, *new.aliases):
        if spelling.casefold() not in known:
            aliases.append(spelling)
            known.add(spelling.casefold())
    return old.model_copy(update={"aliases": aliases, "role": old.role or new.role,
                                  "affiliation": old.affiliation or new.affiliation})
