"""The parts of a first opening that save it time: the lines the helper found, taken
here (`LinesDrop`); the display order made one sort; the words copied a run of texts
at a time. Each gives what the long way gives."""

from __future__ import annotations

import mmap

import numpy as np
import pytest

from store import storage
from store.coldhalf import published
from store.coldhelper import Helper, LinesDrop, identity
from store.coldindex import _display_order, _reordered
from store.lines import LineTables
from store.tokens import Tokenized
from tests.coldindex_support import archive, archive_file
from tui import first_opening, loading


@pytest.fixture
def raw(tmp_path):
    return storage.dumps(archive())


def _same(a: LineTables, b: LineTables) -> bool:
    x, y = a.tables(), b.tables()
    return x.keys() == y.keys() and all(np.array_equal(x[k], y[k]) for k in x)


def test_lines_found_elsewhere_are_taken_as_found_here(raw):
    here = LineTables(raw)
    taken = LineTables.known(raw, here.tables())
    assert _same(taken, here)
    assert taken.ids("statements") == here.ids("statements")
    assert taken.doc("sources", 2) == here.doc("sources", 2)


@pytest.mark.parametrize("spoil", [
    lambda t: t["statements"].__setitem__(3, t["statements"][3] + 1),  # not after a newline
    lambda t: t.__setitem__("statements", t["statements"][::-1].copy()),  # not in order
    lambda t: t.__setitem__("statements", t["statements"].astype(np.int32)),
    lambda t: t.__setitem__("statements", t["statements"][:-1]),  # the table's end lost
    lambda t: t["statements"].__setitem__(-1, 10**12),  # past the end
    lambda t: t.__setitem__("sources", np.zeros(0, dtype=np.int64)),
    lambda t: t.__setitem__(7, t["sources"]),  # a name that is not one
])
def test_lines_that_are_not_where_lines_start_are_refused(raw, spoil):
    tables = LineTables(raw).tables()
    spoil(tables)
    with pytest.raises(ValueError):
        LineTables.known(raw, tables)


def test_the_helper_leaves_the_files_lines_for_this_process(tmp_path):
    path = archive_file(tmp_path)
    raw = path.read_bytes()
    with path.open("rb") as f:
        helper = Helper(path, identity(f.fileno()))
    try:
        found = helper.lines(raw, wait=60)
        assert found is not None and _same(found, LineTables(raw))
        assert helper.lines(raw[:-1] + b"]") is None  # not where this file's lines are
        helper._proc.kill()
        helper._proc.wait()
        assert _same(helper.lines(raw, wait=60), found)  # left before it ended: still there
    finally:
        helper.close()
    assert helper.lines(raw) is None  # closed: none


def test_none_are_taken_before_the_helper_leaves_them(raw):
    drop = LinesDrop.new()
    try:
        assert drop.take(raw) is None
        drop.put(LineTables(raw))
        assert _same(drop.take(raw), LineTables(raw))
    finally:
        drop.close()
    drop.close()  # twice: no harm
    assert drop.fd == -1


@pytest.mark.parametrize("left", [b"\x80\x05", b"not a pickle", b"\x80\x05K\x01.", None])
def test_what_is_not_the_lines_is_not_taken(raw, left):
    import os
    import struct

    drop = LinesDrop.new()
    try:
        if left is None:  # a length past what is there
            os.pwrite(drop.fd, struct.pack("<q", 10**9), 0)
        else:
            os.pwrite(drop.fd, left, 8)
            os.pwrite(drop.fd, struct.pack("<q", len(left)), 0)
        assert drop.take(raw) is None
    finally:
        drop.close()


def test_the_explorer_takes_the_lines_of_a_helper_started_first(tmp_path, monkeypatch):
    """A helper started before the explorer (`start_early`) is waited for; one started
    by the loader is not (it would find them after this process has)."""
    from store.coldhelper import Helper

    monkeypatch.setattr(loading, "SYNC_LIMIT", 1000)
    monkeypatch.setattr(loading, "_GLIMPSE_BYTES", 0)
    monkeypatch.setattr(first_opening, "LINES_FOUND_PER_S", 1e3)  # it may wait for them
    looked: list[bytes] = []
    monkeypatch.setattr(first_opening, "LineTables", lambda raw: looked.append(raw))
    waits: list[float] = []
    real = Helper.lines
    monkeypatch.setattr(Helper, "lines",
                        lambda self, raw, wait=0.0: (waits.append(wait), real(self, raw, wait))[1])
    path = archive_file(tmp_path)
    seen: list = []
    loading.load(path, lambda _: None, shown=seen.append, early=loading.start_early(path))
    assert seen and seen[0].index_ready and seen[0].search("the").hits
    assert not looked and waits[0] > 1

    monkeypatch.setattr(first_opening, "LineTables", LineTables)
    again = tmp_path / "again"
    again.mkdir()
    seen.clear()
    loading.load(archive_file(again), lambda _: None, shown=seen.append)  # no early helper
    assert seen and seen[0].index_ready and waits[1:] == [0.0]


