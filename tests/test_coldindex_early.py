"""A large new file's first opening begun before the explorer is imported
(`tui.loading.start_early`): the helper is the one used, or stopped, in every path."""

from __future__ import annotations

import os

import pytest

from store import storage
from store.glimpse import LineViews
from tests.coldindex_support import archive, archive_file, first_id, small_is_large
from tests.explorer_support import settle, terminal_env, until
from tui import loading


@pytest.fixture
def fresh_db(tmp_path):
    return archive_file(tmp_path)


@pytest.fixture(autouse=True)
def _small_is_large(monkeypatch):
    return small_is_large(monkeypatch)


def test_a_new_large_files_helper_starts_before_the_explorer_and_is_the_one_used(
        fresh_db, monkeypatch):
    from store import coldhelper

    early = loading.start_early(fresh_db)
    assert early is not None
    started = []
    real = coldhelper.Helper.__init__
    monkeypatch.setattr(coldhelper.Helper, "__init__",
                        lambda self, *a: (started.append(self), real(self, *a))[1])
    seen = []
    loaded = loading.load(fresh_db, lambda _: None, shown=seen.append, early=early)
    assert started == []  # no second helper
    assert isinstance(seen[0].views, LineViews)  # glimpsed from the lines
    assert loaded.corpus.index_segment is seen[0].index_segment  # and that index taken
    assert early.helper._proc.returncode is not None and early.file.closed


@pytest.mark.parametrize("how", [{"ranked": True}, {}])  # a command's reading; no screen
def test_an_early_helper_of_no_use_is_stopped_before_the_file_is_read(fresh_db, how):
    early = loading.start_early(fresh_db)
    assert early is not None
    stopped = []
    real_open = loading.Store.open

    def opened(path):  # the file is about to be read the long way
        stopped.append(early.helper._proc.poll() is not None and early.file.closed)
        return real_open(path)

    loading.Store.open, saved = opened, loading.Store.open
    try:
        loading.load(fresh_db, lambda _: None, early=early, **how)
    finally:
        loading.Store.open = saved
    assert stopped == [True]


def test_no_helper_is_started_early_for_a_file_read_before_or_a_small_one(
        fresh_db, monkeypatch):
    from store import coldhelper

    loading.load(fresh_db, lambda _: None).after_shown()  # read: a snapshot kept
    assert loading.start_early(fresh_db) is None
    monkeypatch.setattr(loading, "_GLIMPSE_BYTES", fresh_db.stat().st_size)
    other = fresh_db.with_name("other.json")
    other.write_bytes(fresh_db.read_bytes())
    assert loading.start_early(other) is None  # not larger than a glimpse needs
    monkeypatch.setattr(loading, "_GLIMPSE_BYTES", 0)
    monkeypatch.setattr(coldhelper, "AVAILABLE", False)
    assert loading.start_early(other) is None


def test_the_explorer_command_starts_the_helper_before_the_explorer(fresh_db, monkeypatch):
    from tui import app, cli

    ran = []
    monkeypatch.setattr(app, "run_app", lambda path, early=None: (ran.append((path, early)),
                                                                   0)[1])
    assert cli.main(["--db", str(fresh_db)]) == 0
    (path, early), = ran
    assert path == fresh_db and isinstance(early, loading.Early) and early.path == fresh_db
    early.close()


@pytest.mark.usefixtures(terminal_env.__name__)
async def test_the_explorer_given_an_early_helper_uses_it(fresh_db, monkeypatch):
    from store import coldhelper
    from tui.app import ExplorerApp

    early = loading.start_early(fresh_db)
    started = []
    real = coldhelper.Helper.__init__
    monkeypatch.setattr(coldhelper.Helper, "__init__",
                        lambda self, *a: (started.append(self), real(self, *a))[1])
    app = ExplorerApp(path=fresh_db, early=early)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await until(pilot, lambda: not app._loading)
        assert len(app.corpus.views) == 1200
    assert started == [] and early.helper._proc.returncode is not None


def test_an_early_helper_of_a_file_replaced_since_is_not_used(fresh_db, tmp_path):
    """Replaced between the helper's start and the explorer's load (the time Textual takes
    to load): the glimpse is of the file there now, not of the one opened early."""
    early = loading.start_early(fresh_db)
    tables = archive()
    first = next(iter(tables["statements"].values()))
    first["text"] = "The zyzzyva accord. " + first["text"]
    first["span"] = [first["span"][0], first["span"][0] + len(first["text"])]
    newer = tmp_path / "newer.json"
    newer.write_bytes(storage.dumps(tables))
    os.replace(newer, fresh_db)
    seen = []
    loading.load(fresh_db, lambda _: None, shown=seen.append, early=early)
    assert isinstance(seen[0].views, LineViews)
    assert [h.view.statement.id for h in seen[0].search("zyzzyva").hits] == [first_id(tables)]
    assert early.file.closed and early.helper._proc.returncode is not None


def test_an_early_helper_of_another_path_is_stopped_before_a_new_one_starts(
        fresh_db, monkeypatch):
    from store import coldhelper

    early = loading.start_early(fresh_db)
    assert early is not None
    early.path = fresh_db.with_name("another.json")  # as if started for another file
    when_new = []
    real = coldhelper.Helper.__init__

    def init(self, *a):
        when_new.append(early.helper._proc.poll() is not None)
        real(self, *a)

    monkeypatch.setattr(coldhelper.Helper, "__init__", init)
    seen = []
    loading.load(fresh_db, lambda _: None, shown=seen.append, early=early)
    assert when_new == [True] and isinstance(seen[0].views, LineViews)


def test_an_early_helper_is_stopped_when_the_load_fails(fresh_db):
    early = loading.start_early(fresh_db)

    def progress(message):
        raise RuntimeError("the screen went away")

    with pytest.raises(RuntimeError):
        loading.load(fresh_db, progress, shown=lambda _: None, early=early)
    assert early.file.closed and early.helper._proc.returncode is not None


def test_the_explorer_command_stops_an_early_helper_the_explorer_did_not_take(
        fresh_db, monkeypatch):
    from store import StoreError
    from tui import app, cli

    given = []

    def run_app(path, early=None):  # the file went missing since: refused before loading
        given.append(early)
        raise StoreError("database not found")

    monkeypatch.setattr(app, "run_app", run_app)
    assert cli.main(["--db", str(fresh_db)]) == 2
    (early,) = given
    assert early is not None and early.file.closed
    assert early.helper._proc.returncode is not None


def test_an_explorer_closed_before_its_load_began_stops_its_early_helper(fresh_db):
    from tui.app import ExplorerApp

    early = loading.start_early(fresh_db)
    ExplorerApp(path=fresh_db, early=early).on_unmount()
    assert early.file.closed and early.helper._proc.returncode is not None
