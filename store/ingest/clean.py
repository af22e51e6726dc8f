"""Cleaning an article's text before anything is extracted from it.

Every offset a statement stores points into the cleaned text, so cleaning
is deterministic: the same input always gives the same text. It removes
control characters, normalises white space, drops boilerplate paragraphs
(lines matching a table kept as data, and separator lines such as '***')
and drops repeated paragraphs: some sites serve every
paragraph twice, once with straight and once with typographic quotes; the
typographic copy is kept, at the place of the first.
"""

from __future__ import annotations

import json
import re
from functools import cache
from importlib import resources

from ..models import clean_text

__all__ = ["clean_article", "paragraph_key", "split_paragraphs"]

_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_INVISIBLE = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_BLANK_LINES = re.compile(r"\n\s*\n")
_HAS_WORD = re.compile(r"\w")
_NON_WORD = re.compile(r"[\W_]+")


@cache
def _boilerplate() -> re.Pattern[str]:
    raw = json.loads(resources.files("store").joinpath("data/boilerplate.json").read_text("utf-8"))
    return re.compile("|".join(f"(?:{p})" for p in raw["patterns"]), re.IGNORECASE)


def split_paragraphs(text: str) -> list[str]:
    """Paragraphs are separated by blank lines; single newlines inside are kept."""
    out = []
    for block in _BLANK_LINES.split(text):
        lines = [_SPACES.sub(" ", line).strip() for line in block.split("\n")]
        para = "\n".join(line for line in lines if line)
        if para:
            out.append(para)
    return out


def paragraph_key(paragraph: str) -> str:
    """What two copies of one paragraph share, whatever their punctuation.

    Only the words count: copies differ in quote marks, dashes, and in
    characters one copy mangled (an ellipsis that became '¿').
    """
    return _NON_WORD.sub(" ", paragraph.casefold()).strip()


def _typographic_score(paragraph: str) -> int:
    return sum(paragraph.count(c) for c in "\u2018\u2019\u201c\u201d\u00ab\u00bb\u2026\u2013\u2014")


def clean_article(raw: str) -> str:
    """The cleaned text of an article: what offsets and hashes are taken from."""
    text = _INVISIBLE.sub("", clean_text(raw))
    kept: list[str] = []
    index: dict[str, int] = {}
    pattern = _boilerplate()
    for para in split_paragraphs(text):
        para = "\n".join(
            line for line in para.split("\n") if _HAS_WORD.search(line) and not pattern.search(line)
        )
        if not para:
            continue
        key = paragraph_key(para)
        if key in index:
            i = index[key]
            if _typographic_score(para) > _typographic_score(kept[i]):
                kept[i] = para
            continue
        index[key] = len(kept)
        kept.append(para)
    return "\n\n".join(kept)
