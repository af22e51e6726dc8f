"""Segments merged from their arrays are the segment a build of the same quotes makes."""

from __future__ import annotations

import random

import numpy as np
import pytest

from bench.archive import views_of
from bench.corpus import generate
from store.index import Segment
from store.merge import merged
from store.search import QuoteSearch, _Part


def _built(views) -> Segment:
    return _Part(list(views), 0).segment


def _same(a: Segment, b: Segment) -> None:
    """Array for array, what a search reads (and what a snapshot keeps)."""
    assert (a.n, a.end, a.vocab, a.actor_ids) == (b.n, b.end, b.vocab, b.actor_ids)
    for name in Segment._ARRAYS:
        x, y = getattr(a, name), getattr(b, name)
        assert x.dtype == y.dtype, name
        assert np.array_equal(x, y), name
    assert a.issues.keys() == b.issues.keys()  # as sets: their order is not read
    for code in a.issues:
        assert a.issues[code].dtype == b.issues[code].dtype
        assert np.array_equal(a.issues[code], b.issues[code]), code


@pytest.fixture(scope="module")
def views():
    return views_of(generate(1200, seed=11))


def test_a_segment_put_in_another_order_is_that_orders_build(views):
    rng = random.Random(3)
    order = list(range(len(views)))
    rng.shuffle(order)
    seg = _built(views)
    rows = np.empty(len(views), dtype=np.int64)
    rows[order] = np.arange(len(views))  # document order[r] becomes row r
    _same(merged([(seg, rows)], len(views)), _built([views[k] for k in order]))


@pytest.mark.parametrize("moved", [False, True])
def test_dead_documents_and_a_second_segment_make_the_build_of_what_stands(views, moved):
    """An ingest's shape: the earlier segment with some quotes dead, the new ones in a
    small segment, put in a display order that interleaves them; the earlier quotes in
    their order (their entries merged with the new ones'), or `moved` past one another
    (all sorted again)."""
    old, new = views[:1000], views[1000:]
    rng = random.Random(7)
    dead = set(rng.sample(range(len(old)), 90))
    standing = [v for k, v in enumerate(old) if k not in dead]
    if moved:
        shown = standing + new
        rng.shuffle(shown)
    else:  # as an ingest of quotes dated among the others
        slots = set(rng.sample(range(len(standing) + len(new)), len(new)))
        each = [iter(standing), iter(new)]
        shown = [next(each[k in slots]) for k in range(len(standing) + len(new))]
    row = {v.statement.id: r for r, v in enumerate(shown)}
    old_rows = np.array([-1 if k in dead else row[v.statement.id] for k, v in enumerate(old)])
    new_rows = np.array([row[v.statement.id] for v in new])
    got = merged([(_built(old), old_rows), (_built(new), new_rows)], len(shown))
    _same(got, _built(shown))


def test_a_merged_segment_answers_as_a_built_one(views):
    """Ranked hits and phrases, through the search, not only the arrays."""
    old, new = views[:700], views[700:]
    shown = sorted(views, key=lambda v: v.statement.id)
    row = {v.statement.id: r for r, v in enumerate(shown)}
    parts = [(_built(p), np.array([row[v.statement.id] for v in p])) for p in (old, new)]
    a = QuoteSearch(shown, segment=merged(parts, len(shown)))
    b = QuoteSearch(shown)
    for q in ("peace", '"of the"', '"the war"', "sanctoins", "speaker:kovalenko talks",
              "issue:ce -the", "after:2023-01-01 war"):
        ra, rb = a.search(q), b.search(q)
        assert [(h.view.statement.id, h.score) for h in ra.top(50)] == \
            [(h.view.statement.id, h.score) for h in rb.top(50)], q


def test_a_word_only_dead_documents_held_leaves_the_vocabulary(views):
    seg = _built(views[:50])
    rows = np.arange(50)
    rows[10:] = -1
    got = merged([(seg, rows)], 10)
    _same(got, _built(views[:10]))
    assert len(got.vocab) < len(seg.vocab)


@pytest.mark.parametrize("rows", [[0, 0, 1], [0, 1, -1], [0, 1, 3], [0, -5, 1]])
def test_rows_that_do_not_cover_each_document_once_are_refused(views, rows):
    seg = _built(views[:3])
    assert merged([(seg, np.array(rows))], 3) is None


def test_a_capped_count_is_refused(views):
    """A word over 65,535 times in a quote is counted 65,535: its positions cannot be
    told apart by document from the counts."""
    seg = _built(views[:3])
    seg.post_tf = seg.post_tf.copy()
    seg.post_tf[0] -= 1
    assert merged([(seg, np.arange(3))], 3) is None


def test_nothing_merged_is_an_empty_segment(views):
    seg = _built(views[:3])
    got = merged([(seg, np.full(3, -1))], 0)
    assert (got.n, got.vocab, got.actor_ids, len(got.pos)) == (0, [], [], 0)
