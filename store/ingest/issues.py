"""Tagging statements with issue codes from a keyword table kept as data.

The table (`store/data/issue_keywords.json`) maps each code to regular
expressions; a user extends it without touching code. Unknown codes in the
table are refused when it is loaded, so a typo cannot store a bad code.
"""

from __future__ import annotations

import json
import re
from functools import cache
from importlib import resources

from ..issue_codes import is_known_code

__all__ = ["tag_issues"]


@cache
def _table() -> list[tuple[str, re.Pattern[str]]]:
    raw = json.loads(
        resources.files("store").joinpath("data/issue_keywords.json").read_text("utf-8"))
    table = []
    for code, words in raw["keywords"].items():
        if not is_known_code(code):
            raise ValueError(f"issue_keywords.json: unknown issue code {code!r}")
        table.append((code, re.compile(r"\b(?:" + "|".join(words) + r")", re.IGNORECASE)))
    return table


def tag_issues(text: str) -> list[str]:
    """Issue codes whose keywords occur in the text, in table order."""
    return [code for code, pattern in _table() if pattern.search(text)]
