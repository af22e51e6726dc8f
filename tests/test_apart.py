"""A recorded change made in a process of its own (store.apart): the same change, the
same answer, the same refusals, as the Editor here."""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import pytest

from store import Editor, NotFound, Statement, Store, WriteFailed
from store.apart import change_apart
from store.edits import NothingChanged


def _md5(path: Path) -> str:
    return hashlib.md5(path.read_bytes()).hexdigest()


def test_a_change_made_apart_is_in_the_file_and_in_the_history(sample_db: Path):
    first = Store.open(sample_db).list(Statement)[0]
    record = change_apart(sample_db, "delete_quote", first.id).value
    assert record.action == "delete quote" and first.text[:20] in record.summary
    store = Store.open(sample_db)
    assert first.id not in {s.id for s in store.list(Statement)}
    assert Editor(store).undoable() == record  # what u undoes next
    undone = change_apart(sample_db, "undo").value
    assert (undone.action, undone.summary) == ("undo", f"Undid: {record.summary}")
    assert first.id in {s.id for s in Store.open(sample_db).list(Statement)}


def test_keyword_arguments_and_objects_reach_the_child(sample_db: Path):
    st = Store.open(sample_db).list(Statement)[0]
    change_apart(sample_db, "edit_quote", st.id, actor_id=st.actor_id, said_on="2025-03",
                 issues=["GCh"], base=st)
    edited = Store.open(sample_db).get(Statement, st.id)
    assert str(edited.said_on) == "2025-03-01" and edited.issues == ["GCh"]


def test_a_refusal_there_is_the_same_refusal_here(sample_db: Path):
    before = _md5(sample_db)
    with pytest.raises(NotFound) as here:
        Editor(Store.open(sample_db)).delete_quote("no-such-quote")
    with pytest.raises(NotFound) as apart:
        change_apart(sample_db, "delete_quote", "no-such-quote")
    assert str(apart.value) == str(here.value)
    st = Store.open(sample_db).list(Statement)[0]
    with pytest.raises(NothingChanged):  # a subclass keeps its class
        change_apart(sample_db, "edit_quote", st.id, actor_id=st.actor_id, base=st)
    assert _md5(sample_db) == before


def test_a_store_package_in_the_working_folder_is_not_the_one_run(sample_db: Path,
                                                                  tmp_path: Path, monkeypatch):
    fake = tmp_path / "elsewhere" / "store"
    fake.mkdir(parents=True)
    (fake / "__init__.py").write_text("raise SystemExit('the wrong store')\n")
    (fake / "apart.py").write_text("raise SystemExit('the wrong store')\n")
    monkeypatch.chdir(fake.parent)
    first = Store.open(sample_db).list(Statement)[0]
    assert change_apart(sample_db, "delete_quote", first.id).value.action == "delete quote"


def test_only_changes_are_asked_for(sample_db: Path):
    with pytest.raises(ValueError, match="not a change"):
        change_apart(sample_db, "new_proposal_id", "x")


def test_a_child_that_fails_is_a_write_failure_and_the_file_is_as_it_was(
        sample_db: Path, monkeypatch):
    before = _md5(sample_db)
    first = Store.open(sample_db).list(Statement)[0]
    monkeypatch.setattr(sys, "executable", sys.executable + "-missing")
    with pytest.raises(WriteFailed, match="could not start"):
        change_apart(sample_db, "delete_quote", first.id)
    monkeypatch.setenv("PYTHONPATH", "")
    monkeypatch.setattr(sys, "executable", "/bin/false")
    with pytest.raises(WriteFailed, match="the change failed: exit 1"):
        change_apart(sample_db, "delete_quote", first.id)
    assert _md5(sample_db) == before


def test_the_answer_says_which_version_of_the_file_it_changed_into_which(sample_db: Path):
    """What lets the explorer take the change as its own (`Store.adopt_write`)."""
    here = Store.open(sample_db)
    first = here.list(Statement)[0]  # read: the version "shown"
    shown = here.version()
    changed = change_apart(sample_db, "delete_quote", first.id)
    assert here.changed_on_disk()
    assert here.adopt_write(shown, changed.written) and not here.changed_on_disk()
    assert here.version() == changed.written[1]
    assert first.id not in {s.id for s in here.list(Statement)}  # read again when asked


def test_a_change_over_another_version_or_written_over_since_is_not_adopted(sample_db: Path):
    here = Store.open(sample_db)
    first, second = here.list(Statement)[:2]
    shown = here.version()
    change_apart(sample_db, "delete_quote", first.id)  # another's write, not shown here
    here.history()  # read through the handle since: what is shown is still the first
    assert here.version() != shown
    changed = change_apart(sample_db, "delete_quote", second.id)
    assert not here.adopt_write(shown, changed.written) and here.changed_on_disk()
    later = Store.open(sample_db)
    later.list(Statement)  # reads the version before the next change
    shown = later.version()
    changed = change_apart(sample_db, "undo")
    Editor(Store.open(sample_db)).undo()  # and the file moves on after it
    assert not later.adopt_write(shown, changed.written) and later.changed_on_disk()
