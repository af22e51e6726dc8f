"""Ctrl+P: the command palette offers the same actions as the keys, and a few more.

The actions are read from the screen's live bindings (everything with an
id, minus plain cursor motion), so the palette and the keys cannot drift
apart. On the main screen, every actor can also be chosen by name (to filter the
quotes, or to edit the actor), and the actor list's sort order switched.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content

from .safe import literal_markup, one_line

__all__ = ["ExplorerCommands"]

# Motion keys: in the palette they would only be noise.
_SKIP_SUFFIXES = (".up", ".down", ".page-up", ".page-down", ".first", ".last", ".select",
                  ".done", ".close")


class ExplorerCommands(Provider):
    """Key actions of the current screen, then 'Quotes by <actor>'."""

    def _commands(self) -> list[tuple[str, str, Callable[[], object]]]:
        screen = self.screen
        app = self.app
        commands: list[tuple[str, str, Callable[[], object]]] = []
        seen: set[str] = set()
        for active in screen.active_bindings.values():
            binding = active.binding
            if not binding.id or binding.id.endswith(_SKIP_SUFFIXES) or binding.id in seen:
                continue
            if not active.enabled:
                continue
            seen.add(binding.id)
            keys = app.get_key_display(binding)
            title = f"{binding.description} ({keys})"
            run = partial(app.run_action, binding.action, active.node)
            commands.append((title, binding.tooltip or binding.description, run))
        main = _main_screen(screen)
        if main is not None:
            pane = main.query_one("ActorsPane")
            commands.append(("Sort actors by name / by count", "ctrl+r in the actors pane",
                             pane.action_toggle_sort))  # type: ignore[attr-defined]
            for actor in main.corpus.sorted_actors(pane.sort):  # type: ignore[attr-defined]
                name = one_line(actor.name)
                commands.append((f"Quotes by {name}", f"Show only {name}'s quotes",
                                 partial(main.choose_actor, actor.id)))
            # Edits wait while a database is read (its quotes may be shown meanwhile).
            editable = not getattr(app, "_loading", False)
            for actor in main.corpus.sorted_actors(pane.sort) if editable else ():  # type: ignore[attr-defined]
                name = one_line(actor.name)
                commands.append((f"Edit actor {name}", "Name, kind, role, affiliation, aliases",
                                 partial(main.edit_actor, actor)))
        return commands

    async def discover(self) -> Hits:
        for title, help_text, run in self._commands():
            yield DiscoveryHit(Content(title), run, text=title, help=literal_markup(help_text))

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, run in self._commands():
            score, offsets = matcher.fuzzy_search.match(matcher.query, title)
            if score > 0:
                # Not matcher.highlight(): it parses the title as markup, and an
                # actor's name is untrusted text. The palette parses `help` as
                # markup too, so every bracket in it is escaped (literal_markup).
                shown = Content(title)
                for at in offsets:
                    shown = shown.stylize(matcher.match_style, at, at + 1)
                yield Hit(score, shown, run, text=title, help=literal_markup(help_text))


def _main_screen(screen):
    from .screens.main import MainScreen

    return screen if isinstance(screen, MainScreen) else None
