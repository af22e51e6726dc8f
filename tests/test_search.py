import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from store.query import parse_query
from store.search import QuoteSearch, match_spans
from store.tokens import token_spans, tokenize_many
from store.views import QuoteView, quote_views


def _search(sample, q):
    return QuoteSearch(quote_views(sample)).search(q)


def _speakers(result):
    return [h.view.speaker for h in result.hits]


def test_words_must_all_occur_and_prefixes_match(sample):
    r = _search(sample, "sanc lawsuits")
    assert _speakers(r) == ["Sergei Lavrov"] and not r.fuzzy
    assert r.hits[0].spans  # where to highlight


def test_phrase(sample):
    r = _search(sample, '"all hostilities"')
    assert [h.view.statement.text for h in r.hits] == ["all hostilities"]
    assert _search(sample, '"hostilities all"').hits == []


def test_speaker_issue_and_dates(sample):
    assert set(_speakers(_search(sample, "speaker:macron"))) == {"Emmanuel Macron"}
    assert set(_speakers(_search(sample, 'speaker:"emmanuel macron" pressure'))) == {
        "Emmanuel Macron"}
    assert all("X-FrozenAssets" in h.view.statement.issues
               for h in _search(sample, "issue:x-frozenassets").hits)
    before = _search(sample, "before:2025-04-20").hits
    assert [h.view.date for h in before] == [dt.date(2025, 4, 14)]
    after = _search(sample, "after:2025-04-29").hits
    assert after and all(h.view.date >= dt.date(2025, 4, 29) for h in after)


def test_excluded_word(sample):
    with_drones = _search(sample, "kremlin").hits
    assert len(_search(sample, "kremlin -drones").hits) == len(with_drones) - 1


def test_typo_tolerant_fallback(sample):
    r = _search(sample, "sanctons")
    assert r.fuzzy and _speakers(r) == ["Sergei Lavrov"]
    assert _search(sample, "zzzzqqq").hits == []


def test_half_typed_queries_are_not_errors():
    assert parse_query('speaker:').is_empty
    assert parse_query('"open phrase').words == ("open", "phrase") or parse_query(
        '"open phrase').phrases == ("open phrase",)
    assert parse_query("after:2025-1").problems


@given(st.text())
def test_parser_never_raises(text):
    parse_query(text)


# -- the index --------------------------------------------------------------------

def _index(sample):
    return QuoteSearch(quote_views(sample))


def _tokenized_as_highlighted(texts, **settings):
    """tokenize_many(texts), with store.tokens' settings changed meanwhile (a chunk, a
    table size): the same words, text by text, as the highlighter's `token_spans`."""
    import store.tokens as tokens

    saved = {name: getattr(tokens, name) for name in settings}
    for name, value in settings.items():
        setattr(tokens, name, value)
    try:
        tok = tokenize_many(texts)
    finally:
        for name, value in saved.items():
            setattr(tokens, name, value)
    expected = [[t for t, _, _ in token_spans(text)] for text in texts]
    assert tok.lengths.tolist() == [len(e) for e in expected]
    assert [tok.terms[i] for i in tok.ids.tolist()] == [w for e in expected for w in e]
    return tok


@given(st.lists(st.text(alphabet=st.sampled_from("ab'’ _-é\u0301ßﬁ—“”.1 A\nÉ"), max_size=30),
                max_size=6))
def test_bulk_tokenizer_sees_the_words_the_highlighter_sees(texts):
    _tokenized_as_highlighted(texts)


@given(st.lists(st.text(alphabet=st.sampled_from("ab'’ _-é—.1 A\x01"), max_size=12),
                max_size=9), st.integers(1, 4))
def test_bulk_tokenizer_across_chunks_and_separators(texts, chunk):
    """Chunk edges (a run cut by none, empty runs at the edges) and a text holding the
    separator (the slow, exact way) give the same words as the highlighter."""
    _tokenized_as_highlighted(texts, _CHUNK=chunk)


