"""Opening an archive again: cold, unchanged (warm), and after an ingest's worth of change.

    python bench/reopen.py [--n 100000]

The explorer's loader (`tui.loading.load`, as its worker runs it), on a
copy of a generated archive, with snapshots in a temporary folder:

- long way: no snapshot yet, the file parsed, checked, sorted and indexed before
  any search (the baseline: how a first opening went before `store.coldindex`);
- cold: no snapshot yet, large files indexed from their lines in two processes
  and searchable before they are parsed (`store.coldindex`; a snapshot is saved);
- warm: the same file again, read with its snapshot;
- changed: 50 quotes added and one deleted (what a small ingest does), read
  with what is still true of the snapshot (and a snapshot of that kept);
- again: the changed file opened again, from that snapshot (glimpsed if large);
- grown: 50 quotes only added (an ingest), then again (glimpsed if large:
  `store.grown`, then `store.glimpse`).

`searchable` is when a corpus that answers searches was shown (before `ready`
when the file is glimpsed from its snapshot: `store.glimpse`, files over 128
MB), `ready` when the whole reading was, `after` the work the worker does
after that (freeing the parsed file, saving a snapshot: after a change, its
index's segments made one).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=100_000)
    args = ap.parse_args()
    from bench.startup import archive

    source = archive(args.n)
    with tempfile.TemporaryDirectory() as scratch:
        os.environ["XDG_CACHE_HOME"] = scratch
        import orjson

        from store.storage import dumps
        from tui.loading import load

        path = Path(scratch) / "archive.json"
        shutil.copy(source, path)
        os.sync()  # as a file opened the first time has long been: not being written back

        def opening(label: str) -> None:
            searchable: list[float] = []

            def shown(corpus) -> None:  # as the explorer is shown a corpus before `load` ends
                if corpus.index_ready and not searchable:
                    searchable.append(time.perf_counter() - t)

            t = time.perf_counter()
            loaded = load(path, lambda message: None, shown=shown)
            ready = time.perf_counter() - t
            loaded.after_shown()
            after = time.perf_counter() - t - ready
            first = searchable[0] if searchable else ready
            print(f"{label:<8} searchable {first:6.2f} s   ready {ready:6.2f} s   "
                  f"after {after:5.2f} s", flush=True)

        # The baseline, in the same run: a first opening the long way (parsed, checked,
        # sorted, indexed), as before `store.coldindex`; its snapshot then thrown away.
        from tui import loading

        loading._GLIMPSE_BYTES, glimpse_bytes = 1 << 62, loading._GLIMPSE_BYTES
        opening("long way")
        loading._GLIMPSE_BYTES = glimpse_bytes
        shutil.rmtree(Path(scratch) / "peace-tui", ignore_errors=True)
        opening("cold")
        opening("warm")
        tables = orjson.loads(path.read_bytes())
        statements = tables["statements"]
        ids = list(statements)
        for k in range(50):
            text = f"New statement {k} on the ceasefire talks."
            statements[f"st-new-{k}"] = dict(statements[ids[k]], text=text,
                                             span=[0, len(text)])
        del statements[ids[100]]
        path.write_bytes(dumps(tables))  # as an ingest through the store writes it
        del tables, statements
        opening("changed")
        opening("again")
        tables = orjson.loads(path.read_bytes())
        statements = tables["statements"]
        ids = list(statements)
        for k in range(50):  # only added, after the others: what an ingest writes
            text = f"Newer statement {k} on the ceasefire talks."
            statements[f"st-newer-{k}"] = dict(statements[ids[2 * k]], text=text,
                                               span=[0, len(text)])
        path.write_bytes(dumps(tables))
        del tables, statements
        opening("grown")
        opening("again")


if __name__ == "__main__":
    main()
