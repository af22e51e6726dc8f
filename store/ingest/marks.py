"""Finding quoted passages: pairing quote marks of every style.

Handles straight and typographic, double and single marks and guillemets
(" " “ ” ‘ ’ ' ' « » „ “), tells an apostrophe (Russia’s, can't) from a
closing mark, ignores marks nested inside a quote, follows a quote that
runs over paragraphs (no closing mark at the end of a paragraph and an
opening one at the start of the next), and skips an unbalanced mark without
losing the rest of the article.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["QuoteSpan", "find_quotes"]

#: opening mark -> the closing marks that end it
_CLOSERS = {
    '"': ('"', "\u201d"),
    "\u201c": ("\u201d", '"'),
    "\u201e": ("\u201c", "\u201d"),
    "\u00ab": ("\u00bb",),
    "\u2018": ("\u2019", "'"),
    "'": ("'", "\u2019"),
    "\u201a": ("\u2018", "\u2019"),
}
_DOUBLE = {'"', "\u201c", "\u201e", "\u00ab"}
_OPEN_BEFORE = set(" \t\n([{—–-/:;") | {""}
_TRIM_END = ",;:-–— \n\t"


@dataclass(frozen=True, slots=True)
class QuoteSpan:
    """A quoted passage: [start, end) is the text inside the marks (trimmed)."""

    open_at: int  # offset of the opening mark
    close_at: int  # offset of the closing mark (or of the paragraph end if none)
    start: int
    end: int
    double: bool
    #: A quote split around its attribution: the (start, end) of each part; else empty.
    parts: tuple[tuple[int, int], ...] = ()

    @property
    def outer_end(self) -> int:
        return self.close_at + 1


def _is_letter(ch: str) -> bool:
    return ch.isalnum()


def _can_open(text: str, i: int) -> bool:
    ch = text[i]
    if ch not in _CLOSERS:
        return False
    before = text[i - 1] if i else ""
    after = text[i + 1] if i + 1 < len(text) else ""
    if not after or after.isspace():
        return False
    if ch in ("'", "\u2018", "\u201c", "\u00ab", "\u201e", "\u201a"):
        # ‘ “ « „ open by themselves; ' only where a word could start.
        return before in _OPEN_BEFORE or before in _CLOSERS or not _is_letter(before)
    return before in _OPEN_BEFORE or before in _CLOSERS


def _can_close(text: str, i: int, closers: tuple[str, ...]) -> bool:
    ch = text[i]
    if ch not in closers:
        return False
    before = text[i - 1] if i else ""
    after = text[i + 1] if i + 1 < len(text) else ""
    if not before or before.isspace():
        return False
    # An apostrophe inside a word (Russia’s, can't, rock'n'roll) does not close.
    return not (ch in ("'", "\u2019") and _is_letter(before) and _is_letter(after))


def _find_close(text: str, start: int, limit: int, closers: tuple[str, ...]) -> int:
    for j in range(start, limit):
        if text[j] in closers and _can_close(text, j, closers):
            return j
    return -1


def _starts_sentence(text: str, i: int) -> bool:
    before = text[max(0, i - 3):i].rstrip(" ")
    return not before or before.endswith(("\n", ":", ".", "!", "?"))


def find_quotes(text: str) -> list[QuoteSpan]:
    """Every outermost quoted passage in the cleaned text, in order."""
    out: list[QuoteSpan] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch not in _CLOSERS or not _can_open(text, i):
            i += 1
            continue
        closers = _CLOSERS[ch]
        para_end = text.find("\n\n", i)
        para_end = n if para_end < 0 else para_end
        close = _find_close(text, i + 1, para_end, closers)
        # A quote running over paragraphs: no close here, the next paragraph opens again.
        # Only a quote that starts a sentence can: 'was "not ready.' is just unbalanced.
        starts_sentence = _starts_sentence(text, i)
        while (close < 0 and starts_sentence and para_end < n
               and text[para_end + 2:para_end + 3] == ch):
            next_end = text.find("\n\n", para_end + 2)
            next_end = n if next_end < 0 else next_end
            close = _find_close(text, para_end + 3, next_end, closers)
            para_end = next_end
        if close < 0:
            i += 1  # unbalanced: skip the mark, keep reading
            continue
        start, end = i + 1, close
        while end > start and text[end - 1] in _TRIM_END:
            end -= 1
        while start < end and text[start].isspace():
            start += 1
        if end > start:
            out.append(QuoteSpan(i, close, start, end, ch in _DOUBLE))
        i = close + 1
    return out
