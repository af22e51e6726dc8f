"""Start-up: time to first paint and to searchable, and memory, sample vs large archives.

    python bench/startup.py [--n 100000] [--big 1000000] [--runs 3]

Each run is a fresh process (as `peace-tui` is), headless, timed from the
moment it is spawned: `paint` is when the explorer's first screen has been
drawn, `shown` when its quotes are on screen (a database read for the
first time shows them while it indexes them), `searchable` when they are
shown and indexed (a large database read before: from its snapshot, before
its file is parsed, `store.glimpse`), `ready` when it is all read (edits
wait for it), `search` one query
after that, `rss` the resident memory then. The baseline in the same run is
the bundled sample (21 quotes): first paint with a large archive should
cost no more than 1.5x that. `tinydb` is the memory of a process holding
the same file in TinyDB alone (opened, nothing else), the denominator of
the memory ratio. `index` is how long the explorer's index build took
(in its loader's worker), when it built one, or, for a new file over 16 MB,
making its index from its lines in two processes (`store.coldindex`). Archives are generated once
into /tmp (`bench/corpus.py`).

Each database is started `--runs`+1 times (a 1,000,000-quote one at most
3): the first start finds no snapshot of it (`cold`) and saves one, the
others start from it (`warm`), as an analyst's second opening of the same
archive does. Snapshots go to a temporary folder, not the user's cache.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

_CHILD = Path(__file__).with_name("startup_child.py")


def _child(mode: str, path: Path, cache: Path) -> dict[str, float]:
    start = time.time()
    env = {**os.environ, "XDG_CACHE_HOME": str(cache)}
    out = subprocess.run([sys.executable, str(_CHILD), mode, str(path)], cwd=ROOT, env=env,
                         capture_output=True, text=True, check=True, timeout=600).stdout
    found: dict[str, float] = {}
    for line in out.splitlines():
        key, _, value = line.partition(" ")
        if key in ("paint", "shown", "searchable", "ready"):
            found[key] = float(value) - start
        elif key in ("search", "rss", "index"):
            found[key] = float(value)
    return found


def archive(n: int) -> Path:
    path = Path(f"/tmp/peace-tui-bench-{n}.json")
    if not path.exists():
        subprocess.run([sys.executable, str(ROOT / "bench" / "corpus.py"), "--n", str(n),
                        "--out", str(path)], check=True)
    return path


def _sample() -> Path:
    from store import Store
    from store.sample import load_sample

    path = Path("/tmp/peace-tui-bench-sample.json")
    path.unlink(missing_ok=True)
    Store.open(path, create=True).add_bundle(load_sample())
    return path


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--big", type=int, default=0, help="also an archive this large (1000000)")
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    dbs = [("sample", _sample()), (f"{args.n:,}", archive(args.n))]
    if args.big:
        dbs.append((f"{args.big:,}", archive(args.big)))
    print(f"{'database':<12}{'start':<7}{'paint s':>9}{'shown s':>9}{'searchable s':>14}"
          f"{'ready s':>10}{'index s':>9}"
          f"{'search ms':>11}{'rss MB':>9}{'tinydb MB':>11}{'rss/tinydb':>12}")
    rows = {}
    with tempfile.TemporaryDirectory() as cache:
        for label, path in dbs:
            base = _child("tinydb", path, Path(cache))["rss"]
            runs = args.runs if label != f"{args.big:,}" else min(args.runs, 2)
            # The first start finds no snapshot (cold); the next ones find the first's.
            shutil.rmtree(Path(cache) / "peace-tui", ignore_errors=True)
            starts = [_child("app", path, Path(cache)) for _ in range(runs + 1)]
            # A small database is read at once, never snapshotted: every start is cold.
            kinds = ([("cold", starts)] if label == "sample"
                     else [("cold", starts[:1]), ("warm", starts[1:])])
            for kind, got in kinds:
                med = {k: statistics.median(r[k] for r in got) for k in got[0]}
                rows[label, kind] = med
                built = f"{med['index']:.2f}" if "index" in med else "-"
                print(f"{label:<12}{kind:<7}{med['paint']:>9.2f}{med['shown']:>9.2f}"
                      f"{med['searchable']:>14.2f}{med['ready']:>10.2f}{built:>9}"
                      f"{med['search']:>11.1f}{med['rss']:>9.0f}{base:>11.0f}"
                      f"{med['rss'] / base:>11.2f}x")
    big = rows[f"{args.n:,}", "warm"]
    print(f"first paint {args.n:,} / sample: {big['paint'] / rows['sample', 'cold']['paint']:.2f}x")


if __name__ == "__main__":
    main()
