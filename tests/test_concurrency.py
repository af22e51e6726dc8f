"""Several processes on one database: ingests at once, and an explorer left open.

Every write holds the store's file lock and re-reads the file first, so
nothing another process saved is lost; the open explorer polls the file
(`ExplorerApp.reload_if_changed`) and shows what others wrote.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from store import Actor, Source, Statement, Store
from tests.explorer_support import open_app, paste_text, settle
from tui.widgets.quote_list import QuoteList

ARTICLES = Path(__file__).parent / "articles"


def _peace_tui() -> str:
    found = shutil.which("peace-tui") or str(Path(sys.executable).with_name("peace-tui"))
    if not os.access(found, os.X_OK):
        pytest.fail("the peace-tui console script is not installed (pip install -e .)")
    return found


def _ingest_at_once(db: Path, *articles: Path) -> list[dict]:
    """Start one `peace-tui ingest` per article, all at once; their JSON reports."""
    procs = [subprocess.Popen([_peace_tui(), "ingest", str(a), "--db", str(db), "--json"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for a in articles]
    reports = []
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        reports += json.loads(out)
    return reports


def test_ingests_running_at_once_lose_nothing_and_duplicate_nothing(tmp_path):
    db = tmp_path / "db.json"
    articles = sorted(ARTICLES.glob("*.txt"))[:4]
    reports = _ingest_at_once(db, *articles, articles[0])  # the first one twice
    assert sorted(r["status"] for r in reports) == ["added"] * 4 + ["already-present"]
    store = Store.open(db)
    added = [r for r in reports if r["status"] == "added"]
    assert store.ids(Source) == {r["source_id"] for r in added}
    quote_ids = [q["id"] for r in added for q in r["quotes"]]
    assert len(quote_ids) == len(set(quote_ids))
    assert store.ids(Statement) == set(quote_ids)
    for st in store.list(Statement):  # speakers and sources survived the actor merges
        store.get(Actor, st.actor_id)
        store.get(Source, st.source_id)
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


async def test_the_open_explorer_shows_what_another_process_ingests(sample_db):
    app = open_app(sample_db)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        before = len(app.corpus.views)
        report = _ingest_at_once(sample_db, ARTICLES / "ap-envoy.txt")[0]
        new_ids = {q["id"] for q in report["quotes"]}
        for _ in range(100):  # the explorer checks the file once a second
            await pilot.pause(0.05)
            if len(app.corpus.views) > before:
                break
        shown = {v.statement.id for v in app.query_one(QuoteList).rows.views}
        assert new_ids <= shown
        assert len(app.corpus.views) == before + len(new_ids)
    assert len(Store.open(sample_db).ids(Statement)) == before + len(new_ids)


async def test_the_open_explorer_reports_a_file_broken_under_it_once(sample_db):
    app = open_app(sample_db)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        shown = len(app.corpus.views)
        sample_db.write_bytes(b'{"meta": {"schema": ')
        app.reload_if_changed()
        app.reload_if_changed()
        await pilot.pause()
        errors = [n for n in app._notifications if n.severity == "error"]
        assert len(errors) == 1 and "corrupt or truncated" in errors[0].message
        assert "\n" not in errors[0].message
        assert len(app.corpus.views) == shown and app.is_running
        await pilot.press("q")
    assert sample_db.read_bytes() == b'{"meta": {"schema": '


async def test_the_explorers_own_save_keeps_what_another_process_wrote(sample_db):
    """Saved from the ingest screen after another process wrote, before the explorer looked."""
    app = open_app(sample_db)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        other = _ingest_at_once(sample_db, ARTICLES / "ap-envoy.txt")[0]
        await pilot.press("i")
        await paste_text(pilot, str(ARTICLES / "kyiv-drones.txt"))
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("f2")
        await settle(pilot)
        shown = {v.statement.id for v in app.query_one(QuoteList).rows.views}
        assert {q["id"] for q in other["quotes"]} <= shown
    ids = Store.open(sample_db).ids(Statement)
    assert {q["id"] for q in other["quotes"]} <= ids
    assert len(ids) == 21 + len(other["quotes"]) + 6  # the sample, ap-envoy, kyiv-drones


async def test_a_full_disk_during_the_explorers_save_is_one_line_and_changes_nothing(
        sample_db, monkeypatch):
    import errno
    import os

    app = open_app(sample_db)
    before = sample_db.read_bytes()
    async with app.run_test(size=(120, 36), notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("i")
        await paste_text(pilot, str(ARTICLES / "kyiv-drones.txt"))
        await pilot.press("enter")
        await settle(pilot)

        def full(*args):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

        monkeypatch.setattr(os, "fsync", full)
        await pilot.press("f2")
        await settle(pilot)
        monkeypatch.undo()
        errors = [n.message for n in app._notifications if n.severity == "error"]
        assert len(errors) == 1 and "No space left on device" in errors[0]
        assert "previous version is intact" in errors[0] and "\n" not in errors[0]
        assert app.is_running
    assert sample_db.read_bytes() == before
    # The disk check's timer may tick while the app shuts down: it reads nothing then.
    assert not app.is_running
    app.reload_if_changed()


async def test_the_open_explorer_keeps_its_data_when_the_file_is_deleted(sample_db):
    app = open_app(sample_db)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        shown = len(app.corpus.views)
        sample_db.unlink()
        app.reload_if_changed()
        app.reload_if_changed()
        await pilot.pause()
        errors = [n.message for n in app._notifications if n.severity == "error"]
        assert len(errors) == 1 and "was moved or deleted" in errors[0]
        assert len(app.corpus.views) == shown == len(app.query_one(QuoteList).rows.views)
