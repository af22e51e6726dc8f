"""Stored documents and model objects, one into the other.

A TinyDB document is an object's fields without its id (the id is the
document's key). Reading checks every document with its pydantic model: a
document that fails is a corrupt file (`DatabaseCorrupt`), while a new one
from an edit that fails is the user's input (`InvalidData`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from functools import partial
from hashlib import blake2b as _blake2b
from itertools import islice
from typing import TypeVar

import numpy as np
import orjson
from pydantic import BaseModel, ValidationError

from .errors import DatabaseCorrupt, InvalidData
from .issue_codes import is_known_code
from .models import (
    _ID,
    Actor,
    DatePrecision,
    Proposal,
    Source,
    Statement,
    StatementKind,
    clean_text,
    content_hash,
    format_validation_error,
)

__all__ = ["KIND", "MODELS", "fingerprint", "fingerprints", "from_doc", "from_doc_checked",
           "objects_of", "source_as_stored", "source_checked", "statement_as_stored",
           "statement_checked", "statement_trusted", "to_doc"]

M = TypeVar("M", Actor, Source, Statement, Proposal)

#: model class -> what a message calls one
KIND = {Actor: "actor", Source: "source", Statement: "statement", Proposal: "proposal"}
#: model class -> table name, in dependency order (referenced before referencing)
MODELS: dict[type[BaseModel], str] = {
    Actor: "actors",
    Source: "sources",
    Statement: "statements",
    Proposal: "proposals",
}


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


_PRECISIONS = {p.value: p for p in DatePrecision}
_KINDS = {k.value: k for k in StatementKind}


def _clean(text: object) -> bool:
    """Whether a text is a str that `clean_text` leaves as it is. isprintable is the
    quick yes (no control character; in quotes almost never a newline); an ASCII text
    is checked bytewise (an article, with newlines: 4x quicker than the regex)."""
    if type(text) is not str:
        return False
    if text.isprintable():
        return True
    if text.isascii():
        return len(text.encode().translate(None, _ASCII_CONTROLS)) == len(text)
    # A lone surrogate (never in a file orjson parsed) is pydantic's to refuse.
    return clean_text(text) is text and _SURROGATE.search(text) is None


_SURROGATE = re.compile("[\ud800-\udfff]")
# What `models._CONTROL` matches in ASCII: C0 but tab and newline, and DEL.
_ASCII_CONTROLS = bytes([*range(0x09), *range(0x0B, 0x20), 0x7F])


def statement_as_stored(doc_id: str, doc: dict, odd: list[str] | None = None) -> Statement:
    """A statement from a file already checked (a snapshot of it says so), made without
    checking it again: 2 µs instead of 6.5.

    Equal to `from_doc`'s object for every document that passes `from_doc`, as
    long as the document is in the form this program writes: all fields
    present, a span of two ints, a date as YYYY-MM-DD, clean texts. A document
    in any other form (written by hand, an older version) is checked as usual:
    pydantic might have converted something in it; its id goes in `odd`.
    """
    fields = _in_form(doc_id, doc)
    return _odd(odd, doc_id, doc) if fields is None else _made(Statement, fields)


def _in_form(doc_id: str, doc: dict) -> dict | None:
    """A statement's fields, if its document is in the form this program writes (see
    `statement_as_stored`): its texts then are clean strs, its span two ints,
    its date a 10-character str or None. Else None."""
    try:
        fields = _statement_fields(doc_id, doc)
    except (KeyError, TypeError, IndexError, ValueError):
        return None
    span, said_on, text, context = doc["span"], doc["said_on"], doc["text"], doc["context"]
    if (len(doc) != 9 or type(span) is not list or len(span) != 2 or type(span[0]) is not int
            or type(span[1]) is not int or not (said_on is None or len(said_on) == 10)
            or type(doc["issues"]) is not list or not _clean(text)
            or not (context == "" or _clean(context))):
        return None
    return fields


def statement_trusted(doc_id: str, doc: dict) -> Statement:
    """`statement_as_stored` without its tests of the document's form: for a file whose
    every statement passed them when it was last read (its snapshot says so, and
    the file is the same to the byte). 1 µs less a quote (1 s at 1,000,000)."""
    return _made(Statement, _statement_fields(doc_id, doc))


def _statement_fields(doc_id: str, doc: dict) -> dict:
    span, said_on = doc["span"], doc["said_on"]
    return {"id": doc_id, "actor_id": doc["actor_id"], "text": doc["text"],
            "source_id": doc["source_id"], "span": (span[0], span[1]),
            "said_on": None if said_on is None else _DATES[said_on],
            "said_on_precision": _PRECISIONS[doc["said_on_precision"]],
            "context": doc["context"], "issues": list(doc["issues"]), "kind": _KINDS[doc["kind"]]}


def _odd(odd: list[str] | None, doc_id: str, doc: dict) -> Statement:
    """A statement in another form than this program writes: checked by pydantic."""
    if odd is not None:
        odd.append(doc_id)
    return from_doc(Statement, doc_id, doc)


def statement_checked(doc_id: str, doc: dict, odd: list[str] | None = None) -> Statement:
    """`from_doc` for a statement, 1.6x quicker for one in the form this program writes
    (0.65 -> 0.4 s per 100,000): its fields as stored, checked here for what the
    model's validators check (ids, a text that is not blank, the span, the
    date and its precision, known issue codes, lengths). Anything else, or
    any doubt, is checked by pydantic as before: its object, or its error, is
    the answer.

    At 1,000,000 quotes checking every statement with pydantic is 8.5 s of a
    first opening: its validators are Python functions, called per field."""
    fields = _in_form(doc_id, doc)
    try:
        ok = fields is not None and _valid(fields, doc["said_on"])
    except TypeError:  # an unhashable issue code, say
        ok = False
    return _made(Statement, fields) if ok else _odd(odd, doc_id, doc)  # type: ignore[arg-type]


def _valid(f: dict, said_on: str | None) -> bool:
    """The model's rules, for fields `_in_form` found (their types are as they must be)."""
    text, context, span, issues = f["text"], f["context"], f["span"], f["issues"]
    actor, source, ids, codes = f["actor_id"], f["source_id"], _GOOD_IDS, _GOOD_CODES
    return (_good_id(f["id"]) and (actor in ids or ids.learn(actor))
            and (source in ids or ids.learn(source))
            and len(text) <= _MAX_STR and bool(text.strip()) and len(context) <= _MAX_STR
            and 0 <= span[0] < span[1]
            and (said_on is None or said_on in _GOOD_DATES or _GOOD_DATES.learn(said_on))
            and (f["said_on"] is None) is (f["said_on_precision"] is DatePrecision.unknown)
            and (codes.issuperset(issues) or all(c in codes or codes.learn(c) for c in issues)))


