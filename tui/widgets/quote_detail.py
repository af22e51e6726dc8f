"""The detail pane: one quote in full, who said it, where it stands, where it came from.

Every piece of store text goes in as `Content` built from cleaned text;
styles are applied by offset and named by component class (".quote-detail--
match"), so the theme decides colours and nothing in a quote is markup.

| Key | Action |
| :- | :- |
| up, k / down, j | Scroll |
| pageup / pagedown, home / end | Scroll a page, to the top / bottom |
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from store.views import QuoteView

from ..corpus import issue_label
from ..safe import one_line
from ..text import highlighted, locate

__all__ = ["QuoteDetail", "detail_content"]

Spans = tuple[tuple[int, int], ...]


class QuoteDetail(VerticalScroll):
    """Scrollable view of the quote under the list's cursor."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("k", "scroll_up", "Scroll up", show=False, id="detail.up"),
        Binding("j", "scroll_down", "Scroll down", show=False, id="detail.down"),
    ]

    HELP_TITLE = "Quote detail"

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "quote-detail--quote",
        "quote-detail--label",
        "quote-detail--muted",
        "quote-detail--match",
        "quote-detail--match-current",
        "quote-detail--in-paragraph",
    }

    DEFAULT_CSS = """
    QuoteDetail {
        & > .quote-detail--quote { text-style: bold; }
        & > .quote-detail--label { color: $text-primary; text-style: bold; }
        & > .quote-detail--muted { color: $text-muted; }
        & > .quote-detail--match { color: $text-warning; text-style: bold underline; }
        & > .quote-detail--match-current { color: $text-warning; text-style: bold underline; }
        & > .quote-detail--in-paragraph { color: $text-accent; text-style: bold italic; }
        & > Static { width: 1fr; }
    }
    """

    def compose(self) -> ComposeResult:
        yield Static(Content("No quote selected."), markup=False, id="detail-body")

    def show(self, view: QuoteView | None, spans: Spans = (), current: int | None = None,
             empty: str = "No quote selected.") -> None:
        body = self.query_one("#detail-body", Static)
        body.update(detail_content(view, spans, current) if view else Content(empty))
        self.scroll_home(animate=False)

    @property
    def text(self) -> str:
        """What the pane shows, as plain text (for tests and the e2e check)."""
        return str(self.query_one("#detail-body", Static).visual)


def detail_content(view: QuoteView, spans: Spans = (), current: int | None = None) -> Content:
    st, actor, src = view.statement, view.actor, view.source
    parts: list[Content | str | tuple[str, str]] = []
    label, muted = ".quote-detail--label", ".quote-detail--muted"

    quote = highlighted(st.text, spans, ".quote-detail--match", current=current,
                        current_style=(".quote-detail--match-current", "reverse"),
                        base=".quote-detail--quote")
    parts += ["“", quote, "”"]
    if st.kind.value != "quote":
        parts.append((f"  ({st.kind.value})", muted))
    parts += ["\n", ("— ", muted), (one_line(view.speaker), label)]
    if actor and (actor.role or actor.affiliation):
        parts.append(", " + one_line(", ".join(x for x in (actor.role, actor.affiliation) if x)))
    if actor:
        parts.append((f"  ({actor.kind.value})", muted))
    said = (f"said {view.date_label()}" if st.said_on else
            f"undated; published {src.published}" if src and src.published else "undated")
    parts += ["\n", (said, muted), "\n\n"]

    parts.append(("Issues  ", label))
    parts.append(", ".join(issue_label(c) for c in st.issues) if st.issues else ("none", muted))
    parts.append("\n")

    if st.context.strip():
        parts += ["\n", ("Paragraph\n", label)]
        where = locate(st.text, st.context)
        parts.append(highlighted(st.context, [where] if where else [],
                                 ".quote-detail--in-paragraph"))
        parts.append("\n")

    parts += ["\n", ("Source  ", label)]
    if src is None:
        parts.append((f"missing ({st.source_id})", muted))
    else:
        parts.append(one_line(src.title))
        where_when = ", ".join(x for x in (src.outlet and one_line(src.outlet),
                                            src.published and str(src.published)) if x)
        if where_when:
            parts += ["\n        ", where_when]
        if src.url:
            parts += ["\n        ", (one_line(src.url), muted)]
    return Content.assemble(*parts)
