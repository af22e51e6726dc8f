"""The typo candidates (`store.typos`): never a word within reach left out, most
of the others ruled out."""

import numpy as np
from rapidfuzz.distance import Levenshtein

from store.typos import VocabNear, char_mask, pair_mask


def _edited(rng: np.random.Generator, word: str, edits: int) -> str:
    for _ in range(edits):
        i = int(rng.integers(0, len(word) + 1))
        c = str(rng.choice(list("abcdeknorstuyéь'")))
        word = [word[:i] + c + word[i:], word[:i] + word[i + 1:],
                word[:i] + c + word[i + 1:]][int(rng.integers(3))]
    return word


def _vocab(rng: np.random.Generator, n: int) -> list[str]:
    letters = list("abcdeknorstuyéь")
    words = {"".join(rng.choice(letters, size=int(rng.integers(1, 14)))) for _ in range(n)}
    return sorted(words)


def test_every_word_within_reach_is_a_candidate_in_vocabulary_order():
    """Edits at the start, the end and the middle, one and two, over a vocabulary of
    short words from few letters (many near one another): the candidates hold every
    word within the distance, in the vocabulary's order."""
    rng = np.random.default_rng(7)
    vocab = _vocab(rng, 3000)
    near = VocabNear(vocab)
    for word in [_edited(rng, str(rng.choice(vocab)), int(rng.integers(0, 3)))
                 for _ in range(300)] + ["", "a", "zzzz", vocab[-1] + "ab"]:
        for typos in (1, 2):
            candidates = near.near(word, typos)
            within = [w for w in vocab if Levenshtein.distance(word, w) <= typos]
            assert set(within) <= set(candidates), (word, typos)
            assert candidates == [w for w in vocab if w in set(candidates)], word


def test_the_pairs_rule_out_words_of_the_same_letters():
    """The letter pairs tell apart what the letters alone do not: an anagram is out."""
    vocab = ["sanctions", "snactions", "anticons", "tsansnioc", "sanction", "peace"]
    assert char_mask("sanctions") == char_mask("tsansnioc")
    assert pair_mask("sanctions") != pair_mask("tsansnioc")
    near = VocabNear(vocab).near("sanctoins", 2)
    assert "sanctions" in near and "sanction" in near
    assert "tsansnioc" not in near and "anticons" not in near


def test_an_empty_vocabulary_has_no_candidates():
    assert VocabNear([]).near("peace", 1) == []
