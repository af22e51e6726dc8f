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