_MAX_STR = 5_000_000  # models._Model's str_max_length


class _Passing(set):
    """Values found to pass a test, remembered (ids, dates and codes repeat a lot):
    `value in passing or passing.learn(value)`."""

    def __init__(self, test: Callable[[str], bool]) -> None:
        super().__init__()
        self._test = test

    def learn(self, value: object) -> bool:
        """Whether a value not among these passes (then it is added)."""
        if type(value) is not str or not self._test(value):
            return False
        if len(self) > 100_000:
            self.clear()
        self.add(value)
        return True


def _good_id(value: object) -> bool:
    return type(value) is str and _ID.match(value) is not None


_GOOD_IDS = _Passing(_good_id)
_GOOD_DATES = _Passing(lambda d: _ISO_DATE.fullmatch(d) is not None)  # as pydantic reads one
_GOOD_CODES = _Passing(is_known_code)
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


class _Dates(dict):
    """'YYYY-MM-DD' -> its date, each made once: a million quotes share a few thousand
    dates (and 32 MB fewer objects)."""

    def __missing__(self, text: str) -> dt.date:
        if len(self) > 100_000:
            self.clear()
        found = self[text] = dt.date.fromisoformat(text)
        return found


_DATES = _Dates()


def source_as_stored(doc_id: str, doc: dict) -> Source:
    """`statement_as_stored` for a source: its text is not hashed again (2 µs a kilobyte)."""
    fields = _source_in_form(doc_id, doc)
    return from_doc(Source, doc_id, doc) if fields is None else _made(Source, fields)


def source_checked(doc_id: str, doc: dict) -> Source:
    """`from_doc` for a source, quicker for one in the form this program writes: the
    model's rules checked here (an id, a title that is not blank, lengths, an
    ISO date, the text's hash), the text's controls looked for bytewise when
    it is ASCII (`_clean`). Anything else is pydantic's to answer, as before.

    At 1,000,000 quotes (125,000 articles, 280 MB of text) pydantic's check
    of the sources took 1.7 s of a first opening."""
    fields = _source_in_form(doc_id, doc)
    if fields is None or not _source_valid(fields, doc["published"]):
        return from_doc(Source, doc_id, doc)
    return _made(Source, fields)


