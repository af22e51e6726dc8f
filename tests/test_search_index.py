"""The index answers exactly as a scan of every quote would, whichever way it takes."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

import store.evaluate as evaluate
from bench.archive import views_of
from bench.corpus import generate
from store import postings
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


@pytest.mark.parametrize("way", ["dense", "sparse", "sparse bitmaps", "sparse searches",
                                 "chosen"])
def test_every_way_finds_what_a_scan_finds(archive, monkeypatch, way):
    views, index = archive
    if way != "chosen":
        monkeypatch.setattr(evaluate, "SPARSE_BELOW", 0.0 if way == "dense" else 2.0)
    if way.startswith("sparse "):
        monkeypatch.setattr(evaluate, "BITMAP_UP_TO", 1e9 if way.endswith("bitmaps") else 0)
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


def _segment(texts: list[str]):
    from store.index import DocMeta, Segment
    from store.tokens import tokenize_many

    n = len(texts)
    return Segment(tokenize_many(texts), DocMeta(["x"] * n, [[] for _ in texts], [0] * n))


def _phrase_reference(texts: list[str], words: list[str]) -> dict[int, int]:
    """Per document, how many times the words stand one after the other in it."""
    found = {}
    for d, text in enumerate(texts):
        terms = [t for t, _, _ in token_spans(text)]
        count = sum(terms[i:i + len(words)] == words for i in range(len(terms)))
        if count:
            found[d] = count
    return found


def test_a_phrase_never_runs_across_two_quotes():
    texts = ["the war of", "the war", "war of the", "of the war of the war", "", "of", "the"]
    seg = _segment(texts)
    for phrase in ["of the", "war of", "of the war", "the war of the", "of", "the of"]:
        words = phrase.split()
        docs, counts = seg.phrase_docs(words)
        assert dict(zip(docs.tolist(), counts.tolist(), strict=True)) == _phrase_reference(
            texts, words), phrase
        starts = seg.phrase_starts(words)
        assert len(starts) == sum(counts.tolist())
        assert seg.doc_of(starts).tolist() == np.repeat(docs, counts).tolist()


@pytest.mark.parametrize("seed", range(6))
def test_phrases_on_random_texts_match_a_scan(seed, monkeypatch):
    """Every way through the phrase code: any rarest word, pairs read in order or
    by binary search (forced both ways), few or many matches."""
    import store.index as index

    rng = np.random.default_rng(seed)
    # A skewed vocabulary: some words in most quotes, some in a few.
    vocab = ["of", "the", "war", "peace", "a", "talks", "kyiv", "rare"]
    p = np.array([30, 30, 10, 8, 10, 6, 4, 1], dtype=float)
    texts = [" ".join(rng.choice(vocab, size=rng.integers(0, 12), p=p / p.sum()))
             for _ in range(300)]
    seg = _segment(texts)
    phrases = [rng.choice(vocab, size=rng.integers(1, 5)).tolist() for _ in range(40)]
    phrases += [["of", "the"], ["the", "of"], ["of", "the", "rare"], ["rare", "of", "the"]]
    for scan in [0, 64, 10**9]:
        monkeypatch.setattr(index, "_SCAN", scan)
        for words in phrases:
            docs, counts = seg.phrase_docs(words)
            assert dict(zip(docs.tolist(), counts.tolist(), strict=True)) == _phrase_reference(
                texts, words), (scan, words)
            starts = seg.phrase_starts(words)
            assert seg.doc_of(starts).tolist() == np.repeat(docs, counts).tolist()
    assert seg.phrase_docs(["of", "unknown"])[0].tolist() == []


def test_the_best_twenty_over_two_segments_are_the_first_twenty_of_all(archive):
    views, _ = archive
    index = QuoteSearch(views[:1000])
    for v in views[1000:]:
        index.add(v)  # into the small second segment
    assert len(index._parts()) == 2
    for text in QUERIES:
        full = index.search(text)
        top = index.search(text, limit=20)
        assert top.total == full.total, text
        assert [(h.view.statement.id, h.score) for h in top.hits] == [
            (h.view.statement.id, h.score) for h in full.hits[:20]], text


def test_a_phrase_in_a_quote_holding_a_word_more_than_65535_times():
    """Counts in the postings stop at 65535; the phrase counts must not."""
    texts = ["the " * 65540 + "of the war", "of the", "the the"]
    seg = _segment(texts)
    for words in [["the", "the"], ["of", "the"], ["the"], ["the", "war"]]:
        docs, counts = seg.phrase_docs(words)
        assert dict(zip(docs.tolist(), counts.tolist(), strict=True)) == _phrase_reference(
            texts, words), words


def test_typo_alternatives_are_those_of_the_whole_vocabulary(archive):
    """Only words of a near length are given to rapidfuzz: the same words come back."""
    from rapidfuzz import process
    from rapidfuzz.distance import Levenshtein

    from store.search import _max_typos

    _, index = archive
    parts = index._parts()
    vocab = parts[0].segment.vocab
    rng = np.random.default_rng(3)
    edited = []
    for w in rng.choice(vocab, size=60).tolist():  # a word of the vocabulary, one or two edits
        for _ in range(int(rng.integers(1, 3))):
            i = int(rng.integers(0, len(w) + 1))
            c = str(rng.choice(list("aeiostnrkyé'")))
            w = [w[:i] + c + w[i:], w[:i] + w[i + 1:], w[:i] + c + w[i + 1:]][int(rng.integers(3))]
        edited.append(w or "a")
    longest = max(vocab, key=len)
    for word in ["sanctoins", "pease", "talsk", "kovalenko", "ukrain", "zzzzzzzz", "the", "a",
                 longest + "s", longest[:-1], "q" * 60, *edited]:
        typos = _max_typos(word)
        expected = {word} | ({c for c, _, _ in process.extract(
            word, vocab, scorer=Levenshtein.distance, score_cutoff=typos, limit=20)}
            if typos else set())
        assert index._near(word, parts) == expected, word


def test_each_rows_match_count_is_its_number_of_spans(archive):
    """in_order's counts come from the postings: they must be what the highlighter finds."""
    views, index = archive
    for query in QUERIES:
        result = index.search(query)
        places, counts = result.in_order()
        assert places == sorted(places)
        assert counts == [len(result.spans(views[p])) for p in places], query


