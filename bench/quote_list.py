"""How long the quote list takes to fill, next to a DataTable in the same run.

    python bench/quote_list.py [--rows 100000] [--result 10000]

Builds synthetic QuoteViews, then in a headless app measures, for the
explorer's QuoteList (a Line API ScrollView) and for Textual's DataTable:
the time to show all the rows, and the time to swap in a search result of
`--result` rows. The machine is noisy, so compare the ratio, not the
seconds. The time to draw a screen after the swap is printed too: it is what
a user waits for.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import random
import time

from textual.app import App, ComposeResult
from textual.widgets import DataTable

from store.models import Actor, DatePrecision, Source, Statement, StatementKind
from store.views import QuoteView
from tui.corpus import Filtered
from tui.widgets.quote_list import QuoteList

WORDS = ["ceasefire", "sanctions", "territory", "security", "guarantees", "recognition",
         "Crimea", "front", "line", "troops", "withdrawal", "talks", "peace", "plan", "Kremlin",
         "Kyiv", "Washington", "the", "a", "of", "to", "must", "will", "never", "accept",
         "negotiate", "binding", "permanent", "truce", "hostilities"]


def synthetic_views(n: int, seed: int = 7) -> list[QuoteView]:
    rng = random.Random(seed)
    actors = [Actor(id=f"actor-{i}", name=f"Speaker Number {i}") for i in range(200)]
    source = Source(id="src", title="Synthetic", outlet="Bench Daily",
                    published=dt.date(2025, 4, 29))
    views = []
    for i in range(n):
        text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(6, 40)))
        actor = actors[i % len(actors)]
        # model_construct: these fields are valid by construction, and validating
        # 100,000 of them would take longer than anything measured here.
        st = Statement.model_construct(
            id=f"st-{i}", actor_id=actor.id, text=text, source_id="src", span=(i, i + len(text)),
            said_on=dt.date(2025, 1, 1 + i % 28), said_on_precision=DatePrecision.day,
            context="", issues=["Ce"] if i % 3 else [], kind=StatementKind.quote)
        views.append(QuoteView(st, actor, source))
    return views


class BenchApp(App[None]):
    def __init__(self, widget_type: str) -> None:
        super().__init__()
        self.widget_type = widget_type

    def compose(self) -> ComposeResult:
        yield QuoteList(id="list") if self.widget_type == "scrollview" else DataTable(id="list")


async def measure(kind: str, views: list[QuoteView], result: list[QuoteView]) -> dict[str, float]:
    app = BenchApp(kind)
    out: dict[str, float] = {}
    async with app.run_test(size=(120, 40)) as pilot:
        widget = app.query_one("#list")
        if isinstance(widget, DataTable):
            widget.add_columns("Speaker", "Date", "Quote", "Issues")

        def fill(rows: list[QuoteView]) -> None:
            if isinstance(widget, QuoteList):
                widget.show_rows(Filtered(rows, [()] * len(rows)))
            else:
                widget.clear()
                widget.add_rows((v.speaker, v.date_label(), v.statement.text,
                                 " ".join(v.statement.issues)) for v in rows)

        for label, rows in (("fill", views), ("swap", result)):
            t0 = time.perf_counter()
            fill(rows)
            out[label] = time.perf_counter() - t0
            t0 = time.perf_counter()
            await pilot.pause()
            out[label + "+draw"] = out[label] + time.perf_counter() - t0
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--result", type=int, default=10_000)
    args = parser.parse_args()
    views = synthetic_views(args.rows)
    result = views[:: max(1, args.rows // args.result)][: args.result]
    scroll = asyncio.run(measure("scrollview", views, result))
    table = asyncio.run(measure("datatable", views, result))
    print(f"{args.rows:,} rows, then a {len(result):,}-row result")
    print(f"{'':14}{'QuoteList':>12}{'DataTable':>12}{'ratio':>9}")
    for key in scroll:
        ratio = table[key] / scroll[key] if scroll[key] else float("inf")
        print(f"{key:14}{scroll[key] * 1000:10.1f}ms{table[key] * 1000:10.1f}ms{ratio:8.0f}x")


if __name__ == "__main__":
    main()
