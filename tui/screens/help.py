"""`?`: every key of the focused pane, then of the screen, then everywhere.

The list is read from the live bindings (`Screen.active_bindings`), so it
cannot drift from what the keys do. On the main screen the search language
follows.

| Key | Action |
| :- | :- |
| escape, ?, q | Close |
| up, k / down, j | Scroll |
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

__all__ = ["HelpScreen", "help_content"]

# Textual's own keys that are worth listing; the rest (text editing) are not keys of a pane.
_BUILTIN = {"tab", "shift+tab", "ctrl+p", "ctrl+q"}

SEARCH_LANGUAGE = """\
ceasefire sanc      every word (a word may be the start of one)
"all hostilities"   an exact phrase
-nato               without that word
speaker:lavrov      speaker's name, alias or id contains it
speaker:"Dara Massicot"
issue:TjSan         tagged with an issue code
after:2025-04-28    said (else published) on or after that day
before:2025-05-01   strictly before that day
When nothing matches exactly, words are matched again allowing a typo or two."""


def _title(node: DOMNode) -> str:
    if isinstance(node, App):
        return "Everywhere"
    title = getattr(node, "HELP_TITLE", None)
    if title:
        return title
    name = type(node).__name__
    words = "".join(f" {c}" if c.isupper() else c for c in name).strip()
    return words.replace(" Screen", " screen").replace("Main screen", "Main screen")


def help_content(screen: Screen, *, search_language: bool) -> Content:
    """The keys active on `screen` (its focused widget first), grouped by where they live."""
    app = screen.app
    groups: dict[DOMNode, list[tuple[str, str]]] = {}
    for key, active in screen.active_bindings.items():
        binding = active.binding
        if binding.system or not (binding.id or key in _BUILTIN):
            continue
        display = app.get_key_display(binding)
        text = binding.tooltip or binding.description
        groups.setdefault(active.node, []).append((display, text))
    # Bindings of one action on several keys ("up,k") arrive as separate keys: join them.
    parts: list[Content | str | tuple[str, str]] = []
    order = sorted(groups, key=lambda n: 2 if isinstance(n, App) else
                   1 if isinstance(n, Screen) else 0)
    for node in order:
        merged: dict[str, list[str]] = {}
        for display, text in groups[node]:
            merged.setdefault(text, []).append(display)
        parts.append((f"{_title(node)}\n", "bold underline"))
        for text, keys in merged.items():
            parts += [(" " + ", ".join(keys)).ljust(18), " ", text, "\n"]
        parts.append("\n")
    if search_language:
        parts += [("Search language\n", "bold underline"), SEARCH_LANGUAGE, "\n"]
    return Content.assemble(*parts).rstrip()


class HelpScreen(ModalScreen[None]):
    """The key list in a scrollable panel."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,question_mark,q", "dismiss", "Close", id="help.close"),
        Binding("k", "scroll('up')", "Scroll up", show=False, id="help.up"),
        Binding("j", "scroll('down')", "Scroll down", show=False, id="help.down"),
    ]

    DEFAULT_CSS = """
    HelpScreen {
        align: center middle;
        & > VerticalScroll {
            width: 84; max-width: 100%; height: auto; max-height: 90%;
            border: round $primary; background: $surface; padding: 0 1;
        }
    }
    """

    def __init__(self, content: Content, pane: str) -> None:
        super().__init__()
        self.content, self.pane = content, pane

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help") as scroll:
            scroll.border_title = f"Keys · {self.pane}"
            scroll.border_subtitle = "esc to close"
            yield Static(self.content, markup=False, id="help-body")

    def on_mount(self) -> None:
        self.query_one("#help").focus()

    def action_scroll(self, direction: str) -> None:
        scroll = self.query_one("#help", VerticalScroll)
        scroll.scroll_up() if direction == "up" else scroll.scroll_down()

    @property
    def text(self) -> str:
        return self.content.plain
