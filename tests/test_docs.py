"""docs.statement_checked and source_checked: pydantic's answer for every document, only
quicker."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from bench.corpus import generate
from store.docs import from_doc, objects_of, source_checked, statement_checked, to_doc
from store.errors import DatabaseCorrupt
from store.models import Source, Statement

from .doc_strategies import _SOURCE, _source_docs, _statement_docs


def _outcome(make, doc_id: str, doc: dict):
    """The object made, or the message of the error raised."""
    try:
        return make(doc_id, dict(doc))
    except DatabaseCorrupt as e:
        return f"refused: {e}"


def _as_pydantic(make, model, doc_id: str, doc: dict):
    """`make`'s answer is pydantic's (`from_doc`): the same object, down to to_doc's key
    order, or the same refusal. Returns the quick one."""
    slow = _outcome(lambda i, d: from_doc(model, i, d), doc_id, doc)
    quick = _outcome(make, doc_id, doc)
    assert quick == slow, (doc_id, doc)
    if isinstance(slow, model):
        assert list(to_doc(quick).items()) == list(to_doc(slow).items())
    return quick


@settings(max_examples=800, deadline=None)
@given(_statement_docs(),
       st.sampled_from(["st-1", "st-1", "Bad Id", "st-1\n", "", "a" * 129, "ok.id_2"]))
def test_a_statement_checked_quickly_is_what_pydantic_makes_of_it(doc, doc_id):
    """The same object (down to to_doc's key order), or the same refusal."""
    quick = _as_pydantic(statement_checked, Statement, doc_id, doc)
    if isinstance(quick, Statement):
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
        _as_pydantic(statement_checked, Statement, "st-1", {**_VALID, key: value})
    for doc_id in ["Bad Id", "", "a" * 129]:
        assert isinstance(_as_pydantic(statement_checked, Statement, doc_id, _VALID), str)


@settings(max_examples=800, deadline=None)
@given(_source_docs(), st.sampled_from(["src-1", "src-1", "Bad Id", "", "a" * 129]))
def test_a_source_checked_quickly_is_what_pydantic_makes_of_it(doc, doc_id):
    _as_pydantic(source_checked, Source, doc_id, doc)


def test_each_source_rule_alone_is_pydantic_s():
    import hashlib

    own = hashlib.sha256(_SOURCE["text"].encode()).hexdigest()
    for key, value in [("title", "  "), ("title", "x" * 5_000_001), ("published", "2024-W24-6"),
                       ("published", "2024-02-30"), ("content_hash", "0" * 64),
                       ("content_hash", own), ("text", "ok\x1b[2J"), ("url", "a\rb")]:
        _as_pydantic(source_checked, Source, "src-1", {**_SOURCE, key: value})
    assert isinstance(_as_pydantic(source_checked, Source, "Bad Id", _SOURCE), str)


def test_a_whole_archive_s_sources_are_read_as_pydantic_reads_them():
    tables = generate(300, seed=11)
    quick = objects_of(tables, {Source: "sources"})["sources"]
    assert quick == [from_doc(Source, i, d) for i, d in tables["sources"].items()]


def test_a_lone_surrogate_is_refused_as_pydantic_refuses_it():
    """Never in a file orjson parsed; but the quick ways must not accept what pydantic
    refuses."""
    from .doc_strategies import _SOURCE, _VALID

    for text in ("a\ud800b", "caf\u00e9\n\udfff"):
        for make, model, doc in ((source_checked, Source, {**_SOURCE, "text": text}),
                                 (statement_checked, Statement, {**_VALID, "text": text})):
            assert isinstance(_as_pydantic(make, model, "x-1", doc), str)