def _lexsorted(day_of, names, source, start):
    rank = np.empty(len(names), dtype=np.int64)
    rank[np.array(sorted(range(len(names)), key=names.__getitem__))] = np.arange(len(names))
    day = day_of[source]
    return np.lexsort((start, rank[source], np.where(day > 0, day, 1)))


@pytest.mark.parametrize("huge", [False, True])
@pytest.mark.parametrize("seed", range(4))
def test_the_display_order_is_the_lexsort_of_day_source_and_start(seed, huge):
    rng = np.random.default_rng(seed)
    names = [f"src-{k}" for k in rng.permutation(300)]
    day_of = rng.choice([0, 1, 738000, 738001, 739999], size=len(names)).astype(np.int64)
    n = 5000
    source = rng.integers(0, len(names), n).astype(np.int32)
    start = rng.integers(0, 50, n).astype(np.int64)  # many ties: the sort is stable
    if huge:  # more than 63 bits in all: lexsorted instead
        start[::7] = rng.integers(-2**62, 2**62, len(start[::7]))
    assert np.array_equal(_display_order(day_of, names, source, start),
                          _lexsorted(day_of, names, source, start))
    assert len(_display_order(day_of, names, source[:0], start[:0])) == 0


@pytest.mark.parametrize("kind", ["runs", "shuffled", "one"])
def test_words_reordered_by_runs_or_one_by_one_alike(kind):
    rng = np.random.default_rng(1)
    n = 400
    lengths = rng.integers(0, 6, n).astype(np.int64)
    ids = rng.integers(0, 50, int(lengths.sum())).astype(np.int32)
    tok = Tokenized([str(k) for k in range(50)], ids, lengths)
    if kind == "runs":  # blocks of texts in a row, the blocks shuffled
        blocks = np.array_split(np.arange(n), 60)
        order = np.concatenate([blocks[k] for k in rng.permutation(len(blocks))])
    elif kind == "shuffled":
        order = rng.permutation(n)
    else:
        order = np.arange(1)
        tok = Tokenized(tok.terms, ids[:lengths[0]], lengths[:1])
    got = _reordered(tok, order)
    first = np.concatenate(([0], np.cumsum(tok.lengths)))
    expected = [tok.ids[first[k]:first[k + 1]] for k in order.tolist()]
    assert np.array_equal(got.ids, np.concatenate(expected))
    assert np.array_equal(got.lengths, tok.lengths[order])
    assert got.ids.dtype == tok.ids.dtype


def test_large_blocks_are_mapped_before_a_new_file_is_indexed_from_its_lines(
        tmp_path, monkeypatch):
    """As before a build (store.allocator): else the chunks' temporary arrays are left in
    the heap, and the explorer keeps more memory (1.49-1.51x TinyDB's at 100,000 quotes,
    some starts 1.56-1.70x; 1.47-1.48x with them mapped)."""
    monkeypatch.setattr(loading, "SYNC_LIMIT", 1000)
    monkeypatch.setattr(loading, "_GLIMPSE_BYTES", 0)
    steps: list[str] = []
    monkeypatch.setattr(first_opening, "map_large_blocks", lambda: steps.append("mapped"))
    real = first_opening.cold_index
    monkeypatch.setattr(first_opening, "cold_index",
                        lambda *a, **k: (steps.append("indexed"), real(*a, **k))[1])
    seen: list = []
    loading.load(archive_file(tmp_path), lambda _: None, shown=seen.append)
    assert seen and seen[0].index_ready
    assert steps[:2] == ["mapped", "indexed"]


def test_lines_and_sources_days_read_from_a_mapped_file_as_from_its_bytes(tmp_path, raw):
    """The helper maps the file (no copy of it to make): its lines and sources' days are
    the same as from the bytes."""
    path = tmp_path / "db.json"
    path.write_bytes(raw)
    with path.open("rb") as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as mapped:
        here, there = LineTables(raw), LineTables(mapped)
        assert _same(here, there)
        for table in ("statements", "sources", "actors"):
            assert there.ids(table) == here.ids(table)
        assert published(mapped, there) == published(raw, here)


def test_a_line_without_the_end_of_its_key_is_refused(tmp_path):
    """From bytes and from a mapped file alike (which has no `index` to raise)."""
    raw = b'{\n"t":{\n"abc\n}}'
    with pytest.raises(ValueError):
        LineTables.known(raw, {"t": np.array([8, 13])}).ids("t")
    path = tmp_path / "odd.json"
    path.write_bytes(raw)
    with (path.open("rb") as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as mapped,
          pytest.raises(ValueError)):
        LineTables.known(mapped, {"t": np.array([8, 13])}).ids("t")


@pytest.mark.parametrize("scan", [7, 64, 1000])
def test_lines_looked_for_a_slice_at_a_time_are_found_whatever_the_slice(raw, monkeypatch, scan):
    """Newlines are looked for a cache-sized slice at a time: slices that end anywhere,
    in a line, at a newline, or between a table's last line and its brace, find the
    same lines."""
    import store.lines as lines

    whole = LineTables(raw)
    monkeypatch.setattr(lines, "_SCAN_BYTES", scan)
    assert _same(LineTables(raw), whole)
