"""Hostile text through the real explorer: shown literally, never run, never a crash.

Every screen that shows store text is visited with PAYLOADS (markup that
would quit the app or open a file link, escape sequences that would write
the clipboard or the window title) in every field: quotes, names, roles,
source titles, outlets and URLs, proposal titles and terms, search queries,
an ingested article, the palette, the toasts and the copied citation.
`screen_text` fails on any control character, link or click action on the
screen; each test also checks the text is there, literally.
"""

from __future__ import annotations

import pytest
from textual.widgets import Input, TextArea
from textual.widgets._toast import Toast

from store import Store
from store.query import parse_query
from store.views import quote_views
from tests.explorer_support import paste_text, settle, terminal_env
from tests.hostile_support import OSC52, PAYLOADS, hostile_bundle, screen_text, shown
from tui.app import ExplorerApp
from tui.corpus import Corpus
from tui.screens.diff import DiffScreen
from tui.screens.ingest import IngestScreen

pytestmark = pytest.mark.usefixtures(terminal_env.__name__)
SIZE = (160, 50)


def toast_text(app: ExplorerApp) -> list[str]:
    """The messages of the toasts on screen, as drawn."""
    return [t.render().plain for t in app.screen.query(Toast)]


@pytest.fixture
def hostile_app(monkeypatch) -> ExplorerApp:
    """The explorer on PAYLOADS, uncleaned by the store: the screen must cope alone."""
    bundle = hostile_bundle()
    monkeypatch.setattr(Corpus, "from_store", classmethod(
        lambda cls, store: cls(quote_views(bundle), list(bundle.actors),
                               list(bundle.proposals))))
    app = ExplorerApp(Store.memory())

    def no_links(url: str, **kwargs) -> None:
        raise AssertionError(f"store text opened a link: {url}")

    monkeypatch.setattr(app, "open_url", no_links)
    return app


async def test_quotes_and_the_detail_pane_show_every_field_literally(hostile_app):
    app = hostile_app
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        quotes = app.main_screen.quote_list
        quotes.focus()
        seen = set()
        for row in range(len(PAYLOADS)):
            quotes.cursor = row
            await settle(pilot)
            detail = screen_text(app)
            view = quotes.current
            seen.add(view.statement.id)
            for field in (view.statement.text, view.actor.name, view.actor.role,
                          view.source.title, view.source.outlet, view.source.url):
                assert shown(field) in detail, field
            await pilot.click("#quotes", offset=(40, 1 + row))
            await pilot.click("#detail", offset=(4, 1))
            assert app.is_running
        assert len(seen) == len(PAYLOADS)


async def test_an_actor_filter_shows_the_name_literally_in_the_title(hostile_app):
    app = hostile_app
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        for i, p in enumerate(PAYLOADS):
            app.main_screen.choose_actor(f"a{i}")
            await settle(pilot)
            text = screen_text(app)
            assert f"Quotes 1/{len(PAYLOADS)} · {shown(p)} N{i}" in text, p
            await pilot.click("#quotes", offset=(20, 0))  # on the title
            assert app.is_running


@pytest.mark.parametrize("template", ["{p}", "after:{p}", "speaker:{p}", '"{p}', "-{p}"])
async def test_search_queries_are_text(hostile_app, template):
    app = hostile_app
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        box = app.focused
        assert isinstance(box, Input)
        for p in PAYLOADS:
            box.value = ""
            await paste_text(pilot, template.format(p=p))
            text = screen_text(app)
            assert app.is_running
            for problem in parse_query(box.value).problems:  # the box's subtitle
                assert shown(problem) in text
        await pilot.press("escape")
        screen_text(app)


async def test_the_diff_and_the_quotes_on_an_issue_show_titles_and_terms_literally(
        hostile_app):
    app = hostile_app
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(app.screen, DiffScreen)
        text = screen_text(app)
        assert f"{shown(PAYLOADS[0])} plan0  ⟷  {shown(PAYLOADS[1])} plan1" in text
        for p in PAYLOADS[:10]:
            assert f"{shown(p)} term" in text, p
        await pilot.click("#diff", offset=(30, 0))
        await pilot.click("#diff", offset=(30, 3))
        assert app.is_running
        await pilot.press("enter")  # what each proposer said on this issue
        await settle(pilot)
        text = screen_text(app)
        assert f"{shown(PAYLOADS[0])} N0" in text
        await pilot.press("escape", "question_mark")
        await settle(pilot)
        screen_text(app)  # the help screen
        await pilot.press("escape", "d")
        assert app.is_running


