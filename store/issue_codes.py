"""The issue taxonomy: PA-X codes plus peace-tui's own, kept as data.

The table lives in `store/data/issue_codes.json` so it can be extended
without touching code; it is read once, on first use.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources

__all__ = ["IssueCode", "all_codes", "canonical", "is_known_code", "lookup", "section_of",
           "sections"]


@dataclass(frozen=True, slots=True)
class IssueCode:
    code: str
    name: str
    group: str
    section: str
    origin: str


@cache
def _table() -> tuple[tuple[str, ...], dict[str, IssueCode]]:
    raw = json.loads(resources.files("store").joinpath("data/issue_codes.json").read_text("utf-8"))
    codes = {c["code"]: IssueCode(**c) for c in raw["codes"]}
    return tuple(raw["sections"]), codes


def all_codes() -> list[IssueCode]:
    """Every known code, in codebook order."""
    return list(_table()[1].values())


def sections() -> tuple[str, ...]:
    """Diff sections in display order: ceasefire, security, territory, ..."""
    return _table()[0]


def is_known_code(code: str) -> bool:
    return code in _table()[1]


def canonical(code: str) -> str | None:
    """The code as the taxonomy spells it ('tjsan' -> 'TjSan'), None when unknown.

    People type codes by hand (in forms, in a hand-written proposal); the
    case of 'X-Alliance' or 'SsrGua' is not worth an error.
    """
    if code in _table()[1]:
        return code
    folded = code.casefold()
    return next((c for c in _table()[1] if c.casefold() == folded), None)


def lookup(code: str) -> IssueCode | None:
    return _table()[1].get(code)


def section_of(code: str) -> str:
    found = lookup(code)
    return found.section if found else "other"
