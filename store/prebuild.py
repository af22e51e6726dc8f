"""The index's main segment from the stored documents, while they are still being checked.

Opening a large database costs three passes after the file is parsed:
checking every document (pydantic: a few µs each), joining quotes to their
speakers and sources, and indexing the texts. The first two are Python all
the way and hold the GIL; indexing spends more than half of its time in
Arrow and numpy kernels that release it. So the index need not wait for
the check: `prebuild` makes the segment from the parsed documents in a
second thread, on the other core, while the loader checks them.

It must index exactly what the checked documents will say, in the order the
explorer lists them (`store.views.quote_views`: sources by date, then
source id, then where the quote starts):

- texts go through `clean_text`, as the check does;
- dates are read the way every file this program writes them
  (`YYYY-MM-DD`); anything else raises, and the caller builds the index
  the ordinary way from the checked objects instead;
- the result carries the statement ids in its order, and `QuoteSearch`
  takes it only if they are the ids of its views in their order.

A document the check then refuses makes the whole database refused: the
prebuilt segment is dropped with it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from .index import DocMeta, Segment
from .models import clean_text
from .tokens import tokenize_many

__all__ = ["Prebuilt", "prebuild"]

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)


@dataclass(frozen=True, slots=True)
class Prebuilt:
    """A segment over statements `ids` (in the explorer's order)."""

    ids: list[str]
    segment: Segment


class _Ordinals(dict):
    """'YYYY-MM-DD' -> its ordinal ('' and None -> 0), each distinct date parsed once."""

    def __missing__(self, text: str | None) -> int:
        if not text:
            value = 0
        elif not isinstance(text, str) or not _DATE.fullmatch(text):
            raise ValueError(f"not a stored date: {text!r}")
        else:
            value = dt.date.fromisoformat(text).toordinal()
        self[text] = value
        return value


def prebuild(sources: Mapping[str, dict], statements: Mapping[str, dict]) -> Prebuilt:
    """Index stored statement documents (as parsed, not yet checked); see the module doc.

    Raises (KeyError, TypeError, ValueError ...) on a document that is not
    as this program writes it: the caller then indexes the checked objects.
    """
    ordinal = _Ordinals()
    published = {sid: ordinal[d.get("published")] for sid, d in sources.items()}
    ids = list(statements)
    docs = list(statements.values())
    source_ids = [d["source_id"] for d in docs]
    # quote_views' order: the source's date (none first), source id, start. lexsort
    # is stable, as Python's sort is, so equal keys keep the table's order there too.
    distinct = sorted(set(source_ids))
    rank = {sid: k for k, sid in enumerate(distinct)}
    order = np.lexsort((
        np.fromiter((d["span"][0] for d in docs), dtype=np.int64, count=len(docs)),
        np.fromiter(map(rank.__getitem__, source_ids), dtype=np.int64, count=len(docs)),
        np.fromiter((published.get(s, 0) for s in source_ids), dtype=np.int64,
                    count=len(docs)),
    )).tolist()
    docs = [docs[k] for k in order]
    texts = [clean_text(d["text"]) for d in docs]
    meta = DocMeta([d["actor_id"] for d in docs], [d.get("issues", ()) for d in docs],
                   [ordinal[d.get("said_on")] or published.get(d["source_id"], 0)
                    for d in docs])
    return Prebuilt([ids[k] for k in order], Segment(tokenize_many(texts), meta))
