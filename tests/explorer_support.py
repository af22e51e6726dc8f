"""Helpers shared by the explorer's tests: building apps and reading the screen."""

from __future__ import annotations

import contextlib
import datetime as dt
import threading
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import Input

from store import Bundle, Store
from store.models import Actor, DatePrecision, Source, Statement
from tui.app import ExplorerApp


@pytest.fixture
def terminal_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """The terminal an analyst has over SSH: 256 colours, COLORTERM unset.

    The theme depends on what the terminal says it can show, so the tests
    say it, rather than inheriting whatever TERM the test run has.
    """
    monkeypatch.setenv("TERM", "xterm-256color")
    monkeypatch.delenv("COLORTERM", raising=False)
    monkeypatch.delenv("TEXTUAL_COLOR_SYSTEM", raising=False)


def open_app(db: Path) -> ExplorerApp:
    return ExplorerApp(Store.open(db))


async def settle(pilot: Pilot) -> None:
    """Let messages, the search worker and the refresh it triggers all finish."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def type_text(pilot: Pilot, text: str) -> None:
    """Type into the focused box, one key at a time (as slow as a user: keep it short)."""
    await pilot.press(*[_key(ch) for ch in text])
    await settle(pilot)


async def paste_text(pilot: Pilot, text: str) -> None:
    """Put text in the focused box at once: one change, as a paste would make."""
    box = pilot.app.focused
    assert isinstance(box, Input), box
    box.insert_text_at_cursor(text)
    await settle(pilot)


async def burst(pilot: Pilot, keys: list[str]) -> None:
    """Keys that reach the app all at once, as a terminal's read of a fast typist over
    SSH: each is queued before the one before it has been handled."""
    from textual import events

    for key in keys:
        name = _key(key)
        pilot.app.post_message(events.Key(name, key if len(key) == 1 else None))
    await settle(pilot)


_NAMES = {" ": "space", '"': "quotation_mark", ":": "colon", "-": "minus", "/": "slash",
          "?": "question_mark", "[": "left_square_bracket", "]": "right_square_bracket",
          "@": "at", "=": "equals_sign", ".": "full_stop"}


def _key(ch: str) -> str:
    return _NAMES.get(ch, ch)


def screen_lines(widget: Widget) -> list[str]:
    """What a Line API widget draws, line by line, as plain text."""
    return [widget.render_line(y).text for y in range(widget.scrollable_content_region.height)]


def hostile_bundle() -> Bundle:
    """Quotes and an actor whose text looks like Textual/Rich markup."""
    source = Source(id="src", title="[b]Title[/b]", outlet="[i]Outlet",
                    url="https://example.org/[x]", published=dt.date(2025, 5, 1),
                    text="x")
    actor = Actor(id="red", name="[red]Name", role="[@click=app.quit]role[/]")
    texts = ["[@click=app.quit]x[/]", "[bold]x[/bold]"]
    statements = [
        Statement(id=f"st-{i}", actor_id="red", text=t, source_id="src", span=(0, 1),
                  said_on=dt.date(2025, 5, 1), said_on_precision=DatePrecision.day,
                  context=f"Before {t} after.", issues=["Ce"])
        for i, t in enumerate(texts)
    ]
    return Bundle(actors=[actor], sources=[source], statements=statements)


def hostile_db(tmp_path: Path) -> Path:
    path = tmp_path / "hostile.json"
    Store.open(path, create=True).add_bundle(hostile_bundle())
    return path


async def until(pilot, condition, tries: int = 200) -> None:
    """Pause until a condition holds (settle would wait for the held reading too)."""
    for _ in range(tries):
        if condition():
            return
        await pilot.pause(0.01)
    raise AssertionError("the screen never got there")


def held_reread(monkeypatch):
    """reread, and patched (the explorer's own change applied), wait for the test to let
    them go: what the screen does meanwhile. `calls` says which ran."""
    import threading

    from tui import app as app_module

    go, calls = threading.Event(), []

    def holding(name):
        real = getattr(app_module, name)

        def held(store, previous, *changes):
            calls.append(name)
            assert go.wait(10)
            return real(store, previous, *changes)
        return held

    for name in ("reread", "patched"):
        monkeypatch.setattr(app_module, name, holding(name))
    return go, calls


@contextlib.asynccontextmanager
async def explorer_on_its_glimpse(path: Path, monkeypatch, rows: int, wait: float = 10):
    """The explorer on a database (of `rows` quotes, taken for large) showing its glimpse,
    its file parsed only once the test lets it (or after `wait` seconds, failing):
    (app, pilot, quote list, the event that lets it parse the file)."""
    from tui.widgets.quote_list import QuoteList

    go, real_open = threading.Event(), Store.open

    def held_open(*args, **kwargs):
        assert go.wait(wait)
        return real_open(*args, **kwargs)

    monkeypatch.setattr("tui.loading.Store.open", held_open)
    monkeypatch.setattr("tui.app.SYNC_LIMIT", 1000)
    app = ExplorerApp(path=path)
    try:
        async with app.run_test(size=(100, 30)) as pilot:
            quotes = app.query_one(QuoteList)
            await until(pilot, lambda: len(quotes.rows.views) == rows)
            yield app, pilot, quotes, go
    finally:
        go.set()
