"""Property tests: any text, through the query parser, the search and every widget.

Bounded on purpose (few examples, no deadline): they run in CI on every
push. Each example is arbitrary text mixed with the pieces attacks are made
of (brackets, tags, actions, ESC, BEL, C1, bidi overrides), so a shrunk
failure reads as the attack that found it.
"""

from __future__ import annotations

import asyncio

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from textual.content import Content

from store.query import parse_query
from store.search import QuoteSearch
from store.views import quote_views
from tests.hostile_support import hostile_bundle, screen_text, shown
from tui.app import ExplorerApp
from tui.corpus import Corpus
from tui.safe import literal_markup, safe
from tui.text import highlighted
from tui.widgets.plain_input import PlainInput

PIECES = ["[", "]", "[/]", "[b]", "@click=app.quit", "[@click=app.quit]", "[ @click=", "link=",
          "file:///etc/passwd", "\\", "\x1b", "\x1b]52;c;", "\x1b]0;", "\x07", "\x1b[2J", "\x9b",
          "\x9d", "\u202e", "\x00", "\r\n", "\t", '"', "-", ":", "speaker:", "issue:", "after:",
          "before:", "2025-02-30", "ceasefire", " "]
hostile_text = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=8)),
                        max_size=12).map("".join)
query_text = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=6)),
                      max_size=8).map("".join)
_CONTROL = "".join(chr(c) for c in [*range(0, 9), *range(11, 32), *range(127, 160)])


@pytest.fixture(scope="module")
def sample_index():
    from store.sample import load_sample

    return QuoteSearch(quote_views(load_sample()))


@settings(max_examples=200, deadline=None)
@given(query_text)
def test_the_query_parser_never_raises(text):
    q = parse_query(text)
    assert all("\n" not in p for p in q.problems)


@settings(max_examples=60, deadline=None)
@given(query=query_text)
def test_search_never_raises_and_its_spans_can_be_shown(sample_index, query):
    result = sample_index.search(query)
    for hit in result.hits:
        text = hit.view.statement.text
        for start, end in hit.spans:
            assert 0 <= start < end <= len(text)
        highlighted(text, hit.spans, one_line=True)  # what the list draws


@settings(max_examples=40, deadline=None)
@given(hostile_text, query_text)
def test_search_over_hostile_quotes_never_raises(text, query):
    bundle = hostile_bundle([text or "x"])
    QuoteSearch(quote_views(bundle)).search(query)


@settings(max_examples=200, deadline=None)
@given(hostile_text)
def test_literal_markup_is_shown_as_the_text_itself(text):
    assert Content.from_markup(literal_markup(text)).plain == safe(text)


@settings(max_examples=200, deadline=None)
@given(hostile_text)
def test_plain_input_never_holds_a_control_character(text):
    value = PlainInput.validate_value(None, text)  # type: ignore[arg-type]
    assert not any(ch in _CONTROL for ch in value)
    assert "\u202e" not in value


async def _walk(text: str) -> None:
    """Every screen that shows store text, with `text` in every field of the data."""
    bundle = hostile_bundle([text, text + "2"])
    corpus = Corpus(quote_views(bundle), list(bundle.actors), list(bundle.proposals))
    from store import Store

    app = ExplorerApp(Store.memory())
    app.corpus = corpus
    app.main_screen.corpus = corpus
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        app.main_screen.set_corpus(corpus)
        await pilot.pause()
        app.main_screen.choose_actor("a0")  # the name in the list's title
        await pilot.pause()
        screen_text(app)
        app.main_screen.search_box.value = text  # the query box, its subtitle
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen_text(app)
        app.main_screen.search_box.value = ""
        app.main_screen.choose_actor(None)
        await pilot.pause()
        app.notify(f"Copied: {shown(text)}", markup=False)  # as `y` does
        await pilot.press("d")  # the diff: titles in the border, terms in rows
        await pilot.pause()
        screen_text(app)
        await pilot.press("enter")  # quotes on an issue
        await pilot.pause()
        screen_text(app)
        await pilot.press("escape", "escape", "ctrl+p")
        await pilot.pause()
        app.screen.query_one("Input").value = "quotes by"  # the palette's help lines
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen_text(app)
        assert app.is_running


@settings(max_examples=8, deadline=None)
@given(hostile_text)
def test_any_text_through_every_widget_is_inert(text):
    asyncio.run(_walk(text))


def test_a_known_attack_through_every_widget():
    """The walk itself has teeth: a fixed attack goes through the same steps."""
    asyncio.run(_walk("[@click=app.quit]x[/] \x1b]52;c;eA==\x07 [/]"))