_WORDY = st.lists(st.sampled_from(["a", "Zz9", "abcdefgh", "abcdefghi", "ABCDEFGH1",
                                    "abcdefghijklmnop", "abcdefghijklmnopq", "0123456789abcdefX",
                                    "kyiv’s", "don't", "é", "ﬁve", "x\u0301y"]), max_size=6)
_BETWEEN = st.sampled_from([" ", "  ", "\n", "-", "\xa0", "\u2009", "\u3000", "\x85", "—", ""])


def test_plain_words_are_numbered_in_arrays_not_one_by_one(monkeypatch):
    """The dictionary (slow: a Python call per word) hears each plain ASCII word once,
    when it takes its slot, however often it occurs and whatever follows it."""
    import store.tokens as tokens

    asked: list[str] = []

    class Counted(tokens._Runs):
        def __getitem__(self, run):
            asked.append(run)
            return super().__getitem__(run)

    monkeypatch.setattr(tokens, "_Runs", Counted)
    texts = [f"Peace talks, peace-talks; PEACE {n} negotiations?" for n in range(3000)]
    tok = tokenize_many(texts)
    assert len(tok.ids) == 7 * 3000
    distinct = {"peace", "talks", "negotiations", "\x01"} | {str(n) for n in range(3000)}
    assert sorted(asked) == sorted(distinct)


@given(st.lists(st.tuples(_WORDY, _BETWEEN).map(lambda t: t[1].join(t[0])), max_size=6),
       st.sampled_from([1, 2, 20]))
def test_bulk_tokenizer_numbers_words_of_any_length_even_in_a_tiny_table(texts, bits):
    """Words about 8 and 16 bytes long (the keys' edges), capitals, words that are not
    plain ASCII, Unicode spaces; and a table of 2 or 4 slots, where most words find
    their slot taken and go the dictionary way."""
    tok = _tokenized_as_highlighted(texts, _SLOT_BITS=bits)
    assert len(set(tok.terms)) == len(tok.terms)  # one term, one number


def test_ranked_best_first_and_top_k(sample):
    index = _index(sample)
    full = index.search("the")
    assert full.total == len(full.hits) > 3
    scores = [h.score for h in full.hits]
    assert scores == sorted(scores, reverse=True)
    top = index.search("the", limit=2)
    assert [h.view for h in top.hits] == [h.view for h in full.hits[:2]]
    assert [h.view for h in full.top(3)] == [h.view for h in full.hits[:3]]


def test_a_word_typed_in_full_ranks_above_a_longer_word_it_starts():
    views = _views(["sanctions were imposed on them", "the sanction stays"])
    hits = QuoteSearch(views).search("sanction").hits
    assert hits[0].view.statement.text == "the sanction stays"


def test_counts_from_the_index_are_the_spans_found_in_the_text(sample):
    index = _index(sample)
    views = quote_views(sample)
    for query in ["sanc sanctions", '"all hostilities" kremlin', "the", "sanctons", "-nato"]:
        result = index.search(query)
        places, counts = result.in_order()
        assert places == sorted(places)
        assert counts == [len(result.spans(views[p])) for p in places], query


def test_add_and_remove_keep_the_index_in_step(sample):
    views = quote_views(sample)
    index = QuoteSearch(views[:-1])
    last = views[-1]
    word = last.statement.text.split()[-1].strip(".,\"'")
    before = {h.view.statement.id for h in index.search(word).hits}
    index.add(last)
    assert last.statement.id in index and len(index) == len(views)
    assert {h.view.statement.id for h in index.search(word).hits} == before | {last.statement.id}
    assert index.remove(last.statement.id) and not index.remove(last.statement.id)
    assert {h.view.statement.id for h in index.search(word).hits} == before
    first = views[0]
    index.remove(first.statement.id)
    assert first.statement.id not in {h.view.statement.id for h in index.search("").hits}
    index.add(first)  # back, now in the small segment
    assert first.statement.id in {h.view.statement.id for h in index.search("").hits}


