"""Aligning the terms of two proposals by issue, with a word-level diff.

Rows are keyed by issue code and ordered by section (ceasefire, security,
territory, economy, justice, other), then by the order the terms first
appear. A proposal with several terms on one issue shows them together.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from enum import StrEnum

from .issue_codes import lookup, section_of, sections
from .models import Proposal

__all__ = ["DiffRow", "RowStatus", "diff_proposals", "word_diff"]

_SPLIT = re.compile(r"\s+|[^\w\s]")
_TOKEN = re.compile(r"\w+|[^\w\s]|\s+")


class RowStatus(StrEnum):
    same = "same"
    changed = "changed"
    left_only = "only-left"
    right_only = "only-right"


Segment = tuple[str, bool]  # (text, changed)


@dataclass(frozen=True, slots=True)
class DiffRow:
    issue: str
    issue_name: str
    section: str
    left: str | None
    right: str | None
    status: RowStatus
    left_segments: tuple[Segment, ...]
    right_segments: tuple[Segment, ...]

    def as_json(self) -> dict:
        return {
            "issue": self.issue, "issue_name": self.issue_name, "section": self.section,
            "status": self.status.value, "left": self.left, "right": self.right,
            "left_changed": [t for t, c in self.left_segments if c],
            "right_changed": [t for t, c in self.right_segments if c],
        }


def _norm(text: str) -> str:
    return " ".join(text.casefold().split())


def word_diff(left: str, right: str) -> tuple[tuple[Segment, ...], tuple[Segment, ...]]:
    """Split both texts into runs, each marked changed or not, word by word."""
    a, b = _TOKEN.findall(left), _TOKEN.findall(right)
    ka = [t.casefold() if not t.isspace() else " " for t in a]
    kb = [t.casefold() if not t.isspace() else " " for t in b]
    out_a: list[Segment] = []
    out_b: list[Segment] = []
    matcher = difflib.SequenceMatcher(None, ka, kb, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        changed = tag != "equal"
        if i2 > i1:
            _append(out_a, "".join(a[i1:i2]), changed)
        if j2 > j1:
            _append(out_b, "".join(b[j1:j2]), changed)
    return tuple(out_a), tuple(out_b)


def _append(out: list[Segment], text: str, changed: bool) -> None:
    # White space at the ends of a change is not part of it: it would highlight gaps.
    if changed:
        core = text.strip()
        if not core:
            changed = False
        elif core != text:
            head, tail = text[: len(text) - len(text.lstrip())], text[len(text.rstrip()) :]
            for part, flag in ((head, False), (core, True), (tail, False)):
                if part:
                    _append(out, part, flag)
            return
    if out and out[-1][1] == changed:
        out[-1] = (out[-1][0] + text, changed)
    else:
        out.append((text, changed))


def _by_issue(p: Proposal) -> dict[str, str]:
    grouped: dict[str, list[str]] = {}
    for term in p.terms:
        grouped.setdefault(term.issue, []).append(term.text)
    return {code: " / ".join(texts) for code, texts in grouped.items()}


def diff_proposals(left: Proposal, right: Proposal) -> list[DiffRow]:
    a, b = _by_issue(left), _by_issue(right)
    order = list(dict.fromkeys([*a, *b]))
    rank = {name: i for i, name in enumerate(sections())}
    order.sort(key=lambda code: rank.get(section_of(code), len(rank)))
    rows = []
    for code in order:
        la, rb = a.get(code), b.get(code)
        if la is None:
            status, sa, sb = RowStatus.right_only, (), ((rb, True),)
        elif rb is None:
            status, sa, sb = RowStatus.left_only, ((la, True),), ()
        elif _norm(la) == _norm(rb):
            status, sa, sb = RowStatus.same, ((la, False),), ((rb, False),)
        else:
            status = RowStatus.changed
            sa, sb = word_diff(la, rb)
        found = lookup(code)
        rows.append(DiffRow(code, found.name if found else code, section_of(code), la, rb,
                            status, sa, sb))
    return rows
