"""The explorer's facade: rows in reading order, narrowed, with spans found lazily."""

from __future__ import annotations

from store.views import quote_views
from tui.corpus import Corpus, LazySpans


def _corpus(sample) -> Corpus:
    return Corpus(quote_views(sample), sample.actors, sample.proposals)


def test_rows_keep_reading_order_and_counts_match_the_spans(sample):
    corpus = _corpus(sample)
    rows = corpus.filtered(None, corpus.search("the"))
    assert [corpus.views.index(v) for v in rows.views] == sorted(
        corpus.views.index(v) for v in rows.views)
    assert list(rows.counts) == [len(rows.spans[i]) for i in range(len(rows.views))]
    assert rows.match_count == sum(len(s) for s in rows.spans[:])


def test_an_actor_and_a_search_narrow_together(sample):
    corpus = _corpus(sample)
    lavrov = next(a.id for a in sample.actors if "Lavrov" in a.name)
    rows = corpus.filtered(lavrov, corpus.search("the"))
    assert rows.views and all(v.statement.actor_id == lavrov for v in rows.views)
    assert list(rows.counts) == [len(s) for s in rows.spans[:]]
    everyone = corpus.filtered(lavrov, None)
    assert len(everyone.views) >= len(rows.views) and everyone.match_count == 0


def test_spans_are_found_once_per_row_and_only_when_asked(sample):
    corpus = _corpus(sample)
    result = corpus.search("kremlin")
    calls = []
    real = result.spans
    result.spans = lambda view: calls.append(view) or real(view)  # type: ignore[method-assign]
    spans = LazySpans(corpus.filtered(None, result).views, result)
    assert calls == []
    first = spans[0]
    assert spans[0] is first and spans[-1] == real(corpus.filtered(None, result).views[-1])
    assert len(calls) == 2  # row 0 once, the last row once


def test_counts_taken_from_a_built_index_are_the_quotes_counted(sample):
    """Counted from the index's arrays when it is built (a count over a million quotes
    would hold the GIL for half a second on the screen's first draw)."""
    from store.views import statement_counts

    corpus = _corpus(sample)
    corpus.build_index()
    assert corpus._counts is not None  # taken, not left to be counted
    assert corpus.counts == statement_counts(v.statement for v in corpus.views)


def test_a_search_waits_for_the_loaders_index_and_not_for_ever(sample):
    import threading

    corpus = _corpus(sample)
    corpus.expect_index()  # a loader said it builds it
    found: list = []
    asking = threading.Thread(target=lambda: found.append(corpus.search("ceasefire")))
    asking.start()
    asking.join(0.2)
    assert asking.is_alive() and not found and not corpus.index_ready
    corpus.index_settled()  # the loader failed before it built the index
    asking.join(5)
    assert found and found[0].hits and corpus.index_ready


def test_a_searchs_rows_are_places_in_the_list_and_no_search_is_the_list_itself(sample):
    """A keystroke makes no list of the matching quotes (209,000 of them for a phrase at
    1,000,000): the rows are their places in the corpus's list, in its order."""
    from store.glimpse import Picked
    from store.query import tokenize

    corpus = _corpus(sample)
    rows = corpus.filtered(None, corpus.search("the"))
    assert isinstance(rows.views, Picked) and rows.views.base is corpus.views
    assert list(rows.views) == [v for v in corpus.views  # a word typed matches as a prefix
                                if any(t.startswith("the") for t in tokenize(v.statement.text))]
    assert rows.views[1:3] == list(rows.views)[1:3] and rows.views[-1] is list(rows.views)[-1]
    assert corpus.filtered(None, None).views is corpus.views
    assert corpus.filtered(None, corpus.search("  ")).views is corpus.views


def test_a_picked_row_is_found_by_its_view_or_its_statement(sample):
    """Where the cursor's quote is among new rows: the view itself, or with `same_id` a
    view of the same statement (the rows of a new reading)."""
    import copy

    import numpy as np

    from store.glimpse import Picked
    from tui.widgets.quote_list import _place_of

    corpus = _corpus(sample)
    picked = Picked(corpus.views, np.array([2, 5, 9], dtype=np.int64))
    assert _place_of(picked, corpus.views[5], False) == 1
    assert _place_of(picked, corpus.views[4], False) is None
    assert picked.row_of(9) == 2 and picked.row_of(3) is None and picked.row_of(99) is None
    other = copy.copy(corpus.views[9])
    assert _place_of(picked, other, False) is None and _place_of(picked, other, True) == 2


def test_the_cursors_quote_is_found_among_new_rows_from_its_place(sample):
    """From one search's rows to another's, or to the whole list and back, the cursor's
    quote is found from its place in the list (no pass over the rows)."""
    import numpy as np

    from store.glimpse import Picked
    from tui.widgets.quote_list import _kept

    views = _corpus(sample).views
    wide = Picked(views, np.array([1, 4, 6, 8, 12], dtype=np.int64))
    narrow = Picked(views, np.array([4, 8], dtype=np.int64))
    assert _kept(wide, 3, narrow, views[8]) == 1  # row 3 of wide is place 8
    assert _kept(narrow, 1, wide, views[8]) == 3
    assert _kept(wide, 2, narrow, views[6]) == -1  # not among them
    assert _kept(views, 8, narrow, views[8]) == 1 and _kept(narrow, 0, views, views[4]) == 4
    assert _kept(wide, 3, narrow, views[9]) is None  # not the quote at that row: not told
    assert _kept(list(views), 8, narrow, views[8]) is None  # another list: not told


def test_an_actors_rows_are_picked_by_arrays_and_are_their_quotes_in_order(sample):
    """With or without a search, an actor's rows are the quotes they said, in the list's
    order: from the index's arrays when it was built from these views, else from the
    views told once (an index taken over from another reading)."""
    from store.glimpse import Picked

    built = _corpus(sample)
    built.build_index()
    assert built._row_actors is not None  # from the build: no pass over the quotes
    taken = _corpus(sample)
    taken.take_search(built._search)  # an index not built from these very views
    assert taken._row_actors is None
    for corpus in (built, taken):
        for actor in [*sorted(corpus.counts), "nobody"]:
            for query in (None, "the", '"the kremlin"', "zzzz"):
                result = None if query is None else corpus.search(query)
                rows = corpus.filtered(actor, result)
                every = corpus.filtered(None, result).views
                assert isinstance(rows.views, Picked)
                assert list(rows.views) == [v for v in every if v.statement.actor_id == actor]
                assert list(rows.counts) == [len(s) for s in rows.spans[:]]