def test_the_table_of_places_made_a_slice_at_a_time_is_every_live_document(monkeypatch):
    """Slices of 7 (a million quotes: 32,768): every live statement's (part, document),
    the last slice short, the dead left out."""
    import store.search as search_module

    monkeypatch.setattr(search_module, "_PLACES_AT_ONCE", 7)
    views = views_of(generate(60, seed=4))
    index = QuoteSearch(views)
    main = index._main
    main.segment.kill([3, 20, 59])
    places = search_module._places(main)
    assert places == {v.statement.id: (main, i) for i, v in enumerate(views)
                      if i not in (3, 20, 59)}


def test_a_large_build_in_two_threads_makes_the_arrays_one_thread_makes(monkeypatch):
    """Past THREADED_WORDS words, terms are sorted and posted in two ranges, built apart
    and laid end to end: the same segment, array for array."""

    views = views_of(generate(1500, seed=3))
    one = QuoteSearch(views)._main.segment.to_arrays()
    monkeypatch.setattr(postings, "THREADED_WORDS", 0)
    assert len(postings.term_ranges(np.array([0, 5, 9, 12]))) == 2
    two = QuoteSearch(views)._main.segment.to_arrays()
    assert one.keys() == two.keys()
    for name in one:
        assert np.array_equal(one[name], two[name]), name


@pytest.mark.parametrize("span", [1, 300, 1 << 16, (1 << 16) + 1, 200_000, 1 << 31, 1 << 40])
def test_the_order_of_terms_is_a_stable_sort_whatever_their_number(span):
    """Keys past 16 bits (a vocabulary of more than 65,536 words) are sorted as two radix
    digits: the same order as numpy's stable sort, ties in their order."""

    rng = np.random.default_rng(span % 1000)
    keys = rng.integers(0, span, 50_000).astype(np.int32 if span <= 1 << 31 else np.int64)
    keys[::7] = keys[3]  # many ties
    assert np.array_equal(postings.stable_order(keys, span), np.argsort(keys, kind="stable"))


@pytest.mark.parametrize("little", [True, False])
@pytest.mark.parametrize(("lo", "hi", "nv"), [(0, 700, 700), (0, 300, 700), (300, 700, 700),
                                              (200, 500, 700), (0, 70_000, 70_000)])
def test_words_in_term_order_are_a_stable_sort_of_their_range(monkeypatch, lo, hi, nv, little):
    """A range's words sorted by term keep reading order within a term, packed and sorted
    as 64-bit numbers or (not little-endian) by the stable sort: the same indexes, and
    each word's term less lo."""

    rng = np.random.default_rng(hi)
    terms = rng.integers(0, nv, 40_000).astype(np.int32)
    terms[::5] = terms[7]  # many ties
    if not little:
        monkeypatch.setattr(postings.sys, "byteorder", "big")
    by_term, sorted_terms = postings.by_term_order(terms, lo, hi, nv)
    inside = np.flatnonzero((terms >= lo) & (terms < hi))
    expected = inside[np.argsort(terms[inside], kind="stable")]
    assert np.array_equal(by_term, expected)
    assert np.array_equal(sorted_terms, terms[expected] - lo)


@pytest.mark.parametrize("seed", range(4))
def test_where_each_value_is_first_used_is_what_numpys_unique_says(seed):
    import store.firsts as firsts

    rng = np.random.default_rng(seed)
    values = rng.integers(0, 50, 2000).astype(np.int32)
    values[values == 7] = 8  # a value not used, below the largest
    assert np.array_equal(firsts.first_uses(values), np.unique(values, return_index=True)[1])
    assert firsts.first_uses(values[:0]).tolist() == []


