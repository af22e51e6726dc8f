"""Files a first opening (`store.coldindex`) must not be misled by, nor crash on: lines
that are not one document each, sources written otherwise than this program writes
them, documents of another form; and the helper process's hygiene. (Found in review.)"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from bench.corpus import generate
from store import StoreError, storage
from store.coldhelper import Helper, identity
from store.coldindex import cold_index
from store.glimpse import LineViews
from store.lines import LineTables
from tests.coldindex_support import shared_with_the_helper
from tui import loading


@pytest.fixture(autouse=True)
def _small_is_large(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))  # snapshots kept here
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setattr(loading, "SYNC_LIMIT", 1000)
    monkeypatch.setattr(loading, "_GLIMPSE_BYTES", 0)
    shared_with_the_helper(monkeypatch)  # both processes read part of the file


def _tables() -> dict:
    return generate(1200, seed=7)


def _dated_quoted_source(tables: dict, skip: int = 5) -> str:
    used = Counter(st["source_id"] for st in tables["statements"].values())
    return next(s for s in list(tables["sources"])[skip:]
                if tables["sources"][s]["published"] and used[s])


def _line(raw: bytes, key: str) -> tuple[int, int]:
    """Start and end (its newline) of the line whose key is `key`."""
    start = raw.index(b'\n"%s":{' % key.encode()) + 1
    return start, raw.index(b"\n", start)


def _ids(corpus) -> list[str]:
    return [v.statement.id for v in corpus.views]


def _opened(path: Path):
    """Opened as the explorer opens it: what it showed first, and what it read."""
    seen: list = []
    loaded = loading.load(path, lambda _: None, shown=seen.append)
    return seen, loaded


def _the_long_way(path: Path):
    return loading.load(path, lambda _: None).corpus  # no glimpse: ordered_views + build


def _same_as_the_long_way(path: Path) -> None:
    """The file is not glimpsed from its lines (one of them is not as this program
    writes it), and is read as the long way reads it."""
    seen, loaded = _opened(path)
    assert seen and not isinstance(seen[0].views, LineViews)
    built = _the_long_way(path)
    assert _ids(loaded.corpus) == _ids(built)  # display order
    mine, theirs = loaded.corpus.index_segment.to_arrays(), built.index_segment.to_arrays()
    assert [k for k in theirs if not np.array_equal(mine[k], theirs[k])] == []
    q = "after:2025-01-01"
    assert sorted(h.view.statement.id for h in loaded.corpus.search(q).hits) == \
        sorted(h.view.statement.id for h in built.search(q).hits)


# -- sources read from their lines' bytes: valid files (the long way accepts them, every
#    statement canonical) whose sources are not each a line of this program's form.
def test_source_line_with_leading_whitespace(tmp_path):
    tables = _tables()
    raw = storage.dumps(tables)
    start, _ = _line(raw, _dated_quoted_source(tables))
    path = tmp_path / "a.json"
    path.write_bytes(raw[:start] + b" " + raw[start:])
    _same_as_the_long_way(path)


def test_source_key_written_with_a_json_escape(tmp_path):
    tables = _tables()
    raw = storage.dumps(tables)
    sid = _dated_quoted_source(tables).encode()
    start, _ = _line(raw, sid.decode())
    escaped = b'"\\u%04x' % sid[0] + sid[1:]  # "\u0073rc-5" is "src-5" to any JSON reader
    path = tmp_path / "a.json"
    path.write_bytes(raw[:start] + escaped + raw[start + 1 + len(sid):])
    _same_as_the_long_way(path)


def test_source_with_its_published_key_twice(tmp_path):
    tables = _tables()
    raw = storage.dumps(tables)
    start, end = _line(raw, _dated_quoted_source(tables))
    line = raw[start:end].replace(b',"published":', b',"published":"1990-01-01","published":', 1)
    path = tmp_path / "a.json"
    path.write_bytes(raw[:start] + line + raw[end:])  # JSON: the last one counts
    _same_as_the_long_way(path)


def test_two_sources_on_one_line(tmp_path):
    tables = _tables()
    raw = storage.dumps(tables)
    sid = _dated_quoted_source(tables, skip=6)
    start, _ = _line(raw, sid)
    path = tmp_path / "a.json"
    path.write_bytes(raw[:start - 1] + raw[start:])  # joined onto the line before
    _same_as_the_long_way(path)


def test_a_reading_whose_sources_are_not_those_of_the_lines_does_not_take_their_index(
        tmp_path):
    tables = _tables()
    path = tmp_path / "a.json"
    path.write_bytes(storage.dumps(tables))
    raw = path.read_bytes()
    with path.open("rb") as f:
        found = cold_index(raw, LineTables(raw), Helper(path, identity(f.fileno())))
    assert found is not None
    sources = loading.Store.open(path).reading().bundle.sources
    assert found.same_sources(sources)
    moved = sources[4].model_copy(update={"published": None})
    assert not found.same_sources([*sources[:4], moved, *sources[5:]])
    assert not found.same_sources(sources[::-1])
    assert not found.same_sources(sources[:-1])


# -- lines that are not one document each; a source that is not an object
def test_a_statements_table_with_a_line_of_two_and_a_blank_line_is_read_the_long_way(
        tmp_path):
    tables = _tables()
    raw = storage.dumps(tables)
    ids = list(tables["statements"])
    a, _ = _line(raw, ids[10])
    b, _ = _line(raw, ids[20])
    # st-10 joined onto st-9's line, a blank line before st-20: as many documents as
    # lines, and valid to the long way; the glimpse's rows would be the wrong quotes.
    path = tmp_path / "a.json"
    path.write_bytes(raw[:a - 1] + raw[a:b - 1] + b"\n\n" + raw[b:])
    _same_as_the_long_way(path)


def _source_a_list(tables: dict) -> tuple[bytes, str]:
    raw = storage.dumps(tables)
    sid = _dated_quoted_source(tables)
    start, end = _line(raw, sid)
    comma = b"," if raw[end - 1:end] == b"," else b""
    return (raw[:start] + b'"%s":[{"title":"t","published":"2025-06-29"}]' % sid.encode()
            + comma + raw[end:]), sid


def test_glimpse_rows_of_a_file_not_known_to_be_valid_never_raise():
    """A row is drawn on the screen's thread: a line that is not a document, a source
    that is not an object, are drawn with no words, no source."""
    raw, sid = _source_a_list(_tables())
    lines = LineTables(raw)
    order = np.arange(lines.count("statements") + 1)  # and one line past the last
    source_line = {s: k for k, s in enumerate(lines.ids("sources"))}
    views = LineViews(lines, order, {}, source_line, checked=True)
    drawn = [views[i] for i in range(len(views))]
    assert drawn[-1].statement.text == ""
    assert any(v.statement.source_id == sid and v.source is None for v in drawn)
    unchecked = LineViews(lines, order, {}, source_line)  # a file known to be valid
    with pytest.raises(Exception):  # noqa: B017 - raises, as before
        [unchecked[i] for i in range(len(order))]


def test_a_file_with_a_source_that_is_not_an_object_is_refused(tmp_path):
    path = tmp_path / "a.json"
    path.write_bytes(_source_a_list(_tables())[0])
    seen: list = []
    with pytest.raises(StoreError):  # the long way refuses it, clearly
        loading.load(path, lambda _: None, shown=seen.append)
    assert not seen  # and nothing of it was shown first


# -- the helper process: not misled by the current folder, always reaped
def test_helper_does_not_run_code_from_the_current_directory(tmp_path, monkeypatch):
    path = tmp_path / "a.json"
    path.write_bytes(storage.dumps(_tables()))
    work = tmp_path / "cwd"
    work.mkdir()
    marker = work / "MARKER"
    (work / "orjson.py").write_text(f"open({str(marker)!r}, 'w').close()\nraise SystemExit\n")
    monkeypatch.chdir(work)
    raw = path.read_bytes()
    with path.open("rb") as f:
        helper = Helper(path, identity(f.fileno()))
    found = cold_index(raw, LineTables(raw), helper)
    assert not marker.exists()
    assert found is not None


def test_a_helper_that_died_at_once_is_reaped(monkeypatch):
    import time

    import store.coldhelper as coldhelper

    real = coldhelper.subprocess.Popen

    class Slow(real):  # the child (here /bin/false) is gone before the request is written
        def __init__(self, *a, **k):
            super().__init__(*a, **k)
            time.sleep(0.1)

    monkeypatch.setattr(coldhelper.subprocess, "Popen", Slow)
    monkeypatch.setattr(sys, "executable", "/bin/false")
    made = []
    monkeypatch.setattr(coldhelper.Helper, "__init__",
                        lambda self, *a, _init=coldhelper.Helper.__init__: (made.append(self),
                                                                           _init(self, *a))[1])
    with pytest.raises(BrokenPipeError):  # what Helper() does now (the caller falls back)
        Helper(Path("/nonexistent"), (0, 0, 0, 0))
    assert made[0]._proc.returncode is not None  # reaped
    assert made[0].claims.fd == -1  # and its claims' file closed


def test_a_file_of_a_newer_version_is_refused_before_anything_of_it_is_shown(tmp_path):
    from store.migrations import SCHEMA_VERSION

    tables = _tables()
    tables["meta"]["schema"]["schema_version"] = SCHEMA_VERSION + 1
    path = tmp_path / "newer.json"
    path.write_bytes(storage.dumps(tables))
    seen: list = []
    with pytest.raises(StoreError, match="newer"):
        loading.load(path, lambda _: None, shown=seen.append)
    assert not seen


@pytest.mark.parametrize("which", [0, -1])  # in this process's chunks, in the helper's
def test_a_text_holding_the_tokenizers_separator_is_read_the_long_way(tmp_path, which):
    """\\x01 is what the tokenizer puts between two texts; the store strips it from a
    text, so a file holding one in a quote is not of this program's writing."""
    tables = _tables()
    st = list(tables["statements"].values())[which]
    st["text"] = "zyzzyva\x01accord " + st["text"]
    st["span"] = [st["span"][0], st["span"][0] + len(st["text"])]
    path = tmp_path / "a.json"
    path.write_bytes(storage.dumps(tables))
    _same_as_the_long_way(path)
