"""Crash loop: a writer killed with SIGKILL at random moments loses no acknowledged write.

The loop itself is `bench/crash_loop.py` (run it for 200 trials, and with
`--baseline` to see TinyDB's own storage fail the same check). Here it runs
PEACE_TUI_CRASH_TRIALS times (default 25) so CI stays fast.
"""

from __future__ import annotations

import os
from pathlib import Path

from bench.crash_loop import check, run_trials
from store import Actor, Source, Statement, Store

TRIALS = int(os.environ.get("PEACE_TUI_CRASH_TRIALS", "25"))


def test_killed_writers_lose_no_acknowledged_write(tmp_path: Path):
    result = run_trials(tmp_path, TRIALS, seed=7)
    assert result.trials == TRIALS
    assert result.failures == []
    assert result.acked_writes > TRIALS  # the writers did get work done between kills
    # A killed writer's temporary file is swept by the next write, not left to fill the disk.
    leftovers = [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    assert len(leftovers) <= 1, leftovers


def _seed(db: Path, acks: Path, versions: dict[str, int]) -> None:
    store = Store.open(db, create=True)
    store.add(Actor(id="speaker", name="Speaker"))
    store.add(Source(id="src", title="T", text="abc"))
    for sid, version in versions.items():
        store.add(Statement(id=sid, actor_id="speaker", text="q", source_id="src",
                            span=(0, 1), context=f"v{version}"))
    acks.write_text("".join(f"add {sid} {v}\n" for sid, v in versions.items()))


def test_the_checker_catches_a_lost_write_a_stale_version_and_a_torn_file(tmp_path: Path):
    """The loop's check has teeth: each kind of damage it looks for is reported."""
    db, acks = tmp_path / "crash.json", tmp_path / "crash.acks"
    _seed(db, acks, {"st-1": 1, "st-2": 2})
    assert check(db, acks) is None
    with acks.open("a") as f:
        f.write("add st-3 3\n")
    assert check(db, acks) == "lost: acknowledged st-3 is missing"
    db.unlink()
    _seed(db, acks, {"st-1": 1})
    with acks.open("a") as f:
        f.write("update st-1 5\nadd st-9")  # the unfinished last ack does not count
    assert check(db, acks) == "lost: st-1 is at v1, v5 was acknowledged"
    db.write_bytes(db.read_bytes()[:-7])
    assert check(db, acks).startswith("unreadable: DatabaseCorrupt")


def test_a_stale_temp_file_is_swept_but_not_another_databases(tmp_path: Path):
    db = tmp_path / "db.json"
    store = Store.open(db, create=True)
    stale = tmp_path / ".db.json.k1l2m3n4.tmp"
    stale.write_bytes(b"half a write")
    other = tmp_path / ".db.json.x.k1l2m3n4.tmp"  # a temp of the database 'db.json.x'
    other.write_bytes(b"someone else's")
    store.add(Actor(id="a", name="A"))
    assert not stale.exists() and other.exists()
