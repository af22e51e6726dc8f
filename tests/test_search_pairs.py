"""Pairs of common words kept like words (store.pairs), and the document of a position
(`Segment.doc_of`): both give what the long way gives."""

from __future__ import annotations

import numpy as np
import pytest

import store.index as index
import store.pairs as pairs
from bench.archive import views_of
from bench.corpus import generate
from store.search import QuoteSearch
from tests.test_search_index import _phrase_reference, _segment

VOCAB = ["of", "the", "war", "peace", "a", "talks", "kyiv", "rare"]


def _texts(seed: int, count: int = 300) -> list[str]:
    rng = np.random.default_rng(seed)
    p = np.array([30, 30, 10, 8, 10, 6, 4, 1], dtype=float)
    return [" ".join(rng.choice(VOCAB, size=rng.integers(0, 12), p=p / p.sum()))
            for _ in range(count)]


def _as_dict(found: tuple[np.ndarray, np.ndarray]) -> dict[int, int]:
    docs, counts = found
    assert np.all(np.diff(docs) > 0)
    return dict(zip(docs.tolist(), counts.tolist(), strict=True))


@pytest.mark.parametrize("seed", range(4))
def test_the_kept_pairs_are_what_a_phrase_finds_the_long_way(seed, monkeypatch):
    monkeypatch.setattr(pairs, "COMMON", 150)  # "of", "the" and "a" are common here
    texts = _texts(seed)
    seg = _segment(texts)
    common = {seg.vocab[t] for t in pairs.common_words(seg.poff)}
    assert {"of", "the"} <= common and "rare" not in common
    words = [*VOCAB, "unknown"]
    asked = [[a, b] for a in words for b in words]
    before = [_as_dict(seg.phrase_docs(w)) for w in asked]
    seg.warm()
    assert set(seg._pairs) == {(seg.term(a), seg.term(b)) for a in common for b in common}
    for words, found in zip(asked, before, strict=True):
        assert _as_dict(seg.phrase_docs(words)) == found == _phrase_reference(texts, words)


def test_a_kept_pair_is_answered_from_the_table(monkeypatch):
    monkeypatch.setattr(pairs, "COMMON", 150)
    seg = _segment(_texts(0))
    seg.warm()
    expected = _as_dict(seg.phrase_docs(["of", "the"]))

    def long_way(words):
        raise AssertionError(f"{words} read the long way")

    monkeypatch.setattr(seg, "_phrase", long_way)
    assert _as_dict(seg.phrase_docs(["of", "the"])) == expected != {}
    assert _as_dict(seg.phrase_docs(["the", "the"])) == _phrase_reference(
        _texts(0), ["the", "the"])
    with pytest.raises(AssertionError, match="long way"):
        seg.phrase_docs(["of", "war"])  # "war" is not common: not kept


def test_a_segment_without_common_words_makes_nothing():
    """At 100,000 quotes no word is that common: no memory spent, no `after` made."""
    seg = _segment(_texts(1))
    seg.warm()
    assert seg._pairs == {} and seg._terms_after is None and seg._block_doc is None


def test_a_kept_pair_counted_past_65535_in_one_quote(monkeypatch):
    monkeypatch.setattr(pairs, "COMMON", 3)
    texts = ["the " * 70_000 + "of the", "of the the", "the of"]
    seg = _segment(texts)
    seg.warm()
    for words in (["the", "the"], ["of", "the"], ["the", "of"], ["of", "of"]):
        assert _as_dict(seg.phrase_docs(words)) == _phrase_reference(texts, words), words
    assert seg._pairs[seg.term("the"), seg.term("the")][1].max() == 69_999


def test_the_whole_index_warms_each_segment_and_answers_the_same(monkeypatch):
    monkeypatch.setattr(pairs, "COMMON", 2000)
    views = views_of(generate(1600, seed=5))
    search = QuoteSearch(views[:1500])
    for v in views[1500:1600]:
        search.add(v)  # a small second segment: no word is common there
    queries = ['"of the"', '"the of"', '"in the" peace', 'speaker:kovalenko "of the"']
    before = [[(h.view.statement.id, h.score) for h in search.search(q).hits] for q in queries]
    search.warm()
    big, small = (p.segment for p in search._parts())
    assert big._pairs and not small._pairs
    assert before == [[(h.view.statement.id, h.score) for h in search.search(q).hits]
                      for q in queries]
    assert any(before)


@pytest.mark.parametrize("block", [0, 1, 4, 6])
def test_the_document_of_every_position_is_that_of_a_binary_search(block, monkeypatch):
    """Empty quotes, one-word quotes and long ones: several documents may start in one
    block of positions, or none."""
    monkeypatch.setattr(index, "_BLOCK", block)
    rng = np.random.default_rng(block)
    texts = [" ".join(["war"] * int(rng.choice([0, 1, 2, 3, 40]))) for _ in range(200)]
    seg = _segment(texts)
    every = np.arange(seg.end - 1, dtype=np.int32)
    reference = np.searchsorted(seg.doc_start, every, side="right") - 1
    assert seg.doc_of(every).tolist() == reference.tolist()
    some = np.sort(rng.choice(every, 50))
    assert seg.doc_of(some).tolist() == reference[some].tolist()
    assert seg.doc_of(every[:0]).tolist() == []