def test_many_adds_merge_into_one_segment_with_the_same_answers(monkeypatch):
    import store.search as search

    monkeypatch.setattr(search, "_MERGE_AT", 3)
    texts = [f"quote number {i} about peace talks" for i in range(12)]
    views = _views(texts)
    index = QuoteSearch(views[:2])
    for v in views[2:]:
        index.add(v)
    assert len(index) == 12
    assert index.search("peace").total == 12
    assert [h.view.statement.text for h in index.search('"number 7"').hits] == [texts[7]]
    places, _ = index.search("about").in_order()
    assert places == list(range(12))


def test_set_order_numbers_the_matches_by_a_new_list(sample):
    views = quote_views(sample)
    index = QuoteSearch(views)
    backwards = views[::-1]
    index.set_order(backwards)
    places, _ = index.search("kremlin").in_order()
    found = {h.view.statement.id for h in index.search("kremlin").hits}
    assert [backwards[p] for p in places] == [v for v in backwards if v.statement.id in found]


def _views(texts):
    from store.models import Actor, Source, Statement

    actor = Actor(id="a", name="An Actor", kind="person")
    body = "\n\n".join(texts)
    source = Source(id="s", title="t", outlet="o", text=body, published=dt.date(2025, 1, 1))
    out, at = [], 0
    for i, text in enumerate(texts):
        stmt = Statement(id=f"st{i}", actor_id="a", text=text, source_id="s",
                         span=(at, at + len(text)))
        out.append(QuoteView(stmt, actor, source))
        at += len(text) + 2
    return out


def test_sync_indexes_only_what_changed(sample):
    views = quote_views(sample)
    index = QuoteSearch(views[:-2])
    assert index.sync(views) == (2, 0)  # two new statements
    again = quote_views(sample)  # the store read again: new objects, same statements
    assert index.sync(again) == (0, 0)
    assert {id(h.view) for h in index.search("").hits} == {id(v) for v in again}
    edited = [QuoteView(v.statement.model_copy(update={"text": "a wholly new zebra"}),
                        v.actor, v.source) if i == 0 else v for i, v in enumerate(again)]
    assert index.sync(edited[:-1]) == (1, 2)  # the edit (out, in), the last one gone
    assert [h.view.statement.text for h in index.search("zebra").hits] == ["a wholly new zebra"]
    places, _ = index.search("zebra").in_order()
    assert places == [0]


def test_a_sync_planned_in_a_worker_is_applied_or_planned_again_if_stale():
    views = _views(["peace talks", "the truce holds", "sanctions stay", "a new plan"])
    index = QuoteSearch(views[:3])
    later = [*views[1:3], views[3]]  # the first is gone, the last is new
    plan = index.plan_sync(later)
    assert plan.gone == ["st0"] and len(index) == 3  # planning changes nothing
    assert index.sync(later, plan) == (1, 1)
    assert {h.view.statement.id for h in index.search("peace").hits} == set()
    # A change after the plan was made (here an add): the plan is stale and made again.
    stale = index.plan_sync(later)
    index.add(views[0])
    index.sync(later, stale)
    assert len(index) == 3 and "st0" not in index


@pytest.mark.parametrize("seed", range(5))
def test_the_best_few_are_the_first_of_the_full_ranking(seed):
    """`top(k)` looks at a sample's k-th score first: it must still be the full
    order's first k, ties (same score to 1/1024, same date) in match order."""
    import numpy as np

    from store.results import _best

    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 20000))
    scores = rng.choice([3.0, 6.0, 9.0, 1.2345, 1.2346, 7.5], size=n) + (
        rng.random(n) * 1e-4 if seed % 2 else 0)
    dates = rng.integers(0, 3, size=n)

    def full_order():
        key = (np.round(scores * 1024).astype(np.int64) << 20) + dates
        return np.argsort(-key, kind="stable")

    order = full_order()
    assert _best(scores, lambda at: dates[at], None).tolist() == order.tolist()
    for limit in [0, 1, 5, 20, n, n + 3]:
        assert _best(scores, lambda at: dates[at], limit).tolist() == order[:limit].tolist()


