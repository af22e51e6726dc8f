"""Saved web pages: the article's text and its metadata, via trafilatura.

trafilatura is imported only when an HTML page is ingested: it is large,
and plain-text ingest and start-up should not pay for it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from ..errors import InvalidData

__all__ = ["PageMeta", "extract_page", "looks_like_html"]

_HTML = re.compile(r"^\s*(<!doctype html|<html|<head|<body|<article|<\?xml)", re.IGNORECASE)


@dataclass(frozen=True)
class PageMeta:
    title: str | None = None
    outlet: str | None = None
    published: dt.date | None = None
    url: str | None = None


def looks_like_html(text: str, name: str = "") -> bool:
    return name.lower().endswith((".html", ".htm", ".xhtml")) or bool(_HTML.match(text[:2000]))


def extract_page(html: str, name: str = "input") -> tuple[str, PageMeta]:
    """The main text (paragraphs separated by blank lines) and metadata of a page."""
    import trafilatura

    doc = trafilatura.bare_extraction(html, include_comments=False, include_tables=False,
                                      favor_precision=True, with_metadata=True)
    text = getattr(doc, "text", None) if doc is not None else None
    if not text:
        raise InvalidData(f"{name}: no article text found in this HTML page")
    published = None
    raw_date = getattr(doc, "date", None)
    if raw_date:
        try:
            published = dt.date.fromisoformat(str(raw_date)[:10])
        except ValueError:
            published = None
    # trafilatura separates paragraphs with single newlines; ours are blank lines.
    text = re.sub(r"\n+", "\n\n", text)
    meta = PageMeta(title=getattr(doc, "title", None), outlet=getattr(doc, "sitename", None),
                    published=published, url=getattr(doc, "url", None))
    return text, meta
