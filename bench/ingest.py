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


def _rate(fn, texts: list[str], repeats: int = 5) -> float:
    rates = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        for text in texts:
            fn(text)
        rates.append(len(texts) / (time.perf_counter() - t0))
    return statistics.median(rates)


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

        rates = []
        for _ in range(3):
            t0 = time.perf_counter()
            ingest_run(texts)
            rates.append(len(texts) / (time.perf_counter() - t0))
        saved = statistics.median(rates)
        n_statements = store.count(Statement)

    size = len(base.encode())
    print(f"article: {args.article.name} ({size:,} bytes), {args.n} copies, one core")
    print(f"{'step':<34}{'articles/s':>12}{'vs cleaning':>14}")
    print(f"{'clean only (floor)':<34}{clean:>12.0f}{1.0:>14.2f}")
    print(f"{'extract (quotes, speakers, ...)':<34}{extract:>12.0f}{extract / clean:>14.2f}")
    print(f"{'extract + save (one write a run)':<34}{saved:>12.0f}{saved / clean:>14.2f}"
          f"   ({n_statements} statements stored)")
    print(f"ingest articles/s: {extract:.0f} extract, {saved:.0f} with saving (target >= 100)")


if __name__ == "__main__":
    main()
