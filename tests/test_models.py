import datetime as dt

import pytest
from pydantic import ValidationError

from store.models import (
    Actor,
    Proposal,
    Source,
    Statement,
    Term,
    clean_text,
    content_hash,
    format_validation_error,
    slugify,
    statement_id,
)


def test_clean_text_strips_c0_del_c1_but_keeps_newline_and_tab():
    raw = "a\x00b\x1b[2Jc\x07d\x7fe\x9bf\x85g\th\ni\r\nj"
    assert clean_text(raw) == "ab[2Jcdefg\th\ni\nj"


def test_clean_text_keeps_clean_text_as_it_is_and_turns_a_lone_return_into_a_newline():
    clean = "Peace talks — “no deal yet”,\n\tsaid the envoy."
    assert clean_text(clean) is clean
    assert clean_text("a\rb") == "a\nb"


def test_control_characters_never_reach_a_model():
    st = Statement(id="st-1", actor_id="a", text="hi\x1b]52;c;ZXZpbA==\x07 there",
                   source_id="s", span=(0, 5))
    assert "\x1b" not in st.text and "\x07" not in st.text
    actor = Actor(id="a", name="Evil\x1b[31m Name", aliases=["x\x9b"])
    assert actor.name == "Evil[31m Name" and actor.aliases == ["x"]


def test_slugify_and_ids_are_stable():
    assert slugify("François Heisbourg") == "francois-heisbourg"
    assert slugify("  ") == "x"
    assert statement_id("src", 1, 5) == statement_id("src", 1, 5)
    assert statement_id("src", 1, 5) != statement_id("src", 1, 6)


def test_ids_must_be_slugs():
    with pytest.raises(ValidationError) as e:
        Actor(id="Not A Slug", name="x")
    assert "id: must be lower-case" in format_validation_error(e.value)


def test_unknown_issue_code_is_a_readable_error():
    with pytest.raises(ValidationError) as e:
        Statement(id="st-1", actor_id="a", text="t", source_id="s", span=(0, 1),
                  issues=["Ce", "Nope"])
    msg = format_validation_error(e.value, "statement st-1")
    assert msg == "statement st-1: issues.1: unknown issue code 'Nope'"


def test_span_must_be_forward():
    with pytest.raises(ValidationError, match="empty or reversed"):
        Statement(id="st-1", actor_id="a", text="t", source_id="s", span=(5, 5))
    with pytest.raises(ValidationError):
        Statement(id="st-1", actor_id="a", text="t", source_id="s", span=(-1, 5))


def test_date_and_precision_go_together():
    with pytest.raises(ValidationError, match="precision"):
        Statement(id="st-1", actor_id="a", text="t", source_id="s", span=(0, 1),
                  said_on=dt.date(2025, 4, 28))
    with pytest.raises(ValidationError, match="precision"):
        Proposal(id="p", title="P", proposer="a", date_precision="day")
    ok = Statement(id="st-1", actor_id="a", text="t", source_id="s", span=(0, 1),
                   said_on=dt.date(2025, 4, 28), said_on_precision="day")
    assert ok.said_on_precision == "day"


def test_source_hash_must_match_text():
    Source(id="s", title="T", text="abc", content_hash=content_hash("abc"))
    with pytest.raises(ValidationError, match="content_hash"):
        Source(id="s", title="T", text="abc", content_hash=content_hash("abd"))


def test_term_span_needs_source():
    with pytest.raises(ValidationError, match="source_id"):
        Term(issue="Ce", text="x", span=(0, 1))


def test_unknown_fields_and_blank_names_are_refused():
    with pytest.raises(ValidationError, match="Extra inputs"):
        Actor(id="a", name="A", colour="red")
    with pytest.raises(ValidationError, match="must not be empty"):
        Actor(id="a", name="  ")


def test_models_are_immutable():
    actor = Actor(id="a", name="A")
    with pytest.raises(ValidationError):
        actor.name = "B"