def _source_in_form(doc_id: str, doc: dict) -> dict | None:
    """A source's fields, if its document is in the form this program writes (every
    field, clean texts, a date as 10 characters or None); else None."""
    try:
        title, outlet, url, published, text = (
            doc["title"], doc["outlet"], doc["url"], doc["published"], doc["text"])
        fields = {"id": doc_id, "title": title, "outlet": outlet, "url": url,
                  "published": None if published is None else _DATES[published],
                  "text": text, "content_hash": doc["content_hash"]}
    except (KeyError, TypeError, ValueError):
        return None
    if (len(doc) != 6 or not (published is None or len(published) == 10)
            or type(fields["content_hash"]) is not str or not _clean(title) or not _clean(text)
            or not (outlet is None or _clean(outlet)) or not (url is None or _clean(url))):
        return None
    return fields


def _source_valid(f: dict, published: str | None) -> bool:
    """The Source model's rules, for fields `_source_in_form` found."""
    title, text, digest = f["title"], f["text"], f["content_hash"]
    return (_good_id(f["id"]) and bool(title.strip())
            and all(v is None or len(v) <= _MAX_STR for v in (title, text, digest, f["outlet"],
                                                               f["url"]))
            and (published is None or published in _GOOD_DATES
                 or _GOOD_DATES.learn(published))
            and not (text and digest and digest != content_hash(text)))


def _made(model: type[M], fields: dict) -> M:
    """What pydantic's model_construct makes, without its Python loop over the fields."""
    obj = _new(model)
    _set(obj, "__dict__", fields)
    _set(obj, "__pydantic_fields_set__", _EVERY_FIELD[model])
    _set(obj, "__pydantic_extra__", None)
    _set(obj, "__pydantic_private__", None)
    return obj


_new, _set = object.__new__, object.__setattr__
# Shared with `from_doc`'s objects, which were given every field too.
_EVERY_FIELD = {m: _FIELDS_SETS.setdefault(frozenset(m.model_fields), set(m.model_fields))
                for m in (Statement, Source)}
#: model -> how a document of a file known to be valid becomes its object
_AS_STORED = {Statement: statement_as_stored, Source: source_as_stored}
#: model -> how a document is checked, when quicker than `from_doc` (statements: above)
_CHECKED = {Source: source_checked}


def objects_of(tables: dict[str, dict[str, dict]], models: dict[type, str],
               progress: Callable[[int, int], None] | None = None,
               as_stored: bool = False,
               unchanged: dict[str, set[str]] | None = None,
               trusted: bool = False, odd: list[str] | None = None) -> dict[str, list]:
    """Every document of the tables of `models` (model -> table name) as its object,
    checked (`from_doc`), or as stored if the file is known to be valid.

    `unchanged` (table -> ids) names documents known to be valid: the same,
    to the byte, as in a file found valid before (`fingerprint`); they are
    taken as stored, the others checked. `trusted`: the file is known to be
    valid and its statements all in this program's form (`statement_trusted`).
    `odd` hears the ids of statements that were not in that form.
    `progress(done, total)` hears how many are made, every 2% or so: at
    1,000,000 quotes this takes seconds."""
    total = sum(len(tables.get(t, {})) for t in models.values())
    step, done = max(total // 50, 1000), 0
    lists: dict[str, list] = {}
    for model, table in models.items():
        items = iter(tables.get(table, {}).items())
        out = lists[table] = []
        same = (unchanged or {}).get(table)
        if model is Statement:  # these tell `odd` of a statement in another form
            stored, check = (partial(statement_as_stored, odd=odd),
                             partial(statement_checked, odd=odd))
        else:
            stored, check = _AS_STORED.get(model), _CHECKED.get(model, partial(from_doc, model))
        if model is Statement and trusted and as_stored:
            make = statement_trusted
        elif stored is not None and as_stored:
            make = stored
        elif stored is not None and same:
            make = partial(_stored_if, same, stored, check)
        else:
            make = check
        while chunk := list(islice(items, step)):
            out.extend(make(doc_id, doc) for doc_id, doc in chunk)
            done += len(chunk)
            if progress is not None:
                progress(done, total)
    return lists


def _stored_if(same: set[str], stored: Callable, check: Callable, doc_id: str, doc: dict):
    return (stored if doc_id in same else check)(doc_id, doc)


def fingerprint(doc: dict) -> int:
    """A document's identity as stored (64 bits of BLAKE2b of its JSON): 1 µs."""
    return int.from_bytes(_blake2b(orjson.dumps(doc), digest_size=8).digest(), "little")


def fingerprints(table: dict[str, dict]) -> tuple[list[str], np.ndarray]:
    """A table's ids, in its order, and each document's `fingerprint`."""
    ids = list(table)
    return ids, np.fromiter(map(fingerprint, table.values()), dtype=np.uint64, count=len(ids))
