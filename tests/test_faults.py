"""Faults injected at every step of a write: the old file survives, the error is one line.

A write is: lock, temporary file, write, fsync, chmod, replace, fsync the
folder. Each step is made to fail here as a full disk, an I/O error or a
read-only folder would make it fail; the real short write (RLIMIT_FSIZE) is
in test_storage.py. The migration's backup copy is a write too.
"""

from __future__ import annotations

import errno
import os
import shutil
import tempfile
from pathlib import Path

import pytest

from store import Actor, Store, WriteFailed
from tui.cli import main


def _oserror(code: int):
    def fail(*args, **kwargs):
        raise OSError(code, os.strerror(code))

    return fail


def _fail_on_call(real, n: int, code: int):
    """`real`, except that its n-th call (1-based) fails with `code`."""
    calls = {"n": 0}

    def maybe(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == n:
            raise OSError(code, os.strerror(code))
        return real(*args, **kwargs)

    return maybe


class _FailingFile:
    """A file object whose write() fills the disk after some bytes, as a real one can."""

    def __init__(self, f) -> None:
        self._f = f

    def write(self, data: bytes) -> int:
        self._f.write(data[: len(data) // 2])
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    def writelines(self, parts) -> None:
        for part in parts:
            self.write(part)

    def __getattr__(self, name):
        return getattr(self._f, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self._f.close()


def _half_write_fdopen(*args, **kwargs):
    return _FailingFile(_real_fdopen(*args, **kwargs))


_real_fdopen = os.fdopen

FAULTS = {
    "no temp file (ENOSPC)": (tempfile, "mkstemp", _oserror(errno.ENOSPC), "No space left"),
    "read-only folder": (tempfile, "mkstemp", _oserror(errno.EROFS), "Read-only file system"),
    "disk full mid-write": (os, "fdopen", _half_write_fdopen, "No space left"),
    "fsync fails (ENOSPC)": (os, "fsync", _fail_on_call(os.fsync, 1, errno.ENOSPC),
                             "No space left"),
    "fsync fails (EIO)": (os, "fsync", _fail_on_call(os.fsync, 1, errno.EIO),
                          "Input/output error"),
    "chmod fails": (os, "chmod", _oserror(errno.EPERM), "Operation not permitted"),
    "replace fails": (os, "replace", _oserror(errno.EXDEV), "Invalid cross-device link"),
}


def _files(folder) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if not p.name.endswith(".lock"))


@pytest.mark.parametrize("fault", FAULTS)
def test_a_failed_write_keeps_the_previous_file_and_says_so(tmp_path, monkeypatch, fault):
    module, name, replacement, reason = FAULTS[fault]
    path = tmp_path / "db.json"
    store = Store.open(path, create=True)
    store.add(Actor(id="a", name="A"))
    before = path.read_bytes()
    monkeypatch.setattr(module, name, replacement)
    with pytest.raises(WriteFailed) as e:
        store.add(Actor(id="b", name="B"))
    monkeypatch.undo()
    message = str(e.value)
    assert reason in message and "the previous version is intact" in message
    assert "\n" not in message
    assert path.read_bytes() == before
    assert _files(tmp_path) == ["db.json"]  # the temporary file was removed
    assert store.find(Actor, "b") is None  # nor does the failed write linger in memory
    store.add(Actor(id="c", name="C"))  # and the next write works
    assert Store.open(path).ids(Actor) == {"a", "c"}


def test_a_folder_that_cannot_be_synced_does_not_undo_a_completed_write(tmp_path, monkeypatch):
    """The replace has happened: reporting 'previous version intact' would be a lie."""
    path = tmp_path / "db.json"
    store = Store.open(path, create=True)
    monkeypatch.setattr(os, "fsync", _fail_on_call(os.fsync, 2, errno.EINVAL))
    store.add(Actor(id="a", name="A"))
    monkeypatch.undo()
    assert Store.open(path).ids(Actor) == {"a"}
    assert _files(tmp_path) == ["db.json"]


def test_a_lock_that_cannot_be_taken_is_one_line(tmp_path, monkeypatch):
    path = tmp_path / "db.json"
    store = Store.open(path, create=True)
    before = path.read_bytes()
    from filelock import FileLock

    monkeypatch.setattr(FileLock, "acquire", _oserror(errno.EROFS))
    with pytest.raises(WriteFailed, match=r"cannot lock .*Read-only file system"):
        store.add(Actor(id="a", name="A"))
    assert path.read_bytes() == before


def test_a_failed_migration_backup_leaves_the_old_file_alone(tmp_path, monkeypatch):
    from store import db, migrations

    path = tmp_path / "db.json"
    Store.open(path, create=True).add(Actor(id="a", name="A"))
    old = path.read_bytes()
    monkeypatch.setattr(migrations, "SCHEMA_VERSION", 2)
    monkeypatch.setattr(db, "SCHEMA_VERSION", 2)
    monkeypatch.setitem(migrations.STEPS, 1, lambda t: t["actors"]["a"].update(role="new"))

    real_copy2, failed = shutil.copy2, []

    def half_copy(src, dst, **kwargs):
        if failed:
            return real_copy2(src, dst, **kwargs)
        failed.append(dst)
        with open(dst, "wb") as f:
            f.write(Path(src).read_bytes()[:10])
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(shutil, "copy2", half_copy)
    with pytest.raises(WriteFailed) as e:
        Store.open(path)
    assert "No space left" in str(e.value) and "\n" not in str(e.value)
    assert path.read_bytes() == old
    assert _files(tmp_path) == ["db.json"]  # no half backup pretending to be one
    assert Store.open(path).get(Actor, "a").role == "new"  # disk freed: it migrates
    assert (tmp_path / "db.json.v1.bak").read_bytes() == old


@pytest.mark.parametrize("command", ["ingest", "import"])
def test_the_cli_reports_a_full_disk_in_one_line_and_exit_2(capsys, tmp_path, sample_db,
                                                           monkeypatch, command):
    article = Path(__file__).parent / "articles" / "ap-envoy.txt"
    exchange = tmp_path / "one.json"
    exchange.write_text('{"actors": [{"id": "someone-new", "name": "Someone New"}]}')
    before = sample_db.read_bytes()
    monkeypatch.setattr(os, "fsync", _oserror(errno.ENOSPC))
    code = main([command, str(article if command == "ingest" else exchange),
                 "--db", str(sample_db)])
    monkeypatch.undo()
    out, err = capsys.readouterr()
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "No space left on device" in err
    assert sample_db.read_bytes() == before
    assert _files(tmp_path) == ["one.json", "sample.json"]


def test_a_database_locked_too_long_by_another_writer_is_one_line_and_exit_2(
        capsys, tmp_path, sample_db, monkeypatch):
    from filelock import FileLock

    from store import storage

    monkeypatch.setattr(storage, "LOCK_TIMEOUT_S", 0.2)
    before = sample_db.read_bytes()
    exchange = tmp_path / "one.json"
    exchange.write_text('{"actors": [{"id": "someone-new", "name": "Someone New"}]}')
    with FileLock(str(sample_db) + ".lock"):  # another writer, stuck mid-write
        code = main(["import", str(exchange), "--db", str(sample_db)])
    out, err = capsys.readouterr()
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "is locked by another peace-tui process; try again" in err
    assert sample_db.read_bytes() == before
