"""Crash loop: kill a writing process at random moments; is anything lost?

    python bench/crash_loop.py [--trials 200] [--baseline] [--seed 1]

A writer process adds statements to a database, and every other write
replaces an earlier statement with a shorter version, so the file also
shrinks. After each write returns it appends an acknowledgement ("ack") to
a side file and fsyncs it. The loop kills the writer with SIGKILL at a
random moment, then checks that the file still parses and holds every
acknowledged write (for a replaced statement: the acknowledged version or a
newer one). The same file is used for every trial, so each writer starts
from what the previous one left: a crash loop, as a flaky machine would
make.

`--baseline` runs the same workload on TinyDB's default JSONStorage (which
rewrites the file in place) to show that the check has teeth: a kill there
sometimes leaves a file that no longer parses. tests/test_crash_loop.py
runs a shorter loop (PEACE_TUI_CRASH_TRIALS, default 25) in CI.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["TrialResult", "run_trials"]

#: Padding that makes each write big enough to take a measurable time.
SOURCE_TEXT = "The talks resumed in Istanbul. " * 4000
CONTEXT = "Paragraph around the quote, long enough to matter. " * 30


# -- the writer (runs in the killed process) ------------------------------------
def _ack(fd: int, line: str) -> None:
    os.write(fd, (line + "\n").encode())
    os.fsync(fd)


def _peace_writer(db: Path, acks: int, start: int) -> None:
    """Writes through peace-tui's Store (AtomicJSONStorage)."""
    from store import Actor, Source, Statement, Store

    store = Store.open(db, create=True)
    if store.find(Source, "src") is None:
        store.add_bundle(__import__("store").Bundle(
            actors=[Actor(id="speaker", name="Speaker")],
            sources=[Source(id="src", title="Crash loop", text=SOURCE_TEXT)]))
    print("ready", flush=True)
    seq = start
    while True:
        seq += 1
        if seq % 2 == 0:
            # Replace an earlier statement with a shorter text: the file shrinks.
            target = f"st-{seq - 1}"
            old = store.find(Statement, target)
            if old is None:
                continue
            store.update(old.model_copy(update={"context": f"v{seq}"}))
            _ack(acks, f"update {target} {seq}")
        else:
            store.add(Statement(id=f"st-{seq}", actor_id="speaker", text=f"quote {seq}",
                                source_id="src", span=(0, 3), context=f"v{seq} {CONTEXT}"))
            _ack(acks, f"add st-{seq} {seq}")


def _tinydb_writer(db: Path, acks: int, start: int) -> None:
    """The same workload on TinyDB's default storage, which rewrites in place."""
    from tinydb import Query, TinyDB
    from tinydb.table import Document

    tiny = TinyDB(db)
    table = tiny.table("statements")
    if not tiny.table("sources"):
        tiny.table("sources").insert({"text": SOURCE_TEXT})
    print("ready", flush=True)
    seq = start
    while True:
        seq += 1
        if seq % 2 == 0:
            target = f"st-{seq - 1}"
            if not table.update({"context": f"v{seq}"}, Query().sid == target):
                continue
            _ack(acks, f"update {target} {seq}")
        else:
            table.insert(Document({"sid": f"st-{seq}", "context": f"v{seq} {CONTEXT}"},
                                  doc_id=seq))
            _ack(acks, f"add st-{seq} {seq}")


# -- the checker ------------------------------------------------------------------
def _read_acks(path: Path) -> tuple[dict[str, int], int, int]:
    """Each acknowledged statement id -> the version it must at least have; the last seq;
    how many writes were acknowledged."""
    versions: dict[str, int] = {}
    last = count = 0
    text = path.read_text() if path.exists() else ""
    for line in text.splitlines(keepends=True):
        if not line.endswith("\n"):
            break  # killed while writing the ack: that write was not acknowledged
        _, sid, seq = line.split()
        versions[sid] = int(seq)
        last = max(last, int(seq))
        count += 1
    return versions, last, count


