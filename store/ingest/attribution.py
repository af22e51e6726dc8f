"""Who said each quote: the attribution rules of English news writing.

In the order a careful reader tries them:

1. right after the quote: `," Lavrov wrote`, `,’ said François Heisbourg`,
   `," the head of the MFA emphasized`;
2. later in the same sentence: `..., when Moscow invaded ..., said Thomas Gomart`;
3. before it, in its sentence: `Sybiha stressed that ...: "`, `The minister
   added that he "`, `President Donald Trump, who urged ... to ‘`,
   `According to X, "`, `... was said by X`;
4. the next sentence: `This was reported by Foreign Minister Andriy Sybiha`;
5. a quote that makes up its own sentence right after another quote
   continues that speaker.

Quote text is masked while these patterns run, so words inside quotes are
never taken for attributions. A quote attributed by rule 1, by a colon or
`that he` intro, or by 5 is *direct*; one to three word quotes are kept only
when direct (otherwise they are scare quotes).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import cache

from .entities import ArticleEntities, Entity
from .lexicon import lexicon
from .marks import QuoteSpan
from .names import NOT_NAMES, Phrase, parse_phrase

__all__ = ["Attribution", "attribute_quotes"]

_ADVERBS = r"(?:has|had|have|also|then|later|further|again|once|previously|recently|earlier|" \
           r"repeatedly|would|will|had\s+earlier|himself|herself|itself|simply|bluntly|flatly)"
_NP = r"[^,.;:!?\"“”‘’()\[\]\n]{1,80}?"
#: Between a closing quote mark and its attribution: '," said', '. - Sybiha noted' (the dash
#: of news translated from Ukrainian and Russian).
_AFTER_MARK = r"\s*[,.!?]?\s*(?:[-–—]\s*)?"
_LEADING = re.compile(r"^\s*(?:however|but|and|meanwhile|earlier|later|also|yet|still|so|"
                      r"instead|indeed|moreover|in\s+turn|for\s+his\s+part|for\s+her\s+part|"
                      r"(?:on|last|this)\s+(?:mon|tues|wednes|thurs|fri|satur|sun)day)\b[\s,]*",
                      re.IGNORECASE)
_SENTENCE_NAME = re.compile(
    r"(?:^|\n\n|[.!?][\"”’']?\s+)((?:The\s+)?[A-Z][\w’'\-]+(?:\s+[A-Z][\w’'\-]+){0,3})")
_BOUNDARY = re.compile(r"[.!?…][\"”’']?\s+(?=[A-Z\"“‘'«])")


@dataclass(frozen=True, slots=True)
class Attribution:
    entity: Entity | None
    direct: bool
    clause: tuple[int, int]  # the attribution's own words
    context: tuple[int, int] | None = None  # where to look for when it was said
    continues: bool = False  # the previous quote's speaker goes on (one statement)

    @property
    def when(self) -> tuple[int, int]:
        return self.context or self.clause


def _trie_pattern(words: set[str]) -> str:
    """An alternation of words as a trie ('sa(?:id|ys)'), so the regex engine follows one
    branch per character instead of trying every word at every position."""
    trie: dict = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def walk(node: dict) -> str:
        ends = "" in node
        branches = [re.escape(ch) + walk(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if ends else body

    return walk(trie)


class _Verbs:
    """Finds speech verbs fast: one regex of the verbs as a trie, then a set for the
    two-word ones ('pointed out', 'told reporters')."""

    _SECOND = r"(?:out|up|on|reporters|journalists)"

    def __init__(self, verbs: tuple[str, ...]) -> None:
        self.single = {v for v in verbs if " " not in v}
        self.double = {" ".join(v.split()) for v in verbs if " " in v}
        firsts = self.single | {v.split()[0] for v in self.double}
        # Lower case only: 'the United States' names a country, not the verb 'states'.
        self._word = re.compile(rf"(?<![A-Za-z])({_trie_pattern(firsts)})(?![A-Za-z])"
                                rf"(?:\s+({self._SECOND})(?![A-Za-z]))?")

    def finditer(self, text: str, pos: int = 0, endpos: int | None = None) -> list:
        out: list = []
        for m in self._word.finditer(text, pos, len(text) if endpos is None else endpos):
            first, second = m.group(1), m.group(2)
            if second and f"{first} {second}" in self.double:
                out.append(m)
            elif first in self.single:
                out.append(_SpanMatch(m.start(), m.end(1)))
        return out

    def search(self, text: str, pos: int = 0, endpos: int | None = None):
        found = self.finditer(text, pos, endpos)
        return found[0] if found else None


class _SpanMatch:
    __slots__ = ("_end", "_start")

    def __init__(self, start: int, end: int) -> None:
        self._start, self._end = start, end

    def start(self) -> int:
        return self._start

    def end(self) -> int:
        return self._end


@cache
def _patterns() -> dict[str, re.Pattern[str]]:
    # Speech verbs are lower case ('as the United States pushes' has no verb 'states').
    v = f"(?-i:{lexicon().verb_pattern})"
    return {
        "verb": _Verbs(lexicon().speech_verbs),  # type: ignore[dict-item]
        "after_inverted": re.compile(
            rf"^{_AFTER_MARK}(?:(?:{v})|according\s+to)\s+(?P<np>[^,.;:!?\n]+)", re.I),
        "after_normal": re.compile(
            rf"^{_AFTER_MARK}(?P<np>{_NP})\s+(?:{_ADVERBS}\s+)*(?:{v})\b", re.IGNORECASE),
        "far_inverted": re.compile(rf"[,;—–]\s*(?:{v})\s+(?P<np>[^,.;:!?\n]+)", re.IGNORECASE),
        "far_normal": re.compile(
            rf"[,;—–]\s*(?P<np>{_NP})\s+(?:{_ADVERBS}\s+)*(?:{v})\s*(?:[,.;:!?]|$|\s+(?:on|in|at|"
            r"to|during|after|yesterday|today|last|earlier|this|that|when|while)\b)",
            re.IGNORECASE),
        "according": re.compile(r"\baccording\s+to\s+(?P<np>[^,.;:!?\n]+)", re.IGNORECASE),
        "passive": re.compile(rf"\b(?:was|were|is|are|been)\s+(?:{v}|made|posted|published|"
                              rf"written|voiced)\s+by\s+(?P<np>[^,.;:!?\n]+)", re.IGNORECASE),
        "next": re.compile(rf"^\s*(?:this|that|it|these\s+words|the\s+remarks?|the\s+statement)\s+"
                           rf"(?:was|were|has\s+been|had\s+been)\s+(?:{v}|made|posted|published|"
                           rf"written|voiced)\s+by\s+(?P<np>[^,.;:!?\n]+)", re.IGNORECASE),
        # 'X said:' / 'X said that he': split in two, so that each is tried only where it can
        # match (a 200-way alternation tried at every position costs ~0.4 ms a sentence).
        "intro_colon": re.compile(rf"\b(?:{v})\b[^.!?]*:\s*$", re.IGNORECASE),
        "intro_verb": re.compile(rf"\b(?:{v})\s*(?:that\s+)?(?:(?:he|she|it|they)\s+)?\s*$",
                                 re.IGNORECASE),
        "passive_verb": re.compile(r"\b(?:is|was|are|were|be|been|being)\s+$", re.IGNORECASE),
    }


_DATELINE = re.compile(
    r"(?:^|(?<=\n\n))(?:[A-Z][A-Z’'.\-]+(?: [A-Z][A-Z’'.\-]+)*|[A-Z][a-z]+(?: [A-Z][a-z]+)*,"
    r" [A-Z][a-z]+(?: [A-Z][a-z]+)*)(?:, [A-Z][\w.]*(?: [\w.]+){0,2})?"
    r"(?: \([A-Za-z .]+\))? [–—-] ")


def _mask(text: str, quotes: list[QuoteSpan]) -> str:
    """The text with quote interiors blanked out (the last character kept for sentence ends)
    and datelines ('KYIV, Nov 24 (Reuters) - ') blanked, so they are never a subject."""
    chars = list(text)
    for m in _DATELINE.finditer(text):
        for i in range(m.start(), m.end()):
            chars[i] = " "
    for q in quotes:
        for i in range(q.open_at + 1, max(q.open_at + 1, q.close_at - 1)):
            if chars[i] != "\n":
                chars[i] = "x"
    return "".join(chars)


class _Sentences:
    """Sentence boundaries of the masked text, found once."""

    def __init__(self, masked: str) -> None:
        breaks = [(m.start(), m.start() + 1, m.end()) for m in _BOUNDARY.finditer(masked)]
        breaks += [(m.start(), m.start(), m.end()) for m in re.finditer(r"\n\n", masked)]
        breaks.sort()
        self._at = [b[0] for b in breaks]  # where the break is
        self._ends = [b[1] for b in breaks]  # where the sentence before it ends
        self._next = [b[2] for b in breaks]  # where the sentence after it starts
        self._next_sorted = sorted(self._next)
        self._len = len(masked)

    def bounds(self, start: int, end: int) -> tuple[int, int]:
        """The sentence around [start, end): from the last break before to the first after."""
        i = bisect.bisect_right(self._next_sorted, start)
        s = self._next_sorted[i - 1] if i else 0
        j = bisect.bisect_left(self._at, max(start, end - 2))
        e = self._ends[j] if j < len(self._at) else self._len
        return s, e

    def starts(self) -> list[int]:
        return [0, *self._next_sorted]


def _phrase(np: str) -> Phrase | None:
    phrase = parse_phrase(np)
    if phrase is None or (phrase.kind == "person" and "x" * 4 in phrase.name):
        return None
    return phrase


_CLAUSE = re.compile(r"\b(?:that|but|and|while|because|although|though|whereas)\b",
                     re.IGNORECASE)
_LABEL = re.compile(r"^\s*(?P<np>[A-Z][\w’'.\- ]{1,60}?)\s*:\s*$")
_PREPOSITION = re.compile(r"(?:in|at|on|from|for|with|by|after|before|during|since|back|"
                          r"across|near|inside|outside|to|of)\b", re.IGNORECASE)
_APPOSITIVE_START = re.compile(r"\s*(?:an?|the|another|one|his|her|its|their)\s")
_NAME_END = re.compile(r"[A-Z][\w’'\-]+\s*$")
_ASIDE = re.compile(r"^\s*(?:who|which|whose|where|speaking|writing|talking|according|now|"
                    r"formerly|then|once|currently|in|at|on|during|after|before|with|from|"
                    r"for|by|via|through|[a-z]+ing)\b")


def _subject(masked: str, sentence_start: int, verb_at: int) -> tuple[Phrase, int] | None:
    """The subject of the speech verb at `verb_at`, skipping appositives and asides.

    'A senior official, who spoke on condition of anonymity because ..., said'
    -> 'A senior official'; 'Macron ..., but stressed' -> None (no subject of its own).
    """
    pieces = []
    last = sentence_start
    for m in re.finditer(r"[,;:—–]", masked[sentence_start:verb_at]):
        pieces.append((last, sentence_start + m.start()))
        last = sentence_start + m.end()
    pieces.append((last, verb_at))
    for k in range(len(pieces) - 1, -1, -1):
        a, b = pieces[k]
        piece = masked[a:b]
        tail = _CLAUSE.split(piece)[-1]
        chunk = _LEADING.sub("", tail).strip()
        chunk = re.sub(rf"(?:\s+{_ADVERBS})+$", "", chunk, flags=re.IGNORECASE).strip()
        if not chunk:
            continue
        if chunk.casefold() in ("who", "which") and k > 0:
            a, b = pieces[k - 1]
            words = " ".join(masked[a:b].split()[-6:])
            m = re.search(r"((?:[A-Z][\w’'.\-]*\s+){0,5}[A-Z][\w’'.\-]*)\s*$", words)
            phrase = _phrase(m.group(1)) if m else None
            return (phrase, a) if phrase else None
        if k < len(pieces) - 1 and (_ASIDE.match(piece) or re.fullmatch(r"\s*\d+\s*", piece)):
            continue  # 'who spoke on condition of anonymity', 'in a statement', an age
        name_end = _NAME_END.search(masked[pieces[k - 1][0]:pieces[k - 1][1]]) if k else None
        if name_end and _APPOSITIVE_START.match(piece) \
                and name_end.group().strip().casefold() not in NOT_NAMES:
            continue  # "Dara Massicot, a senior fellow at ..., said", "X, another adviser ..."
        phrase = _phrase(chunk)
        if phrase is not None:
            return phrase, a
        words = piece.split()
        if words and (words[0][0].islower() or words[0].casefold() in lexicon().role_words):
            continue  # an appositive or aside between the subject and its verb
        return None
    return None


_OPENING_NAME = re.compile(
    r"\s*((?:The\s+)?[A-Z][\w’'\-]+(?:\s+[A-Z][\w’'\-]+){0,3})(?:\s+[a-z]|,)")
_COLON_END = re.compile(r":\s*$")


def _opening_phrase(sentence: str) -> Phrase | None:
    """What the name a sentence opens with names ('Dmitry Peskov declined ...')."""
    opening = _OPENING_NAME.match(sentence)
    return _phrase(opening.group(1)) if opening else None


def _ends_with_intro(before: str) -> bool:
    """Does the text before a quote end by introducing it ('X said:', 'X said that he')?"""
    p = _patterns()
    if _COLON_END.search(before) and p["intro_colon"].search(before):
        return True
    # An ending 'verb [that] [he]' is short: only the tail (before trailing blanks) can hold
    # it; words of a verb are one space apart after cleaning, and the margin allows more.
    window = 2 * len(lexicon().speech_verbs[0]) + 40
    return bool(p["intro_verb"].search(before, max(0, len(before.rstrip()) - window)))


class _Attributor:
    def __init__(self, text: str, quotes: list[QuoteSpan], entities: ArticleEntities) -> None:
        self.text = text
        self.quotes = quotes
        self.entities = entities
        self.masked = _mask(text, quotes)
        self.sentences = _Sentences(self.masked)
        self.p = _patterns()

    def salience_pass(self) -> None:
        """Subjects of speech verbs and sentence-initial names become salient where they stand."""
        masked = self.masked
        for m in self.p["verb"].finditer(masked):
            if self.p["passive_verb"].search(masked, max(0, m.start() - 8), m.start()):
                continue
            start, _ = self.sentences.bounds(m.start(), m.end())
            found = _subject(masked, start, m.start())
            if found and found[0].kind in ("person", "institution", "state"):
                self._entity(found[0], m.start(), None)
        for m in self.p["according"].finditer(masked):
            phrase = _phrase(m.group("np"))
            if phrase and phrase.kind in ("person", "institution", "anonymous"):
                self._entity(phrase, m.start(), None)
        for m in _SENTENCE_NAME.finditer(masked):
            if _PREPOSITION.match(m.group(1)):
                continue  # 'In Paris, ...': a place, not a subject
            phrase = parse_phrase(m.group(1))
            if phrase and ((phrase.kind == "person" and len(phrase.name.split()) > 1)
                           or phrase.kind == "institution"):
                self._entity(phrase, m.start(1), None)
        # The first person a sentence names is usually its subject: what 'he' refers to next.
        people = {s: e for e in self.entities.entities if e.kind == "person"
                  for s in (*e.spellings, e.surname)}
        if people:
            names = re.compile(r"\b(?:" + "|".join(re.escape(n) for n in
                                                    sorted(people, key=len, reverse=True))
                               + r")\b")
            for start in sorted(set(self.sentences.starts())):
                end = self.sentences.bounds(start, start)[1]
                first = names.search(masked, start, end)
                if first:
                    self.entities.mark_salient(people[first.group()], first.start())

    def _entity(self, phrase: Phrase, pos: int, last: Entity | None) -> Entity | None:
        entity = self.entities.entity_for(phrase, pos, last)
        if entity is not None:
            self.entities.mark_salient(entity, pos)
        return entity

    def attribute(self) -> list[Attribution]:
        out: list[Attribution] = []
        last: Entity | None = None
        prev: QuoteSpan | None = None
        for q in self.quotes:
            att = self._one(q, last, prev, out[-1] if out else None)
            out.append(att)
            if att.entity is not None:
                last = att.entity
                self.entities.mark_salient(att.entity, q.outer_end)
            prev = q
        return out

    def _one(self, q: QuoteSpan, last: Entity | None, prev: QuoteSpan | None,
             prev_att: Attribution | None) -> Attribution:
        masked, p = self.masked, self.p
        s_start, s_end = self.sentences.bounds(q.open_at, q.outer_end)
        after = masked[q.outer_end:max(q.outer_end, s_end)]
        # 1. right after the closing mark
        for key in ("after_inverted", "after_normal"):
            m = p[key].match(after)
            if m and (phrase := _phrase(m.group("np"))):
                if phrase.kind == "description" and key == "after_inverted":
                    # ', said the Armenian foreign minister, Levon Hakobyan, after ...'
                    named = re.match(r"\s*,\s*([A-Z][^,.;:!?\n]{1,60})", after[m.end():])
                    person = _phrase(named.group(1)) if named else None
                    if person is not None and person.kind == "person":
                        phrase = Phrase("person", person.name, phrase.name)
                entity = self._entity(phrase, q.outer_end, last)
                if entity:
                    return Attribution(entity, True, (q.outer_end, q.outer_end + m.end()),
                                       (q.outer_end, max(q.outer_end, s_end)))
        # 2. later in the same sentence
        for key in ("far_inverted", "far_normal"):
            for m in p[key].finditer(after):
                if phrase := _phrase(m.group("np")):
                    entity = self._entity(phrase, q.outer_end + m.start(), last)
                    if entity:
                        span = (q.outer_end + m.start(), q.outer_end + m.end())
                        return Attribution(entity, False, span)
        # 3. before it, in its sentence ('X said:' may close the previous paragraph)
        before = masked[s_start:q.open_at]
        if not before.strip() and masked[max(0, q.open_at - 2):q.open_at] == "\n\n" \
                and masked[:q.open_at].rstrip().endswith(":"):
            s_start = self.sentences.bounds(q.open_at - 3, q.open_at - 3)[0]
            before = masked[s_start:q.open_at].rstrip() + " "
        label = _LABEL.match(before)
        if label and (phrase := _phrase(label.group("np"))):
            entity = self._entity(phrase, s_start, last)  # 'Lindqvist: "Not yet."'
            if entity:
                return Attribution(entity, True, (s_start, q.open_at))
        direct = _ends_with_intro(before)
        found = self._before(before, s_start, last)
        if found:
            return Attribution(found, direct, (s_start, q.open_at))
        # 4. the next sentence
        nxt = masked[s_end:s_end + 300]
        m = p["next"].match(nxt)
        if m and (phrase := _phrase(m.group("np"))):
            entity = self._entity(phrase, s_end, last)
            if entity:
                return Attribution(entity, False, (s_end, s_end + m.end()))
        # 5. a quote that is its own sentence, right after another quote
        if prev is not None and prev_att is not None and prev_att.entity is not None \
                and not before.strip() and not masked[prev.outer_end:q.open_at].count("\n\n") > 1 \
                and not p["verb"].search(masked, prev_att.clause[1], q.open_at) \
                and self._adjacent(prev, prev_att, q):
            return Attribution(prev_att.entity, True, prev_att.clause, continues=True)
        # 6. a paragraph that is all quote, after a paragraph introducing one person
        intro = self._introduced(q)
        if intro is not None:
            return Attribution(intro, False, (q.open_at, q.open_at))
        return Attribution(None, False, (s_start, s_end))

    def _introduced(self, q: QuoteSpan) -> Entity | None:
        masked = self.masked
        if masked[max(0, q.open_at - 2):q.open_at] not in ("\n\n", "") or \
                masked.find("\n\n", q.outer_end) not in (-1, q.outer_end):
            return None
        prev_start = masked.rfind("\n\n", 0, max(0, q.open_at - 2))
        prev_start = 0 if prev_start < 0 else prev_start + 2
        paragraph = self.text[prev_start:max(prev_start, q.open_at - 2)]
        if not paragraph or any(c in paragraph for c in "\"“”«»‘"):
            return None
        recent = self.entities.salient_between(prev_start, q.open_at, {"person"})
        return recent[0] if len(recent) == 1 else None

    def _adjacent(self, prev: QuoteSpan, prev_att: Attribution, q: QuoteSpan) -> bool:
        """The sentence of the previous quote (and its attribution) ends where this one starts."""
        _, prev_end = self.sentences.bounds(prev.open_at, prev.outer_end)
        gap = self.masked[max(prev_end, prev_att.clause[1]):q.open_at]
        return not re.search(r"\w", gap)

    def _before(self, before: str, offset: int, last: Entity | None) -> Entity | None:
        p = self.p
        m = p["according"].search(before)
        if m and (phrase := _phrase(m.group("np"))):
            return self._entity(phrase, offset + m.start(), last)
        passives = list(p["passive"].finditer(before))
        m = passives[-1] if passives else None
        if m and (phrase := _phrase(m.group("np"))):
            return self._entity(phrase, offset + m.start(), last)
        verbs = p["verb"].finditer(before)
        for v in reversed(verbs):
            if p["passive_verb"].search(before, max(0, v.start() - 8), v.start()):
                continue
            inverted = re.match(rf"\s+(?P<np>{_NP})\s*:\s*$", before[v.end():])
            if inverted and (phrase := _phrase(inverted.group("np"))):
                return self._entity(phrase, offset + v.end(), last)
            found = _subject(self.masked, offset, offset + v.start())
            if found:
                return self._entity(found[0], offset + v.start(), last)
            if before[v.start():v.end()].casefold().endswith("ing"):
                # 'Peskov declined to comment, saying only that "...': the sentence's subject.
                phrase = _opening_phrase(before)
                if phrase and phrase.kind != "pronoun":
                    return self._entity(phrase, offset, last)
        if not verbs and _COLON_END.search(before):
            # 'Kaja Kallas, the EU's foreign policy chief, was blunt: "...': no speech verb,
            # but a colon hands the quote to the person the sentence opens with.
            phrase = _opening_phrase(before)
            if phrase and phrase.kind == "person":
                return self._entity(phrase, offset, last)
        return None


def attribute_quotes(text: str, quotes: list[QuoteSpan],
                     entities: ArticleEntities) -> list[Attribution]:
    """One Attribution per quote, in order."""
    worker = _Attributor(text, quotes, entities)
    worker.salience_pass()
    return worker.attribute()
