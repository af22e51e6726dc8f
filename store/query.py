"""The search query language, parsed without ever raising.

    words            every word must occur (a word may be the start of one:
                     'sanc' finds 'sanctions', so results narrow as you type)
    "exact phrase"   the words in that order
    -word            leave out quotes that contain it
    speaker:NAME     the speaker's name, an alias or id contains NAME
                     (speaker:"Emmanuel Macron" for a name with a space)
    issue:CODE       tagged with that issue code (case-insensitive)
    after:YYYY-MM-DD on or after that day (said on, else published)
    before:YYYY-MM-DD strictly before that day

A query is typed one key at a time, so a half-typed query (an open quote, a
bad date, 'speaker:' alone) is never an error: what cannot be used is
reported in `Query.problems` and otherwise ignored.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field

__all__ = ["WORD", "Query", "fold", "parse_query", "tokenize"]

_TOKEN = re.compile(r"\"([^\"]*)\"?|([^\s\"]+)")
WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_FILTERS = ("speaker", "issue", "after", "before")
_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"',
                         "\u00ab": '"', "\u00bb": '"'})


def fold(text: str) -> str:
    """Case-, accent- and quote-mark-insensitive form used on both sides of a match."""
    text = unicodedata.normalize("NFKD", text.translate(_QUOTES).casefold())
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def tokenize(text: str) -> list[str]:
    """Folded words of a text: 'It’s' -> "it's"."""
    return WORD.findall(fold(text))


@dataclass(frozen=True)
class Query:
    words: tuple[str, ...] = ()
    phrases: tuple[str, ...] = ()
    excluded: tuple[str, ...] = ()
    speakers: tuple[str, ...] = ()
    issues: tuple[str, ...] = ()
    after: dt.date | None = None
    before: dt.date | None = None
    problems: tuple[str, ...] = field(default=(), compare=False)

    @property
    def is_empty(self) -> bool:
        return not (self.words or self.phrases or self.excluded or self.has_filters)

    @property
    def has_filters(self) -> bool:
        return bool(self.speakers or self.issues or self.after or self.before)


def _date(value: str, key: str, problems: list[str]) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        problems.append(f"{key}: wants a date YYYY-MM-DD, not {value[:20]!r}")
        return None


def parse_query(text: str) -> Query:
    """Parse a query string; never raises, whatever the input."""
    words: list[str] = []
    phrases: list[str] = []
    excluded: list[str] = []
    speakers: list[str] = []
    issues: list[str] = []
    after = before = None
    problems: list[str] = []
    pending_key: str | None = None  # 'speaker:' followed by a quoted value
    for m in _TOKEN.finditer(text):
        quoted, bare = m.group(1), m.group(2)
        if quoted is not None:
            value = " ".join(tokenize(quoted))
            if pending_key == "speaker":
                if value:
                    speakers.append(value)
            elif value:
                (phrases if " " in value else words).append(value)
            pending_key = None
            continue
        pending_key = None
        key, sep, value = bare.partition(":")
        key = key.casefold()
        if sep and key in _FILTERS:
            if not value:
                if key == "speaker" and text[m.end():m.end() + 1] == '"':
                    pending_key = "speaker"
                continue  # a filter still being typed
            if key == "speaker":
                speakers.append(" ".join(tokenize(value)) or fold(value))
            elif key == "issue":
                issues.append(value.casefold())
            elif key == "after":
                after = _date(value, key, problems) or after
            else:
                before = _date(value, key, problems) or before
            continue
        if bare.startswith("-") and len(bare) > 1:
            excluded.extend(tokenize(bare[1:]))
            continue
        words.extend(tokenize(bare))
    return Query(tuple(words), tuple(phrases), tuple(excluded), tuple(speakers),
                 tuple(issues), after, before, tuple(problems))
