"""Documents for the property tests of docs.py's quick ways to objects: valid ones, and
ones changed in a field or two (other forms pydantic accepts, and invalid ones)."""

from __future__ import annotations

from hypothesis import strategies as st

from store.docs import from_doc
from store.errors import DatabaseCorrupt

_texts = st.one_of(st.text(max_size=40), st.sampled_from(["ok", "a\nb", "a\rb", "\x1b[2J",
                                                         "caf\u00e9", "\u00a0x", " ", ""]))
_dates = st.one_of(st.none(), st.sampled_from(["2024-06-15", "2024-02-30", "2024-06-15T00:00:00",
                                               "20240615", "2024-W24-6", "x"]),
                   st.integers(0, 2_000_000_000))
_ints = st.one_of(st.integers(-2, 50), st.sampled_from(["3", "x", 2.0, 2.5, True, None]))


_VALID = {"actor_id": "a-1", "text": "We want peace.", "source_id": "src-1", "span": [0, 14],
          "said_on": "2024-06-15", "said_on_precision": "day", "context": "",
          "issues": ["Dev"], "kind": "quote"}
#: field -> other values, valid in another form than this program writes, or invalid
_VARIANTS = {
    "actor_id": st.sampled_from(["Bad Id", 5, "a" * 200, "a-1\n", "", None, ["a-1"]]),
    "source_id": st.sampled_from(["src 1", "src-1\n", "S", 3, "x" * 128, "x" * 129]),
    "text": st.one_of(_texts, st.sampled_from(["   ", "\t\n", "\u3000", "x" * 5_000_001])),
    "context": st.one_of(_texts, st.sampled_from([None, 0, "x" * 5_000_001])),
    "span": st.one_of(st.sampled_from([[0, "3"], ["0", 3], [0, 3.0], [0.0, 3], [True, 5],
                                       [0, 14, 1], [3], "0-4", [5, 2], [-1, 3], [0, None]]),
                      st.lists(_ints, min_size=0, max_size=3)),
    "said_on": _dates,
    "said_on_precision": st.sampled_from(["month", "unknown", "DAY", 3, None]),
    "issues": st.sampled_from([[], ["Dev", "NEC"], ["nope"], "Dev", None, ["dev"], [1],
                               [["Dev"]], ["Dev", {"a": 1}], ("Dev",), ["Dev", "Dev"]]),
    "kind": st.sampled_from(["paraphrase", "x", None]),
}


@st.composite
def _statement_docs(draw) -> dict:
    """A valid document with one to three fields changed, dropped, or one added: most
    of them still valid, many not in the form this program writes."""
    doc = dict(_VALID)
    for key in draw(st.lists(st.sampled_from(sorted(_VARIANTS)), min_size=1, max_size=3)):
        doc[key] = draw(_VARIANTS[key])
    for key in draw(st.sets(st.sampled_from(["context", "issues", "kind", "said_on",
                                             "said_on_precision"]), max_size=1)):
        del doc[key]
    if draw(st.integers(0, 9)) == 0:
        doc["extra"] = 1
    return doc


def _both(make, model, doc_id: str, doc: dict):
    """What from_doc makes of a document (an object, or None if it refuses it), and
    what `make` makes of it."""
    try:
        checked = from_doc(model, doc_id, dict(doc))
    except DatabaseCorrupt:
        checked = None
    try:
        stored = make(doc_id, dict(doc))
    except DatabaseCorrupt:
        stored = None
    return checked, stored


_OK_HASH = "5ad63d5a5d7b5cf1fbcbb0ab0c4c5de4f2a4ba0d2d2fcc0ab9d7c0e6d2a4d6b1"  # not "ok"'s
_SOURCE = {"title": "Talks in Geneva", "outlet": "Wire", "url": "https://example.org/a",
           "published": "2024-06-15", "text": "ok\nand more", "content_hash": ""}
#: field -> other values for a source document: valid in another form, or invalid
_SOURCE_VARIANTS = {
    "title": st.one_of(_texts, st.sampled_from(["   ", "\u3000", "x" * 5_000_001, None, 3])),
    "outlet": st.one_of(st.none(), _texts, st.sampled_from([3, "x" * 5_000_001])),
    "url": st.one_of(st.none(), _texts),
    "published": _dates,
    "text": st.one_of(_texts, st.sampled_from(["ok", "ok\r\nthen", "caf\u00e9\nb", None])),
    # the text's own hash (set below), another's, none, not a str
    "content_hash": st.sampled_from(["own", _OK_HASH, "", None, 5, "x" * 5_000_001]),
}


@st.composite
def _source_docs(draw) -> dict:
    """A valid source document with one to three fields changed, or one dropped or added."""
    import hashlib

    doc = dict(_SOURCE)
    for key in draw(st.lists(st.sampled_from(sorted(_SOURCE_VARIANTS)), min_size=1,
                             max_size=3)):
        doc[key] = draw(_SOURCE_VARIANTS[key])
    if doc["content_hash"] == "own" and isinstance(doc["text"], str):
        doc["content_hash"] = hashlib.sha256(doc["text"].encode()).hexdigest()
    for key in draw(st.sets(st.sampled_from(sorted(_SOURCE)), max_size=1)):
        del doc[key]
    if draw(st.integers(0, 9)) == 0:
        doc["extra"] = 1
    return doc