async def test_the_palette_lists_names_literally(hostile_app):
    app = hostile_app
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await paste_text(pilot, "quotes by")
        prompts = "\n".join(str(o.prompt) for o in
                            app.screen.query("CommandList").first().options)
        for i, p in enumerate(PAYLOADS):
            assert f"Quotes by {shown(p)} N{i}" in prompts, p
        screen_text(app)
        await pilot.press("down", "enter")
        await settle(pilot)
        assert app.is_running
        screen_text(app)


async def test_the_copied_citation_and_its_toast_are_plain_text(hostile_app, monkeypatch):
    app = hostile_app
    copied: list[str] = []
    monkeypatch.setattr(app, "copy_to_clipboard", copied.append)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        quotes = app.main_screen.quote_list
        quotes.focus()
        for row in range(len(PAYLOADS)):
            quotes.cursor = row
            await pilot.press("y")
            await settle(pilot)
            i = int(quotes.current.statement.id.split("-")[1])
            p = PAYLOADS[i]
            assert copied[-1] == (f'"{shown(p)} quote {i}" — {shown(p)} N{i}, '
                                  f"{shown(p)} outlet{i}, 2025-05-01")
            screen_text(app)  # inert, toast included
            ellipsis = "…" if len(copied[-1]) > 60 else ""
            assert toast_text(app) == [f"Copied: {copied[-1][:60]}{ellipsis}"]
            app.clear_notifications()


async def test_an_ingested_article_with_hostile_text_is_reviewed_and_saved_literally(
        sample_db):
    app = ExplorerApp(Store.open(sample_db))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("i")
        assert isinstance(app.screen, IngestScreen)
        app.screen.query_one("#title", Input).value = PAYLOADS[0] + " headline"
        app.screen.query_one("#outlet", Input).value = PAYLOADS[3]
        paragraphs = [f'"We reject {p} entirely," said John Smith{i}, the {p} envoy.'
                      for i, p in enumerate(PAYLOADS)]
        app.screen.query_one("#paste", TextArea).text = "\n\n".join(paragraphs)
        await pilot.press("f5")
        await settle(pilot)
        review = screen_text(app)
        assert "We reject [@click=app.quit]x[/] entirely" in review
        assert "[Reuters]" in review
        await pilot.press("f2")
        await settle(pilot)
        assert not isinstance(app.screen, IngestScreen)
        screen_text(app)  # the "Saved ..." toast, over the refreshed list
        assert toast_text(app)[-1] == f"Saved {len(PAYLOADS)} quotes from {PAYLOADS[0]} headline."
        assert app.is_running
    saved = {s.text for s in Store.open(sample_db).bundle().statements}
    assert {f"We reject {shown(p)} entirely" for p in PAYLOADS} <= {shown(t) for t in saved}


async def test_curation_picker_and_forms_show_names_literally(hostile_app):
    """The merge picker's title and choices hold actor names; form inputs drop pasted
    control characters (Textual's Input would draw them as bytes)."""
    from tui.curation import actor_choices
    from tui.screens.picker import PickerScreen
    from tui.widgets.plain_input import PlainInput

    app = hostile_app
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        actors = app.corpus.actors
        for actor in actors:
            app.push_screen(PickerScreen(f"Merge {actor.name} into…", actor_choices(actors)))
            await settle(pilot)
            text = screen_text(app)
            assert shown(f"Merge {actor.name} into…") in text
            box = app.screen.query_one("#filter", PlainInput)
            box.value = OSC52 + "typed"
            await settle(pilot)
            assert "\x1b" not in box.value and "\x07" not in box.value
            await pilot.press("escape")
            await settle(pilot)
            assert app.is_running