def test_the_first_use_of_each_value_orders_the_values():
    import store.firsts as firsts

    values = np.array([4, 4, 1, 9, 1, 0, 4, 9], dtype=np.int32)
    assert firsts.by_first_use(values, 12).tolist() == [4, 1, 9, 0]
    assert firsts.by_first_use(values[:0], 3).tolist() == []
    assert firsts.by_first_use(values[:0], 0).tolist() == []


def test_a_vocabulary_past_65536_words_is_indexed_as_a_scan_finds(monkeypatch):
    """Every term range then holds more than 65,536 words (two-digit sort): each word
    is found in exactly the quotes that hold it, and phrases too."""
    import store.index as index
    from store.tokens import tokenize_many

    monkeypatch.setattr(postings, "THREADED_WORDS", 0)  # two ranges, each past 16 bits
    rng = np.random.default_rng(7)
    words = [f"w{k}x" for k in range(150_000)]
    picks = np.concatenate((rng.permutation(len(words)), rng.integers(0, len(words), 50_000)))
    texts = [" ".join(words[j] for j in picks[k:k + 40]) for k in range(0, len(picks), 40)]
    tok = tokenize_many(texts)
    assert len(tok.terms) > 2 * 65536
    seg = index.Segment(tok, index.DocMeta(["a"] * len(texts), [[] for _ in texts],
                                           [0] * len(texts)))
    for word in ("w0x", "w77777x", "w149999x", texts[4321].split()[5]):
        t = seg.term(word)
        lo, hi = seg.off[t], seg.off[t + 1]
        assert seg.post_doc[lo:hi].tolist() == [i for i, x in enumerate(texts)
                                                if word in x.split()]
    pair = texts[123].split()[10:12]
    docs, _ = seg.phrase_docs(pair)
    assert 123 in docs.tolist()
    assert all(" ".join(pair) in texts[d] for d in docs.tolist())


def test_typo_alternatives_among_many_as_near_are_the_first_in_vocabulary_order():
    """More than rapidfuzz's 20 within reach, all one edit away: which 20 it keeps
    depends on the order it is given them, the vocabulary's, as for the whole of it."""
    from rapidfuzz import process
    from rapidfuzz.distance import Levenshtein

    from store.search import _Part

    near = [w for c in "abcdefghijklmnopqrstuvwxyz" for w in ("talk" + c + "s", "tal" + c + "s")]
    texts = [" ".join(near), "talks peace"]
    seg = _segment(texts)
    part = _Part([None] * len(texts), 0, segment=seg)
    expected = {"talks"} | {c for c, _, _ in process.extract(
        "talks", seg.vocab, scorer=Levenshtein.distance, score_cutoff=1, limit=20)}
    assert QuoteSearch()._near("talks", [part]) == expected
    assert len(expected) == 20  # "talks" itself and 19 of the 52 one edit away


@pytest.mark.parametrize("threaded", [False, True])
def test_the_filters_made_while_the_words_are_posted_are_the_same(threaded, monkeypatch):
    """`meta` as a call (made while the posting threads run): the same segment."""
    from store import postings
    from store.index import DocMeta, Segment
    from store.tokens import tokenize_many

    monkeypatch.setattr(postings, "THREADED_WORDS", 1 if threaded else 10**9)
    texts = ["peace talks in kyiv", "", "the talks", "kyiv peace peace"]
    meta = DocMeta(["a", "b", "a", "c"], [["Ce"], [], ["ce", "Ssr"], []], [738000, 0, 5, 9])
    made = []
    given = Segment(tokenize_many(texts), meta)
    called = Segment(tokenize_many(texts), lambda: made.append(1) or meta)
    assert made == [1]
    for name, value in given.to_arrays().items():
        assert np.array_equal(value, called.to_arrays()[name]), name
    with pytest.raises(ValueError, match="3 documents' filters for 4 texts"):
        Segment(tokenize_many(texts), DocMeta(["a"] * 3, [[]] * 3, [0] * 3))


def test_rows_in_finds_each_document_among_others_and_leaves_its_table_clear():
    """rows_in: each value's index in `among`, -1 where absent; asked again with other
    lists, nothing of the first call is left in its table."""
    seg = _segment([f"w{k}" for k in range(50)])
    rng = np.random.default_rng(5)
    for _ in range(20):
        among = rng.permutation(50)[:int(rng.integers(0, 50))]
        values = rng.integers(0, 50, size=int(rng.integers(0, 80)))
        where = {int(d): i for i, d in enumerate(among.tolist())}
        expected = [where.get(int(v), -1) for v in values.tolist()]
        assert seg.rows_in(values, among).tolist() == expected
