"""Who is who in one article: people with their roles, institutions, states.

A first pass over the article collects every person named with a title
("Ukrainian Foreign Minister Andriy Sybiha") or an appositive ("Dara
Massicot, Senior Fellow at the Carnegie Endowment ..."), merging spellings
("Sybiha", "Sybiga", "Szybiga"). While quotes are attributed in reading
order, each speaker and each subject of a speech verb becomes the most
recent salient entity, which is what "he", "she", "it" and descriptions
("the minister", "the US President") resolve to.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz import fuzz

from .lexicon import lexicon
from .names import NOT_NAMES as _NOT_NAMES
from .names import Phrase, parse_phrase

__all__ = ["ArticleEntities", "Entity"]

_TOKEN = re.compile(r"[^\W\d_](?:[\w’'\-]|\.(?=\w))*")

#: 'Rubio, who has led the talks, ...': a surname alone is a person when a relative clause
#: describes it.
_WHO = re.compile(r", who\b")
#: 'Dmitri S. Peskov': a middle initial does not end a name.
_MIDDLE_INITIAL = re.compile(r"[A-Z]\. ")
_CAP_ANYWHERE = re.compile(r"[A-ZÀ-ÖØ-ÞĀ-ſА-Я]")
_NATIONALITY = re.compile(r"^(?:[A-Z]{2,3}|[A-Z]\.[A-Z]\.|[A-Z][a-z]+(?:ian|ese|ish|an|ch|i))$")
_ROLE_BEFORE = re.compile(r"(?:^|[.!?]\s+|\n)(?P<role>[^,.;:!?\n\"“”‘’«»]{3,80}),\s*"
                          r"(?:[A-Z][a-z]{0,4}\.\s*){0,3}$")
_ORG_RUN = re.compile(r"(?:the\s+)?((?:[A-Z][\w’'.\-]*)(?:\s+(?:for|of|and|on|[A-Z][\w’'.\-]*))*)")


@dataclass(eq=False)
class Entity:
    kind: str  # person, institution, state, anonymous
    spellings: Counter[str] = field(default_factory=Counter)
    role: str | None = None
    affiliation: str | None = None

    @property
    def name(self) -> str:
        # The fullest spelling, then the most frequent one.
        return max(self.spellings, key=lambda s: (len(s.split()) > 1, self.spellings[s], -len(s)))

    @property
    def surname(self) -> str:
        return self.name.split()[-1]


def _fold(s: str) -> str:
    return s.casefold().replace("’", "'")


@lru_cache(maxsize=65536)
def _same_person(a: str, b: str) -> bool:
    """'Andriy Sybiha' ~ 'Sybiga' ~ 'Andriy Szybiga'; 'Dara Massicot' !~ 'Dick Schoff'."""
    ta, tb = _fold(a).split(), _fold(b).split()
    sa, sb = ta[-1], tb[-1]
    if sa != sb and (sa[0] != sb[0] or fuzz.ratio(sa, sb) < 70):
        return False
    if len(ta) > 1 and len(tb) > 1 and ta[0] != tb[0]:
        return ta[0][0] == tb[0][0] and (len(ta[0]) <= 2 or len(tb[0]) <= 2)  # an initial
    return True


class ArticleEntities:
    """The entities of one article and the order in which they became salient."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.entities: list[Entity] = []
        self._salient: list[tuple[int, int]] = []  # (position, index into entities)
        self._collect_people()

    # -- building ------------------------------------------------------
    def _collect_people(self) -> None:
        tokens = [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(self.text)]
        # Only capitalised tokens start a name: visit those, not every word.
        capitals = {m.start() for m in _CAP_ANYWHERE.finditer(self.text)}
        is_cap = [t[0] in capitals for t in tokens]
        lex = lexicon()
        titles = lex.titles - {"of", "the", "for"}
        next_cap = iter([n for n, cap in enumerate(is_cap) if cap])
        done = -1
        for i in next_cap:
            if i <= done:
                continue
            j = i
            while j + 1 < len(tokens) and is_cap[j + 1] and (
                    (tokens[j][1] + 1 == tokens[j + 1][0] and self.text[tokens[j][1]] == " ")
                    or (j > i and _MIDDLE_INITIAL.fullmatch(
                        self.text, tokens[j][0], tokens[j + 1][0]))):
                j += 1
            done = j
            while i <= j and tokens[i][2].casefold() in _NOT_NAMES:
                i += 1
            if i > j or any(t[2].endswith(("’s", "'s")) for t in tokens[i:j]) \
                    or tokens[j][2].isupper():
                continue
            # Extend backwards over title words: 'foreign policy adviser Yuri Ushakov'.
            k = i
            while (k > 0 and self.text[tokens[k - 1][1]:tokens[k][0]] == " "
                   and tokens[k - 1][2].casefold() in titles):
                k -= 1
            phrase = parse_phrase(re.sub(r"[’']s$", "", self.text[tokens[k][0]:tokens[j][1]]))
            if phrase and phrase.kind == "person" and (
                    len(phrase.name.split()) >= 2 or _WHO.match(self.text, tokens[j][1])):
                entity = self._person(phrase.name, phrase.role)
                self._appositive(entity, tokens[j][1])
                self._role_before(entity, tokens[k][0])

    def _appositive(self, entity: Entity, end: int) -> None:
        """', Senior Fellow at the Carnegie Endowment ...,' after a name is its role."""
        m = re.match(r",\s+([^,.;:()“”\"‘]{3,160})", self.text[end:end + 200])
        if not m or entity.role:
            return
        phrase = m.group(1).strip()
        words = [w.casefold() for w in phrase.split()[:3]]
        if words[0] in ("the", "a", "an", "who") or not lexicon().role_words & set(words):
            return
        joint = re.search(r"\s+at\s+", phrase) or re.search(r"\s+(?:of|for|with)\s+", phrase)
        role, org = (phrase[:joint.start()], phrase[joint.end():]) if joint else (phrase, "")
        entity.role = role.strip()
        if org:
            run = _ORG_RUN.match(org)
            entity.affiliation = run.group(1) if run else org

    def _role_before(self, entity: Entity, start: int) -> None:
        """'The Egyptian foreign minister, Karim Fawzy, ...': the role stands before the name."""
        if entity.role:
            return
        m = _ROLE_BEFORE.search(self.text[max(0, start - 120):start])
        if not m or not self.text[start:].split(",", 1)[1:]:
            return
        role = m.group("role").strip()
        words = {w.casefold() for w in re.findall(r"[\w-]+", role)}
        if words & lexicon().role_words:
            entity.role = re.sub(r"^(?:the|its|his|her|their|a|an)\s+", "", role,
                                 flags=re.IGNORECASE)

    def _person(self, name: str, role: str | None = None) -> Entity:
        for entity in self.entities:
            if entity.kind == "person" and any(_same_person(name, s) for s in entity.spellings):
                entity.spellings[name] += 1
                if role and not entity.role:
                    entity.role = role
                return entity
        entity = Entity("person", Counter({name: 1}), role)
        self.entities.append(entity)
        return entity

    # -- resolving -----------------------------------------------------
    def entity_for(self, phrase: Phrase, pos: int, last_speaker: Entity | None) -> Entity | None:
        """The entity a speaker phrase at `pos` names, creating it when new."""
        if phrase.kind == "person":
            return self._person(phrase.name, phrase.role)
        if phrase.kind == "pronoun":
            return self._pronoun(phrase.name, pos, last_speaker)
        if phrase.kind == "description":
            return self._description(phrase.name, pos, last_speaker)
        key = _fold(phrase.name)
        for entity in self.entities:
            if entity.kind == phrase.kind and key in {_fold(s) for s in entity.spellings}:
                entity.spellings[phrase.name] += 1
                return entity
        entity = Entity(phrase.kind, Counter({phrase.name: 1}))
        self.entities.append(entity)
        return entity

    def mark_salient(self, entity: Entity, pos: int) -> None:
        index = self.entities.index(entity)
        bisect.insort(self._salient, (pos, index))

    def _recent(self, pos: int, kinds: set[str]) -> list[Entity]:
        """Salient entities before `pos`, most recent first."""
        cut = bisect.bisect_left(self._salient, (pos, -1))
        out: list[Entity] = []
        for _, index in reversed(self._salient[:cut]):
            entity = self.entities[index]
            if entity.kind in kinds and entity not in out:
                out.append(entity)
        return out

    def salient_between(self, start: int, end: int, kinds: set[str]) -> list[Entity]:
        """Entities made salient in [start, end), most recent first."""
        lo = bisect.bisect_left(self._salient, (start, -1))
        hi = bisect.bisect_left(self._salient, (end, -1))
        out: list[Entity] = []
        for _, index in reversed(self._salient[lo:hi]):
            entity = self.entities[index]
            if entity.kind in kinds and entity not in out:
                out.append(entity)
        return out

    def _pronoun(self, pronoun: str, pos: int, last: Entity | None) -> Entity | None:
        kinds = {"person"} if pronoun in ("he", "she") else {"institution", "state"}
        if pronoun == "they":
            kinds = {"institution", "state", "anonymous"}
        if last is not None and last.kind in kinds:
            recent = self._recent(pos, kinds)
            return recent[0] if recent else last
        recent = self._recent(pos, kinds)
        return recent[0] if recent else None

    def _description(self, words: str, pos: int, last: Entity | None) -> Entity | None:
        """'the minister', 'the US President', 'the official', 'the ministry':
        the salient entity whose role (or name) fits best, else the most recent person."""
        wanted = [w for w in re.findall(r"[\w.]+", words) if w.casefold() not in ("of", "the")]
        modifiers = {w for w in wanted if _NATIONALITY.match(w)}
        org_head = bool(wanted) and wanted[-1].casefold() in lexicon().organisation_words
        kinds = {"institution"} if org_head else {"person", "anonymous"}
        candidates = self._recent(pos, kinds)
        best: tuple[int, Entity] | None = None
        for entity in candidates:
            described = entity.role or "" if entity.kind == "person" else entity.name
            found = {w.casefold() for w in re.findall(r"[\w.]+", described)}
            score = sum(1 for w in wanted if w.casefold() in found and w not in modifiers)
            conflict = {w for w in re.findall(r"[\w.]+", described) if _NATIONALITY.match(w)}
            if modifiers and conflict and not modifiers & conflict:
                continue
            if score and (best is None or score > best[0]):
                best = (score, entity)
        if best:
            return best[1]
        if org_head:
            return candidates[0] if candidates else None
        people = [e for e in candidates if e.kind == "person"]
        if people:
            return people[0]
        return last if last is not None and last.kind == "person" else None
