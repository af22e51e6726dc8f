"""The Store's typed API, over memory and over a real file."""

import pytest

from store import (
    Actor,
    Bundle,
    ConflictError,
    InvalidData,
    NotFound,
    Proposal,
    Source,
    Statement,
    Store,
)
from store.models import Term


def _actor(id="a", name="A"):
    return Actor(id=id, name=name)


def test_add_get_list_update_delete(store: Store):
    store.add(_actor("lavrov", "Sergei Lavrov"))
    assert store.get(Actor, "lavrov").name == "Sergei Lavrov"
    assert [a.id for a in store.list(Actor)] == ["lavrov"]
    store.update(Actor(id="lavrov", name="Sergey Lavrov", aliases=["Lavrov"]))
    assert store.get(Actor, "lavrov").aliases == ["Lavrov"]
    store.delete(Actor, "lavrov")
    assert store.find(Actor, "lavrov") is None
    assert store.count(Actor) == 0


def test_missing_ids_raise_not_found(store: Store):
    with pytest.raises(NotFound, match="no actor with id 'nobody'"):
        store.get(Actor, "nobody")
    with pytest.raises(NotFound):
        store.update(_actor("nobody"))
    with pytest.raises(NotFound):
        store.delete(Proposal, "nothing")


def test_add_refuses_a_taken_id(store: Store):
    store.add(_actor())
    with pytest.raises(ConflictError, match="exists already"):
        store.add(_actor())


def test_references_are_enforced(store: Store):
    st = Statement(id="st-1", actor_id="ghost", text="x", source_id="s", span=(0, 1))
    with pytest.raises(InvalidData, match="unknown actor 'ghost'"):
        store.add(st)
    store.add(_actor("ghost"))
    with pytest.raises(InvalidData, match="unknown source 's'"):
        store.add(st)
    with pytest.raises(InvalidData, match="unknown proposer"):
        store.add(Proposal(id="p", title="P", proposer="nobody"))
    with pytest.raises(InvalidData, match="unknown source"):
        store.add(Proposal(id="p", title="P", proposer="ghost",
                           terms=[Term(issue="Ce", text="x", source_id="nope")]))


def test_delete_refuses_when_referred_to(sample_store: Store):
    with pytest.raises(InvalidData, match="still referred to by statement"):
        sample_store.delete(Actor, "sergei-lavrov")
    with pytest.raises(InvalidData, match="still referred to"):
        sample_store.delete(Source, "reuters-2025-04-25-us-framework")
    sample_store.delete(Proposal, "us-seven-point-plan")
    sample_store.delete(Source, "reuters-2025-04-25-us-framework")


def test_bundle_is_all_or_nothing(store: Store):
    good = _actor("good")
    bad = Statement(id="st-1", actor_id="missing", text="x", source_id="s", span=(0, 1))
    with pytest.raises(InvalidData):
        store.add_bundle(Bundle(actors=[good], statements=[bad]))
    assert store.count(Actor) == 0


def test_bundle_twice_adds_nothing_and_conflicts_are_refused(store: Store, sample):
    added = store.add_bundle(sample)
    assert added.count() == sample.count()
    assert store.add_bundle(sample).count() == 0
    changed = Actor(id="sergei-lavrov", name="Someone Else")
    with pytest.raises(ConflictError, match="a different actor"):
        store.add_bundle(Bundle(actors=[changed]))
    assert store.get(Actor, "sergei-lavrov").name == "Sergei Lavrov"


def test_duplicate_ids_inside_one_bundle(store: Store):
    with pytest.raises(InvalidData, match="appears twice"):
        store.add_bundle(Bundle(actors=[_actor(), _actor()]))


def test_round_trip_keeps_every_field(sample_store: Store, sample):
    again = sample_store.bundle()
    for model in (Actor, Source, Statement, Proposal):
        assert sorted(again.of(model), key=lambda o: o.id) == sorted(sample.of(model),
                                                                     key=lambda o: o.id)


def test_objects_read_share_their_fields_set_and_copies_get_their_own(sample_store):
    from store.models import Statement

    first, second = sample_store.list(Statement)[:2]
    assert first.model_fields_set is second.model_fields_set  # one set, not one per object
    before = set(first.model_fields_set)
    copy = first.model_copy(update={"context": "changed"})
    assert copy.context == "changed" and first.model_fields_set == before
    assert second.model_fields_set == before


def test_bundle_says_how_far_it_has_read(tmp_path):
    import orjson

    from bench.corpus import generate

    path = tmp_path / "big.json"
    tables = generate(3000, 1)
    path.write_bytes(orjson.dumps(tables))
    store = Store.open(path)
    heard: list[tuple[int, int]] = []
    read = store.bundle(lambda done, total: heard.append((done, total)))
    total = sum(len(tables[t]) for t in ("actors", "sources", "statements", "proposals"))
    assert heard[-1] == (total, total) and len(heard) > 3
    assert [d for d, _ in heard] == sorted(d for d, _ in heard)
    assert read == store.bundle()
