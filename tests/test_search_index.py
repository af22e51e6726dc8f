"""The index answers exactly as a scan of every quote would, whichever way it takes."""

from __future__ import annotations

import datetime as dt

import pytest

import store.evaluate as evaluate
from bench.archive import views_of
from bench.corpus import generate
from store.query import Query, fold, parse_query
from store.search import QuoteSearch, match_spans
from store.tokens import token_spans

QUERIES = [
    "peace", "sanc", "s", "the talks", "security guarantees", '"of the"', '"front line"',
    "speaker:kovalenko talks", "speaker:kovalenko", "issue:ce peace", "issue:ce",
    "after:2023-01-01 before:2023-06-01 war", "peace -the", "-the", "the -peace",
    '"peace talks" issue:ce', "sanctoins", "kovalenko", "talk talks talking",
]


def _scan(views, q: Query) -> set[str]:
    """The reference: every quote looked at, as the search did before the index."""
    found = set()
    for v in views:
        st = v.statement
        names = [st.actor_id] + ([v.actor.name, *v.actor.aliases] if v.actor else [])
        speaker = " | ".join(fold(n) for n in names)
        if not all(s in speaker for s in q.speakers):
            continue
        if not all(i in {c.casefold() for c in st.issues} for i in q.issues):
            continue
        if q.after and (v.date is None or v.date < q.after):
            continue
        if q.before and (v.date is None or v.date >= q.before):
            continue
        tokens = [t for t, _, _ in token_spans(st.text)]
        if any(w in tokens for w in q.excluded):
            continue
        if not all(any(t.startswith(w) for t in tokens) for w in q.words):
            continue
        if not all(match_spans(st.text, Query(phrases=(p,))) for p in q.phrases):
            continue
        found.add(st.id)
    return found


@pytest.fixture(scope="module")
def archive():
    views = views_of(generate(1500, seed=5))
    return views, QuoteSearch(views)


@pytest.mark.parametrize("way", ["dense", "sparse", "chosen"])
def test_every_way_finds_what_a_scan_finds(archive, monkeypatch, way):
    views, index = archive
    if way != "chosen":
        monkeypatch.setattr(evaluate, "SPARSE_BELOW", 0.0 if way == "dense" else 2.0)
    for text in QUERIES:
        result = index.search(text)
        if result.fuzzy:
            continue  # compared below
        assert {h.view.statement.id for h in result.hits} == _scan(views, parse_query(text)), text


def test_dense_and_sparse_rank_alike(archive, monkeypatch):
    _, index = archive
    ranked = {}
    for way, below in [("dense", 0.0), ("sparse", 2.0)]:
        monkeypatch.setattr(evaluate, "SPARSE_BELOW", below)
        ranked[way] = [[(h.view.statement.id, round(h.score, 4)) for h in index.search(t).hits]
                       for t in QUERIES]
    assert ranked["dense"] == ranked["sparse"]


def test_a_typo_finds_the_word_it_stands_for(archive):
    views, index = archive
    result = index.search("sanctoins")
    assert result.fuzzy and result.total == len(_scan(views, parse_query("sanctions")))


def test_filters_alone_match_every_quote_they_allow(archive):
    views, index = archive
    for text in ["issue:ce", "after:2024-01-01", "speaker:kovalenko", ""]:
        assert {h.view.statement.id for h in index.search(text).hits} == _scan(
            views, parse_query(text)), text
    assert all(h.view.date >= dt.date(2024, 1, 1) for h in index.search("after:2024-01-01").hits)


def test_issue_codes_are_matched_whatever_their_case():
    from store.index import DocMeta, Segment
    from store.tokens import tokenize_many

    seg = Segment(tokenize_many(["a", "b", "c"]),
                  DocMeta(["x", "y", "x"], [["Ce"], ["CE", "TjSan"], []], [0, 0, 0]))
    assert seg.issue_docs("ce").tolist() == [0, 1]
    assert seg.issue_docs("tjsan").tolist() == [1]
    assert seg.issue_docs("x-none").tolist() == []