def test_a_speaker_added_later_is_found_by_a_speaker_query_asked_before(sample):
    views = quote_views(sample)
    macron = [v for v in views if v.speaker == "Emmanuel Macron"]
    rest = [v for v in views if v.speaker != "Emmanuel Macron"]
    index = QuoteSearch(rest)
    assert index.search("speaker:macron").hits == []  # the answer is remembered ...
    index.add(macron[0])
    assert [h.view for h in index.search("speaker:macron").hits] == [macron[0]]  # ... not kept


@given(st.text(alphabet="aAb' _-.0\n", max_size=40) | st.text(alphabet="ab'’ _0Éé", max_size=40),
       st.lists(st.text(alphabet="ab'0é", min_size=1, max_size=4), max_size=3))
def test_spans_of_ascii_text_are_those_of_the_tokens(text, typed):
    """Plain ASCII takes a shortcut (one regular expression): the same spans."""
    from store.query import Query, tokenize
    from store.search import match_spans

    words = tuple(w for t in typed for w in tokenize(t))
    expected = tuple(sorted({(s, e) for t, s, e in token_spans(text)
                             if any(t.startswith(w) for w in words)}))
    assert match_spans(text, Query(words=words)) == expected
    alternatives = {w: {w, w + "b"} for w in words}
    expected = tuple(sorted({(s, e) for t, s, e in token_spans(text)
                             if any(t in alternatives[w] for w in words)}))
    assert match_spans(text, Query(words=words), alternatives) == expected


@pytest.mark.parametrize("text", ["a'b b", "x 'tis t", "don't Don'T do", "a''b b'", "_ab ab_cd b",
                                  "9a a9 a", "b.a 'b a-b", "ab'ba'b b", "a' b 'a"])
def test_spans_of_tricky_ascii_words(text):
    from store.query import Query
    from store.search import match_spans

    for words in [("b",), ("a",), ("t",), ("do",), ("don't",), ("a", "b"), ("ab",), ("a9",)]:
        expected = tuple(sorted({(s, e) for t, s, e in token_spans(text)
                                 if any(t.startswith(w) for w in words)}))
        assert match_spans(text, Query(words=words)) == expected, (text, words)
        # after a typo: the words the query's words stand for, each in full
        alternatives = {w: {w, w + "b", "don't", "a9", "é"} for w in words}
        alts = set().union(*alternatives.values())
        expected = tuple(sorted({(s, e) for t, s, e in token_spans(text) if t in alts}))
        assert match_spans(text, Query(words=words), alternatives) == expected, (text, words)


def test_a_renamed_speaker_is_found_after_a_planned_sync():
    """A rename changes no quote (nothing is indexed again), only what `speaker:` looks
    in; an answer remembered from before the sync must not stand."""
    from store.models import Actor

    views = _views(["peace talks", "the truce holds"])
    index = QuoteSearch(views)
    assert index.search("speaker:zelensky").hits == []
    renamed = Actor(id="a", name="Volodymyr Zelensky", kind="person")
    later = [QuoteView(v.statement, renamed, v.source) for v in views]
    index.sync(later, index.plan_sync(later))
    assert len(index.search("speaker:zelensky").hits) == 2


