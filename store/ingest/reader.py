"""Reading article files: plain text, Markdown, saved HTML pages, folders, stdin."""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from pathlib import Path

from ..errors import InvalidData
from .decode import MAX_INPUT_BYTES, decode_article
from .html import extract_page, looks_like_html
from .pipeline import ArticleMeta

__all__ = ["ARTICLE_SUFFIXES", "expand_inputs", "iter_articles", "read_article"]

ARTICLE_SUFFIXES = (".txt", ".text", ".md", ".markdown", ".html", ".htm", ".xhtml")

_MD_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_MD_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")
_MD_EMPHASIS = re.compile(r"(\*\*|__|\*|`)(?=\S)(.+?)(?<=\S)\1")
_MD_HEADING = re.compile(r"^#{1,6}\s+(.*?)\s*#*\s*$", re.MULTILINE)
_MD_QUOTE = re.compile(r"^>\s?", re.MULTILINE)


def expand_inputs(names: list[str]) -> list[str]:
    """Files as given; a folder stands for the article files in it (sorted, recursive)."""
    out: list[str] = []
    for name in names:
        path = Path(name)
        if name != "-" and path.is_dir():
            found = sorted(str(p) for p in path.rglob("*")
                           if p.is_file() and p.suffix.lower() in ARTICLE_SUFFIXES)
            if not found:
                raise InvalidData(f"{name}: no article files ({', '.join(ARTICLE_SUFFIXES)})")
            out.extend(found)
        else:
            out.append(name)
    return out


def _read_bytes(name: str) -> bytes:
    if name == "-":
        raw = sys.stdin.buffer.read(MAX_INPUT_BYTES + 1)
    else:
        path = Path(name)
        try:
            if path.stat().st_size > MAX_INPUT_BYTES:
                raise InvalidData(f"{name}: larger than {MAX_INPUT_BYTES // 2**20} MB; "
                                  "not an article")
            raw = path.read_bytes()
        except FileNotFoundError:
            raise InvalidData(f"{name}: no such file") from None
        except IsADirectoryError:
            raise InvalidData(f"{name}: is a folder") from None
        except OSError as e:
            raise InvalidData(f"{name}: cannot read ({e.strerror})") from None
    return raw


def _markdown(text: str) -> tuple[str, str | None]:
    """Markdown to plain paragraphs; the first heading is the title."""
    heading = _MD_HEADING.search(text)
    title = heading.group(1) if heading else None
    text = _MD_HEADING.sub(r"\1", text)
    text = _MD_IMAGE.sub(r"\1", text)
    text = _MD_LINK.sub(r"\1", text)
    text = _MD_EMPHASIS.sub(r"\2", text)
    text = _MD_QUOTE.sub("", text)
    return text, title


def read_article(name: str) -> tuple[str, ArticleMeta]:
    """The text of one input and what it says about itself (HTML metadata, a heading)."""
    text = decode_article(_read_bytes(name), name)
    if looks_like_html(text, name):
        body, page = extract_page(text, name)
        return body, ArticleMeta(title=page.title, outlet=page.outlet,
                                 published=page.published, url=page.url)
    if name.lower().endswith((".md", ".markdown")):
        body, title = _markdown(text)
        return body, ArticleMeta(title=title)
    return text, ArticleMeta()


def iter_articles(names: list[str]) -> Iterator[tuple[str, str, ArticleMeta]]:
    for name in expand_inputs(names):
        text, meta = read_article(name)
        yield name, text, meta
