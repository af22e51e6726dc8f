"""Where a quote matches a query: the spans the explorer highlights.

Found for the rows on screen only (a screen shows 30 quotes, not 100,000),
from the quote's text, by the same rules as the index (`token_spans`: the
words `store.query.WORD` finds, folded), so a highlighted word is always
one the search matched on.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .query import Query
from .tokens import token_spans

__all__ = ["Spans", "match_spans"]

Spans = tuple[tuple[int, int], ...]


def match_spans(text: str, q: Query, alternatives: dict[str, set[str]] | None = None) -> Spans:
    """Where a text matches a query's words and phrases (sorted, each span once)."""
    if not q.phrases and text.isascii():
        if alternatives is None:
            words = _ascii_words(tuple(dict.fromkeys(q.words)), False)
        else:
            words = _ascii_words(tuple(sorted({a for w in q.words for a in alternatives[w]})),
                                 True)
        return tuple(m.span() for m in words.finditer(text.lower())) if words else ()
    tokens = token_spans(text)
    spans: set[tuple[int, int]] = set()
    for word in dict.fromkeys(q.words):
        if alternatives is not None:
            alts = alternatives[word]
            spans.update((s, e) for t, s, e in tokens if t in alts)
        else:
            spans.update((s, e) for t, s, e in tokens if t.startswith(word))
    terms = [t for t, _, _ in tokens]
    for phrase in dict.fromkeys(q.phrases):
        words = phrase.split()
        n, first = len(words), words[0]
        for i, t in enumerate(terms):
            if t == first and terms[i:i + n] == words:
                spans.add((tokens[i][1], tokens[i + n - 1][2]))
    return tuple(sorted(spans))


@lru_cache(maxsize=64)
def _ascii_words(words: tuple[str, ...], exact: bool) -> re.Pattern[str] | None:
    """The words of ASCII text (lower-cased: its fold) that start with one of
    `words` (`exact`: that are one of them).

    The same words as `token_spans` finds and keeps, without a match object
    and a fold per word of the text: a word (`WORD`: letters and digits,
    inner apostrophes) starts at a letter or digit that follows neither one
    nor an apostrophe after one, and runs on over letters and digits and
    over an apostrophe followed by one."""
    if not words:
        return None
    starts = "|".join(map(re.escape, words))
    rest = r"(?![a-z0-9])(?!'[a-z0-9])" if exact else r"[a-z0-9]*(?:'[a-z0-9]+)*"
    return re.compile(rf"(?<![a-z0-9])(?<![a-z0-9]')(?:{starts}){rest}")
