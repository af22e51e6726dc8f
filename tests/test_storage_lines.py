"""The database file in lines (store.storage.dumps / parse_lines): read a part at a time,
and always exactly as a whole-file parse reads it."""

from __future__ import annotations

import json
import types

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from store import Statement, Store, storage
from store.storage import _parse, dumps, parse_lines

_TEXT = st.text(alphabet=st.sampled_from('ab"\\\n,:{}é\x01 '), max_size=6)
_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 5) | _TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_TEXT, inner, max_size=3),
    max_leaves=6)
_TABLES = st.dictionaries(_TEXT, st.dictionaries(_TEXT, st.dictionaries(_TEXT, _VALUES,
                                                                        max_size=3),
                                                 max_size=5), max_size=4)


@pytest.fixture(params=[1, 7, storage._CHUNK_BYTES])
def chunk(request, monkeypatch):
    """Parts cut as small as one document, and at the real size."""
    monkeypatch.setattr(storage, "_CHUNK_BYTES", request.param)
    return request.param


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=_TABLES)
def test_the_file_in_lines_reads_back_as_written(data, chunk):
    raw = dumps(data)
    assert orjson.loads(raw) == data  # one JSON document: any reader reads it
    assert parse_lines(raw) == (data if data else None)  # no tables: b"{}", read whole
    assert _parse(raw) == data


@settings(max_examples=400, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=_TABLES, edits=st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 2),
                                              st.sampled_from(list('{}[]",:\n 1a\\'))),
                                    min_size=1, max_size=3))
def test_a_damaged_file_in_lines_reads_as_a_whole_parse_reads_it_or_not_at_all(
        data, edits, chunk):
    raw = bytearray(dumps(data))
    for at, how, byte in edits:
        at %= len(raw) + 1
        if how == 0:
            raw[at:at] = byte.encode()
        elif how == 1:
            del raw[at:at + 1]
        else:
            raw[at:at + 1] = byte.encode()
    raw = bytes(raw)
    found = parse_lines(raw)
    try:
        whole = orjson.loads(raw)
    except orjson.JSONDecodeError:
        assert found is None  # then _parse's whole parse says where it is broken
        return
    assert found is None or found == whole
    assert _parse(raw) == whole


def test_a_document_as_deep_as_orjson_refuses_is_refused_in_parts_too():
    """A part is parsed at the depth its documents have in the whole file."""
    refused = 0
    for depth in range(1015, 1030):
        raw = b'{\n"t":{\n"a":' + b"[" * depth + b"]" * depth + b"\n}}\n"
        try:
            orjson.loads(raw)
        except orjson.JSONDecodeError:
            refused += 1
            assert parse_lines(raw) is None
        else:
            assert parse_lines(raw) is not None  # (too deep for == to compare)
    assert 0 < refused < 15  # the limit is within the range tried


def test_double_commas_and_empty_parts_are_not_json(monkeypatch):
    monkeypatch.setattr(storage, "_CHUNK_BYTES", 1)
    raw = b'{\n"t":{\n"a":1,\n,\n"b":2\n}}\n'
    with pytest.raises(orjson.JSONDecodeError):
        orjson.loads(raw)
    assert parse_lines(raw) is None
    assert parse_lines(b'{\n"t":{\n}}\n') == {"t": {}}


@pytest.mark.parametrize("raw", [
    orjson.dumps({"t": {"1": {"a": 1}}}),
    orjson.dumps({"t": {"1": {"a": 1}}}, option=orjson.OPT_INDENT_2),
    json.dumps({"t": {"1": {"a": 1}}}).encode(),
    b'{\n"t":{\n"1":{"a":1}\n}}\n\n',
])
def test_a_file_in_another_form_is_read_whole(raw):
    assert parse_lines(raw) is None
    assert _parse(raw) == {"t": {"1": {"a": 1}}}


def test_a_file_in_lines_is_parsed_a_part_at_a_time(monkeypatch):
    """The point of the lines: orjson holds the GIL for one part, not the whole file."""
    calls: list[int] = []
    counted = types.SimpleNamespace(
        loads=lambda raw: (calls.append(len(raw)), orjson.loads(raw))[1],
        dumps=orjson.dumps, JSONDecodeError=orjson.JSONDecodeError)
    data = {"statements": {f"st-{i}": {"text": "x" * 100} for i in range(1000)}}
    raw = dumps(data)
    monkeypatch.setattr(storage, "orjson", counted)
    monkeypatch.setattr(storage, "_CHUNK_BYTES", 10_000)
    assert _parse(raw) == data
    parts = [n for n in calls if n > 100]  # the table's name is parsed too
    assert len(parts) >= len(raw) // 12_000 and max(parts) < 12_000


def test_the_store_writes_its_file_in_lines(sample_db):
    raw = sample_db.read_bytes()
    found = parse_lines(raw)
    assert found is not None and found == orjson.loads(raw)
    assert len(found["statements"]) == len(Store.open(sample_db).list(Statement))


def test_ids_that_are_not_strings_are_refused_as_orjson_refuses_them():
    with pytest.raises(TypeError):
        dumps({"t": {1: {}}})
    with pytest.raises(TypeError):
        dumps({"t": {"1": {"a": object()}}})
