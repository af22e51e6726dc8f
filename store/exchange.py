"""Moving data in and out: the JSON exchange format, CSV and a Markdown brief.

The exchange format is one JSON object:

    {"format": "peace-tui", "schema_version": 1,
     "actors": [...], "sources": [...], "statements": [...], "proposals": [...]}

It is what `peace-tui export` writes, what `peace-tui import` reads, and what
the bundled sample is shipped as. An import is validated in full (models and
references) before anything is written.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from typing import Any

import orjson
from pydantic import ValidationError

from .db import SCHEMA_VERSION, Bundle
from .errors import InvalidData
from .issue_codes import lookup
from .models import Source, format_validation_error
from .views import QuoteView, proposal_order, quote_views

__all__ = ["FORMAT", "brief_markdown", "dump_json", "parse_json", "quotes_csv"]

FORMAT = "peace-tui"
_TABLES = ("actors", "sources", "statements", "proposals")


def dump_json(bundle: Bundle) -> bytes:
    """The exchange format, indented, with a trailing newline."""
    body: dict[str, Any] = {"format": FORMAT, "schema_version": SCHEMA_VERSION}
    body.update(bundle.model_dump(mode="json"))
    return orjson.dumps(body, option=orjson.OPT_INDENT_2) + b"\n"


def parse_json(raw: bytes | str, name: str = "input") -> Bundle:
    """Parse and validate an exchange file; InvalidData with one line on any fault."""
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError as e:
        raise InvalidData(f"{name}: not valid JSON ({e.msg} at byte {e.pos})") from None
    if not isinstance(data, dict):
        raise InvalidData(f"{name}: expected a JSON object with {', '.join(_TABLES)}")
    fmt = data.pop("format", FORMAT)
    if fmt != FORMAT:
        raise InvalidData(f"{name}: format is {str(fmt)[:40]!r}, expected {FORMAT!r}")
    version = data.pop("schema_version", SCHEMA_VERSION)
    if not isinstance(version, int) or isinstance(version, bool):
        raise InvalidData(f"{name}: schema_version must be a whole number")
    if version > SCHEMA_VERSION:
        raise InvalidData(
            f"{name}: written by a newer peace-tui (schema {version}, this one reads up to "
            f"{SCHEMA_VERSION}); upgrade peace-tui"
        )
    unknown = sorted(set(data) - set(_TABLES))
    if unknown:
        raise InvalidData(f"{name}: unknown key {unknown[0][:40]!r}")
    if not any(k in data for k in _TABLES):
        raise InvalidData(f"{name}: none of {', '.join(_TABLES)} is present")
    try:
        return Bundle.model_validate(data)
    except ValidationError as e:
        raise InvalidData(format_validation_error(e, name)) from None


_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")
_CSV_COLUMNS = ["id", "speaker", "actor_id", "said_on", "text", "issues", "kind",
                "source_title", "outlet", "published", "url", "source_id", "span"]


def quotes_csv(views: list[QuoteView]) -> str:
    """One row per statement, with its speaker and citation."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(_CSV_COLUMNS)
    for v in views:
        row = v.as_json()
        writer.writerow([
            row["id"], row["speaker"], row["actor_id"], row["said_on"] or "", row["text"],
            " ".join(row["issues"]), row["kind"], row["source_title"], row["outlet"] or "",
            row["published"] or "", row["url"] or "", row["source_id"],
            f"{row['span'][0]}-{row['span'][1]}",
        ])
    return out.getvalue()


def _md_inline(text: str) -> str:
    """Text as literal Markdown: escape what a renderer would interpret.

    The brief is for reading, so bidi overrides, which can reorder what a
    line appears to say, are dropped (the JSON and CSV exports keep the text
    exactly).
    """
    text = _BIDI.sub("", text)
    for ch in "\\`*_{}[]<>#|":
        text = text.replace(ch, "\\" + ch)
    return " ".join(text.split())


def brief_markdown(bundle: Bundle) -> str:
    """A brief to paste into a report: proposals term by term, then quotes, each cited.

    Citations are numbered references to a closing list of sources (title,
    outlet, date, address), so every term and quote can be traced back to the
    article it came from. Proposals come newest first, as `peace-tui
    proposals` lists them; quotes in reading order. All text is escaped, so
    nothing from an article is interpreted as Markdown.
    """
    views = quote_views(bundle)
    actors = {a.id: a for a in bundle.actors}
    sources = {s.id: s for s in bundle.sources}
    numbers: dict[str, int] = {}

    def cite(*source_ids: str | None) -> str:
        refs = []
        for sid in source_ids:
            if sid and sid not in numbers:
                numbers[sid] = len(numbers) + 1
            if sid and f"[{numbers[sid]}]" not in refs:
                refs.append(f"[{numbers[sid]}]")
        return " ".join(refs)

    lines = ["# peace-tui brief", ""]
    proposals = sorted(bundle.proposals, reverse=True, key=proposal_order)
    if proposals:
        lines += ["## Proposals", ""]
        for p in proposals:
            who = actors[p.proposer].name if p.proposer in actors else p.proposer
            when = _md_date(p.date, p.date_precision.value) if p.date else "undated"
            refs = cite(*p.source_ids)
            lines.append(f"### {_md_inline(p.title)}")
            lines.append("")
            lines.append(f"*{_md_inline(who)}, {when}, {p.status.value}*"
                         + (f" — sources {refs}" if refs else ""))
            lines.append("")
            for t in p.terms:
                found = lookup(t.issue)
                label = f"**{t.issue}** ({_md_inline(found.name)})" if found else f"**{t.issue}**"
                ref = cite(t.source_id)
                lines.append(f"- {label}: {_md_inline(t.text)}" + (f" {ref}" if ref else ""))
            if not p.terms:
                lines.append("- (no terms entered)")
            lines.append("")
    if views:
        lines += ["## Quotes", ""]
        for v in views:
            lines.append(f"> {_md_inline(v.statement.text)}")
            lines.append(">")
            ref = cite(v.statement.source_id) if v.statement.source_id in sources else ""
            lines.append(f"> — {_md_inline(v.citation())}" + (f" {ref}" if ref else ""))
            lines.append("")
    if numbers:
        lines += ["## Sources", ""]
        for sid, n in numbers.items():
            lines.append(f"{n}. {_md_source(sources.get(sid), sid)}")
        lines.append("")
    return "\n".join(lines)


def _md_date(when: dt.date, precision: str) -> str:
    return when.strftime("%Y-%m") if precision == "month" else when.isoformat()


def _md_source(src: Source | None, sid: str) -> str:
    if src is None:
        return f"{_md_inline(sid)} (not in this database)"
    parts = [f"*{_md_inline(src.title)}*"]
    if src.outlet:
        parts.append(_md_inline(src.outlet))
    if src.published:
        parts.append(src.published.isoformat())
    text = ", ".join(parts)
    url = src.url or ""
    if url.startswith(("http://", "https://")) and not any(c in url for c in " <>\n"):
        text += f". <{url}>"
    elif url:
        text += f". {_md_inline(url)}"
    return text
