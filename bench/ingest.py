"""How many articles per second `peace-tui ingest` extracts and stores, on one core.

    python bench/ingest.py [--n 200] [--article PATH]

Times, in one run: cleaning alone (the floor), the full extraction
(quotes, speakers, dates, issues, validated models), and extraction plus
saving into a file database (`peace-tui ingest FILE...` extracts every
file, then saves them in one atomic write). Each article is made unique
so the duplicate check never skips it. Prints medians of repeated runs and
the ratio to cleaning alone.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from store import Actor, Statement, Store  # noqa: E402
from store.ingest.clean import clean_article  # noqa: E402
from store.ingest.pipeline import ArticleMeta, extract_article  # noqa: E402

DEFAULT = ROOT.parent / "shared" / "corpus" / "articles" / "dailymail-kremlin-rejects-us-plan.txt"


def _rate(fn, texts: list[str], repeats: int = 5) -> tuple[float, float]:
    """Articles per second: (wall clock, CPU time of this process), medians of repeats.

    On a shared machine the wall clock also counts time spent waiting for the core;
    CPU time is what 'on one core' means, and is printed beside it."""
    wall, cpu = [], []
    for _ in range(repeats):
        t0, c0 = time.perf_counter(), time.process_time()
        for text in texts:
            fn(text)
        wall.append(len(texts) / (time.perf_counter() - t0))
        cpu.append(len(texts) / max(time.process_time() - c0, 1e-9))
    return statistics.median(wall), statistics.median(cpu)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=200)
    ap.add_argument("--article", type=Path, default=DEFAULT)
    args = ap.parse_args()
    base = args.article.read_text("utf-8")
    texts = [f"{base}\n\nArticle number {i}." for i in range(args.n)]
    meta = ArticleMeta(outlet="Bench", title="Bench article")
    extract_article(texts[0], meta)  # warm caches (word lists, regexes)

    clean = _rate(clean_article, texts)
    extract = _rate(lambda t: extract_article(t, meta), texts)
    with tempfile.TemporaryDirectory() as tmp:
        store = Store.open(Path(tmp) / "db.json", create=True)
        runs = iter(range(10**9))

        def ingest_run(batch: list[str]) -> None:
            """What `peace-tui ingest FILE...` does: extract all, then one atomic write."""
            known = store.list(Actor)
            run = next(runs)
            bundles = []
            for text in batch:
                ex = extract_article(f"{text} run {run}", meta, known)
                bundles.append(ex.bundle())
            store.add_articles(bundles)

        wall, cpu = [], []
        for _ in range(3):
            t0, c0 = time.perf_counter(), time.process_time()
            ingest_run(texts)
            wall.append(len(texts) / (time.perf_counter() - t0))
            cpu.append(len(texts) / max(time.process_time() - c0, 1e-9))
        saved = statistics.median(wall), statistics.median(cpu)
        n_statements = store.count(Statement)

    size = len(base.encode())
    print(f"article: {args.article.name} ({size:,} bytes), {args.n} copies, one core")
    print(f"{'step':<34}{'articles/s':>12}{'CPU-time /s':>13}{'vs cleaning':>13}")
    for label, (w, c) in (("clean only (floor)", clean),
                          ("extract (quotes, speakers, ...)", extract),
                          ("extract + save (one write a run)", saved)):
        print(f"{label:<34}{w:>12.0f}{c:>13.0f}{c / clean[1]:>13.2f}")
    print(f"({n_statements} statements stored; CPU time excludes waiting for a busy core)")
    print(f"ingest articles/s: {extract[0]:.0f} extract, {saved[0]:.0f} with saving "
          f"(CPU time: {extract[1]:.0f}, {saved[1]:.0f}; target >= 100)")


if __name__ == "__main__":
    main()
