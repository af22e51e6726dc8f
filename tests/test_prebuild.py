"""The index made from the parsed file is the index made from the checked objects."""

from __future__ import annotations

import copy

import numpy as np
import pytest

from bench.archive import views_of
from bench.corpus import generate
from store import Store
from store.models import Source, Statement
from store.prebuild import prebuild
from store.search import QuoteSearch
from store.views import quote_views
from tui.loading import load

_ARRAYS = ("post_doc", "post_tf", "post_w", "off", "pos", "poff", "doc_start", "date",
           "actor", "alive")


def _same_segment(a, b) -> None:
    assert a.vocab == b.vocab and a.actor_ids == b.actor_ids and a.n == b.n
    for name in _ARRAYS:
        assert np.array_equal(getattr(a, name), getattr(b, name)), name
    assert a.issues.keys() == b.issues.keys()
    for code in a.issues:
        assert np.array_equal(a.issues[code], b.issues[code]), code


@pytest.mark.parametrize("seed", [1, 2])
def test_prebuilt_segment_equals_the_one_built_from_views(seed):
    tables = generate(3000, seed)
    # Ties in the explorer's order (one source, one start) and undated sources.
    docs = list(tables["statements"].values())
    docs[5]["span"] = list(docs[4]["span"])
    docs[5]["source_id"] = docs[4]["source_id"]
    next(iter(tables["sources"].values()))["published"] = None
    docs[7]["said_on"], docs[7]["said_on_precision"] = None, "unknown"
    views = views_of(tables)
    early = prebuild(tables["sources"], tables["statements"])
    assert early.ids == [v.statement.id for v in views]
    _same_segment(early.segment, QuoteSearch(views)._main.segment)


def test_search_takes_a_prebuilt_segment_only_for_the_same_statements(sample):
    store = Store.memory()
    store.add_bundle(sample)
    views = quote_views(store.bundle())
    early = prebuild(store.documents(Source), store.documents(Statement))
    taken = QuoteSearch(views, early)
    assert taken._main.segment is early.segment
    assert taken.search('"peace"').total == QuoteSearch(views).search('"peace"').total
    # Another order or other statements: the segment is not used.
    assert QuoteSearch(views[::-1], early)._main.segment is not early.segment
    assert QuoteSearch(views[1:], early)._main.segment is not early.segment


def test_text_is_cleaned_as_the_check_cleans_it(sample):
    store = Store.memory()
    store.add_bundle(sample)
    statements = copy.deepcopy(dict(store.documents(Statement)))
    first = next(iter(statements.values()))
    first["text"] = "Zebra\x07crossing " + first["text"]
    early = prebuild(store.documents(Source), statements)
    assert "zebracrossing" in early.segment.vocab


@pytest.mark.parametrize("said_on", ["2025-06-01T00:00:00", 20250601, "2025-W22-7"])
def test_a_date_not_as_this_program_writes_it_raises(sample, said_on):
    store = Store.memory()
    store.add_bundle(sample)
    statements = copy.deepcopy(dict(store.documents(Statement)))
    next(iter(statements.values()))["said_on"] = said_on
    with pytest.raises((ValueError, TypeError)):
        prebuild(store.documents(Source), statements)


def test_loader_uses_the_prebuilt_index(sample_db, monkeypatch):
    import tui.loading

    made = []
    monkeypatch.setattr(tui.loading, "prebuild", lambda *a: made.append(prebuild(*a)) or made[0])
    _, corpus = load(sample_db, lambda _: None)
    assert corpus.index._main.segment is made[0].segment
    fresh = QuoteSearch(corpus.views)
    _same_segment(corpus.index._main.segment, fresh._main.segment)
    assert corpus.search("ceasefire").total == fresh.search("ceasefire").total > 0


def test_loader_indexes_the_objects_when_the_file_is_unusual(sample_db, monkeypatch):
    import tui.loading

    def odd(*_):
        raise ValueError("not a stored date")

    monkeypatch.setattr(tui.loading, "prebuild", odd)
    _, corpus = load(sample_db, lambda _: None)
    assert corpus.search("ceasefire").total > 0