def _stored_versions(db: Path, baseline: bool) -> dict[str, int]:
    """Statement id -> version found in the file; raises if the file cannot be read."""
    if baseline:
        data = json.loads(db.read_text())
        docs = data.get("statements", {}).values()
        return {d["sid"]: int(d["context"].split()[0][1:]) for d in docs}
    from store import Statement, Store

    store = Store.open(db)
    return {s.id: int(s.context.split()[0][1:]) for s in store.list(Statement)}


def check(db: Path, acks: Path, baseline: bool = False) -> str | None:
    """None when the file parses and holds every acknowledged write, else what is wrong."""
    want, _, _ = _read_acks(acks)
    try:
        have = _stored_versions(db, baseline)
    except Exception as e:  # what a reader would meet: this is the failure being counted
        return f"unreadable: {type(e).__name__}: {str(e)[:120]}"
    for sid, version in want.items():
        if sid not in have:
            return f"lost: acknowledged {sid} is missing"
        if have[sid] < version:
            return f"lost: {sid} is at v{have[sid]}, v{version} was acknowledged"
    return None


# -- the loop -----------------------------------------------------------------------
@dataclass
class TrialResult:
    trials: int = 0
    acked_writes: int = 0
    failures: list[str] = field(default_factory=list)

    def summary(self, label: str) -> str:
        rate = 100 * len(self.failures) / self.trials if self.trials else 0.0
        return (f"{label}: {self.trials} kills, {self.acked_writes} acknowledged writes, "
                f"{len(self.failures)} failures ({rate:.1f}%)")


def run_trials(folder: Path, trials: int, *, baseline: bool = False, seed: int = 1,
               max_delay: float = 0.25) -> TrialResult:
    """Start, kill and check the writer `trials` times on one database file."""
    rng = random.Random(seed)
    db, acks = folder / "crash.json", folder / "crash.acks"
    result = TrialResult()
    mode = "tinydb" if baseline else "peace"
    for _ in range(trials):
        _, last, _ = _read_acks(acks)
        proc = subprocess.Popen(
            [sys.executable, __file__, "--writer", mode, str(db), str(acks), str(last + 10)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            ready = proc.stdout.readline()  # type: ignore[union-attr]
            if ready.strip() != "ready":
                err = proc.stderr.read()[-500:]  # type: ignore[union-attr]
                result.failures.append(f"writer did not start: {err.strip()}")
                if "unreadable" in err or "Error" in err:
                    break  # the file is broken: every next trial would fail the same way
                continue
            time.sleep(rng.uniform(0, max_delay))
        finally:
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            proc.stdout.close()  # type: ignore[union-attr]
            proc.stderr.close()  # type: ignore[union-attr]
        result.trials += 1
        problem = check(db, acks, baseline)
        if problem:
            result.failures.append(problem)
            if baseline:
                # Start the next trial from a good file, as a user restoring a backup would.
                result.acked_writes += _read_acks(acks)[2]
                db.unlink()
                acks.unlink()
    result.acked_writes += _read_acks(acks)[2]
    return result


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == "--writer":
        mode, db, acks, start = sys.argv[2:6]
        fd = os.open(acks, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        writer = _tinydb_writer if mode == "tinydb" else _peace_writer
        writer(Path(db), fd, int(start))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--trials", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--baseline", action="store_true",
                        help="also run TinyDB's default JSONStorage, to show the check has teeth")
    args = parser.parse_args()
    runs = [("peace-tui AtomicJSONStorage", False)]
    if args.baseline:
        runs.append(("TinyDB JSONStorage (baseline)", True))
    failed = False
    for label, baseline in runs:
        with tempfile.TemporaryDirectory() as tmp:
            started = time.perf_counter()
            result = run_trials(Path(tmp), args.trials, baseline=baseline, seed=args.seed)
            took = time.perf_counter() - started
        print(result.summary(label) + f" in {took:.0f} s")
        for problem in sorted(set(result.failures))[:5]:
            print("   ", problem)
        failed |= bool(result.failures) and not baseline
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
