"""The domain: actors, sources, statements, proposals and their terms.

Every model is a pydantic v2 model, so anything that reaches the store has
been validated with a readable message. Text that came from an article is
untrusted: every free-text field passes through `clean_text`, which removes
control characters (C0 except newline and tab, DEL, C1), so an escape
sequence can never be stored, let alone reach a terminal.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from enum import StrEnum
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, model_validator

from .ids import ID as _ID
from .issue_codes import is_known_code

__all__ = [
    "Actor",
    "ActorKind",
    "DatePrecision",
    "Proposal",
    "ProposalStatus",
    "Source",
    "Statement",
    "StatementKind",
    "Term",
    "clean_text",
    "content_hash",
    "format_validation_error",
    "slugify",
    "statement_id",
]

# C0 controls except \t (09) and \n (0A), DEL (7F), C1 controls (80-9F).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_SLUG_STRIP = re.compile(r"[^a-z0-9]+")


def clean_text(value: str) -> str:
    """Remove control characters; carriage returns become newlines.

    Almost every stored text is clean already: one search (a carriage return
    is in `_CONTROL` too) returns it as it is (two texts a quote, a million
    quotes in a large archive).
    """
    if _CONTROL.search(value) is None:
        return value
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", value)


def slugify(name: str) -> str:
    """A stable id from a display name: 'François Heisbourg' -> 'francois-heisbourg'."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = _SLUG_STRIP.sub("-", ascii_name.lower()).strip("-")
    return slug[:100] or "x"


def content_hash(text: str) -> str:
    """The identity of a source's cleaned text: a second ingest adds nothing."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def statement_id(source_id: str, start: int, end: int) -> str:
    """Deterministic, so re-ingesting or re-importing never duplicates a quote."""
    digest = hashlib.sha1(f"{source_id}:{start}:{end}".encode()).hexdigest()[:12]
    return f"st-{digest}"


def _check_id(value: str) -> str:
    if not _ID.match(value):
        raise ValueError(
            "must be lower-case letters, digits, '.', '_' or '-' (at most 128), "
            f"not {value[:40]!r}"
        )
    return value


def _check_issue(value: str) -> str:
    if not is_known_code(value):
        raise ValueError(f"unknown issue code {value[:40]!r}")
    return value


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be empty")
    return value


Id = Annotated[str, AfterValidator(_check_id)]
Text = Annotated[str, AfterValidator(clean_text)]
Name = Annotated[str, AfterValidator(clean_text), AfterValidator(_not_blank)]
IssueCode = Annotated[str, AfterValidator(_check_issue)]
Span = tuple[Annotated[int, Field(ge=0)], Annotated[int, Field(ge=0)]]


def _check_span(span: Span | None) -> None:
    if span is not None and span[0] >= span[1]:
        raise ValueError(f"span {span[0]}..{span[1]} is empty or reversed")


def _check_date(when: dt.date | None, precision: DatePrecision) -> None:
    if when is None and precision is not DatePrecision.unknown:
        raise ValueError(f"the date's precision is {precision.value!r} but the date is missing")
    if when is not None and precision is DatePrecision.unknown:
        raise ValueError("a date is set: its precision must be 'day' or 'month'")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_max_length=5_000_000)


class ActorKind(StrEnum):
    person = "person"
    state = "state"
    organisation = "organisation"
    institution = "institution"
    anonymous = "anonymous"


class DatePrecision(StrEnum):
    day = "day"
    month = "month"
    unknown = "unknown"


class StatementKind(StrEnum):
    quote = "quote"
    paraphrase = "paraphrase"


class ProposalStatus(StrEnum):
    proposed = "proposed"
    rejected = "rejected"
    accepted = "accepted"
    superseded = "superseded"


class Actor(_Model):
    """Someone who speaks or proposes: a person, a state, an institution."""

    id: Id
    name: Name
    kind: ActorKind = ActorKind.person
    aliases: list[Name] = Field(default_factory=list)
    role: Text | None = None
    affiliation: Text | None = None


class Source(_Model):
    """An article (or document) statements are taken from, as cleaned text."""

    id: Id
    title: Name
    outlet: Text | None = None
    url: Text | None = None
    published: dt.date | None = None
    text: Text = ""
    content_hash: str = ""

    @model_validator(mode="after")
    def _hash_matches(self) -> Source:
        if self.text and self.content_hash and self.content_hash != content_hash(self.text):
            raise ValueError("content_hash does not match the text")
        return self


class Statement(_Model):
    """A verbatim quote (or paraphrase) of one actor, checkable against its source."""

    id: Id
    actor_id: Id
    text: Name
    source_id: Id
    span: Span
    said_on: dt.date | None = None
    said_on_precision: DatePrecision = DatePrecision.unknown
    context: Text = ""
    issues: list[IssueCode] = Field(default_factory=list)
    kind: StatementKind = StatementKind.quote

    @model_validator(mode="after")
    def _consistent(self) -> Statement:
        _check_span(self.span)
        _check_date(self.said_on, self.said_on_precision)
        return self


class Term(_Model):
    """One term of a proposal: what it says on one issue."""

    issue: IssueCode
    text: Name
    source_id: Id | None = None
    span: Span | None = None

    @model_validator(mode="after")
    def _span_has_source(self) -> Term:
        _check_span(self.span)
        if self.span is not None and self.source_id is None:
            raise ValueError("a term with a span needs its source_id")
        return self


class Proposal(_Model):
    """A plan put forward by an actor, broken down term by term."""

    id: Id
    title: Name
    proposer: Id
    date: dt.date | None = None
    date_precision: DatePrecision = DatePrecision.unknown
    status: ProposalStatus = ProposalStatus.proposed
    source_ids: list[Id] = Field(default_factory=list)
    terms: list[Term] = Field(default_factory=list)

    @model_validator(mode="after")
    def _dated(self) -> Proposal:
        _check_date(self.date, self.date_precision)
        return self


def format_validation_error(error: ValidationError, what: str = "") -> str:
    """One readable line from a pydantic error: 'statement st-1: span: ...'."""
    parts = []
    for item in error.errors()[:3]:
        where = ".".join(str(p) for p in item["loc"]) or "value"
        msg = item["msg"].removeprefix("Value error, ")
        parts.append(f"{where}: {msg}")
    more = len(error.errors()) - 3
    text = "; ".join(parts) + (f" (and {more} more)" if more > 0 else "")
    return f"{what}: {text}" if what else text