def test_an_index_build_says_how_far_it_has_got(monkeypatch):
    import store.tokens as tokens

    monkeypatch.setattr(tokens, "_CHUNK", 2)  # a few chunks for a few quotes
    views = _views(["peace talks", "the truce holds", "sanctions stay", "a new plan", "war"])
    heard: list[float] = []
    index = QuoteSearch(views, heard.append)
    # 3 chunks of words; the filters' lists; the words sorted, the postings made; done
    assert heard == sorted(heard) and heard[-1] == 1.0 and len(heard) == 7
    assert 0 < heard[0] < heard[2] == 0.4 and heard[3] == 0.5
    assert heard[4:] == [0.5 + 0.5 * 0.45, 0.5 + 0.5 * 0.85, 1.0]
    assert len(index.search("peace").hits) == 1


def test_a_hits_spans_are_found_when_first_read(sample, monkeypatch):
    from store.results import SearchResult

    calls = []
    real = SearchResult.spans
    monkeypatch.setattr(SearchResult, "spans", lambda self, v: calls.append(v) or real(self, v))
    result = QuoteSearch(quote_views(sample)).search("russia", limit=3)
    assert len(result.hits) == 3 and calls == []  # ranked, nothing highlighted yet
    first = result.hits[0]
    assert first.spans == match_spans(first.view.statement.text, result.query)
    assert first.spans and len(calls) == 1  # found once, then kept


def test_an_earlier_index_drops_what_it_says_stands_but_is_gone(sample):
    """from_earlier: a document marked kept whose statement is not among the views is
    dropped, not left to answer searches with a stand-in."""
    views = quote_views(sample)
    earlier = QuoteSearch(views).main_segment
    gone = views[0].statement.id
    rest = views[1:]
    index = QuoteSearch.from_earlier(earlier, [v.statement.id for v in views],
                                     [True] * len(views), rest)
    word = views[0].statement.text.split()[0]
    assert gone not in index and len(index) == len(rest)
    assert all(h.view.statement.id != gone for h in index.search(word).hits)


def test_an_earlier_index_brought_in_step_keeps_in_step_with_later_writes(sample):
    """from_earlier numbers the new quotes without a table of every quote's place; the
    table, made at the first write, has them, so writes after it find them."""
    views = quote_views(sample)
    old, new = views[:15], views[15:]
    earlier = QuoteSearch(old).main_segment
    shown = new[:2] + old + new[2:]  # the new quotes among the others
    index = QuoteSearch.from_earlier(earlier, [v.statement.id for v in old],
                                     [k != 3 for k in range(len(old))], shown)
    assert len(index) == len(shown) and all(v.statement.id in index for v in shown)
    assert index.remove(new[0].statement.id) and index.remove(old[5].statement.id)
    index.add(old[5])
    now = [v for v in shown if v is not new[0]]
    index.set_order(now)
    fresh = QuoteSearch(now)
    for q in ("russia", "peace", "the", "ukraine talks"):
        got, want = index.search(q), fresh.search(q)
        assert sorted(h.view.statement.id for h in got.hits) == \
            sorted(h.view.statement.id for h in want.hits), q
        assert [list(a) for a in got.in_order()] == [list(a) for a in want.in_order()], q


def test_a_speakers_id_or_name_with_a_hyphen_is_found_as_typed():
    """`speaker:` takes its value's words ('actor-1' -> 'actor 1'): an id or a name
    holding a hyphen is found so (it was looked for in the folded name only)."""
    from bench.archive import views_of
    from bench.corpus import generate

    views = views_of(generate(300, seed=2))
    index = QuoteSearch(views)
    hits = index.search("speaker:actor-1").hits
    mine = {v.statement.id for v in views if v.statement.actor_id == "actor-1"}
    assert mine and mine <= {h.view.statement.id for h in hits}
    assert all(h.view.statement.actor_id.startswith("actor-1") for h in hits)
    named = next(v.actor for v in views if v.actor and " " in v.actor.name)
    hyphened = named.name.replace(" ", "-")  # 'Maria-Bauer': its words are the name's
    assert {h.view.actor.name for h in index.search(f"speaker:{hyphened}").hits} == {
        named.name}
