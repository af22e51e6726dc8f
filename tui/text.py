"""Store text made into `Content` for the screen, with highlights that survive cleaning.

Search spans are offsets into the stored text. Showing that text safely
removes characters (controls, bidi overrides) and, on one line, folds runs
of white space, which moves every later offset. `clean_with_spans` cleans
and re-maps the spans in one pass, so a highlight always covers the word it
was found on. Nothing here parses markup: text becomes `Content(text)` and
styles are applied by offset.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from textual.content import Content
from textual.style import Style

__all__ = ["clean_with_spans", "highlighted", "kwic", "locate"]

Spans = Sequence[tuple[int, int]]

_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def clean_with_spans(text: str, spans: Spans = (), *, one_line: bool = False,
                     ) -> tuple[str, list[tuple[int, int]]]:
    """`safe(text)` (or `one_line(text)`) and the spans moved to match it."""
    out: list[str] = []
    where = [0] * (len(text) + 1)  # offset in text -> offset in out
    in_space = True  # folding drops leading white space
    for i, ch in enumerate(text):
        where[i] = len(out)
        if ch == "\r":
            if text[i + 1:i + 2] == "\n":
                continue
            ch = "\n"
        elif _UNSAFE.match(ch):
            continue
        if one_line and ch.isspace():
            if not in_space:
                out.append(" ")
            in_space = True
            continue
        in_space = False
        out.append(ch)
    if one_line and out and out[-1] == " ":
        out.pop()
    n = len(out)
    where[len(text)] = n
    mapped = []
    for start, end in spans:
        if 0 <= start < end <= len(text):
            s, e = min(where[start], n), min(where[end], n)
            if e > s:
                mapped.append((s, e))
    return "".join(out), mapped


def highlighted(text: str, spans: Spans = (), style: Style | str = "reverse", *,
                one_line: bool = False, current: int | None = None,
                current_style: Style | str | tuple[Style | str, ...] | None = None,
                base: Style | str = "") -> Content:
    """Safe store text as Content, its spans styled (the `current` one differently).

    `current_style` may be several styles, stacked (a component class and "reverse").
    """
    clean, mapped = clean_with_spans(text, spans, one_line=one_line)
    content = Content(clean)
    if base:
        content = content.stylize(base)
    for i, (start, end) in enumerate(mapped):
        use = current_style if (i == current and current_style) else style
        for one in use if isinstance(use, tuple) else (use,):
            content = content.stylize(one, start, end)
    return content


def kwic(content: Content, width: int, first: int | None) -> Content:
    """Cut a one-line content to `width` cells, keeping offset `first` in view.

    A search hit deep in a long quote would otherwise be cut off the list;
    like a keyword-in-context index, the line starts a little before it.
    """
    if width <= 0:
        return Content("")
    if first is not None and content.cell_length > width and first > width * 2 // 3:
        start = max(0, first - width // 4)
        content = Content("…") + content[start:]
    return content.truncate(width, ellipsis=True, pad=True)


def locate(needle: str, haystack: str) -> tuple[int, int] | None:
    """Where a quote stands in its paragraph: exactly, else ignoring case and spacing."""
    if not needle:
        return None
    at = haystack.find(needle)
    if at >= 0:
        return at, at + len(needle)
    words = [re.escape(w) for w in needle.split()]
    if not words:
        return None
    m = re.search(r"\s+".join(words), haystack, flags=re.IGNORECASE)
    return (m.start(), m.end()) if m else None
