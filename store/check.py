"""Verifying that every statement can be checked against its source.

A statement's text must be found verbatim at its span in its source's
text; so must a proposal term that has a span. References must resolve.
A quote split around its attribution ('"We will not," Peskov said, "give up
..."') is stored as its parts joined by ELISION: each part must then stand
verbatim, in order, the first at the start of the span and the last at its end.
"""

from __future__ import annotations

from .db import Bundle

__all__ = ["ELISION", "check_bundle", "is_verbatim"]

#: What stands for the words left out between the parts of a split quote.
ELISION = " … "


def is_verbatim(text: str, found: str) -> bool:
    """Is `text` what the source holds at a span (`found`), but for elided attributions?"""
    if text == found:
        return True
    parts = text.split(ELISION)
    if len(parts) < 2 or not found.startswith(parts[0]) or not found.endswith(parts[-1]):
        return False
    at = len(parts[0])
    for part in parts[1:-1]:
        at = found.find(part, at)
        if at < 0:
            return False
        at += len(part)
    return at <= len(found) - len(parts[-1])


def check_bundle(bundle: Bundle) -> list[str]:
    """Problems found, one line each; an empty list means all is well."""
    problems: list[str] = []
    actors = {a.id for a in bundle.actors}
    sources = {s.id: s for s in bundle.sources}

    def verbatim(what: str, source_id: str, span: tuple[int, int], text: str) -> None:
        source = sources.get(source_id)
        if source is None:
            problems.append(f"{what}: unknown source {source_id!r}")
            return
        found = source.text[span[0]:span[1]]
        if not is_verbatim(text, found):
            shown = found[:40] if found else "nothing (span past the end of the text)"
            problems.append(f"{what}: text is not at {span[0]}..{span[1]} of {source_id} "
                            f"(found {shown!r})")

    for st in bundle.statements:
        if st.actor_id not in actors:
            problems.append(f"statement {st.id}: unknown actor {st.actor_id!r}")
        verbatim(f"statement {st.id}", st.source_id, st.span, st.text)
    for p in bundle.proposals:
        if p.proposer not in actors:
            problems.append(f"proposal {p.id}: unknown proposer {p.proposer!r}")
        for i, term in enumerate(p.terms, 1):
            if term.span is not None and term.source_id is not None:
                verbatim(f"proposal {p.id} term {i}", term.source_id, term.span, term.text)
    return problems
