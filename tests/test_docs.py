"""docs.statement_checked: pydantic's answer for every statement document, only quicker."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from bench.corpus import generate
from store.docs import from_doc, objects_of, statement_checked, to_doc
from store.errors import DatabaseCorrupt
from store.models import Statement

from .doc_strategies import _statement_docs


def _outcome(make, doc_id: str, doc: dict):
    """The object made, or the message of the error raised."""
    try:
        return make(doc_id, dict(doc))
    except DatabaseCorrupt as e:
        return f"refused: {e}"


@settings(max_examples=800, deadline=None)
@given(_statement_docs(),
       st.sampled_from(["st-1", "st-1", "Bad Id", "st-1\n", "", "a" * 129, "ok.id_2"]))
def test_a_statement_checked_quickly_is_what_pydantic_makes_of_it(doc, doc_id):
    """The same object (down to to_doc's key order), or the same refusal."""
    slow = _outcome(lambda i, d: from_doc(Statement, i, d), doc_id, doc)
    quick = _outcome(statement_checked, doc_id, doc)
    assert quick == slow
    if isinstance(slow, Statement):
        assert list(to_doc(quick).items()) == list(to_doc(slow).items())
        assert type(quick.span) is tuple


def test_a_whole_archive_is_read_as_pydantic_reads_it():
    tables = generate(300, seed=11)
    quick = objects_of(tables, {Statement: "statements"})["statements"]
    slow = [from_doc(Statement, i, d) for i, d in tables["statements"].items()]
    assert quick == slow


_ONE_CHANGE = [
    ("span", [5, 2]), ("span", [3, 3]), ("span", [-1, 3]), ("span", [0, True]),
    ("text", "   "), ("text", "\u3000"), ("text", "x" * 5_000_001), ("context", None),
    ("context", "x" * 5_000_001),
    ("actor_id", "Bad Id"), ("actor_id", 5), ("source_id", "src 1"), ("source_id", "x" * 129),
    ("said_on", None), ("said_on", "2024-W24-6"), ("said_on", "2024-02-30"),
    ("said_on_precision", "unknown"), ("issues", ["nope"]), ("issues", [1]),
    ("issues", [["Dev"]]), ("issues", ["dev"]), ("kind", "x"),
]


def test_each_rule_alone_is_pydantic_s():
    """One field made invalid (or of another form) at a time: the same answer."""
    from .doc_strategies import _VALID

    for key, value in _ONE_CHANGE:
        doc = {**_VALID, key: value}
        slow = _outcome(lambda i, d: from_doc(Statement, i, d), "st-1", doc)
        assert _outcome(statement_checked, "st-1", doc) == slow, (key, value)
    for doc_id in ["Bad Id", "", "a" * 129]:
        slow = _outcome(lambda i, d: from_doc(Statement, i, d), doc_id, _VALID)
        assert isinstance(slow, str) and _outcome(statement_checked, doc_id, _VALID) == slow
