from store.diff import RowStatus, diff_proposals, word_diff
from store.models import Proposal, Term


def _p(id, *terms):
    return Proposal(id=id, title=id, proposer="x", terms=[Term(issue=i, text=t) for i, t in terms])


def test_rows_aligned_by_issue_and_grouped_by_section():
    left = _p("l", ("TjSan", "lift sanctions"), ("Ce", "permanent ceasefire"),
              ("X-Alliance", "no NATO"))
    right = _p("r", ("Ce", "Permanent  ceasefire"), ("TjSan", "lift all sanctions"),
               ("ImE", "monitors"))
    rows = diff_proposals(left, right)
    assert [(r.issue, r.status) for r in rows] == [
        ("Ce", RowStatus.same), ("X-Alliance", RowStatus.left_only),
        ("ImE", RowStatus.right_only), ("TjSan", RowStatus.changed)]
    assert [r.section for r in rows] == ["ceasefire", "security", "security", "economy"]


def test_word_diff_marks_only_changed_words():
    a, b = word_diff("lift sanctions now", "lift all sanctions now")
    assert a == (("lift sanctions now", False),)
    assert b == (("lift ", False), ("all", True), (" sanctions now", False))
    assert "".join(t for t, _ in b) == "lift all sanctions now"
