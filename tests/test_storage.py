"""The durable storage: atomic writes, refusals, locking, other processes."""

import multiprocessing
import os
import stat

import pytest

from store import Actor, DatabaseCorrupt, DatabaseMissing, DatabaseTooNew, Store, WriteFailed
from store.errors import DatabaseUnreadable


def _files(folder):
    return sorted(p.name for p in folder.iterdir() if not p.name.endswith(".lock"))


def test_new_file_has_schema_and_no_temp_files(tmp_path):
    path = tmp_path / "db.json"
    store = Store.open(path, create=True)
    store.add(Actor(id="a", name="A"))
    assert store.schema_version == 1
    assert _files(tmp_path) == ["db.json"]


def test_missing_file_is_refused_unless_created(tmp_path):
    with pytest.raises(DatabaseMissing):
        Store.open(tmp_path / "none.json")
    assert not (tmp_path / "none.json").exists()


@pytest.mark.parametrize("content", [b"{not json", b'{"actors": {"a": {"name": "A"', b"[1, 2]",
                                     b'{"actors": []}', b'{"actors": {"a": {"name": "A"}}}'])
def test_corrupt_files_are_refused_and_untouched(tmp_path, content):
    path = tmp_path / "db.json"
    path.write_bytes(content)
    with pytest.raises(DatabaseCorrupt) as e:
        store = Store.open(path, create=True)
        store.add(Actor(id="a", name="A"))
    assert "\n" not in str(e.value)
    assert path.read_bytes() == content


def test_a_stored_document_that_fails_validation_is_reported(tmp_path):
    path = tmp_path / "db.json"
    path.write_bytes(b'{"meta": {"schema": {"schema_version": 1}}, '
                     b'"actors": {"a": {"name": "A", "kind": "alien"}}}')
    store = Store.open(path)
    with pytest.raises(DatabaseCorrupt, match="stored actor 'a' is invalid: kind"):
        store.list(Actor)


def test_newer_schema_is_refused_and_untouched(tmp_path):
    path = tmp_path / "db.json"
    content = b'{"meta": {"schema": {"schema_version": 99}}}'
    path.write_bytes(content)
    with pytest.raises(DatabaseTooNew, match="newer peace-tui"):
        Store.open(path, create=True)
    assert path.read_bytes() == content


def test_older_schema_is_migrated_after_a_backup(tmp_path, monkeypatch):
    from store import db, migrations

    path = tmp_path / "db.json"
    Store.open(path, create=True).add(Actor(id="a", name="A"))
    old = path.read_bytes()
    monkeypatch.setattr(migrations, "SCHEMA_VERSION", 2)
    monkeypatch.setattr(db, "SCHEMA_VERSION", 2)
    monkeypatch.setitem(migrations.STEPS, 1, lambda t: t["actors"]["a"].update(role="migrated"))
    store = Store.open(path)
    assert store.schema_version == 2
    assert store.get(Actor, "a").role == "migrated"
    assert (tmp_path / "db.json.v1.bak").read_bytes() == old


def test_empty_file_is_a_new_database(tmp_path):
    path = tmp_path / "db.json"
    path.touch()
    Store.open(path).add(Actor(id="a", name="A"))
    assert Store.open(path).get(Actor, "a").name == "A"


def test_permissions_are_kept(tmp_path):
    path = tmp_path / "db.json"
    store = Store.open(path, create=True)
    os.chmod(path, 0o600)
    store.add(Actor(id="a", name="A"))
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600


def test_unreadable_file_is_refused(tmp_path):
    if os.geteuid() == 0:
        with pytest.raises(DatabaseUnreadable):
            Store.open(tmp_path)  # a directory: root can read anything else
        return
    path = tmp_path / "db.json"
    Store.open(path, create=True)
    os.chmod(path, 0)
    with pytest.raises(DatabaseUnreadable):
        Store.open(path)


def test_failed_write_leaves_previous_file_intact(tmp_path, monkeypatch):
    path = tmp_path / "db.json"
    store = Store.open(path, create=True)
    store.add(Actor(id="a", name="A"))
    before = path.read_bytes()

    def full_disk(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full_disk)
    with pytest.raises(WriteFailed, match="No space left on device; the previous version"):
        store.add(Actor(id="b", name="B"))
    monkeypatch.undo()
    assert path.read_bytes() == before
    assert _files(tmp_path) == ["db.json"]
    # The failed write did not leave a stale cache behind: 'b' is not there.
    assert store.find(Actor, "b") is None
    store.add(Actor(id="c", name="C"))
    assert {a.id for a in Store.open(path).list(Actor)} == {"a", "c"}


def test_write_beyond_file_size_limit_fails_cleanly(tmp_path):
    # A real short write: RLIMIT_FSIZE makes write() fail with EFBIG part-way.
    code = f"""
import resource, sys
from store import Store, Actor, WriteFailed
s = Store.open({str(tmp_path / 'db.json')!r}, create=True)
s.add(Actor(id='a', name='A'))
size = __import__('os').path.getsize({str(tmp_path / 'db.json')!r})
resource.setrlimit(resource.RLIMIT_FSIZE, (size + 2000, size + 2000))
try:
    s.add(Actor(id='b', name='B' * 100000))
except WriteFailed as e:
    print('refused:', e)
    sys.exit(0)
sys.exit(1)
"""
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert "refused: could not save" in out.stdout
    assert [a.id for a in Store.open(tmp_path / "db.json").list(Actor)] == ["a"]
    assert _files(tmp_path) == ["db.json"]


def test_two_stores_on_one_file_see_each_other(tmp_path):
    path = tmp_path / "db.json"
    one = Store.open(path, create=True)
    two = Store.open(path)
    one.add(Actor(id="a", name="A"))
    assert two.get(Actor, "a").name == "A"
    assert not one.changed_on_disk() and two.changed_on_disk() is False
    two.add(Actor(id="b", name="B"))
    assert one.changed_on_disk()
    assert {a.id for a in one.list(Actor)} == {"a", "b"}


def _writer(path: str, prefix: str, n: int) -> None:
    store = Store.open(path)
    for i in range(n):
        store.add(Actor(id=f"{prefix}-{i}", name=f"{prefix} {i}"))


def test_concurrent_processes_lose_nothing(tmp_path):
    path = tmp_path / "db.json"
    Store.open(path, create=True)
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_writer, args=(str(path), p, 25)) for p in ("x", "y", "z")]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    assert Store.open(path).count(Actor) == 75
    assert _files(tmp_path) == ["db.json"]
