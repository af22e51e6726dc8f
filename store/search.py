"""Searching statements with the query language of `store.query`.

Every statement is tokenised once into folded words with their offsets in
the original text, so a search returns not only which quotes match but where
(spans to highlight). When nothing matches exactly, words are matched again
allowing one or two typos (rapidfuzz), and the result says it is fuzzy.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from .query import WORD, Query, fold, parse_query
from .views import QuoteView

__all__ = ["Hit", "QuoteSearch", "SearchResult"]


@dataclass(frozen=True, slots=True)
class Hit:
    view: QuoteView
    spans: tuple[tuple[int, int], ...]
    score: float


@dataclass(frozen=True, slots=True)
class SearchResult:
    query: Query
    hits: list[Hit]
    fuzzy: bool = False


@dataclass(slots=True)
class _Doc:
    view: QuoteView
    tokens: list[tuple[str, int, int]]  # folded word, start, end in the original text
    words: frozenset[str]
    speaker: str  # folded name, aliases and id
    issues: frozenset[str]
    date: dt.date | None


def _tokens(text: str) -> list[tuple[str, int, int]]:
    return [(fold(m.group()), m.start(), m.end()) for m in WORD.finditer(text)]


def _max_typos(word: str) -> int:
    return 0 if len(word) < 4 else 1 if len(word) < 8 else 2


class QuoteSearch:
    """An index over quote views; `search` answers a query string."""

    def __init__(self, views: Iterable[QuoteView]) -> None:
        self._docs: list[_Doc] = []
        self._vocab: set[str] = set()
        for view in views:
            self.add(view)

    def add(self, view: QuoteView) -> None:
        tokens = _tokens(view.statement.text)
        actor = view.actor
        names = [view.statement.actor_id]
        if actor:
            names += [actor.name, *actor.aliases]
        words = frozenset(t for t, _, _ in tokens)
        self._vocab |= words
        self._docs.append(_Doc(
            view, tokens, words, " | ".join(fold(n) for n in names),
            frozenset(code.casefold() for code in view.statement.issues), view.date,
        ))

    def __len__(self) -> int:
        return len(self._docs)

    def search(self, query: str | Query, limit: int | None = None) -> SearchResult:
        q = parse_query(query) if isinstance(query, str) else query
        hits = self._run(q, None)
        fuzzy = False
        if not hits and q.words:
            alternatives = {w: self._near(w) for w in q.words}
            if any(len(alts) > 1 for alts in alternatives.values()):
                hits, fuzzy = self._run(q, alternatives), True
        hits.sort(key=lambda h: (-h.score, -(h.view.date or dt.date.min).toordinal()))
        return SearchResult(q, hits[:limit] if limit else hits, fuzzy)

    def _near(self, word: str) -> set[str]:
        from rapidfuzz import process
        from rapidfuzz.distance import Levenshtein

        typos = _max_typos(word)
        found = {word}
        if typos:
            for cand, _, _ in process.extract(word, self._vocab, scorer=Levenshtein.distance,
                                               score_cutoff=typos, limit=20):
                found.add(cand)
        return found

    def _run(self, q: Query, alternatives: dict[str, set[str]] | None) -> list[Hit]:
        hits = []
        for doc in self._docs:
            hit = self._match(doc, q, alternatives)
            if hit is not None:
                hits.append(hit)
        return hits

    @staticmethod
    def _match(doc: _Doc, q: Query, alternatives: dict[str, set[str]] | None) -> Hit | None:
        if q.speakers and not all(s in doc.speaker for s in q.speakers):
            return None
        if q.issues and not all(i in doc.issues for i in q.issues):
            return None
        if q.after and (doc.date is None or doc.date < q.after):
            return None
        if q.before and (doc.date is None or doc.date >= q.before):
            return None
        if q.excluded and any(w in doc.words for w in q.excluded):
            return None
        spans: list[tuple[int, int]] = []
        score = 0.0
        for word in q.words:
            if alternatives is not None:
                alts = alternatives[word]
                found = [(s, e) for t, s, e in doc.tokens if t in alts]
            else:
                found = [(s, e) for t, s, e in doc.tokens if t.startswith(word)]
            if not found:
                return None
            spans += found
            score += len(found) + sum(1 for t, _, _ in doc.tokens if t == word)
        for phrase in q.phrases:
            found = _phrase_spans(doc.tokens, phrase.split())
            if not found:
                return None
            spans += found
            score += 3 * len(found)
        return Hit(doc.view, tuple(sorted(set(spans))), score)


def _phrase_spans(tokens: list[tuple[str, int, int]], words: list[str]) -> list[tuple[int, int]]:
    n = len(words)
    out = []
    for i in range(len(tokens) - n + 1):
        if all(tokens[i + k][0] == words[k] for k in range(n)):
            out.append((tokens[i][1], tokens[i + n - 1][2]))
    return out
