"""Generate realistic peace-tui archives of any size, for benchmarks.

    python bench/corpus.py --n 100000 --out /tmp/archive-100k.json [--seed 1]

Writes a real peace-tui database file (the same TinyDB layout, schema and
checks as the store writes): a few hundred actors with roles, one source per
~8 statements whose text holds each statement verbatim at its span,
statements of 100-400 characters drawn from a Zipf-distributed vocabulary
of news English (plus generated names and rare words, so that searches for
a common word, two words, a phrase, a speaker and a typo behave as on a
real archive), dates spread over five years, issue codes, and proposals.
Everything comes from a seeded random generator: the same --n and --seed
give the same file.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import itertools
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from store.issue_codes import all_codes  # noqa: E402
from store.migrations import SCHEMA_VERSION  # noqa: E402
from store.storage import dumps  # noqa: E402

COMMON = """the of and to in a is that for on with as was it by be said this are at from
not have has will we they an but their which would been there all were can more its
our war peace talks ceasefire russia ukraine kremlin moscow kyiv president minister
foreign security guarantees sanctions troops border territory agreement plan deal
negotiations europe european united states nato military forces prisoners exchange
humanitarian support weapons drones missiles front line occupied regions recognition
sovereignty meeting summit delegation envoy proposal terms withdrawal referendum
elections government sovereign energy infrastructure reconstruction frozen assets
geneva istanbul riyadh washington brussels london paris berlin warsaw minsk ankara
must should could may never always only now today yesterday week month year people
country countries side sides leaders partners allies pressure position issue issues
question answer response attack attacks strikes air defence systems army soldiers
talk talking agreed agree reject rejected accept accepted demand demands condition
conditions just lasting durable fair real serious important clear strong direct
process progress result results step steps stage first second third new next last""".split()
RARE_SYLLABLES = "ka lo mi ra ven tor shi bel dan ost mar vik len gor pol sta nek rim zu".split()
FIRST = """Anna Boris Carla Dmytro Elena Farid Galina Hans Irina Jonas Kateryna Leonid Maria
Nikolai Olena Pavlo Rosa Sergei Tamara Viktor Yulia Zoran Oleksandr Andriy Karin Pierre""".split()
LAST = """Kovalenko Petrov Schmidt Dubois Rossi Novak Horvath Ivanenko Moreau Bauer Tkachenko
Sokolova Lindqvist Fischer Marchetti Kuznetsov Shevchenko Bondarenko Melnyk Orlov""".split()
ROLES = ["Foreign Minister", "President", "spokesperson", "Senior Fellow", "special envoy",
         "Defence Minister", "Prime Minister", "analyst", "ambassador", "negotiator"]
OUTLETS = ["Daily Mail", "Reuters", "AP", "The Guardian", "Kyiv Independent", "Interfax",
           "BBC", "Al Jazeera", "Le Monde", "Der Spiegel"]


def _vocabulary(rng: random.Random, size: int) -> list[str]:
    rare = set()
    while len(rare) < size:
        rare.add("".join(rng.choice(RARE_SYLLABLES) for _ in range(rng.randint(2, 4))))
    return COMMON + sorted(rare)


def _sentence(rng: random.Random, vocab: list[str], cum: list[float]) -> str:
    length = rng.randint(100, 400)
    words = rng.choices(vocab, cum_weights=cum, k=length // 4)
    text = " ".join(words)[:length].rsplit(" ", 1)[0]
    return text[0].upper() + text[1:] + "."


def generate(n: int, seed: int = 1) -> dict:
    rng = random.Random(seed)
    vocab = _vocabulary(rng, 20000)
    weights = [1.0 / (rank + 1) ** 1.05 for rank in range(len(vocab))]
    cum = list(itertools.accumulate(weights))
    codes = [c.code for c in all_codes()]
    n_actors = max(20, min(600, n // 150))
    actors = {}
    for i in range(n_actors):
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        aid = f"actor-{i}"
        actors[aid] = {"name": name, "kind": "person", "aliases": [name.split()[-1]],
                       "role": rng.choice(ROLES), "affiliation": None}
    start = dt.date(2021, 1, 1).toordinal()
    sources: dict[str, dict] = {}
    statements: dict[str, dict] = {}
    i = 0
    while i < n:
        per = rng.randint(4, 12)
        texts = [_sentence(rng, vocab, cum) for _ in range(min(per, n - i))]
        body, spans, pos = [], [], 0
        for t in texts:
            spans.append((pos, pos + len(t)))
            body.append(t)
            pos += len(t) + 2
        text = "\n\n".join(body)
        digest = hashlib.sha256(text.encode()).hexdigest()
        published = dt.date.fromordinal(start + rng.randint(0, 5 * 365))
        sid = f"src-{len(sources)}"
        sources[sid] = {"title": f"Article {len(sources)}: {texts[0][:60]}",
                        "outlet": rng.choice(OUTLETS), "url": None,
                        "published": published.isoformat(), "text": text,
                        "content_hash": digest}
        for t, span in zip(texts, spans, strict=True):
            dated = rng.random() < 0.7
            said = published - dt.timedelta(days=rng.randint(0, 3))
            statements[f"st-{i}"] = {
                "actor_id": f"actor-{rng.randrange(n_actors)}", "text": t, "source_id": sid,
                "span": list(span), "said_on": said.isoformat() if dated else None,
                "said_on_precision": "day" if dated else "unknown", "context": "",
                "issues": rng.sample(codes, rng.randint(0, 3)), "kind": "quote"}
            i += 1
    proposals = {}
    for k in range(max(2, n // 20000)):
        terms = [{"issue": rng.choice(codes), "text": _sentence(rng, vocab, cum)[:120],
                  "source_id": None, "span": None} for _ in range(rng.randint(3, 12))]
        proposals[f"proposal-{k}"] = {
            "title": f"Proposal {k}", "proposer": f"actor-{rng.randrange(n_actors)}",
            "date": dt.date.fromordinal(start + rng.randint(0, 5 * 365)).isoformat(),
            "date_precision": "day", "status": "proposed", "source_ids": [], "terms": terms}
    return {"meta": {"schema": {"schema_version": SCHEMA_VERSION}}, "actors": actors,
            "sources": sources, "statements": statements, "proposals": proposals}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=100_000, help="number of statements")
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    t0 = time.perf_counter()
    data = generate(args.n, args.seed)
    args.out.write_bytes(dumps(data))  # as the store writes it: a line per document
    size = args.out.stat().st_size
    print(f"wrote {args.out}: {args.n:,} statements, {len(data['sources']):,} sources, "
          f"{len(data['actors'])} actors, {size / 2**20:.0f} MiB in "
          f"{time.perf_counter() - t0:.1f} s")


if __name__ == "__main__":
    main()
