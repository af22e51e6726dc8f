"""When a quote was said, from the words around it and the article's date.

"yesterday", "today", "on Monday", "last Friday", "on May 8", "8 May",
"earlier this month", "last month": resolved against the publication date.
Without a publication date, or without such words, the date stays unknown.
"""

from __future__ import annotations

import datetime as dt
import re

__all__ = ["resolve_date"]

_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august",
           "september", "october", "november", "december"]
_MONTH_RE = "|".join(_MONTHS) + r"|jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec"
_PATTERN = re.compile(
    r"\b(?P<today>today|this\s+(?:morning|afternoon|evening)|tonight)\b"
    r"|\b(?P<yesterday>yesterday|last\s+night)\b"
    r"|\b(?:(?P<last>last)\s+|on\s+)?(?P<weekday>" + "|".join(_WEEKDAYS) + r")\b"
    r"|\b(?P<month1>" + _MONTH_RE + r")\.?\s+(?P<day1>\d{1,2})(?:st|nd|rd|th)?\b"
    r"|\b(?P<day2>\d{1,2})(?:st|nd|rd|th)?\s+(?P<month2>" + _MONTH_RE + r")\b"
    r"|\b(?P<thismonth>(?:earlier\s+)?this\s+month)\b"
    r"|\b(?P<lastmonth>last\s+month)\b",
    re.IGNORECASE,
)


def _month_number(name: str) -> int:
    name = name.casefold()[:3]
    return [m[:3] for m in _MONTHS].index(name) + 1


def _match(m: re.Match[str], published: dt.date) -> tuple[dt.date, str] | None:
    if m.group("today"):
        return published, "day"
    if m.group("yesterday"):
        return published - dt.timedelta(days=1), "day"
    if m.group("weekday"):
        back = (published.weekday() - _WEEKDAYS.index(m.group("weekday").casefold())) % 7
        if m.group("last") and back == 0:
            back = 7
        return published - dt.timedelta(days=back), "day"
    month, day = m.group("month1") or m.group("month2"), m.group("day1") or m.group("day2")
    if month and day:
        try:
            when = dt.date(published.year, _month_number(month), int(day))
        except ValueError:
            return None
        if when > published + dt.timedelta(days=7):
            when = when.replace(year=published.year - 1)
        return when, "day"
    if m.group("thismonth"):
        return published.replace(day=1), "month"
    if m.group("lastmonth"):
        first = published.replace(day=1) - dt.timedelta(days=1)
        return first.replace(day=1), "month"
    return None


def resolve_date(contexts: list[str], published: dt.date | None) -> tuple[dt.date | None, str]:
    """The first date expression found in the contexts, in order; else unknown."""
    if published is None:
        return None, "unknown"
    for text in contexts:
        for m in _PATTERN.finditer(text):
            found = _match(m, published)
            if found:
                return found
    return None, "unknown"
